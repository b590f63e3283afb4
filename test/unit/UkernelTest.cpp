//===- UkernelTest.cpp - runtime-lite f32 microkernels against a reference ----===//
//
// Every ISA variant of onnxc_uk_sgemm / sconv2d / sdwconv2d that this build has and this CPU
// runs, against naive double-accumulating loops. The packers here follow ukernel.h's layout
// text independently of runtime-lite (and of the compiler's packers), so the tests also pin
// the packed-layout contract. Guard values around C and past the documented scratch size
// catch writes outside what a kernel may touch.
//
//===----------------------------------------------------------------------===//
#include "onnxc/ukernel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ostream>
#include <random>
#include <string>
#include <vector>

namespace {

using SgemmFn = void (*)(int64_t, int64_t, int64_t, const float *, int64_t, int64_t, int64_t,
                         const float *, int64_t, int64_t, int64_t, float *, int64_t,
                         const float *, int64_t, float, float, int64_t, float *);
using SconvFn = void (*)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                         int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                         const float *, const float *, const float *, float *, float, float,
                         int64_t, float *);
using SdwFn = void (*)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                       int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, const float *,
                       const float *, const float *, float *, float, float, int64_t);
using SmaxpoolFn = void (*)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                            int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                            const float *, float *);

struct Variant {
  const char *name;
  SgemmFn sgemm;
  SconvFn sconv;
  SdwFn sdw;
  SmaxpoolFn smaxpool;
  int64_t mr, nr;
  int direct; // ONNXC_UK_<ISA>_DIRECT
  bool (*available)();
};

void PrintTo(const Variant &v, std::ostream *os) { *os << v.name; }

bool always() { return true; }
#if defined(__x86_64__) || defined(_M_X64)
bool hasAvx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
         __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("fma");
}
bool hasAvx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#endif

#define UK_VARIANT(isa, ISA, avail)                                                               \
  Variant {                                                                                      \
    #isa, onnxc_uk_sgemm_##isa, onnxc_uk_sconv2d_##isa, onnxc_uk_sdwconv2d_##isa,                \
        onnxc_uk_smaxpool2d_##isa,                                                               \
        ONNXC_UK_##ISA##_MR, ONNXC_UK_##ISA##_NR, ONNXC_UK_##ISA##_DIRECT, avail                 \
  }

const Variant kVariants[] = {
    UK_VARIANT(generic, GENERIC, always),
#if defined(__x86_64__) || defined(_M_X64)
    UK_VARIANT(avx2, AVX2, hasAvx2),
    UK_VARIANT(avx512, AVX512, hasAvx512),
#endif
#if defined(__aarch64__) || defined(ONNXC_UK_TEST_NEON)  // the latter: NEON emulated off-ARM
    UK_VARIANT(neon, NEON, always),
#endif
};

constexpr float kGuard = -77777.0f;
constexpr int64_t kGuardFloats = 64;

std::vector<float> randomVec(std::mt19937 &rng, size_t n, float lo = -1.0f, float hi = 1.0f) {
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (auto &x : v) x = d(rng);
  return v;
}

// ukernel.h: panel p holds, for k = 0..K-1, A[p*MR + r][k] for r < MR, zero past M.
std::vector<float> packA(const std::vector<float> &a, int64_t rs, int64_t cs, int64_t m,
                         int64_t k, int64_t mr) {
  std::vector<float> out(onnxc_uk_packed_a_floats(mr, m, k), 123.0f);
  for (int64_t p = 0; p * mr < m; ++p)
    for (int64_t kk = 0; kk < k; ++kk)
      for (int64_t r = 0; r < mr; ++r) {
        int64_t i = p * mr + r;
        out[(p * k + kk) * mr + r] = i < m ? a[i * rs + kk * cs] : 0.0f;
      }
  return out;
}

// ukernel.h: panel p holds, for k = 0..K-1, B[k][p*NR + c] for c < NR, zero past N.
std::vector<float> packB(const std::vector<float> &b, int64_t rs, int64_t cs, int64_t k,
                         int64_t n, int64_t nr) {
  std::vector<float> out(onnxc_uk_packed_b_floats(nr, k, n), 123.0f);
  for (int64_t p = 0; p * nr < n; ++p)
    for (int64_t kk = 0; kk < k; ++kk)
      for (int64_t c = 0; c < nr; ++c) {
        int64_t j = p * nr + c;
        out[(p * k + kk) * nr + c] = j < n ? b[kk * rs + j * cs] : 0.0f;
      }
  return out;
}

