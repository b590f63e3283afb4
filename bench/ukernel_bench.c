/* runtime-lite microkernel benchmark: GFLOP/s of onnxc_uk_sgemm / sconv2d / sdwconv2d per ISA
 * against the measured single-core FMA peak of that ISA (register-resident FMA chains).
 *
 *   ukernel_bench [--isa avx512|avx2|generic|all] [--time S] [--cold] [FILTER...]
 *   ukernel_bench gemm:M:N:K:a_packed:b_packed conv:C:H:F:k:stride:pad dw:C:H:k:stride[:W]
 *
 * One line per case: isa, case name, shape, best-of-rounds GFLOP/s, % of the ISA's peak
 * (generic is compared with the AVX2 peak on x86). Operands are allocated fresh per case and
 * reused across rounds, so a case whose data fits in L2/L3 runs warm; --cold empties the caches
 * before every timed run instead (inside a model weights and most activations come cold). Convs
 * run with Relu, depthwise with Relu6, GEMM with a per-column bias. FILTER words keep cases
 * whose name contains one of them (gemm, conv, dw, or a full name such as conv3x3_56).
 *
 * Build (from the repository root, x86-64):
 *   F512="-mavx512f -mavx512vl -mavx512bw -mavx512dq -mfma"
 *   gcc -O2 -ffreestanding $F512 -Iruntime-lite/include -c runtime-lite/src/ukernel_avx512.c \
 *       -o /tmp/uk_avx512.o
 *   gcc -O2 -ffreestanding -mavx2 -mfma -Iruntime-lite/include -c runtime-lite/src/ukernel_avx2.c \
 *       -o /tmp/uk_avx2.o
 *   gcc -O2 -ffreestanding -Iruntime-lite/include -c runtime-lite/src/ukernel_generic.c \
 *       -o /tmp/uk_generic.o
 *   gcc -O2 -ffreestanding -Iruntime-lite/include -c runtime-lite/src/ukernel_parallel.c \
 *       -o /tmp/uk_parallel.o
 *   gcc -O2 -Iruntime-lite/include bench/ukernel_bench.c /tmp/uk_*.o -lm -o /tmp/ukernel_bench
 * (or link build/lib/libonnxc_rt.a instead of the objects). */
#define _POSIX_C_SOURCE 200809L
#include "onnxc/ukernel.h"

#include <immintrin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- FMA peak: enough independent chains to cover 2 pipes x 4-cycle latency with margin,
 * and few enough to stay in registers (16 zmm of 32; 12 ymm of 16 -- 16 ymm chains plus the
 * two operands would spill and understate the AVX2 peak). ---- */
#define CHAINS 16
#define CHAINS2 12
__attribute__((target("avx512f"), noinline)) static float fma_avx512(long iters) {
  __m512 acc[CHAINS];
  const __m512 b = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-6f);
  float out[16], r = 0;
  int j;
  long i;
  for (j = 0; j < CHAINS; ++j) acc[j] = _mm512_set1_ps(1.0f + 0.01f * j);
  for (i = 0; i < iters; ++i) {
#pragma GCC unroll 16
    for (j = 0; j < CHAINS; ++j) acc[j] = _mm512_fmadd_ps(acc[j], b, c);
  }
  for (j = 1; j < CHAINS; ++j) acc[0] = _mm512_add_ps(acc[0], acc[j]);
  _mm512_storeu_ps(out, acc[0]);
  for (j = 0; j < 16; ++j) r += out[j];
  return r;
}
__attribute__((target("avx2,fma"), noinline)) static float fma_avx2(long iters) {
  __m256 acc[CHAINS2];
  const __m256 b = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-6f);
  float out[8], r = 0;
  int j;
  long i;
  for (j = 0; j < CHAINS2; ++j) acc[j] = _mm256_set1_ps(1.0f + 0.01f * j);
  for (i = 0; i < iters; ++i) {
#pragma GCC unroll 12
    for (j = 0; j < CHAINS2; ++j) acc[j] = _mm256_fmadd_ps(acc[j], b, c);
  }
  for (j = 1; j < CHAINS2; ++j) acc[0] = _mm256_add_ps(acc[0], acc[j]);
  _mm256_storeu_ps(out, acc[0]);
  for (j = 0; j < 8; ++j) r += out[j];
  return r;
}
static volatile float g_sink;

static double peak_gflops(float (*loop)(long), int lanes, int chains) {
  long iters = 1 << 18;
  double best = 0, t0;
  int r;
  for (;;) {
    t0 = now_s();
    g_sink = loop(iters);
    if (now_s() - t0 > 0.05) break;
    iters *= 2;
  }
  for (r = 0; r < 5; ++r) {
    double s;
    t0 = now_s();
    g_sink = loop(iters);
    s = now_s() - t0;
    double gf = 2.0 * lanes * chains * iters / s / 1e9;
    if (gf > best) best = gf;
  }
  return best;
}

