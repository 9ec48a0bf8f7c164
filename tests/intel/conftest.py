"""Fixtures for the intel tests: both store engines (from tests/store), the in-process API on a
real DuckDB file, and a clean indicator registry per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from garrison.intel import catalog
from garrison.intel.index import REGISTRY
from tests.store.conftest import engine, pg_url  # noqa: F401 (fixtures)
from tests.web.conftest import api  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def clean_registry() -> Iterator[None]:
    REGISTRY.clear()
    yield
    REGISTRY.clear()
    catalog.use_data_dir(None)
