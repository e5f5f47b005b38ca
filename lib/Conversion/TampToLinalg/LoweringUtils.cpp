//===- LoweringUtils.cpp - Shared helpers of the tamp lowering ------------===//

#include "LoweringUtils.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/AffineMap.h"

using namespace mlir;

namespace tamp::lowering {

std::string describeOp(Operation *op) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (std::optional<StringRef> name = getNodeName(op->getLoc()))
    os << "node '" << *name << "' ";
  os << "(" << op->getName() << ")";
  return text;
}

bool isUnsigned(Type type) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    type = shaped.getElementType();
  return type.isUnsignedInteger();
}

RankedTensorType convertTensorType(const TypeConverter &converter, Type type) {
  return cast<RankedTensorType>(converter.convertType(type));
}

SmallVector<OpFoldResult> getSizes(OpBuilder &b, Location loc, Value tensor) {
  return tensor::getMixedSizes(b, loc, tensor);
}

Value createEmpty(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
                  Type elementType) {
  return tensor::EmptyOp::create(b, loc, sizes, elementType);
}

bool hasZeroSize(ArrayRef<OpFoldResult> sizes) {
  return llvm::any_of(
      sizes, [](OpFoldResult size) { return isConstantIntValue(size, 0); });
}

Value createExtractSlice(OpBuilder &b, Location loc, Value source,
                         ArrayRef<OpFoldResult> offsets,
                         ArrayRef<OpFoldResult> sizes,
                         ArrayRef<OpFoldResult> strides) {
  if (hasZeroSize(sizes))
    return createEmpty(b, loc, sizes, getElementTypeOrSelf(source.getType()));
  return tensor::ExtractSliceOp::create(b, loc, source, offsets, sizes,
                                        strides);
}

Value createInsertSlice(OpBuilder &b, Location loc, Value source, Value dest,
                        ArrayRef<OpFoldResult> offsets,
                        ArrayRef<OpFoldResult> sizes,
                        ArrayRef<OpFoldResult> strides) {
  if (hasZeroSize(sizes))
    return dest;
  return tensor::InsertSliceOp::create(b, loc, source, dest, offsets, sizes,
                                       strides);
}

Value createFilled(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
                   Value scalar) {
  Value empty = createEmpty(b, loc, sizes, scalar.getType());
  return linalg::FillOp::create(b, loc, scalar, empty).getResult(0);
}

Value createScalarConstant(OpBuilder &b, Location loc, Type type,
                           double value) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(floatType, value));
  if (type.isIndex())
    return arith::ConstantIndexOp::create(b, loc, static_cast<int64_t>(value));
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

static Value createExtremeValue(OpBuilder &b, Location loc, Type type,
                                bool isUnsignedInt, bool highest) {
  if (auto floatType = dyn_cast<FloatType>(type)) {
    // Infinities keep max/min reductions exact when inputs hold them.
    APFloat inf = APFloat::getInf(floatType.getFloatSemantics(), !highest);
    return arith::ConstantOp::create(b, loc, FloatAttr::get(floatType, inf));
  }
  unsigned width = type.getIntOrFloatBitWidth();
  APInt bound;
  if (width == 1)
    bound = APInt(1, highest ? 1 : 0);
  else if (isUnsignedInt)
    bound = highest ? APInt::getMaxValue(width) : APInt::getMinValue(width);
  else
    bound = highest ? APInt::getSignedMaxValue(width)
                    : APInt::getSignedMinValue(width);
  return arith::ConstantOp::create(b, loc, IntegerAttr::get(type, bound));
}

Value createLowestValue(OpBuilder &b, Location loc, Type type,
                        bool isUnsignedInt) {
  return createExtremeValue(b, loc, type, isUnsignedInt, /*highest=*/false);
}

Value createHighestValue(OpBuilder &b, Location loc, Type type,
                         bool isUnsignedInt) {
  return createExtremeValue(b, loc, type, isUnsignedInt, /*highest=*/true);
}

void emitRuntimeCheck(OpBuilder &b, Location loc, Value condition,
                      const Twine &message) {
  cf::AssertOp::create(b, loc, condition, message.str());
}

LogicalResult assertEqualSizes(OpBuilder &b, Location loc, OpFoldResult lhs,
                               OpFoldResult rhs, const Twine &message) {
  std::optional<int64_t> lhsConst = getConstantIntValue(lhs);
  std::optional<int64_t> rhsConst = getConstantIntValue(rhs);
  if (lhsConst && rhsConst)
    return success(*lhsConst == *rhsConst);
  if (lhs == rhs)
    return success();
  Value equal =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                            getValueOrCreateConstantIndexOp(b, loc, lhs),
                            getValueOrCreateConstantIndexOp(b, loc, rhs));
  emitRuntimeCheck(b, loc, equal, message);
  return success();
}

