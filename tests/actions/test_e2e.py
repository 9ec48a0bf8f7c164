"""End to end: a real `garrison serve` whose detections reach a real webhook receiver through
the response subsystem and the actions worker, signed, and listed as delivered."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import orjson
import pytest

from garrison.actions.webhooks import verify
from tests.conftest import start_server, stop_server
from tests.e2e.test_detection import ATTACK, BENIGN, post

from .conftest import HttpListener

pytestmark = pytest.mark.e2e


def test_served_alerts_reach_a_signed_webhook(
    tmp_path: Path, http_listener: HttpListener, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GARRISON_TEST_E2E_SECRET", "e2e-secret")
    http_listener.script = [502]  # the receiver hiccups once; the worker retries
    cfg = tmp_path / "garrison.yaml"
    cfg.write_text(
        "actions:\n"
        "  backoff_s: 0.2\n"
        "  poll_s: 0.2\n"
        "  targets:\n"
        f"    soc: {{type: webhook, url: '{http_listener.url}/hook',"
        " secret: {env: GARRISON_TEST_E2E_SECRET}}\n"
        "  routes:\n"
        "    - {name: all-alerts, kind: alert, targets: [soc]}\n"
    )
    data = tmp_path / "data"
    data.mkdir()
    server = start_server(data, "--config", str(cfg))
    try:
        post(server, BENIGN + ATTACK)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(http_listener.requests) < 2:
            time.sleep(0.1)
        assert len(http_listener.requests) >= 2, server.log_text()
        delivered = httpx.get(
            f"{server.url}/api/v1/deliveries?status=delivered", headers=server.auth()
        ).json()["deliveries"]
        assert delivered and all(d["target"] == "soc" for d in delivered)
        ocsf = httpx.get(f"{server.url}/api/v1/export/ocsf?since=30d", headers=server.auth())
        assert ocsf.status_code == 200
    finally:
        stop_server(server)
    good = http_listener.requests[-1]
    assert verify(
        "e2e-secret",
        good.body,
        good.headers["X-Garrison-Timestamp"],
        good.headers["X-Garrison-Signature"],
    )
    body = orjson.loads(good.body)
    assert body["type"].startswith("alert.") and body["tenant"] == "acme"
    assert body["object"]["entities"].get("session_id") == "sess-attack"
