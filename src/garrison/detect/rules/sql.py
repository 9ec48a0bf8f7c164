"""Rules compiled to SQL, for DuckDB and PostgreSQL: back-testing and hunting over the store.

``rule_query`` gives the ids of a tenant's events in a time range that a rule matches, and
``correlation_query`` the ids of the events at which a correlation fires (its triggers); both
return ``SqlQuery(sql, params)`` to run with the engine's driver (DuckDB ``?``, psycopg ``%s``).
They read the ``events`` table (migration 1) and the ``findings`` table (one row per finding:
tenant, event_id, detector, label, score, status, …), aliased ``e`` and ``f``.

Every value from a rule travels as a bound parameter; the SQL text holds only our own column
names, operators and constants, never a value, a field name or an attribute key. Semantics are
``matching``'s, and are the streaming evaluator's (the equivalence test runs both on the same
data):

- Case-insensitive tests compare ``lower(column)`` with the value case-folded in Python
  (``regex.fold``); both engines' ``lower()`` follow the Unicode simple lowercase mapping, as
  ``fold`` does (PostgreSQL's follows the database's LC_CTYPE: a ``C`` ctype lowercases ASCII
  only, so non-ASCII text then matches case-sensitively).
- Absent values: a test on NULL is false, and ``not`` is compiled as ``NOT COALESCE(x, FALSE)``,
  so SQL's three-valued logic never differs from Python's two values.
- Attributes: DuckDB extracts with a bound JSON pointer (``json_type``/``json_extract``),
  PostgreSQL with ``->`` and a bound key; an array matches when any scalar element does.
- ``detectors.X.score`` is the maximum ok score, compiled to EXISTS / NOT EXISTS over findings
  (``max ≥ v`` is "some score ≥ v", ``max < v`` is "some ok finding, none ≥ v").
- Regexes are the common subset (``regex``), emitted per engine: ``regexp_matches`` (RE2) in
  DuckDB, ``~`` (ARE) in PostgreSQL.

This module must never execute SQL or import a database driver.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from garrison.detect.rules import condition as cond
from garrison.detect.rules.document import FieldSpec, FieldType, Source, field_spec
from garrison.detect.rules.errors import RuleError
from garrison.detect.rules.evaluate import check_logsource
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
)
from garrison.detect.rules.model import Correlation, Rule
from garrison.detect.rules.regex import re2_literal

Dialect = Literal["duckdb", "postgres"]
DIALECTS: tuple[Dialect, ...] = ("duckdb", "postgres")


@dataclass(frozen=True, slots=True)
class SqlQuery:
    """SQL text with ``?`` (DuckDB) or ``%s`` (PostgreSQL) placeholders, and its parameters."""

    sql: str
    params: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class _Frag:
    text: str
    params: tuple[Any, ...] = ()

    def __add__(self, other: _Frag | str) -> _Frag:
        if isinstance(other, str):
            return _Frag(self.text + other, self.params)
        return _Frag(self.text + other.text, self.params + other.params)


def _f(text: str, *params: Any) -> _Frag:
    return _Frag(text, params)


def _join(sep: str, frags: Sequence[_Frag]) -> _Frag:
    out = _Frag("")
    for i, frag in enumerate(frags):
        out = out + (sep if i else "") + frag
    return out


def _wrap(frag: _Frag) -> _Frag:
    return _f("(") + frag + ")"


_TRUE = _f("TRUE")
_FALSE = _f("FALSE")
_OPS = {"eq": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
_NEGATED = {"gt": "<=", "gte": "<", "lt": ">=", "lte": ">", "eq": "<>", "neq": "="}
_OK = "ok"
_DUCK_SCALARS = "('VARCHAR', 'BIGINT', 'UBIGINT', 'DOUBLE', 'BOOLEAN')"
_DUCK_NUMBERS = "('BIGINT', 'UBIGINT', 'DOUBLE')"
_PG_SCALARS = "('string', 'number', 'boolean')"


def _pointer(key: str) -> str:
    """A JSON pointer to the top-level key ``key`` (DuckDB's JSON functions take one)."""
    return "/" + key.replace("~", "~0").replace("/", "~1")


def _re2_alternation(tests: Sequence[StrTest]) -> str:
    """One RE2 pattern that finds a text when any of the string ``tests`` holds."""
    options = []
    for t in tests:
        parts = (
            t.parts
            or {
                "eq": (t.text,),
                "prefix": (t.text, WILD_MULTI),
                "suffix": (WILD_MULTI, t.text),
                "contains": (WILD_MULTI, t.text, WILD_MULTI),
            }[t.kind]
        )
        body = "".join(
            ".*" if p == WILD_MULTI else "." if p == WILD_ONE else re2_literal(p) for p in parts
        )
        # Wildcards at either end unanchor the pattern (a literal never starts with an
        # unescaped ".*": re2_literal escapes both characters).
        body = body[2:] if body.startswith(".*") else "^" + body
        body = body[:-2] if body.endswith(".*") else body + "$"
        options.append(f"(?:{body})")
    return "(?s)" + "|".join(options)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class _Compiler:
    def __init__(self, dialect: Dialect, file: str | None) -> None:
        if dialect not in DIALECTS:
            raise ValueError(f"unknown SQL dialect {dialect!r}")
        self.dialect = dialect
        self.file = file
        self.duck = dialect == "duckdb"

    # --- tests on a text expression ---------------------------------------------------------

    def text_test(self, subject: _Frag, t: StrTest | RegexTest) -> _Frag:
        """``t`` on the SQL text expression ``subject`` (already lower()ed when folded)."""
        if isinstance(t, RegexTest):
            pattern = t.regex.emit("re2" if self.duck else "postgres")
            if self.duck:
                return _f("regexp_matches(") + subject + _f(", ?)", pattern)
            return _f("(") + subject + _f(" ~ ?::text)", pattern)
        cast = "" if self.duck else "::text"
        if t.kind == "eq":
            return _f("(") + subject + _f(f" = ?{cast})", t.text)
        if t.kind == "any":
            return _f("(") + subject + " IS NOT NULL)"
        if self.duck and t.kind in ("prefix", "suffix", "contains"):
            fn = {"prefix": "starts_with", "suffix": "ends_with", "contains": "contains"}[t.kind]
            return _f(f"{fn}(") + subject + _f(", ?)", t.text)
        if not self.duck and t.kind == "contains":
            return _f("(strpos(") + subject + _f(", ?::text) > 0)", t.text)
        parts = t.parts or ((t.text, WILD_MULTI) if t.kind == "prefix" else (WILD_MULTI, t.text))
        literal = "".join(p for p in parts if p not in (WILD_MULTI, WILD_ONE))
        needs_escape = any(c in literal for c in "\\%_")
        pattern = "".join(
            "%" if p == WILD_MULTI else "_" if p == WILD_ONE else _like_escape(p) for p in parts
        )
        if self.duck:
            if not needs_escape:
                pattern = "".join(
                    "%" if p == WILD_MULTI else "_" if p == WILD_ONE else p for p in parts
                )
                return _f("(") + subject + _f(" LIKE ?)", pattern)
            return _f("(") + subject + _f(" LIKE ? ESCAPE '\\')", pattern)
        # PostgreSQL's default LIKE escape character is the backslash.
        return _f("(") + subject + _f(" LIKE ?::text)", pattern)

    def text_tests(self, subject: _Frag, tests: Sequence[StrTest | RegexTest]) -> _Frag:
        """Any of ``tests`` on ``subject``. In DuckDB, several string tests become one RE2
        search of an alternation of escaped literals (one pass over the text instead of one per
        value; ``contains(lower(x), ?)`` does not share its ``lower()`` between OR terms)."""
        strings = [t for t in tests if isinstance(t, StrTest) and t.kind != "any"]
        if self.duck and len(strings) >= 2:
            merged = _f("regexp_matches(") + subject + _f(", ?)", _re2_alternation(strings))
            rest = [t for t in tests if not (isinstance(t, StrTest) and t.kind != "any")]
            return _wrap(_join(" OR ", [merged, *(self.text_test(subject, t) for t in rest)]))
        return _wrap(_join(" OR ", [self.text_test(subject, t) for t in tests]))

    def num_test(self, subject: _Frag, t: NumTest) -> _Frag:
        return _f("(") + subject + _f(f" {_OPS[t.op]} ?)", t.value)

    def value_tests(self, subject: _Frag, tests: Sequence[ValueTest]) -> _Frag:
        """Any of ``tests`` (one family: text or numbers) on ``subject``."""
        if isinstance(tests[0], NumTest):
            return _wrap(
                _join(" OR ", [self.num_test(subject, t) for t in tests if isinstance(t, NumTest)])
            )
        texts = [t for t in tests if isinstance(t, StrTest | RegexTest)]
        if self.folded(texts[0]):
            subject = _f("lower(") + subject + ")"
        return self.text_tests(subject, texts)

    @staticmethod
    def folded(t: ValueTest) -> bool:
        if isinstance(t, RegexTest):
            return t.regex.ignore_case
        return isinstance(t, StrTest) and not t.cased

    # --- tests on a field -------------------------------------------------------------------

    def field_tests(self, spec: FieldSpec, tests: Sequence[ValueTest]) -> _Frag:
        """Any of ``tests`` on the field: presence tests one by one, value tests grouped by
        family so that one JSON extraction or one EXISTS serves them all."""
        parts: list[_Frag] = []
        families: dict[str, list[ValueTest]] = {}
        for t in tests:
            if isinstance(t, NullTest | ExistsTest):
                parts.append(self.presence_test(spec, t))
            else:
                families.setdefault("num" if isinstance(t, NumTest) else "text", []).append(t)
        for group in families.values():
            if spec.source is Source.COLUMN:
                parts.append(self.value_tests(_f(f"e.{spec.column}"), group))
            elif spec.source is Source.ATTRIBUTE:
                parts.append(self.attribute_tests(spec, group))
            elif spec.type is FieldType.SCORE:
                parts.extend(self.score_test(spec, t) for t in group if isinstance(t, NumTest))
            else:
                parts.append(self.findings_tests(spec, group))
        return _wrap(_join(" OR ", parts))

    def presence_test(self, spec: FieldSpec, t: NullTest | ExistsTest) -> _Frag:
        absent = isinstance(t, NullTest)
        if spec.source is Source.COLUMN:
            return _f(f"(e.{spec.column} IS {'' if absent else 'NOT '}NULL)")
        if spec.source is Source.ATTRIBUTE:
            key = spec.key or ""
            op = "=" if absent else "<>"
            if self.duck:
                return _f(
                    f"(coalesce(json_type(e.attributes, ?), 'NULL') {op} 'NULL')", _pointer(key)
                )
            return _f(f"(coalesce(jsonb_typeof(e.attributes -> ?::text), 'null') {op} 'null')", key)
        word = "NOT EXISTS" if absent else "EXISTS"
        base = self.findings_base(spec, ok=spec.part != "status")
        if spec.part == "margin":
            base = base + f" AND {self.margin()} IS NOT NULL"
        return _f(f"({word} (") + base + "))"

    def attribute_tests(self, spec: FieldSpec, tests: Sequence[ValueTest]) -> _Frag:
        key = spec.key or ""
        numeric = isinstance(tests[0], NumTest)
        if self.duck:
            pointer = _pointer(key)
            types = _DUCK_NUMBERS if numeric else _DUCK_SCALARS
            element_text = _f("json_extract_string(_gx, '$')")
            scalar_text = _f("json_extract_string(e.attributes, ?)", pointer)
            if numeric:
                element_text = _f("CAST(") + element_text + " AS DOUBLE)"
                scalar_text = _f("CAST(") + scalar_text + " AS DOUBLE)"
            return (
                _f("(CASE WHEN json_type(e.attributes, ?) = 'ARRAY' THEN ", pointer)
                + _f(
                    "len(list_filter(CAST(json_extract(e.attributes, ?) AS JSON[]), "
                    f"lambda _gx: json_type(_gx) IN {types} AND ",
                    pointer,
                )
                + self.value_tests(element_text, tests)
                + _f(f")) > 0 WHEN json_type(e.attributes, ?) IN {types} THEN ", pointer)
                + self.value_tests(scalar_text, tests)
                + " ELSE FALSE END)"
            )
        value = "(e.attributes -> ?::text)"
        types = "('number')" if numeric else _PG_SCALARS
        element_text = _f("(g.x #>> '{}')")
        scalar_text = _f(f"({value} #>> '{{}}')", key)
        if numeric:
            element_text = element_text + "::double precision"
            scalar_text = scalar_text + "::double precision"
        return (
            _f(f"(CASE WHEN jsonb_typeof{value} = 'array' THEN EXISTS (SELECT 1 FROM ", key)
            + _f(
                f"jsonb_array_elements{value} AS g(x) WHERE jsonb_typeof(g.x) IN {types} AND ", key
            )
            + self.value_tests(element_text, tests)
            + _f(f") WHEN jsonb_typeof{value} IN {types} THEN ", key)
            + self.value_tests(scalar_text, tests)
            + " ELSE FALSE END)"
        )

    def findings_base(self, spec: FieldSpec, *, ok: bool) -> _Frag:
        cast = "" if self.duck else "::text"
        base = _f("SELECT 1 FROM findings AS f WHERE f.tenant = e.tenant AND f.event_id = e.id")
        if spec.source is Source.DETECTOR:
            base = base + _f(f" AND f.detector = ?{cast}", spec.key)
        if ok:
            base = base + _f(f" AND f.status = ?{cast}", _OK)
        return base

    def findings_tests(self, spec: FieldSpec, tests: Sequence[ValueTest]) -> _Frag:
        """Label or status tests: one EXISTS over the event's findings."""
        column = "f.status" if spec.part == "status" else "f.label"
        base = self.findings_base(spec, ok=spec.part != "status")
        return _f("(EXISTS (") + base + " AND " + self.value_tests(_f(column), tests) + "))"

    def margin(self) -> str:
        """``f.score`` minus the finding's ``detail.threshold`` when that is a JSON number,
        else NULL (as ``document.finding_margin``)."""
        if self.duck:
            kind = "json_type(f.detail, '$.threshold')"
            value = "CAST(json_extract(f.detail, '$.threshold') AS DOUBLE)"
            return f"(CASE WHEN {kind} IN {_DUCK_NUMBERS} THEN f.score - {value} END)"
        return (
            "(CASE WHEN jsonb_typeof(f.detail -> 'threshold') = 'number' "
            "THEN f.score - (f.detail ->> 'threshold')::double precision END)"
        )

    def score_test(self, spec: FieldSpec, t: NumTest) -> _Frag:
        """``detectors.X.score`` is the max ok score (``margin``: the max score minus
        threshold of ok findings that report a threshold): gt/gte is "some value", lt/lte/eq
        also need "none above"."""
        ok = self.findings_base(spec, ok=True)
        value = "f.score"
        if spec.part == "margin":
            value = self.margin()
            ok = ok + f" AND {value} IS NOT NULL"
        if t.op in ("gt", "gte"):
            return _f("(EXISTS (") + ok + " AND " + self.num_test(_f(value), t) + "))"
        above = ">=" if t.op == "lt" else ">"
        exists = _f("EXISTS (") + ok + ")"
        if t.op == "eq":
            exists = _f("EXISTS (") + ok + " AND " + self.num_test(_f(value), t) + ")"
        none_above = _f("NOT EXISTS (") + ok + _f(f" AND {value} {above} ?", t.value) + ")"
        return _wrap(exists + " AND " + none_above)

    # --- items, searches, conditions ---------------------------------------------------------

    def check(self, check: Check) -> _Frag:
        if check.all:
            return _wrap(
                _join(
                    " AND ",
                    [
                        _wrap(_join(" OR ", [self.field_tests(s, [t]) for s in check.fields]))
                        for t in check.tests
                    ],
                )
            )
        return _wrap(_join(" OR ", [self.field_tests(s, check.tests) for s in check.fields]))

    def rule_condition(self, rule: Rule) -> _Frag:
        searches: dict[str, _Frag] = {}
        for search in rule.detection.searches:
            alternatives = [
                _wrap(_join(" AND ", [self.check(interpret(i, file=rule.file)) for i in items]))
                for items in search.alternatives
            ]
            searches[search.name] = _wrap(_join(" OR ", alternatives))

        def build(node: cond.Cond) -> _Frag:
            if isinstance(node, cond.Ref):
                return searches[node.name]
            if isinstance(node, cond.Not):
                return _f("(NOT COALESCE(") + build(node.node) + ", FALSE))"
            if isinstance(node, cond.And):
                return _wrap(_join(" AND ", [build(n) for n in node.nodes]))
            if isinstance(node, cond.Or):
                return _wrap(_join(" OR ", [build(n) for n in node.nodes]))
            parts = [searches[n] for n in node.names]
            if node.count is None:
                return _wrap(_join(" AND ", parts))
            return _wrap(_join(" OR ", parts))

        return build(rule.detection.condition)

    def logsource(self, rule: Rule) -> _Frag:
        check_logsource(rule)
        cast = "" if self.duck else "::text"
        parts = []
        if rule.logsource.kind is not None:
            parts.append(_f(f"e.kind = ?{cast}", rule.logsource.kind))
        if rule.logsource.service is not None:
            parts.append(_f(f"e.app = ?{cast}", rule.logsource.service))
        return _join(" AND ", parts) if parts else _TRUE

    def matches(self, rule: Rule) -> _Frag:
        """The whole rule (logsource and condition) as a boolean over ``e``."""
        return _wrap(self.logsource(rule) + " AND " + self.rule_condition(rule))

    def scope(self, tenant: str, since: datetime, until: datetime) -> _Frag:
        cast = "" if self.duck else "::text"
        return _f(f"e.tenant = ?{cast} AND e.time >= ? AND e.time < ?", tenant, since, until)

    def single_value(self, correlation: Correlation, name: str, what: str) -> _Frag:
        spec = field_spec(name)
        if spec is None or spec.source not in (Source.COLUMN, Source.ATTRIBUTE):
            raise RuleError(
                f"{what}: {name!r} is not an event field",
                file=correlation.file,
                line=correlation.lines.get(("correlation", what), correlation.line),
                field=what,
            )
        if spec.source is Source.COLUMN:
            return _f(f"e.{spec.column}")
        key = spec.key or ""
        if self.duck:
            pointer = "/" + key.replace("~", "~0").replace("/", "~1")
            return _f(f"(CASE WHEN json_type(e.attributes, ?) IN {_DUCK_SCALARS} ", pointer) + _f(
                "THEN json_extract_string(e.attributes, ?) END)", pointer
            )
        return _f(f"(CASE WHEN jsonb_typeof(e.attributes -> ?::text) IN {_PG_SCALARS} ", key) + _f(
            "THEN e.attributes ->> ?::text END)", key
        )

    def finish(self, frag: _Frag) -> SqlQuery:
        text = " ".join(frag.text.split()) if "\n" in frag.text else frag.text
        if self.duck:
            return SqlQuery(text, frag.params)
        if "%" in text:  # pragma: no cover - our SQL text never holds a literal %
            raise AssertionError("literal % in generated SQL")
        return SqlQuery(text.replace("?", "%s"), frag.params)


def condition_sql(rule: Rule, dialect: Dialect) -> SqlQuery:
    """The rule (logsource and condition) as a boolean SQL expression over ``events AS e``."""
    c = _Compiler(dialect, rule.file)
    return c.finish(c.matches(rule))


def rule_query(
    rule: Rule, dialect: Dialect, *, tenant: str, since: datetime, until: datetime
) -> SqlQuery:
    """SELECT the ids of ``tenant``'s events in [since, until) that ``rule`` matches, in (time,
    id) order. RuleError if the rule cannot be compiled."""
    c = _Compiler(dialect, rule.file)
    frag = (
        _f("SELECT e.id FROM events AS e WHERE ")
        + c.scope(tenant, since, until)
        + " AND "
        + c.matches(rule)
        + " ORDER BY e.time, e.id"
    )
    return c.finish(frag)


def _resolve(
    correlation: Correlation, rules: Mapping[str, Rule] | Callable[[str], Rule]
) -> list[Rule]:
    out = []
    for ref in correlation.rules:
        try:
            out.append(rules(ref) if callable(rules) else rules[ref])
        except KeyError:
            raise RuleError(
                f"correlation references unknown rule {ref!r}",
                file=correlation.file,
                line=correlation.lines.get(("correlation", "rules"), correlation.line),
                field="correlation.rules",
            ) from None
    return out


def correlation_query(
    correlation: Correlation,
    rules: Mapping[str, Rule] | Callable[[str], Rule],
    dialect: Dialect,
    *,
    tenant: str,
    since: datetime,
    until: datetime,
) -> SqlQuery:
    """SELECT the ids of the events at which ``correlation`` fires (see ``correlation`` for the
    semantics), over ``tenant``'s events in [since, until): windows start empty at ``since``,
    as a streaming engine started then would. ``rules`` resolves the referenced ids/names
    (a mapping, or ``RuleSet.rule``)."""
    c = _Compiler(dialect, correlation.file)
    referenced = _resolve(correlation, rules)
    span = timedelta(seconds=correlation.timespan_s)
    groups = [c.single_value(correlation, g, "group-by") for g in correlation.group_by]
    columns = [_f("e.id AS ev_id, e.time AS ev_time")]
    columns += [g + f" AS g{i}" for i, g in enumerate(groups)]
    if correlation.value_field:
        columns.append(c.single_value(correlation, correlation.value_field, "condition") + " AS v")
    columns += [_f(f"h.m{i}") for i in range(len(referenced))]
    present = "".join(f" AND g{i} IS NOT NULL" for i in range(len(groups)))
    # Cheap tests first, in each scan, so that the rules' content tests run only on events that
    # could match at all: the scope, and group-by columns that must be present.
    prefilter = [c.scope(tenant, since, until)]
    for name in correlation.group_by:
        spec = field_spec(name)
        if spec is not None and spec.source is Source.COLUMN:
            prefilter.append(_f(f"e.{spec.column} IS NOT NULL"))
    # Each referenced rule is its own filtered scan (its condition in the WHERE clause, where
    # the engine stops testing a row as soon as it is decided), the hits are merged into one
    # row per event with a flag per rule, and joined back to the events for the group-by and
    # value columns. Computing every rule as a column of one scan instead evaluates every
    # condition on every row: several times slower with the built-in pack.
    branches = [
        _f(f"SELECT e.id AS hid, {i} AS r FROM events AS e WHERE ")
        + _join(" AND ", [*prefilter, c.matches(r)])
        for i, r in enumerate(referenced)
    ]
    flags = ", ".join(f"BOOL_OR(r = {i}) AS m{i}" for i in range(len(referenced)))
    base = (
        _f("WITH hits AS (")
        + _join(" UNION ALL ", branches)
        + f"), hs AS (SELECT hid, {flags} FROM hits GROUP BY hid), m AS (SELECT * FROM (SELECT "
        + _join(", ", columns)
        + " FROM events AS e JOIN hs AS h ON h.hid = e.id WHERE "
        + c.scope(tenant, since, until)
        + f") AS s WHERE TRUE{present})"
    )
    partition = (
        "PARTITION BY " + ", ".join(f"g{i}" for i in range(len(groups))) + " " if groups else ""
    )
    order = "ORDER BY ev_time, ev_id"
    kind = correlation.type
    if kind == "event_count":
        # The events of the group in (time - span, time] up to this one, in (time, id) order:
        # those up to this one, less those at or before time - span (span >= 1 s, so they all
        # come before it). Two window functions instead of a self-join, whose cost grows with
        # the square of a group's size. The span is a validated whole number of seconds.
        seconds = int(correlation.timespan_s)
        earlier = (
            f"(COUNT(*) OVER ({partition}ORDER BY ev_time RANGE BETWEEN UNBOUNDED PRECEDING "
            f"AND INTERVAL '{seconds} seconds' PRECEDING))"
        )
        test = _join(
            " AND ", [_f(f"n {_OPS.get(op, '<>')} ?", v) for op, v in correlation.condition]
        )
        frag = (
            base
            + f", s AS (SELECT ev_id, ev_time, ROW_NUMBER() OVER ({partition}{order}) - "
            + earlier
            + " AS n FROM m) SELECT ev_id FROM s WHERE "
            + test
            + f" {order}"
        )
        return c.finish(frag)
    if kind == "value_count":
        # Distinct values in the group's window (time - span, time] up to this event: a value
        # counts while its latest occurrence so far is in the window. An occurrence r starts
        # counting at itself and stops at the earlier of the value's next occurrence (which
        # takes over) and the first event at or after r.time + span (it left the window). A
        # sweep over those start (+1) and stop (-1) points, in (time, id) order, counts at each
        # event the occurrences still counting: two window functions instead of a self-join,
        # whose cost grows with the square of a group's size. A stop sorts just before the
        # event it happens at (key (time, id, 0) vs (time, id, 1)); an expiry at time T before
        # every event at T ('' sorts before any id).
        keys = [f"g{i}" for i in range(len(groups))]
        by_value = "PARTITION BY " + ", ".join([*keys, "v"]) + " "
        group_cols = "".join(f"{k}, " for k in keys)
        test = _join(
            " AND ", [_f(f"n {_OPS.get(op, '<>')} ?", v) for op, v in correlation.condition]
        )
        takes_over = _f("nt IS NOT NULL AND nt < ev_time + ?", span)
        frag = (
            base
            + f", nx AS (SELECT *, LEAD(ev_time) OVER ({by_value}{order}) AS nt, "
            + f"LEAD(ev_id) OVER ({by_value}{order}) AS nid FROM m)"
            + f", sw AS (SELECT {group_cols}ev_time AS t, ev_id AS i, 1 AS p, "
            + "CASE WHEN v IS NULL THEN 0 ELSE 1 END AS d FROM nx UNION ALL "
            + f"SELECT {group_cols}CASE WHEN "
            + takes_over
            + " THEN nt ELSE "
            + _f("ev_time + ?", span)
            + " END, CASE WHEN "
            + takes_over
            + " THEN nid ELSE '' END, 0, -1 FROM nx WHERE v IS NOT NULL)"
            + f", s AS (SELECT i AS ev_id, t AS ev_time, p, SUM(d) OVER ({partition}"
            + "ORDER BY t, i, p ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS n FROM sw)"
            + " SELECT ev_id FROM s WHERE p = 1 AND "
            + test
            + f" {order}"
        )
        return c.finish(frag)
    window = f"({partition}{order} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
    if kind == "temporal":
        recent = [
            _f(
                f"(CASE WHEN MAX(CASE WHEN m{i} THEN ev_time END) OVER {window} > ev_time - ? ",
                span,
            )
            + "THEN 1 ELSE 0 END)"
            for i in range(len(referenced))
        ]
        condition = correlation.condition or (("eq", float(len(referenced))),)
        test = _join(" AND ", [_f(f"n {_OPS.get(op, '<>')} ?", v) for op, v in condition])
        frag = (
            base
            + ", s AS (SELECT ev_id, ev_time, "
            + _join(" + ", recent)
            + " AS n FROM m) SELECT ev_id FROM s WHERE "
            + test
            + f" {order}"
        )
        return c.finish(frag)
    # temporal_ordered: c{k} is the start time of the latest chain r0..rk ending at this row.
    before = f"({partition}{order} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)"
    ctes = [_f(", l0 AS (SELECT *, CASE WHEN m0 THEN ev_time END AS c0 FROM m)")]
    for k in range(1, len(referenced)):
        ctes.append(
            _f(
                f", l{k} AS (SELECT *, CASE WHEN m{k} THEN MAX(c{k - 1}) OVER {before} "
                f"END AS c{k} FROM l{k - 1})"
            )
        )
    last = len(referenced) - 1
    frag = (
        base
        + _join("", ctes)
        + f", s AS (SELECT ev_id, ev_time, MAX(c{last}) OVER {window} AS best FROM l{last})"
        + _f(f" SELECT ev_id FROM s WHERE best > ev_time - ? {order}", span)
    )
    return c.finish(frag)


def compile_sql(
    item: Rule | Correlation,
    dialect: Dialect,
    *,
    tenant: str,
    since: datetime,
    until: datetime,
    rules: Mapping[str, Rule] | Callable[[str], Rule] | None = None,
) -> SqlQuery:
    """``rule_query`` or ``correlation_query``, whichever ``item`` needs."""
    if isinstance(item, Rule):
        return rule_query(item, dialect, tenant=tenant, since=since, until=until)
    if rules is None:
        raise ValueError("a correlation needs the rules it references")
    return correlation_query(item, rules, dialect, tenant=tenant, since=since, until=until)
