"""Turning rule matches into alerts: severity, entities, evidence, and de-duplication.

Matches of one rule with the same dedup key (by default the session, else the trace, else the
principal) inside one suppression window become ONE alert: its id is derived from
(tenant, rule, dedup key, window), so later matches — and re-deliveries — update it (the store
merges the deltas) instead of flooding the queue. A rule can choose its dedup fields and window
with a top-level ``alert:`` mapping, e.g. ``alert: {dedup: [principal], window: 24h}``.

This module builds values; it never writes, and never copies more content into evidence than a
short snippet a detector already chose.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from garrison.detect.rules import Correlation, Rule, RuleMatch
from garrison.model import Event, derived_uuid7
from garrison.model.alert import Alert, Severity
from garrison.model.finding import Finding, FindingStatus
from garrison.store.base import to_us

DEFAULT_DEDUP = ("session_id", "trace_id", "principal")
ENTITY_FIELDS = ("app", "session_id", "trace_id", "principal", "agent")
_DURATION = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_EVIDENCE_FINDINGS = 5


def parse_window(value: Any, default_s: int) -> int:
    """Seconds from ``90``, ``"15m"``, ``"24h"``, ``"7d"``; the default when absent."""
    if value is None:
        return default_s
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    match = _DURATION.match(str(value))
    if match is None or int(match.group(1)) <= 0:
        raise ValueError(f"alert window {value!r}: use seconds or a number with s, m, h or d")
    return int(match.group(1)) * _UNITS[match.group(2)]


def severity_of(level: str | None) -> Severity:
    try:
        return Severity(level or "medium")
    except ValueError:
        return Severity.MEDIUM


def entities_of(event: Event) -> dict[str, str]:
    out = {name: value for name in ENTITY_FIELDS if (value := getattr(event, name))}
    if event.tool is not None and event.tool.name:
        out["tool"] = event.tool.name
    return out


def _finding_evidence(findings: Sequence[Finding]) -> list[dict[str, Any]]:
    ranked = sorted(
        (f for f in findings if f.status is FindingStatus.OK and f.score > 0),
        key=lambda f: -f.score,
    )
    out = []
    for f in ranked[:MAX_EVIDENCE_FINDINGS]:
        item: dict[str, Any] = {
            "detector": f.detector,
            "label": f.label,
            "score": round(f.score, 4),
            "evidence": [e.to_dict() for e in f.evidence[:2]],
        }
        keys = _DETAIL_IN_ALERTS.get(f.detector)
        if keys:
            item["detail"] = {k: f.detail[k] for k in keys if f.detail.get(k) is not None}
        out.append(item)
    return out


# Finding details an analyst needs on the alert itself, per detector: which threat-intel
# indicator fired and where it came from. Never content (an indicator's value is intel, not the
# conversation); other detectors' details stay on their findings.
_DETAIL_IN_ALERTS: dict[str, tuple[str, ...]] = {
    "indicators": ("indicator", "stix_id", "type", "value", "name", "source", "confidence"),
}


class AlertBuilder:
    def __init__(self, rules: Sequence[Rule | Correlation], *, window_s: int) -> None:
        self.window_s = window_s
        self._dedup: dict[str, tuple[str, ...]] = {}
        self._window: dict[str, int] = {}
        self._version: dict[str, str | None] = {}
        for rule in rules:
            options = rule.custom.get("alert") if isinstance(rule.custom, Mapping) else None
            options = options if isinstance(options, Mapping) else {}
            dedup = options.get("dedup")
            self._dedup[rule.key] = (
                tuple(str(d) for d in dedup) if isinstance(dedup, list) and dedup else DEFAULT_DEDUP
            )
            self._window[rule.key] = parse_window(options.get("window"), window_s)
            self._version[rule.key] = (
                str(rule.custom.get("version")) if rule.custom.get("version") else rule.modified
            )

    def _dedup_key(self, match: RuleMatch, event: Event) -> str:
        if match.group:
            parts = [f"{k}={v}" for k, v in match.group]
        else:
            parts = []
            for name in self._dedup.get(match.rule_id, DEFAULT_DEDUP):
                value = getattr(event, name, None)
                if value:
                    parts = [f"{name}={value}"]
                    break
            if not parts:
                parts = [f"event={event.id}"]
        return f"{match.rule_id}|" + "|".join(parts)

    def build(
        self,
        match: RuleMatch,
        event: Event,
        findings: Sequence[Finding],
        *,
        now: datetime | None = None,
    ) -> Alert:
        """One alert delta for a match on ``event`` (the triggering event for correlations)."""
        window = self._window.get(match.rule_id, self.window_s)
        key = self._dedup_key(match, event)
        bucket = to_us(match.time) // (window * 1_000_000)
        start_ms = bucket * window * 1000
        alert_id = derived_uuid7(start_ms, event.tenant, key, str(window))
        event_ids = match.event_ids or (match.event_id,)
        evidence: dict[str, Any] = {"trigger_event_id": match.event_id}
        found = _finding_evidence(findings)
        if found:
            evidence["findings"] = found
        if match.correlation:
            evidence["correlation"] = {
                "type": match.correlation,
                "group": dict(match.group),
                "value": match.value,
            }
        stamp = now or datetime.now(UTC)
        return Alert(
            id=alert_id,
            tenant=event.tenant,
            rule_id=match.rule_id,
            rule_version=self._version.get(match.rule_id),
            title=match.title,
            severity=severity_of(match.level),
            dedup_key=key,
            first_seen=match.time,
            last_seen=match.time,
            event_count=len(event_ids),
            event_ids=tuple(event_ids),
            entities=entities_of(event),
            tags=match.tags,
            evidence=evidence,
            created_at=stamp,
            updated_at=stamp,
        )
