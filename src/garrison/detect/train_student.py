"""The student tier of the bundled classifier: a small transformer distilled from the shipped
model (the teacher) that scores each window the lexical tier escalates, so only the windows it
finds suspicious cost a teacher inference.

The student reads the teacher's tokenizer and windows and learns the teacher's window logits
(mean squared error) on windows of the teacher's own training rows: every window the detector
would plan for them, and random token crops of those windows. It needs no labels, so it never
sees a calibration row. A window whose student logit is under its channel's gate keeps the
student's probability (the sigmoid of that logit, a copy of the teacher's scale, always under
the threshold); the others go to the teacher. The gates are placed on the calibration rows with
the whole cascade simulated as the detector runs it (``place_student_gates``).

``garrison train --student`` runs it on a model directory (docs/models/prompt-guard.md).
"""

from __future__ import annotations

import math
import random
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from garrison.detect.evaluate import json_lines, roc_auc

STUDENT_FILE = "student.onnx"
CLIP = 8.0  # teacher logits are clipped here: past it the int8 sigmoid is 0 or 1 anyway
MAX_FLAGGED_LOSS = 0.01  # flagged calibration attacks the student may lose, per group
THRESHOLD_MARGIN = 0.5  # a gate stays this far (in logits) under the threshold's logit
AUC_TOLERANCE = 0.005  # group AUC the student may cost on the calibration rows
LENGTH_TOLERANCE = 0.02  # TPR at the threshold it may cost in any length bucket
RULE = (
    "per group: the highest student-logit gate, at most logit(threshold) - "
    f"{THRESHOLD_MARGIN}, that loses at most {MAX_FLAGGED_LOSS:.0%} (rounded down) of the "
    "calibration attacks the cascade without the student flags, costs at most "
    f"{AUC_TOLERANCE} of the group's AUC and at most {LENGTH_TOLERANCE} of its TPR at the "
    "threshold in any length bucket (<=126 / 127-254 / >254 tokens)"
)


@dataclass(frozen=True)
class StudentConfig:
    layers: int = 2
    hidden: int = 128
    heads: int = 4
    ffn: int = 512
    epochs: int = 10
    lr: float = 1e-3
    batch: int = 64
    crops: int = 1  # random crops per planned window
    seed: int = 13
    threads: int = 2


def to_logit(p: float, clip: float = CLIP) -> float:
    """The logit of a probability, clipped to ±``clip``."""
    q = min(max(p, 1e-7), 1 - 1e-7)
    return max(-clip, min(clip, math.log(q) - math.log1p(-q)))


# --- data -----------------------------------------------------------------------------------------


def planned_windows(detector: Any, text: str, channel: str) -> list[tuple[int, ...]]:
    """Every window the detector plans for ``text`` on ``channel`` (all views, before any gate)."""
    from garrison.detect.normalize import normalize

    views = normalize(text).model_views()
    windows, _ = detector.classifier.plan(views, detector.max_view_windows, channel)
    return [w.ids for w in windows]


def crop(ids: Sequence[int], head: int, rng: random.Random, shortest: int = 16) -> tuple[int, ...]:
    """A random run of the window's text tokens, wrapped in its first ``head`` and last ids
    (the special tokens): the student also sees windows that start and end mid-sentence."""
    body = list(ids[head:-1])
    if len(body) <= shortest:
        return tuple(ids)
    n = rng.randint(shortest, len(body))
    s = rng.randint(0, len(body) - n)
    return (*ids[:head], *body[s : s + n], ids[-1])


