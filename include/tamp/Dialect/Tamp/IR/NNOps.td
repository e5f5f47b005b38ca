//===- NNOps.td - Convolution, pooling, normalisation ------*- tablegen -*-===//

#ifndef TAMP_DIALECT_TAMP_IR_NNOPS_TD
#define TAMP_DIALECT_TAMP_IR_NNOPS_TD

include "tamp/Dialect/Tamp/IR/TampBase.td"

// Window attributes shared by convolutions and pools. `pads` holds the
// begin pads of every spatial dimension followed by the end pads; with an
// `auto_pad` other than `explicit_pads` they are zero and the padding is
// derived from the input size.
defvar Tamp_WindowAttrs = (ins
  DenseI64ArrayAttr:$strides,
  DenseI64ArrayAttr:$dilations,
  DenseI64ArrayAttr:$pads,
  DefaultValuedAttr<Tamp_AutoPadAttr, "::tamp::AutoPad::explicit_pads">:$auto_pad);

def Tamp_ConvOp : Tamp_Op<"conv", [
    DeclareOpInterfaceMethods<Tamp_QuantizableOpInterface>,
    DeclareOpInterfaceMethods<Tamp_PrunableChannelOpInterface,
                              ["getChannelGroups"]>]> {
  let summary = "N-D grouped convolution, channels-first";
  let description = [{
    Input `[N, C, D1, ..., Dk]`, weight `[M, C / group, K1, ..., Kk]`, bias
    `[M]`, result `[N, M, O1, ..., Ok]` (k = 1, 2 or 3). Depthwise
    convolution is `group = C`. Integer element types are allowed (the
    importer lowers `ConvInteger` to an i32 convolution of zero-point-shifted
    operands).

    Quantized: the input is `!quant.uniform` per tensor (8-bit storage), the
    weight signed 8-bit with zero point 0, per tensor or per output channel
    (axis 0), the bias i32 at the scale `input_scale * weight_scale[m]`. The
    op computes the convolution of the dequantized values; the result is
    either requantized to its own per-tensor type or float (the input's
    expressed type). Integer kernels accumulate in i32.

    `activation` (with `activation_min` / `activation_max` for `clamp`) is
    applied to each output element after the bias, in the kernel's
    epilogue; only float convolutions have one (`tamp-fuse-activation`
    folds a following activation op into it).
  }];
  let arguments = !con((ins Tamp_NumericOrQuantizedTensor:$input,
                            Tamp_NumericOrQuantizedTensor:$weight,
                            Optional<Tamp_NumericTensor>:$bias),
                       Tamp_WindowAttrs,
                       (ins DefaultValuedAttr<I64Attr, "1">:$group),
                       Tamp_EpilogueAttrs);
  let results = (outs Tamp_NumericOrQuantizedTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDefinition = quantizedResultCompatibleTypes;
}

def Tamp_ConvTransposeOp : Tamp_Op<"conv_transpose", [
    DeclareOpInterfaceMethods<Tamp_QuantizableOpInterface>,
    DeclareOpInterfaceMethods<Tamp_PrunableChannelOpInterface,
                              ["getChannelGroups"]>]> {
  let summary = "N-D transposed (fractionally strided) convolution";
  let description = [{
    Input `[N, C, D1, ..., Dk]`, weight `[C, M / group, K1, ..., Kk]`, result
    `[N, M, O1, ..., Ok]` with
    `Oi = stride * (Di - 1) + output_padding + dilation * (Ki - 1) + 1 - pad_begin - pad_end`.
    The importer turns ONNX's `output_shape` into explicit pads.
  }];
  let arguments = !con((ins Tamp_FloatTensor:$input, Tamp_FloatTensor:$weight,
                            Optional<Tamp_FloatTensor>:$bias),
                       Tamp_WindowAttrs,
                       (ins DenseI64ArrayAttr:$output_padding,
                            DefaultValuedAttr<I64Attr, "1">:$group));
  let results = (outs Tamp_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tamp_BatchNormOp : Tamp_Op<"batch_norm"> {
  let summary = "inference-mode batch normalisation over dimension 1";
  let description = [{
    `(x - mean) / sqrt(var + epsilon) * scale + bias`, where `scale`,
    `bias`, `mean` and `var` are `[C]` and broadcast along dimension 1.
    ONNX training mode (`training_mode = 1`) imports as this op applied to
    the batch's mean and population variance (`tamp.reduce_mean` over every
    dimension but 1), the running statistics computed beside it.
  }];
  let arguments = (ins Tamp_FloatTensor:$input, Tamp_FloatTensor:$scale,
                   Tamp_FloatTensor:$bias, Tamp_FloatTensor:$mean,
                   Tamp_FloatTensor:$variance, F32Attr:$epsilon);
  let results = (outs Tamp_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tamp_MaxPoolOp : Tamp_Op<"max_pool"> {
  let summary = "N-D max pooling, channels-first";
  let description = [{
    Windows of `kernel_shape` with `strides`, `dilations` and `pads`;
    `ceil_mode` rounds the output size up. Padded positions never win.
    A per-tensor quantized input stays quantized with the same type (the
    maximum commutes with the monotone dequantization).
  }];
  let arguments = !con((ins Tamp_NumericOrQuantizedTensor:$input,
                            DenseI64ArrayAttr:$kernel_shape),
                       Tamp_WindowAttrs,
                       (ins DefaultValuedAttr<BoolAttr, "false">:$ceil_mode));
  let results = (outs Tamp_NumericOrQuantizedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Tamp_MaxPoolWithIndicesOp : Tamp_Op<"max_pool_with_indices"> {
  let summary = "N-D max pooling that also returns where each maximum was";
  let description = [{
    `output` is `tamp.max_pool`'s result; `indices` (i64, same shape) holds,
    for every window, the position of its maximum in the unpadded input
    flattened as `[N * C, D1 * ... * Dk]`:
    `(n * C + c) * (D1 * ... * Dk) + spatial offset`. The spatial offset is
    row-major (the last dimension varies fastest) or, with
    `column_major_indices`, column-major (the first dimension varies
    fastest). Ties go to the first maximum in row-major window order. ONNX
    `MaxPool` with its `Indices` output imports to this op, `storage_order`
    becoming `column_major_indices`.
  }];
  let arguments = !con((ins Tamp_NumericTensor:$input,
                            DenseI64ArrayAttr:$kernel_shape),
                       Tamp_WindowAttrs,
                       (ins DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
                            DefaultValuedAttr<BoolAttr, "false">:$column_major_indices));
  let results = (outs Tamp_NumericTensor:$output, Tamp_I64Tensor:$indices);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Tamp_AvgPoolOp : Tamp_Op<"avg_pool"> {
  let summary = "N-D average pooling, channels-first";
  let description = [{
    Like `tamp.max_pool`; `count_include_pad` decides whether padded
    positions count in the divisor.
  }];
  let arguments = !con((ins Tamp_FloatTensor:$input,
                            DenseI64ArrayAttr:$kernel_shape),
                       Tamp_WindowAttrs,
                       (ins DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
                            DefaultValuedAttr<BoolAttr, "false">:$count_include_pad));
  let results = (outs Tamp_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Tamp_LayerNormOp : Tamp_Op<"layer_norm"> {
  let summary = "normalisation over the trailing dimensions from `axis`";
  let description = [{
    Mean and variance are taken over dimensions `axis` .. rank-1; `scale`
    and the optional `bias` broadcast to those dimensions.
  }];
  let arguments = (ins Tamp_FloatTensor:$input, Tamp_FloatTensor:$scale,
                   Optional<Tamp_FloatTensor>:$bias, I64Attr:$axis,
                   F32Attr:$epsilon);
  let results = (outs Tamp_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tamp_AttentionOp : Tamp_Op<"attention"> {
  let summary = "scaled dot-product attention";
  let description = [{
    `softmax(query x key^T * scale + mask) x value`, the softmax along the
    last axis. `query` is `[..., Sq, D]`, `key` `[..., Sk, D]`, `value`
    `[..., Sk, Dv]` with the same leading (batch, head) dimensions; the
    optional additive `mask` broadcasts (numpy-style, unidirectionally) to
    the scores `[..., Sq, Sk]`. The result is `[..., Sq, Dv]`.

    `tamp-recompose-attention` forms it from the MatMul, scale, mask Add,
    Softmax, MatMul chain that exporters write. Its lowering never
    materialises the scores of all heads: it loops over (batch, head) pairs
    and blocks of query rows, computing each block's scores, softmax and
    product with `value` in one loop body.
  }];
  let arguments = (ins Tamp_FloatTensor:$query, Tamp_FloatTensor:$key,
                   Tamp_FloatTensor:$value, Optional<Tamp_FloatTensor>:$mask,
                   F32Attr:$scale);
  let results = (outs Tamp_FloatTensor:$output);
  let assemblyFormat = [{
    $query `,` $key `,` $value (`,` $mask^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tamp_GroupNormOp : Tamp_Op<"group_norm"> {
  let summary = "normalisation over channel groups and spatial dimensions";
  let description = [{
    Channels (dimension 1) are split into `num_groups` groups; each group is
    normalised over its channels and all spatial positions, then scaled and
    shifted per channel (`scale` and `bias` are `[C]`). Instance
    normalisation is `num_groups = C`; the importer expands ONNX opset-18
    per-group scales to per-channel ones.
  }];
  let arguments = (ins Tamp_FloatTensor:$input, Tamp_FloatTensor:$scale,
                   Tamp_FloatTensor:$bias, I64Attr:$num_groups, F32Attr:$epsilon);
  let results = (outs Tamp_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // TAMP_DIALECT_TAMP_IR_NNOPS_TD
