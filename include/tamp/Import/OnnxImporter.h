//===- OnnxImporter.h - ONNX model -> tamp dialect --------------*- C++ -*-===//
//
// Reads an ONNX ModelProto (opsets 7 to the newest of the pinned onnx) and
// builds a module holding one `func.func` of tamp ops. Weights become
// dense_resource blobs, node names become locations, unknown dimensions stay
// dynamic. Every problem with the model is reported as an error diagnostic
// naming the node and op; the importer never asserts on its input.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_IMPORT_ONNXIMPORTER_H
#define TAMP_IMPORT_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace mlir {
class MLIRContext;
} // namespace mlir

namespace tamp {

struct OnnxImportOptions {
  /// Name of the function the graph becomes.
  std::string functionName = "main_graph";
  /// Tensors with more elements than this become dense_resource blobs;
  /// smaller ones stay inline so that shape arithmetic folds.
  int64_t inlineElementLimit = 64;
};

/// Imports the model at `path`. External data is read relative to the
/// model's folder and may not leave it. Returns null after emitting
/// diagnostics through `context` on failure.
mlir::OwningOpRef<mlir::ModuleOp>
importOnnxModel(llvm::StringRef path, mlir::MLIRContext &context,
                const OnnxImportOptions &options = {});

/// Imports a serialized ModelProto; `baseDirectory` is where its external
/// data lives (empty: external data is refused).
mlir::OwningOpRef<mlir::ModuleOp>
importOnnxModelFromBuffer(llvm::StringRef bytes, llvm::StringRef baseDirectory,
                          mlir::MLIRContext &context,
                          const OnnxImportOptions &options = {});

/// Loads every dialect the importer produces into `context`.
void loadOnnxImportDialects(mlir::MLIRContext &context);

} // namespace tamp

#endif // TAMP_IMPORT_ONNXIMPORTER_H
