#!/usr/bin/env python3
"""onnxruntime-quantized models: Tamp against onnxruntime on the same model.

The float models of model_zoo.py (smaller images and sequences, a dynamic
batch) are prepared with onnxruntime's quant_pre_process (shape inference,
BatchNormalization folded into Conv) and quantized with onnxruntime's own
tools:

  qdq-u8    quantize_static, QDQ format, uint8 activations, int8 weights
            per output channel (MinMax calibration on seeded random inputs)
  qdq-s8    quantize_static, QDQ format, int8 activations and weights, per
            tensor
  qop       quantize_static, QOperator format (QLinearConv, QLinearMatMul and
            the com.microsoft QGemm, QLinearAdd, QLinearMul, QLinearSoftmax,
            QLinearGlobalAveragePool), uint8 activations, per-channel weights
  dynamic   quantize_dynamic (DynamicQuantizeLinear, MatMulInteger,
            ConvInteger), uint8 activations and weights
  nbits-*   MatMulNBitsQuantizer (com.microsoft MatMulNBits, 4 bits, RTN) with
            block size 32 or 128, symmetric or with zero points

Each quantized model is compiled with `tamp.compile`, run at batch 2 on fresh
seeded inputs, and compared with onnxruntime running the same quantized model
(its default graph optimizations, i.e. its integer kernels).

Error measures, for each output: where the graph output is dequantized from a
per-tensor quantized value (the static formats), the error in units of that
output scale (`steps`) and the fraction of elements that differ at all; where
it is float (dynamic, MatMulNBits, a float LayerNormalization), the normwise
relative error max|tamp - ort| / max|ort|. The tolerances, and why, are in
TOLERANCES. The last line printed is `N passed, N failed`.

  run_ort_quantized.py                      # everything
  run_ort_quantized.py --models mlp --formats qop nbits-32-zp
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import numpy_helper
from onnxruntime.quantization import (CalibrationDataReader, QuantFormat,
                                      QuantType, quantize_dynamic,
                                      quantize_static)
from onnxruntime.quantization.shape_inference import quant_pre_process

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "python"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import model_zoo  # noqa: E402
import tamp  # noqa: E402

BATCH = 2
CALIBRATION_SAMPLES = 4

# The float models, at sizes that keep the whole run short.
MODELS = {
    "mlp": lambda: model_zoo.mlp(None),
    "resnet18": lambda: model_zoo.resnet18(None, image_size=64),
    "mobilenetv2": lambda: model_zoo.mobilenetv2(None, image_size=64),
    "bert4": lambda: model_zoo.bert4(None, sequence=32),
}


@dataclass(frozen=True)
class Tolerance:
    """The largest accepted difference from onnxruntime: `steps` output
    scales where the output is dequantized from a quantized value, `relative`
    (normwise) where it is float."""
    steps: float
    relative: float


# Tamp runs the static formats' quantized Conv/Gemm/MatMul on its integer
# kernels (tamp-fold-qdq: exact int32 accumulation, fixed-point
# requantization) and the rest as dequantize -> float op -> quantize, which
# is what QDQ means and what onnxruntime runs without graph optimizations;
# by default onnxruntime fuses the same patterns into integer kernels (exact
# int32 accumulation and a float requantization multiplier). The two agree
# to float rounding (about 1e-4 of a step per value), so a value within that
# distance of a .5 tie rounds the other way: a one-step flip, about one
# element in 1e5 per layer. Later layers carry a flip on, and in deep models
# with random weights it spreads and grows: onnxruntime's own two runs of the
# same QDQ model (optimized and unoptimized, --ort-spread) differ on the
# outputs by up to 1 step on the MLP, 2 on ResNet-18, 6 on BERT and 16 on
# MobileNetV2 (48% to 92% of the logits). The tolerance is twice onnxruntime's
# own spread on the same model (at least one step): a Tamp bug (a wrong
# scale, axis, zero point or rounding mode) moves every element by many steps
# and fails it. Float outputs (dynamic quantization, BERT's final
# LayerNormalization) use the relative error, with the same reasoning.
TOLERANCES = {
    "mlp": Tolerance(steps=2, relative=1e-4),
    "resnet18": Tolerance(steps=4, relative=1e-4),
    "mobilenetv2": Tolerance(steps=32, relative=1e-4),
    "bert4": Tolerance(steps=12, relative=0.1),
}
# MatMulNBits dequantizes to the same float weights as onnxruntime: only the
# float accumulation order differs.
NBITS_TOLERANCE = Tolerance(steps=0, relative=1e-4)


class RandomReader(CalibrationDataReader):
    """A few seeded random inputs, batch 1, for MinMax calibration."""

    def __init__(self, model: onnx.ModelProto) -> None:
        self.feeds = iter([model_zoo.random_inputs(model, 1, seed=100 + i)
                           for i in range(CALIBRATION_SAMPLES)])

    def get_next(self) -> dict[str, np.ndarray] | None:
        return next(self.feeds, None)


def quantize_nbits(source: Path, target: Path, block_size: int,
                   symmetric: bool) -> None:
    from onnxruntime.quantization.matmul_nbits_quantizer import (
        MatMulNBitsQuantizer, RTNWeightOnlyQuantConfig)
    model = onnx.load(str(source))
    quantizer = MatMulNBitsQuantizer(
        model, block_size=block_size, is_symmetric=symmetric,
        algo_config=RTNWeightOnlyQuantConfig())
    # RTN reports its progress on stdout.
    with contextlib.redirect_stdout(io.StringIO()):
        quantizer.process()
    quantizer.model.save_model_to_file(str(target), False)


def quantize(fmt: str, model: onnx.ModelProto, source: Path,
             target: Path) -> None:
    """Writes `model` (saved at `source`) quantized in format `fmt`."""
    if fmt in ("qdq-u8", "qdq-s8", "qop"):
        signed = fmt == "qdq-s8"
        quantize_static(
            str(source), str(target), RandomReader(model),
            quant_format=QuantFormat.QOperator if fmt == "qop"
            else QuantFormat.QDQ,
            per_channel=not signed,
            activation_type=QuantType.QInt8 if signed else QuantType.QUInt8,
            weight_type=QuantType.QInt8)
    elif fmt == "dynamic":
        quantize_dynamic(str(source), str(target),
                         weight_type=QuantType.QUInt8)
    elif fmt.startswith("nbits-"):
        _, block_size, kind = fmt.split("-")
        quantize_nbits(source, target, int(block_size), kind == "sym")
    else:
        raise ValueError(fmt)


FORMATS = ["qdq-u8", "qdq-s8", "qop", "dynamic", "nbits-32-zp",
           "nbits-128-sym"]
# The formats each model runs in by default, to keep the run short (each
# compile takes about 10 s on one core). MatMulNBitsQuantizer rewrites MatMul
# with a constant B: BERT's dense layers and the MLP with its Gemms written
# as MatMul + Add; the CNNs have no such MatMul. MobileNetV2 adds depthwise
# convolutions to what ResNet-18 covers, in the QDQ format only.
DEFAULT_FORMATS = {
    "mlp": FORMATS,
    "resnet18": ["qdq-u8", "qdq-s8", "qop", "dynamic"],
    "mobilenetv2": ["qdq-u8"],
    "bert4": ["qdq-u8", "qdq-s8", "qop", "dynamic", "nbits-32-zp",
              "nbits-128-sym"],
}
NBITS_MODELS = ("mlp", "bert4")


def output_steps(model: onnx.ModelProto) -> dict[str, float]:
    """The scale of each graph output produced by a per-tensor
    DequantizeLinear with a constant scale."""
    constants = {t.name: numpy_helper.to_array(t)
                 for t in model.graph.initializer}
    producers = {out: node for node in model.graph.node for out in node.output}
    steps = {}
    for info in model.graph.output:
        node = producers.get(info.name)
        if node is None or node.op_type != "DequantizeLinear":
            continue
        scale = constants.get(node.input[1])
        if scale is not None and scale.size == 1:
            steps[info.name] = float(scale.reshape(()))
    return steps


def gemm_to_matmul(model: onnx.ModelProto) -> onnx.ModelProto:
    """The MLP with each Gemm (transB, bias) as MatMul + Add, the form that
    MatMulNBitsQuantizer quantizes."""
    graph = model.graph
    constants = {t.name: t for t in graph.initializer}
    nodes = []
    for node in graph.node:
        if node.op_type != "Gemm":
            nodes.append(node)
            continue
        weight = constants[node.input[1]]
        transposed = numpy_helper.from_array(
            np.ascontiguousarray(numpy_helper.to_array(weight).T),
            weight.name)
        weight.CopyFrom(transposed)
        product = node.name + "_matmul"
        nodes.append(onnx.helper.make_node(
            "MatMul", [node.input[0], node.input[1]], [product],
            name=product))
        nodes.append(onnx.helper.make_node(
            "Add", [product, node.input[2]], list(node.output),
            name=node.name))
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.checker.check_model(model)
    return model


def describe(quantized: onnx.ModelProto, tolerance: Tolerance,
             expected: list[np.ndarray],
             actual: dict[str, np.ndarray]) -> tuple[bool, str]:
    """Compares `actual` with onnxruntime's `expected` outputs of
    `quantized`: whether they are within `tolerance`, and the figures."""
    steps = output_steps(quantized)
    ok = True
    details = []
    for info, want in zip(quantized.graph.output, expected):
        got = actual[info.name]
        if got.shape != want.shape or got.dtype != want.dtype:
            details.append(f"'{info.name}' is {got.dtype}{list(got.shape)}, "
                           f"onnxruntime gives {want.dtype}{list(want.shape)}")
            ok = False
            continue
        difference = np.abs(got.astype(np.float64) - want)
        largest = float(np.abs(want).max()) if want.size else 0.0
        worst = float(difference.max()) if want.size else 0.0
        relative = worst / largest if largest else worst
        if info.name in steps:
            step = steps[info.name]
            # Dequantized values that differ at all differ by whole steps.
            off = float(np.mean(difference > 0.5 * step))
            ok &= worst / step <= tolerance.steps + 1e-3
            details.append(f"max {worst / step:.0f} steps of {step:.3g} "
                           f"(limit {tolerance.steps:g}), {off:.1%} of "
                           f"elements off")
        else:
            ok &= relative <= tolerance.relative
            details.append(f"float, max relative error {relative:.1e} "
                           f"(limit {tolerance.relative:g})")
    return ok, "; ".join(details)


def prepare(name: str, fmt: str, work: Path) -> tuple[onnx.ModelProto, Path]:
    """The float model for `name` and `fmt`, and its quant_pre_process'ed
    file (made once per graph)."""
    model = MODELS[name]()
    variant = name
    if fmt.startswith("nbits") and name == "mlp":
        model = gemm_to_matmul(model)
        variant = "mlp-matmul"
    prepared = work / f"{variant}-prepared.onnx"
    if not prepared.exists():
        source = work / f"{variant}.onnx"
        onnx.save(model, str(source))
        quant_pre_process(str(source), str(prepared),
                          skip_symbolic_shape=True)
    return model, prepared


def run_onnxruntime(path: Path, feeds: dict[str, np.ndarray],
                    optimize: bool = True) -> list[np.ndarray]:
    options = ort.SessionOptions()
    if not optimize:
        options.graph_optimization_level = \
            ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(str(path), options,
                                   providers=["CPUExecutionProvider"])
    return session.run(None, feeds)


def check(name: str, fmt: str, work: Path, ort_spread: bool) -> bool:
    label = f"{name} {fmt}"
    model, prepared = prepare(name, fmt, work)
    target = work / f"{name}-{fmt}.onnx"
    quantize(fmt, model, prepared, target)
    quantized = onnx.load(str(target))
    tolerance = (NBITS_TOLERANCE if fmt.startswith("nbits")
                 else TOLERANCES[name])
    start = time.perf_counter()
    try:
        compiled = tamp.compile(str(target),
                                output=str(work / f"{name}-{fmt}.so"))
    except tamp.TampError as err:
        print(f"FAIL {label}: compile error: {err}", flush=True)
        return False
    compile_seconds = time.perf_counter() - start
    feeds = model_zoo.random_inputs(model, BATCH, seed=7)
    expected = run_onnxruntime(target, feeds)
    try:
        actual = compiled(feeds)
    except tamp.TampError as err:
        print(f"FAIL {label}: run error: {err}", flush=True)
        return False
    ok, details = describe(quantized, tolerance, expected, actual)
    print(f"{'PASS' if ok else 'FAIL'} {label}: {details} "
          f"(compile {compile_seconds:.1f} s)", flush=True)
    if ort_spread:
        unoptimized = run_onnxruntime(target, feeds, optimize=False)
        _, details = describe(
            quantized, tolerance, expected,
            {info.name: value
             for info, value in zip(quantized.graph.output, unoptimized)})
        print(f"     {label}, onnxruntime unoptimized: {details}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", choices=sorted(MODELS),
                        default=list(MODELS))
    parser.add_argument("--formats", nargs="+", choices=FORMATS,
                        help="formats to run every model in (default: "
                        "DEFAULT_FORMATS)")
    parser.add_argument("--ort-spread", action="store_true",
                        help="also print how far onnxruntime's unoptimized "
                        "run of each model is from its default one")
    args = parser.parse_args(argv)
    # The quantizers log every tensor they leave alone.
    logging.disable(logging.WARNING)
    ort.set_default_logger_severity(3)

    results: list[bool] = []
    with tempfile.TemporaryDirectory(prefix="tamp-ort-quantized-") as scratch:
        work = Path(scratch)
        for name in args.models:
            for fmt in args.formats or DEFAULT_FORMATS[name]:
                if fmt.startswith("nbits") and name not in NBITS_MODELS:
                    continue
                results.append(check(name, fmt, work, args.ort_spread))
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
