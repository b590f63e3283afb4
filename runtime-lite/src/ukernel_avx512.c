/* AVX-512 microkernels (include/onnxc/ukernel.h, ISA suffix "avx512"). Built with
 * -mavx512f -mavx512vl -mavx512bw -mavx512dq -mfma (runtime-lite/CMakeLists.txt); compiles to
 * nothing off x86-64. Only the register kernel and the depthwise rows live here; packing and
 * blocking come from ukernel_driver.h. */
#if defined(__x86_64__) || defined(_M_X64)

#if !defined(__AVX512F__)
/* Built without the per-file flags: enable them for this file's functions only. */
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,fma"))), \
                             apply_to = function)
#define UK_POP_TARGET 1
#elif defined(__GNUC__)
#pragma GCC target("avx512f,avx512vl,avx512bw,avx512dq,fma")
#endif
#endif

#include <immintrin.h>
#include <stdint.h>

#define UK_ISA avx512
#define UK_MR ONNXC_UK_AVX512_MR
#define UK_NR ONNXC_UK_AVX512_NR

/* Hooks of ukernel_driver.h: vector copies/clears for packing and the depthwise row copies
 * (masked tails, no scalar loops), stride-2 im2col copies, and row-major A packing. */
#define UK_COPY16(d, s) _mm512_storeu_ps((d), _mm512_loadu_ps(s))
#define UK_ZERO16(d) _mm512_storeu_ps((d), _mm512_setzero_ps())
/* permutex2var indices of the even and the odd floats of two vectors (stride-2 reads) */
#define UK_EVEN_LANES _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0)
#define UK_ODD_LANES _mm512_set_epi32(31, 29, 27, 25, 23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1)
#define UK_COPY16_S2(d, s)                                                                       \
  _mm512_storeu_ps((d), _mm512_permutex2var_ps(_mm512_loadu_ps(s), UK_EVEN_LANES,                \
                                               _mm512_loadu_ps((s) + 16)))
/* n <= 16 outputs of a stride-2 row piece: the 2n - 1 inputs they read, masked */
#define UK_COPY_S2_TAIL(d, s, n)                                                                 \
  do {                                                                                           \
    const int64_t r_ = 2 * (n) - 1;                                                              \
    const __mmask16 lo_ = r_ >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << r_) - 1);            \
    const __mmask16 hi_ = r_ <= 16 ? (__mmask16)0 : (__mmask16)((1u << (r_ - 16)) - 1);          \
    _mm512_mask_storeu_ps(                                                                       \
        (d), (__mmask16)((1u << (n)) - 1),                                                       \
        _mm512_permutex2var_ps(_mm512_maskz_loadu_ps(lo_, s), UK_EVEN_LANES,                     \
                               _mm512_maskz_loadu_ps(hi_, (s) + 16)));                           \
  } while (0)
#define UK_COPY_TAIL(d, s, n)                                                                    \
  _mm512_mask_storeu_ps((d), (__mmask16)((1u << (n)) - 1),                                       \
                        _mm512_maskz_loadu_ps((__mmask16)((1u << (n)) - 1), (s)))
#define UK_ZERO_TAIL(d, n)                                                                       \
  _mm512_mask_storeu_ps((d), (__mmask16)((1u << (n)) - 1), _mm512_setzero_ps())

