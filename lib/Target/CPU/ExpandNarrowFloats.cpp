//===- ExpandNarrowFloats.cpp - Narrow float conversions as bit arithmetic ===//
//
// LLVM has no 8-, 6- or 4-bit float types, so conversions to and from them
// become integer arithmetic on their bits. Everything about a format comes
// from its llvm::fltSemantics (through APFloat), so one expansion serves
// every such format: f8E4M3FN, f8E5M2, the FNUZ variants, f4E2M1FN, ...
//
//===----------------------------------------------------------------------===//

#include "tamp/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/APFloat.h"

namespace tamp {
#define GEN_PASS_DEF_EXPANDNARROWFLOATS
#include "tamp/Target/CPU/Passes.h.inc"
} // namespace tamp

using namespace mlir;

/// Whether LLVM has no type for `type`'s elements: floats narrower than 16
/// bits.
static bool isNarrowFloat(Type type) {
  auto floatType = dyn_cast<FloatType>(getElementTypeOrSelf(type));
  return floatType && floatType.getWidth() < 16;
}

/// `elementType` in the shape of `like` (a vector) or alone (a scalar).
static Type getTypeLike(Type like, Type elementType) {
  if (auto vectorType = dyn_cast<VectorType>(like))
    return vectorType.clone(elementType);
  return elementType;
}

namespace {

/// The layout of a narrow float format, read from its fltSemantics.
struct NarrowFormat {
  unsigned width;            // bits of the encoding
  unsigned mantissaBits;     // explicit mantissa bits
  int minExponent;           // unbiased exponent of the smallest normal
  bool hasZero;              // false: the smallest exponent field is normal
  bool hasSign;              // whether the top bit is a sign bit
  bool hasInf;               // IEEE-like: exponent all ones is Inf/NaN
  bool hasNaN;               // whether NaN has an encoding
  bool hasNegativeZero;      // false for the FNUZ formats
  uint64_t largestMagnitude; // encoding of the largest finite value
  uint64_t infMagnitude;     // encoding of +Inf (when hasInf)
  uint64_t positiveNaN;      // encodings of the quiet NaNs (when hasNaN)
  uint64_t negativeNaN;

  explicit NarrowFormat(FloatType type) {
    const llvm::fltSemantics &semantics = type.getFloatSemantics();
    width = type.getWidth();
    mantissaBits = llvm::APFloat::semanticsPrecision(semantics) - 1;
    minExponent = llvm::APFloat::semanticsMinExponent(semantics);
    hasZero = llvm::APFloat::semanticsHasZero(semantics);
    hasSign = llvm::APFloat::semanticsHasSignedRepr(semantics);
    hasInf = llvm::APFloat::semanticsHasInf(semantics);
    hasNaN = llvm::APFloat::semanticsHasNaN(semantics);
    largestMagnitude =
        llvm::APFloat::getLargest(semantics).bitcastToAPInt().getZExtValue();
    infMagnitude =
        hasInf
            ? llvm::APFloat::getInf(semantics).bitcastToAPInt().getZExtValue()
            : 0;
    positiveNaN = hasNaN ? llvm::APFloat::getQNaN(semantics, false)
                               .bitcastToAPInt()
                               .getZExtValue()
                         : 0;
    negativeNaN = hasNaN && hasSign ? llvm::APFloat::getQNaN(semantics, true)
                                          .bitcastToAPInt()
                                          .getZExtValue()
                                    : positiveNaN;
    // APFloat merges -0 into +0 where the -0 encoding is a NaN.
    hasNegativeZero =
        hasZero && hasSign &&
        llvm::APFloat::getZero(semantics, true).bitcastToAPInt() !=
            llvm::APFloat::getZero(semantics, false).bitcastToAPInt();
  }

  unsigned exponentBits() const {
    return width - mantissaBits - (hasSign ? 1 : 0);
  }
  uint64_t magnitudeMask() const {
    return (uint64_t{1} << (width - (hasSign ? 1 : 0))) - 1;
  }
  /// The largest unbiased exponent of a finite value.
  int maxExponent() const {
    return static_cast<int>(largestMagnitude >> mantissaBits) + minExponent -
           (hasZero ? 1 : 0);
  }
};

/// The wide IEEE format (f32 or f64) a conversion computes in.
struct WideFormat {
  unsigned width;
  unsigned mantissaBits;
  int bias;

