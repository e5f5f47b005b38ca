//===- EmitParallelLaunchers.cpp - Launch outlined loops on threads -------===//
//
// Defines the launchers that tamp-cpu-outline-parallel-loops declared: pack
// the captured values into a context on the stack and hand a trampoline to
// tamp_rt_parallel_for, which calls it for each chunk of iterations. The
// launcher returns only when every chunk is done, so the stack context
// outlives all uses.
//
//===----------------------------------------------------------------------===//

#include "tamp/Target/CPU/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

namespace tamp {
#define GEN_PASS_DEF_EMITPARALLELLAUNCHERS
#include "tamp/Target/CPU/Passes.h.inc"
} // namespace tamp

using namespace mlir;

static constexpr llvm::StringLiteral kBodyAttrName = "tamp.parallel_body";
static constexpr llvm::StringLiteral kParallelForName = "tamp_rt_parallel_for";

namespace {
struct EmitParallelLaunchersPass
    : public tamp::impl::EmitParallelLaunchersBase<EmitParallelLaunchersPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<LLVM::LLVMFuncOp> launchers;
    for (auto func : module.getOps<LLVM::LLVMFuncOp>())
      if (func->hasAttr(kBodyAttrName))
        launchers.push_back(func);
    if (launchers.empty())
      return;
    LLVM::LLVMFuncOp parallelFor = getOrDeclareParallelFor(module);
    if (!parallelFor)
      return signalPassFailure();
    SymbolTable symbolTable(module);
    for (LLVM::LLVMFuncOp launcher : launchers)
      if (failed(define(launcher, parallelFor, symbolTable)))
        return signalPassFailure();
  }

  LLVM::LLVMFuncOp getOrDeclareParallelFor(ModuleOp module) {
    MLIRContext *context = module.getContext();
    auto ptrType = LLVM::LLVMPointerType::get(context);
    auto type = LLVM::LLVMFunctionType::get(
        LLVM::LLVMVoidType::get(context),
        {ptrType, ptrType, IntegerType::get(context, 64)});
    Operation *existing = module.lookupSymbol(kParallelForName);
    if (auto func = dyn_cast_or_null<LLVM::LLVMFuncOp>(existing))
      if (func.getFunctionType() == type)
        return func;
    if (existing) {
      existing->emitError()
          << "'" << kParallelForName << "' is reserved for the runtime";
      return nullptr;
    }
    OpBuilder builder = OpBuilder::atBlockBegin(module.getBody());
    return LLVM::LLVMFuncOp::create(builder, module.getLoc(), kParallelForName,
                                    type);
  }

  LogicalResult define(LLVM::LLVMFuncOp launcher, LLVM::LLVMFuncOp parallelFor,
                       SymbolTable &symbolTable) {
    MLIRContext *context = &getContext();
    Location loc = launcher.getLoc();
    auto bodyRef = launcher->getAttrOfType<FlatSymbolRefAttr>(kBodyAttrName);
    auto body = bodyRef
                    ? symbolTable.lookup<LLVM::LLVMFuncOp>(bodyRef.getValue())
                    : nullptr;
    auto i64Type = IntegerType::get(context, 64);
    auto ptrType = LLVM::LLVMPointerType::get(context);
    ArrayRef<Type> launchParams = launcher.getFunctionType().getParams();
    if (!body || body.isExternal() || !launcher.isExternal() ||
        launchParams.empty() || launchParams.front() != i64Type ||
        body.getFunctionType().getParams().drop_front(2) !=
            launchParams.drop_front(1)) {
      launcher.emitError()
          << "expected a launcher declaration `(i64 count, captures...)` "
             "whose body is `(i64 begin, i64 end, captures...)`";
      return failure();
    }
    ArrayRef<Type> captureTypes = launchParams.drop_front(1);
    auto contextType = LLVM::LLVMStructType::getLiteral(context, captureTypes);

    // void trampoline(void *context, int64_t begin, int64_t end)
    OpBuilder builder(launcher);
    auto voidType = LLVM::LLVMVoidType::get(context);
    auto trampoline = LLVM::LLVMFuncOp::create(
        builder, loc, (body.getName() + "_trampoline").str(),
        LLVM::LLVMFunctionType::get(voidType, {ptrType, i64Type, i64Type}),
        LLVM::Linkage::Internal);
    symbolTable.insert(trampoline);
    {
      OpBuilder::InsertionGuard guard(builder);
      Block *entry = trampoline.addEntryBlock(builder);
      builder.setInsertionPointToStart(entry);
      SmallVector<Value> arguments = {entry->getArgument(1),
                                      entry->getArgument(2)};
      if (!captureTypes.empty()) {
        Value packed = LLVM::LoadOp::create(builder, loc, contextType,
                                            entry->getArgument(0));
        for (int64_t i = 0, e = captureTypes.size(); i < e; ++i)
          arguments.push_back(LLVM::ExtractValueOp::create(
              builder, loc, packed, ArrayRef<int64_t>{i}));
      }
      LLVM::CallOp::create(builder, loc, body, arguments);
      LLVM::ReturnOp::create(builder, loc, ValueRange{});
    }

    // The launcher: captures into a stack context, then the runtime.
    launcher->removeAttr(kBodyAttrName);
    launcher.setLinkage(LLVM::Linkage::Internal);
    Block *entry = launcher.addEntryBlock(builder);
    builder.setInsertionPointToStart(entry);
    Value contextPtr;
    if (captureTypes.empty()) {
      contextPtr = LLVM::ZeroOp::create(builder, loc, ptrType);
    } else {
      Value one = LLVM::ConstantOp::create(builder, loc, i64Type,
                                           builder.getI64IntegerAttr(1));
      contextPtr =
          LLVM::AllocaOp::create(builder, loc, ptrType, contextType, one);
      Value packed = LLVM::PoisonOp::create(builder, loc, contextType);
      for (auto [i, argument] :
           llvm::enumerate(entry->getArguments().drop_front(1)))
        packed = LLVM::InsertValueOp::create(
            builder, loc, packed, argument,
            ArrayRef<int64_t>{static_cast<int64_t>(i)});
      LLVM::StoreOp::create(builder, loc, packed, contextPtr);
    }
    Value trampolinePtr = LLVM::AddressOfOp::create(builder, loc, trampoline);
    LLVM::CallOp::create(
        builder, loc, parallelFor,
        ValueRange{trampolinePtr, contextPtr, entry->getArgument(0)});
    LLVM::ReturnOp::create(builder, loc, ValueRange{});
    return success();
  }
};
} // namespace
