"""STIX 2.1: validating bundles (with the ``stix2`` library), turning indicator patterns into
matchable values, and building the objects Garrison stores and serves.

Everything Garrison holds as intelligence is a STIX object, whatever format it came in (MISP and
CSV are converted to ``indicator`` objects), so one table, one export and one TAXII server serve
it all. Ids of converted indicators are UUIDv5 of (source, type, value): importing the same list
twice yields the same objects, and the repo skips content it already holds.

Which patterns become indicators: a ``stix`` pattern that is one or more comparisons of the form
``[object:path = 'value']`` joined by ``OR`` (inside or across brackets), over ``url:value``,
``domain-name:value``, ``ipv4-addr:value``, ``ipv6-addr:value``, ``email-addr:value`` and
``file:hashes.<MD5|SHA-1|SHA-256|SHA-512>``; ``pcre`` patterns (RE2 dialect) as regexes; and
Garrison's own ``garrison-literal`` and ``garrison-prompt`` pattern types. Anything else (AND,
FOLLOWEDBY, qualifiers, other operators or object paths, CIDR ranges) is stored and exported but
not matched, and the import result says so per object: matching one half of an AND would be
wrong. A bundle that is not valid STIX is refused whole, naming the object (index and id).
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from garrison.errors import InputError, ValidationError
from garrison.intel.indicators import (
    DEFAULT_CONFIDENCE,
    HASH_LENGTHS,
    Indicator,
    IndicatorType,
    normalize,
)

STIX_MEDIA_TYPE = "application/stix+json;version=2.1"
NAMESPACE = uuid.UUID("6d1c7e0e-3b0e-4f44-9a59-4b7f3f2f6a10")  # Garrison's UUIDv5 namespace
MAX_OBJECTS = 200_000
PATTERN_TYPES = {
    "garrison-literal": IndicatorType.LITERAL,
    "garrison-prompt": IndicatorType.PROMPT,
    "pcre": IndicatorType.REGEX,
}
_PATHS = {
    ("url", "value"): IndicatorType.URL,
    ("domain-name", "value"): IndicatorType.DOMAIN,
    ("ipv4-addr", "value"): IndicatorType.IP,
    ("ipv6-addr", "value"): IndicatorType.IP,
    ("email-addr", "value"): IndicatorType.EMAIL,
}
_HASH_PATH = re.compile(r"hashes\.(?:'([^']+)'|\"([^\"]+)\"|([A-Za-z0-9-]+))")
_HASH_NAMES = {"MD5", "SHA-1", "SHA-256", "SHA-512", "SHA1", "SHA256", "SHA512"}
_COMPARISON = re.compile(
    r"([a-z0-9-]+):([A-Za-z0-9_.'\"-]+)\s*(=|!=|<=|>=|<|>|IN|LIKE|MATCHES|ISSUBSET|ISSUPERSET)\s*"
    r"'((?:[^'\\]|\\.)*)'"
)
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'")


@dataclass(frozen=True, slots=True)
class StixRecord:
    """One validated object, ready to store: its JSON, version, digest and matchable values."""

    object: Mapping[str, Any]
    id: str
    type: str
    modified: datetime
    digest: str
    indicators: tuple[Indicator, ...] = ()
    note: str | None = None  # why an indicator object yields nothing to match


@dataclass(slots=True)
class ParseResult:
    records: list[StixRecord] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)


def _time(value: Any) -> datetime:
    text = str(value)
    t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def format_time(t: datetime) -> str:
    """STIX timestamps: UTC, microsecond precision, ``Z``."""
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def digest(obj: Mapping[str, Any]) -> str:
    """The object's content without its timestamps: equal digests mean nothing new."""
    skip = {"created", "modified"}
    if obj.get("valid_from") == obj.get("created"):
        skip.add("valid_from")  # converted objects: valid from when they were made
    rest = {k: v for k, v in obj.items() if k not in skip}
    return hashlib.sha256(orjson.dumps(rest, option=orjson.OPT_SORT_KEYS)).hexdigest()[:32]


