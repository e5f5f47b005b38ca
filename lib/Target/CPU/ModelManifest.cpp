//===- ModelManifest.cpp - The compiled model manifest --------------------===//

#include "tamp/Target/CPU/ModelManifest.h"
#include "tamp/Dialect/Tamp/IR/TampDialect.h"
#include "tamp/Runtime/tamp_model_abi.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;

llvm::StringRef tamp::getDTypeName(int32_t dtype) {
  switch (dtype) {
#define TAMP_DTYPE_NAME_CASE(NAME, CODE, TEXT, BYTES)                          \
  case CODE:                                                                   \
    return TEXT;
    TAMP_DTYPES(TAMP_DTYPE_NAME_CASE)
#undef TAMP_DTYPE_NAME_CASE
  default:
    return "";
  }
}

int32_t tamp::getDTypeOf(Type elementType) {
  if (elementType.isF32())
    return TAMP_DTYPE_FLOAT32;
  if (elementType.isF64())
    return TAMP_DTYPE_FLOAT64;
  if (elementType.isF16())
    return TAMP_DTYPE_FLOAT16;
  if (elementType.isBF16())
    return TAMP_DTYPE_BFLOAT16;
  if (isa<Float8E4M3FNType>(elementType))
    return TAMP_DTYPE_FLOAT8_E4M3FN;
  if (isa<Float8E4M3FNUZType>(elementType))
    return TAMP_DTYPE_FLOAT8_E4M3FNUZ;
  if (isa<Float8E5M2Type>(elementType))
    return TAMP_DTYPE_FLOAT8_E5M2;
  if (isa<Float8E5M2FNUZType>(elementType))
    return TAMP_DTYPE_FLOAT8_E5M2FNUZ;
  if (isa<Float4E2M1FNType>(elementType))
    return TAMP_DTYPE_FLOAT4_E2M1FN;
  if (isa<Float8E8M0FNUType>(elementType))
    return TAMP_DTYPE_FLOAT8_E8M0FNU;
  if (isa<tamp::StringType>(elementType))
    return TAMP_DTYPE_STRING;
  auto integer = dyn_cast<IntegerType>(elementType);
  if (!integer)
    return 0;
  bool isUnsigned = integer.isUnsigned();
  switch (integer.getWidth()) {
  case 1:
    return isUnsigned ? 0 : TAMP_DTYPE_BOOL;
  case 2:
    return isUnsigned ? TAMP_DTYPE_UINT2 : TAMP_DTYPE_INT2;
  case 4:
    return isUnsigned ? TAMP_DTYPE_UINT4 : TAMP_DTYPE_INT4;
  case 8:
    return isUnsigned ? TAMP_DTYPE_UINT8 : TAMP_DTYPE_INT8;
  case 16:
    return isUnsigned ? TAMP_DTYPE_UINT16 : TAMP_DTYPE_INT16;
  case 32:
    return isUnsigned ? TAMP_DTYPE_UINT32 : TAMP_DTYPE_INT32;
  case 64:
    return isUnsigned ? TAMP_DTYPE_UINT64 : TAMP_DTYPE_INT64;
  default:
    return 0;
  }
}

static llvm::json::Array tensorsToJson(ArrayAttr tensors) {
  llvm::json::Array result;
  for (auto tensor : tensors.getAsRange<DictionaryAttr>()) {
    int32_t dtype = tensor.getAs<IntegerAttr>("dtype").getInt();
    llvm::json::Array shape;
    for (int64_t size : tensor.getAs<DenseI64ArrayAttr>("shape").asArrayRef())
      shape.push_back(size);
    result.push_back(llvm::json::Object{
        {"name", tensor.getAs<StringAttr>("name").getValue()},
        {"dtype", tamp::getDTypeName(dtype)},
        {"shape", std::move(shape)}});
  }
  return result;
}

std::string tamp::buildModelManifest(DictionaryAttr model,
                                     llvm::json::Object extra) {
  llvm::json::Object manifest{
      {"name", model.getAs<StringAttr>("name").getValue()},
      {"abi_version", TAMP_MODEL_ABI_VERSION},
      {"tamp_version", TAMP_VERSION_STRING},
      {"inputs", tensorsToJson(model.getAs<ArrayAttr>("inputs"))},
      {"outputs", tensorsToJson(model.getAs<ArrayAttr>("outputs"))},
      {"weight_bytes", model.getAs<IntegerAttr>("weight_bytes").getInt()}};
  for (auto &field : extra)
    manifest[field.first] = std::move(field.second);
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(manifest)));
  return text;
}
