//===- tamp.cpp - The Tamp compiler driver
//----------------------------------===//
//
//   tamp import model.onnx [-o model.mlir] [--summary]
//   tamp compile model.onnx|model.mlir
//        -o model.so|model.o|model.s|model.ll|model.mlir
//        [--name NAME] [--emit=tamp|linalg|llvm|asm|obj|lib] [--mcpu=CPU]
//        [--mattr=FEATURES] [--target-triple=TRIPLE] [-O0..3] [--linker=PATH]
//
// Errors are printed as `error: ...` lines naming the ONNX node and op; a
// failed command exits with status 1 and leaves no output file behind.
//
//===----------------------------------------------------------------------===//

#include "tamp/Compiler/BlockStatistics.h"
#include "tamp/Compiler/Calibration.h"
#include "tamp/Compiler/Compiler.h"
#include "tamp/Compiler/Compression.h"
#include "tamp/Dialect/Tamp/IR/TampDialect.h"
#include "tamp/Import/OnnxImporter.h"
#include "tamp/InitAllDialects.h"
#include "tamp/InitAllPasses.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Parser/Parser.h"
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

static cl::SubCommand
    compileCommand("compile",
                   "Compile an ONNX model to native code for the CPU");
static cl::opt<std::string>
    compileInputPath(cl::Positional, cl::desc("<model.onnx|model.mlir>"),
                     cl::Required, cl::sub(compileCommand));
static cl::opt<std::string> compileOutputPath(
    "o",
    cl::desc("Output file; its extension (.so, .o, .s, .ll, .mlir) selects "
             "what to emit unless --emit does; - is stdout for IR and asm"),
    cl::value_desc("file"), cl::Required, cl::sub(compileCommand));
static cl::opt<std::string> modelName(
    "name",
    cl::desc("Model name, a C identifier (default: the output file's stem)"),
    cl::value_desc("NAME"), cl::sub(compileCommand));
static cl::opt<std::string>
    emitKind("emit",
             cl::desc("What to write: tamp, linalg (IR), llvm (LLVM IR), asm, "
                      "obj or lib"),
             cl::value_desc("kind"), cl::sub(compileCommand));
static cl::opt<std::string>
    targetCPU("mcpu", cl::desc("Target CPU (default: the host's)"),
              cl::value_desc("cpu"), cl::sub(compileCommand));
static cl::opt<std::string> targetFeatures(
    "mattr",
    cl::desc("Target features, e.g. +avx2,+fma (default: the host CPU's)"),
    cl::value_desc("features"), cl::sub(compileCommand));
static cl::opt<std::string>
    targetTriple("target-triple",
                 cl::desc("Target triple (default: the host's)"),
                 cl::value_desc("triple"), cl::sub(compileCommand));
static cl::opt<unsigned> optLevel("O", cl::desc("Optimization level 0-3"),
                                  cl::Prefix, cl::init(2),
                                  cl::sub(compileCommand));
static cl::opt<bool> parallelLoops(
    "parallel",
    cl::desc("Run outer parallel loops on the session's threads through "
             "tamp_rt_parallel_for (--parallel=false: all loops serial)"),
    cl::init(true), cl::sub(compileCommand));
static cl::opt<std::string>
    linkerPath("linker",
               cl::desc("Linker for shared libraries (default: $TAMP_LINKER, "
                        "else ld.lld)"),
               cl::value_desc("path"), cl::sub(compileCommand));

static cl::opt<bool> fuseLayers(
    "fuse",
    cl::desc("Fuse layers: fold batch normalisation, recompose LayerNorm, "
             "GELU, SiLU and attention, apply biases and activations in the "
             "layers' epilogues, fold transpose and reshape chains "
             "(--fuse=false: compile the graph as imported)"),
    cl::init(true), cl::sub(compileCommand));

static cl::OptionCategory compressionCategory("Compression options");
static cl::opt<std::string> calibrationPath(
    "calibration",
    cl::desc("Calibration inputs: an .npz of arrays named after the model's "
             "inputs (a leading axis stacks input sets), or a folder of input "
             "sets (NAME.npy or input_K.pb files); the statistics are "
             "attached to the model as tamp.calibration"),
    cl::value_desc("path"), cl::sub(compileCommand),
    cl::cat(compressionCategory));
static cl::opt<bool> calibrationHessians(
    "calibration-hessians",
    cl::desc("Also record each layer's input Hessian (what GPTQ needs)"),
    cl::init(false), cl::sub(compileCommand), cl::cat(compressionCategory));
