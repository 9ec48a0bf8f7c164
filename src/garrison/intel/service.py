"""The intel subsystem's long-lived part, built by ``garrison.web.services``.

At start it points the ATLAS catalogue at the data directory (a synced release there wins),
builds every tenant's indicator index from the store into the process registry the
``indicators`` detector reads, and starts one background task that

- rebuilds the indexes every ``intel.refresh_s`` (so several workers on one store converge, and
  expired indicators drop out), and
- polls each configured feed when it is due; a feed that fails is retried after
  ``interval × 2^failures`` (at most ``intel.backoff_max_s``), its error kept in ``feed_state``
  and shown by ``GET /api/v1/intel/feeds``. A failing feed never stops the others, the task, or
  the rest of Garrison.

Imports through the API or CLI go through :meth:`IntelService.import_records`, which stores
(all or nothing) and rebuilds that tenant's index at once. With ``intel.sightings`` on, a commit
hook turns ``indicators`` findings into STIX ``sighting`` objects (one per indicator and tenant,
its count and last_seen growing), which the TAXII server shares with the indicators.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from garrison.errors import GarrisonError
from garrison.intel.index import REGISTRY, IndexRegistry, IndicatorIndex
from garrison.intel.repo import IntelRepo, SaveResult
from garrison.intel.settings import IntelSettings, MispFeed, TaxiiFeed
from garrison.intel.stix import StixRecord, record_of, sighting_object

if TYPE_CHECKING:
    from garrison.config import Settings
    from garrison.pipeline.base import Processed
    from garrison.pipeline.service import Pipeline
    from garrison.store.base import Store, WriteResult

log = logging.getLogger("garrison.intel")
TICK_S = 1.0
SIGHTINGS_SOURCE = "garrison"


class IntelService:
    def __init__(
        self,
        settings: IntelSettings,
        store: Store,
        *,
        data_dir: Any = None,
        registry: IndexRegistry | None = None,
    ) -> None:
        self.settings = settings
        self.repo = IntelRepo(store)
        self.registry = registry or REGISTRY
        self.data_dir = data_dir
        self._task: asyncio.Task[None] | None = None
        self._locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._next_refresh = 0.0
        self._due: dict[str, float] = {}
        self._versions: dict[str, tuple[int, str]] = {}

    # --- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        if self.data_dir is not None:
            from garrison.intel import catalog

            catalog.use_data_dir(self.data_dir)
        await self.refresh_all()
        self._task = asyncio.create_task(self._run(), name="garrison-intel")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    # --- indexes ------------------------------------------------------------------------------

    async def refresh(self, tenant: str, *, if_changed: bool = False) -> None:
        """Rebuild ``tenant``'s index from the store and swap it in (build, then replace);
        with ``if_changed``, only when its indicators changed since the last build."""
        async with self._locks[tenant]:
            version = await self.repo.index_version(tenant)
            if if_changed and self._versions.get(tenant) == version:
                return
            indicators = await self.repo.all_indicators(tenant)
            index = await asyncio.to_thread(IndicatorIndex, indicators)
            self.registry.replace(tenant, index)
            self._versions[tenant] = version

    async def refresh_all(self) -> None:
        tenants = set(await self.repo.tenants()) | set(self.registry.tenants())
        for tenant in sorted(tenants):
            await self.refresh(tenant, if_changed=True)
        self._next_refresh = time.monotonic() + self.settings.refresh_s

    # --- imports ------------------------------------------------------------------------------

    async def import_records(
        self, tenant: str, records: Sequence[StixRecord], source: str
    ) -> SaveResult:
        result = await self.repo.save(tenant, records, source)
        if result.tenant_changed:
            await self.refresh(tenant)
        return result

    async def _save(self, tenant: str, records: list[StixRecord], source: str) -> SaveResult:
        return await self.import_records(tenant, records, source)

    # --- feeds --------------------------------------------------------------------------------

    def feed(self, tenant: str, name: str) -> TaxiiFeed | MispFeed | None:
        for feed in self.settings.feeds:
            if feed.tenant == tenant and feed.name == name:
                return feed
        return None

    async def poll_feed(self, feed: TaxiiFeed | MispFeed) -> dict[str, Any]:
        """Poll one feed now; records success or the error (with its backoff) in feed_state."""
        from garrison.intel.feeds import poll

        state = await self.repo.feed_state(feed.tenant, feed.name)
        try:
            result = await poll(feed, self.repo, self._save)
        except GarrisonError as exc:
            failures = (state.failures if state else 0) + 1
            delay = min(feed.interval_s * 2 ** min(failures, 20), self.settings.backoff_max_s)
            next_at = datetime.now(UTC) + timedelta(seconds=delay)
            await self.repo.put_feed_state(
                feed.tenant,
                feed.name,
                cursor=state.cursor if state else None,
                ok=False,
                error=exc.message[:500],
                next_at=next_at,
            )
            self._due[f"{feed.tenant}/{feed.name}"] = time.monotonic() + delay
            log.warning("intel feed %s failed (retry in %.0f s): %s", feed.name, delay, exc.message)
            raise
        next_at = datetime.now(UTC) + timedelta(seconds=feed.interval_s)
        latest = await self.repo.feed_state(feed.tenant, feed.name)
        await self.repo.put_feed_state(
            feed.tenant,
            feed.name,
            cursor=result.cursor
            if result.cursor is not None
            else (latest.cursor if latest else None),
            ok=True,
            next_at=next_at,
        )
        self._due[f"{feed.tenant}/{feed.name}"] = time.monotonic() + feed.interval_s
        return {
            "feed": feed.name,
            "pages": result.pages,
            "objects": result.objects,
            "created": result.created,
            "updated": result.updated,
            "cursor": result.cursor,
        }

    async def _initial_due(self, feed: TaxiiFeed | MispFeed) -> float:
        state = await self.repo.feed_state(feed.tenant, feed.name)
        if state is None or state.next_at is None:
            return time.monotonic()
        wait = (state.next_at - datetime.now(UTC)).total_seconds()
        return time.monotonic() + max(0.0, wait)

    async def _run(self) -> None:
        for feed in self.settings.feeds:
            key = f"{feed.tenant}/{feed.name}"
            try:
                self._due[key] = await self._initial_due(feed)
            except GarrisonError as exc:
                log.warning("intel feed %s: cannot read its state: %s", feed.name, exc.message)
                self._due[key] = time.monotonic()
        while True:
            await asyncio.sleep(TICK_S)
            now = time.monotonic()
            if now >= self._next_refresh:
                try:
                    await self.refresh_all()
                except GarrisonError as exc:
                    log.warning("intel index refresh failed: %s", exc.message)
                    self._next_refresh = now + self.settings.refresh_s
            for feed in self.settings.feeds:
                if now < self._due.get(f"{feed.tenant}/{feed.name}", 0.0):
                    continue
                try:
                    await self.poll_feed(feed)
                except GarrisonError:
                    pass  # recorded in feed_state, retried after the backoff
                except Exception:  # a feed bug must not end the task
                    log.exception("intel feed %s failed unexpectedly", feed.name)
                    self._due[f"{feed.tenant}/{feed.name}"] = now + self.settings.backoff_max_s

    # --- sightings ----------------------------------------------------------------------------

    async def on_commit(self, processed: Processed, result: WriteResult) -> None:
        """Indicator hits of a committed batch → STIX sightings (one per indicator, growing)."""
        if result.inserted == 0:
            return  # a re-delivered batch: its hits were counted the first time
        if not any(f.detector == "indicators" for f in processed.findings):
            return
        tenants = {e.id: (e.tenant, e.time) for e in processed.events}
        seen: dict[tuple[str, str], list[datetime]] = defaultdict(list)
        for f in processed.findings:
            if f.detector != "indicators" or f.event_id not in tenants:
                continue
            stix = f.detail.get("stix_id")
            if isinstance(stix, str) and stix:
                tenant, when = tenants[f.event_id]
                seen[(tenant, stix)].append(when)
        by_tenant: dict[str, dict[str, list[datetime]]] = defaultdict(dict)
        for (tenant, stix), times in seen.items():
            by_tenant[tenant][stix] = times
        for tenant, hits in by_tenant.items():
            await self.record_sightings(tenant, hits)

    async def record_sightings(self, tenant: str, hits: dict[str, list[datetime]]) -> None:
        from garrison.intel.stix import stix_id

        ids = {stix: stix_id("sighting", tenant, stix) for stix in hits}
        existing = await self.repo.get_objects(tenant, list(ids.values()))
        now = datetime.now(UTC)
        records: list[StixRecord] = []
        for stix, times in hits.items():
            old = existing.get(ids[stix])
            first, last = min(times), max(times)
            count = len(times)
            created = now
            if old is not None:
                count += int(old.get("count", 0))
                first = min(first, _parse(old["first_seen"]))
                last = max(last, _parse(old["last_seen"]))
                created = _parse(old["created"])
            obj = sighting_object(
                tenant,
                stix,
                count=count,
                first_seen=first,
                last_seen=last,
                created=created,
                modified=max(now, created),
            )
            records.append(record_of(obj, SIGHTINGS_SOURCE))
        await self.repo.save(tenant, records, SIGHTINGS_SOURCE, force=True)


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def build(settings: Settings, pipeline: Pipeline, services: dict[str, Any]) -> Any:
    """The intel service (with ``start()`` / ``stop()``), or None when it has nothing to run."""
    service = IntelService(settings.intel, pipeline.store, data_dir=settings.data_dir)
    if settings.intel.sightings:
        pipeline.add_commit_hook(service.on_commit)
    return service
