//===- MathOps.cpp - Lowering tamp math ops to linalg ---------------------===//
//
// Element-wise ops become broadcasting linalg.generic ops; reductions,
// arg-reductions and softmax become generics with reduction iterators over a
// linalg.fill'ed init; matmul, linear and einsum use linalg.matmul and
// linalg.batch_matmul where the contraction is one, and a contraction
// generic otherwise. Cumulative sums step along their axis with scf.for over
// whole slices.
//
//===----------------------------------------------------------------------===//

#include "IntegerKernels.h"
#include "LoweringUtils.h"
#include "Patterns.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/DialectConversion.h"

#include "llvm/ADT/SmallBitVector.h"

using namespace mlir;
using namespace tamp::lowering;
using tamp::getConstantQuantizedWeight;
using tamp::getWeightScales;
using tamp::isQuantizedTensor;

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

/// Integer comparisons, min/max and division read bool as unsigned.
static bool isUnsignedOrBool(Type type) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    type = shaped.getElementType();
  return type.isUnsignedInteger() || type.isInteger(1);
}

static bool isFloat(Value value) { return isa<FloatType>(value.getType()); }

static Value castToType(OpBuilder &b, Location loc, Value value, Type type) {
  if (value.getType() == type)
    return value;
  return tensor::CastOp::create(b, loc, type, value);
}

/// A `linalg.generic` with one result whose body yields `body(args)`, where
/// `args` are the scalars of the inputs followed by the accumulator.
static Value buildGeneric(OpBuilder &b, Location loc, ValueRange inputs,
                          Value init, ArrayRef<AffineMap> maps,
                          ArrayRef<utils::IteratorType> iterators,
                          ScalarBodyBuilder body) {
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), inputs, init, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc,
                                body(nested, nestedLoc, args));
      });
  return generic.getResult(0);
}

/// Axes of a reduction, normalized and marked in a bit vector over the input
/// rank; empty `axes` reduce every axis.
static FailureOr<llvm::SmallBitVector> getReducedDims(ArrayRef<int64_t> axes,
                                                      int64_t rank) {
  llvm::SmallBitVector reduced(rank, axes.empty());
  for (int64_t axis : axes) {
    int64_t normalized = axis < 0 ? axis + rank : axis;
    if (normalized < 0 || normalized >= rank)
      return failure();
    reduced.set(normalized);
  }
  return reduced;
}

/// The iterators of a loop nest over an input whose `reduced` dims reduce.
static SmallVector<utils::IteratorType>
getReductionIterators(const llvm::SmallBitVector &reduced) {
  SmallVector<utils::IteratorType> iterators;
  for (unsigned dim = 0; dim < reduced.size(); ++dim)
    iterators.push_back(reduced.test(dim) ? utils::IteratorType::reduction
                                          : utils::IteratorType::parallel);
  return iterators;
}

/// The map from the loop nest over the input to the reduced tensor, which
/// keeps the dims that are not `reduced`.
static AffineMap getKeptDimsMap(const llvm::SmallBitVector &reduced,
                                MLIRContext *ctx) {
  SmallVector<AffineExpr> exprs;
  for (unsigned dim = 0; dim < reduced.size(); ++dim)
    if (!reduced.test(dim))
      exprs.push_back(getAffineDimExpr(dim, ctx));
  return AffineMap::get(reduced.size(), 0, exprs, ctx);
}

static SmallVector<OpFoldResult>
getKeptSizes(ArrayRef<OpFoldResult> sizes,
             const llvm::SmallBitVector &reduced) {
  SmallVector<OpFoldResult> kept;
  for (auto [dim, size] : llvm::enumerate(sizes))
    if (!reduced.test(dim))
      kept.push_back(size);
  return kept;
}

/// Expands a reduced tensor (reduced dims removed) back to the input's rank,
/// with the reduced dims as size 1 (keepdims).
static Value expandReducedDims(OpBuilder &b, Location loc, Value reducedValue,
                               const llvm::SmallBitVector &reduced,
                               ArrayRef<OpFoldResult> keptSizes) {
  auto reducedType = cast<RankedTensorType>(reducedValue.getType());
  SmallVector<ReassociationIndices> reassociation;
  SmallVector<OpFoldResult> outputShape;
  SmallVector<int64_t> shape;
  // Reduced dims before the first kept one join its group, later ones join
  // the group of the kept dim before them.
  ReassociationIndices leading;
  unsigned keptIndex = 0;
  for (unsigned dim = 0; dim < reduced.size(); ++dim) {
    if (reduced.test(dim)) {
      outputShape.push_back(b.getIndexAttr(1));
      shape.push_back(1);
      if (reassociation.empty())
        leading.push_back(dim);
      else
        reassociation.back().push_back(dim);
      continue;
    }
    shape.push_back(reducedType.getDimSize(keptIndex));
    outputShape.push_back(keptSizes[keptIndex++]);
    ReassociationIndices group = leading;
    leading.clear();
    group.push_back(dim);
    reassociation.push_back(group);
  }
  return tensor::ExpandShapeOp::create(b, loc, reducedType.clone(shape),
                                       reducedValue, reassociation,
                                       outputShape);
}

/// `lhs + rhs` or `lhs * rhs` on floats or integers.
static Value createAdd(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isFloat(lhs))
    return arith::AddFOp::create(b, loc, lhs, rhs);
  return arith::AddIOp::create(b, loc, lhs, rhs);
}

static Value createMul(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isFloat(lhs))
    return arith::MulFOp::create(b, loc, lhs, rhs);
  return arith::MulIOp::create(b, loc, lhs, rhs);
}

static Value createSub(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isFloat(lhs))
    return arith::SubFOp::create(b, loc, lhs, rhs);
  return arith::SubIOp::create(b, loc, lhs, rhs);
}

/// NaN-propagating min/max, as ONNX Min/Max and the reductions are.
static Value createMax(OpBuilder &b, Location loc, Value lhs, Value rhs,
                       bool isUnsignedInt) {
  if (isFloat(lhs))
    return arith::MaximumFOp::create(b, loc, lhs, rhs);
  if (isUnsignedInt)
    return arith::MaxUIOp::create(b, loc, lhs, rhs);
  return arith::MaxSIOp::create(b, loc, lhs, rhs);
}

static Value createMin(OpBuilder &b, Location loc, Value lhs, Value rhs,
                       bool isUnsignedInt) {
  if (isFloat(lhs))
    return arith::MinimumFOp::create(b, loc, lhs, rhs);
  if (isUnsignedInt)
    return arith::MinUIOp::create(b, loc, lhs, rhs);
  return arith::MinSIOp::create(b, loc, lhs, rhs);
}

/// Ordered float comparison or signedness-aware integer comparison.
static Value createCompare(OpBuilder &b, Location loc,
                           arith::CmpFPredicate floatPred,
                           arith::CmpIPredicate signedPred,
                           arith::CmpIPredicate unsignedPred, Value lhs,
                           Value rhs, bool isUnsignedInt) {
  if (isFloat(lhs))
    return arith::CmpFOp::create(b, loc, floatPred, lhs, rhs);
  return arith::CmpIOp::create(
      b, loc, isUnsignedInt ? unsignedPred : signedPred, lhs, rhs);
}

static Value createConstantLike(OpBuilder &b, Location loc, Value like,
                                double value) {
  return createScalarConstant(b, loc, like.getType(), value);
}

/// The value of a float constant whose elements are all equal.
static std::optional<double> getSplatFloatValue(Value value) {
  DenseFPElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !attr.isSplat())
    return std::nullopt;
  return attr.getSplatValue<APFloat>().convertToDouble();
}

/// base^exponent on integers, wrapping like repeated multiplication: square
/// and multiply over every exponent bit, unrolled into straight-line selects
/// (no library call, vectorizable). A negative exponent gives the truncated
/// result: 1 or -1 for bases 1 and -1, 0 otherwise.
static Value createIntegerPower(OpBuilder &b, Location loc, Value base,
                                Value exponent, bool isUnsignedInt) {
  Value zero = createConstantLike(b, loc, base, 0);
  Value one = createConstantLike(b, loc, base, 1);
  Value result = one, square = base, remaining = exponent;
  unsigned width = base.getType().getIntOrFloatBitWidth();
  for (unsigned bit = 0; bit < width; ++bit) {
    Value odd = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::ne,
        arith::AndIOp::create(b, loc, remaining, one), zero);
    result = arith::SelectOp::create(
        b, loc, odd, arith::MulIOp::create(b, loc, result, square), result);
    if (bit + 1 == width)
      break;
    square = arith::MulIOp::create(b, loc, square, square);
    remaining = arith::ShRUIOp::create(b, loc, remaining, one);
  }
  if (isUnsignedInt || width == 1)
    return result;
  Value minusOne = createConstantLike(b, loc, base, -1);
  Value exponentOdd =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                            arith::AndIOp::create(b, loc, exponent, one), zero);
  Value minusOnePower =
      arith::SelectOp::create(b, loc, exponentOdd, minusOne, one);
  Value baseIsOne =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, base, one);
  Value baseIsMinusOne =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, base, minusOne);
  Value negativePower = arith::SelectOp::create(
      b, loc, baseIsOne, one,
      arith::SelectOp::create(b, loc, baseIsMinusOne, minusOnePower, zero));
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, exponent, zero);
  return arith::SelectOp::create(b, loc, negative, negativePower, result);
}

/// The divisor of an integer division or remainder made safe for the
/// hardware: zero (ONNX leaves the result undefined) and, for signed types,
/// -1 (INT_MIN / -1 overflows) become 1. Division by -1 is patched up by the
/// caller.
static Value createSafeDivisor(OpBuilder &b, Location loc, Value divisor,
                               bool isUnsignedInt) {
  Value one = createConstantLike(b, loc, divisor, 1);
  Value unsafe =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, divisor,
                            createConstantLike(b, loc, divisor, 0));
  if (!isUnsignedInt && !divisor.getType().isInteger(1)) {
    Value minusOne =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, divisor,
                              createConstantLike(b, loc, divisor, -1));
    unsafe = arith::OrIOp::create(b, loc, unsafe, minusOne);
  }
  return arith::SelectOp::create(b, loc, unsafe, one, divisor);
}

/// log(1 + exp(x)) as max(x, 0) + log1p(exp(-|x|)), which neither overflows
/// for large x nor loses the tail for very negative x.
static Value createSoftplus(OpBuilder &b, Location loc, Value x) {
  Value zero = createConstantLike(b, loc, x, 0);
  Value positivePart = arith::MaximumFOp::create(b, loc, x, zero);
  Value negAbs = arith::NegFOp::create(b, loc, math::AbsFOp::create(b, loc, x));
  Value tail =
      math::Log1pOp::create(b, loc, math::ExpOp::create(b, loc, negAbs));
  return arith::AddFOp::create(b, loc, positivePart, tail);
}

/// x if x > 0 else alpha * (exp(x) - 1), with exp(x) - 1 as expm1: exact
/// near 0 and rounded once in narrow float types, as ONNX's reference does.
static Value createElu(OpBuilder &b, Location loc, Value x, double alpha) {
  Value zero = createConstantLike(b, loc, x, 0);
  Value expMinusOne = math::ExpM1Op::create(b, loc, x);
  Value negative = arith::MulFOp::create(
      b, loc, createConstantLike(b, loc, x, alpha), expMinusOne);
  Value positive =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, zero);
  return arith::SelectOp::create(b, loc, positive, x, negative);
}

/// The integer bound of a clamp on an integer type from its f64 attribute:
/// the smallest representable value >= `bound` for the lower bound, the
/// largest <= `bound` for the upper one, saturated to the type's range.
static Value createIntegerBound(OpBuilder &b, Location loc, Type type,
                                double bound, bool isUnsignedInt,
                                bool isLower) {
  llvm::APSInt value(type.getIntOrFloatBitWidth(), isUnsignedInt);
  bool isExact = false;
  (void)APFloat(bound).convertToInteger(
      value, isLower ? APFloat::rmTowardPositive : APFloat::rmTowardNegative,
      &isExact);
  return arith::ConstantOp::create(b, loc, IntegerAttr::get(type, value));
}

//===----------------------------------------------------------------------===//
// Element-wise ops
//===----------------------------------------------------------------------===//

