//===- FoldBatchNorm.cpp - Batch normalisation into the preceding layer ---===//
//
// Inference batch normalisation is an affine map per channel; after a
// convolution or linear layer it folds into the layer's weight and bias, so
// the model runs one kernel instead of a kernel and a normalisation pass.
//
//===----------------------------------------------------------------------===//

#include "FusionUtils.h"

#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace tamp {
#define GEN_PASS_DEF_FOLDBATCHNORM
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"
} // namespace tamp

using namespace mlir;
using namespace tamp;

namespace {

/// batch_norm(layer(x, W, b)) -> layer(x, W * s, (b - mean) * s + bias) with
/// s = scale / sqrt(var + eps), for tamp.conv and 2-D tamp.linear, whose
/// output channels are dimension 1 of the result and 0 of the weight.
struct FoldBatchNormPattern : OpRewritePattern<BatchNormOp> {
  FoldBatchNormPattern(MLIRContext *ctx, int64_t &folded)
      : OpRewritePattern(ctx), folded(folded) {}

  LogicalResult matchAndRewrite(BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    Operation *layer = op.getInput().getDefiningOp();
    if (!layer || !isa<ConvOp, LinearOp>(layer) || !layer->hasOneUse())
      return rewriter.notifyMatchFailure(op, "not after a single-use layer");
    if (hasFusedActivation(layer) || !op.getType().getElementType().isF32() ||
        llvm::any_of(layer->getOperands(),
                     [](Value v) { return !isFloatTensor(v); }))
      return rewriter.notifyMatchFailure(op, "not a plain f32 layer");
    if (isa<LinearOp>(layer) && op.getType().getRank() != 2)
      return rewriter.notifyMatchFailure(
          op, "the normalised dimension is not the linear layer's features");

    Value weight = layer->getOperand(1);
    Value bias = layer->getNumOperands() > 2 ? layer->getOperand(2) : Value();
    std::optional<SmallVector<float>> weights = getConstantF32Values(weight);
    auto weightType = cast<RankedTensorType>(weight.getType());
    if (!weights || !weightType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "weight is not a constant");
    int64_t channels = weightType.getDimSize(0);
    std::optional<SmallVector<float>> biases =
        bias ? getConstantF32Values(bias)
             : std::optional<SmallVector<float>>(
                   SmallVector<float>(channels, 0.0f));
    std::optional<SmallVector<float>> scale =
        getConstantF32Values(op.getScale());
    std::optional<SmallVector<float>> shift =
        getConstantF32Values(op.getBias());
    std::optional<SmallVector<float>> mean = getConstantF32Values(op.getMean());
    std::optional<SmallVector<float>> variance =
        getConstantF32Values(op.getVariance());
    for (const auto &values : {biases, scale, shift, mean, variance})
      if (!values || int64_t(values->size()) != channels)
        return rewriter.notifyMatchFailure(
            op, "bias or normalisation parameters are not constants of the "
                "channel count");

    double epsilon = op.getEpsilon().convertToDouble();
    int64_t perChannel = weightType.getNumElements() / channels;
    SmallVector<float> foldedWeights(weights->size());
    SmallVector<float> foldedBias(channels);
    for (int64_t c = 0; c < channels; ++c) {
      double factor =
          double((*scale)[c]) / std::sqrt(double((*variance)[c]) + epsilon);
      for (int64_t i = 0; i < perChannel; ++i)
        foldedWeights[c * perChannel + i] =
            static_cast<float>((*weights)[c * perChannel + i] * factor);
      foldedBias[c] = static_cast<float>(
          (double((*biases)[c]) - (*mean)[c]) * factor + (*shift)[c]);
    }

    rewriter.setInsertionPoint(layer);
    Location loc = op.getLoc();
    Value newWeight = createF32Constant(rewriter, loc, weightType.getShape(),
                                        foldedWeights, weight, "bn_folded");
    Value newBias = createF32Constant(rewriter, loc, {channels}, foldedBias,
                                      weight, "bn_folded_bias");
    Operation *fused = rewriter.clone(*layer);
    fused->setLoc(rewriter.getFusedLoc({layer->getLoc(), op.getLoc()}));
    if (bias) {
      fused->setOperand(1, newWeight);
      fused->setOperand(2, newBias);
    } else {
      // The optional bias is the last operand of both ops.
      fused->setOperands({layer->getOperand(0), newWeight, newBias});
    }
    rewriter.replaceOp(op, fused->getResults());
    rewriter.eraseOp(layer);
    ++folded;
    return success();
  }

  int64_t &folded;
};

struct FoldBatchNormPass
    : public tamp::impl::FoldBatchNormBase<FoldBatchNormPass> {
  void runOnOperation() override {
    int64_t folded = 0;
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldBatchNormPattern>(&getContext(), folded);
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
    numFolded += folded;
    addFusionCount(getOperation(), "batchnorm_folded", folded);
  }
};

} // namespace
