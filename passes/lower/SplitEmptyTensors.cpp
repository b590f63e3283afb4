//===- SplitEmptyTensors.cpp - one tensor.empty per destination -----------===//
//
// CSE merges the identical `tensor.empty` inits of unrelated ops (every 1x64x56x56 conv of a
// ResNet stage starts from the same one), and one-shot bufferization then gives those ops one
// buffer whenever the first result is dead by the time the second is written. That is
// buffer reuse decided before anything else has run: a 3x3 convolution ended up writing the
// very buffer its zero-padded input was copied from, so the microkernel pass could not read
// the unpadded source in place of the padded copy (it would overwrite its own input). The
// workspace planner reuses memory anyway, from exact liveness, after those folds. Giving each
// use its own `tensor.empty` right before bufferization leaves that decision to it.
//
// Upstream's empty-tensor elimination goes the other way (it makes an empty's use write into
// a later destination); nothing upstream splits a shared empty.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace onnxc {
#define GEN_PASS_DEF_SPLITEMPTYTENSORS
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace onnxc {
namespace {

struct SplitEmptyTensorsPass : impl::SplitEmptyTensorsBase<SplitEmptyTensorsPass> {
  void runOnOperation() override {
    SmallVector<tensor::EmptyOp> shared;
    getOperation().walk([&](tensor::EmptyOp op) {
      if (!op->hasOneUse() && !op->use_empty())
        shared.push_back(op);
    });
    IRRewriter rw(&getContext());
    for (tensor::EmptyOp op : shared) {
      // Every use but the first gets a clone placed right before its user (or at the empty
      // itself when the user sits in another block, where the clone still dominates it).
      SmallVector<OpOperand *> uses;
      for (OpOperand &use : op->getUses())
        uses.push_back(&use);
      for (OpOperand *use : llvm::drop_begin(uses)) {
        Operation *user = use->getOwner();
        if (user->getBlock() == op->getBlock())
          rw.setInsertionPoint(user);
        else
          rw.setInsertionPointAfter(op);
        Operation *clone = rw.clone(*op);
        rw.modifyOpInPlace(user, [&] { use->set(clone->getResult(0)); });
      }
    }
  }
};

} // namespace
} // namespace onnxc
