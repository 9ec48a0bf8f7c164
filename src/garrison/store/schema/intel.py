"""Migration 4: threat intelligence — indicators, raw STIX objects, feed state.

Owned by ``garrison.intel``. Every table has ``tenant`` first in its primary key; JSON as text.
"""

NAME = "indicators, intel objects and feed state"

_COMMON = """
CREATE TABLE indicators (
    id          {id} NOT NULL,
    tenant      {text} NOT NULL,
    type        {text} NOT NULL,
    value       {text} NOT NULL,
    source      {text} NOT NULL,
    confidence  INTEGER,
    valid_from  TIMESTAMPTZ,
    valid_until TIMESTAMPTZ,
    tags        {text} NOT NULL,
    detail      {text} NOT NULL,
    stix_id     {text},
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE TABLE intel_objects (
    tenant      {text} NOT NULL,
    id          {text} NOT NULL,
    modified    {text} NOT NULL,
    type        {text} NOT NULL,
    source      {text} NOT NULL,
    added_at    TIMESTAMPTZ NOT NULL,
    object      {text} NOT NULL,
    PRIMARY KEY (tenant, id, modified)
);
CREATE TABLE feed_state (
    tenant      {text} NOT NULL,
    feed        {text} NOT NULL,
    cursor      {text},
    last_ok     TIMESTAMPTZ,
    last_error  {text},
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant, feed)
);
"""

DUCKDB = _COMMON.format(text="VARCHAR", id="VARCHAR")
POSTGRES = _COMMON.format(text="text", id='text COLLATE "C"')
