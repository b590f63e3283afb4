/* onnxc runtime-lite microkernels: packed f32 GEMM, convolution and depthwise convolution.
 *
 * Generated model code calls these for its heavy contractions; onnxc packs constant operands
 * at compile time into the layouts below, so run time never repacks them. One implementation
 * per ISA (src/ukernel_<isa>.c), each freestanding C: no libc calls, no allocation, no globals
 * written; every buffer, scratch included, comes from the caller (the model's workspace).
 *
 * The ISA suffix <isa> is one of avx512, avx2 (AVX2 + FMA), neon (AArch64 Advanced SIMD) and
 * generic (portable C). onnxc picks one from the target's features at compile time.
 *
 * ---- Packed layouts (the contract between onnxc's compile-time packing and the kernels) ----
 * Packed A (an M x K matrix) for an ISA with row block MR: ceil(M / MR) panels; panel p holds,
 *   for k = 0..K-1, the MR values A[p*MR + r][k], r = 0..MR-1 (rows past M are zero).
 *   Size: onnxc_uk_packed_a_floats(MR, M, K).
 * Packed B (a K x N matrix) for an ISA with column block NR: ceil(N / NR) panels; panel p holds,
 *   for k = 0..K-1, the NR values B[k][p*NR + c], c = 0..NR-1 (columns past N are zero).
 *   Size: onnxc_uk_packed_b_floats(NR, K, N).
 * Rows k0..k1 of a panel are contiguous, so a kernel can walk any K block of it in place.
 *
 * ---- Epilogue ----
 * Every kernel computes acc = A.B (or the convolution), then
 *   out = clamp((accumulate ? out : 0) + acc + bias, lo, hi)
 * with clamp(x, lo, hi) = min(max(x, lo), hi); pass lo = -INFINITY, hi = INFINITY for none
 * (Relu is lo = 0, Relu6/Clip give both). NaN inputs propagate as max/min allow.
 */
#ifndef ONNXC_UKERNEL_H
#define ONNXC_UKERNEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Register blocking and cache blocking per ISA. onnxc reads these when it packs weights and
 * sizes scratch, so changing them changes the packed layout of every model compiled after. */
#define ONNXC_UK_AVX512_MR 14
#define ONNXC_UK_AVX512_NR 32
#define ONNXC_UK_AVX2_MR 6
#define ONNXC_UK_AVX2_NR 16
#define ONNXC_UK_NEON_MR 8
#define ONNXC_UK_NEON_NR 12
#define ONNXC_UK_GENERIC_MR 4
#define ONNXC_UK_GENERIC_NR 16
/* 1 where the ISA's kernel reads a convolution's input in place (onnxc_uk_conv_direct). */
#define ONNXC_UK_AVX512_DIRECT 1
#define ONNXC_UK_AVX2_DIRECT 0
#define ONNXC_UK_NEON_DIRECT 0
#define ONNXC_UK_GENERIC_DIRECT 0
/* Cache blocks, shared by all ISAs: K block (A and B panels of KC rows stay in L1/L2), M block
 * (packed A block in L2), N block (packed B block of a runtime B in L2/L3). MC is a multiple of
 * every MR above and NC of every NR. */
#define ONNXC_UK_KC 384
#define ONNXC_UK_MC 168
#define ONNXC_UK_NC 768

static inline int64_t onnxc_uk_round_up(int64_t x, int64_t m) { return (x + m - 1) / m * m; }
static inline int64_t onnxc_uk_min(int64_t a, int64_t b) { return a < b ? a : b; }

static inline int64_t onnxc_uk_packed_a_floats(int64_t mr, int64_t m, int64_t k) {
  return onnxc_uk_round_up(m, mr) * k;
}
static inline int64_t onnxc_uk_packed_b_floats(int64_t nr, int64_t k, int64_t n) {
  return onnxc_uk_round_up(n, nr) * k;
}

/* Floats of scratch onnxc_uk_sgemm_<isa> needs: room to pack one MC x KC block of A unless A
 * is packed, and one KC x NC block of B unless B is packed. */
static inline int64_t onnxc_uk_sgemm_scratch_floats(int64_t mr, int64_t nr, int64_t m, int64_t n,
                                                    int64_t k, int a_packed, int b_packed) {
  int64_t kc = onnxc_uk_min(k, ONNXC_UK_KC);
  int64_t a = a_packed ? 0 : onnxc_uk_min(onnxc_uk_round_up(m, mr), ONNXC_UK_MC) * kc;
  int64_t b = b_packed ? 0 : onnxc_uk_min(onnxc_uk_round_up(n, nr), ONNXC_UK_NC) * kc;
  return a + b;
}