/* ---- Variants ---- */
typedef void (*sgemm_fn)(int64_t, int64_t, int64_t, const float *, int64_t, int64_t, int64_t,
                         const float *, int64_t, int64_t, int64_t, float *, int64_t,
                         const float *, int64_t, float, float, int64_t, float *);
typedef void (*sconv_fn)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                         int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                         const float *, const float *, const float *, float *, float, float,
                         int64_t, float *);
typedef void (*sdw_fn)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                       int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, const float *,
                       const float *, const float *, float *, float, float, int64_t);
typedef struct {
  const char *name;
  sgemm_fn gemm;
  sconv_fn conv;
  sdw_fn dw;
  int64_t mr, nr;
  int direct; /* ONNXC_UK_<ISA>_DIRECT */
  double peak;
} variant;

static double g_time = 0.3;

static float *falloc(int64_t n) {
  void *p = 0;
  int64_t i;
  if (n < 16) n = 16;
  if (posix_memalign(&p, 64, (size_t)n * sizeof(float))) abort();
  for (i = 0; i < n; ++i) ((float *)p)[i] = (float)((i * 7919) % 1000) * 1e-3f - 0.5f;
  return (float *)p;
}

/* Times fn(ctx) repeatedly for about g_time seconds; returns the best single-call seconds. */
/* --cold: every timed run starts with caches emptied of the operands (a model's weights and
 * most activations arrive from DRAM/L3, not hot as in a loop over one kernel). */
static int g_cold;
static void evict_caches(void) {
  enum { EVICT_FLOATS = 24 << 20 }; /* 96 MB: past any L3 here */
  static float *junk;
  static float sink;
  int64_t i;
  if (!junk) junk = (float *)calloc(EVICT_FLOATS, sizeof(float));
  if (!junk) return;
  for (i = 0; i < EVICT_FLOATS; i += 16) junk[i] += 1.0f;
  sink += junk[EVICT_FLOATS / 2];
}

static double best_time(void (*fn)(void *), void *ctx) {
  double best = 1e30, start = now_s();
  int runs = 0;
  fn(ctx); /* warm-up */
  while (runs < 3 || now_s() - start < g_time) {
    double t0, t;
    if (g_cold) evict_caches();
    t0 = now_s();
    fn(ctx);
    t = now_s() - t0;
    if (t < best) best = t;
    ++runs;
    if (runs > 100000) break;
  }
  return best;
}

typedef struct {
  const variant *v;
  int64_t M, N, K;
  int a_packed, b_packed;
  float *a, *b, *c, *bias, *scratch;
} gemm_ctx;

static void run_gemm(void *p) {
  gemm_ctx *g = (gemm_ctx *)p;
  g->v->gemm(g->M, g->N, g->K, g->a, g->a_packed ? 0 : g->K, g->a_packed ? 0 : 1, g->a_packed,
             g->b, g->b_packed ? 0 : g->N, g->b_packed ? 0 : 1, g->b_packed, g->c, g->N,
             g->bias, 1, -INFINITY, INFINITY, 0, g->scratch);
}

static void report(const variant *v, const char *name, const char *shape, double flops,
                   double secs) {
  double gf = flops / secs / 1e9;
  printf("%-8s %-16s %-34s %8.1f GFLOP/s %5.1f%% of peak  (%.3f ms)\n", v->name, name, shape, gf,
         100.0 * gf / v->peak, secs * 1e3);
  fflush(stdout);
}

static void bench_gemm(const variant *v, const char *name, int64_t M, int64_t N, int64_t K,
                       int a_packed, int b_packed) {
  gemm_ctx g;
  char shape[96];
  g.v = v, g.M = M, g.N = N, g.K = K, g.a_packed = a_packed, g.b_packed = b_packed;
  /* Packed operands are just the right size: the values do not matter for timing. */
  g.a = falloc(a_packed ? onnxc_uk_packed_a_floats(v->mr, M, K) : M * K);
  g.b = falloc(b_packed ? onnxc_uk_packed_b_floats(v->nr, K, N) : K * N);
  g.c = falloc(M * N);
  g.bias = falloc(N);
  g.scratch = falloc(onnxc_uk_sgemm_scratch_floats(v->mr, v->nr, M, N, K, a_packed, b_packed));
  snprintf(shape, sizeof shape, "M=%lld N=%lld K=%lld A%s B%s", (long long)M, (long long)N,
           (long long)K, a_packed ? "p" : "s", b_packed ? "p" : "s");
  report(v, name, shape, 2.0 * M * N * K, best_time(run_gemm, &g));
  free(g.a), free(g.b), free(g.c), free(g.bias), free(g.scratch);
}

