"""Event <-> row conversion (and API-key rows) shared by the DuckDB and PostgreSQL stores.

Both engines store an event as the same flat row (the ``events`` table of migration 1), so the
flattening, the text clean-up, the batch de-duplication, the Arrow table DuckDB ingests, the
row -> Event decoding and the event-query filter live here once, and the two engines cannot drift.

Mapping rules (what makes a read-back event equal the written one, ``to_dict()`` for
``to_dict()``):

- ``time`` is stored as a UTC instant with microsecond precision and read back as an aware UTC
  datetime (DuckDB selects integer microseconds, psycopg loads an aware datetime: both exact).
- ``tool`` is stored as three nullable columns; all three null reads back as ``tool=None``, so a
  ``ToolCall()`` with every field ``None`` reads back as ``None`` (it carries nothing anyway).
  ``usage`` likewise: both token columns null is ``usage=None``.
- ``attributes`` is stored as JSON text (orjson); DuckDB keeps it as JSON, PostgreSQL as jsonb.
- Text is made storable the same way for both engines: PostgreSQL text and jsonb cannot hold
  U+0000 and neither engine can hold a lone UTF-16 surrogate, so those become U+FFFD. Doing it
  for both keeps the engines interchangeable, and a single hostile NUL byte in a prompt can never
  fail the whole batch it travels in.

This module must never build SQL out of values (every value goes through a placeholder), and its
error messages never include event content.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from garrison.errors import StoreError
from garrison.model import Channel, Event, EventKind, Source, ToolCall, Usage
from garrison.store.base import MAX_PAGE, ApiKey, Cursor, EventPage, EventQuery, to_us

# The columns a write fills, in order; ``ingested_at`` is the database's default.
INSERT_COLUMNS: tuple[str, ...] = (
    "id", "time", "tenant", "app", "kind", "source", "trace_id", "span_id", "parent_span_id",
    "session_id", "principal", "agent", "provider", "model", "operation", "role", "channel",
    "content", "tool_name", "tool_call_id", "tool_arguments", "input_tokens", "output_tokens",
    "latency_ms", "attributes",
)  # fmt: skip

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SURROGATE = re.compile("[\ud800-\udfff]")
_EMPTY_JSON = "{}"


def select_list(time: str, attributes_text: str) -> str:
    """The SELECT list ``event_from_row`` decodes, given each engine's expression for the time
    (integer microseconds or an aware datetime, see ``read_time``) and the attributes as JSON
    text."""
    columns = [
        time if c == "time" else attributes_text if c == "attributes" else c for c in INSERT_COLUMNS
    ]
    return ", ".join(columns)


# --- writing ----------------------------------------------------------------------------------


def clean_text(value: str) -> str:
    """``value`` with what no engine can store replaced by U+FFFD (see the module docstring)."""
    if "\x00" in value:
        value = value.replace("\x00", "\ufffd")
    if not value.isascii() and _SURROGATE.search(value):
        # Through UTF-16 with surrogatepass, a well-formed pair becomes its astral character
        # again and only a lone half is replaced.
        value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return value


def _row_needs_cleaning(row: tuple[Any, ...]) -> bool:
    # One C-level pass over all of the row's text: this runs for every event.
    text = "".join([v for v in row if v.__class__ is str])
    return "\x00" in text or (not text.isascii() and _SURROGATE.search(text) is not None)


def _clean_json(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, Mapping):
        return {
            clean_text(k) if isinstance(k, str) else k: _clean_json(v) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_clean_json(v) for v in value]
    return value


def attributes_json(event: Event) -> str:
    """An event's attributes as JSON text; StoreError (naming only the event id) if impossible."""
    attributes = event.attributes
    if not attributes:
        return _EMPTY_JSON
    try:
        data = orjson.dumps(attributes)
    except orjson.JSONEncodeError:
        data = b""  # a lone surrogate, or a value that is not JSON: retry once, cleaned
    # orjson writes U+0000 as the escape \u0000, which jsonb refuses too. A match may also be an
    # escaped backslash followed by "u0000"; cleaning the objects themselves is right either way.
    if not data or b"\\u0000" in data:
        try:
            data = orjson.dumps(_clean_json(attributes))
        except orjson.JSONEncodeError as exc:
            # orjson's message names the offending type, never the value.
            raise StoreError(
                f"event {event.id}: attributes cannot be stored as JSON ({exc})",
                details={"event_id": event.id, "field": "attributes"},
            ) from None
    return data.decode()


