//===- Calibration.h - Run the float model to collect statistics -*- C++
//-*-===//
//
// Calibration compiles the float model with `tamp-insert-observers` for the
// host, runs it through libtamp_rt on calibration inputs, accumulates the
// statistics of docs/CALIBRATION.md and writes them onto the model's
// quantizable ops as `tamp.calibration`.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_COMPILER_CALIBRATION_H
#define TAMP_COMPILER_CALIBRATION_H

#include "tamp/Runtime/TensorFile.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <vector>

namespace tamp {

/// One calibration input set: a tensor per model input, in input order.
using CalibrationInputs = std::vector<HostTensor>;

struct CalibrationOptions {
  /// Also accumulate GPTQ's input Hessians (K x K per layer).
  bool collectHessians = false;
  /// Threads the calibration runs use; 0 means the hardware's.
  unsigned numThreads = 0;
  /// Histogram bins (even) over [-max|x|, max|x|].
  unsigned histogramBins = 2048;
};

/// The model's entry: `module`'s only public function with a body.
mlir::FailureOr<mlir::func::FuncOp> getEntryFunction(mlir::ModuleOp module);

/// Reads calibration input sets for `module`'s entry function from `path`:
/// - an .npz whose arrays are named after the model's inputs; an array one
///   rank higher than its input holds one set per leading index, an array of
///   the input's rank is a single set;
/// - a folder of set folders (sorted by name), each holding `NAME.npy`
///   files or ONNX test-data `input_K.pb` files;
/// - a folder that is itself one set.
/// Errors are reported at the module's location.
mlir::FailureOr<std::vector<CalibrationInputs>>
readCalibrationData(mlir::ModuleOp module, llvm::StringRef path);

/// Runs the float model on `data` and writes `tamp.calibration` onto the
/// quantizable ops of `module`'s entry function.
mlir::LogicalResult calibrateModel(mlir::ModuleOp module,
                                   llvm::ArrayRef<CalibrationInputs> data,
                                   const CalibrationOptions &options = {});

} // namespace tamp

#endif // TAMP_COMPILER_CALIBRATION_H
