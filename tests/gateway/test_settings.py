"""The gateway's settings: per-app upstreams from file and environment, precise errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from garrison.config import SecretRef, load_settings
from garrison.errors import ConfigError
from garrison.gateway.settings import with_default_upstream


def test_apps_from_file_and_upstream_from_env(tmp_path: Path) -> None:
    cfg = tmp_path / "g.yaml"
    cfg.write_text(
        "gateway:\n"
        "  read_timeout_s: 30\n"
        "  apps:\n"
        "    bot: {base_url: 'http://vllm:8000/v1/', api_key: {env: VLLM_KEY}}\n"
    )
    s = load_settings(cfg, env={"GARRISON_GATEWAY__UPSTREAM": "https://api.openai.com/v1"})
    assert s.gateway.upstream == "https://api.openai.com/v1"
    assert s.gateway.apps["bot"].base_url == "http://vllm:8000/v1"  # trailing slash dropped
    assert s.gateway.apps["bot"].api_key == SecretRef(env="VLLM_KEY")
    assert s.gateway.read_timeout_s == 30
    flagged = with_default_upstream(s, "http://other:1/v1")
    assert flagged.gateway.upstream == "http://other:1/v1"
    assert flagged.gateway.apps == s.gateway.apps and flagged.gateway.read_timeout_s == 30


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "gateway:\n  upstream: api.openai.com\n",
            r"g\.yaml:1: gateway\.upstream: Value error, must",
        ),
        ("gateway:\n  apps: {a: {}}\n", r"gateway\.apps\.a\.base_url: Field required"),
        ("gateway:\n  apps: {a: {base_url: 'http://x/v1', api_key: sk-123}}\n", r"api_key"),
        ("gateway:\n  read_timeout_s: 0\n", r"gateway\.read_timeout_s: Input should be greater"),
        ("gateway:\n  apps: {a: {base_url: 'http://x/v1', adapter: anthropic}}\n", r"adapter"),
    ],
)
def test_bad_gateway_settings(tmp_path: Path, text: str, message: str) -> None:
    cfg = tmp_path / "g.yaml"
    cfg.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_settings(cfg, env={})
