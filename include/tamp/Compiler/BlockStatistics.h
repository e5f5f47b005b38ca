//===- BlockStatistics.h - Measure residual blocks on calibration data -*- C++
//-*-===//
//
// Layer removal ranks residual blocks by how much they change their input.
// This runs the float model on the calibration sets and records, on each
// block's join, the mean relative change ||z - x||^2 / ||x||^2 as
// `tamp.block_calibration` (docs/CALIBRATION.md).
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_COMPILER_BLOCKSTATISTICS_H
#define TAMP_COMPILER_BLOCKSTATISTICS_H

#include "tamp/Compiler/Calibration.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

namespace tamp {

/// The prefix of the `tamp.name` of the outputs that observe residual
/// blocks: `tamp.block.<K>.input` and `tamp.block.<K>.output`, K in the
/// order of `findResidualBlocks`.
inline constexpr llvm::StringLiteral kBlockObserverNamePrefix = "tamp.block.";

/// Runs `module`'s entry function, compiled for the host with every
/// residual block's input and output as extra results, on `data`, and
/// writes `tamp.block_calibration` onto the blocks' joins. A model without
/// residual blocks is left as it is.
mlir::LogicalResult
measureResidualBlocks(mlir::ModuleOp module,
                      llvm::ArrayRef<CalibrationInputs> data,
                      unsigned numThreads = 0);

} // namespace tamp

#endif // TAMP_COMPILER_BLOCKSTATISTICS_H
