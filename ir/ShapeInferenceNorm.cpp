//===- ShapeInferenceNorm.cpp - shapes of normalisation-like ops ----------===//
#include "ir/ShapeInferenceUtils.h"

using namespace mlir;
using namespace onnxc::onnx;
using namespace onnxc::onnx::shapes;

namespace {
template <typename OpTy>
LogicalResult inferAxisOp(OpTy op) {
  auto t = getStaticType(op.getInput());
  if (!t)
    return success();
  if (failed(checkedAxis(op, static_cast<int64_t>(op.getAxis()), std::max<int64_t>(t.getRank(), 1))))
    return failure();
  return inferSameAsInput(op);
}
} // namespace

LogicalResult LogSoftmaxOp::inferShapes() { return inferAxisOp(*this); }
LogicalResult LogSoftmaxV1Op::inferShapes() { return inferAxisOp(*this); }
LogicalResult HardmaxOp::inferShapes() { return inferAxisOp(*this); }
LogicalResult HardmaxV1Op::inferShapes() { return inferAxisOp(*this); }

LogicalResult LayerNormalizationOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto x = getStaticType(getX());
  auto axis = checkedAxis(*this, static_cast<int64_t>(getAxis()), x.getRank());
  if (failed(axis))
    return failure();
  ArrayRef<int64_t> normalized = x.getShape().drop_front(*axis);
  for (Value v : {getScale(), getB()}) {
    if (!v)
      continue;
    auto b = broadcastShapes(getStaticType(v).getShape(), normalized);
    if (!b || ArrayRef<int64_t>(*b) != normalized)
      return emitError() << "Scale and B must broadcast to the normalised dims";
  }
  getY().setType(x);
  SmallVector<int64_t> statShape(x.getShape());
  for (int64_t i = *axis; i < x.getRank(); ++i)
    statShape[i] = 1;
  setShape(getMean(), statShape, x.getElementType());
  return setShape(getInvStdDev(), statShape, x.getElementType());
}

LogicalResult RMSNormalizationOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto x = getStaticType(getX());
  auto axis = checkedAxis(*this, static_cast<int64_t>(getAxis()), x.getRank());
  if (failed(axis))
    return failure();
  // As for LayerNormalization: a scale that does not broadcast to the
  // normalised dims would give the lowering an invalid indexing map.
  ArrayRef<int64_t> normalized = x.getShape().drop_front(*axis);
  auto b = broadcastShapes(getStaticType(getScale()).getShape(), normalized);
  if (!b || ArrayRef<int64_t>(*b) != normalized)
    return emitError() << "scale must broadcast to the normalised dims";
  return inferSameAsInput(*this);
}

LogicalResult InstanceNormalizationOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto x = getStaticType(getInput());
  if (x.getRank() < 3)
    return emitError() << "input must have rank >= 3";
  for (Value v : {getScale(), getB()})
    if (getStaticType(v).getRank() != 1 || getStaticType(v).getDimSize(0) != x.getDimSize(1))
      return emitError() << "scale and B must have shape [" << x.getDimSize(1) << "]";
  return inferSameAsInput(*this);
}

LogicalResult TriluOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  if (getStaticType(getInput()).getRank() < 2)
    return emitError() << "input must have rank >= 2";
  if (getK() && !getConstantInts(getK()))
    return emitError() << "k must be a compile-time constant";
  // The lowering reads k[0]: an empty k tensor must not get that far.
  if (getK() && getConstantInts(getK())->size() != 1)
    return emitError() << "k must hold exactly one value";
  return inferSameAsInput(*this);
}

namespace {
template <typename OpTy>
LogicalResult inferCumulative(OpTy op) {
  if (!allStatic(op))
    return success();
  auto axis = getConstantInts(op.getAxis());
  if (!axis || axis->size() != 1)
    return op.emitError() << "axis must be a compile-time constant scalar";
  if (failed(checkedAxis(op, (*axis)[0], getStaticType(op.getX()).getRank())))
    return failure();
  return inferSameAsInput(op);
}
} // namespace

