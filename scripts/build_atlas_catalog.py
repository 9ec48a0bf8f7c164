"""Build src/garrison/intel/data/atlas.json, the compact MITRE ATLAS catalogue Garrison ships.

Usage: python scripts/build_atlas_catalog.py [PATH/TO/ATLAS.yaml] [OUTPUT.json]

Reads the ``dist/ATLAS.yaml`` of ``mitre-atlas/atlas-data`` (Apache-2.0; default
/work/shared/intel/ATLAS.yaml) and keeps only what tag validation and reports need: the version,
tactics (id, name) in matrix order, techniques (id, name, tactics, sub-technique parent,
maturity) and mitigations (id, name). Descriptions and case studies are left out. Sub-techniques
carry no tactics in ATLAS; the catalogue gives them their parent's, which is how ATLAS shows them.

The output is deterministic (sorted keys, one line per object), so regenerating it for the same
ATLAS version yields the same bytes. It must be run again, and the result committed, when ATLAS
is upgraded; Garrison never reads ATLAS.yaml at run time.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

DEFAULT_SOURCE = Path("/work/shared/intel/ATLAS.yaml")
DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "src/garrison/intel/data/atlas.json"

_TACTIC = re.compile(r"AML\.TA\d{4}")
_TECHNIQUE = re.compile(r"AML\.T\d{4}(?:\.\d{3})?")
_MITIGATION = re.compile(r"AML\.M\d{4}")


def build(data: dict[str, Any]) -> dict[str, Any]:
    matrix = data["matrices"][0]
    tactics = []
    for t in matrix["tactics"]:
        if not _TACTIC.fullmatch(t["id"]):
            raise SystemExit(f"unexpected tactic id {t['id']!r}")
        tactics.append({"id": t["id"], "name": t["name"]})
    known_tactics = {t["id"] for t in tactics}

    raw = {t["id"]: t for t in matrix["techniques"]}
    techniques = []
    for tid in sorted(raw):
        t = raw[tid]
        if not _TECHNIQUE.fullmatch(tid):
            raise SystemExit(f"unexpected technique id {tid!r}")
        parent = t.get("subtechnique-of")
        source = raw[parent] if parent else t
        member_of = list(source.get("tactics") or [])
        unknown = set(member_of) - known_tactics
        if unknown:
            raise SystemExit(f"{tid}: unknown tactics {sorted(unknown)}")
        entry: dict[str, Any] = {"id": tid, "name": t["name"], "tactics": member_of}
        if parent:
            entry["parent"] = parent
        if t.get("maturity"):
            entry["maturity"] = t["maturity"]
        techniques.append(entry)

    mitigations = []
    for m in sorted(matrix.get("mitigations") or [], key=lambda m: m["id"]):
        if not _MITIGATION.fullmatch(m["id"]):
            raise SystemExit(f"unexpected mitigation id {m['id']!r}")
        mitigations.append({"id": m["id"], "name": m["name"]})

    return {
        "source": "mitre-atlas/atlas-data dist/ATLAS.yaml (Apache-2.0, Copyright MITRE)",
        "version": str(data["version"]),
        "tactics": tactics,
        "techniques": techniques,
        "mitigations": mitigations,
    }


def dump(catalog: dict[str, Any]) -> str:
    lines = ["{"]
    lines.append(f'"source": {json.dumps(catalog["source"])},')
    lines.append(f'"version": {json.dumps(catalog["version"])},')
    for i, key in enumerate(("tactics", "techniques", "mitigations")):
        items = catalog[key]
        lines.append(f'"{key}": [')
        for j, item in enumerate(items):
            comma = "," if j < len(items) - 1 else ""
            lines.append(json.dumps(item, sort_keys=True, ensure_ascii=False) + comma)
        lines.append("]" + ("," if i < 2 else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> None:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    output = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUTPUT
    with source.open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    catalog = build(data)
    text = dump(catalog)
    json.loads(text)  # what we write must parse
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(
        f"ATLAS {catalog['version']}: {len(catalog['tactics'])} tactics, "
        f"{len(catalog['techniques'])} techniques, {len(catalog['mitigations'])} mitigations "
        f"-> {output}"
    )


if __name__ == "__main__":
    main(sys.argv)
