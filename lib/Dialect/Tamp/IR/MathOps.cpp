//===- MathOps.cpp - Element-wise math, reductions, contractions ----------===//

#include "tamp/Dialect/Tamp/IR/TampOps.h"

#include "mlir/Dialect/CommonFolders.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace tamp;

#define GET_OP_CLASSES
#include "tamp/Dialect/Tamp/IR/MathOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Folding
//===----------------------------------------------------------------------===//

// Constant-folds integer binary ops on equally shaped (or splat) operands.
// This is what resolves ONNX shape arithmetic (Shape -> Gather -> Mul ->
// Concat -> Reshape) at import time; float math is left to later passes.
template <typename Fn>
static OpFoldResult foldIntegerBinary(Attribute lhs, Attribute rhs,
                                      Type resultType, Fn &&fn) {
  auto type = dyn_cast<RankedTensorType>(resultType);
  if (!type || !type.hasStaticShape() ||
      !isa<IntegerType>(type.getElementType()))
    return {};
  auto l = dyn_cast_or_null<DenseIntElementsAttr>(lhs);
  auto r = dyn_cast_or_null<DenseIntElementsAttr>(rhs);
  if (!l || !r)
    return {};
  int64_t n = type.getNumElements();
  if ((!l.isSplat() && l.getNumElements() != n) ||
      (!r.isSplat() && r.getNumElements() != n))
    return {};
  SmallVector<APInt> values;
  values.reserve(n);
  auto lv = l.getValues<APInt>();
  auto rv = r.getValues<APInt>();
  for (int64_t i = 0; i < n; ++i) {
    std::optional<APInt> value =
        fn(l.isSplat() ? lv[0] : lv[i], r.isSplat() ? rv[0] : rv[i]);
    if (!value)
      return {};
    values.push_back(*value);
  }
  return DenseIntElementsAttr::get(type, values);
}

static bool isSplatOf(Attribute attr, int64_t value) {
  auto dense = dyn_cast_or_null<DenseIntElementsAttr>(attr);
  if (dense && dense.isSplat())
    return dense.getSplatValue<APInt>().getSExtValue() == value;
  auto floats = dyn_cast_or_null<DenseFPElementsAttr>(attr);
  return floats && floats.isSplat() &&
         floats.getSplatValue<APFloat>().convertToDouble() == double(value);
}

/// x op identity -> x, when that does not change the type.
static OpFoldResult foldRightIdentity(Value lhs, Attribute rhs, Type resultType,
                                      int64_t identity) {
  if (lhs.getType() == resultType && isSplatOf(rhs, identity))
    return lhs;
  return {};
}

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  // Only integers: for floats x + 0.0 is +0.0 when x is -0.0.
  if (isa<IntegerType>(getType().getElementType()))
    if (OpFoldResult identity =
            foldRightIdentity(getLhs(), adaptor.getRhs(), getType(), 0))
      return identity;
  return foldIntegerBinary(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APInt &a, const APInt &b) -> std::optional<APInt> {
        return a + b;
      });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult identity =
          foldRightIdentity(getLhs(), adaptor.getRhs(), getType(), 0))
    return identity;
  return foldIntegerBinary(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APInt &a, const APInt &b) -> std::optional<APInt> {
        return a - b;
      });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult identity =
          foldRightIdentity(getLhs(), adaptor.getRhs(), getType(), 1))
    return identity;
  return foldIntegerBinary(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [](const APInt &a, const APInt &b) -> std::optional<APInt> {
        return a * b;
      });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult identity =
          foldRightIdentity(getLhs(), adaptor.getRhs(), getType(), 1))
    return identity;
  bool isUnsigned = getType().getElementType().isUnsignedInteger();
  return foldIntegerBinary(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [&](const APInt &a, const APInt &b) -> std::optional<APInt> {
        if (b.isZero() ||
            (!isUnsigned && b.isAllOnes() && a.isMinSignedValue()))
          return std::nullopt;
        return isUnsigned ? a.udiv(b) : a.sdiv(b);
      });
}

OpFoldResult MinOp::fold(FoldAdaptor adaptor) {
  bool isUnsigned = getType().getElementType().isUnsignedInteger();
  return foldIntegerBinary(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [&](const APInt &a, const APInt &b) -> std::optional<APInt> {
        return isUnsigned ? llvm::APIntOps::umin(a, b)
                          : llvm::APIntOps::smin(a, b);
      });
}

