"""Garrison: security operations for LLM applications and AI agents.

Only the public API lives here; heavy modules (stores, web, telemetry, the guard's detectors)
load when first used: ``garrison.Guard`` is imported on first access.
"""

from typing import TYPE_CHECKING, Any

from garrison.model import Channel, Event, EventKind, Source, ToolCall, Usage

if TYPE_CHECKING:
    from garrison.guard.sdk import Guard

__version__ = "0.1.0"
__all__ = ["Channel", "Event", "EventKind", "Guard", "Source", "ToolCall", "Usage", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "Guard":
        from garrison.guard.sdk import Guard

        return Guard
    raise AttributeError(f"module 'garrison' has no attribute {name!r}")
