"""Migration 4: threat intelligence — STIX objects, the indicators derived from them, feed state.

Owned by ``garrison.intel`` (``garrison.intel.repo`` is the only code that reads or writes these
tables). Every table has ``tenant`` first in its primary key; JSON as text.

- ``intel_objects``: every STIX 2.1 object a tenant holds (imported, converted from MISP/CSV, or
  generated: sightings), one row per id, the newest ``modified`` kept. ``added_at`` is when this
  version arrived here (TAXII's date_added, unique per tenant within an import, the order TAXII
  pages in); ``digest`` hashes the object without its timestamps, so re-importing the same
  content is a no-op.
- ``indicators``: the matchable values of the ``indicator`` objects (one row per value; ``id`` is
  the STIX id, with ``#n`` when one pattern names several values); rebuilt for an object
  whenever a newer version of it arrives.
- ``feed_state``: per configured feed, the resume cursor (TAXII ``added_after`` high-water mark,
  MISP manifest timestamps), the last success and error, and when to try again.
"""

NAME = "intel objects, indicators and feed state"

_COMMON = """
CREATE TABLE intel_objects (
    tenant      {text} NOT NULL,
    id          {id} NOT NULL,
    type        {text} NOT NULL,
    modified    TIMESTAMPTZ NOT NULL,
    source      {text} NOT NULL,
    added_at    TIMESTAMPTZ NOT NULL,
    digest      {text} NOT NULL,
    object      {text} NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE TABLE indicators (
    tenant      {text} NOT NULL,
    id          {id} NOT NULL,
    stix_id     {id} NOT NULL,
    type        {text} NOT NULL,
    value       {text} NOT NULL,
    source      {text} NOT NULL,
    confidence  INTEGER NOT NULL,
    valid_from  TIMESTAMPTZ,
    valid_until TIMESTAMPTZ,
    tags        {text} NOT NULL,
    name        {text},
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE TABLE feed_state (
    tenant      {text} NOT NULL,
    feed        {text} NOT NULL,
    cursor      {text},
    last_ok     TIMESTAMPTZ,
    last_error  {text},
    failures    INTEGER NOT NULL,
    next_at     TIMESTAMPTZ,
    imported    BIGINT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant, feed)
);
"""

# PostgreSQL is a row store: TAXII pages by (tenant, added_at) and imports replace indicators by
# STIX id, so both get an index. DuckDB scans these columns vectorized; its ART indexes would
# only slow the imports (see store/migrations.py on why DuckDB gets primary keys only).
_POSTGRES_INDEXES = """
CREATE INDEX intel_objects_added ON intel_objects (tenant, added_at, id);
CREATE INDEX indicators_stix ON indicators (tenant, stix_id);
"""

DUCKDB = _COMMON.format(text="VARCHAR", id="VARCHAR")
POSTGRES = _COMMON.format(text="text", id='text COLLATE "C"') + _POSTGRES_INDEXES
