"""The events API over a real DuckDB file: ingest, read back, filters, cursors, tenancy, auth."""

from __future__ import annotations

import gzip
import uuid
from typing import Any

import orjson
import pytest

from tests.web.conftest import Api

TRACE = "5b8efff798038103d269b633813fc60c"


def event(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "kind": "prompt",
        "app": "support-copilot",
        "time": "2026-11-20T10:00:00Z",
        "channel": "user",
        "role": "user",
        "content": "How do I reset my password?",
    }
    base.update(fields)
    return base


def post(api: Api, events: list[dict[str, Any]], who: str = "acme", wait: bool = True) -> Any:
    return api.client.post(
        "/api/v1/events" + ("?wait=true" if wait else ""),
        content=orjson.dumps({"events": events}),
        headers=api.h(who, **{"Content-Type": "application/json"}),
    )


def list_events(api: Api, who: str = "acme", **params: Any) -> dict[str, Any]:
    r = api.client.get("/api/v1/events", params=params, headers=api.h(who))
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_round_trip_keeps_every_field(api: Api) -> None:
    sent = event(
        id=str(uuid.uuid4()),
        trace_id=TRACE.upper(),
        span_id="eee19b7ec3c1b174",
        session_id="conv-1",
        principal="u-1042",
        agent="helper",
        provider="openai",
        model="gpt-4o",
        operation="chat",
        kind="tool_call",
        channel="assistant",
        tool={"name": "send_email", "call_id": "call_1", "arguments": {"to": "a@b.example"}},
        usage={"input_tokens": 12, "output_tokens": 3},
        latency_ms=12.5,
        attributes={"gen_ai.request.temperature": 0.2},
        custom_field="kept",
    )
    r = post(api, [sent])
    assert r.status_code == 200, r.text
    assert r.json()["accepted"] == 1
    [got] = list_events(api)["events"]
    assert got["id"] == sent["id"]
    assert got["tenant"] == "acme"
    assert got["source"] == "api"
    assert got["trace_id"] == TRACE  # normalized to lowercase
    assert got["tool"] == {
        "name": "send_email",
        "call_id": "call_1",
        "arguments": '{"to":"a@b.example"}',
    }
    assert got["usage"] == {"input_tokens": 12, "output_tokens": 3}
    assert got["attributes"] == {"gen_ai.request.temperature": 0.2, "custom_field": "kept"}
    assert got["time"] == "2026-11-20T10:00:00Z"


def test_same_batch_twice_stores_one_copy(api: Api) -> None:
    batch = [event(id=str(uuid.uuid4()), content=f"q{i}") for i in range(5)]
    assert post(api, batch).status_code == 200
    assert post(api, batch).status_code == 200
    assert len(list_events(api)["events"]) == 5


def test_one_invalid_event_rejects_the_whole_batch(api: Api) -> None:
    batch = [event(), event(), event(kind="nonsense"), event()]
    r = post(api, batch)
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "validation_failed"
    assert err["details"]["index"] == 2
    assert err["details"]["field"] == "kind"
    assert list_events(api)["events"] == []


@pytest.mark.parametrize(
    ("body", "ctype", "status", "code"),
    [
        (b"{not json", "application/json", 400, "malformed_payload"),
        (b'"a string"', "application/json", 422, "validation_failed"),
        (b'{"events": {"kind": "prompt"}}', "application/json", 422, "validation_failed"),
        (b'[{"kind": "prompt", "trace_id": "xyz"}]', "application/json", 422, "validation_failed"),
        (b'[{"kind": "prompt", "time": "soon"}]', "application/json", 422, "validation_failed"),
        (b'[{"kind": "prompt", "usage": {"input_tokens": -1}}]', "application/json", 422,
         "validation_failed"),
        (b"[]", "text/plain", 415, "unsupported_media_type"),
        (b"\xff\xfe\x00garbage", "application/json", 400, "malformed_payload"),
    ],
)  # fmt: skip
def test_bad_bodies_get_precise_errors(
    api: Api, body: bytes, ctype: str, status: int, code: str
) -> None:
    r = api.client.post("/api/v1/events", content=body, headers=api.h(**{"Content-Type": ctype}))
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code
    assert set(r.json()["error"]) == {"code", "message", "details"}


