"""The intel tables (``store/schema/intel.py``) through ``Store.transact``: portable SQL, every
value bound, tenant first in every statement.

``save`` is the one way objects get in, whatever their format: it keeps the newest version of
each id (STIX ``modified``), skips content it already holds (same digest), and writes objects and
their indicators in ONE transaction, so an import is all-or-nothing. Rows go in as multi-row
``INSERT``s of a few hundred rows: one statement per object would make a 100,000-indicator feed
take minutes on DuckDB.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from garrison.errors import InputError
from garrison.intel.indicators import Indicator, IndicatorType
from garrison.intel.stix import StixRecord
from garrison.store.base import Stmt, Store

_CHUNK = 400
_OBJECT_COLUMNS = "tenant, id, type, modified, source, added_at, digest, object"
_INDICATOR_COLUMNS = (
    "tenant, id, stix_id, type, value, source, confidence, valid_from, valid_until, tags, name, "
    "updated_at"
)
_MAX_PAGE = 1000


@dataclass(slots=True)
class SaveResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # same content, or an older/equal version than the one stored
    indicators: int = 0
    tenant_changed: bool = False
    notes: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "indicators": self.indicators,
            "notes": self.notes[:100],
        }


@dataclass(frozen=True, slots=True)
class StoredObject:
    id: str
    type: str
    modified: datetime
    added_at: datetime
    object: dict[str, Any]


@dataclass(frozen=True, slots=True)
class FeedState:
    tenant: str
    feed: str
    cursor: str | None
    last_ok: datetime | None
    last_error: str | None
    failures: int
    next_at: datetime | None
    imported: int
    updated_at: datetime

    def to_dict(self) -> dict[str, Any]:
        def iso(t: datetime | None) -> str | None:
            return t.astimezone(UTC).isoformat().replace("+00:00", "Z") if t else None

        return {
            "feed": self.feed,
            "cursor": self.cursor,
            "last_ok": iso(self.last_ok),
            "last_error": self.last_error,
            "failures": self.failures,
            "next_at": iso(self.next_at),
            "imported": self.imported,
            "updated_at": iso(self.updated_at),
        }


def _utc(t: Any) -> datetime:
    assert isinstance(t, datetime)
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def _opt_utc(t: Any) -> datetime | None:
    return None if t is None else _utc(t)


def _values(rows: int, cols: int) -> str:
    one = "(" + ", ".join("?" * cols) + ")"
    return ", ".join([one] * rows)


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class IntelRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    # --- objects ----------------------------------------------------------------------------

    async def _existing(self, tenant: str, ids: Sequence[str]) -> dict[str, tuple[datetime, str]]:
        found: dict[str, tuple[datetime, str]] = {}
        for chunk in _chunks(ids):
            sql = (
                "SELECT id, modified, digest FROM intel_objects WHERE tenant = ? AND id IN "
                f"({', '.join('?' * len(chunk))})"
            )
            (rows,) = await self.store.transact([Stmt(sql, [tenant, *chunk], fetch=True)])
            for ident, modified, dig in rows:
                found[str(ident)] = (_utc(modified), str(dig))
        return found

    async def save(
        self, tenant: str, records: Sequence[StixRecord], source: str, *, force: bool = False
    ) -> SaveResult:
        """Store ``records`` (all or nothing), newest version per id; ``force`` rewrites
        objects even when their version is not newer (sightings, which we own)."""
        result = SaveResult()
        newest: dict[str, StixRecord] = {}
        for rec in records:
            old = newest.get(rec.id)
            if old is None or rec.modified > old.modified:
                newest[rec.id] = rec
        result.unchanged += len(records) - len(newest)
        existing = await self._existing(tenant, list(newest))
        chosen: list[StixRecord] = []
        for rec in newest.values():
            have = existing.get(rec.id)
            if have is None:
                result.created += 1
            elif force or (rec.modified > have[0] and rec.digest != have[1]):
                result.updated += 1
            else:
                result.unchanged += 1
                continue
            chosen.append(rec)
        if not chosen:
            return result
        now = datetime.now(UTC)
        statements: list[Stmt] = []
        for chunk in _chunks(chosen):
            params: list[Any] = []
            for i, rec in enumerate(chunk, start=len(statements) * _CHUNK):
                params += [
                    tenant,
                    rec.id,
                    rec.type,
                    rec.modified,
                    source,
                    now + timedelta(microseconds=i),  # distinct, ordered date_added
                    rec.digest,
                    orjson.dumps(rec.object).decode(),
                ]
            statements.append(
                Stmt(
                    f"INSERT INTO intel_objects ({_OBJECT_COLUMNS}) VALUES "
                    f"{_values(len(chunk), 8)} ON CONFLICT (tenant, id) DO UPDATE SET "
                    "type = excluded.type, modified = excluded.modified, "
                    "source = excluded.source, added_at = excluded.added_at, "
                    "digest = excluded.digest, object = excluded.object",
                    params,
                )
            )
        replaced = [rec.id for rec in chosen if rec.id in existing and rec.type == "indicator"]
        for chunk in _chunks(replaced):
            statements.append(
                Stmt(
                    "DELETE FROM indicators WHERE tenant = ? AND stix_id IN "
                    f"({', '.join('?' * len(chunk))})",
                    [tenant, *chunk],
                )
            )
        indicators = [ind for rec in chosen for ind in rec.indicators]
        for chunk in _chunks(indicators):
            params = []
            for ind in chunk:
                params += [
                    tenant,
                    ind.id,
                    ind.stix_id or ind.id,
                    ind.type.value,
                    ind.value,
                    ind.source,
                    ind.confidence,
                    ind.valid_from,
                    ind.valid_until,
                    orjson.dumps(list(ind.tags)).decode(),
                    ind.name,
                    now,
                ]
            statements.append(
                Stmt(
                    f"INSERT INTO indicators ({_INDICATOR_COLUMNS}) VALUES "
                    f"{_values(len(chunk), 12)} ON CONFLICT (tenant, id) DO UPDATE SET "
                    "stix_id = excluded.stix_id, type = excluded.type, value = excluded.value, "
                    "source = excluded.source, confidence = excluded.confidence, "
                    "valid_from = excluded.valid_from, valid_until = excluded.valid_until, "
                    "tags = excluded.tags, name = excluded.name, updated_at = excluded.updated_at",
                    params,
                )
            )
        await self.store.transact(statements)
        result.indicators = len(indicators)
        result.tenant_changed = bool(indicators or replaced)
        return result

    async def get_objects(self, tenant: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(list(dict.fromkeys(ids))):
            sql = (
                "SELECT id, object FROM intel_objects WHERE tenant = ? AND id IN "
                f"({', '.join('?' * len(chunk))})"
            )
            (rows,) = await self.store.transact([Stmt(sql, [tenant, *chunk], fetch=True)])
            out.update({str(r[0]): orjson.loads(r[1]) for r in rows})
        return out

    async def objects_page(
        self,
        tenant: str,
        *,
        added_after: datetime | None = None,
        after: tuple[datetime, str] | None = None,
        types: Sequence[str] = (),
        ids: Sequence[str] = (),
        limit: int = 100,
    ) -> tuple[list[StoredObject], bool]:
        """Objects in date_added order (then id), and whether more follow."""
        where = ["tenant = ?"]
        params: list[Any] = [tenant]
        if added_after is not None:
            where.append("added_at > ?")
            params.append(added_after)
        if after is not None:
            where.append("(added_at > ? OR (added_at = ? AND id > ?))")
            params += [after[0], after[0], after[1]]
        if types:
            where.append(f"type IN ({', '.join('?' * len(types))})")
            params += list(types)
        if ids:
            where.append(f"id IN ({', '.join('?' * len(ids))})")
            params += list(ids)
        sql = (
            "SELECT id, type, modified, added_at, object FROM intel_objects WHERE "
            f"{' AND '.join(where)} ORDER BY added_at, id LIMIT {int(limit) + 1}"
        )
        (rows,) = await self.store.transact([Stmt(sql, params, fetch=True)])
        out = [
            StoredObject(str(r[0]), str(r[1]), _utc(r[2]), _utc(r[3]), orjson.loads(r[4]))
            for r in rows[:limit]
        ]
        return out, len(rows) > limit

    # --- indicators -------------------------------------------------------------------------

    @staticmethod
    def _indicator(row: Sequence[Any]) -> Indicator:
        return Indicator(
            id=str(row[0]),
            stix_id=str(row[1]),
            type=IndicatorType(row[2]),
            value=str(row[3]),
            source=str(row[4]),
            confidence=int(row[5]),
            valid_from=_opt_utc(row[6]),
            valid_until=_opt_utc(row[7]),
            tags=tuple(orjson.loads(row[8])),
            name=row[9],
        )

    _SELECT = (
        "SELECT id, stix_id, type, value, source, confidence, valid_from, valid_until, tags, name "
        "FROM indicators"
    )

    async def all_indicators(self, tenant: str, *, now: datetime | None = None) -> list[Indicator]:
        """Every indicator not yet expired (what the index is built from)."""
        when = now or datetime.now(UTC)
        (rows,) = await self.store.transact(
            [
                Stmt(
                    f"{self._SELECT} WHERE tenant = ? AND (valid_until IS NULL OR valid_until > ?)",
                    [tenant, when],
                    fetch=True,
                )
            ]
        )
        return [self._indicator(r) for r in rows]

    async def list_indicators(
        self,
        tenant: str,
        *,
        type: str | None = None,
        source: str | None = None,
        tag: str | None = None,
        value: str | None = None,
        active: bool = False,
        cursor: str | None = None,
        limit: int = 100,
    ) -> tuple[list[Indicator], str | None]:
        where = ["tenant = ?"]
        params: list[Any] = [tenant]
        if type:
            where.append("type = ?")
            params.append(type)
        if source:
            where.append("source = ?")
            params.append(source)
        if tag:
            where.append("tags LIKE ? ESCAPE '!'")
            quoted = orjson.dumps(tag).decode()
            escaped = quoted.replace("!", "!!").replace("%", "!%").replace("_", "!_")
            params.append(f"%{escaped}%")
        if value:
            where.append("value = ?")
            params.append(value)
        if active:
            now = datetime.now(UTC)
            where.append("(valid_until IS NULL OR valid_until > ?)")
            where.append("(valid_from IS NULL OR valid_from <= ?)")
            params += [now, now]
        if cursor:
            where.append("id > ?")
            params.append(decode_cursor(cursor))
        limit = max(1, min(limit, _MAX_PAGE))
        sql = f"{self._SELECT} WHERE {' AND '.join(where)} ORDER BY id LIMIT {limit + 1}"
        (rows,) = await self.store.transact([Stmt(sql, params, fetch=True)])
        found = [self._indicator(r) for r in rows[:limit]]
        next_cursor = encode_cursor(found[-1].id) if len(rows) > limit and found else None
        return found, next_cursor

    async def index_version(self, tenant: str) -> tuple[int, str]:
        """(count, newest update) of a tenant's indicators: unchanged means the index built
        from them is still right (expiry is checked at match time, not by rebuilding)."""
        (rows,) = await self.store.transact(
            [
                Stmt(
                    "SELECT count(*), max(updated_at) FROM indicators WHERE tenant = ?",
                    [tenant],
                    fetch=True,
                )
            ]
        )
        count, newest = rows[0]
        return int(count), str(newest)

    async def tenants(self) -> list[str]:
        (rows,) = await self.store.transact(
            [Stmt("SELECT DISTINCT tenant FROM indicators ORDER BY tenant", [], fetch=True)]
        )
        return [str(r[0]) for r in rows]

    # --- feed state -------------------------------------------------------------------------

    async def feed_states(self, tenant: str) -> list[FeedState]:
        (rows,) = await self.store.transact(
            [
                Stmt(
                    "SELECT tenant, feed, cursor, last_ok, last_error, failures, next_at, "
                    "imported, updated_at FROM feed_state WHERE tenant = ? ORDER BY feed",
                    [tenant],
                    fetch=True,
                )
            ]
        )
        return [
            FeedState(
                str(r[0]),
                str(r[1]),
                r[2],
                _opt_utc(r[3]),
                r[4],
                int(r[5]),
                _opt_utc(r[6]),
                int(r[7]),
                _utc(r[8]),
            )
            for r in rows
        ]

    async def feed_state(self, tenant: str, feed: str) -> FeedState | None:
        for state in await self.feed_states(tenant):
            if state.feed == feed:
                return state
        return None

    async def put_feed_state(
        self,
        tenant: str,
        feed: str,
        *,
        cursor: str | None,
        ok: bool,
        error: str | None = None,
        next_at: datetime | None = None,
        imported: int = 0,
    ) -> None:
        """Record a poll: on success the cursor moves and failures reset; on failure the
        cursor stays, the error is kept and failures count up (the backoff's input)."""
        now = datetime.now(UTC)
        await self.store.transact(
            [
                Stmt(
                    "INSERT INTO feed_state (tenant, feed, cursor, last_ok, last_error, failures, "
                    "next_at, imported, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (tenant, feed) DO UPDATE SET "
                    "cursor = CASE WHEN ? THEN excluded.cursor ELSE feed_state.cursor END, "
                    "last_ok = CASE WHEN ? THEN excluded.last_ok ELSE feed_state.last_ok END, "
                    "last_error = excluded.last_error, "
                    "failures = CASE WHEN ? THEN 0 ELSE feed_state.failures + 1 END, "
                    "next_at = excluded.next_at, "
                    "imported = feed_state.imported + excluded.imported, "
                    "updated_at = excluded.updated_at",
                    [
                        tenant,
                        feed,
                        cursor,
                        now if ok else None,
                        error,
                        0 if ok else 1,
                        next_at,
                        imported,
                        now,
                        ok,
                        ok,
                        ok,
                    ],
                )
            ]
        )


def encode_cursor(last_id: str) -> str:
    return base64.urlsafe_b64encode(last_id.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        raise InputError("cursor: not a cursor this API returned") from None


def parse_records(objects: Sequence[Mapping[str, Any]], source: str) -> list[StixRecord]:
    """Records for objects Garrison built itself (already valid by construction)."""
    from garrison.intel.stix import record_of

    return [record_of(o, source) for o in objects]
