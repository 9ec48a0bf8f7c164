"""The demo workload against a real local HTTP server that records what arrives.

The workload sends through the real OpenTelemetry SDK and exporter (protobuf over HTTP) and
through httpx; the server here decodes the OTLP bodies with the OTLP protobuf classes, so
every assertion is about what actually went over the wire.
"""

from __future__ import annotations

import base64
import json
import random
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from garrison.demo import WorkloadSummary, run_workload
from garrison.demo import workload as wl
from garrison.model.event import Source, event_from_dict

API_KEY = "gk_test_demo_key"
OTLP_APPS = ("support-copilot", "mail-agent", "research-agent", "code-assistant")
TAG_CHARS = re.compile("[\U000e0000-\U000e007f]")


# --- a recording server ---------------------------------------------------------------------------


@dataclass
class Recorder:
    refuse: dict[str, int] = field(default_factory=dict)  # path prefix -> status to answer
    requests: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(recorder: Recorder) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        disable_nagle_algorithm = True
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with recorder.lock:
                recorder.requests.append((self.path, dict(self.headers.items()), body))
            for prefix, status in recorder.refuse.items():
                if self.path.startswith(prefix):
                    envelope = {"error": {"code": "unauthorized", "message": "invalid API key"}}
                    self._answer(status, "application/json", json.dumps(envelope).encode())
                    return
            if self.path == "/v1/traces":
                answer = ExportTraceServiceResponse().SerializeToString()
                self._answer(200, "application/x-protobuf", answer)
            else:
                events = json.loads(body)["events"]
                reply = {"accepted": len(events), "stored": True, "ids": [e["id"] for e in events]}
                self._answer(200, "application/json", json.dumps(reply).encode())

        def _answer(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def serving(recorder: Recorder) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(recorder))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --- decoding what arrived ------------------------------------------------------------------------


@dataclass
class Span:
    service: str
    scope: str
    name: str
    trace_id: str
    span_id: str
    parent_id: str
    start_ns: int
    end_ns: int
    attributes: dict[str, Any]
    events: list[tuple[str, dict[str, Any]]]

    def text(self) -> str:
        values = [*self.attributes.values(), *(v for _, a in self.events for v in a.values())]
        return "\n".join(str(v) for v in values)


def _value(v: Any) -> Any:
    which = v.WhichOneof("value")
    if which == "array_value":
        return [_value(x) for x in v.array_value.values]
    if which == "kvlist_value":
        return {kv.key: _value(kv.value) for kv in v.kvlist_value.values}
    return getattr(v, which) if which else None


def _attrs(kvs: Any) -> dict[str, Any]:
    return {kv.key: _value(kv.value) for kv in kvs}


@dataclass
class Run:
    summary: WorkloadSummary
    spans: list[Span]
    events: list[dict[str, Any]]
    requests: list[tuple[str, dict[str, str], bytes]]
    started_ns: int
    finished_ns: int

    def app_spans(self, app: str) -> list[Span]:
        return [s for s in self.spans if s.service == app]

    def session_of(self, span: Span) -> str:
        for key in (
            "gen_ai.conversation.id",
            "session.id",
            "traceloop.association.properties.session_id",
        ):
            if key in span.attributes:
                return str(span.attributes[key])
        raise AssertionError(f"span {span.name} carries no session id")

    def session_text(self, session_id: str) -> str:
        """Every text the session sent: span attribute and event values, event contents."""
        parts = [s.text() for s in self.spans if self.session_of(s) == session_id]
        for event in self.events:
            if event["session_id"] == session_id:
                parts += [
                    event.get("content") or "",
                    (event.get("tool") or {}).get("arguments") or "",
                ]
        return "\n".join(parts)


