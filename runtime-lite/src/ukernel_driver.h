/* ISA-independent half of the runtime-lite microkernels (see include/onnxc/ukernel.h):
 * operand packing (A/B blocks from strided matrices, im2col straight into packed-B panels),
 * the cache-blocking loop nest, epilogue bookkeeping, and a portable depthwise path.
 *
 * Included once by each src/ukernel_<isa>.c after it defines
 *   UK_ISA  symbol suffix (avx512, avx2, neon, generic)
 *   UK_MR, UK_NR  register block (must equal ONNXC_UK_<ISA>_MR/NR: they fix the packed layout)
 * and, after the include, defines the two per-ISA pieces declared below: uk_micro (the
 * register microkernel) and uk_dw_strip (depthwise output rows from zero-padded input rows).
 * Everything here is static, so each ISA's translation unit gets its own copy compiled with
 * that file's target flags. Freestanding: no libc, no globals written. */
#ifndef ONNXC_UKERNEL_DRIVER_H
#define ONNXC_UKERNEL_DRIVER_H

#include "onnxc/ukernel.h"
#include "ukernel_split.h"

#ifndef UK_CONV_DIRECT
#define UK_CONV_DIRECT 0 /* (must match the header's ONNXC_UK_<ISA>_DIRECT) */
#endif

#if !defined(UK_ISA) || !defined(UK_MR) || !defined(UK_NR)
#error "define UK_ISA, UK_MR and UK_NR before including ukernel_driver.h"
#endif

#define UK_CAT_(a, b) a##b
#define UK_CAT(a, b) UK_CAT_(a, b)
#define UK_PUBLIC(name) UK_CAT(name, UK_ISA)

#if defined(__GNUC__) || defined(__clang__)
#define UK_INF (__builtin_inff())
#define UK_INLINE static inline __attribute__((always_inline))
#define UK_UNUSED __attribute__((unused))
#else
#define UK_UNUSED
#define UK_INF (1e30f * 1e30f)
#define UK_INLINE static inline
#endif

/* What a kernel does to its tile after the products: out = clamp(c0 + acc + bias), c0 the old
 * C when load_c. The driver clears bias and clamping on all but the last K block. */
typedef struct {
  const float *bias; /* at the tile origin: bias[j] (kind 1) or bias[i] (kind 2); NULL: none */
  int bias_kind;
  int load_c;
  int clamp_lo, clamp_hi;
  float lo, hi;
  /* Not the epilogue: the packed weight panel the driver will use next (NULL: none), which
   * a register kernel may prefetch as it goes, pf_floats per k step. Weights come cold from
   * DRAM/L3, and when few tiles share a panel (7 x 7 convolutions: two) the hardware
   * prefetcher alone left the kernel waiting on them. */
  const float *pf;
  int64_t pf_floats;
  /* Floats between consecutive k rows of the B operand uk_micro reads: UK_NR for a packed
   * panel; an ISA defining UK_DIRECT_B also takes a matrix's own row stride (rows in place). */
  int64_t ldb;
  /* Nonzero: the tile is stored transposed, C(i, j) at c[j*rsC + i] (a convolution with output
   * pixels as rows, onnxc_uk_conv_pixel_rows); only bias kind 1 then. An ISA whose uk_micro
   * does this defines UK_HAVE_CT; for the others uk_tile_t transposes through memory. */
  int ct;
  /* NULL, or A is read in place: row k of the tile's A starts at ap + aoff[k] (an ISA defining
   * UK_CONV_DIRECT; uk_conv_direct). */
  const int32_t *aoff;
} uk_epi;

/* Depthwise geometry (one plane = one (n, c) image). */
typedef struct {
  int64_t H, W, OH, OW, KH, KW, sH, sW, dH, dW, padT, padL;
} uk_dwg;

/* acc = sum over k < kc of ap[k*MR + r] * bp[k*NR + j]; writes rows r < mr, columns j < nr of
 * c (row stride rsC) through the epilogue. ap/bp are full MR/NR panels (zero padded). */
static void uk_micro(int64_t kc, const float *ap, const float *bp, float *c, int64_t rsC,
                     int64_t mr, int64_t nr, const uk_epi *e);
/* Depthwise output rows 0..nout-1 of a strip: out[i][ow] = epilogue(bias + sum over kh < KH,
 * kw < KW of x[(i*sH + kh*dH)*PW + ow*sW + kw*dW] * wc[kh*KW + kw]), out row i at
 * out + i*OW. x is a zero-padded copy of the strip's input rows (column c of a row holds input
 * column c - padL), PW = uk_dw_padded_width(g) floats apart; every row is readable up to
 * index PW - 1, which covers whole vectors of UK_DW_V outputs. */
static void uk_dw_strip(const float *x, int64_t PW, int64_t nout, const float *wc,
                        const uk_dwg *g, float *out, float bias, const uk_epi *e);
#if defined(UK_HAVE_DW_PLANES)
/* Optional, per ISA: depthwise over whole planes for shapes it takes (returns 0 otherwise),
 * tried before the strip path. */
static int uk_dw_planes(int64_t np, int64_t C, const float *in, float *out, const float *w,
                        const float *bias, const uk_dwg *g, const uk_epi *e);
#endif

