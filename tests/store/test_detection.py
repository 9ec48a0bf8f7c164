"""The Store contract for detection: findings, alerts and read-only hunting, on every engine.

Same harness as ``test_contract``: each test runs its async scenario on a store opened over a
real DuckDB file and a real PostgreSQL database (``conftest.Engine``).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from garrison.errors import StoreError
from garrison.model import Event, uuid7
from garrison.model.alert import Alert, AlertStatus, Severity
from garrison.model.finding import Evidence, Finding, FindingStatus
from garrison.store import (
    MAX_ALERT_EVENTS,
    MAX_PAGE,
    AlertQuery,
    Cursor,
    HuntError,
    HuntResult,
    Store,
    WriteResult,
    migrations,
    rows,
)
from garrison.store import hunt as hunting
from garrison.store.base import finding_id

from .conftest import Engine
from .test_contract import BASE, POISON, TRACE_A, TRACE_B, make_event

DETECTOR = "signatures"


def make_finding(event: Event, **fields: Any) -> Finding:
    fields.setdefault("detector", DETECTOR)
    fields.setdefault("version", "1.2.0")
    fields.setdefault("label", "prompt_injection")
    fields.setdefault("score", 0.9)
    return Finding(event_id=event.id, **fields)


def make_alert(alert_id: str = "alert-1", tenant: str = "acme", **fields: Any) -> Alert:
    seen = fields.pop("seen", BASE)
    fields.setdefault("rule_id", "rule-1")
    fields.setdefault("rule_version", "1")
    fields.setdefault("title", "Prompt injection")
    fields.setdefault("severity", Severity.HIGH)
    fields.setdefault("dedup_key", f"{fields['rule_id']}|session_id=s1")
    fields.setdefault("first_seen", seen)
    fields.setdefault("last_seen", seen)
    fields.setdefault("event_count", len(fields.get("event_ids", ())) or 1)
    return Alert(id=alert_id, tenant=tenant, **fields)


def finding_dicts(findings: list[Finding]) -> list[dict[str, Any]]:
    return [f.to_dict() for f in findings]


def drop_times(alert: Alert) -> dict[str, Any]:
    """An alert's dict without the times the store stamps."""
    d = alert.to_dict()
    del d["created_at"], d["updated_at"]
    return d


# --- findings -------------------------------------------------------------------------------------


def varied_findings(events: list[Event]) -> list[Finding]:
    e0, e1, e2 = events[:3]
    return [
        make_finding(
            e0,
            tags=("atlas.AML.T0051.000", "owasp-llm-2025.LLM01"),
            evidence=(
                Evidence("content", 3, 27, snippet="ignore previous instructions"),
                Evidence("tool.arguments", None, None, view="decoded:base64"),
            ),
            latency_ms=0.125,
            detail={"rule": "sig-17", "nested": {"list": [1, 2.5, None, True, "ü😀"]}},
        ),
        # Same detector, same label, same event: a second finding (its ordinal tells them apart).
        make_finding(e0, evidence=(Evidence("content", 40, 52),), score=0.5),
        make_finding(e0, detector="prompt_guard", version="2", label="jailbreak", score=0.31),
        make_finding(
            e1,
            detector="classifier",
            label="error",
            score=0.0,
            status=FindingStatus.TIMEOUT,
            latency_ms=250.0,
        ),
        make_finding(
            e2,
            detector="secrets",
            label="secret.aws_access_key",
            score=1.0,
            status=FindingStatus.ERROR,
            detail={},
        ),
    ]


def test_findings_read_back_equal_to_what_was_written(engine: Engine) -> None:
    events = [make_event(offset_ms=i) for i in range(4)]
    findings = varied_findings(events)

    async def scenario(store: Store) -> None:
        result = await store.write_events(events, findings)
        assert result == WriteResult(inserted=4, duplicates=0, findings=5, alerts=0)
        got = await store.findings_for("acme", [e.id for e in events] + ["no-such-event"])
        assert set(got) == {events[0].id, events[1].id, events[2].id}  # only ids with findings
        for event in events[:3]:
            mine = [f for f in findings if f.event_id == event.id]
            assert finding_dicts(got[event.id]) == finding_dicts(mine)  # order as written
            assert got[event.id] == mine  # dataclass equality: enums, Evidence objects
        assert await store.findings_for("globex", [e.id for e in events]) == {}
        assert await store.findings_for("acme", []) == {}

    engine.run(scenario)


def test_findings_are_stored_as_the_rule_compiler_reads_them(engine: Engine) -> None:
    events = [make_event(offset_ms=i) for i in range(4)]
    findings = varied_findings(events)
    engine.run(lambda s: s.write_events(events, findings))
    stored = engine.sql(
        "SELECT id, event_id, CAST(time AS VARCHAR), tags, seq FROM findings "
        "WHERE event_id = ? ORDER BY seq",
        [events[0].id],
    )
    ordinals = {"signatures": 0, "prompt_guard": 0}
    for (fid, event_id, _, tags, seq), finding in zip(stored, findings[:3], strict=True):
        ordinal = ordinals[finding.detector]
        ordinals[finding.detector] += 1
        assert fid == finding_id(events[0], finding, ordinal)
        assert event_id == events[0].id
        assert json.loads(tags) == list(finding.tags)
        assert seq == findings.index(finding)
    assert stored[0][3] == '["atlas.AML.T0051.000","owasp-llm-2025.LLM01"]'
    # The time is the event's: a time-range hunt over findings needs no join.
    (same_instant,) = engine.sql(
        "SELECT count(*) FROM findings f JOIN events e ON f.tenant = e.tenant "
        "AND f.event_id = e.id WHERE f.time = e.time"
    )
    assert same_instant == (5,)
    # Exactly the shape ``detect.rules.sql`` compiles ``detectors.X.score >= v`` to.
    matched = engine.sql(
        "SELECT e.id FROM events e WHERE e.tenant = ? AND EXISTS (SELECT 1 FROM findings f "
        "WHERE f.tenant = e.tenant AND f.event_id = e.id AND f.detector = ? "
        "AND f.status = 'ok' AND f.score >= ?) ORDER BY e.id",
        ["acme", DETECTOR, 0.8],
    )
    assert matched == [(events[0].id,)]
    labelled = engine.sql("SELECT count(*) FROM findings f WHERE f.label = ?", ["jailbreak"])
    assert labelled == [(1,)]


def test_finding_text_no_engine_can_hold_is_replaced(engine: Engine) -> None:
    event = make_event()
    dirty = make_finding(
        event,
        label="l\x00",
        evidence=(Evidence("content", 0, 3, snippet="a\x00b \ud800"),),
        detail={"k\x00": "v\x00"},
    )

    async def scenario(store: Store) -> None:
        assert (await store.write_events([event], [dirty])).findings == 1
        (got,) = (await store.findings_for("acme", [event.id]))[event.id]
        assert got.label == "l\ufffd"
        assert got.evidence[0].snippet == "a\ufffdb \ufffd"
        assert got.detail == {"k\ufffd": "v\ufffd"}

    engine.run(scenario)


