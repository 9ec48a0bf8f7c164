"""The bundled prompt-injection classifier: quality on the evaluation files, and latency.

Quality: AUC, TPR at 1 % FPR, precision / recall at the calibrated per-channel thresholds, per
channel and language, on the shared dev set and on the project's hold-out sets (whichever exist).
Latency: the detector's ``detect`` (normalization + tokenization + windows + int8 ONNX model) on
one core for 1 KB and 8 KB prompts, each text new (no cache), against the normalizer alone as the
baseline measured in the same run. Results go to docs/benchmarks.md, section "classifier".
"""

from __future__ import annotations

import asyncio
import random
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from benchmarks.report import write_section
from garrison.detect.base import ScanContext
from garrison.detect.detectors.classifier import BUNDLED_DIR, PromptGuardDetector
from garrison.detect.evaluate import detector_scorer, evaluate, format_report, load_rows
from garrison.detect.normalize import normalize
from garrison.model import Channel, Event, EventKind, Source, uuid7

ROOT = Path(__file__).resolve().parents[1]
EVAL_FILES = {
    "shared dev (`datasets/prompts/dev.jsonl`)": ROOT.parent / "shared/datasets/prompts/dev.jsonl",
    "Garrison hold-out (`data/detection/holdout.jsonl`)": ROOT / "data/detection/holdout.jsonl",
    "AgentDojo hold-out (`data/detection/agentdojo_holdout.jsonl`)": ROOT
    / "data/detection/agentdojo_holdout.jsonl",
}
_PROSE = (
    "the quarterly report shows revenue growth in three regions while costs stayed flat and the "
    "team plans to hire two engineers next month please review the attached budget and send your "
    "comments before friday so we can finalize the plan with finance and legal teams"
)
WORDS = tuple(_PROSE.split())


def _text(rng: random.Random, size: int) -> str:
    out: list[str] = []
    n = 0
    while n < size:
        w = rng.choice(WORDS)
        out.append(w)
        n += len(w) + 1
    return " ".join(out)[:size]


def _event(text: str) -> Event:
    return Event(
        id=uuid7(int(time.time() * 1000)),
        time=datetime.now(UTC),
        tenant="bench",
        app="bench",
        kind=EventKind.PROMPT,
        source=Source.SDK,
        channel=Channel.USER,
        content=text,
    )


def _percentiles(samples: list[float]) -> tuple[float, float]:
    return float(np.percentile(samples, 50)), float(np.percentile(samples, 99))


def latency(detector: PromptGuardDetector, size: int, n: int) -> dict[str, float]:
    rng = random.Random(size)
    texts = [_text(rng, size) for _ in range(n + 10)]

    async def run() -> tuple[list[float], list[float], int]:
        full: list[float] = []
        base: list[float] = []
        windows = 0
        for i, text in enumerate(texts):
            t0 = time.perf_counter()
            normalize(text)
            t1 = time.perf_counter()
            (finding,) = await detector.detect(ScanContext(_event(text)))
            t2 = time.perf_counter()
            if i >= 10:  # warm-up
                base.append((t1 - t0) * 1000)
                full.append((t2 - t1) * 1000)
                windows = int(finding.detail["windows"])
        return full, base, windows

    full, base, windows = asyncio.run(run())
    p50, p99 = _percentiles(full)
    b50, b99 = _percentiles(base)
    return {"p50": p50, "p99": p99, "base_p50": b50, "base_p99": b99, "windows": windows}


def main(quick: bool = False) -> None:
    detector = PromptGuardDetector({"threads": 1, "cache_size": 0})
    meta = detector.metadata
    sections: list[str] = []
    size_mb = (BUNDLED_DIR / "model.onnx").stat().st_size / 1e6
    sections.append(
        f"Model `{meta.get('name')}` {meta.get('version')}: "
        f"{meta.get('architecture', {}).get('layers')} layers, max_len {meta.get('max_len')}, "
        f"int8 ONNX {size_mb:.1f} MB; thresholds {meta.get('thresholds')}."
    )
    lat_rows = ["| prompt | windows | detect p50 ms | detect p99 ms | normalize-only p50 / p99 ms "
                "| target p50 / p99 |", "|---|---|---|---|---|---|"]  # fmt: skip
    for size in (1024, 8192):
        n = 30 if quick else (300 if size == 1024 else 100)
        r = latency(detector, size, n)
        lat_rows.append(
            f"| {size // 1024} KB | {r['windows']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
            f"{r['base_p50']:.2f} / {r['base_p99']:.2f} | "
            f"{'5 / 15' if size == 1024 else '–'} |"
        )
        print(f"classifier latency {size} B: {r}")
    sections.append(
        "Latency, one core (`threads: 1`), `detect()` on a user prompt, each text new:\n\n"
        + "\n".join(lat_rows)
    )
    scorer = detector_scorer(detector)
    for title, path in EVAL_FILES.items():
        if not path.is_file():
            continue
        rows = load_rows(path)
        if quick:
            rows = random.Random(0).sample(rows, min(len(rows), 120))
        if not rows:
            continue
        report = evaluate(rows, scorer)
        table = format_report(report, title)
        print(table)
        sections.append(table)
    write_section("classifier", "## Prompt-injection classifier\n\n" + "\n\n".join(sections))


if __name__ == "__main__":
    main()
