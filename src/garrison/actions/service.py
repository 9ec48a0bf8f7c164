"""The actions service: turns alert and incident changes into deliveries and sends them.

Built once by ``garrison.web.services``. It subscribes to the response subsystem; for every
change that is not suppressed, each matching route renders one delivery per target and writes
them all in one transaction *before* anything is sent. A background worker sends due deliveries
(HEC and syslog in batches per target), retries failures with exponential backoff and
dead-letters what a receiver refuses for good or what runs out of attempts. A second loop
records and sends scheduled reports, once per period (see ``report_runs``).

Secrets are resolved at start-up (a missing one is a ConfigError naming the field) and never
logged; nothing here logs content or payloads, only ids and outcomes.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import orjson

from garrison.actions import deliveries as dl
from garrison.actions import hec, syslog
from garrison.actions.chat import slack_message, slack_text, teams_message, teams_text
from garrison.actions.ocsf import detection_finding
from garrison.actions.settings import (
    SEVERITIES,
    ActionsSettings,
    BlockTarget,
    FileTarget,
    HecTarget,
    ReportSchedule,
    Route,
    SlackTarget,
    SyslogTarget,
    Target,
    TeamsTarget,
    WebhookTarget,
)
from garrison.actions.webhooks import DELIVERY_HEADER, DeliveryFailed, post, signed_headers
from garrison.errors import ConfigError, ConflictError
from garrison.model.event import format_time
from garrison.model.ids import derived_uuid7
from garrison.response.events import ResponseChange
from garrison.store.base import Stmt, Store, to_us

if TYPE_CHECKING:
    from garrison.config import Settings
    from garrison.pipeline.service import Pipeline

log = logging.getLogger("garrison.actions")

SCHEDULE_POLL_S = 30.0


def resolve_secrets(settings: ActionsSettings) -> dict[str, str]:
    """Every target's secret by target name; ConfigError (naming the field) when one is missing."""
    out: dict[str, str] = {}
    for name, target in settings.targets.items():
        if isinstance(target, WebhookTarget) and target.secret is not None:
            out[name] = target.secret.resolve(f"actions.targets.{name}.secret")
        elif isinstance(target, SlackTarget | TeamsTarget):
            out[name] = target.url.resolve(f"actions.targets.{name}.url")
            if not out[name].startswith(("https://", "http://")):
                raise ConfigError(
                    "the referenced webhook URL is not an http(s) URL",
                    field=f"actions.targets.{name}.url",
                )
        elif isinstance(target, HecTarget):
            out[name] = target.token.resolve(f"actions.targets.{name}.token")
    return out


def _tag_match(wanted: str, tags: Sequence[str]) -> bool:
    return any(t == wanted or t.startswith(wanted + ".") for t in tags)


def route_matches(route: Route, change: ResponseChange) -> bool:
    if change.suppressed or change.kind != route.kind or change.change not in route.changes:
        return False
    obj = change.object
    severity = str(obj.get("severity", "informational"))
    if severity not in SEVERITIES or SEVERITIES.index(severity) < SEVERITIES.index(
        route.min_severity
    ):
        return False
    if route.rule_ids and obj.get("rule_id") not in route.rule_ids:
        return False
    if route.tags:
        tags = [str(t) for t in obj.get("tags") or ()]
        ids = [*(obj.get("techniques") or ()), *(obj.get("tactics") or ())]
        tags += [f"atlas.{t}" for t in ids]
        if not any(_tag_match(w, tags) for w in route.tags):
            return False
    return True


