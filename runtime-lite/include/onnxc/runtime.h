/* onnxc runtime-lite: the types shared by every model object onnxc generates.
 *
 * A generated model header (<name>.h) includes this file. Nothing here allocates or
 * depends on libc beyond <stdint.h>/<stddef.h>, so it is usable on freestanding targets. */
#ifndef ONNXC_RUNTIME_H
#define ONNXC_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Return codes of <name>_run and <name>_run_v. */
enum {
  ONNXC_OK = 0,
  ONNXC_ERR_NULL_WORKSPACE = 1,       /* workspace is NULL while WORKSPACE_SIZE > 0 */
  ONNXC_ERR_MISALIGNED_WORKSPACE = 2, /* workspace not aligned to WORKSPACE_ALIGN */
  ONNXC_ERR_NULL_TENSOR = 3           /* an input or output pointer is NULL */
};

/* Element types use ONNX's TensorProto.DataType numbering so harnesses can map them 1:1. */
typedef enum onnxc_dtype {
  ONNXC_DTYPE_FLOAT32 = 1,
  ONNXC_DTYPE_UINT8 = 2,
  ONNXC_DTYPE_INT8 = 3,
  ONNXC_DTYPE_UINT16 = 4,
  ONNXC_DTYPE_INT16 = 5,
  ONNXC_DTYPE_INT32 = 6,
  ONNXC_DTYPE_INT64 = 7,
  ONNXC_DTYPE_BOOL = 9,
  ONNXC_DTYPE_FLOAT16 = 10,
  ONNXC_DTYPE_FLOAT64 = 11,
  ONNXC_DTYPE_UINT32 = 12,
  ONNXC_DTYPE_UINT64 = 13,
  ONNXC_DTYPE_BFLOAT16 = 16,
  /* Narrow types: one element per byte, its bit pattern in the low bits (as numpy with
   * ml_dtypes holds them); ONNX's packed sub-byte layout is not used at the ABI. Input bytes'
   * unused high bits are ignored; output bytes' unused high bits are unspecified. */
  ONNXC_DTYPE_FLOAT8E4M3FN = 17,
  ONNXC_DTYPE_FLOAT8E4M3FNUZ = 18,
  ONNXC_DTYPE_FLOAT8E5M2 = 19,
  ONNXC_DTYPE_FLOAT8E5M2FNUZ = 20,
  ONNXC_DTYPE_UINT4 = 21,
  ONNXC_DTYPE_INT4 = 22,
  ONNXC_DTYPE_FLOAT4E2M1 = 23,
  ONNXC_DTYPE_FLOAT8E8M0 = 24,
  ONNXC_DTYPE_UINT2 = 25,
  ONNXC_DTYPE_INT2 = 26
} onnxc_dtype;

/* One graph input or output. Tensors are dense and row-major (C order). */
typedef struct onnxc_tensor_info {
  const char *name;     /* the ONNX value name */
  int32_t dtype;        /* an onnxc_dtype */
  int32_t rank;
  const int64_t *shape; /* rank entries */
  uint64_t size_bytes;  /* product of shape times element size */
} onnxc_tensor_info;

typedef struct onnxc_model_info {
  const char *name;              /* the --name the model was compiled with */
  uint32_t num_inputs;
  uint32_t num_outputs;
  const onnxc_tensor_info *inputs;
  const onnxc_tensor_info *outputs;
  uint64_t workspace_size;       /* same as <NAME>_WORKSPACE_SIZE */
  uint64_t workspace_align;      /* same as <NAME>_WORKSPACE_ALIGN */
} onnxc_model_info;

/* ---- Threads: the application supplies the parallel-for ----
 * <name>_run_ex takes an executor; the model splits its large kernels and loops into at most
 * min(num_threads, <NAME>_MAX_THREADS) tasks and hands them to parallel_for, which must run
 * task(ctx, i) once for every i in [0, count) (in any order, on any threads) and return when
 * all have finished. A NULL executor, or num_threads <= 1, runs everything on the calling
 * thread: firmware passes NULL. runtime-lite's onnxc_threadpool (below) is one
 * implementation; an application with its own pool (OpenMP, TBB, a job system) wraps that. */
typedef void (*onnxc_task_fn)(void *ctx, int64_t index);
typedef struct onnxc_executor {
  void (*parallel_for)(void *self, int64_t count, onnxc_task_fn task, void *ctx);
  void *self;          /* passed back to parallel_for */
  int32_t num_threads; /* how many tasks it can run at once */
} onnxc_executor;

/* Size in bytes of one element of dtype; 0 for an unknown dtype. */
size_t onnxc_dtype_size(int32_t dtype);

/* Printable name of a dtype ("float32", ...); "unknown" for an unknown dtype. */
const char *onnxc_dtype_name(int32_t dtype);

#ifdef __cplusplus
}
#endif

#endif /* ONNXC_RUNTIME_H */
