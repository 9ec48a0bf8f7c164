"""Routes: the guard gateway, OpenAI-compatible (``/v1/chat/completions``, ``/v1/embeddings``,
``/v1/models``) beside the OTLP receivers on the same port.

Callers authenticate with their Garrison key (scope ``ingest``); the tenant comes from the key,
the app from the key's app, else the ``X-Garrison-App`` header, else ``default``. Every error on
these routes is in OpenAI's shape (``{"error": {"message", "type", "param", "code"}}``), because
OpenAI clients parse that and not Garrison's envelope. The exchange itself lives in
``garrison.gateway.chat``; this module only reads the request and answers errors.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

import orjson
from fastapi import APIRouter, Request
from starlette.responses import Response

from garrison.errors import GarrisonError, InputError, NotFoundError
from garrison.gateway import chat
from garrison.gateway.convert import to_chat
from garrison.gateway.errors import from_garrison, openai_error
from garrison.gateway.events import ExchangeRecord, new_trace_id
from garrison.gateway.service import GatewayService
from garrison.guard.api import GuardContext
from garrison.model.event import EventKind, Usage
from garrison.web.auth import KeyVerifier, Principal
from garrison.web.body import read_body

log = logging.getLogger("garrison.gateway")
router = APIRouter(tags=["gateway"])

_APP = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}")
_ID_MAX = 512


def _service(request: Request) -> GatewayService:
    service = request.app.state.services.get("gateway")
    if not isinstance(service, GatewayService):
        raise NotFoundError("the gateway is disabled on this server (gateway.enabled: false)")
    return service


async def _principal(request: Request) -> Principal:
    verifier: KeyVerifier = request.app.state.verifier
    principal = await verifier.verify(request.headers.get("authorization"))
    principal.require("ingest")
    return principal


def _app_of(request: Request, principal: Principal) -> str:
    if principal.app:
        return principal.app
    header = request.headers.get("x-garrison-app")
    if header is None or header == "":
        return "default"
    if not _APP.fullmatch(header):
        raise InputError(
            "X-Garrison-App: 1-128 letters, digits or '._:/-', starting with a letter or digit",
            details={"param": "X-Garrison-App"},
        )
    return header


async def _json_body(request: Request) -> dict[str, Any]:
    raw = await read_body(request, request.app.state.settings.max_body_bytes)
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"the request body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise InputError("the request body must be a JSON object")
    return body


def _opt_id(value: Any, param: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > _ID_MAX:
        raise InputError(f"{param}: expected a string of at most {_ID_MAX} characters",
                         details={"param": param})  # fmt: skip
    return value


def _record(
    request: Request, principal: Principal, app: str, body: dict[str, Any], provider: str,
    operation: str,
) -> tuple[ExchangeRecord, GuardContext]:  # fmt: skip
    session = _opt_id(request.headers.get("x-garrison-session"), "X-Garrison-Session")
    user = _opt_id(body.get("user") or body.get("safety_identifier"), "user")
    model = body.get("model")
    record = ExchangeRecord(
        tenant=principal.tenant,
        app=app,
        trace_id=new_trace_id(),
        provider=provider,
        model=model if isinstance(model, str) else None,
        operation=operation,
        session_id=session,
        principal=user,
    )
    ctx = GuardContext(
        tenant=principal.tenant,
        app=app,
        principal=user,
        session_id=session,
        trace_id=record.trace_id,
        key_id=principal.key_id,
        source_ip=request.client.host if request.client else None,
    )
    return record, ctx


def _failed(exc: Exception) -> Response:
    if isinstance(exc, GarrisonError):
        if exc.status >= 500:
            # A provider's own words may quote the prompt: the log gets only what came before.
            text = (
                exc.message.split(": ", 1)[0] if exc.details.get("provider_text") else exc.message
            )
            log.warning("%s: %s", exc.code, text)
        return from_garrison(exc)
    log.exception("gateway: unexpected error", exc_info=exc)
    return openai_error(500, "internal error in the Garrison gateway; see the server log")


@router.post("/v1/chat/completions", summary="OpenAI-compatible chat completions, guarded")
async def chat_completions(request: Request) -> Response:
    try:
        service = _service(request)
        principal = await _principal(request)
        app = _app_of(request, principal)
        body = await _json_body(request)
        if not isinstance(body.get("model"), str) or not body["model"]:
            raise InputError("model: expected a non-empty string", details={"param": "model"})
        if "stream" in body and not isinstance(body["stream"], bool | None):
            raise InputError("stream: expected a boolean", details={"param": "stream"})
        messages = to_chat(body.get("messages"), service.settings.retrieval_name_prefix)
        upstream = service.upstream_for(app)
        record, ctx = _record(request, principal, app, body, upstream.provider, "chat")
        call = chat.ChatCall(
            service=service,
            guard=service.guard,
            upstream=upstream,
            ctx=ctx,
            record=record,
            body=body,
            messages=messages,
            receive=request.receive,
        )
        return await chat.handle(call)
    except Exception as exc:
        return _failed(exc)


@router.post("/v1/embeddings", summary="OpenAI-compatible embeddings, passed through")
async def embeddings(request: Request) -> Response:
    try:
        service = _service(request)
        principal = await _principal(request)
        app = _app_of(request, principal)
        body = await _json_body(request)
        if not isinstance(body.get("model"), str) or not body["model"]:
            raise InputError("model: expected a non-empty string", details={"param": "model"})
        if body.get("input") in (None, "", []):
            raise InputError("input: expected a string or an array", details={"param": "input"})
        upstream = service.upstream_for(app)
        record, _ = _record(request, principal, app, body, upstream.provider, "embeddings")
        answer = await upstream.embeddings(body)
        usage = answer.get("usage")
        tokens = usage.get("prompt_tokens") if isinstance(usage, dict) else None
        event = record.event(
            EventKind.EMBEDDING,
            channel=None,
            role=None,
            content=None,  # inputs are often whole documents: counted, not stored
            decision=None,
            usage=Usage(input_tokens=tokens) if isinstance(tokens, int) else None,
            latency_ms=(time.perf_counter() - record.started) * 1000,
        )
        await service.publish([event])
        return Response(orjson.dumps(answer), media_type="application/json")
    except Exception as exc:
        return _failed(exc)


@router.get("/v1/models", summary="The models of the caller's app's upstream, passed through")
async def models(request: Request) -> Response:
    try:
        service = _service(request)
        principal = await _principal(request)
        upstream = service.upstream_for(_app_of(request, principal))
        return Response(orjson.dumps(await upstream.models()), media_type="application/json")
    except Exception as exc:
        return _failed(exc)
