"""API keys over the API, for when the embedded store is held by the running server.

An admin key creates keys for its own tenant only; the new token is in the response once.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from garrison.web.auth import Principal, create_api_key, parse_scopes
from garrison.web.deps import json_response, pipeline_of, requires

router = APIRouter(prefix="/api/v1", tags=["keys"])


class KeyRequest(BaseModel):
    scopes: Annotated[str, Field(description="comma-separated: ingest, read, admin")]
    name: str | None = Field(default=None, max_length=200)
    app: str | None = Field(default=None, max_length=512)


@router.post("/keys", summary="Create an API key in the caller's tenant", status_code=201)
async def create_key(
    request: Request,
    body: KeyRequest,
    principal: Principal = Depends(requires("admin")),  # noqa: B008
) -> Response:
    key, token = await create_api_key(
        pipeline_of(request).store,
        tenant=principal.tenant,
        scopes=parse_scopes(body.scopes),
        name=body.name,
        app=body.app,
    )
    data = {
        "id": key.id,
        "tenant": key.tenant,
        "scopes": sorted(key.scopes),
        "name": key.name,
        "app": key.app,
        "token": token,
    }
    return json_response(data, 201)
