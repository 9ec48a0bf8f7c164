"""Tier 3 of detection: transformer classifiers that score text for prompt injection / jailbreak.

Two detectors share one engine (:class:`TextClassifier`: a ``tokenizers`` tokenizer, one
onnxruntime session, token windows, batched inference):

- ``prompt_guard`` (:class:`PromptGuardDetector`): the model bundled under
  ``garrison/detect/models/prompt_guard`` (``model.onnx`` int8, ``tokenizer.json``,
  ``metadata.json`` with per-channel thresholds), trained by ``garrison.detect.train``;
- ``hf_classifier`` (:class:`HFClassifierDetector`): any local Hugging Face sequence-classification
  model by path (an ONNX export, or a transformers checkpoint when torch is installed), e.g.
  Llama Prompt Guard 2. Several can run side by side under different ``id`` values.

A text's score is the highest probability over its windows. Windows are cut on *tokens*, not
characters (the normalizer's character windows are sized for other detectors), so a window is
exactly what the model saw in training: ``token_windows`` is the one function both training and
run time use. Texts longer than ``max_windows`` windows are scanned at evenly spaced windows,
first and last always included, and the finding says ``truncated``.

The model is loaded once, at construction; model files are never downloaded. This module must
never import torch at run time (only the optional transformers route of ``hf_classifier`` does),
never log content, and never decide: findings carry the score and the per-channel threshold, the
policy decides.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import numpy as np
import numpy.typing as npt

from garrison.detect.base import ScanContext
from garrison.detect.lexical import LexicalModel, sigmoid
from garrison.errors import ConfigError
from garrison.model import Channel, EventKind
from garrison.model.finding import Evidence, Finding, FindingStatus

if TYPE_CHECKING:
    from garrison.detect.detectors.signatures import SignatureSet

log = logging.getLogger("garrison.detect")

BUNDLED_DIR = Path(__file__).resolve().parent.parent / "models" / "prompt_guard"
LABEL = "prompt_injection"
_V = TypeVar("_V")

# Channels of the shared datasets (and of evaluation files) -> Garrison's trust channels.
DATA_CHANNELS: Mapping[str, Channel] = {
    "user": Channel.USER,
    "document": Channel.RETRIEVAL,
    "email": Channel.EXTERNAL,
    "web": Channel.EXTERNAL,
    "tool_output": Channel.TOOL,
    "tool": Channel.TOOL,
    "memory": Channel.MEMORY,
    "retrieval": Channel.RETRIEVAL,
    "external": Channel.EXTERNAL,
}
# Where the channel is unset, the kind of event says who wrote the content.
_KIND_CHANNELS: Mapping[EventKind, Channel] = {
    EventKind.PROMPT: Channel.USER,
    EventKind.TOOL_RESULT: Channel.TOOL,
    EventKind.RETRIEVAL: Channel.RETRIEVAL,
    EventKind.MEMORY: Channel.MEMORY,
}
# Trusted authors: the developer's system prompt and the model's own words are not scanned
# (system prompts are instructions by design; they would only produce false positives).
_SKIPPED_CHANNELS = frozenset({Channel.SYSTEM, Channel.ASSISTANT})
# Garrison channel -> the calibration group whose threshold and gates it gets (metadata.json
# ``cascade.calibration.<group>``; training places them per group).
CHANNEL_GROUP: Mapping[str, str] = {
    "user": "user", "retrieval": "document", "external": "document", "memory": "document",
    "tool": "tool", "default": "user",
}  # fmt: skip
_TAGS_DIRECT = ("atlas.AML.T0051.000", "atlas.AML.T0054", "owasp-llm-2025.LLM01")
_TAGS_INDIRECT = ("atlas.AML.T0051.001", "owasp-llm-2025.LLM01")

# Labels that mean "attack" in common public classifiers, tried when ``label`` is not given.
_ATTACK_LABELS = ("injection", "malicious", "jailbreak", "unsafe", "attack", "label_1")


def resolve_channel(channel: Channel | None, kind: EventKind) -> Channel:
    """The trust channel a threshold is looked up under."""
    if channel is not None:
        return channel
    return _KIND_CHANNELS.get(kind, Channel.USER)


def threshold_for(thresholds: Mapping[str, float], channel: Channel | str) -> float:
    """Per-channel threshold, falling back to ``default`` (then 0.5)."""
    return float(channel_value(thresholds, channel, 0.5))


def channel_value(values: Mapping[str, _V], channel: Channel | str, fallback: _V) -> _V:
    """The value of a per-channel mapping for ``channel`` (a Garrison or dataset channel), else
    its ``default``, else ``fallback``."""
    key = channel.value if isinstance(channel, Channel) else str(channel)
    if key in values:
        return values[key]
    mapped = DATA_CHANNELS.get(key)
    if mapped is not None and mapped.value in values:
        return values[mapped.value]
    return values.get("default", fallback)


# --- windows --------------------------------------------------------------------------------------


def window_starts(
    n_tokens: int, body: int, overlap: int, max_windows: int
) -> tuple[list[int], bool]:
    """Start offsets of the token windows covering ``n_tokens`` tokens, and whether some tokens
    are left unscanned because of the ``max_windows`` cap."""
    body = max(body, 1)
    if n_tokens <= body:
        return [0], False
    step = max(body - max(overlap, 0), 1)
    last = n_tokens - body
    needed = math.ceil(last / step) + 1
    if needed <= max_windows:
        return [min(i * step, last) for i in range(needed)], False
    k = max(max_windows, 1)
    if k == 1:
        return [0], True
    starts = sorted({round(i * last / (k - 1)) for i in range(k)})
    gap = max(b - a for a, b in itertools.pairwise(starts))
    return starts, gap > body


def token_windows(
    ids: Sequence[int],
    *,
    prefix: Sequence[int],
    suffix: Sequence[int],
    max_len: int,
    overlap: int,
    max_windows: int,
) -> tuple[list[list[int]], list[int], bool]:
    """Cut token ids (without special tokens) into model inputs of at most ``max_len`` tokens,
    each wrapped in the model's special tokens. Returns (windows, start offsets, truncated)."""
    body = max_len - len(prefix) - len(suffix)
    starts, truncated = window_starts(len(ids), body, overlap, max_windows)
    windows = [[*prefix, *ids[s : s + body], *suffix] for s in starts]
    return windows, starts, truncated


def channel_ids(tokenizer: Any, word: str, separator: Sequence[int]) -> list[int]:
    """The ids a channel-conditioned model reads after its start token: ``word``'s, then the
    tokenizer's separator (the suffix special tokens)."""
    ids = list(tokenizer.encode(word, add_special_tokens=False).ids)
    if not ids:
        raise ConfigError(f"channel prefix {word!r} has no tokens")
    return [*ids, *separator]


def special_tokens(tokenizer: Any) -> tuple[list[int], list[int]]:
    """The ids the tokenizer's post-processor puts before and after a sequence."""
    plain = list(tokenizer.encode("hello world", add_special_tokens=False).ids)
    full = list(tokenizer.encode("hello world", add_special_tokens=True).ids)
    for i in range(len(full) - len(plain) + 1):
        if full[i : i + len(plain)] == plain:
            return full[:i], full[i + len(plain) :]
    return [], []


# --- the engine -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CascadeGate:
    """The lexical tier's decision for one text."""

    escalate: bool  # the transformer scores the text
    logit: float  # the lexical model's highest logit over the text's views
    gate: float  # the channel's gate (a logit)
    score: float  # the finding's score when the text is not escalated
    signature: bool = False  # escalated under the gate: a view matches a bundled signature


