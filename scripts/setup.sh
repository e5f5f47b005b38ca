#!/usr/bin/env bash
# Installs everything Tamp needs to build and test, idempotently:
# Debian's LLVM/MLIR 22 toolchain and build tools, the Fashion-MNIST data set
# (test/models/trained), and a Python venv at .venv with the pinned packages
# the tests use. Safe to run again at any time.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

apt_packages=(
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22
  protobuf-compiler libprotobuf-dev
  cmake ninja-build ccache
  libgtest-dev
  python3 python3-venv
  dataset-fashion-mnist
)

missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
fi

# The venv uses the first python3 on PATH (3.9 or newer).
python=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  echo "setup: creating .venv with $($python --version)"
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -r scripts/requirements.txt
echo "setup: done ($(/usr/lib/llvm-22/bin/mlir-opt --version | grep -o 'LLVM version [0-9.]*'), $(.venv/bin/python -c 'import onnx; print("onnx", onnx.__version__)'))"
