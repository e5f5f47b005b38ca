#!/usr/bin/env python3
"""Compiles an ONNX model with Tamp, runs it, and compares it with
onnxruntime: prints the agreement (max relative error) and both latencies.

  run_example.py MODEL.onnx [--batch N] [--runs N] [--threads N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "python"))
sys.path.insert(0, str(REPO_ROOT / "test" / "models"))

import model_zoo  # noqa: E402
import tamp  # noqa: E402


def median_ms(run, runs: int) -> float:
    run()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1e3)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", type=Path)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    model = onnx.load(str(args.model))
    library = args.model.with_suffix(".so")
    start = time.perf_counter()
    compiled = tamp.compile(str(args.model), output=str(library))
    print(f"compiled {args.model} -> {library} (+ {library.with_suffix('.h').name}, "
          f"{library.with_suffix('.json').name}) in "
          f"{time.perf_counter() - start:.2f} s")
    compiled.num_threads = args.threads

    feeds = model_zoo.random_inputs(model, args.batch)
    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    reference = ort.InferenceSession(model.SerializeToString(), options,
                                     providers=["CPUExecutionProvider"])
    expected = reference.run(None, feeds)
    actual = compiled(feeds)
    worst = 0.0
    for info, want in zip(model.graph.output, expected):
        got = actual[info.name]
        scale = float(np.abs(want).max()) or 1.0
        worst = max(worst, float(np.abs(got - want).max()) / scale)
    print(f"agreement with onnxruntime: max relative error {worst:.2e} "
          f"({'within' if worst <= 1e-4 else 'OUTSIDE'} 1e-4)")
    tamp_ms = median_ms(lambda: compiled(feeds), args.runs)
    ort_ms = median_ms(lambda: reference.run(None, feeds), args.runs)
    print(f"latency (batch {args.batch}, {args.threads} thread(s), median of "
          f"{args.runs}): tamp {tamp_ms:.3f} ms, onnxruntime {ort_ms:.3f} ms")
    return 0 if worst <= 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main())
