"""The detection document: the fields a Sigma rule can name, and their values for one event.

A rule sees an event, plus the findings the detectors produced for it, as one flat document with
dotted field names (see docs/rules.md). ``event_document`` builds that document explicitly; the
streaming evaluator reads the same values through per-field accessors (cheaper than building a
dict per event) and the SQL compiler maps each field to a column, a JSON extraction or an EXISTS
over ``findings``. ``FIELDS``/``field_spec`` is the single registry all three use, so that a name
means the same thing everywhere.

Fields of the event: ``kind app channel role content session_id principal agent provider model
operation source trace_id span_id parent_span_id tool.name tool.call_id tool.arguments
usage.input_tokens usage.output_tokens latency_ms attributes.<key>``. ``id``, ``tenant`` and
``time`` are not rule fields: the tenant and time range scope every evaluation instead.

Fields of the detectors' findings: ``detectors.<id>.score`` (the highest score among that
detector's status=ok findings), ``detectors.<id>.labels`` (their labels), ``detectors.<id>.status``
(the statuses of all of that detector's findings) and ``findings.labels`` (the labels of every
status=ok finding).

This module must never evaluate rules and never import a database driver.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from garrison.model import Event
from garrison.model.finding import Finding, FindingStatus


class FieldType(Enum):
    TEXT = "text"  # one string (or absent)
    NUMBER = "number"  # one number (or absent)
    JSON = "json"  # an attribute: a JSON scalar, or an array of scalars (any element matches)
    TEXT_LIST = "text_list"  # zero or more strings (any element matches); empty is absent
    SCORE = "score"  # the max score (or margin) of a detector's ok findings (absent: none)


class Source(Enum):
    COLUMN = "column"  # a column of ``events``
    ATTRIBUTE = "attribute"  # a key of ``events.attributes``
    DETECTOR = "detector"  # a per-detector aggregate of ``findings``
    FINDINGS = "findings"  # an aggregate of all of the event's findings


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """What a field name means: its type and where its value comes from."""

    name: str
    type: FieldType
    source: Source
    column: str | None = None  # for COLUMN: the ``events`` column
    key: str | None = None  # for ATTRIBUTE: the attribute key; for DETECTOR: the detector id
    part: str | None = None  # for DETECTOR: score | margin | labels | status

    @property
    def single_valued(self) -> bool:
        """Whether the field holds at most one value (what group-by and value_count need)."""
        return self.type in (FieldType.TEXT, FieldType.NUMBER, FieldType.JSON)


# Event fields: name -> (events column, type).
COLUMN_FIELDS: Mapping[str, tuple[str, FieldType]] = {
    "kind": ("kind", FieldType.TEXT),
    "app": ("app", FieldType.TEXT),
    "source": ("source", FieldType.TEXT),
    "channel": ("channel", FieldType.TEXT),
    "role": ("role", FieldType.TEXT),
    "content": ("content", FieldType.TEXT),
    "session_id": ("session_id", FieldType.TEXT),
    "principal": ("principal", FieldType.TEXT),
    "agent": ("agent", FieldType.TEXT),
    "provider": ("provider", FieldType.TEXT),
    "model": ("model", FieldType.TEXT),
    "operation": ("operation", FieldType.TEXT),
    "trace_id": ("trace_id", FieldType.TEXT),
    "span_id": ("span_id", FieldType.TEXT),
    "parent_span_id": ("parent_span_id", FieldType.TEXT),
    "tool.name": ("tool_name", FieldType.TEXT),
    "tool.call_id": ("tool_call_id", FieldType.TEXT),
    "tool.arguments": ("tool_arguments", FieldType.TEXT),
    "usage.input_tokens": ("input_tokens", FieldType.NUMBER),
    "usage.output_tokens": ("output_tokens", FieldType.NUMBER),
    "latency_ms": ("latency_ms", FieldType.NUMBER),
}
DETECTOR_PARTS: Mapping[str, FieldType] = {
    "score": FieldType.SCORE,
    "margin": FieldType.SCORE,  # score minus the finding's own threshold (calibrated detectors)
    "labels": FieldType.TEXT_LIST,
    "status": FieldType.TEXT_LIST,
}
# The fields a keyword (a value with no field) is searched in.
KEYWORD_FIELDS: tuple[str, ...] = ("content", "tool.arguments")
MAX_FIELD_NAME = 256


def field_spec(name: str) -> FieldSpec | None:
    """The meaning of field ``name``, or ``None`` when the document has no such field."""
    if not isinstance(name, str) or not name or len(name) > MAX_FIELD_NAME:
        return None
    known = COLUMN_FIELDS.get(name)
    if known is not None:
        return FieldSpec(name, known[1], Source.COLUMN, column=known[0])
    if name.startswith("attributes."):
        key = name[len("attributes.") :]
        if not key:
            return None
        return FieldSpec(name, FieldType.JSON, Source.ATTRIBUTE, key=key)
    if name == "findings.labels":
        return FieldSpec(name, FieldType.TEXT_LIST, Source.FINDINGS, part="labels")
    if name.startswith("detectors."):
        detector, dot, part = name[len("detectors.") :].rpartition(".")
        if dot and detector and part in DETECTOR_PARTS:
            return FieldSpec(name, DETECTOR_PARTS[part], Source.DETECTOR, key=detector, part=part)
    return None


def finding_margin(f: Finding) -> float | None:
    """An ok finding's score minus the threshold it reports (``detail.threshold``, the
    calibrated threshold of a classifier for the event's channel); None without one."""
    threshold = f.detail.get("threshold") if f.status is FindingStatus.OK else None
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        return None
    if not math.isfinite(threshold):
        return None
    return f.score - float(threshold)


