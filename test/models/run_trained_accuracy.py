#!/usr/bin/env python3
"""Accuracy of the trained reference models compiled by Tamp.

Each model of test/models/trained (see its README.md) is compiled with
`tamp.compile` (dynamic batch) and run on its whole held-out test split, as
is the same model under onnxruntime. A model passes when Tamp's top-1
accuracy is within --tolerance (0.1) percentage points of onnxruntime's and of
the float accuracy recorded in test/models/trained/README.md. One line per
model gives both accuracies, the number of test inputs on which the two
predict different classes and the largest absolute logit difference; the
last line is `N passed, N failed`.

  run_trained_accuracy.py                           # every trained model
  run_trained_accuracy.py --models digits_mlp.onnx  # some of them
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnxruntime as ort

REPO_ROOT = Path(__file__).resolve().parents[2]
TRAINED_DIR = Path(__file__).resolve().parent / "trained"
sys.path.insert(0, str(REPO_ROOT / "python"))
sys.path.insert(0, str(TRAINED_DIR))

import datasets  # noqa: E402
import tamp  # noqa: E402

# Inputs per run, to bound the memory of the convolutions' activations.
CHUNK = 1000


def recorded_accuracies() -> dict[str, float]:
    """model file -> float test accuracy (%) of README.md's table."""
    text = (TRAINED_DIR / "README.md").read_text()
    return {name: float(value) for name, value in re.findall(
        r"^\| (\S+\.onnx) \| ([0-9.]+) % \|", text, re.MULTILINE)}


def logits_in_chunks(run, inputs: np.ndarray) -> np.ndarray:
    return np.concatenate([run(inputs[i:i + CHUNK])
                           for i in range(0, len(inputs), CHUNK)])


def check(name: str, recorded: float | None, work: Path,
          tolerance: float) -> bool:
    if recorded is None:
        print(f"FAIL {name}: no accuracy recorded in trained/README.md")
        return False
    path = TRAINED_DIR / name
    if not path.exists():
        print(f"FAIL {name}: {path} is missing (train_reference_models.py "
              f"writes it)")
        return False
    try:
        inputs, labels = datasets.TEST_SPLITS[name]()
    except datasets.DatasetMissing as err:
        print(f"FAIL {name}: {err}")
        return False
    session = ort.InferenceSession(str(path),
                                   providers=["CPUExecutionProvider"])
    expected = logits_in_chunks(
        lambda x: session.run(["logits"], {"input": x})[0], inputs)
    try:
        compiled = tamp.compile(str(path), output=str(work / f"{path.stem}.so"))
        actual = logits_in_chunks(lambda x: compiled({"input": x})["logits"],
                                  inputs)
    except tamp.TampError as err:
        print(f"FAIL {name}: {err}")
        return False
    if actual.shape != expected.shape:
        print(f"FAIL {name}: Tamp's logits are {list(actual.shape)}, "
              f"onnxruntime's {list(expected.shape)}")
        return False
    tamp_pred = actual.argmax(axis=1)
    ort_pred = expected.argmax(axis=1)
    tamp_accuracy = float((tamp_pred == labels).mean() * 100)
    ort_accuracy = float((ort_pred == labels).mean() * 100)
    disagreements = int((tamp_pred != ort_pred).sum())
    max_diff = float(np.abs(actual - expected).max())
    ok = (abs(tamp_accuracy - ort_accuracy) <= tolerance and
          abs(tamp_accuracy - recorded) <= tolerance)
    print(f"{'PASS' if ok else 'FAIL'} {name}: Tamp {tamp_accuracy:.2f} %, "
          f"onnxruntime {ort_accuracy:.2f} %, recorded {recorded:.2f} % "
          f"({len(labels)} test inputs); {disagreements} predictions differ, "
          f"max |logit difference| {max_diff:.2e}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", choices=sorted(datasets.TEST_SPLITS),
                        default=list(datasets.TEST_SPLITS))
    parser.add_argument("--tolerance", type=float, default=0.1,
                        help="largest accuracy difference, in points")
    args = parser.parse_args(argv)

    recorded = recorded_accuracies()
    results = []
    with tempfile.TemporaryDirectory(prefix="tamp-trained-") as scratch:
        for name in args.models:
            results.append(check(name, recorded.get(name), Path(scratch),
                                 args.tolerance))
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