  explicit WideFormat(FloatType type)
      : width(type.getWidth()), mantissaBits(type.getFPMantissaWidth() - 1),
        bias(-llvm::APFloat::semanticsMinExponent(type.getFloatSemantics()) +
             1) {}

  uint64_t signBit() const { return uint64_t{1} << (width - 1); }
  uint64_t infBits() const {
    return ((uint64_t{1} << (width - 1 - mantissaBits)) - 1) << mantissaBits;
  }
};

/// Builds the integer and float operations of one conversion, scalar or
/// vector alike: constants are splats in the shape of `like`.
class BitBuilder {
public:
  BitBuilder(PatternRewriter &rewriter, Location loc, Type like)
      : rewriter(rewriter), loc(loc), like(like) {}

  Type typeOf(Type element) const { return getTypeLike(like, element); }
  Type intType(unsigned width) const {
    return typeOf(rewriter.getIntegerType(width));
  }

  Value intConstant(unsigned width, uint64_t value) {
    Type type = intType(width);
    auto attr = rewriter.getIntegerAttr(rewriter.getIntegerType(width),
                                        APInt(width, value));
    if (auto vectorType = dyn_cast<VectorType>(type))
      return arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(vectorType, Attribute(attr)));
    return arith::ConstantOp::create(rewriter, loc, attr);
  }
  Value floatConstant(FloatType element, const APFloat &value) {
    Type type = typeOf(element);
    auto attr = rewriter.getFloatAttr(element, value);
    if (auto vectorType = dyn_cast<VectorType>(type))
      return arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(vectorType, Attribute(attr)));
    return arith::ConstantOp::create(rewriter, loc, attr);
  }

  unsigned widthOf(Value value) const {
    return getElementTypeOrSelf(value).getIntOrFloatBitWidth();
  }
  Value c(Value like, uint64_t value) {
    return intConstant(widthOf(like), value);
  }
  Value bitcast(Type element, Value value) {
    return arith::BitcastOp::create(rewriter, loc, typeOf(element), value);
  }
  Value andI(Value lhs, uint64_t rhs) {
    return arith::AndIOp::create(rewriter, loc, lhs, c(lhs, rhs));
  }
  Value orI(Value lhs, Value rhs) {
    return arith::OrIOp::create(rewriter, loc, lhs, rhs);
  }
  Value shl(Value lhs, uint64_t rhs) {
    return rhs ? arith::ShLIOp::create(rewriter, loc, lhs, c(lhs, rhs))
                     .getResult()
               : lhs;
  }
  Value shr(Value lhs, uint64_t rhs) {
    return rhs ? arith::ShRUIOp::create(rewriter, loc, lhs, c(lhs, rhs))
                     .getResult()
               : lhs;
  }
  Value add(Value lhs, Value rhs) {
    return arith::AddIOp::create(rewriter, loc, lhs, rhs);
  }
  Value sub(Value lhs, Value rhs) {
    return arith::SubIOp::create(rewriter, loc, lhs, rhs);
  }
  Value cmp(arith::CmpIPredicate predicate, Value lhs, uint64_t rhs) {
    return arith::CmpIOp::create(rewriter, loc, predicate, lhs, c(lhs, rhs));
  }
  Value select(Value condition, Value ifTrue, Value ifFalse) {
    return arith::SelectOp::create(rewriter, loc, condition, ifTrue, ifFalse);
  }
  Value zext(unsigned width, Value value) {
    return arith::ExtUIOp::create(rewriter, loc, intType(width), value);
  }
  Value trunc(unsigned width, Value value) {
    return arith::TruncIOp::create(rewriter, loc, intType(width), value);
  }

  PatternRewriter &rewriter;
  Location loc;
  Type like;
};

/// Whether every value of `format` is exactly an f32 (so extf through f32
/// is exact and truncf from f32 never meets an f32 subnormal in the
/// format's normal range).
static LogicalResult checkFitsInF32(const NarrowFormat &format) {
  return success(format.mantissaBits <= 23 && format.maxExponent() <= 127 &&
                 format.minExponent - static_cast<int>(format.mantissaBits) >=
                     -126);
}