def load_json(data: bytes | str, what: str = "STIX bundle") -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"{what} is not valid JSON: {exc}") from None


def parse_bundle(doc: Any, source: str) -> ParseResult:
    """Validate a bundle (all of it, before anything is stored) and derive its indicators."""
    if not isinstance(doc, Mapping) or doc.get("type") != "bundle":
        raise ValidationError('expected a STIX bundle: a JSON object with "type": "bundle"')
    objects = doc.get("objects", [])
    if not isinstance(objects, list):
        raise ValidationError("bundle: 'objects' must be a list")
    return parse_objects(objects, source)


def parse_objects(objects: Sequence[Any], source: str) -> ParseResult:
    stix2 = importlib.import_module("stix2")  # untyped
    stix_error = importlib.import_module("stix2.exceptions").STIXError
    if len(objects) > MAX_OBJECTS:
        raise ValidationError(f"bundle has {len(objects)} objects; at most {MAX_OBJECTS} at once")
    result = ParseResult()
    for i, obj in enumerate(objects):
        where = _where(i, obj)
        if not isinstance(obj, Mapping):
            raise ValidationError(f"{where}: not a JSON object", details={"index": i})
        if obj.get("spec_version", "2.1") != "2.1" and obj.get("type") not in _SCO_TYPES:
            raise ValidationError(
                f"{where}: spec_version {obj.get('spec_version')!r}; only STIX 2.1 is accepted",
                details={"index": i, "object": obj.get("id")},
            )
        try:
            stix2.parse(_checkable(obj), allow_custom=True, version="2.1")
        except (stix_error, ValueError, TypeError) as exc:
            raise ValidationError(
                f"{where}: {_first_line(exc)}", details={"index": i, "object": obj.get("id")}
            ) from None
        record = record_of(obj, source)
        if record.note:
            result.notes.append({"object": record.id, "note": record.note})
        result.records.append(record)
    return result


# The STIX grammar's string literal: only \' and \\ escapes.
_GRAMMAR_STRING = re.compile(r"(?<![thb])'(?:[^'\\]|\\['\\])*'")


@functools.lru_cache(maxsize=4096)
def _skeleton_valid(skeleton: str) -> bool:
    validator = importlib.import_module("stix2patterns.validator")  # untyped
    return not validator.run_validator(skeleton, stix_version="2.1")


def _checkable(obj: Mapping[str, Any]) -> dict[str, Any]:
    """What ``stix2.parse`` validates. Parsing a STIX pattern with ANTLR costs ~2 ms, most of an
    import: a pattern whose string literals, replaced by ``'x'``, has a skeleton already found
    valid is valid (a plain string literal's content cannot change the grammar), so its object
    is validated as-is except for the pattern, under a pattern type ``stix2`` does not parse.
    Any other pattern is validated in full, which also names its error."""
    out = dict(obj)
    if out.get("type") == "indicator" and out.get("pattern_type") == "stix":
        pattern = out.get("pattern")
        if isinstance(pattern, str) and _skeleton_valid(_GRAMMAR_STRING.sub("'x'", pattern)):
            out["pattern_type"] = "x-garrison-prevalidated"
    return out


_SCO_TYPES = frozenset(
    {"url", "domain-name", "ipv4-addr", "ipv6-addr", "email-addr", "file", "artifact"}
    | {"autonomous-system", "directory", "email-message", "mac-addr", "mutex", "network-traffic"}
    | {"process", "software", "user-account", "windows-registry-key", "x509-certificate"}
)


def _where(i: int, obj: Any) -> str:
    ident = obj.get("id") if isinstance(obj, Mapping) else None
    return f"object {i}" + (f" ({str(ident)[:80]})" if ident else "")


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__


