"""A scratch PostgreSQL database for a benchmark run (created, then dropped), shared by the
benchmarks that measure both engines."""

from __future__ import annotations

import os
import sys
import uuid

PG_ADMIN_DSN = os.environ.get(
    "GARRISON_TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def pg_database() -> tuple[str, str] | None:
    """(name, URL) of a new empty database, or None (said on stderr) when PostgreSQL is down."""
    try:
        import psycopg

        name = f"garrison_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=3) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return name, PG_ADMIN_DSN.rsplit("/", 1)[0] + "/" + name
    except Exception as exc:
        print(f"PostgreSQL unavailable ({exc}); skipping its rows", file=sys.stderr)
        return None


def drop_pg(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
