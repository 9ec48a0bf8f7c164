"""The Finding: what one detector says about one event. Detectors report; they never decide.

A detector that fails or runs out of time still yields a Finding — with ``status`` error or
timeout and no score — so the policy (later, ``guard/policy.py``) can apply fail-open or
fail-closed, and the pipeline never sees the exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class FindingStatus(StrEnum):
    OK = "ok"
    ERROR = "error"
    TIMEOUT = "timeout"


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where in the event the detector saw it: a field path and character offsets into the
    *original* field value when they can be mapped back, else ``None``."""

    field: str  # "content", "tool.arguments", "attributes.gen_ai.tool.description", …
    start: int | None = None
    end: int | None = None
    view: str = "text"  # which view matched: text, hidden (Unicode tags), decoded:base64, folded
    snippet: str | None = None  # at most ~120 characters around the match

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "view": self.view,
            "snippet": self.snippet,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    event_id: str
    detector: str  # entry-point name, e.g. "signatures", "secrets", "prompt_guard"
    version: str
    label: str  # what was found: "prompt_injection", "secret.aws_access_key", "pii.email", …
    score: float  # 0..1; for deterministic detectors 1.0 (or a confidence)
    tags: tuple[str, ...] = ()  # "atlas.AML.T0051.000", "owasp-llm-2025.LLM01"
    evidence: tuple[Evidence, ...] = ()
    status: FindingStatus = FindingStatus.OK
    latency_ms: float = 0.0
    detail: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "detector": self.detector,
            "version": self.version,
            "label": self.label,
            "score": self.score,
            "tags": list(self.tags),
            "evidence": [e.to_dict() for e in self.evidence],
            "status": self.status.value,
            "latency_ms": self.latency_ms,
            "detail": dict(self.detail),
        }
