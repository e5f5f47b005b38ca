//===- ChannelDependency.cpp - Which channels must be pruned together -----===//
//
// Each layer that produces channels (a convolution or linear layer with a
// constant weight, an embedding table) starts a group; the group follows its
// channels forward through the ops that keep them (recording the tensors and
// constants that shrink with them) and records where they must equal
// another tensor's channels (a residual add, a matmul's batch dimensions).
// Groups that meet there are merged. Anything the analysis does not
// understand blocks the group, so pruning never changes what a model
// computes beyond removing channels.
//
//===----------------------------------------------------------------------===//

#include "ChannelDependency.h"

#include "tamp/Dialect/Tamp/IR/TampDialect.h"
#include "tamp/Dialect/Tamp/IR/TampInterfaces.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/EquivalenceClasses.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/TypeSwitch.h"

#include <deque>
#include <numeric>

using namespace mlir;
using namespace tamp;

std::string tamp::describeOp(Operation *op) {
  std::optional<StringRef> name = getNodeName(op->getLoc());
  std::string text = name && !name->empty() ? name->str() + " " : "";
  return text + "(" + op->getName().getStringRef().str() + ")";
}

Operation *ChannelGroup::getFirstProducer() const {
  for (const WeightSlice &weight : weights)
    if (weight.role == WeightSlice::Role::Output)
      return weight.op;
  return nullptr;
}

std::string ChannelGroup::getName() const {
  for (const WeightSlice &weight : weights) {
    if (weight.role != WeightSlice::Role::Output)
      continue;
    if (std::optional<StringRef> name = getNodeName(weight.op->getLoc());
        name && !name->empty())
      return name->str();
    // Unnamed nodes: the weight's initializer name.
    auto constant =
        weight.op->getOperand(weight.operand).getDefiningOp<tamp::ConstantOp>();
    if (auto resource =
            constant ? dyn_cast<DenseResourceElementsAttr>(constant.getValue())
                     : DenseResourceElementsAttr())
      return resource.getRawHandle().getKey().str();
    return "";
  }
  return "";
}

namespace {

/// A constraint found while following a group: dimension `layout.dim` of
/// `value` must hold the same units as the group.
struct Coupling {
  Value value;
  UnitLayout layout;
  Operation *at;
};

/// Follows groups forward from their producers.
class GroupBuilder {
public:
  explicit GroupBuilder(std::vector<ChannelGroup> &groups) : groups(groups) {}

  /// Starts a group at `producer`, whose `dim` of `result` holds `channels`
  /// output channels, and follows it.
  void startGroup(Operation *producer, unsigned weightOperand,
                  int64_t weightDim, std::optional<unsigned> biasOperand,
                  Value result, int64_t dim, int64_t channels);

  /// Merges the groups that constraints tie together.
  void mergeCoupledGroups();

private:
  ChannelGroup &group() { return groups[current]; }
  void block(const Twine &reason) {
    if (group().blocker.empty())
      group().blocker = reason.str();
  }
  void addValue(Value value, UnitLayout layout);
  void addWeight(Operation *op, unsigned operand, UnitLayout layout,
                 WeightSlice::Role role) {
    group().weights.push_back({op, operand, layout, role});
  }
  /// Makes each unit `factor` times larger; false when the units do not
  /// divide.
  bool coarsen(int64_t factor);
  void followUse(OpOperand &use, UnitLayout layout);
  /// An operand of a broadcasting op other than the one the group arrived
  /// on: a constant parameter that is sliced, a value that must carry the
  /// same units, or nothing (broadcast along the dimension).
  void handleOtherOperand(Operation *op, unsigned operand, int64_t resultDim,
                          int64_t resultRank, UnitLayout layout);
  void followReshape(Operation *op, Value input, Value result,
                     UnitLayout layout);

  std::vector<ChannelGroup> &groups;
  unsigned current = 0;
  std::deque<unsigned> worklist;
  /// Per group: the constraints to resolve when merging.
  DenseMap<unsigned, SmallVector<Coupling>> couplings;
};

} // namespace

