//===- Sparsify.cpp - N:M and unstructured weight sparsity ----------------===//
//
// Zeroes the least important weights of each selected layer, by magnitude or
// by magnitude times the input's per-channel norm (Wanda), and stores the
// weights of fully connected layers in a compressed form (N:M or ELL) where
// the measured cost rule says its kernel is faster than the dense one.
//
//===----------------------------------------------------------------------===//

#include "QuantizationUtils.h"

#include "tamp/Dialect/Tamp/IR/TampDialect.h"
#include "tamp/Dialect/Tamp/IR/TampInterfaces.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Regex.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace tamp {
#define GEN_PASS_DEF_SPARSIFY
#include "tamp/Dialect/Tamp/Transforms/Passes.h.inc"
} // namespace tamp

using namespace mlir;

//===----------------------------------------------------------------------===//
// Constant data
//===----------------------------------------------------------------------===//

/// The values of a float constant (dense or in a resource blob), or nullopt
/// when its data is not available (an elided blob).
static std::optional<std::vector<double>> readFloats(ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  auto floatType = dyn_cast<FloatType>(type.getElementType());
  if (!floatType || !type.hasStaticShape())
    return std::nullopt;
  std::vector<double> values;
  values.reserve(type.getNumElements());
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    for (APFloat value : dense.getValues<APFloat>())
      values.push_back(value.convertToDouble());
    return values;
  }
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  unsigned width = floatType.getWidth();
  AsmResourceBlob *blob =
      resource ? resource.getRawHandle().getBlob() : nullptr;
  if (!blob || width % 8 != 0 || width > 64 ||
      int64_t(blob->getData().size()) != type.getNumElements() * (width / 8))
    return std::nullopt;
  const char *data = blob->getData().data();
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
    uint64_t bits = 0;
    std::memcpy(&bits, data + i * (width / 8), width / 8);
    values.push_back(APFloat(floatType.getFloatSemantics(), APInt(width, bits))
                         .convertToDouble());
  }
  return values;
}

namespace {
/// Creates constants in the storage form of the weight they replace:
/// resource blobs named after its blob, or dense attributes (small tests).
class ConstantFactory {
public:
  ConstantFactory(OpBuilder &builder, Location loc, ElementsAttr weight)
      : builder(builder), loc(loc) {
    if (auto resource = dyn_cast<DenseResourceElementsAttr>(weight))
      resourceName = resource.getRawHandle().getKey().str();
  }

  Value createFloats(ArrayRef<int64_t> shape, FloatType type,
                     ArrayRef<double> values, StringRef suffix) {
    unsigned bytes = type.getWidth() / 8;
    std::vector<char> data(values.size() * bytes);
    for (auto [index, value] : llvm::enumerate(values)) {
      APFloat converted(value);
      bool losesInfo;
      converted.convert(type.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                        &losesInfo);
      uint64_t bits = converted.bitcastToAPInt().getZExtValue();
      std::memcpy(data.data() + index * bytes, &bits, bytes);
    }
    return create(RankedTensorType::get(shape, type), data, suffix);
  }

  Value createIntegers(ArrayRef<int64_t> shape, unsigned width,
                       ArrayRef<int64_t> values, StringRef suffix) {
    unsigned bytes = width / 8;
    std::vector<char> data(values.size() * bytes);
    for (auto [index, value] : llvm::enumerate(values))
      std::memcpy(data.data() + index * bytes, &value, bytes);
    return create(RankedTensorType::get(shape, builder.getIntegerType(width)),
                  data, suffix);
  }

private:
  Value create(RankedTensorType type, ArrayRef<char> data, StringRef suffix) {
    ElementsAttr attr;
    if (resourceName) {
      AsmResourceBlob blob =
          HeapAsmResourceBlob::allocateAndCopyWithAlign(data, alignof(double));
      attr = DenseResourceElementsAttr::get(
          type, *resourceName + "." + suffix.str(), std::move(blob));
    } else {
      attr = DenseElementsAttr::getFromRawBuffer(type, data);
    }
    return tamp::ConstantOp::create(builder, loc, type, attr);
  }