namespace {

/// Lowers an element-wise op (unary, broadcasting binary or ternary) to a
/// broadcasting linalg.generic whose body `buildScalar` computes one element
/// from the signless scalars of the operands.
template <typename OpTy>
struct ElementwiseLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  /// `isUnsignedInt` is the signedness of the first operand's original
  /// element type (bool counts as unsigned).
  static Value buildScalar(OpTy op, OpBuilder &b, Location loc, ValueRange args,
                           bool isUnsignedInt);

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // Quantized values have their own lowering (IntegerKernels.cpp).
    if (llvm::any_of(op->getOperandTypes(), isQuantizedTensor))
      return failure();
    // Strings (tamp.equal accepts them) have no numeric lowering.
    for (Type type : op->getOperandTypes())
      if (isa<tamp::StringType>(getElementTypeOrSelf(type)))
        return notLowerable(rewriter, op,
                            "string tensors have no numeric lowering");
    RankedTensorType resultType =
        convertTensorType(*this->getTypeConverter(), op.getType());
    bool isUnsignedInt = isUnsignedOrBool(op->getOperand(0).getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), op, adaptor.getOperands(), resultType,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return buildScalar(op, b, loc, args, isUnsignedInt);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

#define TAMP_ELEMENTWISE(OP)                                                   \
  template <>                                                                  \
  Value ElementwiseLowering<tamp::OP>::buildScalar(                            \
      [[maybe_unused]] tamp::OP op, OpBuilder &b, Location loc,                \
      ValueRange args, [[maybe_unused]] bool isUnsignedInt)

// Unary.

TAMP_ELEMENTWISE(AbsOp) {
  if (isFloat(args[0]))
    return math::AbsFOp::create(b, loc, args[0]);
  if (isUnsignedInt)
    return args[0];
  return math::AbsIOp::create(b, loc, args[0]);
}
TAMP_ELEMENTWISE(NegOp) {
  if (isFloat(args[0]))
    return arith::NegFOp::create(b, loc, args[0]);
  return arith::SubIOp::create(b, loc, createConstantLike(b, loc, args[0], 0),
                               args[0]);
}
TAMP_ELEMENTWISE(SqrtOp) { return math::SqrtOp::create(b, loc, args[0]); }
TAMP_ELEMENTWISE(ExpOp) { return math::ExpOp::create(b, loc, args[0]); }
TAMP_ELEMENTWISE(LogOp) { return math::LogOp::create(b, loc, args[0]); }
TAMP_ELEMENTWISE(ReciprocalOp) {
  return arith::DivFOp::create(b, loc, createConstantLike(b, loc, args[0], 1),
                               args[0]);
}
TAMP_ELEMENTWISE(ErfOp) { return math::ErfOp::create(b, loc, args[0]); }
TAMP_ELEMENTWISE(FloorOp) { return math::FloorOp::create(b, loc, args[0]); }
TAMP_ELEMENTWISE(CeilOp) { return math::CeilOp::create(b, loc, args[0]); }
TAMP_ELEMENTWISE(RoundOp) { return math::RoundEvenOp::create(b, loc, args[0]); }
TAMP_ELEMENTWISE(SinOp) { return math::SinOp::create(b, loc, args[0]); }
TAMP_ELEMENTWISE(CosOp) { return math::CosOp::create(b, loc, args[0]); }
TAMP_ELEMENTWISE(TanhOp) { return math::TanhOp::create(b, loc, args[0]); }
TAMP_ELEMENTWISE(TanOp) { return math::TanOp::create(b, loc, args[0]); }
TAMP_ELEMENTWISE(AcosOp) { return math::AcosOp::create(b, loc, args[0]); }
TAMP_ELEMENTWISE(AsinOp) { return math::AsinOp::create(b, loc, args[0]); }
TAMP_ELEMENTWISE(AtanOp) { return math::AtanOp::create(b, loc, args[0]); }
TAMP_ELEMENTWISE(SinhOp) { return math::SinhOp::create(b, loc, args[0]); }
TAMP_ELEMENTWISE(CoshOp) { return math::CoshOp::create(b, loc, args[0]); }
TAMP_ELEMENTWISE(AsinhOp) { return math::AsinhOp::create(b, loc, args[0]); }
TAMP_ELEMENTWISE(AcoshOp) { return math::AcoshOp::create(b, loc, args[0]); }
TAMP_ELEMENTWISE(AtanhOp) { return math::AtanhOp::create(b, loc, args[0]); }

TAMP_ELEMENTWISE(SigmoidOp) { return createSigmoid(b, loc, args[0]); }
TAMP_ELEMENTWISE(SiluOp) {
  return arith::MulFOp::create(b, loc, args[0], createSigmoid(b, loc, args[0]));
}
TAMP_ELEMENTWISE(SoftplusOp) { return createSoftplus(b, loc, args[0]); }
TAMP_ELEMENTWISE(MishOp) {
  Value softplus = createSoftplus(b, loc, args[0]);
  return arith::MulFOp::create(b, loc, args[0],
                               math::TanhOp::create(b, loc, softplus));
}
TAMP_ELEMENTWISE(HardSwishOp) {
  return arith::MulFOp::create(
      b, loc, args[0], createHardSigmoid(b, loc, args[0], 1.0 / 6.0, 0.5));
}
TAMP_ELEMENTWISE(NotOp) {
  Type type = args[0].getType();
  Value allOnes = arith::ConstantOp::create(
      b, loc,
      b.getIntegerAttr(type, APInt::getAllOnes(type.getIntOrFloatBitWidth())));
  return arith::XOrIOp::create(b, loc, args[0], allOnes);
}

// Parametrised activations.

TAMP_ELEMENTWISE(ClampOp) {
  Value value = args[0];
  Type type = value.getType();
  auto bound = [&](FloatAttr attr, bool isLower) -> Value {
    if (isa<FloatType>(type))
      return createScalarConstant(b, loc, type, attr.getValueAsDouble());
    return createIntegerBound(b, loc, type, attr.getValueAsDouble(),
                              isUnsignedInt, isLower);
  };
  if (FloatAttr min = op.getMinAttr())
    value =
        createMax(b, loc, value, bound(min, /*isLower=*/true), isUnsignedInt);
  if (FloatAttr max = op.getMaxAttr())
    value =
        createMin(b, loc, value, bound(max, /*isLower=*/false), isUnsignedInt);
  return value;
}
TAMP_ELEMENTWISE(LeakyReluOp) {
  Value x = args[0];
  Value scaled = arith::MulFOp::create(
      b, loc,
      createConstantLike(b, loc, x, op.getAlphaAttr().getValueAsDouble()), x);
  Value negative = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x,
                                         createConstantLike(b, loc, x, 0));
  return arith::SelectOp::create(b, loc, negative, scaled, x);
}
TAMP_ELEMENTWISE(EluOp) {
  return createElu(b, loc, args[0], op.getAlphaAttr().getValueAsDouble());
}
TAMP_ELEMENTWISE(SeluOp) {
  Value elu = createElu(b, loc, args[0], op.getAlphaAttr().getValueAsDouble());
  return arith::MulFOp::create(
      b, loc,
      createConstantLike(b, loc, elu, op.getGammaAttr().getValueAsDouble()),
      elu);
}
TAMP_ELEMENTWISE(HardSigmoidOp) {
  return createHardSigmoid(b, loc, args[0],
                           op.getAlphaAttr().getValueAsDouble(),
                           op.getBetaAttr().getValueAsDouble());
}
TAMP_ELEMENTWISE(GeluOp) {
  return createGelu(b, loc, args[0],
                    op.getApproximate() == tamp::GeluApproximation::tanh);
}
TAMP_ELEMENTWISE(PReluOp) {
  Value x = args[0];
  Value scaled = arith::MulFOp::create(b, loc, args[1], x);
  Value negative = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x,
                                         createConstantLike(b, loc, x, 0));
  return arith::SelectOp::create(b, loc, negative, scaled, x);
}

// Binary.

TAMP_ELEMENTWISE(AddOp) { return createAdd(b, loc, args[0], args[1]); }
TAMP_ELEMENTWISE(SubOp) { return createSub(b, loc, args[0], args[1]); }
TAMP_ELEMENTWISE(MulOp) { return createMul(b, loc, args[0], args[1]); }
TAMP_ELEMENTWISE(DivOp) {
  Value lhs = args[0], rhs = args[1];
  if (isFloat(lhs))
    return arith::DivFOp::create(b, loc, lhs, rhs);
  Value divisor = createSafeDivisor(b, loc, rhs, isUnsignedInt);
  if (isUnsignedInt)
    return arith::DivUIOp::create(b, loc, lhs, divisor);
  // Division by -1 is negation (wrapping for INT_MIN, as the hardware's
  // two's complement would).
  Value quotient = arith::DivSIOp::create(b, loc, lhs, divisor);
  Value byMinusOne =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, rhs,
                            createConstantLike(b, loc, rhs, -1));
  Value negated =
      arith::SubIOp::create(b, loc, createConstantLike(b, loc, lhs, 0), lhs);
  return arith::SelectOp::create(b, loc, byMinusOne, negated, quotient);
}
TAMP_ELEMENTWISE(PowOp) {
  if (isFloat(args[0])) {
    // Squares (Pow(x, 2) in decomposed normalizations) need no powf, and
    // x * x is the correctly rounded pow(x, 2).
    if (std::optional<double> exponent = getSplatFloatValue(op.getRhs())) {
      if (*exponent == 1)
        return args[0];
      if (*exponent == 2)
        return arith::MulFOp::create(b, loc, args[0], args[0]);
    }
    return math::PowFOp::create(b, loc, args[0], args[1]);
  }
  return createIntegerPower(b, loc, args[0], args[1], isUnsignedInt);
}
TAMP_ELEMENTWISE(MinOp) {
  return createMin(b, loc, args[0], args[1], isUnsignedInt);
}
TAMP_ELEMENTWISE(MaxOp) {
  return createMax(b, loc, args[0], args[1], isUnsignedInt);
}
TAMP_ELEMENTWISE(AndOp) {
  return arith::AndIOp::create(b, loc, args[0], args[1]);
}
TAMP_ELEMENTWISE(OrOp) {
  return arith::OrIOp::create(b, loc, args[0], args[1]);
}
TAMP_ELEMENTWISE(XorOp) {
  return arith::XOrIOp::create(b, loc, args[0], args[1]);
}
// Shifts by at least the bit width are poison in arith; ONNX and C++ shift
// every bit out instead.
static Value createShiftInRange(OpBuilder &b, Location loc, Value shift) {
  Value width = createConstantLike(
      b, loc, shift, double(shift.getType().getIntOrFloatBitWidth()));
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, shift, width);
}
TAMP_ELEMENTWISE(ShiftLeftOp) {
  Value shifted = arith::ShLIOp::create(b, loc, args[0], args[1]);
  return arith::SelectOp::create(b, loc, createShiftInRange(b, loc, args[1]),
                                 shifted,
                                 createConstantLike(b, loc, args[0], 0));
}
TAMP_ELEMENTWISE(ShiftRightOp) {
  Value inRange = createShiftInRange(b, loc, args[1]);
  if (isUnsignedInt) {
    Value shifted = arith::ShRUIOp::create(b, loc, args[0], args[1]);
    return arith::SelectOp::create(b, loc, inRange, shifted,
                                   createConstantLike(b, loc, args[0], 0));
  }
  // An arithmetic shift by width - 1 leaves only copies of the sign bit.
  Value signShift = createConstantLike(
      b, loc, args[1], double(args[1].getType().getIntOrFloatBitWidth() - 1));
  Value shift = arith::SelectOp::create(b, loc, inRange, args[1], signShift);
  return arith::ShRSIOp::create(b, loc, args[0], shift);
}
TAMP_ELEMENTWISE(EqualOp) {
  return createCompare(b, loc, arith::CmpFPredicate::OEQ,
                       arith::CmpIPredicate::eq, arith::CmpIPredicate::eq,
                       args[0], args[1], isUnsignedInt);
}
TAMP_ELEMENTWISE(LessOp) {
  return createCompare(b, loc, arith::CmpFPredicate::OLT,
                       arith::CmpIPredicate::slt, arith::CmpIPredicate::ult,
                       args[0], args[1], isUnsignedInt);
}
TAMP_ELEMENTWISE(LessEqualOp) {
  return createCompare(b, loc, arith::CmpFPredicate::OLE,
                       arith::CmpIPredicate::sle, arith::CmpIPredicate::ule,
                       args[0], args[1], isUnsignedInt);
}
TAMP_ELEMENTWISE(GreaterOp) {
  return createCompare(b, loc, arith::CmpFPredicate::OGT,
                       arith::CmpIPredicate::sgt, arith::CmpIPredicate::ugt,
                       args[0], args[1], isUnsignedInt);
}
TAMP_ELEMENTWISE(GreaterEqualOp) {
  return createCompare(b, loc, arith::CmpFPredicate::OGE,
                       arith::CmpIPredicate::sge, arith::CmpIPredicate::uge,
                       args[0], args[1], isUnsignedInt);
}
TAMP_ELEMENTWISE(ModOp) {
  Value lhs = args[0], rhs = args[1];
  Value remainder;
  if (isFloat(lhs)) {
    remainder = arith::RemFOp::create(b, loc, lhs, rhs);
  } else {
    Value divisor = createSafeDivisor(b, loc, rhs, isUnsignedInt);
    if (isUnsignedInt)
      return arith::RemUIOp::create(b, loc, lhs, divisor);
    remainder = arith::RemSIOp::create(b, loc, lhs, divisor);
  }
  // The remainder has the dividend's sign; without fmod it takes the
  // divisor's, by adding the divisor to a non-zero remainder of the other
  // sign.
  if (op.getFmod())
    return remainder;
  Value zero = createConstantLike(b, loc, lhs, 0);
  auto isNegative = [&](Value v) {
    return createCompare(b, loc, arith::CmpFPredicate::OLT,
                         arith::CmpIPredicate::slt, arith::CmpIPredicate::ult,
                         v, zero, /*isUnsignedInt=*/false);
  };
  Value nonZero =
      createCompare(b, loc, arith::CmpFPredicate::UNE, arith::CmpIPredicate::ne,
                    arith::CmpIPredicate::ne, remainder, zero,
                    /*isUnsignedInt=*/false);
  Value signsDiffer =
      arith::XOrIOp::create(b, loc, isNegative(remainder), isNegative(rhs));
  Value adjust = arith::AndIOp::create(b, loc, nonZero, signsDiffer);
  return arith::SelectOp::create(b, loc, adjust,
                                 createAdd(b, loc, remainder, rhs), remainder);
}
TAMP_ELEMENTWISE(WhereOp) {
  return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);
}

