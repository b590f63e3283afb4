// GEMM microbenchmark helpers: the machine's single-core f32 FMA peak and a naive C matmul,
// for context next to the onnxc-compiled MatMul models that run_bench.py times.
//
//   gemm_bench [--min-time-s S] MxKxN ...
//
// Prints, one per line (parsed by run_bench.py):
//   peak isa=avx512 gflops=X      (only if the CPU has AVX-512F)
//   peak isa=avx2 gflops=X        (only if the CPU has AVX2 and FMA)
//   naive m=M k=K n=N runs=R median_us=X gflops=X
// The peak comes from register-resident FMA chains (enough independent accumulators to cover
// latency x throughput of two FMA pipes), the best of several timed rounds. The naive matmul is
// the textbook i-j-k triple loop with one scalar accumulator (built with -O2, no -march): what
// "just write the loop" gets.
//
// Build: c++ -O2 -std=c++17 bench/gemm_bench.cpp -o gemm_bench   (ISA code via target attributes)
#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using clk = std::chrono::steady_clock;

double seconds_since(clk::time_point t0) { return std::chrono::duration<double>(clk::now() - t0).count(); }

constexpr int kChains = 16;  // independent accumulators: >= 2 pipes x 4-cycle latency, with margin

// a = a * b + c on kChains registers; b < 1 keeps every value bounded. Returns a checksum so
// nothing is dead. One call = iters * kChains * lanes * 2 flops.
__attribute__((target("avx512f"), noinline)) float fma_loop_avx512(long iters) {
  __m512 acc[kChains];
  for (int j = 0; j < kChains; ++j) acc[j] = _mm512_set1_ps(1.0f + 0.01f * j);
  const __m512 b = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-6f);
  for (long i = 0; i < iters; ++i) {
#pragma GCC unroll 16
    for (int j = 0; j < kChains; ++j) acc[j] = _mm512_fmadd_ps(acc[j], b, c);
  }
  __m512 s = acc[0];
  for (int j = 1; j < kChains; ++j) s = _mm512_add_ps(s, acc[j]);
  float out[16];
  _mm512_storeu_ps(out, s);
  float r = 0;
  for (float v : out) r += v;
  return r;
}

__attribute__((target("avx2,fma"), noinline)) float fma_loop_avx2(long iters) {
  __m256 acc[kChains];
  for (int j = 0; j < kChains; ++j) acc[j] = _mm256_set1_ps(1.0f + 0.01f * j);
  const __m256 b = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-6f);
  for (long i = 0; i < iters; ++i) {
#pragma GCC unroll 16
    for (int j = 0; j < kChains; ++j) acc[j] = _mm256_fmadd_ps(acc[j], b, c);
  }
  __m256 s = acc[0];
  for (int j = 1; j < kChains; ++j) s = _mm256_add_ps(s, acc[j]);
  float out[8];
  _mm256_storeu_ps(out, s);
  float r = 0;
  for (float v : out) r += v;
  return r;
}

volatile float g_sink;

// Best GFLOP/s over `rounds` timed rounds of ~0.1 s each (after a warm-up round that also lets the
// core reach its vector frequency licence).
template <typename F>
double peak_gflops(F loop, int lanes, int rounds) {
  long iters = 1 << 20;
  for (;;) {  // calibrate: one round ~0.1 s
    auto t0 = clk::now();
    g_sink = loop(iters);
    if (seconds_since(t0) > 0.05) break;
    iters *= 2;
  }
  double best = 0;
  for (int r = 0; r < rounds; ++r) {
    auto t0 = clk::now();
    g_sink = loop(iters);
    double s = seconds_since(t0);
    best = std::max(best, 2.0 * lanes * kChains * (double)iters / s / 1e9);
  }
  return best;
}

// Textbook matmul: C[M,N] = A[M,K] * B[K,N], row-major, one scalar accumulator.
__attribute__((noinline)) void naive_matmul(const float *A, const float *B, float *C, int M, int K, int N) {
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j) {
      float s = 0.0f;
      for (int k = 0; k < K; ++k) s += A[(size_t)i * K + k] * B[(size_t)k * N + j];
      C[(size_t)i * N + j] = s;
    }
}

}  // namespace

int main(int argc, char **argv) {
  double min_time_s = 1.0;
  std::vector<std::string> shapes;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--min-time-s" && i + 1 < argc) {
      min_time_s = std::atof(argv[++i]);
    } else if (a == "-h" || a == "--help") {
      std::printf("usage: gemm_bench [--min-time-s S] MxKxN ...\n");
      return 0;
    } else {
      shapes.push_back(a);
    }
  }

  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) std::printf("peak isa=avx512 gflops=%.2f\n", peak_gflops(fma_loop_avx512, 16, 10));
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    std::printf("peak isa=avx2 gflops=%.2f\n", peak_gflops(fma_loop_avx2, 8, 10));
  std::fflush(stdout);

  for (const std::string &s : shapes) {
    int M = 0, K = 0, N = 0;
    if (std::sscanf(s.c_str(), "%dx%dx%d", &M, &K, &N) != 3 || M <= 0 || K <= 0 || N <= 0) {
      std::fprintf(stderr, "gemm_bench: bad shape '%s' (want MxKxN)\n", s.c_str());
      return 2;
    }
    std::vector<float> A((size_t)M * K), B((size_t)K * N), C((size_t)M * N);
    unsigned x = 12345;
    auto rnd = [&]() { x = x * 1664525u + 1013904223u; return (float)(x >> 8) / 16777216.0f - 0.5f; };
    for (float &v : A) v = rnd();
    for (float &v : B) v = rnd();
    std::vector<double> us;
    auto start = clk::now();
    // The first run warms up (and touches the pages); it is kept only when it alone took longer
    // than the time budget (the 1024^3 textbook loop takes seconds).
    naive_matmul(A.data(), B.data(), C.data(), M, K, N);
    double first_us = seconds_since(start) * 1e6;
    if (first_us >= min_time_s * 1e6) us.push_back(first_us);
    start = clk::now();
    while (us.empty() || seconds_since(start) < min_time_s) {
      auto t0 = clk::now();
      naive_matmul(A.data(), B.data(), C.data(), M, K, N);
      us.push_back(std::chrono::duration<double, std::micro>(clk::now() - t0).count());
    }
    g_sink = C[0];
    std::sort(us.begin(), us.end());
    double med = us.size() % 2 ? us[us.size() / 2] : 0.5 * (us[us.size() / 2 - 1] + us[us.size() / 2]);
    std::printf("naive m=%d k=%d n=%d runs=%zu median_us=%.3f gflops=%.3f\n", M, K, N, us.size(), med,
                2.0 * M * K * N / (med * 1e3));
    std::fflush(stdout);
  }
  return 0;
}
