"""An ATLAS Navigator layer scoring techniques by what Garrison observed in a period.

The layer uses the Navigator layer format (``versions.layer`` 4.5) with the ``atlas-atlas``
domain that the ATLAS Navigator loads; each technique's score is the number of alerts (plus
incidents) that cite it, and its comment names the rules that fired. Entries carry no
``tactic`` (our catalogue has no tactic short names), so Navigator shows a score under every
tactic the technique belongs to. Unknown technique ids never enter a layer.
"""

from __future__ import annotations

from typing import Any

from garrison.intel.catalog import atlas

LAYER_VERSION = "4.5"
NAVIGATOR_VERSION = "5.1.0"
DOMAIN = "atlas-atlas"


def layer(summary: dict[str, Any]) -> dict[str, Any]:
    """The layer of a report summary (``reports.build_summary``): its ``by_technique`` rows."""
    tenant = str(summary["tenant"])
    since, until = summary["period"]["since"], summary["period"]["until"]
    cat = atlas()
    techniques = []
    top = 0
    for row in summary["by_technique"]:
        if row["id"] not in cat.techniques:
            continue
        score = int(row["alerts"]) + int(row["incidents"])
        top = max(top, score)
        named = ", ".join(sorted(row.get("rules", [])))[:500]
        techniques.append(
            {
                "techniqueID": row["id"],
                "score": score,
                "comment": f"{row['alerts']} alerts, {row['incidents']} incidents"
                + (f"; rules: {named}" if named else ""),
                "enabled": True,
                "showSubtechniques": False,
            }
        )
    return {
        "name": f"Garrison observed activity ({tenant})",
        "versions": {"layer": LAYER_VERSION, "navigator": NAVIGATOR_VERSION},
        "domain": DOMAIN,
        "description": f"ATLAS techniques cited by alerts and incidents, {since} to {until}.",
        "sorting": 3,
        "hideDisabled": False,
        "techniques": techniques,
        "gradient": {
            "colors": ["#ffe5e5", "#ff6666", "#b30000"],
            "minValue": 0,
            "maxValue": max(1, top),
        },
        "legendItems": [
            {"label": "observed (score = alerts + incidents)", "color": "#ff6666"},
            {"label": "not observed", "color": "#ffffff"},
        ],
        "metadata": [
            {"name": "tenant", "value": tenant},
            {"name": "period", "value": f"{since}/{until}"},
            {"name": "atlas_data_version", "value": cat.version},
        ],
        "showTacticRowBackground": False,
        "selectTechniquesAcrossTactics": True,
        "selectSubtechniquesWithParent": False,
    }
