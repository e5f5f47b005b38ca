//===- OpRegistry.h - ONNX op type -> import function -----------*- C++ -*-===//

#ifndef TAMP_LIB_IMPORT_ONNX_OPREGISTRY_H
#define TAMP_LIB_IMPORT_ONNX_OPREGISTRY_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

namespace tamp {

class NodeImporter;

/// Imports one node; the NodeImporter gives typed access to its inputs,
/// attributes and opset and records its results. Emits a diagnostic and
/// returns failure on anything it cannot represent.
using NodeImportFn = mlir::LogicalResult (*)(NodeImporter &node);

/// Whether an op's import function takes string tensors as inputs. Most ops
/// compute with numbers: the graph importer rejects string inputs for them
/// before their import function runs, so that none of them has to guard
/// against an element type it cannot handle.
enum class StringInputs { rejected, accepted };

/// How the importer handles one op type.
struct OpImporter {
  NodeImportFn fn;
  StringInputs stringInputs;
};

/// The op types the importer knows, per domain. Opset-dependent semantics
/// (attribute vs input, changed defaults) are handled inside each function
/// through NodeImporter::opset().
class OpRegistry {
public:
  /// The registry with every op of lib/Import/Onnx/Ops.
  static const OpRegistry &get();

  void add(llvm::StringRef domain, llvm::StringRef opType, NodeImportFn fn,
           StringInputs stringInputs = StringInputs::rejected);
  /// The importer of an op type, or null when the op is unknown.
  const OpImporter *lookup(llvm::StringRef domain,
                           llvm::StringRef opType) const;

private:
  llvm::StringMap<llvm::StringMap<OpImporter>> byDomain;
};

/// The default ONNX domain is spelled "" or "ai.onnx"; this returns "".
llvm::StringRef canonicalDomain(llvm::StringRef domain);

// One registration function per op category (lib/Import/Onnx/Ops/*.cpp).
void registerMathOps(OpRegistry &registry);
void registerNNOps(OpRegistry &registry);
void registerTensorOps(OpRegistry &registry);
void registerQuantizationOps(OpRegistry &registry);
void registerAttentionOps(OpRegistry &registry);
void registerLossOps(OpRegistry &registry);

} // namespace tamp

#endif // TAMP_LIB_IMPORT_ONNX_OPREGISTRY_H
