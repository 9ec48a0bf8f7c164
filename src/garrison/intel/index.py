"""The in-memory indicator index of one tenant, and the per-process registry detectors read.

Matching must not slow down as feeds grow, so nothing here loops over indicators per event:

- exact types (URL, domain, IP, e-mail, hash) are one dict lookup per value ``extract`` found in
  the text (a domain also looks up its parent domains: an indicator for ``evil.example`` covers
  ``cdn.evil.example``);
- literal content patterns are one Aho-Corasick automaton (``pyahocorasick``) over the
  lower-cased text;
- regex content patterns are one ``re2.Set`` (which patterns match, in one pass), then the few
  that did are searched again for their span;
- prompt fingerprints are MinHash signatures (64 multiply-shift hash functions) of word
  3-shingles, banded for LSH (16 bands of 4 rows: candidates from an estimated Jaccard
  similarity of about 0.5) into one sorted array of band keys behind a bitmap of their low bits.
  The text is cut into windows the size of the indexed prompts (sizes bucketed roughly
  geometrically, stepping by a quarter window) so an attack prompt pasted inside a longer
  message is still a near duplicate of its window. Shingle hashes, window signatures, band keys
  and lookups are each one vectorized numpy pass per text; a candidate is confirmed by its
  estimated similarity (share of equal signature values, at least 0.5). The cost grows with
  the number of distinct prompt-length buckets (at most 12), not with the number of prompts.

An index is immutable once built. The registry swaps a tenant's index by replacing one reference
(build the new one first, then assign), so a detector mid-scan keeps the index it started with
and never sees a half-built one. An empty registry yields an empty index: no findings.
"""

from __future__ import annotations

import importlib
import re
import threading
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from garrison.intel.indicators import (
    Indicator,
    IndicatorType,
    extract,
    parent_domains,
)

NUM_PERM = 64
BANDS, ROWS = 16, 4  # LSH banding: candidates from similarity ~(1/16)^(1/4) = 0.5 up
PROMPT_THRESHOLD = 0.5  # estimated Jaccard similarity of shingle sets for a near duplicate
SHINGLE = 3
MIN_SHINGLES = 4  # shorter "prompts" are matched as literal patterns instead
_BUCKETS = (4, 6, 8, 12, 18, 27, 40, 60, 90, 135, 200, 300)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Hit:
    indicator: Indicator
    start: int | None
    end: int | None
    similarity: float | None = None  # prompt fingerprints only


def shingles(text: str) -> list[str]:
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE:
        return [" ".join(words)] if words else []
    return [" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)]


def _bucket(n: int) -> int:
    """The window size closest to ``n`` shingles (windows step by a quarter of their size)."""
    return min(_BUCKETS, key=lambda b: abs(b - n))


class _MinHasher:
    """MinHash with 64 multiply-shift hash functions ``(a·x + b) mod 2^64 >> 32`` (a universal
    family; fixed seeds, so signatures are stable across processes and releases). datasketch's
    ``MinHash`` builds the same kind of signature one object per text with a modulo per value;
    here every shingle and every window of a text is hashed in one numpy pass, without objects,
    which is what keeps the per-event cost flat."""

    def __init__(self) -> None:
        rng = np.random.RandomState(1)
        self._a = rng.randint(1, 2**62, NUM_PERM, dtype=np.int64).astype(np.uint64) * 2 + 1
        self._b = rng.randint(0, 2**62, NUM_PERM, dtype=np.int64).astype(np.uint64)

    def hash_matrix(self, items: Sequence[str]) -> Any:
        hv = np.fromiter((zlib.crc32(s.encode()) for s in items), np.uint64, len(items))
        return ((hv[:, None] * self._a + self._b) >> np.uint64(32)).astype(np.uint32)

    def windows(self, items: Sequence[str], sizes: Iterable[int]) -> Any:
        """The MinHash of every window of the given sizes, one row each (an ``m × 64`` array).

        A window of ``size`` shingles is four blocks of ``size // 4``, stepping one block, so
        all of a size's windows are the running minimum of four shifted block minima: a few
        numpy calls per size, whatever the text's length."""
        if not items:
            return np.empty((0, NUM_PERM), dtype=np.uint32)
        matrix = self.hash_matrix(items)
        n = len(items)
        rows: list[Any] = []
        for size in sorted(set(sizes)):
            step = max(1, size // 4)
            if n <= 4 * step:
                rows.append(matrix.min(axis=0)[None, :])
                continue
            blocks = np.minimum.reduceat(matrix, np.arange(0, n, step), axis=0)
            k = len(blocks)
            rows.append(
                np.minimum(
                    np.minimum(blocks[: k - 3], blocks[1 : k - 2]),
                    np.minimum(blocks[2 : k - 1], blocks[3:]),
                )
            )
        return np.vstack(rows)


# Odd 64-bit multipliers that mix a band's four values (and its index) into one key.
_MIX = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93],
    dtype=np.uint64,
)
_BAND_SALT = (np.arange(BANDS, dtype=np.uint64) + np.uint64(1)) * np.uint64(0x27D4EB2F165667C5)


