//===- WorkspacePlannerTest.cpp - the workspace packing algorithm ---------===//
#include "passes/memplan/WorkspacePlanner.h"

#include <gtest/gtest.h>

#include <random>

using onnxc::memplan::BufferRequest;
using onnxc::memplan::livesOverlap;
using onnxc::memplan::planWorkspace;

namespace {

/// No two buffers alive at the same time share a byte.
void expectNoConflicts(const std::vector<BufferRequest> &reqs, const std::vector<int64_t> &offsets) {
  for (size_t i = 0; i < reqs.size(); ++i)
    for (size_t j = i + 1; j < reqs.size(); ++j) {
      if (!livesOverlap(reqs[i], reqs[j]))
        continue;
      bool bytesOverlap = offsets[i] < offsets[j] + reqs[j].size &&
                          offsets[j] < offsets[i] + reqs[i].size;
      EXPECT_FALSE(bytesOverlap) << "buffers " << i << " and " << j;
    }
}

TEST(WorkspacePlanner, EmptyPlanIsZeroBytes) {
  auto plan = planWorkspace({}, 64);
  EXPECT_EQ(plan.size, 0);
  EXPECT_EQ(plan.lowerBound, 0);
}

TEST(WorkspacePlanner, SequentialBuffersReuseTheSameBytes) {
  // A chain a -> b -> c: a dies when c is born, so c can take a's place.
  std::vector<BufferRequest> reqs{{1024, 0, 1}, {1024, 1, 2}, {1024, 2, 3}};
  auto plan = planWorkspace(reqs, 64);
  expectNoConflicts(reqs, plan.offsets);
  EXPECT_EQ(plan.size, 2048);
  EXPECT_EQ(plan.lowerBound, 2048);
  EXPECT_EQ(plan.offsets[0], plan.offsets[2]);
}

TEST(WorkspacePlanner, OffsetsAreAligned) {
  std::vector<BufferRequest> reqs{{10, 0, 5}, {20, 0, 5}, {30, 0, 5}};
  auto plan = planWorkspace(reqs, 64);
  expectNoConflicts(reqs, plan.offsets);
  for (int64_t off : plan.offsets)
    EXPECT_EQ(off % 64, 0);
  EXPECT_EQ(plan.size % 64, 0);
  EXPECT_EQ(plan.lowerBound, 60);
}

TEST(WorkspacePlanner, ShortLivedBufferFillsAGapBelowALongLivedOne) {
  // a and b never live together, so both sit at 0; c spans both and goes above
  // them; d lives only beside c, so it takes the gap at 0 instead of growing
  // the workspace.
  std::vector<BufferRequest> reqs{{1024, 0, 1}, {1024, 5, 6}, {512, 0, 6}, {256, 3, 3}};
  auto plan = planWorkspace(reqs, 64);
  expectNoConflicts(reqs, plan.offsets);
  EXPECT_EQ(plan.offsets[0], 0);
  EXPECT_EQ(plan.offsets[1], 0);
  EXPECT_EQ(plan.offsets[2], 1024);
  EXPECT_EQ(plan.offsets[3], 0);
  EXPECT_EQ(plan.size, 1536);
  EXPECT_EQ(plan.lowerBound, 1536);
}

TEST(WorkspacePlanner, KeepsTheBestOfSeveralOrders) {
  // Largest first stacks the two 5-byte buffers alive at 3 and 4 on the 2-byte one born at 4
  // and needs 12 bytes; placing by birth reaches the lower bound, 10.
  std::vector<BufferRequest> reqs{{2, 4, 7}, {5, 5, 6}, {5, 0, 3}, {5, 3, 4}};
  auto plan = planWorkspace(reqs, 1);
  expectNoConflicts(reqs, plan.offsets);
  EXPECT_EQ(plan.lowerBound, 10);
  EXPECT_EQ(plan.size, 10);
}

TEST(WorkspacePlanner, RandomSchedulesNeverConflict) {
  std::mt19937 rng(1234);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<BufferRequest> reqs;
    int n = 1 + rng() % 40;
    for (int i = 0; i < n; ++i) {
      int64_t first = rng() % 50, last = first + rng() % 10;
      reqs.push_back({int64_t(1 + rng() % 5000), first, last});
    }
    auto plan = planWorkspace(reqs, 64);
    expectNoConflicts(reqs, plan.offsets);
    EXPECT_GE(plan.size, plan.lowerBound);
    for (size_t i = 0; i < reqs.size(); ++i)
      EXPECT_LE(plan.offsets[i] + reqs[i].size, plan.size);
  }
}

TEST(WorkspacePlanner, IsDeterministic) {
  std::vector<BufferRequest> reqs{{100, 0, 3}, {100, 1, 2}, {100, 2, 5}, {300, 4, 6}};
  auto a = planWorkspace(reqs, 64), b = planWorkspace(reqs, 64);
  EXPECT_EQ(a.offsets, b.offsets);
  EXPECT_EQ(a.size, b.size);
}

} // namespace