static bool isFloatTensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && isa<FloatType>(tensor.getElementType());
}

static bool isConstant(Value value) {
  return value && value.getDefiningOp<tamp::ConstantOp>();
}

void GroupBuilder::addValue(Value value, UnitLayout layout) {
  for (const ValueSlice &slice : group().values)
    if (slice.value == value && slice.layout.dim == layout.dim &&
        slice.layout.offset == layout.offset)
      return;
  group().values.push_back({value, layout});
  worklist.push_back(group().values.size() - 1);
}

bool GroupBuilder::coarsen(int64_t factor) {
  ChannelGroup &g = group();
  if (factor <= 1)
    return true;
  if (g.units % factor != 0)
    return false;
  g.units /= factor;
  g.channelsPerUnit *= factor;
  for (ValueSlice &slice : g.values)
    slice.layout.stride *= factor;
  for (WeightSlice &weight : g.weights)
    weight.layout.stride *= factor;
  for (Coupling &coupling : couplings[current])
    coupling.layout.stride *= factor;
  return true;
}

void GroupBuilder::startGroup(Operation *producer, unsigned weightOperand,
                              int64_t weightDim,
                              std::optional<unsigned> biasOperand, Value result,
                              int64_t dim, int64_t channels) {
  current = groups.size();
  groups.emplace_back();
  group().units = channels;
  addWeight(producer, weightOperand, {weightDim, 0, 1},
            WeightSlice::Role::Output);
  if (biasOperand)
    addWeight(producer, *biasOperand, {0, 0, 1}, WeightSlice::Role::Output);
  worklist.clear();
  addValue(result, {dim, 0, 1});
  while (!worklist.empty() && group().isPrunable()) {
    ValueSlice slice = group().values[worklist.front()];
    worklist.pop_front();
    for (OpOperand &use : slice.value.getUses()) {
      // Re-read the layout: following an earlier use may have coarsened it.
      UnitLayout layout = slice.layout;
      for (const ValueSlice &recorded : group().values)
        if (recorded.value == slice.value &&
            recorded.layout.dim == slice.layout.dim &&
            recorded.layout.offset == slice.layout.offset)
          layout = recorded.layout;
      followUse(use, layout);
      if (!group().isPrunable())
        break;
    }
  }
}

void GroupBuilder::handleOtherOperand(Operation *op, unsigned operand,
                                      int64_t resultDim, int64_t resultRank,
                                      UnitLayout layout) {
  Value value = op->getOperand(operand);
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type) {
    block("operand " + Twine(operand) + " of " + describeOp(op) +
          " is not a ranked tensor");
    return;
  }
  int64_t dim = resultDim - (resultRank - type.getRank());
  if (dim < 0 || type.getDimSize(dim) == 1)
    return;
  UnitLayout aligned{dim, layout.offset, layout.stride};
  if (isConstant(value)) {
    addWeight(op, operand, aligned, WeightSlice::Role::Parameter);
    return;
  }
  couplings[current].push_back({value, aligned, op});
}

/// Consecutive dimensions of a reshape's input and result whose sizes have
/// the same product.
struct ReshapeRun {
  int64_t inBegin, inEnd, outBegin, outEnd;
};

static std::optional<SmallVector<ReshapeRun>>
getReshapeRuns(ArrayRef<int64_t> in, ArrayRef<int64_t> out) {
  SmallVector<ReshapeRun> runs;
  int64_t i = 0, j = 0, n = in.size(), m = out.size();
  while (i < n || j < m) {
    ReshapeRun run{i, i, j, j};
    // A dynamic size only pairs with a dynamic size.
    if (i < n && j < m && ShapedType::isDynamic(in[i]) &&
        ShapedType::isDynamic(out[j])) {
      runs.push_back({i, i + 1, j, j + 1});
      ++i, ++j;
      continue;
    }
    int64_t inProduct = 1, outProduct = 1;
    if (i < n)
      inProduct = in[i++];
    if (j < m)
      outProduct = out[j++];
    while (inProduct != outProduct) {
      if (ShapedType::isDynamic(inProduct) || ShapedType::isDynamic(outProduct))
        return std::nullopt;
      if (inProduct < outProduct && i < n)
        inProduct *= in[i++];
      else if (outProduct < inProduct && j < m)
        outProduct *= out[j++];
      else
        return std::nullopt;
    }
    run.inEnd = i;
    run.outEnd = j;
    runs.push_back(run);
  }
  return runs;
}

