"""An in-process app on a real DuckDB file, with keys for two tenants and limited scopes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from garrison.config import Settings
from garrison.pipeline.service import Pipeline
from garrison.web.app import create_app
from tests.conftest import create_key, make_settings


@dataclass
class Api:
    client: TestClient
    settings: Settings
    pipeline: Pipeline
    keys: dict[str, str]

    def h(self, who: str = "acme", **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[who]}", **extra}


def build_api(data_dir: Path, **overrides: object) -> Iterator[Api]:
    settings = make_settings(data_dir, **overrides)
    keys = {
        "acme": create_key(settings, "acme"),
        "globex": create_key(settings, "globex"),
        "acme_ingest": create_key(settings, "acme", "ingest"),
        "acme_read": create_key(settings, "acme", "read"),
    }
    pipeline = Pipeline(settings)
    with TestClient(create_app(settings, pipeline), raise_server_exceptions=False) as client:
        yield Api(client, settings, pipeline, keys)


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    yield from build_api(tmp_path / "data")
