"""Attack clusters: the prompts behind a period's alerts, grouped by near-duplicate wording.

Attackers reuse and mutate prompts; a report that says "these 40 alerts are one jailbreak with
small edits" is more useful than 40 rows. Texts are normalised (NFKC, case-folded, punctuation
and invisible characters dropped), cut into word 3-shingles (character 5-grams for very short
texts), and grouped with MinHash LSH (``datasketch``) at an estimated Jaccard similarity of at
least ``threshold``; a cluster is "new" when none of its texts resembles one of the previous
period's. Only a short, cleaned excerpt of one member is shown — never the whole prompt, and
never a control or format character that could mislead a reader or a terminal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]

NUM_PERM = 64
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Cluster:
    size: int  # texts in the period (with repeats)
    distinct: int
    excerpt: str
    new: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "size": self.size,
            "distinct": self.distinct,
            "excerpt": self.excerpt,
            "new": self.new,
        }


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORD.findall(text))


def shingles(norm: str) -> set[str]:
    words = norm.split()
    if len(words) >= 3:
        return {" ".join(words[i : i + 3]) for i in range(len(words) - 2)}
    return {norm[i : i + 5] for i in range(max(1, len(norm) - 4))}


def excerpt(text: str, limit: int = 80) -> str:
    """A short, printable excerpt: control and format characters (bidi, zero-width) removed."""
    kept = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
        for ch in text[: limit * 4]
        if unicodedata.category(ch) not in ("Cf", "Co", "Cs", "Cn")
    )
    kept = " ".join(kept.split())
    return kept if len(kept) <= limit else kept[: limit - 1].rstrip() + "…"


def _minhash(items: set[str]) -> MinHash:
    m = MinHash(num_perm=NUM_PERM, seed=7)
    m.update_batch([s.encode() for s in items])
    return m


def cluster(
    texts: Sequence[str],
    previous: Sequence[str] = (),
    *,
    threshold: float = 0.5,
    min_size: int = 2,
    limit: int = 10,
) -> list[Cluster]:
    """Clusters of at least ``min_size`` texts, largest first, at most ``limit``."""
    counts: dict[str, int] = {}
    original: dict[str, str] = {}
    for text in texts:
        norm = normalize(text)
        if not norm:
            continue
        counts[norm] = counts.get(norm, 0) + 1
        original.setdefault(norm, text)
    if not counts:
        return []
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    hashes: dict[str, MinHash] = {}
    keys = list(counts)
    for i, norm in enumerate(keys):
        hashes[norm] = _minhash(shingles(norm))
        lsh.insert(f"c{i}", hashes[norm])
    index = {f"c{i}": norm for i, norm in enumerate(keys)}
    parent = {norm: norm for norm in keys}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for norm in keys:
        for key in lsh.query(hashes[norm]):
            other = index[key]
            if other != norm and hashes[norm].jaccard(hashes[other]) >= threshold:
                parent[root(other)] = root(norm)
    groups: dict[str, list[str]] = {}
    for norm in keys:
        groups.setdefault(root(norm), []).append(norm)

    old = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    old_hashes: dict[str, MinHash] = {}
    for i, norm in enumerate(dict.fromkeys(normalize(t) for t in previous)):
        if norm:
            old_hashes[f"p{i}"] = _minhash(shingles(norm))
            old.insert(f"p{i}", old_hashes[f"p{i}"])

    out: list[Cluster] = []
    for members in groups.values():
        size = sum(counts[m] for m in members)
        if size < min_size:
            continue
        medoid = max(members, key=lambda m: counts[m])
        seen_before = any(
            hashes[m].jaccard(old_hashes[k]) >= threshold
            for m in members
            for k in old.query(hashes[m])
        )
        out.append(Cluster(size, len(members), excerpt(original[medoid]), not seen_before))
    out.sort(key=lambda c: (-c.size, c.excerpt))
    return out[:limit]