/* Whether sconv2d reads a group's input in place, with no im2col: a convolution with more than
 * one tap, a horizontal stride of 1 or 2 and K = cg*kh*kw of at least 64 (below that a tile's
 * transposed store outweighs its few k steps: MobileNetV2's 3-channel 3x3 stem ran 6% slower),
 * on an ISA whose ONNXC_UK_<ISA>_DIRECT is 1. Its
 * GEMM then has the output pixels as rows (below): a tile's 14 pixels are 14 consecutive inputs
 * of every tap's row (stride 2: of the row's even or odd columns, stored apart), so the kernel
 * broadcasts them straight from a zero-bordered copy of the input, one offset per (channel,
 * tap) row of K. im2col wrote KH*KW copies of the input per call. */
static inline int onnxc_uk_conv_direct(int direct, int64_t cg, int64_t kh, int64_t kw,
                                       int64_t sh, int64_t sw) {
  return direct && kh * kw > 1 && cg * kh * kw >= 64 && sh >= 1 && (sw == 1 || sw == 2);
}

/* Channels per K block of a convolution read in place (whole channels): about KC rows of K, or
 * up to 4 KC rows while the block's zero-bordered input (Hp x Wp per channel, the rows and
 * columns an oh x ow output reaches) stays within 512 KB. Each K block reloads and stores every output tile again, transposed:
 * C = 128 at 32 x 32 ran at 212 GFLOP/s in 4 blocks of 32 channels and at 246 in one of 128,
 * 7 x 7 planes 207 -> 232, caches emptied first (ukernel_bench --cold). The byte cap keeps
 * ResNet-50's 56 x 56 layers, whose planes would take 860 KB per 64 channels, at KC rows. */
static inline int64_t onnxc_uk_conv_direct_channels(int64_t cg, int64_t kh, int64_t kw,
                                                     int64_t sh, int64_t sw, int64_t dh,
                                                     int64_t dw, int64_t oh, int64_t ow) {
  const int64_t plane = ((oh - 1) * sh + (kh - 1) * dh + 1) * ((ow - 1) * sw + (kw - 1) * dw + 1);
  int64_t c = ONNXC_UK_KC / (kh * kw);
  const int64_t most = 4 * ONNXC_UK_KC / (kh * kw);
  const int64_t fit = plane > 0 ? (512 * 1024 / 4) / plane : most;
  if (fit > c) c = fit < most ? fit : most;
  return c < 1 ? 1 : c > cg ? cg : c;
}

/* Whether sconv2d computes a group's Fg output channels x P output pixels with the pixels as the
 * GEMM's rows (C^T = im2col^T . W^T, tiles stored transposed) instead of the channels: always
 * when it reads its input in place, and otherwise when the planes are small. A register tile's
 * columns are vector lanes, and a small plane wastes them: 7 x 7 = 49 pixels fill 64 lanes of
 * two 32-wide AVX-512 panels, while 2048 channels fill 32-wide panels exactly and 49 rows split
 * into 14 + 14 + 14 + 7 with no lane idle. Chosen when it saves at least a tenth of the lanes
 * (ResNet-50's 7 x 7 and 14 x 14 stages, MobileNetV2's last ones). */
static inline int onnxc_uk_conv_pixel_rows(int direct, int64_t nr, int64_t cg, int64_t fg,
                                           int64_t p, int64_t kh, int64_t kw, int64_t sh,
                                           int64_t sw) {
  return onnxc_uk_conv_direct(direct, cg, kh, kw, sh, sw) ||
         10 * p * onnxc_uk_round_up(fg, nr) <= 9 * fg * onnxc_uk_round_up(p, nr);
}

/* Floats of scratch onnxc_uk_sconv2d_<isa> needs for a group of cg input and fg output channels
 * (K = cg*kh*kw) and an oh x ow output: one KC x NC block of the packed im2col matrix, or with
 * pixels as rows one KC-row block of the im2col^T panels for up to NC pixels, or when it reads
 * its input in place the zero-bordered input of one K block's channels
 * (onnxc_uk_conv_direct_channels x Hp x Wp, Hp = (oh-1)*sh + (kh-1)*dh + 1, Wp likewise),
 * their tap offsets and one padded row. */
static inline int64_t onnxc_uk_sconv2d_scratch_floats(int direct, int64_t mr, int64_t nr,
                                                      int64_t cg, int64_t fg, int64_t kh,
                                                      int64_t kw, int64_t sh, int64_t sw,
                                                      int64_t dh, int64_t dw, int64_t oh,
                                                      int64_t ow) {
  const int64_t k = cg * kh * kw, n = oh * ow;
  int64_t cols;
  if (onnxc_uk_conv_direct(direct, cg, kh, kw, sh, sw)) {
    const int64_t wp = (ow - 1) * sw + (kw - 1) * dw + 1;
    const int64_t cb = onnxc_uk_conv_direct_channels(cg, kh, kw, sh, sw, dh, dw, oh, ow);
    return onnxc_uk_round_up(cb * ((oh - 1) * sh + (kh - 1) * dh + 1) * wp, 16) +
           onnxc_uk_round_up(cb * kh * kw, 16) + wp + 32;
  }
  cols = onnxc_uk_conv_pixel_rows(direct, nr, cg, fg, n, kh, kw, sh, sw)
             ? onnxc_uk_min(onnxc_uk_round_up(n, mr), ONNXC_UK_NC / mr * mr)
             : onnxc_uk_min(onnxc_uk_round_up(n, nr), ONNXC_UK_NC);
  return cols * onnxc_uk_min(k, ONNXC_UK_KC);
}

