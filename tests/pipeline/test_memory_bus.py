"""The in-process bus: bounded, whole batches, ack after commit, redelivery in order, drain."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from garrison.config import load_settings
from garrison.errors import BackpressureError
from garrison.model import Event, EventKind, Source, uuid7
from garrison.pipeline.memory import MemoryBus


def ev(content: str = "x") -> Event:
    now = datetime.now(UTC)
    return Event(
        id=uuid7(int(now.timestamp() * 1000)),
        time=now,
        tenant="t",
        app="a",
        kind=EventKind.PROMPT,
        source=Source.API,
        content=content,
    )


def bus(**overrides: object) -> MemoryBus:
    return MemoryBus(load_settings(None, env={}, flags=overrides))


def test_full_bus_refuses_whole_batches_until_acked() -> None:
    async def run() -> None:
        b = bus(queue_max_events=5, retry_after_s=2)
        await b.publish([ev(), ev(), ev()])
        with pytest.raises(BackpressureError) as info:
            await b.publish([ev(), ev(), ev()])
        assert info.value.retry_after == 2
        assert b.stats().pending_events == 3 and b.stats().rejected_full == 3
        delivery = await b.consume(100, 0)
        assert delivery is not None and len(delivery.events) == 3
        with pytest.raises(BackpressureError):  # in flight still counts until acked
            await b.publish([ev(), ev(), ev()])
        await delivery.ack()
        await b.publish([ev(), ev(), ev()])
        assert b.stats().pending_events == 3

    asyncio.run(run())


def test_bytes_bound_and_oversized_batch_on_an_empty_bus() -> None:
    async def run() -> None:
        b = bus(queue_max_bytes=4096, queue_max_events=1000)
        await b.publish([ev("y" * 10_000)])  # larger than the bound, but the bus was empty
        with pytest.raises(BackpressureError):
            await b.publish([ev("z")])

    asyncio.run(run())


def test_nak_redelivers_before_newer_events_and_ticket_waits_for_ack() -> None:
    async def run() -> None:
        b = bus()
        first = [ev("1"), ev("2")]
        ticket = await b.publish(first)
        delivery = await b.consume(1, 0)
        assert delivery is not None
        await b.publish([ev("3")])
        await delivery.nak()
        waiter = asyncio.create_task(ticket.committed())
        await asyncio.sleep(0)
        assert not waiter.done()
        again = await b.consume(2, 0)
        assert again is not None
        assert [e.content for e in again.events] == ["1", "2"]
        await again.ack()
        await asyncio.wait_for(waiter, 1)
        rest = await b.consume(10, 0)
        assert rest is not None and [e.content for e in rest.events] == ["3"]

    asyncio.run(run())


def test_consume_waits_to_fill_a_batch_then_returns_none_when_closed_and_empty() -> None:
    async def run() -> None:
        b = bus()

        async def producer() -> None:
            for i in range(3):
                await asyncio.sleep(0.01)
                await b.publish([ev(str(i))])

        task = asyncio.create_task(producer())
        delivery = await b.consume(3, 1.0)
        await task
        assert delivery is not None and len(delivery.events) == 3
        await delivery.ack()
        await b.aclose()
        assert await b.consume(10, 0.1) is None
        with pytest.raises(BackpressureError, match="shutting down"):
            await b.publish([ev()])

    asyncio.run(run())