/// The f32 bits of each narrow encoding `bits` (i32, zero-extended).
static Value decodeToF32Bits(BitBuilder &b, const NarrowFormat &format,
                             Value bits) {
  unsigned m = format.mantissaBits;
  Value magnitude = b.andI(bits, format.magnitudeMask());
  Value exponent = b.shr(magnitude, m);
  Value mantissa = b.andI(magnitude, (uint64_t{1} << m) - 1);

  // Normal: the exponent field rebiased to f32's, the mantissa widened.
  int64_t rebias = 127 + format.minExponent - (format.hasZero ? 1 : 0);
  Value result = b.add(b.shl(magnitude, 23 - m),
                       b.c(magnitude, static_cast<uint64_t>(rebias) << 23));

  // Subnormal (exponent field 0): mantissa * 2^(minExponent - m), exact in
  // f32 arithmetic; zero when the mantissa is.
  if (format.hasZero) {
    Type f32 = b.rewriter.getF32Type();
    Value asFloat =
        arith::UIToFPOp::create(b.rewriter, b.loc, b.typeOf(f32), mantissa);
    APFloat scale = llvm::scalbn(APFloat(1.0f), format.minExponent - m,
                                 APFloat::rmNearestTiesToEven);
    Value scaled =
        arith::MulFOp::create(b.rewriter, b.loc, asFloat,
                              b.floatConstant(cast<FloatType>(f32), scale));
    Value isSubnormal = b.cmp(arith::CmpIPredicate::eq, exponent, 0);
    result = b.select(isSubnormal, b.bitcast(b.rewriter.getI32Type(), scaled),
                      result);
  }

  if (format.hasInf) {
    // IEEE-like: the all-ones exponent holds Inf (mantissa 0) and NaNs.
    uint64_t allOnes = (uint64_t{1} << format.exponentBits()) - 1;
    Value isSpecial = b.cmp(arith::CmpIPredicate::eq, exponent, allOnes);
    Value isNaN = b.cmp(arith::CmpIPredicate::ne, mantissa, 0);
    Value special =
        b.select(isNaN, b.c(bits, 0x7FC00000), b.c(bits, 0x7F800000));
    result = b.select(isSpecial, special, result);
  } else if (format.hasNaN) {
    Value isNaN = b.cmp(arith::CmpIPredicate::eq, bits, format.positiveNaN);
    if (format.negativeNaN != format.positiveNaN)
      isNaN = arith::OrIOp::create(
          b.rewriter, b.loc, isNaN,
          b.cmp(arith::CmpIPredicate::eq, bits, format.negativeNaN));
    result = b.select(isNaN, b.c(bits, 0x7FC00000), result);
  }

  if (format.hasSign)
    result = b.orI(result, b.shl(b.shr(bits, format.width - 1), 31));
  return result;
}