OpFoldResult MaxOp::fold(FoldAdaptor adaptor) {
  bool isUnsigned = getType().getElementType().isUnsignedInteger();
  return foldIntegerBinary(
      adaptor.getLhs(), adaptor.getRhs(), getType(),
      [&](const APInt &a, const APInt &b) -> std::optional<APInt> {
        return isUnsigned ? llvm::APIntOps::umax(a, b)
                          : llvm::APIntOps::smax(a, b);
      });
}

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  auto input = dyn_cast_or_null<DenseIntElementsAttr>(adaptor.getInput());
  if (!input || input.getNumElements() > 1024)
    return {};
  return input.mapValues(input.getElementType(),
                         [](const APInt &value) { return -value; });
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

LogicalResult ClampOp::inferReturnTypes(MLIRContext *, std::optional<Location>,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  types.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult ClampOp::verify() {
  if (isQuantizedTensor(getInput().getType()) &&
      failed(verifyQuantizedActivation(*this, "input", getInput().getType())))
    return failure();
  if (getMin() && getMax() &&
      getMin()->convertToDouble() > getMax()->convertToDouble())
    return emitOpError("min ")
           << getMin()->convertToDouble() << " is greater than max "
           << getMax()->convertToDouble();
  return success();
}

OpFoldResult ClampOp::fold(FoldAdaptor) {
  if (!getMin() && !getMax())
    return getInput();
  return {};
}

LogicalResult PReluOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  auto slope = cast<RankedTensorType>(adaptor.getSlope().getType());
  // Unidirectional broadcast: the slope stretches to the input, never back.
  auto shape = broadcastShapes(input.getShape(), slope.getShape());
  if (!shape || shape->size() != size_t(input.getRank()) ||
      failed(verifyCompatibleShape(*shape, input.getShape())))
    return emitInferenceError(loc,
                              "slope does not broadcast to the input's shape");
  if (slope.getElementType() != input.getElementType())
    return emitInferenceError(loc, "slope and input element types differ");
  types.push_back(input);
  return success();
}

//===----------------------------------------------------------------------===//
// Mod, where
//===----------------------------------------------------------------------===//

LogicalResult ModOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  return inferBroadcastResultType(loc, adaptor.getLhs().getType(),
                                  adaptor.getRhs().getType(), nullptr, types);
}

LogicalResult WhereOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  auto cond = cast<RankedTensorType>(adaptor.getCondition().getType());
  auto lhs = cast<RankedTensorType>(adaptor.getLhs().getType());
  auto rhs = cast<RankedTensorType>(adaptor.getRhs().getType());
  if (lhs.getElementType() != rhs.getElementType())
    return emitInferenceError(loc,
                              "both branches must have the same element type");
  auto shape = broadcastShapes(lhs.getShape(), rhs.getShape());
  if (shape)
    shape = broadcastShapes(cond.getShape(), *shape);
  if (!shape)
    return emitInferenceError(
        loc, "condition and branches are not broadcast-compatible");
  types.push_back(RankedTensorType::get(*shape, lhs.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Arg reductions, cumsum, softmax
//===----------------------------------------------------------------------===//

template <typename ArgOp>
static LogicalResult inferArgReduce(std::optional<Location> loc,
                                    typename ArgOp::Adaptor adaptor,
                                    SmallVectorImpl<Type> &types) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  auto axis = normalizeAxis(loc, adaptor.getAxis(), input.getRank());
  if (failed(axis))
    return failure();
  SmallVector<Type, 1> reduced;
  if (failed(inferReductionResultType(loc, input, {*axis},
                                      adaptor.getKeepdims(), reduced)))
    return failure();
  types.push_back(
      RankedTensorType::get(cast<RankedTensorType>(reduced.front()).getShape(),
                            IntegerType::get(input.getContext(), 64)));
  return success();
}

LogicalResult ArgMaxOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  return inferArgReduce<ArgMaxOp>(loc, adaptor, types);
}

LogicalResult ArgMinOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  return inferArgReduce<ArgMinOp>(loc, adaptor, types);
}

