//===- Tensor.cpp - Import of ONNX constants, casts and data movement -----===//

#include "NodeImporter.h"
#include "OpRegistry.h"
#include "TensorDecoding.h"

#include "onnx-ml.pb.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>

using namespace mlir;

namespace tamp {
namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

RankedTensorType typeOf(Value value) { return NodeImporter::typeOf(value); }

/// ONNX marks some optional inputs (Resize's roi and scales) as absent with
/// an empty tensor.
bool isEmptyTensor(Value value) {
  RankedTensorType type = typeOf(value);
  return type.hasStaticShape() && type.getNumElements() == 0;
}

SmallVector<int64_t> iota(int64_t count) {
  return llvm::to_vector(llvm::seq<int64_t>(0, count));
}

/// Normalised, sorted axes: their order does not matter to squeeze/unsqueeze.
FailureOr<SmallVector<int64_t>>
sortedAxes(NodeImporter &node, ArrayRef<int64_t> axes, int64_t rank) {
  FailureOr<SmallVector<int64_t>> normalized =
      normalizeAxes(node.loc(), axes, rank);
  if (failed(normalized))
    return failure();
  llvm::sort(*normalized);
  return normalized;
}

/// A 1-D constant of `elementType` holding `values`.
Value constantFloats(NodeImporter &node, FloatType elementType,
                     ArrayRef<double> values) {
  SmallVector<APFloat> converted;
  for (double value : values) {
    APFloat element(value);
    bool losesInfo;
    element.convert(elementType.getFloatSemantics(),
                    APFloat::rmNearestTiesToEven, &losesInfo);
    converted.push_back(element);
  }
  auto type = RankedTensorType::get({int64_t(values.size())}, elementType);
  return node.constant(DenseElementsAttr::get(type, converted));
}

/// `base` (1-D) with its entries at `positions` (1-D i64, in range) replaced
/// by those of `updates`: how values that ONNX gives for a subset of axes
/// become values for every dimension. Computed directly when all three are
/// constants.
FailureOr<Value> overwriteEntries(NodeImporter &node, Value base,
                                  Value positions, Value updates,
                                  llvm::StringRef what) {
  RankedTensorType updatesType = typeOf(updates);
  int64_t count = typeOf(positions).getDimSize(0);
  Type elementType = typeOf(base).getElementType();
  if (updatesType.getRank() != 1 ||
      (!updatesType.isDynamicDim(0) && !ShapedType::isDynamic(count) &&
       updatesType.getDimSize(0) != count))
    return node.emitError()
           << what << " must be a 1-D tensor of " << count
           << " elements for the given axes, got " << updatesType;
  if (updatesType.getElementType() != elementType)
    return node.emitError() << what << " must have element type " << elementType
                            << ", got " << updatesType.getElementType();
  if (std::optional<SmallVector<int64_t>> indices =
          getConstantIntValues(positions)) {
    if (isa<IntegerType>(elementType)) {
      auto values = getConstantIntValues(base);
      auto replacements = getConstantIntValues(updates);
      if (values && replacements && elementType.isInteger(64)) {
        for (auto [index, replacement] : llvm::zip(*indices, *replacements))
          (*values)[index] = replacement;
        return node.constantI64(*values);
      }
    } else if (auto floatType = dyn_cast<FloatType>(elementType)) {
      auto values = getConstantFloatValues(base);
      auto replacements = getConstantFloatValues(updates);
      if (values && replacements) {
        for (auto [index, replacement] : llvm::zip(*indices, *replacements))
          (*values)[index] = replacement;
        return constantFloats(node, floatType, *values);
      }
    }
  }
  return node.build<ScatterElementsOp>(base, positions, updates, int64_t(0));
}

/// Parses a string attribute into a tamp enum whose cases are spelled as in
/// ONNX; `expected` lists them for the diagnostic.
template <typename EnumT>
FailureOr<EnumT> attrEnum(NodeImporter &node, llvm::StringRef name,
                          llvm::StringRef defaultValue,
                          llvm::StringRef expected) {
  FailureOr<std::string> text = node.attrString(name, defaultValue.str());
  if (failed(text))
    return failure();
  if (std::optional<EnumT> value = symbolizeEnum<EnumT>(*text))
    return *value;
  return node.emitError() << "attribute '" << name << "' must be one of "
                          << expected << ", got \"" << *text << "\"";
}

/// Reads the axis attribute `name` and normalises it against `rank`.
FailureOr<int64_t> normalizedAxisAttr(NodeImporter &node, llvm::StringRef name,
                                      std::optional<int64_t> defaultValue,
                                      int64_t rank) {
  FailureOr<int64_t> axis = node.attrInt(name, defaultValue);
  if (failed(axis))
    return failure();
  return normalizeAxis(node.loc(), *axis, rank, name);
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

/// `values` as a 1-D attribute, or a 0-D one holding the single value.
template <typename T>
DenseElementsAttr denseList(Type elementType, ArrayRef<T> values, bool scalar) {
  SmallVector<int64_t> shape;
  if (!scalar)
    shape.push_back(values.size());
  return DenseElementsAttr::get(RankedTensorType::get(shape, elementType),
                                values);
}

/// Constant's value_float(s) / value_int(s): the singular attribute gives a
/// 0-D tensor, the plural one a 1-D tensor.
template <typename T, typename ScalarGetter, typename ListGetter>
LogicalResult importListConstant(NodeImporter &node, llvm::StringRef name,
                                 Type elementType, ScalarGetter scalarGetter,
                                 ListGetter listGetter) {
  bool scalar = !name.ends_with("s");
  FailureOr<SmallVector<T>> values = failure();
  if (scalar) {
    if (FailureOr<T> value = (node.*scalarGetter)(name, std::nullopt);
        succeeded(value))
      values = SmallVector<T>{*value};
  } else {
    values = (node.*listGetter)(name, std::nullopt);
  }
  if (failed(values))
    return failure();
  return node.setSingleResult(
      node.constant(denseList(elementType, ArrayRef<T>(*values), scalar)));
}

LogicalResult importConstant(NodeImporter &node) {
  if (failed(node.checkInputCount(0, 0)))
    return failure();
  static constexpr llvm::StringLiteral kValueAttrs[] = {
      "value",      "value_float",  "value_floats", "value_int",
      "value_ints", "sparse_value", "value_string", "value_strings"};
  SmallVector<llvm::StringRef> present;
  for (llvm::StringRef name : kValueAttrs)
    if (node.hasAttr(name))
      present.push_back(name);
  if (present.size() != 1)
    return node.emitError()
           << "expects exactly one value attribute, got " << present.size();
  llvm::StringRef name = present.front();
  MLIRContext *ctx = node.context();
  auto f32 = Float32Type::get(ctx);
  auto i64 = IntegerType::get(ctx, 64);

  if (name == "value") {
    FailureOr<ElementsAttr> value = node.attrTensor(name);
    if (failed(value))
      return failure();
    return node.setSingleResult(node.constant(*value));
  }
  // value_float / value_int are 0-D, value_floats / value_ints 1-D.
  if (name == "value_float" || name == "value_floats")
    return importListConstant<float>(node, name, f32, &NodeImporter::attrFloat,
                                     &NodeImporter::attrFloats);
  if (name == "value_int" || name == "value_ints")
    return importListConstant<int64_t>(node, name, i64, &NodeImporter::attrInt,
                                       &NodeImporter::attrInts);
  if (name == "sparse_value")
    return node.emitError()
           << "sparse constants (attribute 'sparse_value') are not supported";
  // value_string is 0-D, value_strings 1-D.
  FailureOr<SmallVector<std::string>> strings = failure();
  if (name == "value_string") {
    if (FailureOr<std::string> scalar = node.attrString(name);
        succeeded(scalar))
      strings = SmallVector<std::string>{*scalar};
  } else {
    strings = node.attrStrings(name);
  }
  if (failed(strings))
    return failure();
  SmallVector<int64_t> shape;
  if (name == "value_strings")
    shape.push_back(strings->size());
  SmallVector<llvm::StringRef> elements(strings->begin(), strings->end());
  auto type = RankedTensorType::get(shape, StringType::get(ctx));
  return node.setSingleResult(
      node.constant(DenseStringElementsAttr::get(type, elements)));
}

LogicalResult importConstantOfShape(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> shape = node.input(0);
  if (failed(shape))
    return failure();
  // The fill value defaults to a float 0.
  TypedAttr fillValue = node.builder().getF32FloatAttr(0.0f);
  if (node.hasAttr("value")) {
    FailureOr<ElementsAttr> value = node.attrTensor("value");
    if (failed(value))
      return failure();
    auto dense = dyn_cast<DenseElementsAttr>(*value);
    if (!dense || dense.getNumElements() != 1)
      return node.emitError()
             << "attribute 'value' must hold exactly one element";
    if (isa<StringType>(dense.getElementType()))
      return node.emitError()
             << "attribute 'value' must be a numeric or boolean tensor, got "
                "a string tensor";
    fillValue = cast<TypedAttr>(*dense.getValues<Attribute>().begin());
  }
  // A constant shape gives a splat constant, within Tamp's size limits,
  // which later shape arithmetic can fold through.
  if (std::optional<SmallVector<int64_t>> sizes =
          getConstantIntValues(*shape)) {
    if (llvm::Expected<int64_t> count = checkedElementCount(*sizes); !count)
      return node.emitError()
             << "invalid shape: " << llvm::toString(count.takeError());
    auto type = RankedTensorType::get(*sizes, fillValue.getType());
    Attribute element = fillValue;
    return node.setSingleResult(
        node.constant(DenseElementsAttr::get(type, element)));
  }
  return node.setSingleResult(node.build<FillOp>(*shape, fillValue));
}

//===----------------------------------------------------------------------===//
// Casts and identities
//===----------------------------------------------------------------------===//

/// Casts `input` to `elementType` with ONNX's `saturate` (opset 19+), which
/// only 8-bit float targets observe, and `round_mode` (opset 24+), which only
/// float8e8m0 targets observe; tamp.cast carries the latter only for them.
FailureOr<Value> castWithAttributes(NodeImporter &node, Value input,
                                    Type elementType) {
  FailureOr<bool> saturate = node.opset() >= 19
                                 ? node.attrBool("saturate", true)
                                 : FailureOr<bool>(true);
  FailureOr<RoundMode> roundMode =
      node.opset() >= 24
          ? attrEnum<RoundMode>(node, "round_mode", "up", "up, down, nearest")
          : FailureOr<RoundMode>(RoundMode::up);
  if (failed(saturate) || failed(roundMode))
    return failure();
  RankedTensorType inputType = typeOf(input);
  if (inputType.getElementType() == elementType)
    return input;
  if (!isa<Float8E8M0FNUType>(elementType))
    roundMode = RoundMode::up;
  return node.buildWithType<CastOp>(inputType.clone(elementType), input,
                                    *saturate, *roundMode);
}

LogicalResult importCast(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  FailureOr<Type> elementType = node.attrElementType("to");
  if (failed(input) || failed(elementType))
    return failure();
  return node.setSingleResult(castWithAttributes(node, *input, *elementType));
}

LogicalResult importCastLike(NodeImporter &node) {
  if (failed(node.checkInputCount(2, 2)))
    return failure();
  FailureOr<Value> input = node.input(0), target = node.input(1);
  if (failed(input) || failed(target))
    return failure();
  return node.setSingleResult(
      castWithAttributes(node, *input, typeOf(*target).getElementType()));
}

LogicalResult importIdentity(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  return node.setSingleResult(node.input(0));
}

/// Dropout at inference is the identity; its optional mask keeps everything.
LogicalResult importDropout(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 3)))
    return failure();
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  // From opset 12 a training_mode input may switch on random masking; only
  // a ratio of 0 keeps that deterministic.
  if (node.hasInput(2)) {
    FailureOr<SmallVector<int64_t>> training =
        node.requireConstantInts(2, "training_mode");
    if (failed(training))
      return failure();
    if (training->size() != 1)
      return node.emitError() << "training_mode must be a scalar";
    if (training->front() != 0) {
      Value ratio = node.optionalInput(1);
      std::optional<SmallVector<double>> ratioValues =
          ratio ? getConstantFloatValues(ratio) : std::nullopt;
      if (!ratioValues || ratioValues->size() != 1 ||
          ratioValues->front() != 0.0)
        return node.emitError()
               << "training-mode dropout (random masking) is not supported";
    }
  }
  node.setResult(0, *input);
  if (!node.hasOutput(1))
    return success();

  Builder &b = node.builder();
  TypedAttr keep = b.getIntegerAttr(b.getI1Type(), 1);
  if (node.opset() < 10) {
    // The mask had the input's type before opset 10.
    Type elementType = typeOf(*input).getElementType();
    if (!isa<FloatType>(elementType))
      return node.emitError()
             << "expects a floating-point input, got " << elementType;
    keep = b.getFloatAttr(elementType, 1.0);
  }
  FailureOr<Value> shape =
      node.build<ShapeOp>(*input, int64_t(0), IntegerAttr());
  if (failed(shape))
    return failure();
  FailureOr<Value> mask = node.build<FillOp>(*shape, keep);
  if (failed(mask))
    return failure();
  node.setResult(1, *mask);
  return success();
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

