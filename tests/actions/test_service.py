"""The actions service against real receivers and real stores (DuckDB file, PostgreSQL):
persisted before sending, signed, retried with backoff, dead-lettered, retried by hand, resumed
after a restart, never for suppressed changes; HEC batches and syslog over TCP and UDP."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from garrison.actions import deliveries as dl
from garrison.actions.service import ActionsService
from garrison.actions.settings import ActionsSettings
from garrison.actions.webhooks import verify
from garrison.errors import ConfigError, ConflictError, NotFoundError
from garrison.response.events import ResponseChange
from garrison.store import Store
from tests.store.conftest import Engine

from .conftest import HttpListener, SocketListener
from .test_formats import ALERT


def settings(
    targets: dict[str, Any], routes: list[dict[str, Any]], **extra: Any
) -> ActionsSettings:
    return ActionsSettings.model_validate(
        {
            "targets": targets,
            "routes": routes,
            "backoff_s": 0.01,
            "backoff_max_s": 0.05,
            "timeout_s": 5,
            **extra,
        }
    )


def change(**fields: Any) -> ResponseChange:
    obj = {**ALERT, **fields.pop("object", {})}
    fields.setdefault("change", "created")
    return ResponseChange(kind="alert", tenant="acme", id=obj["id"], object=obj, **fields)


async def drain(
    svc: ActionsService, store: Store, done: Callable[[list[dl.Delivery]], bool]
) -> list[dl.Delivery]:
    """Run worker passes until ``done`` holds for the tenant's deliveries (or 10 s pass)."""
    for _ in range(400):
        await svc.send_due()
        found, _ = await dl.page(store, "acme")
        if done(found):
            return found
        await asyncio.sleep(0.025)
    raise AssertionError(f"deliveries never settled: {[d.to_dict() for d in found]}")


def run(
    engine: Engine,
    cfg: ActionsSettings,
    scenario: Callable[[ActionsService, Store], Awaitable[Any]],
    services: dict[str, Any] | None = None,
) -> Any:
    async def main(store: Store) -> Any:
        svc = ActionsService(cfg, store, engine.data_dir, services)
        await svc.start(background=False)
        try:
            return await scenario(svc, store)
        finally:
            await svc.stop()

    return engine.run(main)


