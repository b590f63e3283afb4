//===- ShapeInference.h - onnx-shape-inference's per-op step ----*- C++ -*-===//
//
// onnx-shape-inference refines, checks and folds each op in order, expanding
// control flow as it reaches it. Decompositions that copy subgraph ops out
// after the pass (FlexAttention's score_mod/prob_mod) refine the copies with
// the same step, so they get the same static types, folded constants and
// expanded control flow the pass would have given them.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_PASSES_GRAPH_SHAPEINFERENCE_H
#define ONNXC_PASSES_GRAPH_SHAPEINFERENCE_H

#include "passes/graph/ExpandControlFlow.h"

namespace onnxc {

class OpRefiner {
public:
  /// Results larger than `maxTensorBytes` are refused (--max-size).
  explicit OpRefiner(int64_t maxTensorBytes) : maxTensorBytes(maxTensorBytes) {}

  /// Refines, checks and folds `op`, or expands it when it is control flow;
  /// returns the values that now stand for its results, or failure after
  /// reporting an error.
  mlir::FailureOr<llvm::SmallVector<mlir::Value>> process(mlir::Operation *op);

private:
  int64_t maxTensorBytes;
  /// Ops control flow expansion may still create.
  int64_t expansionBudget = kMaxExpandedOps;
};

} // namespace onnxc

#endif // ONNXC_PASSES_GRAPH_SHAPEINFERENCE_H
