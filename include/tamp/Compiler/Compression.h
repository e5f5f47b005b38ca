//===- Compression.h - Compression pipeline and report ----------*- C++ -*-===//
//
// What `tamp compile --quantize ...` does before code generation: calibrate
// when a pass needs statistics, run the compression passes, and measure the
// result against the float model on the calibration data (the compression
// report, also recorded in the artifact's manifest).
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_COMPILER_COMPRESSION_H
#define TAMP_COMPILER_COMPRESSION_H

#include "tamp/Compiler/Calibration.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace tamp {

/// What `tamp compile` compresses, and how.
struct CompressionOptions {
  /// `w8a8` (static int8 weights and activations), `dynamic` (int8 weights,
  /// activations quantized at run time), `w8`, `w4`, `w3`, `w2` (weight
  /// only); empty for none.
  std::string quantize;
  /// Weight-only: columns per scale; -1 picks the mode's default (128 for
  /// 4 bits and fewer, per output channel for 8), 0 is per output channel.
  int64_t groupSize = -1;
  /// Weight-only rounding: `rtn`, `gptq` or `awq`.
  std::string rounding = "rtn";
  /// Weight-only: signed codes without zero points.
  bool symmetric = false;
  /// Static int8: which calibrated activation range (docs/CALIBRATION.md).
  std::string calibrationMethod = "minmax";
  /// Static int8: `u8` or `i8` activations.
  std::string activationType = "u8";
  /// Layers (ONNX node names) matching this regular expression stay float.
  std::string keepFloat;
  /// Mixed precision: the largest relative output error (1 - cosine
  /// similarity of the final outputs with the float model's, on the
  /// calibration data) the per-layer choice of int8, int4 or float may
  /// reach.
  std::optional<double> accuracyBudget;
  /// Mixed precision: the largest average stored bits per weight.
  std::optional<double> targetBitsPerWeight;
  /// Structured pruning before quantization, comma-separated KEY=VALUE:
  /// `channels=R` and `heads=R` (fractions removed), `channels[REGEX]=R`
  /// and `heads[REGEX]=R` per-layer overrides, `score=l1|l2|activation`,
  /// `global=1`, `min-keep=F`, `reconstruct=0|1` (default 1 with
  /// calibration data), `damping=F`. Empty for none.
  std::string prune;
};

/// Multiply-accumulates of one run of `module`'s entry function in its
/// convolutions, linear layers and matmuls (dynamic sizes count as 1).
int64_t countMultiplyAccumulates(mlir::ModuleOp module);

/// Whether `options` need calibration data (static activation ranges,
/// GPTQ/AWQ statistics, mixed precision).
bool needsCalibration(const CompressionOptions &options);

/// Checks the options; errors name the offending flag.
mlir::LogicalResult verifyCompressionOptions(const CompressionOptions &options,
                                             mlir::Location loc);

/// Calibrates (when needed), compresses `module` in place and, with `data`,
/// measures the result against the float model; the report goes to
/// `report` (when not null) and into the module's
/// `tamp.compression_report` for the manifest.
mlir::LogicalResult compressModel(mlir::ModuleOp module,
                                  const CompressionOptions &options,
                                  llvm::ArrayRef<CalibrationInputs> data,
                                  llvm::raw_ostream *report = nullptr);

/// One quantizable layer of a compressed model.
struct LayerReport {
  /// The ONNX node name (or `<op>#<index>` for unnamed ops).
  std::string name;
  std::string op;
  /// The weight's storage: `f32`, `int8`, `int4`, ... (`-` without weight).
  std::string precision;
  /// Elements per quantization group along the reduction; 0 for per
  /// channel (or per tensor).
  int64_t groupSize = 0;
  int64_t weightElements = 0;
  /// Bytes of the constants the weight is computed from (packed values,
  /// scales, zero points), and of the float weight they replace.
  uint64_t weightBytes = 0;
  uint64_t floatWeightBytes = 0;
  /// Signal-to-quantization-noise ratio of the layer's output against the
  /// float model's on the calibration data, in dB (infinite when exact).
  double sqnrDb = 0;
  /// Fraction of zero weights that `tamp-sparsify` left, and how the weight
  /// is stored: `dense`, `N:M` or `ell` (see tamp.sparse_linear).
  double sparsity = 0;
  std::string format = "dense";
};

/// Error of one model output against the float model's.
struct OutputReport {
  std::string name;
  double sqnrDb = 0;
  double cosine = 1;
  double maxAbsError = 0;
};

struct CompressionReport {
  std::vector<LayerReport> layers;
  std::vector<OutputReport> outputs;
  /// Bytes of all constants of the model, compressed and float.
  uint64_t weightBytes = 0;
  uint64_t floatWeightBytes = 0;
  /// Stored bits per weight element over the quantizable layers' weights.
  double bitsPerWeight = 0;
  int64_t samples = 0;
  /// Multiply-accumulates per run, compressed and float.
  int64_t macs = 0;
  int64_t floatMacs = 0;
};

/// Measures `compressed` against `reference` (the float model it was made
/// from) on `data`: per-layer output SQNR, final output error and sizes.
/// Layers pair up by their order among the quantizable ops.
mlir::FailureOr<CompressionReport>
measureCompression(mlir::ModuleOp reference, mlir::ModuleOp compressed,
                   llvm::ArrayRef<CalibrationInputs> data);

void printCompressionReport(const CompressionReport &report,
                            llvm::raw_ostream &os);
llvm::json::Value toJSON(const CompressionReport &report);

/// The module attribute holding the report's JSON text, which the artifact's
/// manifest embeds as `compression`.
inline constexpr llvm::StringLiteral kCompressionReportAttrName =
    "tamp.compression_report";

} // namespace tamp

#endif // TAMP_COMPILER_COMPRESSION_H
