"""Compiles argv[1] (test/Driver/Inputs/add.onnxtxt) with tamp.compile and
checks it against onnxruntime."""

import sys

import numpy as np
import onnxruntime

import tamp

model = tamp.compile(sys.argv[1], name="adder", opt_level=2)
print(f"{model.name} inputs: " +
      ", ".join(f"{i.name} {i.dtype} {i.shape}" for i in model.inputs))
reference = onnxruntime.InferenceSession(sys.argv[1])
rng = np.random.default_rng(0)
for batch in (1, 7):
    feeds = {"x": rng.standard_normal((batch, 3), dtype=np.float32),
             "bias": rng.standard_normal((1, 3), dtype=np.float32),
             "counts": rng.integers(0, 255, 4, dtype=np.uint8)}
    ours = model(feeds)
    expected = dict(zip(["sum", "doubled"], reference.run(None, feeds)))
    for name, value in expected.items():
        np.testing.assert_allclose(ours[name], value, rtol=1e-6, atol=1e-6)
    print(f"batch {batch} matches onnxruntime")

try:
    tamp.compile(sys.argv[1] + ".missing")
except tamp.TampError as error:
    print(f"TampError: {error}")
