//===- FuseBias.cpp - Constant additions into the layer's bias ------------===//
//
// ONNX MatMul has no bias: exporters add it after the product. As the
// layer's bias it seeds the accumulator instead of costing a pass over the
// output.
//
//===----------------------------------------------------------------------===//

#include "FusionUtils.h"

#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tamp {
#define GEN_PASS_DEF_FUSEBIAS
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"
} // namespace tamp

using namespace mlir;
using namespace tamp;

/// The per-channel values of a constant `addend` that broadcasts onto
/// `resultType` varying only along `channelDim` (of the result), or nullopt.
static std::optional<SmallVector<float>>
getPerChannelAddend(Value addend, RankedTensorType resultType,
                    int64_t channelDim) {
  auto type = cast<RankedTensorType>(addend.getType());
  int64_t channels = resultType.getDimSize(channelDim);
  if (!type.hasStaticShape() || type.getRank() > resultType.getRank() ||
      ShapedType::isDynamic(channels))
    return std::nullopt;
  std::optional<SmallVector<float>> values = getConstantF32Values(addend);
  if (!values)
    return std::nullopt;
  // Aligned on the trailing dimensions: the addend's channel dimension, if
  // it has one, is where the result's lands.
  int64_t offset = resultType.getRank() - type.getRank();
  int64_t addendChannelDim = channelDim - offset;
  for (int64_t dim = 0; dim < type.getRank(); ++dim)
    if (dim != addendChannelDim && type.getDimSize(dim) != 1)
      return std::nullopt;
  if (addendChannelDim < 0 || type.getDimSize(addendChannelDim) == 1)
    return SmallVector<float>(channels, values->front());
  if (type.getDimSize(addendChannelDim) != channels)
    return std::nullopt;
  return values;
}

namespace {

/// add(layer(x, W[, b]), c) -> layer(x, W, b + c) for a per-channel c.
struct FuseBiasPattern : OpRewritePattern<AddOp> {
  FuseBiasPattern(MLIRContext *ctx, int64_t &fused)
      : OpRewritePattern(ctx), fused(fused) {}

  LogicalResult matchAndRewrite(AddOp op,
                                PatternRewriter &rewriter) const override {
    for (auto [result, addend] : {std::pair(op.getLhs(), op.getRhs()),
                                  std::pair(op.getRhs(), op.getLhs())}) {
      Operation *layer = result.getDefiningOp();
      if (!layer || !isa<ConvOp, LinearOp>(layer) || !result.hasOneUse() ||
          hasFusedActivation(layer) || result.getType() != op.getType() ||
          !op.getType().getElementType().isF32() ||
          llvm::any_of(layer->getOperands(),
                       [](Value v) { return !isFloatTensor(v); }))
        continue;
      auto resultType = cast<RankedTensorType>(result.getType());
      int64_t channelDim = isa<ConvOp>(layer) ? 1 : resultType.getRank() - 1;
      if (resultType.getRank() == 0)
        continue;
      std::optional<SmallVector<float>> addition =
          getPerChannelAddend(addend, resultType, channelDim);
      if (!addition)
        continue;
      Value bias = layer->getNumOperands() > 2 ? layer->getOperand(2) : Value();
      SmallVector<float> combined = *addition;
      if (bias) {
        std::optional<SmallVector<float>> existing = getConstantF32Values(bias);
        if (!existing || existing->size() != combined.size())
          continue;
        for (auto [sum, value] : llvm::zip(combined, *existing))
          sum += value;
      }
      rewriter.setInsertionPoint(layer);
      Value newBias = createF32Constant(rewriter, addend.getLoc(),
                                        {int64_t(combined.size())}, combined,
                                        bias ? bias : addend, "fused_bias");
      Operation *fusedLayer = rewriter.clone(*layer);
      fusedLayer->setLoc(rewriter.getFusedLoc({layer->getLoc(), op.getLoc()}));
      fusedLayer->setOperands(
          {layer->getOperand(0), layer->getOperand(1), newBias});
      rewriter.replaceOp(op, fusedLayer->getResults());
      rewriter.eraseOp(layer);
      ++fused;
      return success();
    }
    return failure();
  }

  int64_t &fused;
};

struct FuseBiasPass : public tamp::impl::FuseBiasBase<FuseBiasPass> {
  void runOnOperation() override {
    int64_t fused = 0;
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseBiasPattern>(&getContext(), fused);
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
    numFused += fused;
    addFusionCount(getOperation(), "bias_fused", fused);
  }
};

} // namespace
