"""Build src/garrison/intel/data/atlas.json, the compact MITRE ATLAS catalogue Garrison ships.

Usage: python scripts/build_atlas_catalog.py [PATH/TO/ATLAS.yaml] [OUTPUT.json]

Reads the ``dist/ATLAS.yaml`` of ``mitre-atlas/atlas-data`` (Apache-2.0; default
/work/shared/intel/ATLAS.yaml) and writes what ``garrison.intel.atlas_build`` keeps (tactics,
techniques, mitigations, case studies: ids, names, links between them). The output is
deterministic (sorted keys, one line per object), so regenerating it for the same ATLAS version
yields the same bytes. Run it again, and commit the result, when ATLAS is upgraded; Garrison
never reads ATLAS.yaml at run time (``garrison intel sync atlas FILE`` loads a newer release
into a data directory without a new Garrison).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

from garrison.intel.atlas_build import build, dump

DEFAULT_SOURCE = Path("/work/shared/intel/ATLAS.yaml")
DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "src/garrison/intel/data/atlas.json"


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
        f"{len(catalog['techniques'])} techniques, {len(catalog['mitigations'])} mitigations, "
        f"{len(catalog['case_studies'])} case studies -> {output}"
    )


if __name__ == "__main__":
    main(sys.argv)