/// Result type of an op that keeps its input's type and names one axis. The
/// custom parser infers the type while the attributes are still a dictionary,
/// before they become the op's properties, so `axis` is null there; the
/// verifier infers again with the axis set and checks it then.
static LogicalResult inferSameTypeWithAxis(std::optional<Location> loc,
                                           Value input, IntegerAttr axis,
                                           SmallVectorImpl<Type> &types) {
  // The parser also infers before the operand constraints are verified, so
  // an unranked operand reaches here; verification rejects it afterwards.
  auto type = dyn_cast<RankedTensorType>(input.getType());
  if (!type) {
    types.push_back(input.getType());
    return success();
  }
  if (axis && failed(normalizeAxis(loc, axis.getInt(), type.getRank())))
    return failure();
  types.push_back(type);
  return success();
}

LogicalResult CumSumOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  return inferSameTypeWithAxis(loc, adaptor.getInput(), adaptor.getAxisAttr(),
                               types);
}

LogicalResult SoftmaxOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return inferSameTypeWithAxis(loc, adaptor.getInput(), adaptor.getAxisAttr(),
                               types);
}

LogicalResult LogSoftmaxOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &types) {
  return inferSameTypeWithAxis(loc, adaptor.getInput(), adaptor.getAxisAttr(),
                               types);
}

//===----------------------------------------------------------------------===//
// MatMul
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto lhs = cast<RankedTensorType>(adaptor.getLhs().getType());
  auto rhs = cast<RankedTensorType>(adaptor.getRhs().getType());
  if (lhs.getRank() == 0 || rhs.getRank() == 0)
    return emitInferenceError(loc, "matmul operands must have rank >= 1");
  // Promote 1-D operands to matrices as numpy does, remembering to drop the
  // added dimension from the result.
  SmallVector<int64_t> l(lhs.getShape()), r(rhs.getShape());
  bool lhsVector = l.size() == 1, rhsVector = r.size() == 1;
  if (lhsVector)
    l.insert(l.begin(), 1);
  if (rhsVector)
    r.push_back(1);
  int64_t k1 = l.back(), k2 = r[r.size() - 2];
  if (!ShapedType::isDynamic(k1) && !ShapedType::isDynamic(k2) && k1 != k2)
    return emitInferenceError(loc, llvm::Twine("contraction sizes differ: ") +
                                       llvm::Twine(k1) + " vs " +
                                       llvm::Twine(k2));
  auto batch =
      broadcastShapes(ArrayRef(l).drop_back(2), ArrayRef(r).drop_back(2));
  if (!batch)
    return emitInferenceError(loc,
                              "batch dimensions are not broadcast-compatible");
  SmallVector<int64_t> shape(*batch);
  if (!lhsVector)
    shape.push_back(l[l.size() - 2]);
  if (!rhsVector)
    shape.push_back(r.back());
  types.push_back(RankedTensorType::get(shape, lhs.getElementType()));
  return success();
}

LogicalResult MatMulOp::verify() {
  Type lhs = getLhs().getType(), rhs = getRhs().getType();
  if (isQuantizedTensor(lhs) || isQuantizedTensor(rhs))
    return verifyIntegerKernelOperands(*this, {getLhs(), getRhs()},
                                       /*weight=*/nullptr, 0, /*bias=*/nullptr,
                                       0);
  if (getElementTypeOrSelf(lhs) != getElementTypeOrSelf(rhs))
    return emitOpError("requires the same element type for all operands");
  return success();
}

SmallVector<unsigned> MatMulOp::getQuantizableOperandIndices() {
  return {0, 1};
}
std::optional<unsigned> MatMulOp::getWeightOperandIndex() {
  return std::nullopt;
}
int64_t MatMulOp::getWeightOutputChannelDim() {
  return std::max<int64_t>(getRhs().getType().getRank() - 1, 0);
}
int64_t MatMulOp::getWeightReductionDim() {
  return std::max<int64_t>(getRhs().getType().getRank() - 2, 0);
}

//===----------------------------------------------------------------------===//
// Linear
//===----------------------------------------------------------------------===//

