"""OTLP/HTTP trace and log payloads (protobuf or OTLP/JSON) turned into Garrison Events.

``decode_traces`` / ``decode_logs`` are what the web receiver and the file importer call; the
``*_response`` functions build the matching ``Export*ServiceResponse`` (with ``partial_success``
only when something was rejected) in the request's encoding.

Both encodings are walked into the same plain values (``anyvalue``) and mapped by the same code
(``dialects``), so one span gives the same events whichever way it arrived. OTLP/JSON is walked
directly from ``orjson`` output rather than through ``json_format.Parse``: that keeps the
hex trace/span ids of OTLP/JSON (which ``json_format`` would read as base64), honours the
spec's "ignore unknown fields", and measured ~3x faster with all the mapping included than
``json_format.ParseDict`` alone (see ``docs/telemetry.md``).

Rules this module keeps:

* A body that is not the claimed format, or whose containers (``resourceSpans`` …) have the
  wrong shape, raises ``DecodeError`` with the location and never any content.
* One unusable span or log record (bad ids, a wrong-typed field, a mapping failure) is counted
  in ``rejected`` and skipped; it never fails the others and never raises.
* Event ids are derived from the source identity (``derived_uuid7``), never random, so an
  exporter retrying the same payload produces the same ids and the store keeps one copy.
* Tenant comes only from the caller; nothing in a payload can choose it.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import orjson
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import (
    ExportLogsServiceRequest,
    ExportLogsServiceResponse,
)
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from garrison.errors import DecodeError, UnsupportedMediaType
from garrison.model.event import MAX_ID_LEN, Event, Source, Usage
from garrison.model.ids import derived_uuid7
from garrison.telemetry import dialects as d
from garrison.telemetry.anyvalue import (
    json_attributes,
    json_int,
    json_value,
    pb_attributes,
    pb_value,
)

__all__ = [
    "DecodeResult",
    "Encoding",
    "decode_logs",
    "decode_traces",
    "logs_response",
    "traces_response",
]

log = logging.getLogger(__name__)

Encoding = Literal["protobuf", "json"]

DEFAULT_APP = "unknown_service"  # what OTel SDKs report when service.name is not set
RESOURCE_PREFIX = "resource."
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ZERO16 = bytes(16)
_ZERO8 = bytes(8)
SPAN_KINDS = {
    0: "UNSPECIFIED",
    1: "INTERNAL",
    2: "SERVER",
    3: "CLIENT",
    4: "PRODUCER",
    5: "CONSUMER",
}
STATUS_CODES = {0: "UNSET", 1: "OK", 2: "ERROR"}
_JSON_SPAN_KINDS = {f"SPAN_KIND_{v}": k for k, v in SPAN_KINDS.items()}
_JSON_STATUS_CODES = {f"STATUS_CODE_{v}": k for k, v in STATUS_CODES.items()}
_MAX_REASONS = 4


@dataclass(frozen=True, slots=True)
class DecodeResult:
    events: list[Event]
    accepted: int  # spans / log records that produced events, or were valid but not AI
    rejected: int  # spans / log records that were unusable
    error_message: str  # "" or a short summary for partial_success.error_message (no content)


class _Unusable(ValueError):
    """One span / log record cannot be used; the message is its reject reason (no content)."""


# --- shared: ids, times, events -----------------------------------------------------------------


def _time(ns: int) -> datetime:
    return _EPOCH + timedelta(microseconds=ns // 1000)


def _id_hex(raw: bytes, size: int, what: str) -> str | None:
    """An optional protobuf trace/span id as lowercase hex; empty or all-zero means absent."""
    if not raw or raw == (_ZERO16 if size == 16 else _ZERO8):
        return None
    if len(raw) != size:
        raise _Unusable(f"{what} is not {size} bytes")
    return raw.hex()


def _req_id(raw: bytes, size: int, what: str) -> str:
    """A required protobuf trace/span id: exactly ``size`` bytes, not all zero."""
    if len(raw) != size:
        raise _Unusable(f"{what} is not {size} bytes")
    if raw == (_ZERO16 if size == 16 else _ZERO8):
        raise _Unusable(f"{what} is all zero")
    return raw.hex()


def _json_hex(value: Any, size: int, what: str) -> bytes:
    if not isinstance(value, str) or len(value) != size * 2:
        raise _Unusable(f"{what} is not {size * 2} hex characters")
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise _Unusable(f"{what} is not hex") from None


def _json_id(value: Any, size: int, what: str) -> str | None:
    """An optional OTLP/JSON trace/span id: hex text (not base64, unlike plain proto3 JSON)."""
    if value is None or value == "":
        return None
    return _id_hex(_json_hex(value, size, what), size, what)


def _json_req_id(value: Any, size: int, what: str) -> str:
    if value is None or value == "":
        raise _Unusable(f"{what} is missing")
    return _req_id(_json_hex(value, size, what), size, what)


class _Batch:
    """Events and tallies of one payload."""

    __slots__ = (
        "accepted",
        "events",
        "reasons",
        "received_at",
        "rejected",
        "resource_common",
        "span_agent",
        "span_parent",
        "tenant",
        "trace_common",
        "unit",
    )

    def __init__(self, tenant: str, received_at: datetime | None, unit: str) -> None:
        self.tenant = tenant
        self.received_at = received_at
        self.unit = unit
        self.events: list[Event] = []
        self.accepted = 0
        self.rejected = 0
        self.reasons: Counter[str] = Counter()
        # Context that instrumentations put on one span (often the root, often not an AI span)
        # or on the resource, and that every AI event of the trace should carry: the session
        # and user of a trace, the agent of a subtree. Filled in by ``inherit``.
        self.resource_common: dict[int, dict[str, str | None]] = {}
        self.trace_common: dict[str, dict[str, str]] = {}
        self.span_agent: dict[str, str] = {}
        self.span_parent: dict[str, str] = {}

    def common(self, attrs: dict[str, Any], ctx: dict[str, Any]) -> dict[str, str | None]:
        """``d.common_fields`` of a span or record, falling back to its resource's attributes
        (``user.id``, ``session.id`` … set once on the SDK's Resource)."""
        out = d.common_fields(attrs)
        if out["session_id"] is None or out["principal"] is None or out["agent"] is None:
            res = self.resource_common.get(id(ctx))
            if res is None:
                plain = {
                    k[len(RESOURCE_PREFIX) :]: v
                    for k, v in ctx.items()
                    if k.startswith(RESOURCE_PREFIX)
                }
                res = self.resource_common[id(ctx)] = d.common_fields(plain)
            for key in ("session_id", "principal", "agent"):
                if out[key] is None:
                    out[key] = res[key]
        return out

    def note_span(
        self, trace_id: str, span_id: str, parent: str | None, common: dict[str, str | None]
    ) -> None:
        """Remember what a span (AI or not) says about its trace and subtree."""
        if parent:
            self.span_parent[span_id] = parent
        if common["agent"]:
            self.span_agent[span_id] = common["agent"]
        for key in ("session_id", "principal"):
            value = common[key]
            if value:
                self.trace_common.setdefault(trace_id, {}).setdefault(key, value)

    def _agent_of(self, span_id: str | None) -> str | None:
        seen = 0
        while span_id is not None and seen < 64:  # a cycle in bad input must not hang
            agent = self.span_agent.get(span_id)
            if agent:
                return agent
            span_id = self.span_parent.get(span_id)
            seen += 1
        return None

    def inherit(self) -> None:
        """Fill session, principal and agent of events that lack them from their trace in this
        payload (spans of one trace usually arrive together; a root exported later does not
        reach back: that is documented)."""
        if not self.trace_common and not self.span_agent:
            return
        by_trace, by_span = bool(self.trace_common), bool(self.span_agent)
        for i, ev in enumerate(self.events):
            if (not by_trace or (ev.session_id and ev.principal)) and (not by_span or ev.agent):
                continue  # nothing this payload could add
            found = self.trace_common.get(ev.trace_id or "", {})
            session = ev.session_id or found.get("session_id")
            principal = ev.principal or found.get("principal")
            agent = ev.agent or (self._agent_of(ev.span_id) if by_span else None)
            if (session, principal, agent) != (ev.session_id, ev.principal, ev.agent):
                self.events[i] = dataclasses.replace(
                    ev, session_id=session, principal=principal, agent=agent
                )

    def reject(self, reason: str) -> None:
        self.rejected += 1
        self.reasons[reason] += 1

    def now(self) -> datetime:
        return self.received_at or datetime.now(UTC)

    def result(self) -> DecodeResult:
        self.inherit()
        message = ""
        if self.rejected:
            total = self.accepted + self.rejected
            parts = [f"{r} ({n})" for r, n in self.reasons.most_common(_MAX_REASONS)]
            if len(self.reasons) > _MAX_REASONS:
                parts.append("…")
            message = f"{self.rejected} of {total} {self.unit} rejected: {', '.join(parts)}"
        return DecodeResult(self.events, self.accepted, self.rejected, message)

    # ------------------------------------------------------------------------------------------

    def emit(
        self,
        drafts: list[d.Draft],
        full: dict[str, Any],
        *,
        when: datetime,
        id_ms: int,
        app: str,
        trace_id: str | None,
        span_id: str | None,
        parent_span_id: str | None,
        operation: str | None,
        common: dict[str, str | None],
        usage: Usage | None,
        latency_ms: float | None,
        id_tail: tuple[str | bytes, ...] = (),
    ) -> None:
        """Drafts -> Events. The primary draft carries every attribute, usage and latency; the
        others carry the attributes without bulky content and point at the primary."""
        tenant = self.tenant
        tid, sid = trace_id or "", span_id or ""
        ids = [
            derived_uuid7(id_ms, tenant, tid, sid, dr.kind.value, str(i), *id_tail)
            for i, dr in enumerate(drafts)
        ]
        primary = next((i for i, dr in enumerate(drafts) if dr.primary), 0)
        lean: dict[str, Any] | None = None
        append = self.events.append
        for i, dr in enumerate(drafts):
            if i == primary:
                base, u, lat = full, usage, latency_ms
            else:
                if lean is None:
                    lean = _lean(full)
                    lean["garrison.primary_event_id"] = ids[primary]
                base, u, lat = lean, None, None
            append(
                Event(
                    id=ids[i],
                    time=when,
                    tenant=tenant,
                    app=app,
                    kind=dr.kind,
                    source=Source.OTLP,
                    trace_id=trace_id,
                    span_id=span_id,
                    parent_span_id=parent_span_id,
                    session_id=common["session_id"],
                    principal=common["principal"],
                    agent=common["agent"],
                    provider=common["provider"],
                    model=common["model"],
                    operation=operation,
                    role=dr.role,
                    channel=dr.channel,
                    content=dr.content,
                    tool=dr.tool,
                    usage=u,
                    latency_ms=lat,
                    attributes={**base, **dr.extra} if dr.extra else base,
                )
            )

    # --- spans ---------------------------------------------------------------------------------

    def span(
        self,
        ctx: dict[str, Any],
        app: str,
        trace_id: str,
        span_id: str,
        parent_span_id: str | None,
        name: str,
        kind: int,
        start_ns: int,
        end_ns: int,
        attrs: dict[str, Any],
        events: list[tuple[str, int, dict[str, Any]]],
        links: list[dict[str, Any]],
        status: tuple[int, str],
    ) -> None:
        try:
            self._span(
                ctx, app, trace_id, span_id, parent_span_id, name, kind, start_ns, end_ns,
                attrs, events, links, status,
            )  # fmt: skip
        except Exception as exc:  # one span never fails the payload
            log.debug("span mapping failed: %s", type(exc).__name__)
            self.reject("mapping failed")

    def _span(
        self,
        ctx: dict[str, Any],
        app: str,
        trace_id: str,
        span_id: str,
        parent_span_id: str | None,
        name: str,
        kind: int,
        start_ns: int,
        end_ns: int,
        attrs: dict[str, Any],
        events: list[tuple[str, int, dict[str, Any]]],
        links: list[dict[str, Any]],
        status: tuple[int, str],
    ) -> None:
        if not (d.is_ai(attrs) or any(e[0].startswith("gen_ai.") for e in events)):
            if attrs:
                self.note_span(trace_id, span_id, parent_span_id, d.common_fields(attrs))
            elif parent_span_id:
                self.span_parent[span_id] = parent_span_id
            self.accepted += 1
            return
        look = attrs
        ev_in: list[d.Message] | None = None
        ev_out: list[d.Message] | None = None
        if events:
            look, ev_in, ev_out = _span_event_content(attrs, events)
        operation, cls = d.classify(look, name)
        if cls is None:  # an AI span of a type with no event (evaluator, prompt template …)
            self.note_span(trace_id, span_id, parent_span_id, self.common(look, ctx))
            self.accepted += 1
            return
        drafts = d.span_drafts(cls, look, name, ev_in, ev_out)
        common = self.common(look, ctx)
        self.note_span(trace_id, span_id, parent_span_id, common)

        full = dict(ctx)
        full.update(attrs)
        full["otel.span.name"] = name
        full["otel.span.kind"] = SPAN_KINDS.get(kind, str(kind))
        full["otel.status_code"] = STATUS_CODES.get(status[0], str(status[0]))
        if status[1]:
            full["otel.status_description"] = status[1]
        if events:
            full["otel.span.events"] = [
                {"name": n, "time_unix_nano": t, "attributes": a} for n, t, a in events
            ]
        if links:
            full["otel.span.links"] = links
        latency = (end_ns - start_ns) / 1e6 if end_ns >= start_ns else None
        self.emit(
            drafts,
            full,
            when=_time(start_ns),
            id_ms=start_ns // 1_000_000,
            app=app,
            trace_id=trace_id,
            span_id=span_id,
            parent_span_id=parent_span_id,
            operation=operation,
            common=common,
            usage=d.usage_of(look),
            latency_ms=latency,
        )
        self.accepted += 1

    # --- log records ---------------------------------------------------------------------------

    def logs(self, records: list[_LogRecord]) -> None:
        """Map the log records of one payload, in order.

        Deprecated per-message events of one span are taken together so that, as for spans,
        only the new turn (after the last assistant message) becomes events; the history
        records re-sent with the call ride along, raw, on the first event of the new turn
        (``otel.log.history``), as a span's full message list rides on its primary event.
        """
        messages: dict[int, d.Message] = {}
        groups: dict[tuple[str | None, str | None], list[int]] = {}
        for i, rec in enumerate(records):
            if rec.event_name in d.MESSAGE_EVENTS:
                try:
                    msg = d.event_message(rec.event_name, rec.body, rec.attrs, "otel.log.body")
                except Exception:
                    continue  # rejected in the second pass, in order
                if msg is not None:
                    messages[i] = msg
                    groups.setdefault((rec.trace_id, rec.span_id), []).append(i)
        turn: dict[int, tuple[dict[str, str], list[dict[str, Any]]]] = {}
        history_ids: set[int] = set()
        for members in groups.values():
            msgs = [messages[i] for i in members]
            start = d.new_turn_start(msgs)
            names = d.tool_names(msgs[:start])
            history = [
                {
                    "event_name": records[i].event_name,
                    "body": records[i].body,
                    "attributes": records[i].attrs,
                }
                for i in members[:start]
            ]
            history_ids.update(members[:start])
            for pos in range(start, len(members)):
                turn[members[pos]] = (names, history if pos == start else [])
        pending: list[dict[str, Any]] = []
        for i, rec in enumerate(records):
            try:
                name = rec.event_name
                if i in history_ids:  # re-sent history: accepted, carried by the new turn
                    self.accepted += 1
                elif name in d.MESSAGE_EVENTS:
                    if i not in turn:
                        raise _Unusable("mapping failed")  # event_message failed above
                    names, history = turn[i]
                    pending.extend(history)
                    if self._record(rec, d.message_drafts(messages[i], names), history=pending):
                        pending = []
                elif name == d.CHOICE_EVENT:
                    msg = d.event_message(name, rec.body, rec.attrs, "otel.log.body")
                    self._record(rec, d.completion_drafts([msg] if msg else None, rec.attrs))
                elif name == d.DETAILS_EVENT:
                    self._record(rec, d.inference_drafts(rec.attrs), default_op="chat")
                else:
                    self.accepted += 1
            except Exception as exc:
                log.debug("log record mapping failed: %s", type(exc).__name__)
                self.reject("mapping failed")

    def _record(
        self,
        rec: _LogRecord,
        drafts: list[d.Draft],
        *,
        default_op: str | None = None,
        history: list[dict[str, Any]] | None = None,
    ) -> bool:
        """Events for one log record; False when it means none (it is still accepted)."""
        if not drafts:
            self.accepted += 1
            return False
        if not any(dr.primary for dr in drafts):
            drafts[0] = drafts[0]._replace(primary=True)
        full = dict(rec.ctx)
        full.update(rec.attrs)
        full["otel.event.name"] = rec.event_name
        if rec.body is not None:
            full["otel.log.body"] = rec.body
        if rec.severity[0]:
            full["otel.log.severity_number"] = rec.severity[0]
        if rec.severity[1]:
            full["otel.log.severity_text"] = rec.severity[1]
        if history:
            full["otel.log.history"] = list(history)
        ns = rec.time_ns or rec.observed_ns
        identity = orjson.dumps(
            [rec.time_ns, rec.event_name, rec.body, rec.attrs], option=orjson.OPT_SORT_KEYS
        )
        op = rec.attrs.get("gen_ai.operation.name")
        self.emit(
            drafts,
            full,
            when=_time(ns) if ns else self.now(),
            id_ms=ns // 1_000_000,
            app=rec.app,
            trace_id=rec.trace_id,
            span_id=rec.span_id,
            parent_span_id=None,
            operation=op if isinstance(op, str) and op else default_op,
            common=self.common(rec.attrs, rec.ctx),
            usage=d.usage_of(rec.attrs),
            latency_ms=None,
            id_tail=(identity,),
        )
        self.accepted += 1
        return True


# Attribute keys already known not to be bulky content. Keys repeat from span to span, so the
# lean copy is a C-level set difference plus a check of the few keys not seen before. Bounded,
# so a sender inventing keys cannot grow it; correctness never depends on it. Shared between
# receiver threads: its set operations are single C calls on str keys (atomic under the GIL).
_PLAIN_KEYS: set[str] = set()
_MAX_PLAIN_KEYS = 4096


def _lean(full: dict[str, Any]) -> dict[str, Any]:
    """``full`` without the bulky content attributes (kept on the primary event only)."""
    lean = dict(full)
    keys, prefixes = d.CONTENT_KEYS, d.CONTENT_PREFIXES
    for key in full.keys() - _PLAIN_KEYS:
        if key in keys or key.startswith(prefixes):
            del lean[key]
        elif len(_PLAIN_KEYS) < _MAX_PLAIN_KEYS:
            _PLAIN_KEYS.add(key)
    return lean


def _span_event_content(
    attrs: dict[str, Any], events: list[tuple[str, int, dict[str, Any]]]
) -> tuple[dict[str, Any], list[d.Message] | None, list[d.Message] | None]:
    """Content carried by span events (older instrumentations): the deprecated per-message
    events, and ``gen_ai.content.prompt/completion`` events holding ``gen_ai.prompt/completion``.
    Returns the attributes to read (the span's own win) and the messages found."""
    look = attrs
    ev_in: list[d.Message] = []
    ev_out: list[d.Message] = []
    for i, (name, _, eattrs) in enumerate(events):
        key = d.CONTENT_EVENTS.get(name)
        if key is not None:
            if key not in look and key in eattrs:
                if look is attrs:
                    look = dict(attrs)
                look[key] = eattrs[key]
            continue
        msg = d.event_message(name, None, eattrs, f"otel.span.events[{i}]")
        if msg is not None:
            (ev_out if name == d.CHOICE_EVENT else ev_in).append(msg)
    return look, ev_in or None, ev_out or None


def _app(res_attrs: Mapping[str, Any]) -> str:
    name = res_attrs.get("service.name")
    return name[:MAX_ID_LEN] if isinstance(name, str) and name else DEFAULT_APP


def _ctx(
    res_attrs: Mapping[str, Any], scope_name: str, scope_version: str, scope_attrs: Any
) -> dict[str, Any]:
    ctx = {RESOURCE_PREFIX + k: v for k, v in res_attrs.items()}
    if scope_name:
        ctx["otel.scope.name"] = scope_name
    if scope_version:
        ctx["otel.scope.version"] = scope_version
    if scope_attrs:
        ctx["otel.scope.attributes"] = scope_attrs
    return ctx


@dataclass(frozen=True, slots=True)
class _LogRecord:
    ctx: dict[str, Any]
    app: str
    time_ns: int
    observed_ns: int
    trace_id: str | None
    span_id: str | None
    event_name: str
    body: Any
    attrs: dict[str, Any]
    severity: tuple[int, str]


def _event_name(field: str, attrs: Mapping[str, Any]) -> str:
    if field:
        return field
    name = attrs.get("event.name")
    return name if isinstance(name, str) else ""


# --- protobuf -----------------------------------------------------------------------------------


def _parse_pb(cls: Any, body: bytes, what: str) -> Any:
    try:
        return cls.FromString(body)
    except Exception:  # google.protobuf.message.DecodeError, or upb's own errors
        raise DecodeError(
            f"OTLP/protobuf body ({len(body)} bytes) is not a valid {what}",
            details={"encoding": "protobuf", "message": what},
        ) from None


def _pb_resource(resource: Any, where: str) -> dict[str, Any]:
    try:
        return pb_attributes(resource.attributes)
    except ValueError as exc:
        raise DecodeError(f"OTLP/protobuf {where}.resource.attributes: {exc}") from None


def _pb_scope(scope: Any, res: dict[str, Any], where: str) -> dict[str, Any]:
    try:
        scope_attrs = pb_attributes(scope.attributes)
    except ValueError as exc:
        raise DecodeError(f"OTLP/protobuf {where}.scope.attributes: {exc}") from None
    return _ctx(res, scope.name, scope.version, scope_attrs)


def _pb_traces(req: Any, batch: _Batch) -> None:
    for i, rs in enumerate(req.resource_spans):
        res = _pb_resource(rs.resource, f"resource_spans[{i}]")
        app = _app(res)
        for j, ss in enumerate(rs.scope_spans):
            ctx = _pb_scope(ss.scope, res, f"resource_spans[{i}].scope_spans[{j}]")
            for sp in ss.spans:
                try:
                    trace_id = _req_id(sp.trace_id, 16, "trace_id")
                    span_id = _req_id(sp.span_id, 8, "span_id")
                    parent = sp.parent_span_id
                    parent_id = parent.hex() if len(parent) == 8 and parent != _ZERO8 else None
                    start_ns = sp.start_time_unix_nano
                    if not start_ns:
                        raise _Unusable("start_time_unix_nano is missing")
                    events = [
                        (e.name, e.time_unix_nano, pb_attributes(e.attributes)) for e in sp.events
                    ]
                    links = [
                        {
                            "trace_id": ln.trace_id.hex(),
                            "span_id": ln.span_id.hex(),
                            "attributes": pb_attributes(ln.attributes),
                        }
                        for ln in sp.links
                    ]
                    attrs = pb_attributes(sp.attributes)
                    status = sp.status
                except ValueError as exc:
                    batch.reject(str(exc) if isinstance(exc, _Unusable) else "invalid attribute")
                    continue
                batch.span(
                    ctx, app, trace_id, span_id, parent_id, sp.name, sp.kind, start_ns,
                    sp.end_time_unix_nano, attrs, events, links, (status.code, status.message),
                )  # fmt: skip


def _pb_logs(req: Any, batch: _Batch) -> None:
    records: list[_LogRecord] = []
    for i, rl in enumerate(req.resource_logs):
        res = _pb_resource(rl.resource, f"resource_logs[{i}]")
        app = _app(res)
        for j, sl in enumerate(rl.scope_logs):
            ctx = _pb_scope(sl.scope, res, f"resource_logs[{i}].scope_logs[{j}]")
            for lr in sl.log_records:
                try:
                    attrs = pb_attributes(lr.attributes)
                    body = _pb_body(lr)
                    records.append(
                        _LogRecord(
                            ctx=ctx,
                            app=app,
                            time_ns=lr.time_unix_nano,
                            observed_ns=lr.observed_time_unix_nano,
                            trace_id=_id_hex(lr.trace_id, 16, "trace_id"),
                            span_id=_id_hex(lr.span_id, 8, "span_id"),
                            event_name=_event_name(lr.event_name, attrs),
                            body=body,
                            attrs=attrs,
                            severity=(lr.severity_number, lr.severity_text),
                        )
                    )
                except ValueError as exc:
                    batch.reject(str(exc) if isinstance(exc, _Unusable) else "invalid attribute")
    batch.logs(records)


def _pb_body(lr: Any) -> Any:
    return pb_value(lr.body) if lr.HasField("body") else None


# --- OTLP/JSON ----------------------------------------------------------------------------------


def _load_json(body: bytes) -> dict[str, Any]:
    try:
        obj = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise DecodeError(
            f"OTLP/JSON body is not valid JSON (line {exc.lineno}, column {exc.colno})",
            details={"encoding": "json", "line": exc.lineno, "column": exc.colno},
        ) from None
    if not isinstance(obj, dict):
        raise DecodeError(
            f"OTLP/JSON body must be a JSON object, not {_json_type(obj)}",
            details={"encoding": "json"},
        )
    return obj


def _json_type(obj: Any) -> str:
    if obj is None:
        return "null"
    return {list: "an array", str: "a string", bool: "a boolean"}.get(type(obj), "a number")


def _jlist(obj: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise DecodeError(f"OTLP/JSON {where}{key}: expected an array", details={"field": key})
    return value


def _jobj(value: Any, where: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise DecodeError(f"OTLP/JSON {where}: expected an object", details={"field": where})
    return value


def _jstr(obj: Mapping[str, Any], key: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _Unusable(f"{key} is not a string")
    return value


def _jtime(obj: Mapping[str, Any], key: str) -> int:
    value = obj.get(key)
    if value is None:
        return 0
    try:
        n = json_int(value)
    except ValueError:
        raise _Unusable(f"{key} is not an integer") from None
    if n < 0:
        raise _Unusable(f"{key} is negative")
    return n


def _jenum(obj: Mapping[str, Any], key: str, names: dict[str, int]) -> int:
    """An enum: an integer as OTLP/JSON requires, or its proto name as proto3 JSON allows."""
    value = obj.get(key)
    if value is None:
        return 0
    if isinstance(value, str) and value in names:
        return names[value]
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise _Unusable(f"{key} is not an enum value")


def _jattrs(value: Any, where: str) -> dict[str, Any]:
    try:
        return json_attributes(value)
    except ValueError as exc:
        raise DecodeError(f"OTLP/JSON {where}: {exc}", details={"field": where}) from None


def _json_ctx(
    container: Mapping[str, Any], scope_key: str, res: dict[str, Any], where: str
) -> dict[str, Any]:
    scope = _jobj(container.get(scope_key), f"{where}.{scope_key}")
    name, version = scope.get("name") or "", scope.get("version") or ""
    if not isinstance(name, str) or not isinstance(version, str):
        raise DecodeError(f"OTLP/JSON {where}.{scope_key}: name/version must be strings")
    attrs = _jattrs(scope.get("attributes"), f"{where}.{scope_key}.attributes")
    return _ctx(res, name, version, attrs)


def _span_attrs(value: Any) -> dict[str, Any]:
    try:
        return json_attributes(value)
    except ValueError:
        raise _Unusable("invalid attribute") from None


def _json_traces(obj: dict[str, Any], batch: _Batch) -> None:
    for i, rs in enumerate(_jlist(obj, "resourceSpans", "")):
        where = f"resourceSpans[{i}]"
        rs = _jobj(rs, where)
        resource = _jobj(rs.get("resource"), f"{where}.resource")
        res = _jattrs(resource.get("attributes"), f"{where}.resource.attributes")
        app = _app(res)
        for j, ss in enumerate(_jlist(rs, "scopeSpans", f"{where}.")):
            w2 = f"{where}.scopeSpans[{j}]"
            ss = _jobj(ss, w2)
            ctx = _json_ctx(ss, "scope", res, w2)
            for k, sp in enumerate(_jlist(ss, "spans", f"{w2}.")):
                sp = _jobj(sp, f"{w2}.spans[{k}]")
                try:
                    trace_id = _json_req_id(sp.get("traceId"), 16, "traceId")
                    span_id = _json_req_id(sp.get("spanId"), 8, "spanId")
                    parent_id = _json_id(sp.get("parentSpanId"), 8, "parentSpanId")
                    start_ns = _jtime(sp, "startTimeUnixNano")
                    if not start_ns:
                        raise _Unusable("startTimeUnixNano is missing")
                    status = sp.get("status") or {}
                    if not isinstance(status, dict):
                        raise _Unusable("status is not an object")
                    events = [_json_span_event(e) for e in _span_list(sp, "events")]
                    links = [_json_link(ln) for ln in _span_list(sp, "links")]
                    fields = (
                        _jstr(sp, "name"),
                        _jenum(sp, "kind", _JSON_SPAN_KINDS),
                        _jtime(sp, "endTimeUnixNano"),
                        _span_attrs(sp.get("attributes")),
                        (_jenum(status, "code", _JSON_STATUS_CODES), _jstr(status, "message")),
                    )
                except _Unusable as exc:
                    batch.reject(str(exc))
                    continue
                name, kind, end_ns, attrs, status_t = fields
                batch.span(
                    ctx, app, trace_id, span_id, parent_id, name, kind, start_ns, end_ns,
                    attrs, events, links, status_t,
                )  # fmt: skip


def _span_list(sp: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = sp.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
        raise _Unusable(f"{key} is not an array of objects")
    return value


def _json_span_event(e: Mapping[str, Any]) -> tuple[str, int, dict[str, Any]]:
    return _jstr(e, "name"), _jtime(e, "timeUnixNano"), _span_attrs(e.get("attributes"))


def _json_link(ln: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "trace_id": _json_id(ln.get("traceId"), 16, "link traceId") or "",
        "span_id": _json_id(ln.get("spanId"), 8, "link spanId") or "",
        "attributes": _span_attrs(ln.get("attributes")),
    }


def _json_logs(obj: dict[str, Any], batch: _Batch) -> None:
    records: list[_LogRecord] = []
    for i, rl in enumerate(_jlist(obj, "resourceLogs", "")):
        where = f"resourceLogs[{i}]"
        rl = _jobj(rl, where)
        resource = _jobj(rl.get("resource"), f"{where}.resource")
        res = _jattrs(resource.get("attributes"), f"{where}.resource.attributes")
        app = _app(res)
        for j, sl in enumerate(_jlist(rl, "scopeLogs", f"{where}.")):
            w2 = f"{where}.scopeLogs[{j}]"
            sl = _jobj(sl, w2)
            ctx = _json_ctx(sl, "scope", res, w2)
            for k, lr in enumerate(_jlist(sl, "logRecords", f"{w2}.")):
                lr = _jobj(lr, f"{w2}.logRecords[{k}]")
                try:
                    attrs = _span_attrs(lr.get("attributes"))
                    try:
                        body = json_value(lr.get("body"))
                    except ValueError:
                        raise _Unusable("invalid body") from None
                    records.append(
                        _LogRecord(
                            ctx=ctx,
                            app=app,
                            time_ns=_jtime(lr, "timeUnixNano"),
                            observed_ns=_jtime(lr, "observedTimeUnixNano"),
                            trace_id=_json_id(lr.get("traceId"), 16, "traceId"),
                            span_id=_json_id(lr.get("spanId"), 8, "spanId"),
                            event_name=_event_name(_jstr(lr, "eventName"), attrs),
                            body=body,
                            attrs=attrs,
                            severity=(_jenum(lr, "severityNumber", {}), _jstr(lr, "severityText")),
                        )
                    )
                except _Unusable as exc:
                    batch.reject(str(exc))
    batch.logs(records)


# --- public API ---------------------------------------------------------------------------------


def _check_encoding(encoding: str) -> None:
    if encoding not in ("protobuf", "json"):
        raise UnsupportedMediaType(
            "OTLP payloads are application/x-protobuf or application/json",
            details={"encoding": str(encoding)[:40]},
        )


def decode_traces(
    body: bytes, encoding: Encoding, *, tenant: str, received_at: datetime | None = None
) -> DecodeResult:
    """An ``ExportTraceServiceRequest`` body -> the Events its AI spans mean."""
    _check_encoding(encoding)
    batch = _Batch(tenant, received_at, "spans")
    if encoding == "protobuf":
        _pb_traces(_parse_pb(ExportTraceServiceRequest, body, "ExportTraceServiceRequest"), batch)
    else:
        _json_traces(_load_json(body), batch)
    return batch.result()


def decode_logs(
    body: bytes, encoding: Encoding, *, tenant: str, received_at: datetime | None = None
) -> DecodeResult:
    """An ``ExportLogsServiceRequest`` body -> the Events its GenAI log records mean."""
    _check_encoding(encoding)
    batch = _Batch(tenant, received_at, "log records")
    if encoding == "protobuf":
        _pb_logs(_parse_pb(ExportLogsServiceRequest, body, "ExportLogsServiceRequest"), batch)
    else:
        _json_logs(_load_json(body), batch)
    return batch.result()


def _response(
    result: DecodeResult, encoding: Encoding, cls: Any, field: str, json_key: str
) -> bytes:
    _check_encoding(encoding)
    if encoding == "protobuf":
        resp = cls()
        if result.rejected:
            setattr(resp.partial_success, field, result.rejected)
            resp.partial_success.error_message = result.error_message
        return bytes(resp.SerializeToString())
    if not result.rejected:
        return b"{}"
    partial = {json_key: str(result.rejected), "errorMessage": result.error_message}
    return orjson.dumps({"partialSuccess": partial})


def traces_response(result: DecodeResult, encoding: Encoding) -> bytes:
    """``ExportTraceServiceResponse``; ``partial_success`` only when spans were rejected."""
    return _response(
        result, encoding, ExportTraceServiceResponse, "rejected_spans", "rejectedSpans"
    )


def logs_response(result: DecodeResult, encoding: Encoding) -> bytes:
    """``ExportLogsServiceResponse``; ``partial_success`` only when records were rejected."""
    return _response(
        result, encoding, ExportLogsServiceResponse, "rejected_log_records", "rejectedLogRecords"
    )


def check_metrics(body: bytes, encoding: Encoding) -> bytes:
    """Validate an ``ExportMetricsServiceRequest`` and answer with an empty response.

    Garrison stores no metrics yet; accepting them keeps exporters configured with one endpoint
    for every signal from logging errors, while a malformed body still gets a 400."""
    from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
        ExportMetricsServiceRequest,
        ExportMetricsServiceResponse,
    )

    _check_encoding(encoding)
    if encoding == "protobuf":
        _parse_pb(ExportMetricsServiceRequest, body, "ExportMetricsServiceRequest")
        return bytes(ExportMetricsServiceResponse().SerializeToString())
    obj = _load_json(body)
    if not isinstance(obj.get("resourceMetrics", []), list):
        raise DecodeError(
            "OTLP/JSON resourceMetrics must be an array", details={"encoding": "json"}
        )
    return b"{}"
