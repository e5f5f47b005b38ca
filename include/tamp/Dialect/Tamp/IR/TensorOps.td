//===- TensorOps.td - Constants, casts and data movement ---*- tablegen -*-===//

#ifndef TAMP_DIALECT_TAMP_IR_TENSOROPS_TD
#define TAMP_DIALECT_TAMP_IR_TENSOROPS_TD

include "tamp/Dialect/Tamp/IR/TampBase.td"

def Tamp_ConstantOp : Tamp_Op<"constant", [ConstantLike]> {
  let summary = "a constant tensor (weights live in dense_resource blobs)";
  let description = [{
    Model weights are `dense_resource` attributes so that IR dumps stay
    small and large models are not copied; small constants (shapes, axes,
    scalars) are plain dense attributes so that they fold. String constants
    are dense string attributes of `!tamp.string` tensors.
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Tamp_TensorOrString:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

def Tamp_CastOp : Op<Tamp_Dialect, "cast", [Pure, Elementwise]> {
  let summary = "element type conversion";
  let description = [{
    Converts each element to the result's element type: floats round to
    nearest even, float-to-integer truncates towards zero, integer
    narrowing wraps, and booleans are 0/1. With `saturate` (the default),
    conversions to 8-bit floats clamp to the finite range (infinities
    included); without it values beyond it become Inf where the type has
    one and NaN otherwise (ONNX's Cast tables). `f4E2M1FN`, with neither,
    always clamps, and NaN becomes 0 in it. Floats convert to sub-byte
    integers by truncating towards zero and wrapping.

    Conversions to `f8E8M0FNU` (ONNX float8e8m0, the power-of-two scales of
    microscaling formats) round as `round_mode` says: `up` (the default) to
    the next power of two away from zero, `down` to the next one towards
    zero, `nearest` to the nearer one with ties going up. Other result types
    ignore it, so it may only differ from `up` for `f8E8M0FNU` results.
  }];
  let arguments = (ins Tamp_Tensor:$input,
                   DefaultValuedAttr<BoolAttr, "true">:$saturate,
                   DefaultValuedAttr<Tamp_RoundModeAttr,
                                     "::tamp::RoundMode::up">:$round_mode);
  let results = (outs Tamp_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($output)";
  let hasFolder = 1;
  let hasVerifier = 1;
}

def Tamp_ReshapeOp : Tamp_Op<"reshape"> {
  let summary = "reshape to the sizes held by a 1-D shape tensor";
  let description = [{
    ONNX semantics: a size of -1 is inferred from the element count, and a
    size of 0 copies the input's size at that position unless `allowzero`
    is set (then it means an empty dimension). The result type is static
    wherever `shape` is a constant.
  }];
  let arguments = (ins Tamp_Tensor:$input, Tamp_I64Tensor:$shape,
                   DefaultValuedAttr<BoolAttr, "false">:$allowzero);
  let results = (outs Tamp_Tensor:$output);
  let assemblyFormat = "$input `,` $shape attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Tamp_FlattenOp : Tamp_Op<"flatten"> {
  let summary = "collapse to 2-D at axis";
  let arguments = (ins Tamp_Tensor:$input, I64Attr:$axis);
  let results = (outs Tamp_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasCanonicalizer = 1;
}

def Tamp_SqueezeOp : Tamp_Op<"squeeze"> {
  let summary = "remove size-1 dimensions (all of them when axes is empty)";
  let arguments = (ins Tamp_Tensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs Tamp_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Tamp_UnsqueezeOp : Tamp_Op<"unsqueeze"> {
  let summary = "insert size-1 dimensions at axes (of the result)";
  let arguments = (ins Tamp_Tensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs Tamp_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Tamp_TransposeOp : Tamp_Op<"transpose"> {
  let summary = "permute dimensions: result dim i is input dim perm[i]";
  let arguments = (ins Tamp_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Tamp_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Tamp_ConcatOp : Tamp_Op<"concat"> {
  let summary = "concatenate along axis";
  let description = [{
    Inputs share an element type, or are all quantized per tensor with the
    same storage type; then the result is quantized too, and inputs whose
    scale or zero point differ from the result's are requantized to it.
  }];
  let arguments = (ins Variadic<Tamp_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Tamp_Tensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasVerifier = 1;
  let extraClassDefinition = quantizedResultCompatibleTypes;
}

def Tamp_SplitOp : Tamp_Op<"split"> {
  let summary = "split along axis into pieces of the given sizes";
  let description = [{
    `sizes` has one entry per result and sums to the input's size along
    `axis` (checked when that size is static).
  }];
  let arguments = (ins Tamp_Tensor:$input, I64Attr:$axis, DenseI64ArrayAttr:$sizes);
  let results = (outs Variadic<Tamp_Tensor>:$outputs);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Tamp_SliceOp : Tamp_Op<"slice"> {
  let summary = "strided slice with ONNX clamping semantics";
  let description = [{
    `starts`, `ends`, `axes` and `steps` are 1-D tensors of equal length.
    Negative starts/ends count from the back; out-of-range values are
    clamped; a negative step walks backwards. The result is static where
    the operands are constants and the sliced dimensions static.
  }];
  let arguments = (ins Tamp_Tensor:$input, Tamp_IndexTensor:$starts,
                   Tamp_IndexTensor:$ends, Tamp_IndexTensor:$axes,
                   Tamp_IndexTensor:$steps);
  let results = (outs Tamp_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $starts `,` $ends `,` $axes `,` $steps attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def Tamp_ExpandOp : Tamp_Op<"expand"> {
  let summary = "broadcast to a shape (multidirectionally)";
  let arguments = (ins Tamp_Tensor:$input, Tamp_I64Tensor:$shape);
  let results = (outs Tamp_Tensor:$output);
  let assemblyFormat = "$input `,` $shape attr-dict `:` functional-type(operands, results)";
}

def Tamp_TileOp : Tamp_Op<"tile"> {
  let summary = "repeat the input repeats[i] times along dimension i";
  let arguments = (ins Tamp_Tensor:$input, Tamp_I64Tensor:$repeats);
  let results = (outs Tamp_Tensor:$output);
  let assemblyFormat = "$input `,` $repeats attr-dict `:` functional-type(operands, results)";
}

def Tamp_GatherOp : Tamp_Op<"gather", [
    DeclareOpInterfaceMethods<Tamp_QuantizableOpInterface>]> {
  let summary = "take slices along axis at the given indices";
  let description = [{
    With a constant input this is an embedding lookup: quantization may
    store the table narrower, one scale per gathered slice (the weight's
    output channels are along `axis`), in groups along the last other
    dimension.
  }];
  let arguments = (ins Tamp_Tensor:$input, Tamp_IndexTensor:$indices, I64Attr:$axis);
  let results = (outs Tamp_Tensor:$output);
  let assemblyFormat = "$input `,` $indices attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Tamp_GatherElementsOp : Tamp_Op<"gather_elements"> {
  let summary = "element-wise gather along axis (result has the indices' shape)";
  let arguments = (ins Tamp_Tensor:$input, Tamp_IndexTensor:$indices, I64Attr:$axis);
  let results = (outs Tamp_Tensor:$output);
  let assemblyFormat = "$input `,` $indices attr-dict `:` functional-type(operands, results)";
}

def Tamp_GatherNDOp : Tamp_Op<"gather_nd"> {
  let summary = "gather slices addressed by index tuples";
  let arguments = (ins Tamp_Tensor:$input, Tamp_IndexTensor:$indices,
                   DefaultValuedAttr<I64Attr, "0">:$batch_dims);
  let results = (outs Tamp_Tensor:$output);
  let assemblyFormat = "$input `,` $indices attr-dict `:` functional-type(operands, results)";
}

def Tamp_ScatterElementsOp : Tamp_Op<"scatter_elements"> {
  let summary = "element-wise scatter of updates into a copy of input";
  let arguments = (ins Tamp_Tensor:$input, Tamp_IndexTensor:$indices,
                   Tamp_Tensor:$updates, I64Attr:$axis,
                   DefaultValuedAttr<Tamp_ScatterReductionAttr,
                                     "::tamp::ScatterReduction::none">:$reduction);
  let results = (outs Tamp_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $indices `,` $updates attr-dict `:` functional-type(operands, results)
  }];
}

def Tamp_ScatterNDOp : Tamp_Op<"scatter_nd"> {
  let summary = "scatter slices addressed by index tuples into a copy of input";
  let arguments = (ins Tamp_Tensor:$input, Tamp_IndexTensor:$indices,
                   Tamp_Tensor:$updates,
                   DefaultValuedAttr<Tamp_ScatterReductionAttr,
                                     "::tamp::ScatterReduction::none">:$reduction);
  let results = (outs Tamp_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $indices `,` $updates attr-dict `:` functional-type(operands, results)
  }];
}

def Tamp_PadOp : Tamp_Op<"pad"> {
  let summary = "pad every dimension (negative pads crop)";
  let description = [{
    `pads` is `[begin_0, ..., begin_r-1, end_0, ..., end_r-1]` over all
    dimensions (the importer expands ONNX's `axes`). `value` fills in
    `constant` mode and defaults to zero.
  }];
  let arguments = (ins Tamp_Tensor:$input, Tamp_I64Tensor:$pads,
                   Optional<Tamp_Tensor>:$value,
                   DefaultValuedAttr<Tamp_PadModeAttr, "::tamp::PadMode::constant">:$mode);
  let results = (outs Tamp_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $pads (`,` $value^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Tamp_ResizeOp : Tamp_Op<"resize", [AttrSizedOperandSegments]> {
  let summary = "resize by interpolation (ONNX Resize and Upsample)";
  let description = [{
    Exactly one of `scales` (f32, one per dimension) and `sizes` (i64)
    gives the output size; `roi` only matters for `tf_crop_and_resize`.
    ONNX's `axes` are folded into full-rank roi/scales/sizes by the
    importer, except where they limit the aspect-ratio policy.

    With `sizes` and an `aspect_ratio_policy` other than `stretch`, one
    scale is chosen over the dimensions in `axes` (all of them when `axes`
    is empty): the smallest `sizes[d] / input[d]` for `not_larger`, the
    largest for `not_smaller`. Those dimensions get
    `round_half_up(scale * input[d])` elements and are interpolated with
    that scale; the other dimensions get `sizes[d]` elements, as with
    `stretch`. `axes` are sorted, distinct and non-negative, and only
    given with such a policy.
  }];
  let arguments = (ins Tamp_FloatTensor:$input,
                   Optional<Tamp_FloatTensor>:$roi,
                   Optional<Tamp_FloatTensor>:$scales,
                   Optional<Tamp_I64Tensor>:$sizes,
                   DefaultValuedAttr<Tamp_ResizeModeAttr, "::tamp::ResizeMode::nearest">:$mode,
                   DefaultValuedAttr<Tamp_CoordinateTransformAttr,
                       "::tamp::CoordinateTransform::half_pixel">:$coordinate_transform,
                   DefaultValuedAttr<Tamp_NearestModeAttr,
                       "::tamp::NearestMode::round_prefer_floor">:$nearest_mode,
                   DefaultValuedAttr<Tamp_AspectRatioPolicyAttr,
                       "::tamp::AspectRatioPolicy::stretch">:$aspect_ratio_policy,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$axes,
                   DefaultValuedAttr<F32Attr, "-0.75">:$cubic_coeff_a,
                   DefaultValuedAttr<BoolAttr, "false">:$exclude_outside,
                   DefaultValuedAttr<BoolAttr, "false">:$antialias,
                   DefaultValuedAttr<F32Attr, "0.0">:$extrapolation_value);
  let results = (outs Tamp_FloatTensor:$output);
  let assemblyFormat = [{
    $input (`roi` $roi^)? (`scales` $scales^)? (`sizes` $sizes^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tamp_ShapeOp : Tamp_Op<"shape"> {
  let summary = "the input's dimensions [start, end) as a 1-D i64 tensor";
  let arguments = (ins Tamp_Tensor:$input, DefaultValuedAttr<I64Attr, "0">:$start,
                   OptionalAttr<I64Attr>:$end);
  let results = (outs Tamp_I64Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Tamp_FillOp : Tamp_Op<"fill"> {
  let summary = "a tensor of the given shape filled with one value";
  let arguments = (ins Tamp_I64Tensor:$shape, TypedAttrInterface:$value);
  let results = (outs Tamp_Tensor:$output);
  let assemblyFormat = "$shape attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Tamp_RangeOp : Tamp_Op<"range", [SameOperandsElementType]> {
  let summary = "start, start + delta, ... up to (excluding) limit";
  let arguments = (ins Tamp_NumericTensor:$start, Tamp_NumericTensor:$limit,
                   Tamp_NumericTensor:$delta);
  let results = (outs Tamp_NumericTensor:$output);
  let assemblyFormat = "$start `,` $limit `,` $delta attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Tamp_TopKOp : Tamp_Op<"topk"> {
  let summary = "the k largest (or smallest) values along axis, and their indices";
  let arguments = (ins Tamp_NumericTensor:$input, Tamp_I64Tensor:$k, I64Attr:$axis,
                   DefaultValuedAttr<BoolAttr, "true">:$largest,
                   DefaultValuedAttr<BoolAttr, "true">:$sorted);
  let results = (outs Tamp_NumericTensor:$values, Tamp_I64Tensor:$indices);
  let assemblyFormat = "$input `,` $k attr-dict `:` functional-type(operands, results)";
}

def Tamp_DepthToSpaceOp : Tamp_Op<"depth_to_space"> {
  let summary = "move channel blocks into spatial blocks (NCHW)";
  let arguments = (ins Tamp_Tensor:$input, I64Attr:$blocksize,
                   DefaultValuedAttr<Tamp_DepthToSpaceModeAttr,
                                     "::tamp::DepthToSpaceMode::dcr">:$mode);
  let results = (outs Tamp_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Tamp_SpaceToDepthOp : Tamp_Op<"space_to_depth"> {
  let summary = "move spatial blocks into channels (NCHW)";
  let arguments = (ins Tamp_Tensor:$input, I64Attr:$blocksize);
  let results = (outs Tamp_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Tamp_TriluOp : Tamp_Op<"trilu"> {
  let summary = "keep the upper or lower triangle of the last two dimensions";
  let arguments = (ins Tamp_Tensor:$input, Optional<Tamp_I64Tensor>:$k,
                   DefaultValuedAttr<BoolAttr, "true">:$upper);
  let results = (outs Tamp_Tensor:$output);
  let assemblyFormat = "$input (`,` $k^)? attr-dict `:` functional-type(operands, results)";
}

def Tamp_OneHotOp : Tamp_Op<"one_hot"> {
  let summary = "one-hot encoding: values[1] at the index, values[0] elsewhere";
  let arguments = (ins Tamp_NumericTensor:$indices, Tamp_NumericTensor:$depth,
                   Tamp_Tensor:$values, I64Attr:$axis);
  let results = (outs Tamp_Tensor:$output);
  let assemblyFormat = "$indices `,` $depth `,` $values attr-dict `:` functional-type(operands, results)";
}

def Tamp_NonZeroOp : Tamp_Op<"nonzero"> {
  let summary = "indices of the non-zero elements, [rank, count] with count dynamic";
  let arguments = (ins Tamp_Tensor:$input);
  let results = (outs Tamp_I64Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

#endif // TAMP_DIALECT_TAMP_IR_TENSOROPS_TD
