"""Chat messages: Slack incoming-webhook JSON (with Block Kit blocks) and a Microsoft Teams
message carrying an Adaptive Card (what Teams workflows and incoming webhooks accept).

Messages carry the alert's or incident's title, severity, rule, entities and ATLAS ids, never
prompt content. Slack's mrkdwn treats ``&``, ``<`` and ``>`` as control characters, so they are
escaped; text is cut to the limits the platforms document (3,000 characters a section).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SECTION_LIMIT = 3000
SEVERITY_MARK = {"critical": "🔴", "high": "🟠", "medium": "🟡", "low": "🔵", "informational": "⚪"}


def slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int = SECTION_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def facts(kind: str, obj: Mapping[str, Any], change: str) -> list[tuple[str, str]]:
    """The (label, value) pairs a person needs to triage, in reading order."""
    out = [("Severity", str(obj.get("severity", ""))), ("Status", str(obj.get("status", "")))]
    if kind == "alert":
        out.append(("Rule", str(obj.get("rule_id", ""))))
        out.append(("Events", str(obj.get("event_count", ""))))
    else:
        out.append(("Alerts", str(obj.get("alert_count", ""))))
    entities: Mapping[str, Any] = obj.get("entities") or {}
    if isinstance(entities, Mapping):
        for key in ("app", "principal", "session_id"):
            if entities.get(key):
                out.append((key.replace("_", " ").capitalize(), str(entities[key])))
    techniques = [t.removeprefix("atlas.") for t in obj.get("tags") or () if "AML.T" in str(t)]
    techniques += [str(t) for t in obj.get("techniques") or ()]
    if techniques:
        out.append(("ATLAS", ", ".join(dict.fromkeys(techniques))))
    out.append(("Change", change))
    out.append(("Id", str(obj.get("id", ""))))
    return out


def headline(kind: str, obj: Mapping[str, Any]) -> str:
    mark = SEVERITY_MARK.get(str(obj.get("severity")), "")
    title = str(obj.get("title") or "(untitled)")
    return f"{mark} Garrison {kind}: {title}".strip()


def slack_message(kind: str, obj: Mapping[str, Any], change: str) -> dict[str, Any]:
    title = _cut(headline(kind, obj), 150)  # header blocks take at most 150 characters
    fields = [
        {"type": "mrkdwn", "text": _cut(f"*{slack_escape(k)}*\n{slack_escape(v)}", 2000)}
        for k, v in facts(kind, obj, change)
    ][:10]  # a section takes at most 10 fields
    return {
        "text": slack_escape(title),
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": title}},
            {"type": "section", "fields": fields},
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": f"tenant {slack_escape(str(obj.get('tenant', '')))}"}
                ],
            },
        ],
    }


def slack_text(title: str, text: str) -> dict[str, Any]:
    """A report or other long text: a header and the text in sections of at most 3,000."""
    chunks = [text[i : i + SECTION_LIMIT] for i in range(0, min(len(text), 45_000), SECTION_LIMIT)]
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _cut(title, 150)}}
    ]
    blocks += [
        {"type": "section", "text": {"type": "mrkdwn", "text": slack_escape(c)}} for c in chunks
    ]
    return {"text": slack_escape(_cut(title, 150)), "blocks": blocks[:50]}


def _card(body: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": body,
                },
            }
        ],
    }


def teams_message(kind: str, obj: Mapping[str, Any], change: str) -> dict[str, Any]:
    return _card(
        [
            {
                "type": "TextBlock",
                "text": headline(kind, obj),
                "weight": "Bolder",
                "size": "Medium",
                "wrap": True,
            },
            {
                "type": "FactSet",
                "facts": [{"title": k, "value": v} for k, v in facts(kind, obj, change)],
            },
        ]
    )


def teams_text(title: str, text: str) -> dict[str, Any]:
    return _card(
        [
            {
                "type": "TextBlock",
                "text": title,
                "weight": "Bolder",
                "size": "Medium",
                "wrap": True,
            },
            {"type": "TextBlock", "text": _cut(text, 20_000), "wrap": True},
        ]
    )
