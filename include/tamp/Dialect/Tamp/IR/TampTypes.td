//===- TampTypes.td - Types of the tamp dialect ------------*- tablegen -*-===//

#ifndef TAMP_DIALECT_TAMP_IR_TAMPTYPES_TD
#define TAMP_DIALECT_TAMP_IR_TAMPTYPES_TD

include "tamp/Dialect/Tamp/IR/TampDialect.td"

class Tamp_Type<string name, string typeMnemonic, list<Trait> traits = []>
    : TypeDef<Tamp_Dialect, name, traits> {
  let mnemonic = typeMnemonic;
}

def Tamp_String : Tamp_Type<"String", "string"> {
  let summary = "a variable-length byte string (ONNX STRING)";
  let description = [{
    The element type of ONNX string tensors. Tensors of it hold one byte
    string per element; their constants are `DenseStringElementsAttr`s,
    e.g. `dense<["a", "bc"]> : tensor<2x!tamp.string>`. Only ops whose
    type constraints name it accept it (`tamp.constant`, `tamp.equal`):
    every other op computes with numbers and rejects string operands.
  }];
}

#endif // TAMP_DIALECT_TAMP_IR_TAMPTYPES_TD
