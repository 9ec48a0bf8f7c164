"""`garrison demo`: Garrison on the embedded store with a simulated workload driven through it.

Starts the real server, creates a demo API key, sends the workload over OTLP (the real
OpenTelemetry SDK) and the REST API, waits until it is stored, prints where to look, and keeps
serving until Ctrl-C. Talks to nothing but the server it started.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import click
import uvicorn

from garrison.config import Settings
from garrison.errors import GarrisonError
from garrison.model import EventKind
from garrison.pipeline.service import Pipeline
from garrison.response.incidents import Incident
from garrison.store.base import AlertQuery, EventQuery
from garrison.web.app import build_pipeline
from garrison.web.auth import SCOPES, create_api_key

TENANT = "demo"


async def _kind_counts(pipeline: Pipeline) -> Counter[str]:
    counts: Counter[str] = Counter()
    for kind in EventKind:
        cursor = None
        while True:
            page = await pipeline.store.query_events(
                EventQuery(tenant=TENANT, kinds=(kind,), limit=1000, cursor=cursor)
            )
            counts[kind.value] += len(page.events)
            if page.next_cursor is None:
                break
            from garrison.store.base import Cursor

            cursor = Cursor.decode(page.next_cursor)
    return counts


async def _incidents(pipeline: Pipeline) -> list[Incident] | None:
    """The demo tenant's incidents, most severe first; None when the response service is off.
    Correlation runs right after each commit, so give the last batch's hook a moment."""
    from garrison.response.views import IncidentQuery, list_incidents

    for _ in range(40):
        if pipeline.writer.stats.batches and not pipeline.bus.stats().pending_events:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)
    try:
        page = await list_incidents(pipeline.store, IncidentQuery(tenant=TENANT, limit=100))
    except GarrisonError:
        return None
    return sorted(page.incidents, key=lambda i: (-i.severity.rank, -i.alert_count))


async def run_demo(settings: Settings, *, seed: int, exit_after: bool) -> int:
    from garrison.cli.server import configure_logging, serve_forever
    from garrison.demo.workload import run_workload

    settings = settings.model_copy(update={"log_level": "warning"})
    configure_logging("warning")
    pipeline = build_pipeline(settings)
    base = f"http://{settings.host}:{settings.port}"

    async def on_started(server: uvicorn.Server) -> None:
        _, token = await create_api_key(
            pipeline.store, tenant=TENANT, scopes=SCOPES, name="make demo"
        )
        click.echo(f"Garrison is running at {base}  (store: {settings.data_dir}/garrison.duckdb)")
        click.echo("Driving the simulated workload (OTLP via the OpenTelemetry SDK, and REST)…")
        summary = await asyncio.to_thread(run_workload, base, token, seed=seed)
        for _ in range(200):  # the receivers answered; wait until the writer has stored it all
            if pipeline.bus.stats().pending_events == 0:
                break
            await asyncio.sleep(0.05)
        counts = await _kind_counts(pipeline)
        total = sum(counts.values())
        click.echo("")
        click.echo(
            f"Stored {total} events from {len(summary.apps)} apps, {summary.sessions} sessions "
            f"({summary.attacked_sessions} attacked), {summary.spans} OTLP spans and "
            f"{summary.rest_events} REST events."
        )
        click.echo("  by kind: " + ", ".join(f"{k} {n}" for k, n in counts.most_common() if n))
        alerts = (await pipeline.store.query_alerts(AlertQuery(tenant=TENANT, limit=1000))).alerts
        stats = pipeline.writer.stats
        click.echo(
            f"Detection: {stats.findings} findings, {len(alerts)} alerts "
            f"({sum(1 for a in alerts if a.severity.rank >= 3)} high or critical)."
        )
        ranked = sorted(alerts, key=lambda a: (-a.severity.rank, a.first_seen))
        for alert in ranked[:10]:
            where = alert.entities.get("app", "-")
            click.echo(f"  [{alert.severity.value:<8}] {where:<16} {alert.title}")
        incidents = await _incidents(pipeline)
        if incidents is not None:
            click.echo(
                f"Response: {len(incidents)} incidents correlated from those alerts "
                "(shared session, trace, principal or indicator)."
            )
            for inc in incidents[:5]:
                click.echo(
                    f"  [{inc.severity.value:<8}] {inc.alert_count:>2} alerts  {inc.title[:70]}"
                )
        click.echo("")
        click.echo("Where to look:")
        click.echo(f"  API docs          {base}/docs")
        click.echo(f"  readiness         {base}/readyz")
        click.echo(
            '  events            curl -H "Authorization: Bearer $KEY" '
            f'"{base}/api/v1/events?limit=20"'
        )
        click.echo(
            f'  alerts            curl -H "Authorization: Bearer $KEY" "{base}/api/v1/alerts"'
        )
        click.echo(
            f'  incidents         curl -H "Authorization: Bearer $KEY" "{base}/api/v1/incidents"'
        )
        click.echo(
            '  report            curl -H "Authorization: Bearer $KEY" '
            f'"{base}/api/v1/reports/summary?since=1d&format=md"'
        )
        for app, trace_id, description in summary.traces[:6]:
            click.echo(f"  {app:<16}  {description}")
            click.echo(f"                    {base}/api/v1/traces/{trace_id}")
        attacked = summary.sessions_by_label.get("attack", [])
        if attacked:
            click.echo(f"  attacked session  {base}/api/v1/sessions/{attacked[0]}")
        click.echo("")
        click.echo("Demo API key (tenant 'demo', all scopes) — export it as KEY:")
        click.echo(f"  export KEY={token}")
        if exit_after:
            server.should_exit = True
        else:
            click.echo("\nServing until Ctrl-C.")

    return await serve_forever(settings, pipeline=pipeline, on_started=on_started)