def _decode(recorder: Recorder) -> tuple[list[Span], list[dict[str, Any]]]:
    spans: list[Span] = []
    events: list[dict[str, Any]] = []
    for path, _, body in recorder.requests:
        if path == "/v1/traces":
            request = ExportTraceServiceRequest.FromString(body)
            for rs in request.resource_spans:
                service = _attrs(rs.resource.attributes)["service.name"]
                for ss in rs.scope_spans:
                    for s in ss.spans:
                        spans.append(
                            Span(
                                service=service,
                                scope=ss.scope.name,
                                name=s.name,
                                trace_id=s.trace_id.hex(),
                                span_id=s.span_id.hex(),
                                parent_id=s.parent_span_id.hex(),
                                start_ns=s.start_time_unix_nano,
                                end_ns=s.end_time_unix_nano,
                                attributes=_attrs(s.attributes),
                                events=[(e.name, _attrs(e.attributes)) for e in s.events],
                            )
                        )
        else:
            events += json.loads(body)["events"]
    return spans, events


def _run(seed: int = 7, sessions_per_app: int = 6) -> Run:
    recorder = Recorder()
    with serving(recorder) as endpoint:
        started = time.time_ns()
        summary = run_workload(endpoint, API_KEY, seed=seed, sessions_per_app=sessions_per_app)
        finished = time.time_ns()
    spans, events = _decode(recorder)
    return Run(summary, spans, events, recorder.requests, started, finished)


@pytest.fixture(scope="module")
def run() -> Run:
    return _run()


# --- what arrived ---------------------------------------------------------------------------------


def test_every_app_reports_under_its_own_name(run: Run) -> None:
    assert {s.service for s in run.spans} == set(OTLP_APPS)
    assert {e["app"] for e in run.events} == {"hr-bot"}
    assert run.summary.apps == [*OTLP_APPS, "hr-bot"]


def test_only_the_two_ingest_routes_are_called_and_always_with_the_key(run: Run) -> None:
    assert {path for path, _, _ in run.requests} == {"/v1/traces", "/api/v1/events?wait=true"}
    for path, headers, _ in run.requests:
        lowered = {k.lower(): v for k, v in headers.items()}
        assert lowered["authorization"] == f"Bearer {API_KEY}", path
        expected = "application/x-protobuf" if path == "/v1/traces" else "application/json"
        assert lowered["content-type"].startswith(expected)


def test_summary_counts_match_what_arrived(run: Run) -> None:
    summary = run.summary
    assert summary.spans == len(run.spans)
    assert summary.rest_events == len(run.events)
    assert summary.sessions == 6 * 5
    labels = summary.sessions_by_label
    assert len(labels["attack"]) == summary.attacked_sessions
    assert len(labels["benign"]) + len(labels["attack"]) == summary.sessions
    assert not set(labels["benign"]) & set(labels["attack"])
    assert 0.2 <= summary.attacked_sessions / summary.sessions <= 0.35  # about one in four
    on_wire = {run.session_of(s) for s in run.spans} | {e["session_id"] for e in run.events}
    assert on_wire == set(labels["benign"]) | set(labels["attack"])
    traces = {s.trace_id for s in run.spans} | {e["trace_id"] for e in run.events}
    assert summary.traces
    for app, trace_id, description in summary.traces:
        assert trace_id in traces, (app, description)
        assert description


