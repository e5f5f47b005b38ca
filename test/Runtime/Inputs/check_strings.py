"""Runs the compiled string-equal model (argv[1]) through python/tamp with
str lists: strings travel as pointers to UTF-8."""

import sys

import tamp

model = tamp.load(sys.argv[1])
same = model({"a": ["x", "caf\u00e9"], "b": ["x", "cafe"]})["same"]
print(model.inputs[0].dtype, same.tolist())
