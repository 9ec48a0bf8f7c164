"""The Alert: a rule fired. Alerts carry what an analyst needs to triage without re-querying:
the rule, severity, the events and evidence that fired it, the entities involved, ATLAS/OWASP
tags, and a ``version`` for optimistic concurrency when people edit them.

One alert stands for every match of a rule with the same ``dedup_key`` inside one suppression
window: later matches raise ``event_count`` and ``last_seen`` instead of opening new alerts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from garrison.model.event import format_time


class Severity(StrEnum):
    """Sigma's levels, in increasing order."""

    INFORMATIONAL = "informational"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


class AlertStatus(StrEnum):
    NEW = "new"
    TRIAGED = "triaged"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    FALSE_POSITIVE = "false_positive"


@dataclass(frozen=True, slots=True)
class Alert:
    id: str  # UUIDv7 from (tenant, dedup_key, window): re-delivery updates, never duplicates
    tenant: str
    rule_id: str
    rule_version: str | None
    title: str
    severity: Severity
    dedup_key: str
    first_seen: datetime
    last_seen: datetime
    event_count: int
    event_ids: tuple[str, ...] = ()  # as written: this batch's events; as read: up to 1,000
    status: AlertStatus = AlertStatus.NEW
    entities: Mapping[str, str] = field(default_factory=dict)  # app, session_id, principal, …
    tags: tuple[str, ...] = ()
    evidence: Mapping[str, Any] = field(default_factory=dict)
    assignee: str | None = None
    version: int = 1
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tenant": self.tenant,
            "rule_id": self.rule_id,
            "rule_version": self.rule_version,
            "title": self.title,
            "severity": self.severity.value,
            "status": self.status.value,
            "dedup_key": self.dedup_key,
            "first_seen": format_time(self.first_seen),
            "last_seen": format_time(self.last_seen),
            "event_count": self.event_count,
            "event_ids": list(self.event_ids),
            "entities": dict(self.entities),
            "tags": list(self.tags),
            "evidence": dict(self.evidence),
            "assignee": self.assignee,
            "version": self.version,
            "created_at": format_time(self.created_at) if self.created_at else None,
            "updated_at": format_time(self.updated_at) if self.updated_at else None,
        }
