"""The machine line of docs/benchmarks.md names the int8 instruction set (int8 speed and scores
depend on it, so numbers are comparable only within one)."""

from __future__ import annotations

import platform

import pytest
from benchmarks.report import int8_isa, machine


@pytest.mark.parametrize(
    ("flags", "isa"),
    [
        ({"avx2", "avx512f", "avx512bw", "avx512_vnni"}, "AVX-512 VNNI"),
        ({"avx2", "avx_vnni"}, "AVX-VNNI"),
        ({"avx2", "avx512f", "avx512bw"}, "AVX-512, no VNNI"),
        ({"sse4_2", "avx", "avx2", "fma"}, "AVX2, no VNNI"),
        ({"sse4_2"}, "no AVX2"),
    ],
)
def test_int8_isa_names_the_kernels_onnxruntime_will_use(flags: set[str], isa: str) -> None:
    assert int8_isa(flags) == isa


def test_machine_line_carries_the_int8_isa_on_x86() -> None:
    line = machine()
    assert "cores" in line and "Python" in line
    if platform.machine() == "x86_64":
        assert "(int8: " in line
