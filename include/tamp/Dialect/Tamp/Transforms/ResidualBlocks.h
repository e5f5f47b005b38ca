//===- ResidualBlocks.h - Residual blocks of a tamp graph -------*- C++ -*-===//
//
// A residual block computes z = post(x + f(x)): a branch f that reads the
// block's input x, a `tamp.add` joining the branch's output with x (the skip
// connection), and a chain of shape-preserving ops after the join (ReLU,
// LayerNorm, ...) up to the next fork. Removing the block replaces z by x,
// which is the more accurate the less the block changes its input; layer
// removal (`tamp-prune-layers`) ranks blocks by that change, measured on
// calibration data (`tamp.block_calibration`, docs/CALIBRATION.md).
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_DIALECT_TAMP_TRANSFORMS_RESIDUALBLOCKS_H
#define TAMP_DIALECT_TAMP_TRANSFORMS_RESIDUALBLOCKS_H

#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>

namespace tamp {

/// The attribute that calibration writes on a residual block's join: a
/// dictionary with, as means over the calibration sets, `output_change`
/// (f64, 1 - the cosine similarity of the model's outputs with the block
/// bypassed and as it is), `relative_change` (f64, ||z - x||^2 / ||x||^2),
/// and `samples` (i64, the number of sets). See docs/CALIBRATION.md.
inline constexpr llvm::StringLiteral kBlockCalibrationAttrName =
    "tamp.block_calibration";

/// A residual block z = post(x + f(x)) of a function body.
///
/// - `input` (x) is used by the branch and, directly or through
///   shape-preserving ops (the skip path), by the join;
/// - the branch is every op on a path from x to the join's other operand;
///   besides x it reads only values that do not depend on x (weights,
///   attention masks): it has a single entry;
/// - nothing the branch computes is used outside the block: a single exit;
/// - `output` (z) is the join followed by the ops that have one operand
///   not computed from constants only and return its type, as long as each
///   value has a single use; it has x's type.
///
/// Removing the block (uses of z become x) is then well-formed. Blocks whose
/// shortcut transforms x (a strided or projecting 1x1 convolution) are not
/// residual blocks in this sense: z would not have x's type, or the join
/// would not see x.
struct ResidualBlock {
  mlir::Value input;
  /// The `tamp.add` of the skip path and the branch.
  mlir::Operation *join = nullptr;
  mlir::Value output;
  /// The branch's ops that depend on x, in program order.
  llvm::SmallVector<mlir::Operation *> branch;
  /// The ops between the join and z, in program order.
  llvm::SmallVector<mlir::Operation *> exit;
  /// Elements of the constants (weights) that only the block uses: removing
  /// the block removes them from the model.
  int64_t parameters = 0;

  /// Statistic `key` (`output_change`, `relative_change`) of the join's
  /// `tamp.block_calibration`, if it has it.
  std::optional<double> getStatistic(llvm::StringRef key) const;
};

/// The residual blocks of `func`'s body, in program order of their joins
/// (the block indices that `tamp-prune-layers` and the calibration outputs
/// use).
llvm::SmallVector<ResidualBlock> findResidualBlocks(mlir::func::FuncOp func);

/// The name users know a block by: its join's ONNX node name, if it has one.
std::optional<llvm::StringRef> getResidualBlockName(const ResidualBlock &block);

/// A block that `pruneResidualBlocks` removed.
struct RemovedResidualBlock {
  /// Its index in `findResidualBlocks` order before any removal.
  unsigned index;
  /// The join's ONNX node name; empty if it has none.
  std::string name;
  std::optional<double> outputChange;
  std::optional<double> relativeChange;
  int64_t parameters;
};

/// Removes the residual blocks of `func` that `options` select: the
/// `options.count` blocks with the smallest statistic `options.rankBy`
/// (ties by index), or the blocks listed in `options.indices` /
/// `options.names`.
/// Errors (missing statistics, more blocks asked for than `func` has,
/// unknown indices or names) are emitted at the offending op, and leave
/// `func` unchanged.
mlir::FailureOr<llvm::SmallVector<RemovedResidualBlock>>
pruneResidualBlocks(mlir::func::FuncOp func, const PruneLayersOptions &options);

} // namespace tamp

#endif // TAMP_DIALECT_TAMP_TRANSFORMS_RESIDUALBLOCKS_H
