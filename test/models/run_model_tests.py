#!/usr/bin/env python3
"""End-to-end model tests: Tamp against onnxruntime on real-shaped models.

Each model of model_zoo.py is built twice, with a static batch size (2) and
with a dynamic one (run at batch 1 and 3), compiled with `tamp.compile`, run
on seeded random inputs and compared with onnxruntime on the same inputs.

The error measure is the normwise relative error of each output,
max|tamp - ort| / max|ort|, which must not exceed --max-rel-error (1e-4).
The last line printed is `N passed, N failed` (one check per model, variant
and batch size).

  run_model_tests.py                    # every model
  run_model_tests.py --models mlp bert4 # some of them
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "python"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import model_zoo  # noqa: E402
import tamp  # noqa: E402

STATIC_BATCH = 2
DYNAMIC_BATCHES = (1, 3)


def relative_error(actual: np.ndarray, expected: np.ndarray) -> float:
    scale = float(np.abs(expected).max()) if expected.size else 0.0
    error = float(np.abs(actual.astype(np.float64) - expected).max()) \
        if expected.size else 0.0
    return error / scale if scale > 0 else error


def check(name: str, model: onnx.ModelProto, batches: tuple[int, ...],
          work: Path, max_error: float) -> list[tuple[str, bool]]:
    path = work / f"{name}.onnx"
    onnx.save(model, str(path))
    start = time.perf_counter()
    try:
        compiled = tamp.compile(str(path), output=str(work / f"{name}.so"))
    except tamp.TampError as err:
        print(f"FAIL {name}: compile error: {err}")
        return [(f"{name} batch {b}", False) for b in batches]
    compile_seconds = time.perf_counter() - start
    reference = ort.InferenceSession(model.SerializeToString(),
                                     providers=["CPUExecutionProvider"])
    results = []
    for batch in batches:
        label = f"{name} batch {batch}"
        feeds = model_zoo.random_inputs(model, batch, seed=batch)
        expected = reference.run(None, feeds)
        try:
            actual = compiled(feeds)
        except tamp.TampError as err:
            print(f"FAIL {label}: run error: {err}")
            results.append((label, False))
            continue
        worst = 0.0
        ok = True
        for info, want in zip(model.graph.output, expected):
            got = actual[info.name]
            if got.shape != want.shape or got.dtype != want.dtype:
                print(f"FAIL {label}: output '{info.name}' is "
                      f"{got.dtype}{list(got.shape)}, onnxruntime gives "
                      f"{want.dtype}{list(want.shape)}")
                ok = False
                continue
            worst = max(worst, relative_error(got, want))
        ok = ok and worst <= max_error
        print(f"{'PASS' if ok else 'FAIL'} {label}: max relative error "
              f"{worst:.2e} (compile {compile_seconds:.1f} s)")
        results.append((label, ok))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", choices=sorted(model_zoo.MODELS),
                        default=list(model_zoo.MODELS))
    parser.add_argument("--max-rel-error", type=float, default=1e-4)
    args = parser.parse_args(argv)

    results: list[tuple[str, bool]] = []
    with tempfile.TemporaryDirectory(prefix="tamp-model-tests-") as scratch:
        work = Path(scratch)
        for name in args.models:
            build = model_zoo.MODELS[name]
            results += check(f"{name}-static", build(STATIC_BATCH),
                             (STATIC_BATCH,), work, args.max_rel_error)
            results += check(f"{name}-dynamic", build(None), DYNAMIC_BATCHES,
                             work, args.max_rel_error)
    passed = sum(ok for _, ok in results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
