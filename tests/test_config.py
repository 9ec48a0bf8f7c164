"""Settings: file → env → flags, precise errors, secrets as references, every setting documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from garrison.config import Settings, env_var, load_settings
from garrison.errors import ConfigError

DOCS = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"


def test_defaults_follow_otlp_and_the_spec() -> None:
    s = load_settings(None, env={})
    assert s.port == 4318
    assert s.max_body_bytes == 64 * 1024 * 1024
    assert s.store == "duckdb"


def test_file_then_env_then_flags(tmp_path: Path) -> None:
    cfg = tmp_path / "g.yaml"
    cfg.write_text("port: 5000\nhost: 0.0.0.0\nlog_level: debug\n")
    env = {"GARRISON_PORT": "6000", "GARRISON_LOG_LEVEL": "error"}
    s = load_settings(cfg, env=env, flags={"port": 7000, "host": None})
    assert (s.port, s.host, s.log_level) == (7000, "0.0.0.0", "error")
    assert load_settings(None, env={"GARRISON_CONFIG": str(cfg)}).port == 5000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("host: a\nport: 99999\n", r"g\.yaml:2: port: Input should be less than or equal to 65535"),
        ("host: a\nbogus: 1\n", r"g\.yaml:2: bogus: Extra inputs are not permitted"),
        ("port: [1\n", r"g\.yaml:\d+: "),
        ("- a list\n", r"g\.yaml:1: the config file must be a mapping"),
        ("store: {env: A, file: /x}\n", r"g\.yaml:1: store"),
    ],
)
def test_file_errors_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    cfg = tmp_path / "g.yaml"
    cfg.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_settings(cfg, env={})


def test_env_and_flag_errors_name_their_source() -> None:
    with pytest.raises(ConfigError, match="GARRISON_PORT: Input should be a valid integer"):
        load_settings(None, env={"GARRISON_PORT": "lots"})
    with pytest.raises(ConfigError, match="--queue-max-events: Input should be greater"):
        load_settings(None, env={}, flags={"queue_max_events": 0})


def test_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_settings(tmp_path / "absent.yaml", env={})


def test_store_secret_reference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "g.yaml"
    cfg.write_text("store: {env: TEST_GARRISON_PG}\n")
    s = load_settings(cfg, env={})
    monkeypatch.delenv("TEST_GARRISON_PG", raising=False)
    with pytest.raises(ConfigError, match="TEST_GARRISON_PG is not set"):
        s.store_url()
    monkeypatch.setenv("TEST_GARRISON_PG", "postgresql://u:p@db/garrison")
    assert s.store_url() == "postgresql://u:p@db/garrison"
    secret = tmp_path / "dsn"
    secret.write_text("postgresql://x@y/z\n")
    cfg.write_text(f"store: {{file: {secret}}}\n")
    assert load_settings(cfg, env={}).store_url() == "postgresql://x@y/z"


def test_every_setting_and_env_var_is_documented() -> None:
    text = DOCS.read_text()
    rows = dict(re.findall(r"^\| `([a-z_.]+)` \| `(GARRISON_[A-Z_]+)` \|", text, re.M))
    expected = set()
    for name, info in Settings.model_fields.items():
        section = info.annotation
        if isinstance(section, type) and issubclass(section, BaseModel):
            expected |= {f"{name}.{sub}" for sub in section.model_fields}
        else:
            expected.add(name)
    assert set(rows) == expected, "docs/configuration.md table is out of date"
    for name, var in rows.items():
        top, _, sub = name.partition(".")
        assert var == (f"{env_var(top)}__{sub.upper()}" if sub else env_var(name))


def test_nested_sections_from_file_and_env(tmp_path: Path) -> None:
    cfg = tmp_path / "g.yaml"
    cfg.write_text("detection:\n  timeout_ms: 100\n  detectors: {signatures: {}}\n")
    env = {"GARRISON_DETECTION__ENABLED": "false"}
    s = load_settings(cfg, env=env)
    assert s.detection.enabled is False
    assert s.detection.detectors == {"signatures": {}}
    assert s.detection.timeout_ms == 100
    cfg.write_text("detection:\n  timeout_ms: 0\n")
    with pytest.raises(ConfigError, match=r"g\.yaml:1: detection\.timeout_ms"):
        load_settings(cfg, env={})
