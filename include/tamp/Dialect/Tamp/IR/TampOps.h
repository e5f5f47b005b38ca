//===- TampOps.h - The tamp ops ---------------------------------*- C++ -*-===//

#ifndef TAMP_DIALECT_TAMP_IR_TAMPOPS_H
#define TAMP_DIALECT_TAMP_IR_TAMPOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "tamp/Dialect/Tamp/IR/TampDialect.h"
#include "tamp/Dialect/Tamp/IR/TampInterfaces.h"
#include "tamp/Dialect/Tamp/IR/TampQuantization.h"
#include "tamp/Dialect/Tamp/IR/TampTypeInference.h"

#define GET_OP_CLASSES
#include "tamp/Dialect/Tamp/IR/MathOps.h.inc"
#define GET_OP_CLASSES
#include "tamp/Dialect/Tamp/IR/NNOps.h.inc"
#define GET_OP_CLASSES
#include "tamp/Dialect/Tamp/IR/TensorOps.h.inc"
#define GET_OP_CLASSES
#include "tamp/Dialect/Tamp/IR/QuantOps.h.inc"

namespace tamp {
/// Checks the epilogue attributes of tamp.conv and tamp.linear: an
/// activation only on float results, bounds only (and at least one) for
/// `clamp`, the lower bound not above the upper one.
mlir::LogicalResult verifyEpilogue(mlir::Operation *op, Activation activation,
                                   std::optional<llvm::APFloat> min,
                                   std::optional<llvm::APFloat> max);

/// Whether `op` is a tamp.conv or tamp.linear with a fused activation.
bool hasFusedActivation(mlir::Operation *op);
} // namespace tamp

#endif // TAMP_DIALECT_TAMP_IR_TAMPOPS_H
