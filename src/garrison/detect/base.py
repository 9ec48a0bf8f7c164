"""The Detector contract, and the context a detector scans an event in.

Detectors are built once from config at start-up (``garrison.detectors`` entry points), never per
event. ``detect`` returns findings and never raises for content reasons: the engine turns an
exception or a timeout into a Finding with status error/timeout. A detector never decides what
happens to the event — that is the policy's job — and never logs content.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from garrison.model import Event, EventKind
from garrison.model.finding import Finding

if TYPE_CHECKING:
    from garrison.detect.normalize import NormalizedText


@dataclass(slots=True)
class TraceView:
    """Earlier events of the same trace (and session) this process has seen, oldest first.
    Lets a detector relate an event to what came before (canaries planted in a system prompt,
    untrusted content that later reaches a tool call)."""

    events: Sequence[Event] = ()


@dataclass(slots=True)
class ScanContext:
    """One event being scanned: its texts, normalized once and shared by every detector."""

    event: Event
    trace: TraceView = field(default_factory=TraceView)
    # ``time.perf_counter()`` by which detectors must answer (the engine's timeout), if any:
    # a detector with optional work (more windows to score) stops short of it.
    deadline: float | None = None
    _normalized: dict[str, NormalizedText] = field(default_factory=dict)

    def fields(self) -> dict[str, str]:
        """The scannable text fields of the event, by field path."""
        out: dict[str, str] = {}
        if self.event.content:
            out["content"] = self.event.content
        tool = self.event.tool
        if tool is not None and tool.arguments:
            out["tool.arguments"] = tool.arguments
        return out

    def normalized(self, field_path: str) -> NormalizedText:
        """The normalized views of one field (computed on first use, then cached)."""
        hit = self._normalized.get(field_path)
        if hit is None:
            from garrison.detect.normalize import normalize

            hit = normalize(self.fields().get(field_path, ""))
            self._normalized[field_path] = hit
        return hit


@runtime_checkable
class Detector(Protocol):
    id: ClassVar[str]
    version: ClassVar[str]
    kinds: ClassVar[frozenset[EventKind]]  # event kinds it applies to

    async def detect(self, ctx: ScanContext) -> Sequence[Finding]: ...

    async def aclose(self) -> None: ...


class DetectorFactory(Protocol):
    """What a ``garrison.detectors`` entry point is: built once from its config mapping."""

    def __call__(self, config: Mapping[str, Any]) -> Detector: ...