@pytest.mark.parametrize(
    ("app", "required", "absent"),
    [
        (
            "support-copilot",
            {
                "gen_ai.provider.name",
                "gen_ai.request.model",
                "gen_ai.conversation.id",
                "gen_ai.input.messages",
                "gen_ai.output.messages",
                "gen_ai.system_instructions",
                "gen_ai.retrieval.documents",
                "gen_ai.usage.input_tokens",
                "user.id",
            },
            {"gen_ai.system", "gen_ai.usage.prompt_tokens"},
        ),
        (
            "mail-agent",
            {
                "gen_ai.system",
                "gen_ai.usage.prompt_tokens",
                "gen_ai.usage.completion_tokens",
                "gen_ai.tool.name",
                "gen_ai.tool.call.id",
                "gen_ai.tool.call.arguments",
                "gen_ai.tool.call.result",
                "gen_ai.agent.name",
                "enduser.id",
            },
            {"gen_ai.provider.name", "gen_ai.usage.input_tokens"},
        ),
        (
            "research-agent",
            {
                "openinference.span.kind",
                "llm.model_name",
                "llm.provider",
                "llm.input_messages.0.message.role",
                "llm.input_messages.0.message.content",
                "llm.output_messages.0.message.role",
                "llm.output_messages.0.message.tool_calls.0.tool_call.function.name",
                "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments",
                "tool.name",
                "input.value",
                "output.value",
                "retrieval.documents.0.document.content",
                "retrieval.documents.0.document.id",
                "llm.token_count.prompt",
                "llm.token_count.completion",
                "session.id",
                "user.id",
            },
            {"gen_ai.operation.name", "gen_ai.input.messages"},
        ),
        (
            "code-assistant",
            {
                "traceloop.span.kind",
                "traceloop.entity.name",
                "traceloop.entity.input",
                "traceloop.entity.output",
                "llm.request.type",
                "gen_ai.prompt.0.role",
                "gen_ai.prompt.0.content",
                "gen_ai.completion.0.role",
                "gen_ai.completion.0.content",
                "gen_ai.completion.0.tool_calls.0.name",
                "gen_ai.completion.0.tool_calls.0.arguments",
                "traceloop.association.properties.session_id",
                "traceloop.association.properties.user_id",
                "llm.usage.total_tokens",
            },
            {"gen_ai.input.messages", "openinference.span.kind"},
        ),
    ],
)
def test_each_app_speaks_its_own_dialect(
    run: Run, app: str, required: set[str], absent: set[str]
) -> None:
    keys = {k for s in run.app_spans(app) for k in s.attributes}
    assert required <= keys, required - keys
    assert not absent & keys


def test_genai_messages_use_the_parts_format(run: Run) -> None:
    chats = [
        s
        for app in ("support-copilot", "mail-agent")
        for s in run.app_spans(app)
        if s.attributes.get("gen_ai.operation.name") == "chat"
        and "gen_ai.input.messages" in s.attributes
    ]
    assert {s.service for s in chats} == {"support-copilot", "mail-agent"}
    part_types = set()
    for span in chats:
        for key in ("gen_ai.input.messages", "gen_ai.output.messages"):
            messages = json.loads(span.attributes[key])
            assert messages
            for message in messages:
                assert message["role"] in {"system", "user", "assistant", "tool"}
                assert message["parts"]
                part_types |= {p["type"] for p in message["parts"]}
        output = json.loads(span.attributes["gen_ai.output.messages"])
        assert output[0]["finish_reason"] in {"stop", "tool_call", "tool_calls"}
    assert part_types == {"text", "tool_call", "tool_call_response"}
    support_chat = next(s for s in chats if s.service == "support-copilot")
    instructions = json.loads(support_chat.attributes["gen_ai.system_instructions"])
    assert instructions[0]["type"] == "text" and "Fernhill" in instructions[0]["content"]
    retrieval = next(
        s
        for s in run.app_spans("support-copilot")
        if s.attributes.get("gen_ai.operation.name") == "retrieval"
    )
    documents = json.loads(retrieval.attributes["gen_ai.retrieval.documents"])
    assert all({"id", "score", "content"} <= d.keys() for d in documents)


