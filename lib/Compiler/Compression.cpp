//===- Compression.cpp - Compression report -------------------------------===//
//
// The report compares a compressed model with the float model it came from,
// both compiled for the host with observers, on the calibration inputs.
//
//===----------------------------------------------------------------------===//

#include "tamp/Compiler/Compression.h"
#include "tamp/Compiler/BlockStatistics.h"
#include "tamp/Compiler/HostModel.h"
#include "tamp/Compiler/Reconstruction.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Regex.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace tamp;

namespace {

/// Signal and noise of a compressed tensor against its reference.
struct ErrorAccumulator {
  double signal = 0, noise = 0, dot = 0, referenceNorm = 0, compressedNorm = 0,
         maxAbsError = 0;

  void add(ArrayRef<float> reference, ArrayRef<float> compressed) {
    size_t count = std::min(reference.size(), compressed.size());
    for (size_t i = 0; i < count; ++i) {
      double r = reference[i], c = compressed[i], error = c - r;
      signal += r * r;
      noise += error * error;
      dot += r * c;
      compressedNorm += c * c;
      maxAbsError = std::max(maxAbsError, std::fabs(error));
    }
    referenceNorm = signal;
  }
  double getSQNR() const {
    if (noise == 0)
      return std::numeric_limits<double>::infinity();
    return 10 * std::log10(signal / noise);
  }
  double getCosine() const {
    if (referenceNorm == 0 || compressedNorm == 0)
      return referenceNorm == compressedNorm ? 1 : 0;
    return dot / std::sqrt(referenceNorm * compressedNorm);
  }
};

} // namespace

/// `int4`, `uint8`, `f32`, ... for a weight's storage element type.
static std::string describeElementType(Type type) {
  if (auto quantized = dyn_cast<quant::QuantizedType>(type))
    return (quantized.isSigned() ? "int" : "uint") +
           std::to_string(quantized.getStorageTypeIntegralWidth());
  if (auto integer = dyn_cast<IntegerType>(type))
    return (integer.isUnsigned() ? "uint" : "int") +
           std::to_string(integer.getWidth());
  std::string text;
  llvm::raw_string_ostream os(text);
  type.print(os);
  return text;
}

/// Bytes an elements attribute's constant takes in the artifact: whole
/// bytes per element, as the CPU target stores them.
static uint64_t getConstantBytes(ShapedType type) {
  if (!type.hasStaticShape())
    return 0;
  unsigned bits = type.getElementType().getIntOrFloatBitWidth();
  return uint64_t(type.getNumElements()) * llvm::divideCeil(bits, 8);
}

static bool isConstantTensor(Operation *op) {
  return op->hasTrait<OpTrait::ConstantLike>() && op->getNumResults() == 1 &&
         isa<ShapedType>(op->getResult(0).getType());
}

/// Fills the weight fields of `layer` from the constants that `op`'s weight
/// is computed from and the dequantization among them.
static void describeWeight(QuantizableOpInterface op, LayerReport &layer) {
  std::optional<unsigned> index = op.getWeightOperandIndex();
  if (!index) {
    layer.precision = "-";
    return;
  }
  Value weight = op->getOperand(*index);
  auto type = cast<ShapedType>(weight.getType());
  if (type.hasStaticShape()) {
    layer.weightElements = type.getNumElements();
    layer.floatWeightBytes = uint64_t(layer.weightElements) * sizeof(float);
  }
  layer.precision = describeElementType(type.getElementType());
  SmallVector<Value> worklist = {weight};
  llvm::DenseSet<Operation *> seen;
  while (!worklist.empty()) {
    Operation *producer = worklist.pop_back_val().getDefiningOp();
    if (!producer || !seen.insert(producer).second)
      continue;
    if (isConstantTensor(producer)) {
      layer.weightBytes +=
          getConstantBytes(cast<ShapedType>(producer->getResult(0).getType()));
      continue;
    }
    if (auto dequantize = dyn_cast<DequantizeOp>(producer)) {
      layer.precision =
          describeElementType(dequantize.getInput().getType().getElementType());
      layer.groupSize = dequantize.getBlockSize();
    }
    llvm::append_range(worklist, producer->getOperands());
  }
}

/// Fills the sparsity fields of `layer` from the `tamp.sparsity` that
/// `tamp-sparsify` left on `op`; a compressed tamp.sparse_linear's weight is
/// its values and indices.
static void describeSparsity(Operation *op, LayerReport &layer) {
  if (auto sparsity = op->getAttrOfType<DictionaryAttr>(kSparsityAttrName)) {
    if (auto fraction = sparsity.getAs<FloatAttr>("sparsity"))
      layer.sparsity = fraction.getValueAsDouble();
    if (auto format = sparsity.getAs<StringAttr>("format"))
      layer.format = format.str();
  }
  auto sparse = dyn_cast<SparseLinearOp>(op);
  if (!sparse)
    return;
  RankedTensorType values = sparse.getValues().getType();
  layer.precision = describeElementType(values.getElementType());
  layer.weightElements = sparse.getInputFeatures() * sparse.getOutputFeatures();
  layer.floatWeightBytes = uint64_t(layer.weightElements) * sizeof(float);
  layer.weightBytes = 0;
  for (Value stored : {sparse.getValues(), sparse.getIndices()})
    if (Operation *producer = stored.getDefiningOp();
        producer && isConstantTensor(producer))
      layer.weightBytes += getConstantBytes(cast<ShapedType>(stored.getType()));
}

