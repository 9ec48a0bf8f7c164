"""Compare prompt_guard transformers on calibration rows none of them trained on.

The rows: the first model's calibration split (its data files, same cap / fraction / seed as
training, the split method its metadata names) less every text any of the models trained on, so
no model is favoured. The transformer alone scores every window (``cascade: false``); per
channel group the report gives each model's AUC, TPR at 1 % FPR on these rows, and recall / FPR at
its own calibrated thresholds (a model's thresholds were placed on its own calibration rows, which
may overlap these benign rows, so compare AUC and TPR at 1 %; the rates are context). Never run
it on dev or hold-out files: it is how a retrained model is accepted or rejected.

    python scripts/compare_prompt_guard.py \\
        --model /tmp/candidate ../shared/datasets/prompts/train.jsonl data/detection/train.jsonl \\
        --model src/garrison/detect/models/prompt_guard ../shared/datasets/prompts/train.jsonl \\
            OLD_TRAIN.jsonl

Give the model whose data is the superset first (a candidate trained on more data), so that its
new rows are compared too. The report is JSON; with several seeds of one recipe, its per-model
AUCs let a decision rule use their spread.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from garrison.detect.detectors.classifier import PromptGuardDetector
from garrison.detect.evaluate import roc_auc, tpr_at_fpr
from garrison.detect.train import (
    Row,
    TrainConfig,
    calibration_split,
    cap_public_sources,
    load_training_rows,
)


def _split(folder: Path, paths: Sequence[Path]) -> tuple[list[Row], list[Row]]:
    """The training / calibration split the model in ``folder`` was trained on (the method its
    metadata names; models up to 1.3.2 name none and used the seeded shuffle)."""
    d = TrainConfig()
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    method = str(meta.get("training", {}).get("split", "shuffle"))
    rows, _ = load_training_rows(list(paths))
    rows = cap_public_sources(rows, d.public_cap, d.seed)
    return calibration_split(rows, d.calib_frac, d.seed, method)


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _round(x: float | None, digits: int) -> float | None:
    return None if x is None else round(x, digits)


def compare(models: Sequence[tuple[Path, Sequence[Path]]]) -> dict[str, Any]:
    """Each model, as (directory, its training data files), scored on the shared fair rows."""
    if not models:
        raise ValueError("no models to compare")
    splits = [_split(folder, data) for folder, data in models]
    seen = {_key(r.text) for fit, _ in splits for r in fit}
    fair = [r for r in splits[0][1] if _key(r.text) not in seen]
    out: dict[str, Any] = {"rows": len(fair), "models": [str(f) for f, _ in models], "groups": {}}
    for folder, _ in models:
        det = PromptGuardDetector({"path": str(folder), "cascade": False, "cache_size": 0})
        scored = [det.score_text(r.text, r.channel) for r in fair]
        for group in sorted({r.group for r in fair}):
            idx = [i for i, r in enumerate(fair) if r.group == group]
            y = np.asarray([fair[i].label for i in idx])
            s = np.asarray([scored[i][0] for i in idx])
            flagged = s >= np.asarray([scored[i][1] for i in idx])
            out["groups"].setdefault(group, {})[str(folder)] = {
                "attack / benign": f"{int(y.sum())} / {int((y == 0).sum())}",
                "auc": _round(roc_auc(y.tolist(), s.tolist()), 4),  # None with one label only
                "tpr_at_fpr_1pct": _round(tpr_at_fpr(y.tolist(), s.tolist(), 0.01), 3),
                "recall": round(float(flagged[y == 1].mean()), 3) if y.any() else None,
                "fpr": round(float(flagged[y == 0].mean()), 3) if (y == 0).any() else None,
            }
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument(
        "--model",
        nargs="+",
        action="append",
        required=True,
        metavar=("DIR", "DATA"),
        help="a model directory and the data files it was trained on (repeat per model)",
    )
    a = p.parse_args()
    models: list[tuple[Path, Sequence[Path]]] = []
    for spec in a.model:
        if len(spec) < 2:
            p.error(f"--model {spec[0]}: name the data files it was trained on after it")
        models.append((Path(spec[0]), [Path(x) for x in spec[1:]]))
    print(json.dumps(compare(models), indent=1))


if __name__ == "__main__":
    main()
