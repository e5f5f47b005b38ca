//===- TampDialect.td - The tamp dialect -------------------*- tablegen -*-===//
//
// Graph-level tensor dialect that Tamp imports ONNX models into and compresses.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_DIALECT_TAMP_IR_TAMPDIALECT_TD
#define TAMP_DIALECT_TAMP_IR_TAMPDIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def Tamp_Dialect : Dialect {
  let name = "tamp";
  let cppNamespace = "::tamp";
  let summary = "Graph-level tensor operations for model compression";
  let description = [{
    The `tamp` dialect holds neural-network graphs at the level of whole
    tensor operations: convolutions, linear layers, normalisations, pooling,
    element-wise math and data movement. ONNX models are imported into it in
    a normalised form: ONNX's op variants and opset versions map onto a small
    set of canonical ops with explicit attributes (for example `Gemm` and
    `MatMul` with a constant right-hand side both become `tamp.linear`, `Relu`
    and `Clip` become `tamp.clamp`, `GlobalAveragePool` becomes
    `tamp.reduce_mean`).

    Every op works on ranked tensors; dimensions unknown at compile time are
    dynamic (`?`). Result types are inferred from operands and attributes, so
    verification also checks shape consistency. Signed ONNX integers map to
    signless MLIR integers, unsigned ones to unsigned integers, booleans to
    `i1`.

    Compression passes work through interfaces rather than op names:
    `QuantizableOpInterface` says which operands integer kernels consume and
    which operand is a weight, `PrunableChannelOpInterface` says which
    dimension of each operand and result is the channel a structured pruning
    pass may remove.
  }];
  let hasConstantMaterializer = 1;
  let useDefaultAttributePrinterParser = 1;
  let useDefaultTypePrinterParser = 1;
  let dependentDialects = ["::mlir::quant::QuantDialect"];
}

#endif // TAMP_DIALECT_TAMP_IR_TAMPDIALECT_TD
