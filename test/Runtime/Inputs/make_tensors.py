"""Writes the tensors the tamp-run tests feed the fake add_one model
(y[N, 3] = x[N, 3] + 1) into DIR: x as .npy (format 1.0 and 2.0) and as an
ONNX TensorProto (raw_data and float_data), a wrongly shaped input, and
expected outputs in both layouts, one of them wrong."""

import os
import sys

import numpy as np
from onnx import helper, numpy_helper, TensorProto

out = sys.argv[1]
for sub in ("expected-npy", "expected-pb", "expected-wrong"):
    os.makedirs(os.path.join(out, sub), exist_ok=True)

x = np.arange(6, dtype=np.float32).reshape(2, 3) / 4
np.save(os.path.join(out, "x.npy"), x)
with open(os.path.join(out, "x-v2.npy"), "wb") as f:
    np.lib.format.write_array(f, x, version=(2, 0))
with open(os.path.join(out, "x-raw.pb"), "wb") as f:
    f.write(numpy_helper.from_array(x, "x").SerializeToString())
typed = helper.make_tensor("x", TensorProto.FLOAT, x.shape, x.flatten().tolist())
with open(os.path.join(out, "x-typed.pb"), "wb") as f:
    f.write(typed.SerializeToString())
np.save(os.path.join(out, "x-wide.npy"), np.zeros((2, 4), np.float32))
np.save(os.path.join(out, "x-int.npy"), np.zeros((2, 3), np.int32))

np.save(os.path.join(out, "expected-npy", "y.npy"), x + 1)
with open(os.path.join(out, "expected-pb", "output_0.pb"), "wb") as f:
    f.write(numpy_helper.from_array(x + 1, "y").SerializeToString())
wrong = x + 1
wrong[1, 2] += 0.5
np.save(os.path.join(out, "expected-wrong", "y.npy"), wrong)
