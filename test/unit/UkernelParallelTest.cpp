//===- UkernelParallelTest.cpp - executor-split microkernels vs serial ---===//
//
// The _mt_ entry points (onnxc/ukernel_mt.h) split a kernel into tasks along packed panels,
// groups or channels. Whatever the split, the result must equal the serial kernel's bit for
// bit (each output element is computed by the same code on the same data), every task must
// get its own scratch slice, and the pthread pool must run every task exactly once.
//
//===----------------------------------------------------------------------===//
#include "onnxc/threadpool.h"
#include "onnxc/ukernel_mt.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <random>
#include <time.h>
#include <vector>

namespace {

std::vector<float> randomVector(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float &x : v)
    x = dist(rng);
  return v;
}

std::vector<float> packA(const std::vector<float> &a, int64_t m, int64_t k, int64_t mr) {
  std::vector<float> out(onnxc_uk_packed_a_floats(mr, m, k), 0.0f);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t kk = 0; kk < k; ++kk)
      out[(i / mr) * k * mr + kk * mr + i % mr] = a[i * k + kk];
  return out;
}

std::vector<float> packB(const std::vector<float> &b, int64_t k, int64_t n, int64_t nr) {
  std::vector<float> out(onnxc_uk_packed_b_floats(nr, k, n), 0.0f);
  for (int64_t kk = 0; kk < k; ++kk)
    for (int64_t j = 0; j < n; ++j)
      out[(j / nr) * k * nr + kk * nr + j % nr] = b[kk * n + j];
  return out;
}

/// The portable kernels: available on every target, so the split logic is tested everywhere.
constexpr int64_t MR = ONNXC_UK_GENERIC_MR, NR = ONNXC_UK_GENERIC_NR;

class UkernelParallelTest : public ::testing::Test {
protected:
  void SetUp() override { ASSERT_EQ(onnxc_threadpool_init(&pool, 3), 0); }
  void TearDown() override { onnxc_threadpool_destroy(&pool); }
  onnxc_threadpool pool;
};

TEST_F(UkernelParallelTest, PoolRunsEveryTaskOnce) {
  std::vector<std::atomic<int>> hits(1000);
  for (auto &h : hits)
    h = 0;
  for (int round = 0; round < 50; ++round)
    pool.executor.parallel_for(
        pool.executor.self, 1000,
        [](void *ctx, int64_t i) { (*static_cast<std::vector<std::atomic<int>> *>(ctx))[i]++; },
        &hits);
  for (auto &h : hits)
    EXPECT_EQ(h.load(), 50);
}

// Many tiny jobs back to back: a worker still finishing one job must never claim a task of the
// next, and jobs larger than a state word's task field are split without losing indices.
TEST_F(UkernelParallelTest, PoolHandsOffManySmallAndHugeJobs) {
  std::vector<std::atomic<int>> hits(3);
  for (auto &h : hits)
    h = 0;
  for (int round = 0; round < 20000; ++round)
    pool.executor.parallel_for(
        pool.executor.self, 3,
        [](void *ctx, int64_t i) { (*static_cast<std::vector<std::atomic<int>> *>(ctx))[i]++; },
        &hits);
  for (auto &h : hits)
    EXPECT_EQ(h.load(), 20000);
  std::vector<std::atomic<int>> big(200000);
  for (auto &h : big)
    h = 0;
  pool.executor.parallel_for(
      pool.executor.self, static_cast<int64_t>(big.size()),
      [](void *ctx, int64_t i) { (*static_cast<std::vector<std::atomic<int>> *>(ctx))[i]++; }, &big);
  for (auto &h : big)
    ASSERT_EQ(h.load(), 1);
}

// Workers that fell asleep (idle past the spin period) must wake for the next job.
TEST_F(UkernelParallelTest, PoolWakesSleepingWorkers) {
  std::atomic<int> hits{0};
  for (int round = 0; round < 3; ++round) {
    struct timespec t = {0, 5000000}; // 5 ms: longer than the spin period
    nanosleep(&t, nullptr);
    pool.executor.parallel_for(
        pool.executor.self, 8, [](void *ctx, int64_t) { (*static_cast<std::atomic<int> *>(ctx))++; },
        &hits);
  }
  EXPECT_EQ(hits.load(), 24);
}

