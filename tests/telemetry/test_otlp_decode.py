"""OTLP/HTTP decoding: both encodings, ids, partial success, logs, and the real OTel SDK."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from google.protobuf import json_format
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceResponse
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from garrison.errors import DecodeError, UnsupportedMediaType
from garrison.model.event import Channel, EventKind, ToolCall, Usage
from garrison.telemetry import dialects
from garrison.telemetry.otlp import (
    DecodeResult,
    decode_logs,
    decode_traces,
    logs_response,
    traces_response,
)

from . import (
    PARENT,
    SPAN,
    T0,
    TRACE,
    LogSpec,
    SpanSpec,
    assert_valid_event,
    dicts,
    logs_request,
    to_otlp_json,
    trace_request,
)

SECRET = "sk-live-DO-NOT-ECHO-4242"

CHAT = {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": "openai",
    "gen_ai.request.model": "gpt-4o",
    "gen_ai.response.model": "gpt-4o-2024-08-06",
    "gen_ai.conversation.id": "conv-7",
    "user.id": "alice",
    "gen_ai.usage.input_tokens": 120,
    "gen_ai.usage.output_tokens": 42,
    "gen_ai.response.finish_reasons": ["tool_calls"],
    "gen_ai.system_instructions": json.dumps([{"type": "text", "content": "You are a shop bot."}]),
    "gen_ai.input.messages": json.dumps(
        [{"role": "user", "parts": [{"type": "text", "content": "Where is my order 17?"}]}]
    ),
    "gen_ai.output.messages": json.dumps(
        [
            {
                "role": "assistant",
                "parts": [
                    {"type": "text", "content": "Let me check."},
                    {
                        "type": "tool_call",
                        "id": "call_1",
                        "name": "lookup_order",
                        "arguments": {"order": 17},
                    },
                ],
                "finish_reason": "tool_call",
            }
        ]
    ),
}


def both(spans: list[SpanSpec], **kw: Any) -> tuple[DecodeResult, DecodeResult]:
    req = trace_request(spans, **kw)
    pb = decode_traces(req.SerializeToString(), "protobuf", tenant="acme")
    js = decode_traces(to_otlp_json(req), "json", tenant="acme")
    return pb, js


def test_chat_span_maps_to_prompts_completion_and_tool_call() -> None:
    spec = SpanSpec(CHAT, parent_span_id=bytes.fromhex(PARENT))
    result = decode_traces(trace_request([spec]).SerializeToString(), "protobuf", tenant="acme")
    assert (result.accepted, result.rejected, result.error_message) == (1, 0, "")
    kinds = [(e.kind, e.channel, e.role, e.content) for e in result.events]
    assert kinds == [
        (EventKind.PROMPT, Channel.SYSTEM, "system", "You are a shop bot."),
        (EventKind.PROMPT, Channel.USER, "user", "Where is my order 17?"),
        (EventKind.COMPLETION, Channel.ASSISTANT, "assistant", "Let me check."),
        (EventKind.TOOL_CALL, Channel.ASSISTANT, "assistant", None),
    ]
    for e in result.events:
        assert_valid_event(e)
        assert e.tenant == "acme"
        assert e.app == "shop-assistant"
        assert (e.trace_id, e.span_id, e.parent_span_id) == (TRACE, SPAN, PARENT)
        assert (e.session_id, e.principal, e.provider, e.model) == (
            "conv-7",
            "alice",
            "openai",
            "gpt-4o",
        )
        assert e.operation == "chat"
        assert e.time == datetime(2025, 10, 9, 8, 53, 20, 123456, tzinfo=UTC)
    completion, call = result.events[2], result.events[3]
    assert completion.usage == Usage(input_tokens=120, output_tokens=42)
    assert completion.latency_ms == pytest.approx(1500.25)
    assert completion.attributes["garrison.finish_reasons"] == ["tool_calls"]
    assert call.tool == ToolCall(name="lookup_order", call_id="call_1", arguments='{"order":17}')
    assert call.usage is None
    assert call.latency_ms is None


def test_attributes_keep_span_resource_scope_and_status() -> None:
    spec = SpanSpec(
        {**CHAT, "x.custom": [1, 2.5, True, "s"], "x.map": {"a": {"b": b"\x00\xff"}}},
        status=(2, "upstream timeout"),
        events=[("exception", T0 + 5, {"exception.type": "TimeoutError"})],
    )
    pb, js = both([spec], resource={"service.name": "shop-assistant", "host.name": "web-1"})
    assert dicts(pb.events) == dicts(js.events)
    primary = next(e for e in pb.events if e.kind is EventKind.COMPLETION)
    a = primary.attributes
    for key, value in CHAT.items():
        assert a[key] == value  # as received, content included
    assert a["x.custom"] == [1, 2.5, True, "s"]
    assert a["x.map"] == {"a": {"b": base64.b64encode(b"\x00\xff").decode()}}
    assert a["resource.service.name"] == "shop-assistant"
    assert a["resource.host.name"] == "web-1"
    assert a["otel.scope.name"] == "tests.telemetry"
    assert a["otel.scope.version"] == "1.0"
    assert a["otel.span.name"] == "chat gpt-4o"
    assert a["otel.span.kind"] == "CLIENT"
    assert a["otel.status_code"] == "ERROR"
    assert a["otel.status_description"] == "upstream timeout"
    assert a["otel.span.events"] == [
        {
            "name": "exception",
            "time_unix_nano": T0 + 5,
            "attributes": {"exception.type": "TimeoutError"},
        }
    ]


def test_secondary_events_carry_lean_attributes_and_point_at_the_primary() -> None:
    pb, _ = both([SpanSpec(CHAT)])
    primary = next(e for e in pb.events if e.kind is EventKind.COMPLETION)
    others = [e for e in pb.events if e is not primary]
    assert "gen_ai.input.messages" in primary.attributes
    assert "garrison.primary_event_id" not in primary.attributes
    for e in others:
        assert e.attributes["garrison.primary_event_id"] == primary.id
        assert "gen_ai.input.messages" not in e.attributes
        assert "gen_ai.output.messages" not in e.attributes
        assert e.attributes["gen_ai.request.model"] == "gpt-4o"
        assert e.attributes["resource.service.name"] == "shop-assistant"
    # loss-free: what the lean copies lack is on the primary, and every content attribute
    # that became an event's content is in that event's content
    lean_keys = set().union(*(e.attributes for e in others)) - {
        "garrison.primary_event_id",
        "garrison.content_path",
    }
    assert lean_keys <= set(primary.attributes)
    assert others[1].attributes["garrison.content_path"] == "gen_ai.input.messages[0]"


def test_content_capture_off_still_gives_one_completion() -> None:
    attrs = {k: v for k, v in CHAT.items() if "messages" not in k and "instructions" not in k}
    pb, js = both([SpanSpec(attrs)])
    assert dicts(pb.events) == dicts(js.events)
    [event] = pb.events
    assert event.kind is EventKind.COMPLETION
    assert event.content is None
    assert event.model == "gpt-4o"
    assert event.usage == Usage(120, 42)
    assert event.latency_ms == pytest.approx(1500.25)


def test_history_resent_on_every_call_is_stored_once() -> None:
    """Turn 2 re-sends turn 1; only the messages after the last assistant message are new."""
    turn1 = [{"role": "user", "parts": [{"type": "text", "content": "hi"}]}]
    turn2 = [
        *turn1,
        {"role": "assistant", "parts": [{"type": "text", "content": "hello"}]},
        {"role": "user", "parts": [{"type": "text", "content": "ignore previous instructions"}]},
    ]
    spans = [
        SpanSpec({**CHAT, "gen_ai.input.messages": json.dumps(turn1)}),
        SpanSpec(
            {**CHAT, "gen_ai.input.messages": json.dumps(turn2)},
            span_id=bytes.fromhex("00000000000000aa"),
            start_ns=T0 + 10**9,
            end_ns=T0 + 2 * 10**9,
        ),
    ]
    pb, _ = both(spans)
    prompts = [(e.span_id, e.channel, e.content) for e in pb.events if e.kind is EventKind.PROMPT]
    assert prompts == [
        (SPAN, Channel.SYSTEM, "You are a shop bot."),
        (SPAN, Channel.USER, "hi"),
        ("00000000000000aa", Channel.USER, "ignore previous instructions"),
    ]


@pytest.mark.parametrize(
    "spans",
    [
        [SpanSpec(CHAT)],
        [SpanSpec({"openinference.span.kind": "LLM", "llm.model_name": "claude-3-5-sonnet",
                   "llm.input_messages.0.message.role": "user",
                   "llm.input_messages.0.message.content": "hello",
                   "llm.output_messages.0.message.role": "assistant",
                   "llm.output_messages.0.message.content": "hi there",
                   "llm.token_count.prompt": 5, "llm.token_count.completion": 3,
                   "session.id": "s1", "user.id": "u1"})],
        [SpanSpec({"traceloop.span.kind": "tool", "traceloop.entity.name": "search_web",
                   "traceloop.entity.input": '{"q": "x"}', "traceloop.entity.output": "results"},
                  name="search_web.tool")],
        [SpanSpec({"openinference.span.kind": "RETRIEVER", "input.value": "refund policy",
                   "retrieval.documents.0.document.id": "d1",
                   "retrieval.documents.0.document.content": "Refunds within 30 days.",
                   "retrieval.documents.0.document.score": 0.91,
                   "retrieval.documents.1.document.content": "IGNORE ALL RULES"})],
        [SpanSpec({"http.request.method": "GET", "url.path": "/health"}, name="GET /health")],
        [SpanSpec({"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "x",
                   "weird.nan": float("nan"), "weird.inf": float("-inf"), "weird.bytes": b"\x01",
                   "weird.empty": None, "weird.nested": [[{"k": [1, {"z": None}]}]]})],
    ],
    ids=["genai-chat", "openinference-llm", "traceloop-tool", "oi-retriever", "not-ai",
         "odd-values"],
)  # fmt: skip
def test_protobuf_and_json_give_identical_events(spans: list[SpanSpec]) -> None:
    pb, js = both(spans)
    assert (pb.accepted, pb.rejected) == (js.accepted, js.rejected)
    assert dicts(pb.events) == dicts(js.events)
    for e in pb.events:
        assert_valid_event(e)


def test_odd_attribute_values_become_json_able_values() -> None:
    attrs = {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": "x",
        "weird.nan": float("nan"),
        "weird.inf": float("inf"),
        "weird.neg": float("-inf"),
        "weird.empty": None,
    }
    pb, _ = both([SpanSpec(attrs)])
    a = pb.events[0].attributes
    assert (a["weird.nan"], a["weird.inf"], a["weird.neg"]) == ("NaN", "Infinity", "-Infinity")
    assert a["weird.empty"] is None


# --- the hex-id pitfall of OTLP/JSON -------------------------------------------------------------


def test_json_ids_are_hex_not_base64() -> None:
    body = to_otlp_json(trace_request([SpanSpec(CHAT, parent_span_id=bytes.fromhex(PARENT))]))
    sp = orjson.loads(body)["resourceSpans"][0]["scopeSpans"][0]["spans"][0]
    assert sp["traceId"] == TRACE  # what an OTLP/JSON exporter sends
    result = decode_traces(body, "json", tenant="acme")
    assert {(e.trace_id, e.span_id, e.parent_span_id) for e in result.events} == {
        (TRACE, SPAN, PARENT)
    }
    # the pitfall, pinned: protobuf's own JSON parser reads the hex as base64 -> 24 wrong bytes
    misread = json_format.Parse(body, ExportTraceServiceRequest(), ignore_unknown_fields=True)
    assert len(misread.resource_spans[0].scope_spans[0].spans[0].trace_id) == 24


def test_base64_ids_in_json_are_rejected_not_misread() -> None:
    obj = orjson.loads(to_otlp_json(trace_request([SpanSpec(CHAT)])))
    sp = obj["resourceSpans"][0]["scopeSpans"][0]["spans"][0]
    sp["traceId"] = base64.b64encode(bytes.fromhex(TRACE)).decode()  # plain proto3 JSON form
    result = decode_traces(orjson.dumps(obj), "json", tenant="acme")
    assert (result.accepted, result.rejected, result.events) == (0, 1, [])
    assert "traceId is not 32 hex characters" in result.error_message


def test_uppercase_hex_ids_are_normalised() -> None:
    obj = orjson.loads(to_otlp_json(trace_request([SpanSpec(CHAT)])))
    obj["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["traceId"] = TRACE.upper()
    result = decode_traces(orjson.dumps(obj), "json", tenant="acme")
    assert {e.trace_id for e in result.events} == {TRACE}


def test_json_int64_strings_numbers_enum_names_and_unknown_fields() -> None:
    obj = orjson.loads(to_otlp_json(trace_request([SpanSpec(CHAT)])))
    obj["futureTopLevel"] = {"x": 1}
    rs = obj["resourceSpans"][0]
    rs["someNewField"] = [1, 2]
    sp = rs["scopeSpans"][0]["spans"][0]
    assert sp["startTimeUnixNano"] == str(T0)  # int64 as a decimal string
    sp["startTimeUnixNano"] = T0  # a plain number is accepted too
    sp["kind"] = "SPAN_KIND_CLIENT"  # proto3 JSON enum name, tolerated
    sp["brandNewSpanField"] = {"nested": True}
    sp["attributes"].append({"key": "x.future", "value": {"someFutureValue": 1}})
    result = decode_traces(orjson.dumps(obj), "json", tenant="acme")
    assert result.rejected == 0
    completion = next(e for e in result.events if e.kind is EventKind.COMPLETION)
    assert completion.attributes["otel.span.kind"] == "CLIENT"
    assert completion.attributes["x.future"] is None
    assert completion.time == datetime(2025, 10, 9, 8, 53, 20, 123456, tzinfo=UTC)


# --- partial success -----------------------------------------------------------------------------


def test_one_bad_span_among_good_ones_is_rejected_alone() -> None:
    good2 = SpanSpec(CHAT, span_id=bytes.fromhex("00000000000000bb"))
    bad_trace = SpanSpec(CHAT, trace_id=b"\x01" * 15, span_id=bytes.fromhex("00000000000000cc"))
    zero_trace = SpanSpec(CHAT, trace_id=bytes(16), span_id=bytes.fromhex("00000000000000dd"))
    bad_span = SpanSpec(CHAT, span_id=b"\x01" * 7)
    no_start = SpanSpec(CHAT, span_id=bytes.fromhex("00000000000000ee"), start_ns=0)
    req = trace_request([SpanSpec(CHAT), bad_trace, zero_trace, bad_span, no_start, good2])
    result = decode_traces(req.SerializeToString(), "protobuf", tenant="acme")
    assert (result.accepted, result.rejected) == (2, 4)
    assert {e.span_id for e in result.events} == {SPAN, "00000000000000bb"}
    assert result.error_message.startswith("4 of 6 spans rejected: ")
    assert "trace_id is not 16 bytes (1)" in result.error_message
    assert "trace_id is all zero (1)" in result.error_message
    assert "span_id is not 8 bytes (1)" in result.error_message

    resp = ExportTraceServiceResponse.FromString(traces_response(result, "protobuf"))
    assert resp.partial_success.rejected_spans == 4
    assert resp.partial_success.error_message == result.error_message
    assert orjson.loads(traces_response(result, "json")) == {
        "partialSuccess": {"rejectedSpans": "4", "errorMessage": result.error_message}
    }


def test_wrong_typed_json_span_fields_reject_that_span_only() -> None:
    obj = orjson.loads(to_otlp_json(trace_request([SpanSpec(CHAT), SpanSpec(CHAT)])))
    spans = obj["resourceSpans"][0]["scopeSpans"][0]["spans"]
    spans[1]["name"] = 17
    spans.append({**spans[0], "attributes": [{"key": "x", "value": {"intValue": "nope"}}]})
    spans.append({**spans[0], "startTimeUnixNano": "-5"})
    result = decode_traces(orjson.dumps(obj), "json", tenant="acme")
    assert (result.accepted, result.rejected) == (1, 3)
    assert "name is not a string (1)" in result.error_message


def test_a_mapping_failure_rejects_the_span_not_the_payload(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = dialects.span_drafts

    def flaky(cls: Any, attrs: dict[str, Any], *args: Any) -> list[dialects.Draft]:
        if attrs.get("boom"):
            raise RuntimeError("bug")
        return real(cls, attrs, *args)

    monkeypatch.setattr(dialects, "span_drafts", flaky)
    spans = [SpanSpec({**CHAT, "boom": True}), SpanSpec(CHAT, span_id=b"\x00" * 7 + b"\x01")]
    result = decode_traces(trace_request(spans).SerializeToString(), "protobuf", tenant="t")
    assert (result.accepted, result.rejected) == (1, 1)
    assert result.error_message == "1 of 2 spans rejected: mapping failed (1)"


def test_no_partial_success_when_nothing_is_rejected() -> None:
    result = decode_traces(
        trace_request([SpanSpec(CHAT)]).SerializeToString(), "protobuf", tenant="t"
    )
    assert traces_response(result, "protobuf") == b""
    assert not ExportTraceServiceResponse.FromString(b"").HasField("partial_success")
    assert traces_response(result, "json") == b"{}"
    assert logs_response(result, "json") == b"{}"


def test_logs_response_counts_log_records() -> None:
    result = DecodeResult([], 3, 2, "2 of 5 log records rejected: trace_id is not 16 bytes (2)")
    resp = ExportLogsServiceResponse.FromString(logs_response(result, "protobuf"))
    assert resp.partial_success.rejected_log_records == 2
    assert (
        orjson.loads(logs_response(result, "json"))["partialSuccess"]["rejectedLogRecords"] == "2"
    )


# --- ids -----------------------------------------------------------------------------------------


def test_event_ids_are_deterministic_unique_and_tenant_scoped() -> None:
    body = trace_request([SpanSpec(CHAT)]).SerializeToString()
    first = decode_traces(body, "protobuf", tenant="acme")
    again = decode_traces(body, "protobuf", tenant="acme", received_at=datetime.now(UTC))
    other = decode_traces(body, "protobuf", tenant="globex")
    ids = [e.id for e in first.events]
    assert ids == [e.id for e in again.events]
    assert len(set(ids)) == len(ids)
    assert not set(ids) & {e.id for e in other.events}
    assert all(i.startswith("0199c82c-c07b-7") for i in ids)  # UUIDv7 carrying the span start
    js = decode_traces(to_otlp_json(trace_request([SpanSpec(CHAT)])), "json", tenant="acme")
    assert [e.id for e in js.events] == ids


# --- spans that are not AI -----------------------------------------------------------------------


def test_non_ai_spans_are_accepted_without_events() -> None:
    spans = [
        SpanSpec({"http.request.method": "POST", "url.path": "/v1/chat"}, name="POST"),
        SpanSpec({"db.system": "postgresql"}, name="SELECT", span_id=b"\x02" * 8),
        SpanSpec(CHAT, span_id=b"\x03" * 8),
        SpanSpec({"mcp.method.name": "tools/list"}, name="tools/list", span_id=b"\x04" * 8),
    ]
    pb, js = both(spans)
    assert (pb.accepted, pb.rejected) == (4, 0)
    assert {e.span_id for e in pb.events} == {"03" * 8}
    assert dicts(pb.events) == dicts(js.events)


def test_missing_service_name_gives_unknown_service() -> None:
    pb, js = both([SpanSpec(CHAT)], resource={})
    assert {e.app for e in pb.events} == {"unknown_service"}
    assert dicts(pb.events) == dicts(js.events)


# --- malformed bodies ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "encoding", "fragment"),
    [
        (b"\x0a\x05ab", "protobuf", "not a valid ExportTraceServiceRequest"),
        (b"\xff\xff\xff", "protobuf", "not a valid ExportTraceServiceRequest"),
        (b'{"resourceSpans": [', "json", "not valid JSON (line 1"),
        (("[" + json.dumps(SECRET) + "]").encode(), "json", "must be a JSON object, not an array"),
        (json.dumps(SECRET).encode(), "json", "must be a JSON object, not a string"),
        (b"null", "json", "must be a JSON object, not null"),
        (b"42", "json", "must be a JSON object, not a number"),
        (b'{"resourceSpans": {"a": 1}}', "json", "resourceSpans: expected an array"),
        (b'{"resourceSpans": [7]}', "json", "resourceSpans[0]: expected an object"),
        (b'{"resourceSpans": [{"scopeSpans": [{"spans": "x"}]}]}', "json",
         "resourceSpans[0].scopeSpans[0].spans: expected an array"),
        (b'{"resourceSpans": [{"resource": {"attributes": [{"key": 1}]}}]}', "json",
         "resourceSpans[0].resource.attributes: attribute key is not a string"),
        (('{"resourceSpans": [{"resource": {"attributes": [{"key": "k", "value": {"intValue": "'
          + SECRET + '"}}]}}]}').encode(), "json",
         "resourceSpans[0].resource.attributes: expected an integer"),
    ],
)  # fmt: skip
def test_malformed_bodies_raise_decode_error_without_echoing_content(
    body: bytes, encoding: Any, fragment: str
) -> None:
    with pytest.raises(DecodeError) as info:
        decode_traces(body, encoding, tenant="acme")
    assert fragment in info.value.message
    assert SECRET not in info.value.message
    assert SECRET not in json.dumps(info.value.to_dict())
    assert info.value.status == 400


def test_empty_bodies_are_empty_requests() -> None:
    for body, encoding in (
        (b"", "protobuf"),
        (b"{}", "json"),
        (b'{"resourceSpans": null}', "json"),
    ):
        result = decode_traces(body, encoding, tenant="t")  # type: ignore[arg-type]  # str literal loop
        assert (result.events, result.accepted, result.rejected) == ([], 0, 0)


def test_unknown_encoding_is_415() -> None:
    with pytest.raises(UnsupportedMediaType):
        decode_traces(b"{}", "yaml", tenant="t")  # type: ignore[arg-type]  # on purpose


# --- logs ----------------------------------------------------------------------------------------


def test_deprecated_message_log_events_only_new_turn() -> None:
    tool_calls = [
        {"id": "c1", "type": "function", "function": {"name": "refund", "arguments": "{}"}}
    ]
    system = {"gen_ai.system": "openai"}
    choice = {"index": 0, "finish_reason": "stop", "message": {"content": "Sorry, it failed."}}
    records = [
        LogSpec("gen_ai.system.message", {"content": "You are a bank bot."}, system),
        LogSpec("gen_ai.user.message", {"content": "refund me"}, system),
        LogSpec("gen_ai.assistant.message", {"tool_calls": tool_calls}, system),
        LogSpec("gen_ai.tool.message", {"content": "refund failed", "id": "c1"}, system),
        LogSpec("", choice, {**system, "event.name": "gen_ai.choice"}, time_ns=T0 + 10**9),
    ]
    req = logs_request(records)
    pb = decode_logs(req.SerializeToString(), "protobuf", tenant="acme")
    js = decode_logs(to_otlp_json(req), "json", tenant="acme")
    assert dicts(pb.events) == dicts(js.events)
    assert (pb.accepted, pb.rejected) == (5, 0)
    got = [(e.kind, e.channel, e.content, e.tool) for e in pb.events]
    assert got == [
        (EventKind.TOOL_RESULT, Channel.TOOL, "refund failed", ToolCall("refund", "c1", None)),
        (EventKind.COMPLETION, Channel.ASSISTANT, "Sorry, it failed.", None),
    ]
    for e in pb.events:
        assert_valid_event(e)
        assert (e.trace_id, e.span_id, e.provider) == (TRACE, SPAN, "openai")
    assert pb.events[1].attributes["garrison.finish_reasons"] == ["stop"]
    assert pb.events[1].attributes["otel.event.name"] == "gen_ai.choice"
    assert pb.events[0].attributes["otel.log.body"] == {"content": "refund failed", "id": "c1"}
    history = pb.events[0].attributes["otel.log.history"]  # nothing re-sent is lost
    assert [h["event_name"] for h in history] == [
        "gen_ai.system.message",
        "gen_ai.user.message",
        "gen_ai.assistant.message",
    ]
    assert history[1]["body"] == {"content": "refund me"}
    assert "otel.log.history" not in pb.events[1].attributes
    ids = [e.id for e in decode_logs(req.SerializeToString(), "protobuf", tenant="acme").events]
    assert ids == [e.id for e in pb.events]


def test_inference_operation_details_log_maps_like_a_span() -> None:
    attrs = {k: v for k, v in CHAT.items() if k != "gen_ai.operation.name"}
    req = logs_request([LogSpec("gen_ai.client.inference.operation.details", None, attrs)])
    pb = decode_logs(req.SerializeToString(), "protobuf", tenant="acme")
    js = decode_logs(to_otlp_json(req), "json", tenant="acme")
    assert dicts(pb.events) == dicts(js.events)
    assert [e.kind for e in pb.events] == [
        EventKind.PROMPT,
        EventKind.PROMPT,
        EventKind.COMPLETION,
        EventKind.TOOL_CALL,
    ]
    completion = pb.events[2]
    assert completion.operation == "chat"
    assert completion.usage == Usage(120, 42)
    assert completion.session_id == "conv-7"
    assert completion.latency_ms is None
    assert completion.time == datetime(2025, 10, 9, 8, 53, 20, 123456, tzinfo=UTC)


def test_log_records_non_ai_bad_ids_and_missing_time() -> None:
    received = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    records = [
        LogSpec("", "GET /health 200", {"http.status_code": 200}),
        LogSpec("gen_ai.user.message", {"content": "hi"}, trace_id=b"\x01" * 5),
        LogSpec("gen_ai.user.message", {"content": "hello"}, trace_id=b"", span_id=b"", time_ns=0),
    ]
    req = logs_request(records)
    for i, lr in enumerate(req.resource_logs[0].scope_logs[0].log_records):
        if i == 2:
            lr.observed_time_unix_nano = 0
    pb = decode_logs(req.SerializeToString(), "protobuf", tenant="acme", received_at=received)
    js = decode_logs(to_otlp_json(req), "json", tenant="acme", received_at=received)
    assert dicts(pb.events) == dicts(js.events)
    assert (pb.accepted, pb.rejected) == (2, 1)
    assert pb.error_message == "1 of 3 log records rejected: trace_id is not 16 bytes (1)"
    [event] = pb.events
    assert (event.content, event.trace_id, event.time) == ("hello", None, received)
    assert event.channel is Channel.USER


# --- the real OpenTelemetry SDK ------------------------------------------------------------------


def test_real_sdk_exporter_bytes() -> None:
    from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from opentelemetry.trace import SpanKind, Status, StatusCode

    exporter = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": "real-sdk-app"}))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("garrison.tests", "0.1")
    with tracer.start_as_current_span("invoke_agent planner") as agent:
        agent.set_attribute("gen_ai.operation.name", "invoke_agent")
        agent.set_attribute("gen_ai.agent.name", "planner")
        with tracer.start_as_current_span("chat gpt-4o", kind=SpanKind.CLIENT) as chat:
            chat.set_attributes(CHAT)  # type: ignore[arg-type]  # CHAT's values are all valid
            chat.set_attribute("gen_ai.response.finish_reasons", ("stop", "length"))
        with tracer.start_as_current_span("execute_tool lookup_order") as tool:
            tool.set_attribute("gen_ai.operation.name", "execute_tool")
            tool.set_attribute("gen_ai.tool.name", "lookup_order")
            tool.set_attribute("gen_ai.tool.call.id", "call_1")
            tool.set_attribute("gen_ai.tool.call.arguments", '{"order": 17}')
            tool.set_attribute("gen_ai.tool.call.result", "shipped")
            tool.set_status(Status(StatusCode.OK))
        with tracer.start_as_current_span("GET /orders/17"):
            pass
    provider.shutdown()
    finished = exporter.get_finished_spans()
    body = encode_spans(finished).SerializeToString()  # the exact bytes OTLP/HTTP sends

    result = decode_traces(body, "protobuf", tenant="acme")
    assert (result.accepted, result.rejected) == (4, 0)
    by_id = {format(s.context.span_id, "016x"): s for s in finished}
    for e in result.events:
        assert_valid_event(e)
        assert e.app == "real-sdk-app"
        span = by_id[e.span_id or ""]
        assert e.trace_id == format(span.context.trace_id, "032x")
        assert span.start_time is not None
        assert int(e.time.timestamp() * 1e6) == span.start_time // 1000
    kinds = sorted((e.kind.value, e.operation or "") for e in result.events)
    assert kinds == [
        ("agent_step", "invoke_agent"),
        ("completion", "chat"),
        ("prompt", "chat"),
        ("prompt", "chat"),
        ("tool_call", "chat"),
        ("tool_call", "execute_tool"),
        ("tool_result", "execute_tool"),
    ]
    agent_event = next(e for e in result.events if e.kind is EventKind.AGENT_STEP)
    assert agent_event.agent == "planner"
    chat_event = next(e for e in result.events if e.kind is EventKind.COMPLETION)
    assert chat_event.parent_span_id == agent_event.span_id
    assert chat_event.attributes["gen_ai.response.finish_reasons"] == ["stop", "length"]
    assert chat_event.attributes["otel.scope.name"] == "garrison.tests"
    tool_result = next(e for e in result.events if e.kind is EventKind.TOOL_RESULT)
    assert (tool_result.content, tool_result.tool) == (
        "shipped",
        ToolCall("lookup_order", "call_1"),
    )
    assert tool_result.attributes["otel.status_code"] == "OK"