/* Declares the three kernels of one ISA. */
#define ONNXC_UK_DECLARE(isa)                                                                    \
  /* C[M x N] (row stride rsC, column stride 1) = epilogue(A[M x K] . B[K x N]).                 \
   * A: packed (a_packed != 0, layout above with this ISA's MR) or strided (A[i][k] at           \
   *    a[i*rsA + k*csA]). B likewise with NR (B[k][j] at b[k*rsB + j*csB]).                     \
   * bias: NULL, or bias_kind 1: one value per column (bias[j]), 2: one per row (bias[i]).       \
   * scratch: onnxc_uk_sgemm_scratch_floats(...) floats, 64-byte aligned.                        \
   * M, N or K may be 0 (K = 0 gives out = clamp((accumulate ? out : 0) + bias)). */             \
  void onnxc_uk_sgemm_##isa(int64_t M, int64_t N, int64_t K, const float *a, int64_t rsA,       \
                            int64_t csA, int64_t a_packed, const float *b, int64_t rsB,          \
                            int64_t csB, int64_t b_packed, float *c, int64_t rsC,                \
                            const float *bias, int64_t bias_kind, float lo, float hi,            \
                            int64_t accumulate, float *scratch);                                 \
  /* 2-D convolution, NCHW: out[n][f][oh][ow] = epilogue(sum over c in f's group, kh, kw of      \
   * in[n][c][oh*sH + kh*dH - padT][ow*sW + kw*dW - padL] * w[f][c][kh][kw]), out-of-range      \
   * input reads as 0. input [N][C][H][W] and output [N][F][OH][OW] are dense. weights: for each \
   * group g, W_g (Fg = F/groups rows x K = C/groups*KH*KW columns, k = (c*KH+kh)*KW+kw) packed  \
   * as A (onnxc_uk_packed_a_floats(MR, Fg, K) floats), or, when onnxc_uk_conv_pixel_rows(      \
   * DIRECT, NR, C/groups, Fg, OH*OW, KH, KW, sH, sW), its transpose packed as B                 \
   * (onnxc_uk_packed_b_floats(NR, K, Fg) floats); groups one after another. bias: NULL or [F].  \
   * scratch: onnxc_uk_sconv2d_scratch_floats(DIRECT, MR, NR, C/groups, Fg, KH, KW, sH, sW, dH,  \
   * dW, OH, OW) floats, 64-byte aligned. */                                                     \
  void onnxc_uk_sconv2d_##isa(int64_t N, int64_t C, int64_t H, int64_t W, int64_t F,            \
                              int64_t OH, int64_t OW, int64_t groups, int64_t KH, int64_t KW,    \
                              int64_t sH, int64_t sW, int64_t dH, int64_t dW, int64_t padT,      \
                              int64_t padL, const float *input, const float *weights,            \
                              const float *bias, float *output, float lo, float hi,              \
                              int64_t accumulate, float *scratch);                               \
  /* Depthwise 2-D convolution, NCHW, one filter per channel (groups = C = F): weights dense     \
   * [C][KH][KW], no packing, no scratch; otherwise as sconv2d. */                               \
  void onnxc_uk_sdwconv2d_##isa(int64_t N, int64_t C, int64_t H, int64_t W, int64_t OH,         \
                                int64_t OW, int64_t KH, int64_t KW, int64_t sH, int64_t sW,      \
                                int64_t dH, int64_t dW, int64_t padT, int64_t padL,              \
                                const float *input, const float *weights, const float *bias,     \
                                float *output, float lo, float hi, int64_t accumulate);          \
  /* 2-D max pooling, NCHW: out[n][c][oh][ow] = max over kh < KH, kw < KW of                    \
   * in[n][c][oh*sH + kh*dH - padT][ow*sW + kw*dW - padL], taps outside the image left out (the \
   * -inf padding of MaxPool; a window with no tap inside gives -inf); NaN propagates. input    \
   * and output dense; no scratch. */                                                            \
  void onnxc_uk_smaxpool2d_##isa(int64_t N, int64_t C, int64_t H, int64_t W, int64_t OH,        \
                                 int64_t OW, int64_t KH, int64_t KW, int64_t sH, int64_t sW,     \
                                 int64_t dH, int64_t dW, int64_t padT, int64_t padL,             \
                                 const float *input, float *output);

ONNXC_UK_DECLARE(avx512)
ONNXC_UK_DECLARE(avx2)
ONNXC_UK_DECLARE(neon)
ONNXC_UK_DECLARE(generic)

#ifdef __cplusplus
}
#endif

#endif /* ONNXC_UKERNEL_H */
