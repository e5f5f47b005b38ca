//===- QuantizeDynamic.cpp - Dynamic int8 quantization of linear layers ---===//
//
// Quantizes linear layers without calibration: weights per output channel at
// compile time, the input per tensor at run time from its own range. The
// input's scale is a value, not a type, so the layer becomes
// tamp.linear_integer, which shares the static path's integer kernel.
//
//===----------------------------------------------------------------------===//

#include "QuantizationUtils.h"

#include "tamp/Dialect/Tamp/IR/TampDialect.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Builders.h"

namespace tamp {
#define GEN_PASS_DEF_QUANTIZEDYNAMIC
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"
} // namespace tamp

using namespace mlir;
using namespace tamp;

namespace {

struct QuantizeDynamicPass
    : public tamp::impl::QuantizeDynamicBase<QuantizeDynamicPass> {
  using QuantizeDynamicBase::QuantizeDynamicBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (activationType != "u8" && activationType != "i8") {
      func.emitError("unknown activation-type '")
          << activationType << "' (expected u8 or i8)";
      return signalPassFailure();
    }
    FailureOr<OpFilter> filter = OpFilter::create(func, keepFloat);
    if (failed(filter))
      return signalPassFailure();

    SmallVector<LinearOp> linears;
    func.walk([&](LinearOp op) {
      // tamp.linear_integer has no activation epilogue.
      if (filter->shouldQuantize(op) && isQuantizable(op) &&
          !hasFusedActivation(op))
        linears.push_back(op);
    });
    for (LinearOp op : linears)
      if (failed(rewrite(op)))
        return signalPassFailure();
  }

  static bool isQuantizable(LinearOp op) {
    if (!op.getInput().getType().getElementType().isF32() ||
        !getConstantF32Values(op.getWeight()))
      return false;
    return !op.getBias() || getConstantF32Values(op.getBias());
  }

  LogicalResult rewrite(LinearOp op) {
    OpBuilder builder(op);
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    RankedTensorType inputType = op.getInput().getType();
    Type storage = activationType == "u8"
                       ? IntegerType::get(ctx, 8, IntegerType::Unsigned)
                       : IntegerType::get(ctx, 8);
    auto scalar = [&](Type element) {
      return RankedTensorType::get({}, element);
    };
    auto dynamic = DynamicQuantizeOp::create(
        builder, loc, inputType.clone(storage), scalar(builder.getF32Type()),
        scalar(storage), op.getInput());

    SmallVector<double> scales;
    FailureOr<Value> weight = quantizeWeightPerChannel(
        builder, loc, op.getWeight(), /*channelDim=*/0, scales);
    if (failed(weight))
      return op.emitError("cannot read the constant weight");
    auto linear = LinearIntegerOp::create(
        builder, loc, op.getType(), dynamic.getOutput(), dynamic.getScale(),
        dynamic.getZeroPoint(), *weight, op.getBias());
    op.replaceAllUsesWith(linear.getOutput());
    Operation *floatWeight = op.getWeight().getDefiningOp();
    op.erase();
    if (floatWeight->use_empty())
      floatWeight->erase();
    return success();
  }
};

} // namespace
