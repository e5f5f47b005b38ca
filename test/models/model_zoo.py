"""Models shaped like real ones, built with the onnx helpers.

Random weights (seeded, He-scaled so activations stay in range) stand in for
trained ones: the model tests and benchmarks compare Tamp with onnxruntime on
the same graph, so only the shapes and the op mix matter. Every builder takes
`batch`: an int for a static batch size, or None for a dynamic one. The CNNs
also take `image_size` and bert4 its `sequence` length, for smaller variants
of the same architecture.

  mlp            784 -> 512 -> 256 -> 10 with Gemm, ReLU and Softmax
  resnet18       ResNet-18 at 224x224: conv/BN/ReLU, max pool, basic blocks
                 with 1x1 downsampling, global average pool, Gemm
  mobilenetv2    MobileNetV2 at 224x224: inverted residuals with depthwise
                 3x3 convs and ReLU6 (Clip), 1x1 projections, residual adds
  bert4          4-layer BERT-style encoder (sequence 128, hidden 256, 4 heads):
                 embeddings (Gather) + LayerNorm, attention through
                 MatMul/Softmax with an additive mask, GELU (Erf) FFN
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
# The IR version that goes with opset 17; onnxruntime rejects newer ones
# than it knows.
IR_VERSION = 8


class GraphBuilder:
    """Appends nodes and initializers with unique names."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self.counter = 0

    def name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}_{self.counter}"

    def constant(self, prefix: str, value: np.ndarray) -> str:
        name = self.name(prefix)
        self.initializers.append(numpy_helper.from_array(value, name))
        return name

    def weight(self, prefix: str, shape: tuple[int, ...], fan_in: int,
               gain: float = 2.0) -> str:
        scale = math.sqrt(gain / fan_in)
        return self.constant(
            prefix, (self.rng.standard_normal(shape) * scale).astype(np.float32))

    def uniform(self, prefix: str, shape: tuple[int, ...], low: float,
                high: float) -> str:
        return self.constant(
            prefix, self.rng.uniform(low, high, shape).astype(np.float32))

    def node(self, op: str, inputs: list[str], prefix: str | None = None,
             outputs: int = 1, **attributes) -> str | list[str]:
        base = self.name(prefix or op.lower())
        names = [base] if outputs == 1 else [f"{base}_{i}" for i in range(outputs)]
        self.nodes.append(helper.make_node(op, inputs, names, name=base,
                                           **attributes))
        return names[0] if outputs == 1 else names

    def model(self, name: str, inputs: list[onnx.ValueInfoProto],
              outputs: list[onnx.ValueInfoProto]) -> onnx.ModelProto:
        graph = helper.make_graph(self.nodes, name, inputs, outputs,
                                  self.initializers)
        model = helper.make_model(
            graph, producer_name="tamp-model-zoo",
            opset_imports=[helper.make_opsetid("", OPSET)])
        model.ir_version = IR_VERSION
        onnx.checker.check_model(model)
        return model


def _dim(batch: int | None) -> int | str:
    return "batch" if batch is None else batch


# --------------------------------------------------------------------------
# MLP
# --------------------------------------------------------------------------


def mlp(batch: int | None = 1) -> onnx.ModelProto:
    g = GraphBuilder(seed=1)
    x = "input"
    sizes = [784, 512, 256, 10]
    for index, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:])):
        w = g.weight("fc_w", (fan_out, fan_in), fan_in)
        b = g.uniform("fc_b", (fan_out,), -0.1, 0.1)
        x = g.node("Gemm", [x, w, b], "fc", transB=1)
        if index + 2 < len(sizes):
            x = g.node("Relu", [x])
    g.node("Softmax", [x], "probabilities", axis=-1)
    out = g.nodes[-1].output[0]
    return g.model(
        "mlp",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT,
                                       [_dim(batch), 784])],
        [helper.make_tensor_value_info(out, TensorProto.FLOAT,
                                       [_dim(batch), 10])])


# --------------------------------------------------------------------------
# CNNs
# --------------------------------------------------------------------------


