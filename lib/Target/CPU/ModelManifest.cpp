//===- ModelManifest.cpp - The compiled model's manifest
//-------------------===//

#include "tamp/Target/CPU/ModelManifest.h"
#include "tamp/Runtime/tamp_model_abi.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;

llvm::StringRef tamp::getDTypeName(int32_t dtype) {
  switch (dtype) {
  case TAMP_DTYPE_FLOAT32:
    return "float32";
  case TAMP_DTYPE_UINT8:
    return "uint8";
  case TAMP_DTYPE_INT8:
    return "int8";
  case TAMP_DTYPE_UINT16:
    return "uint16";
  case TAMP_DTYPE_INT16:
    return "int16";
  case TAMP_DTYPE_INT32:
    return "int32";
  case TAMP_DTYPE_INT64:
    return "int64";
  case TAMP_DTYPE_BOOL:
    return "bool";
  case TAMP_DTYPE_FLOAT16:
    return "float16";
  case TAMP_DTYPE_FLOAT64:
    return "float64";
  case TAMP_DTYPE_UINT32:
    return "uint32";
  case TAMP_DTYPE_UINT64:
    return "uint64";
  case TAMP_DTYPE_BFLOAT16:
    return "bfloat16";
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
  auto integer = dyn_cast<IntegerType>(elementType);
  if (!integer)
    return 0;
  bool isUnsigned = integer.isUnsigned();
  switch (integer.getWidth()) {
  case 1:
    return isUnsigned ? 0 : TAMP_DTYPE_BOOL;
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
