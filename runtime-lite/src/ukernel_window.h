/* ISA-independent half of the runtime-lite microkernels, continued: the per-channel window
 * ops, depthwise convolution and max pooling (row geometry, portable paths, zero-padded row
 * strips, public entry points). Included by ukernel_driver.h only, inside each ISA's
 * translation unit. */
#ifndef ONNXC_UKERNEL_WINDOW_H
#define ONNXC_UKERNEL_WINDOW_H

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
  uk_epi_init(&e, lo, hi, accumulate != 0);
#if defined(UK_HAVE_DW_PLANES)
  if (uk_dw_planes(N * C, C, input, output, weights, bias, &g, &e)) return;
#endif
  if (!uk_dw_padded(N * C, C, input, output, weights, bias, &g, &e))
    uk_dw_planes_generic(N * C, C, input, output, weights, bias, &g, &e);
}

/* Max pooling, per output row: chunks of up to 64 outputs reduce in a local buffer, and for
 * each tap the outputs whose input column is inside the image form one contiguous range, so
 * the inner loop has no bounds checks and vectorises (the rows above and below the image are
 * left out whole). Replaces the generated loops, which first copied the input into a
 * -inf-bordered buffer. */
void UK_PUBLIC(onnxc_uk_smaxpool2d_)(int64_t N, int64_t C, int64_t H, int64_t W, int64_t OH,
                                     int64_t OW, int64_t KH, int64_t KW, int64_t sH, int64_t sW,
                                     int64_t dH, int64_t dW, int64_t padT, int64_t padL,
                                     const float *input, float *output) {
  enum { CH = 64 };
  float acc[CH];
  uk_dwg g;
  int64_t p, oh, o0, kh, kw, t;
#if defined(UK_HAVE_MAXPOOL_PLANES)
  if (uk_maxpool_planes(N * C, input, output, H, W, OH, OW, KH, KW, sH, sW, dH, dW, padT, padL))
    return;
#endif
  g.H = H, g.W = W, g.sH = sH, g.dH = dH, g.KH = KH, g.padT = padT;
  for (p = 0; p < N * C; ++p) {
    const float *ip = input + p * H * W;
    for (oh = 0; oh < OH; ++oh) {
      int64_t ih0, kh_lo, kh_hi;
      uk_dw_rows(&g, oh, &ih0, &kh_lo, &kh_hi);
      for (o0 = 0; o0 < OW; o0 += CH) {
        const int64_t n = uk_min(CH, OW - o0);
        for (t = 0; t < CH; ++t) acc[t] = -UK_INF;
        for (kh = kh_lo; kh < kh_hi; ++kh) {
          const float *row = ip + (ih0 + kh * dH) * W;
          for (kw = 0; kw < KW; ++kw) {
            const int64_t off = kw * dW - padL;
            const int64_t lo = uk_max(o0, uk_ceil_div(-off, sW));
            const int64_t hi = uk_min(o0 + n, uk_ceil_div(W - off, sW));
            /* x != x: a NaN input wins, as arith.maximumf has it */
            if (sW == 1) {
              for (t = lo; t < hi; ++t) {
                const float x = row[t + off];
                acc[t - o0] = x > acc[t - o0] || x != x ? x : acc[t - o0];
              }
            } else {
              for (t = lo; t < hi; ++t) {
                const float x = row[t * sW + off];
                acc[t - o0] = x > acc[t - o0] || x != x ? x : acc[t - o0];
              }
            }
          }
        }
        uk_copy(output + (p * OH + oh) * OW + o0, acc, n);
      }
    }
  }
}

#endif /* ONNXC_UKERNEL_WINDOW_H */
