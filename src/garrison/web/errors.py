"""One error envelope for every route: ``{"error": {"code", "message", "details"}}``.

Maps Garrison's error tree, Starlette's HTTP errors (unknown route, wrong method) and FastAPI's
request validation onto it. Unexpected exceptions become a 500 that says nothing about internals;
the traceback goes to the log, never the body, and never with request content.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from garrison.errors import AuthError, BackpressureError, ForbiddenError, GarrisonError

log = logging.getLogger("garrison.web")

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "backpressure",
}


def envelope(
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body = {"error": {"code": code, "message": message, "details": details or {}}}
    return Response(orjson.dumps(body), status, headers=headers, media_type="application/json")


def error_response(exc: GarrisonError) -> Response:
    headers: dict[str, str] = {}
    if isinstance(exc, BackpressureError):
        headers["Retry-After"] = str(exc.retry_after)
    elif isinstance(exc, AuthError) and not isinstance(exc, ForbiddenError):
        headers["WWW-Authenticate"] = 'Bearer realm="garrison"'
    return envelope(exc.status, exc.code, exc.message, exc.details, headers)


def install_error_handlers(app: FastAPI) -> None:
    async def on_garrison(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, GarrisonError)
        if exc.status >= 500:
            log.error("%s: %s", exc.code, exc.message)
        return error_response(exc)

    async def on_http(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return envelope(exc.status_code, code, str(exc.detail), headers=dict(exc.headers or {}))

    async def on_validation(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = [
            {"field": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        first = errors[0] if errors else {"field": "request", "message": "invalid"}
        return envelope(
            422,
            "validation_failed",
            f"{first['field']}: {first['message']}",
            {"errors": errors},
        )

    async def on_unexpected(_: Request, exc: Exception) -> Response:
        log.exception("unexpected error", exc_info=exc)
        return envelope(500, "internal", "internal error; see the server log")

    app.add_exception_handler(GarrisonError, on_garrison)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(Exception, on_unexpected)
