"""Where an incident stands in the ATLAS kill chain, and what that does to its severity.

Alerts cite ATLAS as tags (``atlas.AML.T0051``, ``atlas.AML.T0051.000``, ``atlas.AML.TA0005``);
each technique belongs to tactics, and the catalogue lists tactics in matrix order, which is
the order an attack progresses in (reconnaissance ... exfiltration, impact). An incident whose
alerts climb that order is an attack that got further than any one alert says, so its severity
rises above the worst alert's:

- two or more distinct tactics, at least three stages apart in matrix order: one level up;
- three or more distinct tactics reaching Exfiltration or Impact (the attacker's goal): two up.

Capped at critical. This module only maps and ranks; it never reads or writes anything.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from garrison.intel.catalog import atlas
from garrison.model.alert import Severity

_GOAL_TACTICS = frozenset({"AML.TA0010", "AML.TA0011"})  # Exfiltration, Impact
_SPREAD = 3


@functools.cache
def _order() -> dict[str, int]:
    return {tactic: i for i, tactic in enumerate(atlas().tactics)}


def tactics_of(tags: Iterable[str]) -> tuple[set[str], set[str]]:
    """(tactic ids, technique ids) cited by ``tags``; unknown ATLAS ids are ignored."""
    catalog = atlas()
    tactics: set[str] = set()
    techniques: set[str] = set()
    for tag in tags:
        if not tag.startswith("atlas."):
            continue
        ident = tag[len("atlas.") :]
        if ident in catalog.tactics:
            tactics.add(ident)
            continue
        technique = catalog.techniques.get(ident)
        if technique is None:
            continue
        techniques.add(ident)
        tactics.update(technique.tactics)
    return tactics, techniques


def in_matrix_order(tactics: Iterable[str]) -> list[str]:
    order = _order()
    return sorted((t for t in tactics if t in order), key=order.__getitem__)


def incident_severity(worst_alert: Severity, tactics: Iterable[str], *, escalate: bool) -> Severity:
    """The worst alert's severity, raised by how far along the kill chain the incident got."""
    if not escalate:
        return worst_alert
    order = _order()
    stages = sorted({order[t] for t in tactics if t in order})
    bump = 0
    if len(stages) >= 2 and stages[-1] - stages[0] >= _SPREAD:
        bump = 1
    if len(stages) >= 3 and any(t in _GOAL_TACTICS for t in tactics):
        bump = 2
    levels = list(Severity)
    return levels[min(worst_alert.rank + bump, len(levels) - 1)]
