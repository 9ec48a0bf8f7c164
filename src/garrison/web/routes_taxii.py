"""A read-only TAXII 2.1 server, so other teams and tools can pull Garrison's indicators and the
sightings it generated (``GET /taxii2/`` discovery, one API root ``/taxii2/garrison/``).

Each tenant sees exactly one collection, "Garrison intel" (id: UUIDv5 of the tenant), holding
every STIX object of that tenant: imported or converted indicators and Garrison's sightings.
Another tenant's collection id is a 404. Authentication is a Garrison API key with the ``read``
scope, as ``Authorization: Bearer <key>`` or HTTP Basic with the key as the password (what most
TAXII clients can send); the user name is ignored.

Objects page in ``date_added`` order: ``added_after`` (exclusive), ``limit`` (at most 1,000),
``next`` (an opaque token from the previous page) and ``match[type]`` / ``match[id]`` filters;
``X-TAXII-Date-Added-First`` / ``-Last`` name the page's range, so a client can resume from
``Last``. Responses use ``application/taxii+json;version=2.1``; a request whose ``Accept`` does
not allow it is refused with 406. Errors use Garrison's error envelope.
"""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from garrison.errors import AuthError, GarrisonError, InputError, NotFoundError
from garrison.intel.repo import IntelRepo
from garrison.intel.stix import NAMESPACE, STIX_MEDIA_TYPE, format_time
from garrison.web.auth import KeyVerifier, Principal
from garrison.web.deps import pipeline_of

TAXII_MEDIA_TYPE = "application/taxii+json;version=2.1"
API_ROOT = "garrison"
MAX_LIMIT = 1000

router = APIRouter(prefix="/taxii2", tags=["taxii"])


class NotAcceptableError(GarrisonError):
    status = 406
    code = "not_acceptable"


def _acceptable(header: str | None) -> bool:
    if not header:
        return True
    for part in header.split(","):
        kind, *params = (p.strip().lower() for p in part.split(";"))
        if kind in ("*/*", "application/*"):
            return True
        if kind == "application/taxii+json":
            version = [p for p in params if p.replace(" ", "").startswith("version=")]
            if not version or version[0].replace(" ", "") == "version=2.1":
                return True
    return False


async def _principal(request: Request) -> Principal:
    if not _acceptable(request.headers.get("accept")):
        raise NotAcceptableError(
            f"this server answers {TAXII_MEDIA_TYPE}; the Accept header does not allow it",
            details={"accept": (request.headers.get("accept") or "")[:100]},
        )
    header = request.headers.get("authorization")
    if header and header[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
        except (ValueError, UnicodeDecodeError):
            raise AuthError("malformed Basic credentials") from None
        header = f"Bearer {decoded.partition(':')[2]}"
    verifier: KeyVerifier = request.app.state.verifier
    principal = await verifier.verify(header)
    principal.require("read")
    return principal


def _taxii(data: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(data), 200, media_type=TAXII_MEDIA_TYPE, headers=headers)


def collection_id(tenant: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"taxii-collection|{tenant}"))


def _collection(tenant: str) -> dict[str, Any]:
    return {
        "id": collection_id(tenant),
        "title": "Garrison intel",
        "description": "Indicators held by Garrison for this tenant, and Garrison's sightings "
        "of them in AI traffic",
        "can_read": True,
        "can_write": False,
        "media_types": [STIX_MEDIA_TYPE],
    }


def _check_collection(principal: Principal, ident: str) -> None:
    if ident != collection_id(principal.tenant):
        raise NotFoundError("no such collection", details={"collection": ident[:64]})


