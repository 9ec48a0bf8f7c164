"""Entry-point registries: the one way to plug a store, bus, detector, exporter, feed or action in.

One entry-point group per kind (``garrison.stores``, ``garrison.buses``, later
``garrison.detectors``, ``garrison.exporters``, ``garrison.feeds``, ``garrison.actions``). The
entry-point name is the config key. Built-ins are registered the same way in our own
pyproject.toml. An unknown name fails at start-up and lists the available ones.

This module never scans folders and never imports a plugin before it is asked for.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points
from typing import Any

from garrison.errors import PluginError

GROUPS = (
    "garrison.stores",
    "garrison.buses",
    "garrison.detectors",
    "garrison.exporters",
    "garrison.feeds",
    "garrison.actions",
)


def available(group: str) -> dict[str, EntryPoint]:
    """Registered entry points of a group, by name."""
    return {ep.name: ep for ep in entry_points(group=group)}


def load_plugin(group: str, name: str) -> Any:
    """The object registered as ``name`` in ``group``; PluginError names the choices if absent."""
    registered = available(group)
    ep = registered.get(name)
    if ep is None:
        choices = ", ".join(sorted(registered)) or "none"
        raise PluginError(
            f"no {group} plugin named {name!r}; available: {choices}",
            details={"group": group, "name": name, "available": sorted(registered)},
        )
    try:
        return ep.load()
    except Exception as exc:  # a broken third-party plugin must say which one broke
        raise PluginError(
            f"{group} plugin {name!r} ({ep.value}) failed to load: {exc}",
            details={"group": group, "name": name},
        ) from exc
