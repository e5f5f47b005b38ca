//===- TensorOps.cpp - Lowering tamp tensor ops to linalg -----------------===//
//
// Data movement lowers to tensor reshapes (expand_shape/collapse_shape where
// the reshape regroups dimensions, tensor.reshape otherwise), slices and
// insert_slices, linalg.transpose, and linalg.generic ops for broadcasts,
// gathers, padding modes other than constant and index computations. Sizes
// that depend on shape operands (Reshape, Expand, Slice, Pad, ...) are
// computed at run time when those operands are not constants, with run-time
// checks where ONNX requires sizes to agree.
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
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace tamp::lowering;
using tamp::getConstantQuantizedWeight;
using tamp::getWeightScales;
using tamp::isQuantizedTensor;

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

namespace {
/// Index arithmetic on folded values: constant operands fold here, so that
/// static shapes produce no IR, and only run-time values emit arith ops.
class IndexMath {
public:
  IndexMath(OpBuilder &b, Location loc) : b(b), loc(loc) {}

  OpFoldResult constant(int64_t value) { return b.getIndexAttr(value); }
  Value value(OpFoldResult ofr) {
    return getValueOrCreateConstantIndexOp(b, loc, ofr);
  }

  OpFoldResult add(OpFoldResult lhs, OpFoldResult rhs) {
    if (isConstantIntValue(rhs, 0))
      return lhs;
    if (isConstantIntValue(lhs, 0))
      return rhs;
    return binary<arith::AddIOp>(lhs, rhs,
                                 [](int64_t l, int64_t r) { return l + r; });
  }
  OpFoldResult sub(OpFoldResult lhs, OpFoldResult rhs) {
    if (isConstantIntValue(rhs, 0))
      return lhs;
    return binary<arith::SubIOp>(lhs, rhs,
                                 [](int64_t l, int64_t r) { return l - r; });
  }
  OpFoldResult mul(OpFoldResult lhs, OpFoldResult rhs) {
    if (isConstantIntValue(rhs, 1))
      return lhs;
    if (isConstantIntValue(lhs, 1))
      return rhs;
    return binary<arith::MulIOp>(lhs, rhs,
                                 [](int64_t l, int64_t r) { return l * r; });
  }
  OpFoldResult min(OpFoldResult lhs, OpFoldResult rhs) {
    return binary<arith::MinSIOp>(
        lhs, rhs, [](int64_t l, int64_t r) { return std::min(l, r); });
  }
  OpFoldResult max(OpFoldResult lhs, OpFoldResult rhs) {
    return binary<arith::MaxSIOp>(
        lhs, rhs, [](int64_t l, int64_t r) { return std::max(l, r); });
  }
  OpFoldResult clamp(OpFoldResult value, OpFoldResult low, OpFoldResult high) {
    return min(max(value, low), high);
  }
  /// Division rounding up; `rhs` is a non-zero constant where this is used.
  OpFoldResult ceilDiv(OpFoldResult lhs, OpFoldResult rhs) {
    if (isConstantIntValue(rhs, 1))
      return lhs;
    return binary<arith::CeilDivSIOp>(lhs, rhs, [](int64_t l, int64_t r) {
      return llvm::divideCeilSigned(l, r);
    });
  }
  OpFoldResult div(OpFoldResult lhs, OpFoldResult rhs) {
    if (isConstantIntValue(rhs, 1))
      return lhs;
    return binary<arith::DivSIOp>(lhs, rhs,
                                  [](int64_t l, int64_t r) { return l / r; });
  }
  OpFoldResult product(ArrayRef<OpFoldResult> values) {
    OpFoldResult result = constant(1);
    for (OpFoldResult v : values)
      result = mul(result, v);
    return result;
  }
  /// `value < 0 ? value + size : value`: ONNX's negative positions.
  OpFoldResult wrapNegative(OpFoldResult value, OpFoldResult size) {
    if (std::optional<int64_t> c = getConstantIntValue(value))
      return *c < 0 ? add(value, size) : value;
    Value v = this->value(value);
    Value isNegative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                             v, this->value(constant(0)));
    Value wrapped = arith::AddIOp::create(b, loc, v, this->value(size));
    return arith::SelectOp::create(b, loc, isNegative, wrapped, v).getResult();
  }

private:
  template <typename OpTy, typename Fn>
  OpFoldResult binary(OpFoldResult lhs, OpFoldResult rhs, Fn fold) {
    std::optional<int64_t> l = getConstantIntValue(lhs);
    std::optional<int64_t> r = getConstantIntValue(rhs);
    if (l && r)
      return constant(fold(*l, *r));
    return OpTy::create(b, loc, value(lhs), value(rhs)).getResult();
  }

  OpBuilder &b;
  Location loc;
};
} // namespace

/// The integer elements of a constant tensor operand. `original` is the
/// operand of the tamp op, `converted` the adaptor's; either may show the
/// constant depending on the order the conversion visits ops.
static std::optional<SmallVector<int64_t>>
getConstantInts(Value original, Value converted = {}) {
  for (Value value : {original, converted}) {
    DenseIntElementsAttr attr;
    if (value && matchPattern(value, m_Constant(&attr)))
      return llvm::map_to_vector(attr.getValues<APInt>(), [](const APInt &v) {
        return v.getSExtValue();
      });
  }
  return std::nullopt;
}

/// Element `position` of a 0-D or 1-D integer tensor as an index value.
static Value extractIndex(OpBuilder &b, Location loc, Value tensor,
                          int64_t position) {
  auto type = cast<RankedTensorType>(tensor.getType());
  SmallVector<Value> indices;
  if (type.getRank() == 1)
    indices.push_back(arith::ConstantIndexOp::create(b, loc, position));
  Value element = tensor::ExtractOp::create(b, loc, tensor, indices);
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), element);
}

/// The entries of a 1-D integer operand: constants where the operand is one,
/// run-time values otherwise.
static SmallVector<OpFoldResult>
getIndexEntries(OpBuilder &b, Location loc, Value original, Value converted) {
  if (std::optional<SmallVector<int64_t>> values =
          getConstantInts(original, converted))
    return llvm::map_to_vector(
        *values, [&](int64_t v) -> OpFoldResult { return b.getIndexAttr(v); });
  auto type = cast<RankedTensorType>(converted.getType());
  int64_t count = type.getRank() == 0 ? 1 : type.getDimSize(0);
  SmallVector<OpFoldResult> entries;
  for (int64_t i = 0; i < count; ++i)
    entries.push_back(extractIndex(b, loc, converted, i));
  return entries;
}

/// True when two sizes are known to be equal: equal constants, the same
/// value, or `tensor.dim` of the same tensor and dimension (getSizes creates
/// a new one on each call).
static bool isSameSize(OpFoldResult lhs, OpFoldResult rhs) {
  std::optional<int64_t> lhsConstant = getConstantIntValue(lhs);
  std::optional<int64_t> rhsConstant = getConstantIntValue(rhs);
  if (lhsConstant || rhsConstant)
    return lhsConstant == rhsConstant;
  if (lhs == rhs)
    return true;
  auto lhsDim = cast<Value>(lhs).getDefiningOp<tensor::DimOp>();
  auto rhsDim = cast<Value>(rhs).getDefiningOp<tensor::DimOp>();
  return lhsDim && rhsDim && lhsDim.getSource() == rhsDim.getSource() &&
         lhsDim.getConstantIndex() &&
         lhsDim.getConstantIndex() == rhsDim.getConstantIndex();
}

/// assertEqualSizes without a check where the sizes are known to agree.
static LogicalResult checkEqualSizes(OpBuilder &b, Location loc,
                                     OpFoldResult lhs, OpFoldResult rhs,
                                     const Twine &message) {
  if (isSameSize(lhs, rhs))
    return success();
  return assertEqualSizes(b, loc, lhs, rhs, message);
}

static Value castTo(OpBuilder &b, Location loc, Value value, Type type) {
  if (value.getType() == type)
    return value;
  return tensor::CastOp::create(b, loc, type, value);
}

/// The type of `type` made static wherever `sizes` are constants.
static RankedTensorType refineType(RankedTensorType type,
                                   ArrayRef<OpFoldResult> sizes) {
  SmallVector<int64_t> shape(type.getShape());
  for (auto [dim, size] : llvm::enumerate(sizes))
    if (std::optional<int64_t> c = getConstantIntValue(size))
      shape[dim] = *c;
  return type.clone(shape);
}

/// A tensor.empty for `resultType` with `sizes`, where `sizes` may be more
/// static than the type; the caller casts the result back.
static Value createEmptyFor(OpBuilder &b, Location loc,
                            RankedTensorType resultType,
                            ArrayRef<OpFoldResult> sizes) {
  return createEmpty(b, loc, sizes, resultType.getElementType());
}

/// A generic over `init` with parallel iterators whose body computes each
/// element from the loop indices (and the scalars of `inputs`).
static Value buildIndexedGeneric(
    OpBuilder &b, Location loc, ValueRange inputs, ArrayRef<AffineMap> maps,
    Value init,
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange, ValueRange)>
        body) {
  auto initType = cast<RankedTensorType>(init.getType());
  SmallVector<AffineMap> allMaps(maps);
  allMaps.push_back(b.getMultiDimIdentityMap(initType.getRank()));
  SmallVector<utils::IteratorType> iterators(initType.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, initType, inputs, init, allMaps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        SmallVector<Value> indices;
        for (int64_t dim = 0; dim < initType.getRank(); ++dim)
          indices.push_back(linalg::IndexOp::create(nested, nestedLoc, dim));
        linalg::YieldOp::create(
            nested, nestedLoc,
            body(nested, nestedLoc, indices, args.drop_back()));
      });
  return generic.getResult(0);
}

/// Reshapes `input` to `sizes` (of `resultType`): expand_shape or
/// collapse_shape when the reshape regroups dimensions, tensor.reshape
/// otherwise. Run-time checks make sure the sizes of each group (or the
/// element counts) agree.
static Value reshapeToSizes(OpBuilder &b, Location loc, Operation *op,
                            Value input, RankedTensorType resultType,
                            ArrayRef<OpFoldResult> sizes) {
  IndexMath math(b, loc);
  auto inputType = cast<RankedTensorType>(input.getType());
  RankedTensorType targetType = refineType(resultType, sizes);
  SmallVector<OpFoldResult> inputSizes = getSizes(b, loc, input);
  std::string message =
      describeOp(op) + ": the element count changes in the reshape";

  // Same sizes (the same constants or run-time values): only a cast.
  if (inputType.getRank() == targetType.getRank() &&
      llvm::all_of(llvm::zip(inputSizes, sizes), [](auto pair) {
        return isSameSize(std::get<0>(pair), std::get<1>(pair));
      }))
    return castTo(b, loc, castTo(b, loc, input, targetType), resultType);

  std::optional<SmallVector<ReassociationIndices>> reassociation;
  if (inputType.getRank() != targetType.getRank())
    reassociation = getReassociationIndicesForReshape(inputType, targetType);
  if (reassociation && inputType.getRank() > targetType.getRank()) {
    for (auto [group, size] : llvm::zip(*reassociation, sizes)) {
      SmallVector<OpFoldResult> groupSizes;
      for (int64_t dim : group)
        groupSizes.push_back(inputSizes[dim]);
      (void)checkEqualSizes(b, loc, math.product(groupSizes), size, message);
    }
    Value collapsed =
        tensor::CollapseShapeOp::create(b, loc, input, *reassociation);
    return castTo(b, loc, castTo(b, loc, collapsed, targetType), resultType);
  }
  if (reassociation) {
    // A collapsed size is dynamic exactly when its group has a dynamic size:
    // refine (or generalize) the input to match the target's groups.
    SmallVector<int64_t> sourceShape(inputType.getShape());
    for (auto [dim, group] : llvm::enumerate(*reassociation)) {
      SmallVector<OpFoldResult> groupSizes;
      bool groupDynamic = false;
      for (int64_t targetDim : group) {
        groupSizes.push_back(sizes[targetDim]);
        groupDynamic |= targetType.isDynamicDim(targetDim);
      }
      OpFoldResult groupSize = math.product(groupSizes);
      (void)checkEqualSizes(b, loc, inputSizes[dim], groupSize, message);
      if (groupDynamic)
        sourceShape[dim] = ShapedType::kDynamic;
      else
        sourceShape[dim] = *getConstantIntValue(groupSize);
    }
    Value source = castTo(b, loc, input, inputType.clone(sourceShape));
    Value expanded = tensor::ExpandShapeOp::create(b, loc, targetType, source,
                                                   *reassociation, sizes);
    return castTo(b, loc, expanded, resultType);
  }

  (void)checkEqualSizes(b, loc, math.product(inputSizes), math.product(sizes),
                        message);
  SmallVector<Value> shapeValues =
      llvm::map_to_vector(sizes, [&](OpFoldResult s) { return math.value(s); });
  auto shapeType = RankedTensorType::get(
      {static_cast<int64_t>(shapeValues.size())}, b.getIndexType());
  Value shape = tensor::FromElementsOp::create(b, loc, shapeType, shapeValues);
  Value reshaped = tensor::ReshapeOp::create(b, loc, targetType, input, shape);
  return castTo(b, loc, reshaped, resultType);
}

