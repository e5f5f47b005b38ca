//===- tamp.cpp - The Tamp compiler driver
//----------------------------------===//
//
//   tamp import model.onnx [-o model.mlir] [--summary]
//
// Errors are printed as `error: ...` lines naming the ONNX node and op; a
// failed command exits with status 1 and leaves no output file behind.
//
//===----------------------------------------------------------------------===//

#include "tamp/Dialect/Tamp/IR/TampDialect.h"
#include "tamp/Import/OnnxImporter.h"
#include "tamp/InitAllDialects.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::SubCommand
    importCommand("import", "Import an ONNX model into the tamp dialect");
static cl::opt<std::string> inputPath(cl::Positional, cl::desc("<model.onnx>"),
                                      cl::Required, cl::sub(importCommand));
static cl::opt<std::string>
    outputPath("o", cl::desc("Output file (default: stdout)"),
               cl::value_desc("file"), cl::init("-"), cl::sub(importCommand));
static cl::opt<bool> printSummary(
    "summary", cl::desc("Print a summary of the imported IR instead of the IR"),
    cl::sub(importCommand));
static cl::opt<bool>
    printLocations("mlir-print-debuginfo",
                   cl::desc("Print locations (ONNX node names) in the IR"),
                   cl::sub(importCommand));

/// Prints diagnostics as `error: message` (plus notes): the importer's
/// messages already name the node and op they concern.
static LogicalResult printDiagnostic(Diagnostic &diag) {
  llvm::raw_ostream &os = llvm::errs();
  switch (diag.getSeverity()) {
  case DiagnosticSeverity::Error:
    os << "error: ";
    break;
  case DiagnosticSeverity::Warning:
    os << "warning: ";
    break;
  default:
    os << "note: ";
    break;
  }
  os << diag.str() << "\n";
  for (Diagnostic &note : diag.getNotes())
    os << "note: " << note.str() << "\n";
  return success();
}

/// Op counts, signature and weight bytes of the imported function.
static void summarize(ModuleOp module, llvm::raw_ostream &os) {
  for (auto func : module.getOps<func::FuncOp>()) {
    os << "function @" << func.getName() << "\n";
    auto printValues = [&](llvm::StringRef role, TypeRange types,
                           function_ref<Attribute(unsigned)> nameOf) {
      for (auto [index, type] : llvm::enumerate(types)) {
        os << "  " << role << " ";
        if (auto name = dyn_cast_or_null<StringAttr>(nameOf(index)))
          os << name.getValue();
        os << ": " << type << "\n";
      }
    };
    printValues("input ", func.getArgumentTypes(),
                [&](unsigned i) { return func.getArgAttr(i, "tamp.name"); });
    printValues("output", func.getResultTypes(),
                [&](unsigned i) { return func.getResultAttr(i, "tamp.name"); });
    llvm::MapVector<StringRef, unsigned> counts;
    uint64_t weightBytes = 0, weightCount = 0;
    func.walk([&](Operation *op) {
      if (isa<func::FuncOp, func::ReturnOp>(op))
        return;
      ++counts[op->getName().getStringRef()];
      if (auto value = op->getAttrOfType<ElementsAttr>("value")) {
        auto type = cast<ShapedType>(value.getType());
        ++weightCount;
        weightBytes += type.getNumElements() *
                       llvm::divideCeil(type.getElementTypeBitWidth(), 8);
      }
    });
    unsigned total = 0;
    for (auto &entry : counts)
      total += entry.second;
    os << "  ops: " << total << "\n";
    llvm::sort(counts, [](auto &a, auto &b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    for (auto &[name, count] : counts)
      os << "    " << name << " " << count << "\n";
    os << "  constants: " << weightCount << " (" << weightBytes << " bytes)\n";
  }
}

static int runImport() {
  DialectRegistry registry;
  tamp::registerAllDialects(registry);
  MLIRContext context(registry);
  ScopedDiagnosticHandler handler(&context, printDiagnostic);

  OwningOpRef<ModuleOp> module = tamp::importOnnxModel(inputPath, context);
  if (!module)
    return 1;

  // Open the output only once the import succeeded, so a failure leaves no
  // file; ToolOutputFile removes it again if writing fails.
  std::string error;
  auto output = mlir::openOutputFile(outputPath, &error);
  if (!output) {
    llvm::errs() << "error: " << error << "\n";
    return 1;
  }
  if (printSummary) {
    summarize(*module, output->os());
  } else {
    OpPrintingFlags flags;
    if (printLocations)
      flags.enableDebugInfo();
    module->print(output->os(), flags);
    output->os() << "\n";
  }
  if (output->os().has_error()) {
    llvm::errs() << "error: cannot write '" << outputPath << "'\n";
    return 1;
  }
  output->keep();
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "Tamp model-compression compiler\n");
  if (importCommand)
    return runImport();
  llvm::errs() << "usage: tamp import <model.onnx> [-o out.mlir] [--summary]\n"
                  "Run `tamp --help` for details.\n";
  return 1;
}
