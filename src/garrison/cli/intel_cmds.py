"""`garrison intel`: import and export intelligence, poll TAXII/MISP feeds, sync ATLAS.

Direct mode opens the store (DuckDB allows one process, so with a server running use
``--server`` and an API key for import/export); ``poll`` and ``sync atlas`` act on the data
directory and store the settings name. Errors print one line naming the problem (the object,
attribute or line of a bad file) and exit 2; nothing of a bad file is stored.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import click
import httpx
import orjson

from garrison.cli.main import fail, main, store_options
from garrison.config import Settings, load_settings
from garrison.errors import GarrisonError, InputError, StoreError

FORMATS = ("stix", "misp", "csv")


@main.group()
def intel() -> None:
    """Threat intelligence: indicators, STIX/TAXII, MISP and CSV feeds, ATLAS."""


def _format_of(path: Path, given: str | None) -> str:
    if given:
        return given
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    return "stix"


def _records(data: bytes, fmt: str, source: str) -> tuple[list[Any], list[dict[str, str]]]:
    from garrison.intel.csvioc import parse_csv
    from garrison.intel.misp import parse_event
    from garrison.intel.stix import load_json, parse_bundle, parse_objects

    if fmt == "stix":
        parsed = parse_bundle(load_json(data), source)
        return parsed.records, parsed.notes
    if fmt == "misp":
        doc = load_json(data, "MISP event")
        return parse_objects(parse_event(doc, source).objects, source).records, []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"CSV is not UTF-8 (byte {exc.start})") from None
    return parse_objects(parse_csv(text, source), source).records, []


async def _with_repo(settings: Settings, work: Any) -> Any:
    from garrison.intel.repo import IntelRepo
    from garrison.store import open_store

    store = open_store(settings.store_url(), settings.data_dir)
    await store.open()
    try:
        return await work(IntelRepo(store))
    finally:
        await store.aclose()


def _server_call(method: str, server: str, path: str, api_key: str | None, **kw: Any) -> Any:
    from garrison.cli.detect_cmds import _api_error

    if not api_key:
        raise click.UsageError("--server needs --api-key (or GARRISON_API_KEY)")
    try:
        response = httpx.request(
            method,
            f"{server.rstrip('/')}{path}",
            headers={"Authorization": f"Bearer {api_key}", **kw.pop("headers", {})},
            timeout=300,
            **kw,
        )
    except httpx.HTTPError as exc:
        raise StoreError(f"cannot reach {server}: {exc}") from None
    if response.status_code != 200:
        raise _api_error(response)
    return response


_server_option = click.option("--server", default=None, help="through a running server at URL")
_key_option = click.option(
    "--api-key", envvar="GARRISON_API_KEY", default=None, help="[env GARRISON_API_KEY]"
)
_tenant_option = click.option(
    "--tenant", default="default", show_default=True, help="tenant (direct mode)"
)


@intel.command("import")
@store_options
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="default: csv for *.csv, else stix",
)
@click.option("--source", default=None, help="the indicators' source (default: the file name)")
@_server_option
@_key_option
@_tenant_option
def import_cmd(
    config: Path | None,
    data_dir: Path | None,
    store: str | None,
    file: Path,
    fmt: str | None,
    source: str | None,
    server: str | None,
    api_key: str | None,
    tenant: str,
) -> None:
    """Import FILE (a STIX 2.1 bundle, a MISP event or a CSV list): all of it, or nothing."""
    kind = _format_of(file, fmt)
    name = source or file.stem[:100] or "file"
    try:
        data = file.read_bytes()
        if server:
            media = {
                "stix": "application/stix+json",
                "misp": "application/json",
                "csv": "text/csv",
            }[kind]
            response = _server_call(
                "POST",
                server,
                f"/api/v1/intel/{kind}",
                api_key,
                params={"source": name},
                content=data,
                headers={"Content-Type": media},
            )
            result = response.json()
        else:
            records, notes = _records(data, kind, name)
            settings = load_settings(config, flags={"data_dir": data_dir, "store": store})

            async def work(repo: Any) -> Any:
                return await repo.save(tenant, records, name)

            saved = asyncio.run(_with_repo(settings, work))
            saved.notes = notes
            result = saved.to_dict()
    except GarrisonError as exc:
        fail(exc)
    except OSError as exc:
        fail(InputError(f"cannot read {file}: {exc.strerror}"))
    click.echo(
        f"{file}: {result['created']} created, {result['updated']} updated, "
        f"{result['unchanged']} unchanged, {result['indicators']} indicators"
    )
    for note in result.get("notes", [])[:20]:
        click.echo(f"  {note['object']}: {note['note']}", err=True)


@intel.command("export")
@store_options
@click.option("--format", "fmt", type=click.Choice(["stix"]), default="stix", show_default=True)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="file to write (default: standard output)",
)
@_server_option
@_key_option
@_tenant_option
def export_cmd(
    config: Path | None,
    data_dir: Path | None,
    store: str | None,
    fmt: str,
    output: Path | None,
    server: str | None,
    api_key: str | None,
    tenant: str,
) -> None:
    """Write the tenant's intel as one STIX 2.1 bundle."""
    from garrison.intel.stix import bundle

    try:
        if server:
            data = _server_call(
                "GET", server, "/api/v1/intel/stix", api_key, params={"limit": 100_000}
            ).content
        else:
            settings = load_settings(config, flags={"data_dir": data_dir, "store": store})

            async def work(repo: Any) -> Any:
                objects, _ = await repo.objects_page(tenant, limit=1_000_000)
                return objects

            objects = asyncio.run(_with_repo(settings, work))
            data = orjson.dumps(bundle(o.object for o in objects))
    except GarrisonError as exc:
        fail(exc)
    if output is None:
        sys.stdout.buffer.write(data + b"\n")
    else:
        output.write_bytes(data)


