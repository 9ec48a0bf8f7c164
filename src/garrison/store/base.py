"""The Store contract: what every storage engine must do, and the values that cross it.

A store is constructed once at start-up from the ``store`` setting (``duckdb`` or a
``postgresql://`` URL, chosen through the ``garrison.stores`` entry points) and shared by every
stage. Every read takes a tenant and never returns another tenant's rows. Writes are batched,
all-or-nothing per call, and idempotent on ``(tenant, id)``.

A store must never decide anything about the content it holds, and never log content.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar, Protocol, runtime_checkable

import orjson

from garrison.errors import ValidationError
from garrison.model import Event, EventKind

MAX_PAGE = 1000
MAX_TRACE_EVENTS = 10_000


@dataclass(frozen=True, slots=True)
class Cursor:
    """Keyset position: the (time, id) of the last event of a page."""

    time_us: int
    id: str

    def encode(self) -> str:
        raw = orjson.dumps([self.time_us, self.id])
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            time_us, event_id = orjson.loads(raw)
            if not isinstance(time_us, int) or not isinstance(event_id, str):
                raise ValueError
        except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError):
            raise ValidationError(
                "cursor: not a cursor returned by this API", details={"field": "cursor"}
            ) from None
        return cls(time_us, event_id)


def to_us(t: datetime) -> int:
    """Microseconds since the epoch, exactly (no float rounding)."""
    delta = t.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


@dataclass(frozen=True, slots=True)
class EventQuery:
    tenant: str
    since: datetime | None = None
    until: datetime | None = None  # exclusive
    app: str | None = None
    session_id: str | None = None
    trace_id: str | None = None
    principal: str | None = None
    kinds: tuple[EventKind, ...] = ()
    limit: int = 100
    cursor: Cursor | None = None
    descending: bool = False


@dataclass(frozen=True, slots=True)
class EventPage:
    events: list[Event]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class ApiKey:
    """An API key as stored: only a hash of the secret, never the secret."""

    id: str
    tenant: str
    secret_hash: str
    scopes: frozenset[str]
    created_at: datetime
    name: str | None = None
    app: str | None = None
    revoked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What one batched write did: rows inserted and rows already present (retries)."""

    inserted: int
    duplicates: int = 0


@dataclass(slots=True)
class StoreInfo:
    backend: str
    schema_version: int
    detail: dict[str, str] = field(default_factory=dict)


@runtime_checkable
class Store(Protocol):
    """Storage engine for events (and, later, findings, alerts, incidents, indicators)."""

    name: ClassVar[str]

    async def open(self) -> None:
        """Connect and apply pending migrations. Raises StoreError / StoreLockedError."""

    async def aclose(self) -> None: ...

    async def ping(self) -> StoreInfo:
        """Cheap readiness check; raises StoreError when the store cannot serve."""

    async def write_events(self, events: Sequence[Event]) -> WriteResult:
        """Insert a batch in one transaction; rows whose (tenant, id) exist are skipped."""

    async def query_events(self, query: EventQuery) -> EventPage: ...

    async def trace_events(self, tenant: str, trace_id: str) -> list[Event]:
        """All events of a trace in time order (at most MAX_TRACE_EVENTS)."""

    async def session_events(self, tenant: str, session_id: str) -> list[Event]:
        """All events of a session in time order (at most MAX_TRACE_EVENTS)."""

    async def count_events(self, tenant: str | None = None) -> int: ...

    async def create_key(self, key: ApiKey) -> None: ...

    async def find_key(self, key_id: str) -> ApiKey | None: ...


class StoreFactory(Protocol):
    """What a ``garrison.stores`` entry point must be: a class built from the store URL."""

    def __call__(self, url: str, data_dir: Path) -> Store: ...


def events_sorted(events: Sequence[Event]) -> list[Event]:
    return sorted(events, key=lambda e: (e.time, e.id))
