#!/usr/bin/env python3
"""Accuracy, size and work of models pruned by Tamp.

Each check compiles a model with `tamp.compile(..., prune=...)` (and maybe
`quantize=...`), calibrated on data it never evaluates on, and measures the
result on held-out inputs against the float model compiled by Tamp (data,
references and sizes as in run_quantized_accuracy.py):

- the trained Fashion-MNIST CNN with 30% of its channels removed: top-1
  accuracy on the 10,000-image test split within 2 points of float after
  least-squares reconstruction, with at least 40% fewer multiply-accumulates
  (the compression report's `macs` / `float_macs`); reconstruction must beat
  the same pruning without it; pruning plus W8A8 in one pipeline within 2.5
  points at no more than 0.2x the float weight bytes;
- the BERT-style encoder with 25% of its attention heads removed: the
  outputs' cosine similarity with the float model's at least 0.98 after
  reconstruction.

One line per check; the last line is `N passed, N failed`.

  run_pruning_accuracy.py
  run_pruning_accuracy.py --checks cnn-channels30 bert-heads25
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run_quantized_accuracy import CNN, Evaluator  # noqa: E402

import datasets  # noqa: E402  (run_quantized_accuracy put it on the path)
import tamp  # noqa: E402


@dataclass
class Check:
    name: str
    model: str                             # "cnn" or "bert"
    options: dict
    max_accuracy_drop: float | None = None  # points, cnn
    min_cosine: float | None = None         # bert
    max_mac_ratio: float | None = None      # compressed / float MACs
    max_weight_ratio: float | None = None   # of the float artifact
    must_beat: str | None = None            # a check it must be better than


CHECKS = [
    Check("cnn-channels30-no-reconstruction", "cnn",
          {"prune": "channels=0.3,reconstruct=0"}),
    Check("cnn-channels30", "cnn", {"prune": "channels=0.3"},
          max_accuracy_drop=2.0, max_mac_ratio=0.6,
          must_beat="cnn-channels30-no-reconstruction"),
    Check("cnn-channels30-activation", "cnn",
          {"prune": "channels=0.3,score=activation"},
          max_accuracy_drop=2.0, max_mac_ratio=0.6),
    Check("cnn-channels30-w8a8", "cnn",
          {"prune": "channels=0.3", "quantize": "w8a8"},
          max_accuracy_drop=2.5, max_weight_ratio=0.2),
    Check("bert-heads25-no-reconstruction", "bert",
          {"prune": "heads=0.25,reconstruct=0"}),
    Check("bert-heads25", "bert", {"prune": "heads=0.25"}, min_cosine=0.98,
          must_beat="bert-heads25-no-reconstruction"),
]


def measure(evaluator: Evaluator, check: Check) -> dict:
    """The check's figures: accuracy or cosine, MAC and weight ratios."""
    data = evaluator.cnn() if check.model == "cnn" else evaluator.bert()
    source = str(CNN) if check.model == "cnn" else str(data["path"])
    calibration = (data["calibration"] if check.model == "cnn"
                   else iter(data["calibration"]))
    model = tamp.compile(source, output=str(evaluator.work / f"{check.name}.so"),
                         calibration=calibration, **check.options)
    compression = json.loads(model.manifest).get("compression", {})
    figures = {
        "macs": compression["macs"] / compression["float_macs"],
        "weights": evaluator._weights(model) / data["weight_bytes"],
    }
    if check.model == "cnn":
        test_x, test_y = data["test"]
        logits = evaluator._logits(model, test_x)
        figures["accuracy"] = float((logits.argmax(1) == test_y).mean() * 100)
        figures["drop"] = data["accuracy"] - figures["accuracy"]
        figures["score"] = figures["accuracy"]
    else:
        cosines = []
        for feeds, reference in zip(data["evaluation"], data["reference"]):
            actual = evaluator._first_output(model, feeds).ravel().astype(np.float64)
            expected = reference.ravel().astype(np.float64)
            cosines.append(actual @ expected /
                           (np.linalg.norm(actual) * np.linalg.norm(expected)))
        figures["cosine"] = float(min(cosines))
        figures["score"] = figures["cosine"]
    return figures


def run(evaluator: Evaluator, check: Check, results: dict) -> bool:
    try:
        figures = measure(evaluator, check)
    except (tamp.TampError, datasets.DatasetMissing) as err:
        print(f"FAIL {check.name}: {err}")
        return False
    results[check.name] = figures
    ok = True
    parts = []
    if "accuracy" in figures:
        parts.append(f"accuracy {figures['accuracy']:.2f} % (drop "
                     f"{figures['drop']:.2f} points"
                     + (f", bound {check.max_accuracy_drop})"
                        if check.max_accuracy_drop is not None else ")"))
        if check.max_accuracy_drop is not None:
            ok &= figures["drop"] <= check.max_accuracy_drop
    if "cosine" in figures:
        parts.append(f"min cosine {figures['cosine']:.5f}"
                     + (f" (bound {check.min_cosine})"
                        if check.min_cosine is not None else ""))
        if check.min_cosine is not None:
            ok &= figures["cosine"] >= check.min_cosine
    parts.append(f"MACs {figures['macs']:.3f}x float"
                 + (f" (bound {check.max_mac_ratio})"
                    if check.max_mac_ratio is not None else ""))
    if check.max_mac_ratio is not None:
        ok &= figures["macs"] <= check.max_mac_ratio
    parts.append(f"weight bytes {figures['weights']:.3f}x float"
                 + (f" (bound {check.max_weight_ratio})"
                    if check.max_weight_ratio is not None else ""))
    if check.max_weight_ratio is not None:
        ok &= figures["weights"] <= check.max_weight_ratio
    if check.must_beat is not None:
        baseline = results.get(check.must_beat)
        beats = baseline is not None and figures["score"] > baseline["score"]
        ok &= beats
        parts.append(f"beats {check.must_beat}: {'yes' if beats else 'no'}")
    print(f"{'PASS' if ok else 'FAIL'} {check.name}: " + "; ".join(parts))
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    names = [check.name for check in CHECKS]
    parser.add_argument("--checks", nargs="+", choices=names, default=names)
    args = parser.parse_args(argv)
    outcomes = []
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="tamp-pruned-") as scratch:
        evaluator = Evaluator(Path(scratch))
        for check in CHECKS:
            # A baseline runs whenever a selected check compares with it.
            wanted = check.name in args.checks or any(
                other.must_beat == check.name and other.name in args.checks
                for other in CHECKS)
            if wanted:
                outcomes.append(run(evaluator, check, results))
    passed = sum(outcomes)
    print(f"{passed} passed, {len(outcomes) - passed} failed")
    return 0 if passed == len(outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
