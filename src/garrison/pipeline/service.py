"""The running pipeline of one process: the store, the bus and the writer stage, wired once.

Built from Settings at start-up through the plugin registries (``garrison.stores``,
``garrison.buses``); started and stopped by whoever hosts it (the web server, the CLI). On stop
it stops accepting, drains what is queued into the store within ``shutdown_drain_s`` and reports
anything it could not store — it never drops events silently.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

from garrison.config import Settings
from garrison.model import Event
from garrison.pipeline.base import EventBus, Processor, Ticket
from garrison.pipeline.writer import CommitHook, Writer
from garrison.plugins import load_plugin
from garrison.store import open_store
from garrison.store.base import Store

log = logging.getLogger("garrison.pipeline")


class Pipeline:
    def __init__(
        self, settings: Settings, store: Store | None = None, processor: Processor | None = None
    ) -> None:
        self.settings = settings
        self.store: Store = store or open_store(settings.store_url(), settings.data_dir)
        bus_factory = load_plugin("garrison.buses", settings.bus)
        self.bus: EventBus = bus_factory(settings)
        self.writer = Writer(
            self.bus,
            self.store,
            batch_max_events=settings.batch_max_events,
            batch_max_wait_s=settings.batch_max_wait_ms / 1000,
            processor=processor,
        )
        self.processor = processor
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.store.open()
        self._task = asyncio.create_task(self.writer.run(), name="garrison-writer")

    @property
    def writer_alive(self) -> bool:
        return self._task is not None and not self._task.done()

    def add_commit_hook(self, hook: CommitHook) -> None:
        """Run ``hook`` after every committed batch (see ``pipeline.writer.CommitHook``)."""
        self.writer.hooks.append(hook)

    async def publish(self, events: Sequence[Event]) -> Ticket:
        """Hand a batch to the next stage; raises BackpressureError when the queue is full."""
        return await self.bus.publish(events)

    async def stop(self) -> None:
        await self.bus.aclose()
        if self._task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._task), self.settings.shutdown_drain_s)
            except TimeoutError:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
                left = self.bus.stats().pending_events
                fail = getattr(self.bus, "fail_pending", None)
                if fail is not None:
                    left = fail("shut down before these events could be stored")
                log.error(
                    "shutdown: %d events could not be stored within %.0fs (store: %s)",
                    left,
                    self.settings.shutdown_drain_s,
                    self.writer.stats.last_error or "slow",
                )
        if self.processor is not None:
            await self.processor.aclose()
        await self.store.aclose()
