//===- PruneLayers.cpp - Remove whole residual blocks ---------------------===//
//
// Layer removal: a residual block that barely changes its input on the
// calibration data is replaced by its skip connection, and its weights
// leave the model.
//
//===----------------------------------------------------------------------===//

#include "tamp/Dialect/Tamp/IR/TampDialect.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"
#include "tamp/Dialect/Tamp/Transforms/ResidualBlocks.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace tamp {
#define GEN_PASS_DEF_PRUNELAYERS
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"
} // namespace tamp

using namespace mlir;

namespace {

struct PruneLayersPass : public tamp::impl::PruneLayersBase<PruneLayersPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isPrivate() || func.isExternal() ||
        (count == 0 && indices.empty() && names.empty())) {
      markAllAnalysesPreserved();
      return;
    }
    tamp::PruneLayersOptions options;
    options.count = count;
    options.rankBy = rankBy;
    options.indices.assign(indices.begin(), indices.end());
    options.names.assign(names.begin(), names.end());
    // Remarks go at the joins, which removal erases: locate them first.
    SmallVector<Location> joinLocations;
    for (const tamp::ResidualBlock &block : tamp::findResidualBlocks(func))
      joinLocations.push_back(block.join->getLoc());
    FailureOr<SmallVector<tamp::RemovedResidualBlock>> removed =
        tamp::pruneResidualBlocks(func, options);
    if (failed(removed))
      return signalPassFailure();
    for (const tamp::RemovedResidualBlock &block : *removed) {
      InFlightDiagnostic remark = emitRemark(joinLocations[block.index])
                                  << "removed residual block #" << block.index;
      if (!block.name.empty())
        remark << " '" << block.name << "'";
      remark << " (";
      auto addStatistic = [&](StringRef name, std::optional<double> value) {
        if (!value)
          return;
        std::string text;
        llvm::raw_string_ostream(text) << llvm::format("%.6g", *value);
        remark << name << " " << text << ", ";
      };
      addStatistic("output change", block.outputChange);
      addStatistic("relative change", block.relativeChange);
      remark << block.parameters << " parameters)";
    }
  }
};

} // namespace
