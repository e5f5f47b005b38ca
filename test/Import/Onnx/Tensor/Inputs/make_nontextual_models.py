"""Writes models that ONNX's textual syntax cannot express into a folder:
sparse-constant.onnx (a Constant holding a sparse_value) and
split-no-outputs.onnx (a Split node without outputs).

Usage: make_nontextual_models.py OUTPUT_DIR
"""

import os
import sys

import onnx
from onnx import TensorProto, helper


def save(nodes, inputs, outputs, path):
    graph = helper.make_graph(nodes, "g", inputs, outputs)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.save(model, path)


def main() -> int:
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)

    values = helper.make_tensor("values", TensorProto.FLOAT, [2], [1.0, 2.0])
    indices = helper.make_tensor("indices", TensorProto.INT64, [2], [0, 3])
    sparse = helper.make_sparse_tensor(values, indices, [4])
    save([helper.make_node("Constant", [], ["y"], sparse_value=sparse)], [],
         [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4])],
         os.path.join(out, "sparse-constant.onnx"))

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [4])
    save([helper.make_node("Split", ["x"], []),
          helper.make_node("Identity", ["x"], ["y"])], [x],
         [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4])],
         os.path.join(out, "split-no-outputs.onnx"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