def distillation_set(
    detector: Any, texts: Sequence[tuple[str, str]], cfg: StudentConfig, log: Any = print
) -> tuple[list[tuple[int, ...]], list[float]]:
    """Windows of ``texts`` ((text, channel) pairs) and crops of them, with the teacher's
    (``detector``'s) logit of each."""
    rng = random.Random(cfg.seed)
    seen: set[tuple[int, ...]] = set()
    windows: list[tuple[int, ...]] = []
    head = len(detector.classifier.prefix)
    for text, channel in texts:
        for ids in planned_windows(detector, text, channel):
            for w in (ids, *(crop(ids, head, rng) for _ in range(cfg.crops))):
                if w not in seen:
                    seen.add(w)
                    windows.append(w)
    t0 = time.time()
    targets: list[float] = []
    for i in range(0, len(windows), 256):
        probs = detector.classifier.probabilities(windows[i : i + 256])
        targets.extend(to_logit(p) for p in probs)
        if (i // 256) % 20 == 0:
            log(f"  teacher logits {len(targets)}/{len(windows)} ({time.time() - t0:.0f}s)")
    return windows, targets


def unlabelled_texts(
    paths: Sequence[Path], exclude: Sequence[str]
) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    """(text, channel) pairs of unlabelled JSON-lines files (``text``, optional ``channel``,
    default user; a label is ignored) for distillation, and a description of each file. Texts
    equal to one of ``exclude`` (the calibration rows; case and whitespace insensitive) are
    dropped: the gates are placed on those rows, so the student must not have fitted them."""
    from garrison.detect.train import _FORBIDDEN, _display, _sha256
    from garrison.errors import ConfigError

    banned = {" ".join(t.casefold().split()) for t in exclude}
    out: list[tuple[str, str]] = []
    files: list[dict[str, Any]] = []
    for path in paths:
        if _FORBIDDEN.search(path.name):
            raise ConfigError(f"refusing to distil on {path}: dev / hold-out data", file=str(path))
        used = dropped = 0
        for number, row in json_lines(path):
            channel = row.get("channel", "user") if isinstance(row, dict) else None
            if (
                not isinstance(row, dict)
                or not isinstance(row.get("text"), str)
                or not (isinstance(channel, str) and channel)
            ):
                raise ConfigError(
                    "expected an object with text (and optionally a channel name)",
                    file=str(path), line=number,
                )  # fmt: skip
            if " ".join(row["text"].casefold().split()) in banned:
                dropped += 1
                continue
            out.append((row["text"], channel))
            used += 1
        files.append({"path": _display(path), "sha256": _sha256(path), "texts": used,
                      "dropped_as_calibration_rows": dropped})  # fmt: skip
    return out, files


# --- model ----------------------------------------------------------------------------------------


def build_student(cfg: StudentConfig, max_len: int) -> Any:
    """A BERT-shaped encoder of ``cfg``'s size on the teacher's vocabulary, its embeddings
    the base model's projected on their top principal components; mean pooling; linear head."""
    from garrison.detect.train import _torch, base_model_dir

    torch = _torch()
    from transformers import AutoModel, BertConfig, BertModel  # type: ignore[import-not-found,unused-ignore]

    base = AutoModel.from_pretrained(str(base_model_dir()), local_files_only=True)
    emb = base.embeddings
    config = BertConfig(
        vocab_size=emb.word_embeddings.num_embeddings,
        hidden_size=cfg.hidden,
        num_hidden_layers=cfg.layers,
        num_attention_heads=cfg.heads,
        intermediate_size=cfg.ffn,
        max_position_embeddings=max(max_len, 64),
        type_vocab_size=emb.token_type_embeddings.num_embeddings,
    )
    config._attn_implementation = "eager"

    class StudentModel(torch.nn.Module):  # type: ignore[misc,name-defined]
        """Encoder → masked mean pooling → linear → sigmoid (one probability a window)."""

        def __init__(self) -> None:
            super().__init__()
            self.encoder = BertModel(config, add_pooling_layer=False)
            self.head = torch.nn.Linear(cfg.hidden, 1)

        def logits(self, input_ids: Any, attention_mask: Any) -> Any:
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask)[0]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            return self.head(pooled).squeeze(-1)

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            return torch.sigmoid(self.logits(input_ids, attention_mask))

    model = StudentModel()
    with torch.no_grad():
        words = emb.word_embeddings.weight
        mean = words.mean(0, keepdim=True)
        _, _, v = torch.linalg.svd(words - mean, full_matrices=False)
        proj = v[: cfg.hidden].T  # 384 x hidden
        scale = 0.02 / float(((words - mean) @ proj).std())
        se = model.encoder.embeddings
        se.word_embeddings.weight.copy_(((words - mean) @ proj) * scale)
        pos = emb.position_embeddings.weight[: config.max_position_embeddings]
        se.position_embeddings.weight.copy_((pos @ proj) * scale)
        se.token_type_embeddings.weight.copy_((emb.token_type_embeddings.weight @ proj) * scale)
    return model


