//===- FusionUtils.cpp - Shared by the fusion passes ----------------------===//

#include "FusionUtils.h"

#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;

namespace tamp {

std::optional<double> getUniformFloatConstant(Value value) {
  ElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)) ||
      !isa<FloatType>(attr.getElementType()) || attr.getNumElements() == 0)
    return std::nullopt;
  if (auto dense = dyn_cast<DenseFPElementsAttr>(attr)) {
    if (dense.isSplat())
      return dense.getSplatValue<APFloat>().convertToDouble();
    auto values = dense.getValues<APFloat>();
    double first = (*values.begin()).convertToDouble();
    for (const APFloat &element : values)
      if (element.convertToDouble() != first)
        return std::nullopt;
    return first;
  }
  std::optional<SmallVector<float>> values = getConstantF32Values(value);
  if (!values || values->empty() ||
      llvm::any_of(*values, [&](float v) { return v != values->front(); }))
    return std::nullopt;
  return values->front();
}

bool isApproximately(std::optional<double> value, double expected,
                     double relativeTolerance) {
  return value &&
         std::abs(*value - expected) <= relativeTolerance * std::abs(expected);
}

Value createF32Constant(OpBuilder &builder, Location loc,
                        ArrayRef<int64_t> shape, ArrayRef<float> values,
                        Value like, StringRef suffix) {
  auto type = RankedTensorType::get(shape, builder.getF32Type());
  ArrayRef<char> bytes(reinterpret_cast<const char *>(values.data()),
                       values.size() * sizeof(float));
  ElementsAttr attr;
  ElementsAttr likeAttr;
  auto resource = like && matchPattern(like, m_Constant(&likeAttr))
                      ? dyn_cast<DenseResourceElementsAttr>(likeAttr)
                      : DenseResourceElementsAttr();
  if (resource) {
    AsmResourceBlob blob =
        HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, alignof(float));
    attr = DenseResourceElementsAttr::get(
        type, (resource.getRawHandle().getKey() + "." + suffix).str(),
        std::move(blob));
  } else {
    attr = DenseElementsAttr::get(type, values);
  }
  return ConstantOp::create(builder, loc, type, attr);
}

Value getOtherOperand(Operation *op, Value known) {
  if (op->getNumOperands() != 2)
    return nullptr;
  if (op->getOperand(0) == known)
    return op->getOperand(1);
  if (op->getOperand(1) == known)
    return op->getOperand(0);
  return nullptr;
}

bool isFloatTensor(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && isa<FloatType>(type.getElementType());
}

void addFusionCount(func::FuncOp func, StringRef name, int64_t count) {
  if (count == 0)
    return;
  MLIRContext *ctx = func.getContext();
  NamedAttrList counts;
  if (auto existing =
          func->getAttrOfType<DictionaryAttr>(kFusionCountsAttrName))
    counts.append(existing.getValue());
  int64_t previous = 0;
  if (auto attr = dyn_cast_or_null<IntegerAttr>(counts.get(name)))
    previous = attr.getInt();
  counts.set(name,
             IntegerAttr::get(IntegerType::get(ctx, 64), previous + count));
  func->setAttr(kFusionCountsAttrName, counts.getDictionary(ctx));
}

} // namespace tamp
