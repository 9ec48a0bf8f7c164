"""Storage: the Store contract (``base``) and ``open_store``, which picks an engine by URL.

Engines are ``garrison.stores`` entry points named after their URL scheme (``duckdb``,
``postgresql``); ours are registered like any third-party one. This package must never import
an engine (or its driver) before one is asked for, and never decide anything about content.
"""

from __future__ import annotations

from pathlib import Path

from garrison.errors import PluginError
from garrison.store.base import (
    MAX_ALERT_EVENTS,
    MAX_HUNT_ROWS,
    MAX_PAGE,
    MAX_TRACE_EVENTS,
    AlertPage,
    AlertQuery,
    ApiKey,
    Cursor,
    EventPage,
    EventQuery,
    HuntError,
    HuntResult,
    Store,
    StoreInfo,
    WriteResult,
)

__all__ = [
    "MAX_ALERT_EVENTS",
    "MAX_HUNT_ROWS",
    "MAX_PAGE",
    "MAX_TRACE_EVENTS",
    "AlertPage",
    "AlertQuery",
    "ApiKey",
    "Cursor",
    "EventPage",
    "EventQuery",
    "HuntError",
    "HuntResult",
    "Store",
    "StoreInfo",
    "WriteResult",
    "open_store",
    "store_engine_name",
]

GROUP = "garrison.stores"
_ALIASES = {"postgres": "postgresql"}  # both schemes are libpq's own


def store_engine_name(url: str) -> str:
    """The entry-point name for a store URL: its scheme (``duckdb``, ``duckdb:///x``,
    ``duckdb::memory:`` -> duckdb; ``postgres://`` and ``postgresql://`` -> postgresql)."""
    scheme = url.split(":", 1)[0].strip().lower()
    return _ALIASES.get(scheme, scheme)


def open_store(url: str, data_dir: Path) -> Store:
    """Build (not open) the store ``url`` names; the caller awaits ``open()``.

    PluginError, listing the registered engines, when no engine is registered for the scheme.
    """
    from garrison.plugins import load_plugin

    name = store_engine_name(url)
    factory = load_plugin(GROUP, name)
    store = factory(url, data_dir)
    if not isinstance(store, Store):
        raise PluginError(
            f"{GROUP} plugin {name!r} did not build a Store (got {type(store).__name__})",
            details={"group": GROUP, "name": name},
        )
    return store
