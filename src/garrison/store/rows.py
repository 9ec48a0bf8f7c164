"""Event, finding and alert <-> row conversion (and API-key rows) shared by both stores.

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

Findings and alerts follow the same rules: text cleaned the same way, JSON (evidence, detail,
entities) as orjson text, times as UTC instants; an alert's entities are split into the four
filterable columns and a JSON object holding the rest, and merged back when read.

This module must never build SQL out of values (every value goes through a placeholder), and its
error messages never include event content.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from garrison.errors import StoreError
from garrison.model import Channel, Event, EventKind, Source, ToolCall, Usage
from garrison.model.alert import Alert, AlertStatus, Severity
from garrison.model.finding import Evidence, Finding, FindingStatus
from garrison.store.base import (
    MAX_PAGE,
    AlertPage,
    AlertQuery,
    ApiKey,
    Cursor,
    EventPage,
    EventQuery,
    finding_id,
    to_us,
)

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


# --- JSON and shared helpers ----------------------------------------------------------------------


def json_text(value: Any, *, what: str, details: dict[str, Any]) -> str:
    """``value`` as JSON text, cleaned as ``attributes_json`` does; StoreError naming ``what``
    (never the value) when it is not JSON."""
    try:
        data = orjson.dumps(value)
    except orjson.JSONEncodeError:
        data = b""  # a lone surrogate, a Mapping that is not a dict, a value that is not JSON
    if not data or b"\\u0000" in data:
        try:
            data = orjson.dumps(_clean_json(value))
        except orjson.JSONEncodeError as exc:
            raise StoreError(f"{what} cannot be stored as JSON ({exc})", details=details) from None
    return data.decode()


def _clean_row(row: tuple[Any, ...]) -> tuple[Any, ...]:
    if _row_needs_cleaning(row):
        return tuple(clean_text(v) if isinstance(v, str) else v for v in row)
    return row


def expressions(
    columns: Sequence[str],
    *,
    times: Sequence[str] = (),
    jsons: Sequence[str] = (),
    time_format: str = "{}",
    json_format: str = "{}",
) -> str:
    """A SELECT list of ``columns`` with each engine's expression for times (see ``read_time``)
    and for JSON columns read as text (``time_format`` / ``json_format`` take the column)."""
    out = []
    for c in columns:
        if c in times:
            out.append(time_format.format(c))
        elif c in jsons:
            out.append(json_format.format(c))
        else:
            out.append(c)
    return ", ".join(out)


def _utc_time(t: datetime) -> datetime:
    return t if t.tzinfo is UTC else _utc(t)


def _load_any(text: str | None) -> Any:
    return None if text is None else orjson.loads(text)


# --- findings -------------------------------------------------------------------------------------

FINDING_COLUMNS: tuple[str, ...] = (
    "id", "tenant", "event_id", "time", "detector", "version", "label", "score", "status", "tags",
    "evidence", "latency_ms", "detail", "seq",
)  # fmt: skip
FINDING_JSON = ("evidence", "detail")
# What ``finding_from_row`` decodes, in order (``evidence`` and ``detail`` as JSON text).
FINDING_READ: tuple[str, ...] = (
    "event_id", "detector", "version", "label", "score", "status", "tags", "evidence",
    "latency_ms", "detail",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class FindingBatch:
    """The findings of a write, flattened: one tuple each, in ``FINDING_COLUMNS`` order."""

    rows: list[tuple[Any, ...]]

    def columns(self) -> Iterator[list[Any]]:
        if not self.rows:
            return iter([[] for _ in FINDING_COLUMNS])
        return (list(column) for column in zip(*self.rows, strict=True))


_NO_EVENT = object()


def _finding_json(value: Any, index: int, field: str) -> str:
    return json_text(
        value, what=f"finding {index} {field}", details={"index": index, "field": "findings"}
    )


def _evidence_json(evidence: Sequence[Evidence], index: int) -> str:
    # orjson writes the Evidence dataclasses field by field, which is ``Evidence.to_dict``;
    # anything unusual (a NUL, a lone surrogate, a value that is not JSON) takes the slow path.
    try:
        data = orjson.dumps(evidence)
    except orjson.JSONEncodeError:
        data = b""
    if data and b"\\u0000" not in data:
        return data.decode()
    return _finding_json([e.to_dict() for e in evidence], index, "evidence")


def prepare_findings(events: Sequence[Event], findings: Sequence[Finding]) -> FindingBatch:
    """Flatten ``findings``, each taking tenant and time from its event in ``events``.

    StoreError when a finding names no event of ``events``, or an id that events of two tenants
    share in this call (which of them it is about cannot be told). Ids: ``base.finding_id``.
    """
    if not findings:
        return FindingBatch(rows=[])
    owners: dict[str, Any] = {}  # an Event, or None when two tenants' events share the id
    for e in events:
        if e.id not in owners:
            owners[e.id] = e  # the first copy of a (tenant, id) is the one stored
            continue
        known = owners[e.id]
        if known is not None and known.tenant != e.tenant:
            owners[e.id] = None
    ordinals: dict[tuple[str, str], int] = {}
    seqs: dict[str, int] = {}
    tags_json: dict[tuple[str, ...], str] = {(): "[]"}  # few distinct tag sets per batch
    rows: list[tuple[Any, ...]] = []
    for index, f in enumerate(findings):
        event = owners.get(f.event_id, _NO_EVENT)
        if event is None or event is _NO_EVENT:
            why = (
                "names an event that is not in this write"
                if event is _NO_EVENT
                else "names an event id that events of two tenants share in this write; "
                "write them separately"
            )
            raise StoreError(
                f"finding {index} {why}; nothing was written",
                details={"index": index, "field": "findings"},
            )
        try:
            status = f.status.value if type(f.status) is FindingStatus else FindingStatus(f.status)
            score, latency_ms = float(f.score), float(f.latency_ms)
        except (ValueError, TypeError):
            raise StoreError(
                f"finding {index} has a status, score or latency that is not valid; "
                "nothing was written",
                details={"index": index, "field": "findings"},
            ) from None
        key = (f.event_id, f.detector)
        ordinal = ordinals.get(key, 0)
        ordinals[key] = ordinal + 1
        seq = seqs.get(f.event_id, 0)
        seqs[f.event_id] = seq + 1
        tags = tags_json.get(f.tags)
        if tags is None:
            tags = tags_json[f.tags] = _finding_json(list(f.tags), index, "tags")
        row: tuple[Any, ...] = (
            finding_id(event, f, ordinal),
            event.tenant,
            event.id,
            _utc_time(event.time),
            f.detector,
            f.version,
            f.label,
            score,
            str(status),
            tags,
            _evidence_json(f.evidence, index) if f.evidence else "[]",
            latency_ms,
            _finding_json(f.detail, index, "detail") if f.detail else "{}",
            seq,
        )
        rows.append(_clean_row(row))
    return FindingBatch(rows=rows)


@functools.cache
def _finding_arrow_schema() -> Any:
    import pyarrow as pa

    types = {
        "time": pa.timestamp("us", tz="UTC"),
        "score": pa.float64(),
        "latency_ms": pa.float64(),
        "seq": pa.int32(),
    }
    return pa.schema([pa.field(c, types.get(c, pa.string())) for c in FINDING_COLUMNS])


def findings_to_arrow(batch: FindingBatch) -> Any:
    """The findings as a ``pyarrow.Table`` with an explicit schema."""
    import pyarrow as pa

    schema = _finding_arrow_schema()
    arrays = [
        pa.array(values, type=field.type)
        for values, field in zip(batch.columns(), schema, strict=True)
    ]
    return pa.Table.from_arrays(arrays, schema=schema)


def _evidence(value: Any) -> Evidence:
    d = value if isinstance(value, dict) else {}
    return Evidence(
        field=str(d.get("field", "")),
        start=d.get("start"),
        end=d.get("end"),
        view=str(d.get("view", "text")),
        snippet=d.get("snippet"),
    )


def finding_from_row(row: Sequence[Any]) -> Finding:
    """Decode one row selected as ``FINDING_READ``."""
    event_id, detector, version, label, score, status, tags, evidence, latency_ms, detail = row
    return Finding(
        event_id=event_id,
        detector=detector,
        version=version,
        label=label,
        score=score,
        tags=tuple(_load_any(tags) or ()),
        evidence=tuple(_evidence(e) for e in _load_any(evidence) or ()),
        status=FindingStatus(status),
        latency_ms=latency_ms,
        detail=_load_json(detail) if detail is not None else {},
    )


def group_findings(rows: Sequence[Sequence[Any]], into: dict[str, list[Finding]]) -> None:
    """Decode rows (ordered by event_id, seq) into ``into``, grouped by event id."""
    for row in rows:
        finding = finding_from_row(row)
        into.setdefault(finding.event_id, []).append(finding)


# --- alerts ---------------------------------------------------------------------------------------

ALERT_COLUMNS: tuple[str, ...] = (
    "id", "tenant", "rule_id", "rule_version", "title", "severity", "status", "dedup_key",
    "first_seen", "last_seen", "event_count", "app", "session_id", "trace_id", "principal",
    "entities", "tags", "evidence", "assignee", "version", "created_at", "updated_at",
)  # fmt: skip
ALERT_TIMES = ("first_seen", "last_seen", "created_at", "updated_at")
ALERT_JSON = ("entities", "evidence")
ENTITY_COLUMNS = ("app", "session_id", "trace_id", "principal")
# Filled from the stored row unless it is NULL; status, assignee and version are never merged.
_KEEP_UNLESS_NULL = (
    "rule_version", "title", "severity", "tags", "entities", "evidence", *ENTITY_COLUMNS,
)  # fmt: skip


def _merge_entities(kept: Mapping[str, str], new: Mapping[str, str]) -> dict[str, str]:
    """What the upsert does to entities, done in Python: each column, then the rest, coalesced."""
    out: dict[str, str] = {}
    for c in ENTITY_COLUMNS:
        value = kept.get(c)
        value = value if value is not None else new.get(c)
        if value is not None:
            out[c] = value
    rest_kept = {k: v for k, v in kept.items() if k not in ENTITY_COLUMNS}
    rest_new = {k: v for k, v in new.items() if k not in ENTITY_COLUMNS}
    out.update(rest_kept or rest_new)
    return out


def merge_alert_deltas(alerts: Sequence[Alert], linked: set[tuple[str, str, str]]) -> list[Alert]:
    """One delta per (tenant, id): the call's deltas pre-aggregated the way the upsert merges a
    delta into a stored alert (DuckDB refuses to update one row twice in a statement).

    ``linked`` holds the (tenant, alert id, event id) links already stored; a delta whose events
    are all linked already (by the store or an earlier delta of this call) is a re-delivery and
    is left out. The merged delta's ``event_ids`` is the union of its deltas', in order.
    """
    seen = set(linked)
    merged: dict[tuple[str, str], Alert] = {}
    for alert in alerts:
        if alert.event_ids:
            links = [(alert.tenant, alert.id, e) for e in alert.event_ids]
            if all(link in seen for link in links):
                continue
            seen.update(links)
        key = (alert.tenant, alert.id)
        kept = merged.get(key)
        if kept is None:
            merged[key] = alert
            continue
        merged[key] = replace(
            kept,
            rule_version=kept.rule_version if kept.rule_version is not None else alert.rule_version,
            first_seen=min(kept.first_seen, alert.first_seen),
            last_seen=max(kept.last_seen, alert.last_seen),
            event_count=kept.event_count + alert.event_count,
            event_ids=tuple(dict.fromkeys((*kept.event_ids, *alert.event_ids))),
            entities=_merge_entities(kept.entities, alert.entities),
            tags=kept.tags or alert.tags,
            evidence=kept.evidence or alert.evidence,
            created_at=kept.created_at or alert.created_at,
        )
    return list(merged.values())


def alert_row(alert: Alert, now: datetime) -> tuple[Any, ...]:
    """An alert delta as a row in ``ALERT_COLUMNS`` order (empty JSON values as NULL)."""
    where = {"alert_id": alert.id, "field": "alerts"}
    what = f"alert {alert.id}"
    try:
        severity, status = Severity(alert.severity).value, AlertStatus(alert.status).value
    except ValueError:
        raise StoreError(
            f"{what}: severity or status is not valid; nothing was written", details=where
        ) from None
    entities = alert.entities
    columns = [entities.get(c) for c in ENTITY_COLUMNS]
    rest = {k: v for k, v in entities.items() if k not in ENTITY_COLUMNS}
    row: tuple[Any, ...] = (
        alert.id,
        alert.tenant,
        alert.rule_id,
        alert.rule_version,
        alert.title,
        severity,
        status,
        alert.dedup_key,
        _utc_time(alert.first_seen),
        _utc_time(alert.last_seen),
        int(alert.event_count),
        *[None if v is None else str(v) for v in columns],
        json_text(rest, what=f"{what} entities", details=where) if rest else None,
        json_text(list(alert.tags), what=f"{what} tags", details=where) if alert.tags else None,
        json_text(alert.evidence, what=f"{what} evidence", details=where)
        if alert.evidence
        else None,
        alert.assignee,
        int(alert.version),
        _utc_time(alert.created_at) if alert.created_at is not None else now,
        now,
    )
    return _clean_row(row)


def alert_upsert_sql(*, mark: str = "", json_cast: str = "", source: str = "") -> str:
    """INSERT alert deltas, or merge each into the stored alert (see ``store.base``): one row of
    placeholders (``mark``), or every row of the table or view ``source`` (one row per alert:
    ``merge_alert_deltas`` made them so)."""
    marks = ", ".join(f"{mark}{json_cast}" if c in ALERT_JSON else mark for c in ALERT_COLUMNS)
    rows = f"SELECT {', '.join(ALERT_COLUMNS)} FROM {source}" if source else f"VALUES ({marks})"
    merges = [
        "first_seen = least(alerts.first_seen, excluded.first_seen)",
        "last_seen = greatest(alerts.last_seen, excluded.last_seen)",
        "event_count = alerts.event_count + excluded.event_count",
        "updated_at = excluded.updated_at",
        *(f"{c} = coalesce(alerts.{c}, excluded.{c})" for c in _KEEP_UNLESS_NULL),
    ]
    return (
        f"INSERT INTO alerts ({', '.join(ALERT_COLUMNS)}) {rows} "
        f"ON CONFLICT (tenant, id) DO UPDATE SET {', '.join(merges)}"
    )


LINK_COLUMNS = ("tenant", "alert_id", "event_id", "time")


def to_arrow_table(
    columns: Sequence[str], data: Sequence[tuple[Any, ...]], times: Sequence[str]
) -> Any:
    """Rows as a ``pyarrow.Table``: ``times`` as UTC microseconds, integers as int64 when the
    column name says a count or version, everything else text (what DuckDB ingests)."""
    import pyarrow as pa

    types = {c: pa.timestamp("us", tz="UTC") for c in times}
    types.update({"event_count": pa.int64(), "version": pa.int64()})
    schema = pa.schema([pa.field(c, types.get(c, pa.string())) for c in columns])
    values = zip(*data, strict=True) if data else [[] for _ in columns]
    arrays = [pa.array(list(v), type=f.type) for v, f in zip(values, schema, strict=True)]
    return pa.Table.from_arrays(arrays, schema=schema)


def alert_link_rows(
    alerts: Sequence[Alert], times: Mapping[tuple[str, str], datetime]
) -> list[tuple[Any, ...]]:
    """(tenant, alert_id, event_id, time) for every event of every alert: the event's time when
    ``times`` knows it, else the alert's ``last_seen``."""
    rows = []
    for alert in alerts:
        for event_id in alert.event_ids:
            time = times.get((alert.tenant, event_id), alert.last_seen)
            rows.append(_clean_row((alert.tenant, alert.id, event_id, _utc_time(time))))
    return rows