#undef TAMP_ELEMENTWISE

/// tamp.equal on strings. A string element is the address of a
/// NUL-terminated string (i64 after type conversion): equal when strcmp
/// says so. Tried before the numeric lowering, which refuses strings.
struct StringEqualLowering : OpConversionPattern<tamp::EqualOp> {
  StringEqualLowering(const TypeConverter &converter, MLIRContext *ctx)
      : OpConversionPattern(converter, ctx, /*benefit=*/2) {}

  LogicalResult
  matchAndRewrite(tamp::EqualOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isa<tamp::StringType>(getElementTypeOrSelf(op.getLhs().getType())))
      return rewriter.notifyMatchFailure(op, "not a string comparison");
    auto module = op->getParentOfType<ModuleOp>();
    if (!module)
      return notLowerable(rewriter, op, "string comparison outside a module");
    LLVM::LLVMFuncOp strcmp = getOrInsertStrcmp(rewriter, module);
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), op, adaptor.getOperands(), resultType,
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          auto pointerType = LLVM::LLVMPointerType::get(b.getContext());
          SmallVector<Value, 2> pointers;
          for (Value address : args.take_front(2))
            pointers.push_back(
                LLVM::IntToPtrOp::create(b, loc, pointerType, address));
          Value order =
              LLVM::CallOp::create(b, loc, strcmp, pointers).getResult();
          return arith::CmpIOp::create(
              b, loc, arith::CmpIPredicate::eq, order,
              arith::ConstantIntOp::create(b, loc, b.getI32Type(), 0));
        });
    rewriter.replaceOp(op, result);
    return success();
  }

  /// The C library's `int strcmp(const char *, const char *)`.
  static LLVM::LLVMFuncOp getOrInsertStrcmp(OpBuilder &b, ModuleOp module) {
    if (auto existing = module.lookupSymbol<LLVM::LLVMFuncOp>("strcmp"))
      return existing;
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(module.getBody());
    auto pointerType = LLVM::LLVMPointerType::get(b.getContext());
    return LLVM::LLVMFuncOp::create(
        b, module.getLoc(), "strcmp",
        LLVM::LLVMFunctionType::get(b.getI32Type(),
                                    {pointerType, pointerType}));
  }
};

} // namespace

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

enum class ReductionKind {
  Sum,
  Mean,
  Max,
  Min,
  Prod,
  L1,
  L2,
  SumSquare,
  LogSum,
  LogSumExp
};

/// The value a reduction of `kind` starts from.
static Value createNeutralValue(OpBuilder &b, Location loc, ReductionKind kind,
                                Type elementType, bool isUnsignedInt) {
  switch (kind) {
  case ReductionKind::Max:
    return createLowestValue(b, loc, elementType, isUnsignedInt);
  case ReductionKind::Min:
    return createHighestValue(b, loc, elementType, isUnsignedInt);
  case ReductionKind::Prod:
    return createScalarConstant(b, loc, elementType, 1);
  default:
    return createScalarConstant(b, loc, elementType, 0);
  }
}

/// Folds the element `x` into the accumulator `acc`; `shift` is
/// LogSumExp's per-row offset.
static Value combineReduction(OpBuilder &b, Location loc, ReductionKind kind,
                              Value x, Value acc, Value shift,
                              bool isUnsignedInt) {
  switch (kind) {
  case ReductionKind::Max:
    return createMax(b, loc, x, acc, isUnsignedInt);
  case ReductionKind::Min:
    return createMin(b, loc, x, acc, isUnsignedInt);
  case ReductionKind::Prod:
    return createMul(b, loc, x, acc);
  case ReductionKind::L1: {
    Value magnitude = isFloat(x)      ? Value(math::AbsFOp::create(b, loc, x))
                      : isUnsignedInt ? x
                                      : Value(math::AbsIOp::create(b, loc, x));
    return createAdd(b, loc, magnitude, acc);
  }
  case ReductionKind::L2:
  case ReductionKind::SumSquare:
    return createAdd(b, loc, createMul(b, loc, x, x), acc);
  case ReductionKind::LogSumExp: {
    Value shifted = arith::SubFOp::create(b, loc, x, shift);
    return arith::AddFOp::create(b, loc, math::ExpOp::create(b, loc, shifted),
                                 acc);
  }
  case ReductionKind::Sum:
  case ReductionKind::Mean:
  case ReductionKind::LogSum:
    return createAdd(b, loc, x, acc);
  }
  llvm_unreachable("unknown reduction kind");
}

/// Turns the accumulated `value` into the result of a reduction of `kind`
/// that has an epilogue (mean, L2 and the logarithmic ones). `count` is the
/// mean's element count, `shift` LogSumExp's offset.
static Value finalizeReduction(OpBuilder &b, Location loc, ReductionKind kind,
                               Value value, Value count, Value shift,
                               Type originalElementType, bool isUnsignedInt) {
  switch (kind) {
  case ReductionKind::Mean:
    if (isFloat(value))
      return arith::DivFOp::create(b, loc, value, count);
    if (isUnsignedInt)
      return arith::DivUIOp::create(b, loc, value, count);
    return arith::DivSIOp::create(b, loc, value, count);
  case ReductionKind::L2: {
    if (isFloat(value))
      return math::SqrtOp::create(b, loc, value);
    // Integer norms are the truncated float norm, as ONNX's reference
    // computes them.
    Type f64 = b.getF64Type();
    Value wide = convertScalar(b, loc, value, originalElementType, f64);
    return convertScalar(b, loc, math::SqrtOp::create(b, loc, wide), f64,
                         originalElementType);
  }
  case ReductionKind::LogSum:
    return math::LogOp::create(b, loc, value);
  case ReductionKind::LogSumExp:
    return arith::AddFOp::create(b, loc, math::LogOp::create(b, loc, value),
                                 shift);
  default:
    return value;
  }
}

static bool hasEpilogue(ReductionKind kind) {
  return kind == ReductionKind::Mean || kind == ReductionKind::L2 ||
         kind == ReductionKind::LogSum || kind == ReductionKind::LogSumExp;
}

/// The number of elements in the `reduced` dims of `sizes`, as a scalar of
/// `elementType` (at least 1 for integers, whose division by 0 traps).
static Value createReducedCount(OpBuilder &b, Location loc,
                                ArrayRef<OpFoldResult> sizes,
                                const llvm::SmallBitVector &reduced,
                                Type elementType) {
  Value count;
  for (auto [dim, size] : llvm::enumerate(sizes)) {
    if (!reduced.test(dim))
      continue;
    Value sizeValue = getValueOrCreateConstantIndexOp(b, loc, size);
    count = count ? arith::MulIOp::create(b, loc, count, sizeValue) : sizeValue;
  }
  if (!count)
    count = arith::ConstantIndexOp::create(b, loc, 1);
  if (!isa<FloatType>(elementType))
    count = arith::MaxUIOp::create(b, loc, count,
                                   arith::ConstantIndexOp::create(b, loc, 1));
  Value wide = arith::IndexCastOp::create(b, loc, b.getI64Type(), count);
  return convertScalar(b, loc, wide, b.getI64Type(), elementType);
}

/// An element-wise generic over tensors of `sizes` (all `inputs` have them).
static Value buildSameShapeElementwise(OpBuilder &b, Location loc,
                                       ValueRange inputs,
                                       ArrayRef<OpFoldResult> sizes,
                                       Type elementType,
                                       ScalarBodyBuilder body) {
  AffineMap identity = b.getMultiDimIdentityMap(sizes.size());
  SmallVector<AffineMap> maps(inputs.size() + 1, identity);
  SmallVector<utils::IteratorType> parallel(sizes.size(),
                                            utils::IteratorType::parallel);
  return buildGeneric(b, loc, inputs, createEmpty(b, loc, sizes, elementType),
                      maps, parallel, body);
}

/// The type that sums and products of `elementType` accumulate in: f32 for
/// floats narrower than f32 (f16, bf16), which onnxruntime and ONNX's
/// reference also use, rounding once at the end; `elementType` otherwise.
static Type getAccumulatorType(Type elementType) {
  auto floatType = dyn_cast<FloatType>(elementType);
  if (floatType && floatType.getWidth() < 32)
    return Float32Type::get(elementType.getContext());
  return elementType;
}

/// `value` rounded to the narrower float type `narrowType` and extended back
/// (the rounding of an element-wise step computed in f32 for a narrow type);
/// `value` itself when it has that type.
static Value roundThrough(OpBuilder &b, Location loc, Value value,
                          Type narrowType) {
  Type type = value.getType();
  if (type == narrowType)
    return value;
  Value narrow = arith::TruncFOp::create(b, loc, narrowType, value);
  return arith::ExtFOp::create(b, loc, type, narrow);
}

/// `tensor` with its float elements extended or truncated to `elementType`;
/// `tensor` itself when they already have it.
static Value convertFloatElements(OpBuilder &b, Location loc, Value tensor,
                                  Type elementType) {
  Type sourceType = cast<RankedTensorType>(tensor.getType()).getElementType();
  if (sourceType == elementType)
    return tensor;
  return buildSameShapeElementwise(
      b, loc, tensor, getSizes(b, loc, tensor), elementType,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) -> Value {
        return convertScalar(nested, nestedLoc, args[0], sourceType,
                             elementType);
      });
}

namespace {

/// Lowers a tamp reduction to a generic with reduction iterators over a
/// filled init (the reduced dims removed), an element-wise epilogue for the
/// kinds that have one (mean, L2, logs), and an expand_shape for keepdims.
/// LogSumExp first reduces the maximum and shifts by it.
template <typename OpTy, ReductionKind Kind>
struct ReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    // Narrow floats are summed (or multiplied) in f32; max and min are exact.
    Type narrowType = cast<RankedTensorType>(input.getType()).getElementType();
    if (Kind != ReductionKind::Max && Kind != ReductionKind::Min)
      input = convertFloatElements(rewriter, loc, input,
                                   getAccumulatorType(narrowType));
    auto inputType = cast<RankedTensorType>(input.getType());
    Type elementType = inputType.getElementType();
    Type originalElementType =
        cast<RankedTensorType>(op.getInput().getType()).getElementType();
    if (elementType != narrowType)
      originalElementType = elementType;
    bool isUnsignedInt = isUnsignedOrBool(originalElementType);
    if (!isa<FloatType>(elementType) &&
        (Kind == ReductionKind::LogSum || Kind == ReductionKind::LogSumExp))
      return notLowerable(rewriter, op,
                          "logarithmic reductions of integers are not "
                          "supported");
    int64_t rank = inputType.getRank();
    FailureOr<llvm::SmallBitVector> reduced =
        getReducedDims(op.getAxes(), rank);
    if (failed(reduced))
      return notLowerable(rewriter, op, "reduction axis out of range");

    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> keptSizes = getKeptSizes(sizes, *reduced);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap keptMap = getKeptDimsMap(*reduced, rewriter.getContext());
    SmallVector<utils::IteratorType> iterators =
        getReductionIterators(*reduced);

    // LogSumExp sums exp(x - shift) with shift the finite maximum (0 when
    // the maximum is infinite, so that all -inf or +inf stay exact).
    SmallVector<Value> inputs = {input};
    SmallVector<AffineMap> maps = {identity};
    Value shift;
    if (Kind == ReductionKind::LogSumExp) {
      Value max = buildGeneric(
          rewriter, loc, input,
          createFilled(rewriter, loc, keptSizes,
                       createLowestValue(rewriter, loc, elementType, false)),
          {identity, keptMap}, iterators,
          [](OpBuilder &b, Location loc, ValueRange args) -> Value {
            return arith::MaximumFOp::create(b, loc, args[0], args[1]);
          });
      shift = buildSameShapeElementwise(
          rewriter, loc, max, keptSizes, elementType,
          [](OpBuilder &b, Location loc, ValueRange args) -> Value {
            Value m = args[0];
            Value inf = createHighestValue(b, loc, m.getType(), false);
            Value finite =
                arith::CmpFOp::create(b, loc, arith::CmpFPredicate::ONE,
                                      math::AbsFOp::create(b, loc, m), inf);
            return arith::SelectOp::create(b, loc, finite, m,
                                           createConstantLike(b, loc, m, 0));
          });
      inputs.push_back(shift);
      maps.push_back(keptMap);
    }
    maps.push_back(keptMap);

