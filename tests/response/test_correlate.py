"""Correlation into incidents on both engines: shared entities, windows, merges, kill chain."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from garrison.model.alert import Severity
from garrison.model.finding import Finding
from garrison.pipeline.base import Processed
from garrison.response.correlate import Correlator
from garrison.response.settings import ResponseSettings
from garrison.store import Store
from tests.store.conftest import Engine

from .helpers import incident_of, make_alert, open_incidents, rows, service, write


def test_alerts_sharing_a_session_within_the_window_form_one_incident(engine: Engine) -> None:
    async def scenario(store: Store) -> None:
        svc = service(store)
        changes = await write(svc, make_alert(1, session_id="s1"), make_alert(2, minutes=5))
        await write(svc, make_alert(3, minutes=30, session_id="s1", rule_id="rule-2"))
        first = await incident_of(store, "alert-1")
        assert await incident_of(store, "alert-3") == first
        assert await incident_of(store, "alert-2") != first  # no shared key entity
        incidents = {i[0]: i for i in await open_incidents(store)}
        assert len(incidents) == 2
        assert incidents[first][1] == 2
        kinds = sorted((c.kind, c.change) for c in changes)
        assert kinds == [
            ("alert", "created"),
            ("alert", "created"),
            ("incident", "created"),
            ("incident", "created"),
        ]
        rules = await rows(store, "SELECT rules FROM incidents WHERE id = ?", first)
        assert rules == [('["rule-1","rule-2"]',)]

    engine.run(scenario)


def test_a_generic_entity_such_as_the_app_never_links(engine: Engine) -> None:
    async def scenario(store: Store) -> None:
        svc = service(store)
        await write(svc, make_alert(1, app="chat", tool="search"))
        await write(svc, make_alert(2, minutes=1, app="chat", tool="search"))
        assert await incident_of(store, "alert-1") != await incident_of(store, "alert-2")

    engine.run(scenario)


def test_ignored_values_do_not_link(engine: Engine) -> None:
    async def scenario(store: Store) -> None:
        svc = service(store)
        await write(svc, make_alert(1, principal="anonymous"), make_alert(2, principal="unknown"))
        await write(svc, make_alert(3, minutes=1, principal="anonymous"))
        ids = {await incident_of(store, f"alert-{n}") for n in (1, 2, 3)}
        assert len(ids) == 3

    engine.run(scenario)


def test_past_the_window_an_entity_opens_a_new_incident(engine: Engine) -> None:
    async def scenario(store: Store) -> None:
        svc = service(store, window_s=600, key_windows_s={"principal": 7200})
        await write(svc, make_alert(1, session_id="s1", principal="bob"))
        await write(svc, make_alert(2, minutes=20, session_id="s1"))  # session window: 10 min
        await write(svc, make_alert(3, minutes=90, principal="bob"))  # principal window: 2 h
        first = await incident_of(store, "alert-1")
        assert await incident_of(store, "alert-2") != first
        assert await incident_of(store, "alert-3") == first
        # the session entity now points at the newer incident
        linked = await rows(
            store, "SELECT incident_id FROM incident_entities WHERE entity = 'session_id=s1'"
        )
        assert linked == [(await incident_of(store, "alert-2"),)]

    engine.run(scenario)


def test_an_alert_linking_two_incidents_merges_them_into_the_older(engine: Engine) -> None:
    async def scenario(store: Store) -> None:
        svc = service(store)
        await write(svc, make_alert(1, session_id="s1"))
        await write(svc, make_alert(2, minutes=1, principal="mallory"))
        older, newer = await incident_of(store, "alert-1"), await incident_of(store, "alert-2")
        changes = await write(svc, make_alert(3, minutes=2, session_id="s1", principal="mallory"))
        for n in (1, 2, 3):
            assert await incident_of(store, f"alert-{n}") == older
        assert [(i[0], i[1]) for i in await open_incidents(store)] == [(older, 3)]
        merged = await rows(store, "SELECT merged_into FROM incidents WHERE id = ?", newer)
        assert merged == [(older,)]
        entities = await rows(
            store, "SELECT DISTINCT incident_id FROM incident_entities WHERE tenant = 'acme'"
        )
        assert entities == [(older,)]
        logged = await rows(
            store,
            "SELECT actor, action, target_id FROM audit_log WHERE action = 'incident.merged'",
        )
        assert logged == [("correlation", "incident.merged", newer)]
        incident_changes = [c for c in changes if c.kind == "incident"]
        assert [(c.id, c.change, c.merged_from) for c in incident_changes] == [
            (older, "merged", (newer,))
        ]

    engine.run(scenario)


def test_alerts_of_one_batch_chain_through_shared_entities(engine: Engine) -> None:
    async def scenario(store: Store) -> None:
        svc = service(store)
        await write(
            svc,
            make_alert(1, session_id="s1"),
            make_alert(2, minutes=1, session_id="s1", principal="eve"),
            make_alert(3, minutes=2, principal="eve"),
            make_alert(4, minutes=3, session_id="s9"),
        )
        incidents = await open_incidents(store)
        assert sorted(i[1] for i in incidents) == [1, 3]

    engine.run(scenario)


def test_kill_chain_progression_raises_the_incident_severity(engine: Engine) -> None:
    async def scenario(store: Store) -> None:
        svc = service(store)
        await write(
            svc,
            make_alert(1, session_id="s1", tags=("atlas.AML.T0051",)),  # Execution
            make_alert(2, minutes=1, session_id="s2", tags=("atlas.AML.T0051",)),
        )
        await write(
            svc,
            make_alert(3, minutes=2, session_id="s1", tags=("atlas.AML.TA0010",)),  # Exfiltration
            make_alert(4, minutes=2, session_id="s1", tags=("atlas.AML.TA0004",)),  # Init. access
        )
        escalated = await incident_of(store, "alert-1")
        found = await rows(
            store, "SELECT id, severity, max_alert_severity, tactics FROM incidents ORDER BY id"
        )
        by_id = {r[0]: r[1:] for r in found}
        # medium alerts; Initial Access -> Execution -> Exfiltration: two levels up
        assert by_id[escalated] == (
            "critical",
            "medium",
            '["AML.TA0004","AML.TA0005","AML.TA0010"]',
        )
        assert by_id[await incident_of(store, "alert-2")] == ("medium", "medium", '["AML.TA0005"]')

    engine.run(scenario)


def test_kill_chain_escalation_can_be_turned_off(engine: Engine) -> None:
    async def scenario(store: Store) -> None:
        svc = service(store, escalate_kill_chain=False)
        await write(
            svc,
            make_alert(1, session_id="s1", tags=("atlas.AML.TA0004",)),
            make_alert(2, session_id="s1", severity=Severity.HIGH, tags=("atlas.AML.TA0010",)),
        )
        assert [i[2] for i in await open_incidents(store)] == ["high"]

    engine.run(scenario)


def test_a_redelivered_batch_changes_nothing(engine: Engine) -> None:
    async def scenario(store: Store) -> None:
        svc = service(store)
        pairs = (make_alert(1, session_id="s1"), make_alert(2, session_id="s1"))
        await write(svc, *pairs)
        before = await rows(store, "SELECT id, alert_count, revision FROM incidents")
        changes = await write(svc, *pairs)
        assert await rows(store, "SELECT id, alert_count, revision FROM incidents") == before
        assert {c.kind for c in changes} == {"alert"}

    engine.run(scenario)


def test_state_survives_a_restart(engine: Engine) -> None:
    async def first(store: Store) -> str:
        await write(service(store), make_alert(1, session_id="s1"))
        return await incident_of(store, "alert-1")

    async def second(store: Store) -> str:
        await write(service(store), make_alert(2, minutes=3, session_id="s1"))
        return await incident_of(store, "alert-2")

    assert engine.run(first) == engine.run(second)


def test_tenants_never_share_incidents(engine: Engine) -> None:
    async def scenario(store: Store) -> None:
        svc = service(store)
        await write(
            svc, make_alert(1, session_id="s1"), make_alert(2, tenant="globex", session_id="s1")
        )
        assert await incident_of(store, "alert-1") != await incident_of(
            store, "alert-2", tenant="globex"
        )
        assert len(await open_incidents(store, "globex")) == 1

    engine.run(scenario)


def test_two_workers_correlating_at_once_agree_on_one_incident(engine: Engine) -> None:
    async def scenario(store: Store) -> None:
        pairs = [make_alert(n, minutes=n, session_id="s1") for n in range(1, 9)]
        await store.write_events([p[0] for p in pairs], (), [p[1] for p in pairs])
        workers = [Correlator(store, ResponseSettings()) for _ in range(4)]
        await asyncio.gather(
            *(w.process([p[1] for p in pairs[i::4]]) for i, w in enumerate(workers))
        )
        incidents = await open_incidents(store)
        assert [i[1] for i in incidents] == [8]
        members = await rows(store, "SELECT DISTINCT incident_id FROM incident_alerts")
        assert members == [(incidents[0][0],)]

    engine.run(scenario)


def test_start_catches_up_on_alerts_whose_hook_never_ran(engine: Engine) -> None:
    async def scenario(store: Store) -> None:
        pairs = [make_alert(1, session_id="s1"), make_alert(2, minutes=1, session_id="s1")]
        await store.write_events([p[0] for p in pairs], (), [p[1] for p in pairs])
        svc = service(store)
        # the alerts were stamped at their (2026-03) event time; catch up looks at creation
        assert await svc.catch_up(within=timedelta(days=3650)) == 2
        assert [i[1] for i in await open_incidents(store)] == [2]
        assert await svc.catch_up(within=timedelta(days=3650)) == 0

    engine.run(scenario)


def test_a_shared_intel_indicator_links_different_sessions(engine: Engine) -> None:
    async def scenario(store: Store) -> None:
        svc = service(store)
        pairs = [
            make_alert(1, session_id="s1", principal="ann"),
            make_alert(2, minutes=1, session_id="s2", principal="bob"),
            make_alert(3, minutes=2, session_id="s3", principal="cy"),
        ]
        findings = [
            Finding(
                event_id=pairs[n][0].id,
                detector="indicators",
                version="1",
                label="ioc.url",
                score=0.9,
                detail={"indicator": "ind-evil-url"},
            )
            for n in (0, 1)
        ]
        events, alerts = [p[0] for p in pairs], [p[1] for p in pairs]
        result = await store.write_events(events, findings, alerts)
        await svc.on_commit(Processed(events, findings, alerts), result)
        assert await incident_of(store, "alert-1") == await incident_of(store, "alert-2")
        assert await incident_of(store, "alert-3") != await incident_of(store, "alert-1")
        linked = await rows(store, "SELECT entity FROM incident_entities WHERE entity LIKE 'ind%'")
        assert linked == [("indicator=ind-evil-url",)]

    engine.run(scenario)
