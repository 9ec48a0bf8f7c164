"""Routes: ``POST /api/v1/scan`` (the guard for apps that do not use the gateway) and the
response actions ``/api/v1/blocks``.

Scan takes the ``ingest`` scope: it is what an application's own key does on its request path,
like sending events, and the key's app selects the policy; analysts' ``read`` keys have no
reason to run it. A scan that finds something is published as a ``guard_decision`` event
(attributes only, never content), so SDK blocks and redactions raise alerts like the gateway's.
Blocks are listed with ``read`` and changed with ``admin``.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from garrison.errors import GarrisonError, NotFoundError, ValidationError
from garrison.guard.api import (
    Decision,
    Exchange,
    Guard,
    GuardContext,
)
from garrison.guard.messages import messages_from, tool_call_from
from garrison.guard.types import result_dict
from garrison.model import Event, EventKind, Source, uuid7
from garrison.web.auth import Principal
from garrison.web.deps import json_response, pipeline_of, requires

router = APIRouter(prefix="/api/v1", tags=["guard"])


def guard_of(request: Request) -> Guard:
    guard = request.app.state.services.get("guard")
    if not isinstance(guard, Guard):
        raise NotFoundError("the guard is disabled on this server (guard.enabled: false)")
    return guard


class ScanBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    direction: Literal["input", "output", "tool_call"] = "input"
    messages: list[dict[str, Any]] | None = Field(default=None, max_length=10_000)
    text: str | None = None
    channel: str = "user"
    tool_calls: list[dict[str, Any]] = Field(default_factory=list, max_length=1000)
    tool_call: dict[str, Any] | None = None
    exchange: dict[str, Any] | None = None
    app: str | None = Field(default=None, min_length=1, max_length=512)
    principal: str | None = Field(default=None, max_length=512)
    session_id: str | None = Field(default=None, max_length=512)
    publish: bool = True


async def run_scan(guard: Guard, body: ScanBody, ctx: GuardContext) -> tuple[Decision, Exchange]:
    exchange = Exchange.from_dict(body.exchange)
    if body.direction == "input":
        if body.messages is None and body.text is None:
            raise ValidationError(
                "messages: give messages or text to scan", details={"field": "messages"}
            )
        if body.messages is not None:
            messages = messages_from(body.messages)
        else:
            role = body.channel if body.channel in ("system", "user", "tool") else "user"
            messages = messages_from(
                [{"role": role, "content": body.text, "channel": body.channel}]
            )
        gate = await guard.check_principal(ctx)
        if gate.blocked:
            return gate, exchange
        decision = await guard.scan_input(messages, ctx)
        return decision, decision.exchange
    if body.direction == "output":
        calls = [tool_call_from(c, f"tool_calls[{i}]") for i, c in enumerate(body.tool_calls)]
        return await guard.scan_output(body.text, calls, ctx, exchange), exchange
    if body.tool_call is None:
        raise ValidationError(
            "tool_call: required for direction tool_call", details={"field": "tool_call"}
        )
    call = tool_call_from(body.tool_call, "tool_call")
    return await guard.check_tool_call(call, ctx, exchange), exchange


@router.post("/scan", summary="Run the app's guard policy over messages, an answer or a tool call")
async def scan(
    request: Request,
    body: ScanBody,
    principal: Principal = Depends(requires("ingest")),  # noqa: B008
) -> Response:
    guard = guard_of(request)
    ctx = GuardContext(
        tenant=principal.tenant,
        app=principal.app or body.app or "default",
        principal=body.principal,
        session_id=body.session_id,
        key_id=principal.key_id,
    )
    decision, exchange = await run_scan(guard, body, ctx)
    if body.publish and decision.violations:
        now = datetime.now(UTC)
        event = Event(
            id=uuid7(int(now.timestamp() * 1000)),
            time=now,
            tenant=ctx.tenant,
            app=ctx.app,
            kind=EventKind.GUARD_DECISION,
            source=Source.SDK,
            session_id=ctx.session_id,
            principal=ctx.principal,
            operation="run_guardrail",
            attributes=decision.attributes(),
        )
        with contextlib.suppress(GarrisonError):  # the decision stands when the queue is full
            await pipeline_of(request).publish([event])
    return json_response(result_dict(decision, exchange))


# --- response actions ----------------------------------------------------------------------------


class BlockBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["principal", "session"]
    value: str = Field(min_length=1, max_length=512)
    duration_s: int | None = Field(default=3600, ge=1, le=366 * 86400)
    reason: str = Field(min_length=1, max_length=500)
    action: Literal["block", "rate_limit"] = "block"
    rate_limit_per_min: int | None = Field(default=None, ge=1, le=100_000)


def _blocks(request: Request) -> Any:
    blocks = guard_of(request).blocks
    if blocks is None:
        raise NotFoundError("response actions are not available on this server")
    return blocks


@router.get("/blocks", summary="Principals and sessions blocked or rate-limited")
async def list_blocks(
    request: Request,
    include_inactive: bool = Query(default=False, description="also lifted and expired ones"),
    principal: Principal = Depends(requires("read")),  # noqa: B008
) -> Response:
    found = await _blocks(request).listing(principal.tenant, include_inactive=include_inactive)
    now = datetime.now(UTC)
    return json_response({"blocks": [{**b.to_dict(), "active": b.active(now)} for b in found]})


@router.post("/blocks", summary="Block or rate-limit a principal or session", status_code=201)
async def create_block(
    request: Request,
    body: BlockBody,
    principal: Principal = Depends(requires("admin")),  # noqa: B008
) -> Response:
    block = await _blocks(request).block(
        principal.tenant,
        body.kind,
        body.value,
        duration_s=body.duration_s,
        reason=body.reason,
        actor=principal.key_id,
        action=body.action,
        rate_limit_per_min=body.rate_limit_per_min,
    )
    return json_response({**block.to_dict(), "active": True}, status=201)


@router.delete("/blocks/{block_id}", summary="Lift a block now")
async def lift_block(
    request: Request,
    block_id: str,
    principal: Principal = Depends(requires("admin")),  # noqa: B008
) -> Response:
    block = await _blocks(request).lift(principal.tenant, block_id, principal.key_id)
    return json_response({**block.to_dict(), "active": False})
