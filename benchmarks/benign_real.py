"""Alerts on untrusted content: false alerts on real benign text an agent reads (documentation,
source files), and alerts on held-out attacks, from the detectors and the built-in rule pack.

Texts no detector or rule was trained or tuned on: the Python standard library of the running
interpreter (PSF-2.0) — module and API docstrings as retrieved documents, module source as a
``read_file`` tool result — cut at paragraph breaks into 0.5–3 KB pieces, a seeded sample. Each
becomes one event (``retrieval`` / ``tool_result``) and goes through the default detection stage:
the default detectors and the built-in rule pack, streaming, exactly as ``garrison scan`` runs
them. Also through it: the benign and the attack rows of the untrusted channels of the project's
hold-out corpus (``data/detection/holdout.jsonl``: documents, e-mails, web pages, memory, tool
output in 17 languages) and of AgentDojo's tool outputs
(``data/detection/agentdojo_holdout.jsonl``).

With wave 7's evaluation file built (``python scripts/detection_data/real_carriers.py`` writes
``.cache/real-carriers/real_carriers_eval.jsonl``), also real documentation no model trained on —
the Debian handbook and translated man pages in the five languages training leaves out, the
Debian Reference (a source never trained on) and the descriptions of installed Python packages —
rendered as retrieved documents, web pages, tool results and pasted user prompts, and the same
carriers with an injection of the corpus's calibration families in them.

Reported per source: events with an alert of any level and with a high / critical one from the
pack as shipped and, the baseline in the same run on the same findings, events with a high /
critical alert from the pack with the classifier branches of the indirect-injection and
memory-poisoning rules at the raw score cut-offs they had before (``score >= 0.95`` and
``score >= 0.7`` instead of ``margin >= 0``, the classifier's own calibrated threshold); the
classifier's flag rate at its threshold and at the raw cut-offs; the rules that fired.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import inspect
import io
import random
import shutil
import sys
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.report import write_section
from garrison.config import DetectionSettings
from garrison.detect.evaluate import json_lines, load_rows, row_event
from garrison.detect.rules import RuleEngine, load_paths
from garrison.detect.stage import DetectionStage, builtin_rules_path
from garrison.model import Source

ROOT = Path(__file__).resolve().parents[1]
# built by `python scripts/detection_data/real_carriers.py` (pinned Debian packages)
REAL_CARRIERS_EVAL = ROOT / ".cache" / "real-carriers" / "real_carriers_eval.jsonl"
_DEBIAN_HELD_OUT = (
    "Debian handbook and man pages, languages left out of training (es, ja, ru, pl, zh_TW)"
)
REAL_SOURCES = {
    "handbook": _DEBIAN_HELD_OUT,
    "man": _DEBIAN_HELD_OUT,
    "reference": "Debian Reference (8 languages, a source never trained on)",
    "pypi-descriptions": "Python package descriptions (never trained on)",
}
# Modules whose import has side effects (opens a browser, a window, prints) or that are tests.
SKIP = {"antigravity", "this", "idlelib", "tkinter", "turtle", "turtledemo", "lib2to3", "test"}
CUT_OFFS = (0.9, 0.95)  # raw prompt_guard scores the built-in rules compare with
SEVERE = ("high", "critical")
# Untrusted dataset channels (scanned as `garrison eval` scans them: evaluate.EVAL_CHANNELS).
UNTRUSTED = (
    "document",
    "email",
    "web",
    "memory",
    "tool_output",
)
SHIPPED_BRANCH = "detectors.prompt_guard.margin|gte: 0"
# rule file -> the raw classifier branch it had before the calibrated one
RAW_BRANCHES = {
    "prompt_injection/indirect_prompt_injection.yml": "detectors.prompt_guard.score|gte: 0.95",
    "prompt_injection/memory_poisoning.yml": "detectors.prompt_guard.score|gte: 0.7",
}


def baseline_rules(tmp: Path) -> RuleEngine:
    """The built-in pack with the classifier branches of ``RAW_BRANCHES`` on their raw cut-offs."""
    pack = tmp / "rules"
    shutil.copytree(builtin_rules_path(), pack)
    for name, raw in RAW_BRANCHES.items():
        rule = pack / name
        text = rule.read_text()
        if SHIPPED_BRANCH not in text:
            raise SystemExit(f"{name} has no '{SHIPPED_BRANCH}': update the benchmark")
        rule.write_text(text.replace(SHIPPED_BRANCH, raw))
    rules = load_paths([str(pack)])
    return RuleEngine([*rules.rules, *rules.correlations])


def _pieces(text: str, lo: int, hi: int) -> list[str]:
    """``text`` cut at blank lines into pieces of ``lo``–``hi`` characters (longer paragraphs
    stay whole)."""
    out: list[str] = []
    cur = ""
    for para in (p for p in text.split("\n\n") if p.strip()):
        if len(cur) + len(para) > hi and len(cur) >= lo:
            out.append(cur.strip())
            cur = ""
        cur += para + "\n\n"
    if len(cur.strip()) >= lo:
        out.append(cur.strip())
    return out


def stdlib_texts(per_kind: int, seed: int = 7) -> dict[str, list[str]]:
    """Docstring pieces ("docs") and source pieces ("source") of the standard library."""
    docs: list[str] = []
    source: list[str] = []
    names = sorted(n for n in sys.stdlib_module_names if not n.startswith("_") and n not in SKIP)
    for name in names:
        try:
            with (
                warnings.catch_warnings(),
                contextlib.redirect_stdout(io.StringIO()),
                contextlib.redirect_stderr(io.StringIO()),
            ):
                warnings.simplefilter("ignore")
                module = importlib.import_module(name)
        except Exception:  # not built on this platform, or needs a display
            continue
        parts = [inspect.getdoc(module) or ""]
        for attr, obj in sorted(vars(module).items()):
            if attr.startswith("_") or getattr(obj, "__module__", None) != name:
                continue
            if inspect.isfunction(obj) or inspect.isclass(obj):
                doc = inspect.getdoc(obj)
                if doc:
                    parts.append(f"{attr}\n{doc}")
        docs.extend(_pieces("\n\n".join(p for p in parts if p), 500, 3000))
        try:
            source.extend(_pieces(inspect.getsource(module), 800, 2500))
        except (OSError, TypeError):  # built-in modules have no source
            continue
    rng = random.Random(seed)
    return {
        "docs": rng.sample(docs, min(per_kind, len(docs))),
        "source": rng.sample(source, min(per_kind, len(source))),
    }


async def _run(
    stage: DetectionStage, baseline: RuleEngine, texts: list[tuple[str, str]]
) -> dict[str, Any]:
    assert stage.rule_engine is not None
    alerted = high = base_high = flagged = 0
    rules: Counter[str] = Counter()
    over: Counter[float] = Counter()
    for text, channel in texts:
        event = row_event(text, channel, tenant="bench", source=Source.SDK)
        findings = await stage.engine.scan(event)
        matches = stage.rule_engine.evaluate(event, findings)
        alerted += bool(matches)
        high += any(m.level in SEVERE for m in matches)
        rules.update({f"{m.title} [{m.level}]" for m in matches})
        base_high += any(m.level in SEVERE for m in baseline.evaluate(event, findings))
        for f in findings:
            if f.detector == "prompt_guard":
                flagged += bool(f.detail.get("above_threshold"))
                over.update(c for c in CUT_OFFS if f.score >= c)
    return {"n": len(texts), "alerted": alerted, "high": high, "base": base_high, "rules": rules,
            "flagged": flagged, "over": over}  # fmt: skip


def real_carriers(n: int, seed: int = 11) -> dict[str, list[tuple[str, str]]]:
    """Title → (text, channel) of wave 7's evaluation rows (``REAL_CARRIERS_EVAL``; empty when
    it is not built): benign rows per source, injected twins pooled; at most ``n`` each, seeded."""
    if not REAL_CARRIERS_EVAL.is_file():
        return {}
    out: dict[str, list[tuple[str, str]]] = {}
    for _, r in json_lines(REAL_CARRIERS_EVAL):
        source = str(r["carrier"]).split("/")[0]
        title = (
            REAL_SOURCES[source] + ", as rendered (documents, web pages, tool results, pasted)"
            if int(r["label"]) == 0
            else "The same real carriers with an injection in them (attacks)"
        )
        out.setdefault(title, []).append((str(r["text"]), str(r["channel"])))
    rng = random.Random(seed)
    return {t: rng.sample(rows, min(n, len(rows))) for t, rows in sorted(out.items())}


def _sources(quick: bool) -> dict[str, list[tuple[str, str]]]:
    per_kind = 60 if quick else 600
    std = stdlib_texts(per_kind)
    out = {
        "Python stdlib docstrings, as retrieved documents": [(t, "document") for t in std["docs"]],
        "Python stdlib source, as `read_file` tool results": [
            (t, "tool_output") for t in std["source"]
        ],
    }
    out.update(real_carriers(per_kind))
    for label, name in ((0, "benign"), (1, "attack")):
        for title, path in (
            (f"Garrison hold-out, untrusted channels, {name} rows", "holdout.jsonl"),
            (f"AgentDojo tool outputs, {name}", "agentdojo_holdout.jsonl"),
        ):
            file = ROOT / "data" / "detection" / path
            if not file.is_file():
                continue
            rows = [
                (str(r["text"]), str(r["channel"]))
                for r in load_rows(file)
                if r["label"] == label and r.get("channel") in UNTRUSTED
            ]
            out[title] = rows[:60] if quick else rows
    return out


def _pct(k: int, n: int) -> str:
    return f"{k / n:.1%} ({k})" if n else "–"


def main(quick: bool = False) -> None:
    import tempfile

    stage = DetectionStage.from_settings(DetectionSettings())
    header = (
        "| texts | n | events with an alert (any level) | with a high / critical alert | "
        "baseline: high / critical, classifier branches at raw scores | "
        "`prompt_guard` over its threshold | " + " | ".join(f"score ≥ {c}" for c in CUT_OFFS) + " |"
    )
    rows = [header, "|---|---:|---:|---:|---:|---:|" + "---:|" * len(CUT_OFFS)]
    by_rule: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        baseline = baseline_rules(Path(tmp))
        try:
            for title, texts in _sources(quick).items():
                r = asyncio.run(_run(stage, baseline, texts))
                n = r["n"]
                rows.append(
                    f"| {title} | {n} | {_pct(r['alerted'], n)} | {_pct(r['high'], n)} | "
                    f"{_pct(r['base'], n)} | "
                    f"{_pct(r['flagged'], n)} | "
                    + " | ".join(_pct(r["over"][c], n) for c in CUT_OFFS)
                    + " |"
                )
                top = ", ".join(f"{rule} ({k})" for rule, k in r["rules"].most_common(5))
                by_rule.append(f"{title}: {top or 'none'}")
                print(rows[-1])
        finally:
            asyncio.run(stage.aclose())
    body = (
        "## Alerts on untrusted content: real benign text and held-out attacks\n\n"
        "Every text one event through the default detection stage (default detectors, built-in "
        "rule pack, streaming), as `garrison scan` runs it. The Python standard library "
        f"(Python {sys.version.split()[0]}: docstrings and source, cut into 0.5–3 KB pieces, "
        "seeded sample) was never trained or tuned on, nor were the hold-out files"
        + (
            ", nor the real documentation of wave 7's evaluation file "
            "(`scripts/detection_data/real_carriers.py`: languages and sources training leaves "
            "out; the injected twins carry payloads of calibration families)"
            if REAL_CARRIERS_EVAL.is_file()
            else ""
        )
        + ". Baseline, "
        "same run, same findings: the pack with the classifier branches of the indirect-"
        "injection and memory-poisoning rules at the raw `score ≥ 0.95` and `score ≥ 0.7` they "
        "had before (now `margin ≥ 0`, the classifier's calibrated threshold for the channel). "
        "The score columns count `prompt_guard` findings at raw cut-offs the built-in rules "
        "use.\n\n"
        + "\n".join(rows)
        + "\n\nAlerts by rule (events, shipped pack): "
        + "; ".join(by_rule)
        + "."
    )
    write_section("benign_real", body)


if __name__ == "__main__":
    main()