AffineMap getBroadcastMap(RankedTensorType operandType,
                          RankedTensorType resultType) {
  MLIRContext *ctx = resultType.getContext();
  int64_t resultRank = resultType.getRank();
  int64_t offset = resultRank - operandType.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t dim = 0; dim < operandType.getRank(); ++dim) {
    int64_t resultDim = dim + offset;
    if (operandType.getDimSize(dim) == 1 &&
        resultType.getDimSize(resultDim) != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(resultDim, ctx));
  }
  return AffineMap::get(resultRank, /*symbolCount=*/0, exprs, ctx);
}

SmallVector<OpFoldResult> getBroadcastSizes(OpBuilder &b, Location loc,
                                            Operation *op, ValueRange operands,
                                            RankedTensorType resultType) {
  int64_t resultRank = resultType.getRank();
  SmallVector<OpFoldResult> sizes;
  for (int64_t resultDim = 0; resultDim < resultRank; ++resultDim) {
    if (!resultType.isDynamicDim(resultDim)) {
      sizes.push_back(b.getIndexAttr(resultType.getDimSize(resultDim)));
      continue;
    }
    // Every operand that is not broadcast along this dimension has its size;
    // the first one defines it and the others must agree.
    OpFoldResult size;
    for (auto [index, operand] : llvm::enumerate(operands)) {
      auto type = cast<RankedTensorType>(operand.getType());
      int64_t dim = resultDim - (resultRank - type.getRank());
      if (dim < 0 || type.getDimSize(dim) == 1)
        continue;
      OpFoldResult operandSize =
          type.isDynamicDim(dim)
              ? OpFoldResult(
                    tensor::DimOp::create(b, loc, operand, dim).getResult())
              : OpFoldResult(b.getIndexAttr(type.getDimSize(dim)));
      if (!size) {
        size = operandSize;
        continue;
      }
      (void)assertEqualSizes(
          b, loc, size, operandSize,
          describeOp(op) + ": operand " + Twine(index) + " has size " +
              "that does not broadcast along dimension " + Twine(resultDim) +
              " (dynamic sizes broadcast only when they are equal)");
    }
    // All operands are size 1 here: the result is too.
    sizes.push_back(size ? size : b.getIndexAttr(1));
  }
  return sizes;
}

Value buildElementwise(OpBuilder &b, Location loc, Operation *op,
                       ValueRange operands, RankedTensorType resultType,
                       ScalarBodyBuilder body) {
  SmallVector<OpFoldResult> sizes =
      getBroadcastSizes(b, loc, op, operands, resultType);
  Value init = createEmpty(b, loc, sizes, resultType.getElementType());
  SmallVector<AffineMap> maps;
  for (Value operand : operands)
    maps.push_back(
        getBroadcastMap(cast<RankedTensorType>(operand.getType()), resultType));
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), operands, init, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = body(nested, nestedLoc, args.drop_back());
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  Value result = generic.getResult(0);
  if (result.getType() != resultType)
    result = tensor::CastOp::create(b, loc, resultType, result);
  return result;
}

bool isNarrowFloat(Type type) {
  auto floatType = dyn_cast<FloatType>(getElementTypeOrSelf(type));
  return floatType && floatType.getWidth() < 16;
}

