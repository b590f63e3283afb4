//===- InterchangeLoops.cpp - onnxc-interchange-loops pass ----------------===//
#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace onnxc {
#define GEN_PASS_DEF_INTERCHANGELOOPS
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace {

/// The loop permutation that puts the output's innermost dim last, or empty
/// when the generic should keep its order.
SmallVector<unsigned> chooseInterchange(linalg::GenericOp op) {
  if (op.getNumDpsInits() != 1 || op.getNumReductionLoops() == 0)
    return {};
  unsigned numLoops = op.getNumLoops();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  if (iterators.back() != utils::IteratorType::reduction)
    return {};
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (outMap.getNumResults() == 0)
    return {};
  auto inner = dyn_cast<AffineDimExpr>(outMap.getResults().back());
  if (!inner || iterators[inner.getPosition()] != utils::IteratorType::parallel)
    return {};
  unsigned innerDim = inner.getPosition();
  // Worth it only if some input walks contiguously along that dim too.
  bool contiguousInput = false;
  for (OpOperand *in : op.getDpsInputOperands()) {
    AffineMap m = op.getMatchingIndexingMap(in);
    if (m.getNumResults() > 0 && m.getResults().back().isFunctionOfDim(innerDim))
      contiguousInput = true;
  }
  if (!contiguousInput)
    return {};
  SmallVector<unsigned> perm;
  for (unsigned i = 0; i < numLoops; ++i)
    if (i != innerDim)
      perm.push_back(i);
  perm.push_back(innerDim);
  return perm;
}

struct InterchangeLoopsPass : public onnxc::impl::InterchangeLoopsBase<InterchangeLoopsPass> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> generics;
    getOperation().walk([&](linalg::GenericOp op) { generics.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp op : generics) {
      SmallVector<unsigned> perm = chooseInterchange(op);
      if (perm.empty())
        continue;
      rewriter.setInsertionPoint(op);
      if (failed(linalg::interchangeGenericOp(rewriter, op, perm)))
        return signalPassFailure();
    }
  }
};

} // namespace
