//===- LowerMemRefCopy.cpp - memref.copy as linalg.copy -------------------===//
//
// Bufferization copies into strided views (the interior of a padded
// tensor, an image of a batch) with memref.copy, which the LLVM lowering
// turns into calls of `memrefCopy` from MLIR's C runner utilities: a
// library compiled models do not link. As linalg.copy the copy becomes
// loops like every other linalg op, parallel where the pipeline is.
//
//===----------------------------------------------------------------------===//

#include "tamp/Target/CPU/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tamp {
#define GEN_PASS_DEF_LOWERMEMREFCOPY
#include "tamp/Target/CPU/Passes.h.inc"
} // namespace tamp

using namespace mlir;

namespace {
/// memref.copy %source, %target -> linalg.copy ins(%source) outs(%target).
struct CopyToLinalg : public OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(memref::CopyOp copy,
                                PatternRewriter &rewriter) const override {
    auto sourceType = dyn_cast<MemRefType>(copy.getSource().getType());
    auto targetType = dyn_cast<MemRefType>(copy.getTarget().getType());
    if (!sourceType || !targetType)
      return rewriter.notifyMatchFailure(copy, "unranked memrefs");
    // A copy onto itself (a slice written in place) does nothing.
    if (copy.getSource() == copy.getTarget()) {
      rewriter.eraseOp(copy);
      return success();
    }
    rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(),
                                                copy.getTarget());
    return success();
  }
};

struct LowerMemRefCopyPass
    : public tamp::impl::LowerMemRefCopyBase<LowerMemRefCopyPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<CopyToLinalg>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
