"""Correlation rules: window edges, each type's meaning, group-by, generate, bounded state, and
samples run both streaming and in DuckDB."""

from __future__ import annotations

from collections.abc import Sequence

from garrison.detect.rules.correlation import CorrelationEngine
from garrison.detect.rules.evaluate import RuleEngine
from garrison.detect.rules.loader import RuleSet, load_text
from garrison.detect.rules.model import Correlation, RuleMatch
from garrison.detect.rules.samples import run_samples
from garrison.model import Event
from tests.detect.rules.helpers import event

BASE_RULES = """
title: injection
id: inj
level: low
logsource: {product: garrison, category: prompt}
detection: {sel: {content|contains: ignore}, condition: sel}
---
title: tool
id: tool
level: low
logsource: {product: garrison, category: tool_call}
detection: {sel: {tool.name|exists: true}, condition: sel}
---
title: exfil
id: exfil
level: low
logsource: {product: garrison, category: completion}
detection: {sel: {content|contains: secret}, condition: sel}
"""


def engine(correlation: str, **limits: int) -> RuleEngine:
    return RuleEngine(load_text(BASE_RULES + "---\n" + correlation), **limits)


def fired(e: RuleEngine, events: Sequence[Event]) -> list[RuleMatch]:
    out = []
    for ev in events:
        out.extend(m for m in e.evaluate(ev) if m.correlation is not None)
    return out


def inj(at: int, session: str | None = "s1", **kw: object) -> Event:
    return event("prompt", content="ignore it", session_id=session, at=at, **kw)  # type: ignore[arg-type]


def tool(at: int, name: str = "shell", session: str | None = "s1", **kw: object) -> Event:
    return event("tool_call", tool={"name": name}, session_id=session, at=at, **kw)  # type: ignore[arg-type]


def exfil(at: int, session: str | None = "s1") -> Event:
    return event("completion", content="the secret", session_id=session, at=at)


EVENT_COUNT = """
title: burst
id: burst
level: high
correlation: {type: event_count, rules: [inj], group-by: [session_id], timespan: 60s,
              condition: {gte: 3}}
"""


def test_event_count_window_excludes_exactly_timespan_ago() -> None:
    e = engine(EVENT_COUNT)
    assert fired(e, [inj(0), inj(30), inj(60)]) == []  # the first is exactly 60 s old: out
    e = engine(EVENT_COUNT)
    hits = fired(e, [inj(0), inj(30), inj(59), inj(91)])
    assert [h.value for h in hits] == [3.0]
    (hit,) = hits
    assert hit.rule_id == "burst" and hit.correlation == "event_count"
    assert hit.group == (("session_id", "s1"),) and len(hit.event_ids) == 3


def test_groups_are_separate_and_absent_group_values_are_ignored() -> None:
    e = engine(EVENT_COUNT)
    events = [inj(0, "a"), inj(1, "b"), inj(2, "a"), inj(3, None), inj(4, None), inj(5, "b")]
    assert fired(e, events) == []
    assert [h.group for h in fired(e, [inj(6, "a")])] == [(("session_id", "a"),)]


def test_generate_false_silences_the_base_rule() -> None:
    e = engine(EVENT_COUNT)
    assert [m.rule_id for m in e.evaluate(inj(0))] == []  # inj only feeds the correlation
    assert [m.rule_id for m in e.evaluate(tool(1))] == ["tool"]
    loud = engine(
        EVENT_COUNT.replace("condition: {gte: 3}}", "condition: {gte: 3}, generate: true}")
    )
    assert [m.rule_id for m in loud.evaluate(inj(0))] == ["inj"]


def test_value_count_counts_distinct_values() -> None:
    e = engine(
        """
title: tools
id: tools
level: high
correlation: {type: value_count, rules: [tool], group-by: [principal], timespan: 10m,
              condition: {gte: 3, field: tool.name}}
"""
    )
    events = [
        tool(0, "a", principal="p"),
        tool(1, "a", principal="p"),
        tool(2, "b", principal="p"),
        tool(3, "b", principal="q"),
        tool(4, "c", principal="q"),
        tool(5, "c", principal="p"),
    ]
    hits = fired(e, events)
    assert [(h.group, h.value) for h in hits] == [((("principal", "p"),), 3.0)]


