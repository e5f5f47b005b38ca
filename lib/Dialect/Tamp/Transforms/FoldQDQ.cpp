//===- FoldQDQ.cpp - Pre-quantized models onto the integer kernels --------===//
//
// ONNX models quantized by other tools (QuantizeLinear/DequantizeLinear
// around float ops, QLinearConv, QLinearMatMul, QGemm) import as
// tamp.quantize / tamp.dequantize around float ops: correct, but computed in
// float. These patterns rewrite them into the quant-typed form that
// tamp-quantize produces, so that the integer kernels run them:
//
//   1. A tamp.quantize with constant per-tensor 8-bit parameters whose users
//      dequantize with the same parameters (possibly after integer max_pool,
//      reshape, flatten or transpose) becomes quant.qcast, the dequantizes
//      quant.dcast, the ops between them quant-typed.
//   2. quant.qcast moves up through ops that commute with the monotone
//      quantization (clamp, max_pool, data movement, concat), quant.dcast
//      down through those that commute with dequantization, and a
//      qcast(dcast(x)) of one type is x.
//   3. tamp.conv / tamp.linear / tamp.matmul whose activations are
//      quant.dcast, whose weight is a tamp.dequantize of a constant signed
//      8-bit tensor (symmetric, per tensor or per output channel) and whose
//      bias is a tamp.dequantize of an i32 constant at scale
//      input_scale * weight_scale take the quantized operands; a float
//      tamp.matmul by such a weight becomes tamp.linear.
//   4. A quant.qcast of such an op's float result becomes its requantized
//      result.
//
// Whatever does not match (non-constant or non-8-bit parameters, per-axis
// activations, asymmetric or blocked weights, biases at another scale) stays
// as imported, in float.
//
//===----------------------------------------------------------------------===//

#include "tamp/Dialect/Tamp/IR/TampDialect.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Dialect/Tamp/IR/TampQuantization.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/DenseMap.h"

#include <cmath>

namespace tamp {
#define GEN_PASS_DEF_FOLDQDQ
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"
} // namespace tamp

using namespace mlir;
using namespace tamp;

namespace {

//===----------------------------------------------------------------------===//
// Constant parameters
//===----------------------------------------------------------------------===//

/// The integer values of a constant (dense, or a dense resource of i8, ui8 or
/// i32), or nullopt.
std::optional<SmallVector<int64_t>> readIntegerConstant(Value value) {
  ElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  auto widen = [](auto data) {
    return SmallVector<int64_t>(data.begin(), data.end());
  };
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    bool isUnsigned = dense.getElementType().isUnsignedInteger();
    SmallVector<int64_t> values;
    for (const APInt &element : dense.getValues<APInt>())
      values.push_back(isUnsigned ? int64_t(element.getZExtValue())
                                  : element.getSExtValue());
    return values;
  }
  if (auto resource = dyn_cast<DenseI8ResourceElementsAttr>(attr))
    if (std::optional<ArrayRef<int8_t>> data = resource.tryGetAsArrayRef())
      return widen(*data);
  if (auto resource = dyn_cast<DenseUI8ResourceElementsAttr>(attr))
    if (std::optional<ArrayRef<uint8_t>> data = resource.tryGetAsArrayRef())
      return widen(*data);
  if (auto resource = dyn_cast<DenseI32ResourceElementsAttr>(attr))
    if (std::optional<ArrayRef<int32_t>> data = resource.tryGetAsArrayRef())
      return widen(*data);
  return std::nullopt;
}

/// The values of an f32 scale: a constant, or the tamp.mul of two (the
/// importer writes a QLinearConv bias scale as x_scale * w_scale), multiplied
/// in f32 as the runtime would. One value broadcasts against many.
std::optional<SmallVector<float>> readScale(Value value) {
  if (std::optional<SmallVector<float>> values = getConstantF32Values(value))
    return values;
  auto mul = value.getDefiningOp<MulOp>();
  if (!mul)
    return std::nullopt;
  std::optional<SmallVector<float>> lhs = readScale(mul.getLhs());
  std::optional<SmallVector<float>> rhs = readScale(mul.getRhs());
  if (!lhs || !rhs ||
      (lhs->size() != rhs->size() && lhs->size() != 1 && rhs->size() != 1))
    return std::nullopt;
  size_t size = std::max(lhs->size(), rhs->size());
  SmallVector<float> product;
  for (size_t i = 0; i < size; ++i)
    product.push_back((*lhs)[lhs->size() == 1 ? 0 : i] *
                      (*rhs)[rhs->size() == 1 ? 0 : i]);
  return product;
}

