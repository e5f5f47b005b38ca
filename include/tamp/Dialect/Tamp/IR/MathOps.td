//===- MathOps.td - Element-wise math, reductions, matmul --*- tablegen -*-===//

#ifndef TAMP_DIALECT_TAMP_IR_MATHOPS_TD
#define TAMP_DIALECT_TAMP_IR_MATHOPS_TD

include "tamp/Dialect/Tamp/IR/TampBase.td"

//===----------------------------------------------------------------------===//
// Unary element-wise
//===----------------------------------------------------------------------===//

def Tamp_AbsOp : Tamp_UnaryOp<"abs", "absolute value">;
def Tamp_NegOp : Tamp_UnaryOp<"neg", "negation"> {
  let hasFolder = 1;
}
def Tamp_SqrtOp : Tamp_UnaryOp<"sqrt", "square root", Tamp_FloatTensor>;
def Tamp_ExpOp : Tamp_UnaryOp<"exp", "natural exponential", Tamp_FloatTensor>;
def Tamp_LogOp : Tamp_UnaryOp<"log", "natural logarithm", Tamp_FloatTensor>;
def Tamp_ReciprocalOp : Tamp_UnaryOp<"reciprocal", "1 / x", Tamp_FloatTensor>;
def Tamp_ErfOp : Tamp_UnaryOp<"erf", "Gauss error function", Tamp_FloatTensor>;
def Tamp_FloorOp : Tamp_UnaryOp<"floor", "round towards -inf", Tamp_FloatTensor>;
def Tamp_CeilOp : Tamp_UnaryOp<"ceil", "round towards +inf", Tamp_FloatTensor>;
def Tamp_RoundOp : Tamp_UnaryOp<"round",
    "round to nearest, ties to even", Tamp_FloatTensor>;
def Tamp_SinOp : Tamp_UnaryOp<"sin", "sine", Tamp_FloatTensor>;
def Tamp_CosOp : Tamp_UnaryOp<"cos", "cosine", Tamp_FloatTensor>;
def Tamp_TanhOp : Tamp_UnaryOp<"tanh", "hyperbolic tangent", Tamp_FloatTensor>;
def Tamp_TanOp : Tamp_UnaryOp<"tan", "tangent", Tamp_FloatTensor>;
def Tamp_AcosOp : Tamp_UnaryOp<"acos", "arc cosine", Tamp_FloatTensor>;
def Tamp_AsinOp : Tamp_UnaryOp<"asin", "arc sine", Tamp_FloatTensor>;
def Tamp_AtanOp : Tamp_UnaryOp<"atan", "arc tangent", Tamp_FloatTensor>;
def Tamp_SinhOp : Tamp_UnaryOp<"sinh", "hyperbolic sine", Tamp_FloatTensor>;
def Tamp_CoshOp : Tamp_UnaryOp<"cosh", "hyperbolic cosine", Tamp_FloatTensor>;
def Tamp_AsinhOp : Tamp_UnaryOp<"asinh", "inverse hyperbolic sine", Tamp_FloatTensor>;
def Tamp_AcoshOp : Tamp_UnaryOp<"acosh", "inverse hyperbolic cosine", Tamp_FloatTensor>;
def Tamp_AtanhOp : Tamp_UnaryOp<"atanh", "inverse hyperbolic tangent", Tamp_FloatTensor>;
def Tamp_SigmoidOp : Tamp_UnaryOp<"sigmoid", "1 / (1 + exp(-x))", Tamp_FloatTensor>;
def Tamp_SiluOp : Tamp_UnaryOp<"silu",
    "x * sigmoid(x) (SiLU, Swish with beta = 1)", Tamp_FloatTensor>;
def Tamp_SoftplusOp : Tamp_UnaryOp<"softplus", "log(1 + exp(x))", Tamp_FloatTensor>;
def Tamp_MishOp : Tamp_UnaryOp<"mish", "x * tanh(softplus(x))", Tamp_FloatTensor>;
def Tamp_HardSwishOp : Tamp_UnaryOp<"hard_swish",
    "x * max(0, min(1, x / 6 + 1 / 2))", Tamp_FloatTensor>;
