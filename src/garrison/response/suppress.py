"""Suppression rules: known-benign patterns that must not alert anybody.

A suppression names a rule id, entity values (``{"principal": "svc-canary"}``), or both; an alert
matches when every named part equals the alert's. Matching happens in the response commit hook,
right after the alert is stored: a new alert that matches is closed at birth (status
``false_positive``, disposition ``suppressed by <id>``), its suppression's ``hits`` counts it, the
audit log records it, and it never joins an incident; subscribers see it with ``suppressed=True``
and must not notify. The alert itself stays stored and huntable (suppressing is not deleting).
An expired suppression (``expires_at`` in the past) matches nothing; it is kept for the record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from garrison.model.alert import Alert
from garrison.model.event import format_time
from garrison.store.rows import read_time

COLUMNS = (
    "id, tenant, rule_id, match, reason, created_by, created_at, expires_at, hits, last_hit_at"
)


@dataclass(frozen=True, slots=True)
class Suppression:
    id: str
    tenant: str
    rule_id: str | None
    match: Mapping[str, str]
    reason: str
    created_by: str
    created_at: datetime
    expires_at: datetime | None = None
    hits: int = 0
    last_hit_at: datetime | None = None

    def active(self, now: datetime) -> bool:
        return self.expires_at is None or self.expires_at > now

    def matches(self, alert: Alert) -> bool:
        if self.rule_id is not None and alert.rule_id != self.rule_id:
            return False
        return all(alert.entities.get(k) == v for k, v in self.match.items())

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "rule_id": self.rule_id,
            "match": dict(self.match),
            "reason": self.reason,
            "created_by": self.created_by,
            "created_at": format_time(self.created_at),
            "expires_at": format_time(self.expires_at) if self.expires_at else None,
            "hits": self.hits,
            "last_hit_at": format_time(self.last_hit_at) if self.last_hit_at else None,
        }


def from_row(row: Sequence[Any]) -> Suppression:
    ident, tenant, rule_id, match, reason, by, created, expires, hits, last_hit = row
    return Suppression(
        id=ident,
        tenant=tenant,
        rule_id=rule_id,
        match=orjson.loads(match),
        reason=reason,
        created_by=by,
        created_at=read_time(created),
        expires_at=read_time(expires) if expires is not None else None,
        hits=int(hits),
        last_hit_at=read_time(last_hit) if last_hit is not None else None,
    )


def first_match(suppressions: Sequence[Suppression], alert: Alert) -> Suppression | None:
    for suppression in suppressions:
        if suppression.matches(alert):
            return suppression
    return None