bool isPositiveFinite(double value) {
  return value > 0.0 && std::isfinite(value);
}

/// The per-tensor 8-bit type that quantizes f32 values to `storage` with the
/// constant single-element `scale` and optional `zeroPoint`, or null.
quant::UniformQuantizedType getPerTensorType(Type storage, Value scale,
                                             Value zeroPoint) {
  auto integer = dyn_cast<IntegerType>(storage);
  if (!integer || integer.getWidth() != 8 || integer.isSigned())
    return {};
  std::optional<SmallVector<float>> scales = getConstantF32Values(scale);
  if (!scales || scales->size() != 1 || !isPositiveFinite(scales->front()))
    return {};
  int64_t zero = 0;
  if (zeroPoint) {
    std::optional<SmallVector<int64_t>> zeros = readIntegerConstant(zeroPoint);
    if (!zeros || zeros->size() != 1)
      return {};
    zero = zeros->front();
  }
  bool isUnsigned = integer.isUnsigned();
  int64_t qmin = isUnsigned ? 0 : -128, qmax = isUnsigned ? 255 : 127;
  if (zero < qmin || zero > qmax)
    return {};
  MLIRContext *ctx = storage.getContext();
  return quant::UniformQuantizedType::get(
      isUnsigned ? 0 : quant::QuantizationFlags::Signed,
      IntegerType::get(ctx, 8), Float32Type::get(ctx), scales->front(), zero,
      qmin, qmax);
}

/// The per-tensor type of a tamp.quantize or tamp.dequantize between f32 and
/// 8-bit integers, or null.
template <typename OpTy>
quant::UniformQuantizedType getPerTensorType(OpTy op, Type storage) {
  if (op.getBlockSize() != 0 ||
      !op.getScale().getType().getElementType().isF32())
    return {};
  return getPerTensorType(storage, op.getScale(), op.getZeroPoint());
}

RankedTensorType withElementType(Value value, Type element) {
  return cast<RankedTensorType>(value.getType()).clone(element);
}

//===----------------------------------------------------------------------===//
// Constant weights and biases
//===----------------------------------------------------------------------===//

/// A constant signed 8-bit weight dequantized symmetrically per tensor or
/// along `channelDim`: its codes and its scales (one, or one per channel).
struct QuantizedWeight {
  SmallVector<int8_t> codes;
  SmallVector<double> scales;
  RankedTensorType type;
};

std::optional<QuantizedWeight> readQuantizedWeight(Value value,
                                                   int64_t channelDim) {
  auto dequantize = value.getDefiningOp<DequantizeOp>();
  if (!dequantize || dequantize.getBlockSize() != 0 ||
      !dequantize.getType().getElementType().isF32())
    return std::nullopt;
  RankedTensorType type = dequantize.getInput().getType();
  if (!type.hasStaticShape() || !type.getElementType().isSignlessInteger(8))
    return std::nullopt;
  std::optional<SmallVector<int64_t>> codes =
      readIntegerConstant(dequantize.getInput());
  std::optional<SmallVector<float>> scales =
      getConstantF32Values(dequantize.getScale());
  if (!codes || !scales)
    return std::nullopt;
  int64_t axis = dequantize.getAxis();
  if (axis < 0)
    axis += type.getRank();
  if (scales->size() != 1 &&
      (axis != channelDim ||
       int64_t(scales->size()) != type.getDimSize(channelDim)))
    return std::nullopt;
  if (!llvm::all_of(*scales, isPositiveFinite))
    return std::nullopt;
  if (Value zeroPoint = dequantize.getZeroPoint()) {
    std::optional<SmallVector<int64_t>> zeros = readIntegerConstant(zeroPoint);
    if (!zeros || llvm::any_of(*zeros, [](int64_t zero) { return zero != 0; }))
      return std::nullopt;
  }
  QuantizedWeight weight;
  weight.codes.assign(codes->begin(), codes->end());
  weight.scales.assign(scales->begin(), scales->end());
  weight.type = type;
  return weight;
}

