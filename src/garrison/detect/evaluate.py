"""Evaluation of a scoring detector on labelled rows: what ``garrison eval FILE.jsonl`` reports.

Rows are JSON objects with ``text``, ``label`` (1 attack, 0 benign), optional ``channel``
(``user``, ``document``, ``email``, ``web``, ``tool_output``, or a Garrison channel) and ``lang``.
A scorer maps (text, channel) to (score, threshold): the detector's probability and the threshold
it applies on that channel. The report gives, overall and per channel (and per language where
rows carry one): ROC AUC, the true-positive rate at 1 % false positives (threshold fixed on the
benign rows of the same slice, the usual "recall at 1 % FPR"), precision / recall / F1 / FPR at
the detector's own thresholds, and the scorer's latency.

Pure numpy: no scikit-learn at run time. This module never trains, never picks thresholds for a
model, and never prints content.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from garrison.errors import ConfigError
from garrison.model import Channel, Event, EventKind, Source, uuid7

Scorer = Callable[[str, str], tuple[float, float]]  # (text, channel) -> (score, threshold)


@dataclass(frozen=True, slots=True)
class Metrics:
    n: int
    n_attack: int
    n_benign: int
    auc: float | None
    tpr_at_fpr_1pct: float | None
    precision: float | None
    recall: float | None
    f1: float | None
    fpr: float | None
    threshold: float | None  # None when the rows of the slice were judged at several thresholds
    latency_ms_p50: float | None
    latency_ms_p99: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "n_attack": self.n_attack,
            "n_benign": self.n_benign,
            "auc": self.auc,
            "tpr_at_fpr_1pct": self.tpr_at_fpr_1pct,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "fpr": self.fpr,
            "threshold": self.threshold,
            "latency_ms_p50": self.latency_ms_p50,
            "latency_ms_p99": self.latency_ms_p99,
        }


@dataclass(frozen=True, slots=True)
class EvalReport:
    overall: Metrics
    per_channel: dict[str, Metrics] = field(default_factory=dict)
    per_language: dict[str, Metrics] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = self.overall.to_dict()
        out["per_channel"] = {k: v.to_dict() for k, v in self.per_channel.items()}
        if self.per_language:
            out["per_language"] = {k: v.to_dict() for k, v in self.per_language.items()}
        return out


# --- metrics --------------------------------------------------------------------------------------


def _arrays(
    labels: Sequence[int] | npt.NDArray[Any], scores: Sequence[float] | npt.NDArray[Any]
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.float64]]:
    y = np.asarray(labels, dtype=np.int64) == 1
    s = np.asarray(scores, dtype=np.float64)
    if y.shape != s.shape:
        raise ValueError("labels and scores differ in length")
    return y, s


def roc_auc(
    labels: Sequence[int] | npt.NDArray[Any], scores: Sequence[float] | npt.NDArray[Any]
) -> float | None:
    """Area under the ROC curve: the probability that a random attack outscores a random benign
    row, ties counting one half (Mann-Whitney U). None without both classes."""
    y, s = _arrays(labels, scores)
    n_pos = int(y.sum())
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s), dtype=np.float64)
    sorted_s = s[order]
    # average ranks over ties
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and sorted_s[j + 1] == sorted_s[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2.0 + 1.0
        i = j + 1
    u = ranks[y].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))


def threshold_at_fpr(benign_scores: Sequence[float] | npt.NDArray[Any], fpr: float) -> float:
    """The lowest threshold t such that at most ``fpr`` of the benign scores are strictly above
    t (an attack counts as caught when its score is strictly above t)."""
    neg = np.sort(np.asarray(benign_scores, dtype=np.float64))[::-1]
    if len(neg) == 0:
        return 0.0
    k = math.floor(fpr * len(neg) + 1e-9)  # benign rows allowed above the threshold
    return float(neg[min(k, len(neg) - 1)])


THRESHOLD_RANGE = (0.05, 0.999)  # a placed threshold is clamped into this range


def place_threshold(benign_scores: Sequence[float] | npt.NDArray[Any], fpr: float) -> float:
    """The threshold a detector flags at (``score >= threshold``) so that at most ``fpr`` of
    ``benign_scores`` are flagged: just above the benign score ``threshold_at_fpr`` allows,
    clamped into ``THRESHOLD_RANGE`` and rounded up to 6 decimals (rounding down could put it
    under that benign score). Training and ``garrison calibrate`` place thresholds so."""
    t = float(np.nextafter(threshold_at_fpr(benign_scores, fpr), 1.0))
    t = min(max(t, THRESHOLD_RANGE[0]), THRESHOLD_RANGE[1])
    rounded = round(t, 6)
    return rounded if rounded >= t else round(rounded + 1e-6, 6)


def tpr_at_fpr(
    labels: Sequence[int] | npt.NDArray[Any],
    scores: Sequence[float] | npt.NDArray[Any],
    fpr: float = 0.01,
) -> float | None:
    """Share of attacks scoring strictly above the threshold that lets at most ``fpr`` of the
    benign rows through (see :func:`threshold_at_fpr`). None without both classes."""
    y, s = _arrays(labels, scores)
    if y.all() or not y.any():
        return None
    t = threshold_at_fpr(s[~y], fpr)
    return float((s[y] > t).mean())


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def compute_metrics(
    labels: Sequence[int],
    scores: Sequence[float],
    thresholds: Sequence[float],
    latencies_ms: Sequence[float] = (),
) -> Metrics:
    """All metrics of one slice; a row is flagged when its score is at or above its threshold
    (the detectors' ``above_threshold``)."""
    y, s = _arrays(labels, scores)
    t = np.asarray(thresholds, dtype=np.float64)
    flagged = s >= t
    tp = int((flagged & y).sum())
    fp = int((flagged & ~y).sum())
    fn = int((~flagged & y).sum())
    tn = int((~flagged & ~y).sum())
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision is not None and recall is not None and precision + recall > 0
        else (0.0 if precision is not None and recall is not None else None)
    )
    unique = np.unique(t)
    lat = np.asarray(latencies_ms, dtype=np.float64)
    return Metrics(
        n=len(y),
        n_attack=int(y.sum()),
        n_benign=int((~y).sum()),
        auc=roc_auc(y.astype(np.int64), s),
        tpr_at_fpr_1pct=tpr_at_fpr(y.astype(np.int64), s, 0.01),
        precision=precision,
        recall=recall,
        f1=f1,
        fpr=_ratio(fp, fp + tn),
        threshold=float(unique[0]) if len(unique) == 1 else None,
        latency_ms_p50=float(np.percentile(lat, 50)) if len(lat) else None,
        latency_ms_p99=float(np.percentile(lat, 99)) if len(lat) else None,
    )


