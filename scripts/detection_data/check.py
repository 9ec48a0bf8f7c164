#!/usr/bin/env python3
"""Sanity checks for data/detection/*.jsonl.

    python scripts/detection_data/check.py [--baseline]

* schema and value checks (labels, channels, ISO 639-1 codes, split/file agreement);
* exact duplicates (case/whitespace-insensitive) within and across the files and against
  ../shared/datasets/prompts/{train,dev}.jsonl;
* near-duplicates across train and holdout (MinHash over character 5-grams, Jaccard >= 0.8);
* family leakage (a family present in both splits);
* --baseline: a hashed character n-gram logistic regression (numpy only) trained on
  train.jsonl and scored on holdout.jsonl / agentdojo_holdout.jsonl, as a smoke test of
  how far surface features get.  It is not a model to ship.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import LANGS, norm_key  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
D = os.path.join(ROOT, "data", "detection")
SHARED = os.path.abspath(os.path.join(ROOT, "..", "shared", "datasets", "prompts"))
CHANNELS = {"user", "document", "email", "web", "tool_output", "memory"}
CATEGORIES = {
    "prompt_injection",
    "indirect_injection",
    "jailbreak",
    "prompt_extraction",
    "tool_attack",
    "benign",
}


def load(name):
    p = os.path.join(D, name)
    if not os.path.exists(p):
        return []
    with open(p, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def shingles(text, k=5):
    t = norm_key(text)
    return {t[i : i + k] for i in range(max(1, len(t) - k + 1))}


def minhash(sh, n=64):
    out = []
    for seed in range(n):
        m = min(
            int.from_bytes(hashlib.blake2b(f"{seed}:{s}".encode(), digest_size=8).digest(), "big")
            for s in sh
        )
        out.append(m)
    return out


def near_dups(train, hold, bands=16, rows=4, thr=0.8):
    sigs = {}
    buckets = defaultdict(list)
    allr = [("train", i, r) for i, r in enumerate(train)] + [
        ("holdout", i, r) for i, r in enumerate(hold)
    ]
    for split, i, r in allr:
        sh = shingles(r["text"])
        sig = minhash(sh, bands * rows)
        sigs[(split, i)] = sh
        for b in range(bands):
            buckets[(b, tuple(sig[b * rows : (b + 1) * rows]))].append((split, i))
    pairs = set()
    for members in buckets.values():
        if len(members) < 2:
            continue
        tr = [m for m in members if m[0] == "train"]
        ho = [m for m in members if m[0] == "holdout"]
        for a in tr:
            for b in ho:
                pairs.add((a, b))
    hits = []
    for a, b in pairs:
        sa, sb = sigs[a], sigs[b]
        j = len(sa & sb) / max(1, len(sa | sb))
        if j >= thr:
            hits.append((j, a, b))
    return sorted(hits, reverse=True)


def baseline(train, evals):
    import numpy as np

    dim = 2**18

    def feats(text):
        t = norm_key(text)
        idx = Counter()
        for n in (3, 4, 5):
            for i in range(len(t) - n + 1):
                idx[
                    int.from_bytes(
                        hashlib.blake2b(t[i : i + n].encode(), digest_size=4).digest(), "big"
                    )
                    % dim
                ] += 1
        return idx

    def mat(rows):
        from math import sqrt

        data = []
        for r in rows:
            f = feats(r["text"])
            nrm = sqrt(sum(v * v for v in f.values())) or 1.0
            data.append({k: v / nrm for k, v in f.items()})
        return data

    Xtr = mat(train)
    y = np.array([r["label"] for r in train], dtype=float)
    w = np.zeros(dim)
    b = 0.0
    lr, lam = 0.5, 1e-5
    for epoch in range(8):
        for i in np.random.RandomState(epoch).permutation(len(Xtr)):
            x = Xtr[i]
            z = b + sum(w[k] * v for k, v in x.items())
            p = 1 / (1 + np.exp(-z))
            g = p - y[i]
            for k, v in x.items():
                w[k] -= lr * (g * v + lam * w[k])
            b -= lr * g

    def auc(scores, labels):
        pos = [s for s, y in zip(scores, labels, strict=True) if y == 1]
        neg = [s for s, y in zip(scores, labels, strict=True) if y == 0]
        if not pos or not neg:
            return float("nan")
        neg_sorted = sorted(neg)
        import bisect

        tot = 0.0
        for s in pos:
            lo = bisect.bisect_left(neg_sorted, s)
            hi = bisect.bisect_right(neg_sorted, s)
            tot += lo + 0.5 * (hi - lo)
        return tot / (len(pos) * len(neg))

    res = {}
    for name, rows in evals.items():
        X = mat(rows)
        sc = [b + sum(w[k] * v for k, v in x.items()) for x in X]
        res[name] = auc(sc, [r["label"] for r in rows])
        # per channel
        for ch in sorted({r["channel"] for r in rows}):
            sub = [(s, r["label"]) for s, r in zip(sc, rows, strict=True) if r["channel"] == ch]
            res[f"{name}/{ch}"] = auc([s for s, _ in sub], [y for _, y in sub])
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", action="store_true")
    args = ap.parse_args()
    train, hold, ad = load("train.jsonl"), load("holdout.jsonl"), load("agentdojo_holdout.jsonl")
    problems = []
    for name, rows, split in (
        ("train", train, "train"),
        ("holdout", hold, "holdout"),
        ("agentdojo", ad, "holdout"),
    ):
        for r in rows:
            for k in (
                "id",
                "text",
                "label",
                "source",
                "category",
                "channel",
                "lang",
                "family",
                "split",
            ):
                if k not in r:
                    problems.append(f"{name} {r.get('id')}: missing {k}")
            if r["label"] not in (0, 1):
                problems.append(f"{name} {r['id']}: label")
            if r["channel"] not in CHANNELS:
                problems.append(f"{name} {r['id']}: channel {r['channel']}")
            if r["category"] not in CATEGORIES:
                problems.append(f"{name} {r['id']}: category {r['category']}")
            if r["lang"] not in LANGS:
                problems.append(f"{name} {r['id']}: lang {r['lang']}")
            if r["split"] != split:
                problems.append(f"{name} {r['id']}: split {r['split']}")
            if r["label"] == 1 and not r.get("technique"):
                problems.append(f"{name} {r['id']}: attack without technique")
            if (r["label"] == 0) != (r["category"] == "benign"):
                problems.append(f"{name} {r['id']}: label/category mismatch")
    keys = Counter(norm_key(r["text"]) for r in train + hold + ad)
    dups = sum(1 for v in keys.values() if v > 1)
    shared = set()
    for n in ("train.jsonl", "dev.jsonl"):
        p = os.path.join(SHARED, n)
        if os.path.exists(p):
            with open(p, encoding="utf-8") as f:
                shared |= {norm_key(json.loads(line)["text"]) for line in f}
    overlap = sum(1 for k in keys if k in shared)
    fam_tr = {r["family"] for r in train}
    fam_ho = {r["family"] for r in hold}
    print(f"rows: train={len(train)} holdout={len(hold)} agentdojo={len(ad)}")
    print(f"schema problems: {len(problems)}", *problems[:10], sep="\n  ")
    print(f"exact duplicates across files: {dups}; overlap with shared train/dev: {overlap}")
    print(f"families in both splits: {len(fam_tr & fam_ho)}")
    nd = near_dups(train, hold)
    print(f"near-duplicate train/holdout pairs (Jaccard>=0.8 on char 5-grams): {len(nd)}")
    for j, a, b in nd[:5]:
        ra = train[a[1]]
        rb = hold[b[1]]
        print(f"  J={j:.2f} {ra['family']} ({ra['label']}) ~ {rb['family']} ({rb['label']})")
    if args.baseline:
        res = baseline(train, {"holdout": hold, "agentdojo": ad})
        for k, v in res.items():
            print(f"baseline AUC {k}: {v:.3f}")
    return 1 if problems or dups or overlap else 0


if __name__ == "__main__":
    raise SystemExit(main())
