"""The response subsystem's long-lived part, built by ``garrison.web.services``.

It registers the correlation commit hook on the pipeline and fans each committed change out to
subscribers (``subscribe``; the actions subsystem is one). A subscriber's failure is logged and
never reaches the writer or the other subscribers. On start it catches up on recent alerts that
a crash or failure left out of every incident (the hook runs after the commit, so a process can
die in between).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from garrison.model.alert import Alert
from garrison.response.correlate import ALERT_SELECT, Correlator
from garrison.response.events import ResponseChange, Subscriber
from garrison.response.settings import ResponseSettings
from garrison.store.base import Stmt
from garrison.store.rows import alert_from_row

if TYPE_CHECKING:
    from garrison.config import Settings
    from garrison.pipeline.base import Processed
    from garrison.pipeline.service import Pipeline
    from garrison.store.base import Store, WriteResult

CATCH_UP_WITHIN = timedelta(days=1)
CATCH_UP_MAX = 10_000

log = logging.getLogger("garrison.response")


@dataclass(slots=True)
class ResponseStats:
    batches: int = 0
    alerts: int = 0
    suppressed: int = 0
    incidents_created: int = 0
    merges: int = 0
    subscriber_errors: int = 0


class ResponseService:
    def __init__(self, settings: ResponseSettings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.correlator = Correlator(store, settings)
        self.stats = ResponseStats()
        self._subscribers: list[Subscriber] = []
        self._task: asyncio.Task[None] | None = None

    def subscribe(self, callback: Subscriber) -> None:
        """Call ``callback`` with every change, after the transaction that made it committed."""
        self._subscribers.append(callback)

    async def on_commit(self, processed: Processed, result: WriteResult) -> None:
        """The writer's commit hook."""
        if processed.alerts:
            await self.handle(processed.alerts, extra=indicator_entities(processed))

    async def handle(
        self,
        alerts: Sequence[Alert],
        *,
        extra: Mapping[tuple[str, str], Mapping[str, str]] | None = None,
    ) -> list[ResponseChange]:
        """Suppress and correlate committed alert deltas, then tell the subscribers."""
        changes = await self.correlator.process(alerts, extra=extra)
        self.stats.batches += 1
        for change in changes:
            if change.kind == "alert":
                self.stats.alerts += 1
                self.stats.suppressed += change.suppressed
            elif change.change == "created":
                self.stats.incidents_created += 1
            elif change.change == "merged":
                self.stats.merges += len(change.merged_from)
        await self.publish(changes)
        return changes

    async def publish(self, changes: Sequence[ResponseChange]) -> None:
        for change in changes:
            for subscriber in self._subscribers:
                try:
                    await subscriber(change)
                except Exception as exc:
                    self.stats.subscriber_errors += 1
                    log.exception("a response subscriber failed", exc_info=exc)

    async def catch_up(self, *, within: timedelta = CATCH_UP_WITHIN) -> int:
        """Correlate recent alerts that are in no incident and were not suppressed: those whose
        batch committed but whose hook never ran or failed (a crash in between, a store outage,
        a lost race). Returns how many alerts it handled."""
        if not self.settings.correlate:
            return 0
        since = datetime.now(UTC) - within
        (found,) = await self.store.transact(
            [
                Stmt(
                    f"SELECT {ALERT_SELECT} FROM alerts a WHERE a.created_at >= ? "
                    "AND a.disposition IS NULL AND NOT EXISTS (SELECT 1 FROM incident_alerts ia "
                    "WHERE ia.tenant = a.tenant AND ia.alert_id = a.id) "
                    f"ORDER BY a.created_at, a.id LIMIT {CATCH_UP_MAX}",
                    (since,),
                    fetch=True,
                )
            ]
        )
        alerts = [alert_from_row(row) for row in found]
        for start in range(0, len(alerts), 500):
            await self.handle(alerts[start : start + 500])
        if alerts:
            log.info("correlated %d alerts left over from before this start", len(alerts))
        return len(alerts)

    async def _catch_up_quietly(self) -> None:
        try:
            await self.catch_up()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the hook still runs for new batches
            log.warning("catching up on uncorrelated alerts failed (%s)", type(exc).__name__)

    async def start(self) -> None:
        self._task = asyncio.create_task(
            self._catch_up_quietly(), name="garrison-response-catch-up"
        )

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None


def indicator_entities(processed: Processed) -> dict[tuple[str, str], dict[str, str]]:
    """``{"indicator": <id>}`` for each alert whose events hit a threat-intel indicator in this
    batch (the ``indicators`` detector's findings), so that attacks on different sessions and
    principals that share an attacker's URL, domain or address correlate."""
    hit: dict[str, tuple[float, str]] = {}
    for finding in processed.findings:
        indicator = finding.detail.get("indicator") if finding.detector == "indicators" else None
        if isinstance(indicator, str) and indicator:
            best = hit.get(finding.event_id)
            if best is None or finding.score > best[0]:
                hit[finding.event_id] = (finding.score, indicator)
    if not hit:
        return {}
    out: dict[tuple[str, str], dict[str, str]] = {}
    for alert in processed.alerts:
        found = [hit[e] for e in alert.event_ids if e in hit]
        if found:
            out[alert.tenant, alert.id] = {"indicator": max(found)[1]}
    return out


def build(settings: Settings, pipeline: Pipeline, services: dict[str, Any]) -> Any:
    """The response service (with ``start()`` / ``stop()``), hooked to the pipeline's commits."""
    service = ResponseService(settings.response, pipeline.store)
    pipeline.add_commit_hook(service.on_commit)
    return service
