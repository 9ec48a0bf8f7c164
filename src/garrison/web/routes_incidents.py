"""Incidents, suppressions and the audit log over the API.

Incidents are read with the ``read`` scope and triaged with it too (PATCH with ``If-Match``,
comments), like alerts. Suppressions silence detection for a tenant, so creating and deleting
them needs ``admin`` (listing needs ``read``); the audit log is ``admin`` only. See
docs/response.md.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from garrison.errors import ValidationError
from garrison.model.alert import AlertStatus, Severity
from garrison.model.event import normalize_hex_id, parse_time
from garrison.response import audit, lifecycle, views
from garrison.store.base import MAX_PAGE, Cursor
from garrison.web.auth import Principal
from garrison.web.deps import enum_list, json_response, pipeline_of, requires
from garrison.web.routes_alerts import CommentBody, TriagePatch, if_match, publish, with_etag

router = APIRouter(prefix="/api/v1", tags=["incidents"])

ENTITY_NAME = r"^[a-z][a-z0-9_.]{0,63}$"


@router.get("/incidents", summary="List incidents, most recently active first")
async def list_incidents(
    request: Request,
    principal: Principal = Depends(requires("read")),  # noqa: B008
    since: Annotated[str | None, Query(description="RFC 3339, on last_seen")] = None,
    until: Annotated[str | None, Query(description="RFC 3339, exclusive")] = None,
    severity: Annotated[list[str] | None, Query(description="repeat or comma-separate")] = None,
    status: Annotated[list[str] | None, Query(description="repeat or comma-separate")] = None,
    trace_id: str | None = None,
    session_id: str | None = None,
    principal_id: Annotated[str | None, Query(alias="principal")] = None,
    assignee: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    cursor: str | None = None,
    order: Annotated[str, Query(pattern="^(asc|desc)$")] = "desc",
) -> Response:
    query = views.IncidentQuery(
        tenant=principal.tenant,
        since=parse_time(since, "since") if since else None,
        until=parse_time(until, "until") if until else None,
        severities=enum_list(severity, Severity, "severity"),
        statuses=enum_list(status, AlertStatus, "status"),
        trace_id=normalize_hex_id(trace_id, 32, "trace_id") if trace_id else None,
        session_id=session_id,
        principal=principal_id,
        assignee=assignee,
        limit=limit,
        cursor=Cursor.decode(cursor) if cursor else None,
        descending=order == "desc",
    )
    page = await views.list_incidents(pipeline_of(request).store, query)
    return json_response(
        {"incidents": [i.to_dict() for i in page.incidents], "next_cursor": page.next_cursor}
    )


@router.get("/incidents/{incident_id}", summary="One incident with its timeline")
async def get_incident(
    request: Request,
    incident_id: str,
    principal: Principal = Depends(requires("read")),  # noqa: B008
) -> Response:
    store = pipeline_of(request).store
    incident = await lifecycle.read_incident(store, principal.tenant, incident_id)
    data = incident.to_dict()
    data.update(await views.timeline(store, incident))
    return with_etag(data, incident.version)


@router.patch("/incidents/{incident_id}", summary="Triage an incident (needs If-Match)")
async def patch_incident(
    request: Request,
    incident_id: str,
    body: TriagePatch,
    principal: Principal = Depends(requires("read")),  # noqa: B008
) -> Response:
    fields = body.changes()
    version = if_match(request)
    incident, change = await lifecycle.patch_incident(
        pipeline_of(request).store,
        principal.tenant,
        incident_id,
        expected_version=version,
        fields=fields,
        actor=principal.key_id,
    )
    await publish(request, change)
    return with_etag(incident.to_dict(), incident.version)


@router.get("/incidents/{incident_id}/comments", summary="An incident's comments, oldest first")
async def list_incident_comments(
    request: Request,
    incident_id: str,
    principal: Principal = Depends(requires("read")),  # noqa: B008
) -> Response:
    comments = await lifecycle.list_comments(
        pipeline_of(request).store, principal.tenant, "incident", incident_id
    )
    return json_response({"comments": comments})


@router.post("/incidents/{incident_id}/comments", summary="Comment on an incident", status_code=201)
async def add_incident_comment(
    request: Request,
    incident_id: str,
    body: CommentBody,
    principal: Principal = Depends(requires("read")),  # noqa: B008
) -> Response:
    comment = await lifecycle.add_comment(
        pipeline_of(request).store,
        principal.tenant,
        "incident",
        incident_id,
        author=principal.key_id,
        body=body.body,
    )
    return json_response(comment, status=201)


# --- suppressions -------------------------------------------------------------------------------


class SuppressionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule_id: str | None = Field(default=None, min_length=1, max_length=200)
    match: dict[
        Annotated[str, Field(pattern=ENTITY_NAME)], Annotated[str, Field(max_length=256)]
    ] = Field(default_factory=dict, max_length=16)
    reason: str = Field(min_length=1, max_length=1000)
    expires_at: str | None = Field(default=None, description="RFC 3339")
    ttl_s: int | None = Field(default=None, ge=1, le=10 * 365 * 86400)


@router.get("/suppressions", summary="The tenant's suppressions, with their hit counts")
async def list_suppressions(
    request: Request,
    principal: Principal = Depends(requires("read")),  # noqa: B008
) -> Response:
    found = await lifecycle.list_suppressions(pipeline_of(request).store, principal.tenant)
    now = datetime.now(UTC)
    return json_response(
        {"suppressions": [{**s.to_dict(), "active": s.active(now)} for s in found]}
    )


@router.post("/suppressions", summary="Stop a known-benign pattern from alerting", status_code=201)
async def create_suppression(
    request: Request,
    body: SuppressionBody,
    principal: Principal = Depends(requires("admin")),  # noqa: B008
) -> Response:
    if body.expires_at is not None and body.ttl_s is not None:
        raise ValidationError(
            "expires_at, ttl_s: give one or the other", details={"field": "ttl_s"}
        )
    expires = parse_time(body.expires_at, "expires_at") if body.expires_at else None
    if body.ttl_s is not None:
        expires = datetime.now(UTC) + timedelta(seconds=body.ttl_s)
    suppression = await lifecycle.create_suppression(
        pipeline_of(request).store,
        principal.tenant,
        rule_id=body.rule_id,
        match=body.match,
        reason=body.reason,
        expires_at=expires,
        actor=principal.key_id,
    )
    return json_response({**suppression.to_dict(), "active": True}, status=201)


@router.delete("/suppressions/{suppression_id}", summary="Remove a suppression", status_code=204)
async def delete_suppression(
    request: Request,
    suppression_id: str,
    principal: Principal = Depends(requires("admin")),  # noqa: B008
) -> Response:
    await lifecycle.delete_suppression(
        pipeline_of(request).store, principal.tenant, suppression_id, actor=principal.key_id
    )
    return Response(status_code=204)


# --- audit --------------------------------------------------------------------------------------


@router.get("/audit", summary="Who changed what in the response workflow (admin)")
async def list_audit(
    request: Request,
    principal: Principal = Depends(requires("admin")),  # noqa: B008
    since: Annotated[str | None, Query(description="RFC 3339")] = None,
    target_type: Annotated[str | None, Query(pattern="^(alert|incident|suppression)$")] = None,
    target_id: str | None = None,
    actor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    cursor: str | None = None,
) -> Response:
    page = await audit.query(
        pipeline_of(request).store,
        principal.tenant,
        since=parse_time(since, "since") if since else None,
        target_type=target_type,
        target_id=target_id,
        actor=actor,
        limit=limit,
        cursor=Cursor.decode(cursor) if cursor else None,
    )
    return json_response({"entries": page.entries, "next_cursor": page.next_cursor})
