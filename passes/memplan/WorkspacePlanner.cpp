//===- WorkspacePlanner.cpp - offsets of buffers in one workspace ---------===//
#include "passes/memplan/WorkspacePlanner.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace onnxc::memplan {

namespace {
int64_t alignUp(int64_t value, int64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}
} // namespace

WorkspacePlan planWorkspace(const std::vector<BufferRequest> &requests, int64_t alignment) {
  WorkspacePlan plan;
  size_t n = requests.size();
  plan.offsets.assign(n, 0);

  // Largest first, ties by earlier birth, then by index: deterministic.
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (requests[a].size != requests[b].size)
      return requests[a].size > requests[b].size;
    return requests[a].firstUse < requests[b].firstUse;
  });

  std::vector<size_t> placed;
  for (size_t idx : order) {
    const BufferRequest &req = requests[idx];
    // Byte ranges already taken by buffers alive at the same time, by offset.
    std::vector<std::pair<int64_t, int64_t>> taken;
    for (size_t other : placed)
      if (livesOverlap(req, requests[other]))
        taken.push_back({plan.offsets[other], plan.offsets[other] + requests[other].size});
    std::sort(taken.begin(), taken.end());
    int64_t bestOffset = -1, bestGap = std::numeric_limits<int64_t>::max();
    int64_t cursor = 0;
    for (auto [begin, end] : taken) {
      int64_t gap = begin - cursor;
      if (gap >= req.size && gap < bestGap) {
        bestGap = gap;
        bestOffset = cursor;
      }
      cursor = std::max(cursor, alignUp(end, alignment));
    }
    plan.offsets[idx] = bestOffset >= 0 ? bestOffset : cursor;
    plan.size = std::max(plan.size, plan.offsets[idx] + req.size);
    placed.push_back(idx);
  }
  plan.size = alignUp(plan.size, alignment);

  // Lower bound: the peak of live bytes over the schedule. Live totals only
  // change at births, so checking every birth position suffices.
  for (const BufferRequest &at : requests) {
    int64_t live = 0;
    for (const BufferRequest &r : requests)
      if (r.firstUse <= at.firstUse && at.firstUse <= r.lastUse)
        live += r.size;
    plan.lowerBound = std::max(plan.lowerBound, live);
  }
  return plan;
}

} // namespace onnxc::memplan
