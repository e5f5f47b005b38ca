//===- IntegerKernels.cpp - Quantized values and their epilogues ----------===//
//
// The requantization epilogue and zero-point corrections that the quantized
// convolution and matmul lowerings share, and the lowering of the ops that
// move between float and quantized values: quant.qcast / quant.dcast /
// quant.scast, tamp.dynamic_quantize, and tamp.clamp on quantized values.
//
//===----------------------------------------------------------------------===//

#include "IntegerKernels.h"
#include "LoweringUtils.h"
#include "Patterns.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Dialect/Tamp/IR/TampQuantization.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

using namespace mlir;
using namespace tamp::lowering;
using tamp::getQuantizedElementType;

namespace tamp::lowering {

int64_t getStorageOffset(quant::QuantizedType type) {
  return !type.isSigned() && type.getStorageTypeIntegralWidth() == 8 ? -128 : 0;
}

LoweredQuantParams getLoweredParams(quant::UniformQuantizedType type) {
  int64_t offset = getStorageOffset(type);
  return {type.getScale(), type.getZeroPoint() + offset,
          type.getStorageTypeMin() + offset, type.getStorageTypeMax() + offset};
}

FailureOr<FixedPointMultiplier> getFixedPointMultiplier(double ratio) {
  if (!(ratio > 0.0) || !std::isfinite(ratio))
    return failure();
  int exponent = 0;
  double mantissa = std::frexp(ratio, &exponent);
  auto multiplier =
      static_cast<int64_t>(std::nearbyint(std::ldexp(mantissa, 31)));
  if (multiplier == (int64_t(1) << 31)) {
    multiplier /= 2;
    ++exponent;
  }
  int64_t shift = 31 - exponent;
  if (shift < 1)
    return failure();
  // Beyond 62 bits of shift every product rounds to 0.
  if (shift > 62)
    return FixedPointMultiplier{0, 1};
  return FixedPointMultiplier{multiplier, shift};
}

SmallVector<int64_t> sumPerChannel(ArrayRef<int8_t> weight,
                                   ArrayRef<int64_t> shape,
                                   int64_t channelDim) {
  int64_t channels = shape[channelDim];
  int64_t inner = 1;
  for (int64_t size : shape.drop_front(channelDim + 1))
    inner *= size;
  SmallVector<int64_t> sums(channels, 0);
  for (auto [index, value] : llvm::enumerate(weight))
    sums[(int64_t(index) / inner) % channels] += value;
  return sums;
}

FailureOr<Value> createCorrectedBias(ConversionPatternRewriter &rewriter,
                                     Operation *op, Value bias,
                                     int64_t inputZeroPoint,
                                     ArrayRef<int64_t> weightSums) {
  SmallVector<int64_t> values(weightSums.size(), 0);
  if (bias) {
    std::optional<SmallVector<int64_t>> biasValues = getConstantIntValues(bias);
    if (!biasValues || biasValues->size() != weightSums.size())
      return notLowerable(rewriter, op,
                          "the bias of a quantized op must be a constant");
    values = *biasValues;
  }
  SmallVector<int32_t> corrected;
  for (auto [biasValue, sum] : llvm::zip(values, weightSums)) {
    int64_t value = biasValue - inputZeroPoint * sum;
    if (value < INT32_MIN || value > INT32_MAX)
      return notLowerable(rewriter, op,
                          "the zero-point-corrected bias overflows i32");
    corrected.push_back(static_cast<int32_t>(value));
  }
  auto type =
      RankedTensorType::get({int64_t(corrected.size())}, rewriter.getI32Type());
  return arith::ConstantOp::create(rewriter, op->getLoc(),
                                   DenseIntElementsAttr::get(type, corrected))
      .getResult();
}

/// A 1-D i64 constant.
static Value createI64Vector(OpBuilder &b, Location loc,
                             ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get({int64_t(values.size())}, b.getI64Type());
  return arith::ConstantOp::create(b, loc,
                                   DenseIntElementsAttr::get(type, values));
}

/// `clamp(((value * multiplier + 2^(shift-1)) >> shift) + zeroPoint)` on i64
/// scalars, truncated to i8.
static Value emitFixedPointRescale(OpBuilder &b, Location loc, Value value,
                                   Value multiplier, Value shift,
                                   const LoweredQuantParams &to) {
  Type i64 = b.getI64Type();
  auto constant = [&](int64_t v) {
    return arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(v));
  };
  Value one = constant(1);
  Value product = arith::MulIOp::create(b, loc, value, multiplier);
  Value half = arith::ShLIOp::create(b, loc, one,
                                     arith::SubIOp::create(b, loc, shift, one));
  Value rounded = arith::ShRSIOp::create(
      b, loc, arith::AddIOp::create(b, loc, product, half), shift);
  Value shifted =
      arith::AddIOp::create(b, loc, rounded, constant(to.zeroPoint));
  Value clamped = arith::MinSIOp::create(
      b, loc, arith::MaxSIOp::create(b, loc, shifted, constant(to.min)),
      constant(to.max));
  (void)i64;
  return arith::TruncIOp::create(b, loc, b.getI8Type(), clamped);
}