static std::string getLayerName(Operation *op, unsigned index) {
  if (std::optional<StringRef> name = getNodeName(op->getLoc()))
    return name->str();
  return (op->getName().getStringRef() + "#" + Twine(index)).str();
}

static uint64_t getModuleConstantBytes(ModuleOp module) {
  uint64_t bytes = 0;
  module.walk([&](Operation *op) {
    if (isConstantTensor(op))
      bytes += getConstantBytes(cast<ShapedType>(op->getResult(0).getType()));
  });
  return bytes;
}

static int64_t getStaticProduct(ArrayRef<int64_t> shape) {
  int64_t product = 1;
  for (int64_t size : shape)
    product *= ShapedType::isDynamic(size) ? 1 : size;
  return product;
}

int64_t tamp::countMultiplyAccumulates(ModuleOp module) {
  int64_t total = 0;
  module.walk([&](Operation *op) {
    auto resultType =
        op->getNumResults() == 1
            ? dyn_cast<RankedTensorType>(op->getResult(0).getType())
            : RankedTensorType();
    if (!resultType)
      return;
    int64_t outputs = getStaticProduct(resultType.getShape());
    if (auto conv = dyn_cast<ConvOp>(op)) {
      // Each output sums C/group * prod(kernel) products.
      auto weight = cast<RankedTensorType>(conv.getWeight().getType());
      total += outputs * getStaticProduct(weight.getShape().drop_front());
    } else if (auto linear = dyn_cast<LinearOp>(op)) {
      auto weight = cast<RankedTensorType>(linear.getWeight().getType());
      total += outputs * getStaticProduct(weight.getShape().drop_front());
    } else if (auto matmul = dyn_cast<MatMulOp>(op)) {
      auto lhs = cast<RankedTensorType>(matmul.getLhs().getType());
      total += outputs * getStaticProduct(lhs.getShape().take_back());
    }
  });
  return total;
}

/// A clone of `module` with observers, compiled for the host.
static FailureOr<std::unique_ptr<HostModel>> compileObserved(ModuleOp module) {
  OwningOpRef<ModuleOp> observed = module.clone();
  PassManager pm(module.getContext());
  pm.addNestedPass<func::FuncOp>(
      createInsertObservers(InsertObserversOptions{/*afterActivation=*/true}));
  if (failed(pm.run(*observed)))
    return failure();
  return HostModel::compile(*observed);
}

FailureOr<CompressionReport>
tamp::measureCompression(ModuleOp reference, ModuleOp compressed,
                         ArrayRef<CalibrationInputs> data) {
  FailureOr<func::FuncOp> entry = getEntryFunction(compressed);
  if (failed(entry))
    return failure();
  CompressionReport report;
  report.samples = data.size();
  SmallVector<Operation *> ops;
  entry->walk([&](QuantizableOpInterface op) {
    LayerReport layer;
    layer.name = getLayerName(op, ops.size());
    layer.op = op->getName().getStringRef().str();
    describeWeight(op, layer);
    describeSparsity(op, layer);
    report.layers.push_back(std::move(layer));
    ops.push_back(op);
  });
  report.weightBytes = getModuleConstantBytes(compressed);
  report.floatWeightBytes = getModuleConstantBytes(reference);
  report.macs = countMultiplyAccumulates(compressed);
  report.floatMacs = countMultiplyAccumulates(reference);
  uint64_t storedBits = 0;
  int64_t weightElements = 0;
  for (const LayerReport &layer : report.layers) {
    storedBits += layer.weightBytes * 8;
    weightElements += layer.weightElements;
  }
  report.bitsPerWeight =
      weightElements ? double(storedBits) / double(weightElements) : 0;

  unsigned numOutputs = entry->getNumResults();
  FailureOr<std::unique_ptr<HostModel>> referenceModel =
      compileObserved(reference);
  if (failed(referenceModel))
    return failure();
  FailureOr<std::unique_ptr<HostModel>> compressedModel =
      compileObserved(compressed);
  if (failed(compressedModel))
    return failure();

  // Pair the layer observations by name; the model outputs by position.
  llvm::StringMap<uint32_t> referenceOutputs;
  for (uint32_t j = 0, e = (*referenceModel)->getNumOutputs(); j < e; ++j)
    referenceOutputs[(*referenceModel)->getOutputInfo(j).name] = j;
  std::vector<std::pair<uint32_t, uint32_t>> layerOutputs(
      ops.size(), {UINT32_MAX, UINT32_MAX});
  std::string resultSuffix = ".result0";
  for (uint32_t j = numOutputs, e = (*compressedModel)->getNumOutputs(); j < e;
       ++j) {
    StringRef name = (*compressedModel)->getOutputInfo(j).name;
    StringRef rest = name;
    unsigned index;
    if (!rest.consume_front(kObserverNamePrefix) ||
        !rest.consume_back(resultSuffix) || rest.getAsInteger(10, index) ||
        index >= ops.size())
      continue;
    auto it = referenceOutputs.find(name);
    if (it != referenceOutputs.end())
      layerOutputs[index] = {it->second, j};
  }

  std::vector<ErrorAccumulator> outputErrors(numOutputs),
      layerErrors(ops.size());
  std::vector<tamp_tensor> referenceResults, compressedResults;
  std::vector<float> referenceValues, compressedValues;
  auto accumulate = [&](const tamp_tensor &referenceTensor,
                        const tamp_tensor &compressedTensor,
                        ErrorAccumulator &accumulator) {
    // Pruned layers have fewer channels than their originals: no
    // element-wise comparison.
    if (readFloatElements(referenceTensor, referenceValues) &&
        readFloatElements(compressedTensor, compressedValues) &&
        referenceValues.size() == compressedValues.size())
      accumulator.add(referenceValues, compressedValues);
  };
  for (auto [setIndex, set] : llvm::enumerate(data)) {
    std::string what = "calibration input set " + std::to_string(setIndex);
    if (failed((*referenceModel)->run(set, referenceResults, what)) ||
        failed((*compressedModel)->run(set, compressedResults, what)))
      return failure();
    for (unsigned j = 0; j < numOutputs; ++j)
      accumulate(referenceResults[j], compressedResults[j], outputErrors[j]);
    for (auto [index, pair] : llvm::enumerate(layerOutputs))
      if (pair.first != UINT32_MAX)
        accumulate(referenceResults[pair.first], compressedResults[pair.second],
                   layerErrors[index]);
  }
  for (auto [layer, error] : llvm::zip_equal(report.layers, layerErrors))
    layer.sqnrDb = error.signal == 0 && error.noise == 0
                       ? std::numeric_limits<double>::quiet_NaN()
                       : error.getSQNR();
  for (unsigned j = 0; j < numOutputs; ++j) {
    OutputReport output;
    output.name = (*compressedModel)->getOutputInfo(j).name;
    output.sqnrDb = outputErrors[j].getSQNR();
    output.cosine = outputErrors[j].getCosine();
    output.maxAbsError = outputErrors[j].maxAbsError;
    report.outputs.push_back(std::move(output));
  }
  return report;
}

