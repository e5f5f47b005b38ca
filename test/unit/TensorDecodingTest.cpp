//===- TensorDecodingTest.cpp - ONNX TensorProto decoding -----------------===//

#include "TensorDecoding.h"
#include "ExternalData.h"

#include "onnx-ml.pb.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cstring>

using namespace mlir;
using namespace tamp;
using TP = onnx::TensorProto;

namespace {

class TensorDecodingTest : public ::testing::Test {
protected:
  /// Decodes `tensor` (no external data) and fails the test on error.
  DecodedTensor decode(const TP &tensor) {
    llvm::Expected<DecodedTensor> decoded =
        decodeTensor(tensor, &context, nullptr);
    if (!decoded) {
      ADD_FAILURE() << llvm::toString(decoded.takeError());
      return {};
    }
    return std::move(*decoded);
  }

  /// The error message of decoding `tensor`, or "" if it decoded.
  std::string decodeError(const TP &tensor) {
    llvm::Expected<DecodedTensor> decoded =
        decodeTensor(tensor, &context, nullptr);
    return decoded ? "" : llvm::toString(decoded.takeError());
  }

  template <typename T>
  static std::vector<T> elements(const DecodedTensor &tensor) {
    std::vector<T> values(tensor.bytes.size() / sizeof(T));
    std::memcpy(values.data(), tensor.bytes.data(), values.size() * sizeof(T));
    return values;
  }

  static std::string typeString(Type type) {
    std::string s;
    llvm::raw_string_ostream os(s);
    os << type;
    return s;
  }

