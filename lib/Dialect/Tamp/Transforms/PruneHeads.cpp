//===- PruneHeads.cpp - Remove the least important heads -----------===//
//
// Prunes the groups whose unit is an attention head; see ChannelPruning.h.
//
//===----------------------------------------------------------------------===//

#include "ChannelPruning.h"

#include "tamp/Dialect/Tamp/Transforms/Passes.h"

namespace tamp {
#define GEN_PASS_DEF_PRUNEHEADS
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"
} // namespace tamp

using namespace mlir;

namespace {

struct PruneHeadsPass : public tamp::impl::PruneHeadsBase<PruneHeadsPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp function = getOperation();
    if (function.isExternal())
      return;
    tamp::GroupPruningOptions options;
    options.ratio = ratio;
    options.score = score;
    options.minKeep = minKeep;
    options.roundTo = roundTo;
    options.overrides.assign(overrides.begin(), overrides.end());

    FailureOr<int64_t> removed = tamp::pruneGroups(
        function, options,
        [](const tamp::ChannelGroup &group) { return group.isHeads(); });
    if (failed(removed))
      return signalPassFailure();
    numRemoved += *removed;
  }
};

} // namespace