def render(route: Route, target: Target, change: ResponseChange) -> Any:
    """What ``target`` is sent for ``change``: a JSON value, stored as the delivery's payload."""
    obj = change.object
    if isinstance(target, WebhookTarget):
        if target.format == "ocsf":
            return detection_finding(obj)
        return {
            "type": f"{change.kind}.{change.change}",
            "tenant": change.tenant,
            "id": change.id,
            "kind": change.kind,
            "change": change.change,
            "route": route.name,
            "previous_status": change.previous_status,
            "merged_from": list(change.merged_from),
            "object": obj,
        }
    if isinstance(target, SlackTarget):
        return slack_message(change.kind, obj, change.change)
    if isinstance(target, TeamsTarget):
        return teams_message(change.kind, obj, change.change)
    if isinstance(target, BlockTarget):
        entities = obj.get("entities") or {}
        key = "principal" if target.kind == "principal" else "session_id"
        return {
            "kind": target.kind,
            "value": entities.get(key),
            "duration_s": target.duration_s,
            "reason": f"{change.kind} {change.id}: {str(obj.get('title', ''))[:200]}",
            "actor": f"route:{route.name}",
        }
    if isinstance(target, HecTarget):
        return hec.envelope(obj, target)
    if isinstance(target, SyslogTarget):
        return {"message": syslog.cef_line(obj), "severity": str(obj.get("severity", ""))}
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    return {
        "file": f"{change.kind}s-{day}.ndjson",
        "append": True,
        "content": orjson.dumps({"change": change.change, "object": obj}).decode() + "\n",
    }


