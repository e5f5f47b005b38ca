//===- ChannelPruning.cpp - Scoring and removing channel groups -----------===//

#include "ChannelPruning.h"
#include "WeightData.h"

#include "tamp/Dialect/Tamp/IR/TampInterfaces.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"
#include "tamp/Dialect/Tamp/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Support/Regex.h"

#include <cmath>
#include <numeric>

using namespace mlir;
using namespace tamp;

/// The mean |x| per input channel that calibration recorded for operand 0
/// of `op`, or an error.
static FailureOr<std::vector<double>> readInputAbsMean(Operation *op) {
  auto calibration = op->getAttrOfType<DictionaryAttr>(kCalibrationAttrName);
  auto operand = calibration ? calibration.getAs<DictionaryAttr>("operand0")
                             : DictionaryAttr();
  auto absMean =
      operand ? operand.getAs<ElementsAttr>("abs_mean") : ElementsAttr();
  std::optional<std::vector<double>> values =
      absMean ? readFloatElements(absMean) : std::nullopt;
  if (!values)
    return op->emitError("activation-aware pruning needs the calibration "
                         "statistic operand0.abs_mean on this layer (run "
                         "calibration first)");
  return *values;
}

/// Each unit's importance at one weight slice.
static FailureOr<std::vector<double>>
scoreWeightSlice(const ChannelGroup &group, const WeightSlice &slice,
                 StringRef score) {
  Value weight = slice.op->getOperand(slice.operand);
  std::optional<std::vector<double>> values = readConstantFloats(weight);
  if (!values)
    return slice.op->emitError("cannot read the weight data of operand ")
           << slice.operand;
  auto type = cast<RankedTensorType>(weight.getType());
  int64_t dim = slice.layout.dim, dimSize = type.getDimSize(dim);
  int64_t inner = 1;
  for (int64_t d = dim + 1; d < type.getRank(); ++d)
    inner *= type.getDimSize(d);
  std::vector<double> channelWeights;
  if (score == "activation") {
    FailureOr<std::vector<double>> absMean = readInputAbsMean(slice.op);
    if (failed(absMean))
      return failure();
    if (int64_t(absMean->size()) != dimSize)
      return slice.op->emitError("calibration statistic operand0.abs_mean has ")
             << absMean->size() << " channels, the weight " << dimSize;
    channelWeights = std::move(*absMean);
  }
  std::vector<double> perIndex(dimSize, 0);
  for (auto [index, value] : llvm::enumerate(*values)) {
    int64_t channel = (int64_t(index) / inner) % dimSize;
    double magnitude = score == "l2" ? value * value : std::fabs(value);
    if (!channelWeights.empty())
      magnitude *= channelWeights[channel];
    perIndex[channel] += magnitude;
  }
  std::vector<double> units(group.units, 0);
  for (int64_t unit = 0; unit < group.units; ++unit) {
    for (int64_t element = 0; element < slice.layout.stride; ++element)
      units[unit] +=
          perIndex[slice.layout.offset + unit * slice.layout.stride + element];
    if (score == "l2")
      units[unit] = std::sqrt(units[unit]);
  }
  return units;
}

/// Each unit's importance: the sum over the layers it spans of its
/// weights' magnitude, normalised per layer so that no layer's scale
/// dominates.
static FailureOr<std::vector<double>> scoreUnits(const ChannelGroup &group,
                                                 StringRef score) {
  std::vector<double> total(group.units, 0);
  bool scored = false;
  for (const WeightSlice &slice : group.weights) {
    if (slice.role == WeightSlice::Role::Parameter ||
        (score == "activation" && slice.role != WeightSlice::Role::Input))
      continue;
    // A bias says little about its channel's importance.
    if (auto prunable = dyn_cast<PrunableChannelOpInterface>(slice.op))
      if (prunable.getBiasOperandIndex() == slice.operand)
        continue;
    FailureOr<std::vector<double>> units =
        scoreWeightSlice(group, slice, score);
    if (failed(units))
      return failure();
    double mean = std::accumulate(units->begin(), units->end(), 0.0) /
                  double(units->size());
    for (auto [sum, value] : llvm::zip_equal(total, *units))
      sum += mean > 0 ? value / mean : 0;
    scored = true;
  }
  if (!scored)
    return group.getFirstProducer()->emitError(
        "no layer to score the channels of this group by");
  return total;
}

