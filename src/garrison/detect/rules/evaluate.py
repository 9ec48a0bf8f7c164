"""Streaming evaluation: every rule compiled once into a Python matcher, then run per event.

``compile_rule`` turns a Rule into a function of (event, findings) built from closures: string
tests become frozenset lookups, ``str.startswith``/``endswith`` with tuples, ``in`` checks and one
compiled regex per item, each field case-folded at most once per event (``EventView`` caches it),
and the condition becomes nested and/or/not closures; nothing walks the rule's syntax tree per
event. ``RuleEngine`` holds a compiled rule pack: it indexes rules by logsource category (event
kind), so an event only meets the rules that can apply to it, and feeds base-rule matches to the
correlations (``correlation.CorrelationEngine``).

Semantics are the ones ``matching`` defines and ``sql`` compiles; the equivalence test runs every
rule both ways. A compiled rule never raises for any event. This module must never import a
database driver, and never log event content.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from garrison.detect.rules import condition as cond
from garrison.detect.rules.document import FieldSpec, FieldType, Source, finding_margin
from garrison.detect.rules.errors import RuleError
from garrison.detect.rules.matching import (
    WILD_MULTI,
    WILD_ONE,
    Check,
    ExistsTest,
    NullTest,
    NumTest,
    RegexTest,
    StrTest,
    ValueTest,
    interpret,
    scalar_text,
)
from garrison.detect.rules.model import CATEGORIES, PRODUCT, Correlation, Rule, RuleMatch
from garrison.detect.rules.prefilter import Backend, Hits, Need, Prefilter, gate
from garrison.detect.rules.regex import fold
from garrison.model import Event, EventKind
from garrison.model.finding import Finding, FindingStatus

Matcher = Callable[["EventView"], Any]  # truthy when it matches
_MISSING = object()


class EventView:
    """One event being evaluated, with per-event caches shared by every rule."""

    __slots__ = ("_detectors", "_labels", "_margins", "cache", "event", "findings")

    def __init__(self, event: Event, findings: Sequence[Finding] = ()) -> None:
        self.event = event
        self.findings = findings
        self.cache: dict[Any, Any] = {}
        self._detectors: dict[str, tuple[float | None, list[str], list[str]]] | None = None
        self._labels: list[str] | None = None
        self._margins: dict[str, float] | None = None

    def detectors(self) -> dict[str, tuple[float | None, list[str], list[str]]]:
        """detector id -> (max ok score, ok labels, all statuses)."""
        if self._detectors is None:
            out: dict[str, tuple[float | None, list[str], list[str]]] = {}
            for f in self.findings:
                best, labels, statuses = out.get(f.detector, (None, [], []))
                statuses.append(f.status.value)
                if f.status is FindingStatus.OK:
                    labels.append(f.label)
                    if best is None or f.score > best:
                        best = f.score
                out[f.detector] = (best, labels, statuses)
            self._detectors = out
        return self._detectors

    def margins(self) -> dict[str, float]:
        """detector id -> max (score - threshold) over its ok findings that report one."""
        if self._margins is None:
            out: dict[str, float] = {}
            for f in self.findings:
                m = finding_margin(f)
                if m is not None and (f.detector not in out or m > out[f.detector]):
                    out[f.detector] = m
            self._margins = out
        return self._margins

    def labels(self) -> list[str]:
        if self._labels is None:
            self._labels = [f.label for f in self.findings if f.status is FindingStatus.OK]
        return self._labels


# --- field accessors ------------------------------------------------------------------------


def _column_getter(spec: FieldSpec) -> Callable[[Event], Any]:
    name = spec.name
    if name.startswith("tool."):
        part = name[len("tool.") :]

        def tool(event: Event) -> Any:
            t = event.tool
            return getattr(t, part) if t is not None else None

        return tool
    if name.startswith("usage."):
        part = name[len("usage.") :]

        def usage(event: Event) -> Any:
            u = event.usage
            return getattr(u, part) if u is not None else None

        return usage
    if name in ("kind", "source", "channel"):

        def enum_value(event: Event) -> Any:
            v = getattr(event, name)
            return v.value if v is not None else None

        return enum_value
    attr = name

    def plain(event: Event) -> Any:
        return getattr(event, attr)

    return plain


def json_elements(value: Any) -> list[Any]:
    """The scalars a JSON attribute value matches with: itself, or an array's scalar elements."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [v for v in value if v is not None and isinstance(v, str | int | float | bool)]
    if isinstance(value, str | int | float | bool):
        return [value]
    return []


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def present(spec: FieldSpec) -> Callable[[EventView], bool]:
    """Whether the field has a value (what ``null`` / ``exists`` test)."""
    if spec.source is Source.COLUMN:
        get = _column_getter(spec)
        return lambda view: get(view.event) is not None
    if spec.source is Source.ATTRIBUTE:
        key = spec.key or ""
        return lambda view: view.event.attributes.get(key) is not None
    if spec.source is Source.FINDINGS:
        return lambda view: bool(view.labels())
    detector, part = spec.key or "", spec.part
    if part == "status":
        return lambda view: detector in view.detectors()
    if part == "margin":
        return lambda view: detector in view.margins()
    return lambda view: bool(view.detectors().get(detector, (None, [], []))[1])


