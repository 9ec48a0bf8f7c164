"""Pieces of the training recipe that run without torch: choosing and finishing the int8 graph."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from garrison.detect.train import AUC_TOLERANCE, MAX_MODEL_BYTES, choose_quantized

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")


def _candidate(auc: dict[str, float], mean_diff: float, size: int = 1000) -> dict[str, object]:
    return {"auc": auc, "mean_abs_diff": mean_diff, "bytes": size}


def test_choose_quantized_takes_the_first_candidate_that_ranks_like_fp32() -> None:
    fp32 = {"user": 0.95, "tool": 0.90}
    compared = {
        # fastest, but loses too much on tool output
        "fast": _candidate({"user": 0.95, "tool": 0.90 - 2 * AUC_TOLERANCE}, 0.05),
        # within the tolerance everywhere
        "middle": _candidate({"user": 0.95 - AUC_TOLERANCE / 2, "tool": 0.899}, 0.02),
        "slow": _candidate({"user": 0.95, "tool": 0.90}, 0.01),
    }
    assert choose_quantized(compared, fp32) == "middle"
    # too big to ship is never chosen while something fits
    compared["middle"]["bytes"] = MAX_MODEL_BYTES + 1
    assert choose_quantized(compared, fp32) == "slow"
    # none ranks like fp32: the closest to it
    compared = {
        "a": _candidate({"user": 0.90, "tool": 0.90}, 0.03),
        "b": _candidate({"user": 0.91}, 0.02),  # a group missing counts as lost
    }
    assert choose_quantized(compared, fp32) == "b"


def _graph(path: Path, quantize_first: bool) -> None:
    """x (b, 16) -> MatMul w1 -> Relu -> MatMul w2 -> y (b, 1); with ``quantize_first`` the
    first MatMul is int8 already (as in a graph exported with some layers kept fp32)."""
    from onnx import TensorProto, helper, numpy_helper
    from onnxruntime.quantization import QuantType, quantize_dynamic

    rng = np.random.default_rng(5)
    w1 = rng.normal(size=(16, 8)).astype(np.float32)
    w2 = rng.normal(size=(8, 1)).astype(np.float32)
    graph = helper.make_graph(
        [
            helper.make_node("MatMul", ["x", "w1"], ["h"], name="first"),
            helper.make_node("Relu", ["h"], ["r"]),
            helper.make_node("MatMul", ["r", "w2"], ["y"], name="second"),
        ],
        "two",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["b", 16])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["b", 1])],
        [numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(w2, "w2")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    fp32 = path.with_name("fp32.onnx")
    onnx.save(model, str(fp32))
    if quantize_first:
        quantize_dynamic(str(fp32), str(path), weight_type=QuantType.QInt8, per_channel=True,
                         nodes_to_exclude=["second"])  # fmt: skip
    else:
        fp32.rename(path)


def _ops(path: Path) -> list[str]:
    return [n.op_type for n in onnx.load(str(path)).graph.node]


def test_quantize_remaining_quantizes_the_fp32_matmuls_left(tmp_path: Path) -> None:
    from garrison.detect.train import quantize_remaining

    path = tmp_path / "model.onnx"
    _graph(path, quantize_first=True)
    assert _ops(path).count("MatMulInteger") == 1 and "MatMul" in _ops(path)
    x = np.random.default_rng(1).normal(size=(4, 16)).astype(np.float32)

    def run() -> np.ndarray:
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        return np.asarray(session.run(None, {"x": x})[0])

    before = run()
    meta = quantize_remaining(path, {"method": "some layers fp32", "bytes": 1})
    assert _ops(path).count("MatMulInteger") == 2 and "MatMul" not in _ops(path)
    assert meta["before"] == {"method": "some layers fp32", "bytes": 1}
    assert meta["bytes"] == path.stat().st_size
    after = run()
    assert np.allclose(before, after, atol=0.1 * float(np.abs(before).max()))
    assert not list(tmp_path.glob("*.int8"))  # no scratch file left
    # a graph quantized whole already: the same operators, the same outputs
    ops = _ops(path)
    quantize_remaining(path)
    assert _ops(path) == ops
    assert np.array_equal(run(), after)


def test_family_hash_split_keeps_families_apart_and_in_place_when_data_grows() -> None:
    from garrison.detect.train import Row, calibration_split
    from garrison.errors import ConfigError

    def rows(prefix: str, n: int, label: int, group: str = "user") -> list[Row]:
        # two rows per family: a family never straddles the split
        return [
            Row(f"{prefix} text {i} {k}", label, group, group, f"{prefix}.{i}", "s", None)
            for i in range(n)
            for k in range(2)
        ]

    old = rows("ben", 200, 0) + rows("atk", 200, 1) + rows("doc", 3, 0, "document")
    fit, calib = calibration_split(old, 0.2, 13)
    fams_fit, fams_calib = {r.family for r in fit}, {r.family for r in calib}
    assert not fams_fit & fams_calib
    assert len(fit) + len(calib) == len(old)
    share = len({f for f in fams_calib if f.startswith("ben.")}) / 200
    assert 0.12 < share < 0.28  # about frac of each stratum's families
    assert any(f.startswith("doc.") for f in fams_calib)  # a tiny stratum still gets one
    # New families leave every old family on its side (the shuffle split moves them).
    grown = old + rows("new", 150, 0)
    _, calib2 = calibration_split(grown, 0.2, 13)
    assert {r.family for r in calib2 if not r.family.startswith("new.")} == fams_calib
    _, shuffled = calibration_split(old, 0.2, 13, "shuffle")
    _, shuffled2 = calibration_split(grown, 0.2, 13, "shuffle")
    assert {r.family for r in shuffled} != {
        r.family for r in shuffled2 if not r.family.startswith("new.")
    }
    # another seed draws other families
    assert {r.family for r in calibration_split(old, 0.2, 14)[1]} != fams_calib
    with pytest.raises(ConfigError, match="unknown calibration split"):
        calibration_split(old, 0.2, 13, "random")


def test_train_seed_replicates_on_the_same_split() -> None:
    from garrison.detect.train import _train_seed, parse_args

    default = parse_args([])
    assert default.train_seed is None and _train_seed(default) == default.seed
    replicate = parse_args(["--train-seed", "7"])
    assert (replicate.seed, _train_seed(replicate)) == (default.seed, 7)
