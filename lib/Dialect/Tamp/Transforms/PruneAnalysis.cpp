//===- PruneAnalysis.cpp - Print the channel groups -----------------------===//

#include "ChannelDependency.h"

#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"

namespace tamp {
#define GEN_PASS_DEF_PRUNEANALYSIS
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"
} // namespace tamp

using namespace mlir;

namespace {

struct PruneAnalysisPass
    : public tamp::impl::PruneAnalysisBase<PruneAnalysisPass> {
  // A module pass: functions print one after the other, in order.
  void runOnOperation() override {
    for (auto function : getOperation().getOps<func::FuncOp>()) {
      if (function.isExternal() || function.isPrivate())
        continue;
      llvm::outs() << "channel groups of @" << function.getSymName() << ":\n";
      tamp::ChannelDependencyGraph(function).print(llvm::outs());
    }
    markAllAnalysesPreserved();
  }
};

} // namespace
