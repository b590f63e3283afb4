//===- ShapeInferenceReduce.cpp - shapes of Reduce*, ArgMax, ArgMin -------===//
#include "ir/ShapeInferenceUtils.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace onnxc::onnx;
using namespace onnxc::onnx::shapes;

namespace {

template <typename ReduceOp>
LogicalResult inferReduce(ReduceOp op) {
  if (!allStatic(op))
    return success();
  auto t = getStaticType(op.getData());
  int64_t rank = t.getRank();
  SmallVector<int64_t> axes;
  if (op.getAxes()) {
    auto values = constantAxes(op, op.getAxes(), rank);
    if (!values)
      return failure();
    axes = *values;
  }
  if (axes.empty() && !op.getNoopWithEmptyAxes())
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i) {
    if (!llvm::is_contained(axes, i))
      shape.push_back(t.getDimSize(i));
    else if (op.getKeepdims())
      shape.push_back(1);
  }
  return setShape(op.getReduced(), shape, t.getElementType());
}

template <typename ArgOp>
LogicalResult inferArg(ArgOp op) {
  auto t = getStaticType(op.getData());
  if (!t)
    return success();
  auto axis = checkedAxis(op, static_cast<int64_t>(op.getAxis()), t.getRank());
  if (failed(axis))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < t.getRank(); ++i) {
    if (i != *axis)
      shape.push_back(t.getDimSize(i));
    else if (op.getKeepdims())
      shape.push_back(1);
  }
  return setShape(op.getReduced(), shape, IntegerType::get(op.getContext(), 64));
}

} // namespace

#define REDUCE(OP)                                                                                 \
  LogicalResult OP::inferShapes() { return inferReduce(*this); }
REDUCE(ReduceSumOp)
REDUCE(ReduceMeanOp)
REDUCE(ReduceMaxOp)
REDUCE(ReduceMinOp)
REDUCE(ReduceProdOp)
REDUCE(ReduceL1Op)
REDUCE(ReduceL2Op)
REDUCE(ReduceLogSumOp)
REDUCE(ReduceLogSumExpOp)
REDUCE(ReduceSumSquareOp)
#undef REDUCE

LogicalResult ArgMaxOp::inferShapes() { return inferArg(*this); }
LogicalResult ArgMinOp::inferShapes() { return inferArg(*this); }

/// Values and Indices are X with the axis cut to k; k must be a constant in [0, n].
LogicalResult TopKOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto x = getStaticType(getX());
  auto axis = checkedAxis(*this, static_cast<int64_t>(getAxis()), x.getRank());
  if (failed(axis))
    return failure();
  auto k = getConstantInts(getK());
  if (!k || k->size() != 1)
    return emitError() << "K must be a compile-time constant holding one value";
  if ((*k)[0] < 0 || (*k)[0] > x.getDimSize(*axis))
    return emitError() << "K (" << (*k)[0] << ") must be in [0, " << x.getDimSize(*axis) << "]";
  SmallVector<int64_t> shape(x.getShape());
  shape[*axis] = (*k)[0];
  setShape(getValues(), shape, x.getElementType());
  return setShape(getIndices(), shape, IntegerType::get(getContext(), 64));
}