namespace {

/// Elements removed along each dimension of a tensor.
using RemovedElements = SmallVector<llvm::BitVector>;

/// Everything that shrinks, collected over all pruned groups before any
/// IR changes.
struct Removal {
  llvm::MapVector<Value, RemovedElements> values;
  llvm::MapVector<std::pair<Operation *, unsigned>, RemovedElements> weights;
  llvm::SetVector<Operation *> reshapes;
  llvm::SetVector<Operation *> depthwiseConvs;

  static void mark(RemovedElements &removed, RankedTensorType type,
                   const UnitLayout &layout, ArrayRef<int64_t> units) {
    if (removed.empty())
      for (int64_t size : type.getShape())
        removed.emplace_back(ShapedType::isDynamic(size) ? 0 : size);
    for (int64_t unit : units)
      for (int64_t element = 0; element < layout.stride; ++element)
        removed[layout.dim].set(layout.offset + unit * layout.stride + element);
  }

  void add(const ChannelGroup &group, ArrayRef<int64_t> units) {
    for (const ValueSlice &slice : group.values)
      mark(values[slice.value], cast<RankedTensorType>(slice.value.getType()),
           slice.layout, units);
    for (const WeightSlice &slice : group.weights)
      mark(
          weights[{slice.op, slice.operand}],
          cast<RankedTensorType>(slice.op->getOperand(slice.operand).getType()),
          slice.layout, units);
    reshapes.insert(group.reshapes.begin(), group.reshapes.end());
    depthwiseConvs.insert(group.depthwiseConvs.begin(),
                          group.depthwiseConvs.end());
  }
};

} // namespace

static SmallVector<int64_t> getKeptIndices(const llvm::BitVector &removed,
                                           int64_t size) {
  SmallVector<int64_t> kept;
  for (int64_t index = 0; index < size; ++index)
    if (removed.empty() || !removed.test(index))
      kept.push_back(index);
  return kept;
}

static RankedTensorType getPrunedType(RankedTensorType type,
                                      const RemovedElements &removed) {
  SmallVector<int64_t> shape(type.getShape());
  for (auto [size, dim] : llvm::zip_equal(shape, removed))
    if (!ShapedType::isDynamic(size))
      size -= dim.count();
  return RankedTensorType::get(shape, type.getElementType(),
                               type.getEncoding());
}

/// Records, composed with earlier pruning, which original channels `op`
/// keeps along `attrName`'s dimension.
static void recordKeptChannels(Operation *op, StringRef attrName,
                               ArrayRef<int64_t> kept) {
  SmallVector<int64_t> original(kept);
  if (auto earlier = op->getAttrOfType<DenseI64ArrayAttr>(attrName))
    for (int64_t &index : original)
      index = earlier[index];
  op->setAttr(attrName, DenseI64ArrayAttr::get(op->getContext(), original));
}

/// Replaces operand `operand` of `op` (a float constant) by the elements
/// that `removed` keeps.
static LogicalResult sliceWeight(Operation *op, unsigned operand,
                                 const RemovedElements &removed) {
  Value weight = op->getOperand(operand);
  auto constant = weight.getDefiningOp<ConstantOp>();
  std::optional<std::vector<double>> values = readConstantFloats(weight);
  if (!constant || !values)
    return op->emitError("cannot read the constant data of operand ")
           << operand;
  auto type = cast<RankedTensorType>(weight.getType());
  RankedTensorType prunedType = getPrunedType(type, removed);
  int64_t rank = type.getRank();
  SmallVector<SmallVector<int64_t>> kept;
  for (int64_t dim = 0; dim < rank; ++dim)
    kept.push_back(getKeptIndices(removed[dim], type.getDimSize(dim)));
  SmallVector<int64_t> strides(rank, 1);
  for (int64_t dim = rank - 2; dim >= 0; --dim)
    strides[dim] = strides[dim + 1] * type.getDimSize(dim + 1);
  std::vector<float> pruned;
  pruned.reserve(prunedType.getNumElements());
  SmallVector<int64_t> position(rank, 0);
  for (int64_t element = 0, e = prunedType.getNumElements(); element < e;
       ++element) {
    int64_t source = 0;
    for (int64_t dim = 0; dim < rank; ++dim)
      source += kept[dim][position[dim]] * strides[dim];
    pruned.push_back(float((*values)[source]));
    for (int64_t dim = rank - 1; dim >= 0; --dim) {
      if (++position[dim] < prunedType.getDimSize(dim))
        break;
      position[dim] = 0;
    }
  }
  OpBuilder builder(op);
  ConstantBuilder constants(builder, constant.getLoc(), constant.getValue());
  Value replacement = constants.createFloats(
      prunedType.getShape(), cast<FloatType>(type.getElementType()), pruned,
      "pruned");
  op->setOperand(operand, replacement);
  if (constant->use_empty())
    constant->erase();

  if (auto prunable = dyn_cast<PrunableChannelOpInterface>(op);
      prunable && prunable.getWeightOperandIndex() == operand) {
    int64_t outputDim = prunable.getWeightOutputChannelDim();
    int64_t inputDim = prunable.getWeightInputChannelDim();
    if (removed[outputDim].any())
      recordKeptChannels(op, kKeptOutputChannelsAttrName, kept[outputDim]);
    if (removed[inputDim].any())
      recordKeptChannels(op, kKeptInputChannelsAttrName, kept[inputDim]);
  }
  return success();
}

