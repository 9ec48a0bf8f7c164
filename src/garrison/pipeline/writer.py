"""The writer stage: takes batches off the bus and commits them to the store.

Acks only after the commit, so a crash or a store outage loses nothing: the batch is nak'ed and
retried with backoff while the bounded bus pushes back on receivers (429). The writer never
inspects or logs event content.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from garrison.model import Event
from garrison.pipeline.base import EventBus, Processed, Processor
from garrison.store.base import Store, WriteResult

# Called after each committed batch with what was stored (events, findings, alert deltas). For
# work that follows from a commit (incident correlation, notifications, response actions); a
# hook's failure is logged and never undoes or retries the commit.
CommitHook = Callable[[Processed, WriteResult], Awaitable[None]]

log = logging.getLogger("garrison.pipeline.writer")


@dataclass(slots=True)
class WriterStats:
    batches: int = 0
    stored: int = 0
    duplicates: int = 0
    findings: int = 0
    alerts: int = 0
    write_errors: int = 0
    process_errors: int = 0
    hook_errors: int = 0
    last_error: str | None = None


class Writer:
    def __init__(
        self,
        bus: EventBus,
        store: Store,
        *,
        batch_max_events: int,
        batch_max_wait_s: float,
        backoff_max_s: float = 5.0,
        processor: Processor | None = None,
    ) -> None:
        self.bus = bus
        self.store = store
        self.processor = processor
        self.batch_max_events = batch_max_events
        self.batch_max_wait_s = batch_max_wait_s
        self.backoff_max_s = backoff_max_s
        self.stats = WriterStats()
        self.hooks: list[CommitHook] = []

    async def _process(self, events: Sequence[Event]) -> Processed:
        if self.processor is None:
            return Processed(events)
        try:
            return await self.processor.process(events)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # never lose events to a detection bug: store them bare
            self.stats.process_errors += 1
            log.exception("processing a batch of %d events failed", len(events), exc_info=exc)
            return Processed(events)

    async def run(self) -> None:
        """Consume until the bus is closed and drained."""
        backoff = 0.05
        while True:
            delivery = await self.bus.consume(self.batch_max_events, self.batch_max_wait_s)
            if delivery is None:
                return
            processed = await self._process(delivery.events)
            try:
                if processed.findings or processed.alerts:
                    result = await self.store.write_events(
                        processed.events, processed.findings, processed.alerts
                    )
                else:
                    result = await self.store.write_events(processed.events)
            except asyncio.CancelledError:
                await delivery.nak()
                raise
            except Exception as exc:  # any store failure: keep the batch, retry later
                await delivery.nak()
                self.stats.write_errors += 1
                self.stats.last_error = f"{type(exc).__name__}: {exc}"
                log.warning(
                    "store write of %d events failed (%s); retrying in %.2fs",
                    len(delivery.events),
                    type(exc).__name__,
                    backoff,
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.backoff_max_s)
                continue
            backoff = 0.05
            await delivery.ack()
            self.stats.batches += 1
            self.stats.stored += result.inserted
            self.stats.duplicates += result.duplicates
            self.stats.findings += len(processed.findings)
            self.stats.alerts += len(processed.alerts)
            self.stats.last_error = None
            for hook in self.hooks:
                try:
                    await hook(processed, result)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    self.stats.hook_errors += 1
                    log.exception("a commit hook failed", exc_info=exc)
