"""The ``guard`` section of the settings (documented in docs/configuration.md, test-enforced).

Kept free of imports beyond pydantic: ``garrison.config`` imports it.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class GuardSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    policy: Path | None = None  # the default policy file; None: the built-in default policy
    policy_dir: Path | None = None  # one <app>.yaml policy per app
    block_cache_ttl_s: float = Field(default=2.0, ge=0, le=3600)
    auto_block: bool = True  # register the commit hook that applies policies' response.auto_block
