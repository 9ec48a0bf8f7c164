"""OTLP/HTTP receivers: ``POST /v1/traces``, ``/v1/logs`` (and ``/v1/metrics``, accepted and
discarded so an exporter configured with one endpoint for all signals does not error).

Protobuf or JSON, identity/gzip/deflate; the response uses the request's content type, with
``partial_success`` when some spans or records were unusable. A full queue answers 429 with
Retry-After (retryable for OTLP exporters); a malformed body 400 (not retryable).
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from garrison.errors import UnsupportedMediaType
from garrison.web.auth import Principal
from garrison.web.body import media_type, read_body
from garrison.web.deps import pipeline_of, requires

router = APIRouter(tags=["otlp"])

Encoding = Literal["protobuf", "json"]
_MEDIA: dict[str, Encoding] = {
    "application/x-protobuf": "protobuf",
    "application/protobuf": "protobuf",
    "application/json": "json",
}
_RESPONSE_TYPE = {"protobuf": "application/x-protobuf", "json": "application/json"}

_OTLP_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-protobuf": {"schema": {"type": "string", "format": "binary"}},
            "application/json": {"schema": {"type": "object"}},
        },
    },
    "responses": {
        "200": {"description": "Export*ServiceResponse, with partial_success when rejected > 0"},
        "400": {"description": "malformed payload"},
        "413": {"description": "body over the limit after decompression"},
        "415": {"description": "unsupported content type or encoding"},
        "429": {"description": "queue full; retry after Retry-After seconds"},
    },
}


def _encoding(request: Request) -> Encoding:
    kind = media_type(request)
    encoding = _MEDIA.get(kind)
    if encoding is None:
        raise UnsupportedMediaType(
            f"content-type {kind or '(none)'!r} is not OTLP; "
            "use application/x-protobuf or application/json",
            details={"content_type": kind},
        )
    return encoding


@router.post("/v1/traces", summary="OTLP/HTTP traces", openapi_extra=_OTLP_DOC)
async def otlp_traces(
    request: Request,
    principal: Principal = Depends(requires("ingest")),  # noqa: B008
) -> Response:
    from garrison.telemetry.otlp import decode_traces, traces_response

    encoding = _encoding(request)
    body = await read_body(request, request.app.state.settings.max_body_bytes)
    result = decode_traces(body, encoding, tenant=principal.tenant)
    if result.events:
        await pipeline_of(request).publish(result.events)
    return Response(traces_response(result, encoding), media_type=_RESPONSE_TYPE[encoding])


@router.post("/v1/logs", summary="OTLP/HTTP logs", openapi_extra=_OTLP_DOC)
async def otlp_logs(
    request: Request,
    principal: Principal = Depends(requires("ingest")),  # noqa: B008
) -> Response:
    from garrison.telemetry.otlp import decode_logs, logs_response

    encoding = _encoding(request)
    body = await read_body(request, request.app.state.settings.max_body_bytes)
    result = decode_logs(body, encoding, tenant=principal.tenant)
    if result.events:
        await pipeline_of(request).publish(result.events)
    return Response(logs_response(result, encoding), media_type=_RESPONSE_TYPE[encoding])


@router.post(
    "/v1/metrics",
    summary="OTLP/HTTP metrics (validated, not stored)",
    openapi_extra=_OTLP_DOC,
)
async def otlp_metrics(
    request: Request,
    principal: Principal = Depends(requires("ingest")),  # noqa: B008
) -> Response:
    from garrison.telemetry.otlp import check_metrics

    encoding = _encoding(request)
    body = await read_body(request, request.app.state.settings.max_body_bytes)
    response = check_metrics(body, encoding)
    return Response(response, media_type=_RESPONSE_TYPE[encoding])
