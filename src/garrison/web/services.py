"""The long-lived parts beside the pipeline: guard, intel, response, actions, gateway.

Each subsystem exposes ``build(settings, pipeline, services) -> Service | None`` in its
``service`` module; ``build_services`` calls them in dependency order (a later one may use an
earlier one through ``services``, e.g. the gateway uses the guard) and skips a subsystem whose
settings section says ``enabled: false``. The app starts them after the pipeline and stops them
in reverse order before it. They are reachable from routes as ``request.app.state.services``.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from garrison.config import Settings
    from garrison.pipeline.service import Pipeline

log = logging.getLogger("garrison.services")

# (settings section, "module:function"), in dependency order.
SERVICES: tuple[tuple[str, str], ...] = (
    ("guard", "garrison.guard.service:build"),
    ("intel", "garrison.intel.service:build"),
    ("response", "garrison.response.service:build"),
    ("actions", "garrison.actions.service:build"),
    ("gateway", "garrison.gateway.service:build"),
)


@runtime_checkable
class Service(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def build_services(settings: Settings, pipeline: Pipeline) -> dict[str, Any]:
    services: dict[str, Any] = {}
    for section, target in SERVICES:
        if not getattr(settings, section).enabled:
            continue
        module, _, name = target.partition(":")
        factory = getattr(importlib.import_module(module), name)
        service = factory(settings, pipeline, services)
        if service is not None:
            services[section] = service
    return services


async def start_services(services: dict[str, Any]) -> None:
    started: list[Any] = []
    try:
        for service in services.values():
            await service.start()
            started.append(service)
    except BaseException:
        await stop_services(dict(enumerate(started)))
        raise


async def stop_services(services: dict[Any, Any]) -> None:
    for service in reversed(list(services.values())):
        try:
            await service.stop()
        except Exception:  # one failing stop must not keep the others running
            log.exception("stopping %s failed", type(service).__name__)