TEST_F(UkernelParallelTest, SgemmSplitsMatchSerial) {
  struct Shape {
    int64_t m, n, k;
    bool aPacked, bPacked;
    int64_t biasKind;
  };
  for (Shape s : {Shape{70, 300, 90, false, true, 1}, Shape{300, 20, 64, true, false, 2},
                  Shape{1, 777, 129, false, true, 0}, Shape{97, 97, 300, false, false, 1}}) {
    auto a = randomVector(s.m * s.k, 1), b = randomVector(s.k * s.n, 2);
    auto bias = randomVector(std::max(s.m, s.n), 3);
    auto ap = packA(a, s.m, s.k, MR), bp = packB(b, s.k, s.n, NR);
    const float *aArg = s.aPacked ? ap.data() : a.data();
    const float *bArg = s.bPacked ? bp.data() : b.data();
    int64_t slice = onnxc_uk_round_up(
        onnxc_uk_sgemm_scratch_floats(MR, NR, s.m, s.n, s.k, s.aPacked, s.bPacked), 16);
    std::vector<float> scratch(slice * 3 + 16), serial(s.m * s.n), split(s.m * s.n);
    onnxc_uk_sgemm_generic(s.m, s.n, s.k, aArg, s.k, 1, s.aPacked, bArg, s.n, 1, s.bPacked,
                           serial.data(), s.n, s.biasKind ? bias.data() : nullptr, s.biasKind, 0.0f,
                           INFINITY, 0, scratch.data());
    onnxc_uk_sgemm_mt_generic(s.m, s.n, s.k, aArg, s.k, 1, s.aPacked, bArg, s.n, 1, s.bPacked,
                              split.data(), s.n, s.biasKind ? bias.data() : nullptr, s.biasKind,
                              0.0f, INFINITY, 0, scratch.data(), &pool.executor, 3, slice);
    EXPECT_EQ(serial, split) << s.m << "x" << s.n << "x" << s.k;
  }
}

TEST_F(UkernelParallelTest, ConvSplitsMatchSerial) {
  struct Shape {
    int64_t n, c, h, w, f, groups, k, stride;
  };
  // By output channels, by groups, depthwise, then by pixels (more NR panels of pixels than
  // MR panels of channels): a 3x3 and a pointwise one, whose B is the input itself. Then with
  // pixels as the GEMM's rows (onnxc_uk_conv_pixel_rows): split by channels (NR panels of
  // the packed W^T), by pixels (MR panels), and by groups.
  for (Shape s : {Shape{2, 16, 9, 11, 40, 1, 3, 1}, Shape{1, 32, 12, 12, 24, 4, 3, 2},
                  Shape{2, 24, 7, 7, 24, 24, 3, 1}, Shape{2, 16, 40, 37, 8, 1, 3, 1},
                  Shape{1, 64, 32, 33, 16, 1, 1, 1}, Shape{1, 64, 3, 3, 256, 1, 3, 1},
                  Shape{1, 256, 9, 9, 64, 1, 1, 1}, Shape{1, 96, 7, 7, 64, 2, 3, 1}}) {
    int64_t pad = s.k / 2, oh = (s.h + 2 * pad - s.k) / s.stride + 1,
            ow = (s.w + 2 * pad - s.k) / s.stride + 1;
    int64_t cg = s.c / s.groups, fg = s.f / s.groups, kk = cg * s.k * s.k;
    auto input = randomVector(s.n * s.c * s.h * s.w, 4), bias = randomVector(s.f, 5);
    auto w = randomVector(s.f * kk, 6);
    std::vector<float> serial(s.n * s.f * oh * ow), split(serial.size());
    if (s.groups == s.c && s.f == s.c) { // depthwise: weights as they are
      onnxc_uk_sdwconv2d_generic(s.n, s.c, s.h, s.w, oh, ow, s.k, s.k, s.stride, s.stride, 1, 1,
                                 pad, pad, input.data(), w.data(), bias.data(), serial.data(),
                                 -INFINITY, INFINITY, 0);
      onnxc_uk_sdwconv2d_mt_generic(s.n, s.c, s.h, s.w, oh, ow, s.k, s.k, s.stride, s.stride, 1,
                                    1, pad, pad, input.data(), w.data(), bias.data(), split.data(),
                                    -INFINITY, INFINITY, 0, &pool.executor, 3);
    } else {
      std::vector<float> packed;
      for (int64_t g = 0; g < s.groups; ++g) {
        std::vector<float> wg(w.begin() + g * fg * kk, w.begin() + (g + 1) * fg * kk);
        std::vector<float> p;
        if (onnxc_uk_conv_pixel_rows(ONNXC_UK_GENERIC_DIRECT, NR, cg, fg, oh * ow, s.k, s.k,
                                     s.stride, s.stride)) { // W_g^T packed as B
          std::vector<float> wt(kk * fg);
          for (int64_t f = 0; f < fg; ++f)
            for (int64_t k = 0; k < kk; ++k)
              wt[k * fg + f] = wg[f * kk + k];
          p = packB(wt, kk, fg, NR);
        } else {
          p = packA(wg, fg, kk, MR);
        }
        packed.insert(packed.end(), p.begin(), p.end());
      }
      int64_t slice =
          onnxc_uk_round_up(onnxc_uk_sconv2d_scratch_floats(ONNXC_UK_GENERIC_DIRECT, MR, NR, cg,
                                                            fg, s.k, s.k, s.stride, s.stride, 1,
                                                            1, oh, ow),
                            16);
      std::vector<float> scratch(slice * 3);
      onnxc_uk_sconv2d_generic(s.n, s.c, s.h, s.w, s.f, oh, ow, s.groups, s.k, s.k, s.stride,
                               s.stride, 1, 1, pad, pad, input.data(), packed.data(), bias.data(),
                               serial.data(), 0.0f, 6.0f, 0, scratch.data());
      onnxc_uk_sconv2d_mt_generic(s.n, s.c, s.h, s.w, s.f, oh, ow, s.groups, s.k, s.k, s.stride,
                                  s.stride, 1, 1, pad, pad, input.data(), packed.data(),
                                  bias.data(), split.data(), 0.0f, 6.0f, 0, scratch.data(),
                                  &pool.executor, 3, slice);
    }
    EXPECT_EQ(serial, split) << "groups " << s.groups;
  }
}

