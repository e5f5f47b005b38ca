//===- NNOps.cpp - Lowering tamp nn ops to linalg -------------------------===//
//
// Convolutions and pools pad their input once (tensor.pad: zero for
// convolutions and sums, the lowest value for max pools) and then become the
// named linalg convolution/pooling ops a tiling pipeline knows how to make
// fast; normalisations become reductions followed by one elementwise generic.
// Output sizes are computed from tensor.dim so dynamic batch and spatial sizes
// work.
//
//===----------------------------------------------------------------------===//

#include "IntegerKernels.h"
#include "LoweringUtils.h"
#include "Patterns.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace tamp::lowering;
using tamp::getConstantQuantizedWeight;
using tamp::getWeightScales;
using tamp::isQuantizedTensor;

namespace {

//===----------------------------------------------------------------------===//
// Index arithmetic on folded sizes
//===----------------------------------------------------------------------===//

/// Index arithmetic that folds constants, so static shapes stay static.
class IndexMath {
public:
  IndexMath(OpBuilder &b, Location loc) : b(b), loc(loc) {}

  Value value(OpFoldResult ofr) {
    return getValueOrCreateConstantIndexOp(b, loc, ofr);
  }
  OpFoldResult constant(int64_t v) { return b.getIndexAttr(v); }

  OpFoldResult add(OpFoldResult lhs, OpFoldResult rhs) {
    return fold<arith::AddIOp>(lhs, rhs,
                               [](int64_t x, int64_t y) { return x + y; });
  }
  OpFoldResult sub(OpFoldResult lhs, OpFoldResult rhs) {
    return fold<arith::SubIOp>(lhs, rhs,
                               [](int64_t x, int64_t y) { return x - y; });
  }
  OpFoldResult mul(OpFoldResult lhs, OpFoldResult rhs) {
    return fold<arith::MulIOp>(lhs, rhs,
                               [](int64_t x, int64_t y) { return x * y; });
  }
  /// Floor division by a positive divisor.
  OpFoldResult floorDiv(OpFoldResult lhs, OpFoldResult rhs) {
    return fold<arith::FloorDivSIOp>(lhs, rhs, [](int64_t x, int64_t y) {
      return x >= 0 ? x / y : -((-x + y - 1) / y);
    });
  }
  /// Ceiling division by a positive divisor.
  OpFoldResult ceilDiv(OpFoldResult lhs, OpFoldResult rhs) {
    return fold<arith::CeilDivSIOp>(lhs, rhs, [](int64_t x, int64_t y) {
      return x >= 0 ? (x + y - 1) / y : -((-x) / y);
    });
  }
  OpFoldResult max(OpFoldResult lhs, OpFoldResult rhs) {
    return fold<arith::MaxSIOp>(
        lhs, rhs, [](int64_t x, int64_t y) { return std::max(x, y); });
  }
  /// `lhs >= rhs ? whenTrue : whenFalse`.
  OpFoldResult selectGe(OpFoldResult lhs, OpFoldResult rhs,
                        OpFoldResult whenTrue, OpFoldResult whenFalse) {
    std::optional<int64_t> l = getConstantIntValue(lhs),
                           r = getConstantIntValue(rhs);
    if (l && r)
      return *l >= *r ? whenTrue : whenFalse;
    Value cond = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge,
                                       value(lhs), value(rhs));
    return arith::SelectOp::create(b, loc, cond, value(whenTrue),
                                   value(whenFalse))
        .getResult();
  }

private:
  template <typename ArithOp>
  OpFoldResult fold(OpFoldResult lhs, OpFoldResult rhs,
                    llvm::function_ref<int64_t(int64_t, int64_t)> compute) {
    std::optional<int64_t> l = getConstantIntValue(lhs),
                           r = getConstantIntValue(rhs);
    if (l && r)
      return constant(compute(*l, *r));
    return ArithOp::create(b, loc, value(lhs), value(rhs)).getResult();
  }

  OpBuilder &b;
  Location loc;
};

//===----------------------------------------------------------------------===//
// Window geometry
//===----------------------------------------------------------------------===//

/// Per spatial dimension: the padding to apply and the output size.
struct WindowGeometry {
  SmallVector<OpFoldResult> padBegin, padEnd;
  /// Extra end padding so that ceil_mode's last window reads in bounds; those
  /// positions are not part of the ONNX padding (avg_pool never counts them).
  SmallVector<OpFoldResult> ceilExtra;
  SmallVector<OpFoldResult> outputSizes;
};

/// The ONNX output size and padding of a convolution or pool window over the
/// spatial sizes `inputSizes` (kernel sizes may be dynamic for convolutions).
WindowGeometry computeWindowGeometry(OpBuilder &b, Location loc,
                                     ArrayRef<OpFoldResult> inputSizes,
                                     ArrayRef<OpFoldResult> kernelSizes,
                                     ArrayRef<int64_t> strides,
                                     ArrayRef<int64_t> dilations,
                                     ArrayRef<int64_t> pads,
                                     tamp::AutoPad autoPad, bool ceilMode) {
  IndexMath m(b, loc);
  int64_t rank = inputSizes.size();
  WindowGeometry g;
  OpFoldResult zero = m.constant(0), one = m.constant(1);
  for (int64_t i = 0; i < rank; ++i) {
    OpFoldResult in = inputSizes[i];
    OpFoldResult stride = m.constant(strides[i]);
    OpFoldResult extent =
        m.add(m.mul(m.constant(dilations[i]), m.sub(kernelSizes[i], one)), one);
    if (autoPad == tamp::AutoPad::same_upper ||
        autoPad == tamp::AutoPad::same_lower) {
      OpFoldResult out = m.ceilDiv(in, stride);
      OpFoldResult total =
          m.max(zero, m.sub(m.add(m.mul(m.sub(out, one), stride), extent), in));
      OpFoldResult half = m.floorDiv(total, m.constant(2));
      OpFoldResult begin =
          autoPad == tamp::AutoPad::same_upper ? half : m.sub(total, half);
      g.padBegin.push_back(begin);
      g.padEnd.push_back(m.sub(total, begin));
      g.ceilExtra.push_back(zero);
      g.outputSizes.push_back(out);
      continue;
    }
    OpFoldResult begin = m.constant(pads[i]), end = m.constant(pads[rank + i]);
    OpFoldResult padded = m.add(m.add(in, begin), end);
    OpFoldResult span = m.sub(padded, extent);
    OpFoldResult out;
    OpFoldResult extra = zero;
    if (ceilMode) {
      out = m.add(m.ceilDiv(span, stride), one);
      // ONNX drops a last window that would start in the end padding.
      OpFoldResult lastStart = m.mul(m.sub(out, one), stride);
      out = m.selectGe(lastStart, m.add(in, begin), m.sub(out, one), out);
      extra = m.max(
          zero, m.sub(m.add(m.mul(m.sub(out, one), stride), extent), padded));
    } else {
      out = m.add(m.floorDiv(span, stride), one);
    }
    g.padBegin.push_back(begin);
    g.padEnd.push_back(end);
    g.ceilExtra.push_back(extra);
    g.outputSizes.push_back(out);
  }
  return g;
}

/// Pads the spatial dimensions (2 ..) of `input` with `padValue`.
Value padSpatial(OpBuilder &b, Location loc, Value input,
                 ArrayRef<OpFoldResult> low, ArrayRef<OpFoldResult> high,
                 Value padValue) {
  auto isZero = [](OpFoldResult ofr) { return isConstantIntValue(ofr, 0); };
  if (llvm::all_of(low, isZero) && llvm::all_of(high, isZero))
    return input;
  SmallVector<OpFoldResult> fullLow(2, b.getIndexAttr(0)),
      fullHigh(2, b.getIndexAttr(0));
  llvm::append_range(fullLow, low);
  llvm::append_range(fullHigh, high);
  return tensor::PadOp::create(b, loc, Type(), input, fullLow, fullHigh,
                               padValue)
      .getResult();
}

/// Sizes of the spatial dimensions (2 ..) of a [N, C, D1, ...] tensor.
SmallVector<OpFoldResult> spatialSizes(OpBuilder &b, Location loc,
                                       Value tensor) {
  SmallVector<OpFoldResult> sizes = getSizes(b, loc, tensor);
  return SmallVector<OpFoldResult>(ArrayRef(sizes).drop_front(2));
}

/// `value` as `type` (a tensor.cast when the static shapes differ).
Value castToType(OpBuilder &b, Location loc, Value value, Type type) {
  if (value.getType() == type)
    return value;
  return tensor::CastOp::create(b, loc, type, value);
}

/// The tensor type of the given sizes: constants static, others dynamic.
RankedTensorType tensorTypeOf(ArrayRef<OpFoldResult> sizes, Type elementType) {
  SmallVector<int64_t> shape;
  for (OpFoldResult size : sizes)
    shape.push_back(getConstantIntValue(size).value_or(ShapedType::kDynamic));
  return RankedTensorType::get(shape, elementType);
}

/// `tensor.expand_shape` of `value` to `sizes`.
Value expandTo(OpBuilder &b, Location loc, Value value,
               ArrayRef<ReassociationIndices> reassociation,
               ArrayRef<OpFoldResult> sizes) {
  Type elementType = cast<RankedTensorType>(value.getType()).getElementType();
  return tensor::ExpandShapeOp::create(b, loc, tensorTypeOf(sizes, elementType),
                                       value, reassociation, sizes)
      .getResult();
}

/// The -inf (floats) or lowest value (integers) that never wins a max.
Value createMaxNeutral(OpBuilder &b, Location loc, Type type, bool isUnsigned) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(floatType, APFloat::getInf(floatType.getFloatSemantics(),
                                                  /*Negative=*/true)));
  return createLowestValue(b, loc, type, isUnsigned);
}

