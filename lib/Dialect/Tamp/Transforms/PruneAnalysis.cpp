//===- PruneAnalysis.cpp - Print the channel groups -----------------------===//

#include "ChannelDependency.h"

#include "tamp/Dialect/Tamp/Transforms/Passes.h"

namespace tamp {
#define GEN_PASS_DEF_PRUNEANALYSIS
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"
} // namespace tamp

using namespace mlir;

namespace {

struct PruneAnalysisPass
    : public tamp::impl::PruneAnalysisBase<PruneAnalysisPass> {
  void runOnOperation() override {
    func::FuncOp function = getOperation();
    if (function.isExternal() || function.isPrivate())
      return;
    llvm::outs() << "channel groups of @" << function.getSymName() << ":\n";
    tamp::ChannelDependencyGraph(function).print(llvm::outs());
    markAllAnalysesPreserved();
  }
};

} // namespace
