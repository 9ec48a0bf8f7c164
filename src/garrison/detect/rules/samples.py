"""Running a rule's own samples: the events it must match and must not (``garrison rules test``).

A rule file carries them under a top-level ``samples`` key (Sigma allows custom keys)::

    samples:
      match:
        - {kind: prompt, content: "Ignore previous instructions",
           findings: [{detector: prompt_guard, label: prompt_injection, score: 0.97}]}
      no_match:
        - {kind: prompt, content: "What are your opening hours?"}

Each sample event is an event in Garrison's JSON (``model.event.event_from_dict``) plus an
optional ``findings`` list (``detector``, ``label``, ``score``, optional ``status``). A
correlation's samples are lists of events (a sequence each); ``match`` sequences must fire the
correlation at least once and ``no_match`` ones never. Events without a ``time`` are spaced one
second apart from a fixed start.

``run_samples`` runs them streaming and, by default, also as SQL on an in-memory DuckDB, so a
sample proves both evaluations agree. This module must never touch a real store.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from garrison.detect.rules.errors import RuleError
from garrison.detect.rules.model import Correlation, Rule, Sample, SampleEvent
from garrison.errors import GarrisonError
from garrison.model import Event, Source
from garrison.model.event import event_from_dict
from garrison.model.finding import Finding, FindingStatus

Engine = Literal["stream", "duckdb"]
SAMPLE_TENANT = "samples"
SAMPLE_START = datetime(2026, 1, 1, tzinfo=UTC)

# The findings table as migration 2 is specified (one row per finding); used only for the
# in-memory sample run until the store's own migration lands.
FINDINGS_DUCKDB = """
CREATE TABLE findings (
    tenant VARCHAR NOT NULL, event_id VARCHAR NOT NULL, detector VARCHAR NOT NULL,
    version VARCHAR, label VARCHAR, score DOUBLE, status VARCHAR NOT NULL, tags VARCHAR,
    evidence JSON, latency_ms DOUBLE, detail JSON, time TIMESTAMPTZ
)
"""


@dataclass(frozen=True, slots=True)
class SampleFailure:
    rule_id: str
    file: str | None
    line: int | None
    expect: str  # "match" or "no_match"
    engine: str  # "stream", "duckdb", or "load" when the sample itself is invalid
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.file else ""
        return f"{where}{self.rule_id}: {self.message} [{self.engine}]"


def build_sample(sample: Sample, *, file: str | None = None) -> list[tuple[Event, list[Finding]]]:
    """The events (and findings) of ``sample``; RuleError naming the sample's line."""
    out = []
    for i, item in enumerate(sample.events):
        out.append(_build_event(item, SAMPLE_START + timedelta(seconds=i), file))
    return out


def _build_event(
    item: SampleEvent, when: datetime, file: str | None
) -> tuple[Event, list[Finding]]:
    try:
        event = event_from_dict(
            dict(item.event), tenant=SAMPLE_TENANT, source=Source.IMPORT, now=when
        )
    except GarrisonError as exc:
        raise RuleError(f"sample event: {exc.message}", file=file, line=item.line) from None
    findings = []
    for raw in item.findings:
        detector, label = raw.get("detector"), raw.get("label", "")
        score = raw.get("score", 1.0)
        status = raw.get("status", "ok")
        if not isinstance(detector, str) or not detector:
            raise RuleError("a sample finding needs a 'detector'", file=file, line=item.line)
        if not isinstance(label, str):
            raise RuleError(
                "a sample finding's 'label' must be a string", file=file, line=item.line
            )
        if isinstance(score, bool) or not isinstance(score, int | float):
            raise RuleError(
                "a sample finding's 'score' must be a number", file=file, line=item.line
            )
        try:
            finding_status = FindingStatus(status)
        except ValueError:
            raise RuleError(
                "a sample finding's 'status' must be ok, error or timeout",
                file=file,
                line=item.line,
            ) from None
        detail: dict[str, float] = {}
        if "threshold" in raw:  # the calibrated threshold a classifier reports (margin)
            threshold = raw["threshold"]
            if isinstance(threshold, bool) or not isinstance(threshold, int | float):
                raise RuleError(
                    "a sample finding's 'threshold' must be a number", file=file, line=item.line
                )
            detail["threshold"] = float(threshold)
        findings.append(
            Finding(
                event_id=event.id,
                detector=detector,
                version="sample",
                label=label,
                score=float(score),
                status=finding_status,
                detail=detail,
            )
        )
    return event, findings


