"""Garrison's own event JSON: validation tables, ids, and a fuzzer that no input can crash."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from garrison.errors import ValidationError
from garrison.model import Source, derived_uuid7, uuid7
from garrison.model.event import event_from_dict


def parse(obj: Any) -> Any:
    return event_from_dict(obj, tenant="t", source=Source.API)


def test_uuid7_layout_and_determinism() -> None:
    ms = 1_763_000_000_123
    u = uuid.UUID(uuid7(ms))
    assert u.version == 7 and u.variant == uuid.RFC_4122
    assert u.int >> 80 == ms
    a = derived_uuid7(ms, "tenant", "trace", "span", "prompt", "0")
    assert a == derived_uuid7(ms, "tenant", "trace", "span", "prompt", "0")
    assert a != derived_uuid7(ms, "tenant", "trace", "span", "prompt", "1")
    assert a != derived_uuid7(ms, "other", "trace", "span", "prompt", "0")
    # part boundaries matter: ("ab", "c") is not ("a", "bc")
    assert derived_uuid7(ms, "ab", "c") != derived_uuid7(ms, "a", "bc")
    assert uuid.UUID(a).version == 7


@pytest.mark.parametrize(
    ("obj", "field"),
    [
        ({"kind": "nope"}, "kind"),
        ({}, "kind"),
        ({"kind": "prompt", "channel": "web"}, "channel"),
        ({"kind": "prompt", "id": "123"}, "id"),
        ({"kind": "prompt", "time": "2026-01-01T00:00:00"}, "event.time"),
        ({"kind": "prompt", "time": True}, "event.time"),
        ({"kind": "prompt", "time": 1e20}, "event.time"),
        ({"kind": "prompt", "span_id": "abc"}, "event.span_id"),
        ({"kind": "prompt", "content": 5}, "content"),
        ({"kind": "prompt", "session_id": "s" * 513}, "session_id"),
        ({"kind": "prompt", "usage": {"input_tokens": 1.5}}, "input_tokens"),
        ({"kind": "prompt", "usage": []}, "usage"),
        ({"kind": "prompt", "tool": "send"}, "tool"),
        ({"kind": "prompt", "latency_ms": -1}, "latency_ms"),
        ({"kind": "prompt", "latency_ms": float("nan")}, "latency_ms"),
        ({"kind": "prompt", "attributes": [1]}, "attributes"),
        ([], "event"),
    ],
)
def test_invalid_events_name_the_field(obj: Any, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse(obj)
    assert info.value.details["field"] == field


def test_defaults_and_unknown_fields() -> None:
    before = datetime.now(UTC)
    e = parse({"kind": "prompt", "tenant": "evil", "source": "gateway", "x": {"y": 1}})
    assert e.tenant == "t" and e.source is Source.API  # never from the payload
    assert e.attributes == {"tenant": "evil", "source": "gateway", "x": {"y": 1}}
    assert e.app == "default" and e.time >= before
    assert uuid.UUID(e.id).version == 7
    assert parse({"kind": "prompt", "trace_id": "0" * 32}).trace_id is None
    assert parse({"kind": "prompt", "time": 1_700_000_000}).time.year == 2023


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
fields = st.sampled_from(
    ["id", "time", "app", "kind", "trace_id", "span_id", "parent_span_id", "session_id",
     "principal", "channel", "content", "tool", "usage", "latency_ms", "attributes", "other"]
)  # fmt: skip
kinds = st.sampled_from(["prompt", "completion", "tool_call", "bogus"])


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(fields, json_values, max_size=8), kinds)
def test_fuzz_event_parser_only_raises_validation_errors(obj: dict[str, Any], kind: str) -> None:
    obj.setdefault("kind", kind)
    try:
        e = parse(obj)
    except ValidationError as exc:
        assert exc.message and "field" in exc.details
        return
    assert e.tenant == "t"
    e.to_dict()  # a valid event always serializes
