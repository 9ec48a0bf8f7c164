"""Hosting the server process: open the pipeline, run uvicorn, drain on the way out.

The store is opened before the listener starts, so a locked DuckDB file or an unreachable
PostgreSQL is reported as one clear line instead of a traceback from inside the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import Awaitable, Callable, Iterator

import uvicorn

from garrison.config import Settings
from garrison.pipeline.service import Pipeline
from garrison.web.app import build_pipeline, create_app


class _Server(uvicorn.Server):
    """uvicorn re-raises SIGTERM/SIGINT once it has stopped listening, which would kill the
    process before the pipeline drains its queue into the store; here a signal only asks the
    server to stop, and the caller drains and exits normally."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        loop = asyncio.get_running_loop()
        signals = (signal.SIGINT, signal.SIGTERM)
        for sig in signals:
            loop.add_signal_handler(sig, self.handle_exit, sig, None)
        try:
            yield
        finally:
            for sig in signals:
                loop.remove_signal_handler(sig)


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def describe_store(settings: Settings) -> str:
    store = settings.store if isinstance(settings.store, str) else "postgresql (from a secret)"
    if store.startswith("duckdb"):
        return f"duckdb at {settings.data_dir.resolve() / 'garrison.duckdb'}"
    # never print credentials that may sit in a URL
    return store.split("@")[-1] if "@" in store else store


def tune_gc() -> None:
    """Collect young objects less often and keep start-up objects out of collections.

    Ingest allocates many short-lived objects (events, attribute dicts) while a queue of up to
    ``queue_max_events`` events stays alive; CPython's default thresholds then spend ~40 % of
    decode+store time in the collector (measured with benchmarks/ingest.py). Reference counting
    still frees everything acyclic immediately; only cycle detection runs less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


async def serve_forever(
    settings: Settings,
    *,
    pipeline: Pipeline | None = None,
    on_started: Callable[[uvicorn.Server], Awaitable[None]] | None = None,
) -> int:
    configure_logging(settings.log_level)
    pipeline = pipeline or build_pipeline(settings)
    await pipeline.start()
    tune_gc()
    app = create_app(settings, pipeline, manage_pipeline=False)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        access_log=settings.log_level == "debug",
        lifespan="on",
        timeout_graceful_shutdown=10,
    )
    server = _Server(config)
    logging.getLogger("garrison").info(
        "Garrison on http://%s:%d (store: %s)",
        settings.host,
        settings.port,
        describe_store(settings),
    )
    try:
        if on_started is None:
            await server.serve()
        else:
            task = asyncio.create_task(server.serve())
            while not server.started and not task.done():  # noqa: ASYNC110 (uvicorn has no event)
                await asyncio.sleep(0.05)
            if server.started:
                await on_started(server)
            await task
    finally:
        await pipeline.stop()
    return 0 if server.started else 1