/// Rewrites a reshape's constant shape for its pruned result.
static void updateReshapeShape(ReshapeOp reshape) {
  auto oldShape = getConstantIntValues(reshape.getShape());
  auto input = cast<RankedTensorType>(reshape.getInput().getType());
  auto result = cast<RankedTensorType>(reshape.getOutput().getType());
  SmallVector<int64_t> shape(*oldShape);
  for (auto [dim, entry] : llvm::enumerate(shape)) {
    int64_t size = result.getDimSize(dim);
    if (entry == -1 || ShapedType::isDynamic(size))
      continue;
    // 0 copies the input's size, which is right only if that shrank alike.
    if (entry == 0 && int64_t(dim) < input.getRank() &&
        input.getDimSize(dim) == size)
      continue;
    entry = size;
  }
  OpBuilder builder(reshape);
  auto type =
      RankedTensorType::get({int64_t(shape.size())}, builder.getI64Type());
  Value constant = ConstantOp::create(builder, reshape.getLoc(), type,
                                      DenseIntElementsAttr::get(type, shape));
  Operation *old = reshape.getShape().getDefiningOp();
  reshape.getShapeMutable().assign(constant);
  if (old && old->use_empty())
    old->erase();
}

FailureOr<int64_t>
tamp::pruneGroups(func::FuncOp function, const GroupPruningOptions &options,
                  function_ref<bool(const ChannelGroup &)> select) {
  if (options.score != "l1" && options.score != "l2" &&
      options.score != "activation")
    return function.emitError("unknown pruning score '")
           << options.score << "' (expected l1, l2 or activation)";
  if (options.ratio < 0 || options.ratio >= 1 || options.minKeep < 0 ||
      options.minKeep > 1)
    return function.emitError(
        "pruning ratio must lie in [0, 1) and min-keep in [0, 1]");
  SmallVector<std::pair<llvm::Regex, double>> overrides;
  for (StringRef entry : options.overrides) {
    auto [pattern, ratioText] = entry.rsplit('=');
    double ratio;
    llvm::Regex regex(("^(" + pattern + ")$").str());
    std::string error;
    if (ratioText.getAsDouble(ratio) || ratio < 0 || ratio >= 1 ||
        !regex.isValid(error))
      return function.emitError("invalid pruning override '")
             << entry << "' (expected REGEX=RATIO with RATIO in [0, 1))";
    overrides.emplace_back(std::move(regex), ratio);
  }

  ChannelDependencyGraph graph(function);
  struct Candidate {
    const ChannelGroup *group;
    std::vector<double> scores;
    double ratio;
    bool overridden;
    int64_t maxRemoved;
  };
  SmallVector<Candidate> candidates;
  for (const ChannelGroup &group : graph.getGroups()) {
    if (!group.isPrunable() || !select(group) || group.units < 2)
      continue;
    FailureOr<std::vector<double>> scores = scoreUnits(group, options.score);
    if (failed(scores))
      return failure();
    Candidate candidate{&group, std::move(*scores), options.ratio, false, 0};
    std::string name = group.getName();
    for (auto &[regex, ratio] : overrides)
      if (regex.match(name)) {
        candidate.ratio = ratio;
        candidate.overridden = true;
        break;
      }
    int64_t floor = std::max<int64_t>(
        1, int64_t(std::ceil(options.minKeep * double(group.units) - 1e-9)));
    candidate.maxRemoved = std::max<int64_t>(0, group.units - floor);
    candidates.push_back(std::move(candidate));
  }

  // Removing `count` of `units` keeps a multiple of roundTo (rounded up).
  auto roundRemoved = [&](int64_t units, int64_t count) -> int64_t {
    int64_t step = std::max<int64_t>(options.roundTo, 1);
    if (units <= step)
      return count;
    int64_t kept = units - count;
    int64_t rounded = std::min(units, (kept + step - 1) / step * step);
    return units - rounded;
  };
  // Which units each candidate loses: lowest scores first, ties by index.
  SmallVector<SmallVector<int64_t>> removedUnits(candidates.size());
  auto lowestFirst = [](const std::vector<double> &scores) {
    SmallVector<int64_t> order(scores.size());
    std::iota(order.begin(), order.end(), 0);
    llvm::sort(order, [&](int64_t a, int64_t b) {
      return std::make_pair(scores[a], a) < std::make_pair(scores[b], b);
    });
    return order;
  };
  struct PooledUnit {
    double score;
    unsigned candidate;
    int64_t unit;
  };
  SmallVector<PooledUnit> pool;
  int64_t pooledUnits = 0;
  for (auto [index, candidate] : llvm::enumerate(candidates)) {
    if (options.global && !candidate.overridden) {
      double mean = std::accumulate(candidate.scores.begin(),
                                    candidate.scores.end(), 0.0) /
                    double(candidate.scores.size());
      for (auto [unit, score] : llvm::enumerate(candidate.scores))
        pool.push_back(
            {mean > 0 ? score / mean : 0, unsigned(index), int64_t(unit)});
      pooledUnits += candidate.group->units;
      continue;
    }
    int64_t count = roundRemoved(
        candidate.group->units,
        std::min<int64_t>(
            int64_t(candidate.ratio * double(candidate.group->units) + 1e-9),
            candidate.maxRemoved));
    SmallVector<int64_t> order = lowestFirst(candidate.scores);
    removedUnits[index].assign(order.begin(), order.begin() + count);
  }
  if (!pool.empty()) {
    llvm::sort(pool, [](const PooledUnit &a, const PooledUnit &b) {
      return std::make_tuple(a.score, a.candidate, a.unit) <
             std::make_tuple(b.score, b.candidate, b.unit);
    });
    int64_t budget = int64_t(options.ratio * double(pooledUnits) + 1e-9);
    for (const PooledUnit &unit : pool) {
      if (budget == 0)
        break;
      SmallVector<int64_t> &removed = removedUnits[unit.candidate];
      if (int64_t(removed.size()) >= candidates[unit.candidate].maxRemoved)
        continue;
      removed.push_back(unit.unit);
      --budget;
    }
    // Round each group's kept count up to the multiple; the pool is sorted
    // by score, so the units put back are those removed last.
    for (auto [index, removed] : llvm::enumerate(removedUnits)) {
      if (!options.global || candidates[index].overridden)
        continue;
      removed.resize(
          roundRemoved(candidates[index].group->units, removed.size()));
    }
  }

  Removal removal;
  int64_t total = 0;
  for (auto [candidate, units] : llvm::zip_equal(candidates, removedUnits)) {
    if (units.empty())
      continue;
    llvm::sort(units);
    removal.add(*candidate.group, units);
    total += units.size();
  }
  if (!total)
    return 0;

  for (auto &[key, removed] : removal.weights)
    if (failed(sliceWeight(key.first, key.second, removed)))
      return failure();
  for (auto &[value, removed] : removal.values)
    value.setType(
        getPrunedType(cast<RankedTensorType>(value.getType()), removed));
  for (Operation *op : removal.reshapes)
    updateReshapeShape(cast<ReshapeOp>(op));
  for (Operation *op : removal.depthwiseConvs) {
    auto conv = cast<ConvOp>(op);
    int64_t channels =
        cast<RankedTensorType>(conv.getInput().getType()).getDimSize(1);
    conv.setGroupAttr(
        IntegerAttr::get(IntegerType::get(op->getContext(), 64), channels));
  }
  // Statistics gathered on the unpruned model no longer describe it.
  function.walk([](Operation *op) { op->removeAttr(kCalibrationAttrName); });
  return total;
}
