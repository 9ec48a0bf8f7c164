"""The Event: one step of an AI interaction, the unit everything in Garrison consumes.

Field names follow the OpenTelemetry GenAI conventions where one exists (``session_id`` is
``gen_ai.conversation.id``, ``provider`` is ``gen_ai.provider.name``, ``operation`` is
``gen_ai.operation.name``). ``attributes`` keeps the original dialect's attributes untouched, so
nothing a source sent is lost even when no field maps it.

Values are frozen: a stage that wants to change an event makes a new one (``dataclasses.replace``).
This module imports nothing of Garrison's but ``errors`` and ``model``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from garrison.errors import ValidationError
from garrison.model.ids import is_uuid, uuid7


class EventKind(StrEnum):
    """What the step was."""

    PROMPT = "prompt"  # content sent to a model (user, system, or tool results fed back)
    COMPLETION = "completion"  # a model's answer (or, with content capture off, the call itself)
    TOOL_CALL = "tool_call"  # a model or agent asked for a tool to run, with arguments
    TOOL_RESULT = "tool_result"  # what the tool returned (untrusted content)
    RETRIEVAL = "retrieval"  # a document retrieved for the model (untrusted content)
    MEMORY = "memory"  # an agent memory read or write
    EMBEDDING = "embedding"  # an embeddings call
    AGENT_STEP = "agent_step"  # an agent / workflow / plan step
    GUARD_DECISION = "guard_decision"  # a guardrail verdict (ours or another product's)


class Channel(StrEnum):
    """How far the content can be trusted: who could have written it."""

    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"
    TOOL = "tool"
    RETRIEVAL = "retrieval"
    MEMORY = "memory"
    EXTERNAL = "external"


class Source(StrEnum):
    """How the event reached Garrison."""

    OTLP = "otlp"
    API = "api"
    GATEWAY = "gateway"
    SDK = "sdk"
    IMPORT = "import"


@dataclass(frozen=True, slots=True)
class ToolCall:
    name: str | None = None
    call_id: str | None = None
    arguments: str | None = None  # JSON text as sent; never re-serialized

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "call_id": self.call_id, "arguments": self.arguments}


@dataclass(frozen=True, slots=True)
class Usage:
    input_tokens: int | None = None
    output_tokens: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"input_tokens": self.input_tokens, "output_tokens": self.output_tokens}


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    time: datetime  # timezone-aware, UTC
    tenant: str
    app: str
    kind: EventKind
    source: Source
    trace_id: str | None = None  # 32 lowercase hex characters
    span_id: str | None = None  # 16 lowercase hex characters
    parent_span_id: str | None = None
    session_id: str | None = None
    principal: str | None = None  # the end user or caller identity; OTel has no standard field
    agent: str | None = None
    provider: str | None = None
    model: str | None = None
    operation: str | None = None
    role: str | None = None
    channel: Channel | None = None
    content: str | None = None
    tool: ToolCall | None = None
    usage: Usage | None = None
    latency_ms: float | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "time": format_time(self.time),
            "tenant": self.tenant,
            "app": self.app,
            "kind": self.kind.value,
            "source": self.source.value,
            "trace_id": self.trace_id,
            "span_id": self.span_id,
            "parent_span_id": self.parent_span_id,
            "session_id": self.session_id,
            "principal": self.principal,
            "agent": self.agent,
            "provider": self.provider,
            "model": self.model,
            "operation": self.operation,
            "role": self.role,
            "channel": self.channel.value if self.channel else None,
            "content": self.content,
            "tool": self.tool.to_dict() if self.tool else None,
            "usage": self.usage.to_dict() if self.usage else None,
            "latency_ms": self.latency_ms,
            "attributes": dict(self.attributes),
        }

    def size_hint(self) -> int:
        """Rough bytes this event holds in memory; what the bounded queue counts."""
        n = 512 + len(self.content or "")
        if self.tool and self.tool.arguments:
            n += len(self.tool.arguments)
        return n + 64 * len(self.attributes)


def format_time(t: datetime) -> str:
    return t.astimezone(UTC).isoformat().replace("+00:00", "Z")


# --- parsing events sent in Garrison's own JSON -------------------------------------------------

_HEX32 = re.compile(r"[0-9a-f]{32}")
_HEX16 = re.compile(r"[0-9a-f]{16}")
MAX_ID_LEN = 512  # session ids, principals, app names: identifiers, not content
_STRING_FIELDS = ("session_id", "principal", "agent", "provider", "model", "operation", "role")
_KNOWN = frozenset(
    {
        "id", "time", "app", "kind", "trace_id", "span_id", "parent_span_id", "channel",
        "content", "tool", "usage", "latency_ms", "attributes", *_STRING_FIELDS,
    }
)  # fmt: skip


def parse_time(value: Any, where: str) -> datetime:
    """RFC 3339 text, or a number of seconds since the epoch."""
    if isinstance(value, bool):
        raise ValidationError(f"{where}: expected an RFC 3339 time", details={"field": where})
    if isinstance(value, int | float):
        if not math.isfinite(value) or not 0 <= value < 32503680000:
            raise ValidationError(f"{where}: time out of range", details={"field": where})
        return datetime.fromtimestamp(value, UTC)
    if isinstance(value, str):
        try:
            t = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise ValidationError(
                f"{where}: {value[:40]!r} is not an RFC 3339 time", details={"field": where}
            ) from None
        if t.tzinfo is None:
            raise ValidationError(
                f"{where}: time needs a UTC offset (e.g. 'Z')", details={"field": where}
            )
        return t.astimezone(UTC)
    raise ValidationError(f"{where}: expected an RFC 3339 time", details={"field": where})


def normalize_hex_id(value: Any, size: int, where: str) -> str | None:
    """Lowercase hex trace/span ids; an all-zero id means "absent" as in OTLP."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{where}: expected a hex string", details={"field": where})
    v = value.lower()
    pattern = _HEX32 if size == 32 else _HEX16
    if not pattern.fullmatch(v):
        raise ValidationError(
            f"{where}: expected {size} hex characters, got {len(value)}", details={"field": where}
        )
    return None if v == "0" * size else v


