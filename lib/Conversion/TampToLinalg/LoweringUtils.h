//===- LoweringUtils.h - Shared helpers of the tamp lowering ----*- C++ -*-===//
//
// Helpers the per-category lowering files (Math, NN, Tensor, Quant) share:
// sizes and empty tensors, ONNX broadcasting with run-time checks, elementwise
// linalg.generic construction and signedness-aware scalar conversion.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_LIB_CONVERSION_TAMPTOLINALG_LOWERINGUTILS_H
#define TAMP_LIB_CONVERSION_TAMPTOLINALG_LOWERINGUTILS_H

#include "tamp/Dialect/Tamp/IR/TampDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Transforms/DialectConversion.h"

#include <string>

namespace mlir {
class TypeConverter;
} // namespace mlir

namespace tamp::lowering {

/// Builds the body of an elementwise generic from the scalar operands (block
/// arguments, already signless) and returns the scalar result.
using ScalarBodyBuilder = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// `node 'NAME' (tamp.op)`: how run-time check messages name an op. The
/// ONNX node name comes from the op's NameLoc.
std::string describeOp(mlir::Operation *op);

/// True when `type` (or its element type) is an unsigned integer: the
/// lowering reads signedness from the op's original types.
bool isUnsigned(mlir::Type type);

/// The converted (signless) type of `type`, which must be convertible.
mlir::RankedTensorType convertTensorType(const mlir::TypeConverter &converter,
                                         mlir::Type type);

/// Sizes of a ranked tensor value as folded results.
llvm::SmallVector<mlir::OpFoldResult>
getSizes(mlir::OpBuilder &b, mlir::Location loc, mlir::Value tensor);

/// A `tensor.empty` with the given sizes and element type.
mlir::Value createEmpty(mlir::OpBuilder &b, mlir::Location loc,
                        llvm::ArrayRef<mlir::OpFoldResult> sizes,
                        mlir::Type elementType);

/// Whether one of `sizes` is the constant 0, i.e. the tensor has no elements.
bool hasZeroSize(llvm::ArrayRef<mlir::OpFoldResult> sizes);

/// A `tensor.extract_slice` of `source`, or a `tensor.empty` when one of
/// `sizes` is the constant 0. ONNX allows empty slices that start at the end
/// of a dimension, which the extract_slice verifier rejects as out of bounds.
mlir::Value createExtractSlice(mlir::OpBuilder &b, mlir::Location loc,
                               mlir::Value source,
                               llvm::ArrayRef<mlir::OpFoldResult> offsets,
                               llvm::ArrayRef<mlir::OpFoldResult> sizes,
                               llvm::ArrayRef<mlir::OpFoldResult> strides);

/// A `tensor.insert_slice` of `source` into `dest`, or `dest` unchanged when
/// `source` has a dimension of constant size 0 (for the same reason as
/// createExtractSlice).
mlir::Value createInsertSlice(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::Value source, mlir::Value dest,
                              llvm::ArrayRef<mlir::OpFoldResult> offsets,
                              llvm::ArrayRef<mlir::OpFoldResult> sizes,
                              llvm::ArrayRef<mlir::OpFoldResult> strides);

/// A tensor of the given sizes filled with `scalar` (`linalg.fill`).
mlir::Value createFilled(mlir::OpBuilder &b, mlir::Location loc,
                         llvm::ArrayRef<mlir::OpFoldResult> sizes,
                         mlir::Value scalar);

/// A scalar constant of a float or signless integer type.
mlir::Value createScalarConstant(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::Type type, double value);

/// The lowest (or highest) finite value of a float or integer type, the
/// neutral element of max (or min) reductions. `isUnsignedInt` selects the
/// unsigned range for integers.
mlir::Value createLowestValue(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::Type type, bool isUnsignedInt);
mlir::Value createHighestValue(mlir::OpBuilder &b, mlir::Location loc,
                               mlir::Type type, bool isUnsignedInt);

/// Emits `cf.assert lhs == rhs` unless both sizes are equal constants.
/// Returns failure (emitting nothing) when both are constants that differ.
mlir::LogicalResult assertEqualSizes(mlir::OpBuilder &b, mlir::Location loc,
                                     mlir::OpFoldResult lhs,
                                     mlir::OpFoldResult rhs,
                                     const llvm::Twine &message);

/// Emits `cf.assert condition` with `message`.
void emitRuntimeCheck(mlir::OpBuilder &b, mlir::Location loc,
                      mlir::Value condition, const llvm::Twine &message);

/// The indexing map that reads an operand of `operandType` inside a loop nest
/// over `resultType`, with ONNX (numpy) broadcasting: dimensions align at the
/// right, and a static size-1 operand dimension against a result dimension
/// that is not statically 1 reads index 0.
mlir::AffineMap getBroadcastMap(mlir::RankedTensorType operandType,
                                mlir::RankedTensorType resultType);

/// Sizes of the broadcast result of `operands` with static shape `resultType`.
/// Dynamic sizes are taken from an operand whose dimension is not
/// broadcast, and every other dynamic operand dimension is checked against it
/// at run time (a dynamic dimension that is 1 at run time against a larger one
/// fails the check instead of broadcasting).
llvm::SmallVector<mlir::OpFoldResult>
getBroadcastSizes(mlir::OpBuilder &b, mlir::Location loc, mlir::Operation *op,
                  mlir::ValueRange operands, mlir::RankedTensorType resultType);

/// A `linalg.generic` over `resultType` that reads `operands` with ONNX
/// broadcasting and computes each element with `body`.
mlir::Value buildElementwise(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Operation *op, mlir::ValueRange operands,
                             mlir::RankedTensorType resultType,
                             ScalarBodyBuilder body);

/// Whether `type` (or its element type) is a float narrower than 16 bits:
/// the 8-, 6- and 4-bit formats that LLVM has no type for.
bool isNarrowFloat(mlir::Type type);

/// Converts a scalar between element types with ONNX Cast semantics: the
/// signedness of integers comes from the original types `fromType`/`toType`
/// (signless is signed; i1 is bool); float-to-bool compares with zero.
/// Conversions to narrow floats round to nearest even and, with
/// `saturate`, clamp to the finite range (see the ONNX Cast tables);
/// `roundMode` is how f8E8M0FNU results round. Narrow floats only meet
/// other floats in `arith.extf`/`arith.truncf`: other conversions go
/// through f32.
mlir::Value convertScalar(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value value, mlir::Type fromType,
                          mlir::Type toType, bool saturate = true,
                          RoundMode roundMode = RoundMode::up);

/// Scalar activations on a float `x`, shared by the activation ops and the
/// epilogues of tamp.conv and tamp.linear so that both compute the same
/// values: 1 / (1 + exp(-x)); max(0, min(1, alpha * x + beta)); GELU
/// (0.5 * x * (1 + erf(x / sqrt 2)), or its tanh approximation).
mlir::Value createSigmoid(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value x);
mlir::Value createHardSigmoid(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::Value x, double alpha, double beta);
mlir::Value createGelu(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                       bool tanhApproximation);

/// The epilogue `activation` of a float scalar `x`; `min` and `max` are the
/// bounds of `clamp`.
mlir::Value createActivation(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value x, Activation activation,
                             std::optional<double> min,
                             std::optional<double> max);

/// `tensor` with the epilogue `activation` applied to every element, as one
/// element-wise linalg.generic; `tensor` itself for `none`.
mlir::Value applyActivation(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value tensor, Activation activation,
                            std::optional<double> min,
                            std::optional<double> max);

/// `result`, the value computed for tamp.conv or tamp.linear `op`, with
/// `op`'s epilogue activation applied.
mlir::Value applyEpilogue(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value result, mlir::Operation *op);

/// Reports that `op` cannot be lowered, as a match failure and, for the
/// user, an error at the op's location (which names the ONNX node).
mlir::LogicalResult notLowerable(mlir::ConversionPatternRewriter &rewriter,
                                 mlir::Operation *op, const llvm::Twine &why);

} // namespace tamp::lowering

#endif // TAMP_LIB_CONVERSION_TAMPTOLINALG_LOWERINGUTILS_H