def texts(spec: FieldSpec, folded: bool) -> Callable[[EventView], list[str]]:
    """The field's text values (folded or not), cached per event: [] when absent."""
    key = (spec.name, folded)
    conv: Callable[[str], str] = fold if folded else str
    if spec.source is Source.COLUMN:
        get = _column_getter(spec)

        def column(view: EventView) -> list[str]:
            cache = view.cache
            hit = cache.get(key, _MISSING)
            if hit is _MISSING:
                v = get(view.event)
                hit = cache[key] = [] if v is None else [conv(v)]
            return hit  # type: ignore[no-any-return]

        return column
    if spec.source is Source.ATTRIBUTE:
        attr = spec.key or ""

        def attribute(view: EventView) -> list[str]:
            cache = view.cache
            hit = cache.get(key, _MISSING)
            if hit is _MISSING:
                hit = cache[key] = [
                    conv(scalar_text(v))  # type: ignore[arg-type]
                    for v in json_elements(view.event.attributes.get(attr))
                ]
            return hit  # type: ignore[no-any-return]

        return attribute
    if spec.source is Source.FINDINGS:

        def all_labels(view: EventView) -> list[str]:
            cache = view.cache
            hit = cache.get(key, _MISSING)
            if hit is _MISSING:
                hit = cache[key] = [conv(v) for v in view.labels()]
            return hit  # type: ignore[no-any-return]

        return all_labels
    detector = spec.key or ""
    labels = spec.part == "labels"

    def detector_texts(view: EventView) -> list[str]:
        cache = view.cache
        hit = cache.get(key, _MISSING)
        if hit is _MISSING:
            entry = view.detectors().get(detector)
            if entry is None:
                hit = cache[key] = []
            else:
                hit = cache[key] = [conv(v) for v in (entry[1] if labels else entry[2])]
        return hit  # type: ignore[no-any-return]

    return detector_texts


def numbers(spec: FieldSpec) -> Callable[[EventView], list[float]]:
    """The field's numeric values: [] when absent or not numbers."""
    if spec.source is Source.COLUMN:
        get = _column_getter(spec)

        def column(view: EventView) -> list[float]:
            v = get(view.event)
            return [] if v is None else [v]

        return column
    if spec.source is Source.ATTRIBUTE:
        attr = spec.key or ""
        return lambda view: [
            v for v in json_elements(view.event.attributes.get(attr)) if _is_number(v)
        ]
    if spec.type is FieldType.SCORE and spec.part == "margin":
        who = spec.key or ""

        def margin(view: EventView) -> list[float]:
            m = view.margins().get(who)
            return [] if m is None else [m]

        return margin
    if spec.type is FieldType.SCORE:
        detector = spec.key or ""

        def score(view: EventView) -> list[float]:
            entry = view.detectors().get(detector)
            return [] if entry is None or entry[0] is None else [entry[0]]

        return score
    return lambda view: []


