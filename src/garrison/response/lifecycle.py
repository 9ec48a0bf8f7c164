"""The alert and incident lifecycle: status, assignee, disposition, comments, suppressions.

Every edit is optimistic: the caller names the ``version`` it read (the ETag) and the update
only applies ``WHERE version = ?``; a stale version is a ConflictError (409) naming the current
one, so two analysts never silently overwrite each other. Each change writes its audit row in
the same transaction. Correlation changes incidents too, but it bumps ``revision``, not
``version``, so an analyst's ETag only goes stale when a person (or a merge) changed the incident.

This module never checks scopes (the web layer does) and never logs or audits content.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import orjson

from garrison.errors import ConflictError, NotFoundError, ValidationError
from garrison.model.alert import AlertStatus
from garrison.model.event import format_time
from garrison.model.ids import uuid7
from garrison.response import audit
from garrison.response.correlate import ALERT_SELECT, StoredAlert
from garrison.response.events import ResponseChange
from garrison.response.incidents import COLUMNS as INCIDENT_COLUMNS
from garrison.response.incidents import Incident
from garrison.response.incidents import from_row as incident_from_row
from garrison.response.suppress import COLUMNS as SUPPRESSION_COLUMNS
from garrison.response.suppress import Suppression
from garrison.response.suppress import from_row as suppression_from_row
from garrison.store.base import Stmt, Store, to_us
from garrison.store.rows import alert_from_row, read_time

EDITABLE = ("status", "assignee", "disposition")
MAX_COMMENT = 10_000
TARGETS = ("alert", "incident")


# --- reading ----------------------------------------------------------------------------------


async def read_alert(store: Store, tenant: str, alert_id: str) -> tuple[StoredAlert, str | None]:
    """The alert with its disposition, and the incident it is in; NotFoundError if none."""
    alerts, members = await store.transact(
        [
            Stmt(
                f"SELECT {ALERT_SELECT}, disposition FROM alerts WHERE tenant = ? AND id = ?",
                (tenant, alert_id),
                fetch=True,
            ),
            Stmt(
                "SELECT incident_id FROM incident_alerts WHERE tenant = ? AND alert_id = ?",
                (tenant, alert_id),
                fetch=True,
            ),
        ]
    )
    if not alerts:
        raise NotFoundError("no such alert", details={"alert_id": alert_id})
    stored = StoredAlert(alert_from_row(alerts[0][:-1]), alerts[0][-1])
    return stored, members[0][0] if members else None


async def alert_annotations(
    store: Store, tenant: str, alert_ids: list[str]
) -> dict[str, tuple[str | None, str | None]]:
    """(disposition, incident id) of each of ``alert_ids`` (for alert listings)."""
    if not alert_ids:
        return {}
    marks = ", ".join("?" * len(alert_ids))
    dispositions, members = await store.transact(
        [
            Stmt(
                f"SELECT id, disposition FROM alerts WHERE tenant = ? AND id IN ({marks})",
                (tenant, *alert_ids),
                fetch=True,
            ),
            Stmt(
                "SELECT alert_id, incident_id FROM incident_alerts "
                f"WHERE tenant = ? AND alert_id IN ({marks})",
                (tenant, *alert_ids),
                fetch=True,
            ),
        ]
    )
    incident_of = dict(members)
    return {a: (d, incident_of.get(a)) for a, d in dispositions}


async def read_incident(store: Store, tenant: str, incident_id: str) -> Incident:
    (found,) = await store.transact(
        [
            Stmt(
                f"SELECT {INCIDENT_COLUMNS} FROM incidents WHERE tenant = ? AND id = ?",
                (tenant, incident_id),
                fetch=True,
            )
        ]
    )
    if not found:
        raise NotFoundError("no such incident", details={"incident_id": incident_id})
    return incident_from_row(found[0])


# --- editing ----------------------------------------------------------------------------------


def _check_version(kind: str, ident: str, current: int, expected: int) -> None:
    if current != expected:
        raise ConflictError(
            f"the {kind} changed since you read it (version {current}, not {expected}); "
            "read it again and re-apply your change",
            details={f"{kind}_id": ident, "current_version": current},
        )


async def patch_alert(
    store: Store,
    tenant: str,
    alert_id: str,
    *,
    expected_version: int,
    fields: Mapping[str, Any],
    actor: str,
) -> tuple[dict[str, Any], ResponseChange | None]:
    """Apply ``fields`` (a subset of EDITABLE) to an alert; its new dict and the change."""
    stored, incident_id = await read_alert(store, tenant, alert_id)
    alert = stored.alert
    _check_version("alert", alert_id, alert.version, expected_version)
    before = {
        "status": alert.status.value,
        "assignee": alert.assignee,
        "disposition": stored.disposition,
    }
    after = {**before, **{k: _plain(v) for k, v in fields.items()}}
    diff = audit.changes(before, after)
    if not diff["after"]:
        return stored.to_dict(incident_id), None
    now = datetime.now(UTC)
    await store.transact(
        [
            Stmt(
                "UPDATE alerts SET status = ?, assignee = ?, disposition = ?, "
                "version = version + 1, updated_at = ? WHERE tenant = ? AND id = ? AND version = ?",
                (
                    after["status"],
                    after["assignee"],
                    after["disposition"],
                    now,
                    tenant,
                    alert_id,
                    expected_version,
                ),
                expect=1,
                conflict="the alert changed since you read it; read it again",
            ),
            audit.entry(tenant, actor, "alert.updated", "alert", alert_id, diff, now=now),
        ]
    )
    updated = StoredAlert(
        replace(
            alert,
            status=AlertStatus(after["status"]),
            assignee=after["assignee"],
            version=alert.version + 1,
            updated_at=now,
        ),
        after["disposition"],
    )
    data = updated.to_dict(incident_id)
    change = ResponseChange(
        kind="alert",
        tenant=tenant,
        id=alert_id,
        change="status" if "status" in diff["after"] else "updated",
        object=data,
        actor=actor,
        previous_status=before["status"] if "status" in diff["after"] else None,
    )
    return data, change


async def patch_incident(
    store: Store,
    tenant: str,
    incident_id: str,
    *,
    expected_version: int,
    fields: Mapping[str, Any],
    actor: str,
) -> tuple[Incident, ResponseChange | None]:
    incident = await read_incident(store, tenant, incident_id)
    if incident.merged_into is not None:
        raise ConflictError(
            f"the incident was merged into {incident.merged_into}; edit that one",
            details={"incident_id": incident_id, "merged_into": incident.merged_into},
        )
    _check_version("incident", incident_id, incident.version, expected_version)
    before = {
        "status": incident.status.value,
        "assignee": incident.assignee,
        "disposition": incident.disposition,
    }
    after = {**before, **{k: _plain(v) for k, v in fields.items()}}
    diff = audit.changes(before, after)
    if not diff["after"]:
        return incident, None
    now = datetime.now(UTC)
    await store.transact(
        [
            Stmt(
                "UPDATE incidents SET status = ?, assignee = ?, disposition = ?, "
                "version = version + 1, updated_at = ? "
                "WHERE tenant = ? AND id = ? AND version = ? AND merged_into IS NULL",
                (
                    after["status"],
                    after["assignee"],
                    after["disposition"],
                    now,
                    tenant,
                    incident_id,
                    expected_version,
                ),
                expect=1,
                conflict="the incident changed since you read it; read it again",
            ),
            audit.entry(tenant, actor, "incident.updated", "incident", incident_id, diff, now=now),
        ]
    )
    updated = replace(
        incident,
        status=AlertStatus(after["status"]),
        assignee=after["assignee"],
        disposition=after["disposition"],
        version=incident.version + 1,
        updated_at=now,
    )
    change = ResponseChange(
        kind="incident",
        tenant=tenant,
        id=incident_id,
        change="status" if "status" in diff["after"] else "updated",
        object=updated.to_dict(),
        actor=actor,
        previous_status=before["status"] if "status" in diff["after"] else None,
    )
    return updated, change


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, AlertStatus) else value


# --- comments ---------------------------------------------------------------------------------


async def _require_target(store: Store, tenant: str, target_type: str, target_id: str) -> None:
    if target_type == "alert":
        await read_alert(store, tenant, target_id)
    else:
        await read_incident(store, tenant, target_id)


async def add_comment(
    store: Store, tenant: str, target_type: str, target_id: str, *, author: str, body: str
) -> dict[str, Any]:
    await _require_target(store, tenant, target_type, target_id)
    now = datetime.now(UTC)
    comment_id = uuid7(to_us(now) // 1000)
    await store.transact(
        [
            Stmt(
                "INSERT INTO comments (id, tenant, target_type, target_id, author, body, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (comment_id, tenant, target_type, target_id, author, body, now),
            ),
            audit.entry(
                tenant,
                author,
                "comment.added",
                target_type,
                target_id,
                {"after": {"comment_id": comment_id, "length": len(body)}},
                now=now,
            ),
        ]
    )
    return {
        "id": comment_id,
        "target_type": target_type,
        "target_id": target_id,
        "author": author,
        "body": body,
        "created_at": format_time(now),
    }


async def list_comments(
    store: Store, tenant: str, target_type: str, target_id: str
) -> list[dict[str, Any]]:
    await _require_target(store, tenant, target_type, target_id)
    (found,) = await store.transact(
        [
            Stmt(
                "SELECT id, author, body, created_at FROM comments "
                "WHERE tenant = ? AND target_type = ? AND target_id = ? "
                "ORDER BY created_at, id LIMIT 1000",
                (tenant, target_type, target_id),
                fetch=True,
            )
        ]
    )
    return [
        {
            "id": ident,
            "target_type": target_type,
            "target_id": target_id,
            "author": author,
            "body": body,
            "created_at": format_time(read_time(created)),
        }
        for ident, author, body, created in found
    ]


# --- suppressions -----------------------------------------------------------------------------


async def create_suppression(
    store: Store,
    tenant: str,
    *,
    rule_id: str | None,
    match: Mapping[str, str],
    reason: str,
    expires_at: datetime | None,
    actor: str,
) -> Suppression:
    if rule_id is None and not match:
        raise ValidationError(
            "match: a suppression needs a rule_id, a match, or both (it would silence everything)",
            details={"field": "match"},
        )
    now = datetime.now(UTC)
    if expires_at is not None and expires_at <= now:
        raise ValidationError("expires_at: must be in the future", details={"field": "expires_at"})
    suppression = Suppression(
        id=uuid7(to_us(now) // 1000),
        tenant=tenant,
        rule_id=rule_id,
        match=dict(match),
        reason=reason,
        created_by=actor,
        created_at=now,
        expires_at=expires_at,
    )
    await store.transact(
        [
            Stmt(
                f"INSERT INTO suppressions ({SUPPRESSION_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    suppression.id,
                    tenant,
                    rule_id,
                    orjson.dumps(dict(match)).decode(),
                    reason,
                    actor,
                    now,
                    expires_at,
                    0,
                    None,
                ),
            ),
            audit.entry(
                tenant,
                actor,
                "suppression.created",
                "suppression",
                suppression.id,
                {
                    "after": {
                        "rule_id": rule_id,
                        "match_keys": sorted(match),
                        "expires_at": expires_at,
                    }
                },
                now=now,
            ),
        ]
    )
    return suppression


async def list_suppressions(store: Store, tenant: str) -> list[Suppression]:
    (found,) = await store.transact(
        [
            Stmt(
                f"SELECT {SUPPRESSION_COLUMNS} FROM suppressions WHERE tenant = ? "
                "ORDER BY created_at, id LIMIT 10000",
                (tenant,),
                fetch=True,
            )
        ]
    )
    return [suppression_from_row(r) for r in found]


async def delete_suppression(store: Store, tenant: str, suppression_id: str, *, actor: str) -> None:
    now = datetime.now(UTC)
    try:
        await store.transact(
            [
                Stmt(
                    "DELETE FROM suppressions WHERE tenant = ? AND id = ?",
                    (tenant, suppression_id),
                    expect=1,
                ),
                audit.entry(
                    tenant,
                    actor,
                    "suppression.deleted",
                    "suppression",
                    suppression_id,
                    {},
                    now=now,
                ),
            ]
        )
    except ConflictError:
        raise NotFoundError(
            "no such suppression", details={"suppression_id": suppression_id}
        ) from None
