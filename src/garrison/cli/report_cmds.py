"""`garrison` commands of the report subsystem (registered on import by ``cli.main``)."""

from __future__ import annotations

from garrison.cli.main import main

__all__ = ["main"]
