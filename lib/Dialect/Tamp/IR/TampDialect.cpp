//===- TampDialect.cpp - The tamp dialect ---------------------------------===//

#include "tamp/Dialect/Tamp/IR/TampDialect.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace tamp;

#include "tamp/Dialect/Tamp/IR/TampDialect.cpp.inc"
#include "tamp/Dialect/Tamp/IR/TampEnums.cpp.inc"
#include "tamp/Dialect/Tamp/IR/TampInterfaces.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "tamp/Dialect/Tamp/IR/TampTypes.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "tamp/Dialect/Tamp/IR/TampAttrs.cpp.inc"

void TampDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "tamp/Dialect/Tamp/IR/MathOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "tamp/Dialect/Tamp/IR/NNOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "tamp/Dialect/Tamp/IR/TensorOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "tamp/Dialect/Tamp/IR/QuantOps.cpp.inc"
      >();
  addTypes<
#define GET_TYPEDEF_LIST
#include "tamp/Dialect/Tamp/IR/TampTypes.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "tamp/Dialect/Tamp/IR/TampAttrs.cpp.inc"
      >();
}

Operation *TampDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, type, elements);
}

std::optional<llvm::StringRef> tamp::getNodeName(mlir::Location loc) {
  std::optional<llvm::StringRef> name;
  loc->walk([&](mlir::Location inner) {
    if (auto named = llvm::dyn_cast<mlir::NameLoc>(inner)) {
      name = named.getName().getValue();
      return mlir::WalkResult::interrupt();
    }
    return mlir::WalkResult::advance();
  });
  return name;
}
