"""Numerical check of static W8A8 and dynamic int8 quantization end to end.

  quantized_models.py write MODEL OUT.mlir   float tamp IR with weights and a
                                             tamp.calibration computed here
  quantized_models.py check MODEL LIB.so     runs the compiled quantized model

`check` compares the library's outputs with (1) a numpy emulation of the
integer arithmetic that tamp-quantize and the lowering define (exactly), and
(2) the float model (a small error). MODEL is `cnn` (conv + relu + max pool,
depthwise conv + relu, flatten, linear) or `attention` (two linear
projections, a transpose and an activation-by-activation batch matmul), both
for tamp-quantize, or `mlp` (two linear layers with a ReLU between) for
tamp-quantize-dynamic.
"""

import math
import sys

import numpy as np

# --- The models, in float -------------------------------------------------

rng = np.random.default_rng(7)
CNN = {
    "w1": rng.normal(0, 0.3, (8, 3, 3, 3)).astype(np.float32),
    "b1": rng.normal(0, 0.1, 8).astype(np.float32),
    "w2": rng.normal(0, 0.3, (8, 1, 3, 3)).astype(np.float32),
    "b2": rng.normal(0, 0.1, 8).astype(np.float32),
    "fc": rng.normal(0, 0.2, (10, 128)).astype(np.float32),
    "fb": rng.normal(0, 0.1, 10).astype(np.float32),
}
MLP = {
    "w1": rng.normal(0, 0.2, (16, 32)).astype(np.float32),
    "b1": rng.normal(0, 0.1, 16).astype(np.float32),
    "w2": rng.normal(0, 0.3, (10, 16)).astype(np.float32),
    "b2": rng.normal(0, 0.1, 10).astype(np.float32),
}
ATTENTION = {
    "wq": rng.normal(0, 0.25, (16, 16)).astype(np.float32),
    "bq": rng.normal(0, 0.1, 16).astype(np.float32),
    "wk": rng.normal(0, 0.25, (16, 16)).astype(np.float32),
}


def conv2d(x, w, b, pad, group):
    n, c, h, wd = x.shape
    m, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = h + 2 * pad - kh + 1, wd + 2 * pad - kw + 1
    out = np.zeros((n, m, oh, ow), dtype=np.result_type(x, w))
    per_group = m // group
    for o in range(m):
        g = o // per_group
        for i in range(kh):
            for j in range(kw):
                patch = xp[:, g * cg:(g + 1) * cg, i:i + oh, j:j + ow]
                out[:, o] += np.einsum("nchw,c->nhw", patch, w[o, :, i, j])
    if b is not None:
        out += b.reshape(1, -1, 1, 1)
    return out


def max_pool2(x):
    n, c, h, w = x.shape
    return x.reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))


def cnn_float(x, observe=None):
    p = CNN
    a1 = x
    y1 = np.maximum(conv2d(a1, p["w1"], p["b1"], 1, 1), 0)
    a2 = max_pool2(y1)
    y2 = np.maximum(conv2d(a2, p["w2"], p["b2"], 1, 8), 0)
    a3 = y2.reshape(x.shape[0], -1)
    if observe is not None:
        observe.append({"conv1.0": a1, "conv2.0": a2, "fc.0": a3})
    return {"y": a3 @ p["fc"].T + p["fb"]}


def attention_float(x, observe=None):
    p = ATTENTION
    q = x @ p["wq"].T + p["bq"]
    k = x @ p["wk"].T
    if observe is not None:
        observe.append({"q.0": x, "k.0": x, "s.0": q, "s.1": k.transpose(0, 2, 1)})
    return {"s": q @ k.transpose(0, 2, 1)}


def mlp_float(x):
    p = MLP
    h = np.maximum(x @ p["w1"].T + p["b1"], 0)
    return {"y": h @ p["w2"].T + p["b2"]}


def inputs(model, count, seed):
    r = np.random.default_rng(seed)
    shape = {"cnn": (2, 3, 8, 8), "attention": (2, 6, 16), "mlp": (4, 32)}[model]
    return [r.normal(0, 1, shape).astype(np.float32) for _ in range(count)]


