/* ISA-independent half of the runtime-lite microkernels, continued: the convolution drivers
 * (pixels as the GEMM's rows, the input read in place, the per-group loop over im2col GEMMs)
 * and the public sconv2d. Included by ukernel_driver.h only, inside each ISA's translation
 * unit, after the GEMM loop nest it builds on. */
#ifndef ONNXC_UKERNEL_CONV_H
#define ONNXC_UKERNEL_CONV_H

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
  uk_epi_init(&e, lo, hi, accumulate);
  e.ct = 1;
  for (ic = j0; ic < j1; ic += MCb) {
    const int64_t mc = uk_min(MCb, j1 - ic);
    for (pc = 0; pc < K; pc += KCb) {
      const int64_t kc = uk_min(KCb, K - pc);
      uk_epi_kblock(&e, pc, kc, K, accumulate, bias, 1);
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

#if UK_CONV_DIRECT
/* Output pixels j0..j1-1 of one group read in place (onnxc_uk_conv_direct): the input rows they
 * reach are copied once into a zero-bordered buffer (Cg x Hp x Wp), and a tile of up to MR
 * consecutive pixels of one output row then finds, for every K row (c, kh, kw), its MR inputs
 * consecutive in that buffer at a fixed offset from the tile's first pixel, where the kernel
 * broadcasts them (uk_epi.aoff). With stride 2 along W each buffer row holds the padded row's
 * even columns, then its odd ones: output ow's tap column 2*ow + kw*dW is entry
 * ow + (kw*dW >> 1) of the half of its parity. K blocks are whole channels, and each block
 * copies just its channels, so the buffer holds a K block's worth, as an im2col block did. The
 * weights (W^T, NR-column panels) stream once per K block, panel-outer as in
 * uk_conv_pixel_rows. Scratch: the buffer, a block's K offsets, one padded row for splitting. */
static void uk_conv_direct(const float *x, int64_t Cg, int64_t H, int64_t W, int64_t OW,
                           int64_t KH, int64_t KW, int64_t sH, int64_t sW, int64_t dH,
                           int64_t dW, int64_t padT, int64_t padL, int64_t Fg, int64_t P,
                           int64_t j0, int64_t j1, const float *w, const float *bias, float *y,
                           float lo, float hi, int accumulate, float *scratch) {
  const int64_t KHW = KH * KW, K = Cg * KHW;
  /* K blocks of whole channels, evenly split (onnxc_uk_conv_direct_channels at most) */
  const int64_t cmax = onnxc_uk_conv_direct_channels(Cg, KH, KW, sH, sW, dH, dW, P / OW, OW);
  const int64_t cb = uk_ceil_div(Cg, uk_ceil_div(Cg, cmax));
  const int64_t oh0 = j0 / OW, oh1 = (j1 - 1) / OW + 1;
  const int64_t Hp = (oh1 - oh0 - 1) * sH + (KH - 1) * dH + 1;
  const int64_t Wp = (OW - 1) * sW + (KW - 1) * dW + 1, WE = sW == 2 ? (Wp + 1) / 2 : 0;
  const int64_t slab = onnxc_uk_round_up(cb * Hp * Wp, 16);
  int32_t *off = (int32_t *)(scratch + slab);
  float *whole = scratch + slab + onnxc_uk_round_up(cb * KHW, 16);
  int64_t c0, c, r, kh, kw, jr, j, t, ntiles = 0;
  uk_dwg rows; /* uk_dw_fill's view of the image: H, W and the left padding */
  uk_epi e;
  rows.H = H, rows.W = W, rows.padL = padL;
  /* the tap offsets of a block's first channel onwards, the same for every block */
  for (c = 0; c < cb; ++c)
    for (kh = 0; kh < KH; ++kh)
      for (kw = 0; kw < KW; ++kw) {
        const int64_t col = kw * dW, at = sW == 1 ? col : (col & 1) * WE + (col >> 1);
        off[(c * KH + kh) * KW + kw] = (int32_t)(c * Hp * Wp + kh * dH * Wp + at);
      }
  /* tiles: runs of up to MR pixels within one output row, the row cut evenly (32 pixels as
   * 11 + 11 + 10, not 14 + 14 + 4: a tile's transposed stores and B loads cost the same
   * whatever its height) */
  const int64_t tw = uk_ceil_div(OW, uk_ceil_div(OW, UK_MR));
  for (j = j0; j < j1; j += uk_min(uk_min(tw, OW - j % OW), j1 - j)) ++ntiles;
  uk_epi_init(&e, lo, hi, accumulate);
  e.ct = 1;
  e.aoff = off;
  for (c0 = 0; c0 < Cg; c0 += cb) {
    const int64_t nc = uk_min(cb, Cg - c0), pc = c0 * KHW, kc = nc * KHW;
    /* this block's channels, the rows the pixels reach, zero-bordered */
    for (c = 0; c < nc; ++c)
      for (r = 0; r < Hp; ++r) {
        float *d = scratch + (c * Hp + r) * Wp;
        const float *src = x + (c0 + c) * H * W;
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
    uk_epi_kblock(&e, pc, kc, K, accumulate, bias, 1);
    for (jr = 0; jr < Fg; jr += UK_NR) {
      const float *bp = w + jr * K + pc * UK_NR;
      for (j = j0, t = 0; j < j1; ++t) {
        const int64_t oh = j / OW, ow = j % OW, n = uk_min(uk_min(tw, OW - ow), j1 - j);
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
  /* read in place (onnxc_uk_conv_direct): no im2col at all, so nothing below applies */
  const int direct = pixel_rows && onnxc_uk_conv_direct(UK_CONV_DIRECT, Cg, KH, KW, sH, sW);
  /* 1x1, stride 1, no padding: the input plane stack is already the [Cg][H*W] B matrix. */
  const int pointwise = KH == 1 && KW == 1 && sH == 1 && sW == 1 && padT == 0 && padL == 0 &&
                        OH == H && OW == W;
  /* The input rows and columns the taps reach, padding included. When a tap reaches outside
   * the image and the group's padded input is small (DS-CNN's 1 x 49 x 10), it is copied once
   * into a zero-bordered stack buffer: im2col then never meets a border, where each short
   * row piece (5 columns there) otherwise paid its own clipping arithmetic, divisions included
   * (22% of DS-CNN in its first convolution). */
  const int64_t Hp = (OH - 1) * sH + (KH - 1) * dH + 1, Wp = (OW - 1) * sW + (KW - 1) * dW + 1;
  const int prepad = !direct && !pointwise && Cg * Hp * Wp <= UK_PAD_BUF &&
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
      if (direct) {
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

#endif /* ONNXC_UKERNEL_CONV_H */
