//===- PruneChannels.cpp - Remove the least important channels -----------===//
//
// Prunes the channel groups (attention heads are tamp-prune-heads' job); see
// ChannelPruning.h.
//
//===----------------------------------------------------------------------===//

#include "ChannelPruning.h"

#include "tamp/Dialect/Tamp/Transforms/Passes.h"

namespace tamp {
#define GEN_PASS_DEF_PRUNECHANNELS
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"
} // namespace tamp

using namespace mlir;

namespace {

struct PruneChannelsPass
    : public tamp::impl::PruneChannelsBase<PruneChannelsPass> {
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
    options.global = global;
    FailureOr<int64_t> removed = tamp::pruneGroups(
        function, options,
        [](const tamp::ChannelGroup &group) { return !group.isHeads(); });
    if (failed(removed))
      return signalPassFailure();
    numRemoved += *removed;
  }
};

} // namespace
