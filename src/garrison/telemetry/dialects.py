"""What an AI span's attributes mean: the three telemetry dialects mapped onto Garrison's Event.

Dialects read here, all from one plain ``dict`` of attributes (see ``anyvalue``):

* OpenTelemetry GenAI semantic conventions, current (``gen_ai.input.messages`` JSON,
  ``gen_ai.provider.name``, ``gen_ai.usage.input_tokens`` …) and deprecated (``gen_ai.system``,
  ``gen_ai.prompt`` / ``gen_ai.completion``, ``gen_ai.usage.prompt_tokens``, per-message events);
* OpenInference (``openinference.span.kind``, flattened ``llm.input_messages.N.message.*``,
  ``input.value`` / ``output.value``, ``retrieval.documents.N.document.*``);
* OpenLLMetry / Traceloop (``traceloop.*``, ``llm.request.type``, flattened
  ``gen_ai.prompt.N.*`` / ``gen_ai.completion.N.*``).

Which attribute feeds which field is data (the tables below), read in order, first hit wins;
``docs/telemetry.md`` renders the same tables for people. The functions turn one span into
``Draft`` values (kind, channel, role, content, tool, extra attributes); ``otlp`` adds ids,
times, tenant and the common fields.

This module must never raise on odd attribute values (a malformed ``gen_ai.input.messages`` is
mapped as raw text, never rejected), never drop an attribute, and never do I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any, NamedTuple

import orjson

from garrison.model.event import MAX_ID_LEN, Channel, EventKind, ToolCall, Usage


class SpanClass(Enum):
    """The handful of shapes an AI span can have; each has one draft builder below."""

    INFERENCE = "inference"
    EMBEDDINGS = "embeddings"
    RETRIEVAL = "retrieval"
    TOOL = "tool"
    MEMORY = "memory"
    AGENT = "agent"
    GUARDRAIL = "guardrail"


_I, _E, _R, _T, _M, _A, _G = (
    SpanClass.INFERENCE,
    SpanClass.EMBEDDINGS,
    SpanClass.RETRIEVAL,
    SpanClass.TOOL,
    SpanClass.MEMORY,
    SpanClass.AGENT,
    SpanClass.GUARDRAIL,
)

# --- classification tables ----------------------------------------------------------------------

#: ``gen_ai.operation.name`` (current enum) -> span class
OPERATION_CLASS: dict[str, SpanClass] = {
    "chat": _I,
    "text_completion": _I,
    "generate_content": _I,
    "fetch_response": _I,
    "embeddings": _E,
    "retrieval": _R,
    "execute_tool": _T,
    "create_agent": _A,
    "invoke_agent": _A,
    "invoke_workflow": _A,
    "plan": _A,
    "run_guardrail": _G,
    "create_memory_store": _M,
    "search_memory": _M,
    "create_memory": _M,
    "update_memory": _M,
    "upsert_memory": _M,
    "delete_memory": _M,
    "delete_memory_store": _M,
}

#: ``openinference.span.kind`` -> (derived operation name or None when GenAI has none, class).
#: EVALUATOR and PROMPT spans have no table entry: they are accepted and produce no event.
OPENINFERENCE_KIND: dict[str, tuple[str | None, SpanClass]] = {
    "LLM": ("chat", _I),
    "EMBEDDING": ("embeddings", _E),
    "RETRIEVER": ("retrieval", _R),
    "RERANKER": (None, _R),
    "TOOL": ("execute_tool", _T),
    "AGENT": ("invoke_agent", _A),
    "CHAIN": (None, _A),
    "GUARDRAIL": ("run_guardrail", _G),
}

#: OpenLLMetry ``llm.request.type`` -> (operation, class). ``rerank`` has no entry (no event).
LLM_REQUEST_TYPE: dict[str, tuple[str, SpanClass]] = {
    "chat": ("chat", _I),
    "completion": ("text_completion", _I),
    "embedding": ("embeddings", _E),
}

#: OpenLLMetry ``traceloop.span.kind`` -> (operation, class). ``unknown`` has no entry.
TRACELOOP_KIND: dict[str, tuple[str | None, SpanClass]] = {
    "workflow": ("invoke_workflow", _A),
    "agent": ("invoke_agent", _A),
    "task": (None, _A),
    "tool": ("execute_tool", _T),
}

#: MCP ``mcp.method.name`` -> (operation, class); other MCP methods are accepted, no event.
MCP_METHOD: dict[str, tuple[str, SpanClass]] = {"tools/call": ("execute_tool", _T)}

#: An attribute key with one of these prefixes makes a span an AI span.
AI_PREFIXES = ("gen_ai.", "llm.", "traceloop.")
AI_KEYS = ("openinference.span.kind",)

# --- field tables: first attribute present wins -------------------------------------------------

FIELD_SOURCES: dict[str, tuple[str, ...]] = {
    "session_id": (
        "gen_ai.conversation.id",
        "session.id",
        "traceloop.association.properties.session_id",
        "langfuse.session.id",
    ),
    "principal": (
        "user.id",
        "enduser.id",
        "gen_ai.request.user",
        "llm.user",
        "traceloop.association.properties.user_id",
        "langfuse.user.id",
    ),
    "agent": ("gen_ai.agent.name", "gen_ai.agent.id", "agent.name"),
    "provider": ("gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system"),
    "model": (
        "gen_ai.request.model",
        "gen_ai.response.model",
        "llm.model_name",
        "llm.request.model_name",
        "llm.response.model_name",
    ),
}
INPUT_TOKENS = (
    "gen_ai.usage.input_tokens",
    "gen_ai.usage.prompt_tokens",
    "llm.token_count.prompt",
    "llm.usage.prompt_tokens",
)
OUTPUT_TOKENS = (
    "gen_ai.usage.output_tokens",
    "gen_ai.usage.completion_tokens",
    "llm.token_count.completion",
    "llm.usage.completion_tokens",
)
FINISH_REASONS = ("gen_ai.response.finish_reasons", "llm.response.finish_reason")

TOOL_NAME = ("gen_ai.tool.name", "tool.name")
TOOL_CALL_ID = ("gen_ai.tool.call.id", "tool_call.id")
TOOL_ARGUMENTS = (
    "gen_ai.tool.call.arguments",
    "input.value",
    "traceloop.entity.input",
    "mcp.request.argument",
)
TOOL_RESULT = (
    "gen_ai.tool.call.result",
    "output.value",
    "traceloop.entity.output",
    "mcp.response.value",
)
STEP_INPUT = ("input.value", "traceloop.entity.input")
STEP_OUTPUT = ("output.value", "traceloop.entity.output")
GUARD_INPUT = ("gen_ai.guardrail.security.content.input.value", "input.value")

#: Structured (JSON) message attributes, then flattened prefixes, in the order they are tried.
INPUT_JSON = ("gen_ai.input.messages", "gen_ai.prompt")
OUTPUT_JSON = ("gen_ai.output.messages", "gen_ai.completion")
INPUT_FLAT = ("gen_ai.prompt.", "llm.input_messages.")
OUTPUT_FLAT = ("gen_ai.completion.", "llm.output_messages.")
RETRIEVAL_FLAT = ("retrieval.documents.", "reranker.output_documents.")
EMBEDDING_FLAT = ("embedding.embeddings.", "gen_ai.prompt.")

#: Bulky content attributes. They stay, as received, on the span's primary event; the span's
#: other events (each prompt, each document …) carry the rest of the attributes without them,
#: so a span with N documents does not store N copies of all N documents.
CONTENT_KEYS = frozenset(
    {
        "gen_ai.input.messages",
        "gen_ai.output.messages",
        "gen_ai.system_instructions",
        "gen_ai.prompt",
        "gen_ai.completion",
        "gen_ai.tool.definitions",
        "gen_ai.tool.call.arguments",
        "gen_ai.tool.call.result",
        "gen_ai.retrieval.documents",
        "gen_ai.memory.records",
        "gen_ai.guardrail.security.content.input.value",
        "gen_ai.guardrail.security.content.output.value",
        "input.value",
        "output.value",
        "llm.invocation_parameters",
        "traceloop.entity.input",
        "traceloop.entity.output",
        "mcp.request.argument",
        "mcp.response.value",
        "otel.span.events",
        "otel.log.body",
        "otel.log.history",
    }
)
CONTENT_PREFIXES = (
    "gen_ai.prompt.",
    "gen_ai.completion.",
    "llm.input_messages.",
    "llm.output_messages.",
    "llm.tools.",
    "llm.prompt_template.",
    "retrieval.documents.",
    "reranker.",
    "embedding.embeddings.",
)

#: Message role -> (event kind, channel). Unknown roles map to ``UNKNOWN_ROLE``.
ROLES: dict[str, tuple[EventKind, Channel]] = {
    "system": (EventKind.PROMPT, Channel.SYSTEM),
    "developer": (EventKind.PROMPT, Channel.SYSTEM),
    "user": (EventKind.PROMPT, Channel.USER),
    "human": (EventKind.PROMPT, Channel.USER),
    "assistant": (EventKind.PROMPT, Channel.ASSISTANT),
    "model": (EventKind.PROMPT, Channel.ASSISTANT),
    "ai": (EventKind.PROMPT, Channel.ASSISTANT),
    "tool": (EventKind.TOOL_RESULT, Channel.TOOL),
    "function": (EventKind.TOOL_RESULT, Channel.TOOL),
    "ipython": (EventKind.TOOL_RESULT, Channel.TOOL),
}
UNKNOWN_ROLE = (EventKind.PROMPT, Channel.EXTERNAL)  # someone we cannot name: untrusted
ASSISTANT_ROLES = frozenset({"assistant", "model", "ai"})

#: Deprecated GenAI per-message events (span events or log records) -> the role they carry.
MESSAGE_EVENTS: dict[str, str] = {
    "gen_ai.system.message": "system",
    "gen_ai.user.message": "user",
    "gen_ai.assistant.message": "assistant",
    "gen_ai.tool.message": "tool",
}
CHOICE_EVENT = "gen_ai.choice"
DETAILS_EVENT = "gen_ai.client.inference.operation.details"
#: Older (semconv ≤ 1.27) span events that carried the deprecated content attributes.
CONTENT_EVENTS: dict[str, str] = {
    "gen_ai.content.prompt": "gen_ai.prompt",
    "gen_ai.content.completion": "gen_ai.completion",
}

TEXT_PART_TYPES = frozenset({"text", "input_text", "output_text"})
TRANSCRIPT_PART_TYPES = frozenset({"blob", "file", "uri"})


# --- values -------------------------------------------------------------------------------------


class Message(NamedTuple):
    """One chat message, whatever dialect it came in."""

    role: str | None
    text: str | None  # the text parts joined with "\n"
    tool_calls: tuple[ToolCall, ...] = ()
    tool_results: tuple[tuple[str | None, str | None], ...] = ()  # (call id, response text)
    call_id: str | None = None  # a role=tool message's tool_call_id
    name: str | None = None
    finish_reason: str | None = None
    path: str = ""  # where it came from, e.g. "gen_ai.input.messages[3]"


class Draft(NamedTuple):
    """One event a span means, before ids, times and the common fields are added."""

    kind: EventKind
    channel: Channel | None
    role: str | None
    content: str | None
    tool: ToolCall | None = None
    extra: dict[str, Any] | None = None  # garrison.* attributes of this event only
    primary: bool = False  # carries usage, latency and every attribute of the span


def to_text(value: Any) -> str | None:
    """Content as text: strings as they are, anything structured as compact JSON."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # orjson.JSONEncodeError: e.g. an int wider than 64 bits
        return str(value)


