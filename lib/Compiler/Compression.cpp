//===- Compression.cpp - Compression report -------------------------------===//
//
// The report compares a compressed model with the float model it came from,
// both compiled for the host with observers, on the calibration inputs.
//
//===----------------------------------------------------------------------===//

#include "tamp/Compiler/Compression.h"
#include "tamp/Compiler/HostModel.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace tamp;

namespace {

/// Signal and noise of a compressed tensor against its reference.
struct ErrorAccumulator {
  double signal = 0, noise = 0, dot = 0, referenceNorm = 0,
         compressedNorm = 0, maxAbsError = 0;

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
      layer.precision = describeElementType(
          dequantize.getInput().getType().getElementType());
      layer.groupSize = dequantize.getBlockSize();
    }
    llvm::append_range(worklist, producer->getOperands());
  }
}

static std::string getLayerName(Operation *op, unsigned index) {
  std::string name;
  op->getLoc()->walk([&](Location inner) {
    if (auto named = dyn_cast<NameLoc>(inner)) {
      name = named.getName().str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (name.empty())
    name = (op->getName().getStringRef() + "#" + Twine(index)).str();
  return name;
}

static uint64_t getModuleConstantBytes(ModuleOp module) {
  uint64_t bytes = 0;
  module.walk([&](Operation *op) {
    if (isConstantTensor(op))
      bytes += getConstantBytes(cast<ShapedType>(op->getResult(0).getType()));
  });
  return bytes;
}

/// A clone of `module` with observers, compiled for the host.
static FailureOr<std::unique_ptr<HostModel>>
compileObserved(ModuleOp module) {
  OwningOpRef<ModuleOp> observed = module.clone();
  PassManager pm(module.getContext());
  pm.addNestedPass<func::FuncOp>(createInsertObservers());
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
    report.layers.push_back(std::move(layer));
    ops.push_back(op);
  });
  report.weightBytes = getModuleConstantBytes(compressed);
  report.floatWeightBytes = getModuleConstantBytes(reference);
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
    if (readFloatElements(referenceTensor, referenceValues) &&
        readFloatElements(compressedTensor, compressedValues))
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
        accumulate(referenceResults[pair.first],
                   compressedResults[pair.second], layerErrors[index]);
  }
  for (auto [layer, error] : llvm::zip_equal(report.layers, layerErrors))
    layer.sqnrDb = error.getSQNR();
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
  return std::isinf(value) ? std::string("exact")
                           : llvm::formatv("{0:F1}", value).str();
}

void tamp::printCompressionReport(const CompressionReport &report,
                                  llvm::raw_ostream &os) {
  os << llvm::formatv("{0,-32} {1,-12} {2,-9} {3,6} {4,12} {5,12} {6,9}\n",
                      "layer", "op", "weights", "group", "bytes",
                      "float bytes", "SQNR dB");
  for (const LayerReport &layer : report.layers)
    os << llvm::formatv("{0,-32} {1,-12} {2,-9} {3,6} {4,12} {5,12} {6,9}\n",
                        layer.name, layer.op, layer.precision,
                        layer.groupSize ? std::to_string(layer.groupSize)
                                        : std::string("-"),
                        layer.weightBytes, layer.floatWeightBytes,
                        formatDecibels(layer.sqnrDb));
  double ratio = report.floatWeightBytes
                     ? double(report.weightBytes) / report.floatWeightBytes
                     : 1;
  os << llvm::formatv("weights: {0} bytes ({1:F3}x of {2} float bytes), {3:F2} "
                      "bits per weight\n",
                      report.weightBytes, ratio, report.floatWeightBytes,
                      report.bitsPerWeight);
  for (const OutputReport &output : report.outputs)
    os << llvm::formatv("output {0}: SQNR {1} dB, cosine {2:F6}, max |error| "
                        "{3:E3} over {4} calibration sets\n",
                        output.name, formatDecibels(output.sqnrDb),
                        output.cosine, output.maxAbsError, report.samples);
}

/// JSON has no infinity: an exact match reports null.
static llvm::json::Value decibelsToJSON(double value) {
  if (std::isinf(value))
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
        {"sqnr_db", decibelsToJSON(layer.sqnrDb)}});
  llvm::json::Array outputs;
  for (const OutputReport &output : report.outputs)
    outputs.push_back(llvm::json::Object{
        {"name", output.name},
        {"sqnr_db", decibelsToJSON(output.sqnrDb)},
        {"cosine", output.cosine},
        {"max_abs_error", output.maxAbsError}});
  return llvm::json::Object{
      {"layers", std::move(layers)},
      {"outputs", std::move(outputs)},
      {"weight_bytes", int64_t(report.weightBytes)},
      {"float_weight_bytes", int64_t(report.floatWeightBytes)},
      {"bits_per_weight", report.bitsPerWeight},
      {"calibration_sets", report.samples}};
}
