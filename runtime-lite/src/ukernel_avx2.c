/* AVX2 + FMA microkernels (include/onnxc/ukernel.h, ISA suffix "avx2"). Built with
 * -mavx2 -mfma (runtime-lite/CMakeLists.txt); compiles to nothing off x86-64. Only the register
 * kernel and the depthwise rows live here; packing and blocking come from ukernel_driver.h. */
#if defined(__x86_64__) || defined(_M_X64)

#if !defined(__AVX2__) || !defined(__FMA__)
/* Built without the per-file flags: enable them for this file's functions only. */
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define UK_POP_TARGET 1
#elif defined(__GNUC__)
#pragma GCC target("avx2,fma")
#endif
#endif

#include <immintrin.h>

#define UK_ISA avx2
#define UK_MR ONNXC_UK_AVX2_MR
#define UK_NR ONNXC_UK_AVX2_NR
/* Hooks of ukernel_driver.h: vector copies/clears for packing and the depthwise row copies. */
#define UK_COPY16(d, s)                                                                          \
  (_mm256_storeu_ps((d), _mm256_loadu_ps(s)), _mm256_storeu_ps((d) + 8, _mm256_loadu_ps((s) + 8)))
#define UK_ZERO16(d)                                                                             \
  (_mm256_storeu_ps((d), _mm256_setzero_ps()), _mm256_storeu_ps((d) + 8, _mm256_setzero_ps()))
/* mask of lanes i < n (n may be <= 0 or >= 8) */
#define UK_MASK8(n)                                                                              \
  _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(n)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7))
#define UK_COPY_TAIL(d, s, n)                                                                    \
  (_mm256_maskstore_ps((d), UK_MASK8(n), _mm256_maskload_ps((s), UK_MASK8(n))),                   \
   _mm256_maskstore_ps((d) + 8, UK_MASK8((n) - 8), _mm256_maskload_ps((s) + 8, UK_MASK8((n) - 8))))
#define UK_ZERO_TAIL(d, n)                                                                       \
  (_mm256_maskstore_ps((d), UK_MASK8(n), _mm256_setzero_ps()),                                    \
   _mm256_maskstore_ps((d) + 8, UK_MASK8((n) - 8), _mm256_setzero_ps()))
#define UK_FEW_ROWS 6 /* uk_few_rows: up to 6 rows of A against whole packed panels */
#include "ukernel_driver.h"

#if UK_MR != 6 || UK_NR != 16
#error "the AVX2 kernel below is written for a 6 x 16 register block"
#endif

/* ---- 6 x 16 GEMM kernel -----------------------------------------------------------------------
 * 12 ymm accumulators, two B vectors per k, one broadcast A value per row: 15 of the 16 ymm
 * registers. R and NV are compile-time constants per instantiation (edge tiles run only the
 * FMAs they need); partial column counts use maskload/maskstore on C. */

#define UK_ROWS(X) X(0) X(1) X(2) X(3) X(4) X(5)

#define UK_DECL(r) __m256 c##r##0 = _mm256_setzero_ps(), c##r##1 = _mm256_setzero_ps();
#define UK_FMA(r)                                                                                \
  if (R > r) {                                                                                   \
    const __m256 av = _mm256_broadcast_ss(a_ + r);                                               \
    c##r##0 = _mm256_fmadd_ps(av, b0, c##r##0);                                                  \
    if (NV > 1) c##r##1 = _mm256_fmadd_ps(av, b1, c##r##1);                                      \
  }
#define UK_STEP(u)                                                                               \
  {                                                                                              \
    const float *a_ = ap + (u) * UK_MR;                                                          \
    const __m256 b0 = _mm256_loadu_ps(bp + (u) * UK_NR);                                         \
    const __m256 b1 = NV > 1 ? _mm256_loadu_ps(bp + (u) * UK_NR + 8) : b0;                       \
    UK_ROWS(UK_FMA)                                                                              \
  }
#define UK_OUT(r)                                                                                \
  if (R > r) uk_row_out(c + r * rsC, c##r##0, c##r##1, NV, full, mk0, mk1, bc0, bc1, r, e);

UK_INLINE __m256 uk_ld(const float *p, int full, __m256i m) {
  return full ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, m);
}