def test_signed_webhook_retried_after_500s(
    engine: Engine, http_listener: HttpListener, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GARRISON_TEST_HOOK_SECRET", "s3cret")
    http_listener.script = [500, 503]
    cfg = settings(
        {
            "hook": {
                "type": "webhook",
                "url": http_listener.url + "/in",
                "secret": {"env": "GARRISON_TEST_HOOK_SECRET"},
            }
        },
        [{"name": "all", "targets": ["hook"]}],
    )

    async def scenario(svc: ActionsService, store: Store) -> list[dl.Delivery]:
        made = await svc.on_change(change())
        assert len(made) == 1
        stored = await dl.get(store, "acme", made[0].id)  # persisted before any send
        assert stored.status == "pending" and http_listener.requests == []
        return await drain(svc, store, lambda ds: ds[0].status == "delivered")

    found = run(engine, cfg, scenario)
    assert found[0].attempts == 3 and found[0].last_error is None
    assert len(http_listener.requests) == 3
    last = http_listener.requests[-1]
    assert last.path == "/in"
    assert verify(
        "s3cret",
        last.body,
        last.headers["X-Garrison-Timestamp"],
        last.headers["X-Garrison-Signature"],
    )
    assert last.headers["X-Garrison-Delivery"] == found[0].id
    body = orjson.loads(last.body)
    assert body["type"] == "alert.created" and body["object"]["id"] == ALERT["id"]


def test_permanent_failure_is_a_dead_letter_and_can_be_retried(
    engine: Engine, http_listener: HttpListener
) -> None:
    http_listener.script = [400]
    cfg = settings(
        {"hook": {"type": "webhook", "url": http_listener.url}},
        [{"name": "r", "targets": ["hook"]}],
    )

    async def scenario(svc: ActionsService, store: Store) -> tuple[dl.Delivery, dl.Delivery]:
        await svc.on_change(change())
        dead = (await drain(svc, store, lambda ds: ds[0].status == "dead"))[0]
        listed, _ = await dl.page(store, "acme", statuses=("dead",))
        assert [d.id for d in listed] == [dead.id]
        with pytest.raises(NotFoundError):
            await dl.retry(store, "globex", dead.id, dead.updated_at)  # type: ignore[arg-type]
        again = await dl.retry(store, "acme", dead.id, dead.updated_at)  # type: ignore[arg-type]
        assert (again.status, again.attempts) == ("pending", 0)
        done = (await drain(svc, store, lambda ds: ds[0].status == "delivered"))[0]
        with pytest.raises(ConflictError):
            await dl.retry(store, "acme", dead.id, dead.updated_at)  # type: ignore[arg-type]
        return dead, done

    dead, done = run(engine, cfg, scenario)
    assert dead.attempts == 1 and dead.last_error == "the receiver answered 400 Bad Request"
    assert done.status == "delivered" and len(http_listener.requests) == 2


def test_attempts_run_out_into_a_dead_letter(engine: Engine, http_listener: HttpListener) -> None:
    http_listener.default = 503
    cfg = settings(
        {"hook": {"type": "webhook", "url": http_listener.url}},
        [{"name": "r", "targets": ["hook"]}],
        max_attempts=3,
    )

    async def scenario(svc: ActionsService, store: Store) -> list[dl.Delivery]:
        await svc.on_change(change())
        return await drain(svc, store, lambda ds: ds[0].status == "dead")

    found = run(engine, cfg, scenario)
    assert found[0].attempts == 3 and "503" in (found[0].last_error or "")
    assert len(http_listener.requests) == 3


def test_pending_delivery_survives_a_restart(engine: Engine, http_listener: HttpListener) -> None:
    cfg = settings(
        {"hook": {"type": "webhook", "url": http_listener.url}},
        [{"name": "r", "targets": ["hook"]}],
    )

    async def first(svc: ActionsService, store: Store) -> None:
        await svc.on_change(change())  # written; the process "stops" before sending

    async def second(svc: ActionsService, store: Store) -> list[dl.Delivery]:
        return await drain(svc, store, lambda ds: ds[0].status == "delivered")

    run(engine, cfg, first)
    assert http_listener.requests == []
    found = run(engine, cfg, second)
    assert len(found) == 1 and len(http_listener.requests) == 1


def test_routes_filter_and_suppressed_changes_notify_nobody(
    engine: Engine, http_listener: HttpListener
) -> None:
    cfg = settings(
        {"hook": {"type": "webhook", "url": http_listener.url}},
        [
            {"name": "crit", "min_severity": "critical", "targets": ["hook"]},
            {"name": "tagged", "tags": ["atlas.AML.T0051"], "targets": ["hook"]},
            {"name": "rule", "rule_ids": ["other.rule"], "targets": ["hook"]},
            {"name": "incidents", "kind": "incident", "targets": ["hook"]},
        ],
    )

    async def scenario(svc: ActionsService, store: Store) -> list[str]:
        assert await svc.on_change(change(suppressed=True)) == []
        assert await svc.on_change(change(change="status")) == []  # routes want "created"
        made = await svc.on_change(change())
        return [d.source for d in made]

    assert run(engine, cfg, scenario) == ["tagged"]  # high < critical; sub-technique of T0051


def test_block_without_guard_is_a_clear_dead_letter(engine: Engine) -> None:
    cfg = settings(
        {"stop": {"type": "block", "kind": "session", "duration_s": 60}},
        [{"name": "r", "targets": ["stop"]}],
    )

    async def scenario(svc: ActionsService, store: Store) -> list[dl.Delivery]:
        made = await svc.on_change(change())
        assert made[0].payload["value"] == "s-1"
        return await drain(svc, store, lambda ds: ds[0].status == "dead")

    found = run(engine, cfg, scenario, services={})
    assert "block list is not available" in (found[0].last_error or "")


def test_block_adds_the_principal_to_the_guards_block_list(engine: Engine) -> None:
    from garrison.guard.blocks import BlockList

    class Guard:  # what services["guard"] exposes to actions: the real block list
        def __init__(self, store: Store) -> None:
            self.blocks = BlockList(store)

    cfg = settings(
        {"stop": {"type": "block", "duration_s": 60}}, [{"name": "r", "targets": ["stop"]}]
    )

    async def main(store: Store) -> list[Any]:
        guard = Guard(store)
        svc = ActionsService(cfg, store, engine.data_dir, {"guard": guard})
        await svc.start(background=False)
        try:
            await svc.on_change(change())
            await drain(svc, store, lambda ds: ds[0].status == "delivered")
        finally:
            await svc.stop()
        return await guard.blocks.active("acme")

    (block,) = engine.run(main)
    assert (block.kind, block.value, block.created_by) == ("principal", "user-7", "route:r")
    assert block.expires_at is not None and ALERT["id"] in block.reason


def test_hec_batches_ocsf_findings(
    engine: Engine, http_listener: HttpListener, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GARRISON_TEST_HEC", "tok-1")
    http_listener.script = [503]
    cfg = settings(
        {
            "splunk": {
                "type": "hec",
                "url": http_listener.url,
                "token": {"env": "GARRISON_TEST_HEC"},
                "index": "ai",
                "batch_size": 10,
            }
        },
        [{"name": "siem", "targets": ["splunk"]}],
    )

    async def scenario(svc: ActionsService, store: Store) -> list[dl.Delivery]:
        for i in range(3):
            await svc.on_change(change(object={"id": f"0190a000-0000-7000-8000-00000000000{i}"}))
        return await drain(svc, store, lambda ds: all(d.status == "delivered" for d in ds))

    found = run(engine, cfg, scenario)
    assert len(found) == 3 and len(http_listener.requests) == 2  # one failed batch, one good
    req = http_listener.requests[-1]
    assert req.path == "/services/collector/event"
    assert req.headers["Authorization"] == "Splunk tok-1"
    envelopes = [orjson.loads(line) for line in req.body.split(b"\n")]
    assert len(envelopes) == 3
    for env in envelopes:
        assert env["sourcetype"] == "ocsf:detection_finding" and env["index"] == "ai"
        assert env["event"]["class_uid"] == 2004


def test_syslog_tcp_octet_counted_and_udp(
    engine: Engine, tcp_listener: SocketListener, udp_listener: SocketListener
) -> None:
    cfg = settings(
        {
            "tcp": {"type": "syslog", "host": "127.0.0.1", "port": tcp_listener.port},
            "udp": {
                "type": "syslog",
                "host": "127.0.0.1",
                "port": udp_listener.port,
                "protocol": "udp",
            },
        },
        [{"name": "siem", "targets": ["tcp", "udp"]}],
    )

    async def scenario(svc: ActionsService, store: Store) -> None:
        await svc.on_change(change())
        await svc.on_change(change(object={"id": "0190a000-0000-7000-8000-0000000000ff"}))
        await drain(svc, store, lambda ds: all(d.status == "delivered" for d in ds))
        for _ in range(100):
            if len(udp_listener.received) == 2 and tcp_listener.received:
                return
            await asyncio.sleep(0.02)

    run(engine, cfg, scenario)
    stream = b"".join(tcp_listener.received)
    frames = []
    while stream:
        length, _, rest = stream.partition(b" ")
        frames.append(rest[: int(length)])
        stream = rest[int(length) :]
    assert len(frames) == 2
    for frame in [*frames, *udp_listener.received]:
        text = frame.decode()
        assert text.startswith("<83>1 ")  # authpriv (10) * 8 + error (3) for "high"
        assert " garrison - alert - CEF:0|Garrison|Garrison|" in text


def test_syslog_down_is_retried_then_dead(engine: Engine) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cfg = settings(
        {"tcp": {"type": "syslog", "host": "127.0.0.1", "port": port}},
        [{"name": "siem", "targets": ["tcp"]}],
        max_attempts=2,
    )

    async def scenario(svc: ActionsService, store: Store) -> list[dl.Delivery]:
        await svc.on_change(change())
        return await drain(svc, store, lambda ds: ds[0].status == "dead")

    found = run(engine, cfg, scenario)
    assert found[0].attempts == 2 and "cannot send" in (found[0].last_error or "")


def test_missing_secret_fails_at_start_naming_the_field(engine: Engine) -> None:
    os.environ.pop("GARRISON_TEST_ABSENT", None)
    cfg = settings(
        {
            "hook": {
                "type": "webhook",
                "url": "http://127.0.0.1:1",
                "secret": {"env": "GARRISON_TEST_ABSENT"},
            }
        },
        [],
    )
    with pytest.raises(ConfigError, match="GARRISON_TEST_ABSENT") as err:
        run(engine, cfg, lambda svc, store: asyncio.sleep(0))
    assert err.value.details["field"] == "actions.targets.hook.secret"


def test_background_worker_sends_without_being_asked(
    tmp_path: Path, http_listener: HttpListener
) -> None:
    from garrison.store import open_store

    cfg = settings(
        {"hook": {"type": "webhook", "url": http_listener.url}},
        [{"name": "r", "targets": ["hook"]}],
        poll_s=0.05,
    )

    async def main() -> None:
        store = open_store(f"duckdb://{tmp_path / 'g.duckdb'}", tmp_path)
        await store.open()
        svc = ActionsService(cfg, store, tmp_path)
        await svc.start()
        try:
            await svc.on_change(change())
            for _ in range(200):
                if http_listener.requests:
                    break
                await asyncio.sleep(0.02)
        finally:
            await svc.stop()
            await store.aclose()

    asyncio.run(main())
    assert len(http_listener.requests) == 1


def test_slack_and_teams_posts_and_alert_file(
    engine: Engine, http_listener: HttpListener, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GARRISON_TEST_SLACK", http_listener.url + "/slack")
    monkeypatch.setenv("GARRISON_TEST_TEAMS", http_listener.url + "/teams")
    cfg = settings(
        {
            "slack": {"type": "slack", "url": {"env": "GARRISON_TEST_SLACK"}},
            "teams": {"type": "teams", "url": {"env": "GARRISON_TEST_TEAMS"}},
            "disk": {"type": "file", "dir": "alerts"},
        },
        [{"name": "chat", "targets": ["slack", "teams", "disk"]}],
    )

    async def scenario(svc: ActionsService, store: Store) -> None:
        await svc.on_change(change())
        await drain(svc, store, lambda ds: all(d.status == "delivered" for d in ds))

    run(engine, cfg, scenario)
    by_path = {r.path: orjson.loads(r.body) for r in http_listener.requests}
    assert by_path["/slack"]["blocks"][0]["type"] == "header"
    assert by_path["/teams"]["attachments"][0]["content"]["type"] == "AdaptiveCard"
    (written,) = (engine.data_dir / "alerts").iterdir()
    line = orjson.loads(written.read_text().splitlines()[0])
    assert line["object"]["id"] == ALERT["id"] and line["change"] == "created"
