//===- main.cpp - Uses an installed Tamp to import an ONNX model ----------===//
//
// Prints the number of tamp ops in the imported function, then the IR.

#include "tamp/Dialect/Tamp/IR/TampDialect.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Import/OnnxImporter.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  if (argc != 2) {
    llvm::errs() << "usage: tamp-consumer model.onnx\n";
    return 2;
  }
  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      tamp::importOnnxModel(argv[1], context);
  if (!module)
    return 1;
  unsigned tampOps = 0;
  module->walk([&](mlir::Operation *op) {
    if (llvm::isa<tamp::TampDialect>(op->getDialect()))
      ++tampOps;
  });
  llvm::outs() << "tamp ops: " << tampOps << "\n";
  module->print(llvm::outs());
  return 0;
}
