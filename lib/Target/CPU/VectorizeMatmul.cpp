//===- VectorizeMatmul.cpp - Register-blocked f32 matmuls -----------------===//
//
// The scalar loops of a matmul load and store the output element for every
// multiply-add. Here each MR x NR block of the output is read once into
// vector registers, updated by one outer product per k, and written once.
//
//===----------------------------------------------------------------------===//

#include "MatmulEpilogue.h"
#include "tamp/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
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

/// Emits, for C = A x B + C (optionally batched: the leading index is the
/// batch), loops over `rows` x `columns` blocks of C rows [rowBegin,
/// rowEnd) and returns the updated C. Each block is read into vector
/// registers once, updated by one outer product per k, passed through
/// `epilogue`'s body if there is one, and written once.
static Value emitRowBlocks(OpBuilder &b, Location loc, Value lhs, Value rhs,
                           Value output, Value batch, Value rowBegin,
                           Value rowEnd, int64_t rows, int64_t columns,
                           int64_t n, int64_t k, linalg::GenericOp epilogue) {
  MLIRContext *context = b.getContext();
  Type f32 = b.getF32Type();
  auto blockType = VectorType::get({rows, columns}, f32);
  auto columnType = VectorType::get({rows}, f32);
  auto rowType = VectorType::get({columns}, f32);
  unsigned rank = batch ? 3 : 2;
  // A's column: the row index varies along the vector.
  AffineMap columnMap =
      AffineMap::get(rank, 0, {getAffineDimExpr(rank - 2, context)}, context);
  auto index = [&](int64_t value) -> Value {
    return arith::ConstantIndexOp::create(b, loc, value);
  };
  Value zero = index(0), one = index(1), kEnd = index(k), rowStep = index(rows),
        columnStep = index(columns);
  Value padding = arith::ConstantOp::create(b, loc, f32, b.getF32FloatAttr(0));
  auto at = [&](Value row, Value column) -> SmallVector<Value> {
    if (batch)
      return {batch, row, column};
    return {row, column};
  };
  // A block of C at (i, j); with `isPartial` its columns may run past n and
  // the accesses along them are masked.
  auto emitBlock = [&](OpBuilder &b, Location loc, Value i, Value j,
                       Value output, bool isPartial) -> Value {
    SmallVector<bool> blockInBounds = {true, !isPartial},
                      rowInBounds = {!isPartial}, columnInBounds = {true};
    Value block =
        vector::TransferReadOp::create(b, loc, blockType, output, at(i, j),
                                       padding, ArrayRef<bool>(blockInBounds));
    auto reduction = scf::ForOp::create(
        b, loc, zero, kEnd, one, ValueRange{block},
        [&](OpBuilder &b, Location loc, Value kk, ValueRange accumulator) {
          Value column = vector::TransferReadOp::create(
              b, loc, columnType, lhs, at(i, kk), padding, columnMap,
              ArrayRef<bool>(columnInBounds));
          Value row = vector::TransferReadOp::create(
              b, loc, rowType, rhs, at(kk, j), padding,
              ArrayRef<bool>(rowInBounds));
          Value updated = vector::OuterProductOp::create(
              b, loc, blockType, column, row, accumulator[0]);
          scf::YieldOp::create(b, loc, updated);
        });
    Value result = reduction.getResult(0);
    if (epilogue)
      result = tamp::applyEpilogueBody(b, loc, epilogue, result);
    return vector::TransferWriteOp::create(b, loc, result, output, at(i, j),
                                           ArrayRef<bool>(blockInBounds))
        .getResult();
  };

  // Full blocks of `columns`, then one masked block for the remainder.
  int64_t fullColumns = n - n % columns;
  Value fullEnd = index(fullColumns);
  auto rowLoop = scf::ForOp::create(
      b, loc, rowBegin, rowEnd, rowStep, ValueRange{output},
      [&](OpBuilder &b, Location loc, Value i, ValueRange rowIter) {
        Value updated = rowIter[0];
        if (fullColumns > 0) {
          auto columnLoop = scf::ForOp::create(
              b, loc, zero, fullEnd, columnStep, rowIter,
              [&](OpBuilder &b, Location loc, Value j, ValueRange columnIter) {
                scf::YieldOp::create(b, loc,
                                     emitBlock(b, loc, i, j, columnIter[0],
                                               /*isPartial=*/false));
              });
          updated = columnLoop.getResult(0);
        }
        if (fullColumns != n)
          updated = emitBlock(b, loc, i, fullEnd, updated, /*isPartial=*/true);
        scf::YieldOp::create(b, loc, updated);
      });
  return rowLoop.getResult(0);
}

/// All rows of C: blocks of `rows`, then single rows for a remainder of a
/// dynamic row count.
static Value emitAllRows(OpBuilder &b, Location loc, Value lhs, Value rhs,
                         Value output, Value batch, int64_t rows,
                         int64_t columns, linalg::GenericOp epilogue) {
  auto outputType = cast<RankedTensorType>(output.getType());
  unsigned rank = outputType.getRank();
  int64_t m = outputType.getDimSize(rank - 2);
  int64_t n = outputType.getDimSize(rank - 1);
  int64_t k = cast<RankedTensorType>(lhs.getType()).getDimSize(rank - 1);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  if (!ShapedType::isDynamic(m))
    return emitRowBlocks(b, loc, lhs, rhs, output, batch, zero,
                         arith::ConstantIndexOp::create(b, loc, m), rows,
                         columns, n, k, epilogue);
  Value rowCount = tensor::DimOp::create(b, loc, output, rank - 2);
  Value remainder = arith::RemUIOp::create(
      b, loc, rowCount, arith::ConstantIndexOp::create(b, loc, rows));
  Value blockedEnd = arith::SubIOp::create(b, loc, rowCount, remainder);
  Value blocked = emitRowBlocks(b, loc, lhs, rhs, output, batch, zero,
                                blockedEnd, rows, columns, n, k, epilogue);
  if (rows == 1)
    return blocked;
  return emitRowBlocks(b, loc, lhs, rhs, blocked, batch, blockedEnd, rowCount,
                       /*rows=*/1, columns, n, k, epilogue);
}

