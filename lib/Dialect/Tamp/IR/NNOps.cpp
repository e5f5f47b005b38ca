//===- NNOps.cpp - Convolution, pooling, normalisation --------------------===//
//
// Result-type inference checks whatever the output shape is computed from
// (ranks, window attributes). The verifiers run those checks first, since
// MLIR verifies an op before comparing its inferred result types, and then
// check the remaining operands (channels, biases, normalisation parameters,
// element types).
//
//===----------------------------------------------------------------------===//

#include "tamp/Dialect/Tamp/IR/TampOps.h"

#include "llvm/ADT/STLExtras.h"

#include <cmath>

using namespace mlir;
using namespace tamp;

#define GET_OP_CLASSES
#include "tamp/Dialect/Tamp/IR/NNOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

static bool isStatic(int64_t size) { return !ShapedType::isDynamic(size); }

/// Runs an op's result-type inference from its verifier. verify() runs
/// before the inferred types are compared with the declared ones, and its
/// own checks rely on what inference checks (ranks, attribute lengths).
template <typename OpTy> static LogicalResult verifyInferenceChecks(OpTy op) {
  SmallVector<Type, 1> types;
  return OpTy::inferReturnTypes(op.getContext(), op.getLoc(),
                                typename OpTy::Adaptor(op), types);
}

/// Checks that the window attribute `name` has `expected` elements, each at
/// least `minimum`; `layout` tells the diagnostic what the elements are.
static LogicalResult checkWindowAttribute(std::optional<Location> loc,
                                          StringRef name,
                                          ArrayRef<int64_t> values,
                                          int64_t expected, int64_t minimum,
                                          StringRef layout) {
  if (int64_t(values.size()) != expected)
    return emitInferenceError(loc, name + " must have " + Twine(expected) +
                                       " elements (" + layout + "), got " +
                                       Twine(values.size()));
  for (auto [index, value] : llvm::enumerate(values))
    if (value < minimum)
      return emitInferenceError(loc, name + "[" + Twine(index) +
                                         "] = " + Twine(value) +
                                         " must be at least " + Twine(minimum));
  return success();
}

/// Checks strides, dilations, pads and auto_pad against the spatial rank.
static LogicalResult
checkWindowAttributes(std::optional<Location> loc, int64_t spatialRank,
                      ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                      ArrayRef<int64_t> pads, AutoPad autoPad) {
  if (failed(checkWindowAttribute(loc, "strides", strides, spatialRank, 1,
                                  "one per spatial dimension")) ||
      failed(checkWindowAttribute(loc, "dilations", dilations, spatialRank, 1,
                                  "one per spatial dimension")) ||
      failed(checkWindowAttribute(loc, "pads", pads, 2 * spatialRank, 0,
                                  "begins, then ends")))
    return failure();
  if (autoPad != AutoPad::explicit_pads &&
      llvm::any_of(pads, [](int64_t pad) { return pad != 0; }))
    return emitInferenceError(loc, "pads must be zero when auto_pad is " +
                                       stringifyAutoPad(autoPad));
  return success();
}