@dataclass(frozen=True, slots=True)
class TextScore:
    """The classifier's verdict on one text."""

    score: float  # highest window probability, 0..1
    windows: int  # windows scored
    truncated: bool  # some tokens were not scanned (the window cap)
    best_start: int | None = None  # character span of the highest-scoring window in the text
    best_end: int | None = None


@dataclass(frozen=True, slots=True)
class Window:
    """One model input: token ids wrapped in the model's special tokens, and where they came
    from (the ``index``-th view of the text, characters ``start:end`` of it; -1 where unknown)."""

    view: str
    index: int
    ids: tuple[int, ...]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ViewsScore:
    """The transformer's verdict on a text's views: the best window and what was scanned."""

    view: str  # the view holding the best window
    # its score and character span in that view; ``windows`` = windows scored, ``truncated``:
    # something was left unscanned (window caps, the deadline)
    best: TextScore
    skipped: int  # windows the lexical tier found unsuspicious (not scored)
    out_of_time: bool  # the deadline stopped scoring before every chosen window was scored
    settled: int = 0  # windows the student tier scored and kept from the transformer


Probabilities = Callable[[npt.NDArray[Any]], npt.NDArray[np.float32]]


class TextClassifier:
    """Tokenizer + model → probability that a text is an attack. Built once, reused for every
    event; safe to call from several threads (onnxruntime sessions are)."""

    def __init__(
        self,
        *,
        tokenizer: Any,
        run: Callable[[dict[str, npt.NDArray[np.int64]]], npt.NDArray[Any]],
        to_probability: Probabilities,
        input_names: Sequence[str],
        max_len: int,
        overlap: int,
        max_windows: int = 16,
        batch_size: int = 8,
        cache_size: int = 2048,
        pad_id: int = 0,
        int32_inputs: bool = False,
        channel_prefix: Mapping[str, str] | None = None,
        channel_max_len: Mapping[str, int] | None = None,
    ) -> None:
        self.tokenizer = tokenizer
        tokenizer.no_truncation()
        tokenizer.no_padding()
        self.prefix, self.suffix = special_tokens(tokenizer)
        # Channel-conditioned models (``channel_prefix`` in metadata.json: channel -> word) read
        # the channel first: [CLS] word [SEP] text [SEP], the same ids in training.
        self.channel_prefix = {
            ch: channel_ids(tokenizer, word, self.suffix)
            for ch, word in (channel_prefix or {}).items()
        }
        self._run = run
        self._to_probability = to_probability
        self.input_names = tuple(input_names)
        self.max_len = int(max_len)
        # Shorter windows on some channels (``windows.max_len_by_channel`` in metadata.json):
        # a window costs about linearly in its tokens, but a long jailbreak cut into short
        # pieces may no longer read as one (docs/models/prompt-guard.md, "Latency and size").
        self.channel_max_len = {str(k): int(v) for k, v in (channel_max_len or {}).items()}
        self.overlap = int(overlap)
        self.max_windows = max(int(max_windows), 1)
        self.batch_size = max(int(batch_size), 1)
        self.pad_id = int(pad_id)
        self._int32 = int32_inputs
        self._cache: OrderedDict[bytes, float] = OrderedDict()
        self._cache_size = max(int(cache_size), 0)
        self._lock = threading.Lock()  # the cache is shared by the worker threads
        longest = max((len(ids) for ids in self.channel_prefix.values()), default=0)
        for length in (self.max_len, *self.channel_max_len.values()):
            if length > self.max_len or 2 * self.overlap > length:
                raise ConfigError(
                    f"window length {length} must be at most the model's {self.max_len} tokens "
                    f"and at least twice the overlap ({self.overlap})"
                )
            if length - len(self.prefix) - longest - len(self.suffix) < 8:
                raise ConfigError(f"max_length {length} leaves no room for text")
        body = self.max_len - len(self.prefix) - longest - len(self.suffix)
        # Texts are cut before tokenizing so a megabyte of text costs no more than the cap
        # needs; 12 characters a token is more than any tokenizer averages.
        self._max_chars = max(20_000, 12 * body * self.max_windows)

    def prefix_for(self, channel: Channel | str | None) -> list[int]:
        """The ids before a window's text on ``channel``: the special tokens, and for a
        channel-conditioned model the channel's word."""
        if not self.channel_prefix:
            return self.prefix
        return [*self.prefix, *channel_value(self.channel_prefix, channel or "user", [])]

    def max_len_for(self, channel: Channel | str | None) -> int:
        """The window length, in tokens with the special ones, on ``channel``."""
        return channel_value(self.channel_max_len, channel or "user", self.max_len)

    def windows_of(
        self, text: str, max_windows: int | None = None, channel: Channel | str | None = None
    ) -> tuple[list[list[int]], list[tuple[int, int]], bool]:
        """The model inputs for one text on ``channel``: windows, their character spans in
        ``text``, and whether the text was too long to scan completely."""
        prefix = self.prefix_for(channel)
        cap = self.max_windows if max_windows is None else max(max_windows, 1)
        cut = False
        if len(text) > self._max_chars:
            tail = self._max_chars // 4
            text = text[: self._max_chars - tail] + "\n" + text[-tail:]
            cut = True
        enc = self.tokenizer.encode(text, add_special_tokens=False)
        ids: list[int] = enc.ids
        offsets: list[tuple[int, int]] = enc.offsets
        max_len = self.max_len_for(channel)
        windows, starts, truncated = token_windows(
            ids,
            prefix=prefix,
            suffix=self.suffix,
            max_len=max_len,
            overlap=self.overlap,
            max_windows=cap,
        )
        body = max_len - len(prefix) - len(self.suffix)
        spans: list[tuple[int, int]] = []
        for s in starts:
            if not ids:
                spans.append((0, 0))
                continue
            e = min(s + body, len(ids)) - 1
            spans.append((int(offsets[s][0]), int(offsets[e][1])))
        if cut:  # spans past the cut no longer index the caller's text
            spans = [(a, b) if b <= self._max_chars * 3 // 4 else (-1, -1) for a, b in spans]
        return windows, spans, truncated or cut

    def plan(
        self,
        views: Sequence[tuple[str, str]],
        view_budget: int,
        channel: Channel | str | None = None,
    ) -> tuple[list[Window], bool]:
        """The windows of a text's views on ``channel``: all of the first view's (the normalized
        text, up to ``max_windows``), at most ``view_budget`` of the other views' together; a
        window whose tokens equal an earlier one's is dropped (same input, same score). Also
        returns whether something was left unscanned."""
        out: list[Window] = []
        seen: set[tuple[int, ...]] = set()
        truncated = False
        budget = view_budget
        for index, (name, text) in enumerate(views):
            if not text.strip():
                continue
            if index == 0:
                windows, spans, cut = self.windows_of(text, channel=channel)
            elif budget <= 0:
                truncated = True
                continue
            else:
                windows, spans, cut = self.windows_of(text, max_windows=budget, channel=channel)
                budget -= len(windows)
            truncated = truncated or cut
            for ids, (start, end) in zip(windows, spans, strict=True):
                key = tuple(ids)
                if key not in seen:
                    seen.add(key)
                    out.append(Window(name, index, key, start, end))
        return out, truncated

    def probabilities(self, windows: Sequence[Sequence[int]]) -> list[float]:
        """Probability of each window (cached by token ids), batched by length.

        With ``batch_size`` 1 (the bundled model's default) a window's probability does not
        depend on the other windows: dynamically quantized (int8) models scale activations per
        batch, so a window batched with others can score a few hundredths differently."""
        out = [0.0] * len(windows)
        keys = [b""] * len(windows)
        todo: list[int] = []
        for i, w in enumerate(windows):
            if self._cache_size:
                keys[i] = hashlib.blake2b(
                    np.asarray(w, dtype=np.int64).tobytes(), digest_size=16, person=b"pg-window"
                ).digest()
                with self._lock:
                    hit = self._cache.get(keys[i])
                    if hit is not None:
                        self._cache.move_to_end(keys[i])
                if hit is not None:
                    out[i] = hit
                    continue
            todo.append(i)
        order = sorted(todo, key=lambda i: len(windows[i]))
        for b in range(0, len(order), self.batch_size):
            idx = order[b : b + self.batch_size]
            for i, p in zip(idx, self._infer([windows[i] for i in idx]), strict=True):
                out[i] = p
                if self._cache_size:
                    with self._lock:
                        self._cache[keys[i]] = p
                        if len(self._cache) > self._cache_size:
                            self._cache.popitem(last=False)
        return out

    def _infer(self, windows: Sequence[Sequence[int]]) -> list[float]:
        width = max(len(w) for w in windows)
        ids = np.full((len(windows), width), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(windows), width), dtype=np.int64)
        for row, w in enumerate(windows):
            ids[row, : len(w)] = w
            mask[row, : len(w)] = 1
        feeds: dict[str, npt.NDArray[np.int64]] = {}
        for name in self.input_names:
            if name == "input_ids":
                feeds[name] = ids
            elif name == "attention_mask":
                feeds[name] = mask
            elif name == "token_type_ids":
                feeds[name] = np.zeros_like(ids)
        if self._int32:
            feeds = {k: v.astype(np.int32) for k, v in feeds.items()}
        probs = self._to_probability(self._run(feeds))
        return [min(max(float(probs[row]), 0.0), 1.0) for row in range(len(windows))]

    def score(
        self, text: str, max_windows: int | None = None, channel: Channel | str | None = None
    ) -> TextScore:
        """Score one text (on ``channel``): its highest window."""
        if not text.strip():
            return TextScore(0.0, 0, False)
        windows, spans, truncated = self.windows_of(text, max_windows, channel)
        probs = self.probabilities(windows)
        best = int(np.argmax(probs))
        start, end = spans[best]
        return TextScore(
            score=probs[best],
            windows=len(windows),
            truncated=truncated,
            best_start=start if start >= 0 else None,
            best_end=end if end >= 0 else None,
        )


