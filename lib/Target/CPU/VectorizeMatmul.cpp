//===- VectorizeMatmul.cpp - Register-blocked f32 matmuls -----------------===//
//
// The scalar loops of a matmul load and store the output element for every
// multiply-add. Here each MR x NR block of the output is read once into
// vector registers, updated by one outer product per k, and written once.
//
//===----------------------------------------------------------------------===//

#include "tamp/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

namespace tamp {
#define GEN_PASS_DEF_VECTORIZEMATMUL
#include "tamp/Target/CPU/Passes.h.inc"
} // namespace tamp

using namespace mlir;

/// The largest candidate that divides `size`, or 0.
static int64_t getLargestDivisor(int64_t size, ArrayRef<int64_t> candidates) {
  for (int64_t candidate : candidates)
    if (candidate > 0 && size % candidate == 0)
      return candidate;
  return 0;
}

static bool isStaticF32Tensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() && tensor.getElementType().isF32();
}

/// Replaces `op` (C = A x B + C, M x K times K x N) with loops over
/// `rows` x `columns` blocks of C.
static void emitBlockedMatmul(RewriterBase &rewriter, linalg::MatmulOp op,
                              int64_t rows, int64_t columns) {
  Location loc = op.getLoc();
  Value lhs = op.getDpsInputOperand(0)->get();
  Value rhs = op.getDpsInputOperand(1)->get();
  Value init = op.getDpsInitOperand(0)->get();
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto initType = cast<RankedTensorType>(init.getType());
  int64_t m = initType.getDimSize(0), n = initType.getDimSize(1);
  int64_t k = lhsType.getDimSize(1);
  Type f32 = rewriter.getF32Type();
  auto blockType = VectorType::get({rows, columns}, f32);
  auto columnType = VectorType::get({rows}, f32);
  auto rowType = VectorType::get({columns}, f32);
  MLIRContext *context = rewriter.getContext();
  // A's column: the first index varies along the vector.
  AffineMap columnMap =
      AffineMap::get(2, 0, {getAffineDimExpr(0, context)}, context);

  rewriter.setInsertionPoint(op);
  auto index = [&](int64_t value) -> Value {
    return arith::ConstantIndexOp::create(rewriter, loc, value);
  };
  Value zero = index(0), one = index(1), mEnd = index(m), nEnd = index(n),
        kEnd = index(k), rowStep = index(rows), columnStep = index(columns);
  Value padding = arith::ConstantOp::create(rewriter, loc, f32,
                                            rewriter.getF32FloatAttr(0));
  SmallVector<bool> inBounds2 = {true, true}, inBounds1 = {true};
  auto rowLoop = scf::ForOp::create(
      rewriter, loc, zero, mEnd, rowStep, ValueRange{init},
      [&](OpBuilder &b, Location loc, Value i, ValueRange rowIter) {
        auto columnLoop = scf::ForOp::create(
            b, loc, zero, nEnd, columnStep, rowIter,
            [&](OpBuilder &b, Location loc, Value j, ValueRange columnIter) {
              Value output = columnIter[0];
              Value block = vector::TransferReadOp::create(
                  b, loc, blockType, output, ValueRange{i, j}, padding,
                  ArrayRef<bool>(inBounds2));
              auto reduction = scf::ForOp::create(
                  b, loc, zero, kEnd, one, ValueRange{block},
                  [&](OpBuilder &b, Location loc, Value kk,
                      ValueRange accumulator) {
                    Value column = vector::TransferReadOp::create(
                        b, loc, columnType, lhs, ValueRange{i, kk}, padding,
                        columnMap, ArrayRef<bool>(inBounds1));
                    Value row = vector::TransferReadOp::create(
                        b, loc, rowType, rhs, ValueRange{kk, j}, padding,
                        ArrayRef<bool>(inBounds1));
                    Value updated = vector::OuterProductOp::create(
                        b, loc, blockType, column, row, accumulator[0]);
                    scf::YieldOp::create(b, loc, updated);
                  });
              Value written = vector::TransferWriteOp::create(
                                  b, loc, reduction.getResult(0), output,
                                  ValueRange{i, j}, ArrayRef<bool>(inBounds2))
                                  .getResult();
              scf::YieldOp::create(b, loc, written);
            });
        scf::YieldOp::create(b, loc, columnLoop.getResult(0));
      });
  rewriter.replaceOp(op, rowLoop.getResults());
}

namespace {
struct VectorizeMatmulPass
    : public tamp::impl::VectorizeMatmulBase<VectorizeMatmulPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<linalg::MatmulOp> matmuls;
    getOperation().walk([&](linalg::MatmulOp op) {
      if (op.hasPureTensorSemantics() && !op.hasUserDefinedMaps() &&
          llvm::all_of(op->getOperandTypes(), isStaticF32Tensor))
        matmuls.push_back(op);
    });
    int64_t lanes = std::max<int64_t>(vectorBits / 32, 1);
    IRRewriter rewriter(&getContext());
    for (linalg::MatmulOp op : matmuls) {
      auto type = cast<RankedTensorType>(op.getResultTypes()[0]);
      // Two vectors per row and up to 8 rows: 16 accumulators, half of
      // AVX-512's registers, leaving room for A's broadcasts and B's rows.
      int64_t rows = getLargestDivisor(type.getDimSize(0), {8, 4, 2, 1});
      int64_t columns = getLargestDivisor(
          type.getDimSize(1), {2 * lanes, lanes, lanes / 2, lanes / 4});
      if (!rows || columns < 4)
        continue;
      emitBlockedMatmul(rewriter, op, rows, columns);
    }
  }
};
} // namespace
