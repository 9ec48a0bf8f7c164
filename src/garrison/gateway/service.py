"""The gateway subsystem's long-lived part, built by ``garrison.web.services``: one upstream
client pool per configured provider, and the hand-off of exchanges to the pipeline.

Provider keys are read from their secret references here, at start-up, so a missing variable
fails ``garrison serve`` with one line instead of failing the first request. Publishing an
exchange's events is an in-memory enqueue; a full queue is counted and logged, never turned into
an error for the caller whose model call already succeeded.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from garrison.errors import BackpressureError
from garrison.gateway.errors import UpstreamError
from garrison.gateway.settings import GatewaySettings, UpstreamSettings
from garrison.gateway.upstream import ADAPTERS, Upstream, UpstreamConfig
from garrison.guard.api import Guard
from garrison.guard.policy import default_policy
from garrison.model.event import Event

if TYPE_CHECKING:
    from garrison.config import Settings
    from garrison.pipeline.service import Pipeline

log = logging.getLogger("garrison.gateway")


@dataclass(slots=True)
class GatewayStats:
    exchanges: int = 0
    blocked: int = 0
    upstream_errors: int = 0
    publish_rejected: int = 0  # events dropped because the pipeline queue was full


class GatewayService:
    def __init__(self, settings: GatewaySettings, pipeline: Pipeline, guard: Any) -> None:
        self.settings = settings
        self.pipeline = pipeline
        self.guard_service = guard
        self._fallback: Guard | None = None  # built once, only when the guard service is off
        self.stats = GatewayStats()
        self.upstreams: dict[str, Upstream] = {}
        for app, up in settings.apps.items():
            self.upstreams[app] = self._make(app, up, f"gateway.apps.{app}.api_key")
        if settings.upstream is not None:
            default = UpstreamSettings(
                base_url=settings.upstream, api_key=settings.upstream_api_key
            )
            # Keyed "" (no app can be named that): an app called "default" may have its own.
            self.upstreams[""] = self._make("default", default, "gateway.upstream_api_key")
        self._default = self.upstreams.get("")

    def _make(self, name: str, up: UpstreamSettings, key_field: str) -> Upstream:
        config = UpstreamConfig(
            name=name,
            base_url=up.base_url,
            api_key=up.api_key.resolve(key_field) if up.api_key is not None else None,
            connect_timeout_s=up.connect_timeout_s or self.settings.connect_timeout_s,
            read_timeout_s=up.read_timeout_s or self.settings.read_timeout_s,
            max_connections=self.settings.max_connections,
        )
        return ADAPTERS[up.adapter](config)

    @property
    def guard(self) -> Guard:
        """The guard service's guard when it runs. With the guard turned off
        (``guard.enabled: false``) the gateway still relays and records every exchange, and the
        default policy runs in annotate-only mode: decisions are recorded, nothing is changed or
        blocked."""
        guard = getattr(self.guard_service, "guard", None)
        if guard is None:
            if self._fallback is None:
                self._fallback = Guard(replace(default_policy(), mode="annotate"))
            guard = self._fallback
        return guard

    def upstream_for(self, app: str) -> Upstream:
        up = self.upstreams.get(app) if app in self.settings.apps else self._default
        if up is None:
            raise UpstreamError(
                f"no upstream is configured for app {app!r}: set gateway.upstream "
                f"(garrison serve --upstream URL) or gateway.apps.{app}.base_url"
            )
        return up

    async def publish(self, events: Sequence[Event]) -> None:
        if not events:
            return
        try:
            await self.pipeline.publish(events)
        except BackpressureError:
            self.stats.publish_rejected += len(events)
            log.warning(
                "pipeline queue full: %d gateway events not recorded (%d so far)",
                len(events),
                self.stats.publish_rejected,
            )

    async def start(self) -> None:
        started: list[Upstream] = []
        try:
            for up in self.upstreams.values():
                await up.start()
                started.append(up)
        except BaseException:
            for up in started:
                await up.aclose()
            raise

    async def stop(self) -> None:
        for up in self.upstreams.values():
            try:
                await up.aclose()
            except Exception:  # one failing close must not keep the others open
                log.exception("closing upstream %s failed", up.name)


def build(settings: Settings, pipeline: Pipeline, services: dict[str, Any]) -> Any:
    """The gateway service (with ``start()`` / ``stop()``)."""
    return GatewayService(settings.gateway, pipeline, services.get("guard"))
