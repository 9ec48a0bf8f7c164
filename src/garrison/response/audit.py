"""The audit log: who changed what in the response workflow, and when.

Every change (a person's PATCH, a comment, a suppression, correlation creating or merging an
incident, a suppression closing an alert) adds one row in the same transaction as the change, so
the log can never miss or invent one. ``actor`` is the API key id (or ``correlation`` /
``suppression:<id>`` for the machine); ``detail`` holds the before/after of the changed fields.
It must never hold content: a comment is recorded by id and length, never its text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from garrison.model.event import format_time
from garrison.model.ids import uuid7
from garrison.store.base import Cursor, Stmt, Store, to_us
from garrison.store.rows import from_us, read_time

CORRELATION = "correlation"


def row(
    tenant: str,
    actor: str,
    action: str,
    target_type: str,
    target_id: str,
    detail: dict[str, Any],
    *,
    now: datetime | None = None,
) -> tuple[Any, ...]:
    """One audit row's values, for ``insert``."""
    stamp = now or datetime.now(UTC)
    return (
        uuid7(to_us(stamp) // 1000),
        tenant,
        stamp,
        actor,
        action,
        target_type,
        target_id,
        orjson.dumps(detail, default=str).decode(),
    )


def insert(rows: list[tuple[Any, ...]]) -> list[Stmt]:
    """The statement adding ``rows`` (each from ``row``), as array parameters; put it in the
    change's transaction. Empty when there are none."""
    if not rows:
        return []
    types = ("VARCHAR", "VARCHAR", "TIMESTAMPTZ", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR")
    select = ", ".join(f"unnest(CAST(? AS {t}[]))" for t in (*types, "VARCHAR"))
    return [
        Stmt(
            "INSERT INTO audit_log "
            f"(id, tenant, time, actor, action, target_type, target_id, detail) SELECT {select}",
            [list(column) for column in zip(*rows, strict=True)],
            expect=len(rows),
        )
    ]


def entry(
    tenant: str,
    actor: str,
    action: str,
    target_type: str,
    target_id: str,
    detail: dict[str, Any],
    *,
    now: datetime | None = None,
) -> Stmt:
    """The statement adding one audit row; put it in the transaction of the change itself."""
    return insert([row(tenant, actor, action, target_type, target_id, detail, now=now)])[0]


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """``{"before": {...}, "after": {...}}`` of the fields that differ."""
    keys = [k for k in after if before.get(k) != after[k]]
    return {"before": {k: before.get(k) for k in keys}, "after": {k: after[k] for k in keys}}


@dataclass(frozen=True, slots=True)
class AuditPage:
    entries: list[dict[str, Any]]
    next_cursor: str | None


async def query(
    store: Store,
    tenant: str,
    *,
    since: datetime | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
    actor: str | None = None,
    limit: int = 100,
    cursor: Cursor | None = None,
) -> AuditPage:
    """A page of the tenant's audit log, newest first (keyset on time, id)."""
    where = ["tenant = ?"]
    params: list[Any] = [tenant]
    if since is not None:
        where.append("time >= ?")
        params.append(since)
    if target_type is not None:
        where.append("target_type = ?")
        params.append(target_type)
    if target_id is not None:
        where.append("target_id = ?")
        params.append(target_id)
    if actor is not None:
        where.append("actor = ?")
        params.append(actor)
    if cursor is not None:
        where.append("(time < ? OR (time = ? AND id < ?))")
        position = from_us(cursor.time_us)
        params.extend([position, position, cursor.id])
    sql = (
        "SELECT id, time, actor, action, target_type, target_id, detail FROM audit_log "
        f"WHERE {' AND '.join(where)} ORDER BY time DESC, id DESC LIMIT {int(limit) + 1}"
    )
    (found,) = await store.transact([Stmt(sql, params, fetch=True)])
    more = len(found) > limit
    rows = found[:limit]
    out = [
        {
            "id": ident,
            "time": format_time(read_time(time)),
            "actor": actor_,
            "action": action,
            "target_type": ttype,
            "target_id": tid,
            "detail": orjson.loads(detail),
        }
        for ident, time, actor_, action, ttype, tid, detail in rows
    ]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        next_cursor = Cursor(to_us(read_time(last[1])), last[0]).encode()
    return AuditPage(out, next_cursor)
