//===- Quantize.cpp - Static W8A8 quantization from calibration -----------===//
//
// Turns float ops that have integer kernels into the same ops on the quant
// dialect's types, from the statistics calibration recorded in
// `tamp.calibration`. The pass decides every op's parameters before it
// rewrites anything: an op's result is quantized with the parameters of the
// quantized op that consumes it (through ops that move quantized values
// unchanged), so that chains of quantized ops never return to float.
//
//===----------------------------------------------------------------------===//

#include "QuantizationUtils.h"

#include "tamp/Dialect/Tamp/IR/TampDialect.h"
#include "tamp/Dialect/Tamp/IR/TampInterfaces.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/Regex.h"

namespace tamp {
#define GEN_PASS_DEF_QUANTIZE
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"
} // namespace tamp

using namespace mlir;
using namespace tamp;

namespace {

/// What the pass decided for one op before rewriting.
struct QuantizationPlan {
  /// The quantized type of each activation operand, by operand index.
  llvm::SmallDenseMap<unsigned, quant::UniformQuantizedType> inputTypes;
  /// The ops between the result and the quantized consumer that carry the
  /// quantized result unchanged; empty when the result stays float.
  SmallVector<Operation *> chain;
  /// The result's quantized type, or null when the result is float.
  quant::UniformQuantizedType resultType;
};

/// Ops that pass quantized values through without changing their scale.
bool movesQuantizedValues(Operation *op) {
  return isa<ClampOp, MaxPoolOp, ReshapeOp, FlattenOp, TransposeOp>(op);
}

struct QuantizePass : public tamp::impl::QuantizeBase<QuantizePass> {
  using QuantizeBase::QuantizeBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (calibrationMethod != "minmax" && calibrationMethod != "percentile" &&
        calibrationMethod != "entropy" && calibrationMethod != "mse") {
      func.emitError("unknown calibration-method '")
          << calibrationMethod
          << "' (expected minmax, percentile, entropy or mse)";
      return signalPassFailure();
    }
    if (activationType != "u8" && activationType != "i8") {
      func.emitError("unknown activation-type '")
          << activationType << "' (expected u8 or i8)";
      return signalPassFailure();
    }
    FailureOr<OpFilter> filter = OpFilter::create(func, keepFloat);
    if (failed(filter))
      return signalPassFailure();
    SmallVector<std::string> kinds(opKinds.begin(), opKinds.end());
    if (kinds.empty())
      kinds = {"conv", "linear", "matmul"};

    // Plan: which ops are quantized, with which input types.
    llvm::MapVector<Operation *, QuantizationPlan> plans;
    bool failedToRead = false;
    func.walk([&](QuantizableOpInterface op) {
      // Integer kernels have no activation epilogue: layers that already
      // fused one (tamp-fuse-activation) stay float.
      if (!llvm::is_contained(kinds, op->getName().stripDialect().str()) ||
          !filter->shouldQuantize(op) || hasFusedActivation(op))
        return;
      FailureOr<std::optional<QuantizationPlan>> plan = planInputs(op);
      if (failed(plan)) {
        failedToRead = true;
        return;
      }
      if (*plan)
        plans.insert({op, std::move(**plan)});
    });
    if (failedToRead)
      return signalPassFailure();

    // Results take their consumer's input type where a quantized op
    // consumes them.
    for (auto &[op, plan] : plans)
      planResult(op, plan, plans);

    // Rewrite in program order: producers before consumers.
    llvm::DenseMap<Value, Value> quantizedValues;
    SmallVector<Operation *> replaced;
    for (auto &[op, plan] : plans)
      if (failed(rewrite(op, plan, quantizedValues, replaced)))
        return signalPassFailure();
    // The float originals of quantized chains are dead once their consumers
    // are rewritten; erase users before producers.
    llvm::SmallPtrSet<Operation *, 16> erased;
    for (Operation *op : llvm::reverse(replaced))
      if (op->use_empty() && erased.insert(op).second)
        op->erase();
  }

