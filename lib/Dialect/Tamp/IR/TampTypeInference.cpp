//===- TampTypeInference.cpp - Shared result-type inference ---------------===//

#include "tamp/Dialect/Tamp/IR/TampTypeInference.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallBitVector.h"

using namespace mlir;

namespace tamp {

bool areCompatibleTensorTypes(TypeRange inferred, TypeRange actual) {
  if (inferred.size() != actual.size())
    return false;
  for (auto [lhs, rhs] : llvm::zip(inferred, actual)) {
    auto lhsTensor = dyn_cast<RankedTensorType>(lhs);
    auto rhsTensor = dyn_cast<RankedTensorType>(rhs);
    if (!lhsTensor || !rhsTensor) {
      if (lhs != rhs)
        return false;
      continue;
    }
    if (lhsTensor.getElementType() != rhsTensor.getElementType() ||
        failed(
            verifyCompatibleShape(lhsTensor.getShape(), rhsTensor.getShape())))
      return false;
  }
  return true;
}

LogicalResult emitInferenceError(std::optional<Location> loc,
                                 const llvm::Twine &message) {
  if (loc)
    emitError(*loc) << message;
  return failure();
}

std::optional<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> lhs,
                                                    ArrayRef<int64_t> rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t l = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t r = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (l == 1) {
      result[i] = r;
    } else if (r == 1) {
      result[i] = l;
    } else if (ShapedType::isDynamic(l)) {
      result[i] = r;
    } else if (ShapedType::isDynamic(r) || l == r) {
      result[i] = l;
    } else {
      return std::nullopt;
    }
  }
  return result;
}

LogicalResult inferBroadcastResultType(std::optional<Location> loc, Type lhs,
                                       Type rhs, Type elementType,
                                       SmallVectorImpl<Type> &types) {
  auto lhsType = dyn_cast<RankedTensorType>(lhs);
  auto rhsType = dyn_cast<RankedTensorType>(rhs);
  if (!lhsType || !rhsType)
    return emitInferenceError(loc, "operands must be ranked tensors");
  auto shape = broadcastShapes(lhsType.getShape(), rhsType.getShape());
  if (!shape)
    return emitInferenceError(
        loc, llvm::Twine("shapes ") + llvm::Twine(lhsType.getRank()) +
                 "-D and " + llvm::Twine(rhsType.getRank()) +
                 "-D are not broadcast-compatible: " +
                 "a static size differs and neither is 1");
  types.push_back(RankedTensorType::get(
      *shape, elementType ? elementType : lhsType.getElementType()));
  return success();
}

FailureOr<int64_t> normalizeAxis(std::optional<Location> loc, int64_t axis,
                                 int64_t rank, StringRef what) {
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1) ||
      (rank == 0 && axis != 0 && axis != -1)) {
    (void)emitInferenceError(loc, llvm::Twine(what) + " " + llvm::Twine(axis) +
                                      " is out of range for rank " +
                                      llvm::Twine(rank));
    return failure();
  }
  return axis < 0 ? axis + rank : axis;
}

FailureOr<SmallVector<int64_t>> normalizeAxes(std::optional<Location> loc,
                                              ArrayRef<int64_t> axes,
                                              int64_t rank) {
  SmallVector<int64_t> result;
  llvm::SmallBitVector seen(std::max<int64_t>(rank, 1));
  for (int64_t axis : axes) {
    if (axis < -rank || axis >= rank) {
      (void)emitInferenceError(loc, llvm::Twine("axis ") + llvm::Twine(axis) +
                                        " is out of range for rank " +
                                        llvm::Twine(rank));
      return failure();
    }
    int64_t normalized = axis < 0 ? axis + rank : axis;
    if (seen.test(normalized)) {
      (void)emitInferenceError(loc, llvm::Twine("axis ") + llvm::Twine(axis) +
                                        " is repeated");
      return failure();
    }
    seen.set(normalized);
    result.push_back(normalized);
  }
  return result;
}

LogicalResult inferReductionResultType(std::optional<Location> loc, Type input,
                                       ArrayRef<int64_t> axes, bool keepdims,
                                       SmallVectorImpl<Type> &types) {
  auto inputType = cast<RankedTensorType>(input);
  int64_t rank = inputType.getRank();
  auto normalized = normalizeAxes(loc, axes, rank);
  if (failed(normalized))
    return failure();
  llvm::SmallBitVector reduced(std::max<int64_t>(rank, 1), axes.empty());
  for (int64_t axis : *normalized)
    reduced.set(axis);
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i) {
    if (!reduced.test(i))
      shape.push_back(inputType.getDimSize(i));
    else if (keepdims)
      shape.push_back(1);
  }
  types.push_back(RankedTensorType::get(shape, inputType.getElementType()));
  return success();
}

std::optional<SmallVector<int64_t>> getConstantIntValues(Value value) {
  DenseIntElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  SmallVector<int64_t> result;
  result.reserve(attr.getNumElements());
  for (const APInt &element : attr.getValues<APInt>())
    result.push_back(element.getBitWidth() == 1 ? element.getZExtValue()
                                                : element.getSExtValue());
  return result;
}

std::optional<SmallVector<double>> getConstantFloatValues(Value value) {
  DenseFPElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  SmallVector<double> result;
  result.reserve(attr.getNumElements());
  for (const APFloat &element : attr.getValues<APFloat>())
    result.push_back(element.convertToDouble());
  return result;
}

int64_t windowOutputSize(int64_t inputSize, int64_t kernel, int64_t stride,
                         int64_t dilation, int64_t padBegin, int64_t padEnd,
                         bool ceilMode, bool samePadding, bool validPadding) {
  if (ShapedType::isDynamic(inputSize))
    return ShapedType::kDynamic;
  if (samePadding)
    return llvm::divideCeil(inputSize, stride);
  int64_t effectiveKernel = dilation * (kernel - 1) + 1;
  if (validPadding)
    return std::max<int64_t>(
        0, llvm::divideCeil(inputSize - effectiveKernel + 1, stride));
  int64_t span = inputSize + padBegin + padEnd - effectiveKernel;
  if (span < 0)
    return 0;
  int64_t size =
      ceilMode ? llvm::divideCeil(span, stride) + 1 : span / stride + 1;
  // With ceil_mode, a last window that starts entirely in the end padding is
  // dropped (PyTorch and onnxruntime agree on this).
  if (ceilMode && (size - 1) * stride >= inputSize + padBegin)
    --size;
  return size;
}

} // namespace tamp
