"""``POST /api/v1/scan`` and ``/api/v1/blocks`` over the real app (DuckDB file, real keys)."""

from __future__ import annotations

import time

from tests.web.conftest import Api, api  # noqa: F401 (fixture)

AWS = "AKIAIOSFODNN7EXAMPLE"


def test_scan_input_output_and_tool_call(api: Api) -> None:  # noqa: F811
    c = api.client
    r = c.post(
        "/api/v1/scan",
        headers=api.h("acme_ingest"),
        json={
            "messages": [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": f"save {AWS}"},
            ],
            "principal": "u-1",
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["action"] == "redact" and not body["blocked"]
    assert AWS not in body["messages"][1]["content"]
    assert body["exchange"]["vault"] == {"[SECRET_AWS_ACCESS_KEY_1]": AWS}
    assert body["attributes"]["gen_ai.guardrail.verdict.type"] == "modify"
    canary = body["exchange"]["canaries"][0]
    out = c.post(
        "/api/v1/scan",
        headers=api.h("acme_ingest"),
        json={"direction": "output", "text": "Saved [SECRET_AWS_ACCESS_KEY_1].",
              "exchange": body["exchange"]},
    ).json()  # fmt: skip
    assert out["text"] == f"Saved {AWS}." and out["action"] == "allow"
    leak = c.post(
        "/api/v1/scan",
        headers=api.h("acme_ingest"),
        json={"direction": "output", "text": f"rules {canary}", "exchange": body["exchange"]},
    ).json()
    assert leak["blocked"] and leak["codes"] == ["canary.canary_leak"]
    tool = c.post(
        "/api/v1/scan",
        headers=api.h("acme_ingest"),
        json={
            "direction": "tool_call",
            "tool_call": {"name": "send_email", "arguments": {"to": "a@b.example", "body": AWS}},
        },
    ).json()
    assert tool["blocked"] and tool["codes"] == ["flow.secrets_to_egress"]


def test_scan_errors_and_scopes(api: Api) -> None:  # noqa: F811
    c = api.client
    r = c.post("/api/v1/scan", headers=api.h("acme_read"), json={"text": "hi"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    r = c.post("/api/v1/scan", headers=api.h("acme_ingest"), json={"messages": [{"role": "bot"}]})
    assert r.status_code == 422 and "messages[0].role" in r.json()["error"]["message"]
    r = c.post("/api/v1/scan", headers=api.h("acme_ingest"), json={"direction": "input"})
    assert r.status_code == 422
    r = c.post("/api/v1/scan", headers=api.h("acme_ingest"), json={"direction": "sideways"})
    assert r.status_code == 422
    r = c.post("/api/v1/scan", json={"text": "hi"})
    assert r.status_code == 401


def test_blocks_rest_and_gate(api: Api) -> None:  # noqa: F811
    c = api.client
    r = c.post(
        "/api/v1/blocks",
        headers=api.h("acme_ingest"),
        json={"kind": "principal", "value": "mallory", "reason": "probing"},
    )
    assert r.status_code == 403
    r = c.post(
        "/api/v1/blocks",
        headers=api.h("acme"),
        json={"kind": "principal", "value": "mallory", "reason": "probing", "duration_s": 600},
    )
    assert r.status_code == 201, r.text
    block = r.json()
    assert block["active"] and block["kind"] == "principal"
    listed = c.get("/api/v1/blocks", headers=api.h("acme_read")).json()["blocks"]
    assert [b["id"] for b in listed] == [block["id"]]
    assert c.get("/api/v1/blocks", headers=api.h("globex")).json()["blocks"] == []
    gate = c.post(
        "/api/v1/scan",
        headers=api.h("acme_ingest"),
        json={"text": "hello", "principal": "mallory"},
    ).json()
    assert gate["blocked"] and gate["codes"] == ["response.principal_blocked"]
    r = c.delete(f"/api/v1/blocks/{block['id']}", headers=api.h("globex"))
    assert r.status_code == 404
    r = c.delete(f"/api/v1/blocks/{block['id']}", headers=api.h("acme"))
    assert r.status_code == 200 and r.json()["active"] is False
    assert c.delete(f"/api/v1/blocks/{block['id']}", headers=api.h("acme")).status_code == 409
    time.sleep(0.01)
    ok = c.post(
        "/api/v1/scan", headers=api.h("acme_ingest"), json={"text": "hello", "principal": "mallory"}
    ).json()
    assert not ok["blocked"]
    r = c.post(
        "/api/v1/blocks",
        headers=api.h("acme"),
        json={"kind": "ip", "value": "x", "reason": "r"},
    )
    assert r.status_code == 422
