"""`garrison guard` commands: check policy files, try the guard on a text, manage blocks.

``lint`` and ``scan`` run offline (the same policy loader and detectors the server uses);
``blocks`` talks to a running server's ``/api/v1/blocks`` (the server owns the store).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
import httpx
import orjson

from garrison.cli.main import fail, main
from garrison.errors import GarrisonError, InputError, StoreError


def _echo_json(data: Any) -> None:
    click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2, default=str).decode())


@main.group()
def guard() -> None:
    """The guard: policies, a local scan, response actions (blocks)."""


@guard.command("lint")
@click.argument("policies", nargs=-1, required=True, type=click.Path(path_type=Path))
def lint(policies: tuple[Path, ...]) -> None:
    """Validate POLICIES (files or directories of *.yaml); errors print file:line: message."""
    from garrison.guard.policy import load_policy

    files: list[Path] = []
    for p in policies:
        files += sorted([*p.glob("*.yaml"), *p.glob("*.yml")]) if p.is_dir() else [p]
    bad = 0
    for f in files:
        try:
            policy = load_policy(f)
        except GarrisonError as exc:
            click.echo(exc.message, err=True)
            bad += 1
            continue
        click.echo(f"{f}: ok (policy {policy.id!r}, {len(policy.rules)} rules, {policy.mode})")
    sys.exit(2 if bad else 0)


@guard.command("default-policy")
def default_policy_cmd() -> None:
    """Print the built-in default policy (a starting point for your own)."""
    from garrison.guard.policy import DEFAULT_POLICY_YAML

    click.echo(DEFAULT_POLICY_YAML, nl=False)


@guard.command("scan")
@click.argument("text", required=False)
@click.option("--policy", type=click.Path(path_type=Path, dir_okay=False), default=None)
@click.option(
    "--direction",
    type=click.Choice(["input", "output", "tool_call"]),
    default="input",
    show_default=True,
)
@click.option(
    "--channel",
    type=click.Choice(["user", "system", "tool", "retrieval", "memory", "external"]),
    default="user",
    show_default=True,
    help="the trust channel of TEXT (input)",
)
@click.option("--tool", "tool_name", default=None, help="tool name (direction tool_call)")
@click.option("--json", "as_json", is_flag=True, help="print the whole decision as JSON")
def scan_cmd(
    text: str | None,
    policy: Path | None,
    direction: str,
    channel: str,
    tool_name: str | None,
    as_json: bool,
) -> None:
    """Run the guard in-process over TEXT (or stdin): what would it block or rewrite? Exits 1
    when the decision is block."""
    from garrison.guard.sdk import Guard

    if text is None:
        text = sys.stdin.read()
    try:
        g = Guard(policy)
        if direction == "input":
            r = g.scan_input(text, channel=channel)
        elif direction == "output":
            r = g.scan_output(text)
        else:
            if not tool_name:
                raise InputError("--tool: the tool's name is needed with --direction tool_call")
            r = g.check_tool_call(tool_name, text)
    except GarrisonError as exc:
        fail(exc)
        return
    if as_json:
        _echo_json(
            {
                "action": r.action.value,
                "blocked": r.blocked,
                "codes": r.codes,
                "violations": r.violations,
                "messages": r.messages,
                "text": r.text,
                "latency_ms": r.latency_ms,
            }
        )
    else:
        click.echo(f"action: {r.action.value}{' (annotate only)' if r.annotate_only else ''}")
        for v in r.violations:
            click.echo(f"  {v['action']:<9} {v['code']}  ({v['channel']}, rule {v['policy_rule']})")
        if direction == "input" and not r.blocked and r.messages:
            click.echo("forwarded:")
            for m in r.messages:
                click.echo(f"  [{m['role']}] {m['content']}")
        elif r.text is not None and not r.blocked:
            click.echo(f"returned: {r.text}")
    sys.exit(1 if r.blocked else 0)


# --- response actions ----------------------------------------------------------------------------


def _call(server: str, api_key: str | None, method: str, path: str, **kw: Any) -> Any:
    if not api_key:
        raise click.UsageError("--api-key (or GARRISON_API_KEY) is needed")
    try:
        r = httpx.request(
            method,
            f"{server.rstrip('/')}/api/v1{path}",
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=30,
            **kw,
        )
    except httpx.HTTPError as exc:
        raise StoreError(f"cannot reach {server}: {type(exc).__name__}") from None
    if r.status_code >= 400:
        try:
            message = r.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = r.text[:200]
        raise InputError(f"the server answered {r.status_code}: {message}")
    return r.json()


def _server_options(fn: Any) -> Any:
    fn = click.option("--api-key", envvar="GARRISON_API_KEY", default=None)(fn)
    fn = click.option(
        "--server", default="http://127.0.0.1:4318", show_default=True, help="Garrison's URL"
    )(fn)
    return fn


@guard.group()
def blocks() -> None:
    """Block or rate-limit principals and sessions at the gateway (through a server)."""


@blocks.command("list")
@_server_options
@click.option("--all", "include_inactive", is_flag=True, help="also lifted and expired blocks")
def blocks_list(server: str, api_key: str | None, include_inactive: bool) -> None:
    try:
        data = _call(
            server,
            api_key,
            "GET",
            "/blocks",
            params={"include_inactive": str(include_inactive).lower()},
        )
    except GarrisonError as exc:
        fail(exc)
        return
    for b in data["blocks"]:
        state = "active" if b["active"] else "ended"
        click.echo(
            f"{b['id']}  {b['kind']}={b['value']}  {b['action']}  until {b['expires_at'] or '-'}"
            f"  {state}  {b['reason']}"
        )


@blocks.command("add")
@_server_options
@click.argument("kind", type=click.Choice(["principal", "session"]))
@click.argument("value")
@click.option("--reason", required=True)
@click.option("--duration", "duration_s", type=int, default=3600, show_default=True, help="seconds")
@click.option("--rate-limit", type=int, default=None, help="requests per minute instead of a block")
def blocks_add(
    server: str,
    api_key: str | None,
    kind: str,
    value: str,
    reason: str,
    duration_s: int,
    rate_limit: int | None,
) -> None:
    body: dict[str, Any] = {
        "kind": kind,
        "value": value,
        "reason": reason,
        "duration_s": duration_s,
    }
    if rate_limit is not None:
        body |= {"action": "rate_limit", "rate_limit_per_min": rate_limit}
    try:
        b = _call(server, api_key, "POST", "/blocks", json=body)
    except GarrisonError as exc:
        fail(exc)
        return
    click.echo(f"{b['id']}  {b['kind']}={b['value']}  {b['action']}  until {b['expires_at']}")


@blocks.command("lift")
@_server_options
@click.argument("block_id")
def blocks_lift(server: str, api_key: str | None, block_id: str) -> None:
    try:
        b = _call(server, api_key, "DELETE", f"/blocks/{block_id}")
    except GarrisonError as exc:
        fail(exc)
        return
    click.echo(f"{b['id']} lifted")


__all__ = ["guard", "main"]
