"""Migration 3: incidents, the alert/incident lifecycle, comments, audit log, suppressions.

Owned by ``garrison.response``. Every table has ``tenant`` first in its primary key. JSON values
are stored as text (portable across both engines; ``Store.transact`` binds them as strings).
"""

NAME = "incidents, lifecycle, audit log and suppressions"

_COMMON = """
ALTER TABLE alerts ADD COLUMN disposition {text};
CREATE TABLE incidents (
    id          {id} NOT NULL,
    tenant      {text} NOT NULL,
    title       {text} NOT NULL,
    severity    {text} NOT NULL,
    status      {text} NOT NULL,
    assignee    {text},
    disposition {text},
    entities    {text} NOT NULL,
    tactics     {text} NOT NULL,
    techniques  {text} NOT NULL,
    alert_count BIGINT NOT NULL,
    first_seen  TIMESTAMPTZ NOT NULL,
    last_seen   TIMESTAMPTZ NOT NULL,
    version     BIGINT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE TABLE incident_alerts (
    tenant      {text} NOT NULL,
    incident_id {id} NOT NULL,
    alert_id    {id} NOT NULL,
    added_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant, incident_id, alert_id)
);
CREATE TABLE incident_entities (
    tenant      {text} NOT NULL,
    entity      {text} NOT NULL,
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
    target_id   {text} NOT NULL,
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
    PRIMARY KEY (tenant, id)
);
"""

DUCKDB = _COMMON.format(text="VARCHAR", id="VARCHAR")
POSTGRES = _COMMON.format(text="text", id='text COLLATE "C"')
