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
#include "tamp/Dialect/Tamp/Transforms/ResidualBlocks.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace tamp;

/// Makes every block's input and output extra results of `func`, named
/// `tamp.block.<K>.input` and `tamp.block.<K>.output`.
static void returnBlockValues(func::FuncOp func,
                              ArrayRef<ResidualBlock> blocks) {
  auto returnOp = cast<func::ReturnOp>(func.getBody().back().getTerminator());
  SmallVector<Value> results(returnOp.getOperands());
  unsigned firstObserved = results.size();
  SmallVector<std::string> names;
  for (auto [index, block] : llvm::enumerate(blocks)) {
    std::string prefix = (kBlockObserverNamePrefix + Twine(index)).str();
    results.push_back(block.input);
    names.push_back(prefix + ".input");
    results.push_back(block.output);
    names.push_back(prefix + ".output");
  }
  OpBuilder builder(returnOp);
  func::ReturnOp::create(builder, returnOp.getLoc(), results);
  returnOp.erase();
  func.setType(builder.getFunctionType(func.getArgumentTypes(),
                                       ValueRange(results).getTypes()));
  for (auto [offset, name] : llvm::enumerate(names))
    func.setResultAttr(firstObserved + offset, "tamp.name",
                       builder.getStringAttr(name));
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
  unsigned firstObserved = observedEntry.getNumResults();
  returnBlockValues(observedEntry, findResidualBlocks(observedEntry));
  FailureOr<std::unique_ptr<HostModel>> host =
      HostModel::compile(*observed, numThreads);
  if (failed(host))
    return emitError(module.getLoc())
           << "cannot compile the model to measure its residual blocks";
  if ((*host)->getNumOutputs() != firstObserved + 2 * blocks.size())
    return emitError(module.getLoc())
           << "the model compiled to measure its residual blocks has "
           << (*host)->getNumOutputs() << " outputs, expected "
           << firstObserved + 2 * blocks.size();

  SmallVector<double> changeSums(blocks.size(), 0.0);
  std::vector<tamp_tensor> outputs;
  std::vector<float> input, output;
  for (auto [setIndex, set] : llvm::enumerate(data)) {
    if (failed((*host)->run(
            set, outputs, "calibration input set " + std::to_string(setIndex))))
      return failure();
    for (auto [index, block] : llvm::enumerate(blocks)) {
      const tamp_tensor &inputTensor = outputs[firstObserved + 2 * index];
      const tamp_tensor &outputTensor = outputs[firstObserved + 2 * index + 1];
      if (!readFloatElements(inputTensor, input) ||
          !readFloatElements(outputTensor, output) ||
          input.size() != output.size())
        return block.join->emitError(
            "cannot measure this residual block: its input and output are "
            "not float tensors of one size");
      changeSums[index] += getRelativeChange(input, output);
    }
  }

  Builder b(module.getContext());
  for (auto [block, sum] : llvm::zip_equal(blocks, changeSums))
    block.join->setAttr(
        kBlockCalibrationAttrName,
        b.getDictionaryAttr(
            {b.getNamedAttr("relative_change",
                            b.getF64FloatAttr(sum / double(data.size()))),
             b.getNamedAttr("samples",
                            b.getI64IntegerAttr(int64_t(data.size())))}));
  return success();
}
