//===- MatmulEpilogue.h - Element-wise epilogues of contractions -*- C++
//-*-===//
//
// The lowering applies a layer's activation as an element-wise generic right
// after its contraction. The CPU pipeline moves such a generic into the
// contraction: into the per-image loop of a convolution turned matmul, and
// into each register block of the vectorized matmul before it is stored.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_LIB_TARGET_CPU_MATMULEPILOGUE_H
#define TAMP_LIB_TARGET_CPU_MATMULEPILOGUE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace tamp {

/// The element-wise generic that is the only user of `result`: identity
/// maps, parallel loops, `result` its only input, a body of element-wise
/// scalar ops that does not read the output. Null otherwise.
mlir::linalg::GenericOp getElementwiseEpilogue(mlir::Value result);

/// `epilogue`'s body applied to `value`, a scalar or a vector of its input's
/// element type; values the body captures from outside are broadcast.
mlir::Value applyEpilogueBody(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::linalg::GenericOp epilogue,
                              mlir::Value value);

} // namespace tamp

#endif // TAMP_LIB_TARGET_CPU_MATMULEPILOGUE_H