// A 64-byte aligned scratch of `floats` floats followed by guard values.
struct Scratch {
  explicit Scratch(int64_t floats) : floats(floats), buf(floats + kGuardFloats + 16, kGuard) {
    uintptr_t p = reinterpret_cast<uintptr_t>(buf.data());
    base = buf.data() + ((64 - p % 64) % 64) / sizeof(float);
    for (int64_t i = 0; i < floats; ++i) base[i] = std::nanf("");  // kernels must not read it first
  }
  float *get() { return floats ? base : nullptr; }
  bool guardsIntact() const {
    for (int64_t i = floats; i < floats + kGuardFloats; ++i)
      if (base[i] != kGuard) return false;
    return true;
  }
  int64_t floats;
  std::vector<float> buf;
  float *base;
};

// An M x N output with row stride rs, inside a buffer of guard values.
struct Output {
  Output(int64_t m, int64_t n, int64_t rs, const std::vector<float> &init)
      : m(m), n(n), rs(rs), buf(kGuardFloats * 2 + (m > 0 ? (m - 1) * rs + n : 0), kGuard) {
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) at(i, j) = init[i * n + j];
  }
  float *data() { return buf.data() + kGuardFloats; }
  float &at(int64_t i, int64_t j) { return buf[kGuardFloats + i * rs + j]; }
  // Number of floats outside the M x N window that changed.
  int64_t strayWrites() const {
    int64_t bad = 0;
    for (int64_t x = 0; x < (int64_t)buf.size(); ++x) {
      int64_t off = x - kGuardFloats;
      bool inside = off >= 0 && m > 0 && off / rs < m && off % rs < n;
      if (!inside && buf[x] != kGuard) ++bad;
    }
    return bad;
  }
  int64_t m, n, rs;
  std::vector<float> buf;
};

float epilogue(double acc, float old, float bias, float lo, float hi, bool accumulate) {
  double v = (accumulate ? old : 0.0) + acc + bias;
  return std::fmin(std::fmax((float)v, lo), hi);
}

// |got - ref| within what (K + 4) float roundings of the absolute terms allow, with margin.
::testing::AssertionResult near(float got, float ref, double absScale, int64_t k) {
  double tol = 1e-6 * (double)(k + 4) * (absScale + 1e-30) + 1e-30;
  if (std::fabs((double)got - (double)ref) <= tol) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "got " << got << " want " << ref << " tol " << tol;
}

class Ukernel : public ::testing::TestWithParam<Variant> {
protected:
  void SetUp() override {
    if (!GetParam().available()) GTEST_SKIP() << GetParam().name << " not supported by this CPU";
  }
};

// ---- sgemm -----------------------------------------------------------------------------------

enum class Layout { RowMajor, Transposed, Strided, Packed };

struct GemmCase {
  int64_t m, n, k;
  Layout a, b;
  int biasKind;  // 0, 1 (per column), 2 (per row)
  bool accumulate, clamp;
};

std::string describe(const GemmCase &c) {
  static const char *names[] = {"row", "trans", "strided", "packed"};
  return "M=" + std::to_string(c.m) + " N=" + std::to_string(c.n) + " K=" + std::to_string(c.k) +
         " A=" + names[(int)c.a] + " B=" + names[(int)c.b] + " bias=" + std::to_string(c.biasKind) +
         " acc=" + std::to_string(c.accumulate) + " clamp=" + std::to_string(c.clamp);
}