def Tamp_NotOp : Tamp_UnaryOp<"not", "bitwise negation (logical on i1)",
    Tamp_IntegerTensor>;

//===----------------------------------------------------------------------===//
// Parametrised activations
//===----------------------------------------------------------------------===//

def Tamp_ClampOp : Tamp_Op<"clamp", [Elementwise]> {
  let summary = "clamp to [min, max]; ReLU is clamp with min = 0";
  let description = [{
    `min(max(x, min), max)` with either bound optional. ONNX `Relu` imports
    as `clamp {min = 0}` and `Clip` with constant bounds as `clamp` with those
    bounds, so fusion passes recognise ReLU/ReLU6 epilogues in one place.
    On a per-tensor quantized input the bounds are real values: the clamp
    happens in the integer domain at the bounds' quantized values.
  }];
  let arguments = (ins Tamp_NumericOrQuantizedTensor:$input,
                   OptionalAttr<F64Attr>:$min, OptionalAttr<F64Attr>:$max);
  let results = (outs Tamp_NumericOrQuantizedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

class Tamp_FloatActivationOp<string mnemonic, string summaryText, dag attrs>
    : Tamp_Op<mnemonic, [Elementwise]> {
  let summary = summaryText;
  let arguments = !con((ins Tamp_FloatTensor:$input), attrs);
  let results = (outs Tamp_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let extraClassDefinition = commonCompatibleTypes # [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(::mlir::MLIRContext *,
        std::optional<::mlir::Location>, Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      types.push_back(adaptor.getInput().getType());
      return ::mlir::success();
    }
  }];
}

def Tamp_LeakyReluOp : Tamp_FloatActivationOp<"leaky_relu",
    "x if x >= 0 else alpha * x", (ins F32Attr:$alpha)>;
def Tamp_EluOp : Tamp_FloatActivationOp<"elu",
    "x if x > 0 else alpha * (exp(x) - 1)", (ins F32Attr:$alpha)>;
def Tamp_SeluOp : Tamp_FloatActivationOp<"selu",
    "gamma * (x if x > 0 else alpha * (exp(x) - 1))",
    (ins F32Attr:$alpha, F32Attr:$gamma)>;
def Tamp_HardSigmoidOp : Tamp_FloatActivationOp<"hard_sigmoid",
    "max(0, min(1, alpha * x + beta))", (ins F32Attr:$alpha, F32Attr:$beta)>;
def Tamp_GeluOp : Tamp_FloatActivationOp<"gelu",
    "Gaussian error linear unit, exact (erf) or tanh-approximated",
    (ins DefaultValuedAttr<Tamp_GeluApproximationAttr,
                           "::tamp::GeluApproximation::none">:$approximate)>;