#if defined(__x86_64__) || defined(_M_X64)
// AVX-512 convolutions that read their input in place (onnxc_uk_conv_direct): a task's pixel
// range starts mid-row and copies only the input rows it reaches; or tasks split the channels.
TEST_F(UkernelParallelTest, DirectConvSplitsMatchSerial) {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("avx512bw") ||
      !__builtin_cpu_supports("avx512dq") || !__builtin_cpu_supports("avx512vl"))
    GTEST_SKIP() << "no AVX-512";
  constexpr int64_t MR5 = ONNXC_UK_AVX512_MR, NR5 = ONNXC_UK_AVX512_NR;
  struct Shape {
    int64_t c, h, w, f, stride;
  };
  // pixels (3 tasks, ranges of 14-pixel panels across 37-wide rows), stride 2, channels
  for (Shape s : {Shape{16, 20, 37, 40, 1}, Shape{32, 29, 31, 24, 2}, Shape{64, 4, 5, 160, 1}}) {
    int64_t oh = (s.h + 2 - 3) / s.stride + 1, ow = (s.w + 2 - 3) / s.stride + 1,
            kk = s.c * 9;
    ASSERT_TRUE(onnxc_uk_conv_direct(ONNXC_UK_AVX512_DIRECT, s.c, 3, 3, s.stride, s.stride));
    auto input = randomVector(s.c * s.h * s.w, 4), bias = randomVector(s.f, 5);
    auto w = randomVector(s.f * kk, 6);
    std::vector<float> wt(kk * s.f); // W^T, packed as B
    for (int64_t f = 0; f < s.f; ++f)
      for (int64_t k = 0; k < kk; ++k)
        wt[k * s.f + f] = w[f * kk + k];
    auto packed = packB(wt, kk, s.f, NR5);
    int64_t slice = onnxc_uk_round_up(
        onnxc_uk_sconv2d_scratch_floats(ONNXC_UK_AVX512_DIRECT, MR5, NR5, s.c, s.f, 3, 3,
                                        s.stride, s.stride, 1, 1, oh, ow),
        16);
    std::vector<float> scratch(slice * 3), serial(s.f * oh * ow), split(serial.size());
    onnxc_uk_sconv2d_avx512(1, s.c, s.h, s.w, s.f, oh, ow, 1, 3, 3, s.stride, s.stride, 1, 1, 1,
                            1, input.data(), packed.data(), bias.data(), serial.data(), 0.0f,
                            6.0f, 0, scratch.data());
    onnxc_uk_sconv2d_mt_avx512(1, s.c, s.h, s.w, s.f, oh, ow, 1, 3, 3, s.stride, s.stride, 1, 1,
                               1, 1, input.data(), packed.data(), bias.data(), split.data(), 0.0f,
                               6.0f, 0, scratch.data(), &pool.executor, 3, slice);
    EXPECT_EQ(serial, split) << s.c << "x" << s.h << "x" << s.w << " F" << s.f;
  }
}
#endif