def test_rewriting_events_with_findings_is_idempotent(engine: Engine) -> None:
    events = [make_event(offset_ms=i) for i in range(4)]
    findings = varied_findings(events)
    fresh = make_event(offset_ms=10)

    async def scenario(store: Store) -> None:
        assert (await store.write_events(events, findings)).findings == 5
        # A re-delivery: the same events and findings.
        again = await store.write_events(events, findings)
        assert again == WriteResult(inserted=0, duplicates=4, findings=0, alerts=0)
        # A re-delivery where a detector answered differently: still nothing new for the
        # events already stored; the new event's finding is stored.
        changed = [dataclasses.replace(f, label="other", score=0.2) for f in findings]
        mixed = await store.write_events([*events, fresh], [*changed, make_finding(fresh)])
        assert mixed == WriteResult(inserted=1, duplicates=4, findings=1, alerts=0)
        got = await store.findings_for("acme", [e.id for e in [*events, fresh]])
        assert sum(len(v) for v in got.values()) == 6
        assert finding_dicts(got[events[0].id]) == finding_dicts(findings[:3])
        # A duplicate copy of an event inside one batch carries no second set of findings.
        twin = make_event(offset_ms=20)
        result = await store.write_events([twin, twin], [make_finding(twin)])
        assert result == WriteResult(inserted=1, duplicates=1, findings=1, alerts=0)

    engine.run(scenario)


def test_findings_must_name_an_event_of_the_same_write(engine: Engine) -> None:
    stored, event = make_event(offset_ms=1), make_event(offset_ms=2)
    shared = make_event(offset_ms=3)
    twin = dataclasses.replace(shared, tenant="globex")

    async def scenario(store: Store) -> None:
        await store.write_events([stored])
        for events, findings in [
            ([event], [make_finding(event), make_finding(stored)]),  # stored earlier: refused
            ([], [make_finding(event)]),
            ([shared, twin], [make_finding(shared)]),  # which tenant's event? refused
        ]:
            with pytest.raises(StoreError) as refused:
                await store.write_events(events, findings)
            assert "nothing was written" in refused.value.message
        assert await store.count_events() == 1
        assert await store.findings_for("acme", [stored.id, event.id, shared.id]) == {}
        assert await store.findings_for("globex", [shared.id]) == {}

    engine.run(scenario)


# --- all or nothing -------------------------------------------------------------------------------


def _poison_evidence(real: Callable[..., rows.FindingBatch]) -> Callable[..., rows.FindingBatch]:
    def broken(events: Any, findings: Any) -> rows.FindingBatch:
        batch = real(events, findings)
        bad = list(batch.rows[-1])
        bad[rows.FINDING_COLUMNS.index("evidence")] = "[not json " + POISON
        return rows.FindingBatch([*batch.rows[:-1], tuple(bad)])

    return broken


def _poison_alert(real: Callable[..., tuple[Any, ...]]) -> Callable[..., tuple[Any, ...]]:
    def broken(alert: Alert, now: datetime) -> tuple[Any, ...]:
        row = list(real(alert, now))
        if alert.id == "alert-2":
            row[rows.ALERT_COLUMNS.index("title")] = None  # NOT NULL: the database refuses
            row[rows.ALERT_COLUMNS.index("dedup_key")] = POISON
        return tuple(row)

    return broken