static std::string formatDecibels(double value) {
  if (std::isnan(value))
    return "-";
  return std::isinf(value) ? std::string("exact")
                           : llvm::formatv("{0:F1}", value).str();
}

void tamp::printCompressionReport(const CompressionReport &report,
                                  llvm::raw_ostream &os) {
  os << llvm::formatv(
      "{0,-32} {1,-12} {2,-9} {3,6} {4,8} {5,-6} {6,12} {7,12} {8,9}\n",
      "layer", "op", "weights", "group", "sparsity", "format", "bytes",
      "float bytes", "SQNR dB");
  for (const LayerReport &layer : report.layers)
    os << llvm::formatv(
        "{0,-32} {1,-12} {2,-9} {3,6} {4,8} {5,-6} {6,12} {7,12} {8,9}\n",
        layer.name, layer.op, layer.precision,
        layer.groupSize ? std::to_string(layer.groupSize) : std::string("-"),
        layer.sparsity ? llvm::formatv("{0:F3}", layer.sparsity).str()
                       : std::string("-"),
        layer.format, layer.weightBytes, layer.floatWeightBytes,
        formatDecibels(layer.sqnrDb));
  double ratio = report.floatWeightBytes
                     ? double(report.weightBytes) / report.floatWeightBytes
                     : 1;
  os << llvm::formatv("weights: {0} bytes ({1:F3}x of {2} float bytes), {3:F2} "
                      "bits per weight\n",
                      report.weightBytes, ratio, report.floatWeightBytes,
                      report.bitsPerWeight);
  if (report.floatMacs)
    os << llvm::formatv(
        "multiply-accumulates: {0} ({1:F3}x of {2} float)\n", report.macs,
        double(report.macs) / double(report.floatMacs), report.floatMacs);
  for (const OutputReport &output : report.outputs)
    os << llvm::formatv("output {0}: SQNR {1} dB, cosine {2:F6}, max |error| "
                        "{3:E3} over {4} calibration sets\n",
                        output.name, formatDecibels(output.sqnrDb),
                        output.cosine, output.maxAbsError, report.samples);
}

/// JSON has no infinity: an exact match reports null.
static llvm::json::Value decibelsToJSON(double value) {
  if (std::isinf(value) || std::isnan(value))
    return nullptr;
  return value;
}

llvm::json::Value tamp::toJSON(const CompressionReport &report) {
  llvm::json::Array layers;
  for (const LayerReport &layer : report.layers)
    layers.push_back(llvm::json::Object{
        {"name", layer.name},
        {"op", layer.op},
        {"precision", layer.precision},
        {"group_size", layer.groupSize},
        {"weight_elements", layer.weightElements},
        {"weight_bytes", int64_t(layer.weightBytes)},
        {"float_weight_bytes", int64_t(layer.floatWeightBytes)},
        {"sparsity", layer.sparsity},
        {"format", layer.format},
        {"sqnr_db", decibelsToJSON(layer.sqnrDb)}});
  llvm::json::Array outputs;
  for (const OutputReport &output : report.outputs)
    outputs.push_back(
        llvm::json::Object{{"name", output.name},
                           {"sqnr_db", decibelsToJSON(output.sqnrDb)},
                           {"cosine", output.cosine},
                           {"max_abs_error", output.maxAbsError}});
  return llvm::json::Object{
      {"layers", std::move(layers)},
      {"outputs", std::move(outputs)},
      {"weight_bytes", int64_t(report.weightBytes)},
      {"float_weight_bytes", int64_t(report.floatWeightBytes)},
      {"bits_per_weight", report.bitsPerWeight},
      {"macs", report.macs},
      {"float_macs", report.floatMacs},
      {"calibration_sets", report.samples}};
}

