//===- QuantOps.td - Quantize and dequantize ---------------*- tablegen -*-===//

#ifndef TAMP_DIALECT_TAMP_IR_QUANTOPS_TD
#define TAMP_DIALECT_TAMP_IR_QUANTOPS_TD

include "tamp/Dialect/Tamp/IR/TampBase.td"

// Scale/zero-point granularity shared by quantize and dequantize: per tensor
// (scale is a scalar or 1-element tensor), per axis (scale is [D_axis]) or
// blocked (scale has the input's shape with dimension `axis` divided by
// `block_size`, rounded up).
defvar Tamp_QuantGranularityAttrs = (ins
  DefaultValuedAttr<I64Attr, "1">:$axis,
  DefaultValuedAttr<I64Attr, "0">:$block_size);

def Tamp_QuantizeOp : Op<Tamp_Dialect, "quantize", [Pure]> {
  let summary = "affine quantization: saturate(round(x / scale) + zero_point)";
  let description = [{
    Rounds half to even and saturates to the result's integer (or 8-bit
    float, or f4E2M1FN) element type. The result element type is explicit (as with
    `tamp.cast`); a missing zero point is zero.
  }];
  let arguments = !con((ins Tamp_FloatTensor:$input, Tamp_FloatTensor:$scale,
                            Optional<Tamp_Tensor>:$zero_point),
                       Tamp_QuantGranularityAttrs,
                       (ins DefaultValuedAttr<BoolAttr, "true">:$saturate));
  let results = (outs Tamp_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $scale (`,` $zero_point^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tamp_DequantizeOp : Tamp_Op<"dequantize"> {
  let summary = "affine dequantization: (x - zero_point) * scale";
  let description = [{
    The result has the scale's element type. Sub-byte inputs (i2, i4, ui4),
    8-bit floats and the 4-bit float f4E2M1FN are accepted.
  }];
  let arguments = !con((ins Tamp_Tensor:$input, Tamp_FloatTensor:$scale,
                            Optional<Tamp_Tensor>:$zero_point),
                       Tamp_QuantGranularityAttrs);
  let results = (outs Tamp_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale (`,` $zero_point^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // TAMP_DIALECT_TAMP_IR_QUANTOPS_TD