LogicalResult LinearOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  auto weight = cast<RankedTensorType>(adaptor.getWeight().getType());
  if (input.getRank() < 1)
    return emitInferenceError(loc, "linear input must have rank >= 1");
  if (weight.getRank() != 2)
    return emitInferenceError(
        loc, "linear weight must be 2-D [out_features, in_features]");
  if (failed(verifyCompatibleShape(ArrayRef<int64_t>{input.getShape().back()},
                                   ArrayRef<int64_t>{weight.getDimSize(1)})))
    return emitInferenceError(loc, llvm::Twine("input features ") +
                                       llvm::Twine(input.getShape().back()) +
                                       " do not match weight in_features " +
                                       llvm::Twine(weight.getDimSize(1)));
  SmallVector<int64_t> shape(input.getShape());
  shape.back() = weight.getDimSize(0);
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult LinearOp::verify() {
  if (failed(verifyEpilogue(*this, getActivation(), getActivationMin(),
                            getActivationMax())))
    return failure();
  if (isQuantizedTensor(getInput().getType()))
    return verifyIntegerKernelOperands(*this, getInput(), getWeight(),
                                       /*weightChannelDim=*/0, getBias(),
                                       getWeight().getType().getDimSize(0));
  Type elementType = getInput().getType().getElementType();
  if (getWeight().getType().getElementType() != elementType)
    return emitOpError("weight element type must match the input's");
  if (Value bias = getBias()) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    if (biasType.getElementType() != elementType)
      return emitOpError("bias element type must match the input's");
    if (biasType.getRank() != 1 ||
        failed(verifyCompatibleShape(
            biasType.getShape(),
            ArrayRef<int64_t>{getWeight().getType().getDimSize(0)})))
      return emitOpError("bias must be 1-D [out_features]");
  }
  return success();
}

SmallVector<unsigned> LinearOp::getQuantizableOperandIndices() {
  return {0, 1};
}
std::optional<unsigned> LinearOp::getWeightOperandIndex() { return 1; }
int64_t LinearOp::getWeightOutputChannelDim() { return 0; }
int64_t LinearOp::getWeightReductionDim() { return 1; }
int64_t LinearOp::getWeightInputChannelDim() { return 1; }
int64_t LinearOp::getInputChannelDim() {
  return getInput().getType().getRank() - 1;
}
int64_t LinearOp::getResultChannelDim() { return getType().getRank() - 1; }
std::optional<unsigned> LinearOp::getBiasOperandIndex() {
  return getBias() ? std::optional<unsigned>(2) : std::nullopt;
}

//===----------------------------------------------------------------------===//
// SparseLinear
//===----------------------------------------------------------------------===//

LogicalResult SparseLinearOp::inferReturnTypes(MLIRContext *,
                                               std::optional<Location> loc,
                                               Adaptor adaptor,
                                               SmallVectorImpl<Type> &types) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  auto values = cast<RankedTensorType>(adaptor.getValues().getType());
  if (input.getRank() < 1)
    return emitInferenceError(loc, "sparse_linear input must have rank >= 1");
  if (values.getRank() != 3)
    return emitInferenceError(
        loc, "sparse_linear values must be 3-D [groups, kept, out_features]");
  SmallVector<int64_t> shape(input.getShape());
  shape.back() = values.getDimSize(2);
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult SparseLinearOp::verify() {
  RankedTensorType valuesType = getValues().getType();
  RankedTensorType indicesType = getIndices().getType();
  Type elementType = getInput().getType().getElementType();
  if (valuesType.getElementType() != elementType)
    return emitOpError("values element type must match the input's");
  if (!valuesType.hasStaticShape())
    return emitOpError("values must have a static shape");
  if (indicesType.getShape() != valuesType.getShape())
    return emitOpError("indices must have the values' shape ")
           << valuesType.getShape();
  int64_t groupSize = getGroupSize();
  if (getKeptPerGroup() > groupSize)
    return emitOpError("keeps ")
           << getKeptPerGroup() << " weights per group of " << groupSize;
  int64_t features = getInput().getType().getShape().back();
  if (!ShapedType::isDynamic(features) && features != getInputFeatures())
    return emitOpError("input features ")
           << features
           << " differ from groups x group_size = " << getInputFeatures();
  if (Value bias = getBias()) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    if (biasType.getElementType() != elementType)
      return emitOpError("bias element type must match the input's");
    if (biasType.getShape() != ArrayRef<int64_t>{getOutputFeatures()})
      return emitOpError("bias must be 1-D [out_features]");
  }
  DenseIntElementsAttr indices;
  if (matchPattern(getIndices(), m_Constant(&indices)))
    for (const APInt &index : indices.getValues<APInt>())
      if (index.isNegative() || index.sge(groupSize))
        return emitOpError("index ")
               << index.getSExtValue() << " lies outside its group of "
               << groupSize;
  return success();
}

