//===- ShapeInferenceSequenceMixing.cpp - LinearAttention, RoPE, ... ------===//
//
// Every inconsistency of these composite ops is reported here, by name, so
// their decompositions (passes/graph/) can assume a well-formed op.
//
//===----------------------------------------------------------------------===//
#include "ir/ShapeInferenceUtils.h"

using namespace mlir;
using namespace onnxc::onnx;
using namespace onnxc::onnx::shapes;

/// output [B, T, Hq * dv]; present_state [B, Hkv, dk, dv] in past_state's
/// type (query's without one).
LogicalResult LinearAttentionOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto q = getStaticType(getQuery()), k = getStaticType(getKey()), v = getStaticType(getValue());
  if (q.getRank() != 3 || k.getRank() != 3 || v.getRank() != 3)
    return emitError() << "query, key and value must be 3-D [batch, sequence, heads * head_size]";
  int64_t hq = static_cast<int64_t>(getQNumHeads()), hkv = static_cast<int64_t>(getKvNumHeads());
  if (hq <= 0 || hkv <= 0 || hq % hkv)
    return emitError() << "q_num_heads (" << hq << ") must be a positive multiple of kv_num_heads (" << hkv
                       << ")";
  int64_t b = q.getDimSize(0), t = q.getDimSize(1);
  if (k.getDimSize(0) != b || v.getDimSize(0) != b || k.getDimSize(1) != t || v.getDimSize(1) != t)
    return emitError() << "query, key and value must share batch and sequence length";
  if (q.getDimSize(2) % hq || k.getDimSize(2) % hkv || v.getDimSize(2) % hkv)
    return emitError() << "the hidden sizes must be multiples of q_num_heads/kv_num_heads";
  int64_t dk = q.getDimSize(2) / hq, dv = v.getDimSize(2) / hkv;
  if (k.getDimSize(2) / hkv != dk)
    return emitError() << "query and key head sizes differ (" << dk << " vs " << k.getDimSize(2) / hkv << ")";
  if (!isa<FloatType>(q.getElementType()) || k.getElementType() != q.getElementType() ||
      v.getElementType() != q.getElementType())
    return emitError() << "query, key and value must share one float element type";
  StringRef rule = getUpdateRule();
  if (rule != "linear" && rule != "gated" && rule != "delta" && rule != "gated_delta")
    return emitError() << "update_rule '" << rule << "' is not one of linear, gated, delta, gated_delta";
  bool gating = rule == "gated" || rule == "gated_delta", delta = rule == "delta" || rule == "gated_delta";
  if (gating != static_cast<bool>(getDecay()))
    return emitError() << "update_rule '" << rule << "' " << (gating ? "requires" : "forbids") << " decay";
  if (delta != static_cast<bool>(getBeta()))
    return emitError() << "update_rule '" << rule << "' " << (delta ? "requires" : "forbids") << " beta";
  if (Value decay = getDecay()) {
    auto d = getStaticType(decay);
    if (d.getRank() != 3 || d.getDimSize(0) != b || d.getDimSize(1) != t ||
        (d.getDimSize(2) != hkv && d.getDimSize(2) != hkv * dk) || !isa<FloatType>(d.getElementType()))
      return emitError() << "decay must be float [batch, sequence, kv_num_heads or kv_num_heads * head_size]";
  }
  if (Value beta = getBeta()) {
    auto bt = getStaticType(beta);
    if (bt.getRank() != 3 || bt.getDimSize(0) != b || bt.getDimSize(1) != t ||
        (bt.getDimSize(2) != hkv && bt.getDimSize(2) != 1) || !isa<FloatType>(bt.getElementType()))
      return emitError() << "beta must be float [batch, sequence, kv_num_heads or 1]";
  }
  Type stateElem = q.getElementType();
  if (Value past = getPastState()) {
    auto p = getStaticType(past);
    if (p.getShape() != ArrayRef<int64_t>{b, hkv, dk, dv} || !isa<FloatType>(p.getElementType()))
      return emitError() << "past_state must be float [" << b << ", " << hkv << ", " << dk << ", " << dv << "]";
    stateElem = p.getElementType();
  }
  setShape(getOutput(), {b, t, hq * dv}, q.getElementType());
  return setShape(getPresentState(), {b, hkv, dk, dv}, stateElem);
}

