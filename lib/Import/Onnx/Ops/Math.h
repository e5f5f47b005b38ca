//===- Math.h - Math import helpers shared with other categories -*- C++
//-*-===//
//
// QLinearSoftmax (Quantization.cpp) follows Softmax's opset-dependent axis
// semantics.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_LIB_IMPORT_ONNX_OPS_MATH_H
#define TAMP_LIB_IMPORT_ONNX_OPS_MATH_H

#include "mlir/IR/Value.h"
#include "mlir/Support/LLVM.h"

namespace tamp {

class NodeImporter;

/// Applies `normalize` (Softmax, LogSoftmax, Hardmax) to `input` along the
/// non-negative `axis`. With `coerceTo2D` (ONNX before opset 13) the input is
/// flattened to 2-D at `axis`, normalised over the whole trailing block and
/// reshaped back.
mlir::FailureOr<mlir::Value> buildAxisNormalization(
    NodeImporter &node, mlir::Value input, int64_t axis, bool coerceTo2D,
    llvm::function_ref<mlir::FailureOr<mlir::Value>(mlir::Value, int64_t)>
        normalize);

} // namespace tamp

#endif // TAMP_LIB_IMPORT_ONNX_OPS_MATH_H
