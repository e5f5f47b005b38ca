//===- QuantizationUtils.cpp - Shared by the quantization passes ----------===//

#include "QuantizationUtils.h"

#include "tamp/Dialect/Tamp/IR/TampQuantization.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;

namespace tamp {

FailureOr<OpFilter> OpFilter::create(Operation *anchor, StringRef keepFloat) {
  OpFilter filter;
  if (keepFloat.empty())
    return filter;
  filter.keepFloat.emplace(keepFloat);
  std::string error;
  if (!filter.keepFloat->isValid(error))
    return anchor->emitError("invalid keep-float regular expression '")
           << keepFloat << "': " << error;
  return filter;
}

bool OpFilter::shouldQuantize(Operation *op) const {
  if (!keepFloat)
    return true;
  bool matched = false;
  op->getLoc()->walk([&](Location loc) {
    if (auto name = dyn_cast<NameLoc>(loc))
      matched |= keepFloat->match(name.getName().getValue());
    return WalkResult::advance();
  });
  return !matched;
}

FailureOr<std::pair<double, double>>
readCalibratedRange(Operation *op, DictionaryAttr calibration,
                    unsigned operandIndex, StringRef method) {
  std::string key = "operand" + std::to_string(operandIndex);
  auto statistics = calibration.getAs<DictionaryAttr>(key);
  if (!statistics)
    return op->emitError("tamp.calibration has no statistics '")
           << key << "' for this op's activation operand " << operandIndex;
  auto range = statistics.getAs<DenseF64ArrayAttr>(method);
  if (!range || range.size() != 2)
    return op->emitError("tamp.calibration '")
           << key << "' has no '" << method
           << "' range (expected array<f64: lo, hi>)";
  double lo = range[0], hi = range[1];
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi)
    return op->emitError("tamp.calibration '")
           << key << "' has an invalid '" << method << "' range [" << lo << ", "
           << hi << "]";
  return std::make_pair(lo, hi);
}

FailureOr<Value> quantizeWeightPerChannel(OpBuilder &builder, Location loc,
                                          Value weight, int64_t channelDim,
                                          SmallVectorImpl<double> &scales) {
  std::optional<SmallVector<float>> values = getConstantF32Values(weight);
  auto type = cast<RankedTensorType>(weight.getType());
  if (!values || !type.hasStaticShape())
    return failure();
  int64_t channels = type.getDimSize(channelDim);
  int64_t inner = 1;
  for (int64_t dim = channelDim + 1; dim < type.getRank(); ++dim)
    inner *= type.getDimSize(dim);
  auto channelOf = [&](int64_t index) { return (index / inner) % channels; };

  SmallVector<double> absMax(channels, 0.0);
  for (auto [index, value] : llvm::enumerate(*values))
    absMax[channelOf(index)] =
        std::max(absMax[channelOf(index)], std::abs(double(value)));
  scales.clear();
  for (double channelMax : absMax) {
    // The kernels use f32 scales: round here so the compile-time arithmetic
    // (bias, requantization multipliers) sees the same values.
    float scale = static_cast<float>(channelMax / 127.0);
    scales.push_back(scale > 0.0f ? scale : 1.0f);
  }
  SmallVector<int8_t> quantized(values->size());
  for (auto [index, value] : llvm::enumerate(*values)) {
    double q = std::nearbyint(double(value) / scales[channelOf(index)]);
    quantized[index] = static_cast<int8_t>(std::clamp(q, -127.0, 127.0));
  }

  MLIRContext *ctx = builder.getContext();
  auto storageType = type.clone(builder.getI8Type());
  auto blob = HeapAsmResourceBlob::allocateAndCopyInferAlign(
      ArrayRef<int8_t>(quantized));
  auto attr = DenseResourceElementsAttr::get(storageType, "quantized_weight",
                                             std::move(blob));
  Value storage = arith::ConstantOp::create(builder, loc, attr);
  auto quantizedType = quant::UniformQuantizedPerAxisType::get(
      quant::QuantizationFlags::Signed, builder.getI8Type(),
      Float32Type::get(ctx), scales, SmallVector<int64_t>(channels, 0),
      static_cast<int32_t>(channelDim), -127, 127);
  return quant::StorageCastOp::create(builder, loc, type.clone(quantizedType),
                                      storage)
      .getResult();
}

Value quantizeBias(OpBuilder &builder, Location loc, Value bias,
                   double inputScale, ArrayRef<double> weightScales) {
  SmallVector<float> values = *getConstantF32Values(bias);
  SmallVector<int32_t> quantized;
  quantized.reserve(values.size());
  constexpr double lowest = std::numeric_limits<int32_t>::min();
  constexpr double highest = std::numeric_limits<int32_t>::max();
  for (auto [index, value] : llvm::enumerate(values)) {
    double scale =
        inputScale * weightScales[weightScales.size() == 1 ? 0 : index];
    double q = std::nearbyint(double(value) / scale);
    quantized.push_back(static_cast<int32_t>(std::clamp(q, lowest, highest)));
  }
  auto type =
      cast<RankedTensorType>(bias.getType()).clone(builder.getI32Type());
  return arith::ConstantOp::create(
      builder, loc, DenseIntElementsAttr::get(type, ArrayRef(quantized)));
}

} // namespace tamp
