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

//===----------------------------------------------------------------------===//
// Structured pruning and reconstruction
//===----------------------------------------------------------------------===//

def PruneAnalysis : Pass<"tamp-prune-analysis", "mlir::ModuleOp"> {
  let summary = "Print the groups of channels that must be pruned together";
  let description = [{
    Prints, for every public function, the channel groups of the dependency
    analysis that `tamp-prune-channels` and `tamp-prune-heads` use: each
    convolution or linear layer with a constant weight (and each embedding
    table) produces channels; a group follows them through element-wise ops,
    BatchNorm, pooling, residual adds (tying layers together), concatenation,
    reshapes and flattening (a channel becomes H*W features; a split into
    heads makes a whole head the unit), transposes and the batch dimensions
    of attention matmuls, to the layers that reduce over them. For each group
    it prints the unit count (channels or heads), the producers (weights
    sliced along their output channels), consumers (input channels),
    parameters (BatchNorm statistics, broadcast constants, depthwise
    filters), and whether it can be pruned or what prevents it (a model
    output, a normalization over the channels, an op the analysis does not
    understand). The IR is unchanged.
  }];
}

defvar Tamp_GroupPruningOptions = [
  Option<"ratio", "ratio", "double", /*default=*/"0.0",
         "Fraction of each group's units to remove, in [0, 1)">,
  Option<"score", "score", "std::string", /*default=*/"\"l1\"",
         "Unit importance: l1 or l2 (weight magnitude over every layer the "
         "unit spans, normalised per layer), or activation (|W| times the "
         "input's mean |x| at the layers that reduce over it, as Wanda; needs "
         "tamp.calibration)">,
  Option<"minKeep", "min-keep", "double", /*default=*/"0.1",
         "Fraction of its units every group keeps (at least one)">,
  Option<"roundTo", "round-to", "int64_t", /*default=*/"1",
         "Each group keeps a multiple of this many units (rounded up), so "
         "that pruned layers stay multiples of the kernels' register blocks">,
  ListOption<"overrides", "overrides", "std::string",
             "REGEX=RATIO: groups whose first producer's ONNX node name "
             "matches REGEX lose RATIO of their units instead">,
];