def single_value(spec: FieldSpec) -> Callable[[EventView], Any]:
    """The one value of an event field, as group-by and value_count use it (None: absent).

    Attributes count when they are a string, number or boolean, as their text; arrays and
    objects count as absent.
    """
    if spec.source is Source.COLUMN:
        get = _column_getter(spec)
        return lambda view: get(view.event)
    if spec.source is Source.ATTRIBUTE:
        attr = spec.key or ""

        def attribute(view: EventView) -> Any:
            v = view.event.attributes.get(attr)
            if isinstance(v, str | int | float | bool):
                return scalar_text(v)
            return None

        return attribute
    raise ValueError(f"{spec.name} is not a single-valued event field")


# --- predicates -----------------------------------------------------------------------------


def glob_regex(parts: Sequence[str]) -> str:
    out = []
    for p in parts:
        if p == WILD_MULTI:
            out.append(".*")
        elif p == WILD_ONE:
            out.append(".")
        else:
            out.append(re.escape(p))
    return "".join(out)


def _any_of(preds: list[Callable[[str], Any]]) -> Callable[[str], Any]:
    if len(preds) == 1:
        return preds[0]
    if len(preds) == 2:
        a, b = preds
        return lambda s: a(s) or b(s)

    def any_pred(s: str) -> bool:
        for p in preds:  # noqa: SIM110 - no generator per call on the hot path
            if p(s):
                return True
        return False

    return any_pred


def text_predicate(tests: Sequence[StrTest | RegexTest]) -> Callable[[str], Any]:
    """One predicate on a text that is truthy when any of ``tests`` matches it."""
    eqs = {t.text for t in tests if isinstance(t, StrTest) and t.kind == "eq"}
    prefixes = tuple(t.text for t in tests if isinstance(t, StrTest) and t.kind == "prefix")
    suffixes = tuple(t.text for t in tests if isinstance(t, StrTest) and t.kind == "suffix")
    contains = tuple(t.text for t in tests if isinstance(t, StrTest) and t.kind == "contains")
    if any(isinstance(t, StrTest) and t.kind == "any" for t in tests):
        return lambda s: True
    globs = [glob_regex(t.parts) for t in tests if isinstance(t, StrTest) and t.kind == "glob"]
    regexes = [t.regex for t in tests if isinstance(t, RegexTest)]
    preds: list[Callable[[str], Any]] = []
    if eqs:
        preds.append(frozenset(eqs).__contains__)
    if prefixes:
        preds.append(lambda s: s.startswith(prefixes))
    if suffixes:
        preds.append(lambda s: s.endswith(suffixes))
    if len(contains) == 1:
        needle = contains[0]
        preds.append(lambda s: needle in s)
    elif contains:

        def contains_any(s: str) -> bool:
            for needle in contains:  # noqa: SIM110 - no generator per call on the hot path
                if needle in s:
                    return True
            return False

        preds.append(contains_any)
    if globs:
        preds.append(re.compile("|".join(f"(?:{g})" for g in globs), re.S).fullmatch)
    if regexes:
        # The regexes of one item share their flags, so one alternation searches for any of them.
        first = regexes[0]
        if len(regexes) == 1:
            preds.append(first.python().search)
        else:
            flags = first.python().flags
            joined = "|".join(f"(?:{r.emit('python')})" for r in regexes)
            preds.append(re.compile(joined, flags).search)
    if not preds:
        return lambda s: False
    return _any_of(preds)


def number_predicate(tests: Sequence[NumTest]) -> Callable[[float], bool]:
    ops: dict[str, Callable[[float, float], bool]] = {
        "eq": lambda a, b: a == b,
        "gt": lambda a, b: a > b,
        "gte": lambda a, b: a >= b,
        "lt": lambda a, b: a < b,
        "lte": lambda a, b: a <= b,
    }
    pairs = [(ops[t.op], t.value) for t in tests]
    if len(pairs) == 1:
        op, value = pairs[0]
        return lambda n: op(n, value)
    return lambda n: any(op(n, value) for op, value in pairs)


