"""Alerts and hunting over the API: list and read alerts (with their events and findings), triage
them (PATCH with optimistic concurrency, comments), and read-only SQL over the caller's tenant
(DuckDB allows one process, so `garrison hunt` comes here when a server holds the store).

Edits need ``If-Match`` with the ETag of a GET (the alert's ``version``): missing is 428, stale
is 409 naming the current version. Viewing and triage need the ``read`` scope (see
docs/response.md for why); every edit is in the audit log under the caller's key id.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from garrison.errors import NotFoundError, PreconditionError, ValidationError
from garrison.model.alert import AlertStatus, Severity
from garrison.model.event import normalize_hex_id, parse_time
from garrison.response import lifecycle
from garrison.response.events import ResponseChange
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
    store = pipeline_of(request).store
    page = await store.query_alerts(query)
    notes = await lifecycle.alert_annotations(store, principal.tenant, [a.id for a in page.alerts])
    alerts = []
    for alert in page.alerts:
        data = alert.to_dict()
        data["disposition"], data["incident_id"] = notes.get(alert.id, (None, None))
        alerts.append(data)
    return json_response({"alerts": alerts, "next_cursor": page.next_cursor})


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
    notes = await lifecycle.alert_annotations(store, principal.tenant, [alert.id])
    data["disposition"], data["incident_id"] = notes.get(alert.id, (None, None))
    data["events"] = events
    return with_etag(data, alert.version)


# --- triage -------------------------------------------------------------------------------------


def etag(version: int) -> str:
    return f'"{version}"'


def with_etag(data: object, version: int, status: int = 200) -> Response:
    response = json_response(data, status)
    response.headers["ETag"] = etag(version)
    return response


def if_match(request: Request) -> int:
    """The version named by ``If-Match`` (the ETag of a GET); 428 when missing."""
    value = request.headers.get("if-match")
    if value is None:
        raise PreconditionError(
            "If-Match is required: send the ETag of your GET so a concurrent edit is not lost",
            details={"header": "If-Match"},
        )
    text = value.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise ValidationError(
            'If-Match: expected the ETag of a GET, e.g. "3"', details={"header": "If-Match"}
        )
    return int(text)


class TriagePatch(BaseModel):
    """What a person may change on an alert or incident; absent fields stay, null clears."""

    model_config = ConfigDict(extra="forbid")

    status: AlertStatus | None = None
    assignee: str | None = Field(default=None, min_length=1, max_length=200)
    disposition: str | None = Field(default=None, max_length=2000)

    def changes(self) -> dict[str, Any]:
        fields = {name: getattr(self, name) for name in self.model_fields_set}
        if not fields:
            raise ValidationError(
                "body: name at least one of status, assignee, disposition",
                details={"field": "body"},
            )
        if "status" in fields and fields["status"] is None:
            raise ValidationError("status: may not be null", details={"field": "status"})
        return fields


class CommentBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(min_length=1, max_length=lifecycle.MAX_COMMENT)


async def publish(request: Request, change: ResponseChange | None) -> None:
    """Tell the response service's subscribers (notifications, actions) about a person's edit."""
    service = request.app.state.services.get("response")
    if change is not None and service is not None:
        await service.publish([change])


@router.patch("/alerts/{alert_id}", summary="Triage an alert (needs If-Match: its ETag)")
async def patch_alert(
    request: Request,
    alert_id: str,
    body: TriagePatch,
    principal: Principal = Depends(requires("read")),  # noqa: B008
) -> Response:
    fields = body.changes()
    version = if_match(request)
    data, change = await lifecycle.patch_alert(
        pipeline_of(request).store,
        principal.tenant,
        alert_id,
        expected_version=version,
        fields=fields,
        actor=principal.key_id,
    )
    await publish(request, change)
    return with_etag(data, int(data["version"]))


@router.get("/alerts/{alert_id}/comments", summary="An alert's comments, oldest first")
async def list_alert_comments(
    request: Request,
    alert_id: str,
    principal: Principal = Depends(requires("read")),  # noqa: B008
) -> Response:
    comments = await lifecycle.list_comments(
        pipeline_of(request).store, principal.tenant, "alert", alert_id
    )
    return json_response({"comments": comments})


@router.post("/alerts/{alert_id}/comments", summary="Comment on an alert", status_code=201)
async def add_alert_comment(
    request: Request,
    alert_id: str,
    body: CommentBody,
    principal: Principal = Depends(requires("read")),  # noqa: B008
) -> Response:
    comment = await lifecycle.add_comment(
        pipeline_of(request).store,
        principal.tenant,
        "alert",
        alert_id,
        author=principal.key_id,
        body=body.body,
    )
    return json_response(comment, status=201)


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