def _conv_bn(g: GraphBuilder, x: str, in_channels: int, out_channels: int,
             kernel: int, stride: int, groups: int = 1,
             activation: str | None = "relu") -> str:
    fan_in = in_channels // groups * kernel * kernel
    w = g.weight("conv_w", (out_channels, in_channels // groups, kernel, kernel),
                 fan_in)
    pad = kernel // 2
    x = g.node("Conv", [x, w], "conv", kernel_shape=[kernel, kernel],
               strides=[stride, stride], pads=[pad] * 4, group=groups)
    scale = g.uniform("bn_scale", (out_channels,), 0.5, 1.5)
    bias = g.uniform("bn_bias", (out_channels,), -0.2, 0.2)
    mean = g.uniform("bn_mean", (out_channels,), -0.2, 0.2)
    var = g.uniform("bn_var", (out_channels,), 0.5, 1.5)
    x = g.node("BatchNormalization", [x, scale, bias, mean, var], "bn",
               epsilon=1e-5)
    if activation == "relu":
        x = g.node("Relu", [x])
    elif activation == "relu6":
        low = g.constant("relu6_min", np.array(0.0, np.float32))
        high = g.constant("relu6_max", np.array(6.0, np.float32))
        x = g.node("Clip", [x, low, high], "relu6")
    return x


def _classifier(g: GraphBuilder, x: str, channels: int, classes: int) -> str:
    x = g.node("GlobalAveragePool", [x])
    x = g.node("Flatten", [x], axis=1)
    w = g.weight("fc_w", (classes, channels), channels, gain=1.0)
    b = g.uniform("fc_b", (classes,), -0.1, 0.1)
    return g.node("Gemm", [x, w, b], "logits", transB=1)


def _image_model(g: GraphBuilder, name: str, x: str, batch: int | None,
                 classes: int, image_size: int) -> onnx.ModelProto:
    return g.model(
        name,
        [helper.make_tensor_value_info(
            "image", TensorProto.FLOAT,
            [_dim(batch), 3, image_size, image_size])],
        [helper.make_tensor_value_info(x, TensorProto.FLOAT,
                                       [_dim(batch), classes])])


def resnet18(batch: int | None = 1, image_size: int = 224) -> onnx.ModelProto:
    g = GraphBuilder(seed=18)
    x = _conv_bn(g, "image", 3, 64, 7, 2)
    x = g.node("MaxPool", [x], "maxpool", kernel_shape=[3, 3], strides=[2, 2],
               pads=[1, 1, 1, 1])
    channels = 64
    for stage, width in enumerate([64, 128, 256, 512]):
        for block in range(2):
            stride = 2 if stage > 0 and block == 0 else 1
            shortcut = x
            y = _conv_bn(g, x, channels, width, 3, stride)
            y = _conv_bn(g, y, width, width, 3, 1, activation=None)
            if stride != 1 or channels != width:
                shortcut = _conv_bn(g, x, channels, width, 1, stride,
                                    activation=None)
            x = g.node("Relu", [g.node("Add", [y, shortcut])])
            channels = width
    return _image_model(g, "resnet18", _classifier(g, x, 512, 1000), batch,
                        1000, image_size)


def mobilenetv2(batch: int | None = 1,
                image_size: int = 224) -> onnx.ModelProto:
    g = GraphBuilder(seed=2)
    x = _conv_bn(g, "image", 3, 32, 3, 2, activation="relu6")
    channels = 32
    # (expansion t, output channels c, repeats n, first stride s)
    for t, c, n, s in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2),
                       (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
                       (6, 320, 1, 1)]:
        for index in range(n):
            stride = s if index == 0 else 1
            hidden = channels * t
            y = x
            if t != 1:
                y = _conv_bn(g, y, channels, hidden, 1, 1, activation="relu6")
            y = _conv_bn(g, y, hidden, hidden, 3, stride, groups=hidden,
                         activation="relu6")
            y = _conv_bn(g, y, hidden, c, 1, 1, activation=None)
            x = g.node("Add", [x, y]) if stride == 1 and channels == c else y
            channels = c
    x = _conv_bn(g, x, channels, 1280, 1, 1, activation="relu6")
    return _image_model(g, "mobilenetv2", _classifier(g, x, 1280, 1000),
                        batch, 1000, image_size)


# --------------------------------------------------------------------------
# BERT-style encoder
# --------------------------------------------------------------------------


def _layer_norm(g: GraphBuilder, x: str, hidden: int) -> str:
    scale = g.uniform("ln_scale", (hidden,), 0.8, 1.2)
    bias = g.uniform("ln_bias", (hidden,), -0.1, 0.1)
    return g.node("LayerNormalization", [x, scale, bias], "layernorm",
                  axis=-1, epsilon=1e-12)


def _dense(g: GraphBuilder, x: str, fan_in: int, fan_out: int) -> str:
    w = g.weight("dense_w", (fan_in, fan_out), fan_in, gain=1.0)
    b = g.uniform("dense_b", (fan_out,), -0.05, 0.05)
    return g.node("Add", [g.node("MatMul", [x, w]), b], "dense")


