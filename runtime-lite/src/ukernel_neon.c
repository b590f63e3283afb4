/* AArch64 Advanced SIMD microkernels (include/onnxc/ukernel.h, ISA suffix "neon"). Compiles to
 * nothing off AArch64 (where Advanced SIMD is baseline, so no extra flags are needed). Only the
 * register kernel lives here; packing, blocking and the depthwise rows (portable C, which
 * compilers vectorise for NEON) come from ukernel_driver.h. */
#if defined(__aarch64__)

#include <arm_neon.h>

#define UK_COPY16(d, s)                                                                          \
  (vst1q_f32((d), vld1q_f32(s)), vst1q_f32((d) + 4, vld1q_f32((s) + 4)),                          \
   vst1q_f32((d) + 8, vld1q_f32((s) + 8)), vst1q_f32((d) + 12, vld1q_f32((s) + 12)))
#define UK_ZERO16(d)                                                                             \
  (vst1q_f32((d), vdupq_n_f32(0.0f)), vst1q_f32((d) + 4, vdupq_n_f32(0.0f)),                     \
   vst1q_f32((d) + 8, vdupq_n_f32(0.0f)), vst1q_f32((d) + 12, vdupq_n_f32(0.0f)))

#define UK_ISA neon
#define UK_MR ONNXC_UK_NEON_MR
#define UK_NR ONNXC_UK_NEON_NR
#include "ukernel_driver.h"

#if UK_MR != 8 || UK_NR != 12
#error "the NEON kernel below is written for an 8 x 12 register block"
#endif

/* ---- 8 x 12 GEMM kernel -----------------------------------------------------------------------
 * 24 q-register accumulators (8 rows x 3 vectors of 4 columns); per k two q loads of A (rows
 * 0-3, 4-7) and three of B, and by-lane FMAs, so 29 of the 32 registers are live. Edge tiles
 * compute the whole (zero-padded) block and go through a local tile and the scalar epilogue. */

#define UK_ROWS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7)
#define UK_DECL(r)                                                                               \
  float32x4_t c##r##0 = vdupq_n_f32(0.0f), c##r##1 = c##r##0, c##r##2 = c##r##0;
#define UK_FMA(r)                                                                                \
  c##r##0 = vfmaq_laneq_f32(c##r##0, b0, (r) < 4 ? a0 : a1, (r) & 3);                            \
  c##r##1 = vfmaq_laneq_f32(c##r##1, b1, (r) < 4 ? a0 : a1, (r) & 3);                            \
  c##r##2 = vfmaq_laneq_f32(c##r##2, b2, (r) < 4 ? a0 : a1, (r) & 3);
#define UK_STEP(u)                                                                               \
  {                                                                                              \
    const float32x4_t a0 = vld1q_f32(ap + (u) * UK_MR), a1 = vld1q_f32(ap + (u) * UK_MR + 4);    \
    const float32x4_t b0 = vld1q_f32(bp + (u) * UK_NR), b1 = vld1q_f32(bp + (u) * UK_NR + 4);    \
    const float32x4_t b2 = vld1q_f32(bp + (u) * UK_NR + 8);                                      \
    UK_ROWS(UK_FMA)                                                                              \
  }
#define UK_SPILL(r)                                                                              \
  vst1q_f32(tile + (r) * UK_NR, c##r##0);                                                        \
  vst1q_f32(tile + (r) * UK_NR + 4, c##r##1);                                                    \
  vst1q_f32(tile + (r) * UK_NR + 8, c##r##2);
#define UK_OUT(r) uk_row_out(c + (r) * rsC, c##r##0, c##r##1, c##r##2, r, bc0, bc1, bc2, e);

static inline void uk_row_out(float *cr, float32x4_t x0, float32x4_t x1, float32x4_t x2, int r,
                              float32x4_t bc0, float32x4_t bc1, float32x4_t bc2,
                              const uk_epi *e) {
  if (e->load_c) {
    x0 = vaddq_f32(x0, vld1q_f32(cr));
    x1 = vaddq_f32(x1, vld1q_f32(cr + 4));
    x2 = vaddq_f32(x2, vld1q_f32(cr + 8));
  }
  if (e->bias_kind == 2) {
    const float32x4_t b = vdupq_n_f32(e->bias[r]);
    x0 = vaddq_f32(x0, b), x1 = vaddq_f32(x1, b), x2 = vaddq_f32(x2, b);
  } else if (e->bias_kind == 1) {
    x0 = vaddq_f32(x0, bc0), x1 = vaddq_f32(x1, bc1), x2 = vaddq_f32(x2, bc2);
  }
  if (e->clamp_lo) {
    const float32x4_t l = vdupq_n_f32(e->lo);
    x0 = vmaxq_f32(x0, l), x1 = vmaxq_f32(x1, l), x2 = vmaxq_f32(x2, l);
  }
  if (e->clamp_hi) {
    const float32x4_t h = vdupq_n_f32(e->hi);
    x0 = vminq_f32(x0, h), x1 = vminq_f32(x1, h), x2 = vminq_f32(x2, h);
  }
  vst1q_f32(cr, x0);
  vst1q_f32(cr + 4, x1);
  vst1q_f32(cr + 8, x2);
}

static void uk_micro(int64_t kc, const float *ap, const float *bp, float *c, int64_t rsC,
                     int64_t mr, int64_t nr, const uk_epi *e) {
  int64_t k = 0;
  UK_ROWS(UK_DECL)
  for (; k + 2 <= kc; k += 2) {
    UK_STEP(0) UK_STEP(1)
    ap += 2 * UK_MR;
    bp += 2 * UK_NR;
  }
  for (; k < kc; ++k) {
    UK_STEP(0)
    ap += UK_MR;
    bp += UK_NR;
  }
  if (mr == UK_MR && nr == UK_NR) {
    float32x4_t bc0 = vdupq_n_f32(0.0f), bc1 = bc0, bc2 = bc0;
    if (e->bias_kind == 1) {
      bc0 = vld1q_f32(e->bias);
      bc1 = vld1q_f32(e->bias + 4);
      bc2 = vld1q_f32(e->bias + 8);
    }
    UK_ROWS(UK_OUT)
  } else {
    float tile[UK_MR * UK_NR];
    UK_ROWS(UK_SPILL)
    uk_store_tile(tile, UK_NR, c, rsC, mr, nr, e);
  }
}

static void uk_dw_strip(const float *x, int64_t PW, int64_t nout, const float *wc,
                        const uk_dwg *g, float *out, float bias, const uk_epi *e) {
  uk_dw_strip_portable(x, PW, nout, wc, g, out, bias, e);
}

#else
/* ISO C wants a declaration in every translation unit. */
typedef int onnxc_uk_neon_unavailable;
#endif /* __aarch64__ */