def _onnx_session(path: Path, threads: int) -> Any:
    try:
        import onnxruntime as ort  # type: ignore[import-untyped,unused-ignore]  # untyped
    except ImportError as exc:  # pragma: no cover - a run-time dependency
        raise ConfigError("onnxruntime is not installed", field="path") from exc
    options = ort.SessionOptions()
    options.intra_op_num_threads = max(int(threads), 1)
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    try:
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:
        raise ConfigError(f"cannot load ONNX model {path}: {exc}", file=str(path)) from exc


def _load_tokenizer(path: Path) -> Any:
    from tokenizers import Tokenizer

    if not path.is_file():
        raise ConfigError(f"tokenizer file {path} not found", file=str(path))
    try:
        return Tokenizer.from_file(str(path))
    except Exception as exc:
        raise ConfigError(f"cannot load tokenizer {path}: {exc}", file=str(path)) from exc


def _read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ConfigError(f"{path.name} not found at {path}", file=str(path))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}", file=str(path)) from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path} is not a JSON object", file=str(path))
    return data


# --- config helpers -------------------------------------------------------------------------------


def _check_keys(config: Mapping[str, Any], allowed: frozenset[str], who: str) -> None:
    unknown = sorted(set(config) - allowed)
    if unknown:
        raise ConfigError(
            f"{who}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(allowed))}",
            field=unknown[0],
        )


def _int(config: Mapping[str, Any], key: str, default: int, lo: int, hi: int) -> int:
    value = config.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ConfigError(f"{key} must be an integer in [{lo}, {hi}], got {value!r}", field=key)
    return value


def _thresholds(config: Mapping[str, Any], base: Mapping[str, float]) -> dict[str, float]:
    out = {str(k): float(v) for k, v in base.items()}
    if "threshold" in config:
        value = config["threshold"]
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise ConfigError(
                f"threshold must be a number in [0, 1], got {value!r}", field="threshold"
            )
        out = dict.fromkeys(out or {"default": 0.0}, float(value))
        out["default"] = float(value)
    raw = config.get("thresholds")
    if raw is None:
        return out
    out.update(_channel_values(raw, "thresholds", lambda v: 0 <= v <= 1, "a number in [0, 1]"))
    return out


def _channel_values(
    raw: Any, name: str, valid: Callable[[float], bool], what: str
) -> dict[str, float]:
    """A config mapping of channel (Garrison or dataset name, or ``default``) to number, keyed
    by Garrison channel; ``valid`` checks each number."""
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{name} must map channel names to numbers", field=name)
    known = {c.value for c in Channel} | set(DATA_CHANNELS) | {"default"}
    out: dict[str, float] = {}
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(
                f"{name}: unknown channel {key!r}; known: {', '.join(sorted(known))}",
                field=f"{name}.{key}",
            )
        if isinstance(value, bool) or not isinstance(value, int | float) or not valid(value):
            raise ConfigError(f"{name}.{key} must be {what}, got {value!r}", field=f"{name}.{key}")
        mapped = DATA_CHANNELS.get(str(key))
        out[mapped.value if mapped is not None else str(key)] = float(value)
    return out


# --- the detectors --------------------------------------------------------------------------------