LogicalResult importReshape(NodeImporter &node) {
  // Before opset 5 the target shape was an attribute.
  bool shapeIsAttr = node.opset() < 5;
  if (failed(node.checkInputCount(shapeIsAttr ? 1 : 2, shapeIsAttr ? 1 : 2)))
    return failure();
  FailureOr<Value> input = node.input(0);
  FailureOr<bool> allowZero = node.attrBool("allowzero", false);
  if (failed(input) || failed(allowZero))
    return failure();
  FailureOr<Value> shape = failure();
  if (shapeIsAttr) {
    FailureOr<SmallVector<int64_t>> sizes = node.attrInts("shape");
    if (failed(sizes))
      return failure();
    shape = node.constantI64(*sizes);
  } else {
    shape = node.input(1);
    if (failed(shape))
      return failure();
  }
  return node.setSingleResult(
      node.build<ReshapeOp>(*input, *shape, *allowZero));
}

LogicalResult importFlatten(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  FailureOr<int64_t> axis = node.attrInt("axis", 1);
  if (failed(input) || failed(axis))
    return failure();
  // The axis may equal the rank (everything goes to the first dimension).
  int64_t rank = typeOf(*input).getRank();
  if (*axis < -rank || *axis > rank)
    return node.emitError() << "axis " << *axis << " is out of range [" << -rank
                            << ", " << rank << "]";
  int64_t normalized = *axis < 0 ? *axis + rank : *axis;
  return node.setSingleResult(node.build<FlattenOp>(*input, normalized));
}