    Value init = createFilled(
        rewriter, loc, keptSizes,
        createNeutralValue(rewriter, loc, Kind, elementType, isUnsignedInt));
    Value result = buildGeneric(
        rewriter, loc, inputs, init, maps, iterators,
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return combineReduction(b, loc, Kind, args.front(), args.back(),
                                  shift ? args[1] : Value(), isUnsignedInt);
        });

    if (hasEpilogue(Kind)) {
      Value count;
      if (Kind == ReductionKind::Mean)
        count = createReducedCount(rewriter, loc, sizes, *reduced, elementType);
      SmallVector<Value> epilogueInputs = {result};
      if (shift)
        epilogueInputs.push_back(shift);
      result = buildSameShapeElementwise(
          rewriter, loc, epilogueInputs, keptSizes, elementType,
          [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
            return finalizeReduction(b, loc, Kind, args[0], count,
                                     shift ? args[1] : Value(),
                                     originalElementType, isUnsignedInt);
          });
    }

    result = convertFloatElements(rewriter, loc, result, narrowType);
    if (op.getKeepdims())
      result = expandReducedDims(rewriter, loc, result, *reduced, keptSizes);
    RankedTensorType resultType =
        convertTensorType(*this->getTypeConverter(), op.getType());
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};

/// argmax/argmin: a generic over the input reducing along `axis` into a
/// (best value, index) pair; a strict comparison keeps the first extremum,
/// a non-strict one (select_last_index) the last.
template <typename OpTy, bool IsMax>
struct ArgReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type elementType = inputType.getElementType();
    bool isUnsignedInt = isUnsignedOrBool(op.getInput().getType());
    int64_t rank = inputType.getRank();
    FailureOr<llvm::SmallBitVector> reduced =
        getReducedDims({static_cast<int64_t>(op.getAxis())}, rank);
    if (rank == 0 || failed(reduced))
      return notLowerable(rewriter, op, "axis out of range");
    int64_t axis = reduced->find_first();
    RankedTensorType resultType =
        convertTensorType(*this->getTypeConverter(), op.getType());

    MLIRContext *ctx = rewriter.getContext();
    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> keptSizes = getKeptSizes(sizes, *reduced);
    AffineMap keptMap = getKeptDimsMap(*reduced, ctx);
    Value start =
        IsMax ? createLowestValue(rewriter, loc, elementType, isUnsignedInt)
              : createHighestValue(rewriter, loc, elementType, isUnsignedInt);
    Value valueInit = createFilled(rewriter, loc, keptSizes, start);
    Type i64 = rewriter.getI64Type();
    Value indexInit = createFilled(rewriter, loc, keptSizes,
                                   createScalarConstant(rewriter, loc, i64, 0));
    bool selectLast = op.getSelectLastIndex();
    using Pred = arith::CmpFPredicate;
    using IPred = arith::CmpIPredicate;
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valueInit.getType(), indexInit.getType()},
        input, ValueRange{valueInit, indexInit},
        {rewriter.getMultiDimIdentityMap(rank), keptMap, keptMap},
        getReductionIterators(*reduced),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value x = args[0], best = args[1], bestIndex = args[2];
          Value better =
              IsMax ? createCompare(b, loc, selectLast ? Pred::OGE : Pred::OGT,
                                    selectLast ? IPred::sge : IPred::sgt,
                                    selectLast ? IPred::uge : IPred::ugt, x,
                                    best, isUnsignedInt)
                    : createCompare(b, loc, selectLast ? Pred::OLE : Pred::OLT,
                                    selectLast ? IPred::sle : IPred::slt,
                                    selectLast ? IPred::ule : IPred::ult, x,
                                    best, isUnsignedInt);
          Value index = arith::IndexCastOp::create(
              b, loc, b.getI64Type(), linalg::IndexOp::create(b, loc, axis));
          linalg::YieldOp::create(
              b, loc,
              ValueRange{
                  arith::SelectOp::create(b, loc, better, x, best),
                  arith::SelectOp::create(b, loc, better, index, bestIndex)});
        });
    Value result = generic.getResult(1);
    if (op.getKeepdims())
      result = expandReducedDims(rewriter, loc, result, *reduced, keptSizes);
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};

/// cumsum: scf.for along the axis, accumulating whole slices (one element
/// thick along the axis) with an element-wise generic, in order, so float
/// sums round as a sequential scan does.
struct CumSumLowering : OpConversionPattern<tamp::CumSumOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::CumSumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t rank = inputType.getRank();
    FailureOr<llvm::SmallBitVector> reduced =
        getReducedDims({static_cast<int64_t>(op.getAxis())}, rank);
    if (rank == 0 || failed(reduced))
      return notLowerable(rewriter, op, "axis out of range");
    int64_t axis = reduced->find_first();
    Type elementType = inputType.getElementType();

    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> sliceSizes = sizes;
    sliceSizes[axis] = rewriter.getIndexAttr(1);
    Value output = createEmpty(rewriter, loc, sizes, elementType);
    Value zero = createScalarConstant(rewriter, loc, elementType, 0);
    Value sum = createFilled(rewriter, loc, sliceSizes, zero);
    Value length = getValueOrCreateConstantIndexOp(rewriter, loc, sizes[axis]);
    Value c0 = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value c1 = arith::ConstantIndexOp::create(rewriter, loc, 1);
    bool exclusive = op.getExclusive(), reverse = op.getReverse();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    SmallVector<utils::IteratorType> parallel(rank,
                                              utils::IteratorType::parallel);

    auto loop = scf::ForOp::create(
        rewriter, loc, c0, length, c1, ValueRange{output, sum},
        [&](OpBuilder &b, Location loc, Value step, ValueRange iterArgs) {
          Value position = step;
          if (reverse)
            position = arith::SubIOp::create(
                b, loc, arith::SubIOp::create(b, loc, length, c1), step);
          SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
          offsets[axis] = position;
          SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
          Value out = iterArgs[0], running = iterArgs[1];
          Value slice = tensor::ExtractSliceOp::create(b, loc, input, offsets,
                                                       sliceSizes, strides);
          if (exclusive)
            out = tensor::InsertSliceOp::create(b, loc, running, out, offsets,
                                                sliceSizes, strides);
          running = buildGeneric(
              b, loc, slice, running, {identity, identity}, parallel,
              [](OpBuilder &b, Location loc, ValueRange args) {
                return createAdd(b, loc, args[0], args[1]);
              });
          if (!exclusive)
            out = tensor::InsertSliceOp::create(b, loc, running, out, offsets,
                                                sliceSizes, strides);
          scf::YieldOp::create(b, loc, ValueRange{out, running});
        });
    rewriter.replaceOp(op, loop.getResult(0));
    return success();
  }
};

/// softmax and log_softmax along one axis, numerically stable: a max
/// reduction, a sum of exp(x - max), then one element-wise pass
/// (exp(x - max) / sum, or x - (max + log(sum))).
template <typename OpTy, bool IsLog>
struct SoftmaxLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t rank = inputType.getRank();
    FailureOr<llvm::SmallBitVector> reduced =
        getReducedDims({static_cast<int64_t>(op.getAxis())}, rank);
    if (rank == 0 || failed(reduced))
      return notLowerable(rewriter, op, "axis out of range");
    // Narrow floats are computed in f32, but each element-wise step rounds
    // to the narrow type, as ONNX's reference computes them (exp(x - max)
    // and the sum are narrow values). The reference's f16 row sums
    // accumulate in f32 (NumPy's float16 sums do); its bf16 ones round after
    // every addition (ml_dtypes' bfloat16 sums do), and so do these.
    Type narrowType = inputType.getElementType();
    bool roundsEachAddition = narrowType.isBF16();
    Type elementType = getAccumulatorType(narrowType);
    input = convertFloatElements(rewriter, loc, input, elementType);
    auto round = [narrowType](OpBuilder &b, Location loc, Value value) {
      return roundThrough(b, loc, value, narrowType);
    };

    MLIRContext *ctx = rewriter.getContext();
    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> keptSizes = getKeptSizes(sizes, *reduced);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap keptMap = getKeptDimsMap(*reduced, ctx);
    SmallVector<utils::IteratorType> iterators =
        getReductionIterators(*reduced);

    Value max = buildGeneric(
        rewriter, loc, input,
        createFilled(rewriter, loc, keptSizes,
                     createLowestValue(rewriter, loc, elementType, false)),
        {identity, keptMap}, iterators,
        [](OpBuilder &b, Location loc, ValueRange args) -> Value {
          return arith::MaximumFOp::create(b, loc, args[0], args[1]);
        });
    Value sum = buildGeneric(
        rewriter, loc, ValueRange{input, max},
        createFilled(rewriter, loc, keptSizes,
                     createScalarConstant(rewriter, loc, elementType, 0)),
        {identity, keptMap, keptMap}, iterators,
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value shifted =
              round(b, loc, arith::SubFOp::create(b, loc, args[0], args[1]));
          Value sum = arith::AddFOp::create(
              b, loc, round(b, loc, math::ExpOp::create(b, loc, shifted)),
              args[2]);
          return roundsEachAddition ? round(b, loc, sum) : sum;
        });

    SmallVector<utils::IteratorType> parallel(rank,
                                              utils::IteratorType::parallel);
    Value output = createEmpty(rewriter, loc, sizes, elementType);
    Value result;
    if constexpr (IsLog) {
      // One logarithm per row: offset = max + log(sum).
      Value offset = buildSameShapeElementwise(
          rewriter, loc, ValueRange{max, sum}, keptSizes, elementType,
          [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
            return arith::AddFOp::create(
                b, loc, args[0],
                math::LogOp::create(b, loc, round(b, loc, args[1])));
          });
      result = buildGeneric(
          rewriter, loc, ValueRange{input, offset}, output,
          {identity, keptMap, identity}, parallel,
          [](OpBuilder &b, Location loc, ValueRange args) -> Value {
            return arith::SubFOp::create(b, loc, args[0], args[1]);
          });
    } else {
      result = buildGeneric(
          rewriter, loc, ValueRange{input, max, sum}, output,
          {identity, keptMap, keptMap, identity}, parallel,
          [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
            Value shifted =
                round(b, loc, arith::SubFOp::create(b, loc, args[0], args[1]));
            return arith::DivFOp::create(
                b, loc, round(b, loc, math::ExpOp::create(b, loc, shifted)),
                round(b, loc, args[2]));
          });
    }
    result = convertFloatElements(rewriter, loc, result, narrowType);
    RankedTensorType resultType =
        convertTensorType(*this->getTypeConverter(), op.getType());
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};

} // namespace

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

/// The multiply-accumulate body of a contraction generic.
/// The factors are converted to the accumulator's type first (narrow floats
/// accumulate in f32).
static Value buildMultiplyAccumulate(OpBuilder &b, Location loc,
                                     ValueRange args) {
  Type accumulatorType = args.back().getType();
  auto widen = [&](Value factor) {
    return convertScalar(b, loc, factor, factor.getType(), accumulatorType);
  };
  Value product = widen(args[0]);
  for (Value factor : args.drop_front().drop_back())
    product = createMul(b, loc, product, widen(factor));
  return createAdd(b, loc, product, args.back());
}

static Value createZeroFilled(OpBuilder &b, Location loc,
                              ArrayRef<OpFoldResult> sizes, Type elementType) {
  return createFilled(b, loc, sizes,
                      createScalarConstant(b, loc, elementType, 0));
}

/// Collapses dims [0, count) of `value` into one (count >= 1).
static Value collapseLeadingDims(OpBuilder &b, Location loc, Value value,
                                 int64_t count) {
  int64_t rank = cast<RankedTensorType>(value.getType()).getRank();
  if (count <= 1)
    return value;
  SmallVector<ReassociationIndices> reassociation;
  reassociation.push_back(llvm::to_vector(llvm::seq<int64_t>(0, count)));
  for (int64_t dim = count; dim < rank; ++dim)
    reassociation.push_back({dim});
  return tensor::CollapseShapeOp::create(b, loc, value, reassociation);
}