typedef struct {
  const variant *v;
  int64_t C, H, W, F, OH, OW, KH, KW, s, pad, groups;
  float *in, *w, *bias, *out, *scratch;
} conv_ctx;

static void run_conv(void *p) {
  conv_ctx *c = (conv_ctx *)p;
  c->v->conv(1, c->C, c->H, c->W, c->F, c->OH, c->OW, 1, c->KH, c->KW, c->s, c->s, 1, 1, c->pad,
             c->pad, c->in, c->w, c->bias, c->out, 0.0f, INFINITY, 0, c->scratch);
}

static void run_dw(void *p) {
  conv_ctx *c = (conv_ctx *)p;
  c->v->dw(1, c->C, c->H, c->W, c->OH, c->OW, c->KH, c->KW, c->s, c->s, 1, 1, c->pad, c->pad,
           c->in, c->w, c->bias, c->out, 0.0f, 6.0f, 0);
}

/* An H x W input (W = H for the named cases). */
static void bench_conv(const variant *v, const char *name, int64_t C, int64_t H, int64_t W,
                       int64_t F, int64_t Kk, int64_t s, int64_t pad, int depthwise) {
  conv_ctx c;
  char shape[96];
  int64_t K = depthwise ? Kk * Kk : C * Kk * Kk;
  c.v = v, c.C = C, c.H = H, c.W = W, c.F = depthwise ? C : F, c.KH = Kk, c.KW = Kk, c.s = s;
  c.pad = pad, c.groups = 1;
  c.OH = (H + 2 * pad - Kk) / s + 1, c.OW = (W + 2 * pad - Kk) / s + 1;
  c.in = falloc(C * H * W);
  /* (with pixels as rows the weights are W^T packed as B) */
  c.w = falloc(depthwise ? C * Kk * Kk
               : onnxc_uk_conv_pixel_rows(v->direct, v->nr, C, F, c.OH * c.OW, Kk, Kk, s, s)
                   ? onnxc_uk_packed_b_floats(v->nr, K, F)
                   : onnxc_uk_packed_a_floats(v->mr, F, K));
  c.bias = falloc(c.F);
  c.out = falloc(c.F * c.OH * c.OW);
  c.scratch =
      falloc(depthwise ? 0
                       : onnxc_uk_sconv2d_scratch_floats(v->direct, v->mr, v->nr, C, F, Kk, Kk, s,
                                                         s, 1, 1, c.OH, c.OW));
  snprintf(shape, sizeof shape, "C=%lld %lldx%lld F=%lld %lldx%lld s%lld p%lld", (long long)C,
           (long long)H, (long long)W, (long long)c.F, (long long)Kk, (long long)Kk,
           (long long)s, (long long)pad);
  report(v, name, shape, 2.0 * c.F * c.OH * c.OW * K,
         best_time(depthwise ? run_dw : run_conv, &c));
  free(c.in), free(c.w), free(c.bias), free(c.out), free(c.scratch);
}

static int keep(const char *name, char **filters, int nf) {
  int i;
  if (!nf) return 1;
  for (i = 0; i < nf; ++i)
    if (strstr(name, filters[i])) return 1;
  return 0;
}