@dataclass(frozen=True, slots=True)
class EventBatch:
    """A write, flattened: one tuple per distinct (tenant, id), in ``INSERT_COLUMNS`` order."""

    rows: list[tuple[Any, ...]]
    received: int  # events handed to write_events, duplicates included

    def columns(self) -> Iterator[list[Any]]:
        """The same data column by column (what Arrow wants)."""
        if not self.rows:
            return iter([[] for _ in INSERT_COLUMNS])
        return (list(column) for column in zip(*self.rows, strict=True))


def prepare_batch(events: Sequence[Event]) -> EventBatch:
    """Flatten ``events`` into rows, keeping the first of any (tenant, id) seen twice."""
    seen: set[tuple[str, str]] = set()
    rows: list[tuple[Any, ...]] = []
    for e in events:
        key = (e.tenant, e.id)
        if key in seen:
            continue
        seen.add(key)
        tool, usage = e.tool, e.usage
        time = e.time
        if time.tzinfo is not UTC:
            time = time.astimezone(UTC)
        row: tuple[Any, ...] = (
            e.id,
            time,
            e.tenant,
            e.app,
            e.kind.value,
            e.source.value,
            e.trace_id,
            e.span_id,
            e.parent_span_id,
            e.session_id,
            e.principal,
            e.agent,
            e.provider,
            e.model,
            e.operation,
            e.role,
            e.channel.value if e.channel is not None else None,
            e.content,
            tool.name if tool else None,
            tool.call_id if tool else None,
            tool.arguments if tool else None,
            usage.input_tokens if usage else None,
            usage.output_tokens if usage else None,
            e.latency_ms,
            attributes_json(e),
        )
        # The common case is clean text: a cheap scan of every string, and only a dirty row pays
        # for being rebuilt.
        if _row_needs_cleaning(row):
            row = tuple(clean_text(v) if isinstance(v, str) else v for v in row)
        rows.append(row)
    return EventBatch(rows=rows, received=len(events))


@functools.cache
def _arrow_schema() -> Any:
    import pyarrow as pa

    text = pa.string()
    types = {
        "time": pa.timestamp("us", tz="UTC"),
        "input_tokens": pa.int64(),
        "output_tokens": pa.int64(),
        "latency_ms": pa.float64(),
    }
    return pa.schema([pa.field(c, types.get(c, text)) for c in INSERT_COLUMNS])


def to_arrow(batch: EventBatch) -> Any:
    """The batch as a ``pyarrow.Table`` with an explicit schema (no per-value type inference)."""
    import pyarrow as pa  # only DuckDB ingests Arrow; PostgreSQL never pays for the import

    schema = _arrow_schema()
    arrays = [
        pa.array(values, type=field.type)
        for values, field in zip(batch.columns(), schema, strict=True)
    ]
    return pa.Table.from_arrays(arrays, schema=schema)


# --- reading ----------------------------------------------------------------------------------


def from_us(time_us: int) -> datetime:
    """An aware UTC datetime from integer microseconds since the epoch, exactly."""
    return _EPOCH + timedelta(microseconds=time_us)


