"""Alerts as detection writes them, and a response service on a real store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from garrison.model import Event, EventKind, Source
from garrison.model.alert import Alert, Severity
from garrison.model.ids import uuid7
from garrison.response.service import ResponseService
from garrison.response.settings import ResponseSettings
from garrison.store.base import Stmt, Store

BASE = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


def make_alert(
    n: int,
    *,
    minutes: float = 0,
    tenant: str = "acme",
    rule_id: str = "rule-1",
    severity: Severity = Severity.MEDIUM,
    tags: tuple[str, ...] = (),
    **entities: str,
) -> tuple[Event, Alert]:
    """One event and the alert it fired, ``minutes`` after BASE, with ``entities``."""
    time = BASE + timedelta(minutes=minutes)
    event = Event(
        id=uuid7(int(time.timestamp() * 1000)),
        time=time,
        tenant=tenant,
        app=entities.get("app", "chat"),
        kind=EventKind.PROMPT,
        source=Source.API,
        session_id=entities.get("session_id"),
        principal=entities.get("principal"),
    )
    alert = Alert(
        id=f"alert-{n}",
        tenant=tenant,
        rule_id=rule_id,
        rule_version="1",
        title=f"{rule_id} fired",
        severity=severity,
        dedup_key=f"{rule_id}|{n}",
        first_seen=time,
        last_seen=time,
        event_count=1,
        event_ids=(event.id,),
        entities={"app": "chat", **entities},
        tags=tags,
        created_at=time,
        updated_at=time,
    )
    return event, alert


async def write(service: ResponseService, *pairs: tuple[Event, Alert]) -> list[Any]:
    """Store the alerts (as the writer does) and run the commit hook on them."""
    await service.store.write_events([p[0] for p in pairs], (), [p[1] for p in pairs])
    return await service.handle([p[1] for p in pairs])


def service(store: Store, **settings: Any) -> ResponseService:
    return ResponseService(ResponseSettings(**settings), store)


async def rows(store: Store, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    (found,) = await store.transact([Stmt(sql, params, fetch=True)])
    return found


async def incident_of(store: Store, alert_id: str, tenant: str = "acme") -> str:
    found = await rows(
        store,
        "SELECT incident_id FROM incident_alerts WHERE tenant = ? AND alert_id = ?",
        tenant,
        alert_id,
    )
    assert len(found) == 1, f"{alert_id} is in {len(found)} incidents"
    return str(found[0][0])


async def open_incidents(store: Store, tenant: str = "acme") -> list[tuple[Any, ...]]:
    return await rows(
        store,
        "SELECT id, alert_count, severity, status FROM incidents "
        "WHERE tenant = ? AND merged_into IS NULL ORDER BY id",
        tenant,
    )
