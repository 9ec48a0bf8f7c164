"""OpenAI-style chat messages (as JSON) to the guard's ``ChatMessage``, for the SDK and
``POST /api/v1/scan``. A message may carry Garrison's ``channel`` to say how far its content can
be trusted (a retrieved document sent as a user message: ``channel: retrieval``); without one the
role decides (system, user, tool)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from garrison.errors import ValidationError
from garrison.guard.policy import INPUT_CHANNELS
from garrison.guard.types import ChatMessage, ToolCallSpec

ROLE_CHANNELS = {
    "system": "system",
    "developer": "system",
    "user": "user",
    "assistant": "assistant",
    "tool": "tool",
    "function": "tool",
}


def _bad(where: str, message: str) -> ValidationError:
    return ValidationError(f"{where}: {message}", details={"field": where})


def _text(content: Any, where: str) -> str | None:
    if content is None or isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for i, part in enumerate(content):
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, Mapping) and isinstance(part.get("text"), str):
                parts.append(part["text"])
            elif not isinstance(part, Mapping):
                raise _bad(f"{where}[{i}]", "expected a content part object")
        return "\n".join(parts)
    raise _bad(where, "expected a string, a list of content parts or null")


def tool_call_from(obj: Any, where: str) -> ToolCallSpec:
    if not isinstance(obj, Mapping):
        raise _bad(where, "expected a tool call object")
    fn = obj.get("function", obj)
    if not isinstance(fn, Mapping) or not isinstance(fn.get("name"), str) or not fn["name"]:
        raise _bad(f"{where}.function.name", "expected the tool's name")
    args = fn.get("arguments", "")
    if not isinstance(args, str):
        args = orjson.dumps(args).decode()
    call_id = obj.get("id") or ""
    if not isinstance(call_id, str):
        raise _bad(f"{where}.id", "expected a string")
    return ToolCallSpec(id=call_id, name=fn["name"], arguments=args)


def messages_from(data: Any, where: str = "messages") -> list[ChatMessage]:
    if not isinstance(data, Sequence) or isinstance(data, str):
        raise _bad(where, "expected a list of messages")
    out = []
    for i, m in enumerate(data):
        at = f"{where}[{i}]"
        if not isinstance(m, Mapping):
            raise _bad(at, "expected a message object")
        role = m.get("role")
        if role not in ROLE_CHANNELS:
            raise _bad(f"{at}.role", f"expected one of {', '.join(ROLE_CHANNELS)}")
        channel = m.get("channel", ROLE_CHANNELS[role])
        if channel not in (*INPUT_CHANNELS, "assistant"):
            raise _bad(f"{at}.channel", f"expected one of {', '.join(INPUT_CHANNELS)}")
        calls = m.get("tool_calls") or []
        if not isinstance(calls, list):
            raise _bad(f"{at}.tool_calls", "expected a list")
        name, call_id = m.get("name"), m.get("tool_call_id")
        out.append(
            ChatMessage(
                role=role,
                content=_text(m.get("content"), f"{at}.content"),
                channel=channel,
                name=name if isinstance(name, str) else None,
                tool_call_id=call_id if isinstance(call_id, str) else None,
                tool_calls=tuple(
                    tool_call_from(c, f"{at}.tool_calls[{j}]") for j, c in enumerate(calls)
                ),
            )
        )
    return out