static inline int64_t uk_min(int64_t a, int64_t b) { return a < b ? a : b; }
static inline int64_t uk_max(int64_t a, int64_t b) { return a > b ? a : b; }
/* ceil(a / b) for b > 0 and any sign of a. */
static inline int64_t uk_ceil_div(int64_t a, int64_t b) {
  if (b == 1) return a; /* strides and dilations are mostly 1: skip the division */
  return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

/* Copies and clears of 16 floats: an ISA file may define these with its vector registers
 * before including this header; the portable fallback has a fixed trip count so compilers
 * vectorise it. (Build with -ffreestanding so no compiler turns these loops into memset or
 * memcpy calls, which a freestanding runtime does not have.) */
#ifndef UK_COPY16
#define UK_COPY16(d, s)                                                                          \
  do {                                                                                           \
    int t_;                                                                                      \
    for (t_ = 0; t_ < 16; ++t_) (d)[t_] = (s)[t_];                                               \
  } while (0)
#endif
#ifndef UK_ZERO16
#define UK_ZERO16(d)                                                                             \
  do {                                                                                           \
    int t_;                                                                                      \
    for (t_ = 0; t_ < 16; ++t_) (d)[t_] = 0.0f;                                                  \
  } while (0)
#endif

/* The last n < 16 floats; ISAs with masked loads/stores do them in one go. */
#ifndef UK_COPY_TAIL
#define UK_COPY_TAIL(d, s, n)                                                                    \
  do {                                                                                           \
    int64_t t_;                                                                                  \
    for (t_ = 0; t_ < (n); ++t_) (d)[t_] = (s)[t_];                                              \
  } while (0)
#endif
#ifndef UK_ZERO_TAIL
#define UK_ZERO_TAIL(d, n)                                                                       \
  do {                                                                                           \
    int64_t t_;                                                                                  \
    for (t_ = 0; t_ < (n); ++t_) (d)[t_] = 0.0f;                                                 \
  } while (0)
#endif

static inline void uk_zero(float *d, int64_t n) {
  for (; n >= 16; n -= 16, d += 16) UK_ZERO16(d);
  if (n > 0) UK_ZERO_TAIL(d, n);
}

static inline void uk_copy(float *d, const float *s, int64_t n) {
  for (; n >= 16; n -= 16, d += 16, s += 16) UK_COPY16(d, s);
  if (n > 0) UK_COPY_TAIL(d, s, n);
}

static inline float uk_epi1(float acc, const float *cold, float bias, const uk_epi *e) {
  float v = acc + bias;
  if (e->load_c) v += *cold;
  if (e->clamp_lo) v = v > e->lo ? v : e->lo;
  if (e->clamp_hi) v = v < e->hi ? v : e->hi;
  return v;
}

/* Writes an mr x nr corner of a register tile kept in memory (row stride ld) through the
 * epilogue; partial tiles of ISAs without masked stores go through here. */
UK_UNUSED static void uk_store_tile(const float *acc, int64_t ld, float *c, int64_t rsC, int64_t mr,
                          int64_t nr, const uk_epi *e) {
  int64_t i, j;
  for (i = 0; i < mr; ++i) {
    float *cr = c + i * rsC;
    float rb = e->bias && e->bias_kind == 2 ? e->bias[i] : 0.0f;
    for (j = 0; j < nr; ++j) {
      float b = e->bias && e->bias_kind == 1 ? e->bias[j] : rb;
      cr[j] = uk_epi1(acc[i * ld + j], cr + j, b, e);
    }
  }
}

/* ---- Packing ---------------------------------------------------------------------------- */

/* Rows i0..i0+mc-1, columns p0..p0+kc-1 of a strided A into MR-row panels of kc rows. */
static void uk_pack_a(const float *a, int64_t rsA, int64_t csA, int64_t i0, int64_t mc,
                      int64_t p0, int64_t kc, float *dst) {
  int64_t ip, k, r;
  for (ip = 0; ip < mc; ip += UK_MR) {
    int64_t mr = uk_min(UK_MR, mc - ip);
    const float *src = a + (i0 + ip) * rsA + p0 * csA;
    float *d = dst + ip * kc;
    if (mr == UK_MR && csA == 1) {
      /* Row-major A: an ISA may transpose 16-column slices in registers (UK_PACK_A_ROWS
       * returns how many columns it did); the rest walks each row contiguously. */
      int64_t k0 = 0;
#ifdef UK_PACK_A_ROWS
      k0 = UK_PACK_A_ROWS(d, src, rsA, kc);
#endif
      for (r = 0; r < UK_MR; ++r) {
        const float *s = src + r * rsA;
        for (k = k0; k < kc; ++k) d[k * UK_MR + r] = s[k];
      }
      continue;
    }
    for (k = 0; k < kc; ++k) {
      for (r = 0; r < mr; ++r) d[k * UK_MR + r] = src[r * rsA + k * csA];
      for (; r < UK_MR; ++r) d[k * UK_MR + r] = 0.0f;
    }
  }
}

/* Rows p0..p0+kc-1, columns j0..j0+nc-1 of a strided B into NR-column panels of kc rows. */
static void uk_pack_b(const float *b, int64_t rsB, int64_t csB, int64_t p0, int64_t kc,
                      int64_t j0, int64_t nc, float *dst) {
  int64_t jp, k, t;
  for (jp = 0; jp < nc; jp += UK_NR) {
    int64_t nr = uk_min(UK_NR, nc - jp);
    const float *src = b + p0 * rsB + (j0 + jp) * csB;
    float *d = dst + jp * kc;
    if (nr == UK_NR && csB == 1) {
      for (k = 0; k < kc; ++k) uk_copy(d + k * UK_NR, src + k * rsB, UK_NR);
    } else if (rsB == 1 && csB != 1) {
      /* Transposed B: each column is contiguous in k. */
      for (t = 0; t < nr; ++t)
        for (k = 0; k < kc; ++k) d[k * UK_NR + t] = src[t * csB + k];
      for (; t < UK_NR; ++t)
        for (k = 0; k < kc; ++k) d[k * UK_NR + t] = 0.0f;
    } else {
      for (k = 0; k < kc; ++k) {
        float *dk = d + k * UK_NR;
        for (t = 0; t < nr; ++t) dk[t] = src[k * rsB + t * csB];
        for (; t < UK_NR; ++t) dk[t] = 0.0f;
      }
    }
  }
}

/* The B operand of a convolution: the im2col matrix of one group of one image, K = Cg*KH*KW
 * rows (k = (c*KH + kh)*KW + kw), N = OH*OW columns. */
typedef struct {
  const float *in; /* first channel of the group */
  int64_t H, W, OW, KH, KW, sH, sW, dH, dW, padT, padL;
  /* NULL, or for an unpadded input: offset of output pixel j's top-left tap in a plane, for
   * every column (small strided convolutions: each im2col row is then one gather) */
  const uint16_t *tap0; /* < Hp*Wp <= UK_PAD_BUF */
} uk_im2col;

/* n columns j.. of one im2col row that share output row oh and one panel, into d. */
static void uk_im2col_piece(const uk_im2col *g, const float *plane, int64_t ih, int64_t ow,
                            int64_t kw, int64_t n, float *d) {
  int64_t t, iw0;
  const float *row;
  if (ih < 0 || ih >= g->H) {
    uk_zero(d, n);
    return;
  }
  row = plane + ih * g->W;
  iw0 = ow * g->sW + kw * g->dW - g->padL;
  {
    /* t < left: left of the image; t >= end: right of it */
    const int64_t sW = g->sW;
    /* (divisions only for pieces that touch a border) */
    const int64_t left = iw0 >= 0 ? 0 : uk_min(n, uk_ceil_div(-iw0, sW));
    const int64_t end =
        iw0 + (n - 1) * sW < g->W ? n : uk_max(left, uk_min(n, uk_ceil_div(g->W - iw0, sW)));
    uk_zero(d, left);
    if (sW == 1) {
      uk_copy(d + left, row + iw0 + left, end - left);
    } else {
      const float *s = row + iw0 + left * sW;
      t = left;
#ifdef UK_COPY16_S2
      /* 16 outputs read 32 inputs: only while the 32nd is still inside the row */
      if (sW == 2)
        for (; t + 16 <= end && iw0 + 2 * (t + 15) + 1 < g->W; t += 16, s += 32)
          UK_COPY16_S2(d + t, s);
#endif
#ifdef UK_COPY_S2_TAIL
      /* the last (at most 16) outputs read just their 2n - 1 inputs: the scalar loop below
       * was 3% of ResNet-50, in its stride-2 convolutions' row ends */
      if (sW == 2 && t < end) {
        UK_COPY_S2_TAIL(d + t, s, end - t);
        t = end;
      }
#endif
      for (; t < end; ++t, s += sW) d[t] = *s;
    }
    uk_zero(d + end, n - end);
  }
}

/* Packs rows p0.. (kc of them), columns j0.. (nc) of the im2col matrix into panels of PNW
 * columns: NR-column B panels, or with PNW = MR the MR-row A panels of its transpose (pixels as
 * rows). Inlined with PNW constant at both call sites. */
UK_INLINE void uk_pack_im2col(const uk_im2col *g, int64_t p0, int64_t kc, int64_t j0,
                              int64_t nc, float *dst, const int64_t PNW) {
  const int64_t KHW = g->KH * g->KW, HW = g->H * g->W, OW = g->OW;
  const int64_t jend = j0 + nc, npan = (nc + PNW - 1) / PNW;
  /* Stride 1 with OW == W: every im2col row is the flat input shifted by a constant, so whole
   * panels are plain copies; only columns whose tap falls left/right of the image (a few per
   * output row) and rows above/below it need zeros. */
  const int flat = g->sH == 1 && g->sW == 1 && OW == g->W;
  int64_t k, q;
  for (k = p0; k < p0 + kc; ++k) {
    int64_t c = k / KHW, kh = (k % KHW) / g->KW, kw = k % g->KW;
    const float *plane = g->in + c * HW;
    float *dk = dst + (k - p0) * PNW;
    if (g->tap0) {
      const float *tap = plane + kh * g->dH * g->W + kw * g->dW;
      for (q = 0; q < npan; ++q) {
        const int64_t a = j0 + q * PNW, n = uk_min(PNW, jend - a);
        float *d = dk + q * PNW * kc;
        int64_t t;
        for (t = 0; t < n; ++t) d[t] = tap[g->tap0[a + t]];
      }
    } else if (flat) {
      int64_t dy = kh * g->dH - g->padT, dx = kw * g->dW - g->padL;
      int64_t shift = dy * g->W + dx;
      /* Output rows whose input row is inside the image, as a column range, also kept to
       * columns whose flat source lies inside the plane. */
      int64_t oh_lo = uk_max(0, -dy), oh_hi = uk_min(uk_ceil_div(jend, OW), g->H - dy);
      int64_t vlo = uk_max(uk_max(j0, oh_lo * OW), -shift);
      int64_t vhi = uk_min(uk_min(jend, oh_hi * OW), HW - shift);
      int64_t ow_lo = uk_max(0, -dx), ow_hi = uk_min(OW, g->W - dx), oh;
      for (q = 0; q < npan; ++q) {
        int64_t a = j0 + q * PNW, b = a + PNW;
        float *d = dk + q * PNW * kc;
        if (a >= vlo && b <= vhi) {
          uk_copy(d, plane + a + shift, PNW);
        } else {
          int64_t lo = uk_min(uk_max(a, vlo), b), hi = uk_max(uk_min(b, vhi), lo);
          uk_zero(d, lo - a);
          uk_copy(d + (lo - a), plane + lo + shift, hi - lo);
          uk_zero(d + (hi - a), b - hi);
        }
      }
      if (ow_hi < ow_lo) ow_hi = ow_lo;
      if (ow_lo > 0 || ow_hi < OW) {
        int64_t r0 = vlo / OW, r1 = uk_ceil_div(vhi, OW);
        for (oh = r0; oh < r1; ++oh) {
          int64_t ow = 0;
          for (; ow < OW; ++ow) {
            int64_t j;
            if (ow == ow_lo) ow = ow_hi; /* skip the valid columns */
            if (ow >= OW) break;
            j = oh * OW + ow;
            if (j >= vlo && j < vhi)
              dk[((j - j0) / PNW) * PNW * kc + (j - j0) % PNW] = 0.0f;
          }
        }
      }
    } else {
      /* Pieces: runs of columns within one output row and one panel. */
      int64_t j = j0, oh = j0 / OW, ow = j0 % OW, tq = 0;
      float *d = dk;
      while (j < jend) {
        int64_t n = uk_min(uk_min(OW - ow, jend - j), PNW - tq);
        uk_im2col_piece(g, plane, oh * g->sH + kh * g->dH - g->padT, ow, kw, n, d + tq);
        j += n;
        ow += n;
        tq += n;
        if (ow == OW) ow = 0, ++oh;
        if (tq == PNW) tq = 0, d += PNW * kc;
      }
    }
    if (nc % PNW) /* zero the padding columns of the last panel */
      uk_zero(dk + (npan - 1) * PNW * kc + nc % PNW, PNW - nc % PNW);
  }
}

/* ---- Loop nest ---------------------------------------------------------------------------- */

enum { UK_B_PACKED, UK_B_STRIDED, UK_B_IM2COL };

typedef struct {
  int kind;
  const float *p;
  int64_t rs, cs;
  const uk_im2col *im;
} uk_bsrc;

/* What tile t of the n tiles that share the current weight panel prefetches of the next one
 * (kc rows of w floats at next; NULL: none): an even share, so the next panel streams in at a
 * steady rate over the whole panel's use. Fetching all of it during the first tile asked for
 * up to 48 KB within a few microseconds, more misses than the cache keeps in flight, and the
 * weights of BERT's and ResNet-50's large layers still arrived late. */
static inline const float *uk_pf_share(const float *next, int64_t kc, int64_t w, int64_t t,
                                       int64_t n, int64_t *pf_floats) {
  const int64_t per = (w + n - 1) / n;
  *pf_floats = per;
  return next && t * per < w ? next + t * per * kc : 0;
}

/* One register tile of C at rows i, columns j (at most MR x NR of the mleft x nleft left),
 * with its bias and the panel to prefetch meanwhile. */
static inline void uk_tile_at(uk_epi *e, const float *bias, float *c, int64_t rsC, int64_t kc,
                              const float *ap, const float *bp, const float *pf,
                              int64_t pf_floats, int64_t i, int64_t j, int64_t mleft,
                              int64_t nleft) {
  e->bias = e->bias_kind == 1 ? bias + j : e->bias_kind == 2 ? bias + i : 0;
  e->pf = pf;
  e->pf_floats = pf_floats;
  uk_micro(kc, ap, bp, c + i * rsC + j, rsC, uk_min(UK_MR, mleft), uk_min(UK_NR, nleft), e);
}

/* C = epilogue(A.B) for K >= 1, columns n0..N-1 of it (n0 a multiple of NR; a task of a
 * split computes its column range): the Goto/BLIS nest with the two inner loops swapped. The B
 * block (KC x NC) is packed once per (jc, pc) and stays in L2 (1.2 MB at 384 x 768); the A
 * block (MC x KC) per (pc, ic); each A micro-panel (MR x KC, 21 KB for AVX-512) stays in L1
 * while the jr loop streams B micro-panels from L2 (measured better than keeping the 48 KB B
 * micro-panel in a 48 KB L1). When B is the pre-packed weights, the two inner loops swap
 * back (see there): those weights arrive cold from DRAM/L3. Scratch: B block first (its size
 * is a multiple of NR*KC floats, so the A block stays 64-byte aligned for the wide ISAs), then
 * the A block. */
static void uk_gemm(int64_t M, int64_t n0, int64_t N, int64_t K, const float *a, int64_t rsA,
                    int64_t csA, int a_packed, const uk_bsrc *B, float *c, int64_t rsC,
                    const float *bias, int64_t bias_kind, float lo, float hi, int accumulate,
                    float *scratch) {
  const int64_t kc0 = uk_min(K, ONNXC_UK_KC);
  float *bbuf = scratch;
  float *abuf = scratch + (B->kind == UK_B_PACKED
                               ? 0
                               : uk_min(onnxc_uk_round_up(N - n0, UK_NR), ONNXC_UK_NC) * kc0);
  /* Even blocks no larger than the header's: 576 = 3 x 192 rather than 256 + 256 + 64, so no
   * block is a short, overhead-dominated remainder. M and N blocks stay multiples of MR / NR
   * (packed panels), and stay within the scratch the header's formula sizes. */
  const int64_t KCb = uk_ceil_div(K, uk_ceil_div(K, ONNXC_UK_KC));
  const int64_t MCb = onnxc_uk_round_up(uk_ceil_div(M, uk_ceil_div(M, ONNXC_UK_MC)), UK_MR);
  const int64_t NCb =
      onnxc_uk_round_up(uk_ceil_div(N - n0, uk_ceil_div(N - n0, ONNXC_UK_NC)), UK_NR);
  /* B read in place when its rows are contiguous and the ISA's kernel takes a row stride
   * (a pointwise convolution's input planes, a row-major run-time matrix), where packing pays
   * less than it costs: few A panels share each packed column (M up to 3 MR), or a K block of
   * rows spans at most 512 KB, so a kernel call's B rows stay within the TLB's reach. Measured
   * on ResNet-50: a K block of 256 rows of 56 x 56 planes (256 pages) ran 25% slower in place;
   * with this rule DS-CNN ran 5% faster, MobileNetV2 2%, ResNet-50 the same. */
#if defined(UK_DIRECT_B)
  const int direct_b = B->kind == UK_B_STRIDED && B->cs == 1 &&
                       (M <= 3 * UK_MR || KCb * B->rs <= 128 * 1024);
#else
  const int direct_b = 0;
#endif
  int64_t jc, pc, ic, jr, ir;
  uk_epi e;
  e.lo = lo;
  e.hi = hi;
  e.pf = 0;
  e.ldb = direct_b ? B->rs : UK_NR;
  e.ct = 0;
  e.aoff = 0;
  /* The A and B micro-panels of the current (jc, pc, ic) block. */
#define A_PANEL(ir) (a_packed ? a + (ic + (ir)) * K + pc * UK_MR : abuf + (ir) * kc)
#define B_PANEL(jr)                                                                              \
  (B->kind == UK_B_PACKED ? B->p + (jc + (jr)) * K + pc * UK_NR                                  \
   : direct_b             ? B->p + pc * B->rs + jc + (jr)                                        \
                          : bbuf + (jr) * kc)
  for (jc = n0; jc < N; jc += NCb) {
    int64_t nc = uk_min(NCb, N - jc);
    for (pc = 0; pc < K; pc += KCb) {
      int64_t kc = uk_min(KCb, K - pc);
      int last = pc + kc == K;
      e.load_c = pc > 0 || accumulate;
      e.clamp_lo = last && lo > -UK_INF;
      e.clamp_hi = last && hi < UK_INF;
      e.bias_kind = last && bias ? (int)bias_kind : 0;
      if (B->kind == UK_B_STRIDED && !direct_b) /* (in place: nothing to pack) */
        uk_pack_b(B->p, B->rs, B->cs, pc, kc, jc, nc, bbuf);
      else if (B->kind == UK_B_IM2COL)
        uk_pack_im2col(B->im, pc, kc, jc, nc, bbuf, UK_NR);
      for (ic = 0; ic < M; ic += MCb) {
        int64_t mc = uk_min(MCb, M - ic);
        if (!a_packed) uk_pack_a(a, rsA, csA, ic, mc, pc, kc, abuf);
        if (B->kind == UK_B_PACKED && mc == M) {
          /* B comes straight from the weights, cold in memory, and this is the only pass
           * over it (one M block: BERT's 128 rows): each B micro-panel is read once and used
           * by every A panel while it is in L1, so its load from DRAM/L3 overlaps MC/MR kernel
           * calls instead of stalling the first (BERT 9% faster). With several M blocks the
           * weights are re-read from cache anyway, and the A-panel-outer order below measured
           * 2.5% faster on 1024^3. */
          for (jr = 0; jr < nc; jr += UK_NR)
            for (ir = 0; ir < mc; ir += UK_MR) {
              const float *bp = B_PANEL(jr);
              /* the next B panel, shared out over the A panels */
              int64_t pff;
              const float *pf = uk_pf_share(jr + UK_NR < nc ? bp + UK_NR * K : 0, kc, UK_NR,
                                            ir / UK_MR, (mc + UK_MR - 1) / UK_MR, &pff);
              uk_tile_at(&e, bias, c, rsC, kc, A_PANEL(ir), bp, pf, pff, ic + ir, jc + jr,
                         mc - ir, nc - jr);
            }
          continue;
        }
        for (ir = 0; ir < mc; ir += UK_MR)
          for (jr = 0; jr < nc; jr += UK_NR) {
            const float *ap = A_PANEL(ir);
            /* the next packed-weight A panel, shared out over the B panels */
            int64_t pff;
            const float *pf = uk_pf_share(a_packed && ir + UK_MR < mc ? ap + UK_MR * K : 0, kc,
                                          UK_MR, jr / UK_NR, (nc + UK_NR - 1) / UK_NR, &pff);
            uk_tile_at(&e, bias, c, rsC, kc, ap, B_PANEL(jr), pf, pff, ic + ir, jc + jr,
                       mc - ir, nc - jr);
          }
      }
    }
  }
}

#undef A_PANEL
#undef B_PANEL

/* uk_tile_at for a tile stored transposed: tile rows i are output pixels, columns j output
 * channels, C(i, j) at c[j*ldc + i]. */
static inline void uk_tile_t(uk_epi *e, const float *bias, float *c, int64_t ldc, int64_t kc,
                             const float *ap, const float *bp, const float *pf,
                             int64_t pf_floats, int64_t i, int64_t j, int64_t mleft,
                             int64_t nleft) {
  const int64_t mr = uk_min(UK_MR, mleft), nr = uk_min(UK_NR, nleft);
  e->bias = e->bias_kind == 1 ? bias + j : 0;
  e->pf = pf;
  e->pf_floats = pf_floats;
#if defined(UK_HAVE_CT)
  e->ct = 1;
  uk_micro(kc, ap, bp, c + j * ldc + i, ldc, mr, nr, e);
#else
  {
    /* the products into a row-major tile, then the epilogue column by column */
    float t[UK_MR * UK_NR];
    uk_epi plain = *e;
    int64_t ii, jj;
    plain.load_c = plain.clamp_lo = plain.clamp_hi = plain.bias_kind = plain.ct = 0;
    plain.bias = 0;
    uk_micro(kc, ap, bp, t, UK_NR, mr, nr, &plain);
    for (jj = 0; jj < nr; ++jj) {
      float *o = c + (j + jj) * ldc + i;
      const float b = e->bias ? e->bias[jj] : 0.0f;
      for (ii = 0; ii < mr; ++ii) o[ii] = uk_epi1(t[ii * UK_NR + jj], o + ii, b, e);
    }
  }
#endif
}

/* Output pixels j0..j1-1 of one group's Fg x P output with the pixels as the GEMM's rows:
 * C^T = im2col^T . W^T (onnxc_uk_conv_pixel_rows). W^T is pre-packed as NR-column panels, so
 * channel tiles are full; im2col^T is packed per K block into MR-row panels for up to NC
 * pixels, and every tile is stored transposed into the NCHW output. The weights come cold, so
 * each of their panels is streamed once per pixel block and used by every pixel panel, with the
 * next panel prefetched meanwhile (the B-panel-outer order of uk_gemm). */
static void uk_conv_pixel_rows(const uk_im2col *im, int64_t Fg, int64_t P, int64_t K,
                               int64_t j0, int64_t j1, const float *w, const float *bias,
                               float *y, float lo, float hi, int accumulate, float *abuf) {
  const int64_t KCb = uk_ceil_div(K, uk_ceil_div(K, ONNXC_UK_KC));
  const int64_t maxm = ONNXC_UK_NC / UK_MR * UK_MR, n = j1 - j0;
  const int64_t MCb = onnxc_uk_round_up(uk_ceil_div(n, uk_ceil_div(n, maxm)), UK_MR);
  int64_t ic, pc, jr, ir;
  uk_epi e;
  e.lo = lo;
  e.hi = hi;
  e.ldb = UK_NR;
  e.ct = 1;
  e.aoff = 0;
  for (ic = j0; ic < j1; ic += MCb) {
    const int64_t mc = uk_min(MCb, j1 - ic);
    for (pc = 0; pc < K; pc += KCb) {
      const int64_t kc = uk_min(KCb, K - pc);
      const int last = pc + kc == K;
      e.load_c = pc > 0 || accumulate;
      e.clamp_lo = last && lo > -UK_INF;
      e.clamp_hi = last && hi < UK_INF;
      e.bias_kind = last && bias ? 1 : 0;
      uk_pack_im2col(im, pc, kc, ic, mc, abuf, UK_MR);
      for (jr = 0; jr < Fg; jr += UK_NR) {
        const float *bp = w + jr * K + pc * UK_NR;
        for (ir = 0; ir < mc; ir += UK_MR) {
          int64_t pff;
          const float *pf = uk_pf_share(jr + UK_NR < Fg ? bp + UK_NR * K : 0, kc, UK_NR,
                                        ir / UK_MR, (mc + UK_MR - 1) / UK_MR, &pff);
          uk_tile_t(&e, bias, y, P, kc, abuf + ir * kc, bp, pf, pff, ic + ir, jr, mc - ir,
                    Fg - jr);
        }
      }
    }
  }
}

/* K == 0: out = clamp((accumulate ? out : 0) + bias). */
static void uk_gemm_k0(int64_t M, int64_t N, float *c, int64_t rsC, const float *bias,
                       int64_t bias_kind, float lo, float hi, int accumulate) {
  uk_epi e;
  int64_t i, j;
  e.load_c = accumulate;
  e.clamp_lo = lo > -UK_INF;
  e.clamp_hi = hi < UK_INF;
  e.lo = lo;
  e.hi = hi;
  e.bias = 0;
  e.bias_kind = 0;
  e.ct = 0;
  e.aoff = 0;
  for (i = 0; i < M; ++i)
    for (j = 0; j < N; ++j) {
      float b = !bias ? 0.0f : bias_kind == 1 ? bias[j] : bias_kind == 2 ? bias[i] : 0.0f;
      c[i * rsC + j] = uk_epi1(0.0f, c + i * rsC + j, b, &e);
    }
}

/* Valid kh range [*lo, *hi) of output row oh (input row inside the image). */
static inline void uk_dw_rows(const uk_dwg *g, int64_t oh, int64_t *ih0, int64_t *lo,
                              int64_t *hi) {
  *ih0 = oh * g->sH - g->padT;
  *lo = uk_max(0, uk_ceil_div(-*ih0, g->dH));
  *hi = uk_min(g->KH, uk_ceil_div(g->H - *ih0, g->dH));
}

/* ---- Portable depthwise --------------------------------------------------------------------
 * Per output row, chunks of up to 64 outputs accumulate in a local buffer; for each tap the
 * outputs whose input column is inside the image form one contiguous range, so the inner loop
 * has no bounds checks (and vectorises for stride 1). */
UK_UNUSED static void uk_dw_planes_generic(int64_t np, int64_t C, const float *in, float *out,
                                 const float *w, const float *bias, const uk_dwg *g,
                                 const uk_epi *e) {
  enum { CH = 64 };
  float acc[CH];
  int64_t p, oh, o0, kh, kw, t;
  for (p = 0; p < np; ++p) {
    const float *ip = in + p * g->H * g->W, *wc = w + (p % C) * g->KH * g->KW;
    float *op = out + p * g->OH * g->OW;
    float b = bias ? bias[p % C] : 0.0f;
    for (oh = 0; oh < g->OH; ++oh) {
      int64_t ih0, kh_lo, kh_hi;
      uk_dw_rows(g, oh, &ih0, &kh_lo, &kh_hi);
      for (o0 = 0; o0 < g->OW; o0 += CH) {
        int64_t n = uk_min(CH, g->OW - o0);
        float *orow = op + oh * g->OW + o0;
        for (t = 0; t < n; ++t) acc[t] = 0.0f;
        for (kh = kh_lo; kh < kh_hi; ++kh) {
          const float *row = ip + (ih0 + kh * g->dH) * g->W;
          for (kw = 0; kw < g->KW; ++kw) {
            int64_t off = kw * g->dW - g->padL;
            int64_t lo = uk_max(o0, uk_ceil_div(-off, g->sW));
            int64_t hi = uk_min(o0 + n, uk_ceil_div(g->W - off, g->sW));
            float wv = wc[kh * g->KW + kw];
            if (g->sW == 1) {
              for (t = lo; t < hi; ++t) acc[t - o0] += row[t + off] * wv;
            } else {
              for (t = lo; t < hi; ++t) acc[t - o0] += row[t * g->sW + off] * wv;
            }
          }
        }
        for (t = 0; t < n; ++t) orow[t] = uk_epi1(acc[t], orow + t, b, e);
      }
    }
  }
}

/* Portable uk_dw_strip (any stride): chunks of outputs accumulate in a local buffer. */
UK_UNUSED static void uk_dw_strip_portable(const float *x, int64_t PW, int64_t nout,
                                           const float *wc, const uk_dwg *g, float *out,
                                           float bias, const uk_epi *e) {
  enum { CH = 64 };
  float acc[CH];
  int64_t i, o0, kh, kw, t;
  for (i = 0; i < nout; ++i) {
    float *orow = out + i * g->OW;
    for (o0 = 0; o0 < g->OW; o0 += CH) {
      int64_t n = uk_min(CH, g->OW - o0);
      for (t = 0; t < CH; ++t) acc[t] = 0.0f;
      for (kh = 0; kh < g->KH; ++kh)
        for (kw = 0; kw < g->KW; ++kw) {
          const float *s = x + (i * g->sH + kh * g->dH) * PW + o0 * g->sW + kw * g->dW;
          const float wv = wc[kh * g->KW + kw];
          /* whole 16s (the padded rows allow it): fixed trip counts vectorise even at -O2 */
          int64_t t0;
          if (g->sW == 1)
            for (t0 = 0; t0 < n; t0 += 16)
              for (t = 0; t < 16; ++t) acc[t0 + t] += s[t0 + t] * wv;
          else
            for (t0 = 0; t0 < n; t0 += 16)
              for (t = 0; t < 16; ++t) acc[t0 + t] += s[(t0 + t) * g->sW] * wv;
        }
      for (t = 0; t < n; ++t) orow[o0 + t] = uk_epi1(acc[t], orow + o0 + t, bias, e);
    }
  }
}

/* Depthwise through zero-padded copies of the input: a strip of input rows at a time is
 * copied into a stack buffer with the left/right padding materialised and rows above/below the
 * image as zero rows, so uk_dw_strip reads whole unmasked vectors at constant tap offsets and
 * needs no border code. Consecutive strips share R - sH input rows, copied again (a few per
 * cent for 3x3). Returns 0 (nothing done) when not even one output row's input rows fit the
 * buffer (very wide rows, huge kernels); the caller then takes uk_dw_planes_generic. */
#ifndef UK_DW_V
#define UK_DW_V 16 /* outputs per vector of uk_dw_strip: the padded width covers whole vectors */
#endif
enum { UK_DW_BUF = 2048 }; /* floats: 8 KiB of stack */
enum { UK_PAD_BUF = 2048 }; /* floats: a small convolution's zero-bordered input, on the stack */

static inline int64_t uk_dw_padded_width(const uk_dwg *g) {
  int64_t owr = onnxc_uk_round_up(g->OW, UK_DW_V);
  return onnxc_uk_round_up(owr * g->sW + (g->KW - 1) * g->dW + 1, 16);
}

/* slot[c] = input column c - padL of row ih, zero outside the image. */
static void uk_dw_fill(const float *ip, int64_t ih, const uk_dwg *g, int64_t PW, float *slot) {
  if (ih < 0 || ih >= g->H) {
    uk_zero(slot, PW);
  } else {
    int64_t left = uk_min(g->padL, PW);
    int64_t n = uk_max(0, uk_min(g->padL + g->W, PW) - left);
    uk_zero(slot, left);
    uk_copy(slot + left, ip + ih * g->W, n);
    uk_zero(slot + left + n, PW - left - n);
  }
}

static int uk_dw_padded(int64_t np, int64_t C, const float *in, float *out, const float *w,
                        const float *bias, const uk_dwg *g, const uk_epi *e) {
  float buf[UK_DW_BUF];
  const int64_t R = (g->KH - 1) * g->dH + 1, PW = uk_dw_padded_width(g);
  /* output rows per strip: (rows - 1)*sH + R input rows must fit */
  const int64_t rows = UK_DW_BUF / PW < R ? 0 : (UK_DW_BUF / PW - R) / g->sH + 1;
  int64_t p, oh, r;
  if (rows < 1) return 0;
  for (p = 0; p < np; ++p) {
    const float *ip = in + p * g->H * g->W, *wc = w + (p % C) * g->KH * g->KW;
    float *op = out + p * g->OH * g->OW;
    const float b = bias ? bias[p % C] : 0.0f;
    for (oh = 0; oh < g->OH; oh += rows) {
      const int64_t nout = uk_min(rows, g->OH - oh), ih0 = oh * g->sH - g->padT;
      for (r = 0; r < (nout - 1) * g->sH + R; ++r) uk_dw_fill(ip, ih0 + r, g, PW, buf + r * PW);
      uk_dw_strip(buf, PW, nout, wc, g, op + oh * g->OW, b, e);
    }
  }
  return 1;
}

/* ---- Public entry points ------------------------------------------------------------------ */

void UK_PUBLIC(onnxc_uk_sgemm_)(int64_t M, int64_t N, int64_t K, const float *a, int64_t rsA,
                                int64_t csA, int64_t a_packed, const float *b, int64_t rsB,
                                int64_t csB, int64_t b_packed, float *c, int64_t rsC,
                                const float *bias, int64_t bias_kind, float lo, float hi,
                                int64_t accumulate, float *scratch) {
  uk_bsrc B;
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    uk_gemm_k0(M, N, c, rsC, bias, bias_kind, lo, hi, accumulate != 0);
    return;
  }
  B.kind = b_packed ? UK_B_PACKED : UK_B_STRIDED;
  B.p = b;
  B.rs = rsB;
  B.cs = csB;
  B.im = 0;
  uk_gemm(M, 0, N, K, a, rsA, csA, a_packed != 0, &B, c, rsC, bias, bias_kind, lo, hi,
          accumulate != 0, scratch);
}