def PruneChannels : Pass<"tamp-prune-channels", "mlir::func::FuncOp"> {
  let summary = "Remove the least important channels of convolution and "
                "linear layers";
  let description = [{
    Removes, in every prunable channel group of the dependency analysis
    (`tamp-prune-analysis`; attention-head groups are left to
    `tamp-prune-heads`), the units with the lowest importance score: the
    weights, biases, BatchNorm statistics, broadcast constants and reshape
    shapes the group spans all shrink, so the model is physically smaller
    and does fewer FLOPs. With `global`, the lowest-scoring units across all
    groups go (scores normalised by each group's mean), else `ratio` of
    each group's. Pruned layers record which original channels they kept in
    `tamp.kept_output_channels` / `tamp.kept_input_channels` (what
    `tamp-reconstruct`'s statistics are matched by). Calibration statistics
    are dropped: they describe the unpruned model.
  }];
  let options = !listconcat(Tamp_GroupPruningOptions, [
    Option<"global", "global", "bool", /*default=*/"false",
           "Rank units across all groups instead of per group">,
  ]);
  let statistics = [
    Statistic<"numRemoved", "removed-channels", "Channels removed">,
  ];
}

def PruneHeads : Pass<"tamp-prune-heads", "mlir::func::FuncOp"> {
  let summary = "Remove the least important attention heads";
  let description = [{
    Removes whole attention heads: the groups of the dependency analysis
    whose unit is a head (a reshape splits the projections' channels into
    [heads, head_size] and they reach the batch dimensions of the attention
    matmuls). The query, key and value projections lose the head's output
    channels, the output projection the matching input channels, and the
    reshapes their head count, consistently. Scores and options as
    `tamp-prune-channels`.
  }];
  let options = Tamp_GroupPruningOptions;
  let statistics = [
    Statistic<"numRemoved", "removed-heads", "Attention heads removed">,
  ];
}

def Reconstruct : Pass<"tamp-reconstruct", "mlir::func::FuncOp"> {
  let summary = "Re-fit layers to the original model's outputs by least "
                "squares";
  let description = [{
    For every `tamp.linear` and `tamp.conv` (group 1) carrying the
    `tamp.reconstruction` statistics, replaces its float weight and bias by
    the solution of the ridge regression

      min over W, b of |X' [W b]^T - Y|^2 + lambda |[W b]|^2

    where X' holds the rows the layer multiplies in the compressed model
    (linear inputs, convolution im2col patches) on calibration inputs, with
    a column of ones for the bias, and Y the original (teacher) model's
    output of the same layer on the same inputs, restricted to the channels
    the layer kept: layer-wise knowledge distillation. The statistics are
    `gram` = X'^T X' ((K+1) x (K+1)) and `cross` = X'^T Y ((K+1) x N), sums
    over `rows` rows; lambda is `damping` times the mean of the Gram
    diagonal. A layer whose weight has exact zeros in a sparse pattern
    (`preserve-zeros`) is re-fit row by row on its kept weights only. The
    statistics attribute is removed.
  }];
  let options = [
    Option<"damping", "damping", "double", /*default=*/"0.001",
           "Ridge strength relative to the mean diagonal of X'^T X'">,
    Option<"preserveZeros", "preserve-zeros", "bool", /*default=*/"true",
           "Keep exact zeros of a sparse weight at zero">,
  ];
  let statistics = [
    Statistic<"numReconstructed", "reconstructed-layers", "Layers re-fit">,
  ];
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

def Sparsify : Pass<"tamp-sparsify", "mlir::func::FuncOp"> {
  let summary = "N:M and unstructured weight sparsity, with compressed "
                "sparse weights where they are faster";
  let description = [{
    Zeroes the least important weights of every selected op that implements
    `PrunableChannelOpInterface` and `QuantizableOpInterface` and has a
    constant float weight (`tamp.linear`, `tamp.conv`,
    `tamp.conv_transpose`).

    **Pattern.** `pattern=N:M` (e.g. `2:4`) keeps the N most important of
    every M consecutive weights along the reduction dimension (for a
    convolution, along the input channels at each kernel position), so each
    output row keeps N/M of its weights; layers whose reduction size M does
    not divide stay dense (one remark). `pattern=unstructured` zeroes the
    fraction `ratio` of the weights.

    **Score.** `score=magnitude` ranks weights by `|w|`;
    `score=activation` by `|w_ij| * ||x_j||` as Wanda (Sun et al., 2023)
    does, with `||x_j||` the input's norm along reduction column j from
    `tamp.calibration` (docs/CALIBRATION.md): `sqrt(H_jj)` from the
    calibration Hessian's diagonal (`2/n sum x_j^2`) when there is one, else
    the `abs_mean` of operand 0. Unstructured magnitude sparsity compares
    all weights of a layer; unstructured activation-aware sparsity compares
    the weights of each output row (as Wanda). Ops without statistics fall
    back to magnitude (one remark).

    **Format.** Convolutions keep their dense (masked) weight. A
    `tamp.linear` becomes a `tamp.sparse_linear` whose weight is stored
    compressed (N:M: the kept values and their `i8` positions in their
    group; unstructured: ELL, each output's kept values and their columns
    as `i8`, `i16` or `i32`, by the number of inputs,
    padded to the fullest output's count) when `format=compressed`, or, with
    `format=auto`, when the measured cost rule says the compressed kernel is
    faster than the dense one: the input has static shape with at most
    `max-compressed-rows` rows (the product of its leading dimensions) and

    - N:M: M <= 8 and N/M <= 1/2 (2:4 stores 0.625x the dense bytes);
    - unstructured: the ELL form's own sparsity (one minus the fullest
      output's kept fraction) is at least `min-ell-sparsity`.

    The dense kernel is register-blocked over rows and reuses each weight
    for all of them; the compressed kernels stream the compressed weight
    once per row, so they win only for few rows (batch-1 fully connected
    layers, e.g. a classifier head or token-by-token decoding).
    `bench/bench_sparsity.py` measures the defaults (docs/UserGuide.md).
    `format=dense` only masks.

    Every sparsified op gets the attribute `tamp.sparsity = {pattern,
    score, sparsity, format}`: the pattern, the score used, the fraction of
    zero weights, and the storage (`dense`, `N:M` or `ell`), which the
    compression report shows. A dense sparse weight that a later pass
    quantizes keeps its zeros (zero is exact on every grid) but is stored
    dense.

    **Selection.** `ops` restricts the pass to the listed ops (names
    without the `tamp.` prefix); ops whose location names match the
    regular expression `keep-dense` are left alone, as `keep-float` does
    for quantization.
  }];
  let options = [
    Option<"pattern", "pattern", "std::string", "\"2:4\"",
           "N:M (keep N of every M weights along the reduction) or "
           "unstructured">,
    Option<"ratio", "ratio", "double", "0.5",
           "Unstructured: fraction of each layer's weights zeroed">,
    Option<"score", "score", "::tamp::SparsityScore",
           "::tamp::SparsityScore::Magnitude",
           "How weights are ranked",
           [{::llvm::cl::values(
             clEnumValN(::tamp::SparsityScore::Magnitude, "magnitude",
                        "|w|"),
             clEnumValN(::tamp::SparsityScore::Activation, "activation",
                        "|w| times the input channel's norm (Wanda)"))}]>,
    Option<"format", "format", "::tamp::SparseFormat",
           "::tamp::SparseFormat::Auto",
           "How sparse linear weights are stored",
           [{::llvm::cl::values(
             clEnumValN(::tamp::SparseFormat::Auto, "auto",
                        "compressed where the cost rule says it is faster"),
             clEnumValN(::tamp::SparseFormat::Dense, "dense",
                        "dense, with zeros"),
             clEnumValN(::tamp::SparseFormat::Compressed, "compressed",
                        "compressed for every linear layer"))}]>,
    Option<"maxCompressedRows", "max-compressed-rows", "int64_t", "1",
           "Auto format: most input rows of a compressed linear layer">,
    Option<"minEllSparsity", "min-ell-sparsity", "double", "0.9",
           "Auto format: least sparsity of an unstructured layer's ELL form">,
    ListOption<"ops", "ops", "std::string",
               "Sparsify only these ops (e.g. linear,conv); all if empty">,
    Option<"keepDense", "keep-dense", "std::string", "\"\"",
           "Leave ops whose location name matches this regex dense">,
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

    It counts the layers it moved onto integer kernels as `qdq_folded` in
    the function's `tamp.fusion` attribute (see the fusion passes).
  }];
  let statistics = [
    Statistic<"numFolded", "qdq-folded",
              "layers moved onto integer kernels">,
  ];
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

//===----------------------------------------------------------------------===//
// Fusion
//
// Every fusion pass adds what it fused to the function's `tamp.fusion`
// dictionary (counter name -> i64), which the compile report sums, and to
// its pass statistics. Constants are recognised by value, within a relative
// tolerance of 1e-5, never by name.
//===----------------------------------------------------------------------===//

def FoldBatchNorm : Pass<"tamp-fold-batchnorm", "mlir::func::FuncOp"> {
  let summary = "Fold inference batch normalisation into the preceding "
                "convolution or linear layer";
  let description = [{
    `tamp.batch_norm(tamp.conv(x, W, b))` with constant f32 weight, bias and
    normalisation parameters, where the convolution's result has no other
    use, becomes one convolution with

    ```
    s[c] = scale[c] / sqrt(var[c] + epsilon)
    W'[c, ...] = W[c, ...] * s[c]
    b'[c] = (b[c] - mean[c]) * s[c] + bias[c]
    ```

    (computed in double, stored as f32). The same holds for `tamp.linear`
    when the normalised dimension (1) is its output-feature dimension, that
    is for 2-D results. Convolutions with a fused activation, quantized ones
    and non-constant parameters are left alone.
  }];
  let statistics = [
    Statistic<"numFolded", "batchnorm-folded", "batch normalisations folded">,
  ];
  let dependentDialects = ["::tamp::TampDialect"];
}

def RecomposeLayerNorm : Pass<"tamp-recompose-layernorm", "mlir::func::FuncOp"> {
  let summary = "Recompose decomposed layer normalisation into tamp.layer_norm";
  let description = [{
    Matches the form exporters write for LayerNorm before opset 17:

    ```
    mean = reduce_mean(x, axes)            // keepdims, the last axes
    d = x - mean
    var = reduce_mean(pow(d, 2) | d * d, axes)
    n = d / sqrt(var + eps) | d * reciprocal(sqrt(var + eps))
    y = n * gamma + beta                   // both optional
    ```

    and replaces it with `tamp.layer_norm(x, gamma, beta)` over the same
    trailing axes (gamma defaults to ones). The exponent must be 2 and eps
    a positive scalar constant; every intermediate value must have no other
    use; gamma and beta must broadcast to the normalised dimensions.
  }];
  let statistics = [
    Statistic<"numRecomposed", "layernorm-recomposed",
              "layer normalisations recomposed">,
  ];
  let dependentDialects = ["::tamp::TampDialect"];
}

def RecomposeGelu : Pass<"tamp-recompose-gelu", "mlir::func::FuncOp"> {
  let summary = "Recompose decomposed GELU into tamp.gelu";
  let description = [{
    The exact form `x * 0.5 * (1 + erf(x / sqrt(2)))` (the erf argument
    also as `x * (1 / sqrt(2))`; the factors x, 0.5 and `1 + erf(...)` in
    any order and association) becomes `tamp.gelu(x)`; the tanh
    approximation `x * 0.5 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))`
    (the cube as `pow(x, 3)` or products) becomes `tamp.gelu(x)
    {approximate = tanh}`. Intermediate values must have no other use.
  }];
  let statistics = [
    Statistic<"numRecomposed", "gelu-recomposed", "GELUs recomposed">,
  ];
  let dependentDialects = ["::tamp::TampDialect"];
}

def RecomposeSilu : Pass<"tamp-recompose-silu", "mlir::func::FuncOp"> {
  let summary = "Recompose x * sigmoid(x) into tamp.silu";
  let description = [{
    `tamp.mul(x, tamp.sigmoid(x))`, in either operand order, where the
    sigmoid has no other use, becomes `tamp.silu(x)`.
  }];
  let statistics = [
    Statistic<"numRecomposed", "silu-recomposed", "SiLUs recomposed">,
  ];
  let dependentDialects = ["::tamp::TampDialect"];
}

def RecomposeAttention : Pass<"tamp-recompose-attention", "mlir::func::FuncOp"> {
  let summary = "Recompose scaled dot-product attention into tamp.attention";
  let description = [{
    Matches

    ```
    s = matmul(q, kt)                  // kt = [..., D, Sk]
    s = s * c | c * s | s / c          // optional; or q = q0 * c | q0 / c
    s = s + mask | mask + s            // optional
    p = softmax(s, axis = -1)
    o = matmul(p, v)
    ```

    with float operands of one rank and a scalar constant `c`, and replaces
    it with `tamp.attention(q, k, v, mask) {scale}`. The key is `kt` with
    its last two dimensions swapped: when `kt` is a `tamp.transpose`, the
    two permutations compose into one (none when they cancel), so the
    exporter's transpose of K is absorbed. Every intermediate value must
    have no other use. Quantized matmuls do not match.
  }];
  let statistics = [
    Statistic<"numRecomposed", "attention-recomposed",
              "attention blocks recomposed">,
  ];
  let dependentDialects = ["::tamp::TampDialect"];
}

def FuseBias : Pass<"tamp-fuse-bias", "mlir::func::FuncOp"> {
  let summary = "Fold a constant per-channel addition into the bias of the "
                "preceding convolution or linear layer";
  let description = [{
    `tamp.add(tamp.linear(x, W), b)` (either operand order) with a constant
    f32 `b` that is constant along every dimension but the output-feature
    one (`[N]`, `[1, ..., N]`, a scalar) becomes `tamp.linear(x, W, b)`;
    likewise for `tamp.conv` with `b` varying only along the channel
    dimension (`[M, 1, 1]`, `[1, M, 1, 1]`). An existing constant bias is
    added to. The layer's result must have no other use and no activation;
    quantized layers are left alone.
  }];
  let statistics = [
    Statistic<"numFused", "bias-fused", "bias additions fused">,
  ];
  let dependentDialects = ["::tamp::TampDialect"];
}

def FuseActivation : Pass<"tamp-fuse-activation", "mlir::func::FuncOp"> {
  let summary = "Fold activations into the epilogue of the preceding "
                "convolution or linear layer";
  let description = [{
    A float `tamp.clamp` (ReLU, ReLU6, any bounds), `tamp.gelu`,
    `tamp.sigmoid`, `tamp.silu`, `tamp.hard_swish` or `tamp.tanh` whose
    input is the result of a float `tamp.conv` or `tamp.linear` without an
    activation and with no other use becomes that layer's `activation`
    attribute: the lowering applies it to each output block before it is
    stored. Quantized layers keep their integer epilogue and are left
    alone; run this after quantization.
  }];
  let statistics = [
    Statistic<"numFused", "activation-fused", "activations fused">,
  ];
  let dependentDialects = ["::tamp::TampDialect"];
}

def FoldTransposeReshape
    : Pass<"tamp-fold-transpose-reshape", "mlir::func::FuncOp"> {
  let summary = "Fold chains of transposes and of reshapes";
  let description = [{
    Applies the canonicalization patterns of the data-movement ops and
    nothing else: a transpose of a transpose is one transpose (none when the
    permutations cancel); a chain of `tamp.reshape`, `tamp.flatten`,
    `tamp.squeeze` and `tamp.unsqueeze` with a static result is one
    `tamp.reshape` (none when the shape comes back to the input's); identity
    transposes and reshapes fold away. Counts the transposes and reshapes
    removed.
  }];
  let statistics = [
    Statistic<"numTransposes", "transposes-folded", "transposes removed">,
    Statistic<"numReshapes", "reshapes-folded", "reshapes removed">,
  ];
  let dependentDialects = ["::tamp::TampDialect"];
}

#endif // TAMP_DIALECT_TAMP_TRANSFORMS_PASSES_TD