def fit_student(
    model: Any, windows: Sequence[Sequence[int]], targets: Sequence[float], cfg: StudentConfig,
    log: Any = print,
) -> dict[str, Any]:  # fmt: skip
    """Mean squared error to the teacher's logits, AdamW, warm-up then linear decay; batches of
    similar length (``train._batches``)."""
    from garrison.detect.train import _batches, _pad, _torch, _warmup_then_linear

    torch = _torch()
    torch.manual_seed(cfg.seed)
    torch.set_num_threads(cfg.threads)
    rng = random.Random(cfg.seed)
    y = torch.tensor(targets, dtype=torch.float32)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=0.01)
    per_epoch = math.ceil(len(windows) / cfg.batch)
    sched = _warmup_then_linear(opt, per_epoch * cfg.epochs, 0.05)
    t0 = time.time()
    history: list[dict[str, float]] = []
    bags = [[list(w)] for w in windows]  # one window a bag: training's length-sorted batches
    for epoch in range(cfg.epochs):
        model.train()
        total = 0.0
        for batch in _batches(bags, cfg.batch, rng):
            ids, mask = _pad([windows[i] for i in batch])
            loss = torch.nn.functional.mse_loss(model.logits(ids, mask), y[batch])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            total += loss.item() * len(batch)
        history.append({"epoch": epoch + 1, "mse": round(total / len(windows), 4),
                        "seconds": round(time.time() - t0, 1)})  # fmt: skip
        log(f"  student epoch {epoch + 1}: mse {total / len(windows):.4f} "
            f"({time.time() - t0:.0f}s)")  # fmt: skip
    model.eval()
    return {"epochs": cfg.epochs, "windows": len(windows), "history": history,
            "seconds": round(time.time() - t0, 1)}  # fmt: skip


def export_student(model: Any, out: Path) -> int:
    """The student as one int8 ONNX graph (token ids + mask → probability) at ``out``."""
    from onnxruntime.quantization import QuantType, quantize_dynamic  # type: ignore[import-untyped,unused-ignore]

    from garrison.detect.train import _torch

    torch = _torch()
    model.eval()
    tmp = Path(tempfile.mkdtemp(prefix="pg-student-"))
    try:
        fp32 = tmp / "student.fp32.onnx"
        ids = torch.ones((2, 16), dtype=torch.long)
        torch.onnx.export(
            model, (ids, ids.clone()), str(fp32),
            input_names=["input_ids", "attention_mask"], output_names=["probability"],
            dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                          "attention_mask": {0: "batch", 1: "tokens"},
                          "probability": {0: "batch"}},
            opset_version=17, dynamo=False,
        )  # fmt: skip
        quantize_dynamic(
            str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=True,
            op_types_to_quantize=["MatMul", "Gather"],
        )  # fmt: skip
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out.stat().st_size


# --- gates ----------------------------------------------------------------------------------------


@dataclass
class CascadeRow:
    """One calibration row as the cascade without the student scores it: the lexical tier's
    score when it stops the text (``windows`` empty), else the teacher's and the student's logit
    of each window the lexical window gates choose."""

    label: int
    group: str
    length: int  # tokens of the text
    lexical_score: float | None  # the finding's score when the lexical tier stops the text
    teacher: npt.NDArray[np.float64]  # probabilities
    student: npt.NDArray[np.float64]  # logits


def cascade_rows(
    detector: Any, student: Callable[[Sequence[Sequence[int]]], list[float]], rows: Sequence[Any],
    lengths: Sequence[int],
) -> list[CascadeRow]:  # fmt: skip
    """``rows`` (``train.Row``) through ``detector`` (the teacher, cascade on) as ``detect`` runs
    them, with ``student``'s probability of every window the teacher would score."""
    from garrison.detect.detectors.classifier import threshold_for
    from garrison.detect.normalize import normalize

    out: list[CascadeRow] = []
    for r, n in zip(rows, lengths, strict=True):
        views = normalize(r.text).model_views()
        threshold = threshold_for(detector.thresholds, r.channel)
        gate = detector._gate(views, r.channel, threshold)
        if gate is not None and not gate.escalate:
            out.append(CascadeRow(r.label, r.group, n, gate.score, np.zeros(0), np.zeros(0)))
            continue
        chosen = detector.chosen_windows(views, r.channel)[0]
        ids = [w.ids for w in chosen]
        teacher = np.asarray(detector.classifier.probabilities(ids), dtype=np.float64)
        # unclipped (but for float32's reach): run time compares the probability itself
        logits = np.asarray([to_logit(p, math.inf) for p in student(ids)], dtype=np.float64)
        out.append(CascadeRow(r.label, r.group, n, None, teacher, logits))
    return out


def final_scores(rows: Sequence[CascadeRow], gate: float) -> npt.NDArray[np.float64]:
    """Each row's score with the student's gate at ``gate`` (-inf: no student)."""
    out = np.empty(len(rows))
    for i, r in enumerate(rows):
        if r.lexical_score is not None:
            out[i] = r.lexical_score
            continue
        if not len(r.student):  # nothing to score (as run time: 0)
            out[i] = 0.0
            continue
        stopped = r.student < gate
        own = 1.0 / (1.0 + np.exp(-np.minimum(r.student, gate)))
        out[i] = float(np.max(np.where(stopped, own, r.teacher)))
    return out


