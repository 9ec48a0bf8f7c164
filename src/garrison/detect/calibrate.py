"""Per-channel classifier thresholds placed on your own traffic (``garrison calibrate``).

The bundled model's thresholds were placed on 184–363 benign calibration texts per channel group
of Garrison's own data. On other traffic the false-positive rate differs, and with so few rows a
0.5 % target is close to "above every benign calibration score" (docs/models/prompt-guard.md,
"Per-channel thresholds"). Here the same estimator places each channel's threshold on the benign
rows of a file you supply (a sample of your own prompts, retrieved documents and tool outputs;
labelled attacks optional), and says how far the result can be trusted: the Clopper–Pearson
upper bound of the false-positive rate at that threshold, and a warning when there are too few
benign rows for the target.

Texts are scored with the classifier alone (the cascade off): a gated text scores under half of
its threshold, so with the cascade on a text never alerts where the transformer alone would not —
the false-positive rate here bounds the cascade's. A lowered threshold takes the gates the model
placed for the nearest lower threshold (``cascade.lower_thresholds``); recall with the cascade on
is what ``garrison eval`` reports on the same file with the emitted configuration.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from garrison.detect.evaluate import EVAL_CHANNELS, json_lines, place_threshold
from garrison.errors import ConfigError
from garrison.model import Channel

# Same targets as the bundled model's calibration (garrison.detect.train.TARGET_FPR): user
# prompts 1 %; untrusted content 0.5 % (an agent reads several of them per user turn).
DEFAULT_TARGETS: dict[str, float] = {
    Channel.USER.value: 0.01,
    Channel.RETRIEVAL.value: 0.005,
    Channel.EXTERNAL.value: 0.005,
    Channel.MEMORY.value: 0.005,
    Channel.TOOL.value: 0.005,
}
CONFIDENCE = 0.95
# Fewer benign rows than this many times 1/target: the threshold is one of the highest few
# benign scores, and the false-positive rate it gives on new traffic scatters widely.
FEW_ROWS_FACTOR = 3

Score = Callable[[str, str], tuple[float, float]]  # (text, channel) -> (score, threshold)


def parse_targets(items: Iterable[str]) -> dict[str, float]:
    """``CHANNEL=RATE`` items (Garrison channels: user, retrieval, external, memory, tool) over
    the defaults; ConfigError names a bad item."""
    targets = dict(DEFAULT_TARGETS)
    for item in items:
        channel, _, rate = item.partition("=")
        try:
            value = float(rate)
        except ValueError:
            value = math.nan
        if channel not in DEFAULT_TARGETS or not 0 < value < 1:
            raise ConfigError(
                f"--fpr {item!r}: expected CHANNEL=RATE with CHANNEL one of "
                f"{', '.join(DEFAULT_TARGETS)} and 0 < RATE < 1"
            )
        targets[channel] = value
    return targets


def load_calibration_rows(path: str | Path) -> list[dict[str, Any]]:
    """Rows with ``text`` and an optional ``label`` (0 benign, the default; 1 attack) from a
    JSON-lines file; ConfigError names the file and line of a bad one."""
    rows: list[dict[str, Any]] = []
    for number, row in json_lines(path):
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise ConfigError("expected an object with a text", file=str(path), line=number)
        if row.get("label") not in (None, 0, 1):
            raise ConfigError(
                f"label {row.get('label')!r}: expected 0 (benign) or 1 (attack)",
                file=str(path),
                line=number,
            )
        channel = row.get("channel") or "user"
        if not isinstance(channel, str) or channel not in EVAL_CHANNELS:
            raise ConfigError(
                f"channel {channel!r}: expected one of {', '.join(EVAL_CHANNELS)}",
                file=str(path),
                line=number,
            )
        rows.append(row)
    if not rows:
        raise ConfigError("no rows", file=str(path))
    return rows


def channel_of(name: str) -> str:
    """The Garrison channel a file's ``channel`` value (a dataset or Garrison channel name) is
    scanned as, as ``garrison eval`` scans it."""
    return EVAL_CHANNELS[name][1].value


def fpr_upper_bound(flagged: int, n: int, confidence: float = CONFIDENCE) -> float:
    """Clopper–Pearson upper bound of a rate seen as ``flagged`` of ``n``: the rate p at which
    seeing at most ``flagged`` has probability 1 − ``confidence`` (one-sided)."""
    if n <= 0:
        return 1.0
    if flagged >= n:
        return 1.0
    alpha = 1.0 - confidence

    def cdf(p: float) -> float:  # P(X <= flagged), X ~ Binomial(n, p)
        log_p, log_q = math.log(p), math.log1p(-p)
        terms = [
            math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1)
            + i * log_p + (n - i) * log_q
            for i in range(flagged + 1)
        ]  # fmt: skip
        top = max(terms)
        return math.exp(top) * sum(math.exp(t - top) for t in terms)

    lo, hi = flagged / n, 1.0
    for _ in range(100):  # the cdf falls as p rises: bisect for cdf(p) = alpha
        mid = (lo + hi) / 2
        if mid <= 0.0 or cdf(mid) > alpha:
            lo = mid
        else:
            hi = mid
    return hi


@dataclass(frozen=True, slots=True)
class ChannelCalibration:
    channel: str  # Garrison channel
    target_fpr: float
    benign: int
    attacks: int
    current_threshold: float
    current_fpr: float | None  # on these benign rows, classifier alone
    current_recall: float | None  # on these attack rows
    threshold: float | None  # placed here; None without benign rows
    fpr: float | None
    fpr_upper: float | None  # Clopper–Pearson, CONFIDENCE
    recall: float | None
    few_rows: bool  # fewer than FEW_ROWS_FACTOR / target benign rows

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _share(hits: int, n: int) -> float | None:
    return hits / n if n else None


def calibrate_rows(
    rows: Iterable[Mapping[str, Any]], score: Score, targets: Mapping[str, float] | None = None
) -> dict[str, ChannelCalibration]:
    """Score every row (``text``, optional ``label`` 1 attack / 0 benign — benign when absent,
    optional ``channel``) and place each channel's threshold at its target FPR on the benign
    rows."""
    targets = dict(targets or DEFAULT_TARGETS)
    scored: dict[str, list[tuple[int, float]]] = {}
    current: dict[str, float] = {}
    for row in rows:
        channel = channel_of(str(row.get("channel") or "user"))
        s, t = score(str(row["text"]), channel)
        scored.setdefault(channel, []).append((int(row.get("label") or 0), float(s)))
        current[channel] = float(t)
    out: dict[str, ChannelCalibration] = {}
    for channel in sorted(scored):
        target = targets[channel]  # channel_of gives only channels with a default target
        benign = [s for label, s in scored[channel] if label == 0]
        attack = [s for label, s in scored[channel] if label == 1]
        now = current[channel]
        placed = place_threshold(benign, target) if benign else None
        over = sum(s >= placed for s in benign) if placed is not None else 0
        out[channel] = ChannelCalibration(
            channel=channel,
            target_fpr=target,
            benign=len(benign),
            attacks=len(attack),
            current_threshold=now,
            current_fpr=_share(sum(s >= now for s in benign), len(benign)),
            current_recall=_share(sum(s >= now for s in attack), len(attack)),
            threshold=placed,
            fpr=_share(over, len(benign)) if placed is not None else None,
            fpr_upper=fpr_upper_bound(over, len(benign)) if placed is not None else None,
            recall=(
                _share(sum(s >= placed for s in attack), len(attack))
                if placed is not None
                else None
            ),
            few_rows=len(benign) < FEW_ROWS_FACTOR / target,
        )
    return out


@dataclass(frozen=True, slots=True)
class GateStep:
    """One text gate of the model's calibration trade-off, on the model's calibration split and
    on this file."""

    gate: float
    # the calibration share it settles: skip_benign up to this (above the step before) picks it;
    # None where a lower step settles as many (only gates: reaches this one)
    skip_benign: float | None
    calibration_attacks_lost: int  # flagged calibration attacks it keeps from the transformer
    benign_settled: float | None  # share of this file's benign rows kept from the transformer
    attacks_settled: int  # this file's attack rows kept from the transformer (cannot alert)


@dataclass(frozen=True, slots=True)
class ChannelGates:
    channel: str  # Garrison channel
    group: str  # calibration group whose trade-off it takes
    benign: int
    attacks: int
    current_gate: float  # as configured
    current_benign_settled: float | None
    current_attacks_settled: int
    steps: list[GateStep]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# (text) -> (lexical logit, a signature sends it to the transformer regardless), None: no cascade
LexicalInputs = Callable[[str], "tuple[float, bool] | None"]


def gates_on_rows(
    rows: Iterable[Mapping[str, Any]], inputs: LexicalInputs, gates: Mapping[str, float],
    cascade: Any, where: Path,
) -> dict[str, ChannelGates]:  # fmt: skip
    """Per channel of the rows: what the cascade's text gate keeps from the transformer on
    them — at the configured gate (``gates``: channel -> gate, ``default`` for the rest) and at
    each step of the model's calibration trade-off (``cascade``: metadata.json's ``cascade``,
    read by ``tradeoff_steps``), the step ``skip_benign`` picks by its calibration share."""
    from garrison.detect.detectors.classifier import CHANNEL_GROUP, threshold_for, tradeoff_steps

    seen: dict[str, list[tuple[int, float, bool]]] = {}
    for row in rows:
        got = inputs(str(row["text"]))
        if got is None:
            raise ConfigError("the detector has no cascade (no lexical tier, or cascade: false)")
        channel = channel_of(str(row.get("channel") or "user"))
        seen.setdefault(channel, []).append((int(row.get("label") or 0), *got))

    def settled(items: list[tuple[int, float, bool]], label: int, gate: float) -> int:
        return sum(1 for lab, logit, sig in items if lab == label and logit < gate and not sig)

    out: dict[str, ChannelGates] = {}
    for channel in sorted(seen):
        items = seen[channel]
        benign = sum(1 for lab, *_ in items if lab == 0)
        group = CHANNEL_GROUP.get(channel, "user")
        current = threshold_for(gates, channel)
        steps: list[GateStep] = []
        for s in tradeoff_steps(cascade, group, where):  # lowest gate first
            picked = not steps or s.benign_skipped > max(
                x.skip_benign for x in steps if x.skip_benign is not None
            )
            steps.append(
                GateStep(
                    gate=s.gate,
                    skip_benign=s.benign_skipped if picked else None,
                    calibration_attacks_lost=s.attacks_lost,
                    benign_settled=_share(settled(items, 0, s.gate), benign),
                    attacks_settled=settled(items, 1, s.gate),
                )
            )
        out[channel] = ChannelGates(
            channel=channel,
            group=group,
            benign=benign,
            attacks=len(items) - benign,
            current_gate=current,
            current_benign_settled=_share(settled(items, 0, current), benign),
            current_attacks_settled=settled(items, 1, current),
            steps=steps,
        )
    return out


def format_gates(result: Mapping[str, ChannelGates]) -> str:
    lines = [
        "Cascade text gates on this file's rows (a text under its channel's gate never reaches "
        "the transformer and cannot alert, unless a bundled signature matches it):",
        "",
        f"{'channel':<10} {'gate':>9} {'skip_benign':>12} {'calib. lost':>11}   "
        f"{'benign settled':>14} {'attacks settled':>15}",
    ]
    for r in result.values():
        rows = [(f"{r.current_gate:.4f}", "configured", "", r.current_benign_settled,
                 r.current_attacks_settled)]  # fmt: skip
        rows += [
            (
                f"{s.gate:.4f}",
                "gates: only" if s.skip_benign is None else f"≤ {s.skip_benign:.4f}",
                str(s.calibration_attacks_lost),
                s.benign_settled,
                s.attacks_settled,
            )
            for s in r.steps
        ]
        for gate, skip, lost, benign, attacks in rows:
            lines.append(
                f"{r.channel:<10} {gate:>9} {skip:>12} {lost:>11}   {_pct(benign):>14} "
                f"{f'{attacks} of {r.attacks}' if r.attacks else '–':>15}"
            )
        if not r.steps:
            lines.append(
                f"{r.channel:<10} (the model records no trade-off for the {r.group} group)"
            )
    lines.append(
        "\n`skip_benign: {CHANNEL: S}` (detection.detectors.prompt_guard) takes the lowest step "
        'whose skip_benign bound is at least S (a step marked "gates: only" settles no more '
        "calibration texts than the one before it; `gates:` sets it as a logit); calib. lost: "
        "the flagged calibration attacks that step keeps from the transformer. Measure latency "
        "and recall with `garrison eval FILE --config`."
    )
    return "\n".join(lines)


def config_snippet(result: Mapping[str, ChannelCalibration], detector: str) -> dict[str, Any]:
    """The ``detection.detectors.<detector>.thresholds`` setting with the placed thresholds."""
    thresholds = {c: r.threshold for c, r in result.items() if r.threshold is not None}
    return {"detection": {"detectors": {detector: {"thresholds": thresholds}}}}


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f} %"


def format_calibration(result: Mapping[str, ChannelCalibration], detector: str) -> str:
    import yaml

    lines = [
        f"Thresholds for {detector} placed on this file's benign rows (classifier alone; "
        f"FPR bound: Clopper–Pearson, {CONFIDENCE:.0%}):",
        "",
        f"{'channel':<10} {'benign':>7} {'attacks':>7} {'target':>7} {'current':>8} "
        f"{'its FPR':>8} {'recall':>7}   {'placed':>8} {'its FPR':>8} {'FPR ≤':>7} {'recall':>7}",
    ]
    for r in result.values():
        placed = "–" if r.threshold is None else f"{r.threshold:.4f}"
        lines.append(
            f"{r.channel:<10} {r.benign:>7} {r.attacks:>7} {_pct(r.target_fpr):>7} "
            f"{r.current_threshold:>8.4f} {_pct(r.current_fpr):>8} {_pct(r.current_recall):>7}   "
            f"{placed:>8} {_pct(r.fpr):>8} {_pct(r.fpr_upper):>7} {_pct(r.recall):>7}"
        )
    few = [r for r in result.values() if r.few_rows]
    for r in few:
        need = math.ceil(FEW_ROWS_FACTOR / r.target_fpr)
        lines.append(
            f"\n{r.channel}: {r.benign} benign rows for a {_pct(r.target_fpr)} target — the "
            f"threshold is one of the few highest benign scores and its false-positive rate on "
            f"new traffic scatters widely; {need} or more benign rows make it steadier."
        )
    lower = [r for r in result.values() if r.threshold is not None and
             r.threshold < r.current_threshold]  # fmt: skip
    if lower:
        names = ", ".join(r.channel for r in lower)
        lines.append(
            f"\nLower than the current threshold on {names}: with the cascade on, the gates "
            "placed for the nearest lower threshold apply (models since 1.4.1; older ones keep "
            "theirs and log a warning), so recall can fall a little under the figure above; "
            "measure it with `garrison eval FILE --config` and this setting."
        )
    snippet = yaml.safe_dump(config_snippet(result, detector), sort_keys=False)
    lines += ["", "Configuration:", "", snippet.rstrip()]
    return "\n".join(lines)
