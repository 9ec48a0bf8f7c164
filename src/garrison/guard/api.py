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

``Guard`` runs the detectors (one ``DetectionEngine`` built once; per channel only the detectors
the app's policy names) and applies the policy (``guard/policy.py``): block, redact
(``redact.py``), spotlight (``spotlight.py``), canaries (``canary.py``), exfiltration link
removal, the tool-call firewall (``firewall.py``) and response actions (``blocks.py``).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from garrison.detect.base import TraceView
from garrison.detect.engine import DetectionEngine
from garrison.guard import canary as canaries
from garrison.guard import redact, spotlight
from garrison.guard.firewall import FlowIndex, check_flow, check_tool
from garrison.guard.policy import UNTRUSTED_CHANNELS, Policy, PolicySet, default_policy
from garrison.guard.types import (
    Action,
    ChatMessage,
    Decision,
    Exchange,
    GuardContext,
    InputDecision,
    OutputDecision,
    StreamStep,
    ToolCallSpec,
    Violation,
    strongest,
)
from garrison.model import Channel, Event, EventKind, Source, ToolCall
from garrison.model.finding import Finding
from garrison.model.ids import uuid7

if TYPE_CHECKING:
    from garrison.guard.blocks import AutoBlocker, BlockList

__all__ = [
    "Action",
    "ChatMessage",
    "Decision",
    "Exchange",
    "Guard",
    "GuardContext",
    "InputDecision",
    "OutputDecision",
    "StreamGuard",
    "StreamStep",
    "ToolCallSpec",
    "Violation",
    "strongest",
]

# Policy channel -> (event kind, trust channel) of the event the detectors scan.
_EVENT_SHAPE: Mapping[str, tuple[EventKind, Channel]] = {
    "system": (EventKind.PROMPT, Channel.SYSTEM),
    "user": (EventKind.PROMPT, Channel.USER),
    "tool": (EventKind.TOOL_RESULT, Channel.TOOL),
    "retrieval": (EventKind.RETRIEVAL, Channel.RETRIEVAL),
    "memory": (EventKind.MEMORY, Channel.MEMORY),
    "external": (EventKind.RETRIEVAL, Channel.EXTERNAL),
    "output": (EventKind.COMPLETION, Channel.ASSISTANT),
    "tool_call": (EventKind.TOOL_CALL, Channel.ASSISTANT),
}
_PII_SECRETS = frozenset({"secrets", "pii"})
REMOVED = "[removed by guard]"
_URL_HOST = re.compile(r"(?:https?:)?//([^/\s)\"'>?#]+)", re.I)


_MD_BEFORE = re.compile(r"!?\[[^\]\n]{0,300}\]\(\s*<?$")
_MD_AFTER = re.compile(r"[^)\s]*>?\s*(?:\"[^\"\n]{0,200}\"\s*)?\)")


def _expand_link(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole markdown image / link around a URL span, so that removing it leaves no
    broken markup behind."""
    before = _MD_BEFORE.search(text, max(0, start - 320), start)
    if before is None:
        return start, end
    after = _MD_AFTER.match(text, end)
    return before.start(), after.end() if after is not None else end


def _host_allowed(host: str, allow: Sequence[str]) -> bool:
    host = host.lower().split("@")[-1].split(":")[0].rstrip(".")
    for pattern in allow:
        p = pattern.lower()
        if p.startswith("*."):
            if host == p[2:] or host.endswith(p[1:]):
                return True
        elif host == p:
            return True
    return False


def _channel_of(message: ChatMessage) -> str:
    if message.channel in _EVENT_SHAPE and message.channel not in ("output", "tool_call"):
        return message.channel
    role = message.role
    if role in ("system", "developer"):
        return "system"
    if role == "tool" or role == "function":
        return "tool"
    if role == "user":
        return "user"
    return "assistant"


class Guard:
    """The policy-driven guard. Build once (detectors load models), share everywhere."""

    def __init__(
        self,
        policies: PolicySet | Policy | None = None,
        *,
        engine: DetectionEngine | None = None,
        detectors: Mapping[str, Mapping[str, Any] | None] | None = None,
        blocks: BlockList | None = None,
    ) -> None:
        if isinstance(policies, Policy):
            policies = PolicySet(policies)
        self.policies = policies or PolicySet(default_policy())
        self._engine_obj = engine
        self._owns_engine = engine is None
        self._detector_config = detectors
        self._engines: dict[tuple[tuple[str, ...], float], DetectionEngine] = {}
        self.blocks = blocks
        self.auto_blocker: AutoBlocker | None = None
        self._available: tuple[str, ...] | None = None
        self._warm = False

    @property
    def engine(self) -> DetectionEngine:
        """The detectors, built on first use (the classifier's model takes about a second to
        load, so a server that never guards does not pay for it)."""
        if self._engine_obj is None:
            from garrison.config import DEFAULT_DETECTORS

            config = DEFAULT_DETECTORS if self._detector_config is None else self._detector_config
            self._engine_obj = DetectionEngine.from_config(config)
        return self._engine_obj

    async def ready(self) -> None:
        """Build the detectors (off the event loop) and run each once: a model's first
        inference is many times slower than the next, and must not eat a request's budget."""
        if self._warm:
            return
        if self._engine_obj is None:
            await asyncio.to_thread(lambda: self.engine)
        now = datetime.now(UTC)
        for kind, channel in (
            (EventKind.PROMPT, Channel.USER),
            (EventKind.TOOL_RESULT, Channel.TOOL),
        ):
            probe = Event(
                id=uuid7(int(now.timestamp() * 1000)),
                time=now,
                tenant="-",
                app="-",
                kind=kind,
                source=Source.GATEWAY,
                channel=channel,
                content="Warm-up: what is the weather like in Paris today?",
            )
            await DetectionEngine(self.engine.detectors, timeout_s=30).scan(probe, TraceView())
        self._warm = True

    @property
    def available(self) -> tuple[str, ...]:
        if self._available is None:
            self._available = tuple(d.id for d in self.engine.detectors)
        return self._available

    @property
    def guard(self) -> Guard:
        """The guard itself (``services["guard"]`` is this object)."""
        return self

    # --- lifecycle (as a service) -----------------------------------------------------------

    async def start(self) -> None:
        """With the pipeline's detectors (already loaded), warm them up now; otherwise the
        first guarded request builds them (see ``ready``)."""
        if self._engine_obj is not None:
            await self.ready()

    async def stop(self) -> None:
        if self._engine_obj is not None and self._owns_engine:
            await self._engine_obj.aclose()

    # --- detection --------------------------------------------------------------------------

    def policy(self, app: str) -> Policy:
        return self.policies.for_app(app)

    def _engine(self, ids: tuple[str, ...], budget_ms: float) -> DetectionEngine:
        key = (ids, budget_ms)
        eng = self._engines.get(key)
        if eng is None:
            by_id = {d.id: d for d in self.engine.detectors}
            eng = DetectionEngine([by_id[i] for i in ids], timeout_s=budget_ms / 1000)
            self._engines[key] = eng
        return eng

    async def _detect(
        self,
        policy: Policy,
        channel: str,
        ctx: GuardContext,
        *,
        content: str | None = None,
        tool: ToolCall | None = None,
        trace: TraceView | None = None,
        only: Sequence[str] | None = None,
    ) -> list[Finding]:
        if not self._warm:
            await self.ready()
        ids = policy.detectors_for(channel, self.available)
        if only is not None:
            ids = tuple(dict.fromkeys([*ids, *(d for d in only if d in self.available)]))
        if not ids or (not content and tool is None):
            return []
        kind, trust = _EVENT_SHAPE[channel]
        now = datetime.now(UTC)
        event = Event(
            id=uuid7(int(now.timestamp() * 1000)),
            time=now,
            tenant=ctx.tenant,
            app=ctx.app,
            kind=kind,
            source=Source.GATEWAY,
            channel=trust,
            role="assistant" if channel in ("output", "tool_call") else channel,
            content=content,
            tool=tool,
        )
        return await self._engine(ids, policy.latency_budget_ms).scan(event, trace or TraceView())

    def _decision_base(self, policy: Policy) -> dict[str, Any]:
        return {
            "annotate_only": policy.annotate_only,
            "refusal": policy.refusal,
            "policy_id": policy.id,
        }

    # --- input ------------------------------------------------------------------------------

    async def scan_input(self, messages: Sequence[ChatMessage], ctx: GuardContext) -> InputDecision:
        t0 = time.perf_counter()
        policy = self.policy(ctx.app)
        channels = [_channel_of(m) for m in messages]
        scans = await asyncio.gather(
            *(
                self._detect(policy, ch, ctx, content=m.content)
                if ch != "assistant" and m.content
                else _nothing()
                for m, ch in zip(messages, channels, strict=True)
            )
        )
        violations: list[Violation] = []
        errors: list[str] = []
        findings: list[Finding] = []
        redactions: dict[int, list[Finding]] = {}
        removals: dict[int, list[Finding]] = {}
        spot: set[int] = set()
        for i, (found, ch) in enumerate(zip(scans, channels, strict=True)):
            findings += found
            judged = policy.judge(found, ch, i)
            violations += judged.violations
            errors += judged.errors
            for f, v in judged.hits:
                if v.action is Action.REDACT:
                    (redactions if f.detector in _PII_SECRETS else removals).setdefault(
                        i, []
                    ).append(f)
                elif v.action is Action.SPOTLIGHT:
                    spot.add(i)
        exchange = Exchange()
        for m, ch in zip(messages, channels, strict=True):
            if ch in UNTRUSTED_CHANNELS and m.content:
                exchange.untrusted.append(m.content)
        exchange.data["context"] = [
            (ch, m.content) for m, ch in zip(messages, channels, strict=True) if m.content
        ]
        out = list(messages)
        action = strongest([v.action for v in violations])
        if not policy.annotate_only and action is not Action.BLOCK:
            out, extra = self._rewrite(policy, out, channels, redactions, removals, spot, exchange)
            violations += extra
            action = strongest([v.action for v in violations])
        if action is Action.BLOCK and not policy.annotate_only:
            out = list(messages)
        return InputDecision(
            action,
            violations=violations,
            findings=findings,
            latency_ms=(time.perf_counter() - t0) * 1000,
            errors=errors,
            target="input",
            subtype="message",
            messages=out,
            exchange=exchange,
            **self._decision_base(policy),
        )

    def _rewrite(
        self,
        policy: Policy,
        messages: list[ChatMessage],
        channels: list[str],
        redactions: dict[int, list[Finding]],
        removals: dict[int, list[Finding]],
        spot: set[int],
        exchange: Exchange,
    ) -> tuple[list[ChatMessage], list[Violation]]:
        extra: list[Violation] = []
        vault: dict[str, str] | None = exchange.vault if policy.reversible else None
        out = list(messages)
        for i, m in enumerate(out):
            text = m.content
            if text is None:
                continue
            if i in redactions:
                found, unmapped = redact.spans(redactions[i])
                if unmapped:  # a value seen only decoded: cannot cut it out, so stop it
                    extra.append(
                        Violation(
                            detector="guard",
                            label="unredactable",
                            channel=channels[i],
                            action=Action.BLOCK,
                            message="a value to redact was found only in a decoded or folded "
                            "view of the text",
                            policy_rule="redaction",
                            message_index=i,
                        )
                    )
                text = redact.redact(text, found, vault if vault is not None else {})
            if i in removals:
                found, _ = redact.spans(removals[i])
                text = redact.remove_spans(text, [(s, e) for s, e, _ in found], REMOVED)
            sp = policy.spotlight
            if sp.mode != "off" and channels[i] in sp.channels and (sp.always or i in spot):
                tag = exchange.data.setdefault("spotlight_tag", spotlight.new_tag())
                text = spotlight.apply(text, sp.mode, tag=tag, marker=sp.marker)
                exchange.data["spotlit"] = True
            if text != m.content:
                out[i] = replace(m, content=text)
        notes: list[str] = []
        if exchange.data.get("spotlit"):
            sp = policy.spotlight
            notes.append(
                spotlight.explanation(sp.mode, tag=exchange.data["spotlight_tag"], marker=sp.marker)
            )
        system_at = next((i for i, ch in enumerate(channels) if ch == "system"), None)
        if notes and system_at is None:
            out.insert(0, ChatMessage(role="system", content="\n\n".join(notes), channel="system"))
            system_at, notes = 0, []
        if system_at is not None:
            sysmsg = out[system_at]
            text = sysmsg.content or ""
            if notes:
                text = f"{text}\n\n" + "\n\n".join(notes)
            if policy.canary:
                token = canaries.new_canary()
                exchange.canaries.append(token)
                text = canaries.plant(text, token)
            if text != sysmsg.content:
                out[system_at] = replace(sysmsg, content=text)
        return out, extra

    # --- output -----------------------------------------------------------------------------

    def _trace(self, exchange: Exchange) -> TraceView:
        """What the output detectors compare against: the planted canaries (canary) and the
        conversation (exfil: a URL that repeats earlier text carries data). Built once per
        exchange state: a stream asks for it at every chunk."""
        context = exchange.data.get("context") or []
        key = (len(context), len(exchange.canaries))
        cached = exchange.data.get("trace")
        if isinstance(cached, tuple) and cached[0] == key:
            view: TraceView = cached[1]
            return view
        view = self._build_trace(exchange, context)
        exchange.data["trace"] = (key, view)
        return view

    def _build_trace(self, exchange: Exchange, context: list[tuple[str, str]]) -> TraceView:
        now = datetime.now(UTC)
        events: list[Event] = []
        for ch, text in context[-32:]:
            kind, trust = _EVENT_SHAPE.get(ch, (EventKind.PROMPT, Channel.USER))
            events.append(
                Event(
                    id=uuid7(int(now.timestamp() * 1000)),
                    time=now,
                    tenant="-",
                    app="-",
                    kind=kind,
                    source=Source.GATEWAY,
                    channel=trust,
                    content=text,
                )
            )
        if exchange.canaries:
            events.append(
                Event(
                    id=uuid7(int(now.timestamp() * 1000)),
                    time=now,
                    tenant="-",
                    app="-",
                    kind=EventKind.PROMPT,
                    source=Source.GATEWAY,
                    channel=Channel.SYSTEM,
                    role="system",
                    content=" ".join(exchange.canaries),
                )
            )
        return TraceView(tuple(events))

    def _allowed_exfil(self, policy: Policy, finding: Finding, text: str) -> Finding | None:
        """Drops the evidence of links to the app's allow-listed hosts (None: nothing left)."""
        if finding.detector != "exfil" or not policy.allow_hosts:
            return finding
        kept = []
        for e in finding.evidence:
            span = text[e.start : e.end] if e.start is not None and e.end is not None else ""
            hosts = [m.group(1) for m in _URL_HOST.finditer(span or (e.snippet or ""))]
            if hosts and all(_host_allowed(h, policy.allow_hosts) for h in hosts):
                continue
            kept.append(e)
        if not kept:
            return None
        return replace(finding, evidence=tuple(kept))

    async def _scan_text(
        self, policy: Policy, text: str, ctx: GuardContext, exchange: Exchange
    ) -> tuple[list[Finding], list[Violation], list[str], list[tuple[int, int, str]]]:
        """Findings, violations, errors and the replacements (start, end, text) for an answer."""
        found = await self._detect(policy, "output", ctx, content=text, trace=self._trace(exchange))
        kept = [k for f in found if (k := self._allowed_exfil(policy, f, text)) is not None]
        judged = policy.judge(kept, "output")
        cuts: list[tuple[int, int, str]] = []
        for f, v in judged.hits:
            if v.action is not Action.REDACT:
                continue
            spans, unmapped = redact.spans([f])
            if unmapped and not spans:
                judged.violations.append(
                    Violation(
                        detector="guard",
                        label="unredactable",
                        channel="output",
                        action=Action.BLOCK,
                        message="a value to redact was found only in a decoded view",
                        policy_rule="redaction",
                    )
                )
            for s, e, kind in spans:
                if f.detector in _PII_SECRETS:
                    cuts.append((s, e, f"[REDACTED_{kind}]"))
                else:
                    cuts.append((*_expand_link(text, s, e), REMOVED))
        return kept, judged.violations, judged.errors, cuts

    async def scan_output(
        self,
        text: str | None,
        tool_calls: Sequence[ToolCallSpec],
        ctx: GuardContext,
        exchange: Exchange,
    ) -> OutputDecision:
        t0 = time.perf_counter()
        policy = self.policy(ctx.app)
        findings: list[Finding] = []
        violations: list[Violation] = []
        errors: list[str] = []
        new_text = text
        if text:
            findings, violations, errors, cuts = await self._scan_text(policy, text, ctx, exchange)
            new_text = _apply_cuts(text, cuts)
        calls = list(tool_calls)
        if policy.reversible and exchange.vault:
            calls = [
                replace(c, arguments=redact.restore(c.arguments, exchange.vault)) for c in calls
            ]
        for call in calls:
            d = await self.check_tool_call(call, ctx, exchange)
            violations += d.violations
            findings += d.findings
            errors += d.errors
        action = strongest([v.action for v in violations])
        if policy.annotate_only:
            new_text, calls = text, list(tool_calls)
        elif action is Action.BLOCK:
            new_text, calls = None, []
        elif new_text is not None and policy.reversible and exchange.vault:
            new_text = redact.restore(new_text, exchange.vault)
        return OutputDecision(
            action,
            violations=violations,
            findings=findings,
            latency_ms=(time.perf_counter() - t0) * 1000,
            errors=errors,
            target="output",
            subtype="tool_call" if tool_calls and not text else "llm",
            text=new_text,
            tool_calls=calls,
            **self._decision_base(policy),
        )

    def stream(self, ctx: GuardContext, exchange: Exchange) -> StreamGuard:
        return PolicyStreamGuard(self, self.policy(ctx.app), ctx, exchange)

    # --- tool calls -------------------------------------------------------------------------

    async def check_tool_call(
        self, call: ToolCallSpec, ctx: GuardContext, exchange: Exchange
    ) -> Decision:
        t0 = time.perf_counter()
        policy = self.policy(ctx.app)
        tools = policy.tools
        violations = check_tool(call, tools)
        egress = tools.is_egress(call.name)
        flow = tools.flow
        extra: list[str] = []
        if egress:
            extra = [d for d, on in (("secrets", flow.secrets), ("pii", bool(flow.pii))) if on]
            if flow.canary:
                extra.append("canary")
        tool = ToolCall(name=call.name, call_id=call.id, arguments=call.arguments)
        found = await self._detect(
            policy, "tool_call", ctx, tool=tool, trace=self._trace(exchange), only=extra
        )
        judged = policy.judge(found, "tool_call")
        violations += judged.violations
        if egress:
            ruled = {(v.detector, v.label) for v in judged.violations}
            for f in found:
                if f.status.value != "ok" or (f.detector, f.label) in ruled:
                    continue
                if f.detector == "pii" and f.label not in flow.pii:
                    continue
                if f.detector not in ("secrets", "pii", "canary"):
                    continue
                violations.append(
                    Violation(
                        detector="flow",
                        label=f"{f.detector}_to_egress",
                        channel="tool_call",
                        action=flow.action,
                        score=f.score,
                        message=f"egress tool {call.name[:80]!r} carries {f.detector} ({f.label})",
                        policy_rule="tools.flow",
                    )
                )
            if exchange.untrusted:
                index = exchange.data.get("flow_index")
                if not isinstance(index, FlowIndex) or len(index.texts) != len(
                    [t for t in exchange.untrusted if t]
                ):
                    index = FlowIndex(exchange.untrusted, flow)
                    exchange.data["flow_index"] = index
                violations += check_flow(call, index)
        return Decision(
            strongest([v.action for v in violations]),
            violations=violations,
            findings=found,
            latency_ms=(time.perf_counter() - t0) * 1000,
            errors=judged.errors,
            target="output",
            subtype="tool_call",
            **self._decision_base(policy),
        )

    # --- response actions -------------------------------------------------------------------

    async def check_principal(self, ctx: GuardContext) -> Decision:
        """Response actions: ``block`` when the principal or session is blocked / rate-limited."""
        if self.blocks is None or (ctx.principal is None and ctx.session_id is None):
            return Decision(Action.ALLOW, subtype="action")
        t0 = time.perf_counter()
        hit = await self.blocks.check(ctx)
        if hit is None or not hit[1]:
            return Decision(Action.ALLOW, subtype="action", latency_ms=_ms(t0))
        block, _ = hit
        label = "principal_blocked" if block.action == "block" else "rate_limited"
        state = "blocked" if block.action == "block" else "rate-limited"
        return Decision(
            Action.BLOCK,
            violations=[
                Violation(
                    detector="response",
                    label=label,
                    channel="user",
                    action=Action.BLOCK,
                    message=f"{block.kind} is {state}"
                    + (f" until {block.expires_at.isoformat()}" if block.expires_at else ""),
                    policy_rule=block.id,
                )
            ],
            latency_ms=_ms(t0),
            target="input",
            subtype="action",
        )

    def settings_for(self, app: str) -> Mapping[str, Any]:
        p = self.policy(app)
        return {
            "policy_id": p.id,
            "mode": p.mode,
            "on_error": p.on_error,
            "refusal": p.refusal,
            "holdback_chars": p.holdback_chars,
            "canary": p.canary,
            "spotlight": p.spotlight.mode,
            "source": p.source,
        }


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


async def _nothing() -> list[Finding]:
    return []


def _apply_cuts(text: str, cuts: Sequence[tuple[int, int, str]]) -> str:
    if not cuts:
        return text
    parts: list[str] = []
    pos = 0
    for s, e, label in sorted(cuts):
        if e <= pos:
            continue
        s = max(s, pos)
        parts += [text[pos:s], label]
        pos = e
    parts.append(text[pos:])
    return "".join(parts)


class StreamGuard:
    """Checks a streamed answer as it arrives (a sliding window over the text so far). This
    base class allows everything; ``Guard.stream`` returns the policy-driven one."""

    async def feed(self, delta: str) -> StreamStep:
        return StreamStep(release=delta, decision=Decision(Action.ALLOW))

    async def finish(self) -> StreamStep:
        return StreamStep(release="", decision=Decision(Action.ALLOW))


class PolicyStreamGuard(StreamGuard):
    """Holds back the last ``holdback_chars`` characters so that a secret, link or canary split
    over chunks is whole when it is scanned; releases what lies before, redacted; stops for good
    at the first blocking violation."""

    def __init__(self, guard: Guard, policy: Policy, ctx: GuardContext, exchange: Exchange) -> None:
        self.guard = guard
        self.policy = policy
        self.ctx = ctx
        self.exchange = exchange
        self.hold = policy.holdback_chars
        # Scan once per ``step`` new characters, not once per chunk: models stream a few
        # characters a chunk, and each scan costs the same whatever it adds (measured: the
        # per-chunk scan was most of the gateway's CPU on streamed answers).
        self.step = max(self.hold // 2, 1)
        self.pending = ""
        self.tail = ""  # released text kept as context for the next window
        self.stopped: Decision | None = None
        self.violations: list[Violation] = []

    def _allow(self, action: Action = Action.ALLOW) -> Decision:
        return Decision(
            action,
            violations=list(self.violations),
            annotate_only=self.policy.annotate_only,
            target="output",
            subtype="llm",
            policy_id=self.policy.id,
            refusal=self.policy.refusal,
        )

    async def feed(self, delta: str) -> StreamStep:
        if self.stopped is not None:
            return StreamStep("", self.stopped)
        self.pending += delta
        if len(self.pending) <= self.hold + self.step:
            return StreamStep("", self._allow(strongest([v.action for v in self.violations])))
        return await self._step(final=False)

    async def finish(self) -> StreamStep:
        if self.stopped is not None:
            return StreamStep("", self.stopped)
        return await self._step(final=True)

    async def _step(self, final: bool) -> StreamStep:
        t0 = time.perf_counter()
        window = self.tail + self.pending
        off = len(self.tail)
        _, violations, errors, cuts = await self.guard._scan_text(
            self.policy, window, self.ctx, self.exchange
        )
        new = [v for v in violations if (v.detector, v.label) not in _keys(self.violations)]
        self.violations += new
        action = strongest([v.action for v in self.violations])
        if action is Action.BLOCK and not self.policy.annotate_only:
            d = self._allow(Action.BLOCK)
            d.errors, d.latency_ms = errors, _ms(t0)
            self.stopped = d
            return StreamStep("", d)
        # cuts relative to pending; ignore those wholly inside text already released
        local = [(max(s - off, 0), e - off, lab) for s, e, lab in cuts if e > off]
        if self.policy.annotate_only:
            local = []
        k = len(self.pending) if final else len(self.pending) - self.hold
        for s, e, _ in local:
            if s < k < e:
                k = s
        if not final and self.exchange.vault:
            for m in redact._PLACEHOLDER.finditer(self.pending):
                if m.start() < k < m.end():
                    k = m.start()
        k = max(k, 0)
        chunk = self.pending[:k]
        released = _apply_cuts(chunk, [c for c in local if c[1] <= k])
        if self.policy.reversible and self.exchange.vault and not self.policy.annotate_only:
            released = redact.restore(released, self.exchange.vault)
        self.tail = (self.tail + chunk)[-self.hold :]
        self.pending = self.pending[k:]
        d = self._allow(action)
        d.errors, d.latency_ms = errors, _ms(t0)
        return StreamStep(released, d)


def _keys(violations: Sequence[Violation]) -> set[tuple[str, str]]:
    return {(v.detector, v.label) for v in violations}