void GroupBuilder::followReshape(Operation *op, Value input, Value result,
                                 UnitLayout layout) {
  ArrayRef<int64_t> in = cast<RankedTensorType>(input.getType()).getShape();
  ArrayRef<int64_t> out = cast<RankedTensorType>(result.getType()).getShape();
  std::optional<SmallVector<ReshapeRun>> runs = getReshapeRuns(in, out);
  if (!runs) {
    block(describeOp(op) + " mixes the channels with dimensions of unknown "
                           "size");
    return;
  }
  const ReshapeRun *run = llvm::find_if(*runs, [&](const ReshapeRun &run) {
    return run.inBegin <= layout.dim && layout.dim < run.inEnd;
  });
  auto firstNonUnit = [](ArrayRef<int64_t> shape, int64_t begin, int64_t end) {
    for (int64_t dim = begin; dim < end; ++dim)
      if (shape[dim] != 1)
        return dim;
    return end;
  };
  auto product = [](ArrayRef<int64_t> shape, int64_t begin, int64_t end) {
    int64_t value = 1;
    for (int64_t dim = begin; dim < end; ++dim)
      value *= shape[dim];
    return value;
  };
  int64_t inLead = firstNonUnit(in, run->inBegin, run->inEnd);
  int64_t outLead = firstNonUnit(out, run->outBegin, run->outEnd);
  if (inLead != layout.dim || outLead == run->outEnd) {
    block(describeOp(op) + " interleaves the channels with other dimensions");
    return;
  }
  // Only the leading dimensions on either side may be split or merged: the
  // channel index is then the outermost coordinate.
  int64_t inInner = product(in, layout.dim + 1, run->inEnd);
  int64_t outInner = product(out, outLead + 1, run->outEnd);
  // Split: each unit must cover whole rows of the inner output dimensions.
  if (inInner == 1 && outInner > 1) {
    int64_t factor = outInner / std::gcd(outInner, layout.stride);
    if (layout.offset % outInner != 0 || !coarsen(factor)) {
      block(describeOp(op) + " splits the channels into blocks of " +
            Twine(outInner) + " that do not divide the group");
      return;
    }
    layout.stride *= factor;
    addValue(result,
             {outLead, layout.offset / outInner, layout.stride / outInner});
    return;
  }
  // Merge (flatten): each channel becomes `inInner` consecutive features.
  if (outInner == 1) {
    addValue(result,
             {outLead, layout.offset * inInner, layout.stride * inInner});
    return;
  }
  block(describeOp(op) + " both splits and merges the channel dimension");
}

/// Follows the group into a reduction that keeps or drops dimensions.
template <typename ReduceOpTy>
static std::optional<int64_t> getReducedResultDim(ReduceOpTy op, int64_t dim) {
  int64_t rank = cast<RankedTensorType>(op.getInput().getType()).getRank();
  ArrayRef<int64_t> axes = op.getAxes();
  if (axes.empty())
    return std::nullopt;
  int64_t removedBefore = 0;
  for (int64_t axis : axes) {
    int64_t normalized = axis < 0 ? axis + rank : axis;
    if (normalized == dim)
      return std::nullopt;
    if (normalized < dim)
      ++removedBefore;
  }
  return op.getKeepdims() ? dim : dim - removedBefore;
}

