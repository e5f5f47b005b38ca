#!/usr/bin/env python3
"""Writes Tamp's bundled example model: a small image classifier.

Usage: make_example_model.py OUTPUT.onnx

Conv + BatchNormalization + Relu, MaxPool, a strided Conv + Relu,
GlobalAveragePool, Flatten, Gemm and Softmax on a 1x3x32x32 input, with
seeded random weights, so that the README's main command and the install
test have a model without shipping a binary file.
"""

import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def build_model() -> onnx.ModelProto:
    rng = np.random.default_rng(seed=2026)

    def weight(name, *shape, scale=0.1):
        data = (rng.standard_normal(shape) * scale).astype(np.float32)
        return numpy_helper.from_array(data, name)

    initializers = [
        weight("conv1.weight", 16, 3, 3, 3),
        weight("conv1.bias", 16),
        numpy_helper.from_array(np.ones(16, np.float32) * 1.1, "bn1.scale"),
        weight("bn1.bias", 16),
        weight("bn1.mean", 16),
        numpy_helper.from_array(np.full(16, 0.9, np.float32), "bn1.var"),
        weight("conv2.weight", 32, 16, 3, 3),
        weight("conv2.bias", 32),
        weight("fc.weight", 10, 32),
        weight("fc.bias", 10),
    ]
    nodes = [
        helper.make_node("Conv", ["image", "conv1.weight", "conv1.bias"], ["c1"],
                         name="conv1", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization",
                         ["c1", "bn1.scale", "bn1.bias", "bn1.mean", "bn1.var"],
                         ["b1"], name="bn1", epsilon=1e-5),
        helper.make_node("Relu", ["b1"], ["r1"], name="relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "conv2.weight", "conv2.bias"], ["c2"],
                         name="conv2", kernel_shape=[3, 3], strides=[2, 2],
                         pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
        helper.make_node("GlobalAveragePool", ["r2"], ["g"], name="gap"),
        helper.make_node("Flatten", ["g"], ["f"], name="flatten", axis=1),
        helper.make_node("Gemm", ["f", "fc.weight", "fc.bias"], ["logits"],
                         name="fc", transB=1),
        helper.make_node("Softmax", ["logits"], ["probabilities"], name="softmax",
                         axis=1),
    ]
    graph = helper.make_graph(
        nodes, "tiny_cnn",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["batch", 3, 32, 32])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", 10])],
        initializers)
    model = helper.make_model(graph, producer_name="tamp-example",
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    return model


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    onnx.save(build_model(), sys.argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
