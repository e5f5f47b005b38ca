//===- RecomposeGelu.cpp - Decomposed GELU into tamp.gelu -----------------===//
//
// Exporters write GELU as x * 0.5 * (1 + erf(x / sqrt(2))), or its tanh
// approximation, in several operand orders. As one op it becomes one
// element-wise loop, and `tamp-fuse-activation` can fold it into the
// preceding layer.
//
//===----------------------------------------------------------------------===//

#include "FusionUtils.h"

#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace tamp {
#define GEN_PASS_DEF_RECOMPOSEGELU
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"
} // namespace tamp

using namespace mlir;
using namespace tamp;

static constexpr double kSqrt2 = 1.41421356237309504880;
static constexpr double kSqrt2OverPi = 0.79788456080286535588;
static constexpr double kTanhCubicCoefficient = 0.044715;

/// For `value` = x * c or c * x (or x / (1 / c)) with the uniform constant
/// c approximately `factor`, returns x.
static Value matchScaled(Value value, double factor) {
  if (auto mul = value.getDefiningOp<MulOp>()) {
    if (isApproximately(getUniformFloatConstant(mul.getRhs()), factor))
      return mul.getLhs();
    if (isApproximately(getUniformFloatConstant(mul.getLhs()), factor))
      return mul.getRhs();
  }
  if (auto div = value.getDefiningOp<DivOp>())
    if (isApproximately(getUniformFloatConstant(div.getRhs()), 1.0 / factor))
      return div.getLhs();
  return nullptr;
}

/// Whether `value` is x^3: pow(x, 3), x * (x * x) or (x * x) * x.
static bool isCubeOf(Value value, Value x) {
  if (auto pow = value.getDefiningOp<PowOp>())
    return pow.getLhs() == x &&
           isApproximately(getUniformFloatConstant(pow.getRhs()), 3.0);
  auto mul = value.getDefiningOp<MulOp>();
  if (!mul)
    return false;
  Value square = getOtherOperand(mul, x);
  auto squareMul = square ? square.getDefiningOp<MulOp>() : MulOp();
  return squareMul && squareMul->hasOneUse() && squareMul.getLhs() == x &&
         squareMul.getRhs() == x;
}

/// The argument x of tanh(sqrt(2/pi) * (x + 0.044715 * x^3)).
static Value matchTanhArgument(Value argument) {
  Value inner = matchScaled(argument, kSqrt2OverPi);
  if (!inner || !argument.hasOneUse())
    return nullptr;
  auto add = inner.getDefiningOp<AddOp>();
  if (!add || !add->hasOneUse())
    return nullptr;
  for (auto [x, term] : {std::pair(add.getLhs(), add.getRhs()),
                         std::pair(add.getRhs(), add.getLhs())}) {
    Value cube = matchScaled(term, kTanhCubicCoefficient);
    if (cube && term.hasOneUse() && cube.hasOneUse() && isCubeOf(cube, x))
      return x;
  }
  return nullptr;
}

namespace {

/// Rooted at the erf (or tanh): finds x from its argument, then walks up
/// the single-use chain `(1 + erf) * x * 0.5` in any order and association.
template <typename OpTy> struct RecomposeGeluPattern : OpRewritePattern<OpTy> {
  RecomposeGeluPattern(MLIRContext *ctx, int64_t &recomposed)
      : OpRewritePattern<OpTy>(ctx), recomposed(recomposed) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    constexpr bool isTanh = std::is_same_v<OpTy, TanhOp>;
    Value x = isTanh ? matchTanhArgument(op.getInput())
                     : matchScaled(op.getInput(), 1.0 / kSqrt2);
    if (!x || !op.getInput().hasOneUse() || !isFloatTensor(x))
      return failure();
    auto onePlus = getSoleUser<AddOp>(op.getResult());
    if (!onePlus || !isApproximately(getUniformFloatConstant(getOtherOperand(
                                         onePlus, op.getResult())),
                                     1.0))
      return failure();

    // Multiply in x and 0.5, one at a time or as a product of their own.
    bool needX = true, needHalf = true;
    Value current = onePlus.getResult();
    while (needX || needHalf) {
      auto mul = getSoleUser<MulOp>(current);
      if (!mul)
        return failure();
      Value factor = getOtherOperand(mul, current);
      if (needX && factor == x) {
        needX = false;
      } else if (needHalf &&
                 isApproximately(getUniformFloatConstant(factor), 0.5)) {
        needHalf = false;
      } else if (needX && needHalf && factor.hasOneUse() &&
                 matchScaled(factor, 0.5) == x) {
        needX = needHalf = false;
      } else {
        return failure();
      }
      current = mul.getResult();
    }
    Operation *last = current.getDefiningOp();
    if (current.getType() != x.getType())
      return failure();
    rewriter.setInsertionPoint(last);
    rewriter.replaceOpWithNewOp<GeluOp>(last, x.getType(), x,
                                        isTanh ? GeluApproximation::tanh
                                               : GeluApproximation::none);
    ++recomposed;
    return success();
  }

  int64_t &recomposed;
};

struct RecomposeGeluPass
    : public tamp::impl::RecomposeGeluBase<RecomposeGeluPass> {
  void runOnOperation() override {
    int64_t recomposed = 0;
    RewritePatternSet patterns(&getContext());
    patterns.add<RecomposeGeluPattern<ErfOp>, RecomposeGeluPattern<TanhOp>>(
        &getContext(), recomposed);
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
    numRecomposed += recomposed;
    addFusionCount(getOperation(), "gelu_recomposed", recomposed);
  }
};

} // namespace