//===----------------------------------------------------------------------===//
// Options and pipeline
//===----------------------------------------------------------------------===//

/// Bits of a weight-only mode (`w8`, `w4`, ...), if `mode` is one.
static std::optional<unsigned> getWeightOnlyModeBits(StringRef mode) {
  return llvm::StringSwitch<std::optional<unsigned>>(mode)
      .Case("w8", 8)
      .Case("w4", 4)
      .Case("w3", 3)
      .Case("w2", 2)
      .Default(std::nullopt);
}

static bool isMixedPrecision(const CompressionOptions &options) {
  return options.accuracyBudget || options.targetBitsPerWeight;
}

bool tamp::needsCalibration(const CompressionOptions &options) {
  return options.quantize == "w8a8" || options.rounding != "rtn" ||
         isMixedPrecision(options);
}

LogicalResult tamp::verifyCompressionOptions(const CompressionOptions &options,
                                             Location loc) {
  StringRef mode = options.quantize;
  bool weightOnly = getWeightOnlyModeBits(mode).has_value();
  if (!mode.empty() && mode != "w8a8" && mode != "dynamic" && !weightOnly)
    return emitError(loc) << "--quantize=" << mode
                          << " is not one of w8a8, dynamic, w8, w4, w3, w2";
  if (options.rounding != "rtn" && options.rounding != "gptq" &&
      options.rounding != "awq")
    return emitError(loc) << "--rounding=" << options.rounding
                          << " is not one of rtn, gptq, awq";
  if (options.rounding != "rtn" && !weightOnly && !isMixedPrecision(options))
    return emitError(loc) << "--rounding=" << options.rounding
                          << " applies to weight-only quantization "
                             "(--quantize=w8, w4, w3 or w2)";
  if (!llvm::is_contained({"minmax", "percentile", "entropy", "mse"},
                          options.calibrationMethod))
    return emitError(loc) << "--calibration-method="
                          << options.calibrationMethod
                          << " is not one of minmax, percentile, entropy, mse";
  if (options.activationType != "u8" && options.activationType != "i8")
    return emitError(loc) << "--activation-type=" << options.activationType
                          << " is not one of u8, i8";
  if (options.groupSize < -1)
    return emitError(loc) << "--group-size=" << options.groupSize
                          << " is negative";
  std::string regexError;
  if (!options.keepFloat.empty() &&
      !llvm::Regex(options.keepFloat).isValid(regexError))
    return emitError(loc) << "--keep-float='" << options.keepFloat
                          << "' is not a regular expression: " << regexError;
  if (isMixedPrecision(options) && !mode.empty() && !weightOnly)
    return emitError(loc) << "mixed precision (--accuracy-budget, "
                             "--target-bits-per-weight) chooses weight-only "
                             "int8, int4 or float per layer; it does not "
                             "combine with --quantize="
                          << mode;
  if (options.accuracyBudget && *options.accuracyBudget <= 0)
    return emitError(loc) << "--accuracy-budget must be positive";
  if (options.targetBitsPerWeight &&
      (*options.targetBitsPerWeight < 2 || *options.targetBitsPerWeight > 32))
    return emitError(loc) << "--target-bits-per-weight must lie in [2, 32]";
  return success();
}

/// Erases ops without uses or side effects (the float weights a pass
/// replaced), so that sizes count what the artifact keeps.
static void eraseDeadOps(ModuleOp module) {
  bool erased = true;
  while (erased) {
    erased = false;
    module.walk([&](Operation *op) {
      if (op != module && isOpTriviallyDead(op)) {
        op->erase();
        erased = true;
      }
    });
  }
}

/// Runs `tamp-compress-pipeline` as `options` say, with weight-only
/// quantization at `bits` instead when it is not 0, and `keepFloat` for the
/// layers that stay float.
static LogicalResult runCompressPipeline(ModuleOp module,
                                         const CompressionOptions &options,
                                         unsigned bits, StringRef keepFloat) {
  CompressPipelineOptions pipeline;
  pipeline.quantize = llvm::StringSwitch<QuantizationMode>(
                          bits ? "w" + std::to_string(bits) : options.quantize)
                          .Case("w8a8", QuantizationMode::W8A8)
                          .Case("dynamic", QuantizationMode::Dynamic)
                          .Case("w8", QuantizationMode::W8)
                          .Case("w4", QuantizationMode::W4)
                          .Case("w3", QuantizationMode::W3)
                          .Case("w2", QuantizationMode::W2)
                          .Default(QuantizationMode::None);
  pipeline.groupSize = options.groupSize;
  pipeline.rounding = llvm::StringSwitch<WeightRoundingMethod>(options.rounding)
                          .Case("gptq", WeightRoundingMethod::GPTQ)
                          .Case("awq", WeightRoundingMethod::AWQ)
                          .Default(WeightRoundingMethod::RoundToNearest);
  pipeline.symmetric = options.symmetric;
  pipeline.calibrationMethod = options.calibrationMethod;
  pipeline.activationType = options.activationType;
  pipeline.keepFloat = keepFloat.str();
  PassManager pm = PassManager::on<ModuleOp>(module.getContext());
  buildCompressPipeline(pm, pipeline);
  return pm.run(module);
}