/// `weight` as a quant.scast of an i8 constant: the per-tensor type for one
/// scale, else the per-axis type along `channelDim`.
Value createWeight(PatternRewriter &rewriter, Location loc,
                   const QuantizedWeight &weight, int64_t channelDim) {
  Type i8 = rewriter.getI8Type(), f32 = rewriter.getF32Type();
  RankedTensorType type = weight.type;
  quant::QuantizedType elementType;
  if (weight.scales.size() == 1)
    elementType = quant::UniformQuantizedType::get(
        quant::QuantizationFlags::Signed, i8, f32, weight.scales.front(), 0,
        -128, 127);
  else
    elementType = quant::UniformQuantizedPerAxisType::get(
        quant::QuantizationFlags::Signed, i8, f32, weight.scales,
        SmallVector<int64_t>(weight.scales.size(), 0), channelDim, -128, 127);
  RankedTensorType storageType = type.clone(i8);
  auto blob = HeapAsmResourceBlob::allocateAndCopyInferAlign(
      ArrayRef<int8_t>(weight.codes));
  auto attr = DenseResourceElementsAttr::get(storageType, "quantized_weight",
                                             std::move(blob));
  Value storage = ConstantOp::create(rewriter, loc, attr);
  return quant::StorageCastOp::create(rewriter, loc, type.clone(elementType),
                                      storage);
}

/// The i32 bias of an integer kernel from a float bias operand: a
/// tamp.dequantize of an i32 constant (zero point 0) whose scale is
/// input_scale * weight_scale[o] to float rounding, as QDQ and QLinearConv
/// biases are. An absent bias gives a null value; anything else fails.
FailureOr<Value> readIntegerBias(PatternRewriter &rewriter, Location loc,
                                 Value bias, double inputScale,
                                 ArrayRef<double> weightScales,
                                 int64_t channels) {
  if (!bias)
    return Value();
  auto dequantize = bias.getDefiningOp<DequantizeOp>();
  if (!dequantize || dequantize.getBlockSize() != 0 ||
      !dequantize.getInput().getType().getElementType().isSignlessInteger(32))
    return failure();
  std::optional<SmallVector<int64_t>> values =
      readIntegerConstant(dequantize.getInput());
  std::optional<SmallVector<float>> scales = readScale(dequantize.getScale());
  if (!values || !scales || int64_t(values->size()) != channels ||
      (scales->size() != 1 && int64_t(scales->size()) != channels))
    return failure();
  if (Value zeroPoint = dequantize.getZeroPoint()) {
    std::optional<SmallVector<int64_t>> zeros = readIntegerConstant(zeroPoint);
    if (!zeros || llvm::any_of(*zeros, [](int64_t zero) { return zero != 0; }))
      return failure();
  }
  // Both scales are products of the same f32 values; allow for the
  // rounding of one f32 multiplication.
  constexpr double tolerance = 1e-6;
  for (int64_t channel = 0; channel < channels; ++channel) {
    double expected =
        inputScale * weightScales[weightScales.size() == 1 ? 0 : channel];
    double actual = (*scales)[scales->size() == 1 ? 0 : channel];
    if (std::abs(actual - expected) > tolerance * expected)
      return failure();
  }
  SmallVector<int32_t> narrow(values->begin(), values->end());
  auto type = RankedTensorType::get({channels}, rewriter.getI32Type());
  return ConstantOp::create(rewriter, loc,
                            DenseIntElementsAttr::get(type, ArrayRef(narrow)))
      .getResult();
}

/// The per-tensor 8-bit quantized value that `value` dequantizes, or null.
Value getDequantizedSource(Value value) {
  auto dcast = value.getDefiningOp<quant::DequantizeCastOp>();
  if (!dcast)
    return {};
  auto type = dyn_cast<quant::UniformQuantizedType>(
      getElementTypeOrSelf(dcast.getInput().getType()));
  if (!type || type.getStorageTypeIntegralWidth() != 8 ||
      !type.getExpressedType().isF32())
    return {};
  return dcast.getInput();
}

