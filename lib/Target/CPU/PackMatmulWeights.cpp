//===- PackMatmulWeights.cpp - Constant weights in kernel layout ----------===//

#include "tamp/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tamp {
#define GEN_PASS_DEF_PACKMATMULWEIGHTS
#include "tamp/Target/CPU/Passes.h.inc"
} // namespace tamp

using namespace mlir;

/// The bytes of a non-splat constant with a byte-sized element type.
static std::optional<ArrayRef<char>> getRawBytes(ElementsAttr attr) {
  if (auto dense = dyn_cast<DenseIntOrFPElementsAttr>(attr)) {
    if (dense.isSplat())
      return std::nullopt;
    return dense.getRawData();
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      return blob->getData();
  }
  return std::nullopt;
}

/// The transpose of the 2-D constant `attr` ([N, K] -> [K, N]).
static std::optional<ElementsAttr> transposeMatrix(ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  unsigned bits = type.getElementTypeBitWidth();
  if (type.getRank() != 2 || !type.hasStaticShape() || bits % 8 != 0)
    return std::nullopt;
  auto transposedType =
      type.clone(ArrayRef<int64_t>{type.getDimSize(1), type.getDimSize(0)});
  if (auto dense = dyn_cast<DenseElementsAttr>(attr); dense && dense.isSplat())
    return ElementsAttr(dense.reshape(cast<ShapedType>(transposedType)));
  std::optional<ArrayRef<char>> data = getRawBytes(attr);
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  size_t width = bits / 8;
  if (!data || data->size() != size_t(rows * cols) * width)
    return std::nullopt;
  std::vector<char> transposed(data->size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      std::memcpy(&transposed[(c * rows + r) * width],
                  data->data() + (r * cols + c) * width, width);
  StringRef name = "packed_weight";
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr))
    name = resource.getRawHandle().getKey();
  AsmResourceBlob blob =
      HeapAsmResourceBlob::allocateAndCopyWithAlign(transposed, /*align=*/64);
  return ElementsAttr(DenseResourceElementsAttr::get(
      cast<ShapedType>(transposedType), (name + "_packed").str(),
      std::move(blob)));
}

namespace {
/// matmul(A[M, K], B[N, K] read as (n, k)) with constant B ->
/// matmul(A, B^T[K, N]) with the default maps.
struct PackTransposedConstantOperand : OpRewritePattern<linalg::MatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::MatmulOp op,
                                PatternRewriter &rewriter) const override {
    MLIRContext *ctx = op.getContext();
    AffineExpr m, n, k;
    bindDims(ctx, m, n, k);
    SmallVector<AffineMap> transposedB = {AffineMap::get(3, 0, {m, k}, ctx),
                                          AffineMap::get(3, 0, {n, k}, ctx),
                                          AffineMap::get(3, 0, {m, n}, ctx)};
    if (op.getIndexingMapsArray() != ArrayRef<AffineMap>(transposedB))
      return rewriter.notifyMatchFailure(op, "not a transposed-B matmul");
    auto constant = op.getDpsInputs()[1].getDefiningOp<arith::ConstantOp>();
    if (!constant)
      return rewriter.notifyMatchFailure(op, "right operand not constant");
    auto attr = dyn_cast<ElementsAttr>(constant.getValue());
    std::optional<ElementsAttr> packed =
        attr ? transposeMatrix(attr) : std::nullopt;
    if (!packed)
      return rewriter.notifyMatchFailure(op, "cannot transpose the constant");
    rewriter.setInsertionPoint(constant);
    Value weight =
        arith::ConstantOp::create(rewriter, constant.getLoc(), *packed);
    rewriter.setInsertionPoint(op);
    rewriter.replaceOpWithNewOp<linalg::MatmulOp>(
        op, op.getResultTypes(), ValueRange{op.getDpsInputs()[0], weight},
        op.getDpsInits());
    return success();
  }
};

struct PackMatmulWeightsPass
    : tamp::impl::PackMatmulWeightsBase<PackMatmulWeightsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<PackTransposedConstantOperand>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
