//===- TensorOps.cpp - Constants, casts and data movement -----------------===//
//
// Result-type inference, verifiers and folders of the tensor ops. Inference
// follows ONNX's shape rules and uses constant operands (shapes, axes, pads,
// slice bounds) to keep results static. The folders resolve the small integer
// tensors of ONNX shape subgraphs (Shape -> Gather -> Concat -> Reshape) and
// reshape weights without copying them.
//
//===----------------------------------------------------------------------===//

#include "tamp/Dialect/Tamp/IR/TampOps.h"

#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/APSInt.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace tamp;

#define GET_OP_CLASSES
#include "tamp/Dialect/Tamp/IR/TensorOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Folders that rebuild a constant element by element stop at this many
/// elements: shape arithmetic stays well below it, weights are far above.
static constexpr int64_t kMaxFoldedElements = 1024;

static constexpr int64_t kDynamic = ShapedType::kDynamic;

static RankedTensorType tensorTypeOf(Value value) {
  return cast<RankedTensorType>(value.getType());
}

/// `a * b` for tensor sizes: dynamic if either is, or if it overflows.
static int64_t multiplySizes(int64_t a, int64_t b) {
  if (a == 0 || b == 0)
    return 0;
  int64_t product;
  if (ShapedType::isDynamic(a) || ShapedType::isDynamic(b) ||
      llvm::MulOverflow(a, b, product))
    return kDynamic;
  return product;
}

/// `a + b` for tensor sizes: dynamic if either is, or if it overflows.
static int64_t addSizes(int64_t a, int64_t b) {
  int64_t sum;
  if (ShapedType::isDynamic(a) || ShapedType::isDynamic(b) ||
      llvm::AddOverflow(a, b, sum))
    return kDynamic;
  return sum;
}

static int64_t productOfSizes(ArrayRef<int64_t> sizes) {
  int64_t product = 1;
  for (int64_t size : sizes)
    product = multiplySizes(product, size);
  return product;
}

/// A computed floating-point size as a tensor size; dynamic when it is NaN,
/// negative or too large to be one.
static int64_t sizeFromFloat(double value) {
  if (!(value >= 0 && value < 0x1p62))
    return kDynamic;
  return int64_t(value);
}

/// The single static size that two compatible sizes describe, or nullopt when
/// both are static and differ.
static std::optional<int64_t> mergeSizes(int64_t a, int64_t b) {
  if (ShapedType::isDynamic(a))
    return b;
  if (ShapedType::isDynamic(b) || a == b)
    return a;
  return std::nullopt;
}

/// Fails unless `value` is a 1-D tensor with a static length, which is what
/// shape-like operands must be for the result rank to be known.
static FailureOr<int64_t> getStaticVectorLength(std::optional<Location> loc,
                                                Value value, StringRef what) {
  auto type = tensorTypeOf(value);
  if (type.getRank() != 1)
    return emitInferenceError(loc, llvm::Twine(what) + " must be a 1-D tensor");
  if (type.isDynamicDim(0))
    return emitInferenceError(loc,
                              llvm::Twine(what) + " must have a static length");
  return type.getDimSize(0);
}

/// Fails unless `value` holds exactly one element (0-D, or 1-D of size 1).
static LogicalResult checkSingleElement(std::optional<Location> loc,
                                        Value value, StringRef what) {
  auto type = tensorTypeOf(value);
  if (type.getRank() == 0 || (type.getRank() == 1 && (type.isDynamicDim(0) ||
                                                      type.getDimSize(0) == 1)))
    return success();
  return emitInferenceError(loc, llvm::Twine(what) +
                                     " must hold exactly one element");
}

/// Row-major strides of a static shape.
static SmallVector<int64_t> rowMajorStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = int64_t(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// `attr` if it is a dense int or float constant small enough (or splat) to
/// be rebuilt element by element.
static DenseElementsAttr getFoldableConstant(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || !dense.getElementType().isIntOrIndexOrFloat())
    return {};
  if (!dense.isSplat() && dense.getNumElements() > kMaxFoldedElements)
    return {};
  return dense;
}

/// A constant of `resultType` whose element i is element `sourceIndices[i]`
/// of `source` (both row-major).
static DenseElementsAttr gatherConstant(DenseElementsAttr source,
                                        RankedTensorType resultType,
                                        ArrayRef<int64_t> sourceIndices) {
  if (source.isSplat())
    return DenseElementsAttr::get(resultType,
                                  source.getSplatValue<Attribute>());
  auto values = source.getValues<Attribute>();
  SmallVector<Attribute> result;
  result.reserve(sourceIndices.size());
  for (int64_t index : sourceIndices)
    result.push_back(values[index]);
  return DenseElementsAttr::get(resultType, result);
}

/// Whether a constant of `type` may be materialised by a rearranging folder.
static bool canFoldInto(RankedTensorType type, Type elementType) {
  return type.hasStaticShape() && type.getElementType() == elementType &&
         type.getNumElements() <= kMaxFoldedElements;
}

/// `input` given the shape of `resultType`; weights in dense_resource blobs
/// share the blob instead of being copied.
static OpFoldResult reshapeConstant(Attribute input,
                                    RankedTensorType resultType) {
  auto elements = dyn_cast_or_null<ElementsAttr>(input);
  if (!elements || !resultType.hasStaticShape() ||
      elements.getElementType() != resultType.getElementType() ||
      elements.getNumElements() != resultType.getNumElements())
    return {};
  if (auto dense = dyn_cast<DenseElementsAttr>(elements))
    return dense.reshape(resultType);
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(elements))
    return DenseResourceElementsAttr::get(resultType, resource.getRawHandle());
  return {};
}

/// The integer values of a folded operand.
static std::optional<SmallVector<int64_t>> getIntValues(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseIntElementsAttr>(attr);
  if (!dense)
    return std::nullopt;
  SmallVector<int64_t> values;
  for (const APInt &value : dense.getValues<APInt>())
    values.push_back(value.getBitWidth() == 1 ? value.getZExtValue()
                                              : value.getSExtValue());
  return values;
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  auto type = dyn_cast<RankedTensorType>(adaptor.getValue().getType());
  if (!type)
    return emitInferenceError(loc, "constant value must be a ranked tensor");
  types.push_back(type);
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor adaptor) {
  return adaptor.getValue();
}

//===----------------------------------------------------------------------===//
// CastOp
//===----------------------------------------------------------------------===//

/// In 8-bit and narrower float formats, overflow and infinities become NaN,
/// a clamp or infinity depending on `saturate`; casts into them are folded
/// only where the value is finite and representable.
static bool isNarrowFloat(Type type) {
  return isa<FloatType>(type) && type.getIntOrFloatBitWidth() <= 8;
}

/// One element of a cast to f8E8M0FNU: a power of two, rounded as `mode`
/// says. Folded only for positive values from float32's smallest normal
/// number on, without overflow: zero, negative, non-finite and overflowing
/// values depend on saturation or are left unspecified by ONNX, and below
/// that bound ONNX's reference (which rounds float32 bit patterns) departs
/// from the spec's rounding.
static std::optional<Attribute>
castElementToE8M0(Attribute element, FloatType target, RoundMode mode) {
  APFloat::roundingMode rounding = APFloat::rmTowardPositive;
  if (mode == RoundMode::down)
    rounding = APFloat::rmTowardZero;
  else if (mode == RoundMode::nearest)
    rounding = APFloat::rmNearestTiesToAway;
  const llvm::fltSemantics &semantics = target.getFloatSemantics();
  APFloat result(semantics);
  APFloat::opStatus status;
  if (auto intAttr = dyn_cast<IntegerAttr>(element)) {
    const APInt &value = intAttr.getValue();
    bool isSigned = !intAttr.getType().isUnsignedInteger() &&
                    !intAttr.getType().isInteger(1);
    if (value.isZero() || (isSigned && value.isNegative()))
      return std::nullopt;
    status = result.convertFromAPInt(value, isSigned, rounding);
  } else if (auto floatAttr = dyn_cast<FloatAttr>(element)) {
    // 2^-126 is float32's smallest normal number.
    APFloat value = floatAttr.getValue();
    if (!value.isFinite() || value.isNegative() || ilogb(value) < -126)
      return std::nullopt;
    bool losesInfo;
    result = value;
    status = result.convert(semantics, rounding, &losesInfo);
  } else {
    return std::nullopt;
  }
  if (status & (APFloat::opOverflow | APFloat::opUnderflow) ||
      !result.isFinite())
    return std::nullopt;
  return FloatAttr::get(target, result);
}