int main(int argc, char **argv) {
  variant vs[3];
  int nv = 0, i, nf = 0;
  const char *isa = "all";
  char *filters[32];
  double p512 = 0, p2 = 0;
  for (i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "--isa") && i + 1 < argc) isa = argv[++i];
    else if (!strcmp(argv[i], "--time") && i + 1 < argc) g_time = atof(argv[++i]);
    else if (!strcmp(argv[i], "--cold")) g_cold = 1;
    else if (nf < 32) filters[nf++] = argv[i];
  }
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) {
    p512 = peak_gflops(fma_avx512, 16, CHAINS);
    printf("peak isa=avx512 gflops=%.1f\n", p512);
  }
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    p2 = peak_gflops(fma_avx2, 8, CHAINS2);
    printf("peak isa=avx2 gflops=%.1f\n", p2);
  }
  if (p512 > 0 && (!strcmp(isa, "all") || !strcmp(isa, "avx512"))) {
    variant v = {"avx512", onnxc_uk_sgemm_avx512, onnxc_uk_sconv2d_avx512,
                 onnxc_uk_sdwconv2d_avx512, ONNXC_UK_AVX512_MR, ONNXC_UK_AVX512_NR,
                 ONNXC_UK_AVX512_DIRECT, p512};
    vs[nv++] = v;
  }
  if (p2 > 0 && (!strcmp(isa, "all") || !strcmp(isa, "avx2"))) {
    variant v = {"avx2", onnxc_uk_sgemm_avx2, onnxc_uk_sconv2d_avx2, onnxc_uk_sdwconv2d_avx2,
                 ONNXC_UK_AVX2_MR, ONNXC_UK_AVX2_NR, ONNXC_UK_AVX2_DIRECT, p2};
    vs[nv++] = v;
  }
  if (!strcmp(isa, "all") || !strcmp(isa, "generic")) {
    variant v = {"generic", onnxc_uk_sgemm_generic, onnxc_uk_sconv2d_generic,
                 onnxc_uk_sdwconv2d_generic, ONNXC_UK_GENERIC_MR, ONNXC_UK_GENERIC_NR,
                 ONNXC_UK_GENERIC_DIRECT, p2 > 0 ? p2 : 1.0};
    vs[nv++] = v;
  }
  for (i = 0; i < nv; ++i) {
    const variant *v = &vs[i];
    int f;
    /* Ad-hoc shapes: gemm:M:N:K:a_packed:b_packed, conv:C:H:F:k:stride:pad,
     * dw:C:H:k:stride[:W] (W: a non-square H x W plane, such as DS-CNN's 25 x 5) */
    for (f = 0; f < nf; ++f) {
      long long x[6] = {0, 0, 0, 0, 0, 0};
      if (sscanf(filters[f], "gemm:%lld:%lld:%lld:%lld:%lld", &x[0], &x[1], &x[2], &x[3],
                 &x[4]) == 5)
        bench_gemm(v, "gemm", x[0], x[1], x[2], (int)x[3], (int)x[4]);
      else if (sscanf(filters[f], "conv:%lld:%lld:%lld:%lld:%lld:%lld", &x[0], &x[1], &x[2], &x[3],
                      &x[4], &x[5]) == 6)
        bench_conv(v, "conv", x[0], x[1], x[1], x[2], x[3], x[4], x[5], 0);
      else {
        int got = sscanf(filters[f], "dw:%lld:%lld:%lld:%lld:%lld", &x[0], &x[1], &x[2], &x[3],
                         &x[4]);
        if (got >= 4) bench_conv(v, "dw", x[0], x[1], got == 5 ? x[4] : x[1], 0, x[2], x[3],
                                 x[2] / 2, 1);
      }
    }
#define G(name, M, N, K, ap, bp) \
  if (keep(name, filters, nf)) bench_gemm(v, name, M, N, K, ap, bp);
#define CV(name, C, H, F, k, s, p) \
  if (keep(name, filters, nf)) bench_conv(v, name, C, H, H, F, k, s, p, 0);
#define DW(name, C, H, k, s) \
  if (keep(name, filters, nf)) bench_conv(v, name, C, H, H, 0, k, s, (k) / 2, 1);
    G("tile_l1", ONNXC_UK_MC, 64, ONNXC_UK_KC, 1, 1)
    G("gemm1024", 1024, 1024, 1024, 0, 1)
    G("gemm1024_unpk", 1024, 1024, 1024, 0, 0)
    G("gemm1024_apk", 1024, 1024, 1024, 1, 0)
    G("gemm256", 256, 256, 256, 0, 1)
    G("gemm_m1", 1, 3072, 768, 0, 1)
    G("gemm_m8", 8, 3072, 768, 0, 1)
    G("gemm_bert", 128, 3072, 768, 0, 1)
    CV("conv7x7_224", 3, 224, 64, 7, 2, 3)
    CV("conv3x3_56", 64, 56, 64, 3, 1, 1)
    CV("conv1x1_56", 64, 56, 256, 1, 1, 0)
    CV("conv3x3_28", 128, 28, 128, 3, 1, 1)
    CV("conv3x3_14", 256, 14, 256, 3, 1, 1)
    CV("conv1x1_14", 1024, 14, 256, 1, 1, 0)
    CV("conv3x3_7", 512, 7, 512, 3, 1, 1)
    CV("conv3x3s2_56", 128, 56, 128, 3, 2, 1)
    DW("dw_112", 32, 112, 3, 1)
    DW("dw_112s2", 96, 112, 3, 2)
    DW("dw_56", 144, 56, 3, 1)
    DW("dw_56s2", 144, 56, 3, 2)
    DW("dw_28", 192, 28, 3, 1)
    DW("dw_14", 576, 14, 3, 1)
    DW("dw_7", 960, 7, 3, 1)
  }
  return 0;
}
