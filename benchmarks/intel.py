"""Threat-intel benchmark: indicator matching with 100,000 indicators vs 100 (the index must not
care how many there are), and STIX import speed into a real DuckDB store.

Matching: the ``indicators`` detector over generated ~1 KB AI texts (prompts, outputs, tool
calls with URLs, e-mail addresses, IPs, hashes; ~5 % containing a listed value), with an index of
100,000 indicators of every type (domains, URLs, IPs, e-mail addresses, hashes, literal and
regex content patterns, prompt fingerprints), and in the same run with 100 of the same mix.
Baseline in the same run: a naive loop over the 100,000 values per text (``value in
text.lower()``), what matching without an index costs.

Import: one STIX bundle of indicator objects through ``parse_bundle`` (stix2 validation) and
``IntelRepo.save`` into a fresh DuckDB file (objects/s, wall time). Baseline in the same run:
``stix2.parse`` alone on the same objects (the library's validation, nothing stored).
"""

from __future__ import annotations

import asyncio
import importlib
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from random import Random

from benchmarks.report import write_section
from garrison.detect.base import ScanContext
from garrison.intel.detector import IndicatorDetector
from garrison.intel.index import IndexRegistry, IndicatorIndex
from garrison.intel.indicators import Indicator, IndicatorType, normalize
from garrison.intel.repo import IntelRepo
from garrison.intel.stix import bundle, indicator_object, parse_bundle
from garrison.model import Channel, Event, EventKind, Source, ToolCall, uuid7
from garrison.store import open_store

T = IndicatorType
# Share of each type in the indicator set (sums to 1).
MIX = {
    T.DOMAIN: 0.40,
    T.URL: 0.20,
    T.IP: 0.15,
    T.EMAIL: 0.10,
    T.HASH: 0.105,
    T.LITERAL: 0.03,
    T.REGEX: 0.005,
    T.PROMPT: 0.01,
}
WORDS = [
    "the",
    "report",
    "quarterly",
    "budget",
    "meeting",
    "customer",
    "invoice",
    "please",
    "summarise",
    "attached",
    "review",
    "policy",
    "access",
    "account",
    "update",
    "schedule",
    "travel",
    "approve",
    "request",
    "deadline",
    "project",
    "status",
    "model",
    "agent",
    "tool",
    "result",
    "search",
    "answer",
    "question",
    "team",
    "office",
    "data",
    "analysis",
    "draft",
    "email",
    "contract",
    "supplier",
    "payment",
    "reminder",
    "calendar",
    "notes",
    "figures",
    "forecast",
    "risk",
    "compliance",
    "audit",
]
PROMPT_WORDS = [
    "ignore",
    "previous",
    "instructions",
    "you",
    "are",
    "now",
    "unrestricted",
    "reveal",
    "system",
    "prompt",
    "act",
    "as",
    "developer",
    "mode",
    "enabled",
    "bypass",
    "safety",
    "filters",
    "pretend",
    "roleplay",
    "hypothetically",
    "answer",
    "without",
    "limits",
    "forget",
    "rules",
    "jailbreak",
    "persona",
    "evil",
    "confidant",
    "respond",
    "only",
    "as",
]


def _word(rng: Random) -> str:
    return rng.choice(WORDS)


PROMPT_LENGTHS = (12, 20, 30, 45, 70, 110)  # words


def _prompt(rng: Random, words: int | None = None) -> str:
    n = words or rng.choice(PROMPT_LENGTHS)
    return " ".join(rng.choice(PROMPT_WORDS + WORDS) for _ in range(n))


def _value(kind: IndicatorType, i: int, rng: Random) -> str:
    match kind:
        case T.DOMAIN:
            return f"{_word(rng)}-{i}.bad{i % 97}.example"
        case T.URL:
            return f"https://cdn{i}.evil{i % 89}.example/{_word(rng)}/{i}"
        case T.IP:
            return f"{10 + i % 200}.{(i >> 8) % 256}.{i % 256}.{(i * 7) % 250 + 1}"
        case T.EMAIL:
            return f"{_word(rng)}.{i}@phish{i % 83}.example"
        case T.HASH:
            return f"{rng.getrandbits(256):064x}"
        case T.LITERAL:
            return f"{_word(rng)} {_word(rng)} payload {i}"
        case T.REGEX:
            return rf"exfil-{i}-[0-9a-f]{{8}}"
        case T.PROMPT:
            return _prompt(rng)
    raise ValueError(kind)


