//===- QuantOps.cpp - Lowering tamp quantize/dequantize to linalg ---------===//
//
// Quantize and dequantize become element-wise linalg.generic ops over the
// input that read the scale (and zero point) through an indexing map
// selecting its granularity: per tensor (a constant map), per axis (the axis
// dimension) or blocked (the axis dimension divided by the block size).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "Patterns.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace tamp::lowering;

/// The map reading a scale (or zero point) of `scaleType` in a loop nest over
/// an input of rank `rank`, or failure when the granularity is not one
/// quantize/dequantize allow.
static FailureOr<AffineMap> getScaleMap(RankedTensorType scaleType,
                                        int64_t rank, int64_t axis,
                                        int64_t blockSize, MLIRContext *ctx) {
  bool perTensor = scaleType.getRank() == 0 ||
                   (scaleType.getRank() == 1 && scaleType.getDimSize(0) == 1);
  if (blockSize == 0 && perTensor) {
    SmallVector<AffineExpr> exprs(scaleType.getRank(),
                                  getAffineConstantExpr(0, ctx));
    return AffineMap::get(rank, 0, exprs, ctx);
  }
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return failure();
  if (blockSize == 0) {
    if (scaleType.getRank() != 1)
      return failure();
    return AffineMap::get(rank, 0, getAffineDimExpr(axis, ctx));
  }
  if (scaleType.getRank() != rank)
    return failure();
  SmallVector<AffineExpr> exprs;
  for (int64_t dim = 0; dim < rank; ++dim) {
    AffineExpr expr = getAffineDimExpr(dim, ctx);
    exprs.push_back(dim == axis ? expr.floorDiv(blockSize) : expr);
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}

/// A generic over `input`'s shape reading `operands` (input first) with
/// `maps` and computing each element with `body`.
static Value buildQuantGeneric(OpBuilder &b, Location loc, Value input,
                               ValueRange operands, ArrayRef<AffineMap> maps,
                               Type resultElementType, ScalarBodyBuilder body) {
  auto inputType = cast<RankedTensorType>(input.getType());
  Value init = createEmpty(b, loc, getSizes(b, loc, input), resultElementType);
  SmallVector<AffineMap> allMaps(maps);
  allMaps.push_back(b.getMultiDimIdentityMap(inputType.getRank()));
  SmallVector<utils::IteratorType> iterators(inputType.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), operands, init, allMaps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc,
                                body(nested, nestedLoc, args.drop_back()));
      });
  return generic.getResult(0);
}

/// The float type quantization arithmetic runs in: f64 when an operand is
/// f64, f32 otherwise (f16/bf16 inputs widen, as ONNX computes in float).
static FloatType getComputeType(OpBuilder &b, Type lhs, Type rhs) {
  if (lhs.isF64() || rhs.isF64())
    return b.getF64Type();
  return b.getF32Type();
}

static Value toFloat(OpBuilder &b, Location loc, Value value, Type original,
                     FloatType type) {
  return convertScalar(b, loc, value, original, type);
}

namespace {

struct QuantizeLowering : OpConversionPattern<tamp::QuantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::QuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Type storageType = getElementTypeOrSelf(op.getType());
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    int64_t rank = resultType.getRank();
    auto scaleType = cast<RankedTensorType>(adaptor.getScale().getType());
    FailureOr<AffineMap> scaleMap = getScaleMap(
        scaleType, rank, static_cast<int64_t>(op.getAxis()),
        static_cast<int64_t>(op.getBlockSize()), rewriter.getContext());
    if (failed(scaleMap))
      return notLowerable(rewriter, op, "unsupported scale granularity");

