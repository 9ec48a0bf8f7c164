"""The gateway's test rig: a real fake-provider process, a real Garrison server (uvicorn on a
free port, in a thread) on a real DuckDB file, and a guard scripted to decide by markers.

The scripted guard implements the guard's contract (``garrison.guard.api``) so the gateway's
handling of every kind of decision (block, refusal, rewrite, stream violation) is exercised over
real HTTP; the policy-driven guard is tested by its own suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from garrison.gateway.service import GatewayService
from garrison.guard.api import (
    Action,
    ChatMessage,
    Decision,
    Exchange,
    Guard,
    GuardContext,
    InputDecision,
    OutputDecision,
    StreamGuard,
    StreamStep,
    ToolCallSpec,
    Violation,
)
from garrison.pipeline.service import Pipeline
from garrison.web.app import create_app
from tests.conftest import create_key, free_port, make_settings

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_KEY = "sk-fake-provider-key-0123456789abcdef"


@dataclass
class FakeUpstream:
    url: str
    proc: subprocess.Popen[bytes]

    @property
    def base(self) -> str:
        return f"{self.url}/v1"

    def requests(self) -> list[dict[str, Any]]:
        return list(httpx.get(f"{self.url}/_requests").json())

    def last(self) -> dict[str, Any]:
        return self.requests()[-1]

    def stats(self) -> dict[str, int]:
        return dict(httpx.get(f"{self.url}/_stats").json())


def start_fake_upstream(key: str | None = PROVIDER_KEY) -> FakeUpstream:
    port = free_port()
    args = [sys.executable, "-m", "tests.gateway.fake_upstream", "--port", str(port)]
    proc = subprocess.Popen([*args, *(["--key", key] if key else [])], cwd=ROOT)
    up = FakeUpstream(f"http://127.0.0.1:{port}", proc)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError("the fake upstream exited early")
        try:
            up.stats()
            return up
        except httpx.HTTPError:
            time.sleep(0.05)
    proc.kill()
    raise AssertionError("the fake upstream did not start")


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def upstream() -> Iterator[FakeUpstream]:
    up = start_fake_upstream()
    try:
        yield up
    finally:
        stop_process(up.proc)


# --- a guard scripted by markers in the text -----------------------------------------------


def _violation(label: str, channel: str, action: Action = Action.BLOCK) -> Violation:
    return Violation(detector="scripted", label=label, channel=channel, action=action)


@dataclass
class ScriptedGuard(Guard):
    """``BLOCKME`` blocks, ``REFUSEME`` blocks with a refusal, ``SECRET-1234`` is redacted on the
    way up and restored on the way back, ``BADOUT`` in an answer blocks it, a tool call named
    ``rm_rf`` is blocked, the principal ``mallory`` is blocked and ``spammer`` rate-limited."""

    seen: list[list[ChatMessage]] = field(default_factory=list)

    async def check_principal(self, ctx: GuardContext) -> Decision:
        if ctx.principal == "mallory":
            return Decision(Action.BLOCK, [_violation("blocked_principal", "user")])
        if ctx.principal == "spammer":
            return Decision(Action.BLOCK, [_violation("rate_limited", "user")])
        return Decision(Action.ALLOW)

    async def scan_input(self, messages: Sequence[ChatMessage], ctx: GuardContext) -> InputDecision:
        self.seen.append(list(messages))
        text = " ".join(m.content or "" for m in messages)
        if "REFUSEME" in text:
            return InputDecision(
                Action.BLOCK, [_violation("refuse", "user")], refusal="I can't help with that."
            )
        for m in messages:
            if m.content and "BLOCKME" in m.content:
                return InputDecision(Action.BLOCK, [_violation("jailbreak", m.channel)])
        exchange = Exchange()
        out = []
        for m in messages:
            if m.content and "SECRET-1234" in m.content:
                exchange.vault["[REDACTED-1]"] = "SECRET-1234"
                m = ChatMessage(
                    role=m.role,
                    content=m.content.replace("SECRET-1234", "[REDACTED-1]"),
                    channel=m.channel,
                    name=m.name,
                    tool_call_id=m.tool_call_id,
                    tool_calls=m.tool_calls,
                )
            out.append(m)
        action = Action.REDACT if exchange.vault else Action.ALLOW
        violations = [_violation("secret", "user", Action.REDACT)] if exchange.vault else []
        return InputDecision(action, violations, messages=out, exchange=exchange)

    async def scan_output(
        self,
        text: str | None,
        tool_calls: Sequence[ToolCallSpec],
        ctx: GuardContext,
        exchange: Exchange,
    ) -> OutputDecision:
        if text and "BADOUT" in text:
            return OutputDecision(Action.BLOCK, [_violation("exfil", "assistant")])
        if any(c.name == "rm_rf" for c in tool_calls):
            return OutputDecision(Action.BLOCK, [_violation("tool_denied", "assistant")])
        for placeholder, original in exchange.vault.items():
            text = text.replace(placeholder, original) if text else text
        return OutputDecision(Action.ALLOW, text=text, tool_calls=list(tool_calls))

    def stream(self, ctx: GuardContext, exchange: Exchange) -> StreamGuard:
        return WindowGuard()


class WindowGuard(StreamGuard):
    """Holds back the last 8 characters (a marker may span chunks) and blocks on ``BADOUT``."""

    def __init__(self) -> None:
        self.text = ""
        self.released = 0

    async def feed(self, delta: str) -> StreamStep:
        self.text += delta
        if "BADOUT" in self.text:
            return StreamStep("", Decision(Action.BLOCK, [_violation("exfil", "assistant")]))
        safe = max(self.released, len(self.text) - 8)
        out, self.released = self.text[self.released : safe], safe
        return StreamStep(out, Decision(Action.ALLOW))

    async def finish(self) -> StreamStep:
        out, self.released = self.text[self.released :], len(self.text)
        return StreamStep(out, Decision(Action.ALLOW))


# --- a real Garrison server in a thread -----------------------------------------------------


@dataclass
class Gateway:
    url: str
    key: str
    other_key: str  # another tenant
    read_key: str  # lacks the ingest scope
    service: GatewayService
    guard: ScriptedGuard

    @property
    def base(self) -> str:
        return f"{self.url}/v1"

    def events(self, count: int, timeout: float = 15.0, **query: str) -> list[dict[str, Any]]:
        """Poll the events API until at least ``count`` events match ``query``."""
        deadline = time.monotonic() + timeout
        found: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            r = httpx.get(
                f"{self.url}/api/v1/events",
                params={"limit": "1000", **query},
                headers={"Authorization": f"Bearer {self.key}"},
            )
            r.raise_for_status()
            found = r.json()["events"]
            if len(found) >= count:
                return found
            time.sleep(0.1)
        raise AssertionError(f"only {len(found)} of {count} events stored")


class ThreadServer:
    def __init__(self, app: Any, port: int) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise AssertionError("the gateway server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def gateway_settings(data_dir: Path, upstream_url: str, **gateway: Any) -> Any:
    return make_settings(
        data_dir,
        detection={"enabled": False},
        max_body_bytes=64 * 1024,
        gateway={
            "upstream": upstream_url,
            "upstream_api_key": {"env": "GARRISON_TEST_PROVIDER_KEY"},
            "read_timeout_s": 1.5,
            **gateway,
        },
    )


@pytest.fixture(scope="module")
def gateway(upstream: FakeUpstream, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    os.environ["GARRISON_TEST_PROVIDER_KEY"] = PROVIDER_KEY
    data_dir = tmp_path_factory.mktemp("gateway") / "data"
    os.environ["GARRISON_TEST_WRONG_KEY"] = "sk-wrong-key-abcdef0123456789"
    apps = {
        "down-app": {"base_url": f"http://127.0.0.1:{free_port()}/v1"},
        "badkey-app": {"base_url": upstream.base, "api_key": {"env": "GARRISON_TEST_WRONG_KEY"}},
    }
    settings = gateway_settings(data_dir, upstream.base, apps=apps)
    keys = (
        create_key(settings, "acme", "ingest,read"),
        create_key(settings, "globex", "ingest,read"),
        create_key(settings, "acme", "read"),
    )
    app = create_app(settings, Pipeline(settings))
    service = app.state.services["gateway"]
    guard = ScriptedGuard()
    service.guard_service = type("GuardService", (), {"guard": guard})()
    port = free_port()
    server = ThreadServer(app, port)
    server.start()
    try:
        yield Gateway(f"http://127.0.0.1:{port}", *keys, service, guard)
    finally:
        server.stop()
