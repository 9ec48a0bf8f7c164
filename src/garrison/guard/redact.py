"""Redaction of secrets and personal data, from the detectors' evidence offsets.

A redacted value becomes a placeholder (``[SECRET_1]``, ``[PII_EMAIL_1]``). With reversible
redaction the original is kept in the exchange's vault — in memory, for this request only — and
put back where the model repeats the placeholder in its answer, so the caller sees its own data
while the model never did. Output-side redactions are never reversible.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from garrison.model.finding import Finding

_PLACEHOLDER = re.compile(r"\[(?:SECRET|PII)_[A-Z0-9_]+_\d+\]")


def spans(
    findings: Iterable[Finding], field: str = "content"
) -> tuple[list[tuple[int, int, str]], bool]:
    """(start, end, kind) of each value to redact, merged; and whether some evidence could not
    be mapped to the text (a value only seen decoded or folded)."""
    out: list[tuple[int, int, str]] = []
    unmapped = False
    for f in findings:
        kind = ("SECRET" if f.detector == "secrets" else "PII") + "_" + _kind(f.label)
        for ev in f.evidence:
            if ev.field != field:
                continue
            if ev.start is None or ev.end is None or ev.view != "text":
                unmapped = True
                continue
            out.append((ev.start, ev.end, kind))
    out.sort()
    merged: list[tuple[int, int, str]] = []
    for s, e, k in out:
        if merged and s < merged[-1][1]:
            ps, pe, pk = merged[-1]
            merged[-1] = (ps, max(pe, e), pk)
        else:
            merged.append((s, e, k))
    return merged, unmapped


def _kind(label: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9]+", "_", label.split(".")[-1]).strip("_").upper()
    return cleaned or "VALUE"


def redact(text: str, found: Sequence[tuple[int, int, str]], vault: dict[str, str] | None) -> str:
    """``text`` with each span replaced by a placeholder; the originals go to ``vault`` (same
    value, same placeholder) when one is given."""
    if not found:
        return text
    parts: list[str] = []
    pos = 0
    counters: dict[str, int] = {}
    reverse = {v: k for k, v in (vault or {}).items()}
    for start, end, kind in found:
        value = text[start:end]
        parts.append(text[pos:start])
        placeholder = reverse.get(value)
        if placeholder is None:
            n = counters.get(kind, 0) + 1
            while vault is not None and f"[{kind}_{n}]" in vault:
                n += 1
            counters[kind] = n
            placeholder = f"[{kind}_{n}]"
            if vault is not None:
                vault[placeholder] = value
                reverse[value] = placeholder
        parts.append(placeholder)
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def restore(text: str, vault: dict[str, str]) -> str:
    if not vault or "[" not in text:
        return text
    return _PLACEHOLDER.sub(lambda m: vault.get(m.group(), m.group()), text)


def remove_spans(text: str, found: Sequence[tuple[int, int]], replacement: str) -> str:
    """``text`` with each span (sorted, merged here) replaced by ``replacement``."""
    parts: list[str] = []
    pos = 0
    for start, end in sorted(found):
        if start < pos:
            start = pos
        if end <= start:
            continue
        parts.append(text[pos:start])
        parts.append(replacement)
        pos = end
    parts.append(text[pos:])
    return "".join(parts)
