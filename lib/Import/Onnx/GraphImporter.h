//===- GraphImporter.h - ONNX GraphProto -> func.func -----------*- C++ -*-===//

#ifndef TAMP_LIB_IMPORT_ONNX_GRAPHIMPORTER_H
#define TAMP_LIB_IMPORT_ONNX_GRAPHIMPORTER_H

#include "ExternalData.h"
#include "tamp/Import/OnnxImporter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"

namespace onnx {
class GraphProto;
class ModelProto;
class NodeProto;
class TypeProto;
class ValueInfoProto;
} // namespace onnx

namespace tamp {

/// Builds one function from the main graph of a model: graph inputs become
/// arguments, initializers and Constant nodes become tamp.constant, nodes
/// are imported in dependency order, graph outputs become the results.
class GraphImporter {
public:
  /// `modelLocation` locates diagnostics that concern no single node.
  GraphImporter(mlir::MLIRContext &context, const OnnxImportOptions &options,
                ExternalDataReader &externalData, mlir::Location modelLocation);

  /// Imports `model` into `module`; diagnostics are emitted on failure.
  mlir::LogicalResult importModel(const onnx::ModelProto &model,
                                  mlir::ModuleOp module);

  // Used by NodeImporter.
  mlir::OpBuilder &builder() { return opBuilder; }
  mlir::Value lookup(llvm::StringRef name) const { return values.lookup(name); }
  void bind(llvm::StringRef name, mlir::Value value) { values[name] = value; }
  mlir::Value constant(mlir::Location loc, mlir::ElementsAttr value);
  ExternalDataReader &externalData() { return externalDataReader; }
  const OnnxImportOptions &options() const { return importOptions; }

private:
  mlir::LogicalResult readOpsets(const onnx::ModelProto &model);
  mlir::FailureOr<mlir::RankedTensorType>
  convertValueType(const onnx::ValueInfoProto &info, llvm::StringRef role);
  mlir::LogicalResult importInitializers(const onnx::GraphProto &graph);
  /// Node indices in dependency order.
  mlir::FailureOr<llvm::SmallVector<unsigned>>
  sortNodes(const onnx::GraphProto &graph);
  mlir::LogicalResult importNode(const onnx::NodeProto &node, unsigned index);
  mlir::Location nodeLocation(const onnx::NodeProto &node, unsigned index);

  mlir::MLIRContext &context;
  const OnnxImportOptions &importOptions;
  ExternalDataReader &externalDataReader;
  mlir::OpBuilder opBuilder;
  llvm::StringMap<mlir::Value> values;
  llvm::StringMap<int64_t> opsets;
  mlir::Location modelLocation;
};

} // namespace tamp

#endif // TAMP_LIB_IMPORT_ONNX_GRAPHIMPORTER_H
