//===- FoldTransposeReshape.cpp - Transpose and reshape chains ------------===//
//
// Exporters move data back and forth (reshape to heads, transpose, reshape
// back; flatten then unsqueeze). The ops' canonicalization patterns fold
// such chains; this pass applies exactly those, so it can run where a full
// canonicalization would do more than asked, and counts what went away.
//
//===----------------------------------------------------------------------===//

#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tamp {
#define GEN_PASS_DEF_FOLDTRANSPOSERESHAPE
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"
} // namespace tamp

using namespace mlir;
using namespace tamp;

namespace {

struct FoldTransposeReshapePass
    : public tamp::impl::FoldTransposeReshapeBase<FoldTransposeReshapePass> {
  /// The transposes and the reshape-like ops in the function.
  std::pair<int64_t, int64_t> countDataMovement() {
    int64_t transposes = 0, reshapes = 0;
    getOperation().walk([&](Operation *op) {
      if (isa<TransposeOp>(op))
        ++transposes;
      else if (isa<ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp>(op))
        ++reshapes;
    });
    return {transposes, reshapes};
  }

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    auto [transposesBefore, reshapesBefore] = countDataMovement();
    RewritePatternSet patterns(ctx);
    TransposeOp::getCanonicalizationPatterns(patterns, ctx);
    ReshapeOp::getCanonicalizationPatterns(patterns, ctx);
    FlattenOp::getCanonicalizationPatterns(patterns, ctx);
    SqueezeOp::getCanonicalizationPatterns(patterns, ctx);
    UnsqueezeOp::getCanonicalizationPatterns(patterns, ctx);
    // Folding stays on for the identity folders of the same ops; the
    // patterns create only small shape constants.
    GreedyRewriteConfig config;
    config.enableConstantCSE(false);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
    auto [transposesAfter, reshapesAfter] = countDataMovement();
    int64_t transposes = transposesBefore - transposesAfter;
    int64_t reshapes = reshapesBefore - reshapesAfter;
    numTransposes += transposes;
    numReshapes += reshapes;
    addFusionCount(getOperation(), "transposes_folded", transposes);
    addFusionCount(getOperation(), "reshapes_folded", reshapes);
  }
};

} // namespace
