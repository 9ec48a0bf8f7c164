"""Training of the lexical tier (``garrison.detect.lexical``) and placement of the cascade gates.

Called by ``garrison.detect.train`` after the transformer is exported, on the same training /
calibration split, or alone (``garrison train --lexical-only``) for an existing model directory.

The model is a logistic regression over the hashed n-gram windows, trained as multiple-instance
learning like the transformer: a first fit labels every window with its text's label, a second
keeps only the highest-scoring window of each attack text (the one holding the injection) and
every window of each benign text. Rows are weighted 1/sqrt(stratum size) as for the transformer.

Gates are placed per channel group on the calibration split, never on evaluation data: the
text gate is the highest gate that (a) keeps all but ``max_flagged_loss`` (1 %, rounded down) of
the calibration attacks that the *shipped* model (int8, run-time code path) flags at its
threshold, so on calibration the cascade changes at most that share of its decisions on attacks,
(b) costs at most ``AUC_TOLERANCE`` of the group's calibration AUC (the cascade's text scores, as
the detector assigns them) and (c) at most ``LENGTH_TOLERANCE`` of its TPR at the threshold in any
length bucket, both against the gate of the rule up to 1.3.3 (``capped_gate``: the lower of (a)
and the score below which only ``max_miss`` of the group's calibration attacks fall). That cap
held the user gate where the cascade sent most benign 1 KB texts to the transformer; (b) and (c)
are the guards the student tier's gates have. (Up to 1.3.2 rule (a) kept every flagged attack, so
one oddly worded attack could hold a gate far down; the gate that loses none is still recorded as
``lossless_gate``.) The window gates (one
window of an escalated text is scored only if its own lexical score clears its channel's
window gate; the most suspicious window always is) are placed on the escalated calibration
attacks: (a) all but ``max_flagged_loss`` (rounded down) of the attacks the shipped model flags
keep a window that flags them, and (b) at most ``max_miss`` of them lose their best window.
Needs scikit-learn (the ``[train]`` extra); never imported at run time.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from garrison.detect.evaluate import roc_auc
from garrison.detect.lexical import (
    Features,
    LexicalConfig,
    LexicalModel,
    view_windows,
    window_features,
)
from garrison.errors import ConfigError

if TYPE_CHECKING:
    from garrison.detect.train import Row

LEXICAL_FILE = "lexical.npz"
DEFAULT_C = 4.0
MAX_MISS = 0.05  # at most this share of a group's calibration attacks may skip the model
# at most this share of the attacks the model flags at its threshold may be lost to the text gate
# (rounded down: a group with fewer than 100 flagged calibration attacks loses none)
MAX_FLAGGED_LOSS = 0.01
# how far above the capped gate a text gate may rise: at most this much of the group's calibration
# AUC and of its TPR at the threshold in any length bucket (``train.TOKEN_BUCKETS``) may go
AUC_TOLERANCE = 0.005
LENGTH_TOLERANCE = 0.02
# Lexical windows, characters. 1.4.1 moved from 1,000 to 300: an instruction buried in a document
# fills more of a short window; on 1.4.0's calibration split every group's lexical AUC rose (user
# .956 -> .961, documents .785 -> .847, tool output .895 -> .907) and the gates, placed by the same
# rule, clear more benign rows (documents 16 % -> 46 %). See docs/models/prompt-guard.md.
DEFAULT_WINDOW = 300
LEXICAL_SPAN = 13_000  # characters the windows of a long text cover (16 windows of 1,000 before)
NO_WINDOW_GATE = 99.0  # a window gate no logit reaches: only the most suspicious window is scored
# (priority, probability) of each window the transformer would score for a row (run-time plan)
WindowTable = Sequence[tuple[float, float]]


def lexical_config(window: int = DEFAULT_WINDOW) -> LexicalConfig:
    """The lexical tier's windows for ``window`` characters: a fifth of it overlaps the next,
    and as many windows as cover ``LEXICAL_SPAN`` characters of a long text."""
    if window < 50:
        raise ConfigError(f"lexical window of {window} characters: at least 50")
    overlap = window // 5
    windows = max(1, math.ceil((LEXICAL_SPAN - window) / (window - overlap)) + 1)
    return LexicalConfig(window=window, overlap=overlap, max_windows=windows)


def _sparse(windows: Sequence[Features], bits: int) -> Any:
    import scipy.sparse as sp  # type: ignore[import-untyped,unused-ignore]

    indptr = np.zeros(len(windows) + 1, dtype=np.int64)
    for i, (ids, _) in enumerate(windows):
        indptr[i + 1] = indptr[i] + len(ids)
    if not windows or indptr[-1] == 0:
        return sp.csr_matrix((len(windows), 1 << bits), dtype=np.float32)
    ids = np.concatenate([w[0] for w in windows])
    values = np.concatenate([w[1] for w in windows])
    return sp.csr_matrix((values, ids, indptr), shape=(len(windows), 1 << bits))


def row_windows(row: Row, cfg: LexicalConfig) -> list[Features]:
    """A row's training windows (``view_windows``; one empty window for a blank row)."""
    return view_windows(row.views, cfg) or window_features(" ", cfg)


