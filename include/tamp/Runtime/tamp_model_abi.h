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

/* Element types, numbered as ONNX's TensorProto.DataType:
 * X(ENUMERATOR, ONNX code, name, bytes per element). Names are NumPy's and
 * ml_dtypes'. The sub-byte types (int4, uint4, int2, uint2, float4_e2m1fn)
 * take one byte per element, holding the value's bits in the low bits and
 * zeros above, which is how ml_dtypes stores them; 8-bit floats are their bit
 * patterns. The runtime does not mask inputs: callers must clear the unused
 * high bits. A string element is a pointer to NUL-terminated UTF-8 that
 * lives as long as the run; strings are model inputs only. */
#define TAMP_DTYPES(X)                                                         \
  X(FLOAT32, 1, "float32", 4)                                                  \
  X(UINT8, 2, "uint8", 1)                                                      \
  X(INT8, 3, "int8", 1)                                                        \
  X(UINT16, 4, "uint16", 2)                                                    \
  X(INT16, 5, "int16", 2)                                                      \
  X(INT32, 6, "int32", 4)                                                      \
  X(INT64, 7, "int64", 8)                                                      \
  X(STRING, 8, "string", sizeof(const char *))                                 \
  X(BOOL, 9, "bool", 1)                                                        \
  X(FLOAT16, 10, "float16", 2)                                                 \
  X(FLOAT64, 11, "float64", 8)                                                 \
  X(UINT32, 12, "uint32", 4)                                                   \
  X(UINT64, 13, "uint64", 8)                                                   \
  X(BFLOAT16, 16, "bfloat16", 2)                                               \
  X(FLOAT8_E4M3FN, 17, "float8_e4m3fn", 1)                                     \
  X(FLOAT8_E4M3FNUZ, 18, "float8_e4m3fnuz", 1)                                 \
  X(FLOAT8_E5M2, 19, "float8_e5m2", 1)                                         \
  X(FLOAT8_E5M2FNUZ, 20, "float8_e5m2fnuz", 1)                                 \
  X(UINT4, 21, "uint4", 1)                                                     \
  X(INT4, 22, "int4", 1)                                                       \
  X(FLOAT4_E2M1FN, 23, "float4_e2m1fn", 1)                                     \
  X(FLOAT8_E8M0FNU, 24, "float8_e8m0fnu", 1)                                   \
  X(UINT2, 25, "uint2", 1)                                                     \
  X(INT2, 26, "int2", 1)

typedef enum tamp_dtype {
#define TAMP_DTYPE_ENUMERATOR(NAME, CODE, TEXT, BYTES) TAMP_DTYPE_##NAME = CODE,
  TAMP_DTYPES(TAMP_DTYPE_ENUMERATOR)
#undef TAMP_DTYPE_ENUMERATOR
} tamp_dtype;

/* One input or output of a model. */
typedef struct tamp_tensor_info {
  const char *name; /* the ONNX graph input/output name */
  int32_t dtype;    /* tamp_dtype */
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
  uint32_t abi_version; /* TAMP_MODEL_ABI_VERSION */
  uint32_t num_inputs;
  uint32_t num_outputs;
  uint32_t reserved;
  const char *name; /* the model name given to `tamp compile` */
  const tamp_tensor_info *inputs;
  const tamp_tensor_info *outputs;
  tamp_model_entry_fn entry;
  uint64_t weight_bytes;     /* bytes of embedded weights */
  const char *manifest_json; /* the model.json text, NUL-terminated */
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
