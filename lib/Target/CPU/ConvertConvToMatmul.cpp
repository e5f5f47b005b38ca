//===- ConvertConvToMatmul.cpp - Convolutions as matmuls ------------------===//
//
// A 2-D convolution of one image is the matmul of its filter [F, C*Kh*Kw]
// with the image's patches laid out as [C*Kh*Kw, Oh*Ow] (im2col). The
// patches are a plain strided copy of the padded input (and no copy at all
// for 1x1 filters with unit strides), and the matmul goes to
// tamp-cpu-vectorize-matmul's register-blocked kernel instead of scalar
// convolution loops.
//
//===----------------------------------------------------------------------===//

#include "MatmulEpilogue.h"
#include "tamp/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace tamp {
#define GEN_PASS_DEF_CONVERTCONVTOMATMUL
#include "tamp/Target/CPU/Passes.h.inc"
} // namespace tamp

using namespace mlir;

/// Whether `conv` can become matmuls: float tensors of one element type (or
/// i8 input and filter accumulating into i32, as quantized convolutions
/// are), and static filter sizes (they fix the patch matrix's row count).
static bool isConvertible(linalg::Conv2DNchwFchwOp conv) {
  if (!conv.hasPureTensorSemantics())
    return false;
  auto filterType = cast<RankedTensorType>(conv.getInputs()[1].getType());
  auto elementTypeOf = [](Value value) {
    return cast<RankedTensorType>(value.getType()).getElementType();
  };
  if (elementTypeOf(conv.getInputs()[0]).isInteger(8) &&
      elementTypeOf(conv.getInputs()[1]).isInteger(8) &&
      elementTypeOf(conv.getOutputs()[0]).isInteger(32))
    return filterType.hasStaticShape();
  Type elementType;
  for (Value operand : conv->getOperands()) {
    auto type = dyn_cast<RankedTensorType>(operand.getType());
    if (!type || !isa<FloatType>(type.getElementType()))
      return false;
    if (elementType && type.getElementType() != elementType)
      return false;
    elementType = type.getElementType();
  }
  return filterType.hasStaticShape();
}

/// The size `dim` of `value` as an OpFoldResult.
static OpFoldResult getSize(OpBuilder &b, Location loc, Value value,
                            int64_t dim) {
  auto type = cast<RankedTensorType>(value.getType());
  if (!type.isDynamicDim(dim))
    return b.getIndexAttr(type.getDimSize(dim));
  return tensor::DimOp::create(b, loc, value, dim).getResult();
}

/// The patch matrix [C*Kh*Kw, Oh*Ow] of `image` [C, H, W]: row (c, kh, kw)
/// holds the input values that meet filter tap (c, kh, kw) at each output
/// position.
static Value createPatches(OpBuilder &b, Location loc, Value image,
                           ArrayRef<int64_t> filterShape,
                           ArrayRef<OpFoldResult> outputSizes,
                           ArrayRef<int64_t> strides,
                           ArrayRef<int64_t> dilations) {
  auto imageType = cast<RankedTensorType>(image.getType());
  int64_t channels = filterShape[1], kh = filterShape[2], kw = filterShape[3];
  bool isPointwise = kh == 1 && kw == 1 && strides[0] == 1 && strides[1] == 1;
  if (isPointwise) {
    // The image itself, viewed as [C, H*W].
    return tensor::CollapseShapeOp::create(
               b, loc, image, ArrayRef<ReassociationIndices>{{0}, {1, 2}})
        .getResult();
  }
  MLIRContext *context = b.getContext();
  SmallVector<OpFoldResult> sizes = {b.getIndexAttr(channels),
                                     b.getIndexAttr(kh), b.getIndexAttr(kw),
                                     outputSizes[0], outputSizes[1]};
  Value empty =
      tensor::EmptyOp::create(b, loc, sizes, imageType.getElementType());
  // (c, kh, kw, oh, ow) -> image[c, oh * sh + kh * dh, ow * sw + kw * dw].
  AffineExpr c, fh, fw, oh, ow;
  bindDims(context, c, fh, fw, oh, ow);
  AffineMap inputMap = AffineMap::get(5, 0,
                                      {c, oh * strides[0] + fh * dilations[0],
                                       ow * strides[1] + fw * dilations[1]},
                                      context);
  AffineMap outputMap = AffineMap::getMultiDimIdentityMap(5, context);
  SmallVector<utils::IteratorType> iterators(5, utils::IteratorType::parallel);
  Value patches =
      linalg::GenericOp::create(
          b, loc, empty.getType(), ValueRange{image}, ValueRange{empty},
          ArrayRef<AffineMap>{inputMap, outputMap}, iterators,
          [](OpBuilder &b, Location loc, ValueRange args) {
            linalg::YieldOp::create(b, loc, args[0]);
          })
          .getResult(0);
  return tensor::CollapseShapeOp::create(
             b, loc, patches, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3, 4}})
      .getResult();
}