@intel.command("poll")
@store_options
@click.option("--feed", "feeds", multiple=True, help="only this feed (repeatable)")
def poll_cmd(
    config: Path | None, data_dir: Path | None, store: str | None, feeds: tuple[str, ...]
) -> None:
    """Poll the configured TAXII and MISP feeds once, from their stored cursors."""
    settings = load_settings(config, flags={"data_dir": data_dir, "store": store})
    chosen = [f for f in settings.intel.feeds if not feeds or f.name in feeds]
    unknown = set(feeds) - {f.name for f in settings.intel.feeds}
    if unknown:
        fail(InputError(f"no configured feed named {', '.join(sorted(unknown))}"))
    if not chosen:
        fail(InputError("no feeds configured (intel.feeds)"))

    async def run() -> list[tuple[str, Any]]:
        from garrison.intel.service import IntelService
        from garrison.store import open_store

        st = open_store(settings.store_url(), settings.data_dir)
        await st.open()
        out: list[tuple[str, Any]] = []
        try:
            service = IntelService(settings.intel, st)
            for feed in chosen:
                try:
                    out.append((feed.name, await service.poll_feed(feed)))
                except GarrisonError as exc:
                    out.append((feed.name, exc))
        finally:
            await st.aclose()
        return out

    try:
        results = asyncio.run(run())
    except GarrisonError as exc:
        fail(exc)
    failed = False
    for name, res in results:
        if isinstance(res, GarrisonError):
            failed = True
            click.echo(f"{name}: error: {res.message}", err=True)
        else:
            click.echo(
                f"{name}: {res['objects']} objects in {res['pages']} pages, "
                f"{res['created']} created, {res['updated']} updated"
            )
    sys.exit(2 if failed else 0)


@intel.group("sync")
def sync() -> None:
    """Load a newer catalogue release."""


@sync.command("atlas")
@store_options
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--allow-older", is_flag=True, help="install even if older than the one in force")
def sync_atlas(
    config: Path | None, data_dir: Path | None, store: str | None, file: Path, allow_older: bool
) -> None:
    """Validate ATLAS.yaml (or a compact atlas.json) FILE and make it the data directory's
    ATLAS catalogue (the rule linter, reports and the server then use it)."""
    from garrison.intel.atlas_build import CatalogError
    from garrison.intel.atlas_build import sync as do_sync

    settings = load_settings(config, flags={"data_dir": data_dir, "store": store})
    try:
        new = do_sync(file, settings.data_dir, allow_older=allow_older)
    except CatalogError as exc:
        fail(InputError(f"{file}: {exc}"))
    click.echo(
        f"ATLAS {new['version']}: {len(new['tactics'])} tactics, "
        f"{len(new['techniques'])} techniques, {len(new['mitigations'])} mitigations, "
        f"{len(new.get('case_studies', []))} case studies -> {settings.data_dir}/intel/atlas.json"
    )
