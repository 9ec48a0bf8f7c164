"""Alerts as OCSF Detection Findings (class 2004), the shape SIEMs and data lakes ingest.

A pure mapping from an alert as the API shows it (``Alert.to_dict()``, or the ``object`` of a
response change) to one OCSF event: severity, status and lifecycle activity, the rule as the
analytic, ATLAS techniques and tactics from the bundled catalogue in ``finding_info.attacks``,
OWASP ids in ``finding_info.types``, and the entities as actor and resources. It must never put
prompt content or evidence snippets into a finding: a SIEM is a wider audience than Garrison.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from garrison import __version__
from garrison.intel.catalog import atlas, owasp

OCSF_VERSION = "1.8.0"
CLASS_UID = 2004
CATEGORY_UID = 2

SEVERITY_ID = {"informational": 1, "low": 2, "medium": 3, "high": 4, "critical": 5}
# Finding status_id: 1 New, 2 In Progress, 4 Resolved (a false positive is resolved, with detail).
STATUS_ID = {"new": 1, "triaged": 2, "in_progress": 2, "resolved": 4, "false_positive": 4}
STATUS_NAME = {1: "New", 2: "In Progress", 4: "Resolved"}
ACTIVITY = {1: "Create", 2: "Update", 3: "Close"}


def _ms(text: str | None) -> int | None:
    if not text:
        return None
    t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return int(t.timestamp() * 1000)


def attacks(tags: list[str]) -> list[dict[str, Any]]:
    """One OCSF ``attack`` per (technique, tactic) an ``atlas.`` tag names, in tag order;
    a sub-technique is reported under its parent technique. Unknown ids are skipped."""
    cat = atlas()
    version = f"ATLAS {cat.version}"
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for tag in tags:
        if not tag.startswith("atlas."):
            continue
        ident = tag.removeprefix("atlas.")
        if ident in cat.tactics:
            tactic = cat.tactics[ident]
            if ("", tactic.id) not in seen:
                seen.add(("", tactic.id))
                out.append({"version": version, "tactic": {"uid": tactic.id, "name": tactic.name}})
            continue
        tech = cat.techniques.get(ident)
        if tech is None:
            continue
        parent = cat.techniques.get(tech.parent) if tech.parent else None
        for tactic_id in tech.tactics or ("",):
            if (tech.id, tactic_id) in seen:
                continue
            seen.add((tech.id, tactic_id))
            attack: dict[str, Any] = {"version": version}
            top = parent or tech
            attack["technique"] = {"uid": top.id, "name": top.name}
            if parent is not None:
                attack["sub_technique"] = {"uid": tech.id, "name": tech.name}
            tactic_obj = cat.tactics.get(tactic_id)
            if tactic_obj is not None:
                attack["tactic"] = {"uid": tactic_obj.id, "name": tactic_obj.name}
            out.append(attack)
    return out


def owasp_types(tags: list[str]) -> list[str]:
    """OWASP ids as OWASP writes them (``LLM01:2025``, ``ASI01:2026``) for the known tags."""
    editions = owasp()
    out: list[str] = []
    for tag in tags:
        namespace, _, ident = tag.partition(".")
        edition = editions.get(namespace)
        if edition is not None and ident in edition.entries:
            label = edition.entries[ident].label
            if label not in out:
                out.append(label)
    return out


def detection_finding(alert: Mapping[str, Any]) -> dict[str, Any]:
    """The OCSF Detection Finding of one alert (``Alert.to_dict()`` shape)."""
    status = str(alert.get("status") or "new")
    activity_id = 3 if status in ("resolved", "false_positive") else 1
    if activity_id == 1 and int(alert.get("version") or 1) > 1:
        activity_id = 2
    severity = str(alert.get("severity") or "medium")
    severity_id = SEVERITY_ID.get(severity, 0)
    status_id = STATUS_ID.get(status, 99)
    tags = [str(t) for t in alert.get("tags") or ()]
    entities: Mapping[str, Any] = alert.get("entities") or {}
    first = _ms(alert.get("first_seen"))
    last = _ms(alert.get("last_seen")) or first or 0
    event_ids = [str(e) for e in alert.get("event_ids") or ()]

    analytic: dict[str, Any] = {
        "uid": alert.get("rule_id"),
        "name": alert.get("title"),
        "type_id": 1,
        "type": "Rule",
    }
    if alert.get("rule_version"):
        analytic["version"] = str(alert["rule_version"])
    info: dict[str, Any] = {
        "uid": alert["id"],
        "title": alert.get("title"),
        "created_time": _ms(alert.get("created_at")) or first or last,
        "first_seen_time": first,
        "last_seen_time": last,
        "analytic": analytic,
    }
    if alert.get("updated_at"):
        info["modified_time"] = _ms(alert["updated_at"])
    found_attacks = attacks(tags)
    if found_attacks:
        info["attacks"] = found_attacks
    types = owasp_types(tags)
    if types:
        info["types"] = types
    if event_ids:
        info["related_events"] = [{"uid": e} for e in event_ids[:100]]
        info["related_events_count"] = max(len(event_ids), int(alert.get("event_count") or 0))

    metadata: dict[str, Any] = {
        "version": OCSF_VERSION,
        "product": {"name": "Garrison", "vendor_name": "Garrison", "version": __version__},
        "uid": alert["id"],
        "tenant_uid": alert.get("tenant"),
    }
    if entities.get("trace_id"):
        metadata["correlation_uid"] = entities["trace_id"]

    finding: dict[str, Any] = {
        "class_uid": CLASS_UID,
        "class_name": "Detection Finding",
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "activity_id": activity_id,
        "activity_name": ACTIVITY[activity_id],
        "type_uid": CLASS_UID * 100 + activity_id,
        "type_name": f"Detection Finding: {ACTIVITY[activity_id]}",
        "severity_id": severity_id,
        "severity": severity.capitalize() if severity_id else "Unknown",
        "status_id": status_id,
        "status": STATUS_NAME.get(status_id, "Other"),
        "time": last,
        "start_time": first or last,
        "end_time": last,
        "count": int(alert.get("event_count") or 1),
        "is_alert": True,
        "metadata": metadata,
        "finding_info": info,
    }
    if status == "false_positive":
        finding["status_detail"] = "false_positive"
    actor: dict[str, Any] = {}
    if entities.get("principal"):
        actor["user"] = {"uid": str(entities["principal"])}
    if entities.get("session_id"):
        actor["session"] = {"uid": str(entities["session_id"])}
    if entities.get("agent"):
        actor["app_name"] = str(entities["agent"])
    if actor:
        finding["actor"] = actor
    resources = []
    if entities.get("app"):
        resources.append({"type": "AI Application", "name": str(entities["app"])})
    if entities.get("model"):
        resources.append({"type": "AI Model", "name": str(entities["model"])})
    if resources:
        finding["resources"] = resources
    return finding
