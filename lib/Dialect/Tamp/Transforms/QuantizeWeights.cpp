//===- QuantizeWeights.cpp - Weight-only quantization ---------------------===//
//
// Replaces the float constant weight of each quantizable op by packed integer
// codes that are unpacked and dequantized in front of the op. The numerics
// (round to nearest, GPTQ, AWQ) live in WeightQuantization.cpp; this file
// reads weights and calibration statistics from the IR and writes the
// quantized form back.
//
//===----------------------------------------------------------------------===//

#include "QuantizationUtils.h"
#include "WeightData.h"
#include "WeightQuantization.h"

#include "tamp/Dialect/Tamp/IR/TampDialect.h"
#include "tamp/Dialect/Tamp/IR/TampInterfaces.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Regex.h"

#include <cmath>
#include <cstring>

namespace tamp {
#define GEN_PASS_DEF_QUANTIZEWEIGHTS
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"
} // namespace tamp

using namespace mlir;
using tamp::ConstantBuilder;
using tamp::readFloatElements;
namespace wq = tamp::weight_quantization;

//===----------------------------------------------------------------------===//
// Reading and writing constant data
//===----------------------------------------------------------------------===//

namespace {

/// How a weight tensor maps onto the [rows, columns] matrix that is
/// quantized: the output-channel dimension, then the reduction dimension,
/// then the others, flattened after the first.
struct WeightLayout {
  SmallVector<int64_t> permutation;
  SmallVector<int64_t> permutedShape;
  int64_t rows = 0;
  int64_t columns = 0;
  /// Columns per index of the reduction dimension.
  int64_t columnsPerChannel = 1;

  bool isIdentity() const {
    return llvm::all_of(llvm::enumerate(permutation), [](auto entry) {
      return int64_t(entry.index()) == entry.value();
    });
  }
};

} // namespace

/// Integer codes of `codeType` in `shape`: bytes for 8-bit codes, else
/// rows of packed bits and their tamp.unpack_bits.
static Value createCodes(ConstantBuilder &constants, ArrayRef<int64_t> shape,
                         IntegerType codeType, ArrayRef<int32_t> codes,
                         StringRef suffix) {
  OpBuilder &builder = constants.getBuilder();
  unsigned bits = codeType.getWidth();
  int64_t rowLength = shape.back();
  int64_t rows = int64_t(codes.size()) / rowLength;
  auto resultType = RankedTensorType::get(shape, codeType);
  if (bits == 8) {
    std::vector<char> data(codes.begin(), codes.end());
    return constants.create(resultType, data, suffix);
  }
  std::vector<uint8_t> packed = wq::packCodes(codes, rows, rowLength, bits);
  SmallVector<int64_t> packedShape(shape);
  packedShape.back() = wq::getPackedRowBytes(rowLength, bits);
  Value bytes = constants.create(
      RankedTensorType::get(packedShape, builder.getIntegerType(8)),
      ArrayRef<char>(reinterpret_cast<const char *>(packed.data()),
                     packed.size()),
      suffix);
  return tamp::UnpackBitsOp::create(builder, constants.getLoc(), resultType,
                                    bytes);
}

static WeightLayout getWeightLayout(RankedTensorType type, int64_t outputDim,
                                    int64_t reductionDim) {
  WeightLayout layout;
  layout.permutation = {outputDim, reductionDim};
  for (int64_t dim = 0; dim < type.getRank(); ++dim)
    if (dim != outputDim && dim != reductionDim)
      layout.permutation.push_back(dim);
  for (int64_t dim : layout.permutation)
    layout.permutedShape.push_back(type.getDimSize(dim));
  layout.rows = type.getDimSize(outputDim);
  layout.columns = layout.rows == 0 ? 0 : type.getNumElements() / layout.rows;
  int64_t channels = type.getDimSize(reductionDim);
  layout.columnsPerChannel = channels == 0 ? 1 : layout.columns / channels;
  return layout;
}

/// `values` (row-major in `type`) in the layout's matrix order.
static std::vector<float> gatherMatrix(ArrayRef<double> values,
                                       RankedTensorType type,
                                       const WeightLayout &layout) {
  std::vector<float> matrix(values.size());
  if (layout.isIdentity()) {
    llvm::copy(values, matrix.begin());
    return matrix;
  }
  ArrayRef<int64_t> shape = type.getShape();
  int64_t rank = type.getRank();
  SmallVector<int64_t> strides(rank, 1);
  for (int64_t dim = rank - 2; dim >= 0; --dim)
    strides[dim] = strides[dim + 1] * shape[dim + 1];
  // Walk the permuted index space in row-major order.
  SmallVector<int64_t> index(rank, 0);
  for (size_t flat = 0; flat < values.size(); ++flat) {
    int64_t source = 0;
    for (int64_t dim = 0; dim < rank; ++dim)
      source += index[dim] * strides[layout.permutation[dim]];
    matrix[flat] = float(values[source]);
    for (int64_t dim = rank - 1; dim >= 0; --dim) {
      if (++index[dim] < layout.permutedShape[dim])
        break;
      index[dim] = 0;
    }
  }
  return matrix;
}