static cl::opt<bool> calibrationBlocks(
    "calibration-blocks",
    cl::desc("Also record how much each residual block changes its input "
             "(what layer removal, tamp-prune-layers, ranks blocks by)"),
    cl::init(false), cl::sub(compileCommand), cl::cat(compressionCategory));

static cl::opt<std::string> quantizeMode(
    "quantize",
    cl::desc("Quantize: w8a8 (static int8 weights and activations, needs "
             "--calibration), dynamic (int8 linear layers, activations "
             "quantized at run time), w8|w4|w3|w2 (weight only)"),
    cl::value_desc("mode"), cl::sub(compileCommand),
    cl::cat(compressionCategory));
static cl::opt<int64_t> groupSize(
    "group-size",
    cl::desc("Weight-only: weights per scale along the reduction (0: per "
             "output channel; default 128 below 8 bits, else 0)"),
    cl::init(-1), cl::sub(compileCommand), cl::cat(compressionCategory));
static cl::opt<std::string> rounding(
    "rounding",
    cl::desc("Weight-only rounding: rtn (round to nearest), gptq or awq "
             "(both need --calibration)"),
    cl::init("rtn"), cl::sub(compileCommand), cl::cat(compressionCategory));
static cl::opt<bool> symmetric(
    "symmetric", cl::desc("Weight-only: signed codes without zero points"),
    cl::init(false), cl::sub(compileCommand), cl::cat(compressionCategory));
static cl::opt<std::string> calibrationMethod(
    "calibration-method",
    cl::desc("w8a8: activation ranges by minmax, percentile, entropy or mse"),
    cl::init("minmax"), cl::sub(compileCommand), cl::cat(compressionCategory));
static cl::opt<std::string>
    activationType("activation-type", cl::desc("w8a8: u8 or i8 activations"),
                   cl::init("u8"), cl::sub(compileCommand),
                   cl::cat(compressionCategory));
static cl::opt<std::string> keepFloat(
    "keep-float",
    cl::desc("Layers whose ONNX node names match this regular expression "
             "stay float"),
    cl::value_desc("regex"), cl::sub(compileCommand),
    cl::cat(compressionCategory));
static cl::opt<std::string> pruneSpec(
    "prune",
    cl::desc("Pruning before quantization: layers=N (residual blocks), "
             "channels=R, heads=R (fractions removed), channels[REGEX]=R / "
             "heads[REGEX]=R per layer, sparsity=N:M|R, "
             "score=l1|l2|activation, global=1, min-keep=F, round-to=N "
             "(kept channels a multiple of N, default 8), "
             "reconstruct=0|1 (least-squares re-fit against the original; "
             "default on with --calibration), damping=F"),
    cl::value_desc("spec"), cl::sub(compileCommand),
    cl::cat(compressionCategory));
static cl::opt<double> accuracyBudget(
    "accuracy-budget",
    cl::desc("Mixed precision: choose int8, int4 or float per layer so that "
             "the outputs' relative RMS error against the float model stays "
             "below this many percent on the calibration data"),
    cl::init(0), cl::sub(compileCommand), cl::cat(compressionCategory));
static cl::opt<double> targetBitsPerWeight(
    "target-bits-per-weight",
    cl::desc("Mixed precision: at most this many stored bits per weight"),
    cl::init(0), cl::sub(compileCommand), cl::cat(compressionCategory));
static cl::opt<bool> printReport(
    "report",
    cl::desc("Print the fusion report (what was fused) and, when "
             "compressing, the compression report: per layer precision, "
             "group size, bytes and output SQNR against the float model on "
             "the calibration data"),
    cl::init(false), cl::sub(compileCommand), cl::cat(compressionCategory));

/// Prints diagnostics as `error: message` (plus notes): the importer's
/// messages already name the node and op they concern; later stages' name
/// the op, and the node comes from the location.
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
  if (compileCommand)
    if (std::optional<StringRef> node = tamp::getNodeName(diag.getLocation()))
      os << "node '" << *node << "': ";
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