// Max pooling splits channels like depthwise does (two images, channels in 3 tasks).
TEST_F(UkernelParallelTest, MaxPoolSplitMatchesSerial) {
  const int64_t n = 2, c = 24, h = 56, w = 57, oh = 28, ow = 29;
  auto input = randomVector(n * c * h * w, 9);
  std::vector<float> serial(n * c * oh * ow), split(serial.size());
  onnxc_uk_smaxpool2d_generic(n, c, h, w, oh, ow, 3, 3, 2, 2, 1, 1, 1, 1, input.data(),
                              serial.data());
  onnxc_uk_smaxpool2d_mt_generic(n, c, h, w, oh, ow, 3, 3, 2, 2, 1, 1, 1, 1, input.data(),
                                 split.data(), &pool.executor, 3);
  EXPECT_EQ(serial, split);
}

TEST_F(UkernelParallelTest, NullExecutorRunsSerially) {
  auto a = randomVector(64 * 64, 7), b = randomVector(64 * 64, 8);
  std::vector<float> serial(64 * 64), viaNull(64 * 64);
  std::vector<float> scratch(onnxc_uk_sgemm_scratch_floats(MR, NR, 64, 64, 64, 0, 0));
  onnxc_uk_sgemm_generic(64, 64, 64, a.data(), 64, 1, 0, b.data(), 64, 1, 0, serial.data(), 64,
                         nullptr, 0, -INFINITY, INFINITY, 0, scratch.data());
  onnxc_uk_sgemm_mt_generic(64, 64, 64, a.data(), 64, 1, 0, b.data(), 64, 1, 0, viaNull.data(),
                            64, nullptr, 0, -INFINITY, INFINITY, 0, scratch.data(), nullptr, 4,
                            static_cast<int64_t>(scratch.size()));
  EXPECT_EQ(serial, viaNull);
}

} // namespace

// Generated parallel loops (onnxc-parallelize-loops): every iteration runs exactly once, in
// contiguous ranges, at most min(threads, max_tasks, n) of them; no executor, one range.
TEST_F(UkernelParallelTest, ParallelLoopCoversEveryIterationOnce) {
  struct Ranges {
    std::vector<std::atomic<int>> hits;
    std::atomic<int> calls{0};
    explicit Ranges(size_t n) : hits(n) {}
  };
  auto body = [](void *ctx, int64_t begin, int64_t end) {
    auto *r = static_cast<Ranges *>(ctx);
    ASSERT_LT(begin, end);
    for (int64_t i = begin; i < end; ++i)
      r->hits[i]++;
    r->calls++;
  };
  struct Case {
    int64_t n, maxTasks;
    bool executor;
    int expectCalls;
  };
  for (Case c : {Case{10, 2, true, 2}, Case{10, 8, true, 3}, Case{2, 8, true, 2},
                 Case{1, 8, true, 1}, Case{7, 1, true, 1}, Case{100, 8, false, 1},
                 Case{0, 8, true, 0}}) {
    Ranges r(size_t(c.n));
    onnxc_uk_parallel_loop(c.executor ? &pool.executor : nullptr, c.n, c.maxTasks, body, &r);
    for (int64_t i = 0; i < c.n; ++i)
      EXPECT_EQ(r.hits[i].load(), 1) << "n=" << c.n << " iteration " << i;
    EXPECT_EQ(r.calls.load(), c.expectCalls) << "n=" << c.n << " max_tasks=" << c.maxTasks;
  }
}