def Tamp_PReluOp : Tamp_Op<"prelu"> {
  let summary = "x if x >= 0 else slope * x, slope broadcast to x";
  let arguments = (ins Tamp_FloatTensor:$input, Tamp_FloatTensor:$slope);
  let results = (outs Tamp_FloatTensor:$output);
  let assemblyFormat = "$input `,` $slope attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Binary element-wise with broadcasting
//===----------------------------------------------------------------------===//

def Tamp_AddOp : Tamp_BroadcastBinaryOp<"add", "addition", Tamp_NumericTensor, 0, [Commutative]> {
  let hasFolder = 1;
}
def Tamp_SubOp : Tamp_BroadcastBinaryOp<"sub", "subtraction"> {
  let hasFolder = 1;
}
def Tamp_MulOp : Tamp_BroadcastBinaryOp<"mul", "multiplication", Tamp_NumericTensor, 0, [Commutative]> {
  let hasFolder = 1;
}
def Tamp_DivOp : Tamp_BroadcastBinaryOp<"div",
    "division (integer division truncates towards zero)"> {
  let hasFolder = 1;
}
def Tamp_PowOp : Tamp_BroadcastBinaryOp<"pow", "lhs raised to the power rhs">;
def Tamp_MinOp : Tamp_BroadcastBinaryOp<"min", "element-wise minimum", Tamp_NumericTensor, 0, [Commutative]> {
  let hasFolder = 1;
}
def Tamp_MaxOp : Tamp_BroadcastBinaryOp<"max", "element-wise maximum", Tamp_NumericTensor, 0, [Commutative]> {
  let hasFolder = 1;
}
def Tamp_AndOp : Tamp_BroadcastBinaryOp<"and",
    "bitwise and (logical and on i1)", Tamp_IntegerTensor, 0, [Commutative]>;
def Tamp_OrOp : Tamp_BroadcastBinaryOp<"or",
    "bitwise or (logical or on i1)", Tamp_IntegerTensor, 0, [Commutative]>;
def Tamp_XorOp : Tamp_BroadcastBinaryOp<"xor",
    "bitwise exclusive or (logical on i1)", Tamp_IntegerTensor, 0, [Commutative]>;
def Tamp_ShiftLeftOp : Tamp_BroadcastBinaryOp<"shift_left",
    "lhs shifted left by rhs bits; 0 where rhs is at least the bit width",
    Tamp_IntegerTensor>;
def Tamp_ShiftRightOp : Tamp_BroadcastBinaryOp<"shift_right",
    "lhs shifted right by rhs bits, logically for unsigned and arithmetically "
    "for signed types; shifts of at least the bit width shift out every bit",
    Tamp_IntegerTensor>;
def Tamp_EqualOp : Tamp_BroadcastBinaryOp<"equal", "lhs == rhs", Tamp_TensorOrString, 1, [Commutative]>;
def Tamp_LessOp : Tamp_BroadcastBinaryOp<"less", "lhs < rhs", Tamp_NumericTensor, 1>;
def Tamp_LessEqualOp : Tamp_BroadcastBinaryOp<"less_equal", "lhs <= rhs", Tamp_NumericTensor, 1>;
def Tamp_GreaterOp : Tamp_BroadcastBinaryOp<"greater", "lhs > rhs", Tamp_NumericTensor, 1>;
def Tamp_GreaterEqualOp : Tamp_BroadcastBinaryOp<"greater_equal", "lhs >= rhs", Tamp_NumericTensor, 1>;

def Tamp_ModOp : Tamp_Op<"mod", [SameOperandsElementType]> {
  let summary = "remainder, with the divisor's sign (fmod = false) or the dividend's";
  let description = [{
    Without `fmod` the result has the sign of the divisor (Python's and
    numpy's `%`, for integers and floats); with `fmod` it has the sign of the
    dividend (C's `fmod`). Broadcasts like the other binary ops.
  }];
  let arguments = (ins Tamp_NumericTensor:$lhs, Tamp_NumericTensor:$rhs,
                   DefaultValuedAttr<BoolAttr, "false">:$fmod);
  let results = (outs Tamp_NumericTensor:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

def Tamp_WhereOp : Tamp_Op<"where"> {
  let summary = "select lhs where condition is true, rhs elsewhere (broadcasting)";
  let arguments = (ins Tamp_BoolTensor:$condition, Tamp_Tensor:$lhs, Tamp_Tensor:$rhs);
  let results = (outs Tamp_Tensor:$output);
  let assemblyFormat = "$condition `,` $lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

def Tamp_ReduceSumOp : Tamp_ReduceOp<"reduce_sum", "sum">;
def Tamp_ReduceMeanOp : Tamp_ReduceOp<"reduce_mean", "arithmetic mean">;
def Tamp_ReduceMaxOp : Tamp_ReduceOp<"reduce_max", "maximum">;
def Tamp_ReduceMinOp : Tamp_ReduceOp<"reduce_min", "minimum">;
def Tamp_ReduceProdOp : Tamp_ReduceOp<"reduce_prod", "product">;
def Tamp_ReduceL1Op : Tamp_ReduceOp<"reduce_l1", "sum of absolute values">;
def Tamp_ReduceL2Op : Tamp_ReduceOp<"reduce_l2", "Euclidean norm">;
def Tamp_ReduceSumSquareOp : Tamp_ReduceOp<"reduce_sum_square", "sum of squares">;
def Tamp_ReduceLogSumOp : Tamp_ReduceOp<"reduce_log_sum", "log of the sum">;
def Tamp_ReduceLogSumExpOp : Tamp_ReduceOp<"reduce_log_sum_exp",
    "log of the sum of exponentials, computed stably">;

class Tamp_ArgReduceOp<string mnemonic, string summaryText>
    : Tamp_Op<mnemonic> {
  let summary = summaryText;
  let arguments = (ins Tamp_NumericTensor:$input, I64Attr:$axis,
                   DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                   DefaultValuedAttr<BoolAttr, "false">:$select_last_index);
  let results = (outs Tamp_I64Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}
def Tamp_ArgMaxOp : Tamp_ArgReduceOp<"argmax", "index of the maximum along axis">;
def Tamp_ArgMinOp : Tamp_ArgReduceOp<"argmin", "index of the minimum along axis">;

def Tamp_CumSumOp : Tamp_Op<"cumsum"> {
  let summary = "cumulative sum along an axis";
  let arguments = (ins Tamp_NumericTensor:$input, I64Attr:$axis,
                   DefaultValuedAttr<BoolAttr, "false">:$exclusive,
                   DefaultValuedAttr<BoolAttr, "false">:$reverse);
  let results = (outs Tamp_NumericTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

class Tamp_SoftmaxBaseOp<string mnemonic, string summaryText>
    : Tamp_Op<mnemonic> {
  let summary = summaryText;
  let description = [{
    Normalises along the single dimension `axis` (ONNX opset >= 13
    semantics; the importer rewrites older opsets' flatten-to-2-D form).
  }];
  let arguments = (ins Tamp_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Tamp_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}
def Tamp_SoftmaxOp : Tamp_SoftmaxBaseOp<"softmax", "exp(x) / sum(exp(x)) along axis">;
def Tamp_LogSoftmaxOp : Tamp_SoftmaxBaseOp<"log_softmax", "log of softmax along axis">;

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

def Tamp_MatMulOp : Tamp_Op<"matmul", [
    DeclareOpInterfaceMethods<Tamp_QuantizableOpInterface>]> {
  let summary = "matrix product with numpy semantics";
  let description = [{
    `numpy.matmul`: the last two dimensions multiply, leading (batch)
    dimensions broadcast, and a 1-D operand is promoted to a matrix whose
    added dimension is removed from the result. Both operands are
    activations; layers with a constant weight are `tamp.linear`.

    Quantized: both operands `!quant.uniform` per tensor (8-bit storage,
    asymmetric allowed); the result is requantized per tensor or float.
  }];
  let arguments = (ins Tamp_NumericOrQuantizedTensor:$lhs,
                   Tamp_NumericOrQuantizedTensor:$rhs);
  let results = (outs Tamp_NumericOrQuantizedTensor:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let extraClassDefinition = quantizedResultCompatibleTypes;
}

def Tamp_LinearOp : Tamp_Op<"linear", [
    DeclareOpInterfaceMethods<Tamp_QuantizableOpInterface>,
    DeclareOpInterfaceMethods<Tamp_PrunableChannelOpInterface>]> {
  let summary = "fully connected layer: input x weight^T + bias";
  let description = [{
    `output[..., n] = sum_k input[..., k] * weight[n, k] + bias[n]`.

    The weight is laid out `[out_features, in_features]` whatever the ONNX
    source (`MatMul` with a constant right-hand side, `Gemm` with or without
    `transB`, `MatMulNBits`), so quantization and pruning passes see one
    layout: output channels along dimension 0, the reduction along 1.

    Quantized: as `tamp.conv` (input per tensor, weight signed 8-bit per
    tensor or per output channel along dimension 0, bias i32, result
    requantized or float).

    `activation` is the epilogue, as for `tamp.conv` (float only).
  }];
  let arguments = !con((ins Tamp_FloatOrQuantizedTensor:$input,
                            Tamp_FloatOrQuantizedTensor:$weight,
                            Optional<Tamp_BiasTensor>:$bias),
                       Tamp_EpilogueAttrs);
  let results = (outs Tamp_FloatOrQuantizedTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDefinition = quantizedResultCompatibleTypes;
}

def Tamp_SparseLinearOp : Tamp_Op<"sparse_linear", [
    DeclareOpInterfaceMethods<Tamp_QuantizableOpInterface>]> {
  let summary = "fully connected layer with a compressed sparse weight";
  let description = [{
    A `tamp.linear` whose weight `W[N, K]` is stored compressed: the input
    features are split into `G = K / group_size` groups of `group_size`
    consecutive features, and each output feature keeps `S` weights per
    group, given by their values and their positions in the group:

    `output[..., o] = bias[o] + sum_{g < G} sum_{s < S} values[g, s, o] *
       input[..., g * group_size + indices[g, s, o]]`.

    `values` and `indices` are `[G, S, N]`, output features innermost, so
    that the kernel updates consecutive outputs from consecutive values.
    `tamp-sparsify` produces two forms:

    - **N:M** (`S = N`, `group_size = M <= 8`, e.g. 2:4 with `i8` indices):
      the kernel selects each kept weight's input among the group's `M`
      inputs, without gathers;
    - **ELL** (one group, `group_size = K`, `S` = the most weights any
      output keeps, shorter rows padded with zero values at index 0): the
      kernel gathers the inputs, for highly sparse unstructured weights.

    Indices must lie in `[0, group_size)`; constant dense indices are
    checked. The op implements `QuantizableOpInterface` without a weight
    operand, so that calibration observes it and the compression report
    pairs it with the dense layer it replaced; no pass quantizes it.

    ```mlir
    %y = tamp.sparse_linear %x, %values, %indices, %bias {group_size = 4 : i64}
        : (tensor<1x768xf32>, tensor<192x2x3072xf32>, tensor<192x2x3072xi8>,
           tensor<3072xf32>) -> tensor<1x3072xf32>
    ```
  }];
  let arguments = (ins Tamp_FloatTensor:$input, Tamp_FloatTensor:$values,
                   RankedTensorOf<[I8, I16, I32]>:$indices,
                   Optional<Tamp_FloatTensor>:$bias,
                   ConfinedAttr<I64Attr, [IntPositive]>:$group_size);
  let results = (outs Tamp_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $values `,` $indices (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Weights kept per group and output feature (S).
    int64_t getKeptPerGroup() { return getValues().getType().getDimSize(1); }
    /// Output features (N).
    int64_t getOutputFeatures() { return getValues().getType().getDimSize(2); }
    /// Input features (K = G * group_size).
    int64_t getInputFeatures() {
      return getValues().getType().getDimSize(0) * getGroupSize();
    }
  }];
}

def Tamp_EinsumOp : Tamp_Op<"einsum"> {
  let summary = "Einstein summation over one or more operands";
  let description = [{
    `equation` is an explicit ONNX/numpy einsum equation such as
    `bij,bjk->bik`; the importer makes implicit outputs explicit and expands
    ellipses, so every label is a single lower- or upper-case letter.
  }];
  let arguments = (ins Variadic<Tamp_NumericTensor>:$inputs, StrAttr:$equation);
  let results = (outs Tamp_NumericTensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
}

#endif // TAMP_DIALECT_TAMP_IR_MATHOPS_TD