def _opt_str(obj: Mapping[str, Any], key: str, where: str, limit: int | None) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{where}.{key}: expected a string", details={"field": key})
    if limit is not None and len(value) > limit:
        raise ValidationError(
            f"{where}.{key}: longer than {limit} characters", details={"field": key}
        )
    return value


def _opt_int(obj: Mapping[str, Any], key: str, where: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(
            f"{where}.{key}: expected a non-negative integer", details={"field": key}
        )
    return value


def event_from_dict(
    obj: Any, *, tenant: str, source: Source, where: str = "event", now: datetime | None = None
) -> Event:
    """Validate one event in Garrison's JSON. Unknown fields are kept under ``attributes``.

    ``tenant`` and ``source`` come from the caller's credentials, never from the payload.
    """
    if not isinstance(obj, Mapping):
        raise ValidationError(f"{where}: expected a JSON object", details={"field": where})
    raw_kind = obj.get("kind")
    try:
        kind = EventKind(str(raw_kind)) if isinstance(raw_kind, str) else EventKind("")
    except ValueError:
        raise ValidationError(
            f"{where}.kind: {str(raw_kind)[:40]!r} is not one of {', '.join(EventKind)}",
            details={"field": "kind"},
        ) from None
    raw_channel = obj.get("channel")
    channel: Channel | None = None
    if raw_channel is not None:
        try:
            channel = Channel(raw_channel)
        except ValueError:
            raise ValidationError(
                f"{where}.channel: {str(raw_channel)[:40]!r} is not one of {', '.join(Channel)}",
                details={"field": "channel"},
            ) from None

    when = now or datetime.now(UTC)
    time = parse_time(obj["time"], f"{where}.time") if obj.get("time") is not None else when
    event_id = obj.get("id")
    if event_id is None:
        event_id = uuid7(int(time.timestamp() * 1000))
    elif not isinstance(event_id, str) or not is_uuid(event_id):
        raise ValidationError(f"{where}.id: expected a UUID", details={"field": "id"})
    else:
        event_id = event_id.lower()

    app = _opt_str(obj, "app", where, MAX_ID_LEN) or "default"
    content = _opt_str(obj, "content", where, None)

    tool: ToolCall | None = None
    raw_tool = obj.get("tool")
    if raw_tool is not None:
        if not isinstance(raw_tool, Mapping):
            raise ValidationError(f"{where}.tool: expected an object", details={"field": "tool"})
        args = raw_tool.get("arguments")
        if args is not None and not isinstance(args, str):
            import orjson  # arguments given as an object: keep them as JSON text

            try:
                args = orjson.dumps(args).decode()
            except TypeError as exc:
                raise ValidationError(
                    f"{where}.tool.arguments: {exc}", details={"field": "tool.arguments"}
                ) from None
        tool = ToolCall(
            name=_opt_str(raw_tool, "name", f"{where}.tool", MAX_ID_LEN),
            call_id=_opt_str(raw_tool, "call_id", f"{where}.tool", MAX_ID_LEN),
            arguments=args,
        )

    usage: Usage | None = None
    raw_usage = obj.get("usage")
    if raw_usage is not None:
        if not isinstance(raw_usage, Mapping):
            raise ValidationError(f"{where}.usage: expected an object", details={"field": "usage"})
        usage = Usage(
            input_tokens=_opt_int(raw_usage, "input_tokens", f"{where}.usage"),
            output_tokens=_opt_int(raw_usage, "output_tokens", f"{where}.usage"),
        )

    latency = obj.get("latency_ms")
    if latency is not None and (
        isinstance(latency, bool)
        or not isinstance(latency, int | float)
        or not math.isfinite(latency)
        or latency < 0
    ):
        raise ValidationError(
            f"{where}.latency_ms: expected a non-negative number", details={"field": "latency_ms"}
        )

    raw_attrs = obj.get("attributes")
    if raw_attrs is None:
        attributes: dict[str, Any] = {}
    elif isinstance(raw_attrs, Mapping):
        attributes = dict(raw_attrs)
    else:
        raise ValidationError(
            f"{where}.attributes: expected an object", details={"field": "attributes"}
        )
    for key, value in obj.items():
        if key not in _KNOWN:
            attributes.setdefault(str(key), value)

    strings = {k: _opt_str(obj, k, where, MAX_ID_LEN) for k in _STRING_FIELDS}
    return Event(
        id=event_id,
        time=time,
        tenant=tenant,
        app=app,
        kind=kind,
        source=source,
        trace_id=normalize_hex_id(obj.get("trace_id"), 32, f"{where}.trace_id"),
        span_id=normalize_hex_id(obj.get("span_id"), 16, f"{where}.span_id"),
        parent_span_id=normalize_hex_id(obj.get("parent_span_id"), 16, f"{where}.parent_span_id"),
        channel=channel,
        content=content,
        tool=tool,
        usage=usage,
        latency_ms=float(latency) if latency is not None else None,
        attributes=attributes,
        **strings,
    )