void runGemm(const Variant &v, const GemmCase &gc, std::mt19937 &rng) {
  SCOPED_TRACE(describe(gc));
  const int64_t M = gc.m, N = gc.n, K = gc.k;
  // Logical A[i][k] = A_store[i*rsA + k*csA], B[k][j] = B_store[k*rsB + j*csB].
  auto strides = [](Layout l, int64_t rows, int64_t cols, int64_t &rs, int64_t &cs) {
    switch (l) {
    case Layout::RowMajor:
    case Layout::Packed: rs = cols; cs = 1; break;
    case Layout::Transposed: rs = 1; cs = rows; break;
    case Layout::Strided: rs = 2 * cols + 3; cs = 2; break;
    }
  };
  int64_t rsA, csA, rsB, csB;
  strides(gc.a, M, K, rsA, csA);
  strides(gc.b, K, N, rsB, csB);
  auto extent = [](int64_t rows, int64_t cols, int64_t rs, int64_t cs) {
    return rows && cols ? (rows - 1) * rs + (cols - 1) * cs + 1 : 0;
  };
  std::vector<float> A = randomVec(rng, extent(M, K, rsA, csA) + 1);
  std::vector<float> B = randomVec(rng, extent(K, N, rsB, csB) + 1);
  std::vector<float> bias = randomVec(rng, gc.biasKind == 1 ? N : gc.biasKind == 2 ? M : 0);
  std::vector<float> init = randomVec(rng, M * N);
  const float lo = gc.clamp ? -0.25f : -INFINITY, hi = gc.clamp ? 0.5f : INFINITY;

  std::vector<float> Ap, Bp;
  const float *aArg = A.data(), *bArg = B.data();
  if (gc.a == Layout::Packed) aArg = (Ap = packA(A, rsA, csA, M, K, v.mr)).data();
  if (gc.b == Layout::Packed) bArg = (Bp = packB(B, rsB, csB, K, N, v.nr)).data();
  const bool aPacked = gc.a == Layout::Packed, bPacked = gc.b == Layout::Packed;

  const int64_t rsC = N + (N % 3) + 1;
  Output C(M, N, rsC, init);
  Scratch scratch(onnxc_uk_sgemm_scratch_floats(v.mr, v.nr, M, N, K, aPacked, bPacked));
  v.sgemm(M, N, K, aArg, aPacked ? 0 : rsA, aPacked ? 0 : csA, aPacked, bArg,
          bPacked ? 0 : rsB, bPacked ? 0 : csB, bPacked, C.data(), rsC,
          gc.biasKind ? bias.data() : nullptr, gc.biasKind, lo, hi, gc.accumulate,
          scratch.get());

  EXPECT_EQ(C.strayWrites(), 0);
  EXPECT_TRUE(scratch.guardsIntact());
  int64_t failures = 0;
  for (int64_t i = 0; i < M && failures < 5; ++i)
    for (int64_t j = 0; j < N && failures < 5; ++j) {
      double acc = 0, absAcc = 0;
      for (int64_t k = 0; k < K; ++k) {
        double t = (double)A[i * rsA + k * csA] * B[k * rsB + j * csB];
        acc += t;
        absAcc += std::fabs(t);
      }
      float b = gc.biasKind == 1 ? bias[j] : gc.biasKind == 2 ? bias[i] : 0.0f;
      float old = init[i * N + j];
      float ref = epilogue(acc, old, b, lo, hi, gc.accumulate);
      auto r = near(C.at(i, j), ref, absAcc + std::fabs(b) + std::fabs(old), K);
      if (!r) {
        ++failures;
        ADD_FAILURE() << "C[" << i << "][" << j << "]: " << r.message();
      }
    }
}

TEST_P(Ukernel, SgemmShapes) {
  std::mt19937 rng(1234);
  const int64_t dims[] = {0, 1, 2, 3, 5, 13, 14, 15, 17, 31, 32, 33, 64, 100, 257, 300, 1030};
  const int nd = sizeof(dims) / sizeof(dims[0]);
  const Layout layouts[] = {Layout::RowMajor, Layout::Transposed, Layout::Strided, Layout::Packed};
  std::uniform_int_distribution<int> pick(0, nd - 1), pickL(0, 3), pickBias(0, 2), coin(0, 1);
  int run = 0;
  for (int t = 0; t < 400 && run < 160; ++t) {
    GemmCase gc{dims[pick(rng)], dims[pick(rng)], dims[pick(rng)], layouts[pickL(rng)],
                layouts[pickL(rng)], pickBias(rng), coin(rng) == 1, coin(rng) == 1};
    if (gc.m * gc.n * std::max<int64_t>(gc.k, 1) > 6000000) continue;  // keep the reference quick
    runGemm(GetParam(), gc, rng);
    ++run;
  }
}

