"""The policy: per app, what the guard does about each detector's findings on each channel.

The policy is the only place that decides. A policy file is YAML (see docs/guard.md for the
annotated format); ``load_policy`` validates it completely and a mistake raises ``ConfigError``
naming ``file:line`` and the field. Nothing here runs a detector: ``Policy.judge`` turns findings
into violations, the guard applies them.

Channels a rule can name: the trust channels of the input side (``system``, ``user``, ``tool``,
``retrieval``, ``memory``, ``external``), ``output`` (the model's answer) and ``tool_call`` (the
arguments of tool calls the model asks for).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from garrison.errors import ConfigError
from garrison.guard.types import Action, Violation
from garrison.model.finding import Finding, FindingStatus

INPUT_CHANNELS = ("system", "user", "tool", "retrieval", "memory", "external")
UNTRUSTED_CHANNELS = ("tool", "retrieval", "memory", "external")
CHANNELS = (*INPUT_CHANNELS, "output", "tool_call")
SPOTLIGHT_MODES = ("off", "delimit", "datamark", "encode")
EXTRACTS = ("value", "host", "email", "path")
DEFAULT_EGRESS: tuple[str, ...] = (
    "*mail*", "send_*", "*http*", "*fetch*", "*request*", "*post*", "*upload*", "*webhook*",
    "*write_file*", "*file_write*", "*save_file*", "*shell*", "*exec*", "*bash*", "*command*",
    "*slack*", "*message*", "*transfer*", "*payment*", "*share*",
)  # fmt: skip

DEFAULT_POLICY_YAML = """\
# Garrison's default guard policy: the fast tier inline, the classifier only on untrusted
# content (see docs/guard.md, "Why the classifier is not inline for user messages").
id: default
mode: enforce                 # enforce | annotate (report, change nothing)
on_error: open                # open | closed: a detector that errors or times out
latency_budget_ms: 500        # per detector, per check (a timeout: see on_error)
rules:
  - {id: injection-user, detector: signatures, channels: [user], min_score: 0.8, action: block}
  - id: injection-untrusted
    detector: signatures
    channels: [tool, retrieval, memory, external]
    min_score: 0.7
    action: block
  - id: smuggling
    detector: unicode
    labels: [unicode_tags]
    channels: [user, tool, retrieval, memory, external]
    action: block
  - {id: invisible-text, detector: unicode, channels: [tool, retrieval], action: log}
  - id: encoded-instructions
    detector: encoding
    labels: [encoded_instructions]
    channels: [user, tool, retrieval]
    action: log
  - id: classifier-untrusted   # threshold: the model's calibrated one for the channel
    detector: prompt_guard
    channels: [tool, retrieval, memory, external]
    action: block
  - id: classifier-untrusted-watch   # below the block threshold: recorded, not blocked
    detector: prompt_guard
    channels: [tool, retrieval, memory, external]
    min_score: 0.6
    action: log
  - {id: secrets-in, detector: secrets, channels: [user, tool, retrieval], action: redact}
  - {id: pii-in, detector: pii, labels: [credit_card, iban, ssn], channels: [user], action: redact}
  - {id: secrets-out, detector: secrets, channels: [output], action: redact}
  - id: pii-out
    detector: pii
    labels: [credit_card, iban, ssn]
    channels: [output]
    action: redact
  - id: exfil-out
    detector: exfil
    labels: [markdown_image_exfil, link_exfil]
    channels: [output]
    action: redact            # removes the image / link
  - {id: canary-leak, detector: canary, channels: [output, tool_call], action: block}
spotlight: {mode: delimit, channels: [tool, retrieval, memory, external], always: true}
canary: {enabled: true}
redaction: {reversible: true}
exfil: {allow_hosts: []}
tools:
  allow: null                 # null: any tool; a list of globs: only those
  deny: []
  action: block
  egress: default             # tool-name globs of egress tools ("default": the built-in list)
  constraints: []
  flow: {action: block, min_words: 8, min_chars: 32, secrets: true, canary: true,
         pii: [credit_card, iban, ssn]}
stream: {holdback_chars: 256}
response:
  auto_block: false
  min_severity: high
  threshold: 5
  window_s: 600
  duration_s: 900
  action: block
  by: [principal, session]
  rate_limit_per_min: 10
