//===- TampInterfaces.h - Interfaces for compression passes -----*- C++ -*-===//

#ifndef TAMP_DIALECT_TAMP_IR_TAMPINTERFACES_H
#define TAMP_DIALECT_TAMP_IR_TAMPINTERFACES_H

#include "mlir/IR/OpDefinition.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>

#include "tamp/Dialect/Tamp/IR/TampInterfaces.h.inc"

#endif // TAMP_DIALECT_TAMP_IR_TAMPINTERFACES_H