def _test_matcher(spec: FieldSpec, tests: Sequence[ValueTest]) -> Matcher:
    """A matcher for ``tests`` (ORed) on one field; all tests are of one family."""
    first = tests[0]
    if isinstance(first, NullTest | ExistsTest):
        has = present(spec)
        want_present = isinstance(first, ExistsTest)
        return lambda view: has(view) is want_present
    if isinstance(first, NumTest):
        nums = numbers(spec)
        npred = number_predicate([t for t in tests if isinstance(t, NumTest)])

        def numeric(view: EventView) -> bool:
            for n in nums(view):  # noqa: SIM110 - no generator per call on the hot path
                if npred(n):
                    return True
            return False

        return numeric
    str_tests = [t for t in tests if isinstance(t, StrTest | RegexTest)]
    folded = first.regex.ignore_case if isinstance(first, RegexTest) else not first.cased
    get = texts(spec, folded)
    tpred = text_predicate(str_tests)
    if spec.type in (FieldType.TEXT,):

        def single(view: EventView) -> Any:
            values = get(view)
            return values and tpred(values[0])

        return single

    def multi(view: EventView) -> bool:
        for s in get(view):  # noqa: SIM110 - no generator per call on the hot path
            if tpred(s):
                return True
        return False

    return multi


def _family(t: ValueTest) -> str:
    if isinstance(t, NullTest):
        return "null"
    if isinstance(t, ExistsTest):
        return "exists"
    if isinstance(t, NumTest):
        return "num"
    return "text"


def check_matcher(check: Check) -> Matcher:
    """A matcher for one interpreted detection item."""
    per_field: list[Matcher] = []
    for spec in check.fields:
        if check.all:
            parts = [_test_matcher(spec, [t]) for t in check.tests]
            per_field.append(_all(parts))
        else:
            families: dict[str, list[ValueTest]] = {}
            for t in check.tests:
                families.setdefault(_family(t), []).append(t)
            per_field.append(_any([_test_matcher(spec, ts) for ts in families.values()]))
    if check.all and len(check.fields) > 1:
        # Keywords with ``all``: each keyword must be found in some keyword field.
        per_test = [_any([_test_matcher(spec, [t]) for spec in check.fields]) for t in check.tests]
        return _all(per_test)
    return _any(per_field)


def _any(ms: Sequence[Matcher]) -> Matcher:
    if len(ms) == 1:
        return ms[0]
    if len(ms) == 2:
        a, b = ms
        return lambda v: a(v) or b(v)
    t = tuple(ms)

    def any_m(v: EventView) -> bool:
        for m in t:  # noqa: SIM110 - no generator per call on the hot path
            if m(v):
                return True
        return False

    return any_m


def _all(ms: Sequence[Matcher]) -> Matcher:
    if len(ms) == 1:
        return ms[0]
    if len(ms) == 2:
        a, b = ms
        return lambda v: a(v) and b(v)
    t = tuple(ms)

    def all_m(v: EventView) -> bool:
        for m in t:  # noqa: SIM110 - no generator per call on the hot path
            if not m(v):
                return False
        return True

    return all_m


def _cost(check: Check) -> int:
    """A rough order for ANDed items: cheap and selective tests first (AND is commutative)."""
    cost = 0
    for spec in check.fields:
        if spec.name in ("content", "tool.arguments"):
            cost += 10
        elif spec.source in (Source.ATTRIBUTE, Source.DETECTOR, Source.FINDINGS):
            cost += 3
        else:
            cost += 1
    if any(isinstance(t, RegexTest) for t in check.tests):
        cost *= 4
    return cost


def rule_matcher(rule: Rule, prefilter: Prefilter | None = None) -> Matcher:
    """The compiled condition of ``rule`` over an EventView (logsource not included)."""
    return _compile_condition(rule, prefilter)[0]


