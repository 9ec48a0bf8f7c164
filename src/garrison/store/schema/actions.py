"""Migration 6: actions — deliveries of webhooks / chat messages / exports (with dead letters)
and report runs.

Owned by ``garrison.actions``. Every table has ``tenant`` first in its primary key; JSON as text.
"""

NAME = "action deliveries and report runs"

_COMMON = """
CREATE TABLE deliveries (
    id              {id} NOT NULL,
    tenant          {text} NOT NULL,
    action          {text} NOT NULL,
    target          {text} NOT NULL,
    payload         {text} NOT NULL,
    status          {text} NOT NULL,
    attempts        INTEGER NOT NULL,
    last_error      {text},
    next_attempt_at TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE TABLE report_runs (
    id          {id} NOT NULL,
    tenant      {text} NOT NULL,
    schedule    {text} NOT NULL,
    period_from TIMESTAMPTZ NOT NULL,
    period_to   TIMESTAMPTZ NOT NULL,
    status      {text} NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant, id)
);
"""

DUCKDB = _COMMON.format(text="VARCHAR", id="VARCHAR")
POSTGRES = _COMMON.format(text="text", id='text COLLATE "C"')
