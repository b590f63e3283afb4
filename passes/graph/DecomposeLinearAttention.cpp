//===- DecomposeLinearAttention.cpp - LinearAttention as onnx ops ---------===//
//
// LinearAttention (opset 27) is a recurrence over the sequence: per step the
// [dk, dv] state of each KV head decays (gated), is corrected towards the new
// value (delta rule), takes the key/value outer product, and is read by the
// query. The sequence length is static, so the recurrence is unrolled into
// Gather/Mul/MatMul/Add steps: each reuses an existing lowering, and no loop
// construct is needed. Everything is computed in f32 and rounded once, as
// onnx/reference/ops/op_linear_attention.py does (f16 states drift otherwise).
//
//===----------------------------------------------------------------------===//
#include "passes/graph/DecompositionBuilder.h"

#include <cmath>

namespace onnxc {
#define GEN_PASS_DEF_DECOMPOSELINEARATTENTION
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using namespace onnxc;

namespace {

LogicalResult decompose(onnx::LinearAttentionOp op) {
  OpBuilder b(op);
  DecompositionBuilder g{b, op.getLoc(), "LinearAttention"};
  Type f32 = b.getF32Type();
  int64_t hq = static_cast<int64_t>(op.getQNumHeads()), hkv = static_cast<int64_t>(op.getKvNumHeads());
  int64_t group = hq / hkv;
  Value q = g.splitHeads(g.castTo(op.getQuery(), f32), hq);   // [B, Hq, T, dk]
  Value k = g.splitHeads(g.castTo(op.getKey(), f32), hkv);    // [B, Hkv, T, dk]
  Value v = g.splitHeads(g.castTo(op.getValue(), f32), hkv);  // [B, Hkv, T, dv]
  ArrayRef<int64_t> qs = g.shapeOf(q);
  int64_t batch = qs[0], steps = qs[2], dk = qs[3], dv = g.shapeOf(v)[3];

  // Per-step multipliers, computed for the whole sequence at once:
  // exp(decay) as [B, Hkv, T, 1 or dk], beta as [B, Hkv or 1, T, 1].
  Value decayFactor, beta;
  if (Value decay = op.getDecay()) {
    int64_t last = g.shapeOf(decay)[2];
    Value d = g.castTo(decay, f32);
    d = last == hkv ? g.transpose(g.reshape(d, {batch, steps, hkv, 1}), {0, 2, 1, 3}) : g.splitHeads(d, hkv);
    decayFactor = g.make<onnx::ExpOp>(f32, d);
  }
  if (Value bt = op.getBeta()) {
    int64_t last = g.shapeOf(bt)[2];
    beta = g.transpose(g.reshape(g.castTo(bt, f32), {batch, steps, last, 1}), {0, 2, 1, 3});
  }

  Value state = op.getPastState()
                    ? g.castTo(op.getPastState(), f32)
                    : g.make<onnx::ExpandOp>(f32, {g.scalar(f32, 0.0), g.i64s({batch, hkv, dk, dv})});
  SmallVector<Value> outputs;
  for (int64_t t = 0; t < steps; ++t) {
    Value kt = g.pick(k, 2, {t}); // [B, Hkv, 1, dk]
    Value vt = g.pick(v, 2, {t}); // [B, Hkv, 1, dv]
    if (decayFactor) {
      // state *= exp(g_t), broadcast over dv.
      Value f = g.pick(decayFactor, 2, {t});
      state = g.make<onnx::MulOp>(f32, {state, g.reshape(f, {batch, hkv, g.shapeOf(f)[3], 1})});
    }
    if (beta) {
      // v_t <- beta_t * (v_t - S^T k_t).
      Value retrieved = g.make<onnx::MatMulOp>(f32, {kt, state});
      vt = g.make<onnx::MulOp>(f32, {g.pick(beta, 2, {t}), g.make<onnx::SubOp>(f32, {vt, retrieved})});
    }
    // state += k_t (outer) v_t.
    state = g.make<onnx::AddOp>(f32, {state, g.make<onnx::MulOp>(f32, {g.reshape(kt, {batch, hkv, dk, 1}), vt})});
    // Query head h reads KV head h / group: group the query heads under
    // their KV head instead of repeating the state.
    Value qt = g.reshape(g.pick(q, 2, {t}), {batch, hkv, group, dk});
    outputs.push_back(g.reshape(g.make<onnx::MatMulOp>(f32, {qt, state}), {batch, hq, 1, dv}));
  }
  Value out = outputs.size() == 1 ? outputs[0] : g.make<onnx::ConcatOp>(f32, outputs, {g.attr("axis", 2)});
  double scale = op.getScale() ? op.getScale()->convertToDouble() : 1.0 / std::sqrt(static_cast<double>(dk));
  out = g.make<onnx::MulOp>(f32, {out, g.scalar(f32, scale)});
  out = g.castTo(g.mergeHeads(out), g.elemOf(op.getQuery()));
  Value present = g.castTo(state, g.elemOf(op.getPresentState()));
  if (g.failed)
    return failure();
  op.getOutput().replaceAllUsesWith(out);
  op.getPresentState().replaceAllUsesWith(present);
  op->erase();
  return success();
}

struct DecomposeLinearAttentionPass
    : public onnxc::impl::DecomposeLinearAttentionBase<DecomposeLinearAttentionPass> {
  void runOnOperation() override {
    if (failed(decomposeEach<onnx::LinearAttentionOp>(getOperation(), [](auto op) { return decompose(op); })))
      signalPassFailure();
  }
};

} // namespace
