"""Schema migrations: the ordered, append-only history of every table Garrison stores.

Each Migration carries the same change twice, once in DuckDB's dialect and once in PostgreSQL's,
and both engines apply the ones their database lacks when a store opens, all pending ones in one
transaction, recording each in ``schema_migrations(version, name, applied_at)``. A database whose
recorded version is newer than the newest one listed here was written by a newer Garrison; it is
refused rather than guessed at, because an older binary would silently misread or corrupt it.

This module must never edit or reorder a released migration (databases in the field have applied
it; change the schema with a new one), and never run SQL itself: the engines do, each with its
own driver.

Migrations 1 and 2 are here; those of later subsystems (incidents and lifecycle, intel, the
guard, actions) are in ``store.schema``, one module each.
"""

from __future__ import annotations

from dataclasses import dataclass

from garrison.errors import StoreError
from garrison.store.schema import actions, guard, intel, response


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    duckdb: str
    postgres: str


# The bookkeeping table itself; created with IF NOT EXISTS inside the migrating transaction.
SCHEMA_MIGRATIONS_DUCKDB = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL
)
"""
SCHEMA_MIGRATIONS_POSTGRES = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL
)
"""

# Why the two dialects differ in indexes (measured on a 2-core machine, 5,000-event batches of
# ~1 KB content, growing a file to 1 M events):
# - DuckDB: the primary key is an ART index and is required (ON CONFLICT needs it); it is most of
#   the write cost. Composite (tenant, time, id) / (tenant, trace_id) / (tenant, session_id)
#   indexes were not used by DuckDB's planner at all (same read times, ~20.8 k events/s either
#   way). Single-column trace_id / session_id indexes are used for point lookups (trace 24 ms ->
#   6 ms at 1 M events) but cut writes from ~20.8 k to ~14.1 k events/s (-32 %). Writes are the
#   hot path and lookups stay interactive without them, because DuckDB scans one column
#   vectorized and prunes row groups by min/max zone maps (events arrive roughly in time order,
#   so time ranges prune well). So DuckDB gets the primary key only.
# - PostgreSQL is a row store: without indexes every trace lookup is a sequential scan, so it
#   gets all three, the trace/session ones partial (many events have no session or trace).
# ``id`` is text, not uuid: an event's id must read back exactly as written, and a malformed id
# must not fail a whole batch. In PostgreSQL it is COLLATE "C" so that keyset order is byte order,
# the same order DuckDB and Python use, whatever the database's default collation.
_EVENTS_1_DUCKDB = """
CREATE TABLE events (
    id             VARCHAR NOT NULL,
    time           TIMESTAMPTZ NOT NULL,
    tenant         VARCHAR NOT NULL,
    app            VARCHAR NOT NULL,
    kind           VARCHAR NOT NULL,
    source         VARCHAR NOT NULL,
    trace_id       VARCHAR,
    span_id        VARCHAR,
    parent_span_id VARCHAR,
    session_id     VARCHAR,
    principal      VARCHAR,
    agent          VARCHAR,
    provider       VARCHAR,
    model          VARCHAR,
    operation      VARCHAR,
    role           VARCHAR,
    channel        VARCHAR,
    content        VARCHAR,
    tool_name      VARCHAR,
    tool_call_id   VARCHAR,
    tool_arguments VARCHAR,
    input_tokens   BIGINT,
    output_tokens  BIGINT,
    latency_ms     DOUBLE,
    attributes     JSON NOT NULL,
    ingested_at    TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (tenant, id)
);
CREATE TABLE api_keys (
    id          VARCHAR PRIMARY KEY,
    tenant      VARCHAR NOT NULL,
    secret_hash VARCHAR NOT NULL,
    scopes      VARCHAR[] NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    name        VARCHAR,
    app         VARCHAR,
    revoked_at  TIMESTAMPTZ
);
"""

