//===- DecomposeLoss.cpp - NLL and softmax cross-entropy as onnx ops ------===//
//
// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss are composites: ONNX
// defines them by function bodies. Rewriting them into GatherElements, Where
// and ReduceSum once shapes are static reuses those lowerings, so the native
// ops and their `_expanded` forms compile to the same loops. The rules follow
// onnx/reference/ops/op_negative_log_likelihood_loss.py.
//
//===----------------------------------------------------------------------===//
#include "passes/graph/DecompositionBuilder.h"

namespace onnxc {
#define GEN_PASS_DEF_DECOMPOSELOSS
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using namespace onnxc;

namespace {

/// The shared builder plus scalars of any element type and a full sum.
struct Builder : DecompositionBuilder {
  /// A scalar of `elem` (integer or float) holding `v`.
  Value scalar(Type elem, double v) {
    auto type = RankedTensorType::get({}, elem);
    Attribute value = isa<FloatType>(elem) ? Attribute(FloatAttr::get(elem, v))
                                           : Attribute(IntegerAttr::get(elem, static_cast<int64_t>(v)));
    return constant(DenseElementsAttr::get(type, value));
  }
  Value sumAll(Value x) { return make<onnx::ReduceSumOp>(elemOf(x), x, {attr("keepdims", 0)}); }
};

/// loss[n, d] = -input[n, target[n, d], d] * weight[target[n, d]], 0 where the
/// target is ignore_index, then reduced. "mean" divides by the sum of the
/// weights that were applied (the count of kept targets without weights).
Value buildNLL(Builder &g, Value input, Value target, Value weight, std::optional<int64_t> ignoreIndex,
               StringRef reduction) {
  Type elem = g.elemOf(input), indexElem = g.elemOf(target);
  SmallVector<int64_t> targetShape(g.shapeOf(target));
  // An ignored target may be any value, even out of [0, C): gather class 0
  // instead and zero the result.
  Value ignored, safeTarget = target;
  if (ignoreIndex) {
    ignored = g.make<onnx::EqualOp>(g.b.getI1Type(), {target, g.scalar(indexElem, *ignoreIndex)});
    safeTarget = g.make<onnx::WhereOp>(indexElem, {ignored, g.scalar(indexElem, 0), target});
  }
  SmallVector<int64_t> indexShape(targetShape);
  indexShape.insert(indexShape.begin() + 1, 1);
  Value picked = g.make<onnx::GatherElementsOp>(elem, {input, g.reshape(safeTarget, indexShape)},
                                                {g.attr("axis", 1)});
  Value loss = g.make<onnx::NegOp>(elem, g.reshape(picked, targetShape));
  Value applied; // the weight of each element, null when all are 1
  if (weight)
    applied = g.make<onnx::GatherOp>(elem, {weight, safeTarget}, {g.attr("axis", 0)});
  if (ignored)
    applied = g.make<onnx::WhereOp>(elem, {ignored, g.scalar(elem, 0), applied ? applied : g.scalar(elem, 1)});
  if (applied)
    loss = g.make<onnx::MulOp>(elem, {loss, applied});
  if (reduction == "none")
    return loss;
  if (reduction == "sum")
    return g.sumAll(loss);
  if (!applied)
    return g.make<onnx::ReduceMeanOp>(elem, loss, {g.attr("keepdims", 0)});
  return g.make<onnx::DivOp>(elem, {g.sumAll(loss), g.sumAll(applied)});
}

std::optional<int64_t> ignoreIndexOf(std::optional<uint64_t> attr) {
  if (!attr)
    return std::nullopt;
  return static_cast<int64_t>(*attr);
}

LogicalResult decompose(onnx::NegativeLogLikelihoodLossOp op) {
  OpBuilder b(op);
  Builder g{{b, op.getLoc(), "a loss"}};
  Value loss = buildNLL(g, op.getInput(), op.getTarget(), op.getWeight(), ignoreIndexOf(op.getIgnoreIndex()),
                        op.getReduction());
  if (g.failed)
    return failure();
  op.getLoss().replaceAllUsesWith(loss);
  op->erase();
  return success();
}

LogicalResult decompose(onnx::SoftmaxCrossEntropyLossOp op) {
  OpBuilder b(op);
  Builder g{{b, op.getLoc(), "a loss"}};
  Value logProb = g.make<onnx::LogSoftmaxOp>(g.elemOf(op.getScores()), op.getScores(), {g.attr("axis", 1)});
  Value loss = buildNLL(g, logProb, op.getLabels(), op.getWeights(), ignoreIndexOf(op.getIgnoreIndex()),
                        op.getReduction());
  if (g.failed)
    return failure();
  op.getOutput().replaceAllUsesWith(loss);
  op.getLogProb().replaceAllUsesWith(logProb);
  op->erase();
  return success();
}

struct DecomposeLossPass : public onnxc::impl::DecomposeLossBase<DecomposeLossPass> {
  void runOnOperation() override {
    if (failed(decomposeEach<onnx::NegativeLogLikelihoodLossOp, onnx::SoftmaxCrossEntropyLossOp>(
            getOperation(), [](auto op) { return decompose(op); })))
      signalPassFailure();
  }
};

} // namespace