def test_mail_agent_also_uses_the_deprecated_span_events(run: Run) -> None:
    chats = [s for s in run.app_spans("mail-agent") if s.name.startswith("chat ")]
    with_events = [s for s in chats if s.events]
    with_attributes = [s for s in chats if "gen_ai.input.messages" in s.attributes]
    assert with_events and with_attributes
    assert not [s for s in with_events if "gen_ai.input.messages" in s.attributes]
    names = {name for s in with_events for name, _ in s.events}
    assert {"gen_ai.system.message", "gen_ai.user.message", "gen_ai.choice"} <= names
    for span in with_events:
        for name, attributes in span.events:
            assert attributes["gen_ai.system"] == "openai"
            if name == "gen_ai.user.message":
                assert attributes["content"]
            if name == "gen_ai.choice":
                message = json.loads(attributes["message"])
                assert message["role"] == "assistant"
                assert message.get("content") or message.get("tool_calls")
    tools = {
        s.attributes["gen_ai.tool.name"]
        for s in run.app_spans("mail-agent")
        if s.name.startswith("execute_tool")
    }
    assert tools == {"read_inbox", "search_contacts", "send_email"}


def test_span_kinds_of_the_agent_dialects(run: Run) -> None:
    oi = {s.attributes["openinference.span.kind"] for s in run.app_spans("research-agent")}
    assert oi == {"AGENT", "LLM", "TOOL", "RETRIEVER"}
    traceloop = {
        s.attributes.get("traceloop.span.kind")
        for s in run.app_spans("code-assistant")
        if "traceloop.span.kind" in s.attributes
    }
    assert traceloop == {"workflow", "task", "tool"}
    shell = [
        s
        for s in run.app_spans("code-assistant")
        if s.attributes.get("traceloop.entity.name") == "run_shell"
    ]
    assert shell
    assert all(
        "command" in json.loads(s.attributes["traceloop.entity.input"])["kwargs"] for s in shell
    )


def test_traces_are_real_trees_in_the_last_two_hours(run: Run) -> None:
    by_trace: dict[str, list[Span]] = {}
    for span in run.spans:
        by_trace.setdefault(span.trace_id, []).append(span)
    two_hours_ns = 2 * 3600 * 10**9
    depth_seen = 0
    for trace_id, spans in by_trace.items():
        ids = {s.span_id: s for s in spans}
        roots = [s for s in spans if not s.parent_id]
        assert len(roots) == 1, trace_id
        assert len({s.service for s in spans}) == 1
        for span in spans:
            assert span.start_ns < span.end_ns
            assert run.started_ns - two_hours_ns <= span.start_ns
            assert span.end_ns <= run.finished_ns
            if span.parent_id:
                parent = ids[span.parent_id]  # every parent arrived, in the same trace
                assert parent.start_ns <= span.start_ns and span.end_ns <= parent.end_ns
            depth, node = 0, span
            while node.parent_id:
                node, depth = ids[node.parent_id], depth + 1
            depth_seen = max(depth_seen, depth)
    assert depth_seen >= 2  # workflow > task > llm / tool
    # multi-turn sessions: one session spread over several traces
    traces_per_session: dict[str, set[str]] = {}
    for span in run.spans:
        traces_per_session.setdefault(run.session_of(span), set()).add(span.trace_id)
    assert max(len(t) for t in traces_per_session.values()) >= 2
    # REST events: one trace per turn, parents inside the trace
    for event in run.events:
        assert re.fullmatch("[0-9a-f]{32}", event["trace_id"])


def test_rest_events_are_valid_garrison_events(run: Run) -> None:
    kinds = set()
    for index, raw in enumerate(run.events):
        event = event_from_dict(raw, tenant="t", source=Source.API, where=f"events[{index}]")
        assert event.channel is not None
        assert event.session_id and event.principal and event.agent == "ask-hr"
        kinds.add(event.kind.value)
        if event.kind.value in ("tool_call", "tool_result"):
            assert event.tool is not None and event.tool.name and event.tool.call_id
    assert kinds == {"prompt", "completion", "tool_call", "tool_result"}
    channels = {e["channel"] for e in run.events}
    assert channels == {"system", "user", "assistant", "tool"}


