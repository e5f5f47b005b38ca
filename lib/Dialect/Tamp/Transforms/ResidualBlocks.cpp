//===- ResidualBlocks.cpp - Residual blocks of a tamp graph ---------------===//
//
// The analysis is structural: it knows one op, the `tamp.add` that joins a
// skip connection, and otherwise only asks how ops use their operands
// (which are computed from constants only, which depend on the block's
// input, which return their operand's type).
//
//===----------------------------------------------------------------------===//

#include "tamp/Dialect/Tamp/Transforms/ResidualBlocks.h"
#include "tamp/Dialect/Tamp/IR/TampDialect.h"
#include "tamp/Dialect/Tamp/IR/TampOps.h"

#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace tamp;

std::optional<double> ResidualBlock::getStatistic(StringRef key) const {
  auto statistics =
      join->getAttrOfType<DictionaryAttr>(kBlockCalibrationAttrName);
  if (!statistics)
    return std::nullopt;
  auto change = statistics.getAs<FloatAttr>(key);
  if (!change)
    return std::nullopt;
  return change.getValueAsDouble();
}

std::optional<StringRef>
tamp::getResidualBlockName(const ResidualBlock &block) {
  return getNodeName(block.join->getLoc());
}

namespace {

/// Finds residual blocks in one function body (a single block of graph
/// ops), with the facts every candidate join needs computed once.
class ResidualBlockFinder {
public:
  explicit ResidualBlockFinder(Block &body) : body(body) {
    for (Operation &op : body) {
      position[&op] = position.size();
      bool pure = op.getNumRegions() == 0 && isMemoryEffectFree(&op);
      if (pure && (op.hasTrait<OpTrait::ConstantLike>() ||
                   (op.getNumOperands() > 0 &&
                    llvm::all_of(op.getOperands(), [&](Value operand) {
                      return isConstant(operand);
                    }))))
        constantOps.insert(&op);
    }
  }

  /// The residual block that `join` closes, if it closes one. When both
  /// operands could be the skip path, the one reaching its input in fewer
  /// shape-preserving ops wins (the identity shortcut).
  std::optional<ResidualBlock> match(AddOp join) {
    std::optional<ResidualBlock> best;
    unsigned bestDepth = 0;
    for (unsigned skipOperand : {0u, 1u}) {
      Value skip = join->getOperand(skipOperand);
      Value branchOutput = join->getOperand(1 - skipOperand);
      if (isConstant(skip) || isConstant(branchOutput))
        continue;
      Value input = skip;
      for (unsigned depth = 0; input && (!best || depth < bestDepth); ++depth) {
        if (std::optional<ResidualBlock> block =
                matchBlock(input, join, branchOutput)) {
          best = std::move(block);
          bestDepth = depth;
          break;
        }
        Operation *def = input.getDefiningOp();
        input = def ? getPassedOperand(def) : Value();
      }
    }
    return best;
  }

private:
  /// Whether `value` is computed from constants only.
  bool isConstant(Value value) const {
    Operation *def = value.getDefiningOp();
    return def && constantOps.contains(def);
  }

  /// The operand that `op` passes on, when `op` may sit on a block's skip
  /// path or after its join: a side-effect-free single-result op of the
  /// body whose only operand not computed from constants has the result's
  /// type (ReLU, LayerNorm with constant scale and bias, a scaling), and
  /// that is not a layer with weights (a same-shape projection is no
  /// identity shortcut, and a convolution after the join is the next
  /// layer).
  Value getPassedOperand(Operation *op) const {
    if (op->getBlock() != &body || op->getNumResults() != 1 ||
        op->getNumRegions() != 0 || !isMemoryEffectFree(op) ||
        isa<QuantizableOpInterface>(op))
      return {};
    Value data;
    for (Value operand : op->getOperands()) {
      if (isConstant(operand))
        continue;
      if (data)
        return {};
      data = operand;
    }
    if (!data || data.getType() != op->getResult(0).getType())
      return {};
    return data;
  }

