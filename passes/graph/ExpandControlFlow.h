//===- ExpandControlFlow.h - If, Loop, Scan as straight-line ops -*- C++ -*-===//
//
// onnxc compiles static, straight-line code: control flow is expanded during
// onnx-shape-inference, when the operands that control it are known. The
// shape-inference pass owns the walk; it hands each If/Loop/Scan here together
// with its own per-op step (refine, check, fold), which the expansion applies
// to every op it copies out of a subgraph, so the copies are refined in order
// and their constants fold before the next iteration needs them.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_PASSES_GRAPH_EXPANDCONTROLFLOW_H
#define ONNXC_PASSES_GRAPH_EXPANDCONTROLFLOW_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

namespace onnxc {

/// Refines one op created before the op being expanded; returns the values
/// that now stand for its results (constants when it folded), or failure after
/// reporting an error.
using OpProcessor =
    llvm::function_ref<mlir::FailureOr<llvm::SmallVector<mlir::Value>>(mlir::Operation *)>;

/// Most ops one function's control flow may expand into (copied subgraph ops
/// and the slicing/concatenation around them); beyond it onnxc refuses.
constexpr int64_t kMaxExpandedOps = 200000;

/// Copies the ops of `body` (one block ending in onnx.Yield) at `b`'s
/// insertion point with the block arguments bound to `args`, processing each
/// copy in order; returns the values the copy yields. Control flow expansion
/// inlines its subgraphs with it, and so do the decompositions of ops that
/// carry subgraphs (FlexAttention's score_mod and prob_mod).
mlir::FailureOr<llvm::SmallVector<mlir::Value>> inlineRegion(mlir::OpBuilder &b, mlir::Region &body,
                                                             mlir::ValueRange args, OpProcessor process);

/// True for onnx.If, onnx.Loop and onnx.Scan.
bool isControlFlowOp(mlir::Operation *op);

/// Expands `op` (isControlFlowOp) into ops inserted before it, each processed
/// by `process`; returns the values that replace its results. The caller
/// replaces and erases `op`. `budget` counts down the ops still allowed.
mlir::FailureOr<llvm::SmallVector<mlir::Value>>
expandControlFlow(mlir::Operation *op, OpProcessor process, int64_t &budget);

} // namespace onnxc

#endif // ONNXC_PASSES_GRAPH_EXPANDCONTROLFLOW_H
