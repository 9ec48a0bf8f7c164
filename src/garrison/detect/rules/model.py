"""Rules as data: Sigma detection rules and correlation rules, with where each part was written.

``Rule`` and ``Correlation`` are plain frozen values built with ``from_dict`` (the parsed YAML of
one document, plus the line of each key when the loader knows it) and dumped back with
``to_dict``. Structural problems (a missing detection, a malformed condition, a value of the
wrong shape) raise RuleError naming the file and line. What a detection item *means* (modifiers,
field types, regexes) is checked by ``matching.interpret`` when a rule is compiled or linted.

Besides Sigma's own keys, a rule may carry ``samples`` (events that must and must not match, run
by ``garrison rules test``); Sigma allows custom top-level keys, and every other unknown key is
kept in ``custom`` and written back unchanged.

This module must never compile or evaluate a rule, and never read files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Literal

from garrison.detect.rules.condition import Cond, parse_condition
from garrison.detect.rules.errors import RuleError
from garrison.model import EventKind

LEVELS = ("informational", "low", "medium", "high", "critical")
STATUSES = ("stable", "test", "experimental", "deprecated", "unsupported")
PRODUCT = "garrison"
ANY_KIND = "ai_event"
CATEGORIES: tuple[str, ...] = (*(k.value for k in EventKind), ANY_KIND)
CORRELATION_TYPES = ("event_count", "value_count", "temporal", "temporal_ordered")
COMPARISONS = ("gt", "gte", "lt", "lte", "eq", "neq")

Scalar = str | int | float | bool | None
Lines = Mapping[tuple[Any, ...], int]
_NO_LINES: Lines = MappingProxyType({})
_TIMESPAN = re.compile(r"(\d{1,9})([smhdw])")
_TIMESPAN_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
MAX_TIMESPAN_S = 366 * 86400
_DETECTION_KEYS = ("condition",)
_RULE_KEYS = (
    "title", "id", "name", "related", "taxonomy", "status", "description", "license", "references",
    "author", "date", "modified", "fields", "falsepositives", "level", "tags", "scope",
    "logsource", "detection", "samples",
)  # fmt: skip
_CORRELATION_KEYS = (
    "title", "id", "name", "status", "description", "author", "date", "modified", "references",
    "falsepositives", "level", "tags", "taxonomy", "license", "correlation", "samples",
)  # fmt: skip


class _Where:
    """Turns a key path into a file:line for error messages."""

    def __init__(self, file: str | None, lines: Lines, base: int | None) -> None:
        self.file, self.lines, self.base = file, lines, base

    def line(self, *path: Any) -> int | None:
        while path:
            hit = self.lines.get(tuple(path))
            if hit is not None:
                return hit
            path = path[:-1]
        return self.base

    def error(self, message: str, *path: Any) -> RuleError:
        name = ".".join(str(p) for p in path) if path else None
        return RuleError(message, file=self.file, line=self.line(*path), field=name)


def _text(
    data: Mapping[str, Any], key: str, where: _Where, *, required: bool = False
) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise where.error(f"missing '{key}'", key)
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise where.error(f"'{key}' must be a string", key)
    return str(value)


def _texts(data: Mapping[str, Any], key: str, where: _Where) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise where.error(f"'{key}' must be a list of strings", key)
    return tuple(str(v) for v in value)


def _custom(data: Mapping[str, Any], known: Sequence[str]) -> Mapping[str, Any]:
    return MappingProxyType({k: v for k, v in data.items() if k not in known})


# --- logsource ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LogSource:
    category: str | None = None
    product: str | None = None
    service: str | None = None
    definition: str | None = None

    @classmethod
    def from_dict(cls, data: Any, where: _Where) -> LogSource:
        if not isinstance(data, Mapping):
            raise where.error("'logsource' must be a mapping", "logsource")
        values = {}
        for key in ("category", "product", "service", "definition"):
            value = data.get(key)
            if value is not None and not isinstance(value, str):
                raise where.error(f"logsource.{key} must be a string", "logsource", key)
            values[key] = value
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "category": self.category,
            "product": self.product,
            "service": self.service,
            "definition": self.definition,
        }
        return {k: v for k, v in out.items() if v is not None}

    @property
    def kind(self) -> str | None:
        """The event kind the rule applies to; ``None`` for every kind (``ai_event``)."""
        return None if self.category in (None, ANY_KIND) else self.category


# --- detection ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DetectionItem:
    """One ``field|modifier|…: value(s)`` (``field`` None: keywords, searched in the text)."""

    field: str | None
    modifiers: tuple[str, ...]
    values: tuple[Scalar, ...]
    line: int | None = None

    @property
    def key(self) -> str:
        return "|".join([self.field or "", *self.modifiers])


@dataclass(frozen=True, slots=True)
class SearchIdentifier:
    """A named search: any of ``alternatives`` matches, each an AND of items."""

    name: str
    alternatives: tuple[tuple[DetectionItem, ...], ...]
    line: int | None = None


def _values(raw: Any, where: _Where, *path: Any) -> tuple[Scalar, ...]:
    items = raw if isinstance(raw, list) else [raw]
    out: list[Scalar] = []
    for v in items:
        if isinstance(v, datetime):
            v = v.isoformat()
        if v is not None and not isinstance(v, str | int | float | bool):
            raise where.error("a detection value must be a string, number, boolean or null", *path)
        out.append(v)
    if not out:
        raise where.error("an empty list of values matches nothing; remove it", *path)
    return tuple(out)


def _split_key(key: Any, where: _Where, *path: Any) -> tuple[str | None, tuple[str, ...]]:
    if not isinstance(key, str):
        raise where.error(f"field name {key!r} must be a string", *path)
    field_name, *modifiers = key.split("|")
    return (field_name or None), tuple(modifiers)


def _items(raw: Mapping[Any, Any], where: _Where, *path: Any) -> tuple[DetectionItem, ...]:
    out = []
    for key, value in raw.items():
        field_name, modifiers = _split_key(key, where, *path, key)
        out.append(
            DetectionItem(
                field_name,
                modifiers,
                _values(value, where, *path, key),
                where.line(*path, key),
            )
        )
    if not out:
        raise where.error("an empty search matches nothing", *path)
    return tuple(out)


def _search(name: str, raw: Any, where: _Where) -> SearchIdentifier:
    path = ("detection", name)
    line = where.line(*path)
    if isinstance(raw, Mapping):
        return SearchIdentifier(name, (_items(raw, where, *path),), line)
    if isinstance(raw, list):
        if not raw:
            raise where.error(f"search {name!r} is an empty list", *path)
        if all(isinstance(v, Mapping) for v in raw):
            return SearchIdentifier(
                name, tuple(_items(v, where, *path, i) for i, v in enumerate(raw)), line
            )
        if any(isinstance(v, Mapping | list) for v in raw):
            raise where.error(
                f"search {name!r} mixes keywords and field maps; use one or the other", *path
            )
        return SearchIdentifier(
            name, ((DetectionItem(None, (), _values(raw, where, *path), line),),), line
        )
    if isinstance(raw, str | int | float):
        return SearchIdentifier(name, ((DetectionItem(None, (), (raw,), line),),), line)
    raise where.error(f"search {name!r} must be a map, a list of maps or keywords", *path)


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_\-.]*")


@dataclass(frozen=True, slots=True)
class Detection:
    searches: tuple[SearchIdentifier, ...]
    conditions: tuple[str, ...]
    condition: Cond = field(compare=False, repr=False)  # the parsed, resolved tree
    raw: Mapping[str, Any] = field(compare=False, repr=False, default_factory=dict)
    line: int | None = None

    @classmethod
    def from_dict(cls, data: Any, where: _Where) -> Detection:
        if not isinstance(data, Mapping):
            raise where.error("'detection' must be a mapping", "detection")
        raw_condition = data.get("condition")
        if raw_condition is None:
            raise where.error("detection has no 'condition'", "detection")
        if isinstance(raw_condition, str):
            conditions: tuple[str, ...] = (raw_condition,)
        elif (
            isinstance(raw_condition, list)
            and raw_condition
            and all(isinstance(c, str) for c in raw_condition)
        ):
            conditions = tuple(raw_condition)
        else:
            raise where.error(
                "'condition' must be a string or a list of strings", "detection", "condition"
            )
        searches = []
        for name, value in data.items():
            if name in _DETECTION_KEYS:
                continue
            if not isinstance(name, str) or not _IDENTIFIER.fullmatch(name) or name in (
                "and", "or", "not", "of", "them", "all",
            ):  # fmt: skip
                raise where.error(f"{name!r} is not a valid search identifier", "detection")
            searches.append(_search(name, value, where))
        if not searches:
            raise where.error("detection has no search identifiers", "detection")
        tree = parse_condition(
            conditions,
            [s.name for s in searches],
            file=where.file,
            line=where.line("detection", "condition"),
        )
        return cls(
            tuple(searches), conditions, tree, MappingProxyType(dict(data)), where.line("detection")
        )

    def to_dict(self) -> dict[str, Any]:
        return dict(self.raw)

    def search(self, name: str) -> SearchIdentifier:
        for s in self.searches:
            if s.name == name:
                return s
        raise KeyError(name)


# --- samples ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SampleEvent:
    """One event of a sample, in Garrison's event JSON, and the findings it comes with."""

    event: Mapping[str, Any]
    findings: tuple[Mapping[str, Any], ...] = ()
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Sample:
    """What one sample feeds the rule: one event (a rule) or a sequence (a correlation)."""

    events: tuple[SampleEvent, ...]
    expect: Literal["match", "no_match"]
    line: int | None = None