//===----------------------------------------------------------------------===//
// Mixed precision
//===----------------------------------------------------------------------===//

namespace {

/// Float outputs of a model on every input set: [set][output][element].
using ModelOutputs = std::vector<std::vector<std::vector<float>>>;

/// A layer whose weight mixed precision chooses the storage of.
struct MixedLayer {
  std::string name;
  int64_t elements;
};

} // namespace

static FailureOr<ModelOutputs> runOutputs(ModuleOp module,
                                          ArrayRef<CalibrationInputs> data,
                                          unsigned numOutputs) {
  FailureOr<std::unique_ptr<HostModel>> host = HostModel::compile(module);
  if (failed(host))
    return failure();
  ModelOutputs outputs;
  std::vector<tamp_tensor> results;
  for (auto [setIndex, set] : llvm::enumerate(data)) {
    if (failed((*host)->run(
            set, results, "calibration input set " + std::to_string(setIndex))))
      return failure();
    std::vector<std::vector<float>> &values = outputs.emplace_back(numOutputs);
    for (unsigned j = 0; j < numOutputs; ++j)
      readFloatElements(results[j], values[j]);
  }
  return outputs;
}

/// 100 * ||y' - y|| / ||y|| over all outputs and sets.
static double getRelativeErrorPercent(const ModelOutputs &reference,
                                      const ModelOutputs &candidate) {
  ErrorAccumulator error;
  for (auto [referenceSet, candidateSet] : llvm::zip(reference, candidate))
    for (auto [expected, actual] : llvm::zip(referenceSet, candidateSet))
      error.add(expected, actual);
  return error.signal ? 100 * std::sqrt(error.noise / error.signal) : 0;
}

/// A regular expression matching exactly `names`; one matching nothing when
/// there are none.
static std::string matchExactly(ArrayRef<std::string> names) {
  if (names.empty())
    return "";
  std::string pattern = "^(";
  for (auto [index, name] : llvm::enumerate(names))
    pattern += (index ? "|" : "") + llvm::Regex::escape(name);
  return pattern + ")$";
}

/// Quantizes each weight of `module` in place at `bits[i]` (0: float).
static LogicalResult applyLayerBits(ModuleOp module,
                                    const CompressionOptions &options,
                                    ArrayRef<MixedLayer> layers,
                                    ArrayRef<unsigned> bits) {
  for (unsigned width : {8u, 4u, 3u, 2u}) {
    SmallVector<std::string> others;
    bool any = false;
    for (auto [layer, layerBits] : llvm::zip_equal(layers, bits)) {
      if (layerBits == width)
        any = true;
      else
        others.push_back(layer.name);
    }
    if (!any)
      continue;
    std::string keepFloat = matchExactly(others);
    if (!options.keepFloat.empty())
      keepFloat = keepFloat.empty()
                      ? options.keepFloat
                      : "(" + options.keepFloat + ")|" + keepFloat;
    if (failed(runCompressPipeline(module, options, width, keepFloat)))
      return failure();
  }
  return success();
}

