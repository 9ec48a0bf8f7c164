"""The TAXII 2.1 server on a real uvicorn port, read by the real ``taxii2-client`` library and by
Garrison's own client (poll → import round trip into a second store); feeds that fail; MISP
feed directories; the background service polling a configured feed."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import requests
import uvicorn
from taxii2client.v21 import Collection, Server, as_pages

from garrison.config import Settings
from garrison.intel.feeds import FeedError, poll_misp
from garrison.intel.indicators import IndicatorType
from garrison.intel.repo import IntelRepo
from garrison.intel.service import IntelService
from garrison.intel.settings import IntelSettings, MispFeed, TaxiiFeed
from garrison.intel.stix import bundle, indicator_object
from garrison.pipeline.service import Pipeline
from garrison.store import Store, open_store
from garrison.web.app import create_app
from tests.conftest import create_key, free_port, make_settings
from tests.intel.test_store import MISP_EVENT

TAXII = "application/taxii+json;version=2.1"


@dataclass
class Live:
    url: str
    settings: Settings
    keys: dict[str, str]


class BearerAuth(requests.auth.AuthBase):
    def __init__(self, key: str) -> None:
        self.key = key

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = f"Bearer {self.key}"
        return r


def _serve(settings: Settings) -> Iterator[str]:
    port = free_port()
    app = create_app(settings, Pipeline(settings))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.05)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=20)


N_OBJECTS = 25


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    """A real server whose tenant acme holds 25 indicators (globex none)."""
    settings = make_settings(tmp_path / "src")
    keys = {
        "acme": create_key(settings, "acme", "read"),
        "admin": create_key(settings, "acme"),
        "globex": create_key(settings, "globex", "read"),
        "ingest": create_key(settings, "acme", "ingest"),
    }
    for url in _serve(settings):
        now = datetime.now(UTC)
        objects = [
            indicator_object(
                IndicatorType.DOMAIN,
                f"bad{i}.example",
                source="garrison-src",
                modified=now,
                tags=["atlas.AML.T0086"],
            )
            for i in range(N_OBJECTS)
        ]
        r = httpx.post(
            f"{url}/api/v1/intel/stix",
            content=orjson.dumps(bundle(objects)),
            headers={
                "Authorization": f"Bearer {keys['admin']}",
                "Content-Type": "application/stix+json",
            },
        )
        assert r.status_code == 200, r.text
        yield Live(url, settings, keys)


def test_taxii2_client_discovers_and_pages_through_the_collection(live: Live) -> None:
    auth = BearerAuth(live.keys["acme"])
    server = Server(f"{live.url}/taxii2/", auth=auth)
    assert server.title == "Garrison TAXII server"
    (root,) = server.api_roots
    assert TAXII in root.versions
    (collection,) = root.collections
    assert collection.can_read and not collection.can_write
    seen: list[str] = []
    for envelope in as_pages(collection.get_objects, per_request=10):
        seen += [o["id"] for o in envelope.get("objects", [])]
    assert len(seen) == N_OBJECTS and len(set(seen)) == N_OBJECTS
    manifest = collection.get_manifest()
    assert len(manifest["objects"]) == N_OBJECTS
    one = collection.get_object(seen[3])
    assert one["objects"][0]["id"] == seen[3]
    # another tenant has its own (empty) collection; acme's id is not found for it
    other = Collection(collection.url, auth=BearerAuth(live.keys["globex"]))
    with pytest.raises(requests.HTTPError) as info:
        other.get_objects()
    assert info.value.response.status_code == 404


def test_added_after_and_headers_resume_where_the_last_page_ended(live: Live) -> None:
    auth = {"Authorization": f"Bearer {live.keys['acme']}", "Accept": TAXII}
    cols = httpx.get(f"{live.url}/taxii2/garrison/collections/", headers=auth).json()
    base = f"{live.url}/taxii2/garrison/collections/{cols['collections'][0]['id']}/objects/"
    first = httpx.get(base, params={"limit": 10}, headers=auth)
    assert first.headers["content-type"] == TAXII
    body = first.json()
    assert body["more"] is True and len(body["objects"]) == 10 and body["next"]
    last = first.headers["X-TAXII-Date-Added-Last"]
    assert first.headers["X-TAXII-Date-Added-First"] <= last
    rest = httpx.get(base, params={"added_after": last, "limit": 100}, headers=auth).json()
    assert rest["more"] is False and len(rest["objects"]) == N_OBJECTS - 10
    via_next = httpx.get(base, params={"next": body["next"], "limit": 100}, headers=auth).json()
    assert [o["id"] for o in via_next["objects"]] == [o["id"] for o in rest["objects"]]
    wrong = httpx.get(base, headers={**auth, "Accept": "application/json"})
    assert wrong.status_code == 406
    bad = httpx.get(base, params={"added_after": "yesterday"}, headers=auth)
    assert bad.status_code == 400 and "added_after" in bad.json()["error"]["message"]
    assert httpx.get(base, headers={"Accept": TAXII}).status_code == 401
    ingest = {"Authorization": f"Bearer {live.keys['ingest']}", "Accept": TAXII}
    assert httpx.get(base, headers=ingest).status_code == 403
    basic = httpx.get(base, auth=("anyone", live.keys["acme"]), headers={"Accept": TAXII})
    assert basic.status_code == 200


async def _with_store(settings: Settings, work: Any) -> Any:
    store = open_store(settings.store_url(), settings.data_dir)
    await store.open()
    try:
        return await work(store)
    finally:
        await store.aclose()


def _feed(live: Live, **kw: Any) -> TaxiiFeed:
    collection = str(
        httpx.get(
            f"{live.url}/taxii2/garrison/collections/",
            headers={"Authorization": f"Bearer {live.keys['acme']}", "Accept": TAXII},
        ).json()["collections"][0]["id"]
    )
    values: dict[str, Any] = {
        "type": "taxii",
        "name": "upstream",
        "tenant": "team-b",
        "url": f"{live.url}/taxii2/garrison/",
        "collection": collection,
        "token": {"env": "GARRISON_TEST_TAXII_TOKEN"},
        "page_size": 7,
        "interval_s": 60,
    }
    values.update(kw)
    return TaxiiFeed.model_validate(values)


def test_own_client_polls_into_another_store_resumably_and_idempotently(
    live: Live, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GARRISON_TEST_TAXII_TOKEN", live.keys["acme"])
    feed = _feed(live)
    target = make_settings(tmp_path / "dst")

    async def scenario(store: Store) -> tuple[Any, ...]:
        service = IntelService(IntelSettings(feeds=[feed]), store)
        first = await service.poll_feed(feed)
        state = await service.repo.feed_state("team-b", "upstream")
        again = await service.poll_feed(feed)
        values = sorted(i.value for i in await service.repo.all_indicators("team-b"))
        return first, state, again, values

    first, state, again, values = asyncio.run(_with_store(target, scenario))
    assert first["objects"] == N_OBJECTS and first["pages"] == 4 and first["created"] == N_OBJECTS
    assert state is not None and state.cursor and state.failures == 0
    assert again["objects"] == 0 and again["created"] == 0  # resumed from the high-water mark
    assert values == sorted(f"bad{i}.example" for i in range(N_OBJECTS))


def test_a_feed_that_fails_records_the_error_and_backs_off(
    live: Live, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GARRISON_TEST_TAXII_TOKEN", "gsk_0000000000000000_" + "x" * 43)
    bad_key = _feed(live)
    down = _feed(live, name="down", url=f"http://127.0.0.1:{free_port()}/taxii2/garrison/")
    target = make_settings(tmp_path / "dst")

    async def scenario(store: Store) -> Any:
        service = IntelService(IntelSettings(feeds=[bad_key, down], backoff_max_s=100), store)
        with pytest.raises(FeedError, match="answered 401"):
            await service.poll_feed(bad_key)
        with pytest.raises(FeedError, match="ConnectError"):
            await service.poll_feed(down)
        with pytest.raises(FeedError):
            await service.poll_feed(down)
        return {s.feed: s for s in await service.repo.feed_states("team-b")}

    states = asyncio.run(_with_store(target, scenario))
    assert "401" in (states["upstream"].last_error or "")
    assert states["down"].failures == 2 and states["down"].cursor is None
    assert states["down"].next_at is not None
    wait = (states["down"].next_at - datetime.now(UTC)).total_seconds()
    assert 90 < wait <= 100  # 60 s × 2² capped at backoff_max_s


def test_malformed_taxii_response_names_the_page_and_object(tmp_path: Path) -> None:
    bad_object = {"type": "indicator", "id": "indicator--nope", "spec_version": "2.1"}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            headers={"Content-Type": TAXII},
            content=orjson.dumps({"more": False, "objects": [bad_object]}),
        )

    feed = TaxiiFeed(type="taxii", name="f", tenant="t", url="http://x/api/", collection="c")
    saved: list[Any] = []

    async def save(*args: Any) -> Any:
        saved.append(args)

    async def run() -> None:
        from garrison.intel.feeds import poll_taxii

        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            await poll_taxii(feed, None, save, client=client)

    with pytest.raises(FeedError, match=r"feed f: page 1: object 0 \(indicator--nope\)"):
        asyncio.run(run())
    assert saved == []


def test_misp_feed_directory_imports_changed_events_only(tmp_path: Path) -> None:
    uuid = MISP_EVENT["Event"]["uuid"]
    feed_dir = tmp_path / "misp"
    feed_dir.mkdir()
    (feed_dir / "manifest.json").write_bytes(orjson.dumps({uuid: {"timestamp": 1764000000}}))
    (feed_dir / f"{uuid}.json").write_bytes(orjson.dumps(MISP_EVENT))
    feed = MispFeed(type="misp", name="misp", tenant="acme", url=str(feed_dir))
    settings = make_settings(tmp_path / "data")

    async def scenario(store: Store) -> tuple[Any, Any, int]:
        service = IntelService(IntelSettings(feeds=[feed]), store)
        first = await service.poll_feed(feed)
        second = await service.poll_feed(feed)
        return first, second, len(await IntelRepo(store).all_indicators("acme"))

    first, second, count = asyncio.run(_with_store(settings, scenario))
    assert (first["pages"], first["created"], count) == (1, 3, 3)
    assert second["pages"] == 0
    (feed_dir / f"{uuid}.json").write_bytes(b"{broken")
    (feed_dir / "manifest.json").write_bytes(orjson.dumps({uuid: {"timestamp": 1764000001}}))

    async def failing() -> None:
        await poll_misp(feed, None, lambda *a: None, client=None)  # type: ignore[arg-type]

    with pytest.raises(FeedError, match="is not valid JSON"):
        asyncio.run(failing())


def test_background_service_polls_a_configured_feed_and_shows_its_state(
    live: Live, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GARRISON_TEST_TAXII_TOKEN", live.keys["acme"])
    feed = _feed(live, tenant="acme")
    settings = make_settings(tmp_path / "dst", intel={"feeds": [feed.model_dump(mode="json")]})
    key = create_key(settings, "acme", "read")
    for url in _serve(settings):
        headers = {"Authorization": f"Bearer {key}"}
        deadline = time.monotonic() + 20
        feeds: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            feeds = httpx.get(f"{url}/api/v1/intel/feeds", headers=headers).json()["feeds"]
            if feeds and feeds[0].get("next_at"):  # set when a poll has finished
                break
            time.sleep(0.2)
        assert feeds[0]["name"] == "upstream" and feeds[0]["last_error"] is None
        assert feeds[0]["imported"] == N_OBJECTS
        got = httpx.get(f"{url}/api/v1/intel/indicators?limit=1000", headers=headers).json()
        assert len(got["indicators"]) == N_OBJECTS
