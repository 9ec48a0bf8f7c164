"""Reading incidents: pages of a tenant's incidents and one incident's timeline.

The timeline merges the incident's alerts and the events they stand for in time order (events
through ``Store.events_by_id``, so their content is shown exactly as ``GET /api/v1/alerts/{id}``
shows it, to the same readers). Bounded: at most MAX_TIMELINE_ALERTS alerts and
MAX_TIMELINE_EVENTS events, with ``truncated`` saying when there were more. Never writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from garrison.model.alert import AlertStatus, Severity
from garrison.model.event import format_time
from garrison.response.correlate import ALERT_SELECT, StoredAlert
from garrison.response.incidents import COLUMNS, Incident, from_row
from garrison.store.base import MAX_PAGE, Cursor, Stmt, Store, to_us
from garrison.store.rows import alert_from_row, from_us

MAX_TIMELINE_ALERTS = 1000
MAX_TIMELINE_EVENTS = 500


@dataclass(frozen=True, slots=True)
class IncidentQuery:
    tenant: str
    since: datetime | None = None  # on last_seen, inclusive
    until: datetime | None = None  # exclusive
    statuses: tuple[AlertStatus, ...] = ()
    severities: tuple[Severity, ...] = ()
    trace_id: str | None = None
    session_id: str | None = None
    principal: str | None = None
    assignee: str | None = None
    limit: int = 100
    cursor: Cursor | None = None
    descending: bool = True


@dataclass(frozen=True, slots=True)
class IncidentPage:
    incidents: list[Incident]
    next_cursor: str | None


async def list_incidents(store: Store, query: IncidentQuery) -> IncidentPage:
    where = ["tenant = ?", "merged_into IS NULL"]
    params: list[Any] = [query.tenant]
    if query.since is not None:
        where.append("last_seen >= ?")
        params.append(query.since)
    if query.until is not None:
        where.append("last_seen < ?")
        params.append(query.until)
    if query.assignee is not None:
        where.append("assignee = ?")
        params.append(query.assignee)
    for column, values in (
        ("status", [s.value for s in query.statuses]),
        ("severity", [s.value for s in query.severities]),
    ):
        if values:
            where.append(f"{column} IN ({', '.join('?' * len(values))})")
            params.extend(values)
    for column, value in (
        ("trace_id", query.trace_id),
        ("session_id", query.session_id),
        ("principal", query.principal),
    ):
        if value is not None:
            where.append(
                "id IN (SELECT ia.incident_id FROM incident_alerts ia JOIN alerts a "
                "ON a.tenant = ia.tenant AND a.id = ia.alert_id "
                f"WHERE ia.tenant = ? AND a.{column} = ?)"
            )
            params.extend([query.tenant, value])
    if query.cursor is not None:
        after = from_us(query.cursor.time_us)
        op = "<" if query.descending else ">"
        where.append(f"(last_seen {op} ? OR (last_seen = ? AND id {op} ?))")
        params.extend([after, after, query.cursor.id])
    size = max(1, min(query.limit, MAX_PAGE))
    direction = "DESC" if query.descending else "ASC"
    (found,) = await store.transact(
        [
            Stmt(
                f"SELECT {COLUMNS} FROM incidents WHERE {' AND '.join(where)} "
                f"ORDER BY last_seen {direction}, id {direction} LIMIT {size + 1}",
                params,
                fetch=True,
            )
        ]
    )
    incidents = [from_row(r) for r in found[:size]]
    next_cursor = None
    if len(found) > size and incidents:
        last = incidents[-1]
        next_cursor = Cursor(to_us(last.last_seen), last.id).encode()
    return IncidentPage(incidents, next_cursor)


async def timeline(store: Store, incident: Incident) -> dict[str, Any]:
    """The incident's alerts and their events, merged in time order."""
    tenant = incident.tenant
    members = "SELECT alert_id FROM incident_alerts WHERE tenant = ? AND incident_id = ?"
    alert_rows, links = await store.transact(
        [
            Stmt(
                f"SELECT {ALERT_SELECT}, disposition FROM alerts "
                f"WHERE tenant = ? AND id IN ({members}) "
                f"ORDER BY first_seen, id LIMIT {MAX_TIMELINE_ALERTS + 1}",
                (tenant, tenant, incident.id),
                fetch=True,
            ),
            Stmt(
                "SELECT alert_id, event_id FROM alert_events "
                f"WHERE tenant = ? AND alert_id IN ({members}) "
                f"ORDER BY time, event_id LIMIT {MAX_TIMELINE_EVENTS + 1}",
                (tenant, tenant, incident.id),
                fetch=True,
            ),
        ]
    )
    alerts = [StoredAlert(alert_from_row(r[:-1]), r[-1]) for r in alert_rows[:MAX_TIMELINE_ALERTS]]
    alerts_of: dict[str, list[str]] = {}
    for alert_id, event_id in links[:MAX_TIMELINE_EVENTS]:
        alerts_of.setdefault(event_id, []).append(alert_id)
    events = await store.events_by_id(tenant, list(alerts_of))
    items: list[tuple[datetime, int, str, dict[str, Any]]] = []
    for stored in alerts:
        a = stored.alert
        items.append(
            (
                a.first_seen,
                0,
                a.id,
                {
                    "type": "alert",
                    "time": format_time(a.first_seen),
                    "alert": {
                        "id": a.id,
                        "rule_id": a.rule_id,
                        "title": a.title,
                        "severity": a.severity.value,
                        "status": a.status.value,
                        "event_count": a.event_count,
                        "last_seen": format_time(a.last_seen),
                        "tags": list(a.tags),
                        "entities": dict(a.entities),
                        "disposition": stored.disposition,
                    },
                },
            )
        )
    for event in events:
        items.append(
            (
                event.time,
                1,
                event.id,
                {
                    "type": "event",
                    "time": format_time(event.time),
                    "alert_ids": alerts_of.get(event.id, []),
                    "event": event.to_dict(),
                },
            )
        )
    items.sort(key=lambda item: (item[0], item[1], item[2]))
    return {
        "timeline": [item[3] for item in items],
        "truncated": len(alert_rows) > MAX_TIMELINE_ALERTS or len(links) > MAX_TIMELINE_EVENTS,
    }
