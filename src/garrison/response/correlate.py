"""Correlation: alerts that share an entity within a time window become one incident.

Runs after each committed batch (the response service's commit hook) on the batch's alert
deltas. The state lives in the store, never in a worker's memory, so any worker can correlate
any batch and a restart loses nothing:

- ``incident_entities`` maps an entity key (``session_id=abc``, ``principal=bob``, only the keys
  ``response.correlation_keys`` names) to the incident holding it and when it was last seen;
- ``incident_alerts`` says which incident each alert is in.

One pass reads that state for the batch's alerts and entities, builds a union-find over alerts
and incidents (an alert joins the incident holding any of its entities seen within the window;
alerts of the batch sharing an entity join each other; an alert linking two incidents merges
them into the oldest), and writes the result in ONE transaction guarded by optimistic checks:
each incident's ``revision`` and each entity row's (incident, last_seen) as read. When another
worker changed any of them first the transaction fails as a whole and the pass is redone on the
new state (``ATTEMPTS`` times). Suppression runs first (see ``response.suppress``).

This module decides and writes incidents; it never notifies (the service does, after commit) and
never reads or copies event content.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from garrison.errors import ConflictError
from garrison.model.alert import Alert, AlertStatus, Severity
from garrison.model.ids import uuid7
from garrison.response import audit
from garrison.response.events import ResponseChange
from garrison.response.incidents import COLUMNS as INCIDENT_COLUMNS
from garrison.response.incidents import Incident, dumps
from garrison.response.incidents import from_row as incident_from_row
from garrison.response.killchain import in_matrix_order, incident_severity, tactics_of
from garrison.response.settings import ResponseSettings
from garrison.response.suppress import COLUMNS as SUPPRESSION_COLUMNS
from garrison.response.suppress import Suppression, first_match
from garrison.response.suppress import from_row as suppression_from_row
from garrison.store.base import Stmt, Store, to_us
from garrison.store.rows import ALERT_COLUMNS, alert_from_row

log = logging.getLogger("garrison.response.correlate")

ATTEMPTS = 5
MAX_ENTITY_VALUE = 256
MAX_INCIDENT_ENTITIES = 50  # shown with the incident; the links themselves are not capped
SUPPRESSED_PREFIX = "suppressed by "

# Stored alerts, read portably: JSON columns as text (DuckDB JSON, PostgreSQL jsonb).
ALERT_SELECT = ", ".join(
    f"CAST({c} AS VARCHAR)" if c in ("entities", "evidence") else c for c in ALERT_COLUMNS
)


@dataclass(slots=True)
class StoredAlert:
    alert: Alert
    disposition: str | None
    new: bool = False  # this batch created it (rather than adding events to it)

    def to_dict(self, incident_id: str | None) -> dict[str, Any]:
        data = self.alert.to_dict()
        data["disposition"] = self.disposition
        data["incident_id"] = incident_id
        return data


@dataclass(frozen=True, slots=True)
class EntityLink:
    incident_id: str
    last_seen: datetime


@dataclass(slots=True)
class TenantState:
    alerts: dict[str, StoredAlert] = field(default_factory=dict)
    members: dict[str, str] = field(default_factory=dict)  # alert id -> incident id
    links: dict[str, EntityLink] = field(default_factory=dict)  # entity key -> link
    incidents: dict[str, Incident] = field(default_factory=dict)
    suppressions: list[Suppression] = field(default_factory=list)


@dataclass(slots=True)
class _Writes:
    """What one pass writes, gathered so that each kind goes in a few multi-row statements
    (DuckDB pays milliseconds per UPDATE statement, not per row)."""

    now: datetime | None = None
    incident_inserts: list[tuple[Any, ...]] = field(default_factory=list)
    incident_updates: list[tuple[Any, ...]] = field(default_factory=list)
    merges: list[Stmt] = field(default_factory=list)
    audit: list[tuple[Any, ...]] = field(default_factory=list)

    def incident_statements(self, tenant: str) -> list[Stmt]:
        out = []
        if self.incident_inserts:
            # (id, title, severity, entities, tactics, techniques, rules, alert_count,
            #  max_alert_severity, first_seen, last_seen)
            types = ("VARCHAR",) * 7 + ("BIGINT", "VARCHAR", "TIMESTAMPTZ", "TIMESTAMPTZ")
            a = [unnest(t) for t in types]
            columns = _columns(self.incident_inserts)
            out.append(
                Stmt(
                    f"INSERT INTO incidents ({INCIDENT_COLUMNS}) SELECT {a[0]}, ?, {a[1]}, "
                    f"{a[2]}, 'new', NULL, NULL, {a[3]}, {a[4]}, {a[5]}, {a[6]}, {a[7]}, {a[8]}, "
                    f"{a[9]}, {a[10]}, NULL, 1, 1, ?, ?",
                    [columns[0], tenant, *columns[1:], self.now, self.now],
                    expect=len(self.incident_inserts),
                )
            )
        if self.incident_updates:
            updates = sorted(self.incident_updates)  # one lock order for every worker
            update_types: tuple[str, ...] = ("VARCHAR", "BIGINT", *("VARCHAR",) * 7)
            update_types += ("BIGINT", "VARCHAR", "TIMESTAMPTZ", "TIMESTAMPTZ")
            names = (
                "id", "rev", "title", "severity", "status", "entities", "tactics", "techniques",
                "rules", "alert_count", "max_sev", "first_seen", "last_seen",
            )  # fmt: skip
            select = ", ".join(
                f"{unnest(t)} AS {n}" for t, n in zip(update_types, names, strict=True)
            )
            # Compare-and-set on each incident's revision as read: all of them change, or
            # another worker got there first and the pass is redone.
            out.append(
                Stmt(
                    "UPDATE incidents SET title = v.title, severity = v.severity, "
                    "status = v.status, entities = v.entities, tactics = v.tactics, "
                    "techniques = v.techniques, rules = v.rules, alert_count = v.alert_count, "
                    "max_alert_severity = v.max_sev, first_seen = v.first_seen, "
                    "last_seen = v.last_seen, revision = incidents.revision + 1, "
                    f"updated_at = ? FROM (SELECT {select}) AS v "
                    "WHERE incidents.tenant = ? AND incidents.id = v.id "
                    "AND incidents.revision = v.rev AND incidents.merged_into IS NULL",
                    [self.now, *_columns(updates), tenant],
                    expect=len(updates),
                    conflict="an incident changed while correlating",
                )
            )
        return out


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, node: str) -> str:
        parent = self.parent.setdefault(node, node)
        if parent != node:
            parent = self.parent[node] = self.find(parent)
        return parent

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def unnest(sql_type: str) -> str:
    """One column of rows bound as ONE array parameter, in SQL both engines accept.

    Many rows go into one statement as a few array parameters rather than a VALUES list of
    thousands of scalar ones: DuckDB binds and plans each parameter separately, which measured
    2-3 times slower than the statement's actual work (docs/benchmarks.md, correlation)."""
    return f"unnest(CAST(? AS {sql_type}[]))"