def bert4(batch: int | None = 1, sequence: int = 128, hidden: int = 256,
          heads: int = 4, layers: int = 4, vocab: int = 8000) -> onnx.ModelProto:
    g = GraphBuilder(seed=4)
    head_size = hidden // heads
    words = g.uniform("word_embeddings", (vocab, hidden), -0.5, 0.5)
    positions = g.uniform("position_embeddings", (sequence, hidden), -0.5, 0.5)
    x = g.node("Add", [g.node("Gather", [words, "input_ids"], axis=0),
                       positions], "embeddings")
    x = _layer_norm(g, x, hidden)

    # Additive mask: 0 where attended, -10000 where masked, [N, 1, 1, S].
    mask = g.node("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    one = g.constant("one", np.array(1.0, np.float32))
    penalty = g.constant("penalty", np.array(-10000.0, np.float32))
    mask = g.node("Mul", [g.node("Sub", [one, mask]), penalty])
    mask = g.node("Unsqueeze", [mask, g.constant("axes", np.array([1, 2]))],
                  "mask")
    split_shape = g.constant("split_heads", np.array([0, 0, heads, head_size]))
    merge_shape = g.constant("merge_heads", np.array([0, 0, hidden]))
    inv_sqrt = g.constant("inv_sqrt_d", np.array(1.0 / math.sqrt(head_size),
                                                 np.float32))
    sqrt2 = g.constant("sqrt2", np.array(math.sqrt(2.0), np.float32))
    half = g.constant("half", np.array(0.5, np.float32))

    for _ in range(layers):
        def heads_of(value: str, perm: list[int]) -> str:
            return g.node("Transpose", [g.node("Reshape", [value, split_shape])],
                          perm=perm)
        q = heads_of(_dense(g, x, hidden, hidden), [0, 2, 1, 3])
        k = heads_of(_dense(g, x, hidden, hidden), [0, 2, 3, 1])
        v = heads_of(_dense(g, x, hidden, hidden), [0, 2, 1, 3])
        scores = g.node("Mul", [g.node("MatMul", [q, k]), inv_sqrt])
        probs = g.node("Softmax", [g.node("Add", [scores, mask])], axis=-1)
        context = g.node("Transpose", [g.node("MatMul", [probs, v])],
                         perm=[0, 2, 1, 3])
        context = g.node("Reshape", [context, merge_shape])
        x = _layer_norm(g, g.node("Add", [_dense(g, context, hidden, hidden),
                                          x]), hidden)
        # GELU as exporters write it: 0.5 * x * (1 + erf(x / sqrt(2))).
        h = _dense(g, x, hidden, 4 * hidden)
        erf = g.node("Erf", [g.node("Div", [h, sqrt2])])
        h = g.node("Mul", [g.node("Mul", [h, g.node("Add", [erf, one])]), half],
                   "gelu")
        x = _layer_norm(g, g.node("Add", [_dense(g, h, 4 * hidden, hidden), x]),
                        hidden)
    return g.model(
        "bert4",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64,
                                       [_dim(batch), sequence]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64,
                                       [_dim(batch), sequence])],
        [helper.make_tensor_value_info(x, TensorProto.FLOAT,
                                       [_dim(batch), sequence, hidden])])


MODELS: dict[str, Callable[[int | None], onnx.ModelProto]] = {
    "mlp": mlp,
    "resnet18": resnet18,
    "mobilenetv2": mobilenetv2,
    "bert4": bert4,
}


def random_inputs(model: onnx.ModelProto, batch: int,
                  seed: int = 0) -> dict[str, np.ndarray]:
    """Inputs for `model` at `batch`: normal floats, valid token ids, and an
    attention mask whose tail is masked out."""
    rng = np.random.default_rng(seed)
    feeds = {}
    for info in model.graph.input:
        dims = [batch if (d.dim_param or not d.HasField("dim_value"))
                else d.dim_value for d in info.type.tensor_type.shape.dim]
        if info.name == "input_ids":
            feeds[info.name] = rng.integers(0, 8000, dims, dtype=np.int64)
        elif info.name == "attention_mask":
            mask = np.ones(dims, np.int64)
            mask[:, dims[1] * 3 // 4:] = 0
            feeds[info.name] = mask
        else:
            feeds[info.name] = rng.standard_normal(dims).astype(np.float32)
    return feeds
