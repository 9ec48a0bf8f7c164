"""The Incident as stored and shown: a value read from the ``incidents`` table.

Shared by correlation (which writes incidents), the lifecycle (which edits them) and the API.
Lists (entities, tactics, techniques, rules) are JSON text in the table; tactics are kept in
ATLAS matrix order. This module only maps rows; it never runs SQL itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from garrison.model.alert import AlertStatus, Severity
from garrison.model.event import format_time
from garrison.store.rows import read_time

COLUMNS = (
    "id, tenant, title, severity, status, assignee, disposition, entities, tactics, techniques, "
    "rules, alert_count, max_alert_severity, first_seen, last_seen, merged_into, version, "
    "revision, created_at, updated_at"
)


@dataclass(frozen=True, slots=True)
class Incident:
    id: str
    tenant: str
    title: str
    severity: Severity
    status: AlertStatus
    first_seen: datetime
    last_seen: datetime
    created_at: datetime
    updated_at: datetime
    assignee: str | None = None
    disposition: str | None = None
    entities: tuple[str, ...] = ()  # "key=value", the correlation keys its alerts shared
    tactics: tuple[str, ...] = ()
    techniques: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    alert_count: int = 0
    max_alert_severity: Severity = Severity.INFORMATIONAL
    merged_into: str | None = None
    version: int = 1
    revision: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tenant": self.tenant,
            "title": self.title,
            "severity": self.severity.value,
            "status": self.status.value,
            "assignee": self.assignee,
            "disposition": self.disposition,
            "entities": list(self.entities),
            "tactics": list(self.tactics),
            "techniques": list(self.techniques),
            "rules": list(self.rules),
            "alert_count": self.alert_count,
            "max_alert_severity": self.max_alert_severity.value,
            "first_seen": format_time(self.first_seen),
            "last_seen": format_time(self.last_seen),
            "merged_into": self.merged_into,
            "version": self.version,
            "created_at": format_time(self.created_at),
            "updated_at": format_time(self.updated_at),
        }


def dumps(values: Sequence[str]) -> str:
    return orjson.dumps(list(values)).decode()


def _list(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    loaded = orjson.loads(text)
    return tuple(str(v) for v in loaded) if isinstance(loaded, list) else ()


def from_row(row: Sequence[Any]) -> Incident:
    """Decode one row selected as ``COLUMNS``."""
    (
        ident, tenant, title, severity, status, assignee, disposition, entities, tactics,
        techniques, rules, alert_count, max_sev, first_seen, last_seen, merged_into, version,
        revision, created_at, updated_at,
    ) = row  # fmt: skip
    return Incident(
        id=ident,
        tenant=tenant,
        title=title,
        severity=Severity(severity),
        status=AlertStatus(status),
        assignee=assignee,
        disposition=disposition,
        entities=_list(entities),
        tactics=_list(tactics),
        techniques=_list(techniques),
        rules=_list(rules),
        alert_count=int(alert_count),
        max_alert_severity=Severity(max_sev),
        first_seen=read_time(first_seen),
        last_seen=read_time(last_seen),
        merged_into=merged_into,
        version=int(version),
        revision=int(revision),
        created_at=read_time(created_at),
        updated_at=read_time(updated_at),
    )