def test_principals_and_the_repeat_attacker(run: Run) -> None:
    principals = {
        s.attributes.get("user.id")
        or s.attributes.get("enduser.id")
        or s.attributes.get("traceloop.association.properties.user_id")
        for s in run.spans
    } | {e["principal"] for e in run.events}
    assert None not in principals
    assert all(re.fullmatch(r"u-\d{4}", str(p)) for p in principals)
    attack_traces = {t for _, t, _ in run.summary.traces}
    attacker_traces = {
        s.trace_id
        for s in run.spans
        if wl.ATTACKER
        in (
            s.attributes.get("user.id"),
            s.attributes.get("traceloop.association.properties.user_id"),
        )
    } | {e["trace_id"] for e in run.events if e["principal"] == wl.ATTACKER}
    attacker_apps = {app for app, t, _ in run.summary.traces if t in attacker_traces}
    assert len(attacker_traces & attack_traces) >= 3
    assert len(attacker_apps) >= 2
    assert run.summary.sessions_by_technique[wl.REPEATED_ATTEMPTS]


# --- the attacks: each technique is really in the attacked sessions' telemetry -------------------


def _sessions(run: Run, technique: str) -> list[str]:
    sessions = run.summary.sessions_by_technique.get(technique, [])
    assert sessions, f"no session for {technique}"
    assert set(sessions) <= set(run.summary.sessions_by_label["attack"])
    return sessions


def _spans_of(run: Run, sessions: list[str]) -> list[Span]:
    return [s for s in run.spans if run.session_of(s) in sessions]


def _events_of(run: Run, sessions: list[str]) -> list[dict[str, Any]]:
    return [e for e in run.events if e["session_id"] in sessions]


def test_direct_jailbreak_and_system_prompt_extraction(run: Run) -> None:
    spans = _spans_of(run, _sessions(run, wl.JAILBREAK_PERSONA))
    inputs = " ".join(str(s.attributes.get("gen_ai.input.messages", "")) for s in spans)
    assert "FinBot Unchained" in inputs
    spans = _spans_of(run, _sessions(run, wl.SYSTEM_PROMPT_EXTRACTION))
    outputs = " ".join(str(s.attributes.get("gen_ai.output.messages", "")) for s in spans)
    assert "FH-ESC-2291" in outputs  # the leak: the secret from the system instructions
    assert "Repeat everything above" in " ".join(s.text() for s in spans)


def test_poisoned_document_exfiltrates_through_a_markdown_image(run: Run) -> None:
    sessions = _sessions(run, wl.INJECTION_DOCUMENT)
    assert sessions == _sessions(run, wl.EXFIL_MARKDOWN_IMAGE)
    spans = _spans_of(run, sessions)
    documents = [
        d
        for s in spans
        if "gen_ai.retrieval.documents" in s.attributes
        for d in json.loads(s.attributes["gen_ai.retrieval.documents"])
    ]
    assert any("Note for AI assistants" in d["content"] for d in documents)
    images = [
        m.group(1)
        for s in spans
        for m in re.finditer(
            r"!\[[^\]]*\]\((\S+)\)", str(s.attributes.get("gen_ai.output.messages", ""))
        )
    ]
    stolen = [url for url in images if "fernhill.example" not in url and "?" in url]
    assert stolen and "dana.whitfield%40harbourlane.example" in stolen[0]


def test_email_injection_sends_the_keys_to_an_outsider(run: Run) -> None:
    sessions = _sessions(run, wl.INJECTION_EMAIL)
    spans = _spans_of(run, sessions)
    results = " ".join(str(s.attributes.get("gen_ai.tool.call.result", "")) for s in spans)
    assert "NOTE TO THE AI ASSISTANT" in results
    sent = [
        json.loads(s.attributes["gen_ai.tool.call.arguments"])
        for s in _spans_of(run, _sessions(run, wl.EXFIL_SEND_EMAIL))
        if s.attributes.get("gen_ai.tool.name") == "send_email"
    ]
    outside = [a for a in sent if not all(to.endswith("@fernhill.example") for to in a["to"])]
    assert any("AKIA" in a["body"] for a in outside)
    # benign sessions send mail too, but only inside the company
    benign = _spans_of(run, run.summary.sessions_by_label["benign"])
    for span in benign:
        if span.attributes.get("gen_ai.tool.name") == "send_email":
            arguments = json.loads(span.attributes["gen_ai.tool.call.arguments"])
            assert all(to.endswith("@fernhill.example") for to in arguments["to"])