/// `axis` made non-negative against `rank`, or nothing when out of range.
static std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  int64_t normalized = axis < 0 ? axis + rank : axis;
  if (normalized < 0 || normalized >= rank)
    return std::nullopt;
  return normalized;
}

namespace {

//===----------------------------------------------------------------------===//
// Constants and casts
//===----------------------------------------------------------------------===//

struct ConstantLowering : OpConversionPattern<tamp::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::ConstantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (isa<tamp::StringType>(getElementTypeOrSelf(op.getType())))
      return notLowerable(rewriter, op, "string constants have no lowering");
    Type resultType = getTypeConverter()->convertType(op.getType());
    if (!resultType)
      return notLowerable(rewriter, op, "the constant's type is not lowerable");
    auto tensorType = cast<RankedTensorType>(resultType);
    ElementsAttr value = op.getValue();
    TypedAttr converted;
    if (value.getType() == tensorType) {
      converted = value;
    } else if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
      // Unsigned integers become signless of the same width: the bits stay.
      converted = dense.bitcast(tensorType.getElementType());
    } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
      // Weights stay in their blob; only the type is re-spelled.
      converted =
          DenseResourceElementsAttr::get(tensorType, resource.getRawHandle());
    } else {
      return notLowerable(rewriter, op, "unsupported constant attribute kind");
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, tensorType, converted);
    return success();
  }
};

struct CastLowering : OpConversionPattern<tamp::CastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Type fromType = op.getInput().getType();
    Type toType = op.getType();
    bool saturate = op.getSaturate();
    tamp::RoundMode roundMode = op.getRoundMode();
    Location loc = op.getLoc();
    Value result = buildElementwise(
        rewriter, loc, op, adaptor.getInput(), resultType,
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) {
          return convertScalar(b, nestedLoc, args[0], fromType, toType,
                               saturate, roundMode);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Reshapes
//===----------------------------------------------------------------------===//

struct ReshapeLowering : OpConversionPattern<tamp::ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    IndexMath math(rewriter, loc);
    Value input = adaptor.getInput();
    int64_t inputRank = cast<RankedTensorType>(input.getType()).getRank();
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> entries =
        getIndexEntries(rewriter, loc, op.getShape(), adaptor.getShape());
    if (static_cast<int64_t>(entries.size()) != resultType.getRank())
      return notLowerable(rewriter, op,
                          "the shape operand's length differs from the "
                          "result rank");
    bool allowZero = op.getAllowzero();

    // Sizes with 0 copied from the input and -1 as 1 (run-time selects where
    // the entries are not constants); the -1 entry is inferred after.
    SmallVector<OpFoldResult> known;
    SmallVector<Value> isInferred(entries.size());
    Value zero = math.value(math.constant(0));
    Value minusOne = math.value(math.constant(-1));
    Value one = math.value(math.constant(1));
    for (auto [dim, entry] : llvm::enumerate(entries)) {
      if (std::optional<int64_t> c = getConstantIntValue(entry)) {
        if (*c == 0 && !allowZero) {
          if (static_cast<int64_t>(dim) >= inputRank)
            return notLowerable(rewriter, op,
                                "a 0 in the shape has no input dimension to "
                                "copy");
          known.push_back(inputSizes[dim]);
        } else if (*c == -1) {
          known.push_back(math.constant(1));
        } else if (*c < 0) {
          return notLowerable(rewriter, op, "negative size in the shape");
        } else {
          known.push_back(entry);
        }
        continue;
      }
      Value value = math.value(entry);
      Value inferred = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::eq, value, minusOne);
      isInferred[dim] = inferred;
      Value size = arith::SelectOp::create(rewriter, loc, inferred, one, value);
      if (!allowZero && static_cast<int64_t>(dim) < inputRank) {
        Value copies = arith::CmpIOp::create(
            rewriter, loc, arith::CmpIPredicate::eq, value, zero);
        size = arith::SelectOp::create(rewriter, loc, copies,
                                       math.value(inputSizes[dim]), size);
      }
      known.push_back(size);
    }

    // The inferred size is the element count over the known sizes (0 when
    // they are empty, where ONNX leaves it 0 too).
    OpFoldResult total = math.product(inputSizes);
    OpFoldResult knownProduct = math.product(known);
    OpFoldResult inferredSize;
    if (isConstantIntValue(knownProduct, 0)) {
      inferredSize = math.constant(0);
    } else if (getConstantIntValue(knownProduct)) {
      inferredSize = math.div(total, knownProduct);
    } else {
      Value divisor = math.value(knownProduct);
      Value isZero = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::eq, divisor, zero);
      Value safeDivisor =
          arith::SelectOp::create(rewriter, loc, isZero, one, divisor);
      inferredSize =
          arith::DivSIOp::create(rewriter, loc, math.value(total), safeDivisor)
              .getResult();
    }
    SmallVector<OpFoldResult> sizes;
    for (auto [dim, entry] : llvm::enumerate(entries)) {
      if (std::optional<int64_t> c = getConstantIntValue(entry)) {
        sizes.push_back(*c == -1 ? inferredSize : known[dim]);
        continue;
      }
      sizes.push_back(arith::SelectOp::create(rewriter, loc, isInferred[dim],
                                              math.value(inferredSize),
                                              math.value(known[dim]))
                          .getResult());
    }
    // Static result sizes are known to the type already; keep them static.
    // Run-time entries must agree with them; an inferred size agrees when
    // the element count does, which the reshape checks.
    for (auto [dim, size] : llvm::enumerate(sizes))
      if (!resultType.isDynamicDim(dim) && !getConstantIntValue(size) &&
          !isConstantIntValue(entries[dim], -1))
        (void)checkEqualSizes(
            rewriter, loc, size, math.constant(resultType.getDimSize(dim)),
            describeOp(op) + ": the shape differs from the result type");
    for (int64_t dim = 0; dim < resultType.getRank(); ++dim)
      if (!resultType.isDynamicDim(dim))
        sizes[dim] = math.constant(resultType.getDimSize(dim));

    rewriter.replaceOp(
        op, reshapeToSizes(rewriter, loc, op, input, resultType, sizes));
    return success();
  }
};

struct FlattenLowering : OpConversionPattern<tamp::FlattenOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::FlattenOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    IndexMath math(rewriter, loc);
    Value input = adaptor.getInput();
    int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
    int64_t axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis > rank)
      return notLowerable(rewriter, op, "axis out of range");
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> sizes = {
        math.product(ArrayRef(inputSizes).take_front(axis)),
        math.product(ArrayRef(inputSizes).drop_front(axis))};
    rewriter.replaceOp(
        op, reshapeToSizes(rewriter, loc, op, input, resultType, sizes));
    return success();
  }
};

struct SqueezeLowering : OpConversionPattern<tamp::SqueezeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::SqueezeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t rank = inputType.getRank();
    llvm::SmallBitVector squeezed(rank, false);
    if (op.getAxes().empty()) {
      for (int64_t dim = 0; dim < rank; ++dim)
        squeezed[dim] = inputType.getDimSize(dim) == 1;
    }
    for (int64_t axis : op.getAxes()) {
      std::optional<int64_t> dim = normalizeAxis(axis, rank);
      if (!dim)
        return notLowerable(rewriter, op, "axis out of range");
      squeezed.set(*dim);
    }
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> sizes;
    for (int64_t dim = 0; dim < rank; ++dim) {
      if (!squeezed.test(dim)) {
        sizes.push_back(inputSizes[dim]);
        continue;
      }
      if (failed(checkEqualSizes(rewriter, loc, inputSizes[dim],
                                 rewriter.getIndexAttr(1),
                                 describeOp(op) + ": squeezed dimension " +
                                     Twine(dim) + " is not 1")))
        return notLowerable(rewriter, op, "a squeezed dimension is not 1");
    }
    if (static_cast<int64_t>(sizes.size()) != resultType.getRank())
      return notLowerable(rewriter, op, "the result rank does not match axes");
    rewriter.replaceOp(
        op, reshapeToSizes(rewriter, loc, op, input, resultType, sizes));
    return success();
  }
};

struct UnsqueezeLowering : OpConversionPattern<tamp::UnsqueezeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::UnsqueezeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    int64_t rank = resultType.getRank();
    llvm::SmallBitVector inserted(rank, false);
    for (int64_t axis : op.getAxes()) {
      std::optional<int64_t> dim = normalizeAxis(axis, rank);
      if (!dim)
        return notLowerable(rewriter, op, "axis out of range");
      inserted.set(*dim);
    }
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    if (static_cast<int64_t>(inputSizes.size() + inserted.count()) != rank)
      return notLowerable(rewriter, op, "the result rank does not match axes");
    SmallVector<OpFoldResult> sizes;
    auto next = inputSizes.begin();
    for (int64_t dim = 0; dim < rank; ++dim)
      sizes.push_back(inserted.test(dim) ? rewriter.getIndexAttr(1) : *next++);
    rewriter.replaceOp(
        op, reshapeToSizes(rewriter, loc, op, input, resultType, sizes));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Permutations, concatenation and slicing
//===----------------------------------------------------------------------===//

struct TransposeLowering : OpConversionPattern<tamp::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    ArrayRef<int64_t> perm = op.getPerm();
    if (perm.size() != inputSizes.size() || !isPermutationVector(perm))
      return notLowerable(rewriter, op, "perm is not a permutation");
    SmallVector<OpFoldResult> sizes;
    for (int64_t dim : perm)
      sizes.push_back(inputSizes[dim]);
    Value init = createEmpty(rewriter, loc, sizes, resultType.getElementType());
    auto transpose =
        linalg::TransposeOp::create(rewriter, loc, input, init, perm);
    rewriter.replaceOp(
        op, castTo(rewriter, loc, transpose->getResult(0), resultType));
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<tamp::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    IndexMath math(rewriter, loc);
    int64_t rank = resultType.getRank();
    std::optional<int64_t> axis =
        normalizeAxis(static_cast<int64_t>(op.getAxis()), rank);
    if (!axis)
      return notLowerable(rewriter, op, "axis out of range");
    SmallVector<Value> inputs(adaptor.getInputs());
    // Quantized inputs with other parameters than the result's are
    // requantized to it in the integer domain.
    if (auto to = dyn_cast<quant::UniformQuantizedType>(
            getElementTypeOrSelf(op.getType()))) {
      for (auto [input, original] : llvm::zip(inputs, op.getInputs())) {
        auto from = cast<quant::UniformQuantizedType>(
            getElementTypeOrSelf(original.getType()));
        if (from == to)
          continue;
        FailureOr<Value> requantized =
            requantize(rewriter, op, input, from, to);
        if (failed(requantized))
          return failure();
        input = *requantized;
      }
    }
    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, inputs.front());
    SmallVector<OpFoldResult> offsets;
    OpFoldResult axisSize = math.constant(0);
    for (auto [index, input] : llvm::enumerate(inputs)) {
      SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
      for (int64_t dim = 0; dim < rank; ++dim) {
        if (dim == *axis)
          continue;
        if (failed(checkEqualSizes(rewriter, loc, sizes[dim], inputSizes[dim],
                                   describeOp(op) + ": input " + Twine(index) +
                                       " differs in size along dimension " +
                                       Twine(dim))))
          return notLowerable(rewriter, op, "input sizes differ");
      }
      offsets.push_back(axisSize);
      axisSize = math.add(axisSize, inputSizes[*axis]);
    }
    sizes[*axis] = axisSize;
    Value result =
        createEmpty(rewriter, loc, sizes, resultType.getElementType());
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    for (auto [input, offset] : llvm::zip(inputs, offsets)) {
      SmallVector<OpFoldResult> sliceOffsets(rank, rewriter.getIndexAttr(0));
      sliceOffsets[*axis] = offset;
      result = createInsertSlice(rewriter, loc, input, result, sliceOffsets,
                                 getSizes(rewriter, loc, input), strides);
    }
    rewriter.replaceOp(op, castTo(rewriter, loc, result, resultType));
    return success();
  }
};