def run_samples(
    rule: Rule | Correlation,
    *,
    rules: Mapping[str, Rule] | Callable[[str], Rule] | None = None,
    engines: Sequence[Engine] = ("stream", "duckdb"),
) -> list[SampleFailure]:
    """Run ``rule``'s samples; the failures (empty when every sample behaves).

    A correlation needs ``rules`` to resolve the rules it references (a mapping by id/name, or
    ``RuleSet.rule``). A rule or correlation that cannot compile is reported as one failure.
    """
    failures: list[SampleFailure] = []
    for sample in rule.samples:
        try:
            batch = build_sample(sample, file=rule.file)
        except RuleError as exc:
            failures.append(
                SampleFailure(rule.key, rule.file, sample.line, sample.expect, "load", exc.reason)
            )
            continue
        for engine in engines:
            try:
                fired = _fires(rule, batch, rules, engine)
            except RuleError as exc:
                return [
                    SampleFailure(rule.key, exc.file, exc.line, sample.expect, engine, exc.reason)
                ]
            want = sample.expect == "match"
            if fired != want:
                what = "did not match" if want else "matched"
                failures.append(
                    SampleFailure(
                        rule.key,
                        rule.file,
                        sample.line,
                        sample.expect,
                        engine,
                        f"a {sample.expect.replace('_', '-')} sample {what}",
                    )
                )
    return failures


def _resolver(
    rules: Mapping[str, Rule] | Callable[[str], Rule] | None,
) -> Callable[[str], Rule]:
    if rules is None:

        def nothing(ref: str) -> Rule:
            raise KeyError(ref)

        return nothing
    if callable(rules):
        return rules
    return rules.__getitem__


def _fires(
    rule: Rule | Correlation,
    batch: list[tuple[Event, list[Finding]]],
    rules: Mapping[str, Rule] | Callable[[str], Rule] | None,
    engine: Engine,
) -> bool:
    from garrison.detect.rules.correlation import CorrelationEngine
    from garrison.detect.rules.evaluate import EventView, compile_rule

    resolve = _resolver(rules)
    if isinstance(rule, Correlation):
        base = []
        for ref in rule.rules:
            try:
                base.append(resolve(ref))
            except KeyError:
                raise RuleError(
                    f"correlation references unknown rule {ref!r}", file=rule.file, line=rule.line
                ) from None
    if engine == "duckdb":
        return _fires_duckdb(rule, batch, resolve)
    if isinstance(rule, Rule):
        compiled = compile_rule(rule)
        return any(
            (compiled.kind is None or compiled.kind == e.kind.value)
            and compiled.matches(EventView(e, fs))
            for e, fs in batch
        )
    compiled_base = [compile_rule(r) for r in base]
    correlations = CorrelationEngine([rule], base)
    fired = False
    for e, fs in sorted(batch, key=lambda b: (b[0].time, b[0].id)):
        view = EventView(e, fs)
        matched = [
            c.rule for c in compiled_base if (c.kind in (None, e.kind.value)) and c.matches(view)
        ]
        fired = bool(correlations.observe(view, matched)) or fired
    return fired


def _fires_duckdb(
    rule: Rule | Correlation,
    batch: list[tuple[Event, list[Finding]]],
    resolve: Callable[[str], Rule],
) -> bool:
    import duckdb

    from garrison.detect.rules.sql import correlation_query, rule_query
    from garrison.store.migrations import MIGRATIONS
    from garrison.store.rows import INSERT_COLUMNS, prepare_batch

    con = duckdb.connect()
    try:
        con.execute(MIGRATIONS[0].duckdb)
        con.execute(FINDINGS_DUCKDB)
        rows = prepare_batch([e for e, _ in batch]).rows
        marks = ", ".join("?" * len(INSERT_COLUMNS))
        con.executemany(f"INSERT INTO events ({', '.join(INSERT_COLUMNS)}) VALUES ({marks})", rows)
        finding_rows: list[tuple[Any, ...]] = [
            (
                SAMPLE_TENANT, f.event_id, f.detector, f.version, f.label, f.score,
                f.status.value, json.dumps(dict(f.detail)),
            )
            for _, fs in batch
            for f in fs
        ]  # fmt: skip
        if finding_rows:
            con.executemany(
                "INSERT INTO findings (tenant, event_id, detector, version, label, score, status, "
                "detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                finding_rows,
            )
        since = min(e.time for e, _ in batch)
        until = max(e.time for e, _ in batch) + timedelta(seconds=1)
        if isinstance(rule, Rule):
            query = rule_query(rule, "duckdb", tenant=SAMPLE_TENANT, since=since, until=until)
        else:
            query = correlation_query(
                rule, resolve, "duckdb", tenant=SAMPLE_TENANT, since=since, until=until
            )
        return bool(con.execute(query.sql, list(query.params)).fetchall())
    finally:
        con.close()
