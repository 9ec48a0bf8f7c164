"""Builders for OTLP requests in both encodings, shared by the telemetry tests.

Requests are built with the real ``opentelemetry.proto`` classes, then serialized to protobuf and
to OTLP/JSON exactly as the spec writes it (hex ids, integer enums, int64 as strings).
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

import orjson
from google.protobuf import json_format
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue

from garrison.model.event import Event, EventKind, Source
from garrison.model.ids import is_uuid

T0 = 1_760_000_000_123_456_789  # 2025-10-09T08:53:20.123456789Z
TRACE = "5b8efff798038103d269b633813fc60c"
SPAN = "eee19b7ec3c1b174"
PARENT = "051581bf3cb55c13"


def any_value(v: Any) -> AnyValue:
    """A Python value as an OTLP AnyValue (the inverse of garrison.telemetry.anyvalue)."""
    if isinstance(v, AnyValue):
        return v
    if v is None:
        return AnyValue()
    if isinstance(v, bool):
        return AnyValue(bool_value=v)
    if isinstance(v, int):
        return AnyValue(int_value=v)
    if isinstance(v, float):
        return AnyValue(double_value=v)
    if isinstance(v, bytes):
        return AnyValue(bytes_value=v)
    if isinstance(v, str):
        return AnyValue(string_value=v)
    if isinstance(v, list | tuple):
        out = AnyValue()
        out.array_value.SetInParent()
        out.array_value.values.extend(any_value(x) for x in v)
        return out
    if isinstance(v, Mapping):
        out = AnyValue()
        out.kvlist_value.SetInParent()
        out.kvlist_value.values.extend(kvs(v))
        return out
    raise TypeError(type(v))


def kvs(attrs: Mapping[str, Any]) -> list[KeyValue]:
    return [KeyValue(key=k, value=any_value(v)) for k, v in attrs.items()]


@dataclass
class SpanSpec:
    attrs: dict[str, Any]
    name: str = "chat gpt-4o"
    trace_id: bytes = bytes.fromhex(TRACE)
    span_id: bytes = bytes.fromhex(SPAN)
    parent_span_id: bytes = b""
    start_ns: int = T0
    end_ns: int = T0 + 1_500_250_000
    kind: int = 3
    events: list[tuple[str, int, dict[str, Any]]] = field(default_factory=list)
    status: tuple[int, str] = (0, "")


def trace_request(
    spans: Iterable[SpanSpec],
    resource: Mapping[str, Any] | None = None,
    scope: tuple[str, str] = ("tests.telemetry", "1.0"),
) -> ExportTraceServiceRequest:
    req = ExportTraceServiceRequest()
    rs = req.resource_spans.add()
    rs.resource.attributes.extend(
        kvs({"service.name": "shop-assistant"} if resource is None else resource)
    )
    ss = rs.scope_spans.add()
    ss.scope.name, ss.scope.version = scope
    for spec in spans:
        sp = ss.spans.add()
        sp.trace_id, sp.span_id, sp.parent_span_id = (
            spec.trace_id,
            spec.span_id,
            spec.parent_span_id,
        )
        sp.name = spec.name
        sp.kind = spec.kind  # type: ignore[assignment]  # protobuf enum fields take ints
        sp.start_time_unix_nano, sp.end_time_unix_nano = spec.start_ns, spec.end_ns
        sp.attributes.extend(kvs(spec.attrs))
        for name, t, attrs in spec.events:
            ev = sp.events.add()
            ev.name, ev.time_unix_nano = name, t
            ev.attributes.extend(kvs(attrs))
        sp.status.code = spec.status[0]  # type: ignore[assignment]  # an enum field takes ints
        sp.status.message = spec.status[1]
    return req


@dataclass
class LogSpec:
    event_name: str = ""
    body: Any = None
    attrs: dict[str, Any] = field(default_factory=dict)
    trace_id: bytes = bytes.fromhex(TRACE)
    span_id: bytes = bytes.fromhex(SPAN)
    time_ns: int = T0
    severity: int = 9


def logs_request(
    records: Iterable[LogSpec], resource: Mapping[str, Any] | None = None
) -> ExportLogsServiceRequest:
    req = ExportLogsServiceRequest()
    rl = req.resource_logs.add()
    rl.resource.attributes.extend(
        kvs({"service.name": "shop-assistant"} if resource is None else resource)
    )
    sl = rl.scope_logs.add()
    sl.scope.name = "tests.telemetry"
    for spec in records:
        lr = sl.log_records.add()
        lr.time_unix_nano, lr.observed_time_unix_nano = spec.time_ns, spec.time_ns + 1000
        lr.severity_number = spec.severity  # type: ignore[assignment]  # enum field takes ints
        lr.trace_id, lr.span_id = spec.trace_id, spec.span_id
        if spec.event_name:
            lr.event_name = spec.event_name
        if spec.body is not None:
            lr.body.CopyFrom(any_value(spec.body))
        lr.attributes.extend(kvs(spec.attrs))
    return req


_ID_KEYS = frozenset({"traceId", "spanId", "parentSpanId"})


def _hex_ids(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: (base64.b64decode(v).hex() if k in _ID_KEYS and isinstance(v, str) else _hex_ids(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_hex_ids(x) for x in node]
    return node


def to_otlp_json(req: Any) -> bytes:
    """OTLP/JSON as the spec writes it: hex trace/span ids, integer enums, int64 as strings."""
    obj = json_format.MessageToDict(req, use_integers_for_enums=True)
    return orjson.dumps(_hex_ids(obj))


_HEX32 = re.compile(r"[0-9a-f]{32}")
_HEX16 = re.compile(r"[0-9a-f]{16}")


def assert_valid_event(e: Event) -> None:
    """What every decoded event must satisfy, whatever the payload was."""
    assert isinstance(e, Event)
    assert is_uuid(e.id)
    assert e.time.tzinfo is not None
    assert e.time.utcoffset() == UTC.utcoffset(None)
    assert isinstance(e.kind, EventKind)
    assert e.source is Source.OTLP
    assert e.trace_id is None or _HEX32.fullmatch(e.trace_id)
    assert e.span_id is None or _HEX16.fullmatch(e.span_id)
    assert e.parent_span_id is None or _HEX16.fullmatch(e.parent_span_id)
    assert e.content is None or isinstance(e.content, str)
    for name in ("session_id", "principal", "agent", "provider", "model", "operation", "role"):
        value = getattr(e, name)
        assert value is None or isinstance(value, str)
    if e.tool is not None:
        assert e.tool.arguments is None or isinstance(e.tool.arguments, str)
    if e.usage is not None:
        assert e.usage.input_tokens is None or e.usage.input_tokens >= 0
    if e.latency_ms is not None:
        assert math.isfinite(e.latency_ms)
        assert e.latency_ms >= 0
    assert all(isinstance(k, str) for k in e.attributes)
    json.dumps(e.to_dict(), allow_nan=False)  # JSON-able: no NaN, no bytes, no exotic types


def dicts(events: Iterable[Event]) -> list[dict[str, Any]]:
    return [e.to_dict() for e in events]
