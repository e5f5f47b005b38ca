//===- TampDialect.h - The tamp dialect -------------------------*- C++ -*-===//

#ifndef TAMP_DIALECT_TAMP_IR_TAMPDIALECT_H
#define TAMP_DIALECT_TAMP_IR_TAMPDIALECT_H

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Dialect.h"

#include "tamp/Dialect/Tamp/IR/TampDialect.h.inc"
#include "tamp/Dialect/Tamp/IR/TampEnums.h.inc"

#define GET_TYPEDEF_CLASSES
#include "tamp/Dialect/Tamp/IR/TampTypes.h.inc"

#define GET_ATTRDEF_CLASSES
#include "tamp/Dialect/Tamp/IR/TampAttrs.h.inc"

namespace tamp {
/// The ONNX node an op came from: the importer names each op's location
/// with a NameLoc (possibly inside a FusedLoc); the first one found.
std::optional<llvm::StringRef> getNodeName(mlir::Location loc);
} // namespace tamp

#endif // TAMP_DIALECT_TAMP_IR_TAMPDIALECT_H
