"""The ``intel`` section of the settings (documented in docs/configuration.md, test-enforced).

Feeds are polled in the background by the intel service: TAXII 2.1 collections (resumed from an
``added_after`` high-water mark) and MISP feed directories (``manifest.json`` plus one JSON file
per event). Each feed writes into one tenant. Credentials are ``SecretRef`` values, never inline.

Kept free of imports beyond pydantic and ``garrison.config``'s SecretRef: ``garrison.config``
imports this module.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# garrison.config defines SecretRef before it imports this module (and garrison.intel imports
# garrison.config first when this module is imported on its own), so this import never cycles.
from garrison.config import SecretRef

_NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TaxiiFeed(_Frozen):
    """A TAXII 2.1 collection: ``url`` is the API root (``https://host/taxii2/api1/``)."""

    type: Literal["taxii"]
    name: str = Field(pattern=_NAME)
    tenant: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
    url: str = Field(pattern=r"^https?://")
    collection: str = Field(min_length=1, max_length=200)
    username: str | None = None
    password: SecretRef | None = None  # HTTP Basic with ``username``
    token: SecretRef | None = None  # sent as ``Authorization: Bearer``
    interval_s: float = Field(default=3600, ge=1)
    page_size: int = Field(default=500, ge=1, le=10_000)
    timeout_s: float = Field(default=30, gt=0)
    source: str | None = None  # the indicators' source; default: the feed's name

    @model_validator(mode="after")
    def _credentials(self) -> TaxiiFeed:
        if (self.username is None) != (self.password is None):
            raise ValueError("a TAXII feed needs both 'username' and 'password', or neither")
        if self.token is not None and self.password is not None:
            raise ValueError("a TAXII feed takes 'token' or 'username'/'password', not both")
        return self


class MispFeed(_Frozen):
    """A MISP feed: ``url`` is the directory that holds ``manifest.json`` (http(s) or a path)."""

    type: Literal["misp"]
    name: str = Field(pattern=_NAME)
    tenant: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
    url: str = Field(min_length=1)
    token: SecretRef | None = None  # sent as ``Authorization`` (a MISP auth key)
    interval_s: float = Field(default=3600, ge=1)
    timeout_s: float = Field(default=30, gt=0)
    include_non_ids: bool = False  # also attributes whose to_ids flag is off
    source: str | None = None


Feed = Annotated[TaxiiFeed | MispFeed, Field(discriminator="type")]


class IntelSettings(_Frozen):
    enabled: bool = True
    feeds: list[Feed] = Field(default_factory=list)
    refresh_s: float = Field(default=60, ge=1)
    backoff_max_s: float = Field(default=3600, ge=1)
    sightings: bool = True

    @model_validator(mode="after")
    def _unique_names(self) -> IntelSettings:
        seen: set[tuple[str, str]] = set()
        for feed in self.feeds:
            key = (feed.tenant, feed.name)
            if key in seen:
                raise ValueError(f"two feeds named {feed.name!r} for tenant {feed.tenant!r}")
            seen.add(key)
        return self