def build_indicators(n: int, seed: int = 7) -> list[Indicator]:
    rng = Random(seed)
    out: list[Indicator] = []
    for kind, share in MIX.items():
        for i in range(max(1, round(n * share))):
            value = normalize(kind, _value(kind, i, rng))
            out.append(Indicator(f"{kind.value}-{i}", kind, value, "bench", 70))
    return out[:n] if len(out) > n else out


def build_texts(n: int, indicators: list[Indicator], seed: int = 11) -> list[Event]:
    """~1 KB texts with URLs, addresses, IPs and hashes; ~5 % contain a listed value."""
    rng = Random(seed)
    listed = [i for i in indicators if i.type is not T.REGEX]
    events: list[Event] = []
    now = datetime.now(UTC)
    for k in range(n):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < 1000:
            r = rng.random()
            if r < 0.04:
                parts.append(f"https://docs{rng.randrange(999)}.example.org/{_word(rng)}?id={k}")
            elif r < 0.06:
                parts.append(f"{_word(rng)}{rng.randrange(99)}@corp.example")
            elif r < 0.07:
                parts.append(f"192.0.2.{rng.randrange(1, 255)}")
            elif r < 0.075:
                parts.append(f"{rng.getrandbits(128):032x}")
            else:
                parts.append(_word(rng))
        if rng.random() < 0.05:
            parts.insert(rng.randrange(len(parts)), rng.choice(listed).value)
        text = " ".join(parts)
        kind = rng.choice((EventKind.PROMPT, EventKind.COMPLETION, EventKind.TOOL_CALL))
        tool = ToolCall(name="http_get", arguments=text) if kind is EventKind.TOOL_CALL else None
        events.append(
            Event(
                id=uuid7(int(now.timestamp() * 1000) + k),
                time=now,
                tenant="bench",
                app="bench",
                kind=kind,
                source=Source.API,
                channel=Channel.ASSISTANT,
                content=None if tool else text,
                tool=tool,
            )
        )
    return events


def bench_matching(indicators: list[Indicator], events: list[Event]) -> tuple[float, float, int]:
    """(events/s, index build seconds, findings) for the detector over ``events``."""
    registry = IndexRegistry()
    t0 = time.perf_counter()
    registry.replace("bench", IndicatorIndex(indicators))
    build_s = time.perf_counter() - t0
    detector = IndicatorDetector({}, registry=registry)

    async def run() -> int:
        found = 0
        for e in events:
            found += len(await detector.detect(ScanContext(event=e)))
        return found

    asyncio.run(run())  # warm up (first MinHash, automaton pages)
    t0 = time.process_time()
    found = asyncio.run(run())
    return len(events) / (time.process_time() - t0), build_s, found


def bench_naive(indicators: list[Indicator], events: list[Event]) -> float:
    values = [i.value.lower() for i in indicators]
    t0 = time.process_time()
    hits = 0
    for e in events:
        text = (e.content or (e.tool.arguments if e.tool else "") or "").lower()
        for v in values:
            if v in text:
                hits += 1
    return len(events) / (time.process_time() - t0)


def bench_import(n: int) -> tuple[float, float, int]:
    """(Garrison objects/s into DuckDB, stix2.parse-only objects/s, indicators stored)."""
    rng = Random(3)
    now = datetime.now(UTC)
    kinds = [T.DOMAIN, T.URL, T.IP, T.EMAIL, T.HASH]
    objects = [
        indicator_object(k, normalize(k, _value(k, i, rng)), source="bench", modified=now,
                         tags=["atlas.AML.T0086"])
        for i in range(n)
        for k in [kinds[i % len(kinds)]]
    ]  # fmt: skip
    doc = bundle(objects)
    stix2 = importlib.import_module("stix2")
    t0 = time.perf_counter()
    for o in objects:
        stix2.parse(dict(o), allow_custom=True, version="2.1")
    baseline = n / (time.perf_counter() - t0)
    with tempfile.TemporaryDirectory() as tmp:

        async def run() -> int:
            store = open_store(f"duckdb://{Path(tmp) / 'intel.duckdb'}", Path(tmp))
            await store.open()
            try:
                start = time.perf_counter()
                parsed = parse_bundle(doc, "bench")
                saved = await IntelRepo(store).save("bench", parsed.records, "bench")
                nonlocal elapsed
                elapsed = time.perf_counter() - start
                return saved.indicators
            finally:
                await store.aclose()

        elapsed = 0.0
        stored = asyncio.run(run())
    return n / elapsed, baseline, stored


