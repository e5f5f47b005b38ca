//===- TampInterfaces.td - Interfaces for compression passes -*- tablegen -*-===//

#ifndef TAMP_DIALECT_TAMP_IR_TAMPINTERFACES_TD
#define TAMP_DIALECT_TAMP_IR_TAMPINTERFACES_TD

include "mlir/IR/OpBase.td"

def Tamp_QuantizableOpInterface : OpInterface<"QuantizableOpInterface"> {
  let cppNamespace = "::tamp";
  let description = [{
    An op that has an integer kernel, or a weight that can be stored
    narrower: its activation operands can arrive quantized, and its weight
    operand (if any) can be stored in a narrower integer type, per tensor,
    per output channel or in groups along the reduction dimension (for an
    embedding table of `tamp.gather`, along the dimension each gathered slice
    spans). Quantization passes work on this interface, never on op names.
  }];
  let methods = [
    InterfaceMethod<"Indices of the operands that integer kernels consume "
                    "quantized (activations and weight; not the bias).",
      "::llvm::SmallVector<unsigned>", "getQuantizableOperandIndices">,
    InterfaceMethod<"Index of the weight operand, if the op has one.",
      "std::optional<unsigned>", "getWeightOperandIndex">,
    InterfaceMethod<"Dimension of the weight that indexes output channels "
                    "(the per-channel quantization axis).",
      "int64_t", "getWeightOutputChannelDim">,
    InterfaceMethod<"Dimension of the weight that is reduced over (the axis "
                    "along which grouped quantization forms its groups).",
      "int64_t", "getWeightReductionDim">,
  ];
}

def Tamp_PrunableChannelOpInterface : OpInterface<"PrunableChannelOpInterface"> {
  let cppNamespace = "::tamp";
  let description = [{
    An op with learned per-output-channel parameters whose channels a
    structured pruning pass may remove physically: removing output channel c
    removes slice c of the weight along `getWeightOutputChannelDim()`, element
    c of the bias, and slice c of the result along `getResultChannelDim()`.
    Removing an input channel removes a slice of the weight along
    `getWeightInputChannelDim()`.
  }];
  let methods = [
    InterfaceMethod<"Dimension of operand 0 that holds input channels.",
      "int64_t", "getInputChannelDim">,
    InterfaceMethod<"Dimension of the result that holds output channels.",
      "int64_t", "getResultChannelDim">,
    InterfaceMethod<"Index of the weight operand (shared with "
                    "QuantizableOpInterface).",
      "std::optional<unsigned>", "getWeightOperandIndex">,
    InterfaceMethod<"Weight dimension indexed by output channel.", "int64_t",
      "getWeightOutputChannelDim">,
    InterfaceMethod<"Weight dimension indexed by input channel.", "int64_t",
      "getWeightInputChannelDim">,
    InterfaceMethod<"Index of the bias operand, if present.",
      "std::optional<unsigned>", "getBiasOperandIndex">,
    InterfaceMethod<"Number of channel groups (1 unless grouped): channels "
                    "can only be removed consistently across groups.",
      "int64_t", "getChannelGroups", (ins), [{}], [{ return 1; }]>,
  ];
}

#endif // TAMP_DIALECT_TAMP_IR_TAMPINTERFACES_TD