/// Expands dim 0 of `value` back into `leadingSizes` (the inverse of
/// collapseLeadingDims); `trailingSizes` are the sizes of the other dims.
static Value expandLeadingDim(OpBuilder &b, Location loc, Value value,
                              ArrayRef<OpFoldResult> leadingSizes,
                              ArrayRef<OpFoldResult> trailingSizes) {
  int64_t count = leadingSizes.size();
  if (count <= 1)
    return value;
  SmallVector<OpFoldResult> outputShape(leadingSizes);
  llvm::append_range(outputShape, trailingSizes);
  SmallVector<int64_t> staticShape;
  for (OpFoldResult size : outputShape)
    staticShape.push_back(
        getConstantIntValue(size).value_or(ShapedType::kDynamic));
  auto type = RankedTensorType::get(
      staticShape, cast<RankedTensorType>(value.getType()).getElementType());
  // MLIR's memref lowering (expand-strided-metadata) cannot expand one dim
  // into several dynamic ones; a reshape to a computed shape can.
  if (llvm::count_if(leadingSizes, [](OpFoldResult size) {
        return !getConstantIntValue(size);
      }) > 1) {
    SmallVector<Value> shape;
    for (OpFoldResult size : outputShape)
      shape.push_back(arith::IndexCastOp::create(
          b, loc, b.getI64Type(),
          getValueOrCreateConstantIndexOp(b, loc, size)));
    Value shapeTensor = tensor::FromElementsOp::create(b, loc, shape);
    return tensor::ReshapeOp::create(b, loc, type, value, shapeTensor);
  }
  SmallVector<ReassociationIndices> reassociation;
  reassociation.push_back(llvm::to_vector(llvm::seq<int64_t>(0, count)));
  for (int64_t dim = 0; dim < int64_t(trailingSizes.size()); ++dim)
    reassociation.push_back({count + dim});
  return tensor::ExpandShapeOp::create(b, loc, type, value, reassociation,
                                       outputShape);
}

/// Inserts a size-1 dim at `position` of a 1-D tensor (numpy's promotion of
/// a vector operand of matmul).
static Value promoteVector(OpBuilder &b, Location loc, Value vector,
                           int64_t position) {
  auto type = cast<RankedTensorType>(vector.getType());
  SmallVector<int64_t> shape = {type.getDimSize(0)};
  SmallVector<OpFoldResult> outputShape = {getSizes(b, loc, vector)[0]};
  shape.insert(shape.begin() + position, 1);
  outputShape.insert(outputShape.begin() + position, b.getIndexAttr(1));
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), vector,
      {{0, 1}}, outputShape);
}

namespace {

/// tamp.matmul with numpy semantics. A 2-D right-hand side (the common
/// `[..., M, K] x [K, N]`) becomes one linalg.matmul over the collapsed
/// leading dims; equal batch dims become linalg.batch_matmul; broadcast batch
/// dims a contraction generic.
struct MatMulLowering : OpConversionPattern<tamp::MatMulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (isQuantizedTensor(op.getLhs().getType()))
      return failure();
    Location loc = op.getLoc();
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    if (lhsType.getRank() == 0 || rhsType.getRank() == 0)
      return notLowerable(rewriter, op, "matmul operands must not be scalars");
    Type elementType = lhsType.getElementType();
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());

    bool lhsIsVector = lhsType.getRank() == 1;
    bool rhsIsVector = rhsType.getRank() == 1;
    if (lhsIsVector)
      lhs = promoteVector(rewriter, loc, lhs, /*position=*/0);
    if (rhsIsVector)
      rhs = promoteVector(rewriter, loc, rhs, /*position=*/1);
    lhsType = cast<RankedTensorType>(lhs.getType());
    rhsType = cast<RankedTensorType>(rhs.getType());
    int64_t lhsRank = lhsType.getRank(), rhsRank = rhsType.getRank();

    SmallVector<OpFoldResult> lhsSizes = getSizes(rewriter, loc, lhs);
    SmallVector<OpFoldResult> rhsSizes = getSizes(rewriter, loc, rhs);
    if (failed(assertEqualSizes(
            rewriter, loc, lhsSizes[lhsRank - 1], rhsSizes[rhsRank - 2],
            describeOp(op) + ": the contracted dimensions differ")))
      return notLowerable(rewriter, op, "the contracted dimensions differ");
    OpFoldResult n = rhsSizes[rhsRank - 1];

    // A right-hand side whose batch dims are all static 1 is a matrix that
    // broadcasts over the left-hand side's batch.
    if (rhsRank > 2 && rhsRank <= lhsRank &&
        llvm::all_of(rhsType.getShape().drop_back(2),
                     [](int64_t size) { return size == 1; })) {
      SmallVector<ReassociationIndices> reassociation = {
          llvm::to_vector(llvm::seq<int64_t>(0, rhsRank - 1)), {rhsRank - 1}};
      rhs = tensor::CollapseShapeOp::create(rewriter, loc, rhs, reassociation);
      rhsRank = 2;
    }

    Value product;
    if (rhsRank == 2) {
      // [B..., M, K] x [K, N]: one [B*M, K] x [K, N] matmul.
      Value flatLhs = collapseLeadingDims(rewriter, loc, lhs, lhsRank - 1);
      SmallVector<OpFoldResult> flatSizes = getSizes(rewriter, loc, flatLhs);
      Value init = createZeroFilled(rewriter, loc, {flatSizes[0], n},
                                    getAccumulatorType(elementType));
      Value flat = linalg::MatmulOp::create(rewriter, loc, init.getType(),
                                            ValueRange{flatLhs, rhs}, init)
                       .getResult(0);
      product = expandLeadingDim(rewriter, loc, flat,
                                 ArrayRef(lhsSizes).drop_back(), {n});
    } else {
      FailureOr<Value> batched =
          buildBatchedProduct(rewriter, loc, op, lhs, rhs, lhsSizes, rhsSizes);
      if (failed(batched))
        return failure();
      product = *batched;
    }

    // Remove the dims that the vector promotion added.
    if (lhsIsVector || rhsIsVector) {
      int64_t rank = cast<RankedTensorType>(product.getType()).getRank();
      SmallVector<ReassociationIndices> reassociation;
      for (int64_t dim = 0; dim < rank - 2; ++dim)
        reassociation.push_back({dim});
      if (lhsIsVector && rhsIsVector) {
        if (!reassociation.empty())
          llvm::append_range(reassociation.back(),
                             ArrayRef<int64_t>{rank - 2, rank - 1});
      } else {
        reassociation.push_back({rank - 2, rank - 1});
      }
      product = tensor::CollapseShapeOp::create(rewriter, loc, product,
                                                reassociation);
    }
    product = convertFloatElements(rewriter, loc, product, elementType);
    rewriter.replaceOp(op, castToType(rewriter, loc, product, resultType));
    return success();
  }

  /// `[B..., M, K] x [B..., K, N]` with numpy batch broadcasting, both
  /// operands at least 2-D and the right-hand one at least 3-D.
  FailureOr<Value> buildBatchedProduct(ConversionPatternRewriter &rewriter,
                                       Location loc, tamp::MatMulOp op,
                                       Value lhs, Value rhs,
                                       ArrayRef<OpFoldResult> lhsSizes,
                                       ArrayRef<OpFoldResult> rhsSizes) const {
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    Type accumulatorType = getAccumulatorType(lhsType.getElementType());
    int64_t lhsBatch = lhsType.getRank() - 2, rhsBatch = rhsType.getRank() - 2;
    int64_t batchRank = std::max(lhsBatch, rhsBatch);
    OpFoldResult m = lhsSizes[lhsBatch], n = rhsSizes[rhsBatch + 1];

    // Batch sizes: a dim that is not statically 1 defines the size, others
    // broadcast (static 1) or must agree at run time.
    SmallVector<OpFoldResult> batchSizes;
    SmallVector<bool> lhsBroadcasts(batchRank, false),
        rhsBroadcasts(batchRank, false);
    bool sameBatch = lhsBatch == rhsBatch;
    for (int64_t dim = 0; dim < batchRank; ++dim) {
      int64_t lhsDim = dim - (batchRank - lhsBatch);
      int64_t rhsDim = dim - (batchRank - rhsBatch);
      bool lhsOne = lhsDim < 0 || lhsType.getDimSize(lhsDim) == 1;
      bool rhsOne = rhsDim < 0 || rhsType.getDimSize(rhsDim) == 1;
      if (lhsOne && rhsOne) {
        batchSizes.push_back(rewriter.getIndexAttr(1));
        continue;
      }
      if (lhsOne || rhsOne) {
        sameBatch = false;
        batchSizes.push_back(lhsOne ? rhsSizes[rhsDim] : lhsSizes[lhsDim]);
        if (lhsOne && lhsDim >= 0)
          lhsBroadcasts[dim] = true;
        if (rhsOne && rhsDim >= 0)
          rhsBroadcasts[dim] = true;
        continue;
      }
      if (failed(assertEqualSizes(
              rewriter, loc, lhsSizes[lhsDim], rhsSizes[rhsDim],
              describeOp(op) + ": batch dimension " + Twine(dim) +
                  " differs (dynamic sizes broadcast only when equal)")))
        return notLowerable(rewriter, op, "batch dimensions do not broadcast");
      batchSizes.push_back(lhsSizes[lhsDim]);
    }

    if (sameBatch) {
      // Equal batch dims: collapse them into one and use batch_matmul.
      Value flatLhs = collapseLeadingDims(rewriter, loc, lhs, batchRank);
      Value flatRhs = collapseLeadingDims(rewriter, loc, rhs, batchRank);
      OpFoldResult flatBatch = getSizes(rewriter, loc, flatLhs)[0];
      Value init =
          createZeroFilled(rewriter, loc, {flatBatch, m, n}, accumulatorType);
      Value flat =
          linalg::BatchMatmulOp::create(rewriter, loc, init.getType(),
                                        ValueRange{flatLhs, flatRhs}, init)
              .getResult(0);
      return expandLeadingDim(rewriter, loc, flat, batchSizes, {m, n});
    }

    // Loops: batch dims, then m, n, and the reduction k.
    MLIRContext *ctx = rewriter.getContext();
    int64_t loops = batchRank + 3;
    AffineExpr mExpr = getAffineDimExpr(batchRank, ctx);
    AffineExpr nExpr = getAffineDimExpr(batchRank + 1, ctx);
    AffineExpr kExpr = getAffineDimExpr(batchRank + 2, ctx);
    auto operandMap = [&](int64_t operandBatch, ArrayRef<bool> broadcasts,
                          AffineExpr row, AffineExpr column) {
      SmallVector<AffineExpr> exprs;
      for (int64_t dim = batchRank - operandBatch; dim < batchRank; ++dim)
        exprs.push_back(broadcasts[dim] ? getAffineConstantExpr(0, ctx)
                                        : getAffineDimExpr(dim, ctx));
      exprs.push_back(row);
      exprs.push_back(column);
      return AffineMap::get(loops, 0, exprs, ctx);
    };
    SmallVector<AffineExpr> resultExprs;
    for (int64_t dim = 0; dim < batchRank; ++dim)
      resultExprs.push_back(getAffineDimExpr(dim, ctx));
    resultExprs.push_back(mExpr);
    resultExprs.push_back(nExpr);
    SmallVector<OpFoldResult> resultSizes = batchSizes;
    resultSizes.push_back(m);
    resultSizes.push_back(n);
    SmallVector<utils::IteratorType> iterators(loops,
                                               utils::IteratorType::parallel);
    iterators.back() = utils::IteratorType::reduction;
    return buildGeneric(
        rewriter, loc, ValueRange{lhs, rhs},
        createZeroFilled(rewriter, loc, resultSizes, accumulatorType),
        {operandMap(lhsBatch, lhsBroadcasts, mExpr, kExpr),
         operandMap(rhsBatch, rhsBroadcasts, kExpr, nExpr),
         AffineMap::get(loops, 0, resultExprs, ctx)},
        iterators, buildMultiplyAccumulate);
  }
};

