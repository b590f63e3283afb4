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

LogicalResult CumSumOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto axis = getConstantInts(getAxis());
  if (!axis || axis->size() != 1)
    return emitError() << "axis must be a compile-time constant scalar";
  if (failed(checkedAxis(*this, (*axis)[0], getStaticType(getX()).getRank())))
    return failure();
  return inferSameAsInput(*this);
}
