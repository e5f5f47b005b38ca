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