double getScale(Value quantized) {
  return cast<quant::UniformQuantizedType>(getElementTypeOrSelf(quantized))
      .getScale();
}

//===----------------------------------------------------------------------===//
// quantize -> dequantize pairs
//===----------------------------------------------------------------------===//

/// Integer ops that move quantized values without changing them, so that a
/// tamp.quantize reaches its tamp.dequantize through them (QOperator models
/// keep MaxPool on the uint8 tensor).
bool movesIntegerValues(Operation *op) {
  return isa<MaxPoolOp, ReshapeOp, FlattenOp, TransposeOp>(op);
}

/// tamp.quantize(x) -> ... -> tamp.dequantize with the same constant
/// per-tensor parameters becomes quant.qcast(x) -> ... -> quant.dcast.
struct LiftQuantizeDequantize : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getInput().getType().getElementType().isF32())
      return failure();
    quant::UniformQuantizedType type =
        getPerTensorType(op, op.getType().getElementType());
    if (!type)
      return failure();
    // The dequantizes of the result with the same parameters, directly or
    // through integer data movement.
    SmallVector<DequantizeOp> dequantizes;
    SmallVector<Value> worklist = {op.getResult()};
    while (!worklist.empty()) {
      Value value = worklist.pop_back_val();
      for (OpOperand &use : value.getUses()) {
        Operation *user = use.getOwner();
        if (auto dequantize = dyn_cast<DequantizeOp>(user)) {
          if (dequantize.getType().getElementType().isF32() &&
              getPerTensorType(dequantize, op.getType().getElementType()) ==
                  type)
            dequantizes.push_back(dequantize);
        } else if (movesIntegerValues(user) && use.getOperandNumber() == 0) {
          worklist.push_back(user->getResult(0));
        }
      }
    }
    if (dequantizes.empty())
      return failure();

    rewriter.setInsertionPointAfter(op);
    llvm::DenseMap<Value, Value> quantized;
    quantized[op.getResult()] = quant::QuantizeCastOp::create(
        rewriter, op.getLoc(), withElementType(op.getResult(), type),
        op.getInput());
    // The quant-typed twin of an integer value on the way to a dequantize.
    std::function<Value(Value)> lift = [&](Value value) -> Value {
      if (Value known = quantized.lookup(value))
        return known;
      Operation *mover = value.getDefiningOp();
      Value input = lift(mover->getOperand(0));
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPoint(mover);
      Operation *twin = rewriter.clone(*mover);
      twin->setOperand(0, input);
      twin->getResult(0).setType(withElementType(value, type));
      return quantized[value] = twin->getResult(0);
    };
    for (DequantizeOp dequantize : dequantizes) {
      Value source = lift(dequantize.getInput());
      rewriter.setInsertionPoint(dequantize);
      rewriter.replaceOpWithNewOp<quant::DequantizeCastOp>(
          dequantize, dequantize.getType(), source);
    }
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Moving qcast and dcast
//===----------------------------------------------------------------------===//

/// Ops whose result quantizes like their input: quantization is monotone, so
/// it commutes with clamping, taking maxima and moving data.
bool commutesWithQuantization(Operation *op) {
  return isa<ClampOp, MaxPoolOp, ReshapeOp, FlattenOp, TransposeOp, ConcatOp>(
      op);
}

/// quant.qcast(M(x)) -> M(quant.qcast(x)) for M commuting with quantization
/// and used only by the qcast: M then runs on the quantized values (a
/// quantized clamp at the quantized bounds).
struct SinkQuantizeCast : OpRewritePattern<quant::QuantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(quant::QuantizeCastOp op,
                                PatternRewriter &rewriter) const override {
    Operation *producer = op.getInput().getDefiningOp();
    if (!producer || !commutesWithQuantization(producer) ||
        !producer->hasOneUse())
      return failure();
    auto type = dyn_cast<quant::UniformQuantizedType>(
        getElementTypeOrSelf(op.getType()));
    if (!type)
      return failure();
    // Concat moves all its inputs, the others their first operand.
    unsigned moved = isa<ConcatOp>(producer) ? producer->getNumOperands() : 1;
    for (unsigned index = 0; index < moved; ++index)
      if (!getElementTypeOrSelf(producer->getOperand(index).getType()).isF32())
        return failure();
    // The casts first, so that they dominate the twin that reads them.
    rewriter.setInsertionPoint(producer);
    SmallVector<Value> quantized;
    for (unsigned index = 0; index < moved; ++index) {
      Value operand = producer->getOperand(index);
      quantized.push_back(quant::QuantizeCastOp::create(
          rewriter, op.getLoc(), withElementType(operand, type), operand));
    }
    Operation *twin = rewriter.clone(*producer);
    for (auto [index, value] : llvm::enumerate(quantized))
      twin->setOperand(index, value);
    twin->getResult(0).setType(op.getType());
    rewriter.replaceOp(op, twin->getResults());
    return success();
  }
};