FailureOr<Value> buildIntegerEpilogue(ConversionPatternRewriter &rewriter,
                                      Operation *op, Value acc,
                                      int64_t channelDim,
                                      ArrayRef<double> accScales,
                                      Type resultElementType) {
  Location loc = op->getLoc();
  MLIRContext *ctx = rewriter.getContext();
  auto accType = cast<RankedTensorType>(acc.getType());
  int64_t rank = accType.getRank();
  bool perChannel = accScales.size() > 1;
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
  AffineMap channelMap =
      AffineMap::get(rank, 0, getAffineDimExpr(channelDim, ctx), ctx);
  SmallVector<utils::IteratorType> parallel(rank,
                                            utils::IteratorType::parallel);
  SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, acc);

  if (auto floatType = dyn_cast<FloatType>(resultElementType)) {
    // Dequantize: acc * scale[c] in f32.
    SmallVector<float> scales(accScales.begin(), accScales.end());
    SmallVector<Value> inputs = {acc};
    SmallVector<AffineMap> maps = {identity};
    if (perChannel) {
      auto type = RankedTensorType::get({int64_t(scales.size())}, floatType);
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc, DenseFPElementsAttr::get(type, ArrayRef(scales))));
      maps.push_back(channelMap);
    }
    maps.push_back(identity);
    Value init = createEmpty(rewriter, loc, sizes, floatType);
    return linalg::GenericOp::create(
               rewriter, loc, init.getType(), inputs, init, maps, parallel,
               [&](OpBuilder &b, Location l, ValueRange args) {
                 Value scale =
                     perChannel
                         ? args[1]
                         : arith::ConstantOp::create(
                               b, l, b.getFloatAttr(floatType, scales.front()));
                 Value real = arith::SIToFPOp::create(b, l, floatType, args[0]);
                 linalg::YieldOp::create(
                     b, l,
                     arith::MulFOp::create(b, l, real, scale).getResult());
               })
        .getResult(0);
  }

  auto resultType = dyn_cast<quant::UniformQuantizedType>(resultElementType);
  if (!resultType)
    return notLowerable(rewriter, op,
                        "the result must be f32 or quantized per tensor");
  LoweredQuantParams to = getLoweredParams(resultType);
  SmallVector<int64_t> multipliers, shifts;
  for (double accScale : accScales) {
    FailureOr<FixedPointMultiplier> fixed =
        getFixedPointMultiplier(accScale / to.scale);
    if (failed(fixed))
      return notLowerable(rewriter, op,
                          "the requantization scale " +
                              std::to_string(accScale / to.scale) +
                              " is out of the fixed-point range");
    multipliers.push_back(fixed->multiplier);
    shifts.push_back(fixed->shift);
  }
  SmallVector<Value> inputs = {acc};
  SmallVector<AffineMap> maps = {identity};
  if (perChannel) {
    inputs.push_back(createI64Vector(rewriter, loc, multipliers));
    inputs.push_back(createI64Vector(rewriter, loc, shifts));
    maps.append({channelMap, channelMap});
  }
  maps.push_back(identity);
  Value init = createEmpty(rewriter, loc, sizes, rewriter.getI8Type());
  return linalg::GenericOp::create(
             rewriter, loc, init.getType(), inputs, init, maps, parallel,
             [&](OpBuilder &b, Location l, ValueRange args) {
               auto constant = [&](int64_t v) -> Value {
                 return arith::ConstantOp::create(b, l, b.getI64IntegerAttr(v));
               };
               Value multiplier =
                   perChannel ? args[1] : constant(multipliers.front());
               Value shift = perChannel ? args[2] : constant(shifts.front());
               Value wide =
                   arith::ExtSIOp::create(b, l, b.getI64Type(), args[0]);
               linalg::YieldOp::create(
                   b, l,
                   emitFixedPointRescale(b, l, wide, multiplier, shift, to));
             })
      .getResult(0);
}