struct SplitLowering : OpConversionPattern<tamp::SplitOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::SplitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    IndexMath math(rewriter, loc);
    Value input = adaptor.getInput();
    int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
    std::optional<int64_t> axis =
        normalizeAxis(static_cast<int64_t>(op.getAxis()), rank);
    if (!axis)
      return notLowerable(rewriter, op, "axis out of range");
    ArrayRef<int64_t> pieceSizes = op.getSizes();
    if (pieceSizes.size() != op.getNumResults())
      return notLowerable(rewriter, op, "one size per result is required");
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    int64_t total = 0;
    for (int64_t size : pieceSizes)
      total += size;
    if (failed(checkEqualSizes(
            rewriter, loc, inputSizes[*axis], math.constant(total),
            describeOp(op) + ": the sizes do not sum to the input's "
                             "size along the axis")))
      return notLowerable(rewriter, op,
                          "the sizes do not sum to the input's size");
    SmallVector<Value> results;
    int64_t offset = 0;
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    for (auto [size, result] : llvm::zip(pieceSizes, op.getResults())) {
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      offsets[*axis] = rewriter.getIndexAttr(offset);
      SmallVector<OpFoldResult> sizes(inputSizes);
      sizes[*axis] = rewriter.getIndexAttr(size);
      Value slice =
          createExtractSlice(rewriter, loc, input, offsets, sizes, strides);
      results.push_back(
          castTo(rewriter, loc, slice,
                 convertTensorType(*getTypeConverter(), result.getType())));
      offset += size;
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// The clamped start and element count of a slice of a dimension of
/// `dimSize` with ONNX semantics: negative positions count from the back,
/// starts and ends clamp into the dimension, and a negative step walks
/// backwards. A run-time step computes both cases and selects.
static std::pair<OpFoldResult, OpFoldResult>
getSliceRange(OpBuilder &b, Location loc, OpFoldResult start, OpFoldResult end,
              OpFoldResult step, OpFoldResult dimSize) {
  IndexMath math(b, loc);
  // Constants beyond any size are clamped first, so that wrapping negative
  // values cannot overflow.
  auto clampHuge = [&](OpFoldResult value) -> OpFoldResult {
    if (std::optional<int64_t> c = getConstantIntValue(value))
      return math.constant(
          std::clamp<int64_t>(*c, -(int64_t(1) << 40), int64_t(1) << 40));
    return value;
  };
  start = math.wrapNegative(clampHuge(start), dimSize);
  end = math.wrapNegative(clampHuge(end), dimSize);
  OpFoldResult zero = math.constant(0);
  auto forward = [&]() -> std::pair<OpFoldResult, OpFoldResult> {
    OpFoldResult first = math.clamp(start, zero, dimSize);
    OpFoldResult last = math.clamp(end, zero, dimSize);
    return {first, math.max(math.ceilDiv(math.sub(last, first), step), zero)};
  };
  auto backward = [&]() -> std::pair<OpFoldResult, OpFoldResult> {
    OpFoldResult lastIndex = math.sub(dimSize, math.constant(1));
    OpFoldResult first = math.clamp(start, zero, lastIndex);
    OpFoldResult last = math.clamp(end, math.constant(-1), lastIndex);
    return {first,
            math.max(math.ceilDiv(math.sub(first, last), math.sub(zero, step)),
                     zero)};
  };
  if (std::optional<int64_t> constantStep = getConstantIntValue(step))
    return *constantStep > 0 ? forward() : backward();
  auto [forwardStart, forwardSize] = forward();
  auto [backwardStart, backwardSize] = backward();
  Value isForward = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt,
                                          math.value(step), math.value(zero));
  return {arith::SelectOp::create(b, loc, isForward, math.value(forwardStart),
                                  math.value(backwardStart))
              .getResult(),
          arith::SelectOp::create(b, loc, isForward, math.value(forwardSize),
                                  math.value(backwardSize))
              .getResult()};
}

struct SliceLowering : OpConversionPattern<tamp::SliceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    IndexMath math(rewriter, loc);
    Value input = adaptor.getInput();
    int64_t rank = resultType.getRank();
    SmallVector<OpFoldResult> starts =
        getIndexEntries(rewriter, loc, op.getStarts(), adaptor.getStarts());
    SmallVector<OpFoldResult> ends =
        getIndexEntries(rewriter, loc, op.getEnds(), adaptor.getEnds());
    SmallVector<OpFoldResult> axes =
        getIndexEntries(rewriter, loc, op.getAxes(), adaptor.getAxes());
    SmallVector<OpFoldResult> steps =
        getIndexEntries(rewriter, loc, op.getSteps(), adaptor.getSteps());
    if (starts.size() != axes.size() || ends.size() != axes.size() ||
        steps.size() != axes.size())
      return notLowerable(rewriter, op,
                          "starts, ends, axes and steps differ in length");

    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes(inputSizes);
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    for (auto [index, axisValue] : llvm::enumerate(axes)) {
      OpFoldResult step = steps[index];
      if (std::optional<int64_t> constantStep = getConstantIntValue(step)) {
        if (*constantStep == 0)
          return notLowerable(rewriter, op, "a step is 0");
      } else {
        emitRuntimeCheck(rewriter, loc,
                         arith::CmpIOp::create(
                             rewriter, loc, arith::CmpIPredicate::ne,
                             math.value(step), math.value(math.constant(0))),
                         describeOp(op) + ": a step is 0");
      }
      if (std::optional<int64_t> constantAxis =
              getConstantIntValue(axisValue)) {
        std::optional<int64_t> axis = normalizeAxis(*constantAxis, rank);
        if (!axis)
          return notLowerable(rewriter, op, "axis out of range");
        auto [offset, size] = getSliceRange(
            rewriter, loc, starts[index], ends[index], step, inputSizes[*axis]);
        offsets[*axis] = offset;
        sizes[*axis] = size;
        strides[*axis] = step;
        continue;
      }
      // A run-time axis: every dimension selects whether it is the one.
      OpFoldResult axis = math.wrapNegative(axisValue, math.constant(rank));
      Value axisIndex = math.value(axis);
      emitRuntimeCheck(
          rewriter, loc,
          arith::AndIOp::create(
              rewriter, loc,
              arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sge,
                                    axisIndex, math.value(math.constant(0))),
              arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::slt,
                                    axisIndex,
                                    math.value(math.constant(rank)))),
          describeOp(op) + ": an axis is out of range");
      for (int64_t dim = 0; dim < rank; ++dim) {
        auto [offset, size] = getSliceRange(rewriter, loc, starts[index],
                                            ends[index], step, inputSizes[dim]);
        Value isThis =
            arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                  axisIndex, math.value(math.constant(dim)));
        auto select = [&](OpFoldResult chosen, OpFoldResult other) {
          return OpFoldResult(arith::SelectOp::create(rewriter, loc, isThis,
                                                      math.value(chosen),
                                                      math.value(other))
                                  .getResult());
        };
        offsets[dim] = select(offset, offsets[dim]);
        sizes[dim] = select(size, sizes[dim]);
        strides[dim] = select(step, strides[dim]);
      }
    }

    Value result;
    bool forward = llvm::all_of(strides, [](OpFoldResult stride) {
      std::optional<int64_t> c = getConstantIntValue(stride);
      return c && *c > 0;
    });
    if (forward) {
      result =
          createExtractSlice(rewriter, loc, input, offsets, sizes, strides);
    } else {
      // extract_slice has no negative strides: read each element.
      Value init = createEmptyFor(rewriter, loc, resultType, sizes);
      SmallVector<Value> offsetValues = llvm::map_to_vector(
          offsets, [&](OpFoldResult o) { return math.value(o); });
      SmallVector<Value> strideValues = llvm::map_to_vector(
          strides, [&](OpFoldResult s) { return math.value(s); });
      result = buildIndexedGeneric(
          rewriter, loc, {}, {}, init,
          [&](OpBuilder &b, Location nestedLoc, ValueRange indices,
              ValueRange) -> Value {
            SmallVector<Value> source;
            for (auto [dim, index] : llvm::enumerate(indices)) {
              Value scaled =
                  arith::MulIOp::create(b, nestedLoc, index, strideValues[dim]);
              source.push_back(arith::AddIOp::create(
                  b, nestedLoc, offsetValues[dim], scaled));
            }
            return tensor::ExtractOp::create(b, nestedLoc, input, source);
          });
    }
    rewriter.replaceOp(op, castTo(rewriter, loc, result, resultType));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Broadcasts and repetition
//===----------------------------------------------------------------------===//

struct ExpandLowering : OpConversionPattern<tamp::ExpandOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::ExpandOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    IndexMath math(rewriter, loc);
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t rank = resultType.getRank();
    SmallVector<OpFoldResult> shape =
        getIndexEntries(rewriter, loc, op.getShape(), adaptor.getShape());
    if (inputType.getRank() > rank)
      return notLowerable(rewriter, op, "the input has a higher rank");
    // Shorter shapes align at the right like any broadcast.
    SmallVector<OpFoldResult> target(rank - shape.size(),
                                     rewriter.getIndexAttr(1));
    target.append(shape);
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    int64_t offset = rank - inputType.getRank();
    SmallVector<OpFoldResult> sizes;
    for (int64_t dim = 0; dim < rank; ++dim) {
      if (!resultType.isDynamicDim(dim)) {
        sizes.push_back(math.constant(resultType.getDimSize(dim)));
        continue;
      }
      int64_t inputDim = dim - offset;
      if (inputDim < 0) {
        sizes.push_back(target[dim]);
        continue;
      }
      // Dynamic: max(input, shape) where either is 1, checked at run time.
      Value inputSize = math.value(inputSizes[inputDim]);
      Value shapeSize = math.value(target[dim]);
      Value one = math.value(math.constant(1));
      Value size = arith::MaxSIOp::create(rewriter, loc, inputSize, shapeSize);
      Value inputOk = arith::OrIOp::create(
          rewriter, loc,
          arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                inputSize, one),
          arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                inputSize, size));
      Value shapeOk = arith::OrIOp::create(
          rewriter, loc,
          arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                shapeSize, one),
          arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                shapeSize, size));
      emitRuntimeCheck(rewriter, loc,
                       arith::AndIOp::create(rewriter, loc, inputOk, shapeOk),
                       describeOp(op) +
                           ": the shape does not broadcast "
                           "with the input along dimension " +
                           Twine(dim));
      sizes.push_back(size);
    }
    // A dynamic input size that is 1 at run time broadcasts only if the
    // result is 1 there too: check it equals the result size.
    for (int64_t inputDim = 0; inputDim < inputType.getRank(); ++inputDim)
      if (inputType.isDynamicDim(inputDim))
        (void)checkEqualSizes(
            rewriter, loc, inputSizes[inputDim], sizes[inputDim + offset],
            describeOp(op) + ": dynamic input dimension " + Twine(inputDim) +
                " broadcasts only when it equals the result's size");
    Value init = createEmptyFor(rewriter, loc, resultType, sizes);
    auto initType = cast<RankedTensorType>(init.getType());
    AffineMap inputMap = getBroadcastMap(inputType, initType);
    Value result = buildIndexedGeneric(rewriter, loc, input, inputMap, init,
                                       [](OpBuilder &, Location, ValueRange,
                                          ValueRange args) { return args[0]; });
    rewriter.replaceOp(op, castTo(rewriter, loc, result, resultType));
    return success();
  }
};

struct TileLowering : OpConversionPattern<tamp::TileOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::TileOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    IndexMath math(rewriter, loc);
    Value input = adaptor.getInput();
    int64_t rank = resultType.getRank();
    SmallVector<OpFoldResult> repeats =
        getIndexEntries(rewriter, loc, op.getRepeats(), adaptor.getRepeats());
    if (static_cast<int64_t>(repeats.size()) != rank)
      return notLowerable(rewriter, op, "one repeat per dimension is required");
    // Broadcast to [r0, d0, r1, d1, ...], then collapse the pairs.
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> broadcastSizes;
    SmallVector<AffineExpr> inputExprs;
    SmallVector<ReassociationIndices> pairs;
    for (int64_t dim = 0; dim < rank; ++dim) {
      broadcastSizes.push_back(repeats[dim]);
      broadcastSizes.push_back(inputSizes[dim]);
      inputExprs.push_back(rewriter.getAffineDimExpr(2 * dim + 1));
      pairs.push_back({2 * dim, 2 * dim + 1});
    }
    Value init =
        createEmpty(rewriter, loc, broadcastSizes, resultType.getElementType());
    AffineMap inputMap =
        AffineMap::get(2 * rank, 0, inputExprs, rewriter.getContext());
    Value broadcast =
        buildIndexedGeneric(rewriter, loc, input, inputMap, init,
                            [](OpBuilder &, Location, ValueRange,
                               ValueRange args) { return args[0]; });
    Value result =
        tensor::CollapseShapeOp::create(rewriter, loc, broadcast, pairs);
    rewriter.replaceOp(op, castTo(rewriter, loc, result, resultType));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Gathers
//===----------------------------------------------------------------------===//

/// `index` (an integer scalar of the indices tensor) as an index into a
/// dimension of `size`: negative values count from the back, and values out
/// of range fail a run-time check.
static Value normalizeGatherIndex(OpBuilder &b, Location loc, Value index,
                                  Value size, const Twine &message) {
  Value value = arith::IndexCastOp::create(b, loc, b.getIndexType(), index);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value isNegative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, value, zero);
  Value wrapped = arith::AddIOp::create(b, loc, value, size);
  value = arith::SelectOp::create(b, loc, isNegative, wrapped, value);
  Value inRange = arith::AndIOp::create(
      b, loc,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, value, zero),
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, value, size));
  emitRuntimeCheck(b, loc, inRange, message);
  return value;
}

