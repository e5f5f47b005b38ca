//===- VectorizeIntegerMatmul.cpp - i8 matmuls on AVX512-VNNI -------------===//
//
// `vpdpbusd` multiplies 64 unsigned bytes by 64 signed bytes and adds each
// group of four products to one of 16 i32 lanes. A register-blocked matmul
// on it reads, per step of four k, one 64-byte vector per 16 columns (the
// four k values of each column interleaved) and broadcasts four bytes of
// each row of the other operand; MR x 16V accumulators stay in registers.
//
// Quantized values are signed bytes here (see the tamp lowering); the
// unsigned operand is the signed one with its top bit flipped (q + 128), and
// the extra 128 * sum of the signed operand is subtracted from the
// accumulators up front (a constant: one operand is always a constant
// weight, whose layout is also fixed at compile time).
//
//===----------------------------------------------------------------------===//

#include "tamp/Target/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

namespace tamp {
#define GEN_PASS_DEF_VECTORIZEINTEGERMATMUL
#include "tamp/Target/CPU/Passes.h.inc"
} // namespace tamp

using namespace mlir;

/// Lanes of one accumulator and bytes of one operand vector.
static constexpr int64_t kLanes = 16;
static constexpr int64_t kBytes = 4 * kLanes;

/// The values of an i8 constant (possibly reshaped, which keeps the
/// row-major order), or nullopt.
static std::optional<SmallVector<int8_t>> getConstantBytes(Value value) {
  while (Operation *reshape =
             value.getDefiningOp<tensor::CollapseShapeOp>()
                 ? value.getDefiningOp()
                 : value.getDefiningOp<tensor::ExpandShapeOp>())
    value = reshape->getOperand(0);
  ElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) ||
      !attr.getElementType().isInteger(8))
    return std::nullopt;
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr))
    return llvm::to_vector(
        llvm::map_range(dense.getValues<APInt>(), [](const APInt &v) {
          return static_cast<int8_t>(v.getSExtValue());
        }));
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr))
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob()) {
      ArrayRef<char> data = blob->getData();
      return SmallVector<int8_t>(data.begin(), data.end());
    }
  return std::nullopt;
}

/// A constant of `shape` holding `values` (a blob, as weights are).
static Value createByteConstant(OpBuilder &b, Location loc,
                                ArrayRef<int64_t> shape,
                                ArrayRef<int8_t> values, StringRef name) {
  auto type = RankedTensorType::get(shape, b.getI8Type());
  auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
      ArrayRef<char>(reinterpret_cast<const char *>(values.data()),
                     values.size()),
      /*align=*/64);
  return arith::ConstantOp::create(
      b, loc, DenseResourceElementsAttr::get(type, name, std::move(blob)));
}

static Value createI32Constant(OpBuilder &b, Location loc,
                               ArrayRef<int32_t> values) {
  auto type = RankedTensorType::get({int64_t(values.size())}, b.getI32Type());
  return arith::ConstantOp::create(b, loc,
                                   DenseIntElementsAttr::get(type, values));
}

namespace {

/// The operands of the kernel: `broadcast` [M, K4 * 4] (four bytes per row
/// and step broadcast to all lanes) and `interleaved` [K4, Np * 4] (row k4
/// holds, for each column n, the four values k = 4 k4 .. 4 k4 + 3).
/// `correction` is subtracted from the accumulators: per column ([Np]) or
/// per row ([M]).
struct KernelOperands {
  Value broadcast, interleaved, correction;
  bool broadcastIsUnsigned;
  bool correctionPerRow;
  int64_t k4, paddedN;
};

struct IntegerMatmulKernel {
  OpBuilder &b;
  Location loc;
  const KernelOperands &operands;
  int64_t n;
  bool useVnni;

  Value index(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }

  /// Four bytes of row `row` at step `k4`, in every lane.
  Value broadcastQuad(OpBuilder &b, Location loc, Value row, Value k4) {
    Value column = arith::MulIOp::create(b, loc, k4, index(4));
    Value padding = arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(0));
    Value quad = vector::TransferReadOp::create(
        b, loc, VectorType::get({4}, b.getI8Type()), operands.broadcast,
        ValueRange{row, column}, padding, ArrayRef<bool>{true});
    Value word = vector::BitCastOp::create(
        b, loc, VectorType::get({1}, b.getI32Type()), quad);
    Value scalar = vector::ExtractOp::create(b, loc, word, 0);
    Value lanes = vector::BroadcastOp::create(
        b, loc, VectorType::get({kLanes}, b.getI32Type()), scalar);
    return vector::BitCastOp::create(
        b, loc, VectorType::get({kBytes}, b.getI8Type()), lanes);
  }

  /// acc[i] + sum_{t < 4} unsignedBytes[4 i + t] * signedBytes[4 i + t]:
  /// `vpdpbusd`, or the same in portable vector arithmetic.
  Value dot(OpBuilder &b, Location loc, Value acc, Value unsignedBytes,
            Value signedBytes) {
    if (!useVnni) {
      // Byte t of every group of four, for each t: shuffles and widening
      // that every target lowers.
      auto wide = VectorType::get({kLanes}, b.getI32Type());
      for (int64_t t = 0; t < 4; ++t) {
        SmallVector<int64_t> mask;
        for (int64_t lane = 0; lane < kLanes; ++lane)
          mask.push_back(4 * lane + t);
        Value u = vector::ShuffleOp::create(b, loc, unsignedBytes,
                                            unsignedBytes, mask);
        Value s =
            vector::ShuffleOp::create(b, loc, signedBytes, signedBytes, mask);
        Value product = arith::MulIOp::create(
            b, loc, arith::ExtUIOp::create(b, loc, wide, u),
            arith::ExtSIOp::create(b, loc, wide, s));
        acc = arith::AddIOp::create(b, loc, acc, product);
      }
      return acc;
    }
    return LLVM::CallIntrinsicOp::create(
               b, loc, acc.getType(),
               b.getStringAttr("llvm.x86.avx512.vpdpbusd.512"),
               ValueRange{acc, unsignedBytes, signedBytes})
        .getResult(0);
  }

