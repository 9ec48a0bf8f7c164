"""Deliveries: every message Garrison sends, written before it is sent and kept after.

The life of a delivery: ``pending`` (due at ``next_attempt_at``) → claimed as ``sending`` for a
lease → ``delivered``, or back to ``pending`` later with a backoff, or ``dead`` (a dead letter:
``last_error`` says why) when the receiver refused it for good or the attempts ran out. A dead
delivery is visible in ``GET /api/v1/deliveries?status=dead`` and can be sent again with
``POST /api/v1/deliveries/{id}/retry``. Because the row exists before the first attempt and a
claim expires with its lease, nothing is lost when the process stops mid-send: the next worker
sends it again (at least once; webhook receivers deduplicate on ``X-Garrison-Delivery``).

This module is only the table's bookkeeping; what is sent, and how, is the service's business.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from garrison.errors import ConflictError, NotFoundError
from garrison.model.event import format_time
from garrison.model.ids import uuid7
from garrison.store.base import Cursor, Stmt, Store, to_us

STATUSES = ("pending", "sending", "delivered", "dead")
_COLUMNS = (
    "id, tenant, source, target, target_type, subject_kind, subject_id, payload, status, "
    "attempts, last_error, next_attempt_at, created_at, updated_at, delivered_at"
)


def as_utc(value: Any) -> datetime:
    """A timestamp as either engine returns it, as an aware UTC datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Delivery:
    id: str
    tenant: str
    source: str  # the route or report schedule that made it
    target: str  # the target's name in the settings
    target_type: str
    subject_kind: str  # alert | incident | report
    subject_id: str
    payload: Any  # exactly what is sent (a JSON value), rendered when the delivery was made
    status: str = "pending"
    attempts: int = 0
    last_error: str | None = None
    next_attempt_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    delivered_at: datetime | None = None

    def to_dict(self, *, payload: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "tenant": self.tenant,
            "source": self.source,
            "target": self.target,
            "target_type": self.target_type,
            "subject_kind": self.subject_kind,
            "subject_id": self.subject_id,
            "status": self.status,
            "attempts": self.attempts,
            "last_error": self.last_error,
            "next_attempt_at": _fmt(self.next_attempt_at),
            "created_at": _fmt(self.created_at),
            "updated_at": _fmt(self.updated_at),
            "delivered_at": _fmt(self.delivered_at),
        }
        if payload:
            out["payload"] = self.payload
        return out


def _fmt(t: datetime | None) -> str | None:
    return format_time(t) if t is not None else None


def _row(row: tuple[Any, ...]) -> Delivery:
    (id_, tenant, source, target, ttype, skind, sid, payload, status, attempts, error, nxt,
     created, updated, delivered) = row  # fmt: skip
    return Delivery(
        id=str(id_),
        tenant=str(tenant),
        source=str(source),
        target=str(target),
        target_type=str(ttype),
        subject_kind=str(skind),
        subject_id=str(sid),
        payload=orjson.loads(payload),
        status=str(status),
        attempts=int(attempts),
        last_error=error,
        next_attempt_at=as_utc(nxt),
        created_at=as_utc(created),
        updated_at=as_utc(updated),
        delivered_at=as_utc(delivered) if delivered is not None else None,
    )