/// Spatial output sizes of a convolution or pool whose window attributes
/// passed checkWindowAttributes. Dynamic input or kernel sizes give dynamic
/// output sizes (SAME padding does not depend on the kernel).
static FailureOr<SmallVector<int64_t>>
inferWindowOutputSizes(std::optional<Location> loc,
                       ArrayRef<int64_t> inputSizes, ArrayRef<int64_t> kernel,
                       ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                       ArrayRef<int64_t> pads, AutoPad autoPad, bool ceilMode) {
  int64_t spatialRank = inputSizes.size();
  bool samePadding =
      autoPad == AutoPad::same_upper || autoPad == AutoPad::same_lower;
  bool validPadding = autoPad == AutoPad::valid;
  SmallVector<int64_t> sizes;
  for (int64_t i = 0; i < spatialRank; ++i) {
    if (isStatic(kernel[i]) && kernel[i] < 1)
      return emitInferenceError(loc, "kernel size " + Twine(kernel[i]) +
                                         " of spatial dimension " + Twine(i) +
                                         " must be positive");
    if (!isStatic(inputSizes[i]) || (!samePadding && !isStatic(kernel[i]))) {
      sizes.push_back(ShapedType::kDynamic);
      continue;
    }
    int64_t padBegin = pads[i], padEnd = pads[spatialRank + i];
    if (!samePadding) {
      // A window that never fits would give an empty or negative output.
      int64_t extent = dilations[i] * (kernel[i] - 1) + 1;
      int64_t padded = inputSizes[i] + padBegin + padEnd;
      if (padded < extent)
        return emitInferenceError(loc, "window extent " + Twine(extent) +
                                           " of spatial dimension " + Twine(i) +
                                           " exceeds the padded input size " +
                                           Twine(padded));
    }
    sizes.push_back(windowOutputSize(inputSizes[i], kernel[i], strides[i],
                                     dilations[i], padBegin, padEnd, ceilMode,
                                     samePadding, validPadding));
  }
  return sizes;
}

/// Checks the ranks of a convolution's input and weight: both
/// [., ., D1, ..., Dk] with k = 1, 2 or 3.
static LogicalResult checkConvolutionRanks(std::optional<Location> loc,
                                           RankedTensorType input,
                                           RankedTensorType weight) {
  if (input.getRank() < 3 || input.getRank() > 5)
    return emitInferenceError(
        loc, "input must have rank 3, 4 or 5 ([N, C, D1, ..., Dk]), got rank " +
                 Twine(input.getRank()));
  if (weight.getRank() != input.getRank())
    return emitInferenceError(loc, "weight must have the input's rank " +
                                       Twine(input.getRank()) + ", got rank " +
                                       Twine(weight.getRank()));
  return success();
}

/// Checks the parts of a convolution that do not decide its result shape:
/// group, channel counts, bias and element types. The weight's input-channel
/// dimension holds all C channels (conv_transpose, dimension 0) or C / group
/// (conv, dimension 1); `outputChannels` is M, dynamic where unknown.
static LogicalResult verifyConvolutionOperands(Operation *op, Value input,
                                               Value weight, Value bias,
                                               int64_t group,
                                               bool weightHoldsAllInputChannels,
                                               int64_t outputChannels) {
  auto inputType = cast<RankedTensorType>(input.getType());
  auto weightType = cast<RankedTensorType>(weight.getType());
  if (group < 1)
    return op->emitOpError("group must be positive, got ") << group;
  Type elementType = inputType.getElementType();
  // Quantized operands have their own contract (element types differ by
  // design: quantized weight, i32 bias); the channel checks below still hold.
  bool quantized = isQuantizedTensor(inputType);
  if (!quantized && weightType.getElementType() != elementType)
    return op->emitOpError("weight element type ")
           << weightType.getElementType() << " must match the input's "
           << elementType;

  int64_t inputChannels = inputType.getDimSize(1);
  if (isStatic(inputChannels) && inputChannels % group != 0)
    return op->emitOpError("input channels ")
           << inputChannels << " are not divisible by group " << group;
  if (isStatic(outputChannels) && outputChannels % group != 0)
    return op->emitOpError("output channels ")
           << outputChannels << " are not divisible by group " << group;
  int64_t weightChannels =
      weightType.getDimSize(weightHoldsAllInputChannels ? 0 : 1);
  if (isStatic(inputChannels) && isStatic(weightChannels)) {
    int64_t expected =
        weightHoldsAllInputChannels ? inputChannels : inputChannels / group;
    if (weightChannels != expected)
      return op->emitOpError("weight dimension ")
             << (weightHoldsAllInputChannels ? 0 : 1) << " is "
             << weightChannels << " but the input's " << inputChannels
             << " channels need " << expected;
  }

  if (quantized)
    return verifyIntegerKernelOperands(
        op, input, weight, /*weightChannelDim=*/0, bias, outputChannels);
  if (!bias)
    return success();
  auto biasType = cast<RankedTensorType>(bias.getType());
  if (biasType.getElementType() != elementType)
    return op->emitOpError("bias element type ")
           << biasType.getElementType() << " must match the input's "
           << elementType;
  if (biasType.getRank() != 1 ||
      failed(verifyCompatibleShape(biasType.getShape(), {outputChannels})))
    return op->emitOpError("bias must be 1-D with the ")
           << outputChannels << " output channels, got " << biasType;
  return success();
}