  /// Updates the `rows` x (16 * `vectors`) block of `output` at (i, j);
  /// `inBounds` is false for the last block of a column count that is not
  /// a multiple of 16.
  Value emitBlock(OpBuilder &b, Location loc, Value output, Value i, Value j,
                  int64_t rows, int64_t vectors, bool inBounds) {
    Type i32 = b.getI32Type();
    auto accType = VectorType::get({kLanes}, i32);
    Value zero = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(0));
    auto column = [&](OpBuilder &b, Location loc, int64_t v) -> Value {
      return arith::AddIOp::create(b, loc, j, index(v * kLanes));
    };
    auto rowIndex = [&](OpBuilder &b, Location loc, int64_t r) -> Value {
      return arith::AddIOp::create(b, loc, i, index(r));
    };
    SmallVector<Value> accs;
    for (int64_t r = 0; r < rows; ++r) {
      Value row = rowIndex(b, loc, r);
      Value rowCorrection;
      if (operands.correctionPerRow) {
        Value scalar =
            tensor::ExtractOp::create(b, loc, operands.correction, row);
        rowCorrection = vector::BroadcastOp::create(b, loc, accType, scalar);
      }
      for (int64_t v = 0; v < vectors; ++v) {
        Value acc = vector::TransferReadOp::create(
            b, loc, accType, output, ValueRange{row, column(b, loc, v)}, zero,
            ArrayRef<bool>{inBounds});
        Value correction =
            rowCorrection
                ? rowCorrection
                : vector::TransferReadOp::create(
                      b, loc, accType, operands.correction,
                      ValueRange{column(b, loc, v)}, zero, ArrayRef<bool>{true})
                      .getResult();
        accs.push_back(arith::SubIOp::create(b, loc, acc, correction));
      }
    }
    auto reduction = scf::ForOp::create(
        b, loc, index(0), index(operands.k4), index(1), accs,
        [&](OpBuilder &b, Location loc, Value k4, ValueRange iter) {
          Value padding =
              arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(0));
          SmallVector<Value> interleaved;
          for (int64_t v = 0; v < vectors; ++v) {
            Value offset =
                arith::MulIOp::create(b, loc, column(b, loc, v), index(4));
            interleaved.push_back(vector::TransferReadOp::create(
                b, loc, VectorType::get({kBytes}, b.getI8Type()),
                operands.interleaved, ValueRange{k4, offset}, padding,
                ArrayRef<bool>{true}));
          }
          SmallVector<Value> updated;
          for (int64_t r = 0; r < rows; ++r) {
            Value quad = broadcastQuad(b, loc, rowIndex(b, loc, r), k4);
            for (int64_t v = 0; v < vectors; ++v) {
              Value acc = iter[r * vectors + v];
              updated.push_back(operands.broadcastIsUnsigned
                                    ? dot(b, loc, acc, quad, interleaved[v])
                                    : dot(b, loc, acc, interleaved[v], quad));
            }
          }
          scf::YieldOp::create(b, loc, updated);
        });
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t v = 0; v < vectors; ++v)
        output = vector::TransferWriteOp::create(
                     b, loc, reduction.getResult(r * vectors + v), output,
                     ValueRange{rowIndex(b, loc, r), column(b, loc, v)},
                     ArrayRef<bool>{inBounds})
                     .getResult();
    return output;
  }

  /// Rows [rowBegin, rowEnd) in blocks of `rows`: full column blocks of
  /// 16 * `vectors`, then 16-column blocks (the last one masked when n is
  /// not a multiple of 16).
  Value emitRows(Value output, Value rowBegin, Value rowEnd, int64_t rows,
                 int64_t vectors) {
    int64_t blockColumns = kLanes * vectors;
    int64_t fullEnd = n / blockColumns * blockColumns;
    auto rowLoop = scf::ForOp::create(
        b, loc, rowBegin, rowEnd, index(rows), ValueRange{output},
        [&](OpBuilder &b, Location loc, Value i, ValueRange rowIter) {
          Value updated = rowIter[0];
          if (fullEnd > 0)
            updated =
                scf::ForOp::create(
                    b, loc, index(0), index(fullEnd), index(blockColumns),
                    ValueRange{updated},
                    [&](OpBuilder &b, Location loc, Value j, ValueRange iter) {
                      scf::YieldOp::create(b, loc,
                                           emitBlock(b, loc, iter[0], i, j,
                                                     rows, vectors,
                                                     /*inBounds=*/true));
                    })
                    .getResult(0);
          for (int64_t j = fullEnd; j < n; j += kLanes)
            updated = emitBlock(b, loc, updated, i, index(j), rows, 1,
                                /*inBounds=*/j + kLanes <= n);
          scf::YieldOp::create(b, loc, updated);
        });
    return rowLoop.getResult(0);
  }
};

/// [rows, cols] i8 -> [rows, roundUp(cols, 4)] with zero columns, at compile
/// time.
SmallVector<int8_t> padColumns(ArrayRef<int8_t> values, int64_t rows,
                               int64_t cols, int64_t paddedCols) {
  SmallVector<int8_t> padded(rows * paddedCols, 0);
  for (int64_t r = 0; r < rows; ++r)
    std::copy_n(values.begin() + r * cols, cols,
                padded.begin() + r * paddedCols);
  return padded;
}

