#!/usr/bin/env python3
"""Tamp against onnxruntime on the model-test models, in one run.

For each model of test/models/model_zoo.py (batch 1, static shapes) this
compiles it with `tamp compile` (recording compile time and peak compile
memory), then times Tamp's runtime and onnxruntime (CPU execution provider,
all graph optimizations, sequential execution) with the same inputs and the
same thread count, 1 and 2 threads. Latency is the median of timed runs after
warm-up. The ratio is Tamp latency / onnxruntime latency (lower is better).
Each model is also compiled with `--fuse=false` and timed the same way:
the fusion speedup is unfused latency / fused latency (higher is better).

It prints the table and writes docs/PERFORMANCE.md (--markdown). The gate of
the first code-generation issue is a ratio of at most 3 at 1 thread on every
model; --gate makes the exit status follow it.

The int8 section (--int8-models, default ResNet-18 and BERT) compiles each
model also with `tamp compile --quantize=w8a8`, calibrated on 8 seeded random
input sets, and times it against Tamp's own fp32 build and against
onnxruntime running the model quantized by its own `quantize_static` (QDQ,
uint8 activations, per-channel int8 weights, the same calibration sets).
The quantization issue's target: Tamp int8 at least 1.5x faster than Tamp
fp32 on the conv-heavy and the linear-heavy model.

The pruning section (--prune-models) compiles ResNet-18, MobileNetV2 and
BERT with `tamp compile --prune=...` (channels, heads) and reports, at 1
thread, the pruned/dense latency against the pruned/float multiply-
accumulates of the compression report: whether time falls with the work.

  bench/run_bench.py                       # all models, 1 and 2 threads
  bench/run_bench.py --models mlp --threads 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "python"))
sys.path.insert(0, str(REPO_ROOT / "test" / "models"))

import model_zoo  # noqa: E402
import tamp  # noqa: E402

GATE_RATIO = 3.0
INT8_SPEEDUP_TARGET = 1.5
CALIBRATION_SETS = 8


@dataclass
class Compilation:
    seconds: float
    peak_rss_bytes: int
    artifact_bytes: int


@dataclass
class Timing:
    model: str
    threads: int
    tamp_ms: float
    ort_ms: float
    tamp_peak_bytes: int
    unfused_ms: float

    @property
    def ratio(self) -> float:
        return self.tamp_ms / self.ort_ms

    @property
    def fusion_speedup(self) -> float:
        return self.unfused_ms / self.tamp_ms


def compile_model(tamp_bin: Path, onnx_path: Path, library: Path,
                  extra: tuple[str, ...] = ()) -> Compilation:
    """Runs `tamp compile` as a child and reads its peak RSS from wait4."""
    start = time.perf_counter()
    child = subprocess.Popen([str(tamp_bin), "compile", str(onnx_path), "-o",
                              str(library), *extra], stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    stderr = child.stderr.read().decode(errors="replace") if child.stderr else ""
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"tamp compile {onnx_path.name} failed:\n{stderr}")
    return Compilation(seconds, usage.ru_maxrss * 1024,
                       library.stat().st_size)


@dataclass
class Int8Timing:
    model: str
    threads: int
    tamp_fp32_ms: float
    tamp_int8_ms: float
    ort_int8_ms: float

    @property
    def speedup(self) -> float:
        return self.tamp_fp32_ms / self.tamp_int8_ms

    @property
    def ratio(self) -> float:
        return self.tamp_int8_ms / self.ort_int8_ms


def calibration_sets(model: onnx.ModelProto) -> list[dict[str, np.ndarray]]:
    return [model_zoo.random_inputs(model, 1, seed=100 + i)
            for i in range(CALIBRATION_SETS)]


def ort_quantize_static(source: Path, target: Path,
                        model: onnx.ModelProto) -> None:
    """onnxruntime's own int8 model: QDQ, u8 activations, s8 weights."""
    from onnxruntime.quantization import (CalibrationDataReader, QuantFormat,
                                          QuantType, quantize_static)

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.feeds = iter(calibration_sets(model))

        def get_next(self):
            return next(self.feeds, None)

    quantize_static(str(source), str(target), Reader(),
                    quant_format=QuantFormat.QDQ, per_channel=True,
                    activation_type=QuantType.QUInt8,
                    weight_type=QuantType.QInt8)