FailureOr<Value> requantize(ConversionPatternRewriter &rewriter, Operation *op,
                            Value value, quant::UniformQuantizedType from,
                            quant::UniformQuantizedType to) {
  LoweredQuantParams source = getLoweredParams(from);
  LoweredQuantParams target = getLoweredParams(to);
  FailureOr<FixedPointMultiplier> fixed =
      getFixedPointMultiplier(source.scale / target.scale);
  if (failed(fixed))
    return notLowerable(rewriter, op,
                        "the requantization scale is out of range");
  Location loc = op->getLoc();
  auto type = cast<RankedTensorType>(value.getType());
  int64_t rank = type.getRank();
  AffineMap identity =
      AffineMap::getMultiDimIdentityMap(rank, rewriter.getContext());
  Value init = createEmpty(rewriter, loc, getSizes(rewriter, loc, value),
                           rewriter.getI8Type());
  return linalg::GenericOp::create(
             rewriter, loc, init.getType(), value, init,
             ArrayRef<AffineMap>{identity, identity},
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [&](OpBuilder &b, Location l, ValueRange args) {
               auto constant = [&](int64_t v) -> Value {
                 return arith::ConstantOp::create(b, l, b.getI64IntegerAttr(v));
               };
               Value wide =
                   arith::ExtSIOp::create(b, l, b.getI64Type(), args[0]);
               Value centered = arith::SubIOp::create(
                   b, l, wide, constant(source.zeroPoint));
               linalg::YieldOp::create(
                   b, l,
                   emitFixedPointRescale(b, l, centered,
                                         constant(fixed->multiplier),
                                         constant(fixed->shift), target));
             })
      .getResult(0);
}

} // namespace tamp::lowering

namespace {

/// An element-wise generic over `input` with result element `elementType`.
Value buildMap(OpBuilder &b, Location loc, Value input, Type elementType,
               function_ref<Value(OpBuilder &, Location, Value)> body) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, b.getContext());
  Value init = createEmpty(b, loc, getSizes(b, loc, input), elementType);
  return linalg::GenericOp::create(
             b, loc, init.getType(), input, init,
             ArrayRef<AffineMap>{identity, identity},
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nested, Location l, ValueRange args) {
               linalg::YieldOp::create(nested, l, body(nested, l, args[0]));
             })
      .getResult(0);
}