/// The dequantization of `matrix`, shaped back into the weight's `type`.
static Value buildDequantizedWeight(OpBuilder &builder, Location loc,
                                    const wq::QuantizedMatrix &matrix,
                                    RankedTensorType type,
                                    const WeightLayout &layout,
                                    ElementsAttr original) {
  MLIRContext *ctx = builder.getContext();
  ConstantBuilder constants(builder, loc, original);
  const wq::QuantizationScheme &scheme = matrix.scheme;
  auto floatType = cast<FloatType>(type.getElementType());
  auto codeType = IntegerType::get(ctx, scheme.bits,
                                   scheme.symmetric ? IntegerType::Signless
                                                    : IntegerType::Unsigned);

  Value codes = createCodes(constants, {matrix.rows, matrix.columns}, codeType,
                            matrix.codes, "codes");
  int64_t numGroups = scheme.getNumGroups(matrix.columns);
  bool perChannel = numGroups == 1;
  SmallVector<int64_t> scaleShape = {matrix.rows};
  if (!perChannel)
    scaleShape.push_back(numGroups);
  Value scales =
      constants.createFloats(scaleShape, floatType, matrix.scales, "scales");
  Value zeroPoints;
  if (!scheme.symmetric)
    zeroPoints = createCodes(constants, scaleShape, codeType, matrix.zeroPoints,
                             "zero_points");
  Value weight = tamp::DequantizeOp::create(
      builder, loc, codes, scales, zeroPoints, perChannel ? 0 : 1,
      perChannel ? 0 : scheme.getEffectiveGroupSize(matrix.columns));
  auto matrixType =
      RankedTensorType::get({matrix.rows, matrix.columns}, floatType);
  if (!matrix.columnFactors.empty()) {
    Value factors = constants.createFloats({matrix.columns}, floatType,
                                           matrix.columnFactors, "awq_factors");
    weight = tamp::MulOp::create(builder, loc, matrixType, weight, factors);
  }
  if (layout.permutedShape.size() != 2) {
    auto shapeType = RankedTensorType::get(
        {int64_t(layout.permutedShape.size())}, builder.getI64Type());
    Value shape = tamp::ConstantOp::create(
        builder, loc, shapeType,
        DenseElementsAttr::get(shapeType,
                               ArrayRef<int64_t>(layout.permutedShape)));
    weight = tamp::ReshapeOp::create(
        builder, loc, RankedTensorType::get(layout.permutedShape, floatType),
        weight, shape, /*allowzero=*/false);
  }
  if (!layout.isIdentity()) {
    SmallVector<int64_t> inverse(layout.permutation.size());
    for (auto [position, dim] : llvm::enumerate(layout.permutation))
      inverse[dim] = position;
    weight = tamp::TransposeOp::create(builder, loc, type, weight, inverse);
  }
  return weight;
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

namespace {

/// Ops that fell back to round to nearest, by reason; each reason is
/// reported once per function.
struct Fallbacks {
  SmallVector<Operation *> missingHessian, notPositiveDefinite, missingAbsMean,
      groupedConvolution;
};

struct QuantizeWeightsPass
    : public tamp::impl::QuantizeWeightsBase<QuantizeWeightsPass> {
  using QuantizeWeightsBase::QuantizeWeightsBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (failed(verifyOptions(func)))
      return signalPassFailure();
    FailureOr<tamp::OpFilter> filter = tamp::OpFilter::create(func, keepFloat);
    if (failed(filter))
      return signalPassFailure();

    SmallVector<tamp::QuantizableOpInterface> candidates;
    func.walk([&](tamp::QuantizableOpInterface op) {
      if (isSelected(op, *filter))
        candidates.push_back(op);
    });
    Fallbacks fallbacks;
    for (tamp::QuantizableOpInterface op : candidates)
      if (failed(quantizeWeight(op, fallbacks)))
        return signalPassFailure();
    reportFallbacks(fallbacks);
    // Embedding tables dequantize only the rows a run looks up.
    RewritePatternSet patterns(&getContext());
    tamp::populateSinkDequantizeThroughGatherPatterns(patterns);
    walkAndApplyPatterns(func, std::move(patterns));
  }

  LogicalResult verifyOptions(func::FuncOp func) {
    auto error = [&]() { return func.emitError("tamp-quantize-weights: "); };
    if (!llvm::is_contained({2u, 3u, 4u, 8u}, unsigned(bits)))
      return error() << "bits must be 8, 4, 3 or 2, got " << unsigned(bits);
    if (groupSize < 0)
      return error() << "group-size must be 0 (one scale per output channel) "
                        "or positive, got "
                     << int64_t(groupSize);
    if (!(gptqDamp >= 0.0) || !std::isfinite(gptqDamp))
      return error() << "gptq-damp must be a non-negative number, got "
                     << double(gptqDamp);
    if (gptqBlockSize < 1)
      return error() << "gptq-block-size must be positive, got "
                     << int64_t(gptqBlockSize);
    if (awqGrid < 1)
      return error() << "awq-grid must be positive, got " << int64_t(awqGrid);
    selectedOps.clear();
    for (const std::string &name : ops) {
      StringRef shortName = StringRef(name).trim();
      shortName.consume_front("tamp.");
      std::optional<RegisteredOperationName> info =
          RegisteredOperationName::lookup(("tamp." + shortName).str(),
                                          &getContext());
      if (!info || !info->hasInterface<tamp::QuantizableOpInterface>())
        return error() << "ops: '" << name
                       << "' is not a quantizable tamp op (e.g. linear, conv, "
                          "conv_transpose)";
      selectedOps.insert(info->getStringRef());
    }
    return success();
  }

  bool isSelected(tamp::QuantizableOpInterface op,
                  const tamp::OpFilter &filter) {
    if (!selectedOps.empty() &&
        !selectedOps.contains(op->getName().getStringRef()))
      return false;
    return filter.shouldQuantize(op);
  }

  /// Reads the `hessian` of the op's calibration, checked against the
  /// weight's column count; empty when there is none.
  FailureOr<std::vector<double>>
  readHessian(Operation *op, DictionaryAttr calibration, int64_t columns) {
    if (!calibration)
      return std::vector<double>();
    auto hessian = calibration.getAs<ElementsAttr>("hessian");
    if (!hessian)
      return std::vector<double>();
    auto type = cast<ShapedType>(hessian.getType());
    if (!isa<FloatType>(type.getElementType()) || !type.hasStaticShape() ||
        type.getShape() != ArrayRef<int64_t>{columns, columns})
      return op->emitError("tamp-quantize-weights: the calibration hessian "
                           "must be a ")
             << columns << "x" << columns
             << " float tensor (the weight's flattened reduction), got "
             << type;
    std::optional<std::vector<double>> values = readFloatElements(hessian);
    if (!values)
      return op->emitError("tamp-quantize-weights: the calibration hessian's "
                           "data is not available");
    return std::move(*values);
  }

  /// Reads the `abs_mean` of operand 0, one per index of the weight's
  /// reduction dimension; empty when there is none or when it does not
  /// describe the weight's channels (grouped convolutions).
  FailureOr<std::vector<double>> readAbsMean(Operation *op,
                                             DictionaryAttr calibration,
                                             int64_t channels,
                                             Fallbacks &fallbacks) {
    DictionaryAttr operand =
        calibration ? calibration.getAs<DictionaryAttr>("operand0") : nullptr;
    auto absMean = operand ? operand.getAs<ElementsAttr>("abs_mean") : nullptr;
    if (!absMean) {
      fallbacks.missingAbsMean.push_back(op);
      return std::vector<double>();
    }
    auto type = cast<ShapedType>(absMean.getType());
    bool matches = isa<FloatType>(type.getElementType()) &&
                   type.hasStaticShape() && type.getRank() == 1;
    if (matches && type.getDimSize(0) != channels) {
      auto grouped = dyn_cast<tamp::PrunableChannelOpInterface>(op);
      if (grouped && grouped.getChannelGroups() > 1) {
        fallbacks.groupedConvolution.push_back(op);
        return std::vector<double>();
      }
      matches = false;
    }
    if (!matches)
      return op->emitError("tamp-quantize-weights: the calibration abs_mean "
                           "of operand 0 must be a float tensor of ")
             << channels << " elements (the weight's reduction dimension), got "
             << type;
    std::optional<std::vector<double>> values = readFloatElements(absMean);
    if (!values)
      return op->emitError("tamp-quantize-weights: the calibration abs_mean's "
                           "data is not available");
    return std::move(*values);
  }

  LogicalResult quantizeWeight(tamp::QuantizableOpInterface op,
                               Fallbacks &fallbacks) {
    std::optional<unsigned> weightIndex = op.getWeightOperandIndex();
    if (!weightIndex)
      return success();
    Value weight = op->getOperand(*weightIndex);
    ElementsAttr attr;
    auto type = dyn_cast<RankedTensorType>(weight.getType());
    if (!type || !isa<FloatType>(type.getElementType()) ||
        !type.hasStaticShape() || type.getRank() < 2 ||
        type.getNumElements() == 0 || !matchPattern(weight, m_Constant(&attr)))
      return success();
    int64_t rank = type.getRank();
    int64_t outputDim = op.getWeightOutputChannelDim();
    int64_t reductionDim = op.getWeightReductionDim();
    if (outputDim < 0 || outputDim >= rank || reductionDim < 0 ||
        reductionDim >= rank || outputDim == reductionDim)
      return op->emitError("tamp-quantize-weights: the weight's output "
                           "channel and reduction dimensions (")
             << outputDim << ", " << reductionDim
             << ") must be distinct dimensions of " << type;
    std::optional<std::vector<double>> values = readFloatElements(attr);
    if (!values)
      return op->emitError(
          "tamp-quantize-weights: the weight's data is not available");

    WeightLayout layout = getWeightLayout(type, outputDim, reductionDim);
    std::vector<float> matrix = gatherMatrix(*values, type, layout);
    wq::QuantizationScheme scheme;
    scheme.bits = bits;
    scheme.groupSize = groupSize;
    scheme.symmetric = symmetric;
    auto calibration =
        op->getAttrOfType<DictionaryAttr>(tamp::kCalibrationAttrName);

    std::optional<wq::QuantizedMatrix> quantized;
    if (method == tamp::WeightRoundingMethod::GPTQ) {
      FailureOr<std::vector<double>> hessian =
          readHessian(op, calibration, layout.columns);
      if (failed(hessian))
        return failure();
      if (hessian->empty()) {
        fallbacks.missingHessian.push_back(op);
      } else {
        wq::GPTQOptions options;
        options.dampening = gptqDamp;
        options.actOrder = gptqActOrder;
        options.blockSize = gptqBlockSize;
        quantized = wq::quantizeGPTQ(matrix, layout.rows, layout.columns,
                                     scheme, *hessian, options);
        if (!quantized)
          fallbacks.notPositiveDefinite.push_back(op);
      }
    } else if (method == tamp::WeightRoundingMethod::AWQ) {
      FailureOr<std::vector<double>> absMean = readAbsMean(
          op, calibration, type.getDimSize(reductionDim), fallbacks);
      if (failed(absMean))
        return failure();
      if (!absMean->empty()) {
        // The full Hessian, when calibration recorded one, measures the
        // output error exactly; abs_mean^2 stands in for its diagonal.
        FailureOr<std::vector<double>> hessian =
            readHessian(op, calibration, layout.columns);
        if (failed(hessian))
          return failure();
        std::vector<double> columnMeans(layout.columns);
        for (int64_t column = 0; column < layout.columns; ++column)
          columnMeans[column] = (*absMean)[column / layout.columnsPerChannel];
        quantized = wq::quantizeAWQ(matrix, layout.rows, layout.columns, scheme,
                                    columnMeans, *hessian, awqGrid);
      }
    }
    if (!quantized)
      quantized = wq::quantizeRoundToNearest(matrix, layout.rows,
                                             layout.columns, scheme);

    OpBuilder builder(op);
    Value dequantized = buildDequantizedWeight(builder, weight.getLoc(),
                                               *quantized, type, layout, attr);
    op->setOperand(*weightIndex, dequantized);
    if (Operation *constant = weight.getDefiningOp();
        constant && constant->use_empty())
      constant->erase();
    return success();
  }

  void reportFallbacks(const Fallbacks &fallbacks) {
    auto report = [](ArrayRef<Operation *> ops, StringRef reason) {
      if (!ops.empty())
        ops.front()->emitRemark("tamp-quantize-weights: ")
            << ops.size() << " op(s) " << reason
            << "; their weights are rounded to nearest";
    };
    report(fallbacks.missingHessian,
           "have no calibration hessian (GPTQ needs one)");
    report(fallbacks.notPositiveDefinite,
           "have a dampened calibration hessian that is not positive definite");
    report(fallbacks.missingAbsMean,
           "have no calibration abs_mean of operand 0 (AWQ needs one)");
    report(fallbacks.groupedConvolution,
           "are grouped convolutions, whose weights see only part of the "
           "channels that abs_mean describes");
  }

  /// The full names of the ops that `ops` selects; empty selects all.
  llvm::StringSet<> selectedOps;
};

} // namespace
