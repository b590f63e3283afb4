//===- DecomposeLoss.cpp - NLL and softmax cross-entropy as onnx ops ------===//
//
// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss are composites: ONNX
// defines them by function bodies. Rewriting them into GatherElements, Where
// and ReduceSum once shapes are static reuses those lowerings, so the native
// ops and their `_expanded` forms compile to the same loops. The rules follow
// onnx/reference/ops/op_negative_log_likelihood_loss.py.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

namespace onnxc {
#define GEN_PASS_DEF_DECOMPOSELOSS
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using namespace onnxc;

namespace {

/// Creates onnx ops with unranked results and refines them at once with the
/// op's own shape rule, so every value built here is static.
struct Builder {
  OpBuilder &b;
  Location loc;
  bool failed = false;

  template <typename OpTy>
  Value make(Type elem, ValueRange operands, ArrayRef<NamedAttribute> attrs = {}) {
    auto op = OpTy::create(b, loc, TypeRange{UnrankedTensorType::get(elem)}, operands, attrs);
    if (mlir::failed(cast<onnx::ShapeInferenceOpInterface>(op.getOperation()).inferShapes()) ||
        !onnx::getStaticType(op->getResult(0))) {
      failed = true;
      op->emitError() << "internal: the decomposition of a loss built an invalid " << OpTy::getOperationName();
    }
    return op->getResult(0);
  }
  Type elemOf(Value v) { return cast<ShapedType>(v.getType()).getElementType(); }
  ArrayRef<int64_t> shapeOf(Value v) { return cast<RankedTensorType>(v.getType()).getShape(); }
  NamedAttribute attr(StringRef name, int64_t v) { return b.getNamedAttr(name, b.getI64IntegerAttr(v)); }

  Value i64s(ArrayRef<int64_t> values) {
    auto type = RankedTensorType::get({static_cast<int64_t>(values.size())}, b.getI64Type());
    return onnx::ConstantOp::create(b, loc, type, DenseElementsAttr::get(type, values));
  }
  /// A scalar of `elem` (integer or float) holding `v`.
  Value scalar(Type elem, double v) {
    auto type = RankedTensorType::get({}, elem);
    Attribute value = isa<FloatType>(elem) ? Attribute(FloatAttr::get(elem, v))
                                           : Attribute(IntegerAttr::get(elem, static_cast<int64_t>(v)));
    return onnx::ConstantOp::create(b, loc, type, DenseElementsAttr::get(type, value));
  }
  Value reshape(Value x, ArrayRef<int64_t> shape) { return make<onnx::ReshapeOp>(elemOf(x), {x, i64s(shape)}); }
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
  Builder g{b, op.getLoc()};
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
  Builder g{b, op.getLoc()};
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
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (isa<onnx::NegativeLogLikelihoodLossOp, onnx::SoftmaxCrossEntropyLossOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      if (!onnx::getStaticType(op->getResult(0))) {
        op->emitError() << "the loss needs static shapes (run onnx-shape-inference first)";
        return signalPassFailure();
      }
      LogicalResult done = isa<onnx::NegativeLogLikelihoodLossOp>(op)
                               ? decompose(cast<onnx::NegativeLogLikelihoodLossOp>(op))
                               : decompose(cast<onnx::SoftmaxCrossEntropyLossOp>(op));
      if (failed(done))
        return signalPassFailure();
    }
  }
};

} // namespace