/// One element of a cast with ONNX semantics, or nullopt where the result is
/// undefined (float to integer out of range) or depends on saturation.
static std::optional<Attribute> castElement(Attribute element, Type target,
                                            RoundMode roundMode) {
  if (isa<Float8E8M0FNUType>(target))
    return castElementToE8M0(element, cast<FloatType>(target), roundMode);
  auto targetInt = dyn_cast<IntegerType>(target);
  auto targetFloat = dyn_cast<FloatType>(target);
  if (auto intAttr = dyn_cast<IntegerAttr>(element)) {
    const APInt &value = intAttr.getValue();
    bool isUnsigned =
        intAttr.getType().isUnsignedInteger() || intAttr.getType().isInteger(1);
    if (targetInt) {
      if (targetInt.getWidth() == 1)
        return IntegerAttr::get(target, APInt(1, !value.isZero()));
      return IntegerAttr::get(
          target, isUnsigned ? value.zextOrTrunc(targetInt.getWidth())
                             : value.sextOrTrunc(targetInt.getWidth()));
    }
    if (targetFloat) {
      APFloat result(targetFloat.getFloatSemantics());
      APFloat::opStatus status = result.convertFromAPInt(
          value, !isUnsigned, APFloat::rmNearestTiesToEven);
      if (isNarrowFloat(target) && (status & APFloat::opOverflow))
        return std::nullopt;
      return FloatAttr::get(target, result);
    }
    return std::nullopt;
  }
  if (auto floatAttr = dyn_cast<FloatAttr>(element)) {
    APFloat value = floatAttr.getValue();
    if (targetInt) {
      if (targetInt.getWidth() == 1)
        return IntegerAttr::get(target, APInt(1, !value.isZero()));
      llvm::APSInt result(targetInt.getWidth(), targetInt.isUnsigned());
      bool isExact;
      if (!value.isFinite() ||
          value.convertToInteger(result, APFloat::rmTowardZero, &isExact) &
              APFloat::opInvalidOp)
        return std::nullopt;
      return IntegerAttr::get(target, result);
    }
    if (targetFloat) {
      if (isNarrowFloat(target) && !value.isFinite())
        return std::nullopt;
      bool losesInfo;
      APFloat::opStatus status =
          value.convert(targetFloat.getFloatSemantics(),
                        APFloat::rmNearestTiesToEven, &losesInfo);
      if (isNarrowFloat(target) && (status & APFloat::opOverflow))
        return std::nullopt;
      return FloatAttr::get(target, value);
    }
  }
  return std::nullopt;
}

LogicalResult CastOp::verify() {
  if (getRoundMode() != RoundMode::up &&
      !isa<Float8E8M0FNUType>(getType().getElementType()))
    return emitOpError("round_mode only applies to f8E8M0FNU results");
  return success();
}

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  DenseElementsAttr source = getFoldableConstant(adaptor.getInput());
  RankedTensorType resultType = getType();
  if (!source || !resultType.hasStaticShape())
    return {};
  Type target = resultType.getElementType();
  RoundMode roundMode = getRoundMode();
  if (source.isSplat()) {
    std::optional<Attribute> value =
        castElement(source.getSplatValue<Attribute>(), target, roundMode);
    return value ? DenseElementsAttr::get(resultType, *value) : Attribute();
  }
  SmallVector<Attribute> values;
  for (Attribute element : source.getValues<Attribute>()) {
    std::optional<Attribute> value = castElement(element, target, roundMode);
    if (!value)
      return {};
    values.push_back(*value);
  }
  return DenseElementsAttr::get(resultType, values);
}

//===----------------------------------------------------------------------===//
// ReshapeOp
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  auto inputType = tensorTypeOf(adaptor.getInput());
  FailureOr<int64_t> rank =
      getStaticVectorLength(loc, adaptor.getShape(), "shape");
  if (failed(rank))
    return failure();
  std::optional<SmallVector<int64_t>> requested =
      getConstantIntValues(adaptor.getShape());
  if (!requested) {
    types.push_back(RankedTensorType::get(SmallVector<int64_t>(*rank, kDynamic),
                                          inputType.getElementType()));
    return success();
  }

  bool allowZero = adaptor.getAllowzero();
  SmallVector<int64_t> shape;
  std::optional<int64_t> inferredDim;
  // Input dimensions copied by a 0 entry cancel out of the element count, so
  // the -1 entry stays computable when only copied dimensions are dynamic.
  llvm::SmallBitVector copied(
      std::max<int64_t>({inputType.getRank(), *rank, int64_t(1)}));
  for (auto [i, size] : llvm::enumerate(*requested)) {
    if (size == -1) {
      if (inferredDim)
        return emitInferenceError(loc, "shape may contain at most one -1");
      inferredDim = i;
      shape.push_back(kDynamic);
    } else if (size < -1) {
      return emitInferenceError(
          loc, llvm::formatv("shape entry {0} is {1}; sizes must be >= -1", i,
                             size));
    } else if (size == 0 && !allowZero) {
      if (int64_t(i) >= inputType.getRank())
        return emitInferenceError(
            loc,
            llvm::formatv("shape entry {0} is 0 (copy the input's size) but "
                          "the input has rank {1}",
                          i, inputType.getRank()));
      copied.set(i);
      shape.push_back(inputType.getDimSize(i));
    } else {
      shape.push_back(size);
    }
  }
  if (allowZero && inferredDim && llvm::is_contained(*requested, 0))
    return emitInferenceError(loc,
                              "with allowzero, shape cannot contain both 0 "
                              "and -1");

  int64_t remainingInput = 1, remainingOutput = 1;
  for (auto [i, size] : llvm::enumerate(inputType.getShape()))
    if (!copied.test(i))
      remainingInput = multiplySizes(remainingInput, size);
  for (auto [i, size] : llvm::enumerate(shape))
    if (!copied.test(i) && (!inferredDim || int64_t(i) != *inferredDim))
      remainingOutput = multiplySizes(remainingOutput, size);
  if (ShapedType::isStatic(remainingInput) &&
      ShapedType::isStatic(remainingOutput)) {
    if (inferredDim && remainingOutput != 0) {
      if (remainingInput % remainingOutput != 0)
        return emitInferenceError(
            loc, llvm::formatv("cannot reshape {0} elements into a shape whose "
                               "other dimensions hold {1}",
                               remainingInput, remainingOutput));
      shape[*inferredDim] = remainingInput / remainingOutput;
    } else if (!inferredDim && remainingInput != remainingOutput) {
      return emitInferenceError(
          loc, llvm::formatv("cannot reshape {0} elements into {1}",
                             remainingInput, remainingOutput));
    }
  }
  types.push_back(RankedTensorType::get(shape, inputType.getElementType()));
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  // With dynamic sizes the same type may still describe a different layout.
  if (getInput().getType() == getType() && getType().hasStaticShape())
    return getInput();
  return reshapeConstant(adaptor.getInput(), getType());
}

//===----------------------------------------------------------------------===//
// Reshape chains
//===----------------------------------------------------------------------===//

/// Whether `op` only reinterprets its input's elements in another shape.
static bool isReshapeLike(Operation *op) {
  return isa_and_nonnull<ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp>(op);
}

namespace {
/// A reshape-like op of a reshape-like op, or with its input's type: the
/// input itself when the shape comes back to the input's, else one
/// tamp.reshape to the (static) result shape.
template <typename OpTy> struct FoldReshapeChain : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType resultType = op.getType();
    if (!resultType.hasStaticShape())
      return failure();
    Value source = op->getOperand(0);
    if (source.getType() == resultType) {
      rewriter.replaceOp(op, source);
      return success();
    }
    Operation *producer = source.getDefiningOp();
    if (!isReshapeLike(producer))
      return failure();
    source = producer->getOperand(0);
    if (source.getType() == resultType) {
      rewriter.replaceOp(op, source);
      return success();
    }
    auto shapeType =
        RankedTensorType::get({resultType.getRank()}, rewriter.getI64Type());
    Value shape = ConstantOp::create(
        rewriter, op.getLoc(), shapeType,
        DenseIntElementsAttr::get(shapeType, resultType.getShape()));
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, resultType, source, shape,
                                           /*allowzero=*/false);
    return success();
  }
};
} // namespace

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                            MLIRContext *ctx) {
  patterns.add<FoldReshapeChain<ReshapeOp>>(ctx);
}
void FlattenOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                            MLIRContext *ctx) {
  patterns.add<FoldReshapeChain<FlattenOp>>(ctx);
}
void SqueezeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                            MLIRContext *ctx) {
  patterns.add<FoldReshapeChain<SqueezeOp>>(ctx);
}
void UnsqueezeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                              MLIRContext *ctx) {
  patterns.add<FoldReshapeChain<UnsqueezeOp>>(ctx);
}

