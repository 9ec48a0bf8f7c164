"""End to end: a real `garrison serve` process, the real OpenTelemetry SDK exporter, a real
DuckDB file, and the `garrison` command line."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from tests.conftest import ServerProcess, run_cli, start_server, stop_server

pytestmark = pytest.mark.e2e

MESSAGES_IN = [
    {"role": "system", "parts": [{"type": "text", "content": "You are the support copilot."}]},
    {"role": "user", "parts": [{"type": "text", "content": "Where is my order 1042?"}]},
]
MESSAGES_OUT = [
    {"role": "assistant", "parts": [{"type": "text", "content": "It ships tomorrow."}],
     "finish_reason": "stop"},
]  # fmt: skip


def chat_span(provider: TracerProvider, session: str) -> None:
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span("invoke_agent support") as agent:
        agent.set_attribute("gen_ai.operation.name", "invoke_agent")
        agent.set_attribute("gen_ai.agent.name", "support")
        with tracer.start_as_current_span("chat gpt-4o") as span:
            span.set_attributes(
                {
                    "gen_ai.operation.name": "chat",
                    "gen_ai.provider.name": "openai",
                    "gen_ai.request.model": "gpt-4o",
                    "gen_ai.conversation.id": session,
                    "user.id": "u-1042",
                    "gen_ai.input.messages": json.dumps(MESSAGES_IN),
                    "gen_ai.output.messages": json.dumps(MESSAGES_OUT),
                    "gen_ai.usage.input_tokens": 31,
                    "gen_ai.usage.output_tokens": 5,
                }
            )


def test_opentelemetry_sdk_exporter_spans_become_events(server: ServerProcess) -> None:
    exporter = OTLPSpanExporter(endpoint=f"{server.url}/v1/traces", headers=server.auth())
    provider = TracerProvider(resource=Resource({"service.name": "support-copilot"}))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    chat_span(provider, "conv-77")
    provider.shutdown()

    events = server.wait_stored(4)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for e in events:
        by_kind.setdefault(e["kind"], []).append(e)
    prompts = {e["channel"]: e for e in by_kind["prompt"]}
    assert prompts["user"]["content"] == "Where is my order 1042?"
    assert prompts["system"]["content"] == "You are the support copilot."
    [completion] = by_kind["completion"]
    assert completion["content"] == "It ships tomorrow."
    assert completion["usage"] == {"input_tokens": 31, "output_tokens": 5}
    assert completion["app"] == "support-copilot"
    assert completion["session_id"] == "conv-77"
    assert completion["principal"] == "u-1042"
    assert completion["provider"] == "openai" and completion["model"] == "gpt-4o"
    assert completion["source"] == "otlp" and completion["tenant"] == "acme"
    assert completion["attributes"]["gen_ai.request.model"] == "gpt-4o"  # originals kept
    [step] = by_kind["agent_step"]
    assert step["agent"] == "support"

    trace_id = completion["trace_id"]
    trace = httpx.get(f"{server.url}/api/v1/traces/{trace_id}", headers=server.auth()).json()
    assert trace["trace_id"] == trace_id
    times = [e["time"] for e in trace["events"]]
    assert times == sorted(times) and len(trace["events"]) == 4
    session = httpx.get(f"{server.url}/api/v1/sessions/conv-77", headers=server.auth()).json()
    assert {e["kind"] for e in session["events"]} == {"prompt", "completion"}


def _sdk_payload() -> bytes:
    memory = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource({"service.name": "mail-agent"}))
    provider.add_span_processor(SimpleSpanProcessor(memory))
    chat_span(provider, "conv-retry")
    provider.shutdown()
    return bytes(encode_spans(memory.get_finished_spans()).SerializeToString())


def test_a_retried_otlp_payload_is_stored_once(server: ServerProcess) -> None:
    body = _sdk_payload()
    headers = {**server.auth(), "Content-Type": "application/x-protobuf"}
    for _ in range(3):
        r = httpx.post(f"{server.url}/v1/traces", content=body, headers=headers)
        assert r.status_code == 200
        assert r.headers["content-type"] == "application/x-protobuf"
    events = server.wait_stored(4)
    import time

    time.sleep(0.5)  # let any duplicate write land before counting
    events = server.wait_stored(4)
    assert len(events) == 4
    assert len({e["id"] for e in events}) == 4


def test_otlp_json_with_hex_ids_and_partial_success(server: ServerProcess) -> None:
    good_trace = "5b8efff798038103d269b633813fc60c"
    span = {
        "traceId": good_trace,
        "spanId": "eee19b7ec3c1b174",
        "name": "chat gpt-4o",
        "kind": 3,
        "startTimeUnixNano": "1763600000000000000",
        "endTimeUnixNano": "1763600000250000000",
        "attributes": [
            {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
            {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4o"}},
            {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "12"}},
            {"key": "some.unknown.attribute", "value": {"boolValue": True}},
        ],
        "unknownField": "ignored",
    }
    bad = {**span, "traceId": "abcd", "spanId": "0102030405060708"}
    body = {
        "resourceSpans": [
            {
                "resource": {
                    "attributes": [{"key": "service.name", "value": {"stringValue": "rag"}}]
                },
                "scopeSpans": [{"spans": [span, bad]}],
            }
        ]
    }
    r = httpx.post(
        f"{server.url}/v1/traces",
        content=orjson.dumps(body),
        headers={**server.auth(), "Content-Type": "application/json"},
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    partial = r.json()["partialSuccess"]
    assert int(partial["rejectedSpans"]) == 1 and partial["errorMessage"]
    [stored] = server.wait_stored(1)
    assert stored["trace_id"] == good_trace
    assert stored["latency_ms"] == pytest.approx(250.0)
    assert stored["attributes"]["some.unknown.attribute"] is True


def test_malformed_otlp_is_400_in_the_envelope(server: ServerProcess) -> None:
    for ctype, body in (("application/x-protobuf", b"\xff\xff\xff"), ("application/json", b"{")):
        r = httpx.post(
            f"{server.url}/v1/traces",
            content=body,
            headers={**server.auth(), "Content-Type": ctype},
        )
        assert r.status_code == 400
        assert r.json()["error"]["code"] == "malformed_payload"
    r = httpx.post(
        f"{server.url}/v1/traces",
        content=b"x",
        headers={**server.auth(), "Content-Type": "text/xml"},
    )
    assert r.status_code == 415


def test_keys_cli_refuses_while_the_server_holds_the_store(server: ServerProcess) -> None:
    result = run_cli("keys", "create", "--data-dir", str(server.data_dir), "--tenant", "x")
    assert result.returncode == 2
    assert "in use by another process" in result.stderr
    assert "Traceback" not in result.stderr


def test_shutdown_drains_the_queue(tmp_path: Path) -> None:
    srv = start_server(tmp_path / "data")
    batch = [{"kind": "prompt", "content": f"m{i}"} for i in range(2000)]
    r = httpx.post(
        f"{srv.url}/api/v1/events",
        content=orjson.dumps(batch),
        headers={**srv.auth(), "Content-Type": "application/json"},
    )
    assert r.status_code == 202
    srv.proc.send_signal(signal.SIGTERM)
    assert srv.proc.wait(timeout=30) == 0
    again = start_server(tmp_path / "data")  # keys create on the same file: a new key
    try:
        r = httpx.get(f"{again.url}/api/v1/events?limit=1", headers=again.auth())
        assert r.status_code == 200
        count = 0
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 1000}
            if cursor:
                params["cursor"] = cursor
            page = httpx.get(
                f"{again.url}/api/v1/events", params=params, headers=again.auth()
            ).json()
            count += len(page["events"])
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert count == 2000
    finally:
        stop_server(again)


def test_serve_reports_bad_config_in_one_line(tmp_path: Path) -> None:
    cfg = tmp_path / "g.yaml"
    cfg.write_text("port: 4318\nqueue_max_events: -5\n")
    result = run_cli("serve", "--config", str(cfg), "--data-dir", str(tmp_path / "d"))
    assert result.returncode == 2
    assert f"{cfg}:2: queue_max_events" in result.stderr
    assert "Traceback" not in result.stderr