TEST_P(Ukernel, SgemmEveryLayoutPair) {
  std::mt19937 rng(99);
  const Layout layouts[] = {Layout::RowMajor, Layout::Transposed, Layout::Strided, Layout::Packed};
  for (Layout a : layouts)
    for (Layout b : layouts)
      for (int bias = 0; bias < 3; ++bias) {
        runGemm(GetParam(), {33, 47, 29, a, b, bias, bias == 1, bias == 2}, rng);
        runGemm(GetParam(), {5, 70, 3, a, b, bias, bias != 1, bias != 2}, rng);
      }
}

TEST_P(Ukernel, SgemmSeveralKBlocks) {
  std::mt19937 rng(7);
  const int64_t K1 = 3 * ONNXC_UK_KC + 5;
  for (int acc = 0; acc < 2; ++acc)
    for (int clamp = 0; clamp < 2; ++clamp) {
      runGemm(GetParam(), {17, 40, K1, Layout::RowMajor, Layout::Packed, 1, acc == 1, clamp == 1},
              rng);
      runGemm(GetParam(), {30, 33, K1, Layout::Packed, Layout::RowMajor, 2, acc == 1, clamp == 1},
              rng);
      runGemm(GetParam(), {3, 5, ONNXC_UK_KC, Layout::Strided, Layout::Transposed, 2, acc == 1,
                           clamp == 1},
              rng);
    }
}

TEST_P(Ukernel, SgemmLargeBlocks) {
  // Crosses the M, N and K cache blocks at once.
  std::mt19937 rng(5);
  runGemm(GetParam(), {ONNXC_UK_MC + 19, ONNXC_UK_NC + 37, ONNXC_UK_KC + 3, Layout::RowMajor,
                       Layout::RowMajor, 1, true, true},
          rng);
  runGemm(GetParam(), {ONNXC_UK_MC + 1, ONNXC_UK_NC + 1, ONNXC_UK_KC + 1, Layout::Packed,
                       Layout::Packed, 2, false, false},
          rng);
  runGemm(GetParam(), {1, 3072, 768, Layout::RowMajor, Layout::Packed, 1, false, false}, rng);
  // Few rows: a row-major B is read in place (UK_DIRECT_B) across N and K blocks.
  runGemm(GetParam(), {20, ONNXC_UK_NC + 37, ONNXC_UK_KC + 3, Layout::RowMajor,
                       Layout::RowMajor, 1, true, true},
          rng);
}

TEST_P(Ukernel, SgemmFewRowsPackedB) {
  // Up to a few rows against packed weights (batch-1 layers; AVX-512 streams whole panels with
  // A read in place, UK_FEW_ROWS): every row count around that limit, column counts off the
  // panel width, K past a K block, each bias kind, accumulate and clamp; and a strided A, which
  // takes the blocked nest.
  std::mt19937 rng(21);
  for (int64_t m = 1; m <= 9; ++m)
    for (int bias = 0; bias < 3; ++bias)
      runGemm(GetParam(), {m, m % 2 ? 45 : 13, ONNXC_UK_KC + 17 * m, Layout::RowMajor,
                           Layout::Packed, bias, bias == 1, bias != 0},
              rng);
  runGemm(GetParam(), {3, 70, 50, Layout::Strided, Layout::Packed, 2, true, true}, rng);
}

TEST_P(Ukernel, SgemmZeroK) {
  std::mt19937 rng(11);
  for (int bias = 0; bias < 3; ++bias)
    for (int acc = 0; acc < 2; ++acc)
      runGemm(GetParam(), {7, 9, 0, Layout::RowMajor, Layout::Packed, bias, acc == 1, true}, rng);
}

// ---- sconv2d ---------------------------------------------------------------------------------

struct ConvCase {
  int64_t n, c, h, w, f, groups, kh, kw, sh, sw, dh, dw, padT, padL, padB, padR;
  bool bias, accumulate, clamp;
};

std::string describe(const ConvCase &c) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "N=%lld C=%lld H=%lld W=%lld F=%lld g=%lld k=%lldx%lld s=%lldx%lld d=%lldx%lld "
                "pads=%lld,%lld,%lld,%lld bias=%d acc=%d clamp=%d",
                (long long)c.n, (long long)c.c, (long long)c.h, (long long)c.w, (long long)c.f,
                (long long)c.groups, (long long)c.kh, (long long)c.kw, (long long)c.sh,
                (long long)c.sw, (long long)c.dh, (long long)c.dw, (long long)c.padT,
                (long long)c.padL, (long long)c.padB, (long long)c.padR, c.bias, c.accumulate,
                c.clamp);
  return buf;
}

