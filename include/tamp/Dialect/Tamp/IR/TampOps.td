//===- TampOps.td - All tamp ops (for documentation) --------*- tablegen -*-===//
//
// Each op group is generated separately (see CMakeLists.txt); this file
// gathers them so that the dialect reference documents every op.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_DIALECT_TAMP_IR_TAMPOPS_TD
#define TAMP_DIALECT_TAMP_IR_TAMPOPS_TD

include "tamp/Dialect/Tamp/IR/MathOps.td"
include "tamp/Dialect/Tamp/IR/NNOps.td"
include "tamp/Dialect/Tamp/IR/TensorOps.td"
include "tamp/Dialect/Tamp/IR/QuantOps.td"

#endif // TAMP_DIALECT_TAMP_IR_TAMPOPS_TD