/// The VNNI kernel for C[M, N] + A[M, K] x B[K, N] (i8 x i8 -> i32), K and
/// N static; returns the new C.
Value emitIntegerMatmul(OpBuilder &rewriter, Location loc, Value lhs, Value rhs,
                        Value init, bool useVnni) {
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto initType = cast<RankedTensorType>(init.getType());
  int64_t m = initType.getDimSize(0), n = initType.getDimSize(1),
          k = lhsType.getDimSize(1);
  int64_t k4 = llvm::divideCeil(k, 4), paddedK = 4 * k4;
  int64_t paddedN = llvm::alignTo(n, kLanes);
  std::optional<SmallVector<int8_t>> constantRhs = getConstantBytes(rhs);
  std::optional<SmallVector<int8_t>> constantLhs =
      constantRhs || ShapedType::isDynamic(m) ? std::nullopt
                                              : getConstantBytes(lhs);
  MLIRContext *ctx = rewriter.getContext();
  Type i8 = rewriter.getI8Type();
  Value flip =
      arith::ConstantOp::create(rewriter, loc, rewriter.getI8IntegerAttr(-128));

  /// `value` [rows, cols] zero-padded to [rows + padRows, cols + padCols].
  auto padRuntime = [&](Value value, int64_t padRows,
                        int64_t padCols) -> Value {
    if (padRows == 0 && padCols == 0)
      return value;
    Value zero =
        arith::ConstantOp::create(rewriter, loc, rewriter.getI8IntegerAttr(0));
    return tensor::PadOp::create(
               rewriter, loc, Type(), value,
               ArrayRef<OpFoldResult>{rewriter.getIndexAttr(0),
                                      rewriter.getIndexAttr(0)},
               ArrayRef<OpFoldResult>{rewriter.getIndexAttr(padRows),
                                      rewriter.getIndexAttr(padCols)},
               zero)
        .getResult();
  };

  KernelOperands operands;
  operands.k4 = k4;
  operands.paddedN = paddedN;
  if (constantRhs) {
    // B [K, N] is a weight: interleave it now; A's bytes, flipped, are the
    // unsigned broadcast operand, which adds 128 * colsum(B).
    SmallVector<int8_t> interleaved(k4 * paddedN * 4, 0);
    SmallVector<int32_t> correction(paddedN, 0);
    for (int64_t kk = 0; kk < k; ++kk)
      for (int64_t j = 0; j < n; ++j) {
        int8_t value = (*constantRhs)[kk * n + j];
        interleaved[(kk / 4) * paddedN * 4 + j * 4 + kk % 4] = value;
        correction[j] += 128 * value;
      }
    operands.interleaved = createByteConstant(rewriter, loc, {k4, paddedN * 4},
                                              interleaved, "vnni_weight");
    operands.correction = createI32Constant(rewriter, loc, correction);
    operands.correctionPerRow = false;
    operands.broadcastIsUnsigned = true;
    // A flipped (and zero-padded along K): one pass over the activations.
    Value padded = padRuntime(lhs, 0, paddedK - k);
    SmallVector<OpFoldResult> sizes = {
        ShapedType::isDynamic(m)
            ? OpFoldResult(
                  tensor::DimOp::create(rewriter, loc, lhs, 0).getResult())
            : OpFoldResult(rewriter.getIndexAttr(m)),
        rewriter.getIndexAttr(paddedK)};
    Value empty = tensor::EmptyOp::create(rewriter, loc, sizes, i8);
    AffineMap identity = AffineMap::getMultiDimIdentityMap(2, ctx);
    operands.broadcast =
        linalg::GenericOp::create(
            rewriter, loc, empty.getType(), padded, empty,
            ArrayRef<AffineMap>{identity, identity},
            SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
            [&](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(
                  b, l, arith::XOrIOp::create(b, l, args[0], flip).getResult());
            })
            .getResult(0);
  } else {
    // B's bytes, flipped and interleaved at run time, are the unsigned
    // operand, which adds 128 * rowsum(A); A's bytes are broadcast as they
    // are. A [M, K] is a weight (a convolution's filter), padded now, or
    // an activation (attention's products), padded at run time.
    operands.correctionPerRow = true;
    operands.broadcastIsUnsigned = false;
    if (constantLhs) {
      SmallVector<int32_t> correction(m, 0);
      for (int64_t i = 0; i < m; ++i)
        for (int64_t kk = 0; kk < k; ++kk)
          correction[i] += 128 * (*constantLhs)[i * k + kk];
      operands.broadcast = createByteConstant(
          rewriter, loc, {m, paddedK}, padColumns(*constantLhs, m, k, paddedK),
          "vnni_filter");
      operands.correction = createI32Constant(rewriter, loc, correction);
    } else {
      operands.broadcast = padRuntime(lhs, 0, paddedK - k);
      // correction[i] = 128 * sum_k A[i, k].
      SmallVector<OpFoldResult> rows = {
          ShapedType::isDynamic(m)
              ? OpFoldResult(
                    tensor::DimOp::create(rewriter, loc, lhs, 0).getResult())
              : OpFoldResult(rewriter.getIndexAttr(m))};
      Value zero = arith::ConstantOp::create(rewriter, loc,
                                             rewriter.getI32IntegerAttr(0));
      Value sums =
          linalg::FillOp::create(rewriter, loc, zero,
                                 tensor::EmptyOp::create(rewriter, loc, rows,
                                                         rewriter.getI32Type())
                                     .getResult())
              .getResult(0);
      AffineExpr row, column;
      bindDims(ctx, row, column);
      operands.correction =
          linalg::GenericOp::create(
              rewriter, loc, sums.getType(), lhs, sums,
              ArrayRef<AffineMap>{AffineMap::get(2, 0, {row, column}, ctx),
                                  AffineMap::get(2, 0, {row}, ctx)},
              ArrayRef<utils::IteratorType>{utils::IteratorType::parallel,
                                            utils::IteratorType::reduction},
              [&](OpBuilder &b, Location l, ValueRange args) {
                Value wide =
                    arith::ExtSIOp::create(b, l, b.getI32Type(), args[0]);
                Value scaled = arith::ShLIOp::create(
                    b, l, wide,
                    arith::ConstantOp::create(b, l, b.getI32IntegerAttr(7)));
                linalg::YieldOp::create(
                    b, l,
                    arith::AddIOp::create(b, l, args[1], scaled).getResult());
              })
              .getResult(0);
    }
    // interleaved[k4, j * 4 + t] = flip(B[4 k4 + t, j]).
    Value padded = padRuntime(rhs, paddedK - k, paddedN - n);
    Value empty = tensor::EmptyOp::create(
        rewriter, loc, ArrayRef<int64_t>{k4, paddedN, 4}, i8);
    AffineExpr kq, j, t;
    bindDims(ctx, kq, j, t);
    Value interleaved =
        linalg::GenericOp::create(
            rewriter, loc, empty.getType(), padded, empty,
            ArrayRef<AffineMap>{AffineMap::get(3, 0, {kq * 4 + t, j}, ctx),
                                AffineMap::getMultiDimIdentityMap(3, ctx)},
            SmallVector<utils::IteratorType>(3, utils::IteratorType::parallel),
            [&](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(
                  b, l, arith::XOrIOp::create(b, l, args[0], flip).getResult());
            })
            .getResult(0);
    operands.interleaved = tensor::CollapseShapeOp::create(
        rewriter, loc, interleaved,
        ArrayRef<ReassociationIndices>{{0}, {1, 2}});
  }

  IntegerMatmulKernel kernel{rewriter, loc, operands, n, useVnni};
  // Up to 4 rows and 4 vectors: 16 accumulators and 4 operand vectors of
  // AVX-512's 32 registers.
  int64_t vectors = paddedN % (4 * kLanes) == 0 && n >= 4 * kLanes   ? 4
                    : paddedN % (2 * kLanes) == 0 && n >= 2 * kLanes ? 2
                                                                     : 1;
  Value zero = kernel.index(0);
  Value result;
  if (!ShapedType::isDynamic(m)) {
    int64_t rows = m % 4 == 0 ? 4 : m % 3 == 0 ? 3 : m % 2 == 0 ? 2 : 1;
    result = kernel.emitRows(init, zero, kernel.index(m), rows, vectors);
  } else {
    Value count = tensor::DimOp::create(rewriter, loc, init, 0);
    Value blockedEnd = arith::SubIOp::create(
        rewriter, loc, count,
        arith::RemUIOp::create(rewriter, loc, count, kernel.index(4)));
    result = kernel.emitRows(init, zero, blockedEnd, 4, vectors);
    result = kernel.emitRows(result, blockedEnd, count, 1, vectors);
  }
  return result;
}

