"""The embedded store: one DuckDB file under the data directory (the default engine).

DuckDB is synchronous and a connection must not be used from several threads at once, so the
store owns one dedicated worker thread: the connection is opened on it and every call runs on it
(``loop.run_in_executor``), one at a time, which also serializes transactions without a lock.
Writes go in as one Arrow table per batch, ``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` in
one explicit transaction, so a batch is all-or-nothing and idempotent on (tenant, id). Findings go
in the same way (a second Arrow table, only for the events the same transaction inserted: the
events insert then says ``RETURNING``); alert deltas (pre-aggregated, one row per alert) and
their event links as two more Arrow tables, an upsert and an insert.

Hunts run on the same thread, in a transaction that is always rolled back, with the search path
pointed away from the real tables and a timer that calls ``interrupt()`` (see ``store.hunt``).

A DuckDB file can be opened by one process only; a second one gets StoreLockedError, which says
what to do (stop the other process, or go through its API).

This module must never touch the connection outside its worker thread, never format a value into
SQL, and never put event content in an error message or a log line (DuckDB's own messages can
quote the values they choke on, so they are not passed on for writes).
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import duckdb

from garrison.errors import ConfigError, ConflictError, StoreError, StoreLockedError
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
)

T = TypeVar("T")

_MEMORY = "duckdb::memory:"
_FILE_PREFIX = "duckdb://"
_BATCH_VIEW = "garrison_write_batch"  # the registered Arrow table; unregistered after each write

_COLUMNS = rows.select_list("epoch_us(time)", "attributes::VARCHAR")
_INSERT = (
    f"INSERT INTO events ({', '.join(rows.INSERT_COLUMNS)}) "
    f"SELECT {', '.join(rows.INSERT_COLUMNS)} FROM {_BATCH_VIEW} "
    "ON CONFLICT (tenant, id) DO NOTHING"
)
_KEY_COLUMNS = rows.key_select_list("epoch_us(created_at)", "epoch_us(revoked_at)")

_FINDINGS_VIEW = "garrison_write_findings"
_INSERT_RETURNING = _INSERT + " RETURNING tenant, id"
_INSERT_FINDINGS = (
    f"INSERT INTO findings ({', '.join(rows.FINDING_COLUMNS)}) "
    f"SELECT {', '.join(rows.FINDING_COLUMNS)} FROM {_FINDINGS_VIEW} "
    "ON CONFLICT (tenant, id) DO NOTHING"
)
_FINDING_COLUMNS = rows.expressions(
    rows.FINDING_READ, jsons=rows.FINDING_JSON, json_format="{}::VARCHAR"
)
_ALERT_COLUMNS = rows.expressions(
    rows.ALERT_COLUMNS,
    times=rows.ALERT_TIMES,
    jsons=rows.ALERT_JSON,
    time_format="epoch_us({})",
    json_format="{}::VARCHAR",
)
# Alerts and their links go in as Arrow tables too: DuckDB's executemany costs milliseconds
# a row (measured: 1,000 links took ~2 s inside a transaction, 7 s outside; as one Arrow
# INSERT, milliseconds).
_ALERTS_VIEW = "garrison_write_alerts"
_LINKS_VIEW = "garrison_write_links"
_ALERT_UPSERT = rows.alert_upsert_sql(source=_ALERTS_VIEW)
_ALERT_LINK = (
    f"INSERT INTO alert_events ({', '.join(rows.LINK_COLUMNS)}) "
    f"SELECT {', '.join(rows.LINK_COLUMNS)} FROM {_LINKS_VIEW} ON CONFLICT DO NOTHING"
)
_LINKED = (
    "SELECT alert_id, event_id FROM alert_events WHERE tenant = ? "
    "AND alert_id IN (SELECT unnest(?::VARCHAR[])) AND event_id IN (SELECT unnest(?::VARCHAR[]))"
)
_EVENT_TIMES = (
    "SELECT id, epoch_us(time) FROM events WHERE tenant = ? AND id IN (SELECT unnest(?::VARCHAR[]))"
)
# During a hunt, unqualified names resolve in the (empty) temporary schema, never in ours.
_HUNT_SEARCH_PATH = "SET search_path = 'temp.main'"
_IDS_PER_QUERY = 1000


def _parse_url(url: str, data_dir: Path) -> Path | None:
    """The database file a store URL names; None for the in-memory database."""
    if url == "duckdb":
        return data_dir / "garrison.duckdb"
    if url == _MEMORY:
        return None
    if url.startswith(_FILE_PREFIX + "/"):
        return Path(url.removeprefix(_FILE_PREFIX))
    raise ConfigError(
        f"store URL {url!r} is not a DuckDB URL: use 'duckdb' (a file in the data directory), "
        "'duckdb:///absolute/path.duckdb', or 'duckdb::memory:' (tests only)",
        field="store",
    )


class DuckDBStore:
    """Events and API keys in one DuckDB database file."""

    name: ClassVar[str] = "duckdb"

    def __init__(self, url: str, data_dir: Path) -> None:
        self._path = _parse_url(url, data_dir)
        self._is_default_path = url == "duckdb"
        self._where = str(self._path) if self._path is not None else ":memory:"
        self._executor: ThreadPoolExecutor | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        # Hunts and back-tests run on a second connection to the same database, on a thread of
        # their own: a 30-second hunt must not hold up the writer (DuckDB's MVCC lets a reader
        # see the last commit while writes go on).
        self._reader: duckdb.DuckDBPyConnection | None = None
        self._read_executor: ThreadPoolExecutor | None = None
        self._schema_version = 0
        self._hunt_tables: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"DuckDBStore({self._where!r})"

    # --- plumbing: everything below runs on the one worker thread ------------------------------

    async def _call(self, fn: Callable[..., T], *args: Any) -> T:
        if self._executor is None or self._con is None:
            raise StoreError("the DuckDB store is not open")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, fn, *args)

    async def _call_read(self, fn: Callable[..., T], *args: Any) -> T:
        if self._read_executor is None or self._reader is None:
            raise StoreError("the DuckDB store is not open")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._read_executor, fn, self._reader, *args)

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise StoreError("the DuckDB store is closed")
        return self._con

    def _connect(self) -> duckdb.DuckDBPyConnection:
        if self._path is None:
            return duckdb.connect(":memory:")
        if self._is_default_path:
            try:
                self._path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the data directory {self._path.parent}: {exc.strerror}"
                ) from None
        try:
            return duckdb.connect(str(self._path))
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreLockedError(
                    f"the DuckDB file {self._path} is in use by another process (a running "
                    "`garrison serve`?); stop it, or go through the server's API",
                    details={"path": str(self._path)},
                ) from None
            raise StoreError(f"cannot open the DuckDB file {self._path}: {exc}") from None
        except duckdb.Error as exc:
            # Opening touches no event content, so DuckDB's reason (a version, a corrupt
            # header, a permission) is safe and useful to pass on.
            raise StoreError(f"cannot open the DuckDB file {self._path}: {exc}") from None

    def _open_sync(self) -> int:
        con = self._connect()
        try:
            version = self._migrate(con)
            catalog = str(_one(con.execute("SELECT current_database()").fetchall()))
        except BaseException:
            con.close()
            raise
        # Fully qualified (catalog.schema.table), so that hunts reach them with any search path.
        self._hunt_tables = {
            name: f"{hunting.quote(catalog)}.main.{name}" for name in hunting.TABLES
        }
        self._reader = con.cursor()
        self._con = con
        return version

    def _migrate(self, con: duckdb.DuckDBPyConnection) -> int:
        """Apply pending migrations in one transaction; the schema version after them."""
        try:
            con.begin()
            try:
                con.execute(migrations.SCHEMA_MIGRATIONS_DUCKDB)
                row = con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations")
                current = int(_one(row.fetchone()))
                todo = migrations.pending(current, where=self._where)
                for migration in todo:
                    con.execute(migration.duckdb)
                    con.execute(
                        "INSERT INTO schema_migrations (version, name, applied_at) "
                        "VALUES (?, ?, current_timestamp)",
                        [migration.version, migration.name],
                    )
                con.commit()
            except BaseException:
                con.rollback()
                raise
        except duckdb.Error as exc:
            raise StoreError(f"cannot migrate the DuckDB file {self._where}: {exc}") from None
        return todo[-1].version if todo else current

    def _close_sync(self) -> None:
        if self._reader is not None:
            reader, self._reader = self._reader, None
            reader.close()
        if self._con is not None:
            con, self._con = self._con, None
            con.close()

    def _write_sync(
        self,
        batch: rows.EventBatch,
        findings: rows.FindingBatch,
        alerts: Sequence[Alert],
        times: Mapping[tuple[str, str], datetime],
        now: datetime,
    ) -> WriteResult:
        con = self._connection()
        try:
            table = rows.to_arrow(batch) if batch.rows else None
        except Exception as exc:  # pyarrow's conversion errors (overflow, wrong type)
            raise StoreError(
                f"a batch of {batch.received} events could not be converted for DuckDB "
                f"({type(exc).__name__}); nothing was written"
            ) from None
        if table is not None:
            con.register(_BATCH_VIEW, table)
        try:
            con.begin()
            try:
                inserted = stored_findings = 0
                if table is not None and findings.rows:
                    new = set(con.execute(_INSERT_RETURNING).fetchall())
                    inserted = len(new)
                    stored_findings = self._write_findings(con, findings, new)
                elif table is not None:
                    inserted = int(_one(con.execute(_INSERT).fetchall()))
                applied = self._write_alerts(con, alerts, times, now) if alerts else 0
                con.commit()
            except BaseException:
                con.rollback()
                raise
        except duckdb.Error as exc:
            # Only the error's class: DuckDB quotes offending values, which may be content.
            raise StoreError(
                f"DuckDB refused a batch of {batch.received} events ({type(exc).__name__}); "
                "nothing was written"
            ) from None
        finally:
            if table is not None:
                con.unregister(_BATCH_VIEW)
        return WriteResult(
            inserted=inserted,
            duplicates=batch.received - inserted,
            findings=stored_findings,
            alerts=applied,
        )

    def _write_findings(
        self,
        con: duckdb.DuckDBPyConnection,
        findings: rows.FindingBatch,
        new: set[tuple[str, str]],
    ) -> int:
        """Findings of the events just inserted (``new``); those of events that were already
        stored are a re-delivery's and are dropped, whatever the detectors said this time."""
        kept = rows.FindingBatch([r for r in findings.rows if (r[1], r[2]) in new])
        if not kept.rows:
            return 0
        try:
            table = rows.findings_to_arrow(kept)
        except Exception as exc:
            raise StoreError(
                f"{len(kept.rows)} findings could not be converted for DuckDB "
                f"({type(exc).__name__}); nothing was written"
            ) from None
        con.register(_FINDINGS_VIEW, table)
        try:
            return int(_one(con.execute(_INSERT_FINDINGS).fetchall()))
        finally:
            con.unregister(_FINDINGS_VIEW)

    def _write_alerts(
        self,
        con: duckdb.DuckDBPyConnection,
        alerts: Sequence[Alert],
        times: Mapping[tuple[str, str], datetime],
        now: datetime,
    ) -> int:
        linked: set[tuple[str, str, str]] = set()
        for tenant, alert_ids, event_ids in rows.alert_link_keys(alerts):
            found = con.execute(_LINKED, [tenant, alert_ids, event_ids]).fetchall()
            linked.update((tenant, alert_id, event_id) for alert_id, event_id in found)
        merged = rows.merge_alert_deltas(alerts, linked)
        if not merged:
            return 0
        known = dict(times)
        missing: dict[str, list[str]] = {}
        for alert in merged:
            for event_id in alert.event_ids:
                if (alert.tenant, event_id) not in known:
                    missing.setdefault(alert.tenant, []).append(event_id)
        for tenant, event_ids in missing.items():
            for event_id, time_us in con.execute(_EVENT_TIMES, [tenant, event_ids]).fetchall():
                known[(tenant, event_id)] = rows.read_time(time_us)
        alert_rows = [rows.alert_row(a, now) for a in merged]
        links = rows.alert_link_rows(merged, known)
        try:
            alerts_table = rows.to_arrow_table(rows.ALERT_COLUMNS, alert_rows, rows.ALERT_TIMES)
            links_table = rows.to_arrow_table(rows.LINK_COLUMNS, links, ("time",))
        except Exception as exc:  # pyarrow's conversion errors (overflow, wrong type)
            raise StoreError(
                f"{len(merged)} alerts could not be converted for DuckDB "
                f"({type(exc).__name__}); nothing was written"
            ) from None
        con.register(_ALERTS_VIEW, alerts_table)
        con.register(_LINKS_VIEW, links_table)
        try:
            con.execute(_ALERT_UPSERT).fetchall()
            con.execute(_ALERT_LINK).fetchall()
        finally:
            con.unregister(_ALERTS_VIEW)
            con.unregister(_LINKS_VIEW)
        return len(merged)

    def _read_only_sync(
        self,
        con: duckdb.DuckDBPyConnection,
        sql: str,
        params: Sequence[Any],
        limit: int,
        timeout_s: float,
        *,
        hunt: bool,
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Run ``sql`` on the reader connection ``con`` in a transaction that is rolled back,
        stopped after ``timeout_s``; a hunt also runs with a search path that holds none of our
        tables (see ``store.hunt``)."""
        guard = threading.Lock()
        state = {"running": True, "fired": False}

        def stop() -> None:
            # Only while the query runs: an interrupt must never reach a later statement.
            with guard:
                if state["running"]:
                    state["fired"] = True
                    con.interrupt()

        timer = threading.Timer(timeout_s, stop)
        timer.daemon = True
        try:
            if hunt:
                con.execute(_HUNT_SEARCH_PATH)
            con.begin()
            try:
                timer.start()
                try:
                    cur = con.execute(sql, list(params))
                    columns = [d[0] for d in cur.description or []]
                    # Only what is wanted is fetched; the rollback drops the rest of the result.
                    found = cur.fetchmany(limit) if limit > 0 else []
                finally:
                    with guard:
                        state["running"] = False
                    timer.cancel()
            finally:
                con.rollback()
        except duckdb.Error as exc:
            if state["fired"]:
                if hunt:
                    raise hunting.timed_out(timeout_s) from None
                raise StoreError(f"a DuckDB query ran past its limit of {timeout_s:g} s") from None
            if hunt:
                raise hunting.failure(type(exc).__name__, str(exc)) from None
            raise StoreError(f"DuckDB query failed ({type(exc).__name__})") from None
        finally:
            if hunt:
                con.execute("RESET search_path")
        return columns, found

    def _fetch_sync(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        try:
            return self._connection().execute(sql, params).fetchall()
        except duckdb.Error as exc:
            raise StoreError(f"DuckDB query failed ({type(exc).__name__})") from None

    def _transact_sync(self, statements: Sequence[Stmt]) -> list[list[tuple[Any, ...]]]:
        con = self._connection()
        results: list[list[tuple[Any, ...]]] = []
        try:
            con.begin()
            try:
                for stmt in statements:
                    found = con.execute(stmt.sql, list(stmt.params)).fetchall()
                    if stmt.fetch:
                        results.append(found)
                        count = len(found)
                    else:
                        results.append([])
                        # DuckDB answers INSERT/UPDATE/DELETE with one row: the rows changed.
                        count = int(found[0][0]) if found and len(found[0]) == 1 else 0
                    if stmt.expect is not None and count != stmt.expect:
                        raise ConflictError(stmt.conflict)
                con.commit()
            except BaseException:
                con.rollback()
                raise
        except duckdb.ConstraintException:
            raise ConflictError("a row with the same key already exists") from None
        except duckdb.Error as exc:
            raise StoreError(f"DuckDB refused a transaction ({type(exc).__name__})") from None
        return results

    def _create_key_sync(self, key: ApiKey) -> None:
        try:
            self._connection().execute(
                "INSERT INTO api_keys "
                "(id, tenant, secret_hash, scopes, created_at, name, app, revoked_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
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
        except duckdb.ConstraintException:
            raise StoreError(f"an API key with id {key.id!r} already exists") from None
        except duckdb.Error as exc:
            raise StoreError(f"cannot store API key {key.id!r} ({type(exc).__name__})") from None

    # --- the Store protocol -------------------------------------------------------------------

    async def open(self) -> None:
        if self._executor is not None:
            return
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="garrison-duckdb")
        loop = asyncio.get_running_loop()
        try:
            self._schema_version = await loop.run_in_executor(executor, self._open_sync)
        except BaseException:
            executor.shutdown(wait=True)
            raise
        self._executor = executor
        self._read_executor = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="garrison-duckdb-read"
        )

    async def aclose(self) -> None:
        executor, self._executor = self._executor, None
        if executor is None:
            return
        reader, self._read_executor = self._read_executor, None
        if reader is not None:
            if self._reader is not None:
                self._reader.interrupt()  # a running hunt stops now, not at its timeout
            reader.shutdown(wait=True)
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(executor, self._close_sync)
        finally:
            executor.shutdown(wait=True)

    async def ping(self) -> StoreInfo:
        rows_ = await self._call(
            self._fetch_sync, "SELECT coalesce(max(version), 0) FROM schema_migrations", []
        )
        return StoreInfo(
            backend=self.name, schema_version=int(rows_[0][0]), detail={"path": self._where}
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
        times: dict[tuple[str, str], datetime] = {}
        if alerts:
            for e in events:
                times.setdefault((e.tenant, e.id), e.time)
        now = datetime.now(UTC)
        return await self._call(self._write_sync, batch, finding_batch, alerts, times, now)

    async def query_events(self, query: EventQuery) -> EventPage:
        sql, params = rows.event_query_sql(query, columns=_COLUMNS, mark="?")
        found = await self._call(self._fetch_sync, sql, params)
        return rows.event_page(query, found)

    async def _events_where(self, column: str, tenant: str, value: str) -> list[Event]:
        # ``column`` is one of two literals chosen below, never a caller's value.
        sql = (
            f"SELECT {_COLUMNS} FROM events WHERE tenant = ? AND {column} = ? "
            f"ORDER BY time, id LIMIT {MAX_TRACE_EVENTS}"
        )
        found = await self._call(self._fetch_sync, sql, [tenant, value])
        return [rows.event_from_row(r) for r in found]

    async def trace_events(self, tenant: str, trace_id: str) -> list[Event]:
        return await self._events_where("trace_id", tenant, trace_id)

    async def session_events(self, tenant: str, session_id: str) -> list[Event]:
        return await self._events_where("session_id", tenant, session_id)

    async def events_by_id(self, tenant: str, event_ids: Sequence[str]) -> list[Event]:
        found: list[Event] = []
        ids = list(dict.fromkeys(event_ids))
        for start in range(0, len(ids), _IDS_PER_QUERY):
            chunk = ids[start : start + _IDS_PER_QUERY]
            sql = (
                f"SELECT {_COLUMNS} FROM events WHERE tenant = ? "
                f"AND id IN ({', '.join('?' * len(chunk))})"
            )
            found.extend(
                rows.event_from_row(r)
                for r in await self._call(self._fetch_sync, sql, [tenant, *chunk])
            )
        return events_sorted(found)

    async def select(
        self, sql: str, params: Sequence[Any], *, limit: int, timeout_s: float = 60
    ) -> list[tuple[Any, ...]]:
        _, found = await self._call_read(
            functools.partial(self._read_only_sync, hunt=False),
            sql,
            params,
            max(0, limit),
            max(0.01, timeout_s),
        )
        return found

    async def transact(self, statements: Sequence[Stmt]) -> list[list[tuple[Any, ...]]]:
        return await self._call(self._transact_sync, list(statements))

    async def count_events(self, tenant: str | None = None) -> int:
        if tenant is None:
            found = await self._call(self._fetch_sync, "SELECT count(*) FROM events", [])
        else:
            found = await self._call(
                self._fetch_sync, "SELECT count(*) FROM events WHERE tenant = ?", [tenant]
            )
        return int(found[0][0])

    async def create_key(self, key: ApiKey) -> None:
        await self._call(self._create_key_sync, key)

    async def findings_for(self, tenant: str, event_ids: Sequence[str]) -> dict[str, list[Finding]]:
        found: dict[str, list[Finding]] = {}
        ids = list(dict.fromkeys(event_ids))
        for start in range(0, len(ids), _IDS_PER_QUERY):
            chunk = ids[start : start + _IDS_PER_QUERY]
            sql = (
                f"SELECT {_FINDING_COLUMNS} FROM findings WHERE tenant = ? "
                f"AND event_id IN ({', '.join('?' * len(chunk))}) ORDER BY event_id, seq, id"
            )
            rows.group_findings(await self._call(self._fetch_sync, sql, [tenant, *chunk]), found)
        return found

    async def query_alerts(self, query: AlertQuery) -> AlertPage:
        sql, params = rows.alert_query_sql(query, columns=_ALERT_COLUMNS, mark="?")
        found = await self._call(self._fetch_sync, sql, params)
        return rows.alert_page(query, found)

    async def get_alert(self, tenant: str, alert_id: str) -> Alert | None:
        found = await self._call(
            self._fetch_sync,
            f"SELECT {_ALERT_COLUMNS} FROM alerts WHERE tenant = ? AND id = ?",
            [tenant, alert_id],
        )
        if not found:
            return None
        linked = await self._call(
            self._fetch_sync,
            "SELECT event_id FROM alert_events WHERE tenant = ? AND alert_id = ? "
            f"ORDER BY time, event_id LIMIT {MAX_ALERT_EVENTS}",
            [tenant, alert_id],
        )
        return rows.alert_from_row(found[0], [r[0] for r in linked])

    async def hunt(
        self, tenant: str, sql: str, *, limit: int = 1000, timeout_s: float = 30
    ) -> HuntResult:
        limit, timeout_s = hunting.limits(limit, timeout_s)
        wrapped = hunting.prepare(sql, self._hunt_tables, tenant_mark="$1", limit=limit)
        columns, found = await self._call_read(
            functools.partial(self._read_only_sync, hunt=True),
            wrapped,
            [tenant],
            limit + 1,
            timeout_s,
        )
        return HuntResult(
            columns=columns,
            rows=[tuple(hunting.jsonable(v) for v in r) for r in found[:limit]],
            truncated=len(found) > limit,
        )

    async def find_key(self, key_id: str) -> ApiKey | None:
        found = await self._call(
            self._fetch_sync, f"SELECT {_KEY_COLUMNS} FROM api_keys WHERE id = ?", [key_id]
        )
        return rows.key_from_row(found[0]) if found else None


def _one(found: tuple[Any, ...] | list[tuple[Any, ...]] | None) -> Any:
    """The first value of a ``fetchone()`` row, or of the first ``fetchall()`` row (which also
    finishes the result: DuckDB refuses ``register`` while a result is unfinished)."""
    row = found[0] if isinstance(found, list) and found else found
    if not isinstance(row, tuple):
        raise StoreError("DuckDB returned no row where one was expected")
    return row[0]
