//===- BindRuntimeAllocator.cpp - Allocate through libtamp_rt -------------===//
//
// finalize-memref-to-llvm{use-generic-functions} calls overridable
// allocation functions; this pass binds them to the runtime, which tracks
// each session's memory and owns the outputs handed to the caller.
//
//===----------------------------------------------------------------------===//

#include "tamp/Target/CPU/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

namespace tamp {
#define GEN_PASS_DEF_BINDRUNTIMEALLOCATOR
#include "tamp/Target/CPU/Passes.h.inc"
} // namespace tamp

using namespace mlir;

namespace {
struct BindRuntimeAllocatorPass
    : public tamp::impl::BindRuntimeAllocatorBase<BindRuntimeAllocatorPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (auto aligned = module.lookupSymbol<LLVM::LLVMFuncOp>(
            "_mlir_memref_to_llvm_aligned_alloc")) {
      aligned.emitError()
          << "aligned allocation has no tamp_rt counterpart; lower "
             "memref.alloc without `use-aligned-alloc`";
      return signalPassFailure();
    }
    if (failed(bind(module, "_mlir_memref_to_llvm_alloc", "tamp_rt_alloc")) ||
        failed(bind(module, "_mlir_memref_to_llvm_free", "tamp_rt_free")))
      signalPassFailure();
  }

  /// Redirects every use of the function `from` to `to` (declared with the
  /// same type), renaming the declaration when `to` is not declared yet.
  LogicalResult bind(ModuleOp module, StringRef from, StringRef to) {
    auto generic = module.lookupSymbol<LLVM::LLVMFuncOp>(from);
    if (!generic)
      return success();
    auto toAttr = StringAttr::get(module.getContext(), to);
    if (Operation *existing = module.lookupSymbol(to)) {
      auto runtime = dyn_cast<LLVM::LLVMFuncOp>(existing);
      if (!runtime || runtime.getFunctionType() != generic.getFunctionType()) {
        existing->emitError() << "'" << to << "' is reserved for the runtime";
        return failure();
      }
      if (failed(SymbolTable::replaceAllSymbolUses(generic, toAttr, module)))
        return failure();
      generic.erase();
      return success();
    }
    if (failed(SymbolTable::replaceAllSymbolUses(generic, toAttr, module)))
      return failure();
    SymbolTable::setSymbolName(generic, toAttr);
    return success();
  }
};
} // namespace
