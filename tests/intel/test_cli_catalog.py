"""`garrison intel` commands as real processes, and the ATLAS catalogue: packaged contents,
OWASP editions, syncing a newer release that the rule linter then uses."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from garrison.intel import catalog
from garrison.intel.atlas_build import CatalogError, dump, sync
from garrison.intel.catalog import atlas, check_tag, owasp, packaged_atlas
from tests.conftest import run_cli
from tests.intel.test_store import MISP_EVENT


def test_packaged_atlas_has_ids_names_links_membership_mitigations_and_case_studies() -> None:
    cat = packaged_atlas()
    t = cat.techniques["AML.T0051.000"]
    assert t.parent == "AML.T0051" and t.tactics == cat.techniques["AML.T0051"].tactics
    assert t.url == "https://atlas.mitre.org/techniques/AML.T0051.000"
    assert all(m.techniques for m in cat.mitigations.values())
    assert all(set(m.techniques) <= set(cat.techniques) for m in cat.mitigations.values())
    assert len(cat.case_studies) > 10
    study = next(iter(cat.case_studies.values()))
    assert study.url.startswith("https://atlas.mitre.org/studies/AML.CS")
    assert set(study.techniques) <= set(cat.techniques)


def test_owasp_entries_always_carry_their_edition() -> None:
    editions = owasp()
    assert set(editions) == {"owasp-llm-2025", "owasp-llm-2026", "owasp-agentic-2026"}
    assert editions["owasp-llm-2025"].entries["LLM03"].name == "Supply Chain"
    assert editions["owasp-llm-2026"].entries["LLM03"].name == "Excessive Agency"
    assert editions["owasp-agentic-2026"].entries["ASI01"].label == "ASI01:2026"


def _newer_release(tmp_path: Path, version: str = "99.0.0") -> Path:
    data = json.loads(dump(json.loads(json.dumps(_compact()))))
    data["version"] = version
    data["techniques"].append(
        {"id": "AML.T9999", "name": "Test Technique", "tactics": ["AML.TA0005"]}
    )
    path = tmp_path / f"atlas-{version}.json"
    path.write_text(json.dumps(data))
    return path


def _compact() -> dict[str, object]:
    from importlib import resources

    text = resources.files("garrison.intel").joinpath("data/atlas.json").read_text("utf-8")
    return dict(json.loads(text))


def test_sync_installs_a_newer_release_atomically_and_refuses_bad_or_older(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    assert check_tag("atlas.AML.T9999") is not None
    sync(_newer_release(tmp_path), data_dir)
    target = data_dir / "intel" / "atlas.json"
    assert atlas().version == "99.0.0" and atlas().origin == str(target)
    assert check_tag("atlas.AML.T9999") is None
    before = target.read_bytes()
    broken = tmp_path / "broken.json"
    broken.write_text('{"version": "100.0", "tactics": [], "techniques": []}')
    with pytest.raises(CatalogError, match="'tactics' is missing or empty"):
        sync(broken, data_dir)
    with pytest.raises(CatalogError, match="older than the catalogue in force"):
        sync(_newer_release(tmp_path, "98.0.0"), data_dir)
    assert target.read_bytes() == before and list(target.parent.iterdir()) == [target]
    catalog.use_data_dir(tmp_path / "elsewhere")
    assert atlas().origin == "package"


def test_sync_from_atlas_yaml(tmp_path: Path) -> None:
    source = Path("/work/shared/intel/ATLAS.yaml")
    if not source.exists():
        pytest.skip("ATLAS.yaml is in ../shared only")
    new = sync(source, tmp_path / "data", allow_older=True)
    assert new["version"] == packaged_atlas().version
    assert new["techniques"] == _compact()["techniques"]


RULE = """\
title: Uses a technique only the newer ATLAS has
id: 0b3f9a52-1c2d-4e5f-8a9b-0c1d2e3f4a5b
status: experimental
tags: [atlas.AML.T9999]
logsource: {product: garrison, category: prompt}
detection:
  sel: {content|contains: zzz-never}
  condition: sel
level: low
"""


def test_cli_sync_then_rules_lint_sees_the_newer_catalogue(tmp_path: Path) -> None:
    rule = tmp_path / "rule.yml"
    rule.write_text(RULE)
    data_dir = tmp_path / "data"
    before = run_cli("rules", "lint", str(rule), env={"GARRISON_DATA_DIR": str(data_dir)})
    assert before.returncode != 0 and "AML.T9999" in before.stdout + before.stderr
    done = run_cli(
        "intel", "sync", "atlas", str(_newer_release(tmp_path)), "--data-dir", str(data_dir)
    )
    assert done.returncode == 0, done.stderr
    assert "ATLAS 99.0.0" in done.stdout
    after = run_cli("rules", "lint", str(rule), env={"GARRISON_DATA_DIR": str(data_dir)})
    assert "no such id" not in after.stdout + after.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("matrices: [")
    refused = run_cli("intel", "sync", "atlas", str(bad), "--data-dir", str(data_dir))
    assert refused.returncode == 2 and "does not parse" in refused.stderr


def test_cli_import_export_round_trip_and_bad_files(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "data"), "--tenant", "acme"]
    misp = tmp_path / "event.json"
    misp.write_bytes(orjson.dumps(MISP_EVENT))
    done = run_cli("intel", "import", str(misp), "--format", "misp", "--source", "misp-x", *data)
    assert done.returncode == 0, done.stderr
    assert "3 created" in done.stdout and "3 indicators" in done.stdout
    out = tmp_path / "out.json"
    exported = run_cli("intel", "export", "-o", str(out), *data)
    assert exported.returncode == 0, exported.stderr
    objects = orjson.loads(out.read_bytes())["objects"]
    assert len(objects) == 3 and {o["type"] for o in objects} == {"indicator"}
    again = run_cli(
        "intel", "import", str(out), "--tenant", "globex", "--data-dir", str(tmp_path / "data")
    )
    assert again.returncode == 0 and "3 created" in again.stdout
    csv = tmp_path / "list.csv"
    csv.write_text("type,value\ndomain,ok.example\nurl,not a url\n")
    bad = run_cli("intel", "import", str(csv), *data)
    assert bad.returncode == 2 and "CSV line 3" in bad.stderr
    none = run_cli("intel", "poll", "--data-dir", str(tmp_path / "data"))
    assert none.returncode == 2 and "no feeds configured" in none.stderr
