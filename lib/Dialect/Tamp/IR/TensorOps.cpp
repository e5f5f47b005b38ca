//===- TensorOps.cpp - tamp Tensor op verifiers, inference, folders ---------===//

#include "tamp/Dialect/Tamp/IR/TampOps.h"

using namespace mlir;
using namespace tamp;

#define GET_OP_CLASSES
#include "tamp/Dialect/Tamp/IR/TensorOps.cpp.inc"
