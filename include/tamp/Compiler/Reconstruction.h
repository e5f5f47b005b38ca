//===- Reconstruction.h - Layer-wise re-fit against the original -*- C++
//-*-===//
//
// After pruning, the layers downstream of a removed channel see different
// inputs than in the original model. Reconstruction runs the original
// (teacher) and the pruned (student) model on the calibration inputs,
// accumulates for each affected layer the least-squares statistics that
// map the student's layer input to the teacher's layer output, and lets
// `tamp-reconstruct` re-fit the layer's weight and bias.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_COMPILER_RECONSTRUCTION_H
#define TAMP_COMPILER_RECONSTRUCTION_H

#include "tamp/Compiler/Calibration.h"

#include "mlir/IR/BuiltinOps.h"

namespace tamp {

/// The attribute that pairs a compressed model's layers with the
/// original's: each conv/linear of the entry function gets its walk index.
inline constexpr llvm::StringLiteral kLayerIdAttrName = "tamp.layer_id";

/// Numbers the layers of `module`'s entry function (see kLayerIdAttrName).
void tagLayers(mlir::ModuleOp module);
/// Removes the numbers again.
void untagLayers(mlir::ModuleOp module);

/// Re-fits every layer of `student` (a pruned clone of the tagged
/// `teacher`) whose input the pruning changed, so that its outputs match
/// the teacher's on `data`. Returns the number of layers re-fit.
mlir::FailureOr<unsigned>
reconstructLayers(mlir::ModuleOp teacher, mlir::ModuleOp student,
                  llvm::ArrayRef<CalibrationInputs> data, double damping);

} // namespace tamp

#endif // TAMP_COMPILER_RECONSTRUCTION_H