/// tamp.linear: `[..., K] x W[N, K]^T + bias` as one linalg.matmul over the
/// collapsed leading dims, with a transposed-B indexing map, accumulating
/// onto the broadcast bias.
struct LinearLowering : OpConversionPattern<tamp::LinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::LinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (isQuantizedTensor(op.getInput().getType()))
      return failure();
    Location loc = op.getLoc();
    Value input = adaptor.getInput(), weight = adaptor.getWeight();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto weightType = cast<RankedTensorType>(weight.getType());
    if (inputType.getRank() == 0 || weightType.getRank() != 2)
      return notLowerable(rewriter, op,
                          "expects an input of rank >= 1 and a 2-D weight");
    Type elementType = inputType.getElementType();
    Type accumulatorType = getAccumulatorType(elementType);
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());

    bool inputIsVector = inputType.getRank() == 1;
    if (inputIsVector)
      input = promoteVector(rewriter, loc, input, /*position=*/0);
    int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> weightSizes = getSizes(rewriter, loc, weight);
    if (failed(assertEqualSizes(
            rewriter, loc, inputSizes[rank - 1], weightSizes[1],
            describeOp(op) + ": input features differ from the weight's")))
      return notLowerable(rewriter, op,
                          "input features differ from the weight's");
    OpFoldResult n = weightSizes[0];

    Value flatInput = collapseLeadingDims(rewriter, loc, input, rank - 1);
    OpFoldResult rows = getSizes(rewriter, loc, flatInput)[0];
    Value init;
    if (Value bias = adaptor.getBias()) {
      auto biasType = cast<RankedTensorType>(bias.getType());
      if (biasType.getRank() != 1)
        return notLowerable(rewriter, op, "expects a 1-D bias");
      if (failed(assertEqualSizes(
              rewriter, loc, getSizes(rewriter, loc, bias)[0], n,
              describeOp(op) + ": bias size differs from output features")))
        return notLowerable(rewriter, op,
                            "bias size differs from output features");
      Value empty = createEmpty(rewriter, loc, {rows, n}, accumulatorType);
      init = linalg::BroadcastOp::create(
                 rewriter, loc,
                 convertFloatElements(rewriter, loc, bias, accumulatorType),
                 empty, ArrayRef<int64_t>{0})
                 .getResult()[0];
    } else {
      init = createZeroFilled(rewriter, loc, {rows, n}, accumulatorType);
    }

    MLIRContext *ctx = rewriter.getContext();
    AffineExpr mExpr = getAffineDimExpr(0, ctx),
               nExpr = getAffineDimExpr(1, ctx),
               kExpr = getAffineDimExpr(2, ctx);
    ArrayAttr maps = rewriter.getAffineMapArrayAttr(
        {AffineMap::get(3, 0, {mExpr, kExpr}, ctx),
         AffineMap::get(3, 0, {nExpr, kExpr}, ctx),
         AffineMap::get(3, 0, {mExpr, nExpr}, ctx)});
    Value flat =
        linalg::MatmulOp::create(rewriter, loc, init.getType(),
                                 ValueRange{flatInput, weight}, init,
                                 {rewriter.getNamedAttr("indexing_maps", maps)})
            .getResult(0);
    // The epilogue is an element-wise generic on the matmul's result (on
    // the narrow type, as the unfused activation computes it); the CPU
    // pipeline applies it to each register block of the matmul.
    flat = convertFloatElements(rewriter, loc, flat, elementType);
    flat = applyEpilogue(rewriter, loc, flat, op);
    Value result = expandLeadingDim(rewriter, loc, flat,
                                    ArrayRef(inputSizes).drop_back(), {n});
    if (inputIsVector)
      result = tensor::CollapseShapeOp::create(
          rewriter, loc, result, ArrayRef<ReassociationIndices>{{0, 1}});
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};

/// Groups up to this size select each kept weight's input with a chain of
/// compares and selects (vector blends); larger ones gather it.
static constexpr int64_t kMaxSelectedGroupSize = 8;

/// tamp.sparse_linear: one generic over (rows, groups, kept, outputs) with
/// the outputs innermost, so that consecutive outputs update from
/// consecutive values and indices and the loop vectorizes. Within a group
/// of at most kMaxSelectedGroupSize inputs, which do not depend on the
/// output, the kept weight's input is selected by comparing its index with
/// each position (vector compares and blends of broadcast inputs); larger
/// groups (the ELL form) read the input at the index (a gather).
struct SparseLinearLowering : OpConversionPattern<tamp::SparseLinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::SparseLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput(), values = adaptor.getValues(),
          indices = adaptor.getIndices();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type elementType = inputType.getElementType();
    Type accumulatorType = getAccumulatorType(elementType);
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    int64_t groupSize = op.getGroupSize();
    int64_t groups = op.getValues().getType().getDimSize(0);
    int64_t features = op.getInputFeatures();
    OpFoldResult n = rewriter.getIndexAttr(op.getOutputFeatures());

    bool inputIsVector = inputType.getRank() == 1;
    if (inputIsVector)
      input = promoteVector(rewriter, loc, input, /*position=*/0);
    int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    if (failed(assertEqualSizes(
            rewriter, loc, inputSizes[rank - 1],
            rewriter.getIndexAttr(features),
            describeOp(op) + ": input features differ from the weight's")))
      return notLowerable(rewriter, op,
                          "input features differ from the weight's");
    Value flatInput = collapseLeadingDims(rewriter, loc, input, rank - 1);
    OpFoldResult rows = getSizes(rewriter, loc, flatInput)[0];

    Value init;
    if (Value bias = adaptor.getBias()) {
      Value empty = createEmpty(rewriter, loc, {rows, n}, accumulatorType);
      init = linalg::BroadcastOp::create(
                 rewriter, loc,
                 convertFloatElements(rewriter, loc, bias, accumulatorType),
                 empty, ArrayRef<int64_t>{0})
                 .getResult()[0];
    } else {
      init = createZeroFilled(rewriter, loc, {rows, n}, accumulatorType);
    }

    MLIRContext *ctx = rewriter.getContext();
    AffineExpr row = getAffineDimExpr(0, ctx), group = getAffineDimExpr(1, ctx),
               kept = getAffineDimExpr(2, ctx),
               output = getAffineDimExpr(3, ctx);
    AffineMap weightMap = AffineMap::get(4, 0, {group, kept, output}, ctx);
    AffineMap resultMap = AffineMap::get(4, 0, {row, output}, ctx);
    SmallVector<utils::IteratorType> iterators = {
        utils::IteratorType::parallel, utils::IteratorType::reduction,
        utils::IteratorType::reduction, utils::IteratorType::parallel};
    Type indexType = getElementTypeOrSelf(indices.getType());
    auto multiplyAccumulate = [&](OpBuilder &b, Location loc, Value weight,
                                  Value x, Value accumulator) -> Value {
      weight = convertScalar(b, loc, weight, elementType, accumulatorType);
      x = convertScalar(b, loc, x, elementType, accumulatorType);
      Value product = arith::MulFOp::create(b, loc, weight, x);
      return arith::AddFOp::create(b, loc, accumulator, product);
    };

    Value flat;
    if (groupSize <= kMaxSelectedGroupSize) {
      // [rows, K] as [rows, G, M]: one operand per position in the group.
      Value grouped = tensor::ExpandShapeOp::create(
          rewriter, loc,
          RankedTensorType::get(
              {cast<RankedTensorType>(flatInput.getType()).getDimSize(0),
               groups, groupSize},
              elementType),
          flatInput, ArrayRef<ReassociationIndices>{{0}, {1, 2}},
          ArrayRef<OpFoldResult>{rows, rewriter.getIndexAttr(groups),
                                 rewriter.getIndexAttr(groupSize)});
      SmallVector<Value> inputs = {values, indices};
      SmallVector<AffineMap> maps = {weightMap, weightMap};
      for (int64_t position = 0; position < groupSize; ++position) {
        inputs.push_back(grouped);
        maps.push_back(AffineMap::get(
            4, 0, {row, group, getAffineConstantExpr(position, ctx)}, ctx));
      }
      maps.push_back(resultMap);
      flat = buildGeneric(
          rewriter, loc, inputs, init, maps, iterators,
          [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
            // Out-of-range indices (which the verifier rejects in
            // constants) select position 0.
            Value selected = args[2];
            for (int64_t position = 1; position < groupSize; ++position) {
              Value isPosition = arith::CmpIOp::create(
                  b, loc, arith::CmpIPredicate::eq, args[1],
                  arith::ConstantOp::create(
                      b, loc, b.getIntegerAttr(indexType, position)));
              selected = arith::SelectOp::create(b, loc, isPosition,
                                                 args[2 + position], selected);
            }
            return multiplyAccumulate(b, loc, args[0], selected, args.back());
          });
    } else {
      flat = buildGeneric(
          rewriter, loc, ValueRange{values, indices}, init,
          {weightMap, weightMap, resultMap}, iterators,
          [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
            // Clamped into the group, so that a bad index cannot read
            // outside the input.
            Value position =
                arith::IndexCastOp::create(b, loc, b.getIndexType(), args[1]);
            position = arith::MaxSIOp::create(
                b, loc, position, arith::ConstantIndexOp::create(b, loc, 0));
            position = arith::MinSIOp::create(
                b, loc, position,
                arith::ConstantIndexOp::create(b, loc, groupSize - 1));
            Value groupIndex = linalg::IndexOp::create(b, loc, 1);
            Value column = arith::AddIOp::create(
                b, loc,
                arith::MulIOp::create(
                    b, loc, groupIndex,
                    arith::ConstantIndexOp::create(b, loc, groupSize)),
                position);
            Value x = tensor::ExtractOp::create(
                b, loc, flatInput,
                ValueRange{linalg::IndexOp::create(b, loc, 0), column});
            return multiplyAccumulate(b, loc, args[0], x, args.back());
          });
    }
    Value result = expandLeadingDim(rewriter, loc, flat,
                                    ArrayRef(inputSizes).drop_back(), {n});
    if (inputIsVector)
      result = tensor::CollapseShapeOp::create(
          rewriter, loc, result, ArrayRef<ReassociationIndices>{{0, 1}});
    result = convertFloatElements(rewriter, loc, result, elementType);
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }
};