  /// The input types of `op` from its calibration, or nullopt when the op
  /// stays float (no statistics, not f32, non-constant weight or bias).
  FailureOr<std::optional<QuantizationPlan>>
  planInputs(QuantizableOpInterface op) {
    auto calibration = op->getAttrOfType<DictionaryAttr>(kCalibrationAttrName);
    if (!calibration)
      return std::optional<QuantizationPlan>();
    std::optional<unsigned> weightIndex = op.getWeightOperandIndex();
    if (weightIndex && !getConstantF32Values(op->getOperand(*weightIndex)))
      return std::optional<QuantizationPlan>();
    if (auto prunable = dyn_cast<PrunableChannelOpInterface>(*op))
      if (std::optional<unsigned> bias = prunable.getBiasOperandIndex())
        if (!getConstantF32Values(op->getOperand(*bias)))
          return std::optional<QuantizationPlan>();
    if (!getElementTypeOrSelf(op->getResult(0).getType()).isF32())
      return std::optional<QuantizationPlan>();

    QuantizationPlan plan;
    for (unsigned index : op.getQuantizableOperandIndices()) {
      if (index == weightIndex)
        continue;
      if (!getElementTypeOrSelf(op->getOperand(index).getType()).isF32())
        return std::optional<QuantizationPlan>();
      FailureOr<std::pair<double, double>> range =
          readCalibratedRange(op, calibration, index, calibrationMethod);
      if (failed(range))
        return failure();
      plan.inputTypes[index] =
          getActivationQuantizedType(op->getContext(), range->first,
                                     range->second, activationType == "u8");
    }
    return std::optional<QuantizationPlan>(std::move(plan));
  }

  /// Follows the result through ops that move quantized values to a
  /// quantized op's activation operand, whose type the result then takes.
  void planResult(Operation *op, QuantizationPlan &plan,
                  const llvm::MapVector<Operation *, QuantizationPlan> &plans) {
    SmallVector<Operation *> chain;
    Value value = op->getResult(0);
    while (value.hasOneUse()) {
      OpOperand &use = *value.getUses().begin();
      Operation *user = use.getOwner();
      auto consumer = plans.find(user);
      if (consumer != plans.end()) {
        auto type = consumer->second.inputTypes.find(use.getOperandNumber());
        if (type == consumer->second.inputTypes.end())
          return;
        plan.resultType = type->second;
        plan.chain = std::move(chain);
        return;
      }
      if (!movesQuantizedValues(user) || use.getOperandNumber() != 0)
        return;
      chain.push_back(user);
      value = user->getResult(0);
    }
  }

  LogicalResult rewrite(Operation *op, const QuantizationPlan &plan,
                        llvm::DenseMap<Value, Value> &quantizedValues,
                        SmallVectorImpl<Operation *> &replaced) {
    auto quantizable = cast<QuantizableOpInterface>(op);
    OpBuilder builder(op);
    Location loc = op->getLoc();
    SmallVector<Value> operands(op->getOperands());

    // Activations: the quantized chain that produces them, or a qcast.
    double inputScale = 1.0;
    for (auto [index, type] : plan.inputTypes) {
      Value operand = op->getOperand(index);
      auto tensorType = cast<RankedTensorType>(operand.getType());
      RankedTensorType quantizedType = tensorType.clone(type);
      Value quantized = quantizedValues.lookup(operand);
      if (!quantized || quantized.getType() != quantizedType)
        quantized =
            quant::QuantizeCastOp::create(builder, loc, quantizedType, operand);
      operands[index] = quantized;
      inputScale = type.getScale();
    }

    // Weight per output channel, bias at input_scale * weight_scale.
    SmallVector<double> weightScales;
    if (std::optional<unsigned> weightIndex =
            quantizable.getWeightOperandIndex()) {
      FailureOr<Value> weight = quantizeWeightPerChannel(
          builder, loc, op->getOperand(*weightIndex),
          quantizable.getWeightOutputChannelDim(), weightScales);
      if (failed(weight))
        return op->emitError("cannot read the constant weight");
      operands[*weightIndex] = *weight;
    }
    if (auto prunable = dyn_cast<PrunableChannelOpInterface>(op))
      if (std::optional<unsigned> biasIndex = prunable.getBiasOperandIndex())
        operands[*biasIndex] = quantizeBias(
            builder, loc, op->getOperand(*biasIndex), inputScale, weightScales);

    Operation *quantizedOp = builder.clone(*op);
    quantizedOp->setOperands(operands);
    quantizedOp->removeAttr(kCalibrationAttrName);
    // The float weight and bias constants die with the op (erased after it).
    for (Value operand : op->getOperands())
      if (Operation *constant = operand.getDefiningOp<arith::ConstantOp>())
        replaced.push_back(constant);
    replaced.push_back(op);
    if (!plan.resultType) {
      op->replaceAllUsesWith(quantizedOp);
      return success();
    }
    auto retype = [&](Operation *target) {
      auto type = cast<RankedTensorType>(target->getResult(0).getType());
      target->getResult(0).setType(type.clone(plan.resultType));
    };
    retype(quantizedOp);
    Value current = quantizedOp->getResult(0);
    for (Operation *link : plan.chain) {
      builder.setInsertionPoint(link);
      Operation *cloned = builder.clone(*link);
      cloned->setOperand(0, current);
      retype(cloned);
      current = cloned->getResult(0);
      replaced.push_back(link);
    }
    Value floatEnd =
        plan.chain.empty() ? op->getResult(0) : plan.chain.back()->getResult(0);
    quantizedValues[floatEnd] = current;
    return success();
  }
};

} // namespace
