//===- MathOps.cpp - Lowering tamp math ops to linalg ---------------------===//
//
// Elementwise ops become linalg.generic with ONNX broadcasting, reductions
// become linalg.reduce-style generics, and matmul/linear use the named
// linalg.matmul/batch_matmul ops.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "Patterns.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace tamp::lowering;

namespace {

/// Lowers a broadcasting binary op whose scalar form depends only on whether
/// the element type is a float, a signed or an unsigned integer.
template <typename OpTy>
struct BinaryArithmeticLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  static Value buildScalar(OpBuilder &b, Location loc, Value lhs, Value rhs,
                           bool isUnsignedInt);

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType =
        convertTensorType(*this->getTypeConverter(), op.getType());
    bool isUnsignedInt = isUnsigned(op.getLhs().getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), op, {adaptor.getLhs(), adaptor.getRhs()},
        resultType, [&](OpBuilder &b, Location loc, ValueRange args) {
          return buildScalar(b, loc, args[0], args[1], isUnsignedInt);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

template <>
Value BinaryArithmeticLowering<tamp::AddOp>::buildScalar(OpBuilder &b,
                                                         Location loc,
                                                         Value lhs, Value rhs,
                                                         bool) {
  if (isa<FloatType>(lhs.getType()))
    return arith::AddFOp::create(b, loc, lhs, rhs);
  return arith::AddIOp::create(b, loc, lhs, rhs);
}

} // namespace

void tamp::populateMathToLinalgPatterns(const TypeConverter &converter,
                                        RewritePatternSet &patterns) {
  patterns.add<BinaryArithmeticLowering<AddOp>>(converter,
                                                patterns.getContext());
}