LogicalResult importSqueeze(NodeImporter &node) {
  // Axes are an attribute before opset 13, an optional input from then on;
  // without them every size-1 dimension goes.
  bool axesAreAttr = node.opset() < 13;
  if (failed(node.checkInputCount(1, axesAreAttr ? 1 : 2)))
    return failure();
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  FailureOr<SmallVector<int64_t>> axes = SmallVector<int64_t>();
  if (axesAreAttr)
    axes = node.attrInts("axes", SmallVector<int64_t>());
  else if (node.hasInput(1))
    axes = node.requireConstantInts(1, "axes");
  if (failed(axes))
    return failure();
  FailureOr<SmallVector<int64_t>> normalized =
      sortedAxes(node, *axes, typeOf(*input).getRank());
  if (failed(normalized))
    return failure();
  return node.setSingleResult(node.build<SqueezeOp>(*input, *normalized));
}

LogicalResult importUnsqueeze(NodeImporter &node) {
  // Axes are an attribute before opset 13, a required input from then on.
  bool axesAreAttr = node.opset() < 13;
  if (failed(node.checkInputCount(axesAreAttr ? 1 : 2, axesAreAttr ? 1 : 2)))
    return failure();
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  FailureOr<SmallVector<int64_t>> axes =
      axesAreAttr ? node.attrInts("axes") : node.requireConstantInts(1, "axes");
  if (failed(axes))
    return failure();
  // The axes index the result.
  FailureOr<SmallVector<int64_t>> normalized =
      sortedAxes(node, *axes, typeOf(*input).getRank() + int64_t(axes->size()));
  if (failed(normalized))
    return failure();
  return node.setSingleResult(node.build<UnsqueezeOp>(*input, *normalized));
}

LogicalResult importTranspose(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  // The default permutation reverses the dimensions.
  SmallVector<int64_t> reversed = iota(typeOf(*input).getRank());
  std::reverse(reversed.begin(), reversed.end());
  FailureOr<SmallVector<int64_t>> perm = node.attrInts("perm", reversed);
  if (failed(perm))
    return failure();
  return node.setSingleResult(node.build<TransposeOp>(*input, *perm));
}

//===----------------------------------------------------------------------===//
// Joining and splitting
//===----------------------------------------------------------------------===//

LogicalResult importConcat(NodeImporter &node) {
  if (failed(node.checkInputCount(1, ~0u)))
    return failure();
  SmallVector<Value> inputs = node.inputsFrom(0);
  if (inputs.size() != node.numInputs())
    return node.emitError() << "inputs may not be omitted";
  // `axis` became required in opset 4; it defaulted to 1 before.
  std::optional<int64_t> defaultAxis;
  if (node.opset() < 4)
    defaultAxis = 1;
  FailureOr<int64_t> axis = normalizedAxisAttr(
      node, "axis", defaultAxis, typeOf(inputs.front()).getRank());
  if (failed(axis))
    return failure();
  return node.setSingleResult(node.build<ConcatOp>(inputs, *axis));
}

/// Split sizes known only at run time: part i is the slice
/// [offset_i, offset_i + size_i) along `axis`, the offsets being the
/// exclusive running sum of the sizes.
LogicalResult splitAtRunTime(NodeImporter &node, Value input, int64_t axis,
                             Value sizes, int64_t numResults) {
  RankedTensorType sizesType = typeOf(sizes);
  if (sizesType.getRank() != 1 ||
      (!sizesType.isDynamicDim(0) && sizesType.getDimSize(0) != numResults))
    return node.emitError() << "split must be a 1-D tensor of " << numResults
                            << " sizes, got " << sizesType;
  FailureOr<Value> lengths = node.castTo(sizes, node.builder().getI64Type());
  if (failed(lengths))
    return failure();
  FailureOr<Value> offsets = node.build<CumSumOp>(
      *lengths, int64_t(0), /*exclusive=*/true, /*reverse=*/false);
  if (failed(offsets))
    return failure();
  Value axes = node.constantI64({axis});
  Value steps = node.constantI64({1});
  for (int64_t i = 0; i < numResults; ++i) {
    Value index = node.constantI64({i});
    FailureOr<Value> start = node.build<GatherOp>(*offsets, index, int64_t(0));
    FailureOr<Value> length = node.build<GatherOp>(*lengths, index, int64_t(0));
    if (failed(start) || failed(length))
      return failure();
    FailureOr<Value> end = node.build<AddOp>(*start, *length);
    if (failed(end))
      return failure();
    FailureOr<Value> part =
        node.build<SliceOp>(input, *start, *end, axes, steps);
    if (failed(part))
      return failure();
    node.setResult(i, *part);
  }
  return success();
}

