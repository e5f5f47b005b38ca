//===- Quantization.cpp - Import of ONNX Quantization ops ---------------------------------===//

#include "NodeImporter.h"
#include "OpRegistry.h"

#include "onnx-ml.pb.h"

using namespace mlir;

namespace tamp {

void registerQuantizationOps(OpRegistry &registry) {}

} // namespace tamp