//===----------------------------------------------------------------------===//
// FlattenOp
//===----------------------------------------------------------------------===//

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  auto inputType = tensorTypeOf(adaptor.getInput());
  int64_t rank = inputType.getRank();
  int64_t axis = adaptor.getAxis();
  // ONNX allows axis == rank here (everything goes to the first dimension).
  if (axis < -rank || axis > rank)
    return emitInferenceError(
        loc, llvm::formatv("axis {0} is out of range [{1}, {2}]", axis, -rank,
                           rank));
  if (axis < 0)
    axis += rank;
  ArrayRef<int64_t> shape = inputType.getShape();
  types.push_back(
      RankedTensorType::get({productOfSizes(shape.take_front(axis)),
                             productOfSizes(shape.drop_front(axis))},
                            inputType.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// SqueezeOp, UnsqueezeOp
//===----------------------------------------------------------------------===//

LogicalResult SqueezeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  auto inputType = tensorTypeOf(adaptor.getInput());
  int64_t rank = inputType.getRank();
  llvm::SmallBitVector removed(std::max<int64_t>(rank, 1));
  if (adaptor.getAxes().empty()) {
    // A dynamic dimension may or may not be 1; only static ones are removed.
    for (auto [i, size] : llvm::enumerate(inputType.getShape()))
      if (size == 1)
        removed.set(i);
  } else {
    auto axes = normalizeAxes(loc, adaptor.getAxes(), rank);
    if (failed(axes))
      return failure();
    for (int64_t axis : *axes) {
      int64_t size = inputType.getDimSize(axis);
      if (ShapedType::isStatic(size) && size != 1)
        return emitInferenceError(
            loc, llvm::formatv("cannot squeeze dimension {0} of size {1}", axis,
                               size));
      removed.set(axis);
    }
  }
  SmallVector<int64_t> shape;
  for (auto [i, size] : llvm::enumerate(inputType.getShape()))
    if (!removed.test(i))
      shape.push_back(size);
  types.push_back(RankedTensorType::get(shape, inputType.getElementType()));
  return success();
}

/// Squeeze and unsqueeze only remove or add size-1 dimensions: an unchanged
/// type is a no-op, and a constant input is the same data reshaped.
static OpFoldResult foldUnitDimReshape(Value input, Attribute constantInput,
                                       RankedTensorType resultType) {
  if (input.getType() == resultType)
    return input;
  return reshapeConstant(constantInput, resultType);
}

OpFoldResult SqueezeOp::fold(FoldAdaptor adaptor) {
  return foldUnitDimReshape(getInput(), adaptor.getInput(), getType());
}

LogicalResult UnsqueezeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto inputType = tensorTypeOf(adaptor.getInput());
  int64_t rank = inputType.getRank() + adaptor.getAxes().size();
  auto axes = normalizeAxes(loc, adaptor.getAxes(), rank);
  if (failed(axes))
    return failure();
  llvm::SmallBitVector inserted(std::max<int64_t>(rank, 1));
  for (int64_t axis : *axes)
    inserted.set(axis);
  SmallVector<int64_t> shape;
  ArrayRef<int64_t> remaining = inputType.getShape();
  for (int64_t i = 0; i < rank; ++i) {
    if (inserted.test(i)) {
      shape.push_back(1);
    } else {
      shape.push_back(remaining.front());
      remaining = remaining.drop_front();
    }
  }
  types.push_back(RankedTensorType::get(shape, inputType.getElementType()));
  return success();
}

OpFoldResult UnsqueezeOp::fold(FoldAdaptor adaptor) {
  return foldUnitDimReshape(getInput(), adaptor.getInput(), getType());
}

//===----------------------------------------------------------------------===//
// TransposeOp
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto inputType = tensorTypeOf(adaptor.getInput());
  ArrayRef<int64_t> perm = adaptor.getPerm();
  int64_t rank = inputType.getRank();
  if (int64_t(perm.size()) != rank)
    return emitInferenceError(
        loc, llvm::formatv("perm has {0} entries for an input of rank {1}",
                           perm.size(), rank));
  llvm::SmallBitVector seen(std::max<int64_t>(rank, 1));
  SmallVector<int64_t> shape;
  for (int64_t source : perm) {
    if (source < 0 || source >= rank || seen.test(source))
      return emitInferenceError(
          loc, llvm::formatv("perm is not a permutation of [0, {0})", rank));
    seen.set(source);
    shape.push_back(inputType.getDimSize(source));
  }
  types.push_back(RankedTensorType::get(shape, inputType.getElementType()));
  return success();
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  ArrayRef<int64_t> perm = getPerm();
  if (llvm::equal(perm, llvm::seq<int64_t>(0, int64_t(perm.size()))))
    return getInput();
  DenseElementsAttr source = getFoldableConstant(adaptor.getInput());
  RankedTensorType resultType = getType();
  if (!source || !canFoldInto(resultType, source.getElementType()))
    return {};
  SmallVector<int64_t> inputStrides =
      rowMajorStrides(getInput().getType().getShape());
  SmallVector<int64_t> resultStrides = rowMajorStrides(resultType.getShape());
  SmallVector<int64_t> sourceIndices;
  for (int64_t linear = 0, e = resultType.getNumElements(); linear < e;
       ++linear) {
    int64_t sourceIndex = 0;
    for (auto [dim, stride] : llvm::enumerate(resultStrides))
      sourceIndex += (linear / stride % resultType.getDimSize(dim)) *
                     inputStrides[perm[dim]];
    sourceIndices.push_back(sourceIndex);
  }
  return gatherConstant(source, resultType, sourceIndices);
}

namespace {
/// transpose(transpose(x, inner), outer) -> transpose(x, inner o outer); the
/// identity folds away.
struct ComposeTransposes : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<TransposeOp>();
    if (!inner)
      return failure();
    SmallVector<int64_t> composed;
    for (int64_t dim : op.getPerm())
      composed.push_back(inner.getPerm()[dim]);
    if (llvm::equal(composed,
                    llvm::seq<int64_t>(0, int64_t(composed.size())))) {
      rewriter.replaceOp(op, inner.getInput());
      return success();
    }
    rewriter.replaceOpWithNewOp<TransposeOp>(
        op, op.getType(), inner.getInput(),
        rewriter.getDenseI64ArrayAttr(composed));
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                              MLIRContext *ctx) {
  patterns.add<ComposeTransposes>(ctx);
}

//===----------------------------------------------------------------------===//
// ConcatOp, SplitOp
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  if (adaptor.getInputs().empty())
    return emitInferenceError(loc, "concat needs at least one input");
  auto firstType = tensorTypeOf(adaptor.getInputs().front());
  int64_t rank = firstType.getRank();
  if (rank == 0)
    return emitInferenceError(loc, "cannot concatenate 0-D tensors");
  auto axis = normalizeAxis(loc, adaptor.getAxis(), rank);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> shape(firstType.getShape());
  for (auto [index, input] :
       llvm::enumerate(adaptor.getInputs().drop_front())) {
    auto type = tensorTypeOf(input);
    if (type.getRank() != rank)
      return emitInferenceError(
          loc, llvm::formatv("input {0} has rank {1}, expected {2}", index + 1,
                             type.getRank(), rank));
    for (int64_t dim = 0; dim < rank; ++dim) {
      if (dim == *axis) {
        shape[dim] = addSizes(shape[dim], type.getDimSize(dim));
        continue;
      }
      std::optional<int64_t> merged =
          mergeSizes(shape[dim], type.getDimSize(dim));
      if (!merged)
        return emitInferenceError(
            loc, llvm::formatv(
                     "input {0} has size {1} in dimension {2}, expected {3}",
                     index + 1, type.getDimSize(dim), dim, shape[dim]));
      shape[dim] = *merged;
    }
  }
  types.push_back(RankedTensorType::get(shape, firstType.getElementType()));
  return success();
}

