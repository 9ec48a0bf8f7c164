"""Compare two prompt_guard transformers on calibration rows neither trained on.

The new model's calibration split (its data files, same cap / fraction / seed as training) less
every text in the old model's training split: rows both models never trained on, so neither is
favoured. The transformer alone scores every window (``cascade: false``); per channel group the
report gives AUC and recall / FPR at each model's own calibrated thresholds (the new model's
thresholds were placed on these benign rows, so compare AUC; the rates are context). Never run
it on dev or hold-out files: it is how a retrained model is accepted or rejected.

    python scripts/compare_prompt_guard.py --old src/garrison/detect/models/prompt_guard \\
        --old-data ../shared/datasets/prompts/train.jsonl OLD_TRAIN.jsonl \\
        --new /tmp/candidate --new-data ../shared/datasets/prompts/train.jsonl \\
        data/detection/train.jsonl
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from garrison.detect.detectors.classifier import PromptGuardDetector
from garrison.detect.evaluate import roc_auc
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


def compare(
    old: Path, old_data: Sequence[Path], new: Path, new_data: Sequence[Path]
) -> dict[str, Any]:
    old_fit, _ = _split(old, old_data)
    _, new_calib = _split(new, new_data)
    seen = {_key(r.text) for r in old_fit}
    fair = [r for r in new_calib if _key(r.text) not in seen]
    out: dict[str, Any] = {"rows": len(fair), "groups": {}}
    for name, folder in (("old", old), ("new", new)):
        det = PromptGuardDetector({"path": str(folder), "cascade": False, "cache_size": 0})
        scored = [det.score_text(r.text, r.channel) for r in fair]
        for group in sorted({r.group for r in fair}):
            idx = [i for i, r in enumerate(fair) if r.group == group]
            y = np.asarray([fair[i].label for i in idx])
            s = np.asarray([scored[i][0] for i in idx])
            flagged = s >= np.asarray([scored[i][1] for i in idx])
            auc = roc_auc(y.tolist(), s.tolist())  # None when a group has one label only
            out["groups"].setdefault(group, {})[name] = {
                "attack / benign": f"{int(y.sum())} / {int((y == 0).sum())}",
                "auc": None if auc is None else round(auc, 4),
                "recall": round(float(flagged[y == 1].mean()), 3),
                "fpr": round(float(flagged[y == 0].mean()), 3),
            }
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--old", type=Path, required=True)
    p.add_argument("--old-data", type=Path, nargs="+", required=True)
    p.add_argument("--new", type=Path, required=True)
    p.add_argument("--new-data", type=Path, nargs="+", required=True)
    a = p.parse_args()
    print(json.dumps(compare(a.old, a.old_data, a.new, a.new_data), indent=1))


if __name__ == "__main__":
    main()
