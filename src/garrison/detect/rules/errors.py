"""RuleError: a Sigma rule (or a rule sample) that cannot be loaded, with where it is wrong.

Raised by the loader and the compilers for content reasons only: a bad file, a bad value, an
unsupported construct. Its message names the file and line (and the field when known) and never
quotes event content. It must never be raised from the per-event hot path: a compiled rule
evaluates every event without raising.
"""

from __future__ import annotations

from typing import Any

from garrison.errors import GarrisonError, located


class RuleError(GarrisonError):
    """A rule file or rule value is invalid (file, line, field)."""

    status = 422
    code = "rule_invalid"

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        text, where = located(message, file=file, line=line, field=field, details=details)
        super().__init__(text, details=where)
        self.reason = message
        self.file, self.line, self.field = file, line, field

    def at(self, file: str | None) -> RuleError:
        """The same error, attributed to ``file`` when it had none."""
        if self.file is not None or file is None:
            return self
        return RuleError(self.reason, file=file, line=self.line, field=self.field)
