"""The ``indicators`` detector: threat-intel indicators (IOCs, content patterns, known attack
prompts) found in an event's content and tool arguments.

Detectors are built from config and never touch the store, so this one reads the per-process
:data:`garrison.intel.index.REGISTRY`, which the intel service fills from the store at start and
refreshes after imports and periodically. Until it does (or with the intel service off) the
tenant's index is empty and the detector finds nothing: it never fails for lack of intel.

One finding per indicator hit (at most ``max_findings`` per event, strongest first): label
``ioc.<type>`` (``ioc.domain``, ``ioc.prompt``, ...), score the indicator's confidence / 100
(times the similarity for a prompt fingerprint), the indicator's tags (ATLAS ids and the like),
evidence naming field, offsets and the indicator, and ``detail`` with the indicator's id, STIX
id, type, value, source, confidence and tags. Prompts, completions, tool calls and tool results
are all scanned: ``content`` carries outputs and tool results, ``tool.arguments`` the calls.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar

from garrison.detect.base import ScanContext
from garrison.detect.detectors.signatures import (
    CONTENT_KINDS,
    check_options,
    dedupe,
    option_channels,
    option_number,
)
from garrison.intel.index import REGISTRY, Hit, IndexRegistry
from garrison.model import EventKind
from garrison.model.finding import Evidence, Finding

SNIPPET = 120


class IndicatorDetector:
    """Options: ``min_confidence`` (0-100, default 0: every indicator), ``max_findings`` (per
    event, default 20), ``skip_channels`` (default none)."""

    id: ClassVar[str] = "indicators"
    version: ClassVar[str] = "1.0"
    kinds: ClassVar[frozenset[EventKind]] = CONTENT_KINDS

    def __init__(
        self, options: Mapping[str, Any] | None = None, *, registry: IndexRegistry | None = None
    ) -> None:
        opts = check_options(self.id, options, ("min_confidence", "max_findings", "skip_channels"))
        self.min_confidence = option_number(self.id, opts, "min_confidence", 0, 0, 100)
        self.max_findings = int(option_number(self.id, opts, "max_findings", 20, 1, 1000))
        self.skip_channels = option_channels(self.id, opts, "skip_channels", ())
        self.registry = registry or REGISTRY

    async def detect(self, ctx: ScanContext) -> list[Finding]:
        event = ctx.event
        index = self.registry.get(event.tenant)
        if not len(index) or event.channel in self.skip_channels:
            return []
        now = datetime.now(UTC)
        hits: dict[str, tuple[str, Hit]] = {}
        for field_path, text in ctx.fields().items():
            for hit in index.match(text, now=now):
                if hit.indicator.confidence < self.min_confidence:
                    continue
                hits.setdefault(hit.indicator.id, (field_path, hit))
        ranked = sorted(hits.values(), key=lambda fh: -_score(fh[1]))[: self.max_findings]
        return [self._finding(event.id, field_path, hit) for field_path, hit in ranked]

    def _finding(self, event_id: str, field_path: str, hit: Hit) -> Finding:
        ind = hit.indicator
        note = f"{ind.type.value} indicator {ind.value[:60]!r} from {ind.source[:40]}"
        detail: dict[str, Any] = {
            "indicator": ind.id,
            "stix_id": ind.stix_id,
            "type": ind.type.value,
            "value": ind.value[:200],
            "source": ind.source,
            "confidence": ind.confidence,
            "tags": list(ind.tags),
        }
        if ind.name:
            detail["name"] = ind.name
        if hit.similarity is not None:
            detail["similarity"] = hit.similarity
        return Finding(
            event_id=event_id,
            detector=self.id,
            version=self.version,
            label=f"ioc.{ind.type.value}",
            score=_score(hit),
            tags=dedupe(ind.tags),
            evidence=(Evidence(field_path, hit.start, hit.end, "text", note[:SNIPPET]),),
            detail=detail,
        )

    async def aclose(self) -> None:
        return None


def _score(hit: Hit) -> float:
    base = max(hit.indicator.confidence, 1) / 100
    return round(base * (hit.similarity if hit.similarity is not None else 1.0), 3)