void GroupBuilder::followUse(OpOperand &use, UnitLayout layout) {
  Operation *op = use.getOwner();
  unsigned index = use.getOperandNumber();
  int64_t dim = layout.dim;
  auto rankOf = [](Value value) {
    return cast<RankedTensorType>(value.getType()).getRank();
  };
  auto next = [&](Value result, int64_t resultDim) {
    addValue(result, {resultDim, layout.offset, layout.stride});
  };
  for (Type type : op->getResultTypes())
    if (auto tensor = dyn_cast<RankedTensorType>(type);
        tensor && isa<quant::QuantizedType>(tensor.getElementType()))
      return block(describeOp(op) + " is quantized (prune before quantizing)");

  TypeSwitch<Operation *>(op)
      .Case([&](func::ReturnOp) {
        block("the channels reach model output " + Twine(index));
      })
      .Case([&](LinearOp linear) {
        if (index != 0 || !isConstant(linear.getWeight()))
          return block(describeOp(op) + " takes the channels as its weight");
        if (dim == rankOf(linear.getInput()) - 1)
          return addWeight(op, 1, {1, layout.offset, layout.stride},
                           WeightSlice::Role::Input);
        next(linear.getOutput(), dim);
      })
      .Case([&](ConvOp conv) {
        if (index != 0 || dim != 1 || !isConstant(conv.getWeight()))
          return block(describeOp(op) +
                       " takes the channels other than as input channels");
        auto weightType = cast<RankedTensorType>(conv.getWeight().getType());
        int64_t channels =
            cast<RankedTensorType>(conv.getInput().getType()).getDimSize(1);
        if (conv.getGroup() == 1)
          return addWeight(op, 1, {1, layout.offset, layout.stride},
                           WeightSlice::Role::Input);
        // Depthwise with multiplier 1: channel c in, channel c out.
        if (conv.getGroup() == channels &&
            weightType.getDimSize(0) == channels &&
            weightType.getDimSize(1) == 1) {
          addWeight(op, 1, {0, layout.offset, layout.stride},
                    WeightSlice::Role::Parameter);
          if (conv.getBias())
            addWeight(op, 2, {0, layout.offset, layout.stride},
                      WeightSlice::Role::Parameter);
          if (!llvm::is_contained(group().depthwiseConvs, op))
            group().depthwiseConvs.push_back(op);
          return next(conv.getOutput(), 1);
        }
        block(describeOp(op) + " is a grouped convolution (group " +
              Twine(conv.getGroup()) + ")");
      })
      .Case([&](BatchNormOp norm) {
        if (index != 0 || dim != 1)
          return block(describeOp(op) + " takes the channels as a parameter");
        for (unsigned operand = 1; operand < 5; ++operand) {
          if (!isConstant(op->getOperand(operand)))
            return block(describeOp(op) + " has non-constant statistics");
          addWeight(op, operand, {0, layout.offset, layout.stride},
                    WeightSlice::Role::Parameter);
        }
        next(norm.getOutput(), 1);
      })
      .Case<MaxPoolOp, AvgPoolOp>([&](auto pool) {
        if (dim != 1)
          return block(describeOp(op) + " pools over the channels");
        next(pool.getOutput(), 1);
      })
      .Case<AddOp, SubOp, MulOp, DivOp, PowOp, MinOp, MaxOp, PReluOp>(
          [&](auto binary) {
            Value result = op->getResult(0);
            int64_t resultRank = rankOf(result);
            int64_t resultDim = dim + (resultRank - rankOf(use.get()));
            handleOtherOperand(op, 1 - index, resultDim, resultRank, layout);
            next(result, resultDim);
          })
      .Case([&](WhereOp where) {
        Value result = where.getOutput();
        int64_t resultRank = rankOf(result);
        int64_t resultDim = dim + (resultRank - rankOf(use.get()));
        for (unsigned other = 0; other < 3; ++other)
          if (other != index)
            handleOtherOperand(op, other, resultDim, resultRank, layout);
        next(result, resultDim);
      })
      .Case<ReduceSumOp, ReduceMeanOp, ReduceMaxOp, ReduceMinOp, ReduceL1Op,
            ReduceL2Op, ReduceSumSquareOp>([&](auto reduce) {
        std::optional<int64_t> resultDim = getReducedResultDim(reduce, dim);
        if (!resultDim)
          return block(describeOp(op) + " reduces over the channels");
        next(reduce.getOutput(), *resultDim);
      })
      .Case<SoftmaxOp, LogSoftmaxOp>([&](auto softmax) {
        int64_t axis = softmax.getAxis();
        if (axis < 0)
          axis += rankOf(use.get());
        if (axis == dim)
          return block(describeOp(op) + " normalizes over the channels");
        next(softmax.getOutput(), dim);
      })
      .Case([&](LayerNormOp norm) {
        int64_t axis = norm.getAxis();
        if (axis < 0)
          axis += rankOf(use.get());
        if (index != 0 || dim >= axis)
          return block(describeOp(op) +
                       " normalizes over the channels (pruning would change "
                       "its statistics)");
        next(norm.getOutput(), dim);
      })
      .Case([&](TransposeOp transpose) {
        ArrayRef<int64_t> perm = transpose.getPerm();
        auto position = llvm::find(perm, dim);
        next(transpose.getOutput(), position - perm.begin());
      })
      .Case<ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp>([&](auto reshape) {
        if (isa<ReshapeOp>(op) && index != 0)
          return block(describeOp(op) + " takes the channels as its shape");
        if (isa<ReshapeOp>(op)) {
          if (!isConstant(op->getOperand(1)))
            return block(describeOp(op) + " has a computed shape");
          if (!llvm::is_contained(group().reshapes, op))
            group().reshapes.push_back(op);
        }
        followReshape(op, use.get(), op->getResult(0), layout);
      })
      .Case([&](ConcatOp concat) {
        int64_t rank = rankOf(use.get());
        int64_t axis =
            concat.getAxis() < 0 ? concat.getAxis() + rank : concat.getAxis();
        if (axis != dim) {
          for (unsigned other = 0; other < op->getNumOperands(); ++other)
            if (other != index)
              handleOtherOperand(op, other, dim, rank, layout);
          return next(concat.getOutput(), dim);
        }
        int64_t offset = 0;
        for (unsigned before = 0; before < index; ++before) {
          int64_t size =
              cast<RankedTensorType>(op->getOperand(before).getType())
                  .getDimSize(axis);
          if (ShapedType::isDynamic(size))
            return block(describeOp(op) +
                         " concatenates inputs of unknown size");
          offset += size;
        }
        addValue(concat.getOutput(),
                 {dim, layout.offset + offset, layout.stride});
      })
      .Case([&](MatMulOp matmul) {
        Value lhs = matmul.getLhs(), rhs = matmul.getRhs();
        int64_t lhsRank = rankOf(lhs), rhsRank = rankOf(rhs);
        int64_t resultRank = rankOf(matmul.getOutput());
        if (lhsRank < 2 || rhsRank < 2)
          return block(describeOp(op) + " is a matrix-vector product");
        int64_t rank = index == 0 ? lhsRank : rhsRank;
        unsigned other = 1 - index;
        // The reduction: both operands lose the same elements.
        if ((index == 0 && dim == rank - 1) ||
            (index == 1 && dim == rank - 2)) {
          int64_t otherDim = index == 0 ? rhsRank - 2 : lhsRank - 1;
          UnitLayout aligned{otherDim, layout.offset, layout.stride};
          if (isConstant(op->getOperand(other)))
            return addWeight(op, other, aligned, WeightSlice::Role::Input);
          couplings[current].push_back({op->getOperand(other), aligned, op});
          return;
        }
        if (dim >= rank - 2)
          return next(matmul.getOutput(), resultRank - (rank - dim));
        // A batch dimension: attention heads.
        group().throughAttention = true;
        int64_t resultDim = dim + (resultRank - rank);
        int64_t otherRank = index == 0 ? rhsRank : lhsRank;
        if (resultDim - (resultRank - otherRank) >= otherRank - 2)
          return block(describeOp(op) + " broadcasts in an unexpected way");
        handleOtherOperand(op, other, resultDim, resultRank, layout);
        next(matmul.getOutput(), resultDim);
      })
      .Default([&](Operation *op) {
        if (op->hasTrait<OpTrait::Elementwise>() && op->getNumResults() == 1 &&
            op->getNumOperands() == 1)
          return next(op->getResult(0), dim);
        block(describeOp(op) + " is not understood by the channel analysis");
      });
}

