//===- Passes.h - Compression passes on the tamp dialect --------*- C++ -*-===//
//
// Calibration, quantization, pruning and fusion, all on tamp-dialect IR.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_DIALECT_TAMP_TRANSFORMS_PASSES_H
#define TAMP_DIALECT_TAMP_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassOptions.h"

namespace tamp {

/// How `tamp-quantize-weights` rounds weights to their integer grid.
enum class WeightRoundingMethod { RoundToNearest, GPTQ, AWQ };

/// How `tamp-sparsify` ranks weights.
enum class SparsityScore { Magnitude, Activation };

/// How `tamp-sparsify` stores the sparse weights of linear layers.
enum class SparseFormat { Auto, Dense, Compressed };

#define GEN_PASS_DECL
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"

/// What `tamp-compress-pipeline` quantizes to.
enum class QuantizationMode { None, W8A8, Dynamic, W8, W4, W3, W2 };

/// How many channels pruned channel groups keep a multiple of by default
/// (`tamp compile --prune`, tamp-compress-pipeline): the rows of the f32
/// register blocks, so pruned layers keep their fast kernels.
inline constexpr int64_t kDefaultChannelRounding = 8;

/// Options of `tamp-compress-pipeline`, the compression that `tamp compile
/// --quantize=...` runs (mixed precision aside, which measures candidates).
struct CompressPipelineOptions
    : public mlir::PassPipelineOptions<CompressPipelineOptions> {
  Option<unsigned> pruneLayers{
      *this, "prune-layers",
      llvm::cl::desc("First remove this many residual blocks, those that "
                     "change their input least (tamp-prune-layers count)"),
      llvm::cl::init(0)};
  Option<double> pruneChannels{
      *this, "prune-channels",
      llvm::cl::desc("Then remove this fraction of every channel group "
                     "(tamp-prune-channels ratio)"),
      llvm::cl::init(0.0)};
  Option<double> pruneHeads{
      *this, "prune-heads",
      llvm::cl::desc("Then remove this fraction of every attention block's "
                     "heads (tamp-prune-heads ratio)"),
      llvm::cl::init(0.0)};
  Option<int64_t> pruneRoundTo{
      *this, "prune-round-to",
      llvm::cl::desc("Channel groups keep a multiple of this many channels"),
      llvm::cl::init(kDefaultChannelRounding)};
  Option<std::string> pruneScore{
      *this, "prune-score",
      llvm::cl::desc("Channel and head importance: l1, l2 or activation"),
      llvm::cl::init("l1")};
  Option<QuantizationMode> quantize{
      *this, "quantize", llvm::cl::desc("What to quantize"),
      llvm::cl::init(QuantizationMode::None),
      llvm::cl::values(
          clEnumValN(QuantizationMode::None, "none", "nothing"),
          clEnumValN(QuantizationMode::W8A8, "w8a8",
                     "static int8 weights and activations"),
          clEnumValN(QuantizationMode::Dynamic, "dynamic",
                     "int8 weights, activations quantized at run time"),
          clEnumValN(QuantizationMode::W8, "w8", "weight-only int8"),
          clEnumValN(QuantizationMode::W4, "w4", "weight-only int4"),
          clEnumValN(QuantizationMode::W3, "w3", "weight-only int3"),
          clEnumValN(QuantizationMode::W2, "w2", "weight-only int2"))};
  Option<int64_t> groupSize{
      *this, "group-size",
      llvm::cl::desc("Weight-only: columns per scale (0: per output channel; "
                     "-1: 128 below 8 bits, else 0)"),
      llvm::cl::init(-1)};
  Option<WeightRoundingMethod> rounding{
      *this, "rounding", llvm::cl::desc("Weight-only rounding"),
      llvm::cl::init(WeightRoundingMethod::RoundToNearest),
      llvm::cl::values(
          clEnumValN(WeightRoundingMethod::RoundToNearest, "rtn",
                     "round to nearest"),
          clEnumValN(WeightRoundingMethod::GPTQ, "gptq", "GPTQ"),
          clEnumValN(WeightRoundingMethod::AWQ, "awq", "AWQ-style scaling"))};
  Option<bool> symmetric{
      *this, "symmetric",
      llvm::cl::desc("Weight-only: signed codes without zero points"),
      llvm::cl::init(false)};
  Option<std::string> calibrationMethod{
      *this, "calibration-method",
      llvm::cl::desc("w8a8: minmax, percentile, entropy or mse ranges"),
      llvm::cl::init("minmax")};
  Option<std::string> activationType{
      *this, "activation-type", llvm::cl::desc("w8a8: u8 or i8 activations"),
      llvm::cl::init("u8")};
  Option<std::string> keepFloat{
      *this, "keep-float",
      llvm::cl::desc("Layers whose location names match this regular "
                     "expression stay float")};
  Option<std::string> sparsity{
      *this, "sparsity",
      llvm::cl::desc("Before quantizing, tamp-sparsify: N:M (e.g. 2:4), or "
                     "the fraction of weights zeroed unstructured (e.g. "
                     "0.5); none if empty")};
  Option<SparsityScore> sparsityScore{
      *this, "sparsity-score", llvm::cl::desc("How sparsity ranks weights"),
      llvm::cl::init(SparsityScore::Magnitude),
      llvm::cl::values(
          clEnumValN(SparsityScore::Magnitude, "magnitude", "|w|"),
          clEnumValN(SparsityScore::Activation, "activation",
                     "|w| times the input channel's norm (Wanda)"))};
};

/// The `tamp-sparsify` options that `sparsity` (N:M or an unstructured
/// ratio, as `tamp-compress-pipeline` and `tamp compile --prune` spell it)
/// selects; an unparsable `sparsity` becomes the pattern, which the pass
/// rejects with its own error.
SparsifyOptions getSparsifyOptions(llvm::StringRef sparsity,
                                   SparsityScore score);

/// Bits of a weight-only mode, 0 for the others.
unsigned getWeightOnlyBits(QuantizationMode mode);

/// Appends the compression passes to `pm` (on the module): layer removal
/// (`tamp-prune-layers`), channel and head pruning, `tamp-reconstruct` (on
/// the layers that carry `tamp.reconstruction` statistics, which the driver
/// accumulates between pruning and this step), `tamp-sparsify` (compressed
/// sparse weights only without quantization, whose passes need dense
/// weights), then
/// `tamp-quantize`, `tamp-quantize-dynamic` or `tamp-quantize-weights`, with
/// int8 embedding tables in the integer-kernel modes.
void buildCompressPipeline(mlir::OpPassManager &pm,
                           const CompressPipelineOptions &options);

/// Rewrites lookups of quantized embedding tables, gather(dequantize(t)),
/// to dequantize only the gathered rows.
void populateSinkDequantizeThroughGatherPatterns(
    mlir::RewritePatternSet &patterns);

/// Registers `tamp-compress-pipeline`.
void registerCompressPipeline();

/// Which part of `tamp-fuse-pipeline` runs: what may run before
/// compression (BN folding, LayerNorm/GELU/SiLU recomposition, transpose and
/// reshape folding), what must run after it (attention recomposition, bias
/// and activation epilogues), or both in that order.
enum class FusionStage { PreCompression, PostCompression, All };

struct FusePipelineOptions
    : public mlir::PassPipelineOptions<FusePipelineOptions> {
  Option<FusionStage> stage{
      *this, "stage", llvm::cl::desc("Which fusions run"),
      llvm::cl::init(FusionStage::All),
      llvm::cl::values(
          clEnumValN(FusionStage::PreCompression, "pre-compression",
                     "those that may precede compression"),
          clEnumValN(FusionStage::PostCompression, "post-compression",
                     "those that must follow compression"),
          clEnumValN(FusionStage::All, "all", "both, in that order"))};
};

/// Appends the fusion passes of `options.stage` to `pm` (on the module).
void buildFusePipeline(mlir::OpPassManager &pm,
                       const FusePipelineOptions &options);

/// Registers `tamp-fuse-pipeline`.
void registerFusePipeline();

/// The function attribute where fusion passes count what they fused: a
/// dictionary from counter name (`batchnorm_folded`, `layernorm_recomposed`,
/// `gelu_recomposed`, `silu_recomposed`, `attention_recomposed`,
/// `bias_fused`, `activation_fused`, `transposes_folded`,
/// `reshapes_folded`) to an i64 count.
inline constexpr llvm::StringLiteral kFusionCountsAttrName = "tamp.fusion";

/// Adds `count` to counter `name` of `func`'s `tamp.fusion` dictionary.
void addFusionCount(mlir::func::FuncOp func, llvm::StringRef name,
                    int64_t count);

/// The attribute that calibration writes on every op implementing
/// QuantizableOpInterface and that the compression passes read. See
/// docs/CALIBRATION.md for its keys.
inline constexpr llvm::StringLiteral kCalibrationAttrName = "tamp.calibration";

/// What tamp-prune-channels / tamp-prune-heads record on a layer whose
/// weight they sliced: which channels of the original layer its output
/// (input) channels are.
inline constexpr llvm::StringLiteral kKeptOutputChannelsAttrName =
    "tamp.kept_output_channels";
inline constexpr llvm::StringLiteral kKeptInputChannelsAttrName =
    "tamp.kept_input_channels";

/// The least-squares statistics that tamp-reconstruct solves: `gram`
/// ((K+1) x (K+1)) and `cross` ((K+1) x N), per-row means of X'^T X' and
/// X'^T Y with a trailing column of ones in X' for the bias.
inline constexpr llvm::StringLiteral kReconstructionAttrName =
    "tamp.reconstruction";

/// The attribute that `tamp-sparsify` writes on every op it sparsifies:
/// `{pattern, score, sparsity, format}` (see the pass description).
inline constexpr llvm::StringLiteral kSparsityAttrName = "tamp.sparsity";

/// The prefix of the `tamp.name` of the entry results that
/// `tamp-insert-observers` adds: `tamp.observe.<K>.<role>`, where K counts
/// the quantizable ops in walk order and role is `operand<I>` or `result0`.
inline constexpr llvm::StringLiteral kObserverNamePrefix = "tamp.observe.";

} // namespace tamp

#endif // TAMP_DIALECT_TAMP_TRANSFORMS_PASSES_H