  OpBuilder &builder;
  Location loc;
  std::optional<std::string> resourceName;
};

/// Where each weight element sits for sparsification. Rows are output
/// channels. N:M groups run along the reduction dimension with the other
/// dimensions fixed; `hessianColumn` indexes the flattened reduction
/// `[C, k1, ..., kd]` of the calibration Hessian; `channel` is the index
/// along the reduction dimension.
struct WeightIndexing {
  std::vector<int64_t> row, hessianColumn, channel;
  /// Element indices in group order: consecutive runs of M elements of one
  /// row that differ only along the reduction dimension.
  std::vector<int64_t> groupOrder;
  int64_t rows = 0, columns = 0;
};

/// The parsed `pattern` option: N of every M weights kept, or unstructured
/// (M = 0).
struct SparsityPattern {
  int64_t kept = 0, groupSize = 0;
  bool isStructured() const { return groupSize > 0; }
};
} // namespace

static WeightIndexing indexWeight(RankedTensorType type, int64_t outputDim,
                                  int64_t reductionDim) {
  ArrayRef<int64_t> shape = type.getShape();
  int64_t rank = type.getRank(), count = type.getNumElements();
  WeightIndexing indexing;
  indexing.rows = shape[outputDim];
  indexing.columns = indexing.rows ? count / indexing.rows : 0;
  indexing.row.resize(count);
  indexing.hessianColumn.resize(count);
  indexing.channel.resize(count);
  int64_t channels = shape[reductionDim];
  SmallVector<int64_t> index(rank, 0);
  SmallVector<int64_t> others;
  for (int64_t dim = 0; dim < rank; ++dim)
    if (dim != outputDim && dim != reductionDim)
      others.push_back(dim);
  // Group order: row, then the other dimensions, then the reduction.
  std::vector<std::tuple<int64_t, int64_t, int64_t, int64_t>> keys(count);
  for (int64_t flat = 0; flat < count; ++flat) {
    int64_t rest = 0;
    for (int64_t dim : others)
      rest = rest * shape[dim] + index[dim];
    int64_t row = index[outputDim], channel = index[reductionDim];
    indexing.row[flat] = row;
    indexing.hessianColumn[flat] =
        channel * (indexing.columns / channels) + rest;
    indexing.channel[flat] = channel;
    keys[flat] = {row, rest, channel, flat};
    for (int64_t dim = rank - 1; dim >= 0; --dim) {
      if (++index[dim] < shape[dim])
        break;
      index[dim] = 0;
    }
  }
  llvm::sort(keys);
  indexing.groupOrder.reserve(count);
  for (auto &key : keys)
    indexing.groupOrder.push_back(std::get<3>(key));
  return indexing;
}

/// Keeps, in every run of `pattern.groupSize` consecutive elements of
/// `order`, the `pattern.kept` with the highest scores (the first on ties).
static void maskStructured(ArrayRef<double> scores, ArrayRef<int64_t> order,
                           SparsityPattern pattern,
                           std::vector<uint8_t> &keep) {
  SmallVector<int64_t> group(pattern.groupSize);
  for (size_t begin = 0; begin < order.size(); begin += pattern.groupSize) {
    std::iota(group.begin(), group.end(), 0);
    llvm::stable_sort(group, [&](int64_t a, int64_t b) {
      return scores[order[begin + a]] > scores[order[begin + b]];
    });
    for (int64_t i = 0; i < pattern.groupSize; ++i)
      keep[order[begin + group[i]]] = i < pattern.kept;
  }
}

