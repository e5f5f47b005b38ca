//===- QuantizationUtils.h - Shared by the quantization passes --*- C++ -*-===//
//
// Reading calibrated ranges, selecting ops by name, and quantizing constant
// weights and biases: what the static and dynamic quantization passes share.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_LIB_DIALECT_TAMP_TRANSFORMS_QUANTIZATIONUTILS_H
#define TAMP_LIB_DIALECT_TAMP_TRANSFORMS_QUANTIZATIONUTILS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/Regex.h"

#include <optional>

namespace tamp {

/// Selects ops by the name in their location (the ONNX node name): ops
/// whose name matches the `keep-float` regular expression stay float.
class OpFilter {
public:
  /// Fails (with an error at `anchor`) if `keepFloat` is not a valid
  /// regular expression.
  static mlir::FailureOr<OpFilter> create(mlir::Operation *anchor,
                                          llvm::StringRef keepFloat);
  bool shouldQuantize(mlir::Operation *op) const;

private:
  std::optional<llvm::Regex> keepFloat;
};

/// The range [lo, hi] of activation operand `operandIndex` that `method`
/// chose, from the op's `tamp.calibration` dictionary. Emits an error at the
/// op when the statistics are missing or malformed.
mlir::FailureOr<std::pair<double, double>>
readCalibratedRange(mlir::Operation *op, mlir::DictionaryAttr calibration,
                    unsigned operandIndex, llvm::StringRef method);

/// Quantizes a constant f32 weight symmetrically per output channel (along
/// `channelDim`) to int8 in [-127, 127]: an i8 dense resource constant
/// `quant.scast` to a per-axis `!quant.uniform`. Fills `scales`.
mlir::FailureOr<mlir::Value>
quantizeWeightPerChannel(mlir::OpBuilder &builder, mlir::Location loc,
                         mlir::Value weight, int64_t channelDim,
                         llvm::SmallVectorImpl<double> &scales);

/// A constant f32 bias as i32 at the scale inputScale * weightScales[o]
/// (saturating to the i32 range).
mlir::Value quantizeBias(mlir::OpBuilder &builder, mlir::Location loc,
                         mlir::Value bias, double inputScale,
                         llvm::ArrayRef<double> weightScales);

} // namespace tamp

#endif // TAMP_LIB_DIALECT_TAMP_TRANSFORMS_QUANTIZATIONUTILS_H
