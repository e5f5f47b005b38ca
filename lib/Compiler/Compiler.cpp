//===- Compiler.cpp - Compile imported models to native artifacts ---------===//

#include "tamp/Compiler/Compiler.h"
#include "tamp/Compiler/Compression.h"
#include "tamp/Conversion/Passes.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"
#include "tamp/Target/CPU/ModelManifest.h"
#include "tamp/Target/CPU/Passes.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;

static constexpr std::pair<llvm::StringLiteral, tamp::EmitKind> kEmitKinds[] = {
    {"tamp", tamp::EmitKind::Tamp},   {"linalg", tamp::EmitKind::Linalg},
    {"llvm", tamp::EmitKind::LLVMIR}, {"asm", tamp::EmitKind::Assembly},
    {"obj", tamp::EmitKind::Object},  {"lib", tamp::EmitKind::SharedLibrary},
};

std::optional<tamp::EmitKind> tamp::parseEmitKind(StringRef name) {
  for (auto [kindName, kind] : kEmitKinds)
    if (kindName == name)
      return kind;
  return std::nullopt;
}

StringRef tamp::getEmitKindName(EmitKind kind) {
  for (auto [kindName, candidate] : kEmitKinds)
    if (candidate == kind)
      return kindName;
  llvm_unreachable("every emit kind has a name");
}

std::optional<tamp::EmitKind> tamp::getEmitKindForPath(StringRef path) {
  StringRef extension = llvm::sys::path::extension(path);
  return llvm::StringSwitch<std::optional<EmitKind>>(extension)
      .Case(".so", EmitKind::SharedLibrary)
      .Case(".o", EmitKind::Object)
      .Case(".s", EmitKind::Assembly)
      .Case(".ll", EmitKind::LLVMIR)
      .Case(".mlir", EmitKind::Linalg)
      .Default(std::nullopt);
}

std::string tamp::getDefaultModelName(StringRef outputPath) {
  std::string name = llvm::sys::path::stem(outputPath).str();
  if (outputPath == "-" || name.empty())
    return "model";
  for (char &c : name)
    if (!llvm::isAlnum(c))
      c = '_';
  if (llvm::isDigit(name.front()))
    name.insert(name.begin(), '_');
  return name;
}

namespace {
/// The resolved target: triple, CPU and features, and its TargetMachine.
struct Target {
  std::string triple, cpu, features;
  std::unique_ptr<llvm::TargetMachine> machine;
};

/// Output files written to temporaries beside their final paths and renamed
/// into place only once everything succeeded; otherwise removed.
class PendingOutputs {
public:
  ~PendingOutputs() {
    for (auto &[temporary, final] : files)
      llvm::sys::fs::remove(temporary);
  }

  /// A fresh temporary for `finalPath`.
  FailureOr<std::string> add(StringRef finalPath, Location loc) {
    SmallString<128> temporary;
    int fd;
    if (std::error_code error = llvm::sys::fs::createUniqueFile(
            finalPath + "-%%%%%%.tmp", fd, temporary)) {
      emitError(loc) << "cannot create '" << finalPath
                     << "': " << error.message();
      return failure();
    }
    llvm::sys::Process::SafelyCloseFileDescriptor(fd);
    files.push_back({std::string(temporary), finalPath.str()});
    return std::string(temporary);
  }

  LogicalResult commit(Location loc) {
    for (auto &[temporary, final] : files) {
      if (std::error_code error = llvm::sys::fs::rename(temporary, final)) {
        emitError(loc) << "cannot write '" << final << "': " << error.message();
        return failure();
      }
    }
    files.clear();
    return success();
  }

private:
  SmallVector<std::pair<std::string, std::string>> files;
};
} // namespace

