"""Writes the inputs and expected outputs of Inputs/narrow.onnxtxt into DIR:
q (int4) as a packed raw_data TensorProto, u (uint2) as packed int32_data,
f (float8_e5m2) and h (bfloat16) as the raw-bytes .npy files NumPy writes
for ml_dtypes types; expected outputs as TensorProtos."""

import os
import sys

import ml_dtypes
import numpy as np
from onnx import helper, numpy_helper, TensorProto

out = sys.argv[1]
os.makedirs(os.path.join(out, "expected"), exist_ok=True)


def save_pb(name, tensor):
    with open(os.path.join(out, name), "wb") as f:
        f.write(tensor.SerializeToString())


q = np.array([-8, -1, 0, 3, 7], dtype=ml_dtypes.int4)
u = np.array([0, 1, 2, 3, 1], dtype=ml_dtypes.uint2)
f = np.array([1.5, -0.0625, np.inf], dtype=ml_dtypes.float8_e5m2)
h = np.array([1.0, -2.5], dtype=ml_dtypes.bfloat16)
save_pb("q.pb", numpy_helper.from_array(q, "q"))
save_pb("u.pb", helper.make_tensor("u", TensorProto.UINT2, u.shape,
                                   u.astype(np.int32).tolist()))
np.save(os.path.join(out, "f.npy"), f)
np.save(os.path.join(out, "h.npy"), h)
for index, value in enumerate([q.astype(np.int8), f, -h, u]):
    save_pb(f"expected/output_{index}.pb", numpy_helper.from_array(value))