/// M(quant.dcast(x)) -> quant.dcast(M(x)) for the ops whose results are
/// some of their input's values: the quantized result then reaches its
/// consumers (e.g. a flatten before a linear layer). Not for clamp, whose
/// float bounds need not lie on the quantization grid.
template <typename OpTy> struct HoistDequantizeCast : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Value source = getDequantizedSource(op->getOperand(0));
    if (!source)
      return failure();
    Type type = getElementTypeOrSelf(source.getType());
    Operation *twin = rewriter.clone(*op);
    twin->setOperand(0, source);
    twin->getResult(0).setType(withElementType(op->getResult(0), type));
    rewriter.replaceOpWithNewOp<quant::DequantizeCastOp>(
        op, op->getResult(0).getType(), twin->getResult(0));
    return success();
  }
};

/// quant.qcast(quant.dcast(x)) -> x where both casts use x's type.
struct CancelDequantizeQuantize : OpRewritePattern<quant::QuantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(quant::QuantizeCastOp op,
                                PatternRewriter &rewriter) const override {
    auto dcast = op.getInput().getDefiningOp<quant::DequantizeCastOp>();
    if (!dcast || dcast.getInput().getType() != op.getType())
      return failure();
    rewriter.replaceOp(op, dcast.getInput());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Integer kernels
//===----------------------------------------------------------------------===//

/// tamp.conv or tamp.linear on a dequantized activation, a dequantized
/// constant weight and an i32-at-the-right-scale bias: the quantized op with
/// a float result.
template <typename OpTy> struct FoldWeightedOp : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    // Integer kernels have no activation epilogue.
    if (!op.getType().getElementType().isF32() || hasFusedActivation(op))
      return failure();
    Value input = getDequantizedSource(op.getInput());
    if (!input)
      return failure();
    std::optional<QuantizedWeight> weight =
        readQuantizedWeight(op.getWeight(), /*channelDim=*/0);
    if (!weight)
      return failure();
    int64_t channels = weight->type.getDimSize(0);
    FailureOr<Value> bias =
        readIntegerBias(rewriter, op.getLoc(), op.getBias(), getScale(input),
                        weight->scales, channels);
    if (failed(bias))
      return failure();
    Value quantizedWeight =
        createWeight(rewriter, op.getLoc(), *weight, /*channelDim=*/0);
    rewriter.modifyOpInPlace(op, [&] {
      op.getInputMutable().assign(input);
      op.getWeightMutable().assign(quantizedWeight);
      if (*bias)
        op.getBiasMutable().assign(*bias);
    });
    return success();
  }
};

/// Whether the integer matmul kernel takes operands of these shapes: a 2-D
/// right-hand side, or equal (or dynamic) batch dimensions.
bool hasIntegerMatMulShapes(RankedTensorType lhs, RankedTensorType rhs) {
  int64_t lhsRank = lhs.getRank(), rhsRank = rhs.getRank();
  if (lhsRank < 2)
    return false;
  if (rhsRank == 2)
    return true;
  if (lhsRank != rhsRank)
    return false;
  return llvm::all_of(
      llvm::zip(lhs.getShape().drop_back(2), rhs.getShape().drop_back(2)),
      [](auto sizes) {
        auto [lhsSize, rhsSize] = sizes;
        return lhsSize == rhsSize || ShapedType::isDynamic(lhsSize) ||
               ShapedType::isDynamic(rhsSize);
      });
}

