//===- Passes.h - Compression passes on the tamp dialect --------*- C++ -*-===//
//
// Calibration, quantization, pruning and fusion, all on tamp-dialect IR.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_DIALECT_TAMP_TRANSFORMS_PASSES_H
#define TAMP_DIALECT_TAMP_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace tamp {

/// How `tamp-quantize-weights` rounds weights to their integer grid.
enum class WeightRoundingMethod { RoundToNearest, GPTQ, AWQ };

#define GEN_PASS_DECL
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"

/// The attribute that calibration writes on every op implementing
/// QuantizableOpInterface and that the compression passes read. See
/// docs/CALIBRATION.md for its keys.
inline constexpr llvm::StringLiteral kCalibrationAttrName = "tamp.calibration";

/// The prefix of the `tamp.name` of the entry results that
/// `tamp-insert-observers` adds: `tamp.observe.<K>.<role>`, where K counts
/// the quantizable ops in walk order and role is `operand<I>` or `result0`.
inline constexpr llvm::StringLiteral kObserverNamePrefix = "tamp.observe.";

} // namespace tamp

#endif // TAMP_DIALECT_TAMP_TRANSFORMS_PASSES_H
