"""The Store contract: every registered engine must pass every test here, on a real database.

Tests are plain synchronous pytest functions; each runs its async scenario on a store opened in a
fresh event loop (``Engine.run``).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import random
import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from garrison.errors import ConfigError, PluginError, StoreError, StoreLockedError
from garrison.model import Channel, Event, EventKind, Source, ToolCall, Usage, uuid7
from garrison.store import (
    MAX_PAGE,
    MAX_TRACE_EVENTS,
    ApiKey,
    Cursor,
    EventQuery,
    Store,
    WriteResult,
    migrations,
    open_store,
    rows,
)
from garrison.store.duckdb import DuckDBStore
from garrison.store.postgres import PostgresStore

from .conftest import Engine

BASE = datetime(2025, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)
TRACE_A = "a" * 32
TRACE_B = "b" * 32


def make_event(tenant: str = "acme", *, offset_ms: int = 0, **fields: Any) -> Event:
    time = fields.pop("time", BASE + timedelta(milliseconds=offset_ms))
    fields.setdefault("id", uuid7(int(time.timestamp() * 1000)))
    fields.setdefault("app", "chat")
    fields.setdefault("kind", EventKind.PROMPT)
    fields.setdefault("source", Source.API)
    return Event(time=time, tenant=tenant, **fields)


def dicts(events: list[Event]) -> list[dict[str, Any]]:
    return [e.to_dict() for e in events]


def in_order(events: list[Event], *, descending: bool = False) -> list[Event]:
    return sorted(events, key=lambda e: (e.time, e.id), reverse=descending)


async def read_all(store: Store, query: EventQuery) -> tuple[list[Event], int]:
    """Every event a query matches, page by page; and how many pages that took."""
    found: list[Event] = []
    pages = 0
    cursor: Cursor | None = None
    while True:
        page = await store.query_events(dataclasses.replace(query, cursor=cursor))
        pages += 1
        assert len(page.events) <= max(1, min(query.limit, MAX_PAGE))
        found.extend(page.events)
        if page.next_cursor is None:
            return found, pages
        cursor = Cursor.decode(page.next_cursor)
        assert pages < 10_000, "pagination does not end"


# --- round trip ---------------------------------------------------------------------------------


def varied_events() -> list[Event]:
    plus_five_thirty = timezone(timedelta(hours=5, minutes=30))
    return [
        make_event(
            offset_ms=1,
            kind=EventKind.TOOL_CALL,
            source=Source.OTLP,
            trace_id=TRACE_A,
            span_id="1" * 16,
            parent_span_id="2" * 16,
            session_id="sess-ü",
            principal="alice@example.com",
            agent="planner",
            provider="openai",
            model="gpt-4o",
            operation="chat",
            role="assistant",
            channel=Channel.ASSISTANT,
            content="Ünïcødé 😀 中文 עברית \u202eevil\u202c \u200b zero-width, 'quotes' \"and\" \\",
            tool=ToolCall(name="send_email", call_id="call_1", arguments='{"to": "x@y.z"}'),
            usage=Usage(input_tokens=12, output_tokens=2**63 - 1),
            latency_ms=12.345678,
            attributes={
                "gen_ai.request.temperature": 0.2,
                "nested": {"list": [1, 2.5, None, True, False, "x", {"deep": ["😀"]}]},
                "empty_obj": {},
                "empty_list": [],
                "ключ": "значение",
                "big": 2**53 + 1,
            },
        ),
        # Nothing optional at all.
        make_event(offset_ms=2, kind=EventKind.COMPLETION, source=Source.GATEWAY),
        # One megabyte of content, multi-byte characters included.
        make_event(offset_ms=3, content=("abc😀é" * 200_000)[:1_000_000], session_id="big"),
        # Partial tool and usage objects survive as objects; zeros are not nulls.
        make_event(
            offset_ms=4,
            kind=EventKind.TOOL_RESULT,
            channel=Channel.TOOL,
            tool=ToolCall(call_id="call_1"),
            usage=Usage(output_tokens=0),
            latency_ms=0.0,
            content="",
        ),
        make_event(offset_ms=5, tool=ToolCall(arguments="not json at all {"), usage=Usage(0, 7)),
        # A non-UTC offset and a time far from the others; read back as the same instant in UTC.
        make_event(
            time=datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=plus_five_thirty),
            kind=EventKind.RETRIEVAL,
            channel=Channel.RETRIEVAL,
            source=Source.IMPORT,
        ),
        *[
            make_event(offset_ms=10 + i, kind=kind, source=Source.SDK)
            for i, kind in enumerate(EventKind)
        ],
    ]


def test_events_read_back_equal_to_what_was_written(engine: Engine) -> None:
    events = varied_events()

    async def scenario(store: Store) -> None:
        assert await store.write_events(events) == WriteResult(inserted=len(events), duplicates=0)
        found, _ = await read_all(store, EventQuery(tenant="acme", limit=MAX_PAGE))
        assert dicts(found) == dicts(in_order(events))
        assert found == in_order(events)  # dataclass equality too: enums, tool, usage objects
        for event in found:
            assert event.time.utcoffset() == timedelta(0)
        assert dicts(await store.trace_events("acme", TRACE_A)) == dicts([events[0]])
        assert dicts(await store.session_events("acme", "big")) == dicts([events[2]])

    engine.run(scenario)


def test_text_no_engine_can_hold_is_replaced_not_fatal(engine: Engine) -> None:
    """NUL and lone surrogates become U+FFFD in every engine; the rest of the batch is kept."""
    dirty = make_event(
        offset_ms=1,
        content="before\x00after \ud800 pair:\ud83d\ude00",
        session_id="s\x00",
        tool=ToolCall(arguments='{"a": "\x00"}'),
        attributes={"k\x00": "v\x00", "lone": "\udfff", "escaped": "\\u0000 stays text"},
    )
    clean = make_event(offset_ms=2, content="fine")

    async def scenario(store: Store) -> None:
        assert (await store.write_events([dirty, clean])).inserted == 2
        found, _ = await read_all(store, EventQuery(tenant="acme"))
        assert found[1] == clean
        got = found[0]
        assert got.content == "before\ufffdafter \ufffd pair:😀"
        assert got.session_id == "s\ufffd"
        assert got.tool == ToolCall(arguments='{"a": "\ufffd"}')
        assert got.attributes == {
            "k\ufffd": "v\ufffd",
            "lone": "\ufffd",
            "escaped": "\\u0000 stays text",
        }

    engine.run(scenario)


def test_empty_write_does_nothing(engine: Engine) -> None:
    async def scenario(store: Store) -> None:
        assert await store.write_events([]) == WriteResult(inserted=0, duplicates=0)
        assert await store.count_events() == 0

    engine.run(scenario)


# --- idempotency and atomicity --------------------------------------------------------------------


def test_writes_are_idempotent_on_tenant_and_id(engine: Engine) -> None:
    batch = [make_event(offset_ms=i, content=f"e{i}") for i in range(10)]
    again = dataclasses.replace(batch[0], content="second copy, ignored")
    other_tenant = dataclasses.replace(batch[0], tenant="globex", content="same id, other tenant")
    fresh = make_event(offset_ms=50)

    async def scenario(store: Store) -> None:
        assert await store.write_events(batch) == WriteResult(inserted=10, duplicates=0)
        # The same batch again (an exporter retry): nothing new.
        assert await store.write_events(batch) == WriteResult(inserted=0, duplicates=10)
        # Duplicates inside one batch, plus one already stored, plus one new.
        b, c = make_event(offset_ms=20), make_event(offset_ms=21)
        assert await store.write_events([b, c, b, batch[3], c, b]) == WriteResult(2, 4)
        # What is stored first stays: a later write of the same (tenant, id) changes nothing.
        assert await store.write_events([again, other_tenant, fresh]) == WriteResult(2, 1)
        assert await store.count_events("acme") == 13
        assert await store.count_events("globex") == 1
        assert await store.count_events() == 14
        found, _ = await read_all(store, EventQuery(tenant="acme"))
        assert found[0].content == "e0"
        (theirs,) = (await store.query_events(EventQuery(tenant="globex"))).events
        assert theirs == other_tenant

    engine.run(scenario)


def test_first_copy_within_a_batch_wins(engine: Engine) -> None:
    event = make_event(content="first")

    async def scenario(store: Store) -> None:
        result = await store.write_events([event, dataclasses.replace(event, content="second")])
        assert result == WriteResult(inserted=1, duplicates=1)
        assert (await store.query_events(EventQuery(tenant="acme"))).events == [event]

    engine.run(scenario)


POISON = "SECRET-PROMPT-CONTENT-7f3a"


def test_a_failing_batch_writes_nothing(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """All-or-nothing, with the failure inside the database, part-way through the batch.

    How the failure is forced: the JSON serializer is patched so that one event in the middle of
    the batch (row 60 of 106) carries attributes that are not JSON. The engine accepts the batch
    (Arrow table / COPY into the temporary table) and the database itself rejects that row while
    inserting into ``events`` (DuckDB's JSON cast, PostgreSQL's jsonb cast), after the rows
    before it were already processed by the same statement.
    """
    stored = [make_event(offset_ms=i) for i in range(5)]
    new = [make_event(offset_ms=100 + i, content=f"{POISON} {i}") for i in range(100)]
    poisoned = make_event(offset_ms=99, content=POISON, attributes={"poison": True})
    batch = [*new[:55], *stored, poisoned, *new[55:]]
    real = rows.attributes_json

    def broken_json(event: Event) -> str:
        return "{not json: " + POISON if event.attributes.get("poison") else real(event)

    async def scenario(store: Store) -> None:
        assert (await store.write_events(stored)).inserted == 5
        monkeypatch.setattr(rows, "attributes_json", broken_json)
        with pytest.raises(StoreError) as failure:
            await store.write_events(batch)
        monkeypatch.undo()
        assert POISON not in str(failure.value)
        assert POISON not in json.dumps(failure.value.to_dict())
        assert failure.value.__cause__ is None  # no chained driver error quoting the row
        assert await store.count_events() == 5
        # The store is still usable: the failed transaction left nothing behind.
        assert await store.write_events(batch) == WriteResult(inserted=101, duplicates=5)

    engine.run(scenario)


def test_a_value_the_schema_cannot_hold_fails_the_batch_cleanly(engine: Engine) -> None:
    batch = [make_event(offset_ms=i) for i in range(10)]
    batch.insert(5, make_event(offset_ms=99, usage=Usage(input_tokens=2**64), content=POISON))

    async def scenario(store: Store) -> None:
        with pytest.raises(StoreError) as failure:
            await store.write_events(batch)
        assert POISON not in str(failure.value)
        assert await store.count_events() == 0

    engine.run(scenario)


def test_concurrent_calls_are_serialized_safely(engine: Engine) -> None:
    batches = [[make_event(offset_ms=k * 100 + i) for i in range(50)] for k in range(8)]

    async def scenario(store: Store) -> None:
        reads = [store.query_events(EventQuery(tenant="acme")) for _ in range(8)]
        written, _ = await asyncio.gather(
            asyncio.gather(*(store.write_events(b) for b in batches)), asyncio.gather(*reads)
        )
        assert [r.inserted for r in written] == [50] * 8
        assert await store.count_events() == 400

    engine.run(scenario)


# --- queries -----------------------------------------------------------------------------------


def query_dataset() -> list[Event]:
    """Two tenants with mirrored data; many equal timestamps so the id tie-break matters."""
    rnd = random.Random(7)
    kinds = [EventKind.PROMPT, EventKind.COMPLETION, EventKind.TOOL_CALL, EventKind.RETRIEVAL]
    events = []
    for tenant in ("acme", "globex"):
        for i in range(60):
            events.append(
                make_event(
                    tenant,
                    offset_ms=(i // 3) * 10,
                    id=uuid7(1_700_000_000_000 + rnd.randrange(1000)),
                    app=("chat", "rag")[i % 2],
                    session_id=("s1", "s2", None)[i % 3],
                    trace_id=(TRACE_A, TRACE_B, None, None)[i % 4],
                    principal=("alice", "bob", None, "carol", "alice")[i % 5],
                    kind=kinds[i % 4],
                    content=f"{tenant} {i}",
                )
            )
    return events


AT = BASE + timedelta(milliseconds=50)  # the time of events 15..17 of each tenant
LATER = BASE + timedelta(milliseconds=120)

FILTERS: list[tuple[str, dict[str, Any], Callable[[Event], bool]]] = [
    ("everything", {}, lambda e: True),
    ("since is inclusive", {"since": AT}, lambda e: e.time >= AT),
    ("until is exclusive", {"until": AT}, lambda e: e.time < AT),
    ("since and until", {"since": AT, "until": LATER}, lambda e: AT <= e.time < LATER),
    (
        "since in another zone",
        {"since": AT.astimezone(timezone(timedelta(hours=-7)))},
        lambda e: e.time >= AT,
    ),
    ("app", {"app": "rag"}, lambda e: e.app == "rag"),
    ("session", {"session_id": "s2"}, lambda e: e.session_id == "s2"),
    ("trace", {"trace_id": TRACE_B}, lambda e: e.trace_id == TRACE_B),
    ("principal", {"principal": "alice"}, lambda e: e.principal == "alice"),
    ("one kind", {"kinds": (EventKind.TOOL_CALL,)}, lambda e: e.kind is EventKind.TOOL_CALL),
    (
        "two kinds",
        {"kinds": (EventKind.PROMPT, EventKind.RETRIEVAL)},
        lambda e: e.kind in (EventKind.PROMPT, EventKind.RETRIEVAL),
    ),
    (
        "everything at once",
        {"app": "chat", "principal": "alice", "kinds": (EventKind.PROMPT,), "since": AT},
        lambda e: (
            e.app == "chat"
            and e.principal == "alice"
            and e.kind is EventKind.PROMPT
            and e.time >= AT
        ),
    ),
    ("nothing matches", {"app": "no-such-app"}, lambda e: False),
]


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize(("name", "filters", "keep"), FILTERS, ids=[f[0] for f in FILTERS])
def test_every_filter(
    engine: Engine,
    name: str,
    filters: dict[str, Any],
    keep: Callable[[Event], bool],
    descending: bool,
) -> None:
    events = query_dataset()
    expected = in_order(
        [e for e in events if e.tenant == "acme" and keep(e)], descending=descending
    )
    assert expected or name == "nothing matches"

    async def scenario(store: Store) -> None:
        await store.write_events(events)
        query = EventQuery(tenant="acme", limit=MAX_PAGE, descending=descending, **filters)
        page = await store.query_events(query)
        assert page.next_cursor is None
        assert dicts(page.events) == dicts(expected)
        # The same through small pages.
        paged, _ = await read_all(store, dataclasses.replace(query, limit=4))
        assert dicts(paged) == dicts(expected)

    engine.run(scenario)


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
def test_cursor_pages_have_no_gaps_or_repeats(engine: Engine, descending: bool) -> None:
    events = [make_event(offset_ms=i // 4, app=("chat", "rag")[i % 3 == 0]) for i in range(53)]
    rnd = random.Random(3)
    shuffled = events[:]
    rnd.shuffle(shuffled)

    async def scenario(store: Store) -> None:
        for start in range(0, len(shuffled), 10):  # written out of order, in several batches
            await store.write_events(shuffled[start : start + 10])
        found, pages = await read_all(store, EventQuery("acme", limit=7, descending=descending))
        assert pages == 8
        assert [e.id for e in found] == [e.id for e in in_order(events, descending=descending)]
        # A filter and a time window combined with the cursor.
        query = EventQuery("acme", app="chat", since=BASE + timedelta(milliseconds=2), limit=3)
        want = [e for e in events if e.app == "chat" and e.time >= query.since]  # type: ignore[operator]
        found, pages = await read_all(store, dataclasses.replace(query, descending=descending))
        assert [e.id for e in found] == [e.id for e in in_order(want, descending=descending)]
        assert pages > 3

    engine.run(scenario)


def test_a_full_last_page_has_no_cursor(engine: Engine) -> None:
    events = [make_event(offset_ms=i) for i in range(21)]

    async def scenario(store: Store) -> None:
        await store.write_events(events)
        found, pages = await read_all(store, EventQuery("acme", limit=7))
        assert pages == 3
        assert len(found) == 21

    engine.run(scenario)


def test_limit_is_clamped_to_max_page(engine: Engine) -> None:
    events = [make_event(offset_ms=i) for i in range(MAX_PAGE + 5)]

    async def scenario(store: Store) -> None:
        await store.write_events(events)
        page = await store.query_events(EventQuery("acme", limit=10 * MAX_PAGE))
        assert len(page.events) == MAX_PAGE
        assert page.next_cursor is not None
        rest = await store.query_events(
            EventQuery("acme", limit=10 * MAX_PAGE, cursor=Cursor.decode(page.next_cursor))
        )
        assert len(rest.events) == 5
        assert rest.next_cursor is None
        assert len((await store.query_events(EventQuery("acme", limit=0))).events) == 1

    engine.run(scenario)


def test_tenants_never_see_each_other(engine: Engine) -> None:
    events = query_dataset()

    async def scenario(store: Store) -> None:
        await store.write_events(events)
        for tenant in ("acme", "globex"):
            mine = in_order([e for e in events if e.tenant == tenant])
            found, _ = await read_all(store, EventQuery(tenant, limit=9))
            assert dicts(found) == dicts(mine)
            trace = await store.trace_events(tenant, TRACE_A)
            assert trace and {e.tenant for e in trace} == {tenant}
            session = await store.session_events(tenant, "s1")
            assert session and {e.tenant for e in session} == {tenant}
            assert await store.count_events(tenant) == 60
        # A cursor is only a position: taken from one tenant's page, it shows nothing of theirs.
        page = await store.query_events(EventQuery("acme", limit=5))
        assert page.next_cursor is not None
        other = await store.query_events(
            EventQuery("globex", limit=MAX_PAGE, cursor=Cursor.decode(page.next_cursor))
        )
        assert {e.tenant for e in other.events} == {"globex"}
        assert await store.query_events(EventQuery("initech")) == type(page)([], None)
        assert await store.trace_events("initech", TRACE_A) == []
        assert await store.session_events("initech", "s1") == []
        assert await store.count_events("initech") == 0
        assert await store.count_events() == 120

    engine.run(scenario)


def test_trace_and_session_are_in_time_then_id_order(engine: Engine) -> None:
    events = [
        make_event(offset_ms=i // 3, trace_id=TRACE_A, session_id="s", id=uuid7(1_000 + i % 7))
        for i in range(40)
    ]
    noise = [make_event(offset_ms=i, trace_id=TRACE_B, session_id="t") for i in range(5)]
    shuffled = events + noise
    random.Random(5).shuffle(shuffled)

    async def scenario(store: Store) -> None:
        for start in range(0, len(shuffled), 9):
            await store.write_events(shuffled[start : start + 9])
        assert dicts(await store.trace_events("acme", TRACE_A)) == dicts(in_order(events))
        assert dicts(await store.session_events("acme", "s")) == dicts(in_order(events))

    engine.run(scenario)


def test_trace_is_capped(engine: Engine) -> None:
    events = [make_event(offset_ms=i, trace_id=TRACE_A) for i in range(MAX_TRACE_EVENTS + 3)]

    async def scenario(store: Store) -> None:
        await store.write_events(events)
        trace = await store.trace_events("acme", TRACE_A)
        assert [e.id for e in trace] == [e.id for e in in_order(events)[:MAX_TRACE_EVENTS]]

    engine.run(scenario)


# --- API keys ----------------------------------------------------------------------------------


def test_api_keys_round_trip(engine: Engine) -> None:
    full = ApiKey(
        id="gk_live_1",
        tenant="acme",
        secret_hash="sha256$abc",
        scopes=frozenset({"read", "ingest", "admin"}),
        created_at=datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=timezone(timedelta(hours=2))),
        name="ci ingest",
        app="chat",
        revoked_at=datetime(2025, 2, 1, tzinfo=UTC),
    )
    bare = ApiKey(
        id="gk_live_2",
        tenant="globex",
        secret_hash="sha256$def",
        scopes=frozenset(),
        created_at=BASE,
    )

    async def scenario(store: Store) -> None:
        await store.create_key(full)
        await store.create_key(bare)
        assert await store.find_key("gk_live_1") == full
        assert await store.find_key("gk_live_2") == bare
        assert await store.find_key("gk_live_3") is None
        found = await store.find_key("gk_live_1")
        assert found is not None and found.created_at.utcoffset() == timedelta(0)
        with pytest.raises(StoreError, match="already exists"):
            await store.create_key(dataclasses.replace(bare, tenant="acme"))
        assert await store.find_key("gk_live_2") == bare

    engine.run(scenario)


# --- migrations --------------------------------------------------------------------------------


def test_migrations_apply_once_and_report_the_version(engine: Engine) -> None:
    event = make_event()

    async def first(store: Store) -> None:
        info = await store.ping()
        assert (info.backend, info.schema_version) == (engine.name, migrations.LATEST)
        await store.write_events([event])

    engine.run(first)
    history = "SELECT version, name, CAST(applied_at AS VARCHAR) FROM schema_migrations ORDER BY 1"
    applied = engine.sql(history)
    assert [(v, n) for v, n, _ in applied] == [(m.version, m.name) for m in migrations.MIGRATIONS]

    async def second(store: Store) -> None:
        assert (await store.ping()).schema_version == migrations.LATEST
        assert (await store.query_events(EventQuery("acme"))).events == [event]

    engine.run(second)
    assert engine.sql(history) == applied


def test_a_newer_schema_is_refused(engine: Engine) -> None:
    engine.open_only()
    future = migrations.LATEST + 1
    engine.sql(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
        [future, "from the future", BASE],
    )
    with pytest.raises(StoreError, match="newer than this Garrison knows") as refused:
        engine.open_only()
    assert refused.value.details == {"schema_version": future, "supported": migrations.LATEST}
    # Refusing touched nothing.
    assert engine.sql("SELECT max(version) FROM schema_migrations") == [(future,)]


def test_a_failing_migration_applies_nothing(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine.open_only()
    broken = migrations.Migration(
        migrations.LATEST + 1,
        "half done",
        duckdb="CREATE TABLE half_done (a INTEGER); SELECT no_such_column FROM half_done",
        postgres="CREATE TABLE half_done (a integer); SELECT no_such_column FROM half_done",
    )
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, broken))
    monkeypatch.setattr(migrations, "LATEST", broken.version)
    with pytest.raises(StoreError, match="cannot migrate"):
        engine.open_only()
    monkeypatch.undo()
    assert engine.sql("SELECT max(version) FROM schema_migrations") == [(migrations.LATEST,)]
    with pytest.raises(Exception, match="half_done"):
        engine.sql("SELECT count(*) FROM half_done")


def test_migration_history_is_contiguous() -> None:
    assert [m.version for m in migrations.MIGRATIONS] == list(
        range(1, len(migrations.MIGRATIONS) + 1)
    )
    assert migrations.pending(0, where="x") == list(migrations.MIGRATIONS)
    assert migrations.pending(migrations.LATEST, where="x") == []


# --- engine selection and engine-specific behaviour ---------------------------------------------


@pytest.mark.parametrize(
    ("url", "engine_class"),
    [
        ("duckdb", DuckDBStore),
        ("duckdb::memory:", DuckDBStore),
        ("duckdb:///tmp/x.duckdb", DuckDBStore),
        ("postgresql://u@db.internal:5432/garrison", PostgresStore),
        ("postgres://u@db.internal/garrison", PostgresStore),
    ],
)
def test_open_store_picks_the_engine_by_scheme(
    url: str, engine_class: type, tmp_path: Path
) -> None:
    store = open_store(url, tmp_path)
    assert type(store) is engine_class
    assert isinstance(store, Store)


def test_open_store_lists_the_engines_it_knows(tmp_path: Path) -> None:
    with pytest.raises(PluginError) as unknown:
        open_store("mysql://u@h/db", tmp_path)
    assert "duckdb" in unknown.value.message
    assert "postgresql" in unknown.value.message


@pytest.mark.parametrize("url", ["duckdb://relative.duckdb", "duckdb:/x", "duckdb:memory"])
def test_bad_duckdb_urls_fail_at_start_up(url: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        open_store(url, tmp_path)


def test_duckdb_default_url_creates_the_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "not" / "yet"
    store = Engine("duckdb", "duckdb", data_dir)
    assert store.run(lambda s: s.write_events([make_event()])) == WriteResult(1, 0)
    assert (data_dir / "garrison.duckdb").is_file()


def test_duckdb_in_memory(tmp_path: Path) -> None:
    async def scenario(store: Store) -> int:
        await store.write_events([make_event()])
        return await store.count_events()

    assert Engine("duckdb", "duckdb::memory:", tmp_path).run(scenario) == 1
    assert list(tmp_path.iterdir()) == []


def test_duckdb_file_held_by_another_process_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "held.duckdb"
    second_opener = textwrap.dedent(
        """
        import asyncio, json, sys
        from pathlib import Path
        from garrison.errors import GarrisonError
        from garrison.store import open_store

        async def main():
            store = open_store(sys.argv[1], Path(sys.argv[2]))
            try:
                await store.open()
            except GarrisonError as exc:
                print(json.dumps({"type": type(exc).__name__, "message": exc.message}))
            else:
                await store.aclose()
                print(json.dumps({"type": None}))

        asyncio.run(main())
        """
    )

    async def scenario(store: Store) -> dict[str, Any]:
        # This process holds the file open while another process tries to open it.
        done = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-c", second_opener, f"duckdb://{path}", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        result: dict[str, Any] = json.loads(done.stdout)
        return result

    result = Engine("duckdb", f"duckdb://{path}", tmp_path).run(scenario)
    assert result["type"] == StoreLockedError.__name__
    assert result["message"] == (
        f"the DuckDB file {path} is in use by another process (a running `garrison serve`?); "
        "stop it, or go through the server's API"
    )


def test_postgres_connection_errors_name_the_server_never_the_password(tmp_path: Path) -> None:
    store = open_store("postgresql://garrison:s3cr3t-pw@127.0.0.1:1/garrison", tmp_path)
    assert "s3cr3t-pw" not in repr(store)
    with pytest.raises(StoreError) as failure:
        asyncio.run(store.open())
    assert "127.0.0.1:1" in failure.value.message
    assert "s3cr3t-pw" not in json.dumps(failure.value.to_dict())
    assert failure.value.__cause__ is None