Value createMax(OpBuilder &b, Location loc, Value lhs, Value rhs,
                bool isUnsignedInt) {
  if (isa<FloatType>(lhs.getType()))
    return arith::MaximumFOp::create(b, loc, lhs, rhs);
  if (isUnsignedInt)
    return arith::MaxUIOp::create(b, loc, lhs, rhs);
  return arith::MaxSIOp::create(b, loc, lhs, rhs);
}

Value createAdd(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return arith::AddFOp::create(b, loc, lhs, rhs);
  return arith::AddIOp::create(b, loc, lhs, rhs);
}

/// The output init of a convolution: the bias broadcast along every dimension
/// but 1, or zeros.
Value createConvInit(OpBuilder &b, Location loc, Value bias,
                     ArrayRef<OpFoldResult> outputSizes, Type elementType) {
  if (!bias)
    return createFilled(b, loc, outputSizes,
                        createScalarConstant(b, loc, elementType, 0));
  Value empty = createEmpty(b, loc, outputSizes, elementType);
  Type biasElementType =
      cast<RankedTensorType>(bias.getType()).getElementType();
  if (biasElementType != elementType) {
    // A half-precision bias seeds an f32 accumulator.
    int64_t rank = outputSizes.size();
    MLIRContext *ctx = b.getContext();
    return linalg::GenericOp::create(
               b, loc, empty.getType(), bias, empty,
               ArrayRef<AffineMap>{
                   AffineMap::get(rank, 0, getAffineDimExpr(1, ctx)),
                   AffineMap::getMultiDimIdentityMap(rank, ctx)},
               SmallVector<utils::IteratorType>(rank,
                                                utils::IteratorType::parallel),
               [&](OpBuilder &nb, Location l, ValueRange args) {
                 linalg::YieldOp::create(
                     nb, l,
                     arith::ExtFOp::create(nb, l, elementType, args[0])
                         .getResult());
               })
        .getResult(0);
  }
  // linalg.broadcast wants the bias size typed as the output channels; the
  // sizes were checked to agree.
  bias = castToType(
      b, loc, bias,
      RankedTensorType::get(
          cast<RankedTensorType>(empty.getType()).getDimSize(1), elementType));
  SmallVector<int64_t> broadcastDims = {0};
  for (int64_t d = 2, e = outputSizes.size(); d < e; ++d)
    broadcastDims.push_back(d);
  return linalg::BroadcastOp::create(b, loc, bias, empty, broadcastDims)
      .getResult()[0];
}

/// Checks a bias [M] against the output channels.
LogicalResult checkBias(ConversionPatternRewriter &rewriter, Operation *op,
                        Value bias, OpFoldResult outputChannels) {
  if (!bias)
    return success();
  if (cast<RankedTensorType>(bias.getType()).getRank() != 1)
    return notLowerable(rewriter, op, "expects a 1-D bias");
  if (failed(assertEqualSizes(
          rewriter, op->getLoc(), getSizes(rewriter, op->getLoc(), bias)[0],
          outputChannels,
          describeOp(op) + ": bias size differs from the output channels")))
    return notLowerable(rewriter, op,
                        "bias size differs from the output channels");
  return success();
}

/// A named convolution (stride/dilation attributes) from padded input.
template <typename ConvOp>
Value createNamedConv(OpBuilder &b, Location loc, Value input, Value weight,
                      Value init, ArrayRef<int64_t> strides,
                      ArrayRef<int64_t> dilations) {
  return ConvOp::create(b, loc, TypeRange{init.getType()},
                        ValueRange{input, weight}, ValueRange{init},
                        b.getI64TensorAttr(strides),
                        b.getI64TensorAttr(dilations))
      .getResult(0);
}

/// Convolution of an already padded input with a weight [M, C/group, K...],
/// accumulating in `accumulatorType`.
FailureOr<Value> buildAccumulatingConvolution(
    ConversionPatternRewriter &rewriter, Operation *op, Value padded,
    Value weight, Value bias, int64_t group, ArrayRef<OpFoldResult> outputSizes,
    ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
    Type accumulatorType) {
  Location loc = op->getLoc();
  auto weightType = cast<RankedTensorType>(weight.getType());
  Type elementType = accumulatorType;
  int64_t spatialRank = weightType.getRank() - 2;
  if (group == 1) {
    Value init = createConvInit(rewriter, loc, bias, outputSizes, elementType);
    switch (spatialRank) {
    case 1:
      return createNamedConv<linalg::Conv1DNcwFcwOp>(
          rewriter, loc, padded, weight, init, strides, dilations);
    case 2:
      return createNamedConv<linalg::Conv2DNchwFchwOp>(
          rewriter, loc, padded, weight, init, strides, dilations);
    case 3:
      return createNamedConv<linalg::Conv3DNcdhwFcdhwOp>(
          rewriter, loc, padded, weight, init, strides, dilations);
    }
  }
  if (spatialRank == 1) {
    // A grouped 1-D convolution is the 2-D one over a unit height.
    auto addUnitHeight = [&](Value value) {
      SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, value);
      sizes.insert(sizes.begin() + 2, rewriter.getIndexAttr(1));
      return expandTo(rewriter, loc, value, {{0}, {1}, {2, 3}}, sizes);
    };
    SmallVector<OpFoldResult> sizes2d(outputSizes);
    sizes2d.insert(sizes2d.begin() + 2, rewriter.getIndexAttr(1));
    FailureOr<Value> result = buildAccumulatingConvolution(
        rewriter, op, addUnitHeight(padded), addUnitHeight(weight), bias, group,
        sizes2d, {1, strides[0]}, {1, dilations[0]}, accumulatorType);
    if (failed(result))
      return failure();
    return tensor::CollapseShapeOp::create(
               rewriter, loc, *result,
               ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}})
        .getResult();
  }
  if (spatialRank != 2)
    return notLowerable(rewriter, op,
                        "grouped 3-D convolutions are not lowered");
  Value init = createConvInit(rewriter, loc, bias, outputSizes, elementType);
  // Depthwise with channel multiplier 1: weight [C, 1, Kh, Kw].
  if (weightType.getDimSize(0) == group && weightType.getDimSize(1) == 1) {
    Value filter = tensor::CollapseShapeOp::create(
        rewriter, loc, weight,
        ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}});
    return createNamedConv<linalg::DepthwiseConv2DNchwChwOp>(
        rewriter, loc, padded, filter, init, strides, dilations);
  }
  // General groups: split channels into [G, C/G] and [G, M/G].
  IndexMath m(rewriter, loc);
  OpFoldResult g = m.constant(group);
  SmallVector<OpFoldResult> inSizes = getSizes(rewriter, loc, padded);
  SmallVector<OpFoldResult> wSizes = getSizes(rewriter, loc, weight);
  Value groupedInput = expandTo(
      rewriter, loc, padded, {{0}, {1, 2}, {3}, {4}},
      {inSizes[0], g, m.floorDiv(inSizes[1], g), inSizes[2], inSizes[3]});
  Value groupedWeight =
      expandTo(rewriter, loc, weight, {{0, 1}, {2}, {3}, {4}},
               {g, m.floorDiv(wSizes[0], g), wSizes[1], wSizes[2], wSizes[3]});
  Value groupedInit =
      expandTo(rewriter, loc, init, {{0}, {1, 2}, {3}, {4}},
               {outputSizes[0], g, m.floorDiv(outputSizes[1], g),
                outputSizes[2], outputSizes[3]});
  Value grouped = createNamedConv<linalg::Conv2DNgchwGfchwOp>(
      rewriter, loc, groupedInput, groupedWeight, groupedInit, strides,
      dilations);
  return tensor::CollapseShapeOp::create(
             rewriter, loc, grouped,
             ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}, {4}})
      .getResult();
}

/// Convolution of an already padded input; half-precision floats accumulate
/// in f32 (as the ONNX reference does) and round once at the end.
FailureOr<Value> buildConvolution(ConversionPatternRewriter &rewriter,
                                  Operation *op, Value padded, Value weight,
                                  Value bias, int64_t group,
                                  ArrayRef<OpFoldResult> outputSizes,
                                  ArrayRef<int64_t> strides,
                                  ArrayRef<int64_t> dilations) {
  Type elementType = cast<RankedTensorType>(weight.getType()).getElementType();
  bool widen = isa<Float16Type, BFloat16Type>(elementType);
  Type accumulatorType = widen ? rewriter.getF32Type() : elementType;
  FailureOr<Value> result = buildAccumulatingConvolution(
      rewriter, op, padded, weight, bias, group, outputSizes, strides,
      dilations, accumulatorType);
  if (failed(result) || !widen)
    return result;
  auto wideType = cast<RankedTensorType>(result->getType());
  int64_t rank = wideType.getRank();
  Value init = createEmpty(rewriter, op->getLoc(), outputSizes, elementType);
  AffineMap identity =
      AffineMap::getMultiDimIdentityMap(rank, rewriter.getContext());
  return linalg::GenericOp::create(
             rewriter, op->getLoc(), init.getType(), *result, init,
             ArrayRef<AffineMap>{identity, identity},
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [&](OpBuilder &b, Location l, ValueRange args) {
               linalg::YieldOp::create(
                   b, l,
                   arith::TruncFOp::create(b, l, elementType, args[0])
                       .getResult());
             })
      .getResult(0);
}

//===----------------------------------------------------------------------===//
// Convolutions
//===----------------------------------------------------------------------===//