/// Replaces `conv` with a loop over images of patch copies and matmuls. An
/// element-wise epilogue of the convolution (its activation) moves into the
/// loop, onto each image's matmul, where tamp-cpu-vectorize-matmul applies
/// it to the register blocks.
static void convertToMatmuls(RewriterBase &rewriter,
                             linalg::Conv2DNchwFchwOp conv) {
  Location loc = conv.getLoc();
  linalg::GenericOp epilogue = tamp::getElementwiseEpilogue(conv.getResult(0));
  if (epilogue &&
      epilogue.getResult(0).getType() != conv.getResult(0).getType())
    epilogue = nullptr;
  rewriter.setInsertionPoint(conv);
  Value input = conv.getInputs()[0];
  Value filter = conv.getInputs()[1];
  Value init = conv.getOutputs()[0];
  auto filterType = cast<RankedTensorType>(filter.getType());
  auto initType = cast<RankedTensorType>(init.getType());
  ArrayRef<int64_t> filterShape = filterType.getShape();
  SmallVector<int64_t> strides(conv.getStrides().getValues<int64_t>());
  SmallVector<int64_t> dilations(conv.getDilations().getValues<int64_t>());

  // Filter [F, C*Kh*Kw] and output [N, F, Oh*Ow]: contiguous views.
  Value filterMatrix =
      tensor::CollapseShapeOp::create(
          rewriter, loc, filter, ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}})
          .getResult();
  Value output =
      tensor::CollapseShapeOp::create(
          rewriter, loc, init, ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}})
          .getResult();
  auto outputType = cast<RankedTensorType>(output.getType());

  SmallVector<OpFoldResult> outputSpatial = {getSize(rewriter, loc, init, 2),
                                             getSize(rewriter, loc, init, 3)};
  OpFoldResult batches = getSize(rewriter, loc, init, 0);
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  Value batchEnd = getValueOrCreateConstantIndexOp(rewriter, loc, batches);
  OpFoldResult oneAttr = rewriter.getIndexAttr(1);
  OpFoldResult zeroAttr = rewriter.getIndexAttr(0);

  auto imageLoop = scf::ForOp::create(
      rewriter, loc, zero, batchEnd, one, ValueRange{output},
      [&](OpBuilder &b, Location loc, Value n, ValueRange iter) {
        // This image [C, H, W] of the padded input.
        auto inputType = cast<RankedTensorType>(input.getType());
        SmallVector<OpFoldResult> offsets = {n, zeroAttr, zeroAttr, zeroAttr};
        SmallVector<OpFoldResult> sizes = {oneAttr};
        for (int64_t d = 1; d < 4; ++d)
          sizes.push_back(getSize(b, loc, input, d));
        SmallVector<OpFoldResult> unitStrides(4, oneAttr);
        auto imageType = RankedTensorType::get(
            inputType.getShape().drop_front(), inputType.getElementType());
        Value image = tensor::ExtractSliceOp::create(
            b, loc, imageType, input, offsets, sizes, unitStrides);
        Value patches = createPatches(b, loc, image, filterShape, outputSpatial,
                                      strides, dilations);

        // This image's output [F, Oh*Ow], accumulated by the matmul.
        SmallVector<OpFoldResult> outOffsets = {n, zeroAttr, zeroAttr};
        SmallVector<OpFoldResult> outSizes = {
            oneAttr, getSize(b, loc, iter[0], 1), getSize(b, loc, iter[0], 2)};
        SmallVector<OpFoldResult> outStrides(3, oneAttr);
        auto sliceType = RankedTensorType::get(
            outputType.getShape().drop_front(), outputType.getElementType());
        Value outputSlice = tensor::ExtractSliceOp::create(
            b, loc, sliceType, iter[0], outOffsets, outSizes, outStrides);
        Value product =
            linalg::MatmulOp::create(b, loc, TypeRange{sliceType},
                                     ValueRange{filterMatrix, patches},
                                     ValueRange{outputSlice})
                .getResult(0);
        if (epilogue) {
          AffineMap identity = b.getMultiDimIdentityMap(2);
          Value empty = tensor::EmptyOp::create(
              b, loc, ArrayRef<OpFoldResult>(outSizes).drop_front(),
              sliceType.getElementType());
          product =
              linalg::GenericOp::create(
                  b, loc, sliceType, product, empty,
                  ArrayRef<AffineMap>{identity, identity},
                  SmallVector<utils::IteratorType>(
                      2, utils::IteratorType::parallel),
                  [&](OpBuilder &nb, Location nl, ValueRange args) {
                    linalg::YieldOp::create(
                        nb, nl,
                        tamp::applyEpilogueBody(nb, nl, epilogue, args[0]));
                  })
                  .getResult(0);
        }
        Value updated = tensor::InsertSliceOp::create(
            b, loc, product, iter[0], outOffsets, outSizes, outStrides);
        scf::YieldOp::create(b, loc, updated);
      });

  Value result =
      tensor::ExpandShapeOp::create(
          rewriter, loc, initType, imageLoop.getResult(0),
          ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}},
          SmallVector<OpFoldResult>{batches, getSize(rewriter, loc, init, 1),
                                    outputSpatial[0], outputSpatial[1]})
          .getResult();
  if (epilogue) {
    rewriter.replaceOp(epilogue, result);
    rewriter.eraseOp(conv);
    return;
  }
  rewriter.replaceOp(conv, result);
}

namespace {
struct ConvertConvToMatmulPass
    : public tamp::impl::ConvertConvToMatmulBase<ConvertConvToMatmulPass> {
  void runOnOperation() override {
    SmallVector<linalg::Conv2DNchwFchwOp> convs;
    getOperation().walk([&](linalg::Conv2DNchwFchwOp conv) {
      if (isConvertible(conv))
        convs.push_back(conv);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::Conv2DNchwFchwOp conv : convs)
      convertToMatmuls(rewriter, conv);
  }
};
} // namespace
