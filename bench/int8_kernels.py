#!/usr/bin/env python3
"""Static int8 (tamp-quantize) against float on synthetic kernels, in one run.

Two float models with random weights and hand-written calibration ranges:
`conv` (four 64-channel 3x3 convolutions with ReLU on 56x56, the body of a
ResNet-18 stage) and `linear` (two 768 -> 3072 -> 768 feed-forward blocks on
128 tokens, as in a BERT-base layer). Each is compiled float and int8 with
tamp-opt's pipeline (`--tamp-quantize`, then the CPU pipeline, with
AVX512-VNNI kernels where the host has them) and llc, and timed on one
thread (median of timed runs after warm-up). The ratio is float latency /
int8 latency (higher is better; the goal of issue 4 is at least 1.5).

  bench/int8_kernels.py --build build
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def constant(blobs, name, array):
    blobs.append((name, array))
    shape = "x".join(map(str, array.shape))
    return f"arith.constant dense_resource<{name}> : tensor<{shape}xf32>"


def calibration(lo, hi):
    return (f"tamp.calibration = {{operand0 = {{minmax = "
            f"array<f64: {lo}, {hi}>}}}}")


def conv_model(rng, blobs):
    t = "tensor<1x64x56x56xf32>"
    lines = [f'func.func @conv(%x: {t} {{tamp.name = "x"}}) -> '
             f'({t} {{tamp.name = "y"}}) {{']
    value = "%x"
    for i in range(4):
        lines.append(f"  %w{i} = " + constant(
            blobs, f"w{i}", rng.normal(0, 0.05, (64, 64, 3, 3)).astype(np.float32)))
        lines.append(f"  %b{i} = " + constant(
            blobs, f"b{i}", rng.normal(0, 0.05, 64).astype(np.float32)))
        lo = -3.0 if i == 0 else 0.0
        lines.append(
            f"  %c{i} = tamp.conv {value}, %w{i}, %b{i} {{strides = array<i64: 1, 1>, "
            f"dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, "
            f"{calibration(lo, 3.0)}}} : ({t}, tensor<64x64x3x3xf32>, "
            f"tensor<64xf32>) -> {t}")
        lines.append(f"  %r{i} = tamp.clamp %c{i} {{min = 0.0 : f64}} : {t}")
        value = f"%r{i}"
    lines.append(f"  return {value} : {t}\n}}")
    return lines


def linear_model(rng, blobs):
    t, h = "tensor<128x768xf32>", "tensor<128x3072xf32>"
    lines = [f'func.func @linear(%x: {t} {{tamp.name = "x"}}) -> '
             f'({t} {{tamp.name = "y"}}) {{']
    value = "%x"
    for i in range(2):
        lines.append(f"  %wa{i} = " + constant(
            blobs, f"wa{i}", rng.normal(0, 0.03, (3072, 768)).astype(np.float32)))
        lines.append(f"  %ba{i} = " + constant(
            blobs, f"ba{i}", rng.normal(0, 0.03, 3072).astype(np.float32)))
        lines.append(
            f"  %h{i} = tamp.linear {value}, %wa{i}, %ba{i} "
            f"{{{calibration(-3.0, 3.0)}}} : ({t}, tensor<3072x768xf32>, "
            f"tensor<3072xf32>) -> {h}")
        lines.append(f"  %r{i} = tamp.clamp %h{i} {{min = 0.0 : f64}} : {h}")
        lines.append(f"  %wb{i} = " + constant(
            blobs, f"wb{i}", rng.normal(0, 0.02, (768, 3072)).astype(np.float32)))
        lines.append(
            f"  %y{i} = tamp.linear %r{i}, %wb{i} {{{calibration(0.0, 3.0)}}} "
            f": ({h}, tensor<768x3072xf32>) -> {t}")
        value = f"%y{i}"
    lines.append(f"  return {value} : {t}\n}}")
    return lines


def write_model(kind, path):
    rng = np.random.default_rng(0)
    blobs = []
    lines = (conv_model if kind == "conv" else linear_model)(rng, blobs)
    resources = ",\n".join(f'      {name}: "0x04000000{array.tobytes().hex()}"'
                           for name, array in blobs)
    path.write_text("\n".join(lines) + "\n{-#\n  dialect_resources: {\n"
                    "    builtin: {\n" + resources + "\n    }\n  }\n#-}\n")


def has_vnni():
    try:
        return "avx512_vnni" in Path("/proc/cpuinfo").read_text().split()
    except OSError:
        return False


def compile_model(build, source, passes, name, out_dir):
    llvm_bin = Path("/usr/lib/llvm-22/bin")
    vnni = " avx512-vnni=true" if has_vnni() else ""
    opt = subprocess.run(
        [str(build / "bin" / "tamp-opt"), str(source), *passes,
         "--tamp-convert-to-linalg",
         f"--tamp-cpu-pipeline=model-name={name} shared-library=true "
         f"parallel=false{vnni}"],
        check=True, capture_output=True)
    ll = out_dir / f"{name}.ll"
    subprocess.run([str(llvm_bin / "mlir-translate"), "--mlir-to-llvmir",
                    "-o", str(ll)], input=opt.stdout, check=True)
    obj = out_dir / f"{name}.o"
    subprocess.run([str(llvm_bin / "llc"), "-O3", "-mcpu=native",
                    "-filetype=obj", "-relocation-model=pic", str(ll), "-o",
                    str(obj)], check=True)
    library = out_dir / f"{name}.so"
    subprocess.run(["cc", "-shared", str(obj), "-o", str(library)], check=True)
    return library


def time_model(library, runs):
    import tamp
    model = tamp.load(str(library))
    model.num_threads = 1
    x = np.random.default_rng(1).normal(
        0, 1, model.inputs[0].shape).astype(np.float32)
    model(x=x)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        model(x=x)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=Path("build"))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "python"))
    print(f"AVX512-VNNI kernels: {'yes' if has_vnni() else 'no'}")
    print(f"{'model':8} {'float ms':>9} {'int8 ms':>9} {'float/int8':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for kind in ("conv", "linear"):
            source = out / f"{kind}.mlir"
            write_model(kind, source)
            fp = time_model(compile_model(args.build, source, [],
                                          f"{kind}_f32", out), args.runs)
            q = time_model(compile_model(args.build, source,
                                         ["--tamp-quantize"], f"{kind}_int8",
                                         out), args.runs)
            print(f"{kind:8} {fp * 1e3:9.1f} {q * 1e3:9.1f} {fp / q:11.2f}")


if __name__ == "__main__":
    main()