class _ClassifierDetector:
    """What the two detectors share: which events, which text, which finding."""

    id: ClassVar[str]
    version: ClassVar[str]
    kinds: ClassVar[frozenset[EventKind]] = frozenset(
        {EventKind.PROMPT, EventKind.TOOL_RESULT, EventKind.RETRIEVAL, EventKind.MEMORY}
    )

    classifier: TextClassifier
    thresholds: dict[str, float]
    model_version: str
    max_view_windows: int = 4  # budget for the hidden/decoded/folded views, beyond the text
    lexical: LexicalModel | None = None  # the cascade gate (bundled model only)
    gates: dict[str, float]  # channel -> lexical logit below which the model is skipped
    window_gates: dict[str, float] | None = None  # channel -> the same, for one window
    # bundled signatures whose match sends a text past the lexical gate (signature_escalation)
    signatures: SignatureSet | None = None
    # The student tier (a model directory with cascade.student; the bundled model has none): a
    # small model distilled from the transformer scores each chosen window first; a window
    # under its channel's gate (a probability here) keeps the student's probability and costs
    # no transformer inference.
    student: TextClassifier | None = None
    student_gates: dict[str, float] | None = None

    def _detector_id(self) -> str:
        return self.id

    def threshold_for(self, channel: Channel | str) -> float:
        """The threshold this detector applies on ``channel`` (a Garrison or dataset channel)."""
        return threshold_for(self.thresholds, channel)

    def score_text(self, text: str, channel: Channel | str = Channel.USER) -> tuple[float, float]:
        """(score, threshold) of one text, as ``detect`` would score it on ``channel``:
        synchronous, for evaluation and the CLI."""
        score, threshold, _ = self.verdict(text, channel)
        return score, threshold

    def verdict(self, text: str, channel: Channel | str = Channel.USER) -> tuple[float, float, str]:
        """(score, threshold, tier) of one text on ``channel``, as ``detect`` computes them;
        the tier is the finding's: ``lexical`` or ``student`` (the cascade kept the text from
        the transformer) or ``model``."""
        from garrison.detect.normalize import normalize

        views = normalize(text).model_views()
        threshold = threshold_for(self.thresholds, channel)
        gate = self._gate(views, channel, threshold)
        if gate is not None and not gate.escalate:
            return gate.score, threshold, "lexical"
        scored = self._score_views(views, channel)
        return scored.best.score, threshold, _tier(scored)

    def gate(self, text: str, channel: Channel | str = Channel.USER) -> CascadeGate | None:
        """The cascade's decision for one text on ``channel`` (None without a lexical tier)."""
        from garrison.detect.normalize import normalize

        return self._gate(
            normalize(text).model_views(), channel, threshold_for(self.thresholds, channel)
        )

    def lexical_inputs(self, text: str) -> tuple[float, bool] | None:
        """What the cascade's decision on ``text`` rests on at any gate: its lexical logit and
        whether a bundled signature sends it to the transformer regardless (None without a
        lexical tier). The text is kept from the transformer at gate g when the logit is under g
        and no signature matched."""
        from garrison.detect.normalize import normalize

        if self.lexical is None:
            return None
        views = [t for _, t in normalize(text).model_views()]
        signature = self.signatures is not None and any(self.signatures.scan(t) for t in views)
        return self.lexical.logit_views(views), signature

    def _gate(
        self, views: Sequence[tuple[str, str]], channel: Channel | str, threshold: float
    ) -> CascadeGate | None:
        """The lexical tier's verdict: whether the transformer must look at this text."""
        if self.lexical is None:
            return None
        gate = threshold_for(self.gates, channel)
        logit = self.lexical.logit_views([t for _, t in views])
        escalate = logit >= gate
        # A text that matches a known attack signature goes to the transformer whatever its
        # lexical score: the gate is placed on calibration rows, the signatures name attacks
        # the lexical model may score low (a short "you are now DAN").
        signature = (
            not escalate
            and self.signatures is not None
            and any(self.signatures.scan(t) for _, t in views)
        )
        escalate = escalate or signature
        # A text the gate keeps from the transformer scores below half the threshold, ordered
        # by its lexical score (so AUC and hunting still see a ranking, and it never alerts).
        score = 0.0 if escalate or logit == -math.inf else threshold * sigmoid(logit - gate)
        return CascadeGate(
            escalate=escalate, logit=logit, gate=gate, score=score, signature=signature
        )

    async def detect(self, ctx: ScanContext) -> Sequence[Finding]:
        event = ctx.event
        if event.kind not in self.kinds or not event.content:
            return []
        channel = resolve_channel(event.channel, event.kind)
        if channel in _SKIPPED_CHANNELS:
            return []
        t0 = time.perf_counter()
        threshold = threshold_for(self.thresholds, channel)
        gate: CascadeGate | None = None
        try:
            nt = ctx.normalized("content")
            views = nt.model_views()
            gate = self._gate(views, channel, threshold)
            if gate is not None and not gate.escalate:
                return [self._gated_finding(event.id, gate, channel, threshold, nt.truncated, t0)]
            # The engine's deadline, less a margin for the finding: later windows are skipped
            # (``out_of_time``) rather than the whole detector timing out with no score.
            stop_at = None if ctx.deadline is None else ctx.deadline - 0.2 * (ctx.deadline - t0)
            # One window is a few milliseconds: run it here. More would hold the event loop
            # for tens of milliseconds, so they go to a worker thread.
            main_windows = len(nt.text) // 600 + 1
            if main_windows <= 1 and len(views) == 1:
                scored = self._score_views(views, channel, stop_at)
            else:
                scored = await asyncio.to_thread(self._score_views, views, channel, stop_at)
        except Exception as exc:  # never let a model failure take the event down
            return [
                Finding(
                    event_id=event.id,
                    detector=self._detector_id(),
                    version=self.version,
                    label=LABEL,
                    score=0.0,
                    status=FindingStatus.ERROR,
                    latency_ms=(time.perf_counter() - t0) * 1000,
                    detail={"error": type(exc).__name__, "threshold": threshold},
                )
            ]
        result = scored.best
        start = end = None
        if scored.view == "text" and result.best_start is not None and result.best_end is not None:
            start, end = nt.original_span(result.best_start, result.best_end)
        extra: dict[str, Any] = {"windows_skipped": scored.skipped} if gate is not None else {}
        if self.student is not None:
            extra["windows_student"] = scored.settled
        if scored.out_of_time:
            extra["out_of_time"] = True
        tier = _tier(scored)
        return [
            self._finding(
                event.id, result.score, channel, threshold, t0,
                evidence=(Evidence(field="content", start=start, end=end, view=scored.view),),
                windows=result.windows, truncated=result.truncated or nt.truncated,
                view=scored.view, tier=tier, **extra, **_gate_detail(gate),
            )
        ]  # fmt: skip

    def _gated_finding(
        self, event_id: Any, gate: CascadeGate, channel: Channel, threshold: float,
        truncated: bool, t0: float,
    ) -> Finding:  # fmt: skip
        return self._finding(
            event_id, gate.score, channel, threshold, t0,
            windows=0, truncated=truncated, tier="lexical", **_gate_detail(gate),
        )  # fmt: skip

    def _finding(
        self,
        event_id: Any,
        score: float,
        channel: Channel,
        threshold: float,
        t0: float,
        evidence: tuple[Evidence, ...] = (),
        **detail: Any,
    ) -> Finding:
        """The detector's finding for one scored text; ``detail`` adds to the common keys."""
        untrusted = channel not in (Channel.USER, Channel.SYSTEM)
        return Finding(
            event_id=event_id,
            detector=self._detector_id(),
            version=self.version,
            label=LABEL,
            score=score,
            tags=_TAGS_INDIRECT if untrusted else _TAGS_DIRECT,
            evidence=evidence,
            latency_ms=(time.perf_counter() - t0) * 1000,
            detail={
                "threshold": threshold,
                "above_threshold": score >= threshold,
                "channel": channel.value,
                "max_windows": self.classifier.max_windows,
                "model": self.model_version,
                **detail,
            },
        )

    def _score_views(
        self,
        views: Sequence[tuple[str, str]],
        channel: Channel | str = Channel.USER,
        stop_at: float | None = None,
    ) -> ViewsScore:
        """Score a text's views with the transformer: every window, or with a lexical tier
        whose window gates are calibrated, the windows it finds suspicious for ``channel``
        (at least the most suspicious one), most suspicious first. Past ``stop_at``
        (``time.perf_counter``) no further window is started, except the first."""
        chosen, skipped, truncated = self.chosen_windows(views, channel)
        if not chosen:
            return ViewsScore("text", TextScore(0.0, 0, truncated), 0, False)
        settled: list[tuple[Window, float]] = []
        if self.student is not None and self.student_gates is not None:
            gate = channel_value(self.student_gates, channel, None)
            if gate is not None:
                first = self.student.probabilities([w.ids for w in chosen])
                settled = [(w, p) for w, p in zip(chosen, first, strict=True) if p < gate]
                chosen = [w for w, p in zip(chosen, first, strict=True) if p >= gate]
        probs: list[float] = []
        out_of_time = False
        size = self.classifier.batch_size
        started = time.perf_counter()
        for b in range(0, len(chosen), size):
            if stop_at is not None and b:
                now = time.perf_counter()
                if now + (now - started) / b * min(size, len(chosen) - b) > stop_at:
                    out_of_time = True
                    break
            probs.extend(self.classifier.probabilities([w.ids for w in chosen[b : b + size]]))
        scored = [*zip(chosen[: len(probs)], probs, strict=True), *settled]
        best, score = max(scored, key=lambda pair: pair[1])
        known = best.start >= 0
        return ViewsScore(
            view=best.view,
            best=TextScore(
                score=score,
                windows=len(scored),
                truncated=truncated or out_of_time,
                best_start=best.start if known else None,
                best_end=best.end if known else None,
            ),
            skipped=skipped,
            out_of_time=out_of_time,
            settled=len(settled),
        )

    def chosen_windows(
        self, views: Sequence[tuple[str, str]], channel: Channel | str = Channel.USER
    ) -> tuple[list[Window], int, bool]:
        """The windows of a text's views the transformer scores on ``channel``, most suspicious
        first: every planned window, or with calibrated window gates those the lexical tier
        finds suspicious (at least the most suspicious one). Also the number left out and
        whether the plan itself left something unscanned (window caps)."""
        windows, truncated = self.classifier.plan(views, self.max_view_windows, channel)
        chosen = windows
        if self.lexical is not None and self.window_gates is not None and len(windows) > 1:
            priority = window_priorities(self.lexical, views, windows)
            gate = threshold_for(self.window_gates, channel)
            order = sorted(range(len(windows)), key=lambda i: -priority[i])
            chosen = [windows[i] for i in order if priority[i] >= gate] or [windows[order[0]]]
        return chosen, len(windows) - len(chosen), truncated

    async def aclose(self) -> None:
        return None