class ActionsService:
    def __init__(
        self,
        settings: ActionsSettings,
        store: Store,
        data_dir: Path,
        services: dict[str, Any] | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.data_dir = data_dir
        self.services = services if services is not None else {}
        self.clock = clock or (lambda: datetime.now(UTC))
        self._secrets: dict[str, str] = {}
        self._client: httpx.AsyncClient | None = None
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = False

    # --- lifecycle ------------------------------------------------------------------------------

    async def start(self, *, background: bool = True) -> None:
        self._secrets = resolve_secrets(self.settings)
        self._client = httpx.AsyncClient(follow_redirects=False)
        self._stopping = False
        if background:
            self._tasks = [
                asyncio.create_task(self._worker(), name="garrison-actions-worker"),
                asyncio.create_task(self._scheduler(), name="garrison-report-scheduler"),
            ]

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def wake(self) -> None:
        """Send due deliveries now rather than at the next poll."""
        self._wake.set()

    # --- triggers -------------------------------------------------------------------------------

    async def on_change(self, change: ResponseChange) -> list[dl.Delivery]:
        """Write one delivery per (matching route, target); suppressed changes notify nobody."""
        if change.suppressed:
            return []
        now = self.clock()
        made: list[dl.Delivery] = []
        for route in self.settings.routes:
            if not route_matches(route, change):
                continue
            for name in route.targets:
                target = self.settings.targets[name]
                made.append(
                    dl.new(
                        tenant=change.tenant,
                        source=route.name,
                        target=name,
                        target_type=target.type,
                        subject_kind=change.kind,
                        subject_id=change.id,
                        payload=render(route, target, change),
                        now=now,
                    )
                )
        if made:
            await self.store.transact([dl.insert(*made)])
            self.wake()
        return made

    # --- sending --------------------------------------------------------------------------------

    async def send_due(self) -> int:
        """One pass: claim and send every due delivery; the number attempted."""
        now = self.clock()
        found = await dl.due(self.store, now)
        groups: dict[tuple[str, str], list[dl.Delivery]] = {}
        for d in found:
            groups.setdefault((d.tenant, d.target), []).append(d)
        results = await asyncio.gather(
            *(self._send_group(name, g) for (_, name), g in groups.items())
        )
        return sum(results)

    async def _send_group(self, name: str, group: list[dl.Delivery]) -> int:
        target = self.settings.targets.get(name)
        lease = self.settings.timeout_s * 3 + 5
        claimed = await dl.claim(self.store, group, self.clock(), lease)
        if not claimed:
            return 0
        if target is None or target.type != claimed[0].target_type:
            gone = DeliveryFailed(f"target {name!r} is no longer configured", permanent=True)
            await self._fail(claimed, gone)
            return len(claimed)
        if isinstance(target, HecTarget | SyslogTarget):
            size = target.batch_size if isinstance(target, HecTarget) else 100
            for start in range(0, len(claimed), size):
                batch = claimed[start : start + size]
                await self._attempt(batch, self._send_batch(name, target, batch))
        else:
            for d in claimed:
                await self._attempt([d], self._send_one(name, target, d))
        return len(claimed)

    async def _attempt(self, batch: list[dl.Delivery], send: Awaitable[None]) -> None:
        try:
            await send
        except DeliveryFailed as exc:
            await self._fail(batch, exc)
            return
        except Exception as exc:  # a sender bug must dead-letter, not kill the worker
            log.exception("delivery to %s failed unexpectedly", batch[0].target)
            await self._fail(batch, DeliveryFailed(f"internal error: {type(exc).__name__}"))
            return
        await dl.delivered(self.store, batch, self.clock())

    async def _fail(self, batch: list[dl.Delivery], exc: DeliveryFailed) -> None:
        now = self.clock()
        by_retry: dict[datetime | None, list[dl.Delivery]] = {}
        for d in batch:
            retry_at: datetime | None = None
            if not exc.permanent and d.attempts < self.settings.max_attempts:
                base, most = self.settings.backoff_s, self.settings.backoff_max_s
                retry_at = now + timedelta(seconds=min(most, base * 2 ** (d.attempts - 1)))
            by_retry.setdefault(retry_at, []).append(d)
            log.warning(
                "delivery %s to %s attempt %d failed: %s%s",
                d.id, d.target, d.attempts, exc.message, "" if retry_at else " (dead letter)",
            )  # fmt: skip
        await self.store.transact(
            [dl.failed(group, now, exc.message, at) for at, group in by_retry.items()]
        )

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            raise DeliveryFailed("the actions service is not started")
        return self._client

    async def _send_one(self, name: str, target: Target, d: dl.Delivery) -> None:
        timeout = self.settings.timeout_s
        if isinstance(target, WebhookTarget):
            body = orjson.dumps(d.payload)
            headers = {**target.headers, DELIVERY_HEADER: d.id}
            if name in self._secrets:
                headers.update(signed_headers(self._secrets[name], body))
            await post(self._http(), target.url, body, headers, timeout_s=timeout)
        elif isinstance(target, SlackTarget | TeamsTarget):
            await post(
                self._http(), self._secrets[name], orjson.dumps(d.payload), {}, timeout_s=timeout
            )
        elif isinstance(target, BlockTarget):
            await self._block(d)
        elif isinstance(target, FileTarget):
            self._write_file(target, d.payload)
        else:  # pragma: no cover - batch targets never get here
            raise DeliveryFailed(f"{target.type} targets are sent in batches", permanent=True)

    async def _send_batch(
        self, name: str, target: HecTarget | SyslogTarget, batch: list[dl.Delivery]
    ) -> None:
        timeout = self.settings.timeout_s
        if isinstance(target, HecTarget):
            await hec.send(
                self._http(),
                target,
                self._secrets[name],
                [d.payload for d in batch],
                timeout_s=timeout,
            )
            return
        frames = [
            syslog.frame(
                str(d.payload["message"]),
                severity=str(d.payload.get("severity", "")),
                facility=target.facility,
                app_name=target.app_name,
                msgid=d.subject_kind,
            )
            for d in batch
        ]
        try:
            if target.protocol == "tcp":
                await syslog.send_tcp(target.host, target.port, frames, timeout)
            else:
                await syslog.send_udp(target.host, target.port, frames)
        except TimeoutError:
            raise DeliveryFailed(f"syslog: timed out after {timeout:g}s") from None
        except OSError as exc:
            raise DeliveryFailed(f"syslog: cannot send ({type(exc).__name__})") from None

    async def _block(self, d: dl.Delivery) -> None:
        blocks = getattr(self.services.get("guard"), "blocks", None)
        if blocks is None or not hasattr(blocks, "block"):
            raise DeliveryFailed(
                "the gateway's block list is not available (guard service without blocks)",
                permanent=True,
            )
        p = d.payload
        if not p.get("value"):
            raise DeliveryFailed(f"the {d.subject_kind} names no {p.get('kind')}", permanent=True)
        result = blocks.block(
            d.tenant,
            p["kind"],
            p["value"],
            duration_s=p["duration_s"],
            reason=p["reason"],
            actor=p["actor"],
        )
        if inspect.isawaitable(result):
            await result

    def _write_file(self, target: FileTarget, payload: Any) -> None:
        folder = self.data_dir / target.dir
        name = Path(str(payload["file"])).name  # never a path out of the folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
            mode = "a" if payload.get("append") else "w"
            with (folder / name).open(mode, encoding="utf-8") as out:
                out.write(str(payload["content"]))
        except OSError as exc:
            raise DeliveryFailed(f"cannot write {folder / name}: {exc.strerror}") from None

    async def _worker(self) -> None:
        while not self._stopping:
            sent = 0
            try:
                sent = await self.send_due()
            except Exception:
                log.exception("sending deliveries failed; retrying in %.0fs", self.settings.poll_s)
            if sent:
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.settings.poll_s)

    # --- scheduled reports ------------------------------------------------------------------------

    async def run_schedules(self) -> list[str]:
        """Record and queue each schedule's latest finished period not yet recorded; the ids of
        the runs made now. The run and its deliveries are one transaction, and the run id is
        derived from (tenant, schedule, period end): a second server or a restart finds the run
        and sends nothing."""
        from garrison.actions import reports

        made: list[str] = []
        now = self.clock()
        for schedule in self.settings.reports:
            start, end = period_of(schedule, now)
            run_id = derived_uuid7(
                to_us(end) // 1000, schedule.tenant, schedule.name, format_time(end)
            )
            seen = await self.store.transact(
                [
                    Stmt(
                        "SELECT id FROM report_runs WHERE tenant = ? AND id = ?",
                        (schedule.tenant, run_id),
                        fetch=True,
                    )
                ]
            )
            if seen[0]:
                continue
            summary = await reports.build_summary(self.store, schedule.tenant, start, end)
            stmts = [
                Stmt(
                    "INSERT INTO report_runs (id, tenant, schedule, period_from, period_to, "
                    "status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (run_id, schedule.tenant, schedule.name, start, end, "queued", now),
                )
            ]
            for name in schedule.targets:
                target = self.settings.targets[name]
                payload = render_report(schedule, target, summary, end)
                stmts.append(
                    dl.insert(
                        dl.new(
                            tenant=schedule.tenant,
                            source=f"report:{schedule.name}",
                            target=name,
                            target_type=target.type,
                            subject_kind="report",
                            subject_id=run_id,
                            payload=payload,
                            now=now,
                        )
                    )
                )
            try:
                await self.store.transact(stmts)
            except ConflictError:  # another process recorded this period first
                continue
            made.append(run_id)
            self.wake()
        return made

    async def _scheduler(self) -> None:
        while not self._stopping:
            try:
                await self.run_schedules()
            except Exception:
                log.exception("scheduled reports failed; retrying in %.0fs", SCHEDULE_POLL_S)
            await asyncio.sleep(SCHEDULE_POLL_S)