def fit_lexical(
    rows: Sequence[Row],
    weights: Sequence[float],
    cfg: LexicalConfig | None = None,
    c: float = DEFAULT_C,
    log: Callable[[str], Any] = print,
) -> LexicalModel:
    """Fit the lexical model on ``rows`` (two multiple-instance rounds)."""
    try:
        from sklearn.linear_model import (  # type: ignore[import-untyped,unused-ignore]
            LogisticRegression,
        )
    except ImportError as exc:
        raise ConfigError("training the lexical tier needs scikit-learn: pip install "
                          "'garrison[train]'") from exc  # fmt: skip
    cfg = cfg or lexical_config()
    started = time.time()
    bags = [row_windows(r, cfg) for r in rows]
    chosen: list[list[int]] = [list(range(len(b))) for b in bags]
    clf: Any = None
    for round_ in range(2):
        windows: list[Features] = []
        labels: list[int] = []
        sample_weight: list[float] = []
        for bag, row, w, keep in zip(bags, rows, weights, chosen, strict=True):
            for j in keep:
                windows.append(bag[j])
                labels.append(row.label)
                sample_weight.append(w / len(keep))
        sw = np.asarray(sample_weight)
        sw = sw * len(sw) / sw.sum()
        clf = LogisticRegression(C=c, max_iter=2000, solver="liblinear")
        clf.fit(_sparse(windows, cfg.bits), np.asarray(labels), sample_weight=sw)
        if round_ == 0:
            for i, (bag, row) in enumerate(zip(bags, rows, strict=True)):
                if row.label == 1 and len(bag) > 1:
                    chosen[i] = [int(np.argmax(clf.decision_function(_sparse(bag, cfg.bits))))]
        log(f"lexical round {round_ + 1}: {len(windows)} windows, {time.time() - started:.0f} s")
    model = LexicalModel(clf.coef_.reshape(-1), float(clf.intercept_[0]), cfg)
    # Shipped weights are float16: use what will be shipped from here on.
    return LexicalModel(model.weights.astype(np.float16).astype(np.float32), model.bias, cfg)


def lexical_logits(model: LexicalModel, rows: Sequence[Row]) -> npt.NDArray[np.float64]:
    """Each row's lexical score, computed as the detector computes it at run time."""
    return np.asarray([model.logit_views(r.views) for r in rows], dtype=np.float64)


TRADEOFF_STEPS = 8  # higher gates described in metadata, each losing one more flagged attack