#if UK_CONV_DIRECT
/* Output pixels j0..j1-1 of one group read in place (onnxc_uk_conv_direct): the input rows they
 * reach are copied once into a zero-bordered buffer (Cg x Hp x Wp), and a tile of up to MR
 * consecutive pixels of one output row then finds, for every K row (c, kh, kw), its MR inputs
 * consecutive in that buffer at a fixed offset from the tile's first pixel, where the kernel
 * broadcasts them (uk_epi.aoff). With stride 2 along W each buffer row holds the padded row's
 * even columns, then its odd ones: output ow's tap column 2*ow + kw*dW is entry
 * ow + (kw*dW >> 1) of the half of its parity. The weights (W^T, NR-column panels) stream once
 * per K block, panel-outer as in uk_conv_pixel_rows. Scratch: the buffer, the K offsets, and
 * one padded row for splitting. */
static void uk_conv_direct(const float *x, int64_t Cg, int64_t H, int64_t W, int64_t OW,
                           int64_t KH, int64_t KW, int64_t sH, int64_t sW, int64_t dH,
                           int64_t dW, int64_t padT, int64_t padL, int64_t Fg, int64_t P,
                           int64_t j0, int64_t j1, const float *w, const float *bias, float *y,
                           float lo, float hi, int accumulate, float *scratch) {
  const int64_t K = Cg * KH * KW, KCb = uk_ceil_div(K, uk_ceil_div(K, ONNXC_UK_KC));
  const int64_t oh0 = j0 / OW, oh1 = (j1 - 1) / OW + 1;
  const int64_t Hp = (oh1 - oh0 - 1) * sH + (KH - 1) * dH + 1;
  const int64_t Wp = (OW - 1) * sW + (KW - 1) * dW + 1, WE = sW == 2 ? (Wp + 1) / 2 : 0;
  int32_t *off = (int32_t *)(scratch + onnxc_uk_round_up(Cg * Hp * Wp, 16));
  float *whole = scratch + onnxc_uk_round_up(Cg * Hp * Wp, 16) + onnxc_uk_round_up(K, 16);
  int64_t c, r, kh, kw, pc, jr, j, t, ntiles = 0;
  uk_dwg rows; /* uk_dw_fill's view of the image: H, W and the left padding */
  uk_epi e;
  rows.H = H, rows.W = W, rows.padL = padL;
  for (c = 0; c < Cg; ++c)
    for (r = 0; r < Hp; ++r) {
      float *d = scratch + (c * Hp + r) * Wp;
      const float *src = x + c * H * W;
      const int64_t ih = oh0 * sH + r - padT;
      if (sW == 1) {
        uk_dw_fill(src, ih, &rows, Wp, d);
      } else {
        int64_t q = 0;
        uk_dw_fill(src, ih, &rows, Wp, whole);
        whole[Wp] = 0.0f;
#ifdef UK_COPY16_S2
        for (; q + 16 <= Wp / 2; q += 16) {
          UK_COPY16_S2(d + q, whole + 2 * q);
          UK_COPY16_S2(d + WE + q, whole + 2 * q + 1);
        }
#endif
        for (; 2 * q < Wp; ++q) {
          d[q] = whole[2 * q];
          if (2 * q + 1 < Wp) d[WE + q] = whole[2 * q + 1];
        }
      }
    }
  for (c = 0; c < Cg; ++c)
    for (kh = 0; kh < KH; ++kh)
      for (kw = 0; kw < KW; ++kw) {
        const int64_t col = kw * dW, at = sW == 1 ? col : (col & 1) * WE + (col >> 1);
        off[(c * KH + kh) * KW + kw] = (int32_t)(c * Hp * Wp + kh * dH * Wp + at);
      }
  /* tiles: runs of up to MR pixels within one output row */
  for (j = j0; j < j1; j += uk_min(uk_min(UK_MR, OW - j % OW), j1 - j)) ++ntiles;
  e.lo = lo;
  e.hi = hi;
  e.ldb = UK_NR;
  e.ct = 1;
  for (pc = 0; pc < K; pc += KCb) {
    const int64_t kc = uk_min(KCb, K - pc);
    const int last = pc + kc == K;
    e.load_c = pc > 0 || accumulate;
    e.clamp_lo = last && lo > -UK_INF;
    e.clamp_hi = last && hi < UK_INF;
    e.bias_kind = last && bias ? 1 : 0;
    e.aoff = off + pc;
    for (jr = 0; jr < Fg; jr += UK_NR) {
      const float *bp = w + jr * K + pc * UK_NR;
      for (j = j0, t = 0; j < j1; ++t) {
        const int64_t oh = j / OW, ow = j % OW, n = uk_min(uk_min(UK_MR, OW - ow), j1 - j);
        int64_t pff;
        const float *pf =
            uk_pf_share(jr + UK_NR < Fg ? bp + UK_NR * K : 0, kc, UK_NR, t, ntiles, &pff);
        uk_tile_t(&e, bias, y, P, kc, scratch + (oh - oh0) * sH * Wp + ow, bp, pf, pff, j, jr,
                  n, Fg - jr);
        j += n;
      }
    }
  }
}
#endif

