//===- GraphImporter.cpp - ONNX GraphProto -> func.func -------------------===//

#include "GraphImporter.h"
#include "NodeImporter.h"
#include "OpRegistry.h"
#include "TensorDecoding.h"

#include "onnx-ml.pb.h"

#include "tamp/Dialect/Tamp/IR/TampOps.h"

#include "mlir/IR/TypeUtilities.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"

#include <functional>
#include <queue>

using namespace mlir;

namespace tamp {

/// Default-domain opsets the importer accepts: every version up to the one of
/// the pinned onnx package (TAMP_ONNX_MAX_OPSET, set by CMake). Ops whose
/// semantics changed at opset 7 (legacy broadcasting) check it themselves.
constexpr int64_t kMinOpset = 1;
constexpr int64_t kMaxOpset = TAMP_ONNX_MAX_OPSET;

GraphImporter::GraphImporter(MLIRContext &context,
                             const OnnxImportOptions &options,
                             ExternalDataReader &externalData,
                             Location modelLocation)
    : context(context), importOptions(options),
      externalDataReader(externalData), opBuilder(&context),
      modelLocation(modelLocation) {}

Value GraphImporter::constant(Location loc, ElementsAttr value) {
  return ConstantOp::create(opBuilder, loc, value.getType(), value);
}

LogicalResult GraphImporter::readOpsets(const onnx::ModelProto &model) {
  for (const onnx::OperatorSetIdProto &opset : model.opset_import())
    opsets[canonicalDomain(opset.domain())] = opset.version();
  // A model of only custom-domain ops (ai.onnx.ml, ...) imports no default
  // opset; its nodes are then reported as unsupported one by one.
  auto it = opsets.find("");
  if (it != opsets.end() && (it->second < kMinOpset || it->second > kMaxOpset))
    return emitError(modelLocation) << "default-domain opset " << it->second
                                    << " is outside the supported range "
                                    << kMinOpset << ".." << kMaxOpset;
  return success();
}

FailureOr<RankedTensorType>
GraphImporter::convertValueType(const onnx::ValueInfoProto &info,
                                llvm::StringRef role) {
  auto fail = [&]() {
    return emitError(modelLocation) << role << " '" << info.name() << "' ";
  };
  if (!info.has_type() || !info.type().has_tensor_type())
    return fail() << "is not a tensor (sequence, map, optional and sparse "
                     "values are not supported)";
  const onnx::TypeProto::Tensor &tensor = info.type().tensor_type();
  llvm::Expected<Type> elementType =
      convertOnnxElementType(tensor.elem_type(), &context);
  if (!elementType)
    return fail() << "has an element type Tamp cannot represent: "
                  << llvm::toString(elementType.takeError());
  if (!tensor.has_shape())
    return fail() << "has no shape; Tamp needs at least its rank";
  SmallVector<int64_t> shape;
  for (const onnx::TensorShapeProto::Dimension &dim : tensor.shape().dim()) {
    if (!dim.has_dim_value()) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    int64_t size = dim.dim_value();
    if (size < 0)
      return fail() << "has negative dimension " << size;
    if (size > kMaxDimensionSize)
      return fail() << "has dimension " << size
                    << ", which is too large (limit " << kMaxDimensionSize
                    << ")";
    shape.push_back(size);
  }
  return RankedTensorType::get(shape, *elementType);
}

LogicalResult GraphImporter::importInitializers(const onnx::GraphProto &graph) {
  for (const onnx::TensorProto &tensor : graph.initializer()) {
    llvm::Expected<ElementsAttr> value =
        decodeElementsAttr(tensor, &context, &externalDataReader, tensor.name(),
                           importOptions.inlineElementLimit);
    if (!value)
      return emitError(modelLocation)
             << "initializer '" << tensor.name()
             << "': " << llvm::toString(value.takeError());
    Location loc =
        NameLoc::get(StringAttr::get(&context, tensor.name()), modelLocation);
    bind(tensor.name(), constant(loc, *value));
  }
  if (graph.sparse_initializer_size())
    return emitError(modelLocation) << "sparse initializers are not supported";
  return success();
}

/// Node name for diagnostics and locations; unnamed nodes get their index.
static std::string describeNode(const onnx::NodeProto &node, unsigned index) {
  return node.name().empty() ? "#" + std::to_string(index) : node.name();
}

FailureOr<SmallVector<unsigned>>
GraphImporter::sortNodes(const onnx::GraphProto &graph) {
  // ONNX requires topological order, but exporters do not always obey; sort
  // with Kahn's algorithm so that only real cycles are errors.
  llvm::StringMap<unsigned> producer;
  for (auto [index, node] : llvm::enumerate(graph.node()))
    for (const std::string &output : node.output()) {
      if (output.empty())
        continue;
      if (values.count(output) || !producer.try_emplace(output, index).second)
        return emitError(modelLocation)
               << "value '" << output << "' is produced more than once (node '"
               << describeNode(node, index) << "' (" << node.op_type() << "))";
    }
  unsigned count = graph.node_size();
  SmallVector<unsigned> pending(count, 0);
  SmallVector<SmallVector<unsigned>> users(count);
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    for (const std::string &input : node.input()) {
      if (input.empty() || values.count(input))
        continue;
      auto it = producer.find(input);
      if (it == producer.end())
        return emitError(modelLocation)
               << "node '" << describeNode(node, index) << "' ("
               << node.op_type() << "): reads undefined value '" << input
               << "'";
      ++pending[index];
      users[it->second].push_back(index);
    }
  }
  // Taking the lowest ready index first keeps an already sorted graph in
  // its original order.
  std::priority_queue<unsigned, std::vector<unsigned>, std::greater<unsigned>>
      ready;
  for (unsigned i = 0; i < count; ++i)
    if (pending[i] == 0)
      ready.push(i);
  SmallVector<unsigned> order;
  while (!ready.empty()) {
    unsigned index = ready.top();
    ready.pop();
    order.push_back(index);
    for (unsigned user : users[index])
      if (--pending[user] == 0)
        ready.push(user);
  }
  if (order.size() != count) {
    for (unsigned i = 0; i < count; ++i)
      if (pending[i] != 0)
        return emitError(modelLocation)
               << "graph has a cycle through node '"
               << describeNode(graph.node(i), i) << "' ("
               << graph.node(i).op_type() << ")";
  }
  return order;
}