def test_filters(api: Api) -> None:
    batch = [
        event(app="a1", session_id="s1", principal="p1", kind="prompt", trace_id=TRACE,
              time="2026-11-20T10:00:00Z"),
        event(app="a1", session_id="s1", principal="p1", kind="completion", trace_id=TRACE,
              time="2026-11-20T10:00:01Z", channel="assistant"),
        event(app="a2", session_id="s2", principal="p2", kind="tool_call",
              time="2026-11-20T11:00:00Z"),
        event(app="a2", session_id="s2", principal="p2", kind="retrieval",
              time="2026-11-20T12:00:00Z", channel="retrieval"),
    ]  # fmt: skip
    assert post(api, batch).status_code == 200
    assert len(list_events(api, app="a1")["events"]) == 2
    assert len(list_events(api, session_id="s2")["events"]) == 2
    assert len(list_events(api, trace_id=TRACE.upper())["events"]) == 2
    assert len(list_events(api, principal="p2")["events"]) == 2
    assert [e["kind"] for e in list_events(api, kind="tool_call,retrieval")["events"]] == [
        "tool_call",
        "retrieval",
    ]
    window = list_events(api, since="2026-11-20T10:00:01Z", until="2026-11-20T12:00:00Z")
    assert [e["kind"] for e in window["events"]] == ["completion", "tool_call"]
    r = api.client.get("/api/v1/events", params={"kind": "bogus"}, headers=api.h())
    assert r.status_code == 422 and r.json()["error"]["details"]["field"] == "kind"


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_cursor_pagination_visits_every_event_once(api: Api, order: str) -> None:
    batch = [event(content=f"m{i}", time=f"2026-11-20T10:00:{i % 7:02d}Z") for i in range(23)]
    assert post(api, batch).status_code == 200
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 5, "order": order}
    pages = 0
    while True:
        page = list_events(api, **params)
        pages += 1
        seen += [e["id"] for e in page["events"]]
        if not page["next_cursor"]:
            break
        params["cursor"] = page["next_cursor"]
    assert pages == 5
    assert len(seen) == len(set(seen)) == 23
    times = [e["time"] for e in list_events(api, limit=100, order=order)["events"]]
    assert times == sorted(times, reverse=order == "desc")
    bad = api.client.get("/api/v1/events", params={"cursor": "!!"}, headers=api.h())
    assert bad.status_code == 422


def test_trace_and_session_views(api: Api) -> None:
    batch = [
        event(trace_id=TRACE, session_id="conv-9", time="2026-11-20T10:00:02Z", kind="completion"),
        event(trace_id=TRACE, session_id="conv-9", time="2026-11-20T10:00:01Z"),
        event(session_id="conv-9", time="2026-11-20T10:05:00Z"),
    ]
    assert post(api, batch).status_code == 200
    r = api.client.get(f"/api/v1/traces/{TRACE}", headers=api.h())
    assert r.status_code == 200
    body = r.json()
    assert body["trace_id"] == TRACE
    assert [e["kind"] for e in body["events"]] == ["prompt", "completion"]
    s = api.client.get("/api/v1/sessions/conv-9", headers=api.h()).json()
    assert len(s["events"]) == 3 and s["traces"] == [TRACE]
    assert [e["time"] for e in s["events"]] == sorted(e["time"] for e in s["events"])


