//===- WorkspacePlanner.h - offsets of buffers in one workspace -*- C++ -*-===//
//
// The planning algorithm on its own, free of IR, so that unit tests can drive
// it with arbitrary lifetimes.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_PASSES_MEMPLAN_WORKSPACEPLANNER_H
#define ONNXC_PASSES_MEMPLAN_WORKSPACEPLANNER_H

#include <cstdint>
#include <vector>

namespace onnxc::memplan {

/// One buffer: its size in bytes and its live range [firstUse, lastUse] in
/// schedule positions (inclusive at both ends).
struct BufferRequest {
  int64_t size;
  int64_t firstUse;
  int64_t lastUse;
};

struct WorkspacePlan {
  std::vector<int64_t> offsets; ///< Byte offset of each request, in request order.
  int64_t size = 0;             ///< Bytes the workspace needs.
  int64_t lowerBound = 0;       ///< Largest total of simultaneously live bytes.
};

/// Places buffers greedily, each into the smallest gap between already placed,
/// lifetime-overlapping buffers that holds it (best fit), else above them all;
/// tries three orders (by size, by birth, by size x lifetime) and keeps the
/// smallest plan. Every offset is a multiple of `alignment`.
WorkspacePlan planWorkspace(const std::vector<BufferRequest> &requests, int64_t alignment);

/// True when the lifetimes of a and b share a schedule position.
inline bool livesOverlap(const BufferRequest &a, const BufferRequest &b) {
  return a.firstUse <= b.lastUse && b.firstUse <= a.lastUse;
}

} // namespace onnxc::memplan

#endif // ONNXC_PASSES_MEMPLAN_WORKSPACEPLANNER_H
