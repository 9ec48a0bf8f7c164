"""The tool-call firewall: which tools an app may call, with which arguments, and what may
leave through them.

Three checks, cheapest first: the tool allow/deny lists; argument constraints (globs or a regex
over values at a path of the JSON arguments, or over the hosts, e-mail addresses or paths found
in them); and, for *egress* tools (mail, HTTP, file writes, shells — recognised by name globs
from the policy), information flow: arguments that repeat untrusted content seen earlier in the
exchange (a run of ``min_words`` words, or a ``min_chars``-character token) are what an indirect
prompt injection makes an agent send out. Canaries, secrets and PII in egress arguments are
checked by the guard with the detectors; this module is pure and fast.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

import orjson

from garrison.guard.policy import Constraint, FlowPolicy, ToolsPolicy
from garrison.guard.types import Action, ToolCallSpec, Violation

_URL = re.compile(r"(?:https?|ftp)://[^\s\"'<>]+|\b(?:[a-z0-9-]+\.)+[a-z]{2,24}\b", re.I)
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,24}")
_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"\S+")


def parse_arguments(text: str) -> Any:
    """The JSON arguments, or the raw text when they are not JSON (checked as one string)."""
    try:
        return orjson.loads(text) if text.strip() else {}
    except orjson.JSONDecodeError:
        return text


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
    elif value is not None and not isinstance(value, bool):
        yield str(value)


def at_path(args: Any, path: str) -> list[str]:
    """String values at a dotted path (``*`` = every string; list items are all taken)."""
    if path == "*":
        return list(strings(args))
    nodes = [args]
    for part in path.split("."):
        nxt: list[Any] = []
        for node in nodes:
            for item in node if isinstance(node, list) else [node]:
                if isinstance(item, dict) and part in item:
                    nxt.append(item[part])
        nodes = nxt
    return [s for n in nodes for s in strings(n)]


def extract(value: str, how: str) -> list[str]:
    if how == "host":
        hosts = []
        for m in _URL.finditer(value):
            token = m.group()
            host = urlsplit(token).hostname if "://" in token else token
            if host:
                hosts.append(host.lower().rstrip("."))
        return hosts
    if how == "email":
        return [m.group().lower() for m in _EMAIL.finditer(value)]
    if how == "path":
        return [posixpath.normpath(value.strip())] if value.strip() else []
    return [value]


def _ok(item: str, c: Constraint) -> bool:
    folded = item.lower() if c.extract in ("host", "email") else item
    if any(fnmatch.fnmatchcase(folded, g) for g in c.deny):
        return False
    if c.allow and not any(fnmatch.fnmatchcase(folded, g) for g in c.allow):
        return False
    return c.regex is None or re.fullmatch(c.regex, item) is not None


def check_tool(
    call: ToolCallSpec, tools: ToolsPolicy, channel: str = "tool_call"
) -> list[Violation]:
    """Allow-list and argument constraints."""
    if not tools.allowed(call.name):
        return [
            Violation(
                detector="firewall",
                label="tool_not_allowed",
                channel=channel,
                action=tools.action,
                message=f"tool {call.name[:80]!r} is not allowed for this app",
                policy_rule="tools.allow",
            )
        ]
    out: list[Violation] = []
    args: Any = None
    for i, c in enumerate(tools.constraints):
        if not fnmatch.fnmatchcase(call.name, c.tool):
            continue
        if args is None:
            args = parse_arguments(call.arguments)
        for value in at_path(args, c.arg):
            bad = [x for x in extract(value, c.extract) if not _ok(x, c)]
            if bad:
                out.append(
                    Violation(
                        detector="firewall",
                        label="argument_not_allowed",
                        channel=channel,
                        action=tools.action,
                        message=f"tool {call.name[:80]!r}: argument {c.arg!r} ({c.extract}) "
                        f"outside the allowed values",
                        policy_rule=f"tools.constraints.{i}",
                    )
                )
                break
    return out


def _shingles(text: str, n: int) -> set[tuple[str, ...]]:
    words = [w.lower() for w in _WORD.findall(text)]
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


class FlowIndex:
    """Untrusted content of one exchange, indexed for the overlap test (built lazily, once)."""

    def __init__(self, untrusted: Sequence[str], flow: FlowPolicy) -> None:
        self.flow = flow
        self.shingles: set[tuple[str, ...]] = set()
        self.texts = [t for t in untrusted if t]
        for text in self.texts:
            self.shingles |= _shingles(text, flow.min_words)

    def overlaps(self, value: str) -> bool:
        if not self.texts:
            return False
        if self.shingles and not self.shingles.isdisjoint(_shingles(value, self.flow.min_words)):
            return True
        for token in _TOKEN.findall(value):
            if len(token) >= self.flow.min_chars and any(token in t for t in self.texts):
                return True
        return False


def check_flow(call: ToolCallSpec, index: FlowIndex, channel: str = "tool_call") -> list[Violation]:
    """Untrusted content copied into an egress tool's arguments."""
    args = parse_arguments(call.arguments)
    for value in strings(args):
        if index.overlaps(value):
            return [
                Violation(
                    detector="flow",
                    label="untrusted_to_egress",
                    channel=channel,
                    action=index.flow.action,
                    message=f"egress tool {call.name[:80]!r} carries content from untrusted "
                    f"tool output or documents",
                    policy_rule="tools.flow",
                )
            ]
    return []


__all__ = ["Action", "FlowIndex", "check_flow", "check_tool", "parse_arguments"]