SmallVector<unsigned> SparseLinearOp::getQuantizableOperandIndices() {
  return {0};
}
std::optional<unsigned> SparseLinearOp::getWeightOperandIndex() {
  return std::nullopt;
}
int64_t SparseLinearOp::getWeightOutputChannelDim() { return 2; }
int64_t SparseLinearOp::getWeightReductionDim() { return 0; }

//===----------------------------------------------------------------------===//
// Einsum
//===----------------------------------------------------------------------===//

namespace {
/// A parsed explicit einsum equation: one label string per operand and one
/// for the result, each label a letter.
struct EinsumEquation {
  SmallVector<std::string> inputs;
  std::string output;
};
} // namespace

static FailureOr<EinsumEquation> parseEinsum(std::optional<Location> loc,
                                             StringRef equation) {
  auto [lhs, rhs] = equation.split("->");
  if (lhs.size() == equation.size())
    return emitInferenceError(
        loc, "einsum equation must be explicit (contain '->')");
  EinsumEquation parsed;
  SmallVector<StringRef> terms;
  lhs.split(terms, ',');
  auto isLabels = [](StringRef s) {
    return llvm::all_of(s, [](char c) { return llvm::isAlpha(c); });
  };
  for (StringRef term : terms) {
    term = term.trim();
    if (!isLabels(term))
      return emitInferenceError(loc, "einsum term '" + term +
                                         "' must be letters only");
    parsed.inputs.push_back(term.str());
  }
  rhs = rhs.trim();
  if (!isLabels(rhs))
    return emitInferenceError(loc, "einsum output '" + rhs +
                                       "' must be letters only");
  parsed.output = rhs.str();
  return parsed;
}

LogicalResult EinsumOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto equation = parseEinsum(loc, adaptor.getEquation());
  if (failed(equation))
    return failure();
  if (equation->inputs.size() != adaptor.getInputs().size())
    return emitInferenceError(loc, "einsum equation names " +
                                       llvm::Twine(equation->inputs.size()) +
                                       " operands but the op has " +
                                       llvm::Twine(adaptor.getInputs().size()));
  llvm::DenseMap<char, int64_t> sizes;
  Type elementType;
  for (auto [labels, operand] :
       llvm::zip(equation->inputs, adaptor.getInputs())) {
    auto type = cast<RankedTensorType>(operand.getType());
    if (elementType && type.getElementType() != elementType)
      return emitInferenceError(loc,
                                "einsum operands must share an element type");
    elementType = type.getElementType();
    if (int64_t(labels.size()) != type.getRank())
      return emitInferenceError(loc, "einsum term '" + labels + "' has " +
                                         llvm::Twine(labels.size()) +
                                         " labels for an operand of rank " +
                                         llvm::Twine(type.getRank()));
    for (auto [label, size] : llvm::zip(labels, type.getShape())) {
      auto [it, inserted] = sizes.try_emplace(label, size);
      if (inserted || ShapedType::isDynamic(size))
        continue;
      // Size-1 dimensions broadcast against the same label elsewhere.
      if (ShapedType::isDynamic(it->second) || it->second == 1)
        it->second = size;
      else if (size != 1 && it->second != size)
        return emitInferenceError(loc, llvm::Twine("einsum label '") +
                                           llvm::Twine(label) + "' has sizes " +
                                           llvm::Twine(it->second) + " and " +
                                           llvm::Twine(size));
    }
  }
  SmallVector<int64_t> shape;
  llvm::StringSet<> seen;
  for (char label : equation->output) {
    auto it = sizes.find(label);
    if (it == sizes.end())
      return emitInferenceError(loc, llvm::Twine("einsum output label '") +
                                         llvm::Twine(label) +
                                         "' does not appear in any operand");
    if (!seen.insert(StringRef(&label, 1)).second)
      return emitInferenceError(loc, llvm::Twine("einsum output label '") +
                                         llvm::Twine(label) + "' is repeated");
    shape.push_back(it->second);
  }
  types.push_back(RankedTensorType::get(shape, elementType));
  return success();
}