static FailureOr<Target> resolveTarget(const tamp::CompileOptions &options,
                                       Location loc) {
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargets();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmPrinters();

  Target target;
  bool host = options.targetTriple.empty();
  target.triple =
      host ? llvm::sys::getDefaultTargetTriple() : options.targetTriple;
  target.cpu = !options.cpu.empty() ? options.cpu
               : host               ? llvm::sys::getHostCPUName().str()
                                    : "generic";
  target.features = options.features;
  // The host's features by default, so that the vector width (AVX-512 on a
  // machine that has it) matches where the model is compiled.
  if (host && options.cpu.empty() && options.features.empty()) {
    SmallVector<std::string> features;
    for (auto &feature : llvm::sys::getHostCPUFeatures())
      features.push_back((feature.second ? "+" : "-") + feature.first().str());
    llvm::sort(features);
    target.features = llvm::join(features, ",");
  }

  llvm::Triple triple(target.triple);
  std::string error;
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!llvmTarget) {
    emitError(loc) << "unknown target '" << target.triple << "': " << error;
    return failure();
  }
  llvm::CodeGenOptLevel level = llvm::CodeGenOptLevel::Default;
  if (options.optLevel == 0)
    level = llvm::CodeGenOptLevel::None;
  else if (options.optLevel == 1)
    level = llvm::CodeGenOptLevel::Less;
  else if (options.optLevel >= 3)
    level = llvm::CodeGenOptLevel::Aggressive;
  target.machine.reset(llvmTarget->createTargetMachine(
      triple, target.cpu, target.features, llvm::TargetOptions(),
      llvm::Reloc::PIC_, std::nullopt, level));
  if (!target.machine) {
    emitError(loc) << "cannot create a target machine for '" << target.triple
                   << "'";
    return failure();
  }
  return target;
}

/// The width of the target's vector registers: AVX-512, AVX, or the 128
/// bits of SSE and NEON.
static unsigned getVectorBits(llvm::TargetMachine &machine) {
  const llvm::MCSubtargetInfo *subtarget = machine.getMCSubtargetInfo();
  if (machine.getTargetTriple().isX86()) {
    if (subtarget->checkFeatures("+avx512f"))
      return 512;
    if (subtarget->checkFeatures("+avx"))
      return 256;
  }
  return 128;
}

/// Runs LLVM's default O0..O3 module pipeline.
static void optimize(llvm::Module &module, llvm::TargetMachine &machine,
                     unsigned optLevel) {
  llvm::LoopAnalysisManager loopAM;
  llvm::FunctionAnalysisManager functionAM;
  llvm::CGSCCAnalysisManager cgsccAM;
  llvm::ModuleAnalysisManager moduleAM;
  llvm::PassBuilder builder(&machine);
  builder.registerModuleAnalyses(moduleAM);
  builder.registerCGSCCAnalyses(cgsccAM);
  builder.registerFunctionAnalyses(functionAM);
  builder.registerLoopAnalyses(loopAM);
  builder.crossRegisterProxies(loopAM, functionAM, cgsccAM, moduleAM);
  llvm::OptimizationLevel level = llvm::OptimizationLevel::O2;
  switch (optLevel) {
  case 0:
    level = llvm::OptimizationLevel::O0;
    break;
  case 1:
    level = llvm::OptimizationLevel::O1;
    break;
  case 2:
    break;
  default:
    level = llvm::OptimizationLevel::O3;
    break;
  }
  llvm::ModulePassManager passes =
      level == llvm::OptimizationLevel::O0
          ? builder.buildO0DefaultPipeline(level)
          : builder.buildPerModuleDefaultPipeline(level);
  passes.run(module, moduleAM);
}

static LogicalResult writeText(StringRef path, StringRef text, Location loc) {
  std::error_code error;
  llvm::raw_fd_ostream os(path, error);
  if (!error) {
    os << text;
    os.close();
    error = os.error();
  }
  if (error) {
    emitError(loc) << "cannot write '" << path << "': " << error.message();
    return failure();
  }
  return success();
}

static LogicalResult linkSharedLibrary(StringRef objectPath,
                                       StringRef libraryPath,
                                       const tamp::CompileOptions &options,
                                       Location loc) {
  std::string linker = options.linker;
  if (linker.empty())
    if (std::optional<std::string> fromEnv =
            llvm::sys::Process::GetEnv("TAMP_LINKER"))
      linker = *fromEnv;
  if (linker.empty())
    linker = TAMP_DEFAULT_LINKER;
  if (linker.empty()) {
    emitError(loc) << "no linker for shared libraries: pass --linker or set "
                      "TAMP_LINKER";
    return failure();
  }
  // tamp_rt_* stay undefined: the loader resolves them from libtamp_rt,
  // which loads the model. For the host, libm is recorded as needed.
  SmallVector<StringRef> args = {linker,        "-shared",   "-z",
                                 "noexecstack", "-z",        "now",
                                 "-o",          libraryPath, objectPath};
  StringRef hostLibm = TAMP_HOST_LIBM;
  if (options.targetTriple.empty() && !hostLibm.empty())
    args.push_back(hostLibm);
  std::string message;
  int status = llvm::sys::ExecuteAndWait(linker, args, /*Env=*/std::nullopt,
                                         /*Redirects=*/{}, /*SecondsToWait=*/0,
                                         /*MemoryLimit=*/0, &message);
  if (status != 0) {
    emitError(loc) << "linking with '" << linker << "' failed"
                   << (message.empty() ? "" : ": ") << message;
    return failure();
  }
  return success();
}

