"""`garrison ingest`: files of events and OTLP/JSON, direct to the store or through a server;
a bad record anywhere imports nothing."""

from __future__ import annotations

import gzip
import uuid
from pathlib import Path

import httpx
import orjson
import pytest

from tests.conftest import ServerProcess, run_cli

pytestmark = pytest.mark.e2e

OTLP_DOC = {
    "resourceSpans": [
        {
            "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "rag"}}]},
            "scopeSpans": [
                {
                    "spans": [
                        {
                            "traceId": "5b8efff798038103d269b633813fc60c",
                            "spanId": "eee19b7ec3c1b174",
                            "name": "chat m",
                            "startTimeUnixNano": "1763600000000000000",
                            "endTimeUnixNano": "1763600001000000000",
                            "attributes": [
                                {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
                                {"key": "gen_ai.request.model", "value": {"stringValue": "m"}},
                            ],
                        }
                    ]
                }
            ],
        }
    ]
}


def write_jsonl(path: Path, n: int) -> None:
    lines = [
        orjson.dumps({"id": str(uuid.uuid4()), "kind": "prompt", "content": f"q{i}", "app": "hr"})
        for i in range(n)
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")


def test_direct_import_of_jsonl_and_otlp_json(tmp_path: Path) -> None:
    data = tmp_path / "data"
    events = tmp_path / "events.jsonl.gz"
    plain = tmp_path / "plain.jsonl"
    write_jsonl(plain, 30)
    events.write_bytes(gzip.compress(plain.read_bytes()))
    otlp = tmp_path / "spans.json"
    otlp.write_bytes(orjson.dumps(OTLP_DOC, option=orjson.OPT_INDENT_2))
    result = run_cli("ingest", "--data-dir", str(data), "--tenant", "acme", str(events), str(otlp))
    assert result.returncode == 0, result.stderr
    assert "imported 31 events into tenant acme (0 already present" in result.stdout
    again = run_cli("ingest", "--data-dir", str(data), "--tenant", "acme", str(events), str(otlp))
    assert "imported 0 events into tenant acme (31 already present" in again.stdout


def test_a_bad_line_imports_nothing_and_names_file_and_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    good = tmp_path / "good.jsonl"
    write_jsonl(good, 5)
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(good.read_bytes() + b'{"kind": "prompt", "channel": "web"}\n')
    result = run_cli("ingest", "--data-dir", str(data), str(good), str(bad))
    assert result.returncode == 2
    assert f"{bad}:6: " in result.stderr and "channel" in result.stderr
    ok = run_cli("ingest", "--data-dir", str(data), str(good))
    assert "imported 5 events" in ok.stdout  # nothing of the first attempt was written


def test_ingest_through_a_running_server(server: ServerProcess, tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    write_jsonl(events, 12)
    otlp = tmp_path / "spans.jsonl"
    otlp.write_bytes(orjson.dumps(OTLP_DOC) + b"\n")
    result = run_cli(
        "ingest",
        "--server",
        server.url,
        str(events),
        str(otlp),
        env={"GARRISON_API_KEY": server.key},
    )
    assert result.returncode == 0, result.stderr
    assert "sent 13 of 13 events" in result.stdout
    stored = server.wait_stored(13)
    assert {e["app"] for e in stored} == {"hr", "rag"}
    r = httpx.get(f"{server.url}/api/v1/events?app=hr", headers=server.auth())
    assert len(r.json()["events"]) == 12
    refused = run_cli("ingest", "--server", server.url, str(events), "--api-key", "gsk_nope")
    assert refused.returncode == 2 and "refused the key (401)" in refused.stderr
