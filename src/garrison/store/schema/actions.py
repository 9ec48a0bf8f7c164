"""Migration 6: actions — deliveries of webhooks, chat messages, blocks and SIEM exports (with
their dead letters) and the runs of scheduled reports.

Owned by ``garrison.actions``. Every table has ``tenant`` first in its primary key; JSON as text.

A delivery is written before anything is sent (``status`` pending), claimed by a worker for a
lease (``sending``, ``next_attempt_at`` = end of the lease, so a crashed sender's claim expires),
then ends ``delivered`` or ``dead`` (the dead letter: ``last_error`` says why). ``payload`` is
exactly what is sent, rendered when the delivery was made. A report run's id is derived from
(tenant, schedule, period end), so a restarted server cannot record, and send, the same period
twice.
"""

NAME = "action deliveries and report runs"

_COMMON = """
CREATE TABLE deliveries (
    id              {id} NOT NULL,
    tenant          {text} NOT NULL,
    source          {text} NOT NULL,
    target          {text} NOT NULL,
    target_type     {text} NOT NULL,
    subject_kind    {text} NOT NULL,
    subject_id      {text} NOT NULL,
    payload         {text} NOT NULL,
    status          {text} NOT NULL,
    attempts        INTEGER NOT NULL,
    last_error      {text},
    next_attempt_at TIMESTAMPTZ NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    delivered_at    TIMESTAMPTZ,
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
POSTGRES = (
    _COMMON.format(text="text", id='text COLLATE "C"')
    + "CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);\n"
)
