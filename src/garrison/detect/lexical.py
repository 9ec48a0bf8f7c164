"""The lexical tier of the bundled classifier: hashed character n-grams and a linear model.

A text is case-folded, its whitespace collapsed, and cut into overlapping character windows;
each window becomes a bag of hashed character n-grams (1 to 5 characters, ``log(1 + count)``,
L2-normalized) and gets one linear score (a logit); the text's score is the highest window's. It
needs numpy only and costs a fraction of a millisecond for 1 KB, against ~15 ms for the
transformer on one core, so it serves as the **cascade gate** in front of the transformer
(``PromptGuardDetector``): a text whose lexical score is below the gate calibrated for its
channel never reaches the transformer. The gates are placed by training (``garrison.detect.train``)
on the calibration split so that the transformer keeps every calibration attack it would have
flagged; see docs/models/prompt-guard.md for what that costs and buys on unseen data.

Character n-grams need no tokenizer and no vocabulary, so every script is featurized the same
way. Hashing (64-bit polynomial over code points, multiplicative bucket) is vectorized with numpy
and stable across processes and platforms: training and run time call the same
``window_features``. This module never logs content and never decides.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from garrison.errors import ConfigError

FEATURE_VERSION = 1
_P = np.uint64(0x100000001B3)  # FNV prime: the polynomial's base
_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: top bits of the product are the bucket

Features = tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]  # (bucket ids, values)


@dataclass(frozen=True, slots=True)
class LexicalConfig:
    ngrams: tuple[int, ...] = (1, 2, 3, 4, 5)
    bits: int = 20  # 2**bits hash buckets
    window: int = 1000  # characters a window
    overlap: int = 200
    max_windows: int = 16  # evenly spaced over longer texts, first and last included

    def to_dict(self) -> dict[str, Any]:
        return {
            "feature_version": FEATURE_VERSION,
            "ngrams": list(self.ngrams),
            "bits": self.bits,
            "window": self.window,
            "overlap": self.overlap,
            "max_windows": self.max_windows,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LexicalConfig:
        version = data.get("feature_version")
        if version != FEATURE_VERSION:
            raise ConfigError(
                f"lexical model has feature_version {version!r}; this Garrison reads "
                f"{FEATURE_VERSION} (retrain with garrison train)"
            )
        try:
            cfg = cls(
                ngrams=tuple(int(n) for n in data["ngrams"]),
                bits=int(data["bits"]),
                window=int(data["window"]),
                overlap=int(data["overlap"]),
                max_windows=int(data["max_windows"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"lexical model configuration is incomplete: {exc}") from exc
        if not cfg.ngrams or min(cfg.ngrams) < 1 or max(cfg.ngrams) > 8:
            raise ConfigError(f"lexical n-gram sizes must be 1..8, got {list(cfg.ngrams)}")
        if not 8 <= cfg.bits <= 24:
            raise ConfigError(f"lexical bits must be 8..24, got {cfg.bits}")
        if cfg.window < 16 or not 0 <= cfg.overlap < cfg.window or cfg.max_windows < 1:
            raise ConfigError("lexical windows need window >= 16, 0 <= overlap < window")
        return cfg


def prepare(text: str) -> str:
    """Case-folded, whitespace collapsed, padded with one space (word edges become n-grams)."""
    return " " + " ".join(text.casefold().split()) + " "


def _window_starts(length: int, cfg: LexicalConfig) -> list[int]:
    if length <= cfg.window:
        return [0]
    step = cfg.window - cfg.overlap
    last = length - cfg.window
    starts = [*range(0, last, step), last]
    if len(starts) > cfg.max_windows:
        k = cfg.max_windows
        starts = sorted({starts[round(i * (len(starts) - 1) / max(k - 1, 1))] for i in range(k)})
    return starts


def _bucket_ids(cp: npt.NDArray[np.uint64], n: int, bits: int) -> npt.NDArray[np.int64]:
    """The hash bucket of every n-gram of code points ``cp``, by start position."""
    h = np.full(len(cp) - n + 1, n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            h = h * _P + cp[k : len(cp) - n + 1 + k]
        return ((h * _MIX) >> np.uint64(64 - bits)).astype(np.int64)


def window_features(text: str, cfg: LexicalConfig) -> list[Features]:
    """The feature vectors of a text's windows (at least one, possibly empty)."""
    t = prepare(text)
    # Only what the windows can reach is hashed: a megabyte costs no more than the cap needs.
    starts = _window_starts(len(t), cfg)
    codes = np.frombuffer(t.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    # Windows that overlap or touch share their n-grams: each run of them hashes the span it
    # covers once (windows spread over a text longer than the cap make runs of one).
    runs: list[list[int]] = []
    for s in starts:
        if runs and s - runs[-1][-1] <= cfg.window:
            runs[-1].append(s)
        else:
            runs.append([s])
    out: list[Features] = []
    for run in runs:
        lo = run[0]
        cp = codes[lo : run[-1] + cfg.window].astype(np.uint64)
        grams = {n: _bucket_ids(cp, n, cfg.bits) for n in cfg.ngrams if len(cp) >= n}
        for s in run:
            size = min(cfg.window, len(cp) - (s - lo))
            buckets = [ids[s - lo : s - lo + size - n + 1] for n, ids in grams.items() if size >= n]
            out.append(window_vector(buckets))
    return out


def window_vector(buckets: Sequence[npt.NDArray[np.int64]]) -> Features:
    """One window's features from the buckets of its n-grams: ``log(1 + count)`` per bucket,
    L2-normalized (empty without n-grams)."""
    if not buckets:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    ids, counts = np.unique(np.concatenate(buckets), return_counts=True)
    values = np.log1p(counts.astype(np.float32))
    values /= np.float32(max(float(np.linalg.norm(values)), 1e-9))
    return ids, values


MAX_VIEW_WINDOWS = 4  # windows of the decoded / folded views, beyond the text's own


def view_windows(views: Sequence[str], cfg: LexicalConfig) -> list[Features]:
    """The windows of a text's views: all of the first (the normalized text), then at most
    ``MAX_VIEW_WINDOWS`` of the others together (as the transformer budgets them)."""
    out: list[Features] = []
    budget = MAX_VIEW_WINDOWS
    for i, view in enumerate(views):
        if not view.strip():
            continue
        windows = window_features(view, cfg)
        if i > 0:
            windows = windows[:budget]
            budget -= len(windows)
        out.extend(windows)
        if budget <= 0:
            break
    return out


class LexicalModel:
    """A linear model over :func:`window_features`; ``logit`` is the text's highest window."""

    def __init__(self, weights: npt.NDArray[Any], bias: float, cfg: LexicalConfig) -> None:
        w = np.asarray(weights, dtype=np.float32).reshape(-1)
        if w.shape[0] != 1 << cfg.bits:
            raise ConfigError(
                f"lexical weights have {w.shape[0]} entries, expected {1 << cfg.bits}"
            )
        if not np.all(np.isfinite(w)) or not math.isfinite(bias):
            raise ConfigError("lexical weights are not finite numbers")
        self.weights = w
        self.bias = float(bias)
        self.cfg = cfg

    def _logits(self, windows: Sequence[Features]) -> list[float]:
        return [float(np.dot(self.weights[ids], values)) + self.bias for ids, values in windows]

    def window_logits(self, text: str) -> list[float]:
        return self._logits(window_features(text, self.cfg))

    def logit(self, text: str) -> float:
        return max(self.window_logits(text))

    def logit_views(self, views: Sequence[str]) -> float:
        """The highest logit over the views of one text (normalized first, then decoded /
        folded; see ``view_windows``), -inf when every view is blank. Training places the
        gates with this same function."""
        return max(self._logits(view_windows(views, self.cfg)), default=-math.inf)

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            weights=self.weights.astype(np.float16),
            bias=np.asarray([self.bias], dtype=np.float32),
            config=np.asarray(json.dumps(self.cfg.to_dict())),
        )

    @classmethod
    def load(cls, path: Path) -> LexicalModel:
        if not path.is_file():
            raise ConfigError(f"lexical model {path} not found", file=str(path))
        try:
            with np.load(path, allow_pickle=False) as data:
                cfg = LexicalConfig.from_dict(json.loads(str(data["config"])))
                weights = data["weights"].astype(np.float32)
                bias = float(data["bias"].reshape(-1)[0])
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc.message}", file=str(path)) from exc
        except (OSError, KeyError, ValueError, IndexError) as exc:
            raise ConfigError(f"cannot read lexical model {path}: {exc}", file=str(path)) from exc
        try:
            return cls(weights, bias, cfg)
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc.message}", file=str(path)) from exc


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


__all__ = [
    "LexicalConfig",
    "LexicalModel",
    "prepare",
    "sigmoid",
    "view_windows",
    "window_features",
]
