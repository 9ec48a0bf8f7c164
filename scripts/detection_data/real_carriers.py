#!/usr/bin/env python3
"""Build wave 7 of the detection data: real documentation as benign carriers, and the same
carriers with an injection of the Garrison corpus in them.

    python scripts/detection_data/real_carriers.py [--cache .cache/real-carriers]

writes ``real_carriers.jsonl`` (training) and ``real_carriers_eval.jsonl`` (never trained on)
into the cache folder. Not redistributed: the carriers are Debian documentation (the Debian
handbook, GPL-2+ / CC-BY-SA-3.0; translated manual pages, mostly GPL; the Debian Reference,
GPL-2+) downloaded as pinned packages with ``apt-get download`` — a training-time step; Garrison
never reads this at run time.

Why: the hand-written corpus's benign documents are short and written by us; real technical
documentation (commands, options, warnings, "you must …") was flagged as injection — 24 % of
the Debian texts pasted as user prompts (model card, Known weaknesses). Adding it as benign rows
alone taught the model that documentation is benign and cost tool-output AUC in every seed
(model card, "Research, not shipped"); so every carrier also gets, with probability 1/2, a twin
with an injection in it (the ``wrappers`` of ``build.py``, the corpus's own indirect payloads,
positions and channel shapes), which leaves "looks like documentation" worth little as a label.

Splits, so nothing measured was trained on:
- training carriers: the handbook and the manual pages in every language but es, ja, ru, pl and
  zh_TW; a carrier's benign and injected renderings share its family, so the training script's
  calibration split keeps them together; a carrier in calibration gets a payload whose family
  is in calibration, one in training a payload whose family is in training (never a hold-out
  family: ``build.attack_family_split``);
- evaluation (``real_carriers_eval.jsonl``, refused by ``garrison train`` by its name): the
  handbook and manual pages in the five held-out languages, the Debian Reference (a source never
  trained on, 8 languages) and the descriptions of installed Python packages (depends on what is
  installed); injected twins carry calibration-family payloads (never trained on).
Seeded: the same packages give the same bytes for the Debian parts.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import sysconfig
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE / "content"), str(HERE.parent)]

import wrappers as W  # noqa: E402
from build import Builder, attack_family_split  # noqa: E402
from common import is_ascii  # noqa: E402
from student_corpus import PACKAGES as CORPUS_PACKAGES  # noqa: E402
from student_corpus import Paragraphs, group, roff_paragraphs, unpack  # noqa: E402

from garrison.detect.train import in_calibration  # noqa: E402

PACKAGES = {
    **CORPUS_PACKAGES,
    **{f"debian-reference-{lang}": "2.100" for lang in ("common", "de", "en", "es", "fr", "it",
                                                        "ja", "pt", "zh-cn")},
}  # fmt: skip
HELD_OUT_LANGS = {"es", "ja", "ru", "pl", "zh-tw"}
PER_LANGUAGE = 40  # carriers per (source, language)
SIZES = ((200, 800), (600, 1600), (1200, 3000))  # characters a carrier, drawn per page
P_INJECTED = 0.5
P_INVISIBLE = 0.1
P_ENGLISH_PAYLOAD = 0.2
# channel shapes of a carrier: benign and injected renderings draw from the same mix
CHANNELS = ("document", "web", "tool_output", "user", "user_paste")
CHANNEL_WEIGHTS = (30, 15, 25, 15, 15)


def lang_code(name: str) -> str:
    """``de-DE`` / ``pt_BR`` / ``zh-cn`` → ``de`` / ``pt`` / ``zh``; ``zh-TW`` stays ``zh-tw``."""
    low = name.lower().replace("_", "-")
    return low if low == "zh-tw" else low.split("-")[0]


def html_docs(pages: list[Path], rng: random.Random) -> list[dict]:
    docs: list[dict] = []
    for page in pages:
        parser = Paragraphs()
        parser.feed(page.read_text("utf-8", "ignore"))
        paras = parser.out
        title = paras[0][:80] if paras else page.stem
        for text in group(paras[1:], *rng.choice(SIZES)):
            docs.append({"title": title, "paras": text.split("\n\n"), "page": page.name})
    return docs


def man_docs(pages: list[Path], rng: random.Random) -> list[dict]:
    docs: list[dict] = []
    for page in pages:
        try:
            source = gzip.decompress(page.read_bytes()).decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        name = page.name.split(".")[0]
        for text in group(roff_paragraphs(source), *rng.choice(SIZES))[:3]:
            docs.append({"title": f"{name}(1)", "paras": text.split("\n\n"), "page": page.name})
    return docs


def description_docs(site_packages: Path) -> list[dict]:
    docs: list[dict] = []
    for meta in sorted(site_packages.glob("*.dist-info/METADATA")):
        head, _, body = meta.read_text("utf-8", "ignore").partition("\n\n")
        name = next((ln[6:] for ln in head.splitlines() if ln.startswith("Name: ")), meta.name)
        if len(body) > 300:
            parts = [p for p in body.split("\n\n") if p.strip()]
            for text in group(parts, 400, 2500)[:4]:
                docs.append({"title": name, "paras": text.split("\n\n"), "page": meta.parent.name})
    return docs


def carriers(share: Path, site_packages: Path, seed: int = 7) -> dict[tuple[str, str], list[dict]]:
    """(source, language) → up to ``PER_LANGUAGE`` documents, each ``{title, paras, page}``."""
    rng = random.Random(seed)
    out: dict[tuple[str, str], list[dict]] = {}
    handbook = share / "doc/debian-handbook/html"
    for lang in sorted(p.name for p in handbook.iterdir()):
        pages = sorted((handbook / lang).glob("*.html"))
        out[("handbook", lang_code(lang))] = html_docs(pages, rng)
    for folder in sorted((share / "man").iterdir()):
        if not folder.name.startswith("man"):  # the translated manual pages
            pages = sorted(folder.rglob("*.gz"))
            rng.shuffle(pages)
            out[("man", lang_code(folder.name))] = man_docs(pages[:300], rng)
    reference = share / "debian-reference"
    for lang in ("de", "en", "es", "fr", "it", "ja", "pt", "zh-cn"):
        pages = sorted(reference.glob(f"*.{lang}.html"))
        out[("reference", lang_code(lang))] = html_docs(pages, rng)
    out[("pypi-descriptions", "en")] = description_docs(site_packages)
    for key, docs in out.items():
        rng.shuffle(docs)
        out[key] = docs[: PER_LANGUAGE * (5 if key[0] == "pypi-descriptions" else 1)]
    return out


def payload_pools(b: Builder) -> dict[bool, dict[str, list[tuple[str, str, str]]]]:
    """in calibration? → language → (family, technique, payload) of the corpus's indirect
    payloads whose family is in the training split (``build.attack_family_split``)."""
    pools: dict[bool, dict[str, list[tuple[str, str, str]]]] = {True: {}, False: {}}
    for lang, m in sorted(b.mods_all.items()):
        for i, (tech, p) in enumerate(m.INDIRECT):
            fam = f"atk.{lang}.{tech}.i{i:02d}"
            if attack_family_split(fam, lang, tech)[0] == "train":
                pools[in_calibration(fam)].setdefault(lang, []).append((fam, tech, p))
    return pools


def render(
    b: Builder, doc: dict, lang: str, channel: str, r: random.Random,
    inj: str | None = None, pos: str | None = None, invisible: bool = False,
) -> str:  # fmt: skip
    if channel == "document":
        return W.render_document(doc, r, inj, pos, invisible)
    if channel == "web":
        return W.render_web(doc, r, inj, pos, invisible, lang=lang)
    if channel == "tool_output":
        return W.render_tool_doc(doc, r, inj, pos, invisible)
    inner = W.render_document(doc, r, inj, pos, invisible)
    if inner.startswith("[Retrieved chunk"):  # a user pastes text, not a RAG chunk header
        inner = inner.split("\n", 1)[1]
    if channel == "user":
        return inner
    frames = b.paste_frames.get(lang.split("-")[0]) or b.paste_frames["en"]
    return r.choice(frames).replace("{doc}", inner)


POSITIONS = {
    "document": ["start", "middle", "end", "inline"],
    "web": W.WEB_POSITIONS,
    "tool_output": W.TOOL_DOC_POSITIONS,
    "user": ["start", "middle", "end", "inline"],
    "user_paste": ["start", "middle", "end", "inline"],
}


def build(share: Path, site_packages: Path) -> tuple[list[dict], list[dict]]:
    b = Builder()
    pools = payload_pools(b)
    train: list[dict] = []
    evaluation: list[dict] = []
    for (source, lang), docs in sorted(carriers(share, site_packages).items()):
        held_out = source in ("reference", "pypi-descriptions") or lang in HELD_OUT_LANGS
        for k, doc in enumerate(docs):
            family = f"real.{source}.{lang}.{k:03d}"
            r = random.Random(f"real:{family}")
            calib = held_out or in_calibration(family)
            base = {"lang": lang, "family": family, "source": "garrison-real-carriers",
                    "carrier": f"{source}/{lang}/{doc['page']}"}  # fmt: skip
            out = evaluation if held_out else train
            channel = r.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
            text = render(b, doc, lang, channel, r)
            out.append({"text": text, "label": 0, "channel": channel.replace("_paste", ""),
                        **base, "subtype": f"real_{channel}"})  # fmt: skip
            if r.random() >= P_INJECTED:
                continue
            pool = pools[calib]
            plang = lang.split("-")[0]
            if plang not in pool or r.random() < P_ENGLISH_PAYLOAD:
                plang = "en"
            fam, tech, payload = r.choice(pool[plang])
            channel = r.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
            invisible = is_ascii(payload) and r.random() < P_INVISIBLE
            pos = r.choice(POSITIONS[channel])
            text = render(b, doc, lang, channel, r, payload, None if invisible else pos, invisible)
            out.append({"text": text, "label": 1, "channel": channel.replace("_paste", ""),
                        **base, "subtype": f"real_{channel}", "technique": tech,
                        "payload_family": fam, "payload_lang": plang,
                        "position": "unicode_tags" if invisible else pos})  # fmt: skip
    return train, evaluation


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=Path(".cache/real-carriers"))
    parser.add_argument(
        "--site-packages", type=Path, default=Path(sysconfig.get_paths()["purelib"])
    )
    args = parser.parse_args(argv)
    train, evaluation = build(unpack(args.cache, PACKAGES), args.site_packages)
    for name, rows in (("real_carriers.jsonl", train), ("real_carriers_eval.jsonl", evaluation)):
        with (args.cache / name).open("w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        attacks = sum(r["label"] for r in rows)
        print(f"{len(rows)} rows ({attacks} injected) -> {args.cache / name}")


if __name__ == "__main__":
    main()
