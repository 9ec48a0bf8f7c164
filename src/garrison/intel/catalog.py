"""The MITRE ATLAS and OWASP catalogues, and the tag syntax rules and findings use to cite them.

``atlas()`` loads the compact ATLAS catalogue shipped as ``garrison/intel/data/atlas.json``
(built from ATLAS.yaml by ``scripts/build_atlas_catalog.py``), unless ``garrison intel sync
atlas`` stored a newer release in the data directory (``<data dir>/intel/atlas.json``, the data
directory being the one ``use_data_dir`` was given, else ``$GARRISON_DATA_DIR``, else
``garrison-data``): then that one, so the rule linter, reports and the Navigator all see the
newer catalogue. An override that does not load is ignored with a warning. ``owasp()`` returns
the OWASP Top 10 for LLM Applications (2025 and 2026 editions) and the OWASP Top 10 for Agentic
Applications (2026). Both are loaded once and cached; they are immutable values.

Tag syntax (the namespace carries the edition, because OWASP renumbered its list in 2026 and
``LLM03`` means Supply Chain in 2025 but Excessive Agency in 2026):

    atlas.AML.T0051          an ATLAS technique        atlas.AML.TA0005   an ATLAS tactic
    atlas.AML.T0051.000      an ATLAS sub-technique
    owasp-llm-2025.LLM01     OWASP LLM Top 10, 2025    owasp-llm-2026.LLM08  …2026 edition
    owasp-agentic-2026.ASI01 OWASP Top 10 for Agentic Applications (v1.0, Dec 2025, "2026")

``check_tag`` validates a tag of these namespaces and leaves other Sigma namespaces (``attack.``,
``cve.``, ``tlp.``, …) alone. This module must never fetch anything over the network, and must
never read ATLAS.yaml at run time (the package has to work without it).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

log = logging.getLogger("garrison.intel")

ATLAS_URL = "https://atlas.mitre.org"


@dataclass(frozen=True, slots=True)
class AtlasTactic:
    id: str  # AML.TA0005
    name: str

    @property
    def url(self) -> str:
        return f"{ATLAS_URL}/tactics/{self.id}"


@dataclass(frozen=True, slots=True)
class AtlasTechnique:
    id: str  # AML.T0051 or AML.T0051.000
    name: str
    tactics: tuple[str, ...]  # a sub-technique's are its parent's
    parent: str | None = None  # set for sub-techniques
    maturity: str | None = None  # demonstrated | realized | feasible

    @property
    def url(self) -> str:
        return f"{ATLAS_URL}/techniques/{self.id}"

    @property
    def is_subtechnique(self) -> bool:
        return self.parent is not None


@dataclass(frozen=True, slots=True)
class AtlasMitigation:
    id: str  # AML.M0020
    name: str
    techniques: tuple[str, ...] = ()  # the techniques it addresses

    @property
    def url(self) -> str:
        return f"{ATLAS_URL}/mitigations/{self.id}"


@dataclass(frozen=True, slots=True)
class AtlasCaseStudy:
    id: str  # AML.CS0000
    name: str
    techniques: tuple[str, ...] = ()  # used in its procedure, in order
    date: str | None = None  # incident date, YYYY-MM-DD

    @property
    def url(self) -> str:
        return f"{ATLAS_URL}/studies/{self.id}"


@dataclass(frozen=True, slots=True)
class AtlasCatalog:
    version: str
    tactics: Mapping[str, AtlasTactic]  # in ATLAS matrix order
    techniques: Mapping[str, AtlasTechnique]
    mitigations: Mapping[str, AtlasMitigation]
    case_studies: Mapping[str, AtlasCaseStudy] = field(default_factory=lambda: MappingProxyType({}))
    origin: str = "package"  # "package", or the path of a synced override

    def tactic_techniques(self, tactic_id: str) -> tuple[AtlasTechnique, ...]:
        """Techniques (and sub-techniques) that belong to ``tactic_id``."""
        return tuple(t for t in self.techniques.values() if tactic_id in t.tactics)

    def subtechniques(self, technique_id: str) -> tuple[AtlasTechnique, ...]:
        return tuple(t for t in self.techniques.values() if t.parent == technique_id)


ATLAS_OVERRIDE = Path("intel") / "atlas.json"
_data_dir: Path | None = None


def use_data_dir(path: Path | None) -> None:
    """Where a synced ATLAS release may be (``<path>/intel/atlas.json``); reloads ``atlas()``."""
    global _data_dir
    _data_dir = path
    atlas.cache_clear()


def override_path() -> Path:
    base = _data_dir or Path(os.environ.get("GARRISON_DATA_DIR") or "garrison-data")
    return base / ATLAS_OVERRIDE


def catalog_from(data: Mapping[str, Any], origin: str = "package") -> AtlasCatalog:
    """An AtlasCatalog from the compact JSON form (see ``atlas_build``)."""
    tactics = {t["id"]: AtlasTactic(t["id"], t["name"]) for t in data["tactics"]}
    techniques = {
        t["id"]: AtlasTechnique(
            id=t["id"],
            name=t["name"],
            tactics=tuple(t.get("tactics", ())),
            parent=t.get("parent"),
            maturity=t.get("maturity"),
        )
        for t in data["techniques"]
    }
    mitigations = {
        m["id"]: AtlasMitigation(m["id"], m["name"], tuple(m.get("techniques", ())))
        for m in data["mitigations"]
    }
    studies = {
        c["id"]: AtlasCaseStudy(c["id"], c["name"], tuple(c.get("techniques", ())), c.get("date"))
        for c in data.get("case_studies", ())
    }
    return AtlasCatalog(
        version=str(data["version"]),
        tactics=MappingProxyType(tactics),
        techniques=MappingProxyType(techniques),
        mitigations=MappingProxyType(mitigations),
        case_studies=MappingProxyType(studies),
        origin=origin,
    )


def packaged_atlas() -> AtlasCatalog:
    """The ATLAS catalogue shipped with this Garrison release."""
    text = resources.files("garrison.intel").joinpath("data/atlas.json").read_text("utf-8")
    return catalog_from(json.loads(text))


@functools.cache
def atlas() -> AtlasCatalog:
    """The ATLAS catalogue in force: a synced newer release if there is one, else the packaged
    one (loaded once; ``use_data_dir`` and ``garrison intel sync atlas`` reload it)."""
    path = override_path()
    if path.is_file():
        from garrison.intel.atlas_build import CatalogError, validate

        try:
            return catalog_from(validate(json.loads(path.read_text("utf-8"))), str(path))
        except (OSError, ValueError, KeyError, TypeError, CatalogError) as exc:
            log.warning("ignoring the ATLAS catalogue at %s: %s", path, exc)
    return packaged_atlas()


@dataclass(frozen=True, slots=True)
class OwaspEntry:
    edition: str  # the tag namespace: owasp-llm-2025, owasp-llm-2026, owasp-agentic-2026
    id: str  # LLM01, ASI01
    name: str

    @property
    def tag(self) -> str:
        return f"{self.edition}.{self.id}"

    @property
    def label(self) -> str:
        """The id as OWASP writes it with its year, e.g. ``LLM01:2025``."""
        return f"{self.id}:{self.edition.rsplit('-', 1)[1]}"


@dataclass(frozen=True, slots=True)
class OwaspEdition:
    namespace: str
    title: str
    published: str
    entries: Mapping[str, OwaspEntry]


# Names as listed in docs/research/telemetry-and-detection-as-code.md §4.2 (from the OWASP
# sources cited there). Every id of the three lists has a name there; none is invented here.
_LLM_2025 = (
    "Prompt Injection",
    "Sensitive Information Disclosure",
    "Supply Chain",
    "Data and Model Poisoning",
    "Improper Output Handling",
    "Excessive Agency",
    "System Prompt Leakage",
    "Vector and Embedding Weaknesses",
    "Misinformation",
    "Unbounded Consumption",
)
_LLM_2026 = (
    "Prompt Injection",
    "Sensitive Information Disclosure",
    "Excessive Agency",
    "Supply Chain",
    "Data and Model Poisoning",
    "Unbounded Consumption",
    "Misinformation",
    "Hidden Context Exposure",  # successor of 2025's System Prompt Leakage
    "Vector and Embedding Weaknesses",
    "Improper Output Handling",
)
# OWASP Top 10 for Agentic Applications, v1.0 published in December 2025 under the title
# "... for Agentic Applications 2026"; the namespace carries 2026, the year in its title.
_AGENTIC_2026 = (
    "Agent Goal Hijack",
    "Tool Misuse and Exploitation",
    "Identity and Privilege Abuse",
    "Agentic Supply Chain Vulnerabilities",
    "Unexpected Code Execution",
    "Memory and Context Poisoning",
    "Insecure Inter-Agent Communication",
    "Cascading Failures",
    "Human-Agent Trust Exploitation",
    "Rogue Agents",
)


def _edition(
    namespace: str, title: str, published: str, prefix: str, names: tuple[str, ...]
) -> OwaspEdition:
    entries = {
        f"{prefix}{i:02d}": OwaspEntry(namespace, f"{prefix}{i:02d}", name)
        for i, name in enumerate(names, start=1)
    }
    return OwaspEdition(namespace, title, published, MappingProxyType(entries))


@functools.cache
def owasp() -> Mapping[str, OwaspEdition]:
    """The OWASP editions Garrison knows, by tag namespace."""
    editions = (
        _edition(
            "owasp-llm-2025",
            "OWASP Top 10 for LLM Applications 2025",
            "2024-11-18",
            "LLM",
            _LLM_2025,
        ),
        _edition(
            "owasp-llm-2026",
            "OWASP Top 10 for LLM Applications 2026",
            "2026-08-04",
            "LLM",
            _LLM_2026,
        ),
        _edition(
            "owasp-agentic-2026",
            "OWASP Top 10 for Agentic Applications 2026",
            "2025-12",
            "ASI",
            _AGENTIC_2026,
        ),
    )
    return MappingProxyType({e.namespace: e for e in editions})


# --- tags ---------------------------------------------------------------------------------------

_ATLAS_ID = re.compile(r"AML\.(?:TA\d{4}|T\d{4}(?:\.\d{3})?)")
_OWASP_ID = re.compile(r"(?:LLM|ASI)\d{2}")
# Namespaces other projects use for the same catalogues: a hint, never accepted silently.
_ALIASES = {
    "owasp-asi-2026": "owasp-agentic-2026",
    "owasp-agentic-2025": "owasp-agentic-2026",
    "owasp-llm": "owasp-llm-2025 or owasp-llm-2026",
    "owasp": "owasp-llm-2025, owasp-llm-2026 or owasp-agentic-2026",
    "mitre-atlas": "atlas",
}
# Sigma's own namespaces (appendix "tags"); validated elsewhere or not at all.
SIGMA_NAMESPACES = frozenset({"attack", "car", "cve", "d3fend", "detection", "tlp", "stp"})


@dataclass(frozen=True, slots=True)
class TagProblem:
    message: str
    severity: str  # "error" or "warning"


def check_tag(tag: str) -> TagProblem | None:
    """``None`` when ``tag`` is valid, else what is wrong with it.

    ATLAS and OWASP tags are checked against the catalogues: the id must exist *in that
    edition*. A wrongly cased id is an error that names the canonical spelling.
    """
    if not isinstance(tag, str) or "." not in tag:
        return TagProblem(f"tag {tag!r} is not namespace.name", "error")
    namespace, _, name = tag.partition(".")
    if namespace == "atlas":
        canonical = name.upper()
        if not _ATLAS_ID.fullmatch(canonical):
            return TagProblem(
                f"tag {tag!r}: not an ATLAS id (AML.T0000, AML.T0000.000 or AML.TA0000)", "error"
            )
        catalog = atlas()
        if canonical not in catalog.techniques and canonical not in catalog.tactics:
            return TagProblem(f"tag {tag!r}: no such id in ATLAS {catalog.version}", "error")
        if canonical != name:
            return TagProblem(f"tag {tag!r}: write it as 'atlas.{canonical}'", "error")
        return None
    editions = owasp()
    if namespace in editions:
        canonical = name.upper()
        if not _OWASP_ID.fullmatch(canonical):
            return TagProblem(f"tag {tag!r}: not an OWASP id (LLM01, ASI01, …)", "error")
        edition = editions[namespace]
        if canonical not in edition.entries:
            return TagProblem(f"tag {tag!r}: {edition.title} has no {canonical}", "error")
        if canonical != name:
            return TagProblem(f"tag {tag!r}: write it as '{namespace}.{canonical}'", "error")
        return None
    if namespace in _ALIASES:
        return TagProblem(
            f"tag {tag!r}: unknown namespace {namespace!r}; use {_ALIASES[namespace]}", "error"
        )
    if namespace in SIGMA_NAMESPACES:
        return None
    return TagProblem(f"tag {tag!r}: unknown tag namespace {namespace!r}", "warning")
