"""The values the guard exchanges with its callers (re-exported by ``garrison.guard.api``).

Kept apart from the ``Guard`` itself so that the mitigation modules (spotlight, redact,
firewall, ...) can use them without importing the guard that uses them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from garrison.model.finding import Finding

COMPONENT = "garrison"


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

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "arguments": self.arguments}


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

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"role": self.role, "content": self.content, "channel": self.channel}
        if self.name is not None:
            out["name"] = self.name
        if self.tool_call_id is not None:
            out["tool_call_id"] = self.tool_call_id
        if self.tool_calls:
            out["tool_calls"] = [t.to_dict() for t in self.tool_calls]
        return out


# OWASP LLM Top 10 2025 risk categories (the OTel suggested values) by detector.
_RISK = {
    "signatures": "prompt_injection",
    "prompt_guard": "prompt_injection",
    "hf_classifier": "prompt_injection",
    "unicode": "prompt_injection",
    "encoding": "prompt_injection",
    "secrets": "sensitive_info_disclosure",
    "pii": "pii",
    "canary": "system_prompt_leakage",
    "exfil": "sensitive_info_disclosure",
    "firewall": "excessive_agency",
    "flow": "sensitive_info_disclosure",
    "response": "custom:blocked_principal",
    "guard": "custom:guard_error",
}


def risk_category(detector: str, label: str) -> str:
    """The OTel ``gen_ai.guardrail.security.risk.category`` of a detector's label."""
    if "jailbreak" in label or label in ("persona", "developer_mode", "refusal_suppression"):
        return "jailbreak"
    return _RISK.get(detector, f"custom:{detector}")


@dataclass(frozen=True, slots=True)
class Violation:
    """One policy match: which detector or rule, on which channel, and what it caused.

    ``policy_rule`` is the id of the policy rule that matched; ``message_index`` the position of
    the message (input side) it was found in, where there is one."""

    detector: str
    label: str
    channel: str
    action: Action
    score: float | None = None
    threshold: float | None = None
    rule_id: str | None = None
    message: str = ""
    policy_rule: str | None = None
    message_index: int | None = None

    @property
    def code(self) -> str:
        """The stable name a client sees as an error's ``code``, e.g. ``signatures.jailbreak``."""
        return f"{self.rule_id or self.detector}.{self.label}" if self.label else self.detector

    @property
    def risk_category(self) -> str:
        return risk_category(self.detector, self.label)

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
            "policy_rule": self.policy_rule,
            "message_index": self.message_index,
        }


