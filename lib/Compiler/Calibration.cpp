//===- Calibration.cpp - Run the float model to collect statistics --------===//
//
// The observed model is the float model itself, compiled by Tamp for the
// host with its quantizable ops' activations as extra outputs, so the
// statistics come from exactly the arithmetic that will be quantized.
//
//===----------------------------------------------------------------------===//

#include "tamp/Compiler/Calibration.h"
#include "tamp/Compiler/CalibrationStatistics.h"
#include "tamp/Compiler/Compiler.h"
#include "tamp/Compiler/HostModel.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <map>
#include <optional>

using namespace mlir;
using namespace tamp;

FailureOr<func::FuncOp> tamp::getEntryFunction(ModuleOp module) {
  func::FuncOp entry;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isPrivate() || func.isExternal())
      continue;
    if (entry)
      return module.emitError(
          "calibration needs a model with one public function");
    entry = func;
  }
  if (!entry)
    return module.emitError("calibration needs a model function");
  return entry;
}

namespace {
struct ModelInput {
  std::string name;
  int64_t rank;
};
} // namespace

static SmallVector<ModelInput> getModelInputs(func::FuncOp entry) {
  SmallVector<ModelInput> inputs;
  for (auto [index, type] : llvm::enumerate(entry.getArgumentTypes())) {
    auto name = entry.getArgAttrOfType<StringAttr>(index, "tamp.name");
    inputs.push_back({name ? name.str() : "input" + std::to_string(index),
                      cast<RankedTensorType>(type).getRank()});
  }
  return inputs;
}

//===----------------------------------------------------------------------===//
// Reading calibration data
//===----------------------------------------------------------------------===//

/// Binds `tensors` to `inputs`: by name first, the rest in order.
static CalibrationInputs bindInputs(std::vector<HostTensor> tensors,
                                    ArrayRef<ModelInput> inputs,
                                    const std::string &source) {
  std::vector<std::optional<HostTensor>> bound(inputs.size());
  std::vector<HostTensor> unnamed;
  for (HostTensor &tensor : tensors) {
    auto it = llvm::find_if(
        inputs, [&](const ModelInput &input) { return input.name == tensor.name; });
    if (it == inputs.end()) {
      unnamed.push_back(std::move(tensor));
      continue;
    }
    size_t index = it - inputs.begin();
    if (bound[index])
      throw TensorFileError{source + " gives input '" + it->name + "' twice"};
    bound[index] = std::move(tensor);
  }
  auto next = unnamed.begin();
  CalibrationInputs set;
  for (auto [index, input] : llvm::enumerate(inputs)) {
    if (!bound[index] && next != unnamed.end())
      bound[index] = std::move(*next++);
    if (!bound[index])
      throw TensorFileError{source + " has no tensor for input '" +
                            input.name + "'"};
    set.push_back(std::move(*bound[index]));
  }
  if (next != unnamed.end())
    throw TensorFileError{source + " has a tensor '" + next->name +
                          "' that is not a model input"};
  return set;
}

