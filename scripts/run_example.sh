#!/usr/bin/env bash
# The README's main command: set up, build, write the bundled example model
# (scripts/make_example_model.py), print its tamp IR summary, compile it to a
# shared library, run it and print its agreement with onnxruntime and the
# latency of both.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/setup.sh >/dev/null
bash scripts/build.sh build >/dev/null
mkdir -p build/example
.venv/bin/python scripts/make_example_model.py build/example/tiny_cnn.onnx
build/bin/tamp import build/example/tiny_cnn.onnx -o build/example/tiny_cnn.mlir
echo "Imported build/example/tiny_cnn.onnx -> build/example/tiny_cnn.mlir"
build/bin/tamp import build/example/tiny_cnn.onnx --summary
TAMP_BIN_DIR=build/bin TAMP_LIB_DIR=build/lib \
  .venv/bin/python scripts/run_example.py build/example/tiny_cnn.onnx