def alert_link_keys(alerts: Sequence[Alert]) -> list[tuple[str, list[str], list[str]]]:
    """(tenant, alert ids, event ids) of ``alerts`` with event ids, one entry per tenant."""
    groups: dict[str, tuple[dict[str, None], dict[str, None]]] = {}
    for alert in alerts:
        if alert.event_ids:
            alert_ids, event_ids = groups.setdefault(alert.tenant, ({}, {}))
            alert_ids[alert.id] = None
            event_ids.update(dict.fromkeys(alert.event_ids))
    return [(t, list(a), list(e)) for t, (a, e) in groups.items()]


def alert_from_row(row: Sequence[Any], event_ids: Sequence[str] = ()) -> Alert:
    """Decode one row selected as ``ALERT_COLUMNS`` (times as ``read_time`` takes them)."""
    (
        alert_id, tenant, rule_id, rule_version, title, severity, status, dedup_key, first_seen,
        last_seen, event_count, app, session_id, trace_id, principal, entities, tags, evidence,
        assignee, version, created_at, updated_at,
    ) = row  # fmt: skip
    merged: dict[str, str] = {
        name: value
        for name, value in zip(ENTITY_COLUMNS, (app, session_id, trace_id, principal), strict=True)
        if value is not None
    }
    if entities is not None:
        merged.update(_load_json(entities))
    return Alert(
        id=alert_id,
        tenant=tenant,
        rule_id=rule_id,
        rule_version=rule_version,
        title=title,
        severity=Severity(severity),
        dedup_key=dedup_key,
        first_seen=read_time(first_seen),
        last_seen=read_time(last_seen),
        event_count=int(event_count),
        event_ids=tuple(event_ids),
        status=AlertStatus(status),
        entities=merged,
        tags=tuple(_load_any(tags) or ()),
        evidence=_load_json(evidence) if evidence is not None else {},
        assignee=assignee,
        version=int(version),
        created_at=read_time(created_at),
        updated_at=read_time(updated_at),
    )


