"""Trend reports: a period's alerts and incidents, summarised for people and for machines.

``build_summary`` reads one tenant's alerts (by ``last_seen`` in the period), incidents (by
``created_at``) and the prompts behind the alerts, and returns a JSON-able summary: volume per
day, by ATLAS technique and tactic, top targeted apps and principals, clusters of similar attack
prompts, and detection efficacy per rule from analysts' dispositions (false-positive rate =
alerts marked false_positive / alerts resolved or marked false_positive). ``render`` turns it into
Markdown, self-contained HTML (inline SVG charts, no script, nothing fetched) or JSON.

Reads are bounded (``MAX_ALERTS``, ``MAX_TEXTS``) so a report over a busy tenant stays a report,
and the summary says when it was cut. Only short, cleaned excerpts of prompts appear.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from typing import Any

import jinja2
import orjson

from garrison.actions import charts
from garrison.actions.clusters import cluster
from garrison.actions.deliveries import as_utc
from garrison.errors import InputError
from garrison.intel.catalog import atlas
from garrison.model.alert import Alert
from garrison.model.event import format_time
from garrison.store.base import MAX_PAGE, AlertQuery, Cursor, Stmt, Store

MAX_ALERTS = 50_000
MAX_INCIDENTS = 50_000
MAX_TEXTS = 3_000
MAX_DAYS = 400
FORMATS = ("json", "md", "html")
_RELATIVE = re.compile(r"^\s*(\d{1,6})\s*([mhdw])\s*$")
_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_moment(text: str, name: str, now: datetime) -> datetime:
    """``7d`` / ``12h`` / ``30m`` / ``2w`` before ``now``, or an RFC 3339 time; 400 naming
    ``name`` otherwise."""
    match = _RELATIVE.match(text)
    if match:
        return now - timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])
    try:
        t = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise InputError(
            f"{name}: {text[:40]!r} is neither a duration like 7d / 24h nor an RFC 3339 time",
            details={"field": name},
        ) from None
    if t.tzinfo is None:
        raise InputError(f"{name}: time needs a UTC offset (e.g. 'Z')", details={"field": name})
    return t.astimezone(UTC)


def parse_period(
    since: str | None, until: str | None, now: datetime | None = None, default: str = "7d"
) -> tuple[datetime, datetime]:
    now = now or datetime.now(UTC)
    end = parse_moment(until, "until", now) if until else now
    start = parse_moment(since or default, "since", end if until else now)
    if start >= end:
        raise InputError("since: must be before until", details={"field": "since"})
    if end - start > timedelta(days=MAX_DAYS):
        raise InputError(
            f"since: a report covers at most {MAX_DAYS} days", details={"field": "since"}
        )
    return start, end


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InputError(
            f"format: {fmt[:20]!r} is not one of {', '.join(FORMATS)}", details={"field": "format"}
        )
    return fmt


async def period_alerts(
    store: Store, tenant: str, since: datetime, until: datetime
) -> tuple[list[Alert], bool]:
    """The tenant's alerts with ``last_seen`` in the period (oldest first), and whether cut."""
    out: list[Alert] = []
    cursor: Cursor | None = None
    while True:
        page = await store.query_alerts(
            AlertQuery(
                tenant=tenant,
                since=since,
                until=until,
                limit=MAX_PAGE,
                cursor=cursor,
                descending=False,
            )
        )
        out.extend(page.alerts)
        if len(out) >= MAX_ALERTS:
            return out[:MAX_ALERTS], True
        if page.next_cursor is None:
            return out, False
        cursor = Cursor.decode(page.next_cursor)


def _json_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    try:
        loaded = orjson.loads(value)
    except (orjson.JSONDecodeError, TypeError):
        return []
    return [str(v) for v in loaded] if isinstance(loaded, list) else []


async def period_incidents(  # merged ones are counted in the incident they joined
    store: Store, tenant: str, since: datetime, until: datetime
) -> list[tuple[str, datetime, list[str], list[str]]]:
    found = await store.transact(
        [
            Stmt(
                "SELECT id, severity, created_at, tactics, techniques FROM incidents "
                "WHERE tenant = ? AND created_at >= ? AND created_at < ? "
                f"AND merged_into IS NULL LIMIT {MAX_INCIDENTS}",
                (tenant, since, until),
                fetch=True,
            )
        ]
    )
    return [(str(r[1]), as_utc(r[2]), _json_list(r[3]), _json_list(r[4])) for r in found[0]]


async def period_texts(store: Store, tenant: str, since: datetime, until: datetime) -> list[str]:
    """The contents (first 2,000 characters) of events behind the period's alerts."""
    found = await store.transact(
        [
            Stmt(
                "SELECT substr(e.content, 1, 2000) FROM alerts a "
                "JOIN alert_events ae ON ae.tenant = a.tenant AND ae.alert_id = a.id "
                "JOIN events e ON e.tenant = ae.tenant AND e.id = ae.event_id "
                "WHERE a.tenant = ? AND a.last_seen >= ? AND a.last_seen < ? "
                f"AND e.content IS NOT NULL ORDER BY e.time, e.id LIMIT {MAX_TEXTS}",
                (tenant, since, until),
                fetch=True,
            )
        ]
    )
    return [str(r[0]) for r in found[0] if r[0]]


