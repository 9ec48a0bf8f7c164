"""Migration 5: the guard's response actions — principals and sessions blocked or rate-limited.

Owned by ``garrison.guard``. Every table has ``tenant`` first in its primary key; JSON as text.
"""

NAME = "guard blocks"

_COMMON = """
CREATE TABLE guard_blocks (
    id          {id} NOT NULL,
    tenant      {text} NOT NULL,
    kind        {text} NOT NULL,
    value       {text} NOT NULL,
    action      {text} NOT NULL,
    reason      {text} NOT NULL,
    created_by  {text} NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ,
    lifted_at   TIMESTAMPTZ,
    detail      {text} NOT NULL,
    PRIMARY KEY (tenant, id)
);
"""

DUCKDB = _COMMON.format(text="VARCHAR", id="VARCHAR")
POSTGRES = _COMMON.format(text="text", id='text COLLATE "C"')