static LogicalResult runPasses(ModuleOp module,
                               function_ref<void(PassManager &)> build) {
  PassManager pm(module.getContext());
  build(pm);
  return pm.run(module);
}

/// Prints `module` to `path` ("-" is stdout) through a temporary.
static LogicalResult writeModule(ModuleOp module, StringRef path,
                                 PendingOutputs &outputs) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module.print(os);
  os << "\n";
  if (path == "-") {
    llvm::outs() << text;
    return success();
  }
  FailureOr<std::string> temporary = outputs.add(path, module.getLoc());
  if (failed(temporary) || failed(writeText(*temporary, text, module.getLoc())))
    return failure();
  return outputs.commit(module.getLoc());
}

LogicalResult tamp::fuseModel(ModuleOp module, FusionStage stage) {
  return runPasses(module, [&](PassManager &pm) {
    FusePipelineOptions options;
    options.stage = stage;
    buildFusePipeline(pm, options);
  });
}

/// The counters of the report, in the order it prints them.
static constexpr llvm::StringLiteral kFusionCounters[] = {
    "batchnorm_folded", "layernorm_recomposed", "gelu_recomposed",
    "silu_recomposed",  "attention_recomposed", "bias_fused",
    "activation_fused", "transposes_folded",    "reshapes_folded",
    "qdq_folded"};

llvm::json::Object tamp::getFusionReport(ModuleOp module, bool enabled) {
  llvm::StringMap<int64_t> counts;
  for (auto func : module.getOps<func::FuncOp>())
    if (auto attr = func->getAttrOfType<DictionaryAttr>(kFusionCountsAttrName))
      for (NamedAttribute entry : attr)
        if (auto count = dyn_cast<IntegerAttr>(entry.getValue()))
          counts[entry.getName().getValue()] += count.getInt();
  llvm::json::Object report{{"enabled", enabled}};
  for (StringRef counter : kFusionCounters)
    report[counter] = counts.lookup(counter);
  return report;
}

void tamp::printFusionReport(const llvm::json::Object &report,
                             llvm::raw_ostream &os) {
  std::optional<bool> enabled = report.getBoolean("enabled");
  os << "Fusion" << (enabled && !*enabled ? " (disabled by --fuse=false)" : "")
     << ":\n";
  for (StringRef counter : kFusionCounters)
    os << llvm::formatv("  {0,-22} {1}\n", counter,
                        report.getInteger(counter).value_or(0));
}