/// The narrow encodings (in the source's integer width) of the wide floats
/// whose bits are `bits`, rounded to nearest even.
static Value encodeFromWideBits(BitBuilder &b, const NarrowFormat &format,
                                const WideFormat &wide, FloatType wideType,
                                Value bits) {
  unsigned m = format.mantissaBits;
  unsigned shift = wide.mantissaBits - m;
  Value magnitude = b.andI(bits, wide.signBit() - 1);
  Value sign = b.shr(bits, wide.width - 1);

  // Normal range: round the mantissa to m bits (adding half an ulp minus
  // one, plus the kept lowest bit, carries into the exponent exactly when
  // the value rounds up), then rebias the exponent.
  Value lowestKept = b.andI(b.shr(magnitude, shift), 1);
  Value rounded = b.add(b.add(magnitude, lowestKept),
                        b.c(magnitude, (uint64_t{1} << (shift - 1)) - 1));
  rounded = b.shr(rounded, shift);
  int64_t rebias = wide.bias - 1 + format.minExponent;
  Value result =
      b.sub(rounded, b.c(rounded, static_cast<uint64_t>(rebias) << m));

  // Below the smallest normal: adding 2^(minExponent + shift) leaves the
  // sum in a binade whose ulp is the format's subnormal step, so the
  // hardware addition rounds to nearest even exactly once; the sum's low
  // bits are the subnormal encoding (2^m when it rounds up to the smallest
  // normal, which is that normal's encoding).
  APFloat offset =
      llvm::scalbn(APFloat::getOne(wideType.getFloatSemantics()),
                   format.minExponent + shift, APFloat::rmNearestTiesToEven);
  Value offsetValue = b.floatConstant(wideType, offset);
  Value absolute = b.bitcast(wideType, magnitude);
  Value sum = arith::AddFOp::create(b.rewriter, b.loc, absolute, offsetValue);
  Value subnormal =
      b.sub(b.bitcast(b.rewriter.getIntegerType(wide.width), sum),
            b.c(magnitude, offset.bitcastToAPInt().getZExtValue()));
  uint64_t smallestNormal =
      static_cast<uint64_t>(wide.bias + format.minExponent)
      << wide.mantissaBits;
  Value isSubnormal =
      b.cmp(arith::CmpIPredicate::ult, magnitude, smallestNormal);
  result = b.select(isSubnormal, subnormal, result);

  // Beyond the largest finite value after rounding (infinities included):
  // Inf where the format has one, the largest finite value where it has
  // neither Inf nor NaN (NaN-only formats are handled below).
  Value isOverflow =
      b.cmp(arith::CmpIPredicate::ugt, result, format.largestMagnitude);
  uint64_t overflowMagnitude =
      format.hasInf ? format.infMagnitude : format.largestMagnitude;
  result = b.select(isOverflow, b.c(result, overflowMagnitude), result);

  // The sign, except on the unsigned zero of FNUZ formats.
  Value withSign = b.orI(result, b.shl(sign, format.width - 1));
  if (!format.hasNegativeZero)
    withSign =
        b.select(b.cmp(arith::CmpIPredicate::eq, result, 0), result, withSign);
  result = withSign;

  // NaNs, and overflow in formats with NaNs but no infinity. Their NaN
  // encodings are not a sign bit away from a magnitude (FNUZ formats have
  // a single NaN where -0 would be), so they are selected whole.
  Value nan = b.c(result, format.hasNaN ? format.positiveNaN : 0);
  if (format.hasNaN && format.negativeNaN != format.positiveNaN) {
    Value isNegative = b.cmp(arith::CmpIPredicate::ne, sign, 0);
    nan = b.select(isNegative, b.c(result, format.negativeNaN), nan);
  }
  if (format.hasNaN && !format.hasInf)
    result = b.select(isOverflow, nan, result);
  Value isNaN = b.cmp(arith::CmpIPredicate::ugt, magnitude, wide.infBits());
  return b.select(isNaN, nan, result);
}

/// Whether the patterns below expand `op` (an extf or truncf), with an
/// error at `op` when it involves a narrow float they cannot handle.
static LogicalResult checkExpandable(Operation *op) {
  Type sourceType = op->getOperand(0).getType();
  Type resultType = op->getResult(0).getType();
  for (Type type : {sourceType, resultType}) {
    if (!isNarrowFloat(type))
      continue;
    auto floatType = cast<FloatType>(getElementTypeOrSelf(type));
    NarrowFormat format(floatType);
    if (failed(checkFitsInF32(format)))
      return op->emitOpError() << "cannot expand: not every " << floatType
                               << " value is a normal f32";
  }
  if (!isNarrowFloat(resultType) || isNarrowFloat(sourceType))
    return success();
  auto sourceElement = cast<FloatType>(getElementTypeOrSelf(sourceType));
  if (sourceElement.getWidth() > 32 && !sourceElement.isF64())
    return op->emitOpError()
           << "cannot expand a truncation from " << sourceElement;
  auto narrowType = cast<FloatType>(getElementTypeOrSelf(resultType));
  NarrowFormat format(narrowType);
  if (!format.hasZero || !format.hasSign)
    return op->emitOpError() << "cannot expand a truncation to " << narrowType
                             << ": it has no signed zero";
  return success();
}