struct GatherLowering : OpConversionPattern<tamp::GatherOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Value indices = adaptor.getIndices();
    int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
    int64_t indicesRank = cast<RankedTensorType>(indices.getType()).getRank();
    std::optional<int64_t> axis =
        normalizeAxis(static_cast<int64_t>(op.getAxis()), rank);
    if (!axis)
      return notLowerable(rewriter, op, "axis out of range");
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> indicesSizes = getSizes(rewriter, loc, indices);
    SmallVector<OpFoldResult> sizes(ArrayRef(inputSizes).take_front(*axis));
    sizes.append(indicesSizes);
    sizes.append(llvm::to_vector(ArrayRef(inputSizes).drop_front(*axis + 1)));

    SmallVector<AffineExpr> indicesExprs;
    for (int64_t dim = 0; dim < indicesRank; ++dim)
      indicesExprs.push_back(rewriter.getAffineDimExpr(*axis + dim));
    AffineMap indicesMap =
        AffineMap::get(sizes.size(), 0, indicesExprs, rewriter.getContext());
    Value axisSize =
        getValueOrCreateConstantIndexOp(rewriter, loc, inputSizes[*axis]);
    std::string message = describeOp(op) + ": an index is out of range";
    Value init = createEmptyFor(rewriter, loc, resultType, sizes);
    Value result = buildIndexedGeneric(
        rewriter, loc, indices, indicesMap, init,
        [&](OpBuilder &b, Location nestedLoc, ValueRange loopIndices,
            ValueRange args) -> Value {
          SmallVector<Value> source(loopIndices.take_front(*axis));
          source.push_back(
              normalizeGatherIndex(b, nestedLoc, args[0], axisSize, message));
          source.append(
              llvm::to_vector(loopIndices.drop_front(*axis + indicesRank)));
          return tensor::ExtractOp::create(b, nestedLoc, input, source);
        });
    rewriter.replaceOp(op, castTo(rewriter, loc, result, resultType));
    return success();
  }
};

struct GatherElementsLowering : OpConversionPattern<tamp::GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::GatherElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Value indices = adaptor.getIndices();
    int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
    std::optional<int64_t> axis =
        normalizeAxis(static_cast<int64_t>(op.getAxis()), rank);
    if (!axis)
      return notLowerable(rewriter, op, "axis out of range");
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, indices);
    Value axisSize =
        getValueOrCreateConstantIndexOp(rewriter, loc, inputSizes[*axis]);
    std::string message = describeOp(op) + ": an index is out of range";
    Value init = createEmptyFor(rewriter, loc, resultType, sizes);
    Value result = buildIndexedGeneric(
        rewriter, loc, indices, rewriter.getMultiDimIdentityMap(rank), init,
        [&](OpBuilder &b, Location nestedLoc, ValueRange loopIndices,
            ValueRange args) -> Value {
          SmallVector<Value> source(loopIndices);
          source[*axis] =
              normalizeGatherIndex(b, nestedLoc, args[0], axisSize, message);
          return tensor::ExtractOp::create(b, nestedLoc, input, source);
        });
    rewriter.replaceOp(op, castTo(rewriter, loc, result, resultType));
    return success();
  }
};

struct GatherNDLowering : OpConversionPattern<tamp::GatherNDOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::GatherNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Value indices = adaptor.getIndices();
    auto indicesType = cast<RankedTensorType>(indices.getType());
    int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
    int64_t indicesRank = indicesType.getRank();
    int64_t batchDims = static_cast<int64_t>(op.getBatchDims());
    if (indicesRank < 1 || indicesType.isDynamicDim(indicesRank - 1))
      return notLowerable(rewriter, op,
                          "the last indices dimension must be static");
    int64_t tupleSize = indicesType.getDimSize(indicesRank - 1);
    if (batchDims < 0 || batchDims >= indicesRank ||
        batchDims + tupleSize > rank)
      return notLowerable(rewriter, op,
                          "batch_dims and the index tuples exceed the rank");
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> indicesSizes = getSizes(rewriter, loc, indices);
    for (int64_t dim = 0; dim < batchDims; ++dim)
      (void)checkEqualSizes(rewriter, loc, inputSizes[dim], indicesSizes[dim],
                            describeOp(op) + ": batch dimension " + Twine(dim) +
                                " differs");
    SmallVector<OpFoldResult> sizes(ArrayRef(indicesSizes).drop_back());
    sizes.append(llvm::to_vector(
        ArrayRef(inputSizes).drop_front(batchDims + tupleSize)));
    SmallVector<Value> tupleDimSizes;
    for (int64_t j = 0; j < tupleSize; ++j)
      tupleDimSizes.push_back(getValueOrCreateConstantIndexOp(
          rewriter, loc, inputSizes[batchDims + j]));
    std::string message = describeOp(op) + ": an index is out of range";
    Value init = createEmptyFor(rewriter, loc, resultType, sizes);
    Value result = buildIndexedGeneric(
        rewriter, loc, {}, {}, init,
        [&](OpBuilder &b, Location l, ValueRange loopIndices,
            ValueRange) -> Value {
          ValueRange outer = loopIndices.take_front(indicesRank - 1);
          SmallVector<Value> source(outer.take_front(batchDims));
          for (int64_t j = 0; j < tupleSize; ++j) {
            SmallVector<Value> at(outer);
            at.push_back(arith::ConstantIndexOp::create(b, l, j));
            Value index = tensor::ExtractOp::create(b, l, indices, at);
            source.push_back(
                normalizeGatherIndex(b, l, index, tupleDimSizes[j], message));
          }
          source.append(
              llvm::to_vector(loopIndices.drop_front(indicesRank - 1)));
          return tensor::ExtractOp::create(b, l, input, source);
        });
    rewriter.replaceOp(op, castTo(rewriter, loc, result, resultType));
    return success();
  }
};

/// Combines the element already in a scatter's output with an update.
static Value combineScatter(OpBuilder &b, Location loc,
                            tamp::ScatterReduction reduction, Value current,
                            Value update, bool isUnsignedInt) {
  bool isFloat = isa<FloatType>(update.getType());
  switch (reduction) {
  case tamp::ScatterReduction::none:
    return update;
  case tamp::ScatterReduction::add:
    if (isFloat)
      return arith::AddFOp::create(b, loc, current, update);
    if (update.getType().isInteger(1))
      return arith::OrIOp::create(b, loc, current, update);
    return arith::AddIOp::create(b, loc, current, update);
  case tamp::ScatterReduction::mul:
    if (isFloat)
      return arith::MulFOp::create(b, loc, current, update);
    if (update.getType().isInteger(1))
      return arith::AndIOp::create(b, loc, current, update);
    return arith::MulIOp::create(b, loc, current, update);
  case tamp::ScatterReduction::max:
    if (isFloat)
      return arith::MaximumFOp::create(b, loc, current, update);
    if (isUnsignedInt || update.getType().isInteger(1))
      return arith::MaxUIOp::create(b, loc, current, update);
    return arith::MaxSIOp::create(b, loc, current, update);
  case tamp::ScatterReduction::min:
    if (isFloat)
      return arith::MinimumFOp::create(b, loc, current, update);
    if (isUnsignedInt || update.getType().isInteger(1))
      return arith::MinUIOp::create(b, loc, current, update);
    return arith::MinSIOp::create(b, loc, current, update);
  }
  llvm_unreachable("unknown scatter reduction");
}

/// Scatters `updates` into `input` with a loop nest over the updates: each
/// iteration computes its target position with `getTarget` and inserts the
/// update (combined with the current element for reductions). Later
/// duplicates win, as in the ONNX reference, since the loops run in order.
static Value buildScatterLoops(
    OpBuilder &b, Location loc, Value input, Value updates,
    tamp::ScatterReduction reduction, bool isUnsignedInt,
    llvm::function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)>
        getTarget) {
  SmallVector<Value> lbs, ubs, steps;
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  for (OpFoldResult size : getSizes(b, loc, updates)) {
    lbs.push_back(zero);
    ubs.push_back(getValueOrCreateConstantIndexOp(b, loc, size));
    steps.push_back(one);
  }
  scf::LoopNest nest = scf::buildLoopNest(
      b, loc, lbs, ubs, steps, ValueRange{input},
      [&](OpBuilder &nested, Location l, ValueRange ivs,
          ValueRange iterArgs) -> scf::ValueVector {
        Value output = iterArgs[0];
        SmallVector<Value> target = getTarget(nested, l, ivs);
        Value update = tensor::ExtractOp::create(nested, l, updates, ivs);
        if (reduction != tamp::ScatterReduction::none) {
          Value current = tensor::ExtractOp::create(nested, l, output, target);
          update = combineScatter(nested, l, reduction, current, update,
                                  isUnsignedInt);
        }
        return {tensor::InsertOp::create(nested, l, update, output, target)
                    .getResult()};
      });
  return nest.results.front();
}

struct ScatterElementsLowering : OpConversionPattern<tamp::ScatterElementsOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::ScatterElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Value indices = adaptor.getIndices();
    Value updates = adaptor.getUpdates();
    int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
    std::optional<int64_t> axis =
        normalizeAxis(static_cast<int64_t>(op.getAxis()), rank);
    if (!axis)
      return notLowerable(rewriter, op, "axis out of range");
    SmallVector<OpFoldResult> indicesSizes = getSizes(rewriter, loc, indices);
    SmallVector<OpFoldResult> updatesSizes = getSizes(rewriter, loc, updates);
    for (int64_t dim = 0; dim < rank; ++dim)
      (void)checkEqualSizes(rewriter, loc, indicesSizes[dim], updatesSizes[dim],
                            describeOp(op) +
                                ": indices and updates differ in dimension " +
                                Twine(dim));
    Value axisSize = getValueOrCreateConstantIndexOp(
        rewriter, loc, getSizes(rewriter, loc, input)[*axis]);
    std::string message = describeOp(op) + ": an index is out of range";
    Value result = buildScatterLoops(
        rewriter, loc, input, updates, op.getReduction(),
        isUnsigned(op.getInput().getType()),
        [&](OpBuilder &b, Location l, ValueRange ivs) {
          SmallVector<Value> target(ivs);
          Value index = tensor::ExtractOp::create(b, l, indices, ivs);
          target[*axis] = normalizeGatherIndex(b, l, index, axisSize, message);
          return target;
        });
    rewriter.replaceOp(op, castTo(rewriter, loc, result, resultType));
    return success();
  }
};

struct ScatterNDLowering : OpConversionPattern<tamp::ScatterNDOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::ScatterNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Value indices = adaptor.getIndices();
    Value updates = adaptor.getUpdates();
    auto indicesType = cast<RankedTensorType>(indices.getType());
    int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
    int64_t indicesRank = indicesType.getRank();
    if (indicesRank < 1 || indicesType.isDynamicDim(indicesRank - 1))
      return notLowerable(rewriter, op,
                          "the last indices dimension must be static");
    int64_t tupleSize = indicesType.getDimSize(indicesRank - 1);
    int64_t updatesRank = cast<RankedTensorType>(updates.getType()).getRank();
    if (tupleSize > rank || updatesRank != indicesRank - 1 + rank - tupleSize)
      return notLowerable(rewriter, op,
                          "the updates do not match the indices and input");
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> indicesSizes = getSizes(rewriter, loc, indices);
    SmallVector<OpFoldResult> updatesSizes = getSizes(rewriter, loc, updates);
    for (int64_t dim = 0; dim < updatesRank; ++dim) {
      OpFoldResult expected =
          dim < indicesRank - 1
              ? indicesSizes[dim]
              : inputSizes[dim - (indicesRank - 1) + tupleSize];
      (void)checkEqualSizes(rewriter, loc, expected, updatesSizes[dim],
                            describeOp(op) + ": updates dimension " +
                                Twine(dim) + " has the wrong size");
    }
    SmallVector<Value> tupleDimSizes;
    for (int64_t j = 0; j < tupleSize; ++j)
      tupleDimSizes.push_back(
          getValueOrCreateConstantIndexOp(rewriter, loc, inputSizes[j]));
    std::string message = describeOp(op) + ": an index is out of range";
    Value result = buildScatterLoops(
        rewriter, loc, input, updates, op.getReduction(),
        isUnsigned(op.getInput().getType()),
        [&](OpBuilder &b, Location l, ValueRange ivs) {
          ValueRange outer = ivs.take_front(indicesRank - 1);
          SmallVector<Value> target;
          for (int64_t j = 0; j < tupleSize; ++j) {
            SmallVector<Value> at(outer);
            at.push_back(arith::ConstantIndexOp::create(b, l, j));
            Value index = tensor::ExtractOp::create(b, l, indices, at);
            target.push_back(
                normalizeGatherIndex(b, l, index, tupleDimSizes[j], message));
          }
          target.append(llvm::to_vector(ivs.drop_front(indicesRank - 1)));
          return target;
        });
    rewriter.replaceOp(op, castTo(rewriter, loc, result, resultType));
    return success();
  }
};

