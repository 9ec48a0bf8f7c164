"""Session, user and agent that instrumentations set once — on the resource, on a root span that
is not an AI span, on an agent span above the model calls — reach every AI event of the trace."""

from __future__ import annotations

import json

from garrison.telemetry.otlp import decode_traces

from . import PARENT, SPAN, T0, SpanSpec, dicts, to_otlp_json, trace_request

CHAT = {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": "openai",
    "gen_ai.request.model": "gpt-4o",
    "gen_ai.input.messages": json.dumps(
        [{"role": "user", "parts": [{"type": "text", "content": "hi"}]}]
    ),
}
ROOT = "aaaaaaaaaaaaaaaa"
OTHER_TRACE = bytes.fromhex("11112222333344445555666677778888")


def decode(specs: list[SpanSpec], resource: dict[str, object] | None = None) -> list:
    req = trace_request(specs, resource=resource)
    pb = decode_traces(req.SerializeToString(), "protobuf", tenant="t")
    js = decode_traces(to_otlp_json(req), "json", tenant="t")
    assert dicts(pb.events) == dicts(js.events)
    return pb.events


def test_resource_user_and_session_fill_events_that_lack_them() -> None:
    resource = {"service.name": "shop", "user.id": "u-7", "session.id": "s-1"}
    events = decode([SpanSpec(CHAT)], resource)
    assert events
    assert {(e.principal, e.session_id) for e in events} == {("u-7", "s-1")}
    own = decode([SpanSpec({**CHAT, "user.id": "u-9"})], resource)
    assert {e.principal for e in own} == {"u-9"}  # the span's own value wins over the resource's


def test_root_span_session_and_agent_span_reach_model_calls_below() -> None:
    root = SpanSpec(
        {"session.id": "s-42", "enduser.id": "alice", "http.route": "/chat"},
        name="POST /chat",
        span_id=bytes.fromhex(ROOT),
        kind=2,
    )
    agent = SpanSpec(
        {"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "mailer"},
        name="invoke_agent mailer",
        span_id=bytes.fromhex(PARENT),
        parent_span_id=bytes.fromhex(ROOT),
    )
    call = SpanSpec(CHAT, span_id=bytes.fromhex(SPAN), parent_span_id=bytes.fromhex(PARENT))
    stranger = SpanSpec(CHAT, trace_id=OTHER_TRACE, span_id=bytes.fromhex("bbbbbbbbbbbbbbbb"))
    events = decode([call, stranger, agent, root])  # children end (and arrive) first
    chats = [e for e in events if e.span_id == SPAN]
    assert chats
    assert {(e.session_id, e.principal, e.agent) for e in chats} == {("s-42", "alice", "mailer")}
    others = [e for e in events if e.trace_id == OTHER_TRACE.hex()]
    assert others
    assert {(e.session_id, e.principal, e.agent) for e in others} == {(None, None, None)}
    assert all(e.time.timestamp() * 1e9 >= T0 - 1e6 for e in events)


def test_a_parent_cycle_in_bad_input_does_not_hang() -> None:
    a = SpanSpec(CHAT, span_id=bytes.fromhex(SPAN), parent_span_id=bytes.fromhex(PARENT))
    b = SpanSpec(
        {"http.route": "/x"}, span_id=bytes.fromhex(PARENT), parent_span_id=bytes.fromhex(SPAN)
    )
    events = decode([a, b])
    assert events
    assert {e.agent for e in events} == {None}
