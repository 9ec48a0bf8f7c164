"""`garrison incidents list|show` on a real DuckDB data dir (direct mode)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import orjson
from click.testing import CliRunner

from garrison.cli.main import main
from garrison.store import open_store

from .helpers import incident_of, make_alert, service, write


def test_list_and_show_incidents(tmp_path: Path) -> None:
    data = tmp_path / "data"

    async def seed() -> str:
        store = open_store("duckdb", data)
        await store.open()
        try:
            svc = service(store)
            await write(
                svc,
                make_alert(1, tenant="default", session_id="s1"),
                make_alert(2, tenant="default", minutes=1, session_id="s1"),
            )
            return await incident_of(store, "alert-1", tenant="default")
        finally:
            await store.aclose()

    incident = asyncio.run(seed())
    runner = CliRunner()
    listed = runner.invoke(main, ["incidents", "list", "--data-dir", str(data), "--json"])
    assert listed.exit_code == 0, listed.output
    [only] = orjson.loads(listed.output)["incidents"]
    assert (only["id"], only["alert_count"]) == (incident, 2)
    shown = runner.invoke(main, ["incidents", "show", incident, "--data-dir", str(data)])
    assert shown.exit_code == 0, shown.output
    assert shown.output.count("ALERT [medium] rule-1 fired") == 2
    missing = runner.invoke(main, ["incidents", "show", "nope", "--data-dir", str(data)])
    assert missing.exit_code == 2
    assert "no such incident" in missing.output