LogicalResult ConcatOp::verify() {
  Type first = getElementTypeOrSelf(getInputs().front().getType());
  if (!isQuantizedTensor(getInputs().front().getType())) {
    for (Value input : getInputs())
      if (getElementTypeOrSelf(input.getType()) != first)
        return emitOpError("requires the same element type for all operands");
    return success();
  }
  // Quantized inputs may differ in scale and zero point (the lowering
  // requantizes them to the result's), never in storage.
  auto sameStorage = [&](Type type) {
    auto lhs = cast<quant::QuantizedType>(first);
    auto rhs = getQuantizedElementType(type);
    return lhs.getStorageType() == rhs.getStorageType() &&
           lhs.isSigned() == rhs.isSigned();
  };
  for (Value input : getInputs()) {
    if (failed(verifyQuantizedActivation(*this, "input", input.getType())))
      return failure();
    if (!sameStorage(input.getType()))
      return emitOpError("quantized inputs must share a storage type");
  }
  if (failed(verifyQuantizedActivation(*this, "result", getType())))
    return failure();
  if (!sameStorage(getType()))
    return emitOpError("the result must have the inputs' storage type");
  return success();
}

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  if (getInputs().size() == 1 && getInputs().front().getType() == getType())
    return getInputs().front();
  RankedTensorType resultType = getType();
  if (!canFoldInto(resultType, resultType.getElementType()))
    return {};
  SmallVector<DenseElementsAttr> sources;
  for (Attribute input : adaptor.getInputs()) {
    DenseElementsAttr source = getFoldableConstant(input);
    if (!source || source.getElementType() != resultType.getElementType())
      return {};
    sources.push_back(source);
  }
  // Every input contributes one contiguous chunk per index of the dimensions
  // before the axis.
  int64_t axis =
      normalizeAxis(std::nullopt, getAxis(), resultType.getRank()).value_or(0);
  int64_t outer = productOfSizes(resultType.getShape().take_front(axis));
  SmallVector<Attribute> values;
  for (int64_t i = 0; i < outer; ++i) {
    for (DenseElementsAttr source : sources) {
      int64_t chunk = source.getNumElements() / outer;
      auto elements = source.getValues<Attribute>();
      for (int64_t j = 0; j < chunk; ++j)
        values.push_back(source.isSplat() ? elements[0]
                                          : elements[i * chunk + j]);
    }
  }
  if (int64_t(values.size()) != resultType.getNumElements())
    return {};
  return DenseElementsAttr::get(resultType, values);
}

LogicalResult SplitOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  auto inputType = tensorTypeOf(adaptor.getInput());
  if (inputType.getRank() == 0)
    return emitInferenceError(loc, "cannot split a 0-D tensor");
  auto axis = normalizeAxis(loc, adaptor.getAxis(), inputType.getRank());
  if (failed(axis))
    return failure();
  ArrayRef<int64_t> sizes = adaptor.getSizes();
  if (sizes.empty())
    return emitInferenceError(loc, "split needs at least one size");
  int64_t total = 0;
  for (int64_t size : sizes) {
    if (size < 0)
      return emitInferenceError(
          loc, llvm::formatv("split size {0} is negative", size));
    total = addSizes(total, size);
  }
  int64_t axisSize = inputType.getDimSize(*axis);
  if (ShapedType::isStatic(axisSize) && total != axisSize)
    return emitInferenceError(
        loc,
        llvm::formatv("split sizes sum to {0} but dimension {1} has size {2}",
                      total, *axis, axisSize));
  for (int64_t size : sizes) {
    SmallVector<int64_t> shape(inputType.getShape());
    shape[*axis] = size;
    types.push_back(RankedTensorType::get(shape, inputType.getElementType()));
  }
  return success();
}

//===----------------------------------------------------------------------===//
// SliceOp
//===----------------------------------------------------------------------===//

namespace {
/// The elements a slice takes along one dimension: `size` elements from
/// `start`, `step` apart.
struct SliceRange {
  int64_t start;
  int64_t step;
  int64_t size;
};
} // namespace

/// Clamps ONNX slice bounds on a dimension of static size `dim`: negative
/// bounds count from the back, out-of-range bounds (INT64_MAX, INT64_MIN)
/// clamp, and a negative step walks backwards from `start`.
static SliceRange clampSlice(int64_t start, int64_t end, int64_t step,
                             int64_t dim) {
  if (start < 0)
    start += dim;
  if (end < 0)
    end += dim;
  if (step > 0) {
    start = std::min(std::max<int64_t>(start, 0), dim);
    end = std::min(std::max<int64_t>(end, 0), dim);
    int64_t size = end > start ? (end - start - 1) / step + 1 : 0;
    return {start, step, size};
  }
  if (dim == 0)
    return {0, step, 0};
  start = std::min(std::max<int64_t>(start, 0), dim - 1);
  end = std::min(std::max<int64_t>(end, -1), dim - 1);
  // -INT64_MIN overflows; any stride beyond the dimension takes one element.
  int64_t stride = step == std::numeric_limits<int64_t>::min()
                       ? std::numeric_limits<int64_t>::max()
                       : -step;
  int64_t size = start > end ? (start - end - 1) / stride + 1 : 0;
  return {start, step, size};
}

/// Checks that the four index operands of a slice are 1-D of one length.
static LogicalResult checkSliceOperands(std::optional<Location> loc,
                                        ValueRange operands) {
  int64_t length = kDynamic;
  for (Value operand : operands) {
    auto type = tensorTypeOf(operand);
    if (type.getRank() != 1)
      return emitInferenceError(loc,
                                "starts, ends, axes and steps must be 1-D");
    std::optional<int64_t> merged = mergeSizes(length, type.getDimSize(0));
    if (!merged)
      return emitInferenceError(
          loc, "starts, ends, axes and steps must have the same length");
    length = *merged;
  }
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  auto inputType = tensorTypeOf(adaptor.getInput());
  int64_t rank = inputType.getRank();
  if (failed(checkSliceOperands(loc, {adaptor.getStarts(), adaptor.getEnds(),
                                      adaptor.getAxes(), adaptor.getSteps()})))
    return failure();
  auto starts = getConstantIntValues(adaptor.getStarts());
  auto ends = getConstantIntValues(adaptor.getEnds());
  auto axes = getConstantIntValues(adaptor.getAxes());
  auto steps = getConstantIntValues(adaptor.getSteps());
  if (steps && llvm::is_contained(*steps, 0))
    return emitInferenceError(loc, "slice steps cannot be 0");

  SmallVector<int64_t> shape(inputType.getShape());
  if (!axes) {
    // Any dimension may be the sliced one.
    types.push_back(RankedTensorType::get(SmallVector<int64_t>(rank, kDynamic),
                                          inputType.getElementType()));
    return success();
  }
  auto normalizedAxes = normalizeAxes(loc, *axes, rank);
  if (failed(normalizedAxes))
    return failure();
  for (auto [i, axis] : llvm::enumerate(*normalizedAxes)) {
    int64_t dim = inputType.getDimSize(axis);
    if (starts && ends && steps && ShapedType::isStatic(dim))
      shape[axis] = clampSlice((*starts)[i], (*ends)[i], (*steps)[i], dim).size;
    else
      shape[axis] = kDynamic;
  }
  types.push_back(RankedTensorType::get(shape, inputType.getElementType()));
  return success();
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  auto starts = getIntValues(adaptor.getStarts());
  auto ends = getIntValues(adaptor.getEnds());
  auto axes = getIntValues(adaptor.getAxes());
  auto steps = getIntValues(adaptor.getSteps());
  RankedTensorType inputType = getInput().getType();
  RankedTensorType resultType = getType();
  // A forward unit-step slice that keeps every element is the identity.
  if (steps && llvm::all_of(*steps, [](int64_t step) { return step == 1; }) &&
      inputType == resultType && resultType.hasStaticShape())
    return getInput();

  DenseElementsAttr source = getFoldableConstant(adaptor.getInput());
  if (!source || !starts || !ends || !axes || !steps ||
      !canFoldInto(resultType, source.getElementType()) ||
      !inputType.hasStaticShape())
    return {};
  int64_t rank = inputType.getRank();
  auto normalizedAxes = normalizeAxes(std::nullopt, *axes, rank);
  if (failed(normalizedAxes) || starts->size() != axes->size() ||
      ends->size() != axes->size() || steps->size() != axes->size())
    return {};
  SmallVector<SliceRange> ranges;
  for (int64_t dim : inputType.getShape())
    ranges.push_back({0, 1, dim});
  for (auto [i, axis] : llvm::enumerate(*normalizedAxes)) {
    if ((*steps)[i] == 0)
      return {};
    ranges[axis] = clampSlice((*starts)[i], (*ends)[i], (*steps)[i],
                              inputType.getDimSize(axis));
    if (ranges[axis].size != resultType.getDimSize(axis))
      return {};
  }
  SmallVector<int64_t> inputStrides = rowMajorStrides(inputType.getShape());
  SmallVector<int64_t> resultStrides = rowMajorStrides(resultType.getShape());
  SmallVector<int64_t> sourceIndices;
  for (int64_t linear = 0, e = resultType.getNumElements(); linear < e;
       ++linear) {
    int64_t sourceIndex = 0;
    for (int64_t dim = 0; dim < rank; ++dim) {
      int64_t position =
          linear / resultStrides[dim] % resultType.getDimSize(dim);
      sourceIndex +=
          (ranges[dim].start + position * ranges[dim].step) * inputStrides[dim];
    }
    sourceIndices.push_back(sourceIndex);
  }
  return gatherConstant(source, resultType, sourceIndices);
}

