"""Runs the compiled Inputs/narrow.onnxtxt (argv[1]) through python/tamp:
inputs and outputs of the ml_dtypes types travel as ml_dtypes arrays."""

import sys

import ml_dtypes
import numpy as np

import tamp

model = tamp.load(sys.argv[1])
print("inputs", [(i.name, str(i.dtype)) for i in model.inputs])
feeds = {
    "q": np.array([-8, -1, 0, 3, 7], dtype=ml_dtypes.int4),
    "f": np.array([1.5, -0.0625, np.inf], dtype=ml_dtypes.float8_e5m2),
    "h": np.array([1.0, -2.5], dtype=ml_dtypes.bfloat16),
    "u": np.array([0, 1, 2, 3, 1], dtype=ml_dtypes.uint2),
}
for name, value in model(feeds).items():
    print(name, value.dtype, value.tolist())
try:
    model({**feeds, "q": np.zeros(5, np.int8)})
except tamp.TampError as error:
    print(f"TampError: {error}")
