//===- NodeImporter.cpp - What an op's import function works with ---------===//

#include "NodeImporter.h"
#include "GraphImporter.h"
#include "TensorDecoding.h"

#include "onnx-ml.pb.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/Verifier.h"

using namespace mlir;

namespace tamp {

NodeImporter::NodeImporter(GraphImporter &graph, const onnx::NodeProto &node,
                           int64_t opset, Location loc)
    : graph(graph), node(node), opsetVersion(opset), location(loc) {}

llvm::StringRef NodeImporter::opType() const { return node.op_type(); }

OpBuilder &NodeImporter::builder() { return graph.builder(); }

InFlightDiagnostic NodeImporter::emitError() const {
  return mlir::emitError(location);
}

//===----------------------------------------------------------------------===//
// Inputs and outputs
//===----------------------------------------------------------------------===//

unsigned NodeImporter::numInputs() const { return node.input_size(); }

bool NodeImporter::hasInput(unsigned i) const {
  return i < unsigned(node.input_size()) && !node.input(i).empty();
}

LogicalResult NodeImporter::checkInputCount(unsigned min, unsigned max) {
  unsigned count = numInputs();
  if (count < min || count > max) {
    InFlightDiagnostic diag = emitError() << "expects ";
    if (min == max)
      diag << min;
    else if (max == ~0u)
      diag << "at least " << min;
    else
      diag << min << " to " << max;
    return diag << " inputs, got " << count;
  }
  for (unsigned i = 0; i < min; ++i)
    if (!hasInput(i))
      return emitError() << "expects input " << i << " but it is omitted";
  return success();
}

FailureOr<Value> NodeImporter::input(unsigned i) {
  if (!hasInput(i))
    return emitError() << "expects input " << i << " but the node has "
                       << numInputs() << " input(s)";
  Value value = graph.lookup(node.input(i));
  if (!value)
    return emitError() << "reads undefined value '" << node.input(i) << "'";
  return value;
}

Value NodeImporter::optionalInput(unsigned i) {
  if (!hasInput(i))
    return nullptr;
  FailureOr<Value> value = input(i);
  return succeeded(value) ? *value : nullptr;
}

SmallVector<Value> NodeImporter::inputsFrom(unsigned from) {
  SmallVector<Value> result;
  for (unsigned i = from; i < numInputs(); ++i)
    if (Value value = optionalInput(i))
      result.push_back(value);
  return result;
}

unsigned NodeImporter::numOutputs() const { return node.output_size(); }

bool NodeImporter::hasOutput(unsigned i) const {
  return i < unsigned(node.output_size()) && !node.output(i).empty();
}

void NodeImporter::setResult(unsigned i, Value value) {
  if (hasOutput(i))
    graph.bind(node.output(i), value);
}

LogicalResult NodeImporter::setSingleResult(FailureOr<Value> result) {
  if (failed(result))
    return failure();
  setResult(0, *result);
  return success();
}

LogicalResult NodeImporter::readOptionalInput(unsigned i, Value &value) {
  value = optionalInput(i);
  return success(value || !hasInput(i));
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t>>
NodeImporter::requireConstantInts(unsigned i, llvm::StringRef what) {
  FailureOr<Value> value = input(i);
  if (failed(value))
    return failure();
  if (auto values = getConstantIntValues(*value))
    return *values;
  return emitError() << "input " << i << " (" << what
                     << ") must be a constant integer tensor";
}

FailureOr<SmallVector<double>>
NodeImporter::requireConstantFloats(unsigned i, llvm::StringRef what) {
  FailureOr<Value> value = input(i);
  if (failed(value))
    return failure();
  if (auto values = getConstantFloatValues(*value))
    return *values;
  return emitError() << "input " << i << " (" << what
                     << ") must be a constant floating-point tensor";
}

Value NodeImporter::constant(ElementsAttr value) {
  return graph.constant(location, value);
}

int64_t NodeImporter::inlineElementLimit() const {
  return graph.options().inlineElementLimit;
}

Value NodeImporter::constantI64(ArrayRef<int64_t> values, bool scalar) {
  auto type = RankedTensorType::get(
      scalar ? ArrayRef<int64_t>{} : ArrayRef<int64_t>{int64_t(values.size())},
      IntegerType::get(context(), 64));
  return constant(DenseIntElementsAttr::get(type, values));
}

Value NodeImporter::constantScalar(Type elementType, double value) {
  auto type = RankedTensorType::get({}, elementType);
  if (auto floatType = dyn_cast<FloatType>(elementType)) {
    APFloat converted(value);
    bool losesInfo;
    converted.convert(floatType.getFloatSemantics(),
                      APFloat::rmNearestTiesToEven, &losesInfo);
    return constant(DenseElementsAttr::get(type, converted));
  }
  unsigned width = elementType.getIntOrFloatBitWidth();
  APInt bits(width, uint64_t(int64_t(value)), /*isSigned=*/true,
             /*implicitTrunc=*/true);
  return constant(DenseElementsAttr::get(type, bits));
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

const onnx::AttributeProto *NodeImporter::findAttr(llvm::StringRef name) const {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

static llvm::StringRef attrTypeName(const onnx::AttributeProto &attr) {
  return onnx::AttributeProto::AttributeType_IsValid(attr.type())
             ? llvm::StringRef(
                   onnx::AttributeProto::AttributeType_Name(attr.type()))
             : llvm::StringRef("an unknown type");
}

LogicalResult NodeImporter::wrongAttrType(const onnx::AttributeProto &attr,
                                          llvm::StringRef expected) const {
  return emitError() << "attribute '" << attr.name() << "' must be " << expected
                     << ", got " << attrTypeName(attr);
}

/// Looks up `name`, checks its type, and reports a missing attribute that has
/// no default. Returns null (no error) when absent with a default.
template <typename T>
static FailureOr<const onnx::AttributeProto *>
findTyped(const NodeImporter &node, llvm::StringRef name,
          onnx::AttributeProto::AttributeType type,
          const std::optional<T> &dflt) {
  const onnx::AttributeProto *attr = node.findAttr(name);
  if (!attr) {
    if (dflt)
      return static_cast<const onnx::AttributeProto *>(nullptr);
    return node.emitError() << "attribute '" << name << "' is required";
  }
  // ONNX writers often omit `type` for simple attributes; judge by content.
  if (attr->type() != onnx::AttributeProto::UNDEFINED && attr->type() != type)
    return failure();
  return attr;
}

FailureOr<int64_t> NodeImporter::attrInt(llvm::StringRef name,
                                         std::optional<int64_t> defaultValue) {
  auto attr = findTyped(*this, name, onnx::AttributeProto::INT, defaultValue);
  if (failed(attr))
    return findAttr(name) ? wrongAttrType(*findAttr(name), "an integer")
                          : failure();
  return *attr ? (*attr)->i() : *defaultValue;
}

FailureOr<bool> NodeImporter::attrBool(llvm::StringRef name,
                                       bool defaultValue) {
  FailureOr<int64_t> value = attrInt(name, int64_t(defaultValue));
  if (failed(value))
    return failure();
  if (*value != 0 && *value != 1)
    return emitError() << "attribute '" << name << "' must be 0 or 1, got "
                       << *value;
  return *value == 1;
}

FailureOr<float> NodeImporter::attrFloat(llvm::StringRef name,
                                         std::optional<float> defaultValue) {
  auto attr = findTyped(*this, name, onnx::AttributeProto::FLOAT, defaultValue);
  if (failed(attr))
    return findAttr(name) ? wrongAttrType(*findAttr(name), "a float")
                          : failure();
  return *attr ? (*attr)->f() : *defaultValue;
}

FailureOr<std::string>
NodeImporter::attrString(llvm::StringRef name,
                         std::optional<std::string> defaultValue) {
  auto attr =
      findTyped(*this, name, onnx::AttributeProto::STRING, defaultValue);
  if (failed(attr))
    return findAttr(name) ? wrongAttrType(*findAttr(name), "a string")
                          : failure();
  return *attr ? (*attr)->s() : *defaultValue;
}

FailureOr<SmallVector<int64_t>>
NodeImporter::attrInts(llvm::StringRef name,
                       std::optional<SmallVector<int64_t>> defaultValue) {
  auto attr = findTyped(*this, name, onnx::AttributeProto::INTS, defaultValue);
  if (failed(attr))
    return findAttr(name) ? wrongAttrType(*findAttr(name), "a list of integers")
                          : failure();
  if (!*attr)
    return *defaultValue;
  return SmallVector<int64_t>((*attr)->ints().begin(), (*attr)->ints().end());
}

FailureOr<SmallVector<float>>
NodeImporter::attrFloats(llvm::StringRef name,
                         std::optional<SmallVector<float>> defaultValue) {
  auto attr =
      findTyped(*this, name, onnx::AttributeProto::FLOATS, defaultValue);
  if (failed(attr))
    return findAttr(name) ? wrongAttrType(*findAttr(name), "a list of floats")
                          : failure();
  if (!*attr)
    return *defaultValue;
  return SmallVector<float>((*attr)->floats().begin(), (*attr)->floats().end());
}

FailureOr<SmallVector<std::string>> NodeImporter::attrStrings(
    llvm::StringRef name,
    std::optional<SmallVector<std::string>> defaultValue) {
  auto attr =
      findTyped(*this, name, onnx::AttributeProto::STRINGS, defaultValue);
  if (failed(attr))
    return findAttr(name) ? wrongAttrType(*findAttr(name), "a list of strings")
                          : failure();
  if (!*attr)
    return *defaultValue;
  return SmallVector<std::string>((*attr)->strings().begin(),
                                  (*attr)->strings().end());
}

FailureOr<ElementsAttr> NodeImporter::attrTensor(llvm::StringRef name) {
  auto attr = findTyped(*this, name, onnx::AttributeProto::TENSOR,
                        std::optional<int>());
  if (failed(attr))
    return findAttr(name) ? wrongAttrType(*findAttr(name), "a tensor")
                          : failure();
  std::string hint = node.output_size() ? node.output(0) : std::string(name);
  llvm::Expected<ElementsAttr> value =
      decodeElementsAttr((*attr)->t(), context(), &graph.externalData(), hint,
                         graph.options().inlineElementLimit);
  if (!value)
    return emitError() << "attribute '" << name
                       << "': " << llvm::toString(value.takeError());
  return *value;
}

FailureOr<Type> NodeImporter::elementTypeOf(int64_t onnxDataType) {
  llvm::Expected<Type> type =
      convertOnnxElementType(int32_t(onnxDataType), context());
  if (!type)
    return emitError() << llvm::toString(type.takeError());
  // Data type attributes name what an op computes, and no op computes
  // strings.
  if (isa<StringType>(*type))
    return emitError() << "producing string tensors is not supported";
  return *type;
}

FailureOr<Type> NodeImporter::attrElementType(llvm::StringRef name) {
  FailureOr<int64_t> code = attrInt(name);
  if (failed(code))
    return failure();
  return elementTypeOf(*code);
}

//===----------------------------------------------------------------------===//
// Creating ops
//===----------------------------------------------------------------------===//

/// Rejects results whose static sizes mark the model as corrupt (a Tile or
/// Reshape to 2^40 elements), before anything tries to materialise them.
static LogicalResult checkResultSizes(Operation *op, const NodeImporter &node) {
  for (Type type : op->getResultTypes()) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor)
      continue;
    SmallVector<int64_t> staticSizes;
    for (int64_t size : tensor.getShape())
      if (!ShapedType::isDynamic(size))
        staticSizes.push_back(size);
    llvm::Expected<int64_t> count = checkedElementCount(staticSizes);
    if (!count)
      return node.emitError()
             << "result type " << type
             << " is too large: " << llvm::toString(count.takeError());
  }
  return success();
}

LogicalResult NodeImporter::setInferredTypes(Operation *op,
                                             ArrayRef<Type> types) {
  if (types.size() != op->getNumResults()) {
    op->erase();
    return emitError() << "internal error: inferred " << types.size()
                       << " result types for " << op->getNumResults()
                       << " results";
  }
  for (auto [result, type] : llvm::zip(op->getResults(), types))
    result.setType(type);
  if (failed(checkResultSizes(op, *this))) {
    op->erase();
    return failure();
  }
  return success();
}

FailureOr<Value> NodeImporter::foldSingleResult(Operation *op) {
  if (failed(checkResultSizes(op, *this)) || failed(verify(op))) {
    op->erase();
    return failure();
  }
  SmallVector<Value, 1> folded;
  if (succeeded(builder().tryFold(op, folded)) && folded.size() == 1 &&
      folded.front().getType() == op->getResult(0).getType()) {
    op->erase();
    return folded.front();
  }
  return op->getResult(0);
}

FailureOr<Value> NodeImporter::castTo(Value value, Type elementType) {
  RankedTensorType type = typeOf(value);
  if (type.getElementType() == elementType)
    return value;
  return buildWithType<CastOp>(type.clone(elementType), value);
}

} // namespace tamp
