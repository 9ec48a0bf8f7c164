"""What the response subsystem tells its subscribers (the actions of ``garrison.actions``).

A subscriber sees each change once, after the transaction that made it has committed, so it
never acts on something a rollback took back. Suppressed alerts are announced too (with
``suppressed=True``) so a subscriber can count them, but they must not notify anybody.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

ChangeKind = Literal["alert", "incident"]
ChangeType = Literal["created", "updated", "merged", "status"]


@dataclass(frozen=True, slots=True)
class ResponseChange:
    """One alert or incident that was created, grew, merged or changed status.

    ``object`` is the current state as the API shows it: for an alert ``Alert.to_dict()`` (plus
    ``incident_id`` when it joined one); for an incident the dict ``GET /api/v1/incidents/{id}``
    returns without its timeline (id, title, severity, status, assignee, disposition, entities,
    tactics, techniques, alert_count, first_seen, last_seen, version, created_at, updated_at).
    ``merged_from`` lists the incident ids folded into this one when ``change == "merged"``.
    ``actor`` is the API key id for a person's change (PATCH), None for correlation.
    """

    kind: ChangeKind
    tenant: str
    id: str
    change: ChangeType
    object: dict[str, Any]
    suppressed: bool = False
    merged_from: tuple[str, ...] = ()
    actor: str | None = None
    previous_status: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


Subscriber = Callable[[ResponseChange], Awaitable[None]]
