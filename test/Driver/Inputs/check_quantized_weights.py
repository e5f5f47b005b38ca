"""Weight-only quantization end to end: an MLP (MatMul + bias, ReLU, Gemm)
and a CNN (Conv, ReLU, ConvTranspose) are imported with `tamp import`,
quantized with `tamp-opt --tamp-quantize-weights=...`, compiled with
`tamp compile` and run with tamp-run. Their outputs must match numpy running
the same float graph on weights dequantized here from the artifact's packed
codes, scales and zero points (read from the quantized IR's resource blobs
and unpacked with numpy), so packing, unpacking, dequantization and its
fusion are checked together. GPTQ and AWQ runs get a `tamp.calibration`
written from numpy activations of the float MLP.

Usage: check_quantized_weights.py TAMP_BIN_DIR WORK_DIR

Prints `PASS name: ...` or `FAIL name: ...` per configuration.
"""

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper, numpy_helper

BIN = Path(sys.argv[1])
WORK = Path(sys.argv[2])
WORK.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(7)

# The MLP: y = relu(x W1 + b1) W2^T; W1 imports transposed, as [32, 64].
W1 = (rng.normal(size=(64, 32)) * 0.2).astype(np.float32)
B1 = (rng.normal(size=(32,)) * 0.1).astype(np.float32)
W2 = (rng.normal(size=(16, 32)) * 0.2).astype(np.float32)
# Correlated inputs with a few large channels, as calibration would see.
MIX = rng.normal(size=(64, 64)).astype(np.float32) * 0.3
SCALE = np.where(np.arange(64) % 9 == 0, 6.0, 1.0).astype(np.float32)


def mlp_inputs(count):
    z = rng.normal(size=(count, 64)).astype(np.float32)
    return ((z @ MIX + 0.2 * z) * SCALE).astype(np.float32)


def save_mlp(path):
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "W1"], ["h"], name="fc1"),
         helper.make_node("Add", ["h", "B1"], ["hb"], name="bias1"),
         helper.make_node("Relu", ["hb"], ["r"], name="relu"),
         helper.make_node("Gemm", ["r", "W2"], ["y"], transB=1, name="fc2")],
        "mlp", [helper.make_tensor_value_info("x", T.FLOAT, [8, 64])],
        [helper.make_tensor_value_info("y", T.FLOAT, [8, 16])],
        [numpy_helper.from_array(W1, "W1"), numpy_helper.from_array(B1, "B1"),
         numpy_helper.from_array(W2, "W2")])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]),
              path)


# The CNN: Conv [8, 3, 3, 3] (27 columns per output channel: a partial last
# group at group size 16), ReLU, ConvTranspose [8, 4, 2, 2] (output channels
# along dimension 1).
K1 = (rng.normal(size=(8, 3, 3, 3)) * 0.3).astype(np.float32)
C1 = (rng.normal(size=(8,)) * 0.1).astype(np.float32)
K2 = (rng.normal(size=(8, 4, 2, 2)) * 0.3).astype(np.float32)


def save_cnn(path):
    graph = helper.make_graph(
        [helper.make_node("Conv", ["x", "K1", "C1"], ["c"], pads=[1, 1, 1, 1],
                          name="conv"),
         helper.make_node("Relu", ["c"], ["r"], name="relu"),
         helper.make_node("ConvTranspose", ["r", "K2"], ["y"], strides=[2, 2],
                          name="deconv")],
        "cnn", [helper.make_tensor_value_info("x", T.FLOAT, [2, 3, 6, 6])],
        [helper.make_tensor_value_info("y", T.FLOAT, [2, 4, 12, 12])],
        [numpy_helper.from_array(K1, "K1"), numpy_helper.from_array(C1, "C1"),
         numpy_helper.from_array(K2, "K2")])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]),
              path)


def conv2d(x, k, bias, pad):
    n, c, h, w = x.shape
    o, _, kh, kw = k.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((n, o, h + 2 * pad - kh + 1, w + 2 * pad - kw + 1), np.float64)
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, :, i:i + out.shape[2], j:j + out.shape[3]]
            out += np.einsum("nchw,oc->nohw", patch, k[:, :, i, j])
    return out + bias[None, :, None, None]