static int runCompile() {
  DialectRegistry registry;
  tamp::registerAllDialects(registry);
  MLIRContext context(registry);
  // Users see ONNX node names, not IR dumps.
  context.printOpOnDiagnostic(false);
  ScopedDiagnosticHandler handler(&context, printDiagnostic);

  tamp::CompileOptions options;
  std::optional<tamp::EmitKind> emit =
      emitKind.empty() ? tamp::getEmitKindForPath(compileOutputPath)
                       : tamp::parseEmitKind(emitKind);
  if (!emit) {
    if (emitKind.empty())
      llvm::errs() << "error: cannot tell what to emit from '"
                   << compileOutputPath
                   << "': use a .so, .o, .s, .ll or .mlir name, or --emit\n";
    else
      llvm::errs() << "error: unknown --emit=" << emitKind
                   << " (expected tamp, linalg, llvm, asm, obj or lib)\n";
    return 1;
  }
  if (optLevel > 3) {
    llvm::errs() << "error: -O" << optLevel << " is not one of -O0..-O3\n";
    return 1;
  }
  options.emit = *emit;
  options.modelName = modelName.empty()
                          ? tamp::getDefaultModelName(compileOutputPath)
                          : std::string(modelName);
  options.cpu = targetCPU;
  options.features = targetFeatures;
  options.targetTriple = targetTriple;
  options.optLevel = optLevel;
  options.linker = linkerPath;
  options.parallel = parallelLoops;

  // A .mlir input is tamp-dialect IR, e.g. what `tamp import` wrote and
  // `tamp-opt` transformed (compression passes run one by one).
  OwningOpRef<ModuleOp> module =
      StringRef(compileInputPath).ends_with(".mlir")
          ? parseSourceFile<ModuleOp>(compileInputPath, &context)
          : tamp::importOnnxModel(compileInputPath, context);
  if (!module)
    return 1;
  tamp::CompressionOptions compression;
  compression.quantize = quantizeMode;
  compression.groupSize = groupSize;
  compression.rounding = rounding;
  compression.symmetric = symmetric;
  compression.calibrationMethod = calibrationMethod;
  compression.activationType = activationType;
  compression.keepFloat = keepFloat;
  compression.prune = pruneSpec;
  if (accuracyBudget.getNumOccurrences())
    compression.accuracyBudget = accuracyBudget;
  if (targetBitsPerWeight.getNumOccurrences())
    compression.targetBitsPerWeight = targetBitsPerWeight;
  bool compress = !compression.quantize.empty() || !compression.prune.empty() ||
                  compression.accuracyBudget || compression.targetBitsPerWeight;
  std::vector<tamp::CalibrationInputs> data;
  if (!calibrationPath.empty()) {
    FailureOr<std::vector<tamp::CalibrationInputs>> read =
        tamp::readCalibrationData(*module, calibrationPath);
    if (failed(read))
      return 1;
    data = std::move(*read);
  }
  if (calibrationBlocks) {
    if (data.empty()) {
      llvm::errs() << "error: --calibration-blocks needs --calibration\n";
      return 1;
    }
    // On the float model, before anything compresses it.
    if (failed(tamp::measureResidualBlocks(*module, data)))
      return 1;
  }
  // Fusions that keep the layers run before compression, which expects the
  // graph's own layers; compileModel runs the rest after it.
  options.fuse = fuseLayers;
  if (fuseLayers &&
      failed(tamp::fuseModel(*module, tamp::FusionStage::PreCompression)))
    return 1;
  // Reports go to stdout unless the compiled IR does.
  llvm::raw_ostream &reportStream =
      compileOutputPath == "-" ? llvm::errs() : llvm::outs();
  if (printReport)
    options.fusionReport = &reportStream;
  if (compress) {
    if (failed(tamp::compressModel(*module, compression, data,
                                   printReport ? &reportStream : nullptr)))
      return 1;
  } else if (!data.empty()) {
    tamp::CalibrationOptions calibrationOptions;
    calibrationOptions.collectHessians = calibrationHessians;
    if (failed(tamp::calibrateModel(*module, data, calibrationOptions)))
      return 1;
  }
  return failed(tamp::compileModel(*module, options, compileOutputPath)) ? 1
                                                                         : 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  // Compression pipelines are parsed from text, as tamp-opt runs them.
  tamp::registerAllPasses();
  cl::ParseCommandLineOptions(argc, argv, "Tamp model-compression compiler\n");
  if (importCommand)
    return runImport();
  if (compileCommand)
    return runCompile();
  llvm::errs() << "usage: tamp import <model.onnx> [-o out.mlir] [--summary]\n"
                  "       tamp compile <model.onnx> -o model.so [--name NAME] "
                  "[--emit=KIND]\n"
                  "Run `tamp --help` for details.\n";
  return 1;
}