/* In-register 16 x 16 transpose: on return r[j] holds what was column j of rows r[0..15]. */
static inline __attribute__((always_inline)) void uk_transpose16(__m512 r[16]) {
  __m512 a[16], b[16];
  int i, j;
  for (i = 0; i < 16; i += 2) { /* 32-bit interleave of row pairs */
    a[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
    a[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
  }
  for (i = 0; i < 16; i += 4) { /* 128-bit lane L of b[i + j]: column 4L + j, rows i..i+3 */
    b[i] = _mm512_shuffle_ps(a[i], a[i + 2], 0x44);
    b[i + 1] = _mm512_shuffle_ps(a[i], a[i + 2], 0xEE);
    b[i + 2] = _mm512_shuffle_ps(a[i + 1], a[i + 3], 0x44);
    b[i + 3] = _mm512_shuffle_ps(a[i + 1], a[i + 3], 0xEE);
  }
  for (j = 0; j < 4; ++j) {
    const __m512 c = _mm512_shuffle_f32x4(b[j], b[4 + j], 0x88);
    const __m512 e = _mm512_shuffle_f32x4(b[8 + j], b[12 + j], 0x88);
    const __m512 f = _mm512_shuffle_f32x4(b[j], b[4 + j], 0xDD);
    const __m512 h = _mm512_shuffle_f32x4(b[8 + j], b[12 + j], 0xDD);
    r[j] = _mm512_shuffle_f32x4(c, e, 0x88);
    r[8 + j] = _mm512_shuffle_f32x4(c, e, 0xDD);
    r[4 + j] = _mm512_shuffle_f32x4(f, h, 0x88);
    r[12 + j] = _mm512_shuffle_f32x4(f, h, 0xDD);
  }
}

/* Packs columns 0..15, 16..31, ... of 14 rows of a row-major A into a packed-A panel (column k
 * at d + 14k): a 16 x 16 in-register transpose (rows 14 and 15 zero) per slice of 16 columns;
 * returns the number of columns done. */
static int64_t uk_pack_a_rows14(float *d, const float *src, int64_t rsA, int64_t kc) {
  int64_t k;
  for (k = 0; k + 16 <= kc; k += 16) {
    __m512 r[16];
    int i;
    for (i = 0; i < 14; ++i) r[i] = _mm512_loadu_ps(src + i * rsA + k);
    r[14] = r[15] = _mm512_setzero_ps();
    uk_transpose16(r);
    for (i = 0; i < 16; ++i) _mm512_mask_storeu_ps(d + (k + i) * 14, 0x3FFF, r[i]);
  }
  return k;
}
#define UK_PACK_A_ROWS uk_pack_a_rows14
#define UK_DIRECT_B 1 /* uk_micro reads B rows in place (uk_epi.ldb) */
#define UK_HAVE_CT 1  /* uk_micro stores transposed tiles (uk_epi.ct) */
#define UK_CONV_DIRECT ONNXC_UK_AVX512_DIRECT /* uk_micro reads A rows at offsets (uk_epi.aoff) */
#define UK_HAVE_DW_PLANES 1
#define UK_FEW_ROWS 8 /* uk_few_rows: up to 8 rows of A against whole packed panels */
#define UK_HAVE_MAXPOOL_PLANES 1

#include "ukernel_driver.h"

#if UK_MR != 14 || UK_NR != 32
#error "the AVX-512 kernel below is written for a 14 x 32 register block"
#endif

/* ---- 14 x 32 GEMM kernel ----------------------------------------------------------------------
 * 28 zmm accumulators (14 rows x 2 vectors of 16 columns), B loaded once per k as two
 * vectors, each A value broadcast (an embedded-broadcast FMA operand). R (rows) and NV
 * (column vectors) are compile-time constants in each instantiation, so edge tiles run
 * exactly the FMAs they need and still keep everything in registers; columns past nr are
 * masked off at the loads and stores of C. */

#define UK_ROWS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13)

#define UK_DECL(r) __m512 c##r##0 = _mm512_setzero_ps(), c##r##1 = _mm512_setzero_ps();
#define UK_FMA(r)                                                                                \
  if (R > r) {                                                                                   \
    const __m512 av = _mm512_set1_ps(a_[r]);                                                     \
    c##r##0 = _mm512_fmadd_ps(av, b0, c##r##0);                                                  \
    if (NV > 1) c##r##1 = _mm512_fmadd_ps(av, b1, c##r##1);                                      \
  }
#define UK_STEP(u, AROW)                                                                         \
  {                                                                                              \
    const float *a_ = AROW(u);                                                                   \
    const __m512 b0 = _mm512_maskz_loadu_ps(m0, bp + (u) * ldb);                                 \
    const __m512 b1 = NV > 1 ? _mm512_maskz_loadu_ps(m1, bp + (u) * ldb + 16) : b0;              \
    UK_ROWS(UK_FMA)                                                                              \
  }
#define UK_OUT(r)                                                                                \
  if (R > r) uk_row_out(c + r * rsC, c##r##0, c##r##1, NV, m0, m1, bc0, bc1, r, e);
#define UK_PREFETCH_C(r)                                                                         \
  if (R > r) {                                                                                   \
    _mm_prefetch((const char *)(c + r * rsC), _MM_HINT_T0);                                      \
    _mm_prefetch((const char *)(c + r * rsC + nr - 1), _MM_HINT_T0);                             \
  }

UK_INLINE void uk_row_out(float *cr, __m512 x0, __m512 x1, const int NV, __mmask16 m0,
                          __mmask16 m1, __m512 bc0, __m512 bc1, int r, const uk_epi *e) {
  if (e->load_c) {
    x0 = _mm512_add_ps(x0, _mm512_maskz_loadu_ps(m0, cr));
    if (NV > 1) x1 = _mm512_add_ps(x1, _mm512_maskz_loadu_ps(m1, cr + 16));
  }
  if (e->bias_kind == 2) {
    const __m512 b = _mm512_set1_ps(e->bias[r]);
    x0 = _mm512_add_ps(x0, b);
    x1 = _mm512_add_ps(x1, b);
  } else if (e->bias_kind == 1) {
    x0 = _mm512_add_ps(x0, bc0);
    x1 = _mm512_add_ps(x1, bc1);
  }
  if (e->clamp_lo) {
    const __m512 l = _mm512_set1_ps(e->lo);
    x0 = _mm512_max_ps(x0, l);
    x1 = _mm512_max_ps(x1, l);
  }
  if (e->clamp_hi) {
    const __m512 h = _mm512_set1_ps(e->hi);
    x0 = _mm512_min_ps(x0, h);
    x1 = _mm512_min_ps(x1, h);
  }
  _mm512_mask_storeu_ps(cr, m0, x0);
  if (NV > 1) _mm512_mask_storeu_ps(cr + 16, m1, x1);
}

/* A transposed tile's stores (uk_epi.ct): per 16 columns, the R row vectors plus the column bias
 * are transposed in registers, and column j's R values (pixels) go to c + j*rsC. */
UK_INLINE void uk_out_t(const int R, __m512 t[16], __m512 bc, float *c, int64_t rsC, int64_t n,
                        const uk_epi *e) {
  const __mmask16 m = (__mmask16)((1u << R) - 1);
  int r;
  int64_t j;
  for (r = 0; r < 16; ++r) t[r] = r < R ? _mm512_add_ps(t[r], bc) : _mm512_setzero_ps();
  uk_transpose16(t);
  for (j = 0; j < n; ++j) {
    float *o = c + j * rsC;
    __m512 x = t[j];
    if (e->load_c) x = _mm512_add_ps(x, _mm512_maskz_loadu_ps(m, o));
    if (e->clamp_lo) x = _mm512_max_ps(x, _mm512_set1_ps(e->lo));
    if (e->clamp_hi) x = _mm512_min_ps(x, _mm512_set1_ps(e->hi));
    _mm512_mask_storeu_ps(o, m, x);
  }
}
#define UK_TO_T(r)                                                                               \
  if (R > r) t0[r] = c##r##0, t1[r] = c##r##1;

/* What both tile functions (uk_tile, uk_few_tile) start with: the masks of C's nr columns and
 * the column bias registers; and, after the products, the column bias loaded. */
#define UK_TILE_COLS                                                                             \
  const __mmask16 m0 = nr >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << nr) - 1);              \
  const __mmask16 m1 = nr >= 32   ? (__mmask16)0xFFFF                                            \
                       : nr > 16 ? (__mmask16)((1u << (nr - 16)) - 1)                            \
                                 : (__mmask16)0;                                                 \
  __m512 bc0 = _mm512_setzero_ps(), bc1 = _mm512_setzero_ps();
#define UK_LOAD_COL_BIAS                                                                         \
  if (e->bias_kind == 1) {                                                                       \
    bc0 = _mm512_maskz_loadu_ps(m0, e->bias);                                                    \
    if (NV > 1) bc1 = _mm512_maskz_loadu_ps(m1, e->bias + 16);                                   \
  }

UK_INLINE void uk_tile(const int R, const int NV, int64_t kc, const float *ap, const float *bp,
                       float *c, int64_t rsC, int64_t nr, const uk_epi *e) {
  UK_TILE_COLS
  /* B rows ldb floats apart: NR in a packed panel, the matrix's row stride when the driver
   * reads B in place (UK_DIRECT_B); its loads are masked to nr columns, which a packed panel's
   * zero padding did not need but a row in place does (the next row or the buffer's end). */
  const int64_t ldb = e->ldb;
  int64_t k = 0;
  const int32_t *ao = e->aoff;
  UK_ROWS(UK_DECL)
  /* The tile's output lines, fetched now so their stores at the end find them in cache: a
   * model's output buffers are cold, and a transposed tile stores into up to 32 planes (the
   * 7x7 stem, 3.2 MB of output, took 12% longer with its output cold than warm). */
  if (!e->ct) {
    UK_ROWS(UK_PREFETCH_C)
  } else {
    int64_t j;
    for (j = 0; j < nr; ++j) {
      _mm_prefetch((const char *)(c + j * rsC), _MM_HINT_T0);
      _mm_prefetch((const char *)(c + j * rsC + R - 1), _MM_HINT_T0);
    }
  }
  /* A row k of the tile: k of a packed panel, or at its offset (uk_epi.aoff) */
#define UK_A_PACKED(u) (ap + (u) * UK_MR)
#define UK_A_PACKED_NEXT(n) ap += (n) * UK_MR;
#define UK_A_OFF(u) (ap + ao[u])
#define UK_A_OFF_NEXT(n) ao += (n);
  /* With a panel to prefetch (uk_epi.pf), each iteration also touches 4 k steps of it. */
#define UK_KLOOP(AROW, ANEXT)                                                                    \
  {                                                                                              \
    const char *pf = (const char *)e->pf;                                                        \
    const int64_t step = 4 * e->pf_floats * (int64_t)sizeof(float);                              \
    for (; k + 4 <= kc; k += 4) {                                                                \
      UK_STEP(0, AROW) UK_STEP(1, AROW) UK_STEP(2, AROW) UK_STEP(3, AROW)                        \
      if (pf) {                                                                                  \
        int64_t o;                                                                               \
        for (o = 0; o < step; o += 64) _mm_prefetch(pf + o, _MM_HINT_T1);                        \
        pf += step;                                                                              \
      }                                                                                          \
      ANEXT(4)                                                                                   \
      bp += 4 * ldb;                                                                             \
    }                                                                                            \
    for (; k < kc; ++k) {                                                                        \
      UK_STEP(0, AROW)                                                                           \
      ANEXT(1)                                                                                   \
      bp += ldb;                                                                                 \
    }                                                                                            \
  }
  if (ao)
    UK_KLOOP(UK_A_OFF, UK_A_OFF_NEXT)
  else
    UK_KLOOP(UK_A_PACKED, UK_A_PACKED_NEXT)
  UK_LOAD_COL_BIAS
  if (e->ct) {
    __m512 t0[16], t1[16];
    UK_ROWS(UK_TO_T)
    uk_out_t(R, t0, bc0, c, rsC, uk_min(nr, 16), e);
    if (NV > 1) uk_out_t(R, t1, bc1, c + 16 * rsC, rsC, nr - 16, e);
    return;
  }
  UK_ROWS(UK_OUT)
}

#define UK_CASE(r) UK_TILE_CASE(uk_tile, r, kc, ap, bp, c, rsC, nr, e)

static void uk_micro(int64_t kc, const float *ap, const float *bp, float *c, int64_t rsC,
                     int64_t mr, int64_t nr, const uk_epi *e) {
  switch (mr) { UK_ROWS(UK_CASE) }
}

/* ---- A few rows against a whole packed panel (ukernel_driver.h, UK_FEW_ROWS) ----------------
 * Memory-bound on the panel: one pass down its K rows with A's rows read in place. Two
 * accumulator chains per row already outrun the panel's arrival from L2/L3, so no unrolling
 * into more chains (measured no faster). The panels of consecutive column blocks are one
 * sequential stream, prefetched a fixed distance ahead. */
/* Floats ahead in the panel stream that each k step prefetches (16 KB): weights from DRAM
 * (4096 x 4096, 64 MB) outran the hardware prefetcher once 8 rows used each weight, and 8
 * rows took 2.4 ms where the blocked nest, prefetching by hand, took 1.6; with this, 1.15,
 * and 1 row 1.2 -> 1.15. Shorter distances (2-8 KB) left 8 rows at 1.4-2.0 ms. */
#define UK_FEW_PF 4096
#define UK_FEW(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7)
#define UK_FEW_FMA(r)                                                                            \
  if (R > r) {                                                                                   \
    const __m512 av = _mm512_set1_ps(a[r * rsA + k]);                                            \
    c##r##0 = _mm512_fmadd_ps(av, b0, c##r##0);                                                  \
    if (NV > 1) c##r##1 = _mm512_fmadd_ps(av, b1, c##r##1);                                      \
  }
UK_INLINE void uk_few_tile(const int R, const int NV, int64_t K, const float *a, int64_t rsA,
                           const float *bp, float *c, int64_t rsC, int64_t nr, const uk_epi *e) {
  UK_TILE_COLS
  int64_t k;
  UK_FEW(UK_DECL)
  for (k = 0; k < K; ++k, bp += UK_NR) {
    /* a packed panel is zero padded to NR columns: whole loads */
    const __m512 b0 = _mm512_loadu_ps(bp);
    _mm_prefetch((const char *)(bp + UK_FEW_PF), _MM_HINT_T0);
    _mm_prefetch((const char *)(bp + UK_FEW_PF + 16), _MM_HINT_T0);
    const __m512 b1 = NV > 1 ? _mm512_loadu_ps(bp + 16) : b0;
    UK_FEW(UK_FEW_FMA)
  }
  UK_LOAD_COL_BIAS
  UK_FEW(UK_OUT)
}
#define UK_FEW_CASE(r) UK_TILE_CASE(uk_few_tile, r, K, a, rsA, bp, c, rsC, nr, e)
static void uk_few_rows(int64_t K, const float *a, int64_t rsA, const float *bp, float *c,
                        int64_t rsC, int64_t mr, int64_t nr, const uk_epi *e) {
  switch (mr) { UK_FEW(UK_FEW_CASE) }
}

/* ---- Depthwise -------------------------------------------------------------------------------
 * Up to 4 chunks of 16 outputs of one row accumulate in registers over all taps. The rows are
 * zero-padded copies (ukernel_driver.h), so every load is a whole unmasked vector; stride 2
 * loads the 32 contiguous inputs of a chunk and keeps the even ones. */

/* A block is up to 4 vectors ("slots") of outputs: NCH consecutive chunks of each of NV/NCH
 * consecutive rows. Wide rows take 4 chunks of one row; rows of at most 2 vectors take 2 or 4
 * rows at once, so narrow planes still fill the registers and overlap their FMA chains.
 * Slot v covers outputs from chunk v % NCH of row v / NCH. */
#define UK_DW_SLOTS(X) X(0) X(1) X(2) X(3)
#define UK_DW_DECL(v) __m512 acc##v = _mm512_setzero_ps();
#define UK_DW_FMA(v)                                                                             \
  if (NV > v)                                                                                    \
    acc##v = _mm512_fmadd_ps(uk_dw_ld(S, q + (v / NCH) * ris + (v % NCH) * 16 * S), wv, acc##v);
#define UK_DW_OUT(v)                                                                             \
  if (NV > v)                                                                                    \
    uk_dw_out(o + (v / NCH) * g->OW + (v % NCH) * 16, acc##v, left - (v % NCH) * 16, bias, e);

UK_INLINE __m512 uk_dw_ld(const int S, const float *p) {
  if (S == 1) return _mm512_loadu_ps(p);
  return _mm512_permutex2var_ps(_mm512_loadu_ps(p), UK_EVEN_LANES, _mm512_loadu_ps(p + 16));
}

UK_INLINE void uk_dw_out(float *o, __m512 x, int64_t left, float bias, const uk_epi *e) {
  const __mmask16 om = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
  x = _mm512_add_ps(x, _mm512_set1_ps(bias));
  if (e->load_c) x = _mm512_add_ps(x, _mm512_maskz_loadu_ps(om, o));
  if (e->clamp_lo) x = _mm512_max_ps(x, _mm512_set1_ps(e->lo));
  if (e->clamp_hi) x = _mm512_min_ps(x, _mm512_set1_ps(e->hi));
  _mm512_mask_storeu_ps(o, om, x);
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
      const __m512 wv = _mm512_set1_ps(wk[kw]);
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
  if (OW <= 16) { /* one chunk per row: slots are rows */
    for (; i < nout; i += 4) {
      const float *x0 = x + i * ris;
      float *o = out + i * OW;
      UK_DW_DISPATCH(uk_min(4, nout - i), 1)
    }
    return;
  }
  if (OW <= 2 * 16) { /* two chunks per row: pairs of rows, then a last single row */
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
    for (o0 = 0; o0 < OW; o0 += 4 * 16) {
      const float *x0 = x + i * ris + o0 * g->sW;
      float *o = out + i * OW + o0;
      const int64_t left = OW - o0;
      UK_DW_DISPATCH(uk_min(4, (OW - o0 + 15) / 16), 0)
    }
}

/* ---- 3x3 and 5x5 depthwise in place, stride 1 or 2 -------------------------------------------
 * MobileNet's and EfficientNet's depthwise layers. The input rows are read where they are:
 * taps left or right of the image are masked lanes (masks per chunk and load, computed once per
 * call), rows above or below it are skipped. Copying zero-padded rows first (uk_dw_padded) cost
 * 40% of the call, as much as the FMAs. A block walks its input rows once: each row's KK tap
 * vectors are loaded once and feed every output row that reads the row (KK at stride 1), and
 * the weights stay in registers, so 16 outputs cost their KK*KK FMAs and a few loads, where
 * the row strips load once per FMA and ran below a fifth of the FMA peak (5x5: 36-45 -> 63-80
 * GFLOP/s in ukernel_bench). */
enum { UK_DWK_MAX = 5 }; /* widest kernel taken in place */

/* Lanes i < n of a vector loaded from column c0 whose column c0 + i is inside [0, W). */
static inline __mmask16 uk_lanes_inside(int64_t c0, int64_t W, int64_t n) {
  const int64_t lo = uk_max(0, -c0), hi = uk_min(uk_min(16, n), W - c0);
  return hi <= lo ? (__mmask16)0 : (__mmask16)(((1u << hi) - 1) & ~((1u << lo) - 1));
}

UK_INLINE void uk_dwk_ip_block(const int KK, const int RO, const int NCH, int64_t H, int64_t W,
                               int64_t ih0, const float *col0, __mmask16 (*m)[UK_DWK_MAX],
                               const __m512 *wv, float *o, int64_t OW, int64_t left, float bias,
                               const uk_epi *e) {
  __m512 acc[8], s[UK_DWK_MAX];
  int ir, c, r, kw;
#pragma GCC unroll 8
  for (r = 0; r < RO * NCH; ++r) acc[r] = _mm512_setzero_ps();
#pragma GCC unroll 16
  for (ir = 0; ir < RO + KK - 1; ++ir) {
    const int64_t ih = ih0 + ir;
    if (ih < 0 || ih >= H) continue;
#pragma GCC unroll 2
    for (c = 0; c < NCH; ++c) {
      const float *p = col0 + ih * W + c * 16;
#pragma GCC unroll 5
      for (kw = 0; kw < KK; ++kw) s[kw] = _mm512_maskz_loadu_ps(m[c][kw], p + kw);
#pragma GCC unroll 8
      for (r = 0; r < RO; ++r) {
        const int kh = ir - r;
        if (kh >= 0 && kh < KK) {
          __m512 a = acc[r * NCH + c];
#pragma GCC unroll 5
          for (kw = 0; kw < KK; ++kw) a = _mm512_fmadd_ps(s[kw], wv[kh * KK + kw], a);
          acc[r * NCH + c] = a;
        }
      }
    }
  }
#pragma GCC unroll 8
  for (r = 0; r < RO; ++r)
#pragma GCC unroll 2
    for (c = 0; c < NCH; ++c)
      uk_dw_out(o + r * OW + c * 16, acc[r * NCH + c], left - c * 16, bias, e);
}

/* Stride 2: output ow's taps are input columns 2ow + kw - padL. Per input row and chunk, the 32
 * columns from the chunk's first tap, and from 2, 4, ... further on, are loaded (masked at the
 * image's edges) and their even and odd lanes picked out: taps 0 and 1, 2 and 3, 4. Up to
 * (KK + 1) / 2 output rows read each input row. */
UK_INLINE void uk_dwks2_ip_block(const int KK, const int RO, int64_t H, int64_t W, int64_t ih0,
                                 const float *col0, const __mmask16 *m, const __m512 *wv,
                                 float *o, int64_t OW, int64_t left, float bias,
                                 const uk_epi *e) {
  const __m512i ev = UK_EVEN_LANES, od = UK_ODD_LANES;
  __m512 acc[8], s[UK_DWK_MAX];
  int ir, r, kw, h;
#pragma GCC unroll 8
  for (r = 0; r < RO; ++r) acc[r] = _mm512_setzero_ps();
#pragma GCC unroll 24
  for (ir = 0; ir < 2 * (RO - 1) + KK; ++ir) {
    const int64_t ih = ih0 + ir;
    const float *p;
    if (ih < 0 || ih >= H) continue;
    p = col0 + ih * W;
#pragma GCC unroll 3
    for (h = 0; h < (KK + 1) / 2; ++h) { /* taps 2h and 2h + 1 */
      const __m512 lo = _mm512_maskz_loadu_ps(m[2 * h], p + 2 * h),
                   hi = _mm512_maskz_loadu_ps(m[2 * h + 1], p + 2 * h + 16);
      s[2 * h] = _mm512_permutex2var_ps(lo, ev, hi);
      if (2 * h + 1 < KK) s[2 * h + 1] = _mm512_permutex2var_ps(lo, od, hi);
    }
#pragma GCC unroll 8
    for (r = 0; r < RO; ++r) {
      const int kh = ir - 2 * r;
      if (kh >= 0 && kh < KK) {
        __m512 a = acc[r];
#pragma GCC unroll 5
        for (kw = 0; kw < KK; ++kw) a = _mm512_fmadd_ps(s[kw], wv[kh * KK + kw], a);
        acc[r] = a;
      }
    }
  }
#pragma GCC unroll 8
  for (r = 0; r < RO; ++r) uk_dw_out(o + r * OW, acc[r], left, bias, e);
}

#define UK_DWK_CASE(ro, nch)                                                                     \
  case ro * 4 + nch:                                                                             \
    uk_dwk_ip_block(KK, ro, nch, H, W, ih0, col0, m + q, wv, o, OW, left, b, e);                 \
    break;
#define UK_DWKS2_CASE(ro)                                                                        \
  case ro:                                                                                       \
    uk_dwks2_ip_block(KK, ro, H, W, ih0, col0, m2[q], wv, o, OW, left, b, e);                    \
    break;

enum { UK_DWK_MAX_CHUNKS = 64 }; /* rows of up to 1024 outputs */

/* One plane, KK a compile-time constant: its KK*KK weights stay in registers (with one
 * function for both sizes the 25-entry array lived on the stack, and 3x3 ran 9% slower). */
UK_INLINE void uk_dwk_plane(const int KK, const float *plane, const float *wc, float b,
                            float *out, const uk_dwg *g, __mmask16 (*m)[UK_DWK_MAX],
                            __mmask16 (*m2)[2 * UK_DWK_MAX], const uk_epi *e) {
  const int64_t H = g->H, W = g->W, OH = g->OH, OW = g->OW, chunks = (OW + 15) / 16;
  __m512 wv[UK_DWK_MAX * UK_DWK_MAX];
  int64_t q, oh;
  int i;
  for (i = 0; i < KK * KK; ++i) wv[i] = _mm512_set1_ps(wc[i]);
  if (g->sW == 2) { /* 8 rows of one chunk */
    for (q = 0; q < chunks; ++q) {
      const float *col0 = plane + 32 * q - g->padL;
      for (oh = 0; oh < OH; oh += 8) {
        const int64_t ih0 = 2 * oh - g->padT, left = OW - q * 16;
        float *o = out + oh * OW + q * 16;
        switch (uk_min(8, OH - oh)) {
          UK_DWKS2_CASE(1) UK_DWKS2_CASE(2) UK_DWKS2_CASE(3) UK_DWKS2_CASE(4)
          UK_DWKS2_CASE(5) UK_DWKS2_CASE(6) UK_DWKS2_CASE(7) UK_DWKS2_CASE(8)
        }
      }
    }
    return;
  }
  /* 8 rows of one chunk, or 4 rows of a chunk pair */
  for (q = 0; q < chunks; q += 2) {
    const int64_t n = uk_min(2, chunks - q), ro = n == 1 ? 8 : 4;
    const float *col0 = plane + q * 16 - g->padL;
    for (oh = 0; oh < OH; oh += ro) {
      const int64_t ih0 = oh - g->padT, left = OW - q * 16;
      float *o = out + oh * OW + q * 16;
      switch (uk_min(ro, OH - oh) * 4 + n) {
        UK_DWK_CASE(1, 1) UK_DWK_CASE(2, 1) UK_DWK_CASE(3, 1) UK_DWK_CASE(4, 1)
        UK_DWK_CASE(5, 1) UK_DWK_CASE(6, 1) UK_DWK_CASE(7, 1) UK_DWK_CASE(8, 1)
        UK_DWK_CASE(1, 2) UK_DWK_CASE(2, 2) UK_DWK_CASE(3, 2) UK_DWK_CASE(4, 2)
      }
    }
  }
}

/* 3x3 and 5x5 (MobileNetV3's and EfficientNet's) depthwise layers, stride 1 or 2. */
static int uk_dwk_inplace(int64_t np, int64_t C, const float *in, float *out, const float *w,
                          const float *bias, const uk_dwg *g, const uk_epi *e) {
  const int64_t H = g->H, W = g->W, OH = g->OH, OW = g->OW, chunks = (OW + 15) / 16;
  const int64_t KK = g->KH;
  const int s2 = g->sH == 2 && g->sW == 2;
  __mmask16 m[UK_DWK_MAX_CHUNKS][UK_DWK_MAX], m2[UK_DWK_MAX_CHUNKS][2 * UK_DWK_MAX];
  int64_t p, q;
  int kw;
  /* Rows narrower than half a vector waste most lanes here; at stride 1 the flattened planes
   * below then fill them (DS-CNN's 25 x 5 planes ran 13% slower in place). */
  if ((KK != 3 && KK != 5) || g->KW != KK || g->dH != 1 || g->dW != 1 ||
      !(s2 || (g->sH == 1 && g->sW == 1)) || chunks > UK_DWK_MAX_CHUNKS || (!s2 && OW < 8))
    return 0;
  /* lanes whose input column is inside the image: stride 1 per tap column; stride 2 per load
   * (16 columns from 32q - padL + 2h, and 16 further) */
  for (q = 0; q < chunks; ++q)
    for (kw = 0; kw < (s2 ? 2 * ((KK + 1) / 2) : KK); ++kw) {
      const int64_t c0 = s2 ? 32 * q - g->padL + (kw & 1) * 16 + (kw >> 1) * 2
                            : q * 16 + kw - g->padL;
      if (s2) m2[q][kw] = uk_lanes_inside(c0, W, 16);
      else m[q][kw] = uk_lanes_inside(c0, W, OW - q * 16);
    }
  for (p = 0; p < np; ++p) {
    const float *plane = in + p * H * W, *wc = w + (p % C) * KK * KK;
    const float b = bias ? bias[p % C] : 0.0f;
    if (KK == 3)
      uk_dwk_plane(3, plane, wc, b, out + p * OH * OW, g, m, m2, e);
    else
      uk_dwk_plane(5, plane, wc, b, out + p * OH * OW, g, m, m2, e);
  }
  return 1;
}

/* ---- Max pooling ------------------------------------------------------------------------------
 * 16 outputs of a row per vector, each tap one load (stride 2: two, even lanes kept) with the
 * lanes outside the image masked to -inf, masks per chunk and tap column computed once per
 * call. maxps drops a NaN in its first operand, so NaNs are tracked in a mask and put back. */
enum { UK_MP_MAX_CHUNKS = 64, UK_MP_MAX_KW = 8 };

static int uk_maxpool_planes(int64_t np, const float *in, float *out, int64_t H, int64_t W,
                             int64_t OH, int64_t OW, int64_t KH, int64_t KW, int64_t sH,
                             int64_t sW, int64_t dH, int64_t dW, int64_t padT, int64_t padL) {
  const int64_t chunks = (OW + 15) / 16;
  const __m512 ninf = _mm512_set1_ps(-UK_INF), nan = _mm512_set1_ps(__builtin_nanf(""));
  const __m512i ev = UK_EVEN_LANES;
  __mmask16 m[UK_MP_MAX_CHUNKS][UK_MP_MAX_KW][2];
  int64_t p, oh, q, kh, kw, h;
  if (sW > 2 || chunks > UK_MP_MAX_CHUNKS || KW > UK_MP_MAX_KW) return 0;
  for (q = 0; q < chunks; ++q)
    for (kw = 0; kw < KW; ++kw)
      for (h = 0; h < 2; ++h) /* the load at 16h past the tap (stride 1: h = 0 only) */
        m[q][kw][h] = uk_lanes_inside(q * 16 * sW + kw * dW - padL + 16 * h, W, 16);
  for (p = 0; p < np; ++p) {
    const float *plane = in + p * H * W;
    for (oh = 0; oh < OH; ++oh) {
      const int64_t ih0 = oh * sH - padT;
      float *o = out + (p * OH + oh) * OW;
      for (q = 0; q < chunks; ++q) {
        const int64_t left = OW - q * 16;
        __m512 acc = ninf;
        __mmask16 nans = 0;
        for (kh = 0; kh < KH; ++kh) {
          const int64_t ih = ih0 + kh * dH;
          const float *row;
          if (ih < 0 || ih >= H) continue;
          row = plane + ih * W + q * 16 * sW - padL;
          for (kw = 0; kw < KW; ++kw) {
            const float *s = row + kw * dW;
            __m512 x = _mm512_mask_loadu_ps(ninf, m[q][kw][0], s);
            if (sW == 2)
              x = _mm512_permutex2var_ps(x, ev, _mm512_mask_loadu_ps(ninf, m[q][kw][1], s + 16));
            nans |= _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q);
            acc = _mm512_max_ps(acc, x);
          }
        }
        _mm512_mask_storeu_ps(o + q * 16,
                              left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1),
                              _mm512_mask_mov_ps(acc, nans, nan));
      }
    }
  }
  return 1;
}

/* ---- Depthwise on flattened planes ---------------------------------------------------------
 * Stride 1 with 'same' output size (OH = H, OW = W): output i = oh*W + ow of a plane reads
 * input i + (kh*dH - padT)*W + (kw*dW - padL), so every tap is one contiguous stream over the
 * whole plane, 16 outputs per vector whatever W is. Small planes (keyword spotting's 25 x 5,
 * MobileNet's 7 x 7) then cost about KH*KW FMAs per 16 outputs, where the row strips waste
 * most lanes of each vector on rows shorter than 16. The planes are read in place: a lane
 * whose tap falls outside the image (a row above or below it, or a column that wraps into the
 * neighbouring row) is masked off. The masks depend only on the output position, so the loop
 * runs group (4 vectors of outputs) by group, and each group's per-tap masks, made once, serve
 * every plane: a tap costs a mask load, a masked load and an FMA per vector. Copying each
 * plane between zero guard rows first took 3.1 us for DS-CNN's 64 planes of 25 x 5 (this:
 * 2.8), and ANDing a row and a column mask per tap in the inner loop 3.4. */
/* Planes of up to 1024 outputs: on wider ones (a 7x7 kernel on 56x56 or 112x112) the row
 * strips, whose masks stay in registers along a row, ran 25-40% faster. */
enum { UK_DWP_MAX_TAPS = 64, UK_DWP_MAX_OUTPUTS = 1024 };

static int uk_dw_planes(int64_t np, int64_t C, const float *in, float *out, const float *w,
                        const float *bias, const uk_dwg *g, const uk_epi *e) {
  __mmask16 mask[UK_DWP_MAX_TAPS][4], rmask[UK_DWP_MAX_TAPS][4], cmask[UK_DWP_MAX_TAPS][4];
  int64_t off[UK_DWP_MAX_TAPS];
  const int64_t H = g->H, W = g->W, P = H * W, KH = g->KH, KW = g->KW, T = KH * KW;
  int64_t p, c, kh, kw, t, j, i;
  if (uk_dwk_inplace(np, C, in, out, w, bias, g, e)) return 1;
  if (g->sH != 1 || g->sW != 1 || g->OH != H || g->OW != W || T > UK_DWP_MAX_TAPS ||
      P > UK_DWP_MAX_OUTPUTS)
    return 0;
  for (kh = 0; kh < KH; ++kh)
    for (kw = 0; kw < KW; ++kw)
      off[kh * KW + kw] = (kh * g->dH - g->padT) * W + kw * g->dW - g->padL;
  for (c = 0; c < P; c += 64) {
    const int64_t n = uk_min(4, (P - c + 15) / 16);
    for (j = 0; j < 4; ++j) { /* lane i of vector j: output c + 16j + i */
      int64_t col = (c + 16 * j) % W, row = (c + 16 * j) / W;
      for (kh = 0; kh < KH; ++kh) rmask[kh][j] = 0;
      for (kw = 0; kw < KW; ++kw) cmask[kw][j] = 0;
      for (i = 0; i < 16 && c + 16 * j + i < P; ++i) {
        for (kh = 0; kh < KH; ++kh) {
          const int64_t src = row + kh * g->dH - g->padT;
          if (src >= 0 && src < H) rmask[kh][j] |= (__mmask16)(1u << i);
        }
        for (kw = 0; kw < KW; ++kw) {
          const int64_t src = col + kw * g->dW - g->padL;
          if (src >= 0 && src < W) cmask[kw][j] |= (__mmask16)(1u << i);
        }
        if (++col == W) col = 0, ++row;
      }
      for (kh = 0; kh < KH; ++kh)
        for (kw = 0; kw < KW; ++kw) mask[kh * KW + kw][j] = rmask[kh][j] & cmask[kw][j];
    }
    for (p = 0; p < np; ++p) {
      const float *wc = w + (p % C) * T, *ip = in + p * P + c;
      float *op = out + p * P + c;
      /* four independent accumulators hide the FMA latency (four variables, not an array
       * indexed in a store loop: that kept them on the stack, a store and a reload around
       * every FMA, and the 25 x 5 and 7 x 7 layers ran 8-10% slower) */
      const float b = bias ? bias[p % C] : 0.0f;
      __m512 acc0 = _mm512_setzero_ps(), acc1 = acc0, acc2 = acc0, acc3 = acc0;
      for (t = 0; t < T; ++t) {
        /* (the address of a masked-off lane may lie outside the plane; it is never read) */
        const float *src = ip + off[t];
        const __m512 wv = _mm512_set1_ps(wc[t]);
        acc0 = _mm512_fmadd_ps(wv, _mm512_maskz_loadu_ps(mask[t][0], src), acc0);
        acc1 = _mm512_fmadd_ps(wv, _mm512_maskz_loadu_ps(mask[t][1], src + 16), acc1);
        acc2 = _mm512_fmadd_ps(wv, _mm512_maskz_loadu_ps(mask[t][2], src + 32), acc2);
        acc3 = _mm512_fmadd_ps(wv, _mm512_maskz_loadu_ps(mask[t][3], src + 48), acc3);
      }
      uk_dw_out(op, acc0, P - c, b, e);
      if (n > 1) uk_dw_out(op + 16, acc1, P - c - 16, b, e);
      if (n > 2) uk_dw_out(op + 32, acc2, P - c - 32, b, e);
      if (n > 3) uk_dw_out(op + 48, acc3, P - c - 48, b, e);
    }
  }
  return 1;
}

#if defined(UK_POP_TARGET)
#pragma clang attribute pop
#endif

#else
/* ISO C wants a declaration in every translation unit. */
typedef int onnxc_uk_avx512_unavailable;
#endif /* x86-64 */
