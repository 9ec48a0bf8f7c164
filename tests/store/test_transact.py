"""``Store.transact``: portable SQL in one transaction on both engines — all-or-nothing, row-count
expectations for optimistic concurrency, key collisions and deadlocks as ConflictError."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from garrison.errors import ConflictError, StoreError
from garrison.store import Store
from garrison.store.base import Stmt, pyformat

from .conftest import Engine

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
INSERT = (
    "INSERT INTO guard_blocks (id, tenant, kind, value, action, reason, created_by, created_at, "
    "detail) VALUES (?, ?, 'principal', ?, 'block', ?, 'test', ?, '{}')"
)


def block(block_id: str, value: str, reason: str = "r", tenant: str = "acme") -> Stmt:
    return Stmt(INSERT, (block_id, tenant, value, reason, NOW))


def rows(sql: str, *params: object) -> Stmt:
    return Stmt(sql, params, fetch=True)


def test_placeholders_outside_literals_only() -> None:
    assert pyformat("SELECT '?', \"a?\", ? WHERE x LIKE '50%' AND y = ?") == (
        "SELECT '?', \"a?\", %s WHERE x LIKE '50%%' AND y = %s"
    )
    assert pyformat("SELECT 10 % 3, ?") == "SELECT 10 %% 3, %s"


def test_fetch_expect_and_literals(engine: Engine) -> None:
    async def scenario(store: Store) -> None:
        out = await store.transact(
            [
                block("b1", "bob?"),
                block("b2", "100% alice"),
                rows(
                    "SELECT id, value, '?' AS q FROM guard_blocks WHERE tenant = ? "
                    "AND value LIKE '%\\%%' ESCAPE '\\' ORDER BY id",
                    "acme",
                ),
                Stmt(
                    "UPDATE guard_blocks SET reason = ? WHERE tenant = ? AND id = ?",
                    ("changed", "acme", "b1"),
                    expect=1,
                ),
            ]
        )
        assert out[:2] == [[], []]
        assert out[2] == [("b2", "100% alice", "?")]
        (reasons,) = await store.transact(
            [rows("SELECT id, reason FROM guard_blocks WHERE tenant = ? ORDER BY id", "acme")]
        )
        assert reasons == [("b1", "changed"), ("b2", "r")]

    engine.run(scenario)


def test_a_failed_expectation_rolls_everything_back(engine: Engine) -> None:
    async def scenario(store: Store) -> None:
        await store.transact([block("b1", "bob")])
        stale = Stmt(
            "UPDATE guard_blocks SET reason = ? WHERE tenant = ? AND id = ? AND reason = ?",
            ("x", "acme", "b1", "not what is stored"),
            expect=1,
            conflict="block b1 changed since it was read",
        )
        with pytest.raises(ConflictError, match="block b1 changed since it was read"):
            await store.transact([block("b2", "carol"), stale])
        (left,) = await store.transact([rows("SELECT id FROM guard_blocks ORDER BY id")])
        assert left == [("b1",)]

    engine.run(scenario)


def test_duplicate_keys_conflict_and_bad_sql_is_a_store_error(engine: Engine) -> None:
    async def scenario(store: Store) -> None:
        await store.transact([block("b1", "bob")])
        with pytest.raises(ConflictError):
            await store.transact([block("b2", "carol"), block("b1", "again")])
        with pytest.raises(StoreError) as bad:
            await store.transact([block("b3", "dave"), Stmt("SELEC nonsense ?", ("secret",))])
        assert "secret" not in bad.value.message
        (left,) = await store.transact([rows("SELECT id FROM guard_blocks ORDER BY id")])
        assert left == [("b1",)]

    engine.run(scenario)


@pytest.mark.postgres
def test_a_postgres_deadlock_is_a_conflict_to_retry(pg_url: str, tmp_path: object) -> None:
    """Two transactions that lock the same rows in opposite order: PostgreSQL aborts one; it
    surfaces as ConflictError (retry), like a lost optimistic-concurrency race, and the other
    commits."""
    from pathlib import Path

    eng = Engine("postgresql", pg_url, Path(str(tmp_path)))
    eng.sql("DROP SCHEMA public CASCADE")
    eng.sql("CREATE SCHEMA public")

    def touch(first: str, second: str) -> list[Stmt]:
        update = "UPDATE guard_blocks SET reason = ? WHERE tenant = 'acme' AND id = ?"
        return [
            Stmt(update, (f"by {first}", first), expect=1),
            rows("SELECT pg_sleep(0.5)"),
            Stmt(update, (f"by {first}", second), expect=1),
        ]

    async def scenario(store: Store) -> None:
        await store.transact([block("b1", "bob"), block("b2", "carol")])
        results = await asyncio.gather(
            store.transact(touch("b1", "b2")),
            store.transact(touch("b2", "b1")),
            return_exceptions=True,
        )
        failed = [r for r in results if isinstance(r, BaseException)]
        assert len(failed) == 1 and isinstance(failed[0], ConflictError), results

    eng.run(scenario)
