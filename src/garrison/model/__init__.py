"""Garrison's core value types. Imports nothing of Garrison's beyond ``errors``."""

from garrison.model.event import Channel, Event, EventKind, Source, ToolCall, Usage
from garrison.model.ids import derived_uuid7, uuid7

__all__ = [
    "Channel",
    "Event",
    "EventKind",
    "Source",
    "ToolCall",
    "Usage",
    "derived_uuid7",
    "uuid7",
]