struct ConvLowering : OpConversionPattern<tamp::ConvOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (isQuantizedTensor(op.getInput().getType()))
      return failure();
    Location loc = op.getLoc();
    Value input = adaptor.getInput(), weight = adaptor.getWeight();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type elementType = inputType.getElementType();
    if (cast<RankedTensorType>(weight.getType()).getElementType() !=
        elementType)
      return notLowerable(rewriter, op,
                          "input and weight element types differ");
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    int64_t group = op.getGroup();

    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> weightSizes = getSizes(rewriter, loc, weight);
    IndexMath m(rewriter, loc);
    if (failed(assertEqualSizes(
            rewriter, loc, inputSizes[1],
            m.mul(weightSizes[1], m.constant(group)),
            describeOp(op) +
                ": input channels differ from weight channels * group")))
      return notLowerable(rewriter, op,
                          "input channels differ from weight channels * group");
    if (failed(checkBias(rewriter, op, adaptor.getBias(), weightSizes[0])))
      return failure();

    WindowGeometry geometry = computeWindowGeometry(
        rewriter, loc, ArrayRef(inputSizes).drop_front(2),
        ArrayRef(weightSizes).drop_front(2), op.getStrides(), op.getDilations(),
        op.getPads(), op.getAutoPad(), /*ceilMode=*/false);
    Value zero = createScalarConstant(rewriter, loc, elementType, 0);
    Value padded = padSpatial(rewriter, loc, input, geometry.padBegin,
                              geometry.padEnd, zero);
    SmallVector<OpFoldResult> outputSizes = {inputSizes[0], weightSizes[0]};
    llvm::append_range(outputSizes, geometry.outputSizes);
    FailureOr<Value> result =
        buildConvolution(rewriter, op, padded, weight, adaptor.getBias(), group,
                         outputSizes, op.getStrides(), op.getDilations());
    if (failed(result))
      return failure();
    // The epilogue is its own element-wise generic here; the CPU pipeline
    // applies it to each register block of the convolution's matmul.
    Value activated = applyEpilogue(rewriter, loc, *result, op);
    rewriter.replaceOp(op, castToType(rewriter, loc, activated, resultType));
    return success();
  }
};

/// Quantized tamp.conv: the input padded with its zero point, the named
/// convolution of i8 operands onto the zero-point-corrected i32 bias, then
/// the requantizing (or dequantizing) epilogue.
struct QuantizedConvLowering : OpConversionPattern<tamp::ConvOp> {
  QuantizedConvLowering(const TypeConverter &converter, MLIRContext *ctx)
      : OpConversionPattern(converter, ctx, /*benefit=*/2) {}

  LogicalResult
  matchAndRewrite(tamp::ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto inputType = dyn_cast<quant::UniformQuantizedType>(
        op.getInput().getType().getElementType());
    if (!inputType)
      return failure();
    Location loc = op.getLoc();
    std::optional<SmallVector<int8_t>> weights =
        getConstantQuantizedWeight(op.getWeight());
    if (!weights)
      return notLowerable(rewriter, op,
                          "the weight of a quantized convolution must be a "
                          "constant (quant.scast of an i8 constant)");
    RankedTensorType weightType = op.getWeight().getType();
    LoweredQuantParams input = getLoweredParams(inputType);
    FailureOr<Value> bias = createCorrectedBias(
        rewriter, op, op.getBias(), input.zeroPoint,
        sumPerChannel(*weights, weightType.getShape(), /*channelDim=*/0));
    if (failed(bias))
      return failure();

    Value x = adaptor.getInput(), weight = adaptor.getWeight();
    int64_t group = op.getGroup();
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, x);
    SmallVector<OpFoldResult> weightSizes = getSizes(rewriter, loc, weight);
    IndexMath m(rewriter, loc);
    if (failed(assertEqualSizes(
            rewriter, loc, inputSizes[1],
            m.mul(weightSizes[1], m.constant(group)),
            describeOp(op) +
                ": input channels differ from weight channels * group")))
      return notLowerable(rewriter, op,
                          "input channels differ from weight channels * group");
    WindowGeometry geometry = computeWindowGeometry(
        rewriter, loc, ArrayRef(inputSizes).drop_front(2),
        ArrayRef(weightSizes).drop_front(2), op.getStrides(), op.getDilations(),
        op.getPads(), op.getAutoPad(), /*ceilMode=*/false);
    // Padding holds real zeros: the zero point.
    Value zeroPoint =
        createScalarConstant(rewriter, loc, rewriter.getI8Type(),
                             static_cast<double>(input.zeroPoint));
    Value padded = padSpatial(rewriter, loc, x, geometry.padBegin,
                              geometry.padEnd, zeroPoint);
    SmallVector<OpFoldResult> outputSizes = {inputSizes[0], weightSizes[0]};
    llvm::append_range(outputSizes, geometry.outputSizes);
    FailureOr<Value> acc = buildAccumulatingConvolution(
        rewriter, op, padded, weight, *bias, group, outputSizes,
        op.getStrides(), op.getDilations(), rewriter.getI32Type());
    if (failed(acc))
      return failure();

    SmallVector<double> accScales;
    for (double weightScale : getWeightScales(
             cast<quant::QuantizedType>(weightType.getElementType())))
      accScales.push_back(input.scale * weightScale);
    FailureOr<Value> result =
        buildIntegerEpilogue(rewriter, op, *acc, /*channelDim=*/1, accScales,
                             op.getType().getElementType());
    if (failed(result))
      return failure();
    rewriter.replaceOp(
        op, castToType(rewriter, loc, *result,
                       convertTensorType(*getTypeConverter(), op.getType())));
    return success();
  }
};

/// tamp.conv_transpose as a convolution: the input is spread by the strides
/// (zeros between elements), padded by dilation * (K - 1) minus the pads
/// (plus output_padding at the end), and convolved with the spatially
/// flipped, channel-transposed weight.
struct ConvTransposeLowering : OpConversionPattern<tamp::ConvTransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::ConvTransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput(), weight = adaptor.getWeight();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto weightType = cast<RankedTensorType>(weight.getType());
    Type elementType = inputType.getElementType();
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    int64_t rank = inputType.getRank(), spatialRank = rank - 2;
    int64_t group = op.getGroup();
    ArrayRef<int64_t> kernel = weightType.getShape().drop_front(2);
    if (ShapedType::isDynamicShape(kernel))
      return notLowerable(rewriter, op, "expects static kernel sizes");
    int64_t weightChannels = weightType.getDimSize(0);
    if (group != 1 && ShapedType::isDynamic(weightChannels))
      return notLowerable(rewriter, op,
                          "grouped transposed convolutions need a static "
                          "number of input channels");
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations(),
                      pads = op.getPads();
    ArrayRef<int64_t> outputPadding = op.getOutputPadding();
    tamp::AutoPad autoPad = op.getAutoPad();
    // Padding of the spread input; negative amounts crop it instead.
    SmallVector<int64_t> low, high;
    for (int64_t i = 0; i < spatialRank; ++i) {
      int64_t reach = dilations[i] * (kernel[i] - 1);
      int64_t extraEnd = outputPadding.empty() ? 0 : outputPadding[i];
      int64_t padBegin = pads[i], padEnd = pads[spatialRank + i];
      if (autoPad == tamp::AutoPad::same_upper ||
          autoPad == tamp::AutoPad::same_lower) {
        // ONNX: the output is input * stride, which fixes the total padding
        // independently of the input size.
        int64_t total = extraEnd + reach + 1 - strides[i];
        int64_t half = llvm::divideFloorSigned(total, 2);
        padBegin = autoPad == tamp::AutoPad::same_upper ? half : total - half;
        padEnd = total - padBegin;
      }
      low.push_back(reach - padBegin);
      high.push_back(reach - padEnd + extraEnd);
    }

    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> weightSizes = getSizes(rewriter, loc, weight);
    if (failed(assertEqualSizes(
            rewriter, loc, inputSizes[1], weightSizes[0],
            describeOp(op) + ": input channels differ from the weight's")))
      return notLowerable(rewriter, op,
                          "input channels differ from the weight's");
    IndexMath m(rewriter, loc);
    OpFoldResult groupSize = m.constant(group);
    OpFoldResult outputChannels = m.mul(weightSizes[1], groupSize);
    if (failed(checkBias(rewriter, op, adaptor.getBias(), outputChannels)))
      return failure();

    Value zero = createScalarConstant(rewriter, loc, elementType, 0);
    // Spread the input by the strides.
    Value spread = input;
    if (llvm::any_of(strides, [](int64_t s) { return s != 1; })) {
      SmallVector<OpFoldResult> spreadSizes = {inputSizes[0], inputSizes[1]};
      SmallVector<OpFoldResult> offsets(rank, m.constant(0));
      SmallVector<OpFoldResult> sliceStrides(2, m.constant(1));
      for (int64_t i = 0; i < spatialRank; ++i) {
        OpFoldResult stride = m.constant(strides[i]);
        spreadSizes.push_back(
            m.add(m.mul(m.sub(inputSizes[2 + i], m.constant(1)), stride),
                  m.constant(1)));
        sliceStrides.push_back(stride);
      }
      Value zeros = createFilled(rewriter, loc, spreadSizes, zero);
      spread = tensor::InsertSliceOp::create(rewriter, loc, input, zeros,
                                             offsets, inputSizes, sliceStrides);
    }
    SmallVector<OpFoldResult> lowPads, highPads;
    for (int64_t i = 0; i < spatialRank; ++i) {
      lowPads.push_back(m.constant(std::max<int64_t>(low[i], 0)));
      highPads.push_back(m.constant(std::max<int64_t>(high[i], 0)));
    }
    Value padded = padSpatial(rewriter, loc, spread, lowPads, highPads, zero);
    if (llvm::any_of(low, [](int64_t v) { return v < 0; }) ||
        llvm::any_of(high, [](int64_t v) { return v < 0; })) {
      // Pads beyond dilation * (kernel - 1) drop input rows.
      SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, padded);
      SmallVector<OpFoldResult> offsets(rank, m.constant(0));
      for (int64_t i = 0; i < spatialRank; ++i) {
        int64_t cropBegin = std::max<int64_t>(-low[i], 0);
        int64_t cropEnd = std::max<int64_t>(-high[i], 0);
        offsets[2 + i] = m.constant(cropBegin);
        sizes[2 + i] = m.sub(sizes[2 + i], m.constant(cropBegin + cropEnd));
      }
      padded = tensor::ExtractSliceOp::create(
          rewriter, loc, padded, offsets, sizes,
          SmallVector<OpFoldResult>(rank, m.constant(1)));
    }

    // The convolution weight [M, C/group, K...] as [G, M/G, C/G, K...]:
    // w'[g, m, c, k] = w[g * C/G + c, m, K - 1 - k].
    MLIRContext *ctx = rewriter.getContext();
    int64_t loops = rank + 1;
    AffineExpr channel = getAffineDimExpr(2, ctx);
    if (group != 1)
      channel = getAffineDimExpr(0, ctx) * (weightChannels / group) + channel;
    SmallVector<AffineExpr> readExprs = {channel, getAffineDimExpr(1, ctx)};
    for (int64_t i = 0; i < spatialRank; ++i)
      readExprs.push_back(kernel[i] - 1 - getAffineDimExpr(3 + i, ctx));
    SmallVector<OpFoldResult> flippedSizes = {
        groupSize, weightSizes[1], m.floorDiv(weightSizes[0], groupSize)};
    llvm::append_range(flippedSizes, ArrayRef(weightSizes).drop_front(2));
    Value flippedInit = createEmpty(rewriter, loc, flippedSizes, elementType);
    Value flipped =
        linalg::GenericOp::create(
            rewriter, loc, flippedInit.getType(), weight, flippedInit,
            ArrayRef<AffineMap>{AffineMap::get(loops, 0, readExprs, ctx),
                                AffineMap::getMultiDimIdentityMap(loops, ctx)},
            SmallVector<utils::IteratorType>(loops,
                                             utils::IteratorType::parallel),
            [](OpBuilder &b, Location nestedLoc, ValueRange args) {
              linalg::YieldOp::create(b, nestedLoc, args[0]);
            })
            .getResult(0);
    SmallVector<ReassociationIndices> mergeGroups = {{0, 1}};
    for (int64_t d = 2; d < loops; ++d)
      mergeGroups.push_back({d});
    flipped =
        tensor::CollapseShapeOp::create(rewriter, loc, flipped, mergeGroups);

    SmallVector<OpFoldResult> outputSizes = {inputSizes[0], outputChannels};
    SmallVector<OpFoldResult> paddedSizes = spatialSizes(rewriter, loc, padded);
    for (int64_t i = 0; i < spatialRank; ++i)
      outputSizes.push_back(
          m.sub(paddedSizes[i], m.constant(dilations[i] * (kernel[i] - 1))));
    SmallVector<int64_t> unitStrides(spatialRank, 1);
    FailureOr<Value> result =
        buildConvolution(rewriter, op, padded, flipped, adaptor.getBias(),
                         group, outputSizes, unitStrides, dilations);
    if (failed(result))
      return failure();
    rewriter.replaceOp(op, castToType(rewriter, loc, *result, resultType));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pools
