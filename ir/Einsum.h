//===- Einsum.h - a parsed Einsum equation ----------------------*- C++ -*-===//
//
// Shape inference and the lowering both need the loop structure of an Einsum:
// one loop per output dimension (in output order), then one per summed label.
// Each operand dimension reads a loop, or index 0 where an ellipsis dimension
// of size 1 broadcasts.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_IR_EINSUM_H
#define ONNXC_IR_EINSUM_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace onnxc::onnx {

struct EinsumPlan {
  /// Loop extents: the output's dims first, then the summed ones.
  llvm::SmallVector<int64_t> loopSizes;
  int64_t numOutputLoops = 0;
  /// operandLoops[i][d]: the loop that operand i's dim d reads, or -1 for a
  /// broadcast (size-1) dim read at index 0.
  llvm::SmallVector<llvm::SmallVector<int64_t>> operandLoops;

  llvm::ArrayRef<int64_t> outputShape() const {
    return llvm::ArrayRef<int64_t>(loopSizes).take_front(numOutputLoops);
  }
};

/// Plans `equation` over operands of `shapes`; on failure `error` says why.
std::optional<EinsumPlan> planEinsum(llvm::StringRef equation,
                                     llvm::ArrayRef<llvm::ArrayRef<int64_t>> shapes,
                                     std::string &error);

} // namespace onnxc::onnx

#endif // ONNXC_IR_EINSUM_H