struct NonZeroLowering : OpConversionPattern<tamp::NonZeroOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::NonZeroOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t rank = inputType.getRank();
    if (rank == 0)
      return notLowerable(rewriter, op, "scalar inputs are not supported");
    Type elementType = inputType.getElementType();
    auto isNonZero = [&](OpBuilder &b, Location l, Value value) -> Value {
      Value zero = createScalarConstant(b, l, elementType, 0.0);
      if (isa<FloatType>(elementType))
        return arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNE, value,
                                     zero);
      return arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, value, zero);
    };

    // First count the non-zero elements (a full reduction), then fill the
    // [rank, count] result in row-major order.
    Type i64 = rewriter.getI64Type();
    Value zeroCount = arith::ConstantIntOp::create(rewriter, loc, 0, 64);
    Value countInit = createFilled(rewriter, loc, {}, zeroCount);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::reduction);
    SmallVector<AffineMap> maps = {
        rewriter.getMultiDimIdentityMap(rank),
        AffineMap::get(rank, 0, {}, rewriter.getContext())};
    Value countTensor =
        linalg::GenericOp::create(
            rewriter, loc, countInit.getType(), input, countInit, maps,
            iterators,
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value one = arith::ConstantIntOp::create(b, l, 1, 64);
              Value next = arith::AddIOp::create(b, l, args[1], one);
              linalg::YieldOp::create(
                  b, l,
                  ValueRange{arith::SelectOp::create(
                      b, l, isNonZero(b, l, args[0]), next, args[1])});
            })
            .getResult(0);
    Value count = arith::IndexCastOp::create(
        rewriter, loc, rewriter.getIndexType(),
        tensor::ExtractOp::create(rewriter, loc, countTensor, ValueRange{}));
    Value init =
        createEmpty(rewriter, loc, {rewriter.getIndexAttr(rank), count}, i64);

    SmallVector<Value> lbs, ubs, steps;
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    for (OpFoldResult size : getSizes(rewriter, loc, input)) {
      lbs.push_back(zero);
      ubs.push_back(getValueOrCreateConstantIndexOp(rewriter, loc, size));
      steps.push_back(one);
    }
    scf::LoopNest nest = scf::buildLoopNest(
        rewriter, loc, lbs, ubs, steps, ValueRange{init, zero},
        [&](OpBuilder &b, Location l, ValueRange ivs,
            ValueRange iterArgs) -> scf::ValueVector {
          Value element = tensor::ExtractOp::create(b, l, input, ivs);
          auto ifOp = scf::IfOp::create(
              b, l, isNonZero(b, l, element),
              [&](OpBuilder &then, Location thenLoc) {
                Value output = iterArgs[0];
                for (int64_t dim = 0; dim < rank; ++dim) {
                  Value coordinate =
                      arith::IndexCastOp::create(then, thenLoc, i64, ivs[dim]);
                  Value row =
                      arith::ConstantIndexOp::create(then, thenLoc, dim);
                  output = tensor::InsertOp::create(
                      then, thenLoc, coordinate, output,
                      ValueRange{row, iterArgs[1]});
                }
                Value next = arith::AddIOp::create(
                    then, thenLoc, iterArgs[1],
                    arith::ConstantIndexOp::create(then, thenLoc, 1));
                scf::YieldOp::create(then, thenLoc, ValueRange{output, next});
              },
              [&](OpBuilder &otherwise, Location elseLoc) {
                scf::YieldOp::create(otherwise, elseLoc, iterArgs);
              });
          return {ifOp.getResult(0), ifOp.getResult(1)};
        });
    rewriter.replaceOp(op,
                       castTo(rewriter, loc, nest.results.front(), resultType));
    return success();
  }
};

struct TopKLowering : OpConversionPattern<tamp::TopKOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::TopKOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto valuesType =
        convertTensorType(*getTypeConverter(), op.getValues().getType());
    auto indicesType =
        convertTensorType(*getTypeConverter(), op.getIndices().getType());
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    int64_t rank = valuesType.getRank();
    std::optional<int64_t> axis =
        normalizeAxis(static_cast<int64_t>(op.getAxis()), rank);
    if (!axis)
      return notLowerable(rewriter, op, "axis out of range");
    Type elementType = valuesType.getElementType();
    bool isFloat = isa<FloatType>(elementType);
    bool unsignedInt = isUnsigned(op.getInput().getType());
    bool largest = op.getLargest();

    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    Value axisSize =
        getValueOrCreateConstantIndexOp(rewriter, loc, inputSizes[*axis]);
    Value k = extractIndex(rewriter, loc, adaptor.getK(), 0);
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    emitRuntimeCheck(
        rewriter, loc,
        arith::AndIOp::create(
            rewriter, loc,
            arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sge, k,
                                  zero),
            arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sle, k,
                                  axisSize)),
        describeOp(op) + ": k is negative or exceeds the axis size");
    SmallVector<OpFoldResult> sizes(inputSizes);
    sizes[*axis] = k;
    Value values = createEmptyFor(rewriter, loc, valuesType, sizes);
    Value indices =
        createEmpty(rewriter, loc, sizes, indicesType.getElementType());

    // (a, ia) comes before (b, ib): a better value, or an equal one at a
    // lower index, so that ties keep the lower index first.
    auto precedes = [&](OpBuilder &b, Location l, Value a, Value ia, Value v,
                        Value iv) -> Value {
      Value better, equal;
      if (isFloat) {
        better = arith::CmpFOp::create(b, l,
                                       largest ? arith::CmpFPredicate::OGT
                                               : arith::CmpFPredicate::OLT,
                                       a, v);
        equal = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, a, v);
      } else {
        arith::CmpIPredicate predicate =
            largest ? (unsignedInt ? arith::CmpIPredicate::ugt
                                   : arith::CmpIPredicate::sgt)
                    : (unsignedInt ? arith::CmpIPredicate::ult
                                   : arith::CmpIPredicate::slt);
        better = arith::CmpIOp::create(b, l, predicate, a, v);
        equal = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, a, v);
      }
      Value lower =
          arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, ia, iv);
      return arith::OrIOp::create(b, l, better,
                                  arith::AndIOp::create(b, l, equal, lower));
    };

    // For every slice along the axis, the j-th result is the first element
    // (in that order) after the (j-1)-th: a selection in O(k * n) that
    // needs no scratch memory.
    SmallVector<Value> lbs, ubs, steps;
    for (int64_t dim = 0; dim < rank; ++dim) {
      if (dim == *axis)
        continue;
      lbs.push_back(zero);
      ubs.push_back(
          getValueOrCreateConstantIndexOp(rewriter, loc, inputSizes[dim]));
      steps.push_back(one);
    }
    Value placeholder = createScalarConstant(rewriter, loc, elementType, 0.0);
    scf::LoopNest nest = scf::buildLoopNest(
        rewriter, loc, lbs, ubs, steps, ValueRange{values, indices},
        [&](OpBuilder &b, Location l, ValueRange outer,
            ValueRange outputs) -> scf::ValueVector {
          auto positionAt = [&](Value axisIndex) {
            SmallVector<Value> position(outer.take_front(*axis));
            position.push_back(axisIndex);
            position.append(llvm::to_vector(outer.drop_front(*axis)));
            return position;
          };
          Value noIndex = arith::ConstantIndexOp::create(b, l, -1);
          auto selection = scf::ForOp::create(
              b, l, zero, k, one,
              ValueRange{outputs[0], outputs[1], placeholder, noIndex},
              [&](OpBuilder &sb, Location sl, Value j, ValueRange state) {
                Value previous = state[2];
                Value previousIndex = state[3];
                Value isFirst = arith::CmpIOp::create(
                    sb, sl, arith::CmpIPredicate::eq, j, zero);
                Value falseValue = arith::ConstantIntOp::create(sb, sl, 0, 1);
                auto scan = scf::ForOp::create(
                    sb, sl, zero, axisSize, one,
                    ValueRange{placeholder, noIndex, falseValue},
                    [&](OpBuilder &cb, Location cl, Value t, ValueRange best) {
                      Value candidate = tensor::ExtractOp::create(
                          cb, cl, input, positionAt(t));
                      Value afterPrevious = arith::OrIOp::create(
                          cb, cl, isFirst,
                          precedes(cb, cl, previous, previousIndex, candidate,
                                   t));
                      Value notFound = arith::XOrIOp::create(
                          cb, cl, best[2],
                          arith::ConstantIntOp::create(cb, cl, 1, 1));
                      Value beatsBest = arith::OrIOp::create(
                          cb, cl, notFound,
                          precedes(cb, cl, candidate, t, best[0], best[1]));
                      Value take = arith::AndIOp::create(cb, cl, afterPrevious,
                                                         beatsBest);
                      Value trueValue =
                          arith::ConstantIntOp::create(cb, cl, 1, 1);
                      scf::YieldOp::create(
                          cb, cl,
                          ValueRange{
                              arith::SelectOp::create(cb, cl, take, candidate,
                                                      best[0]),
                              arith::SelectOp::create(cb, cl, take, t, best[1]),
                              arith::SelectOp::create(cb, cl, take, trueValue,
                                                      best[2])});
                    });
                Value bestValue = scan.getResult(0);
                Value bestIndex = scan.getResult(1);
                SmallVector<Value> at = positionAt(j);
                Value newValues =
                    tensor::InsertOp::create(sb, sl, bestValue, state[0], at);
                Value index64 = arith::IndexCastOp::create(
                    sb, sl, sb.getI64Type(), bestIndex);
                Value newIndices =
                    tensor::InsertOp::create(sb, sl, index64, state[1], at);
                scf::YieldOp::create(
                    sb, sl,
                    ValueRange{newValues, newIndices, bestValue, bestIndex});
              });
          return {selection.getResult(0), selection.getResult(1)};
        });
    rewriter.replaceOp(op,
                       {castTo(rewriter, loc, nest.results[0], valuesType),
                        castTo(rewriter, loc, nest.results[1], indicesType)});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Padding
//===----------------------------------------------------------------------===//

struct PadLowering : OpConversionPattern<tamp::PadOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    IndexMath math(rewriter, loc);
    Value input = adaptor.getInput();
    int64_t rank = resultType.getRank();
    SmallVector<OpFoldResult> pads =
        getIndexEntries(rewriter, loc, op.getPads(), adaptor.getPads());
    if (static_cast<int64_t>(pads.size()) != 2 * rank)
      return notLowerable(rewriter, op, "pads must have 2 * rank entries");

    // Negative pads crop first; the rest pads the cropped tensor.
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> cropOffsets, cropSizes, low, high;
    bool crops = false;
    for (int64_t dim = 0; dim < rank; ++dim) {
      OpFoldResult begin = pads[dim], end = pads[rank + dim];
      OpFoldResult cropBegin =
          math.max(math.sub(math.constant(0), begin), math.constant(0));
      OpFoldResult cropEnd =
          math.max(math.sub(math.constant(0), end), math.constant(0));
      crops |=
          !isConstantIntValue(cropBegin, 0) || !isConstantIntValue(cropEnd, 0);
      cropOffsets.push_back(cropBegin);
      cropSizes.push_back(
          math.max(math.sub(inputSizes[dim], math.add(cropBegin, cropEnd)),
                   math.constant(0)));
      low.push_back(math.max(begin, math.constant(0)));
      high.push_back(math.max(end, math.constant(0)));
    }
    if (crops) {
      SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
      input = createExtractSlice(rewriter, loc, input, cropOffsets, cropSizes,
                                 strides);
    }
    SmallVector<OpFoldResult> sizes;
    for (int64_t dim = 0; dim < rank; ++dim)
      sizes.push_back(math.add(math.add(cropSizes[dim], low[dim]), high[dim]));

    Type elementType = resultType.getElementType();
    Value result;
    if (op.getMode() == tamp::PadMode::constant) {
      Value padValue;
      if (Value value = adaptor.getValue()) {
        auto valueType = cast<RankedTensorType>(value.getType());
        SmallVector<Value> zeros(
            valueType.getRank(),
            arith::ConstantIndexOp::create(rewriter, loc, 0));
        padValue = tensor::ExtractOp::create(rewriter, loc, value, zeros);
      } else {
        padValue = createScalarConstant(rewriter, loc, elementType, 0.0);
      }
      RankedTensorType padType = refineType(resultType, sizes);
      auto pad = tensor::PadOp::create(rewriter, loc, padType, input, low, high,
                                       padValue);
      result = pad.getResult();
    } else {
      // reflect, edge and wrap read the input at a mapped index.
      // The mapped index needs elements to read (two for reflect) along
      // every padded dimension.
      int64_t needed = op.getMode() == tamp::PadMode::reflect ? 2 : 1;
      for (int64_t dim = 0; dim < rank; ++dim) {
        if (isConstantIntValue(low[dim], 0) && isConstantIntValue(high[dim], 0))
          continue;
        std::optional<int64_t> size = getConstantIntValue(cropSizes[dim]);
        bool constantPads =
            getConstantIntValue(low[dim]) && getConstantIntValue(high[dim]);
        if (size && *size < needed && constantPads)
          return notLowerable(rewriter, op,
                              "too few elements to pad in this mode along "
                              "dimension " +
                                  Twine(dim));
        if (!size || *size < needed) {
          // Only dimensions padded at run time need the elements.
          Value unpadded = arith::AndIOp::create(
              rewriter, loc,
              arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                    math.value(low[dim]),
                                    math.value(math.constant(0))),
              arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq,
                                    math.value(high[dim]),
                                    math.value(math.constant(0))));
          Value enough = arith::CmpIOp::create(
              rewriter, loc, arith::CmpIPredicate::sge,
              math.value(cropSizes[dim]), math.value(math.constant(needed)));
          emitRuntimeCheck(
              rewriter, loc,
              arith::OrIOp::create(rewriter, loc, unpadded, enough),
              describeOp(op) +
                  ": too few elements to pad in this mode "
                  "along dimension " +
                  Twine(dim));
        }
      }
      SmallVector<Value> lowValues = llvm::map_to_vector(
          low, [&](OpFoldResult v) { return math.value(v); });
      SmallVector<Value> sizeValues = llvm::map_to_vector(
          cropSizes, [&](OpFoldResult v) { return math.value(v); });
      tamp::PadMode mode = op.getMode();
      Value init = createEmptyFor(rewriter, loc, resultType, sizes);
      Value source = input;
      result = buildIndexedGeneric(
          rewriter, loc, {}, {}, init,
          [&](OpBuilder &b, Location l, ValueRange indices,
              ValueRange) -> Value {
            Value zero = arith::ConstantIndexOp::create(b, l, 0);
            Value one = arith::ConstantIndexOp::create(b, l, 1);
            SmallVector<Value> read;
            for (auto [dim, index] : llvm::enumerate(indices)) {
              Value n = sizeValues[dim];
              Value i = arith::SubIOp::create(b, l, index, lowValues[dim]);
              Value last = arith::SubIOp::create(b, l, n, one);
              if (mode == tamp::PadMode::edge) {
                i = arith::MaxSIOp::create(b, l, i, zero);
                i = arith::MinSIOp::create(b, l, i, last);
              } else if (mode == tamp::PadMode::wrap) {
                Value rem = arith::RemSIOp::create(b, l, i, n);
                Value neg = arith::CmpIOp::create(
                    b, l, arith::CmpIPredicate::slt, rem, zero);
                i = arith::SelectOp::create(
                    b, l, neg, arith::AddIOp::create(b, l, rem, n), rem);
              } else {
                // Reflect with period 2 * (n - 1): fold |i| into it.
                Value period = arith::AddIOp::create(b, l, last, last);
                Value safePeriod = arith::MaxSIOp::create(b, l, period, one);
                Value negated = arith::SubIOp::create(b, l, zero, i);
                Value absolute = arith::MaxSIOp::create(b, l, i, negated);
                Value phase =
                    arith::RemSIOp::create(b, l, absolute, safePeriod);
                Value mirrored = arith::SubIOp::create(b, l, period, phase);
                i = arith::MinSIOp::create(b, l, phase, mirrored);
              }
              read.push_back(i);
            }
            return tensor::ExtractOp::create(b, l, source, read);
          });
    }
    rewriter.replaceOp(op, castTo(rewriter, loc, result, resultType));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Resize