def window_priorities(
    lexical: LexicalModel, views: Sequence[tuple[str, str]], windows: Sequence[Window]
) -> list[float]:
    """The lexical tier's logit for each transformer window: its highest over the window's own
    characters. Run time orders and gates windows by it; training places the window gates on
    it."""
    out: list[float] = []
    for w in windows:
        text = views[w.index][1]
        out.append(lexical.logit(text[w.start : w.end] if w.start >= 0 else text))
    return out


def _tier(scored: ViewsScore) -> str:
    """``student`` when no window of an escalated text needed the transformer (the score is
    the student's, under the threshold), else ``model``."""
    return "student" if scored.settled and scored.settled == scored.best.windows else "model"


def _gate_detail(gate: CascadeGate | None) -> dict[str, Any]:
    if gate is None:
        return {}
    logit = round(gate.logit, 4) if math.isfinite(gate.logit) else None
    return {"lexical_logit": logit, "gate": gate.gate if math.isfinite(gate.gate) else None,
            **({"escalated_by": "signature"} if gate.signature else {})}  # fmt: skip


def _bundled_version() -> str:
    try:
        meta = json.loads((BUNDLED_DIR / "metadata.json").read_text(encoding="utf-8"))
        return str(meta.get("version", "unknown"))
    except (OSError, ValueError):
        return "unknown"


class PromptGuardDetector(_ClassifierDetector):
    """The bundled prompt-injection / jailbreak classifier.

    Config (all optional): ``threads`` (onnxruntime intra-op threads, default 1),
    ``batch_size`` (windows per inference call, 1: with int8 weights a window's score would
    depend on the windows batched with it, and one thread gains nothing from batching),
    ``max_windows`` (per text, 16),
    ``thresholds`` ({channel: probability}, overriding the calibrated ones in metadata.json),
    ``threshold`` (one for every channel), ``cache_size`` (LRU of scored windows, 2048),
    ``path`` (a model directory written by ``garrison train``, instead of the bundled one),
    ``cascade`` (default true when the model directory has a lexical gate, ``lexical.npz``:
    texts the lexical tier finds clearly benign for their channel skip the transformer, and of
    the others only the windows it finds suspicious are scored; false sends every window of
    every text to the transformer).

    Windows are scored until the engine's deadline (``detection.timeout_ms``, the guard's
    ``latency_budget_ms``) is near; the finding then says ``out_of_time`` and carries the best
    score so far, instead of the engine's ``timeout`` finding with none.
    """

    id: ClassVar[str] = "prompt_guard"
    version: ClassVar[str] = _bundled_version()
    _KEYS = frozenset(
        {
            "threads", "batch_size", "max_windows", "thresholds", "threshold", "cache_size",
            "path", "cascade", "gates", "skip_benign", "window_gates", "student",
            "student_gates", "signature_escalation",
        }
    )  # fmt: skip

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        config = dict(config or {})
        _check_keys(config, self._KEYS, self.id)
        raw_path = config.get("path")
        folder = Path(str(raw_path)).expanduser() if raw_path else BUNDLED_DIR
        if not folder.is_dir():
            raise ConfigError(f"model directory {folder} not found", file=str(folder), field="path")
        meta = _read_json(folder / "metadata.json")
        session = _onnx_session(folder / "model.onnx", _int(config, "threads", 1, 1, 256))
        window = meta.get("windows", {})
        try:
            max_len = int(meta.get("max_len", 256))
            overlap = int(window.get("overlap", 32))
            channel_max_len = _window_lengths(window.get("max_len_by_channel"))
            base = {str(k): float(v) for k, v in dict(meta.get("thresholds", {})).items()}
        except (TypeError, ValueError, AttributeError, ConfigError) as exc:
            raise ConfigError(str(exc), file=str(folder / "metadata.json")) from exc
        self.thresholds = _thresholds(config, base or {"default": 0.5})
        self.model_version = str(meta.get("version", "unknown"))
        output = session.get_outputs()[0].name
        tokenizer = _load_tokenizer(folder / "tokenizer.json")
        max_windows = _int(config, "max_windows", 16, 1, 1024)
        batch_size = _int(config, "batch_size", 1, 1, 1024)
        cache_size = _int(config, "cache_size", 2048, 0, 1_000_000)
        prefix = _channel_prefix(meta, folder)
        try:
            self.classifier = TextClassifier(
                tokenizer=tokenizer,
                run=lambda feeds: session.run([output], feeds)[0],
                to_probability=lambda out: np.asarray(out, dtype=np.float32).reshape(-1),
                input_names=[i.name for i in session.get_inputs()],
                max_len=max_len,
                overlap=overlap,
                max_windows=max_windows,
                batch_size=batch_size,
                cache_size=cache_size,
                channel_prefix=prefix,
                channel_max_len=channel_max_len,
            )
        except ConfigError as exc:  # window lengths the metadata got wrong
            raise ConfigError(str(exc), file=str(folder / "metadata.json")) from exc
        self.metadata = meta
        self.metadata_path = folder / "metadata.json"
        self.lexical, self.gates, self.window_gates = _cascade(config, meta, folder)
        self.signatures = _escalation_signatures(config, self.lexical is not None)
        # channels whose threshold is set under the calibrated one and whose gates follow it
        self.followed: dict[str, float] = {}
        if self.lexical is not None:
            ladder = _lower_threshold_gates(meta.get("cascade", {}), folder / "metadata.json")
            self.followed = _follow_thresholds(
                self.thresholds, base, ladder, self.gates, self.window_gates
            )
            _warn_lowered_thresholds(self.thresholds, base, config.get("gates"), self.followed)
        self.student, self.student_gates = _student(
            config, meta, folder, self.lexical is not None,
            _int(config, "threads", 1, 1, 256), cache_size, self.classifier,
        )  # fmt: skip
        if config.get("gates") is not None:
            # Raising a channel's gate keeps more texts from the transformer (faster) at the
            # cost of the attacks between the gates: metadata.json cascade.calibration.<group>
            # .tradeoff lists what each higher gate costs on the calibration split.
            if self.lexical is None:
                raise ConfigError(
                    "gates needs the cascade (a model with a lexical tier, cascade not false)",
                    field="gates",
                )
            extra = _channel_values(config["gates"], "gates", math.isfinite, "a finite number")
            self.gates = {**self.gates, **extra}
        if config.get("skip_benign") is not None:
            # The same trade-off named by its effect: the share of benign calibration texts the
            # lexical tier settles, which means the same for every model version (a logit does not).
            if self.lexical is None:
                raise ConfigError(
                    "skip_benign needs the cascade (a model with a lexical tier, cascade not "
                    "false)",
                    field="skip_benign",
                )
            extra = _skip_benign_gates(
                config["skip_benign"], config.get("gates"), meta.get("cascade"),
                folder / "metadata.json",
            )  # fmt: skip
            self.gates = {**self.gates, **extra}
        if config.get("window_gates") is not None:
            # The same for the windows of a text that passed its gate: a higher window gate
            # scores fewer of them (cascade.window_calibration.<group>.tradeoff).
            if self.lexical is None or self.window_gates is None:
                raise ConfigError(
                    "window_gates needs a cascade with window gates (model 1.2.0 or later, "
                    "cascade not false)",
                    field="window_gates",
                )
            extra = _channel_values(
                config["window_gates"], "window_gates", math.isfinite, "a finite number"
            )
            self.window_gates = {**self.window_gates, **extra}


