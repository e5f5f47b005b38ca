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

    Quantized activations (`!quant.uniform` elements) are returned through
    `quant.dcast`, as the float values they stand for, so a quantized model
    and its float original can be compared layer by layer. Only public
    functions with a body are instrumented; plain integer activations are
    not observed.

    With `after-activation`, a result whose only user is a `tamp.clamp`
    (ReLU, ReLU6) is observed after it: a quantized layer whose output range
    already excludes what the activation clips then compares like for like
    with its float original (the compression report uses this).
  }];
  let options = [
    Option<"afterActivation", "after-activation", "bool", /*default=*/"false",
           "Observe results after a sole tamp.clamp user">,
  ];
  let dependentDialects = ["::tamp::TampDialect", "::mlir::quant::QuantDialect"];
}

def QuantizeWeights : Pass<"tamp-quantize-weights", "mlir::func::FuncOp"> {
  let summary = "Weight-only quantization to packed int8/int4/int3/int2";
  let description = [{
    Quantizes the float constant weight of every op implementing
    `QuantizableOpInterface` (`tamp.linear`, `tamp.conv`,
    `tamp.conv_transpose`) and replaces it by its dequantization, so the op
    still computes in float while the compiled artifact stores only packed
    integer codes, scales and zero points:

    ```mlir
    %packed = tamp.constant dense_resource<fc.packed> : tensor<64x64xi8>
    %codes = tamp.unpack_bits %packed : (tensor<64x64xi8>) -> tensor<64x128xui4>
    %scales = tamp.constant dense_resource<fc.scales> : tensor<64x4xf32>
    %zp_packed = tamp.constant dense_resource<fc.zero_points> : tensor<64x2xi8>
    %zp = tamp.unpack_bits %zp_packed : (tensor<64x2xi8>) -> tensor<64x4xui4>
    %w = tamp.dequantize %codes, %scales, %zp {axis = 1 : i64, block_size = 32 : i64}
        : (tensor<64x128xui4>, tensor<64x4xf32>, tensor<64x4xui4>) -> tensor<64x128xf32>
    %y = tamp.linear %x, %w : (tensor<1x128xf32>, tensor<64x128xf32>) -> tensor<1x64xf32>
    ```

    Unpacking and dequantization lower to element-wise generics that fuse
    into one loop nest. 8-bit codes are stored as `i8`/`ui8` without
    unpacking. A weight held in a `dense_resource` blob gives blobs, a
    `dense` one dense constants (so small tests stay readable).

    **Layout.** The weight is viewed as a matrix whose rows are the output
    channels (`getWeightOutputChannelDim`) and whose columns are the
    reduction dimension (`getWeightReductionDim`) followed by the remaining
    dimensions, flattened: a convolution's `[O, C/g, k1, ..., kd]` becomes
    `[O, C/g * k1 * ... * kd]`, the order of the Hessian calibration records
    for convolutions. Codes are packed per row; the dequantized matrix is
    reshaped (and, for `tamp.conv_transpose`'s `[C, M/g, k...]`, transposed)
    back to the weight's shape.

    **Grid.** `bits` is 8, 4, 3 or 2. Each row is split into groups of
    `group-size` consecutive columns (0: the whole row, a per-output-channel
    scale); when the group size does not divide the row the last group is
    shorter (blocked quantization allows a partial last block). Symmetric
    quantization uses signed codes without zero point and
    `scale = max|w| / (2^(bits-1) - 1)`; asymmetric quantization uses unsigned
    codes with a zero point and `scale = (max - min) / (2^bits - 1)`, the
    range widened to contain 0 so that zero is exact. Rounding is to nearest,
    ties to even.

    **Methods** (`method`):
    - `rtn`: round each weight to nearest.
    - `gptq` (Frantar et al., 2022): quantizes column by column in order of
      decreasing Hessian diagonal (`gptq-act-order`), spreading each column's
      rounding error over the columns not yet quantized through the upper
      Cholesky factor of the inverse of the calibration Hessian (the
      `hessian` of `tamp.calibration`, see docs/CALIBRATION.md), dampened by
      `gptq-damp` times its mean diagonal, with lazy updates in blocks of
      `gptq-block-size` columns. A group's scale is chosen when the first of
      its columns is reached; groups stay contiguous in the original column
      order also with activation order (the scales stay blocked). Columns
      the calibration never reached (zero diagonal) quantize as zero. Ops
      without a Hessian (grouped convolutions, uncalibrated ops) and
      Hessians that are not positive definite fall back to `rtn`, with one
      remark per function.
    - `awq`: AWQ-style activation-aware scaling. Column j is multiplied by
      `s_j = abs_mean_j ^ alpha` (the `abs_mean` of operand 0 in
      `tamp.calibration`, normalised so that `max(s) min(s) = 1`) before
      rounding to nearest, and the dequantized weight is multiplied by
      `1 / s_j` (an f32 vector applied by a `tamp.mul` that fuses into the
      dequantization loop). `alpha` is searched over
      `{0, 1/awq-grid, ..., (awq-grid - 1)/awq-grid}` to minimise
      `tr((W - Wq) H (W - Wq)^T)` with the calibration Hessian, or
      `sum_j abs_mean_j^2 ||W[:, j] - Wq[:, j]||^2` without one; `alpha = 0`
      is `rtn`, so the result is never worse than it on that measure. Ops
      without `abs_mean` and grouped convolutions (whose weight sees only
      part of the channels) fall back to `rtn`, with one remark.

    **Selection.** Only weights defined by `tamp.constant` or
    `arith.constant` with float elements are quantized. `ops` restricts the
    pass to the listed ops (names without the `tamp.` prefix, e.g.
    `ops=linear,conv`); ops whose location names (the ONNX node names) match
    the regular expression `keep-float` (anywhere in the name: anchor with
    `^...$`) stay float.

    Malformed options and calibration statistics of the wrong shape are
    errors.
  }];
  let options = [
    Option<"bits", "bits", "unsigned", "4",
           "Bits per weight code: 8, 4, 3 or 2">,
    Option<"groupSize", "group-size", "int64_t", "0",
           "Columns per scale along the reduction (0: one scale per output "
           "channel)">,
    Option<"symmetric", "symmetric", "bool", "false",
           "Signed codes without zero point (else unsigned with one)">,
    Option<"method", "method", "::tamp::WeightRoundingMethod",
           "::tamp::WeightRoundingMethod::RoundToNearest",
           "How weights are rounded",
           [{::llvm::cl::values(
             clEnumValN(::tamp::WeightRoundingMethod::RoundToNearest, "rtn",
                        "round to nearest"),
             clEnumValN(::tamp::WeightRoundingMethod::GPTQ, "gptq",
                        "GPTQ with the calibration Hessian"),
             clEnumValN(::tamp::WeightRoundingMethod::AWQ, "awq",
                        "AWQ-style per-input-channel scaling"))}]>,
    Option<"gptqDamp", "gptq-damp", "double", "0.01",
           "GPTQ dampening, as a fraction of the Hessian's mean diagonal">,
    Option<"gptqActOrder", "gptq-act-order", "bool", "true",
           "GPTQ quantizes columns by decreasing Hessian diagonal">,
    Option<"gptqBlockSize", "gptq-block-size", "int64_t", "128",
           "Columns per GPTQ lazy update block">,
    Option<"awqGrid", "awq-grid", "int64_t", "20",
           "Exponents searched by AWQ">,
    ListOption<"ops", "ops", "std::string",
               "Quantize only these ops (e.g. linear,conv); all if empty">,
    Option<"keepFloat", "keep-float", "std::string", "\"\"",
           "Keep ops whose location name matches this regex float">,
  ];
  let dependentDialects = ["::tamp::TampDialect"];
}

def FoldQDQ : Pass<"tamp-fold-qdq", "mlir::func::FuncOp"> {
  let summary = "Run pre-quantized (QDQ, QOperator) models on the integer "
                "kernels";
  let description = [{
    Models quantized by other tools (onnxruntime's `quantize_static` in the
    QDQ and QOperator formats) import as `tamp.quantize` /
    `tamp.dequantize` around float ops. This pass rewrites them into the
    quant-typed form that `tamp-quantize` produces, wherever the
    parameters are constants of a granularity the integer kernels support:

    - `tamp.quantize` -> `tamp.dequantize` with the same constant per-tensor
      8-bit parameters (`i8` or `ui8`, f32 scale), possibly through integer
      `tamp.max_pool` / `tamp.reshape` / `tamp.flatten` / `tamp.transpose`,
      becomes `quant.qcast` -> `quant.dcast` on a `!quant.uniform` type;
    - `quant.qcast` moves up through `tamp.clamp`, `tamp.max_pool`,
      `tamp.concat` and data movement (quantization is monotone, so it
      commutes with them exactly), `quant.dcast` down through max pooling
      and data movement, and `quant.qcast(quant.dcast(x))` of one type is
      `x`: ReLU, pooling and reshapes between quantized layers run on the
      quantized values;
    - `tamp.conv` and `tamp.linear` whose input is a `quant.dcast`, whose
      weight is a `tamp.dequantize` of a signed 8-bit constant with zero
      point 0 (one scale, or one per output channel) and whose bias is
      absent or a `tamp.dequantize` of an i32 constant at the scale
      `input_scale * weight_scale[o]` (to f32 rounding; a constant or a
      `tamp.mul` of constants) take the quantized operands (the weight a
      `quant.scast` of the i8 constant, the bias the i32 constant);
      `tamp.matmul` of two `quant.dcast` values takes both quantized, and a
      `tamp.matmul` by a dequantized constant `[K, N]` weight (per tensor or
      per column) becomes `tamp.linear` with the weight transposed;
    - a `quant.qcast` of such an op's float result becomes its requantized
      result.

    Anything else (non-constant or per-axis activation parameters, 16-bit
    or blocked quantization, asymmetric or unsigned weights, biases at
    another scale) stays as imported and computes in float. The pass leaves
    models without `tamp.quantize` / `tamp.dequantize` unchanged.
  }];
  let dependentDialects = ["::tamp::TampDialect", "::mlir::quant::QuantDialect"];
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

def PrintResidualBlocks
    : Pass<"tamp-print-residual-blocks", "mlir::func::FuncOp"> {
  let summary = "Print the residual blocks that layer removal can remove";
  let description = [{
    Prints, for every function with a body, the residual blocks that
    `tamp-prune-layers` numbers and can remove, in program order of their
    joins:

    ```
    @main_graph: 2 residual blocks
      #0 'add_9': input 'relu_5', output 'relu_10', 7 ops, 73856 parameters, output change 0.0221, relative change 2.01
      #1 'add_16': input 'relu_10', output 'relu_17', 7 ops, 73856 parameters, no statistics
    ```

    A residual block computes `z = post(x + f(x))`:

    - its input `x` is used by the branch `f` and, directly or through ops
      that return their only non-constant operand's type, by a `tamp.add`
      (the join);
    - the branch is every op on a path from `x` to the join's other
      operand; besides `x` it reads only values that do not depend on `x`
      (weights, an attention mask), and nothing it computes is used outside
      the block;
    - its output `z` is the join followed by ops with one non-constant
      operand whose type they return (ReLU, LayerNorm, ...), as long as each
      value has one use: up to the next fork or function result. `z` has
      `x`'s type.

    This covers ResNet basic and bottleneck blocks with identity shortcuts
    (`z = relu(x + bn(conv(relu(bn(conv(x))))))`), post-LN transformer
    sublayers (`z = LayerNorm(x + Attention(x))`,
    `z = LayerNorm(h + FFN(h))`) and pre-LN ones (`x + f(LayerNorm(x))`).
    Blocks whose shortcut transforms `x` (strided or projecting
    convolutions) are not residual blocks: removing them would change the
    tensor's shape. Ops are named by their location (the ONNX node name),
    the input by its producer or the function argument's `tamp.name`;
    `parameters` counts the constant elements only the block uses, and
    `output change` and `relative change` are the calibration statistics of
    `tamp.block_calibration` (docs/CALIBRATION.md).
  }];
}

def PruneLayers : Pass<"tamp-prune-layers", "mlir::func::FuncOp"> {
  let summary = "Remove the residual blocks whose removal matters least";
  let description = [{
    Removes residual blocks (see `tamp-print-residual-blocks`) from every
    public function with a body: the uses of a block's output `z` become
    uses of its input `x`, and the branch, the join, the ops after it and
    the weights only they used are erased, so the model gets physically
    smaller and faster.

    With `count=N`, the N blocks with the smallest statistic `rank-by` in
    their join's `tamp.block_calibration` (docs/CALIBRATION.md) are removed,
    ties broken by block index: `output_change` (default), how far the
    model's outputs turn on the calibration sets when the block alone is
    bypassed (1 - cosine similarity), or `relative_change`, how much the
    block changes its own input (`||z - x||^2 / ||x||^2`); every block needs
    the statistic. Alternatively `indices=...` (block numbers as printed by
    `tamp-print-residual-blocks`) and `names=...` (the joins' ONNX node
    names) select blocks explicitly, without statistics. Asking for more
    blocks than the function has, for unknown indices or names, or for a
    count without statistics is an error that leaves the function as it
    was. Each removed block is reported as a remark at its join, with its
    statistics and the number of parameters removed.
  }];
  let options = [
    Option<"count", "count", "unsigned", /*default=*/"0",
           "How many blocks to remove, those that change their input least">,
    ListOption<"indices", "indices", "unsigned",
               "Remove these blocks (numbered in program order)">,
    ListOption<"names", "names", "std::string",
               "Remove the blocks whose joins have these ONNX node names">,
    Option<"rankBy", "rank-by", "std::string", /*default=*/"\"output_change\"",
           "Which statistic of tamp.block_calibration ranks blocks: "
           "output_change or relative_change">,
  ];
  let dependentDialects = ["::tamp::TampDialect"];
}

#endif // TAMP_DIALECT_TAMP_TRANSFORMS_PASSES_TD