/// tamp.matmul of two dequantized activations takes them quantized; a
/// matmul of a dequantized activation by a dequantized constant [K, N]
/// weight (per tensor or per column) becomes tamp.linear with the weight
/// transposed to [N, K].
struct FoldMatMul : OpRewritePattern<MatMulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MatMulOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getType().getElementType().isF32())
      return failure();
    Value lhs = getDequantizedSource(op.getLhs());
    if (!lhs)
      return failure();
    if (Value rhs = getDequantizedSource(op.getRhs())) {
      if (!hasIntegerMatMulShapes(cast<RankedTensorType>(lhs.getType()),
                                  cast<RankedTensorType>(rhs.getType())))
        return failure();
      rewriter.modifyOpInPlace(op, [&] {
        op.getLhsMutable().assign(lhs);
        op.getRhsMutable().assign(rhs);
      });
      return success();
    }
    std::optional<QuantizedWeight> weight =
        readQuantizedWeight(op.getRhs(), /*channelDim=*/1);
    if (!weight || weight->type.getRank() != 2 ||
        cast<RankedTensorType>(lhs.getType()).getRank() < 2)
      return failure();
    int64_t k = weight->type.getDimSize(0), n = weight->type.getDimSize(1);
    QuantizedWeight transposed = *weight;
    transposed.type =
        RankedTensorType::get({n, k}, weight->type.getElementType());
    for (int64_t row = 0; row < k; ++row)
      for (int64_t column = 0; column < n; ++column)
        transposed.codes[column * k + row] = weight->codes[row * n + column];
    Value quantizedWeight =
        createWeight(rewriter, op.getLoc(), transposed, /*channelDim=*/0);
    rewriter.replaceOpWithNewOp<LinearOp>(
        op, op.getType(), lhs, quantizedWeight, /*bias=*/Value(),
        Activation::none, /*activation_min=*/nullptr,
        /*activation_max=*/nullptr);
    return success();
  }
};

/// The scales of the i32 accumulator of a quantized conv, linear or matmul
/// (input scale times each weight scale), or nullopt for other ops.
std::optional<SmallVector<double>> getAccumulatorScales(Operation *op) {
  auto quantizedScale = [](Value value) -> std::optional<double> {
    auto type = dyn_cast<quant::UniformQuantizedType>(
        getElementTypeOrSelf(value.getType()));
    if (!type)
      return std::nullopt;
    return type.getScale();
  };
  auto withWeight = [&](Value input,
                        Value weight) -> std::optional<SmallVector<double>> {
    std::optional<double> inputScale = quantizedScale(input);
    quant::QuantizedType weightType = getQuantizedElementType(weight.getType());
    if (!inputScale || !weightType)
      return std::nullopt;
    SmallVector<double> scales = getWeightScales(weightType);
    for (double &scale : scales)
      scale *= *inputScale;
    return scales;
  };
  if (auto conv = dyn_cast<ConvOp>(op))
    return withWeight(conv.getInput(), conv.getWeight());
  if (auto linear = dyn_cast<LinearOp>(op))
    return withWeight(linear.getInput(), linear.getWeight());
  if (auto matmul = dyn_cast<MatMulOp>(op)) {
    std::optional<double> lhs = quantizedScale(matmul.getLhs());
    std::optional<double> rhs = quantizedScale(matmul.getRhs());
    if (!lhs || !rhs)
      return std::nullopt;
    return SmallVector<double>{*lhs * *rhs};
  }
  return std::nullopt;
}

