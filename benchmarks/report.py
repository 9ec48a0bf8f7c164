"""Writing benchmark results into docs/benchmarks.md, one marked section per benchmark, with the
date, the machine and the baseline measured in the same run."""

from __future__ import annotations

import os
import platform
import re
from datetime import UTC, datetime
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
HEADER = """# Benchmarks

Produced by `make bench` (`python -m benchmarks`); each section is rewritten by its benchmark and
states the date, the machine and a baseline measured in the same run. Benchmarks are not tests:
nothing here is asserted in CI.
"""


def int8_isa(flags: set[str]) -> str:
    """The instruction set onnxruntime's int8 kernels will use, from /proc/cpuinfo flags: the
    classifier's speed and, slightly, its scores depend on it, so results are comparable only
    within one."""
    if "avx512_vnni" in flags:
        return "AVX-512 VNNI"
    if "avx_vnni" in flags:
        return "AVX-VNNI"
    if "avx512bw" in flags:
        return "AVX-512, no VNNI"
    if "avx2" in flags:
        return "AVX2, no VNNI"
    return "no AVX2"


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    fields: dict[str, str] = {}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            fields.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    cpu = fields.get("model name", cpu)
    if "flags" in fields and platform.machine() in ("x86_64", "AMD64"):
        cpu += f" (int8: {int8_isa(set(fields['flags'].split()))})"
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{mem}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def write_section(name: str, body: str) -> None:
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = f"{start}\n{body.rstrip()}\n\n_Measured {stamp} on {machine()}._\n{end}"
    text = DOC.read_text() if DOC.exists() else HEADER
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else f"{text}\n{section}\n"
    DOC.write_text(text)
