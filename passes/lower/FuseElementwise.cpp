//===- FuseElementwise.cpp - onnxc-fuse-elementwise pass ------------------===//
#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace onnxc {
#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace {

/// A producer whose body only yields one of its block arguments (a copy,
/// transpose or broadcast): recomputing it inside any loop costs nothing.
bool isDataMovement(linalg::GenericOp producer) {
  Block &body = producer.getRegion().front();
  if (body.getOperations().size() != 1)
    return false;
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  return llvm::all_of(yield.getValues(), [](Value v) { return isa<BlockArgument>(v); });
}

/// Division, square roots and the math dialect's transcendentals: worth a
/// store and a load rather than computing twice.
bool isExpensive(linalg::GenericOp producer) {
  return producer.getRegion().front().walk([](Operation *op) {
           if (isa<arith::DivFOp, arith::RemFOp>(op) ||
               op->getDialect()->getNamespace() == "math")
             return WalkResult::interrupt();
           return WalkResult::advance();
         }).wasInterrupted();
}

/// Every use of the producer is an input of an elementwise generic read through a
/// permutation: each can take its own copy of the producer's body.
bool allUsesFusable(linalg::GenericOp producer) {
  for (OpOperand &use : producer->getUses()) {
    auto user = dyn_cast<linalg::GenericOp>(use.getOwner());
    if (!user || user.getNumReductionLoops() != 0 || !user.isDpsInput(&use) ||
        !user.getMatchingIndexingMap(&use).isPermutation())
      return false;
  }
  return true;
}

struct FuseElementwisePass : public onnxc::impl::FuseElementwiseBase<FuseElementwisePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::ControlFusionFn control = [](OpOperand *fused) {
      auto consumer = dyn_cast<linalg::GenericOp>(fused->getOwner());
      auto producer = fused->get().getDefiningOp<linalg::GenericOp>();
      if (!consumer || !producer)
        return false;
      if (isDataMovement(producer))
        return true;
      // A producer read through a broadcast (a per-row statistic used across the row) would
      // be recomputed for every element it is broadcast to.
      if (!consumer.getMatchingIndexingMap(fused).isPermutation())
        return false;
      if (consumer.getNumReductionLoops() != 0)
        return false;
      // A producer with several users is duplicated into this one. That pays only when every
      // user takes its copy, so the producer's own loop and buffer disappear; if one user
      // (a convolution, a reshape, a reduction) keeps it alive, the copy re-reads all of the
      // producer's inputs where the consumer would have read one tensor. In a ResNet the add
      // and Relu closing each block feed the next block's convolution and its add: fused,
      // stage 1's last add re-ran the two before it. Expensive bodies (Softmax's exps, which
      // also feed the sum) are never run twice.
      if (!producer->hasOneUse())
        return !isExpensive(producer) && allUsesFusable(producer);
      return true;
    };
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    linalg::populateEraseUnusedOperandsAndResultsPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