def _compile_condition(rule: Rule, prefilter: Prefilter | None) -> tuple[Matcher, Need]:
    """The rule's matcher and, with a prefilter, its need (see ``prefilter``)."""
    searches: dict[str, Matcher] = {}
    needs: dict[str, Need] = {}
    for search in rule.detection.searches:
        alternatives = []
        alt_needs: list[Need] = []
        for items in search.alternatives:
            checks = sorted((interpret(i, file=rule.file) for i in items), key=_cost)
            if prefilter is None:
                alternatives.append(_all([check_matcher(c) for c in checks]))
                continue
            alternatives.append(_all([gate(prefilter, c, check_matcher(c)) for c in checks]))
            alt_needs.append(prefilter.best(prefilter.check_need(c) for c in checks))
        searches[search.name] = _any(alternatives)
        needs[search.name] = Prefilter.either(alt_needs) if prefilter is not None else None

    def build(node: cond.Cond) -> Matcher:
        if isinstance(node, cond.Ref):
            return searches[node.name]
        if isinstance(node, cond.Not):
            inner = build(node.node)
            return lambda v: not inner(v)
        if isinstance(node, cond.And):
            return _all([build(n) for n in node.nodes])
        if isinstance(node, cond.Or):
            return _any([build(n) for n in node.nodes])
        ms = [searches[n] for n in node.names]
        if node.count is None:
            return _all(ms)
        return _any(ms)

    condition = rule.detection.condition
    need = prefilter.condition_need(condition, needs) if prefilter is not None else None
    return build(condition), need


def check_logsource(rule: Rule) -> None:
    """RuleError unless the logsource is ``product: garrison`` with a known category."""
    ls = rule.logsource
    line = rule.lines.get(("logsource",), rule.line)
    if ls.product != PRODUCT:
        raise RuleError(
            f"logsource.product must be {PRODUCT!r}", file=rule.file, line=line, field="logsource"
        )
    if ls.category not in CATEGORIES:
        raise RuleError(
            f"logsource.category must be one of {', '.join(CATEGORIES)}",
            file=rule.file,
            line=line,
            field="logsource.category",
        )


@dataclass(frozen=True, slots=True)
class CompiledRule:
    rule: Rule
    matcher: Matcher
    kind: str | None  # None: every kind
    service: str | None
    need: Need = None  # with a prefilter: atoms one of which the rule cannot match without

    def matches(self, view: EventView) -> bool:
        if self.service is not None and view.event.app != self.service:
            return False
        return bool(self.matcher(view))


def _with_service(compiled: CompiledRule) -> Matcher:
    inner, service = compiled.matcher, compiled.service
    if service is None:
        return inner
    return lambda view: view.event.app == service and bool(inner(view))


def compile_rule(rule: Rule, prefilter: Prefilter | None = None) -> CompiledRule:
    """Compile ``rule`` once; RuleError if it cannot be evaluated.

    With ``prefilter`` the rule's atoms are registered there, and its matcher is only valid
    once ``prefilter.freeze()`` has run.
    """
    check_logsource(rule)
    matcher, need = _compile_condition(rule, prefilter)
    return CompiledRule(rule, matcher, rule.logsource.kind, rule.logsource.service, need)


def matches(rule: Rule | CompiledRule, event: Event, findings: Sequence[Finding] = ()) -> bool:
    """Whether one rule matches one event (convenience; engines compile once instead)."""
    compiled = rule if isinstance(rule, CompiledRule) else compile_rule(rule)
    if compiled.kind is not None and event.kind.value != compiled.kind:
        return False
    return compiled.matches(EventView(event, findings))


@dataclass(frozen=True, slots=True)
class _KindPlan:
    """What evaluating one event kind takes: its rules, and which of them the prefilter runs."""

    hot: tuple[tuple[Matcher, Rule], ...]  # (matcher with the service test folded in, rule)
    always: int  # bit i: rule i runs on every event of the kind
    masks: dict[int, int]  # atom -> bits of the rules that need it
    fields: tuple[Hits, ...]  # scans of columns whose atoms gate rules
    attributes: tuple[tuple[str, Hits], ...]  # (attribute key, scan) likewise
    detectors: bool  # whether detector atoms gate rules


