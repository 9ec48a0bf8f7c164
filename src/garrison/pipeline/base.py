"""The queue interface between pipeline stages.

Receivers ``publish`` batches of events; the writer stage ``consume``s deliveries, commits them to
the store and then ``ack``s (or ``nak``s to have them delivered again). An in-process bounded
queue implements it by default; a NATS JetStream bus can implement the same interface later
(explicit ack after the store commit, redelivery on crash) without touching receivers or writers.

A bus must never drop events silently and never grow without bound: when full, ``publish``
raises BackpressureError and the receiver answers 429 with Retry-After.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from garrison.model import Event
from garrison.model.alert import Alert
from garrison.model.finding import Finding


class Ticket(Protocol):
    """Handed back by ``publish``: lets a caller wait until its events are committed."""

    async def committed(self) -> None:
        """Return once the events are durable in the store."""


class Delivery(Protocol):
    """A batch handed to a consumer; exactly one of ``ack``/``nak`` must follow."""

    @property
    def events(self) -> Sequence[Event]: ...

    async def ack(self) -> None:
        """The events are committed: release them (and wake their publishers)."""

    async def nak(self) -> None:
        """Not committed: deliver them again later, ahead of newer events."""


@dataclass(frozen=True, slots=True)
class BusStats:
    pending_events: int
    pending_bytes: int
    max_events: int
    max_bytes: int
    published: int
    acked: int
    rejected_full: int


@runtime_checkable
class EventBus(Protocol):
    async def publish(self, events: Sequence[Event]) -> Ticket:
        """Enqueue a batch whole, or raise BackpressureError leaving nothing enqueued."""

    async def consume(self, max_events: int, max_wait_s: float) -> Delivery | None:
        """The next batch (up to about ``max_events``, waiting up to ``max_wait_s`` to fill it);
        ``None`` once the bus is closed and empty."""

    def stats(self) -> BusStats: ...

    async def aclose(self) -> None:
        """Stop accepting publishes; consumers still drain what is pending."""


@dataclass(frozen=True, slots=True)
class Processed:
    """What a processing stage made of a batch: the events, their findings, alert deltas."""

    events: Sequence[Event]
    findings: Sequence[Finding] = ()
    alerts: Sequence[Alert] = ()


@runtime_checkable
class Processor(Protocol):
    """A stage between the bus and the store (detection, rules, alerts). It must not raise for
    content reasons; if it does anyway, the writer stores the events without its output."""

    async def process(self, events: Sequence[Event]) -> Processed: ...

    async def aclose(self) -> None: ...
