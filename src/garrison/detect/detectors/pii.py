"""Tier 2 of detection: ``pii`` — personal data in prompts, answers and tool arguments.

Conservative by design (a PII hit often triggers redaction, so a false positive costs users):

- ``email``: an address with a real-looking top-level domain (not ``logo@2x.png``);
- ``phone``: E.164 (``+`` and 8–15 digits) or common national formats *with separators*
  (``(555) 123-4567``, ``555-123-4567``, ``01 23 45 67 89``, ``020 7946 0958``); a bare run of
  digits is never a phone number;
- ``credit_card``: 13–19 digits (optionally grouped by spaces or dashes) with a known issuer
  prefix that pass the Luhn check;
- ``iban``: country code, check digits and the country's length, passing ISO 13616 mod-97;
- ``ssn``: US SSN written ``AAA-GG-SSSS`` (areas 000, 666 and 900–999, group 00 and serial 0000
  excluded);
- ``ip_address``: IPv4 with no leading zeros, not 0.x, not a version string (``v1.2.3.4``,
  ``version 10.0.0.1``, ``Chrome/120.0.6099.109``) nor part of a longer dotted number.

One finding per label with masked values only (``j***@example.com``, ``**** 1111``). Option
``types``: the labels to look for (default all). Tagged LLM Data Leakage (AML.T0057) and OWASP
LLM02:2025. This module must never put a whole value in a finding and never log content.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from garrison.detect.base import ScanContext
from garrison.detect.detectors.signatures import (
    CONTENT_KINDS,
    MAX_EVIDENCE,
    SNIPPET_CHARS,
    check_options,
    evidence,
    iter_views,
    option_strings,
)
from garrison.detect.normalize import snippet
from garrison.errors import ConfigError
from garrison.model import EventKind
from garrison.model.finding import Evidence, Finding

TAGS = ("atlas.AML.T0057", "owasp-llm-2025.LLM02")
TYPES = ("email", "phone", "credit_card", "iban", "ssn", "ip_address")
SCORES = {
    "email": 0.5,
    "phone": 0.5,
    "credit_card": 0.9,
    "iban": 0.8,
    "ssn": 0.9,
    "ip_address": 0.3,
}

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.){1,8}([A-Za-z]{2,24})(?![A-Za-z0-9\-])"
)
# "TLDs" that are really file extensions (icon@2x.png, module@1.2.js) or code.
_NOT_TLDS = frozenset(
    ("png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "tif", "tiff", "js", "mjs", "ts",
     "tsx", "jsx", "css", "scss", "py", "rb", "go", "rs", "java", "kt", "json", "yaml", "yml",
     "toml", "xml", "html", "htm", "md", "txt", "csv", "log", "lock", "map", "wasm", "zip", "gz",
     "tar", "mp3", "mp4", "wav", "pdf")
)  # fmt: skip
_PHONE = re.compile(
    r"(?<![\w+\-.])(?<!\d )(?<!\d-)(?:"
    r"\+[1-9][\d .\-()]{6,22}\d"  # +CC and groups, checked in _phones
    r"|\(\d{3}\)\s?\d{3}[ .\-]\d{4}"  # (555) 123-4567
    r"|\d{3}[.\-]\d{3}[.\-]\d{4}"  # 555-123-4567
    r"|0[1-9](?:[ .]\d{2}){4}"  # 01 23 45 67 89
    r"|0\d{2,4}[ \-]\d{3,4}[ \-]?\d{3,4}"  # 020 7946 0958
    r")(?![\w\-]|\.\d|[ \-]\d)"
)
_DIGIT = re.compile(r"\d")
# Runs of digits and separators long enough to hold an IP address, a phone or a card number.
_REGION = re.compile(r"\d[\d .\-()/]{5,}\d")
_IBAN_START = re.compile(r"[A-Z]{2}\d\d")
_E164_SHAPE = re.compile(r"\+\d{1,3}(?:[ .\-]?(?:\(\d{1,4}\)|\d{1,5})){1,6}")
_CARD = re.compile(r"(?<![\d\-.])(?:\d[ \-]?){12,18}\d(?![\d\-]|\.\d)")
_CARD_PREFIX = re.compile(
    r"4|5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)|3[47]|3(?:0[0-5]|[689])|6(?:011|5|4[4-9]|22)|35(?:2[89]|[3-8])"
)
_IBAN = re.compile(
    r"(?<![A-Za-z0-9])([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?)(?![A-Za-z0-9])"
)
_IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20,
    "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18,
    "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
    "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
    "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15,
    "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SC": 31,
    "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24,
    "XK": 20,
}  # fmt: skip
_SSN = re.compile(r"(?<![\d\-])(?!000|666|9\d\d)(\d{3})-(?!00)\d{2}-(?!0000)\d{4}(?![\d\-])")
_IPV4 = re.compile(
    r"(?<![\d.])((?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})"
    r"(?!\.?\d|[A-Za-z\-])"
)
_VERSION_BEFORE = re.compile(
    r"(?:\b(?:v|ver|version|release|build|rev|revision|python|node|java|chrome|firefox|safari|"
    r"edge|windows|macos|ios|android|kernel|firmware|update|patch)\.?\s*[:=]?\s*|[/@=v\-_])$",
    re.IGNORECASE,
)


def luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_valid(iban: str) -> bool:
    s = iban.replace(" ", "")
    expected = _IBAN_LENGTHS.get(s[:2])
    if expected is None or len(s) != expected:
        return False
    moved = s[4:] + s[:4]
    digits = "".join(str(int(c, 36)) for c in moved)
    return int(digits) % 97 == 1


@dataclass(frozen=True, slots=True)
class PiiHit:
    label: str
    start: int
    end: int
    value: str


def _mask(label: str, value: str) -> str:
    if label == "email":
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    if label == "ip_address":
        return value.rsplit(".", 1)[0] + ".x"
    chars = [c for c in value if c.isalnum()]
    head = "".join(chars[:2]) if label == "iban" else ""
    return f"{head}****{''.join(chars[-4:])}"


def _emails(text: str) -> list[PiiHit]:
    out: list[PiiHit] = []
    seen: set[int] = set()
    at = text.find("@")
    while at >= 0 and len(out) < 1000:
        for m in _EMAIL.finditer(text, max(0, at - 64), at + 260):
            if m.start() not in seen and m.group(1).lower() not in _NOT_TLDS:
                seen.add(m.start())
                out.append(PiiHit("email", m.start(), m.end(), m.group()))
        at = text.find("@", at + 1)
    return out


def _phones(text: str, pos: int, endpos: int) -> list[PiiHit]:
    out = []
    for m in _PHONE.finditer(text, pos, endpos):
        value = m.group()
        n = sum(c.isdigit() for c in value)
        if value.startswith("+"):
            if not 8 <= n <= 15 or not _E164_SHAPE.fullmatch(value) or "  " in value:
                continue
        elif not 9 <= n <= 12:
            continue
        out.append(PiiHit("phone", m.start(), m.end(), value))
    return out


def _cards(text: str, pos: int, endpos: int) -> list[PiiHit]:
    out = []
    for m in _CARD.finditer(text, pos, endpos):
        value = m.group()
        digits = "".join(c for c in value if c.isdigit())
        seps = {c for c in value if not c.isdigit()}
        if len(seps) > 1 or not 13 <= len(digits) <= 19:
            continue
        if seps and not _grouped(value):
            continue
        if _CARD_PREFIX.match(digits) and luhn(digits) and len(set(digits)) > 1:
            out.append(PiiHit("credit_card", m.start(), m.end(), value))
    return out


def _grouped(value: str) -> bool:
    """Separators where cards put them: 4-4-4-4(-3), 4-6-5 (Amex), 4-6-4 (Diners)."""
    groups = [len(g) for g in re.split(r"[ \-]", value)]
    return groups[:-1] == [4] * (len(groups) - 1) or groups in ([4, 6, 5], [4, 6, 4])


def _ibans(text: str) -> list[PiiHit]:
    out = []
    for start in _IBAN_START.finditer(text):
        m = _IBAN.match(text, start.start())
        if m and iban_valid(m.group(1)):
            out.append(PiiHit("iban", m.start(1), m.end(1), m.group(1)))
    return out


def _ssns(text: str, pos: int, endpos: int) -> list[PiiHit]:
    return [PiiHit("ssn", m.start(), m.end(), m.group()) for m in _SSN.finditer(text, pos, endpos)]


def _ips(text: str, pos: int, endpos: int) -> list[PiiHit]:
    out = []
    for m in _IPV4.finditer(text, pos, endpos):
        value = m.group(1)
        if value.startswith("0."):
            continue
        if _VERSION_BEFORE.search(text, max(0, m.start() - 24), m.start()):
            continue
        out.append(PiiHit("ip_address", m.start(1), m.end(1), value))
    return out


_PRIORITY = ("iban", "credit_card", "ssn", "email", "ip_address", "phone")
# Finders of values made of digits and separators, run only inside such runs of the text.
_NUMERIC: dict[str, Callable[[str, int, int], list[PiiHit]]] = {
    "phone": _phones,
    "credit_card": _cards,
    "ssn": _ssns,
    "ip_address": _ips,
}


def find_pii(text: str, types: tuple[str, ...] = TYPES) -> list[PiiHit]:
    """Every PII value in ``text``; where two overlap, the more specific type wins (an IBAN's
    digit groups are not a phone number)."""
    hits: list[PiiHit] = []
    if not text or ("@" not in text and not _DIGIT.search(text)):
        return hits
    n = len(text)
    regions = [(max(0, m.start() - 1), min(n, m.end() + 2)) for m in _REGION.finditer(text)]
    for label in _PRIORITY:
        if label not in types:
            continue
        if label == "email":
            found = _emails(text) if "@" in text else []
        elif label == "iban":
            found = _ibans(text)
        else:
            finder = _NUMERIC[label]
            found = [hit for a, b in regions for hit in finder(text, a, b)]
        for hit in found:
            if not any(hit.start < h.end and h.start < hit.end for h in hits):
                hits.append(hit)
    return hits


@dataclass(slots=True)
class _Found:
    count: int = 0
    masked: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


class PiiDetector:
    """``pii``: emails, phone numbers, payment cards, IBANs, US SSNs and IPv4 addresses.

    Options: ``types`` (the labels to report; default all)."""

    id: ClassVar[str] = "pii"
    version: ClassVar[str] = "1.0"
    kinds: ClassVar[frozenset[EventKind]] = CONTENT_KINDS

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        opts = check_options(self.id, options, ("types",))
        types = option_strings(self.id, opts, "types") if "types" in opts else TYPES
        for t in types:
            if t not in TYPES:
                raise ConfigError(
                    f"detector {self.id!r}: option 'types': unknown type {t!r} "
                    f"(known: {', '.join(TYPES)})",
                    field=f"detection.detectors.{self.id}.types",
                )
        if not types:
            raise ConfigError(
                f"detector {self.id!r}: option 'types' is empty",
                field=f"detection.detectors.{self.id}.types",
            )
        self.types = tuple(t for t in TYPES if t in types)

    async def detect(self, ctx: ScanContext) -> list[Finding]:
        found: dict[str, _Found] = {}
        for field_path in ctx.fields():
            nt = ctx.normalized(field_path)
            for view in iter_views(nt, folded=False):
                hits = find_pii(view.text, self.types)
                if not hits:
                    continue
                masked = _masked_text(view.text, hits)
                for hit in hits:
                    acc = found.setdefault(hit.label, _Found())
                    acc.count += 1
                    shown = _mask(hit.label, hit.value)
                    if shown not in acc.masked and len(acc.masked) < MAX_EVIDENCE:
                        acc.masked.append(shown)
                    if len(acc.evidence) < MAX_EVIDENCE:
                        a, b = masked[1][(hit.start, hit.end)]
                        text = snippet(masked[0], a, b, SNIPPET_CHARS)
                        acc.evidence.append(
                            evidence(nt, field_path, view, hit.start, hit.end, snippet_text=text)
                        )
        return [
            Finding(
                event_id=ctx.event.id,
                detector=self.id,
                version=self.version,
                label=label,
                score=SCORES[label],
                tags=TAGS,
                evidence=tuple(acc.evidence),
                detail={"count": acc.count, "masked": acc.masked},
            )
            for label, acc in found.items()
        ]

    async def aclose(self) -> None:
        return None


def _masked_text(
    text: str, hits: list[PiiHit]
) -> tuple[str, dict[tuple[int, int], tuple[int, int]]]:
    parts: list[str] = []
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    last = out = 0
    for hit in sorted(hits, key=lambda h: h.start):
        parts.append(text[last : hit.start])
        out += hit.start - last
        shown = _mask(hit.label, hit.value)
        parts.append(shown)
        spans[(hit.start, hit.end)] = (out, out + len(shown))
        out += len(shown)
        last = hit.end
    parts.append(text[last:])
    return "".join(parts), spans


__all__ = ["TYPES", "PiiDetector", "PiiHit", "find_pii", "iban_valid", "luhn"]
