"""The ``gateway`` section of the settings (documented in docs/configuration.md, test-enforced).

Kept free of imports beyond pydantic and ``SecretRef``: ``garrison.config`` imports this module
(``garrison.gateway``'s ``__init__`` imports ``garrison.config`` first, so either import order
finds ``SecretRef`` defined).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from garrison.config import SecretRef

if TYPE_CHECKING:
    from garrison.config import Settings


def _check_url(value: str | None) -> str | None:
    if value is None:
        return None
    url = value.strip().rstrip("/")
    if not url.startswith(("http://", "https://")) or len(url) < len("http://x"):
        raise ValueError("must be an http:// or https:// URL, e.g. https://api.openai.com/v1")
    return url


class UpstreamSettings(BaseModel):
    """One model provider behind the gateway. ``base_url`` is the provider's API root, the part
    before ``/chat/completions`` (``https://api.openai.com/v1``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    base_url: str
    api_key: SecretRef | None = None
    adapter: Literal["openai"] = "openai"
    connect_timeout_s: float | None = Field(default=None, gt=0)
    read_timeout_s: float | None = Field(default=None, gt=0)

    _url = field_validator("base_url")(_check_url)


class GatewaySettings(BaseModel):
    """Which provider serves each app and how long to wait for it; provider keys are secret
    references, resolved when the gateway starts so a missing one stops ``garrison serve``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    upstream: str | None = None
    upstream_api_key: SecretRef | None = None
    apps: dict[str, UpstreamSettings] = Field(default_factory=dict)
    connect_timeout_s: float = Field(default=5.0, gt=0)
    read_timeout_s: float = Field(default=60.0, gt=0)
    max_connections: int = Field(default=256, ge=1)
    retrieval_name_prefix: str = "retrieval"

    _url = field_validator("upstream")(_check_url)


def with_default_upstream(settings: Settings, url: str) -> Settings:
    """``settings`` with ``gateway.upstream`` set (``garrison serve --upstream URL``), the rest
    of the gateway section as the file and environment gave it."""
    from pydantic import ValidationError as PydanticValidationError

    from garrison.errors import ConfigError

    try:
        gateway = GatewaySettings.model_validate(
            {**settings.gateway.model_dump(exclude_unset=True), "upstream": url}
        )
    except PydanticValidationError as exc:
        raise ConfigError(
            f"--upstream: {exc.errors()[0]['msg']}", field="gateway.upstream"
        ) from None
    return settings.model_copy(update={"gateway": gateway})