/// arith.extf from a narrow float: decode to f32, then convert the exact
/// f32 to the result type.
struct ExpandNarrowExtF : OpRewritePattern<arith::ExtFOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(arith::ExtFOp op,
                                PatternRewriter &rewriter) const override {
    Type sourceType = op.getIn().getType();
    if (!isNarrowFloat(sourceType))
      return failure();
    auto narrowType = cast<FloatType>(getElementTypeOrSelf(sourceType));
    NarrowFormat format(narrowType);
    BitBuilder b(rewriter, op.getLoc(), sourceType);
    Value bits = b.bitcast(rewriter.getIntegerType(format.width), op.getIn());
    Value f32Bits = decodeToF32Bits(b, format, b.zext(32, bits));
    Value result = b.bitcast(rewriter.getF32Type(), f32Bits);
    auto resultType = cast<FloatType>(getElementTypeOrSelf(op.getType()));
    if (resultType.getWidth() > 32)
      result =
          arith::ExtFOp::create(rewriter, op.getLoc(), op.getType(), result);
    else if (!resultType.isF32())
      // Narrower than f32 (f16, bf16, another narrow float): one rounding
      // of the exact value.
      result =
          arith::TruncFOp::create(rewriter, op.getLoc(), op.getType(), result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// arith.truncf to a narrow float: round the f32 (or f64) bits in integer
/// arithmetic; f16/bf16 sources extend to f32 first, narrow sources decode
/// to f32 first.
struct ExpandNarrowTruncF : OpRewritePattern<arith::TruncFOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(arith::TruncFOp op,
                                PatternRewriter &rewriter) const override {
    Type resultType = op.getType();
    Type sourceType = op.getIn().getType();
    if (!isNarrowFloat(resultType) && !isNarrowFloat(sourceType))
      return failure();
    Location loc = op.getLoc();
    auto sourceElement = cast<FloatType>(getElementTypeOrSelf(sourceType));
    Type f32 = getTypeLike(sourceType, rewriter.getF32Type());
    if (isNarrowFloat(sourceType) || sourceElement.getWidth() < 32) {
      // Go through an exact f32: narrow to narrower or to f16/bf16 (the extf
      // pattern expands the decoding), or f16/bf16 to narrow.
      Value wide = arith::ExtFOp::create(rewriter, loc, f32, op.getIn());
      rewriter.replaceOpWithNewOp<arith::TruncFOp>(op, resultType, wide);
      return success();
    }
    auto narrowType = cast<FloatType>(getElementTypeOrSelf(resultType));
    NarrowFormat format(narrowType);
    WideFormat wide(sourceElement);
    BitBuilder b(rewriter, loc, sourceType);
    Value bits = b.bitcast(rewriter.getIntegerType(wide.width), op.getIn());
    Value encoded = encodeFromWideBits(b, format, wide, sourceElement, bits);
    Value narrowBits = b.trunc(format.width, encoded);
    rewriter.replaceOp(op, b.bitcast(narrowType, narrowBits));
    return success();
  }
};

/// Constants of narrow floats: the same bits as an integer constant.
struct ExpandNarrowConstant : OpRewritePattern<arith::ConstantOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(arith::ConstantOp op,
                                PatternRewriter &rewriter) const override {
    Type type = op.getType();
    if (!isNarrowFloat(type) || isa<TensorType>(type))
      return failure();
    unsigned width = getElementTypeOrSelf(type).getIntOrFloatBitWidth();
    Type intType = getTypeLike(type, rewriter.getIntegerType(width));
    TypedAttr bits;
    if (auto floatAttr = dyn_cast<FloatAttr>(op.getValue()))
      bits = rewriter.getIntegerAttr(intType,
                                     floatAttr.getValue().bitcastToAPInt());
    else if (auto dense = dyn_cast<DenseElementsAttr>(op.getValue()))
      bits = dense.bitcast(rewriter.getIntegerType(width));
    else
      return failure();
    Value constant = arith::ConstantOp::create(rewriter, op.getLoc(), bits);
    rewriter.replaceOpWithNewOp<arith::BitcastOp>(op, type, constant);
    return success();
  }
};

struct ExpandNarrowFloatsPass
    : public tamp::impl::ExpandNarrowFloatsBase<ExpandNarrowFloatsPass> {
  void runOnOperation() override {
    // Report every conversion the patterns cannot expand (nothing else can
    // take it to LLVM) before rewriting anything.
    bool expandable = true;
    getOperation()->walk([&](Operation *op) {
      if (isa<arith::ExtFOp, arith::TruncFOp>(op) &&
          failed(checkExpandable(op)))
        expandable = false;
    });
    if (!expandable)
      return signalPassFailure();

    RewritePatternSet patterns(&getContext());
    patterns.add<ExpandNarrowExtF, ExpandNarrowTruncF, ExpandNarrowConstant>(
        &getContext());
    // Without folding: a bitcast of an integer constant would fold back
    // into the narrow float constant this pass expands.
    GreedyRewriteConfig config;
    config.enableFolding(false);
    config.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
  }
};

} // namespace
