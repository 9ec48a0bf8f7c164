"""Garrison: security operations for LLM applications and AI agents.

Only the public API lives here; heavy modules (stores, web, telemetry) load when first used.
"""

from garrison.model import Channel, Event, EventKind, Source, ToolCall, Usage

__version__ = "0.1.0"
__all__ = ["Channel", "Event", "EventKind", "Source", "ToolCall", "Usage", "__version__"]