def record_of(obj: Mapping[str, Any], source: str) -> StixRecord:
    """A validated object as stored; its indicators if it is an indicator."""
    modified = obj.get("modified") or obj.get("created")
    when = _time(modified) if modified else datetime(1970, 1, 1, tzinfo=UTC)
    indicators: tuple[Indicator, ...] = ()
    note = None
    if obj.get("type") == "indicator" and not obj.get("revoked"):
        own = obj.get("x_garrison_source")
        found, note = indicators_of(obj, own if isinstance(own, str) and own else source)
        indicators = tuple(found)
    return StixRecord(obj, str(obj["id"]), str(obj["type"]), when, digest(obj), indicators, note)


def tags_of(obj: Mapping[str, Any]) -> tuple[str, ...]:
    """Labels, ATLAS external references (as ``atlas.<id>``) and ``x_garrison_tags``."""
    tags: list[str] = []
    for label in obj.get("labels") or ():
        if isinstance(label, str):
            tags.append(label)
    for ref in obj.get("external_references") or ():
        if isinstance(ref, Mapping) and ref.get("source_name") == "mitre-atlas":
            ext = ref.get("external_id")
            if isinstance(ext, str):
                tags.append(f"atlas.{ext}")
    for tag in obj.get("x_garrison_tags") or ():
        if isinstance(tag, str):
            tags.append(tag)
    return tuple(dict.fromkeys(tags))


def indicators_of(obj: Mapping[str, Any], source: str) -> tuple[list[Indicator], str | None]:
    pattern_type = str(obj.get("pattern_type", ""))
    pattern = str(obj.get("pattern", ""))
    values: list[tuple[IndicatorType, str]] = []
    note: str | None = None
    if pattern_type == "stix":
        values, note = _stix_values(pattern)
    elif pattern_type in PATTERN_TYPES:
        values = [(PATTERN_TYPES[pattern_type], pattern)]
    else:
        return [], f"pattern_type {pattern_type!r} is not matched by Garrison"
    confidence = obj.get("confidence")
    conf = int(confidence) if isinstance(confidence, int) else DEFAULT_CONFIDENCE
    valid_from = _time(obj["valid_from"]) if obj.get("valid_from") else None
    valid_until = _time(obj["valid_until"]) if obj.get("valid_until") else None
    tags = tags_of(obj)
    name = obj.get("name")
    out: list[Indicator] = []
    problems: list[str] = []
    stix_id = str(obj["id"])
    for kind, raw in values:
        try:
            value = normalize(kind, raw)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        out.append(
            Indicator(
                id=stix_id if len(values) == 1 else f"{stix_id}#{len(out)}",
                type=kind,
                value=value,
                source=source,
                confidence=conf,
                valid_from=valid_from,
                valid_until=valid_until,
                tags=tags,
                stix_id=stix_id,
                name=str(name)[:200] if isinstance(name, str) else None,
            )
        )
    if problems:
        note = "; ".join(([note] if note else []) + problems[:3])
    return out, note


def _stix_values(pattern: str) -> tuple[list[tuple[IndicatorType, str]], str | None]:
    rest = _COMPARISON.sub("C", pattern)
    rest = re.sub(r"\s+", " ", _STRING.sub("S", rest)).strip()
    skeleton = re.sub(r"[\[\]() ]", "", rest.replace(" OR ", "|"))
    if not skeleton or set(skeleton) - {"C", "|"}:
        return [], "pattern uses more than OR-ed equality comparisons; stored, not matched"
    values: list[tuple[IndicatorType, str]] = []
    unsupported: list[str] = []
    for m in _COMPARISON.finditer(pattern):
        obj_type, path, op, literal = m.groups()
        value = literal.replace("\\'", "'").replace("\\\\", "\\")
        if op != "=":
            return [], f"operator {op} is not matched; stored, not matched"
        kind = _PATHS.get((obj_type, path))
        if kind is None and obj_type == "file":
            hm = _HASH_PATH.fullmatch(path)
            if hm and (hm.group(1) or hm.group(2) or hm.group(3) or "").upper() in _HASH_NAMES:
                kind = IndicatorType.HASH
        if kind is None:
            unsupported.append(f"{obj_type}:{path}")
            continue
        if kind is IndicatorType.IP and "/" in value:
            unsupported.append(f"{obj_type}:{path} CIDR range")
            continue
        values.append((kind, value))
    note = f"not matched: {', '.join(sorted(set(unsupported)))}" if unsupported else None
    return values, note