def _days(since: datetime, until: datetime) -> list[date]:
    first, last = since.date(), (until - timedelta(microseconds=1)).date()
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def technique_ids(tags: tuple[str, ...] | list[str]) -> tuple[list[str], list[str]]:
    """(techniques, tactics) an item's ``atlas.`` tags name, tactics inferred from techniques."""
    cat = atlas()
    techniques: list[str] = []
    tactics: list[str] = []
    for tag in tags:
        ident = tag.removeprefix("atlas.") if tag.startswith("atlas.") else tag
        if ident in cat.techniques:
            techniques.append(ident)
            tactics.extend(cat.techniques[ident].tactics)
        elif ident in cat.tactics:
            tactics.append(ident)
    return list(dict.fromkeys(techniques)), list(dict.fromkeys(tactics))


def technique_name(ident: str) -> str:
    """A technique's name; a sub-technique's after its parent's (``Prompt Injection: Direct``)."""
    cat = atlas()
    tech = cat.techniques[ident]
    parent = cat.techniques.get(tech.parent) if tech.parent else None
    return f"{parent.name}: {tech.name}" if parent is not None else tech.name


async def build_summary(
    store: Store,
    tenant: str,
    since: datetime,
    until: datetime,
    *,
    now: datetime | None = None,
    clusters: bool = True,
) -> dict[str, Any]:
    """The summary of one tenant's period (``clusters=False`` skips reading prompts)."""
    alerts, cut = await period_alerts(store, tenant, since, until)
    incidents = await period_incidents(store, tenant, since, until)
    found: list[dict[str, Any]] = []
    if clusters:
        texts = await period_texts(store, tenant, since, until)
        previous = await period_texts(store, tenant, since - (until - since), since)
        found = [c.to_dict() for c in cluster(texts, previous)]
    cat = atlas()
    days = _days(since, until)
    index = {d: i for i, d in enumerate(days)}

    def bucket(t: datetime) -> int:
        return index.get(max(t, since).astimezone(UTC).date(), len(days) - 1)

    daily_alerts = [0] * len(days)
    daily_incidents = [0] * len(days)
    tech: dict[str, dict[str, Any]] = {}
    tac: dict[str, dict[str, Any]] = {}

    def count(table: dict[str, dict[str, Any]], ident: str, name: str, day: int, what: str) -> None:
        row = table.setdefault(
            ident,
            {
                "id": ident,
                "name": name,
                "alerts": 0,
                "incidents": 0,
                "daily": [0] * len(days),
                "rules": [],
            },
        )
        row[what] += 1
        row["daily"][day] += 1 if what == "alerts" else 0

    severities: Counter[str] = Counter()
    apps: Counter[str] = Counter()
    principals: Counter[str] = Counter()
    rules: dict[str, dict[str, Any]] = {}
    for a in alerts:
        day = bucket(a.first_seen)
        daily_alerts[day] += 1
        severities[a.severity.value] += 1
        if a.entities.get("app"):
            apps[str(a.entities["app"])] += 1
        if a.entities.get("principal"):
            principals[str(a.entities["principal"])] += 1
        techniques, tactics = technique_ids(a.tags)
        for t in techniques:
            count(tech, t, technique_name(t), day, "alerts")
            if a.rule_id not in tech[t]["rules"]:
                tech[t]["rules"].append(a.rule_id)
        for t in tactics:
            if t in cat.tactics:
                count(tac, t, cat.tactics[t].name, day, "alerts")
        r = rules.setdefault(
            a.rule_id,
            {
                "rule_id": a.rule_id,
                "title": a.title,
                "alerts": 0,
                "dispositioned": 0,
                "false_positives": 0,
            },
        )
        r["alerts"] += 1
        if a.status.value in ("resolved", "false_positive"):
            r["dispositioned"] += 1
        if a.status.value == "false_positive":
            r["false_positives"] += 1
    for _severity, created, tactics_i, techniques_i in incidents:
        day = bucket(created)
        daily_incidents[day] += 1
        techniques, tactics = technique_ids(techniques_i + tactics_i)
        for t in techniques:
            count(tech, t, technique_name(t), day, "incidents")
        for t in tactics:
            if t in cat.tactics:
                count(tac, t, cat.tactics[t].name, day, "incidents")
    efficacy = sorted(rules.values(), key=lambda r: (-r["alerts"], r["rule_id"]))
    for r in efficacy:
        r["fp_rate"] = (
            round(r["false_positives"] / r["dispositioned"], 4) if r["dispositioned"] else None
        )
    tactic_order = list(cat.tactics)
    return {
        "tenant": tenant,
        "period": {"since": format_time(since), "until": format_time(until), "days": len(days)},
        "generated_at": format_time(now or datetime.now(UTC)),
        "truncated": cut,
        "totals": {"alerts": len(alerts), "incidents": len(incidents)},
        "severity": {
            s: severities.get(s, 0) for s in ("critical", "high", "medium", "low", "informational")
        },
        "daily": [
            {"day": d.isoformat(), "alerts": daily_alerts[i], "incidents": daily_incidents[i]}
            for i, d in enumerate(days)
        ],
        "by_technique": sorted(
            tech.values(), key=lambda r: (-r["alerts"], -r["incidents"], r["id"])
        ),
        "by_tactic": sorted(tac.values(), key=lambda r: tactic_order.index(r["id"])),
        "top_apps": [{"app": k, "alerts": v} for k, v in apps.most_common(10)],
        "top_principals": [{"principal": k, "alerts": v} for k, v in principals.most_common(10)],
        "clusters": found,
        "efficacy": efficacy,
        "atlas_version": cat.version,
    }


