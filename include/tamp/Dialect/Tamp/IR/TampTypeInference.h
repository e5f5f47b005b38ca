//===- TampTypeInference.h - Shared result-type inference -------*- C++ -*-===//
//
// Helpers that the ops' inferReturnTypes share: broadcasting, reductions,
// window (convolution/pool) sizes, reading constant operands. They emit a
// diagnostic at `loc` (when given) on failure and never assert on bad input.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_DIALECT_TAMP_IR_TAMPTYPEINFERENCE_H
#define TAMP_DIALECT_TAMP_IR_TAMPTYPEINFERENCE_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>

namespace tamp {

/// Two lists of tensor types are compatible when they pair up with equal
/// element types and compatible shapes (a dynamic size matches any size).
bool areCompatibleTensorTypes(mlir::TypeRange inferred, mlir::TypeRange actual);

/// Emits `message` at `loc` if a location is given; always returns failure.
mlir::LogicalResult emitInferenceError(std::optional<mlir::Location> loc,
                                       const llvm::Twine &message);

/// Multidirectional (numpy) broadcast of two shapes. Returns std::nullopt if
/// two static sizes differ and neither is 1.
std::optional<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs);

/// Result type of a broadcasting binary op; `elementType` overrides the
/// lhs element type (comparisons produce i1).
mlir::LogicalResult
inferBroadcastResultType(std::optional<mlir::Location> loc, mlir::Type lhs,
                         mlir::Type rhs, mlir::Type elementType,
                         llvm::SmallVectorImpl<mlir::Type> &types);

/// Normalises `axis` into [0, rank); fails (with a diagnostic) when it is
/// outside [-rank, rank).
mlir::FailureOr<int64_t> normalizeAxis(std::optional<mlir::Location> loc,
                                       int64_t axis, int64_t rank,
                                       llvm::StringRef what = "axis");

/// Normalises a list of axes; fails on out-of-range or repeated axes.
mlir::FailureOr<llvm::SmallVector<int64_t>>
normalizeAxes(std::optional<mlir::Location> loc, llvm::ArrayRef<int64_t> axes,
              int64_t rank);

/// Result type of a reduction over `axes` (all when empty).
mlir::LogicalResult
inferReductionResultType(std::optional<mlir::Location> loc, mlir::Type input,
                         llvm::ArrayRef<int64_t> axes, bool keepdims,
                         llvm::SmallVectorImpl<mlir::Type> &types);

/// The integer values of `value` if it is produced by a constant op.
std::optional<llvm::SmallVector<int64_t>>
getConstantIntValues(mlir::Value value);

/// The floating-point values of `value` if it is produced by a constant op.
std::optional<llvm::SmallVector<double>>
getConstantFloatValues(mlir::Value value);

/// Output size of one spatial dimension of a convolution or pool; dynamic
/// in, dynamic out. `padTotal` is ignored for SAME auto-padding.
int64_t windowOutputSize(int64_t inputSize, int64_t kernel, int64_t stride,
                         int64_t dilation, int64_t padBegin, int64_t padEnd,
                         bool ceilMode, bool samePadding, bool validPadding);

} // namespace tamp

#endif // TAMP_DIALECT_TAMP_IR_TAMPTYPEINFERENCE_H
