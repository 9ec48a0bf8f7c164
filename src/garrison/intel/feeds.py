"""Pulling feeds: a TAXII 2.1 client, and MISP feed directories.

TAXII: ``GET {api root}/collections/{id}/objects/?added_after=…&limit=…`` with the TAXII media
type, following ``next`` while ``more`` is true. Each page is validated and stored as one
transaction, then the cursor (the page's ``X-TAXII-Date-Added-Last``, else the newest
``date_added`` the server reported) is saved: an interrupted poll resumes at the last stored
page, and a repeated one re-reads at most a page, which ``IntelRepo.save`` skips as unchanged.
A malformed response (wrong media type, not JSON, no ``objects`` list, an invalid object) stops
the poll with an error naming the page and object; what earlier pages stored stays.

MISP: ``manifest.json`` lists event uuids with their timestamps; only events whose timestamp
differs from the one recorded in the cursor are fetched (``<uuid>.json`` beside the manifest),
each event stored whole. The cursor is the manifest as last imported (a JSON object).

Every failure is a :class:`FeedError` with a one-line message naming the feed and what went
wrong (never response bodies); the service records it in ``feed_state`` and backs off.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import orjson

from garrison.errors import GarrisonError
from garrison.intel.misp import parse_event, parse_manifest
from garrison.intel.repo import IntelRepo, SaveResult
from garrison.intel.settings import MispFeed, TaxiiFeed
from garrison.intel.stix import StixRecord, parse_objects

TAXII_MEDIA_TYPE = "application/taxii+json;version=2.1"
MAX_PAGES = 10_000
MAX_RESPONSE = 64 * 1024 * 1024


class FeedError(GarrisonError):
    status = 502
    code = "feed_error"


Save = Callable[[str, list[StixRecord], str], Awaitable[SaveResult]]


@dataclass(slots=True)
class PollResult:
    pages: int = 0
    objects: int = 0
    created: int = 0
    updated: int = 0
    cursor: str | None = None

    def add(self, saved: SaveResult) -> None:
        self.created += saved.created
        self.updated += saved.updated


def taxii_headers(feed: TaxiiFeed) -> dict[str, str]:
    headers = {"Accept": TAXII_MEDIA_TYPE}
    if feed.token is not None:
        headers["Authorization"] = f"Bearer {feed.token.resolve(f'intel.feeds.{feed.name}.token')}"
    return headers


def taxii_auth(feed: TaxiiFeed) -> httpx.BasicAuth | None:
    if feed.username is None or feed.password is None:
        return None
    return httpx.BasicAuth(
        feed.username, feed.password.resolve(f"intel.feeds.{feed.name}.password")
    )


async def poll_taxii(
    feed: TaxiiFeed,
    cursor: str | None,
    save: Save,
    *,
    on_page: Callable[[str | None, int], Awaitable[None]] | None = None,
    client: httpx.AsyncClient | None = None,
) -> PollResult:
    """Poll one collection from ``cursor`` (an ``added_after`` timestamp) to its end."""
    base = feed.url.rstrip("/") + f"/collections/{quote(feed.collection, safe='')}/objects/"
    source = feed.source or feed.name
    result = PollResult(cursor=cursor)
    own = client is None
    http = client or httpx.AsyncClient(timeout=feed.timeout_s)
    try:
        next_token: str | None = None
        while result.pages < MAX_PAGES:
            params: dict[str, str] = {"limit": str(feed.page_size)}
            if result.cursor:
                params["added_after"] = result.cursor
            if next_token:
                params["next"] = next_token
            page = result.pages + 1
            try:
                response = await http.get(
                    base, params=params, headers=taxii_headers(feed), auth=taxii_auth(feed)
                )
            except httpx.HTTPError as exc:
                raise FeedError(f"feed {feed.name}: {type(exc).__name__} reaching {base}") from None
            envelope = _envelope(feed.name, page, response)
            objects = envelope.get("objects") or []
            records = _validate(feed.name, page, objects, source)
            saved = await save(feed.tenant, records, source)
            result.pages += 1
            result.objects += len(records)
            result.add(saved)
            last = response.headers.get("X-TAXII-Date-Added-Last")
            if last:
                result.cursor = last
            if on_page is not None:
                await on_page(result.cursor, len(records))
            more = envelope.get("more") is True
            next_token = envelope.get("next") if isinstance(envelope.get("next"), str) else None
            if not more or not objects:
                break
            if not next_token and not last:
                raise FeedError(
                    f"feed {feed.name}: page {page} says more follow but gives neither 'next' "
                    "nor X-TAXII-Date-Added-Last"
                )
    finally:
        if own:
            await http.aclose()
    return result


def _envelope(feed: str, page: int, response: httpx.Response) -> Mapping[str, Any]:
    where = f"feed {feed}: page {page}"
    if response.status_code != 200:
        title = ""
        try:
            body = response.json()
            title = str(body.get("title") or body.get("error", {}).get("message") or "")[:120]
        except Exception:
            title = ""
        raise FeedError(f"{where}: the server answered {response.status_code} {title}".strip())
    media = response.headers.get("content-type", "").replace(" ", "").lower()
    if not media.startswith("application/taxii+json"):
        raise FeedError(f"{where}: content type {media[:60]!r} is not {TAXII_MEDIA_TYPE}")
    if len(response.content) > MAX_RESPONSE:
        raise FeedError(f"{where}: response over {MAX_RESPONSE} bytes")
    try:
        envelope = orjson.loads(response.content)
    except orjson.JSONDecodeError as exc:
        raise FeedError(f"{where}: not valid JSON ({exc})") from None
    if not isinstance(envelope, Mapping):
        raise FeedError(f"{where}: the envelope is not a JSON object")
    if not isinstance(envelope.get("objects", []), list):
        raise FeedError(f"{where}: 'objects' is not a list")
    return envelope


def _validate(feed: str, page: int, objects: list[Any], source: str) -> list[StixRecord]:
    try:
        return parse_objects(objects, source).records
    except GarrisonError as exc:
        raise FeedError(f"feed {feed}: page {page}: {exc.message}") from None


# --- MISP -----------------------------------------------------------------------------------------


async def _fetch(feed: MispFeed, name: str, http: httpx.AsyncClient) -> Any:
    url = feed.url.rstrip("/") + "/" + name
    if not feed.url.startswith(("http://", "https://")):
        try:
            return orjson.loads(await asyncio.to_thread(Path(url).read_bytes))
        except OSError as exc:
            raise FeedError(f"feed {feed.name}: cannot read {name}: {exc.strerror}") from None
        except orjson.JSONDecodeError as exc:
            raise FeedError(f"feed {feed.name}: {name} is not valid JSON ({exc})") from None
    headers = {"Accept": "application/json"}
    if feed.token is not None:
        headers["Authorization"] = feed.token.resolve(f"intel.feeds.{feed.name}.token")
    try:
        response = await http.get(url, headers=headers)
    except httpx.HTTPError as exc:
        raise FeedError(f"feed {feed.name}: {type(exc).__name__} reaching {url}") from None
    if response.status_code != 200:
        raise FeedError(f"feed {feed.name}: {name}: the server answered {response.status_code}")
    try:
        return orjson.loads(response.content)
    except orjson.JSONDecodeError as exc:
        raise FeedError(f"feed {feed.name}: {name} is not valid JSON ({exc})") from None


async def poll_misp(
    feed: MispFeed,
    cursor: str | None,
    save: Save,
    *,
    on_page: Callable[[str | None, int], Awaitable[None]] | None = None,
    client: httpx.AsyncClient | None = None,
) -> PollResult:
    source = feed.source or feed.name
    seen: dict[str, int] = {}
    if cursor:
        try:
            loaded = orjson.loads(cursor)
            seen = {str(k): int(v) for k, v in loaded.items()}
        except (orjson.JSONDecodeError, AttributeError, TypeError, ValueError):
            seen = {}
    result = PollResult(cursor=cursor)
    own = client is None
    http = client or httpx.AsyncClient(timeout=feed.timeout_s)
    try:
        try:
            manifest = parse_manifest(await _fetch(feed, "manifest.json", http))
        except FeedError:
            raise
        except GarrisonError as exc:
            raise FeedError(f"feed {feed.name}: {exc.message}") from None
        for uuid, stamp in sorted(manifest.items(), key=lambda kv: kv[1]):
            if seen.get(uuid) == stamp:
                continue
            doc = await _fetch(feed, f"{uuid}.json", http)
            try:
                parsed = parse_event(doc, source, include_non_ids=feed.include_non_ids)
                records = parse_objects(parsed.objects, source).records
            except GarrisonError as exc:
                raise FeedError(f"feed {feed.name}: event {uuid}: {exc.message}") from None
            saved = await save(feed.tenant, records, source)
            result.add(saved)
            result.pages += 1
            result.objects += len(records)
            seen[uuid] = stamp
            result.cursor = orjson.dumps(seen).decode()
            if on_page is not None:
                await on_page(result.cursor, len(records))
    finally:
        if own:
            await http.aclose()
    return result


async def poll(
    feed: TaxiiFeed | MispFeed,
    repo: IntelRepo,
    save: Save,
    *,
    client: httpx.AsyncClient | None = None,
) -> PollResult:
    """Poll ``feed`` from its stored cursor, saving the cursor after every stored page."""
    state = await repo.feed_state(feed.tenant, feed.name)
    cursor = state.cursor if state else None

    async def on_page(new_cursor: str | None, count: int) -> None:
        await repo.put_feed_state(
            feed.tenant, feed.name, cursor=new_cursor, ok=True, imported=count
        )

    if isinstance(feed, TaxiiFeed):
        return await poll_taxii(feed, cursor, save, on_page=on_page, client=client)
    return await poll_misp(feed, cursor, save, on_page=on_page, client=client)
