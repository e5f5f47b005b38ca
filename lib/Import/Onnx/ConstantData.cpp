//===- ConstantData.cpp - Reading and rewriting constant tensors ----------===//

#include "ConstantData.h"
#include "NodeImporter.h"

#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace tamp {

static RankedTensorType typeOf(Value value) {
  return NodeImporter::typeOf(value);
}

std::optional<ConstantBytes> getConstantBytes(Value value) {
  ElementsAttr attr;
  RankedTensorType type = typeOf(value);
  if (!matchPattern(value, m_Constant(&attr)) || !type.hasStaticShape() ||
      !type.getElementType().isIntOrFloat() ||
      type.getElementTypeBitWidth() % 8 != 0)
    return std::nullopt;
  size_t expected = type.getNumElements() * (type.getElementTypeBitWidth() / 8);
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob || blob->getData().size() != expected)
      return std::nullopt;
    return ConstantBytes{blob->getData(), false};
  }
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (!dense)
    return std::nullopt;
  if (!dense.isSplat() && dense.getRawData().size() != expected)
    return std::nullopt;
  return ConstantBytes{dense.getRawData(), dense.isSplat()};
}

/// The values of a float constant, including one in a resource blob.
std::optional<SmallVector<double>> readFloatConstant(Value value) {
  if (std::optional<SmallVector<double>> values = getConstantFloatValues(value))
    return values;
  auto floatType = dyn_cast<FloatType>(typeOf(value).getElementType());
  std::optional<ConstantBytes> bytes = getConstantBytes(value);
  if (!floatType || !bytes)
    return std::nullopt;
  unsigned width = floatType.getWidth();
  SmallVector<double> values;
  for (int64_t i = 0, e = typeOf(value).getNumElements(); i < e; ++i)
    values.push_back(APFloat(floatType.getFloatSemantics(),
                             APInt(width, bytes->element(i, width / 8)))
                         .convertToDouble());
  return values;
}

/// The values of an integer constant, including one in a resource blob.
std::optional<SmallVector<int64_t>> readIntConstant(Value value) {
  if (std::optional<SmallVector<int64_t>> values = getConstantIntValues(value))
    return values;
  auto intType = dyn_cast<IntegerType>(typeOf(value).getElementType());
  std::optional<ConstantBytes> bytes = getConstantBytes(value);
  if (!intType || !bytes)
    return std::nullopt;
  unsigned width = intType.getWidth();
  SmallVector<int64_t> values;
  for (int64_t i = 0, e = typeOf(value).getNumElements(); i < e; ++i) {
    APInt element(width, bytes->element(i, width / 8));
    values.push_back(intType.isUnsigned() ? int64_t(element.getZExtValue())
                                          : element.getSExtValue());
  }
  return values;
}

/// A constant named after `source`'s blob (if it has one) plus `suffix`.
Value constantLike(NodeImporter &node, Value source, DecodedTensor tensor,
                   llvm::StringRef suffix) {
  std::string name = "weight";
  ElementsAttr attr;
  if (matchPattern(source, m_Constant(&attr)))
    if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr))
      name = resource.getRawHandle().getKey().str();
  return node.constant(makeElementsAttr(std::move(tensor), name + suffix.str(),
                                        node.inlineElementLimit()));
}

/// The transpose of a constant 2-D byte-sized `matrix`, computed here so that
/// the weight stays a constant; std::nullopt if `matrix` is no such constant.
std::optional<Value> transposeConstantMatrix(NodeImporter &node, Value matrix) {
  RankedTensorType type = typeOf(matrix);
  std::optional<ConstantBytes> bytes = getConstantBytes(matrix);
  if (type.getRank() != 2 || !bytes)
    return std::nullopt;
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  size_t width = type.getElementTypeBitWidth() / 8;
  DecodedTensor transposed;
  transposed.type = RankedTensorType::get({cols, rows}, type.getElementType());
  transposed.bytes.resize(rows * cols * width);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      for (size_t b = 0; b < width; ++b)
        transposed.bytes[(c * rows + r) * width + b] =
            char(bytes->byte((r * cols + c) * width + b));
  return constantLike(node, matrix, std::move(transposed), ".T");
}

} // namespace tamp