static std::vector<CalibrationInputs>
readNpzSets(const std::string &path, ArrayRef<ModelInput> inputs) {
  std::vector<HostTensor> arrays = readNpz(path);
  std::vector<CalibrationInputs> sets;
  int64_t setCount = -1;
  auto findArray = [&](size_t index) {
    auto it = llvm::find_if(arrays, [&](const HostTensor &array) {
      return array.name == inputs[index].name;
    });
    // Unnamed arrays (np.savez's arr_0, ...) bind in order.
    if (it == arrays.end() && inputs.size() == arrays.size())
      it = arrays.begin() + index;
    return it;
  };
  for (auto [index, input] : llvm::enumerate(inputs)) {
    auto it = findArray(index);
    if (it == arrays.end())
      throw TensorFileError{"'" + path + "' has no array named '" +
                            input.name + "'"};
    int64_t rank = it->shape.size();
    if (rank != input.rank && rank != input.rank + 1)
      throw TensorFileError{"'" + path + "': array '" + it->name +
                            "' has rank " + std::to_string(rank) +
                            "; input '" + input.name + "' has rank " +
                            std::to_string(input.rank) +
                            " (one more stacks several input sets)"};
    int64_t count = rank == input.rank ? 1 : it->shape[0];
    if (setCount >= 0 && count != setCount)
      throw TensorFileError{"'" + path + "': arrays hold different numbers "
                            "of input sets (" + std::to_string(setCount) +
                            " and " + std::to_string(count) + ")"};
    setCount = count;
  }
  sets.resize(setCount);
  for (auto [index, input] : llvm::enumerate(inputs)) {
    const HostTensor &array = *findArray(index);
    if (int64_t(array.shape.size()) == input.rank) {
      sets[0].push_back(array);
      continue;
    }
    if (!array.strings.empty())
      throw TensorFileError{"'" + path + "': string calibration inputs are "
                            "not supported"};
    size_t setBytes = array.data.size() / std::max<int64_t>(setCount, 1);
    for (int64_t set = 0; set < setCount; ++set) {
      HostTensor slice = array;
      slice.shape.erase(slice.shape.begin());
      slice.data.assign(array.data.begin() + set * setBytes,
                        array.data.begin() + (set + 1) * setBytes);
      sets[set].push_back(std::move(slice));
    }
  }
  return sets;
}

static CalibrationInputs readSetFolder(const std::string &folder,
                                       ArrayRef<ModelInput> inputs) {
  std::vector<std::string> files;
  std::error_code error;
  for (llvm::sys::fs::directory_iterator it(folder, error), end;
       it != end && !error; it.increment(error)) {
    StringRef extension = llvm::sys::path::extension(it->path());
    if (extension == ".npy" || extension == ".pb")
      files.push_back(it->path());
  }
  if (error)
    throw TensorFileError{"cannot list '" + folder + "': " + error.message()};
  llvm::sort(files);
  std::vector<HostTensor> tensors;
  for (const std::string &file : files) {
    HostTensor tensor = readTensor(file);
    if (tensor.name.empty() || llvm::sys::path::extension(file) == ".npy")
      tensor.name = llvm::sys::path::stem(file).str();
    tensors.push_back(std::move(tensor));
  }
  return bindInputs(std::move(tensors), inputs, "'" + folder + "'");
}

FailureOr<std::vector<CalibrationInputs>>
tamp::readCalibrationData(ModuleOp module, StringRef pathRef) {
  FailureOr<func::FuncOp> entry = getEntryFunction(module);
  if (failed(entry))
    return failure();
  SmallVector<ModelInput> inputs = getModelInputs(*entry);
  std::string path = pathRef.str();
  std::vector<CalibrationInputs> sets;
  try {
    if (pathRef.ends_with(".npz")) {
      sets = readNpzSets(path, inputs);
    } else if (llvm::sys::fs::is_directory(path)) {
      std::vector<std::string> folders;
      std::error_code error;
      for (llvm::sys::fs::directory_iterator it(path, error), end;
           it != end && !error; it.increment(error))
        if (llvm::sys::fs::is_directory(it->path()))
          folders.push_back(it->path());
      if (error)
        throw TensorFileError{"cannot list '" + path + "': " +
                              error.message()};
      llvm::sort(folders);
      if (folders.empty())
        folders.push_back(path);
      for (const std::string &folder : folders)
        sets.push_back(readSetFolder(folder, inputs));
    } else {
      throw TensorFileError{"calibration data '" + path +
                            "' is neither an .npz file nor a folder"};
    }
  } catch (const TensorFileError &error) {
    return module.emitError(error.message);
  }
  if (sets.empty())
    return module.emitError("calibration data '") << path << "' is empty";
  return sets;
}

//===----------------------------------------------------------------------===//
// Observing
//===----------------------------------------------------------------------===//

