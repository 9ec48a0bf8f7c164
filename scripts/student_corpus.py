"""Build the unlabelled corpus the third student candidate was distilled on (not shipped; model
card, "The student tier").

Usage: python scripts/student_corpus.py OUT.jsonl [--cache DIR] [--site-packages DIR]

Multilingual prose that is neither training, calibration, evaluation nor benchmark text: the
Debian handbook (HTML, 26 languages), translated manual pages of Debian 12 (13 languages) and the
descriptions of the Python packages installed in ``--site-packages`` (default: this
interpreter's; they depend on what is installed, so only the Debian part is fixed by the pinned
versions below). Not the standard library's docstrings or source: ``benchmarks/benign_real.py``
scans those. Each line is ``{"text", "channel", "source"}``, the input of ``garrison train
--student --student-text OUT.jsonl``. Downloads the packages with ``apt-get download`` into
``--cache`` (a training-time step; Garrison never reads this at run time) and unpacks them with
``dpkg-deb``; the corpus itself is not redistributed. Seeded: the same packages and the same
site-packages give the same bytes (sha256 feede6c0bdd5… for the candidate of 2026-11-27).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import subprocess
import sysconfig
from html.parser import HTMLParser
from pathlib import Path

PACKAGES = {
    "debian-handbook": "11.20220922",
    **{
        f"manpages-{lang}": "4.18.1-1"
        for lang in ("cs", "de", "es", "fi", "fr", "it", "nl", "pt-br", "ro", "ru")
    },
    "manpages-pl": "1:4.18.1-1",
    "manpages-ja": "0.5.0.0.20221215+dfsg-1",
    "manpages-zh": "1.6.4.0-1",
}
SIZES = ((200, 800), (600, 1600), (1200, 3000))  # characters a text, drawn per file
PER_LANGUAGE = {"handbook": 500, "man": 400}
DESCRIPTIONS = 800
ROFF_ESCAPES = re.compile(r"\\f[BIRP]|\\f\[[A-Z]*\]|\\\(..|\\\[[a-z]+\]|\\[-&e|^ ,/]|\\s[-+]?\d")
ROFF_TEXT = re.compile(r"\.(SH|SS|B|I|BR|IR|RB|IB|BI|TP|IP|Nm|Nd)\s+(.*)")


class Paragraphs(HTMLParser):
    """The text of an HTML page's paragraphs, list items, headings and preformatted blocks."""

    BLOCKS = ("p", "li", "pre", "dt", "h1", "h2", "h3", "td")

    def __init__(self) -> None:
        super().__init__()
        self.out: list[str] = []
        self.cur: list[str] | None = None
        self.tag = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS and self.cur is None:
            self.cur, self.tag = [], tag

    def handle_endtag(self, tag: str) -> None:
        if self.cur is not None and tag == self.tag:
            raw = "".join(self.cur)
            text = raw.strip() if self.tag == "pre" else " ".join(raw.split())
            if len(text) > 20:
                self.out.append(text)
            self.cur = None

    def handle_data(self, data: str) -> None:
        if self.cur is not None:
            self.cur.append(data)


def group(paragraphs: list[str], lo: int, hi: int) -> list[str]:
    """Consecutive paragraphs joined into texts of ``lo``..``hi`` characters (longer ones kept)."""
    out: list[str] = []
    cur = ""
    for p in paragraphs:
        if cur and len(cur) + len(p) > hi:
            if len(cur) >= lo:
                out.append(cur)
            cur = ""
        cur = f"{cur}\n\n{p}" if cur else p
    if len(cur) >= lo:
        out.append(cur)
    return out


def roff_paragraphs(source: str) -> list[str]:
    """A manual page's text: macro lines dropped except their text, escapes removed."""
    lines: list[str] = []
    for line in source.splitlines():
        if line.startswith(('.\\"', "'\\\"")):
            continue
        if line.startswith("."):
            m = ROFF_TEXT.match(line)
            if m:
                lines.append(m.group(2).replace('"', ""))
            elif re.match(r"\.(PP|LP|P|sp|br)\b", line):
                lines.append("")
            continue
        lines.append(line)
    text = ROFF_ESCAPES.sub("", "\n".join(lines)).replace("\\-", "-").replace("\\\\", "\\")
    return [" ".join(p.split()) for p in text.split("\n\n") if len(p.strip()) > 20]


def unpack(cache: Path, packages: dict[str, str] = PACKAGES) -> Path:
    """Download the pinned ``packages`` (name → version) into ``cache`` (once) and unpack them
    under cache/root; returns its usr/share."""
    cache.mkdir(parents=True, exist_ok=True)
    root = cache / "root"
    wanted = [f"{name}={version}" for name, version in packages.items()]
    if not list(cache.glob("*.deb")):
        subprocess.run(["apt-get", "download", *wanted], cwd=cache, check=True)
    for deb in sorted(cache.glob("*.deb")):
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root / "usr/share"


def build(share: Path, site_packages: Path, seed: int = 27) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    handbook = share / "doc/debian-handbook/html"
    for lang in sorted(p.name for p in handbook.iterdir()):
        texts: list[str] = []
        for page in sorted((handbook / lang).glob("*.html")):
            parser = Paragraphs()
            parser.feed(page.read_text("utf-8", "ignore"))
            rng.choice(SIZES)  # kept: the candidate's corpus drew twice per page
            texts += group(parser.out, *rng.choice(SIZES))
        rng.shuffle(texts)
        for t in texts[: PER_LANGUAGE["handbook"]]:
            channel = rng.choice(["user", "document"])
            rows.append({"text": t, "channel": channel, "source": f"handbook/{lang}"})
    for folder in sorted((share / "man").iterdir()):
        if folder.name.startswith("man"):  # the untranslated sections
            continue
        texts = []
        pages = sorted(folder.rglob("*.gz"))
        rng.shuffle(pages)
        for page in pages[:400]:
            try:
                source = gzip.decompress(page.read_bytes()).decode("utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            texts += group(roff_paragraphs(source), *rng.choice(SIZES))[:3]
        rng.shuffle(texts)
        for t in texts[: PER_LANGUAGE["man"]]:
            channel = rng.choice(["user", "document"])
            rows.append({"text": t, "channel": channel, "source": f"man/{folder.name}"})
    descriptions: list[str] = []
    for meta in sorted(site_packages.glob("*.dist-info/METADATA")):
        body = meta.read_text("utf-8", "ignore").split("\n\n", 1)
        if len(body) == 2 and len(body[1]) > 300:
            parts = [p for p in body[1].split("\n\n") if p.strip()]
            descriptions += group(parts, 400, 2500)[:4]
    rng.shuffle(descriptions)
    for t in descriptions[:DESCRIPTIONS]:
        channel = rng.choice(["user", "document", "tool_output"])
        rows.append({"text": t, "channel": channel, "source": "pypi-descriptions"})
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--cache", type=Path, default=Path(".cache/student-corpus"))
    parser.add_argument(
        "--site-packages", type=Path, default=Path(sysconfig.get_paths()["purelib"])
    )
    args = parser.parse_args(argv)
    rows = build(unpack(args.cache), args.site_packages)
    with args.out.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} texts -> {args.out}")


if __name__ == "__main__":
    main()