def _in_list() -> str:
    return f"IN (SELECT {unnest('VARCHAR')})"


def _columns(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    return [list(column) for column in zip(*rows, strict=True)]


class Correlator:
    def __init__(self, store: Store, settings: ResponseSettings) -> None:
        self.store = store
        self.settings = settings
        self._ignore = frozenset(v.lower() for v in settings.ignore_values)

    def entity_keys(self, alert: Alert) -> list[tuple[str, str]]:
        """(correlation key, ``key=value``) of ``alert``'s entities that may link incidents."""
        out: list[tuple[str, str]] = []
        for key in self.settings.correlation_keys:
            value = alert.entities.get(key)
            if value is None or value.strip().lower() in self._ignore:
                continue
            out.append((key, f"{key}={value[:MAX_ENTITY_VALUE]}"))
        return out

    async def process(
        self,
        deltas: Sequence[Alert],
        *,
        extra: Mapping[tuple[str, str], Mapping[str, str]] | None = None,
        now: datetime | None = None,
    ) -> list[ResponseChange]:
        """Suppress and correlate the alerts of one committed batch; the changes it made.

        ``extra`` adds entities to alerts by (tenant, alert id) for this pass, e.g. the intel
        indicator their events hit (in the batch's findings, not in the alert)."""
        by_tenant: dict[str, list[str]] = {}
        counts: dict[tuple[str, str], int] = {}
        for delta in deltas:
            ids = by_tenant.setdefault(delta.tenant, [])
            if (delta.tenant, delta.id) not in counts:
                ids.append(delta.id)
            counts[delta.tenant, delta.id] = (
                counts.get((delta.tenant, delta.id), 0) + delta.event_count
            )
        if not by_tenant:
            return []
        for attempt in range(ATTEMPTS):
            stamp = now or datetime.now(UTC)
            states = await self._read(by_tenant, counts, extra or {}, stamp)
            statements: list[Stmt] = []
            changes: list[ResponseChange] = []
            for tenant, ids in by_tenant.items():
                self._plan(tenant, ids, states[tenant], stamp, statements, changes)
            if not statements:
                return changes
            try:
                await self.store.transact(statements)
            except ConflictError:
                if attempt == ATTEMPTS - 1:
                    raise
                log.info("correlation raced another writer; redoing (attempt %d)", attempt + 2)
                await asyncio.sleep(random.uniform(0.005, 0.05) * (attempt + 1))
                continue
            return changes
        raise AssertionError("unreachable")

    # --- reading the state --------------------------------------------------------------------

    async def _read(
        self,
        by_tenant: dict[str, list[str]],
        counts: dict[tuple[str, str], int],
        extra: Mapping[tuple[str, str], Mapping[str, str]],
        now: datetime,
    ) -> dict[str, TenantState]:
        statements: list[Stmt] = []
        plan: list[tuple[str, str]] = []  # (tenant, what) per statement
        for tenant, ids in by_tenant.items():
            statements.append(
                Stmt(
                    f"SELECT {ALERT_SELECT}, disposition FROM alerts "
                    f"WHERE tenant = ? AND id {_in_list()}",
                    [tenant, ids],
                    fetch=True,
                )
            )
            plan.append((tenant, "alerts"))
            statements.append(
                Stmt(
                    "SELECT alert_id, incident_id FROM incident_alerts "
                    f"WHERE tenant = ? AND alert_id {_in_list()}",
                    [tenant, ids],
                    fetch=True,
                )
            )
            plan.append((tenant, "members"))
            statements.append(
                Stmt(
                    f"SELECT {SUPPRESSION_COLUMNS} FROM suppressions "
                    "WHERE tenant = ? AND (expires_at IS NULL OR expires_at > ?) "
                    "ORDER BY created_at, id",
                    [tenant, now],
                    fetch=True,
                )
            )
            plan.append((tenant, "suppressions"))
        found = await self.store.transact(statements)
        states: dict[str, TenantState] = {t: TenantState() for t in by_tenant}
        for (tenant, what), rows in zip(plan, found, strict=True):
            state = states[tenant]
            if what == "alerts":
                for row in rows:
                    alert = alert_from_row(row[:-1])
                    added = extra.get((tenant, alert.id))
                    if added:
                        alert = replace(alert, entities={**added, **alert.entities})
                    # Its first delta made it when the stored count is no more than this batch's.
                    new = alert.event_count <= counts.get((tenant, alert.id), 0)
                    state.alerts[alert.id] = StoredAlert(alert, row[-1], new)
            elif what == "members":
                state.members.update({a: i for a, i in rows})
            else:
                state.suppressions = [suppression_from_row(r) for r in rows]
        if self.settings.correlate:
            await self._read_links(states)
        return states

    async def _read_links(self, states: dict[str, TenantState]) -> None:
        statements: list[Stmt] = []
        plan: list[tuple[str, str]] = []
        for tenant, state in states.items():
            keys = sorted({k for s in state.alerts.values() for _, k in self.entity_keys(s.alert)})
            if keys:
                statements.append(
                    Stmt(
                        "SELECT entity, incident_id, last_seen FROM incident_entities "
                        f"WHERE tenant = ? AND entity {_in_list()}",
                        [tenant, keys],
                        fetch=True,
                    )
                )
                plan.append((tenant, "links"))
                statements.append(
                    Stmt(
                        f"SELECT {INCIDENT_COLUMNS} FROM incidents WHERE tenant = ? AND id IN "
                        "(SELECT incident_id FROM incident_entities "
                        f"WHERE tenant = ? AND entity {_in_list()})",
                        [tenant, tenant, keys],
                        fetch=True,
                    )
                )
                plan.append((tenant, "incidents"))
            incident_ids = sorted(set(state.members.values()))
            if incident_ids:
                statements.append(
                    Stmt(
                        f"SELECT {INCIDENT_COLUMNS} FROM incidents "
                        f"WHERE tenant = ? AND id {_in_list()}",
                        [tenant, incident_ids],
                        fetch=True,
                    )
                )
                plan.append((tenant, "incidents"))
        if not statements:
            return
        found = await self.store.transact(statements)
        for (tenant, what), rows in zip(plan, found, strict=True):
            state = states[tenant]
            if what == "links":
                for entity, incident_id, last_seen in rows:
                    state.links[entity] = EntityLink(incident_id, _aware(last_seen))
            else:
                for row in rows:
                    incident = incident_from_row(row)
                    state.incidents[incident.id] = incident

    # --- deciding -----------------------------------------------------------------------------

    def _plan(
        self,
        tenant: str,
        ids: list[str],
        state: TenantState,
        now: datetime,
        statements: list[Stmt],
        changes: list[ResponseChange],
    ) -> None:
        to_correlate: list[StoredAlert] = []
        hits: dict[str, int] = {}
        for alert_id in ids:
            stored = state.alerts.get(alert_id)
            if stored is None:  # not committed (cannot happen after a commit): nothing to do
                continue
            if stored.disposition and stored.disposition.startswith(SUPPRESSED_PREFIX):
                continue  # closed at birth earlier; later matches stay closed and silent
            suppression = None
            if (
                alert_id not in state.members
                and stored.alert.status is AlertStatus.NEW
                and stored.disposition is None
            ):
                suppression = first_match(state.suppressions, stored.alert)
            if suppression is None:
                to_correlate.append(stored)
                continue
            self._suppress(tenant, stored, suppression, now, statements, changes)
            hits[suppression.id] = hits.get(suppression.id, 0) + 1
        for suppression_id, count in hits.items():
            statements.append(
                Stmt(
                    "UPDATE suppressions SET hits = hits + ?, last_hit_at = ? "
                    "WHERE tenant = ? AND id = ?",
                    (count, now, tenant, suppression_id),
                )
            )
        if not to_correlate:
            return
        if not self.settings.correlate:
            for stored in to_correlate:
                changes.append(_alert_change(stored, state.members.get(stored.alert.id)))
            return
        self._correlate(tenant, to_correlate, state, now, statements, changes)

    def _suppress(
        self,
        tenant: str,
        stored: StoredAlert,
        suppression: Suppression,
        now: datetime,
        statements: list[Stmt],
        changes: list[ResponseChange],
    ) -> None:
        disposition = SUPPRESSED_PREFIX + suppression.id
        statements.append(
            Stmt(
                "UPDATE alerts SET status = ?, disposition = ?, version = version + 1, "
                "updated_at = ? WHERE tenant = ? AND id = ? AND status = ? "
                "AND disposition IS NULL",
                (
                    AlertStatus.FALSE_POSITIVE.value,
                    disposition,
                    now,
                    tenant,
                    stored.alert.id,
                    AlertStatus.NEW.value,
                ),
                expect=1,  # a person triaged it meanwhile: redo the pass, which leaves it be
                conflict="an alert changed while suppressing",
            )
        )
        statements.append(
            audit.entry(
                tenant,
                f"suppression:{suppression.id}",
                "alert.suppressed",
                "alert",
                stored.alert.id,
                audit.changes(
                    {"status": stored.alert.status.value, "disposition": None},
                    {"status": AlertStatus.FALSE_POSITIVE.value, "disposition": disposition},
                ),
                now=now,
            )
        )
        alert = stored.alert
        closed = StoredAlert(
            replace(
                alert, status=AlertStatus.FALSE_POSITIVE, version=alert.version + 1, updated_at=now
            ),
            disposition,
            stored.new,
        )
        changes.append(
            ResponseChange(
                kind="alert",
                tenant=tenant,
                id=alert.id,
                change="created" if stored.new else "updated",
                object=closed.to_dict(None),
                suppressed=True,
            )
        )

    def _near(self, alert: Alert, seen: datetime, key: str) -> bool:
        window = timedelta(seconds=self.settings.window_for(key))
        if alert.last_seen <= seen:
            return seen - alert.last_seen <= window
        return alert.first_seen - seen <= window

    def _correlate(
        self,
        tenant: str,
        alerts: list[StoredAlert],
        state: TenantState,
        now: datetime,
        statements: list[Stmt],
        changes: list[ResponseChange],
    ) -> None:
        uf = _UnionFind()
        alerts.sort(key=lambda s: (s.alert.first_seen, s.alert.id))
        seen_in_batch: dict[str, tuple[str, datetime]] = {}
        keys_of: dict[str, list[tuple[str, str]]] = {}
        for stored in alerts:
            alert = stored.alert
            node = "a:" + alert.id
            uf.find(node)
            member = state.members.get(alert.id)
            if member is not None and member in state.incidents:
                uf.union("i:" + member, node)
            keys = keys_of[alert.id] = self.entity_keys(alert)
            for key, entity in keys:
                link = state.links.get(entity)
                if (
                    link is not None
                    and link.incident_id in state.incidents
                    and state.incidents[link.incident_id].merged_into is None
                    and self._near(alert, link.last_seen, key)
                ):
                    uf.union("i:" + link.incident_id, node)
                previous = seen_in_batch.get(entity)
                if previous is not None and self._near(alert, previous[1], key):
                    uf.union(previous[0], node)
                latest = alert.last_seen if previous is None else max(previous[1], alert.last_seen)
                seen_in_batch[entity] = (node, latest)
        components: dict[str, list[StoredAlert]] = {}
        for stored in alerts:
            components.setdefault(uf.find("a:" + stored.alert.id), []).append(stored)
        incidents_of: dict[str, set[str]] = {}
        for node in list(uf.parent):
            if node.startswith("i:"):
                incidents_of.setdefault(uf.find(node), set()).add(node[2:])
        entity_targets: dict[str, tuple[str, datetime]] = {}
        member_rows: list[tuple[str, str, datetime]] = []
        writes = _Writes(now=now)
        for root, members in components.items():
            incidents = sorted(
                (state.incidents[i] for i in incidents_of.get(root, ())),
                key=lambda inc: (inc.created_at, inc.id),
            )
            incident_id = self._write_component(
                tenant, members, incidents, state, keys_of, now, changes, writes
            )
            for stored in members:
                if stored.alert.id not in state.members:
                    member_rows.append((stored.alert.id, incident_id, stored.alert.first_seen))
                for _, entity in keys_of[stored.alert.id]:
                    target = entity_targets.get(entity)
                    if target is None or target[1] < stored.alert.last_seen:
                        entity_targets[entity] = (incident_id, stored.alert.last_seen)
        statements.extend(writes.incident_statements(tenant))
        # Entity rows are compare-and-set on the incident they pointed at when read, so they go
        # before the merges re-point the rest of a merged incident's entities.
        self._write_entities(tenant, entity_targets, state, statements)
        statements.extend(writes.merges)
        statements.extend(audit.insert(writes.audit))
        if member_rows:
            statements.append(
                Stmt(
                    "INSERT INTO incident_alerts (tenant, alert_id, incident_id, time) "
                    f"SELECT ?, {unnest('VARCHAR')}, {unnest('VARCHAR')}, {unnest('TIMESTAMPTZ')}",
                    [tenant, *_columns(member_rows)],
                    expect=len(member_rows),
                )
            )

    def _write_component(
        self,
        tenant: str,
        members: list[StoredAlert],
        incidents: list[Incident],
        state: TenantState,
        keys_of: dict[str, list[tuple[str, str]]],
        now: datetime,
        changes: list[ResponseChange],
        writes: _Writes,
    ) -> str:
        keep = incidents[0] if incidents else None
        merged = incidents[1:]
        new_members = [s for s in members if s.alert.id not in state.members]
        tactics: set[str] = set()
        techniques: set[str] = set()
        rules: set[str] = set()
        entities: list[str] = []
        for incident in incidents:
            tactics.update(incident.tactics)
            techniques.update(incident.techniques)
            rules.update(incident.rules)
            entities.extend(incident.entities)
        worst = max((i.max_alert_severity for i in incidents), key=_rank, default=None)
        top: Alert | None = None
        for stored in members:
            alert = stored.alert
            found_tactics, found_techniques = tactics_of(alert.tags)
            tactics.update(found_tactics)
            techniques.update(found_techniques)
            rules.add(alert.rule_id)
            entities.extend(entity for _, entity in keys_of[alert.id])
            if top is None or alert.severity.rank > top.severity.rank:
                top = alert
        assert top is not None
        worst_alert = top.severity if worst is None else max(worst, top.severity, key=_rank)
        entity_list = list(dict.fromkeys(entities))[:MAX_INCIDENT_ENTITIES]
        first_seen = min([s.alert.first_seen for s in members] + [i.first_seen for i in incidents])
        last_seen = max([s.alert.last_seen for s in members] + [i.last_seen for i in incidents])
        alert_count = sum(i.alert_count for i in incidents) + len(new_members)
        tactic_list = in_matrix_order(tactics)
        severity = incident_severity(
            worst_alert, tactic_list, escalate=self.settings.escalate_kill_chain
        )
        values = {
            "severity": severity.value,
            "entities": dumps(entity_list),
            "tactics": dumps(tactic_list),
            "techniques": dumps(sorted(techniques)),
            "rules": dumps(sorted(rules)),
            "alert_count": alert_count,
            "max_alert_severity": worst_alert.value,
            "first_seen": first_seen,
            "last_seen": last_seen,
        }
        if keep is None:
            incident_id = uuid7(to_us(now) // 1000)
            created = Incident(
                id=incident_id,
                tenant=tenant,
                title=top.title,
                severity=severity,
                status=AlertStatus.NEW,
                first_seen=first_seen,
                last_seen=last_seen,
                created_at=now,
                updated_at=now,
                entities=tuple(entity_list),
                tactics=tuple(tactic_list),
                techniques=tuple(sorted(techniques)),
                rules=tuple(sorted(rules)),
                alert_count=alert_count,
                max_alert_severity=worst_alert,
            )
            writes.incident_inserts.append(
                (
                    incident_id,
                    created.title,
                    severity.value,
                    values["entities"],
                    values["tactics"],
                    values["techniques"],
                    values["rules"],
                    alert_count,
                    worst_alert.value,
                    first_seen,
                    last_seen,
                )
            )
            writes.audit.append(
                audit.row(
                    tenant,
                    audit.CORRELATION,
                    "incident.created",
                    "incident",
                    incident_id,
                    {"after": {"severity": severity.value, "alert_count": alert_count}},
                    now=now,
                )
            )
            changes.append(_incident_change(created, "created"))
            for stored in members:
                changes.append(_alert_change(stored, incident_id))
            return incident_id

        title = keep.title
        if top.severity.rank > keep.max_alert_severity.rank:
            title = top.title
        status = keep.status
        if status is AlertStatus.RESOLVED and new_members:
            status = AlertStatus.NEW  # the attack went on after it was closed: reopen
        before = {
            "severity": keep.severity.value,
            "entities": dumps(keep.entities),
            "tactics": dumps(keep.tactics),
            "techniques": dumps(keep.techniques),
            "rules": dumps(keep.rules),
            "alert_count": keep.alert_count,
            "max_alert_severity": keep.max_alert_severity.value,
            "first_seen": keep.first_seen,
            "last_seen": keep.last_seen,
        }
        if before == values and title == keep.title and status is keep.status and not merged:
            for stored in members:  # a re-delivered batch, or an alert that only grew
                changes.append(_alert_change(stored, keep.id))
            return keep.id
        writes.incident_updates.append(
            (
                keep.id,
                keep.revision,
                title,
                values["severity"],
                status.value,
                values["entities"],
                values["tactics"],
                values["techniques"],
                values["rules"],
                alert_count,
                worst_alert.value,
                first_seen,
                last_seen,
            )
        )
        for old in merged:
            writes.merges.extend(self._merge(tenant, keep.id, old, now))
        if status is not keep.status:
            writes.audit.append(
                audit.row(
                    tenant,
                    audit.CORRELATION,
                    "incident.reopened",
                    "incident",
                    keep.id,
                    audit.changes({"status": keep.status.value}, {"status": status.value}),
                    now=now,
                )
            )
        updated = replace(
            keep,
            title=title,
            severity=severity,
            status=status,
            entities=tuple(entity_list),
            tactics=tuple(tactic_list),
            techniques=tuple(sorted(techniques)),
            rules=tuple(sorted(rules)),
            alert_count=alert_count,
            max_alert_severity=worst_alert,
            first_seen=first_seen,
            last_seen=last_seen,
            revision=keep.revision + 1,
            updated_at=now,
        )
        kind = "merged" if merged else ("status" if status is not keep.status else "updated")
        changes.append(
            _incident_change(
                updated,
                kind,
                merged_from=tuple(m.id for m in merged),
                previous_status=keep.status.value if status is not keep.status else None,
            )
        )
        for stored in members:
            changes.append(_alert_change(stored, keep.id))
        return keep.id

    def _merge(self, tenant: str, keep: str, old: Incident, now: datetime) -> list[Stmt]:
        """Fold ``old`` into ``keep``: its alerts, entities and comments move; its row stays,
        pointing at ``keep``, so links to it still lead somewhere."""
        return [
            Stmt(
                "UPDATE incidents SET merged_into = ?, revision = revision + 1, "
                "version = version + 1, updated_at = ? "
                "WHERE tenant = ? AND id = ? AND revision = ? AND merged_into IS NULL",
                (keep, now, tenant, old.id, old.revision),
                expect=1,
                conflict="an incident changed while correlating",
            ),
            Stmt(
                "UPDATE incident_alerts SET incident_id = ? WHERE tenant = ? AND incident_id = ?",
                (keep, tenant, old.id),
            ),
            Stmt(
                "UPDATE incident_entities SET incident_id = ? WHERE tenant = ? AND incident_id = ?",
                (keep, tenant, old.id),
            ),
            Stmt(
                "UPDATE comments SET target_id = ? "
                "WHERE tenant = ? AND target_type = 'incident' AND target_id = ?",
                (keep, tenant, old.id),
            ),
            audit.entry(
                tenant,
                audit.CORRELATION,
                "incident.merged",
                "incident",
                old.id,
                {"before": {"merged_into": None}, "after": {"merged_into": keep}},
                now=now,
            ),
        ]

    def _write_entities(
        self,
        tenant: str,
        targets: dict[str, tuple[str, datetime]],
        state: TenantState,
        statements: list[Stmt],
    ) -> None:
        inserts: list[tuple[str, str, datetime]] = []
        updates: list[tuple[str, str, datetime, str, datetime]] = []
        for entity, (incident_id, last_seen) in sorted(targets.items()):
            link = state.links.get(entity)
            if link is None:
                inserts.append((entity, incident_id, last_seen))
                continue
            seen = last_seen
            if link.incident_id == incident_id:
                if link.last_seen >= last_seen:
                    continue
            elif link.incident_id in state.incidents and link.last_seen > last_seen:
                seen = link.last_seen
            updates.append((entity, link.incident_id, link.last_seen, incident_id, seen))
        if updates:
            # One compare-and-set for all of them: it must change exactly one row per entity
            # (the row as read), else another worker got there first and the pass is redone.
            names = ("entity", "old_id", "old_seen", "new_id", "new_seen")
            types = ("VARCHAR", "VARCHAR", "TIMESTAMPTZ", "VARCHAR", "TIMESTAMPTZ")
            select = ", ".join(f"{unnest(t)} AS {n}" for t, n in zip(types, names, strict=True))
            statements.append(
                Stmt(
                    "UPDATE incident_entities SET incident_id = v.new_id, last_seen = v.new_seen "
                    f"FROM (SELECT {select}) AS v "
                    "WHERE incident_entities.tenant = ? "
                    "AND incident_entities.entity = v.entity "
                    "AND incident_entities.incident_id = v.old_id "
                    "AND incident_entities.last_seen = v.old_seen",
                    [*_columns(updates), tenant],
                    expect=len(updates),
                    conflict="an incident entity changed while correlating",
                )
            )
        if inserts:
            statements.append(
                Stmt(
                    "INSERT INTO incident_entities (tenant, entity, incident_id, last_seen) "
                    f"SELECT ?, {unnest('VARCHAR')}, {unnest('VARCHAR')}, {unnest('TIMESTAMPTZ')}",
                    [tenant, *_columns(inserts)],
                    expect=len(inserts),
                )
            )


def _rank(severity: Severity) -> int:
    return severity.rank


def _aware(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _alert_change(stored: StoredAlert, incident_id: str | None) -> ResponseChange:
    alert = stored.alert
    return ResponseChange(
        kind="alert",
        tenant=alert.tenant,
        id=alert.id,
        change="created" if stored.new else "updated",
        object=stored.to_dict(incident_id),
    )


def _incident_change(
    incident: Incident,
    change: Any,
    *,
    merged_from: tuple[str, ...] = (),
    previous_status: str | None = None,
) -> ResponseChange:
    return ResponseChange(
        kind="incident",
        tenant=incident.tenant,
        id=incident.id,
        change=change,
        object=incident.to_dict(),
        merged_from=merged_from,
        previous_status=previous_status,
    )