UK_INLINE void uk_row_out(float *cr, __m256 x0, __m256 x1, const int NV, int full, __m256i mk0,
                          __m256i mk1, __m256 bc0, __m256 bc1, int r, const uk_epi *e) {
  if (e->load_c) {
    x0 = _mm256_add_ps(x0, uk_ld(cr, full, mk0));
    if (NV > 1) x1 = _mm256_add_ps(x1, uk_ld(cr + 8, full, mk1));
  }
  if (e->bias_kind == 2) {
    const __m256 b = _mm256_broadcast_ss(e->bias + r);
    x0 = _mm256_add_ps(x0, b);
    x1 = _mm256_add_ps(x1, b);
  } else if (e->bias_kind == 1) {
    x0 = _mm256_add_ps(x0, bc0);
    x1 = _mm256_add_ps(x1, bc1);
  }
  if (e->clamp_lo) {
    const __m256 l = _mm256_set1_ps(e->lo);
    x0 = _mm256_max_ps(x0, l);
    x1 = _mm256_max_ps(x1, l);
  }
  if (e->clamp_hi) {
    const __m256 h = _mm256_set1_ps(e->hi);
    x0 = _mm256_min_ps(x0, h);
    x1 = _mm256_min_ps(x1, h);
  }
  if (full) {
    _mm256_storeu_ps(cr, x0);
    if (NV > 1) _mm256_storeu_ps(cr + 8, x1);
  } else {
    _mm256_maskstore_ps(cr, mk0, x0);
    if (NV > 1) _mm256_maskstore_ps(cr + 8, mk1, x1);
  }
}

/* What every tile function (uk_tile, uk_few_tile) starts and ends with: the masks of C's nr
 * columns, the column bias and the accumulators; then the bias loaded and the rows stored
 * through the epilogue. */
#define UK_TILE_BEGIN                                                                            \
  const __m256i iota = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);                                \
  const __m256i mk0 = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)nr), iota);                     \
  const __m256i mk1 = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)nr - 8), iota);                 \
  const int full = nr == UK_NR;                                                                  \
  __m256 bc0 = _mm256_setzero_ps(), bc1 = _mm256_setzero_ps();                                   \
  UK_ROWS(UK_DECL)
#define UK_TILE_END                                                                              \
  if (e->bias_kind == 1) {                                                                       \
    bc0 = uk_ld(e->bias, full, mk0);                                                             \
    if (NV > 1) bc1 = uk_ld(e->bias + 8, full, mk1);                                             \
  }                                                                                              \
  UK_ROWS(UK_OUT)

UK_INLINE void uk_tile(const int R, const int NV, int64_t kc, const float *ap, const float *bp,
                       float *c, int64_t rsC, int64_t nr, const uk_epi *e) {
  UK_TILE_BEGIN
  int64_t k = 0;
  for (; k + 4 <= kc; k += 4) {
    UK_STEP(0) UK_STEP(1) UK_STEP(2) UK_STEP(3)
    ap += 4 * UK_MR;
    bp += 4 * UK_NR;
  }
  for (; k < kc; ++k) {
    UK_STEP(0)
    ap += UK_MR;
    bp += UK_NR;
  }
  UK_TILE_END
}

#define UK_CASE(r) UK_TILE_CASE(uk_tile, r, kc, ap, bp, c, rsC, nr, e)

static void uk_micro(int64_t kc, const float *ap, const float *bp, float *c, int64_t rsC,
                     int64_t mr, int64_t nr, const uk_epi *e) {
  switch (mr) { UK_ROWS(UK_CASE) }
}

/* ---- A few rows against a whole packed panel (ukernel_driver.h, UK_FEW_ROWS) ----------------
 * As the AVX-512 kernel: one pass down the panel with A's rows read in place, the panel
 * stream prefetched 16 KB ahead (one 64-byte line per k step: a 16-wide panel row). */
#define UK_FEW_PF 4096
#define UK_FEW_FMA(r) UK_FEW_FMA_INTO(c, r, 0)
#define UK_FEW_FMA_INTO(acc, r, dk)                                                              \
  if (R > r) {                                                                                   \
    const __m256 av = _mm256_broadcast_ss(a + r * rsA + k + (dk));                               \
    acc##r##0 = _mm256_fmadd_ps(av, b0, acc##r##0);                                              \
    if (NV > 1) acc##r##1 = _mm256_fmadd_ps(av, b1, acc##r##1);                                  \
  }
#define UK_FEW_DECL_D(r) __m256 d##r##0 = _mm256_setzero_ps(), d##r##1 = _mm256_setzero_ps();
#define UK_FEW_ADD_D(r)                                                                          \
  if (R > r) c##r##0 = _mm256_add_ps(c##r##0, d##r##0), c##r##1 = _mm256_add_ps(c##r##1, d##r##1);
