"""Migration 3: incidents, the alert/incident lifecycle, comments, audit log, suppressions.

Owned by ``garrison.response``. Every table has ``tenant`` first in its primary key. JSON values
are stored as text (portable across both engines; ``Store.transact`` binds them as strings).

- alerts.disposition: the analyst's closing note (``suppressed by <id>`` when a suppression
  closed the alert at birth).
- incidents: ``version`` is what people edit (the ETag); ``revision`` is bumped by correlation on
  every change, the optimistic lock between workers correlating at once, so an analyst's ETag does
  not go stale each time an alert joins. A merged incident keeps its row with ``merged_into`` set
  (old links keep working) and drops out of listings.
- incident_alerts: which incident an alert is in (one at most; its primary key says so).
- incident_entities: the correlation state, one row per entity key (``session_id=abc``): the
  incident that holds it and when it was last seen; past the window it no longer links.
- audit_log: who (API key id, or ``correlation``) changed what, with the before/after of the
  changed fields; never content (a comment is logged by id and length).
"""

NAME = "incidents, lifecycle, audit log and suppressions"

_COMMON = """
ALTER TABLE alerts ADD COLUMN disposition {text};
CREATE TABLE incidents (
    id           {id} NOT NULL,
    tenant       {text} NOT NULL,
    title        {text} NOT NULL,
    severity     {text} NOT NULL,
    status       {text} NOT NULL,
    assignee     {text},
    disposition  {text},
    entities     {text} NOT NULL,
    tactics      {text} NOT NULL,
    techniques   {text} NOT NULL,
    rules        {text} NOT NULL,
    alert_count  BIGINT NOT NULL,
    max_alert_severity {text} NOT NULL,
    first_seen   TIMESTAMPTZ NOT NULL,
    last_seen    TIMESTAMPTZ NOT NULL,
    merged_into  {id},
    version      BIGINT NOT NULL,
    revision     BIGINT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE TABLE incident_alerts (
    tenant      {text} NOT NULL,
    alert_id    {id} NOT NULL,
    incident_id {id} NOT NULL,
    time        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant, alert_id)
);
CREATE TABLE incident_entities (
    tenant      {text} NOT NULL,
    entity      {id} NOT NULL,
    incident_id {id} NOT NULL,
    last_seen   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant, entity)
);
CREATE TABLE comments (
    id          {id} NOT NULL,
    tenant      {text} NOT NULL,
    target_type {text} NOT NULL,
    target_id   {id} NOT NULL,
    author      {text} NOT NULL,
    body        {text} NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE TABLE audit_log (
    id          {id} NOT NULL,
    tenant      {text} NOT NULL,
    time        TIMESTAMPTZ NOT NULL,
    actor       {text} NOT NULL,
    action      {text} NOT NULL,
    target_type {text} NOT NULL,
    target_id   {id} NOT NULL,
    detail      {text} NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE TABLE suppressions (
    id          {id} NOT NULL,
    tenant      {text} NOT NULL,
    rule_id     {text},
    match       {text} NOT NULL,
    reason      {text} NOT NULL,
    created_by  {text} NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ,
    hits        BIGINT NOT NULL,
    last_hit_at TIMESTAMPTZ,
    PRIMARY KEY (tenant, id)
);
"""

# PostgreSQL is a row store: the reads below need these (DuckDB: primary keys only, see
# store/migrations.py for why).
_POSTGRES_INDEXES = """
CREATE INDEX incidents_tenant_last_seen ON incidents (tenant, last_seen, id);
CREATE INDEX incident_alerts_incident ON incident_alerts (tenant, incident_id);
CREATE INDEX incident_entities_incident ON incident_entities (tenant, incident_id);
CREATE INDEX comments_target ON comments (tenant, target_type, target_id);
CREATE INDEX audit_log_time ON audit_log (tenant, time, id);
CREATE INDEX alerts_tenant_trace ON alerts (tenant, trace_id) WHERE trace_id IS NOT NULL;
CREATE INDEX alerts_tenant_session ON alerts (tenant, session_id) WHERE session_id IS NOT NULL;
"""

DUCKDB = _COMMON.format(text="VARCHAR", id="VARCHAR")
POSTGRES = _COMMON.format(text="text", id='text COLLATE "C"') + _POSTGRES_INDEXES
