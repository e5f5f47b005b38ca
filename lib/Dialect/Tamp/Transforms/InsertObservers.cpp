//===- InsertObservers.cpp - Return the activations calibration observes --===//
//
// Calibration runs the float model compiled by Tamp itself. This pass makes
// the activations that quantization needs statistics of visible to the host:
// they become extra results of the entry function, which the runtime hands
// back like any other output.
//
//===----------------------------------------------------------------------===//

#include "tamp/Dialect/Tamp/IR/TampDialect.h"
#include "tamp/Dialect/Tamp/IR/TampInterfaces.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"

namespace tamp {
#define GEN_PASS_DEF_INSERTOBSERVERS
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"
} // namespace tamp

using namespace mlir;

namespace {

struct ObservedValue {
  Value value;
  std::string name;
};

struct InsertObserversPass
    : public tamp::impl::InsertObserversBase<InsertObserversPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isPrivate() || func.isExternal())
      return;

    auto isObservable = [](Value value) {
      auto type = dyn_cast<RankedTensorType>(value.getType());
      return type &&
             isa<FloatType, quant::QuantizedType>(type.getElementType());
    };
    SmallVector<ObservedValue> observed;
    unsigned opIndex = 0;
    func.walk([&](tamp::QuantizableOpInterface op) {
      std::string prefix =
          (tamp::kObserverNamePrefix + Twine(opIndex++) + ".").str();
      std::optional<unsigned> weight = op.getWeightOperandIndex();
      for (unsigned index : op.getQuantizableOperandIndices()) {
        Value operand = op->getOperand(index);
        if (index != weight && isObservable(operand))
          observed.push_back(
              {operand, prefix + "operand" + std::to_string(index)});
      }
      Value result = op->getResult(0);
      if (afterActivation && result.hasOneUse())
        if (auto clamp = dyn_cast<tamp::ClampOp>(*result.getUsers().begin()))
          result = clamp.getResult();
      if (isObservable(result))
        observed.push_back({result, prefix + "result0"});
    });
    if (observed.empty())
      return;

    auto returnOp = cast<func::ReturnOp>(func.getBody().back().getTerminator());
    SmallVector<Value> results(returnOp.getOperands());
    SmallVector<Type> resultTypes(func.getResultTypes());
    unsigned firstObserved = results.size();
    for (const ObservedValue &entry : observed) {
      results.push_back(entry.value);
      resultTypes.push_back(entry.value.getType());
    }
    OpBuilder builder(returnOp);
    // Quantized activations are observed as the values they stand for.
    for (unsigned index = firstObserved; index < results.size(); ++index) {
      auto type = cast<RankedTensorType>(results[index].getType());
      auto quantized = dyn_cast<quant::QuantizedType>(type.getElementType());
      if (!quantized)
        continue;
      results[index] = quant::DequantizeCastOp::create(
          builder, returnOp.getLoc(), type.clone(quantized.getExpressedType()),
          results[index]);
      resultTypes[index] = results[index].getType();
    }
    func::ReturnOp::create(builder, returnOp.getLoc(), results);
    returnOp.erase();
    func.setType(builder.getFunctionType(func.getArgumentTypes(), resultTypes));
    for (auto [offset, entry] : llvm::enumerate(observed))
      func.setResultAttr(firstObserved + offset, "tamp.name",
                         builder.getStringAttr(entry.name));
  }
};

} // namespace