/// Split sizes come from the `split` attribute (before opset 13) or input;
/// without them the dimension is split evenly, or from opset 18 with
/// `num_outputs` into ceil-sized parts with a smaller last one.
LogicalResult importSplit(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 2)))
    return failure();
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  RankedTensorType type = typeOf(*input);
  if (type.getRank() == 0)
    return node.emitError() << "cannot split a 0-D tensor";
  FailureOr<int64_t> axis = normalizedAxisAttr(node, "axis", 0, type.getRank());
  if (failed(axis))
    return failure();
  int64_t numResults = node.numOutputs();
  if (numResults == 0)
    return node.emitError() << "expects at least one output";

  std::optional<SmallVector<int64_t>> sizes;
  Value runTimeSizes;
  if (node.hasInput(1)) {
    FailureOr<Value> split = node.input(1);
    if (failed(split))
      return failure();
    if (std::optional<SmallVector<int64_t>> values =
            getConstantIntValues(*split))
      sizes = *values;
    else
      runTimeSizes = *split;
  } else if (node.opset() < 13 && node.hasAttr("split")) {
    FailureOr<SmallVector<int64_t>> values = node.attrInts("split");
    if (failed(values))
      return failure();
    sizes = *values;
  }
  bool smallerLast = false;
  if (node.opset() >= 18 && node.hasAttr("num_outputs")) {
    FailureOr<int64_t> count = node.attrInt("num_outputs");
    if (failed(count))
      return failure();
    if (sizes || runTimeSizes)
      return node.emitError()
             << "'split' and 'num_outputs' may not both be given";
    if (*count != numResults)
      return node.emitError()
             << "num_outputs is " << *count << " but the node has "
             << numResults << " outputs";
    smallerLast = true;
  }
  if (runTimeSizes)
    return splitAtRunTime(node, *input, *axis, runTimeSizes, numResults);
  if (!sizes) {
    int64_t size = type.getDimSize(*axis);
    if (ShapedType::isDynamic(size))
      return node.emitError() << "splitting dynamic dimension " << *axis
                              << " into equal parts is not supported";
    if (smallerLast) {
      int64_t chunk = llvm::divideCeil(size, numResults);
      int64_t last = size - chunk * (numResults - 1);
      if (last < 0)
        return node.emitError() << "dimension " << *axis << " (size " << size
                                << ") cannot be split into " << numResults
                                << " parts of size " << chunk;
      sizes = SmallVector<int64_t>(numResults - 1, chunk);
      sizes->push_back(last);
    } else {
      if (size % numResults != 0)
        return node.emitError()
               << "dimension " << *axis << " (size " << size
               << ") does not split evenly into " << numResults << " outputs";
      sizes = SmallVector<int64_t>(numResults, size / numResults);
    }
  }
  if (int64_t(sizes->size()) != numResults)
    return node.emitError()
           << "split has " << sizes->size() << " sizes but the node has "
           << numResults << " outputs";
  FailureOr<SplitOp> split =
      node.buildOp<SplitOp>(numResults, *input, *axis, *sizes);
  if (failed(split))
    return failure();
  for (auto [i, result] : llvm::enumerate(split->getOutputs()))
    node.setResult(i, result);
  return success();
}

/// Slice bounds are attributes before opset 10 and inputs after; missing
/// axes default to 0..n-1 and missing steps to 1. Index operands become i64.
LogicalResult importSlice(NodeImporter &node) {
  bool boundsAreAttrs = node.opset() < 10;
  if (failed(
          node.checkInputCount(boundsAreAttrs ? 1 : 3, boundsAreAttrs ? 1 : 5)))
    return failure();
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  Type i64 = node.builder().getI64Type();
  Value starts, ends, axes, steps;
  if (boundsAreAttrs) {
    FailureOr<SmallVector<int64_t>> startValues = node.attrInts("starts");
    FailureOr<SmallVector<int64_t>> endValues = node.attrInts("ends");
    if (failed(startValues) || failed(endValues))
      return failure();
    FailureOr<SmallVector<int64_t>> axisValues =
        node.attrInts("axes", iota(startValues->size()));
    if (failed(axisValues))
      return failure();
    starts = node.constantI64(*startValues);
    ends = node.constantI64(*endValues);
    axes = node.constantI64(*axisValues);
  } else {
    FailureOr<Value> startsInput = node.input(1), endsInput = node.input(2);
    if (failed(startsInput) || failed(endsInput) ||
        failed(node.readOptionalInput(3, axes)) ||
        failed(node.readOptionalInput(4, steps)))
      return failure();
    starts = *startsInput;
    ends = *endsInput;
  }
  if (!axes || !steps) {
    RankedTensorType startsType = typeOf(starts);
    if (startsType.getRank() != 1 || startsType.isDynamicDim(0))
      return node.emitError() << "starts must be a 1-D tensor of static length "
                                 "when axes or steps are omitted, got "
                              << startsType;
    int64_t count = startsType.getDimSize(0);
    if (!axes)
      axes = node.constantI64(iota(count));
    if (!steps)
      steps = node.constantI64(SmallVector<int64_t>(count, 1));
  }
  SmallVector<Value> indexOperands;
  for (Value operand : {starts, ends, axes, steps}) {
    FailureOr<Value> converted = node.castTo(operand, i64);
    if (failed(converted))
      return failure();
    indexOperands.push_back(*converted);
  }
  return node.setSingleResult(
      node.build<SliceOp>(*input, indexOperands[0], indexOperands[1],
                          indexOperands[2], indexOperands[3]));
}

LogicalResult importExpand(NodeImporter &node) {
  if (failed(node.checkInputCount(2, 2)))
    return failure();
  FailureOr<Value> input = node.input(0), shape = node.input(1);
  if (failed(input) || failed(shape))
    return failure();
  return node.setSingleResult(node.build<ExpandOp>(*input, *shape));
}

LogicalResult importTile(NodeImporter &node) {
  if (node.opset() >= 6) {
    if (failed(node.checkInputCount(2, 2)))
      return failure();
    FailureOr<Value> input = node.input(0), repeats = node.input(1);
    if (failed(input) || failed(repeats))
      return failure();
    return node.setSingleResult(node.build<TileOp>(*input, *repeats));
  }
  // Before opset 6: repeat `tiles` times along the single axis `axis`.
  if (failed(node.checkInputCount(3, 3)))
    return failure();
  FailureOr<Value> input = node.input(0);
  FailureOr<SmallVector<int64_t>> tiles = node.requireConstantInts(1, "tiles");
  FailureOr<SmallVector<int64_t>> axis = node.requireConstantInts(2, "axis");
  if (failed(input) || failed(tiles) || failed(axis))
    return failure();
  if (tiles->size() != 1 || axis->size() != 1)
    return node.emitError() << "tiles and axis must be scalars";
  int64_t rank = typeOf(*input).getRank();
  FailureOr<int64_t> normalized =
      normalizeAxis(node.loc(), axis->front(), rank);
  if (failed(normalized))
    return failure();
  SmallVector<int64_t> repeats(rank, 1);
  repeats[*normalized] = tiles->front();
  return node.setSingleResult(
      node.build<TileOp>(*input, node.constantI64(repeats)));
}

//===----------------------------------------------------------------------===//
// Gather and scatter
//===----------------------------------------------------------------------===//

template <typename OpTy>
LogicalResult importGatherAlongAxis(NodeImporter &node) {
  if (failed(node.checkInputCount(2, 2)))
    return failure();
  FailureOr<Value> input = node.input(0), indices = node.input(1);
  if (failed(input) || failed(indices))
    return failure();
  FailureOr<int64_t> axis =
      normalizedAxisAttr(node, "axis", 0, typeOf(*input).getRank());
  if (failed(axis))
    return failure();
  return node.setSingleResult(node.build<OpTy>(*input, *indices, *axis));
}

LogicalResult importGatherND(NodeImporter &node) {
  if (failed(node.checkInputCount(2, 2)))
    return failure();
  FailureOr<Value> input = node.input(0), indices = node.input(1);
  FailureOr<int64_t> batchDims = node.attrInt("batch_dims", 0);
  if (failed(input) || failed(indices) || failed(batchDims))
    return failure();
  return node.setSingleResult(
      node.build<GatherNDOp>(*input, *indices, *batchDims));
}

FailureOr<ScatterReduction> readScatterReduction(NodeImporter &node) {
  return attrEnum<ScatterReduction>(node, "reduction", "none",
                                    "none, add, mul, max, min");
}

