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
from garrison.web.services import build_services, start_services, stop_services

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

    services = build_services(settings, pipeline)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if manage_pipeline:
            await pipeline.start()
        try:
            await start_services(services)
            try:
                yield
            finally:
                await stop_services(services)
        finally:
            if manage_pipeline:
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
    app.state.services = services
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

    from garrison.web import (
        routes_alerts,
        routes_events,
        routes_export,
        routes_gateway,
        routes_incidents,
        routes_intel,
        routes_keys,
        routes_otlp,
        routes_reports,
        routes_scan,
        routes_taxii,
    )

    app.include_router(routes_otlp.router)
    app.include_router(routes_events.router)
    app.include_router(routes_keys.router)
    app.include_router(routes_alerts.router)
    app.include_router(routes_gateway.router)
    app.include_router(routes_scan.router)
    app.include_router(routes_intel.router)
    app.include_router(routes_taxii.router)
    app.include_router(routes_incidents.router)
    app.include_router(routes_reports.router)
    app.include_router(routes_export.router)
    return app