# --- running a scorer over rows -------------------------------------------------------------------

# An evaluation row's channel (dataset or Garrison name) -> the event it is scanned as.
EVAL_CHANNELS: dict[str, tuple[EventKind, Channel]] = {
    "user": (EventKind.PROMPT, Channel.USER),
    "document": (EventKind.RETRIEVAL, Channel.RETRIEVAL),
    "retrieval": (EventKind.RETRIEVAL, Channel.RETRIEVAL),
    "email": (EventKind.TOOL_RESULT, Channel.EXTERNAL),
    "web": (EventKind.TOOL_RESULT, Channel.EXTERNAL),
    "external": (EventKind.TOOL_RESULT, Channel.EXTERNAL),
    "tool_output": (EventKind.TOOL_RESULT, Channel.TOOL),
    "tool": (EventKind.TOOL_RESULT, Channel.TOOL),
    "memory": (EventKind.MEMORY, Channel.MEMORY),
}


def row_event(
    text: str, channel: str, *, tenant: str = "eval", source: Source = Source.IMPORT
) -> Event:
    """``text`` as the event an evaluation scans: the kind and trust channel of ``channel``
    (``EVAL_CHANNELS``; unknown: a user prompt), now."""
    kind, chan = EVAL_CHANNELS.get(channel, (EventKind.PROMPT, Channel.USER))
    now = datetime.now(UTC)
    return Event(
        id=uuid7(int(now.timestamp() * 1000)),
        time=now,
        tenant=tenant,
        app=tenant,
        kind=kind,
        source=source,
        channel=chan,
        content=text,
    )


@dataclass(frozen=True, slots=True)
class ScoredRow:
    label: int
    channel: str
    lang: str | None
    score: float
    threshold: float
    latency_ms: float


