//===- NN.cpp - Import of ONNX convolution, pooling, normalisation --------===//

#include "NN.h"
#include "NodeImporter.h"
#include "OpRegistry.h"

#include "onnx-ml.pb.h"

#include "mlir/IR/Matchers.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;

namespace tamp {
namespace {

RankedTensorType typeOf(Value value) { return NodeImporter::typeOf(value); }

/// Fails on any used output from `first` on: training outputs (the batch
/// statistics of inference-mode BatchNormalization) that Tamp does not
/// compute.
LogicalResult rejectOutputsFrom(NodeImporter &node, unsigned first,
                                llvm::StringRef what) {
  for (unsigned i = first; i < node.numOutputs(); ++i)
    if (node.hasOutput(i))
      return node.emitError()
             << "output " << i << " ('" << node.proto().output(i)
             << "') is not supported: " << what;
  return success();
}

//===----------------------------------------------------------------------===//
// Window attributes
//===----------------------------------------------------------------------===//

/// The window attributes of a convolution or pool, ONNX defaults filled in.
struct Window {
  SmallVector<int64_t> strides;
  SmallVector<int64_t> dilations;
  SmallVector<int64_t> pads;
  AutoPad autoPad = AutoPad::explicit_pads;
};

/// The number of spatial dimensions of an [N, C, D1, ..., Dk] input.
FailureOr<int64_t> spatialRankOf(NodeImporter &node, Value input) {
  int64_t rank = typeOf(input).getRank();
  if (rank < 3)
    return node.emitError()
           << "input must have rank >= 3 ([N, C, D1, ...]), got rank " << rank;
  return rank - 2;
}

FailureOr<AutoPad> readAutoPad(NodeImporter &node) {
  FailureOr<std::string> text = node.attrString("auto_pad", "NOTSET");
  if (failed(text))
    return failure();
  std::optional<AutoPad> autoPad =
      llvm::StringSwitch<std::optional<AutoPad>>(*text)
          .Case("NOTSET", AutoPad::explicit_pads)
          .Case("SAME_UPPER", AutoPad::same_upper)
          .Case("SAME_LOWER", AutoPad::same_lower)
          .Case("VALID", AutoPad::valid)
          .Default(std::nullopt);
  if (!autoPad)
    return node.emitError() << "attribute 'auto_pad' must be NOTSET, "
                               "SAME_UPPER, SAME_LOWER or VALID, got \""
                            << *text << "\"";
  return *autoPad;
}

/// Reads strides, dilations, pads and auto_pad. Their lengths are checked by
/// the tamp op's type inference.
FailureOr<Window> readWindow(NodeImporter &node, int64_t spatialRank) {
  SmallVector<int64_t> ones(spatialRank, 1);
  FailureOr<SmallVector<int64_t>> strides = node.attrInts("strides", ones);
  FailureOr<SmallVector<int64_t>> dilations = node.attrInts("dilations", ones);
  FailureOr<SmallVector<int64_t>> pads =
      node.attrInts("pads", SmallVector<int64_t>(2 * spatialRank, 0));
  FailureOr<AutoPad> autoPad = readAutoPad(node);
  if (failed(strides) || failed(dilations) || failed(pads) || failed(autoPad))
    return failure();
  return Window{std::move(*strides), std::move(*dilations), std::move(*pads),
                *autoPad};
}

/// Fails unless the window attribute `name` has `expected` entries; for code
/// that reads the attributes before the tamp op checks them.
LogicalResult checkLength(NodeImporter &node, llvm::StringRef name,
                          ArrayRef<int64_t> values, int64_t expected) {
  if (int64_t(values.size()) != expected)
    return node.emitError() << "attribute '" << name << "' must have "
                            << expected << " entries, got " << values.size();
  return success();
}

/// "1, 2, ?": sizes as a diagnostic shows them.
std::string formatSizes(ArrayRef<int64_t> sizes) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleaveComma(sizes, os, [&](int64_t size) {
    if (ShapedType::isDynamic(size))
      os << '?';
    else
      os << size;
  });
  return text;
}

/// Convolutions take their kernel size from the weight; an explicit
/// kernel_shape must agree with it.
LogicalResult checkKernelShape(NodeImporter &node, Value weight,
                               int64_t spatialRank) {
  if (!node.hasAttr("kernel_shape"))
    return success();
  FailureOr<SmallVector<int64_t>> kernel = node.attrInts("kernel_shape");
  if (failed(kernel) ||
      failed(checkLength(node, "kernel_shape", *kernel, spatialRank)))
    return failure();
  ArrayRef<int64_t> weightShape = typeOf(weight).getShape();
  // A weight of the wrong rank is diagnosed by the tamp op.
  if (int64_t(weightShape.size()) != spatialRank + 2)
    return success();
  for (auto [index, size] : llvm::enumerate(*kernel)) {
    int64_t weightSize = weightShape[index + 2];
    if (!ShapedType::isDynamic(weightSize) && weightSize != size)
      return node.emitError()
             << "attribute 'kernel_shape' [" << formatSizes(*kernel)
             << "] does not match the weight's kernel sizes ["
             << formatSizes(weightShape.drop_front(2)) << "]";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Convolutions
//===----------------------------------------------------------------------===//

LogicalResult importConv(NodeImporter &node) {
  if (failed(node.checkInputCount(2, 3)))
    return failure();
  FailureOr<Value> input = node.input(0), weight = node.input(1);
  Value bias;
  if (failed(input) || failed(weight) ||
      failed(node.readOptionalInput(2, bias)))
    return failure();
  return node.setSingleResult(importConvolution(node, *input, *weight, bias));
}

/// Turns ConvTranspose's output_shape into explicit pads (and, where the
/// requested size exceeds what the pads can trim to, extra output padding),
/// following the ONNX formula: total_padding = stride * (in - 1) +
/// output_padding + dilation * (kernel - 1) + 1 - output_shape, split with
/// the larger half at the end for SAME_UPPER and at the start otherwise.
LogicalResult padsFromOutputShape(NodeImporter &node, Value input, Value weight,
                                  Window &window,
                                  SmallVectorImpl<int64_t> &outputPadding) {
  int64_t spatialRank = typeOf(input).getRank() - 2;
  FailureOr<SmallVector<int64_t>> requested = node.attrInts("output_shape");
  if (failed(requested))
    return failure();
  // The spatial sizes, or (as some exporters write it) the full shape.
  ArrayRef<int64_t> sizes = *requested;
  if (int64_t(sizes.size()) == spatialRank + 2)
    sizes = sizes.drop_front(2);
  if (failed(checkLength(node, "output_shape", sizes, spatialRank)) ||
      failed(checkLength(node, "strides", window.strides, spatialRank)) ||
      failed(checkLength(node, "dilations", window.dilations, spatialRank)) ||
      failed(checkLength(node, "output_padding", outputPadding, spatialRank)))
    return failure();
  ArrayRef<int64_t> inputShape = typeOf(input).getShape();
  ArrayRef<int64_t> weightShape = typeOf(weight).getShape();
  if (int64_t(weightShape.size()) != spatialRank + 2)
    return node.emitError()
           << "weight must have the input's rank " << spatialRank + 2
           << ", got rank " << weightShape.size();
  SmallVector<int64_t> padBegin, padEnd;
  for (int64_t i = 0; i < spatialRank; ++i) {
    int64_t inputSize = inputShape[i + 2], kernel = weightShape[i + 2];
    if (ShapedType::isDynamic(inputSize) || ShapedType::isDynamic(kernel))
      return node.emitError() << "attribute 'output_shape' needs static input "
                                 "and kernel sizes to derive the pads";
    if (sizes[i] < 1)
      return node.emitError() << "output_shape[" << i << "] = " << sizes[i]
                              << " must be positive";
    int64_t stride = window.strides[i], dilation = window.dilations[i];
    int64_t natural = stride * (inputSize - 1) + outputPadding[i] +
                      dilation * (kernel - 1) + 1;
    int64_t total = natural - sizes[i];
    if (total < 0) {
      // Rows past the last input contribution only hold the bias; that is
      // output padding, which may not reach a full stride or dilation.
      int64_t extra = outputPadding[i] - total;
      if (extra >= std::max(stride, dilation))
        return node.emitError()
               << "output_shape[" << i << "] = " << sizes[i]
               << " exceeds the largest output size "
               << natural - outputPadding[i] + std::max(stride, dilation) - 1
               << " of the transposed convolution";
      outputPadding[i] = extra;
      total = 0;
    }
    int64_t smallHalf = total / 2, largeHalf = total - total / 2;
    bool upper = window.autoPad == AutoPad::same_upper;
    padBegin.push_back(upper ? smallHalf : largeHalf);
    padEnd.push_back(upper ? largeHalf : smallHalf);
  }
  window.pads = llvm::to_vector(llvm::concat<int64_t>(padBegin, padEnd));
  window.autoPad = AutoPad::explicit_pads;
  return success();
}

LogicalResult importConvTranspose(NodeImporter &node) {
  if (failed(node.checkInputCount(2, 3)))
    return failure();
  FailureOr<Value> input = node.input(0), weight = node.input(1);
  Value bias;
  if (failed(input) || failed(weight) ||
      failed(node.readOptionalInput(2, bias)))
    return failure();
  FailureOr<int64_t> spatialRank = spatialRankOf(node, *input);
  if (failed(spatialRank))
    return failure();
  FailureOr<Window> window = readWindow(node, *spatialRank);
  FailureOr<int64_t> group = node.attrInt("group", 1);
  FailureOr<SmallVector<int64_t>> outputPadding =
      node.attrInts("output_padding", SmallVector<int64_t>(*spatialRank, 0));
  if (failed(window) || failed(group) || failed(outputPadding) ||
      failed(checkKernelShape(node, *weight, *spatialRank)))
    return failure();
  // ONNX ignores pads when output_shape is given.
  if (node.hasAttr("output_shape") &&
      failed(
          padsFromOutputShape(node, *input, *weight, *window, *outputPadding)))
    return failure();
  return node.setSingleResult(node.build<ConvTransposeOp>(
      *input, *weight, bias, window->strides, window->dilations, window->pads,
      window->autoPad, *outputPadding, *group));
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// MaxPool and AveragePool: kernel_shape is required; ceil_mode exists from
/// opset 10, dilations from opset 10 (MaxPool) and 19 (AveragePool).
template <typename PoolOp> LogicalResult importPool(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  FailureOr<int64_t> spatialRank = spatialRankOf(node, *input);
  if (failed(spatialRank))
    return failure();
  FailureOr<SmallVector<int64_t>> kernel = node.attrInts("kernel_shape");
  FailureOr<Window> window = readWindow(node, *spatialRank);
  FailureOr<bool> ceilMode = node.attrBool("ceil_mode", false);
  if (failed(kernel) || failed(window) || failed(ceilMode))
    return failure();
  if constexpr (std::is_same_v<PoolOp, MaxPoolOp>) {
    // storage_order only lays out the Indices output.
    FailureOr<bool> columnMajor = node.attrBool("storage_order", false);
    if (failed(columnMajor))
      return failure();
    if (!node.hasOutput(1))
      return node.setSingleResult(node.build<MaxPoolOp>(
          *input, *kernel, window->strides, window->dilations, window->pads,
          window->autoPad, *ceilMode));
    FailureOr<MaxPoolWithIndicesOp> pool = node.buildOp<MaxPoolWithIndicesOp>(
        2, *input, *kernel, window->strides, window->dilations, window->pads,
        window->autoPad, *ceilMode, *columnMajor);
    if (failed(pool))
      return failure();
    node.setResult(0, pool->getOutput());
    node.setResult(1, pool->getIndices());
    return success();
  } else {
    FailureOr<bool> countIncludePad = node.attrBool("count_include_pad", false);
    if (failed(countIncludePad))
      return failure();
    return node.setSingleResult(node.build<AvgPoolOp>(
        *input, *kernel, window->strides, window->dilations, window->pads,
        window->autoPad, *ceilMode, *countIncludePad));
  }
}

/// LpPool(x) = (sum over each window of |x|^p)^(1/p). Padded positions are
/// zeros and add nothing, so the window sum is an average over the whole
/// window (count_include_pad) times the number of taps.
LogicalResult importLpPool(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  FailureOr<int64_t> spatialRank = spatialRankOf(node, *input);
  if (failed(spatialRank))
    return failure();
  FailureOr<SmallVector<int64_t>> kernel = node.attrInts("kernel_shape");
  FailureOr<Window> window = readWindow(node, *spatialRank);
  FailureOr<bool> ceilMode = node.attrBool("ceil_mode", false);
  FailureOr<int64_t> p = node.attrInt("p", 2);
  if (failed(kernel) || failed(window) || failed(ceilMode) || failed(p))
    return failure();
  if (*p < 1)
    return node.emitError() << "attribute 'p' must be at least 1, got " << *p;
  // Windows that ceil_mode adds past the padding hold fewer taps than the
  // kernel, which the average-times-taps rewrite would overcount.
  if (*ceilMode)
    return node.emitError() << "ceil_mode = 1 is not supported";
  Type elementType = typeOf(*input).getElementType();
  FailureOr<Value> magnitude = node.build<AbsOp>(*input);
  if (failed(magnitude))
    return failure();
  FailureOr<Value> powered = *magnitude;
  if (*p == 2)
    powered = node.build<MulOp>(*magnitude, *magnitude);
  else if (*p != 1)
    powered = node.build<PowOp>(*magnitude,
                                node.constantScalar(elementType, double(*p)));
  if (failed(powered))
    return failure();
  FailureOr<Value> average = node.build<AvgPoolOp>(
      *powered, *kernel, window->strides, window->dilations, window->pads,
      window->autoPad, /*ceil_mode=*/false, /*count_include_pad=*/true);
  if (failed(average))
    return failure();
  int64_t taps = 1;
  for (int64_t size : *kernel)
    taps *= size;
  FailureOr<Value> sum = node.build<MulOp>(
      *average, node.constantScalar(elementType, double(taps)));
  if (failed(sum) || *p == 1)
    return node.setSingleResult(sum);
  if (*p == 2)
    return node.setSingleResult(node.build<SqrtOp>(*sum));
  return node.setSingleResult(node.build<PowOp>(
      *sum, node.constantScalar(elementType, 1.0 / double(*p))));
}

/// GlobalAveragePool and GlobalMaxPool reduce the spatial dimensions,
/// keeping them as size 1.
template <typename ReduceOp>
LogicalResult importGlobalPool(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  if (failed(input))
    return failure();
  int64_t rank = typeOf(*input).getRank();
  if (rank < 2)
    return node.emitError()
           << "input must have rank >= 2 ([N, C, ...]), got rank " << rank;
  // Without spatial dimensions there is nothing to pool (and an empty axes
  // list would mean "reduce everything" to tamp).
  if (rank == 2) {
    node.setResult(0, *input);
    return success();
  }
  SmallVector<int64_t> spatialAxes =
      llvm::to_vector(llvm::seq<int64_t>(2, rank));
  return node.setSingleResult(
      node.build<ReduceOp>(*input, spatialAxes, /*keepdims=*/true));
}

//===----------------------------------------------------------------------===//
// Normalisation
//===----------------------------------------------------------------------===//

FloatAttr readEpsilon(NodeImporter &node) {
  FailureOr<float> epsilon = node.attrFloat("epsilon", 1e-5f);
  return succeeded(epsilon) ? node.builder().getF32FloatAttr(*epsilon)
                            : FloatAttr();
}

/// BatchNormalization in training mode (opset 14+): Y is normalised with the
/// batch's own statistics, the mean and the population variance over every
/// dimension but 1, and the optional outputs 1 and 2 are the updated running
/// statistics `running * momentum + batch * (1 - momentum)`, in
/// `statisticsType` (the input mean's type). `input` has rank >= 2 and the
/// parameters have its element type.
LogicalResult importBatchNormTraining(NodeImporter &node, Value input,
                                      ArrayRef<Value> parameters,
                                      Type statisticsType, FloatAttr epsilon) {
  FailureOr<float> momentum = node.attrFloat("momentum", 0.9f);
  if (failed(momentum))
    return failure();
  RankedTensorType inputType = typeOf(input);
  SmallVector<int64_t> axes{0};
  llvm::append_range(axes, llvm::seq<int64_t>(2, inputType.getRank()));

  // The statistics keep their reduced dimensions to broadcast against the
  // input, then drop them to become [C] operands of tamp.batch_norm.
  FailureOr<Value> keptMean =
      node.build<ReduceMeanOp>(input, axes, /*keepdims=*/true);
  if (failed(keptMean))
    return failure();
  FailureOr<Value> centered = node.build<SubOp>(input, *keptMean);
  if (failed(centered))
    return failure();
  FailureOr<Value> squared = node.build<MulOp>(*centered, *centered);
  if (failed(squared))
    return failure();
  FailureOr<Value> keptVariance =
      node.build<ReduceMeanOp>(*squared, axes, /*keepdims=*/true);
  if (failed(keptVariance))
    return failure();
  FailureOr<Value> batchMean = node.build<SqueezeOp>(*keptMean, axes);
  FailureOr<Value> batchVariance = node.build<SqueezeOp>(*keptVariance, axes);
  if (failed(batchMean) || failed(batchVariance))
    return failure();

  FailureOr<Value> result = node.build<BatchNormOp>(
      input, parameters[0], parameters[1], *batchMean, *batchVariance, epsilon);
  if (failed(result))
    return failure();
  node.setResult(0, *result);

  // running * momentum + batch * (1 - momentum), for outputs 1 and 2.
  if (!node.hasOutput(1) && !node.hasOutput(2))
    return success();
  Type elementType = inputType.getElementType();
  Value keep = node.constantScalar(elementType, *momentum);
  Value update = node.constantScalar(elementType, 1.0 - *momentum);
  auto setRunningStatistic = [&](unsigned output, Value running,
                                 Value batch) -> LogicalResult {
    if (!node.hasOutput(output))
      return success();
    FailureOr<Value> kept = node.build<MulOp>(running, keep);
    FailureOr<Value> added = node.build<MulOp>(batch, update);
    if (failed(kept) || failed(added))
      return failure();
    FailureOr<Value> updated = node.build<AddOp>(*kept, *added);
    if (failed(updated))
      return failure();
    FailureOr<Value> cast = node.castTo(*updated, statisticsType);
    if (failed(cast))
      return failure();
    node.setResult(output, *cast);
    return success();
  };
  if (failed(setRunningStatistic(1, parameters[2], *batchMean)))
    return failure();
  return setRunningStatistic(2, parameters[3], *batchVariance);
}

LogicalResult importBatchNormalization(NodeImporter &node) {
  if (failed(node.checkInputCount(5, 5)))
    return failure();
  SmallVector<Value> operands;
  for (unsigned i = 0; i < 5; ++i) {
    FailureOr<Value> operand = node.input(i);
    if (failed(operand))
      return failure();
    operands.push_back(*operand);
  }
  FloatAttr epsilon = readEpsilon(node);
  if (!epsilon)
    return failure();
  // From opset 14, training_mode = 1 normalises with batch statistics and
  // outputs running statistics; before, the extra outputs were the training
  // statistics of an underspecified training form, which Tamp rejects.
  bool training = false;
  if (node.opset() >= 14) {
    FailureOr<bool> trainingMode = node.attrBool("training_mode", false);
    if (failed(trainingMode))
      return failure();
    training = *trainingMode;
  }
  if (node.opset() < 7) {
    FailureOr<int64_t> isTest = node.attrInt("is_test", 0);
    if (failed(isTest))
      return failure();
    if (*isTest == 0)
      return node.emitError() << "is_test = 0 (training mode, the default "
                                 "before opset 7) is not supported";
  }
  if (!training && failed(rejectOutputsFrom(
                       node, 1, "training statistics are not computed")))
    return failure();

  Value input = operands[0];
  RankedTensorType inputType = typeOf(input);
  // Batch statistics of a 1-D input are undefined: it has no dimension 1
  // to keep.
  if (training && inputType.getRank() == 1)
    return node.emitError() << "training_mode = 1 needs an input of rank >= 2 "
                               "([N, C, ...]), got rank 1";
  if (node.opset() < 9) {
    FailureOr<int64_t> spatial = node.attrInt("spatial", 1);
    if (failed(spatial))
      return failure();
    if (*spatial == 0 && inputType.getRank() > 2)
      return node.emitError() << "spatial = 0 (statistics per activation) is "
                                 "not supported";
  }
  // From opset 15 the parameters may have their own float types.
  Type statisticsType = typeOf(operands[3]).getElementType();
  Type elementType = inputType.getElementType();
  for (Value &parameter : llvm::drop_begin(operands)) {
    FailureOr<Value> cast = node.castTo(parameter, elementType);
    if (failed(cast))
      return failure();
    parameter = *cast;
  }
  // A 1-D input of size N has one channel.
  bool vector = inputType.getRank() == 1;
  if (vector) {
    FailureOr<Value> expanded =
        node.build<UnsqueezeOp>(input, ArrayRef<int64_t>{1});
    if (failed(expanded))
      return failure();
    input = *expanded;
  }
  if (training)
    return importBatchNormTraining(node, input,
                                   ArrayRef<Value>(operands).drop_front(),
                                   statisticsType, epsilon);
  FailureOr<Value> result = node.build<BatchNormOp>(
      input, operands[1], operands[2], operands[3], operands[4], epsilon);
  if (succeeded(result) && vector)
    result = node.build<SqueezeOp>(*result, ArrayRef<int64_t>{1});
  return node.setSingleResult(result);
}

LogicalResult importLpNormalization(NodeImporter &node) {
  if (failed(node.checkInputCount(1, 1)))
    return failure();
  FailureOr<Value> input = node.input(0);
  FailureOr<int64_t> axis = node.attrInt("axis", -1);
  FailureOr<int64_t> p = node.attrInt("p", 2);
  if (failed(input) || failed(axis) || failed(p))
    return failure();
  FailureOr<int64_t> normalized =
      normalizeAxis(node.loc(), *axis, typeOf(*input).getRank());
  if (failed(normalized))
    return failure();
  if (*p != 1 && *p != 2)
    return node.emitError() << "attribute 'p' must be 1 or 2, got " << *p;
  SmallVector<int64_t> axes{*normalized};
  FailureOr<Value> norm =
      *p == 1 ? node.build<ReduceL1Op>(*input, axes, /*keepdims=*/true)
              : node.build<ReduceL2Op>(*input, axes, /*keepdims=*/true);
  if (failed(norm))
    return failure();
  FailureOr<Value> quotient = node.build<DivOp>(*input, *norm);
  if (failed(quotient))
    return failure();
  // ONNX defines the normalization of an all-zero vector as zero, not 0/0.
  Type elementType = typeOf(*input).getElementType();
  Value zero = node.constantScalar(elementType, 0.0);
  FailureOr<Value> isZeroNorm = node.build<EqualOp>(*norm, zero);
  if (failed(isZeroNorm))
    return failure();
  return node.setSingleResult(
      node.build<WhereOp>(*isZeroNorm, zero, *quotient));
}

/// LayerNormalization's optional Mean and InvStdDev outputs: the statistics
/// over dimensions `axis`.. with reduced dimensions kept, computed in
/// stash_type. Y itself is tamp.layer_norm, which computes them internally.
LogicalResult importLayerNormStatistics(NodeImporter &node, Value input,
                                        int64_t axis, FloatAttr epsilon) {
  FailureOr<int64_t> stashCode = node.attrInt("stash_type", 1);
  if (failed(stashCode))
    return failure();
  FailureOr<Type> stashType = node.elementTypeOf(*stashCode);
  if (failed(stashType))
    return failure();
  if (!isa<FloatType>(*stashType))
    return node.emitError() << "attribute 'stash_type' must name a float "
                               "type, got "
                            << *stashType;
  FailureOr<Value> stashed = node.castTo(input, *stashType);
  if (failed(stashed))
    return failure();
  SmallVector<int64_t> axes =
      llvm::to_vector(llvm::seq<int64_t>(axis, typeOf(input).getRank()));
  FailureOr<Value> mean =
      node.build<ReduceMeanOp>(*stashed, axes, /*keepdims=*/true);
  if (failed(mean))
    return failure();
  node.setResult(1, *mean);
  if (!node.hasOutput(2))
    return success();
  FailureOr<Value> centered = node.build<SubOp>(*stashed, *mean);
  if (failed(centered))
    return failure();
  FailureOr<Value> squared = node.build<MulOp>(*centered, *centered);
  if (failed(squared))
    return failure();
  FailureOr<Value> variance =
      node.build<ReduceMeanOp>(*squared, axes, /*keepdims=*/true);
  if (failed(variance))
    return failure();
  FailureOr<Value> shifted = node.build<AddOp>(
      *variance,
      node.constantScalar(*stashType, epsilon.getValue().convertToDouble()));
  if (failed(shifted))
    return failure();
  FailureOr<Value> deviation = node.build<SqrtOp>(*shifted);
  if (failed(deviation))
    return failure();
  FailureOr<Value> inverse = node.build<ReciprocalOp>(*deviation);
  if (failed(inverse))
    return failure();
  node.setResult(2, *inverse);
  return success();
}

LogicalResult importLayerNormalization(NodeImporter &node) {
  if (failed(node.checkInputCount(2, 3)))
    return failure();
  FailureOr<Value> input = node.input(0), scale = node.input(1);
  Value bias;
  FailureOr<int64_t> axis = node.attrInt("axis", -1);
  FloatAttr epsilon = readEpsilon(node);
  if (failed(input) || failed(scale) ||
      failed(node.readOptionalInput(2, bias)) || failed(axis) || !epsilon)
    return failure();
  FailureOr<int64_t> normalized =
      normalizeAxis(node.loc(), *axis, typeOf(*input).getRank());
  if (failed(normalized))
    return failure();
  FailureOr<Value> result = node.build<LayerNormOp>(
      *input, *scale, bias, node.builder().getI64IntegerAttr(*normalized),
      epsilon);
  if (failed(result))
    return failure();
  node.setResult(0, *result);
  if (node.hasOutput(1) || node.hasOutput(2))
    return importLayerNormStatistics(node, *input, *normalized, epsilon);
  return success();
}

LogicalResult importInstanceNormalization(NodeImporter &node) {
  if (failed(node.checkInputCount(3, 3)))
    return failure();
  FailureOr<Value> input = node.input(0), scale = node.input(1),
                   bias = node.input(2);
  FloatAttr epsilon = readEpsilon(node);
  if (failed(input) || failed(scale) || failed(bias) || !epsilon)
    return failure();
  // Instance normalisation is group normalisation with one channel a group.
  RankedTensorType scaleType = typeOf(*scale);
  int64_t channels =
      scaleType.getRank() == 1 ? scaleType.getDimSize(0) : ShapedType::kDynamic;
  if (ShapedType::isDynamic(channels) && typeOf(*input).getRank() >= 2)
    channels = typeOf(*input).getDimSize(1);
  if (ShapedType::isDynamic(channels))
    return node.emitError() << "the channel count must be static: it becomes "
                               "the number of groups";
  return node.setSingleResult(node.build<GroupNormOp>(
      *input, *scale, *bias, node.builder().getI64IntegerAttr(channels),
      epsilon));
}

/// Repeats each of the `numGroups` entries of a 1-D per-group parameter
/// `channels / numGroups` times, giving the per-channel form of
/// tamp.group_norm.
FailureOr<Value> expandPerGroup(NodeImporter &node, Value parameter,
                                llvm::StringRef name, int64_t numGroups,
                                int64_t channels) {
  RankedTensorType type = typeOf(parameter);
  if (type.getRank() != 1 ||
      failed(verifyCompatibleShape(type.getShape(), {numGroups})))
    return node.emitError()
           << name << " must be 1-D with num_groups = " << numGroups
           << " entries (opset < 21), got " << type;
  int64_t perGroup = channels / numGroups;
  auto channelType = RankedTensorType::get({channels}, type.getElementType());
  DenseElementsAttr values;
  if (matchPattern(parameter, m_Constant(&values))) {
    SmallVector<Attribute> repeated;
    for (Attribute value : values.getValues<Attribute>())
      repeated.append(perGroup, value);
    return node.constant(DenseElementsAttr::get(channelType, repeated));
  }
  FailureOr<Value> column =
      node.build<UnsqueezeOp>(parameter, ArrayRef<int64_t>{1});
  if (failed(column))
    return failure();
  FailureOr<Value> grid =
      node.build<ExpandOp>(*column, node.constantI64({numGroups, perGroup}));
  if (failed(grid))
    return failure();
  return node.build<ReshapeOp>(*grid, node.constantI64({channels}), false);
}

LogicalResult importGroupNormalization(NodeImporter &node) {
  if (failed(node.checkInputCount(3, 3)))
    return failure();
  FailureOr<Value> input = node.input(0), scale = node.input(1),
                   bias = node.input(2);
  FailureOr<int64_t> numGroups = node.attrInt("num_groups");
  FloatAttr epsilon = readEpsilon(node);
  if (failed(input) || failed(scale) || failed(bias) || failed(numGroups) ||
      !epsilon)
    return failure();
  if (*numGroups < 1)
    return node.emitError()
           << "attribute 'num_groups' must be positive, got " << *numGroups;
  // Opset 18 scales and shifts per group, opset 21 per channel.
  if (node.opset() < 21) {
    RankedTensorType inputType = typeOf(*input);
    int64_t channels = inputType.getRank() >= 2 ? inputType.getDimSize(1)
                                                : ShapedType::kDynamic;
    if (ShapedType::isDynamic(channels))
      return node.emitError() << "per-group scale and bias (opset < 21) need "
                                 "a static channel count";
    if (channels % *numGroups != 0)
      return node.emitError()
             << "input channels " << channels
             << " are not divisible by num_groups " << *numGroups;
    scale = expandPerGroup(node, *scale, "scale", *numGroups, channels);
    if (failed(scale))
      return failure();
    bias = expandPerGroup(node, *bias, "bias", *numGroups, channels);
    if (failed(bias))
      return failure();
  }
  return node.setSingleResult(node.build<GroupNormOp>(
      *input, *scale, *bias, node.builder().getI64IntegerAttr(*numGroups),
      epsilon));
}

} // namespace

FailureOr<Value> importConvolution(NodeImporter &node, Value input,
                                   Value weight, Value bias) {
  FailureOr<int64_t> spatialRank = spatialRankOf(node, input);
  if (failed(spatialRank))
    return failure();
  FailureOr<Window> window = readWindow(node, *spatialRank);
  FailureOr<int64_t> group = node.attrInt("group", 1);
  if (failed(window) || failed(group) ||
      failed(checkKernelShape(node, weight, *spatialRank)))
    return failure();
  return node.build<ConvOp>(input, weight, bias, window->strides,
                            window->dilations, window->pads, window->autoPad,
                            *group, Activation::none, FloatAttr(), FloatAttr());
}

void registerNNOps(OpRegistry &registry) {
  registry.add("", "Conv", importConv);
  registry.add("", "ConvTranspose", importConvTranspose);
  registry.add("", "MaxPool", importPool<MaxPoolOp>);
  registry.add("", "AveragePool", importPool<AvgPoolOp>);
  registry.add("", "LpPool", importLpPool);
  registry.add("", "GlobalAveragePool", importGlobalPool<ReduceMeanOp>);
  registry.add("", "GlobalMaxPool", importGlobalPool<ReduceMaxOp>);
  registry.add("", "BatchNormalization", importBatchNormalization);
  registry.add("", "LpNormalization", importLpNormalization);
  registry.add("", "LayerNormalization", importLayerNormalization);
  registry.add("", "InstanceNormalization", importInstanceNormalization);
  registry.add("", "GroupNormalization", importGroupNormalization);
}

} // namespace tamp
