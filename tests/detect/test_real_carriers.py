"""Wave 7 of the detection data (scripts/detection_data/real_carriers.py), built from a small
fake Debian tree: which carriers go to training and which to evaluation, and that an injected
twin never brings a payload across the calibration split."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from garrison.detect.train import in_calibration, load_training_rows
from garrison.errors import ConfigError

SCRIPTS = Path(__file__).parents[2] / "scripts" / "detection_data"
WORDS = "the system administrator configures the network interface before the first boot"


def _paragraphs(lang: str, n: int = 40) -> list[str]:
    return [f"{lang} {i}: {WORDS} and checks the log files in section {i}." for i in range(n)]


def _fake_share(root: Path) -> Path:
    share = root / "usr/share"
    for lang in ("de-DE", "es-ES"):
        page = share / "doc/debian-handbook/html" / lang / "ch01.html"
        page.parent.mkdir(parents=True)
        body = "".join(f"<p>{p}</p>" for p in _paragraphs(lang))
        page.write_text(f"<html><body><h1>Handbook {lang}</h1>{body}</body></html>")
    for folder in ("de", "es", "man1"):  # man1: the untranslated pages, skipped
        page = share / "man" / folder / "man1" / "tool.1.gz"
        page.parent.mkdir(parents=True)
        roff = '.\\" comment\n.TH TOOL 1\n.SH NAME\n' + "\n.PP\n".join(_paragraphs(folder))
        page.write_bytes(gzip.compress(roff.encode()))
    reference = share / "debian-reference"
    reference.mkdir(parents=True)
    for lang in ("en", "de"):
        body = "".join(f"<p>{p}</p>" for p in _paragraphs("ref-" + lang))
        (reference / f"ch01.{lang}.html").write_text(f"<html><body><h1>Ref</h1>{body}</body>")
    return share


def _fake_site_packages(root: Path) -> Path:
    meta = root / "site/demo-1.0.dist-info/METADATA"
    meta.parent.mkdir(parents=True)
    meta.write_text("Name: demo\nVersion: 1.0\n\n" + "\n\n".join(_paragraphs("pypi", 30)))
    return meta.parents[1]


@pytest.fixture(scope="module")
def module() -> Any:
    sys.path.insert(0, str(SCRIPTS))
    try:
        import real_carriers
    finally:
        sys.path.remove(str(SCRIPTS))
    return real_carriers


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _holds(text: str, payload: str, to_tags: Any) -> bool:
    """The payload is in the text as written, invisibly (Unicode tags) or in a JSON field."""
    if payload in text or to_tags(payload) in text:
        return True
    try:
        return any(payload in s for s in _strings(json.loads(text)))
    except json.JSONDecodeError:
        return False


def test_real_carriers_split_by_source_and_language_and_keep_payloads_on_their_side(
    tmp_path: Path, module: Any
) -> None:
    share, site = _fake_share(tmp_path), _fake_site_packages(tmp_path)
    train, evaluation = module.build(share, site)
    assert (train, evaluation) == module.build(share, site)  # seeded: the same bytes again

    carriers = lambda rows: {r["carrier"].rsplit("/", 1)[0] for r in rows}  # noqa: E731
    # training: the handbook and man pages outside the held-out languages; evaluation: the
    # held-out languages, the Debian Reference and the package descriptions
    assert carriers(train) == {"handbook/de", "man/de"}
    assert carriers(evaluation) == {
        "handbook/es", "man/es", "reference/en", "reference/de", "pypi-descriptions/en",
    }  # fmt: skip
    assert {r["source"] for r in train + evaluation} == {"garrison-real-carriers"}

    from build import attack_family_split
    from common import to_unicode_tags

    pools = module.payload_pools(module.Builder())
    payloads = {fam: p for side in pools.values() for rows in side.values() for fam, _, p in rows}
    for rows, held_out in ((train, False), (evaluation, True)):
        families = {r["family"] for r in rows if r["label"] == 0}
        injected = [r for r in rows if r["label"] == 1]
        assert injected and len(injected) < len(rows) - len(injected)
        for r in injected:
            # an injected twin shares its carrier's family, so the split keeps them together
            assert r["family"] in families
            fam = r["payload_family"]
            lang, tech = fam.split(".")[1:3]
            assert attack_family_split(fam, lang, tech)[0] == "train"  # never a hold-out family
            # a payload sits on its carrier's side of the calibration split (evaluation: a
            # calibration payload, never trained on)
            assert in_calibration(fam) == (held_out or in_calibration(r["family"]))
            assert _holds(r["text"], payloads[fam], to_unicode_tags)
        assert {r["channel"] for r in rows} <= {"user", "document", "web", "tool_output"}


def test_real_carriers_train_uncapped_and_the_missing_file_names_its_builder(
    tmp_path: Path, module: Any
) -> None:
    train, _ = module.build(_fake_share(tmp_path), _fake_site_packages(tmp_path))
    path = tmp_path / "real_carriers.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in train))
    rows, files = load_training_rows([path])
    assert len(rows) == len(train) and files[0]["rows"] == len(train)
    from garrison.detect.train import cap_public_sources

    assert cap_public_sources(rows, 1, 13) == rows  # the project's own data is never capped
    with pytest.raises(ConfigError, match=r"missing; build it with .*real_carriers\.py"):
        load_training_rows([tmp_path / "nowhere" / "real_carriers.jsonl"])
    with pytest.raises(ConfigError, match="refusing to train"):
        load_training_rows([tmp_path / "real_carriers_eval.jsonl"])
