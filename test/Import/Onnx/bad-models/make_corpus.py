#!/usr/bin/env python3
"""Writes a corpus of broken ONNX models that `tamp import` must reject.

Usage: make_corpus.py OUTDIR

Each case is a model file under OUTDIR (models with external data get a
folder of their own) and an entry in OUTDIR/manifest.json:
  {"cases": [{"name": ..., "model": PATH relative to OUTDIR,
              "expect": substring of the diagnostic, "what": ...}, ...]}
check_corpus.py runs the importer on every entry. The models are built with
onnx.helper and never passed to onnx.checker: they are invalid on purpose.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
HUGE_DIMENSION = 1 << 40


@dataclass
class Case:
    name: str
    what: str
    expect: str
    # Writes the model under the given folder and returns its path.
    write: Callable[[Path], Path]


def make_model(nodes: list[onnx.NodeProto],
               inputs: list[onnx.ValueInfoProto],
               outputs: list[onnx.ValueInfoProto],
               initializers: list[TensorProto] | None = None,
               opset: int = OPSET) -> onnx.ModelProto:
    graph = helper.make_graph(nodes, "broken", inputs, outputs,
                              initializers or [])
    return helper.make_model(graph,
                             opset_imports=[helper.make_opsetid("", opset)])


def float_info(name: str, shape: list[int | str]) -> onnx.ValueInfoProto:
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def save(model: onnx.ModelProto, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(model.SerializeToString())
    return path


def valid_matmul_model() -> onnx.ModelProto:
    # A 64x64 weight makes the serialized model mostly raw_data, so cutting
    # it in half ends the file inside that field.
    weight = np.arange(64 * 64, dtype=np.float32).reshape(64, 64)
    return make_model(
        [helper.make_node("MatMul", ["x", "w"], ["y"], name="proj")],
        [float_info("x", [1, 64])], [float_info("y", [1, 64])],
        [numpy_helper.from_array(weight, "w")])


def add_with_initializer(tensor: TensorProto,
                         shape: list[int]) -> onnx.ModelProto:
    """x + tensor, so that the broken initializer is also used."""
    return make_model(
        [helper.make_node("Add", ["x", tensor.name], ["y"], name="add")],
        [float_info("x", shape)], [float_info("y", shape)], [tensor])


def unary_model(op_type: str, element_type: int = TensorProto.FLOAT,
                opset: int = OPSET, **attributes: object) -> onnx.ModelProto:
    return make_model(
        [helper.make_node(op_type, ["x"], ["y"], name="node", **attributes)],
        [helper.make_tensor_value_info("x", element_type, [2, 3])],
        [helper.make_tensor_value_info("y", element_type, [2, 3])],
        opset=opset)


def conv_model(inputs: list[str] | None = None,
               **attributes: object) -> onnx.ModelProto:
    weight = np.ones((2, 1, 3, 3), dtype=np.float32)
    return make_model(
        [helper.make_node("Conv", inputs or ["x", "w"], ["y"], name="conv",
                          **attributes)],
        [float_info("x", [1, 1, 8, 8])], [float_info("y", [1, 2, 6, 6])],
        [numpy_helper.from_array(weight, "w")])


def external_tensor(name: str, count: int, location: str, offset: int = 0,
                    length: int | None = None) -> TensorProto:
    tensor = TensorProto(name=name, data_type=TensorProto.FLOAT, dims=[count])
    tensor.data_location = TensorProto.EXTERNAL
    size = 4 * count if length is None else length
    for key, value in (("location", location), ("offset", str(offset)),
                       ("length", str(size))):
        entry = tensor.external_data.add()
        entry.key, entry.value = key, value
    return tensor


def external_model(folder: Path, tensor: TensorProto) -> Path:
    count = tensor.dims[0]
    return save(add_with_initializer(tensor, [count]), folder / "model.onnx")


def write_weights(path: Path, count: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(np.arange(count, dtype=np.float32).tobytes())


# --------------------------------------------------------------------------
# The cases. Each writer gets the corpus folder and returns the model path.
# --------------------------------------------------------------------------


def truncated(out: Path) -> Path:
    data = valid_matmul_model().SerializeToString()
    path = out / "truncated.onnx"
    path.write_bytes(data[:len(data) // 2])
    return path


def random_bytes(out: Path) -> Path:
    data = bytearray(random.Random(20240229).randbytes(4096))
    # Tag 0x07 (field 0, wire type 7) is invalid in every protobuf message,
    # so no seed can turn this into a parseable model by accident.
    data[0] = 0x07
    path = out / "random-bytes.onnx"
    path.write_bytes(bytes(data))
    return path


def empty(out: Path) -> Path:
    path = out / "empty.onnx"
    path.write_bytes(b"")
    return path


def data_type_999(out: Path) -> Path:
    tensor = TensorProto(name="c", data_type=999, dims=[2],
                         raw_data=b"\0" * 8)
    return save(add_with_initializer(tensor, [2]), out / "data-type-999.onnx")


def raw_data_size(out: Path) -> Path:
    # 2x3 floats need 24 bytes; 10 are given.
    tensor = TensorProto(name="c", data_type=TensorProto.FLOAT, dims=[2, 3],
                         raw_data=b"\0" * 10)
    return save(add_with_initializer(tensor, [2, 3]),
                out / "raw-data-size.onnx")


def undefined_value(out: Path) -> Path:
    model = make_model(
        [helper.make_node("Abs", ["nowhere"], ["y"], name="reader")],
        [float_info("x", [2])], [float_info("y", [2])])
    return save(model, out / "undefined-value.onnx")


def cycle(out: Path) -> Path:
    model = make_model(
        [helper.make_node("Add", ["x", "b"], ["a"], name="first"),
         helper.make_node("Neg", ["a"], ["b"], name="second")],
        [float_info("x", [2])], [float_info("a", [2])])
    return save(model, out / "cycle.onnx")


def huge_input_dimension(out: Path) -> Path:
    model = unary_model("Relu")
    model.graph.input[0].type.tensor_type.shape.dim[0].dim_value = \
        HUGE_DIMENSION
    return save(model, out / "huge-input-dimension.onnx")


def huge_initializer_dimension(out: Path) -> Path:
    tensor = TensorProto(name="c", data_type=TensorProto.FLOAT,
                         dims=[HUGE_DIMENSION])
    return save(add_with_initializer(tensor, [1]),
                out / "huge-initializer-dimension.onnx")


def negative_dimension(out: Path) -> Path:
    tensor = TensorProto(name="c", data_type=TensorProto.FLOAT, dims=[-3])
    return save(add_with_initializer(tensor, [3]),
                out / "negative-dimension.onnx")


def conv_group_string(out: Path) -> Path:
    return save(conv_model(group="1"), out / "conv-group-string.onnx")


def transpose_perm_float(out: Path) -> Path:
    return save(unary_model("Transpose", perm=[1.0, 0.0]),
                out / "transpose-perm-float.onnx")


def external_absolute(out: Path) -> Path:
    weights = (out / "shared-weights.bin").resolve()
    write_weights(weights, 4)
    return external_model(out / "external-absolute",
                          external_tensor("c", 4, str(weights)))


def external_parent(out: Path) -> Path:
    # The file exists: only the escape itself must be refused.
    write_weights(out / "shared-weights.bin", 4)
    return external_model(out / "external-parent",
                          external_tensor("c", 4, "../shared-weights.bin"))


def external_offset_past_end(out: Path) -> Path:
    folder = out / "external-offset-past-end"
    write_weights(folder / "weights.bin", 4)
    return external_model(
        folder, external_tensor("c", 4, "weights.bin", offset=4096))


def external_length_past_end(out: Path) -> Path:
    folder = out / "external-length-past-end"
    write_weights(folder / "weights.bin", 4)
    return external_model(folder, external_tensor("c", 16, "weights.bin"))


def external_missing(out: Path) -> Path:
    return external_model(out / "external-missing",
                          external_tensor("c", 4, "missing.bin"))


def external_symlink(out: Path) -> Path:
    write_weights(out / "outside" / "weights.bin", 4)
    folder = out / "external-symlink"
    folder.mkdir(parents=True)
    os.symlink(os.path.join("..", "outside", "weights.bin"),
               folder / "weights.bin")
    return external_model(folder, external_tensor("c", 4, "weights.bin"))


def unknown_op(out: Path) -> Path:
    return save(unary_model("NoSuchOp"), out / "unknown-op.onnx")


def legacy_opset(out: Path) -> Path:
    # Opset 3: Add's pre-7 broadcasting with an explicit axis.
    model = make_model(
        [helper.make_node("Add", ["x", "b"], ["y"], name="add", broadcast=1,
                          axis=0)],
        [float_info("x", [2, 3]), float_info("b", [2])],
        [float_info("y", [2, 3])], opset=3)
    return save(model, out / "opset-3.onnx")


def future_opset(out: Path) -> Path:
    return save(unary_model("Relu", opset=100000), out / "opset-future.onnx")


def conv_one_input(out: Path) -> Path:
    return save(conv_model(inputs=["x"]), out / "conv-one-input.onnx")


def sqrt_int32(out: Path) -> Path:
    return save(unary_model("Sqrt", element_type=TensorProto.INT32),
                out / "sqrt-int32.onnx")


def conv_zero_stride(out: Path) -> Path:
    return save(conv_model(strides=[0, 0]), out / "conv-zero-stride.onnx")


def duplicate_output(out: Path) -> Path:
    model = make_model(
        [helper.make_node("Relu", ["x"], ["y"], name="first"),
         helper.make_node("Neg", ["x"], ["y"], name="second")],
        [float_info("x", [2])], [float_info("y", [2])])
    return save(model, out / "duplicate-output.onnx")


def output_never_produced(out: Path) -> Path:
    model = make_model(
        [helper.make_node("Relu", ["x"], ["y"], name="relu")],
        [float_info("x", [2])], [float_info("z", [2])])
    return save(model, out / "output-never-produced.onnx")


def transpose_perm_huge(out: Path) -> Path:
    return save(unary_model("Transpose", perm=list(range(1 << 20))),
                out / "transpose-perm-huge.onnx")


def flatten_axis_int64_min(out: Path) -> Path:
    return save(unary_model("Flatten", axis=-(1 << 63)),
                out / "flatten-axis-int64-min.onnx")


def constant_of_shape_overflow(out: Path) -> Path:
    # Each dimension is within the limit; their product overflows int64.
    shape = numpy_helper.from_array(
        np.array([1 << 32, 1 << 32, 1 << 32], dtype=np.int64), "shape")
    model = make_model(
        [helper.make_node("ConstantOfShape", ["shape"], ["y"], name="fill")],
        [], [float_info("y", [])], [shape])
    model.graph.output[0].type.tensor_type.ClearField("shape")
    return save(model, out / "constant-of-shape-overflow.onnx")


def split_no_outputs(out: Path) -> Path:
    model = make_model(
        [helper.make_node("Split", ["x"], [], name="split", axis=1)],
        [float_info("x", [2, 3])], [])
    return save(model, out / "split-no-outputs.onnx")


def depth_to_space_zero_block(out: Path) -> Path:
    model = make_model(
        [helper.make_node("DepthToSpace", ["x"], ["y"], name="d2s",
                          blocksize=0)],
        [float_info("x", [1, 4, 2, 2])], [float_info("y", [1, 4, 2, 2])])
    return save(model, out / "depth-to-space-zero-block.onnx")


def reshape_huge(out: Path) -> Path:
    shape = numpy_helper.from_array(
        np.array([1 << 40, 1 << 40], dtype=np.int64), "shape")
    model = make_model(
        [helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape")],
        [float_info("x", [2, 3])], [float_info("y", [1 << 40, 1 << 40])],
        [shape])
    return save(model, out / "reshape-huge.onnx")


def tile_huge(out: Path) -> Path:
    repeats = numpy_helper.from_array(
        np.array([1 << 31, 1 << 31], dtype=np.int64), "repeats")
    model = make_model(
        [helper.make_node("Tile", ["x", "repeats"], ["y"], name="tile")],
        [float_info("x", [2, 3])], [float_info("y", ["a", "b"])], [repeats])
    return save(model, out / "tile-huge.onnx")


def duplicate_input(out: Path) -> Path:
    model = make_model(
        [helper.make_node("Abs", ["x"], ["y"], name="abs")],
        [float_info("x", [2]), float_info("x", [2])], [float_info("y", [2])])
    return save(model, out / "duplicate-input.onnx")


CASES = [
    Case("truncated", "a valid model cut in half", "failed to parse ONNX model",
         truncated),
    Case("random-bytes", "4 KiB of random bytes",
         "failed to parse ONNX model", random_bytes),
    Case("empty", "an empty file", "file is empty", empty),
    Case("data-type-999", "an initializer with data_type 999",
         "unsupported tensor data type 999", data_type_999),
    Case("raw-data-size", "raw_data of 10 bytes for a 2x3 float tensor",
         "bytes", raw_data_size),
    Case("undefined-value", "a node reading a value nothing defines",
         "undefined value", undefined_value),
    Case("cycle", "two nodes reading each other's output", "cycle", cycle),
    Case("huge-input-dimension", "a graph input dimension of 2^40",
         "too large", huge_input_dimension),
    Case("huge-initializer-dimension",
         "an initializer with dims [2^40] and no data", "too large",
         huge_initializer_dimension),
    Case("negative-dimension", "an initializer with dims [-3]",
         "negative dimension", negative_dimension),
    Case("conv-group-string", "Conv's group given as a string",
         "attribute 'group'", conv_group_string),
    Case("transpose-perm-float", "Transpose's perm given as floats",
         "attribute 'perm'", transpose_perm_float),
    Case("external-absolute", "external data at an absolute path",
         "absolute", external_absolute),
    Case("external-parent", "external data at ../shared-weights.bin",
         "escapes the model's folder", external_parent),
    Case("external-offset-past-end",
         "external data whose offset lies past the end of its file",
         "past the end", external_offset_past_end),
    Case("external-length-past-end",
         "external data whose length runs past the end of its file",
         "past the end", external_length_past_end),
    Case("external-missing", "external data in a file that does not exist",
         "cannot open", external_missing),
    Case("external-symlink",
         "external data through a symlink that points outside the folder",
         "escapes the model's folder", external_symlink),
    Case("unknown-op", "a node of an op type no domain defines",
         "unsupported op", unknown_op),
    Case("opset-3", "default-domain opset 3 with legacy Add broadcasting",
         "opset", legacy_opset),
    Case("opset-future", "default-domain opset 100000", "opset",
         future_opset),
    Case("conv-one-input", "Conv with only its data input", "expects",
         conv_one_input),
    Case("sqrt-int32", "Sqrt on int32", "must be ranked tensor of floating-point values",
         sqrt_int32),
    Case("conv-zero-stride", "Conv with strides [0, 0]", "stride",
         conv_zero_stride),
    Case("transpose-perm-huge", "Transpose with 2^20 perm entries on rank 2",
         "perm", transpose_perm_huge),
    Case("flatten-axis-int64-min", "Flatten with axis -2^63",
         "out of range", flatten_axis_int64_min),
    Case("constant-of-shape-overflow",
         "ConstantOfShape of [2^32, 2^32, 2^32] elements", "too large",
         constant_of_shape_overflow),
    Case("split-no-outputs", "Split with no outputs", "expects",
         split_no_outputs),
    Case("depth-to-space-zero-block", "DepthToSpace with blocksize 0",
         "blocksize", depth_to_space_zero_block),
    Case("duplicate-output", "two nodes producing the same value",
         "produced more than once", duplicate_output),
    Case("output-never-produced", "a graph output no node produces",
         "is never produced", output_never_produced),
    Case("reshape-huge", "Reshape of 6 elements to [2^40, 2^40]", "too large",
         reshape_huge),
    Case("tile-huge", "Tile of a 2x3 tensor by [2^31, 2^31]", "too large",
         tile_huge),
    Case("duplicate-input", "two graph inputs with the same name",
         "declared twice", duplicate_input),
]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("outdir", type=Path,
                        help="folder to write into (created; must be empty "
                             "if it exists)")
    args = parser.parse_args()
    out: Path = args.outdir
    if out.exists() and any(out.iterdir()):
        parser.error(f"{out} exists and is not empty")
    out.mkdir(parents=True, exist_ok=True)

    manifest = []
    for case in CASES:
        model_path = case.write(out)
        manifest.append({"name": case.name,
                         "model": model_path.relative_to(out).as_posix(),
                         "expect": case.expect, "what": case.what})
    (out / "manifest.json").write_text(
        json.dumps({"cases": manifest}, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(manifest)} broken models to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
