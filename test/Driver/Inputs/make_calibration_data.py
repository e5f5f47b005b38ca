"""Writes calibration data for two-layer-mlp.onnxtxt in each accepted form.

  make_calibration_data.py DIR

DIR/sets.npz stacks 4 input sets of x [8, 4] (uniform in [-1, 2)), DIR/one.npz
holds a single set, DIR/folders/set_K/x.npy holds the same 4 sets as
folders, and DIR/bad-rank.npz an array of the wrong rank.
"""
import os
import sys

import numpy as np

out = sys.argv[1]
rng = np.random.default_rng(7)
sets = rng.uniform(-1.0, 2.0, size=(4, 8, 4)).astype(np.float32)
np.savez(os.path.join(out, "sets.npz"), x=sets)
np.savez_compressed(os.path.join(out, "sets-compressed.npz"), x=sets)
np.savez(os.path.join(out, "one.npz"), x=sets[0])
np.savez(os.path.join(out, "bad-rank.npz"), x=sets[0, 0])
for k, inputs in enumerate(sets):
    folder = os.path.join(out, "folders", f"set_{k}")
    os.makedirs(folder)
    np.save(os.path.join(folder, "x.npy"), inputs)
# The first layer's input extremes, for the test to check against.
print(f"x min {sets.min():.6f} max {sets.max():.6f}")
