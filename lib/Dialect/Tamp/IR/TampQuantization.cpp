//===- TampQuantization.cpp - Quantized operands of tamp ops --------------===//

#include "tamp/Dialect/Tamp/IR/TampQuantization.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

namespace tamp {

quant::QuantizedType getQuantizedElementType(Type type) {
  return dyn_cast<quant::QuantizedType>(getElementTypeOrSelf(type));
}

bool areCompatibleQuantizedResultTypes(TypeRange inferred, TypeRange actual) {
  if (inferred.size() != actual.size())
    return false;
  for (auto [lhs, rhs] : llvm::zip(inferred, actual)) {
    auto lhsTensor = dyn_cast<RankedTensorType>(lhs);
    auto rhsTensor = dyn_cast<RankedTensorType>(rhs);
    if (!lhsTensor || !rhsTensor) {
      if (lhs != rhs)
        return false;
      continue;
    }
    if (failed(
            verifyCompatibleShape(lhsTensor.getShape(), rhsTensor.getShape())))
      return false;
    Type lhsElement = lhsTensor.getElementType();
    Type rhsElement = rhsTensor.getElementType();
    if (lhsElement == rhsElement)
      continue;
    auto quantized = dyn_cast<quant::QuantizedType>(lhsElement);
    if (!quantized)
      return false;
    if (!isa<quant::UniformQuantizedType>(rhsElement) &&
        rhsElement != quantized.getExpressedType())
      return false;
  }
  return true;
}

/// An 8-bit per-tensor uniform type, or a diagnostic naming `role`.
static LogicalResult verifyActivationType(Operation *op, StringRef role,
                                          Type type) {
  auto uniform =
      dyn_cast<quant::UniformQuantizedType>(getElementTypeOrSelf(type));
  if (!uniform)
    return op->emitOpError() << role
                             << " must be quantized per tensor (a "
                                "!quant.uniform type without an axis), got "
                             << type;
  if (uniform.getStorageTypeIntegralWidth() != 8)
    return op->emitOpError()
           << role << " must have 8-bit storage, got " << uniform;
  if (!uniform.getExpressedType().isF32())
    return op->emitOpError() << role << " must express f32, got " << uniform;
  return success();
}

LogicalResult verifyQuantizedActivation(Operation *op, StringRef role,
                                        Type type) {
  return verifyActivationType(op, role, type);
}

/// A signed 8-bit weight with zero points 0, per tensor or along
/// `channelDim` with one scale per channel.
static LogicalResult verifyWeightType(Operation *op, Type type,
                                      int64_t channelDim) {
  auto tensorType = cast<RankedTensorType>(type);
  auto quantized = getQuantizedElementType(type);
  if (!quantized)
    return op->emitOpError("weight must be quantized when the input is, got ")
           << type;
  if (!quantized.isSigned() || quantized.getStorageTypeIntegralWidth() != 8)
    return op->emitOpError("weight must have signed 8-bit storage, got ")
           << quantized;
  if (!quantized.getExpressedType().isF32())
    return op->emitOpError("weight must express f32, got ") << quantized;
  if (auto uniform = dyn_cast<quant::UniformQuantizedType>(quantized)) {
    if (uniform.getZeroPoint() != 0)
      return op->emitOpError("weight must be symmetric (zero point 0), got ")
             << uniform;
    return success();
  }
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(quantized);
  if (!perAxis)
    return op->emitOpError("weight must be a uniform quantized type, got ")
           << quantized;
  if (perAxis.getQuantizedDimension() != channelDim)
    return op->emitOpError("weight must be quantized along its output-channel "
                           "dimension ")
           << channelDim << ", got dimension "
           << perAxis.getQuantizedDimension();
  if (llvm::any_of(perAxis.getZeroPoints(),
                   [](int64_t zeroPoint) { return zeroPoint != 0; }))
    return op->emitOpError("weight must be symmetric (zero points 0)");
  int64_t channels = tensorType.getDimSize(channelDim);
  if (!ShapedType::isDynamic(channels) &&
      int64_t(perAxis.getScales().size()) != channels)
    return op->emitOpError("weight has ")
           << perAxis.getScales().size() << " scales for " << channels
           << " output channels";
  return success();
}

LogicalResult verifyIntegerKernelOperands(Operation *op, ValueRange activations,
                                          Value weight,
                                          int64_t weightChannelDim, Value bias,
                                          int64_t outputChannels) {
  for (auto [index, activation] : llvm::enumerate(activations))
    if (failed(verifyActivationType(
            op,
            activations.size() == 1 ? "input" : "operand " + Twine(index).str(),
            activation.getType())))
      return failure();
  if (weight &&
      failed(verifyWeightType(op, weight.getType(), weightChannelDim)))
    return failure();
  if (bias) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    if (!biasType.getElementType().isSignlessInteger(32))
      return op->emitOpError("bias of a quantized op must be i32 (at the scale "
                             "input_scale * weight_scale), got ")
             << biasType;
    if (biasType.getRank() != 1 ||
        failed(verifyCompatibleShape(biasType.getShape(), {outputChannels})))
      return op->emitOpError("bias must be 1-D with the ")
             << outputChannels << " output channels, got " << biasType;
  }
  Type result = getElementTypeOrSelf(op->getResult(0).getType());
  if (isa<FloatType>(result)) {
    auto expressed = getQuantizedElementType(activations.front().getType())
                         .getExpressedType();
    if (result != expressed)
      return op->emitOpError("a dequantized result must have the input's "
                             "expressed type ")
             << expressed << ", got " << result;
    return success();
  }
  return verifyActivationType(op, "result", op->getResult(0).getType());
}