//===----------------------------------------------------------------------===//

/// The input coordinate of output coordinate `x` (f32) along a dimension
/// resized from `inputSize` to `outputSize` (f32 values) with `scale`.
static Value getSourceCoordinate(OpBuilder &b, Location loc,
                                 tamp::CoordinateTransform transform, Value x,
                                 Value scale, Value inputSize,
                                 Value outputSize) {
  Type f32 = b.getF32Type();
  auto constant = [&](double value) {
    return createScalarConstant(b, loc, f32, value);
  };
  Value half = constant(0.5);
  Value one = constant(1.0);
  auto halfPixel = [&]() -> Value {
    Value shifted = arith::AddFOp::create(b, loc, x, half);
    return arith::SubFOp::create(
        b, loc, arith::DivFOp::create(b, loc, shifted, scale), half);
  };
  switch (transform) {
  case tamp::CoordinateTransform::half_pixel:
    return halfPixel();
  case tamp::CoordinateTransform::half_pixel_symmetric: {
    // The adjustment compares the whole output elements with the scaled
    // length.
    Value wholeOutput = math::FloorOp::create(b, loc, outputSize);
    Value adjustment = arith::DivFOp::create(
        b, loc, wholeOutput, arith::MulFOp::create(b, loc, scale, inputSize));
    Value center = arith::MulFOp::create(b, loc, inputSize, half);
    Value offset = arith::MulFOp::create(
        b, loc, center, arith::SubFOp::create(b, loc, one, adjustment));
    return arith::AddFOp::create(b, loc, offset, halfPixel());
  }
  case tamp::CoordinateTransform::pytorch_half_pixel: {
    Value isLong = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT,
                                         outputSize, one);
    return arith::SelectOp::create(b, loc, isLong, halfPixel(), constant(0.0));
  }
  case tamp::CoordinateTransform::align_corners: {
    Value isOne = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                        outputSize, one);
    Value ratio = arith::DivFOp::create(
        b, loc, arith::SubFOp::create(b, loc, inputSize, one),
        arith::SubFOp::create(b, loc, outputSize, one));
    Value scaled = arith::MulFOp::create(b, loc, x, ratio);
    return arith::SelectOp::create(b, loc, isOne, constant(0.0), scaled);
  }
  case tamp::CoordinateTransform::asymmetric:
  case tamp::CoordinateTransform::tf_crop_and_resize:
    return arith::DivFOp::create(b, loc, x, scale);
  }
  llvm_unreachable("unknown coordinate transform");
}

/// tf_crop_and_resize's input coordinate (f64) of output position
/// `position` (i64), in the order of operations of ONNX's reference, so that
/// the extrapolation boundary matches: the window [roiStart, roiEnd] of
/// the input spread over the output, or its centre for a single output.
static Value getCropSourceCoordinate(OpBuilder &b, Location loc, Value position,
                                     double roiStart, double roiEnd,
                                     int64_t inputSize, double outputSize) {
  Type f64 = b.getF64Type();
  auto constant = [&](double value) {
    return createScalarConstant(b, loc, f64, value);
  };
  // The roi is f32 data: its extent is an f32 difference.
  double extent = static_cast<double>(static_cast<float>(roiEnd) -
                                      static_cast<float>(roiStart));
  double lastInput = static_cast<double>(inputSize - 1);
  Value offset = constant(roiStart * lastInput);
  if (outputSize == 1.0)
    return arith::AddFOp::create(b, loc, constant(extent * lastInput / 2),
                                 offset);
  Value x = arith::SIToFPOp::create(b, loc, f64, position);
  Value scaled = arith::MulFOp::create(
      b, loc, arith::MulFOp::create(b, loc, x, constant(extent)),
      constant(lastInput));
  return arith::AddFOp::create(
      b, loc, arith::DivFOp::create(b, loc, scaled, constant(outputSize - 1.0)),
      offset);
}

/// Antialiased interpolation weights (f32) of the `taps` input elements at
/// offsets `firstOffset`.. from floor(x), where `t` = x - floor(x): the
/// linear (triangle) or cubic (Keys, coefficient `a`) kernel at distance
/// (offset - t) * scale, normalized to sum 1.
static SmallVector<Value> buildAntialiasWeights(OpBuilder &b, Location loc,
                                                Value t, int64_t firstOffset,
                                                int64_t taps, double scale,
                                                bool cubic, double a) {
  Type f32 = b.getF32Type();
  auto constant = [&](double value) {
    return createScalarConstant(b, loc, f32, value);
  };
  Value zero = constant(0.0), one = constant(1.0);
  auto kernel = [&](Value distance) -> Value {
    Value d = math::AbsFOp::create(b, loc, distance);
    if (!cubic)
      return arith::MaximumFOp::create(
          b, loc, arith::SubFOp::create(b, loc, one, d), zero);
    Value d2 = arith::MulFOp::create(b, loc, d, d);
    Value d3 = arith::MulFOp::create(b, loc, d, d2);
    // |d| <= 1: (A + 2)|d|^3 - (A + 3)|d|^2 + 1.
    Value nearValue = arith::AddFOp::create(
        b, loc,
        arith::SubFOp::create(
            b, loc, arith::MulFOp::create(b, loc, constant(a + 2), d3),
            arith::MulFOp::create(b, loc, constant(a + 3), d2)),
        one);
    // 1 < |d| < 2: A|d|^3 - 5A|d|^2 + 8A|d| - 4A.
    Value farValue = arith::SubFOp::create(
        b, loc,
        arith::AddFOp::create(
            b, loc,
            arith::SubFOp::create(
                b, loc, arith::MulFOp::create(b, loc, constant(a), d3),
                arith::MulFOp::create(b, loc, constant(5 * a), d2)),
            arith::MulFOp::create(b, loc, constant(8 * a), d)),
        constant(4 * a));
    Value isNear =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLE, d, one);
    Value isFar = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, d,
                                        constant(2.0));
    return arith::SelectOp::create(
        b, loc, isNear, nearValue,
        arith::SelectOp::create(b, loc, isFar, farValue, zero));
  };
  SmallVector<Value> weights;
  Value total = zero;
  for (int64_t tap = 0; tap < taps; ++tap) {
    Value offset = constant(static_cast<double>(firstOffset + tap));
    Value distance = arith::MulFOp::create(
        b, loc, arith::SubFOp::create(b, loc, offset, t), constant(scale));
    weights.push_back(kernel(distance));
    total = arith::AddFOp::create(b, loc, total, weights.back());
  }
  for (Value &weight : weights)
    weight = arith::DivFOp::create(b, loc, weight, total);
  return weights;
}

/// `value` (f32) as an index clamped into [0, size - 1].
static Value clampToIndex(OpBuilder &b, Location loc, Value value, Value size) {
  Value index = arith::FPToSIOp::create(b, loc, b.getI64Type(), value);
  index = arith::IndexCastOp::create(b, loc, b.getIndexType(), index);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value last = arith::SubIOp::create(b, loc, size,
                                     arith::ConstantIndexOp::create(b, loc, 1));
  return arith::MinSIOp::create(
      b, loc, arith::MaxSIOp::create(b, loc, index, zero), last);
}

