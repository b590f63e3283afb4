//===- DecomposeFlexAttention.cpp - FlexAttention as onnx ops -------------===//
//
// ai.onnx.preview FlexAttention is rank-4 attention with grouped KV heads and
// no masks. Rewritten as Attention is: Q and K scaled by sqrt(scale) in the
// input type, the scores cast to the softmax type (softmax_precision, else
// f32 for f16/bf16, else the input type), Softmax, and P x V in that type,
// following onnx/reference/ops/aionnx_preview/op_flex_attention.py.
//
//===----------------------------------------------------------------------===//
#include "passes/graph/DecompositionBuilder.h"

#include <cmath>

namespace onnxc {
#define GEN_PASS_DEF_DECOMPOSEFLEXATTENTION
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using namespace onnxc;

namespace {

LogicalResult decompose(onnx::FlexAttentionOp op) {
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
  Type compute = elem.getIntOrFloatBitWidth() < 32 ? b.getF32Type() : elem;
  if (auto p = op.getSoftmaxPrecision())
    compute = onnx::elementTypeForCode(op.getContext(), static_cast<int64_t>(*p));
  Value probs = g.make<onnx::SoftmaxOp>(compute, g.castTo(scores, compute), {g.attr("axis", -1)});
  Value y = g.castTo(g.make<onnx::MatMulOp>(compute, {probs, g.castTo(v, compute)}), elem);
  if (g.failed)
    return failure();
  op.getY().replaceAllUsesWith(y);
  op->erase();
  return success();
}

struct DecomposeFlexAttentionPass : public onnxc::impl::DecomposeFlexAttentionBase<DecomposeFlexAttentionPass> {
  void runOnOperation() override {
    SmallVector<onnx::FlexAttentionOp> ops;
    getOperation().walk([&](onnx::FlexAttentionOp op) { ops.push_back(op); });
    for (onnx::FlexAttentionOp op : ops) {
      if (!onnx::getStaticType(op.getY())) {
        op->emitError() << "FlexAttention needs static shapes (run onnx-shape-inference first)";
        return signalPassFailure();
      }
      if (failed(decompose(op)))
        return signalPassFailure();
    }
  }
};

} // namespace
