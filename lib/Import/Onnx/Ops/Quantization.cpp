//===- Quantization.cpp - Import of ONNX quantization ops -----------------===//
//
// QuantizeLinear and DequantizeLinear become tamp.quantize and
// tamp.dequantize. Ops on quantized operands (QLinearConv, QLinearMatMul)
// become dequantize -> float op -> quantize, the form that the quantization
// passes produce and match, and so do onnxruntime's QOperator-format
// contrib ops (com.microsoft QGemm, QLinearAdd, QLinearMul, QLinearSoftmax,
// QLinearGlobalAveragePool, QLinearSigmoid, QLinearLeakyRelu,
// QLinearConcat); the integer ops (ConvInteger, MatMulInteger)
// become i32 arithmetic on zero-point-shifted operands; MatMulNBits keeps its
// weight packed, unpacked by tamp.unpack_bits into a blocked tamp.dequantize
// that feeds tamp.linear.
//
//===----------------------------------------------------------------------===//

#include "ConstantData.h"
#include "Math.h"
#include "NN.h"
#include "NodeImporter.h"
#include "OpRegistry.h"
#include "TensorDecoding.h"

#include "onnx-ml.pb.h"

#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>

using namespace mlir;

namespace tamp {
namespace {

RankedTensorType typeOf(Value value) { return NodeImporter::typeOf(value); }

/// Reads the required inputs 0 .. count-1.
FailureOr<SmallVector<Value>> readInputs(NodeImporter &node, unsigned count) {
  SmallVector<Value> values;
  for (unsigned i = 0; i < count; ++i) {
    FailureOr<Value> value = node.input(i);
    if (failed(value))
      return failure();
    values.push_back(*value);
  }
  return values;
}

IntegerType uint8Type(MLIRContext *context) {
  return IntegerType::get(context, 8, IntegerType::Unsigned);
}

//===----------------------------------------------------------------------===//
// Granularity
//===----------------------------------------------------------------------===//

/// The axis tamp.quantize and tamp.dequantize default to, written for
/// per-tensor scales (where ONNX ignores the axis).
constexpr int64_t kDefaultAxis = 1;

/// A scalar or single-element scale quantizes the whole tensor.
bool isPerTensor(Value scale) {
  RankedTensorType type = typeOf(scale);
  return type.getRank() == 0 ||
         (type.getRank() == 1 && type.getDimSize(0) == 1);
}

/// `axis` for a per-axis scale, the default axis for a per-tensor one.
int64_t axisFor(Value scale, int64_t axis) {
  return isPerTensor(scale) ? kDefaultAxis : axis;
}

/// ONNX wants the zero point in the scale's shape, yet per-tensor models
/// (the backend tests among them) pair a scalar scale with a [1] zero point
/// or the reverse: the zero point takes the scale's shape.
FailureOr<Value> matchZeroPointShape(NodeImporter &node, Value zeroPoint,
                                     Value scale) {
  if (!zeroPoint || typeOf(zeroPoint).getShape() == typeOf(scale).getShape() ||
      !isPerTensor(zeroPoint) || !isPerTensor(scale))
    return zeroPoint;
  return node.build<ReshapeOp>(
      zeroPoint, node.constantI64(typeOf(scale).getShape()), false);
}

struct Granularity {
  int64_t axis = kDefaultAxis;
  int64_t blockSize = 0;
};

/// Reads axis (opset >= 13) and block_size (opset >= 21) of QuantizeLinear or
/// DequantizeLinear. The shapes of scale and zero point are checked by the
/// tamp op.
FailureOr<Granularity> readGranularity(NodeImporter &node, Value input,
                                       Value scale) {
  FailureOr<int64_t> axis = node.attrInt("axis", kDefaultAxis);
  FailureOr<int64_t> blockSize = node.attrInt("block_size", 0);
  if (failed(axis) || failed(blockSize))
    return failure();
  if (*blockSize < 0)
    return node.emitError()
           << "attribute 'block_size' must be non-negative, got " << *blockSize;
  if (*blockSize == 0 && isPerTensor(scale))
    return Granularity{};
  FailureOr<int64_t> normalized =
      normalizeAxis(node.loc(), *axis, typeOf(input).getRank());
  if (failed(normalized))
    return failure();
  return Granularity{*normalized, *blockSize};
}

/// tamp.dequantize of `value` with a per-tensor scale, or a 1-D scale along
/// `axis`.
FailureOr<Value> dequantize(NodeImporter &node, Value value, Value scale,
                            Value zeroPoint, int64_t axis) {
  FailureOr<Value> shapedZeroPoint =
      matchZeroPointShape(node, zeroPoint, scale);
  if (failed(shapedZeroPoint))
    return failure();
  return node.build<DequantizeOp>(value, scale, *shapedZeroPoint,
                                  axisFor(scale, axis), 0);
}

/// tamp.quantize of `value` to `storage` with per-tensor `scale` and the
/// optional `zeroPoint`.
FailureOr<Value> quantizeTo(NodeImporter &node, Value value, Value scale,
                            Value zeroPoint, Type storage) {
  FailureOr<Value> shapedZeroPoint =
      matchZeroPointShape(node, zeroPoint, scale);
  if (failed(shapedZeroPoint))
    return failure();
  return node.buildWithType<QuantizeOp>(typeOf(value).clone(storage), value,
                                        scale, *shapedZeroPoint, kDefaultAxis,
                                        0, true);
}

/// tamp.quantize of `value` with per-tensor `scale` and `zeroPoint`, to the
/// zero point's element type (QLinear* outputs).
FailureOr<Value> quantizeLike(NodeImporter &node, Value value, Value scale,
                              Value zeroPoint) {
  return quantizeTo(node, value, scale, zeroPoint,
                    typeOf(zeroPoint).getElementType());
}

//===----------------------------------------------------------------------===//
// QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear
//===----------------------------------------------------------------------===//

/// The element type QuantizeLinear produces: the zero point's, else
/// output_dtype (opset >= 21), else uint8.
FailureOr<Type> readQuantizedType(NodeImporter &node, Value zeroPoint) {
  FailureOr<int64_t> code = node.attrInt("output_dtype", 0);
  if (failed(code))
    return failure();
  Type requested;
  if (*code != 0) {
    FailureOr<Type> type = node.elementTypeOf(*code);
    if (failed(type))
      return failure();
    requested = *type;
  }
  if (zeroPoint) {
    Type zeroPointType = typeOf(zeroPoint).getElementType();
    if (requested && requested != zeroPointType)
      return node.emitError() << "attribute 'output_dtype' (" << requested
                              << ") differs from the zero point's element type "
                              << zeroPointType;
    return zeroPointType;
  }
  if (requested)
    return requested;
  return Type(uint8Type(node.context()));
}

/// The float type QuantizeLinear divides in: `precision` (opset >= 23), else
/// the scale's type. An integer scale (or input) takes the other operand's
/// float type, f32 when neither is a float.
FailureOr<Type> readDivisionType(NodeImporter &node, Value input, Value scale) {
  FailureOr<int64_t> precision = node.attrInt("precision", 0);
  if (failed(precision))
    return failure();
  if (*precision != 0) {
    FailureOr<Type> type = node.elementTypeOf(*precision);
    if (failed(type))
      return failure();
    if (!isa<FloatType>(*type))
      return node.emitError()
             << "attribute 'precision' must name a float type, got " << *type;
    return *type;
  }
  for (Value operand : {scale, input})
    if (isa<FloatType>(typeOf(operand).getElementType()))
      return typeOf(operand).getElementType();
  return Type(Float32Type::get(node.context()));
}

LogicalResult importQuantizeLinear(NodeImporter &node) {
  if (failed(node.checkInputCount(2, 3)))
    return failure();
  FailureOr<Value> input = node.input(0), scale = node.input(1);
  Value zeroPoint;
  if (failed(input) || failed(scale) ||
      failed(node.readOptionalInput(2, zeroPoint)))
    return failure();
  FailureOr<Type> storage = readQuantizedType(node, zeroPoint);
  FailureOr<Type> divisionType = readDivisionType(node, *input, *scale);
  FailureOr<bool> saturate = node.attrBool("saturate", true);
  FailureOr<Granularity> granularity = readGranularity(node, *input, *scale);
  if (failed(storage) || failed(divisionType) || failed(saturate) ||
      failed(granularity))
    return failure();
  FailureOr<Value> castInput = node.castTo(*input, *divisionType);
  FailureOr<Value> castScale = node.castTo(*scale, *divisionType);
  FailureOr<Value> shapedZeroPoint =
      matchZeroPointShape(node, zeroPoint, *scale);
  if (failed(castInput) || failed(castScale) || failed(shapedZeroPoint))
    return failure();
  return node.setSingleResult(node.buildWithType<QuantizeOp>(
      typeOf(*input).clone(*storage), *castInput, *castScale, *shapedZeroPoint,
      granularity->axis, granularity->blockSize, *saturate));
}

LogicalResult importDequantizeLinear(NodeImporter &node) {
  if (failed(node.checkInputCount(2, 3)))
    return failure();
  FailureOr<Value> input = node.input(0), scale = node.input(1);
  Value zeroPoint;
  FailureOr<int64_t> outputCode = node.attrInt("output_dtype", 0);
  if (failed(input) || failed(scale) || failed(outputCode) ||
      failed(node.readOptionalInput(2, zeroPoint)))
    return failure();
  FailureOr<Granularity> granularity = readGranularity(node, *input, *scale);
  if (failed(granularity))
    return failure();
  // The result has the scale's type; output_dtype (opset >= 23) sets both,
  // since it is also the precision of the multiplication.
  Value castScale = *scale;
  if (*outputCode != 0) {
    FailureOr<Type> outputType = node.elementTypeOf(*outputCode);
    if (failed(outputType))
      return failure();
    if (!isa<FloatType>(*outputType))
      return node.emitError()
             << "attribute 'output_dtype' must name a float type, got "
             << *outputType;
    FailureOr<Value> cast = node.castTo(*scale, *outputType);
    if (failed(cast))
      return failure();
    castScale = *cast;
  }
  FailureOr<Value> shapedZeroPoint =
      matchZeroPointShape(node, zeroPoint, *scale);
  if (failed(shapedZeroPoint))
    return failure();
  return node.setSingleResult(
      node.build<DequantizeOp>(*input, castScale, *shapedZeroPoint,
                               granularity->axis, granularity->blockSize));
}

/// y_scale = (max(x, 0) - min(x, 0)) / 255, y_zero_point =
/// saturate(round(-min(x, 0) / y_scale)), y = quantize(x) as uint8; the
/// range always includes 0 so that 0 is exactly representable.
LogicalResult importDynamicQuantizeLinear(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  Type elementType = typeOf(*input).getElementType();
  if (!isa<FloatType>(elementType))
    return node.emitError()
           << "input must be floating-point, got element type " << elementType;
  Value zero = node.constantScalar(elementType, 0.0);
  FailureOr<Value> low =
      node.build<ReduceMinOp>(*input, ArrayRef<int64_t>{}, /*keepdims=*/false);
  if (failed(low))
    return failure();
  low = node.build<MinOp>(*low, zero);
  if (failed(low))
    return failure();
  FailureOr<Value> high =
      node.build<ReduceMaxOp>(*input, ArrayRef<int64_t>{}, /*keepdims=*/false);
  if (failed(high))
    return failure();
  high = node.build<MaxOp>(*high, zero);
  if (failed(high))
    return failure();
  FailureOr<Value> range = node.build<SubOp>(*high, *low);
  if (failed(range))
    return failure();
  FailureOr<Value> scale =
      node.build<DivOp>(*range, node.constantScalar(elementType, 255.0));
  FailureOr<Value> negatedLow = node.build<NegOp>(*low);
  if (failed(scale) || failed(negatedLow))
    return failure();
  IntegerType uint8 = uint8Type(node.context());
  FailureOr<Value> zeroPoint = node.buildWithType<QuantizeOp>(
      RankedTensorType::get({}, uint8), *negatedLow, *scale, Value(),
      kDefaultAxis, 0, true);
  if (failed(zeroPoint))
    return failure();
  FailureOr<Value> result =
      node.buildWithType<QuantizeOp>(typeOf(*input).clone(uint8), *input,
                                     *scale, *zeroPoint, kDefaultAxis, 0, true);
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  node.setResult(1, *scale);
  node.setResult(2, *zeroPoint);
  return success();
}

//===----------------------------------------------------------------------===//
// QLinearConv, QLinearMatMul
//===----------------------------------------------------------------------===//

LogicalResult importQLinearConv(NodeImporter &node) {
  if (failed(node.checkInputCount(8, 9)))
    return failure();
  FailureOr<SmallVector<Value>> operands = readInputs(node, 8);
  Value bias;
  if (failed(operands) || failed(node.readOptionalInput(8, bias)))
    return failure();
  Value input = (*operands)[0], inputScale = (*operands)[1],
        inputZeroPoint = (*operands)[2], weight = (*operands)[3],
        weightScale = (*operands)[4], weightZeroPoint = (*operands)[5],
        outputScale = (*operands)[6], outputZeroPoint = (*operands)[7];
  FailureOr<Value> floatInput =
      dequantize(node, input, inputScale, inputZeroPoint, kDefaultAxis);
  // The weight may be quantized per output channel.
  FailureOr<Value> floatWeight =
      dequantize(node, weight, weightScale, weightZeroPoint, 0);
  if (failed(floatInput) || failed(floatWeight))
    return failure();
  // The int32 bias is quantized with scale x_scale * w_scale, zero point 0.
  Value floatBias;
  if (bias) {
    FailureOr<Value> biasScale = node.build<MulOp>(inputScale, weightScale);
    if (failed(biasScale))
      return failure();
    FailureOr<Value> dequantized =
        dequantize(node, bias, *biasScale, Value(), 0);
    if (failed(dequantized))
      return failure();
    floatBias = *dequantized;
  }
  FailureOr<Value> convolution =
      importConvolution(node, *floatInput, *floatWeight, floatBias);
  if (failed(convolution))
    return failure();
  return node.setSingleResult(
      quantizeLike(node, *convolution, outputScale, outputZeroPoint));
}

/// tamp.dequantize of a QLinearMatMul operand. Its scale is per tensor, 1-D
/// along `vectorAxis` (per row of a, per column of b), or of the operand's
/// rank with size 1 along the reduction dimension `reductionAxis` ([..., M,
/// 1] for a, [..., 1, N] for b): blocked, with a single block of K.
FailureOr<Value> dequantizeMatMulOperand(NodeImporter &node, Value value,
                                         Value scale, Value zeroPoint,
                                         int64_t vectorAxis,
                                         int64_t reductionAxis) {
  RankedTensorType valueType = typeOf(value), scaleType = typeOf(scale);
  int64_t rank = valueType.getRank();
  if (rank < 2 || scaleType.getRank() != rank ||
      scaleType.getDimSize(reductionAxis) != 1 || isPerTensor(scale))
    return dequantize(node, value, scale, zeroPoint, vectorAxis);
  int64_t reductionSize = valueType.getDimSize(reductionAxis);
  if (ShapedType::isDynamic(reductionSize))
    return node.emitError() << "a scale of rank " << rank
                            << " needs a static reduction dimension";
  return node.build<DequantizeOp>(value, scale, zeroPoint, reductionAxis,
                                  reductionSize);
}

/// `value` - `zeroPoint` in i32. `expandedAxes` are inserted into a 1-D zero
/// point with more than one element so that it broadcasts along the right
/// dimension (rows of MatMulInteger's A, output channels of ConvInteger's w).
FailureOr<Value> shiftToInt32(NodeImporter &node, Value value, Value zeroPoint,
                              ArrayRef<int64_t> expandedAxes) {
  Type i32 = IntegerType::get(node.context(), 32);
  FailureOr<Value> wide = node.castTo(value, i32);
  if (failed(wide) || !zeroPoint)
    return wide;
  FailureOr<Value> wideZeroPoint = node.castTo(zeroPoint, i32);
  if (failed(wideZeroPoint))
    return failure();
  if (!isPerTensor(zeroPoint) && typeOf(zeroPoint).getRank() == 1 &&
      !expandedAxes.empty()) {
    wideZeroPoint = node.build<UnsqueezeOp>(*wideZeroPoint, expandedAxes);
    if (failed(wideZeroPoint))
      return failure();
  }
  return node.build<SubOp>(*wide, *wideZeroPoint);
}

/// QLinearMatMul with scales narrower than f32 (opset 21 allows f16 and
/// bf16), the way ONNX defines it: the exact int32 product of the shifted
/// operands, times a_scale * b_scale / y_scale computed in the scale type,
/// rounded once to the output. Dequantizing each operand in f16 instead would
/// round every term and move results across rounding ties.
FailureOr<Value>
importNarrowScaleQLinearMatMul(NodeImporter &node, Value lhs, Value lhsScale,
                               Value lhsZeroPoint, Value rhs, Value rhsScale,
                               Value rhsZeroPoint, Value outputScale,
                               Value outputZeroPoint) {
  // A 1-D scale or zero point of a holds one value per row: [M] -> [M, 1].
  // Those of b hold one per column and broadcast as they are; scales of the
  // operand's rank already have size 1 along K.
  SmallVector<int64_t> rowAxes;
  bool perRowLhs = typeOf(lhs).getRank() >= 2 && !isPerTensor(lhsScale) &&
                   typeOf(lhsScale).getRank() == 1;
  if (perRowLhs)
    rowAxes.push_back(1);
  FailureOr<Value> shiftedLhs = shiftToInt32(node, lhs, lhsZeroPoint, rowAxes);
  FailureOr<Value> shiftedRhs = shiftToInt32(node, rhs, rhsZeroPoint, {});
  if (failed(shiftedLhs) || failed(shiftedRhs))
    return failure();
  FailureOr<Value> product = node.build<MatMulOp>(*shiftedLhs, *shiftedRhs);
  if (failed(product))
    return failure();
  if (perRowLhs) {
    FailureOr<Value> column = node.build<UnsqueezeOp>(lhsScale, rowAxes);
    if (failed(column))
      return failure();
    lhsScale = *column;
  }
  FailureOr<Value> multiplier = node.build<MulOp>(lhsScale, rhsScale);
  if (failed(multiplier))
    return failure();
  multiplier = node.build<DivOp>(*multiplier, outputScale);
  if (failed(multiplier))
    return failure();
  // The int32 product and the narrow multiplier are both exact in f64, so
  // their product rounds once, before the final rounding to the output.
  Type f64 = Float64Type::get(node.context());
  FailureOr<Value> wideProduct = node.castTo(*product, f64);
  FailureOr<Value> wideMultiplier = node.castTo(*multiplier, f64);
  if (failed(wideProduct) || failed(wideMultiplier))
    return failure();
  FailureOr<Value> scaled = node.build<MulOp>(*wideProduct, *wideMultiplier);
  if (failed(scaled))
    return failure();
  return quantizeLike(node, *scaled, node.constantScalar(f64, 1.0),
                      outputZeroPoint);
}

/// A constant 2-D b is a layer weight: it is transposed here into
/// tamp.linear's [N, K] layout, its per-column scale becoming per-row.
LogicalResult importQLinearMatMul(NodeImporter &node) {
  if (failed(node.checkInputCount(8, 8)))
    return failure();
  FailureOr<SmallVector<Value>> operands = readInputs(node, 8);
  if (failed(operands))
    return failure();
  Value lhs = (*operands)[0], lhsScale = (*operands)[1],
        lhsZeroPoint = (*operands)[2], rhs = (*operands)[3],
        rhsScale = (*operands)[4], rhsZeroPoint = (*operands)[5],
        outputScale = (*operands)[6], outputZeroPoint = (*operands)[7];
  if (typeOf(lhsScale).getElementType().getIntOrFloatBitWidth() < 32)
    return node.setSingleResult(importNarrowScaleQLinearMatMul(
        node, lhs, lhsScale, lhsZeroPoint, rhs, rhsScale, rhsZeroPoint,
        outputScale, outputZeroPoint));
  int64_t lhsRank = typeOf(lhs).getRank(), rhsRank = typeOf(rhs).getRank();
  FailureOr<Value> floatLhs =
      dequantizeMatMulOperand(node, lhs, lhsScale, lhsZeroPoint,
                              std::max<int64_t>(lhsRank - 2, 0), lhsRank - 1);
  if (failed(floatLhs))
    return failure();
  FailureOr<Value> product = failure();
  std::optional<Value> weight;
  if (typeOf(rhsScale).getRank() <= 1)
    weight = transposeConstantMatrix(node, rhs);
  if (weight) {
    FailureOr<Value> floatWeight =
        dequantize(node, *weight, rhsScale, rhsZeroPoint, 0);
    if (failed(floatWeight))
      return failure();
    product = node.build<LinearOp>(*floatLhs, *floatWeight, Value(),
                                   Activation::none, FloatAttr(), FloatAttr());
  } else {
    FailureOr<Value> floatRhs =
        dequantizeMatMulOperand(node, rhs, rhsScale, rhsZeroPoint,
                                std::max<int64_t>(rhsRank - 1, 0), rhsRank - 2);
    if (failed(floatRhs))
      return failure();
    product = node.build<MatMulOp>(*floatLhs, *floatRhs);
  }
  if (failed(product))
    return failure();
  return node.setSingleResult(
      quantizeLike(node, *product, outputScale, outputZeroPoint));
}

//===----------------------------------------------------------------------===//
// MatMulInteger, ConvInteger
//===----------------------------------------------------------------------===//

LogicalResult importMatMulInteger(NodeImporter &node) {
  if (failed(node.checkInputCount(2, 4)))
    return failure();
  FailureOr<Value> lhs = node.input(0), rhs = node.input(1);
  Value lhsZeroPoint, rhsZeroPoint;
  if (failed(lhs) || failed(rhs) ||
      failed(node.readOptionalInput(2, lhsZeroPoint)) ||
      failed(node.readOptionalInput(3, rhsZeroPoint)))
    return failure();
  // A 1-D zero point of A holds one value per row: [M] -> [M, 1]. One of B
  // holds one per column and broadcasts as it is.
  SmallVector<int64_t> rowAxes;
  if (typeOf(*lhs).getRank() >= 2)
    rowAxes.push_back(1);
  FailureOr<Value> shiftedLhs = shiftToInt32(node, *lhs, lhsZeroPoint, rowAxes);
  FailureOr<Value> shiftedRhs = shiftToInt32(node, *rhs, rhsZeroPoint, {});
  if (failed(shiftedLhs) || failed(shiftedRhs))
    return failure();
  return node.setSingleResult(node.build<MatMulOp>(*shiftedLhs, *shiftedRhs));
}

LogicalResult importConvInteger(NodeImporter &node) {
  if (failed(node.checkInputCount(2, 4)))
    return failure();
  FailureOr<Value> input = node.input(0), weight = node.input(1);
  Value inputZeroPoint, weightZeroPoint;
  if (failed(input) || failed(weight) ||
      failed(node.readOptionalInput(2, inputZeroPoint)) ||
      failed(node.readOptionalInput(3, weightZeroPoint)))
    return failure();
  // Padding the shifted input with 0 is padding the input with its zero
  // point, as ONNX specifies. A per-channel weight zero point [M] becomes
  // [M, 1, ..., 1].
  SmallVector<int64_t> channelAxes = llvm::to_vector(
      llvm::seq<int64_t>(1, std::max<int64_t>(typeOf(*weight).getRank(), 1)));
  FailureOr<Value> shiftedInput =
      shiftToInt32(node, *input, inputZeroPoint, {});
  FailureOr<Value> shiftedWeight =
      shiftToInt32(node, *weight, weightZeroPoint, channelAxes);
  if (failed(shiftedInput) || failed(shiftedWeight))
    return failure();
  return node.setSingleResult(
      importConvolution(node, *shiftedInput, *shiftedWeight, Value()));
}

//===----------------------------------------------------------------------===//
// MatMulNBits (com.microsoft)
//===----------------------------------------------------------------------===//

/// Code `index` of a stream of `bits`-bit unsigned codes packed low bits
/// first, starting at byte `offset`. With 2, 4 or 8 bits no code straddles a
/// byte.
unsigned unpackCode(const ConstantBytes &bytes, int64_t offset, int64_t index,
                    int64_t bits) {
  int64_t bit = index * bits;
  return (bytes.byte(offset + bit / 8) >> (bit % 8)) & ((1u << bits) - 1);
}

/// The attributes and shapes of a MatMulNBits node.
struct NBitsLayout {
  int64_t k, n, bits, blockSize;
  int64_t numBlocks, blobSize;
};

FailureOr<NBitsLayout> readNBitsLayout(NodeImporter &node) {
  FailureOr<int64_t> k = node.attrInt("K"), n = node.attrInt("N");
  FailureOr<int64_t> bits = node.attrInt("bits", 4);
  FailureOr<int64_t> blockSize = node.attrInt("block_size");
  // accuracy_level only lets a runtime compute in lower precision.
  FailureOr<int64_t> accuracyLevel = node.attrInt("accuracy_level", 0);
  FailureOr<int64_t> prepacked = node.attrInt("weight_prepacked", 0);
  if (failed(k) || failed(n) || failed(bits) || failed(blockSize) ||
      failed(accuracyLevel) || failed(prepacked))
    return failure();
  // Sizes beyond a tensor dimension's limit cannot match any B.
  auto isSize = [](int64_t size) {
    return size >= 1 && size <= kMaxDimensionSize;
  };
  if (!isSize(*k) || !isSize(*n))
    return node.emitError()
           << "attributes 'K' and 'N' must be in [1, " << kMaxDimensionSize
           << "], got K = " << *k << ", N = " << *n;
  if (!llvm::is_contained({2, 4, 8}, *bits))
    return node.emitError()
           << "attribute 'bits' must be 2, 4 or 8, got " << *bits;
  if (*blockSize < 16 || !isSize(*blockSize) ||
      !llvm::isPowerOf2_64(*blockSize))
    return node.emitError()
           << "attribute 'block_size' must be a power of two >= 16, got "
           << *blockSize;
  if (*accuracyLevel < 0 || *accuracyLevel > 4)
    return node.emitError()
           << "attribute 'accuracy_level' must be in [0, 4], got "
           << *accuracyLevel;
  if (*prepacked != 0)
    return node.emitError() << "weight_prepacked = " << *prepacked
                            << " (a runtime-specific layout of B) is not "
                               "supported";
  return NBitsLayout{*k,
                     *n,
                     *bits,
                     *blockSize,
                     int64_t(llvm::divideCeil(*k, *blockSize)),
                     *blockSize * *bits / 8};
}

/// Checks that `value` has the 2-D shape `shape`, or holds as many elements
/// in 1-D (the flat form older quantizers wrote).
LogicalResult checkPerBlockShape(NodeImporter &node, llvm::StringRef name,
                                 Value value, ArrayRef<int64_t> shape) {
  RankedTensorType type = typeOf(value);
  int64_t count = shape[0] * shape[1];
  bool matches = type.hasStaticShape() &&
                 (type.getShape() == shape ||
                  (type.getRank() == 1 && type.getDimSize(0) == count));
  if (!matches)
    return node.emitError()
           << name << " must have shape [" << shape[0] << ", " << shape[1]
           << "] (or [" << count << "]), got " << type;
  return success();
}

/// `value` with the 2-D shape `shape`.
FailureOr<Value> reshapeTo(NodeImporter &node, Value value,
                           ArrayRef<int64_t> shape) {
  if (typeOf(value).getShape() == shape)
    return value;
  return node.build<ReshapeOp>(value, node.constantI64(shape), false);
}

/// Repeats each column of a [N, n_blocks] tensor `blockSize` times and keeps
/// the first `k` columns: per-block values to per-element ones.
FailureOr<Value> expandBlocks(NodeImporter &node, Value perBlock,
                              int64_t blockSize, int64_t k) {
  int64_t rows = typeOf(perBlock).getDimSize(0);
  int64_t blocks = typeOf(perBlock).getDimSize(1);
  FailureOr<Value> column =
      node.build<UnsqueezeOp>(perBlock, ArrayRef<int64_t>{2});
  if (failed(column))
    return failure();
  FailureOr<Value> grid = node.build<ExpandOp>(
      *column, node.constantI64({rows, blocks, blockSize}));
  if (failed(grid))
    return failure();
  FailureOr<Value> flat = reshapeTo(node, *grid, {rows, blocks * blockSize});
  if (failed(flat) || blocks * blockSize == k)
    return flat;
  return node.build<SliceOp>(*flat, node.constantI64({0}),
                             node.constantI64({k}), node.constantI64({1}),
                             node.constantI64({1}));
}

/// Checks that g_idx (deprecated) maps column k to block k / block_size,
/// which is what the op computes without it.
LogicalResult checkTrivialGroupIndex(NodeImporter &node, Value groupIndex,
                                     const NBitsLayout &layout) {
  std::optional<SmallVector<int64_t>> groups = readIntConstant(groupIndex);
  bool trivial = groups && int64_t(groups->size()) == layout.k;
  for (int64_t column = 0; trivial && column < layout.k; ++column)
    trivial = (*groups)[column] == column / layout.blockSize;
  if (!trivial)
    return node.emitError() << "g_idx other than a constant [k / block_size] "
                               "(act-order grouping) is not supported";
  return success();
}

/// MatMulNBits: Y = A x dequantize(B)^T + bias, B [N, K] quantized in blocks
/// of block_size along K, packed low bits first into B [N, n_blocks, blob].
/// Without zero points the codes are stored symmetrically as signed integers
/// (code - 2^(bits-1)); with integer zero points as unsigned ones beside
/// their zero points; fractional float zero points are subtracted after
/// dequantization.
LogicalResult importMatMulNBits(NodeImporter &node) {
  if (failed(node.checkInputCount(3, 6)))
    return failure();
  FailureOr<Value> input = node.input(0), packed = node.input(1),
                   scales = node.input(2);
  Value zeroPoints, groupIndex, bias;
  if (failed(input) || failed(packed) || failed(scales) ||
      failed(node.readOptionalInput(3, zeroPoints)) ||
      failed(node.readOptionalInput(4, groupIndex)) ||
      failed(node.readOptionalInput(5, bias)))
    return failure();
  FailureOr<NBitsLayout> layout = readNBitsLayout(node);
  if (failed(layout))
    return failure();
  auto [k, n, bits, blockSize, numBlocks, blobSize] = *layout;
  MLIRContext *context = node.context();

  RankedTensorType packedType = typeOf(*packed);
  auto expectedPackedType =
      RankedTensorType::get({n, numBlocks, blobSize}, uint8Type(context));
  if (packedType != expectedPackedType)
    return node.emitError()
           << "B must be " << expectedPackedType
           << " ([N, n_blocks, blob_size]), got " << packedType;
  std::optional<ConstantBytes> codes = getConstantBytes(*packed);
  if (!codes)
    return node.emitError()
           << "B must be a constant: Tamp unpacks the weight at import";
  Type floatType = typeOf(*input).getElementType();
  if (!isa<FloatType>(floatType) ||
      typeOf(*scales).getElementType() != floatType)
    return node.emitError()
           << "A and scales must have the same float element type, got "
           << floatType << " and " << typeOf(*scales).getElementType();
  if (failed(checkPerBlockShape(node, "scales", *scales, {n, numBlocks})))
    return failure();
  FailureOr<Value> blockScales = reshapeTo(node, *scales, {n, numBlocks});
  if (failed(blockScales) ||
      (groupIndex && failed(checkTrivialGroupIndex(node, groupIndex, *layout))))
    return failure();

  // Zero points: packed uint8 codes, or floats of A's type.
  auto unsignedType = IntegerType::get(context, bits, IntegerType::Unsigned);
  auto zeroPointType = RankedTensorType::get({n, numBlocks}, unsignedType);
  Value zeroPointCodes, fractionalZeroPoints;
  if (zeroPoints) {
    Type elementType = typeOf(zeroPoints).getElementType();
    DecodedTensor decoded{zeroPointType, {}};
    if (elementType == uint8Type(context)) {
      int64_t rowBytes = int64_t(llvm::divideCeil(numBlocks * bits, 8));
      std::optional<ConstantBytes> packedZeroPoints =
          getConstantBytes(zeroPoints);
      if (failed(checkPerBlockShape(node, "packed zero_points", zeroPoints,
                                    {n, rowBytes})))
        return failure();
      if (!packedZeroPoints)
        return node.emitError() << "packed zero_points must be a constant";
      for (int64_t row = 0; row < n; ++row)
        for (int64_t block = 0; block < numBlocks; ++block)
          decoded.bytes.push_back(
              char(unpackCode(*packedZeroPoints, row * rowBytes, block, bits)));
    } else if (elementType == floatType) {
      if (failed(checkPerBlockShape(node, "zero_points", zeroPoints,
                                    {n, numBlocks})))
        return failure();
      std::optional<SmallVector<double>> values = readFloatConstant(zeroPoints);
      bool integral = values.has_value();
      for (double value : values.value_or(SmallVector<double>{})) {
        integral &= value == std::round(value) && value >= 0 &&
                    value < double(1 << bits);
        decoded.bytes.push_back(char(int64_t(integral ? value : 0)));
      }
      if (!integral) {
        FailureOr<Value> perBlock = reshapeTo(node, zeroPoints, {n, numBlocks});
        if (failed(perBlock))
          return failure();
        fractionalZeroPoints = *perBlock;
      }
    } else {
      return node.emitError() << "zero_points must be uint8 (packed) or have "
                                 "A's element type "
                              << floatType << ", got " << elementType;
    }
    if (!fractionalZeroPoints)
      zeroPointCodes = constantLike(node, zeroPoints, std::move(decoded), "");
  }

  // B stays packed: each row's blocks form one little-endian bit stream,
  // which tamp.unpack_bits reads (the padding of a partial last block is
  // dropped); 8-bit codes need no unpacking. Without zero points the codes
  // are stored signed, as code - 2^(bits-1), which in two's complement
  // flips the top bit of each code.
  bool symmetric = !zeroPoints;
  auto weightType = RankedTensorType::get(
      {n, k}, symmetric ? IntegerType::get(context, bits) : unsignedType);
  int64_t rowBytes = int64_t(llvm::divideCeil(k * bits, 8));
  uint8_t signBits = 0;
  if (symmetric)
    for (int64_t bit = bits - 1; bit < 8; bit += bits)
      signBits |= uint8_t(1u << bit);
  DecodedTensor rows;
  rows.type = bits == 8 ? weightType
                        : RankedTensorType::get({n, rowBytes},
                                                IntegerType::get(context, 8));
  rows.bytes.resize(n * rowBytes);
  for (int64_t row = 0; row < n; ++row)
    for (int64_t index = 0; index < rowBytes; ++index)
      rows.bytes[row * rowBytes + index] =
          char(codes->byte(row * numBlocks * blobSize + index) ^ signBits);
  Value quantizedWeight = constantLike(node, *packed, std::move(rows),
                                       bits == 8 ? ".unpacked" : ".rows");
  if (bits != 8) {
    FailureOr<Value> unpacked =
        node.buildWithType<UnpackBitsOp>(weightType, quantizedWeight);
    if (failed(unpacked))
      return failure();
    quantizedWeight = *unpacked;
  }

  FailureOr<Value> floatWeight =
      node.build<DequantizeOp>(quantizedWeight, *blockScales, zeroPointCodes,
                               /*axis=*/1, blockSize);
  if (failed(floatWeight))
    return failure();
  if (fractionalZeroPoints) {
    // (code - zp) * scale = code * scale - zp * scale.
    FailureOr<Value> offsets =
        node.build<MulOp>(fractionalZeroPoints, *blockScales);
    if (failed(offsets))
      return failure();
    offsets = expandBlocks(node, *offsets, blockSize, k);
    if (failed(offsets))
      return failure();
    floatWeight = node.build<SubOp>(*floatWeight, *offsets);
    if (failed(floatWeight))
      return failure();
  }
  return node.setSingleResult(node.build<LinearOp>(
      *input, *floatWeight, bias, Activation::none, FloatAttr(), FloatAttr()));
}

//===----------------------------------------------------------------------===//
// com.microsoft QLinear* ops and QGemm (onnxruntime's QOperator format)
//===----------------------------------------------------------------------===//

/// Checks that the scale or zero point `value` (when present) holds a single
/// value: these ops quantize their operands per tensor.
LogicalResult checkPerTensor(NodeImporter &node, llvm::StringRef name,
                             Value value) {
  if (value && !isPerTensor(value))
    return node.emitError()
           << name << " must be a scalar or a 1-element tensor, got "
           << typeOf(value);
  return success();
}

/// A per-tensor quantized operand: its value, scale and optional zero
/// point. Outputs have no value.
struct QuantizedOperand {
  Value value, scale, zeroPoint;
};

/// Reads the scale at input `scaleIndex` and the optional zero point after
/// it.
FailureOr<QuantizedOperand> readQuantization(NodeImporter &node,
                                             unsigned scaleIndex,
                                             llvm::StringRef scaleName,
                                             llvm::StringRef zeroPointName) {
  QuantizedOperand operand;
  FailureOr<Value> scale = node.input(scaleIndex);
  if (failed(scale) ||
      failed(node.readOptionalInput(scaleIndex + 1, operand.zeroPoint)))
    return failure();
  operand.scale = *scale;
  if (failed(checkPerTensor(node, scaleName, operand.scale)) ||
      failed(checkPerTensor(node, zeroPointName, operand.zeroPoint)))
    return failure();
  return operand;
}

/// Reads the value at input `first`, its scale and its zero point after it.
FailureOr<QuantizedOperand>
readQuantizedOperand(NodeImporter &node, unsigned first,
                     llvm::StringRef scaleName, llvm::StringRef zeroPointName) {
  FailureOr<Value> value = node.input(first);
  FailureOr<QuantizedOperand> operand =
      readQuantization(node, first + 1, scaleName, zeroPointName);
  if (failed(value) || failed(operand))
    return failure();
  operand->value = *value;
  return operand;
}

FailureOr<Value> dequantize(NodeImporter &node,
                            const QuantizedOperand &operand) {
  return dequantize(node, operand.value, operand.scale, operand.zeroPoint,
                    kDefaultAxis);
}

/// Quantizes the float `result` as `output` says, to `storage` (the
/// quantized inputs' type: the output's zero point is optional).
LogicalResult setQuantizedResult(NodeImporter &node, FailureOr<Value> result,
                                 const QuantizedOperand &output, Type storage) {
  if (failed(result))
    return failure();
  return node.setSingleResult(
      quantizeTo(node, *result, output.scale, output.zeroPoint, storage));
}

/// QLinearAdd, QLinearMul: C = quantize(dequantize(A) op dequantize(B)), with
/// numpy broadcasting.
template <typename OpTy> LogicalResult importQLinearBinary(NodeImporter &node) {
  // The zero points (inputs 2, 5 and 7) are optional.
  if (failed(node.checkInputCount(2, 8)))
    return failure();
  FailureOr<QuantizedOperand> lhs =
      readQuantizedOperand(node, 0, "A_scale", "A_zero_point");
  FailureOr<QuantizedOperand> rhs =
      readQuantizedOperand(node, 3, "B_scale", "B_zero_point");
  FailureOr<QuantizedOperand> output =
      readQuantization(node, 6, "C_scale", "C_zero_point");
  if (failed(lhs) || failed(rhs) || failed(output))
    return failure();
  Type storage = typeOf(lhs->value).getElementType();
  if (typeOf(rhs->value).getElementType() != storage)
    return node.emitError()
           << "A and B must have the same element type, got " << storage
           << " and " << typeOf(rhs->value).getElementType();
  FailureOr<Value> floatLhs = dequantize(node, *lhs);
  FailureOr<Value> floatRhs = dequantize(node, *rhs);
  if (failed(floatLhs) || failed(floatRhs))
    return failure();
  return setQuantizedResult(node, node.build<OpTy>(*floatLhs, *floatRhs),
                            *output, storage);
}

/// QLinearSigmoid, QLinearLeakyRelu (alpha, default 0.01): the activation
/// of the dequantized input, quantized.
template <typename OpTy>
LogicalResult importQLinearActivation(NodeImporter &node) {
  // The zero points (inputs 2 and 4) are optional.
  if (failed(node.checkInputCount(2, 5)))
    return failure();
  FailureOr<QuantizedOperand> input =
      readQuantizedOperand(node, 0, "X_scale", "X_zero_point");
  FailureOr<QuantizedOperand> output =
      readQuantization(node, 3, "Y_scale", "Y_zero_point");
  if (failed(input) || failed(output))
    return failure();
  FailureOr<Value> floatInput = dequantize(node, *input);
  if (failed(floatInput))
    return failure();
  FailureOr<Value> result = failure();
  if constexpr (std::is_same_v<OpTy, LeakyReluOp>) {
    FailureOr<float> alpha = node.attrFloat("alpha", 0.01f);
    if (failed(alpha))
      return failure();
    result = node.build<LeakyReluOp>(*floatInput,
                                     node.builder().getF32FloatAttr(*alpha));
  } else {
    result = node.build<OpTy>(*floatInput);
  }
  return setQuantizedResult(node, result, *output,
                            typeOf(input->value).getElementType());
}

/// QLinearConcat (Y_scale, Y_zero_point, then X, X_scale, X_zero_point for
/// each input): each input is dequantized with its own parameters,
/// concatenated along `axis` and quantized with Y's.
LogicalResult importQLinearConcat(NodeImporter &node) {
  if (failed(node.checkInputCount(5, ~0u)))
    return failure();
  if ((node.numInputs() - 2) % 3 != 0)
    return node.emitError() << "expects Y_scale, Y_zero_point and triples "
                               "(X, X_scale, X_zero_point), got "
                            << node.numInputs() << " inputs";
  FailureOr<QuantizedOperand> output =
      readQuantization(node, 0, "Y_scale", "Y_zero_point");
  if (failed(output))
    return failure();
  if (!output->zeroPoint)
    return node.emitError() << "Y_zero_point is required";
  SmallVector<Value> floatInputs;
  for (unsigned first = 2; first < node.numInputs(); first += 3) {
    FailureOr<QuantizedOperand> input =
        readQuantizedOperand(node, first, "X_scale", "X_zero_point");
    if (failed(input))
      return failure();
    FailureOr<Value> floatInput = dequantize(node, *input);
    if (failed(floatInput))
      return failure();
    floatInputs.push_back(*floatInput);
  }
  FailureOr<int64_t> axis = node.attrInt("axis");
  if (failed(axis))
    return failure();
  FailureOr<int64_t> normalized =
      normalizeAxis(node.loc(), *axis, typeOf(floatInputs.front()).getRank());
  if (failed(normalized))
    return failure();
  return setQuantizedResult(
      node, node.build<ConcatOp>(floatInputs, *normalized), *output,
      typeOf(output->zeroPoint).getElementType());
}

/// QLinearGlobalAveragePool: the mean over the spatial dimensions (after the
/// channels with channels_last = 0, between batch and channels otherwise),
/// kept as size 1.
LogicalResult importQLinearGlobalAveragePool(NodeImporter &node) {
  if (failed(node.checkInputCount(5, 5)))
    return failure();
  FailureOr<QuantizedOperand> input =
      readQuantizedOperand(node, 0, "x_scale", "x_zero_point");
  FailureOr<QuantizedOperand> output =
      readQuantization(node, 3, "y_scale", "y_zero_point");
  FailureOr<bool> channelsLast = node.attrBool("channels_last", false);
  if (failed(input) || failed(output) || failed(channelsLast))
    return failure();
  int64_t rank = typeOf(input->value).getRank();
  if (rank < 3)
    return node.emitError()
           << "X must have rank >= 3 (batch, channels and spatial "
              "dimensions), got rank "
           << rank;
  int64_t firstSpatial = *channelsLast ? 1 : 2;
  SmallVector<int64_t> spatialAxes = llvm::to_vector(
      llvm::seq<int64_t>(firstSpatial, firstSpatial + rank - 2));
  FailureOr<Value> floatInput = dequantize(node, *input);
  if (failed(floatInput))
    return failure();
  return setQuantizedResult(node,
                            node.build<ReduceMeanOp>(*floatInput, spatialAxes,
                                                     /*keepdims=*/true),
                            *output, typeOf(input->value).getElementType());
}

/// QLinearSoftmax: Softmax of the dequantized input along `axis`, with the
/// semantics of the ONNX opset named by `opset` (before 13 the input is
/// coerced to 2-D at `axis` and normalised over the trailing block).
LogicalResult importQLinearSoftmax(NodeImporter &node) {
  // x_zero_point (input 2) is optional.
  if (failed(node.checkInputCount(2, 5)))
    return failure();
  FailureOr<QuantizedOperand> input =
      readQuantizedOperand(node, 0, "X_scale", "x_zero_point");
  FailureOr<QuantizedOperand> output =
      readQuantization(node, 3, "y_scale", "y_zero_point");
  FailureOr<int64_t> opset = node.attrInt("opset");
  FailureOr<int64_t> axis = node.attrInt("axis", -1);
  if (failed(input) || failed(output) || failed(opset) || failed(axis))
    return failure();
  if (*opset < 1)
    return node.emitError()
           << "attribute 'opset' must be a positive ONNX opset, got " << *opset;
  if (!output->zeroPoint)
    return node.emitError() << "y_zero_point is required";
  FailureOr<int64_t> normalized =
      normalizeAxis(node.loc(), *axis, typeOf(input->value).getRank());
  FailureOr<Value> floatInput = dequantize(node, *input);
  if (failed(normalized) || failed(floatInput))
    return failure();
  FailureOr<Value> result = buildAxisNormalization(
      node, *floatInput, *normalized, /*coerceTo2D=*/*opset < 13,
      [&](Value value, int64_t axis) {
        return node.build<SoftmaxOp>(value, axis);
      });
  return setQuantizedResult(node, result, *output,
                            typeOf(output->zeroPoint).getElementType());
}

/// QGemm: Y = alpha * (A' x B' + C), A' and B' the dequantized (optionally
/// transposed) operands, C an int32 bias quantized with scale a_scale *
/// b_scale and zero point 0 (added before alpha, as onnxruntime adds it to
/// the int32 accumulator). With y_scale and y_zero_point Y is quantized,
/// else float. B may be quantized per column of B' (per output feature).
LogicalResult importQGemm(NodeImporter &node) {
  if (failed(node.checkInputCount(6, 9)))
    return failure();
  FailureOr<QuantizedOperand> a =
      readQuantizedOperand(node, 0, "a_scale", "a_zero_point");
  FailureOr<Value> b = node.input(3), bScale = node.input(4);
  Value bZeroPoint, bias;
  FailureOr<float> alpha = node.attrFloat("alpha", 1.0f);
  FailureOr<bool> transA = node.attrBool("transA", false);
  FailureOr<bool> transB = node.attrBool("transB", false);
  if (failed(a) || failed(b) || failed(bScale) ||
      failed(node.readOptionalInput(5, bZeroPoint)) ||
      failed(node.readOptionalInput(6, bias)) || failed(alpha) ||
      failed(transA) || failed(transB))
    return failure();
  QuantizedOperand output;
  if (node.hasInput(7) || node.hasInput(8)) {
    FailureOr<QuantizedOperand> quantization =
        readQuantization(node, 7, "y_scale", "y_zero_point");
    if (failed(quantization))
      return failure();
    output = *quantization;
    if (!output.zeroPoint)
      return node.emitError()
             << "y_scale needs y_zero_point (the quantized output's type)";
  }
  for (Value operand : {a->value, *b})
    if (typeOf(operand).getRank() != 2)
      return node.emitError()
             << "A and B must be 2-D, got rank " << typeOf(operand).getRank();
  // b_scale is per tensor or one per column of B' (N values).
  int64_t n = typeOf(*b).getDimSize(*transB ? 0 : 1);
  RankedTensorType bScaleType = typeOf(*bScale);
  if (!isPerTensor(*bScale) &&
      (bScaleType.getRank() != 1 || bScaleType.getDimSize(0) != n))
    return node.emitError() << "b_scale must be a scalar or hold N = " << n
                            << " values, got " << bScaleType;

  FailureOr<Value> lhs = dequantize(node, *a);
  if (failed(lhs))
    return failure();
  if (*transA) {
    lhs = node.build<TransposeOp>(*lhs, ArrayRef<int64_t>{1, 0});
    if (failed(lhs))
      return failure();
  }
  // A constant B becomes tamp.linear's [N, K] weight, transposed here while
  // still quantized; its per-column scale is then per row.
  // With transB, B already is [N, K].
  FailureOr<Value> product = failure();
  std::optional<Value> weight =
      *transB ? std::optional<Value>(*b) : transposeConstantMatrix(node, *b);
  if (weight) {
    FailureOr<Value> floatWeight =
        dequantize(node, *weight, *bScale, bZeroPoint, 0);
    if (failed(floatWeight))
      return failure();
    // Without alpha the bias is the layer's: dequantized like QLinearConv's,
    // so that tamp-fold-qdq hands it to the integer kernel as it is.
    Value layerBias;
    if (bias && *alpha == 1.0f) {
      FailureOr<Value> biasScale = node.build<MulOp>(a->scale, *bScale);
      if (failed(biasScale))
        return failure();
      FailureOr<Value> dequantized =
          dequantize(node, bias, *biasScale, Value(), 0);
      if (failed(dequantized))
        return failure();
      layerBias = *dequantized;
      bias = Value();
    }
    product = node.build<LinearOp>(*lhs, *floatWeight, layerBias,
                                   Activation::none, FloatAttr(), FloatAttr());
  } else {
    FailureOr<Value> rhs = dequantize(node, *b, *bScale, bZeroPoint, 1);
    if (failed(rhs))
      return failure();
    product = node.build<MatMulOp>(*lhs, *rhs);
  }
  if (failed(product))
    return failure();

  Type floatType = typeOf(a->scale).getElementType();
  Value result = *product;
  if (bias) {
    FailureOr<Value> biasScale = node.build<MulOp>(a->scale, *bScale);
    FailureOr<Value> floatBias = node.castTo(bias, floatType);
    if (failed(biasScale) || failed(floatBias))
      return failure();
    floatBias = node.build<MulOp>(*floatBias, *biasScale);
    if (failed(floatBias))
      return failure();
    FailureOr<Value> sum = node.build<AddOp>(result, *floatBias);
    if (failed(sum))
      return failure();
    result = *sum;
  }
  if (*alpha != 1.0f) {
    FailureOr<Value> scaled =
        node.build<MulOp>(result, node.constantScalar(floatType, *alpha));
    if (failed(scaled))
      return failure();
    result = *scaled;
  }
  if (!output.scale)
    return node.setSingleResult(result);
  return node.setSingleResult(
      quantizeLike(node, result, output.scale, output.zeroPoint));
}

} // namespace

void registerQuantizationOps(OpRegistry &registry) {
  registry.add("", "QuantizeLinear", importQuantizeLinear);
  registry.add("", "DequantizeLinear", importDequantizeLinear);
  registry.add("", "DynamicQuantizeLinear", importDynamicQuantizeLinear);
  registry.add("", "QLinearConv", importQLinearConv);
  registry.add("", "QLinearMatMul", importQLinearMatMul);
  registry.add("", "MatMulInteger", importMatMulInteger);
  registry.add("", "ConvInteger", importConvInteger);
  registry.add("com.microsoft", "MatMulNBits", importMatMulNBits);
  registry.add("com.microsoft", "QGemm", importQGemm);
  registry.add("com.microsoft", "QLinearAdd", importQLinearBinary<AddOp>);
  registry.add("com.microsoft", "QLinearMul", importQLinearBinary<MulOp>);
  registry.add("com.microsoft", "QLinearGlobalAveragePool",
               importQLinearGlobalAveragePool);
  registry.add("com.microsoft", "QLinearSoftmax", importQLinearSoftmax);
  registry.add("com.microsoft", "QLinearSigmoid",
               importQLinearActivation<SigmoidOp>);
  registry.add("com.microsoft", "QLinearLeakyRelu",
               importQLinearActivation<LeakyReluOp>);
  registry.add("com.microsoft", "QLinearConcat", importQLinearConcat);
}

} // namespace tamp