def alert_page_size(query: AlertQuery) -> int:
    return max(1, min(query.limit, MAX_PAGE))


def alert_query_sql(query: AlertQuery, *, columns: str, mark: str) -> tuple[str, list[Any]]:
    """SELECT for one page of ``query``, keyset on (last_seen, id); see ``event_query_sql``."""
    where = [f"tenant = {mark}"]
    params: list[Any] = [query.tenant]
    if query.since is not None:
        where.append(f"last_seen >= {mark}")
        params.append(_utc(query.since))
    if query.until is not None:
        where.append(f"last_seen < {mark}")
        params.append(_utc(query.until))
    for column, value in (
        ("rule_id", query.rule),
        ("app", query.app),
        ("session_id", query.session_id),
        ("trace_id", query.trace_id),
        ("principal", query.principal),
    ):
        if value is not None:
            where.append(f"{column} = {mark}")
            params.append(value)
    for column, values in (
        ("severity", [Severity(s).value for s in query.severities]),
        ("status", [AlertStatus(s).value for s in query.statuses]),
    ):
        if values:
            where.append(f"{column} IN ({', '.join([mark] * len(values))})")
            params.extend(values)
    if query.cursor is not None:
        after = from_us(query.cursor.time_us)
        op = "<" if query.descending else ">"
        where.append(f"last_seen {op}= {mark} AND (last_seen, id) {op} ({mark}, {mark})")
        params.extend([after, after, query.cursor.id])
    direction = "DESC" if query.descending else "ASC"
    sql = (
        f"SELECT {columns} FROM alerts WHERE {' AND '.join(where)} "
        f"ORDER BY last_seen {direction}, id {direction} LIMIT {alert_page_size(query) + 1}"
    )
    return sql, params


def alert_page(query: AlertQuery, rows: Sequence[Sequence[Any]]) -> AlertPage:
    size = alert_page_size(query)
    alerts = [alert_from_row(r) for r in rows[:size]]
    next_cursor = None
    if len(rows) > size and alerts:
        last = alerts[-1]
        next_cursor = Cursor(to_us(last.last_seen), last.id).encode()
    return AlertPage(alerts=alerts, next_cursor=next_cursor)
