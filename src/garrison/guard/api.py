"""The guard's contract with its callers: the gateway, the SDK and ``POST /api/v1/scan``.

The guard is the only place that decides. Callers hand it what crosses the boundary (the
messages going to a model, the answer and tool calls coming back, a streamed answer chunk by
chunk, a tool call an agent is about to make) with the context of who sent it; it returns a
decision: the action taken, the (possibly rewritten) content to use instead, the violations that
caused it, the findings behind them, and its own latency. Callers apply the decision and never
look at findings to decide on their own.

State that must survive from input to output within one exchange (canary tokens inserted, values
redacted reversibly, untrusted content seen in tool results for the information-flow check) is
carried in an ``Exchange`` that ``scan_input`` returns and the output-side calls take back.

NOTE (scaffolding): the ``Guard`` below is a pass-through placeholder so that the gateway can be
built against this contract; ``garrison.guard`` replaces it with the policy-driven one. Names and
fields here are the contract: extend them, do not rename them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from garrison.model.finding import Finding


class Action(StrEnum):
    """What the policy does about a violation, weakest first (``max`` of actions is the
    strongest)."""

    ALLOW = "allow"
    LOG = "log"
    SPOTLIGHT = "spotlight"
    REDACT = "redact"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {a: i for i, a in enumerate(Action)}


def strongest(actions: Sequence[Action]) -> Action:
    return max(actions, key=lambda a: a.rank, default=Action.ALLOW)


@dataclass(frozen=True, slots=True)
class GuardContext:
    """Who is talking: from the caller's API key (tenant, app, key id) and the request."""

    tenant: str
    app: str
    principal: str | None = None
    session_id: str | None = None
    trace_id: str | None = None
    key_id: str | None = None
    source_ip: str | None = None


@dataclass(frozen=True, slots=True)
class ToolCallSpec:
    """A tool call as the model asked for it (``arguments`` is the raw JSON text)."""

    id: str
    name: str
    arguments: str


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One chat message in OpenAI's shape, content flattened to text. ``channel`` is the trust
    channel (``garrison.model.Channel`` values: system, user, assistant, tool, retrieval...)."""

    role: str
    content: str | None
    channel: str
    name: str | None = None
    tool_call_id: str | None = None
    tool_calls: tuple[ToolCallSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class Violation:
    """One policy match: which detector or rule, on which channel, and what it caused."""

    detector: str
    label: str
    channel: str
    action: Action
    score: float | None = None
    threshold: float | None = None
    rule_id: str | None = None
    message: str = ""

    @property
    def code(self) -> str:
        """The stable name a client sees as an error's ``code``, e.g. ``signatures.jailbreak``."""
        return f"{self.rule_id or self.detector}.{self.label}" if self.label else self.detector

    def to_dict(self) -> dict[str, Any]:
        return {
            "detector": self.detector,
            "label": self.label,
            "channel": self.channel,
            "action": self.action.value,
            "score": self.score,
            "threshold": self.threshold,
            "rule_id": self.rule_id,
            "code": self.code,
            "message": self.message,
        }


@dataclass(slots=True)
class Exchange:
    """What the input side leaves for the output side of one request."""

    canaries: list[str] = field(default_factory=list)
    vault: dict[str, str] = field(default_factory=dict)  # placeholder -> original (reversible)
    untrusted: list[str] = field(default_factory=list)  # untrusted texts seen (information flow)
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Decision:
    """The guard's answer for one check. ``action`` is the strongest applied; with
    ``annotate_only`` nothing was changed or blocked (rollout mode) but violations are reported."""

    action: Action
    violations: list[Violation] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    latency_ms: float = 0.0
    annotate_only: bool = False
    refusal: str | None = None  # the app's refusal message, when it prefers one to an error
    errors: list[str] = field(default_factory=list)  # detectors that failed / timed out

    @property
    def blocked(self) -> bool:
        return self.action is Action.BLOCK and not self.annotate_only

    def attributes(self) -> dict[str, Any]:
        """The ``gen_ai.guardrail.*``-style attributes recorded on the exchange's events."""
        return {
            "garrison.guard.action": self.action.value,
            "garrison.guard.annotate_only": self.annotate_only,
            "garrison.guard.violations": [v.to_dict() for v in self.violations],
            "garrison.guard.latency_ms": self.latency_ms,
        }


@dataclass(slots=True)
class InputDecision(Decision):
    messages: list[ChatMessage] = field(default_factory=list)  # what to send upstream
    exchange: Exchange = field(default_factory=Exchange)


@dataclass(slots=True)
class OutputDecision(Decision):
    text: str | None = None  # the answer to return (exfil links removed, redactions restored)
    tool_calls: list[ToolCallSpec] = field(default_factory=list)


@dataclass(slots=True)
class StreamStep:
    """What a streaming check says after a chunk: text safe to release now, and whether to
    stop (``decision.blocked``)."""

    release: str
    decision: Decision


class StreamGuard:
    """Checks a streamed answer as it arrives (a sliding window over the text so far)."""

    async def feed(self, delta: str) -> StreamStep:
        return StreamStep(release=delta, decision=Decision(Action.ALLOW))

    async def finish(self) -> StreamStep:
        return StreamStep(release="", decision=Decision(Action.ALLOW))


class Guard:
    """Placeholder: allows everything (see the module note)."""

    async def scan_input(self, messages: Sequence[ChatMessage], ctx: GuardContext) -> InputDecision:
        return InputDecision(Action.ALLOW, messages=list(messages))

    async def scan_output(
        self,
        text: str | None,
        tool_calls: Sequence[ToolCallSpec],
        ctx: GuardContext,
        exchange: Exchange,
    ) -> OutputDecision:
        return OutputDecision(Action.ALLOW, text=text, tool_calls=list(tool_calls))

    def stream(self, ctx: GuardContext, exchange: Exchange) -> StreamGuard:
        return StreamGuard()

    async def check_tool_call(
        self, call: ToolCallSpec, ctx: GuardContext, exchange: Exchange
    ) -> Decision:
        return Decision(Action.ALLOW)

    async def check_principal(self, ctx: GuardContext) -> Decision:
        """Response actions: ``block`` when the principal or session is blocked / rate-limited."""
        return Decision(Action.ALLOW)

    def settings_for(self, app: str) -> Mapping[str, Any]:
        return {}
