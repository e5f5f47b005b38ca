"""tamp-quantize-weights' GPTQ against a numpy transcription of the reference
algorithm (Frantar et al. 2022, gptq.py's fasterquant): dead columns zeroed,
activation order, dampening, the upper Cholesky factor of H^-1 (from numpy's
own cholesky and inv), per-column quantization with error feedback inside a
block and lazy updates after it. Groups are contiguous in the original
column order and chosen when the first of their columns is reached, as the
pass documents. The codes, scales and zero points tamp-opt writes must
dequantize to exactly the reference's weights.

Usage: check_gptq_reference.py TAMP_OPT
"""

import re
import subprocess
import sys

import numpy as np

TAMP_OPT = sys.argv[1]
rng = np.random.default_rng(0)
ROWS, COLUMNS, SAMPLES = 6, 16, 200
mixing = rng.normal(size=(COLUMNS, COLUMNS))
x = rng.normal(size=(SAMPLES, COLUMNS)) @ mixing * 0.3 + rng.normal(size=(SAMPLES, COLUMNS)) * 0.1
x[:, 3] = 0  # a column no input reaches
HESSIAN = (2 * x.T @ x / SAMPLES).astype(np.float32)
WEIGHT = rng.normal(size=(ROWS, COLUMNS)).astype(np.float32)


def group_parameters(values, bits, symmetric):
    if symmetric:
        scale = np.float32(np.abs(values).max() / (2 ** (bits - 1) - 1))
        zero_point = 0
    else:
        low, high = min(values.min(), 0), max(values.max(), 0)
        scale = np.float32((high - low) / (2 ** bits - 1))
    if not scale > 0:
        scale = np.float32(1)
    if not symmetric:
        zero_point = int(np.clip(np.round(-low / np.float64(scale)), 0, 2 ** bits - 1))
    return scale, zero_point


def quantize(value, scale, zero_point, bits, symmetric):
    low, high = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if symmetric else (0, 2 ** bits - 1)
    code = np.clip(np.round(value / np.float64(scale)) + zero_point, low, high)
    return float(np.float32(code - zero_point) * scale)


def gptq(weight, hessian, bits, group_size, symmetric, damp, act_order, block_size):
    w = weight.astype(np.float64).copy()
    h = hessian.astype(np.float64).copy()
    n = w.shape[1]
    dead = np.diag(h) == 0
    h[dead, dead] = 1
    w[:, dead] = 0
    order = np.array(sorted(range(n), key=lambda j: (-h[j, j], j))) if act_order else np.arange(n)
    position = np.argsort(order)
    w, h = w[:, order], h[order][:, order]
    h += damp * np.mean(np.diag(h)) * np.eye(n)
    upper = np.linalg.cholesky(np.linalg.inv(h)).T
    group_size = n if group_size == 0 or group_size >= n else group_size
    parameters = {}
    q = np.zeros_like(w)
    for begin in range(0, n, block_size):
        end = min(begin + block_size, n)
        errors = np.zeros((w.shape[0], end - begin))
        for i in range(begin, end):
            group = order[i] // group_size
            if group not in parameters:
                columns = [position[c] for c in range(group * group_size, min((group + 1) * group_size, n))]
                parameters[group] = [group_parameters(w[r, columns], bits, symmetric) for r in range(w.shape[0])]
            for r in range(w.shape[0]):
                scale, zero_point = parameters[group][r]
                q[r, i] = quantize(w[r, i], scale, zero_point, bits, symmetric)
                errors[r, i - begin] = (w[r, i] - q[r, i]) / upper[i, i]
                w[r, i + 1:end] -= errors[r, i - begin] * upper[i, i + 1:end]
        w[:, end:] -= errors @ upper[begin:end, end:]
    return q[:, position]


def dense(array):
    return "dense<%s>" % np.array2string(array, separator=", ", threshold=10 ** 9,
                                         floatmode="unique", max_line_width=10 ** 9)


def unpack(rows, count, bits, signed):
    stream = np.unpackbits(rows.astype(np.uint8), axis=-1, bitorder="little")
    codes = (stream[..., :count * bits].reshape(rows.shape[:-1] + (count, bits)).astype(np.int64)
             << np.arange(bits)).sum(-1)
    return np.where(codes >= 1 << (bits - 1), codes - (1 << bits), codes) if signed else codes


def tamp_gptq(bits, group_size, symmetric, act_order, block_size):
    source = f"""func.func @f(%x: tensor<1x{COLUMNS}xf32>) -> tensor<1x{ROWS}xf32> {{
  %w = tamp.constant {dense(WEIGHT)} : tensor<{ROWS}x{COLUMNS}xf32>
  %y = tamp.linear %x, %w {{tamp.calibration = {{hessian = {dense(HESSIAN)} : tensor<{COLUMNS}x{COLUMNS}xf32>}}}}
      : (tensor<1x{COLUMNS}xf32>, tensor<{ROWS}x{COLUMNS}xf32>) -> tensor<1x{ROWS}xf32>
  return %y : tensor<1x{ROWS}xf32>
}}"""
    options = (f"bits={bits} group-size={group_size} symmetric={str(symmetric).lower()} "
               f"method=gptq gptq-act-order={str(act_order).lower()} gptq-block-size={block_size}")
    text = subprocess.run([TAMP_OPT, f"--tamp-quantize-weights={options}", "-"], input=source,
                          capture_output=True, text=True, check=True).stdout
    constants = {}
    for value, shape in re.findall(r"tamp.constant dense<(.*?)> : tensor<([0-9x]+)x(?:i8|f32)>", text):
        shape = [int(d) for d in shape.split("x")]
        array = np.array(eval(value), np.float64)
        constants.setdefault("list", []).append(np.broadcast_to(array, shape))
    packed, scales = constants["list"][0], constants["list"][1].astype(np.float32)
    groups = 1 if group_size == 0 else COLUMNS // group_size
    scales = scales.reshape(ROWS, groups)
    codes = unpack(packed.astype(np.int64) & 0xFF, COLUMNS, bits, symmetric)
    group_of = np.arange(COLUMNS) // (COLUMNS // groups)
    values = codes.astype(np.float32)
    if not symmetric:
        zero_points = unpack(constants["list"][2].astype(np.int64) & 0xFF,
                             ROWS if groups == 1 else groups, bits, False).reshape(ROWS, groups)
        values -= zero_points[:, group_of].astype(np.float32)
    return values * scales[:, group_of]


for bits, group_size, symmetric, act_order, block_size in [
        (4, 0, False, False, 128), (4, 4, False, True, 128), (3, 0, True, True, 5),
        (4, 8, True, True, 3), (2, 4, False, True, 4)]:
    name = f"int{bits} group {group_size} symmetric {symmetric} act-order {act_order} block {block_size}"
    got = tamp_gptq(bits, group_size, symmetric, act_order, block_size)
    expected = gptq(WEIGHT, HESSIAN, bits, group_size, symmetric, 0.01, act_order, block_size)
    difference = np.abs(got - expected).max()
    print(("PASS" if difference == 0 else "FAIL") + f" {name}: max difference {difference:g}")
