/*===- tamp_model_abi.h - Contract between compiled models and tamp_rt ----===*
 *
 * What a compiled model (model.o / model.so) exports and what it calls back.
 * The compiler (lib/Compiler, lib/Target/CPU) generates code that follows it;
 * libtamp_rt (lib/Runtime) consumes it. Plain C so any host can use it.
 *
 * Exports of a model named NAME:
 *   const tamp_model_descriptor NAME_descriptor;
 * and, in a shared library, the alias `tamp_model_descriptor` that
 * tamp_model_load() looks up.
 *
 * Calls into the runtime (all resolved from libtamp_rt):
 *   tamp_rt_alloc / tamp_rt_free      every buffer the model allocates,
 *                                     results included (64-byte aligned);
 *   tamp_rt_parallel_for              the parallel outer loops;
 *   tamp_rt_fail                      a failed run-time check; never returns.
 *
 *===----------------------------------------------------------------------===*/

#ifndef TAMP_RUNTIME_TAMP_MODEL_ABI_H
#define TAMP_RUNTIME_TAMP_MODEL_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever the layout below or the entry convention changes. */
#define TAMP_MODEL_ABI_VERSION 1

/* Element types, numbered as ONNX's TensorProto.DataType. */
typedef enum tamp_dtype {
  TAMP_DTYPE_FLOAT32 = 1,
  TAMP_DTYPE_UINT8 = 2,
  TAMP_DTYPE_INT8 = 3,
  TAMP_DTYPE_UINT16 = 4,
  TAMP_DTYPE_INT16 = 5,
  TAMP_DTYPE_INT32 = 6,
  TAMP_DTYPE_INT64 = 7,
  TAMP_DTYPE_BOOL = 9,
  TAMP_DTYPE_FLOAT16 = 10,
  TAMP_DTYPE_FLOAT64 = 11,
  TAMP_DTYPE_UINT32 = 12,
  TAMP_DTYPE_UINT64 = 13,
  TAMP_DTYPE_BFLOAT16 = 16
} tamp_dtype;

/* One input or output of a model. */
typedef struct tamp_tensor_info {
  const char *name;     /* the ONNX graph input/output name */
  int32_t dtype;        /* tamp_dtype */
  int32_t rank;
  const int64_t *shape; /* `rank` sizes; -1 marks a dynamic dimension */
} tamp_tensor_info;

/* A ranked strided buffer as compiled code sees it (MLIR's memref
 * descriptor, flattened): `sizes_and_strides` holds rank sizes then rank
 * strides, in elements. */
typedef struct tamp_memref {
  void *allocated;
  void *aligned;
  int64_t offset;
  int64_t sizes_and_strides[];
} tamp_memref;

/* The model's entry point. `args` holds num_inputs + num_outputs pointers:
 * args[i] (i < num_inputs) points to the tamp_memref of input i, with
 * row-major strides; args[num_inputs + j] points to storage for the
 * tamp_memref of output j (3 + 2 * rank words), which the model fills. Output
 * buffers come from tamp_rt_alloc and belong to the caller afterwards. */
typedef void (*tamp_model_entry_fn)(void **args);

typedef struct tamp_model_descriptor {
  uint32_t abi_version;          /* TAMP_MODEL_ABI_VERSION */
  uint32_t num_inputs;
  uint32_t num_outputs;
  uint32_t reserved;
  const char *name;              /* the model name given to `tamp compile` */
  const tamp_tensor_info *inputs;
  const tamp_tensor_info *outputs;
  tamp_model_entry_fn entry;
  uint64_t weight_bytes;         /* bytes of embedded weights */
  const char *manifest_json;     /* the model.json text, NUL-terminated */
} tamp_model_descriptor;

/* Runtime services compiled code calls. */
void *tamp_rt_alloc(uint64_t bytes);
void tamp_rt_free(void *ptr);
/* Runs body(context, begin, end) over disjoint chunks covering [0, count),
 * on the calling session's threads, and returns when all are done. */
void tamp_rt_parallel_for(void (*body)(void *context, int64_t begin,
                                       int64_t end),
                          void *context, int64_t count);
/* Ends the current run with TAMP_ERROR_RUNTIME and `message`. */
void tamp_rt_fail(const char *message)
#if defined(__GNUC__)
    __attribute__((noreturn))
#endif
    ;

#ifdef __cplusplus
}
#endif

#endif /* TAMP_RUNTIME_TAMP_MODEL_ABI_H */