@dataclass(slots=True)
class Exchange:
    """What the input side leaves for the output side of one request."""

    canaries: list[str] = field(default_factory=list)
    vault: dict[str, str] = field(default_factory=dict)  # placeholder -> original (reversible)
    untrusted: list[str] = field(default_factory=list)  # untrusted texts seen (information flow)
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """For SDK callers that keep the exchange between two ``/api/v1/scan`` calls (the vault
        holds the caller's own redacted values: it goes back to that caller only)."""
        return {
            "canaries": list(self.canaries),
            "vault": dict(self.vault),
            "untrusted": list(self.untrusted),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Exchange:
        data = data or {}
        return cls(
            canaries=[str(c) for c in data.get("canaries") or []],
            vault={str(k): str(v) for k, v in dict(data.get("vault") or {}).items()},
            untrusted=[str(u) for u in data.get("untrusted") or []],
        )


# OTel verdict (what the guard concluded) and action (what was done) per Garrison action.
_VERDICT = {
    Action.ALLOW: "allow",
    Action.LOG: "warn",
    Action.SPOTLIGHT: "modify",
    Action.REDACT: "modify",
    Action.BLOCK: "deny",
}
_DONE = {
    Action.ALLOW: "allow",
    Action.LOG: "audit",
    Action.SPOTLIGHT: "modify",
    Action.REDACT: "modify",
    Action.BLOCK: "block",
}


@dataclass(slots=True)
class Decision:
    """The guard's answer for one check. ``action`` is the strongest applied; with
    ``annotate_only`` nothing was changed or blocked (rollout mode) but violations are reported.

    ``target`` / ``subtype`` are the OTel ``gen_ai.guardrail.target.*`` values (input/output;
    message, llm, tool_call, action) and ``policy_id`` the app policy that decided."""

    action: Action
    violations: list[Violation] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    latency_ms: float = 0.0
    annotate_only: bool = False
    refusal: str | None = None  # the app's refusal message, when it prefers one to an error
    errors: list[str] = field(default_factory=list)  # detectors that failed / timed out
    target: str = "input"
    subtype: str = "message"
    policy_id: str | None = None

    @property
    def blocked(self) -> bool:
        return self.action is Action.BLOCK and not self.annotate_only

    @property
    def codes(self) -> list[str]:
        """Violation codes, strongest first: what an error response names."""
        ordered = sorted(self.violations, key=lambda v: -v.action.rank)
        return list(dict.fromkeys(v.code for v in ordered))

    def top(self) -> Violation | None:
        """The violation that decided the action (the first of the strongest)."""
        best: Violation | None = None
        for v in self.violations:
            if best is None or v.action.rank > best.action.rank:
                best = v
        return best

    def attributes(self) -> dict[str, Any]:
        """The decision as event attributes: OTel ``gen_ai.guardrail.*`` names (semantic
        conventions, gen-ai-security) where one exists, ``garrison.guard.*`` for the rest.
        Never content: codes, labels, scores and counts only."""
        top = self.top()
        done = _DONE[self.action]
        if self.annotate_only and self.action is not Action.ALLOW:
            done = "audit"
        scores = [v.score for v in self.violations if v.score is not None]
        out: dict[str, Any] = {
            "gen_ai.operation.name": "run_guardrail",
            "gen_ai.guardrail.component.name": COMPONENT,
            "gen_ai.guardrail.target.type": self.target,
            "gen_ai.guardrail.target.subtype": self.subtype,
            "gen_ai.guardrail.verdict.type": _VERDICT[self.action],
            "gen_ai.guardrail.action.type": done,
            "gen_ai.guardrail.security.content.modified": done == "modify",
            "garrison.guard.action": self.action.value,
            "garrison.guard.annotate_only": self.annotate_only,
            "garrison.guard.blocked": self.blocked,
            "garrison.guard.codes": self.codes,
            "garrison.guard.violations": [v.to_dict() for v in self.violations],
            "garrison.guard.latency_ms": round(self.latency_ms, 3),
        }
        if self.policy_id is not None:
            out["gen_ai.guardrail.security.policy.id"] = self.policy_id
        if top is not None:
            out["gen_ai.guardrail.verdict.code"] = top.code
            out["gen_ai.guardrail.verdict.reason"] = top.label or top.detector
            out["gen_ai.guardrail.security.risk.category"] = top.risk_category
            if top.policy_rule is not None:
                out["gen_ai.guardrail.security.policy.rule.id"] = top.policy_rule
        if scores:
            out["gen_ai.guardrail.security.risk.score"] = max(min(max(scores), 1.0), 0.0)
        if self.errors:
            out["garrison.guard.errors"] = list(self.errors)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action.value,
            "blocked": self.blocked,
            "annotate_only": self.annotate_only,
            "refusal": self.refusal,
            "codes": self.codes,
            "violations": [v.to_dict() for v in self.violations],
            "errors": list(self.errors),
            "latency_ms": round(self.latency_ms, 3),
            "policy_id": self.policy_id,
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


def result_dict(decision: Decision, exchange: Exchange | None = None) -> dict[str, Any]:
    """A decision as JSON for ``/api/v1/scan`` and the SDK: the decision, the rewritten content,
    the exchange to hand back on the output side, and the attributes recorded."""
    out = decision.to_dict()
    if isinstance(decision, InputDecision):
        out["messages"] = [m.to_dict() for m in decision.messages]
        exchange = decision.exchange
    if isinstance(decision, OutputDecision):
        out["text"] = decision.text
        out["tool_calls"] = [c.to_dict() for c in decision.tool_calls]
    if exchange is not None:
        out["exchange"] = exchange.to_dict()
    out["attributes"] = decision.attributes()
    return out
