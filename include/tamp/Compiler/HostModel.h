//===- HostModel.h - A module compiled for the host and loaded --*- C++ -*-===//
//
// Calibration, sensitivity analysis and the compression report run models
// while compiling: the module is compiled for the host into a scratch
// folder, loaded through libtamp_rt and run on host tensors.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_COMPILER_HOSTMODEL_H
#define TAMP_COMPILER_HOSTMODEL_H

#include "tamp/Runtime/TensorFile.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <memory>
#include <string>
#include <vector>

namespace tamp {

class HostModel {
public:
  /// Compiles a clone of `module` for the host and loads it; `threads` = 0
  /// uses the hardware's. Errors go to the module's context.
  static mlir::FailureOr<std::unique_ptr<HostModel>>
  compile(mlir::ModuleOp module, unsigned threads = 0);
  ~HostModel();

  uint32_t getNumInputs() const;
  uint32_t getNumOutputs() const;
  const tamp_tensor_info &getOutputInfo(uint32_t index) const;

  /// Runs the model on `inputs` (one tensor per model input, in order).
  /// The outputs stay valid until the next run. `what` names the input set
  /// in errors.
  mlir::LogicalResult run(llvm::ArrayRef<HostTensor> inputs,
                          std::vector<tamp_tensor> &outputs,
                          llvm::StringRef what);

private:
  HostModel(mlir::Location loc) : loc(loc) {}

  mlir::Location loc;
  std::string folder;
  tamp_model *model = nullptr;
  tamp_session *session = nullptr;
};

/// The elements of a float32 or float64 run output as floats; empty (and
/// false) for other dtypes.
bool readFloatElements(const tamp_tensor &tensor, std::vector<float> &values);

} // namespace tamp

#endif // TAMP_COMPILER_HOSTMODEL_H
