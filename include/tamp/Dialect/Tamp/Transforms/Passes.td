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

#endif // TAMP_DIALECT_TAMP_TRANSFORMS_PASSES_TD
