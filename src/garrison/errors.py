"""Garrison's error tree: every error the project raises on purpose derives from GarrisonError.

Each error knows how it is shown to an API caller: an HTTP status and a stable, machine-readable
``code``; ``details`` says *where* (file, line, field, index) without ever echoing secrets or
prompt content. The web layer renders every error in one envelope:
``{"error": {"code": ..., "message": ..., "details": ...}}``.

    GarrisonError                      500 internal
    ├── ConfigError                    500 config_invalid       (file, line, field)
    ├── PluginError                    500 plugin_unknown       (group, name, available)
    ├── InputError                     400 invalid_input        malformed request content
    │   ├── DecodeError                400 malformed_payload    not the format claimed
    │   ├── ValidationError            422 validation_failed    well-formed, wrong (field, index)
    │   ├── UnsupportedMediaType       415 unsupported_media_type
    │   └── PayloadTooLarge            413 payload_too_large
    ├── AuthError                      401 unauthenticated
    │   └── ForbiddenError             403 forbidden             (missing scope)
    ├── NotFoundError                  404 not_found             (also: another tenant's data)
    ├── BackpressureError              429 backpressure          (retry_after seconds)
    ├── StoreError                     503 store_unavailable
    │   └── StoreLockedError           503 store_locked          (another process holds DuckDB)
    └── TelemetryError                 400 telemetry_invalid     a span/log record we cannot use

This module must never import anything else of Garrison's.
"""

from __future__ import annotations

from typing import Any, ClassVar


class GarrisonError(Exception):
    """Root of every error Garrison raises on purpose."""

    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal"

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = details or {}

    def to_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


def located(
    message: str,
    *,
    file: str | None = None,
    line: int | None = None,
    field: str | None = None,
    details: dict[str, Any] | None = None,
) -> tuple[str, dict[str, Any]]:
    """``message`` prefixed with ``file:line:`` and the details naming where, for errors about
    content that lives in a file (configs, rules, policies)."""
    where = dict(details or {})
    if file is not None:
        where["file"] = file
    if line is not None:
        where["line"] = line
    if field is not None:
        where["field"] = field
    prefix = ""
    if file is not None:
        prefix = f"{file}:{line}: " if line is not None else f"{file}: "
    elif line is not None:
        prefix = f"line {line}: "
    return prefix + message, where


class ConfigError(GarrisonError):
    """A configuration file, variable or flag is wrong; raised at start-up, never swallowed."""

    code = "config_invalid"

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
        self.file, self.line, self.field = file, line, field


class PluginError(GarrisonError):
    """An entry-point name that is not registered, or a plugin that failed to load."""

    code = "plugin_unknown"


class InputError(GarrisonError):
    """Content sent by a caller is unusable."""

    status = 400
    code = "invalid_input"


class DecodeError(InputError):
    """The bytes are not the format the request claims (bad protobuf, bad JSON, bad gzip)."""

    code = "malformed_payload"


class ValidationError(InputError):
    """Well-formed content with wrong values: a missing field, a bad id, a wrong type."""

    status = 422
    code = "validation_failed"


class UnsupportedMediaType(InputError):
    status = 415
    code = "unsupported_media_type"


class PayloadTooLarge(InputError):
    status = 413
    code = "payload_too_large"


class AuthError(GarrisonError):
    status = 401
    code = "unauthenticated"


class ForbiddenError(AuthError):
    status = 403
    code = "forbidden"


class NotFoundError(GarrisonError):
    status = 404
    code = "not_found"


class ConflictError(GarrisonError):
    """The target changed since the caller read it (optimistic concurrency), or already exists."""

    status = 409
    code = "conflict"


class PreconditionError(GarrisonError):
    """A required precondition (e.g. ``If-Match``) is missing (428) or failed (412)."""

    status = 428
    code = "precondition_required"


class BackpressureError(GarrisonError):
    """The pipeline is full; the caller should retry after ``retry_after`` seconds."""

    status = 429
    code = "backpressure"

    def __init__(self, message: str, *, retry_after: int = 1) -> None:
        super().__init__(message, details={"retry_after": retry_after})
        self.retry_after = retry_after


class StoreError(GarrisonError):
    status = 503
    code = "store_unavailable"


class StoreLockedError(StoreError):
    code = "store_locked"


class TelemetryError(GarrisonError):
    """One span or log record that cannot become an event (counted as rejected, never fatal)."""

    status = 400
    code = "telemetry_invalid"
