#!/usr/bin/env python3
"""Layer fusion end to end: fused against unfused compilations.

ResNet-18, MobileNetV2 and the BERT-style encoder of model_zoo.py are each
compiled twice with `tamp.compile`, with fusion (the default) and with
`fuse=False`. The fused model's manifest must list the fusions the graph
calls for, counted from its ONNX nodes:

  resnet18     every Conv + BatchNormalization folded; every Relu that
               directly follows a BatchNormalization in the conv's epilogue
  mobilenetv2  every BatchNormalization folded; every Clip (ReLU6) fused
  bert4        every attention block recomposed (one per Softmax); every
               Erf-form GELU recomposed and fused into its dense layer; every
               MatMul + Add dense layer given its bias

and both compilations must compute the same outputs on seeded random
inputs: the normwise relative error max|fused - unfused| / max|unfused| must
not exceed --max-rel-error (1e-5). The CNNs use 64x64 images (the fusions
do not depend on the image size); BERT runs at its full sequence length,
with a static batch of 2 and with a dynamic batch run at 3.

The last line printed is `N passed, N failed`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import onnx

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "python"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import model_zoo  # noqa: E402
import tamp  # noqa: E402


def producers(model: onnx.ModelProto) -> dict[str, onnx.NodeProto]:
    return {output: node for node in model.graph.node for output in node.output}


def expected_fusions(name: str, model: onnx.ModelProto) -> dict[str, int]:
    """The counts the fusion report must show, from the ONNX graph."""
    ops = Counter(node.op_type for node in model.graph.node)
    made_by = producers(model)
    if name.startswith("resnet18"):
        relu_after_bn = sum(
            1 for node in model.graph.node if node.op_type == "Relu" and
            made_by[node.input[0]].op_type == "BatchNormalization")
        return {"batchnorm_folded": ops["BatchNormalization"],
                "activation_fused": relu_after_bn}
    if name.startswith("mobilenetv2"):
        return {"batchnorm_folded": ops["BatchNormalization"],
                "activation_fused": ops["Clip"]}
    # bert4: a dense layer is MatMul (constant weight) + Add (constant bias).
    initializers = {init.name for init in model.graph.initializer}
    dense = sum(
        1 for node in model.graph.node if node.op_type == "Add" and
        any(made_by.get(i) is not None and made_by[i].op_type == "MatMul" and
            made_by[i].input[1] in initializers for i in node.input) and
        any(i in initializers for i in node.input))
    return {"attention_recomposed": ops["Softmax"],
            "gelu_recomposed": ops["Erf"],
            "activation_fused": ops["Erf"],
            "bias_fused": dense}


def relative_error(actual: np.ndarray, expected: np.ndarray) -> float:
    scale = float(np.abs(expected).max())
    error = float(np.abs(actual.astype(np.float64) - expected).max())
    return error / scale if scale > 0 else error


def check(name: str, model: onnx.ModelProto, batch: int, work: Path,
          max_error: float) -> list[tuple[str, bool]]:
    path = work / f"{name}.onnx"
    onnx.save(model, str(path))
    try:
        fused = tamp.compile(str(path), output=str(work / f"{name}-fused.so"))
        unfused = tamp.compile(str(path), output=str(work / f"{name}.so"),
                               fuse=False)
    except tamp.TampError as err:
        print(f"FAIL {name}: compile error: {err}")
        return [(f"{name} fusions", False), (f"{name} outputs", False)]
    results = []

    report = json.loads(fused.manifest)["fusion"]
    unfused_report = json.loads(unfused.manifest)["fusion"]
    expected = expected_fusions(name, model)
    wrong = {key: (report.get(key), count) for key, count in expected.items()
             if report.get(key) != count}
    ok = report.get("enabled") is True and not wrong and \
        unfused_report.get("enabled") is False and \
        all(unfused_report[key] == 0 for key in expected)
    listed = ", ".join(f"{key} {report.get(key)}" for key in expected)
    print(f"{'PASS' if ok else 'FAIL'} {name} fusions: {listed}" +
          (f" (expected {', '.join(f'{k} {v[1]}' for k, v in wrong.items())})"
           if wrong else ""))
    results.append((f"{name} fusions", ok))

    feeds = model_zoo.random_inputs(model, batch, seed=batch)
    try:
        got, want = fused(feeds), unfused(feeds)
    except tamp.TampError as err:
        print(f"FAIL {name} outputs: run error: {err}")
        return results + [(f"{name} outputs", False)]
    worst = max(relative_error(got[info.name], want[info.name])
                for info in model.graph.output)
    ok = worst <= max_error
    print(f"{'PASS' if ok else 'FAIL'} {name} outputs: fused vs unfused "
          f"max relative error {worst:.2e} (batch {batch})")
    results.append((f"{name} outputs", ok))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-rel-error", type=float, default=1e-5)
    args = parser.parse_args(argv)
    cases = [
        ("resnet18", model_zoo.resnet18(1, image_size=64), 1),
        ("mobilenetv2", model_zoo.mobilenetv2(1, image_size=64), 1),
        ("bert4-static", model_zoo.bert4(2), 2),
        ("bert4-dynamic", model_zoo.bert4(None), 3),
    ]
    results: list[tuple[str, bool]] = []
    with tempfile.TemporaryDirectory(prefix="tamp-fusion-tests-") as scratch:
        for name, model, batch in cases:
            results += check(name, model, batch, Path(scratch),
                             args.max_rel_error)
    passed = sum(ok for _, ok in results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
