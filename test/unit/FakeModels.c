/*===- FakeModels.c - Hand-written models that follow tamp_model_abi.h ----===*
 *
 * Stand-ins for compiled models, so that the runtime is tested without the
 * compiler: each defines tensor tables, an entry that reads and writes
 * tamp_memref descriptors and calls the tamp_rt_* services.
 *
 * Built into the runtime unit tests and, with TAMP_FAKE_MODEL_EXPORT, as a
 * shared library that exports add_one as `tamp_model_descriptor`.
 *
 *===----------------------------------------------------------------------===*/

#include "FakeModels.h"

#include <string.h>

static float *floatData(void *arg) {
  tamp_memref *memref = (tamp_memref *)arg;
  return (float *)memref->aligned + memref->offset;
}

static void setOutput(void *arg, void *buffer, int32_t rank,
                      const int64_t *sizes) {
  tamp_memref *memref = (tamp_memref *)arg;
  memref->allocated = buffer;
  memref->aligned = buffer;
  memref->offset = 0;
  int64_t stride = 1;
  for (int32_t d = rank - 1; d >= 0; --d) {
    memref->sizes_and_strides[d] = sizes[d];
    memref->sizes_and_strides[rank + d] = stride;
    stride *= sizes[d];
  }
}

/* add_one: y[N, 3] = x[N, 3] + 1, rows in parallel. */
static const int64_t kRowsOfThree[] = {-1, 3};
static const tamp_tensor_info kAddOneInputs[] = {
    {"x", TAMP_DTYPE_FLOAT32, 2, kRowsOfThree}};
static const tamp_tensor_info kAddOneOutputs[] = {
    {"y", TAMP_DTYPE_FLOAT32, 2, kRowsOfThree}};

struct AddOneContext {
  const float *in;
  float *out;
};

static void addOneRows(void *context, int64_t begin, int64_t end) {
  struct AddOneContext *rows = (struct AddOneContext *)context;
  for (int64_t i = begin * 3; i < end * 3; ++i)
    rows->out[i] = rows->in[i] + 1.0f;
}

static void addOneEntry(void **args) {
  tamp_memref *x = (tamp_memref *)args[0];
  int64_t rows = x->sizes_and_strides[0];
  float *out = (float *)tamp_rt_alloc((uint64_t)rows * 3 * sizeof(float));
  struct AddOneContext context = {floatData(x), out};
  tamp_rt_parallel_for(addOneRows, &context, rows);
  int64_t sizes[2] = {rows, 3};
  setOutput(args[1], out, 2, sizes);
}

const tamp_model_descriptor add_one_descriptor = {TAMP_MODEL_ABI_VERSION,
                                                  1,
                                                  1,
                                                  0,
                                                  "add_one",
                                                  kAddOneInputs,
                                                  kAddOneOutputs,
                                                  addOneEntry,
                                                  0,
                                                  "{\"name\": \"add_one\"}"};

/* two_outputs: total[] = sum(a), doubled[4] = 2 * a, both int32. */
static const int64_t kFour[] = {4};
static const tamp_tensor_info kTwoOutputsInputs[] = {
    {"a", TAMP_DTYPE_INT32, 1, kFour}};
static const tamp_tensor_info kTwoOutputsOutputs[] = {
    {"total", TAMP_DTYPE_INT32, 0, NULL},
    {"doubled", TAMP_DTYPE_INT32, 1, kFour}};

static void twoOutputsEntry(void **args) {
  tamp_memref *a = (tamp_memref *)args[0];
  const int32_t *in = (const int32_t *)a->aligned + a->offset;
  int32_t *total = (int32_t *)tamp_rt_alloc(sizeof(int32_t));
  int32_t *doubled = (int32_t *)tamp_rt_alloc(4 * sizeof(int32_t));
  *total = 0;
  for (int i = 0; i < 4; ++i) {
    *total += in[i];
    doubled[i] = 2 * in[i];
  }
  setOutput(args[1], total, 0, NULL);
  setOutput(args[2], doubled, 1, kFour);
}

const tamp_model_descriptor two_outputs_descriptor = {TAMP_MODEL_ABI_VERSION,
                                                      1,
                                                      2,
                                                      0,
                                                      "two_outputs",
                                                      kTwoOutputsInputs,
                                                      kTwoOutputsOutputs,
                                                      twoOutputsEntry,
                                                      0,
                                                      "{}"};

/* failing: x[1] < 0 fails in the entry; x[1] >= 100 fails in the chunk that
 * holds index 37 of a parallel loop over 64; otherwise y = x. Both allocate
 * before failing, which the runtime must free. */
static const int64_t kOne[] = {1};
static const tamp_tensor_info kFailingInputs[] = {
    {"x", TAMP_DTYPE_FLOAT32, 1, kOne}};
