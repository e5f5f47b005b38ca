//===- Compiler.h - Compile imported models to native artifacts -*- C++ -*-===//
//
// What `tamp compile` does, as a library: lower an imported model (tamp
// dialect) through linalg and the CPU target pipeline to LLVM IR, optimize
// it, and emit assembly, an object or a shared library plus the model's C
// header and JSON manifest.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_COMPILER_COMPILER_H
#define TAMP_COMPILER_COMPILER_H

#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/Support/JSON.h"

#include <optional>
#include <string>

namespace tamp {

/// The form `tamp compile` writes.
enum class EmitKind {
  Tamp,          ///< the imported tamp-dialect IR
  Linalg,        ///< after the lowering to linalg on tensors
  LLVMIR,        ///< optimized LLVM IR (.ll)
  Assembly,      ///< target assembly (.s)
  Object,        ///< a relocatable object (.o), plus .h and .json
  SharedLibrary, ///< a shared library (.so), plus .h and .json
};

/// Parses `tamp|linalg|llvm|asm|obj|lib`.
std::optional<EmitKind> parseEmitKind(llvm::StringRef name);
llvm::StringRef getEmitKindName(EmitKind kind);
/// The form an output path asks for by its extension (.so, .o, .s, .ll,
/// .mlir), if any.
std::optional<EmitKind> getEmitKindForPath(llvm::StringRef path);
/// The default model name: the output file's stem made a C identifier.
std::string getDefaultModelName(llvm::StringRef outputPath);

struct CompileOptions {
  /// The model name, a C identifier prefixing the exported symbols.
  std::string modelName;
  EmitKind emit = EmitKind::SharedLibrary;
  /// The target; empty means the host's triple, CPU and CPU features.
  std::string targetTriple;
  std::string cpu;
  std::string features;
  /// Whether outer parallel loops run through tamp_rt_parallel_for.
  bool parallel = true;
  /// LLVM optimization level, 0 to 3.
  unsigned optLevel = 2;
  /// The linker for shared libraries; empty means $TAMP_LINKER, else the
  /// ld.lld found when Tamp was configured.
  std::string linker;
  /// Whether `tamp-fuse-pipeline` runs (its pre-compression passes find
  /// nothing left to do where the driver ran them before compression).
  bool fuse = true;
  /// Where to print the fusion report, if anywhere.
  llvm::raw_ostream *fusionReport = nullptr;
};

/// Runs `stage` of `tamp-fuse-pipeline` on `module`; the passes add their
/// counts to each function's `tamp.fusion` attribute.
mlir::LogicalResult fuseModel(mlir::ModuleOp module, FusionStage stage);

/// The fusion counts of `module`'s functions, summed, every counter of
/// tamp-fuse-pipeline and `qdq_folded` present (0 where nothing fused), and
/// `enabled`.
llvm::json::Object getFusionReport(mlir::ModuleOp module, bool enabled);

/// Prints the fusion report as `tamp compile --report` does.
void printFusionReport(const llvm::json::Object &report, llvm::raw_ostream &os);

/// Compiles `module` (as imported) and writes `outputPath` ("-" is stdout
/// for the textual forms). Objects and shared libraries get `X.h` and
/// `X.json` beside them. Diagnostics go to the module's context; on failure
/// no output file is left behind.
mlir::LogicalResult compileModel(mlir::ModuleOp module,
                                 const CompileOptions &options,
                                 llvm::StringRef outputPath);

/// The C header for the model recorded in `model` (the `tamp.model`
/// attribute): declarations of its descriptor, its signature as macros and
/// static arrays, and inline create/run/destroy helpers over tamp_rt.
std::string buildModelHeader(mlir::DictionaryAttr model);

} // namespace tamp

#endif // TAMP_COMPILER_COMPILER_H