def conv_transpose2d(x, k, stride):
    n, c, h, w = x.shape
    _, m, kh, kw = k.shape
    out = np.zeros((n, m, (h - 1) * stride + kh, (w - 1) * stride + kw), np.float64)
    for i in range(kh):
        for j in range(kw):
            out[:, :, i:i + stride * h:stride, j:j + stride * w:stride] += \
                np.einsum("nchw,cm->nmhw", x, k[:, :, i, j])
    return out


def run(*args):
    subprocess.run([str(a) for a in args], check=True)


def read_resources(text):
    """The quantized IR's resource blobs by name, without the alignment word."""
    blobs = {}
    for name, data in re.findall(r'^\s*([\w.]+): "0x([0-9A-F]*)"', text, re.M):
        blobs[name] = bytes.fromhex(data)[4:]
    return blobs


def constant_shape(text, name):
    match = re.search(r"dense_resource<%s> : tensor<([0-9x]+)x(\w+)>" % re.escape(name),
                      text)
    return [int(d) for d in match.group(1).split("x")], match.group(2)


def unpack(packed, count, bits, signed):
    """tamp.unpack_bits in numpy: little-endian bit streams per row."""
    rows = packed.reshape(-1, packed.shape[-1])
    stream = np.unpackbits(rows, axis=1, bitorder="little")[:, :count * bits]
    codes = (stream.reshape(len(rows), count, bits).astype(np.int64)
             << np.arange(bits)).sum(axis=2)
    if signed:
        codes = np.where(codes >= 1 << (bits - 1), codes - (1 << bits), codes)
    return codes.reshape(packed.shape[:-1] + (count,))