struct ResizeLowering : OpConversionPattern<tamp::ResizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::ResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    int64_t rank = resultType.getRank();
    tamp::ResizeMode mode = op.getMode();
    tamp::CoordinateTransform transform = op.getCoordinateTransform();
    // tf_crop_and_resize reads a window [roi start, roi end] of each
    // dimension, relative to its size; a dimension whose window is not
    // [0, 1] is resampled even at scale 1.
    bool cropAndResize =
        transform == tamp::CoordinateTransform::tf_crop_and_resize;
    SmallVector<double> roiStarts(rank, 0.0), roiEnds(rank, 1.0);
    if (cropAndResize) {
      DenseFPElementsAttr roiAttr;
      if (!op.getRoi() ||
          (!matchPattern(op.getRoi(), m_Constant(&roiAttr)) &&
           !matchPattern(adaptor.getRoi(), m_Constant(&roiAttr))))
        return notLowerable(rewriter, op,
                            "tf_crop_and_resize needs a constant roi");
      SmallVector<double> roi = llvm::map_to_vector(
          roiAttr.getValues<APFloat>(),
          [](const APFloat &v) { return v.convertToDouble(); });
      if (static_cast<int64_t>(roi.size()) != 2 * rank)
        return notLowerable(rewriter, op,
                            "roi needs a start and an end per dimension");
      for (int64_t dim = 0; dim < rank; ++dim) {
        roiStarts[dim] = roi[dim];
        roiEnds[dim] = roi[rank + dim];
      }
    }

    // Scales and output sizes per dimension, from constant operands.
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    SmallVector<double> scales(rank, 1.0);
    SmallVector<OpFoldResult> sizes(inputSizes);
    SmallVector<bool> resized(rank, false);
    if (op.getScales()) {
      DenseFPElementsAttr attr;
      if (!matchPattern(op.getScales(), m_Constant(&attr)) &&
          !matchPattern(adaptor.getScales(), m_Constant(&attr)))
        return notLowerable(rewriter, op, "scales must be constants");
      SmallVector<double> values =
          llvm::map_to_vector(attr.getValues<APFloat>(), [](const APFloat &v) {
            return v.convertToDouble();
          });
      if (static_cast<int64_t>(values.size()) != rank)
        return notLowerable(rewriter, op, "one scale per dimension is needed");
      for (int64_t dim = 0; dim < rank; ++dim) {
        scales[dim] = values[dim];
        if (values[dim] == 1.0)
          continue;
        resized[dim] = true;
        std::optional<int64_t> inputSize = getConstantIntValue(inputSizes[dim]);
        if (!inputSize)
          return notLowerable(rewriter, op,
                              "scaled dimensions must have static sizes");
        sizes[dim] = rewriter.getIndexAttr(
            static_cast<int64_t>(std::floor(*inputSize * values[dim])));
      }
    } else if (op.getSizes()) {
      std::optional<SmallVector<int64_t>> values =
          getConstantInts(op.getSizes(), adaptor.getSizes());
      if (!values || static_cast<int64_t>(values->size()) != rank)
        return notLowerable(rewriter, op,
                            "sizes must be constants, one per dimension");
      // not_larger/not_smaller: one scale (the smallest or largest ratio)
      // for the policy's axes, whose sizes become round_half_up(scale * in).
      tamp::AspectRatioPolicy policy = op.getAspectRatioPolicy();
      SmallVector<bool> policyAxes(rank, false);
      if (policy != tamp::AspectRatioPolicy::stretch) {
        ArrayRef<int64_t> axes = op.getAxes();
        for (int64_t dim = 0; dim < rank; ++dim)
          policyAxes[dim] = axes.empty() || llvm::is_contained(axes, dim);
        std::optional<double> common;
        for (int64_t dim = 0; dim < rank; ++dim) {
          if (!policyAxes[dim])
            continue;
          std::optional<int64_t> inputSize =
              getConstantIntValue(inputSizes[dim]);
          if (!inputSize || *inputSize == 0)
            return notLowerable(rewriter, op,
                                "the policy's dimensions must have static, "
                                "non-zero sizes");
          double ratio = static_cast<double>((*values)[dim]) / *inputSize;
          if (!common)
            common = ratio;
          else if (policy == tamp::AspectRatioPolicy::not_larger)
            common = std::min(*common, ratio);
          else
            common = std::max(*common, ratio);
        }
        for (int64_t dim = 0; dim < rank; ++dim) {
          if (!policyAxes[dim] || !common)
            continue;
          int64_t inputSize = *getConstantIntValue(inputSizes[dim]);
          scales[dim] = *common;
          resized[dim] = *common != 1.0;
          sizes[dim] = rewriter.getIndexAttr(
              static_cast<int64_t>(std::floor(*common * inputSize + 0.5)));
        }
      }
      for (int64_t dim = 0; dim < rank; ++dim) {
        if (policyAxes[dim])
          continue;
        std::optional<int64_t> inputSize = getConstantIntValue(inputSizes[dim]);
        if (inputSize && *inputSize == (*values)[dim])
          continue;
        if (!inputSize)
          return notLowerable(rewriter, op,
                              "resized dimensions must have static sizes");
        resized[dim] = true;
        scales[dim] = static_cast<double>((*values)[dim]) / *inputSize;
        sizes[dim] = rewriter.getIndexAttr((*values)[dim]);
      }
    } else {
      return notLowerable(rewriter, op, "neither scales nor sizes are given");
    }

    for (int64_t dim = 0; dim < rank; ++dim) {
      if (resized[dim] || (roiStarts[dim] == 0.0 && roiEnds[dim] == 1.0))
        continue;
      if (!getConstantIntValue(inputSizes[dim]))
        return notLowerable(rewriter, op,
                            "cropped dimensions must have static sizes");
      resized[dim] = true;
    }

    Type elementType = resultType.getElementType();
    Type f32 = rewriter.getF32Type();
    Type f64 = rewriter.getF64Type();
    tamp::NearestMode nearestMode = op.getNearestMode();
    double cubicCoeffA = op.getCubicCoeffA().convertToDouble();
    bool excludeOutside = op.getExcludeOutside();
    Value init = createEmptyFor(rewriter, loc, resultType, sizes);
    Value result = buildIndexedGeneric(
        rewriter, loc, {}, {}, init,
        [&](OpBuilder &b, Location l, ValueRange indices, ValueRange) -> Value {
          // Per resized dimension: the source coordinate.
          SmallVector<Value> coordinates(rank);
          SmallVector<Value> dimSizes(rank);
          Value insideAll;
          for (int64_t dim = 0; dim < rank; ++dim) {
            if (!resized[dim])
              continue;
            int64_t inputSize = *getConstantIntValue(inputSizes[dim]);
            // With scales, ONNX transforms with the unrounded output length.
            double outputSize =
                op.getScales()
                    ? inputSize * scales[dim]
                    : static_cast<double>(*getConstantIntValue(sizes[dim]));
            dimSizes[dim] = arith::ConstantIndexOp::create(b, l, inputSize);
            Value position =
                arith::IndexCastOp::create(b, l, b.getI64Type(), indices[dim]);
            if (cropAndResize) {
              Value x =
                  getCropSourceCoordinate(b, l, position, roiStarts[dim],
                                          roiEnds[dim], inputSize, outputSize);
              // Coordinates outside the input read the extrapolation value.
              Value inside = arith::AndIOp::create(
                  b, l,
                  arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, x,
                                        createScalarConstant(b, l, f64, 0.0)),
                  arith::CmpFOp::create(
                      b, l, arith::CmpFPredicate::OLE, x,
                      createScalarConstant(b, l, f64, inputSize - 1.0)));
              insideAll = insideAll
                              ? arith::AndIOp::create(b, l, insideAll, inside)
                              : inside;
              coordinates[dim] = arith::TruncFOp::create(b, l, f32, x);
              continue;
            }
            Value x = arith::SIToFPOp::create(b, l, f32, position);
            coordinates[dim] = getSourceCoordinate(
                b, l, transform, x,
                createScalarConstant(b, l, f32, scales[dim]),
                createScalarConstant(b, l, f32, inputSize),
                createScalarConstant(b, l, f32, outputSize));
          }
          // tf_crop_and_resize: the extrapolation value outside the input.
          auto extrapolate = [&](Value value) -> Value {
            if (!insideAll)
              return value;
            Value outside = convertScalar(
                b, l,
                createScalarConstant(
                    b, l, f32, op.getExtrapolationValue().convertToDouble()),
                f32, elementType);
            return arith::SelectOp::create(b, l, insideAll, value, outside);
          };
          if (mode == tamp::ResizeMode::nearest) {
            SmallVector<Value> source(indices);
            for (int64_t dim = 0; dim < rank; ++dim) {
              if (!resized[dim])
                continue;
              Value x = coordinates[dim];
              Value rounded;
              switch (nearestMode) {
              case tamp::NearestMode::floor:
                rounded = math::FloorOp::create(b, l, x);
                break;
              case tamp::NearestMode::ceil:
                rounded = math::CeilOp::create(b, l, x);
                break;
              case tamp::NearestMode::round_prefer_floor:
              case tamp::NearestMode::round_prefer_ceil: {
                // Halves go to the preferred side, others to the nearest.
                Value floor = math::FloorOp::create(b, l, x);
                Value isHalf =
                    arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ,
                                          arith::SubFOp::create(b, l, x, floor),
                                          createScalarConstant(b, l, f32, 0.5));
                Value preferred =
                    nearestMode == tamp::NearestMode::round_prefer_floor
                        ? floor
                        : math::CeilOp::create(b, l, x).getResult();
                rounded = arith::SelectOp::create(
                    b, l, isHalf, preferred, math::RoundOp::create(b, l, x));
                break;
              }
              }
              source[dim] = clampToIndex(b, l, rounded, dimSizes[dim]);
            }
            return extrapolate(tensor::ExtractOp::create(b, l, input, source));
          }

          // Linear (2 taps) and cubic (4 taps): a weighted sum over the
          // taps around the source coordinate in every resized dimension,
          // reading with edge clamping.
          bool cubic = mode == tamp::ResizeMode::cubic;
          SmallVector<int64_t> resizedDims, tapCounts(rank, 0);
          SmallVector<SmallVector<Value>> tapIndex(rank), tapWeight(rank);
          Value one = createScalarConstant(b, l, f32, 1.0);
          for (int64_t dim = 0; dim < rank; ++dim) {
            if (!resized[dim])
              continue;
            resizedDims.push_back(dim);
            Value x = coordinates[dim];
            Value floor = math::FloorOp::create(b, l, x);
            Value t = arith::SubFOp::create(b, l, x, floor);
            SmallVector<Value> weights;
            int64_t taps = cubic ? 4 : 2;
            int64_t firstOffset = cubic ? -1 : 0;
            if (op.getAntialias() && scales[dim] < 1.0) {
              // Downsampling with antialias stretches the kernel by 1 /
              // scale: more taps, each weighted by the kernel at its scaled
              // distance, normalized to sum 1.
              double scale = scales[dim];
              firstOffset = static_cast<int64_t>(
                  std::floor((cubic ? -2.0 : -1.0) / scale) + 1);
              taps = 2 - 2 * firstOffset;
              weights = buildAntialiasWeights(b, l, t, firstOffset, taps, scale,
                                              cubic, cubicCoeffA);
            } else if (!cubic) {
              weights = {arith::SubFOp::create(b, l, one, t), t};
            } else {
              // Keys' cubic convolution with coefficient A at distances
              // 1 + t, t, 1 - t and 2 - t.
              Value a = createScalarConstant(b, l, f32, cubicCoeffA);
              auto constant = [&](double v) {
                return createScalarConstant(b, l, f32, v);
              };
              auto far = [&](Value d) -> Value {
                // ((A * d - 5A) * d + 8A) * d - 4A
                Value r = arith::SubFOp::create(
                    b, l, arith::MulFOp::create(b, l, a, d),
                    arith::MulFOp::create(b, l, a, constant(5.0)));
                r = arith::AddFOp::create(
                    b, l, arith::MulFOp::create(b, l, r, d),
                    arith::MulFOp::create(b, l, a, constant(8.0)));
                return arith::SubFOp::create(
                    b, l, arith::MulFOp::create(b, l, r, d),
                    arith::MulFOp::create(b, l, a, constant(4.0)));
              };
              auto near = [&](Value d) -> Value {
                // ((A + 2) * d - (A + 3)) * d * d + 1
                Value r = arith::SubFOp::create(
                    b, l,
                    arith::MulFOp::create(
                        b, l, arith::AddFOp::create(b, l, a, constant(2.0)), d),
                    arith::AddFOp::create(b, l, a, constant(3.0)));
                r = arith::MulFOp::create(b, l,
                                          arith::MulFOp::create(b, l, r, d), d);
                return arith::AddFOp::create(b, l, r, one);
              };
              Value oneMinusT = arith::SubFOp::create(b, l, one, t);
              weights = {far(arith::AddFOp::create(b, l, t, one)), near(t),
                         near(oneMinusT),
                         far(arith::AddFOp::create(b, l, oneMinusT, one))};
            }
            Value size = dimSizes[dim];
            Value sizeFloat = createScalarConstant(
                b, l, f32,
                static_cast<double>(*getConstantIntValue(inputSizes[dim])));
            Value total = createScalarConstant(b, l, f32, 0.0);
            tapCounts[dim] = taps;
            for (int64_t tap = 0; tap < taps; ++tap) {
              Value position = arith::AddFOp::create(
                  b, l, floor,
                  createScalarConstant(b, l, f32,
                                       static_cast<double>(firstOffset + tap)));
              tapIndex[dim].push_back(clampToIndex(b, l, position, size));
              if (excludeOutside) {
                // Taps outside the input get no weight; the rest are
                // renormalized below.
                Value inside = arith::AndIOp::create(
                    b, l,
                    arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE,
                                          position,
                                          createScalarConstant(b, l, f32, 0.0)),
                    arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT,
                                          position, sizeFloat));
                weights[tap] = arith::SelectOp::create(
                    b, l, inside, weights[tap],
                    createScalarConstant(b, l, f32, 0.0));
              }
              total = arith::AddFOp::create(b, l, total, weights[tap]);
            }
            if (excludeOutside)
              for (Value &weight : weights)
                weight = arith::DivFOp::create(b, l, weight, total);
            tapWeight[dim] = weights;
          }
          Value sum = createScalarConstant(b, l, f32, 0.0);
          int64_t combinations = 1;
          for (int64_t dim : resizedDims)
            combinations *= tapCounts[dim];
          for (int64_t combination = 0; combination < combinations;
               ++combination) {
            SmallVector<Value> source(indices);
            Value weight = one;
            int64_t rest = combination;
            for (int64_t dim : resizedDims) {
              int64_t tap = rest % tapCounts[dim];
              rest /= tapCounts[dim];
              source[dim] = tapIndex[dim][tap];
              weight = arith::MulFOp::create(b, l, weight, tapWeight[dim][tap]);
            }
            Value element = tensor::ExtractOp::create(b, l, input, source);
            element = convertScalar(b, l, element, elementType, f32);
            sum = arith::AddFOp::create(
                b, l, sum, arith::MulFOp::create(b, l, weight, element));
          }
          return extrapolate(convertScalar(b, l, sum, f32, elementType));
        });
    rewriter.replaceOp(op, castTo(rewriter, loc, result, resultType));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Shapes, fills and ranges
//===----------------------------------------------------------------------===//

struct ShapeLowering : OpConversionPattern<tamp::ShapeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::ShapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
    auto clampPosition = [&](int64_t position) {
      if (position < 0)
        position += rank;
      return std::clamp<int64_t>(position, 0, rank);
    };
    int64_t start = clampPosition(static_cast<int64_t>(op.getStart()));
    int64_t end =
        op.getEnd() ? clampPosition(static_cast<int64_t>(*op.getEnd())) : rank;
    SmallVector<OpFoldResult> inputSizes = getSizes(rewriter, loc, input);
    SmallVector<Value> elements;
    for (int64_t dim = start; dim < end; ++dim) {
      Value size =
          getValueOrCreateConstantIndexOp(rewriter, loc, inputSizes[dim]);
      elements.push_back(arith::IndexCastOp::create(
          rewriter, loc, rewriter.getI64Type(), size));
    }
    auto type = RankedTensorType::get({static_cast<int64_t>(elements.size())},
                                      rewriter.getI64Type());
    Value result;
    if (elements.empty())
      result = createEmpty(rewriter, loc, {rewriter.getIndexAttr(0)},
                           rewriter.getI64Type());
    else
      result = tensor::FromElementsOp::create(rewriter, loc, type, elements);
    rewriter.replaceOp(op, castTo(rewriter, loc, result, resultType));
    return success();
  }
};

struct FillLowering : OpConversionPattern<tamp::FillOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::FillOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    SmallVector<OpFoldResult> sizes =
        getIndexEntries(rewriter, loc, op.getShape(), adaptor.getShape());
    if (static_cast<int64_t>(sizes.size()) != resultType.getRank())
      return notLowerable(rewriter, op,
                          "the shape's length differs from the result rank");
    for (OpFoldResult &size : sizes)
      if (!getConstantIntValue(size))
        emitRuntimeCheck(rewriter, loc,
                         arith::CmpIOp::create(
                             rewriter, loc, arith::CmpIPredicate::sge,
                             cast<Value>(size),
                             arith::ConstantIndexOp::create(rewriter, loc, 0)),
                         describeOp(op) + ": a size is negative");
    Type elementType = resultType.getElementType();
    TypedAttr value = op.getValue();
    TypedAttr scalar;
    if (auto intAttr = dyn_cast<IntegerAttr>(value))
      scalar = IntegerAttr::get(elementType, intAttr.getValue());
    else if (auto floatAttr = dyn_cast<FloatAttr>(value))
      scalar = FloatAttr::get(elementType, floatAttr.getValueAsDouble());
    else if (auto dense = dyn_cast<DenseElementsAttr>(value);
             dense && dense.getNumElements() == 1)
      scalar = cast<TypedAttr>(
          dense.bitcast(elementType).getSplatValue<Attribute>());
    if (!scalar)
      return notLowerable(rewriter, op, "unsupported fill value");
    Value fillValue = arith::ConstantOp::create(rewriter, loc, scalar);
    Value result = createFilled(rewriter, loc, sizes, fillValue);
    rewriter.replaceOp(op, castTo(rewriter, loc, result, resultType));
    return success();
  }
};