def median_ms(run, min_runs: int, min_seconds: float, warmup: int) -> float:
    for _ in range(warmup):
        run()
    samples = []
    begin = time.perf_counter()
    while len(samples) < min_runs or time.perf_counter() - begin < min_seconds:
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1e3)
    return statistics.median(samples)


def ort_session(model: onnx.ModelProto, threads: int) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(model.SerializeToString(), options,
                                providers=["CPUExecutionProvider"])


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def write_markdown(path: Path, compilations: dict[str, Compilation],
                   timings: list[Timing], int8_timings: list[Int8Timing],
                   pruned_timings: list[PrunedTiming], command: str) -> None:
    lines = [
        "# Performance",
        "",
        f"Generated by `{command}`; do not edit by hand.",
        "",
        f"Machine: {cpu_name()}, {os.cpu_count()} cores; onnxruntime "
        f"{ort.__version__} (CPU execution provider, all graph optimizations, "
        "sequential execution, intra-op threads as listed). Same inputs, "
        "same thread count, same run. Latency is the median of timed runs "
        "after warm-up, batch 1, fp32. Ratio = Tamp / onnxruntime (lower is "
        f"better); the gate for fp32 code generation is at most {GATE_RATIO:g} "
        "at 1 thread. Unfused = the same model compiled with `--fuse=false`; "
        "fusion speedup = unfused / Tamp (higher is better).",
        "",
        "| model | threads | Tamp ms | onnxruntime ms | ratio | Tamp unfused "
        "ms | fusion speedup | Tamp peak run memory MiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for t in timings:
        lines.append(f"| {t.model} | {t.threads} | {t.tamp_ms:.2f} | "
                     f"{t.ort_ms:.2f} | {t.ratio:.2f} | {t.unfused_ms:.2f} | "
                     f"{t.fusion_speedup:.2f} | "
                     f"{t.tamp_peak_bytes / 2**20:.1f} |")
    lines += [
        "",
        "## Compilation",
        "",
        "`tamp compile model.onnx -o model.so` for the host CPU, timed as a "
        "whole process; peak memory is the compiler's maximum resident set.",
        "",
        "| model | compile s | peak compile memory MiB | artifact MiB |",
        "|---|---:|---:|---:|",
    ]
    for name, c in compilations.items():
        lines.append(f"| {name} | {c.seconds:.1f} | "
                     f"{c.peak_rss_bytes / 2**20:.0f} | "
                     f"{c.artifact_bytes / 2**20:.1f} |")
    if int8_timings:
        lines += [
            "",
            "## int8",
            "",
            "`tamp compile --quantize=w8a8` (static int8 weights and "
            f"activations, calibrated on {CALIBRATION_SETS} seeded random "
            "input sets) against Tamp's fp32 build and against onnxruntime "
            "running the model quantized by its own `quantize_static` (QDQ, "
            "uint8 activations, per-channel int8 weights, the same "
            "calibration sets). Speedup = Tamp fp32 / Tamp int8 (higher is "
            f"better; the target is at least {INT8_SPEEDUP_TARGET:g}); "
            "ratio = Tamp int8 / onnxruntime int8 (lower is better).",
            "",
            "| model | threads | Tamp fp32 ms | Tamp int8 ms | speedup | "
            "onnxruntime int8 ms | ratio |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for t in int8_timings:
            lines.append(f"| {t.model} | {t.threads} | {t.tamp_fp32_ms:.2f} | "
                         f"{t.tamp_int8_ms:.2f} | {t.speedup:.2f} | "
                         f"{t.ort_int8_ms:.2f} | {t.ratio:.2f} |")
    if pruned_timings:
        lines += [
            "",
            "## Pruning",
            "",
            "`tamp compile --prune=SPEC` (structured pruning, see the user "
            "guide) against the dense model, 1 thread. MACs = multiply-"
            "accumulates of the pruned model / the float model's (the "
            "compression report); latency = pruned / dense; proportionality "
            "= latency ratio / MAC ratio (1 when time falls exactly in "
            "proportion to the work; above 1 when the work that pruning does "
            "not touch, or smaller matrices' lower efficiency, dominates).",
            "",
            "| model | prune | MACs | dense ms | pruned ms | latency | "
            "proportionality |",
            "|---|---|---:|---:|---:|---:|---:|",
        ]
        for t in pruned_timings:
            lines.append(f"| {t.model} | `{t.spec}` | {t.mac_ratio:.3f} | "
                         f"{t.dense_ms:.2f} | {t.pruned_ms:.2f} | "
                         f"{t.latency_ratio:.3f} | {t.proportionality:.2f} |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@dataclass
class PrunedTiming:
    model: str
    spec: str
    mac_ratio: float
    dense_ms: float
    pruned_ms: float

    @property
    def latency_ratio(self) -> float:
        return self.pruned_ms / self.dense_ms

    @property
    def proportionality(self) -> float:
        """Latency ratio / MAC ratio: 1 when time falls exactly with work."""
        return self.latency_ratio / self.mac_ratio


# Structured pruning (no reconstruction: it changes weights, not time).
PRUNE_CONFIGS = [
    ("resnet18", "channels=0.3,reconstruct=0"),
    ("resnet18", "channels=0.5,reconstruct=0"),
    ("mobilenetv2", "channels=0.3,reconstruct=0"),
    ("bert4", "heads=0.25,reconstruct=0"),
    ("bert4", "channels=0.5,heads=0.5,reconstruct=0"),
]


def time_pruned(name: str, specs: list[str], work: Path,
                args) -> list[PrunedTiming]:
    """Tamp latency of `name` pruned by each spec against the dense model,
    at 1 thread, with the MAC ratio from the compression report."""
    model = model_zoo.MODELS[name](1)
    source = work / f"{name}-prune-source.onnx"
    onnx.save(model, str(source))
    feeds = model_zoo.random_inputs(model, 1)
    dense = tamp.compile(str(source), output=str(work / f"{name}-dense.so"))
    dense.num_threads = 1
    dense_ms = median_ms(lambda: dense(feeds), args.min_runs,
                         args.min_seconds, args.warmup)
    results = []
    for index, spec in enumerate(specs):
        pruned = tamp.compile(
            str(source), output=str(work / f"{name}-pruned-{index}.so"),
            prune=spec, calibration=calibration_sets(model)[:2])
        pruned.num_threads = 1
        report = json.loads(pruned.manifest)["compression"]
        pruned_ms = median_ms(lambda: pruned(feeds), args.min_runs,
                              args.min_seconds, args.warmup)
        timing = PrunedTiming(name, spec,
                              report["macs"] / report["float_macs"], dense_ms,
                              pruned_ms)
        results.append(timing)
        print(f"{name:<12} prune {spec}: MACs {timing.mac_ratio:5.3f}x  "
              f"latency {dense_ms:8.2f} -> {pruned_ms:8.2f} ms "
              f"({timing.latency_ratio:5.3f}x)", flush=True)
    return results


def time_int8(name: str, work: Path, args) -> list[Int8Timing]:
    """Tamp fp32, Tamp int8 and onnxruntime int8 for model `name`."""
    model = model_zoo.MODELS[name](1)
    source = work / f"{name}-int8-source.onnx"
    onnx.save(model, str(source))
    fp32 = tamp.compile(str(source), output=str(work / f"{name}-fp32.so"))
    int8 = tamp.compile(str(source), output=str(work / f"{name}-int8.so"),
                        quantize="w8a8", calibration=calibration_sets(model))
    ort_model_path = work / f"{name}-ort-int8.onnx"
    ort_quantize_static(source, ort_model_path, model)
    ort_model = onnx.load(str(ort_model_path))
    feeds = model_zoo.random_inputs(model, 1)
    results = []
    for threads in args.threads:
        fp32.num_threads = threads
        int8.num_threads = threads
        fp32_ms = median_ms(lambda: fp32(feeds), args.min_runs,
                            args.min_seconds, args.warmup)
        int8_ms = median_ms(lambda: int8(feeds), args.min_runs,
                            args.min_seconds, args.warmup)
        session = ort_session(ort_model, threads)
        ort_ms = median_ms(lambda: session.run(None, feeds), args.min_runs,
                           args.min_seconds, args.warmup)
        timing = Int8Timing(name, threads, fp32_ms, int8_ms, ort_ms)
        results.append(timing)
        print(f"{name:<12} int8 {threads} thread(s): tamp fp32 {fp32_ms:8.2f} "
              f"ms  tamp int8 {int8_ms:8.2f} ms  speedup "
              f"{timing.speedup:5.2f}  onnxruntime int8 {ort_ms:8.2f} ms  "
              f"ratio {timing.ratio:5.2f}", flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", choices=sorted(model_zoo.MODELS),
                        default=list(model_zoo.MODELS))
    parser.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--tamp", type=Path,
                        default=REPO_ROOT / "build" / "bin" / "tamp")
    parser.add_argument("--min-runs", type=int, default=10)
    parser.add_argument("--min-seconds", type=float, default=2.0)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--int8-models", nargs="*",
                        choices=sorted(model_zoo.MODELS),
                        default=["resnet18", "bert4"],
                        help="models also timed quantized to int8 (none: "
                             "skip the int8 section)")
    parser.add_argument("--prune-models", nargs="*",
                        choices=sorted({m for m, _ in PRUNE_CONFIGS}),
                        default=sorted({m for m, _ in PRUNE_CONFIGS}),
                        help="models also timed pruned (none: skip the "
                             "pruning section)")
    parser.add_argument("--markdown", type=Path,
                        help="write the tables here (docs/PERFORMANCE.md)")
    parser.add_argument("--gate", action="store_true",
                        help=f"exit 1 unless every 1-thread ratio is at most "
                             f"{GATE_RATIO:g}")
    args = parser.parse_args(argv)

    compilations: dict[str, Compilation] = {}
    timings: list[Timing] = []
    int8_timings: list[Int8Timing] = []
    pruned_timings: list[PrunedTiming] = []
    with tempfile.TemporaryDirectory(prefix="tamp-bench-") as scratch:
        work = Path(scratch)
        for name in args.models:
            model = model_zoo.MODELS[name](1)
            onnx_path = work / f"{name}.onnx"
            onnx.save(model, str(onnx_path))
            library = work / f"{name}.so"
            compilations[name] = compile_model(args.tamp, onnx_path, library)
            compiled = tamp.load(str(library))
            unfused_library = work / f"{name}-unfused.so"
            compile_model(args.tamp, onnx_path, unfused_library,
                          ("--fuse=false",))
            unfused = tamp.load(str(unfused_library))
            feeds = model_zoo.random_inputs(model, 1)
            for threads in args.threads:
                compiled.num_threads = threads
                unfused.num_threads = threads
                tamp_ms = median_ms(lambda: compiled(feeds), args.min_runs,
                                    args.min_seconds, args.warmup)
                unfused_ms = median_ms(lambda: unfused(feeds), args.min_runs,
                                       args.min_seconds, args.warmup)
                session = ort_session(model, threads)
                ort_ms = median_ms(lambda: session.run(None, feeds),
                                   args.min_runs, args.min_seconds,
                                   args.warmup)
                timing = Timing(name, threads, tamp_ms, ort_ms,
                                compiled.peak_bytes, unfused_ms)
                timings.append(timing)
                print(f"{name:<12} {threads} thread(s): tamp {tamp_ms:8.2f} ms"
                      f"  onnxruntime {ort_ms:8.2f} ms  ratio "
                      f"{timing.ratio:5.2f}  unfused {unfused_ms:8.2f} ms  "
                      f"fusion speedup {timing.fusion_speedup:5.2f}",
                      flush=True)
            c = compilations[name]
            print(f"{name:<12} compile {c.seconds:.1f} s, peak "
                  f"{c.peak_rss_bytes / 2**20:.0f} MiB", flush=True)
        for name in args.int8_models:
            int8_timings += time_int8(name, work, args)
        for name in args.prune_models:
            pruned_timings += time_pruned(
                name, [spec for model, spec in PRUNE_CONFIGS if model == name],
                work, args)

    if args.markdown is not None:
        command = "bench/run_bench.py --markdown " + (
            args.markdown.resolve().relative_to(REPO_ROOT).as_posix()
            if args.markdown.resolve().is_relative_to(REPO_ROOT)
            else str(args.markdown))
        write_markdown(args.markdown, compilations, timings, int8_timings,
                       pruned_timings, command)
    single = [t for t in timings if t.threads == 1]
    within = all(t.ratio <= GATE_RATIO for t in single)
    print(f"gate (every 1-thread ratio <= {GATE_RATIO:g}): "
          f"{'met' if within else 'NOT met'}")
    if int8_timings:
        fast = all(t.speedup >= INT8_SPEEDUP_TARGET for t in int8_timings
                   if t.threads == 1)
        print(f"int8 target (1-thread speedup >= {INT8_SPEEDUP_TARGET:g}): "
              f"{'met' if fast else 'NOT met'}")
    return 1 if args.gate and not within else 0


if __name__ == "__main__":
    sys.exit(main())
