//===- NodeImporter.h - What an op's import function works with -*- C++ -*-===//
//
// Each ONNX op is imported by a function (see OpRegistry.h) that receives a
// NodeImporter: typed, checked access to the node's inputs and attributes,
// the opset in force, constant helpers, op creation with result-type
// inference and folding, and a place to put the results. Every accessor that
// can fail on bad input emits a diagnostic at the node's location and
// returns failure; the graph importer prefixes diagnostics with the node's
// name and op type.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_LIB_IMPORT_ONNX_NODEIMPORTER_H
#define TAMP_LIB_IMPORT_ONNX_NODEIMPORTER_H

#include "tamp/Dialect/Tamp/IR/TampOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>

namespace onnx {
class NodeProto;
class AttributeProto;
} // namespace onnx

namespace tamp {

class GraphImporter;

class NodeImporter {
public:
  NodeImporter(GraphImporter &graph, const onnx::NodeProto &node, int64_t opset,
               mlir::Location loc);

  //===--------------------------------------------------------------------===//
  // The node
  //===--------------------------------------------------------------------===//

  const onnx::NodeProto &proto() const { return node; }
  llvm::StringRef opType() const;
  /// Version of the node's domain in the model's opset imports.
  int64_t opset() const { return opsetVersion; }
  mlir::Location loc() const { return location; }
  mlir::OpBuilder &builder();
  mlir::MLIRContext *context() const { return location.getContext(); }

  /// Emits an error at the node; the graph importer adds the node name and
  /// op type in front of the message.
  mlir::InFlightDiagnostic emitError() const;

  //===--------------------------------------------------------------------===//
  // Inputs and outputs
  //===--------------------------------------------------------------------===//

  /// Number of input slots as written, including omitted optional ones.
  unsigned numInputs() const;
  /// Whether slot `i` exists and is not an omitted optional input ("").
  bool hasInput(unsigned i) const;
  /// Fails (with a diagnostic) unless the node has min..max input slots, of
  /// which the first `min` are present.
  mlir::LogicalResult checkInputCount(unsigned min, unsigned max);
  /// A required input.
  mlir::FailureOr<mlir::Value> input(unsigned i);
  /// An optional input, null when omitted.
  mlir::Value optionalInput(unsigned i);
  /// Every present input from slot `from` on (variadic ops).
  llvm::SmallVector<mlir::Value> inputsFrom(unsigned from);

  unsigned numOutputs() const;
  /// Whether output `i` exists and is used by name.
  bool hasOutput(unsigned i) const;
  /// Binds output `i` to `value` (ignored when the output is omitted).
  void setResult(unsigned i, mlir::Value value);
  /// Binds output 0 to `result` if it was built; passes a failure on.
  mlir::LogicalResult setSingleResult(mlir::FailureOr<mlir::Value> result);
  /// Reads optional input `i` into `value` (null when omitted); fails only
  /// when a named input cannot be read, which has been diagnosed already.
  mlir::LogicalResult readOptionalInput(unsigned i, mlir::Value &value);

  static mlir::RankedTensorType typeOf(mlir::Value value) {
    return mlir::cast<mlir::RankedTensorType>(value.getType());
  }

  //===--------------------------------------------------------------------===//
  // Constants
  //===--------------------------------------------------------------------===//

  /// The integer values of input `i`, which must be a constant (an
  /// initializer, a Constant node, or something that folded to one).
  mlir::FailureOr<llvm::SmallVector<int64_t>>
  requireConstantInts(unsigned i, llvm::StringRef what);
  /// Same for floating-point values.
  mlir::FailureOr<llvm::SmallVector<double>>
  requireConstantFloats(unsigned i, llvm::StringRef what);

  /// A 1-D i64 constant (or 0-D when `scalar`).
  mlir::Value constantI64(llvm::ArrayRef<int64_t> values, bool scalar = false);
  /// A 0-D constant of `elementType` holding `value`.
  mlir::Value constantScalar(mlir::Type elementType, double value);
  /// A constant op for an arbitrary attribute.
  mlir::Value constant(mlir::ElementsAttr value);
  /// Tensors above this many elements become dense_resource blobs.
  int64_t inlineElementLimit() const;

  //===--------------------------------------------------------------------===//
  // Attributes
  //===--------------------------------------------------------------------===//

  const onnx::AttributeProto *findAttr(llvm::StringRef name) const;
  bool hasAttr(llvm::StringRef name) const { return findAttr(name); }

