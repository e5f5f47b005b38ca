//===- ReassociateReductions.cpp - Vectorizable FP reductions -------------===//

#include "tamp/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace tamp {
#define GEN_PASS_DEF_REASSOCIATEREDUCTIONS
#include "tamp/Target/CPU/Passes.h.inc"
} // namespace tamp

using namespace mlir;

/// Adds `reassoc` to the floating-point combiners of `body`: the ops whose
/// result is yielded and that read the accumulator (a block argument of an
/// init operand).
static void markCombiners(Block &body, unsigned numInputs) {
  Operation *yield = body.getTerminator();
  for (Value yielded : yield->getOperands()) {
    Operation *combiner = yielded.getDefiningOp();
    if (!isa_and_nonnull<arith::AddFOp, arith::MulFOp, arith::MaximumFOp,
                         arith::MinimumFOp, arith::MaxNumFOp, arith::MinNumFOp>(
            combiner))
      continue;
    bool readsAccumulator = llvm::any_of(combiner->getOperands(), [&](Value v) {
      auto argument = dyn_cast<BlockArgument>(v);
      return argument && argument.getOwner() == &body &&
             argument.getArgNumber() >= numInputs;
    });
    if (!readsAccumulator)
      continue;
    auto fastMath = cast<arith::ArithFastMathInterface>(combiner);
    arith::FastMathFlags flags = fastMath.getFastMathFlagsAttr().getValue() |
                                 arith::FastMathFlags::reassoc;
    combiner->setAttr(
        fastMath.getFastMathAttrName(),
        arith::FastMathFlagsAttr::get(combiner->getContext(), flags));
  }
}

namespace {
struct ReassociateReductionsPass
    : public tamp::impl::ReassociateReductionsBase<ReassociateReductionsPass> {
  void runOnOperation() override {
    getOperation().walk([](Operation *op) {
      if (auto generic = dyn_cast<linalg::GenericOp>(op)) {
        if (generic.getNumReductionLoops() > 0)
          markCombiners(*generic.getBody(), generic.getNumDpsInputs());
      } else if (auto reduce = dyn_cast<linalg::ReduceOp>(op)) {
        markCombiners(reduce.getCombiner().front(), reduce.getNumDpsInputs());
      }
    });
  }
};
} // namespace