def dequantized_weight(text, blobs, name, shape, out_dim, bits, group, symmetric):
    """The weight that the artifact's codes, scales and zero points encode."""
    red_dim = 1 - out_dim if len(shape) >= 2 else 0
    order = [out_dim, red_dim] + [d for d in range(len(shape)) if d not in (out_dim, red_dim)]
    permuted = [shape[d] for d in order]
    rows, columns = permuted[0], int(np.prod(permuted[1:]))

    def codes_of(suffix, count):
        raw = np.frombuffer(blobs[f"{name}.{suffix}"], np.uint8)
        cshape, _ = constant_shape(text, f"{name}.{suffix}")
        raw = raw.reshape(cshape)
        if bits == 8:
            return raw.view(np.int8).astype(np.int64) if symmetric else raw.astype(np.int64)
        return unpack(raw, count, bits, symmetric)

    codes = codes_of("codes", columns)
    scales = np.frombuffer(blobs[f"{name}.scales"], np.float32)
    groups = 1 if group == 0 or group >= columns else -(-columns // group)
    scales = scales.reshape(rows, groups)
    per_column = np.arange(columns) // (columns if groups == 1 else group)
    values = codes.astype(np.float32)
    if not symmetric:
        zero_points = codes_of("zero_points", rows if groups == 1 else groups)
        values = values - zero_points.reshape(rows, groups)[:, per_column].astype(np.float32)
    values = (values * scales[:, per_column]).astype(np.float32)
    if f"{name}.awq_factors" in blobs:
        values = values * np.frombuffer(blobs[f"{name}.awq_factors"], np.float32)
    inverse = np.argsort(order)
    return values.reshape(permuted).transpose(inverse)


def calibrate_mlp(text):
    """Adds a tamp.calibration (hessian, abs_mean) to both linear layers."""
    x = mlp_inputs(256).astype(np.float64)
    hidden = np.maximum(x @ W1 + B1, 0)

    def stats(a):
        h = 2.0 * a.T @ a / len(a)
        dense = lambda v: np.array2string(np.asarray(v, np.float32), separator=", ",
                                          threshold=10**9, max_line_width=10**9)
        k = a.shape[1]
        return ("{tamp.calibration = {samples = %d : i64, hessian = dense<%s> : "
                "tensor<%dx%dxf32>, operand0 = {abs_mean = dense<%s> : tensor<%dxf32>}}}"
                % (len(a), dense(h), k, k, dense(np.abs(a).mean(0)), k))

    attrs = iter([stats(x), stats(hidden)])
    return re.sub(r"(tamp\.linear [^:]*) :", lambda m: f"{m.group(1)} {next(attrs)} :",
                  text)


def check(name, model, options, weights, reference, inputs, calibrate=False):
    base = WORK / f"{model}.mlir"
    quantized = WORK / f"{name}.mlir"
    source = base
    if calibrate:
        source = WORK / f"{name}.calibrated.mlir"
        source.write_text(calibrate_mlp(base.read_text()))
    run(BIN / "tamp-opt", source, f"--tamp-quantize-weights={options}", "-o", quantized)
    run(BIN / "tamp", "compile", quantized, "-o", WORK / f"{name}.so")
    np.save(WORK / f"{name}.x.npy", inputs)
    run(BIN / "tamp-run", WORK / f"{name}.so", WORK / f"{name}.x.npy",
        "--output-dir", WORK / name)
    got = np.load(WORK / name / "y.npy")

    text = quantized.read_text()
    blobs = read_resources(text)
    opts = dict(o.split("=") for o in options.split())
    bits, group = int(opts.get("bits", 4)), int(opts.get("group-size", 0))
    symmetric = opts.get("symmetric", "false") == "true"
    dequantized = {}
    for weight, (original, out_dim) in weights.items():
        if any(n == weight for n in blobs):
            print(f"FAIL {name}: the float weight {weight} is still in the artifact")
            return
        dequantized[weight] = dequantized_weight(text, blobs, weight, list(original.shape),
                                                 out_dim, bits, group, symmetric)
    expected = reference(inputs.astype(np.float64), dequantized)
    error = np.abs(got - expected).max()
    scale = np.abs(expected).max()
    drift = max(np.abs(dequantized[w] - o).max() / np.abs(o).max()
                for w, (o, _) in weights.items())
    if error > 1e-5 * max(scale, 1.0):
        print(f"FAIL {name}: max |tamp - numpy| = {error:g} (outputs up to {scale:g})")
    elif drift > 0.6:
        print(f"FAIL {name}: dequantized weights differ from the float ones by {drift:g}")
    else:
        print(f"PASS {name}: outputs match numpy on the dequantized weights")


save_mlp(WORK / "mlp.onnx")
save_cnn(WORK / "cnn.onnx")
run(BIN / "tamp", "import", WORK / "mlp.onnx", "-o", WORK / "mlp.mlir")
run(BIN / "tamp", "import", WORK / "cnn.onnx", "-o", WORK / "cnn.mlir")

mlp_weights = {"W1.T": (W1.T, 0), "W2": (W2, 0)}
mlp_reference = lambda x, w: np.maximum(x @ w["W1.T"].T.astype(np.float64) + B1, 0) @ \
    w["W2"].T.astype(np.float64)
cnn_weights = {"K1": (K1, 0), "K2": (K2, 1)}
cnn_reference = lambda x, w: conv_transpose2d(
    np.maximum(conv2d(x, w["K1"].astype(np.float64), C1, 1), 0),
    w["K2"].astype(np.float64), 2)

mlp_x = mlp_inputs(8)
cnn_x = rng.normal(size=(2, 3, 6, 6)).astype(np.float32)
for options in ["bits=4 group-size=16", "bits=4 symmetric=true", "bits=3 group-size=32",
                "bits=3 symmetric=true group-size=16", "bits=2", "bits=8 group-size=32",
                "bits=8 symmetric=true"]:
    name = "mlp_rtn_" + options.replace(" ", "_").replace("=", "")
    check(name, "mlp", options, mlp_weights, mlp_reference, mlp_x)
for options in ["bits=4 group-size=16", "bits=3 symmetric=true", "bits=2 group-size=8"]:
    name = "cnn_rtn_" + options.replace(" ", "_").replace("=", "")
    check(name, "cnn", options, cnn_weights, cnn_reference, cnn_x)
for options in ["bits=4 group-size=16 method=gptq", "bits=3 method=gptq gptq-act-order=false",
                "bits=4 group-size=32 method=awq", "bits=3 symmetric=true method=awq"]:
    name = "mlp_" + options.replace(" ", "_").replace("=", "")
    check(name, "mlp", options, mlp_weights, mlp_reference, mlp_x, calibrate=True)