int64_t outDim(int64_t in, int64_t k, int64_t s, int64_t d, int64_t p0, int64_t p1) {
  return (in + p0 + p1 - d * (k - 1) - 1) / s + 1;
}

// Reference convolution (dense weights [F][C/groups][KH][KW]) for one output element.
double convRef(const ConvCase &c, const std::vector<float> &x, const std::vector<float> &w,
               int64_t n, int64_t f, int64_t oh, int64_t ow, double &absSum, bool depthwise) {
  const int64_t Cg = c.c / c.groups, Fg = c.f / c.groups, g = f / Fg;
  double acc = 0;
  absSum = 0;
  for (int64_t cc = 0; cc < Cg; ++cc)
    for (int64_t kh = 0; kh < c.kh; ++kh)
      for (int64_t kw = 0; kw < c.kw; ++kw) {
        int64_t ih = oh * c.sh + kh * c.dh - c.padT, iw = ow * c.sw + kw * c.dw - c.padL;
        if (ih < 0 || ih >= c.h || iw < 0 || iw >= c.w) continue;
        int64_t ch = g * Cg + cc;
        double t = (double)x[((n * c.c + ch) * c.h + ih) * c.w + iw] *
                   w[((depthwise ? f : f * Cg + cc) * c.kh + kh) * c.kw + kw];
        acc += t;
        absSum += std::fabs(t);
      }
  return acc;
}

void runConv(const Variant &v, const ConvCase &cc, bool depthwise, std::mt19937 &rng) {
  SCOPED_TRACE(std::string(depthwise ? "dw " : "") + describe(cc));
  const int64_t OH = outDim(cc.h, cc.kh, cc.sh, cc.dh, cc.padT, cc.padB);
  const int64_t OW = outDim(cc.w, cc.kw, cc.sw, cc.dw, cc.padL, cc.padR);
  const int64_t Cg = cc.c / cc.groups, Fg = cc.f / cc.groups, K = Cg * cc.kh * cc.kw;
  std::vector<float> x = randomVec(rng, cc.n * cc.c * cc.h * cc.w);
  std::vector<float> w = randomVec(rng, cc.f * Cg * cc.kh * cc.kw);
  std::vector<float> bias = randomVec(rng, cc.f);
  std::vector<float> init = randomVec(rng, cc.n * cc.f * OH * OW);
  const float lo = cc.clamp ? 0.0f : -INFINITY, hi = cc.clamp ? 0.75f : INFINITY;
  // The whole output is one (N*F) x (OH*OW) matrix; guards sit before and after it.
  Output out(cc.n * cc.f, OH * OW, OH * OW, init);
  Scratch scratch(depthwise ? 0
                            : onnxc_uk_sconv2d_scratch_floats(v.direct, v.mr, v.nr, Cg, Fg, cc.kh,
                                                              cc.kw, cc.sh, cc.sw, cc.dh, cc.dw,
                                                              OH, OW));
  if (depthwise) {
    v.sdw(cc.n, cc.c, cc.h, cc.w, OH, OW, cc.kh, cc.kw, cc.sh, cc.sw, cc.dh, cc.dw, cc.padT,
          cc.padL, x.data(), w.data(), cc.bias ? bias.data() : nullptr, out.data(), lo, hi,
          cc.accumulate);
  } else {
    std::vector<float> packed;
    for (int64_t g = 0; g < cc.groups; ++g) {
      // W_g: Fg x K, row f holds weights [g*Fg + f][c][kh][kw] flattened.
      std::vector<float> wg(w.begin() + g * Fg * K, w.begin() + (g + 1) * Fg * K);
      // With pixels as the GEMM's rows the kernel takes W_g^T packed as B.
      auto p = onnxc_uk_conv_pixel_rows(v.direct, v.nr, Cg, Fg, OH * OW, cc.kh, cc.kw, cc.sh,
                                        cc.sw)
                   ? packB(wg, 1, K, K, Fg, v.nr)
                   : packA(wg, K, 1, Fg, K, v.mr);
      packed.insert(packed.end(), p.begin(), p.end());
    }
    v.sconv(cc.n, cc.c, cc.h, cc.w, cc.f, OH, OW, cc.groups, cc.kh, cc.kw, cc.sh, cc.sw, cc.dh,
            cc.dw, cc.padT, cc.padL, x.data(), packed.data(), cc.bias ? bias.data() : nullptr,
            out.data(), lo, hi, cc.accumulate, scratch.get());
  }
  EXPECT_EQ(out.strayWrites(), 0);
  EXPECT_TRUE(scratch.guardsIntact());
  int64_t failures = 0;
  for (int64_t n = 0; n < cc.n; ++n)
    for (int64_t f = 0; f < cc.f; ++f)
      for (int64_t oh = 0; oh < OH; ++oh)
        for (int64_t ow = 0; ow < OW && failures < 5; ++ow) {
          double absSum;
          double acc = convRef(cc, x, w, n, f, oh, ow, absSum, depthwise);
          int64_t row = n * cc.f + f, col = oh * OW + ow;
          float b = cc.bias ? bias[f] : 0.0f, old = init[row * OH * OW + col];
          float ref = epilogue(acc, old, b, lo, hi, cc.accumulate);
          auto r = near(out.at(row, col), ref, absSum + std::fabs(b) + std::fabs(old), K);
          if (!r) {
            ++failures;
            ADD_FAILURE() << "out[" << n << "][" << f << "][" << oh << "][" << ow
                          << "]: " << r.message();
          }
        }
}