namespace {

/// One observed activation: operand `operand` of a quantizable op, or its
/// result (operand = std::nullopt).
struct Observation {
  unsigned opIndex;
  std::optional<unsigned> operand;
  ActivationStatistics statistics;
  std::optional<HessianAccumulator> hessian;
  std::function<void(HessianAccumulator &, ArrayRef<float>,
                     ArrayRef<int64_t>)>
      addToHessian;
};

/// The dimension of operand `operand` whose channels the op's weight
/// reduces over (what `abs_mean` is reported for).
int64_t getReductionChannelDim(Operation *op, unsigned operand) {
  if (auto prunable = dyn_cast<PrunableChannelOpInterface>(op))
    return prunable.getInputChannelDim();
  // Activation-by-activation matmul: lhs [..., M, K], rhs [..., K, N].
  return operand == 0 ? -1 : -2;
}

/// How to feed the Hessian of `op`'s weight from its activation operand, if
/// calibration collects one for it.
void setUpHessian(Operation *op, Observation &observation) {
  if (auto linear = dyn_cast<LinearOp>(op)) {
    int64_t size = linear.getWeight().getType().getDimSize(1);
    if (ShapedType::isDynamic(size))
      return;
    observation.hessian.emplace(size);
    observation.addToHessian = [](HessianAccumulator &hessian,
                                  ArrayRef<float> values, ArrayRef<int64_t>) {
      hessian.addLinearInput(values);
    };
    return;
  }
  auto conv = dyn_cast<ConvOp>(op);
  if (!conv || conv.getGroup() != 1 ||
      conv.getAutoPad() != AutoPad::explicit_pads)
    return;
  RankedTensorType weightType = conv.getWeight().getType();
  int64_t rank = weightType.getRank();
  if ((rank != 3 && rank != 4) || !weightType.hasStaticShape())
    return;
  SmallVector<int64_t> kernel(weightType.getShape().drop_front(2));
  int64_t size = weightType.getDimSize(1);
  for (int64_t extent : kernel)
    size *= extent;
  observation.hessian.emplace(size);
  SmallVector<int64_t> strides(conv.getStrides()),
      dilations(conv.getDilations()), pads(conv.getPads());
  observation.addToHessian = [=](HessianAccumulator &hessian,
                                 ArrayRef<float> values,
                                 ArrayRef<int64_t> shape) {
    hessian.addConvolutionInput(values, shape, kernel, strides, dilations,
                                pads);
  };
}

/// Parses `tamp.observe.<K>.<role>`.
std::optional<std::pair<unsigned, std::optional<unsigned>>>
parseObserverName(StringRef name) {
  if (!name.consume_front(kObserverNamePrefix))
    return std::nullopt;
  auto [indexText, role] = name.split('.');
  unsigned index, operand;
  if (indexText.getAsInteger(10, index))
    return std::nullopt;
  if (role == "result0")
    return std::make_pair(index, std::optional<unsigned>());
  if (role.consume_front("operand") && !role.getAsInteger(10, operand))
    return std::make_pair(index, std::optional<unsigned>(operand));
  return std::nullopt;
}

} // namespace

static DictionaryAttr buildActivationAttr(Builder &b,
                                          const ActivationStatistics &stats) {
  auto range = [&](ClipRange value) {
    return b.getDenseF64ArrayAttr({value[0], value[1]});
  };
  SmallVector<NamedAttribute> entries = {
      b.getNamedAttr("min", b.getF64FloatAttr(stats.getMin())),
      b.getNamedAttr("max", b.getF64FloatAttr(stats.getMax())),
      b.getNamedAttr("minmax", range(stats.getMinMaxRange())),
      b.getNamedAttr("percentile", range(stats.getPercentileRange())),
      b.getNamedAttr("entropy", range(stats.getEntropyRange())),
      b.getNamedAttr("mse", range(stats.getMSERange())),
  };
  std::vector<float> absMean = stats.getChannelAbsMean();
  if (!absMean.empty()) {
    auto type = RankedTensorType::get({int64_t(absMean.size())}, b.getF32Type());
    entries.push_back(b.getNamedAttr(
        "abs_mean", DenseElementsAttr::get(type, ArrayRef<float>(absMean))));
  }
  return b.getDictionaryAttr(entries);
}