/// Checks epsilon of a normalisation: non-negative (and not NaN).
static LogicalResult verifyEpsilon(Operation *op, const APFloat &epsilon) {
  double value = epsilon.convertToDouble();
  if (!(value >= 0.0))
    return op->emitOpError("epsilon must be non-negative, got ") << value;
  return success();
}

/// Checks a per-channel parameter of a normalisation: 1-D [C], with the
/// input's element type.
static LogicalResult verifyChannelParameter(Operation *op, StringRef name,
                                            Value parameter,
                                            RankedTensorType input) {
  auto type = cast<RankedTensorType>(parameter.getType());
  if (type.getElementType() != input.getElementType())
    return op->emitOpError()
           << name << " element type " << type.getElementType()
           << " must match the input's " << input.getElementType();
  if (type.getRank() != 1 ||
      failed(verifyCompatibleShape(type.getShape(), {input.getDimSize(1)})))
    return op->emitOpError()
           << name
           << " must be 1-D with the input's channel count (dimension 1), got "
           << type;
  return success();
}

//===----------------------------------------------------------------------===//
// Epilogues
//===----------------------------------------------------------------------===//

LogicalResult tamp::verifyEpilogue(Operation *op, Activation activation,
                                   std::optional<APFloat> min,
                                   std::optional<APFloat> max) {
  if (activation == Activation::none && !min && !max)
    return success();
  if (activation != Activation::clamp && (min || max))
    return op->emitOpError("activation_min and activation_max belong to the "
                           "clamp activation, not ")
           << stringifyActivation(activation);
  if (activation == Activation::clamp && !min && !max)
    return op->emitOpError(
        "the clamp activation needs activation_min or activation_max");
  if (min && max && min->convertToDouble() > max->convertToDouble())
    return op->emitOpError("activation_min ")
           << min->convertToDouble() << " exceeds activation_max "
           << max->convertToDouble();
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  if (!isa<FloatType>(resultType.getElementType()) ||
      llvm::any_of(op->getOperandTypes(), isQuantizedTensor))
    return op->emitOpError("only float ")
           << op->getName() << " ops have an activation epilogue";
  return success();
}

bool tamp::hasFusedActivation(Operation *op) {
  if (auto conv = dyn_cast<ConvOp>(op))
    return conv.getActivation() != Activation::none;
  if (auto linear = dyn_cast<LinearOp>(op))
    return linear.getActivation() != Activation::none;
  return false;
}

//===----------------------------------------------------------------------===//
// Conv
//===----------------------------------------------------------------------===//

LogicalResult ConvOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  auto weight = cast<RankedTensorType>(adaptor.getWeight().getType());
  if (failed(checkConvolutionRanks(loc, input, weight)) ||
      failed(checkWindowAttributes(loc, input.getRank() - 2,
                                   adaptor.getStrides(), adaptor.getDilations(),
                                   adaptor.getPads(), adaptor.getAutoPad())))
    return failure();
  auto spatial = inferWindowOutputSizes(
      loc, input.getShape().drop_front(2), weight.getShape().drop_front(2),
      adaptor.getStrides(), adaptor.getDilations(), adaptor.getPads(),
      adaptor.getAutoPad(), /*ceilMode=*/false);
  if (failed(spatial))
    return failure();
  SmallVector<int64_t> shape{input.getDimSize(0), weight.getDimSize(0)};
  llvm::append_range(shape, *spatial);
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult ConvOp::verify() {
  if (failed(verifyInferenceChecks(*this)) ||
      failed(verifyConvolutionOperands(*this, getInput(), getWeight(),
                                       getBias(),
                                       static_cast<int64_t>(getGroup()),
                                       /*weightHoldsAllInputChannels=*/false,
                                       getWeight().getType().getDimSize(0))))
    return failure();
  return verifyEpilogue(*this, getActivation(), getActivationMin(),
                        getActivationMax());
}

