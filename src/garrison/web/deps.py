"""Request dependencies shared by the routers: the caller's principal, checked for a scope."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

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