def _window_lengths(raw: Any) -> dict[str, int]:
    """metadata.json ``windows.max_len_by_channel``: channel -> tokens a window, or nothing."""
    what = "windows.max_len_by_channel"
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{what} must map channel names to window lengths in tokens")
    for key, value in raw.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{what}.{key} must be a whole number of tokens, got {value!r}")
    return {str(k): int(v) for k, v in raw.items()}


def _channel_prefix(meta: Mapping[str, Any], folder: Path) -> dict[str, str] | None:
    """A channel-conditioned model's words per channel (``channel_prefix``; None: the model
    reads the text alone)."""
    raw = meta.get("channel_prefix")
    if raw is None:
        return None
    if (
        not isinstance(raw, dict)
        or not raw
        or not all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in raw.items())
    ):
        raise ConfigError(
            f"{folder / 'metadata.json'}: channel_prefix must map channels to non-empty words",
            file=str(folder / "metadata.json"), field="channel_prefix",
        )  # fmt: skip
    return dict(raw)


def _cascade(
    config: Mapping[str, Any], meta: Mapping[str, Any], folder: Path
) -> tuple[LexicalModel | None, dict[str, float], dict[str, float] | None]:
    """The lexical gate of a model directory, unless ``cascade: false``: the model, its gates
    per channel for whole texts and (models since 1.2.0) for single windows."""
    wanted = config.get("cascade")
    if wanted is not None and not isinstance(wanted, bool):
        raise ConfigError(f"cascade must be true or false, got {wanted!r}", field="cascade")
    described = meta.get("cascade")
    if wanted is False or (wanted is None and not described):
        return None, {}, None
    if not isinstance(described, Mapping):
        raise ConfigError(
            f"cascade: {folder} has no lexical gate (metadata.json has no 'cascade'); "
            "retrain with garrison train or set cascade: false",
            field="cascade",
        )
    where = folder / "metadata.json"
    name = str(described.get("file", "lexical.npz"))
    gates = _gate_map(described.get("gates"), where, "gates")
    raw_windows = described.get("window_gates")
    windows = None if raw_windows is None else _gate_map(raw_windows, where, "window_gates")
    return LexicalModel.load(folder / Path(name).name), gates, windows


@dataclass(frozen=True)
class TradeoffStep:
    """One text gate of a group's calibration trade-off and what it does on the calibration
    split: the share of benign texts the lexical tier settles and the flagged attacks (those the
    transformer flags at the calibrated threshold) it keeps from the transformer."""

    gate: float
    benign_skipped: float
    attacks_lost: int


def tradeoff_steps(cascade: Any, group: str, where: Path) -> list[TradeoffStep]:
    """The placed text gate of ``group`` and the higher ones its calibration records
    (``cascade.calibration.<group>`` and its ``tradeoff``), lowest gate first; empty where the
    model records none."""
    calibration = cascade.get("calibration") if isinstance(cascade, Mapping) else None
    placed = calibration.get(group) if isinstance(calibration, Mapping) else None
    if not isinstance(placed, Mapping) or "benign_skipped" not in placed:
        return []
    try:
        steps = [TradeoffStep(float(placed["gate"]), float(placed["benign_skipped"]),
                              int(placed.get("attacks_lost", 0)))]  # fmt: skip
        steps += [
            TradeoffStep(
                float(s["gate"]), float(s["benign_skipped"]), int(s["flagged_attacks_lost"])
            )
            for s in placed.get("tradeoff") or []
        ]
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise ConfigError(
            f"cascade.calibration.{group}: expected gate, benign_skipped and a tradeoff of "
            f"{{gate, benign_skipped, flagged_attacks_lost}}: {exc}",
            file=str(where),
        ) from exc
    if not all(math.isfinite(s.gate) and 0 <= s.benign_skipped <= 1 for s in steps):
        raise ConfigError(
            f"cascade.calibration.{group}: gates must be finite and shares in [0, 1]",
            file=str(where),
        )
    return sorted(steps, key=lambda s: s.gate)


def _skip_benign_gates(raw: Any, gates: Any, cascade: Any, where: Path) -> dict[str, float]:
    """``skip_benign: {channel: share}``: per channel, the lowest text gate of its group's
    calibration trade-off (``tradeoff_steps``) at which the lexical tier settles at least
    ``share`` of the group's benign calibration texts. ConfigError where ``gates:`` sets the same
    channel, where the model records no trade-off, or where no step reaches the share."""
    shares = _channel_values(raw, "skip_benign", lambda v: 0 < v < 1, "a share in (0, 1)")
    if gates is not None:
        both = shares.keys() & _channel_values(gates, "gates", math.isfinite, "a finite number")
        if both:
            raise ConfigError(
                f"skip_benign and gates both set the gate of {', '.join(sorted(both))}; keep one",
                field="skip_benign",
            )
    out: dict[str, float] = {}
    for channel, share in shares.items():
        group = CHANNEL_GROUP.get(channel, "user")
        steps = tradeoff_steps(cascade, group, where)
        if not steps:
            raise ConfigError(
                f"skip_benign.{channel}: {where} records no gate trade-off for the {group} group "
                f"(cascade.calibration.{group}); set gates: instead",
                field=f"skip_benign.{channel}",
            )
        step = next((s for s in steps if s.benign_skipped >= share), None)
        if step is None:
            top = max(steps, key=lambda s: s.benign_skipped)
            raise ConfigError(
                f"skip_benign.{channel} {share:g}: the highest gate {where} records for the "
                f"{group} group settles {top.benign_skipped:.1%} of its benign calibration texts "
                f"(gate {top.gate:g}, {top.attacks_lost} flagged calibration attacks kept from "
                "the transformer); ask for at most that, or set gates:",
                field=f"skip_benign.{channel}",
            )
        out[channel] = step.gate
        log.info(
            "prompt_guard: %s gate %g (skip_benign %g): the lexical tier settles %.1f%% of the "
            "%s group's benign calibration texts and keeps %d of its flagged calibration attacks "
            "from the transformer",
            channel, step.gate, share, 100 * step.benign_skipped, group, step.attacks_lost,
        )  # fmt: skip
    return out


Step = tuple[float, float, float | None]  # (threshold, gate, window gate)


def _lower_threshold_gates(cascade: Any, where: Path) -> dict[str, list[Step]]:
    """metadata.json ``cascade.lower_thresholds`` (models since 1.4.1): per channel, the gates
    placed for thresholds under the calibrated one, as (threshold, gate, window gate), highest
    threshold first; empty for a model without them."""
    raw = cascade.get("lower_thresholds") if isinstance(cascade, Mapping) else None
    if raw is None:
        return {}
    out: dict[str, list[Step]] = {}
    try:
        for channel, steps in dict(raw).items():
            parsed = []
            for step in steps:
                window = step.get("window_gate")
                entry: Step = (float(step["threshold"]), float(step["gate"]),
                               None if window is None else float(window))  # fmt: skip
                finite = all(math.isfinite(v) for v in entry[1:] if v is not None)
                if not (0 <= entry[0] <= 1 and finite):
                    raise ValueError(f"{step!r}")
                parsed.append(entry)
            out[str(channel)] = sorted(parsed, reverse=True)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise ConfigError(
            "cascade.lower_thresholds must map channels to lists of "
            f"{{threshold, gate, window_gate}}: {exc}",
            file=str(where),
        ) from exc
    return out


