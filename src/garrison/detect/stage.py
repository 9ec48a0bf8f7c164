"""The detection stage of the pipeline: detectors → findings → rules → alert deltas.

Sits between the bus and the store (a ``pipeline.base.Processor``): for each batch it scans every
event with the detection engine, evaluates the rule pack (single-event rules and correlations)
on the event with its findings, and turns matches into alert deltas. The writer stores events,
findings and alerts in one transaction. It yields to the event loop between events so receivers
stay responsive while a batch is scanned.

It decides nothing (no blocking, no redaction: that is the guard's policy) and never logs content.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from garrison.config import DetectionSettings
from garrison.detect.alerts import AlertBuilder
from garrison.detect.engine import DetectionEngine
from garrison.detect.rules import Correlation, Rule, RuleEngine, RuleSet, load_paths
from garrison.model import Event
from garrison.model.alert import Alert
from garrison.model.finding import Finding
from garrison.pipeline.base import Processed

log = logging.getLogger("garrison.detect")

YIELD_EVERY = 16


def builtin_rules_path() -> Path:
    """The built-in rule pack: inside the installed package, or ``rules/`` in a source tree."""
    packaged = resources.files("garrison") / "_rules"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "rules"


def load_rules(settings: DetectionSettings) -> RuleSet:
    paths: list[Path] = []
    if settings.builtin_rules:
        paths.append(builtin_rules_path())
    paths.extend(settings.rules)
    return load_paths([str(p) for p in paths])


class DetectionStage:
    def __init__(
        self,
        engine: DetectionEngine,
        rules: RuleSet | None,
        *,
        window_s: int = 3600,
    ) -> None:
        self.engine = engine
        self.rules = rules
        items: list[Rule | Correlation] = (
            [*rules.rules, *rules.correlations] if rules is not None else []
        )
        self.rule_engine = RuleEngine(items) if items else None
        self.alerts = AlertBuilder(items, window_s=window_s)

    @classmethod
    def from_settings(cls, settings: DetectionSettings) -> DetectionStage:
        engine = DetectionEngine.from_config(
            settings.detectors, timeout_s=settings.timeout_ms / 1000
        )
        return cls(engine, load_rules(settings), window_s=settings.alert_window_s)

    async def scan(self, event: Event) -> tuple[list[Finding], list[Alert]]:
        """Findings and alert deltas for one event (used by the stage and by `garrison scan`)."""
        findings = await self.engine.scan(event)
        alerts: list[Alert] = []
        if self.rule_engine is not None:
            for match in self.rule_engine.evaluate(event, findings):
                alerts.append(self.alerts.build(match, event, findings))
        return findings, alerts

    async def process(self, events: Sequence[Event]) -> Processed:
        ordered = sorted(events, key=lambda e: e.time)  # correlations need time order
        findings: list[Finding] = []
        alerts: list[Alert] = []
        for i, event in enumerate(ordered):
            found, raised = await self.scan(event)
            findings.extend(found)
            alerts.extend(raised)
            if i % YIELD_EVERY == YIELD_EVERY - 1:
                await asyncio.sleep(0)
        return Processed(events, findings, alerts)

    async def aclose(self) -> None:
        await self.engine.aclose()
