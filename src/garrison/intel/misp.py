"""MISP events (as MISP feeds publish them: ``{"Event": {...}}`` with ``Attribute`` and
``Object`` lists) converted to STIX indicators.

Attribute types map to indicator types (``domain``/``hostname`` → domain, ``url``/``link`` →
url, ``ip-src``/``ip-dst`` (also ``|port``) → ip, ``email*`` → email, ``md5``/``sha1``/
``sha256``/``sha512`` and ``filename|<hash>`` → hash, ``pattern-in-traffic``/
``pattern-in-file`` → literal; other types are skipped and counted). Only attributes flagged
``to_ids`` are taken unless asked otherwise: MISP's own signal that a value is fit for detection.
Confidence comes from the event's ``threat_level_id`` (1 high → 90 … 4 undefined → 50); tags are
the event's and attribute's ``Tag`` names, with MISP's ``mitre-atlas`` galaxy tags (``misp-galaxy:
mitre-atlas-attack-pattern="… - AML.T0051"``) turned into ``atlas.AML.T0051``. A malformed
event is refused whole, naming the attribute (index and uuid).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from garrison.errors import ValidationError
from garrison.intel.indicators import IndicatorType, normalize
from garrison.intel.stix import indicator_object

_TYPES: dict[str, IndicatorType] = {
    "domain": IndicatorType.DOMAIN,
    "hostname": IndicatorType.DOMAIN,
    "url": IndicatorType.URL,
    "link": IndicatorType.URL,
    "uri": IndicatorType.URL,
    "ip-src": IndicatorType.IP,
    "ip-dst": IndicatorType.IP,
    "email": IndicatorType.EMAIL,
    "email-src": IndicatorType.EMAIL,
    "email-dst": IndicatorType.EMAIL,
    "md5": IndicatorType.HASH,
    "sha1": IndicatorType.HASH,
    "sha256": IndicatorType.HASH,
    "sha512": IndicatorType.HASH,
    "pattern-in-traffic": IndicatorType.LITERAL,
    "pattern-in-file": IndicatorType.LITERAL,
}
_CONFIDENCE = {"1": 90, "2": 70, "3": 50, "4": 50}
_ATLAS = re.compile(r"AML\.T\d{4}(?:\.\d{3})?")


@dataclass(slots=True)
class MispResult:
    objects: list[dict[str, Any]] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)


def _tags(node: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    for tag in node.get("Tag") or ():
        name = tag.get("name") if isinstance(tag, Mapping) else None
        if not isinstance(name, str):
            continue
        atlas = _ATLAS.search(name) if "atlas" in name.lower() else None
        out.append(f"atlas.{atlas.group(0)}" if atlas else name[:100])
    return out


def _split(kind: str, value: str) -> tuple[str, str]:
    """``filename|sha256`` → (sha256, hash part); ``ip-dst|port`` → (ip-dst, ip)."""
    if "|" not in kind:
        return kind, value
    left, _, right = kind.partition("|")
    parts = value.split("|", 1)
    if left == "filename" and len(parts) == 2:
        return right, parts[1]
    if right == "port" and len(parts) == 2:
        return left, parts[0]
    return kind, value


def _time(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"timestamp {str(value)[:30]!r} is not epoch seconds") from None


def parse_event(doc: Any, source: str, *, include_non_ids: bool = False) -> MispResult:
    if not isinstance(doc, Mapping) or not isinstance(doc.get("Event"), Mapping):
        raise ValidationError('expected a MISP event: a JSON object with an "Event" object')
    event = doc["Event"]
    ident = str(event.get("uuid") or "")[:64]
    if not ident:
        raise ValidationError("MISP event has no uuid")
    try:
        event_time = _time(event.get("timestamp")) or datetime.now(UTC)
    except ValueError as exc:
        raise ValidationError(f"MISP event {ident}: {exc}") from None
    confidence = _CONFIDENCE.get(str(event.get("threat_level_id", "4")), 50)
    event_tags = _tags(event)
    info = str(event.get("info") or "")[:200]
    attributes: list[tuple[str, Any]] = [("Attribute", a) for a in event.get("Attribute") or ()]
    for o, obj in enumerate(event.get("Object") or ()):
        if not isinstance(obj, Mapping):
            raise ValidationError(f"MISP event {ident}: Object {o} is not a JSON object")
        attributes += [(f"Object {o} Attribute", a) for a in obj.get("Attribute") or ()]
    result = MispResult()
    for i, (where, attr) in enumerate(attributes):
        label = f"MISP event {ident}: {where} {i}"
        if not isinstance(attr, Mapping):
            raise ValidationError(f"{label}: not a JSON object")
        if attr.get("uuid"):
            label += f" ({str(attr['uuid'])[:40]})"
        raw_type, raw_value = attr.get("type"), attr.get("value")
        if not isinstance(raw_type, str) or not isinstance(raw_value, str):
            raise ValidationError(f"{label}: 'type' and 'value' must be strings")
        if attr.get("deleted") in (True, "1", 1):
            continue
        kind_name, value = _split(raw_type, raw_value)
        kind = _TYPES.get(kind_name)
        ids = attr.get("to_ids") in (True, "1", 1, "true")
        if kind is None or (not ids and not include_non_ids):
            reason = raw_type if kind is None else "not to_ids"
            result.skipped[reason] = result.skipped.get(reason, 0) + 1
            continue
        try:
            value = normalize(kind, value)
            modified = _time(attr.get("timestamp")) or event_time
        except ValueError as exc:
            raise ValidationError(f"{label}: {exc}") from None
        tags = event_tags + _tags(attr)
        result.objects.append(
            indicator_object(
                kind,
                value,
                source=source,
                modified=modified,
                confidence=confidence if ids else confidence // 2,
                tags=tags,
                name=f"{kind.value}: {value[:80]}",
                description=f"MISP event {ident}: {info}" if info else f"MISP event {ident}",
            )
        )
    return result


def parse_manifest(doc: Any) -> dict[str, int]:
    """``manifest.json``: event uuid → its timestamp (what changed since the last poll)."""
    if not isinstance(doc, Mapping):
        raise ValidationError("MISP manifest.json must be a JSON object of event uuid → info")
    out: dict[str, int] = {}
    for uuid, info in doc.items():
        if not re.fullmatch(r"[0-9a-fA-F-]{32,36}", str(uuid)) or not isinstance(info, Mapping):
            raise ValidationError(f"MISP manifest.json: entry {str(uuid)[:40]!r} is malformed")
        try:
            out[str(uuid)] = int(info.get("timestamp", 0))
        except (TypeError, ValueError):
            raise ValidationError(
                f"MISP manifest.json: entry {uuid}: timestamp is not epoch seconds"
            ) from None
    return out
