#!/usr/bin/env python3
"""ONNX backend node-test conformance harness for Tamp.

Runs Tamp on every case of a folder laid out like ONNX's backend test data
(CASE/model.onnx, CASE/test_data_set_N/{input,output}_K.pb). Without a folder
it uses the node tests of the installed onnx package; the wheel does not ship
their data, so it is generated once from the test-case generators into the
cache folder, in the layout of onnx/backend/test/cmd_tools.py, plus a
CASE/data.json holding the case's rtol and atol.

By default each case is compiled with `tamp compile` to a shared library,
run with `tamp-run` on every test_data_set_N, and its outputs are compared
with the expected ones (rtol 1e-3, atol 1e-5, or the case's own looser
tolerances). With --import-only each case is only imported with `tamp
import`. A case is passed, unsupported (an op, a value type or an op form
that Tamp does not import or lower), failed (a diagnostic, a run-time error
or a mismatch) or crashed (a signal, a sanitizer report or a hang). The last
line printed is always `N passed, N failed`, where "failed" counts every case
that did not pass.

Examples:
  run_node_tests.py --require-priority
  run_node_tests.py --filter 'test_conv' -v
  run_node_tests.py --markdown docs/CONFORMANCE.md
  run_node_tests.py --import-only
  run_node_tests.py --import-only --priority-only --require-priority
  run_node_tests.py --import-only --filter 'test_conv' -v
  run_node_tests.py --import-only --markdown docs/CONFORMANCE.md
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import contextlib
import fcntl
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, numpy_helper

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BUILD_DIR = REPO_ROOT / "build"

DEFAULT_DOMAIN = "ai.onnx"

# The ops Tamp must import (and later run) for the models it targets. A case
# is in the priority subset when every node it holds is one of these and its
# graph inputs and outputs are plain tensors.
PRIORITY_OPS: frozenset[tuple[str, str]] = frozenset(
    [(DEFAULT_DOMAIN, op) for op in """
    Conv ConvTranspose BatchNormalization Relu LeakyRelu PRelu Elu Selu Clip
    Sigmoid HardSigmoid HardSwish Tanh Softplus Gelu Mish MaxPool AveragePool
    GlobalAveragePool GlobalMaxPool LpNormalization Flatten Gemm MatMul Einsum
    Add Sub Mul Div Pow Sqrt Exp Log Neg Abs Reciprocal Erf Floor Ceil Round
    Sin Cos Min Max Sum Mean Mod Concat Split Slice Reshape Transpose Squeeze
    Unsqueeze Expand Tile Gather GatherElements GatherND ScatterElements
    ScatterND Pad Resize Upsample Shape Size Constant ConstantOfShape Cast
    CastLike Identity Dropout Where Equal Less LessOrEqual Greater
    GreaterOrEqual Not And Or Xor ReduceMean ReduceSum ReduceMax ReduceMin
    ReduceProd ReduceL1 ReduceL2 ReduceSumSquare ReduceLogSumExp ArgMax ArgMin
    Softmax LogSoftmax LayerNormalization InstanceNormalization
    GroupNormalization Range CumSum TopK DepthToSpace SpaceToDepth Trilu
    OneHot NonZero QuantizeLinear DequantizeLinear QLinearConv QLinearMatMul
    MatMulInteger ConvInteger DynamicQuantizeLinear
    """.split()]
    + [("com.microsoft", "MatMulNBits")])

# Inputs that the ONNX spec lets be run-time tensors but that real models
# supply as constants, and that Tamp needs at compile time (reduction axes,
# split sizes, resize targets, ...). The node tests feed every input at run
# time, so, like onnx-mlir's backend runner (its CONSTANT_INPUT option), the
# harness turns these graph inputs into initializers holding the values of
# test_data_set_0 before importing. The report lists what was frozen.
CONSTANT_INPUTS: dict[str, tuple[int, ...]] = {
    **{op: (1,) for op in """ReduceSum ReduceMean ReduceMax ReduceMin
       ReduceProd ReduceL1 ReduceL2 ReduceSumSquare ReduceLogSum
       ReduceLogSumExp Squeeze Unsqueeze Split CumSum CumProd""".split()},
    "Dropout": (1, 2),
    "Resize": (1, 2, 3),
    "Upsample": (1,),
}

STATUSES = ("passed", "failed", "unsupported", "crashed")
SANITIZER_REPORT = re.compile(r"ERROR: \w*Sanitizer|runtime error:")
# Diagnostics that mean "Tamp lacks this" rather than "Tamp got it wrong":
# an op the importer does not know, an op form the importer deliberately
# refuses (e.g. training-mode Dropout), or one the lowering rejects.
UNSUPPORTED_MARKERS = ("unsupported op", "is not supported", "cannot lower")
DEFAULT_RTOL = 1e-3
DEFAULT_ATOL = 1e-5
MESSAGE_LINES = 3
CACHE_STAMP = ".complete"


def normalize_domain(domain: str) -> str:
    return DEFAULT_DOMAIN if domain in ("", DEFAULT_DOMAIN) else domain


def op_label(domain: str, op_type: str) -> str:
    """How an op is shown: bare for the default domain, qualified otherwise."""
    return op_type if domain == DEFAULT_DOMAIN else f"{domain}.{op_type}"


# --------------------------------------------------------------------------
# Generating the node-test data of the installed onnx package.
# --------------------------------------------------------------------------


def _serialize_value(value: Any, info: onnx.ValueInfoProto) -> bytes:
    """Serializes one input or output value the way cmd_tools.py does."""
    value_type = info.type
    if value_type.HasField("map_type"):
        return numpy_helper.from_dict(value, info.name).SerializeToString()
    if value_type.HasField("sequence_type"):
        return numpy_helper.from_list(value, info.name).SerializeToString()
    if value_type.HasField("optional_type"):
        return numpy_helper.from_optional(value, info.name).SerializeToString()
    if isinstance(value, TensorProto):
        return value.SerializeToString()
    return numpy_helper.from_array(value, info.name).SerializeToString()


def _write_case(case: Any, case_dir: Path) -> None:
    case_dir.mkdir(parents=True)
    model = case.model
    (case_dir / "model.onnx").write_bytes(model.SerializeToString())
    tolerances = {key: getattr(case, key) for key in ("rtol", "atol")
                  if getattr(case, key, None) is not None}
    (case_dir / "data.json").write_text(
        json.dumps(tolerances, sort_keys=True) + "\n", encoding="utf-8")
    for index, (inputs, outputs) in enumerate(case.data_sets or []):
        data_dir = case_dir / f"test_data_set_{index}"
        data_dir.mkdir()
        for kind, values, infos in (("input", inputs, model.graph.input),
                                    ("output", outputs, model.graph.output)):
            for k, value in enumerate(values):
                (data_dir / f"{kind}_{k}.pb").write_bytes(
                    _serialize_value(value, infos[k]))


def _collect_node_testcases() -> list[Any]:
    from onnx.backend.test.case import node as node_cases

    # The generators compute expected outputs with numpy and print or warn
    # about deliberate infinities and NaNs; none of that is ours to report.
    with warnings.catch_warnings(), \
            contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        return list(node_cases.collect_testcases(None))


def ensure_node_data(cache_dir: Path) -> Path:
    """Returns the generated node-test folder, generating it when stale.

    The stamp file records the onnx version the data came from. Concurrent
    runs serialize on a lock file beside the cache folder.
    """
    stamp_text = f"onnx {onnx.__version__}\n"
    stamp = cache_dir / CACHE_STAMP
    cache_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = cache_dir.parent / (cache_dir.name + ".lock")
    with open(lock_path, "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stamp.is_file() and stamp.read_text(encoding="utf-8") == stamp_text:
            return cache_dir
        print(f"generating ONNX {onnx.__version__} node-test data into "
              f"{cache_dir}", file=sys.stderr)
        staging = Path(tempfile.mkdtemp(prefix=cache_dir.name + ".",
                                        dir=cache_dir.parent))
        try:
            for case in _collect_node_testcases():
                if case.kind == "node" and case.model is not None:
                    _write_case(case, staging / case.name)
            (staging / CACHE_STAMP).write_text(stamp_text, encoding="utf-8")
            if cache_dir.exists():
                shutil.rmtree(cache_dir)
            staging.rename(cache_dir)
        finally:
            if staging.exists():
                shutil.rmtree(staging)
    return cache_dir


# --------------------------------------------------------------------------
# Reading cases.
# --------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    model_path: Path
    ops: list[tuple[str, str]]
    opset_imports: dict[str, int]
    non_tensor_values: list[str]
    rtol: float | None = None
    atol: float | None = None
    status: str = ""
    message: str = ""
    frozen_inputs: list[str] = field(default_factory=list)
    # Uses of a priority op outside the form the priority list names
    # (Dropout in training mode); such a case is not in the priority subset.
    out_of_scope_forms: list[str] = field(default_factory=list)

    @property
    def priority(self) -> bool:
        return (not self.non_tensor_values and not self.out_of_scope_forms
                and bool(self.ops)
                and all(op in PRIORITY_OPS for op in self.ops))

    @property
    def opset(self) -> int | None:
        return self.opset_imports.get(DEFAULT_DOMAIN)

    def to_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "status": self.status,
            "ops": [{"domain": d, "op_type": t} for d, t in self.ops],
            "opset": self.opset,
            "opset_imports": self.opset_imports,
            "priority": self.priority,
            "message": self.message,
        }
        if self.frozen_inputs:
            result["frozen_inputs"] = self.frozen_inputs
        if self.rtol is not None:
            result["rtol"] = self.rtol
        if self.atol is not None:
            result["atol"] = self.atol
        return result


@dataclass
class Tools:
    tamp: Path
    tamp_run: Path | None


def _graph_ops(graph: onnx.GraphProto) -> Iterator[tuple[str, str]]:
    """Yields the (domain, op type) of every node, subgraphs included."""
    for node in graph.node:
        yield normalize_domain(node.domain), node.op_type
        for attribute in node.attribute:
            if attribute.HasField("g"):
                yield from _graph_ops(attribute.g)
            for subgraph in attribute.graphs:
                yield from _graph_ops(subgraph)


def _out_of_scope_forms(graph: onnx.GraphProto) -> list[str]:
    """Priority ops used in a form outside the priority list: Dropout is
    listed for inference, so one with a training_mode input is not."""
    return [f"Dropout node '{node.name}' has a training_mode input"
            for node in graph.node
            if node.op_type == "Dropout" and len(node.input) > 2 and node.input[2]]


def _non_tensor_values(graph: onnx.GraphProto) -> list[str]:
    described = []
    for role, infos in (("input", graph.input), ("output", graph.output)):
        for info in infos:
            kind = info.type.WhichOneof("value")
            if kind != "tensor_type":
                described.append(f"graph {role} '{info.name}' is "
                                 f"{kind or 'untyped'}")
    return described


def load_case(case_dir: Path) -> Case:
    model_path = case_dir / "model.onnx"
    model = onnx.load(str(model_path), load_external_data=False)
    ops = sorted(set(_graph_ops(model.graph)))
    opset_imports = {normalize_domain(o.domain): o.version
                     for o in model.opset_import}
    case = Case(name=case_dir.name, model_path=model_path, ops=ops,
                opset_imports=opset_imports,
                non_tensor_values=_non_tensor_values(model.graph),
                out_of_scope_forms=_out_of_scope_forms(model.graph))
    data_json = case_dir / "data.json"
    if data_json.is_file():
        tolerances = json.loads(data_json.read_text(encoding="utf-8"))
        case.rtol = tolerances.get("rtol")
        case.atol = tolerances.get("atol")
    return case


def discover_cases(data_dir: Path, name_filter: re.Pattern[str] | None
                   ) -> list[Case]:
    case_dirs = sorted(p.parent for p in data_dir.glob("*/model.onnx"))
    if name_filter is not None:
        case_dirs = [d for d in case_dirs if name_filter.search(d.name)]
    return [load_case(d) for d in case_dirs]


# --------------------------------------------------------------------------
# Importing.
# --------------------------------------------------------------------------


def _first_lines(text: str, count: int = MESSAGE_LINES) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if "error:" in line]
    return "\n".join((errors or lines)[:count])


def freeze_constant_inputs(case: Case, scratch: Path) -> Path:
    """The model to import: the case's own, or a copy in `scratch` in which
    the CONSTANT_INPUTS that are graph inputs became initializers."""
    model = onnx.load(str(case.model_path), load_external_data=False)
    graph_inputs = {info.name: index for index, info in enumerate(model.graph.input)}
    initializers = {tensor.name for tensor in model.graph.initializer}
    to_freeze: dict[str, int] = {}
    for node in model.graph.node:
        for index in CONSTANT_INPUTS.get(node.op_type, ()):
            if index < len(node.input) and node.input[index] in graph_inputs \
                    and node.input[index] not in initializers:
                to_freeze[node.input[index]] = graph_inputs[node.input[index]]
    data = case.model_path.parent / "test_data_set_0"
    if not to_freeze or not data.is_dir():
        return case.model_path
    for name, position in sorted(to_freeze.items()):
        tensor = onnx.TensorProto()
        tensor.ParseFromString((data / f"input_{position}.pb").read_bytes())
        tensor.name = name
        model.graph.initializer.append(tensor)
    kept = [info for info in model.graph.input if info.name not in to_freeze]
    del model.graph.input[:]
    model.graph.input.extend(kept)
    case.frozen_inputs = sorted(to_freeze)
    frozen_path = scratch / f"{case.name}.onnx"
    onnx.save(model, str(frozen_path))
    return frozen_path


def _classify_tool_run(case: Case, command: list[str], timeout: float
                       ) -> bool:
    """Runs one tool invocation for `case`; on failure records the case's
    status and message and returns False."""
    try:
        completed = subprocess.run(
            command, stdin=subprocess.DEVNULL, capture_output=True,
            timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        case.status = "crashed"
        case.message = f"{Path(command[0]).name} timed out after {timeout:g} s"
        return False
    stderr = completed.stderr.decode("utf-8", errors="replace")
    sanitizer = SANITIZER_REPORT.search(stderr)
    if completed.returncode < 0 or sanitizer:
        case.status = "crashed"
        cause = (f"{Path(command[0]).name} killed by signal "
                 f"{-completed.returncode}" if completed.returncode < 0
                 else "sanitizer report")
        detail = (stderr[sanitizer.start():] if sanitizer
                  else _first_lines(stderr))
        case.message = "\n".join(
            [cause] + detail.splitlines()[:MESSAGE_LINES]).strip()
        return False
    if completed.returncode == 0:
        return True
    if any(marker in stderr for marker in UNSUPPORTED_MARKERS):
        case.status = "unsupported"
        case.message = _first_lines(stderr)
        return False
    case.status = "failed"
    message = _first_lines(stderr) or "no diagnostic on stderr"
    if completed.returncode != 1:
        message = f"exit code {completed.returncode}: {message}"
    case.message = message
    return False


def import_case(case: Case, tools: Tools, timeout: float,
                scratch: Path) -> None:
    """Runs `tamp import` on the case and records its status and message."""
    if case.non_tensor_values:
        case.status = "unsupported"
        case.message = "; ".join(case.non_tensor_values)
        return
    model_path = freeze_constant_inputs(case, scratch)
    if _classify_tool_run(case, [str(tools.tamp), "import", str(model_path)],
                          timeout):
        case.status = "passed"


def compare_output(name: str, actual: np.ndarray, expected: np.ndarray,
                   rtol: float, atol: float) -> str | None:
    """What is wrong with `actual`, or None when it matches as
    numpy.testing.assert_allclose (floats, NaNs equal) or exactly (others).
    The ml_dtypes types (bfloat16, float8_*, int4, ...) that tamp-run writes
    as raw bytes are viewed as the expected type and compared by value."""
    # User-defined (isbuiltin 2) dtypes are ml_dtypes'.
    is_ml_dtype = expected.dtype.isbuiltin == 2
    if (is_ml_dtype and actual.dtype.kind == "V"
            and actual.dtype.itemsize == expected.dtype.itemsize):
        actual = actual.view(expected.dtype)
    if actual.dtype != expected.dtype:
        return f"output '{name}': dtype {actual.dtype}, expected {expected.dtype}"
    if actual.shape != expected.shape:
        return (f"output '{name}': shape {list(actual.shape)}, expected "
                f"{list(expected.shape)}")
    if is_ml_dtype:
        # Exact widening: float8/float4/bfloat16 and sub-byte integers all
        # fit float64.
        actual = actual.astype(np.float64)
        expected = expected.astype(np.float64)
    if expected.dtype.kind in "fc":
        close = np.isclose(actual, expected, rtol=rtol, atol=atol,
                           equal_nan=True)
    else:
        close = actual == expected
    if close.all():
        return None
    bad = int(np.size(close) - np.count_nonzero(close))
    first = tuple(int(i) for i in np.argwhere(~close)[0])
    detail = f"at {list(first)}: {actual[first]!r}, expected {expected[first]!r}"
    if expected.dtype.kind in "f":
        with np.errstate(all="ignore"):
            error = np.abs(actual.astype(np.float64) - expected)
            finite = np.isfinite(error)
            if finite.any():
                detail += f"; max abs error {float(error[finite].max()):.3g}"
    return (f"output '{name}': {bad} of {expected.size} elements differ "
            f"(rtol {rtol:g}, atol {atol:g}); first {detail}")


def run_case(case: Case, tools: Tools, timeout: float, scratch: Path) -> None:
    """Compiles the case, runs every data set and compares the outputs."""
    if case.non_tensor_values:
        case.status = "unsupported"
        case.message = "; ".join(case.non_tensor_values)
        return
    model_path = freeze_constant_inputs(case, scratch)
    work = scratch / case.name
    work.mkdir(parents=True, exist_ok=True)
    library = work / "model.so"
    if not _classify_tool_run(
            case, [str(tools.tamp), "compile", str(model_path), "-o",
                   str(library)], timeout):
        return

    graph = onnx.load(str(case.model_path), load_external_data=False).graph
    initializers = {tensor.name for tensor in graph.initializer}
    frozen = set(case.frozen_inputs)
    rtol = max(DEFAULT_RTOL, case.rtol or 0.0)
    atol = max(DEFAULT_ATOL, case.atol or 0.0)
    data_sets = sorted(case.model_path.parent.glob("test_data_set_*"))
    for data_set in data_sets:
        outputs_dir = work / data_set.name
        outputs_dir.mkdir(exist_ok=True)
        command = [str(tools.tamp_run), str(library), "--output-dir",
                   str(outputs_dir)]
        for index, info in enumerate(graph.input):
            if info.name in frozen or info.name in initializers:
                continue
            command += ["--input",
                        f"{info.name}={data_set / f'input_{index}.pb'}"]
        if not _classify_tool_run(case, command, timeout):
            case.message = f"{data_set.name}: {case.message}"
            return
        for index, info in enumerate(graph.output):
            expected_tensor = TensorProto()
            expected_tensor.ParseFromString(
                (data_set / f"output_{index}.pb").read_bytes())
            expected = numpy_helper.to_array(expected_tensor)
            actual_path = outputs_dir / f"{info.name}.npy"
            if not actual_path.is_file():
                case.status = "failed"
                case.message = (f"{data_set.name}: tamp-run wrote no output "
                                f"'{info.name}'")
                return
            problem = compare_output(info.name, np.load(actual_path),
                                     expected, rtol, atol)
            if problem is not None:
                case.status = "failed"
                case.message = f"{data_set.name}: {problem}"
                return
    case.status = "passed"
    shutil.rmtree(work, ignore_errors=True)


# --------------------------------------------------------------------------
# Reporting.
# --------------------------------------------------------------------------


@dataclass
class OpCounts:
    cases: int = 0
    by_status: collections.Counter[str] = field(
        default_factory=collections.Counter)

    @property
    def failed(self) -> int:
        # Per-op tables show crashes as failures; they are listed by name.
        return self.by_status["failed"] + self.by_status["crashed"]


def count_by_op(cases: list[Case]) -> dict[str, OpCounts]:
    """Counts, per op, the cases holding at least one node of that op."""
    counts: dict[str, OpCounts] = collections.defaultdict(OpCounts)
    for case in cases:
        for domain, op_type in case.ops:
            entry = counts[op_label(domain, op_type)]
            entry.cases += 1
            entry.by_status[case.status] += 1
    return dict(sorted(counts.items(), key=lambda item: item[0].lower()))


def summarize(cases: list[Case]) -> str:
    counter = collections.Counter(case.status for case in cases)
    return (f"{len(cases)} cases: "
            + ", ".join(f"{counter[s]} {s}" for s in STATUSES))


def write_report(path: Path, cases: list[Case], tamp: Path,
                 data_dir: Path) -> None:
    report = {
        "tamp": str(tamp),
        "data": str(data_dir),
        "onnx_version": onnx.__version__,
        "totals": dict(collections.Counter(case.status for case in cases)),
        "cases": {case.name: case.to_json() for case in cases},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1, sort_keys=True) + "\n",
                    encoding="utf-8")


def _repo_relative(path: Path) -> str:
    resolved = path.resolve()
    if resolved.is_relative_to(REPO_ROOT):
        return resolved.relative_to(REPO_ROOT).as_posix()
    return str(path)


def markdown_command(args: argparse.Namespace) -> str:
    """The command line that regenerates the table, for its header."""
    words = ["test/onnx/run_node_tests.py"]
    if args.import_only:
        words.append("--import-only")
    if args.data_dir is not None:
        words.append(_repo_relative(args.data_dir))
    if args.filter is not None:
        words += ["--filter", f"'{args.filter.pattern}'"]
    if args.priority_only:
        words.append("--priority-only")
    words += ["--markdown", _repo_relative(args.markdown)]
    return " ".join(words)


def write_markdown(path: Path, cases: list[Case], command: str,
                   source: str, import_only: bool) -> None:
    priority = [case for case in cases if case.priority]
    frozen = sum(1 for case in cases if case.frozen_inputs)
    lines = [
        "# ONNX node-test conformance",
        "",
        (f"Import results of Tamp on {source}" if import_only else
         f"Compile-and-run results of Tamp on {source}: each case is "
         "compiled for the host CPU, run, and its outputs compared with the "
         f"expected ones (rtol {DEFAULT_RTOL:g}, atol {DEFAULT_ATOL:g}, or "
         "the case's own looser tolerances)") + ". Generated by",
        f"`{command}`; do not edit by hand.",
        "",
        "A case counts under every op its model holds (expanded function "
        "tests hold several). *Unsupported* means an op, an op form or a "
        "value type (sequence, map, optional) Tamp does not import or lower; "
        "*failed* includes wrong results, run-time errors and crashes.",
        "",
        "Inputs that Tamp needs at compile time (reduction axes, split "
        "sizes, resize targets, Dropout's ratio and mode; see "
        "CONSTANT_INPUTS in the harness) are fed at run time by the node "
        "tests; as onnx-mlir's backend runner does, the harness turns them "
        f"into initializers from test_data_set_0 ({frozen} cases). Dropout "
        "with a training_mode input is outside the priority list, which "
        "names Dropout for inference.",
        "",
        f"- All cases: {summarize(cases)}",
        f"- Priority cases (every op in the priority list): "
        f"{summarize(priority)}",
        "",
        "| op | cases | passed | failed | unsupported |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, entry in count_by_op(cases).items():
        lines.append(f"| {label} | {entry.cases} | "
                     f"{entry.by_status['passed']} | {entry.failed} | "
                     f"{entry.by_status['unsupported']} |")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def print_results(cases: list[Case], verbose: bool) -> None:
    if verbose:
        for case in cases:
            if case.status in ("failed", "unsupported"):
                print(f"{case.status.upper()}: {case.name}: "
                      + case.message.replace("\n", " | "))
    counts = count_by_op(cases)
    width = max((len(label) for label in counts), default=0)
    for label, entry in counts.items():
        print(f"{label:<{width}}  {entry.cases:4d} cases  "
              f"{entry.by_status['passed']:4d} passed  {entry.failed:4d} failed"
              f"  {entry.by_status['unsupported']:4d} unsupported")
    for case in cases:
        if case.status == "crashed":
            print(f"CRASHED: {case.name}: "
                  + case.message.replace("\n", " | "))
    print(f"total: {summarize(cases)}")
    print(f"priority: {summarize([c for c in cases if c.priority])}")


# --------------------------------------------------------------------------
# Driver.
# --------------------------------------------------------------------------


def _regex(text: str) -> re.Pattern[str]:
    try:
        return re.compile(text)
    except re.error as err:
        raise argparse.ArgumentTypeError(f"invalid regex {text!r}: {err}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument(
        "data_dir", nargs="?", type=Path,
        help="folder of CASE/model.onnx cases (default: the installed onnx "
             "package's node tests, generated into --cache-dir)")
    parser.add_argument(
        "--import-only", action="store_true",
        help="only import each case with `tamp import`")
    parser.add_argument(
        "--tamp", type=Path, default=DEFAULT_BUILD_DIR / "bin" / "tamp",
        help="the tamp driver (default: %(default)s)")
    parser.add_argument(
        "--tamp-run", type=Path, default=None,
        help="the tamp-run tool (default: beside --tamp)")
    parser.add_argument(
        "--cache-dir", type=Path,
        default=DEFAULT_BUILD_DIR / "test" / "onnx" / "node-data",
        help="where generated node-test data is kept (default: %(default)s)")
    parser.add_argument(
        "--report", type=Path,
        default=DEFAULT_BUILD_DIR / "test" / "onnx" / "node-report.json",
        help="JSON report of every case (default: %(default)s)")
    parser.add_argument(
        "--markdown", type=Path,
        help="also write a per-op Markdown table (docs/CONFORMANCE.md)")
    parser.add_argument(
        "-j", "--jobs", type=int, default=os.cpu_count() or 1,
        help="cases processed in parallel (default: %(default)s)")
    parser.add_argument(
        "--timeout", type=float, default=120.0,
        help="seconds one tool run may take before the case counts as crashed "
             "(default: %(default)s)")
    parser.add_argument(
        "--filter", type=_regex, metavar="REGEX",
        help="only cases whose name matches REGEX (re.search)")
    parser.add_argument(
        "--priority-only", action="store_true",
        help="only the priority subset: cases whose ops are all in "
             "PRIORITY_OPS")
    parser.add_argument(
        "--require-priority", action="store_true",
        help="exit 1 unless every priority case passed")
    parser.add_argument(
        "--expected-failures", type=Path, default=None,
        help="file of priority cases known not to pass, one name per line "
             "('#' starts a comment): --require-priority accepts them, and "
             "fails when one of them passes so that the list cannot go stale")
    parser.add_argument(
        "-v", "--verbose", action="store_true",
        help="print every case that did not pass, with its message")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.tamp_run is None:
        args.tamp_run = args.tamp.parent / "tamp-run"
    tools = [args.tamp] + ([] if args.import_only else [args.tamp_run])
    for tool in tools:
        if not tool.is_file() or not os.access(tool, os.X_OK):
            parser.error(f"not found or not executable: {tool}")
    if args.data_dir is not None and not args.data_dir.is_dir():
        parser.error(f"not a folder: {args.data_dir}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    data_dir = (args.data_dir if args.data_dir is not None
                else ensure_node_data(args.cache_dir))
    cases = discover_cases(data_dir, args.filter)
    if args.priority_only:
        cases = [case for case in cases if case.priority]
    if not cases:
        print(f"error: no cases found in {data_dir}", file=sys.stderr)
        print("0 passed, 0 failed")
        return 1

    tools = Tools(tamp=args.tamp, tamp_run=args.tamp_run)
    process = import_case if args.import_only else run_case
    with tempfile.TemporaryDirectory(prefix="tamp-node-tests-") as scratch, \
            concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        list(pool.map(
            lambda c: process(c, tools, args.timeout, Path(scratch)), cases))

    write_report(args.report, cases, args.tamp, data_dir)
    if args.markdown is not None:
        source = (f"the ONNX {onnx.__version__} backend node tests"
                  if args.data_dir is None
                  else f"the cases in {_repo_relative(args.data_dir)}")
        write_markdown(args.markdown, cases, markdown_command(args), source,
                       args.import_only)
    print_results(cases, args.verbose)

    expected = read_expected_failures(args.expected_failures)
    failing_priority = [c for c in cases if c.priority and c.status != "passed"
                        and c.name not in expected]
    stale = [c.name for c in cases if c.name in expected and c.status == "passed"]
    if args.require_priority and failing_priority:
        print(f"{len(failing_priority)} priority case(s) did not pass:")
        for case in failing_priority:
            print(f"  {case.status}: {case.name}: "
                  + case.message.replace("\n", " | "))
    if args.require_priority and stale:
        print("expected failures that now pass (remove them from "
              f"{args.expected_failures}): {', '.join(stale)}")
    passed = sum(case.status == "passed" for case in cases)
    print(f"{passed} passed, {len(cases) - passed} failed")
    return 1 if args.require_priority and (failing_priority or stale) else 0


def read_expected_failures(path: Path | None) -> set[str]:
    if path is None:
        return set()
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        name = line.split("#", 1)[0].strip()
        if name:
            names.add(name)
    return names


if __name__ == "__main__":
    sys.exit(main())