  /// The block with input `input`, joined by `join` with `branchOutput`.
  std::optional<ResidualBlock> matchBlock(Value input, AddOp join,
                                          Value branchOutput) {
    if (input == branchOutput || input.getType() != join.getType() ||
        input.getParentBlock() != &body)
      return std::nullopt;
    Operation *branchEnd = branchOutput.getDefiningOp();
    if (!branchEnd || branchEnd->getBlock() != &body)
      return std::nullopt;

    // The ops between the input and the join that depend on the input.
    Operation *inputDef = input.getDefiningOp();
    DenseSet<Operation *> dependent;
    for (Operation *op = inputDef ? inputDef->getNextNode() : &body.front();
         op && op != join; op = op->getNextNode()) {
      bool depends = llvm::any_of(op->getOperands(), [&](Value operand) {
        Operation *def = operand.getDefiningOp();
        return operand == input || (def && dependent.contains(def));
      });
      if (!depends)
        continue;
      // Regions could capture the input out of sight of operands.
      if (op->getNumRegions() != 0)
        return std::nullopt;
      dependent.insert(op);
    }
    if (!dependent.contains(branchEnd))
      return std::nullopt;

    // The branch: what the branch output is computed from that depends on
    // the input. Nothing else in the branch may be used outside the block.
    llvm::SetVector<Operation *> branch;
    SmallVector<Operation *> worklist = {branchEnd};
    while (!worklist.empty()) {
      Operation *op = worklist.pop_back_val();
      if (!branch.insert(op))
        continue;
      for (Value operand : op->getOperands())
        if (Operation *def = operand.getDefiningOp();
            def && dependent.contains(def))
          worklist.push_back(def);
    }
    for (Operation *op : branch)
      for (Operation *user : op->getUsers())
        if (user != join && !branch.contains(user))
          return std::nullopt;

    // The exit: what follows the join up to the next fork, as long as it
    // passes its operand on.
    ResidualBlock block;
    block.input = input;
    block.join = join;
    block.output = join.getResult();
    while (block.output.hasOneUse()) {
      Operation *user = *block.output.getUsers().begin();
      if (getPassedOperand(user) != block.output)
        break;
      block.exit.push_back(user);
      block.output = user->getResult(0);
    }
    if (block.output.getType() != input.getType())
      return std::nullopt;
    block.branch.assign(branch.begin(), branch.end());
    llvm::sort(block.branch, [&](Operation *a, Operation *b) {
      return position.lookup(a) < position.lookup(b);
    });
    block.parameters = countOwnedParameters(block);
    return block;
  }

  /// Elements of the constants that only the block's ops use, directly or
  /// through other such ops: what removing the block removes.
  int64_t countOwnedParameters(const ResidualBlock &block) const {
    DenseSet<Operation *> removed(block.branch.begin(), block.branch.end());
    removed.insert(block.join);
    removed.insert(block.exit.begin(), block.exit.end());
    Operation *last = block.exit.empty() ? block.join : block.exit.back();
    Operation *inputDef = block.input.getDefiningOp();
    int64_t parameters = 0;
    for (Operation *op = last->getPrevNode(); op; op = op->getPrevNode()) {
      if (op == inputDef || removed.contains(op) || op->use_empty() ||
          !isMemoryEffectFree(op) ||
          !llvm::all_of(op->getUsers(), [&](Operation *user) {
            return removed.contains(user);
          }))
        continue;
      removed.insert(op);
      Attribute value;
      if (op->getNumResults() == 1 &&
          matchPattern(op->getResult(0), m_Constant(&value)))
        if (auto elements = dyn_cast<ElementsAttr>(value))
          parameters += elements.getNumElements();
    }
    return parameters;
  }

  Block &body;
  DenseMap<Operation *, unsigned> position;
  DenseSet<Operation *> constantOps;
};

} // namespace

SmallVector<ResidualBlock> tamp::findResidualBlocks(func::FuncOp func) {
  SmallVector<ResidualBlock> blocks;
  if (func.isExternal() || !func.getBody().hasOneBlock())
    return blocks;
  Block &body = func.getBody().front();
  ResidualBlockFinder finder(body);
  for (Operation &op : body)
    if (auto join = dyn_cast<AddOp>(op))
      if (std::optional<ResidualBlock> block = finder.match(join))
        blocks.push_back(std::move(*block));
  return blocks;
}

//===----------------------------------------------------------------------===//
// Removal
//===----------------------------------------------------------------------===//