//===----------------------------------------------------------------------===//
// ExpandOp, TileOp
//===----------------------------------------------------------------------===//

LogicalResult ExpandOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto inputType = tensorTypeOf(adaptor.getInput());
  FailureOr<int64_t> length =
      getStaticVectorLength(loc, adaptor.getShape(), "shape");
  if (failed(length))
    return failure();
  std::optional<SmallVector<int64_t>> target =
      getConstantIntValues(adaptor.getShape());
  if (target) {
    if (llvm::any_of(*target, [](int64_t size) { return size < 0; }))
      return emitInferenceError(loc, "shape entries must be non-negative");
    auto shape = broadcastShapes(inputType.getShape(), *target);
    if (!shape)
      return emitInferenceError(loc,
                                "the input does not broadcast to the shape");
    types.push_back(RankedTensorType::get(*shape, inputType.getElementType()));
    return success();
  }
  // Unknown target sizes: only an input size other than 1 survives
  // broadcasting for certain.
  int64_t rank = std::max<int64_t>(inputType.getRank(), *length);
  SmallVector<int64_t> shape(rank, kDynamic);
  for (auto [i, size] : llvm::enumerate(inputType.getShape()))
    if (ShapedType::isStatic(size) && size != 1)
      shape[rank - inputType.getRank() + i] = size;
  types.push_back(RankedTensorType::get(shape, inputType.getElementType()));
  return success();
}

LogicalResult TileOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  auto inputType = tensorTypeOf(adaptor.getInput());
  auto repeatsType = tensorTypeOf(adaptor.getRepeats());
  int64_t rank = inputType.getRank();
  if (repeatsType.getRank() != 1 ||
      failed(verifyCompatibleShape(repeatsType.getShape(),
                                   ArrayRef<int64_t>{rank})))
    return emitInferenceError(
        loc, llvm::formatv("repeats must be a 1-D tensor of length {0}", rank));
  std::optional<SmallVector<int64_t>> repeats =
      getConstantIntValues(adaptor.getRepeats());
  SmallVector<int64_t> shape;
  for (auto [i, size] : llvm::enumerate(inputType.getShape())) {
    if (!repeats) {
      shape.push_back(size == 0 ? 0 : kDynamic);
      continue;
    }
    if ((*repeats)[i] < 0)
      return emitInferenceError(
          loc, llvm::formatv("repeats entry {0} is negative", i));
    shape.push_back(multiplySizes(size, (*repeats)[i]));
  }
  types.push_back(RankedTensorType::get(shape, inputType.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Gather family
//===----------------------------------------------------------------------===//

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto inputType = tensorTypeOf(adaptor.getInput());
  auto indicesType = tensorTypeOf(adaptor.getIndices());
  if (inputType.getRank() == 0)
    return emitInferenceError(loc, "gather input must have rank >= 1");
  auto axis = normalizeAxis(loc, adaptor.getAxis(), inputType.getRank());
  if (failed(axis))
    return failure();
  int64_t axisSize = inputType.getDimSize(*axis);
  if (ShapedType::isStatic(axisSize)) {
    if (auto indices = getConstantIntValues(adaptor.getIndices())) {
      for (int64_t index : *indices)
        if (index < -axisSize || index >= axisSize)
          return emitInferenceError(
              loc, llvm::formatv("index {0} is out of range for axis size {1}",
                                 index, axisSize));
    }
  }
  ArrayRef<int64_t> inputShape = inputType.getShape();
  SmallVector<int64_t> shape(inputShape.take_front(*axis));
  llvm::append_range(shape, indicesType.getShape());
  llvm::append_range(shape, inputShape.drop_front(*axis + 1));
  types.push_back(RankedTensorType::get(shape, inputType.getElementType()));
  return success();
}

// An embedding table: each gathered slice has its own scales, grouped along
// the last other dimension.
SmallVector<unsigned> GatherOp::getQuantizableOperandIndices() { return {0}; }
std::optional<unsigned> GatherOp::getWeightOperandIndex() { return 0; }
int64_t GatherOp::getWeightOutputChannelDim() {
  int64_t rank = getInput().getType().getRank();
  int64_t axis = getAxis();
  return axis < 0 ? axis + rank : axis;
}
int64_t GatherOp::getWeightReductionDim() {
  int64_t rank = getInput().getType().getRank();
  int64_t axis = getWeightOutputChannelDim();
  return axis == rank - 1 ? rank - 2 : rank - 1;
}

OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr source = getFoldableConstant(adaptor.getInput());
  std::optional<SmallVector<int64_t>> indices =
      getIntValues(adaptor.getIndices());
  RankedTensorType inputType = getInput().getType();
  RankedTensorType resultType = getType();
  if (!source || !indices || !inputType.hasStaticShape() ||
      !canFoldInto(resultType, source.getElementType()))
    return {};
  FailureOr<int64_t> axis =
      normalizeAxis(std::nullopt, getAxis(), inputType.getRank());
  if (failed(axis) || inputType.getRank() == 0)
    return {};
  ArrayRef<int64_t> inputShape = inputType.getShape();
  int64_t outer = productOfSizes(inputShape.take_front(*axis));
  int64_t axisSize = inputShape[*axis];
  int64_t inner = productOfSizes(inputShape.drop_front(*axis + 1));
  int64_t count = indices->size();
  if (outer * count * inner != resultType.getNumElements())
    return {};
  SmallVector<int64_t> sourceIndices;
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t index : *indices) {
      if (index < -axisSize || index >= axisSize)
        return {};
      if (index < 0)
        index += axisSize;
      for (int64_t i = 0; i < inner; ++i)
        sourceIndices.push_back((o * axisSize + index) * inner + i);
    }
  }
  return gatherConstant(source, resultType, sourceIndices);
}

LogicalResult GatherElementsOp::inferReturnTypes(MLIRContext *,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &types) {
  auto inputType = tensorTypeOf(adaptor.getInput());
  auto indicesType = tensorTypeOf(adaptor.getIndices());
  if (inputType.getRank() == 0)
    return emitInferenceError(loc, "gather_elements input must have rank >= 1");
  if (indicesType.getRank() != inputType.getRank())
    return emitInferenceError(loc, "indices must have the input's rank");
  if (failed(normalizeAxis(loc, adaptor.getAxis(), inputType.getRank())))
    return failure();
  types.push_back(RankedTensorType::get(indicesType.getShape(),
                                        inputType.getElementType()));
  return success();
}

