//===- ExternalDataTest.cpp - External data path and range checks ---------===//

#include "ExternalData.h"
#include "TensorDecoding.h"

#include "onnx-ml.pb.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cstring>

using namespace tamp;

namespace {

/// A fresh folder holding `model_dir/weights.bin` (16 bytes: floats 0..3)
/// and `outside.bin` beside model_dir.
class ExternalDataTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("tamp-external", root));
    modelDir = root;
    llvm::sys::path::append(modelDir, "model_dir");
    ASSERT_FALSE(llvm::sys::fs::create_directory(modelDir));
    float values[] = {0.0f, 1.0f, 2.0f, 3.0f};
    write(modelDir, "weights.bin",
          std::string(reinterpret_cast<char *>(values), 16));
    write(root, "outside.bin", std::string(16, 'x'));
  }

  void TearDown() override { llvm::sys::fs::remove_directories(root); }

  static void write(llvm::StringRef dir, llvm::StringRef name,
                    const std::string &contents) {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, name);
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    ASSERT_FALSE(ec);
    os << contents;
  }

  std::string readError(llvm::StringRef location, int64_t offset = 0,
                        int64_t length = -1) {
    ExternalDataReader reader{std::string(modelDir)};
    llvm::Expected<llvm::StringRef> data =
        reader.read(location, offset, length);
    return data ? "" : llvm::toString(data.takeError());
  }

  llvm::SmallString<256> root, modelDir;
};

TEST_F(ExternalDataTest, ReadsRangesInsideTheFolder) {
  ExternalDataReader reader{std::string(modelDir)};
  llvm::Expected<llvm::StringRef> all = reader.read("weights.bin", 0, -1);
  ASSERT_TRUE(bool(all)) << llvm::toString(all.takeError());
  EXPECT_EQ(all->size(), 16u);
  llvm::Expected<llvm::StringRef> part = reader.read("weights.bin", 4, 8);
  ASSERT_TRUE(bool(part)) << llvm::toString(part.takeError());
  float values[2];
  std::memcpy(values, part->data(), 8);
  EXPECT_EQ(values[0], 1.0f);
  EXPECT_EQ(values[1], 2.0f);
  // "./" and redundant components are fine as long as they stay inside.
  EXPECT_TRUE(bool(reader.resolve("./weights.bin")));
}

TEST_F(ExternalDataTest, RejectsAbsolutePaths) {
  llvm::SmallString<256> absolute(modelDir);
  llvm::sys::path::append(absolute, "weights.bin");
  EXPECT_NE(readError(absolute).find("absolute"), std::string::npos);
}

TEST_F(ExternalDataTest, RejectsDotDotEscapes) {
  EXPECT_NE(readError("../outside.bin").find("escapes the model's folder"),
            std::string::npos);
  EXPECT_NE(
      readError("sub/../../outside.bin").find("escapes the model's folder"),
      std::string::npos);
}

TEST_F(ExternalDataTest, RejectsSymlinksThatLeaveTheFolder) {
  llvm::SmallString<256> target(root), link(modelDir);
  llvm::sys::path::append(target, "outside.bin");
  llvm::sys::path::append(link, "link.bin");
  ASSERT_FALSE(llvm::sys::fs::create_link(target, link));
  EXPECT_NE(readError("link.bin").find("escapes the model's folder"),
            std::string::npos);
}

TEST_F(ExternalDataTest, RejectsRangesPastTheEnd) {
  EXPECT_NE(readError("weights.bin", 8, 16).find("past the end"),
            std::string::npos);
  EXPECT_NE(readError("weights.bin", 17, -1).find("past the end"),
            std::string::npos);
  EXPECT_NE(readError("weights.bin", -1, 4).find("negative"),
            std::string::npos);
}

TEST_F(ExternalDataTest, RejectsMissingFilesAndNoFolder) {
  EXPECT_NE(readError("missing.bin").find("cannot open"), std::string::npos);
  ExternalDataReader noFolder("");
  llvm::Expected<std::string> resolved = noFolder.resolve("weights.bin");
  ASSERT_FALSE(bool(resolved));
  EXPECT_NE(llvm::toString(resolved.takeError()).find("no folder"),
            std::string::npos);
}

TEST_F(ExternalDataTest, DecodesExternalTensors) {
  mlir::MLIRContext context;
  ExternalDataReader reader{std::string(modelDir)};
  onnx::TensorProto tensor;
  tensor.set_data_type(onnx::TensorProto::FLOAT);
  tensor.add_dims(2);
  tensor.set_data_location(onnx::TensorProto::EXTERNAL);
  auto addEntry = [&](const char *key, const char *value) {
    onnx::StringStringEntryProto *entry = tensor.add_external_data();
    entry->set_key(key);
    entry->set_value(value);
  };
  addEntry("location", "weights.bin");
  addEntry("offset", "8");
  addEntry("length", "8");
  llvm::Expected<DecodedTensor> decoded =
      decodeTensor(tensor, &context, &reader);
  ASSERT_TRUE(bool(decoded)) << llvm::toString(decoded.takeError());
  float values[2];
  std::memcpy(values, decoded->bytes.data(), 8);
  EXPECT_EQ(values[0], 2.0f);
  EXPECT_EQ(values[1], 3.0f);

  // A length that disagrees with the shape is an error, not a short read.
  tensor.mutable_external_data(2)->set_value("4");
  llvm::Expected<DecodedTensor> wrong = decodeTensor(tensor, &context, &reader);
  ASSERT_FALSE(bool(wrong));
  EXPECT_NE(llvm::toString(wrong.takeError()).find("bytes"), std::string::npos);
}

} // namespace
