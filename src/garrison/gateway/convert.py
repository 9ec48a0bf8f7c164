"""OpenAI chat messages to the guard's ``ChatMessage`` and back.

The guard sees text: content parts are flattened (text parts joined, images and audio left out of
the check). What goes upstream is the guard's decision applied to the caller's original messages:
a message the guard left alone is forwarded exactly as sent (parts, names, every field); a
rewritten one keeps its non-text parts and gets the new text; a message the guard added goes as
plain text. Retrieved documents are marked by the caller with a message ``name`` that starts
with the configured prefix (``retrieval`` by default): they are checked on the retrieval channel.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from garrison.errors import InputError
from garrison.guard.api import ChatMessage, ToolCallSpec
from garrison.guard.messages import ROLE_CHANNELS as _CHANNELS  # one role → channel map


def _bad(message: str, param: str) -> InputError:
    return InputError(message, details={"param": param})


def flatten(content: Any, where: str) -> str | None:
    """Text of a message's content: a string, or the text of its parts."""
    if content is None or isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = []
        for i, part in enumerate(content):
            if not isinstance(part, dict):
                raise _bad(f"{where}[{i}]: expected a content part object", where)
            if part.get("type") in ("text", "input_text", "refusal"):
                text = part.get("text", part.get("refusal"))
                if not isinstance(text, str):
                    raise _bad(f"{where}[{i}].text: expected a string", f"{where}[{i}].text")
                texts.append(text)
        return "\n".join(texts)
    raise _bad(f"{where}: expected a string or an array of content parts", where)


def tool_calls_of(raw: Any, where: str) -> tuple[ToolCallSpec, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _bad(f"{where}: expected an array", where)
    calls = []
    for i, call in enumerate(raw):
        fn = call.get("function") if isinstance(call, dict) else None
        if not isinstance(fn, dict) or not isinstance(fn.get("name"), str):
            raise _bad(f"{where}[{i}].function.name: expected a string", f"{where}[{i}]")
        args = fn.get("arguments", "")
        calls.append(
            ToolCallSpec(
                id=str(call.get("id") or ""),
                name=fn["name"],
                arguments=args if isinstance(args, str) else "",
            )
        )
    return tuple(calls)


def to_chat(messages: Any, retrieval_prefix: str) -> list[ChatMessage]:
    """The request's ``messages`` as ChatMessages; 400 naming the first bad message."""
    if not isinstance(messages, list) or not messages:
        raise _bad("messages: expected a non-empty array of messages", "messages")
    out = []
    for i, msg in enumerate(messages):
        where = f"messages[{i}]"
        if not isinstance(msg, dict):
            raise _bad(f"{where}: expected a message object", where)
        role = msg.get("role")
        if role not in _CHANNELS:
            raise _bad(f"{where}.role: expected one of {', '.join(_CHANNELS)}", f"{where}.role")
        name = msg.get("name")
        if name is not None and not isinstance(name, str):
            raise _bad(f"{where}.name: expected a string", f"{where}.name")
        channel = _CHANNELS[role]
        if name and retrieval_prefix and name.startswith(retrieval_prefix) and role != "assistant":
            channel = "retrieval"
        call_id = msg.get("tool_call_id")
        out.append(
            ChatMessage(
                role=role,
                content=flatten(msg.get("content"), f"{where}.content"),
                channel=channel,
                name=name,
                tool_call_id=call_id if isinstance(call_id, str) else None,
                tool_calls=tool_calls_of(msg.get("tool_calls"), f"{where}.tool_calls"),
            )
        )
    return out


def _call_dict(call: ToolCallSpec) -> dict[str, Any]:
    return {
        "id": call.id,
        "type": "function",
        "function": {"name": call.name, "arguments": call.arguments},
    }


def from_chat(
    decided: Sequence[ChatMessage], originals: Sequence[ChatMessage], raw: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The messages to send upstream: ``decided`` applied to the caller's ``raw`` messages."""
    if len(decided) == len(originals) and all(
        d is o or d == o for d, o in zip(decided, originals, strict=True)
    ):
        return raw  # nothing rewritten: forward what the caller sent, untouched
    # First pass: messages the guard left as they were keep the caller's exact dict. Second
    # pass: a rewritten message takes the fields of the first unused original of its role (and
    # tool call); a message the guard added (a spotlighting note) goes as plain text.
    by_value: dict[ChatMessage, list[int]] = {}
    by_role: dict[tuple[str, str | None], list[int]] = {}
    for i, o in enumerate(originals):
        by_value.setdefault(o, []).append(i)
        by_role.setdefault((o.role, o.tool_call_id), []).append(i)
    used: set[int] = set()
    bases: list[int | None] = []
    for d in decided:
        same = by_value.get(d)
        index = same.pop(0) if same else None
        if index is not None:
            used.add(index)
        bases.append(index)
    out: list[dict[str, Any]] = []
    for d, index in zip(decided, bases, strict=True):
        if index is not None:
            out.append(raw[index])
            continue
        candidates = by_role.get((d.role, d.tool_call_id), [])
        while candidates and candidates[0] in used:
            candidates.pop(0)
        base = candidates.pop(0) if candidates else None
        if base is not None:
            used.add(base)
        out.append(_rewritten(d, raw[base] if base is not None else None))
    return out


def _rewritten(d: ChatMessage, base: dict[str, Any] | None) -> dict[str, Any]:
    msg: dict[str, Any] = dict(base) if base is not None else {"role": d.role}
    content = msg.get("content")
    if isinstance(content, list) and d.content is not None:
        others = [p for p in content if isinstance(p, dict) and p.get("type") != "text"]
        msg["content"] = [{"type": "text", "text": d.content}, *others]
    else:
        msg["content"] = d.content
    if d.name is not None:
        msg["name"] = d.name
    if d.tool_call_id is not None:
        msg["tool_call_id"] = d.tool_call_id
    if d.tool_calls and (base is None or tool_calls_of(base.get("tool_calls"), "") != d.tool_calls):
        msg["tool_calls"] = [_call_dict(c) for c in d.tool_calls]
    return msg


def apply_tool_calls(
    raw: list[dict[str, Any]] | None, decided: Sequence[ToolCallSpec]
) -> list[dict[str, Any]] | None:
    """The answer's tool calls after the guard: kept as sent unless rewritten or dropped."""
    if not raw:
        return [_call_dict(c) for c in decided] or raw
    by_id = {str(c.get("id") or ""): c for c in raw if isinstance(c, dict)}
    out = []
    for call in decided:
        original = by_id.get(call.id)
        fn = original.get("function") if original else None
        if (
            original
            and isinstance(fn, dict)
            and (fn.get("name"), fn.get("arguments"))
            == (
                call.name,
                call.arguments,
            )
        ):
            out.append(original)
        else:
            out.append(_call_dict(call))
    return out or None
