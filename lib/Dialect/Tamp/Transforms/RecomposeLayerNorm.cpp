//===- RecomposeLayerNorm.cpp - Decomposed LayerNorm into tamp.layer_norm -===//
//
// Exporters before ONNX opset 17 write layer normalisation as a dozen
// element-wise ops and two reductions; as one op it lowers to a two-pass
// kernel instead of materialising every intermediate.
//
//===----------------------------------------------------------------------===//

#include "FusionUtils.h"

#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tamp {
#define GEN_PASS_DEF_RECOMPOSELAYERNORM
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"
} // namespace tamp

using namespace mlir;
using namespace tamp;

/// The first normalised dimension of a keepdims reduce_mean over the
/// trailing axes of its input, or nullopt.
static std::optional<int64_t> getTrailingAxis(ReduceMeanOp mean) {
  int64_t rank = mean.getInput().getType().getRank();
  if (!mean.getKeepdims() || mean.getAxes().empty() || rank == 0)
    return std::nullopt;
  SmallVector<int64_t> axes;
  for (int64_t axis : mean.getAxes())
    axes.push_back(axis < 0 ? axis + rank : axis);
  llvm::sort(axes);
  for (auto [index, axis] : llvm::enumerate(axes))
    if (axis != rank - int64_t(axes.size()) + int64_t(index))
      return std::nullopt;
  return axes.front();
}

/// Whether `parameter` broadcasts onto the normalised dimensions
/// `normalized` without adding dimensions of its own.
static bool broadcastsToNormalized(Value parameter,
                                   ArrayRef<int64_t> normalized) {
  auto type = cast<RankedTensorType>(parameter.getType());
  if (type.getRank() > int64_t(normalized.size()))
    return false;
  ArrayRef<int64_t> tail = normalized.take_back(type.getRank());
  for (auto [size, expected] : llvm::zip(type.getShape(), tail))
    if (size != 1 && size != expected)
      return false;
  return true;
}

namespace {

/// Rooted at the normalisation `d / sqrt(var + eps)` (or
/// `d * reciprocal(sqrt(var + eps))`); extends down through an optional
/// gamma multiplication and beta addition.
struct RecomposeLayerNormPattern : RewritePattern {
  RecomposeLayerNormPattern(MLIRContext *ctx, int64_t &recomposed)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx),
        recomposed(recomposed) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    // n = d / std, or d * reciprocal(std).
    Value centered, std;
    if (auto div = dyn_cast<DivOp>(op)) {
      centered = div.getLhs();
      std = div.getRhs();
    } else if (auto mul = dyn_cast<MulOp>(op)) {
      for (auto [lhs, rhs] : {std::pair(mul.getLhs(), mul.getRhs()),
                              std::pair(mul.getRhs(), mul.getLhs())}) {
        auto reciprocal = rhs.getDefiningOp<ReciprocalOp>();
        if (reciprocal && reciprocal->hasOneUse()) {
          centered = lhs;
          std = reciprocal.getInput();
          break;
        }
      }
    }
    if (!centered || !std)
      return failure();

    // std = sqrt(var + eps).
    auto sqrt = std.getDefiningOp<SqrtOp>();
    if (!sqrt || !sqrt->hasOneUse())
      return failure();
    auto addEpsilon = sqrt.getInput().getDefiningOp<AddOp>();
    if (!addEpsilon || !addEpsilon->hasOneUse())
      return failure();
    ReduceMeanOp variance;
    std::optional<double> epsilon;
    for (auto [lhs, rhs] :
         {std::pair(addEpsilon.getLhs(), addEpsilon.getRhs()),
          std::pair(addEpsilon.getRhs(), addEpsilon.getLhs())})
      if (auto mean = lhs.getDefiningOp<ReduceMeanOp>()) {
        variance = mean;
        epsilon = getUniformFloatConstant(rhs);
        break;
      }
    if (!variance || !variance->hasOneUse() || !epsilon || !(*epsilon > 0) ||
        addEpsilon.getType() != variance.getType())
      return failure();

