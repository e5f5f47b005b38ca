//===- Passes.td - CPU target passes ------------------------*- tablegen -*-===//
//
// The passes that take linalg-on-tensors IR to LLVM-dialect IR following the
// compiled-model ABI (include/tamp/Runtime/tamp_model_abi.h).
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_TARGET_CPU_PASSES_TD
#define TAMP_TARGET_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def RecordModelSignature
    : Pass<"tamp-cpu-record-model-signature", "mlir::ModuleOp"> {
  let summary = "Record the entry function's signature for the model ABI";
  let description = [{
    Finds the model's entry function (the `entry` option, or the module's
    only public function) and stores what the model descriptor needs in the
    module attribute `tamp.model`: the model name, the entry symbol, every
    input and output with its ONNX name (`tamp.name` argument/result
    attributes), ONNX data type and shape (-1 for dynamic sizes), and the
    bytes of constant weights.

    Run it before `tamp-convert-to-linalg` to keep signedness: `ui8` records
    as UINT8, while a signless `i8` (all that is left after the lowering)
    records as INT8. When `tamp.model` is already present the pass leaves it
    alone, so the CPU pipeline can run it unconditionally.

    The entry function is marked `llvm.emit_c_interface`; the model ABI calls
    it through that interface.
  }];
  let options = [
    Option<"modelName", "model-name", "std::string", /*default=*/"",
           "Model name (a C identifier); defaults to the entry function's">,
    Option<"entry", "entry", "std::string", /*default=*/"",
           "Entry function; defaults to the module's only public function">,
  ];
}

def ConvertConvToMatmul
    : Pass<"tamp-cpu-convert-conv-to-matmul", "mlir::func::FuncOp"> {
  let summary = "Rewrite 2-D convolutions as per-image matmuls (im2col)";
  let description = [{
    Each `linalg.conv_2d_nchw_fchw` on float tensors (or i8 operands into
    i32) with a static filter [F, C, Kh, Kw] becomes a loop over the batch
    whose body copies the
    image's patches into a [C*Kh*Kw, Oh*Ow] matrix (a `linalg.generic` with
    the convolution's strided input map; for 1x1 filters with unit strides
    the image itself, collapsed to [C, H*W]) and accumulates
    `linalg.matmul(filter [F, C*Kh*Kw], patches)` into the image's output
    [F, Oh*Ow]. `tamp-cpu-vectorize-matmul` then turns the matmuls into
    register-blocked vector code. The sums are the convolution's, taken
    in (c, kh, kw) order.
  }];
  let dependentDialects = [
    "mlir::linalg::LinalgDialect",
    "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect",
  ];
}