def period_of(schedule: ReportSchedule, now: datetime) -> tuple[datetime, datetime]:
    """The latest finished period at ``now``: it ends at the last ``hour`` (and ``weekday``)."""
    end = now.astimezone(UTC).replace(hour=schedule.hour, minute=0, second=0, microsecond=0)
    if end > now:
        end -= timedelta(days=1)
    if schedule.every == "weekly":
        end -= timedelta(days=(end.weekday() - schedule.weekday) % 7)
        return end - timedelta(days=7), end
    return end - timedelta(days=1), end


def render_report(
    schedule: ReportSchedule, target: Target, summary: dict[str, Any], end: datetime
) -> Any:
    from garrison.actions import reports

    title = (
        f"Garrison {schedule.every} report {schedule.name} "
        f"({schedule.tenant}, to {format_time(end)})"
    )
    if isinstance(target, SlackTarget):
        return slack_text(title, reports.render_md(summary))
    if isinstance(target, TeamsTarget):
        return teams_text(title, reports.render_md(summary))
    content = reports.render(summary, schedule.format)
    if isinstance(target, FileTarget):
        return {
            "file": f"{schedule.name}-{end.strftime('%Y-%m-%dT%H')}.{schedule.format}",
            "append": False,
            "content": content,
        }
    return {
        "type": "report",
        "tenant": schedule.tenant,
        "schedule": schedule.name,
        "period": {"since": summary["period"]["since"], "until": summary["period"]["until"]},
        "format": schedule.format,
        "content": summary if schedule.format == "json" else content,
    }


def build(settings: Settings, pipeline: Pipeline, services: dict[str, Any]) -> Any:
    """The actions service; it subscribes to the response subsystem when that one runs."""
    service = ActionsService(settings.actions, pipeline.store, settings.data_dir, services)
    response = services.get("response")
    subscribe = getattr(response, "subscribe", None)
    if subscribe is not None:
        subscribe(service.on_change)
    elif settings.actions.routes:
        log.warning("actions: routes are configured but the response subsystem is not running")
    return service