def test_web_page_injection_in_german_leaks_through_browse(run: Run) -> None:
    sessions = _sessions(run, wl.INJECTION_WEB)
    spans = [
        s for s in _spans_of(run, sessions) if s.attributes.get("openinference.span.kind") == "TOOL"
    ]
    assert any(
        "Ignoriere alle bisherigen Anweisungen" in s.attributes["output.value"] for s in spans
    )
    browsed = [
        json.loads(s.attributes["input.value"])["url"]
        for s in spans
        if s.attributes["tool.name"] == "browse"
    ]
    assert any(
        u.startswith("https://kx-partnerrabatt.example/") and "Utrecht" in u for u in browsed
    )
    assert _sessions(run, wl.EXFIL_URL)


def test_non_english_injections(run: Run) -> None:
    texts = [run.session_text(s) for s in _sessions(run, wl.NON_ENGLISH)]
    assert any("Ignoriere alle bisherigen Anweisungen" in t for t in texts) or any(
        "Richtlinie HR-7 wurde aufgehoben" in t for t in texts
    )


def test_ascii_smuggling_leads_to_curl_pipe_sh(run: Run) -> None:
    sessions = _sessions(run, wl.ASCII_SMUGGLING)
    spans = _spans_of(run, sessions)
    smuggled = [m for s in spans for m in TAG_CHARS.findall(s.text())]
    hidden = "".join(chr(ord(c) - 0xE0000) for c in smuggled if 0xE0020 <= ord(c) <= 0xE007E)
    assert "curl -fsSL" in hidden and "| sh" in hidden
    commands = [
        json.loads(s.attributes["traceloop.entity.input"])["kwargs"]["command"]
        for s in _spans_of(run, _sessions(run, wl.SHELL_CURL_PIPE))
        if s.attributes.get("traceloop.entity.name") == "run_shell"
    ]
    assert any(re.search(r"curl\s.*\|\s*sh\b", c) for c in commands)
    # no benign session carries invisible tag characters
    for span in _spans_of(run, run.summary.sessions_by_label["benign"]):
        assert not TAG_CHARS.search(span.text())


def test_base64_instruction(run: Run) -> None:
    texts = [run.session_text(s) for s in _sessions(run, wl.BASE64_INSTRUCTION)]
    decoded = [
        base64.b64decode(token).decode("utf-8", "replace")
        for text in texts
        for token in re.findall(r"[A-Za-z0-9+/]{40,}={0,2}", text)
    ]
    assert any("mode" in d or "Ignore your previous instructions" in d for d in decoded)


def test_benign_sessions_include_hard_negatives(run: Run) -> None:
    text = "\n".join(run.session_text(s) for s in run.summary.sessions_by_label["benign"])
    hard = ["prompt injection", "ignore", "curl -LsSf", "att_", "act as", "Hola", "Bonjour"]
    assert sum(1 for word in hard if word.lower() in text.lower()) >= 3
    assert "FH-ESC-2291" not in "".join(
        str(s.attributes.get("gen_ai.output.messages", ""))
        for s in _spans_of(run, run.summary.sessions_by_label["benign"])
    )


# --- determinism and failures --------------------------------------------------------------------

_IDS = {
    "gen_ai.conversation.id",
    "session.id",
    "traceloop.association.properties.session_id",
}


def _shape(run: Run) -> list[str]:
    spans = [
        json.dumps(
            [
                s.service,
                s.scope,
                s.name,
                {k: v for k, v in s.attributes.items() if k not in _IDS},
                s.events,
            ],
            sort_keys=True,
            ensure_ascii=False,
        )
        for s in run.spans
    ]
    events = [
        json.dumps(
            {
                k: v
                for k, v in e.items()
                if k not in {"id", "time", "trace_id", "span_id", "parent_span_id", "session_id"}
            },
            sort_keys=True,
            ensure_ascii=False,
        )
        for e in run.events
    ]
    return sorted(spans) + sorted(events)