/* Output pixels j0..j1-1 of every output channel: the whole conv for (0, OH*OW), one task's
 * share when a split divides the pixels (ukernel_parallel.c). pixel_rows: the GEMM's rows are
 * the pixels (onnxc_uk_conv_pixel_rows of the whole convolution, which fixed the weights'
 * layout), j0 then a multiple of MR; otherwise the output channels, j0 a multiple of NR. */
static void uk_sconv2d_cols(int64_t N, int64_t C, int64_t H, int64_t W, int64_t F, int64_t OH,
                            int64_t OW, int64_t groups, int64_t KH, int64_t KW, int64_t sH,
                            int64_t sW, int64_t dH, int64_t dW, int64_t padT, int64_t padL,
                            const float *input, const float *weights, const float *bias,
                            float *output, float lo, float hi, int64_t accumulate,
                            float *scratch, int64_t j0, int64_t j1, int64_t pixel_rows) {
  const int64_t Cg = C / groups, Fg = F / groups, K = Cg * KH * KW, P = OH * OW;
  const int64_t wsize = pixel_rows ? onnxc_uk_packed_b_floats(UK_NR, K, Fg)
                                   : onnxc_uk_packed_a_floats(UK_MR, Fg, K);
  /* 1x1, stride 1, no padding: the input plane stack is already the [Cg][H*W] B matrix. */
  const int pointwise = KH == 1 && KW == 1 && sH == 1 && sW == 1 && padT == 0 && padL == 0 &&
                        OH == H && OW == W;
  /* The input rows and columns the taps reach, padding included. When a tap reaches outside
   * the image and the group's padded input is small (DS-CNN's 1 x 49 x 10), it is copied once
   * into a zero-bordered stack buffer: im2col then never meets a border, where each short
   * row piece (5 columns there) otherwise paid its own clipping arithmetic, divisions included
   * (22% of DS-CNN in its first convolution). */
  const int64_t Hp = (OH - 1) * sH + (KH - 1) * dH + 1, Wp = (OW - 1) * sW + (KW - 1) * dW + 1;
  const int prepad = !pointwise && Cg * Hp * Wp <= UK_PAD_BUF &&
                     (padT > 0 || padL > 0 || Hp - padT > H || Wp - padL > W);
  float padded[UK_PAD_BUF];
  uint16_t tap0[UK_PAD_BUF]; /* P <= Hp*Wp <= UK_PAD_BUF when prepad: 4 KiB of stack */
  int64_t n, g;
  uk_im2col im;
  uk_bsrc B;
  if (N <= 0 || Fg <= 0 || P <= 0) return;
  im.H = prepad ? Hp : H, im.W = prepad ? Wp : W, im.OW = OW, im.KH = KH, im.KW = KW;
  im.sH = sH, im.sW = sW, im.dH = dH, im.dW = dW;
  im.padT = prepad ? 0 : padT, im.padL = prepad ? 0 : padL;
  im.tap0 = 0;
  if (prepad && (sH != 1 || sW != 1)) {
    /* strided: one gather per im2col row beats OH row pieces of a few columns each (DS-CNN's
     * 10 x 4 stride-2 convolution: 25 pieces of 5) */
    int64_t j;
    for (j = 0; j < P; ++j) tap0[j] = (uint16_t)((j / OW) * sH * Wp + (j % OW) * sW);
    im.tap0 = tap0;
  }
  for (n = 0; n < N; ++n)
    for (g = 0; g < groups; ++g) {
      const float *x = input + (n * C + g * Cg) * H * W;
      float *y = output + (n * F + g * Fg) * P;
      const float *bg = bias ? bias + g * Fg : 0;
      if (K <= 0) {
        uk_gemm_k0(Fg, j1 - j0, y + j0, P, bg, 2, lo, hi, accumulate != 0);
        continue;
      }
#if UK_CONV_DIRECT
      if (pixel_rows && onnxc_uk_conv_direct(UK_CONV_DIRECT, Cg, KH, KW, sH, sW)) {
        uk_conv_direct(x, Cg, H, W, OW, KH, KW, sH, sW, dH, dW, padT, padL, Fg, P, j0, j1,
                       weights + g * wsize, bg, y, lo, hi, accumulate != 0, scratch);
        continue;
      }
#endif
      im.in = x;
      if (prepad) {
        uk_dwg rows; /* uk_dw_fill's view of the image: H, W and the left padding */
        int64_t c, r;
        rows.H = H, rows.W = W, rows.padL = padL;
        for (c = 0; c < Cg; ++c)
          for (r = 0; r < Hp; ++r)
            uk_dw_fill(x + c * H * W, r - padT, &rows, Wp, padded + (c * Hp + r) * Wp);
        im.in = padded;
      }
      if (pixel_rows) {
        uk_conv_pixel_rows(&im, Fg, P, K, j0, j1, weights + g * wsize, bg, y, lo, hi,
                           accumulate != 0, scratch);
        continue;
      }
      B.kind = pointwise ? UK_B_STRIDED : UK_B_IM2COL;
      B.p = x;
      B.rs = H * W;
      B.cs = 1;
      B.im = &im;
      uk_gemm(Fg, j0, j1, K, weights + g * wsize, 0, 0, 1, &B, y, P, bg, 2, lo, hi,
              accumulate != 0, scratch);
    }
}