void GroupBuilder::mergeCoupledGroups() {
  // Where each (value, dim, offset) lives.
  DenseMap<std::tuple<Value, int64_t, int64_t>, SmallVector<unsigned>> owners;
  for (auto [index, group] : llvm::enumerate(groups))
    for (const ValueSlice &slice : group.values)
      owners[{slice.value, slice.layout.dim, slice.layout.offset}].push_back(
          index);

  llvm::EquivalenceClasses<unsigned> classes;
  for (unsigned index = 0; index < groups.size(); ++index)
    classes.insert(index);
  // Groups that reach the same tensor at the same place are one.
  for (auto &[key, indices] : owners)
    for (unsigned index : llvm::drop_begin(indices))
      classes.unionSets(indices.front(), index);
  for (auto &[index, list] : couplings)
    for (const Coupling &coupling : list) {
      auto found = owners.find(
          {coupling.value, coupling.layout.dim, coupling.layout.offset});
      if (found == owners.end()) {
        if (groups[index].blocker.empty())
          groups[index].blocker = "the channels meet a tensor at " +
                                  describeOp(coupling.at) +
                                  " that no prunable layer produces";
        continue;
      }
      classes.unionSets(index, found->second.front());
    }

  // Classes in the order of their first group, so the result does not
  // depend on which member became the leader.
  SmallVector<SmallVector<unsigned>> memberLists;
  for (auto it = classes.begin(), end = classes.end(); it != end; ++it) {
    if (!(*it)->isLeader())
      continue;
    SmallVector<unsigned> members(classes.member_begin(**it),
                                  classes.member_end());
    llvm::sort(members);
    memberLists.push_back(std::move(members));
  }
  llvm::sort(memberLists, [](const SmallVector<unsigned> &a,
                             const SmallVector<unsigned> &b) {
    return a.front() < b.front();
  });
  std::vector<ChannelGroup> merged;
  for (ArrayRef<unsigned> members : memberLists) {
    ChannelGroup result;
    // The coarsest unit wins; finer members must divide into it.
    int64_t channels = 0;
    for (unsigned member : members)
      channels = std::max(channels, groups[member].channelsPerUnit);
    result.channelsPerUnit = channels;
    result.units = -1;
    for (unsigned member : members) {
      ChannelGroup &group = groups[member];
      if (channels % group.channelsPerUnit != 0 ||
          group.units % (channels / group.channelsPerUnit) != 0) {
        result.blocker = "groups with incompatible units are tied together";
        continue;
      }
      int64_t factor = channels / group.channelsPerUnit;
      int64_t units = group.units / factor;
      if (result.units >= 0 && result.units != units)
        result.blocker = "groups with different channel counts are tied "
                         "together";
      result.units = units;
      result.throughAttention |= group.throughAttention;
      if (result.blocker.empty() && !group.blocker.empty())
        result.blocker = group.blocker;
      auto scale = [&](UnitLayout layout) {
        layout.stride *= factor;
        return layout;
      };
      for (const ValueSlice &slice : group.values)
        if (!llvm::any_of(result.values, [&](const ValueSlice &existing) {
              return existing.value == slice.value &&
                     existing.layout.dim == slice.layout.dim &&
                     existing.layout.offset == slice.layout.offset;
            }))
          result.values.push_back({slice.value, scale(slice.layout)});
      for (const WeightSlice &weight : group.weights)
        if (!llvm::any_of(result.weights, [&](const WeightSlice &existing) {
              return existing.op == weight.op &&
                     existing.operand == weight.operand &&
                     existing.layout.dim == weight.layout.dim &&
                     existing.layout.offset == weight.layout.offset;
            }))
          result.weights.push_back(
              {weight.op, weight.operand, scale(weight.layout), weight.role});
      for (Operation *op : group.reshapes)
        if (!llvm::is_contained(result.reshapes, op))
          result.reshapes.push_back(op);
      for (Operation *op : group.depthwiseConvs)
        if (!llvm::is_contained(result.depthwiseConvs, op))
          result.depthwiseConvs.push_back(op);
    }
    merged.push_back(std::move(result));
  }
  groups = std::move(merged);
}

