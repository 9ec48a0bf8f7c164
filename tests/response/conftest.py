"""Both store engines (a real DuckDB file, a real PostgreSQL) for the response tests."""

from tests.store.conftest import engine, pg_url

__all__ = ["engine", "pg_url"]