Location GraphImporter::nodeLocation(const onnx::NodeProto &node,
                                     unsigned index) {
  std::string name = node.name().empty()
                         ? node.op_type() + "_" + std::to_string(index)
                         : node.name();
  return NameLoc::get(StringAttr::get(&context, name), modelLocation);
}

LogicalResult GraphImporter::importNode(const onnx::NodeProto &node,
                                        unsigned index) {
  Location loc = nodeLocation(node, index);
  llvm::StringRef domain = canonicalDomain(node.domain());
  int64_t opset = opsets.lookup(domain);
  std::string prefix =
      "node '" + describeNode(node, index) + "' (" + node.op_type() + "): ";

  // Prefix every error raised while importing this node (including those from
  // op verifiers and type inference) with the node's name and op type.
  bool reemitting = false;
  ScopedDiagnosticHandler handler(
      &context, [&](Diagnostic &diag) -> LogicalResult {
        if (reemitting || diag.getSeverity() != DiagnosticSeverity::Error)
          return failure();
        reemitting = true;
        InFlightDiagnostic prefixed = emitError(diag.getLocation())
                                      << prefix << diag.str();
        for (Diagnostic &note : diag.getNotes())
          prefixed.attachNote(note.getLocation()) << note.str();
        prefixed.report();
        reemitting = false;
        return success();
      });

  const OpImporter *entry = OpRegistry::get().lookup(domain, node.op_type());
  if (!entry || (!domain.empty() && !opsets.count(domain))) {
    reemitting = true; // this message names the node itself
    return emitError(loc) << "unsupported op " << node.op_type() << " (domain '"
                          << node.domain() << "', opset " << opset
                          << ") at node " << describeNode(node, index);
  }
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.has_g() || attr.graphs_size())
      return emitError(loc)
             << "attribute '" << attr.name()
             << "' holds a subgraph, which Tamp does not support";
  if (entry->stringInputs == StringInputs::rejected) {
    for (auto [position, name] : llvm::enumerate(node.input())) {
      Value value = name.empty() ? Value() : lookup(name);
      if (value && isa<StringType>(getElementTypeOrSelf(value.getType())))
        return emitError(loc) << "input " << position << " ('" << name
                              << "') is a string tensor, which this op does "
                                 "not support";
    }
  }

  NodeImporter importer(*this, node, opset, loc);
  if (failed(entry->fn(importer)))
    return failure();
  for (int i = 0; i < node.output_size(); ++i)
    if (!node.output(i).empty() && !values.count(node.output(i)))
      return emitError(loc) << "produces no value for output " << i << " ('"
                            << node.output(i) << "')";
  return success();
}

