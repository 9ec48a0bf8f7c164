"""Building the compact ATLAS catalogue (``data/atlas.json``) from ATLAS.yaml, and validating
one before it replaces another.

Used by ``scripts/build_atlas_catalog.py`` (the packaged file) and ``garrison intel sync atlas``
(a newer release stored in the data directory, see ``catalog.atlas``). Keeps what tags, reports
and the Navigator need: the version, tactics (id, name) in matrix order, techniques (id, name,
tactics, sub-technique parent, maturity), mitigations (id, name, the techniques they address) and
case studies (id, name, the techniques their procedure used). Descriptions are left out.
Sub-techniques carry no tactics in ATLAS; the catalogue gives them their parent's, which is how
ATLAS shows them. The output is deterministic (sorted keys, one line per object).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

SOURCE = "mitre-atlas/atlas-data dist/ATLAS.yaml (Apache-2.0, Copyright MITRE)"
_TACTIC = re.compile(r"AML\.TA\d{4}")
_TECHNIQUE = re.compile(r"AML\.T\d{4}(?:\.\d{3})?")
_MITIGATION = re.compile(r"AML\.M\d{4}")
_CASE_STUDY = re.compile(r"AML\.CS\d{4}")
_VERSION = re.compile(r"\d+(?:\.\d+){0,3}")
SECTIONS = ("tactics", "techniques", "mitigations", "case_studies")


class CatalogError(ValueError):
    """What is wrong with an ATLAS file, naming the object."""


def build(data: Mapping[str, Any]) -> dict[str, Any]:
    """The compact catalogue from a parsed ATLAS.yaml; CatalogError naming what is wrong."""
    try:
        return _build(data)
    except (KeyError, TypeError, AttributeError, IndexError) as exc:
        raise CatalogError(f"ATLAS.yaml is not in the expected shape: {exc!r}") from None


def _build(data: Mapping[str, Any]) -> dict[str, Any]:
    matrix = data["matrices"][0]
    tactics = []
    for t in matrix["tactics"]:
        if not _TACTIC.fullmatch(str(t["id"])):
            raise CatalogError(f"unexpected tactic id {t['id']!r}")
        tactics.append({"id": t["id"], "name": t["name"]})
    known_tactics = {t["id"] for t in tactics}

    raw = {t["id"]: t for t in matrix["techniques"]}
    techniques = []
    for tid in sorted(raw):
        t = raw[tid]
        if not _TECHNIQUE.fullmatch(str(tid)):
            raise CatalogError(f"unexpected technique id {tid!r}")
        parent = t.get("subtechnique-of")
        if parent and parent not in raw:
            raise CatalogError(f"{tid}: parent {parent!r} is not a technique")
        source = raw[parent] if parent else t
        member_of = list(source.get("tactics") or [])
        unknown = set(member_of) - known_tactics
        if unknown:
            raise CatalogError(f"{tid}: unknown tactics {sorted(unknown)}")
        entry: dict[str, Any] = {"id": tid, "name": t["name"], "tactics": member_of}
        if parent:
            entry["parent"] = parent
        if t.get("maturity"):
            entry["maturity"] = t["maturity"]
        techniques.append(entry)

    mitigations = []
    for m in sorted(matrix.get("mitigations") or [], key=lambda m: m["id"]):
        if not _MITIGATION.fullmatch(str(m["id"])):
            raise CatalogError(f"unexpected mitigation id {m['id']!r}")
        addressed = sorted(
            {str(r["id"]) for r in m.get("techniques") or [] if str(r.get("id")) in raw}
        )
        mitigations.append({"id": m["id"], "name": m["name"], "techniques": addressed})

    case_studies = []
    for cs in sorted(data.get("case-studies") or [], key=lambda c: c["id"]):
        if not _CASE_STUDY.fullmatch(str(cs["id"])):
            raise CatalogError(f"unexpected case study id {cs['id']!r}")
        used = [str(p["technique"]) for p in cs.get("procedure") or [] if p.get("technique")]
        entry = {
            "id": cs["id"],
            "name": cs["name"],
            "techniques": list(dict.fromkeys(u for u in used if u in raw)),
        }
        if cs.get("incident-date"):
            entry["date"] = str(cs["incident-date"])[:10]
        case_studies.append(entry)

    return {
        "source": SOURCE,
        "version": str(data["version"]),
        "tactics": tactics,
        "techniques": techniques,
        "mitigations": mitigations,
        "case_studies": case_studies,
    }


def dump(catalog: Mapping[str, Any]) -> str:
    lines = ["{"]
    lines.append(f'"source": {json.dumps(catalog["source"])},')
    lines.append(f'"version": {json.dumps(catalog["version"])},')
    for i, key in enumerate(SECTIONS):
        items = catalog.get(key, [])
        lines.append(f'"{key}": [')
        for j, item in enumerate(items):
            comma = "," if j < len(items) - 1 else ""
            lines.append(json.dumps(item, sort_keys=True, ensure_ascii=False) + comma)
        lines.append("]" + ("," if i < len(SECTIONS) - 1 else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def validate(catalog: Any) -> dict[str, Any]:
    """A compact catalogue that is safe to load: ids well-formed, references resolved."""
    if not isinstance(catalog, Mapping):
        raise CatalogError("the catalogue is not a JSON object")
    version = str(catalog.get("version", ""))
    if not _VERSION.fullmatch(version):
        raise CatalogError(f"version {version[:20]!r} is not a release number like 5.6.0")
    for key, pattern in (
        ("tactics", _TACTIC),
        ("techniques", _TECHNIQUE),
        ("mitigations", _MITIGATION),
    ):
        items = catalog.get(key)
        if not isinstance(items, list) or not items:
            raise CatalogError(f"'{key}' is missing or empty")
        for i, item in enumerate(items):
            if not isinstance(item, Mapping) or not pattern.fullmatch(str(item.get("id"))):
                raise CatalogError(f"{key}[{i}]: bad or missing id")
            if not isinstance(item.get("name"), str) or not item["name"]:
                raise CatalogError(f"{key}[{i}] ({item['id']}): missing name")
    tactics = {t["id"] for t in catalog["tactics"]}
    techniques = {t["id"] for t in catalog["techniques"]}
    for t in catalog["techniques"]:
        bad = set(t.get("tactics") or ()) - tactics
        if bad:
            raise CatalogError(f"technique {t['id']}: unknown tactics {sorted(bad)}")
        if t.get("parent") and t["parent"] not in techniques:
            raise CatalogError(f"technique {t['id']}: unknown parent {t['parent']}")
    for i, cs in enumerate(catalog.get("case_studies") or ()):
        if not isinstance(cs, Mapping) or not _CASE_STUDY.fullmatch(str(cs.get("id"))):
            raise CatalogError(f"case_studies[{i}]: bad or missing id")
    return dict(catalog)


def version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".") if p.isdigit())


def load_release(path: Path) -> dict[str, Any]:
    """A compact catalogue from ATLAS.yaml or a compact atlas.json; CatalogError when it is
    neither, or not valid."""
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise CatalogError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise CatalogError(f"{path} is not UTF-8 text") from None
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except Exception as exc:  # json.JSONDecodeError, yaml.YAMLError
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise CatalogError(f"{path} does not parse: {first}") from None
    if isinstance(data, Mapping) and "matrices" in data:
        data = build(data)
    return validate(data)


def sync(path: Path, data_dir: Path, *, allow_older: bool = False) -> dict[str, Any]:
    """Validate the release at ``path`` and make it the catalogue of ``data_dir``: written to a
    temporary file beside the target, flushed, then renamed over it (atomic: readers see the
    old file or the new one, never half of one). An older release than the one in force is
    refused unless ``allow_older``. Returns the catalogue stored."""
    from garrison.intel import catalog

    new = load_release(path)
    catalog.use_data_dir(data_dir)
    current = catalog.atlas()
    if not allow_older and version_tuple(new["version"]) < version_tuple(current.version):
        raise CatalogError(
            f"ATLAS {new['version']} is older than the catalogue in force ({current.version}); "
            "pass --allow-older to install it anyway"
        )
    target = data_dir / catalog.ATLAS_OVERRIDE
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as f:
            f.write(dump({"source": new.get("source", SOURCE), **new}))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    catalog.atlas.cache_clear()
    return new
