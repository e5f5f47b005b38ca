//===- IntrinsicEffects.cpp - Memory effects of LLVM intrinsic calls ------===//
//
// The CPU kernels call target instructions through `llvm.call_intrinsic`
// while the IR is still on tensors, which buffer deallocation refuses for
// ops that do not declare their memory effects. The arithmetic intrinsics
// the kernels use have none; any other intrinsic conservatively reads and
// writes memory.
//
//===----------------------------------------------------------------------===//

#include "tamp/Target/CPU/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

namespace {
/// Intrinsics that compute on their operands only.
bool isPureIntrinsic(StringRef name) {
  return name == "llvm.x86.avx512.vpdpbusd.512";
}

struct CallIntrinsicEffects
    : public MemoryEffectOpInterface::ExternalModel<CallIntrinsicEffects,
                                                    LLVM::CallIntrinsicOp> {
  void
  getEffects(Operation *op,
             SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
                 &effects) const {
    if (isPureIntrinsic(cast<LLVM::CallIntrinsicOp>(op).getIntrin()))
      return;
    effects.emplace_back(MemoryEffects::Read::get());
    effects.emplace_back(MemoryEffects::Write::get());
  }
};
} // namespace

void tamp::registerCPUInterfaceExternalModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, LLVM::LLVMDialect *) {
    LLVM::CallIntrinsicOp::attachInterface<CallIntrinsicEffects>(*ctx);
  });
}