def new(
    *,
    tenant: str,
    source: str,
    target: str,
    target_type: str,
    subject_kind: str,
    subject_id: str,
    payload: Any,
    now: datetime,
) -> Delivery:
    return Delivery(
        id=uuid7(to_us(now) // 1000),
        tenant=tenant,
        source=source,
        target=target,
        target_type=target_type,
        subject_kind=subject_kind,
        subject_id=subject_id,
        payload=payload,
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
    )


def insert(*batch: Delivery) -> Stmt:
    """One INSERT of all of ``batch`` (one statement: DuckDB pays per statement, not per row)."""
    marks = ", ".join(["(" + ", ".join("?" * 15) + ")"] * len(batch))
    params: list[Any] = []
    for d in batch:
        assert d.created_at is not None and d.next_attempt_at is not None
        params += (
            d.id, d.tenant, d.source, d.target, d.target_type, d.subject_kind, d.subject_id,
            orjson.dumps(d.payload).decode(), d.status, d.attempts, d.last_error,
            d.next_attempt_at, d.created_at, d.updated_at or d.created_at, None,
        )  # fmt: skip
    return Stmt(f"INSERT INTO deliveries ({_COLUMNS}) VALUES {marks}", params)


async def due(store: Store, now: datetime, limit: int = 200) -> list[Delivery]:
    """Pending deliveries whose time has come, and claims whose lease ran out (a sender died)."""
    found = await store.transact(
        [
            Stmt(
                f"SELECT {_COLUMNS} FROM deliveries WHERE status IN ('pending', 'sending') "
                f"AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT {int(limit)}",
                (now,),
                fetch=True,
            )
        ]
    )
    return [_row(r) for r in found[0]]


async def claim(
    store: Store, found: Sequence[Delivery], now: datetime, lease_s: float
) -> list[Delivery]:
    """Take ``found`` (one tenant's) for one attempt each, in one statement; those another
    worker claimed first (its lease moved ``next_attempt_at`` past ``now``) or that are no longer
    due are left out."""
    if not found:
        return []
    until = now + timedelta(seconds=lease_s)
    tenant = found[0].tenant
    assert all(d.tenant == tenant for d in found)
    rows = await store.transact(
        [
            Stmt(
                "UPDATE deliveries SET status = 'sending', attempts = attempts + 1, "
                "next_attempt_at = ?, updated_at = ? WHERE tenant = ? "
                f"AND id IN ({', '.join('?' * len(found))}) "
                "AND status IN ('pending', 'sending') AND next_attempt_at <= ? "
                "RETURNING id, attempts",
                (until, now, tenant, *(d.id for d in found), now),
                fetch=True,
            )
        ]
    )
    taken = {str(r[0]): int(r[1]) for r in rows[0]}
    return [
        Delivery(
            **{
                **_fields(d),
                "status": "sending",
                "attempts": taken[d.id],
                "next_attempt_at": until,
                "updated_at": now,
            }
        )
        for d in found
        if d.id in taken
    ]


def _fields(d: Delivery) -> dict[str, Any]:
    return {name: getattr(d, name) for name in Delivery.__slots__}


async def delivered(store: Store, batch: Sequence[Delivery], now: datetime) -> None:
    """Mark a sent batch (one tenant's) delivered, in one statement."""
    if not batch:
        return
    await store.transact(
        [
            Stmt(
                "UPDATE deliveries SET status = 'delivered', last_error = NULL, updated_at = ?, "
                f"delivered_at = ? WHERE tenant = ? AND id IN ({', '.join('?' * len(batch))}) "
                "AND status = 'sending'",
                (now, now, batch[0].tenant, *(d.id for d in batch)),
            )
        ]
    )


def failed(batch: Sequence[Delivery], now: datetime, error: str, retry_at: datetime | None) -> Stmt:
    """Failed attempts (one tenant's): due again at ``retry_at``, or dead (dead letters) when it
    is None."""
    status = "dead" if retry_at is None else "pending"
    return Stmt(
        "UPDATE deliveries SET status = ?, last_error = ?, next_attempt_at = ?, updated_at = ? "
        f"WHERE tenant = ? AND id IN ({', '.join('?' * len(batch))}) AND status = 'sending'",
        (status, error[:500], retry_at or now, now, batch[0].tenant, *(d.id for d in batch)),
    )


async def get(store: Store, tenant: str, delivery_id: str) -> Delivery:
    found = await store.transact(
        [
            Stmt(
                f"SELECT {_COLUMNS} FROM deliveries WHERE tenant = ? AND id = ?",
                (tenant, delivery_id),
                fetch=True,
            )
        ]
    )
    if not found[0]:
        raise NotFoundError("no such delivery", details={"delivery_id": delivery_id})
    return _row(found[0][0])


async def page(
    store: Store,
    tenant: str,
    *,
    statuses: tuple[str, ...] = (),
    limit: int = 100,
    cursor: Cursor | None = None,
) -> tuple[list[Delivery], str | None]:
    """A tenant's deliveries, newest first; the cursor is the last row's (created_at, id)."""
    where = ["tenant = ?"]
    params: list[Any] = [tenant]
    if statuses:
        where.append(f"status IN ({', '.join('?' * len(statuses))})")
        params += statuses
    if cursor is not None:
        at = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=cursor.time_us)
        where.append("(created_at < ? OR (created_at = ? AND id < ?))")
        params += [at, at, cursor.id]
    sql = (
        f"SELECT {_COLUMNS} FROM deliveries WHERE {' AND '.join(where)} "
        f"ORDER BY created_at DESC, id DESC LIMIT {int(limit) + 1}"
    )
    found = [_row(r) for r in (await store.transact([Stmt(sql, params, fetch=True)]))[0]]
    more = len(found) > limit
    found = found[:limit]
    nxt = None
    if more and found:
        last = found[-1]
        assert last.created_at is not None
        nxt = Cursor(to_us(last.created_at), last.id).encode()
    return found, nxt


async def retry(store: Store, tenant: str, delivery_id: str, now: datetime) -> Delivery:
    """Send a dead (or still pending) delivery again now, with a fresh count of attempts."""
    current = await get(store, tenant, delivery_id)
    if current.status not in ("dead", "pending"):
        raise ConflictError(
            f"delivery is {current.status}; only dead or pending deliveries can be retried",
            details={"status": current.status},
        )
    await store.transact(
        [
            Stmt(
                "UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, "
                "updated_at = ? WHERE tenant = ? AND id = ? AND status = ? AND attempts = ?",
                (now, now, tenant, delivery_id, current.status, current.attempts),
                expect=1,
                conflict="the delivery changed while it was being retried; read it again",
            )
        ]
    )
    return await get(store, tenant, delivery_id)
