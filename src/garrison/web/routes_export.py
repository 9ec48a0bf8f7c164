"""SIEM export and the delivery queue over the API.

``GET /api/v1/export/ocsf`` returns the caller's alerts of a period as OCSF Detection Findings
(NDJSON by default, or one JSON array); ``/api/v1/deliveries`` lists what the actions subsystem
sent or failed to send (dead letters included) and ``POST .../{id}/retry`` sends one again. Every
read and write is scoped to the caller's tenant; another tenant's delivery is a 404.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from garrison.actions import deliveries as dl
from garrison.actions.ocsf import detection_finding
from garrison.actions.reports import parse_period, period_alerts
from garrison.errors import InputError, ValidationError
from garrison.store.base import MAX_PAGE, Cursor
from garrison.web.auth import Principal
from garrison.web.deps import json_response, pipeline_of, requires

router = APIRouter(prefix="/api/v1", tags=["export"])


@router.get("/export/ocsf", summary="Alerts of a period as OCSF Detection Findings (class 2004)")
async def export_ocsf(
    request: Request,
    principal: Principal = Depends(requires("read")),  # noqa: B008
    since: Annotated[str | None, Query(description="7d / 24h / RFC 3339; default 1d")] = None,
    until: Annotated[str | None, Query(description="RFC 3339 or duration; default now")] = None,
    format: Annotated[str, Query(description="ndjson (default) or json")] = "ndjson",
) -> Response:
    if format not in ("ndjson", "json"):
        raise InputError(
            f"format: {format[:20]!r} is not one of ndjson, json", details={"field": "format"}
        )
    start, end = parse_period(since, until, default="1d")
    store = pipeline_of(request).store
    alerts, cut = await period_alerts(store, principal.tenant, start, end)
    findings = [detection_finding(a.to_dict()) for a in alerts]
    headers = {"X-Garrison-Truncated": "true"} if cut else {}
    if format == "json":
        return Response(orjson.dumps(findings), 200, headers, media_type="application/json")
    body = b"".join(orjson.dumps(f) + b"\n" for f in findings)
    return Response(body, 200, headers, media_type="application/x-ndjson")


def _statuses(values: list[str] | None) -> tuple[str, ...]:
    out: list[str] = []
    for part in (p.strip() for v in values or [] for p in v.split(",")):
        if not part:
            continue
        if part not in dl.STATUSES:
            raise ValidationError(
                f"status: {part[:40]!r} is not one of {', '.join(dl.STATUSES)}",
                details={"field": "status"},
            )
        out.append(part)
    return tuple(out)


@router.get("/deliveries", summary="Deliveries, newest first (filter by status, e.g. dead)")
async def list_deliveries(
    request: Request,
    principal: Principal = Depends(requires("read")),  # noqa: B008
    status: Annotated[list[str] | None, Query(description="repeat or comma-separate")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    cursor: str | None = None,
) -> Response:
    found, nxt = await dl.page(
        pipeline_of(request).store,
        principal.tenant,
        statuses=_statuses(status),
        limit=limit,
        cursor=Cursor.decode(cursor) if cursor else None,
    )
    return json_response({"deliveries": [d.to_dict() for d in found], "next_cursor": nxt})


@router.get("/deliveries/{delivery_id}", summary="One delivery with the payload it sends")
async def get_delivery(
    request: Request,
    delivery_id: str,
    principal: Principal = Depends(requires("read")),  # noqa: B008
) -> Response:
    d = await dl.get(pipeline_of(request).store, principal.tenant, delivery_id)
    return json_response(d.to_dict(payload=True))


@router.post("/deliveries/{delivery_id}/retry", summary="Send a dead or pending delivery again now")
async def retry_delivery(
    request: Request,
    delivery_id: str,
    principal: Principal = Depends(requires("admin")),  # noqa: B008
) -> Response:
    d = await dl.retry(pipeline_of(request).store, principal.tenant, delivery_id, datetime.now(UTC))
    service = request.app.state.services.get("actions")
    if service is not None:
        service.wake()
    return json_response(d.to_dict())
