//===- RecomposeAttention.cpp - Scaled dot-product attention --------------===//
//
// Exporters write attention as MatMul, scale, mask Add, Softmax and MatMul,
// which materialises the scores of every head. As tamp.attention it lowers
// to one loop over heads and query-row blocks that keeps each block's scores
// in cache.
//
//===----------------------------------------------------------------------===//

#include "FusionUtils.h"

#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tamp {
#define GEN_PASS_DEF_RECOMPOSEATTENTION
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"
} // namespace tamp

using namespace mlir;
using namespace tamp;

/// For `value` = x * c, c * x or x / c with a scalar constant c (one
/// element, so that it does not broadcast x), returns x and the factor.
static std::optional<std::pair<Value, double>> matchScalarScale(Value value) {
  auto isScalar = [](Value constant) {
    auto type = cast<RankedTensorType>(constant.getType());
    return type.hasStaticShape() && type.getNumElements() == 1;
  };
  auto factor = [&](Value constant) -> std::optional<double> {
    if (!isScalar(constant))
      return std::nullopt;
    return getUniformFloatConstant(constant);
  };
  if (auto mul = value.getDefiningOp<MulOp>()) {
    for (auto [x, c] : {std::pair(mul.getLhs(), mul.getRhs()),
                        std::pair(mul.getRhs(), mul.getLhs())})
      if (std::optional<double> scale = factor(c);
          scale && x.getType() == value.getType())
        return std::pair(x, *scale);
  } else if (auto div = value.getDefiningOp<DivOp>()) {
    if (std::optional<double> divisor = factor(div.getRhs());
        divisor && *divisor != 0 && div.getLhs().getType() == value.getType())
      return std::pair(div.getLhs(), 1.0 / *divisor);
  }
  return std::nullopt;
}

namespace {

/// Rooted at the product of the attention weights with V.
struct RecomposeAttentionPattern : OpRewritePattern<MatMulOp> {
  RecomposeAttentionPattern(MLIRContext *ctx, int64_t &recomposed)
      : OpRewritePattern(ctx), recomposed(recomposed) {}

  LogicalResult matchAndRewrite(MatMulOp op,
                                PatternRewriter &rewriter) const override {
    auto softmax = op.getLhs().getDefiningOp<SoftmaxOp>();
    if (!softmax || !softmax->hasOneUse())
      return rewriter.notifyMatchFailure(op, "not a product of a softmax");
    RankedTensorType scoresType = softmax.getType();
    int64_t rank = scoresType.getRank();
    int64_t axis = static_cast<int64_t>(softmax.getAxis());
    if (rank < 2 || (axis != rank - 1 && axis != -1))
      return rewriter.notifyMatchFailure(op, "softmax not over the last axis");

    // scores [+ mask], the scores possibly scaled.
    Value scores = softmax.getInput();
    Value mask;
    if (auto add = scores.getDefiningOp<AddOp>();
        add && add->hasOneUse() && add.getType() == scoresType) {
      for (auto [candidate, other] : {std::pair(add.getLhs(), add.getRhs()),
                                      std::pair(add.getRhs(), add.getLhs())}) {
        Operation *producer = candidate.getDefiningOp();
        if (candidate.getType() == scoresType && candidate.hasOneUse() &&
            isa_and_nonnull<MulOp, DivOp, MatMulOp>(producer)) {
          scores = candidate;
          mask = other;
          break;
        }
      }
      if (!mask)
        return rewriter.notifyMatchFailure(op, "no scores in the mask add");
    }
    double scale = 1.0;
    if (std::optional<std::pair<Value, double>> scaled =
            matchScalarScale(scores)) {
      if (!scores.hasOneUse())
        return failure();
      std::tie(scores, scale) = *scaled;
    }
    auto product = scores.getDefiningOp<MatMulOp>();
    if (!product || !product->hasOneUse())
      return rewriter.notifyMatchFailure(op, "scores are not a matmul");
    Value query = product.getLhs(), keyTransposed = product.getRhs(),
          value = op.getRhs();
    // A scale applied to the queries instead.
    if (scale == 1.0)
      if (std::optional<std::pair<Value, double>> scaled =
              matchScalarScale(query);
          scaled && query.hasOneUse())
        std::tie(query, scale) = *scaled;

    // The fused kernel computes in f32.
    for (Value operand : {query, keyTransposed, value, mask})
      if (operand &&
          !cast<RankedTensorType>(operand.getType()).getElementType().isF32())
        return rewriter.notifyMatchFailure(op, "not f32 operands");
    for (Value operand : {query, keyTransposed, value})
      if (cast<RankedTensorType>(operand.getType()).getRank() != rank)
        return rewriter.notifyMatchFailure(op, "operand ranks differ");

    // Leading dimensions must agree without broadcasting, as the op needs.
    auto queryType = cast<RankedTensorType>(query.getType());
    auto keyTransposedType = cast<RankedTensorType>(keyTransposed.getType());
    auto valueType = cast<RankedTensorType>(value.getType());
    for (int64_t dim = 0; dim < rank - 2; ++dim)
      if (queryType.getDimSize(dim) != keyTransposedType.getDimSize(dim) ||
          queryType.getDimSize(dim) != valueType.getDimSize(dim))
        return rewriter.notifyMatchFailure(op, "leading dimensions differ");

    // The key is kt with its last two dimensions swapped; a transpose that
    // produced kt composes with that swap.
    SmallVector<int64_t> swap = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    std::swap(swap[rank - 1], swap[rank - 2]);
    Value key;
    rewriter.setInsertionPoint(op);
    if (auto transpose = keyTransposed.getDefiningOp<TransposeOp>()) {
      SmallVector<int64_t> composed;
      for (int64_t dim : swap)
        composed.push_back(transpose.getPerm()[dim]);
      if (llvm::equal(composed, llvm::seq<int64_t>(0, rank)))
        key = transpose.getInput();
      else
        key = TransposeOp::create(rewriter, transpose.getLoc(),
                                  transpose.getInput(),
                                  rewriter.getDenseI64ArrayAttr(composed));
    } else {
      key = TransposeOp::create(rewriter, keyTransposed.getLoc(), keyTransposed,
                                rewriter.getDenseI64ArrayAttr(swap));
    }
    auto attention = AttentionOp::create(
        rewriter,
        rewriter.getFusedLoc({product.getLoc(), softmax.getLoc(), op.getLoc()}),
        op.getType(), query, key, value, mask,
        rewriter.getF32FloatAttr(static_cast<float>(scale)));
    rewriter.replaceOp(op, attention.getResult());
    ++recomposed;
    return success();
  }

  int64_t &recomposed;
};

struct RecomposeAttentionPass
    : public tamp::impl::RecomposeAttentionBase<RecomposeAttentionPass> {
  void runOnOperation() override {
    int64_t recomposed = 0;
    RewritePatternSet patterns(&getContext());
    patterns.add<RecomposeAttentionPattern>(&getContext(), recomposed);
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
    numRecomposed += recomposed;
    addFusionCount(getOperation(), "attention_recomposed", recomposed);
  }
};

} // namespace