std::optional<SmallVector<float>> getConstantF32Values(Value value) {
  ElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)) ||
      !attr.getElementType().isF32())
    return std::nullopt;
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef();
    if (!data)
      return std::nullopt;
    return SmallVector<float>(*data);
  }
  if (auto dense = dyn_cast<DenseFPElementsAttr>(attr))
    return llvm::to_vector(dense.getValues<float>());
  return std::nullopt;
}

std::optional<SmallVector<int8_t>> getConstantQuantizedWeight(Value value) {
  auto storageCast = value.getDefiningOp<quant::StorageCastOp>();
  if (!storageCast)
    return std::nullopt;
  ElementsAttr attr;
  if (!matchPattern(storageCast.getInput(), m_Constant(&attr)) ||
      !attr.getElementType().isInteger(8))
    return std::nullopt;
  if (auto resource = dyn_cast<DenseI8ResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<int8_t>> data = resource.tryGetAsArrayRef();
    if (!data)
      return std::nullopt;
    return SmallVector<int8_t>(*data);
  }
  if (auto resource = dyn_cast<DenseUI8ResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<uint8_t>> data = resource.tryGetAsArrayRef();
    if (!data)
      return std::nullopt;
    return llvm::to_vector(llvm::map_range(
        *data, [](uint8_t element) { return static_cast<int8_t>(element); }));
  }
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr))
    return llvm::to_vector(
        llvm::map_range(dense.getValues<APInt>(), [](const APInt &element) {
          return static_cast<int8_t>(element.getSExtValue());
        }));
  return std::nullopt;
}

quant::UniformQuantizedType getActivationQuantizedType(MLIRContext *ctx,
                                                       double lo, double hi,
                                                       bool isUnsigned) {
  lo = std::min(lo, 0.0);
  hi = std::max(hi, 0.0);
  int64_t qmin = isUnsigned ? 0 : -128, qmax = isUnsigned ? 255 : 127;
  double scale = (hi - lo) / double(qmax - qmin);
  if (!(scale > 0.0) || !std::isfinite(scale))
    scale = 1.0;
  // Round the scale to f32 first: the kernels compute with the f32 value.
  scale = static_cast<float>(scale);
  int64_t zeroPoint = static_cast<int64_t>(std::nearbyint(qmin - lo / scale));
  zeroPoint = std::clamp(zeroPoint, qmin, qmax);
  return quant::UniformQuantizedType::get(
      isUnsigned ? 0 : quant::QuantizationFlags::Signed,
      IntegerType::get(ctx, 8), Float32Type::get(ctx), scale, zeroPoint, qmin,
      qmax);
}

SmallVector<double> getWeightScales(quant::QuantizedType type) {
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type))
    return SmallVector<double>(perAxis.getScales());
  return {cast<quant::UniformQuantizedType>(type).getScale()};
}

} // namespace tamp
