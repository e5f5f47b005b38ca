//===- TampQuantization.h - Quantized operands of tamp ops ------*- C++ -*-===//
//
// The contract between tamp ops with integer kernels (conv, linear, matmul)
// and the upstream quant dialect's types they accept: activations quantized
// per tensor to 8 bits (asymmetric), weights to signed 8 bits per tensor or
// per output channel (symmetric), bias as i32 at the scale
// input_scale * weight_scale[o], result requantized (per tensor, 8 bits) or
// float. Shared by the op verifiers, the quantization passes and the
// lowering.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_DIALECT_TAMP_IR_TAMPQUANTIZATION_H
#define TAMP_DIALECT_TAMP_IR_TAMPQUANTIZATION_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"

namespace tamp {

/// The quant element type of a tensor type, or null.
mlir::quant::QuantizedType getQuantizedElementType(mlir::Type type);

/// Whether `type` is a tensor of a quant dialect type.
inline bool isQuantizedTensor(mlir::Type type) {
  return static_cast<bool>(getQuantizedElementType(type));
}

/// Result types of an op with an integer kernel: where the inferred element
/// type is quantized (it is the input's), the actual one may be any per-tensor
/// uniform type (a requantized result) or the input's expressed float type (a
/// dequantized result). Shapes must be compatible.
bool areCompatibleQuantizedResultTypes(mlir::TypeRange inferred,
                                       mlir::TypeRange actual);

/// Checks the operands of an integer kernel whose activation operands are
/// quantized: each activation per tensor with 8-bit storage; the weight (if
/// any) signed 8-bit, zero point 0, per tensor or per axis along
/// `weightChannelDim`; the bias (if any) i32 of `outputChannels` elements; the
/// result per-tensor 8-bit or the activations' expressed float type.
mlir::LogicalResult
verifyIntegerKernelOperands(mlir::Operation *op, mlir::ValueRange activations,
                            mlir::Value weight, int64_t weightChannelDim,
                            mlir::Value bias, int64_t outputChannels);

/// Checks an activation that flows through an op that does not change values
/// (clamp, pooling, data movement): per tensor, 8-bit storage.
mlir::LogicalResult verifyQuantizedActivation(mlir::Operation *op,
                                              llvm::StringRef role,
                                              mlir::Type type);

/// The f32 values of a constant (dense or dense resource), or nullopt.
std::optional<llvm::SmallVector<float>> getConstantF32Values(mlir::Value value);

/// The storage values of a constant quantized weight: `quant.scast` of an
/// 8-bit integer constant (dense or dense resource), or nullopt.
std::optional<llvm::SmallVector<int8_t>>
getConstantQuantizedWeight(mlir::Value value);

/// The per-tensor 8-bit type covering [lo, hi] (widened to contain 0):
/// scale (hi - lo) / 255 and the zero point that represents 0 exactly;
/// unsigned [0, 255] or signed [-128, 127] storage. An empty range gets
/// scale 1.
mlir::quant::UniformQuantizedType
getActivationQuantizedType(mlir::MLIRContext *ctx, double lo, double hi,
                           bool isUnsigned);

/// Scales of a weight type: one per output channel, or the single per-tensor
/// scale.
llvm::SmallVector<double> getWeightScales(mlir::quant::QuantizedType type);

} // namespace tamp

#endif // TAMP_DIALECT_TAMP_IR_TAMPQUANTIZATION_H
