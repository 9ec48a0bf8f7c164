"""Shared helpers for the rule tests: inline rules, events, and a one-event DuckDB check."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb

from garrison.detect.rules.evaluate import matches
from garrison.detect.rules.loader import load_text
from garrison.detect.rules.model import Rule
from garrison.detect.rules.samples import FINDINGS_DUCKDB
from garrison.detect.rules.sql import rule_query
from garrison.model import Event, EventKind, Source, ToolCall, Usage
from garrison.model.finding import Finding, FindingStatus
from garrison.model.ids import uuid7
from garrison.store.migrations import MIGRATIONS
from garrison.store.rows import INSERT_COLUMNS, prepare_batch

T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def rule(detection: str, *, category: str = "ai_event", service: str | None = None) -> Rule:
    """A rule from an inline ``detection`` block (YAML, indented or not)."""
    body = textwrap.indent(textwrap.dedent(detection).strip(), "  ")
    service_line = f", service: {service}" if service else ""
    text = (
        "title: test\nid: 5b2c3a4e-0000-4000-8000-000000000001\nlevel: low\n"
        f"logsource: {{product: garrison, category: {category}{service_line}}}\n"
        f"detection:\n{body}\n"
    )
    (loaded,) = load_text(text, file="inline.yml")
    assert isinstance(loaded, Rule)
    return loaded


def event(
    kind: str = "prompt",
    *,
    tool: dict[str, Any] | None = None,
    usage: dict[str, Any] | None = None,
    at: int = 0,
    **fields: Any,
) -> Event:
    time = T0 + timedelta(seconds=at)
    return Event(
        id=uuid7(int(time.timestamp() * 1000)),
        time=time,
        tenant=fields.pop("tenant", "t1"),
        app=fields.pop("app", "app"),
        kind=EventKind(kind),
        source=Source.API,
        tool=ToolCall(**tool) if tool is not None else None,
        usage=Usage(**usage) if usage is not None else None,
        **fields,
    )


def finding(
    e: Event,
    detector: str,
    label: str = "x",
    score: float = 1.0,
    status: str = "ok",
    threshold: Any = None,
) -> Finding:
    return Finding(
        event_id=e.id,
        detector=detector,
        version="1",
        label=label,
        score=score,
        status=FindingStatus(status),
        detail={} if threshold is None else {"threshold": threshold},
    )


def duckdb_matches(r: Rule, e: Event, findings: Sequence[Finding] = ()) -> bool:
    con = duckdb.connect()
    try:
        con.execute(MIGRATIONS[0].duckdb)
        con.execute(FINDINGS_DUCKDB)
        (row,) = prepare_batch([e]).rows
        con.execute(
            f"INSERT INTO events ({', '.join(INSERT_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(INSERT_COLUMNS))})",
            list(row),
        )
        for f in findings:
            con.execute(
                "INSERT INTO findings (tenant, event_id, detector, label, score, status, detail) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    e.tenant, f.event_id, f.detector, f.label, f.score, f.status.value,
                    json.dumps(dict(f.detail)),
                ],
            )  # fmt: skip
        q = rule_query(
            r, "duckdb", tenant=e.tenant, since=e.time, until=e.time + timedelta(seconds=1)
        )
        return bool(con.execute(q.sql, list(q.params)).fetchall())
    finally:
        con.close()


def both(r: Rule, e: Event, findings: Sequence[Finding] = ()) -> bool:
    """Whether ``r`` matches ``e``, asserting that streaming and DuckDB agree."""
    streamed = matches(r, e, findings)
    assert duckdb_matches(r, e, findings) == streamed, "streaming and DuckDB disagree"
    return streamed
