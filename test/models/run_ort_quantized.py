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
    """The largest accepted error: `steps` output scales where the output is
    dequantized, `relative` (normwise) where it is float."""
    steps: float
    relative: float
    why: str


# Tamp computes a quantized op as dequantize -> float op -> quantize; ORT
# fuses the same pattern into integer kernels (exact int32 accumulation, then
# a float requantization multiplier), so a value that lands within float
# rounding of a .5 tie rounds the other way: one step at that layer. Deeper
# models carry such flips through later layers, where each flip moves a
# downstream value by a fraction of a step, so the end-to-end bound grows
# with depth; the fraction of differing elements stays small.
TOLERANCES = {
    "qdq-u8": Tolerance(
        4, 0.1, "integer kernels vs float: requantization ties flip by one "
        "step per layer and propagate"),
    "qdq-s8": Tolerance(
        4, 0.1, "as qdq-u8"),
    "qop": Tolerance(
        4, 0.1, "as qdq-u8; QLinearSoftmax and QLinearAdd use ORT's lookup "
        "tables and fixed-point rescaling"),
    # DynamicQuantizeLinear is computed alike (same scale, same zero point);
    # MatMulInteger/ConvInteger are exact int32 in both; the difference is
    # float rescaling order and a rare tie in the activation quantization
    # that moves one input by a step.
    "dynamic": Tolerance(
        0, 2e-2, "exact integer products; a rare activation rounding tie "
        "moves a product by one input step"),
    # MatMulNBits dequantizes to exactly the same float weights; only the
    # float accumulation order differs.
    "nbits": Tolerance(0, 1e-4, "float accumulation order only"),
}


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
# MatMulNBits quantizes MatMul with a constant B: the MLP's Gemms are
# rewritten by quant_pre_process? No: they stay Gemm, which the quantizer
# does not take, so the MLP uses its MatMul form (see below) and the CNNs,
# whose only MatMul-like op is the classifier Gemm, are left out.
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


@dataclass
class Result:
    label: str
    ok: bool


def compare(label: str, fmt: str, quantized: onnx.ModelProto,
            expected: list[np.ndarray], actual: dict[str, np.ndarray]) -> bool:
    tolerance = TOLERANCES[fmt.split("-")[0] if fmt.startswith("nbits")
                           else fmt]
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
        scale = float(np.abs(want).max()) if want.size else 0.0
        relative = float(difference.max()) / scale if scale else 0.0
        if info.name in steps:
            step = steps[info.name]
            worst = float(difference.max()) / step
            # Values that differ at all are at least half a step apart.
            off = float(np.mean(difference > 0.5 * step))
            ok &= worst <= tolerance.steps + 1e-3
            details.append(f"max {worst:.0f} steps of {step:.3g}, "
                           f"{off:.2%} off, relative {relative:.1e}")
        else:
            ok &= relative <= tolerance.relative
            details.append(f"float output, max relative error "
                           f"{relative:.1e}")
    limit = (f"<= {tolerance.steps:g} steps" if steps
             else f"<= {tolerance.relative:g} relative")
    print(f"{'PASS' if ok else 'FAIL'} {label}: {'; '.join(details)} "
          f"({limit})", flush=True)
    return ok


def check(name: str, fmt: str, work: Path) -> Result:
    label = f"{name} {fmt}"
    model = MODELS[name]()
    if fmt.startswith("nbits") and name == "mlp":
        model = gemm_to_matmul(model)
    source = work / f"{name}.onnx"
    prepared = work / f"{name}-prepared.onnx"
    target = work / f"{name}-{fmt}.onnx"
    onnx.save(model, str(source))
    if not prepared.exists():
        quant_pre_process(str(source), str(prepared),
                          skip_symbolic_shape=True)
    start = time.perf_counter()
    quantize(fmt, model, prepared, target)
    quantized = onnx.load(str(target))
    try:
        compiled = tamp.compile(str(target), output=str(work / f"{label}.so"
                                                          .replace(" ", "-")))
    except tamp.TampError as err:
        print(f"FAIL {label}: compile error: {err}", flush=True)
        return Result(label, False)
    reference = ort.InferenceSession(str(target),
                                     providers=["CPUExecutionProvider"])
    feeds = model_zoo.random_inputs(model, BATCH, seed=7)
    expected = reference.run(None, feeds)
    try:
        actual = compiled(feeds)
    except tamp.TampError as err:
        print(f"FAIL {label}: run error: {err}", flush=True)
        return Result(label, False)
    del start
    return Result(label, compare(label, fmt, quantized, expected, actual))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", choices=sorted(MODELS),
                        default=list(MODELS))
    parser.add_argument("--formats", nargs="+", choices=FORMATS,
                        default=FORMATS)
    args = parser.parse_args(argv)
    # The quantizers log every tensor they leave alone.
    logging.disable(logging.WARNING)
    ort.set_default_logger_severity(3)

    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="tamp-ort-quantized-") as scratch:
        work = Path(scratch)
        for name in args.models:
            for fmt in args.formats:
                if fmt.startswith("nbits") and name not in NBITS_MODELS:
                    continue
                # The MLP for MatMulNBits is another graph: prepare anew.
                (work / f"{name}-prepared.onnx").unlink(missing_ok=True)
                results.append(check(name, fmt, work))
    passed = sum(result.ok for result in results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
