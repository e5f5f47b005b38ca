/*===- tamp_rt.h - The Tamp runtime C API --------------------------------===*
 *
 * Loads compiled models, describes their signature and runs them.
 *
 *   tamp_model *model;
 *   if (tamp_model_load("model.so", &model) != TAMP_OK)
 *     fprintf(stderr, "%s\n", tamp_last_error());
 *   tamp_session *session;
 *   tamp_session_create(model, &session);
 *   tamp_session_set_num_threads(session, 2);
 *   tamp_tensor in = {data, 0, TAMP_DTYPE_FLOAT32, 4, {1, 3, 224, 224}};
 *   tamp_tensor out = {0};                  // runtime-owned output
 *   tamp_session_run(session, &in, 1, &out, 1);
 *   ... out.data, out.shape valid until the next run or destroy ...
 *   tamp_session_destroy(session);
 *   tamp_model_release(model);
 *
 * Every call returns a status; on failure tamp_last_error() (per thread) says
 * why. A failure inside a model (a run-time shape check) is reported the same
 * way and never aborts the host process.
 *
 *===----------------------------------------------------------------------===*/

#ifndef TAMP_RUNTIME_TAMP_RT_H
#define TAMP_RUNTIME_TAMP_RT_H

#include "tamp/Runtime/tamp_model_abi.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TAMP_MAX_RANK 16

typedef enum tamp_status {
  TAMP_OK = 0,
  TAMP_ERROR_INVALID_ARGUMENT = 1, /* bad pointer, count, dtype or rank */
  TAMP_ERROR_SHAPE = 2,            /* input shape does not fit the model */
  TAMP_ERROR_LOAD = 3,             /* cannot load or not a Tamp model */
  TAMP_ERROR_RUNTIME = 4,          /* a check inside the model failed */
  TAMP_ERROR_OUT_OF_MEMORY = 5,
  TAMP_ERROR_BUFFER_TOO_SMALL = 6  /* a caller-owned output is too small */
} tamp_status;

/* A tensor passed to or returned from a run. For inputs, `data` holds the
 * row-major elements and `capacity` is ignored. For outputs, `data == NULL`
 * asks for a runtime-owned buffer (valid until the next run of the session
 * or its destruction); otherwise `data` is a caller-owned buffer of
 * `capacity` bytes. On return, dtype, rank and shape describe the result. */
typedef struct tamp_tensor {
  void *data;
  uint64_t capacity;
  int32_t dtype;
  int32_t rank;
  int64_t shape[TAMP_MAX_RANK];
} tamp_tensor;

typedef struct tamp_model tamp_model;
typedef struct tamp_session tamp_session;

/* The last error message of the calling thread ("" when none). */
const char *tamp_last_error(void);
const char *tamp_status_string(tamp_status status);
/* Bytes per element of a dtype, 0 when unknown. */
size_t tamp_dtype_size(int32_t dtype);
const char *tamp_dtype_name(int32_t dtype);

/* Loads a shared-library model (`tamp compile -o model.so`). */
tamp_status tamp_model_load(const char *path, tamp_model **model);
/* Wraps a statically linked model (`NAME_descriptor` from model.o). */
tamp_status tamp_model_from_descriptor(const tamp_model_descriptor *descriptor,
                                       tamp_model **model);
void tamp_model_release(tamp_model *model);

const char *tamp_model_name(const tamp_model *model);
uint32_t tamp_model_num_inputs(const tamp_model *model);
uint32_t tamp_model_num_outputs(const tamp_model *model);
const tamp_tensor_info *tamp_model_input(const tamp_model *model,
                                         uint32_t index);
const tamp_tensor_info *tamp_model_output(const tamp_model *model,
                                          uint32_t index);
const char *tamp_model_manifest(const tamp_model *model);

/* A session runs one model; runs on one session are serialized, separate
 * sessions may run concurrently. Threads default to 1. */
tamp_status tamp_session_create(tamp_model *model, tamp_session **session);
tamp_status tamp_session_set_num_threads(tamp_session *session,
                                         int32_t num_threads);
tamp_status tamp_session_run(tamp_session *session, const tamp_tensor *inputs,
                             uint32_t num_inputs, tamp_tensor *outputs,
                             uint32_t num_outputs);
/* Peak bytes the model held in tamp_rt_alloc buffers during the last run. */
uint64_t tamp_session_peak_bytes(const tamp_session *session);
void tamp_session_destroy(tamp_session *session);

#ifdef __cplusplus
}
#endif

#endif /* TAMP_RUNTIME_TAMP_RT_H */
