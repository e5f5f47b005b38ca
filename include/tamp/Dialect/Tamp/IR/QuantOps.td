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
    The result has the scale's element type. Sub-byte inputs (i2, i3, i4,
    ui4, ...; `tamp.unpack_bits` produces them from packed bytes), 8-bit floats and the 4-bit float f4E2M1FN are accepted.
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

def Tamp_UnpackBitsOp : Op<Tamp_Dialect, "unpack_bits", [Pure]> {
  let summary = "sub-byte integers from the bytes they are packed in";
  let description = [{
    Reads each row of `input` (its last dimension, of bytes) as a
    little-endian bit stream and splits it into the `b`-bit integers of the
    result's row, `b` being the result's element width (2, 3 or 4): element
    `j` holds bits `[j * b, (j + 1) * b)` of the stream, where stream bit `i`
    is bit `i % 8` of byte `i / 8`. This is how ONNX packs int4 and uint4
    (the element with the lower index in the low nibble); 2-bit values pack
    four to a byte and 3-bit values eight to three bytes, some of them
    straddling two bytes. A signless result holds two's complement values
    (widening sign-extends them), an unsigned one zero-extends.

    The result has the input's leading dimensions; its static last
    dimension `M` packs into `ceil(M * b / 8)` bytes, the input's last
    dimension. Unused high bits of a row's last byte are ignored.

    ```mlir
    %codes = tamp.unpack_bits %packed : (tensor<16x32xi8>) -> tensor<16x64xi4>
    ```
  }];
  let arguments = (ins RankedTensorOf<[I8, UI8]>:$input);
  let results = (outs Tamp_IntegerTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The width in bits of each unpacked element.
    unsigned getBitWidth() {
      return getOutput().getType().getElementTypeBitWidth();
    }
  }];
}

def Tamp_DynamicQuantizeOp : Op<Tamp_Dialect, "dynamic_quantize", [Pure]> {
  let summary = "quantize with parameters chosen from the tensor at run time";
  let description = [{
    ONNX `DynamicQuantizeLinear`, for an 8-bit result of either signedness
    (range [qmin, qmax]): over the range `[min(x, 0), max(x, 0)]`,
    `scale = (max - min) / (qmax - qmin)`,
    `zero_point = saturate(round(qmin - min / scale))` and
    `output = saturate(round(x / scale) + zero_point)`, rounding half to
    even. An all-zero input gets scale 0, zero point 0 and output 0.
  }];
  let arguments = (ins RankedTensorOf<[F32]>:$input);
  let results = (outs RankedTensorOf<[I8, UI8]>:$output,
                      0DTensorOf<[F32]>:$scale,
                      0DTensorOf<[I8, UI8]>:$zero_point);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Tamp_LinearIntegerOp : Op<Tamp_Dialect, "linear_integer", [Pure]> {
  let summary = "fully connected layer on an integer input with run-time "
                "scale and zero point";
  let description = [{
    `output[..., n] = input_scale * weight_scale[n] *
       sum_k (input[..., k] - input_zero_point) * weight[n, k] + bias[n]`.

    The input is 8-bit integer data whose scale and zero point are values
    (0-D tensors) known only at run time, as `tamp.dynamic_quantize`
    produces them; the weight is a constant `!quant.uniform` signed 8-bit
    type (zero point 0, per tensor or per output channel along dimension
    0), as for a quantized `tamp.linear`, whose integer kernel this op
    shares. Accumulation is in i32; the result and the bias are f32.
  }];
  let arguments = (ins RankedTensorOf<[I8, UI8]>:$input,
                   0DTensorOf<[F32]>:$input_scale,
                   0DTensorOf<[I8, UI8]>:$input_zero_point,
                   RankedTensorOf<[Tamp_UniformQuantizedType]>:$weight,
                   Optional<RankedTensorOf<[F32]>>:$bias);
  let results = (outs RankedTensorOf<[F32]>:$output);
  let assemblyFormat = [{
    $input `,` $input_scale `,` $input_zero_point `,` $weight (`,` $bias^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // TAMP_DIALECT_TAMP_IR_QUANTOPS_TD
