"""The embedded store: one DuckDB file under the data directory (the default engine).

DuckDB is synchronous and a connection must not be used from several threads at once, so the
store owns one dedicated worker thread: the connection is opened on it and every call runs on it
(``loop.run_in_executor``), one at a time, which also serializes transactions without a lock.
Writes go in as one Arrow table per batch, ``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` in
one explicit transaction, so a batch is all-or-nothing and idempotent on (tenant, id).

A DuckDB file can be opened by one process only; a second one gets StoreLockedError, which says
what to do (stop the other process, or go through its API).

This module must never touch the connection outside its worker thread, never format a value into
SQL, and never put event content in an error message or a log line (DuckDB's own messages can
quote the values they choke on, so they are not passed on for writes).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import duckdb

from garrison.errors import ConfigError, StoreError, StoreLockedError
from garrison.model import Event
from garrison.store import migrations, rows
from garrison.store.base import (
    MAX_TRACE_EVENTS,
    ApiKey,
    EventPage,
    EventQuery,
    StoreInfo,
    WriteResult,
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
        self._schema_version = 0

    def __repr__(self) -> str:
        return f"DuckDBStore({self._where!r})"

    # --- plumbing: everything below runs on the one worker thread ------------------------------

    async def _call(self, fn: Callable[..., T], *args: Any) -> T:
        if self._executor is None or self._con is None:
            raise StoreError("the DuckDB store is not open")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, fn, *args)

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
        except BaseException:
            con.close()
            raise
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
        if self._con is not None:
            con, self._con = self._con, None
            con.close()

    def _write_sync(self, batch: rows.EventBatch) -> int:
        con = self._connection()
        try:
            table = rows.to_arrow(batch)
        except Exception as exc:  # pyarrow's conversion errors (overflow, wrong type)
            raise StoreError(
                f"a batch of {batch.received} events could not be converted for DuckDB "
                f"({type(exc).__name__}); nothing was written"
            ) from None
        con.register(_BATCH_VIEW, table)
        try:
            con.begin()
            try:
                inserted = int(_one(con.execute(_INSERT).fetchone()))
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
            con.unregister(_BATCH_VIEW)
        return inserted

    def _fetch_sync(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        try:
            return self._connection().execute(sql, params).fetchall()
        except duckdb.Error as exc:
            raise StoreError(f"DuckDB query failed ({type(exc).__name__})") from None

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

    async def aclose(self) -> None:
        executor, self._executor = self._executor, None
        if executor is None:
            return
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

    async def write_events(self, events: Sequence[Event]) -> WriteResult:
        if not events:
            return WriteResult(inserted=0, duplicates=0)
        batch = rows.prepare_batch(events)
        inserted = await self._call(self._write_sync, batch)
        return WriteResult(inserted=inserted, duplicates=len(events) - inserted)

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

    async def find_key(self, key_id: str) -> ApiKey | None:
        found = await self._call(
            self._fetch_sync, f"SELECT {_KEY_COLUMNS} FROM api_keys WHERE id = ?", [key_id]
        )
        return rows.key_from_row(found[0]) if found else None


def _one(row: tuple[Any, ...] | None) -> Any:
    if row is None:
        raise StoreError("DuckDB returned no row where one was expected")
    return row[0]
