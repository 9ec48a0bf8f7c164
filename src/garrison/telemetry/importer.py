"""Importing files of telemetry: JSON Lines of Garrison events, OTLP/JSON documents (one per
file, or one per line as the OpenTelemetry Collector's file exporter writes them), or a JSON array
of events; optionally gzip-compressed (``.gz``).

``check_file`` reads the whole file first and raises with ``file:line`` on the first unusable
record, so a bad file imports nothing; only then does the caller write what ``iter_file`` yields.
This module never writes anywhere itself.
"""

from __future__ import annotations

import dataclasses
import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import orjson

from garrison.errors import DecodeError, InputError, ValidationError
from garrison.model import Event, Source
from garrison.model.event import event_from_dict


@dataclass(frozen=True, slots=True)
class ImportChunk:
    """Events from one line (JSONL) or one document, with where they came from."""

    line: int
    kind: str  # "events", "otlp_traces", "otlp_logs"
    events: list[Event]
    rejected: int = 0
    raw: bytes = b""  # the OTLP/JSON document as read, to forward to a server unchanged


@dataclass(frozen=True, slots=True)
class ImportCheck:
    records: int
    events: int
    rejected: int


_NOT_JSON: Any = object()


def _open(path: Path) -> IO[bytes]:
    if path.suffix == ".gz":
        return gzip.GzipFile(path, "rb")  # type: ignore[return-value]  # GzipFile is an IO[bytes]
    return path.open("rb")


def _fail(path: Path, line: int, exc: InputError) -> InputError:
    exc.message = f"{path}:{line}: {exc.message}"
    exc.args = (exc.message,)
    exc.details.update({"file": str(path), "line": line})
    return exc


def _chunk(doc: Any, raw: bytes, line: int, tenant: str, now: datetime, where: str) -> ImportChunk:
    from garrison.telemetry.otlp import decode_logs, decode_traces

    if isinstance(doc, dict) and "resourceSpans" in doc:
        result = decode_traces(raw, "json", tenant=tenant)
        events = [dataclasses.replace(e, source=Source.IMPORT) for e in result.events]
        return ImportChunk(line, "otlp_traces", events, result.rejected, raw)
    if isinstance(doc, dict) and "resourceLogs" in doc:
        result = decode_logs(raw, "json", tenant=tenant)
        events = [dataclasses.replace(e, source=Source.IMPORT) for e in result.events]
        return ImportChunk(line, "otlp_logs", events, result.rejected, raw)
    items = doc["events"] if isinstance(doc, dict) and "events" in doc else doc
    if not isinstance(items, list):
        items = [items]
    events = [
        event_from_dict(item, tenant=tenant, source=Source.IMPORT, where=where, now=now)
        for item in items
    ]
    return ImportChunk(line, "events", events)


def iter_file(path: Path, *, tenant: str) -> Iterator[ImportChunk]:
    """Chunks of events in file order; raises InputError naming ``file:line`` when one is bad."""
    now = datetime.now(UTC)
    try:
        with _open(path) as f:
            data = f.read()
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(f"{path}: cannot read: {exc}", details={"file": str(path)}) from None
    if not data.strip():
        return
    # One JSON document (an array of events, one event, or a pretty-printed OTLP/JSON export)?
    # A JSON Lines file fails this parse at its second line, which costs next to nothing.
    try:
        whole = orjson.loads(data)
    except orjson.JSONDecodeError:
        whole = _NOT_JSON
    if whole is not _NOT_JSON:
        try:
            yield _chunk(whole, data, 1, tenant, now, "record")
        except InputError as exc:
            raise _fail(path, 1, exc) from None
        return
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            doc = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise _fail(path, number, DecodeError(f"not JSON: {exc}")) from None
        try:
            yield _chunk(doc, raw, number, tenant, now, "record")
        except InputError as exc:
            raise _fail(path, number, exc) from None


def check_file(path: Path, *, tenant: str) -> ImportCheck:
    """Parse the whole file without keeping it; raise on the first bad record."""
    records = events = rejected = 0
    for chunk in iter_file(path, tenant=tenant):
        records += 1
        events += len(chunk.events)
        rejected += chunk.rejected
    if records == 0:
        raise ValidationError(f"{path}: no records", details={"file": str(path)})
    return ImportCheck(records, events, rejected)