void UK_PUBLIC(onnxc_uk_sconv2d_)(int64_t N, int64_t C, int64_t H, int64_t W, int64_t F,
                                  int64_t OH, int64_t OW, int64_t groups, int64_t KH,
                                  int64_t KW, int64_t sH, int64_t sW, int64_t dH, int64_t dW,
                                  int64_t padT, int64_t padL, const float *input,
                                  const float *weights, const float *bias, float *output,
                                  float lo, float hi, int64_t accumulate, float *scratch) {
  uk_sconv2d_cols(N, C, H, W, F, OH, OW, groups, KH, KW, sH, sW, dH, dW, padT, padL, input,
                  weights, bias, output, lo, hi, accumulate, scratch, 0, OH * OW,
                  groups > 0 && onnxc_uk_conv_pixel_rows(UK_CONV_DIRECT, UK_NR, C / groups,
                                                         F / groups, OH * OW, KH, KW, sH, sW));
}

void UK_PUBLIC(onnxc_uk_sdwconv2d_)(int64_t N, int64_t C, int64_t H, int64_t W, int64_t OH,
                                    int64_t OW, int64_t KH, int64_t KW, int64_t sH, int64_t sW,
                                    int64_t dH, int64_t dW, int64_t padT, int64_t padL,
                                    const float *input, const float *weights, const float *bias,
                                    float *output, float lo, float hi, int64_t accumulate) {
  uk_dwg g;
  uk_epi e;
  if (N <= 0 || C <= 0 || OH <= 0 || OW <= 0) return;
  g.H = H, g.W = W, g.OH = OH, g.OW = OW, g.KH = KH, g.KW = KW, g.sH = sH, g.sW = sW;
  g.dH = dH, g.dW = dW, g.padT = padT, g.padL = padL;
  e.bias = 0;
  e.bias_kind = 0;
  e.load_c = accumulate != 0;
  e.clamp_lo = lo > -UK_INF;
  e.clamp_hi = hi < UK_INF;
  e.lo = lo;
  e.hi = hi;
  e.ct = 0;
  e.aoff = 0;
#if defined(UK_HAVE_DW_PLANES)
  if (uk_dw_planes(N * C, C, input, output, weights, bias, &g, &e)) return;
#endif
  if (!uk_dw_padded(N * C, C, input, output, weights, bias, &g, &e))
    uk_dw_planes_generic(N * C, C, input, output, weights, bias, &g, &e);
}

