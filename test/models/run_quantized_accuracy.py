#!/usr/bin/env python3
"""Accuracy, fidelity and size of models quantized by Tamp.

Each check compiles a model with `tamp.compile(..., quantize=...)`, calibrated
on data the check never evaluates on, and measures the result on held-out
inputs against the float model compiled by Tamp:

- the trained Fashion-MNIST CNN (test/models/trained) on its full 10,000-image
  test split, calibrated on 512 training images: top-1 accuracy must stay
  within the issue's bound of the float accuracy (in points);
- the BERT-style encoder of the model tests (random weights), calibrated on 8
  random input sets and evaluated on 8 others: the cosine similarity of the
  outputs with the float model's must reach the bound;
- sizes: the artifact's weight bytes (its manifest's `weight_bytes`) as a
  fraction of the float artifact's;
- mixed precision with an accuracy budget (the relative RMS error of the
  outputs against the float model, in percent): the budget must hold on the
  held-out inputs too, with fewer stored bits per weight (the manifest's
  compression report) than int8 everywhere.

One line per check; the last line is `N passed, N failed`.

  run_quantized_accuracy.py                 # every check
  run_quantized_accuracy.py --checks cnn-w8a8 bert-w4-g128
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
TRAINED_DIR = HERE / "trained"
sys.path.insert(0, str(REPO_ROOT / "python"))
sys.path.insert(0, str(TRAINED_DIR))
sys.path.insert(0, str(HERE))

import datasets  # noqa: E402
import model_zoo  # noqa: E402
import tamp  # noqa: E402

CNN = TRAINED_DIR / "fashion_mnist_cnn.onnx"
CHUNK = 1000
CNN_CALIBRATION_IMAGES = 512
CNN_CALIBRATION_SET = 64
BERT_SETS = 8


@dataclass
class Check:
    name: str
    model: str                      # "cnn" or "bert"
    options: dict
    max_accuracy_drop: float | None = None   # points, cnn
    min_cosine: float | None = None          # bert
    max_weight_ratio: float | None = None    # of the float artifact
    max_bits_per_weight: float | None = None  # manifest compression report
    notes: list = field(default_factory=list)


CHECKS = [
    Check("cnn-w8a8", "cnn", {"quantize": "w8a8"}, max_accuracy_drop=1.0,
          max_weight_ratio=0.27),
    Check("cnn-w4-g32", "cnn", {"quantize": "w4", "group_size": 32},
          max_accuracy_drop=2.0),
    Check("cnn-dynamic", "cnn", {"quantize": "dynamic"}, max_accuracy_drop=1.0),
    Check("cnn-mixed-budget", "cnn", {"accuracy_budget": 4.0},
          max_accuracy_drop=1.0, max_bits_per_weight=7.99),
    Check("bert-w8a8", "bert", {"quantize": "w8a8"}, min_cosine=0.99,
          max_weight_ratio=0.27),
    Check("bert-w4-g128", "bert", {"quantize": "w4", "group_size": 128,
                                   "rounding": "gptq"},
          min_cosine=0.98, max_weight_ratio=0.15),
]


class Evaluator:
    """Data and float references, built once for all checks."""

    def __init__(self, work: Path):
        self.work = work
        self._cnn = None
        self._bert = None

    def cnn(self):
        if self._cnn is None:
            train_x, _ = datasets.fashion_mnist_train()
            test_x, test_y = datasets.TEST_SPLITS[CNN.name]()
            rng = np.random.default_rng(0)
            picked = train_x[rng.choice(len(train_x), CNN_CALIBRATION_IMAGES,
                                        replace=False)]
            calibration = self.work / "cnn-calibration.npz"
            np.savez(calibration, input=picked.reshape(
                -1, CNN_CALIBRATION_SET, *picked.shape[1:]))
            float_model = tamp.compile(str(CNN), output=str(self.work / "cnn-float.so"))
            logits = self._logits(float_model, test_x)
            accuracy = float((logits.argmax(1) == test_y).mean() * 100)
            self._cnn = dict(calibration=calibration, test=(test_x, test_y),
                             accuracy=accuracy, logits=logits,
                             weight_bytes=self._weights(float_model))
        return self._cnn

    def bert(self):
        if self._bert is None:
            import onnx
            model = model_zoo.bert4(batch=None)
            path = self.work / "bert4.onnx"
            onnx.save(model, path)
            calibration = [model_zoo.random_inputs(model, 1, seed=100 + i)
                           for i in range(BERT_SETS)]
            evaluation = [model_zoo.random_inputs(model, 1, seed=200 + i)
                          for i in range(BERT_SETS)]
            float_model = tamp.compile(str(path), output=str(self.work / "bert-float.so"))
            reference = [self._first_output(float_model, feeds) for feeds in evaluation]
            self._bert = dict(path=path, calibration=calibration,
                              evaluation=evaluation, reference=reference,
                              weight_bytes=self._weights(float_model))
        return self._bert

    @staticmethod
    def _weights(model) -> int:
        return int(json.loads(model.manifest)["weight_bytes"])

    @staticmethod
    def _first_output(model, feeds):
        return next(iter(model(feeds).values()))

    @staticmethod
    def _logits(model, inputs):
        return np.concatenate([model({"input": inputs[i:i + CHUNK]})["logits"]
                               for i in range(0, len(inputs), CHUNK)])

    def run(self, check: Check) -> bool:
        label = check.name
        try:
            data = self.cnn() if check.model == "cnn" else self.bert()
            source = str(CNN) if check.model == "cnn" else str(data["path"])
            model = tamp.compile(source, output=str(self.work / f"{label}.so"),
                                 calibration=data["calibration"] if check.model == "cnn"
                                 else iter(data["calibration"]), **check.options)
        except (tamp.TampError, datasets.DatasetMissing) as err:
            print(f"FAIL {label}: {err}")
            return False
        ok = True
        parts = []
        if check.model == "cnn":
            test_x, test_y = data["test"]
            logits = self._logits(model, test_x)
            accuracy = float((logits.argmax(1) == test_y).mean() * 100)
            drop = data["accuracy"] - accuracy
            ok &= drop <= check.max_accuracy_drop
            parts.append(f"accuracy {accuracy:.2f} % vs float {data['accuracy']:.2f} % "
                         f"(drop {drop:.2f} points, bound {check.max_accuracy_drop})")
            budget = check.options.get("accuracy_budget")
            if budget is not None:
                reference = data["logits"].astype(np.float64)
                error = 100 * float(np.linalg.norm(logits - reference) /
                                    np.linalg.norm(reference))
                ok &= error <= budget
                parts.append(f"held-out output error {error:.3f} % (budget {budget} %)")
        else:
            cosines = []
            for feeds, reference in zip(data["evaluation"], data["reference"]):
                actual = self._first_output(model, feeds).ravel().astype(np.float64)
                expected = reference.ravel().astype(np.float64)
                cosines.append(actual @ expected /
                               (np.linalg.norm(actual) * np.linalg.norm(expected)))
            cosine = float(min(cosines))
            ok &= cosine >= check.min_cosine
            parts.append(f"min cosine {cosine:.5f} over {len(cosines)} held-out inputs "
                         f"(bound {check.min_cosine})")
        ratio = self._weights(model) / data["weight_bytes"]
        parts.append(f"weight bytes {self._weights(model)} = {ratio:.3f}x float")
        if check.max_weight_ratio is not None:
            ok &= ratio <= check.max_weight_ratio
            parts[-1] += f" (bound {check.max_weight_ratio})"
        if check.max_bits_per_weight is not None:
            compression = json.loads(model.manifest).get("compression", {})
            bits = compression.get("bits_per_weight")
            ok &= bits is not None and bits <= check.max_bits_per_weight
            parts.append(f"{bits if bits is None else round(bits, 2)} bits per weight "
                         f"(bound {check.max_bits_per_weight})")
        print(f"{'PASS' if ok else 'FAIL'} {label}: " + "; ".join(parts))
        return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    names = [check.name for check in CHECKS]
    parser.add_argument("--checks", nargs="+", choices=names, default=names)
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="tamp-quantized-") as scratch:
        evaluator = Evaluator(Path(scratch))
        for check in CHECKS:
            if check.name in args.checks:
                results.append(evaluator.run(check))
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
