//===- InitAll.cpp - Dialect and pass registration for Tamp's tools -------===//

#include "tamp/Conversion/Passes.h"
#include "tamp/Dialect/Tamp/IR/TampDialect.h"
#include "tamp/InitAllDialects.h"
#include "tamp/InitAllPasses.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Transforms/Passes.h"

void tamp::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<tamp::TampDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect, mlir::tensor::TensorDialect,
                  mlir::quant::QuantDialect, mlir::affine::AffineDialect,
                  mlir::bufferization::BufferizationDialect,
                  mlir::cf::ControlFlowDialect, mlir::linalg::LinalgDialect,
                  mlir::math::MathDialect, mlir::scf::SCFDialect>();
}

void tamp::registerAllPasses() {
  mlir::registerTransformsPasses();
  tamp::registerTampConversionPasses();
}
