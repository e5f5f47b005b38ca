//===- RuntimeTest.cpp - libtamp_rt on hand-written models ----------------===//

#include "FakeModels.h"
#include "tamp/Runtime/tamp_rt.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

/// A session on a linked-in descriptor, released at the end of the test.
class Session {
public:
  explicit Session(const tamp_model_descriptor &descriptor) {
    EXPECT_EQ(tamp_model_from_descriptor(&descriptor, &model), TAMP_OK)
        << tamp_last_error();
    EXPECT_EQ(tamp_session_create(model, &session), TAMP_OK);
  }
  ~Session() {
    tamp_session_destroy(session);
    tamp_model_release(model);
  }
  tamp_model *model = nullptr;
  tamp_session *session = nullptr;
};

tamp_tensor tensor(void *data, int32_t dtype, std::vector<int64_t> shape) {
  tamp_tensor result = {};
  result.data = data;
  result.dtype = dtype;
  result.rank = static_cast<int32_t>(shape.size());
  for (size_t d = 0; d < shape.size(); ++d)
    result.shape[d] = shape[d];
  return result;
}

TEST(Runtime, AddOneAcceptsAnyBatch) {
  Session add(add_one_descriptor);
  EXPECT_STREQ(tamp_model_name(add.model), "add_one");
  ASSERT_EQ(tamp_model_num_inputs(add.model), 1u);
  EXPECT_EQ(tamp_model_input(add.model, 0)->shape[0], -1);
  EXPECT_EQ(tamp_model_input(add.model, 1), nullptr);
  for (int64_t rows : {0, 1, 5}) {
    std::vector<float> x(rows * 3);
    for (size_t i = 0; i < x.size(); ++i)
      x[i] = float(i);
    tamp_tensor input = tensor(x.data(), TAMP_DTYPE_FLOAT32, {rows, 3});
    tamp_tensor output = {};
    ASSERT_EQ(tamp_session_run(add.session, &input, 1, &output, 1), TAMP_OK)
        << tamp_last_error();
    ASSERT_EQ(output.rank, 2);
    EXPECT_EQ(output.shape[0], rows);
    EXPECT_EQ(output.shape[1], 3);
    for (size_t i = 0; i < x.size(); ++i)
      EXPECT_EQ(static_cast<float *>(output.data)[i], float(i) + 1);
  }
}