def read_time(value: int | datetime) -> datetime:
    """A stored time as an aware UTC datetime: DuckDB selects integer microseconds (exact, and no
    time-zone extension needed), psycopg loads an aware datetime in the session's zone."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return from_us(value)


def _load_json(text: str) -> dict[str, Any]:
    if text == _EMPTY_JSON:
        return {}
    value = orjson.loads(text)
    return value if isinstance(value, dict) else {}


def event_from_row(row: Sequence[Any]) -> Event:
    """Decode one row selected with ``select_list``."""
    (
        event_id, time_value, tenant, app, kind, source, trace_id, span_id, parent_span_id,
        session_id, principal, agent, provider, model, operation, role, channel, content,
        tool_name, tool_call_id, tool_arguments, input_tokens, output_tokens, latency_ms,
        attributes,
    ) = row  # fmt: skip
    tool = None
    if tool_name is not None or tool_call_id is not None or tool_arguments is not None:
        tool = ToolCall(name=tool_name, call_id=tool_call_id, arguments=tool_arguments)
    usage = None
    if input_tokens is not None or output_tokens is not None:
        usage = Usage(input_tokens=input_tokens, output_tokens=output_tokens)
    return Event(
        id=event_id,
        time=read_time(time_value),
        tenant=tenant,
        app=app,
        kind=EventKind(kind),
        source=Source(source),
        trace_id=trace_id,
        span_id=span_id,
        parent_span_id=parent_span_id,
        session_id=session_id,
        principal=principal,
        agent=agent,
        provider=provider,
        model=model,
        operation=operation,
        role=role,
        channel=Channel(channel) if channel is not None else None,
        content=content,
        tool=tool,
        usage=usage,
        latency_ms=latency_ms,
        attributes=_load_json(attributes),
    )


def key_select_list(created_at: str, revoked_at: str) -> str:
    """The SELECT list ``key_from_row`` decodes (times as ``read_time`` takes them)."""
    return f"id, tenant, secret_hash, scopes, {created_at}, name, app, {revoked_at}"


def key_from_row(row: Sequence[Any]) -> ApiKey:
    key_id, tenant, secret_hash, scopes, created_at, name, app, revoked_at = row
    return ApiKey(
        id=key_id,
        tenant=tenant,
        secret_hash=secret_hash,
        scopes=frozenset(scopes),
        created_at=read_time(created_at),
        name=name,
        app=app,
        revoked_at=read_time(revoked_at) if revoked_at is not None else None,
    )


# --- querying ---------------------------------------------------------------------------------


def _utc(t: datetime) -> datetime:
    # A naive bound is taken as UTC, as every time Garrison stores is.
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def page_size(query: EventQuery) -> int:
    return max(1, min(query.limit, MAX_PAGE))


def event_query_sql(query: EventQuery, *, columns: str, mark: str) -> tuple[str, list[Any]]:
    """SELECT for one page of ``query``: every filter, keyset cursor, ``page_size + 1`` rows.

    ``mark`` is the engine's placeholder (``?`` or ``%s``); values only ever travel as parameters.
    Both engines understand the row comparison ``(time, id) > (?, ?)``; the extra plain bound on
    ``time`` lets DuckDB prune row groups by zone map and PostgreSQL seek the (tenant, time, id)
    index.
    """
    where = [f"tenant = {mark}"]
    params: list[Any] = [query.tenant]
    if query.since is not None:
        where.append(f"time >= {mark}")
        params.append(_utc(query.since))
    if query.until is not None:
        where.append(f"time < {mark}")
        params.append(_utc(query.until))
    for column in ("app", "session_id", "trace_id", "principal"):
        value = getattr(query, column)
        if value is not None:
            where.append(f"{column} = {mark}")
            params.append(value)
    if query.kinds:
        where.append(f"kind IN ({', '.join([mark] * len(query.kinds))})")
        params.extend(EventKind(k).value for k in query.kinds)
    if query.cursor is not None:
        after = from_us(query.cursor.time_us)
        op = "<" if query.descending else ">"
        where.append(f"time {op}= {mark} AND (time, id) {op} ({mark}, {mark})")
        params.extend([after, after, query.cursor.id])
    direction = "DESC" if query.descending else "ASC"
    sql = (
        f"SELECT {columns} FROM events WHERE {' AND '.join(where)} "
        f"ORDER BY time {direction}, id {direction} LIMIT {page_size(query) + 1}"
    )
    return sql, params


def event_page(query: EventQuery, rows: Sequence[Sequence[Any]]) -> EventPage:
    """Decode the rows of ``event_query_sql``; a cursor only when a further row was seen."""
    size = page_size(query)
    events = [event_from_row(r) for r in rows[:size]]
    next_cursor = None
    if len(rows) > size and events:
        last = events[-1]
        next_cursor = Cursor(to_us(last.time), last.id).encode()
    return EventPage(events=events, next_cursor=next_cursor)