/* ---- the executor entry points (onnxc/ukernel_mt.h) of this ISA ----
 * Defined here rather than in ukernel_parallel.c so a model that calls one ISA's _mt_ entry
 * points links only that ISA's kernels: a static library pulls in whole object files. */

void UK_PUBLIC(onnxc_uk_sgemm_mt_)(int64_t M, int64_t N, int64_t K, const float *a, int64_t rsA,
                                   int64_t csA, int64_t a_packed, const float *b, int64_t rsB,
                                   int64_t csB, int64_t b_packed, float *c, int64_t rsC,
                                   const float *bias, int64_t bias_kind, float lo, float hi,
                                   int64_t accumulate, float *scratch,
                                   const onnxc_executor *exec, int64_t max_tasks,
                                   int64_t scratch_floats) {
  onnxc_uk_split_sgemm(UK_PUBLIC(onnxc_uk_sgemm_), UK_MR, UK_NR, M, N, K, a, rsA, csA, a_packed,
                       b, rsB, csB, b_packed, c, rsC, bias, bias_kind, lo, hi, accumulate,
                       scratch, exec, max_tasks, scratch_floats);
}

void UK_PUBLIC(onnxc_uk_sconv2d_mt_)(int64_t N, int64_t C, int64_t H, int64_t W, int64_t F,
                                     int64_t OH, int64_t OW, int64_t groups, int64_t KH,
                                     int64_t KW, int64_t sH, int64_t sW, int64_t dH, int64_t dW,
                                     int64_t padT, int64_t padL, const float *input,
                                     const float *weights, const float *bias, float *output,
                                     float lo, float hi, int64_t accumulate, float *scratch,
                                     const onnxc_executor *exec, int64_t max_tasks,
                                     int64_t scratch_floats) {
  onnxc_uk_split_sconv2d(UK_PUBLIC(onnxc_uk_sconv2d_), uk_sconv2d_cols, UK_CONV_DIRECT, UK_MR,
                         UK_NR, N, C, H,
                         W, F, OH, OW, groups, KH,
                         KW, sH, sW, dH, dW, padT, padL, input, weights, bias, output, lo, hi,
                         accumulate, scratch, exec, max_tasks, scratch_floats);
}

void UK_PUBLIC(onnxc_uk_sdwconv2d_mt_)(int64_t N, int64_t C, int64_t H, int64_t W, int64_t OH,
                                       int64_t OW, int64_t KH, int64_t KW, int64_t sH,
                                       int64_t sW, int64_t dH, int64_t dW, int64_t padT,
                                       int64_t padL, const float *input, const float *weights,
                                       const float *bias, float *output, float lo, float hi,
                                       int64_t accumulate, const onnxc_executor *exec,
                                       int64_t max_tasks) {
  onnxc_uk_split_sdwconv2d(UK_PUBLIC(onnxc_uk_sdwconv2d_), N, C, H, W, OH, OW, KH, KW, sH, sW,
                           dH, dW, padT, padL, input, weights, bias, output, lo, hi, accumulate,
                           exec, max_tasks);
}

#endif /* ONNXC_UKERNEL_DRIVER_H */
