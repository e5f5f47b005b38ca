//===- NN.cpp - Import of ONNX NN ops ---------------------------------===//

#include "NodeImporter.h"
#include "OpRegistry.h"

#include "onnx-ml.pb.h"

using namespace mlir;

namespace tamp {

void registerNNOps(OpRegistry &registry) {}

} // namespace tamp