/// ScatterElements, and Scatter (opsets 9-10), which is the same without
/// a reduction.
LogicalResult importScatterElements(NodeImporter &node) {
  if (failed(node.checkInputCount(3, 3)))
    return failure();
  FailureOr<Value> input = node.input(0), indices = node.input(1),
                   updates = node.input(2);
  FailureOr<ScatterReduction> reduction = readScatterReduction(node);
  if (failed(input) || failed(indices) || failed(updates) || failed(reduction))
    return failure();
  FailureOr<int64_t> axis =
      normalizedAxisAttr(node, "axis", 0, typeOf(*input).getRank());
  if (failed(axis))
    return failure();
  return node.setSingleResult(node.build<ScatterElementsOp>(
      *input, *indices, *updates, *axis, *reduction));
}

LogicalResult importScatterND(NodeImporter &node) {
  if (failed(node.checkInputCount(3, 3)))
    return failure();
  FailureOr<Value> input = node.input(0), indices = node.input(1),
                   updates = node.input(2);
  FailureOr<ScatterReduction> reduction = readScatterReduction(node);
  if (failed(input) || failed(indices) || failed(updates) || failed(reduction))
    return failure();
  return node.setSingleResult(
      node.build<ScatterNDOp>(*input, *indices, *updates, *reduction));
}

//===----------------------------------------------------------------------===//
// Pad
//===----------------------------------------------------------------------===//

/// Where Pad-18's pads for `axes` go in the pads of every dimension:
/// [a..., rank + a...] for the axes a normalised into [0, rank). Axes known
/// only at run time are normalised with element-wise ops.
FailureOr<Value> padPositions(NodeImporter &node, Value axes, int64_t rank) {
  RankedTensorType axesType = typeOf(axes);
  if (axesType.getRank() != 1 || !isa<IntegerType>(axesType.getElementType()))
    return node.emitError()
           << "axes must be a 1-D integer tensor, got " << axesType;
  if (std::optional<SmallVector<int64_t>> values = getConstantIntValues(axes)) {
    FailureOr<SmallVector<int64_t>> normalized =
        normalizeAxes(node.loc(), *values, rank);
    if (failed(normalized))
      return failure();
    SmallVector<int64_t> positions(*normalized);
    for (int64_t axis : *normalized)
      positions.push_back(rank + axis);
    return node.constantI64(positions);
  }
  FailureOr<Value> axes64 = node.castTo(axes, node.builder().getI64Type());
  if (failed(axes64))
    return failure();
  Value rankValue = node.constantI64({rank}, /*scalar=*/true);
  FailureOr<Value> negative =
      node.build<LessOp>(*axes64, node.constantI64({0}, /*scalar=*/true));
  FailureOr<Value> wrapped = node.build<AddOp>(*axes64, rankValue);
  if (failed(negative) || failed(wrapped))
    return failure();
  FailureOr<Value> begins = node.build<WhereOp>(*negative, *wrapped, *axes64);
  if (failed(begins))
    return failure();
  FailureOr<Value> ends = node.build<AddOp>(*begins, rankValue);
  if (failed(ends))
    return failure();
  return node.build<ConcatOp>(ValueRange{*begins, *ends}, int64_t(0));
}

/// Pads are attributes before opset 11 (`paddings` in opset 1) with a float
/// `value`; inputs from then on, with optional `axes` from opset 18 that are
/// expanded into pads for every dimension.
LogicalResult importPad(NodeImporter &node) {
  bool padsAreAttr = node.opset() < 11;
  if (failed(node.checkInputCount(padsAreAttr ? 1 : 2, padsAreAttr ? 1 : 4)))
    return failure();
  FailureOr<Value> input = node.input(0);
  FailureOr<PadMode> mode = attrEnum<PadMode>(node, "mode", "constant",
                                              "constant, reflect, edge, wrap");
  if (failed(input) || failed(mode))
    return failure();
  RankedTensorType inputType = typeOf(*input);
  int64_t rank = inputType.getRank();
  Value pads, padValue;
  if (padsAreAttr) {
    FailureOr<SmallVector<int64_t>> padValues =
        node.attrInts(node.opset() < 2 ? "paddings" : "pads");
    FailureOr<float> value = node.attrFloat("value", 0.0f);
    if (failed(padValues) || failed(value))
      return failure();
    pads = node.constantI64(*padValues);
    if (node.hasAttr("value"))
      padValue = node.constantScalar(inputType.getElementType(), *value);
  } else {
    FailureOr<Value> padsInput = node.input(1);
    if (failed(padsInput) || failed(node.readOptionalInput(2, padValue)))
      return failure();
    pads = *padsInput;
    if (node.hasInput(3)) {
      FailureOr<Value> axes = node.input(3);
      if (failed(axes))
        return failure();
      FailureOr<Value> positions = padPositions(node, *axes, rank);
      if (failed(positions))
        return failure();
      FailureOr<Value> expanded = overwriteEntries(
          node, node.constantI64(SmallVector<int64_t>(2 * rank, 0)), *positions,
          pads, "pads");
      if (failed(expanded))
        return failure();
      pads = *expanded;
    }
  }
  // The fill value only matters in constant mode.
  if (*mode != PadMode::constant)
    padValue = nullptr;
  return node.setSingleResult(node.build<PadOp>(*input, pads, padValue, *mode));
}

//===----------------------------------------------------------------------===//
// Resize and Upsample
//===----------------------------------------------------------------------===//

/// The interpolation settings of tamp.resize. The defaults are what Resize-10
/// and Upsample mean: asymmetric coordinates, nearest rounding down.
struct ResizeSettings {
  ResizeMode mode = ResizeMode::nearest;
  CoordinateTransform transform = CoordinateTransform::asymmetric;
  NearestMode nearestMode = NearestMode::floor;
  AspectRatioPolicy aspectRatioPolicy = AspectRatioPolicy::stretch;
  /// The dimensions the aspect-ratio policy covers; empty for all.
  SmallVector<int64_t> policyAxes;
  float cubicCoeffA = -0.75f;
  bool excludeOutside = false;
  bool antialias = false;
  float extrapolationValue = 0.0f;
};

FailureOr<Value> buildResize(NodeImporter &node, Value input, Value roi,
                             Value scales, Value sizes,
                             const ResizeSettings &settings) {
  Type elementType = typeOf(input).getElementType();
  if (!isa<FloatType>(elementType))
    return node.emitError()
           << "resizing " << elementType
           << " tensors is not supported (floating-point only)";
  return node.build<ResizeOp>(
      input, roi, scales, sizes, settings.mode, settings.transform,
      settings.nearestMode, settings.aspectRatioPolicy, settings.policyAxes,
      APFloat(settings.cubicCoeffA), settings.excludeOutside,
      settings.antialias, APFloat(settings.extrapolationValue));
}

FailureOr<ResizeMode> readResizeMode(NodeImporter &node) {
  return attrEnum<ResizeMode>(node, "mode", "nearest",
                              "nearest, linear, cubic");
}