def test_tenants_never_see_each_other(api: Api) -> None:
    assert (
        post(api, [event(trace_id=TRACE, session_id="secret-conv")], who="acme").status_code == 200
    )
    assert list_events(api, who="globex")["events"] == []
    for path in (f"/api/v1/traces/{TRACE}", "/api/v1/sessions/secret-conv"):
        r = api.client.get(path, headers=api.h("globex"))
        assert r.status_code == 404
        assert r.json()["error"]["code"] == "not_found"
        assert api.client.get(path, headers=api.h("acme")).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/events"),
        ("POST", "/api/v1/events"),
        ("GET", f"/api/v1/traces/{TRACE}"),
        ("GET", "/api/v1/sessions/x"),
        ("POST", "/v1/traces"),
        ("POST", "/v1/logs"),
        ("POST", "/v1/metrics"),
        ("POST", "/api/v1/keys"),
    ],
)
@pytest.mark.parametrize(
    ("header", "status"),
    [
        (None, 401),
        ("Bearer gsk_0000000000000000_" + "a" * 43, 401),
        ("Bearer not-a-key", 401),
        ("Basic dXNlcjpwYXNz", 401),
    ],
)
def test_every_route_needs_a_key(
    api: Api, method: str, path: str, header: str | None, status: int
) -> None:
    headers = {"Authorization": header} if header else {}
    r = api.client.request(method, path, headers=headers, content=b"{}")
    assert r.status_code == status
    assert r.json()["error"]["code"] == "unauthenticated"
    assert r.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    ("who", "method", "path", "needed"),
    [
        ("acme_read", "POST", "/api/v1/events", "ingest"),
        ("acme_read", "POST", "/v1/traces", "ingest"),
        ("acme_ingest", "GET", "/api/v1/events", "read"),
        ("acme_ingest", "GET", f"/api/v1/traces/{TRACE}", "read"),
        ("acme_read", "POST", "/api/v1/keys", "admin"),
    ],
)
def test_missing_scope_is_403(api: Api, who: str, method: str, path: str, needed: str) -> None:
    r = api.client.request(method, path, headers=api.h(who), content=b"[]")
    assert r.status_code == 403
    assert r.json()["error"] == {
        "code": "forbidden",
        "message": f"this API key lacks the {needed!r} scope",
        "details": {"required_scope": needed},
    }


def test_health_needs_no_key_and_unknown_routes_use_the_envelope(api: Api) -> None:
    assert api.client.get("/healthz").json()["status"] == "ok"
    ready = api.client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["store"]["backend"] == "duckdb"
    r = api.client.get("/nope")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = api.client.delete("/healthz")
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"
    assert api.client.get("/docs").status_code == 200
    spec = api.client.get("/openapi.json").json()
    assert {"/v1/traces", "/v1/logs", "/api/v1/events", "/api/v1/traces/{trace_id}"} <= set(
        spec["paths"]
    )


def test_limits_on_query_parameters(api: Api) -> None:
    r = api.client.get("/api/v1/events", params={"limit": 5000}, headers=api.h())
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_failed"
    r = api.client.get("/api/v1/events", params={"since": "last tuesday"}, headers=api.h())
    assert r.status_code == 422 and r.json()["error"]["details"]["field"] == "since"


def test_gzip_body_is_accepted(api: Api) -> None:
    body = gzip.compress(orjson.dumps([event(content="compressed")]))
    r = api.client.post(
        "/api/v1/events?wait=true",
        content=body,
        headers=api.h(**{"Content-Type": "application/json", "Content-Encoding": "gzip"}),
    )
    assert r.status_code == 200, r.text
    assert list_events(api)["events"][0]["content"] == "compressed"


def test_admin_creates_keys_for_its_own_tenant_only(api: Api) -> None:
    r = api.client.post("/api/v1/keys", json={"scopes": "read"}, headers=api.h())
    assert r.status_code == 201
    created = r.json()
    assert created["tenant"] == "acme" and created["scopes"] == ["read"]
    assert list_events(api, who="acme")["events"] == []
    probe = api.client.get(
        "/api/v1/events", headers={"Authorization": f"Bearer {created['token']}"}
    )
    assert probe.status_code == 200
    bad = api.client.post("/api/v1/keys", json={"scopes": "root"}, headers=api.h())
    assert bad.status_code == 422


def test_metrics_are_validated_then_discarded(api: Api) -> None:
    from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
        ExportMetricsServiceRequest,
    )

    h = api.h(**{"Content-Type": "application/x-protobuf"})
    ok = api.client.post(
        "/v1/metrics", content=ExportMetricsServiceRequest().SerializeToString(), headers=h
    )
    assert ok.status_code == 200 and ok.headers["content-type"] == "application/x-protobuf"
    bad = api.client.post("/v1/metrics", content=b"\xff\xff", headers=h)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "malformed_payload"
    j = api.client.post(
        "/v1/metrics",
        content=b'{"resourceMetrics": []}',
        headers=api.h(**{"Content-Type": "application/json"}),
    )
    assert j.status_code == 200 and j.json() == {}
    assert list_events(api)["events"] == []
