//===- QuantOps.cpp - Quantize and dequantize -----------------------------===//

#include "tamp/Dialect/Tamp/IR/TampOps.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace tamp;

#define GET_OP_CLASSES
#include "tamp/Dialect/Tamp/IR/QuantOps.cpp.inc"

/// Element types that quantized values are stored in: integers of 2 to 32
/// bits (int2/int3/int4 weights up to int32 biases), 8-bit floats and the 4-bit
/// float f4E2M1FN (ONNX FLOAT4E2M1, the MXFP4/NVFP4 element type).
static bool isQuantizedStorageType(Type type) {
  if (auto integer = dyn_cast<IntegerType>(type))
    return llvm::is_contained({2u, 3u, 4u, 8u, 16u, 32u}, integer.getWidth());
  if (auto floatType = dyn_cast<FloatType>(type))
    return floatType.getWidth() == 8 || isa<Float4E2M1FNType>(floatType);
  return false;
}

static LogicalResult verifyStorageType(Operation *op, StringRef what,
                                       Type type) {
  if (!isQuantizedStorageType(type))
    return op->emitOpError()
           << what << " element type must be a 2-, 3-, 4-, 8-, 16- or 32-bit "
           << "integer, an 8-bit float or f4E2M1FN, got " << type;
  return success();
}

/// Checks that `scale` and the optional `zeroPoint` describe one of the
/// granularities of quantize/dequantize for `input`: per tensor (a scalar or
/// a 1-element scale), per axis (a [D_axis] scale) or blocked along `axis`
/// (`blockSize` > 0, the scale has the input's shape with D_axis divided by
/// `blockSize`, rounded up). The zero point has the scale's shape and the
/// quantized element type `storageType`.
static LogicalResult verifyQuantGranularity(Operation *op,
                                            RankedTensorType input,
                                            RankedTensorType scale,
                                            Value zeroPoint, Type storageType,
                                            int64_t axis, int64_t blockSize) {
  if (zeroPoint) {
    auto zeroPointType = cast<RankedTensorType>(zeroPoint.getType());
    if (zeroPointType.getElementType() != storageType)
      return op->emitOpError("zero_point element type ")
             << zeroPointType.getElementType()
             << " must be the quantized element type " << storageType;
    if (failed(verifyCompatibleShape(zeroPointType, scale)))
      return op->emitOpError("zero_point type ")
             << zeroPointType << " must have the scale's shape " << scale;
  }
  if (blockSize < 0)
    return op->emitOpError("block_size must be non-negative, got ")
           << blockSize;

  bool perTensor = scale.getRank() == 0 ||
                   (scale.getRank() == 1 && scale.getDimSize(0) == 1);
  if (blockSize == 0 && perTensor)
    return success();
  if (blockSize == 0 && scale.getRank() != 1)
    return op->emitOpError("scale must be a scalar or 1-D (per axis) unless "
                           "block_size is set, got ")
           << scale;

  // Per axis and blocked both need `axis` to name an input dimension.
  int64_t rank = input.getRank();
  if (axis < -rank || axis >= rank)
    return op->emitOpError("axis ")
           << axis << " is out of range for rank " << rank;
  if (axis < 0)
    axis += rank;
  int64_t axisSize = input.getDimSize(axis);

  if (blockSize == 0) {
    if (failed(verifyCompatibleShape({scale.getDimSize(0)}, {axisSize})))
      return op->emitOpError("per-axis scale has ")
             << scale.getDimSize(0) << " elements but input dimension " << axis
             << " has " << axisSize;
    return success();
  }

  if (scale.getRank() != rank)
    return op->emitOpError("blocked scale must have the input's rank ")
           << rank << ", got " << scale;
  for (int64_t dim = 0; dim < rank; ++dim) {
    int64_t expected = input.getDimSize(dim);
    if (dim == axis && !ShapedType::isDynamic(expected))
      expected = llvm::divideCeil(expected, blockSize);
    if (failed(verifyCompatibleShape({scale.getDimSize(dim)}, {expected})))
      return op->emitOpError("blocked scale dimension ")
             << dim << " must be " << expected << ", got "
             << scale.getDimSize(dim);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Quantize
//===----------------------------------------------------------------------===//

LogicalResult QuantizeOp::verify() {
  RankedTensorType input = getInput().getType();
  auto output = cast<RankedTensorType>(getType());
  if (failed(verifyCompatibleShape(input.getShape(), output.getShape())))
    return emitOpError("result type ")
           << output << " must have the input's shape " << input;
  if (failed(verifyStorageType(*this, "result", output.getElementType())))
    return failure();
  return verifyQuantGranularity(*this, input, getScale().getType(),
                                getZeroPoint(), output.getElementType(),
                                getAxisAttr().getInt(),
                                getBlockSizeAttr().getInt());
}

//===----------------------------------------------------------------------===//
// Dequantize
//===----------------------------------------------------------------------===//

LogicalResult DequantizeOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location>,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &types) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  auto scale = cast<RankedTensorType>(adaptor.getScale().getType());
  types.push_back(
      RankedTensorType::get(input.getShape(), scale.getElementType()));
  return success();
}