LogicalResult GatherNDOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  auto inputType = tensorTypeOf(adaptor.getInput());
  auto indicesType = tensorTypeOf(adaptor.getIndices());
  int64_t rank = inputType.getRank(), indicesRank = indicesType.getRank();
  int64_t batchDims = adaptor.getBatchDims();
  if (rank < 1 || indicesRank < 1)
    return emitInferenceError(
        loc, "gather_nd input and indices must have rank >= 1");
  if (batchDims < 0 || batchDims >= std::min(rank, indicesRank))
    return emitInferenceError(
        loc, llvm::formatv("batch_dims {0} must be in [0, {1})", batchDims,
                           std::min(rank, indicesRank)));
  int64_t tupleSize = indicesType.getShape().back();
  if (ShapedType::isDynamic(tupleSize))
    return emitInferenceError(loc,
                              "the last dimension of indices must be static");
  if (tupleSize < 1 || tupleSize > rank - batchDims)
    return emitInferenceError(
        loc, llvm::formatv("index tuples have {0} entries; expected 1 to {1}",
                           tupleSize, rank - batchDims));
  SmallVector<int64_t> shape(indicesType.getShape().drop_back());
  for (int64_t dim = 0; dim < batchDims; ++dim) {
    std::optional<int64_t> merged =
        mergeSizes(shape[dim], inputType.getDimSize(dim));
    if (!merged)
      return emitInferenceError(
          loc,
          llvm::formatv("batch dimension {0} differs between input and indices",
                        dim));
    shape[dim] = *merged;
  }
  llvm::append_range(shape,
                     inputType.getShape().drop_front(batchDims + tupleSize));
  types.push_back(RankedTensorType::get(shape, inputType.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Scatter family
//===----------------------------------------------------------------------===//

LogicalResult
ScatterElementsOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                    Adaptor adaptor,
                                    SmallVectorImpl<Type> &types) {
  auto inputType = tensorTypeOf(adaptor.getInput());
  auto indicesType = tensorTypeOf(adaptor.getIndices());
  auto updatesType = tensorTypeOf(adaptor.getUpdates());
  if (inputType.getRank() == 0)
    return emitInferenceError(loc,
                              "scatter_elements input must have rank >= 1");
  if (failed(normalizeAxis(loc, adaptor.getAxis(), inputType.getRank())))
    return failure();
  if (indicesType.getRank() != inputType.getRank())
    return emitInferenceError(loc, "indices must have the input's rank");
  if (failed(verifyCompatibleShape(indicesType.getShape(),
                                   updatesType.getShape())))
    return emitInferenceError(loc, "updates must have the shape of indices");
  if (updatesType.getElementType() != inputType.getElementType())
    return emitInferenceError(loc,
                              "updates must have the input's element type");
  types.push_back(inputType);
  return success();
}

LogicalResult ScatterNDOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto inputType = tensorTypeOf(adaptor.getInput());
  auto indicesType = tensorTypeOf(adaptor.getIndices());
  auto updatesType = tensorTypeOf(adaptor.getUpdates());
  if (indicesType.getRank() < 1)
    return emitInferenceError(loc, "scatter_nd indices must have rank >= 1");
  if (updatesType.getElementType() != inputType.getElementType())
    return emitInferenceError(loc,
                              "updates must have the input's element type");
  int64_t tupleSize = indicesType.getShape().back();
  if (ShapedType::isStatic(tupleSize)) {
    if (tupleSize > inputType.getRank())
      return emitInferenceError(
          loc, llvm::formatv(
                   "index tuples have {0} entries for an input of rank {1}",
                   tupleSize, inputType.getRank()));
    // updates.shape = indices.shape[:-1] + input.shape[tupleSize:]
    SmallVector<int64_t> expected(indicesType.getShape().drop_back());
    llvm::append_range(expected, inputType.getShape().drop_front(tupleSize));
    if (updatesType.getRank() != int64_t(expected.size()) ||
        failed(verifyCompatibleShape(updatesType.getShape(), expected)))
      return emitInferenceError(loc,
                                "updates must have shape indices.shape[:-1] + "
                                "input.shape[indices.shape[-1]:]");
  }
  types.push_back(inputType);
  return success();
}

//===----------------------------------------------------------------------===//
// PadOp
//===----------------------------------------------------------------------===//

