"""An exchange as pipeline events, so detections, alerts and hunts see gateway traffic the way
they see OTLP traffic.

Only what is new in this exchange is recorded on the input side: the messages after the last
assistant message (the user's new turn, the tool results being fed back, retrieved documents);
earlier turns were recorded by the exchanges that carried them. Each event carries the guard's
decision as attributes (``Decision.attributes()``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from garrison.guard.api import ChatMessage, Decision, ToolCallSpec
from garrison.model.event import Channel, Event, EventKind, Source, ToolCall, Usage
from garrison.model.ids import uuid7

_KINDS = {
    "system": EventKind.PROMPT,
    "user": EventKind.PROMPT,
    "tool": EventKind.TOOL_RESULT,
    "retrieval": EventKind.RETRIEVAL,
}


_CHANNELS = {c.value: c for c in Channel}


def new_trace_id() -> str:
    return os.urandom(16).hex()


@dataclass(slots=True)
class ExchangeRecord:
    """Who and what one exchange was about; turned into events when it ends."""

    tenant: str
    app: str
    trace_id: str
    provider: str
    model: str | None
    operation: str = "chat"
    session_id: str | None = None
    principal: str | None = None
    started: float = field(default_factory=time.perf_counter)
    attributes: dict[str, Any] = field(default_factory=dict)

    def event(
        self,
        kind: EventKind,
        *,
        channel: str | None,
        role: str | None,
        content: str | None,
        decision: Decision | None,
        parent: str | None = None,
        tool: ToolCall | None = None,
        usage: Usage | None = None,
        latency_ms: float | None = None,
    ) -> Event:
        now = datetime.now(UTC)
        attributes = dict(self.attributes)
        if decision is not None:
            attributes.update(decision.attributes())
        return Event(
            id=uuid7(int(now.timestamp() * 1000)),
            time=now,
            tenant=self.tenant,
            app=self.app,
            kind=kind,
            source=Source.GATEWAY,
            trace_id=self.trace_id,
            span_id=os.urandom(8).hex(),
            parent_span_id=parent,
            session_id=self.session_id,
            principal=self.principal,
            provider=self.provider,
            model=self.model,
            operation=self.operation,
            role=role,
            channel=_CHANNELS.get(channel or ""),
            content=content,
            tool=tool,
            usage=usage,
            latency_ms=latency_ms,
            attributes=attributes,
        )


def new_messages(messages: Sequence[ChatMessage]) -> list[ChatMessage]:
    """The messages this exchange adds: those after the last assistant message."""
    last = max((i for i, m in enumerate(messages) if m.role == "assistant"), default=-1)
    return list(messages[last + 1 :])


def input_events(
    record: ExchangeRecord, messages: Sequence[ChatMessage], decision: Decision
) -> list[Event]:
    out = []
    for m in new_messages(messages):
        kind = _KINDS.get(m.channel, EventKind.PROMPT)
        tool = ToolCall(call_id=m.tool_call_id, name=m.name) if m.tool_call_id else None
        out.append(
            record.event(
                kind,
                channel=m.channel,
                role=m.role,
                content=m.content,
                decision=decision,
                tool=tool,
            )
        )
    return out


def output_events(
    record: ExchangeRecord,
    text: str | None,
    tool_calls: Sequence[ToolCallSpec],
    decision: Decision | None,
    usage: dict[str, Any] | None,
    status: str = "ok",
) -> list[Event]:
    """The completion (always: it carries usage, latency and how the exchange ended) and one
    ``tool_call`` event per call the model asked for."""
    latency = (time.perf_counter() - record.started) * 1000
    tokens = None
    if isinstance(usage, dict):
        pt, ct = usage.get("prompt_tokens"), usage.get("completion_tokens")
        tokens = Usage(
            input_tokens=pt if isinstance(pt, int) and pt >= 0 else None,
            output_tokens=ct if isinstance(ct, int) and ct >= 0 else None,
        )
    record.attributes["garrison.gateway.outcome"] = status
    completion = record.event(
        EventKind.COMPLETION,
        channel="assistant",
        role="assistant",
        content=text,
        decision=decision,
        usage=tokens,
        latency_ms=latency,
    )
    out = [completion]
    for call in tool_calls:
        out.append(
            record.event(
                EventKind.TOOL_CALL,
                channel="assistant",
                role="assistant",
                content=None,
                decision=decision,
                parent=completion.span_id,
                tool=ToolCall(name=call.name, call_id=call.id, arguments=call.arguments),
            )
        )
    return out
