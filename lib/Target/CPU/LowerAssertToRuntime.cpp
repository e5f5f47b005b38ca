//===- LowerAssertToRuntime.cpp - cf.assert -> tamp_rt_fail ---------------===//
//
// Upstream lowers cf.assert to a call of abort(), which would take the host
// process down with a malformed input. Compiled models report the failure to
// the runtime instead, which ends the run with TAMP_ERROR_RUNTIME.
//
//===----------------------------------------------------------------------===//

#include "tamp/Target/CPU/Passes.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/StringMap.h"

namespace tamp {
#define GEN_PASS_DEF_LOWERASSERTTORUNTIME
#include "tamp/Target/CPU/Passes.h.inc"
} // namespace tamp

using namespace mlir;

static constexpr llvm::StringLiteral kFailFunctionName = "tamp_rt_fail";

namespace {
struct LowerAssertToRuntimePass
    : public tamp::impl::LowerAssertToRuntimeBase<LowerAssertToRuntimePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<cf::AssertOp> asserts;
    module.walk([&](cf::AssertOp op) { asserts.push_back(op); });
    if (asserts.empty())
      return;

    LLVM::LLVMFuncOp failFunction = getOrDeclareFailFunction(module);
    if (!failFunction)
      return signalPassFailure();

    IRRewriter rewriter(module.getContext());
    SymbolTable symbolTable(module);
    llvm::StringMap<LLVM::GlobalOp> messages;
    for (cf::AssertOp op : asserts) {
      Location loc = op.getLoc();
      LLVM::GlobalOp message =
          getOrCreateMessage(module, symbolTable, op.getMsg(), messages);
      // Everything after the assert runs when it holds; otherwise a new
      // block reports the failure and never returns.
      Block *before = op->getBlock();
      Block *after = rewriter.splitBlock(before, std::next(op->getIterator()));
      Block *fail = rewriter.createBlock(after);
      Value text = LLVM::AddressOfOp::create(rewriter, loc, message);
      LLVM::CallOp::create(rewriter, loc, failFunction, ValueRange{text});
      LLVM::UnreachableOp::create(rewriter, loc);

      rewriter.setInsertionPoint(op);
      cf::CondBranchOp::create(rewriter, loc, op.getArg(), after, ValueRange{},
                               fail, ValueRange{});
      rewriter.eraseOp(op);
    }
  }

  LLVM::LLVMFuncOp getOrDeclareFailFunction(ModuleOp module) {
    MLIRContext *context = module.getContext();
    auto type =
        LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(context),
                                    {LLVM::LLVMPointerType::get(context)});
    Operation *existing = module.lookupSymbol(kFailFunctionName);
    if (auto func = dyn_cast_or_null<LLVM::LLVMFuncOp>(existing)) {
      if (func.getFunctionType() == type)
        return func;
    }
    if (existing) {
      existing->emitError() << "'" << kFailFunctionName
                            << "' is reserved for the runtime's "
                               "`void tamp_rt_fail(const char *)`";
      return nullptr;
    }
    OpBuilder builder = OpBuilder::atBlockBegin(module.getBody());
    auto func = LLVM::LLVMFuncOp::create(builder, module.getLoc(),
                                         kFailFunctionName, type);
    func.setPassthroughAttr(
        builder.getArrayAttr({builder.getStringAttr("noreturn"),
                              builder.getStringAttr("nounwind")}));
    return func;
  }

  LLVM::GlobalOp getOrCreateMessage(ModuleOp module, SymbolTable &symbolTable,
                                    StringRef text,
                                    llvm::StringMap<LLVM::GlobalOp> &messages) {
    LLVM::GlobalOp &global = messages[text];
    if (global)
      return global;
    MLIRContext *context = module.getContext();
    std::string value = text.str();
    value.push_back('\0');
    auto type =
        LLVM::LLVMArrayType::get(IntegerType::get(context, 8), value.size());
    OpBuilder builder = OpBuilder::atBlockBegin(module.getBody());
    global = LLVM::GlobalOp::create(
        builder, module.getLoc(), type, /*isConstant=*/true,
        LLVM::Linkage::Private, "tamp_assert_message",
        builder.getStringAttr(value), /*alignment=*/1);
    // Unique among the module's symbols (tamp_assert_message_0, ...).
    symbolTable.insert(global);
    return global;
  }
};
} // namespace