def place_gates(
    rows: Sequence[Row],
    logits: Sequence[float] | npt.NDArray[Any],
    model_scores: Sequence[float],
    thresholds: Mapping[str, float],
    max_miss: float = MAX_MISS,
    max_flagged_loss: float = MAX_FLAGGED_LOSS,
    lengths: Sequence[int] | None = None,
) -> dict[str, dict[str, Any]]:
    """Per channel group: the gate, and what it does on the calibration rows. The gate is the
    highest that loses at most ``floor(max_flagged_loss × n)`` of the n attacks the model flags
    and stays within ``AUC_TOLERANCE`` of the group's AUC and ``LENGTH_TOLERANCE`` of its TPR per
    length bucket (``lengths``: tokens of each row; None, one bucket) at the capped gate — the
    lower of the ``max_miss`` quantile of the group's attack logits and that allowance. The
    capped gate (the rule up to 1.3.3) and the gate that loses none are recorded beside it."""
    from garrison.detect.train import length_bucket

    out: dict[str, dict[str, Any]] = {}
    lg = np.asarray(logits, dtype=np.float64)
    ms = np.asarray(model_scores, dtype=np.float64)
    groups = np.asarray([r.group for r in rows])
    labels = np.asarray([r.label for r in rows])
    buckets = np.asarray(["all"] * len(rows) if lengths is None else
                         [length_bucket(n) for n in lengths])  # fmt: skip
    for group in sorted(set(groups.tolist())):
        m = groups == group
        attack = lg[m & (labels == 1)]
        benign = lg[m & (labels == 0)]
        if len(attack) == 0:
            continue
        t = float(thresholds[group])
        flagged = lg[m & (labels == 1) & (ms >= t)]
        quantile = float(np.quantile(attack, max_miss, method="lower"))
        allowance = _allowance_gate(flagged, len(flagged), max_flagged_loss)
        capped = round(min([quantile, *allowance]) - 1e-4, 4)
        lossless = round(min([quantile, *_allowance_gate(flagged, len(flagged), 0.0)]) - 1e-4, 4)
        ceiling = round(allowance[0] - 1e-4, 4) if allowance else math.inf
        gate, guard = _raise_gate(lg[m], ms[m], labels[m], buckets[m], t, capped, ceiling)
        flagged_rows = m & (ms >= t)
        skipped = lg < gate
        out[group] = {
            "gate": gate,
            "capped_gate": capped,
            "lossless_gate": lossless,
            "benign_rows": len(benign),
            "attack_rows": len(attack),
            "flagged_attacks": len(flagged),
            "benign_skipped": round(float(np.mean(benign < gate)) if len(benign) else 0.0, 4),
            "attacks_skipped": round(float(np.mean(attack < gate)), 4),
            "flagged_attacks_kept": round(
                float(np.mean(flagged >= gate)) if len(flagged) else 1.0, 4
            ),
            "lexical_auc": roc_auc(labels[m].tolist(), lg[m].tolist()),
            # What the cascade changes at the threshold, on these rows:
            "attacks_lost": int(np.sum(flagged_rows & skipped & (labels == 1))),
            "false_positives_removed": int(np.sum(flagged_rows & skipped & (labels == 0))),
            **guard,
            "tradeoff": gate_tradeoff(benign, attack, flagged, gate),
        }
    return out


def cascade_scores(
    logits: npt.NDArray[Any], model_scores: npt.NDArray[Any], threshold: float, gate: float
) -> npt.NDArray[np.float64]:
    """Text scores as the detector assigns them at text gate ``gate``: a text under the gate
    scores ``threshold × sigmoid(logit − gate)`` (under half the threshold, ordered by its lexical
    logit), the others the model's score."""
    under = logits < gate
    kept = threshold / (1.0 + np.exp(-np.clip(logits - gate, -50.0, 50.0)))
    return np.where(under, kept, model_scores).astype(np.float64)


def _raise_gate(
    logits: npt.NDArray[Any], model_scores: npt.NDArray[Any], labels: npt.NDArray[Any],
    buckets: npt.NDArray[Any], threshold: float, capped: float, ceiling: float,
) -> tuple[float, dict[str, Any]]:  # fmt: skip
    """The highest gate from ``capped`` up to ``ceiling`` (the flagged-loss allowance) within
    the AUC and length-bucket tolerances of ``capped``, and those figures at both gates."""

    def figures(gate: float) -> tuple[float | None, dict[str, float]]:
        s = cascade_scores(logits, model_scores, threshold, gate)
        tpr = {str(b): float(np.mean(s[(buckets == b) & (labels == 1)] >= threshold))
               for b in sorted(set(buckets[labels == 1].tolist()))}  # fmt: skip
        return roc_auc(labels.tolist(), s.tolist()), tpr

    base_auc, base_tpr = figures(capped)
    steps = {round(float(v) - 1e-4, 4) for v in logits}
    candidates = sorted((g for g in steps if capped < g <= ceiling), reverse=True)
    gate, auc, tpr = capped, base_auc, base_tpr
    for g in candidates:
        a, b = figures(g)
        if base_auc is not None and a is not None and a < base_auc - AUC_TOLERANCE:
            continue
        if any(b[k] < base_tpr[k] - LENGTH_TOLERANCE for k in base_tpr):
            continue
        gate, auc, tpr = g, a, b
        break
    by_length = {k: [round(base_tpr[k], 4), round(tpr[k], 4)] for k in base_tpr}
    return gate, {
        "auc_capped_to_placed": [_r4(base_auc), _r4(auc)],
        "tpr_by_length_capped_to_placed": by_length,
    }