def _sample_event(raw: Any, where: _Where, *path: Any) -> SampleEvent:
    if not isinstance(raw, Mapping):
        raise where.error("a sample event must be a mapping (an event in Garrison's JSON)", *path)
    event = {k: v for k, v in raw.items() if k != "findings"}
    findings = raw.get("findings") or []
    if not isinstance(findings, list) or not all(isinstance(f, Mapping) for f in findings):
        raise where.error("a sample's 'findings' must be a list of mappings", *path, "findings")
    return SampleEvent(
        MappingProxyType(event),
        tuple(MappingProxyType(dict(f)) for f in findings),
        where.line(*path),
    )


def _samples(raw: Any, where: _Where, *, sequences: bool) -> tuple[Sample, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        raise where.error("'samples' must be a mapping with 'match' and 'no_match'", "samples")
    unknown = set(raw) - {"match", "no_match"}
    if unknown:
        raise where.error(f"unknown samples key {sorted(map(str, unknown))[0]!r}", "samples")
    out = []
    expects: tuple[Literal["match", "no_match"], ...] = ("match", "no_match")
    for expect in expects:
        items = raw.get(expect) or []
        if not isinstance(items, list):
            raise where.error(f"samples.{expect} must be a list", "samples", expect)
        for i, item in enumerate(items):
            path = ("samples", expect, i)
            if sequences:
                if not isinstance(item, list) or not item:
                    raise where.error("a correlation sample is a non-empty list of events", *path)
                events = tuple(_sample_event(e, where, *path, j) for j, e in enumerate(item))
            else:
                events = (_sample_event(item, where, *path),)
            out.append(Sample(events, expect, where.line(*path)))
    return tuple(out)


def _samples_dict(samples: Sequence[Sample], *, sequences: bool) -> dict[str, Any]:
    out: dict[str, list[Any]] = {}
    for s in samples:
        events = [
            {**e.event, **({"findings": [dict(f) for f in e.findings]} if e.findings else {})}
            for e in s.events
        ]
        out.setdefault(s.expect, []).append(events if sequences else events[0])
    return {k: out[k] for k in ("match", "no_match") if k in out}


# --- rules --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rule:
    """A Sigma detection rule over Garrison events."""

    title: str
    logsource: LogSource
    detection: Detection
    id: str | None = None
    name: str | None = None
    status: str | None = None
    level: str | None = None
    description: str | None = None
    author: str | None = None
    date: str | None = None
    modified: str | None = None
    references: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    falsepositives: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    samples: tuple[Sample, ...] = ()
    custom: Mapping[str, Any] = field(default_factory=dict)
    file: str | None = None
    line: int | None = None
    lines: Lines = field(default_factory=lambda: _NO_LINES, compare=False, repr=False)

    @property
    def key(self) -> str:
        """How correlations and matches refer to it: the id, else the name, else the title."""
        return self.id or self.name or self.title

    @classmethod
    def from_dict(
        cls,
        data: Any,
        *,
        file: str | None = None,
        lines: Lines | None = None,
        line: int | None = None,
    ) -> Rule:
        where = _Where(file, lines or _NO_LINES, line)
        if not isinstance(data, Mapping):
            raise where.error("a rule must be a mapping")
        if "detection" not in data:
            raise where.error("missing 'detection'")
        if "logsource" not in data:
            raise where.error("missing 'logsource'")
        title = _text(data, "title", where, required=True)
        assert title is not None
        return cls(
            title=title,
            logsource=LogSource.from_dict(data["logsource"], where),
            detection=Detection.from_dict(data["detection"], where),
            id=_text(data, "id", where),
            name=_text(data, "name", where),
            status=_text(data, "status", where),
            level=_text(data, "level", where),
            description=_text(data, "description", where),
            author=_text(data, "author", where),
            date=_text(data, "date", where),
            modified=_text(data, "modified", where),
            references=_texts(data, "references", where),
            tags=_texts(data, "tags", where),
            falsepositives=_texts(data, "falsepositives", where),
            fields=_texts(data, "fields", where),
            samples=_samples(data.get("samples"), where, sequences=False),
            custom=_custom(data, _RULE_KEYS),
            file=file,
            line=line,
            lines=lines or _NO_LINES,
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"title": self.title}
        for key in ("id", "name", "status", "description", "author", "date", "modified"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        for key in ("references", "tags", "falsepositives", "fields"):
            value = getattr(self, key)
            if value:
                out[key] = list(value)
        out["logsource"] = self.logsource.to_dict()
        out["detection"] = self.detection.to_dict()
        if self.level is not None:
            out["level"] = self.level
        out.update(self.custom)
        if self.samples:
            out["samples"] = _samples_dict(self.samples, sequences=False)
        return out


@dataclass(frozen=True, slots=True)
class Correlation:
    """A Sigma correlation rule: a condition over the events of other rules, per group, in time."""

    title: str
    type: str
    rules: tuple[str, ...]  # ids or names of the rules it correlates
    timespan_s: int
    timespan: str  # as written, e.g. "5m"
    group_by: tuple[str, ...] = ()
    condition: tuple[tuple[str, float], ...] = ()  # ((operator, value),): one comparison
    value_field: str | None = None  # value_count: the field whose distinct values are counted
    generate: bool = False  # also emit the referenced rules' own matches
    id: str | None = None
    name: str | None = None
    status: str | None = None
    level: str | None = None
    description: str | None = None
    author: str | None = None
    date: str | None = None
    modified: str | None = None
    references: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    falsepositives: tuple[str, ...] = ()
    samples: tuple[Sample, ...] = ()
    custom: Mapping[str, Any] = field(default_factory=dict)
    file: str | None = None
    line: int | None = None
    lines: Lines = field(default_factory=lambda: _NO_LINES, compare=False, repr=False)

    @property
    def key(self) -> str:
        return self.id or self.name or self.title

    @classmethod
    def from_dict(
        cls,
        data: Any,
        *,
        file: str | None = None,
        lines: Lines | None = None,
        line: int | None = None,
    ) -> Correlation:
        where = _Where(file, lines or _NO_LINES, line)
        if not isinstance(data, Mapping):
            raise where.error("a correlation rule must be a mapping")
        title = _text(data, "title", where, required=True)
        assert title is not None
        body = data.get("correlation")
        if not isinstance(body, Mapping):
            raise where.error("'correlation' must be a mapping", "correlation")
        kind = body.get("type")
        if kind not in CORRELATION_TYPES:
            raise where.error(
                f"correlation type must be one of {', '.join(CORRELATION_TYPES)}",
                "correlation",
                "type",
            )
        rules = body.get("rules")
        if isinstance(rules, str | int):
            rules = [rules]
        if (
            not isinstance(rules, list)
            or not rules
            or not all(isinstance(r, str | int) and not isinstance(r, bool) for r in rules)
        ):
            raise where.error(
                "correlation.rules must be a list of rule ids or names", "correlation", "rules"
            )
        if len(set(rules)) != len(rules):
            raise where.error("correlation.rules lists a rule twice", "correlation", "rules")
        rules = [str(r) for r in rules]
        if kind == "temporal_ordered" and len(rules) < 2:
            raise where.error("temporal_ordered needs at least two rules", "correlation", "rules")
        group_by = body.get("group-by", [])
        if isinstance(group_by, str):
            group_by = [group_by]
        if not isinstance(group_by, list) or not all(isinstance(g, str) for g in group_by):
            raise where.error(
                "correlation.group-by must be a list of fields", "correlation", "group-by"
            )
        raw_span = body.get("timespan")
        m = _TIMESPAN.fullmatch(str(raw_span)) if isinstance(raw_span, str | int) else None
        if m is None:
            raise where.error(
                "correlation.timespan must be a number and a unit (s, m, h, d, w), e.g. 5m",
                "correlation",
                "timespan",
            )
        span = int(m.group(1)) * _TIMESPAN_SECONDS[m.group(2)]
        if not 0 < span <= MAX_TIMESPAN_S:
            raise where.error(
                "correlation.timespan must be between 1s and 366d", "correlation", "timespan"
            )
        condition, value_field = _correlation_condition(
            kind, body.get("condition"), len(rules), where
        )
        generate = body.get("generate", False)
        if not isinstance(generate, bool):
            raise where.error(
                "correlation.generate must be true or false", "correlation", "generate"
            )
        return cls(
            title=title,
            type=kind,
            rules=tuple(rules),
            timespan_s=span,
            timespan=str(raw_span),
            group_by=tuple(group_by),
            condition=condition,
            value_field=value_field,
            generate=generate,
            id=_text(data, "id", where),
            name=_text(data, "name", where),
            status=_text(data, "status", where),
            level=_text(data, "level", where),
            description=_text(data, "description", where),
            author=_text(data, "author", where),
            date=_text(data, "date", where),
            modified=_text(data, "modified", where),
            references=_texts(data, "references", where),
            tags=_texts(data, "tags", where),
            falsepositives=_texts(data, "falsepositives", where),
            samples=_samples(data.get("samples"), where, sequences=True),
            custom=_custom(data, _CORRELATION_KEYS),
            file=file,
            line=line,
            lines=lines or _NO_LINES,
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"title": self.title}
        for key in ("id", "name", "status", "description", "author", "date", "modified"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        for key in ("references", "tags", "falsepositives"):
            value = getattr(self, key)
            if value:
                out[key] = list(value)
        body: dict[str, Any] = {"type": self.type, "rules": list(self.rules)}
        if self.group_by:
            body["group-by"] = list(self.group_by)
        body["timespan"] = self.timespan
        condition: dict[str, Any] = {
            op: int(v) if float(v).is_integer() else v for op, v in self.condition
        }
        if self.value_field is not None:
            condition["field"] = self.value_field
        if condition:
            body["condition"] = condition
        if self.generate:
            body["generate"] = True
        out["correlation"] = body
        if self.level is not None:
            out["level"] = self.level
        out.update(self.custom)
        if self.samples:
            out["samples"] = _samples_dict(self.samples, sequences=True)
        return out


def _correlation_condition(
    kind: str, raw: Any, n_rules: int, where: _Where
) -> tuple[tuple[tuple[str, float], ...], str | None]:
    path = ("correlation", "condition")
    if raw is None:
        if kind in ("temporal", "temporal_ordered"):
            return (), None
        raise where.error(f"{kind} needs a condition, e.g. {{gte: 10}}", *path)
    if not isinstance(raw, Mapping) or not raw:
        raise where.error("correlation.condition must be a mapping like {gte: 10}", *path)
    if kind == "temporal_ordered":
        raise where.error("temporal_ordered takes no condition (every rule, in order)", *path)
    value_field = raw.get("field")
    if kind == "value_count":
        if not isinstance(value_field, str) or not value_field:
            raise where.error("value_count needs condition.field, the field to count", *path)
    elif value_field is not None:
        raise where.error(f"condition.field applies to value_count only, not {kind}", *path)
    ops = []
    for op, value in raw.items():
        if op == "field":
            continue
        if op not in COMPARISONS:
            raise where.error(f"unknown comparison {op!r} (use {', '.join(COMPARISONS)})", *path)
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            raise where.error(f"condition.{op} must be a number", *path)
        ops.append((str(op), float(value)))
    if len(ops) != 1:
        # Sigma (and pySigma) allow exactly one comparison per correlation condition.
        raise where.error("correlation.condition needs exactly one comparison", *path)
    if kind == "temporal" and any(v > n_rules for op, v in ops if op in ("gt", "gte", "eq")):
        raise where.error(f"temporal counts distinct rules: at most {n_rules}", *path)
    return tuple(ops), (value_field if kind == "value_count" else None)


def compare(op: str, left: float, right: float) -> bool:
    """``left op right`` for a correlation condition operator."""
    if op == "gt":
        return left > right
    if op == "gte":
        return left >= right
    if op == "lt":
        return left < right
    if op == "lte":
        return left <= right
    if op == "eq":
        return left == right
    return left != right


# --- matches ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """A rule (or correlation) fired on an event.

    For a correlation, ``event_id`` is the event that completed it (the trigger), ``group`` the
    group-by values, ``event_ids`` the events of the window that count (at most a bounded number)
    and ``value`` the count that met the condition.
    """

    rule_id: str
    title: str
    level: str | None
    tags: tuple[str, ...]
    event_id: str
    time: datetime
    correlation: str | None = None  # the correlation type, for correlation matches
    group: tuple[tuple[str, Any], ...] = ()
    event_ids: tuple[str, ...] = ()
    value: float | None = None
