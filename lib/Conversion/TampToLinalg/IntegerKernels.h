//===- IntegerKernels.h - Shared pieces of the integer kernels --*- C++ -*-===//
//
// Quantized values are lowered to signless 8-bit integers. Signed types keep
// their storage values; unsigned 8-bit types are stored as `q - 128` (the
// storage byte with its top bit flipped), with their zero point and bounds
// shifted alike. Dequantization `(q - zero_point) * scale` is unchanged, order
// is preserved (max pooling, clamping), and every contraction becomes a
// signed i8 x i8 -> i32 linalg named op (linalg's named convolutions and
// matmuls extend operands as signed). The CPU kernels that use u8 x s8 dot
// products flip the bit back in registers.
//
// A quantized contraction is: the named op accumulating onto an i32 init that
// holds `bias[o] - zero_point_in * sum(weight[o])` (computed at compile time
// for constant weights), then one element-wise epilogue that requantizes with
// a fixed-point multiplier (`(acc * M + 2^(shift-1)) >> shift`, M a 31-bit
// integer, computed at compile time from input_scale * weight_scale[o] /
// output_scale) or dequantizes to f32.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_LIB_CONVERSION_TAMPTOLINALG_INTEGERKERNELS_H
#define TAMP_LIB_CONVERSION_TAMPTOLINALG_INTEGERKERNELS_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"
#include "mlir/Transforms/DialectConversion.h"

namespace tamp::lowering {

/// Parameters of a per-tensor type in the lowered (signless i8) domain.
struct LoweredQuantParams {
  double scale;
  int64_t zeroPoint;
  int64_t min;
  int64_t max;
};
LoweredQuantParams getLoweredParams(mlir::quant::UniformQuantizedType type);

/// What a storage value of `type` is moved by when lowered: -128 for
/// unsigned 8-bit types, 0 otherwise.
int64_t getStorageOffset(mlir::quant::QuantizedType type);

/// A real multiplier as `multiplier * 2^-shift`, multiplier in [2^30, 2^31).
struct FixedPointMultiplier {
  int64_t multiplier;
  int64_t shift;
};
/// Fails when `ratio` is not positive or too large (>= 2^30) to requantize
/// with a right shift; ratios below 2^-31 give multiplier 0.
mlir::FailureOr<FixedPointMultiplier> getFixedPointMultiplier(double ratio);

/// Per-output-channel sums of a constant weight of `shape`, channels along
/// `channelDim`.
llvm::SmallVector<int64_t> sumPerChannel(llvm::ArrayRef<int8_t> weight,
                                         llvm::ArrayRef<int64_t> shape,
                                         int64_t channelDim);

/// The i32 init vector of a quantized contraction with a constant weight:
/// `bias[o] - inputZeroPoint * weightSums[o]` (bias 0 when absent). Fails
/// (with an error) when the bias is not a constant.
mlir::FailureOr<mlir::Value>
createCorrectedBias(mlir::ConversionPatternRewriter &rewriter,
                    mlir::Operation *op, mlir::Value bias,
                    int64_t inputZeroPoint, llvm::ArrayRef<int64_t> weightSums);

/// The epilogue of a quantized contraction: `acc` (i32) at the scale
/// `accScales[c]` (one per channel along `channelDim`, or one for all) as
/// `resultType`'s element: requantized to its per-tensor quant type (as
/// lowered storage) or dequantized to f32.
mlir::FailureOr<mlir::Value>
buildIntegerEpilogue(mlir::ConversionPatternRewriter &rewriter,
                     mlir::Operation *op, mlir::Value acc, int64_t channelDim,
                     llvm::ArrayRef<double> accScales,
                     mlir::Type resultElementType);

/// Requantizes a lowered tensor from `from` to `to` (both per tensor) in the
/// integer domain.
mlir::FailureOr<mlir::Value>
requantize(mlir::ConversionPatternRewriter &rewriter, mlir::Operation *op,
           mlir::Value value, mlir::quant::UniformQuantizedType from,
           mlir::quant::UniformQuantizedType to);

} // namespace tamp::lowering

#endif // TAMP_LIB_CONVERSION_TAMPTOLINALG_INTEGERKERNELS_H
