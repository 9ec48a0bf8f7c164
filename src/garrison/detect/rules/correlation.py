"""Correlation rules, streaming: per-group state over time windows, bounded in memory.

Semantics (the SQL back-test in ``sql.correlation_query`` computes exactly the same):

- A correlation looks at the events its rules match (an event matched by several of them counts
  once) whose group-by fields are all present; it groups them by those fields' values.
- It is evaluated at each such event, the *trigger*, over the window of the group's events
  with ``trigger.time - timespan < time`` up to and including the trigger in (time, id) order.
- ``event_count``: the number of events in the window meets the condition.
  ``value_count``: the number of distinct non-null values of ``field`` in the window does.
  ``temporal``: the number of distinct rules with an event in the window does (by default: all
  of them). ``temporal_ordered``: the window holds events of the rules in the order listed
  (distinct events, strictly increasing in (time, id)).
- It fires every time the condition holds at a trigger; de-duplicating alerts is the alerting
  stage's job (its dedup key is the correlation and the group).

State is per process, kept in memory until the store-backed correlation state arrives (see
docs/rules.md): restarting a worker forgets open windows, and two workers each see only their
own events. It is bounded: at most ``max_groups`` groups per correlation (least recently seen
evicted first, and a group whose window has passed is dropped) and at most
``max_events_per_group`` events per window (the oldest dropped first, so a count saturates
there). Events must arrive in time order; an event older than a group's newest is ignored for
that group (``late`` counts them). This module must never raise for an event and never log
event content.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from garrison.detect.rules.document import field_spec
from garrison.detect.rules.errors import RuleError
from garrison.detect.rules.evaluate import EventView, single_value
from garrison.detect.rules.model import Correlation, Rule, RuleMatch, compare

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MAX_EVENT_IDS = 100  # ids carried on one correlation match


def time_us(t: datetime) -> int:
    """Integer microseconds since the epoch (exact, unlike float seconds)."""
    delta = t - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def group_fields(correlation: Correlation) -> list[Callable[[EventView], Any]]:
    """Accessors for the group-by fields; RuleError for a field that cannot group."""
    out = []
    for name in correlation.group_by:
        out.append(_single(correlation, name, "group-by"))
    return out


def _single(correlation: Correlation, name: str, what: str) -> Callable[[EventView], Any]:
    spec = field_spec(name)
    line = correlation.lines.get(("correlation", what), correlation.line)
    if spec is None:
        raise RuleError(
            f"{what}: unknown field {name!r}", file=correlation.file, line=line, field=what
        )
    if spec.source.value not in ("column", "attribute"):
        raise RuleError(
            f"{what}: {name!r} is not an event field (detector results cannot group or count)",
            file=correlation.file,
            line=line,
            field=what,
        )
    return single_value(spec)


@dataclass(slots=True)
class _Group:
    newest: int = -(1 << 62)
    # event_count / value_count: (time_us, event id, value) in the window, oldest first
    window: deque[tuple[int, str, Any]] = field(default_factory=deque)
    values: dict[Any, int] = field(default_factory=dict)  # value_count: value -> occurrences
    # temporal: per rule, (time_us, event id) of its latest event
    last: list[tuple[int, str] | None] = field(default_factory=list)
    # temporal_ordered: per position k, (chain start time_us, chain event ids) of the best chain
    best: list[tuple[int, tuple[str, ...]] | None] = field(default_factory=list)


class _CorrelationState:
    def __init__(
        self,
        correlation: Correlation,
        rule_keys: Sequence[str],
        *,
        max_groups: int,
        max_events: int,
    ) -> None:
        self.c = correlation
        self.rule_keys = tuple(rule_keys)  # resolved keys of the referenced rules, in order
        self.group_getters = group_fields(correlation)
        self.value_getter = (
            _single(correlation, correlation.value_field, "condition")
            if correlation.value_field
            else None
        )
        self.span = correlation.timespan_s * 1_000_000
        self.groups: OrderedDict[tuple[Any, ...], _Group] = OrderedDict()
        self.max_groups = max_groups
        self.max_events = max_events
        self.late = 0
        self.evicted = 0

    def _expire(self, now: int) -> None:
        groups = self.groups
        while groups:
            oldest = next(iter(groups.values()))
            if oldest.newest > now - self.span and len(groups) <= self.max_groups:
                break
            if oldest.newest > now - self.span:
                self.evicted += 1
            groups.popitem(last=False)

    def observe(self, view: EventView, matched: set[str]) -> RuleMatch | None:
        flags = [k in matched for k in self.rule_keys]
        if not any(flags):
            return None
        key = tuple(g(view) for g in self.group_getters)
        if any(v is None for v in key):
            return None
        event = view.event
        now = time_us(event.time)
        group = self.groups.get(key)
        if group is None:
            group = _Group()
            n = len(self.rule_keys)
            group.last = [None] * n
            group.best = [None] * n
            self.groups[key] = group
        else:
            self.groups.move_to_end(key)
        if now < group.newest:
            self.late += 1
            return None
        group.newest = now
        self._expire(now)
        kind = self.c.type
        value: float
        ids: tuple[str, ...]
        if kind in ("event_count", "value_count"):
            window = group.window
            v = self.value_getter(view) if self.value_getter is not None else None
            window.append((now, event.id, v))
            if v is not None:
                group.values[v] = group.values.get(v, 0) + 1
            while window and (window[0][0] <= now - self.span or len(window) > self.max_events):
                _, _, old = window.popleft()
                if old is not None:
                    left = group.values[old] - 1
                    if left:
                        group.values[old] = left
                    else:
                        del group.values[old]
            value = float(len(window) if kind == "event_count" else len(group.values))
            if not all(compare(op, value, limit) for op, limit in self.c.condition):
                return None
            ids = tuple(e[1] for e in list(window)[-MAX_EVENT_IDS:])
        elif kind == "temporal":
            for i, hit in enumerate(flags):
                if hit:
                    group.last[i] = (now, event.id)
            recent = [x for x in group.last if x is not None and x[0] > now - self.span]
            value = float(len(recent))
            condition = self.c.condition or (("eq", float(len(self.rule_keys))),)
            if not all(compare(op, value, limit) for op, limit in condition):
                return None
            ids = tuple(x[1] for x in sorted(recent))
        else:  # temporal_ordered
            best = group.best
            for k in range(len(flags) - 1, -1, -1):
                if not flags[k]:
                    continue
                if k == 0:
                    candidate: tuple[int, tuple[str, ...]] | None = (now, (event.id,))
                else:
                    prev = best[k - 1]
                    candidate = None if prev is None else (prev[0], (*prev[1], event.id))
                if candidate is not None and (best[k] is None or candidate[0] > best[k][0]):  # type: ignore[index]
                    best[k] = candidate
            last = best[-1]
            if last is None or last[0] <= now - self.span:
                return None
            value = float(len(self.rule_keys))
            ids = last[1]
        c = self.c
        return RuleMatch(
            rule_id=c.key,
            title=c.title,
            level=c.level,
            tags=c.tags,
            event_id=event.id,
            time=event.time,
            correlation=kind,
            group=tuple(zip(c.group_by, key, strict=True)),
            event_ids=ids,
            value=value,
        )


class CorrelationEngine:
    """Streaming state for a set of correlations over a set of detection rules."""

    def __init__(
        self,
        correlations: Sequence[Correlation],
        rules: Sequence[Rule],
        *,
        max_groups: int = 100_000,
        max_events_per_group: int = 1_000,
    ) -> None:
        by_ref: dict[str, Rule] = {}
        for r in rules:
            for ref in (r.id, r.name):
                if ref is not None:
                    by_ref[ref] = r
        self.states = []
        self._silent: set[str] = set()
        loud: set[str] = set()
        for c in correlations:
            keys = []
            for ref in c.rules:
                rule = by_ref.get(ref)
                if rule is None:
                    raise RuleError(
                        f"correlation references unknown rule {ref!r}",
                        file=c.file,
                        line=c.lines.get(("correlation", "rules"), c.line),
                        field="correlation.rules",
                    )
                keys.append(rule.key)
                (loud if c.generate else self._silent).add(rule.key)
            self.states.append(
                _CorrelationState(c, keys, max_groups=max_groups, max_events=max_events_per_group)
            )
        self._silent -= loud
        # rule key -> indexes of the correlations that reference it (in definition order)
        self._by_key: dict[str, list[int]] = {}
        for i, state in enumerate(self.states):
            for key in dict.fromkeys(state.rule_keys):
                self._by_key.setdefault(key, []).append(i)

    def __bool__(self) -> bool:
        return bool(self.states)

    def silent_rules(self) -> set[str]:
        """Keys of rules used only by correlations with ``generate: false``: not emitted."""
        return set(self._silent)

    def observe(self, view: EventView, matched: Sequence[Rule]) -> list[RuleMatch]:
        """Feed one event and the rules it matched; the correlations it completes."""
        keys = {r.key for r in matched if r.key in self._by_key}
        if not keys:
            return []
        # Only the correlations that reference a matched rule see the event, in definition order.
        touched = sorted({i for k in keys for i in self._by_key[k]})
        out = []
        for i in touched:
            hit = self.states[i].observe(view, keys)
            if hit is not None:
                out.append(hit)
        return out

    def stats(self) -> dict[str, dict[str, int]]:
        """Per correlation: open groups, evicted groups, late events ignored."""
        return {
            s.c.key: {"groups": len(s.groups), "evicted": s.evicted, "late": s.late}
            for s in self.states
        }