  MLIRContext context;
};

TP makeTensor(int32_t dataType, std::vector<int64_t> dims) {
  TP tensor;
  tensor.set_data_type(dataType);
  for (int64_t dim : dims)
    tensor.add_dims(dim);
  return tensor;
}

TEST_F(TensorDecodingTest, ElementTypesOfEveryOnnxDataType) {
  struct Case {
    int32_t onnx;
    const char *mlir;
  };
  const Case cases[] = {
      {TP::FLOAT, "f32"},
      {TP::DOUBLE, "f64"},
      {TP::FLOAT16, "f16"},
      {TP::BFLOAT16, "bf16"},
      {TP::FLOAT8E4M3FN, "f8E4M3FN"},
      {TP::FLOAT8E4M3FNUZ, "f8E4M3FNUZ"},
      {TP::FLOAT8E5M2, "f8E5M2"},
      {TP::FLOAT8E5M2FNUZ, "f8E5M2FNUZ"},
      {TP::FLOAT8E8M0, "f8E8M0FNU"},
      {TP::FLOAT4E2M1, "f4E2M1FN"},
      {TP::BOOL, "i1"},
      {TP::INT2, "i2"},
      {TP::INT4, "i4"},
      {TP::INT8, "i8"},
      {TP::INT16, "i16"},
      {TP::INT32, "i32"},
      {TP::INT64, "i64"},
      {TP::UINT2, "ui2"},
      {TP::UINT4, "ui4"},
      {TP::UINT8, "ui8"},
      {TP::UINT16, "ui16"},
      {TP::UINT32, "ui32"},
      {TP::UINT64, "ui64"},
      {TP::STRING, "!tamp.string"},
  };
  for (const Case &c : cases) {
    llvm::Expected<Type> type = convertOnnxElementType(c.onnx, &context);
    ASSERT_TRUE(bool(type)) << "data type " << c.onnx;
    EXPECT_EQ(typeString(*type), c.mlir) << "data type " << c.onnx;
  }
  for (int32_t unsupported : {int32_t(TP::COMPLEX64), int32_t(TP::COMPLEX128),
                              int32_t(TP::FLOAT6E2M3), 999}) {
    llvm::Expected<Type> type = convertOnnxElementType(unsupported, &context);
    EXPECT_FALSE(bool(type)) << "data type " << unsupported;
    llvm::consumeError(type.takeError());
  }
}

TEST_F(TensorDecodingTest, FloatFromRawAndTypedData) {
  TP raw = makeTensor(TP::FLOAT, {2, 2});
  float values[] = {1.0f, -2.5f, 3.25f, 0.0f};
  raw.set_raw_data(values, sizeof(values));
  DecodedTensor fromRaw = decode(raw);
  EXPECT_EQ(typeString(fromRaw.type), "tensor<2x2xf32>");
  EXPECT_EQ(elements<float>(fromRaw), std::vector<float>(values, values + 4));

  TP typed = makeTensor(TP::FLOAT, {4});
  for (float v : values)
    typed.add_float_data(v);
  EXPECT_EQ(elements<float>(decode(typed)),
            std::vector<float>(values, values + 4));
}

TEST_F(TensorDecodingTest, DoubleAndInt64AndUnsigned64) {
  TP d = makeTensor(TP::DOUBLE, {2});
  d.add_double_data(1.5);
  d.add_double_data(-7.0);
  EXPECT_EQ(elements<double>(decode(d)), (std::vector<double>{1.5, -7.0}));

  TP i = makeTensor(TP::INT64, {3});
  for (int64_t v : {int64_t(-1), int64_t(1) << 40, int64_t(7)})
    i.add_int64_data(v);
  EXPECT_EQ(elements<int64_t>(decode(i)),
            (std::vector<int64_t>{-1, int64_t(1) << 40, 7}));

  TP u32 = makeTensor(TP::UINT32, {2});
  u32.add_uint64_data(4000000000u);
  u32.add_uint64_data(5);
  EXPECT_EQ(elements<uint32_t>(decode(u32)),
            (std::vector<uint32_t>{4000000000u, 5}));

  TP u64 = makeTensor(TP::UINT64, {1});
  u64.add_uint64_data(~uint64_t(0));
  EXPECT_EQ(elements<uint64_t>(decode(u64)),
            std::vector<uint64_t>{~uint64_t(0)});
}

TEST_F(TensorDecodingTest, SmallIntegersFromInt32Data) {
  TP i8 = makeTensor(TP::INT8, {3});
  for (int v : {-128, 0, 127})
    i8.add_int32_data(v);
  EXPECT_EQ(elements<int8_t>(decode(i8)), (std::vector<int8_t>{-128, 0, 127}));

  TP u8 = makeTensor(TP::UINT8, {2});
  u8.add_int32_data(255);
  u8.add_int32_data(1);
  EXPECT_EQ(elements<uint8_t>(decode(u8)), (std::vector<uint8_t>{255, 1}));

  TP i16 = makeTensor(TP::INT16, {2});
  i16.add_int32_data(-30000);
  i16.add_int32_data(12);
  EXPECT_EQ(elements<int16_t>(decode(i16)), (std::vector<int16_t>{-30000, 12}));

  TP u16 = makeTensor(TP::UINT16, {1});
  u16.add_int32_data(65535);
  EXPECT_EQ(elements<uint16_t>(decode(u16)), std::vector<uint16_t>{65535});

  TP i32 = makeTensor(TP::INT32, {2});
  i32.add_int32_data(-5);
  i32.add_int32_data(1 << 30);
  EXPECT_EQ(elements<int32_t>(decode(i32)),
            (std::vector<int32_t>{-5, 1 << 30}));

  TP b = makeTensor(TP::BOOL, {3});
  for (int v : {1, 0, 1})
    b.add_int32_data(v);
  DecodedTensor decodedBool = decode(b);
  EXPECT_EQ(typeString(decodedBool.type), "tensor<3xi1>");
  EXPECT_EQ(elements<uint8_t>(decodedBool), (std::vector<uint8_t>{1, 0, 1}));
}

TEST_F(TensorDecodingTest, HalfPrecisionBitPatterns) {
  // 1.0 in float16 is 0x3C00, in bfloat16 0x3F80; -2.0 is 0xC000 / 0xC000.
  TP f16 = makeTensor(TP::FLOAT16, {2});
  f16.add_int32_data(0x3C00);
  f16.add_int32_data(0xC000);
  EXPECT_EQ(elements<uint16_t>(decode(f16)),
            (std::vector<uint16_t>{0x3C00, 0xC000}));

  TP bf16 = makeTensor(TP::BFLOAT16, {2});
  uint16_t raw[] = {0x3F80, 0xC000};
  bf16.set_raw_data(raw, sizeof(raw));
  DecodedTensor decoded = decode(bf16);
  EXPECT_EQ(typeString(decoded.type), "tensor<2xbf16>");
  EXPECT_EQ(elements<uint16_t>(decoded),
            (std::vector<uint16_t>{0x3F80, 0xC000}));

  // The inline attribute reads back as the right values.
  ElementsAttr attr = makeElementsAttr(decoded, "w", /*inlineElementLimit=*/64);
  auto dense = cast<DenseElementsAttr>(attr);
  EXPECT_EQ(dense.getValues<APFloat>()[0].convertToDouble(), 1.0);
  EXPECT_EQ(dense.getValues<APFloat>()[1].convertToDouble(), -2.0);
}

TEST_F(TensorDecodingTest, Int4AndUint4PackTwoPerByte) {
  // Values -8, 7, -1 packed low nibble first: 0x78, 0x0F.
  TP i4 = makeTensor(TP::INT4, {3});
  uint8_t packed[] = {0x78, 0x0F};
  i4.set_raw_data(packed, sizeof(packed));
  DecodedTensor decoded = decode(i4);
  EXPECT_EQ(typeString(decoded.type), "tensor<3xi4>");
  ElementsAttr attr = makeElementsAttr(decoded, "w", 64);
  auto values = cast<DenseElementsAttr>(attr).getValues<APInt>();
  EXPECT_EQ(values[0].getSExtValue(), -8);
  EXPECT_EQ(values[1].getSExtValue(), 7);
  EXPECT_EQ(values[2].getSExtValue(), -1);

  // uint4 in int32_data: two elements per entry.
  TP u4 = makeTensor(TP::UINT4, {4});
  u4.add_int32_data(0x21); // 1, 2
  u4.add_int32_data(0xF3); // 3, 15
  DecodedTensor unsigned4 = decode(u4);
  EXPECT_EQ(typeString(unsigned4.type), "tensor<4xui4>");
  EXPECT_EQ(elements<uint8_t>(unsigned4), (std::vector<uint8_t>{1, 2, 3, 15}));

  // An odd count needs ceil(n / 2) bytes, not more, not fewer.
  TP wrong = makeTensor(TP::UINT4, {3});
  wrong.set_raw_data(std::string(3, '\0'));
  EXPECT_NE(decodeError(wrong).find("bytes"), std::string::npos);
}

TEST_F(TensorDecodingTest, Int2PacksFourPerByte) {
  TP i2 = makeTensor(TP::INT2, {5});
  uint8_t packed[] = {0b11100100, 0b00000001}; // 0, 1, -2, -1, 1
  i2.set_raw_data(packed, sizeof(packed));
  ElementsAttr attr = makeElementsAttr(decode(i2), "w", 64);
  auto values = cast<DenseElementsAttr>(attr).getValues<APInt>();
  std::vector<int64_t> got;
  for (APInt v : values)
    got.push_back(v.getSExtValue());
  EXPECT_EQ(got, (std::vector<int64_t>{0, 1, -2, -1, 1}));
}

TEST_F(TensorDecodingTest, LargeTensorsBecomeResourceBlobs) {
  TP big = makeTensor(TP::FLOAT, {128});
  std::vector<float> values(128, 0.5f);
  big.set_raw_data(values.data(), values.size() * sizeof(float));
  ElementsAttr attr = makeElementsAttr(decode(big), "weight", 64);
  ASSERT_TRUE(isa<DenseResourceElementsAttr>(attr));
  auto resource = cast<DenseResourceElementsAttr>(attr);
  ASSERT_TRUE(resource.getRawHandle().getBlob());
  EXPECT_EQ(resource.getRawHandle().getBlob()->getData().size(), 512u);
}

TEST_F(TensorDecodingTest, StringsFromStringData) {
  TP strings = makeTensor(TP::STRING, {2, 2});
  for (const char *value : {"a", "", "b c", "a"})
    strings.add_string_data(value);
  llvm::Expected<DenseStringElementsAttr> decoded =
      decodeStringTensor(strings, &context);
  ASSERT_TRUE(bool(decoded)) << llvm::toString(decoded.takeError());
  EXPECT_EQ(typeString(decoded->getType()), "tensor<2x2x!tamp.string>");
  std::vector<std::string> values;
  for (llvm::StringRef value : decoded->getRawStringData())
    values.push_back(value.str());
  EXPECT_EQ(values, (std::vector<std::string>{"a", "", "b c", "a"}));

  // decodeElementsAttr picks the string path by itself; decodeTensor, whose
  // result is bytes, refuses strings.
  llvm::Expected<ElementsAttr> attr =
      decodeElementsAttr(strings, &context, nullptr, "s", 64);
  ASSERT_TRUE(bool(attr)) << llvm::toString(attr.takeError());
  EXPECT_TRUE(isa<DenseStringElementsAttr>(*attr));
  EXPECT_NE(decodeError(strings).find("no byte layout"), std::string::npos);

  TP scalar = makeTensor(TP::STRING, {});
  scalar.add_string_data("x");
  llvm::Expected<DenseStringElementsAttr> decodedScalar =
      decodeStringTensor(scalar, &context);
  ASSERT_TRUE(bool(decodedScalar)) << llvm::toString(decodedScalar.takeError());
  EXPECT_EQ(typeString(decodedScalar->getType()), "tensor<!tamp.string>");
}

TEST_F(TensorDecodingTest, RejectsBadStringTensors) {
  auto stringError = [&](const TP &tensor) {
    llvm::Expected<DenseStringElementsAttr> decoded =
        decodeStringTensor(tensor, &context);
    return decoded ? std::string() : llvm::toString(decoded.takeError());
  };
  TP shortData = makeTensor(TP::STRING, {3});
  shortData.add_string_data("a");
  EXPECT_NE(stringError(shortData).find("string_data holds 1 values but the "
                                        "tensor's shape needs 3"),
            std::string::npos);

  TP raw = makeTensor(TP::STRING, {1});
  raw.set_raw_data("a");
  EXPECT_NE(stringError(raw).find("must hold their elements in string_data"),
            std::string::npos);

  TP negative = makeTensor(TP::STRING, {-1});
  EXPECT_NE(stringError(negative).find("negative dimension"),
            std::string::npos);

  TP numbers = makeTensor(TP::FLOAT, {1});
  numbers.add_float_data(1.0f);
  EXPECT_NE(stringError(numbers).find("is not a string tensor"),
            std::string::npos);
}

TEST_F(TensorDecodingTest, RejectsBadShapesAndSizes) {
  TP negative = makeTensor(TP::FLOAT, {2, -3});
  EXPECT_NE(decodeError(negative).find("negative dimension"),
            std::string::npos);

  TP huge = makeTensor(TP::FLOAT, {int64_t(1) << 40});
  EXPECT_NE(decodeError(huge).find("too large"), std::string::npos);

  TP overflow = makeTensor(TP::FLOAT, {int64_t(1) << 30, int64_t(1) << 30});
  EXPECT_NE(decodeError(overflow).find("too large"), std::string::npos);

  TP shortRaw = makeTensor(TP::FLOAT, {4});
  shortRaw.set_raw_data(std::string(12, '\0'));
  EXPECT_NE(decodeError(shortRaw).find("holds 12 bytes but its shape needs 16"),
            std::string::npos);

  TP shortTyped = makeTensor(TP::INT64, {3});
  shortTyped.add_int64_data(1);
  EXPECT_NE(decodeError(shortTyped).find("int64_data holds 1 values"),
            std::string::npos);

  TP unknownType = makeTensor(999, {1});
  EXPECT_NE(decodeError(unknownType).find("unsupported tensor data type 999"),
            std::string::npos);

  TP external = makeTensor(TP::FLOAT, {1});
  external.set_data_location(TP::EXTERNAL);
  EXPECT_NE(decodeError(external).find("not loaded from a file"),
            std::string::npos);
}

} // namespace
