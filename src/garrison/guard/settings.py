"""The ``guard`` section of the settings (documented in docs/configuration.md, test-enforced).

Kept free of imports beyond pydantic: ``garrison.config`` imports it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class GuardSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
