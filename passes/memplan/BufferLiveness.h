//===- BufferLiveness.h - live ranges of buffers in a function --*- C++ -*-===//
//
// Shared by the planner and its checker so both reason about the same
// schedule: positions are the indices of the ops of the function's entry
// block; a use nested in a region counts at its top-level ancestor.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_PASSES_MEMPLAN_BUFFERLIVENESS_H
#define ONNXC_PASSES_MEMPLAN_BUFFERLIVENESS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"

namespace onnxc::memplan {

class BufferLiveness {
public:
  explicit BufferLiveness(mlir::func::FuncOp func);

  /// [first, last] positions of every use of `buffer` and of the views derived
  /// from it (ViewLikeOpInterface results, followed transitively). Fails when
  /// the buffer escapes through the function's return.
  mlir::FailureOr<std::pair<int64_t, int64_t>> liveRange(mlir::Value buffer) const;

  /// Position of `op`'s top-level ancestor in the entry block.
  int64_t positionOf(mlir::Operation *op) const;

private:
  mutable mlir::func::FuncOp func;
  llvm::DenseMap<mlir::Operation *, int64_t> positions;
};

} // namespace onnxc::memplan

#endif // ONNXC_PASSES_MEMPLAN_BUFFERLIVENESS_H