LogicalResult DequantizeOp::verify() {
  RankedTensorType input = getInput().getType();
  if (failed(verifyStorageType(*this, "input", input.getElementType())))
    return failure();
  return verifyQuantGranularity(*this, input, getScale().getType(),
                                getZeroPoint(), input.getElementType(),
                                getAxisAttr().getInt(),
                                getBlockSizeAttr().getInt());
}

//===----------------------------------------------------------------------===//
// UnpackBits
//===----------------------------------------------------------------------===//

LogicalResult UnpackBitsOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  auto output = cast<RankedTensorType>(getOutput().getType());
  unsigned bits = getBitWidth();
  if (!llvm::is_contained({2u, 3u, 4u}, bits))
    return emitOpError("result element type must be a 2-, 3- or 4-bit "
                       "integer, got ")
           << output.getElementType();
  if (input.getRank() == 0 || input.getRank() != output.getRank())
    return emitOpError("input and result must have the same non-zero rank, "
                       "got ")
           << input << " and " << output;
  int64_t rank = input.getRank();
  if (failed(verifyCompatibleShape(input.getShape().drop_back(),
                                   output.getShape().drop_back())))
    return emitOpError("result type ")
           << output << " must have the input's leading dimensions " << input;
  int64_t count = output.getDimSize(rank - 1);
  int64_t bytes = input.getDimSize(rank - 1);
  if (ShapedType::isDynamic(count) || ShapedType::isDynamic(bytes))
    return emitOpError("the last dimensions of input and result must be "
                       "static, got ")
           << input << " and " << output;
  int64_t expected = llvm::divideCeil(count * bits, 8);
  if (bytes != expected)
    return emitOpError() << count << " " << bits << "-bit values pack into "
                         << expected
                         << " bytes, but the input's last dimension has "
                         << bytes;
  return success();
}

//===----------------------------------------------------------------------===//
// DynamicQuantize
//===----------------------------------------------------------------------===//

LogicalResult DynamicQuantizeOp::verify() {
  RankedTensorType input = getInput().getType();
  RankedTensorType output = getOutput().getType();
  if (failed(verifyCompatibleShape(input.getShape(), output.getShape())))
    return emitOpError("output shape ")
           << output << " differs from the input's " << input;
  if (getZeroPoint().getType().getElementType() != output.getElementType())
    return emitOpError("zero point element type must match the output's ")
           << output.getElementType();
  return success();
}

//===----------------------------------------------------------------------===//
// LinearInteger
//===----------------------------------------------------------------------===//

LogicalResult LinearIntegerOp::verify() {
  RankedTensorType input = getInput().getType();
  RankedTensorType weight = getWeight().getType();
  if (getInputZeroPoint().getType().getElementType() != input.getElementType())
    return emitOpError("input zero point element type must match the "
                       "input's ")
           << input.getElementType();
  if (input.getRank() < 1)
    return emitOpError("input must have rank >= 1");
  if (weight.getRank() != 2)
    return emitOpError("weight must be 2-D [out_features, in_features]");
  if (failed(verifyCompatibleShape(ArrayRef<int64_t>{input.getShape().back()},
                                   ArrayRef<int64_t>{weight.getDimSize(1)})))
    return emitOpError("input features ")
           << input.getShape().back() << " do not match weight in_features "
           << weight.getDimSize(1);
  auto quantized = getQuantizedElementType(weight);
  if (!quantized.isSigned() || quantized.getStorageTypeIntegralWidth() != 8)
    return emitOpError("weight must have signed 8-bit storage, got ")
           << quantized;
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(quantized)) {
    if (perAxis.getQuantizedDimension() != 0)
      return emitOpError("weight must be quantized along dimension 0 (output "
                         "features)");
    if (llvm::any_of(perAxis.getZeroPoints(),
                     [](int64_t zeroPoint) { return zeroPoint != 0; }))
      return emitOpError("weight must be symmetric (zero points 0)");
    if (!ShapedType::isDynamic(weight.getDimSize(0)) &&
        int64_t(perAxis.getScales().size()) != weight.getDimSize(0))
      return emitOpError("weight has ")
             << perAxis.getScales().size() << " scales for "
             << weight.getDimSize(0) << " output features";
  } else if (cast<quant::UniformQuantizedType>(quantized).getZeroPoint() != 0) {
    return emitOpError("weight must be symmetric (zero point 0)");
  }
  if (Value bias = getBias()) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    if (biasType.getRank() != 1 ||
        failed(
            verifyCompatibleShape(biasType.getShape(), {weight.getDimSize(0)})))
      return emitOpError("bias must be 1-D [out_features], got ") << biasType;
  }
  SmallVector<int64_t> shape(input.getShape());
  shape.back() = weight.getDimSize(0);
  if (failed(verifyCompatibleShape(shape, getOutput().getType().getShape())))
    return emitOpError("result shape must be the input's with the last "
                       "dimension out_features, got ")
           << getOutput().getType();
  return success();
}