def _r4(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _allowance_gate(
    needed: Sequence[float] | npt.NDArray[Any], flagged: int, share: float
) -> list[float]:
    """The highest gate that loses at most ``floor(share × flagged)`` of the flagged attacks,
    each of which needs the gate not to exceed its value in ``needed`` (attacks missing from
    ``needed`` are kept at any gate): ``[value]``, or ``[]`` when every one of them may go."""
    k = math.floor(share * flagged + 1e-9)
    ranked = sorted(float(x) for x in needed)
    return ranked[k : k + 1]


def gate_tradeoff(
    benign: npt.NDArray[Any], attack: npt.NDArray[Any], flagged: npt.NDArray[Any], gate: float,
    steps: int = TRADEOFF_STEPS,
) -> list[dict[str, Any]]:  # fmt: skip
    """Higher gates than ``gate`` for users who trade recall for latency (the ``gates`` option of
    ``prompt_guard``): for k = 1..``steps``, the gate just under the (k+1)-th lowest lexical
    logit of a flagged calibration attack — k flagged attacks lost — with the share of benign
    and attack calibration rows it keeps from the transformer."""
    out: list[dict[str, Any]] = []
    for g in _higher_gates(flagged, gate, steps):
        out.append({
            "gate": g,
            "flagged_attacks_lost": int(np.sum(flagged < g)),
            "flagged_attacks_lost_share": round(float(np.mean(flagged < g)), 4),
            "benign_skipped": round(float(np.mean(benign < g)) if len(benign) else 0.0, 4),
            "attacks_skipped": round(float(np.mean(attack < g)), 4),
        })  # fmt: skip
    return out


def _higher_gates(
    needed: Sequence[float] | npt.NDArray[Any], gate: float, steps: int
) -> list[float]:
    """For k = 1..``steps``: the gate just under the (k+1)-th lowest of ``needed`` (each a value
    one kept item needs the gate not to exceed), skipping those not above ``gate`` or the last."""
    out: list[float] = []
    ranked = np.sort(np.asarray(needed, dtype=np.float64))
    for k in range(1, min(steps, len(ranked) - 1) + 1):
        g = round(float(ranked[k]) - 1e-4, 4)
        if g > gate and (not out or g > out[-1]):
            out.append(g)
    return out


def place_window_gates(
    rows: Sequence[Row],
    logits: Sequence[float] | npt.NDArray[Any],
    gates: Mapping[str, float],
    tables: Sequence[WindowTable],
    thresholds: Mapping[str, float],
    max_miss: float = MAX_MISS,
    max_flagged_loss: float = MAX_FLAGGED_LOSS,
) -> dict[str, dict[str, Any]]:
    """Per channel group: the window gate, and what it does on the calibration rows the text
    gate escalates. ``tables[i]`` holds row i's windows as (lexical priority, model
    probability); ``gates`` and ``thresholds`` are per group. Of the escalated attacks the model
    flags, at most ``floor(max_flagged_loss × n)`` may lose every window that flags them."""
    out: dict[str, dict[str, Any]] = {}
    for group in sorted(gates):
        thr = thresholds[group]
        need_best: list[float] = []  # per attack: the gate that keeps its best window
        need_flag: list[float] = []  # per flagged attack only a lower window flags: its gate
        flagged = 0  # escalated attacks the model flags (through any window)
        escalated: list[int] = []
        for i, row in enumerate(rows):
            if row.group != group or logits[i] < gates[group] or not tables[i]:
                continue
            escalated.append(i)
            if row.label != 1:
                continue
            table = tables[i]
            top = max(table, key=lambda w: w[0])  # always scored
            best = max(table, key=lambda w: w[1])
            need_best.append(best[0] if best[1] > top[1] else float("inf"))
            over = [w[0] for w in table if w[1] >= thr]
            flagged += bool(over)
            if over and top[1] < thr:
                need_flag.append(max(over))
        if not need_best:
            continue
        quantile = float(np.quantile(need_best, max_miss, method="lower"))
        gate = min([quantile, *_allowance_gate(need_flag, flagged, max_flagged_loss)])
        lossless = min([quantile, *_allowance_gate(need_flag, flagged, 0.0)])
        gate = min(round(gate - 1e-4, 4), NO_WINDOW_GATE)
        lossless = min(round(lossless - 1e-4, 4), NO_WINDOW_GATE)
        total = sum(len(tables[i]) for i in escalated)
        out[group] = {
            "gate": gate,
            "lossless_gate": lossless,
            "flagged_attacks": flagged,
            "flagged_attacks_lost": int(np.sum(np.asarray(need_flag) < gate)),
            "escalated_rows": len(escalated),
            "windows": total,
            "windows_scored": _windows_scored([tables[i] for i in escalated], gate),
            "attacks_losing_best_window": round(float(np.mean(np.asarray(need_best) < gate)), 4),
            "tradeoff": window_gate_tradeoff(
                need_flag, need_best, [tables[i] for i in escalated], gate
            ),
        }
    return out


def _windows_scored(tables: Sequence[WindowTable], gate: float) -> int:
    """Windows the transformer scores at window gate ``gate`` (each text's top one always)."""
    return sum(max(sum(1 for w in t if w[0] >= gate), 1) for t in tables)


def window_gate_tradeoff(
    need_flag: Sequence[float], need_best: Sequence[float], tables: Sequence[WindowTable],
    gate: float, steps: int = TRADEOFF_STEPS,
) -> list[dict[str, Any]]:  # fmt: skip
    """Higher window gates than ``gate`` (the ``window_gates`` option of ``prompt_guard``): for
    k = 1..``steps``, the gate just under the (k+1)-th lowest window priority that some flagged
    calibration attack needs to stay flagged — k such attacks lost — with the share of the
    escalated texts' windows it scores and of attacks losing their best window."""
    out: list[dict[str, Any]] = []
    needed = np.asarray(need_flag, dtype=np.float64)
    best = np.asarray(need_best, dtype=np.float64)
    total = sum(len(t) for t in tables) or 1
    for g in _higher_gates(needed, gate, steps):
        out.append({
            "gate": g,
            "flagged_attacks_lost": int(np.sum(needed < g)),
            "windows_scored_share": round(_windows_scored(tables, g) / total, 4),
            "attacks_losing_best_window": round(float(np.mean(best < g)), 4) if len(best) else 0.0,
        })  # fmt: skip
    return out


# Benign false-positive rates of the calibration rows at which gates are placed again for users
# who lower a threshold (``garrison calibrate``): the detector takes the gates placed for the
# nearest of these thresholds at or under the one configured.
LOWER_THRESHOLD_FPRS = (0.01, 0.02, 0.05, 0.1, 0.2)


def lower_threshold_gates(
    rows: Sequence[Row],
    logits: Sequence[float] | npt.NDArray[Any],
    model_scores: Sequence[float],
    thresholds: Mapping[str, float],
    gates: Mapping[str, float],
    window_gates: Mapping[str, float] | None = None,
    tables: Sequence[WindowTable] | None = None,
    lengths: Sequence[int] | None = None,
    fprs: Sequence[float] = LOWER_THRESHOLD_FPRS,
) -> dict[str, list[dict[str, Any]]]:
    """Per group, the gates the same rules place for thresholds under the calibrated one: at
    each benign false-positive rate of ``fprs`` whose threshold on the group's benign calibration
    scores lies under ``thresholds[group]``, ``{threshold, benign_fpr, gate, window_gate}``,
    highest threshold first. A gate never rises as the threshold falls (each is at most the one
    above it, the calibrated ``gates`` / ``window_gates`` first): a lower threshold flags more
    attacks, and its gate must keep them reaching the transformer."""
    from garrison.detect.evaluate import place_threshold

    ms = np.asarray(model_scores, dtype=np.float64)
    groups = np.asarray([r.group for r in rows])
    labels = np.asarray([r.label for r in rows])
    out: dict[str, list[dict[str, Any]]] = {}
    for fpr in sorted(fprs):
        level: dict[str, float] = {}
        for group in gates:
            benign = ms[(groups == group) & (labels == 0)]
            if len(benign):
                t = place_threshold(benign, fpr)
                if t < thresholds[group]:
                    level[group] = t
        if not level:
            continue
        text = place_gates(rows, logits, model_scores, {**thresholds, **level}, lengths=lengths)
        placed_windows: dict[str, dict[str, Any]] = {}
        if tables is not None:
            level_gates = {g: text[g]["gate"] for g in level if g in text}
            placed_windows = place_window_gates(
                rows, logits, level_gates, tables, {**thresholds, **level}
            )
        for group, t in level.items():
            if group not in text:
                continue
            steps = out.setdefault(group, [])
            above = steps[-1] if steps else {"gate": gates[group], "window_gate":
                                             (window_gates or {}).get(group)}  # fmt: skip
            entry: dict[str, Any] = {
                "threshold": t,
                "benign_fpr": fpr,
                "gate": min(text[group]["gate"], above["gate"]),
            }
            if group in placed_windows and above.get("window_gate") is not None:
                entry["window_gate"] = min(placed_windows[group]["gate"], above["window_gate"])
            steps.append(entry)
    return out


def train_lexical(
    fit_rows: Sequence[Row],
    calib_rows: Sequence[Row],
    weights: Sequence[float],
    model_scores: Sequence[float],
    group_thresholds: Mapping[str, float],
    channel_groups: Mapping[str, str],
    out: Path,
    c: float = DEFAULT_C,
    log: Callable[[str], Any] = print,
    window_tables: Callable[[LexicalModel, Row], WindowTable] | None = None,
    model: LexicalModel | None = None,
    lengths: Sequence[int] | None = None,
    cfg: LexicalConfig | None = None,
) -> dict[str, Any]:
    """Fit (unless ``model`` is given: only the gates are placed) with windows ``cfg``
    (default ``lexical_config()``), place the gates, write ``lexical.npz``; returns
    metadata.json's ``cascade``. With ``window_tables`` (a row's
    windows as the detector plans them: lexical priority, model probability) the window gates
    are placed too; ``lengths`` (tokens of each calibration row) bound the text gates' TPR per
    length bucket."""
    started = time.time()
    if model is None:
        model = fit_lexical(fit_rows, weights, cfg, c=c, log=log)
    logits = lexical_logits(model, calib_rows)
    groups = place_gates(calib_rows, logits, model_scores, group_thresholds, lengths=lengths)
    gates = _by_channel({g: v["gate"] for g, v in groups.items()}, channel_groups)
    model.save(out / LEXICAL_FILE)
    log("cascade gates: " + json.dumps(groups))
    extra: dict[str, Any] = {}
    tables: list[WindowTable] | None = None
    if window_tables is not None:
        tables = [window_tables(model, r) for r in calib_rows]
        placed = place_window_gates(
            calib_rows, logits, {g: v["gate"] for g, v in groups.items()}, tables,
            group_thresholds,
        )  # fmt: skip
        log("window gates: " + json.dumps(placed))
        extra = {
            "window_gates": _by_channel({g: v["gate"] for g, v in placed.items()}, channel_groups),
            "window_calibration": placed,
        }
    ladder = lower_threshold_gates(
        calib_rows, logits, model_scores, group_thresholds,
        {g: v["gate"] for g, v in groups.items()},
        {g: v["gate"] for g, v in extra.get("window_calibration", {}).items()} or None,
        tables, lengths,
    )  # fmt: skip
    extra["lower_thresholds"] = {ch: ladder[g] for ch, g in channel_groups.items() if g in ladder}
    return {
        "file": LEXICAL_FILE,
        "model": {
            "kind": "logistic regression over hashed character n-grams",
            **model.cfg.to_dict(),
            "c": c,
            "training_rows": len(fit_rows),
        },
        "gates": gates,
        "rule": (
            f"per group: the highest gate that loses at most {MAX_FLAGGED_LOSS:.0%} (rounded "
            f"down) of the calibration attacks the shipped model flags and costs at most "
            f"{AUC_TOLERANCE} of the group's calibration AUC and {LENGTH_TOLERANCE} of its TPR "
            f"at the threshold in any length bucket against the capped gate (the lower of that "
            f"allowance and the {MAX_MISS:.0%} quantile of the group's calibration attacks)"
        ),
        "calibration": groups,
        **extra,
        "seconds": round(time.time() - started, 1),
        "bytes": (out / LEXICAL_FILE).stat().st_size,
    }


def _by_channel(
    by_group: Mapping[str, float], channel_groups: Mapping[str, str]
) -> dict[str, float]:
    gates = {ch: by_group[g] for ch, g in channel_groups.items() if g in by_group}
    if "default" not in gates:
        gates["default"] = min(by_group.values())
    return gates


__all__ = [
    "LEXICAL_FILE",
    "fit_lexical",
    "lexical_logits",
    "place_gates",
    "place_window_gates",
    "train_lexical",
]
