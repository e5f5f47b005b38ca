//===- NN.h - NN import helpers shared with other op categories -*- C++ -*-===//
//
// ConvInteger and QLinearConv (Quantization.cpp) carry Conv's attributes and
// import to the same tamp.conv as Conv itself.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_LIB_IMPORT_ONNX_OPS_NN_H
#define TAMP_LIB_IMPORT_ONNX_OPS_NN_H

#include "mlir/IR/Value.h"
#include "mlir/Support/LLVM.h"

namespace tamp {

class NodeImporter;

/// Builds tamp.conv of `input`, `weight` and the optional `bias` from the
/// node's Conv attributes (auto_pad, dilations, group, kernel_shape, pads,
/// strides), with ONNX's defaults filled in from the weight's kernel shape.
mlir::FailureOr<mlir::Value> importConvolution(NodeImporter &node,
                                               mlir::Value input,
                                               mlir::Value weight,
                                               mlir::Value bias);

} // namespace tamp

#endif // TAMP_LIB_IMPORT_ONNX_OPS_NN_H
