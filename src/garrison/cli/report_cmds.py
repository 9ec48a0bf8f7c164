"""`garrison report`: the trend report of a period, from the store or through a server.

The same summary as ``GET /api/v1/reports/summary``: with ``--server`` it asks a running server
(the embedded DuckDB store allows one process), else it reads the store directly. Output goes
to stdout or ``--out FILE``; errors are one line naming what is wrong.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import click
import httpx

from garrison.cli.main import fail, main, store_options
from garrison.config import Settings, load_settings
from garrison.errors import GarrisonError, InputError, StoreError


async def _direct(settings: Settings, tenant: str, since: str, until: str | None, fmt: str) -> str:
    from garrison.actions import reports
    from garrison.store import open_store

    start, end = reports.parse_period(since, until)
    st = open_store(settings.store_url(), settings.data_dir)
    await st.open()
    try:
        summary = await reports.build_summary(st, tenant, start, end)
    finally:
        await st.aclose()
    return reports.render(summary, fmt)


def _via_server(server: str, api_key: str, since: str, until: str | None, fmt: str) -> str:
    params = {"since": since, "format": fmt}
    if until:
        params["until"] = until
    response = httpx.get(
        f"{server.rstrip('/')}/api/v1/reports/summary",
        params=params,
        headers={"Authorization": f"Bearer {api_key}"},
        timeout=300,
    )
    if response.status_code != 200:
        try:
            message = response.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = response.text[:200]
        cls = InputError if response.status_code < 500 else StoreError
        raise cls(f"the server answered {response.status_code}: {message}")
    return response.text


@main.command()
@store_options
@click.option("--since", default="7d", show_default=True, help="7d, 24h, or an RFC 3339 time")
@click.option("--until", default=None, help="end of the period (default now)")
@click.option(
    "--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md", show_default=True
)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None)
@click.option("--server", default=None, help="ask a running server at this URL")
@click.option("--api-key", envvar="GARRISON_API_KEY", default=None, help="[env GARRISON_API_KEY]")
@click.option("--tenant", default="default", show_default=True, help="tenant (direct mode)")
def report(
    config: Path | None,
    data_dir: Path | None,
    store: str | None,
    since: str,
    until: str | None,
    fmt: str,
    out: Path | None,
    server: str | None,
    api_key: str | None,
    tenant: str,
) -> None:
    """Trends of a period: volume per day, ATLAS techniques and tactics, top apps and
    principals, clusters of similar attack prompts, false-positive rate per rule."""
    try:
        if server:
            if not api_key:
                raise click.UsageError("--server needs --api-key (or GARRISON_API_KEY)")
            text = _via_server(server, api_key, since, until, fmt)
        else:
            settings = load_settings(config, flags={"data_dir": data_dir, "store": store})
            text = asyncio.run(_direct(settings, tenant, since, until, fmt))
        if out is not None:
            try:
                out.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise InputError(f"--out: cannot write {out}: {exc.strerror}") from None
            click.echo(f"report written to {out}", err=True)
        else:
            click.echo(text, nl=not text.endswith("\n"))
    except GarrisonError as exc:
        fail(exc)
    except httpx.HTTPError as exc:
        fail(StoreError(f"cannot reach {server}: {type(exc).__name__}"))


__all__ = ["main"]
