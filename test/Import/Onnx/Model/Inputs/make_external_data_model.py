"""Writes OUTDIR/model.onnx whose weight lives in OUTDIR/weights/w.bin."""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(os.path.join(out, "weights"), exist_ok=True)
weight = np.arange(96, dtype=np.float32).reshape(8, 12)
with open(os.path.join(out, "weights", "w.bin"), "wb") as f:
    f.write(b"\0" * 16)  # the tensor starts at an offset
    f.write(weight.tobytes())
tensor = numpy_helper.from_array(weight, "w")
tensor.ClearField("raw_data")
tensor.data_location = TensorProto.EXTERNAL
for key, value in (("location", "weights/w.bin"), ("offset", "16"),
                   ("length", str(weight.nbytes))):
    entry = tensor.external_data.add()
    entry.key, entry.value = key, value
graph = helper.make_graph(
    [helper.make_node("MatMul", ["x", "w"], ["y"], name="proj")], "external",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 8])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", 12])], [tensor])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
onnx.save(model, os.path.join(out, "model.onnx"))