LogicalResult tamp::calibrateModel(ModuleOp module,
                                   ArrayRef<CalibrationInputs> data,
                                   const CalibrationOptions &options) {
  FailureOr<func::FuncOp> entry = getEntryFunction(module);
  if (failed(entry))
    return failure();
  SmallVector<Operation *> ops;
  entry->walk([&](QuantizableOpInterface op) { ops.push_back(op); });
  if (ops.empty())
    return success();
  Location loc = module.getLoc();

  // The observed model, compiled for the host into a scratch folder.
  OwningOpRef<ModuleOp> observed = module.clone();
  {
    PassManager pm(module.getContext());
    pm.addNestedPass<func::FuncOp>(createInsertObservers());
    if (failed(pm.run(*observed)))
      return failure();
  }
  FailureOr<std::unique_ptr<HostModel>> host =
      HostModel::compile(*observed, options.numThreads);
  if (failed(host))
    return emitError(loc) << "cannot compile the model for calibration";

  // Which output observes what.
  std::map<uint32_t, Observation> observations;
  for (uint32_t output = 0, e = (*host)->getNumOutputs(); output < e;
       ++output) {
    auto parsed = parseObserverName((*host)->getOutputInfo(output).name);
    if (!parsed || parsed->first >= ops.size())
      continue;
    Operation *op = ops[parsed->first];
    int64_t channelDim = getReductionChannelDim(op, parsed->second.value_or(0));
    Observation observation{parsed->first, parsed->second,
                            ActivationStatistics(channelDim,
                                                 options.histogramBins),
                            std::nullopt, nullptr};
    auto quantizable = cast<QuantizableOpInterface>(op);
    if (options.collectHessians && parsed->second &&
        quantizable.getWeightOperandIndex() &&
        *parsed->second == quantizable.getQuantizableOperandIndices().front())
      setUpHessian(op, observation);
    observations.emplace(output, std::move(observation));
  }

  // Runs every input set, handing each observed output to `visit`.
  auto runAll = [&](function_ref<void(Observation &, const tamp_tensor &)>
                        visit) -> LogicalResult {
    std::vector<tamp_tensor> outputs;
    for (auto [setIndex, set] : llvm::enumerate(data)) {
      if (failed((*host)->run(set, outputs,
                              "calibration input set " +
                                  std::to_string(setIndex))))
        return failure();
      for (auto &[output, observation] : observations)
        visit(observation, outputs[output]);
    }
    return success();
  };

  // First the extremes (and Hessians), then histograms over them.
  if (failed(runAll([](Observation &observation, const tamp_tensor &tensor) {
        std::vector<float> values;
        if (!readFloatElements(tensor, values))
          return;
        ArrayRef<int64_t> shape(tensor.shape, tensor.rank);
        observation.statistics.observeRange(values, shape);
        if (observation.hessian)
          observation.addToHessian(*observation.hessian, values, shape);
      })) ||
      failed(runAll([](Observation &observation, const tamp_tensor &tensor) {
        std::vector<float> values;
        if (readFloatElements(tensor, values))
          observation.statistics.observeHistogram(values);
      })))
    return failure();

  // The statistics, onto the uninstrumented ops.
  Builder b(module.getContext());
  std::vector<SmallVector<NamedAttribute>> entries(ops.size());
  for (auto &[output, observation] : observations) {
    if (!observation.statistics.hasValues())
      continue;
    SmallVector<NamedAttribute> &opEntries = entries[observation.opIndex];
    std::string role = observation.operand
                           ? "operand" + std::to_string(*observation.operand)
                           : std::string("result0");
    opEntries.push_back(b.getNamedAttr(
        role, buildActivationAttr(b, observation.statistics)));
    if (observation.hessian && observation.hessian->getRowCount()) {
      int64_t size = observation.hessian->getSize();
      std::vector<float> hessian = observation.hessian->getHessian();
      auto type = RankedTensorType::get({size, size}, b.getF32Type());
      AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyInferAlign(
          ArrayRef<float>(hessian));
      opEntries.push_back(b.getNamedAttr(
          "hessian", DenseResourceElementsAttr::get(type, "calibration_hessian",
                                                    std::move(blob))));
    }
  }
  for (auto [op, opEntries] : llvm::zip_equal(ops, entries)) {
    if (opEntries.empty())
      continue;
    opEntries.push_back(
        b.getNamedAttr("samples", b.getI64IntegerAttr(int64_t(data.size()))));
    op->setAttr(kCalibrationAttrName, b.getDictionaryAttr(opEntries));
  }
  return success();
}
