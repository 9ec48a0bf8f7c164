"""`garrison incidents list|show`: incidents from the store, or through a running server.

With the embedded store and a server running, pass ``--server`` (DuckDB allows one process).
Output is a readable table, or exact JSON with ``--json``; nothing here writes or prompts.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import click
import httpx

from garrison.cli.main import fail, main, store_options
from garrison.config import Settings, load_settings
from garrison.errors import GarrisonError, StoreError
from garrison.model.alert import AlertStatus, Severity

__all__ = ["main"]


@main.group()
def incidents() -> None:
    """Incidents: alerts correlated through shared entities (see docs/response.md)."""


def _server_get(server: str, api_key: str | None, path: str, params: dict[str, Any]) -> Any:
    from garrison.cli.detect_cmds import _api_error  # not at import: cli.main imports us

    if not api_key:
        raise click.UsageError("--server needs --api-key (or GARRISON_API_KEY)")
    try:
        response = httpx.get(
            f"{server.rstrip('/')}{path}",
            params=params,
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=60,
        )
    except httpx.HTTPError as exc:
        raise StoreError(f"cannot reach {server}: {exc}") from None
    if response.status_code != 200:
        raise _api_error(response)
    return response.json()


async def _direct(settings: Settings, tenant: str, incident_id: str | None, **query: Any) -> Any:
    from garrison.response import lifecycle, views
    from garrison.store import open_store

    store = open_store(settings.store_url(), settings.data_dir)
    await store.open()
    try:
        if incident_id is not None:
            incident = await lifecycle.read_incident(store, tenant, incident_id)
            return {**incident.to_dict(), **await views.timeline(store, incident)}
        page = await views.list_incidents(store, views.IncidentQuery(tenant=tenant, **query))
        return {"incidents": [i.to_dict() for i in page.incidents], "next_cursor": None}
    finally:
        await store.aclose()


_common = [
    click.option("--server", default=None, help="read through a running server at this URL"),
    click.option(
        "--api-key", envvar="GARRISON_API_KEY", default=None, help="[env GARRISON_API_KEY]"
    ),
    click.option("--tenant", default="default", show_default=True, help="tenant (direct mode)"),
    click.option("--json", "as_json", is_flag=True),
]


def _with_common(fn: Any) -> Any:
    for option in reversed(_common):
        fn = option(fn)
    return store_options(fn)


@incidents.command("list")
@_with_common
@click.option("--status", type=click.Choice([s.value for s in AlertStatus]), default=None)
@click.option("--severity", type=click.Choice([s.value for s in Severity]), default=None)
@click.option("--since", default=None, help="30d, 12h, 15m or an RFC 3339 time (on last_seen)")
@click.option("--limit", type=int, default=50, show_default=True)
def list_incidents(
    config: Path | None,
    data_dir: Path | None,
    store: str | None,
    server: str | None,
    api_key: str | None,
    tenant: str,
    as_json: bool,
    status: str | None,
    severity: str | None,
    since: str | None,
    limit: int,
) -> None:
    """The most recently active incidents."""
    from garrison.cli.detect_cmds import echo_json, parse_since

    try:
        since_at = parse_since(since) if since else None
        if server:
            params: dict[str, Any] = {"limit": limit}
            if status:
                params["status"] = status
            if severity:
                params["severity"] = severity
            if since_at:
                params["since"] = since_at.isoformat()
            data = _server_get(server, api_key, "/api/v1/incidents", params)
        else:
            settings = load_settings(config, flags={"data_dir": data_dir, "store": store})
            data = asyncio.run(
                _direct(
                    settings,
                    tenant,
                    None,
                    statuses=(AlertStatus(status),) if status else (),
                    severities=(Severity(severity),) if severity else (),
                    since=since_at,
                    limit=limit,
                )
            )
    except GarrisonError as exc:
        fail(exc)
    if as_json:
        echo_json(data)
        return
    for i in data["incidents"]:
        click.echo(
            f"{i['id']}  [{i['severity']:<8}] {i['status']:<14} {i['alert_count']:>4} alerts  "
            f"{i['last_seen']}  {i['title']}"
        )
    click.echo(f"({len(data['incidents'])} incidents)", err=True)


@incidents.command("show")
@_with_common
@click.argument("incident_id")
def show_incident(
    config: Path | None,
    data_dir: Path | None,
    store: str | None,
    server: str | None,
    api_key: str | None,
    tenant: str,
    as_json: bool,
    incident_id: str,
) -> None:
    """One incident with its timeline of alerts and events."""
    from garrison.cli.detect_cmds import echo_json

    try:
        if server:
            data = _server_get(server, api_key, f"/api/v1/incidents/{incident_id}", {})
        else:
            settings = load_settings(config, flags={"data_dir": data_dir, "store": store})
            data = asyncio.run(_direct(settings, tenant, incident_id))
    except GarrisonError as exc:
        fail(exc)
    if as_json:
        echo_json(data)
        return
    click.echo(f"{data['title']}  [{data['severity']}] {data['status']}")
    click.echo(f"  {data['alert_count']} alerts, {data['first_seen']} .. {data['last_seen']}")
    click.echo(f"  tactics: {', '.join(data['tactics']) or '-'}")
    click.echo(f"  entities: {', '.join(data['entities']) or '-'}")
    for item in data["timeline"]:
        if item["type"] == "alert":
            a = item["alert"]
            click.echo(f"  {item['time']}  ALERT [{a['severity']}] {a['title']}")
        else:
            e = item["event"]
            click.echo(f"  {item['time']}  event {e['kind']} {e['id']}")