SmallVector<unsigned> ConvOp::getQuantizableOperandIndices() { return {0, 1}; }
std::optional<unsigned> ConvOp::getWeightOperandIndex() { return 1; }
int64_t ConvOp::getWeightOutputChannelDim() { return 0; }
int64_t ConvOp::getWeightReductionDim() { return 1; }
int64_t ConvOp::getWeightInputChannelDim() { return 1; }
int64_t ConvOp::getInputChannelDim() { return 1; }
int64_t ConvOp::getResultChannelDim() { return 1; }
std::optional<unsigned> ConvOp::getBiasOperandIndex() {
  return getBias() ? std::optional<unsigned>(2) : std::nullopt;
}
int64_t ConvOp::getChannelGroups() { return static_cast<int64_t>(getGroup()); }

//===----------------------------------------------------------------------===//
// ConvTranspose
//===----------------------------------------------------------------------===//

/// M of a transposed convolution: weight dimension 1 holds M / group.
static int64_t getTransposedOutputChannels(RankedTensorType weight,
                                           int64_t group) {
  int64_t perGroup = weight.getDimSize(1);
  if (!isStatic(perGroup) || group < 1)
    return ShapedType::kDynamic;
  return perGroup * group;
}

LogicalResult ConvTransposeOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  auto weight = cast<RankedTensorType>(adaptor.getWeight().getType());
  if (failed(checkConvolutionRanks(loc, input, weight)))
    return failure();
  int64_t spatialRank = input.getRank() - 2;
  ArrayRef<int64_t> strides = adaptor.getStrides();
  ArrayRef<int64_t> dilations = adaptor.getDilations();
  ArrayRef<int64_t> pads = adaptor.getPads();
  ArrayRef<int64_t> outputPadding = adaptor.getOutputPadding();
  AutoPad autoPad = adaptor.getAutoPad();
  if (failed(checkWindowAttributes(loc, spatialRank, strides, dilations, pads,
                                   autoPad)) ||
      failed(checkWindowAttribute(loc, "output_padding", outputPadding,
                                  spatialRank, 0, "one per spatial dimension")))
    return failure();
  for (int64_t i = 0; i < spatialRank; ++i) {
    // Larger output padding would add rows that no input element reaches.
    int64_t limit = std::max(strides[i], dilations[i]);
    if (outputPadding[i] >= limit)
      return emitInferenceError(
          loc,
          "output_padding[" + Twine(i) + "] = " + Twine(outputPadding[i]) +
              " must be smaller than max(stride, dilation) = " + Twine(limit));
  }

  SmallVector<int64_t> shape{
      input.getDimSize(0),
      getTransposedOutputChannels(weight,
                                  static_cast<int64_t>(adaptor.getGroup()))};
  bool samePadding =
      autoPad == AutoPad::same_upper || autoPad == AutoPad::same_lower;
  for (int64_t i = 0; i < spatialRank; ++i) {
    int64_t inputSize = input.getDimSize(i + 2);
    int64_t kernel = weight.getDimSize(i + 2);
    if (isStatic(kernel) && kernel < 1)
      return emitInferenceError(loc, "kernel size " + Twine(kernel) +
                                         " of spatial dimension " + Twine(i) +
                                         " must be positive");
    if (!isStatic(inputSize) || (!samePadding && !isStatic(kernel))) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    if (samePadding) {
      shape.push_back(inputSize * strides[i]);
      continue;
    }
    int64_t size = strides[i] * (inputSize - 1) + outputPadding[i] +
                   dilations[i] * (kernel - 1) + 1 - pads[i] -
                   pads[spatialRank + i];
    if (size < 1)
      return emitInferenceError(loc, "output size " + Twine(size) +
                                         " of spatial dimension " + Twine(i) +
                                         " must be positive");
    shape.push_back(size);
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult ConvTransposeOp::verify() {
  if (failed(verifyInferenceChecks(*this)))
    return failure();
  int64_t group = static_cast<int64_t>(getGroup());
  return verifyConvolutionOperands(
      *this, getInput(), getWeight(), getBias(), group,
      /*weightHoldsAllInputChannels=*/true,
      getTransposedOutputChannels(getWeight().getType(), group));
}

SmallVector<unsigned> ConvTransposeOp::getQuantizableOperandIndices() {
  return {0, 1};
}
std::optional<unsigned> ConvTransposeOp::getWeightOperandIndex() { return 1; }
// The weight is [C, M / group, K...]: output channels along 1, the reduction
// over input channels along 0.
int64_t ConvTransposeOp::getWeightOutputChannelDim() { return 1; }
int64_t ConvTransposeOp::getWeightReductionDim() { return 0; }
int64_t ConvTransposeOp::getWeightInputChannelDim() { return 0; }
int64_t ConvTransposeOp::getInputChannelDim() { return 1; }
int64_t ConvTransposeOp::getResultChannelDim() { return 1; }
std::optional<unsigned> ConvTransposeOp::getBiasOperandIndex() {
  return getBias() ? std::optional<unsigned>(2) : std::nullopt;
}
int64_t ConvTransposeOp::getChannelGroups() {
  return static_cast<int64_t>(getGroup());
}

//===----------------------------------------------------------------------===//
// BatchNorm
//===----------------------------------------------------------------------===//

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location>,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  types.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult BatchNormOp::verify() {
  RankedTensorType input = getInput().getType();
  if (input.getRank() < 2)
    return emitOpError("input must have rank >= 2 ([N, C, ...]), got rank ")
           << input.getRank();
  std::pair<StringRef, Value> parameters[] = {{"scale", getScale()},
                                              {"bias", getBias()},
                                              {"mean", getMean()},
                                              {"variance", getVariance()}};
  for (auto [name, parameter] : parameters)
    if (failed(verifyChannelParameter(*this, name, parameter, input)))
      return failure();
  return verifyEpsilon(*this, getEpsilon());
}

//===----------------------------------------------------------------------===//
// MaxPool, MaxPoolWithIndices, AvgPool
//===----------------------------------------------------------------------===//

template <typename PoolOp>
static LogicalResult inferPoolResultType(std::optional<Location> loc,
                                         typename PoolOp::Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  if (input.getRank() < 3)
    return emitInferenceError(
        loc, "input must have rank >= 3 ([N, C, D1, ...]), got rank " +
                 Twine(input.getRank()));
  int64_t spatialRank = input.getRank() - 2;
  if (failed(checkWindowAttribute(loc, "kernel_shape", adaptor.getKernelShape(),
                                  spatialRank, 1,
                                  "one per spatial dimension")) ||
      failed(checkWindowAttributes(loc, spatialRank, adaptor.getStrides(),
                                   adaptor.getDilations(), adaptor.getPads(),
                                   adaptor.getAutoPad())))
    return failure();
  auto spatial = inferWindowOutputSizes(
      loc, input.getShape().drop_front(2), adaptor.getKernelShape(),
      adaptor.getStrides(), adaptor.getDilations(), adaptor.getPads(),
      adaptor.getAutoPad(), adaptor.getCeilMode());
  if (failed(spatial))
    return failure();
  SmallVector<int64_t> shape{input.getDimSize(0), input.getDimSize(1)};
  llvm::append_range(shape, *spatial);
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

/// A pad as large as the kernel extent would make windows that hold only
/// padding. Runs after verifyInferenceChecks checked the attribute lengths.
static LogicalResult verifyPoolPads(Operation *op, ArrayRef<int64_t> kernel,
                                    ArrayRef<int64_t> dilations,
                                    ArrayRef<int64_t> pads) {
  int64_t spatialRank = kernel.size();
  for (auto [index, pad] : llvm::enumerate(pads)) {
    int64_t dim = index % spatialRank;
    int64_t extent = dilations[dim] * (kernel[dim] - 1) + 1;
    if (pad >= extent)
      return op->emitOpError("pads[")
             << index << "] = " << pad
             << " must be smaller than the kernel extent " << extent
             << " of spatial dimension " << dim;
  }
  return success();
}

LogicalResult MaxPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return inferPoolResultType<MaxPoolOp>(loc, adaptor, types);
}

LogicalResult MaxPoolOp::verify() {
  if (failed(verifyInferenceChecks(*this)))
    return failure();
  if (isQuantizedTensor(getInput().getType()) &&
      (failed(
           verifyQuantizedActivation(*this, "input", getInput().getType())) ||
       getType().getElementType() != getInput().getType().getElementType()))
    return emitOpError("a quantized input must keep its element type, got ")
           << getType();
  return verifyPoolPads(*this, getKernelShape(), getDilations(), getPads());
}

LogicalResult MaxPoolWithIndicesOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  if (failed(inferPoolResultType<MaxPoolWithIndicesOp>(loc, adaptor, types)))
    return failure();
  // The indices have the pooled shape.
  auto output = cast<RankedTensorType>(types.front());
  types.push_back(output.clone(IntegerType::get(context, 64)));
  return success();
}

