//===- Reconstruction.cpp - Layer-wise re-fit against the original --------===//

#include "tamp/Compiler/Reconstruction.h"
#include "tamp/Compiler/CalibrationStatistics.h"
#include "tamp/Compiler/HostModel.h"
#include "tamp/Dialect/Tamp/IR/TampInterfaces.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/SetVector.h"

#include <map>

using namespace mlir;
using namespace tamp;

/// Layers that reconstruction can re-fit.
static bool isRefittable(Operation *op) {
  if (auto conv = dyn_cast<ConvOp>(op))
    return conv.getGroup() == 1 &&
           conv.getAutoPad() == AutoPad::explicit_pads &&
           cast<RankedTensorType>(conv.getWeight().getType()).getRank() <= 4 &&
           isa<FloatType>(conv.getWeight().getType().getElementType());
  if (auto linear = dyn_cast<LinearOp>(op))
    return isa<FloatType>(linear.getWeight().getType().getElementType());
  return false;
}

void tamp::tagLayers(ModuleOp module) {
  FailureOr<func::FuncOp> entry = getEntryFunction(module);
  if (failed(entry))
    return;
  int64_t index = 0;
  Builder b(module.getContext());
  entry->walk([&](Operation *op) {
    if (isa<ConvOp, LinearOp>(op))
      op->setAttr(kLayerIdAttrName, b.getI64IntegerAttr(index++));
  });
}

void tamp::untagLayers(ModuleOp module) {
  module.walk([](Operation *op) { op->removeAttr(kLayerIdAttrName); });
}

/// Makes `values` extra results of `entry`, named `tamp.observe.<i>`.
static void returnValues(func::FuncOp entry, ArrayRef<Value> values) {
  auto ret = cast<func::ReturnOp>(entry.getBody().back().getTerminator());
  unsigned first = entry.getNumResults();
  SmallVector<Value> operands(ret.getOperands());
  SmallVector<Type> types(entry.getResultTypes());
  for (Value value : values) {
    operands.push_back(value);
    types.push_back(value.getType());
  }
  ret->setOperands(operands);
  entry.setType(
      FunctionType::get(entry.getContext(), entry.getArgumentTypes(), types));
  Builder b(entry.getContext());
  for (unsigned index = 0; index < values.size(); ++index)
    entry.setResultAttr(
        first + index, "tamp.name",
        b.getStringAttr(kObserverNamePrefix + std::to_string(index)));
}

/// The layer's input as rows of what its weight multiplies: linear input
/// rows, or convolution patches, passed to `visit` in output-row order.
static void forEachInputRows(Operation *op, ArrayRef<float> values,
                             ArrayRef<int64_t> shape,
                             function_ref<void(ArrayRef<float>)> visit) {
  if (auto conv = dyn_cast<ConvOp>(op)) {
    auto weightType = cast<RankedTensorType>(conv.getWeight().getType());
    SmallVector<int64_t> kernel(weightType.getShape().drop_front(2));
    forEachConvolutionPatchRow(values, shape, kernel, conv.getStrides(),
                               conv.getDilations(), conv.getPads(), visit);
    return;
  }
  visit(values);
}

/// The teacher layer's output as rows of its kept channels, in the order
/// the input rows come: [..., N] rows, or convolution outputs per position.
static std::vector<float> getTargetRows(Operation *op, ArrayRef<float> values,
                                        ArrayRef<int64_t> shape,
                                        ArrayRef<int64_t> kept) {
  std::vector<float> rows;
  if (isa<ConvOp>(op)) {
    int64_t batch = shape[0], channels = shape[1], positions = 1;
    for (int64_t extent : shape.drop_front(2))
      positions *= extent;
    rows.reserve(batch * positions * kept.size());
    for (int64_t n = 0; n < batch; ++n)
      for (int64_t p = 0; p < positions; ++p)
        for (int64_t channel : kept)
          rows.push_back(values[(n * channels + channel) * positions + p]);
    return rows;
  }
  int64_t channels = shape.back();
  int64_t count = channels ? int64_t(values.size()) / channels : 0;
  rows.reserve(count * kept.size());
  for (int64_t r = 0; r < count; ++r)
    for (int64_t channel : kept)
      rows.push_back(values[r * channels + channel]);
  return rows;
}

