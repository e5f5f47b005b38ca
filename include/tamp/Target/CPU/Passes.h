//===- Passes.h - CPU target passes and pipeline ----------------*- C++ -*-===//
//
// The CPU target pipeline: linalg-on-tensors IR in, LLVM-dialect IR that
// follows the compiled-model ABI (tamp/Runtime/tamp_model_abi.h) out.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_TARGET_CPU_PASSES_H
#define TAMP_TARGET_CPU_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
namespace cf {
class ControlFlowDialect;
} // namespace cf
namespace arith {
class ArithDialect;
} // namespace arith
namespace scf {
class SCFDialect;
} // namespace scf
namespace vector {
class VectorDialect;
} // namespace vector
namespace linalg {
class LinalgDialect;
} // namespace linalg
namespace LLVM {
class LLVMDialect;
} // namespace LLVM
} // namespace mlir

namespace tamp {

#define GEN_PASS_DECL
#include "tamp/Target/CPU/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "tamp/Target/CPU/Passes.h.inc"

/// Options of `tamp-cpu-pipeline`.
struct CPUPipelineOptions
    : public mlir::PassPipelineOptions<CPUPipelineOptions> {
  Option<std::string> modelName{
      *this, "model-name",
      llvm::cl::desc("Model name (a C identifier) used for the exported "
                     "NAME_entry and NAME_descriptor symbols")};
  Option<std::string> entry{
      *this, "entry",
      llvm::cl::desc("Entry function; defaults to the only public function")};
  Option<bool> parallel{
      *this, "parallel",
      llvm::cl::desc("Run outermost parallel loops through "
                     "tamp_rt_parallel_for (otherwise all loops are serial)"),
      llvm::cl::init(true)};
  Option<unsigned> vectorBits{
      *this, "vector-bits",
      llvm::cl::desc("Width of the target's vector registers in bits (512 "
                     "for AVX-512, 256 for AVX2, 128 for SSE and NEON)"),
      llvm::cl::init(512)};
  Option<bool> avx512Vnni{
      *this, "avx512-vnni",
      llvm::cl::desc("The target has AVX512-VNNI: i8 matmuls use vpdpbusd "
                     "kernels (otherwise scalar loops)"),
      llvm::cl::init(false)};
  Option<bool> sharedLibrary{
      *this, "shared-library",
      llvm::cl::desc("Export the `tamp_model_descriptor` alias that "
                     "tamp_model_load looks up"),
      llvm::cl::init(false)};
};

/// Appends the CPU target pipeline to `pm` (which must run on the module):
/// fusion, bufferization and deallocation, lowering to the LLVM dialect with
/// allocations and run-time checks routed to libtamp_rt, and the model ABI.
void buildCPUPipeline(mlir::OpPassManager &pm,
                      const CPUPipelineOptions &options);

/// Registers the passes above and the `tamp-cpu-pipeline` pipeline.
void registerCPUPasses();

/// Declares the memory effects of `llvm.call_intrinsic` (none for the
/// arithmetic intrinsics the kernels call), which buffer deallocation needs
/// to accept the kernels the CPU passes emit on tensors.
void registerCPUInterfaceExternalModels(mlir::DialectRegistry &registry);

/// The module attribute that `tamp-cpu-record-model-signature` writes and
/// `tamp-cpu-emit-model-abi` reads.
inline constexpr llvm::StringLiteral kModelAttrName = "tamp.model";
/// The module attribute holding the manifest JSON text to embed.
inline constexpr llvm::StringLiteral kManifestAttrName = "tamp.manifest";

} // namespace tamp

#endif // TAMP_TARGET_CPU_PASSES_H