//===----------------------------------------------------------------------===//

/// Loop structure of a pooling generic over [N, C, O...] x [K...].
struct PoolLoops {
  int64_t spatialRank;
  SmallVector<AffineMap> inputMaps;
  AffineMap outputMap;
  SmallVector<utils::IteratorType> iterators;
};

PoolLoops getPoolLoops(MLIRContext *ctx, int64_t spatialRank,
                       ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations) {
  int64_t loops = 2 + 2 * spatialRank;
  PoolLoops p;
  p.spatialRank = spatialRank;
  SmallVector<AffineExpr> in = {getAffineDimExpr(0, ctx),
                                getAffineDimExpr(1, ctx)};
  SmallVector<AffineExpr> out = in;
  for (int64_t i = 0; i < spatialRank; ++i) {
    AffineExpr o = getAffineDimExpr(2 + i, ctx);
    AffineExpr k = getAffineDimExpr(2 + spatialRank + i, ctx);
    in.push_back(o * strides[i] + k * dilations[i]);
    out.push_back(o);
  }
  p.inputMaps.push_back(AffineMap::get(loops, 0, in, ctx));
  // The window operand only gives the kernel loops their sizes.
  SmallVector<AffineExpr> window;
  for (int64_t i = 0; i < spatialRank; ++i)
    window.push_back(getAffineDimExpr(2 + spatialRank + i, ctx));
  p.inputMaps.push_back(AffineMap::get(loops, 0, window, ctx));
  p.outputMap = AffineMap::get(loops, 0, out, ctx);
  p.iterators.assign(2 + spatialRank, utils::IteratorType::parallel);
  p.iterators.append(spatialRank, utils::IteratorType::reduction);
  return p;
}

/// A window reduction over a padded input into `init`: the named pooling op
/// for 1-D/2-D signed max and sums, a generic otherwise.
Value buildPool(OpBuilder &b, Location loc, Value padded, Value init,
                ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                ArrayRef<int64_t> dilations, bool isMax, bool isUnsignedInt) {
  int64_t spatialRank = kernel.size();
  Type elementType = cast<RankedTensorType>(init.getType()).getElementType();
  SmallVector<OpFoldResult> kernelSizes;
  for (int64_t k : kernel)
    kernelSizes.push_back(b.getIndexAttr(k));
  Value window = createEmpty(b, loc, kernelSizes, elementType);
  auto named = [&](auto tag) {
    using PoolOp = decltype(tag);
    return PoolOp::create(b, loc, TypeRange{init.getType()},
                          ValueRange{padded, window}, ValueRange{init},
                          b.getI64TensorAttr(strides),
                          b.getI64TensorAttr(dilations))
        .getResult(0);
  };
  if (!isUnsignedInt) {
    if (spatialRank == 2)
      return isMax ? named(linalg::PoolingNchwMaxOp())
                   : named(linalg::PoolingNchwSumOp());
    if (spatialRank == 1)
      return isMax ? named(linalg::PoolingNcwMaxOp())
                   : named(linalg::PoolingNcwSumOp());
  }
  PoolLoops p = getPoolLoops(b.getContext(), spatialRank, strides, dilations);
  SmallVector<AffineMap> maps = p.inputMaps;
  maps.push_back(p.outputMap);
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{padded, window}, init, maps,
             p.iterators,
             [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
               Value combined =
                   isMax ? createMax(nested, nestedLoc, args[0], args[2],
                                     isUnsignedInt)
                         : createAdd(nested, nestedLoc, args[0], args[2]);
               linalg::YieldOp::create(nested, nestedLoc, combined);
             })
      .getResult(0);
}

/// Shared checks and geometry of the pooling ops.
template <typename PoolOpTy>
FailureOr<WindowGeometry> getPoolGeometry(PoolOpTy op, Value input,
                                          ConversionPatternRewriter &rewriter) {
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t spatialRank = inputType.getRank() - 2;
  ArrayRef<int64_t> kernel = op.getKernelShape();
  if (spatialRank < 1 || spatialRank > 3 ||
      static_cast<int64_t>(kernel.size()) != spatialRank)
    return notLowerable(rewriter, op,
                        "expects [N, C, D1, ..., Dk] with k = 1, 2 or 3 and "
                        "one kernel size per spatial dimension");
  SmallVector<OpFoldResult> kernelSizes;
  for (int64_t k : kernel)
    kernelSizes.push_back(rewriter.getIndexAttr(k));
  return computeWindowGeometry(rewriter, op.getLoc(),
                               spatialSizes(rewriter, op.getLoc(), input),
                               kernelSizes, op.getStrides(), op.getDilations(),
                               op.getPads(), op.getAutoPad(), op.getCeilMode());
}

SmallVector<OpFoldResult> addAll(IndexMath &m, ArrayRef<OpFoldResult> lhs,
                                 ArrayRef<OpFoldResult> rhs) {
  SmallVector<OpFoldResult> sums;
  for (auto [l, r] : llvm::zip_equal(lhs, rhs))
    sums.push_back(m.add(l, r));
  return sums;
}

struct MaxPoolLowering : OpConversionPattern<tamp::MaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::MaxPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    FailureOr<WindowGeometry> geometry = getPoolGeometry(op, input, rewriter);
    if (failed(geometry))
      return failure();
    Type elementType = cast<RankedTensorType>(input.getType()).getElementType();
    bool isUnsignedInt = isUnsigned(op.getInput().getType());
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    IndexMath m(rewriter, loc);
    Value neutral = createMaxNeutral(rewriter, loc, elementType, isUnsignedInt);
    Value padded =
        padSpatial(rewriter, loc, input, geometry->padBegin,
                   addAll(m, geometry->padEnd, geometry->ceilExtra), neutral);
    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, input);
    sizes.resize(2);
    llvm::append_range(sizes, geometry->outputSizes);
    Value init = createFilled(rewriter, loc, sizes, neutral);
    Value result = buildPool(rewriter, loc, padded, init, op.getKernelShape(),
                             op.getStrides(), op.getDilations(), /*isMax=*/true,
                             isUnsignedInt);
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};

