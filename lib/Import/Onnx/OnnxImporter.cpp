//===- OnnxImporter.cpp - ONNX model -> tamp dialect ----------------------===//

#include "tamp/Import/OnnxImporter.h"

#include "ExternalData.h"
#include "GraphImporter.h"

#include "onnx-ml.pb.h"

#include "tamp/Dialect/Tamp/IR/TampDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <limits>

using namespace mlir;

namespace tamp {

void loadOnnxImportDialects(MLIRContext &context) {
  context.loadDialect<TampDialect, func::FuncDialect>();
}

static OwningOpRef<ModuleOp> importParsed(const onnx::ModelProto &model,
                                          llvm::StringRef baseDirectory,
                                          Location loc, MLIRContext &context,
                                          const OnnxImportOptions &options) {
  loadOnnxImportDialects(context);
  ExternalDataReader externalData{std::string(baseDirectory)};
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  GraphImporter importer(context, options, externalData, loc);
  if (failed(importer.importModel(model, *module)))
    return nullptr;
  return module;
}

static OwningOpRef<ModuleOp> importBytes(llvm::StringRef bytes,
                                         llvm::StringRef baseDirectory,
                                         Location loc, MLIRContext &context,
                                         const OnnxImportOptions &options) {
  if (bytes.empty()) {
    emitError(loc) << "failed to parse ONNX model: the file is empty";
    return nullptr;
  }
  if (bytes.size() > size_t(std::numeric_limits<int>::max())) {
    emitError(loc) << "failed to parse ONNX model: protobuf files are limited "
                      "to 2 GiB; keep large weights in external data";
    return nullptr;
  }
  onnx::ModelProto model;
  if (!model.ParseFromArray(bytes.data(), int(bytes.size()))) {
    emitError(loc) << "failed to parse ONNX model: the data is not a valid "
                      "ModelProto (truncated or corrupt file?)";
    return nullptr;
  }
  return importParsed(model, baseDirectory, loc, context, options);
}

OwningOpRef<ModuleOp> importOnnxModel(llvm::StringRef path,
                                      MLIRContext &context,
                                      const OnnxImportOptions &options) {
  Location loc = FileLineColLoc::get(&context, path, 0, 0);
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer) {
    emitError(loc) << "cannot open ONNX model '" << path
                   << "': " << buffer.getError().message();
    return nullptr;
  }
  llvm::StringRef directory = llvm::sys::path::parent_path(path);
  return importBytes((*buffer)->getBuffer(),
                     directory.empty() ? "." : directory, loc, context,
                     options);
}

OwningOpRef<ModuleOp>
importOnnxModelFromBuffer(llvm::StringRef bytes, llvm::StringRef baseDirectory,
                          MLIRContext &context,
                          const OnnxImportOptions &options) {
  Location loc = FileLineColLoc::get(&context, "<buffer>", 0, 0);
  return importBytes(bytes, baseDirectory, loc, context, options);
}

} // namespace tamp