UK_INLINE void uk_few_tile(const int R, const int NV, int64_t K, const float *a, int64_t rsA,
                           const float *bp, float *c, int64_t rsC, int64_t nr, const uk_epi *e) {
  UK_TILE_BEGIN
  int64_t k = 0;
  if (R <= 3) {
    /* Up to 3 rows: odd k steps into a second set of sums, so 4R chains (not 2R) hide the
     * FMA latency; 256-bit loads at one k step per FMA latency left 1 x 768 x 3072 (weights
     * in L3) latency-bound. */
    UK_ROWS(UK_FEW_DECL_D)
    for (; k + 2 <= K; k += 2, bp += 2 * UK_NR) {
      _mm_prefetch((const char *)(bp + UK_FEW_PF), _MM_HINT_T0);
      _mm_prefetch((const char *)(bp + UK_FEW_PF + UK_NR), _MM_HINT_T0);
      {
        const __m256 b0 = _mm256_loadu_ps(bp);
        const __m256 b1 = NV > 1 ? _mm256_loadu_ps(bp + 8) : b0;
        UK_ROWS(UK_FEW_FMA)
      }
      {
        const __m256 b0 = _mm256_loadu_ps(bp + UK_NR);
        const __m256 b1 = NV > 1 ? _mm256_loadu_ps(bp + UK_NR + 8) : b0;
        UK_FEW_FMA_INTO(d, 0, 1) UK_FEW_FMA_INTO(d, 1, 1) UK_FEW_FMA_INTO(d, 2, 1)
      }
    }
    UK_ROWS(UK_FEW_ADD_D)
  }
  for (; k < K; ++k, bp += UK_NR) {
    /* a packed panel is zero padded to NR columns: whole loads */
    const __m256 b0 = _mm256_loadu_ps(bp);
    const __m256 b1 = NV > 1 ? _mm256_loadu_ps(bp + 8) : b0;
    _mm_prefetch((const char *)(bp + UK_FEW_PF), _MM_HINT_T0);
    UK_ROWS(UK_FEW_FMA)
  }
  UK_TILE_END
}
#define UK_FEW_CASE(r) UK_TILE_CASE(uk_few_tile, r, K, a, rsA, bp, c, rsC, nr, e)
static void uk_few_rows(int64_t K, const float *a, int64_t rsA, const float *bp, float *c,
                        int64_t rsC, int64_t mr, int64_t nr, const uk_epi *e) {
  switch (mr) { UK_ROWS(UK_FEW_CASE) }
}

/* ---- Depthwise -------------------------------------------------------------------------------
 * As the AVX-512 version with 8-wide chunks: up to 4 chunks of one row accumulate in registers
 * over all taps, reading whole vectors from the zero-padded row copies (ukernel_driver.h). */

/* A block is up to 4 vectors ("slots") of outputs: NCH consecutive chunks of each of NV/NCH
 * consecutive rows. Wide rows take 4 chunks of one row; rows of at most 2 vectors take 2 or 4
 * rows at once, so narrow planes still fill the registers and overlap their FMA chains.
 * Slot v covers outputs from chunk v % NCH of row v / NCH. */
#define UK_DW_SLOTS(X) X(0) X(1) X(2) X(3)
#define UK_DW_DECL(v) __m256 acc##v = _mm256_setzero_ps();
#define UK_DW_FMA(v)                                                                             \
  if (NV > v)                                                                                    \
    acc##v = _mm256_fmadd_ps(uk_dw_ld(S, q + (v / NCH) * ris + (v % NCH) * 8 * S), wv, acc##v);
#define UK_DW_OUT(v)                                                                             \
  if (NV > v)                                                                                    \
    uk_dw_out(o + (v / NCH) * g->OW + (v % NCH) * 8, acc##v, left - (v % NCH) * 8, bias, e);

UK_INLINE __m256 uk_dw_ld(const int S, const float *p) {
  __m256 t;
  if (S == 1) return _mm256_loadu_ps(p);
  /* [p0 p2 p8 p10 | p4 p6 p12 p14], then the 64-bit pairs back in order */
  t = _mm256_shuffle_ps(_mm256_loadu_ps(p), _mm256_loadu_ps(p + 8), _MM_SHUFFLE(2, 0, 2, 0));
  return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(t), _MM_SHUFFLE(3, 1, 2, 0)));
}

