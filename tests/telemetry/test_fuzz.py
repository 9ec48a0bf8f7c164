"""No input crashes the OTLP decoder: it raises DecodeError or returns valid events."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from garrison.errors import DecodeError
from garrison.telemetry.otlp import DecodeResult, decode_logs, decode_traces

from . import (
    LogSpec,
    SpanSpec,
    assert_valid_event,
    dicts,
    logs_request,
    to_otlp_json,
    trace_request,
)

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(result: DecodeResult) -> None:
    assert result.accepted >= 0
    assert result.rejected >= 0
    assert bool(result.error_message) == bool(result.rejected)
    for e in result.events:
        assert_valid_event(e)


def decode_any(body: bytes, encoding: Any) -> None:
    for fn in (decode_traces, decode_logs):
        try:
            result = fn(body, encoding, tenant="fuzz")
        except DecodeError as exc:
            assert exc.message
            continue
        check(result)


@FUZZ
@given(st.binary(max_size=2048))
def test_arbitrary_bytes(body: bytes) -> None:
    decode_any(body, "protobuf")
    decode_any(body, "json")


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=30,
)

# keys an OTLP/JSON body may have, so random structures reach deep into the walker
OTLP_KEYS = st.sampled_from(
    [
        "resourceSpans", "resourceLogs", "resource", "attributes", "scopeSpans", "scopeLogs",
        "scope", "spans", "logRecords", "traceId", "spanId", "parentSpanId", "name", "kind",
        "startTimeUnixNano", "endTimeUnixNano", "timeUnixNano", "events", "links", "status",
        "code", "message", "key", "value", "stringValue", "intValue", "boolValue", "doubleValue",
        "bytesValue", "arrayValue", "kvlistValue", "values", "body", "eventName", "version",
        "severityNumber", "severityText", "observedTimeUnixNano",
    ]
)  # fmt: skip
otlp_ish = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.sampled_from(["5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174", "1760000000", ""])
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(OTLP_KEYS, inner, max_size=5),
    max_leaves=40,
)


@FUZZ
@given(json_values)
def test_arbitrary_json(value: Any) -> None:
    decode_any(json.dumps(value).encode(), "json")  # stdlib: big ints and Infinity too


@FUZZ
@given(otlp_ish)
def test_otlp_shaped_json(value: Any) -> None:
    decode_any(json.dumps(value).encode(), "json")


# --- attribute values on an otherwise valid span ------------------------------------------------

scalars = (
    st.text(max_size=60)
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats()
    | st.binary(max_size=16)
    | st.none()
)
any_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
KNOWN_KEYS = [
    "gen_ai.operation.name", "gen_ai.input.messages", "gen_ai.output.messages",
    "gen_ai.system_instructions", "gen_ai.prompt", "gen_ai.completion", "gen_ai.prompt.0.role",
    "gen_ai.prompt.0.content", "gen_ai.completion.0.tool_calls.0.name",
    "gen_ai.completion.0.tool_calls.0.arguments", "llm.input_messages.0.message.role",
    "llm.input_messages.0.message.contents.0.message_content.text",
    "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments",
    "openinference.span.kind", "traceloop.span.kind", "llm.request.type", "input.value",
    "output.value", "gen_ai.tool.name", "gen_ai.tool.call.arguments", "gen_ai.tool.call.result",
    "gen_ai.retrieval.documents", "retrieval.documents.0.document.content",
    "gen_ai.memory.records", "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens",
    "llm.token_count.prompt", "gen_ai.conversation.id", "user.id", "gen_ai.agent.name",
    "gen_ai.provider.name", "gen_ai.request.model", "gen_ai.response.finish_reasons",
    "mcp.method.name", "embedding.embeddings.0.embedding.text", "traceloop.entity.input",
]  # fmt: skip
OPERATIONS = [
    "chat", "execute_tool", "retrieval", "embeddings", "invoke_agent", "search_memory",
    "run_guardrail", "LLM", "TOOL", "RETRIEVER", "AGENT", "CHAIN", "tool", "workflow",
    "tools/call", "completion",
]  # fmt: skip
json_text = json_values.map(lambda v: json.dumps(v))
message_like = st.lists(
    st.fixed_dictionaries(
        {"role": st.sampled_from(["user", "assistant", "tool", "system", "x"]) | json_values},
        optional={
            "parts": st.lists(
                st.fixed_dictionaries(
                    {
                        "type": st.sampled_from(["text", "tool_call", "tool_call_response", "blob"])
                        | json_values
                    },
                    optional={
                        "content": json_values,
                        "id": json_values,
                        "name": json_values,
                        "arguments": json_values,
                        "response": json_values,
                    },
                ),
                max_size=3,
            ),
            "content": json_values,
            "tool_calls": json_values,
        },
    ),
    max_size=4,
).map(json.dumps)
attr_values = any_values | json_text | message_like | st.sampled_from(OPERATIONS)
attr_sets = st.dictionaries(
    st.sampled_from(KNOWN_KEYS) | st.text(max_size=20), attr_values, max_size=8
)


@FUZZ
@given(attr_sets, st.sampled_from(["chat x", "execute_tool t", "tools/call t", "", "x"]))
def test_fuzzed_attribute_values_on_a_valid_span(attrs: dict[str, Any], name: str) -> None:
    req = trace_request([SpanSpec(attrs, name=name)])
    pb = decode_traces(req.SerializeToString(), "protobuf", tenant="fuzz")
    js = decode_traces(to_otlp_json(req), "json", tenant="fuzz")
    check(pb)
    assert (pb.accepted, pb.rejected) == (1, 0)  # attribute values never reject a span
    assert dicts(pb.events) == dicts(js.events)


@FUZZ
@given(
    st.sampled_from(
        [
            "gen_ai.user.message",
            "gen_ai.assistant.message",
            "gen_ai.tool.message",
            "gen_ai.system.message",
            "gen_ai.choice",
            "gen_ai.client.inference.operation.details",
            "",
        ]
    ),
    any_values | message_like,
    attr_sets,
)
def test_fuzzed_log_records(event_name: str, body: Any, attrs: dict[str, Any]) -> None:
    req = logs_request([LogSpec(event_name, body, attrs), LogSpec(event_name, body, attrs)])
    pb = decode_logs(req.SerializeToString(), "protobuf", tenant="fuzz")
    js = decode_logs(to_otlp_json(req), "json", tenant="fuzz")
    check(pb)
    assert (pb.accepted, pb.rejected) == (2, 0)
    assert dicts(pb.events) == dicts(js.events)


# --- valid OTLP/JSON skeletons with any field replaced by junk ----------------------------------


def maybe(valid: Any) -> st.SearchStrategy[Any]:
    return st.just(valid) | otlp_ish


@st.composite
def json_spans(draw: st.DrawFn) -> dict[str, Any]:
    attrs = draw(st.lists(
        st.fixed_dictionaries({"key": maybe("gen_ai.operation.name"),
                               "value": maybe({"stringValue": "chat"})}),
        max_size=3,
    ))  # fmt: skip
    return {
        "traceId": draw(maybe("5b8efff798038103d269b633813fc60c")),
        "spanId": draw(maybe("eee19b7ec3c1b174")),
        "parentSpanId": draw(maybe("")),
        "name": draw(maybe("chat m")),
        "kind": draw(maybe(3)),
        "startTimeUnixNano": draw(maybe("1760000000123456789")),
        "endTimeUnixNano": draw(maybe("1760000001123456789")),
        "attributes": draw(maybe(attrs)),
        "events": draw(maybe([{"name": "gen_ai.user.message", "timeUnixNano": "1",
                               "attributes": [{"key": "content",
                                               "value": {"stringValue": "x"}}]}])),
        "links": draw(maybe([])),
        "status": draw(maybe({"code": 2, "message": "m"})),
    }  # fmt: skip


@FUZZ
@given(st.lists(json_spans(), min_size=1, max_size=3), maybe([]))
def test_json_spans_with_junk_fields(spans: list[dict[str, Any]], res_attrs: Any) -> None:
    body = {
        "resourceSpans": [{"resource": {"attributes": res_attrs}, "scopeSpans": [{"spans": spans}]}]
    }
    try:
        result = decode_traces(json.dumps(body).encode(), "json", tenant="fuzz")
    except DecodeError:
        return
    check(result)
    assert result.accepted + result.rejected == len(spans)  # every span is counted once