/// Chooses each layer's weight storage (int8, the mode's narrower width, or
/// float) from its measured sensitivity, to meet the accuracy budget and the
/// bits-per-weight target with as few bits as the greedy search finds.
static FailureOr<SmallVector<unsigned>>
selectLayerBits(ModuleOp reference, const CompressionOptions &options,
                ArrayRef<MixedLayer> layers, ArrayRef<CalibrationInputs> data,
                unsigned numOutputs, llvm::raw_ostream *log) {
  Location loc = reference.getLoc();
  std::optional<unsigned> modeBits = getWeightOnlyModeBits(options.quantize);
  SmallVector<unsigned> levels;
  if (!modeBits || *modeBits < 8)
    levels.push_back(modeBits.value_or(4));
  levels.append({8u, 0u});
  auto storedBits = [](unsigned bits) { return bits ? bits : 32u; };

  FailureOr<ModelOutputs> floatOutputs =
      runOutputs(reference, data, numOutputs);
  if (failed(floatOutputs))
    return failure();
  auto measure = [&](ArrayRef<unsigned> bits) -> FailureOr<double> {
    OwningOpRef<ModuleOp> candidate = reference.clone();
    if (failed(applyLayerBits(*candidate, options, layers, bits)))
      return failure();
    FailureOr<ModelOutputs> outputs = runOutputs(*candidate, data, numOutputs);
    if (failed(outputs))
      return failure();
    return getRelativeErrorPercent(*floatOutputs, *outputs);
  };

  // Sensitivity: the output error with only one layer quantized.
  std::vector<SmallVector<double>> sensitivity(layers.size());
  for (auto [index, layer] : llvm::enumerate(layers)) {
    for (unsigned bits : levels) {
      if (!bits) {
        sensitivity[index].push_back(0);
        continue;
      }
      SmallVector<unsigned> only(layers.size(), 0);
      only[index] = bits;
      FailureOr<double> error = measure(only);
      if (failed(error))
        return failure();
      sensitivity[index].push_back(*error);
      if (log)
        *log << llvm::formatv("sensitivity {0} int{1}: {2:F4} %\n", layer.name,
                              bits, *error);
    }
  }

  int64_t totalElements = 0;
  for (const MixedLayer &layer : layers)
    totalElements += layer.elements;
  SmallVector<unsigned> level(layers.size(), 0);
  auto averageBits = [&] {
    double bits = 0;
    for (auto [layer, choice] : llvm::zip(layers, level))
      bits += double(layer.elements) * storedBits(levels[choice]);
    return totalElements ? bits / totalElements : 0;
  };
  // Errors of independent layers add as variances.
  auto estimatedError = [&] {
    double variance = 0;
    for (auto [errors, choice] : llvm::zip(sensitivity, level))
      variance += errors[choice] * errors[choice];
    return std::sqrt(variance);
  };
  // The step that buys the most error reduction per added bit.
  auto upgradeOnce = [&]() {
    std::optional<size_t> best;
    double bestGain = -1;
    for (size_t i = 0; i < layers.size(); ++i) {
      if (level[i] + 1 >= levels.size())
        continue;
      double gain = sensitivity[i][level[i]] * sensitivity[i][level[i]] -
                    sensitivity[i][level[i] + 1] * sensitivity[i][level[i] + 1];
      double cost =
          double(layers[i].elements) *
          (storedBits(levels[level[i] + 1]) - storedBits(levels[level[i]]));
      if (gain / cost > bestGain) {
        bestGain = gain / cost;
        best = i;
      }
    }
    if (best)
      ++level[*best];
    return best.has_value();
  };

  if (options.accuracyBudget) {
    // Aim below the budget: held-out data is not the calibration data.
    double aim = 0.8 * *options.accuracyBudget;
    while (estimatedError() > aim && upgradeOnce()) {
    }
    // The estimate assumes independent layers; the measurement decides.
    for (;;) {
      SmallVector<unsigned> bits;
      for (unsigned choice : level)
        bits.push_back(levels[choice]);
      FailureOr<double> error = measure(bits);
      if (failed(error))
        return failure();
      if (log)
        *log << llvm::formatv("mixed precision: {0:F2} bits per weight, "
                              "output error {1:F4} % (budget {2} %)\n",
                              averageBits(), *error, *options.accuracyBudget);
      if (*error <= aim)
        break;
      if (!upgradeOnce())
        break;
    }
  } else {
    // Without a budget: start from int8 everywhere and narrow the layers
    // that cost the least error per saved bit.
    for (unsigned &choice : level)
      choice = levels.size() - 2;
  }
  if (options.targetBitsPerWeight) {
    while (averageBits() > *options.targetBitsPerWeight) {
      std::optional<size_t> best;
      double bestCost = std::numeric_limits<double>::infinity();
      for (size_t i = 0; i < layers.size(); ++i) {
        if (level[i] == 0)
          continue;
        double added =
            sensitivity[i][level[i] - 1] * sensitivity[i][level[i] - 1] -
            sensitivity[i][level[i]] * sensitivity[i][level[i]];
        double saved =
            double(layers[i].elements) *
            (storedBits(levels[level[i]]) - storedBits(levels[level[i] - 1]));
        if (added / saved < bestCost) {
          bestCost = added / saved;
          best = i;
        }
      }
      if (!best)
        return emitError(loc)
               << "--target-bits-per-weight=" << *options.targetBitsPerWeight
               << " is below what the narrowest weights reach";
      --level[*best];
    }
    if (options.accuracyBudget && estimatedError() > *options.accuracyBudget)
      return emitError(loc)
             << "--target-bits-per-weight=" << *options.targetBitsPerWeight
             << " and --accuracy-budget=" << *options.accuracyBudget
             << " cannot both be met (estimated output error "
             << estimatedError() << " %)";
  }
  SmallVector<unsigned> bits;
  for (unsigned choice : level)
    bits.push_back(levels[choice]);
  return bits;
}

