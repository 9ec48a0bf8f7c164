"""The detection engine: runs the configured detectors over an event and collects findings.

Detectors are built once (from the ``detection.detectors`` settings through the
``garrison.detectors`` entry points) and run concurrently per event. A detector that raises or
runs past its time budget yields a Finding with status error/timeout — counted in the engine's
stats — and never an exception in the pipeline. The engine decides nothing: it reports.

Time budgets only interrupt detectors that await (the classifier runs its inference in an
executor, an LLM judge awaits the network); pure-CPU detectors are kept fast instead.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from garrison.detect.base import Detector, ScanContext, TraceView
from garrison.errors import ConfigError, GarrisonError
from garrison.model import Event
from garrison.model.finding import Finding, FindingStatus
from garrison.plugins import load_plugin

log = logging.getLogger("garrison.detect")

TRACE_MEMORY_TRACES = 10_000  # traces remembered for context (canaries, untrusted content)
TRACE_MEMORY_EVENTS = 64  # most recent events kept per trace


@dataclass(slots=True)
class DetectorStats:
    calls: int = 0
    findings: int = 0
    errors: int = 0
    timeouts: int = 0
    total_ms: float = 0.0


@dataclass(slots=True)
class EngineStats:
    events: int = 0
    by_detector: dict[str, DetectorStats] = field(default_factory=dict)


class TraceMemory:
    """A bounded LRU of recent events per trace (and session), for detectors' context."""

    def __init__(self, traces: int = TRACE_MEMORY_TRACES, per_trace: int = TRACE_MEMORY_EVENTS):
        self.traces = traces
        self.per_trace = per_trace
        self._data: OrderedDict[str, list[Event]] = OrderedDict()

    @staticmethod
    def _key(event: Event) -> str | None:
        if event.trace_id:
            return f"{event.tenant}\x00t\x00{event.trace_id}"
        if event.session_id:
            return f"{event.tenant}\x00s\x00{event.session_id}"
        return None

    def view(self, event: Event) -> TraceView:
        key = self._key(event)
        if key is None:
            return TraceView()
        return TraceView(tuple(self._data.get(key, ())))

    def remember(self, event: Event) -> None:
        key = self._key(event)
        if key is None:
            return
        events = self._data.pop(key, [])
        events.append(event)
        if len(events) > self.per_trace:
            del events[: len(events) - self.per_trace]
        self._data[key] = events
        while len(self._data) > self.traces:
            self._data.popitem(last=False)


class DetectionEngine:
    def __init__(self, detectors: Sequence[Detector], *, timeout_s: float = 0.5) -> None:
        self.detectors = list(detectors)
        self.timeout_s = timeout_s
        self.stats = EngineStats(
            by_detector={d.id: DetectorStats() for d in self.detectors},
        )
        self.memory = TraceMemory()

    @classmethod
    def from_config(
        cls, detectors: Mapping[str, Mapping[str, Any] | None], *, timeout_s: float = 0.5
    ) -> DetectionEngine:
        """Build every configured detector once; an unknown name or bad config fails here."""
        built: list[Detector] = []
        for name, config in detectors.items():
            if config is not None and config.get("enabled") is False:
                continue
            factory = load_plugin("garrison.detectors", name)
            options = {k: v for k, v in (config or {}).items() if k != "enabled"}
            try:
                built.append(factory(options))
            except GarrisonError:
                raise
            except Exception as exc:
                raise ConfigError(
                    f"detector {name!r} rejected its configuration: {exc}",
                    field=f"detection.detectors.{name}",
                ) from exc
        return cls(built, timeout_s=timeout_s)

    async def _run(self, detector: Detector, ctx: ScanContext) -> list[Finding]:
        stats = self.stats.by_detector.setdefault(detector.id, DetectorStats())
        stats.calls += 1
        start = time.perf_counter()
        status: FindingStatus | None = None
        reason = ""
        try:
            found = list(await asyncio.wait_for(detector.detect(ctx), self.timeout_s))
        except TimeoutError:
            status, reason = (
                FindingStatus.TIMEOUT,
                f"no answer within {self.timeout_s * 1000:.0f} ms",
            )
            stats.timeouts += 1
        except Exception as exc:  # a detector bug must not stop the pipeline
            status, reason = FindingStatus.ERROR, type(exc).__name__
            stats.errors += 1
            log.warning("detector %s failed on event %s: %s", detector.id, ctx.event.id, reason)
        elapsed = (time.perf_counter() - start) * 1000
        stats.total_ms += elapsed
        if status is not None:
            return [
                Finding(
                    event_id=ctx.event.id,
                    detector=detector.id,
                    version=detector.version,
                    label=status.value,
                    score=0.0,
                    status=status,
                    latency_ms=elapsed,
                    detail={"reason": reason},
                )
            ]
        stats.findings += len(found)
        return [f if f.latency_ms else replace(f, latency_ms=elapsed) for f in found]

    async def scan(self, event: Event, trace: TraceView | None = None) -> list[Finding]:
        """Every applicable detector's findings for one event (remembering it for context)."""
        self.stats.events += 1
        view = trace if trace is not None else self.memory.view(event)
        ctx = ScanContext(event=event, trace=view, deadline=time.perf_counter() + self.timeout_s)
        applicable = [d for d in self.detectors if event.kind in d.kinds]
        self.memory.remember(event)
        if not applicable:
            return []
        if len(applicable) == 1:
            return await self._run(applicable[0], ctx)
        results = await asyncio.gather(*(self._run(d, ctx) for d in applicable))
        return [f for found in results for f in found]

    async def aclose(self) -> None:
        for detector in self.detectors:
            try:
                await detector.aclose()
            except Exception as exc:
                log.warning("detector %s failed to close: %s", detector.id, exc)
