"""Compiles ONNX models that convert to and from the narrow types (float8
variants, float4, float8e8m0, int4/uint4/int2/uint2) with float graph inputs
and outputs, runs them with tamp-run and compares every element bit for bit
with ONNX's reference (numpy + ml_dtypes).

Usage: check_narrow_float_casts.py TAMP_BIN_DIR WORK_DIR

The inputs cover every f16 bit pattern (all values of every narrow float
format, and every tie between two of them), a stride through all f32 bit
patterns (sticky bits), and the special values; f64 inputs add values just
off the ties, where rounding through f32 first would round twice. Each case
prints `PASS name: N values` or `FAIL name: ...` with the first mismatches.
"""

import subprocess
import sys
from pathlib import Path

import ml_dtypes
import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper
from onnx.reference.ops.op_cast import cast_to

BIN = Path(sys.argv[1])
WORK = Path(sys.argv[2])
WORK.mkdir(parents=True, exist_ok=True)

FLOATS = {
    T.FLOAT8E4M3FN: ml_dtypes.float8_e4m3fn,
    T.FLOAT8E4M3FNUZ: ml_dtypes.float8_e4m3fnuz,
    T.FLOAT8E5M2: ml_dtypes.float8_e5m2,
    T.FLOAT8E5M2FNUZ: ml_dtypes.float8_e5m2fnuz,
    T.FLOAT4E2M1: ml_dtypes.float4_e2m1fn,
}
NP_TO_ONNX = {np.float16: T.FLOAT16, np.float32: T.FLOAT, np.float64: T.DOUBLE}


def special_values(dtype):
    return np.array([np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0, 1e30, -1e30,
                     1e-30, -1e-30], dtype)


def f32_inputs():
    every_f16 = np.arange(2**16, dtype=np.uint32).astype(np.uint16)
    stride = np.arange(0, 2**32, 65537, dtype=np.uint64).astype(np.uint32)
    return np.concatenate([every_f16.view(np.float16).astype(np.float32),
                           stride.view(np.float32),
                           special_values(np.float32)])


def run_model(name, nodes, x, out_type):
    """Compiles a one-input one-output model and runs it on `x`."""
    in_type = NP_TO_ONNX[x.dtype.type]
    graph = helper.make_graph(
        nodes, name, [helper.make_tensor_value_info("x", in_type, [len(x)])],
        [helper.make_tensor_value_info("z", out_type, [len(x)])])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 25)])
    onnx.save(model, WORK / f"{name}.onnx")
    library = WORK / f"{name}.so"
    subprocess.run([BIN / "tamp", "compile", WORK / f"{name}.onnx", "-o",
                    library], check=True)
    np.save(WORK / f"{name}.x.npy", x)
    out = WORK / f"{name}.out"
    subprocess.run([BIN / "tamp-run", library, WORK / f"{name}.x.npy",
                    "--output-dir", out], check=True, stdout=subprocess.DEVNULL)
    return np.load(out / "z.npy")


def compare(name, x, actual, expected, signed_zeros=True):
    """Bitwise (by value where the sign of zeros does not matter), except
    that any NaN matches any NaN."""
    actual = np.asarray(actual)
    expected = np.asarray(expected).astype(actual.dtype)
    width = {2: np.uint16, 4: np.uint32, 8: np.uint64}[actual.dtype.itemsize]
    if signed_zeros:
        same = actual.view(width) == expected.view(width)
    else:
        same = actual == expected
    same |= np.isnan(actual) & np.isnan(expected)
    bad = np.flatnonzero(~same)
    if bad.size:
        i = bad[:5]
        print(f"FAIL {name}: {bad.size} of {x.size} differ; x {x[i].tolist()} "
              f"got {actual[i].tolist()} expected {expected[i].tolist()}")
    else:
        print(f"PASS {name}: {x.size} values")


def nearest_even(x, dtype):
    """Reference rounding of finite in-range f64 values to `dtype`: the
    nearest of all its finite values, ties to the even encoding."""
    codes = np.arange(256 if np.dtype(dtype).itemsize == 1 else 16,
                      dtype=np.uint8)
    if dtype is ml_dtypes.float4_e2m1fn:
        codes = codes[:16]
    values = codes.view(dtype).astype(np.float64)
    keep = np.isfinite(values)
    codes, values = codes[keep], values[keep]
    distance = np.abs(x[:, None] - values[None, :])
    best = distance.min(axis=1, keepdims=True)
    candidates = np.where(distance == best, codes[None, :] & 1, 2)
    choice = np.argmin(candidates, axis=1)  # even code among the nearest
    # Zeros (exact or rounded) keep the input's sign, where the format has
    # a negative zero.
    result = np.copysign(values[choice], x)
    if "fnuz" in dtype.__name__:
        result[result == 0] = 0.0
    return result