/// tamp.max_pool_with_indices: a generic reducing value and flat index
/// together; a later element replaces the running maximum only when strictly
/// greater, so ties keep the first in row-major window order.
struct MaxPoolWithIndicesLowering
    : OpConversionPattern<tamp::MaxPoolWithIndicesOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::MaxPoolWithIndicesOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    FailureOr<WindowGeometry> geometry = getPoolGeometry(op, input, rewriter);
    if (failed(geometry))
      return failure();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type elementType = inputType.getElementType();
    int64_t spatialRank = inputType.getRank() - 2;
    bool isUnsignedInt = isUnsigned(op.getInput().getType());
    IndexMath m(rewriter, loc);
    Value neutral = createMaxNeutral(rewriter, loc, elementType, isUnsignedInt);
    Value padded =
        padSpatial(rewriter, loc, input, geometry->padBegin,
                   addAll(m, geometry->padEnd, geometry->ceilExtra), neutral);
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> sizes = {inputSizes[0], inputSizes[1]};
    llvm::append_range(sizes, geometry->outputSizes);
    Value valueInit = createFilled(rewriter, loc, sizes, neutral);
    Value indexInit = createFilled(
        rewriter, loc, sizes,
        createScalarConstant(rewriter, loc, rewriter.getI64Type(), 0));

    ArrayRef<int64_t> kernel = op.getKernelShape();
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations();
    SmallVector<OpFoldResult> kernelSizes;
    for (int64_t k : kernel)
      kernelSizes.push_back(rewriter.getIndexAttr(k));
    Value window = createEmpty(rewriter, loc, kernelSizes, elementType);
    PoolLoops p =
        getPoolLoops(rewriter.getContext(), spatialRank, strides, dilations);
    SmallVector<AffineMap> maps = p.inputMaps;
    maps.push_back(p.outputMap);
    maps.push_back(p.outputMap);
    SmallVector<Value> channels = {m.value(inputSizes[1])};
    SmallVector<Value> spatial, padBegin;
    for (int64_t i = 0; i < spatialRank; ++i) {
      spatial.push_back(m.value(inputSizes[2 + i]));
      padBegin.push_back(m.value(geometry->padBegin[i]));
    }
    bool columnMajor = op.getColumnMajorIndices();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valueInit.getType(), indexInit.getType()},
        ValueRange{padded, window}, ValueRange{valueInit, indexInit}, maps,
        p.iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          auto index = [&](int64_t dim) {
            return linalg::IndexOp::create(b, l, dim).getResult();
          };
          // Flat index (n * C + c) * prod(D) + spatial offset.
          Value flat = arith::AddIOp::create(
              b, l, arith::MulIOp::create(b, l, index(0), channels[0]),
              index(1));
          SmallVector<Value> coords;
          for (int64_t i = 0; i < spatialRank; ++i) {
            Value o = arith::MulIOp::create(
                b, l, index(2 + i),
                arith::ConstantIndexOp::create(b, l, strides[i]));
            Value k = arith::MulIOp::create(
                b, l, index(2 + spatialRank + i),
                arith::ConstantIndexOp::create(b, l, dilations[i]));
            coords.push_back(arith::SubIOp::create(
                b, l, arith::AddIOp::create(b, l, o, k), padBegin[i]));
          }
          Value offset = arith::ConstantIndexOp::create(b, l, 0);
          for (int64_t j = 0; j < spatialRank; ++j) {
            int64_t i = columnMajor ? spatialRank - 1 - j : j;
            offset = arith::AddIOp::create(
                b, l, arith::MulIOp::create(b, l, offset, spatial[i]),
                coords[i]);
          }
          for (int64_t i = 0; i < spatialRank; ++i)
            flat = arith::MulIOp::create(b, l, flat, spatial[i]);
          flat = arith::AddIOp::create(b, l, flat, offset);
          Value flatI64 =
              arith::IndexCastOp::create(b, l, b.getI64Type(), flat);
          Value greater;
          if (isa<FloatType>(args[0].getType()))
            greater = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT,
                                            args[0], args[2]);
          else
            greater =
                arith::CmpIOp::create(b, l,
                                      isUnsignedInt ? arith::CmpIPredicate::ugt
                                                    : arith::CmpIPredicate::sgt,
                                      args[0], args[2]);
          // The first window position always sets the index, so a window
          // whose values all equal the neutral still names a real element.
          Value first = arith::ConstantIntOp::create(b, l, 1, 1);
          for (int64_t i = 0; i < spatialRank; ++i)
            first = arith::AndIOp::create(
                b, l, first,
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                      index(2 + spatialRank + i),
                                      arith::ConstantIndexOp::create(b, l, 0)));
          Value take = arith::OrIOp::create(b, l, greater, first);
          linalg::YieldOp::create(
              b, l,
              ValueRange{
                  arith::SelectOp::create(b, l, take, args[0], args[2]),
                  arith::SelectOp::create(b, l, take, flatI64, args[3])});
        });
    RankedTensorType valueType =
        convertTensorType(*getTypeConverter(), op.getOutput().getType());
    RankedTensorType indexType =
        convertTensorType(*getTypeConverter(), op.getIndices().getType());
    rewriter.replaceOp(
        op, {castToType(rewriter, loc, generic.getResult(0), valueType),
             castToType(rewriter, loc, generic.getResult(1), indexType)});
    return success();
  }
};

/// tamp.avg_pool: a sum pool over the zero-padded input divided by the number
/// of window positions that count (inside the input, or inside the ONNX
/// padding with count_include_pad; never ceil_mode's extra positions).
struct AvgPoolLowering : OpConversionPattern<tamp::AvgPoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::AvgPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    FailureOr<WindowGeometry> geometry = getPoolGeometry(op, input, rewriter);
    if (failed(geometry))
      return failure();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type elementType = inputType.getElementType();
    int64_t rank = inputType.getRank(), spatialRank = rank - 2;
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    IndexMath m(rewriter, loc);
    Value zero = createScalarConstant(rewriter, loc, elementType, 0);
    Value padded =
        padSpatial(rewriter, loc, input, geometry->padBegin,
                   addAll(m, geometry->padEnd, geometry->ceilExtra), zero);
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> sizes = {inputSizes[0], inputSizes[1]};
    llvm::append_range(sizes, geometry->outputSizes);
    Value init = createFilled(rewriter, loc, sizes, zero);
    ArrayRef<int64_t> kernel = op.getKernelShape();
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations();
    Value sums = buildPool(rewriter, loc, padded, init, kernel, strides,
                           dilations, /*isMax=*/false, /*isUnsignedInt=*/false);

    // Without padding every window is full: divide by the kernel volume.
    auto isZero = [](OpFoldResult ofr) { return isConstantIntValue(ofr, 0); };
    bool fullWindows = llvm::all_of(geometry->padBegin, isZero) &&
                       llvm::all_of(geometry->padEnd, isZero) &&
                       llvm::all_of(geometry->ceilExtra, isZero);
    int64_t volume = 1;
    for (int64_t k : kernel)
      volume *= k;
    bool countPads = op.getCountIncludePad();
    SmallVector<Value> lowBound, highBound, padBegin;
    for (int64_t i = 0; i < spatialRank; ++i) {
      OpFoldResult begin = geometry->padBegin[i];
      padBegin.push_back(m.value(begin));
      // Counted input positions lie in [low, high).
      lowBound.push_back(
          m.value(countPads ? m.sub(m.constant(0), begin) : m.constant(0)));
      highBound.push_back(
          m.value(countPads ? m.add(inputSizes[2 + i], geometry->padEnd[i])
                            : inputSizes[2 + i]));
    }
    Value volumeValue =
        createScalarConstant(rewriter, loc, elementType, volume);
    MLIRContext *ctx = rewriter.getContext();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    Value divided =
        linalg::GenericOp::create(
            rewriter, loc, sums.getType(), ValueRange{}, sums,
            ArrayRef<AffineMap>{identity},
            SmallVector<utils::IteratorType>(rank,
                                             utils::IteratorType::parallel),
            [&](OpBuilder &b, Location l, ValueRange args) {
              if (fullWindows) {
                linalg::YieldOp::create(
                    b, l,
                    arith::DivFOp::create(b, l, args[0], volumeValue)
                        .getResult());
                return;
              }
              auto cst = [&](int64_t v) {
                return arith::ConstantIndexOp::create(b, l, v).getResult();
              };
              Value count = cst(1);
              for (int64_t i = 0; i < spatialRank; ++i) {
                // Window positions start + k * d, k in [0, K).
                Value start = arith::SubIOp::create(
                    b, l,
                    arith::MulIOp::create(b, l,
                                          linalg::IndexOp::create(b, l, 2 + i),
                                          cst(strides[i])),
                    padBegin[i]);
                Value d = cst(dilations[i]);
                Value kMin = arith::MaxSIOp::create(
                    b, l, cst(0),
                    arith::CeilDivSIOp::create(
                        b, l, arith::SubIOp::create(b, l, lowBound[i], start),
                        d));
                Value kMax = arith::MinSIOp::create(
                    b, l, cst(kernel[i] - 1),
                    arith::FloorDivSIOp::create(
                        b, l,
                        arith::SubIOp::create(
                            b, l,
                            arith::SubIOp::create(b, l, highBound[i], cst(1)),
                            start),
                        d));
                Value n = arith::MaxSIOp::create(
                    b, l, cst(0),
                    arith::AddIOp::create(
                        b, l, arith::SubIOp::create(b, l, kMax, kMin), cst(1)));
                count = arith::MulIOp::create(b, l, count, n);
              }
              // A window with nothing to count (only possible with ceil_mode)
              // divides by 1 and keeps its zero sum.
              count = arith::MaxSIOp::create(b, l, count, cst(1));
              Value countInt =
                  arith::IndexCastOp::create(b, l, b.getI64Type(), count);
              Value countFloat =
                  arith::SIToFPOp::create(b, l, elementType, countInt);
              linalg::YieldOp::create(
                  b, l,
                  arith::DivFOp::create(b, l, args[0], countFloat).getResult());
            })
            .getResult(0);
    rewriter.replaceOp(op, castToType(rewriter, loc, divided, resultType));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Normalisations
//===----------------------------------------------------------------------===//

/// Sum of `x` over dims [firstReduced, rank) into a tensor of the leading dims.
Value reduceTrailing(OpBuilder &b, Location loc, Value x, int64_t firstReduced,
                     Value mean, Value invCount) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  Type elementType = type.getElementType();
  MLIRContext *ctx = b.getContext();
  SmallVector<OpFoldResult> sizes = getSizes(b, loc, x);
  sizes.resize(firstReduced);
  Value init =
      createFilled(b, loc, sizes, createScalarConstant(b, loc, elementType, 0));
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
  AffineMap leading = AffineMap::get(
      rank, 0, identity.getResults().take_front(firstReduced), ctx);
  SmallVector<utils::IteratorType> iterators(firstReduced,
                                             utils::IteratorType::parallel);
  iterators.append(rank - firstReduced, utils::IteratorType::reduction);
  SmallVector<Value> inputs = {x};
  SmallVector<AffineMap> maps = {identity};
  if (mean) {
    inputs.push_back(mean);
    maps.push_back(leading);
  }
  maps.push_back(leading);
  return linalg::GenericOp::create(
             b, loc, init.getType(), inputs, init, maps, iterators,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               Value term = args[0];
               if (mean) {
                 // Squared deviation from the mean (sum / count).
                 Value m = arith::MulFOp::create(nb, l, args[1], invCount);
                 Value dev = arith::SubFOp::create(nb, l, args[0], m);
                 term = arith::MulFOp::create(nb, l, dev, dev);
               }
               linalg::YieldOp::create(
                   nb, l,
                   arith::AddFOp::create(nb, l, args.back(), term).getResult());
             })
      .getResult(0);
}

