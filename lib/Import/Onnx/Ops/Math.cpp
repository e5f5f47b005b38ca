//===- Math.cpp - Import of ONNX element-wise math, reductions, matmul ----===//

#include "Math.h"

#include "ConstantData.h"
#include "NodeImporter.h"
#include "OpRegistry.h"

#include "onnx-ml.pb.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

#include <limits>
#include <map>

using namespace mlir;

namespace tamp {
namespace {

//===----------------------------------------------------------------------===//
// Element-wise
//===----------------------------------------------------------------------===//

template <typename OpTy> LogicalResult importUnary(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  FailureOr<Value> result = node.build<OpTy>(*input);
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

/// Before opset 7, binary ops broadcast only when `broadcast` = 1, aligning
/// the right operand at `axis`; without `axis` that is numpy's suffix
/// alignment, which is all Tamp supports of it.
LogicalResult checkLegacyBroadcast(NodeImporter &node) {
  if (node.opset() >= 7)
    return success();
  if (node.hasAttr("axis"))
    return node.emitError() << "legacy broadcasting with an explicit 'axis' "
                               "(opset < 7) is not supported";
  return success();
}

template <typename OpTy> LogicalResult importBinary(NodeImporter &node) {
  if (failed(node.checkInputCount(2, 2)) || failed(checkLegacyBroadcast(node)))
    return failure();
  FailureOr<Value> lhs = node.input(0), rhs = node.input(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  FailureOr<Value> result = node.build<OpTy>(*lhs, *rhs);
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

/// Sum, Min, Max: a chain of binary ops over 1..N inputs.
template <typename OpTy> FailureOr<Value> foldVariadic(NodeImporter &node) {
  if (failed(node.checkInputCount(1, ~0u)))
    return failure();
  SmallVector<Value> inputs = node.inputsFrom(0);
  if (inputs.size() != node.numInputs())
    return node.emitError() << "inputs may not be omitted";
  Value accumulator = inputs.front();
  for (Value next : llvm::drop_begin(inputs)) {
    FailureOr<Value> combined = node.build<OpTy>(accumulator, next);
    if (failed(combined))
      return failure();
    accumulator = *combined;
  }
  return accumulator;
}

template <typename OpTy> LogicalResult importVariadic(NodeImporter &node) {
  FailureOr<Value> result = foldVariadic<OpTy>(node);
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

LogicalResult importMean(NodeImporter &node) {
  FailureOr<Value> sum = foldVariadic<AddOp>(node);
  if (failed(sum))
    return failure();
  Type elementType = NodeImporter::typeOf(*sum).getElementType();
  if (!isa<FloatType>(elementType))
    return node.emitError()
           << "Mean needs floating-point inputs, got element type "
           << elementType;
  Value count = node.constantScalar(elementType, double(node.numInputs()));
  FailureOr<Value> mean = node.build<DivOp>(*sum, count);
  if (failed(mean))
    return failure();
  node.setResult(0, *mean);
  return success();
}

LogicalResult importPow(NodeImporter &node) {
  if (failed(node.checkInputCount(2, 2)))
    return failure();
  FailureOr<Value> base = node.input(0), exponent = node.input(1);
  if (failed(base) || failed(exponent))
    return failure();
  // Since opset 12 the exponent may have another type; the result has the
  // base's type, so compute in it.
  FailureOr<Value> castExponent =
      node.castTo(*exponent, NodeImporter::typeOf(*base).getElementType());
  if (failed(castExponent))
    return failure();
  FailureOr<Value> result = node.build<PowOp>(*base, *castExponent);
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

LogicalResult importMod(NodeImporter &node) {
  if (failed(node.checkInputCount(2, 2)))
    return failure();
  FailureOr<Value> lhs = node.input(0), rhs = node.input(1);
  FailureOr<bool> fmod = node.attrBool("fmod", false);
  if (failed(lhs) || failed(rhs) || failed(fmod))
    return failure();
  FailureOr<Value> result = node.build<ModOp>(*lhs, *rhs, *fmod);
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

LogicalResult importBitShift(NodeImporter &node) {
  if (failed(node.checkInputCount(2, 2)))
    return failure();
  FailureOr<Value> lhs = node.input(0), rhs = node.input(1);
  FailureOr<std::string> direction = node.attrString("direction");
  if (failed(lhs) || failed(rhs) || failed(direction))
    return failure();
  FailureOr<Value> result = failure();
  if (*direction == "LEFT")
    result = node.build<ShiftLeftOp>(*lhs, *rhs);
  else if (*direction == "RIGHT")
    result = node.build<ShiftRightOp>(*lhs, *rhs);
  else
    return node.emitError()
           << "attribute 'direction' must be \"LEFT\" or \"RIGHT\", got \""
           << *direction << "\"";
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

/// IsNaN(x) = !(x == x): NaN is the one value unequal to itself.
LogicalResult importIsNaN(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  FailureOr<Value> ordered = node.build<EqualOp>(*input, *input);
  if (failed(ordered))
    return failure();
  FailureOr<Value> result = node.build<NotOp>(*ordered);
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

/// IsInf(x) = (detect_positive && x == +inf) || (detect_negative && x == -inf).
LogicalResult importIsInf(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  FailureOr<bool> detectPositive = node.attrBool("detect_positive", true);
  FailureOr<bool> detectNegative = node.attrBool("detect_negative", true);
  if (failed(input) || failed(detectPositive) || failed(detectNegative))
    return failure();
  Type elementType = NodeImporter::typeOf(*input).getElementType();
  if (!isa<FloatType>(elementType))
    return node.emitError()
           << "IsInf needs a floating-point input, got element type "
           << elementType;
  double infinity = std::numeric_limits<double>::infinity();
  Value positive = node.constantScalar(elementType, infinity);
  Value negative = node.constantScalar(elementType, -infinity);
  FailureOr<Value> result = failure();
  if (*detectPositive && *detectNegative) {
    FailureOr<Value> isPositive = node.build<EqualOp>(*input, positive);
    FailureOr<Value> isNegative = node.build<EqualOp>(*input, negative);
    if (failed(isPositive) || failed(isNegative))
      return failure();
    result = node.build<OrOp>(*isPositive, *isNegative);
  } else if (*detectPositive) {
    result = node.build<EqualOp>(*input, positive);
  } else if (*detectNegative) {
    result = node.build<EqualOp>(*input, negative);
  } else {
    // Nothing is detected: x > +inf is false everywhere, in x's shape.
    result = node.build<GreaterOp>(*input, positive);
  }
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

LogicalResult importWhere(NodeImporter &node) {
  if (failed(node.checkInputCount(3, 3)))
    return failure();
  FailureOr<Value> cond = node.input(0), lhs = node.input(1),
                   rhs = node.input(2);
  if (failed(cond) || failed(lhs) || failed(rhs))
    return failure();
  FailureOr<Value> result = node.build<WhereOp>(*cond, *lhs, *rhs);
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

LogicalResult importRelu(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  FailureOr<Value> result = node.build<ClampOp>(
      *input, node.builder().getF64FloatAttr(0.0), FloatAttr());
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

LogicalResult importClip(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 3)))
    return failure();
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  Builder &b = node.builder();
  FloatAttr minAttr, maxAttr;
  if (node.opset() < 11) {
    // Bounds are attributes, defaulting to the float range.
    auto lowest = node.attrFloat("min", std::numeric_limits<float>::lowest());
    auto highest = node.attrFloat("max", std::numeric_limits<float>::max());
    if (failed(lowest) || failed(highest))
      return failure();
    if (node.hasAttr("min"))
      minAttr = b.getF64FloatAttr(*lowest);
    if (node.hasAttr("max"))
      maxAttr = b.getF64FloatAttr(*highest);
  } else {
    Value value = *input;
    // Bounds are optional inputs: constants become attributes, anything
    // else becomes an element-wise max/min.
    for (unsigned i : {1u, 2u}) {
      Value bound = node.optionalInput(i);
      if (!bound) {
        if (node.hasInput(i))
          return failure();
        continue;
      }
      if (NodeImporter::typeOf(bound).getNumElements() != 1 &&
          NodeImporter::typeOf(bound).hasStaticShape())
        return node.emitError()
               << (i == 1 ? "min" : "max") << " must be a scalar";
      if (auto values = getConstantFloatValues(bound);
          values && values->size() == 1) {
        (i == 1 ? minAttr : maxAttr) = b.getF64FloatAttr(values->front());
        continue;
      }
      if (auto values = getConstantIntValues(bound);
          values && values->size() == 1) {
        (i == 1 ? minAttr : maxAttr) =
            b.getF64FloatAttr(double(values->front()));
        continue;
      }
      FailureOr<Value> bounded = i == 1 ? node.build<MaxOp>(value, bound)
                                        : node.build<MinOp>(value, bound);
      if (failed(bounded))
        return failure();
      value = *bounded;
    }
    input = value;
  }
  if (minAttr && maxAttr &&
      minAttr.getValueAsDouble() > maxAttr.getValueAsDouble()) {
    // ONNX defines min > max as setting everything to max.
    minAttr = maxAttr;
  }
  FailureOr<Value> result = node.build<ClampOp>(*input, minAttr, maxAttr);
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

/// An activation with float attributes `names` (defaults `defaults`).
template <typename OpTy>
LogicalResult importFloatActivation(NodeImporter &node,
                                    ArrayRef<llvm::StringRef> names,
                                    ArrayRef<float> defaults) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  SmallVector<FloatAttr> attrs;
  for (auto [name, dflt] : llvm::zip(names, defaults)) {
    FailureOr<float> value = node.attrFloat(name, dflt);
    if (failed(value))
      return failure();
    attrs.push_back(node.builder().getF32FloatAttr(*value));
  }
  FailureOr<Value> result = failure();
  if constexpr (std::is_same_v<OpTy, SeluOp> ||
                std::is_same_v<OpTy, HardSigmoidOp>)
    result = node.build<OpTy>(*input, attrs[0], attrs[1]);
  else
    result = node.build<OpTy>(*input, attrs[0]);
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

LogicalResult importLeakyRelu(NodeImporter &node) {
  return importFloatActivation<LeakyReluOp>(node, {"alpha"}, {0.01f});
}
LogicalResult importElu(NodeImporter &node) {
  return importFloatActivation<EluOp>(node, {"alpha"}, {1.0f});
}
LogicalResult importSelu(NodeImporter &node) {
  return importFloatActivation<SeluOp>(
      node, {"alpha", "gamma"},
      {1.67326319217681884765625f, 1.05070102214813232421875f});
}
LogicalResult importHardSigmoid(NodeImporter &node) {
  return importFloatActivation<HardSigmoidOp>(node, {"alpha", "beta"},
                                              {0.2f, 0.5f});
}

LogicalResult importGelu(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  FailureOr<std::string> approximate = node.attrString("approximate", "none");
  if (failed(input) || failed(approximate))
    return failure();
  std::optional<GeluApproximation> kind =
      symbolizeGeluApproximation(*approximate);
  if (!kind)
    return node.emitError() << "attribute 'approximate' must be \"none\" or "
                               "\"tanh\", got \""
                            << *approximate << "\"";
  FailureOr<Value> result = node.build<GeluOp>(*input, *kind);
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

LogicalResult importPRelu(NodeImporter &node) {
  return importBinary<PReluOp>(node);
}

/// The single input of a float activation, or a diagnostic naming `opName`.
FailureOr<Value> floatActivationInput(NodeImporter &node,
                                      llvm::StringRef opName) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  Type elementType = NodeImporter::typeOf(*input).getElementType();
  if (!isa<FloatType>(elementType))
    return node.emitError()
           << opName << " needs a floating-point input, got element type "
           << elementType;
  return input;
}

/// Swish(x) = x * sigmoid(alpha * x).
LogicalResult importSwish(NodeImporter &node) {
  FailureOr<Value> input = floatActivationInput(node, "Swish");
  FailureOr<float> alpha = node.attrFloat("alpha", 1.0f);
  if (failed(input) || failed(alpha))
    return failure();
  Type elementType = NodeImporter::typeOf(*input).getElementType();
  Value gateInput = *input;
  if (*alpha != 1.0f) {
    FailureOr<Value> scaled =
        node.build<MulOp>(*input, node.constantScalar(elementType, *alpha));
    if (failed(scaled))
      return failure();
    gateInput = *scaled;
  }
  FailureOr<Value> gate = node.build<SigmoidOp>(gateInput);
  if (failed(gate))
    return failure();
  FailureOr<Value> result = node.build<MulOp>(*input, *gate);
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

/// Celu(x) = max(0, x) + min(0, alpha * (exp(x / alpha) - 1)), which is
/// alpha * elu(x / alpha) with elu's alpha = 1.
LogicalResult importCelu(NodeImporter &node) {
  FailureOr<Value> input = floatActivationInput(node, "Celu");
  FailureOr<float> alpha = node.attrFloat("alpha", 1.0f);
  if (failed(input) || failed(alpha))
    return failure();
  if (*alpha == 0.0f)
    return node.emitError() << "attribute 'alpha' must be non-zero";
  Type elementType = NodeImporter::typeOf(*input).getElementType();
  FailureOr<Value> scaled =
      node.build<DivOp>(*input, node.constantScalar(elementType, *alpha));
  if (failed(scaled))
    return failure();
  FailureOr<Value> elu =
      node.build<EluOp>(*scaled, node.builder().getF32FloatAttr(1.0f));
  if (failed(elu))
    return failure();
  FailureOr<Value> result =
      node.build<MulOp>(*elu, node.constantScalar(elementType, *alpha));
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

/// ThresholdedRelu(x) = x > alpha ? x : 0.
LogicalResult importThresholdedRelu(NodeImporter &node) {
  FailureOr<Value> input = floatActivationInput(node, "ThresholdedRelu");
  FailureOr<float> alpha = node.attrFloat("alpha", 1.0f);
  if (failed(input) || failed(alpha))
    return failure();
  Type elementType = NodeImporter::typeOf(*input).getElementType();
  FailureOr<Value> above =
      node.build<GreaterOp>(*input, node.constantScalar(elementType, *alpha));
  if (failed(above))
    return failure();
  FailureOr<Value> result = node.build<WhereOp>(
      *above, *input, node.constantScalar(elementType, 0.0));
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

/// Shrink(x) = x < -lambd ? x + bias : (x > lambd ? x - bias : 0).
LogicalResult importShrink(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  FailureOr<float> bias = node.attrFloat("bias", 0.0f);
  FailureOr<float> lambd = node.attrFloat("lambd", 0.5f);
  if (failed(input) || failed(bias) || failed(lambd))
    return failure();
  Type elementType = NodeImporter::typeOf(*input).getElementType();
  auto scalar = [&](double value) {
    return node.constantScalar(elementType, value);
  };
  FailureOr<Value> below = node.build<LessOp>(*input, scalar(-*lambd));
  FailureOr<Value> above = node.build<GreaterOp>(*input, scalar(*lambd));
  FailureOr<Value> raised = node.build<AddOp>(*input, scalar(*bias));
  FailureOr<Value> lowered = node.build<SubOp>(*input, scalar(*bias));
  if (failed(below) || failed(above) || failed(raised) || failed(lowered))
    return failure();
  FailureOr<Value> upper = node.build<WhereOp>(*above, *lowered, scalar(0.0));
  if (failed(upper))
    return failure();
  FailureOr<Value> result = node.build<WhereOp>(*below, *raised, *upper);
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

/// Sign(x) = x > 0 ? 1 : (x < 0 ? -1 : 0); NaN maps to 0.
LogicalResult importSign(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  Type elementType = NodeImporter::typeOf(*input).getElementType();
  Value zero = node.constantScalar(elementType, 0.0);
  FailureOr<Value> positive = node.build<GreaterOp>(*input, zero);
  if (failed(positive))
    return failure();
  Value nonPositive = zero;
  if (!elementType.isUnsignedInteger()) {
    FailureOr<Value> negative = node.build<LessOp>(*input, zero);
    if (failed(negative))
      return failure();
    FailureOr<Value> minusOne = node.build<WhereOp>(
        *negative, node.constantScalar(elementType, -1.0), zero);
    if (failed(minusOne))
      return failure();
    nonPositive = *minusOne;
  }
  FailureOr<Value> result = node.build<WhereOp>(
      *positive, node.constantScalar(elementType, 1.0), nonPositive);
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

/// Softsign(x) = x / (1 + |x|).
LogicalResult importSoftsign(NodeImporter &node) {
  FailureOr<Value> input = floatActivationInput(node, "Softsign");
  if (failed(input))
    return failure();
  Type elementType = NodeImporter::typeOf(*input).getElementType();
  FailureOr<Value> magnitude = node.build<AbsOp>(*input);
  if (failed(magnitude))
    return failure();
  FailureOr<Value> denominator =
      node.build<AddOp>(*magnitude, node.constantScalar(elementType, 1.0));
  if (failed(denominator))
    return failure();
  FailureOr<Value> result = node.build<DivOp>(*input, *denominator);
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// Reads the reduction axes: an attribute before `axesInputOpset`, an
/// optional (constant) input from then on. Returns std::nullopt for "the
/// node is a no-op" (empty axes with noop_with_empty_axes).
FailureOr<std::optional<SmallVector<int64_t>>>
readReductionAxes(NodeImporter &node, int64_t axesInputOpset) {
  if (node.opset() < axesInputOpset) {
    if (failed(node.checkInputCount(1, 1)))
      return failure();
    FailureOr<SmallVector<int64_t>> axes =
        node.attrInts("axes", SmallVector<int64_t>{});
    if (failed(axes))
      return failure();
    return std::optional<SmallVector<int64_t>>(*axes);
  }
  if (failed(node.checkInputCount(1, 2)))
    return failure();
  FailureOr<bool> noop = node.attrBool("noop_with_empty_axes", false);
  if (failed(noop))
    return failure();
  SmallVector<int64_t> axes;
  if (node.hasInput(1)) {
    FailureOr<SmallVector<int64_t>> values =
        node.requireConstantInts(1, "axes");
    if (failed(values))
      return failure();
    axes = *values;
  }
  if (axes.empty() && *noop)
    return std::optional<SmallVector<int64_t>>();
  return std::optional<SmallVector<int64_t>>(axes);
}

template <typename OpTy, int64_t AxesInputOpset>
LogicalResult importReduce(NodeImporter &node) {
  FailureOr<std::optional<SmallVector<int64_t>>> axes =
      readReductionAxes(node, AxesInputOpset);
  if (failed(axes))
    return failure();
  FailureOr<Value> input = node.input(0);
  FailureOr<bool> keepdims = node.attrBool("keepdims", true);
  if (failed(input) || failed(keepdims))
    return failure();
  if (!*axes) {
    node.setResult(0, *input);
    return success();
  }
  FailureOr<Value> result = node.build<OpTy>(*input, **axes, *keepdims);
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

template <typename OpTy> LogicalResult importArgReduce(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  FailureOr<int64_t> axis = node.attrInt("axis", 0);
  FailureOr<bool> keepdims = node.attrBool("keepdims", true);
  FailureOr<bool> selectLast = node.attrBool("select_last_index", false);
  if (failed(input) || failed(axis) || failed(keepdims) || failed(selectLast))
    return failure();
  FailureOr<Value> result =
      node.build<OpTy>(*input, *axis, *keepdims, *selectLast);
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

LogicalResult importCumSum(NodeImporter &node) {
  if (failed(node.checkInputCount(2, 2)))
    return failure();
  FailureOr<Value> input = node.input(0);
  FailureOr<SmallVector<int64_t>> axis = node.requireConstantInts(1, "axis");
  FailureOr<bool> exclusive = node.attrBool("exclusive", false);
  FailureOr<bool> reverse = node.attrBool("reverse", false);
  if (failed(input) || failed(axis) || failed(exclusive) || failed(reverse))
    return failure();
  if (axis->size() != 1)
    return node.emitError() << "axis must hold exactly one value";
  FailureOr<Value> result =
      node.build<CumSumOp>(*input, axis->front(), *exclusive, *reverse);
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

/// CumProd along an axis of static length L, without a dedicated op: the
/// input is unsqueezed so that output position i and input position j get
/// their own dimensions, entries outside j <= i (j < i when exclusive, with
/// >= / > when reversed) are replaced by 1, and j is reduced with a
/// product. This costs L times the input's size, which suits the short
/// axes cumulative products run over.
LogicalResult importCumProd(NodeImporter &node) {
  if (failed(node.checkInputCount(2, 2)))
    return failure();
  FailureOr<Value> input = node.input(0);
  FailureOr<SmallVector<int64_t>> axisValues =
      node.requireConstantInts(1, "axis");
  FailureOr<bool> exclusive = node.attrBool("exclusive", false);
  FailureOr<bool> reverse = node.attrBool("reverse", false);
  if (failed(input) || failed(axisValues) || failed(exclusive) ||
      failed(reverse))
    return failure();
  if (axisValues->size() != 1)
    return node.emitError() << "axis must hold exactly one value";
  RankedTensorType type = NodeImporter::typeOf(*input);
  int64_t rank = type.getRank();
  FailureOr<int64_t> axis =
      normalizeAxis(node.loc(), axisValues->front(), rank);
  if (failed(axis))
    return failure();
  int64_t length = type.getDimSize(*axis);
  if (ShapedType::isDynamic(length))
    return node.emitError()
           << "the cumulative axis " << *axis << " must have a static size";

  // mask[i, j, 1, ...]: whether input position j contributes to output i;
  // the trailing ones line it up with the dimensions after the axis.
  SmallVector<bool> mask;
  mask.reserve(length * length);
  for (int64_t i = 0; i < length; ++i)
    for (int64_t j = 0; j < length; ++j)
      mask.push_back(*reverse ? (*exclusive ? j > i : j >= i)
                              : (*exclusive ? j < i : j <= i));
  SmallVector<int64_t> maskShape = {length, length};
  maskShape.append(rank - *axis - 1, 1);
  Value maskValue = node.constant(DenseElementsAttr::get(
      RankedTensorType::get(maskShape, node.builder().getI1Type()),
      ArrayRef<bool>(mask)));

  FailureOr<Value> spread =
      node.build<UnsqueezeOp>(*input, ArrayRef<int64_t>{*axis});
  if (failed(spread))
    return failure();
  FailureOr<Value> factors = node.build<WhereOp>(
      maskValue, *spread, node.constantScalar(type.getElementType(), 1.0));
  if (failed(factors))
    return failure();
  return node.setSingleResult(node.build<ReduceProdOp>(
      *factors, ArrayRef<int64_t>{*axis + 1}, /*keepdims=*/false));
}

/// One where `input` is largest along `axis` (the first such position on
/// ties), zero elsewhere: argmax one-hot encoded back along `axis`.
FailureOr<Value> buildHardmax(NodeImporter &node, Value input, int64_t axis) {
  RankedTensorType type = NodeImporter::typeOf(input);
  FailureOr<Value> indices = node.build<ArgMaxOp>(
      input, axis, /*keepdims=*/false, /*select_last_index=*/false);
  if (failed(indices))
    return failure();
  int64_t classes = type.getDimSize(axis);
  FailureOr<Value> depth =
      ShapedType::isDynamic(classes)
          ? node.build<ShapeOp>(input, axis,
                                node.builder().getI64IntegerAttr(axis + 1))
          : FailureOr<Value>(node.constantI64({classes}));
  if (failed(depth))
    return failure();
  Type elementType = type.getElementType();
  auto offOn = DenseElementsAttr::get(
      RankedTensorType::get({2}, elementType),
      ArrayRef<Attribute>{FloatAttr::get(elementType, 0.0),
                          FloatAttr::get(elementType, 1.0)});
  return node.build<OneHotOp>(*indices, *depth, node.constant(offOn), axis);
}

/// Hardmax. Before opset 13 the input is coerced to 2-D at `axis` (default
/// 1), as for Softmax.
LogicalResult importHardmax(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  bool legacy = node.opset() < 13;
  FailureOr<int64_t> axis = node.attrInt("axis", legacy ? 1 : -1);
  if (failed(input) || failed(axis))
    return failure();
  FailureOr<int64_t> normalized =
      normalizeAxis(node.loc(), *axis, NodeImporter::typeOf(*input).getRank());
  if (failed(normalized))
    return failure();
  return node.setSingleResult(buildAxisNormalization(
      node, *input, *normalized, legacy, [&](Value value, int64_t axis) {
        return buildHardmax(node, value, axis);
      }));
}

/// Softmax and LogSoftmax. Before opset 13 the input is coerced to 2-D at
/// `axis` (default 1) and normalised over the whole trailing block.
template <typename OpTy> LogicalResult importSoftmax(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  bool legacy = node.opset() < 13;
  FailureOr<int64_t> axis = node.attrInt("axis", legacy ? 1 : -1);
  if (failed(input) || failed(axis))
    return failure();
  FailureOr<int64_t> normalized =
      normalizeAxis(node.loc(), *axis, NodeImporter::typeOf(*input).getRank());
  if (failed(normalized))
    return failure();
  return node.setSingleResult(buildAxisNormalization(
      node, *input, *normalized, legacy, [&](Value value, int64_t axis) {
        return node.build<OpTy>(value, axis);
      }));
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

/// Transposes a 2-D value.
FailureOr<Value> transpose2D(NodeImporter &node, Value value) {
  return node.build<TransposeOp>(value, ArrayRef<int64_t>{1, 0});
}

/// Transposes a 2-D layer weight into [out_features, in_features]. Constant
/// weights are transposed here, once, so that later passes see the weight as
/// a constant in tamp.linear's layout; other values get a tamp.transpose.
FailureOr<Value> transposeWeight(NodeImporter &node, Value weight) {
  if (std::optional<Value> transposed = transposeConstantMatrix(node, weight))
    return *transposed;
  return transpose2D(node, weight);
}

bool isConstant(Value value) {
  return value.getDefiningOp() &&
         value.getDefiningOp()->hasTrait<OpTrait::ConstantLike>();
}

LogicalResult importMatMul(NodeImporter &node) {
  if (failed(node.checkInputCount(2, 2)))
    return failure();
  FailureOr<Value> lhs = node.input(0), rhs = node.input(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  RankedTensorType rhsType = NodeImporter::typeOf(*rhs);
  RankedTensorType lhsType = NodeImporter::typeOf(*lhs);
  // A constant 2-D right-hand side is a layer weight: normalise to
  // tamp.linear with the weight as [out_features, in_features].
  if (isConstant(*rhs) && rhsType.getRank() == 2 && lhsType.getRank() >= 1 &&
      isa<FloatType>(rhsType.getElementType()) &&
      lhsType.getElementType() == rhsType.getElementType()) {
    FailureOr<Value> weight = transposeWeight(node, *rhs);
    if (failed(weight))
      return failure();
    FailureOr<Value> result = node.build<LinearOp>(
        *lhs, *weight, Value(), Activation::none, FloatAttr(), FloatAttr());
    if (failed(result))
      return failure();
    node.setResult(0, *result);
    return success();
  }
  return importBinary<MatMulOp>(node);
}

LogicalResult importGemm(NodeImporter &node) {
  if (failed(node.checkInputCount(2, 3)))
    return failure();
  FailureOr<Value> a = node.input(0), b = node.input(1);
  Value c = node.optionalInput(2);
  FailureOr<float> alpha = node.attrFloat("alpha", 1.0f);
  FailureOr<float> beta = node.attrFloat("beta", 1.0f);
  FailureOr<bool> transA = node.attrBool("transA", false);
  FailureOr<bool> transB = node.attrBool("transB", false);
  if (failed(a) || failed(b) || failed(alpha) || failed(beta) ||
      failed(transA) || failed(transB) || (node.hasInput(2) && !c))
    return failure();
  for (Value operand : {*a, *b})
    if (NodeImporter::typeOf(operand).getRank() != 2)
      return node.emitError() << "A and B must be 2-D, got rank "
                              << NodeImporter::typeOf(operand).getRank();
  Value lhs = *a;
  if (*transA) {
    FailureOr<Value> transposed = transpose2D(node, lhs);
    if (failed(transposed))
      return failure();
    lhs = *transposed;
  }
  Type elementType = NodeImporter::typeOf(lhs).getElementType();
  bool isFloat = isa<FloatType>(elementType);

  // Y = alpha * (A' x B') + beta * C. With a float B the product is
  // tamp.linear (weight [N, K] = B if transB else B^T); a 1-D C of size N
  // with alpha = beta = 1 becomes its bias.
  Value result;
  if (isFloat) {
    Value weight = *b;
    if (!*transB) {
      FailureOr<Value> transposed = transposeWeight(node, weight);
      if (failed(transposed))
        return failure();
      weight = *transposed;
    }
    Value bias;
    int64_t n = NodeImporter::typeOf(weight).getDimSize(0);
    if (c && *alpha == 1.0f && *beta == 1.0f &&
        NodeImporter::typeOf(c).getRank() == 1 &&
        NodeImporter::typeOf(c).getDimSize(0) == n &&
        !ShapedType::isDynamic(n)) {
      bias = c;
      c = nullptr;
    }
    FailureOr<Value> product = node.build<LinearOp>(
        lhs, weight, bias, Activation::none, FloatAttr(), FloatAttr());
    if (failed(product))
      return failure();
    result = *product;
  } else {
    Value rhs = *b;
    if (*transB) {
      FailureOr<Value> transposed = transpose2D(node, rhs);
      if (failed(transposed))
        return failure();
      rhs = *transposed;
    }
    FailureOr<Value> product = node.build<MatMulOp>(lhs, rhs);
    if (failed(product))
      return failure();
    result = *product;
  }
  if (*alpha != 1.0f) {
    FailureOr<Value> scaled =
        node.build<MulOp>(result, node.constantScalar(elementType, *alpha));
    if (failed(scaled))
      return failure();
    result = *scaled;
  }
  if (c && *beta != 0.0f) {
    Value addend = c;
    if (*beta != 1.0f) {
      FailureOr<Value> scaled =
          node.build<MulOp>(c, node.constantScalar(elementType, *beta));
      if (failed(scaled))
        return failure();
      addend = *scaled;
    }
    FailureOr<Value> sum = node.build<AddOp>(result, addend);
    if (failed(sum))
      return failure();
    if (NodeImporter::typeOf(*sum).getRank() != 2)
      return node.emitError() << "C does not broadcast to the [M, N] result";
    result = *sum;
  }
  node.setResult(0, result);
  return success();
}

/// Rewrites an ONNX einsum equation into tamp.einsum's explicit,
/// ellipsis-free form, given the operands' ranks.
FailureOr<std::string> normalizeEinsumEquation(NodeImporter &node,
                                               llvm::StringRef equation,
                                               ArrayRef<int64_t> ranks) {
  std::string compact;
  for (char c : equation)
    if (!llvm::isSpace(c))
      compact.push_back(c);
  llvm::StringRef text = compact;
  auto [lhs, rhs] = text.split("->");
  bool explicitOutput = lhs.size() != text.size();
  SmallVector<llvm::StringRef> terms;
  lhs.split(terms, ',');
  if (terms.size() != ranks.size())
    return node.emitError()
           << "equation '" << equation << "' names " << terms.size()
           << " operands but the node has " << ranks.size();
  llvm::StringSet<> used;
  for (char c : compact)
    if (llvm::isAlpha(c))
      used.insert(llvm::StringRef(&c, 1));
  // Labels for ellipsis dimensions: unused letters, aligned from the right.
  std::string spare;
  for (char c = 'A'; c <= 'Z'; ++c)
    if (!used.contains(llvm::StringRef(&c, 1)))
      spare.push_back(c);
  int64_t maxEllipsis = 0;
  SmallVector<std::string> expanded;
  for (auto [term, rank] : llvm::zip(terms, ranks)) {
    size_t dots = term.find("...");
    int64_t explicitLabels =
        int64_t(term.size()) - (dots == llvm::StringRef::npos ? 0 : 3);
    for (char c : term)
      if (c != '.' && !llvm::isAlpha(c))
        return node.emitError() << "invalid character '" << c
                                << "' in equation '" << equation << "'";
    if (dots == llvm::StringRef::npos) {
      if (explicitLabels != rank)
        return node.emitError()
               << "term '" << term << "' has " << explicitLabels
               << " labels for an operand of rank " << rank;
      expanded.push_back(term.str());
      continue;
    }
    int64_t ellipsisRank = rank - explicitLabels;
    if (ellipsisRank < 0 || ellipsisRank > int64_t(spare.size()))
      return node.emitError() << "term '" << term
                              << "' does not fit an operand of rank " << rank;
    maxEllipsis = std::max(maxEllipsis, ellipsisRank);
    std::string labels = spare.substr(spare.size() - ellipsisRank);
    expanded.push_back(
        (term.take_front(dots) + labels + term.drop_front(dots + 3)).str());
  }
  std::string ellipsisLabels = spare.substr(spare.size() - maxEllipsis);
  std::string output;
  if (explicitOutput) {
    size_t dots = rhs.find("...");
    output =
        dots == llvm::StringRef::npos
            ? rhs.str()
            : (rhs.take_front(dots) + ellipsisLabels + rhs.drop_front(dots + 3))
                  .str();
  } else {
    // Implicit output: the ellipsis dimensions, then the labels that occur
    // exactly once, in alphabetical order.
    std::map<char, int> occurrences;
    for (llvm::StringRef term : terms)
      for (char c : term)
        if (llvm::isAlpha(c))
          ++occurrences[c];
    output = ellipsisLabels;
    for (auto [label, count] : occurrences)
      if (count == 1)
        output.push_back(label);
  }
  return llvm::join(expanded, ",") + "->" + output;
}

LogicalResult importEinsum(NodeImporter &node) {
  if (failed(node.checkInputCount(1, ~0u)))
    return failure();
  SmallVector<Value> inputs = node.inputsFrom(0);
  FailureOr<std::string> equation = node.attrString("equation");
  if (inputs.size() != node.numInputs() || failed(equation))
    return failure();
  SmallVector<int64_t> ranks;
  for (Value input : inputs)
    ranks.push_back(NodeImporter::typeOf(input).getRank());
  FailureOr<std::string> normalized =
      normalizeEinsumEquation(node, *equation, ranks);
  if (failed(normalized))
    return failure();
  FailureOr<Value> result = node.build<EinsumOp>(inputs, *normalized);
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  return success();
}

} // namespace

FailureOr<Value> buildAxisNormalization(
    NodeImporter &node, Value input, int64_t axis, bool coerceTo2D,
    function_ref<FailureOr<Value>(Value, int64_t)> normalize) {
  int64_t rank = NodeImporter::typeOf(input).getRank();
  if (!coerceTo2D || axis == rank - 1)
    return normalize(input, axis);
  FailureOr<Value> flat = node.build<FlattenOp>(input, axis);
  if (failed(flat))
    return failure();
  FailureOr<Value> normalizedFlat = normalize(*flat, 1);
  FailureOr<Value> shape =
      node.build<ShapeOp>(input, int64_t(0), IntegerAttr());
  if (failed(normalizedFlat) || failed(shape))
    return failure();
  return node.build<ReshapeOp>(*normalizedFlat, *shape, false);
}

void registerMathOps(OpRegistry &registry) {
  registry.add("", "Abs", importUnary<AbsOp>);
  registry.add("", "Neg", importUnary<NegOp>);
  registry.add("", "Sqrt", importUnary<SqrtOp>);
  registry.add("", "Exp", importUnary<ExpOp>);
  registry.add("", "Log", importUnary<LogOp>);
  registry.add("", "Reciprocal", importUnary<ReciprocalOp>);
  registry.add("", "Erf", importUnary<ErfOp>);
  registry.add("", "Floor", importUnary<FloorOp>);
  registry.add("", "Ceil", importUnary<CeilOp>);
  registry.add("", "Round", importUnary<RoundOp>);
  registry.add("", "Sin", importUnary<SinOp>);
  registry.add("", "Cos", importUnary<CosOp>);
  registry.add("", "Tanh", importUnary<TanhOp>);
  registry.add("", "Tan", importUnary<TanOp>);
  registry.add("", "Acos", importUnary<AcosOp>);
  registry.add("", "Asin", importUnary<AsinOp>);
  registry.add("", "Atan", importUnary<AtanOp>);
  registry.add("", "Sinh", importUnary<SinhOp>);
  registry.add("", "Cosh", importUnary<CoshOp>);
  registry.add("", "Asinh", importUnary<AsinhOp>);
  registry.add("", "Acosh", importUnary<AcoshOp>);
  registry.add("", "Atanh", importUnary<AtanhOp>);
  registry.add("", "Sigmoid", importUnary<SigmoidOp>);
  registry.add("", "Softplus", importUnary<SoftplusOp>);
  registry.add("", "Mish", importUnary<MishOp>);
  registry.add("", "HardSwish", importUnary<HardSwishOp>);
  registry.add("", "Not", importUnary<NotOp>);

  registry.add("", "Relu", importRelu);
  registry.add("", "Clip", importClip);
  registry.add("", "LeakyRelu", importLeakyRelu);
  registry.add("", "Elu", importElu);
  registry.add("", "Selu", importSelu);
  registry.add("", "HardSigmoid", importHardSigmoid);
  registry.add("", "Gelu", importGelu);
  registry.add("", "PRelu", importPRelu);
  registry.add("", "Swish", importSwish);
  registry.add("", "Celu", importCelu);
  registry.add("", "ThresholdedRelu", importThresholdedRelu);
  registry.add("", "Shrink", importShrink);
  registry.add("", "Sign", importSign);
  registry.add("", "Softsign", importSoftsign);

  registry.add("", "Add", importBinary<AddOp>);
  registry.add("", "Sub", importBinary<SubOp>);
  registry.add("", "Mul", importBinary<MulOp>);
  registry.add("", "Div", importBinary<DivOp>);
  registry.add("", "Pow", importPow);
  registry.add("", "Mod", importMod);
  registry.add("", "And", importBinary<AndOp>);
  registry.add("", "Or", importBinary<OrOp>);
  registry.add("", "Xor", importBinary<XorOp>);
  registry.add("", "BitwiseAnd", importBinary<AndOp>);
  registry.add("", "BitwiseOr", importBinary<OrOp>);
  registry.add("", "BitwiseXor", importBinary<XorOp>);
  registry.add("", "BitwiseNot", importUnary<NotOp>);
  registry.add("", "BitShift", importBitShift);
  registry.add("", "IsNaN", importIsNaN);
  registry.add("", "IsInf", importIsInf);
  // Equality is the one comparison ONNX (and tamp.equal) defines on strings.
  registry.add("", "Equal", importBinary<EqualOp>, StringInputs::accepted);
  registry.add("", "Less", importBinary<LessOp>);
  registry.add("", "LessOrEqual", importBinary<LessEqualOp>);
  registry.add("", "Greater", importBinary<GreaterOp>);
  registry.add("", "GreaterOrEqual", importBinary<GreaterEqualOp>);
  registry.add("", "Where", importWhere);
  registry.add("", "Sum", importVariadic<AddOp>);
  registry.add("", "Min", importVariadic<MinOp>);
  registry.add("", "Max", importVariadic<MaxOp>);
  registry.add("", "Mean", importMean);

  // ReduceSum took axes as an input from opset 13, the others from 18.
  registry.add("", "ReduceSum", importReduce<ReduceSumOp, 13>);
  registry.add("", "ReduceMean", importReduce<ReduceMeanOp, 18>);
  registry.add("", "ReduceMax", importReduce<ReduceMaxOp, 18>);
  registry.add("", "ReduceMin", importReduce<ReduceMinOp, 18>);
  registry.add("", "ReduceProd", importReduce<ReduceProdOp, 18>);
  registry.add("", "ReduceL1", importReduce<ReduceL1Op, 18>);
  registry.add("", "ReduceL2", importReduce<ReduceL2Op, 18>);
  registry.add("", "ReduceSumSquare", importReduce<ReduceSumSquareOp, 18>);
  registry.add("", "ReduceLogSum", importReduce<ReduceLogSumOp, 18>);
  registry.add("", "ReduceLogSumExp", importReduce<ReduceLogSumExpOp, 18>);
  registry.add("", "ArgMax", importArgReduce<ArgMaxOp>);
  registry.add("", "ArgMin", importArgReduce<ArgMinOp>);
  registry.add("", "CumSum", importCumSum);
  registry.add("", "CumProd", importCumProd);
  registry.add("", "Softmax", importSoftmax<SoftmaxOp>);
  registry.add("", "LogSoftmax", importSoftmax<LogSoftmaxOp>);
  registry.add("", "Hardmax", importHardmax);

  registry.add("", "MatMul", importMatMul);
  registry.add("", "Gemm", importGemm);
  registry.add("", "Einsum", importEinsum);
}

} // namespace tamp
