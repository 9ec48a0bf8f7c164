"""The in-process bounded event queue: the default bus for one process on one machine.

Bounded by events *and* bytes, counted from publish until ack, so memory stays bounded even
while the store is slow or down. A batch is enqueued whole or refused whole. One oversized batch
is still accepted when the queue is empty, so no request can be starved forever; the request body
limit bounds that case.

Must be used from one asyncio event loop; it never blocks the loop and never drops an event.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from garrison.config import Settings
from garrison.errors import BackpressureError, StoreError
from garrison.model import Event
from garrison.pipeline.base import BusStats


class _Ticket:
    __slots__ = ("_done",)

    def __init__(self) -> None:
        self._done = asyncio.get_running_loop().create_future()

    async def committed(self) -> None:
        await asyncio.shield(self._done)


@dataclass(slots=True)
class _Item:
    events: Sequence[Event]
    size: int
    ticket: _Ticket


@dataclass(slots=True)
class _Delivery:
    bus: MemoryBus
    items: list[_Item]
    events: list[Event] = field(default_factory=list)
    settled: bool = False

    async def ack(self) -> None:
        if not self.settled:
            self.settled = True
            self.bus._release(self.items)

    async def nak(self) -> None:
        if not self.settled:
            self.settled = True
            self.bus._requeue(self.items)


class MemoryBus:
    """``garrison.buses`` entry point ``memory``."""

    def __init__(self, settings: Settings) -> None:
        self.max_events = settings.queue_max_events
        self.max_bytes = settings.queue_max_bytes
        self.retry_after = settings.retry_after_s
        self._items: deque[_Item] = deque()
        self._pending_events = 0  # published and not yet acked (queued or in flight)
        self._pending_bytes = 0
        self._published = 0
        self._acked = 0
        self._rejected_full = 0
        self._closed = False
        self._wakeup = asyncio.Event()

    async def publish(self, events: Sequence[Event]) -> _Ticket:
        if self._closed:
            raise BackpressureError(
                "Garrison is shutting down; retry against another instance or later",
                retry_after=self.retry_after,
            )
        size = sum(e.size_hint() for e in events)
        empty = self._pending_events == 0
        if not empty and (
            self._pending_events + len(events) > self.max_events
            or self._pending_bytes + size > self.max_bytes
        ):
            self._rejected_full += len(events)
            raise BackpressureError(
                f"the ingest queue is full ({self._pending_events} events pending); "
                f"retry after {self.retry_after}s",
                retry_after=self.retry_after,
            )
        ticket = _Ticket()
        if not events:
            ticket._done.set_result(None)
            return ticket
        self._items.append(_Item(events, size, ticket))
        self._pending_events += len(events)
        self._pending_bytes += size
        self._published += len(events)
        self._wakeup.set()
        return ticket

    async def consume(self, max_events: int, max_wait_s: float) -> _Delivery | None:
        while not self._items:
            if self._closed:
                return None
            self._wakeup.clear()
            await self._wakeup.wait()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max_wait_s
        while sum(len(i.events) for i in self._items) < max_events and not self._closed:
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            self._wakeup.clear()
            try:
                await asyncio.wait_for(self._wakeup.wait(), remaining)
            except TimeoutError:
                break
        taken: list[_Item] = []
        count = 0
        while self._items and (not taken or count + len(self._items[0].events) <= max_events):
            item = self._items.popleft()
            taken.append(item)
            count += len(item.events)
        delivery = _Delivery(self, taken)
        for item in taken:
            delivery.events.extend(item.events)
        return delivery

    def _release(self, items: list[_Item]) -> None:
        for item in items:
            self._pending_events -= len(item.events)
            self._pending_bytes -= item.size
            self._acked += len(item.events)
            if not item.ticket._done.done():
                item.ticket._done.set_result(None)

    def _requeue(self, items: list[_Item]) -> None:
        self._items.extendleft(reversed(items))
        self._wakeup.set()

    def fail_pending(self, reason: str) -> int:
        """At shutdown, after the drain deadline: fail the waiters of what could not be stored.

        Returns how many events were left; the caller must report them (they are not dropped
        silently: their publishers get an error and the count is logged)."""
        left = 0
        while self._items:
            item = self._items.popleft()
            left += len(item.events)
            if not item.ticket._done.done():
                item.ticket._done.set_exception(StoreError(reason))
        return left

    def stats(self) -> BusStats:
        return BusStats(
            pending_events=self._pending_events,
            pending_bytes=self._pending_bytes,
            max_events=self.max_events,
            max_bytes=self.max_bytes,
            published=self._published,
            acked=self._acked,
            rejected_full=self._rejected_full,
        )

    async def aclose(self) -> None:
        self._closed = True
        self._wakeup.set()
