//===- tamp-opt.cpp - Run tamp and upstream passes on MLIR
//------------------===//
//
// The pass driver vendors embed in their flow: every dialect and pass that
// Tamp's pipelines use, under the standard mlir-opt command line.
//
//===----------------------------------------------------------------------===//

#include "tamp/InitAllDialects.h"
#include "tamp/InitAllPasses.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  tamp::registerAllDialects(registry);
  tamp::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Tamp optimizer driver\n", registry));
}