def _parse_added_after(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        t = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(
            "added_after: not an RFC 3339 timestamp", details={"added_after": text[:40]}
        ) from None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _encode_next(added: datetime, ident: str) -> str:
    raw = f"{format_time(added)}|{ident}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_next(token: str | None) -> tuple[datetime, str] | None:
    if not token:
        return None
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        stamp, _, ident = text.partition("|")
        added = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except (ValueError, UnicodeDecodeError):
        raise InputError("next: not a token this server returned") from None
    if not ident:
        raise InputError("next: not a token this server returned")
    return added, ident


@router.get("/", summary="TAXII 2.1 discovery")
async def discovery(request: Request) -> Response:
    await _principal(request)
    root = str(request.base_url).rstrip("/") + f"/taxii2/{API_ROOT}/"
    return _taxii(
        {
            "title": "Garrison TAXII server",
            "description": "Indicators and sightings from Garrison, read-only",
            "default": root,
            "api_roots": [root],
        }
    )


@router.get(f"/{API_ROOT}/", summary="TAXII 2.1 API root")
async def api_root(request: Request) -> Response:
    await _principal(request)
    return _taxii(
        {
            "title": "Garrison",
            "versions": [TAXII_MEDIA_TYPE],
            "max_content_length": int(request.app.state.settings.max_body_bytes),
        }
    )


@router.get(f"/{API_ROOT}/collections/", summary="Your collection")
async def collections(request: Request) -> Response:
    principal = await _principal(request)
    return _taxii({"collections": [_collection(principal.tenant)]})


@router.get(f"/{API_ROOT}/collections/{{ident}}/", summary="One collection")
async def collection(request: Request, ident: str) -> Response:
    principal = await _principal(request)
    _check_collection(principal, ident)
    return _taxii(_collection(principal.tenant))


async def _page(
    request: Request,
    principal: Principal,
    added_after: str | None,
    limit: int,
    next_token: str | None,
    types: list[str] | None,
    ids: list[str] | None,
) -> tuple[list[Any], bool, dict[str, str], str | None]:
    objects, more = await IntelRepo(pipeline_of(request).store).objects_page(
        principal.tenant,
        added_after=_parse_added_after(added_after),
        after=_decode_next(next_token),
        types=[t for v in types or [] for t in v.split(",") if t],
        ids=[i for v in ids or [] for i in v.split(",") if i],
        limit=min(limit, MAX_LIMIT),
    )
    headers: dict[str, str] = {}
    if objects:
        headers["X-TAXII-Date-Added-First"] = format_time(objects[0].added_at)
        headers["X-TAXII-Date-Added-Last"] = format_time(objects[-1].added_at)
    token = _encode_next(objects[-1].added_at, objects[-1].id) if more and objects else None
    return objects, more, headers, token


@router.get(f"/{API_ROOT}/collections/{{ident}}/objects/", summary="Objects, paged")
async def objects(
    request: Request,
    ident: str,
    added_after: str | None = None,
    limit: Annotated[int, Query(ge=1)] = 100,
    next: str | None = None,
    match_type: Annotated[list[str] | None, Query(alias="match[type]")] = None,
    match_id: Annotated[list[str] | None, Query(alias="match[id]")] = None,
) -> Response:
    principal = await _principal(request)
    _check_collection(principal, ident)
    found, more, headers, token = await _page(
        request, principal, added_after, limit, next, match_type, match_id
    )
    envelope: dict[str, Any] = {"more": more, "objects": [o.object for o in found]}
    if token:
        envelope["next"] = token
    return _taxii(envelope, headers)


@router.get(f"/{API_ROOT}/collections/{{ident}}/objects/{{object_id}}/", summary="One object")
async def one_object(request: Request, ident: str, object_id: str) -> Response:
    principal = await _principal(request)
    _check_collection(principal, ident)
    found, _, headers, _ = await _page(request, principal, None, 1, None, None, [object_id])
    if not found:
        raise NotFoundError("no such object", details={"object": object_id[:100]})
    return _taxii({"more": False, "objects": [found[0].object]}, headers)


@router.get(f"/{API_ROOT}/collections/{{ident}}/manifest/", summary="Manifest, paged")
async def manifest(
    request: Request,
    ident: str,
    added_after: str | None = None,
    limit: Annotated[int, Query(ge=1)] = 100,
    next: str | None = None,
    match_type: Annotated[list[str] | None, Query(alias="match[type]")] = None,
    match_id: Annotated[list[str] | None, Query(alias="match[id]")] = None,
) -> Response:
    principal = await _principal(request)
    _check_collection(principal, ident)
    found, more, headers, token = await _page(
        request, principal, added_after, limit, next, match_type, match_id
    )
    entries = [
        {
            "id": o.id,
            "date_added": format_time(o.added_at),
            "version": format_time(o.modified),
            "media_type": STIX_MEDIA_TYPE,
        }
        for o in found
    ]
    envelope: dict[str, Any] = {"more": more, "objects": entries}
    if token:
        envelope["next"] = token
    return _taxii(envelope, headers)
