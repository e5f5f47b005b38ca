//===- ApproximateMath.cpp - Vectorizable erf, exp and tanh ---------------===//
//
// Scalar libm calls keep the loops around them scalar; MLIR's polynomial
// approximations are arithmetic that LLVM vectorizes.
//
//===----------------------------------------------------------------------===//

#include "tamp/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tamp {
#define GEN_PASS_DEF_APPROXIMATEMATH
#include "tamp/Target/CPU/Passes.h.inc"
} // namespace tamp

using namespace mlir;

namespace {
/// The approximations use math.fma and math.absf, which the libm lowering
/// would turn back into calls; LLVM's intrinsics vectorize.
template <typename MathOp, typename IntrinsicOp>
struct MathToIntrinsic : OpRewritePattern<MathOp> {
  using OpRewritePattern<MathOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(MathOp op,
                                PatternRewriter &rewriter) const override {
    // Scalars, and the 1-D vectors of epilogues applied to register blocks.
    if (!getElementTypeOrSelf(op.getType()).isF32())
      return failure();
    rewriter.replaceOpWithNewOp<IntrinsicOp>(op, op.getType(),
                                             op->getOperands());
    return success();
  }
};

struct ApproximateMathPass
    : public tamp::impl::ApproximateMathBase<ApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
      return name == math::ErfOp::getOperationName() ||
             name == math::ExpOp::getOperationName() ||
             name == math::TanhOp::getOperationName();
    });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    RewritePatternSet intrinsics(&getContext());
    intrinsics.add<MathToIntrinsic<math::FmaOp, LLVM::FMAOp>,
                   MathToIntrinsic<math::AbsFOp, LLVM::FAbsOp>>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(intrinsics))))
      return signalPassFailure();
  }
};
} // namespace