def _bucket_tpr(rows: Sequence[CascadeRow], scores: npt.NDArray[Any], t: float) -> dict[str, float]:
    from garrison.detect.train import length_bucket

    hits: dict[str, list[bool]] = {}
    for r, s in zip(rows, scores, strict=True):
        if r.label == 1:
            hits.setdefault(length_bucket(r.length), []).append(bool(s >= t))
    return {k: float(np.mean(v)) for k, v in hits.items()}


def place_student_gates(
    rows: Sequence[CascadeRow], thresholds: Mapping[str, float]
) -> dict[str, dict[str, Any]]:
    """Per group: the student's gate by ``RULE``, and what it does on the calibration rows."""
    out: dict[str, dict[str, Any]] = {}
    for group in sorted({r.group for r in rows}):
        mine = [r for r in rows if r.group == group]
        t = float(thresholds[group])
        y = [r.label for r in mine]
        base = final_scores(mine, -math.inf)
        flagged = [i for i, r in enumerate(mine) if r.label == 1 and base[i] >= t]
        allowed = math.floor(MAX_FLAGGED_LOSS * len(flagged) + 1e-9)
        base_auc = roc_auc(y, base.tolist())
        base_buckets = _bucket_tpr(mine, base, t)
        ceiling = to_logit(t) - THRESHOLD_MARGIN
        candidates = sorted(
            {round(float(v) - 1e-4, 4) for r in mine for v in r.student if v - 1e-4 <= ceiling},
            reverse=True,
        )
        chosen, scores = -math.inf, base
        for g in candidates:
            s = final_scores(mine, g)
            lost = sum(1 for i in flagged if s[i] < t)
            auc = roc_auc(y, s.tolist())
            if lost > allowed or (
                base_auc is not None and auc is not None and auc < base_auc - AUC_TOLERANCE
            ):
                continue
            buckets = _bucket_tpr(mine, s, t)
            if any(buckets[k] < base_buckets[k] - LENGTH_TOLERANCE for k in base_buckets):
                continue
            chosen, scores = g, s
            break
        escalated = [r for r in mine if r.lexical_score is None]
        windows = sum(len(r.student) for r in escalated)
        stopped = sum(int(np.sum(r.student < chosen)) for r in escalated)

        def settled(label: int, gate: float = chosen, rows: list[CascadeRow] = escalated) -> float:
            """Share of the escalated ``label`` rows none of whose windows reach the teacher."""
            part = [r for r in rows if r.label == label]
            hits = [len(r.student) > 0 and bool(np.all(r.student < gate)) for r in part]
            return round(float(np.mean(hits)), 4) if hits else 0.0

        out[group] = {
            "gate": chosen if math.isfinite(chosen) else None,
            "rows": len(mine),
            "escalated_rows": len(escalated),
            "flagged_attacks": len(flagged),
            "flagged_attacks_lost": sum(1 for i in flagged if scores[i] < t),
            "auc": [_round(base_auc), _round(roc_auc(y, scores.tolist()))],
            "tpr_by_length": {k: [round(base_buckets[k], 4), round(v, 4)]
                              for k, v in _bucket_tpr(mine, scores, t).items()},
            "windows_escalated": windows,
            "windows_stopped": stopped,
            "escalated_benign_stopped": settled(0),
            "escalated_attacks_stopped": settled(1),
        }  # fmt: skip
    return out


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def describe(
    cfg: StudentConfig, fit: Mapping[str, Any], size: int, gates: Mapping[str, Any],
    channel_group: Mapping[str, str],
) -> dict[str, Any]:  # fmt: skip
    """metadata.json ``cascade.student``."""
    group_gates = {g: c["gate"] for g, c in gates.items()}
    return {
        "file": STUDENT_FILE,
        "model": {
            "kind": "BERT-shaped encoder distilled from the shipped model's window logits",
            "layers": cfg.layers, "hidden": cfg.hidden, "heads": cfg.heads, "ffn": cfg.ffn,
            "crops": cfg.crops,
            "bytes": size, **fit,
        },
        # channels whose group has no gate (None) send every chosen window to the teacher
        "gates": {ch: group_gates[g] for ch, g in channel_group.items()
                  if group_gates.get(g) is not None},
        "rule": RULE,
        "calibration": dict(gates),
    }  # fmt: skip
