"""The actions subsystem's long-lived part, built by ``garrison.web.services``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from garrison.config import Settings
    from garrison.pipeline.service import Pipeline


def build(settings: Settings, pipeline: Pipeline, services: dict[str, Any]) -> Any:
    """The actions service (with ``start()`` / ``stop()``), or None when it has nothing to run."""
    return None