class RuleEngine:
    """A compiled rule pack: ``evaluate(event, findings)`` gives every match, correlations too.

    Correlation state is kept in this process (bounded; see ``correlation``); events must be
    given in time order for correlations to mean what their SQL back-test means. ``prefilter``
    picks the literal scanner (``prefilter`` module), or None to run every rule on every event
    of its kind (the same matches, slower).
    """

    def __init__(
        self,
        rules: Iterable[Rule | Correlation],
        *,
        max_groups: int = 100_000,
        max_events_per_group: int = 1_000,
        prefilter: Backend | None = "auto",
    ) -> None:
        from garrison.detect.rules.correlation import CorrelationEngine

        items = list(rules)
        pf = Prefilter(prefilter) if prefilter is not None else None
        self.rules = tuple(compile_rule(r, pf) for r in items if isinstance(r, Rule))
        if pf is not None:
            pf.freeze()
        self._prefilter = pf
        correlations = [c for c in items if isinstance(c, Correlation)]
        self.correlations = CorrelationEngine(
            correlations,
            [c.rule for c in self.rules],
            max_groups=max_groups,
            max_events_per_group=max_events_per_group,
        )
        silent = self.correlations.silent_rules()
        self._emit = {c.rule.key: c.rule.key not in silent for c in self.rules}
        # The logsource prefilter: each kind's rules (and the ai_event ones), in pack order.
        self._plans = {
            kind.value: self._plan(tuple(c for c in self.rules if c.kind in (None, kind.value)))
            for kind in EventKind
        }

    def _plan(self, compiled: tuple[CompiledRule, ...]) -> _KindPlan:
        pf = self._prefilter
        always = 0
        masks: dict[int, int] = {}
        for i, c in enumerate(compiled):
            if pf is None or c.need is None:
                always |= 1 << i
                continue
            for atom in c.need:
                masks[atom] = masks.get(atom, 0) | 1 << i
        fields: list[Hits] = []
        attributes: list[tuple[str, Hits]] = []
        for name in pf.literal_fields(masks) if pf is not None else ():
            key = pf.attribute_key(name)  # type: ignore[union-attr]
            if key is None:
                fields.append(pf.hits(name))  # type: ignore[union-attr]
            else:
                attributes.append((key, pf.hits(name)))  # type: ignore[union-attr]
        return _KindPlan(
            hot=tuple((_with_service(c), c.rule) for c in compiled),
            always=always,
            masks=masks,
            fields=tuple(fields),
            attributes=tuple(attributes),
            detectors=pf is not None and pf.has_detector_atoms(masks),
        )

    def _matched(self, view: EventView) -> list[Rule]:
        plan = self._plans[view.event.kind.value]
        hot = plan.hot
        mask = plan.always
        masks = plan.masks
        if masks:
            get = masks.get
            for hits in plan.fields:
                for atom in hits(view):
                    mask |= get(atom, 0)
            attrs = view.event.attributes
            if attrs:
                for key, hits in plan.attributes:
                    if key in attrs:
                        for atom in hits(view):
                            mask |= get(atom, 0)
            if plan.detectors:
                for atom in self._prefilter.detector_hits(view):  # type: ignore[union-attr]
                    mask |= get(atom, 0)
        matched = []
        while mask:  # the rules to run, in pack order
            low = mask & -mask
            m, rule = hot[low.bit_length() - 1]
            if m(view):
                matched.append(rule)
            mask ^= low
        return matched

    def match(self, event: Event, findings: Sequence[Finding] = ()) -> list[Rule]:
        """The detection rules ``event`` matches (no correlation state is touched)."""
        return self._matched(EventView(event, findings))

    def evaluate(self, event: Event, findings: Sequence[Finding] = ()) -> list[RuleMatch]:
        """Every match for ``event``: its rules (those that generate) and any correlation."""
        view = EventView(event, findings)
        matched = self._matched(view)
        if not matched:
            return []
        emit = self._emit
        out = [
            RuleMatch(r.key, r.title, r.level, r.tags, event.id, event.time)
            for r in matched
            if emit[r.key]
        ]
        if self.correlations:
            out.extend(self.correlations.observe(view, matched))
        return out
