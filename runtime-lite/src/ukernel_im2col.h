/* ISA-independent half of the runtime-lite microkernels, continued: im2col packing of a
 * convolution's B operand into NR-column panels or, with pixels as rows, of its transposed A
 * operand into MR-row panels. Included by ukernel_driver.h only, inside each ISA's
 * translation unit. */
#ifndef ONNXC_UKERNEL_IM2COL_H
#define ONNXC_UKERNEL_IM2COL_H

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

#endif /* ONNXC_UKERNEL_IM2COL_H */
