"""Size limits, gzip bombs and back-pressure: a precise 4xx, bounded memory, nothing lost."""

from __future__ import annotations

import asyncio
import gzip
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient

from garrison.model import Event
from garrison.pipeline.service import Pipeline
from garrison.store import open_store
from garrison.store.base import WriteResult
from garrison.web.app import create_app
from tests.conftest import create_key, make_settings
from tests.web.conftest import Api, build_api

LIMIT = 256 * 1024


@pytest.fixture
def small_api(tmp_path: Path) -> Iterator[Api]:
    yield from build_api(tmp_path / "data", max_body_bytes=LIMIT)


def _events(n: int, size: int = 10) -> bytes:
    return orjson.dumps([{"kind": "prompt", "content": "x" * size} for _ in range(n)])


@pytest.mark.parametrize("path", ["/api/v1/events", "/v1/traces", "/v1/logs"])
def test_body_over_the_limit_is_413(small_api: Api, path: str) -> None:
    body = b"[" + b" " * (LIMIT + 10) + b"]"
    r = small_api.client.post(
        path, content=body, headers=small_api.h(**{"Content-Type": "application/json"})
    )
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "payload_too_large"
    assert r.json()["error"]["details"]["limit_bytes"] == LIMIT


@pytest.mark.parametrize("path", ["/api/v1/events", "/v1/traces"])
def test_gzip_bomb_is_stopped_at_the_limit(small_api: Api, path: str) -> None:
    bomb = gzip.compress(b"\x00" * (64 * 1024 * 1024), compresslevel=9)  # 64 MiB of zeros
    assert len(bomb) < LIMIT
    r = small_api.client.post(
        path,
        content=bomb,
        headers=small_api.h(**{"Content-Type": "application/json", "Content-Encoding": "gzip"}),
    )
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "payload_too_large"


@pytest.mark.parametrize(
    ("encoding", "body", "status", "code"),
    [
        ("gzip", b"not gzip at all", 400, "malformed_payload"),
        ("gzip", gzip.compress(b"[]")[:-6], 400, "malformed_payload"),
        ("br", b"[]", 415, "unsupported_media_type"),
        ("deflate", zlib.compress(b'[{"kind": "prompt"}]'), 202, None),
    ],
)
def test_content_encodings(
    small_api: Api, encoding: str, body: bytes, status: int, code: str | None
) -> None:
    r = small_api.client.post(
        "/api/v1/events",
        content=body,
        headers=small_api.h(**{"Content-Type": "application/json", "Content-Encoding": encoding}),
    )
    assert r.status_code == status, r.text
    if code:
        assert r.json()["error"]["code"] == code


class GatedStore:
    """A real DuckDB store whose writes wait until the test opens the gate."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.gate: asyncio.Event | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def write_events(self, events: Sequence[Event]) -> WriteResult:
        if self.gate is None:
            self.gate = asyncio.Event()
        await self.gate.wait()
        result: WriteResult = await self.inner.write_events(events)
        return result


def test_full_queue_answers_429_with_retry_after_and_loses_nothing(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data", queue_max_events=10, retry_after_s=3)
    key = create_key(settings, "acme")
    store = GatedStore(open_store(settings.store_url(), settings.data_dir))
    pipeline = Pipeline(settings, store=store)  # type: ignore[arg-type]
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    with TestClient(create_app(settings, pipeline)) as client:
        accepted = 0
        for _ in range(3):
            r = client.post("/api/v1/events", content=_events(4), headers=headers)
            if r.status_code == 202:
                accepted += 4
            else:
                assert r.status_code == 429
                assert r.headers["Retry-After"] == "3"
                assert r.json()["error"]["code"] == "backpressure"
        assert accepted == 8  # 8 queued, the third batch of 4 would exceed 10
        assert client.get("/readyz").json()["queue"]["rejected_full"] == 4
        assert client.portal is not None

        async def open_gate() -> None:
            while store.gate is None:
                await asyncio.sleep(0.01)
            store.gate.set()

        client.portal.call(open_gate)
        for _ in range(100):
            if client.get("/readyz").json()["queue"]["pending_events"] == 0:
                break
            client.portal.call(asyncio.sleep, 0.05)
        r = client.get("/api/v1/events?limit=100", headers=headers)
        assert len(r.json()["events"]) == 8
        r = client.post("/api/v1/events", content=_events(4), headers=headers)
        assert r.status_code == 202
