"""Trend reports and the ATLAS Navigator layer over the API, for the caller's tenant.

``GET /api/v1/reports/summary?since=7d&format=html|md|json`` and
``GET /api/v1/reports/navigator?since=30d``. A bad ``since``, ``until`` or ``format`` is a 400
naming the parameter.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from garrison.actions import reports
from garrison.actions.navigator import layer
from garrison.web.auth import Principal
from garrison.web.deps import json_response, pipeline_of, requires

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])

MEDIA = {"json": "application/json", "md": "text/markdown; charset=utf-8"}


@router.get("/summary", summary="Alert and incident trends of a period (JSON, Markdown, HTML)")
async def summary(
    request: Request,
    principal: Principal = Depends(requires("read")),  # noqa: B008
    since: Annotated[str | None, Query(description="7d / 24h / RFC 3339; default 7d")] = None,
    until: Annotated[str | None, Query(description="RFC 3339 or duration; default now")] = None,
    format: Annotated[str, Query(description="json (default), md or html")] = "json",
) -> Response:
    fmt = reports.check_format(format)
    start, end = reports.parse_period(since, until)
    data = await reports.build_summary(pipeline_of(request).store, principal.tenant, start, end)
    if fmt == "json":
        return json_response(data)
    if fmt == "md":
        return Response(reports.render_md(data), 200, media_type=MEDIA["md"])
    return Response(
        reports.render_html(data),
        200,
        {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"},
        media_type="text/html; charset=utf-8",
    )


@router.get("/navigator", summary="An ATLAS Navigator layer scoring observed techniques")
async def navigator(
    request: Request,
    principal: Principal = Depends(requires("read")),  # noqa: B008
    since: Annotated[str | None, Query(description="7d / 24h / RFC 3339; default 30d")] = None,
    until: Annotated[str | None, Query(description="RFC 3339 or duration; default now")] = None,
) -> Response:
    start, end = reports.parse_period(since, until, default="30d")
    store = pipeline_of(request).store
    data = await reports.build_summary(store, principal.tenant, start, end, clusters=False)
    return json_response(layer(data))