/// linalg.batch_matmul as a loop over the batch of 2-D kernels.
Value emitIntegerBatchMatmul(OpBuilder &b, Location loc, Value lhs, Value rhs,
                             Value init, bool useVnni) {
  auto sliceOf = [](OpBuilder &b, Location loc, Value value,
                    Value batch) -> Value {
    auto type = cast<RankedTensorType>(value.getType());
    SmallVector<OpFoldResult> offsets = {batch, b.getIndexAttr(0),
                                         b.getIndexAttr(0)};
    SmallVector<OpFoldResult> sizes = {b.getIndexAttr(1)};
    for (int64_t dim = 1; dim < 3; ++dim)
      sizes.push_back(
          type.isDynamicDim(dim)
              ? OpFoldResult(
                    tensor::DimOp::create(b, loc, value, dim).getResult())
              : OpFoldResult(b.getIndexAttr(type.getDimSize(dim))));
    SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
    auto sliceType = RankedTensorType::get(type.getShape().drop_front(),
                                           type.getElementType());
    return tensor::ExtractSliceOp::create(b, loc, sliceType, value, offsets,
                                          sizes, strides);
  };
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value batches = tensor::DimOp::create(b, loc, init, 0);
  return scf::ForOp::create(
             b, loc, zero, batches, one, ValueRange{init},
             [&](OpBuilder &b, Location loc, Value batch, ValueRange iter) {
               Value product =
                   emitIntegerMatmul(b, loc, sliceOf(b, loc, lhs, batch),
                                     sliceOf(b, loc, rhs, batch),
                                     sliceOf(b, loc, iter[0], batch), useVnni);
               auto type = cast<RankedTensorType>(iter[0].getType());
               SmallVector<OpFoldResult> offsets = {batch, b.getIndexAttr(0),
                                                    b.getIndexAttr(0)};
               SmallVector<OpFoldResult> sizes = {
                   b.getIndexAttr(1),
                   type.isDynamicDim(1)
                       ? OpFoldResult(tensor::DimOp::create(b, loc, iter[0], 1)
                                          .getResult())
                       : OpFoldResult(b.getIndexAttr(type.getDimSize(1))),
                   b.getIndexAttr(type.getDimSize(2))};
               SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
               scf::YieldOp::create(
                   b, loc,
                   tensor::InsertSliceOp::create(b, loc, product, iter[0],
                                                 offsets, sizes, strides)
                       .getResult());
             })
      .getResult(0);
}