/// Resize-11 and later attributes.
LogicalResult readResizeSettings(NodeImporter &node, ResizeSettings &settings) {
  FailureOr<std::string> transformName =
      node.attrString("coordinate_transformation_mode", "half_pixel");
  if (failed(transformName))
    return failure();
  if (*transformName == "tf_half_pixel_for_nn")
    return node.emitError()
           << "coordinate_transformation_mode 'tf_half_pixel_for_nn' "
              "(opsets 11-12) is not supported";
  FailureOr<ResizeMode> mode = readResizeMode(node);
  FailureOr<CoordinateTransform> transform = attrEnum<CoordinateTransform>(
      node, "coordinate_transformation_mode", "half_pixel",
      "half_pixel, half_pixel_symmetric, pytorch_half_pixel, align_corners, "
      "asymmetric, tf_crop_and_resize");
  FailureOr<NearestMode> nearestMode = attrEnum<NearestMode>(
      node, "nearest_mode", "round_prefer_floor",
      "round_prefer_floor, round_prefer_ceil, floor, ceil");
  FailureOr<AspectRatioPolicy> policy =
      attrEnum<AspectRatioPolicy>(node, "keep_aspect_ratio_policy", "stretch",
                                  "stretch, not_larger, not_smaller");
  FailureOr<float> cubicCoeffA = node.attrFloat("cubic_coeff_a", -0.75f);
  FailureOr<bool> excludeOutside = node.attrBool("exclude_outside", false);
  FailureOr<bool> antialias = node.attrBool("antialias", false);
  FailureOr<float> extrapolationValue =
      node.attrFloat("extrapolation_value", 0.0f);
  if (failed(mode) || failed(transform) || failed(nearestMode) ||
      failed(policy) || failed(cubicCoeffA) || failed(excludeOutside) ||
      failed(antialias) || failed(extrapolationValue))
    return failure();
  settings.mode = *mode;
  settings.transform = *transform;
  settings.nearestMode = *nearestMode;
  settings.aspectRatioPolicy = *policy;
  settings.cubicCoeffA = *cubicCoeffA;
  settings.excludeOutside = *excludeOutside;
  settings.antialias = *antialias;
  settings.extrapolationValue = *extrapolationValue;
  return success();
}

/// Resize-18 `axes`: roi, scales and sizes cover only the listed axes; the
/// others keep roi [0, 1], scale 1 and their input size.
LogicalResult expandResizeAxes(NodeImporter &node, Value input,
                               ArrayRef<int64_t> axes, Value &roi,
                               Value &scales, Value &sizes) {
  int64_t rank = typeOf(input).getRank();
  if (roi) {
    auto roiType = dyn_cast<FloatType>(typeOf(roi).getElementType());
    if (!roiType)
      return node.emitError() << "roi must be a floating-point tensor";
    SmallVector<double> defaults(rank, 0.0);
    defaults.append(rank, 1.0);
    SmallVector<int64_t> positions(axes);
    for (int64_t axis : axes)
      positions.push_back(rank + axis);
    FailureOr<Value> expanded =
        overwriteEntries(node, constantFloats(node, roiType, defaults),
                         node.constantI64(positions), roi, "roi");
    if (failed(expanded))
      return failure();
    roi = *expanded;
  }
  if (scales) {
    auto scalesType = dyn_cast<FloatType>(typeOf(scales).getElementType());
    if (!scalesType)
      return node.emitError() << "scales must be a floating-point tensor";
    FailureOr<Value> expanded = overwriteEntries(
        node, constantFloats(node, scalesType, SmallVector<double>(rank, 1.0)),
        node.constantI64(axes), scales, "scales");
    if (failed(expanded))
      return failure();
    scales = *expanded;
  }
  if (sizes) {
    FailureOr<Value> inputSizes =
        node.build<ShapeOp>(input, int64_t(0), IntegerAttr());
    if (failed(inputSizes))
      return failure();
    FailureOr<Value> expanded = overwriteEntries(
        node, *inputSizes, node.constantI64(axes), sizes, "sizes");
    if (failed(expanded))
      return failure();
    sizes = *expanded;
  }
  return success();
}

/// Resize-10 takes (X, scales) with Upsample's semantics; Resize-11/13 take
/// (X, roi, scales, sizes), where an empty roi or scales tensor counts as
/// absent; Resize-18 adds `axes`, antialiasing and the aspect-ratio policy.
LogicalResult importResize(NodeImporter &node) {
  int64_t opset = node.opset();
  bool legacy = opset < 11;
  unsigned minInputs = legacy ? 2 : opset < 13 ? 3 : 1;
  if (failed(node.checkInputCount(minInputs, legacy ? 2 : 4)))
    return failure();
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  ResizeSettings settings;
  Value roi, scales, sizes;
  if (legacy) {
    FailureOr<ResizeMode> mode = readResizeMode(node);
    FailureOr<Value> scalesInput = node.input(1);
    if (failed(mode) || failed(scalesInput))
      return failure();
    settings.mode = *mode;
    scales = *scalesInput;
  } else {
    if (failed(readResizeSettings(node, settings)) ||
        failed(node.readOptionalInput(1, roi)) ||
        failed(node.readOptionalInput(2, scales)) ||
        failed(node.readOptionalInput(3, sizes)))
      return failure();
    if (roi && isEmptyTensor(roi))
      roi = nullptr;
    if (scales && isEmptyTensor(scales))
      scales = nullptr;
  }
  if (!scales && !sizes)
    return node.emitError() << "expects either scales or sizes";
  if (scales && sizes)
    return node.emitError() << "expects only one of scales and sizes";
  // The aspect-ratio policy only applies to sizes.
  if (scales)
    settings.aspectRatioPolicy = AspectRatioPolicy::stretch;

  // roi only matters when cropping.
  if (settings.transform != CoordinateTransform::tf_crop_and_resize)
    roi = nullptr;
  else if (!roi)
    return node.emitError() << "coordinate_transformation_mode "
                               "'tf_crop_and_resize' needs a roi";

  int64_t rank = typeOf(*input).getRank();
  if (node.hasAttr("axes")) {
    FailureOr<SmallVector<int64_t>> axes = node.attrInts("axes");
    if (failed(axes))
      return failure();
    FailureOr<SmallVector<int64_t>> normalized =
        normalizeAxes(node.loc(), *axes, rank);
    if (failed(normalized))
      return failure();
    if (*normalized != iota(rank) &&
        failed(expandResizeAxes(node, *input, *normalized, roi, scales, sizes)))
      return failure();
    // The aspect-ratio policy chooses its scale over the listed axes only;
    // the others keep their input sizes, which expandResizeAxes put in.
    if (sizes && settings.aspectRatioPolicy != AspectRatioPolicy::stretch &&
        int64_t(normalized->size()) != rank) {
      settings.policyAxes = *normalized;
      llvm::sort(settings.policyAxes);
    }
  }
  return node.setSingleResult(
      buildResize(node, *input, roi, scales, sizes, settings));
}