static const tamp_tensor_info kFailingOutputs[] = {
    {"y", TAMP_DTYPE_FLOAT32, 1, kOne}};

static void failAtIndex37(void *context, int64_t begin, int64_t end) {
  (void)context;
  if (begin <= 37 && 37 < end)
    tamp_rt_fail("index 37 is out of bounds");
}

static void failingEntry(void **args) {
  float value = floatData(args[0])[0];
  float *out = (float *)tamp_rt_alloc(sizeof(float));
  if (value < 0)
    tamp_rt_fail("x must not be negative");
  if (value >= 100)
    tamp_rt_parallel_for(failAtIndex37, NULL, 64);
  out[0] = value;
  setOutput(args[1], out, 1, kOne);
}

const tamp_model_descriptor failing_descriptor = {TAMP_MODEL_ABI_VERSION,
                                                  1,
                                                  1,
                                                  0,
                                                  "failing",
                                                  kFailingInputs,
                                                  kFailingOutputs,
                                                  failingEntry,
                                                  0,
                                                  "{}"};

/* allocating: holds 1000 and 500 bytes at once, frees them, then returns a
 * 100-byte result: the peak is 1600 bytes. */
static const int64_t kTwentyFive[] = {25};
static const tamp_tensor_info kAllocatingOutputs[] = {
    {"y", TAMP_DTYPE_FLOAT32, 1, kTwentyFive}};

static void allocatingEntry(void **args) {
  void *first = tamp_rt_alloc(1000);
  void *second = tamp_rt_alloc(500);
  float *out = (float *)tamp_rt_alloc(100);
  void *empty = tamp_rt_alloc(0);
  int aligned = ((uintptr_t)first | (uintptr_t)second | (uintptr_t)out |
                 (uintptr_t)empty) %
                    64 ==
                0;
  tamp_rt_free(first);
  tamp_rt_free(second);
  tamp_rt_free(empty);
  for (int i = 0; i < 25; ++i)
    out[i] = aligned ? (float)i : -1.0f;
  setOutput(args[0], out, 1, kTwentyFive);
}

const tamp_model_descriptor allocating_descriptor = {
    TAMP_MODEL_ABI_VERSION, 0, 1,   0, "allocating", NULL, kAllocatingOutputs,
    allocatingEntry,        0, "{}"};

/* counting: hits[n] counts how often the parallel loop over n visited each
 * index, plus how often a nested loop (run inline) did; every entry is 2
 * when each index is covered exactly once. n comes from the input's size. */
static const int64_t kAny[] = {-1};
static const tamp_tensor_info kCountingInputs[] = {
    {"n", TAMP_DTYPE_UINT8, 1, kAny}};
static const tamp_tensor_info kCountingOutputs[] = {
    {"hits", TAMP_DTYPE_INT32, 1, kAny}};

static void countNested(void *context, int64_t begin, int64_t end) {
  int32_t *hits = (int32_t *)context;
  for (int64_t i = begin; i < end; ++i)
    __atomic_fetch_add(&hits[i], 1, __ATOMIC_RELAXED);
}

static void countOuter(void *context, int64_t begin, int64_t end) {
  int32_t *hits = (int32_t *)context;
  for (int64_t i = begin; i < end; ++i)
    __atomic_fetch_add(&hits[i], 1, __ATOMIC_RELAXED);
  /* A nested loop over this chunk runs inline on this thread. */
  tamp_rt_parallel_for(countNested, hits + begin, end - begin);
}

static void countingEntry(void **args) {
  int64_t n = ((tamp_memref *)args[0])->sizes_and_strides[0];
  int32_t *hits = (int32_t *)tamp_rt_alloc((uint64_t)n * sizeof(int32_t));
  memset(hits, 0, (size_t)n * sizeof(int32_t));
  tamp_rt_parallel_for(countOuter, hits, n);
  setOutput(args[1], hits, 1, &n);
}

const tamp_model_descriptor counting_descriptor = {TAMP_MODEL_ABI_VERSION,
                                                   1,
                                                   1,
                                                   0,
                                                   "counting",
                                                   kCountingInputs,
                                                   kCountingOutputs,
                                                   countingEntry,
                                                   0,
                                                   "{}"};

#ifdef TAMP_FAKE_MODEL_EXPORT
/* What tamp_model_load looks up in a model's shared library. The typedef of
 * the same name hides the identifier in C, hence the assembler name. */
extern const tamp_model_descriptor
    exported_descriptor __asm__("tamp_model_descriptor");
const tamp_model_descriptor exported_descriptor = {TAMP_MODEL_ABI_VERSION,
                                                   1,
                                                   1,
                                                   0,
                                                   "add_one",
                                                   kAddOneInputs,
                                                   kAddOneOutputs,
                                                   addOneEntry,
                                                   0,
                                                   "{\"name\": \"add_one\"}"};
#endif
