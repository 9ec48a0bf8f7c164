"""Fixtures for the store contract tests: every engine as a real database.

DuckDB is a real file under ``tmp_path``. PostgreSQL is a real server (``GARRISON_TEST_PG_DSN``,
default ``postgresql://postgres@127.0.0.1:5432/postgres``): the session creates a database named
``garrison_test_<random hex>`` and drops it at the end; each test starts from an empty schema.
Without a reachable server the PostgreSQL cases are skipped, unless ``GARRISON_REQUIRE_PG=1``
makes that a failure (CI, where a missing server is a broken runner, not a reason to pass).
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import duckdb
import psycopg
import pytest
from psycopg import sql

from garrison.store import Store, open_store

T = TypeVar("T")

DEFAULT_PG_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass
class Engine:
    """One storage engine under test: how to open it, and raw SQL that bypasses the store."""

    name: str
    url: str
    data_dir: Path

    def run(self, scenario: Callable[[Store], Awaitable[T]]) -> T:
        """Open a store, run ``scenario`` on it, close it; all in one fresh event loop."""

        async def main() -> T:
            store = open_store(self.url, self.data_dir)
            await store.open()
            try:
                return await scenario(store)
            finally:
                await store.aclose()

        return asyncio.run(main())

    def open_only(self) -> None:
        """Open and close a store (raises what ``open()`` raises)."""

        async def nothing(store: Store) -> None:
            return None

        self.run(nothing)

    def sql(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run SQL directly on the database (while no store holds it open, for DuckDB)."""
        if self.name == "duckdb":
            con = duckdb.connect(self.url.removeprefix("duckdb://"))
            try:
                cur = con.execute(statement, list(params))
                return cur.fetchall() if cur.description else []
            finally:
                con.close()
        with psycopg.connect(self.url, autocommit=True) as conn:
            done = conn.execute(statement.replace("?", "%s").encode(), list(params))
            return done.fetchall() if done.description else []


def _pg_unavailable(reason: str) -> None:
    if os.environ.get("GARRISON_REQUIRE_PG") == "1":
        pytest.fail(f"{reason} (GARRISON_REQUIRE_PG=1)")
    pytest.skip(f"{reason}; set GARRISON_TEST_PG_DSN, or GARRISON_REQUIRE_PG=1 to fail instead")


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test session, as a postgresql:// URL."""
    dsn = os.environ.get("GARRISON_TEST_PG_DSN", DEFAULT_PG_DSN)
    parts = urlsplit(dsn)
    if parts.scheme not in ("postgresql", "postgres"):
        pytest.fail("GARRISON_TEST_PG_DSN must be a postgresql:// URL")
    where = f"{parts.hostname}:{parts.port or 5432}"
    try:
        admin = psycopg.connect(dsn, autocommit=True, connect_timeout=3)
    except psycopg.Error as exc:
        _pg_unavailable(f"PostgreSQL is unreachable at {where} ({type(exc).__name__})")
        raise  # not reached: skip/fail raise
    name = f"garrison_test_{secrets.token_hex(6)}"
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield parts._replace(path=f"/{name}").geturl()
        finally:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture(params=["duckdb", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Engine:
    if request.param == "duckdb":
        return Engine("duckdb", f"duckdb://{tmp_path / 'events.duckdb'}", tmp_path)
    url: str = request.getfixturevalue("pg_url")
    eng = Engine("postgresql", url, tmp_path)
    # The same starting point as a new DuckDB file: no tables, so every test migrates from zero.
    eng.sql("DROP SCHEMA public CASCADE")
    eng.sql("CREATE SCHEMA public")
    return eng
