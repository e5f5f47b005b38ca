//===- BlockStatistics.cpp - Measure residual blocks on calibration data --===//
//
// As calibration does for quantizable ops: a clone of the model returns
// what is observed (each block's input and output) as extra, named results;
// it is compiled for the host, run on every calibration set, and the
// statistics go back onto the uninstrumented model's ops.
//
//===----------------------------------------------------------------------===//

#include "tamp/Compiler/BlockStatistics.h"
#include "tamp/Compiler/HostModel.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Dialect/Tamp/Transforms/ResidualBlocks.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace mlir;
using namespace tamp;

/// Instruments `func` for measuring `blocks`:
/// - each block's output z becomes x + g * (z - x) for its users, with the
///   gate g a new scalar argument `tamp.block.<K>.gate`: g = 1 runs the
///   model as it is, g = 0 as if the block were removed;
/// - each block's input and (ungated) output become extra results,
///   `tamp.block.<K>.input` and `tamp.block.<K>.output`.
static void instrumentBlocks(func::FuncOp func,
                             ArrayRef<ResidualBlock> blocks) {
  OpBuilder builder(func.getContext());
  auto gateType = RankedTensorType::get({}, builder.getF32Type());
  SmallVector<Value> observed;
  SmallVector<std::string> names;
  for (auto [index, block] : llvm::enumerate(blocks)) {
    std::string prefix = (kBlockObserverNamePrefix + Twine(index)).str();
    observed.append({block.input, block.output});
    names.append({prefix + ".input", prefix + ".output"});
    unsigned gateIndex = func.getNumArguments();
    (void)func.insertArgument(
        gateIndex, gateType,
        builder.getDictionaryAttr(builder.getNamedAttr(
            "tamp.name", builder.getStringAttr(prefix + ".gate"))),
        block.join->getLoc());
  }
  // Last block first: a block's output is the next block's input, and the
  // next block's mix must see the gated value too.
  for (size_t index = blocks.size(); index-- > 0;) {
    const ResidualBlock &block = blocks[index];
    Value gate =
        func.getArgument(func.getNumArguments() - blocks.size() + index);
    Value output = block.output;
    Location loc = block.join->getLoc();
    builder.setInsertionPointAfterValue(output);
    auto change = SubOp::create(builder, loc, output, block.input);
    auto gated = MulOp::create(builder, loc, change, gate);
    auto mixed = AddOp::create(builder, loc, block.input, gated);
    output.replaceAllUsesExcept(mixed, change.getOperation());
  }

  auto returnOp = cast<func::ReturnOp>(func.getBody().back().getTerminator());
  SmallVector<Value> results(returnOp.getOperands());
  unsigned firstObserved = results.size();
  results.append(observed);
  builder.setInsertionPoint(returnOp);
  func::ReturnOp::create(builder, returnOp.getLoc(), results);
  returnOp.erase();
  func.setType(builder.getFunctionType(func.getArgumentTypes(),
                                       ValueRange(results).getTypes()));
  for (auto [offset, name] : llvm::enumerate(names))
    func.setResultAttr(firstObserved + offset, "tamp.name",
                       builder.getStringAttr(name));
}

/// 1 - cos(a, b) from a.b, |a|^2 and |b|^2: 0 for equal directions (and
/// for two zero vectors), 1 when orthogonal or only one is zero.
static double getCosineDistance(double dot, double squaredNormA,
                                double squaredNormB) {
  if (squaredNormA == 0 || squaredNormB == 0)
    return squaredNormA == squaredNormB ? 0 : 1;
  return 1 - dot / std::sqrt(squaredNormA * squaredNormB);
}

/// Gate tensors: 1 for every block but `removed`.
static void setGates(MutableArrayRef<HostTensor> gates,
                     std::optional<size_t> removed) {
  for (auto [index, gate] : llvm::enumerate(gates)) {
    float value = removed && *removed == index ? 0.0f : 1.0f;
    std::memcpy(gate.data.data(), &value, sizeof(value));
  }
}

/// ||output - input||^2 / ||input||^2 in double precision; 0 when both are
/// zero, infinite when only the input is.
static double getRelativeChange(ArrayRef<float> input, ArrayRef<float> output) {
  double difference = 0, norm = 0;
  for (auto [x, z] : llvm::zip_equal(input, output)) {
    double delta = double(z) - double(x);
    difference += delta * delta;
    norm += double(x) * double(x);
  }
  if (norm == 0)
    return difference == 0 ? 0 : std::numeric_limits<double>::infinity();
  return difference / norm;
}

