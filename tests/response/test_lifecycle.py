"""The lifecycle on both engines: optimistic edits, suppressions, reopening, merges and comments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from garrison.errors import ConflictError, NotFoundError, ValidationError
from garrison.model.alert import AlertStatus
from garrison.response import audit, lifecycle
from garrison.store import Store
from garrison.store.base import Cursor, Stmt
from tests.store.conftest import Engine

from .helpers import incident_of, make_alert, open_incidents, rows, service, write


def test_an_edit_with_a_stale_version_is_refused_and_changes_nothing(engine: Engine) -> None:
    async def scenario(store: Store) -> None:
        await write(service(store), make_alert(1, session_id="s1"))
        incident = await incident_of(store, "alert-1")
        updated, change = await lifecycle.patch_incident(
            store,
            "acme",
            incident,
            expected_version=1,
            fields={"status": AlertStatus.TRIAGED, "assignee": "ana"},
            actor="key-a",
        )
        assert (updated.version, updated.status, updated.assignee) == (2, "triaged", "ana")
        assert change is not None and change.change == "status"
        with pytest.raises(ConflictError) as raised:
            await lifecycle.patch_incident(
                store,
                "acme",
                incident,
                expected_version=1,
                fields={"assignee": "bo"},
                actor="key-b",
            )
        assert raised.value.details["current_version"] == 2
        again = await lifecycle.read_incident(store, "acme", incident)
        assert (again.version, again.assignee) == (2, "ana")
        # an edit that changes nothing writes nothing
        same, none = await lifecycle.patch_incident(
            store, "acme", incident, expected_version=2, fields={"assignee": "ana"}, actor="k"
        )
        assert none is None and same.version == 2
        with pytest.raises(NotFoundError):
            await lifecycle.read_incident(store, "globex", incident)
        page = await audit.query(store, "acme", target_type="incident")
        assert [(e["actor"], e["action"]) for e in page.entries] == [
            ("key-a", "incident.updated"),
            ("correlation", "incident.created"),
        ]

    engine.run(scenario)


def test_correlation_does_not_stale_an_analysts_etag(engine: Engine) -> None:
    async def scenario(store: Store) -> None:
        svc = service(store)
        await write(svc, make_alert(1, session_id="s1"))
        incident = await incident_of(store, "alert-1")
        await write(svc, make_alert(2, minutes=1, session_id="s1"))
        got = await lifecycle.read_incident(store, "acme", incident)
        assert (got.alert_count, got.version, got.revision) == (2, 1, 2)
        await lifecycle.patch_incident(
            store,
            "acme",
            incident,
            expected_version=1,
            fields={"status": AlertStatus.IN_PROGRESS},
            actor="k",
        )

    engine.run(scenario)


def test_a_resolved_incident_reopens_when_the_attack_goes_on(engine: Engine) -> None:
    async def scenario(store: Store) -> None:
        svc = service(store)
        await write(svc, make_alert(1, session_id="s1"))
        incident = await incident_of(store, "alert-1")
        await lifecycle.patch_incident(
            store,
            "acme",
            incident,
            expected_version=1,
            fields={"status": AlertStatus.RESOLVED},
            actor="k",
        )
        changes = await write(svc, make_alert(2, minutes=5, session_id="s1"))
        assert [(i[0], i[3]) for i in await open_incidents(store)] == [(incident, "new")]
        [change] = [c for c in changes if c.kind == "incident"]
        assert (change.change, change.previous_status) == ("status", "resolved")

    engine.run(scenario)


def test_a_merged_incident_keeps_its_comments_reachable(engine: Engine) -> None:
    async def scenario(store: Store) -> None:
        svc = service(store)
        await write(svc, make_alert(1, session_id="s1"))
        await write(svc, make_alert(2, principal="p2"))
        older, newer = await incident_of(store, "alert-1"), await incident_of(store, "alert-2")
        await lifecycle.add_comment(store, "acme", "incident", newer, author="k", body="look")
        await write(svc, make_alert(3, minutes=1, session_id="s1", principal="p2"))
        comments = await lifecycle.list_comments(store, "acme", "incident", older)
        assert [c["body"] for c in comments] == ["look"]
        with pytest.raises(ConflictError) as raised:
            await lifecycle.patch_incident(
                store,
                "acme",
                newer,
                expected_version=2,
                fields={"status": AlertStatus.RESOLVED},
                actor="k",
            )
        assert raised.value.details["merged_into"] == older

    engine.run(scenario)


def test_suppressions_close_new_alerts_count_hits_and_expire(engine: Engine) -> None:
    async def scenario(store: Store) -> None:
        svc = service(store)
        suppression = await lifecycle.create_suppression(
            store,
            "acme",
            rule_id="rule-1",
            match={"principal": "scanner"},
            reason="nightly scanner",
            expires_at=datetime.now(UTC) + timedelta(hours=1),
            actor="k",
        )
        changes = await write(
            svc,
            make_alert(1, session_id="s1", principal="scanner"),
            make_alert(2, session_id="s2", principal="scanner", rule_id="rule-2"),
            make_alert(3, session_id="s3", principal="bob"),
        )
        closed = await rows(
            store, "SELECT id, status, disposition FROM alerts WHERE id = 'alert-1'"
        )
        assert closed == [("alert-1", "false_positive", f"suppressed by {suppression.id}")]
        members = await rows(store, "SELECT alert_id FROM incident_alerts ORDER BY alert_id")
        assert members == [("alert-2",), ("alert-3",)]
        assert [(c.id, c.suppressed) for c in changes if c.kind == "alert"] == [
            ("alert-1", True),
            ("alert-2", False),
            ("alert-3", False),
        ]
        [listed] = await lifecycle.list_suppressions(store, "acme")
        assert listed.hits == 1 and listed.last_hit_at is not None
        # an expired suppression matches nothing
        await store.transact(
            [
                Stmt(
                    "UPDATE suppressions SET expires_at = ? WHERE id = ?",
                    (datetime.now(UTC) - timedelta(seconds=1), suppression.id),
                )
            ]
        )
        await write(svc, make_alert(4, minutes=1, session_id="s4", principal="scanner"))
        assert await incident_of(store, "alert-4")
        assert (await lifecycle.list_suppressions(store, "acme"))[0].hits == 1
        logged = await rows(
            store, "SELECT actor, target_id FROM audit_log WHERE action = 'alert.suppressed'"
        )
        assert logged == [(f"suppression:{suppression.id}", "alert-1")]

    engine.run(scenario)


def test_suppressions_are_validated_and_deleted_per_tenant(engine: Engine) -> None:
    async def scenario(store: Store) -> None:
        with pytest.raises(ValidationError):
            await lifecycle.create_suppression(
                store, "acme", rule_id=None, match={}, reason="x", expires_at=None, actor="k"
            )
        made = await lifecycle.create_suppression(
            store, "acme", rule_id="r", match={}, reason="x", expires_at=None, actor="k"
        )
        with pytest.raises(NotFoundError):
            await lifecycle.delete_suppression(store, "globex", made.id, actor="k")
        await lifecycle.delete_suppression(store, "acme", made.id, actor="k")
        assert await lifecycle.list_suppressions(store, "acme") == []

    engine.run(scenario)


def test_the_audit_log_pages_newest_first_without_content(engine: Engine) -> None:
    async def scenario(store: Store) -> None:
        await write(service(store), make_alert(1, session_id="s1"))
        for n in range(5):
            await lifecycle.add_comment(
                store, "acme", "alert", "alert-1", author=f"key-{n}", body=f"private {n}"
            )
        seen: list[dict[str, object]] = []
        cursor = None
        while True:
            page = await audit.query(store, "acme", target_type="alert", limit=2, cursor=cursor)
            seen.extend(page.entries)
            if page.next_cursor is None:
                break
            cursor = Cursor.decode(page.next_cursor)
        assert [e["actor"] for e in seen] == [f"key-{n}" for n in reversed(range(5))]
        assert all("private" not in str(e["detail"]) for e in seen)
        assert (await audit.query(store, "globex")).entries == []

    engine.run(scenario)
