"""The guard subsystem's long-lived part, built by ``garrison.web.services``.

``services["guard"]`` is the ``Guard`` itself (with ``.blocks``, the block list, and
``start``/``stop``). Policies are loaded and validated here, at start-up: a bad policy file stops
the server with ``file:line``. The detectors are the pipeline's own when it runs a detection
stage (one model in memory), else built on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from garrison.guard.api import Guard
from garrison.guard.blocks import AutoBlocker, BlockList
from garrison.guard.policy import PolicySet

if TYPE_CHECKING:
    from garrison.config import Settings
    from garrison.pipeline.service import Pipeline


def build(settings: Settings, pipeline: Pipeline, services: dict[str, Any]) -> Any:
    """The guard service (with ``start()`` / ``stop()``), or None when it has nothing to run."""
    gs = settings.guard
    policies = PolicySet.load(gs.policy, gs.policy_dir)
    blocks = BlockList(pipeline.store, ttl_s=gs.block_cache_ttl_s)
    engine = getattr(pipeline.processor, "engine", None)
    from garrison.detect.engine import DetectionEngine

    guard = Guard(
        policies,
        engine=engine if isinstance(engine, DetectionEngine) else None,
        detectors=settings.detection.detectors,
        blocks=blocks,
    )
    if gs.auto_block:
        guard.auto_blocker = AutoBlocker(blocks, policies)
        pipeline.add_commit_hook(guard.auto_blocker)
    return guard
