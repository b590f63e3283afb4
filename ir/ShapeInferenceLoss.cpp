//===- ShapeInferenceLoss.cpp - shapes of the NLL and cross-entropy losses -===//
#include "ir/ShapeInferenceUtils.h"

using namespace mlir;
using namespace onnxc::onnx;
using namespace onnxc::onnx::shapes;

namespace {
/// Scores [N, C, d1..dk], targets [N, d1..dk] of int32/int64, optional weights
/// [C]: the loss is [N, d1..dk] with reduction "none", a scalar otherwise.
/// Every inconsistency is reported here, so the decomposition can assume a
/// well-formed op.
LogicalResult inferLoss(Operation *op, Value scores, Value targets, Value weights, StringRef reduction,
                        Value loss) {
  if (!allStatic(op))
    return success();
  auto x = getStaticType(scores), t = getStaticType(targets);
  if (x.getRank() < 2)
    return op->emitError() << "the input must be [N, C, d1, ...], got rank " << x.getRank();
  if (!isa<FloatType>(x.getElementType()))
    return op->emitError() << "the input must be a float tensor";
  if (!t.getElementType().isInteger(32) && !t.getElementType().isInteger(64))
    return op->emitError() << "the target must be int32 or int64";
  SmallVector<int64_t> lossShape(x.getShape());
  lossShape.erase(lossShape.begin() + 1);
  if (t.getShape() != ArrayRef<int64_t>(lossShape))
    return op->emitError() << "the target must be the input's shape without dim 1";
  if (weights) {
    auto w = getStaticType(weights);
    if (w.getRank() != 1 || w.getDimSize(0) != x.getDimSize(1) || w.getElementType() != x.getElementType())
      return op->emitError() << "the weight must be [C] of the input's element type";
  }
  if (reduction != "none" && reduction != "sum" && reduction != "mean")
    return op->emitError() << "reduction '" << reduction << "' is not one of none, sum, mean";
  if (reduction != "none")
    lossShape.clear();
  return setShape(loss, lossShape, x.getElementType());
}
} // namespace

LogicalResult NegativeLogLikelihoodLossOp::inferShapes() {
  return inferLoss(*this, getInput(), getTarget(), getWeight(), getReduction(), getLoss());
}

LogicalResult SoftmaxCrossEntropyLossOp::inferShapes() {
  if (failed(inferLoss(*this, getScores(), getLabels(), getWeights(), getReduction(), getOutput())))
    return failure();
  if (auto x = getStaticType(getScores()))
    getLogProb().setType(x);
  return success();
}