/// tamp.einsum: a contraction generic from the explicit equation, with the
/// output labels as the outer loops; equations that are a plain matmul or
/// batch matmul become the named ops.
struct EinsumLowering : OpConversionPattern<tamp::EinsumOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::EinsumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ValueRange inputs = adaptor.getInputs();
    auto [lhsText, outputTerm] = op.getEquation().split("->");
    SmallVector<StringRef> terms;
    lhsText.split(terms, ',');
    if (lhsText.size() == op.getEquation().size() ||
        terms.size() != inputs.size())
      return notLowerable(rewriter, op,
                          "expects an explicit equation with one term per "
                          "operand");

    // Loop dims: the output labels in order, then the contracted labels in
    // order of appearance.
    std::string labels;
    for (char label : outputTerm) {
      if (labels.find(label) != std::string::npos)
        return notLowerable(rewriter, op,
                            "an output label may appear only once");
      labels.push_back(label);
    }
    int64_t outputRank = labels.size();
    for (StringRef term : terms)
      for (char label : term)
        if (labels.find(label) == std::string::npos)
          labels.push_back(label);
    for (char label : outputTerm)
      if (!llvm::any_of(terms, [&](StringRef t) { return t.contains(label); }))
        return notLowerable(rewriter, op,
                            Twine("output label '") + Twine(label) +
                                "' names no operand dimension");
    for (auto [term, input] : llvm::zip(terms, inputs))
      if (int64_t(term.size()) !=
          cast<RankedTensorType>(input.getType()).getRank())
        return notLowerable(rewriter, op,
                            "a term does not match its operand's rank");

    // Each label's size comes from an operand dim that is not statically 1;
    // the other operand dims with that label broadcast (static 1) or must
    // agree at run time.
    int64_t loops = labels.size();
    SmallVector<OpFoldResult> labelSizes(loops);
    for (auto [term, input] : llvm::zip(terms, inputs)) {
      auto type = cast<RankedTensorType>(input.getType());
      SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, input);
      for (auto [dim, label] : llvm::enumerate(term)) {
        if (type.getDimSize(dim) == 1)
          continue;
        size_t loop = labels.find(label);
        OpFoldResult size = sizes[dim];
        if (!labelSizes[loop]) {
          labelSizes[loop] = size;
          continue;
        }
        if (failed(assertEqualSizes(rewriter, loc, labelSizes[loop], size,
                                    describeOp(op) + ": sizes of label '" +
                                        Twine(label) + "' differ")))
          return notLowerable(rewriter, op,
                              Twine("sizes of label '") + Twine(label) +
                                  "' differ");
      }
    }
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineMap> maps;
    for (auto [term, input] : llvm::zip(terms, inputs)) {
      auto type = cast<RankedTensorType>(input.getType());
      SmallVector<AffineExpr> exprs;
      for (auto [dim, label] : llvm::enumerate(term)) {
        size_t loop = labels.find(label);
        bool broadcast = type.getDimSize(dim) == 1 && labelSizes[loop];
        exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                                  : getAffineDimExpr(loop, ctx));
      }
      maps.push_back(AffineMap::get(loops, 0, exprs, ctx));
    }
    for (OpFoldResult &size : labelSizes)
      if (!size)
        size = rewriter.getIndexAttr(1);
    SmallVector<AffineExpr> outputExprs;
    for (int64_t loop = 0; loop < outputRank; ++loop)
      outputExprs.push_back(getAffineDimExpr(loop, ctx));
    maps.push_back(AffineMap::get(loops, 0, outputExprs, ctx));

    Type elementType =
        cast<RankedTensorType>(inputs.front().getType()).getElementType();
    Type accumulatorType = getAccumulatorType(elementType);
    bool broadcasts = llvm::any_of(maps, [](AffineMap map) {
      return llvm::any_of(map.getResults(), llvm::IsaPred<AffineConstantExpr>);
    });
    Value result;
    if (inputs.size() == 2 && !broadcasts)
      result = buildNamedContraction(rewriter, loc, terms[0], terms[1],
                                     outputTerm, inputs[0], inputs[1],
                                     labelSizes, labels, accumulatorType);
    if (!result) {
      Value init = createZeroFilled(rewriter, loc,
                                    ArrayRef(labelSizes).take_front(outputRank),
                                    accumulatorType);
      SmallVector<utils::IteratorType> iterators(
          loops, utils::IteratorType::reduction);
      std::fill_n(iterators.begin(), outputRank, utils::IteratorType::parallel);
      result = buildGeneric(rewriter, loc, inputs, init, maps, iterators,
                            buildMultiplyAccumulate);
    }
    result = convertFloatElements(rewriter, loc, result, elementType);
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    rewriter.replaceOp(op, castToType(rewriter, loc, result, resultType));
    return success();
  }

  /// A linalg.matmul or linalg.batch_matmul (with transposing indexing maps
  /// where an operand is transposed) for equations `P ik, P kj -> P ij` up
  /// to the order of the two trailing labels of each operand, where P is a
  /// common prefix of batch labels; null for any other equation.
  static Value buildNamedContraction(OpBuilder &b, Location loc,
                                     StringRef lhsTerm, StringRef rhsTerm,
                                     StringRef outputTerm, Value lhs, Value rhs,
                                     ArrayRef<OpFoldResult> labelSizes,
                                     StringRef labels, Type accumulatorType) {
    int64_t batchRank = int64_t(outputTerm.size()) - 2;
    if (batchRank < 0 || int64_t(lhsTerm.size()) != batchRank + 2 ||
        int64_t(rhsTerm.size()) != batchRank + 2)
      return {};
    StringRef batch = outputTerm.take_front(batchRank);
    if (!lhsTerm.starts_with(batch) || !rhsTerm.starts_with(batch))
      return {};
    char row = outputTerm[batchRank], column = outputTerm[batchRank + 1];
    StringRef lhsTail = lhsTerm.drop_front(batchRank);
    StringRef rhsTail = rhsTerm.drop_front(batchRank);
    // The contracted label is the one of lhs's tail that is not the row.
    char reduced = lhsTail[0] == row ? lhsTail[1] : lhsTail[0];
    if (!lhsTail.contains(row) || !rhsTail.contains(column) ||
        !rhsTail.contains(reduced) || reduced == row || reduced == column ||
        outputTerm.contains(reduced) || llvm::any_of(batch, [&](char label) {
          return llvm::count(batch, label) != 1 || lhsTail.contains(label) ||
                 rhsTail.contains(label);
        }))
      return {};

    // Loops: (batch,) m, n, k.
    MLIRContext *ctx = b.getContext();
    int64_t loops = batchRank > 0 ? 4 : 3;
    int64_t first = loops - 3;
    AffineExpr m = getAffineDimExpr(first, ctx),
               n = getAffineDimExpr(first + 1, ctx),
               k = getAffineDimExpr(first + 2, ctx);
    auto map = [&](AffineExpr a, AffineExpr c) {
      SmallVector<AffineExpr> exprs;
      if (batchRank > 0)
        exprs.push_back(getAffineDimExpr(0, ctx));
      exprs.push_back(a);
      exprs.push_back(c);
      return AffineMap::get(loops, 0, exprs, ctx);
    };
    ArrayAttr maps = b.getAffineMapArrayAttr(
        {lhsTail[0] == row ? map(m, k) : map(k, m),
         rhsTail[0] == reduced ? map(k, n) : map(n, k), map(m, n)});

    auto sizeOf = [&](char label) { return labelSizes[labels.find(label)]; };
    SmallVector<OpFoldResult> batchSizes = llvm::map_to_vector(batch, sizeOf);
    SmallVector<OpFoldResult> initSizes = {sizeOf(row), sizeOf(column)};
    NamedAttribute mapsAttr = b.getNamedAttr("indexing_maps", maps);
    if (batchRank == 0) {
      Value init = createZeroFilled(b, loc, initSizes, accumulatorType);
      return linalg::MatmulOp::create(b, loc, init.getType(),
                                      ValueRange{lhs, rhs}, init, {mapsAttr})
          .getResult(0);
    }
    Value flatLhs = collapseLeadingDims(b, loc, lhs, batchRank);
    Value flatRhs = collapseLeadingDims(b, loc, rhs, batchRank);
    initSizes.insert(initSizes.begin(), getSizes(b, loc, flatLhs)[0]);
    Value init = createZeroFilled(b, loc, initSizes, accumulatorType);
    Value flat = linalg::BatchMatmulOp::create(b, loc, init.getType(),
                                               ValueRange{flatLhs, flatRhs},
                                               init, {mapsAttr})
                     .getResult(0);
    return expandLeadingDim(b, loc, flat, batchSizes,
                            ArrayRef(initSizes).drop_front());
  }
};

} // namespace

//===----------------------------------------------------------------------===//
// Integer contractions
//===----------------------------------------------------------------------===//

/// `[rows, K] x W[N, K]^T` of i8 operands accumulating in i32 onto `init`
/// ([rows, N]): the integer kernel that quantized tamp.linear and
/// tamp.linear_integer share.
static Value buildIntegerLinear(OpBuilder &b, Location loc, Value input,
                                Value weight, Value init) {
  MLIRContext *ctx = b.getContext();
  AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx),
             k = getAffineDimExpr(2, ctx);
  ArrayAttr maps = b.getAffineMapArrayAttr({AffineMap::get(3, 0, {m, k}, ctx),
                                            AffineMap::get(3, 0, {n, k}, ctx),
                                            AffineMap::get(3, 0, {m, n}, ctx)});
  return linalg::MatmulOp::create(b, loc, init.getType(),
                                  ValueRange{input, weight}, init,
                                  {b.getNamedAttr("indexing_maps", maps)})
      .getResult(0);
}

/// Sums of an i8 tensor over dimension `dim`, as i32 (the other dimensions
/// kept in order).
static Value sumOverDim(OpBuilder &b, Location loc, Value value, int64_t dim) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(value.getType());
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> sizes = getSizes(b, loc, value);
  sizes.erase(sizes.begin() + dim);
  Value init = createZeroFilled(b, loc, sizes, b.getI32Type());
  SmallVector<AffineExpr> kept;
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  iterators[dim] = utils::IteratorType::reduction;
  for (int64_t d = 0; d < rank; ++d)
    if (d != dim)
      kept.push_back(getAffineDimExpr(d, ctx));
  return buildGeneric(
      b, loc, value, init,
      {AffineMap::getMultiDimIdentityMap(rank, ctx),
       AffineMap::get(rank, 0, kept, ctx)},
      iterators, [](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value wide = arith::ExtSIOp::create(nb, l, nb.getI32Type(), args[0]);
        return arith::AddIOp::create(nb, l, wide, args[1]);
      });
}

namespace {

/// Quantized tamp.linear: the integer kernel onto the zero-point-corrected
/// bias, then the requantizing (or dequantizing) epilogue.
struct QuantizedLinearLowering : OpConversionPattern<tamp::LinearOp> {
  QuantizedLinearLowering(const TypeConverter &converter, MLIRContext *ctx)
      : OpConversionPattern(converter, ctx, /*benefit=*/2) {}

  LogicalResult
  matchAndRewrite(tamp::LinearOp op, OpAdaptor adaptor,
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
                          "the weight of a quantized linear layer must be a "
                          "constant (quant.scast of an i8 constant)");
    RankedTensorType weightType = op.getWeight().getType();
    LoweredQuantParams input = getLoweredParams(inputType);
    FailureOr<Value> bias = createCorrectedBias(
        rewriter, op, op.getBias(), input.zeroPoint,
        sumPerChannel(*weights, weightType.getShape(), /*channelDim=*/0));
    if (failed(bias))
      return failure();

    Value x = adaptor.getInput();
    bool inputIsVector = op.getInput().getType().getRank() == 1;
    if (inputIsVector)
      x = promoteVector(rewriter, loc, x, /*position=*/0);
    int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, x);
    OpFoldResult n = rewriter.getIndexAttr(weightType.getDimSize(0));
    Value flat = collapseLeadingDims(rewriter, loc, x, rank - 1);
    OpFoldResult rows = getSizes(rewriter, loc, flat)[0];
    Value empty = createEmpty(rewriter, loc, {rows, n}, rewriter.getI32Type());
    Value init = linalg::BroadcastOp::create(rewriter, loc, *bias, empty,
                                             ArrayRef<int64_t>{0})
                     .getResult()[0];
    Value acc =
        buildIntegerLinear(rewriter, loc, flat, adaptor.getWeight(), init);

    SmallVector<double> accScales;
    for (double weightScale : getWeightScales(
             cast<quant::QuantizedType>(weightType.getElementType())))
      accScales.push_back(input.scale * weightScale);
    FailureOr<Value> result =
        buildIntegerEpilogue(rewriter, op, acc, /*channelDim=*/1, accScales,
                             op.getType().getElementType());
    if (failed(result))
      return failure();
    Value output = expandLeadingDim(rewriter, loc, *result,
                                    ArrayRef(inputSizes).drop_back(), {n});
    if (inputIsVector)
      output = tensor::CollapseShapeOp::create(
          rewriter, loc, output, ArrayRef<ReassociationIndices>{{0, 1}});
    rewriter.replaceOp(
        op, castToType(rewriter, loc, output,
                       convertTensorType(*getTypeConverter(), op.getType())));
    return success();
  }
};

/// tamp.linear_integer: the integer kernel of quantized tamp.linear, then an
/// epilogue with the run-time input scale and zero point.
struct LinearIntegerLowering : OpConversionPattern<tamp::LinearIntegerOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::LinearIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    std::optional<SmallVector<int8_t>> weights =
        getConstantQuantizedWeight(op.getWeight());
    if (!weights)
      return notLowerable(rewriter, op,
                          "the weight must be a constant (quant.scast of an "
                          "i8 constant)");
    RankedTensorType weightType = op.getWeight().getType();
    SmallVector<int64_t> sums =
        sumPerChannel(*weights, weightType.getShape(), /*channelDim=*/0);
    SmallVector<double> weightScales = getWeightScales(
        cast<quant::QuantizedType>(weightType.getElementType()));
    bool isUnsigned =
        op.getInput().getType().getElementType().isUnsignedInteger();

    Value x = adaptor.getInput();
    if (isUnsigned) {
      // u8 data joins the signed kernel as q - 128 (top bit flipped); the
      // zero point moves alike in the epilogue.
      auto type = cast<RankedTensorType>(x.getType());
      AffineMap identity =
          AffineMap::getMultiDimIdentityMap(type.getRank(), ctx);
      x = buildGeneric(
          rewriter, loc, x,
          createEmpty(rewriter, loc, getSizes(rewriter, loc, x),
                      rewriter.getI8Type()),
          {identity, identity},
          SmallVector<utils::IteratorType>(type.getRank(),
                                           utils::IteratorType::parallel),
          [](OpBuilder &b, Location l, ValueRange args) -> Value {
            return arith::XOrIOp::create(
                b, l, args[0],
                arith::ConstantOp::create(b, l, b.getI8IntegerAttr(-128)));
          });
    }
    bool inputIsVector = op.getInput().getType().getRank() == 1;
    if (inputIsVector)
      x = promoteVector(rewriter, loc, x, /*position=*/0);
    int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, x);
    int64_t features = weightType.getDimSize(0);
    OpFoldResult n = rewriter.getIndexAttr(features);
    Value flat = collapseLeadingDims(rewriter, loc, x, rank - 1);
    OpFoldResult rows = getSizes(rewriter, loc, flat)[0];
    Value acc = buildIntegerLinear(
        rewriter, loc, flat, adaptor.getWeight(),
        createZeroFilled(rewriter, loc, {rows, n}, rewriter.getI32Type()));

    // out = (acc - zero_point * sum(w[n])) * input_scale * weight_scale[n]
    //       + bias[n]
    SmallVector<int32_t> sums32(sums.begin(), sums.end());
    SmallVector<float> scales32;
    for (int64_t c = 0; c < features; ++c)
      scales32.push_back(weightScales[weightScales.size() == 1 ? 0 : c]);
    auto vectorType = [&](Type element) {
      return RankedTensorType::get({features}, element);
    };
    Value sumsValue = arith::ConstantOp::create(
        rewriter, loc,
        DenseIntElementsAttr::get(vectorType(rewriter.getI32Type()),
                                  ArrayRef(sums32)));
    Value scalesValue = arith::ConstantOp::create(
        rewriter, loc,
        DenseFPElementsAttr::get(vectorType(rewriter.getF32Type()),
                                 ArrayRef(scales32)));
    AffineMap identity = AffineMap::getMultiDimIdentityMap(2, ctx);
    AffineMap channel = AffineMap::get(2, 0, getAffineDimExpr(1, ctx), ctx);
    AffineMap scalar = AffineMap::get(2, 0, {}, ctx);
    SmallVector<Value> inputs = {acc, sumsValue, scalesValue,
                                 adaptor.getInputScale(),
                                 adaptor.getInputZeroPoint()};
    SmallVector<AffineMap> maps = {identity, channel, channel, scalar, scalar};
    Value bias = adaptor.getBias();
    if (bias) {
      inputs.push_back(bias);
      maps.push_back(channel);
    }
    maps.push_back(identity);
    Value init = createEmpty(rewriter, loc, {rows, n}, rewriter.getF32Type());
    Value result = buildGeneric(
        rewriter, loc, inputs, init, maps,
        {utils::IteratorType::parallel, utils::IteratorType::parallel},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Type i32 = b.getI32Type(), f32 = b.getF32Type();
          Value zeroPoint =
              isUnsigned
                  ? arith::SubIOp::create(
                        b, l, arith::ExtUIOp::create(b, l, i32, args[4]),
                        arith::ConstantOp::create(b, l,
                                                  b.getI32IntegerAttr(128)))
                        .getResult()
                  : arith::ExtSIOp::create(b, l, i32, args[4]).getResult();
          Value corrected = arith::SubIOp::create(
              b, l, args[0], arith::MulIOp::create(b, l, zeroPoint, args[1]));
          Value scale = arith::MulFOp::create(b, l, args[3], args[2]);
          Value real = arith::MulFOp::create(
              b, l, arith::SIToFPOp::create(b, l, f32, corrected), scale);
          if (bias)
            real = arith::AddFOp::create(b, l, real, args[5]);
          return real;
        });
    Value output = expandLeadingDim(rewriter, loc, result,
                                    ArrayRef(inputSizes).drop_back(), {n});
    if (inputIsVector)
      output = tensor::CollapseShapeOp::create(
          rewriter, loc, output, ArrayRef<ReassociationIndices>{{0, 1}});
    rewriter.replaceOp(op, castToType(rewriter, loc, output, op.getType()));
    return success();
  }
};

