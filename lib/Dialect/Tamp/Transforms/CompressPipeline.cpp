//===- CompressPipeline.cpp - The named compression pipeline --------------===//
//
// `tamp-opt --tamp-compress-pipeline=...` and `tamp compile --quantize=...`
// run the same passes with the same options.
//
//===----------------------------------------------------------------------===//

#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;
using namespace tamp;

unsigned tamp::getWeightOnlyBits(QuantizationMode mode) {
  switch (mode) {
  case QuantizationMode::W8:
    return 8;
  case QuantizationMode::W4:
    return 4;
  case QuantizationMode::W3:
    return 3;
  case QuantizationMode::W2:
    return 2;
  default:
    return 0;
  }
}

SparsifyOptions tamp::getSparsifyOptions(StringRef sparsity,
                                         SparsityScore score) {
  SparsifyOptions options;
  options.score = score;
  double ratio;
  if (!sparsity.contains(':') && !sparsity.trim().getAsDouble(ratio)) {
    options.pattern = "unstructured";
    options.ratio = ratio;
  } else {
    options.pattern = sparsity.str();
  }
  return options;
}

void tamp::buildCompressPipeline(OpPassManager &pm,
                                 const CompressPipelineOptions &options) {
  OpPassManager &funcPM = pm.nest<func::FuncOp>();
  // Removed blocks need no quantization.
  if (options.pruneLayers > 0) {
    PruneLayersOptions layers;
    layers.count = options.pruneLayers;
    funcPM.addPass(createPruneLayers(layers));
  }
  if (options.pruneChannels > 0) {
    PruneChannelsOptions channels;
    channels.ratio = options.pruneChannels;
    channels.score = options.pruneScore;
    channels.roundTo = options.pruneRoundTo;
    funcPM.addPass(createPruneChannels(channels));
  }
  if (options.pruneHeads > 0) {
    PruneHeadsOptions heads;
    heads.ratio = options.pruneHeads;
    heads.score = options.pruneScore;
    funcPM.addPass(createPruneHeads(heads));
  }
  // A no-op on layers without reconstruction statistics.
  funcPM.addPass(createReconstruct());
  if (!options.sparsity.empty()) {
    SparsifyOptions sparsify =
        getSparsifyOptions(options.sparsity, options.sparsityScore);
    sparsify.keepDense = options.keepFloat;
    // Quantization passes rewrite dense weights; a sparse weight that they
    // quantize keeps its zeros, stored dense.
    if (options.quantize != QuantizationMode::None)
      sparsify.format = SparseFormat::Dense;
    funcPM.addPass(createSparsify(sparsify));
  }
  // Embedding tables have no integer kernel; the integer-kernel modes store
  // them as int8 (one scale per row).
  auto addInt8Embeddings = [&] {
    QuantizeWeightsOptions embeddings;
    embeddings.bits = 8;
    embeddings.groupSize = 0;
    embeddings.symmetric = true;
    embeddings.ops = {"gather"};
    embeddings.keepFloat = options.keepFloat;
    funcPM.addPass(createQuantizeWeights(embeddings));
  };
  switch (options.quantize) {
  case QuantizationMode::None:
    return;
  case QuantizationMode::W8A8: {
    QuantizeOptions quantize;
    quantize.calibrationMethod = options.calibrationMethod;
    quantize.activationType = options.activationType;
    quantize.keepFloat = options.keepFloat;
    funcPM.addPass(createQuantize(quantize));
    addInt8Embeddings();
    return;
  }
  case QuantizationMode::Dynamic: {
    QuantizeDynamicOptions dynamic;
    dynamic.keepFloat = options.keepFloat;
    funcPM.addPass(createQuantizeDynamic(dynamic));
    addInt8Embeddings();
    return;
  }
  default: {
    unsigned bits = getWeightOnlyBits(options.quantize);
    QuantizeWeightsOptions weights;
    weights.bits = bits;
    weights.groupSize = options.groupSize >= 0 ? options.groupSize
                        : bits >= 8            ? 0
                                               : 128;
    weights.symmetric = options.symmetric;
    weights.method = options.rounding;
    weights.keepFloat = options.keepFloat;
    funcPM.addPass(createQuantizeWeights(weights));
    return;
  }
  }
}

void tamp::registerCompressPipeline() {
  PassPipelineRegistration<CompressPipelineOptions>(
      "tamp-compress-pipeline",
      "Compress the model as `tamp compile --quantize=...` does, from the "
      "tamp.calibration statistics already on its ops",
      buildCompressPipeline);
}