"""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    detector: str  # a detector id or a glob over ids
    labels: tuple[str, ...]  # label globs
    channels: frozenset[str]
    action: Action
    min_score: float | None  # None: the detector's own threshold (classifiers), else any score
    line: int | None = None

    def matches(self, finding: Finding, channel: str) -> bool:
        if channel not in self.channels or not fnmatch.fnmatchcase(finding.detector, self.detector):
            return False
        return any(fnmatch.fnmatchcase(finding.label, g) for g in self.labels)


@dataclass(frozen=True, slots=True)
class SpotlightPolicy:
    mode: str = "delimit"
    channels: frozenset[str] = frozenset(UNTRUSTED_CHANNELS)
    always: bool = True
    marker: str = "\u02c6"  # datamarking: replaces whitespace in untrusted text


@dataclass(frozen=True, slots=True)
class Constraint:
    """An argument constraint of a tool: values at ``arg`` (dotted path into the JSON
    arguments, ``*`` for every string in them) must match ``allow`` and none of ``deny``."""

    tool: str
    arg: str
    extract: str = "value"
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    regex: str | None = None


@dataclass(frozen=True, slots=True)
class FlowPolicy:
    action: Action = Action.BLOCK
    min_words: int = 8
    min_chars: int = 32
    secrets: bool = True
    canary: bool = True
    pii: tuple[str, ...] = ("credit_card", "iban", "ssn")


@dataclass(frozen=True, slots=True)
class ToolsPolicy:
    allow: tuple[str, ...] | None = None
    deny: tuple[str, ...] = ()
    action: Action = Action.BLOCK
    egress: tuple[str, ...] = DEFAULT_EGRESS
    constraints: tuple[Constraint, ...] = ()
    flow: FlowPolicy = field(default_factory=FlowPolicy)

    def allowed(self, name: str) -> bool:
        if any(fnmatch.fnmatchcase(name, g) for g in self.deny):
            return False
        return self.allow is None or any(fnmatch.fnmatchcase(name, g) for g in self.allow)

    def is_egress(self, name: str) -> bool:
        low = name.lower()
        return any(fnmatch.fnmatchcase(low, g) for g in self.egress)


@dataclass(frozen=True, slots=True)
class ResponsePolicy:
    auto_block: bool = False
    min_severity: str = "high"
    threshold: int = 5
    window_s: int = 600
    duration_s: int = 900
    action: str = "block"
    by: tuple[str, ...] = ("principal", "session")
    rate_limit_per_min: int = 10


@dataclass(frozen=True, slots=True)
class Policy:
    id: str = "default"
    mode: str = "enforce"
    on_error: str = "open"
    latency_budget_ms: float = 500.0
    refusal: str | None = None
    rules: tuple[Rule, ...] = ()
    spotlight: SpotlightPolicy = field(default_factory=SpotlightPolicy)
    canary: bool = True
    reversible: bool = True
    allow_hosts: tuple[str, ...] = ()
    tools: ToolsPolicy = field(default_factory=ToolsPolicy)
    holdback_chars: int = 256
    response: ResponsePolicy = field(default_factory=ResponsePolicy)
    source: str | None = None  # the file it came from

    @property
    def annotate_only(self) -> bool:
        return self.mode == "annotate"

    def detectors_for(self, channel: str, available: Sequence[str]) -> tuple[str, ...]:
        """The detectors a channel needs: those its rules name (globs expanded)."""
        out: list[str] = []
        for rule in self.rules:
            if channel in rule.channels:
                out += [d for d in available if fnmatch.fnmatchcase(d, rule.detector)]
        return tuple(dict.fromkeys(out))

    def rule_for(self, finding: Finding, channel: str) -> tuple[Rule, float | None] | None:
        """The first rule that applies to an ok finding, with the threshold it used."""
        for rule in self.rules:
            if not rule.matches(finding, channel):
                continue
            threshold = rule.min_score
            if threshold is None and "threshold" in finding.detail:
                threshold = float(finding.detail["threshold"])
            if threshold is not None and finding.score < threshold:
                continue
            return rule, threshold
        return None

    def judge(
        self, findings: Sequence[Finding], channel: str, index: int | None = None
    ) -> Judgement:
        """Violations (first matching rule per finding) and the detectors that failed."""
        out = Judgement()
        for f in findings:
            if f.status is not FindingStatus.OK:
                out.errors.append(f"{f.detector}:{f.status.value}")
                if self.on_error == "closed":
                    out.violations.append(
                        Violation(
                            detector=f.detector,
                            label=f.status.value,
                            channel=channel,
                            action=Action.BLOCK,
                            message=f"detector {f.detector} {f.status.value} (fail-closed)",
                            policy_rule="on_error",
                            message_index=index,
                        )
                    )
                continue
            hit = self.rule_for(f, channel)
            if hit is None:
                continue
            rule, threshold = hit
            v = Violation(
                detector=f.detector,
                label=f.label,
                channel=channel,
                action=rule.action,
                score=f.score,
                threshold=threshold,
                message=f"{f.detector} found {f.label} on the {channel} channel",
                policy_rule=rule.id,
                message_index=index,
            )
            out.violations.append(v)
            out.hits.append((f, v))
        return out


@dataclass(slots=True)
class Judgement:
    violations: list[Violation] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    hits: list[tuple[Finding, Violation]] = field(default_factory=list)


# --- loading -------------------------------------------------------------------------------------


def _lines(node: yaml.Node, path: tuple[str, ...], out: dict[tuple[str, ...], int]) -> None:
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                sub = (*path, str(key.value))
                out[sub] = key.start_mark.line + 1
                _lines(value, sub, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _lines(item, (*path, str(i)), out)


class _Reader:
    """Typed access to the parsed YAML with errors naming file:line and the field."""

    def __init__(self, file: str, lines: dict[tuple[str, ...], int]) -> None:
        self.file = file
        self.lines = lines

    def fail(self, path: tuple[str, ...], message: str) -> ConfigError:
        line = None
        for n in range(len(path), -1, -1):
            line = self.lines.get(path[:n])
            if line is not None:
                break
        name = ".".join(path) or "policy"
        return ConfigError(f"{name}: {message}", file=self.file, line=line, field=name)

    def mapping(self, value: Any, path: tuple[str, ...], known: Sequence[str]) -> Mapping[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise self.fail(path, "expected a mapping")
        for key in value:
            if key not in known:
                raise self.fail(
                    (*path, str(key)), f"unknown key; known: {', '.join(sorted(known))}"
                )
        return value

    def choice(self, value: Any, path: tuple[str, ...], options: Sequence[str]) -> str:
        if not isinstance(value, str) or value not in options:
            raise self.fail(path, f"{value!r} is not one of {', '.join(options)}")
        return value

    def number(self, value: Any, path: tuple[str, ...], lo: float, hi: float) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
            raise self.fail(path, f"expected a number in [{lo:g}, {hi:g}], got {value!r}")
        return float(value)

    def integer(self, value: Any, path: tuple[str, ...], lo: int, hi: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise self.fail(path, f"expected an integer in [{lo}, {hi}], got {value!r}")
        return value

    def boolean(self, value: Any, path: tuple[str, ...]) -> bool:
        if not isinstance(value, bool):
            raise self.fail(path, f"expected true or false, got {value!r}")
        return value

    def strings(self, value: Any, path: tuple[str, ...]) -> tuple[str, ...]:
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(path, "expected a list of non-empty strings")
        return tuple(value)

    def action(self, value: Any, path: tuple[str, ...]) -> Action:
        return Action(self.choice(value, path, [a.value for a in Action]))


def _rule(r: _Reader, raw: Any, path: tuple[str, ...], seen: set[str]) -> Rule:
    m = r.mapping(raw, path, ("id", "detector", "labels", "channels", "action", "min_score"))
    for key in ("id", "detector", "channels", "action"):
        if key not in m:
            raise r.fail(path, f"a rule needs {key!r}")
    rule_id = m["id"]
    if not isinstance(rule_id, str) or not rule_id:
        raise r.fail((*path, "id"), "expected a non-empty string")
    if rule_id in seen:
        raise r.fail((*path, "id"), f"duplicate rule id {rule_id!r}")
    seen.add(rule_id)
    detector = m["detector"]
    if not isinstance(detector, str) or not detector:
        raise r.fail((*path, "detector"), "expected a detector id")
    channels = r.strings(m["channels"], (*path, "channels"))
    for i, c in enumerate(channels):
        if c not in CHANNELS:
            raise r.fail((*path, "channels", str(i)), f"{c!r} is not one of {', '.join(CHANNELS)}")
    min_score = m.get("min_score")
    return Rule(
        id=rule_id,
        detector=detector,
        labels=r.strings(m["labels"], (*path, "labels")) if "labels" in m else ("*",),
        channels=frozenset(channels),
        action=r.action(m["action"], (*path, "action")),
        min_score=None if min_score is None else r.number(min_score, (*path, "min_score"), 0, 1),
        line=r.lines.get(path),
    )


def _constraint(r: _Reader, raw: Any, path: tuple[str, ...]) -> Constraint:
    import re

    m = r.mapping(raw, path, ("tool", "arg", "extract", "allow", "deny", "regex"))
    for key in ("tool", "arg"):
        if not isinstance(m.get(key), str) or not m[key]:
            raise r.fail((*path, key), f"a constraint needs {key!r} (a string)")
    regex = m.get("regex")
    if regex is not None:
        try:
            re.compile(str(regex))
        except re.error as exc:
            raise r.fail((*path, "regex"), f"not a regular expression: {exc}") from None
    allow = r.strings(m["allow"], (*path, "allow")) if "allow" in m else ()
    deny = r.strings(m["deny"], (*path, "deny")) if "deny" in m else ()
    if not (allow or deny or regex):
        raise r.fail(path, "a constraint needs allow, deny or regex")
    return Constraint(
        tool=m["tool"],
        arg=m["arg"],
        extract=r.choice(m.get("extract", "value"), (*path, "extract"), EXTRACTS),
        allow=allow,
        deny=deny,
        regex=None if regex is None else str(regex),
    )


def _tools(r: _Reader, raw: Any, path: tuple[str, ...]) -> ToolsPolicy:
    m = r.mapping(raw, path, ("allow", "deny", "action", "egress", "constraints", "flow"))
    allow = m.get("allow")
    egress = m.get("egress", "default")
    if egress == "default":
        egress_t = DEFAULT_EGRESS
    else:
        egress_t = tuple(g.lower() for g in r.strings(egress, (*path, "egress")))
    raw_c = m.get("constraints") or []
    if not isinstance(raw_c, list):
        raise r.fail((*path, "constraints"), "expected a list")
    fm = r.mapping(
        m.get("flow"),
        (*path, "flow"),
        ("action", "min_words", "min_chars", "secrets", "canary", "pii"),
    )
    fp = (*path, "flow")
    flow = FlowPolicy(
        action=r.action(fm.get("action", "block"), (*fp, "action")),
        min_words=r.integer(fm.get("min_words", 8), (*fp, "min_words"), 2, 1000),
        min_chars=r.integer(fm.get("min_chars", 32), (*fp, "min_chars"), 8, 100_000),
        secrets=r.boolean(fm.get("secrets", True), (*fp, "secrets")),
        canary=r.boolean(fm.get("canary", True), (*fp, "canary")),
        pii=r.strings(fm["pii"], (*fp, "pii")) if fm.get("pii") else FlowPolicy().pii,
    )
    if "pii" in fm and fm["pii"] == []:
        flow = FlowPolicy(
            flow.action, flow.min_words, flow.min_chars, flow.secrets, flow.canary, ()
        )
    return ToolsPolicy(
        allow=None if allow is None else r.strings(allow, (*path, "allow")),
        deny=r.strings(m["deny"], (*path, "deny")) if m.get("deny") else (),
        action=r.action(m.get("action", "block"), (*path, "action")),
        egress=egress_t,
        constraints=tuple(
            _constraint(r, c, (*path, "constraints", str(i))) for i, c in enumerate(raw_c)
        ),
        flow=flow,
    )


_TOP = (
    "id", "app", "mode", "on_error", "latency_budget_ms", "refusal", "rules", "spotlight",
    "canary", "redaction", "exfil", "tools", "stream", "response",
)  # fmt: skip


def parse_policy(data: Any, *, file: str, lines: dict[tuple[str, ...], int]) -> Policy:
    r = _Reader(file, lines)
    top = r.mapping(data, (), _TOP)
    rules_raw = top.get("rules") or []
    if not isinstance(rules_raw, list):
        raise r.fail(("rules",), "expected a list of rules")
    seen: set[str] = set()
    rules = tuple(_rule(r, raw, ("rules", str(i)), seen) for i, raw in enumerate(rules_raw))
    sp = r.mapping(top.get("spotlight"), ("spotlight",), ("mode", "channels", "always", "marker"))
    sp_channels = r.strings(sp.get("channels", list(UNTRUSTED_CHANNELS)), ("spotlight", "channels"))
    for i, c in enumerate(sp_channels):
        if c not in UNTRUSTED_CHANNELS:
            raise r.fail(
                ("spotlight", "channels", str(i)),
                f"{c!r}: only untrusted channels ({', '.join(UNTRUSTED_CHANNELS)}) are spotlit",
            )
    marker = sp.get("marker", SpotlightPolicy().marker)
    if not isinstance(marker, str) or len(marker) != 1 or marker.isspace():
        raise r.fail(("spotlight", "marker"), "expected one non-space character")
    can = r.mapping(top.get("canary"), ("canary",), ("enabled",))
    red = r.mapping(top.get("redaction"), ("redaction",), ("reversible",))
    ex = r.mapping(top.get("exfil"), ("exfil",), ("allow_hosts",))
    st = r.mapping(top.get("stream"), ("stream",), ("holdback_chars",))
    rp = r.mapping(
        top.get("response"),
        ("response",),
        (
            "auto_block", "min_severity", "threshold", "window_s", "duration_s", "action", "by",
            "rate_limit_per_min",
        ),
    )  # fmt: skip
    by = r.strings(rp.get("by", ["principal", "session"]), ("response", "by"))
    for i, b in enumerate(by):
        if b not in ("principal", "session"):
            raise r.fail(("response", "by", str(i)), f"{b!r} is not one of principal, session")
    refusal = top.get("refusal")
    if refusal is not None and (not isinstance(refusal, str) or not refusal.strip()):
        raise r.fail(("refusal",), "expected a non-empty message")
    pid = top.get("id", Path(file).stem if file != "<default>" else "default")
    if not isinstance(pid, str) or not pid:
        raise r.fail(("id",), "expected a non-empty string")
    return Policy(
        id=pid,
        mode=r.choice(top.get("mode", "enforce"), ("mode",), ("enforce", "annotate")),
        on_error=r.choice(top.get("on_error", "open"), ("on_error",), ("open", "closed")),
        latency_budget_ms=r.number(
            top.get("latency_budget_ms", 500), ("latency_budget_ms",), 1, 60_000
        ),
        refusal=refusal,
        rules=rules,
        spotlight=SpotlightPolicy(
            # YAML 1.1 reads a bare `off` as false
            mode=r.choice(
                "off" if sp.get("mode") is False else sp.get("mode", "delimit"),
                ("spotlight", "mode"),
                SPOTLIGHT_MODES,
            ),
            channels=frozenset(sp_channels),
            always=r.boolean(sp.get("always", True), ("spotlight", "always")),
            marker=marker,
        ),
        canary=r.boolean(can.get("enabled", True), ("canary", "enabled")),
        reversible=r.boolean(red.get("reversible", True), ("redaction", "reversible")),
        allow_hosts=(
            r.strings(ex["allow_hosts"], ("exfil", "allow_hosts")) if ex.get("allow_hosts") else ()
        ),
        tools=_tools(r, top.get("tools"), ("tools",)),
        holdback_chars=r.integer(
            st.get("holdback_chars", 256), ("stream", "holdback_chars"), 16, 65_536
        ),
        response=ResponsePolicy(
            auto_block=r.boolean(rp.get("auto_block", False), ("response", "auto_block")),
            min_severity=r.choice(
                rp.get("min_severity", "high"),
                ("response", "min_severity"),
                ("low", "medium", "high", "critical"),
            ),
            threshold=r.integer(rp.get("threshold", 5), ("response", "threshold"), 1, 1_000_000),
            window_s=r.integer(rp.get("window_s", 600), ("response", "window_s"), 1, 30 * 86400),
            duration_s=r.integer(
                rp.get("duration_s", 900), ("response", "duration_s"), 1, 365 * 86400
            ),
            action=r.choice(
                rp.get("action", "block"), ("response", "action"), ("block", "rate_limit")
            ),
            by=by,
            rate_limit_per_min=r.integer(
                rp.get("rate_limit_per_min", 10), ("response", "rate_limit_per_min"), 1, 100_000
            ),
        ),
        source=file,
    )


def policy_from_text(text: str, file: str = "<policy>") -> Policy:
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ConfigError(f"not valid YAML: {exc}", file=file, line=line) from None
    lines: dict[tuple[str, ...], int] = {}
    if node is not None:
        _lines(node, (), lines)
    return parse_policy(data, file=file, lines=lines)


def load_policy(path: Path) -> Policy:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read policy: {exc}", file=str(path)) from None
    return policy_from_text(text, str(path))


def default_policy() -> Policy:
    return policy_from_text(DEFAULT_POLICY_YAML, "<default>")


class PolicySet:
    """The policy of each app: ``<dir>/<app>.yaml`` files, else the default one."""

    def __init__(self, default: Policy, apps: Mapping[str, Policy] | None = None) -> None:
        self.default = default
        self.apps = dict(apps or {})

    def for_app(self, app: str) -> Policy:
        return self.apps.get(app, self.default)

    @classmethod
    def load(cls, default_file: Path | None, directory: Path | None) -> PolicySet:
        default = load_policy(default_file) if default_file is not None else default_policy()
        apps: dict[str, Policy] = {}
        if directory is not None:
            if not directory.is_dir():
                raise ConfigError(f"policy directory {directory} not found", file=str(directory))
            for path in sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")]):
                policy = load_policy(path)
                app = path.stem
                if app in apps:
                    raise ConfigError(f"two policies for app {app!r}", file=str(path))
                apps[app] = policy
        return cls(default, apps)