/// The f8E8M0FNU (a biased power-of-two exponent) nearest the f32 `value`
/// as `mode` says, with ONNX's rules: NaN and infinities become the NaN
/// encoding 0xFF, and with `saturate` nothing rounds up to it. The sign is
/// ignored (negative values are undefined in ONNX).
static Value truncToE8M0(OpBuilder &b, Location loc, Value value,
                         FloatType target, bool saturate, RoundMode mode) {
  Type i32 = b.getI32Type();
  auto constant = [&](int64_t v) {
    return arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(v))
        .getResult();
  };
  auto isSet = [&](Value bits, int64_t mask) {
    Value masked = arith::AndIOp::create(b, loc, bits, constant(mask));
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, masked,
                                 constant(0))
        .getResult();
  };
  Value bits = arith::BitcastOp::create(b, loc, i32, value);
  Value exponent = arith::AndIOp::create(
      b, loc, arith::ShRUIOp::create(b, loc, bits, constant(23)),
      constant(0xFF));
  Value roundUp;
  switch (mode) {
  case RoundMode::down:
    break;
  case RoundMode::up:
    // Any fraction rounds away from zero.
    roundUp = isSet(bits, 0x7FFFFF);
    break;
  case RoundMode::nearest: {
    // Above half way rounds up; ONNX's reference (onnx.numpy_helper.
    // to_float8e8m0) also rounds ties up, except from the exponent field 0.
    Value guard = isSet(bits, 0x400000);
    Value rest = isSet(bits, 0x3FFFFF);
    Value odd = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                      exponent, constant(0));
    roundUp = arith::AndIOp::create(b, loc, guard,
                                    arith::OrIOp::create(b, loc, rest, odd));
    break;
  }
  }
  if (roundUp) {
    Value isSpecial = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                            exponent, constant(0xFF));
    // Infinities and NaNs keep their 0xFF; with saturation the largest
    // exponent (0xFE) does not round up to it.
    Value notSpecial = arith::XOrIOp::create(
        b, loc, isSpecial,
        arith::ConstantOp::create(b, loc, b.getBoolAttr(true)));
    roundUp = arith::AndIOp::create(b, loc, roundUp, notSpecial);
    if (saturate) {
      Value belowLargest = arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::ne, exponent, constant(0xFE));
      roundUp = arith::AndIOp::create(b, loc, roundUp, belowLargest);
    }
    exponent = arith::AddIOp::create(
        b, loc, exponent, arith::ExtUIOp::create(b, loc, i32, roundUp));
  }
  Value byte = arith::TruncIOp::create(b, loc, b.getI8Type(), exponent);
  return arith::BitcastOp::create(b, loc, target, byte);
}

/// The f32 value of the f8E8M0FNU `value`: 2^(e - 127), NaN for 0xFF.
static Value extFromE8M0(OpBuilder &b, Location loc, Value value) {
  Type i32 = b.getI32Type();
  auto constant = [&](int64_t v) {
    return arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(v))
        .getResult();
  };
  Value exponent = arith::ExtUIOp::create(
      b, loc, i32, arith::BitcastOp::create(b, loc, b.getI8Type(), value));
  // The exponent field of f32 is the same biased exponent; 2^-127 (field 0)
  // is the f32 subnormal 0x00400000.
  Value normal = arith::ShLIOp::create(b, loc, exponent, constant(23));
  Value isSmallest = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                           exponent, constant(0));
  Value isNaN = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                      exponent, constant(0xFF));
  Value bits =
      arith::SelectOp::create(b, loc, isSmallest, constant(0x00400000), normal);
  bits = arith::SelectOp::create(b, loc, isNaN, constant(0x7FC00000), bits);
  return arith::BitcastOp::create(b, loc, b.getF32Type(), bits);
}

/// `value` (a float of 16 bits or more) rounded to the narrow float
/// `target` with ONNX Cast semantics. With `saturate` (and always for
/// formats with neither infinities nor NaNs, such as f4E2M1FN) values
/// beyond the largest finite one, infinities included, clamp to it; NaN
/// stays NaN, or becomes 0 where the format has no NaN. Without it the
/// rounding overflows as IEEE arithmetic does: to Inf where the format has
/// one, to NaN otherwise.
static Value truncToNarrowFloat(OpBuilder &b, Location loc, Value value,
                                FloatType target, bool saturate,
                                RoundMode roundMode) {
  auto sourceType = cast<FloatType>(value.getType());
  if (isa<Float8E8M0FNUType>(target)) {
    if (!sourceType.isF32())
      value =
          sourceType.getWidth() < 32
              ? arith::ExtFOp::create(b, loc, b.getF32Type(), value).getResult()
              : arith::TruncFOp::create(b, loc, b.getF32Type(), value)
                    .getResult();
    return truncToE8M0(b, loc, value, target, saturate, roundMode);
  }
  const llvm::fltSemantics &semantics = target.getFloatSemantics();
  bool hasNaN = APFloat::semanticsHasNaN(semantics);
  bool finiteOnly = !hasNaN && !APFloat::semanticsHasInf(semantics);
  if (saturate || finiteOnly) {
    // The largest narrow values have few mantissa bits: f16 and bf16 hold
    // them exactly, so the clamp happens in the source type.
    APFloat largest = APFloat::getLargest(semantics);
    bool losesInfo = false;
    largest.convert(sourceType.getFloatSemantics(),
                    APFloat::rmNearestTiesToEven, &losesInfo);
    if (losesInfo) {
      value = arith::ExtFOp::create(b, loc, b.getF32Type(), value);
      return truncToNarrowFloat(b, loc, value, target, saturate, roundMode);
    }
    Value high =
        arith::ConstantOp::create(b, loc, FloatAttr::get(sourceType, largest));
    Value low = arith::NegFOp::create(b, loc, high);
    // minimumf/maximumf propagate NaN.
    value = arith::MinimumFOp::create(
        b, loc, arith::MaximumFOp::create(b, loc, value, low), high);
  }
  if (!hasNaN) {
    Value isNaN =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, value, value);
    value = arith::SelectOp::create(
        b, loc, isNaN, createScalarConstant(b, loc, sourceType, 0.0), value);
  }
  return arith::TruncFOp::create(b, loc, target, value);
}

