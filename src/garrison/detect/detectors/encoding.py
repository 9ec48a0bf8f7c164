"""Tier 2 of detection: ``encoding`` — instructions hidden in base64, hex, rot13 or URL-encoding.

The normalizer decodes embedded segments that decode to readable text; this detector runs the
shared signature set (compiled once per process, see ``signatures.py``) over each decoded
segment of ``content`` and ``tool.arguments``:

- ``encoded_instructions`` (0.9): a decoded segment matches an attack signature; detail names
  the encodings, the inner signatures and their categories. Encoding an attack is itself a tell
  (LLM Prompt Obfuscation, AML.T0068), so the score does not depend on the inner signature's.
- ``encoded_payload`` (0.2, informational): decoded text without any signature match — base64,
  hex and rot13 segments always, URL-encoded ones only when the normalizer found the encoding
  unusual (escapes of letters and digits, or mostly escapes), since ``%20`` in links is normal.

Evidence points at the encoded segment in the original field; the snippet shows the decoded
text (at most 120 characters). This module must never log content and never decide.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from garrison.detect.base import ScanContext
from garrison.detect.detectors.signatures import (
    CONTENT_KINDS,
    MAX_EVIDENCE,
    TAG_DIRECT,
    TAG_INDIRECT,
    TAG_OBFUSCATION,
    check_options,
    dedupe,
    evidence,
    is_indirect,
    iter_views,
    shared_signature_set,
)
from garrison.model import EventKind
from garrison.model.finding import Evidence, Finding

SCORE_INSTRUCTIONS = 0.9
SCORE_PAYLOAD = 0.2


@dataclass(slots=True)
class _Found:
    encodings: list[str] = field(default_factory=list)
    signatures: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    count: int = 0


class EncodingDetector:
    """``encoding``: attack signatures inside decoded segments, and decoded payloads."""

    id: ClassVar[str] = "encoding"
    version: ClassVar[str] = "1.0"
    kinds: ClassVar[frozenset[EventKind]] = CONTENT_KINDS

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        check_options(self.id, options, ())
        self.signature_set = shared_signature_set()

    async def detect(self, ctx: ScanContext) -> list[Finding]:
        instructions = _Found()
        payload = _Found()
        for field_path in ctx.fields():
            nt = ctx.normalized(field_path)
            if not nt.decoded:
                continue
            indirect = is_indirect(ctx.event, field_path)
            for view in iter_views(nt, folded=False):
                seg = view.segment
                if seg is None:
                    continue
                hits = self.signature_set.scan(view.text)
                if hits:
                    acc = instructions
                    acc.tags.append(TAG_INDIRECT if indirect else TAG_DIRECT)
                    for hit in hits:
                        category = self.signature_set.categories[hit.signature.category]
                        acc.signatures.append(hit.signature.id)
                        acc.categories.append(category.name)
                        acc.tags.extend(category.tags)
                    a, b = hits[0].start, hits[0].end
                else:
                    if seg.encoding == "url" and "url_encoding" not in nt.flags:
                        continue
                    acc = payload
                    a, b = 0, len(view.text)
                acc.count += 1
                acc.encodings.append(seg.encoding if seg.depth == 1 else f"{seg.encoding} (nested)")
                if len(acc.evidence) < MAX_EVIDENCE:
                    acc.evidence.append(evidence(nt, field_path, view, a, b))
        findings: list[Finding] = []
        if instructions.count:
            findings.append(
                Finding(
                    event_id=ctx.event.id,
                    detector=self.id,
                    version=self.version,
                    label="encoded_instructions",
                    score=SCORE_INSTRUCTIONS,
                    tags=dedupe([TAG_OBFUSCATION, *instructions.tags, "owasp-llm-2025.LLM01"]),
                    evidence=tuple(instructions.evidence),
                    detail={
                        "encodings": list(dedupe(instructions.encodings)),
                        "categories": list(dedupe(instructions.categories)),
                        "signatures": list(dedupe(instructions.signatures)),
                        "count": instructions.count,
                    },
                )
            )
        if payload.count:
            findings.append(
                Finding(
                    event_id=ctx.event.id,
                    detector=self.id,
                    version=self.version,
                    label="encoded_payload",
                    score=SCORE_PAYLOAD,
                    tags=(TAG_OBFUSCATION,),
                    evidence=tuple(payload.evidence),
                    detail={"encodings": list(dedupe(payload.encodings)), "count": payload.count},
                )
            )
        return findings

    async def aclose(self) -> None:
        return None


__all__ = ["EncodingDetector"]