  /// Typed getters. Without a default, a missing attribute is an error; a
  /// present attribute of the wrong type always is.
  mlir::FailureOr<int64_t> attrInt(llvm::StringRef name,
                                   std::optional<int64_t> defaultValue = {});
  mlir::FailureOr<float> attrFloat(llvm::StringRef name,
                                   std::optional<float> defaultValue = {});
  mlir::FailureOr<std::string>
  attrString(llvm::StringRef name,
             std::optional<std::string> defaultValue = {});
  mlir::FailureOr<llvm::SmallVector<int64_t>>
  attrInts(llvm::StringRef name,
           std::optional<llvm::SmallVector<int64_t>> defaultValue = {});
  mlir::FailureOr<llvm::SmallVector<float>>
  attrFloats(llvm::StringRef name,
             std::optional<llvm::SmallVector<float>> defaultValue = {});
  mlir::FailureOr<llvm::SmallVector<std::string>>
  attrStrings(llvm::StringRef name,
              std::optional<llvm::SmallVector<std::string>> defaultValue = {});
  /// A TENSOR attribute as an elements attribute (a dense string attribute
  /// for STRING tensors).
  mlir::FailureOr<mlir::ElementsAttr> attrTensor(llvm::StringRef name);
  /// An INT attribute holding an ONNX TensorProto::DataType, as an MLIR type
  /// (see elementTypeOf).
  mlir::FailureOr<mlir::Type> attrElementType(llvm::StringRef name);
  /// Fails unless a boolean-valued INT attribute is 0 or 1.
  mlir::FailureOr<bool> attrBool(llvm::StringRef name, bool defaultValue);

  /// The MLIR element type of an ONNX data type code, or a diagnostic; STRING
  /// is rejected, since these codes name what an op computes.
  mlir::FailureOr<mlir::Type> elementTypeOf(int64_t onnxDataType);

  //===--------------------------------------------------------------------===//
  // Creating ops
  //===--------------------------------------------------------------------===//

  /// Creates an `OpTy` from ODS builder arguments (without result types),
  /// infers its result types through InferTypeOpInterface, and folds it.
  /// Inference failures are diagnosed, never fatal.
  template <typename OpTy, typename... Args>
  mlir::FailureOr<mlir::Value> build(Args &&...args) {
    auto op = buildOp<OpTy>(1, std::forward<Args>(args)...);
    if (mlir::failed(op))
      return mlir::failure();
    return foldSingleResult(*op);
  }

  /// Like build() for ops with `numResults` results; does not fold.
  template <typename OpTy, typename... Args>
  mlir::FailureOr<OpTy> buildOp(unsigned numResults, Args &&...args) {
    llvm::SmallVector<mlir::Type> uninferredTypes(
        numResults, mlir::NoneType::get(context()));
    OpTy op =
        OpTy::create(builder(), location, mlir::TypeRange(uninferredTypes),
                     std::forward<Args>(args)...);
    llvm::SmallVector<mlir::Type> inferred;
    if (mlir::failed(OpTy::inferReturnTypes(
            context(), location, typename OpTy::Adaptor(op), inferred))) {
      op->erase();
      return mlir::failure();
    }
    // setInferredTypes erases the op itself when it fails.
    if (mlir::failed(setInferredTypes(op, inferred)))
      return mlir::failure();
    return op;
  }

  /// Creates an op whose result type is explicit (tamp.cast, tamp.quantize)
  /// and folds it.
  template <typename OpTy, typename... Args>
  mlir::FailureOr<mlir::Value> buildWithType(mlir::Type resultType,
                                             Args &&...args) {
    OpTy op = OpTy::create(builder(), location, resultType,
                           std::forward<Args>(args)...);
    return foldSingleResult(op);
  }

  /// tamp.cast of `value` to `elementType`, or `value` itself if it already
  /// has that element type.
  mlir::FailureOr<mlir::Value> castTo(mlir::Value value,
                                      mlir::Type elementType);

private:
  mlir::LogicalResult setInferredTypes(mlir::Operation *op,
                                       llvm::ArrayRef<mlir::Type> types);
  mlir::FailureOr<mlir::Value> foldSingleResult(mlir::Operation *op);
  mlir::LogicalResult wrongAttrType(const onnx::AttributeProto &attr,
                                    llvm::StringRef expected) const;

  GraphImporter &graph;
  const onnx::NodeProto &node;
  int64_t opsetVersion;
  mlir::Location location;
};

} // namespace tamp

#endif // TAMP_LIB_IMPORT_ONNX_NODEIMPORTER_H
