"""Fixtures shared by the domains' tests: settings on a real DuckDB file, an in-process app,
API keys, and a real `garrison serve` process for end-to-end tests."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from garrison.config import Settings, load_settings
from garrison.store import open_store
from garrison.web.auth import SCOPES, create_api_key, parse_scopes


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    return load_settings(None, env={}, flags={"data_dir": data_dir, **overrides})


def create_key(settings: Settings, tenant: str, scopes: str = "ingest,read,admin") -> str:
    async def run() -> str:
        store = open_store(settings.store_url(), settings.data_dir)
        await store.open()
        try:
            _, token = await create_api_key(store, tenant=tenant, scopes=parse_scopes(scopes))
        finally:
            await store.aclose()
        return token

    return asyncio.run(run())


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


GARRISON = [sys.executable, "-m", "garrison.cli.main"]


@dataclass
class ServerProcess:
    url: str
    data_dir: Path
    key: str
    proc: subprocess.Popen[bytes]
    log: Path

    def auth(self, key: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {key or self.key}"}

    def wait_stored(self, count: int, timeout: float = 20.0, key: str | None = None) -> list[dict]:
        """Poll the events API until at least ``count`` events are visible."""
        deadline = time.monotonic() + timeout
        events: list[dict] = []
        while time.monotonic() < deadline:
            r = httpx.get(f"{self.url}/api/v1/events?limit=1000", headers=self.auth(key))
            r.raise_for_status()
            events = r.json()["events"]
            if len(events) >= count:
                return events
            time.sleep(0.1)
        raise AssertionError(
            f"only {len(events)} of {count} events stored; log:\n{self.log_text()}"
        )

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*GARRISON, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )


def start_server(data_dir: Path, *extra: str) -> ServerProcess:
    created = run_cli(
        "keys", "create", "--data-dir", str(data_dir), "--tenant", "acme", "--scopes",
        ",".join(sorted(SCOPES)),
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    port = free_port()
    log = data_dir / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*GARRISON, "serve", "--data-dir", str(data_dir), "--port", str(port), *extra],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    server = ServerProcess(url, data_dir, key, proc, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"garrison serve exited early:\n{server.log_text()}")
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise AssertionError(f"garrison serve did not become ready:\n{server.log_text()}")


def stop_server(server: ServerProcess) -> int:
    server.proc.terminate()
    try:
        return server.proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        raise


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    srv = start_server(tmp_path / "data")
    try:
        yield srv
    finally:
        if srv.proc.poll() is None:
            stop_server(srv)
