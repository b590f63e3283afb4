//===- DecomposeAttention.cpp - onnx.Attention as a sequence of onnx ops --===//
//
// Attention (opsets 23/24) is a composite: ONNX defines it by a function
// body. Rewriting it into onnx ops once shapes are static reuses the
// MatMul/Softmax/Where lowerings (and their f16 accumulation rules) instead
// of a second copy of them, and keeps the mask semantics readable. The rules
// follow onnx/reference/ops/op_attention.py step by step; comments name the
// step where the order matters.
//
//===----------------------------------------------------------------------===//
#include "passes/graph/DecompositionBuilder.h"

#include <cmath>
#include <limits>

namespace onnxc {
#define GEN_PASS_DEF_DECOMPOSEATTENTION
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using namespace onnxc;

namespace {

/// The shared builder plus the float constants and masks Attention needs.
struct Builder : DecompositionBuilder {
  /// 0 where `allowed` is true, -inf where it is false, in `elem`: the
  /// select-not-multiply form of the reference (0 * -inf would be NaN).
  Value additive(Value allowed, Type elem) {
    double inf = std::numeric_limits<double>::infinity();
    return make<onnx::WhereOp>(elem, {allowed, scalar(elem, 0.0), scalar(elem, -inf)});
  }
};

/// The additive bias [.., Sq, Skv] of masks, causality and padding, or null
/// when nothing is masked.
Value buildBias(Builder &g, onnx::AttentionOp op, Type elem, int64_t batch, int64_t sq, int64_t skv,
                int64_t past) {
  double inf = std::numeric_limits<double>::infinity();
  Value bias;
  if (Value mask = op.getAttnMask()) {
    // A mask shorter than the total sequence is padded with "masked".
    SmallVector<int64_t> ms(g.shapeOf(mask));
    bool isBool = g.elemOf(mask).isInteger(1);
    if (ms.back() < skv) {
      SmallVector<int64_t> padShape(ms);
      padShape.back() = skv - ms.back();
      Value pad = isBool ? g.constant(DenseElementsAttr::get(RankedTensorType::get(padShape, g.b.getI1Type()), false))
                         : g.floats(elem, padShape, [&](int64_t) { return -inf; });
      mask = g.make<onnx::ConcatOp>(g.elemOf(mask), {mask, pad}, {g.attr("axis", -1)});
    }
    bias = isBool ? g.additive(mask, elem) : mask;
  }
  Value nonpad = op.getNonpadKvSeqlen();
  if (op.getIsCausal()) {
    // Bottom-right aligned: query i attends key j iff j <= i + offset.
    Value causal;
    if (nonpad) {
      // External cache: offset[b] = nonpad_kv_seqlen[b] - Sq, per batch.
      SmallVector<int64_t> rows, cols;
      for (int64_t i = 0; i < sq; ++i)
        rows.push_back(i - sq);
      for (int64_t j = 0; j < skv; ++j)
        cols.push_back(j);
      Value offset = g.reshape(nonpad, {batch, 1, 1, 1});
      Value limit = g.make<onnx::AddOp>(g.b.getI64Type(), {offset, g.i64s(rows, {1, 1, sq, 1})});
      Value allowed = g.make<onnx::LessOrEqualOp>(g.b.getI1Type(), {g.i64s(cols, {1, 1, 1, skv}), limit});
      causal = g.additive(allowed, elem);
    } else {
      causal = g.floats(elem, {sq, skv}, [&](int64_t flat) {
        int64_t i = flat / skv, j = flat % skv;
        return j <= i + past ? 0.0 : -inf;
      });
    }
    bias = bias ? g.make<onnx::AddOp>(elem, {bias, causal}) : causal;
  }
  int64_t left = static_cast<int64_t>(op.getLeftWindowSize()), right = static_cast<int64_t>(op.getRightWindowSize());
  if (left >= 0 || right >= 0) {
    // Sliding window around the query's absolute position p = offset + i:
    // p - left <= j <= p + right, with the causal mask's offset.
    Value window;
    if (nonpad && !op.getPastKey()) {
      SmallVector<int64_t> rows, cols;
      for (int64_t i = 0; i < sq; ++i)
        rows.push_back(i - sq);
      for (int64_t j = 0; j < skv; ++j)
        cols.push_back(j);
      Type i64 = g.b.getI64Type(), i1 = g.b.getI1Type();
      Value pos = g.make<onnx::AddOp>(i64, {g.reshape(nonpad, {batch, 1, 1, 1}), g.i64s(rows, {1, 1, sq, 1})});
      Value diff = g.make<onnx::SubOp>(i64, {pos, g.i64s(cols, {1, 1, 1, skv})});
      Value allowed;
      if (left >= 0)
        allowed = g.make<onnx::LessOrEqualOp>(i1, {diff, g.i64s({left}, {})});
      if (right >= 0) {
        Value r = g.make<onnx::GreaterOrEqualOp>(i1, {diff, g.i64s({-right}, {})});
        allowed = allowed ? g.make<onnx::AndOp>(i1, {allowed, r}) : r;
      }
      window = g.additive(allowed, elem);
    } else {
      window = g.floats(elem, {sq, skv}, [&](int64_t flat) {
        int64_t diff = flat / skv + past - flat % skv;
        bool allowed = (left < 0 || diff <= left) && (right < 0 || -diff <= right);
        return allowed ? 0.0 : -inf;
      });
    }
    bias = bias ? g.make<onnx::AddOp>(elem, {bias, window}) : window;
  }
  if (nonpad) {
    // Keys at or past nonpad_kv_seqlen[b] are padding.
    SmallVector<int64_t> cols;
    for (int64_t j = 0; j < skv; ++j)
      cols.push_back(j);
    Value valid = g.make<onnx::LessOp>(g.b.getI1Type(), {g.i64s(cols, {1, skv}), g.reshape(nonpad, {batch, 1})});
    Value padding = g.reshape(g.additive(valid, elem), {batch, 1, 1, skv});
    bias = bias ? g.make<onnx::AddOp>(elem, {bias, padding}) : padding;
  }
  return bias;
}

LogicalResult decompose(onnx::AttentionOp op) {
  OpBuilder b(op);
  Builder g{{b, op.getLoc(), "Attention"}};
  Value q = op.getQ(), k = op.getK(), v = op.getV();
  Type elem = g.elemOf(q);
  bool is3d = g.shapeOf(q).size() == 3;
  if (is3d) {
    q = g.splitHeads(q, static_cast<int64_t>(*op.getQNumHeads()));
    k = g.splitHeads(k, static_cast<int64_t>(*op.getKvNumHeads()));
    v = g.splitHeads(v, static_cast<int64_t>(*op.getKvNumHeads()));
  }
  int64_t past = 0;
  if (op.getPastKey()) {
    past = g.shapeOf(op.getPastKey())[2];
    k = g.make<onnx::ConcatOp>(elem, {op.getPastKey(), k}, {g.attr("axis", 2)});
    v = g.make<onnx::ConcatOp>(elem, {op.getPastValue(), v}, {g.attr("axis", 2)});
  }
  Value presentKey = k, presentValue = v;
  SmallVector<int64_t> qs(g.shapeOf(q));
  int64_t batch = qs[0], hq = qs[1], sq = qs[2], headSize = qs[3];
  int64_t hkv = g.shapeOf(k)[1], skv = g.shapeOf(k)[2];
  k = g.repeatHeads(k, hq / hkv);
  v = g.repeatHeads(v, hq / hkv);

  // Both Q and K^T are scaled by sqrt(scale), rounded to Q's type, as the
  // reference and the function body do (it keeps Q*K^T in range in f16).
  double scale = op.getScale() ? op.getScale()->convertToDouble() : 1.0 / std::sqrt(double(headSize));
  Value root = g.scalar(elem, std::sqrt(scale));
  Value qk = g.make<onnx::MatMulOp>(elem, {g.make<onnx::MulOp>(elem, {q, root}),
                                           g.make<onnx::MulOp>(elem, {g.transpose(k, {0, 1, 3, 2}), root})});
  // Softcap comes before the bias so -inf stays -inf.
  double softcap = op.getSoftcap().convertToDouble();
  if (softcap > 0) {
    Value cap = g.scalar(elem, softcap);
    qk = g.make<onnx::MulOp>(elem, {g.make<onnx::TanhOp>(elem, g.make<onnx::DivOp>(elem, {qk, cap})), cap});
  }
  Value bias = buildBias(g, op, elem, batch, sq, skv, past);
  Value withBias = bias ? g.make<onnx::AddOp>(elem, {qk, bias}) : qk;

  Type smElem = elem;
  if (auto p = op.getSoftmaxPrecision())
    smElem = onnx::elementTypeForCode(op.getContext(), static_cast<int64_t>(*p));
  Value probs = g.make<onnx::SoftmaxOp>(smElem, g.castTo(withBias, smElem), {g.attr("axis", -1)});
  if (bias) {
    // A row whose bias is all -inf attends nothing: its probabilities are 0
    // (softmax alone would give NaN). Decided on the bias, not the logits.
    Value rowMax = g.make<onnx::ReduceMaxOp>(elem, {bias, g.i64s({-1})}, {g.attr("keepdims", 1)});
    Value masked = g.make<onnx::IsInfOp>(g.b.getI1Type(), rowMax, {g.attr("detect_positive", 0)});
    probs = g.make<onnx::WhereOp>(smElem, {masked, g.scalar(smElem, 0.0), probs});
  }
  probs = g.castTo(probs, elem);
  Value y = g.make<onnx::MatMulOp>(elem, {probs, v});
  if (is3d)
    y = g.reshape(g.transpose(y, {0, 2, 1, 3}), {batch, sq, -1});

  // Modes 0 and 1 expose the (softcapped) product, 2 adds the bias, 3 the
  // guarded probabilities.
  int64_t mode = static_cast<int64_t>(op.getQkMatmulOutputMode());
  Value qkOut = mode == 3 ? probs : mode == 2 ? withBias : qk;
  if (g.failed)
    return failure();
  op.getY().replaceAllUsesWith(y);
  op.getPresentKey().replaceAllUsesWith(presentKey);
  op.getPresentValue().replaceAllUsesWith(presentValue);
  op.getQkMatmulOutput().replaceAllUsesWith(qkOut);
  op->erase();
  return success();
}

struct DecomposeAttentionPass : public onnxc::impl::DecomposeAttentionBase<DecomposeAttentionPass> {
  void runOnOperation() override {
    if (failed(decomposeEach<onnx::AttentionOp>(getOperation(), [](auto op) { return decompose(op); })))
      signalPassFailure();
  }
};

} // namespace