struct RangeLowering : OpConversionPattern<tamp::RangeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::RangeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    auto scalarOf = [&](Value tensor) -> Value {
      auto type = cast<RankedTensorType>(tensor.getType());
      SmallVector<Value> zeros(
          type.getRank(), arith::ConstantIndexOp::create(rewriter, loc, 0));
      return tensor::ExtractOp::create(rewriter, loc, tensor, zeros);
    };
    Value start = scalarOf(adaptor.getStart());
    Value limit = scalarOf(adaptor.getLimit());
    Value delta = scalarOf(adaptor.getDelta());
    Type elementType = resultType.getElementType();
    bool isFloat = isa<FloatType>(elementType);
    bool isUnsignedInt = isUnsigned(op.getStart().getType());

    OpFoldResult count;
    if (!resultType.isDynamicDim(0)) {
      count = rewriter.getIndexAttr(resultType.getDimSize(0));
    } else {
      // max(ceil((limit - start) / delta), 0)
      Value countValue;
      if (isFloat) {
        Value quotient = arith::DivFOp::create(
            rewriter, loc, arith::SubFOp::create(rewriter, loc, limit, start),
            delta);
        Value ceil = math::CeilOp::create(rewriter, loc, quotient);
        countValue =
            arith::FPToSIOp::create(rewriter, loc, rewriter.getI64Type(), ceil);
      } else {
        Type wide = rewriter.getI64Type();
        auto widen = [&](Value v) -> Value {
          if (v.getType() == wide)
            return v;
          if (isUnsignedInt)
            return arith::ExtUIOp::create(rewriter, loc, wide, v);
          return arith::ExtSIOp::create(rewriter, loc, wide, v);
        };
        Value difference =
            arith::SubIOp::create(rewriter, loc, widen(limit), widen(start));
        countValue =
            arith::CeilDivSIOp::create(rewriter, loc, difference, widen(delta));
      }
      Value zero = arith::ConstantIntOp::create(rewriter, loc, 0, 64);
      countValue = arith::MaxSIOp::create(rewriter, loc, countValue, zero);
      count = arith::IndexCastOp::create(rewriter, loc, rewriter.getIndexType(),
                                         countValue)
                  .getResult();
    }
    Value init = createEmpty(rewriter, loc, {count}, elementType);
    Value result = buildIndexedGeneric(
        rewriter, loc, {}, {}, init,
        [&](OpBuilder &b, Location l, ValueRange indices, ValueRange) -> Value {
          Value index =
              arith::IndexCastOp::create(b, l, b.getI64Type(), indices[0]);
          if (isFloat) {
            Value step = arith::SIToFPOp::create(b, l, elementType, index);
            return arith::AddFOp::create(
                b, l, start, arith::MulFOp::create(b, l, step, delta));
          }
          Value step = index;
          if (elementType.getIntOrFloatBitWidth() < 64)
            step = arith::TruncIOp::create(b, l, elementType, index);
          return arith::AddIOp::create(
              b, l, start, arith::MulIOp::create(b, l, step, delta));
        });
    rewriter.replaceOp(op, castTo(rewriter, loc, result, resultType));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Triangles, one-hot and block rearrangements
//===----------------------------------------------------------------------===//

struct TriluLowering : OpConversionPattern<tamp::TriluOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::TriluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    int64_t rank = resultType.getRank();
    if (rank < 2)
      return notLowerable(rewriter, op, "the input has rank below 2");
    Value k = adaptor.getK() ? extractIndex(rewriter, loc, adaptor.getK(), 0)
                             : arith::ConstantIndexOp::create(rewriter, loc, 0);
    bool upper = op.getUpper();
    Type elementType = resultType.getElementType();
    Value init =
        createEmpty(rewriter, loc, getSizes(rewriter, loc, input), elementType);
    Value result = buildIndexedGeneric(
        rewriter, loc, input, rewriter.getMultiDimIdentityMap(rank), init,
        [&](OpBuilder &b, Location l, ValueRange indices,
            ValueRange args) -> Value {
          // Upper keeps j - i >= k, lower keeps j - i <= k.
          Value diagonal =
              arith::SubIOp::create(b, l, indices[rank - 1], indices[rank - 2]);
          Value keep = arith::CmpIOp::create(b, l,
                                             upper ? arith::CmpIPredicate::sge
                                                   : arith::CmpIPredicate::sle,
                                             diagonal, k);
          Value zero = createScalarConstant(b, l, elementType, 0.0);
          return arith::SelectOp::create(b, l, keep, args[0], zero);
        });
    rewriter.replaceOp(op, castTo(rewriter, loc, result, resultType));
    return success();
  }
};

struct OneHotLowering : OpConversionPattern<tamp::OneHotOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::OneHotOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    Value indices = adaptor.getIndices();
    int64_t rank = resultType.getRank();
    std::optional<int64_t> axis =
        normalizeAxis(static_cast<int64_t>(op.getAxis()), rank);
    if (!axis)
      return notLowerable(rewriter, op, "axis out of range");
    auto scalarOf = [&](Value tensor, int64_t position) -> Value {
      auto type = cast<RankedTensorType>(tensor.getType());
      SmallVector<Value> at;
      for (int64_t dim = 0; dim < type.getRank(); ++dim)
        at.push_back(arith::ConstantIndexOp::create(rewriter, loc, position));
      return tensor::ExtractOp::create(rewriter, loc, tensor, at);
    };
    // depth (and the indices) may be float: truncate to integers.
    auto toI64 = [&](OpBuilder &b, Location l, Value value,
                     Type original) -> Value {
      return convertScalar(b, l, value, original, b.getI64Type());
    };
    Type depthType = getElementTypeOrSelf(op.getDepth().getType());
    Type indicesType = getElementTypeOrSelf(op.getIndices().getType());
    Value depth = arith::IndexCastOp::create(
        rewriter, loc, rewriter.getIndexType(),
        toI64(rewriter, loc, scalarOf(adaptor.getDepth(), 0), depthType));
    Value off = scalarOf(adaptor.getValues(), 0);
    Value on = scalarOf(adaptor.getValues(), 1);

    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, indices);
    sizes.insert(sizes.begin() + *axis, depth);
    SmallVector<AffineExpr> indicesExprs;
    for (int64_t dim = 0; dim < rank; ++dim)
      if (dim != *axis)
        indicesExprs.push_back(rewriter.getAffineDimExpr(dim));
    AffineMap indicesMap =
        AffineMap::get(rank, 0, indicesExprs, rewriter.getContext());
    Value init = createEmptyFor(rewriter, loc, resultType, sizes);
    Value result = buildIndexedGeneric(
        rewriter, loc, indices, indicesMap, init,
        [&](OpBuilder &b, Location l, ValueRange loopIndices,
            ValueRange args) -> Value {
          // Negative indices count from the back; out of range ones match
          // nothing (all off values), as ONNX specifies.
          Value index = arith::IndexCastOp::create(
              b, l, b.getIndexType(), toI64(b, l, args[0], indicesType));
          Value zero = arith::ConstantIndexOp::create(b, l, 0);
          Value isNegative = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::slt, index, zero);
          index = arith::SelectOp::create(
              b, l, isNegative, arith::AddIOp::create(b, l, index, depth),
              index);
          Value hot = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                            index, loopIndices[*axis]);
          return arith::SelectOp::create(b, l, hot, on, off);
        });
    rewriter.replaceOp(op, castTo(rewriter, loc, result, resultType));
    return success();
  }
};

/// Reshapes [N, C, H, W] to `expandedSizes` (6-D), transposes by `perm` and
/// collapses pairs back to 4-D: DepthToSpace and SpaceToDepth are this with
/// different groupings.
static Value rearrangeBlocks(OpBuilder &b, Location loc, Operation *op,
                             Value input, ArrayRef<OpFoldResult> expandedSizes,
                             ArrayRef<int64_t> perm,
                             ArrayRef<ReassociationIndices> collapse,
                             RankedTensorType resultType) {
  auto inputType = cast<RankedTensorType>(input.getType());
  Type elementType = inputType.getElementType();
  RankedTensorType expandedType = refineType(
      RankedTensorType::get(SmallVector<int64_t>(6, ShapedType::kDynamic),
                            elementType),
      expandedSizes);
  Value expanded =
      reshapeToSizes(b, loc, op, input, expandedType, expandedSizes);
  SmallVector<OpFoldResult> permuted;
  for (int64_t dim : perm)
    permuted.push_back(expandedSizes[dim]);
  Value init = createEmpty(b, loc, permuted, elementType);
  Value transposed =
      linalg::TransposeOp::create(b, loc, expanded, init, perm)->getResult(0);
  Value collapsed =
      tensor::CollapseShapeOp::create(b, loc, transposed, collapse);
  return castTo(b, loc, collapsed, resultType);
}

struct DepthToSpaceLowering : OpConversionPattern<tamp::DepthToSpaceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::DepthToSpaceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    IndexMath math(rewriter, loc);
    Value input = adaptor.getInput();
    if (resultType.getRank() != 4)
      return notLowerable(rewriter, op, "only 4-D (NCHW) inputs are supported");
    int64_t blocksize = static_cast<int64_t>(op.getBlocksize());
    if (blocksize <= 0)
      return notLowerable(rewriter, op, "blocksize must be positive");
    SmallVector<OpFoldResult> s = getSizes(rewriter, loc, input);
    OpFoldResult block = math.constant(blocksize);
    OpFoldResult channels =
        math.div(s[1], math.constant(blocksize * blocksize));
    SmallVector<OpFoldResult> expanded;
    SmallVector<int64_t> perm;
    if (op.getMode() == tamp::DepthToSpaceMode::dcr) {
      // [N, b, b, C', H, W] -> [N, C', H, b, W, b]
      expanded = {s[0], block, block, channels, s[2], s[3]};
      perm = {0, 3, 4, 1, 5, 2};
    } else {
      // [N, C', b, b, H, W] -> [N, C', H, b, W, b]
      expanded = {s[0], channels, block, block, s[2], s[3]};
      perm = {0, 1, 4, 2, 5, 3};
    }
    SmallVector<ReassociationIndices> collapse = {{0}, {1}, {2, 3}, {4, 5}};
    rewriter.replaceOp(op, rearrangeBlocks(rewriter, loc, op, input, expanded,
                                           perm, collapse, resultType));
    return success();
  }
};

struct SpaceToDepthLowering : OpConversionPattern<tamp::SpaceToDepthOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(tamp::SpaceToDepthOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*getTypeConverter(), op.getType());
    Location loc = op.getLoc();
    IndexMath math(rewriter, loc);
    Value input = adaptor.getInput();
    if (resultType.getRank() != 4)
      return notLowerable(rewriter, op, "only 4-D (NCHW) inputs are supported");
    int64_t blocksize = static_cast<int64_t>(op.getBlocksize());
    if (blocksize <= 0)
      return notLowerable(rewriter, op, "blocksize must be positive");
    SmallVector<OpFoldResult> s = getSizes(rewriter, loc, input);
    OpFoldResult block = math.constant(blocksize);
    // [N, C, H', b, W', b] -> [N, b, b, C, H', W']
    SmallVector<OpFoldResult> expanded = {
        s[0], s[1], math.div(s[2], block), block, math.div(s[3], block), block};
    SmallVector<int64_t> perm = {0, 3, 5, 1, 2, 4};
    SmallVector<ReassociationIndices> collapse = {{0}, {1, 2, 3}, {4}, {5}};
    rewriter.replaceOp(op, rearrangeBlocks(rewriter, loc, op, input, expanded,
                                           perm, collapse, resultType));
    return success();
  }
};

} // namespace

void tamp::populateTensorToLinalgPatterns(const TypeConverter &converter,
                                          RewritePatternSet &patterns) {
  patterns
      .add<ConstantLowering, CastLowering, ReshapeLowering, FlattenLowering,
           SqueezeLowering, UnsqueezeLowering, TransposeLowering,
           ConcatLowering, SplitLowering, SliceLowering, ExpandLowering,
           TileLowering, GatherLowering, GatherElementsLowering, PadLowering,
           ShapeLowering, FillLowering, RangeLowering, TriluLowering,
           OneHotLowering, DepthToSpaceLowering, SpaceToDepthLowering>(
          converter, patterns.getContext());
  patterns.add<GatherNDLowering, ScatterElementsLowering, ScatterNDLowering>(
      converter, patterns.getContext());
  patterns.add<NonZeroLowering, TopKLowering>(converter, patterns.getContext());
  patterns.add<ResizeLowering>(converter, patterns.getContext());
}