/// Upsample (opsets 7-9): scales as an attribute (7) or input (9), with
/// asymmetric coordinates and nearest rounding down.
LogicalResult importUpsample(NodeImporter &node) {
  if (node.opset() < 7)
    return node.emitError() << "Upsample before opset 7 (height_scale and "
                               "width_scale) is not supported";
  bool scalesAreAttr = node.opset() < 9;
  if (failed(
          node.checkInputCount(scalesAreAttr ? 1 : 2, scalesAreAttr ? 1 : 2)))
    return failure();
  FailureOr<Value> input = node.input(0);
  FailureOr<ResizeMode> mode =
      attrEnum<ResizeMode>(node, "mode", "nearest", "nearest, linear");
  if (failed(input) || failed(mode))
    return failure();
  if (*mode == ResizeMode::cubic)
    return node.emitError()
           << "attribute 'mode' must be one of nearest, linear, got \"cubic\"";
  Value scales;
  if (scalesAreAttr) {
    FailureOr<SmallVector<float>> values = node.attrFloats("scales");
    if (failed(values))
      return failure();
    scales = constantFloats(
        node, node.builder().getF32Type(),
        llvm::to_vector(llvm::map_range(
            *values, [](float value) { return double(value); })));
  } else {
    FailureOr<Value> scalesInput = node.input(1);
    if (failed(scalesInput))
      return failure();
    scales = *scalesInput;
  }
  ResizeSettings settings;
  settings.mode = *mode;
  return node.setSingleResult(
      buildResize(node, *input, Value(), scales, Value(), settings));
}

//===----------------------------------------------------------------------===//
// Shape queries and generators
//===----------------------------------------------------------------------===//

/// Shape-15 `start`/`end` are clamped to [0, rank] here so that the IR
/// carries the dimensions actually taken.
LogicalResult importShape(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  int64_t rank = typeOf(*input).getRank();
  FailureOr<int64_t> start = node.attrInt("start", 0);
  FailureOr<int64_t> end = node.attrInt("end", rank);
  if (failed(start) || failed(end))
    return failure();
  auto clampBound = [rank](int64_t bound) {
    return std::clamp<int64_t>(bound < 0 ? bound + rank : bound, 0, rank);
  };
  int64_t first = clampBound(*start);
  int64_t last = std::max(first, clampBound(*end));
  IntegerAttr endAttr;
  if (last != rank)
    endAttr = node.builder().getI64IntegerAttr(last);
  return node.setSingleResult(node.build<ShapeOp>(*input, first, endAttr));
}

LogicalResult importSize(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  RankedTensorType type = typeOf(*input);
  if (type.hasStaticShape())
    return node.setSingleResult(node.constantI64({type.getNumElements()},
                                                 /*scalar=*/true));
  FailureOr<Value> shape =
      node.build<ShapeOp>(*input, int64_t(0), IntegerAttr());
  if (failed(shape))
    return failure();
  return node.setSingleResult(node.build<ReduceProdOp>(*shape,
                                                       ArrayRef<int64_t>(),
                                                       /*keepdims=*/false));
}

/// From opset 27, float16/bfloat16 ranges are computed in `stash_type`
/// (float by default) and cast back.
LogicalResult importRange(NodeImporter &node) {
  if (failed(node.checkInputCount(3, 3)))
    return failure();
  SmallVector<Value> operands = node.inputsFrom(0);
  if (operands.size() != 3)
    return failure();
  Type elementType = typeOf(operands.front()).getElementType();
  Type computeType = elementType;
  if (node.opset() >= 27 && (elementType.isF16() || elementType.isBF16())) {
    FailureOr<int64_t> stashCode = node.attrInt("stash_type", 1);
    if (failed(stashCode))
      return failure();
    FailureOr<Type> stashType = node.elementTypeOf(*stashCode);
    if (failed(stashType))
      return failure();
    if (!stashType->isF32() && !stashType->isF64())
      return node.emitError()
             << "stash_type must be float or double, got " << *stashType;
    computeType = *stashType;
  }
  for (Value &operand : operands) {
    FailureOr<Value> converted = node.castTo(operand, computeType);
    if (failed(converted))
      return failure();
    operand = *converted;
  }
  FailureOr<Value> range =
      node.build<RangeOp>(operands[0], operands[1], operands[2]);
  if (failed(range))
    return failure();
  return node.setSingleResult(node.castTo(*range, elementType));
}

LogicalResult importTopK(NodeImporter &node) {
  // `k` is an attribute before opset 10, an input from then on.
  bool kIsAttr = node.opset() < 10;
  if (failed(node.checkInputCount(kIsAttr ? 1 : 2, kIsAttr ? 1 : 2)))
    return failure();
  FailureOr<Value> input = node.input(0);
  FailureOr<bool> largest = node.attrBool("largest", true);
  FailureOr<bool> sorted = node.attrBool("sorted", true);
  if (failed(input) || failed(largest) || failed(sorted))
    return failure();
  FailureOr<Value> k = failure();
  if (kIsAttr) {
    FailureOr<int64_t> count = node.attrInt("k");
    if (failed(count))
      return failure();
    k = node.constantI64({*count});
  } else {
    k = node.input(1);
    if (failed(k))
      return failure();
  }
  RankedTensorType type = typeOf(*input);
  if (type.getRank() == 0)
    return node.emitError() << "expects an input of rank >= 1";
  FailureOr<int64_t> axis =
      normalizedAxisAttr(node, "axis", -1, type.getRank());
  if (failed(axis))
    return failure();
  FailureOr<TopKOp> topk =
      node.buildOp<TopKOp>(2, *input, *k, *axis, *largest, *sorted);
  if (failed(topk))
    return failure();
  node.setResult(0, topk->getValues());
  node.setResult(1, topk->getIndices());
  return success();
}

//===----------------------------------------------------------------------===//
// Block rearrangement
//===----------------------------------------------------------------------===//

FailureOr<DepthToSpaceMode> readBlockMode(NodeImporter &node) {
  FailureOr<std::string> mode = node.attrString("mode", "DCR");
  if (failed(mode))
    return failure();
  if (*mode == "DCR")
    return DepthToSpaceMode::dcr;
  if (*mode == "CRD")
    return DepthToSpaceMode::crd;
  return node.emitError()
         << "attribute 'mode' must be \"DCR\" or \"CRD\", got \"" << *mode
         << "\"";
}

LogicalResult importDepthToSpace(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  FailureOr<int64_t> blocksize = node.attrInt("blocksize");
  FailureOr<DepthToSpaceMode> mode = readBlockMode(node);
  if (failed(input) || failed(blocksize) || failed(mode))
    return failure();
  return node.setSingleResult(
      node.build<DepthToSpaceOp>(*input, *blocksize, *mode));
}