ChannelDependencyGraph::ChannelDependencyGraph(func::FuncOp function) {
  GroupBuilder builder(groups);
  function.walk([&](Operation *op) {
    if (auto linear = dyn_cast<LinearOp>(op)) {
      auto weightType = cast<RankedTensorType>(linear.getWeight().getType());
      if (!isFloatTensor(weightType) || !isConstant(linear.getWeight()) ||
          (linear.getBias() && !isConstant(linear.getBias())) ||
          ShapedType::isDynamic(weightType.getDimSize(0)))
        return;
      int64_t rank =
          cast<RankedTensorType>(linear.getOutput().getType()).getRank();
      builder.startGroup(
          op, 1, 0,
          linear.getBias() ? std::optional<unsigned>(2) : std::nullopt,
          linear.getOutput(), rank - 1, weightType.getDimSize(0));
      return;
    }
    if (auto conv = dyn_cast<ConvOp>(op)) {
      auto weightType = cast<RankedTensorType>(conv.getWeight().getType());
      if (conv.getGroup() != 1 || !isFloatTensor(weightType) ||
          !isConstant(conv.getWeight()) ||
          (conv.getBias() && !isConstant(conv.getBias())) ||
          !weightType.hasStaticShape())
        return;
      builder.startGroup(
          op, 1, 0, conv.getBias() ? std::optional<unsigned>(2) : std::nullopt,
          conv.getOutput(), 1, weightType.getDimSize(0));
      return;
    }
    // An embedding table: its columns are the output channels.
    if (auto gather = dyn_cast<GatherOp>(op)) {
      auto tableType = dyn_cast<RankedTensorType>(gather.getInput().getType());
      if (!tableType || tableType.getRank() != 2 || gather.getAxis() != 0 ||
          !isFloatTensor(tableType) || !isConstant(gather.getInput()) ||
          !tableType.hasStaticShape())
        return;
      int64_t rank =
          cast<RankedTensorType>(gather.getOutput().getType()).getRank();
      builder.startGroup(op, 0, 1, std::nullopt, gather.getOutput(), rank - 1,
                         tableType.getDimSize(1));
    }
  });
  builder.mergeCoupledGroups();
}