    SmallVector<Value> operands = {input, adaptor.getScale()};
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank),
                                   *scaleMap};
    if (Value zeroPoint = adaptor.getZeroPoint()) {
      operands.push_back(zeroPoint);
      maps.push_back(*scaleMap);
    }
    Type inputElement = getElementTypeOrSelf(op.getInput().getType());
    Type scaleElement = getElementTypeOrSelf(op.getScale().getType());
    FloatType computeType =
        getComputeType(rewriter, inputElement, scaleElement);
    Type signlessStorage = resultType.getElementType();
    if (auto floatStorage = dyn_cast<FloatType>(storageType)) {
      // Float storage: the conversion rounds (to nearest even) and, with
      // `saturate` or for formats without infinities and NaNs, clamps. The
      // zero point is added as for integers: ONNX keeps the formula for
      // float types although their zero points are usually zero.
      bool saturate = op.getSaturate();
      Value result = buildQuantGeneric(
          rewriter, loc, input, operands, maps, signlessStorage,
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            Value x = toFloat(b, l, args[0], inputElement, computeType);
            Value scale = toFloat(b, l, args[1], scaleElement, computeType);
            Value q = arith::DivFOp::create(b, l, x, scale);
            if (args.size() > 2)
              q = arith::AddFOp::create(
                  b, l, q, toFloat(b, l, args[2], storageType, computeType));
            return convertScalar(b, l, q, computeType, storageType, saturate);
          });
      if (result.getType() != resultType)
        result = tensor::CastOp::create(rewriter, loc, resultType, result);
      rewriter.replaceOp(op, result);
      return success();
    }
    bool unsignedStorage = isUnsigned(storageType);
    unsigned width = storageType.getIntOrFloatBitWidth();
    APInt low = unsignedStorage ? APInt::getMinValue(width)
                                : APInt::getSignedMinValue(width);
    APInt high = unsignedStorage ? APInt::getMaxValue(width)
                                 : APInt::getSignedMaxValue(width);
    double lowValue = unsignedStorage ? static_cast<double>(low.getZExtValue())
                                      : static_cast<double>(low.getSExtValue());
    double highValue = unsignedStorage
                           ? static_cast<double>(high.getZExtValue())
                           : static_cast<double>(high.getSExtValue());

    Value result = buildQuantGeneric(
        rewriter, loc, input, operands, maps, signlessStorage,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value x = toFloat(b, l, args[0], inputElement, computeType);
          Value scale = toFloat(b, l, args[1], scaleElement, computeType);
          Value q = math::RoundEvenOp::create(
              b, l, arith::DivFOp::create(b, l, x, scale));
          if (args.size() > 2)
            q = arith::AddFOp::create(
                b, l, q, toFloat(b, l, args[2], storageType, computeType));
          // Saturate in float, then convert: the bounds of 32-bit types do
          // not round-trip through f32, so out-of-range values select the
          // integer bound instead of converting. NaN (which has no integer
          // conversion) selects the lower bound, as numpy's reference gets
          // on x86 (NaN converts to INT32_MIN, then clips).
          Value lowFloat = createScalarConstant(b, l, computeType, lowValue);
          Value highFloat = createScalarConstant(b, l, computeType, highValue);
          Value isLow = arith::CmpFOp::create(b, l, arith::CmpFPredicate::ULE,
                                              q, lowFloat);
          Value isHigh = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE,
                                               q, highFloat);
          Value clamped = arith::MaximumFOp::create(
              b, l, arith::MinimumFOp::create(b, l, q, highFloat), lowFloat);
          Value converted =
              unsignedStorage
                  ? arith::FPToUIOp::create(b, l, signlessStorage, clamped)
                        .getResult()
                  : arith::FPToSIOp::create(b, l, signlessStorage, clamped)
                        .getResult();
          Value lowInt = arith::ConstantOp::create(
              b, l, IntegerAttr::get(signlessStorage, low));
          Value highInt = arith::ConstantOp::create(
              b, l, IntegerAttr::get(signlessStorage, high));
          converted = arith::SelectOp::create(b, l, isLow, lowInt, converted);
          return arith::SelectOp::create(b, l, isHigh, highInt, converted);
        });
    if (result.getType() != resultType)
      result = tensor::CastOp::create(rewriter, loc, resultType, result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct DequantizeLowering : OpConversionPattern<tamp::DequantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::DequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Type storageType = getElementTypeOrSelf(op.getInput().getType());
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    int64_t rank = resultType.getRank();
    auto scaleType = cast<RankedTensorType>(adaptor.getScale().getType());
    FailureOr<AffineMap> scaleMap = getScaleMap(
        scaleType, rank, static_cast<int64_t>(op.getAxis()),
        static_cast<int64_t>(op.getBlockSize()), rewriter.getContext());
    if (failed(scaleMap))
      return notLowerable(rewriter, op, "unsupported scale granularity");

    SmallVector<Value> operands = {input, adaptor.getScale()};
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank),
                                   *scaleMap};
    if (Value zeroPoint = adaptor.getZeroPoint()) {
      operands.push_back(zeroPoint);
      maps.push_back(*scaleMap);
    }
    Type scaleElement = getElementTypeOrSelf(op.getScale().getType());
    FloatType computeType =
        getComputeType(rewriter, scaleElement, scaleElement);
    Type resultElement = resultType.getElementType();
    Value result = buildQuantGeneric(
        rewriter, loc, input, operands, maps, resultElement,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value x = toFloat(b, l, args[0], storageType, computeType);
          if (args.size() > 2)
            x = arith::SubFOp::create(
                b, l, x, toFloat(b, l, args[2], storageType, computeType));
          Value scale = toFloat(b, l, args[1], scaleElement, computeType);
          Value y = arith::MulFOp::create(b, l, x, scale);
          return convertScalar(b, l, y, computeType, resultElement);
        });
    if (result.getType() != resultType)
      result = tensor::CastOp::create(rewriter, loc, resultType, result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Unpacks with one element-wise generic over the result: element j of a row
/// reads the byte holding its first bit and, for widths that do not divide
/// 8, the byte holding its last bit (the same byte unless the value
/// straddles two), joins them into a 16-bit word, shifts its bits down and
/// truncates. The byte index is an affine function of j, so the generic
/// fuses with the dequantization that consumes it.
struct UnpackBitsLowering : OpConversionPattern<tamp::UnpackBitsOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::UnpackBitsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value input = adaptor.getInput();
    int64_t rank = resultType.getRank();
    int64_t bits = op.getBitWidth();

    // The first and last byte of element j: (j * bits) floordiv 8 and
    // (j * bits + bits - 1) floordiv 8.
    auto byteMap = [&](int64_t bitOffset) {
      SmallVector<AffineExpr> exprs;
      for (int64_t dim = 0; dim < rank - 1; ++dim)
        exprs.push_back(getAffineDimExpr(dim, ctx));
      exprs.push_back(
          (getAffineDimExpr(rank - 1, ctx) * bits + bitOffset).floorDiv(8));
      return AffineMap::get(rank, 0, exprs, ctx);
    };
    bool mayStraddle = 8 % bits != 0;
    SmallVector<Value> inputs = {input};
    SmallVector<AffineMap> maps = {byteMap(0)};
    if (mayStraddle) {
      inputs.push_back(input);
      maps.push_back(byteMap(bits - 1));
    }
    maps.push_back(rewriter.getMultiDimIdentityMap(rank));

    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, input);
    sizes.back() = rewriter.getIndexAttr(resultType.getDimSize(rank - 1));
    Type elementType = resultType.getElementType();
    Value init = createEmpty(rewriter, loc, sizes, elementType);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, init.getType(), inputs, init, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Type wordType = b.getI16Type();
          Value word = arith::ExtUIOp::create(b, l, wordType, args[0]);
          if (mayStraddle) {
            Value high = arith::ExtUIOp::create(b, l, wordType, args[1]);
            Value eight =
                arith::ConstantOp::create(b, l, b.getIntegerAttr(wordType, 8));
            word = arith::OrIOp::create(
                b, l, word, arith::ShLIOp::create(b, l, high, eight));
          }
          // The bit offset of element j within its first byte.
          Value index = linalg::IndexOp::create(b, l, rank - 1);
          Value firstBit = arith::MulIOp::create(
              b, l, index, arith::ConstantIndexOp::create(b, l, bits));
          Value offset = arith::RemUIOp::create(
              b, l, firstBit, arith::ConstantIndexOp::create(b, l, 8));
          Value shift = arith::IndexCastUIOp::create(b, l, wordType, offset);
          Value shifted = arith::ShRUIOp::create(b, l, word, shift);
          linalg::YieldOp::create(
              b, l,
              arith::TruncIOp::create(b, l, elementType, shifted).getResult());
        });
    Value result = generic.getResult(0);
    if (result.getType() != resultType)
      result = tensor::CastOp::create(rewriter, loc, resultType, result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void tamp::populateQuantToLinalgPatterns(const TypeConverter &converter,
                                         RewritePatternSet &patterns) {
  patterns.add<QuantizeLowering, DequantizeLowering, UnpackBitsLowering>(
      converter, patterns.getContext());
}
