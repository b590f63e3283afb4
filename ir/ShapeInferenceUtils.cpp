//===- ShapeInferenceUtils.cpp - helpers shared by the shape rules --------===//
#include "ir/ShapeInferenceUtils.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace onnxc::onnx::shapes {

bool allStatic(Operation *op) {
  return llvm::all_of(op->getOperands(), [](Value v) { return getStaticType(v) != nullptr; });
}

FailureOr<int64_t> checkedAxis(Operation *op, int64_t axis, int64_t rank, bool inclusiveEnd) {
  int64_t hi = inclusiveEnd ? rank : rank - 1;
  if (axis < -rank || axis > hi)
    return op->emitError() << "axis " << axis << " is out of range for rank " << rank;
  return normaliseAxis(axis, rank);
}

LogicalResult inferBroadcast(Operation *op, Type resultElement, bool sameElementTypes) {
  if (!allStatic(op) || op->getNumOperands() == 0)
    return success();
  auto first = getStaticType(op->getOperand(0));
  SmallVector<int64_t> shape(first.getShape());
  for (Value v : op->getOperands().drop_front()) {
    auto t = getStaticType(v);
    if (sameElementTypes && t.getElementType() != first.getElementType())
      return op->emitError() << "operand element types differ (" << first.getElementType()
                             << " vs " << t.getElementType() << ")";
    auto b = broadcastShapes(shape, t.getShape());
    if (!b)
      return op->emitError() << "shapes " << first << " and " << t << " do not broadcast";
    shape = *b;
  }
  return setShape(op->getResult(0), shape, resultElement ? resultElement : first.getElementType());
}

LogicalResult inferSameAsInput(Operation *op) {
  auto t = getStaticType(op->getOperand(0));
  if (!t)
    return success();
  op->getResult(0).setType(t);
  return success();
}

std::optional<SmallVector<int64_t>> constantAxes(Operation *op, Value axes, int64_t rank) {
  auto values = getConstantInts(axes);
  if (!values) {
    op->emitError() << "axes must be a compile-time constant";
    return std::nullopt;
  }
  SmallVector<int64_t> result;
  for (int64_t a : *values) {
    if (a < -rank || a >= rank) {
      op->emitError() << "axis " << a << " is out of range for rank " << rank;
      return std::nullopt;
    }
    int64_t n = normaliseAxis(a, rank);
    if (llvm::is_contained(result, n)) {
      op->emitError() << "axis " << a << " is repeated";
      return std::nullopt;
    }
    result.push_back(n);
  }
  return result;
}

} // namespace onnxc::onnx::shapes
