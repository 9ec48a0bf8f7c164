"""The ``response`` section of the settings (documented in docs/configuration.md, test-enforced).

Kept free of imports beyond pydantic: ``garrison.config`` imports it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

# Entities specific enough to say "the same attack": one conversation, one trace, one caller,
# one key, one address, one indicator. Never ``app`` or ``tool`` (every alert of an application
# shares them, so they would merge unrelated attacks into one incident); ``agent`` names are
# usually per deployment, not per run, so it is left out too (add it where agent names are
# per-instance ids).
DEFAULT_KEYS = ("session_id", "trace_id", "principal", "api_key", "source_ip", "indicator")


class ResponseSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    correlate: bool = True
    correlation_keys: tuple[str, ...] = DEFAULT_KEYS
    window_s: int = Field(default=3600, ge=1)
    key_windows_s: dict[str, int] = Field(default_factory=dict)
    ignore_values: tuple[str, ...] = ("", "-", "unknown", "anonymous", "none", "null")
    escalate_kill_chain: bool = True

    def window_for(self, key: str) -> int:
        """Seconds an entity of ``key`` stays a link to its incident after it was last seen."""
        return self.key_windows_s.get(key, self.window_s)