Value convertScalar(OpBuilder &b, Location loc, Value value, Type fromType,
                    Type toType, bool saturate, RoundMode roundMode) {
  if (auto shaped = dyn_cast<ShapedType>(fromType))
    fromType = shaped.getElementType();
  if (auto shaped = dyn_cast<ShapedType>(toType))
    toType = shaped.getElementType();
  Type source = value.getType();
  Type target = toType.isInteger() && !toType.isSignlessInteger()
                    ? b.getIntegerType(toType.getIntOrFloatBitWidth())
                    : toType;
  if (source == target)
    return value;
  bool fromUnsigned = fromType.isUnsignedInteger() || fromType.isInteger(1);
  bool toUnsigned = toType.isUnsignedInteger();

  // Narrow floats only convert to and from wider floats: other conversions
  // go through f32 (which holds every narrow value exactly).
  if (isNarrowFloat(source) &&
      (!isa<FloatType>(target) || isNarrowFloat(target) ||
       isa<Float8E8M0FNUType>(source))) {
    Value wide =
        isa<Float8E8M0FNUType>(source)
            ? extFromE8M0(b, loc, value)
            : arith::ExtFOp::create(b, loc, b.getF32Type(), value).getResult();
    return convertScalar(b, loc, wide, b.getF32Type(), toType, saturate,
                         roundMode);
  }
  if (auto narrowTarget = dyn_cast<FloatType>(target);
      narrowTarget && isNarrowFloat(narrowTarget)) {
    if (!isa<FloatType>(source)) {
      // Integers of up to 24 bits are exact in f32, wider ones in f64 (up
      // to 53 bits), so the value rounds once.
      FloatType wide = source.getIntOrFloatBitWidth() <= 24
                           ? FloatType(b.getF32Type())
                           : FloatType(b.getF64Type());
      value = convertScalar(b, loc, value, fromType, wide);
    }
    return truncToNarrowFloat(b, loc, value, narrowTarget, saturate, roundMode);
  }

  if (auto targetFloat = dyn_cast<FloatType>(target)) {
    if (auto sourceFloat = dyn_cast<FloatType>(source)) {
      if (sourceFloat.getWidth() < targetFloat.getWidth())
        return arith::ExtFOp::create(b, loc, target, value);
      return arith::TruncFOp::create(b, loc, target, value);
    }
    if (fromUnsigned)
      return arith::UIToFPOp::create(b, loc, target, value);
    return arith::SIToFPOp::create(b, loc, target, value);
  }

  // Integer (or bool) targets.
  if (target.isInteger(1)) {
    if (isa<FloatType>(source))
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, value,
                                   createScalarConstant(b, loc, source, 0.0));
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, value,
                                 createScalarConstant(b, loc, source, 0.0));
  }
  unsigned targetWidth = target.getIntOrFloatBitWidth();
  if (isa<FloatType>(source)) {
    // Sub-byte integers wrap like numpy's (ml_dtypes') casts: truncate
    // towards zero in 32 bits, then keep the low bits (a direct conversion
    // of an out-of-range value would be poison).
    if (targetWidth < 8) {
      Value wide = arith::FPToSIOp::create(b, loc, b.getI32Type(), value);
      return arith::TruncIOp::create(b, loc, target, wide);
    }
    if (toUnsigned)
      return arith::FPToUIOp::create(b, loc, target, value);
    return arith::FPToSIOp::create(b, loc, target, value);
  }
  unsigned sourceWidth = source.getIntOrFloatBitWidth();
  if (sourceWidth > targetWidth)
    return arith::TruncIOp::create(b, loc, target, value);
  if (fromUnsigned)
    return arith::ExtUIOp::create(b, loc, target, value);
  return arith::ExtSIOp::create(b, loc, target, value);
}

LogicalResult notLowerable(ConversionPatternRewriter &rewriter, Operation *op,
                           const Twine &why) {
  op->emitError() << "cannot lower " << op->getName() << ": " << why;
  return rewriter.notifyMatchFailure(op, why);
}

