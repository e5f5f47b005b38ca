//===- Passes.td - Compression passes on the tamp dialect ---*- tablegen -*-===//
//
// Calibration, quantization, pruning and fusion. They work on tamp ops through
// interfaces (QuantizableOpInterface, PrunableChannelOpInterface), never on op
// names, and read the statistics that calibration records in the
// `tamp.calibration` attribute.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_DIALECT_TAMP_TRANSFORMS_PASSES_TD
#define TAMP_DIALECT_TAMP_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def InsertObservers : Pass<"tamp-insert-observers", "mlir::func::FuncOp"> {
  let summary = "Return the activations that calibration observes";
  let description = [{
    Makes the float activations of every op implementing
    `QuantizableOpInterface` (its quantizable operands other than the weight,
    and its result) extra results of the function, so that running the
    compiled function on calibration inputs yields them. Each added result's
    `tamp.name` is `tamp.observe.<K>.<role>`: K numbers the quantizable ops
    in walk order (the order in which calibration attaches statistics back to
    the uninstrumented model) and role is `operand<I>` or `result0`; every
    op and role gets its own result, even where values coincide.

    Only public functions with a body are instrumented; integer activations
    (already-quantized models) are not observed.
  }];
  let dependentDialects = ["::tamp::TampDialect"];
}

def Quantize : Pass<"tamp-quantize", "mlir::func::FuncOp"> {
  let summary = "Static W8A8 quantization from calibration statistics";
  let description = [{
    Quantizes every selected op implementing `QuantizableOpInterface` that
    has a `tamp.calibration` attribute and constant float weight and bias:
    activation operands per tensor (8-bit, asymmetric) from the calibrated
    range that `calibration-method` selects; the weight per output channel
    (symmetric int8 in [-127, 127], stored as an i8 constant and
    `quant.scast` to a per-axis `!quant.uniform` type); the bias as i32 at
    the scale `input_scale * weight_scale[o]`.

    Each quantized op's result takes the parameters of the next quantized
    op's input, looking through single-use chains of `tamp.clamp`,
    `tamp.max_pool`, `tamp.reshape`, `tamp.flatten` and `tamp.transpose`
    (which then carry the quantized type), so chains stay in the integer
    domain; a result that reaches a float op is produced as float directly.
    `quant.qcast` is inserted only where a float value enters a quantized
    op. Ops without calibration, or whose weight or bias is not a constant,
    stay float.
  }];
  let options = [
    Option<"calibrationMethod", "calibration-method", "std::string",
           /*default=*/"\"minmax\"",
           "Which calibrated range quantizes activations: minmax, "
           "percentile, entropy or mse (see docs/CALIBRATION.md)">,
    Option<"activationType", "activation-type", "std::string",
           /*default=*/"\"u8\"",
           "Storage of quantized activations: u8 or i8 (both asymmetric)">,
    Option<"keepFloat", "keep-float", "std::string", /*default=*/"\"\"",
           "Regular expression: ops whose location name (the ONNX node "
           "name) matches it stay float">,
    ListOption<"opKinds", "op-kinds", "std::string",
               "Which ops to quantize, by op name without the dialect "
               "prefix (default: conv, linear, matmul)">,
  ];
  let dependentDialects = ["::tamp::TampDialect", "::mlir::quant::QuantDialect",
                           "::mlir::arith::ArithDialect"];
}

def QuantizeDynamic : Pass<"tamp-quantize-dynamic", "mlir::func::FuncOp"> {
  let summary = "Dynamic int8 quantization of linear layers";
  let description = [{
    Rewrites every `tamp.linear` with a constant f32 weight (and constant or
    absent bias) into `tamp.dynamic_quantize` of its input (per tensor,
    asymmetric 8-bit, parameters from the tensor's run-time range, as
    onnxruntime's `DynamicQuantizeLinear`) feeding `tamp.linear_integer`
    with the weight quantized per output channel (symmetric int8). The
    result stays f32: `acc * input_scale * weight_scale[n] + bias[n]`.
  }];
  let options = [
    Option<"activationType", "activation-type", "std::string",
           /*default=*/"\"i8\"",
           "Storage of the run-time quantized input: i8 or u8 (both "
           "asymmetric, equally precise; i8 is what the kernels consume)">,
    Option<"keepFloat", "keep-float", "std::string", /*default=*/"\"\"",
           "Regular expression: ops whose location name matches it stay "
           "float">,
  ];
  let dependentDialects = ["::tamp::TampDialect", "::mlir::quant::QuantDialect",
                           "::mlir::arith::ArithDialect"];
}

#endif // TAMP_DIALECT_TAMP_TRANSFORMS_PASSES_TD