TEST_P(Ukernel, Sconv2d) {
  std::mt19937 rng(42);
  const ConvCase cases[] = {
      // n  c   h   w   f  g kh kw sh sw dh dw pT pL pB pR bias  acc    clamp
      {1, 3, 9, 9, 4, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, true, false, false},
      {2, 8, 12, 10, 16, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, true, true, true},
      {1, 16, 14, 14, 33, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, true, false, true},
      {2, 32, 7, 9, 20, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, false, true, false},
      {1, 16, 15, 15, 17, 1, 1, 1, 2, 2, 1, 1, 0, 0, 0, 0, true, false, false},
      {1, 3, 31, 29, 15, 1, 7, 7, 2, 2, 1, 1, 3, 3, 3, 3, true, false, true},
      {1, 8, 13, 17, 12, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, true, true, false},
      {2, 6, 11, 11, 9, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, true, false, true},
      {1, 5, 16, 18, 7, 1, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, true, false, false},
      {1, 4, 20, 9, 6, 1, 3, 5, 1, 2, 2, 1, 0, 2, 1, 0, true, true, false},
      {1, 4, 10, 10, 5, 1, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0, false, false, false},  // valid padding
      {1, 48, 10, 10, 14, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, true, false, false},  // K = 432 > KC
      {1, 64, 6, 6, 30, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, true, true, true},      // K = 576
      {1, 400, 4, 5, 3, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, true, false, false},    // 1x1, K > KC
      {1, 2, 16, 18, 3, 1, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, true, true, false},     // dilated, OW == W
      {1, 3, 23, 64, 4, 1, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1, true, false, false},    // stride 2 x 1
      {1, 2, 40, 45, 3, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, true, false, false},    // N > NC
      {1, 3, 5, 5, 2, 1, 5, 5, 1, 1, 1, 1, 4, 4, 4, 4, false, false, false},     // pad >= kernel
      {1, 2, 6, 7, 3, 1, 2, 2, 3, 3, 1, 1, 0, 0, 0, 0, true, false, false},      // stride > kernel
      {1, 3, 6, 6, 4, 1, 3, 3, 1, 1, 1, 1, 0, 1, 2, 1, true, false, false},      // asymmetric pads
      {1, 2, 4, 4, 5, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, true, true, false},       // 1x1 with pads
      {1, 20, 30, 30, 10, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, true, true, true},    // 1x1, N > NC
      // Pixels as rows (onnxc_uk_conv_pixel_rows): small planes, channels filling NR panels.
      {1, 32, 7, 7, 64, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, true, true, true},      // 1x1, 7 x 7
      {1, 40, 7, 7, 96, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, true, false, true},     // 3x3, K = 360
      {1, 64, 7, 7, 64, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, false, true, false},    // K = 576 > KC
      {1, 16, 14, 14, 64, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, true, false, false},  // stride 2
      {1, 24, 14, 14, 64, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, true, true, false},   // 196 pixels
      {2, 16, 7, 7, 64, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, true, false, true},     // 2 groups
      {1, 8, 5, 5, 40, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, true, true, true},       // F % NR != 0
      // Input read in place (onnxc_uk_conv_direct, AVX-512): dilation, strides along one
      // axis, asymmetric pads, 5x5 stride 2, a batch.
      {2, 8, 17, 19, 20, 1, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, true, true, true},
      {1, 8, 23, 21, 33, 1, 3, 3, 2, 1, 1, 1, 1, 0, 1, 2, true, false, false},
      {1, 8, 12, 29, 16, 1, 3, 3, 1, 2, 1, 1, 0, 1, 1, 1, true, true, false},
      {1, 3, 20, 25, 8, 1, 5, 5, 2, 2, 1, 1, 2, 2, 2, 2, true, false, true},
      // K blocks of up to 4 KC rows on small planes (200 channels: two blocks of 100), KC rows
      // where a block's bordered planes would pass 512 KB (48 channels of 62 x 62: 24 + 24);
      // rows cut into even tiles (32 = 11 + 11 + 10, 20 = 10 + 10).
      {1, 200, 6, 6, 40, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, true, true, true},
      {1, 48, 60, 60, 16, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, true, false, false},
      {1, 16, 32, 32, 32, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, true, true, false},
      {1, 16, 9, 20, 24, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, false, false, true},
  };
  for (const auto &cc : cases) runConv(GetParam(), cc, false, rng);
}

