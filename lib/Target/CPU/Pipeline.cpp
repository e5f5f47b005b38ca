//===- Pipeline.cpp - The CPU target pipeline -----------------------------===//

#include "tamp/Target/CPU/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void tamp::buildCPUPipeline(OpPassManager &pm,
                            const CPUPipelineOptions &options) {
  // Signedness and the ONNX names are still visible here (or were recorded
  // before the tamp lowering).
  pm.addPass(createRecordModelSignature(
      RecordModelSignatureOptions{options.modelName, options.entry}));

  // Tensor level: fuse element-wise chains so each becomes one loop nest
  // (never recomputing a producer element).
  {
    OpPassManager &funcPM = pm.nest<func::FuncOp>();
    funcPM.addPass(createFuseElementwise());
    funcPM.addPass(createCanonicalizerPass());
    funcPM.addPass(createCSEPass());
    // Convolutions become matmuls over patch matrices, and matmuls
    // register blocks of vector FMAs; other contractions:
    // innermost loops that LLVM vectorizes.
    funcPM.addPass(createConvertConvToMatmul());
    funcPM.addPass(createPackMatmulWeights());
    funcPM.addPass(createVectorizeIntegerMatmul(VectorizeIntegerMatmulOptions{
        options.avx512Vnni ? "avx512-vnni" : "generic"}));
    funcPM.addPass(
        createVectorizeMatmul(VectorizeMatmulOptions{options.vectorBits}));
    funcPM.addPass(createInterchangeLoops());
    funcPM.addPass(createReassociateReductions());
  }

  // Buffers: identity layouts at the function boundary (the entry takes
  // row-major tamp_memrefs), 64-byte aligned allocations; the deallocation
  // pipeline frees temporaries and clones results it cannot prove the
  // function owns (returned inputs and constants), so the caller owns all.
  bufferization::OneShotBufferizePassOptions bufferizeOptions;
  bufferizeOptions.bufferizeFunctionBoundaries = true;
  bufferizeOptions.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  bufferizeOptions.bufferAlignment = 64;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferizeOptions));
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());
  // Fused kernels (tamp.attention) distribute their outer loop with
  // scf.forall: it runs on the session's threads like the outer parallel
  // loops of linalg ops, or serially.
  if (options.parallel)
    pm.addPass(createForallToParallelLoopPass());
  else
    pm.addPass(createForallToForLoopPass());
  // Copies into strided views become loops rather than library calls.
  pm.addNestedPass<func::FuncOp>(createLowerMemRefCopy());
  // Multi-dimensional vector transfers become unrolled 1-D ones.
  VectorTransferToSCFOptions transferOptions;
  transferOptions.enableFullUnroll();
  pm.addPass(createConvertVectorToSCFPass(transferOptions));

  // Loops, then the LLVM dialect.
  if (options.parallel) {
    // Outer parallel dimensions run on the session's threads.
    pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
    pm.addPass(createOutlineParallelLoops());
  } else {
    pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  }
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createLowerAssertToRuntime());
  // LLVM has no 8- and 4-bit floats: their conversions become integer
  // arithmetic (their loads and stores move integers of the same width).
  pm.addPass(createExpandNarrowFloats());
  // Integer powers become generated functions; libm keeps transcendental
  // functions as accurate as onnxruntime's.
  // libm has no rsqrtf: 1 / sqrt is what onnxruntime computes too.
  pm.addPass(math::createMathExpandOpsPass(
      math::MathExpandOpsPassOptions{/*opMnemonics=*/{"rsqrt"}}));
  // erf, exp and tanh in f32 as arithmetic that vectorizes.
  pm.addPass(createApproximateMath());
  pm.addPass(createConvertMathToFuncs());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  FinalizeMemRefToLLVMConversionPassOptions memrefOptions;
  memrefOptions.useGenericFunctions = true;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefOptions));
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createEmitParallelLaunchers());
  pm.addPass(createBindRuntimeAllocator());
  pm.addPass(createEmitModelABI(EmitModelABIOptions{options.sharedLibrary}));
  pm.addPass(createCanonicalizerPass());
}

void tamp::registerCPUPasses() {
  registerTampCPUPasses();
  PassPipelineRegistration<CPUPipelineOptions>(
      "tamp-cpu-pipeline",
      "Compile linalg-on-tensors IR to LLVM-dialect IR that follows the "
      "compiled-model ABI",
      buildCPUPipeline);
}
