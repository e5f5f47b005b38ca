#!/usr/bin/env bash
# Configures (once) and builds Tamp with ninja, ccache and Debian's clang 22.
#   scripts/build.sh [BUILD_DIR] [extra cmake -D options...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir=${1:-$root/build}
shift || true

if [[ ! -f $build_dir/build.ninja ]]; then
  cmake -G Ninja -S "$root" -B "$build_dir" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DPython3_EXECUTABLE="$root/.venv/bin/python" \
    "$@"
elif (($#)); then
  cmake "$build_dir" "$@"
fi
ninja -C "$build_dir" -j "${TAMP_BUILD_JOBS:-$(nproc)}"
