"""One chat exchange through the guard: input check, upstream call, output check, events.

The order is fixed: the principal check, then the input check (what goes upstream is the
decision's ``messages``), then the provider, then the output check (what the caller gets is the
decision's ``text`` / tool calls, or for a stream only what the ``StreamGuard`` released). Events
are handed to the pipeline once the exchange ends, whatever way it ends (blocked, answered, failed,
abandoned by the client).

Streamed tool calls are held back until the model finishes them: a call is only useful whole, and
the guard can only judge it whole. Never logs content.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Coroutine
from dataclasses import dataclass, field
from typing import Any

import anyio
import orjson
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive

from garrison.gateway.convert import apply_tool_calls, flatten, from_chat, tool_calls_of
from garrison.gateway.errors import POLICY_TYPE, UpstreamError, error_body, openai_error
from garrison.gateway.events import ExchangeRecord, input_events, output_events
from garrison.gateway.service import GatewayService
from garrison.gateway.upstream import Upstream
from garrison.guard.api import (
    Action,
    ChatMessage,
    Decision,
    Guard,
    GuardContext,
    InputDecision,
    ToolCallSpec,
)
from garrison.model.event import Event

DONE = b"data: [DONE]\n\n"
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def sse(obj: Any) -> bytes:
    return b"data: " + orjson.dumps(obj) + b"\n\n"


def violation_code(decision: Decision) -> str:
    """The code a client sees: the violation that caused the strongest action."""
    for v in decision.violations:
        if v.action is decision.action:
            return v.code
    return decision.violations[0].code if decision.violations else "policy"


_RATE_LIMITED = frozenset({"rate_limited", "rate_limit"})


def _rate_limited(decision: Decision) -> bool:
    """Response actions may throttle instead of block; the guard says so in the violation."""
    return any(v.label in _RATE_LIMITED for v in decision.violations)


def policy_error(decision: Decision, where: str) -> Response:
    code = violation_code(decision)
    return openai_error(
        400,
        f"the {where} was blocked by Garrison's policy ({code})",
        type_=POLICY_TYPE,
        code=code,
    )


@dataclass(slots=True)
class ChatCall:
    """Everything one exchange needs, resolved by the route before the guard runs."""

    service: GatewayService
    guard: Guard
    upstream: Upstream
    ctx: GuardContext
    record: ExchangeRecord
    body: dict[str, Any]
    messages: list[ChatMessage]
    receive: Receive | None = None  # the ASGI receive: tells when the caller hangs up
    events: list[Event] = field(default_factory=list)

    @property
    def raw_messages(self) -> list[dict[str, Any]]:
        raw: list[dict[str, Any]] = self.body["messages"]
        return raw


async def handle(call: ChatCall) -> Response:
    service, guard, ctx = call.service, call.guard, call.ctx
    service.stats.exchanges += 1
    who = await guard.check_principal(ctx)
    if who.blocked or (_rate_limited(who) and who.action is not Action.ALLOW):
        service.stats.blocked += 1
        call.record.attributes["garrison.gateway.outcome"] = "principal_blocked"
        await service.publish(input_events(call.record, call.messages, who))
        code = violation_code(who)
        if _rate_limited(who):
            return openai_error(
                429,
                f"this caller is rate-limited by Garrison's response actions ({code})",
                type_=POLICY_TYPE,
                code=code,
                headers={"Retry-After": "60"},
            )
        return openai_error(
            403,
            f"this caller is blocked by Garrison's response actions ({code})",
            type_=POLICY_TYPE,
            code=code,
        )
    decision = await guard.scan_input(call.messages, ctx)
    if decision.blocked:
        service.stats.blocked += 1
        call.record.attributes["garrison.gateway.outcome"] = "blocked_input"
        await service.publish(input_events(call.record, call.messages, decision))
        if decision.refusal is not None:
            return _refusal(call, decision.refusal)
        return policy_error(decision, "request")
    call.events = input_events(call.record, call.messages, decision)
    body = dict(call.body)
    # A decision without messages changed nothing: forward the caller's (never an empty list).
    decided = decision.messages or call.messages
    body["messages"] = from_chat(decided, call.messages, call.raw_messages)
    if body.get("stream"):
        return await _stream(call, body, decision)
    return await _complete(call, body, decision)


def _refusal(call: ChatCall, text: str) -> Response:
    """A blocked request answered as a normal completion whose content is the app's refusal."""
    model = call.body.get("model")
    created = int(time.time())
    ident = f"chatcmpl-garrison-{call.record.trace_id[:16]}"
    if not call.body.get("stream"):
        return Response(
            orjson.dumps(
                {
                    "id": ident,
                    "object": "chat.completion",
                    "created": created,
                    "model": model,
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": text},
                            "finish_reason": "content_filter",
                        }
                    ],
                }
            ),
            media_type="application/json",
        )
    base = {"id": ident, "object": "chat.completion.chunk", "created": created, "model": model}

    async def frames() -> AsyncIterator[bytes]:
        first = {"index": 0, "delta": {"role": "assistant", "content": text}, "finish_reason": None}
        yield sse({**base, "choices": [first]})
        yield sse(
            {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "content_filter"}]}
        )
        yield DONE

    return StreamingResponse(frames(), media_type="text/event-stream", headers=SSE_HEADERS)


