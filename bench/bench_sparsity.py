#!/usr/bin/env python3
"""Dense against compressed sparse fully connected layers, in one run.

For each layer shape (input rows R, input features K, output features N)
and sparsity pattern, a model of four such layers that all read the same
input (so that their weights, 4 x K x N floats, do not stay in the core's
caches between layers), their outputs summed, is compiled by `tamp compile`
from tamp IR after `tamp-opt --tamp-sparsify`:

- `dense`: the sparse weights stored dense (`format=dense`), Tamp's dense
  kernel;
- `2:4`: the N:M form (`pattern=2:4 format=compressed`);
- `ell 50%` ... `ell 95%`: the ELL form of unstructured sparsity
  (`pattern=unstructured ratio=... format=compressed`), ranked per output
  row (`score=activation` with equal input norms) so that the ELL form is
  exactly that sparse.

onnxruntime runs the same dense model (MatMul and Add) for reference. Each
is timed on one thread (median of timed runs after warm-up). The table
prints microseconds per run and dense / compressed (above 1: the compressed
kernel is faster); `tamp-sparsify`'s cost rule (`format=auto`) should choose
the compressed form exactly where that ratio is above 1.

  bench/bench_sparsity.py --build build
  bench/bench_sparsity.py --build build --markdown sparsity.md
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

REPO_ROOT = Path(__file__).resolve().parents[1]
LAYERS = 4
SHAPES = [(256, 256), (256, 1024), (1024, 256), (768, 768), (768, 3072),
          (3072, 768)]
ROWS = [1, 2, 4, 8]
ELL_RATIOS = [0.5, 0.8, 0.9, 0.95]


def write_model(path: Path, rows: int, k: int, n: int,
                weights: list[np.ndarray]) -> None:
    x, y = f"tensor<{rows}x{k}xf32>", f"tensor<{rows}x{n}xf32>"
    w = f"tensor<{n}x{k}xf32>"
    lines = [f'func.func @main(%x: {x} {{tamp.name = "x"}}) -> '
             f'({y} {{tamp.name = "y"}}) {{']
    for i in range(len(weights)):
        lines.append(f"  %w{i} = tamp.constant dense_resource<w{i}> : {w}")
        # Equal input norms: activation-aware unstructured sparsity then
        # ranks each output row on its own, so every row keeps the same
        # count and the ELL form is exactly as sparse as the layer.
        lines.append(f"  %y{i} = tamp.linear %x, %w{i} {{tamp.calibration = "
                     f"{{operand0 = {{abs_mean = dense<1.0> : "
                     f"tensor<{k}xf32>}}}}}} : ({x}, {w}) -> {y}")
    total = "%y0"
    for i in range(1, len(weights)):
        lines.append(f"  %s{i} = tamp.add {total}, %y{i} : ({y}, {y}) -> {y}")
        total = f"%s{i}"
    lines.append(f"  return {total} : {y}\n}}")
    blobs = ",\n".join(f'      w{i}: "0x04000000{array.tobytes().hex()}"'
                       for i, array in enumerate(weights))
    path.write_text("\n".join(lines) + "\n{-#\n  dialect_resources: {\n"
                    "    builtin: {\n" + blobs + "\n    }\n  }\n#-}\n")


def compile_variant(build: Path, source: Path, sparsify: str,
                    out: Path) -> Path:
    sparse = out.with_suffix(".mlir")
    subprocess.run([str(build / "bin" / "tamp-opt"), str(source),
                    f"--tamp-sparsify={sparsify}", "-o", str(sparse)],
                   check=True)
    subprocess.run([str(build / "bin" / "tamp"), "compile", str(sparse),
                    "-o", str(out)], check=True)
    return out


def median_seconds(run, min_runs: int, min_seconds: float) -> float:
    for _ in range(3):
        run()
    times = []
    start = time.perf_counter()
    while len(times) < min_runs or time.perf_counter() - start < min_seconds:
        begin = time.perf_counter()
        run()
        times.append(time.perf_counter() - begin)
    return statistics.median(times)


def time_tamp(library: Path, x: np.ndarray, args) -> tuple[float, np.ndarray]:
    import tamp
    model = tamp.load(str(library))
    model.num_threads = 1
    result = model(x=x)["y"]
    return median_seconds(lambda: model(x=x), args.min_runs,
                          args.min_seconds), result


def time_ort(weights: list[np.ndarray], x: np.ndarray, args) -> float:
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper
    nodes, initializers = [], []
    for i, w in enumerate(weights):
        initializers.append(numpy_helper.from_array(
            np.ascontiguousarray(w.T), f"w{i}"))
        nodes.append(helper.make_node("MatMul", ["x", f"w{i}"], [f"y{i}"]))
    total = "y0"
    for i in range(1, len(weights)):
        name = "y" if i == len(weights) - 1 else f"s{i}"
        nodes.append(helper.make_node("Add", [total, f"y{i}"], [name]))
        total = name
    rows, n = x.shape[0], weights[0].shape[0]
    graph = helper.make_graph(
        nodes, "layers",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x.shape))],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [rows, n])],
        initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(model.SerializeToString(), options,
                                   providers=["CPUExecutionProvider"])
    return median_seconds(lambda: session.run(None, {"x": x}), args.min_runs,
                          args.min_seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, default=REPO_ROOT / "build")
    parser.add_argument("--rows", type=int, nargs="+", default=ROWS)
    parser.add_argument("--shapes", nargs="+", default=None,
                        help="KxN shapes (default: a BERT-base and a small set)")
    parser.add_argument("--ell-ratios", type=float, nargs="+",
                        default=ELL_RATIOS)
    parser.add_argument("--min-runs", type=int, default=20)
    parser.add_argument("--min-seconds", type=float, default=0.3)
    parser.add_argument("--markdown", type=Path,
                        help="Also write the table as Markdown")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO_ROOT / "python"))
    shapes = ([tuple(int(v) for v in s.split("x")) for s in args.shapes]
              if args.shapes else SHAPES)
    variants = [("2:4", "pattern=2:4 format=compressed")]
    variants += [(f"ell {int(r * 100)}%",
                  f"pattern=unstructured ratio={r} score=activation "
                  "format=compressed")
                 for r in args.ell_ratios]
    header = (["R", "K", "N", "ort dense us", "tamp dense us"] +
              [f"{name} us (x)" for name, _ in variants])
    rows_out = []
    print(" | ".join(header), flush=True)
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory(prefix="tamp-sparsity-") as tmp:
        work = Path(tmp)
        for k, n in shapes:
            weights = [rng.normal(0, 0.05, (n, k)).astype(np.float32)
                       for _ in range(LAYERS)]
            for rows in args.rows:
                x = rng.normal(0, 1, (rows, k)).astype(np.float32)
                source = work / f"m_{rows}_{k}_{n}.mlir"
                write_model(source, rows, k, n, weights)
                ort_s = time_ort(weights, x, args)
                cells = [str(rows), str(k), str(n), f"{ort_s * 1e6:.1f}"]
                dense_times = {}
                results = []
                for name, options in variants:
                    # The dense baseline of each variant holds the same zeros.
                    pattern = options.replace("format=compressed",
                                              "format=dense")
                    if pattern not in dense_times:
                        library = compile_variant(
                            build=args.build, source=source,
                            sparsify=pattern,
                            out=work / f"d{len(dense_times)}_{rows}_{k}_{n}.so")
                        dense_times[pattern] = time_tamp(library, x, args)
                    library = compile_variant(
                        args.build, source, options,
                        work / f"s{len(results)}_{rows}_{k}_{n}.so")
                    seconds, result = time_tamp(library, x, args)
                    dense_s, dense_result = dense_times[pattern]
                    error = float(np.abs(result - dense_result).max())
                    if error > 1e-4 * max(1.0, float(np.abs(dense_result).max())):
                        print(f"error: {name} differs from dense by {error}",
                              file=sys.stderr)
                        return 1
                    results.append((seconds, dense_s))
                # The dense column: the 2:4 variant's dense baseline (every
                # dense baseline runs the same kernel on the same shapes).
                cells.append(f"{results[0][1] * 1e6:.1f}")
                cells += [f"{s * 1e6:.1f} ({d / s:.2f})" for s, d in results]
                rows_out.append(cells)
                print(" | ".join(cells), flush=True)
    if args.markdown:
        lines = ["| " + " | ".join(header) + " |",
                 "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(cells) + " |" for cells in rows_out]
        args.markdown.write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
