"""Garrison's own events API: post a batch, list with filters and cursors, read a trace or a
session. Every read is scoped to the caller's tenant; another tenant's trace is a 404.

A posted batch is validated whole before anything is enqueued: one bad event rejects the batch
(422 naming its index and field) and nothing of it is stored.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from garrison.errors import DecodeError, NotFoundError, StoreError, ValidationError
from garrison.model import EventKind, Source
from garrison.model.event import event_from_dict, normalize_hex_id, parse_time
from garrison.store.base import MAX_PAGE, Cursor, EventQuery
from garrison.web.auth import Principal
from garrison.web.body import media_type, read_body
from garrison.web.deps import enum_list, json_response, pipeline_of, requires

router = APIRouter(prefix="/api/v1", tags=["events"])

MAX_BATCH = 10_000
WAIT_TIMEOUT_S = 30.0


@router.post(
    "/events",
    summary="Ingest a batch of events in Garrison's JSON",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "oneOf": [
                            {"type": "array", "items": {"type": "object"}},
                            {
                                "type": "object",
                                "properties": {"events": {"type": "array"}},
                                "required": ["events"],
                            },
                        ]
                    }
                }
            },
        }
    },
    responses={
        200: {"description": "committed (wait=true)"},
        202: {"description": "accepted into the pipeline"},
    },
)
async def post_events(
    request: Request,
    principal: Principal = Depends(requires("ingest")),  # noqa: B008
    wait: Annotated[bool, Query(description="answer only once the batch is stored")] = False,
) -> Response:
    kind = media_type(request)
    if kind != "application/json":
        from garrison.errors import UnsupportedMediaType

        raise UnsupportedMediaType(
            f"content-type {kind or '(none)'!r}: send application/json",
            details={"content_type": kind},
        )
    body = await read_body(request, request.app.state.settings.max_body_bytes)
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise DecodeError(f"body is not valid JSON: {exc}") from None
    items: Any = data.get("events") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValidationError(
            "body must be a JSON array of events or an object with an 'events' array",
            details={"field": "events"},
        )
    if len(items) > MAX_BATCH:
        raise ValidationError(
            f"a batch holds at most {MAX_BATCH} events; got {len(items)}",
            details={"field": "events", "limit": MAX_BATCH},
        )
    now = datetime.now(UTC)
    events = []
    for index, item in enumerate(items):
        try:
            events.append(
                event_from_dict(
                    item,
                    tenant=principal.tenant,
                    source=Source.API,
                    where=f"events[{index}]",
                    now=now,
                )
            )
        except ValidationError as exc:
            exc.details["index"] = index
            raise
    ticket = await pipeline_of(request).publish(events)
    if not wait:
        return json_response({"accepted": len(events), "ids": [e.id for e in events]}, 202)
    try:
        await asyncio.wait_for(ticket.committed(), WAIT_TIMEOUT_S)
    except TimeoutError:
        raise StoreError(
            f"the batch was accepted but not stored within {WAIT_TIMEOUT_S:.0f}s; "
            "it stays queued and will be stored"
        ) from None
    return json_response({"accepted": len(events), "stored": True, "ids": [e.id for e in events]})


def _opt_time(value: str | None, name: str) -> datetime | None:
    return parse_time(value, name) if value else None


@router.get("/events", summary="List events (filters, cursor pagination)")
async def list_events(
    request: Request,
    principal: Principal = Depends(requires("read")),  # noqa: B008
    since: Annotated[str | None, Query(description="RFC 3339, inclusive")] = None,
    until: Annotated[str | None, Query(description="RFC 3339, exclusive")] = None,
    app: str | None = None,
    session_id: str | None = None,
    trace_id: str | None = None,
    principal_id: Annotated[
        str | None, Query(alias="principal", description="end user / caller identity")
    ] = None,
    kind: Annotated[
        list[str] | None, Query(description="repeat or comma-separate: prompt,completion,…")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    cursor: str | None = None,
    order: Annotated[str, Query(pattern="^(asc|desc)$")] = "asc",
) -> Response:
    kinds = enum_list(kind, EventKind, "kind")
    query = EventQuery(
        tenant=principal.tenant,
        since=_opt_time(since, "since"),
        until=_opt_time(until, "until"),
        app=app,
        session_id=session_id,
        trace_id=normalize_hex_id(trace_id, 32, "trace_id") if trace_id else None,
        principal=principal_id,
        kinds=kinds,
        limit=limit,
        cursor=Cursor.decode(cursor) if cursor else None,
        descending=order == "desc",
    )
    page = await pipeline_of(request).store.query_events(query)
    return json_response(
        {"events": [e.to_dict() for e in page.events], "next_cursor": page.next_cursor}
    )


@router.get("/traces/{trace_id}", summary="All events of one trace, in time order")
async def get_trace(
    request: Request,
    trace_id: str,
    principal: Principal = Depends(requires("read")),  # noqa: B008
) -> Response:
    normalized = normalize_hex_id(trace_id, 32, "trace_id")
    events = (
        await pipeline_of(request).store.trace_events(principal.tenant, normalized)
        if normalized
        else []
    )
    if not events:
        raise NotFoundError(f"no trace {trace_id}", details={"trace_id": trace_id})
    return json_response({"trace_id": normalized, "events": [e.to_dict() for e in events]})


@router.get("/sessions/{session_id}", summary="All events of one session, in time order")
async def get_session(
    request: Request,
    session_id: str,
    principal: Principal = Depends(requires("read")),  # noqa: B008
) -> Response:
    events = await pipeline_of(request).store.session_events(principal.tenant, session_id)
    if not events:
        raise NotFoundError("no such session", details={"session_id": session_id})
    traces = sorted({e.trace_id for e in events if e.trace_id})
    return json_response(
        {"session_id": session_id, "traces": traces, "events": [e.to_dict() for e in events]}
    )