def json_lines(path: str | Path) -> list[tuple[int, Any]]:
    """(line number, value) of each non-blank line of a JSON-lines file; ConfigError names the
    file (unreadable, not UTF-8) or the file and line (not JSON)."""
    p = Path(path)
    try:
        # split on "\n" only: str.splitlines also breaks at U+2028 inside JSON strings
        lines = p.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the file: {exc}", file=str(p)) from exc
    out: list[tuple[int, Any]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            out.append((number, json.loads(line)))
        except ValueError as exc:
            raise ConfigError(f"not JSON: {exc}", file=str(p), line=number) from exc
    return out


def load_rows(path: str | Path) -> list[dict[str, Any]]:
    """Labelled rows from a JSON-lines file; ConfigError names the file and line of a bad one."""
    p = Path(path)
    rows: list[dict[str, Any]] = []
    for number, row in json_lines(p):
        if (
            not isinstance(row, dict)
            or not isinstance(row.get("text"), str)
            or row.get("label") not in (0, 1)
        ):
            raise ConfigError(
                "expected an object with text and label 0/1", file=str(p), line=number
            )
        rows.append(row)
    return rows


def score_rows(rows: Iterable[Mapping[str, Any]], scorer: Scorer) -> list[ScoredRow]:
    out: list[ScoredRow] = []
    for row in rows:
        channel = str(row.get("channel") or "user")
        t0 = time.perf_counter()
        score, threshold = scorer(str(row["text"]), channel)
        elapsed = (time.perf_counter() - t0) * 1000
        lang = row.get("lang")
        out.append(
            ScoredRow(
                label=int(row["label"]),
                channel=channel,
                lang=str(lang) if lang else None,
                score=float(score),
                threshold=float(threshold),
                latency_ms=elapsed,
            )
        )
    return out


def report_from_scored(scored: Sequence[ScoredRow]) -> EvalReport:
    def metrics(part: Sequence[ScoredRow]) -> Metrics:
        return compute_metrics(
            [r.label for r in part],
            [r.score for r in part],
            [r.threshold for r in part],
            [r.latency_ms for r in part],
        )

    by_channel: dict[str, list[ScoredRow]] = {}
    by_lang: dict[str, list[ScoredRow]] = {}
    for r in scored:
        by_channel.setdefault(r.channel, []).append(r)
        if r.lang:
            by_lang.setdefault(r.lang, []).append(r)
    return EvalReport(
        overall=metrics(scored),
        per_channel={k: metrics(v) for k, v in sorted(by_channel.items())},
        per_language={k: metrics(v) for k, v in sorted(by_lang.items())} if by_lang else {},
    )


def evaluate(rows: Iterable[Mapping[str, Any]], scorer: Scorer) -> EvalReport:
    """Score every row with ``scorer`` and report the metrics overall, per channel and language."""
    return report_from_scored(score_rows(rows, scorer))


def format_report(report: EvalReport, title: str = "") -> str:
    """A plain-text table of a report, for the terminal and for model cards (Markdown)."""

    def cell(v: float | int | None, digits: int = 3) -> str:
        if v is None:
            return "–"
        if isinstance(v, int):
            return str(v)
        return f"{v:.{digits}f}"

    head = (
        "| slice | n (atk/ben) | AUC | TPR@1%FPR | precision | recall | F1 | FPR | threshold "
        "| p50 ms | p99 ms |\n|---|---|---|---|---|---|---|---|---|---|---|"
    )
    lines = [f"**{title}**\n" if title else "", head]

    def add(name: str, m: Metrics) -> None:
        lines.append(
            f"| {name} | {m.n} ({m.n_attack}/{m.n_benign}) | {cell(m.auc)} | "
            f"{cell(m.tpr_at_fpr_1pct)} | {cell(m.precision)} | {cell(m.recall)} | {cell(m.f1)} | "
            f"{cell(m.fpr)} | {cell(m.threshold)} | {cell(m.latency_ms_p50, 1)} | "
            f"{cell(m.latency_ms_p99, 1)} |"
        )

    add("all", report.overall)
    for k, m in report.per_channel.items():
        add(f"channel {k}", m)
    for k, m in report.per_language.items():
        add(f"lang {k}", m)
    return "\n".join(line for line in lines if line)


def detector_scorer(detector: Any) -> Scorer:
    """The scorer of a classifier detector (one with ``score_text(text, channel)``)."""
    score_text = getattr(detector, "score_text", None)
    if not callable(score_text):
        raise ConfigError(
            f"detector {getattr(detector, 'id', detector)!r} cannot score bare text; "
            "evaluation needs a classifier detector (prompt_guard, hf_classifier)"
        )

    def scorer(text: str, channel: str) -> tuple[float, float]:
        score, threshold = score_text(text, channel)
        return float(score), float(threshold)

    return scorer


__all__ = [
    "EVAL_CHANNELS",
    "EvalReport",
    "Metrics",
    "ScoredRow",
    "Scorer",
    "compute_metrics",
    "detector_scorer",
    "evaluate",
    "format_report",
    "json_lines",
    "load_rows",
    "report_from_scored",
    "roc_auc",
    "row_event",
    "score_rows",
    "threshold_at_fpr",
    "tpr_at_fpr",
]