/// Replaces the (batch_)matmul `op` with register-blocked loops; a plain
/// matmul's element-wise epilogue is applied in them and replaced too.
static void emitBlockedMatmul(RewriterBase &rewriter, linalg::LinalgOp op,
                              int64_t rows, int64_t columns) {
  Location loc = op.getLoc();
  Value lhs = op.getDpsInputOperand(0)->get();
  Value rhs = op.getDpsInputOperand(1)->get();
  Value init = op.getDpsInitOperand(0)->get();
  rewriter.setInsertionPoint(op);
  Value result;
  if (isa<linalg::BatchMatmulOp>(op.getOperation())) {
    auto initType = cast<RankedTensorType>(init.getType());
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value batches = ShapedType::isDynamic(initType.getDimSize(0))
                        ? Value(tensor::DimOp::create(rewriter, loc, init, 0))
                        : Value(arith::ConstantIndexOp::create(
                              rewriter, loc, initType.getDimSize(0)));
    auto batchLoop = scf::ForOp::create(
        rewriter, loc, zero, batches, one, ValueRange{init},
        [&](OpBuilder &b, Location loc, Value batch, ValueRange iter) {
          scf::YieldOp::create(b, loc,
                               emitAllRows(b, loc, lhs, rhs, iter[0], batch,
                                           rows, columns,
                                           /*epilogue=*/nullptr));
        });
    result = batchLoop.getResult(0);
  } else {
    linalg::GenericOp epilogue = tamp::getElementwiseEpilogue(op->getResult(0));
    if (epilogue && epilogue.getResult(0).getType() != init.getType())
      epilogue = nullptr;
    result = emitAllRows(rewriter, loc, lhs, rhs, init, /*batch=*/nullptr, rows,
                         columns, epilogue);
    if (epilogue) {
      rewriter.replaceOp(epilogue, result);
      rewriter.eraseOp(op);
      return;
    }
  }
  rewriter.replaceOp(op, result);
}

/// Whether `op` is a matmul or batch_matmul with default maps on f32
/// tensors whose sizes, except the rows (and batches) of the result, are
/// static.
static bool isVectorizableMatmul(linalg::LinalgOp op) {
  auto matmul = dyn_cast<linalg::MatmulOp>(op.getOperation());
  auto batchMatmul = dyn_cast<linalg::BatchMatmulOp>(op.getOperation());
  if ((!matmul && !batchMatmul) || !op.hasPureTensorSemantics() ||
      (matmul && matmul.hasUserDefinedMaps()) ||
      (batchMatmul && batchMatmul.hasUserDefinedMaps()))
    return false;
  for (Value operand : op->getOperands()) {
    auto type = dyn_cast<RankedTensorType>(operand.getType());
    if (!type || !type.getElementType().isF32())
      return false;
  }
  // The reduction and column sizes fix the loop structure.
  unsigned rank = op.getRank(op.getDpsInitOperand(0));
  auto lhsType =
      cast<RankedTensorType>(op.getDpsInputOperand(0)->get().getType());
  auto rhsType =
      cast<RankedTensorType>(op.getDpsInputOperand(1)->get().getType());
  return !lhsType.isDynamicDim(rank - 1) && !rhsType.isDynamicDim(rank - 1);
}

namespace {
struct VectorizeMatmulPass
    : public tamp::impl::VectorizeMatmulBase<VectorizeMatmulPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> matmuls;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isVectorizableMatmul(op))
        matmuls.push_back(op);
    });
    int64_t lanes = std::max<int64_t>(vectorBits / 32, 1);
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : matmuls) {
      auto type = cast<RankedTensorType>(op->getResultTypes()[0]);
      int64_t m = type.getDimSize(type.getRank() - 2);
      // Two vectors per row and up to 8 rows: 16 accumulators, half of
      // AVX-512's registers, leaving room for A's broadcasts and B's rows.
      // Dynamic row counts use 8-row blocks and single-row remainders.
      int64_t rows =
          ShapedType::isDynamic(m) ? 8 : getLargestDivisor(m, {8, 4, 2, 1});
      // Column blocks of one or two vectors; when neither divides n, a
      // masked block takes the remainder. Narrow matrices use narrower
      // exact blocks.
      int64_t n = type.getDimSize(type.getRank() - 1);
      int64_t columns = getLargestDivisor(n, {2 * lanes, lanes});
      if (!columns)
        columns = n < lanes ? getLargestDivisor(n, {lanes / 2, lanes / 4})
                            : 2 * lanes;
      if (!columns && n > 1)
        columns = lanes;
      if (!rows || columns < 4)
        continue;
      emitBlockedMatmul(rewriter, op, rows, columns);
    }
  }
};
} // namespace
