/* ISA-independent half of the runtime-lite microkernels (see include/onnxc/ukernel.h):
 * operand packing (A/B blocks from strided matrices), the cache-blocking GEMM loop nest,
 * epilogue bookkeeping and the entry points; im2col packing (ukernel_im2col.h), the
 * convolution drivers (ukernel_conv.h) and the depthwise and pooling window ops
 * (ukernel_window.h) are included from here, each where what it needs is defined.
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

/* An epilogue without bias, prefetch or special operand layout: out = clamp(c0 + acc), c0 the
 * old C when accumulate. */
static inline void uk_epi_init(uk_epi *e, float lo, float hi, int accumulate) {
  e->bias = 0;
  e->bias_kind = 0;
  e->load_c = accumulate;
  e->clamp_lo = lo > -UK_INF;
  e->clamp_hi = hi < UK_INF;
  e->lo = lo;
  e->hi = hi;
  e->pf = 0;
  e->pf_floats = 0;
  e->ldb = UK_NR;
  e->ct = 0;
  e->aoff = 0;
}

/* The epilogue of the K block [pc, pc + kc) of K: onto the partial sums after the first block,
 * bias and clamping on the last only. */
static inline void uk_epi_kblock(uk_epi *e, int64_t pc, int64_t kc, int64_t K, int accumulate,
                                 const float *bias, int bias_kind) {
  const int last = pc + kc == K;
  e->load_c = pc > 0 || accumulate;
  e->clamp_lo = last && e->lo > -UK_INF;
  e->clamp_hi = last && e->hi < UK_INF;
  e->bias_kind = last && bias ? bias_kind : 0;
}

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
#if defined(UK_HAVE_MAXPOOL_PLANES)
/* Optional, per ISA: max pooling of np planes (returns 0 for shapes it does not take). */
static int uk_maxpool_planes(int64_t np, const float *in, float *out, int64_t H, int64_t W,
                             int64_t OH, int64_t OW, int64_t KH, int64_t KW, int64_t sH,
                             int64_t sW, int64_t dH, int64_t dW, int64_t padT, int64_t padL);
#endif
#if defined(UK_FEW_ROWS)
/* Optional, per ISA: the mr <= UK_FEW_ROWS rows of C against one whole packed weight panel
 * (K x NR, bp), over all of K at once, A read in place (row r at a + r*rsA, contiguous in k);
 * the epilogue as for uk_micro. */
static void uk_few_rows(int64_t K, const float *a, int64_t rsA, const float *bp, float *c,
                        int64_t rsC, int64_t mr, int64_t nr, const uk_epi *e);
#endif
#if defined(UK_HAVE_DW_PLANES)
/* Optional, per ISA: depthwise over whole planes for shapes it takes (returns 0 otherwise),
 * tried before the strip path. */
static int uk_dw_planes(int64_t np, int64_t C, const float *in, float *out, const float *w,
                        const float *bias, const uk_dwg *g, const uk_epi *e);
#endif

/* One case of a switch over a tile's row count mr, for an ISA's X-macro over rows: calls the
 * register-tile function fn (R and NV compile-time constants) with R = r + 1 rows and the
 * column vectors nr needs (NR is two vectors wide on every ISA that uses this). */
#define UK_TILE_CASE(fn, r, ...)                                                                 \
  case r + 1:                                                                                    \
    if (nr > UK_NR / 2)                                                                          \
      fn(r + 1, 2, __VA_ARGS__);                                                                 \
    else                                                                                         \
      fn(r + 1, 1, __VA_ARGS__);                                                                 \
    break;

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

#include "ukernel_im2col.h"

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
  /* A pre-packed B streamed panel by panel past one M block (the B-panel-outer order below)
   * needs no N blocks, and each would pack the same A block again: BERT's activations were
   * packed 4 times per 3072-wide matmul. With several M blocks the N block keeps the B
   * block the A panels sweep in L2 (1024^3 lost a tenth without it). */
  const int64_t NCb =
      B->kind == UK_B_PACKED && M <= ONNXC_UK_MC
          ? N - n0
          : onnxc_uk_round_up(uk_ceil_div(N - n0, uk_ceil_div(N - n0, ONNXC_UK_NC)), UK_NR);
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
  uk_epi_init(&e, lo, hi, accumulate);
#if defined(UK_FEW_ROWS)
  if (B->kind == UK_B_PACKED && !a_packed && csA == 1 && M <= UK_FEW_ROWS) {
    /* A few rows against pre-packed weights (batch-1 Gemm/MatMul, a classifier head): every
     * weight is used M times, so this streams the weights and nothing else should cost. The
     * blocked nest below packed A into zero-padded MR-row panels, split K into blocks that
     * reloaded C, and interrupted the panels' one sequential stream at every block: 1 x 768 x
     * 3072 took 128 us where this takes 76, and 8 rows, compute-bound, ran at 81% of the FMA
     * peak where this reaches 90% (Zen 5). From about 12 rows on the blocked nest is as fast. */
    e.bias_kind = bias ? (int)bias_kind : 0;
    for (jc = n0; jc < N; jc += UK_NR) {
      e.bias = e.bias_kind == 1 ? bias + jc : bias;
      uk_few_rows(K, a, rsA, B->p + jc * K, c + jc, rsC, M, uk_min(UK_NR, N - jc), &e);
    }
    return;
  }
#endif
  e.ldb = direct_b ? B->rs : UK_NR;
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
      uk_epi_kblock(&e, pc, kc, K, accumulate, bias, (int)bias_kind);
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

/* K == 0: out = clamp((accumulate ? out : 0) + bias). */
static void uk_gemm_k0(int64_t M, int64_t N, float *c, int64_t rsC, const float *bias,
                       int64_t bias_kind, float lo, float hi, int accumulate) {
  uk_epi e;
  int64_t i, j;
  uk_epi_init(&e, lo, hi, accumulate);
  for (i = 0; i < M; ++i)
    for (j = 0; j < N; ++j) {
      float b = !bias ? 0.0f : bias_kind == 1 ? bias[j] : bias_kind == 2 ? bias[i] : 0.0f;
      c[i * rsC + j] = uk_epi1(0.0f, c + i * rsC + j, b, &e);
    }
}

#include "ukernel_window.h"

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

#include "ukernel_conv.h"

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
                         UK_NR, N, C, H, W, F, OH, OW, groups, KH, KW, sH, sW, dH, dW, padT,
                         padL, input, weights, bias, output, lo, hi, accumulate, scratch, exec,
                         max_tasks, scratch_floats);
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

void UK_PUBLIC(onnxc_uk_smaxpool2d_mt_)(int64_t N, int64_t C, int64_t H, int64_t W, int64_t OH,
                                        int64_t OW, int64_t KH, int64_t KW, int64_t sH,
                                        int64_t sW, int64_t dH, int64_t dW, int64_t padT,
                                        int64_t padL, const float *input, float *output,
                                        const onnxc_executor *exec, int64_t max_tasks) {
  onnxc_uk_split_smaxpool2d(UK_PUBLIC(onnxc_uk_smaxpool2d_), N, C, H, W, OH, OW, KH, KW, sH, sW,
                            dH, dW, padT, padL, input, output, exec, max_tasks);
}

#endif /* ONNXC_UKERNEL_DRIVER_H */
