//===- Tensor.cpp - Import of ONNX Tensor ops ---------------------------------===//

#include "NodeImporter.h"
#include "OpRegistry.h"

#include "onnx-ml.pb.h"

using namespace mlir;

namespace tamp {

void registerTensorOps(OpRegistry &registry) {}

} // namespace tamp
