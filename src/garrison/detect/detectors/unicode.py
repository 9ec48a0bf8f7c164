"""Tier 2 of detection: ``unicode`` — hidden and deceptive characters, from the normalizer's flags.

The normalizer (tier 1) already looked at every character once; this detector turns what it
flagged into findings, so rules and the policy can act on obfuscation itself:

- ``unicode_tags`` (0.9): ASCII smuggled in Unicode tag characters (U+E0020–E007E); detail
  has the hidden text's length and its first 60 characters;
- ``bidi_control`` (0.5): bidirectional embeddings, overrides or isolates ("Trojan Source");
- ``homoglyphs`` (0.5): Cyrillic / Greek / Armenian letters that look Latin, in Latin words;
- ``invisible_chars`` (0.4): zero-width and other invisible characters splitting words, or
  bytes smuggled in runs of variation selectors;
- ``mixed_scripts`` (0.3): Latin letters touching other-script letters inside one word.

Legitimate uses (emoji sequences, a leading byte-order mark, soft hyphens, right-to-left marks,
flag emoji) are not flagged by the normalizer. Evidence points at the original characters.
Tagged LLM Prompt Obfuscation (AML.T0068) and OWASP LLM01:2025. This module must never log
content and never decide.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from garrison.detect.base import ScanContext
from garrison.detect.detectors.signatures import CONTENT_KINDS, MAX_EVIDENCE, check_options
from garrison.detect.normalize import NormalizedText, snippet
from garrison.model import EventKind
from garrison.model.finding import Evidence, Finding

TAGS = ("atlas.AML.T0068", "owasp-llm-2025.LLM01")
LABELS: dict[str, float] = {
    "unicode_tags": 0.9,
    "bidi_control": 0.5,
    "homoglyphs": 0.5,
    "invisible_chars": 0.4,
    "mixed_scripts": 0.3,
}
PREVIEW_CHARS = 60


def _snippet(nt: NormalizedText, a: int | None, b: int | None) -> str | None:
    """The original text around a span, with invisible characters shown as code points."""
    if a is None or b is None:
        return None
    text = snippet(nt.original, a, b, 60)
    return "".join(
        c if c.isprintable() and not (0xE0000 <= ord(c) <= 0xE007F) else f"<U+{ord(c):04X}>"
        for c in text
    )[:120]


class UnicodeDetector:
    """``unicode``: Unicode tag smuggling, invisible characters, bidi controls, homoglyphs."""

    id: ClassVar[str] = "unicode"
    version: ClassVar[str] = "1.0"
    kinds: ClassVar[frozenset[EventKind]] = CONTENT_KINDS

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        check_options(self.id, options, ())

    async def detect(self, ctx: ScanContext) -> list[Finding]:
        found: dict[str, list[Evidence]] = {}
        hidden_parts: list[str] = []
        for field_path in ctx.fields():
            nt = ctx.normalized(field_path)
            flags = nt.flags.intersection(LABELS)
            if not flags:
                continue
            if "unicode_tags" in flags and nt.hidden:
                hidden_parts.append(nt.hidden)
            for flag in flags:
                spans = nt.spans(flag) or [(None, None)]
                acc = found.setdefault(flag, [])
                for a, b in spans:
                    if len(acc) < MAX_EVIDENCE:
                        acc.append(Evidence(field_path, a, b, "original", _snippet(nt, a, b)))
        findings: list[Finding] = []
        for label in LABELS:  # strongest first
            if label not in found:
                continue
            detail: dict[str, Any] = {"spans": len(found[label])}
            if label == "unicode_tags":
                hidden = "\n".join(hidden_parts)
                detail["hidden_length"] = len(hidden)
                detail["hidden_preview"] = hidden[:PREVIEW_CHARS]
            findings.append(
                Finding(
                    event_id=ctx.event.id,
                    detector=self.id,
                    version=self.version,
                    label=label,
                    score=LABELS[label],
                    tags=TAGS,
                    evidence=tuple(found[label]),
                    detail=detail,
                )
            )
        return findings

    async def aclose(self) -> None:
        return None


__all__ = ["LABELS", "UnicodeDetector"]