/// 1 / (product of the sizes of dims [first, rank)) as a float scalar.
Value inverseCount(OpBuilder &b, Location loc, Value x, int64_t first) {
  IndexMath m(b, loc);
  OpFoldResult count = m.constant(1);
  SmallVector<OpFoldResult> sizes = getSizes(b, loc, x);
  for (OpFoldResult size : ArrayRef(sizes).drop_front(first))
    count = m.mul(count, size);
  Type elementType = cast<RankedTensorType>(x.getType()).getElementType();
  Value countInt =
      arith::IndexCastOp::create(b, loc, b.getI64Type(), m.value(count));
  Value countFloat = arith::SIToFPOp::create(b, loc, elementType, countInt);
  return arith::DivFOp::create(
      b, loc, createScalarConstant(b, loc, elementType, 1), countFloat);
}

/// 1 / sqrt(value + epsilon). Spelled with sqrt and a division because
/// math.rsqrt has no libm function to lower to.
Value createInverseStd(OpBuilder &b, Location loc, Value variance,
                       Value epsilon) {
  Value std = math::SqrtOp::create(
      b, loc, arith::AddFOp::create(b, loc, variance, epsilon));
  return arith::DivFOp::create(
      b, loc, createScalarConstant(b, loc, variance.getType(), 1), std);
}

/// Mean and 1 / sqrt(variance + epsilon) from the sums of values and of
/// squared deviations, computed once per normalised group (not per element).
std::pair<Value, Value> computeMeanInvStd(OpBuilder &b, Location loc, Value sum,
                                          Value squaredSum, Value invCount,
                                          Value epsilon) {
  auto type = cast<RankedTensorType>(sum.getType());
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> sizes = getSizes(b, loc, sum);
  Value meanInit = createEmpty(b, loc, sizes, type.getElementType());
  Value invStdInit = createEmpty(b, loc, sizes, type.getElementType());
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, b.getContext());
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{type, type}, ValueRange{sum, squaredSum},
      ValueRange{meanInit, invStdInit}, SmallVector<AffineMap>(4, identity),
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value mean = arith::MulFOp::create(nb, l, args[0], invCount);
        Value variance = arith::MulFOp::create(nb, l, args[1], invCount);
        linalg::YieldOp::create(
            nb, l,
            ValueRange{mean, createInverseStd(nb, l, variance, epsilon)});
      });
  return {generic.getResult(0), generic.getResult(1)};
}

/// (x - mean) * invStd as a scalar body step.
Value normalizeScalar(OpBuilder &b, Location loc, Value x, Value mean,
                      Value invStd) {
  return arith::MulFOp::create(b, loc, arith::SubFOp::create(b, loc, x, mean),
                               invStd);
}

struct BatchNormLowering : OpConversionPattern<tamp::BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t rank = inputType.getRank();
    if (rank < 2)
      return notLowerable(rewriter, op, "expects an input of rank >= 2");
    Type elementType = inputType.getElementType();
    SmallVector<Value> params = {adaptor.getScale(), adaptor.getBias(),
                                 adaptor.getMean(), adaptor.getVariance()};
    OpFoldResult channels = getSizes(rewriter, loc, input)[1];
    for (Value param : params) {
      if (cast<RankedTensorType>(param.getType()).getRank() != 1)
        return notLowerable(rewriter, op,
                            "expects 1-D scale, bias, mean and variance");
      if (failed(assertEqualSizes(
              rewriter, loc, getSizes(rewriter, loc, param)[0], channels,
              describeOp(op) +
                  ": a parameter's size differs from the channels")))
        return notLowerable(rewriter, op,
                            "a parameter's size differs from the channels");
    }
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    MLIRContext *ctx = rewriter.getContext();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap channelMap = AffineMap::get(rank, 0, getAffineDimExpr(1, ctx));
    Value epsilon = createScalarConstant(rewriter, loc, elementType,
                                         op.getEpsilon().convertToDouble());
    // scale / sqrt(variance + epsilon) once per channel, then one
    // multiply-add per element.
    Value channelScaleInit =
        createEmpty(rewriter, loc, {channels}, elementType);
    AffineMap vectorMap = AffineMap::getMultiDimIdentityMap(1, ctx);
    Value channelScale =
        linalg::GenericOp::create(
            rewriter, loc, channelScaleInit.getType(),
            ValueRange{adaptor.getScale(), adaptor.getVariance()},
            channelScaleInit,
            ArrayRef<AffineMap>{vectorMap, vectorMap, vectorMap},
            utils::IteratorType::parallel,
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value invStd = createInverseStd(b, l, args[1], epsilon);
              linalg::YieldOp::create(
                  b, l,
                  arith::MulFOp::create(b, l, args[0], invStd).getResult());
            })
            .getResult(0);
    Value init =
        createEmpty(rewriter, loc, getSizes(rewriter, loc, input), elementType);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, init.getType(),
            ValueRange{input, adaptor.getMean(), channelScale,
                       adaptor.getBias()},
            init,
            ArrayRef<AffineMap>{identity, channelMap, channelMap, channelMap,
                                identity},
            SmallVector<utils::IteratorType>(rank,
                                             utils::IteratorType::parallel),
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value centered = arith::SubFOp::create(b, l, args[0], args[1]);
              Value scaled = arith::MulFOp::create(b, l, centered, args[2]);
              linalg::YieldOp::create(
                  b, l,
                  arith::AddFOp::create(b, l, scaled, args[3]).getResult());
            })
            .getResult(0);
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};

struct LayerNormLowering : OpConversionPattern<tamp::LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t rank = inputType.getRank();
    // The I64Attr accessor is unsigned; the axis may be negative.
    int64_t axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis >= rank)
      return notLowerable(rewriter, op, "axis is out of range");
    Type elementType = inputType.getElementType();
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Value invCount = inverseCount(rewriter, loc, input, axis);
    Value sum = reduceTrailing(rewriter, loc, input, axis, Value(), Value());
    Value squaredSum =
        reduceTrailing(rewriter, loc, input, axis, sum, invCount);
    Value epsilon = createScalarConstant(rewriter, loc, elementType,
                                         op.getEpsilon().convertToDouble());

    MLIRContext *ctx = rewriter.getContext();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap leading =
        AffineMap::get(rank, 0, identity.getResults().take_front(axis), ctx);
    auto fullType = RankedTensorType::get(inputType.getShape(), elementType);
    auto [mean, invStd] =
        computeMeanInvStd(rewriter, loc, sum, squaredSum, invCount, epsilon);
    SmallVector<Value> inputs = {input, mean, invStd};
    SmallVector<AffineMap> maps = {identity, leading, leading};
    // Scale and bias broadcast (numpy-style) to the normalised dims; a static
    // size-1 dim broadcasts, other sizes must match the input's.
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    for (Value param : {adaptor.getScale(), adaptor.getBias()}) {
      if (!param)
        continue;
      auto paramType = cast<RankedTensorType>(param.getType());
      if (paramType.getRank() > rank - axis)
        return notLowerable(rewriter, op,
                            "scale and bias must not have more dimensions "
                            "than the normalised ones");
      SmallVector<OpFoldResult> paramSizes = getSizes(rewriter, loc, param);
      int64_t offset = rank - paramType.getRank();
      for (int64_t d = 0; d < paramType.getRank(); ++d) {
        if (paramType.getDimSize(d) == 1)
          continue;
        if (failed(assertEqualSizes(
                rewriter, loc, paramSizes[d], inputSizes[offset + d],
                describeOp(op) + ": scale or bias size differs from the "
                                 "input's")))
          return notLowerable(rewriter, op,
                              "scale or bias size differs from the input's");
      }
      inputs.push_back(param);
      maps.push_back(getBroadcastMap(paramType, fullType));
    }
    maps.push_back(identity);
    bool hasBias = static_cast<bool>(adaptor.getBias());
    Value init = createEmpty(rewriter, loc, inputSizes, elementType);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, init.getType(), inputs, init, maps,
            SmallVector<utils::IteratorType>(rank,
                                             utils::IteratorType::parallel),
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value normalized =
                  normalizeScalar(b, l, args[0], args[1], args[2]);
              Value scaled = arith::MulFOp::create(b, l, normalized, args[3]);
              if (hasBias)
                scaled = arith::AddFOp::create(b, l, scaled, args[4]);
              linalg::YieldOp::create(b, l, scaled);
            })
            .getResult(0);
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};