_EVENTS_1_POSTGRES = """
CREATE TABLE events (
    id             text COLLATE "C" NOT NULL,
    time           timestamptz NOT NULL,
    tenant         text NOT NULL,
    app            text NOT NULL,
    kind           text NOT NULL,
    source         text NOT NULL,
    trace_id       text,
    span_id        text,
    parent_span_id text,
    session_id     text,
    principal      text,
    agent          text,
    provider       text,
    model          text,
    operation      text,
    role           text,
    channel        text,
    content        text,
    tool_name      text,
    tool_call_id   text,
    tool_arguments text,
    input_tokens   bigint,
    output_tokens  bigint,
    latency_ms     double precision,
    attributes     jsonb NOT NULL,
    ingested_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, id)
);
CREATE INDEX events_tenant_time ON events (tenant, time, id);
CREATE INDEX events_tenant_trace ON events (tenant, trace_id) WHERE trace_id IS NOT NULL;
CREATE INDEX events_tenant_session ON events (tenant, session_id) WHERE session_id IS NOT NULL;
CREATE TABLE api_keys (
    id          text PRIMARY KEY,
    tenant      text NOT NULL,
    secret_hash text NOT NULL,
    scopes      text[] NOT NULL,
    created_at  timestamptz NOT NULL,
    name        text,
    app         text,
    revoked_at  timestamptz
);
"""

# Migration 2: what detection writes. Column names are a contract with the rule compiler
# (``detect.rules.sql`` reads ``findings f`` by tenant, event_id, detector, label, score, status)
# and with hunters, who query these tables by name.
# - findings: one row per finding; ``id`` is ``base.finding_id`` (deterministic), ``time`` is its
#   event's time, ``tags`` a JSON array as text (LIKE-able in both dialects), ``seq`` the finding's
#   position among its event's findings as written (the order ``findings_for`` returns).
# - alerts: the common entities (app, session_id, trace_id, principal) are columns, for filters;
#   any other entity is in ``entities`` (JSON). Empty tags / entities / evidence are NULL, so that
#   a later delta may fill them ("keep the stored value unless it is NULL").
# - alert_events: which events an alert stands for; its primary key makes re-deliveries no-ops.
# DuckDB gets primary keys only, for the reasons given above for events: findings are written at
# the rate of events, and the id columns are UUIDv7 (time-ordered), so zone maps prune lookups by
# event id. PostgreSQL gets the indexes its reads need. Every id-like column is COLLATE "C" in
# PostgreSQL, like events.id: keyset order is byte order, and ``f.event_id = e.id`` must not
# compare two different collations (PostgreSQL refuses to).
_DETECTION_2_DUCKDB = """
CREATE TABLE findings (
    id         VARCHAR NOT NULL,
    tenant     VARCHAR NOT NULL,
    event_id   VARCHAR NOT NULL,
    time       TIMESTAMPTZ NOT NULL,
    detector   VARCHAR NOT NULL,
    version    VARCHAR NOT NULL,
    label      VARCHAR NOT NULL,
    score      DOUBLE NOT NULL,
    status     VARCHAR NOT NULL,
    tags       VARCHAR NOT NULL,
    evidence   JSON NOT NULL,
    latency_ms DOUBLE NOT NULL,
    detail     JSON NOT NULL,
    seq        INTEGER NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE TABLE alerts (
    id           VARCHAR NOT NULL,
    tenant       VARCHAR NOT NULL,
    rule_id      VARCHAR NOT NULL,
    rule_version VARCHAR,
    title        VARCHAR NOT NULL,
    severity     VARCHAR NOT NULL,
    status       VARCHAR NOT NULL,
    dedup_key    VARCHAR NOT NULL,
    first_seen   TIMESTAMPTZ NOT NULL,
    last_seen    TIMESTAMPTZ NOT NULL,
    event_count  BIGINT NOT NULL,
    app          VARCHAR,
    session_id   VARCHAR,
    trace_id     VARCHAR,
    principal    VARCHAR,
    entities     JSON,
    tags         VARCHAR,
    evidence     JSON,
    assignee     VARCHAR,
    version      BIGINT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE TABLE alert_events (
    tenant   VARCHAR NOT NULL,
    alert_id VARCHAR NOT NULL,
    event_id VARCHAR NOT NULL,
    time     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant, alert_id, event_id)
);
"""

