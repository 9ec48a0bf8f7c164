"""What the routers share: the caller's principal checked for a scope, JSON responses, and
list-valued enum query parameters."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import TypeVar

import orjson
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.responses import Response

from garrison.errors import ValidationError
from garrison.pipeline.service import Pipeline
from garrison.web.auth import KeyVerifier, Principal

bearer = HTTPBearer(auto_error=False, description="A Garrison API key: gsk_<id>_<secret>")


def requires(scope: str) -> Callable[..., Awaitable[Principal]]:
    async def dependency(
        request: Request,
        _: HTTPAuthorizationCredentials | None = Depends(bearer),  # noqa: B008 (FastAPI idiom)
    ) -> Principal:
        verifier: KeyVerifier = request.app.state.verifier
        principal = await verifier.verify(request.headers.get("authorization"))
        principal.require(scope)
        return principal

    return dependency


def pipeline_of(request: Request) -> Pipeline:
    pipeline: Pipeline = request.app.state.pipeline
    return pipeline


E = TypeVar("E", bound=StrEnum)


def json_response(data: object, status: int = 200) -> Response:
    return Response(orjson.dumps(data, default=str), status, media_type="application/json")


def enum_list(values: list[str] | None, enum: type[E], name: str) -> tuple[E, ...]:
    """A repeatable, comma-separable query parameter as enum members; 422 names a bad value."""
    out: list[E] = []
    for part in (p.strip() for v in values or [] for p in v.split(",")):
        if not part:
            continue
        try:
            out.append(enum(part))
        except ValueError:
            raise ValidationError(
                f"{name}: {part[:40]!r} is not one of {', '.join(enum)}", details={"field": name}
            ) from None
    return tuple(out)
