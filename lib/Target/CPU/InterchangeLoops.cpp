//===- InterchangeLoops.cpp - Innermost loops that vectorize --------------===//

#include "tamp/Target/CPU/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace tamp {
#define GEN_PASS_DEF_INTERCHANGELOOPS
#include "tamp/Target/CPU/Passes.h.inc"
} // namespace tamp

using namespace mlir;

/// The loop permutation (new position -> old loop) that moves the loop
/// indexing the output's last dimension innermost, or nothing when the op's
/// order is already right or the move would not give contiguous accesses.
static std::optional<SmallVector<unsigned>>
getVectorizableOrder(linalg::LinalgOp op) {
  unsigned numLoops = op.getNumLoops();
  if (numLoops < 2 || op.getNumReductionLoops() == 0 ||
      op.getNumDpsInits() != 1)
    return std::nullopt;
  AffineMap outputMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (outputMap.getNumResults() == 0)
    return std::nullopt;
  auto lastDim = dyn_cast<AffineDimExpr>(outputMap.getResults().back());
  if (!lastDim || lastDim.getPosition() == numLoops - 1)
    return std::nullopt;
  unsigned inner = lastDim.getPosition();
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    for (AffineExpr result : map.getResults().drop_back())
      if (result.isFunctionOfDim(inner))
        return std::nullopt;
  }
  SmallVector<unsigned> order;
  for (unsigned loop = 0; loop < numLoops; ++loop)
    if (loop != inner)
      order.push_back(loop);
  order.push_back(inner);
  return order;
}

namespace {
struct InterchangeLoopsPass
    : public tamp::impl::InterchangeLoopsBase<InterchangeLoopsPass> {
  void runOnOperation() override {
    SmallVector<std::pair<linalg::LinalgOp, SmallVector<unsigned>>> work;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (std::optional<SmallVector<unsigned>> order = getVectorizableOrder(op))
        work.push_back({op, std::move(*order)});
    });
    IRRewriter rewriter(&getContext());
    for (auto &[op, order] : work) {
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::GenericOp> generic =
          isa<linalg::GenericOp>(op.getOperation())
              ? cast<linalg::GenericOp>(op.getOperation())
              : linalg::generalizeNamedOp(rewriter, op);
      // Ops without a region builder stay as they are: slower, not wrong.
      if (failed(generic))
        continue;
      if (failed(linalg::interchangeGenericOp(rewriter, *generic, order))) {
        generic->emitError() << "cannot interchange the loops of this op";
        return signalPassFailure();
      }
    }
  }
};
} // namespace