def test_temporal_needs_every_rule_in_the_window() -> None:
    text = """
title: both
id: both
level: high
correlation: {type: temporal, rules: [inj, tool], group-by: [session_id], timespan: 5m}
"""
    assert [h.value for h in fired(engine(text), [tool(0), inj(10)])] == [2.0]
    assert fired(engine(text), [tool(0), inj(301)]) == []
    assert fired(engine(text), [inj(0), inj(10)]) == []


def test_temporal_ordered_needs_the_order() -> None:
    text = """
title: chain
id: chain
level: critical
correlation: {type: temporal_ordered, rules: [inj, tool, exfil], group-by: [session_id],
              timespan: 10m}
"""
    hits = fired(engine(text), [inj(0), tool(10), exfil(20)])
    assert len(hits) == 1 and len(hits[0].event_ids) == 3
    assert fired(engine(text), [tool(0), inj(10), exfil(20)]) == []
    assert fired(engine(text), [inj(0), tool(10), exfil(601)]) == []
    # A later injection restarts the chain inside the window.
    assert len(fired(engine(text), [inj(0), inj(500), tool(550), exfil(700)])) == 1


def test_state_is_bounded() -> None:
    e = engine(EVENT_COUNT, max_groups=2, max_events_per_group=2)
    events = [inj(i, f"s{i % 3}") for i in range(9)]
    assert fired(e, events) == []  # 3 groups round-robin, only 2 kept: counts never reach 3
    stats = e.correlations.stats()["burst"]
    assert stats["groups"] <= 2 and stats["evicted"] > 0
    e = engine(EVENT_COUNT, max_events_per_group=2)
    assert fired(e, [inj(0), inj(1), inj(2)]) == []  # the window saturates at 2
    e = engine(EVENT_COUNT)
    fired(e, [inj(10), inj(5)])
    assert e.correlations.stats()["burst"]["late"] == 1


def test_expired_groups_are_dropped() -> None:
    e = engine(EVENT_COUNT)
    fired(e, [inj(0, "a"), inj(1, "b"), inj(500, "c")])
    assert e.correlations.stats()["burst"]["groups"] == 1


SAMPLED = """
title: chain with samples
id: chain
level: critical
correlation: {type: temporal_ordered, rules: [inj, tool], group-by: [session_id], timespan: 5m}
samples:
  match:
    - - {kind: prompt, content: please ignore that, session_id: a}
      - {kind: tool_call, tool: {name: shell}, session_id: a}
  no_match:
    - - {kind: tool_call, tool: {name: shell}, session_id: a}
      - {kind: prompt, content: please ignore that, session_id: a}
    - - {kind: prompt, content: please ignore that, session_id: a,
         time: "2026-01-01T00:00:00Z"}
      - {kind: tool_call, tool: {name: shell}, session_id: a, time: "2026-01-01T00:06:00Z"}
"""


def test_correlation_samples_run_streaming_and_in_duckdb() -> None:
    pack = RuleSet.of(load_text(BASE_RULES + "---\n" + SAMPLED, file="c.yml"))
    (corr,) = pack.correlations
    assert isinstance(corr, Correlation)
    assert run_samples(corr, rules=pack.rule) == []
    broken = RuleSet.of(
        load_text(
            BASE_RULES
            + "---\n"
            + SAMPLED.replace("match:\n", "no_match:\n", 1).replace(
                "  no_match:\n    - - {kind: tool_call", "  match:\n    - - {kind: tool_call", 1
            )
        )
    )
    failures = run_samples(broken.correlations[0], rules=broken.rule)
    assert {f.engine for f in failures} == {"stream", "duckdb"}
    assert len(failures) == 6  # 3 sequences on the wrong side, each in both engines


def test_correlation_engine_rejects_unknown_rules() -> None:
    import pytest

    from garrison.detect.rules.errors import RuleError

    (c,) = load_text(EVENT_COUNT)
    assert isinstance(c, Correlation)
    with pytest.raises(RuleError, match="unknown rule 'inj'"):
        CorrelationEngine([c], [])
