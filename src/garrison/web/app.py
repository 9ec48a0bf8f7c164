"""The HTTP server: OTLP/HTTP receivers, the events API, health — one FastAPI app on one port.

Routes are thin: they authenticate, read the body safely, hand work to telemetry/pipeline/store
and render results or errors in the one envelope. No route decides anything about content, and
none ever logs it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from starlette.responses import Response

from garrison import __version__
from garrison.config import Settings
from garrison.errors import GarrisonError, StoreError
from garrison.pipeline.service import Pipeline
from garrison.store.base import Store
from garrison.web.auth import KeyVerifier
from garrison.web.deps import json_response
from garrison.web.errors import install_error_handlers

DESCRIPTION = """\
Garrison collects AI telemetry (prompts, completions, tool calls, retrievals, agent steps) into
one event model. Send OTLP/HTTP to `/v1/traces` and `/v1/logs` (protobuf or JSON, gzip), or
Garrison's own JSON to `/api/v1/events`. Every route but `/healthz` and `/readyz` needs
`Authorization: Bearer <api key>`; errors come as `{"error": {"code", "message", "details"}}`.
"""


def build_pipeline(settings: Settings, store: Store | None = None) -> Pipeline:
    """The pipeline with its processing stage: detectors and rules unless detection is off."""
    processor = None
    if settings.detection.enabled:
        from garrison.detect.stage import DetectionStage

        processor = DetectionStage.from_settings(settings.detection)
    return Pipeline(settings, store=store, processor=processor)


def create_app(settings: Settings, pipeline: Pipeline, *, manage_pipeline: bool = True) -> FastAPI:
    """The app; with ``manage_pipeline`` its lifespan starts and stops the pipeline (tests,
    embedding), otherwise the host (``garrison serve``) does, so start-up errors stay precise."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not manage_pipeline:
            yield
            return
        await pipeline.start()
        try:
            yield
        finally:
            await pipeline.stop()

    app = FastAPI(
        title="Garrison",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs",
        openapi_url="/openapi.json",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.pipeline = pipeline
    app.state.verifier = KeyVerifier(pipeline.store, settings.auth_cache_ttl_s)
    install_error_handlers(app)

    @app.get("/healthz", tags=["health"], summary="Liveness: the process answers")
    async def healthz() -> Response:
        return json_response({"status": "ok", "version": __version__})

    @app.get("/readyz", tags=["health"], summary="Readiness: store reachable, writer running")
    async def readyz(request: Request) -> Response:
        try:
            info = await pipeline.store.ping()
        except GarrisonError as exc:
            raise StoreError(f"store not ready: {exc.message}") from None
        if not pipeline.writer_alive:
            raise StoreError("the writer stage is not running")
        stats = pipeline.bus.stats()
        return json_response(
            {
                "status": "ready",
                "store": {"backend": info.backend, "schema_version": info.schema_version},
                "queue": {
                    "pending_events": stats.pending_events,
                    "max_events": stats.max_events,
                    "rejected_full": stats.rejected_full,
                },
                "writer": {
                    "stored": pipeline.writer.stats.stored,
                    "duplicates": pipeline.writer.stats.duplicates,
                    "write_errors": pipeline.writer.stats.write_errors,
                },
            }
        )

    from garrison.web import routes_alerts, routes_events, routes_keys, routes_otlp

    app.include_router(routes_otlp.router)
    app.include_router(routes_events.router)
    app.include_router(routes_keys.router)
    app.include_router(routes_alerts.router)
    return app