/// tamp.group_norm: the input [N, C, S...] viewed as [N, G, C/G, S...] is
/// normalised over dims 2.. and scaled per channel.
struct GroupNormLowering : OpConversionPattern<tamp::GroupNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::GroupNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t rank = inputType.getRank();
    if (rank < 2)
      return notLowerable(rewriter, op, "expects an input of rank >= 2");
    int64_t groups = op.getNumGroups();
    Type elementType = inputType.getElementType();
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    IndexMath m(rewriter, loc);
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    OpFoldResult channels = inputSizes[1];
    if (std::optional<int64_t> c = getConstantIntValue(channels);
        c && *c % groups != 0)
      return notLowerable(rewriter, op,
                          "channels are not a multiple of num_groups");
    OpFoldResult g = m.constant(groups);
    OpFoldResult perGroup = m.floorDiv(channels, g);
    if (failed(assertEqualSizes(rewriter, loc, m.mul(perGroup, g), channels,
                                describeOp(op) + ": channels are not a "
                                                 "multiple of num_groups")))
      return notLowerable(rewriter, op,
                          "channels are not a multiple of num_groups");
    for (Value param : {adaptor.getScale(), adaptor.getBias()}) {
      if (cast<RankedTensorType>(param.getType()).getRank() != 1)
        return notLowerable(rewriter, op, "expects 1-D scale and bias");
      if (failed(assertEqualSizes(
              rewriter, loc, getSizes(rewriter, loc, param)[0], channels,
              describeOp(op) + ": scale or bias size differs from channels")))
        return notLowerable(rewriter, op,
                            "scale or bias size differs from channels");
    }

    SmallVector<ReassociationIndices> reassociation = {{0}, {1, 2}};
    SmallVector<OpFoldResult> groupedSizes = {inputSizes[0], g, perGroup};
    for (int64_t d = 2; d < rank; ++d) {
      reassociation.push_back({d + 1});
      groupedSizes.push_back(inputSizes[d]);
    }
    Value grouped = expandTo(rewriter, loc, input, reassociation, groupedSizes);
    int64_t groupedRank = rank + 1;
    Value invCount = inverseCount(rewriter, loc, grouped, 2);
    Value sum = reduceTrailing(rewriter, loc, grouped, 2, Value(), Value());
    Value squaredSum = reduceTrailing(rewriter, loc, grouped, 2, sum, invCount);
    Value epsilon = createScalarConstant(rewriter, loc, elementType,
                                         op.getEpsilon().convertToDouble());
    auto [mean, invStd] =
        computeMeanInvStd(rewriter, loc, sum, squaredSum, invCount, epsilon);
    Value scale =
        expandTo(rewriter, loc, adaptor.getScale(), {{0, 1}}, {g, perGroup});
    Value bias =
        expandTo(rewriter, loc, adaptor.getBias(), {{0, 1}}, {g, perGroup});

    MLIRContext *ctx = rewriter.getContext();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(groupedRank, ctx);
    AffineMap statsMap = AffineMap::get(
        groupedRank, 0, {getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx)},
        ctx);
    AffineMap paramMap = AffineMap::get(
        groupedRank, 0, {getAffineDimExpr(1, ctx), getAffineDimExpr(2, ctx)},
        ctx);
    Value init = createEmpty(rewriter, loc, groupedSizes, elementType);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, init.getType(),
            ValueRange{grouped, mean, invStd, scale, bias}, init,
            ArrayRef<AffineMap>{identity, statsMap, statsMap, paramMap,
                                paramMap, identity},
            SmallVector<utils::IteratorType>(groupedRank,
                                             utils::IteratorType::parallel),
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value normalized =
                  normalizeScalar(b, l, args[0], args[1], args[2]);
              Value scaled = arith::MulFOp::create(b, l, normalized, args[3]);
              linalg::YieldOp::create(
                  b, l,
                  arith::AddFOp::create(b, l, scaled, args[4]).getResult());
            })
            .getResult(0);
    Value collapsed =
        tensor::CollapseShapeOp::create(rewriter, loc, result, reassociation);
    rewriter.replaceOp(op, castToType(rewriter, loc, collapsed, resultType));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

/// A static size, or kDynamic.
static int64_t staticSize(OpFoldResult size) {
  return getConstantIntValue(size).value_or(ShapedType::kDynamic);
}

/// Query rows per block: the scores of a block, [rows, Sk], stay in cache.
static constexpr int64_t kAttentionRowBlock = 32;

