"""The cluster store: PostgreSQL, through psycopg 3's async driver and a connection pool.

Several worker processes may share one database, so migrations run under a transaction-scoped
advisory lock (two workers starting together do not both create the tables). Writes COPY the
batch into a temporary table (dropped at commit) and ``INSERT ... SELECT ... ON CONFLICT (tenant,
id) DO NOTHING`` from it, all in one transaction: all-or-nothing, idempotent on (tenant, id), and
never row-by-row statements. Findings are COPied the same way and inserted by the same statement,
joined to the events it inserted (``RETURNING``); alert deltas, which are few, go as a pipelined
``executemany`` upsert, and their event links (as many as the alerts' events) by COPY again.

Hunts run in a ``READ ONLY`` transaction with ``statement_timeout`` and a search path that holds
no table of ours, through a raw cursor (``$1`` placeholders, so a ``%`` in the caller's SQL is
just a character); see ``store.hunt``.

This module must never format a value into SQL, never show the password (error messages name
host, port and database only), and never put event content in an error message: PostgreSQL's own
messages and details can quote the offending value, so only the SQLSTATE and error class are
passed on for statements that carry content.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.types.string import TextLoader
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from garrison.errors import ConfigError, ConflictError, StoreError
from garrison.model import Event
from garrison.model.alert import Alert
from garrison.model.finding import Finding
from garrison.store import hunt as hunting
from garrison.store import migrations, rows
from garrison.store.base import (
    MAX_ALERT_EVENTS,
    MAX_TRACE_EVENTS,
    AlertPage,
    AlertQuery,
    ApiKey,
    EventPage,
    EventQuery,
    HuntResult,
    Stmt,
    StoreInfo,
    WriteResult,
    events_sorted,
    pyformat,
)

Connection = psycopg.AsyncConnection[tuple[Any, ...]]

CONNECT_TIMEOUT_S = 10
POOL_MIN_SIZE = 1
POOL_MAX_SIZE = 8
POOL_WAIT_S = 30.0
# Any constant shared by every Garrison process: it names the migration lock.
_MIGRATION_LOCK = 0x6761_7272_6973_6F6E  # "garrison"

# Times come back as aware datetimes from psycopg's C loader (exact to the microsecond).
_COLUMNS = rows.select_list("time", "attributes::text")
_KEY_COLUMNS = rows.key_select_list("created_at", "revoked_at")

_BATCH_TABLE = "garrison_write_batch"
_COPY_TYPES: dict[str, str] = {
    "time": "timestamptz",
    "input_tokens": "int8",
    "output_tokens": "int8",
    "latency_ms": "float8",
}
_CREATE_BATCH = (
    f"CREATE TEMPORARY TABLE {_BATCH_TABLE} ("
    + ", ".join(f"{c} {_COPY_TYPES.get(c, 'text')}" for c in rows.INSERT_COLUMNS)
    + ") ON COMMIT DROP"
)
# Binary COPY: measured ~10 % faster than text COPY for the same rows (5,000-event batches of
# ~1 KB: ~30-36 k vs ~27-32 k events/s, noisy, server on the same 2-core machine). The temporary
# table holds attributes as text and the INSERT casts them to jsonb, so JSON is parsed once.
_COPY = f"COPY {_BATCH_TABLE} ({', '.join(rows.INSERT_COLUMNS)}) FROM STDIN (FORMAT BINARY)"
_COPY_TYPE_NAMES = [_COPY_TYPES.get(c, "text") for c in rows.INSERT_COLUMNS]
_INSERT = (
    f"INSERT INTO events ({', '.join(rows.INSERT_COLUMNS)}) SELECT "
    + ", ".join("attributes::jsonb" if c == "attributes" else c for c in rows.INSERT_COLUMNS)
    + f" FROM {_BATCH_TABLE} ON CONFLICT (tenant, id) DO NOTHING"
)

_FINDINGS_TABLE = "garrison_write_findings"
_FINDING_COPY_TYPES: dict[str, str] = {
    "time": "timestamptz",
    "score": "float8",
    "latency_ms": "float8",
    "seq": "int4",
}
_FINDING_COPY_TYPE_NAMES = [_FINDING_COPY_TYPES.get(c, "text") for c in rows.FINDING_COLUMNS]
_CREATE_FINDINGS = (
    f"CREATE TEMPORARY TABLE {_FINDINGS_TABLE} ("
    + ", ".join(
        f"{c} {t}" for c, t in zip(rows.FINDING_COLUMNS, _FINDING_COPY_TYPE_NAMES, strict=True)
    )
    + ") ON COMMIT DROP"
)
_COPY_FINDINGS = (
    f"COPY {_FINDINGS_TABLE} ({', '.join(rows.FINDING_COLUMNS)}) FROM STDIN (FORMAT BINARY)"
)
# One statement: the events it inserts (RETURNING) decide which findings go in, so findings of
# events that were already stored (a re-delivery) are dropped whatever the detectors said.
_INSERT_WITH_FINDINGS = (
    f"WITH inserted AS ({_INSERT} RETURNING tenant, id), "
    f"stored AS (INSERT INTO findings ({', '.join(rows.FINDING_COLUMNS)}) SELECT "
    + ", ".join(
        f"f.{c}::jsonb" if c in rows.FINDING_JSON else f"f.{c}" for c in rows.FINDING_COLUMNS
    )
    + f" FROM {_FINDINGS_TABLE} AS f JOIN inserted AS i "
    'ON i.tenant = f.tenant AND i.id = f.event_id COLLATE "C" '
    "ON CONFLICT (tenant, id) DO NOTHING RETURNING 1) "
    "SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM stored)"
)
_FINDING_COLUMNS = rows.expressions(
    rows.FINDING_READ, jsons=rows.FINDING_JSON, json_format="{}::text"
)
_ALERT_COLUMNS = rows.expressions(rows.ALERT_COLUMNS, jsons=rows.ALERT_JSON, json_format="{}::text")
_ALERT_UPSERT = rows.alert_upsert_sql(mark="%s", json_cast="::jsonb")
# An alert's links can be as many as its events: COPied like the rest, not executemany.
_LINKS_TABLE = "garrison_write_links"
_LINK_TYPES = ["text", "text", "text", "timestamptz"]
_CREATE_LINKS = (
    f"CREATE TEMPORARY TABLE {_LINKS_TABLE} ("
    + ", ".join(f"{c} {t}" for c, t in zip(rows.LINK_COLUMNS, _LINK_TYPES, strict=True))
    + ") ON COMMIT DROP"
)
_COPY_LINKS = f"COPY {_LINKS_TABLE} ({', '.join(rows.LINK_COLUMNS)}) FROM STDIN (FORMAT BINARY)"
_ALERT_LINK = (
    f"INSERT INTO alert_events ({', '.join(rows.LINK_COLUMNS)}) "
    f"SELECT {', '.join(rows.LINK_COLUMNS)} FROM {_LINKS_TABLE} ON CONFLICT DO NOTHING"
)
_LINKED = (
    "SELECT alert_id, event_id FROM alert_events "
    "WHERE tenant = %s AND alert_id = ANY(%s) AND event_id = ANY(%s)"
)
_EVENT_TIMES = "SELECT id, time FROM events WHERE tenant = %s AND id = ANY(%s)"
_IDS_PER_QUERY = 1000
# A hunt's session state, all transaction-local: the limit, no schema of ours on the search path
# (pg_temp last, so that no temporary table can stand in for a name either), and standard
# strings whatever the server's default, so that PostgreSQL reads string literals exactly as
# the DuckDB parser that checked the query did.
_HUNT_SETTINGS = (
    "SELECT set_config('statement_timeout', %s, true), set_config('lock_timeout', %s, true), "
    "set_config('search_path', 'pg_catalog, pg_temp', true), "
    "set_config('standard_conforming_strings', 'on', true)"
)


def _describe(url: str) -> tuple[str, str]:
    """(host:port/database, the password or "") from a connection URL, for messages."""
    if not (url.startswith("postgresql://") or url.startswith("postgres://")):
        raise ConfigError(
            "store URL is not a PostgreSQL URL: use postgresql://user@host:port/database",
            field="store",
        )
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        raise ConfigError(
            "store URL is not a valid PostgreSQL URL (postgresql://user@host:port/database)",
            field="store",
        ) from None
    host = str(params.get("host") or "localhost")
    port = str(params.get("port") or "5432")
    dbname = str(params.get("dbname") or params.get("user") or "")
    return f"{host}:{port}/{dbname}", str(params.get("password") or "")


class PostgresStore:
    """Events and API keys in a PostgreSQL database shared by any number of Garrison processes."""

    name: ClassVar[str] = "postgresql"

    def __init__(self, url: str, data_dir: Path) -> None:
        self._url = url
        self._where, self._password = _describe(url)
        self._pool: AsyncConnectionPool[Connection] | None = None
        self._schema_version = 0
        self._hunt_tables: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"PostgresStore({self._where!r})"

    def _scrub(self, text: str) -> str:
        # libpq does not echo passwords, but a message is cheap to make sure of.
        return text.replace(self._password, "***") if self._password else text

    def _failure(self, exc: psycopg.Error, doing: str, outcome: str = "") -> StoreError:
        """A StoreError that never carries PostgreSQL's message (it can quote values)."""
        if isinstance(exc, psycopg.OperationalError) and exc.sqlstate is None:
            return StoreError(
                f"lost the connection to PostgreSQL at {self._where} during {doing}{outcome}"
            )
        state = f"SQLSTATE {exc.sqlstate} " if exc.sqlstate else ""
        return StoreError(
            f"PostgreSQL at {self._where} refused {doing} ({state}{type(exc).__name__}){outcome}",
            details={"sqlstate": exc.sqlstate} if exc.sqlstate else None,
        )

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[Connection]:
        if self._pool is None:
            raise StoreError("the PostgreSQL store is not open")
        try:
            async with self._pool.connection() as conn:
                yield conn
        except PoolTimeout:
            raise StoreError(
                f"no connection to PostgreSQL at {self._where} within {POOL_WAIT_S:g} s"
            ) from None

    async def _fetch(self, sql: str, params: Sequence[Any], doing: str) -> list[tuple[Any, ...]]:
        try:
            async with self._connection() as conn:
                cur = await conn.execute(sql, params)
                return await cur.fetchall()
        except psycopg.Error as exc:
            raise self._failure(exc, doing) from None

    # --- the Store protocol -------------------------------------------------------------------

    async def open(self) -> None:
        if self._pool is not None:
            return
        # Migrate on a connection of our own first: its failure says why (refused, no such
        # database, authentication), where a pool would only time out.
        try:
            conn = await psycopg.AsyncConnection.connect(
                self._url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S
            )
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to PostgreSQL at {self._where}: {self._scrub(str(exc)).strip()}"
            ) from None
        try:
            self._schema_version = await self._migrate(conn)
        finally:
            await conn.close()
        pool: AsyncConnectionPool[Connection] = AsyncConnectionPool(
            self._url,
            min_size=POOL_MIN_SIZE,
            max_size=POOL_MAX_SIZE,
            kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT_S},
            timeout=POOL_WAIT_S,
            name="garrison-store",
            open=False,
        )
        try:
            await pool.open(wait=True, timeout=CONNECT_TIMEOUT_S)
        except PoolTimeout:
            await pool.close()
            raise StoreError(f"cannot connect to PostgreSQL at {self._where}") from None
        self._pool = pool

    async def _migrate(self, conn: Connection) -> int:
        try:
            async with conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock(%s)", [_MIGRATION_LOCK])
                await conn.execute(migrations.SCHEMA_MIGRATIONS_POSTGRES)
                cur = await conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations")
                row = await cur.fetchone()
                current = int(row[0]) if row else 0
                todo = migrations.pending(current, where=self._where)
                for migration in todo:
                    await conn.execute(migration.postgres)
                    await conn.execute(
                        "INSERT INTO schema_migrations (version, name, applied_at) "
                        "VALUES (%s, %s, now())",
                        [migration.version, migration.name],
                    )
                cur = await conn.execute("SELECT current_schema()")
                row = await cur.fetchone()
                schema = str(row[0]) if row and row[0] else "public"
        except psycopg.Error as exc:
            # Migration SQL is ours, not content; PostgreSQL's message is safe and needed here.
            raise StoreError(
                f"cannot migrate PostgreSQL at {self._where}: {self._scrub(str(exc)).strip()}"
            ) from None
        # Fully qualified, so that hunts reach them whatever their search path is.
        self._hunt_tables = {name: f"{hunting.quote(schema)}.{name}" for name in hunting.TABLES}
        return todo[-1].version if todo else current

    async def aclose(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()

    async def ping(self) -> StoreInfo:
        found = await self._fetch(
            "SELECT coalesce(max(version), 0) FROM schema_migrations", [], "a ping"
        )
        return StoreInfo(
            backend=self.name, schema_version=int(found[0][0]), detail={"server": self._where}
        )

    async def write_events(
        self,
        events: Sequence[Event],
        findings: Sequence[Finding] = (),
        alerts: Sequence[Alert] = (),
    ) -> WriteResult:
        if not events and not findings and not alerts:
            return WriteResult(inserted=0, duplicates=0)
        batch = rows.prepare_batch(events)
        finding_batch = rows.prepare_findings(events, findings)
        doing = f"a batch of {batch.received} events"
        inserted = stored_findings = applied = 0
        try:
            async with self._connection() as conn, conn.transaction():
                if batch.rows:
                    inserted, stored_findings = await self._write_rows(conn, batch, finding_batch)
                if alerts:
                    applied = await self._write_alerts(conn, events, alerts)
        except psycopg.Error as exc:
            raise self._failure(exc, doing, "; nothing was written") from None
        except (OverflowError, ValueError, TypeError) as exc:
            # Raised while encoding a row for COPY (e.g. a token count past 64 bits); the
            # transaction was rolled back on the way out.
            raise StoreError(
                f"a batch of {batch.received} events could not be encoded for PostgreSQL "
                f"({type(exc).__name__}); nothing was written"
            ) from None
        return WriteResult(
            inserted=inserted,
            duplicates=len(events) - inserted,
            findings=stored_findings,
            alerts=applied,
        )

    async def _write_rows(
        self, conn: Connection, batch: rows.EventBatch, findings: rows.FindingBatch
    ) -> tuple[int, int]:
        """COPY the events (and findings) and insert them; (events, findings) inserted."""
        await conn.execute(_CREATE_BATCH)
        if findings.rows:
            await conn.execute(_CREATE_FINDINGS)
        async with conn.cursor() as cur:
            async with cur.copy(_COPY) as copy:
                copy.set_types(_COPY_TYPE_NAMES)
                for row in batch.rows:
                    await copy.write_row(row)
            if not findings.rows:
                await cur.execute(_INSERT)
                return cur.rowcount, 0
            async with cur.copy(_COPY_FINDINGS) as copy:
                copy.set_types(_FINDING_COPY_TYPE_NAMES)
                for row in findings.rows:
                    await copy.write_row(row)
            await cur.execute(_INSERT_WITH_FINDINGS)
            counts = await cur.fetchone()
        if counts is None:
            raise StoreError("PostgreSQL returned no counts for a write")
        return int(counts[0]), int(counts[1])

    async def _write_alerts(
        self, conn: Connection, events: Sequence[Event], alerts: Sequence[Alert]
    ) -> int:
        linked: set[tuple[str, str, str]] = set()
        for tenant, alert_ids, event_ids in rows.alert_link_keys(alerts):
            cur = await conn.execute(_LINKED, [tenant, alert_ids, event_ids])
            linked.update((tenant, a, e) for a, e in await cur.fetchall())
        merged = rows.merge_alert_deltas(alerts, linked)
        if not merged:
            return 0
        known: dict[tuple[str, str], datetime] = {}
        for e in events:
            known.setdefault((e.tenant, e.id), e.time)
        missing: dict[str, list[str]] = {}
        for alert in merged:
            for event_id in alert.event_ids:
                if (alert.tenant, event_id) not in known:
                    missing.setdefault(alert.tenant, []).append(event_id)
        for tenant, event_ids in missing.items():
            cur = await conn.execute(_EVENT_TIMES, [tenant, event_ids])
            for event_id, time in await cur.fetchall():
                known[(tenant, event_id)] = time
        now = datetime.now(UTC)
        alert_rows = [rows.alert_row(a, now) for a in merged]
        links = rows.alert_link_rows(merged, known)
        async with conn.cursor() as cur:
            await cur.executemany(_ALERT_UPSERT, alert_rows)
            if links:
                await cur.execute(_CREATE_LINKS)
                async with cur.copy(_COPY_LINKS) as copy:
                    copy.set_types(_LINK_TYPES)
                    for link in links:
                        await copy.write_row(link)
                await cur.execute(_ALERT_LINK)
        return len(merged)

    async def query_events(self, query: EventQuery) -> EventPage:
        sql, params = rows.event_query_sql(query, columns=_COLUMNS, mark="%s")
        found = await self._fetch(sql, params, "an event query")
        return rows.event_page(query, found)

    async def _events_where(self, column: str, tenant: str, value: str) -> list[Event]:
        # ``column`` is one of two literals chosen below, never a caller's value.
        sql = (
            f"SELECT {_COLUMNS} FROM events WHERE tenant = %s AND {column} = %s "
            f"ORDER BY time, id LIMIT {MAX_TRACE_EVENTS}"
        )
        found = await self._fetch(sql, [tenant, value], f"a {column} lookup")
        return [rows.event_from_row(r) for r in found]

    async def trace_events(self, tenant: str, trace_id: str) -> list[Event]:
        return await self._events_where("trace_id", tenant, trace_id)

    async def session_events(self, tenant: str, session_id: str) -> list[Event]:
        return await self._events_where("session_id", tenant, session_id)

    async def events_by_id(self, tenant: str, event_ids: Sequence[str]) -> list[Event]:
        found: list[Event] = []
        ids = list(dict.fromkeys(event_ids))
        sql = f"SELECT {_COLUMNS} FROM events WHERE tenant = %s AND id = ANY(%s)"
        for start in range(0, len(ids), _IDS_PER_QUERY):
            chunk = ids[start : start + _IDS_PER_QUERY]
            found.extend(
                rows.event_from_row(r)
                for r in await self._fetch(sql, [tenant, chunk], "an event lookup")
            )
        return events_sorted(found)

    async def select(
        self, sql: str, params: Sequence[Any], *, limit: int, timeout_s: float = 60
    ) -> list[tuple[Any, ...]]:
        timeout_ms = str(max(1, round(max(0.01, timeout_s) * 1000)))
        try:
            async with self._connection() as conn, conn.transaction():
                await conn.execute("SET TRANSACTION READ ONLY")
                await conn.execute("SELECT set_config('statement_timeout', %s, true)", [timeout_ms])
                async with conn.cursor() as cur:
                    await cur.execute(sql, list(params))
                    found = await cur.fetchmany(limit) if limit > 0 else []
                raise psycopg.Rollback()
        except psycopg.errors.QueryCanceled:
            raise StoreError(f"a PostgreSQL query ran past its limit of {timeout_s:g} s") from None
        except psycopg.Error as exc:
            raise self._failure(exc, "a query") from None
        return found

    async def transact(self, statements: Sequence[Stmt]) -> list[list[tuple[Any, ...]]]:
        results: list[list[tuple[Any, ...]]] = []
        try:
            async with self._connection() as conn, conn.transaction():
                for stmt in statements:
                    cur = await conn.execute(pyformat(stmt.sql), list(stmt.params))
                    if stmt.fetch:
                        found = await cur.fetchall()
                        results.append(found)
                        count = len(found)
                    else:
                        results.append([])
                        count = cur.rowcount
                    if stmt.expect is not None and count != stmt.expect:
                        raise ConflictError(stmt.conflict)
        except psycopg.errors.UniqueViolation:
            raise ConflictError("a row with the same key already exists") from None
        except (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure):
            # Transient by nature: the other transaction won; redoing this one will succeed.
            raise ConflictError(
                "the transaction collided with a concurrent one and was rolled back; retry it"
            ) from None
        except psycopg.Error as exc:
            raise self._failure(exc, "a transaction", "; nothing was written") from None
        return results

    async def count_events(self, tenant: str | None = None) -> int:
        if tenant is None:
            found = await self._fetch("SELECT count(*) FROM events", [], "a count")
        else:
            found = await self._fetch(
                "SELECT count(*) FROM events WHERE tenant = %s", [tenant], "a count"
            )
        return int(found[0][0])

    async def create_key(self, key: ApiKey) -> None:
        try:
            async with self._connection() as conn:
                await conn.execute(
                    "INSERT INTO api_keys "
                    "(id, tenant, secret_hash, scopes, created_at, name, app, revoked_at) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                    [
                        key.id,
                        key.tenant,
                        key.secret_hash,
                        sorted(key.scopes),
                        key.created_at,
                        key.name,
                        key.app,
                        key.revoked_at,
                    ],
                )
        except psycopg.errors.UniqueViolation:
            raise StoreError(f"an API key with id {key.id!r} already exists") from None
        except psycopg.Error as exc:
            raise self._failure(exc, f"storing API key {key.id!r}") from None

    async def find_key(self, key_id: str) -> ApiKey | None:
        found = await self._fetch(
            f"SELECT {_KEY_COLUMNS} FROM api_keys WHERE id = %s", [key_id], "a key lookup"
        )
        return rows.key_from_row(found[0]) if found else None

    async def findings_for(self, tenant: str, event_ids: Sequence[str]) -> dict[str, list[Finding]]:
        found: dict[str, list[Finding]] = {}
        ids = list(dict.fromkeys(event_ids))
        sql = (
            f"SELECT {_FINDING_COLUMNS} FROM findings WHERE tenant = %s AND event_id = ANY(%s) "
            "ORDER BY event_id, seq, id"
        )
        for start in range(0, len(ids), _IDS_PER_QUERY):
            chunk = ids[start : start + _IDS_PER_QUERY]
            rows.group_findings(await self._fetch(sql, [tenant, chunk], "a findings lookup"), found)
        return found

    async def query_alerts(self, query: AlertQuery) -> AlertPage:
        sql, params = rows.alert_query_sql(query, columns=_ALERT_COLUMNS, mark="%s")
        found = await self._fetch(sql, params, "an alert query")
        return rows.alert_page(query, found)

    async def get_alert(self, tenant: str, alert_id: str) -> Alert | None:
        found = await self._fetch(
            f"SELECT {_ALERT_COLUMNS} FROM alerts WHERE tenant = %s AND id = %s",
            [tenant, alert_id],
            "an alert lookup",
        )
        if not found:
            return None
        linked = await self._fetch(
            "SELECT event_id FROM alert_events WHERE tenant = %s AND alert_id = %s "
            f"ORDER BY time, event_id LIMIT {MAX_ALERT_EVENTS}",
            [tenant, alert_id],
            "an alert's events",
        )
        return rows.alert_from_row(found[0], [r[0] for r in linked])

    async def hunt(
        self, tenant: str, sql: str, *, limit: int = 1000, timeout_s: float = 30
    ) -> HuntResult:
        limit, timeout_s = hunting.limits(limit, timeout_s)
        wrapped = hunting.prepare(sql, self._hunt_tables, tenant_mark="$1", limit=limit)
        timeout_ms = str(max(1, round(timeout_s * 1000)))
        try:
            async with self._connection() as conn, conn.transaction():
                await conn.execute("SET TRANSACTION READ ONLY")
                await conn.execute(_HUNT_SETTINGS, [timeout_ms, timeout_ms])
                async with psycopg.AsyncRawCursor(conn) as cur:
                    # JSON columns come back as JSON text, as DuckDB's do.
                    cur.adapters.register_loader("json", TextLoader)
                    cur.adapters.register_loader("jsonb", TextLoader)
                    await cur.execute(wrapped, [tenant])
                    columns = [d.name for d in cur.description or []]
                    found = await cur.fetchall()  # at most limit + 1 rows: the SQL says so
                raise psycopg.Rollback()  # read only anyway: leave nothing behind
        except psycopg.errors.QueryCanceled:
            raise hunting.timed_out(timeout_s) from None
        except psycopg.Error as exc:
            if exc.sqlstate is None:
                raise self._failure(exc, "a hunt") from None
            raise hunting.failure(type(exc).__name__, str(exc), sqlstate=exc.sqlstate) from None
        return HuntResult(
            columns=columns,
            rows=[tuple(hunting.jsonable(v) for v in r) for r in found[:limit]],
            truncated=len(found) > limit,
        )