TEST(Runtime, RejectsInputsThatDoNotFit) {
  Session add(add_one_descriptor);
  float x[8] = {};
  tamp_tensor output = {};
  tamp_tensor wrongSize = tensor(x, TAMP_DTYPE_FLOAT32, {2, 4});
  EXPECT_EQ(tamp_session_run(add.session, &wrongSize, 1, &output, 1),
            TAMP_ERROR_SHAPE);
  EXPECT_STREQ(tamp_last_error(),
               "model 'add_one' input 0 'x' expects shape [?, 3], got [2, 4]");
  tamp_tensor wrongRank = tensor(x, TAMP_DTYPE_FLOAT32, {6});
  EXPECT_EQ(tamp_session_run(add.session, &wrongRank, 1, &output, 1),
            TAMP_ERROR_SHAPE);
  tamp_tensor wrongType = tensor(x, TAMP_DTYPE_INT32, {2, 3});
  EXPECT_EQ(tamp_session_run(add.session, &wrongType, 1, &output, 1),
            TAMP_ERROR_INVALID_ARGUMENT);
  EXPECT_STREQ(tamp_last_error(), "model 'add_one' input 0 'x' expects dtype "
                                  "float32, got int32");
  tamp_tensor negative = tensor(x, TAMP_DTYPE_FLOAT32, {-2, 3});
  EXPECT_EQ(tamp_session_run(add.session, &negative, 1, &output, 1),
            TAMP_ERROR_SHAPE);
  tamp_tensor noData = tensor(nullptr, TAMP_DTYPE_FLOAT32, {2, 3});
  EXPECT_EQ(tamp_session_run(add.session, &noData, 1, &output, 1),
            TAMP_ERROR_INVALID_ARGUMENT);
  tamp_tensor good = tensor(x, TAMP_DTYPE_FLOAT32, {2, 3});
  EXPECT_EQ(tamp_session_run(add.session, &good, 2, &output, 1),
            TAMP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(tamp_session_run(add.session, &good, 1, &output, 2),
            TAMP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(tamp_session_run(add.session, nullptr, 1, &output, 1),
            TAMP_ERROR_INVALID_ARGUMENT);
}

TEST(Runtime, NullArgumentsAreErrors) {
  tamp_model *model = nullptr;
  tamp_session *session = nullptr;
  EXPECT_EQ(tamp_model_load(nullptr, &model), TAMP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(tamp_model_from_descriptor(nullptr, &model),
            TAMP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(tamp_session_create(nullptr, &session),
            TAMP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(tamp_session_run(nullptr, nullptr, 0, nullptr, 0),
            TAMP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(tamp_session_set_num_threads(nullptr, 2),
            TAMP_ERROR_INVALID_ARGUMENT);
  EXPECT_STRNE(tamp_last_error(), "");
  EXPECT_EQ(tamp_model_num_inputs(nullptr), 0u);
  EXPECT_EQ(tamp_session_peak_bytes(nullptr), 0u);
  tamp_model_release(nullptr);
  tamp_session_destroy(nullptr);
}

TEST(Runtime, RejectsOtherAbiVersions) {
  tamp_model_descriptor future = add_one_descriptor;
  future.abi_version = TAMP_MODEL_ABI_VERSION + 1;
  tamp_model *model = nullptr;
  EXPECT_EQ(tamp_model_from_descriptor(&future, &model), TAMP_ERROR_LOAD);
  EXPECT_NE(std::string(tamp_last_error()).find("model ABI version 2"),
            std::string::npos)
      << tamp_last_error();
}

TEST(Runtime, TwoOutputsRuntimeAndCallerOwned) {
  Session model(two_outputs_descriptor);
  int32_t a[4] = {1, 2, 3, 4};
  tamp_tensor input = tensor(a, TAMP_DTYPE_INT32, {4});
  tamp_tensor outputs[2] = {};
  ASSERT_EQ(tamp_session_run(model.session, &input, 1, outputs, 2), TAMP_OK)
      << tamp_last_error();
  EXPECT_EQ(outputs[0].rank, 0);
  EXPECT_EQ(*static_cast<int32_t *>(outputs[0].data), 10);
  EXPECT_EQ(outputs[1].dtype, TAMP_DTYPE_INT32);
  EXPECT_EQ(static_cast<int32_t *>(outputs[1].data)[3], 8);

  // Caller-owned buffers: filled when large enough, else the needed size.
  int32_t total = 0, doubled[4] = {};
  tamp_tensor mine[2] = {};
  mine[0].data = &total;
  mine[0].capacity = sizeof(total);
  mine[1].data = doubled;
  mine[1].capacity = sizeof(doubled) - 1;
  EXPECT_EQ(tamp_session_run(model.session, &input, 1, mine, 2),
            TAMP_ERROR_BUFFER_TOO_SMALL);
  EXPECT_STREQ(tamp_last_error(), "model 'two_outputs' output 1 'doubled' "
                                  "needs 16 bytes, the buffer holds 15");
  mine[1].capacity = sizeof(doubled);
  ASSERT_EQ(tamp_session_run(model.session, &input, 1, mine, 2), TAMP_OK);
  EXPECT_EQ(total, 10);
  EXPECT_EQ(doubled[0], 2);
  EXPECT_EQ(doubled[3], 8);
}

TEST(Runtime, FailureInEntryEndsTheRun) {
  Session model(failing_descriptor);
  float x = -1;
  tamp_tensor input = tensor(&x, TAMP_DTYPE_FLOAT32, {1});
  tamp_tensor output = {};
  EXPECT_EQ(tamp_session_run(model.session, &input, 1, &output, 1),
            TAMP_ERROR_RUNTIME);
  EXPECT_STREQ(tamp_last_error(), "model 'failing': x must not be negative");
  // The session stays usable.
  x = 7;
  ASSERT_EQ(tamp_session_run(model.session, &input, 1, &output, 1), TAMP_OK);
  EXPECT_EQ(*static_cast<float *>(output.data), 7);
}

TEST(Runtime, FailureInParallelChunkEndsTheRun) {
  Session model(failing_descriptor);
  for (int32_t threads : {1, 2, 4, 7}) {
    ASSERT_EQ(tamp_session_set_num_threads(model.session, threads), TAMP_OK);
    float x = 100;
    tamp_tensor input = tensor(&x, TAMP_DTYPE_FLOAT32, {1});
    tamp_tensor output = {};
    EXPECT_EQ(tamp_session_run(model.session, &input, 1, &output, 1),
              TAMP_ERROR_RUNTIME)
        << threads << " threads";
    EXPECT_STREQ(tamp_last_error(),
                 "model 'failing': index 37 is out of bounds");
    x = 3;
    ASSERT_EQ(tamp_session_run(model.session, &input, 1, &output, 1), TAMP_OK);
    EXPECT_EQ(*static_cast<float *>(output.data), 3);
  }
}

TEST(Runtime, PeakBytesCountsLiveAllocations) {
  Session model(allocating_descriptor);
  EXPECT_EQ(tamp_session_peak_bytes(model.session), 0u);
  tamp_tensor output = {};
  ASSERT_EQ(tamp_session_run(model.session, nullptr, 0, &output, 1), TAMP_OK);
  EXPECT_EQ(tamp_session_peak_bytes(model.session), 1600u);
  const float *y = static_cast<const float *>(output.data);
  // -1 marks a buffer that was not 64-byte aligned.
  EXPECT_EQ(y[0], 0);
  EXPECT_EQ(y[24], 24);
}

TEST(Runtime, ParallelForCoversEachIndexOnce) {
  Session model(counting_descriptor);
  for (int32_t threads : {1, 2, 3, 8}) {
    ASSERT_EQ(tamp_session_set_num_threads(model.session, threads), TAMP_OK);
    for (int64_t n : {1, 2, 7, 100, 1001}) {
      std::vector<uint8_t> placeholder(n);
      tamp_tensor input = tensor(placeholder.data(), TAMP_DTYPE_UINT8, {n});
      tamp_tensor output = {};
      ASSERT_EQ(tamp_session_run(model.session, &input, 1, &output, 1), TAMP_OK)
          << tamp_last_error();
      ASSERT_EQ(output.shape[0], n);
      const int32_t *hits = static_cast<const int32_t *>(output.data);
      for (int64_t i = 0; i < n; ++i)
        ASSERT_EQ(hits[i], 2)
            << "index " << i << " of " << n << ", " << threads << " threads";
    }
  }
  EXPECT_EQ(tamp_session_set_num_threads(model.session, 0),
            TAMP_ERROR_INVALID_ARGUMENT);
}

TEST(Runtime, LoadsASharedLibraryModel) {
  tamp_model *model = nullptr;
  ASSERT_EQ(tamp_model_load(TAMP_FAKE_MODEL_PATH, &model), TAMP_OK)
      << tamp_last_error();
  EXPECT_STREQ(tamp_model_name(model), "add_one");
  EXPECT_STREQ(tamp_model_manifest(model), "{\"name\": \"add_one\"}");
  tamp_session *session = nullptr;
  ASSERT_EQ(tamp_session_create(model, &session), TAMP_OK);
  // The model outlives its release while a session holds it.
  tamp_model_release(model);
  float x[3] = {1, 2, 3};
  tamp_tensor input = tensor(x, TAMP_DTYPE_FLOAT32, {1, 3});
  tamp_tensor output = {};
  ASSERT_EQ(tamp_session_run(session, &input, 1, &output, 1), TAMP_OK);
  EXPECT_EQ(static_cast<float *>(output.data)[2], 4);
  tamp_session_destroy(session);
}

TEST(Runtime, LoadErrorsSayWhy) {
  tamp_model *model = nullptr;
  EXPECT_EQ(tamp_model_load("/nonexistent/model.so", &model), TAMP_ERROR_LOAD);
  EXPECT_NE(std::string(tamp_last_error()).find("cannot load"),
            std::string::npos);
  // A shared library that is not a model.
  EXPECT_EQ(tamp_model_load(TAMP_RUNTIME_LIBRARY_PATH, &model),
            TAMP_ERROR_LOAD);
  EXPECT_NE(std::string(tamp_last_error()).find("is not a Tamp model"),
            std::string::npos)
      << tamp_last_error();
}

TEST(Runtime, DtypeHelpers) {
  EXPECT_EQ(tamp_dtype_size(TAMP_DTYPE_FLOAT32), 4u);
  EXPECT_EQ(tamp_dtype_size(TAMP_DTYPE_BFLOAT16), 2u);
  EXPECT_EQ(tamp_dtype_size(TAMP_DTYPE_BOOL), 1u);
  // Strings cross the ABI as pointers to NUL-terminated UTF-8.
  EXPECT_EQ(tamp_dtype_size(TAMP_DTYPE_STRING), sizeof(const char *));
  EXPECT_EQ(tamp_dtype_size(TAMP_DTYPE_INT4), 1u); // one per byte, low bits
  EXPECT_EQ(tamp_dtype_size(99), 0u);
  EXPECT_STREQ(tamp_dtype_name(TAMP_DTYPE_INT64), "int64");
  EXPECT_STREQ(tamp_dtype_name(TAMP_DTYPE_FLOAT8_E4M3FN), "float8_e4m3fn");
  EXPECT_STREQ(tamp_dtype_name(99), "unknown");
  EXPECT_STREQ(tamp_status_string(TAMP_ERROR_SHAPE), "shape mismatch");
}

} // namespace
