"""The `garrison` command: serve, keys, ingest, demo.

Settings come from ``--config FILE`` (or ``$GARRISON_CONFIG``), then ``GARRISON_*`` variables,
then the flags given here. Errors print one line naming what is wrong and exit non-zero; no
command ever prompts interactively or prints a secret except the key it was asked to create.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from garrison import __version__
from garrison.config import Settings, load_settings
from garrison.errors import GarrisonError

F = TypeVar("F", bound=Callable[..., Any])


def _settings(config: Path | None, **flags: Any) -> Settings:
    return load_settings(config, flags=flags)


def store_options(fn: F) -> F:
    fn = click.option(
        "--store",
        default=None,
        help="'duckdb' (embedded, default) or a postgresql:// URL  [env GARRISON_STORE]",
    )(fn)
    fn = click.option(
        "--data-dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="directory of the embedded store  [env GARRISON_DATA_DIR]",
    )(fn)
    fn = click.option(
        "--config",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="YAML settings file  [env GARRISON_CONFIG]",
    )(fn)
    return fn


def fail(exc: GarrisonError) -> None:
    click.echo(f"garrison: error: {exc.message}", err=True)
    sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="garrison")
def main() -> None:
    """Garrison: security operations for LLM applications and AI agents."""


@main.command()
@store_options
@click.option("--host", default=None, help="address to listen on  [env GARRISON_HOST]")
@click.option("--port", type=int, default=None, help="port (default 4318)  [env GARRISON_PORT]")
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default=None,
    help="[env GARRISON_LOG_LEVEL]",
)
@click.option(
    "--upstream",
    default=None,
    help="the gateway's default model provider, an OpenAI-compatible base URL such as "
    "https://api.openai.com/v1  [env GARRISON_GATEWAY__UPSTREAM]",
)
def serve(
    config: Path | None,
    data_dir: Path | None,
    store: str | None,
    host: str | None,
    port: int | None,
    log_level: str | None,
    upstream: str | None,
) -> None:
    """Run the server: OTLP/HTTP receivers, the events API, the guard gateway and the pipeline."""
    from garrison.cli.server import serve_forever

    try:
        settings = _settings(
            config, data_dir=data_dir, store=store, host=host, port=port, log_level=log_level
        )
        if upstream is not None:
            from garrison.gateway.settings import with_default_upstream

            settings = with_default_upstream(settings, upstream)
        sys.exit(asyncio.run(serve_forever(settings)))
    except GarrisonError as exc:
        fail(exc)


@main.group()
def keys() -> None:
    """Manage API keys."""


@keys.command("create")
@store_options
@click.option("--tenant", required=True, help="tenant the key belongs to")
@click.option(
    "--scopes", default="ingest,read", show_default=True, help="comma-separated: ingest,read,admin"
)
@click.option("--name", default=None, help="a label for people")
@click.option("--app", default=None, help="bind the key to one app")
def keys_create(
    config: Path | None,
    data_dir: Path | None,
    store: str | None,
    tenant: str,
    scopes: str,
    name: str | None,
    app: str | None,
) -> None:
    """Create an API key; the key is printed once, as the last line."""
    from garrison.store import open_store
    from garrison.web.auth import create_api_key, parse_scopes

    async def run(settings: Settings) -> tuple[str, str, frozenset[str], str]:
        st = open_store(settings.store_url(), settings.data_dir)
        await st.open()
        try:
            key, token = await create_api_key(
                st, tenant=tenant, scopes=parse_scopes(scopes), name=name, app=app
            )
        finally:
            await st.aclose()
        return key.id, key.tenant, key.scopes, token

    try:
        settings = _settings(config, data_dir=data_dir, store=store)
        key_id, key_tenant, key_scopes, token = asyncio.run(run(settings))
    except GarrisonError as exc:
        fail(exc)
    click.echo(
        f"created key {key_id} for tenant {key_tenant} (scopes: {','.join(sorted(key_scopes))})"
    )
    click.echo("store it now; it cannot be shown again:", err=True)
    click.echo(token)


@main.command()
@store_options
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--server", default=None, help="send through a running server at this URL")
@click.option("--api-key", envvar="GARRISON_API_KEY", default=None, help="[env GARRISON_API_KEY]")
@click.option("--tenant", default="default", show_default=True, help="tenant (direct mode)")
def ingest(
    config: Path | None,
    data_dir: Path | None,
    store: str | None,
    files: tuple[Path, ...],
    server: str | None,
    api_key: str | None,
    tenant: str,
) -> None:
    """Import FILES: JSON Lines of events or OTLP/JSON (optionally .gz).

    Every file is checked whole first; a bad record (reported as file:line) imports nothing.
    Without --server the events go straight into the store (stop a running server first when
    the store is the embedded one)."""
    from garrison.cli.importing import import_direct, import_via_server

    try:
        if server:
            if not api_key:
                raise click.UsageError("--server needs --api-key (or GARRISON_API_KEY)")
            report = import_via_server(list(files), server, api_key)
        else:
            settings = _settings(config, data_dir=data_dir, store=store)
            report = asyncio.run(import_direct(list(files), settings, tenant))
    except GarrisonError as exc:
        fail(exc)
    click.echo(report)


@main.command()
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path(".garrison-demo"),
    show_default=True,
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=4318, show_default=True)
@click.option("--seed", type=int, default=7, show_default=True)
@click.option("--exit-after", is_flag=True, help="stop after the workload instead of serving on")
def demo(data_dir: Path, host: str, port: int, seed: int, exit_after: bool) -> None:
    """Start Garrison on the embedded store, drive a simulated workload, keep serving."""
    from garrison.cli.demo import run_demo

    try:
        settings = load_settings(None, flags={"data_dir": data_dir, "host": host, "port": port})
        sys.exit(asyncio.run(run_demo(settings, seed=seed, exit_after=exit_after)))
    except GarrisonError as exc:
        fail(exc)


# Each of these registers its commands on ``main`` when imported.
from garrison.cli import detect_cmds as _detect_cmds  # noqa: E402
from garrison.cli import guard_cmds as _guard_cmds  # noqa: E402
from garrison.cli import intel_cmds as _intel_cmds  # noqa: E402
from garrison.cli import report_cmds as _report_cmds  # noqa: E402
from garrison.cli import response_cmds as _response_cmds  # noqa: E402

__all__ = ["_detect_cmds", "_guard_cmds", "_intel_cmds", "_report_cmds", "_response_cmds", "main"]

if __name__ == "__main__":
    # Run as a script, this module is `__main__`; the commands registered themselves on the
    # group of the importable `garrison.cli.main`, so invoke that one.
    from garrison.cli.main import main as _registered

    _registered()
