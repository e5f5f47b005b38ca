//===- Reconstruct.cpp - Least-squares re-fit of compressed layers --------===//
//
// After pruning, a layer sees fewer (and slightly different) inputs than in
// the original model. Re-fitting its kept weights and bias so that its
// outputs match the original layer's on calibration data recovers much of
// what pruning lost, without training: a ridge regression per layer whose
// statistics the driver accumulates (see kReconstructionAttrName).
//
//===----------------------------------------------------------------------===//

#include "DenseLinearAlgebra.h"
#include "WeightData.h"

#include "tamp/Dialect/Tamp/IR/TampInterfaces.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace tamp {
#define GEN_PASS_DEF_RECONSTRUCT
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"
} // namespace tamp

using namespace mlir;
using namespace tamp;

namespace {

/// A layer's weight as the [N, K] matrix it multiplies inputs by.
struct LayerWeights {
  int64_t rows = 0, columns = 0;
  std::vector<double> weight;
  std::vector<double> bias;
};

struct ReconstructPass : public tamp::impl::ReconstructBase<ReconstructPass> {
  using Base::Base;

  void runOnOperation() override;
  LogicalResult reconstruct(Operation *op, DictionaryAttr statistics);
};

} // namespace

/// Solves (gram + lambda I) x = cross for every column; the bias (last)
/// unknown is not regularised.
static bool solveRidge(std::vector<double> gram, int64_t n,
                       std::vector<double> &cross, int64_t columns,
                       double damping) {
  double meanDiagonal = 0;
  for (int64_t i = 0; i + 1 < n; ++i)
    meanDiagonal += gram[i * n + i];
  meanDiagonal = n > 1 ? meanDiagonal / double(n - 1) : 0;
  double lambda = std::max(damping * meanDiagonal, 1e-8);
  for (int64_t i = 0; i + 1 < n; ++i)
    gram[i * n + i] += lambda;
  // The bias column is exactly the mean of the inputs; a tiny ridge keeps
  // the system definite when an input is constant.
  gram[(n - 1) * n + (n - 1)] += 1e-8;
  if (!factorCholesky(gram, n))
    return false;
  solveCholesky(gram, n, cross, columns);
  return true;
}

LogicalResult ReconstructPass::reconstruct(Operation *op,
                                           DictionaryAttr statistics) {
  auto prunable = dyn_cast<PrunableChannelOpInterface>(op);
  if (!prunable || (isa<ConvOp>(op) && cast<ConvOp>(op).getGroup() != 1) ||
      (!isa<ConvOp>(op) && !isa<LinearOp>(op)))
    return op->emitError("tamp-reconstruct re-fits linear layers and "
                         "convolutions with group 1 only");
  unsigned weightIndex = *prunable.getWeightOperandIndex();
  Value weightValue = op->getOperand(weightIndex);
  auto weightType = cast<RankedTensorType>(weightValue.getType());
  auto elementType = dyn_cast<FloatType>(weightType.getElementType());
  std::optional<std::vector<double>> weight = readConstantFloats(weightValue);
  if (!elementType || !weight)
    return op->emitError("tamp-reconstruct needs a constant float weight");
  int64_t rows = weightType.getDimSize(0);
  int64_t columns = weightType.getNumElements() / std::max<int64_t>(rows, 1);

  auto gramAttr = statistics.getAs<ElementsAttr>("gram");
  auto crossAttr = statistics.getAs<ElementsAttr>("cross");
  std::optional<std::vector<double>> gram =
      gramAttr ? readFloatElements(gramAttr) : std::nullopt;
  std::optional<std::vector<double>> cross =
      crossAttr ? readFloatElements(crossAttr) : std::nullopt;
  int64_t n = columns + 1;
  if (!gram || !cross || int64_t(gram->size()) != n * n ||
      int64_t(cross->size()) != n * rows)
    return op->emitError("tamp.reconstruction must hold `gram` (")
           << n << "x" << n << ") and `cross` (" << n << "x" << rows
           << ") float tensors for this layer";

  std::optional<std::vector<double>> bias;
  if (std::optional<unsigned> biasIndex = prunable.getBiasOperandIndex();
      biasIndex && *biasIndex < op->getNumOperands()) {
    bias = readConstantFloats(op->getOperand(*biasIndex));
    if (!bias)
      return op->emitError("tamp-reconstruct needs a constant bias");
  }

  std::vector<double> solution(n * rows);
  // A sparse weight keeps its pattern: each row is re-fit on its own
  // support (with the bias).
  int64_t zeros = llvm::count(*weight, 0.0);
  bool sparse = preserveZeros && zeros * 4 >= int64_t(weight->size());
  if (!sparse) {
    solution = *cross;
    if (!solveRidge(*gram, n, solution, rows, damping))
      return op->emitError("the reconstruction system is not positive "
                           "definite; increase damping");
  } else {
    for (int64_t row = 0; row < rows; ++row) {
      SmallVector<int64_t> support;
      for (int64_t column = 0; column < columns; ++column)
        if ((*weight)[row * columns + column] != 0)
          support.push_back(column);
      support.push_back(columns);
      int64_t size = support.size();
      std::vector<double> subGram(size * size), subCross(size);
      for (int64_t i = 0; i < size; ++i) {
        for (int64_t j = 0; j < size; ++j)
          subGram[i * size + j] = (*gram)[support[i] * n + support[j]];
        subCross[i] = (*cross)[support[i] * rows + row];
      }
      if (!solveRidge(std::move(subGram), size, subCross, 1, damping))
        return op->emitError("the reconstruction system of row ")
               << row << " is not positive definite; increase damping";
      for (int64_t i = 0; i < size; ++i)
        solution[support[i] * rows + row] = subCross[i];
    }
  }

  std::vector<float> newWeight(rows * columns), newBias(rows);
  for (int64_t row = 0; row < rows; ++row) {
    for (int64_t column = 0; column < columns; ++column)
      newWeight[row * columns + column] = float(solution[column * rows + row]);
    newBias[row] = float(solution[columns * rows + row]);
  }
  auto constant = weightValue.getDefiningOp<ConstantOp>();
  OpBuilder builder(op);
  ConstantBuilder constants(builder, constant.getLoc(), constant.getValue());
  op->setOperand(weightIndex,
                 constants.createFloats(weightType.getShape(), elementType,
                                        newWeight, "refit"));
  Value newBiasValue =
      constants.createFloats({rows}, elementType, newBias, "refit_bias");
  if (std::optional<unsigned> biasIndex = prunable.getBiasOperandIndex();
      biasIndex && *biasIndex < op->getNumOperands())
    op->setOperand(*biasIndex, newBiasValue);
  else
    op->insertOperands(op->getNumOperands(), newBiasValue);
  for (Value old : {weightValue})
    if (Operation *definer = old.getDefiningOp();
        definer && definer->use_empty())
      definer->erase();
  return success();
}

void ReconstructPass::runOnOperation() {
  if (damping < 0) {
    getOperation().emitError("tamp-reconstruct: damping must be >= 0");
    return signalPassFailure();
  }
  SmallVector<std::pair<Operation *, DictionaryAttr>> layers;
  getOperation().walk([&](Operation *op) {
    if (auto statistics =
            op->getAttrOfType<DictionaryAttr>(kReconstructionAttrName))
      layers.emplace_back(op, statistics);
  });
  for (auto [op, statistics] : layers) {
    if (failed(reconstruct(op, statistics)))
      return signalPassFailure();
    op->removeAttr(kReconstructionAttrName);
    ++numReconstructed;
  }
}