def _follow_thresholds(
    thresholds: Mapping[str, float],
    calibrated: Mapping[str, float],
    ladder: Mapping[str, Sequence[Step]],
    gates: dict[str, float],
    window_gates: dict[str, float] | None,
) -> dict[str, float]:
    """Move the gates of each channel whose threshold is set under the calibrated one to those
    placed for the nearest threshold at or under it (``ladder``); under every one of them, the
    channel's gates open (every text, every window scored). Updates ``gates`` and
    ``window_gates`` in place; returns the channels moved and their gates. A ``gates:`` /
    ``window_gates:`` setting, applied after, still wins."""
    followed: dict[str, float] = {}
    for channel, t in thresholds.items():
        steps = ladder.get(channel)
        if not steps or channel not in calibrated or t >= calibrated[channel]:
            continue
        step = next((s for s in steps if s[0] <= t), None)
        gate, window = (-math.inf, -math.inf) if step is None else (step[1], step[2])
        gates[channel] = gate
        if window_gates is not None and window is not None:
            window_gates[channel] = window
        followed[channel] = gate
    return followed


def _warn_lowered_thresholds(
    thresholds: Mapping[str, float], calibrated: Mapping[str, float], gates: Any,
    followed: Mapping[str, float],
) -> None:  # fmt: skip
    """Log the channels whose threshold is set under the calibrated one while their gate stays
    where it was placed (a model without ``lower_thresholds``): a text the gate stops scores
    under half of any threshold, so the attacks it stops cannot reach the lower one."""
    kept = set(_channel_values(gates, "gates", math.isfinite, "a finite number") if gates else {})
    kept |= set(followed)
    lowered = sorted(
        ch for ch, t in thresholds.items()
        if ch in calibrated and t < calibrated[ch] and ch not in kept
    )  # fmt: skip
    if lowered:
        log.warning(
            "prompt_guard: thresholds lowered under the calibrated ones on %s while the "
            "cascade's gates stay where they were placed for them: attacks the lexical gate "
            "stops score under half the threshold and cannot reach the lower one; set gates "
            "for those channels too (metadata.json cascade.calibration.<group>.capped_gate or "
            "lossless_gate) or cascade: false",
            ", ".join(lowered),
        )


def _escalation_signatures(config: Mapping[str, Any], cascade: bool) -> SignatureSet | None:
    """The bundled signature set whose matches escalate a text past the lexical gate, unless
    ``signature_escalation: false`` or there is no lexical gate."""
    wanted = config.get("signature_escalation", True)
    if not isinstance(wanted, bool):
        raise ConfigError(
            f"signature_escalation must be true or false, got {wanted!r}",
            field="signature_escalation",
        )
    if not (wanted and cascade):
        return None
    from garrison.detect.detectors.signatures import shared_signature_set

    return shared_signature_set()


def _student(
    config: Mapping[str, Any], meta: Mapping[str, Any], folder: Path, cascade: bool,
    threads: int, cache_size: int, teacher: TextClassifier,
) -> tuple[TextClassifier | None, dict[str, float] | None]:  # fmt: skip
    """The student tier of a model directory (``cascade.student`` in metadata.json), unless
    ``student: false`` or the cascade is off, and its gates per channel as probabilities
    (metadata and the ``student_gates`` option give logits)."""
    wanted = config.get("student")
    if wanted is not None and not isinstance(wanted, bool):
        raise ConfigError(f"student must be true or false, got {wanted!r}", field="student")
    cascade_meta = meta.get("cascade")
    described = cascade_meta.get("student") if isinstance(cascade_meta, Mapping) else None
    if wanted is True and (not cascade or described is None):
        raise ConfigError(
            "student needs the cascade (not false) and a model with a student tier "
            f"(cascade.student in {folder / 'metadata.json'})",
            field="student",
        )
    off = wanted is False or not cascade or described is None
    if config.get("student_gates") is not None and off:
        raise ConfigError(
            "student_gates needs the student tier (a model with cascade.student, cascade and "
            "student not false)",
            field="student_gates",
        )
    if off:
        return None, None
    where = folder / "metadata.json"
    if not isinstance(described, Mapping) or not isinstance(described.get("gates"), Mapping):
        raise ConfigError("cascade.student must be a mapping with gates", file=str(where))
    try:
        gates = {str(k): float(v) for k, v in dict(described["gates"]).items()}
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"cascade.student.gates must map channels to numbers: {exc}",
                          file=str(where)) from exc  # fmt: skip
    if not all(math.isfinite(v) for v in gates.values()):
        raise ConfigError("cascade.student.gates must be finite logits", file=str(where))
    if config.get("student_gates") is not None:
        # A higher gate keeps more windows from the transformer (faster) at the cost of the
        # attacks between the gates (cascade.student.calibration.<group> says what the placed
        # gate cost on the calibration split).
        extra = _channel_values(
            config["student_gates"], "student_gates", math.isfinite, "a finite number"
        )
        gates = {**gates, **extra}
    path = folder / Path(str(described.get("file", "student.onnx"))).name
    student = student_classifier(path, teacher, threads, cache_size)
    return student, {ch: sigmoid(g) for ch, g in gates.items()}


def student_classifier(
    path: Path, teacher: TextClassifier, threads: int = 1, cache_size: int = 0
) -> TextClassifier:
    """A student graph (token ids + mask → probability) at ``path`` that reads ``teacher``'s
    windows: the same tokenizer and lengths, one window at a time."""
    session = _onnx_session(path, threads)
    output = session.get_outputs()[0].name
    return TextClassifier(
        tokenizer=teacher.tokenizer,
        run=lambda feeds: session.run([output], feeds)[0],
        to_probability=lambda out: np.asarray(out, dtype=np.float32).reshape(-1),
        input_names=[i.name for i in session.get_inputs()],
        max_len=teacher.max_len,
        overlap=teacher.overlap,
        max_windows=teacher.max_windows,
        batch_size=1,
        cache_size=cache_size,
    )


def _gate_map(raw: Any, where: Path, key: str) -> dict[str, float]:
    try:
        gates = {str(k): float(v) for k, v in dict(raw).items()}
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: cascade.{key} must map channels to numbers: {exc}") from exc
    if "default" not in gates or not all(math.isfinite(v) for v in gates.values()):
        raise ConfigError(f"{where}: cascade.{key} needs a finite 'default' gate", file=str(where))
    return gates


def _softmax(x: npt.NDArray[Any]) -> npt.NDArray[np.float32]:
    z = np.asarray(x, dtype=np.float32)
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    out: npt.NDArray[np.float32] = (e / e.sum(axis=-1, keepdims=True)).astype(np.float32)
    return out


def _label_indices(id2label: Mapping[int, str], wanted: Any, where: str) -> list[int]:
    names = {i: str(n) for i, n in id2label.items()}
    listing = ", ".join(f"{i}:{n}" for i, n in sorted(names.items()))
    if wanted is None:
        for candidate in _ATTACK_LABELS:
            hits = [i for i, n in names.items() if n.lower() == candidate]
            if hits:
                return hits
        if len(names) == 2:
            return [1]
        raise ConfigError(
            f"{where}: say which output label means attack (label: ...); labels are {listing}",
            field="label",
        )
    wanted_list = wanted if isinstance(wanted, list | tuple) else [wanted]
    out: list[int] = []
    for item in wanted_list:
        if isinstance(item, int) and not isinstance(item, bool) and item in names:
            out.append(item)
            continue
        hits = [i for i, n in names.items() if n.lower() == str(item).lower()]
        if not hits:
            raise ConfigError(
                f"{where}: label {item!r} is not an output of the model; labels are {listing}",
                field="label",
            )
        out.extend(hits)
    return out


