//===- OutlineParallelLoops.cpp - Parallel loops into functions -----------===//
//
// tamp_rt_parallel_for runs a `body(context, begin, end)` over chunks of an
// iteration range on the session's threads. This pass moves each outermost
// scf.parallel into a function over [begin, end) of its first dimension and
// leaves a launcher call behind; tamp-cpu-emit-parallel-launchers packs the
// captured values into the context once they are LLVM values.
//
//===----------------------------------------------------------------------===//

#include "tamp/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"

namespace tamp {
#define GEN_PASS_DEF_OUTLINEPARALLELLOOPS
#include "tamp/Target/CPU/Passes.h.inc"
} // namespace tamp

using namespace mlir;

/// Whether `op` can be cloned into the body instead of being captured.
static bool isCloneableConstant(Operation *op) {
  return op && op->hasTrait<OpTrait::ConstantLike>() &&
         op->getNumOperands() == 0 && op->getNumRegions() == 0;
}

namespace {
struct OutlineParallelLoopsPass
    : public tamp::impl::OutlineParallelLoopsBase<OutlineParallelLoopsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbolTable(module);
    SmallVector<scf::ParallelOp> loops;
    for (auto func : module.getOps<func::FuncOp>())
      func.walk([&](scf::ParallelOp loop) {
        if (!loop->getParentOfType<scf::ParallelOp>() &&
            loop.getNumResults() == 0 && !hasSingleIteration(loop))
          loops.push_back(loop);
      });
    for (scf::ParallelOp loop : loops)
      outline(loop, symbolTable);
  }

  static bool hasSingleIteration(scf::ParallelOp loop) {
    std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound()[0]);
    std::optional<int64_t> ub = getConstantIntValue(loop.getUpperBound()[0]);
    std::optional<int64_t> step = getConstantIntValue(loop.getStep()[0]);
    return lb && ub && step && *step > 0 && *ub - *lb <= *step;
  }

  void outline(scf::ParallelOp loop, SymbolTable &symbolTable) {
    auto parent = loop->getParentOfType<func::FuncOp>();
    Location loc = loop.getLoc();
    MLIRContext *context = &getContext();

    // Values the loop needs from outside: its bounds and what its body
    // uses. Constants are rematerialized in the body instead.
    llvm::SetVector<Value> used;
    getUsedValuesDefinedAbove(loop.getRegion(), used);
    for (Value operand : loop->getOperands())
      used.insert(operand);
    SmallVector<Value> captures;
    SmallVector<Operation *> constants;
    for (Value value : used) {
      Operation *def = value.getDefiningOp();
      if (isCloneableConstant(def))
        constants.push_back(def);
      else
        captures.push_back(value);
    }
    SmallVector<Type> captureTypes = llvm::map_to_vector(
        captures, [](Value value) { return value.getType(); });
    Type indexType = IndexType::get(context);

    // The body: `(begin, end, captures...)`.
    OpBuilder builder(parent);
    SmallVector<Type> bodyInputs = {indexType, indexType};
    llvm::append_range(bodyInputs, captureTypes);
    auto body = func::FuncOp::create(
        builder, loc, (parent.getName() + "_parallel_body").str(),
        builder.getFunctionType(bodyInputs, {}));
    body.setPrivate();
    symbolTable.insert(body);
    Block *entry = body.addEntryBlock();
    builder.setInsertionPointToStart(entry);
    IRMapping mapping;
    for (Operation *constant : constants)
      builder.clone(*constant, mapping);
    for (auto [capture, argument] :
         llvm::zip(captures, entry->getArguments().drop_front(2)))
      mapping.map(capture, argument);
    // Chunk [begin, end) of the first dimension's iterations.
    Value lb = mapping.lookupOrDefault(loop.getLowerBound()[0]);
    Value step = mapping.lookupOrDefault(loop.getStep()[0]);
    auto offset = [&](Value iteration) -> Value {
      Value scaled = arith::MulIOp::create(builder, loc, iteration, step);
      return arith::AddIOp::create(builder, loc, lb, scaled);
    };
    Value chunkLb = offset(entry->getArgument(0));
    Value chunkUb = offset(entry->getArgument(1));
    auto chunk = cast<scf::ParallelOp>(builder.clone(*loop, mapping));
    chunk.getLowerBoundMutable().slice(0, 1).assign(chunkLb);
    chunk.getUpperBoundMutable().slice(0, 1).assign(chunkUb);
    func::ReturnOp::create(builder, loc);

    // The launcher, defined once lowered to LLVM: `(count, captures...)`.
    builder.setInsertionPoint(parent);
    SmallVector<Type> launchInputs = {indexType};
    llvm::append_range(launchInputs, captureTypes);
    auto launch = func::FuncOp::create(
        builder, loc, (parent.getName() + "_parallel_launch").str(),
        builder.getFunctionType(launchInputs, {}));
    launch.setPrivate();
    symbolTable.insert(launch);
    launch->setAttr("tamp.parallel_body",
                    FlatSymbolRefAttr::get(body.getSymNameAttr()));

    // The call: count = ceil((ub - lb) / step) iterations.
    builder.setInsertionPoint(loop);
    Value outerLb = loop.getLowerBound()[0];
    Value outerUb = loop.getUpperBound()[0];
    Value outerStep = loop.getStep()[0];
    Value span = arith::SubIOp::create(builder, loc, outerUb, outerLb);
    Value count = arith::CeilDivSIOp::create(builder, loc, span, outerStep);
    SmallVector<Value> arguments = {count};
    llvm::append_range(arguments, captures);
    func::CallOp::create(builder, loc, launch, arguments);
    loop.erase();
  }
};
} // namespace
