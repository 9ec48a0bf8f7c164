"""Evaluation metrics on small examples computed by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from garrison.detect.evaluate import (
    compute_metrics,
    evaluate,
    format_report,
    load_rows,
    roc_auc,
    threshold_at_fpr,
    tpr_at_fpr,
)
from garrison.errors import ConfigError


@pytest.mark.parametrize(
    ("labels", "scores", "expected"),
    [
        ([1, 1, 0, 0], [0.9, 0.8, 0.2, 0.1], 1.0),
        ([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9], 0.0),
        # pairs (attack, benign): (.9,.6) (.9,.1) (.4,.6) (.4,.1) -> 3 of 4 ordered
        ([1, 1, 0, 0], [0.9, 0.4, 0.6, 0.1], 0.75),
        # a tie counts one half
        ([1, 0], [0.5, 0.5], 0.5),
        # (.7,.7)=1/2 (.7,.2)=1 (.3,.7)=0 (.3,.2)=1 -> 2.5/4
        ([1, 1, 0, 0], [0.7, 0.3, 0.7, 0.2], 0.625),
    ],
)
def test_roc_auc_exact(labels: list[int], scores: list[float], expected: float) -> None:
    assert roc_auc(labels, scores) == pytest.approx(expected)


def test_auc_needs_both_classes() -> None:
    assert roc_auc([1, 1], [0.2, 0.3]) is None
    assert tpr_at_fpr([0, 0], [0.2, 0.3]) is None


def test_threshold_and_tpr_at_one_percent_fpr() -> None:
    benign = [i / 100 for i in range(100)]  # 0.00 .. 0.99
    # 1 % of 100 benign rows may be above the threshold: the second highest, 0.98
    assert threshold_at_fpr(benign, 0.01) == pytest.approx(0.98)
    # at 0 % the threshold is the highest benign score
    assert threshold_at_fpr(benign, 0.0) == pytest.approx(0.99)
    attacks = [0.999, 0.985, 0.98, 0.5]  # strictly above 0.98: two of four
    labels = [1] * 4 + [0] * 100
    assert tpr_at_fpr(labels, attacks + benign, 0.01) == pytest.approx(0.5)
    # with 50 benign rows, 1 % allows none above: threshold is the max benign
    labels = [1, 1, *([0] * 50)]
    assert tpr_at_fpr(labels, [0.6, 0.4] + [0.5] * 50, 0.01) == pytest.approx(0.5)


def test_metrics_at_thresholds() -> None:
    labels = [1, 1, 1, 0, 0, 0, 0]
    scores = [0.9, 0.6, 0.2, 0.7, 0.1, 0.1, 0.3]
    m = compute_metrics(labels, scores, [0.5] * 7, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])
    # flagged: .9 .6 (attacks) and .7 (benign) -> tp 2, fp 1, fn 1, tn 3
    assert (m.n, m.n_attack, m.n_benign) == (7, 3, 4)
    assert m.precision == pytest.approx(2 / 3)
    assert m.recall == pytest.approx(2 / 3)
    assert m.f1 == pytest.approx(2 / 3)
    assert m.fpr == pytest.approx(1 / 4)
    assert m.threshold == 0.5
    assert m.latency_ms_p50 == pytest.approx(4.0)
    # AUC: attack .9 beats 4, .6 beats 3 (not .7), .2 beats 2 -> 9/12
    assert m.auc == pytest.approx(0.75)
    # per-row thresholds: score >= threshold is flagged, and no single threshold is reported
    m2 = compute_metrics([1, 0], [0.4, 0.4], [0.4, 0.5])
    assert (m2.recall, m2.fpr, m2.threshold) == (1.0, 0.0, None)


def test_evaluate_report_keys_and_slices() -> None:
    rows = [
        {"text": "a1", "label": 1, "channel": "user", "lang": "en"},
        {"text": "b1", "label": 0, "channel": "user", "lang": "en"},
        {"text": "a2", "label": 1, "channel": "email", "lang": "es"},
        {"text": "b2", "label": 0, "channel": "email", "lang": "es"},
        {"text": "b3", "label": 0, "channel": "email"},
    ]
    table = {"a1": 0.9, "b1": 0.2, "a2": 0.4, "b2": 0.5, "b3": 0.1}

    def scorer(text: str, channel: str) -> tuple[float, float]:
        return table[text], (0.5 if channel == "user" else 0.3)

    report = evaluate(rows, scorer).to_dict()
    keys = {"n", "auc", "tpr_at_fpr_1pct", "precision", "recall", "f1", "fpr", "threshold",
            "latency_ms_p50", "latency_ms_p99", "per_channel"}  # fmt: skip
    assert keys <= set(report)
    assert set(report["per_channel"]) == {"user", "email"}
    assert keys - {"per_channel"} <= set(report["per_channel"]["user"])
    assert report["n"] == 5
    assert report["threshold"] is None  # two thresholds in play
    assert report["per_channel"]["user"]["threshold"] == 0.5
    assert report["per_channel"]["email"]["auc"] == pytest.approx(0.5)  # .4 vs (.5, .1)
    assert report["per_channel"]["email"]["fpr"] == pytest.approx(0.5)
    assert set(report["per_language"]) == {"en", "es"}
    json.dumps(report)  # JSON-ready
    assert "channel email" in format_report(evaluate(rows, scorer))


def test_load_rows(tmp_path: Path) -> None:
    good = tmp_path / "rows.jsonl"
    # U+2028 inside a JSON string must not split the line
    good.write_text('{"text": "a\u2028b", "label": 1}\n\n{"text": "c", "label": 0}\n')
    assert [r["label"] for r in load_rows(good)] == [1, 0]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "a", "label": 1}\n{"text": "b"}\n')
    with pytest.raises(ConfigError, match=r"bad\.jsonl:2"):
        load_rows(bad)
    with pytest.raises(ConfigError, match=r"missing\.jsonl"):
        load_rows(tmp_path / "missing.jsonl")
    latin = tmp_path / "latin1.jsonl"  # not UTF-8: a named error, not a crash
    latin.write_bytes('{"text": "caf\xe9", "label": 0}\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match=r"latin1\.jsonl: cannot read the file"):
        load_rows(latin)
