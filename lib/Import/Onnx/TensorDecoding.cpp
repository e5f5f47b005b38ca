//===- TensorDecoding.cpp - ONNX TensorProto -> MLIR attributes -----------===//

#include "TensorDecoding.h"
#include "ExternalData.h"

#include "onnx-ml.pb.h"

#include "tamp/Dialect/Tamp/IR/TampDialect.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MathExtras.h"

#include <cstring>

using namespace mlir;
using llvm::Expected;

namespace tamp {

/// !tamp.string; the importer's context has the tamp dialect loaded, other
/// users of these functions (unit tests) need not.
static StringType getStringType(MLIRContext *ctx) {
  ctx->getOrLoadDialect<TampDialect>();
  return StringType::get(ctx);
}

Expected<Type> convertOnnxElementType(int32_t dataType, MLIRContext *ctx) {
  using TP = onnx::TensorProto;
  switch (dataType) {
  case TP::FLOAT:
    return Float32Type::get(ctx);
  case TP::DOUBLE:
    return Float64Type::get(ctx);
  case TP::FLOAT16:
    return Float16Type::get(ctx);
  case TP::BFLOAT16:
    return BFloat16Type::get(ctx);
  case TP::FLOAT8E4M3FN:
    return Float8E4M3FNType::get(ctx);
  case TP::FLOAT8E4M3FNUZ:
    return Float8E4M3FNUZType::get(ctx);
  case TP::FLOAT8E5M2:
    return Float8E5M2Type::get(ctx);
  case TP::FLOAT8E5M2FNUZ:
    return Float8E5M2FNUZType::get(ctx);
  case TP::FLOAT8E8M0:
    return Float8E8M0FNUType::get(ctx);
  case TP::FLOAT4E2M1:
    return Float4E2M1FNType::get(ctx);
  case TP::BOOL:
    return IntegerType::get(ctx, 1);
  case TP::INT2:
    return IntegerType::get(ctx, 2);
  case TP::INT4:
    return IntegerType::get(ctx, 4);
  case TP::INT8:
    return IntegerType::get(ctx, 8);
  case TP::INT16:
    return IntegerType::get(ctx, 16);
  case TP::INT32:
    return IntegerType::get(ctx, 32);
  case TP::INT64:
    return IntegerType::get(ctx, 64);
  case TP::UINT2:
    return IntegerType::get(ctx, 2, IntegerType::Unsigned);
  case TP::UINT4:
    return IntegerType::get(ctx, 4, IntegerType::Unsigned);
  case TP::UINT8:
    return IntegerType::get(ctx, 8, IntegerType::Unsigned);
  case TP::UINT16:
    return IntegerType::get(ctx, 16, IntegerType::Unsigned);
  case TP::UINT32:
    return IntegerType::get(ctx, 32, IntegerType::Unsigned);
  case TP::UINT64:
    return IntegerType::get(ctx, 64, IntegerType::Unsigned);
  case TP::STRING:
    return getStringType(ctx);
  case TP::COMPLEX64:
  case TP::COMPLEX128:
    return llvm::createStringError("complex tensors are not supported");
  case TP::FLOAT6E2M3:
  case TP::FLOAT6E3M2:
    return llvm::createStringError("6-bit float tensors are not supported");
  default:
    return llvm::createStringError("unsupported tensor data type " +
                                   llvm::Twine(dataType));
  }
}

Expected<int64_t> checkedElementCount(ArrayRef<int64_t> dims) {
  int64_t count = 1;
  for (int64_t dim : dims) {
    if (dim < 0)
      return llvm::createStringError("negative dimension " + llvm::Twine(dim));
    if (dim > kMaxDimensionSize)
      return llvm::createStringError("dimension " + llvm::Twine(dim) +
                                     " is too large (limit " +
                                     llvm::Twine(kMaxDimensionSize) + ")");
    if (dim != 0 && count > kMaxElementCount / dim)
      return llvm::createStringError("tensor is too large: more than " +
                                     llvm::Twine(kMaxElementCount) +
                                     " elements");
    count *= dim;
  }
  return count;
}

/// Bits one element occupies in ONNX's packed storage (raw_data).
static unsigned packedBitWidth(Type type) {
  return type.isInteger(1) ? 8 : type.getIntOrFloatBitWidth();
}

/// Bytes one element occupies in MLIR's dense storage.
static unsigned storageBytes(Type type) {
  return llvm::divideCeil(packedBitWidth(type), 8);
}

/// Copies `count` elements of packed sub-byte data (2 or 4 bits, low bits
/// first as ONNX stores them) into one byte each.
static void unpackSubByte(const uint8_t *packed, int64_t count, unsigned bits,
                          char *out) {
  unsigned perByte = 8 / bits;
  uint8_t mask = (1u << bits) - 1;
  for (int64_t i = 0; i < count; ++i)
    out[i] = char((packed[i / perByte] >> ((i % perByte) * bits)) & mask);
}

/// Decodes the little-endian packed form (raw_data and external data).
static llvm::Error decodeRaw(llvm::StringRef raw, Type elementType,
                             int64_t count, std::vector<char> &out) {
  unsigned bits = packedBitWidth(elementType);
  uint64_t expected = llvm::divideCeil(uint64_t(count) * bits, 8);
  if (raw.size() != expected)
    return llvm::createStringError(
        "tensor data holds " + llvm::Twine(raw.size()) +
        " bytes but its shape needs " + llvm::Twine(expected) + " bytes");
  out.resize(size_t(count) * storageBytes(elementType));
  if (bits < 8)
    unpackSubByte(reinterpret_cast<const uint8_t *>(raw.data()), count, bits,
                  out.data());
  else if (!out.empty())
    std::memcpy(out.data(), raw.data(), out.size());
  return llvm::Error::success();
}

/// Writes the low `bytes` bytes of `value` little-endian at `out`.
static void storeLittleEndian(uint64_t value, unsigned bytes, char *out) {
  for (unsigned i = 0; i < bytes; ++i)
    out[i] = char((value >> (8 * i)) & 0xff);
}

template <typename Field, typename Fn>
static llvm::Error decodeRepeated(const Field &field, int64_t expectedEntries,
                                  llvm::StringRef fieldName, Fn &&store) {
  if (int64_t(field.size()) != expectedEntries)
    return llvm::createStringError(
        llvm::Twine(fieldName) + " holds " + llvm::Twine(field.size()) +
        " values but the tensor's shape needs " + llvm::Twine(expectedEntries));
  for (int64_t i = 0; i < expectedEntries; ++i)
    store(i, field.Get(i));
  return llvm::Error::success();
}

/// Decodes the typed repeated fields (float_data, int32_data, ...).
static llvm::Error decodeTyped(const onnx::TensorProto &tensor,
                               Type elementType, int64_t count,
                               std::vector<char> &out) {
  using TP = onnx::TensorProto;
  unsigned bytes = storageBytes(elementType);
  out.assign(size_t(count) * bytes, 0);
  char *data = out.data();
  switch (tensor.data_type()) {
  case TP::FLOAT:
    return decodeRepeated(
        tensor.float_data(), count, "float_data",
        [&](int64_t i, float v) { std::memcpy(data + 4 * i, &v, 4); });
  case TP::DOUBLE:
    return decodeRepeated(
        tensor.double_data(), count, "double_data",
        [&](int64_t i, double v) { std::memcpy(data + 8 * i, &v, 8); });
  case TP::INT64:
    return decodeRepeated(tensor.int64_data(), count, "int64_data",
                          [&](int64_t i, int64_t v) {
                            storeLittleEndian(uint64_t(v), 8, data + 8 * i);
                          });
  case TP::UINT32:
  case TP::UINT64:
    return decodeRepeated(tensor.uint64_data(), count, "uint64_data",
                          [&](int64_t i, uint64_t v) {
                            storeLittleEndian(v, bytes, data + bytes * i);
                          });
  default:
    break;
  }
  // Everything else lives in int32_data: one element per entry for 8- and
  // 16-bit types (16-bit floats as their bit pattern), several packed
  // elements per entry for sub-byte types.
  unsigned bits = packedBitWidth(elementType);
  if (bits < 8) {
    unsigned perEntry = 8 / bits;
    int64_t entries = llvm::divideCeil(count, perEntry);
    std::vector<uint8_t> packed;
    if (llvm::Error err = decodeRepeated(
            tensor.int32_data(), entries, "int32_data",
            [&](int64_t, int32_t v) { packed.push_back(uint8_t(v)); }))
      return err;
    unpackSubByte(packed.data(), count, bits, data);
    return llvm::Error::success();
  }
  return decodeRepeated(tensor.int32_data(), count, "int32_data",
                        [&](int64_t i, int32_t v) {
                          uint64_t value = uint32_t(v);
                          if (elementType.isInteger(1))
                            value = value != 0;
                          storeLittleEndian(value, bytes, data + bytes * i);
                        });
}

Expected<DecodedTensor> decodeTensor(const onnx::TensorProto &tensor,
                                     MLIRContext *ctx,
                                     ExternalDataReader *externalData) {
  if (!llvm::sys::IsLittleEndianHost)
    return llvm::createStringError(
        "tensor decoding needs a little-endian host");
  Expected<Type> elementType = convertOnnxElementType(tensor.data_type(), ctx);
  if (!elementType)
    return elementType.takeError();
  if (isa<StringType>(*elementType))
    return llvm::createStringError(
        "string tensors have no byte layout; decode them as strings");
  SmallVector<int64_t> dims(tensor.dims().begin(), tensor.dims().end());
  Expected<int64_t> count = checkedElementCount(dims);
  if (!count)
    return count.takeError();

  DecodedTensor result;
  result.type = RankedTensorType::get(dims, *elementType);
  if (tensor.has_data_location() &&
      tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    std::string location;
    int64_t offset = 0, length = -1;
    for (const onnx::StringStringEntryProto &entry : tensor.external_data()) {
      llvm::StringRef key = entry.key();
      llvm::StringRef value = entry.value();
      if (key == "location") {
        location = entry.value();
      } else if (key == "offset" || key == "length") {
        int64_t parsed;
        if (value.getAsInteger(10, parsed) || parsed < 0)
          return llvm::createStringError("external data " + key + " '" + value +
                                         "' is not a non-negative integer");
        (key == "offset" ? offset : length) = parsed;
      }
    }
    if (!externalData)
      return llvm::createStringError(
          "tensor uses external data but the model was not loaded from a file");
    Expected<llvm::StringRef> raw =
        externalData->read(location, offset, length);
    if (!raw)
      return raw.takeError();
    if (llvm::Error err = decodeRaw(*raw, *elementType, *count, result.bytes))
      return std::move(err);
    return result;
  }
  if (tensor.has_raw_data()) {
    if (llvm::Error err =
            decodeRaw(tensor.raw_data(), *elementType, *count, result.bytes))
      return std::move(err);
    return result;
  }
  if (llvm::Error err = decodeTyped(tensor, *elementType, *count, result.bytes))
    return std::move(err);
  return result;
}

Expected<DenseStringElementsAttr>
decodeStringTensor(const onnx::TensorProto &tensor, MLIRContext *ctx) {
  if (tensor.data_type() != onnx::TensorProto::STRING)
    return llvm::createStringError("tensor of data type " +
                                   llvm::Twine(tensor.data_type()) +
                                   " is not a string tensor");
  if (tensor.has_raw_data() ||
      (tensor.has_data_location() &&
       tensor.data_location() == onnx::TensorProto::EXTERNAL))
    return llvm::createStringError(
        "string tensors must hold their elements in string_data, not in raw "
        "or external data");
  SmallVector<int64_t> dims(tensor.dims().begin(), tensor.dims().end());
  Expected<int64_t> count = checkedElementCount(dims);
  if (!count)
    return count.takeError();
  if (int64_t(tensor.string_data_size()) != *count)
    return llvm::createStringError(
        "string_data holds " + llvm::Twine(tensor.string_data_size()) +
        " values but the tensor's shape needs " + llvm::Twine(*count));
  SmallVector<StringRef> values(tensor.string_data().begin(),
                                tensor.string_data().end());
  auto type = RankedTensorType::get(dims, getStringType(ctx));
  return DenseStringElementsAttr::get(type, values);
}

ElementsAttr makeElementsAttr(DecodedTensor tensor, llvm::StringRef nameHint,
                              int64_t inlineElementLimit) {
  RankedTensorType type = tensor.type;
  Type elementType = type.getElementType();
  if (elementType.isInteger(1)) {
    SmallVector<bool> values(tensor.bytes.begin(), tensor.bytes.end());
    return DenseElementsAttr::get(type, ArrayRef<bool>(values));
  }
  bool byteSized = elementType.getIntOrFloatBitWidth() % 8 == 0;
  if (byteSized && type.getNumElements() > inlineElementLimit) {
    AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
        ArrayRef<char>(tensor.bytes), alignof(uint64_t));
    return DenseResourceElementsAttr::get(type, nameHint, std::move(blob));
  }
  return DenseElementsAttr::getFromRawBuffer(type, tensor.bytes);
}

Expected<ElementsAttr> decodeElementsAttr(const onnx::TensorProto &tensor,
                                          MLIRContext *ctx,
                                          ExternalDataReader *externalData,
                                          llvm::StringRef nameHint,
                                          int64_t inlineElementLimit) {
  if (tensor.data_type() == onnx::TensorProto::STRING) {
    Expected<DenseStringElementsAttr> strings = decodeStringTensor(tensor, ctx);
    if (!strings)
      return strings.takeError();
    return ElementsAttr(*strings);
  }
  Expected<DecodedTensor> decoded = decodeTensor(tensor, ctx, externalData);
  if (!decoded)
    return decoded.takeError();
  return makeElementsAttr(std::move(*decoded), nameHint, inlineElementLimit);
}

} // namespace tamp