LogicalResult tamp::compileModel(ModuleOp module, const CompileOptions &options,
                                 StringRef outputPath) {
  Location loc = module.getLoc();
  PendingOutputs outputs;
  // Pre-quantized (QDQ, QOperator) models onto the integer kernels; a no-op
  // on float models. Then fusion, after any compression and QDQ folding so
  // that integer kernels stay as they are. --emit=tamp shows the IR that is
  // lowered.
  if (failed(runPasses(module, [](PassManager &pm) {
        pm.addNestedPass<func::FuncOp>(createFoldQDQ());
      })))
    return failure();
  if (options.fuse && failed(fuseModel(module, FusionStage::All)))
    return failure();
  llvm::json::Object fusion = getFusionReport(module, options.fuse);
  if (options.fusionReport)
    printFusionReport(fusion, *options.fusionReport);
  if (options.emit == EmitKind::Tamp)
    return writeModule(module, outputPath, outputs);

  FailureOr<Target> target = resolveTarget(options, loc);
  if (failed(target))
    return failure();

  // Record the signature while the tamp types still carry signedness.
  if (failed(runPasses(module, [&](PassManager &pm) {
        pm.addPass(createRecordModelSignature(
            RecordModelSignatureOptions{options.modelName, ""}));
      })))
    return failure();
  auto model = module->getAttrOfType<DictionaryAttr>(kModelAttrName);
  llvm::json::Object extra{
      {"target", llvm::json::Object{{"triple", target->triple},
                                    {"cpu", target->cpu},
                                    {"features", target->features}}},
      {"options",
       llvm::json::Object{{"emit", getEmitKindName(options.emit)},
                          {"opt_level", static_cast<int64_t>(options.optLevel)},
                          {"parallel", options.parallel},
                          {"vector_bits", static_cast<int64_t>(getVectorBits(
                                              *target->machine))}}},
  };
  // The compression report, when the model was compressed.
  if (auto report =
          module->getAttrOfType<StringAttr>(kCompressionReportAttrName)) {
    if (llvm::Expected<llvm::json::Value> parsed =
            llvm::json::parse(report.getValue()))
      extra["compression"] = std::move(*parsed);
    else
      llvm::consumeError(parsed.takeError());
  }
  extra["fusion"] = std::move(fusion);
  std::string manifest = buildModelManifest(model, std::move(extra));

  if (failed(runPasses(module, [](PassManager &pm) {
        pm.addPass(createConvertTampToLinalg());
      })))
    return failure();
  if (options.emit == EmitKind::Linalg)
    return writeModule(module, outputPath, outputs);

  // Embedded in the descriptor; not part of the linalg IR printed above.
  module->setAttr(kManifestAttrName,
                  StringAttr::get(module.getContext(), manifest));
  CPUPipelineOptions pipelineOptions;
  pipelineOptions.vectorBits = getVectorBits(*target->machine);
  // checkFeatures rejects feature names the target does not know.
  pipelineOptions.avx512Vnni =
      target->machine->getTargetTriple().isX86() &&
      target->machine->getMCSubtargetInfo()->checkFeatures("+avx512vnni");
  pipelineOptions.sharedLibrary = options.emit == EmitKind::SharedLibrary;
  pipelineOptions.parallel = options.parallel;
  if (failed(runPasses(module, [&](PassManager &pm) {
        buildCPUPipeline(pm, pipelineOptions);
      })))
    return failure();

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule = translateModuleToLLVMIR(
      module, llvmContext, model.getAs<StringAttr>("name").getValue());
  if (!llvmModule) {
    emitError(loc) << "cannot translate the model to LLVM IR";
    return failure();
  }
  llvmModule->setDataLayout(target->machine->createDataLayout());
  llvmModule->setTargetTriple(target->machine->getTargetTriple());
  optimize(*llvmModule, *target->machine, options.optLevel);

  if (options.emit == EmitKind::LLVMIR) {
    std::string text;
    llvm::raw_string_ostream os(text);
    llvmModule->print(os, nullptr);
    if (outputPath == "-") {
      llvm::outs() << text;
      return success();
    }
    FailureOr<std::string> temporary = outputs.add(outputPath, loc);
    if (failed(temporary) || failed(writeText(*temporary, text, loc)))
      return failure();
    return outputs.commit(loc);
  }

  // Machine code: assembly, or an object (linked into a shared library).
  bool assembly = options.emit == EmitKind::Assembly;
  SmallString<0> code;
  {
    llvm::raw_svector_ostream os(code);
    llvm::legacy::PassManager codegen;
    if (target->machine->addPassesToEmitFile(
            codegen, os, nullptr,
            assembly ? llvm::CodeGenFileType::AssemblyFile
                     : llvm::CodeGenFileType::ObjectFile)) {
      emitError(loc) << "the target cannot emit "
                     << (assembly ? "assembly" : "objects");
      return failure();
    }
    codegen.run(*llvmModule);
  }
  if (assembly) {
    if (outputPath == "-") {
      llvm::outs() << code;
      return success();
    }
    FailureOr<std::string> temporary = outputs.add(outputPath, loc);
    if (failed(temporary) || failed(writeText(*temporary, code, loc)))
      return failure();
    return outputs.commit(loc);
  }

  if (outputPath == "-") {
    emitError(loc) << "objects and shared libraries need an output file";
    return failure();
  }
  FailureOr<std::string> binary = outputs.add(outputPath, loc);
  if (failed(binary))
    return failure();
  if (options.emit == EmitKind::Object) {
    if (failed(writeText(*binary, code, loc)))
      return failure();
  } else {
    // The object is only the linker's input.
    SmallString<128> object;
    if (std::error_code error =
            llvm::sys::fs::createTemporaryFile("tamp-model", "o", object)) {
      emitError(loc) << "cannot create a temporary object: " << error.message();
      return failure();
    }
    llvm::FileRemover removeObject(object);
    if (failed(writeText(object, code, loc)) ||
        failed(linkSharedLibrary(object, *binary, options, loc)))
      return failure();
  }

  // The header and manifest beside the binary: X.h and X.json.
  SmallString<128> stem(outputPath);
  llvm::sys::path::replace_extension(stem, "");
  FailureOr<std::string> header = outputs.add((stem + ".h").str(), loc);
  FailureOr<std::string> json = outputs.add((stem + ".json").str(), loc);
  if (failed(header) || failed(json) ||
      failed(writeText(*header, buildModelHeader(model), loc)) ||
      failed(writeText(*json, manifest + "\n", loc)))
    return failure();
  return outputs.commit(loc);
}