void ChannelDependencyGraph::print(raw_ostream &os) const {
  for (unsigned index = 0; index < groups.size(); ++index) {
    const ChannelGroup &group = groups[index];
    os << "group " << index;
    if (std::string name = group.getName(); !name.empty())
      os << " '" << name << "'";
    os << ": " << group.units;
    if (group.isHeads())
      os << " heads of " << group.channelsPerUnit << " channels";
    else if (group.channelsPerUnit > 1)
      os << " units of " << group.channelsPerUnit << " channels";
    else
      os << " channels";
    if (group.isPrunable())
      os << ", prunable\n";
    else
      os << ", not prunable: " << group.blocker << "\n";
    auto printWeights = [&](WeightSlice::Role role, StringRef title) {
      SmallVector<std::string> names;
      for (const WeightSlice &weight : group.weights)
        if (weight.role == role) {
          std::string name = describeOp(weight.op) + " operand " +
                             std::to_string(weight.operand) + " dim " +
                             std::to_string(weight.layout.dim);
          if (weight.layout.offset)
            name += " offset " + std::to_string(weight.layout.offset);
          if (weight.layout.stride != 1)
            name += " stride " + std::to_string(weight.layout.stride);
          names.push_back(name);
        }
      if (names.empty())
        return;
      os << "  " << title << ":\n";
      for (const std::string &name : names)
        os << "    " << name << "\n";
    };
    printWeights(WeightSlice::Role::Output, "producers");
    printWeights(WeightSlice::Role::Input, "consumers");
    printWeights(WeightSlice::Role::Parameter, "parameters");
    if (!group.reshapes.empty())
      os << "  reshapes: " << group.reshapes.size() << "\n";
    os << "  tensors: " << group.values.size() << "\n";
  }
}