/// A plain matmul or batch_matmul (default maps) of i8 tensors into i32
/// whose reduction and column sizes are static.
bool isIntegerMatmul(linalg::LinalgOp op) {
  auto matmul = dyn_cast<linalg::MatmulOp>(op.getOperation());
  auto batchMatmul = dyn_cast<linalg::BatchMatmulOp>(op.getOperation());
  if ((!matmul && !batchMatmul) || !op.hasPureTensorSemantics() ||
      (matmul && matmul.hasUserDefinedMaps()) ||
      (batchMatmul && batchMatmul.hasUserDefinedMaps()))
    return false;
  auto lhs = dyn_cast<RankedTensorType>(op.getDpsInputs()[0].getType());
  auto rhs = dyn_cast<RankedTensorType>(op.getDpsInputs()[1].getType());
  auto init = dyn_cast<RankedTensorType>(op.getDpsInits()[0].getType());
  if (!lhs || !rhs || !init || !lhs.getElementType().isInteger(8) ||
      !rhs.getElementType().isInteger(8) ||
      !init.getElementType().isInteger(32))
    return false;
  int64_t rank = lhs.getRank();
  return !lhs.isDynamicDim(rank - 1) && !rhs.isDynamicDim(rank - 2) &&
         !rhs.isDynamicDim(rank - 1);
}

struct VectorizeIntegerMatmulPass
    : public tamp::impl::VectorizeIntegerMatmulBase<
          VectorizeIntegerMatmulPass> {
  using Base::Base;

  void runOnOperation() override {
    if (dotProduct != "avx512-vnni" && dotProduct != "generic") {
      getOperation().emitError("unknown dot-product '")
          << dotProduct << "' (expected avx512-vnni or generic)";
      return signalPassFailure();
    }
    bool useVnni = dotProduct == "avx512-vnni";
    SmallVector<linalg::LinalgOp> matmuls;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isIntegerMatmul(op))
        matmuls.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : matmuls) {
      rewriter.setInsertionPoint(op);
      Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1];
      Value init = op.getDpsInits()[0];
      rewriter.replaceOp(op,
                         isa<linalg::BatchMatmulOp>(op.getOperation())
                             ? emitIntegerBatchMatmul(rewriter, op.getLoc(),
                                                      lhs, rhs, init, useVnni)
                             : emitIntegerMatmul(rewriter, op.getLoc(), lhs,
                                                 rhs, init, useVnni));
    }
  }
};

} // namespace