    // var = mean(d^2) over the same axes as the mean.
    Operation *square = variance.getInput().getDefiningOp();
    if (!square || !square->hasOneUse())
      return failure();
    if (auto pow = dyn_cast<PowOp>(square)) {
      if (pow.getLhs() != centered ||
          !isApproximately(getUniformFloatConstant(pow.getRhs()), 2.0) ||
          pow.getType() != pow.getLhs().getType())
        return failure();
    } else if (auto mul = dyn_cast<MulOp>(square)) {
      if (mul.getLhs() != centered || mul.getRhs() != centered)
        return failure();
    } else {
      return failure();
    }

    // d = x - mean(x), used only by the square and the normalisation.
    auto sub = centered.getDefiningOp<SubOp>();
    if (!sub)
      return failure();
    for (Operation *user : centered.getUsers())
      if (user != square && user != op)
        return failure();
    Value input = sub.getLhs();
    auto mean = sub.getRhs().getDefiningOp<ReduceMeanOp>();
    if (!mean || !mean->hasOneUse() || mean.getInput() != input ||
        !isFloatTensor(input) || sub.getType() != input.getType())
      return failure();
    std::optional<int64_t> axis = getTrailingAxis(mean);
    if (!axis || getTrailingAxis(variance) != axis ||
        variance.getAxes().size() != mean.getAxes().size())
      return failure();
    auto inputType = cast<RankedTensorType>(input.getType());
    if (op->getResult(0).getType() != inputType)
      return failure();
    ArrayRef<int64_t> normalized = inputType.getShape().drop_front(*axis);

    // Optional n * gamma, then optional + beta.
    Operation *last = op;
    Value gamma, beta;
    if (auto mul = getSoleUser<MulOp>(last->getResult(0))) {
      Value candidate = getOtherOperand(mul, last->getResult(0));
      if (candidate && broadcastsToNormalized(candidate, normalized) &&
          mul.getType() == inputType) {
        gamma = candidate;
        last = mul;
      }
    }
    if (auto add = getSoleUser<AddOp>(last->getResult(0))) {
      Value candidate = getOtherOperand(add, last->getResult(0));
      if (candidate && broadcastsToNormalized(candidate, normalized) &&
          add.getType() == inputType) {
        beta = candidate;
        last = add;
      }
    }

    rewriter.setInsertionPoint(last);
    Location loc = last->getLoc();
    if (!gamma) {
      // tamp.layer_norm needs a scale: ones over the normalised dimensions.
      if (!inputType.getElementType().isF32() ||
          ShapedType::isDynamic(normalized.back()))
        return failure();
      gamma = createF32Constant(rewriter, loc, {normalized.back()},
                                SmallVector<float>(normalized.back(), 1.0f),
                                Value(), "");
    }
    if (cast<RankedTensorType>(gamma.getType()).getElementType() !=
            inputType.getElementType() ||
        (beta && cast<RankedTensorType>(beta.getType()).getElementType() !=
                     inputType.getElementType()))
      return failure();
    rewriter.replaceOpWithNewOp<LayerNormOp>(
        last, inputType, input, gamma, beta, rewriter.getI64IntegerAttr(*axis),
        rewriter.getF32FloatAttr(static_cast<float>(*epsilon)));
    ++recomposed;
    return success();
  }

  int64_t &recomposed;
};

struct RecomposeLayerNormPass
    : public tamp::impl::RecomposeLayerNormBase<RecomposeLayerNormPass> {
  void runOnOperation() override {
    int64_t recomposed = 0;
    RewritePatternSet patterns(&getContext());
    patterns.add<RecomposeLayerNormPattern>(&getContext(), recomposed);
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
    numRecomposed += recomposed;
    addFusionCount(getOperation(), "layernorm_recomposed", recomposed);
  }
};

} // namespace