def calibration(model):
    """minmax ranges of every quantized op's activation operands."""
    observed = []
    run = cnn_float if model == "cnn" else attention_float
    for x in inputs(model, 8, seed=1):
        run(x, observed)
    return {key: (float(min(o[key].min() for o in observed)),
                  float(max(o[key].max() for o in observed)))
            for key in observed[0]}


# --- Writing the float tamp IR ---------------------------------------------

def dense(array):
    return "dense<" + np.array2string(
        array, separator=", ", threshold=1 << 20, floatmode="unique",
        max_line_width=1 << 20) + ">"


def tensor_type(shape, element="f32"):
    return "tensor<" + "x".join(str(s) for s in shape) + "x" + element + ">"


def calib_attr(ranges, op, operands):
    parts = ["samples = 8 : i64"]
    for index in operands:
        lo, hi = ranges[f"{op}.{index}"]
        parts.append(f"operand{index} = {{minmax = array<f64: {lo!r}, {hi!r}>}}")
    return "tamp.calibration = {" + ", ".join(parts) + "}"


def write(model, path):
    if model == "mlp":
        p = MLP
        text = f"""
func.func @qmlp(%x: tensor<4x32xf32> {{tamp.name = "x"}}) -> (tensor<4x10xf32> {{tamp.name = "y"}}) {{
  %w1 = arith.constant {dense(p["w1"])} : tensor<16x32xf32>
  %b1 = arith.constant {dense(p["b1"])} : tensor<16xf32>
  %h = tamp.linear %x, %w1, %b1 : (tensor<4x32xf32>, tensor<16x32xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  %r = tamp.clamp %h {{min = 0.0 : f64}} : tensor<4x16xf32>
  %w2 = arith.constant {dense(p["w2"])} : tensor<10x16xf32>
  %b2 = arith.constant {dense(p["b2"])} : tensor<10xf32>
  %y = tamp.linear %r, %w2, %b2 : (tensor<4x16xf32>, tensor<10x16xf32>, tensor<10xf32>) -> tensor<4x10xf32>
  return %y : tensor<4x10xf32>
}}
"""
        with open(path, "w") as f:
            f.write(text)
        return
    ranges = calibration(model)
    if model == "cnn":
        p = CNN
        text = f"""
func.func @qcnn(%x: tensor<2x3x8x8xf32> {{tamp.name = "x"}}) -> (tensor<2x10xf32> {{tamp.name = "y"}}) {{
  %w1 = arith.constant {dense(p["w1"])} : {tensor_type(p["w1"].shape)}
  %b1 = arith.constant {dense(p["b1"])} : tensor<8xf32>
  %c1 = tamp.conv %x, %w1, %b1 {{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, {calib_attr(ranges, "conv1", [0])}}}
      : (tensor<2x3x8x8xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<2x8x8x8xf32>
  %r1 = tamp.clamp %c1 {{min = 0.0 : f64}} : tensor<2x8x8x8xf32>
  %p1 = tamp.max_pool %r1 {{kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>}}
      : (tensor<2x8x8x8xf32>) -> tensor<2x8x4x4xf32>
  %w2 = arith.constant {dense(p["w2"])} : {tensor_type(p["w2"].shape)}
  %b2 = arith.constant {dense(p["b2"])} : tensor<8xf32>
  %c2 = tamp.conv %p1, %w2, %b2 {{group = 8 : i64, strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, {calib_attr(ranges, "conv2", [0])}}}
      : (tensor<2x8x4x4xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>) -> tensor<2x8x4x4xf32>
  %r2 = tamp.clamp %c2 {{min = 0.0 : f64}} : tensor<2x8x4x4xf32>
  %shape = arith.constant dense<[2, 128]> : tensor<2xi64>
  %flat = tamp.reshape %r2, %shape : (tensor<2x8x4x4xf32>, tensor<2xi64>) -> tensor<2x128xf32>
  %fc = arith.constant {dense(p["fc"])} : tensor<10x128xf32>
  %fb = arith.constant {dense(p["fb"])} : tensor<10xf32>
  %y = tamp.linear %flat, %fc, %fb {{{calib_attr(ranges, "fc", [0])}}}
      : (tensor<2x128xf32>, tensor<10x128xf32>, tensor<10xf32>) -> tensor<2x10xf32>
  return %y : tensor<2x10xf32>
}}
"""
    else:
        p = ATTENTION
        text = f"""
func.func @qattention(%x: tensor<2x6x16xf32> {{tamp.name = "x"}}) -> (tensor<2x6x6xf32> {{tamp.name = "s"}}) {{
  %wq = arith.constant {dense(p["wq"])} : tensor<16x16xf32>
  %bq = arith.constant {dense(p["bq"])} : tensor<16xf32>
  %q = tamp.linear %x, %wq, %bq {{{calib_attr(ranges, "q", [0])}}}
      : (tensor<2x6x16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<2x6x16xf32>
  %wk = arith.constant {dense(p["wk"])} : tensor<16x16xf32>
  %k = tamp.linear %x, %wk {{{calib_attr(ranges, "k", [0])}}}
      : (tensor<2x6x16xf32>, tensor<16x16xf32>) -> tensor<2x6x16xf32>
  %kt = tamp.transpose %k {{perm = array<i64: 0, 2, 1>}} : (tensor<2x6x16xf32>) -> tensor<2x16x6xf32>
  %s = tamp.matmul %q, %kt {{{calib_attr(ranges, "s", [0, 1])}}}
      : (tensor<2x6x16xf32>, tensor<2x16x6xf32>) -> tensor<2x6x6xf32>
  return %s : tensor<2x6x6xf32>
}}
"""
    with open(path, "w") as f:
        f.write(text)


