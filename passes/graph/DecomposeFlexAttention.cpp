//===- DecomposeFlexAttention.cpp - FlexAttention as onnx ops -------------===//
//
// ai.onnx.preview FlexAttention is rank-4 attention with grouped KV heads and
// no masks. Rewritten as Attention is: Q and K scaled by sqrt(scale) in the
// input type, the scores cast to the softmax type (softmax_precision, else
// f32 for f16/bf16, else the input type), Softmax, and P x V in that type,
// following onnx/reference/ops/aionnx_preview/op_flex_attention.py. The
// score_mod and prob_mod subgraphs are copied in on the scores before the
// Softmax and on the probabilities after it; shape inference has not seen
// their ops (they were inside the op), so each copy is refined, folded and its
// control flow expanded here, the way onnx-shape-inference would have.
//
//===----------------------------------------------------------------------===//
#include "passes/graph/DecompositionBuilder.h"
#include "passes/graph/ShapeInference.h"

#include <cmath>

namespace onnxc {
#define GEN_PASS_DEF_DECOMPOSEFLEXATTENTION
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using namespace onnxc;

namespace {

/// `x` modified by the subgraph `mod` (`x` itself when there is none), in
/// x's type: the subgraph must keep the shape, and its element type is cast
/// back as the reference does.
FailureOr<Value> applyModifier(onnx::FlexAttentionOp op, Region &mod, StringRef name, Value x,
                               DecompositionBuilder &g, OpRefiner &refiner) {
  if (mod.empty())
    return x;
  Block &block = mod.front();
  if (block.getNumArguments() != 1 || !block.mightHaveTerminator() ||
      block.getTerminator()->getNumOperands() != 1)
    return op->emitError() << name << " must take one input and yield one output", failure();
  FailureOr<SmallVector<Value>> yielded =
      inlineRegion(g.b, mod, x, [&](Operation *copy) { return refiner.process(copy); });
  if (failed(yielded))
    return failure();
  Value y = (*yielded)[0];
  RankedTensorType type = onnx::getStaticType(y);
  if (!type || !isa<FloatType>(type.getElementType()) || type.getShape() != g.shapeOf(x))
    return op->emitError() << name << " must yield a float tensor of its input's shape " << x.getType()
                           << ", got " << y.getType(), failure();
  return g.castTo(y, g.elemOf(x));
}

LogicalResult decompose(onnx::FlexAttentionOp op, OpRefiner &refiner) {
  OpBuilder b(op);
  DecompositionBuilder g{b, op.getLoc(), "FlexAttention"};
  Value q = op.getQ(), k = op.getK(), v = op.getV();
  Type elem = g.elemOf(q);
  int64_t heads = g.shapeOf(q)[1], headSize = g.shapeOf(q)[3];
  k = g.repeatHeads(k, heads / g.shapeOf(k)[1]);
  v = g.repeatHeads(v, heads / g.shapeOf(v)[1]);
  // sqrt(scale) is taken in f32, then rounded to the input type.
  float scale = op.getScale() ? op.getScale()->convertToFloat() : 1.0f / std::sqrt(static_cast<float>(headSize));
  Value root = g.scalar(elem, std::sqrt(scale));
  Value scores = g.make<onnx::MatMulOp>(elem, {g.make<onnx::MulOp>(elem, {q, root}),
                                               g.transpose(g.make<onnx::MulOp>(elem, {k, root}), {0, 1, 3, 2})});
  Type compute = op.getSoftmaxType();
  if (g.failed)
    return failure();
  FailureOr<Value> modifiedScores = applyModifier(op, op.getScoreMod(), "score_mod", g.castTo(scores, compute), g, refiner);
  if (failed(modifiedScores))
    return failure();
  Value probs = g.make<onnx::SoftmaxOp>(compute, *modifiedScores, {g.attr("axis", -1)});
  if (g.failed)
    return failure();
  FailureOr<Value> modifiedProbs = applyModifier(op, op.getProbMod(), "prob_mod", probs, g, refiner);
  if (failed(modifiedProbs))
    return failure();
  Value y = g.castTo(g.make<onnx::MatMulOp>(compute, {*modifiedProbs, g.castTo(v, compute)}), elem);
  if (g.failed)
    return failure();
  op.getY().replaceAllUsesWith(y);
  op->erase();
  return success();
}

struct DecomposeFlexAttentionPass : public onnxc::impl::DecomposeFlexAttentionBase<DecomposeFlexAttentionPass> {
  using DecomposeFlexAttentionBase::DecomposeFlexAttentionBase;

  void runOnOperation() override {
    OpRefiner refiner{int64_t(maxTensorBytes)};
    // Only the function's own ops: one inside a subgraph is decomposed once
    // its copy is inlined, so repeat while decompositions bring new ones out.
    for (;;) {
      SmallVector<onnx::FlexAttentionOp> ops(getOperation().getBody().getOps<onnx::FlexAttentionOp>());
      if (ops.empty())
        return;
      for (onnx::FlexAttentionOp op : ops) {
        if (!onnx::getStaticType(op.getY())) {
          op->emitError() << "FlexAttention needs static shapes (run onnx-shape-inference first)";
          return signalPassFailure();
        }
        if (failed(decompose(op, refiner)))
          return signalPassFailure();
      }
    }
  }
};

} // namespace