TEST_P(Ukernel, Sdwconv2d) {
  std::mt19937 rng(43);
  const ConvCase cases[] = {
      // n  c    h    w   f  g  kh kw sh sw dh dw pT pL pB pR bias  acc    clamp
      {1, 3, 9, 9, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, true, false, false},
      {2, 5, 37, 35, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, true, true, true},
      {1, 4, 38, 37, 4, 4, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, true, false, true},
      {1, 3, 7, 7, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, false, false, false},
      {1, 3, 8, 8, 3, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, true, false, false},
      {1, 2, 70, 130, 2, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, true, false, true},
      {1, 2, 20, 70, 2, 2, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, true, true, false},
      {1, 3, 17, 23, 3, 3, 5, 5, 1, 1, 2, 2, 4, 4, 4, 4, true, false, false},
      {1, 3, 17, 23, 3, 3, 5, 3, 2, 1, 1, 2, 2, 1, 0, 3, true, false, false},
      {1, 2, 12, 40, 2, 2, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1, true, false, false},
      {1, 2, 5, 6, 2, 2, 7, 7, 1, 1, 1, 1, 3, 3, 3, 3, true, false, false},  // kernel > image
      {1, 2, 9, 9, 2, 2, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0, true, false, false},  // valid padding
      {2, 4, 12, 12, 4, 4, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, true, true, true},
      {1, 2, 300, 5, 2, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, true, false, false},  // tall, narrow
      {1, 1, 3, 2500, 1, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, true, true, true},   // > row buffer
      {1, 2, 9, 40, 2, 2, 3, 3, 1, 4, 1, 1, 1, 1, 1, 1, true, false, false},   // stride 4 along W
      {1, 2, 30, 30, 2, 2, 3, 3, 1, 1, 3, 3, 3, 3, 3, 3, true, false, false},  // dilation 3
      // 3x3 read in place (AVX-512): padding only bottom/right, none, asymmetric; a stride
      // along one axis only, and 5x5 stride 2, take the padded row copies.
      {1, 3, 15, 33, 3, 3, 3, 3, 2, 2, 1, 1, 0, 0, 1, 1, true, false, true},
      {1, 2, 11, 47, 2, 2, 3, 3, 2, 2, 1, 1, 0, 0, 0, 0, true, true, false},
      {1, 2, 10, 33, 2, 2, 3, 3, 1, 1, 1, 1, 0, 1, 2, 1, true, false, false},
      {1, 2, 9, 40, 2, 2, 3, 3, 1, 2, 1, 1, 1, 1, 1, 1, true, false, false},
      {1, 2, 17, 21, 2, 2, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1, true, true, false},
      {1, 2, 13, 19, 2, 2, 5, 5, 2, 2, 1, 1, 2, 2, 2, 2, true, false, false},
      // 5x5 in place: stride 1 with two chunk columns, asymmetric pads; stride 2, wide.
      {1, 3, 14, 40, 3, 3, 5, 5, 1, 1, 1, 1, 2, 2, 2, 2, true, true, true},
      {1, 2, 11, 23, 2, 2, 5, 5, 1, 1, 1, 1, 1, 2, 3, 2, true, false, false},
      {2, 2, 30, 70, 2, 2, 5, 5, 2, 2, 1, 1, 2, 2, 2, 2, true, false, true},
      // Flattened planes read in place (AVX-512, rows under 8 wide): keyword spotting's 25 x 5
      // over several vector groups, asymmetric 'same' pads with dilation, a tall 9 x 1 kernel.
      {1, 6, 25, 5, 6, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, true, true, true},
      {1, 3, 11, 7, 3, 3, 3, 2, 1, 1, 2, 3, 1, 2, 3, 1, true, false, false},
      {1, 2, 12, 6, 2, 2, 9, 1, 1, 1, 1, 1, 5, 0, 3, 0, false, true, false},
  };
  for (const auto &cc : cases) runConv(GetParam(), cc, true, rng);
}