/// Quantized tamp.matmul of two activations: i8 matmul (or batch matmul
/// over equal batch dimensions), the zero-point corrections from row and
/// column sums, then the epilogue.
struct QuantizedMatMulLowering : OpConversionPattern<tamp::MatMulOp> {
  QuantizedMatMulLowering(const TypeConverter &converter, MLIRContext *ctx)
      : OpConversionPattern(converter, ctx, /*benefit=*/2) {}

  LogicalResult
  matchAndRewrite(tamp::MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto lhsType = dyn_cast<quant::UniformQuantizedType>(
        getElementTypeOrSelf(op.getLhs().getType()));
    auto rhsType = dyn_cast<quant::UniformQuantizedType>(
        getElementTypeOrSelf(op.getRhs().getType()));
    if (!lhsType || !rhsType)
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto lhsShape = cast<RankedTensorType>(op.getLhs().getType()).getShape();
    auto rhsShape = cast<RankedTensorType>(op.getRhs().getType()).getShape();
    int64_t lhsRank = lhsShape.size(), rhsRank = rhsShape.size();
    // Batch dimensions must agree (dynamic ones are checked at run time):
    // attention's scores and context matmuls never broadcast.
    bool sameBatch =
        rhsRank > 2 && lhsRank == rhsRank &&
        llvm::all_of(llvm::zip(lhsShape.drop_back(2), rhsShape.drop_back(2)),
                     [](auto pair) {
                       auto [lhsSize, rhsSize] = pair;
                       return lhsSize == rhsSize ||
                              ShapedType::isDynamic(lhsSize) ||
                              ShapedType::isDynamic(rhsSize);
                     });
    if (lhsRank < 2 || (rhsRank != 2 && !sameBatch))
      return notLowerable(rewriter, op,
                          "quantized matmul needs a 2-D right-hand side or "
                          "equal batch dimensions");
    LoweredQuantParams lhsParams = getLoweredParams(lhsType);
    LoweredQuantParams rhsParams = getLoweredParams(rhsType);

    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    SmallVector<OpFoldResult> lhsSizes = getSizes(rewriter, loc, lhs);
    SmallVector<OpFoldResult> rhsSizes = getSizes(rewriter, loc, rhs);
    OpFoldResult k = lhsSizes.back(), n = rhsSizes.back();
    if (failed(assertEqualSizes(rewriter, loc, k, rhsSizes[rhsRank - 2],
                                describeOp(op) +
                                    ": the contracted dimensions differ")))
      return notLowerable(rewriter, op, "the contracted dimensions differ");
    if (rhsRank > 2)
      for (int64_t d = 0; d < lhsRank - 2; ++d)
        if (failed(assertEqualSizes(rewriter, loc, lhsSizes[d], rhsSizes[d],
                                    describeOp(op) +
                                        ": the batch dimensions differ")))
          return notLowerable(rewriter, op, "the batch dimensions differ");
    Value acc;
    int64_t accRank;
    if (rhsRank == 2) {
      lhs = collapseLeadingDims(rewriter, loc, lhs, lhsRank - 1);
      OpFoldResult rows = getSizes(rewriter, loc, lhs)[0];
      Value init =
          createZeroFilled(rewriter, loc, {rows, n}, rewriter.getI32Type());
      acc = linalg::MatmulOp::create(rewriter, loc, init.getType(),
                                     ValueRange{lhs, rhs}, init)
                .getResult(0);
      accRank = 2;
    } else {
      lhs = collapseLeadingDims(rewriter, loc, lhs, lhsRank - 2);
      rhs = collapseLeadingDims(rewriter, loc, rhs, rhsRank - 2);
      SmallVector<OpFoldResult> flatSizes = getSizes(rewriter, loc, lhs);
      Value init =
          createZeroFilled(rewriter, loc, {flatSizes[0], flatSizes[1], n},
                           rewriter.getI32Type());
      acc = linalg::BatchMatmulOp::create(rewriter, loc, init.getType(),
                                          ValueRange{lhs, rhs}, init)
                .getResult(0);
      accRank = 3;
    }

    // sum_k (a - za)(b - zb) = ab - zb * rowsum(a) - za * colsum(b)
    //                          + K za zb
    SmallVector<Value> inputs = {acc};
    AffineMap identity = AffineMap::getMultiDimIdentityMap(accRank, ctx);
    SmallVector<AffineMap> maps = {identity};
    SmallVector<AffineExpr> rowExprs, columnExprs;
    for (int64_t d = 0; d < accRank - 2; ++d) {
      rowExprs.push_back(getAffineDimExpr(d, ctx));
      columnExprs.push_back(getAffineDimExpr(d, ctx));
    }
    rowExprs.push_back(getAffineDimExpr(accRank - 2, ctx));
    columnExprs.push_back(getAffineDimExpr(accRank - 1, ctx));
    if (rhsParams.zeroPoint != 0) {
      inputs.push_back(sumOverDim(rewriter, loc, lhs, accRank - 1));
      maps.push_back(AffineMap::get(accRank, 0, rowExprs, ctx));
    }
    if (lhsParams.zeroPoint != 0) {
      inputs.push_back(sumOverDim(rewriter, loc, rhs, accRank - 2));
      maps.push_back(AffineMap::get(accRank, 0, columnExprs, ctx));
    }
    Value kValue = arith::IndexCastOp::create(
        rewriter, loc, rewriter.getI32Type(),
        getValueOrCreateConstantIndexOp(rewriter, loc, k));
    if (inputs.size() > 1) {
      maps.push_back(identity);
      acc = buildGeneric(
          rewriter, loc, inputs,
          createEmpty(rewriter, loc, getSizes(rewriter, loc, acc),
                      rewriter.getI32Type()),
          maps,
          SmallVector<utils::IteratorType>(accRank,
                                           utils::IteratorType::parallel),
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            auto constant = [&](int64_t v) -> Value {
              return arith::ConstantOp::create(b, l, b.getI32IntegerAttr(v));
            };
            Value value = args[0];
            unsigned next = 1;
            if (rhsParams.zeroPoint != 0)
              value = arith::SubIOp::create(
                  b, l, value,
                  arith::MulIOp::create(b, l, constant(rhsParams.zeroPoint),
                                        args[next++]));
            if (lhsParams.zeroPoint != 0)
              value = arith::SubIOp::create(
                  b, l, value,
                  arith::MulIOp::create(b, l, constant(lhsParams.zeroPoint),
                                        args[next++]));
            if (lhsParams.zeroPoint != 0 && rhsParams.zeroPoint != 0)
              value = arith::AddIOp::create(
                  b, l, value,
                  arith::MulIOp::create(
                      b, l, kValue,
                      constant(lhsParams.zeroPoint * rhsParams.zeroPoint)));
            return value;
          });
    }

    FailureOr<Value> result =
        buildIntegerEpilogue(rewriter, op, acc, /*channelDim=*/accRank - 1,
                             {lhsParams.scale * rhsParams.scale},
                             getElementTypeOrSelf(op.getType()));
    if (failed(result))
      return failure();
    Value output;
    if (rhsRank == 2)
      output = expandLeadingDim(rewriter, loc, *result,
                                ArrayRef(lhsSizes).drop_back(), {n});
    else
      output = expandLeadingDim(rewriter, loc, *result,
                                ArrayRef(lhsSizes).drop_back(2),
                                {lhsSizes[lhsRank - 2], n});
    rewriter.replaceOp(
        op, castToType(rewriter, loc, output,
                       convertTensorType(*getTypeConverter(), op.getType())));
    return success();
  }
};

} // namespace

void tamp::populateMathToLinalgPatterns(const TypeConverter &converter,
                                        RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<
      // Unary.
      ElementwiseLowering<AbsOp>, ElementwiseLowering<NegOp>,
      ElementwiseLowering<SqrtOp>, ElementwiseLowering<ExpOp>,
      ElementwiseLowering<LogOp>, ElementwiseLowering<ReciprocalOp>,
      ElementwiseLowering<ErfOp>, ElementwiseLowering<FloorOp>,
      ElementwiseLowering<CeilOp>, ElementwiseLowering<RoundOp>,
      ElementwiseLowering<SinOp>, ElementwiseLowering<CosOp>,
      ElementwiseLowering<TanhOp>, ElementwiseLowering<SigmoidOp>,
      ElementwiseLowering<SiluOp>, ElementwiseLowering<TanOp>,
      ElementwiseLowering<AcosOp>, ElementwiseLowering<AsinOp>,
      ElementwiseLowering<AtanOp>, ElementwiseLowering<SinhOp>,
      ElementwiseLowering<CoshOp>, ElementwiseLowering<AsinhOp>,
      ElementwiseLowering<AcoshOp>, ElementwiseLowering<AtanhOp>,
      ElementwiseLowering<SoftplusOp>, ElementwiseLowering<MishOp>,
      ElementwiseLowering<HardSwishOp>, ElementwiseLowering<NotOp>,
      // Activations.
      ElementwiseLowering<ClampOp>, ElementwiseLowering<LeakyReluOp>,
      ElementwiseLowering<EluOp>, ElementwiseLowering<SeluOp>,
      ElementwiseLowering<HardSigmoidOp>, ElementwiseLowering<GeluOp>,
      ElementwiseLowering<PReluOp>,
      // Binary and select.
      ElementwiseLowering<AddOp>, ElementwiseLowering<SubOp>,
      ElementwiseLowering<MulOp>, ElementwiseLowering<DivOp>,
      ElementwiseLowering<PowOp>, ElementwiseLowering<MinOp>,
      ElementwiseLowering<MaxOp>, ElementwiseLowering<AndOp>,
      ElementwiseLowering<OrOp>, ElementwiseLowering<XorOp>,
      ElementwiseLowering<EqualOp>, ElementwiseLowering<LessOp>,
      ElementwiseLowering<LessEqualOp>, ElementwiseLowering<GreaterOp>,
      ElementwiseLowering<GreaterEqualOp>, ElementwiseLowering<ModOp>,
      ElementwiseLowering<ShiftLeftOp>, ElementwiseLowering<ShiftRightOp>,
      ElementwiseLowering<WhereOp>,
      // Reductions.
      ReduceLowering<ReduceSumOp, ReductionKind::Sum>,
      ReduceLowering<ReduceMeanOp, ReductionKind::Mean>,
      ReduceLowering<ReduceMaxOp, ReductionKind::Max>,
      ReduceLowering<ReduceMinOp, ReductionKind::Min>,
      ReduceLowering<ReduceProdOp, ReductionKind::Prod>,
      ReduceLowering<ReduceL1Op, ReductionKind::L1>,
      ReduceLowering<ReduceL2Op, ReductionKind::L2>,
      ReduceLowering<ReduceSumSquareOp, ReductionKind::SumSquare>,
      ReduceLowering<ReduceLogSumOp, ReductionKind::LogSum>,
      ReduceLowering<ReduceLogSumExpOp, ReductionKind::LogSumExp>,
      ArgReduceLowering<ArgMaxOp, /*IsMax=*/true>,
      ArgReduceLowering<ArgMinOp, /*IsMax=*/false>, CumSumLowering,
      SoftmaxLowering<SoftmaxOp, /*IsLog=*/false>,
      SoftmaxLowering<LogSoftmaxOp, /*IsLog=*/true>,
      // Contractions.
      MatMulLowering, LinearLowering, SparseLinearLowering, EinsumLowering,
      StringEqualLowering,
      // Integer kernels of quantized contractions.
      QuantizedLinearLowering, QuantizedMatMulLowering, LinearIntegerLowering>(
      converter, ctx);
}