LogicalResult CumSumOp::inferShapes() { return inferCumulative(*this); }
LogicalResult CumProdOp::inferShapes() { return inferCumulative(*this); }

/// Y is [B, Hq, Sq, Dv] (3-D inputs: [B, Sq, Hq * Dv]), the presents are the
/// caches with K/V appended along the sequence, qk_matmul_output is
/// [B, Hq, Sq, past + Skv]. Every inconsistency is reported here, so the
/// decomposition can assume a well-formed op.
LogicalResult AttentionOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto q = getStaticType(getQ()), k = getStaticType(getK()), v = getStaticType(getV());
  int64_t rank = q.getRank();
  if ((rank != 3 && rank != 4) || k.getRank() != rank || v.getRank() != rank)
    return emitError() << "Q, K and V must all be 3-D or all 4-D";
  int64_t batch = q.getDimSize(0), hq, hkv, sq, skv, dqk, dk, dv;
  if (rank == 3) {
    if (!getQNumHeads() || !getKvNumHeads())
      return emitError() << "3-D inputs need the q_num_heads and kv_num_heads attributes";
    hq = static_cast<int64_t>(*getQNumHeads());
    hkv = static_cast<int64_t>(*getKvNumHeads());
    if (hq <= 0 || hkv <= 0 || q.getDimSize(2) % hq || k.getDimSize(2) % hkv || v.getDimSize(2) % hkv)
      return emitError() << "the hidden sizes must be multiples of q_num_heads/kv_num_heads";
    sq = q.getDimSize(1), skv = k.getDimSize(1);
    dqk = q.getDimSize(2) / hq, dk = k.getDimSize(2) / hkv, dv = v.getDimSize(2) / hkv;
  } else {
    hq = q.getDimSize(1), hkv = k.getDimSize(1), sq = q.getDimSize(2), skv = k.getDimSize(2);
    dqk = q.getDimSize(3), dk = k.getDimSize(3), dv = v.getDimSize(3);
    if (v.getDimSize(1) != hkv)
      return emitError() << "K and V must have the same number of heads";
  }
  if (k.getDimSize(0) != batch || v.getDimSize(0) != batch || v.getDimSize(rank - 2) != skv)
    return emitError() << "K and V must match Q's batch and each other's sequence length";
  if (dk != dqk)
    return emitError() << "Q and K head sizes differ (" << dqk << " vs " << dk << ")";
  if (hkv == 0 || hq % hkv)
    return emitError() << "q_num_heads (" << hq << ") must be a multiple of kv_num_heads (" << hkv << ")";
  int64_t past = 0;
  if (!getPastKey() != !getPastValue())
    return emitError() << "past_key and past_value must be given together";
  if (getPastKey()) {
    if (getNonpadKvSeqlen())
      return emitError() << "nonpad_kv_seqlen cannot be combined with past_key/past_value";
    auto pk = getStaticType(getPastKey()), pv = getStaticType(getPastValue());
    if (pk.getRank() != 4 || pv.getRank() != 4 || pk.getDimSize(0) != batch || pv.getDimSize(0) != batch ||
        pk.getDimSize(1) != hkv || pv.getDimSize(1) != hkv || pk.getDimSize(3) != dk ||
        pv.getDimSize(3) != dv || pk.getDimSize(2) != pv.getDimSize(2))
      return emitError() << "past_key/past_value must be [batch, kv_num_heads, past, head_size]";
    past = pk.getDimSize(2);
  }
  if (Value m = getAttnMask()) {
    auto mt = getStaticType(m);
    if (mt.getRank() < 1 || mt.getDimSize(mt.getRank() - 1) > past + skv)
      return emitError() << "attn_mask's last dim must not exceed the total sequence length";
    if (!mt.getElementType().isInteger(1) && mt.getElementType() != q.getElementType())
      return emitError() << "attn_mask must be bool or Q's element type";
  }
  if (Value n = getNonpadKvSeqlen()) {
    auto nt = getStaticType(n);
    if (nt.getRank() != 1 || nt.getDimSize(0) != batch || !nt.getElementType().isInteger(64))
      return emitError() << "nonpad_kv_seqlen must be int64 [batch]";
  }
  if (static_cast<int64_t>(getLeftWindowSize()) < -1 || static_cast<int64_t>(getRightWindowSize()) < -1)
    return emitError() << "left_window_size and right_window_size must be -1 or nonnegative";
  int64_t mode = static_cast<int64_t>(getQkMatmulOutputMode());
  if (mode < 0 || mode > 3)
    return emitError() << "qk_matmul_output_mode " << mode << " is not one of 0..3";
  if (auto p = getSoftmaxPrecision())
    if (!isa_and_nonnull<FloatType>(elementTypeForCode(getContext(), static_cast<int64_t>(*p))))
      return emitError() << "softmax_precision " << *p << " is not a supported float type";
  Type elem = q.getElementType();
  if (rank == 3)
    setShape(getY(), {batch, sq, hq * dv}, elem);
  else
    setShape(getY(), {batch, hq, sq, dv}, elem);
  setShape(getPresentKey(), {batch, hkv, past + skv, dk}, elem);
  setShape(getPresentValue(), {batch, hkv, past + skv, dv}, elem);
  return setShape(getQkMatmulOutput(), {batch, hq, sq, past + skv}, elem);
}

