//===- Loss.cpp - Import of ONNX loss functions ---------------------------===//
//
// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss are ONNX functions;
// they are decomposed here into tamp ops along the lines of their ONNX
// function bodies: the loss picks each sample's target-class entry out of
// the [N, C, d1, ...] log-probabilities with gather_elements, scales it by
// the class weight, zeroes ignored samples, and reduces.
//
//===----------------------------------------------------------------------===//

#include "NodeImporter.h"
#include "OpRegistry.h"

#include "onnx-ml.pb.h"

#include "llvm/ADT/StringSwitch.h"

using namespace mlir;

namespace tamp {
namespace {

RankedTensorType typeOf(Value value) { return NodeImporter::typeOf(value); }

enum class LossReduction { none, sum, mean };

FailureOr<LossReduction> readReduction(NodeImporter &node) {
  FailureOr<std::string> text = node.attrString("reduction", "mean");
  if (failed(text))
    return failure();
  std::optional<LossReduction> reduction =
      llvm::StringSwitch<std::optional<LossReduction>>(*text)
          .Case("none", LossReduction::none)
          .Case("sum", LossReduction::sum)
          .Case("mean", LossReduction::mean)
          .Default(std::nullopt);
  if (!reduction)
    return node.emitError()
           << "attribute 'reduction' must be none, sum or mean, got \"" << *text
           << "\"";
  return *reduction;
}

/// The loss of log-probabilities `logProb` ([N, C, d1, ...]) against class
/// indices `target` ([N, d1, ...]) with optional per-class `weight` ([C]):
/// -logProb[n, target[n, ...], ...] * weight[target[n, ...]], zero where the
/// target equals ignore_index, then reduced.
FailureOr<Value> buildNegativeLogLikelihood(NodeImporter &node, Value logProb,
                                            Value target, Value weight) {
  FailureOr<LossReduction> reduction = readReduction(node);
  if (failed(reduction))
    return failure();
  std::optional<int64_t> ignoreIndex;
  if (node.hasAttr("ignore_index")) {
    FailureOr<int64_t> value = node.attrInt("ignore_index");
    if (failed(value))
      return failure();
    ignoreIndex = *value;
  }

  RankedTensorType logProbType = typeOf(logProb);
  RankedTensorType targetType = typeOf(target);
  if (logProbType.getRank() < 2)
    return node.emitError() << "input must have rank >= 2 ([N, C, d1, ...]), "
                               "got rank "
                            << logProbType.getRank();
  if (targetType.getRank() != logProbType.getRank() - 1)
    return node.emitError()
           << "target must have rank " << logProbType.getRank() - 1
           << " ([N, d1, ...]), got rank " << targetType.getRank();
  if (!targetType.getElementType().isInteger(32) &&
      !targetType.getElementType().isInteger(64))
    return node.emitError() << "target must hold int32 or int64 class indices";
  if (weight && typeOf(weight).getRank() != 1)
    return node.emitError() << "weight must have rank 1 ([C]), got rank "
                            << typeOf(weight).getRank();
  Type elementType = logProbType.getElementType();
  Type indexType = targetType.getElementType();

  // Ignored samples may hold any value, including out-of-range ones; they
  // gather class 0 and are masked out afterwards.
  Value valid;
  Value safeTarget = target;
  if (ignoreIndex) {
    Value ignored = node.constantScalar(indexType, double(*ignoreIndex));
    FailureOr<Value> isIgnored = node.build<EqualOp>(target, ignored);
    if (failed(isIgnored))
      return failure();
    FailureOr<Value> notIgnored = node.build<NotOp>(*isIgnored);
    FailureOr<Value> replaced = node.build<WhereOp>(
        *isIgnored, node.constantScalar(indexType, 0.0), target);
    if (failed(notIgnored) || failed(replaced))
      return failure();
    valid = *notIgnored;
    safeTarget = *replaced;
  }

  FailureOr<Value> indices =
      node.build<UnsqueezeOp>(safeTarget, ArrayRef<int64_t>{1});
  if (failed(indices))
    return failure();
  FailureOr<Value> picked =
      node.build<GatherElementsOp>(logProb, *indices, int64_t(1));
  if (failed(picked))
    return failure();
  FailureOr<Value> squeezed =
      node.build<SqueezeOp>(*picked, ArrayRef<int64_t>{1});
  if (failed(squeezed))
    return failure();
  FailureOr<Value> loss = node.build<NegOp>(*squeezed);
  if (failed(loss))
    return failure();

  // The per-sample weight: weight[target], zeroed for ignored samples; null
  // when every sample counts once.
  Value sampleWeight;
  if (weight) {
    FailureOr<Value> gathered =
        node.build<GatherOp>(weight, safeTarget, int64_t(0));
    if (failed(gathered))
      return failure();
    sampleWeight = *gathered;
  }
  if (valid) {
    Value zero = node.constantScalar(elementType, 0.0);
    Value one = node.constantScalar(elementType, 1.0);
    FailureOr<Value> masked =
        node.build<WhereOp>(valid, sampleWeight ? sampleWeight : one, zero);
    if (failed(masked))
      return failure();
    sampleWeight = *masked;
  }
  if (sampleWeight) {
    loss = node.build<MulOp>(*loss, sampleWeight);
    if (failed(loss))
      return failure();
  }

  switch (*reduction) {
  case LossReduction::none:
    return *loss;
  case LossReduction::sum:
    return node.build<ReduceSumOp>(*loss, ArrayRef<int64_t>{}, false);
  case LossReduction::mean: {
    if (!sampleWeight)
      return node.build<ReduceMeanOp>(*loss, ArrayRef<int64_t>{}, false);
    FailureOr<Value> total =
        node.build<ReduceSumOp>(*loss, ArrayRef<int64_t>{}, false);
    FailureOr<Value> totalWeight =
        node.build<ReduceSumOp>(sampleWeight, ArrayRef<int64_t>{}, false);
    if (failed(total) || failed(totalWeight))
      return failure();
    return node.build<DivOp>(*total, *totalWeight);
  }
  }
  llvm_unreachable("unknown reduction");
}

LogicalResult importNegativeLogLikelihoodLoss(NodeImporter &node) {
  if (failed(node.checkInputCount(2, 3)))
    return failure();
  FailureOr<Value> input = node.input(0), target = node.input(1);
  Value weight;
  if (failed(input) || failed(target) ||
      failed(node.readOptionalInput(2, weight)))
    return failure();
  return node.setSingleResult(
      buildNegativeLogLikelihood(node, *input, *target, weight));
}

/// The loss of log_softmax(scores) along the class axis; the second output
/// is those log-probabilities.
LogicalResult importSoftmaxCrossEntropyLoss(NodeImporter &node) {
  if (failed(node.checkInputCount(2, 3)))
    return failure();
  FailureOr<Value> scores = node.input(0), labels = node.input(1);
  Value weight;
  if (failed(scores) || failed(labels) ||
      failed(node.readOptionalInput(2, weight)))
    return failure();
  if (typeOf(*scores).getRank() < 2)
    return node.emitError() << "scores must have rank >= 2 ([N, C, d1, ...]), "
                               "got rank "
                            << typeOf(*scores).getRank();
  FailureOr<Value> logProb = node.build<LogSoftmaxOp>(*scores, int64_t(1));
  if (failed(logProb))
    return failure();
  FailureOr<Value> loss =
      buildNegativeLogLikelihood(node, *logProb, *labels, weight);
  if (failed(loss))
    return failure();
  node.setResult(0, *loss);
  node.setResult(1, *logProb);
  return success();
}

} // namespace

void registerLossOps(OpRegistry &registry) {
  registry.add("", "NegativeLogLikelihoodLoss",
               importNegativeLogLikelihoodLoss);
  registry.add("", "SoftmaxCrossEntropyLoss", importSoftmaxCrossEntropyLoss);
}

} // namespace tamp
