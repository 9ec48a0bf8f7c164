"""The guard against AgentDojo's prompt injections, and the guard's latency.

Quality: AgentDojo (ethz-spylab/agentdojo, v1.2.1 suites) tool outputs, produced without any model
by running each user task's ground-truth tool calls (agentdojo's GroundTruthPipeline), once in the
clean environment (benign outputs) and with the task's injection vectors filled by agentdojo's
attack templates and injection goals (attacked outputs) — the same extraction as
``scripts/detection_data/agentdojo_export.py``, imported from there. Each output goes through
``Guard.scan_input`` as a ``tool`` message after a user message, under the **default policy**:
"stopped" means the decision is block. Baseline in the same run: the default policy without the
classifier rule (the fast tier alone).

Latency: ``Guard.scan_input`` on a 1 KB user prompt (default policy: the fast tier, no
classifier), p50/p99 over many runs, against the bare detection engine on the same detectors
(the guard's own overhead), and on a 1 KB tool output (classifier inline).

If agentdojo is not installed (it is in the ``bench`` extra) the quality part says so and is
skipped; the latency part always runs.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
import warnings
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.report import write_section

ROOT = Path(__file__).resolve().parents[1]
CTX_ARGS = {"tenant": "bench", "app": "bench"}
USER_TASK = "Please help me with my task using the tools you have."
PROMPT_1KB = (
    "Hi! I'm preparing the quarterly review for our regional sales team and need a hand. "
    "Could you summarise the main trends from the attached notes, point out which accounts grew "
    "fastest, and suggest three questions I should ask the team leads in Thursday's meeting? "
    "Please keep it under 300 words, use plain language, and avoid jargon. For context: revenue "
    "in the north region rose 12% while the coastal region stayed flat, churn dropped slightly "
    "after the pricing change in March, and two large customers renewed early. We also opened "
    "an office in Leeds and hired four new account managers who are still ramping up. My "
    "manager wants a short slide with the key numbers and a paragraph on risks for next "
    "quarter, in particular supply delays and the new competitor in the mid-market segment. "
    "Thanks a lot, and let me know if you need anything else from me before the meeting."
)


def agentdojo_rows() -> list[dict[str, Any]] | None:
    try:
        import agentdojo  # noqa: F401
    except ImportError:
        return None
    warnings.filterwarnings("ignore")
    os.environ.setdefault("TQDM_DISABLE", "1")
    sys.path.insert(0, str(ROOT / "scripts" / "detection_data"))
    import agentdojo_export

    rows: list[dict[str, Any]] = agentdojo_export.export()
    return rows


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


async def quality(rows: list[dict[str, Any]], guards: dict[str, Any]) -> dict[str, Any]:
    from garrison.guard.api import ChatMessage, GuardContext

    ctx = GuardContext(**CTX_ARGS)
    out: dict[str, Any] = {}
    for name, guard in guards.items():
        per: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
        per_attack: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        caught_by: Counter[str] = Counter()
        errors = 0
        cut_short = 0  # the classifier answered with the windows it had time for
        ms: list[float] = []
        for row in rows:
            msgs = [
                ChatMessage("user", USER_TASK, "user"),
                ChatMessage("tool", row["text"], "tool", tool_call_id="c1"),
            ]
            t0 = time.perf_counter()
            d = await guard.scan_input(msgs, ctx)
            ms.append((time.perf_counter() - t0) * 1000)
            errors += bool(d.errors)
            cut_short += any(f.detail.get("out_of_time") for f in d.findings)
            cell = per[(row["suite"], row["label"])]
            cell[0] += 1
            cell[1] += int(d.blocked)
            if row["label"]:
                a = per_attack[row.get("attack") or "?"]
                a[0] += 1
                a[1] += int(d.blocked)
                if d.blocked:
                    caught_by["+".join(sorted({v.detector for v in d.violations}))] += 1
        out[name] = {
            "per": dict(per),
            "attack": dict(per_attack),
            "by": caught_by,
            "ms": ms,
            "errors": errors,
            "cut_short": cut_short,
        }
    return out


async def latency(guard: Any, runs: int) -> dict[str, float]:
    from garrison.detect.engine import DetectionEngine
    from garrison.guard.api import ChatMessage, GuardContext
    from garrison.model import Channel, Event, EventKind, Source
    from garrison.model.ids import uuid7

    ctx = GuardContext(**CTX_ARGS)
    prompt = PROMPT_1KB[:1024]
    ids = guard.policy("bench").detectors_for("user", guard.available)
    by_id = {d.id: d for d in guard.engine.detectors}
    bare = DetectionEngine([by_id[i] for i in ids])
    g_ms: list[float] = []
    b_ms: list[float] = []
    t_ms: list[float] = []
    for i in range(runs + 50):
        text = f"{prompt[:-6]}{i:06d}"  # a new text each time: no cache helps
        t0 = time.perf_counter()
        await guard.scan_input([ChatMessage("user", text, "user")], ctx)
        t1 = time.perf_counter()
        now = datetime.now(UTC)
        ev = Event(
            id=uuid7(int(now.timestamp() * 1000)), time=now, tenant="b", app="b",
            kind=EventKind.PROMPT, source=Source.SDK, channel=Channel.USER, content=text,
        )  # fmt: skip
        await bare.scan(ev)
        t2 = time.perf_counter()
        if i >= 50:  # warm-up
            g_ms.append((t1 - t0) * 1000)
            b_ms.append((t2 - t1) * 1000)
    for i in range(max(runs // 10, 20)):
        text = f"{prompt[:-6]}{i:06d}"
        t0 = time.perf_counter()
        await guard.scan_input(
            [ChatMessage("user", "summarise", "user"), ChatMessage("tool", text, "tool")], ctx
        )
        t_ms.append((time.perf_counter() - t0) * 1000)
    return {
        "guard_p50": statistics.median(g_ms),
        "guard_p99": _percentile(g_ms, 0.99),
        "bare_p50": statistics.median(b_ms),
        "bare_p99": _percentile(b_ms, 0.99),
        "tool_p50": statistics.median(t_ms),
        "tool_p99": _percentile(t_ms, 0.99),
        "runs": float(len(g_ms)),
    }


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}% ({a}/{b})" if b else "–"


def main(quick: bool = False) -> None:
    from garrison.guard.api import Guard
    from garrison.guard.policy import default_policy

    guard = Guard(default_policy())
    base = default_policy()
    fast_policy = replace(
        base, id="fast-tier", rules=tuple(r for r in base.rules if r.detector != "prompt_guard")
    )
    fast = Guard(fast_policy, engine=guard.engine)

    lat = asyncio.run(latency(guard, 300 if quick else 2000))
    print(f"latency 1KB user prompt: p50 {lat['guard_p50']:.3f} ms, p99 {lat['guard_p99']:.3f} ms")
    rows = agentdojo_rows()
    quality_md = ""
    if rows is None:
        print("agentdojo is not installed (pip install 'garrison[bench]'): quality part skipped")
        quality_md = "AgentDojo is not installed here: the quality part was skipped.\n"
    else:
        if quick:  # every suite, fewer rows
            kept: dict[tuple[str, int], int] = Counter()
            sub = []
            for r in rows:
                if kept[(r["suite"], r["label"])] < 20:
                    kept[(r["suite"], r["label"])] += 1
                    sub.append(r)
            rows = sub
        res = asyncio.run(quality(rows, {"default": guard, "fast": fast}))
        suites = sorted({r["suite"] for r in rows})
        table = [
            "| suite | attacked outputs | stopped, default policy | stopped, fast tier only "
            "| benign outputs | falsely blocked, default | falsely blocked, fast tier |",
            "|---|---|---|---|---|---|---|",
        ]
        tot: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for s in suites:
            d, f = res["default"]["per"], res["fast"]["per"]
            na, sa = d.get((s, 1), [0, 0])
            nb, fb = d.get((s, 0), [0, 0])
            _, sa_f = f.get((s, 1), [0, 0])
            _, fb_f = f.get((s, 0), [0, 0])
            for k, v in (("d", [na, sa, nb, fb]), ("f", [na, sa_f, nb, fb_f])):
                tot[k] = [x + y for x, y in zip(tot[k], v, strict=True)]
            table.append(
                f"| {s} | {na} | {_pct(sa, na)} | {_pct(sa_f, na)} | {nb} | {_pct(fb, nb)} "
                f"| {_pct(fb_f, nb)} |"
            )
        d_t, f_t = tot["d"], tot["f"]
        table.append(
            f"| **all** | {d_t[0]} | **{_pct(d_t[1], d_t[0])}** | {_pct(f_t[1], f_t[0])} "
            f"| {d_t[2]} | **{_pct(d_t[3], d_t[2])}** | {_pct(f_t[3], f_t[2])} |"
        )
        attacks = ", ".join(
            f"{a} {_pct(v[1], v[0])}" for a, v in sorted(res["default"]["attack"].items())
        )
        by = ", ".join(f"{k} {v}" for k, v in res["default"]["by"].most_common())
        ms = res["default"]["ms"]
        median_chars = statistics.median([len(r["text"]) for r in rows])
        print("\n".join(table))
        quality_md = (
            "\n".join(table) + f"\n\nStopped per attack template (default policy): {attacks}.\n\n"
            f"Which detectors decided the blocks (default policy): {by}.\n\n"
            f"Guard time per tool output (median {median_chars:.0f} characters; classifier "
            f"inline on the tool channel): p50 {statistics.median(ms):.1f} ms, "
            f"p99 {_percentile(ms, 0.99):.1f} ms; detector timeouts or errors (fail-open, so "
            f"not blocked): {res['default']['errors']} of {len(rows)}; classifier answers cut "
            f"short by the latency budget (`out_of_time`, best window so far): "
            f"{res['default']['cut_short']} of {len(rows)}.\n"
        )
    lat_table = "\n".join(
        [
            f"| `Guard.scan_input`, 1 KB user message | {lat['guard_p50']:.3f} ms "
            f"| {lat['guard_p99']:.3f} ms |",
            f"| baseline: bare `DetectionEngine.scan`, same detectors | {lat['bare_p50']:.3f} ms "
            f"| {lat['bare_p99']:.3f} ms |",
            f"| `Guard.scan_input`, user message + 1 KB tool output (classifier inline) "
            f"| {lat['tool_p50']:.2f} ms | {lat['tool_p99']:.2f} ms |",
        ]
    )
    body = f"""## Guard: AgentDojo injections through the tool-message path, and latency

`benchmarks/agentdojo_guard.py`{" (quick)" if quick else ""}. AgentDojo v1.2.1 tool outputs
(ground-truth tool calls, no model; attacked = injection vectors filled with agentdojo's attack
templates and injection goals; de-duplicated), each scanned by `Guard.scan_input` as a `tool`
message under the default policy. "Stopped" = decision `block`. Baseline: the same policy
without the `classifier-untrusted` rule (the fast tier alone). AgentDojo was held out of the
classifier's training data (source hold-out), so these are unseen attacks; its benign set is
small (the suites' clean tool outputs), so the false-positive rate is coarse.

{quality_md}
Latency of `scan_input` on a 1 KB user prompt, default policy (fast tier inline: signatures,
unicode, secrets, pii; the classifier is not inline for user messages), {lat["runs"]:.0f} runs,
one process:

| path | p50 | p99 |
|---|---|---|
{lat_table}
"""
    write_section("agentdojo_guard", body)


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