def load_json(value: Any) -> Any:
    """A JSON attribute value: parsed when it is text, as it is when already structured.

    Returns ``None`` for text that is not JSON (instrumentations truncate long attributes).
    """
    if isinstance(value, str):
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            return None
    return value


def first(attrs: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = attrs.get(key)
        if value is not None and value != "":
            return value
    return None


def first_id(attrs: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    """An identifier (session, user, model …): text, or an integer written as text."""
    for key in keys:
        value = attrs.get(key)
        if isinstance(value, str):
            if value:
                return value[:MAX_ID_LEN]
        elif isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    return None


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 19:
        return int(value)
    return None


def first_count(attrs: dict[str, Any], keys: tuple[str, ...]) -> int | None:
    for key in keys:
        if key in attrs:
            n = _count(attrs[key])
            if n is not None:
                return n
    return None


def usage_of(attrs: dict[str, Any]) -> Usage | None:
    i = first_count(attrs, INPUT_TOKENS)
    o = first_count(attrs, OUTPUT_TOKENS)
    return None if i is None and o is None else Usage(input_tokens=i, output_tokens=o)


def is_ai(attrs: dict[str, Any]) -> bool:
    for key in AI_KEYS:
        if key in attrs:
            return True
    method = attrs.get("mcp.method.name")
    if isinstance(method, str) and method in MCP_METHOD:
        return True
    return any(k.startswith(AI_PREFIXES) for k in attrs)


def _has_prefix(attrs: dict[str, Any], prefixes: tuple[str, ...]) -> bool:
    return any(k.startswith(prefixes) for k in attrs)


def classify(attrs: dict[str, Any], span_name: str = "") -> tuple[str | None, SpanClass | None]:
    """(operation name, span class) of an AI span; class None means "accepted, no event".

    An explicit ``gen_ai.operation.name`` wins, then each dialect's kind attribute, then
    the span name's first word, then what the content attributes look like.
    """
    op = attrs.get("gen_ai.operation.name")
    op = op if isinstance(op, str) and op else None
    if op is not None:
        cls = OPERATION_CLASS.get(op)
        if cls is not None:
            return op, cls
    for key, table, norm in _KIND_TABLES:
        raw = attrs.get(key)
        if isinstance(raw, str):
            hit = table.get(norm(raw))
            if hit is not None:
                return op or hit[0], hit[1]
    head = span_name.partition(" ")[0]
    if head in OPERATION_CLASS:
        return op or head, OPERATION_CLASS[head]
    if (
        any(k in attrs for k in INPUT_JSON + OUTPUT_JSON)
        or first(attrs, FIELD_SOURCES["model"]) is not None
        or _has_prefix(attrs, INPUT_FLAT + OUTPUT_FLAT)
    ):
        return op or "chat", _I
    if "gen_ai.tool.name" in attrs:
        return op or "execute_tool", _T
    if "gen_ai.agent.name" in attrs or "gen_ai.agent.id" in attrs:
        return op or "invoke_agent", _A
    return op, None


def _upper(s: str) -> str:
    return s.upper()


def _lower(s: str) -> str:
    return s.lower()


def _same(s: str) -> str:
    return s


_KIND_TABLES: tuple[tuple[str, dict[str, Any], Any], ...] = (
    ("openinference.span.kind", OPENINFERENCE_KIND, _upper),
    ("llm.request.type", LLM_REQUEST_TYPE, _lower),
    ("traceloop.span.kind", TRACELOOP_KIND, _lower),
    ("mcp.method.name", MCP_METHOD, _same),
)


def common_fields(attrs: dict[str, Any]) -> dict[str, str | None]:
    """session_id, principal, agent, provider, model from the tables."""
    out = {name: first_id(attrs, keys) for name, keys in FIELD_SOURCES.items()}
    if out["agent"] is None and attrs.get("traceloop.span.kind") == "agent":
        out["agent"] = first_id(attrs, ("traceloop.entity.name",))
    return out


# --- messages -----------------------------------------------------------------------------------


def _join(texts: list[str]) -> str | None:
    if not texts:
        return None
    return texts[0] if len(texts) == 1 else "\n".join(texts)


def _opt_str(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else to_text(value)


def _tool_call(obj: dict[str, Any]) -> ToolCall:
    """A tool call in GenAI parts, OpenAI ``tool_calls`` or Anthropic ``tool_use`` shape."""
    fn = obj.get("function")
    src = fn if isinstance(fn, dict) else obj
    args = src.get("arguments")
    if args is None:
        args = obj.get("input")
    return ToolCall(
        name=_opt_str(src.get("name")),
        call_id=_opt_str(obj.get("id")),
        arguments=to_text(args),
    )


def _parts(parts: list[Any], texts: list[str], calls: list[ToolCall], results: list[Any]) -> None:
    for part in parts:
        if isinstance(part, str):
            texts.append(part)
            continue
        if not isinstance(part, dict):
            continue
        kind = part.get("type")
        if kind == "text":  # the common case first
            text = part.get("content")
            if isinstance(text, str):
                texts.append(text)
                continue
        elif kind is not None and not isinstance(kind, str):
            continue  # a part type that is not even text: nothing to read
        if kind in TEXT_PART_TYPES or (kind is None and "content" in part):
            text = part.get("content")
            if text is None:
                text = part.get("text")
            if text is not None:
                texts.append(to_text(text) or "")
        elif kind == "tool_call" or kind == "tool_use" or kind == "function_call":
            calls.append(_tool_call(part))
        elif kind == "tool_call_response":
            results.append((_opt_str(part.get("id")), to_text(part.get("response"))))
        elif kind == "tool_result":
            results.append((_opt_str(part.get("tool_use_id")), to_text(part.get("content"))))
        elif kind in TRANSCRIPT_PART_TYPES:
            transcript = part.get("transcript")
            if isinstance(transcript, str) and transcript:
                texts.append(transcript)
        # reasoning, compaction, images, server tool calls: kept raw in attributes only


def message_from_obj(obj: dict[str, Any], path: str) -> Message:
    """A message in GenAI ``parts`` shape or the older OpenAI ``content`` shape."""
    texts: list[str] = []
    calls: list[ToolCall] = []
    results: list[tuple[str | None, str | None]] = []
    parts = obj.get("parts")
    if isinstance(parts, list):
        _parts(parts, texts, calls, results)
    content = obj.get("content")
    if isinstance(content, str):
        texts.append(content)
    elif isinstance(content, list):
        _parts(content, texts, calls, results)
    elif content is not None and not isinstance(parts, list):
        texts.append(to_text(content) or "")
    raw_calls = obj.get("tool_calls")
    if isinstance(raw_calls, list):
        calls.extend(_tool_call(c) for c in raw_calls if isinstance(c, dict))
    fc = obj.get("function_call")
    if isinstance(fc, dict):
        calls.append(_tool_call(fc))
    role = obj.get("role")
    call_id = obj.get("tool_call_id")
    if call_id is None and role in ("tool", "function"):
        call_id = obj.get("id")
    return Message(  # positional: this runs once per message of every span
        role.lower() if isinstance(role, str) and role else None,
        _join(texts),
        tuple(calls),
        tuple(results),
        _opt_str(call_id),
        _opt_str(obj.get("name")),
        _opt_str(obj.get("finish_reason")),
        path,
    )


def parse_messages(value: Any, path: str) -> list[Message] | None:
    """Messages from a JSON attribute; None when the value is not a message list at all."""
    data = load_json(value)
    if isinstance(data, dict):
        if isinstance(data.get("messages"), list):  # a whole request body ({"messages": …})
            data, path = data["messages"], f"{path}.messages"
        elif isinstance(data.get("choices"), list):  # a whole OpenAI response body
            data = [c.get("message") if isinstance(c, dict) else None for c in data["choices"]]
            path = f"{path}.choices"
        elif "role" in data or "parts" in data:
            data = [data]
        else:
            return None
    if not isinstance(data, list):
        return None
    out: list[Message] = []
    for i, m in enumerate(data):
        if isinstance(m, dict):
            out.append(message_from_obj(m, f"{path}[{i}]"))
        elif isinstance(m, str):  # a list of prompt strings (text completion)
            out.append(Message(None, m, path=f"{path}[{i}]"))
    return out


def _flat_groups(attrs: dict[str, Any], prefix: str) -> dict[int, dict[str, Any]]:
    """``prefix + "N.rest" = v`` keys grouped by N: {N: {rest: v}}."""
    groups: dict[int, dict[str, Any]] = {}
    plen = len(prefix)
    for key, value in attrs.items():
        if key.startswith(prefix):
            idx, _, rest = key[plen:].partition(".")
            if rest and idx.isascii() and idx.isdigit() and len(idx) < 10:
                groups.setdefault(int(idx), {})[rest] = value
    return groups


def _flat_message(fields: dict[str, Any], path: str) -> Message:
    """One flattened message: OpenLLMetry (``role``, ``content``, ``tool_calls.M.name``) or
    OpenInference (``message.role``, ``message.contents.K.message_content.text``,
    ``message.tool_calls.M.tool_call.function.name``). The last dotted segment names the field.
    """
    plain: dict[str, Any] = {}
    texts: dict[int, str] = {}
    calls: dict[int, dict[str, Any]] = {}
    for key, value in fields.items():
        if key.startswith("message."):
            key = key[8:]
        if key.startswith(("tool_calls.", "contents.")):
            head, _, rest = key.partition(".")
            idx, _, sub = rest.partition(".")
            if not (idx.isascii() and idx.isdigit() and len(idx) < 10):
                continue
            leaf = sub.rpartition(".")[2]
            if head == "contents":
                if leaf == "text" and value is not None:
                    texts[int(idx)] = to_text(value) or ""
            else:
                calls.setdefault(int(idx), {})[leaf] = value
        elif key.startswith("function_call."):
            calls.setdefault(-1, {})[key[14:]] = value
        else:
            plain[key] = value
    text_list = [texts[k] for k in sorted(texts)]
    content = plain.get("content")
    results: tuple[tuple[str | None, str | None], ...] = ()
    extra_calls: list[ToolCall] = []
    if isinstance(content, str) and content[:2] == "[{":  # OpenLLMetry multimodal content parts
        data = load_json(content)
        if isinstance(data, list):
            found: list[str] = []
            res: list[tuple[str | None, str | None]] = []
            _parts(data, found, extra_calls, res)
            if found or res or extra_calls:
                text_list[:0] = found
                results = tuple(res)
                content = None
    if content is not None:
        text_list.insert(0, to_text(content) or "")
    tool_calls = tuple(
        ToolCall(
            name=_opt_str(c.get("name")),
            call_id=_opt_str(c.get("id")),
            arguments=to_text(c.get("arguments")),
        )
        for _, c in sorted(calls.items())
    )
    role = plain.get("role")
    return Message(
        role=role.lower() if isinstance(role, str) and role else None,
        text=_join(text_list),
        tool_calls=tuple(extra_calls) + tool_calls,
        tool_results=results,
        call_id=_opt_str(plain.get("tool_call_id")),
        name=_opt_str(plain.get("name")),
        finish_reason=_opt_str(plain.get("finish_reason")),
        path=path,
    )


def flat_messages(attrs: dict[str, Any], prefixes: tuple[str, ...]) -> list[Message] | None:
    for prefix in prefixes:
        groups = _flat_groups(attrs, prefix)
        if groups:
            return [_flat_message(groups[i], f"{prefix}{i}") for i in sorted(groups)]
    return None


def _raw(value: Any, path: str, role: str | None) -> list[Message]:
    return [Message(role=role, text=to_text(value), path=path)]


def input_messages(
    attrs: dict[str, Any], fallback: tuple[str, ...] = ("input.value",)
) -> list[Message] | None:
    """The input messages, from the first form present; raw text when it is not JSON."""
    for key in INPUT_JSON:
        value = attrs.get(key)
        if value is not None and value != "":
            msgs = parse_messages(value, key)
            return msgs if msgs is not None else _raw(value, key, None)
    if _has_prefix(attrs, INPUT_FLAT):
        msgs = flat_messages(attrs, INPUT_FLAT)
        if msgs:
            return msgs
    for key in fallback:
        value = attrs.get(key)
        if value is not None and value != "":
            msgs = parse_messages(value, key) if _looks_json(value) else None
            return msgs if msgs else _raw(value, key, None)
    return None


def output_messages(
    attrs: dict[str, Any], fallback: tuple[str, ...] = ("output.value",)
) -> list[Message] | None:
    for key in OUTPUT_JSON:
        value = attrs.get(key)
        if value is not None and value != "":
            msgs = parse_messages(value, key)
            return msgs if msgs is not None else _raw(value, key, "assistant")
    if _has_prefix(attrs, OUTPUT_FLAT):
        msgs = flat_messages(attrs, OUTPUT_FLAT)
        if msgs:
            return msgs
    for key in fallback:
        value = attrs.get(key)
        if value is not None and value != "":
            msgs = parse_messages(value, key) if _looks_json(value) else None
            return msgs if msgs else _raw(value, key, "assistant")
    return None


def _looks_json(value: Any) -> bool:
    return not isinstance(value, str) or value[:1] in ("{", "[")


def system_instructions(attrs: dict[str, Any]) -> str | None:
    """``gen_ai.system_instructions``: a JSON list of parts, or plain text."""
    value = attrs.get("gen_ai.system_instructions")
    if value is None or value == "":
        return None
    data = load_json(value)
    if isinstance(data, dict):
        data = [data]
    if isinstance(data, list):
        texts: list[str] = []
        _parts(data, texts, [], [])
        return _join(texts)
    return to_text(value) if data is None else to_text(data)


def new_turn_start(msgs: list[Message]) -> int:
    """Index of the first message of the new turn: after the last assistant message.

    Trailing assistant messages (a prefill) belong to the new turn, so the user message
    before them is not mistaken for history.
    """
    end = len(msgs)
    while end and msgs[end - 1].role in ASSISTANT_ROLES:
        end -= 1
    for i in range(end - 1, -1, -1):
        if msgs[i].role in ASSISTANT_ROLES:
            return i + 1
    return 0


def tool_names(msgs: list[Message]) -> dict[str, str]:
    """call id -> tool name, from the assistant tool calls in the history."""
    names: dict[str, str] = {}
    for m in msgs:
        for tc in m.tool_calls:
            if tc.call_id and tc.name:
                names[tc.call_id] = tc.name
    return names


def message_drafts(m: Message, names: dict[str, str]) -> list[Draft]:
    """The events one input message means: its text, and one tool result per response part."""
    out: list[Draft] = []
    kind, channel = ROLES.get(m.role, UNKNOWN_ROLE) if m.role else UNKNOWN_ROLE
    if m.role is None:
        channel = Channel.USER  # raw prompt text without roles: scanned as the user's input
    if kind is EventKind.TOOL_RESULT:
        if m.text is not None or not m.tool_results:
            call_id = m.call_id
            name = m.name or (names.get(call_id) if call_id else None)
            out.append(
                Draft(
                    EventKind.TOOL_RESULT,
                    Channel.TOOL,
                    m.role,
                    m.text,
                    ToolCall(name=name, call_id=call_id),
                    {"garrison.content_path": m.path},
                )
            )
    elif m.text is not None:
        out.append(Draft(kind, channel, m.role, m.text, None, {"garrison.content_path": m.path}))
    for call_id, response in m.tool_results:
        name = names.get(call_id) if call_id else None
        out.append(
            Draft(
                EventKind.TOOL_RESULT,
                Channel.TOOL,
                "tool",
                response,
                ToolCall(name=name, call_id=call_id),
                {"garrison.content_path": m.path},
            )
        )
    return out


def prompt_drafts(
    msgs: list[Message] | None, instructions: str | None
) -> tuple[list[Draft], list[Message]]:
    """PROMPT / TOOL_RESULT drafts for the new turn only; returns (drafts, history)."""
    out: list[Draft] = []
    msgs = msgs or []
    start = new_turn_start(msgs)
    history = msgs[:start]
    if instructions is not None and start == 0:
        out.append(
            Draft(
                EventKind.PROMPT,
                Channel.SYSTEM,
                "system",
                instructions,
                None,
                {"garrison.content_path": "gen_ai.system_instructions"},
            )
        )
    names = tool_names(history)
    for m in msgs[start:]:
        out.extend(message_drafts(m, names))
    return out, history


def completion_drafts(outputs: list[Message] | None, attrs: dict[str, Any]) -> list[Draft]:
    """ONE completion (text parts joined, finish reasons) then one TOOL_CALL per tool call."""
    texts: list[str] = []
    calls: list[tuple[ToolCall, str]] = []
    reasons: list[str] = []
    paths: list[str] = []
    for m in outputs or ():
        if m.text is not None:
            texts.append(m.text)
            paths.append(m.path)
        if m.finish_reason:
            reasons.append(m.finish_reason)
        calls.extend((tc, m.path) for tc in m.tool_calls)
    extra: dict[str, Any] = {}
    declared = first(attrs, FINISH_REASONS)
    if isinstance(declared, list):
        extra["garrison.finish_reasons"] = [to_text(r) for r in declared]
    elif declared is not None:
        extra["garrison.finish_reasons"] = [to_text(declared)]
    elif reasons:
        extra["garrison.finish_reasons"] = reasons
    if paths:
        extra["garrison.content_path"] = paths[0] if len(paths) == 1 else paths
    out = [
        Draft(
            EventKind.COMPLETION,
            Channel.ASSISTANT,
            "assistant",
            _join(texts),
            None,
            extra or None,
            True,
        )
    ]
    out.extend(
        Draft(
            EventKind.TOOL_CALL,
            Channel.ASSISTANT,
            "assistant",
            None,
            tc,
            {"garrison.content_path": path},
        )
        for tc, path in calls
    )
    return out


def inference_drafts(
    attrs: dict[str, Any],
    event_inputs: list[Message] | None = None,
    event_outputs: list[Message] | None = None,
) -> list[Draft]:
    """An inference span (or a ``gen_ai.client.inference.operation.details`` record).

    ``event_inputs`` / ``event_outputs`` are the deprecated per-message events, used only when
    the attributes carry no messages of their own.
    """
    msgs = input_messages(attrs)
    if msgs is None:
        msgs = event_inputs
    drafts, _ = prompt_drafts(msgs, system_instructions(attrs))
    outputs = output_messages(attrs)
    if outputs is None:
        outputs = event_outputs
    drafts.extend(completion_drafts(outputs, attrs))
    return drafts


def _tool_name(attrs: dict[str, Any], span_name: str) -> str | None:
    name = first_id(attrs, TOOL_NAME)
    if name is None and attrs.get("traceloop.span.kind") == "tool":
        name = first_id(attrs, ("traceloop.entity.name",))
    if name is None:
        head, _, tail = span_name.partition(" ")
        if tail and head in ("execute_tool", "tools/call"):
            name = tail[:MAX_ID_LEN]
    return name


def _first_key(attrs: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = attrs.get(key)
        if value is not None and value != "":
            return key
    return None


def tool_drafts(attrs: dict[str, Any], span_name: str) -> list[Draft]:
    """execute_tool / OpenInference TOOL / traceloop tool / MCP tools/call spans."""
    name = _tool_name(attrs, span_name)
    call_id = first_id(attrs, TOOL_CALL_ID)
    args_key = _first_key(attrs, TOOL_ARGUMENTS)
    call = ToolCall(
        name=name, call_id=call_id, arguments=to_text(attrs[args_key]) if args_key else None
    )
    out = [
        Draft(
            EventKind.TOOL_CALL,
            Channel.ASSISTANT,
            None,
            None,
            call,
            {"garrison.content_path": args_key} if args_key else None,
            True,
        )
    ]
    result_key = _first_key(attrs, TOOL_RESULT)
    if result_key is not None:
        out.append(
            Draft(
                EventKind.TOOL_RESULT,
                Channel.TOOL,
                "tool",
                to_text(attrs[result_key]),
                ToolCall(name=name, call_id=call_id),
                {"garrison.content_path": result_key},
            )
        )
    return out


def _documents(attrs: dict[str, Any], json_key: str, flat: tuple[str, ...]) -> list[Draft]:
    """One draft per document/record, from a JSON list attribute or flattened documents."""
    out: list[Draft] = []
    data = load_json(attrs.get(json_key))
    if isinstance(data, dict):
        data = [data]
    if isinstance(data, list):
        for i, doc in enumerate(data):
            path = f"{json_key}[{i}]"
            if isinstance(doc, dict):
                text = first(doc, ("content", "text", "page_content"))
                out.append(_doc_draft(to_text(text), doc.get("id"), doc.get("score"), path))
            elif doc is not None:
                out.append(_doc_draft(to_text(doc), None, None, path))
        return out
    raw = attrs.get(json_key)
    if raw is not None and raw != "":  # not JSON (e.g. truncated): the raw text is the content
        return [_doc_draft(to_text(raw), None, None, json_key)]
    for prefix in flat:
        groups = _flat_groups(attrs, prefix)
        for i in sorted(groups):
            g = groups[i]
            out.append(
                _doc_draft(
                    to_text(g.get("document.content")),
                    g.get("document.id"),
                    g.get("document.score"),
                    f"{prefix}{i}",
                )
            )
        if out:
            break
    return out


def _doc_draft(text: str | None, doc_id: Any, score: Any, path: str) -> Draft:
    extra: dict[str, Any] = {"garrison.content_path": path}
    if doc_id is not None:
        extra["garrison.document.id"] = to_text(doc_id)
    if isinstance(score, int | float) and not isinstance(score, bool):
        extra["garrison.document.score"] = score
    return Draft(EventKind.RETRIEVAL, Channel.RETRIEVAL, None, text, None, extra)


def retrieval_drafts(attrs: dict[str, Any]) -> list[Draft]:
    docs = _documents(attrs, "gen_ai.retrieval.documents", RETRIEVAL_FLAT)
    if not docs:
        return [Draft(EventKind.RETRIEVAL, Channel.RETRIEVAL, None, None, None, None, True)]
    docs[0] = docs[0]._replace(primary=True)
    return docs


def memory_drafts(attrs: dict[str, Any]) -> list[Draft]:
    docs = _documents(attrs, "gen_ai.memory.records", ())
    if not docs:
        return [Draft(EventKind.MEMORY, Channel.MEMORY, None, None, None, None, True)]
    out = [
        Draft(EventKind.MEMORY, Channel.MEMORY, None, d.content, None, _memory_extra(d.extra))
        for d in docs
    ]
    out[0] = out[0]._replace(primary=True)
    return out


def _memory_extra(extra: dict[str, Any] | None) -> dict[str, Any] | None:
    if not extra:
        return extra
    return {k.replace("garrison.document.", "garrison.memory.record."): v for k, v in extra.items()}


def embedding_drafts(attrs: dict[str, Any]) -> list[Draft]:
    texts: list[str] = []
    path: str | None = None
    for prefix in EMBEDDING_FLAT:
        groups = _flat_groups(attrs, prefix)
        for i in sorted(groups):
            g = groups[i]
            text = g.get("embedding.text", g.get("content"))
            if text is not None:
                texts.append(to_text(text) or "")
        if texts:
            path = prefix.rstrip(".")
            break
    if not texts:
        msgs = input_messages(attrs)
        if msgs:
            texts = [m.text for m in msgs if m.text is not None]
            path = msgs[0].path.partition("[")[0]
    extra = {"garrison.content_path": path} if path else None
    return [Draft(EventKind.EMBEDDING, None, None, _join(texts), None, extra, True)]


def _messages_text(msgs: list[Message] | None) -> tuple[str | None, str | None]:
    if not msgs:
        return None, None
    start = new_turn_start(msgs)
    texts = [m.text for m in msgs[start:] if m.text is not None]
    return _join(texts), msgs[0].path.partition("[")[0]


def agent_drafts(attrs: dict[str, Any]) -> list[Draft]:
    """invoke_agent / workflow / plan / chain: one AGENT_STEP, content = the step's input."""
    text_in, path_in = _messages_text(input_messages(attrs, STEP_INPUT))
    text_out, path_out = _messages_text(output_messages(attrs, STEP_OUTPUT))
    extra: dict[str, Any] = {}
    content: str | None
    if text_in is not None:
        content, extra["garrison.content_path"] = text_in, path_in
        if text_out is not None:
            extra["garrison.output_text"] = text_out
    else:
        content = text_out
        if text_out is not None:
            extra["garrison.content_path"] = path_out
    return [Draft(EventKind.AGENT_STEP, None, None, content, None, extra or None, True)]


def guardrail_drafts(attrs: dict[str, Any]) -> list[Draft]:
    key = _first_key(attrs, GUARD_INPUT)
    extra = {"garrison.content_path": key} if key else None
    content = to_text(attrs[key]) if key else None
    return [Draft(EventKind.GUARD_DECISION, None, None, content, None, extra, True)]


def span_drafts(
    cls: SpanClass,
    attrs: dict[str, Any],
    span_name: str,
    event_inputs: list[Message] | None = None,
    event_outputs: list[Message] | None = None,
) -> list[Draft]:
    if cls is SpanClass.INFERENCE:
        return inference_drafts(attrs, event_inputs, event_outputs)
    if cls is SpanClass.TOOL:
        return tool_drafts(attrs, span_name)
    return _BUILDERS[cls](attrs)


_BUILDERS: dict[SpanClass, Callable[[dict[str, Any]], list[Draft]]] = {
    SpanClass.RETRIEVAL: retrieval_drafts,
    SpanClass.MEMORY: memory_drafts,
    SpanClass.EMBEDDINGS: embedding_drafts,
    SpanClass.AGENT: agent_drafts,
    SpanClass.GUARDRAIL: guardrail_drafts,
}


# --- deprecated per-message events --------------------------------------------------------------


def event_message(name: str, body: Any, attrs: dict[str, Any], path: str) -> Message | None:
    """A deprecated ``gen_ai.*.message`` / ``gen_ai.choice`` event as a Message.

    The fields (content, role, tool_calls, id, message, finish_reason) come from the body when it
    is a map (log records), else from the event attributes (span events have no body).
    """
    role = MESSAGE_EVENTS.get(name)
    if role is None and name != CHOICE_EVENT:
        return None
    fields: dict[str, Any] = dict(attrs)
    if isinstance(body, dict):
        fields.update(body)
    elif body is not None and body != "":
        fields["content"] = body
    if name == CHOICE_EVENT:
        inner = load_json(fields.get("message"))
        msg_fields = dict(inner) if isinstance(inner, dict) else {}
        if "content" not in msg_fields and "content" in fields:
            msg_fields["content"] = fields["content"]
        if "tool_calls" not in msg_fields and "tool_calls" in fields:
            msg_fields["tool_calls"] = fields["tool_calls"]
        msg_fields.setdefault("role", "assistant")
        msg_fields.setdefault("finish_reason", fields.get("finish_reason"))
        fields = msg_fields
    else:
        fields.setdefault("role", role)
        if role == "tool" and "tool_call_id" not in fields:
            fields["tool_call_id"] = fields.get("id")
    calls = load_json(fields.get("tool_calls"))
    if calls is not None:
        fields["tool_calls"] = calls
    if not isinstance(fields.get("role"), str):
        fields["role"] = role or "assistant"
    return message_from_obj(fields, path)