LogicalResult MaxPoolWithIndicesOp::verify() {
  if (failed(verifyInferenceChecks(*this)))
    return failure();
  return verifyPoolPads(*this, getKernelShape(), getDilations(), getPads());
}

LogicalResult AvgPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return inferPoolResultType<AvgPoolOp>(loc, adaptor, types);
}

LogicalResult AvgPoolOp::verify() {
  if (failed(verifyInferenceChecks(*this)))
    return failure();
  return verifyPoolPads(*this, getKernelShape(), getDilations(), getPads());
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

/// Checks the ranks and the contracted sizes that the result shape depends
/// on: query [..., Sq, D], key [..., Sk, D], value [..., Sk, Dv].
static LogicalResult checkAttentionOperands(std::optional<Location> loc,
                                            RankedTensorType query,
                                            RankedTensorType key,
                                            RankedTensorType value) {
  int64_t rank = query.getRank();
  if (rank < 2)
    return emitInferenceError(
        loc,
        "query must have rank >= 2 ([..., Sq, D]), got rank " + Twine(rank));
  if (key.getRank() != rank || value.getRank() != rank)
    return emitInferenceError(loc, "key and value must have the query's rank " +
                                       Twine(rank));
  auto compatible = [](int64_t lhs, int64_t rhs) {
    return !isStatic(lhs) || !isStatic(rhs) || lhs == rhs;
  };
  for (int64_t dim = 0; dim < rank - 2; ++dim)
    if (!compatible(query.getDimSize(dim), key.getDimSize(dim)) ||
        !compatible(query.getDimSize(dim), value.getDimSize(dim)))
      return emitInferenceError(loc, "query, key and value differ in leading "
                                     "dimension " +
                                         Twine(dim));
  if (!compatible(query.getDimSize(rank - 1), key.getDimSize(rank - 1)))
    return emitInferenceError(
        loc, "query and key differ in their last (feature) dimension");
  if (!compatible(key.getDimSize(rank - 2), value.getDimSize(rank - 2)))
    return emitInferenceError(
        loc, "key and value differ in their sequence dimension (rank - 2)");
  return success();
}

LogicalResult AttentionOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto query = cast<RankedTensorType>(adaptor.getQuery().getType());
  auto key = cast<RankedTensorType>(adaptor.getKey().getType());
  auto value = cast<RankedTensorType>(adaptor.getValue().getType());
  if (failed(checkAttentionOperands(loc, query, key, value)))
    return failure();
  SmallVector<int64_t> shape(query.getShape().drop_back());
  shape.push_back(value.getShape().back());
  types.push_back(RankedTensorType::get(shape, query.getElementType()));
  return success();
}