// Max pooling against a direct loop over the window, taps outside the image left out: strides,
// dilations, asymmetric and ceil_mode-like padding (the window runs past the image end), a
// window with no tap inside (-inf), and NaN inputs, which must win like arith.maximumf.
TEST_P(Ukernel, Smaxpool2d) {
  std::mt19937 rng(44);
  struct Case {
    int64_t n, c, h, w, kh, kw, sh, sw, dh, dw, padT, padL, oh, ow;
  };
  const Case cases[] = {
      {1, 3, 112, 112, 3, 3, 2, 2, 1, 1, 1, 1, 56, 56}, // ResNet's stem pooling
      {2, 2, 9, 13, 2, 2, 2, 2, 1, 1, 0, 0, 5, 7},      // ceil_mode: last window half outside
      {1, 2, 10, 11, 3, 2, 1, 2, 2, 1, 2, 0, 8, 5},
      {1, 1, 4, 100, 3, 3, 1, 1, 1, 1, 1, 1, 4, 100},    // rows longer than a 64-wide chunk
      {1, 2, 5, 5, 2, 2, 3, 3, 1, 1, 3, 3, 3, 3},        // first window wholly in the padding
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(testing::Message() << c.h << "x" << c.w << " k" << c.kh << "x" << c.kw << " s"
                                    << c.sh << "x" << c.sw);
    std::vector<float> x = randomVec(rng, c.n * c.c * c.h * c.w);
    x[3] = std::nanf("");
    std::vector<float> out(c.n * c.c * c.oh * c.ow, 123.0f);
    GetParam().smaxpool(c.n, c.c, c.h, c.w, c.oh, c.ow, c.kh, c.kw, c.sh, c.sw, c.dh, c.dw,
                        c.padT, c.padL, x.data(), out.data());
    int64_t failures = 0;
    for (int64_t p = 0; p < c.n * c.c; ++p)
      for (int64_t oh = 0; oh < c.oh; ++oh)
        for (int64_t ow = 0; ow < c.ow && failures < 5; ++ow) {
          float ref = -INFINITY;
          for (int64_t kh = 0; kh < c.kh; ++kh)
            for (int64_t kw = 0; kw < c.kw; ++kw) {
              int64_t ih = oh * c.sh + kh * c.dh - c.padT, iw = ow * c.sw + kw * c.dw - c.padL;
              if (ih < 0 || ih >= c.h || iw < 0 || iw >= c.w) continue;
              float v = x[(p * c.h + ih) * c.w + iw];
              if (std::isnan(v) || v > ref) ref = std::isnan(ref) ? ref : v;
            }
          float got = out[(p * c.oh + oh) * c.ow + ow];
          bool same = std::isnan(ref) ? std::isnan(got) : got == ref;
          if (!same) {
            ++failures;
            ADD_FAILURE() << "out[" << p << "][" << oh << "][" << ow << "] = " << got
                          << ", want " << ref;
          }
        }
  }
}

std::string variantName(const ::testing::TestParamInfo<Variant> &info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(Isa, Ukernel, ::testing::ValuesIn(kVariants), variantName);

}  // namespace