def check_round_trips():
    # FLOAT/FLOAT16 -> narrow float (saturating or not) -> FLOAT.
    for source in (np.float32, np.float16):
        x = f32_inputs() if source is np.float32 else np.concatenate(
            [np.arange(2**16, dtype=np.uint32).astype(np.uint16).view(
                np.float16), special_values(np.float16)])
        for to, dtype in FLOATS.items():
            for saturate in (1, 0):
                name = (f"cast_{np.dtype(source).name}_{dtype.__name__}"
                        f"_sat{saturate}")
                nodes = [helper.make_node("Cast", ["x"], ["y"], to=to,
                                          saturate=saturate),
                         helper.make_node("Cast", ["y"], ["z"], to=T.FLOAT)]
                z = run_model(name, nodes, x, T.FLOAT)
                expected = cast_to(x.astype(np.float32), to, bool(saturate))
                expected = expected.astype(np.float32)
                if to == T.FLOAT4E2M1:
                    # float4 has no NaN; ONNX (ml_dtypes) gives a zero.
                    expected = np.where(np.isnan(x), np.float32(0), expected)
                compare(name, x, z, expected)


def check_double_ties():
    # DOUBLE sources round once: values just off the ties between two
    # float8 values would round the wrong way through f32.
    for to, dtype in FLOATS.items():
        values = np.unique(np.arange(256 if to != T.FLOAT4E2M1 else 16,
                                     dtype=np.uint8).view(dtype)
                           .astype(np.float64))
        values = values[np.isfinite(values)]
        ties = (values[1:] + values[:-1]) / 2
        x = np.concatenate([ties, ties * (1 + 2.0**-40), ties * (1 - 2.0**-40),
                            values])
        name = f"cast_float64_{dtype.__name__}_sat0"
        nodes = [helper.make_node("Cast", ["x"], ["y"], to=to, saturate=0),
                 helper.make_node("Cast", ["y"], ["z"], to=T.DOUBLE)]
        z = run_model(name, nodes, x, T.DOUBLE)
        compare(name, x, z, nearest_even(x, dtype))


def check_e8m0():
    x = np.concatenate([np.float32([0.0, 0.124, 0.25, 0.75, 1.5, 3.0, 1.1]),
                        f32_inputs()])
    x = x[~(np.signbit(x))]  # negative values are undefined in ONNX
    for mode in ("up", "down", "nearest"):
        for saturate in (1, 0):
            name = f"cast_e8m0_{mode}_sat{saturate}"
            nodes = [helper.make_node("Cast", ["x"], ["y"],
                                      to=T.FLOAT8E8M0, saturate=saturate,
                                      round_mode=mode),
                     helper.make_node("Cast", ["y"], ["z"], to=T.FLOAT)]
            z = run_model(name, nodes, x, T.FLOAT)
            expected = cast_to(x, T.FLOAT8E8M0, bool(saturate), mode)
            compare(name, x, z, expected.astype(np.float32))


def check_quantization():
    # QuantizeLinear -> DequantizeLinear through each storage type, per
    # tensor with a zero point of the type (zero for floats: ONNX's
    # reference ignores float zero points in places). Integer storage
    # leaves out NaN and infinities: the reference converts them to int32
    # (undefined) before it saturates.
    finite = np.concatenate([np.linspace(-40, 40, 641, dtype=np.float32),
                             np.float32([1e6, -1e6, 0.0, -0.0])])
    special = np.float32([np.nan, np.inf, -np.inf])
    scale = np.float32(0.5)
    storage = {T.INT4: (ml_dtypes.int4, 1), T.UINT4: (ml_dtypes.uint4, 3),
               T.INT2: (ml_dtypes.int2, -1), T.UINT2: (ml_dtypes.uint2, 1),
               T.FLOAT8E4M3FN: (ml_dtypes.float8_e4m3fn, 0),
               T.FLOAT8E5M2: (ml_dtypes.float8_e5m2, 0),
               T.FLOAT4E2M1: (ml_dtypes.float4_e2m1fn, 0)}
    from onnx.reference import ReferenceEvaluator
    for to, (dtype, zero) in storage.items():
        name = f"quantize_{dtype.__name__}"
        x = finite if "int" in dtype.__name__ else np.concatenate(
            [finite, special])
        s = helper.make_tensor("s", T.FLOAT, [], [scale])
        zp = onnx.numpy_helper.from_array(np.array(zero, dtype), "zp")
        nodes = [helper.make_node("Constant", [], ["s"], value=s),
                 helper.make_node("Constant", [], ["zp"], value=zp),
                 helper.make_node("QuantizeLinear", ["x", "s", "zp"], ["q"]),
                 helper.make_node("DequantizeLinear", ["q", "s", "zp"],
                                  ["z"])]
        z = run_model(name, nodes, x, T.FLOAT)
        reference = ReferenceEvaluator(onnx.load(WORK / f"{name}.onnx"))
        # x / scale + 0 is +0 for x = -0 where the reference skips the
        # zero point.
        compare(name, x, z, reference.run(None, {"x": x})[0],
                signed_zeros=False)


check_round_trips()
check_double_ties()
check_e8m0()
check_quantization()