/// tamp.space_to_depth orders output channels depth-column-row (DCR). The CRD
/// mode of opset 28 permutes them from (block, channel) to (channel, block),
/// done here as reshape, transpose, reshape.
LogicalResult importSpaceToDepth(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  FailureOr<int64_t> blocksize = node.attrInt("blocksize");
  FailureOr<DepthToSpaceMode> mode = readBlockMode(node);
  if (failed(input) || failed(blocksize) || failed(mode))
    return failure();
  FailureOr<Value> dcr = node.build<SpaceToDepthOp>(*input, *blocksize);
  if (failed(dcr) || *mode == DepthToSpaceMode::dcr)
    return node.setSingleResult(dcr);

  int64_t channels = typeOf(*input).getDimSize(1);
  if (ShapedType::isDynamic(channels))
    return node.emitError() << "CRD mode needs a static channel count";
  int64_t blockArea;
  if (llvm::MulOverflow(*blocksize, *blocksize, blockArea))
    return node.emitError() << "blocksize " << *blocksize << " is too large";
  // [N, bs*bs * C, H', W'] -> [N, bs*bs, C, H'*W'] -> [N, C, bs*bs, H'*W'].
  FailureOr<Value> blocksFirst = node.build<ReshapeOp>(
      *dcr, node.constantI64({0, blockArea, channels, -1}), false);
  if (failed(blocksFirst))
    return failure();
  FailureOr<Value> channelsFirst =
      node.build<TransposeOp>(*blocksFirst, ArrayRef<int64_t>{0, 2, 1, 3});
  if (failed(channelsFirst))
    return failure();
  // Back to the DCR result's shape: the batch is copied (0), one dynamic
  // spatial size can be inferred (-1); with two, the shape is read at run
  // time.
  ArrayRef<int64_t> dcrSizes = typeOf(*dcr).getShape();
  FailureOr<Value> targetShape = failure();
  if (llvm::count_if(dcrSizes.drop_front(1), ShapedType::isDynamic) <= 1) {
    SmallVector<int64_t> sizes = {0};
    for (int64_t size : dcrSizes.drop_front(1))
      sizes.push_back(ShapedType::isDynamic(size) ? -1 : size);
    targetShape = node.constantI64(sizes);
  } else {
    targetShape = node.build<ShapeOp>(*dcr, int64_t(0), IntegerAttr());
    if (failed(targetShape))
      return failure();
  }
  return node.setSingleResult(
      node.build<ReshapeOp>(*channelsFirst, *targetShape, false));
}

//===----------------------------------------------------------------------===//
// Other generators
//===----------------------------------------------------------------------===//

LogicalResult importTrilu(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 2)))
    return failure();
  FailureOr<Value> input = node.input(0);
  FailureOr<bool> upper = node.attrBool("upper", true);
  Value k;
  if (failed(input) || failed(upper) || failed(node.readOptionalInput(1, k)))
    return failure();
  return node.setSingleResult(node.build<TriluOp>(*input, k, *upper));
}

/// EyeLike: ones on the k-th diagonal of a 2-D tensor shaped like the
/// input, i.e. a tensor of ones cut to its upper and its lower triangle at
/// the same k.
LogicalResult importEyeLike(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  FailureOr<int64_t> k = node.attrInt("k", 0);
  if (failed(input) || failed(k))
    return failure();
  if (typeOf(*input).getRank() != 2)
    return node.emitError()
           << "input must have rank 2, got rank " << typeOf(*input).getRank();
  Type elementType = typeOf(*input).getElementType();
  if (node.hasAttr("dtype")) {
    FailureOr<Type> dtype = node.attrElementType("dtype");
    if (failed(dtype))
      return failure();
    elementType = *dtype;
  }
  TypedAttr one;
  if (isa<FloatType>(elementType))
    one = FloatAttr::get(elementType, 1.0);
  else if (isa<IntegerType>(elementType))
    one = IntegerAttr::get(elementType, 1);
  else
    return node.emitError() << "attribute 'dtype' must name a number or "
                               "boolean type, got "
                            << elementType;
  FailureOr<Value> shape =
      node.build<ShapeOp>(*input, int64_t(0), IntegerAttr());
  if (failed(shape))
    return failure();
  FailureOr<Value> ones = node.build<FillOp>(*shape, one);
  if (failed(ones))
    return failure();
  Value diagonal = node.constantI64({*k}, /*scalar=*/true);
  FailureOr<Value> upper = node.build<TriluOp>(*ones, diagonal, true);
  if (failed(upper))
    return failure();
  return node.setSingleResult(node.build<TriluOp>(*upper, diagonal, false));
}

LogicalResult importOneHot(NodeImporter &node) {
  if (failed(node.checkInputCount(3, 3)))
    return failure();
  FailureOr<Value> indices = node.input(0), depth = node.input(1),
                   values = node.input(2);
  if (failed(indices) || failed(depth) || failed(values))
    return failure();
  // The axis indexes the result, which has one more dimension.
  FailureOr<int64_t> axis =
      normalizedAxisAttr(node, "axis", -1, typeOf(*indices).getRank() + 1);
  if (failed(axis))
    return failure();
  return node.setSingleResult(
      node.build<OneHotOp>(*indices, *depth, *values, *axis));
}

LogicalResult importNonZero(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  return node.setSingleResult(node.build<NonZeroOp>(*input));
}

} // namespace

void registerTensorOps(OpRegistry &registry) {
  registry.add("", "Constant", importConstant);
  registry.add("", "ConstantOfShape", importConstantOfShape);
  registry.add("", "Cast", importCast);
  registry.add("", "CastLike", importCastLike);
  // Identity forwards any tensor, strings included.
  registry.add("", "Identity", importIdentity, StringInputs::accepted);
  registry.add("", "Dropout", importDropout);

  registry.add("", "Reshape", importReshape);
  registry.add("", "Flatten", importFlatten);
  registry.add("", "Squeeze", importSqueeze);
  registry.add("", "Unsqueeze", importUnsqueeze);
  registry.add("", "Transpose", importTranspose);
  registry.add("", "Concat", importConcat);
  registry.add("", "Split", importSplit);
  registry.add("", "Slice", importSlice);
  registry.add("", "Expand", importExpand);
  registry.add("", "Tile", importTile);

  registry.add("", "Gather", importGatherAlongAxis<GatherOp>);
  registry.add("", "GatherElements", importGatherAlongAxis<GatherElementsOp>);
  registry.add("", "GatherND", importGatherND);
  registry.add("", "ScatterElements", importScatterElements);
  registry.add("", "Scatter", importScatterElements);
  registry.add("", "ScatterND", importScatterND);

  registry.add("", "Pad", importPad);
  registry.add("", "Resize", importResize);
  registry.add("", "Upsample", importUpsample);

  registry.add("", "Shape", importShape);
  registry.add("", "Size", importSize);
  registry.add("", "Range", importRange);
  registry.add("", "TopK", importTopK);
  registry.add("", "DepthToSpace", importDepthToSpace);
  registry.add("", "SpaceToDepth", importSpaceToDepth);
  registry.add("", "Trilu", importTrilu);
  registry.add("", "OneHot", importOneHot);
  registry.add("", "EyeLike", importEyeLike);
  registry.add("", "NonZero", importNonZero);
}

} // namespace tamp
