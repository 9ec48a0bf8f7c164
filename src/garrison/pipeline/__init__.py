"""Pipeline stages and the queue interface between them."""

from garrison.pipeline.base import BusStats, Delivery, EventBus, Ticket

__all__ = ["BusStats", "Delivery", "EventBus", "Ticket"]