@pytest.mark.parametrize("where", ["findings", "alerts"])
def test_events_findings_and_alerts_are_written_all_or_nothing(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """The failure is forced inside the database, after the events (and findings) of the same
    transaction were inserted: a finding whose evidence is not JSON (the JSON cast refuses it),
    or an alert whose title is NULL (the NOT NULL constraint refuses it)."""
    stored = [make_event(offset_ms=i) for i in range(3)]
    new = [make_event(offset_ms=10 + i, content=f"{POISON} {i}") for i in range(20)]
    findings = [make_finding(e) for e in new]
    alerts = [
        make_alert("alert-1", event_ids=(new[0].id,)),
        make_alert("alert-2", event_ids=(new[1].id,), rule_id="rule-2"),
    ]

    async def scenario(store: Store) -> None:
        await store.write_events(stored)
        if where == "findings":
            monkeypatch.setattr(rows, "prepare_findings", _poison_evidence(rows.prepare_findings))
        else:
            monkeypatch.setattr(rows, "alert_row", _poison_alert(rows.alert_row))
        with pytest.raises(StoreError) as failure:
            await store.write_events([*stored, *new], findings, alerts)
        monkeypatch.undo()
        assert POISON not in json.dumps(failure.value.to_dict())
        assert failure.value.__cause__ is None
        assert await store.count_events() == 3
        assert await store.findings_for("acme", [e.id for e in new]) == {}
        assert (await store.query_alerts(AlertQuery("acme"))).alerts == []
        # Nothing was left half-done: the same write now succeeds in full.
        result = await store.write_events([*stored, *new], findings, alerts)
        assert result == WriteResult(inserted=20, duplicates=3, findings=20, alerts=2)

    engine.run(scenario)
    assert engine.sql("SELECT count(*) FROM alert_events") == [(2,)]


# --- alerts ---------------------------------------------------------------------------------------


def test_alert_deltas_merge_within_a_call_and_across_calls(engine: Engine) -> None:
    t = [BASE + timedelta(seconds=i) for i in range(6)]
    e1, e2, e3 = (make_event(time=t[i + 2]) for i in range(3))
    early = make_event(time=t[0])
    first = make_alert(
        event_ids=(e1.id,),
        seen=t[2],
        tags=("atlas.AML.T0051.000",),
        entities={"app": "chat", "session_id": "s1", "agent": "planner", "tool": "send_email"},
        evidence={"trigger_event_id": e1.id},
    )
    second = make_alert(  # the same alert, a later match in the same batch
        event_ids=(e2.id,),
        seen=t[3],
        title="another title",
        severity=Severity.LOW,
        tags=("ignored",),
        entities={"principal": "alice", "agent": "ignored"},
        evidence={"trigger_event_id": e2.id},
    )
    other = make_alert("alert-2", rule_id="rule-2", event_ids=(e2.id,), seen=t[3])

    async def write_first(store: Store) -> Alert:
        result = await store.write_events([e1, e2], alerts=[first, second, other])
        assert result == WriteResult(inserted=2, duplicates=0, findings=0, alerts=2)
        got = await store.get_alert("acme", first.id)
        assert got is not None
        assert drop_times(got) == drop_times(
            dataclasses.replace(
                first,
                last_seen=t[3],
                event_count=2,
                event_ids=(e1.id, e2.id),
                entities={
                    "app": "chat",
                    "session_id": "s1",
                    "principal": "alice",
                    "agent": "planner",
                    "tool": "send_email",
                },
            )
        )
        assert got.created_at is not None and got.created_at == got.updated_at
        return got

    before = engine.run(write_first)
    # An analyst works the alert meanwhile.
    engine.sql(
        "UPDATE alerts SET status = 'triaged', assignee = 'bob', version = 2 WHERE id = ?",
        [first.id],
    )
    third = make_alert(
        event_ids=(early.id, e3.id),
        first_seen=t[0],
        last_seen=t[4],
        severity=Severity.CRITICAL,
        title="ignored",
        status=AlertStatus.NEW,
        assignee=None,
        version=1,
    )

    async def write_third(store: Store) -> None:
        result = await store.write_events([early, e3], alerts=[third])
        assert result == WriteResult(inserted=2, duplicates=0, findings=0, alerts=1)
        got = await store.get_alert("acme", first.id)
        assert got is not None
        assert (got.first_seen, got.last_seen, got.event_count) == (t[0], t[4], 4)
        assert (got.status, got.assignee, got.version) == (AlertStatus.TRIAGED, "bob", 2)
        assert (got.severity, got.title, got.tags) == (
            Severity.HIGH,
            "Prompt injection",
            ("atlas.AML.T0051.000",),
        )
        assert got.event_ids == (early.id, e1.id, e2.id, e3.id)  # by event time
        assert got.created_at == before.created_at
        assert got.updated_at is not None and before.updated_at is not None
        assert got.updated_at > before.updated_at
        # A re-delivery of the same batch: its delta's events are linked already, so the
        # count does not double.
        again = await store.write_events([early, e3], alerts=[third])
        assert again == WriteResult(inserted=0, duplicates=2, findings=0, alerts=0)
        replay = await store.get_alert("acme", first.id)
        assert replay is not None and replay.event_count == 4
        # A delta without event ids is always applied.
        bare = make_alert(seen=t[5], event_count=3)
        assert (await store.write_events([], alerts=[bare])).alerts == 1
        last = await store.get_alert("acme", first.id)
        assert last is not None and (last.event_count, last.last_seen) == (7, t[5])

    engine.run(write_third)


def test_empty_descriptive_fields_are_filled_by_a_later_delta(engine: Engine) -> None:
    bare = make_alert(rule_version=None, event_ids=("x1",))
    rich = make_alert(
        rule_version="7",
        event_ids=("x2",),
        tags=("t",),
        entities={"trace_id": TRACE_A, "agent": "a"},
        evidence={"k": 1},
    )

    async def scenario(store: Store) -> None:
        await store.write_events([], alerts=[bare])
        await store.write_events([], alerts=[rich])
        got = await store.get_alert("acme", bare.id)
        assert got is not None
        assert (got.rule_version, got.tags, got.evidence) == ("7", ("t",), {"k": 1})
        assert got.entities == {"trace_id": TRACE_A, "agent": "a"}
        assert got.event_ids == ("x1", "x2")  # not events of this store: ordered by id

    engine.run(scenario)


def test_alert_events_take_their_event_times(engine: Engine) -> None:
    older = make_event(offset_ms=-5000)
    now_event = make_event(offset_ms=1000)
    alert = make_alert(
        event_ids=(now_event.id, older.id, "not-an-event"),
        first_seen=older.time,
        last_seen=BASE + timedelta(seconds=60),
    )

    async def scenario(store: Store) -> None:
        await store.write_events([older])  # stored by an earlier batch
        await store.write_events([now_event], alerts=[alert])
        got = await store.get_alert("acme", alert.id)
        assert got is not None
        assert got.event_ids == (older.id, now_event.id, "not-an-event")

    engine.run(scenario)
    times = engine.sql("SELECT event_id, CAST(time AS VARCHAR) FROM alert_events ORDER BY time")
    assert [event_id for event_id, _ in times] == [older.id, now_event.id, "not-an-event"]


def test_get_alert_returns_at_most_max_alert_events(engine: Engine) -> None:
    events = [make_event(offset_ms=i) for i in range(MAX_ALERT_EVENTS + 5)]
    alert = make_alert(event_ids=tuple(e.id for e in reversed(events)), last_seen=events[-1].time)

    async def scenario(store: Store) -> None:
        await store.write_events(events, alerts=[alert])
        got = await store.get_alert("acme", alert.id)
        assert got is not None
        assert got.event_ids == tuple(e.id for e in events[:MAX_ALERT_EVENTS])
        assert got.event_count == MAX_ALERT_EVENTS + 5
        assert await store.get_alert("acme", "no-such-alert") is None
        assert await store.get_alert("globex", alert.id) is None

    engine.run(scenario)


def alert_dataset() -> list[Alert]:
    """Two tenants with mirrored alerts; equal last_seen values so the id tie-break matters."""
    severities = list(Severity)
    statuses = list(AlertStatus)
    alerts = []
    for tenant in ("acme", "globex"):
        for i in range(40):
            entities = {
                name: value
                for name, value in (
                    ("app", ("chat", "rag")[i % 2]),
                    ("session_id", ("s1", "s2", None)[i % 3]),
                    ("trace_id", (TRACE_A, TRACE_B, None, None)[i % 4]),
                    ("principal", ("alice", "bob", None, "carol", "alice")[i % 5]),
                )
                if value is not None
            }
            alerts.append(
                make_alert(
                    uuid7(1_700_000_000_000 + (i * 7919) % 1000),
                    tenant,
                    rule_id=("rule-a", "rule-b", "rule-c")[i % 3],
                    severity=severities[i % 5],
                    status=statuses[(i // 2) % 5],
                    seen=BASE + timedelta(seconds=i // 3),
                    entities=entities,
                )
            )
    return alerts


AT = BASE + timedelta(seconds=4)
LATER = BASE + timedelta(seconds=9)

ALERT_FILTERS: list[tuple[str, dict[str, Any], Callable[[Alert], bool]]] = [
    ("everything", {}, lambda a: True),
    ("since is inclusive", {"since": AT}, lambda a: a.last_seen >= AT),
    ("until is exclusive", {"until": AT}, lambda a: a.last_seen < AT),
    ("since and until", {"since": AT, "until": LATER}, lambda a: AT <= a.last_seen < LATER),
    ("rule", {"rule": "rule-b"}, lambda a: a.rule_id == "rule-b"),
    (
        "severities",
        {"severities": (Severity.HIGH, Severity.CRITICAL)},
        lambda a: a.severity in (Severity.HIGH, Severity.CRITICAL),
    ),
    ("statuses", {"statuses": (AlertStatus.NEW,)}, lambda a: a.status is AlertStatus.NEW),
    ("trace", {"trace_id": TRACE_B}, lambda a: a.entities.get("trace_id") == TRACE_B),
    ("session", {"session_id": "s2"}, lambda a: a.entities.get("session_id") == "s2"),
    ("principal", {"principal": "alice"}, lambda a: a.entities.get("principal") == "alice"),
    ("app", {"app": "rag"}, lambda a: a.entities.get("app") == "rag"),
    (
        "everything at once",
        {"app": "chat", "principal": "alice", "severities": (Severity.INFORMATIONAL,)},
        lambda a: (
            a.entities.get("app") == "chat"
            and a.entities.get("principal") == "alice"
            and a.severity is Severity.INFORMATIONAL
        ),
    ),
    ("nothing matches", {"rule": "no-such-rule"}, lambda a: False),
]


def alert_order(alerts: list[Alert], *, descending: bool) -> list[str]:
    return [a.id for a in sorted(alerts, key=lambda a: (a.last_seen, a.id), reverse=descending)]


async def read_all_alerts(store: Store, query: AlertQuery) -> tuple[list[Alert], int]:
    found: list[Alert] = []
    pages = 0
    cursor: Cursor | None = None
    while True:
        page = await store.query_alerts(dataclasses.replace(query, cursor=cursor))
        pages += 1
        assert len(page.alerts) <= max(1, min(query.limit, MAX_PAGE))
        found.extend(page.alerts)
        if page.next_cursor is None:
            return found, pages
        cursor = Cursor.decode(page.next_cursor)
        assert pages < 1000, "pagination does not end"


@pytest.mark.parametrize("descending", [True, False], ids=["desc", "asc"])
@pytest.mark.parametrize(
    ("name", "filters", "keep"), ALERT_FILTERS, ids=[f[0] for f in ALERT_FILTERS]
)
def test_every_alert_filter(
    engine: Engine,
    name: str,
    filters: dict[str, Any],
    keep: Callable[[Alert], bool],
    descending: bool,
) -> None:
    alerts = alert_dataset()
    expected = alert_order(
        [a for a in alerts if a.tenant == "acme" and keep(a)], descending=descending
    )
    assert expected or name == "nothing matches"

    async def scenario(store: Store) -> None:
        assert (await store.write_events([], alerts=alerts)).alerts == len(alerts)
        query = AlertQuery("acme", limit=MAX_PAGE, descending=descending, **filters)
        page = await store.query_alerts(query)
        assert page.next_cursor is None
        assert [a.id for a in page.alerts] == expected
        paged, pages = await read_all_alerts(store, dataclasses.replace(query, limit=4))
        assert [a.id for a in paged] == expected
        assert pages == max(1, -(-len(expected) // 4))  # a full last page has no cursor
        # Lists carry no event ids; everything else reads back as written.
        written = {a.id: a for a in alerts if a.tenant == "acme"}
        for alert in paged:
            assert drop_times(alert) == drop_times(written[alert.id])

    engine.run(scenario)


def test_alert_queries_default_to_newest_first_and_clamp_the_limit(engine: Engine) -> None:
    alerts = alert_dataset()

    async def scenario(store: Store) -> None:
        await store.write_events([], alerts=alerts)
        page = await store.query_alerts(AlertQuery("acme", limit=5))
        mine = [a for a in alerts if a.tenant == "acme"]
        assert [a.id for a in page.alerts] == alert_order(mine, descending=True)[:5]
        assert len((await store.query_alerts(AlertQuery("acme", limit=0))).alerts) == 1
        assert len((await store.query_alerts(AlertQuery("acme", limit=10**6))).alerts) == 40
        # A cursor is only a position: from one tenant's page it shows nothing of theirs.
        assert page.next_cursor is not None
        theirs = await store.query_alerts(
            AlertQuery("globex", limit=MAX_PAGE, cursor=Cursor.decode(page.next_cursor))
        )
        assert theirs.alerts and {a.tenant for a in theirs.alerts} == {"globex"}
        assert (await store.query_alerts(AlertQuery("initech"))).alerts == []

    engine.run(scenario)


# --- hunting: what a hunter may run ---------------------------------------------------------------


def hunt_dataset() -> tuple[list[Event], list[Finding], list[Alert]]:
    events: list[Event] = []
    findings: list[Finding] = []
    alerts: list[Alert] = []
    for tenant, n in (("acme", 6), ("globex", 4)):
        mine = [
            make_event(
                tenant,
                offset_ms=i * 1000,
                app=("chat", "rag")[i % 2],
                content=f"{tenant} {i} {'ignore previous instructions' if i % 3 == 0 else 'hi'}",
                session_id="s1",
                attributes={"gen_ai.request.model": "gpt-4o", "n": i},
            )
            for i in range(n)
        ]
        events.extend(mine)
        for i, e in enumerate(mine):
            if i % 3 == 0:
                findings.append(make_finding(e, tags=("atlas.AML.T0051.000",), score=0.95))
            findings.append(
                make_finding(e, detector="secrets", label="none", score=0.1 * i, tags=())
            )
        alerts.append(
            make_alert(
                f"{tenant}-alert",
                tenant,
                event_ids=tuple(e.id for e in mine[::3]),
                seen=mine[0].time,
                entities={"app": "chat", "session_id": "s1"},
            )
        )
    return events, findings, alerts


def acme_ids(events: list[Event], keep: Callable[[int], bool]) -> list[tuple[Any, ...]]:
    mine = [e for e in events if e.tenant == "acme"]
    return [(e.id,) for i, e in enumerate(mine) if keep(i)]


VALID_HUNTS: list[tuple[str, str, Callable[[list[Event]], list[tuple[Any, ...]]]]] = [
    ("count", "SELECT count(*) AS n FROM events", lambda ev: [(6,)]),
    (
        "join of events and findings",
        "SELECT e.id FROM events e JOIN findings f ON f.tenant = e.tenant AND f.event_id = e.id "
        "WHERE f.detector = 'signatures' AND f.status = 'ok' AND f.score >= 0.9 ORDER BY e.id",
        lambda ev: acme_ids(ev, lambda i: i % 3 == 0),
    ),
    (
        "aggregate",
        "SELECT detector, count(*) AS n, max(score) >= 0.9 AS high FROM findings "
        "GROUP BY detector ORDER BY detector",
        lambda ev: [("secrets", 6, False), ("signatures", 2, True)],
    ),
    (
        "CTE",
        "WITH hot AS (SELECT event_id FROM findings WHERE label = 'prompt_injection') "
        "SELECT count(*) AS n FROM events WHERE id IN (SELECT event_id FROM hot)",
        lambda ev: [(2,)],
    ),
    (
        "a CTE named events shadows ours and still reads only our rows",
        "WITH events AS (SELECT * FROM events WHERE app = 'chat') SELECT count(*) AS n FROM events",
        lambda ev: [(3,)],
    ),
    (
        "a shadowing CTE in a subquery does not leak out of it",
        "SELECT (SELECT count(*) FROM events) AS n "
        "FROM (WITH events AS (SELECT 1 AS x) SELECT x FROM events) AS t",
        lambda ev: [(6,)],
    ),
    (
        "recursive CTE",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) "
        "SELECT sum(n) AS total FROM r",
        lambda ev: [(15,)],
    ),
    (
        "alerts and alert_events",
        "SELECT a.rule_id, count(*) AS n FROM alerts a JOIN alert_events ae "
        "ON ae.tenant = a.tenant AND ae.alert_id = a.id GROUP BY a.rule_id",
        lambda ev: [("rule-1", 2)],
    ),
    (
        "incidents, incident_alerts and indicators are huntable (empty here)",
        "SELECT (SELECT count(*) FROM incidents) + (SELECT count(*) FROM incident_alerts) "
        "+ (SELECT count(*) FROM indicators) AS n",
        lambda ev: [(0,)],
    ),
    (
        "LIKE with percent signs",
        "SELECT count(*) AS n FROM events WHERE content LIKE '%ignore%' AND content LIKE 'acme%'",
        lambda ev: [(2,)],
    ),
    (
        "tags as JSON text",
        "SELECT count(*) AS n FROM findings WHERE tags LIKE '%atlas.AML.T0051%'",
        lambda ev: [(2,)],
    ),
    (
        "the tenant column is only ever ours",
        "SELECT count(*) AS n FROM events WHERE tenant <> 'acme'",
        lambda ev: [(0,)],
    ),
    (
        "a trailing semicolon and comment",
        "SELECT count(*) AS n FROM events; -- done; really",
        lambda ev: [(6,)],
    ),
    (
        "percentile_cont, which DuckDB's parser renames",
        "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY score) > 0.34 AS p FROM findings",
        lambda ev: [(True,)],
    ),
    (
        "names in strings are only text",
        "SELECT 'pg_read_file(' AS a, $$main.events$$ AS b, E'\\'window' AS c",
        lambda ev: [("pg_read_file(", "main.events", "'window")],
    ),
    ("a trailing line comment", "SELECT count(*) AS n FROM events -- the end", lambda ev: [(6,)]),
    ("VALUES", "SELECT * FROM (VALUES (1, 'a')) AS v(n, s)", lambda ev: [(1, "a")]),
    (
        "TABLE, PostgreSQL's shorthand, reads our CTE too",
        "SELECT count(*) AS n FROM (TABLE events) AS t",
        lambda ev: [(6,)],
    ),
    (
        "subquery, window, CASE, casts",
        "SELECT id, row_number() OVER (ORDER BY time) AS rn, "
        "CASE WHEN app = 'chat' THEN 'c' ELSE 'r' END AS a, CAST(1.5 AS double precision) AS x "
        "FROM (SELECT * FROM events) AS s ORDER BY time LIMIT 2",
        lambda ev: [
            (e.id, i + 1, ("c", "r")[i % 2], 1.5)
            for i, e in enumerate([e for e in ev if e.tenant == "acme"][:2])
        ],
    ),
    (
        "time comes back as ISO 8601 text in UTC",
        "SELECT time, latency_ms FROM events ORDER BY time LIMIT 1",
        lambda ev: [("2025-03-01T12:00:00.123456Z", None)],
    ),
]


@pytest.mark.parametrize(("name", "sql", "expect"), VALID_HUNTS, ids=[h[0] for h in VALID_HUNTS])
def test_valid_hunts(
    engine: Engine,
    name: str,
    sql: str,
    expect: Callable[[list[Event]], list[tuple[Any, ...]]],
) -> None:
    events, findings, alerts = hunt_dataset()

    async def scenario(store: Store) -> None:
        await store.write_events(events, findings, alerts)
        result = await store.hunt("acme", sql)
        assert result.rows == expect(events)
        assert result.truncated is False
        assert len(result.columns) == len(result.rows[0])

    engine.run(scenario)


def test_hunt_values_are_json_able(engine: Engine) -> None:
    events, findings, alerts = hunt_dataset()

    async def scenario(store: Store) -> None:
        await store.write_events(events, findings, alerts)
        result = await store.hunt(
            "acme",
            "SELECT e.id, e.time, e.attributes, f.evidence, f.score, e.latency_ms "
            "FROM events e JOIN findings f ON f.event_id = e.id "
            "WHERE f.detector = 'signatures' ORDER BY e.time LIMIT 1",
        )
        assert result.columns == ["id", "time", "attributes", "evidence", "score", "latency_ms"]
        ((event_id, time, attributes, evidence, score, latency),) = result.rows
        assert (event_id, time, score, latency) == (
            events[0].id,
            "2025-03-01T12:00:00.123456Z",
            0.95,
            None,
        )
        # JSON columns come back as JSON text (each engine's rendering of it).
        assert orjson.loads(attributes) == {"gen_ai.request.model": "gpt-4o", "n": 0}
        assert orjson.loads(evidence) == []
        json.dumps(result.rows)

    engine.run(scenario)


def test_hunt_truncates_at_the_limit(engine: Engine) -> None:
    events = [make_event(offset_ms=i) for i in range(25)]

    async def scenario(store: Store) -> None:
        await store.write_events(events)
        sql = "SELECT id FROM events ORDER BY time"
        ten = await store.hunt("acme", sql, limit=10)
        assert (len(ten.rows), ten.truncated) == (10, True)
        assert ten.rows == [(e.id,) for e in events[:10]]
        exact = await store.hunt("acme", sql, limit=25)
        assert (len(exact.rows), exact.truncated) == (25, False)
        clamped = await store.hunt("acme", sql, limit=0)
        assert (len(clamped.rows), clamped.truncated) == (1, True)
        # The caller's own LIMIT is kept; ours sits outside it.
        own = await store.hunt("acme", f"{sql} LIMIT 3", limit=10)
        assert (len(own.rows), own.truncated) == (3, False)

    engine.run(scenario)


def test_hunts_see_only_the_callers_tenant(engine: Engine) -> None:
    events, findings, alerts = hunt_dataset()
    counts = (
        "SELECT (SELECT count(*) FROM events) AS e, (SELECT count(*) FROM findings) AS f, "
        "(SELECT count(*) FROM alerts) AS a, (SELECT count(*) FROM alert_events) AS ae, "
        "(SELECT count(DISTINCT tenant) FROM events) AS tenants"
    )

    async def scenario(store: Store) -> None:
        await store.write_events(events, findings, alerts)
        assert (await store.hunt("acme", counts)).rows == [(6, 8, 1, 2, 1)]
        assert (await store.hunt("globex", counts)).rows == [(4, 6, 1, 2, 1)]
        assert (await store.hunt("initech", counts)).rows == [(0, 0, 0, 0, 0)]
        leak = await store.hunt("acme", "SELECT id FROM events WHERE tenant = 'globex'")
        assert leak.rows == []

    engine.run(scenario)


# --- hunting: what is refused ---------------------------------------------------------------------

ONLY_SELECT = "only SELECT is allowed"
TABLE_LIST = (
    "only events, findings, alerts, alert_events, incidents, incident_alerts and indicators "
    "can be queried"
)
REFUSED: list[tuple[str, str]] = [
    # writes, DDL, and everything else that is not a SELECT
    ("INSERT INTO events (id) VALUES ('x')", ONLY_SELECT),
    ("UPDATE events SET content = 'x'", ONLY_SELECT),
    ("DELETE FROM events", ONLY_SELECT),
    ("CREATE TABLE x (a integer)", ONLY_SELECT),
    ("DROP TABLE events", ONLY_SELECT),
    ("ALTER TABLE events ADD COLUMN x integer", ONLY_SELECT),
    ("TRUNCATE events", ONLY_SELECT),
    ("COPY events TO '/tmp/garrison-leak.csv'", ONLY_SELECT),
    ("COPY (SELECT * FROM events) TO '/tmp/garrison-leak.csv'", ONLY_SELECT),
    ("ATTACH '/tmp/other.duckdb' AS other", ONLY_SELECT),
    ("DETACH other", ONLY_SELECT),
    ("PRAGMA database_list", ONLY_SELECT),
    ("SET search_path = 'main'", ONLY_SELECT),
    ("RESET search_path", ONLY_SELECT),
    ("CALL pragma_version()", ONLY_SELECT),
    ("EXPORT DATABASE '/tmp/garrison-export'", ONLY_SELECT),
    ("INSTALL httpfs", ONLY_SELECT),
    ("LOAD httpfs", ONLY_SELECT),
    ("EXPLAIN SELECT * FROM events", ONLY_SELECT),
    ("PIVOT events ON kind USING count(*)", ONLY_SELECT),
    ("BEGIN", ONLY_SELECT),
    ("CHECKPOINT", ONLY_SELECT),
    ("WITH x AS (DELETE FROM events RETURNING *) SELECT * FROM x", ONLY_SELECT),
    ("SELECT * INTO stolen FROM events", "syntax error"),
    ("SELECT * FROM events FOR UPDATE", "syntax error"),
    # more than one statement
    ("SELECT 1; SELECT 2", "exactly one statement"),
    ("SELECT 1; DROP TABLE events", ONLY_SELECT),
    ("SELECT 1; SELECT * FROM main.events", "exactly one statement"),
    # qualified names: the real tables, other schemas, other catalogs
    ("SELECT * FROM main.events", "table main.events is not allowed: use events"),
    ("SELECT * FROM public.events", "table public.events is not allowed: use events"),
    ("SELECT * FROM events.main.events", "table events.main.events is not allowed: use events"),
    ("SELECT * FROM memory.main.findings", "is not allowed: use findings"),
    ("SELECT count(*) FROM events WHERE id IN (SELECT id FROM main.events)", "use events"),
    ("SELECT * FROM events UNION ALL SELECT * FROM main.events", "use events"),
    ("SELECT * FROM (SELECT * FROM public.alerts) AS a", "use alerts"),
    ("WITH x AS (SELECT * FROM main.events) SELECT * FROM x", "use events"),
    # catalogs and other tables
    ("SELECT * FROM information_schema.tables", TABLE_LIST),
    ("SELECT * FROM pg_catalog.pg_class", TABLE_LIST),
    ("SELECT * FROM pg_class", TABLE_LIST),
    ("SELECT * FROM pg_authid", TABLE_LIST),
    ("SELECT * FROM pg_stat_activity", TABLE_LIST),
    ("SELECT * FROM api_keys", TABLE_LIST),
    ("SELECT * FROM schema_migrations", TABLE_LIST),
    ("SELECT * FROM sqlite_master", TABLE_LIST),
    ("SELECT * FROM 'data.csv'", TABLE_LIST),
    ('SELECT * FROM "/etc/passwd"', "(a name)"),
    ('SELECT * FROM "Events"', "write table names in lowercase"),
    # table functions: files, globs, other databases, catalog listings, generated rows
    ("SELECT * FROM read_csv('/etc/passwd')", "read_csv: table functions are not allowed"),
    ("SELECT * FROM read_csv_auto('/etc/passwd')", "read_csv_auto: table functions"),
    ("SELECT * FROM read_parquet('x.parquet')", "read_parquet: table functions"),
    ("SELECT * FROM read_json('x.json')", "read_json: table functions"),
    ("SELECT * FROM read_text('/etc/passwd')", "read_text: table functions"),
    ("SELECT * FROM glob('/*')", "glob: table functions"),
    ("SELECT * FROM postgres_scan('', 'public', 'events')", "postgres_scan: table functions"),
    ("SELECT * FROM query('SELECT * FROM main.events')", "query: table functions"),
    ("SELECT * FROM duckdb_tables()", "duckdb_tables: table functions"),
    ("SELECT * FROM duckdb_settings()", "duckdb_settings: table functions"),
    ("SELECT * FROM pragma_table_info('events')", "pragma_table_info: table functions"),
    ("SELECT * FROM generate_series(1, 10)", "generate_series: table functions"),
    ("SELECT * FROM unnest([1, 2])", "unnest: table functions"),
    ("SELECT * FROM events e, LATERAL read_csv('x') r", "read_csv: table functions"),
    ("SELECT * FROM events e JOIN glob('*') g ON true", "glob: table functions"),
    ("DESCRIBE events", "DESCRIBE, SHOW and SUMMARIZE are not allowed"),
    ("SHOW TABLES", "DESCRIBE, SHOW and SUMMARIZE are not allowed"),
    ("SUMMARIZE events", "DESCRIBE, SHOW and SUMMARIZE are not allowed"),
    ("SELECT * FROM events AT (VERSION => 1)", "AT (time travel) is not allowed"),
    # functions that read files, run SQL of their own, reach out, or look at the session
    ("SELECT pg_read_file('/etc/passwd')", "pg_read_file: function is not allowed"),
    ("SELECT pg_ls_dir('.')", "pg_ls_dir: function is not allowed"),
    ("SELECT query_to_xml('select * from events', true, false, '')", "query_to_xml: function"),
    ("SELECT dblink('host=x', 'select 1')", "dblink: function is not allowed"),
    ("SELECT lo_import('/etc/passwd')", "lo_import: function is not allowed"),
    ("SELECT current_setting('search_path')", "current_setting: function is not allowed"),
    ("SELECT set_config('search_path', 'public', false)", "set_config: function"),
    ("SELECT pg_sleep(10)", "pg_sleep: function is not allowed"),
    ("SELECT pg_terminate_backend(1)", "pg_terminate_backend: function is not allowed"),
    ("SELECT version()", "version: function is not allowed"),
    ("SELECT getenv('HOME')", "getenv: function is not allowed"),
    ("SELECT repeat('x', 1000000000)", "repeat: function is not allowed"),
    ("SELECT pg_catalog.lower('x')", "lower: write functions without a schema"),
    ("SELECT a OPERATOR(pg_catalog.+) 1 FROM events", "+: write functions without a schema"),
    ("SELECT current_user", "current_user: not allowed"),
    ("SELECT session_user", "session_user: not allowed"),
    ("SELECT current_schema", "current_schema: not allowed"),
    ("SELECT 'pg_class'::regclass", "regclass: casting to this type is not allowed"),
    ("SELECT CAST(1 AS oid)", "oid: casting to this type is not allowed"),
    ("SELECT 'x'::public.mytype", "casting to this type is not allowed"),
    # what PostgreSQL would run although DuckDB's parse tree leaves it out, or reads otherwise
    (
        "SELECT 1 FROM events WINDOW w AS (ORDER BY pg_read_file('/etc/passwd'))",
        "named windows (WINDOW w AS ...) are not allowed",
    ),
    (
        "SELECT 1 FROM events WINDOW w AS (ORDER BY (SELECT count(*) FROM public.events))",
        "named windows",
    ),
    ("SELECT pg_read_file /* a comment */ ('/etc/passwd')", "pg_read_file: function is not"),
    ("SELECT \"pg_read_file\"('/etc/passwd')", "pg_read_file: function is not allowed"),
    ("SELECT U&\"\\0070g_read_file\"('/etc/passwd')", "function is not allowed"),
    ("SELECT U&'\\0041' AS a", "U& escapes are not allowed"),
    # parameters
    ("SELECT * FROM events WHERE tenant = $1", "parameters ($1, ?) are not allowed"),
    ("SELECT * FROM events WHERE tenant = ?", "parameters ($1, ?) are not allowed"),
    # CTE scope: a name the check would take for a CTE must be one in both engines
    ("WITH a AS (SELECT * FROM pg_class), pg_class AS (SELECT 1) SELECT * FROM a", TABLE_LIST),
    ("WITH pg_class AS (SELECT * FROM pg_class) SELECT * FROM pg_class", TABLE_LIST),
    ('WITH "PG_CLASS" AS (SELECT 1) SELECT * FROM pg_class', "write CTE names in lowercase"),
    ("SELECT * FROM (WITH x AS (SELECT 1) SELECT * FROM x) AS a, x", TABLE_LIST),
    (
        "WITH pg_class AS (SELECT 1 UNION ALL SELECT * FROM pg_class) SELECT * FROM pg_class",
        TABLE_LIST,
    ),
    # malformed, empty, too long
    ("SELEC 1", "syntax error at character 1"),
    ("SELECT 1 /* unterminated", "syntax error"),
    ("SELECT 'unterminated", "syntax error"),
    ("", "the query is empty"),
    ("   ", "the query is empty"),
    (";", "the query is empty"),
    ("-- only a comment", "the query is empty"),
    ("SELECT 1" + " " * hunting.MAX_SQL_CHARS, "longer than"),
]


@pytest.mark.parametrize(("sql", "message"), REFUSED, ids=[r[0][:60] for r in REFUSED])
def test_hunts_refuse(engine: Engine, sql: str, message: str) -> None:
    events = [make_event(offset_ms=i, content=f"{POISON} {i}") for i in range(3)]

    async def scenario(store: Store) -> None:
        await store.write_events(events)
        with pytest.raises(HuntError) as refused:
            await store.hunt("acme", sql)
        error = refused.value
        assert message in error.message
        assert (error.status, error.code) == (400, "hunt_invalid")
        assert POISON not in json.dumps(error.to_dict())
        assert error.__cause__ is None
        assert await store.count_events() == 3  # and nothing ran

    engine.run(scenario)


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("SELECT nope FROM events", "unknown column nope"),
        ("SELECT CAST(content AS integer) FROM events", "a value could not be converted"),
        ("SELECT 1 / 0 FROM events WHERE CAST(content AS integer) > 0", "could not be converted"),
        ("SELECT lower(1, 2, 3) FROM events", "does not exist here, or uses it with the wrong"),
    ],
)
def test_hunt_errors_name_the_problem_never_a_value(engine: Engine, sql: str, message: str) -> None:
    event = make_event(content=POISON)

    async def scenario(store: Store) -> None:
        await store.write_events([event])
        with pytest.raises(HuntError) as failed:
            await store.hunt("acme", sql)
        assert message in failed.value.message
        assert POISON not in json.dumps(failed.value.to_dict())
        assert failed.value.__cause__ is None
        # The store is fine afterwards.
        assert (await store.hunt("acme", "SELECT count(*) AS n FROM events")).rows == [(1,)]

    engine.run(scenario)


def test_writes_go_on_while_a_long_hunt_runs(engine: Engine) -> None:
    """A hunt runs beside the writer, not in front of it (DuckDB: a second connection on a
    thread of its own; PostgreSQL: another pooled connection)."""
    forever = (
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 1000000000) "
        "SELECT count(*) AS n FROM r"
    )

    async def scenario(store: Store) -> None:
        await store.write_events([make_event()])
        hunt = asyncio.create_task(store.hunt("acme", forever, timeout_s=4))
        await asyncio.sleep(0.3)
        assert not hunt.done()
        written = await store.write_events([make_event(offset_ms=5)])
        counted = await store.count_events()
        still_running = not hunt.done()
        with pytest.raises(HuntError, match="time limit"):
            await hunt
        assert (written.inserted, counted) == (1, 2)
        assert still_running, "the write waited for the hunt"

    engine.run(scenario)


def test_a_long_hunt_is_stopped_and_the_store_goes_on(engine: Engine) -> None:
    forever = (
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 1000000000) "
        "SELECT count(*) AS n FROM r"
    )

    async def scenario(store: Store) -> None:
        await store.write_events([make_event()])
        started = datetime.now(UTC)
        with pytest.raises(HuntError, match=r"time limit of 0\.5 s") as stopped:
            await store.hunt("acme", forever, timeout_s=0.5)
        assert stopped.value.details == {"timeout_s": 0.5}
        assert datetime.now(UTC) - started < timedelta(seconds=20)
        # Nothing of the stopped hunt lingers: no interrupt, no search path, no transaction.
        assert (await store.hunt("acme", "SELECT count(*) AS n FROM events")).rows == [(1,)]
        assert (await store.write_events([make_event(offset_ms=5)])).inserted == 1
        assert await store.count_events() == 2

    engine.run(scenario)


def test_hunts_are_read_only_even_past_the_check(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defence in depth: were the check bypassed, PostgreSQL's READ ONLY transaction refuses a
    write and DuckDB's transaction is rolled back; an unqualified name still cannot reach a
    table of ours, because the search path holds none."""
    event = make_event()

    async def scenario(store: Store) -> None:
        await store.write_events([event])
        real = hunting.prepare

        def delete_instead(sql: str, tables: Any, *, tenant_mark: str, limit: int) -> str:
            real("SELECT 1", tables, tenant_mark=tenant_mark, limit=limit)
            return f"DELETE FROM {tables['events']} WHERE tenant = {tenant_mark} RETURNING id"

        monkeypatch.setattr(hunting, "prepare", delete_instead)
        try:
            await store.hunt("acme", "SELECT 1")
        except HuntError as refused:
            assert engine.name == "postgresql"
            assert refused.message == ONLY_SELECT
        assert await store.count_events() == 1
        monkeypatch.undo()

        # The token check stands on its own: with the tree's function check gone, a call of a
        # function not allowed is still refused.
        monkeypatch.setattr(hunting._Check, "expression", lambda self, kind, expr: None)
        with pytest.raises(HuntError, match="pg_read_file: function is not allowed"):
            await store.hunt("acme", "SELECT pg_read_file('/etc/passwd') AS f")
        monkeypatch.undo()

        monkeypatch.setattr(hunting._Check, "visit", lambda self, value, scope: None)
        for table in ("api_keys", "schema_migrations"):
            with pytest.raises(HuntError, match="does not exist here"):
                await store.hunt("acme", f"SELECT count(*) AS n FROM {table}")
        with pytest.raises(HuntError):
            await store.hunt("acme", "WITH a AS (SELECT * FROM b), b AS (SELECT 1) SELECT * FROM a")
        monkeypatch.undo()
        assert (await store.hunt("acme", "SELECT count(*) AS n FROM events")).rows == [(1,)]

    engine.run(scenario)


@pytest.mark.postgres
def test_postgres_hunts_read_strings_as_the_checker_did(pg_url: str, tmp_path: Any) -> None:
    """A server configured with non-standard strings (backslash escapes in plain literals)
    would read ``'a\\'`` differently from the parser that checked it; hunts pin the standard."""
    eng = Engine("postgresql", pg_url, tmp_path)
    eng.sql("DROP SCHEMA public CASCADE")
    eng.sql("CREATE SCHEMA public")
    database = pg_url.rsplit("/", 1)[1]
    eng.sql(f'ALTER DATABASE "{database}" SET standard_conforming_strings = off')
    try:

        async def scenario(store: Store) -> HuntResult:
            return await store.hunt("acme", "SELECT 'a\\' AS s, 'b' AS t")

        assert eng.run(scenario).rows == [("a\\", "b")]
    finally:
        eng.sql(f'ALTER DATABASE "{database}" RESET standard_conforming_strings')


def test_a_version_1_store_is_upgraded_in_place(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = make_event()
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:1])
    monkeypatch.setattr(migrations, "LATEST", 1)
    engine.run(lambda s: s.write_events([event]))
    monkeypatch.undo()

    async def upgraded(store: Store) -> None:
        assert (await store.ping()).schema_version == migrations.LATEST == 6
        assert await store.count_events() == 1
        fresh = make_event(offset_ms=1)
        result = await store.write_events(
            [event, fresh], [make_finding(event), make_finding(fresh)]
        )
        assert result == WriteResult(inserted=1, duplicates=1, findings=1, alerts=0)

    engine.run(upgraded)


# --- what the rule compiler's back-tests and the alert view read ----------------------------------


def test_events_by_id_reads_the_tenants_events_in_time_order(engine: Engine) -> None:
    events = [make_event(offset_ms=i) for i in range(1005)]
    theirs = make_event("globex", offset_ms=3)

    async def scenario(store: Store) -> None:
        await store.write_events([*events, theirs])
        wanted = [e.id for e in reversed(events)] + ["no-such-id", theirs.id, events[0].id]
        found = await store.events_by_id("acme", wanted)
        assert [e.id for e in found] == [e.id for e in events]
        assert found[0] == events[0]
        assert await store.events_by_id("globex", [theirs.id, events[0].id]) == [theirs]
        assert await store.events_by_id("acme", []) == []

    engine.run(scenario)


def test_select_runs_our_own_sql_read_only(engine: Engine) -> None:
    events = [make_event(offset_ms=i, app=("chat", "rag")[i % 2]) for i in range(10)]
    mark = "?" if engine.name == "duckdb" else "%s"

    async def scenario(store: Store) -> None:
        await store.write_events(events, [make_finding(e) for e in events[:4]])
        sql = (
            f"SELECT e.id FROM events e WHERE e.tenant = {mark} AND e.app = {mark} AND EXISTS "
            f"(SELECT 1 FROM findings f WHERE f.tenant = e.tenant AND f.event_id = e.id "
            f"AND f.detector = {mark} AND f.status = 'ok' AND f.score >= {mark}) ORDER BY e.id"
        )
        found = await store.select(sql, ["acme", "chat", DETECTOR, 0.5], limit=100)
        assert found == [(e.id,) for e in events[:4:2]]
        assert len(await store.select(sql, ["acme", "chat", DETECTOR, 0.5], limit=1)) == 1
        assert await store.select(sql, ["globex", "chat", DETECTOR, 0.5], limit=100) == []
        # Read only: a write is refused (PostgreSQL) or rolled back (DuckDB).
        try:
            await store.select(f"DELETE FROM events WHERE tenant = {mark}", ["acme"], limit=1)
        except StoreError:
            assert engine.name == "postgresql"
        assert await store.count_events() == 10
        forever = (
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r "
            "WHERE n < 1000000000) SELECT count(*) FROM r"
        )
        with pytest.raises(StoreError, match="ran past its limit"):
            await store.select(forever, [], limit=1, timeout_s=0.3)
        assert await store.count_events() == 10

    engine.run(scenario)


# --- the hunt check on its own: no input crashes it ---------------------------------------------

_TABLES = {name: f'"db".main.{name}' for name in hunting.TABLES}


@pytest.mark.parametrize("depth", [10, 300, 600, 1000, 5000])
def test_deeply_nested_hunts_are_refused_or_run_never_crash(depth: int) -> None:
    for sql in (
        "SELECT " + "(" * depth + "1" + ")" * depth,
        "SELECT " + "lower(" * depth + "'x'" + ")" * depth,
        "SELECT 1 FROM " + "(SELECT 1 FROM " * depth + "events" + ")" * depth,
    ):
        with contextlib.suppress(HuntError):
            hunting.prepare(sql, _TABLES, tenant_mark="$1", limit=10)


_SQL_PIECES = [
    "SELECT", "FROM", "WHERE", "WITH", "AS", "RECURSIVE", "UNION", "ALL", "WINDOW", "OVER",
    "events", "findings", "main.events", "pg_class", "read_csv", "(", ")", ",", ";", "'", '"',
    "$$", "$1", "?", "--", "/*", "*/", "\n", "*", "1", "x", "lower", "pg_read_file", "::",
    "regclass", "U&", "E'\\'", "=", "JOIN", "ON", "LATERAL", "VALUES", "ORDER BY", "LIMIT",
]  # fmt: skip


@given(
    st.one_of(
        st.text(max_size=200),
        st.lists(st.sampled_from(_SQL_PIECES), max_size=30).map(" ".join),
    )
)
@settings(max_examples=400, deadline=None)
def test_no_input_crashes_the_hunt_check(sql: str) -> None:
    try:
        wrapped = hunting.prepare(sql, _TABLES, tenant_mark="$1", limit=10)
    except HuntError:
        return
    assert wrapped.startswith("WITH events AS (SELECT * FROM ")
