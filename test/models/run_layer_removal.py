#!/usr/bin/env python3
"""Layer removal (tamp-prune-layers) ranks residual blocks usefully.

For each model, the driver measures every residual block on calibration data
(`tamp compile --calibration-blocks`: `tamp.block_calibration`, with
`output_change`, how far the outputs turn when the block is bypassed, and
`relative_change`, how much the block changes its own input); then the
lowest-ranked and the highest-ranked block (by `output_change`, the default
ranking) are each removed (`tamp-opt --tamp-prune-layers`), and the models
are compiled and run on held-out inputs. Checks:

- removing the lowest-ranked block keeps the outputs closer to the float
  model's (cosine similarity, the minimum over the held-out inputs) than
  removing the highest-ranked one;
- `count=1` removes the lowest-ranked block (the ranking is the statistic's);
- each pruned artifact holds fewer weight bytes than the float one.

For the record (not checked), the line also gives the cosine when the block
with the smallest `relative_change` is removed instead: on these random-
weight models a block's change of its own input does not predict how much
its removal matters downstream (on ResNet-18 the ranking is inverted).

Models: the BERT-style encoder of the model tests (post-LN, 8 sublayers) and
ResNet-18 (at 64x64 to keep the test short; the 5 identity basic blocks are
removable, the 3 downsampling ones are not), both with the model zoo's
seeded random weights, calibrated on 8 random input sets and evaluated on 8
others. One line per model; the last line is `N passed, N failed`.

  run_layer_removal.py                 # every model
  run_layer_removal.py --models bert4
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
sys.path.insert(0, str(REPO_ROOT / "python"))
sys.path.insert(0, str(HERE))

import model_zoo  # noqa: E402
import onnx  # noqa: E402
import tamp  # noqa: E402

SETS = 8
MODELS = {
    "bert4": lambda: model_zoo.bert4(batch=1),
    "resnet18": lambda: model_zoo.resnet18(batch=1, image_size=64),
}
BLOCK_LINE = re.compile(r"^\s*#(\d+)\b.*, output change (\S+), relative change (\S+)$")


def tool(name: str) -> str:
    folder = os.environ.get("TAMP_BIN_DIR", str(REPO_ROOT / "build" / "bin"))
    return os.path.join(folder, name)


def run(command: list[str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)}:\n{result.stderr.strip()}")
    return result.stdout


def stack(sets: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {name: np.stack([s[name] for s in sets]) for name in sets[0]}


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    a = a.ravel().astype(np.float64)
    b = b.ravel().astype(np.float64)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def check(name: str, work: Path) -> bool:
    model = MODELS[name]()
    source = work / f"{name}.onnx"
    onnx.save(model, source)
    calibration = work / f"{name}-calibration.npz"
    np.savez(calibration, **stack([model_zoo.random_inputs(model, 1, seed=100 + i)
                                   for i in range(SETS)]))
    evaluation = [model_zoo.random_inputs(model, 1, seed=200 + i) for i in range(SETS)]

    calibrated = work / f"{name}-calibrated.mlir"
    run([tool("tamp"), "compile", str(source), "--calibration", str(calibration),
         "--calibration-blocks", "--emit=tamp", "-o", str(calibrated)])
    listing = run([tool("tamp-opt"), str(calibrated), "--tamp-print-residual-blocks",
                   "-o", os.devnull])
    changes, relative = {}, {}
    for line in listing.splitlines():
        match = BLOCK_LINE.match(line)
        if match:
            changes[int(match.group(1))] = float(match.group(2))
            relative[int(match.group(1))] = float(match.group(3))
    if len(changes) < 2:
        print(f"FAIL {name}: expected residual blocks with statistics, got:\n{listing}")
        return False
    lowest = min(changes, key=lambda k: (changes[k], k))
    highest = max(changes, key=lambda k: (changes[k], -k))

    # The default ranking (output_change), and for the record what ranking
    # by the block's own relative change would remove.
    lowest_relative = min(relative, key=lambda k: (relative[k], k))
    variants = {"low": ["--tamp-prune-layers=count=1"],
                "high": [f"--tamp-prune-layers=indices={highest}"],
                "relative": ["--tamp-prune-layers=count=1 rank-by=relative_change"]}
    models = {"float": tamp.compile(str(source), output=str(work / f"{name}-float.so"))}
    remarks = {}
    for variant, options in variants.items():
        pruned = work / f"{name}-{variant}.mlir"
        result = subprocess.run([tool("tamp-opt"), str(calibrated), *options,
                                 "-o", str(pruned)], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(result.stderr)
        remarks[variant] = result.stderr
        models[variant] = tamp.compile(str(pruned), output=str(work / f"{name}-{variant}.so"))

    outputs = {key: [next(iter(m(feeds).values())) for feeds in evaluation]
               for key, m in models.items()}
    cosines = {key: min(cosine(a, b) for a, b in zip(outputs[key], outputs["float"]))
               for key in variants}
    weights = {key: int(json.loads(m.manifest)["weight_bytes"]) for key, m in models.items()}

    ok = True
    parts = [f"{len(changes)} blocks, output change {min(changes.values()):.4g}"
             f"..{max(changes.values()):.4g}"]
    ranked_low = f"removed residual block #{lowest} " in remarks["low"]
    ok &= ranked_low
    if not ranked_low:
        parts.append(f"count=1 did not remove block #{lowest}: {remarks['low'].strip()}")
    ok &= cosines["low"] > cosines["high"]
    parts.append(f"removing #{lowest} (change {changes[lowest]:.4g}): min cosine "
                 f"{cosines['low']:.5f}; removing #{highest} (change "
                 f"{changes[highest]:.4g}): {cosines['high']:.5f}")
    for key in ("low", "high"):
        ok &= weights[key] < weights["float"]
    parts.append(f"ranked by relative change {relative[lowest_relative]:.4g}, "
                 f"#{lowest_relative} would go: {cosines['relative']:.5f}")
    parts.append(f"weight bytes {weights['low']} / {weights['high']} vs float "
                 f"{weights['float']}")
    print(f"{'PASS' if ok else 'FAIL'} {name}: " + "; ".join(parts))
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", choices=list(MODELS), default=list(MODELS))
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="tamp-layer-removal-") as scratch:
        for name in args.models:
            try:
                results.append(check(name, Path(scratch)))
            except (RuntimeError, tamp.TampError) as err:
                print(f"FAIL {name}: {err}")
                results.append(False)
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
