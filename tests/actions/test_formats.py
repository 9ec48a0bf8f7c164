"""Pure formats: OCSF Detection Finding, CEF and syslog framing, chat messages, signatures."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import pytest

from garrison.actions import chat, ocsf, syslog
from garrison.actions.webhooks import sign, signed_headers, verify

ALERT: dict[str, Any] = {
    "id": "0190a000-0000-7000-8000-000000000001",
    "tenant": "acme",
    "rule_id": "garrison.prompt_injection",
    "rule_version": "2",
    "title": "Prompt injection | ignore previous = bad",
    "severity": "high",
    "status": "new",
    "dedup_key": "k",
    "first_seen": "2026-11-20T10:00:00Z",
    "last_seen": "2026-11-20T10:05:00Z",
    "event_count": 3,
    "event_ids": ["e1", "e2", "e3"],
    "entities": {"app": "chatbot", "principal": "user-7", "session_id": "s-1"},
    "tags": ["atlas.AML.T0051.000", "atlas.AML.T0054", "owasp-llm-2025.LLM01", "attack.t1059"],
    "evidence": {"snippet": "SECRET PROMPT TEXT"},
    "assignee": None,
    "version": 1,
    "created_at": "2026-11-20T10:00:01Z",
    "updated_at": "2026-11-20T10:05:01Z",
}

# Required attributes of OCSF 1.8 Detection Finding (class 2004) and of its objects.
REQUIRED = (
    "activity_id",
    "category_uid",
    "class_uid",
    "finding_info",
    "metadata",
    "severity_id",
    "time",
    "type_uid",
)


def check_detection_finding(f: dict[str, Any]) -> None:
    for name in REQUIRED:
        assert name in f, name
    assert f["class_uid"] == 2004 and f["category_uid"] == 2
    assert f["type_uid"] == 2004 * 100 + f["activity_id"]
    assert f["severity_id"] in (0, 1, 2, 3, 4, 5, 6, 99)
    assert isinstance(f["time"], int) and f["time"] > 0
    assert {"product", "version"} <= set(f["metadata"])
    assert f["metadata"]["product"]["name"]
    assert f["finding_info"]["uid"]
    for attack in f["finding_info"].get("attacks", []):
        assert {"tactic", "technique", "sub_technique"} & set(attack)


def test_alert_maps_to_a_valid_detection_finding() -> None:
    f = ocsf.detection_finding(ALERT)
    check_detection_finding(f)
    assert (f["activity_id"], f["type_uid"], f["severity_id"], f["status_id"]) == (1, 200401, 4, 1)
    assert f["time"] == 1795169100000  # last_seen (2026-11-20T10:05:00Z) in ms
    info = f["finding_info"]
    assert info["uid"] == ALERT["id"] and info["title"] == ALERT["title"]
    assert info["created_time"] == 1795168801000
    assert info["analytic"] == {
        "uid": "garrison.prompt_injection",
        "name": ALERT["title"],
        "type_id": 1,
        "type": "Rule",
        "version": "2",
    }
    assert info["types"] == ["LLM01:2025"]
    by_uid = {
        (a["technique"]["uid"], a.get("sub_technique", {}).get("uid")) for a in info["attacks"]
    }
    assert ("AML.T0051", "AML.T0051.000") in by_uid and ("AML.T0054", None) in by_uid
    for attack in info["attacks"]:
        assert attack["tactic"]["uid"].startswith("AML.TA") and attack["tactic"]["name"]
        assert attack["version"].startswith("ATLAS ")
    assert f["actor"] == {"user": {"uid": "user-7"}, "session": {"uid": "s-1"}}
    assert f["resources"] == [{"type": "AI Application", "name": "chatbot"}]
    assert "SECRET PROMPT TEXT" not in str(f)  # evidence never leaves


@pytest.mark.parametrize(
    ("status", "version", "activity", "status_id"),
    [("new", 1, 1, 1), ("triaged", 2, 2, 2), ("resolved", 3, 3, 4), ("false_positive", 3, 3, 4)],
)
def test_lifecycle_maps_to_activity_and_status(
    status: str, version: int, activity: int, status_id: int
) -> None:
    f = ocsf.detection_finding({**ALERT, "status": status, "version": version})
    assert (f["activity_id"], f["type_uid"], f["status_id"]) == (
        activity,
        200400 + activity,
        status_id,
    )


def test_cef_line_escapes_header_and_extensions() -> None:
    line = syslog.cef_line({**ALERT, "entities": {**ALERT["entities"], "app": "a=b\\c\nd"}})
    assert line.startswith("CEF:0|Garrison|Garrison|")
    head = line.split("|")
    assert head[4] == "garrison.prompt_injection"
    assert "Prompt injection \\| ignore previous = bad" in line  # | escaped, = left in header
    assert "cs1Label=app cs1=a\\=b\\\\c\\nd" in line
    assert "suser=user-7" in line and "cnt=3" in line and "cs5=LLM01:2025" in line
    assert f"externalId={ALERT['id']}" in line
    assert "|8|" in line  # high → CEF 8


def test_syslog_frame_and_octet_counting() -> None:
    from datetime import UTC, datetime

    msg = syslog.frame(
        "CEF:0|x",
        severity="critical",
        facility=10,
        app_name="garrison",
        now=datetime(2026, 11, 20, 10, 0, tzinfo=UTC),
    )
    text = msg.decode()
    assert text.startswith("<82>1 2026-11-20T10:00:00.000000Z ")  # 10*8 + 2
    assert text.endswith(" garrison - alert - CEF:0|x")
    assert syslog.octet_counted(msg) == str(len(msg)).encode() + b" " + msg


def test_slack_and_teams_messages() -> None:
    s = chat.slack_message("alert", {**ALERT, "title": "a <b> & c"}, "created")
    assert s["text"].endswith("a &lt;b&gt; &amp; c")
    assert [b["type"] for b in s["blocks"]] == ["header", "section", "context"]
    assert len(s["blocks"][1]["fields"]) <= 10
    t = chat.teams_message("alert", ALERT, "created")
    card = t["attachments"][0]
    assert t["type"] == "message"
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["content"]["type"] == "AdaptiveCard"
    facts = {f["title"]: f["value"] for f in card["content"]["body"][1]["facts"]}
    assert facts["Severity"] == "high" and facts["Principal"] == "user-7"
    assert "AML.T0051.000" in facts["ATLAS"]


def test_signature_matches_a_plain_hmac_and_verifies() -> None:
    body = b'{"a":1}'
    expected = hmac.new(b"k", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert sign("k", 1700000000, body) == "v1=" + expected
    h = signed_headers("k", body, now=1700000000)
    assert verify("k", body, h["X-Garrison-Timestamp"], h["X-Garrison-Signature"], now=1700000100)
    assert not verify(
        "k", body + b" ", h["X-Garrison-Timestamp"], h["X-Garrison-Signature"], now=1700000100
    )
    assert not verify(
        "other", body, h["X-Garrison-Timestamp"], h["X-Garrison-Signature"], now=1700000100
    )
    assert not verify(
        "k", body, h["X-Garrison-Timestamp"], h["X-Garrison-Signature"], now=1700000000 + 301
    )  # stale: a replay