class HFClassifierDetector(_ClassifierDetector):
    """Any local Hugging Face sequence-classification model, by path.

    Config: ``path`` (required: a directory holding ``model.onnx`` + ``tokenizer.json`` +
    ``config.json``, or a transformers checkpoint, which needs torch and transformers),
    ``label`` (the output label(s) meaning attack, e.g. ``MALICIOUS``, ``INJECTION``,
    ``LABEL_1``; guessed for binary models), ``max_length`` (tokens a window, default the
    model's, at most 512), ``overlap`` (tokens, 32), ``thresholds`` / ``threshold`` (default
    0.5), ``id`` (the detector id in findings, so several models can run side by side), plus
    ``threads``, ``batch_size``, ``max_windows``, ``cache_size`` as for ``prompt_guard``.
    """

    id: ClassVar[str] = "hf_classifier"
    version: ClassVar[str] = "1"
    _KEYS = frozenset(
        {
            "path", "label", "max_length", "overlap", "thresholds", "threshold", "id",
            "threads", "batch_size", "max_windows", "cache_size",
        }
    )  # fmt: skip

    def __init__(self, config: Mapping[str, Any]) -> None:
        config = dict(config or {})
        _check_keys(config, self._KEYS, self.id)
        ident = config.get("id", self.id)
        if not isinstance(ident, str) or not ident:
            raise ConfigError("id must be a non-empty string", field="id")
        # An instance value shadows the class default so several models can run side by side.
        setattr(self, "id", ident)  # noqa: B010
        raw_path = config.get("path")
        if not raw_path:
            raise ConfigError(f"{ident}: path to the model directory is required", field="path")
        folder = Path(str(raw_path)).expanduser()
        if not folder.is_dir():
            raise ConfigError(f"{ident}: model directory {folder} not found", file=str(folder))
        model_config = _read_json(folder / "config.json")
        raw_labels = model_config.get("id2label") or {"0": "LABEL_0", "1": "LABEL_1"}
        try:
            id2label = {int(k): str(v) for k, v in dict(raw_labels).items()}
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{folder / 'config.json'}: bad id2label: {exc}") from exc
        indices = _label_indices(id2label, config.get("label"), ident)
        model_max = int(model_config.get("max_position_embeddings", 512) or 512)
        if model_config.get("model_type") in ("roberta", "xlm-roberta", "camembert"):
            model_max -= 2  # position ids start after the padding index
        max_len = _int(config, "max_length", min(model_max, 512), 16, min(model_max, 4096))
        overlap = _int(config, "overlap", min(32, max_len // 4), 0, max_len // 2)
        threads = _int(config, "threads", 1, 1, 256)
        self.thresholds = _thresholds(config, {"default": 0.5})
        self.model_version = str(model_config.get("_name_or_path") or folder.name)
        pad_id = int(model_config.get("pad_token_id") or 0)
        n_labels = len(id2label)

        def pick(logits: npt.NDArray[Any]) -> npt.NDArray[np.float32]:
            arr = np.asarray(logits, dtype=np.float32)
            if arr.ndim == 1 or arr.shape[-1] == 1:
                sig: npt.NDArray[np.float32] = (1.0 / (1.0 + np.exp(-arr.reshape(-1)))).astype(
                    np.float32
                )
                return sig
            summed: npt.NDArray[np.float32] = _softmax(arr)[:, indices].sum(axis=-1)
            return summed

        onnx_file = folder / "model.onnx"
        run: Callable[[dict[str, npt.NDArray[np.int64]]], npt.NDArray[Any]]
        if onnx_file.is_file():
            tokenizer = _load_tokenizer(folder / "tokenizer.json")
            session = _onnx_session(onnx_file, threads)
            inputs = session.get_inputs()
            output = session.get_outputs()[0].name
            names = [i.name for i in inputs]
            int32 = any("int32" in str(i.type) for i in inputs)
            if "input_ids" not in names:
                raise ConfigError(
                    f"{onnx_file}: the model has no input_ids input", file=str(onnx_file)
                )

            def onnx_run(feeds: dict[str, npt.NDArray[np.int64]]) -> npt.NDArray[Any]:
                return np.asarray(session.run([output], feeds)[0])

            run = onnx_run
        else:
            tokenizer, run, names = _transformers_model(folder, threads, n_labels)
            int32 = False
        self.classifier = TextClassifier(
            tokenizer=tokenizer,
            run=run,
            to_probability=pick,
            input_names=names,
            max_len=max_len,
            overlap=overlap,
            max_windows=_int(config, "max_windows", 16, 1, 1024),
            batch_size=_int(config, "batch_size", 8, 1, 1024),
            cache_size=_int(config, "cache_size", 2048, 0, 1_000_000),
            pad_id=pad_id,
            int32_inputs=int32,
        )

    def _detector_id(self) -> str:
        return str(self.id)


def _transformers_model(
    folder: Path, threads: int, n_labels: int
) -> tuple[Any, Callable[[dict[str, npt.NDArray[np.int64]]], npt.NDArray[Any]], list[str]]:
    """A transformers checkpoint, through torch. Only when both are installed."""
    weights = [folder / n for n in ("model.safetensors", "pytorch_model.bin")]
    if not any(w.is_file() for w in weights):
        raise ConfigError(
            f"{folder}: neither model.onnx nor a transformers checkpoint "
            "(model.safetensors / pytorch_model.bin) found",
            file=str(folder),
        )
    try:
        # optional: present only with the [train] extra (or a user's own install)
        import torch  # type: ignore[import-not-found,unused-ignore]
        from transformers import (  # type: ignore[import-not-found,unused-ignore]
            AutoModelForSequenceClassification,
            AutoTokenizer,
        )
    except ImportError as exc:
        raise ConfigError(
            f"{folder} is a transformers checkpoint, which needs torch and transformers "
            "(pip install 'garrison[train]'); or export it to ONNX (model.onnx)",
            file=str(folder),
        ) from exc
    try:
        torch.set_num_threads(threads)
        hf_tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
        model = AutoModelForSequenceClassification.from_pretrained(
            str(folder), local_files_only=True
        ).eval()
    except Exception as exc:
        raise ConfigError(f"cannot load the model at {folder}: {exc}", file=str(folder)) from exc
    tokenizer = getattr(hf_tokenizer, "backend_tokenizer", None)
    if tokenizer is None:
        raise ConfigError(f"{folder}: needs a fast tokenizer (tokenizer.json)", file=str(folder))
    names = ["input_ids", "attention_mask"]

    def run(feeds: dict[str, npt.NDArray[np.int64]]) -> npt.NDArray[Any]:
        with torch.no_grad():
            out = model(**{k: torch.from_numpy(v) for k, v in feeds.items()})
        return np.asarray(out.logits.float().numpy())

    del n_labels
    return tokenizer, run, names


__all__ = [
    "BUNDLED_DIR",
    "CHANNEL_GROUP",
    "DATA_CHANNELS",
    "HFClassifierDetector",
    "PromptGuardDetector",
    "TextClassifier",
    "TextScore",
    "TradeoffStep",
    "resolve_channel",
    "special_tokens",
    "threshold_for",
    "token_windows",
    "tradeoff_steps",
    "window_starts",
]