/// Which blocks `options` select, as indices into `blocks`.
static FailureOr<SmallVector<unsigned>>
selectBlocks(func::FuncOp func, ArrayRef<ResidualBlock> blocks,
             const PruneLayersOptions &options) {
  bool explicitSelection = !options.indices.empty() || !options.names.empty();
  if (options.count > 0 && explicitSelection)
    return func.emitError("tamp-prune-layers: give either a count or block "
                          "indices and names, not both");
  llvm::SetVector<unsigned> selected;
  if (explicitSelection) {
    for (unsigned index : options.indices) {
      if (index >= blocks.size())
        return func.emitError("no residual block #")
               << index << ": '" << func.getName() << "' has " << blocks.size();
      selected.insert(index);
    }
    for (const std::string &name : options.names) {
      const auto *it = llvm::find_if(blocks, [&](const ResidualBlock &block) {
        return getResidualBlockName(block) == StringRef(name);
      });
      if (it == blocks.end())
        return func.emitError("no residual block named '")
               << name << "' in '" << func.getName() << "'";
      selected.insert(it - blocks.begin());
    }
    return SmallVector<unsigned>(selected.begin(), selected.end());
  }

  if (options.rankBy != "output_change" && options.rankBy != "relative_change")
    return func.emitError("unknown rank-by '")
           << options.rankBy << "' (expected output_change or relative_change)";
  if (options.count > blocks.size())
    return func.emitError("cannot remove ")
           << options.count << " residual blocks: '" << func.getName()
           << "' has " << blocks.size();
  SmallVector<std::pair<double, unsigned>> ranked;
  for (auto [index, block] : llvm::enumerate(blocks)) {
    std::optional<double> change = block.getStatistic(options.rankBy);
    if (!change || std::isnan(*change))
      return block.join->emitError("residual block #")
             << index << " has no '" << kBlockCalibrationAttrName << "' "
             << options.rankBy
             << " to rank it by (calibrate with `tamp compile --calibration "
                "DATA --calibration-blocks`)";
    ranked.push_back({*change, unsigned(index)});
  }
  llvm::sort(ranked);
  for (unsigned k = 0; k < options.count; ++k)
    selected.insert(ranked[k].second);
  return SmallVector<unsigned>(selected.begin(), selected.end());
}

/// Erases `root` and, transitively, the ops that only it used.
static void eraseDeadFrom(Operation *root, DenseSet<Operation *> &erased) {
  SmallVector<Operation *> worklist = {root};
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (erased.contains(op) || !isOpTriviallyDead(op))
      continue;
    for (Value operand : op->getOperands())
      if (Operation *def = operand.getDefiningOp())
        worklist.push_back(def);
    erased.insert(op);
    op->erase();
  }
}

FailureOr<SmallVector<RemovedResidualBlock>>
tamp::pruneResidualBlocks(func::FuncOp func,
                          const PruneLayersOptions &options) {
  SmallVector<ResidualBlock> blocks = findResidualBlocks(func);
  FailureOr<SmallVector<unsigned>> selected =
      selectBlocks(func, blocks, options);
  if (failed(selected))
    return failure();

  SmallVector<RemovedResidualBlock> removed;
  for (unsigned index : *selected) {
    const ResidualBlock &block = blocks[index];
    removed.push_back({index, getResidualBlockName(block).value_or("").str(),
                       block.getStatistic("output_change"),
                       block.getStatistic("relative_change"),
                       block.parameters});
  }
  // Last block first: a block's output is the next block's input, which
  // must stay valid until that block is gone. A block nested in the branch
  // of a block removed before it is gone with it.
  SmallVector<unsigned> order(*selected);
  llvm::sort(order, std::greater<unsigned>());
  DenseSet<Operation *> erased;
  for (unsigned index : order) {
    const ResidualBlock &block = blocks[index];
    if (erased.contains(block.join))
      continue;
    Operation *outputDef = block.output.getDefiningOp();
    Value output = block.output;
    output.replaceAllUsesWith(block.input);
    eraseDeadFrom(outputDef, erased);
  }
  llvm::sort(removed,
             [](const RemovedResidualBlock &a, const RemovedResidualBlock &b) {
               return a.index < b.index;
             });
  return removed;
}
