//===- Passes.td - Tamp conversion passes ------------------*- tablegen -*-===//

#ifndef TAMP_CONVERSION_PASSES_TD
#define TAMP_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertTampToLinalg : Pass<"tamp-convert-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower the tamp dialect to linalg, tensor, arith, math and scf";
  let description = [{
    Rewrites every `tamp` op into upstream dialects on tensors, with the
    dialect conversion framework. Named linalg ops are used where they exist
    (`linalg.matmul`, `linalg.batch_matmul`, the `linalg.conv_*` and
    `linalg.pooling_*` families) and `linalg.generic` otherwise, so that
    upstream fusion, tiling and vectorization apply.

    Unsigned and signed integer element types become signless; the lowering
    reads signedness from the original op types. Dynamic dimensions are
    supported: result sizes are computed with `tensor.dim`, and sizes that
    must agree at run time are checked with `cf.assert`, whose message names
    the ONNX node.

    Function signatures are converted too, so the pass runs on the module.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::bufferization::BufferizationDialect",
    "mlir::cf::ControlFlowDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::LLVM::LLVMDialect",
    "mlir::math::MathDialect",
    "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect",
  ];
}

#endif // TAMP_CONVERSION_PASSES_TD