/// `clamp(roundeven(x / scale) + zeroPoint, min, max)` as i8, all in the
/// lowered domain.
Value emitQuantize(OpBuilder &b, Location loc, Value x, Value scale,
                   Value zeroPoint, const LoweredQuantParams &params) {
  Type f32 = b.getF32Type();
  auto constant = [&](double v) -> Value {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  };
  Value scaled = math::RoundEvenOp::create(
      b, loc, arith::DivFOp::create(b, loc, x, scale));
  Value shifted = arith::AddFOp::create(b, loc, scaled, zeroPoint);
  Value clamped = arith::MinimumFOp::create(
      b, loc, arith::MaximumFOp::create(b, loc, shifted, constant(params.min)),
      constant(params.max));
  (void)f32;
  return arith::FPToSIOp::create(b, loc, b.getI8Type(), clamped);
}

struct QuantizeCastLowering : OpConversionPattern<quant::QuantizeCastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(quant::QuantizeCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = dyn_cast<quant::UniformQuantizedType>(
        getElementTypeOrSelf(op.getResult().getType()));
    if (!type || !isa<RankedTensorType>(op.getResult().getType()) ||
        type.getStorageTypeIntegralWidth() != 8 ||
        !type.getExpressedType().isF32())
      return notLowerable(rewriter, op,
                          "only per-tensor 8-bit quantization of f32 tensors "
                          "is lowered");
    LoweredQuantParams params = getLoweredParams(type);
    Value result = buildMap(
        rewriter, op.getLoc(), adaptor.getInput(), rewriter.getI8Type(),
        [&](OpBuilder &b, Location l, Value x) {
          Value scale = arith::ConstantOp::create(
              b, l, b.getF32FloatAttr(static_cast<float>(params.scale)));
          Value zeroPoint = arith::ConstantOp::create(
              b, l, b.getF32FloatAttr(static_cast<float>(params.zeroPoint)));
          return emitQuantize(b, l, x, scale, zeroPoint, params);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct DequantizeCastLowering : OpConversionPattern<quant::DequantizeCastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(quant::DequantizeCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = dyn_cast<quant::UniformQuantizedType>(
        getElementTypeOrSelf(op.getInput().getType()));
    if (!type || !isa<RankedTensorType>(op.getInput().getType()) ||
        type.getStorageTypeIntegralWidth() != 8 ||
        !type.getExpressedType().isF32())
      return notLowerable(rewriter, op,
                          "only per-tensor 8-bit dequantization to f32 is "
                          "lowered");
    LoweredQuantParams params = getLoweredParams(type);
    Value result = buildMap(
        rewriter, op.getLoc(), adaptor.getInput(), rewriter.getF32Type(),
        [&](OpBuilder &b, Location l, Value q) {
          Value centered = arith::SubIOp::create(
              b, l, arith::ExtSIOp::create(b, l, b.getI32Type(), q),
              arith::ConstantOp::create(b, l,
                                        b.getI32IntegerAttr(params.zeroPoint)));
          return arith::MulFOp::create(
                     b, l,
                     arith::SIToFPOp::create(b, l, b.getF32Type(), centered),
                     arith::ConstantOp::create(
                         b, l,
                         b.getF32FloatAttr(static_cast<float>(params.scale))))
              .getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// quant.scast between an integer tensor and its quantized view: the same
/// values, except that unsigned 8-bit storage moves by -128 when it becomes
/// quantized (and back).
struct StorageCastLowering : OpConversionPattern<quant::StorageCastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(quant::StorageCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto quantized = getQuantizedElementType(op.getInput().getType());
    if (!quantized)
      quantized = getQuantizedElementType(op.getResult().getType());
    if (!quantized || !isa<RankedTensorType>(op.getInput().getType()))
      return notLowerable(rewriter, op, "expects a tensor storage cast");
    Value input = adaptor.getInput();
    if (getStorageOffset(quantized) != 0) {
      // Flipping the top bit moves by -128 one way and +128 the other.
      input = buildMap(rewriter, op.getLoc(), input, rewriter.getI8Type(),
                       [](OpBuilder &b, Location l, Value q) {
                         return arith::XOrIOp::create(
                                    b, l, q,
                                    arith::ConstantOp::create(
                                        b, l, b.getI8IntegerAttr(-128)))
                             .getResult();
                       });
    }
    rewriter.replaceOp(op, input);
    return success();
  }
};

/// tamp.clamp on a quantized value: the bounds quantized to the input's
/// parameters, applied to the integers.
struct QuantizedClampLowering : OpConversionPattern<tamp::ClampOp> {
  QuantizedClampLowering(const TypeConverter &converter, MLIRContext *ctx)
      : OpConversionPattern(converter, ctx, /*benefit=*/2) {}

  LogicalResult
  matchAndRewrite(tamp::ClampOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = dyn_cast<quant::UniformQuantizedType>(
        getElementTypeOrSelf(op.getInput().getType()));
    if (!type)
      return failure();
    LoweredQuantParams params = getLoweredParams(type);
    auto bound = [&](std::optional<APFloat> real, int64_t fallback) {
      if (!real)
        return fallback;
      double q = std::nearbyint(real->convertToDouble() / params.scale) +
                 params.zeroPoint;
      return static_cast<int64_t>(
          std::clamp(q, double(params.min), double(params.max)));
    };
    int64_t lo = bound(op.getMin(), params.min);
    int64_t hi = bound(op.getMax(), params.max);
    Value result = buildMap(
        rewriter, op.getLoc(), adaptor.getInput(), rewriter.getI8Type(),
        [&](OpBuilder &b, Location l, Value q) {
          Value low = arith::ConstantOp::create(b, l, b.getI8IntegerAttr(lo));
          Value high = arith::ConstantOp::create(b, l, b.getI8IntegerAttr(hi));
          return arith::MinSIOp::create(
                     b, l, arith::MaxSIOp::create(b, l, q, low), high)
              .getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// tamp.dynamic_quantize: min/max reductions, then the parameters and the
/// quantization of each element, as ONNX DynamicQuantizeLinear.
struct DynamicQuantizeLowering : OpConversionPattern<tamp::DynamicQuantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::DynamicQuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t rank = inputType.getRank();
    bool isUnsigned =
        op.getOutput().getType().getElementType().isUnsignedInteger();
    // Integer range of the result's storage (its own signedness; the
    // converted tensors hold the same bits).
    double qmin = isUnsigned ? 0 : -128, qmax = isUnsigned ? 255 : 127;
    Type f32 = rewriter.getF32Type();
    Type i8 = rewriter.getI8Type();

    // [min(x, 0), max(x, 0)] in one reduction.
    auto zero =
        arith::ConstantOp::create(rewriter, loc, rewriter.getF32FloatAttr(0));
    Value scalarInit = createEmpty(rewriter, loc, {}, f32);
    Value minInit =
        linalg::FillOp::create(rewriter, loc, ValueRange{zero}, scalarInit)
            .getResult(0);
    Value maxInit = minInit;
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap scalar = AffineMap::get(rank, 0, {}, ctx);
    auto reduction = linalg::GenericOp::create(
        rewriter, loc, TypeRange{minInit.getType(), maxInit.getType()}, input,
        ValueRange{minInit, maxInit},
        ArrayRef<AffineMap>{identity, scalar, scalar},
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::reduction),
        [&](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::MinimumFOp::create(b, l, args[0], args[1]),
                         arith::MaximumFOp::create(b, l, args[0], args[2])});
        });

    // scale = (max - min) / (qmax - qmin); zero_point = round(qmin - min /
    // scale); an all-zero input gets scale 0 and zero point 0.
    Value zeroPointInit = createEmpty(rewriter, loc, {}, i8);
    auto parameters = linalg::GenericOp::create(
        rewriter, loc, TypeRange{scalarInit.getType(), zeroPointInit.getType()},
        reduction.getResults(), ValueRange{scalarInit, zeroPointInit},
        ArrayRef<AffineMap>{
            AffineMap::get(0, 0, {}, ctx), AffineMap::get(0, 0, {}, ctx),
            AffineMap::get(0, 0, {}, ctx), AffineMap::get(0, 0, {}, ctx)},
        ArrayRef<utils::IteratorType>{},
        [&](OpBuilder &b, Location l, ValueRange args) {
          auto constant = [&](double v) -> Value {
            return arith::ConstantOp::create(b, l, b.getF32FloatAttr(v));
          };
          Value range = arith::SubFOp::create(b, l, args[1], args[0]);
          Value scale =
              arith::DivFOp::create(b, l, range, constant(qmax - qmin));
          Value empty = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ,
                                              scale, constant(0));
          Value safeScale =
              arith::SelectOp::create(b, l, empty, constant(1), scale);
          Value zeroPoint = math::RoundEvenOp::create(
              b, l,
              arith::SubFOp::create(
                  b, l, constant(qmin),
                  arith::DivFOp::create(b, l, args[0], safeScale)));
          zeroPoint = arith::MinimumFOp::create(
              b, l, arith::MaximumFOp::create(b, l, zeroPoint, constant(qmin)),
              constant(qmax));
          zeroPoint =
              arith::SelectOp::create(b, l, empty, constant(0), zeroPoint);
          Value stored =
              isUnsigned
                  ? arith::FPToUIOp::create(b, l, i8, zeroPoint).getResult()
                  : arith::FPToSIOp::create(b, l, i8, zeroPoint).getResult();
          linalg::YieldOp::create(b, l, ValueRange{scale, stored});
        });
    Value scale = parameters.getResult(0);
    Value zeroPoint = parameters.getResult(1);

    // output = clamp(round(x / scale) + zero_point): the quantization of the
    // static path with run-time parameters.
    Value init = createEmpty(rewriter, loc, getSizes(rewriter, loc, input), i8);
    Value output =
        linalg::GenericOp::create(
            rewriter, loc, init.getType(), ValueRange{input, scale, zeroPoint},
            init, ArrayRef<AffineMap>{identity, scalar, scalar, identity},
            SmallVector<utils::IteratorType>(rank,
                                             utils::IteratorType::parallel),
            [&](OpBuilder &b, Location l, ValueRange args) {
              auto constant = [&](double v) -> Value {
                return arith::ConstantOp::create(b, l, b.getF32FloatAttr(v));
              };
              Value empty = arith::CmpFOp::create(
                  b, l, arith::CmpFPredicate::OEQ, args[1], constant(0));
              Value safeScale =
                  arith::SelectOp::create(b, l, empty, constant(1), args[1]);
              Value zeroPoint =
                  isUnsigned
                      ? arith::UIToFPOp::create(b, l, f32, args[2]).getResult()
                      : arith::SIToFPOp::create(b, l, f32, args[2]).getResult();
              Value scaled = math::RoundEvenOp::create(
                  b, l, arith::DivFOp::create(b, l, args[0], safeScale));
              Value q = arith::MinimumFOp::create(
                  b, l,
                  arith::MaximumFOp::create(
                      b, l, arith::AddFOp::create(b, l, scaled, zeroPoint),
                      constant(qmin)),
                  constant(qmax));
              Value stored =
                  isUnsigned ? arith::FPToUIOp::create(b, l, i8, q).getResult()
                             : arith::FPToSIOp::create(b, l, i8, q).getResult();
              linalg::YieldOp::create(b, l, stored);
            })
            .getResult(0);
    rewriter.replaceOp(op, {output, scale, zeroPoint});
    return success();
  }
};

} // namespace

void tamp::populateIntegerKernelPatterns(const TypeConverter &converter,
                                         RewritePatternSet &patterns) {
  patterns
      .add<QuantizeCastLowering, DequantizeCastLowering, StorageCastLowering,
           QuantizedClampLowering, DynamicQuantizeLowering>(
          converter, patterns.getContext());
}