# --- The integer arithmetic, emulated --------------------------------------

def act_params(lo, hi):
    """u8 asymmetric, as getActivationQuantizedType computes it."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    scale = (hi - lo) / 255.0
    if not scale > 0:
        scale = 1.0
    scale = float(np.float32(scale))
    zp = int(np.clip(np.rint(0 - lo / scale), 0, 255))
    return scale, zp


def quantize(x, scale, zp):
    q = np.rint(x.astype(np.float32) / np.float32(scale)) + np.float32(zp)
    return np.clip(q, 0, 255).astype(np.int64)


def weight_params(w):
    flat = np.abs(w.reshape(w.shape[0], -1).astype(np.float64)).max(axis=1)
    scales = np.array([float(np.float32(m / 127.0)) for m in flat])
    scales[scales == 0] = 1.0
    shape = (-1,) + (1,) * (w.ndim - 1)
    q = np.clip(np.rint(w.astype(np.float64) / scales.reshape(shape)), -127, 127)
    return q.astype(np.int64), scales


def quantize_bias(b, s_in, s_w):
    return np.rint(b.astype(np.float64) / (s_in * s_w)).astype(np.int64)


def fixed_point(ratio):
    mantissa, exponent = math.frexp(ratio)
    multiplier = int(round(mantissa * (1 << 31)))  # ties are impossible here
    if multiplier == 1 << 31:
        multiplier //= 2
        exponent += 1
    return multiplier, 31 - exponent


def requantize(acc, ratios, zp, channel_axis):
    out = np.empty_like(acc)
    for c, ratio in enumerate(ratios):
        m, shift = fixed_point(ratio)
        index = [slice(None)] * acc.ndim
        index[channel_axis] = c
        a = acc[tuple(index)]
        out[tuple(index)] = ((a * m + (1 << (shift - 1))) >> shift) + zp
    return np.clip(out, 0, 255)


def dequantize_acc(acc, scales, channel_axis):
    shape = [1] * acc.ndim
    shape[channel_axis] = -1
    s = np.array([np.float32(v) for v in scales], dtype=np.float32).reshape(shape)
    return acc.astype(np.float32) * s


def clamp_relu(q, zp):
    return np.maximum(q, zp)


def cnn_integer(x, ranges):
    p = CNN
    s1, z1 = act_params(*ranges["conv1.0"])
    s2, z2 = act_params(*ranges["conv2.0"])
    s3, z3 = act_params(*ranges["fc.0"])
    q = quantize(x, s1, z1)
    w1, sw1 = weight_params(p["w1"])
    acc = conv2d(q - z1, w1, quantize_bias(p["b1"], s1, sw1), 1, 1)
    q = clamp_relu(requantize(acc, s1 * sw1 / s2, z2, 1), z2)
    q = max_pool2(q)
    w2, sw2 = weight_params(p["w2"])
    acc = conv2d(q - z2, w2, quantize_bias(p["b2"], s2, sw2), 1, 8)
    q = clamp_relu(requantize(acc, s2 * sw2 / s3, z3, 1), z3)
    q = q.reshape(2, -1)
    fc, sfc = weight_params(p["fc"])
    acc = (q - z3) @ fc.T + quantize_bias(p["fb"], s3, sfc)
    return {"y": dequantize_acc(acc, s3 * sfc, 1)}


def attention_integer(x, ranges):
    p = ATTENTION
    sx_q, zx_q = act_params(*ranges["q.0"])
    sx_k, zx_k = act_params(*ranges["k.0"])
    sq, zq = act_params(*ranges["s.0"])
    sk, zk = act_params(*ranges["s.1"])
    wq, swq = weight_params(p["wq"])
    acc = (quantize(x, sx_q, zx_q) - zx_q) @ wq.T + quantize_bias(p["bq"], sx_q, swq)
    q = requantize(acc, sx_q * swq / sq, zq, 2)
    wk, swk = weight_params(p["wk"])
    acc = (quantize(x, sx_k, zx_k) - zx_k) @ wk.T
    k = requantize(acc, sx_k * swk / sk, zk, 2)
    acc = (q - zq) @ (k - zk).transpose(0, 2, 1)
    return {"s": dequantize_acc(acc, [sq * sk], 2)}


def dynamic_linear(x, w, b):
    """tamp.dynamic_quantize (i8) + tamp.linear_integer, in f32 as lowered."""
    f32 = np.float32
    lo, hi = min(f32(x.min()), f32(0)), max(f32(x.max()), f32(0))
    scale = f32(hi - lo) / f32(255)
    zp = np.clip(np.rint(f32(-128) - lo / scale), -128, 127) if scale else 0
    safe = scale if scale else f32(1)
    q = np.clip(np.rint(x / safe) + f32(zp), -128, 127).astype(np.int64)
    wq, sw = weight_params(w)
    acc = (q - int(zp)) @ wq.T
    scales = np.array([scale * f32(s) for s in sw], dtype=np.float32)
    return acc.astype(np.float32) * scales + b


def mlp_integer(x, ranges):
    p = MLP
    h = np.maximum(dynamic_linear(x, p["w1"], p["b1"]), 0)
    return {"y": dynamic_linear(h, p["w2"], p["b2"])}


def check(model, library):
    import tamp
    compiled = tamp.load(library)
    ranges = calibration(model) if model != "mlp" else None
    float_run = {"cnn": cnn_float, "attention": attention_float,
                 "mlp": mlp_float}[model]
    integer_run = {"cnn": cnn_integer, "attention": attention_integer,
                   "mlp": mlp_integer}[model]
    worst_exact, worst_float = 0.0, 0.0
    for x in inputs(model, 4, seed=2):
        got = compiled(x=x)
        for name, expected in integer_run(x, ranges).items():
            worst_exact = max(worst_exact,
                              float(np.abs(got[name] - expected).max()))
        for name, expected in float_run(x).items():
            error = np.abs(got[name] - expected).max() / np.abs(expected).max()
            worst_float = max(worst_float, float(error))
    print(f"{model}: integer emulation max difference {worst_exact}")
    print(f"{model}: relative error vs float "
          f"{'small' if worst_float < 0.05 else 'LARGE'} ({worst_float:.4f})")


if __name__ == "__main__":
    mode, model, path = sys.argv[1:4]
    if mode == "write":
        write(model, path)
    else:
        check(model, path)