/// quant.qcast of the float result of a quantized conv, linear or matmul
/// (its only use) -> the op requantizing to the qcast's type, where the
/// fixed-point requantization can represent the scale ratios.
struct RequantizeResult : OpRewritePattern<quant::QuantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(quant::QuantizeCastOp op,
                                PatternRewriter &rewriter) const override {
    Operation *producer = op.getInput().getDefiningOp();
    if (!producer || !producer->hasOneUse() ||
        !getElementTypeOrSelf(op.getInput().getType()).isF32())
      return failure();
    std::optional<SmallVector<double>> accumulatorScales =
        getAccumulatorScales(producer);
    auto type = dyn_cast<quant::UniformQuantizedType>(
        getElementTypeOrSelf(op.getType()));
    if (!accumulatorScales || !type)
      return failure();
    // The requantization multiplier is a 31-bit fixed-point number with a
    // right shift of at least 1.
    for (double scale : *accumulatorScales) {
      double ratio = scale / type.getScale();
      if (!isPositiveFinite(ratio) || ratio >= std::ldexp(1.0, 30))
        return failure();
    }
    rewriter.modifyOpInPlace(
        producer, [&] { producer->getResult(0).setType(op.getType()); });
    rewriter.replaceOp(op, producer->getResults());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Round trips through float
//===----------------------------------------------------------------------===//

/// quant.dcast(quant.qcast(x)) -> tamp.dequantize(tamp.quantize(x)) with the
/// type's parameters as constants. The round trip rounds x to the
/// quantization grid, which QDQ models rely on (a float op between quantized
/// layers sees the rounded values); the upstream folder of quant.dcast,
/// which dialect conversion applies, would return x itself instead.
struct KeepRoundTrip : OpRewritePattern<quant::DequantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(quant::DequantizeCastOp op,
                                PatternRewriter &rewriter) const override {
    auto qcast = op.getInput().getDefiningOp<quant::QuantizeCastOp>();
    if (!qcast)
      return failure();
    auto type = dyn_cast<quant::UniformQuantizedType>(
        getElementTypeOrSelf(qcast.getType()));
    if (!type)
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Type storage = IntegerType::get(ctx, type.getStorageTypeIntegralWidth(),
                                    type.isSigned() ? IntegerType::Signless
                                                    : IntegerType::Unsigned);
    auto scalarType = [](Type element) {
      return RankedTensorType::get({}, element);
    };
    Value scale = ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(scalarType(rewriter.getF32Type()),
                               static_cast<float>(type.getScale())));
    Value zeroPoint = ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(scalarType(storage),
                               APInt(8,
                                     static_cast<uint64_t>(type.getZeroPoint()),
                                     /*isSigned=*/type.isSigned())));
    Value quantized = QuantizeOp::create(
        rewriter, loc, withElementType(qcast.getInput(), storage),
        qcast.getInput(), scale, zeroPoint, /*axis=*/1, /*block_size=*/0,
        /*saturate=*/true);
    rewriter.replaceOpWithNewOp<DequantizeOp>(op, op.getType(), quantized,
                                              scale, zeroPoint, /*axis=*/1,
                                              /*block_size=*/0);
    return success();
  }
};

struct FoldQDQPass : public tamp::impl::FoldQDQBase<FoldQDQPass> {
  using FoldQDQBase::FoldQDQBase;

  /// The conv, linear and matmul ops that run on integer kernels.
  int64_t countIntegerLayers() {
    int64_t count = 0;
    getOperation().walk([&](Operation *op) {
      if (isa<ConvOp, LinearOp, MatMulOp>(op) &&
          llvm::any_of(op->getOperandTypes(), isQuantizedTensor))
        ++count;
    });
    return count;
  }

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    int64_t integerLayersBefore = countIntegerLayers();
    RewritePatternSet patterns(ctx);
    patterns.add<LiftQuantizeDequantize, SinkQuantizeCast,
                 CancelDequantizeQuantize, HoistDequantizeCast<MaxPoolOp>,
                 HoistDequantizeCast<ReshapeOp>, HoistDequantizeCast<FlattenOp>,
                 HoistDequantizeCast<TransposeOp>, FoldWeightedOp<ConvOp>,
                 FoldWeightedOp<LinearOp>, FoldMatMul, RequantizeResult>(ctx);
    // Only these rewrites: float models must come out unchanged.
    GreedyRewriteConfig config;
    config.enableFolding(false).enableConstantCSE(false);
    config.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
    // Apart, so that the pairs it restores are not lifted again.
    RewritePatternSet roundTrips(ctx);
    roundTrips.add<KeepRoundTrip>(ctx);
    if (failed(applyPatternsGreedily(getOperation(), std::move(roundTrips),
                                     config)))
      return signalPassFailure();
    int64_t folded = countIntegerLayers() - integerLayersBefore;
    numFolded += folded;
    addFusionCount(getOperation(), "qdq_folded", folded);
  }
};

} // namespace