_DETECTION_2_POSTGRES = """
CREATE TABLE findings (
    id         text COLLATE "C" NOT NULL,
    tenant     text NOT NULL,
    event_id   text COLLATE "C" NOT NULL,
    time       timestamptz NOT NULL,
    detector   text NOT NULL,
    version    text NOT NULL,
    label      text NOT NULL,
    score      double precision NOT NULL,
    status     text NOT NULL,
    tags       text NOT NULL,
    evidence   jsonb NOT NULL,
    latency_ms double precision NOT NULL,
    detail     jsonb NOT NULL,
    seq        integer NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE INDEX findings_tenant_event ON findings (tenant, event_id);
CREATE INDEX findings_tenant_detector_label ON findings (tenant, detector, label);
CREATE TABLE alerts (
    id           text COLLATE "C" NOT NULL,
    tenant       text NOT NULL,
    rule_id      text NOT NULL,
    rule_version text,
    title        text NOT NULL,
    severity     text NOT NULL,
    status       text NOT NULL,
    dedup_key    text NOT NULL,
    first_seen   timestamptz NOT NULL,
    last_seen    timestamptz NOT NULL,
    event_count  bigint NOT NULL,
    app          text,
    session_id   text,
    trace_id     text,
    principal    text,
    entities     jsonb,
    tags         text,
    evidence     jsonb,
    assignee     text,
    version      bigint NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE INDEX alerts_tenant_last_seen ON alerts (tenant, last_seen, id);
CREATE INDEX alerts_tenant_status ON alerts (tenant, status);
CREATE INDEX alerts_tenant_rule ON alerts (tenant, rule_id);
CREATE TABLE alert_events (
    tenant   text NOT NULL,
    alert_id text COLLATE "C" NOT NULL,
    event_id text COLLATE "C" NOT NULL,
    time     timestamptz NOT NULL,
    PRIMARY KEY (tenant, alert_id, event_id)
);
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "events and api_keys", _EVENTS_1_DUCKDB, _EVENTS_1_POSTGRES),
    Migration(2, "findings, alerts and alert_events", _DETECTION_2_DUCKDB, _DETECTION_2_POSTGRES),
    # Each subsystem's tables live in its own module under store/schema/ (see there).
    Migration(3, response.NAME, response.DUCKDB, response.POSTGRES),
    Migration(4, intel.NAME, intel.DUCKDB, intel.POSTGRES),
    Migration(5, guard.NAME, guard.DUCKDB, guard.POSTGRES),
    Migration(6, actions.NAME, actions.DUCKDB, actions.POSTGRES),
)

LATEST = MIGRATIONS[-1].version


def _check_history(migrations: tuple[Migration, ...]) -> None:
    # A gap or a reordering would make two databases at "the same version" differ.
    for expected, migration in enumerate(migrations, start=1):
        if migration.version != expected:
            raise AssertionError(f"migration {migration.name!r} has version {migration.version}")


_check_history(MIGRATIONS)


def pending(current: int, *, where: str) -> list[Migration]:
    """The migrations a database at ``current`` still needs; StoreError if it is from the future.

    ``where`` names the database (a file path or host:port/database) for the error message.
    """
    if current > LATEST:
        raise StoreError(
            f"the store at {where} has schema version {current}, newer than this Garrison knows "
            f"({LATEST}); it was written by a newer release: upgrade Garrison to open it",
            details={"schema_version": current, "supported": LATEST},
        )
    return [m for m in MIGRATIONS if m.version > current]