/// The entry ops of a clone that carry layer ids, by id.
static DenseMap<int64_t, Operation *> getLayersById(ModuleOp module) {
  DenseMap<int64_t, Operation *> layers;
  FailureOr<func::FuncOp> entry = getEntryFunction(module);
  if (succeeded(entry))
    entry->walk([&](Operation *op) {
      if (auto id = op->getAttrOfType<IntegerAttr>(kLayerIdAttrName))
        layers[id.getInt()] = op;
    });
  return layers;
}

/// Compiles a clone of `module` that also returns, for each id, operand 0
/// (`inputs`) or the result (otherwise) of that layer.
static FailureOr<std::unique_ptr<HostModel>>
compileObservingLayers(ModuleOp module, ArrayRef<int64_t> ids, bool inputs) {
  OwningOpRef<ModuleOp> observed = module.clone();
  DenseMap<int64_t, Operation *> layers = getLayersById(*observed);
  SmallVector<Value> values;
  for (int64_t id : ids)
    values.push_back(inputs ? layers[id]->getOperand(0)
                            : layers[id]->getResult(0));
  returnValues(*getEntryFunction(*observed), values);
  return HostModel::compile(*observed);
}

/// A host tensor's float elements and shape.
struct ObservedTensor {
  std::vector<float> values;
  SmallVector<int64_t> shape;
};

