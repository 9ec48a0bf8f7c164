"""One real detection engine (classifier included) shared by the guard tests: it takes about a
second to build."""

from __future__ import annotations

import pytest

from garrison.config import DEFAULT_DETECTORS
from garrison.detect.engine import DetectionEngine


@pytest.fixture(scope="session")
def detection() -> DetectionEngine:
    return DetectionEngine.from_config(DEFAULT_DETECTORS)
