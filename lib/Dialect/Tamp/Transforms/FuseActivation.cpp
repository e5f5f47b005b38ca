//===- FuseActivation.cpp - Activations into the layer's epilogue ---------===//
//
// An activation after a convolution or linear layer is another pass over
// the layer's output; as the layer's `activation` the kernel applies it to
// each output block while it is still in registers.
//
//===----------------------------------------------------------------------===//

#include "FusionUtils.h"

#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/TypeSwitch.h"

namespace tamp {
#define GEN_PASS_DEF_FUSEACTIVATION
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"
} // namespace tamp

using namespace mlir;
using namespace tamp;

namespace {

/// The epilogue that an activation op computes.
struct Epilogue {
  Activation activation;
  FloatAttr min, max;
};

static std::optional<Epilogue> getEpilogue(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::optional<Epilogue>>(op)
      .Case([](ClampOp clamp) -> std::optional<Epilogue> {
        if (!clamp.getMinAttr() && !clamp.getMaxAttr())
          return std::nullopt;
        return Epilogue{Activation::clamp, clamp.getMinAttr(),
                        clamp.getMaxAttr()};
      })
      .Case([](GeluOp gelu) {
        return Epilogue{gelu.getApproximate() == GeluApproximation::tanh
                            ? Activation::gelu_tanh
                            : Activation::gelu};
      })
      .Case([](SigmoidOp) { return Epilogue{Activation::sigmoid}; })
      .Case([](SiluOp) { return Epilogue{Activation::silu}; })
      .Case([](HardSwishOp) { return Epilogue{Activation::hard_swish}; })
      .Case([](TanhOp) { return Epilogue{Activation::tanh}; })
      .Default([](Operation *) { return std::nullopt; });
}

/// activation(layer(...)) -> layer(...) {activation = ...}.
struct FuseActivationPattern : RewritePattern {
  FuseActivationPattern(MLIRContext *ctx, int64_t &fused)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx), fused(fused) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (op->getNumOperands() != 1 || op->getNumResults() != 1)
      return failure();
    std::optional<Epilogue> epilogue = getEpilogue(op);
    Value input = op->getOperand(0);
    Operation *layer = input.getDefiningOp();
    if (!epilogue || !layer || !isa<ConvOp, LinearOp>(layer) ||
        !input.hasOneUse() || hasFusedActivation(layer) ||
        input.getType() != op->getResult(0).getType() ||
        llvm::any_of(layer->getOperands(),
                     [](Value v) { return !isFloatTensor(v); }) ||
        !isFloatTensor(input))
      return failure();
    Operation *fusedLayer = rewriter.clone(*layer);
    fusedLayer->setLoc(rewriter.getFusedLoc({layer->getLoc(), op->getLoc()}));
    auto setEpilogue = [&](auto fusedOp) {
      fusedOp.setActivation(epilogue->activation);
      if (epilogue->min)
        fusedOp.setActivationMinAttr(epilogue->min);
      if (epilogue->max)
        fusedOp.setActivationMaxAttr(epilogue->max);
    };
    if (auto conv = dyn_cast<ConvOp>(fusedLayer))
      setEpilogue(conv);
    else
      setEpilogue(cast<LinearOp>(fusedLayer));
    rewriter.replaceOp(op, fusedLayer->getResults());
    rewriter.eraseOp(layer);
    ++fused;
    return success();
  }

  int64_t &fused;
};

struct FuseActivationPass
    : public tamp::impl::FuseActivationBase<FuseActivationPass> {
  void runOnOperation() override {
    int64_t fused = 0;
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseActivationPattern>(&getContext(), fused);
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
    numFused += fused;
    addFusionCount(getOperation(), "activation_fused", fused);
  }
};

} // namespace