FailureOr<unsigned> tamp::reconstructLayers(ModuleOp teacher, ModuleOp student,
                                            ArrayRef<CalibrationInputs> data,
                                            double damping) {
  FailureOr<func::FuncOp> studentEntry = getEntryFunction(student);
  FailureOr<func::FuncOp> teacherEntry = getEntryFunction(teacher);
  if (failed(studentEntry) || failed(teacherEntry))
    return failure();
  Location loc = student.getLoc();

  // The layers that lost input channels, with their depth among each other:
  // a layer is re-fit once every re-fit layer upstream of it is, on the
  // inputs those produce (re-fitting all at once on the pruned model's
  // inputs would correct the same error twice).
  DenseMap<int64_t, Operation *> teacherLayers = getLayersById(teacher);
  SmallVector<Operation *> layers;
  DenseMap<Operation *, unsigned> depth;
  studentEntry->walk([&](Operation *op) {
    auto id = op->getAttrOfType<IntegerAttr>(kLayerIdAttrName);
    if (id &&
        (op->hasAttr(kKeptInputChannelsAttrName) ||
         op->hasAttr(kSparsityAttrName)) &&
        isRefittable(op) && teacherLayers.count(id.getInt())) {
      layers.push_back(op);
      depth.try_emplace(op, 0);
    }
  });
  if (layers.empty())
    return 0u;
  unsigned maxDepth = 0;
  for (Operation *op : layers) {
    llvm::SetVector<Operation *> downstream;
    getForwardSlice(op, &downstream);
    for (Operation *user : downstream)
      if (depth.count(user)) {
        depth[user] = std::max(depth[user], depth[op] + 1);
        maxDepth = std::max(maxDepth, depth[user]);
      }
  }

  // The teacher's layer outputs on every input set, kept for all rounds.
  SmallVector<int64_t> ids;
  for (Operation *op : layers)
    ids.push_back(op->getAttrOfType<IntegerAttr>(kLayerIdAttrName).getInt());
  FailureOr<std::unique_ptr<HostModel>> teacherModel =
      compileObservingLayers(teacher, ids, /*inputs=*/false);
  if (failed(teacherModel))
    return emitError(loc) << "cannot compile the original model for "
                             "reconstruction";
  unsigned teacherResults = teacherEntry->getNumResults();
  std::vector<std::vector<ObservedTensor>> targets(
      data.size(), std::vector<ObservedTensor>(layers.size()));
  std::vector<tamp_tensor> results;
  for (auto [setIndex, set] : llvm::enumerate(data)) {
    if (failed((*teacherModel)
                   ->run(set, results,
                         "calibration input set " + std::to_string(setIndex))))
      return failure();
    for (unsigned index = 0; index < layers.size(); ++index) {
      const tamp_tensor &tensor = results[teacherResults + index];
      ObservedTensor &target = targets[setIndex][index];
      if (!readFloatElements(tensor, target.values))
        return layers[index]->emitError(
            "reconstruction needs float layer outputs");
      target.shape.assign(tensor.shape, tensor.shape + tensor.rank);
    }
  }

  Builder b(student.getContext());
  unsigned studentResults = studentEntry->getNumResults();
  for (unsigned round = 0; round <= maxDepth; ++round) {
    SmallVector<unsigned> members;
    SmallVector<int64_t> roundIds;
    for (unsigned index = 0; index < layers.size(); ++index)
      if (depth[layers[index]] == round) {
        members.push_back(index);
        roundIds.push_back(ids[index]);
      }
    FailureOr<std::unique_ptr<HostModel>> studentModel =
        compileObservingLayers(student, roundIds, /*inputs=*/true);
    if (failed(studentModel))
      return emitError(loc) << "cannot compile the pruned model for "
                               "reconstruction";
    std::vector<LeastSquaresAccumulator> statistics;
    for (unsigned index : members) {
      Operation *op = layers[index];
      auto weightType = cast<RankedTensorType>(op->getOperand(1).getType());
      int64_t outputs = weightType.getDimSize(0);
      statistics.emplace_back(weightType.getNumElements() / outputs, outputs);
    }
    std::vector<float> inputs;
    for (auto [setIndex, set] : llvm::enumerate(data)) {
      if (failed(
              (*studentModel)
                  ->run(set, results,
                        "calibration input set " + std::to_string(setIndex))))
        return failure();
      for (auto [slot, index] : llvm::enumerate(members)) {
        Operation *op = layers[index];
        const tamp_tensor &input = results[studentResults + slot];
        if (!readFloatElements(input, inputs))
          return op->emitError("reconstruction needs float layer inputs");
        SmallVector<int64_t> kept;
        int64_t outputs = statistics[slot].getOutputs();
        if (auto attr = op->getAttrOfType<DenseI64ArrayAttr>(
                kKeptOutputChannelsAttrName))
          kept.assign(attr.asArrayRef().begin(), attr.asArrayRef().end());
        else
          for (int64_t channel = 0; channel < outputs; ++channel)
            kept.push_back(channel);
        const ObservedTensor &target = targets[setIndex][index];
        std::vector<float> rows =
            getTargetRows(op, target.values, target.shape, kept);
        int64_t width = statistics[slot].getInputs();
        size_t targetRow = 0;
        bool mismatch = false;
        forEachInputRows(op, inputs, ArrayRef<int64_t>(input.shape, input.rank),
                         [&](ArrayRef<float> patchRows) {
                           size_t count = patchRows.size() / width;
                           if ((targetRow + count) * outputs > rows.size()) {
                             mismatch = true;
                             return;
                           }
                           statistics[slot].addRows(
                               patchRows,
                               ArrayRef<float>(rows).slice(targetRow * outputs,
                                                           count * outputs));
                           targetRow += count;
                         });
        if (mismatch || targetRow * outputs != rows.size())
          return op->emitError(
              "reconstruction: the layer's input rows and the original "
              "layer's output rows do not pair up");
      }
    }
    for (auto [slot, index] : llvm::enumerate(members)) {
      const LeastSquaresAccumulator &accumulated = statistics[slot];
      int64_t size = accumulated.getInputs() + 1;
      auto blob = [&](std::vector<double> values, ArrayRef<int64_t> shape,
                      StringRef name) {
        auto type = RankedTensorType::get(shape, b.getF64Type());
        return DenseResourceElementsAttr::get(
            type, name,
            HeapAsmResourceBlob::allocateAndCopyInferAlign(
                ArrayRef<double>(values)));
      };
      layers[index]->setAttr(
          kReconstructionAttrName,
          b.getDictionaryAttr({
              b.getNamedAttr("gram", blob(accumulated.getGram(), {size, size},
                                          "reconstruction_gram")),
              b.getNamedAttr("cross", blob(accumulated.getCross(),
                                           {size, accumulated.getOutputs()},
                                           "reconstruction_cross")),
              b.getNamedAttr("rows",
                             b.getI64IntegerAttr(accumulated.getRowCount())),
          }));
    }
    PassManager pm(student.getContext());
    ReconstructOptions options;
    options.damping = damping;
    pm.addNestedPass<func::FuncOp>(createReconstruct(options));
    if (failed(pm.run(student)))
      return failure();
  }
  return unsigned(layers.size());
}
