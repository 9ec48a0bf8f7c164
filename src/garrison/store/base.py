"""The Store contract: what every storage engine must do, and the values that cross it.

A store is constructed once at start-up from the ``store`` setting (``duckdb`` or a
``postgresql://`` URL, chosen through the ``garrison.stores`` entry points) and shared by every
stage. Every read takes a tenant and never returns another tenant's rows. Writes are batched,
all-or-nothing per call, and idempotent on ``(tenant, id)``.

Detection results travel with their events: ``write_events`` stores a batch's events, the
findings detectors made on them and the alert deltas rules raised, in one transaction.

- Findings are keyed by a deterministic id (``finding_id``), so a re-delivered batch stores each
  finding once; and findings of events that were already stored before the call (a re-delivery)
  are not written at all, even when a detector answered differently the second time.
- Alerts are upserts of deltas: a new id inserts; an existing one merges (first_seen = least,
  last_seen = greatest, event_count = old + delta, updated_at = now; the other descriptive fields
  keep their stored value unless it is NULL; status, assignee and version, which people edit,
  are never touched). A delta whose events are all already linked to its alert (in
  ``alert_events``) is a re-delivery and is skipped, so event counts do not double when the bus
  delivers a batch twice. Deltas without event ids are always applied.

``hunt`` runs a caller's read-only SELECT over that caller's tenant only (see ``store.hunt``).

A store must never decide anything about the content it holds, and never log content.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, Protocol, runtime_checkable

import orjson

from garrison.errors import InputError, ValidationError
from garrison.model import Event, EventKind, derived_uuid7
from garrison.model.alert import Alert, AlertStatus, Severity
from garrison.model.finding import Finding

MAX_PAGE = 1000
MAX_TRACE_EVENTS = 10_000
MAX_ALERT_EVENTS = 1000  # event ids ``get_alert`` returns, oldest first
MAX_HUNT_ROWS = 10_000  # the most rows one hunt may return
MAX_HUNT_TIMEOUT_S = 300.0


@dataclass(frozen=True, slots=True)
class Cursor:
    """Keyset position: the (time, id) of the last row of a page (an event's time, or an
    alert's last_seen)."""

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
    """What one batched write did: events inserted and events already present (retries);
    findings inserted; alerts inserted or updated (re-delivered deltas are not counted)."""

    inserted: int
    duplicates: int = 0
    findings: int = 0
    alerts: int = 0


@dataclass(frozen=True, slots=True)
class AlertQuery:
    """A page of a tenant's alerts, newest ``last_seen`` first unless ``descending`` is False.

    ``since`` (inclusive) and ``until`` (exclusive) bound ``last_seen``; tuples filter by any of
    their values; ``cursor`` is a keyset position on (last_seen, id) from a previous page.
    """

    tenant: str
    since: datetime | None = None
    until: datetime | None = None
    rule: str | None = None
    severities: tuple[Severity, ...] = ()
    statuses: tuple[AlertStatus, ...] = ()
    trace_id: str | None = None
    session_id: str | None = None
    principal: str | None = None
    app: str | None = None
    limit: int = 100
    cursor: Cursor | None = None
    descending: bool = True


@dataclass(frozen=True, slots=True)
class AlertPage:
    alerts: list[Alert]  # read without event ids (``get_alert`` has them)
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class HuntResult:
    """Rows of a hunt as JSON-able values (``store.hunt.jsonable``: times as ISO 8601 text, JSON
    columns as JSON text); ``truncated`` when the query had more rows than the limit."""

    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool


class HuntError(InputError):
    """A hunt query that is refused or fails: what is wrong, never a stored value."""

    code = "hunt_invalid"


@dataclass(slots=True)
class StoreInfo:
    backend: str
    schema_version: int
    detail: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Stmt:
    """One statement of a ``Store.transact`` call, in portable SQL.

    ``sql`` uses ``?`` placeholders (PostgreSQL's store rewrites them to ``%s``) and SQL that both
    engines accept (``INSERT ... ON CONFLICT``, ``RETURNING``, ``CAST(? AS ...)``). With
    ``fetch`` the statement's rows are returned; with ``expect`` the number of rows it changed
    (or returned, with ``fetch``) must equal ``expect``, else the whole transaction is rolled back
    and ``ConflictError(conflict)`` is raised: the building block of optimistic concurrency
    (``UPDATE ... WHERE version = ?`` expecting 1).
    """

    sql: str
    params: Sequence[Any] = ()
    fetch: bool = False
    expect: int | None = None
    conflict: str = "the target was changed concurrently; read it again"


@runtime_checkable
class Store(Protocol):
    """Storage engine for events, findings and alerts (and, later, incidents, indicators)."""

    name: ClassVar[str]

    async def open(self) -> None:
        """Connect and apply pending migrations. Raises StoreError / StoreLockedError."""

    async def aclose(self) -> None: ...

    async def ping(self) -> StoreInfo:
        """Cheap readiness check; raises StoreError when the store cannot serve."""

    async def write_events(
        self,
        events: Sequence[Event],
        findings: Sequence[Finding] = (),
        alerts: Sequence[Alert] = (),
    ) -> WriteResult:
        """Store a batch in one transaction, all-or-nothing: events whose (tenant, id) exist are
        skipped; findings (each naming an event of this call, else StoreError) and alert deltas
        as the module docstring says."""

    async def query_events(self, query: EventQuery) -> EventPage: ...

    async def findings_for(self, tenant: str, event_ids: Sequence[str]) -> dict[str, list[Finding]]:
        """The findings of each of ``event_ids`` that has any, in the order they were written."""

    async def query_alerts(self, query: AlertQuery) -> AlertPage: ...

    async def get_alert(self, tenant: str, alert_id: str) -> Alert | None:
        """One alert with its event ids (oldest first, at most MAX_ALERT_EVENTS)."""

    async def hunt(
        self, tenant: str, sql: str, *, limit: int = 1000, timeout_s: float = 30
    ) -> HuntResult:
        """A read-only SELECT over the tenant's events, findings, alerts, alert_events,
        incidents, incident_alerts and indicators;
        HuntError when it is refused, invalid, or runs past ``timeout_s``."""

    async def trace_events(self, tenant: str, trace_id: str) -> list[Event]:
        """All events of a trace in time order (at most MAX_TRACE_EVENTS)."""

    async def session_events(self, tenant: str, session_id: str) -> list[Event]:
        """All events of a session in time order (at most MAX_TRACE_EVENTS)."""

    async def count_events(self, tenant: str | None = None) -> int: ...

    async def events_by_id(self, tenant: str, event_ids: Sequence[str]) -> list[Event]:
        """The tenant's events among ``event_ids`` (unknown ids are skipped), in time order."""

    async def select(
        self, sql: str, params: Sequence[Any], *, limit: int, timeout_s: float = 60
    ) -> list[tuple[Any, ...]]:
        """Run one of Garrison's own read-only queries (``detect.rules.sql``: our SQL text, every
        value bound, in this engine's placeholder style), never a caller's SQL (that is
        ``hunt``); at most ``limit`` rows. Read-only by construction: PostgreSQL runs it in a
        READ ONLY transaction, DuckDB in one it rolls back. StoreError on failure or timeout."""

    async def transact(self, statements: Sequence[Stmt]) -> list[list[tuple[Any, ...]]]:
        """Run ``statements`` in one read-write transaction, all-or-nothing; for each statement
        its rows (``fetch``) or ``[]``. For Garrison's own tables beyond events (incidents,
        indicators, audit log, ...): our SQL, every value bound, never a caller's text.
        ConflictError when an ``expect`` fails, StoreError on any other failure (the message
        never quotes values)."""

    async def create_key(self, key: ApiKey) -> None: ...

    async def find_key(self, key_id: str) -> ApiKey | None: ...


class StoreFactory(Protocol):
    """What a ``garrison.stores`` entry point must be: a class built from the store URL."""

    def __call__(self, url: str, data_dir: Path) -> Store: ...


def pyformat(sql: str) -> str:
    """Portable ``?`` placeholders as psycopg's ``%s`` (and a literal ``%`` as ``%%``), leaving
    quoted literals and identifiers alone."""
    out: list[str] = []
    quote: str | None = None
    for ch in sql:
        if quote is not None:
            if ch == quote:
                quote = None
            out.append("%%" if ch == "%" else ch)
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return "".join(out)


def events_sorted(events: Sequence[Event]) -> list[Event]:
    return sorted(events, key=lambda e: (e.time, e.id))


def finding_id(event: Event, finding: Finding, ordinal: int) -> str:
    """A finding's deterministic id: the same event, detector, label and position among that
    detector's findings on the event give the same id, so a re-delivered batch is idempotent."""
    return derived_uuid7(
        to_us(event.time) // 1000,
        event.tenant,
        event.id,
        finding.detector,
        finding.label,
        str(ordinal),
    )


def findings_by_event(findings: Sequence[Finding]) -> dict[str, list[Finding]]:
    """``findings`` grouped by event id, each group in the given order."""
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.event_id, []).append(finding)
    return grouped
