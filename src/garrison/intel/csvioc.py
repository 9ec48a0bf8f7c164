"""CSV indicator lists, converted to STIX indicators.

The first line is a header; columns (any order, extra columns refused so a typo is not lost):

    type,value,source,confidence,valid_until,tags

``type`` and ``value`` are required; ``type`` is one of url, domain, ip, email, hash, literal,
regex, prompt. ``source`` defaults to the import's source, ``confidence`` (0-100) to 50,
``valid_until`` (RFC 3339 or a date) to never; ``tags`` are separated by ``;`` or spaces
(``atlas.AML.T0051;owasp-llm-2025.LLM01``). Any bad line refuses the whole file, naming the line.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

from garrison.errors import ValidationError
from garrison.intel.indicators import DEFAULT_CONFIDENCE, normalize, parse_type
from garrison.intel.stix import indicator_object

COLUMNS = ("type", "value", "source", "confidence", "valid_until", "tags")
MAX_ROWS = 200_000


def _time(text: str) -> datetime:
    t = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def parse_csv(text: str, source: str) -> list[dict[str, Any]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ValidationError("CSV is empty: expected a header line") from None
    except csv.Error as exc:
        raise ValidationError(f"CSV line 1: {exc}") from None
    unknown = [h for h in header if h not in COLUMNS]
    if unknown or "type" not in header or "value" not in header:
        raise ValidationError(
            f"CSV line 1: header must name type and value, and only {', '.join(COLUMNS)}"
            + (f"; unknown: {', '.join(unknown)}" if unknown else "")
        )
    now = datetime.now(UTC)
    out: list[dict[str, Any]] = []
    line = 1
    try:
        for row in reader:
            line = reader.line_num
            if not any(c.strip() for c in row):
                continue
            if len(row) > len(header):
                raise ValueError(f"{len(row)} columns, the header has {len(header)}")
            cells = dict(zip(header, (c.strip() for c in row), strict=False))
            kind = parse_type(cells.get("type", ""))
            value = normalize(kind, cells.get("value", ""))
            conf_text = cells.get("confidence") or str(DEFAULT_CONFIDENCE)
            if not conf_text.isdigit() or not 0 <= int(conf_text) <= 100:
                raise ValueError(f"confidence {conf_text[:20]!r} is not an integer 0-100")
            until = cells.get("valid_until") or ""
            try:
                valid_until = _time(until) if until else None
            except ValueError:
                raise ValueError(f"valid_until {until[:40]!r} is not RFC 3339") from None
            tags = [t for t in cells.get("tags", "").replace(";", " ").split() if t]
            out.append(
                indicator_object(
                    kind,
                    value,
                    source=cells.get("source") or source,
                    modified=now,
                    confidence=int(conf_text),
                    valid_until=valid_until,
                    tags=tags,
                )
            )
            if len(out) > MAX_ROWS:
                raise ValueError(f"more than {MAX_ROWS} rows; split the file")
    except csv.Error as exc:
        raise ValidationError(f"CSV line {reader.line_num}: {exc}") from None
    except ValueError as exc:
        raise ValidationError(f"CSV line {line}: {exc}", details={"line": line}) from None
    return out
