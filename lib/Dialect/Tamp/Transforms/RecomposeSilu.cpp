//===- RecomposeSilu.cpp - x * sigmoid(x) into tamp.silu ------------------===//

#include "FusionUtils.h"

#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tamp {
#define GEN_PASS_DEF_RECOMPOSESILU
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"
} // namespace tamp

using namespace mlir;
using namespace tamp;

namespace {

/// mul(x, sigmoid(x)) or mul(sigmoid(x), x) -> silu(x).
struct RecomposeSiluPattern : OpRewritePattern<MulOp> {
  RecomposeSiluPattern(MLIRContext *ctx, int64_t &recomposed)
      : OpRewritePattern(ctx), recomposed(recomposed) {}

  LogicalResult matchAndRewrite(MulOp op,
                                PatternRewriter &rewriter) const override {
    for (auto [x, gate] : {std::pair(op.getLhs(), op.getRhs()),
                           std::pair(op.getRhs(), op.getLhs())}) {
      auto sigmoid = gate.getDefiningOp<SigmoidOp>();
      if (!sigmoid || sigmoid.getInput() != x || !sigmoid->hasOneUse() ||
          op.getType() != x.getType())
        continue;
      rewriter.replaceOpWithNewOp<SiluOp>(op, x.getType(), x);
      ++recomposed;
      return success();
    }
    return failure();
  }

  int64_t &recomposed;
};

struct RecomposeSiluPass
    : public tamp::impl::RecomposeSiluBase<RecomposeSiluPass> {
  void runOnOperation() override {
    int64_t recomposed = 0;
    RewritePatternSet patterns(&getContext());
    patterns.add<RecomposeSiluPattern>(&getContext(), recomposed);
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
    numRecomposed += recomposed;
    addFusionCount(getOperation(), "silu_recomposed", recomposed);
  }
};

} // namespace
