/* Portable C microkernels (include/onnxc/ukernel.h, ISA suffix "generic"). The MR x NR block
 * lives in a local array with constant bounds so compilers keep it in vector registers and
 * vectorise the column loop for whatever SIMD the target has. Depthwise uses the driver's
 * portable rows. */
#define UK_ISA generic
#define UK_MR ONNXC_UK_GENERIC_MR
#define UK_NR ONNXC_UK_GENERIC_NR
#include "ukernel_driver.h"

#if UK_MR != 4
#error "the portable kernel below is written for 4 rows"
#endif

/* The four A values of a k step are scalars and the column loop is innermost with a constant
 * trip count: GCC and Clang, at -O2 and -O3, vectorise exactly that loop and keep the block in
 * registers. (A generic r-then-j nest led GCC -O3 to vectorise across k instead, with shuffles,
 * at a seventh of the speed.) */
static void uk_micro(int64_t kc, const float *ap, const float *bp, float *c, int64_t rsC,
                     int64_t mr, int64_t nr, const uk_epi *e) {
  float acc[UK_MR][UK_NR];
  int64_t k;
  int r, j;
  for (r = 0; r < UK_MR; ++r)
    for (j = 0; j < UK_NR; ++j) acc[r][j] = 0.0f;
  for (k = 0; k < kc; ++k, ap += UK_MR, bp += UK_NR) {
    const float a0 = ap[0], a1 = ap[1], a2 = ap[2], a3 = ap[3];
    for (j = 0; j < UK_NR; ++j) {
      const float b = bp[j];
      acc[0][j] += a0 * b;
      acc[1][j] += a1 * b;
      acc[2][j] += a2 * b;
      acc[3][j] += a3 * b;
    }
  }
  uk_store_tile(&acc[0][0], UK_NR, c, rsC, mr, nr, e);
}

static void uk_dw_strip(const float *x, int64_t PW, int64_t nout, const float *wc,
                        const uk_dwg *g, float *out, float bias, const uk_epi *e) {
  uk_dw_strip_portable(x, PW, nout, wc, g, out, bias, e);
}
