//===- FusionUtils.h - Shared by the fusion passes --------------*- C++ -*-===//
//
// Recognising constants by value and building the constants that folded
// layers need.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_LIB_DIALECT_TAMP_TRANSFORMS_FUSIONUTILS_H
#define TAMP_LIB_DIALECT_TAMP_TRANSFORMS_FUSIONUTILS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"

#include <optional>

namespace tamp {

/// The value of a float constant whose elements are all equal (a scalar or
/// a splat, dense or in a resource blob).
std::optional<double> getUniformFloatConstant(mlir::Value value);

/// Whether `value` is within a relative tolerance of `expected`: how
/// patterns recognise exporters' constants (0.5, sqrt(2), 0.044715...).
bool isApproximately(std::optional<double> value, double expected,
                     double relativeTolerance = 1e-5);

/// A tamp.constant of f32 `values` in `shape`: a resource blob named after
/// `like`'s blob when `like` is a resource constant, else a dense attribute.
mlir::Value createF32Constant(mlir::OpBuilder &builder, mlir::Location loc,
                              llvm::ArrayRef<int64_t> shape,
                              llvm::ArrayRef<float> values, mlir::Value like,
                              llvm::StringRef suffix);

/// Whether `value` is a tensor of float (not quantized) elements.
bool isFloatTensor(mlir::Value value);

/// The operand of the binary `op` that is not `known` (either position),
/// or null when neither is.
mlir::Value getOtherOperand(mlir::Operation *op, mlir::Value known);

/// The single user of `value`, if it has exactly one use and it is an OpTy.
template <typename OpTy> OpTy getSoleUser(mlir::Value value) {
  if (!value.hasOneUse())
    return nullptr;
  return llvm::dyn_cast<OpTy>(*value.getUsers().begin());
}

} // namespace tamp

#endif // TAMP_LIB_DIALECT_TAMP_TRANSFORMS_FUSIONUTILS_H
