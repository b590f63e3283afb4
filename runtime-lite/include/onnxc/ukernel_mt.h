/* onnxc runtime-lite: the microkernels of ukernel.h split into tasks for an onnxc_executor.
 *
 * Generated code calls these. Each takes the serial kernel's arguments plus the executor (NULL:
 * run serially), the most tasks to create (the model's compiled thread limit; one scratch slice
 * each) and, where the kernel needs scratch, the floats of one slice: `scratch` then holds
 * max_tasks slices. sgemm splits the columns in NR-wide panels (the rows in MR-high panels when
 * there are too few columns), sconv2d the output channels (whole groups when grouped),
 * sdwconv2d the channels; every task writes a disjoint part of the output. Small problems run
 * serially: waking threads costs more than it saves. */
#ifndef ONNXC_UKERNEL_MT_H
#define ONNXC_UKERNEL_MT_H

#include <onnxc/runtime.h>
#include <onnxc/ukernel.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ONNXC_UK_DECLARE_MT(isa)                                                                 \
  void onnxc_uk_sgemm_mt_##isa(int64_t M, int64_t N, int64_t K, const float *a, int64_t rsA,    \
                               int64_t csA, int64_t a_packed, const float *b, int64_t rsB,       \
                               int64_t csB, int64_t b_packed, float *c, int64_t rsC,             \
                               const float *bias, int64_t bias_kind, float lo, float hi,         \
                               int64_t accumulate, float *scratch, const onnxc_executor *exec,   \
                               int64_t max_tasks, int64_t scratch_floats);                       \
  void onnxc_uk_sconv2d_mt_##isa(int64_t N, int64_t C, int64_t H, int64_t W, int64_t F,         \
                                 int64_t OH, int64_t OW, int64_t groups, int64_t KH, int64_t KW, \
                                 int64_t sH, int64_t sW, int64_t dH, int64_t dW, int64_t padT,   \
                                 int64_t padL, const float *input, const float *weights,         \
                                 const float *bias, float *output, float lo, float hi,           \
                                 int64_t accumulate, float *scratch,                             \
                                 const onnxc_executor *exec, int64_t max_tasks,                  \
                                 int64_t scratch_floats);                                        \
  void onnxc_uk_sdwconv2d_mt_##isa(int64_t N, int64_t C, int64_t H, int64_t W, int64_t OH,      \
                                   int64_t OW, int64_t KH, int64_t KW, int64_t sH, int64_t sW,   \
                                   int64_t dH, int64_t dW, int64_t padT, int64_t padL,           \
                                   const float *input, const float *weights, const float *bias,  \
                                   float *output, float lo, float hi, int64_t accumulate,        \
                                   const onnxc_executor *exec, int64_t max_tasks);               \
  void onnxc_uk_smaxpool2d_mt_##isa(int64_t N, int64_t C, int64_t H, int64_t W, int64_t OH,     \
                                    int64_t OW, int64_t KH, int64_t KW, int64_t sH, int64_t sW,  \
                                    int64_t dH, int64_t dW, int64_t padT, int64_t padL,          \
                                    const float *input, float *output,                           \
                                    const onnxc_executor *exec, int64_t max_tasks);

ONNXC_UK_DECLARE_MT(avx512)
ONNXC_UK_DECLARE_MT(avx2)
ONNXC_UK_DECLARE_MT(neon)
ONNXC_UK_DECLARE_MT(generic)

/* A generated loop nest whose outer loop onnxc found parallel (onnxc-parallelize-loops):
 * body(ctx, begin, end) runs iterations [begin, end) of its n. The iterations are cut into at
 * most min(exec->num_threads, max_tasks, n) contiguous ranges of nearly equal length, one task
 * each; a NULL executor runs body(ctx, 0, n) on the caller. ISA-independent. */
typedef void (*onnxc_loop_body_fn)(void *ctx, int64_t begin, int64_t end);
void onnxc_uk_parallel_loop(const onnxc_executor *exec, int64_t n, int64_t max_tasks,
                            onnxc_loop_body_fn body, void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* ONNXC_UKERNEL_MT_H */