_BITMAP_SIZE = 1 << 20
_BITMAP_MASK = np.uint64(_BITMAP_SIZE - 1)


def band_keys(values: Any) -> Any:
    """LSH band keys of MinHash rows (``m × 64`` → ``m × 16``); equal bands, equal keys."""
    bands = values.reshape(len(values), BANDS, ROWS).astype(np.uint64)
    mixed = bands * _MIX  # wraps modulo 2^64, as intended
    key = mixed[:, :, 0] ^ mixed[:, :, 1] ^ mixed[:, :, 2] ^ mixed[:, :, 3]
    return key ^ _BAND_SALT


class IndicatorIndex:
    """Every valid indicator of one tenant, ready to match (immutable once built)."""

    def __init__(self, indicators: Iterable[Indicator], *, built_at: datetime | None = None):
        self.built_at = built_at or datetime.now(UTC)
        self._exact: dict[tuple[IndicatorType, str], list[Indicator]] = defaultdict(list)
        literals: dict[str, list[Indicator]] = defaultdict(list)
        regexes: list[Indicator] = []
        prompts: list[Indicator] = []
        count = 0
        for ind in indicators:
            count += 1
            if ind.type is IndicatorType.LITERAL:
                literals[ind.value].append(ind)
            elif ind.type is IndicatorType.REGEX:
                regexes.append(ind)
            elif ind.type is IndicatorType.PROMPT:
                prompts.append(ind)
            else:
                self._exact[(ind.type, ind.value)].append(ind)
        self.size = count
        self._exact = dict(self._exact)
        self._has_domains = any(t is IndicatorType.DOMAIN for t, _ in self._exact)
        self._automaton: Any = None
        if literals:
            automaton = importlib.import_module("ahocorasick").Automaton()
            for value, inds in literals.items():
                automaton.add_word(value, (len(value), tuple(inds)))
            automaton.make_automaton()
            self._automaton = automaton
        self._regexes = regexes
        self._regex_set: Any = None
        self._compiled: list[Any] = []
        if regexes:
            re2 = importlib.import_module("re2")  # untyped
            regex_set = re2.Set.SearchSet(re2.Options())
            for ind in regexes:
                regex_set.Add(ind.value)
            regex_set.Compile()
            self._regex_set = regex_set
            self._compiled = [re2.compile(ind.value) for ind in regexes]
        self._prompts: list[Indicator] = []
        self._sizes: set[int] = set()
        self._prompt_values: Any = None
        self._keys: Any = None
        self._key_owner: Any = None
        self._bitmap: Any = None
        if prompts:
            hasher = _hasher()
            seen: set[str] = set()
            rows: list[Any] = []
            for ind in prompts:
                items = shingles(ind.value)
                if not items or ind.id in seen:
                    continue
                seen.add(ind.id)
                self._prompts.append(ind)
                rows.append(hasher.hash_matrix(items).min(axis=0))
                self._sizes.add(_bucket(len(items)))
            if rows:
                self._prompt_values = np.vstack(rows)
                keys = band_keys(self._prompt_values).ravel()
                owner = np.repeat(np.arange(len(rows)), BANDS)
                order = np.argsort(keys, kind="stable")
                self._keys, self._key_owner = keys[order], owner[order]
                self._bitmap = np.zeros(_BITMAP_SIZE, dtype=bool)
                self._bitmap[self._keys & _BITMAP_MASK] = True

    def __len__(self) -> int:
        return self.size

    def match(self, text: str, *, now: datetime | None = None) -> list[Hit]:
        """Every indicator valid at ``now`` that ``text`` contains (one hit per indicator)."""
        if not text or not self.size:
            return []
        when = now or datetime.now(UTC)
        hits: dict[str, Hit] = {}

        def add(
            ind: Indicator, start: int | None, end: int | None, sim: float | None = None
        ) -> None:
            if ind.id not in hits and ind.valid_at(when):
                hits[ind.id] = Hit(ind, start, end, sim)

        if self._exact:
            for seen in extract(text):
                for ind in self._exact.get((seen.type, seen.value), ()):
                    add(ind, seen.start, seen.end)
                if seen.type is IndicatorType.DOMAIN and self._has_domains:
                    for parent in parent_domains(seen.value):
                        for ind in self._exact.get((IndicatorType.DOMAIN, parent), ()):
                            add(ind, seen.start, seen.end)
        if self._automaton is not None:
            for end, (length, inds) in self._automaton.iter(text.lower()):
                for ind in inds:
                    add(ind, end - length + 1, end + 1)
        if self._regex_set is not None:
            for i in self._regex_set.Match(text) or ():
                m = self._compiled[i].search(text)
                add(self._regexes[i], m.start() if m else None, m.end() if m else None)
        if self._keys is not None:
            self._match_prompts(text, add)
        return list(hits.values())

    def _match_prompts(self, text: str, add: Any) -> None:
        items = shingles(text)
        if not items:
            return
        windows = _hasher().windows(items, self._sizes)
        query = band_keys(windows).ravel()
        # a bitmap of the keys' low bits rules out almost every band at once; only the few
        # that pass are looked up in the sorted keys
        maybe = np.nonzero(self._bitmap[query & _BITMAP_MASK])[0]
        if not len(maybe):
            return
        lo = np.searchsorted(self._keys, query[maybe], side="left")
        hi = np.searchsorted(self._keys, query[maybe], side="right")
        counts = hi - lo
        found = np.nonzero(counts)[0]
        if not len(found):
            return
        hit = maybe[found]
        lo, counts = lo[found], counts[found]
        # every (window, prompt) pair sharing a band, expanded without a Python loop
        per = counts
        slots = np.repeat(lo - np.cumsum(per) + per, per) + np.arange(per.sum())
        owners = self._key_owner[slots]
        rows = np.repeat(hit // BANDS, per)
        same = np.count_nonzero(windows[rows] == self._prompt_values[owners], axis=1)
        sims = same / NUM_PERM
        keep = sims >= PROMPT_THRESHOLD
        best: dict[int, float] = {}
        for owner, sim in zip(owners[keep].tolist(), sims[keep].tolist(), strict=True):
            if sim > best.get(owner, 0.0):
                best[owner] = sim
        for owner, sim in best.items():
            add(self._prompts[owner], None, None, round(sim, 3))


_HASHER: _MinHasher | None = None
_HASHER_LOCK = threading.Lock()


def _hasher() -> _MinHasher:
    global _HASHER
    if _HASHER is None:
        with _HASHER_LOCK:
            if _HASHER is None:
                _HASHER = _MinHasher()
    return _HASHER


EMPTY = IndicatorIndex(())


class IndexRegistry:
    """Per-tenant indexes of this process. Reads take no lock: a dict lookup of a reference
    that ``replace`` swaps whole."""

    def __init__(self) -> None:
        self._indexes: dict[str, IndicatorIndex] = {}
        self._lock = threading.Lock()

    def get(self, tenant: str) -> IndicatorIndex:
        return self._indexes.get(tenant, EMPTY)

    def replace(self, tenant: str, index: IndicatorIndex) -> None:
        with self._lock:
            indexes = dict(self._indexes)
            if len(index):
                indexes[tenant] = index
            else:
                indexes.pop(tenant, None)
            self._indexes = indexes

    def tenants(self) -> list[str]:
        return sorted(self._indexes)

    def clear(self) -> None:
        with self._lock:
            self._indexes = {}


REGISTRY = IndexRegistry()
