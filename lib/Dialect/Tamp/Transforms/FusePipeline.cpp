//===- FusePipeline.cpp - The named fusion pipeline -----------------------===//
//
// `tamp-opt --tamp-fuse-pipeline=stage=...` and `tamp compile` (unless
// --fuse=false) run the same passes. Compression expects the graph as
// imported, up to rewrites that keep its layers: BN folding, LayerNorm, GELU
// and SiLU recomposition and transpose/reshape folding may precede it.
// Attention recomposition and epilogues follow it, so that quantized layers
// keep their integer kernels (quantized matmuls do not match attention).
//
//===----------------------------------------------------------------------===//

#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;
using namespace tamp;

void tamp::buildFusePipeline(OpPassManager &pm,
                             const FusePipelineOptions &options) {
  OpPassManager &funcPM = pm.nest<func::FuncOp>();
  if (options.stage != FusionStage::PostCompression) {
    funcPM.addPass(createFoldTransposeReshape());
    funcPM.addPass(createFoldBatchNorm());
    funcPM.addPass(createRecomposeLayerNorm());
    funcPM.addPass(createRecomposeGelu());
    funcPM.addPass(createRecomposeSilu());
  }
  if (options.stage != FusionStage::PreCompression) {
    funcPM.addPass(createRecomposeAttention());
    funcPM.addPass(createFuseBias());
    funcPM.addPass(createFuseActivation());
  }
}

void tamp::registerFusePipeline() {
  PassPipelineRegistration<FusePipelineOptions>(
      "tamp-fuse-pipeline",
      "Fuse layers as `tamp compile` does: BN folding, recomposition of "
      "LayerNorm, GELU, SiLU and attention, bias and activation epilogues, "
      "transpose and reshape chains",
      buildFusePipeline);
}