LogicalResult tamp::measureResidualBlocks(ModuleOp module,
                                          ArrayRef<CalibrationInputs> data,
                                          unsigned numThreads) {
  FailureOr<func::FuncOp> entry = getEntryFunction(module);
  if (failed(entry))
    return failure();
  SmallVector<ResidualBlock> blocks = findResidualBlocks(*entry);
  if (blocks.empty() || data.empty())
    return success();

  // The analysis is deterministic: the clone has the same blocks, in the
  // same order.
  OwningOpRef<ModuleOp> observed = module.clone();
  func::FuncOp observedEntry = *getEntryFunction(*observed);
  unsigned numOutputs = observedEntry.getNumResults();
  instrumentBlocks(observedEntry, findResidualBlocks(observedEntry));
  FailureOr<std::unique_ptr<HostModel>> host =
      HostModel::compile(*observed, numThreads);
  if (failed(host))
    return emitError(module.getLoc())
           << "cannot compile the model to measure its residual blocks";
  if ((*host)->getNumOutputs() != numOutputs + 2 * blocks.size())
    return emitError(module.getLoc())
           << "the model compiled to measure its residual blocks has "
           << (*host)->getNumOutputs() << " outputs, expected "
           << numOutputs + 2 * blocks.size();

  SmallVector<double> relativeChanges(blocks.size(), 0.0),
      outputChanges(blocks.size(), 0.0);
  std::vector<tamp_tensor> outputs;
  std::vector<float> input, output;
  std::vector<std::vector<float>> reference(numOutputs);
  for (auto [setIndex, set] : llvm::enumerate(data)) {
    std::string what = "calibration input set " + std::to_string(setIndex);
    CalibrationInputs inputs = set;
    for (size_t index = 0; index < blocks.size(); ++index) {
      HostTensor gate;
      gate.dtype = TAMP_DTYPE_FLOAT32;
      gate.data.resize(sizeof(float));
      inputs.push_back(std::move(gate));
    }
    MutableArrayRef<HostTensor> gates(inputs.data() + set.size(),
                                      blocks.size());

    // The model as it is: each block's change of its input, and the
    // outputs to compare the ablations with.
    setGates(gates, std::nullopt);
    if (failed((*host)->run(inputs, outputs, what)))
      return failure();
    for (auto [index, block] : llvm::enumerate(blocks)) {
      const tamp_tensor &inputTensor = outputs[numOutputs + 2 * index];
      const tamp_tensor &outputTensor = outputs[numOutputs + 2 * index + 1];
      if (!readFloatElements(inputTensor, input) ||
          !readFloatElements(outputTensor, output) ||
          input.size() != output.size())
        return block.join->emitError(
            "cannot measure this residual block: its input and output are "
            "not float tensors of one size");
      relativeChanges[index] += getRelativeChange(input, output);
    }
    double referenceNorm = 0;
    for (unsigned result = 0; result < numOutputs; ++result) {
      if (!readFloatElements(outputs[result], reference[result]))
        reference[result].clear();
      for (float value : reference[result])
        referenceNorm += double(value) * double(value);
    }

    // Each block removed in turn: how far the outputs move.
    for (size_t index = 0; index < blocks.size(); ++index) {
      setGates(gates, index);
      if (failed((*host)->run(inputs, outputs, what)))
        return failure();
      double dot = 0, norm = 0;
      for (unsigned result = 0; result < numOutputs; ++result) {
        if (reference[result].empty() ||
            !readFloatElements(outputs[result], output))
          continue;
        for (auto [expected, actual] :
             llvm::zip_equal(reference[result], output)) {
          dot += double(expected) * double(actual);
          norm += double(actual) * double(actual);
        }
      }
      outputChanges[index] += getCosineDistance(dot, referenceNorm, norm);
    }
  }

  Builder b(module.getContext());
  double sets = double(data.size());
  for (auto [block, relativeChange, outputChange] :
       llvm::zip_equal(blocks, relativeChanges, outputChanges))
    block.join->setAttr(
        kBlockCalibrationAttrName,
        b.getDictionaryAttr(
            {b.getNamedAttr("output_change",
                            b.getF64FloatAttr(outputChange / sets)),
             b.getNamedAttr("relative_change",
                            b.getF64FloatAttr(relativeChange / sets)),
             b.getNamedAttr("samples",
                            b.getI64IntegerAttr(int64_t(data.size())))}));
  return success();
}