def FuseElementwise : Pass<"tamp-cpu-fuse-elementwise", "mlir::func::FuncOp"> {
  let summary = "Fuse element-wise producers into consumers that read each "
                "of their elements once";
  let description = [{
    Upstream's element-wise fusion (`linalg-fuse-elementwise-ops`) fuses an
    element-wise producer into any `linalg.generic` consumer, contractions
    included. When the consumer reads a producer element more than once (the
    left operand of a matmul-shaped generic is read once per output column),
    the fused producer is recomputed every time: a GELU fused into the FFN
    contraction of a transformer evaluates `erf` hundreds of times per
    element. This pass applies the same fusion patterns, but only when the
    consumer reads the producer's result through a permutation of all its
    loops, so that every producer element is computed exactly once: chains
    of element-wise ops, and reductions over an element-wise expression
    (sums of squares, softmax denominators), still fuse.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

def PackMatmulWeights
    : Pass<"tamp-cpu-pack-matmul-weights", "mlir::func::FuncOp"> {
  let summary = "Store constant matmul weights in the layout the vectorized "
                "kernel reads";
  let description = [{
    `tamp.linear` keeps its weight as [out, in] (the ONNX/PyTorch layout), so
    it lowers to a `linalg.matmul` whose right operand is read transposed.
    The register-blocked matmul kernel loads rows of the right operand as
    vectors, so a transposed read would be a strided gather per element.
    When that operand is a constant, this pass transposes its data once at
    compile time (inline or `dense_resource` constants alike) and rewrites
    the matmul to the plain [M, K] x [K, N] form.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::linalg::LinalgDialect"];
}

def VectorizeMatmul : Pass<"tamp-cpu-vectorize-matmul", "mlir::func::FuncOp"> {
  let summary = "Register-blocked vector code for f32 matmuls";
  let description = [{
    Rewrites each `linalg.matmul` and `linalg.batch_matmul` on f32 tensors
    (default indexing maps, static reduction and column sizes) into loops
    over MR x NR blocks of the result whose accumulators stay in vector
    registers across the K loop: per k, a column of MR values of A and a
    row of NR values of B meet in a `vector.outerproduct` (MR fused
    multiply-adds of NR lanes). NR is a multiple of the target's vector
    length dividing the column count and MR up to 8 rows, so that the block
    uses half of the registers; a dynamic row count takes 8-row blocks and
    single rows for the remainder. Ops without a fitting NR are left to
    `tamp-cpu-interchange-loops`. Every sum is computed in the same order
    as the scalar loops.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", /*default=*/"512",
           "Width of the target's vector registers in bits">,
  ];
  let dependentDialects = [
    "mlir::scf::SCFDialect",
    "mlir::vector::VectorDialect",
  ];
}

def VectorizeIntegerMatmul
    : Pass<"tamp-cpu-vectorize-integer-matmul", "mlir::func::FuncOp"> {
  let summary = "Register-blocked i8 x i8 -> i32 matmuls (AVX512-VNNI or "
                "portable vector code)";
  let description = [{
    Rewrites each `linalg.matmul` and `linalg.batch_matmul` (default maps,
    one kernel per batch) of i8 operands into i32 with static reduction and
    column sizes into loops over blocks of up to 4 rows x 64 columns of the
    result, whose i32 accumulators stay in registers across K and are
    updated by `vpdpbusd` (through `llvm.call_intrinsic`): per step of four
    k, one 64-byte vector per 16 columns of the right operand, its four k
    values per column interleaved, meets four bytes of each row of the left
    operand broadcast to all lanes. A constant operand (a quantized weight,
    or a convolution's filter after `tamp-cpu-convert-conv-to-matmul`) is
    laid out at compile time; the others are copied once at run time (K
    padded to a multiple of 4; the right operand interleaved). `vpdpbusd`
    takes one operand unsigned: those bytes are flipped (q + 128), and
    `128 * sum` of the other operand, a constant or a run-time row sum, is
    subtracted from the accumulators. Integer sums are exact, so results
    equal the scalar loops'. With `dot-product=generic` (targets without
    AVX512-VNNI) each `vpdpbusd` is the same arithmetic in portable vector
    ops (widen, multiply, add groups of four).
  }];
  let options = [
    Option<"dotProduct", "dot-product", "std::string",
           /*default=*/"\"avx512-vnni\"",
           "How groups of four byte products accumulate: avx512-vnni "
           "(vpdpbusd; the target must have it) or generic (vector "
           "arithmetic any target lowers)">,
  ];
  let dependentDialects = [
    "mlir::LLVM::LLVMDialect",
    "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect",
    "mlir::vector::VectorDialect",
  ];
}

def ReassociateReductions
    : Pass<"tamp-cpu-reassociate-reductions", "mlir::func::FuncOp"> {
  let summary = "Let floating-point reductions be reassociated";
  let description = [{
    A reduction along a contiguous dimension (softmax and normalization
    statistics, pooling) is a serial chain of floating-point adds, which
    LLVM vectorizes only when it may reassociate them. This pass adds the
    `reassoc` fast-math flag to the combiner of every `linalg.generic` and
    `linalg.reduce` with reduction iterators (an `arith.addf`, `mulf`,
    `maximumf`, `minimumf`, `maxnumf` or `minnumf` that folds the yielded
    value into the accumulator), so the sum is computed in vector lanes and
    combined at the end, as onnxruntime does. Maximum and minimum are exact
    in any order; sums change by rounding only.
  }];
}

def InterchangeLoops
    : Pass<"tamp-cpu-interchange-loops", "mlir::func::FuncOp"> {
  let summary = "Order contraction loops so the innermost one is parallel "
                "and contiguous";
  let description = [{
    Linalg ops with reductions (matmul, batch_matmul, convolutions) iterate
    their reduction dimensions last, so the innermost loop is a serial
    reduction over strided memory that LLVM's loop vectorizer cannot
    vectorize without reassociating floating-point sums. This pass permutes
    the iteration space (generalizing named ops) so that the loop indexing
    the output's last dimension comes last: then the innermost loop updates
    consecutive outputs independently and vectorizes to the target's vector
    width without changing the order of any sum.

    An op is left alone when one of its inputs uses that dimension anywhere
    but in its last index (the innermost loop would then stride through
    memory, as in a reduction along the last axis of a row-major tensor).
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def ApproximateMath : Pass<"tamp-cpu-approximate-math", "mlir::ModuleOp"> {
  let summary = "Vectorizable polynomial forms of erf, exp and tanh (f32)";
  let description = [{
    A call of libm's `erff`, `expf` or `tanhf` in a loop keeps LLVM from
    vectorizing it: GELU, softmax and sigmoid then run one element at a time
    and dominate models whose contractions are fast (a quarter of an int8
    BERT encoder's time was `erff`). This pass rewrites the f32 `math.erf`,
    `math.exp` and `math.tanh` ops into MLIR's polynomial approximations
    (`populateMathPolynomialApproximationPatterns`), plain arithmetic that
    vectorizes, with relative errors of a few ulp (exp, tanh) and about 1e-7
    absolute (erf): within the 1e-4 relative bound that compiled models keep
    against onnxruntime. The approximations' f32 `math.fma` and
    `math.absf` become LLVM's intrinsics (the libm lowering would make them
    calls again). Other element types and functions keep their libm calls.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::vector::VectorDialect",
                           "mlir::LLVM::LLVMDialect"];
}

def LowerMemRefCopy : Pass<"tamp-cpu-lower-memref-copy", "mlir::func::FuncOp"> {
  let summary = "Rewrite memref.copy as linalg.copy";
  let description = [{
    Bufferization copies into strided views (the interior of a padded
    tensor, one image of a batch) with `memref.copy`, whose LLVM lowering
    calls `memrefCopy` from MLIR's C runner utilities, a library that
    compiled models do not link. This pass rewrites each copy of ranked
    memrefs as `linalg.copy`, which becomes loops like every other linalg
    op; a copy whose source is its target is erased.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def ExpandNarrowFloats : Pass<"tamp-cpu-expand-narrow-floats"> {
  let summary = "Expand conversions to and from floats LLVM has no type for";
  let description = [{
    LLVM has no 8-, 6- or 4-bit float types: MLIR's LLVM type converter
    stores them as integers of the same width, and `arith.extf` and
    `arith.truncf` on them have no LLVM lowering. This pass rewrites every
    `arith.extf` and `arith.truncf` (scalar or vector) whose source or
    result is such a float into integer arithmetic on the bits, with
    `arith.bitcast` at both ends, and scalar or vector `arith.constant`s of
    such floats into integer constants bitcast to the float type.

    The expansion is generic over the format: exponent and mantissa widths,
    bias, and which of infinities, NaNs and a negative zero exist come from
    the type's `llvm::fltSemantics`. It computes what `llvm::APFloat`
    computes: `extf` is exact; `truncf` rounds to nearest, ties to even,
    with subnormals, and a value beyond the largest finite one (after
    rounding) or an infinity becomes an infinity where the format has one,
    a NaN where it only has NaNs, and the largest finite value (with the
    sign) in formats without either (`f4E2M1FN`); NaNs become the format's
    NaN, or +0 where it has none; -0 becomes +0 in formats whose only zero
    is unsigned (the `FNUZ` ones). `f16` and `bf16` go through `f32`
    (exactly); `f64` is rounded in 64-bit integer arithmetic, so it is
    rounded once. Results wider than `f32` extend from the exact `f32`
    value, narrower ones (`f16`, `bf16`) round it once.

    Formats that `f32` cannot hold exactly, or that have no zero
    (`f8E8M0FNU`, as a `truncf` result), are reported as errors.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect"];
}

def OutlineParallelLoops
    : Pass<"tamp-cpu-outline-parallel-loops", "mlir::ModuleOp"> {
  let summary = "Outline outermost parallel loops for tamp_rt_parallel_for";
  let description = [{
    Every outermost `scf.parallel` without results (after bufferization)
    becomes a call of a launcher that runs its first dimension in chunks on
    the session's threads. The loop body moves into a new private function
    `@<func>_parallel_body_<n>(%begin: index, %end: index, captures...)`,
    which iterates that dimension over [begin, end) and the remaining ones as
    before (nested parallel loops run serially inside). The loop itself is
    replaced by a call of the declaration
    `@<func>_parallel_launch_<n>(%count: index, captures...)`, tagged
    `tamp.parallel_body = @<body>`; once in the LLVM dialect,
    `tamp-cpu-emit-parallel-launchers` defines it. Constants used by the body
    are cloned into it rather than captured. Loops with a single iteration
    of the first dimension stay in place.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::func::FuncDialect",
    "mlir::scf::SCFDialect",
  ];
}

def EmitParallelLaunchers
    : Pass<"tamp-cpu-emit-parallel-launchers", "mlir::ModuleOp"> {
  let summary = "Define the launchers of outlined parallel loops";
  let description = [{
    Runs on LLVM-dialect IR after `tamp-cpu-outline-parallel-loops` and
    `convert-func-to-llvm`. Each launcher declaration tagged
    `tamp.parallel_body = @body` gets a definition that stores its captured
    arguments in a stack context struct and calls
    `tamp_rt_parallel_for(@trampoline, context, count)`; the new trampoline
    `void (void *context, int64_t begin, int64_t end)` loads them back and
    calls the body for its chunk.
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

def LowerAssertToRuntime
    : Pass<"tamp-cpu-lower-assert-to-runtime", "mlir::ModuleOp"> {
  let summary = "Lower cf.assert to a call of tamp_rt_fail";
  let description = [{
    A failed run-time check must end the run with an error, never abort the
    host process. Each `cf.assert` becomes a conditional branch to a block
    that calls `tamp_rt_fail(message)` (declared `noreturn`) and ends in
    `llvm.unreachable`; the message is a private constant string.
  }];
  let dependentDialects = [
    "mlir::cf::ControlFlowDialect",
    "mlir::LLVM::LLVMDialect",
  ];
}

def BindRuntimeAllocator
    : Pass<"tamp-cpu-bind-runtime-allocator", "mlir::ModuleOp"> {
  let summary = "Make compiled code allocate through tamp_rt_alloc/free";
  let description = [{
    Runs after `finalize-memref-to-llvm{use-generic-functions}`: renames the
    generic allocation functions it calls (`_mlir_memref_to_llvm_alloc`,
    `_mlir_memref_to_llvm_free`) to the runtime's `tamp_rt_alloc` and
    `tamp_rt_free`, so the runtime accounts for every buffer and results are
    released with the allocator that made them. Aligned allocation
    (`_mlir_memref_to_llvm_aligned_alloc`) has no runtime counterpart and is
    reported as an error.
  }];
}

def EmitModelABI : Pass<"tamp-cpu-emit-model-abi", "mlir::ModuleOp"> {
  let summary = "Emit the model entry wrapper and descriptor";
  let description = [{
    Runs on LLVM-dialect IR. From the `tamp.model` module attribute (see
    `tamp-cpu-record-model-signature`) it emits

    * `void NAME_entry(void **args)`, which reads the input memref
      descriptors that args[0..n) point to, calls the entry function's C
      interface and writes the result descriptors to args[n..);
    * the constant `NAME_descriptor` (a `tamp_model_descriptor`) with the
      tensor infos, the weight bytes and the manifest JSON text (the
      `tamp.manifest` module attribute, or one built from `tamp.model`);
    * with `shared-library`, the alias `tamp_model_descriptor` that
      `tamp_model_load` looks up.

    Every other function defined in the module becomes internal, so several
    models link into one program. Constant globals (the weights) are aligned
    to 64 bytes and stay read-only.
  }];
  let options = [
    Option<"sharedLibrary", "shared-library", "bool", /*default=*/"false",
           "Also export the `tamp_model_descriptor` alias">,
  ];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

#endif // TAMP_TARGET_CPU_PASSES_TD
