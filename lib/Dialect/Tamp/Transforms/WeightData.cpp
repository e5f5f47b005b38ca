//===- WeightData.cpp - Reading and writing constant weights --------------===//

#include "WeightData.h"

#include "tamp/Dialect/Tamp/IR/TampOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cstring>

using namespace mlir;

std::optional<std::vector<double>> tamp::readFloatElements(ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  auto floatType = dyn_cast<FloatType>(type.getElementType());
  if (!floatType || !type.hasStaticShape())
    return std::nullopt;
  int64_t count = type.getNumElements();
  std::vector<double> values;
  values.reserve(count);
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    for (APFloat value : dense.getValues<APFloat>())
      values.push_back(value.convertToDouble());
    return values;
  }
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  unsigned width = floatType.getWidth();
  if (!resource || width % 8 != 0 || width > 64)
    return std::nullopt;
  AsmResourceBlob *blob = resource.getRawHandle().getBlob();
  unsigned bytes = width / 8;
  if (!blob || int64_t(blob->getData().size()) != count * bytes)
    return std::nullopt;
  const char *data = blob->getData().data();
  for (int64_t i = 0; i < count; ++i) {
    uint64_t bits = 0;
    std::memcpy(&bits, data + i * bytes, bytes);
    values.push_back(APFloat(floatType.getFloatSemantics(), APInt(width, bits))
                         .convertToDouble());
  }
  return values;
}

std::optional<std::vector<double>> tamp::readConstantFloats(Value value) {
  auto constant = value.getDefiningOp<ConstantOp>();
  if (!constant)
    return std::nullopt;
  return readFloatElements(constant.getValue());
}

std::vector<char> tamp::encodeFloats(ArrayRef<float> values, FloatType type) {
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
  return data;
}

tamp::ConstantBuilder::ConstantBuilder(OpBuilder &builder, Location loc,
                                       ElementsAttr weight)
    : builder(builder), loc(loc) {
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(weight)) {
    asResource = true;
    nameHint = resource.getRawHandle().getKey().str();
  }
}

Value tamp::ConstantBuilder::create(RankedTensorType type, ArrayRef<char> data,
                                    StringRef suffix) {
  ElementsAttr attr;
  if (asResource) {
    AsmResourceBlob blob =
        HeapAsmResourceBlob::allocateAndCopyWithAlign(data, alignof(double));
    attr = DenseResourceElementsAttr::get(type, nameHint + "." + suffix.str(),
                                          std::move(blob));
  } else {
    attr = DenseElementsAttr::getFromRawBuffer(type, data);
  }
  return ConstantOp::create(builder, loc, type, attr);
}

Value tamp::ConstantBuilder::createFloats(ArrayRef<int64_t> shape,
                                          FloatType type,
                                          ArrayRef<float> values,
                                          StringRef suffix) {
  return create(RankedTensorType::get(shape, type), encodeFloats(values, type),
                suffix);
}
