"""Response actions on both real stores: blocks, rate limits, expiry, lifting, the auto trigger."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from garrison.detect.engine import DetectionEngine
from garrison.errors import ConflictError, NotFoundError, ValidationError
from garrison.guard.api import Guard, GuardContext
from garrison.guard.blocks import AutoBlocker, BlockList
from garrison.guard.policy import DEFAULT_POLICY_YAML, PolicySet, policy_from_text
from garrison.model.alert import Alert, Severity
from garrison.pipeline.base import Processed
from garrison.store.base import Store, WriteResult
from tests.store.conftest import Engine, engine, pg_url  # noqa: F401 (fixtures)


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_block_check_lift_and_tenancy(engine: Engine) -> None:  # noqa: F811
    async def scenario(store: Store) -> None:
        clock = Clock()
        blocks = BlockList(store, ttl_s=2.0, clock=clock)
        guard = Guard(
            PolicySet(policy_from_text("id: p\n")), engine=DetectionEngine([]), blocks=blocks
        )
        ctx = GuardContext(tenant="acme", app="bot", principal="mallory", session_id="s1")
        assert not (await guard.check_principal(ctx)).blocked
        b = await blocks.block(
            "acme", "principal", "mallory", duration_s=60, reason="probing", actor="k1"
        )
        decision = await guard.check_principal(ctx)
        assert decision.blocked and decision.codes == ["response.principal_blocked"]
        assert decision.attributes()["gen_ai.guardrail.target.subtype"] == "action"
        # another tenant's principal of the same name is not blocked, nor can it lift it
        other = GuardContext(tenant="globex", app="bot", principal="mallory")
        assert not (await guard.check_principal(other)).blocked
        with pytest.raises(NotFoundError):
            await blocks.lift("globex", b.id, "k2")
        assert [x.id for x in await blocks.active("acme")] == [b.id]
        lifted = await blocks.lift("acme", b.id, "k1")
        assert lifted.lifted_at is not None
        with pytest.raises(ConflictError):
            await blocks.lift("acme", b.id, "k1")
        assert not (await guard.check_principal(ctx)).blocked
        assert await blocks.active("acme") == []
        assert len(await blocks.listing("acme", include_inactive=True)) == 1
        with pytest.raises(ValidationError, match="kind"):
            await blocks.block("acme", "ip", "1.2.3.4", duration_s=1, reason="x", actor="k")

    engine.run(scenario)


def test_rate_limit_and_expiry(engine: Engine) -> None:  # noqa: F811
    async def scenario(store: Store) -> None:
        clock = Clock()
        blocks = BlockList(store, ttl_s=0.0, clock=clock)
        ctx = GuardContext(tenant="acme", app="bot", session_id="s-9")
        await blocks.block(
            "acme", "session", "s-9", duration_s=3600, reason="burst", actor="k",
            action="rate_limit", rate_limit_per_min=3,
        )  # fmt: skip
        stops = []
        for _ in range(5):
            hit = await blocks.check(ctx)
            assert hit is not None
            stops.append(hit[1])
        assert stops == [False, False, False, True, True]
        clock.t += 61  # a new minute
        hit = await blocks.check(ctx)
        assert hit is not None and hit[1] is False
        short = await blocks.block("acme", "principal", "p", duration_s=1, reason="x", actor="k")
        assert short.expires_at is not None and short.expires_at > datetime.now(UTC)
        await asyncio.sleep(1.1)
        assert await blocks.check(GuardContext(tenant="acme", app="bot", principal="p")) is None

    engine.run(scenario)


def _alert(n: int, severity: Severity, principal: str) -> Alert:
    now = datetime.now(UTC)
    return Alert(
        id=f"a{n}",
        tenant="acme",
        rule_id="r",
        rule_version=None,
        title="t",
        severity=severity,
        dedup_key="k",
        first_seen=now,
        last_seen=now,
        event_count=1,
        entities={"app": "bot", "principal": principal, "session_id": "s1"},
    )


def test_auto_block_after_repeated_high_alerts(engine: Engine) -> None:  # noqa: F811
    policy = policy_from_text(
        DEFAULT_POLICY_YAML.replace("auto_block: false", "auto_block: true")
        .replace("threshold: 5", "threshold: 3")
        .replace("by: [principal, session]", "by: [principal]")
    )

    async def scenario(store: Store) -> None:
        blocks = BlockList(store, ttl_s=0.0)
        auto = AutoBlocker(blocks, PolicySet(policy))
        medium = Processed(events=[], alerts=[_alert(i, Severity.MEDIUM, "eve") for i in range(5)])
        await auto(medium, WriteResult(0))
        assert await blocks.active("acme") == []  # below min_severity
        for i in range(2):
            await auto(
                Processed(events=[], alerts=[_alert(i, Severity.HIGH, "eve")]), WriteResult(0)
            )
        assert await blocks.active("acme") == []
        await auto(
            Processed(events=[], alerts=[_alert(9, Severity.CRITICAL, "eve")]), WriteResult(0)
        )
        active = await blocks.active("acme")
        assert [(b.kind, b.value, b.action, b.created_by) for b in active] == [
            ("principal", "eve", "block", "garrison:auto")
        ]
        assert active[0].expires_at is not None

    engine.run(scenario)