LogicalResult AttentionOp::verify() {
  if (failed(verifyInferenceChecks(*this)))
    return failure();
  RankedTensorType query = getQuery().getType();
  Type elementType = query.getElementType();
  if (getKey().getType().getElementType() != elementType ||
      getValue().getType().getElementType() != elementType)
    return emitOpError("query, key and value must share an element type");
  if (Value mask = getMask()) {
    auto maskType = cast<RankedTensorType>(mask.getType());
    if (maskType.getElementType() != elementType)
      return emitOpError("mask element type ")
             << maskType.getElementType() << " must match the query's "
             << elementType;
    SmallVector<int64_t> scores(query.getShape().drop_back());
    scores.push_back(getKey().getType().getDimSize(query.getRank() - 2));
    // Unidirectional broadcast: the mask stretches to the scores.
    auto broadcast = broadcastShapes(scores, maskType.getShape());
    if (!broadcast || broadcast->size() != scores.size() ||
        failed(verifyCompatibleShape(*broadcast, scores)))
      return emitOpError("mask of type ")
             << maskType << " does not broadcast to the scores "
             << RankedTensorType::get(scores, elementType);
  }
  if (!std::isfinite(getScale().convertToFloat()))
    return emitOpError("scale must be finite");
  return success();
}

//===----------------------------------------------------------------------===//
// LayerNorm, GroupNorm
//===----------------------------------------------------------------------===//

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location>,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  types.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult LayerNormOp::verify() {
  RankedTensorType input = getInput().getType();
  int64_t rank = input.getRank();
  if (rank < 1)
    return emitOpError("input must have rank >= 1");
  int64_t axis = getAxisAttr().getInt();
  if (axis < -rank || axis >= rank)
    return emitOpError("axis ") << axis << " is out of range for rank " << rank;
  ArrayRef<int64_t> normalized =
      input.getShape().drop_front(axis < 0 ? axis + rank : axis);
  std::pair<StringRef, Value> parameters[] = {{"scale", getScale()},
                                              {"bias", getBias()}};
  for (auto [name, parameter] : parameters) {
    if (!parameter)
      continue;
    auto type = cast<RankedTensorType>(parameter.getType());
    if (type.getElementType() != input.getElementType())
      return emitOpError() << name << " element type " << type.getElementType()
                           << " must match the input's "
                           << input.getElementType();
    // Unidirectional broadcast: the parameter stretches to the normalised
    // dimensions, never the other way round.
    auto broadcast = broadcastShapes(normalized, type.getShape());
    if (!broadcast || broadcast->size() != normalized.size() ||
        failed(verifyCompatibleShape(*broadcast, normalized)))
      return emitOpError()
             << name << " of type " << type
             << " does not broadcast to the normalised dimensions "
                "of the input "
             << input;
  }
  return verifyEpsilon(*this, getEpsilon());
}

LogicalResult GroupNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location>,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  types.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult GroupNormOp::verify() {
  RankedTensorType input = getInput().getType();
  if (input.getRank() < 2)
    return emitOpError("input must have rank >= 2 ([N, C, ...]), got rank ")
           << input.getRank();
  int64_t numGroups = getNumGroupsAttr().getInt();
  if (numGroups < 1)
    return emitOpError("num_groups must be positive, got ") << numGroups;
  int64_t channels = input.getDimSize(1);
  if (isStatic(channels) && channels % numGroups != 0)
    return emitOpError("input channels ")
           << channels << " are not divisible by num_groups " << numGroups;
  if (failed(verifyChannelParameter(*this, "scale", getScale(), input)) ||
      failed(verifyChannelParameter(*this, "bias", getBias(), input)))
    return failure();
  return verifyEpsilon(*this, getEpsilon());
}