async def _hung_up(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _unless_hung_up(
    call: ChatCall, request: Coroutine[Any, Any, dict[str, Any]]
) -> dict[str, Any] | None:
    """The provider's answer, or None when the caller disconnected first (the request to the
    provider is then cancelled, so it stops generating for nobody)."""
    if call.receive is None:
        return await request
    answer = asyncio.ensure_future(request)
    watch = asyncio.ensure_future(_hung_up(call.receive))
    try:
        await asyncio.wait((answer, watch), return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (answer, watch):
            if not task.done():
                task.cancel()
    if not answer.done() or answer.cancelled():
        with contextlib.suppress(asyncio.CancelledError):
            await answer
        return None
    return answer.result()


async def _complete(call: ChatCall, body: dict[str, Any], decision: InputDecision) -> Response:
    service, guard, ctx = call.service, call.guard, call.ctx
    try:
        answer = await _unless_hung_up(call, call.upstream.chat(body))
        if answer is None:  # nobody is waiting for it: the provider request was cancelled
            await service.publish(
                call.events
                + output_events(call.record, None, (), None, None, "client_disconnected")
            )
            return Response(status_code=499)
    except UpstreamError:
        service.stats.upstream_errors += 1
        await service.publish(
            call.events + output_events(call.record, None, (), None, None, "upstream_error")
        )
        raise
    choices = answer.get("choices")
    if not isinstance(choices, list):
        await service.publish(call.events)
        raise UpstreamError(f"upstream {call.upstream.name!r} answered without choices")
    events = list(call.events)
    blocked: Decision | None = None
    for choice in choices:
        message = choice.get("message") if isinstance(choice, dict) else None
        if not isinstance(message, dict):
            continue
        try:
            text = flatten(message.get("content"), "content")
            calls = tool_calls_of(message.get("tool_calls"), "tool_calls")
        except Exception:
            text, calls = None, ()
        out = await guard.scan_output(text, calls, ctx, decision.exchange)
        status = "blocked_output" if out.blocked else "ok"
        events += output_events(call.record, text, calls, out, answer.get("usage"), status)
        if out.blocked:
            if out.refusal is None:
                blocked = out
                continue
            message["content"] = out.refusal
            message.pop("tool_calls", None)
            choice["finish_reason"] = "content_filter"
            continue
        if out.text != text:
            message["content"] = out.text
        if calls or out.tool_calls:
            tool_calls = apply_tool_calls(message.get("tool_calls"), out.tool_calls)
            if tool_calls is None:
                message.pop("tool_calls", None)
            else:
                message["tool_calls"] = tool_calls
    await service.publish(events)
    if blocked is not None:
        service.stats.blocked += 1
        return policy_error(blocked, "model's answer")
    return Response(orjson.dumps(answer), media_type="application/json")


@dataclass(slots=True)
class _ChoiceState:
    """One streamed choice: its guard, the text seen, the tool calls being assembled."""

    guard: Any
    text: list[str] = field(default_factory=list)
    calls: dict[int, dict[str, str]] = field(default_factory=dict)
    finished: bool = False


async def _stream(call: ChatCall, body: dict[str, Any], decision: InputDecision) -> Response:
    service = call.service
    opened = call.upstream.chat_stream(body)
    try:
        chunks = await opened.__aenter__()  # errors before the first byte stay HTTP errors
    except UpstreamError:
        service.stats.upstream_errors += 1
        await service.publish(
            call.events + output_events(call.record, None, (), None, None, "upstream_error")
        )
        raise
    return StreamingResponse(
        _relay(call, decision, opened, chunks), media_type="text/event-stream", headers=SSE_HEADERS
    )


async def _relay(
    call: ChatCall,
    decision: InputDecision,
    opened: Any,
    chunks: AsyncIterator[dict[str, Any]],
) -> AsyncIterator[bytes]:
    guard, ctx, exchange = call.guard, call.ctx, decision.exchange
    states: dict[int, _ChoiceState] = {}
    outcome = "client_disconnected"  # until the stream ends another way
    final: Decision | None = None
    usage: Any = None
    template: dict[str, Any] = {}

    def frame(index: int, delta: dict[str, Any], finish: str | None = None) -> bytes:
        choice = {"index": index, "delta": delta, "finish_reason": finish}
        return sse({**template, "choices": [choice]})

    async def close_choice(index: int, state: _ChoiceState) -> tuple[list[bytes], Decision | None]:
        """The held-back tail and tool calls of a choice that ended; a decision if blocked."""
        state.finished = True
        out: list[bytes] = []
        step = await state.guard.finish()
        if step.decision.blocked:
            return out, step.decision
        if step.release:
            out.append(frame(index, {"content": step.release}))
        if state.calls:
            specs = [
                ToolCallSpec(id=c["id"], name=c["name"], arguments=c["arguments"])
                for _, c in sorted(state.calls.items())
            ]
            checked = await guard.scan_output(None, specs, ctx, exchange)
            if checked.blocked:
                return out, checked
            deltas = [
                {"index": i, "id": c.id, "type": "function",
                 "function": {"name": c.name, "arguments": c.arguments}}
                for i, c in enumerate(checked.tool_calls)
            ]  # fmt: skip
            if deltas:
                out.append(frame(index, {"tool_calls": deltas}))
            if checked.action.rank > step.decision.action.rank:
                return out, checked  # the tool calls' decision is the one worth recording
        return out, step.decision

    try:
        async for chunk in chunks:
            template = {k: v for k, v in chunk.items() if k not in ("choices", "usage")}
            if chunk.get("usage") is not None:
                usage = chunk["usage"]
            choices = chunk.get("choices")
            if not isinstance(choices, list) or not choices:
                yield sse(chunk)  # usage-only chunks and anything without choices
                continue
            for ch in choices:
                if not isinstance(ch, dict):
                    continue
                index = ch.get("index", 0) if isinstance(ch.get("index"), int) else 0
                state = states.get(index)
                if state is None:
                    state = states[index] = _ChoiceState(guard.stream(ctx, exchange))
                raw_delta = ch.get("delta")
                delta = raw_delta if isinstance(raw_delta, dict) else {}
                relay = {k: v for k, v in delta.items() if k not in ("content", "tool_calls")}
                piece = delta.get("content")
                if isinstance(piece, str) and piece:
                    state.text.append(piece)
                    step = await state.guard.feed(piece)
                    if step.decision.blocked:
                        final = step.decision
                        outcome = "blocked_output"
                        yield _violation_frame(step.decision)
                        yield DONE
                        return
                    if step.release:
                        relay["content"] = step.release
                elif piece == "":
                    relay["content"] = ""
                for tc in delta.get("tool_calls") or []:
                    if not isinstance(tc, dict):
                        continue
                    slot = state.calls.setdefault(
                        tc.get("index", 0), {"id": "", "name": "", "arguments": ""}
                    )
                    fn = tc.get("function")
                    if not isinstance(fn, dict):
                        fn = {}
                    slot["id"] = tc.get("id") or slot["id"]
                    slot["name"] += fn.get("name") or ""
                    slot["arguments"] += fn.get("arguments") or ""
                finish = ch.get("finish_reason")
                if relay:
                    yield frame(index, relay)
                if finish is not None:
                    frames, closed = await close_choice(index, state)
                    for f in frames:
                        yield f
                    if closed is not None and closed.blocked:
                        final = closed
                        outcome = "blocked_output"
                        yield _violation_frame(closed)
                        yield DONE
                        return
                    final = closed
                    yield frame(index, {}, finish)
        for index, state in sorted(states.items()):
            if not state.finished:  # the provider ended without a finish_reason
                frames, closed = await close_choice(index, state)
                if closed is not None and closed.blocked:
                    outcome = "blocked_output"
                    final = closed
                    yield _violation_frame(closed)
                    yield DONE
                    return
                for f in frames:
                    yield f
        outcome = "ok"
        yield DONE
    except UpstreamError as exc:
        outcome = "upstream_error"
        call.service.stats.upstream_errors += 1
        yield sse(_error_obj(exc.message, "upstream_error", exc.code))
        yield DONE
    finally:
        with anyio.CancelScope(shield=True):
            # Leaving early closes the provider's connection: it stops generating.
            if outcome == "ok":
                await opened.__aexit__(None, None, None)
            else:
                await opened.__aexit__(_Abandoned, _Abandoned(), None)
            if outcome == "blocked_output":
                call.service.stats.blocked += 1
            text = "".join(t for s in states.values() for t in s.text) if states else None
            calls = [
                ToolCallSpec(id=c["id"], name=c["name"], arguments=c["arguments"])
                for s in states.values()
                for _, c in sorted(s.calls.items())
            ]
            await call.service.publish(
                call.events + output_events(call.record, text, calls, final, usage, outcome)
            )


class _Abandoned(Exception):
    """Thrown into the upstream stream's context to say it ends unread (closes the connection)."""


def _error_obj(message: str, type_: str, code: str | None) -> dict[str, Any]:
    return orjson.loads(error_body(message, type_, code))  # type: ignore[no-any-return]


def _violation_frame(decision: Decision) -> bytes:
    code = violation_code(decision)
    return sse(
        _error_obj(
            f"the model's answer was blocked by Garrison's policy ({code})", POLICY_TYPE, code
        )
    )
