"""Back-testing: what a rule (or correlation) would have fired over a tenant's stored history.

The rule is compiled once to the store's SQL dialect (the same semantics as the streaming
engine, pinned by the equivalence tests) and run read-only with every value bound. This module
never writes to the store.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from garrison.detect.rules import Correlation, Rule, load_text
from garrison.detect.rules.loader import RuleSet
from garrison.detect.rules.sql import Dialect, correlation_query, rule_query
from garrison.errors import ValidationError
from garrison.model.event import format_time
from garrison.store.base import Store

MAX_IDS = 10_000


def _dialect(store: Store) -> Dialect:
    return "postgres" if store.name == "postgresql" else "duckdb"


def pick(items: list[Rule | Correlation], ref: str | None) -> Rule | Correlation:
    if ref is None:
        if len(items) != 1:
            raise ValidationError(
                f"the rule text holds {len(items)} rules; name the one to back-test",
                details={"field": "ref"},
            )
        return items[0]
    for item in items:
        if item.key == ref:
            return item
    raise ValidationError(f"no rule {ref!r} in the rule text", details={"field": "ref"})


async def backtest(
    store: Store,
    tenant: str,
    rule_text: str,
    ref: str | None,
    since: datetime,
    until: datetime,
) -> dict[str, Any]:
    items = list(load_text(rule_text, file="<backtest>"))
    rule = pick(items, ref)
    dialect = _dialect(store)
    if isinstance(rule, Correlation):
        pack = RuleSet.of(items)
        query = correlation_query(rule, pack.rule, dialect, tenant=tenant, since=since, until=until)
    else:
        query = rule_query(rule, dialect, tenant=tenant, since=since, until=until)
    found = await store.select(query.sql, query.params, limit=MAX_IDS + 1)
    ids = [str(row[0]) for row in found[:MAX_IDS]]
    sessions: set[str] = set()
    if ids:
        for chunk_start in range(0, len(ids), 1000):
            events = await store.events_by_id(tenant, ids[chunk_start : chunk_start + 1000])
            sessions.update(e.session_id for e in events if e.session_id)
    return {
        "rule": rule.key,
        "title": rule.title,
        "since": format_time(since),
        "until": format_time(until),
        "matches": len(ids),
        "truncated": len(found) > MAX_IDS,
        "sessions": len(sessions),
        "event_ids": ids,
    }
