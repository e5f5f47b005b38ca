#!/usr/bin/env bash
# The whole test suite, from a fresh clone: set-up, a sanitizer build of the
# driver for the broken-model corpus, the main build, then ctest (lit suite,
# unit tests, ONNX node-test conformance, sanitizer corpus, install package).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/setup.sh

# AddressSanitizer + UBSan build of the driver only (Debug: quick to compile).
if [[ ! -f build-asan/build.ninja ]]; then
  cmake -G Ninja -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DPython3_EXECUTABLE="$root/.venv/bin/python" \
    -DTAMP_ENABLE_SANITIZERS=ON -DTAMP_BUILD_TESTS=OFF
fi
ninja -C build-asan tamp

bash scripts/build.sh build -DTAMP_SANITIZED_TAMP="$root/build-asan/bin/tamp"

ctest --test-dir build --output-on-failure -j "$(nproc)"