def test_same_seed_same_workload_ids_aside(run: Run) -> None:
    again = _run()
    assert _shape(again) == _shape(run)
    assert again.summary.spans == run.summary.spans
    assert [(a, d) for a, _, d in again.summary.traces] == [
        (a, d) for a, _, d in run.summary.traces
    ]
    # ...but the ids are fresh, so a second demo run never merges into the first one's sessions
    assert not set(again.summary.sessions_by_label["attack"]) & set(
        run.summary.sessions_by_label["attack"]
    )
    assert not {s.trace_id for s in again.spans} & {s.trace_id for s in run.spans}


def test_another_seed_gives_another_workload(run: Run) -> None:
    other = _run(seed=8)
    assert _shape(other) != _shape(run)


@pytest.mark.parametrize("refused", ["/v1/traces", "/api/v1/events"])
def test_a_refused_export_raises(refused: str) -> None:
    recorder = Recorder(refuse={refused: 401})
    with serving(recorder) as endpoint, pytest.raises(RuntimeError, match="401") as caught:
        run_workload(endpoint, API_KEY, sessions_per_app=2, timeout_s=5)
    assert API_KEY not in str(caught.value)
    assert "API key" in str(caught.value)


def test_an_unreachable_endpoint_raises() -> None:
    with serving(Recorder()) as endpoint:
        pass  # the server is gone: nothing listens on that port any more
    with pytest.raises(RuntimeError):
        run_workload(endpoint, API_KEY, sessions_per_app=1, timeout_s=2)


@pytest.mark.parametrize("endpoint", ["127.0.0.1:4318", "ftp://example"])
def test_a_malformed_endpoint_is_rejected(endpoint: str) -> None:
    with pytest.raises(ValueError, match="endpoint"):
        run_workload(endpoint, API_KEY)


def test_a_small_run_still_attacks_and_stays_mostly_benign() -> None:
    small = _run(sessions_per_app=1)
    assert small.summary.sessions == 5
    assert small.summary.attacked_sessions == 1


def test_a_large_run_uses_every_script_and_technique() -> None:
    big = _run(sessions_per_app=12)
    assert set(big.summary.sessions_by_technique) == set(wl.TECHNIQUES)
    notes = {d for _, _, d in big.summary.traces}
    every_attack_turn = {
        turn.attack
        for _, builder in wl._ATTACKS
        for turn in builder(wl._CUSTOMERS[0], random.Random(0)).turns
        if turn.attack
    }
    assert notes == every_attack_turn
    assert big.summary.attacked_sessions == 15


@pytest.mark.e2e
def test_a_real_garrison_accepts_and_stores_the_whole_workload(server: Any) -> None:
    summary = run_workload(server.url, server.key, sessions_per_app=3)
    deadline = time.monotonic() + 30
    pending = {trace_id for _, trace_id, _ in summary.traces}
    while pending and time.monotonic() < deadline:
        for trace_id in sorted(pending):
            r = httpx.get(f"{server.url}/api/v1/traces/{trace_id}", headers=server.auth())
            if r.status_code == 200:
                pending.discard(trace_id)
        time.sleep(0.1)
    assert not pending, server.log_text()
    events = server.wait_stored(summary.rest_events)
    stored_apps = set()
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 1000, **({"cursor": cursor} if cursor else {})}
        page = httpx.get(f"{server.url}/api/v1/events", params=params, headers=server.auth())
        page.raise_for_status()
        stored_apps |= {e["app"] for e in page.json()["events"]}
        cursor = page.json()["next_cursor"]
        if not cursor:
            break
    assert events
    assert stored_apps == set(summary.apps)