UK_INLINE void uk_dw_out(float *o, __m256 x, int64_t left, float bias, const uk_epi *e) {
  x = _mm256_add_ps(x, _mm256_set1_ps(bias));
  if (left >= 8) {
    if (e->load_c) x = _mm256_add_ps(x, _mm256_loadu_ps(o));
    if (e->clamp_lo) x = _mm256_max_ps(x, _mm256_set1_ps(e->lo));
    if (e->clamp_hi) x = _mm256_min_ps(x, _mm256_set1_ps(e->hi));
    _mm256_storeu_ps(o, x);
  } else {
    const __m256i om = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)left),
                                          _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    if (e->load_c) x = _mm256_add_ps(x, _mm256_maskload_ps(o, om));
    if (e->clamp_lo) x = _mm256_max_ps(x, _mm256_set1_ps(e->lo));
    if (e->clamp_hi) x = _mm256_min_ps(x, _mm256_set1_ps(e->hi));
    _mm256_maskstore_ps(o, om, x);
  }
}

UK_INLINE void uk_dw_block(const int NV, const int NCH, const int S, const float *x,
                           int64_t ris, const float *wc, const uk_dwg *g, int64_t PW, float *o,
                           int64_t left, float bias, const uk_epi *e) {
  const int64_t KW = g->KW, dW = g->dW, rs = g->dH * PW;
  int64_t kh, kw;
  UK_DW_SLOTS(UK_DW_DECL)
  for (kh = 0; kh < g->KH; ++kh, x += rs) {
    const float *wk = wc + kh * KW;
    for (kw = 0; kw < KW; ++kw) {
      const float *q = x + kw * dW;
      const __m256 wv = _mm256_broadcast_ss(wk + kw);
      UK_DW_SLOTS(UK_DW_FMA)
    }
  }
  UK_DW_SLOTS(UK_DW_OUT)
}

#define UK_DW_CASE(nv, nch, s)                                                                   \
  case nv:                                                                                       \
    uk_dw_block(nv, nch, s, x0, ris, wc, g, PW, o, left, bias, e);                               \
    break;
/* nv slots of one row (nch = nv) or of nv/nch rows */
#define UK_DW_DISPATCH(nv, rowwise)                                                              \
  if (g->sW == 1) {                                                                              \
    switch (nv) {                                                                                \
      UK_DW_CASE(1, 1, 1) UK_DW_CASE(2, rowwise ? 1 : 2, 1) UK_DW_CASE(3, rowwise ? 1 : 3, 1)     \
      UK_DW_CASE(4, rowwise ? 1 : 4, 1)                                                          \
    }                                                                                            \
  } else {                                                                                       \
    switch (nv) {                                                                                \
      UK_DW_CASE(1, 1, 2) UK_DW_CASE(2, rowwise ? 1 : 2, 2) UK_DW_CASE(3, rowwise ? 1 : 3, 2)     \
      UK_DW_CASE(4, rowwise ? 1 : 4, 2)                                                          \
    }                                                                                            \
  }

static void uk_dw_strip(const float *x, int64_t PW, int64_t nout, const float *wc,
                        const uk_dwg *g, float *out, float bias, const uk_epi *e) {
  const int64_t OW = g->OW, ris = g->sH * PW, left = OW;
  int64_t i = 0, o0;
  if (g->sW > 2) {
    uk_dw_strip_portable(x, PW, nout, wc, g, out, bias, e);
    return;
  }
  if (OW <= 8) { /* one chunk per row: slots are rows */
    for (; i < nout; i += 4) {
      const float *x0 = x + i * ris;
      float *o = out + i * OW;
      UK_DW_DISPATCH(uk_min(4, nout - i), 1)
    }
    return;
  }
  if (OW <= 2 * 8) { /* two chunks per row: pairs of rows, then a last single row */
    for (; i + 2 <= nout; i += 2) {
      const float *x0 = x + i * ris;
      float *o = out + i * OW;
      if (g->sW == 1)
        uk_dw_block(4, 2, 1, x0, ris, wc, g, PW, o, left, bias, e);
      else
        uk_dw_block(4, 2, 2, x0, ris, wc, g, PW, o, left, bias, e);
    }
  }
  for (; i < nout; ++i) /* slots are chunks of a row */
    for (o0 = 0; o0 < OW; o0 += 4 * 8) {
      const float *x0 = x + i * ris + o0 * g->sW;
      float *o = out + i * OW + o0;
      const int64_t left = OW - o0;
      UK_DW_DISPATCH(uk_min(4, (OW - o0 + 7) / 8), 0)
    }
}

#if defined(UK_POP_TARGET)
#pragma clang attribute pop
#endif

#else
/* ISO C wants a declaration in every translation unit. */
typedef int onnxc_uk_avx2_unavailable;
#endif /* x86-64 */