# --- building objects -----------------------------------------------------------------------------


def stix_id(kind: str, *parts: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, '|'.join(parts))}"


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def pattern_of(kind: IndicatorType, value: str) -> tuple[str, str]:
    """(pattern_type, pattern) for one normalized value."""
    match kind:
        case IndicatorType.URL:
            return "stix", f"[url:value = {_quote(value)}]"
        case IndicatorType.DOMAIN:
            return "stix", f"[domain-name:value = {_quote(value)}]"
        case IndicatorType.IP:
            family = "ipv6-addr" if ":" in value else "ipv4-addr"
            return "stix", f"[{family}:value = {_quote(value)}]"
        case IndicatorType.EMAIL:
            return "stix", f"[email-addr:value = {_quote(value)}]"
        case IndicatorType.HASH:
            return "stix", f"[file:hashes.'{HASH_LENGTHS[len(value)]}' = {_quote(value)}]"
        case IndicatorType.REGEX:
            return "pcre", value
        case IndicatorType.LITERAL:
            return "garrison-literal", value
        case IndicatorType.PROMPT:
            return "garrison-prompt", value
    raise ValueError(kind)  # pragma: no cover


def indicator_object(
    kind: IndicatorType,
    value: str,
    *,
    source: str,
    modified: datetime,
    confidence: int = DEFAULT_CONFIDENCE,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    tags: Iterable[str] = (),
    name: str | None = None,
    description: str | None = None,
) -> dict[str, Any]:
    """A STIX indicator for a value from a non-STIX feed (id stable per source, type, value)."""
    pattern_type, pattern = pattern_of(kind, value)
    tag_list = list(dict.fromkeys(tags))
    start = valid_from or modified
    if valid_until is not None and valid_until <= start:
        start = valid_until - timedelta(seconds=1)  # STIX: valid_until must follow valid_from
    obj: dict[str, Any] = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": stix_id("indicator", source, kind.value, value),
        "created": format_time(modified),
        "modified": format_time(modified),
        "name": name or f"{kind.value}: {value[:80]}",
        "pattern_type": pattern_type,
        "pattern": pattern,
        "valid_from": format_time(start),
        "confidence": max(0, min(100, confidence)),
        "x_garrison_source": source,
    }
    if valid_until is not None:
        obj["valid_until"] = format_time(valid_until)
    if tag_list:
        obj["labels"] = tag_list
        refs = [
            {
                "source_name": "mitre-atlas",
                "external_id": t.removeprefix("atlas."),
                "url": f"https://atlas.mitre.org/techniques/{t.removeprefix('atlas.')}",
            }
            for t in tag_list
            if t.startswith("atlas.AML.T")
        ]
        if refs:
            obj["external_references"] = refs
    if description:
        obj["description"] = description
    return obj


def bundle(objects: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    return {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": list(objects)}


def sighting_object(
    tenant: str,
    indicator_stix_id: str,
    *,
    count: int,
    first_seen: datetime,
    last_seen: datetime,
    created: datetime,
    modified: datetime,
) -> dict[str, Any]:
    """The one sighting of an indicator in a tenant: its count and seen range grow."""
    return {
        "type": "sighting",
        "spec_version": "2.1",
        "id": stix_id("sighting", tenant, indicator_stix_id),
        "created": format_time(created),
        "modified": format_time(modified),
        "sighting_of_ref": indicator_stix_id,
        "count": max(1, min(count, 999_999_999)),
        "first_seen": format_time(first_seen),
        "last_seen": format_time(last_seen),
        "description": "Seen by Garrison in AI traffic (prompts, outputs, tool calls)",
    }