/// output is input's shape; present_state [B, C, kernel_size - 1].
LogicalResult CausalConvWithStateOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto x = getStaticType(getInput()), w = getStaticType(getWeight());
  if (x.getRank() != 3 || w.getRank() != 3)
    return emitError() << "input must be [batch, channels, length] and weight [channels, 1, kernel_size]";
  int64_t b = x.getDimSize(0), c = x.getDimSize(1), k = w.getDimSize(2);
  if (w.getDimSize(0) != c || w.getDimSize(1) != 1 || k < 1)
    return emitError() << "weight must be [" << c << ", 1, kernel_size >= 1] (depthwise)";
  if (!isa<FloatType>(x.getElementType()) || w.getElementType() != x.getElementType())
    return emitError() << "input and weight must share one float element type";
  if (Value bias = getBias()) {
    auto bt = getStaticType(bias);
    if (bt.getShape() != ArrayRef<int64_t>{c} || bt.getElementType() != x.getElementType())
      return emitError() << "bias must be [" << c << "] of input's element type";
  }
  if (Value past = getPastState()) {
    auto p = getStaticType(past);
    if (p.getShape() != ArrayRef<int64_t>{b, c, k - 1} || p.getElementType() != x.getElementType())
      return emitError() << "past_state must be [" << b << ", " << c << ", " << k - 1 << "] of input's element type";
  }
  StringRef act = getActivation();
  if (act != "none" && act != "silu" && act != "swish")
    return emitError() << "activation '" << act << "' is not one of none, silu, swish";
  setShape(getOutput(), x.getShape(), x.getElementType());
  return setShape(getPresentState(), {b, c, k - 1}, x.getElementType());
}

/// output is input's shape; the caches must cover rotary_embedding_dim / 2.
LogicalResult RotaryEmbeddingOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto x = getStaticType(getInput()), cosT = getStaticType(getCosCache()), sinT = getStaticType(getSinCache());
  int64_t rank = x.getRank();
  if (rank != 3 && rank != 4)
    return emitError() << "input must be 3-D [batch, sequence, hidden] or 4-D [batch, heads, sequence, head_size]";
  int64_t b = x.getDimSize(0), s = rank == 4 ? x.getDimSize(2) : x.getDimSize(1), headSize;
  if (rank == 3) {
    int64_t heads = static_cast<int64_t>(getNumHeads());
    if (heads <= 0 || x.getDimSize(2) % heads)
      return emitError() << "3-D input needs num_heads dividing the hidden size";
    headSize = x.getDimSize(2) / heads;
  } else {
    headSize = x.getDimSize(3);
  }
  int64_t rot = static_cast<int64_t>(getRotaryEmbeddingDim());
  rot = rot == 0 ? headSize : rot;
  if (rot < 0 || rot > headSize || rot % 2)
    return emitError() << "rotary_embedding_dim " << rot << " must be even and at most the head size " << headSize;
  if (cosT.getShape() != sinT.getShape() || cosT.getElementType() != x.getElementType() ||
      sinT.getElementType() != x.getElementType())
    return emitError() << "cos_cache and sin_cache must have one shape and input's element type";
  if (cosT.getRank() < 1 || cosT.getShape().back() != rot / 2)
    return emitError() << "the caches' last dim must be rotary_embedding_dim / 2 = " << rot / 2;
  if (Value pos = getPositionIds()) {
    auto p = getStaticType(pos);
    if (p.getShape() != ArrayRef<int64_t>{b, s} || !p.getElementType().isInteger(64) || cosT.getRank() != 2)
      return emitError() << "position_ids must be int64 [batch, sequence] indexing 2-D caches";
  } else if (cosT.getShape() != ArrayRef<int64_t>{b, s, rot / 2}) {
    return emitError() << "without position_ids the caches must be [batch, sequence, rotary_embedding_dim / 2]";
  }
  return setShape(getOutput(), x.getShape(), x.getElementType());
}

Type FlexAttentionOp::getSoftmaxType() {
  if (auto p = getSoftmaxPrecision())
    return elementTypeForCode(getContext(), static_cast<int64_t>(*p));
  Type elem = cast<ShapedType>(getQ().getType()).getElementType();
  return elem.getIntOrFloatBitWidth() < 32 ? Float32Type::get(getContext()) : elem;
}

/// Y is [B, Hq, L, Ev].
LogicalResult FlexAttentionOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto q = getStaticType(getQ()), k = getStaticType(getK()), v = getStaticType(getV());
  if (q.getRank() != 4 || k.getRank() != 4 || v.getRank() != 4)
    return emitError() << "Q, K and V must be 4-D [batch, heads, sequence, head_size]";
  int64_t b = q.getDimSize(0), hq = q.getDimSize(1), hkv = k.getDimSize(1);
  if (k.getDimSize(0) != b || v.getDimSize(0) != b || v.getDimSize(1) != hkv ||
      v.getDimSize(2) != k.getDimSize(2) || k.getDimSize(3) != q.getDimSize(3))
    return emitError() << "K and V must match Q's batch, each other's heads and sequence, and Q's head size";
  if (hkv <= 0 || hq % hkv)
    return emitError() << "Q's heads (" << hq << ") must be a multiple of K's (" << hkv << ")";
  if (!isa<FloatType>(q.getElementType()) || k.getElementType() != q.getElementType() ||
      v.getElementType() != q.getElementType())
    return emitError() << "Q, K and V must share one float element type";
  if (auto p = getSoftmaxPrecision())
    if (!isa_and_nonnull<FloatType>(elementTypeForCode(getContext(), static_cast<int64_t>(*p))))
      return emitError() << "softmax_precision " << *p << " is not a supported float type";
  return setShape(getY(), {b, hq, q.getDimSize(2), v.getDimSize(3)}, q.getElementType());
}
