# -*- Python -*-
# lit configuration for Tamp: dialect, importer and tool tests.

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "Tamp"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
# .mlir: dialect and pass tests; .onnxtxt: ONNX models in ONNX's textual
# syntax, turned into .onnx by %onnx-text at test time; .test: tool tests.
config.suffixes = [".mlir", ".onnxtxt", ".test"]
config.excludes = ["lit.cfg.py", "lit.site.cfg.py", "Inputs", "unit", "onnx",
                   "install", "models"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tamp_obj_root, "test")

llvm_config.with_system_environment(["HOME", "TMPDIR", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

tool_dirs = [config.tamp_tools_dir, config.llvm_tools_dir]
# `not`, `count` and FileCheck come from LLVM's tools folder, which Debian does
# not put on PATH.
for tool_dir in tool_dirs:
    llvm_config.with_environment("PATH", tool_dir, append_path=True)
llvm_config.add_tool_substitutions(["tamp-opt", "tamp", "tamp-run"], tool_dirs)

scripts = os.path.join(config.tamp_src_root, "test", "scripts")
# Ahead of lit's own %python (the interpreter running lit): tests need the
# venv's onnx and numpy.
config.substitutions.insert(0, ("%python", config.python_executable))
# %tamp_bin: the driver's path, for scripts that run it themselves (the
# broken-model corpus); first, so that no other substitution touches it.
config.substitutions.insert(
    0, ("%tamp_bin", os.path.join(config.tamp_tools_dir, "tamp")))
# %onnx-text IN OUT: ONNX textual syntax -> binary ModelProto.
config.substitutions.append(
    ("%onnx-text", f"{config.python_executable} {scripts}/onnx_text_to_model.py"))
config.substitutions.append(("%scripts", scripts))

if config.tamp_sanitizers:
    config.available_features.add("sanitizers")
    # LeakSanitizer needs ptrace, which some sandboxes forbid; leaks are
    # checked by the unit tests' own runs instead.
    config.environment["ASAN_OPTIONS"] = "detect_leaks=0:abort_on_error=0"
    config.environment["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"

# Tests that run compiled models need libtamp_rt (lib/Runtime) and a C
# compiler; they declare `REQUIRES: tamp-runtime`.
config.substitutions.append(
    ("%tamp_include", os.path.join(config.tamp_src_root, "include")))
for runtime_name in ("libtamp_rt.so", "libtamp_rt.a"):
    runtime_path = os.path.join(config.tamp_obj_root, "lib", runtime_name)
    if os.path.exists(runtime_path):
        config.available_features.add("tamp-runtime")
        link = runtime_path
        if runtime_name.endswith(".so"):
            link += " -Wl,-rpath," + os.path.dirname(runtime_path)
        # %tamp_rt_link: what a C program that runs a model links with.
        config.substitutions.append(
            ("%tamp_rt_link", link + " -ldl -lpthread -lm"))
        break

# Kernels that use AVX512-VNNI instructions run only where the host has them.
try:
    with open("/proc/cpuinfo") as cpuinfo:
        if "avx512_vnni" in cpuinfo.read().split():
            config.available_features.add("avx512-vnni")
except OSError:
    pass

# %fake_model: a hand-written model library (test/unit/FakeModels.c).
config.substitutions.append(
    ("%fake_model", os.path.join(config.tamp_obj_root, "test", "Inputs",
                                 "tamp-fake-model.so")))
# The Python package (python/tamp) and the runtime it loads.
config.substitutions.append(
    ("%tamp_python", os.path.join(config.tamp_src_root, "python")))
config.substitutions.append(
    ("%tamp_lib_dir", os.path.join(config.tamp_obj_root, "lib")))
config.substitutions.append(("%tamp_tools_dir", config.tamp_tools_dir))