def render(summary: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return orjson.dumps(summary, option=orjson.OPT_INDENT_2).decode()
    if fmt == "md":
        return render_md(summary)
    return render_html(summary)


def _md_cell(value: Any) -> str:
    """A table cell: pipes escaped, one line; backticks only where we put them (excerpts)."""
    text = str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    return text


def render_md(s: dict[str, Any]) -> str:
    p = s["period"]
    lines = [
        f"# Garrison report — {_md_cell(s['tenant'])}",
        "",
        f"Period {p['since']} to {p['until']} ({p['days']} days). "
        f"**{s['totals']['alerts']} alerts**, **{s['totals']['incidents']} incidents**."
        + (" (alerts cut at the report limit)" if s["truncated"] else ""),
        "",
        "## Volume per day",
        "",
        "| day | alerts | incidents |",
        "|---|---:|---:|",
        *(f"| {d['day']} | {d['alerts']} | {d['incidents']} |" for d in s["daily"]),
    ]

    def table(title: str, head: str, rows: list[str]) -> None:
        lines.extend(["", f"## {title}", ""])
        if not rows:
            lines.append("None in this period.")
            return
        lines.extend([head, _sep(head), *rows])

    def tech_rows(rows: list[dict[str, Any]]) -> list[str]:
        return [_cells(r["id"], r["name"], r["alerts"], r["incidents"]) for r in rows]

    table("ATLAS tactics", "| tactic | name | alerts | incidents |", tech_rows(s["by_tactic"]))
    table(
        "ATLAS techniques",
        "| technique | name | alerts | incidents |",
        tech_rows(s["by_technique"]),
    )
    table(
        "Top targeted apps",
        "| app | alerts |",
        [_cells(r["app"], r["alerts"]) for r in s["top_apps"]],
    )
    table(
        "Top principals",
        "| principal | alerts |",
        [_cells(r["principal"], r["alerts"]) for r in s["top_principals"]],
    )
    table(
        "Attack clusters (similar prompts)",
        "| size | distinct | new | excerpt |",
        [
            _cells(
                c["size"],
                c["distinct"],
                "yes" if c["new"] else "no",
                "`" + c["excerpt"].replace("`", "'") + "`",
            )
            for c in s["clusters"]
        ],
    )
    table(
        "Detection efficacy per rule",
        "| rule | alerts | dispositioned | false positives | FP rate |",
        [
            _cells(
                r["rule_id"],
                r["alerts"],
                r["dispositioned"],
                r["false_positives"],
                "—" if r["fp_rate"] is None else f"{r['fp_rate']:.0%}",
            )
            for r in s["efficacy"]
        ],
    )
    lines.append("")
    return "\n".join(lines)


def _cells(*values: Any) -> str:
    return "| " + " | ".join(_md_cell(v) for v in values) + " |"


def _sep(head: str) -> str:
    return "|" + "---|" * (head.count("|") - 1)


_ENV = jinja2.Environment(
    autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
)


def render_html(s: dict[str, Any]) -> str:
    text = (
        resources.files("garrison.actions").joinpath("templates/report.html.j2").read_text("utf-8")
    )
    template = _ENV.from_string(text)
    return template.render(
        s=s,
        volume_chart=charts.columns(
            [d["day"][5:] for d in s["daily"]],
            [
                ("alerts", [d["alerts"] for d in s["daily"]], "#d9534f"),
                ("incidents", [d["incidents"] for d in s["daily"]], "#5b6ee1"),
            ],
        ),
        tactic_chart=charts.bars([(f"{r['id']} {r['name']}", r["alerts"]) for r in s["by_tactic"]]),
        technique_chart=charts.bars(
            [(f"{r['id']} {r['name']}", r["alerts"]) for r in s["by_technique"][:15]]
        ),
        app_chart=charts.bars([(r["app"], r["alerts"]) for r in s["top_apps"]]),
        sparks={r["id"]: charts.sparkline(r["daily"]) for r in s["by_technique"]},
    )
