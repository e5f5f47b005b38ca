//===- ChannelDependency.h - Which channels must be pruned together -*- C++
//-*-===//
//
// Removing output channel c of a convolution also removes element c of every
// tensor it flows into unchanged: through element-wise ops, BatchNorm,
// pooling, residual adds (which tie several layers' channels together),
// concatenation (at an offset), reshapes (flatten spreads a channel over
// H*W features; a split into [heads, head_dim] makes whole heads the unit),
// transposes and the batch dimensions of attention matmuls, until layers
// that reduce over it (the next convolution or linear layer) drop the
// matching input slice of their weights. The analysis finds these groups
// (the DepGraph idea) and says, for each, what prevents pruning it.
//
//===----------------------------------------------------------------------===//

#ifndef TAMP_LIB_DIALECT_TAMP_TRANSFORMS_CHANNELDEPENDENCY_H
#define TAMP_LIB_DIALECT_TAMP_TRANSFORMS_CHANNELDEPENDENCY_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace tamp {

/// Unit u of a group occupies elements [offset + u * stride, offset + (u + 1)
/// * stride) of dimension `dim` of a tensor.
struct UnitLayout {
  int64_t dim = 0;
  int64_t offset = 0;
  int64_t stride = 1;
};

/// A tensor whose dimension shrinks with the group.
struct ValueSlice {
  mlir::Value value;
  UnitLayout layout;
};

/// A constant operand that loses a slice with every removed unit.
struct WeightSlice {
  enum class Role {
    /// The output channels of a layer (its weight and bias).
    Output,
    /// The input channels of a layer that reduces over the group.
    Input,
    /// A per-channel parameter (BatchNorm statistics, a broadcast constant,
    /// a depthwise filter).
    Parameter,
  };
  mlir::Operation *op;
  unsigned operand;
  UnitLayout layout;
  Role role;
};

/// Channels that can only be removed together.
struct ChannelGroup {
  /// Removable units.
  int64_t units = 0;
  /// Producer channels per unit: 1 for channel groups, the head size when a
  /// reshape splits the channels into heads.
  int64_t channelsPerUnit = 1;
  /// Whether the group reaches the batch dimensions of an activation x
  /// activation matmul (attention heads).
  bool throughAttention = false;
  llvm::SmallVector<ValueSlice> values;
  llvm::SmallVector<WeightSlice> weights;
  /// Reshapes whose shape operand must follow, and grouped (depthwise)
  /// convolutions whose `group` must.
  llvm::SmallVector<mlir::Operation *> reshapes;
  llvm::SmallVector<mlir::Operation *> depthwiseConvs;
  /// Why the group cannot be pruned; empty when it can.
  std::string blocker;

  bool isPrunable() const { return blocker.empty(); }
  /// Attention heads rather than plain channels.
  bool isHeads() const { return throughAttention && channelsPerUnit > 1; }
  /// The first layer that produces the group's channels.
  mlir::Operation *getFirstProducer() const;
  /// The name of the group: its first producer's ONNX node name, or "".
  std::string getName() const;
};

/// The channel groups of a function.
class ChannelDependencyGraph {
public:
  explicit ChannelDependencyGraph(mlir::func::FuncOp function);

  llvm::ArrayRef<ChannelGroup> getGroups() const { return groups; }
  void print(llvm::raw_ostream &os) const;

private:
  std::vector<ChannelGroup> groups;
};

/// Describes `op` for diagnostics and reports: its ONNX node name and its
/// op name, e.g. `conv1 (tamp.conv)`.
std::string describeOp(mlir::Operation *op);

} // namespace tamp

#endif // TAMP_LIB_DIALECT_TAMP_TRANSFORMS_CHANNELDEPENDENCY_H
