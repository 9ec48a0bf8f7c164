"""Actions benchmark: how fast alerts become OCSF findings and CEF lines, and how fast the
delivery machinery (persist first, claim, send, mark) moves them to a Splunk HEC receiver.

Baselines measured in the same run, on the same alerts:
- formats: ``orjson.dumps`` of the alert dict (serialising what we already have, the floor any
  mapping pays on top);
- delivery: the same HEC envelopes posted straight to the same receiver in the same batches with
  the same HTTP client, with no store (what the wire costs; the difference is the price of never
  losing a delivery).
The receiver is a real HTTP server in a thread of this process; the store a real DuckDB file.
"""

from __future__ import annotations

import asyncio
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import orjson

from benchmarks.report import write_section

START = datetime(2026, 6, 1, tzinfo=UTC)


def make_alerts(n: int) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        t = START + timedelta(seconds=i)
        out.append(
            {
                "id": f"0190a000-0000-7000-8000-{i:012d}",
                "tenant": "bench",
                "rule_id": f"garrison.rule_{i % 40}",
                "rule_version": "1",
                "title": f"Prompt injection attempt {i % 40}",
                "severity": ("low", "medium", "high", "critical")[i % 4],
                "status": "new",
                "dedup_key": f"k{i}",
                "first_seen": t.isoformat().replace("+00:00", "Z"),
                "last_seen": t.isoformat().replace("+00:00", "Z"),
                "event_count": 1 + i % 5,
                "event_ids": [f"e{i}"],
                "entities": {
                    "app": f"app-{i % 7}",
                    "principal": f"u-{i % 300}",
                    "session_id": f"s-{i}",
                },
                "tags": ["atlas.AML.T0051.000", "atlas.AML.T0054", "owasp-llm-2025.LLM01"],
                "evidence": {},
                "assignee": None,
                "version": 1,
                "created_at": t.isoformat().replace("+00:00", "Z"),
                "updated_at": t.isoformat().replace("+00:00", "Z"),
            }
        )
    return out


def rate(n: int, fn: Any) -> float:
    began = time.perf_counter()
    fn()
    return n / (time.perf_counter() - began)


def bench_formats(alerts: list[dict[str, Any]]) -> tuple[float, float, float]:
    from garrison.actions.ocsf import detection_finding
    from garrison.actions.syslog import cef_line

    ocsf = rate(len(alerts), lambda: [orjson.dumps(detection_finding(a)) for a in alerts])
    cef = rate(len(alerts), lambda: [cef_line(a) for a in alerts])
    base = rate(len(alerts), lambda: [orjson.dumps(a) for a in alerts])
    return ocsf, cef, base


class _Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b'{"text":"Success","code":0}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


async def bench_delivery(
    alerts: list[dict[str, Any]], url: str, batch: int
) -> tuple[float, float, float, float]:
    import os

    from garrison.actions import deliveries as dl
    from garrison.actions.hec import endpoint, envelope
    from garrison.actions.service import ActionsService
    from garrison.actions.settings import ActionsSettings, HecTarget
    from garrison.response.events import ResponseChange
    from garrison.store import open_store

    os.environ["GARRISON_BENCH_HEC"] = "bench-token"
    cfg = ActionsSettings.model_validate(
        {
            "targets": {
                "hec": {
                    "type": "hec",
                    "url": url,
                    "token": {"env": "GARRISON_BENCH_HEC"},
                    "batch_size": batch,
                }
            },
            "routes": [{"name": "siem", "targets": ["hec"]}],
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"duckdb://{Path(tmp) / 'b.duckdb'}", Path(tmp))
        await store.open()
        svc = ActionsService(cfg, store, Path(tmp))
        await svc.start(background=False)
        try:
            began = time.perf_counter()
            for a in alerts:
                await svc.on_change(ResponseChange("alert", "bench", a["id"], "created", a))
            queued = time.perf_counter()
            while True:
                await svc.send_due()
                left, _ = await dl.page(store, "bench", statuses=("pending", "sending"), limit=1)
                if not left:
                    break
            done = time.perf_counter()
            ours = len(alerts) / (done - began)
            enqueue, send = len(alerts) / (queued - began), len(alerts) / (done - queued)
        finally:
            await svc.stop()
            await store.aclose()
    target = cfg.targets["hec"]
    assert isinstance(target, HecTarget)
    async with httpx.AsyncClient() as client:
        began = time.perf_counter()
        for start in range(0, len(alerts), batch):
            chunk = [envelope(a, target) for a in alerts[start : start + batch]]
            body = b"\n".join(orjson.dumps(e) for e in chunk)
            r = await client.post(
                endpoint(target), content=body, headers={"Authorization": "Splunk bench-token"}
            )
            r.raise_for_status()
        wire = len(alerts) / (time.perf_counter() - began)
    return ours, enqueue, send, wire


def main(quick: bool = False) -> None:
    n_fmt = 5_000 if quick else 50_000
    n_del = 1_000 if quick else 10_000
    batch = 100
    alerts = make_alerts(max(n_fmt, n_del))
    ocsf, cef, base = bench_formats(alerts[:n_fmt])
    print(f"ocsf {ocsf:,.0f}/s, cef {cef:,.0f}/s, orjson baseline {base:,.0f}/s")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Sink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        ours, enqueue, send, wire = asyncio.run(bench_delivery(alerts[:n_del], url, batch))
    finally:
        server.shutdown()
        server.server_close()
    print(
        f"hec delivery {ours:,.0f} alerts/s (enqueue {enqueue:,.0f}/s, send {send:,.0f}/s), "
        f"wire only {wire:,.0f}/s"
    )
    body = f"""## Actions: OCSF / CEF mapping and HEC delivery

Generated alerts (3 ATLAS/OWASP tags, entities) in one process.

| what | alerts | Garrison, alerts/s | baseline | baseline, alerts/s | Garrison ÷ baseline |
|---|---|---|---|---|---|
| OCSF Detection Finding (`detection_finding` + `orjson.dumps`) | {n_fmt:,} | {ocsf:,.0f} | `orjson.dumps(alert)` | {base:,.0f} | {ocsf / base:.3f}× |
| CEF line (`cef_line`) | {n_fmt:,} | {cef:,.0f} | `orjson.dumps(alert)` | {base:,.0f} | {cef / base:.3f}× |
| HEC delivery: route, render, persist (DuckDB file), claim, send in batches of {batch}, mark delivered | {n_del:,} | {ours:,.0f} | same envelopes posted in the same batches, no store | {wire:,.0f} | {ours / wire:.3f}× |

The delivery figure splits into writing the deliveries ({enqueue:,.0f} alerts/s: one store
transaction per change, as the response subsystem calls `on_change` once per change) and
sending them ({send:,.0f} alerts/s: per pass one due query, one claim statement per target and
one mark statement per batch). The receiver is a `ThreadingHTTPServer` in the same process.
"""  # noqa: E501
    write_section("actions", body)


if __name__ == "__main__":
    main()
