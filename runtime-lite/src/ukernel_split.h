/* onnxc runtime-lite, internal: the ISA-independent task splitting of ukernel_parallel.c, called
 * by the _mt_<isa> entry points that ukernel_driver.h defines in each ISA's file. */
#ifndef ONNXC_UKERNEL_SPLIT_H
#define ONNXC_UKERNEL_SPLIT_H

#include <onnxc/ukernel_mt.h>

typedef void (*uk_sgemm_fn)(int64_t, int64_t, int64_t, const float *, int64_t, int64_t, int64_t,
                         const float *, int64_t, int64_t, int64_t, float *, int64_t,
                         const float *, int64_t, float, float, int64_t, float *);
typedef void (*uk_sconv2d_fn)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                           int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                           const float *, const float *, const float *, float *, float, float,
                           int64_t, float *);
/* An sconv2d that computes output pixels [j0, j1) only, with the weights in the layout the last
 * argument names (pixel_rows: onnxc_uk_conv_pixel_rows of the whole convolution). */
typedef void (*uk_sconv2d_cols_fn)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                                   int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                                   int64_t, int64_t, const float *, const float *, const float *,
                                   float *, float, float, int64_t, float *, int64_t, int64_t,
                                   int64_t);
typedef void (*uk_sdwconv2d_fn)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                             int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                             const float *, const float *, const float *, float *, float, float,
                             int64_t);

void onnxc_uk_split_sgemm(uk_sgemm_fn kernel, int64_t mr, int64_t nr, int64_t M, int64_t N, int64_t K,
                     const float *a, int64_t rsA, int64_t csA, int64_t a_packed, const float *b,
                     int64_t rsB, int64_t csB, int64_t b_packed, float *c, int64_t rsC,
                     const float *bias, int64_t bias_kind, float lo, float hi, int64_t accumulate,
                     float *scratch, const onnxc_executor *exec, int64_t max_tasks,
                     int64_t scratch_floats);
void onnxc_uk_split_sconv2d(uk_sconv2d_fn kernel, uk_sconv2d_cols_fn cols_kernel, int direct,
                            int64_t mr, int64_t nr, int64_t N, int64_t C, int64_t H, int64_t W,
                            int64_t F, int64_t OH, int64_t OW, int64_t groups, int64_t KH,
                            int64_t KW, int64_t sH, int64_t sW, int64_t dH, int64_t dW,
                            int64_t padT, int64_t padL, const float *input,
                            const float *weights, const float *bias, float *output, float lo,
                            float hi, int64_t accumulate, float *scratch,
                            const onnxc_executor *exec, int64_t max_tasks,
                            int64_t scratch_floats);
void onnxc_uk_split_sdwconv2d(uk_sdwconv2d_fn kernel, int64_t N, int64_t C, int64_t H, int64_t W,
                         int64_t OH, int64_t OW, int64_t KH, int64_t KW, int64_t sH, int64_t sW,
                         int64_t dH, int64_t dW, int64_t padT, int64_t padL, const float *input,
                         const float *weights, const float *bias, float *output, float lo,
                         float hi, int64_t accumulate, const onnxc_executor *exec,
                         int64_t max_tasks);

typedef void (*uk_smaxpool2d_fn)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                                 int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                                 const float *, float *);
void onnxc_uk_split_smaxpool2d(uk_smaxpool2d_fn kernel, int64_t N, int64_t C, int64_t H,
                               int64_t W, int64_t OH, int64_t OW, int64_t KH, int64_t KW,
                               int64_t sH, int64_t sW, int64_t dH, int64_t dW, int64_t padT,
                               int64_t padL, const float *input, float *output,
                               const onnxc_executor *exec, int64_t max_tasks);

#endif /* ONNXC_UKERNEL_SPLIT_H */