def event_document(event: Event, findings: Sequence[Finding]) -> dict[str, Any]:
    """The document a rule sees for ``event`` with its ``findings``; absent fields are left out.

    List-valued fields (labels, statuses, attribute arrays) match a value when any element does;
    an attribute keeps its JSON value as given (see docs/rules.md for how each type matches).
    """
    doc: dict[str, Any] = {}
    values: Mapping[str, Any] = {
        "kind": event.kind.value,
        "app": event.app,
        "source": event.source.value,
        "channel": event.channel.value if event.channel is not None else None,
        "role": event.role,
        "content": event.content,
        "session_id": event.session_id,
        "principal": event.principal,
        "agent": event.agent,
        "provider": event.provider,
        "model": event.model,
        "operation": event.operation,
        "trace_id": event.trace_id,
        "span_id": event.span_id,
        "parent_span_id": event.parent_span_id,
        "tool.name": event.tool.name if event.tool else None,
        "tool.call_id": event.tool.call_id if event.tool else None,
        "tool.arguments": event.tool.arguments if event.tool else None,
        "usage.input_tokens": event.usage.input_tokens if event.usage else None,
        "usage.output_tokens": event.usage.output_tokens if event.usage else None,
        "latency_ms": event.latency_ms,
    }
    for name, value in values.items():
        if value is not None:
            doc[name] = value
    for key, value in event.attributes.items():
        if value is not None:
            doc[f"attributes.{key}"] = value
    all_labels: list[str] = []
    for f in findings:
        prefix = f"detectors.{f.detector}"
        doc.setdefault(f"{prefix}.status", []).append(f.status.value)
        if f.status is FindingStatus.OK:
            doc.setdefault(f"{prefix}.labels", []).append(f.label)
            all_labels.append(f.label)
            best = doc.get(f"{prefix}.score")
            if best is None or f.score > best:
                doc[f"{prefix}.score"] = f.score
            margin = finding_margin(f)
            top = doc.get(f"{prefix}.margin")
            if margin is not None and (top is None or margin > top):
                doc[f"{prefix}.margin"] = margin
    if all_labels:
        doc["findings.labels"] = all_labels
    return doc
