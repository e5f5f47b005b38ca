"""Drives python/tamp over the fake add_one model (y[N, 3] = x[N, 3] + 1)
given as argv[1]; prints what the lit test checks."""

import sys

import numpy as np

import tamp

model = tamp.load(sys.argv[1])
print(f"name {model.name}")
print(f"inputs {[(i.name, str(i.dtype), i.shape) for i in model.inputs]}")
print(f"outputs {[(o.name, str(o.dtype), o.shape) for o in model.outputs]}")

for rows in (1, 4):
    x = np.arange(rows * 3, dtype=np.float32).reshape(rows, 3)
    y = model({"x": x})["y"]
    assert y.shape == (rows, 3) and np.array_equal(y, x + 1), y
print("dict feeds ok")

model.num_threads = 3
y = model(np.ones((5, 3), np.float32))["y"]
assert np.array_equal(y, np.full((5, 3), 2, np.float32))
print(f"positional feeds with {model.num_threads} threads ok")
print(f"peak bytes {model.peak_bytes}")

for bad in (lambda: model(x=np.ones((2, 4), np.float32)),
            lambda: model(x=np.ones((2, 3), np.int32)),
            lambda: model({}),
            lambda: model(z=np.ones((1, 3), np.float32)),
            lambda: setattr(model, "num_threads", 0),
            lambda: tamp.load(sys.argv[1] + ".missing")):
    try:
        bad()
        print("no error")
    except tamp.TampError as error:
        print(f"TampError: {error}")