LogicalResult GraphImporter::importModel(const onnx::ModelProto &model,
                                         ModuleOp module) {
  if (!model.has_graph())
    return emitError(modelLocation) << "the model has no graph";
  if (failed(readOpsets(model)))
    return failure();
  const onnx::GraphProto &graph = model.graph();

  llvm::StringSet<> initializerNames;
  for (const onnx::TensorProto &tensor : graph.initializer())
    initializerNames.insert(tensor.name());

  // Graph inputs that are also initializers are constants with a default
  // (IR version < 4 lists every initializer as an input).
  SmallVector<Type> argumentTypes;
  SmallVector<const onnx::ValueInfoProto *> arguments;
  llvm::StringSet<> inputNames;
  for (const onnx::ValueInfoProto &info : graph.input()) {
    if (!inputNames.insert(info.name()).second)
      return emitError(modelLocation)
             << "graph input '" << info.name() << "' is declared twice";
    if (initializerNames.contains(info.name()))
      continue;
    FailureOr<RankedTensorType> type = convertValueType(info, "graph input");
    if (failed(type))
      return failure();
    argumentTypes.push_back(*type);
    arguments.push_back(&info);
  }

  opBuilder.setInsertionPointToEnd(module.getBody());
  auto func =
      func::FuncOp::create(opBuilder, modelLocation, importOptions.functionName,
                           opBuilder.getFunctionType(argumentTypes, {}));
  Block *entry = func.addEntryBlock();
  opBuilder.setInsertionPointToStart(entry);
  for (auto [index, info] : llvm::enumerate(arguments)) {
    func.setArgAttr(index, "tamp.name", opBuilder.getStringAttr(info->name()));
    bind(info->name(), entry->getArgument(index));
  }
  if (failed(importInitializers(graph)))
    return failure();

  FailureOr<SmallVector<unsigned>> order = sortNodes(graph);
  if (failed(order))
    return failure();
  for (unsigned index : *order)
    if (failed(importNode(graph.node(index), index)))
      return failure();

  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &info : graph.output()) {
    Value value = lookup(info.name());
    if (!value)
      return emitError(modelLocation)
             << "graph output '" << info.name() << "' is never produced";
    if (info.has_type() && info.type().has_tensor_type() &&
        info.type().tensor_type().elem_type() != 0) {
      llvm::Expected<Type> declared = convertOnnxElementType(
          info.type().tensor_type().elem_type(), &context);
      Type actual = cast<RankedTensorType>(value.getType()).getElementType();
      if (!declared)
        return emitError(modelLocation)
               << "graph output '" << info.name()
               << "': " << llvm::toString(declared.takeError());
      if (*declared != actual)
        return emitError(modelLocation)
               << "graph output '" << info.name()
               << "' is declared with element type " << *declared
               << " but the graph computes " << actual;
    }
    results.push_back(value);
  }
  func::ReturnOp::create(opBuilder, modelLocation, results);
  func.setFunctionType(
      opBuilder.getFunctionType(argumentTypes, ValueRange(results).getTypes()));
  for (auto [index, info] : llvm::enumerate(graph.output()))
    func.setResultAttr(index, "tamp.name",
                       opBuilder.getStringAttr(info.name()));

  // Initializers that only fed a folded computation (a weight transposed at
  // import, a shape that folded) are dead now.
  func.walk([](ConstantOp op) {
    if (op->use_empty())
      op->erase();
  });

  module->setAttr("tamp.opset", opBuilder.getI64IntegerAttr(opsets.lookup("")));
  if (!model.producer_name().empty())
    module->setAttr("tamp.producer",
                    opBuilder.getStringAttr(model.producer_name()));
  return verify(module);
}

} // namespace tamp
