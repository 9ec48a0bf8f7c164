"""Alerts and hunting over the API: list and read alerts (with their events and findings), and
read-only SQL over the caller's tenant (DuckDB allows one process, so `garrison hunt` comes here
when a server holds the store).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from garrison.errors import NotFoundError
from garrison.model.alert import AlertStatus, Severity
from garrison.model.event import normalize_hex_id, parse_time
from garrison.store.base import MAX_PAGE, AlertQuery, Cursor
from garrison.web.auth import Principal
from garrison.web.deps import enum_list, json_response, pipeline_of, requires

router = APIRouter(prefix="/api/v1", tags=["alerts"])


@router.get("/alerts", summary="List alerts, newest first (filters, cursor pagination)")
async def list_alerts(
    request: Request,
    principal: Principal = Depends(requires("read")),  # noqa: B008
    since: Annotated[str | None, Query(description="RFC 3339, on last_seen")] = None,
    until: Annotated[str | None, Query(description="RFC 3339, exclusive")] = None,
    rule: str | None = None,
    severity: Annotated[list[str] | None, Query(description="repeat or comma-separate")] = None,
    status: Annotated[list[str] | None, Query(description="repeat or comma-separate")] = None,
    trace_id: str | None = None,
    session_id: str | None = None,
    principal_id: Annotated[str | None, Query(alias="principal")] = None,
    app: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    cursor: str | None = None,
    order: Annotated[str, Query(pattern="^(asc|desc)$")] = "desc",
) -> Response:
    query = AlertQuery(
        tenant=principal.tenant,
        since=parse_time(since, "since") if since else None,
        until=parse_time(until, "until") if until else None,
        rule=rule,
        severities=enum_list(severity, Severity, "severity"),
        statuses=enum_list(status, AlertStatus, "status"),
        trace_id=normalize_hex_id(trace_id, 32, "trace_id") if trace_id else None,
        session_id=session_id,
        principal=principal_id,
        app=app,
        limit=limit,
        cursor=Cursor.decode(cursor) if cursor else None,
        descending=order == "desc",
    )
    page = await pipeline_of(request).store.query_alerts(query)
    return json_response(
        {"alerts": [a.to_dict() for a in page.alerts], "next_cursor": page.next_cursor}
    )


@router.get("/alerts/{alert_id}", summary="One alert with its events and their findings")
async def get_alert(
    request: Request,
    alert_id: str,
    principal: Principal = Depends(requires("read")),  # noqa: B008
) -> Response:
    store = pipeline_of(request).store
    alert = await store.get_alert(principal.tenant, alert_id)
    if alert is None:
        raise NotFoundError("no such alert", details={"alert_id": alert_id})
    ids = list(alert.event_ids[:200])
    findings = await store.findings_for(principal.tenant, ids)
    events: list[dict[str, Any]] = []
    for e in await store.events_by_id(principal.tenant, ids):
        d = e.to_dict()
        d["findings"] = [f.to_dict() for f in findings.get(e.id, [])]
        events.append(d)
    data = alert.to_dict()
    data["events"] = events
    return json_response(data)


class HuntRequest(BaseModel):
    sql: str = Field(min_length=1, max_length=100_000)
    limit: int = Field(default=1000, ge=1, le=100_000)


@router.post("/hunt", summary="Read-only SQL over your tenant's events, findings and alerts")
async def hunt(
    request: Request,
    body: HuntRequest,
    principal: Principal = Depends(requires("read")),  # noqa: B008
) -> Response:
    result = await pipeline_of(request).store.hunt(principal.tenant, body.sql, limit=body.limit)
    return json_response(
        {
            "columns": result.columns,
            "rows": [list(r) for r in result.rows],
            "truncated": result.truncated,
        }
    )


class BacktestRequest(BaseModel):
    rule: str = Field(min_length=1, max_length=1_000_000, description="Sigma rule YAML")
    ref: str | None = Field(default=None, description="which rule of the text, by id or name")
    since: str = Field(description="RFC 3339")
    until: str | None = None


@router.post("/rules/backtest", summary="What a rule would have fired over your history")
async def backtest_rule(
    request: Request,
    body: BacktestRequest,
    principal: Principal = Depends(requires("read")),  # noqa: B008
) -> Response:
    from datetime import UTC, datetime

    from garrison.detect.backtest import backtest

    result = await backtest(
        pipeline_of(request).store,
        principal.tenant,
        body.rule,
        body.ref,
        parse_time(body.since, "since"),
        parse_time(body.until, "until") if body.until else datetime.now(UTC),
    )
    return json_response(result)
