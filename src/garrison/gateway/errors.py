"""The gateway's errors, and how every gateway error is shown: in OpenAI's error shape.

OpenAI clients (the official SDK first) parse ``{"error": {"message", "type", "param", "code"}}``
and pick their exception class from the HTTP status, so gateway routes answer in that shape
instead of Garrison's envelope. Messages never carry the provider key or request content.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

from garrison.errors import BackpressureError, GarrisonError

POLICY_TYPE = "garrison_policy_violation"

_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "invalid_request_error",
    415: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
    502: "upstream_error",
    503: "upstream_error",
    504: "upstream_timeout",
}


class UpstreamError(GarrisonError):
    """The model provider could not be reached or answered with a server error."""

    status = 502
    code = "upstream_error"


class UpstreamTimeout(UpstreamError):
    """The model provider did not connect or answer within the configured timeout."""

    status = 504
    code = "upstream_timeout"


class UpstreamRejected(GarrisonError):
    """The provider refused the request itself (4xx other than credentials): the caller's
    problem, shown with the provider's status and its (scrubbed) message."""

    code = "upstream_rejected"

    def __init__(self, status: int, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.status_code = status
        self.param = param


def error_body(message: str, type_: str, code: str | None, param: str | None = None) -> bytes:
    return orjson.dumps(
        {"error": {"message": message, "type": type_, "param": param, "code": code}}
    )


def openai_error(
    status: int,
    message: str,
    *,
    type_: str | None = None,
    code: str | None = None,
    param: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body = error_body(message, type_ or _TYPES.get(status, "server_error"), code, param)
    return Response(body, status, headers=headers, media_type="application/json")


def from_garrison(exc: GarrisonError) -> Response:
    """Any Garrison error in OpenAI's shape, with the same status the envelope would use."""
    if isinstance(exc, UpstreamRejected):
        return openai_error(exc.status_code, exc.message, code=exc.code, param=exc.param)
    headers: dict[str, str] = {}
    if isinstance(exc, BackpressureError):
        headers["Retry-After"] = str(exc.retry_after)
    param: Any = exc.details.get("field") or exc.details.get("param")
    return openai_error(
        exc.status,
        exc.message,
        code=exc.code,
        param=param if isinstance(param, str) else None,
        headers=headers or None,
    )
