"""Settings: one YAML file, then ``GARRISON_*`` environment variables, then command-line flags.

Validated by pydantic once at start-up; a wrong value raises ConfigError naming the file, line and
field (never swallowed, never replaced by a default). Secrets are references
(``{env: NAME}`` or ``{file: PATH}``), resolved at start-up and never logged. Every setting is
documented in docs/configuration.md (a test fails when one is missing).

This module must never write to ``os.environ`` and never read a secret until asked to resolve it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic import ValidationError as PydanticValidationError

from garrison.errors import ConfigError

ENV_PREFIX = "GARRISON_"
MIB = 1024 * 1024


class SecretRef(BaseModel):
    """Where a secret lives: an environment variable or a file, never the value itself."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    env: str | None = None
    file: Path | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> SecretRef:
        if (self.env is None) == (self.file is None):
            raise ValueError("a secret reference needs exactly one of 'env' or 'file'")
        return self

    def resolve(self, field: str) -> str:
        if self.env is not None:
            value = os.environ.get(self.env)
            if not value:
                raise ConfigError(f"environment variable {self.env} is not set", field=field)
            return value
        assert self.file is not None
        try:
            return self.file.read_text().strip()
        except OSError as exc:
            raise ConfigError(f"cannot read secret file {self.file}: {exc}", field=field) from None


DEFAULT_DETECTORS: dict[str, dict[str, Any] | None] = {
    "unicode": None,
    "encoding": None,
    "signatures": None,
    "secrets": None,
    "pii": None,
    "exfil": None,
    "canary": None,
    "prompt_guard": None,
    "indicators": None,
}


class DetectionSettings(BaseModel):
    """The detection stage: which detectors run (entry-point name → its options) and the rules."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    detectors: dict[str, dict[str, Any] | None] = Field(
        default_factory=lambda: dict(DEFAULT_DETECTORS)
    )
    timeout_ms: int = Field(default=500, ge=1)
    builtin_rules: bool = True
    rules: list[Path] = Field(default_factory=list)
    alert_window_s: int = Field(default=3600, ge=1)


from garrison.actions.settings import ActionsSettings  # noqa: E402
from garrison.gateway.settings import GatewaySettings  # noqa: E402
from garrison.guard.settings import GuardSettings  # noqa: E402
from garrison.intel.settings import IntelSettings  # noqa: E402
from garrison.response.settings import ResponseSettings  # noqa: E402


class Settings(BaseModel):
    """Everything `garrison serve` can be told. Defaults run one process on a laptop."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(default=4318, ge=0, le=65535)
    data_dir: Path = Path("garrison-data")
    store: str | SecretRef = "duckdb"
    bus: str = "memory"
    queue_max_events: int = Field(default=100_000, ge=1)
    queue_max_bytes: int = Field(default=256 * MIB, ge=1024)
    batch_max_events: int = Field(default=5_000, ge=1)
    batch_max_wait_ms: int = Field(default=50, ge=0)
    max_body_bytes: int = Field(default=64 * MIB, ge=1024)
    retry_after_s: int = Field(default=1, ge=1)
    shutdown_drain_s: float = Field(default=30.0, ge=0)
    auth_cache_ttl_s: float = Field(default=30.0, ge=0)
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    detection: DetectionSettings = Field(default_factory=DetectionSettings)
    gateway: GatewaySettings = Field(default_factory=GatewaySettings)
    guard: GuardSettings = Field(default_factory=GuardSettings)
    intel: IntelSettings = Field(default_factory=IntelSettings)
    response: ResponseSettings = Field(default_factory=ResponseSettings)
    actions: ActionsSettings = Field(default_factory=ActionsSettings)

    def store_url(self) -> str:
        """The store URL with its secret resolved (never log the result)."""
        if isinstance(self.store, SecretRef):
            return self.store.resolve("store")
        return self.store


def env_var(field: str) -> str:
    return ENV_PREFIX + field.upper()


def _yaml_lines(text: str) -> dict[str, int]:
    """Line (1-based) of each top-level key, so errors can point into the file."""
    lines: dict[str, int] = {}
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return lines
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                lines[str(key_node.value)] = key_node.start_mark.line + 1
    return lines


def _read_file(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file: {exc}", file=str(path)) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(str(problem), file=str(path), line=line) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError("the config file must be a mapping of settings", file=str(path), line=1)
    return data, _yaml_lines(text)


def load_settings(
    file: Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    flags: Mapping[str, Any] | None = None,
) -> Settings:
    """Merge file → environment → flags (later wins) and validate.

    ``file`` defaults to ``$GARRISON_CONFIG`` when set. ``flags`` holds only the flags the user
    actually gave (``None`` values are ignored).
    """
    environ = os.environ if env is None else env
    if file is None and environ.get(env_var("config")):
        file = Path(environ[env_var("config")])
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}
    lines: dict[str, int] = {}
    if file is not None:
        data, lines = _read_file(file)
        merged.update(data)
        origin.update({k: "file" for k in data})
    for name, info in Settings.model_fields.items():
        value = environ.get(env_var(name))
        if value is not None and value != "":
            merged[name] = value
            origin[name] = "env"
        section = info.annotation
        if isinstance(section, type) and issubclass(section, BaseModel):
            # Nested sections: GARRISON_DETECTION__ENABLED=false; structured values as YAML.
            for sub in section.model_fields:
                raw = environ.get(f"{env_var(name)}__{sub.upper()}")
                if raw is None or raw == "":
                    continue
                try:
                    parsed = yaml.safe_load(raw)
                except yaml.YAMLError:
                    parsed = raw
                current = merged.get(name)
                merged[name] = {**(current if isinstance(current, dict) else {}), sub: parsed}
                origin[name] = "env"
    for name, value in (flags or {}).items():
        if value is not None:
            merged[name] = value
            origin[name] = "flag"
    try:
        return Settings.model_validate(merged)
    except PydanticValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "settings"
        top = str(err["loc"][0]) if err["loc"] else ""
        message = f"{field}: {err['msg']}"
        where = origin.get(top)
        if where == "env":
            raise ConfigError(f"{env_var(top)}: {err['msg']}", field=field) from None
        if where == "flag":
            raise ConfigError(f"--{top.replace('_', '-')}: {err['msg']}", field=field) from None
        if file is not None:
            raise ConfigError(message, file=str(file), line=lines.get(top), field=field) from None
        raise ConfigError(message, field=field) from None