/// The layers mixed precision chooses for: quantizable ops with a float
/// constant weight, which need unique names for the passes to select them.
static FailureOr<SmallVector<MixedLayer>> getMixedLayers(func::FuncOp entry) {
  SmallVector<MixedLayer> layers;
  llvm::StringSet<> names;
  unsigned index = 0;
  WalkResult walk = entry.walk([&](QuantizableOpInterface op) {
    std::string name = getLayerName(op, index++);
    std::optional<unsigned> weight = op.getWeightOperandIndex();
    if (!weight)
      return WalkResult::advance();
    Operation *producer = op->getOperand(*weight).getDefiningOp();
    auto type = cast<ShapedType>(op->getOperand(*weight).getType());
    if (!producer || !isConstantTensor(producer) ||
        !isa<FloatType>(type.getElementType()) || !type.hasStaticShape())
      return WalkResult::advance();
    if (!names.insert(name).second) {
      op->emitError() << "mixed precision needs uniquely named layers; '"
                      << name << "' names several";
      return WalkResult::interrupt();
    }
    layers.push_back({name, type.getNumElements()});
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  return layers;
}

//===----------------------------------------------------------------------===//
// The whole compression step
//===----------------------------------------------------------------------===//

//===----------------------------------------------------------------------===//
// Pruning
//===----------------------------------------------------------------------===//

namespace {

/// `--prune`, parsed.
struct PruneSpec {
  PruneLayersOptions layers;
  PruneChannelsOptions channels;
  PruneHeadsOptions heads;
  std::string sparsity;
  std::optional<bool> reconstruct;
  double damping = 0.001;
};

} // namespace

static FailureOr<PruneSpec> parsePruneSpec(StringRef text, Location loc) {
  PruneSpec spec;
  // Channel counts that the register-blocked kernels tile exactly.
  spec.channels.roundTo = kDefaultChannelRounding;
  SmallVector<StringRef> entries;
  text.split(entries, ',', -1, /*KeepEmpty=*/false);
  auto parseFraction = [&](StringRef key, StringRef value,
                           double &result) -> LogicalResult {
    if (value.trim().getAsDouble(result) || result < 0 || result >= 1)
      return emitError(loc)
             << "--prune " << key << " must be a fraction in [0, 1), got '"
             << value << "'";
    return success();
  };
  for (StringRef entry : entries) {
    auto [key, value] = entry.split('=');
    key = key.trim();
    value = value.trim();
    double fraction;
    if (key == "channels" || key == "heads") {
      if (failed(parseFraction(key, value, fraction)))
        return failure();
      (key == "channels" ? spec.channels.ratio : spec.heads.ratio) = fraction;
    } else if ((key.starts_with("channels[") || key.starts_with("heads[")) &&
               key.ends_with("]")) {
      if (failed(parseFraction(key, value, fraction)))
        return failure();
      auto [kind, pattern] = key.drop_back().split('[');
      std::string override = (pattern + "=" + value).str();
      (kind == "channels" ? spec.channels.overrides : spec.heads.overrides)
          .push_back(override);
    } else if (key == "layers") {
      unsigned count;
      if (value.getAsInteger(10, count))
        return emitError(loc) << "--prune layers must be a block count";
      spec.layers.count = count;
    } else if (key == "sparsity") {
      // N:M or an unstructured fraction; tamp-sparsify checks it.
      spec.sparsity = value.str();
    } else if (key == "score") {
      if (value != "l1" && value != "l2" && value != "activation")
        return emitError(loc) << "--prune score must be l1, l2 or activation";
      spec.channels.score = spec.heads.score = value.str();
    } else if (key == "global") {
      spec.channels.global = value == "1" || value == "true";
    } else if (key == "min-keep") {
      if (value.getAsDouble(fraction) || fraction < 0 || fraction > 1)
        return emitError(loc) << "--prune min-keep must lie in [0, 1]";
      spec.channels.minKeep = spec.heads.minKeep = fraction;
    } else if (key == "round-to") {
      unsigned step;
      if (value.getAsInteger(10, step) || step == 0)
        return emitError(loc) << "--prune round-to must be a positive count";
      spec.channels.roundTo = step;
    } else if (key == "reconstruct") {
      spec.reconstruct = value == "1" || value == "true";
    } else if (key == "damping") {
      if (value.getAsDouble(spec.damping) || spec.damping < 0)
        return emitError(loc) << "--prune damping must be >= 0";
    } else {
      return emitError(loc)
             << "unknown --prune key '" << key
             << "' (expected layers, channels, heads, sparsity, "
                "channels[REGEX], heads[REGEX], score, global, min-keep, "
                "round-to, reconstruct or damping)";
    }
  }
  return spec;
}

/// Prunes `module` as `--prune` says and re-fits the layers whose inputs
/// changed against `original` (an unpruned clone, tagged with layer ids).
static LogicalResult pruneModel(ModuleOp module, ModuleOp original,
                                const PruneSpec &spec,
                                ArrayRef<CalibrationInputs> data) {
  Location loc = module.getLoc();
  bool reconstruct = spec.reconstruct.value_or(!data.empty());
  bool activationScores = spec.channels.score == "activation";
  if ((reconstruct || activationScores || spec.layers.count) && data.empty())
    return emitError(loc) << (spec.layers.count  ? "--prune layers"
                              : activationScores ? "--prune score=activation"
                                                 : "--prune reconstruct=1")
                          << " needs calibration data (--calibration)";
  // Whole blocks first (ranked by what removing each does to the outputs),
  // then channels and heads of what is left, then sparsity.
  if (spec.layers.count) {
    if (failed(measureResidualBlocks(module, data)))
      return failure();
    PassManager pm(module.getContext());
    pm.addNestedPass<func::FuncOp>(createPruneLayers(spec.layers));
    if (failed(pm.run(module)))
      return failure();
  }
  auto runPrunePass = [&](auto create, auto options) -> LogicalResult {
    if (activationScores && failed(calibrateModel(module, data)))
      return failure();
    PassManager pm(module.getContext());
    pm.addNestedPass<func::FuncOp>(create(options));
    return pm.run(module);
  };
  if (spec.channels.ratio > 0 || !spec.channels.overrides.empty())
    if (failed(runPrunePass(
            [](const PruneChannelsOptions &o) {
              return createPruneChannels(o);
            },
            spec.channels)))
      return failure();
  if (spec.heads.ratio > 0 || !spec.heads.overrides.empty())
    if (failed(runPrunePass(
            [](const PruneHeadsOptions &o) { return createPruneHeads(o); },
            spec.heads)))
      return failure();
  if (!spec.sparsity.empty()) {
    if (activationScores && failed(calibrateModel(module, data)))
      return failure();
    SparsifyOptions sparsify = getSparsifyOptions(
        spec.sparsity, activationScores ? SparsityScore::Activation
                                        : SparsityScore::Magnitude);
    // Re-fitting needs the dense layer; the compressed form is chosen after.
    SparseFormat format = sparsify.format;
    if (reconstruct)
      sparsify.format = SparseFormat::Dense;
    PassManager pm(module.getContext());
    pm.addNestedPass<func::FuncOp>(createSparsify(sparsify));
    if (failed(pm.run(module)))
      return failure();
    sparsify.format = format;
    if (reconstruct) {
      if (failed(reconstructLayers(original, module, data, spec.damping)))
        return failure();
      // The re-fit kept the zeros; now choose each layer's storage.
      PassManager formats(module.getContext());
      formats.addNestedPass<func::FuncOp>(createSparsify(sparsify));
      if (failed(formats.run(module)))
        return failure();
    }
  } else if (reconstruct &&
             failed(reconstructLayers(original, module, data, spec.damping))) {
    return failure();
  }
  module.walk([](Operation *op) { op->removeAttr(kCalibrationAttrName); });
  eraseDeadOps(module);
  return success();
}

LogicalResult tamp::compressModel(ModuleOp module,
                                  const CompressionOptions &options,
                                  ArrayRef<CalibrationInputs> data,
                                  llvm::raw_ostream *report) {
  Location loc = module.getLoc();
  if (failed(verifyCompressionOptions(options, loc)))
    return failure();
  bool mixed = isMixedPrecision(options);
  bool pruning = !options.prune.empty();
  if (options.quantize.empty() && !mixed && !pruning)
    return success();

  // The float model that everything is measured against.
  OwningOpRef<ModuleOp> original;
  if (pruning) {
    FailureOr<PruneSpec> spec = parsePruneSpec(options.prune, loc);
    if (failed(spec))
      return failure();
    tagLayers(module);
    original = module.clone();
    LogicalResult pruned = pruneModel(module, *original, *spec, data);
    untagLayers(module);
    untagLayers(*original);
    if (failed(pruned))
      return failure();
  }
  bool quantizing = !options.quantize.empty() || mixed;
  if (quantizing && needsCalibration(options)) {
    if (data.empty()) {
      std::string what = mixed ? std::string("mixed precision")
                         : options.rounding != "rtn"
                             ? "--rounding=" + options.rounding
                             : "--quantize=" + options.quantize;
      return emitError(loc)
             << what << " needs calibration data (--calibration)";
    }
    CalibrationOptions calibration;
    calibration.collectHessians =
        options.rounding == "gptq" || options.rounding == "awq";
    if (failed(calibrateModel(module, data, calibration)))
      return failure();
  }
  OwningOpRef<ModuleOp> reference = module.clone();
  if (!original)
    original = module.clone();
  FailureOr<func::FuncOp> entry = getEntryFunction(module);
  if (failed(entry))
    return failure();
  unsigned numOutputs = entry->getNumResults();

  if (mixed) {
    FailureOr<SmallVector<MixedLayer>> layers = getMixedLayers(*entry);
    if (failed(layers))
      return failure();
    FailureOr<SmallVector<unsigned>> bits =
        selectLayerBits(*reference, options, *layers, data, numOutputs, report);
    if (failed(bits) || failed(applyLayerBits(module, options, *layers, *bits)))
      return failure();
  } else if (quantizing &&
             failed(runCompressPipeline(module, options,
                                        /*bits=*/0, options.keepFloat))) {
    return failure();
  }

  eraseDeadOps(module);
  // Hessians served the passes; the IR need not carry them further.
  module.walk([](Operation *op) {
    auto statistics = op->getAttrOfType<DictionaryAttr>(kCalibrationAttrName);
    if (!statistics || !statistics.contains("hessian"))
      return;
    NamedAttrList entries(statistics);
    entries.erase("hessian");
    op->setAttr(kCalibrationAttrName, entries.getDictionary(op->getContext()));
  });

  if (data.empty())
    return success();
  FailureOr<CompressionReport> measured =
      measureCompression(*original, module, data);
  if (failed(measured))
    return failure();
  std::string json;
  llvm::raw_string_ostream os(json);
  os << toJSON(*measured);
  module->setAttr(kCompressionReportAttrName,
                  StringAttr::get(module.getContext(), json));
  if (report)
    printCompressionReport(*measured, *report);
  return success();
}
