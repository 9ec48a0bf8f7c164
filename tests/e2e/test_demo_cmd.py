"""`garrison demo --exit-after`, the command `make demo` runs: starts the server, drives the
workload through it and prints what detection and response made of it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import GARRISON, free_port

pytestmark = pytest.mark.e2e


def test_demo_runs_the_workload_and_reports_alerts_and_incidents(tmp_path: Path) -> None:
    done = subprocess.run(
        [*GARRISON, "demo", "--data-dir", str(tmp_path / "demo"), "--port", str(free_port()),
         "--exit-after"],
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    stored = re.search(r"Stored (\d+) events from 5 apps, (\d+) sessions \((\d+) attacked\)", out)
    assert stored, out
    assert int(stored.group(1)) > 100 and int(stored.group(3)) > 0
    alerts = re.search(r"Detection: \d+ findings, (\d+) alerts \((\d+) high or critical\)", out)
    assert alerts and int(alerts.group(2)) > 0, out
    incidents = re.search(r"Response: (\d+) incidents correlated", out)
    assert incidents, out
    assert 0 < int(incidents.group(1)) <= int(alerts.group(1))
    assert "export KEY=gsk_" in out