Value createSigmoid(OpBuilder &b, Location loc, Value x) {
  Value one = createScalarConstant(b, loc, x.getType(), 1);
  Value negExp = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  return arith::DivFOp::create(b, loc, one,
                               arith::AddFOp::create(b, loc, one, negExp));
}

Value createHardSigmoid(OpBuilder &b, Location loc, Value x, double alpha,
                        double beta) {
  Type type = x.getType();
  Value linear = arith::AddFOp::create(
      b, loc,
      arith::MulFOp::create(b, loc, createScalarConstant(b, loc, type, alpha),
                            x),
      createScalarConstant(b, loc, type, beta));
  Value upper = arith::MinimumFOp::create(
      b, loc, linear, createScalarConstant(b, loc, type, 1));
  return arith::MaximumFOp::create(b, loc, upper,
                                   createScalarConstant(b, loc, type, 0));
}

Value createGelu(OpBuilder &b, Location loc, Value x, bool tanhApproximation) {
  Type type = x.getType();
  auto constant = [&](double value) {
    return createScalarConstant(b, loc, type, value);
  };
  Value inner;
  if (tanhApproximation) {
    // tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))
    Value cube =
        arith::MulFOp::create(b, loc, x, arith::MulFOp::create(b, loc, x, x));
    Value poly = arith::AddFOp::create(
        b, loc, x, arith::MulFOp::create(b, loc, constant(0.044715), cube));
    inner = math::TanhOp::create(
        b, loc,
        arith::MulFOp::create(b, loc, constant(0.79788456080286535588), poly));
  } else {
    // erf(x / sqrt(2))
    inner = math::ErfOp::create(
        b, loc,
        arith::MulFOp::create(b, loc, x, constant(0.70710678118654752440)));
  }
  Value halfX = arith::MulFOp::create(b, loc, constant(0.5), x);
  return arith::MulFOp::create(
      b, loc, halfX, arith::AddFOp::create(b, loc, constant(1), inner));
}

Value createActivation(OpBuilder &b, Location loc, Value x,
                       Activation activation, std::optional<double> min,
                       std::optional<double> max) {
  Type type = x.getType();
  switch (activation) {
  case Activation::none:
    return x;
  case Activation::clamp:
    // NaN-propagating, as tamp.clamp is.
    if (min)
      x = arith::MaximumFOp::create(b, loc, x,
                                    createScalarConstant(b, loc, type, *min));
    if (max)
      x = arith::MinimumFOp::create(b, loc, x,
                                    createScalarConstant(b, loc, type, *max));
    return x;
  case Activation::gelu:
    return createGelu(b, loc, x, /*tanhApproximation=*/false);
  case Activation::gelu_tanh:
    return createGelu(b, loc, x, /*tanhApproximation=*/true);
  case Activation::sigmoid:
    return createSigmoid(b, loc, x);
  case Activation::silu:
    return arith::MulFOp::create(b, loc, x, createSigmoid(b, loc, x));
  case Activation::hard_swish:
    return arith::MulFOp::create(b, loc, x,
                                 createHardSigmoid(b, loc, x, 1.0 / 6.0, 0.5));
  case Activation::tanh:
    return math::TanhOp::create(b, loc, x);
  }
  llvm_unreachable("every activation is handled");
}

Value applyActivation(OpBuilder &b, Location loc, Value tensor,
                      Activation activation, std::optional<double> min,
                      std::optional<double> max) {
  if (activation == Activation::none)
    return tensor;
  auto type = cast<RankedTensorType>(tensor.getType());
  int64_t rank = type.getRank();
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  Value init =
      createEmpty(b, loc, getSizes(b, loc, tensor), type.getElementType());
  return linalg::GenericOp::create(
             b, loc, init.getType(), tensor, init,
             ArrayRef<AffineMap>{identity, identity},
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
               linalg::YieldOp::create(nested, nestedLoc,
                                       createActivation(nested, nestedLoc,
                                                        args[0], activation,
                                                        min, max));
             })
      .getResult(0);
}

Value applyEpilogue(OpBuilder &b, Location loc, Value result, Operation *op) {
  auto toDouble = [](std::optional<APFloat> value) -> std::optional<double> {
    if (!value)
      return std::nullopt;
    return value->convertToDouble();
  };
  if (auto conv = dyn_cast<ConvOp>(op))
    return applyActivation(b, loc, result, conv.getActivation(),
                           toDouble(conv.getActivationMin()),
                           toDouble(conv.getActivationMax()));
  auto linear = cast<LinearOp>(op);
  return applyActivation(b, loc, result, linear.getActivation(),
                         toDouble(linear.getActivationMin()),
                         toDouble(linear.getActivationMax()));
}

} // namespace tamp::lowering