namespace {
LogicalResult requireFloat(Operation *op, Value x) {
  if (!isa<FloatType>(elementTypeOf(x)))
    return op->emitError() << "needs a float input, got " << elementTypeOf(x);
  return success();
}
} // namespace

LogicalResult LRNOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  if (getStaticType(getX()).getRank() < 3)
    return emitError() << "X must be [N, C, D1, ...] (rank >= 3)";
  if (getSize() < 1)
    return emitError() << "size " << getSize() << " must be positive";
  if (failed(requireFloat(*this, getX())))
    return failure();
  return inferSameAsInput(*this);
}

LogicalResult LpNormalizationOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto x = getStaticType(getInput());
  if (failed(checkedAxis(*this, getAxis(), std::max<int64_t>(x.getRank(), 1))))
    return failure();
  if (getP() != 1 && getP() != 2)
    return emitError() << "p must be 1 or 2, got " << getP();
  if (failed(requireFloat(*this, getInput())))
    return failure();
  return inferSameAsInput(*this);
}

LogicalResult MeanVarianceNormalizationOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto x = getStaticType(getX());
  for (int64_t axis : getI64s(getAxes(), 0, 0))
    if (failed(checkedAxis(*this, axis, x.getRank())))
      return failure();
  if (!getAxes() && x.getRank() != 4)
    return emitError() << "the default axes [0, 2, 3] need a 4-D input, got " << x;
  if (failed(requireFloat(*this, getX())))
    return failure();
  return inferSameAsInput(*this);
}

LogicalResult GroupNormalizationOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto x = getStaticType(getX());
  if (x.getRank() < 2)
    return emitError() << "X must be [N, C, ...] (rank >= 2)";
  int64_t channels = x.getDimSize(1), groups = getNumGroups();
  if (groups < 1 || channels % groups)
    return emitError() << "num_groups " << groups << " must divide the " << channels << " channels";
  int64_t affine = getPerGroupAffine() ? groups : channels;
  for (Value v : {getScale(), getBias()})
    if (getStaticType(v).getRank() != 1 || getStaticType(v).getDimSize(0) != affine)
      return emitError() << "scale and bias must have shape [" << affine << "]";
  if (failed(requireFloat(*this, getX())))
    return failure();
  return inferSameAsInput(*this);
}