/// tamp.attention as a fused kernel. The leading dimensions are flattened to
/// one (batch x heads); an scf.forall over them (the CPU pipeline runs it on
/// the session's threads) transposes the head's key once and walks blocks
/// of query rows. Per block: scores = q_block x k^T, logits = scores * scale
/// + mask, m = rowmax, e = exp(logits - m), out = (e x v) / rowsum(e). Only
/// one block's [rows, Sk] scores exist at a time.
struct AttentionLowering : OpConversionPattern<tamp::AttentionOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::AttentionOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value query = adaptor.getQuery(), key = adaptor.getKey(),
          value = adaptor.getValue(), mask = adaptor.getMask();
    auto queryType = cast<RankedTensorType>(query.getType());
    Type elementType = queryType.getElementType();
    if (!elementType.isF32())
      return notLowerable(rewriter, op, "only f32 attention is lowered");
    int64_t rank = queryType.getRank();
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    IndexMath m(rewriter, loc);

    SmallVector<OpFoldResult> querySizes = getSizes(rewriter, loc, query);
    SmallVector<OpFoldResult> keySizes = getSizes(rewriter, loc, key);
    SmallVector<OpFoldResult> valueSizes = getSizes(rewriter, loc, value);
    auto check = [&](OpFoldResult lhs, OpFoldResult rhs, StringRef what) {
      return assertEqualSizes(rewriter, loc, lhs, rhs,
                              describeOp(op) + ": " + what);
    };
    for (int64_t dim = 0; dim < rank - 2; ++dim)
      if (failed(check(querySizes[dim], keySizes[dim],
                       "query and key leading dimensions differ")) ||
          failed(check(querySizes[dim], valueSizes[dim],
                       "query and value leading dimensions differ")))
        return notLowerable(rewriter, op, "leading dimensions differ");
    if (failed(check(querySizes[rank - 1], keySizes[rank - 1],
                     "query and key feature sizes differ")) ||
        failed(check(keySizes[rank - 2], valueSizes[rank - 2],
                     "key and value sequence lengths differ")))
      return notLowerable(rewriter, op, "contracted sizes differ");

    ArrayRef<OpFoldResult> leading = ArrayRef(querySizes).drop_back(2);
    OpFoldResult heads = m.constant(1);
    for (OpFoldResult size : leading)
      heads = m.mul(heads, size);
    OpFoldResult queryLength = querySizes[rank - 2],
                 features = querySizes[rank - 1],
                 keyLength = keySizes[rank - 2],
                 valueFeatures = valueSizes[rank - 1];

    // [L..., S, D] -> [L, S, D].
    auto flattenLeading = [&](Value tensor) -> Value {
      if (rank == 3)
        return tensor;
      auto type = cast<RankedTensorType>(tensor.getType());
      if (rank == 2)
        return tensor::ExpandShapeOp::create(
            rewriter, loc,
            RankedTensorType::get({1, type.getDimSize(0), type.getDimSize(1)},
                                  elementType),
            tensor, ArrayRef<ReassociationIndices>{{0, 1}, {2}});
      ReassociationIndices batch =
          llvm::to_vector(llvm::seq<int64_t>(0, rank - 2));
      return tensor::CollapseShapeOp::create(
          rewriter, loc, tensor,
          ArrayRef<ReassociationIndices>{batch, {rank - 2}, {rank - 1}});
    };
    Value flatQuery = flattenLeading(query), flatKey = flattenLeading(key),
          flatValue = flattenLeading(value);

    // The mask at the scores' rank, leading unit dimensions added.
    RankedTensorType maskType;
    if (mask) {
      maskType = cast<RankedTensorType>(mask.getType());
      int64_t added = rank - maskType.getRank();
      if (added > 0) {
        SmallVector<int64_t> shape(added, 1);
        llvm::append_range(shape, maskType.getShape());
        SmallVector<ReassociationIndices> reassociation;
        if (maskType.getRank() > 0) {
          reassociation.push_back(
              llvm::to_vector(llvm::seq<int64_t>(0, added + 1)));
          for (int64_t dim = added + 1; dim < rank; ++dim)
            reassociation.push_back({dim});
        }
        maskType = RankedTensorType::get(shape, elementType);
        mask = tensor::ExpandShapeOp::create(rewriter, loc, maskType, mask,
                                             reassociation);
      }
    }
    SmallVector<OpFoldResult> maskSizes =
        mask ? getSizes(rewriter, loc, mask) : SmallVector<OpFoldResult>();
    bool maskRowsBroadcast = mask && maskType.getDimSize(rank - 2) == 1;
    bool maskColumnsBroadcast = mask && maskType.getDimSize(rank - 1) == 1;

    int64_t staticQueryLength = staticSize(queryLength);
    int64_t rowBlock = kAttentionRowBlock;
    bool staticBlocks = false;
    if (!ShapedType::isDynamic(staticQueryLength))
      for (int64_t candidate : {32, 16, 8, 4, 2, 1})
        if (staticQueryLength % candidate == 0) {
          rowBlock = std::min(candidate, staticQueryLength);
          staticBlocks = true;
          break;
        }
    int64_t skStatic = staticSize(keyLength), dStatic = staticSize(features),
            dvStatic = staticSize(valueFeatures);
    Value zero = createScalarConstant(rewriter, loc, elementType, 0);
    Value lowest = createLowestValue(rewriter, loc, elementType, false);
    Value scale = createScalarConstant(rewriter, loc, elementType,
                                       op.getScale().convertToDouble());
    MLIRContext *ctx = rewriter.getContext();

    Value output = createEmpty(
        rewriter, loc, {heads, queryLength, valueFeatures}, elementType);
    auto forall =
        scf::ForallOp::create(rewriter, loc, ArrayRef<OpFoldResult>{heads},
                              ValueRange{output}, std::nullopt);
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(forall.getTerminator());
    Value head = forall.getInductionVars()[0];
    OpFoldResult zeroIndex = m.constant(0), oneIndex = m.constant(1);

    // This head's K^T [D, Sk] and V [Sk, Dv].
    Value headKey = tensor::ExtractSliceOp::create(
        rewriter, loc, RankedTensorType::get({skStatic, dStatic}, elementType),
        flatKey, ArrayRef<OpFoldResult>{head, zeroIndex, zeroIndex},
        ArrayRef<OpFoldResult>{oneIndex, keyLength, features},
        ArrayRef<OpFoldResult>{oneIndex, oneIndex, oneIndex});
    Value keyTransposed =
        linalg::TransposeOp::create(
            rewriter, loc, headKey,
            createEmpty(rewriter, loc, {features, keyLength}, elementType),
            ArrayRef<int64_t>{1, 0})
            .getResult()[0];
    Value headValue = tensor::ExtractSliceOp::create(
        rewriter, loc, RankedTensorType::get({skStatic, dvStatic}, elementType),
        flatValue, ArrayRef<OpFoldResult>{head, zeroIndex, zeroIndex},
        ArrayRef<OpFoldResult>{oneIndex, keyLength, valueFeatures},
        ArrayRef<OpFoldResult>{oneIndex, oneIndex, oneIndex});

    // The mask's leading indices for this head: the head index split over
    // the leading dimensions, 0 where the mask broadcasts.
    SmallVector<OpFoldResult> maskLeading;
    if (mask) {
      Value remaining = head;
      SmallVector<OpFoldResult> indices(rank - 2);
      for (int64_t dim = rank - 3; dim >= 0; --dim) {
        Value size = m.value(leading[dim]);
        indices[dim] =
            arith::RemUIOp::create(rewriter, loc, remaining, size).getResult();
        remaining = arith::DivUIOp::create(rewriter, loc, remaining, size);
      }
      for (int64_t dim = 0; dim < rank - 2; ++dim)
        maskLeading.push_back(maskType.getDimSize(dim) == 1 ? zeroIndex
                                                            : indices[dim]);
    }

    Value headOutput =
        createEmpty(rewriter, loc, {queryLength, valueFeatures}, elementType);
    Value lower = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value upper = m.value(queryLength);
    Value step = arith::ConstantIndexOp::create(rewriter, loc, rowBlock);
    auto rowLoop = scf::ForOp::create(
        rewriter, loc, lower, upper, step, ValueRange{headOutput},
        [&](OpBuilder &b, Location loc, Value firstRow, ValueRange iter) {
          IndexMath bm(b, loc);
          OpFoldResult rows =
              staticBlocks
                  ? bm.constant(rowBlock)
                  : OpFoldResult(
                        arith::MinSIOp::create(
                            b, loc, step,
                            arith::SubIOp::create(b, loc, upper, firstRow))
                            .getResult());
          int64_t rowsStatic = staticSize(rows);
          Value queryBlock = tensor::ExtractSliceOp::create(
              b, loc, RankedTensorType::get({rowsStatic, dStatic}, elementType),
              flatQuery, ArrayRef<OpFoldResult>{head, firstRow, zeroIndex},
              ArrayRef<OpFoldResult>{oneIndex, rows, features},
              ArrayRef<OpFoldResult>{oneIndex, oneIndex, oneIndex});
          Value scores =
              linalg::MatmulOp::create(
                  b, loc, ValueRange{queryBlock, keyTransposed},
                  ValueRange{createFilled(b, loc, {rows, keyLength}, zero)})
                  .getResult(0);

          // logits = scores * scale (+ mask).
          AffineMap identity = AffineMap::getMultiDimIdentityMap(2, ctx);
          AffineMap rowMap = AffineMap::get(2, 0, getAffineDimExpr(0, ctx));
          SmallVector<utils::IteratorType> parallel(
              2, utils::IteratorType::parallel);
          SmallVector<utils::IteratorType> rowReduction = {
              utils::IteratorType::parallel, utils::IteratorType::reduction};
          SmallVector<Value> logitInputs = {scores};
          SmallVector<AffineMap> logitMaps = {identity};
          if (mask) {
            SmallVector<OpFoldResult> offsets = maskLeading, sizes, strides;
            offsets.push_back(maskRowsBroadcast ? zeroIndex
                                                : OpFoldResult(firstRow));
            offsets.push_back(zeroIndex);
            sizes.assign(rank - 2, oneIndex);
            sizes.push_back(maskRowsBroadcast ? oneIndex : rows);
            sizes.push_back(maskColumnsBroadcast ? oneIndex
                                                 : maskSizes[rank - 1]);
            strides.assign(rank, oneIndex);
            Value maskBlock = tensor::ExtractSliceOp::create(
                b, loc,
                RankedTensorType::get(
                    {maskRowsBroadcast ? 1 : rowsStatic,
                     maskColumnsBroadcast ? 1 : maskType.getDimSize(rank - 1)},
                    elementType),
                mask, offsets, sizes, strides);
            logitInputs.push_back(maskBlock);
            logitMaps.push_back(AffineMap::get(
                2, 0,
                {maskRowsBroadcast ? getAffineConstantExpr(0, ctx)
                                   : getAffineDimExpr(0, ctx),
                 maskColumnsBroadcast ? getAffineConstantExpr(0, ctx)
                                      : getAffineDimExpr(1, ctx)},
                ctx));
          }
          logitMaps.push_back(identity);
          Value logits =
              linalg::GenericOp::create(
                  b, loc, scores.getType(), logitInputs,
                  createEmpty(b, loc, {rows, keyLength}, elementType),
                  logitMaps, parallel,
                  [&](OpBuilder &nb, Location nl, ValueRange args) {
                    Value scaled =
                        arith::MulFOp::create(nb, nl, args[0], scale);
                    if (mask)
                      scaled = arith::AddFOp::create(nb, nl, scaled, args[1]);
                    linalg::YieldOp::create(nb, nl, scaled);
                  })
                  .getResult(0);

          // Row maxima, then e = exp(logits - max) and the row sums.
          Value maxima =
              linalg::GenericOp::create(
                  b, loc, RankedTensorType::get({rowsStatic}, elementType),
                  logits, createFilled(b, loc, {rows}, lowest),
                  ArrayRef<AffineMap>{identity, rowMap}, rowReduction,
                  [&](OpBuilder &nb, Location nl, ValueRange args) {
                    linalg::YieldOp::create(
                        nb, nl,
                        arith::MaximumFOp::create(nb, nl, args[0], args[1])
                            .getResult());
                  })
                  .getResult(0);
          Value exponentials =
              linalg::GenericOp::create(
                  b, loc, scores.getType(), ValueRange{logits, maxima},
                  createEmpty(b, loc, {rows, keyLength}, elementType),
                  ArrayRef<AffineMap>{identity, rowMap, identity}, parallel,
                  [&](OpBuilder &nb, Location nl, ValueRange args) {
                    Value shifted =
                        arith::SubFOp::create(nb, nl, args[0], args[1]);
                    linalg::YieldOp::create(
                        nb, nl,
                        math::ExpOp::create(nb, nl, shifted).getResult());
                  })
                  .getResult(0);
          Value sums = linalg::GenericOp::create(
                           b, loc, maxima.getType(), exponentials,
                           createFilled(b, loc, {rows}, zero),
                           ArrayRef<AffineMap>{identity, rowMap}, rowReduction,
                           [&](OpBuilder &nb, Location nl, ValueRange args) {
                             linalg::YieldOp::create(
                                 nb, nl,
                                 arith::AddFOp::create(nb, nl, args[0], args[1])
                                     .getResult());
                           })
                           .getResult(0);

          // (e x V) / sum: normalising the [rows, Dv] product instead of
          // the [rows, Sk] weights.
          Value product =
              linalg::MatmulOp::create(
                  b, loc, ValueRange{exponentials, headValue},
                  ValueRange{createFilled(b, loc, {rows, valueFeatures}, zero)})
                  .getResult(0);
          Value normalized =
              linalg::GenericOp::create(
                  b, loc, product.getType(), ValueRange{product, sums},
                  createEmpty(b, loc, {rows, valueFeatures}, elementType),
                  ArrayRef<AffineMap>{identity, rowMap, identity}, parallel,
                  [&](OpBuilder &nb, Location nl, ValueRange args) {
                    linalg::YieldOp::create(
                        nb, nl,
                        arith::DivFOp::create(nb, nl, args[0], args[1])
                            .getResult());
                  })
                  .getResult(0);
          Value updated = tensor::InsertSliceOp::create(
              b, loc, normalized, iter[0],
              ArrayRef<OpFoldResult>{firstRow, zeroIndex},
              ArrayRef<OpFoldResult>{rows, valueFeatures},
              ArrayRef<OpFoldResult>{oneIndex, oneIndex});
          scf::YieldOp::create(b, loc, updated);
        });

    rewriter.setInsertionPointToEnd(forall.getTerminator().getBody());
    tensor::ParallelInsertSliceOp::create(
        rewriter, loc, rowLoop.getResult(0), forall.getRegionIterArgs()[0],
        ArrayRef<OpFoldResult>{head, zeroIndex, zeroIndex},
        ArrayRef<OpFoldResult>{oneIndex, queryLength, valueFeatures},
        ArrayRef<OpFoldResult>{oneIndex, oneIndex, oneIndex});

    rewriter.setInsertionPointAfter(forall);
    Value result = forall.getResult(0);
    if (rank == 2) {
      result = tensor::CollapseShapeOp::create(
          rewriter, loc, result, ArrayRef<ReassociationIndices>{{0, 1}, {2}});
    } else if (rank > 3) {
      ReassociationIndices batch =
          llvm::to_vector(llvm::seq<int64_t>(0, rank - 2));
      SmallVector<OpFoldResult> shape(leading);
      shape.push_back(queryLength);
      shape.push_back(valueFeatures);
      SmallVector<int64_t> staticShape = llvm::to_vector(llvm::map_range(
          shape, [](OpFoldResult size) { return staticSize(size); }));
      result = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get(staticShape, elementType),
          result, ArrayRef<ReassociationIndices>{batch, {rank - 2}, {rank - 1}},
          shape);
    }
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};

} // namespace

void tamp::populateNNToLinalgPatterns(const TypeConverter &converter,
                                      RewritePatternSet &patterns) {
  patterns.add<ConvLowering, QuantizedConvLowering, ConvTransposeLowering,
               MaxPoolLowering, MaxPoolWithIndicesLowering, AvgPoolLowering,
               BatchNormLowering, LayerNormLowering, GroupNormLowering,
               AttentionLowering>(converter, patterns.getContext());
}
