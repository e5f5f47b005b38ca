//===- ChannelPruning.h - Scoring and removing channel groups ---*- C++ -*-===//
//
// What tamp-prune-channels and tamp-prune-heads share: scoring the units of
// the groups that ChannelDependencyGraph finds, choosing which to remove,
// and removing them physically (every tensor, weight, parameter and shape
// that the group spans shrinks).
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_LIB_DIALECT_TAMP_TRANSFORMS_CHANNELPRUNING_H
#define TAMP_LIB_DIALECT_TAMP_TRANSFORMS_CHANNELPRUNING_H

#include "ChannelDependency.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace tamp {

struct GroupPruningOptions {
  /// Fraction of each group's units removed (unless overridden).
  double ratio = 0;
  /// `l1`, `l2` (weight magnitude of every layer the unit spans) or
  /// `activation` (|W| times the input activation's mean magnitude, at the
  /// layers that reduce over the unit, as Wanda does; needs calibration).
  std::string score = "l1";
  /// Remove the lowest-scoring units across all groups (scores normalised
  /// per group) instead of the same fraction of each.
  bool global = false;
  /// Fraction of its units that every group keeps (at least one).
  double minKeep = 0.1;
  /// Each group keeps a multiple of this many units (when it has more), so
  /// that the pruned layers stay multiples of the kernels' register blocks;
  /// 1 for any count.
  int64_t roundTo = 1;
  /// `regex=ratio` entries: groups whose name (first producer's ONNX node
  /// name) matches get that ratio.
  std::vector<std::string> overrides;
};

/// Prunes the prunable groups of `function` that `select` accepts (channel
/// groups or attention heads). Returns the number of units removed; errors
/// are reported at the function or the offending op.
mlir::FailureOr<int64_t>
pruneGroups(mlir::func::FuncOp function, const GroupPruningOptions &options,
            llvm::function_ref<bool(const ChannelGroup &)> select);

} // namespace tamp

#endif // TAMP_LIB_DIALECT_TAMP_TRANSFORMS_CHANNELPRUNING_H
