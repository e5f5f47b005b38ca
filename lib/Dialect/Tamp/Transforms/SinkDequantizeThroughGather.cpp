//===- SinkDequantizeThroughGather.cpp - Dequantize only gathered rows ----===//
//
// A quantized embedding table is `gather(dequantize(unpack(codes)))`: as
// written, every run dequantizes the whole table to look up a few rows.
// Gathering the packed rows, their scales and zero points first and
// dequantizing the result computes the same values for only those rows.
//
//===----------------------------------------------------------------------===//

#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

namespace {

/// gather(dequantize(x, scale, zp), ids) on axis 0 of a 2-D table with one
/// scale per row (axis 0) or per block of a row (axis 1)
///   -> dequantize(gather(x, ids), gather(scale'), gather(zp'))
/// blocked along the result's last dimension; `x` is gathered packed when it
/// comes from tamp.unpack_bits, which unpacks each row on its own.
struct SinkDequantizeThroughGather : OpRewritePattern<tamp::GatherOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tamp::GatherOp gather,
                                PatternRewriter &rewriter) const override {
    auto dequantize = gather.getInput().getDefiningOp<tamp::DequantizeOp>();
    if (!dequantize || gather.getAxis() != 0)
      return rewriter.notifyMatchFailure(gather, "not a row lookup of a "
                                                 "dequantized table");
    RankedTensorType table = dequantize.getOutput().getType();
    RankedTensorType scaleType = dequantize.getScale().getType();
    int64_t rowLength = table.getRank() == 2 ? table.getDimSize(1) : 0;
    int64_t blockSize = dequantize.getBlockSize();
    bool perRow =
        blockSize == 0 && dequantize.getAxis() == 0 && scaleType.getRank() == 1;
    bool blockedRows =
        blockSize > 0 && dequantize.getAxis() == 1 && scaleType.getRank() == 2;
    if (table.getRank() != 2 || ShapedType::isDynamic(rowLength) ||
        (!perRow && !blockedRows))
      return rewriter.notifyMatchFailure(gather, "not one scale per row or "
                                                 "per block of a row");

    Location loc = gather.getLoc();
    Value indices = gather.getIndices();
    auto gatherRows = [&](Value rows) -> Value {
      return tamp::GatherOp::create(rewriter, loc, rows, indices,
                                    /*axis=*/0);
    };
    // A per-row parameter becomes a one-block-per-row one.
    auto asBlocks = [&](Value parameter) -> Value {
      if (!perRow)
        return parameter;
      return tamp::UnsqueezeOp::create(rewriter, loc, parameter,
                                       rewriter.getDenseI64ArrayAttr({1}));
    };

    Value codes = dequantize.getInput();
    Value gatheredCodes;
    if (auto unpack = codes.getDefiningOp<tamp::UnpackBitsOp>()) {
      Value packedRows = gatherRows(unpack.getInput());
      auto packedType = cast<RankedTensorType>(packedRows.getType());
      SmallVector<int64_t> shape(packedType.getShape());
      shape.back() = rowLength;
      gatheredCodes = tamp::UnpackBitsOp::create(
          rewriter, loc,
          RankedTensorType::get(shape, unpack.getType().getElementType()),
          packedRows);
    } else {
      gatheredCodes = gatherRows(codes);
    }
    Value scale = gatherRows(asBlocks(dequantize.getScale()));
    Value zeroPoint;
    if (Value zp = dequantize.getZeroPoint()) {
      if (auto unpack = zp.getDefiningOp<tamp::UnpackBitsOp>();
          unpack && !perRow) {
        Value packedRows = gatherRows(unpack.getInput());
        auto packedType = cast<RankedTensorType>(packedRows.getType());
        SmallVector<int64_t> shape(packedType.getShape());
        shape.back() = unpack.getType().getShape().back();
        zeroPoint = tamp::UnpackBitsOp::create(
            rewriter, loc,
            RankedTensorType::get(shape, unpack.getType().getElementType()),
            packedRows);
      } else {
        zeroPoint = gatherRows(asBlocks(zp));
      }
    }
    int64_t resultRank = gather.getType().getRank();
    rewriter.replaceOpWithNewOp<tamp::DequantizeOp>(
        gather, gather.getType(), gatheredCodes, scale, zeroPoint,
        /*axis=*/resultRank - 1,
        /*block_size=*/perRow ? rowLength : blockSize);
    // The whole-table dequantization (and its unpacking) if nothing else
    // reads it.
    eraseIfDead(rewriter, dequantize);
    return success();
  }

  static void eraseIfDead(PatternRewriter &rewriter, Operation *op) {
    if (!op || !isOpTriviallyDead(op))
      return;
    SmallVector<Operation *> producers;
    for (Value operand : op->getOperands())
      producers.push_back(operand.getDefiningOp());
    rewriter.eraseOp(op);
    for (Operation *producer : producers)
      if (producer && isa<tamp::UnpackBitsOp>(producer))
        eraseIfDead(rewriter, producer);
  }
};

} // namespace

void tamp::populateSinkDequantizeThroughGatherPatterns(
    RewritePatternSet &patterns) {
  patterns.add<SinkDequantizeThroughGather>(patterns.getContext());
}