/// Zeroes the `ratio` fraction of `members` with the lowest scores (the
/// later ones on ties).
static void maskLowest(ArrayRef<double> scores, std::vector<int64_t> members,
                       double ratio, std::vector<uint8_t> &keep) {
  auto pruned = int64_t(std::floor(ratio * double(members.size())));
  llvm::stable_sort(
      members, [&](int64_t a, int64_t b) { return scores[a] < scores[b]; });
  for (auto [position, member] : llvm::enumerate(members))
    keep[member] = int64_t(position) >= pruned;
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

namespace {

/// A weight after masking, with what the format decision needs.
struct SparseWeight {
  std::vector<double> values;
  double sparsity = 0;
};

struct SparsifyPass : public tamp::impl::SparsifyBase<SparsifyPass> {
  using SparsifyBase::SparsifyBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    withoutStatistics.clear();
    indivisible.clear();
    if (failed(verifyOptions(func)))
      return signalPassFailure();
    FailureOr<tamp::OpFilter> filter = tamp::OpFilter::create(func, keepDense);
    if (failed(filter))
      return signalPassFailure();
    SmallVector<Operation *> candidates;
    func.walk([&](tamp::PrunableChannelOpInterface op) {
      if (isa<tamp::QuantizableOpInterface>(op.getOperation()) &&
          (selectedOps.empty() ||
           selectedOps.contains(op->getName().getStringRef())) &&
          filter->shouldQuantize(op))
        candidates.push_back(op);
    });
    for (Operation *op : candidates)
      if (failed(sparsify(op)))
        return signalPassFailure();
    auto remark = [](ArrayRef<Operation *> ops, StringRef reason,
                     StringRef consequence) {
      if (!ops.empty())
        ops.front()->emitRemark("tamp-sparsify: ")
            << ops.size() << " op(s) " << reason << "; " << consequence;
    };
    remark(withoutStatistics,
           "have no calibration hessian or abs_mean of operand 0",
           "their weights are scored by magnitude");
    remark(indivisible,
           "have a reduction dimension that the group size does not divide",
           "they stay dense");
  }

  LogicalResult verifyOptions(func::FuncOp func) {
    auto error = [&]() { return func.emitError("tamp-sparsify: "); };
    StringRef text = StringRef(pattern).trim();
    parsed = SparsityPattern();
    if (text != "unstructured") {
      auto [keptText, groupText] = text.split(':');
      if (keptText.trim().getAsInteger(10, parsed.kept) ||
          groupText.trim().getAsInteger(10, parsed.groupSize) ||
          parsed.kept < 1 || parsed.groupSize < 2 ||
          parsed.kept >= parsed.groupSize)
        return error() << "pattern must be N:M with 1 <= N < M (e.g. 2:4) or "
                          "'unstructured', got '"
                       << pattern << "'";
    }
    if (!(ratio >= 0.0 && ratio < 1.0))
      return error() << "ratio must lie in [0, 1), got " << double(ratio);
    if (minEllSparsity < 0.0 || minEllSparsity > 1.0)
      return error() << "min-ell-sparsity must lie in [0, 1], got "
                     << double(minEllSparsity);
    std::string regexError;
    if (!keepDense.empty() && !llvm::Regex(keepDense).isValid(regexError))
      return error() << "invalid keep-dense regular expression '" << keepDense
                     << "': " << regexError;
    selectedOps.clear();
    for (const std::string &name : ops) {
      StringRef shortName = StringRef(name).trim();
      shortName.consume_front("tamp.");
      std::optional<RegisteredOperationName> info =
          RegisteredOperationName::lookup(("tamp." + shortName).str(),
                                          &getContext());
      if (!info || !info->hasInterface<tamp::PrunableChannelOpInterface>() ||
          !info->hasInterface<tamp::QuantizableOpInterface>())
        return error() << "ops: '" << name
                       << "' is not a tamp op with a prunable weight (e.g. "
                          "linear, conv, conv_transpose)";
      selectedOps.insert(info->getStringRef());
    }
    return success();
  }

  /// Per-column input norms for the activation-aware score, one per element
  /// of the weight; empty when the calibration has none (magnitude).
  FailureOr<std::vector<double>> readInputNorms(Operation *op,
                                                const WeightIndexing &indexing,
                                                int64_t inputChannels,
                                                int64_t weightChannels,
                                                int64_t channelGroups) {
    auto calibration =
        op->getAttrOfType<DictionaryAttr>(tamp::kCalibrationAttrName);
    if (!calibration)
      return std::vector<double>();
    // ||x_j|| is proportional to sqrt(H_jj) = sqrt(2/n sum x_j^2).
    if (auto hessian = calibration.getAs<ElementsAttr>("hessian")) {
      auto type = cast<ShapedType>(hessian.getType());
      SmallVector<int64_t, 2> expected = {indexing.columns, indexing.columns};
      if (!type.hasStaticShape() ||
          type.getShape() != ArrayRef<int64_t>(expected))
        return op->emitError("tamp-sparsify: the calibration hessian must be ")
               << indexing.columns << "x" << indexing.columns
               << " (the weight's flattened reduction), got " << type;
      std::optional<std::vector<double>> values = readFloats(hessian);
      if (!values)
        return op->emitError(
            "tamp-sparsify: the calibration hessian's data is not available");
      std::vector<double> norms(indexing.row.size());
      for (auto [element, column] : llvm::enumerate(indexing.hessianColumn))
        norms[element] = std::sqrt(
            std::max(0.0, (*values)[size_t(column) * (indexing.columns + 1)]));
      return norms;
    }
    auto operand = calibration.getAs<DictionaryAttr>("operand0");
    auto absMean = operand ? operand.getAs<ElementsAttr>("abs_mean") : nullptr;
    if (!absMean)
      return std::vector<double>();
    auto type = cast<ShapedType>(absMean.getType());
    if (type.getRank() != 1 ||
        (type.getDimSize(0) != weightChannels &&
         type.getDimSize(0) != weightChannels * channelGroups))
      return op->emitError("tamp-sparsify: the calibration abs_mean of "
                           "operand 0 must have one element per input "
                           "channel (")
             << inputChannels << "), got " << type;
    std::optional<std::vector<double>> values = readFloats(absMean);
    if (!values)
      return op->emitError(
          "tamp-sparsify: the calibration abs_mean's data is not available");
    // One abs_mean per input channel of all groups of a grouped
    // convolution: the weight's reduction index is relative to its row's
    // group.
    bool grouped = type.getDimSize(0) != weightChannels;
    int64_t rowsPerGroup = std::max<int64_t>(indexing.rows / channelGroups, 1);
    std::vector<double> norms(indexing.row.size());
    for (auto [element, channel] : llvm::enumerate(indexing.channel)) {
      int64_t group =
          std::min(indexing.row[element] / rowsPerGroup, channelGroups - 1);
      norms[element] = std::fabs(
          (*values)[grouped ? group * weightChannels + channel : channel]);
    }
    return norms;
  }

  LogicalResult sparsify(Operation *op) {
    auto quantizable = cast<tamp::QuantizableOpInterface>(op);
    auto prunable = cast<tamp::PrunableChannelOpInterface>(op);
    std::optional<unsigned> weightIndex = quantizable.getWeightOperandIndex();
    if (!weightIndex)
      return success();
    Value weight = op->getOperand(*weightIndex);
    auto type = dyn_cast<RankedTensorType>(weight.getType());
    ElementsAttr attr;
    if (!type || !isa<FloatType>(type.getElementType()) ||
        !type.hasStaticShape() || type.getRank() < 2 ||
        type.getNumElements() == 0 || !matchPattern(weight, m_Constant(&attr)))
      return success();
    int64_t rank = type.getRank();
    int64_t outputDim = quantizable.getWeightOutputChannelDim();
    int64_t reductionDim = quantizable.getWeightReductionDim();
    if (outputDim < 0 || outputDim >= rank || reductionDim < 0 ||
        reductionDim >= rank || outputDim == reductionDim)
      return op->emitError("tamp-sparsify: the weight's output channel and "
                           "reduction dimensions (")
             << outputDim << ", " << reductionDim
             << ") must be distinct dimensions of " << type;
    int64_t channels = type.getDimSize(reductionDim);
    if (parsed.isStructured() && channels % parsed.groupSize != 0) {
      indivisible.push_back(op);
      return success();
    }
    std::optional<std::vector<double>> values = readFloats(attr);
    if (!values)
      return op->emitError("tamp-sparsify: the weight's data is not available");

    int64_t channelGroups = std::max<int64_t>(prunable.getChannelGroups(), 1);
    auto inputType = dyn_cast<RankedTensorType>(op->getOperand(0).getType());
    int64_t inputChannels =
        inputType ? inputType.getDimSize(prunable.getInputChannelDim()) : 0;
    WeightIndexing indexing = indexWeight(type, outputDim, reductionDim);
    std::vector<double> scores(values->size());
    for (auto [element, value] : llvm::enumerate(*values))
      scores[element] = std::fabs(value);
    bool activationAware = score == tamp::SparsityScore::Activation;
    if (activationAware) {
      FailureOr<std::vector<double>> norms =
          readInputNorms(op, indexing, inputChannels, channels, channelGroups);
      if (failed(norms))
        return failure();
      if (norms->empty()) {
        withoutStatistics.push_back(op);
        activationAware = false;
      } else {
        for (auto [element, norm] : llvm::enumerate(*norms))
          scores[element] *= norm;
      }
    }

    std::vector<uint8_t> keep(values->size(), true);
    if (parsed.isStructured()) {
      maskStructured(scores, indexing.groupOrder, parsed, keep);
    } else if (activationAware) {
      // Wanda compares the weights that feed the same output.
      std::vector<std::vector<int64_t>> rows(indexing.rows);
      for (auto [element, row] : llvm::enumerate(indexing.row))
        rows[row].push_back(element);
      for (std::vector<int64_t> &members : rows)
        maskLowest(scores, std::move(members), ratio, keep);
    } else {
      std::vector<int64_t> all(values->size());
      std::iota(all.begin(), all.end(), 0);
      maskLowest(scores, std::move(all), ratio, keep);
    }
    int64_t zeros = 0;
    for (auto [element, value] : llvm::enumerate(*values)) {
      if (!keep[element])
        value = 0;
      zeros += value == 0;
    }
    double sparsity = double(zeros) / double(values->size());

    OpBuilder builder(op);
    ConstantFactory constants(builder, weight.getLoc(), attr);
    auto floatType = cast<FloatType>(type.getElementType());
    std::string format = "dense";
    auto linear = dyn_cast<tamp::LinearOp>(op);
    if (linear && shouldCompress(linear, keep, indexing)) {
      Operation *replacement = createSparseLinear(
          builder, linear, *values, keep, floatType, constants, format);
      op->replaceAllUsesWith(replacement);
      op->erase();
      op = replacement;
    } else {
      Value masked =
          constants.createFloats(type.getShape(), floatType, *values, "sparse");
      op->setOperand(*weightIndex, masked);
    }
    if (Operation *constant = weight.getDefiningOp();
        constant && constant->use_empty())
      constant->erase();
    op->setAttr(
        tamp::kSparsityAttrName,
        builder.getDictionaryAttr({
            builder.getNamedAttr("pattern", builder.getStringAttr(pattern)),
            builder.getNamedAttr(
                "score", builder.getStringAttr(activationAware ? "activation"
                                                               : "magnitude")),
            builder.getNamedAttr("sparsity", builder.getF64FloatAttr(sparsity)),
            builder.getNamedAttr("format", builder.getStringAttr(format)),
        }));
    return success();
  }

  /// The most weights any row of a [rows, columns] weight keeps.
  static int64_t getMaxKeptPerRow(ArrayRef<uint8_t> keep,
                                  const WeightIndexing &indexing) {
    std::vector<int64_t> kept(indexing.rows, 0);
    for (auto [element, row] : llvm::enumerate(indexing.row))
      kept[row] += keep[element];
    return *llvm::max_element(kept);
  }

  /// The cost rule (see the pass description): the compressed kernels win
  /// where the dense kernel streams the weight once per input row, for few
  /// rows, and the compressed weight is small enough.
  bool shouldCompress(tamp::LinearOp linear, ArrayRef<uint8_t> keep,
                      const WeightIndexing &indexing) {
    // tamp.sparse_linear has no epilogue: a layer with a fused activation
    // keeps its (masked) dense kernel.
    if (format == tamp::SparseFormat::Dense ||
        linear.getActivation() != tamp::Activation::none)
      return false;
    if (format == tamp::SparseFormat::Compressed)
      return true;
    auto inputType = linear.getInput().getType();
    if (!inputType.hasStaticShape())
      return false;
    int64_t rows = inputType.getNumElements() / inputType.getShape().back();
    if (parsed.isStructured())
      return rows <= maxCompressedRows && parsed.groupSize <= 8 &&
             2 * parsed.kept <= parsed.groupSize;
    double ellSparsity =
        1.0 - double(getMaxKeptPerRow(keep, indexing)) / indexing.columns;
    return rows <= maxCompressedRows && ellSparsity >= minEllSparsity;
  }

  /// The tamp.sparse_linear computing `linear` with the masked weight
  /// `values` ([N, K], zeros where `keep` is false): N:M groups, or one
  /// ELL group of K for unstructured sparsity.
  Operation *createSparseLinear(OpBuilder &builder, tamp::LinearOp linear,
                                ArrayRef<double> values, ArrayRef<uint8_t> keep,
                                FloatType floatType, ConstantFactory &constants,
                                std::string &format) {
    auto weightType = linear.getWeight().getType();
    int64_t rows = weightType.getDimSize(0), columns = weightType.getDimSize(1);
    int64_t groupSize, groups, slots;
    if (parsed.isStructured()) {
      groupSize = parsed.groupSize;
      groups = columns / groupSize;
      slots = parsed.kept;
      format = (Twine(parsed.kept) + ":" + Twine(parsed.groupSize)).str();
    } else {
      groupSize = columns;
      groups = 1;
      WeightIndexing indexing;
      indexing.rows = rows;
      indexing.row.resize(values.size());
      for (size_t element = 0; element < values.size(); ++element)
        indexing.row[element] = element / columns;
      slots = std::max<int64_t>(getMaxKeptPerRow(keep, indexing), 1);
      format = "ell";
    }
    // values[g, s, o] and indices[g, s, o]: the s-th kept weight of output
    // o in group g, in increasing position; unused slots hold zero at 0.
    std::vector<double> packedValues(groups * slots * rows, 0.0);
    std::vector<int64_t> packedIndices(groups * slots * rows, 0);
    for (int64_t row = 0; row < rows; ++row)
      for (int64_t group = 0; group < groups; ++group) {
        int64_t slot = 0;
        for (int64_t position = 0; position < groupSize && slot < slots;
             ++position) {
          int64_t element = row * columns + group * groupSize + position;
          if (!keep[element])
            continue;
          int64_t at = (group * slots + slot) * rows + row;
          packedValues[at] = values[element];
          packedIndices[at] = position;
          ++slot;
        }
      }
    unsigned indexBits = groupSize <= 128 ? 8 : groupSize <= 32768 ? 16 : 32;
    SmallVector<int64_t> shape = {groups, slots, rows};
    Value packed =
        constants.createFloats(shape, floatType, packedValues, "values");
    Value indices =
        constants.createIntegers(shape, indexBits, packedIndices, "indices");
    auto sparse = tamp::SparseLinearOp::create(
        builder, linear.getLoc(), linear.getType(), linear.getInput(), packed,
        indices, linear.getBias(), groupSize);
    // Calibration statistics stay with the layer.
    for (NamedAttribute attribute : linear->getDiscardableAttrs())
      sparse->setAttr(attribute.getName(), attribute.getValue());
    return sparse;
  }

  SparsityPattern parsed;
  llvm::StringSet<> selectedOps;
  SmallVector<Operation *> withoutStatistics, indivisible;
};

} // namespace