def main(quick: bool = False) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[-1]})  # one core
    n_events = 1_000 if quick else 5_000
    n_naive = 50 if quick else 200
    n_import = 5_000 if quick else 20_000
    big = build_indicators(100_000)
    small = build_indicators(100)
    rng = Random(5)
    varied = small + [
        Indicator(f"prompt-len-{n}", T.PROMPT, normalize(T.PROMPT, _prompt(rng, n)), "bench", 70)
        for n in PROMPT_LENGTHS
    ]
    events = build_texts(n_events, big)
    avg = sum(len(e.content or (e.tool.arguments if e.tool else "")) for e in events) / n_events
    big_eps, big_build, big_found = bench_matching(big, events)
    small_eps, small_build, small_found = bench_matching(small, events)
    varied_eps, _, varied_found = bench_matching(varied, events)
    exact = [i for i in big if i.type not in (T.PROMPT, T.REGEX)]
    exact_eps, _, _ = bench_matching(exact, events)
    naive_eps = bench_naive(big, events[:n_naive])
    print(f"matching: 100k {big_eps:,.0f} ev/s, 100 {small_eps:,.0f}, naive {naive_eps:,.1f}")
    import_ops, parse_ops, stored = bench_import(n_import)
    print(f"import: {import_ops:,.0f} objects/s; stix2.parse alone {parse_ops:,.0f}")
    counts = ", ".join(f"{sum(1 for i in big if i.type is k):,} {k.value}" for k in MIX)
    body = f"""## Intel: indicator matching and STIX import

Indicators: {counts} (100,000 in all; the 100-indicator set has the same mix). Texts:
{n_events:,} generated prompts, outputs and tool-call arguments of {avg:,.0f} characters on
average, with URLs, e-mail addresses, IPs and hashes, ~5 % containing a listed value. The
`indicators` detector as the pipeline runs it (extraction, hash-set lookups, Aho-Corasick,
`re2.Set`, MinHash/LSH windows); CPU time of one pinned core.

| indicator set | index build, s | events/s | findings | baseline | baseline, events/s | Garrison ÷ baseline |
|---|---|---|---|---|---|---|
| 100 | {small_build:.3f} | {small_eps:,.0f} | {small_found:,} | — | — | — |
| 106: the 100 plus one prompt of each length in the big set | — | {varied_eps:,.0f} | {varied_found:,} | — | — | — |
| 100,000 | {big_build:.1f} | {big_eps:,.0f} | {big_found:,} | naive loop over the 100,000 values per text ({n_naive} texts) | {naive_eps:,.1f} | {big_eps / naive_eps:,.0f}× |
| 100,000 without prompt fingerprints and regexes | — | {exact_eps:,.0f} | — | — | — | — |

With 100,000 indicators matching runs at {big_eps / small_eps:.0%} of its speed with 100, and
at {big_eps / varied_eps:.0%} of its speed with 106 indicators whose prompt fingerprints have the
same lengths: the cost follows how many prompt-length buckets are indexed (each adds text
windows to hash; at most 12), not how many indicators there are.

| STIX import | objects | objects/s | baseline | baseline, objects/s |
|---|---|---|---|---|
| `parse_bundle` + `IntelRepo.save` into a new DuckDB file (one transaction) | {n_import:,} | {import_ops:,.0f} | `stix2.parse` of the same objects, nothing stored | {parse_ops:,.0f} |

{stored:,} indicators stored. Import is wall time, including validation.
"""  # noqa: E501
    write_section("intel", body)


if __name__ == "__main__":
    main()
