"""Writes com.microsoft MatMulNBits models into a folder, one per case.

The packed weights are built from known codes, so that the lit test can
check the unpacked weight that Tamp imports. Codes are packed low bits
first along K within each block, as onnxruntime's MatMulNBits expects.

Usage: make_matmulnbits_models.py OUTPUT_DIR
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def pack(codes, bits):
    """Packs unsigned codes along the last axis, low bits first."""
    per_byte = 8 // bits
    codes = np.asarray(codes, dtype=np.uint16)
    pad = (-codes.shape[-1]) % per_byte
    if pad:
        codes = np.concatenate(
            [codes, np.zeros(codes.shape[:-1] + (pad,), np.uint16)], axis=-1)
    grouped = codes.reshape(codes.shape[:-1] + (-1, per_byte))
    packed = np.zeros(grouped.shape[:-1], np.uint16)
    for i in range(per_byte):
        packed |= grouped[..., i] << (i * bits)
    return packed.astype(np.uint8)


def pack_weight(codes, bits, block_size):
    """[N, K] codes -> B [N, n_blocks, blob_size]; the padding codes are 15s
    (masked to the bit width), which Tamp must drop."""
    n, k = codes.shape
    blocks = -(-k // block_size)
    padded = np.full((n, blocks * block_size), 15 & ((1 << bits) - 1))
    padded[:, :k] = codes
    return pack(padded.reshape(n, blocks, block_size), bits)


def save(path, inputs, initializers, attributes, a_shape=None,
         a_type=TensorProto.FLOAT, runtime_inputs=()):
    """One MatMulNBits node reading graph input `a`, the initializers and
    `runtime_inputs` ((name, shape) pairs of uint8 graph inputs)."""
    k, n = attributes["K"], attributes["N"]
    a_shape = a_shape or [3, k]
    node = helper.make_node("MatMulNBits", inputs, ["y"], domain="com.microsoft",
                            **attributes)
    graph_inputs = [helper.make_tensor_value_info("a", a_type, a_shape)]
    graph_inputs += [helper.make_tensor_value_info(name, TensorProto.UINT8, shape)
                     for name, shape in runtime_inputs]
    graph = helper.make_graph(
        [node], "nbits", graph_inputs,
        [helper.make_tensor_value_info("y", a_type, a_shape[:-1] + [n])],
        initializers)
    model = helper.make_model(
        graph, ir_version=10,
        opset_imports=[helper.make_opsetid("", 21),
                       helper.make_opsetid("com.microsoft", 1)])
    onnx.save(model, path)


def tensor(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def main() -> int:
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    path = lambda name: os.path.join(out, name + ".onnx")

    # 4 bits, K = 20 in blocks of 16 (the second block padded), no zero
    # points: codes (n * K + k) % 16, stored as code - 8 in i4.
    k, n = 20, 2
    codes = np.array([[(row * k + col) % 16 for col in range(k)] for row in range(n)])
    scales = np.array([[0.5, 0.25], [1.0, 2.0]], np.float32)
    attrs = dict(K=k, N=n, bits=4, block_size=16)
    save(path("symmetric"), ["a", "b", "scales", "", "", "bias"],
         [tensor("b", pack_weight(codes, 4, 16)), tensor("scales", scales),
          tensor("bias", np.array([1.0, -1.0], np.float32))], attrs)

    # Packed uint8 zero points, two 4-bit ones per byte: (3, 12) and (5, 6).
    zero_points = pack(np.array([[3, 12], [5, 6]]), 4)
    save(path("packed-zero-points"), ["a", "b", "scales", "zp"],
         [tensor("b", pack_weight(codes, 4, 16)), tensor("scales", scales),
          tensor("zp", zero_points)], dict(attrs, accuracy_level=4))

    # Integral float zero points become unsigned ones; A is 3-D.
    save(path("float-zero-points"), ["a", "b", "scales", "zp"],
         [tensor("b", pack_weight(codes, 4, 16)), tensor("scales", scales),
          tensor("zp", np.array([[8, 7], [0, 15]], np.float32))], attrs,
         a_shape=[2, 3, k])

    # Fractional float zero points (2-bit levels centred at 1.5) are
    # subtracted after dequantization.
    codes2 = np.array([[col % 4 for col in range(16)]])
    save(path("fractional-zero-points"), ["a", "b", "scales", "zp"],
         [tensor("b", pack_weight(codes2, 2, 16)),
          tensor("scales", np.array([[0.5]], np.float32)),
          tensor("zp", np.array([[1.5]], np.float32))],
         dict(K=16, N=1, bits=2, block_size=16))

    # K = 40 in blocks of 16: the per-element zero points are cut to K.
    codes40 = np.zeros((1, 40), np.int64)
    save(path("fractional-zero-points-padded"), ["a", "b", "scales", "zp"],
         [tensor("b", pack_weight(codes40, 4, 16)),
          tensor("scales", np.array([[1.0, 1.0, 1.0]], np.float32)),
          tensor("zp", np.array([[7.5, 7.5, 7.5]], np.float32))],
         dict(K=40, N=1, bits=4, block_size=16))

    # 2 bits without zero points: code - 2 in i2.
    save(path("two-bit"), ["a", "b", "scales"],
         [tensor("b", pack_weight(codes2, 2, 16)),
          tensor("scales", np.array([[0.5]], np.float32))],
         dict(K=16, N=1, bits=2, block_size=16))

    # 8 bits, scales in the older flat [N * n_blocks] form, float16, and a
    # trivial g_idx.
    codes8 = np.array([[0, 1, 127, 128, 129, 255] + [128] * 10,
                       [200] * 16], np.int64)
    save(path("eight-bit"), ["a", "b", "scales", "", "g_idx"],
         [tensor("b", pack_weight(codes8, 8, 16)),
          tensor("scales", np.array([0.5, 0.25], np.float16)),
          tensor("g_idx", np.zeros(16, np.int32))],
         dict(K=16, N=2, bits=8, block_size=16), a_type=TensorProto.FLOAT16)

    # Weights and flat scales above the inline element limit live in
    # dense_resource blobs.
    k64, n32 = 64, 32
    codes64 = np.array([[(row + col) % 16 for col in range(k64)] for row in range(n32)])
    save(path("resource"), ["a", "b", "scales", "zp"],
         [tensor("b", pack_weight(codes64, 4, 16)),
          tensor("scales", np.linspace(0.5, 1.0, n32 * 4, dtype=np.float32)),
          tensor("zp", pack(np.full((n32, 4), 8), 4))],
         dict(K=k64, N=n32, bits=4, block_size=16))

    # Diagnostics.
    weight = tensor("b", pack_weight(codes, 4, 16))
    good = [weight, tensor("scales", scales)]
    save(path("bits"), ["a", "b", "scales"], good, dict(attrs, bits=3))
    save(path("block-size"), ["a", "b", "scales"], good, dict(attrs, block_size=24))
    save(path("sizes"), ["a", "b", "scales"], good, dict(attrs, K=0))
    save(path("accuracy-level"), ["a", "b", "scales"], good,
         dict(attrs, accuracy_level=5))
    save(path("prepacked"), ["a", "b", "scales"], good, dict(attrs, weight_prepacked=1))
    save(path("b-shape"), ["a", "b", "scales"],
         [tensor("b", np.zeros((2, 16), np.uint8)), tensor("scales", scales)], attrs)
    save(path("b-runtime"), ["a", "b", "scales"], [tensor("scales", scales)],
         attrs, runtime_inputs=[("b", [2, 2, 8])])
    save(path("scales-type"), ["a", "b", "scales"],
         [weight, tensor("scales", scales.astype(np.float16))], attrs)
    save(path("scales-shape"), ["a", "b", "scales"],
         [weight, tensor("scales", np.ones(3, np.float32))], attrs)
    save(path("zero-points-type"), ["a", "b", "scales", "zp"],
         good + [tensor("zp", np.zeros((2, 2), np.int8))], attrs)
    save(path("zero-points-runtime"), ["a", "b", "scales", "zp"], good, attrs,
         runtime_inputs=[("zp", [2, 1])])
    save(path("zero-points-shape"), ["a", "b", "scales", "zp"],
         good + [tensor("zp", np.zeros((2, 2), np.uint8))], attrs)
    save(path("g-idx"), ["a", "b", "scales", "", "g_idx"],
         good + [tensor("g_idx", np.array([1, 0] + [0] * 18, np.int32))], attrs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