LogicalResult PadOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  auto inputType = tensorTypeOf(adaptor.getInput());
  int64_t rank = inputType.getRank();
  auto padsType = tensorTypeOf(adaptor.getPads());
  if (padsType.getRank() != 1 ||
      failed(verifyCompatibleShape(padsType.getShape(),
                                   ArrayRef<int64_t>{2 * rank})))
    return emitInferenceError(
        loc, llvm::formatv("pads must be a 1-D tensor of length {0} (2 * rank)",
                           2 * rank));
  if (Value value = adaptor.getValue()) {
    auto valueType = tensorTypeOf(value);
    if (valueType.getElementType() != inputType.getElementType())
      return emitInferenceError(loc,
                                "pad value must have the input's element type");
    if (failed(checkSingleElement(loc, value, "pad value")))
      return failure();
  }
  std::optional<SmallVector<int64_t>> pads =
      getConstantIntValues(adaptor.getPads());
  SmallVector<int64_t> shape;
  for (auto [i, size] : llvm::enumerate(inputType.getShape())) {
    if (!pads) {
      shape.push_back(kDynamic);
      continue;
    }
    int64_t padded = addSizes(addSizes(size, (*pads)[i]), (*pads)[i + rank]);
    if (ShapedType::isStatic(padded) && padded < 0)
      return emitInferenceError(
          loc, llvm::formatv("pads make dimension {0} (size {1}) negative", i,
                             size));
    shape.push_back(padded);
  }
  types.push_back(RankedTensorType::get(shape, inputType.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// ResizeOp
//===----------------------------------------------------------------------===//

static std::pair<int64_t, int64_t> getShapeBounds(int64_t rank, int64_t start,
                                                  std::optional<int64_t> end);

/// The entries of a 1-D integer operand, kDynamic where unknown at compile
/// time: constants, the dimensions tamp.shape reads off its input's type,
/// and tamp.scatter_elements of such entries (how the importer completes
/// sizes given for some axes only). std::nullopt unless the length is known.
static std::optional<SmallVector<int64_t>> getKnownEntries(Value value) {
  auto type = tensorTypeOf(value);
  if (type.getRank() != 1 || type.isDynamicDim(0))
    return std::nullopt;
  if (std::optional<SmallVector<int64_t>> values = getConstantIntValues(value))
    return values;
  if (auto shape = value.getDefiningOp<ShapeOp>()) {
    RankedTensorType inputType = shape.getInput().getType();
    std::optional<int64_t> end;
    if (shape.getEnd())
      end = int64_t(*shape.getEnd());
    auto [first, last] =
        getShapeBounds(inputType.getRank(), shape.getStart(), end);
    return SmallVector<int64_t>(
        inputType.getShape().slice(first, last - first));
  }
  SmallVector<int64_t> unknown(type.getDimSize(0), kDynamic);
  auto scatter = value.getDefiningOp<ScatterElementsOp>();
  if (!scatter || scatter.getReduction() != ScatterReduction::none)
    return unknown;
  std::optional<SmallVector<int64_t>> entries =
      getKnownEntries(scatter.getInput());
  std::optional<SmallVector<int64_t>> positions =
      getConstantIntValues(scatter.getIndices());
  std::optional<SmallVector<int64_t>> updates =
      getKnownEntries(scatter.getUpdates());
  if (!entries || !positions || !updates ||
      positions->size() != updates->size())
    return unknown;
  int64_t length = entries->size();
  for (auto [position, update] : llvm::zip(*positions, *updates)) {
    if (position < -length || position >= length)
      return unknown;
    (*entries)[position < 0 ? position + length : position] = update;
  }
  return entries;
}

/// Output sizes of a resize given by `sizes` under an aspect-ratio policy:
/// one scale (the smallest or largest ratio) over the dimensions in `axes`
/// (all when empty), each of their sizes rounded half up as onnxruntime does
/// in single precision; the other dimensions take `sizes` as they are.
static SmallVector<int64_t> applyAspectRatioPolicy(ArrayRef<int64_t> inputShape,
                                                   ArrayRef<int64_t> sizes,
                                                   AspectRatioPolicy policy,
                                                   ArrayRef<int64_t> axes) {
  SmallVector<int64_t> result(sizes);
  if (policy == AspectRatioPolicy::stretch)
    return result;
  SmallVector<int64_t> policyAxes(axes);
  if (policyAxes.empty())
    policyAxes = llvm::to_vector(llvm::seq<int64_t>(0, inputShape.size()));
  if (llvm::any_of(policyAxes, [&](int64_t axis) {
        return ShapedType::isDynamic(inputShape[axis]) ||
               inputShape[axis] == 0 || ShapedType::isDynamic(sizes[axis]);
      })) {
    for (int64_t axis : policyAxes)
      result[axis] = kDynamic;
    return result;
  }
  bool notLarger = policy == AspectRatioPolicy::not_larger;
  float scale = notLarger ? std::numeric_limits<float>::max() : 0.0f;
  for (int64_t axis : policyAxes) {
    float ratio = float(sizes[axis]) / float(inputShape[axis]);
    scale = notLarger ? std::min(scale, ratio) : std::max(scale, ratio);
  }
  for (int64_t axis : policyAxes)
    result[axis] = sizeFromFloat(std::round(scale * float(inputShape[axis])));
  return result;
}

/// Whether `axes` can restrict the aspect-ratio policy of a rank-`rank`
/// resize: sorted, distinct and in range.
static bool arePolicyAxesValid(ArrayRef<int64_t> axes, int64_t rank) {
  for (auto [index, axis] : llvm::enumerate(axes))
    if (axis < 0 || axis >= rank || (index > 0 && axes[index - 1] >= axis))
      return false;
  return true;
}

LogicalResult ResizeOp::inferReturnTypes(MLIRContext *, std::optional<Location>,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  // Malformed scales/sizes are diagnosed by the verifier; inference only
  // makes the result as static as the operands allow.
  auto inputType = tensorTypeOf(adaptor.getInput());
  int64_t rank = inputType.getRank();
  SmallVector<int64_t> shape(rank, kDynamic);
  std::optional<SmallVector<double>> scales =
      adaptor.getScales() ? getConstantFloatValues(adaptor.getScales())
                          : std::nullopt;
  std::optional<SmallVector<int64_t>> sizes =
      adaptor.getSizes() ? getKnownEntries(adaptor.getSizes()) : std::nullopt;
  bool oneGiven = bool(adaptor.getScales()) != bool(adaptor.getSizes());
  // Crop-and-resize sizes also depend on the region of interest, and ONNX
  // and onnxruntime disagree there; leave them dynamic.
  bool cropped = adaptor.getCoordinateTransform() ==
                 CoordinateTransform::tf_crop_and_resize;
  if (oneGiven && scales && int64_t(scales->size()) == rank && !cropped &&
      llvm::all_of(*scales, [](double scale) { return scale > 0; })) {
    for (auto [i, size] : llvm::enumerate(inputType.getShape()))
      if (ShapedType::isStatic(size))
        shape[i] = sizeFromFloat(std::floor(float(size) * float((*scales)[i])));
  }
  if (oneGiven && sizes && int64_t(sizes->size()) == rank &&
      llvm::all_of(*sizes,
                   [](int64_t size) {
                     return ShapedType::isDynamic(size) || size >= 0;
                   }) &&
      arePolicyAxesValid(adaptor.getAxes(), rank))
    shape = applyAspectRatioPolicy(inputType.getShape(), *sizes,
                                   adaptor.getAspectRatioPolicy(),
                                   adaptor.getAxes());
  types.push_back(RankedTensorType::get(shape, inputType.getElementType()));
  return success();
}

LogicalResult ResizeOp::verify() {
  int64_t rank = getInput().getType().getRank();
  if (bool(getScales()) == bool(getSizes()))
    return emitOpError("exactly one of scales and sizes must be given");
  Value target = getScales() ? getScales() : getSizes();
  StringRef name = getScales() ? "scales" : "sizes";
  auto targetType = tensorTypeOf(target);
  if (targetType.getRank() != 1 ||
      failed(verifyCompatibleShape(targetType.getShape(),
                                   ArrayRef<int64_t>{rank})))
    return emitOpError() << name << " must be a 1-D tensor of length " << rank;
  if (auto scales = getConstantFloatValues(getScales()))
    if (llvm::any_of(*scales, [](double scale) { return !(scale > 0); }))
      return emitOpError("scales must be positive");
  if (auto sizes = getConstantIntValues(getSizes()))
    if (llvm::any_of(*sizes, [](int64_t size) { return size < 0; }))
      return emitOpError("sizes must be non-negative");
  if (Value roi = getRoi()) {
    auto roiType = tensorTypeOf(roi);
    if (roiType.getRank() != 1 ||
        failed(verifyCompatibleShape(roiType.getShape(),
                                     ArrayRef<int64_t>{2 * rank})))
      return emitOpError() << "roi must be a 1-D tensor of length " << 2 * rank
                           << " (2 * rank)";
  }
  if (!getAxes().empty()) {
    if (!getSizes() || getAspectRatioPolicy() == AspectRatioPolicy::stretch)
      return emitOpError("axes only apply to sizes with an aspect-ratio "
                         "policy other than stretch");
    if (!arePolicyAxesValid(getAxes(), rank))
      return emitOpError() << "axes must be sorted, distinct and in [0, "
                           << rank << ")";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// ShapeOp, FillOp, RangeOp
//===----------------------------------------------------------------------===//

/// The dimensions [start, end) that Shape-15 returns, with ONNX's clamping.
static std::pair<int64_t, int64_t> getShapeBounds(int64_t rank, int64_t start,
                                                  std::optional<int64_t> end) {
  auto clampBound = [&](int64_t bound) {
    if (bound < 0)
      bound += rank;
    return std::min(std::max<int64_t>(bound, 0), rank);
  };
  int64_t first = clampBound(start);
  int64_t last = clampBound(end.value_or(rank));
  return {first, std::max(first, last)};
}

LogicalResult ShapeOp::inferReturnTypes(MLIRContext *ctx,
                                        std::optional<Location>,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  auto inputType = tensorTypeOf(adaptor.getInput());
  std::optional<int64_t> end;
  if (adaptor.getEnd())
    end = int64_t(*adaptor.getEnd());
  auto [first, last] =
      getShapeBounds(inputType.getRank(), adaptor.getStart(), end);
  types.push_back(
      RankedTensorType::get({last - first}, IntegerType::get(ctx, 64)));
  return success();
}

OpFoldResult ShapeOp::fold(FoldAdaptor) {
  RankedTensorType inputType = getInput().getType();
  std::optional<int64_t> end;
  if (getEnd())
    end = int64_t(*getEnd());
  auto [first, last] = getShapeBounds(inputType.getRank(), getStart(), end);
  ArrayRef<int64_t> dims = inputType.getShape().slice(first, last - first);
  RankedTensorType resultType = getType();
  if (!ShapedType::isStaticShape(dims) || !resultType.hasStaticShape() ||
      resultType.getNumElements() != int64_t(dims.size()))
    return {};
  return DenseElementsAttr::get(resultType, dims);
}

LogicalResult FillOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  Type elementType = adaptor.getValue().getType();
  if (isa<ShapedType>(elementType))
    return emitInferenceError(loc, "fill value must be a scalar");
  FailureOr<int64_t> rank =
      getStaticVectorLength(loc, adaptor.getShape(), "shape");
  if (failed(rank))
    return failure();
  SmallVector<int64_t> shape(*rank, kDynamic);
  if (auto sizes = getConstantIntValues(adaptor.getShape())) {
    if (llvm::any_of(*sizes, [](int64_t size) { return size < 0; }))
      return emitInferenceError(loc, "shape entries must be non-negative");
    shape = *sizes;
  }
  types.push_back(RankedTensorType::get(shape, elementType));
  return success();
}

/// A static fill is a splat constant: shape subgraphs (ConstantOfShape)
/// fold through it, and a splat costs nothing whatever its size.
OpFoldResult FillOp::fold(FoldAdaptor) {
  RankedTensorType type = getType();
  Attribute value = getValue();
  if (!type.hasStaticShape() || !isa<IntegerAttr, FloatAttr>(value))
    return {};
  return DenseElementsAttr::get(type, ArrayRef<Attribute>{value});
}

/// max(ceil((limit - start) / delta), 0) as onnxruntime computes it: the
/// difference in the element type `T`, the quotient in double. Dynamic if it
/// is not a valid size.
template <typename T> static int64_t rangeLength(T start, T limit, T delta) {
  double length = std::ceil(double(limit - start) / double(delta));
  if (length <= 0)
    return 0;
  return sizeFromFloat(length);
}

/// Small integer ranges fold: ONNX's expanded functions compute reduction
/// axes as Range(axis, Size(Shape(x)), 1).
OpFoldResult RangeOp::fold(FoldAdaptor adaptor) {
  RankedTensorType type = getType();
  auto start = dyn_cast_or_null<DenseIntElementsAttr>(adaptor.getStart());
  auto delta = dyn_cast_or_null<DenseIntElementsAttr>(adaptor.getDelta());
  if (!start || !delta || !type.hasStaticShape() ||
      type.getNumElements() > 1024)
    return {};
  APInt value = start.getSplatValue<APInt>();
  APInt step = delta.getSplatValue<APInt>();
  SmallVector<APInt> values;
  for (int64_t i = 0; i < type.getNumElements(); ++i, value += step)
    values.push_back(value);
  return DenseIntElementsAttr::get(type, values);
}

LogicalResult RangeOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  ValueRange operands = adaptor.getOperands();
  for (Value operand : operands)
    if (tensorTypeOf(operand).getRank() != 0)
      return emitInferenceError(loc, "range operands must be 0-D");
  Type elementType = tensorTypeOf(adaptor.getStart()).getElementType();
  int64_t length = kDynamic;
  if (isa<IntegerType>(elementType)) {
    auto start = getConstantIntValues(adaptor.getStart());
    auto limit = getConstantIntValues(adaptor.getLimit());
    auto delta = getConstantIntValues(adaptor.getDelta());
    if (delta && delta->front() == 0)
      return emitInferenceError(loc, "range delta cannot be 0");
    int64_t span;
    // -1 dividing INT64_MIN is the one quotient that overflows.
    if (start && limit && delta &&
        !llvm::SubOverflow(limit->front(), start->front(), span) &&
        !(span == std::numeric_limits<int64_t>::min() &&
          delta->front() == -1)) {
      // Integer ceiling division, so that large bounds stay exact.
      int64_t step = delta->front();
      int64_t quotient = span / step;
      if (span % step != 0 && (span < 0) == (step < 0))
        ++quotient;
      length = std::max<int64_t>(quotient, 0);
    }
  } else {
    auto start = getConstantFloatValues(adaptor.getStart());
    auto limit = getConstantFloatValues(adaptor.getLimit());
    auto delta = getConstantFloatValues(adaptor.getDelta());
    if (delta && delta->front() == 0)
      return emitInferenceError(loc, "range delta cannot be 0");
    if (start && limit && delta) {
      length = elementType.isF32()
                   ? rangeLength<float>(start->front(), limit->front(),
                                        delta->front())
                   : rangeLength<double>(start->front(), limit->front(),
                                         delta->front());
    }
  }
  types.push_back(RankedTensorType::get({length}, elementType));
  return success();
}

//===----------------------------------------------------------------------===//
// TopKOp
//===----------------------------------------------------------------------===//

LogicalResult TopKOp::inferReturnTypes(MLIRContext *ctx,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  auto inputType = tensorTypeOf(adaptor.getInput());
  if (inputType.getRank() == 0)
    return emitInferenceError(loc, "topk input must have rank >= 1");
  auto axis = normalizeAxis(loc, adaptor.getAxis(), inputType.getRank());
  if (failed(axis) || failed(checkSingleElement(loc, adaptor.getK(), "k")))
    return failure();
  SmallVector<int64_t> shape(inputType.getShape());
  shape[*axis] = kDynamic;
  if (auto k = getConstantIntValues(adaptor.getK())) {
    int64_t count = k->front();
    int64_t axisSize = inputType.getDimSize(*axis);
    if (count < 0)
      return emitInferenceError(loc,
                                llvm::formatv("k ({0}) is negative", count));
    if (ShapedType::isStatic(axisSize) && count > axisSize)
      return emitInferenceError(
          loc,
          llvm::formatv("k ({0}) exceeds the axis size {1}", count, axisSize));
    shape[*axis] = count;
  }
  types.push_back(RankedTensorType::get(shape, inputType.getElementType()));
  types.push_back(RankedTensorType::get(shape, IntegerType::get(ctx, 64)));
  return success();
}

//===----------------------------------------------------------------------===//
// DepthToSpaceOp, SpaceToDepthOp
//===----------------------------------------------------------------------===//

static LogicalResult checkBlockRearrangement(std::optional<Location> loc,
                                             RankedTensorType inputType,
                                             int64_t blocksize) {
  if (inputType.getRank() != 4)
    return emitInferenceError(loc, "input must be 4-D (NCHW)");
  if (blocksize <= 0)
    return emitInferenceError(
        loc, llvm::formatv("blocksize {0} must be positive", blocksize));
  return success();
}

LogicalResult DepthToSpaceOp::inferReturnTypes(MLIRContext *,
                                               std::optional<Location> loc,
                                               Adaptor adaptor,
                                               SmallVectorImpl<Type> &types) {
  auto inputType = tensorTypeOf(adaptor.getInput());
  int64_t blocksize = adaptor.getBlocksize();
  if (failed(checkBlockRearrangement(loc, inputType, blocksize)))
    return failure();
  int64_t blockArea = multiplySizes(blocksize, blocksize);
  int64_t channels = inputType.getDimSize(1);
  if (ShapedType::isStatic(channels) &&
      (ShapedType::isDynamic(blockArea) || channels % blockArea != 0))
    return emitInferenceError(
        loc, llvm::formatv("channels ({0}) are not divisible by blocksize^2",
                           channels));
  types.push_back(RankedTensorType::get(
      {inputType.getDimSize(0),
       ShapedType::isStatic(channels) ? channels / blockArea : kDynamic,
       multiplySizes(inputType.getDimSize(2), blocksize),
       multiplySizes(inputType.getDimSize(3), blocksize)},
      inputType.getElementType()));
  return success();
}

LogicalResult SpaceToDepthOp::inferReturnTypes(MLIRContext *,
                                               std::optional<Location> loc,
                                               Adaptor adaptor,
                                               SmallVectorImpl<Type> &types) {
  auto inputType = tensorTypeOf(adaptor.getInput());
  int64_t blocksize = adaptor.getBlocksize();
  if (failed(checkBlockRearrangement(loc, inputType, blocksize)))
    return failure();
  SmallVector<int64_t> spatial;
  for (int64_t dim : {2, 3}) {
    int64_t size = inputType.getDimSize(dim);
    if (ShapedType::isStatic(size) && size % blocksize != 0)
      return emitInferenceError(
          loc, llvm::formatv("dimension {0} (size {1}) is not divisible by "
                             "blocksize {2}",
                             dim, size, blocksize));
    spatial.push_back(ShapedType::isStatic(size) ? size / blocksize : kDynamic);
  }
  types.push_back(
      RankedTensorType::get({inputType.getDimSize(0),
                             multiplySizes(inputType.getDimSize(1),
                                           multiplySizes(blocksize, blocksize)),
                             spatial[0], spatial[1]},
                            inputType.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// TriluOp, OneHotOp, NonZeroOp
//===----------------------------------------------------------------------===//

LogicalResult TriluOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  auto inputType = tensorTypeOf(adaptor.getInput());
  if (inputType.getRank() < 2)
    return emitInferenceError(loc, "trilu input must have rank >= 2");
  if (Value k = adaptor.getK())
    if (failed(checkSingleElement(loc, k, "k")))
      return failure();
  types.push_back(inputType);
  return success();
}

LogicalResult OneHotOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto indicesType = tensorTypeOf(adaptor.getIndices());
  auto valuesType = tensorTypeOf(adaptor.getValues());
  if (failed(checkSingleElement(loc, adaptor.getDepth(), "depth")))
    return failure();
  if (valuesType.getRank() != 1 ||
      failed(
          verifyCompatibleShape(valuesType.getShape(), ArrayRef<int64_t>{2})))
    return emitInferenceError(loc, "values must be a 1-D tensor [off, on]");
  int64_t rank = indicesType.getRank() + 1;
  // The axis indexes the result, so -1 is its last dimension.
  auto axis = normalizeAxis(loc, adaptor.getAxis(), rank);
  if (failed(axis))
    return failure();
  int64_t depth = kDynamic;
  if (auto intDepth = getConstantIntValues(adaptor.getDepth()))
    depth = intDepth->front();
  else if (auto floatDepth = getConstantFloatValues(adaptor.getDepth()))
    // ONNX truncates a float depth; depths beyond int64 stay unknown.
    depth = std::abs(floatDepth->front()) < 0x1p62
                ? int64_t(floatDepth->front())
                : kDynamic;
  if (ShapedType::isStatic(depth) && depth <= 0)
    return emitInferenceError(
        loc, llvm::formatv("depth ({0}) must be positive", depth));
  SmallVector<int64_t> shape(indicesType.getShape());
  shape.insert(shape.begin() + *axis, depth);
  types.push_back(RankedTensorType::get(shape, valuesType.getElementType()));
  return success();
}

/// The number of non-zero elements of a dense constant, if `value` is one.
static std::optional<int64_t> countNonZeros(Value value) {
  DenseElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  auto isNonZero = [](Attribute element) {
    if (auto intAttr = dyn_cast<IntegerAttr>(element))
      return !intAttr.getValue().isZero();
    if (auto floatAttr = dyn_cast<FloatAttr>(element))
      return !floatAttr.getValue().isZero();
    return true;
  };
  if (!attr.getElementType().isIntOrFloat() ||
      (!attr.isSplat() && attr.getNumElements() > kMaxFoldedElements))
    return std::nullopt;
  if (attr.isSplat())
    return isNonZero(attr.getSplatValue<Attribute>()) ? attr.getNumElements()
                                                      : 0;
  return llvm::count_if(attr.getValues<Attribute>(), isNonZero);
}

LogicalResult NonZeroOp::inferReturnTypes(MLIRContext *ctx,
                                          std::optional<Location>,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  // onnxruntime (like numpy) treats a 0-D input as 1-D, giving one row of
  // coordinates.
  int64_t rank =
      std::max<int64_t>(tensorTypeOf(adaptor.getInput()).getRank(), 1);
  int64_t count = countNonZeros(adaptor.getInput()).value_or(kDynamic);
  types.push_back(
      RankedTensorType::get({rank, count}, IntegerType::get(ctx, 64)));
  return success();
}
