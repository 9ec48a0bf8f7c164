"""Threat intelligence over the API: import STIX bundles, MISP events and CSV lists; list
indicators; export STIX; feed state; poll a feed now; the ATLAS catalogue in force.

Imports need the ``admin`` scope (indicators change what every app's traffic is flagged for),
reads the ``read`` scope. Every import is validated whole before anything is stored: an invalid
object, attribute or line is a 422 naming it, and nothing of that request is kept.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from garrison.errors import InputError, NotFoundError, UnsupportedMediaType, ValidationError
from garrison.intel.indicators import IndicatorType
from garrison.intel.repo import IntelRepo, SaveResult
from garrison.intel.stix import STIX_MEDIA_TYPE, StixRecord, load_json
from garrison.web.auth import Principal
from garrison.web.body import media_type, read_body
from garrison.web.deps import json_response, pipeline_of, requires

router = APIRouter(prefix="/api/v1/intel", tags=["intel"])
_SOURCE = r"^[A-Za-z0-9][A-Za-z0-9 ._:/@-]{0,127}$"


def _repo(request: Request) -> IntelRepo:
    return IntelRepo(pipeline_of(request).store)


async def _store(
    request: Request, tenant: str, records: list[StixRecord], source: str
) -> SaveResult:
    service = request.app.state.services.get("intel")
    if service is not None:
        result: SaveResult = await service.import_records(tenant, records, source)
        return result
    return await _repo(request).save(tenant, records, source)


async def _body(request: Request, accepted: tuple[str, ...]) -> bytes:
    kind = media_type(request)
    if kind not in accepted:
        raise UnsupportedMediaType(
            f"content-type {kind or '(none)'!r}: send {' or '.join(accepted)}",
            details={"content_type": kind},
        )
    return await read_body(request, request.app.state.settings.max_body_bytes)


@router.post("/stix", summary="Import a STIX 2.1 bundle (all of it, or nothing)")
async def import_stix(
    request: Request,
    principal: Principal = Depends(requires("admin")),  # noqa: B008
    source: Annotated[str, Query(pattern=_SOURCE)] = "api",
) -> Response:
    from garrison.intel.stix import parse_bundle

    body = await _body(request, ("application/stix+json", "application/json"))
    parsed = parse_bundle(load_json(body), source)
    result = await _store(request, principal.tenant, parsed.records, source)
    result.notes = parsed.notes
    return json_response(result.to_dict())


@router.post("/misp", summary="Import one MISP event (JSON, as MISP feeds publish them)")
async def import_misp(
    request: Request,
    principal: Principal = Depends(requires("admin")),  # noqa: B008
    source: Annotated[str, Query(pattern=_SOURCE)] = "misp",
    include_non_ids: bool = False,
) -> Response:
    from garrison.intel.misp import parse_event
    from garrison.intel.stix import parse_objects

    body = await _body(request, ("application/json",))
    parsed = parse_event(load_json(body, "MISP event"), source, include_non_ids=include_non_ids)
    records = parse_objects(parsed.objects, source).records
    result = await _store(request, principal.tenant, records, source)
    data = result.to_dict()
    data["skipped"] = parsed.skipped
    return json_response(data)


@router.post("/csv", summary="Import a CSV indicator list (type,value,source,confidence,...)")
async def import_csv(
    request: Request,
    principal: Principal = Depends(requires("admin")),  # noqa: B008
    source: Annotated[str, Query(pattern=_SOURCE)] = "csv",
) -> Response:
    from garrison.intel.csvioc import parse_csv
    from garrison.intel.stix import parse_objects

    body = await _body(request, ("text/csv", "text/plain"))
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"CSV is not UTF-8 (byte {exc.start})") from None
    records = parse_objects(parse_csv(text, source), source).records
    result = await _store(request, principal.tenant, records, source)
    return json_response(result.to_dict())


@router.get("/indicators", summary="List indicators (filters, cursor pagination by id)")
async def list_indicators(
    request: Request,
    principal: Principal = Depends(requires("read")),  # noqa: B008
    type: str | None = None,
    source: str | None = None,
    tag: str | None = None,
    value: str | None = None,
    active: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: str | None = None,
) -> Response:
    if type is not None and type not in IndicatorType.__members__.values():
        raise ValidationError(
            f"type: {type[:40]!r} is not one of {', '.join(t.value for t in IndicatorType)}",
            details={"field": "type"},
        )
    found, next_cursor = await _repo(request).list_indicators(
        principal.tenant,
        type=type,
        source=source,
        tag=tag,
        value=value,
        active=active,
        cursor=cursor,
        limit=limit,
    )
    return json_response({"indicators": [i.to_dict() for i in found], "next_cursor": next_cursor})


@router.get("/stix", summary="Export your intel as one STIX 2.1 bundle")
async def export_stix(
    request: Request,
    principal: Principal = Depends(requires("read")),  # noqa: B008
    type: Annotated[list[str] | None, Query(description="STIX types; repeatable")] = None,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 10_000,
) -> Response:
    import orjson

    from garrison.intel.stix import bundle

    objects, _ = await _repo(request).objects_page(
        principal.tenant, types=tuple(type or ()), limit=limit
    )
    return Response(
        orjson.dumps(bundle(o.object for o in objects)), 200, media_type=STIX_MEDIA_TYPE
    )


@router.get("/feeds", summary="Configured feeds of your tenant and their state")
async def list_feeds(
    request: Request,
    principal: Principal = Depends(requires("read")),  # noqa: B008
) -> Response:
    settings = request.app.state.settings.intel
    states = {s.feed: s for s in await _repo(request).feed_states(principal.tenant)}
    feeds: list[dict[str, Any]] = []
    for feed in settings.feeds:
        if feed.tenant != principal.tenant:
            continue
        state = states.pop(feed.name, None)
        entry: dict[str, Any] = {"name": feed.name, "type": feed.type, "configured": True}
        entry["interval_s"] = feed.interval_s
        entry.update(state.to_dict() if state else {"last_ok": None, "last_error": None})
        feeds.append(entry)
    for name, state in states.items():  # state of feeds no longer configured
        feeds.append({"name": name, "configured": False, **state.to_dict()})
    return json_response({"feeds": feeds})


@router.post("/feeds/{name}/poll", summary="Poll one configured feed now")
async def poll_feed(
    request: Request,
    name: str,
    principal: Principal = Depends(requires("admin")),  # noqa: B008
) -> Response:
    service = request.app.state.services.get("intel")
    feed = service.feed(principal.tenant, name) if service is not None else None
    if feed is None:
        raise NotFoundError("no such feed", details={"feed": name[:64]})
    return json_response(await service.poll_feed(feed))


@router.get("/catalog/atlas", summary="The ATLAS catalogue in force (version, where from)")
async def atlas_catalog(
    request: Request,
    principal: Principal = Depends(requires("read")),  # noqa: B008
) -> Response:
    from garrison.intel.catalog import atlas

    cat = atlas()
    return json_response(
        {
            "version": cat.version,
            "origin": "package" if cat.origin == "package" else "synced",
            "tactics": len(cat.tactics),
            "techniques": len(cat.techniques),
            "mitigations": len(cat.mitigations),
            "case_studies": len(cat.case_studies),
        }
    )
