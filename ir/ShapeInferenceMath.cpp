//===- ShapeInferenceMath.cpp - shapes of elementwise ops -----------------===//
#include "ir/ShapeInferenceUtils.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace onnxc::onnx;
using namespace onnxc::onnx::shapes;

#define SAME_AS_INPUT(OP)                                                                          \
  LogicalResult OP::inferShapes() { return inferSameAsInput(*this); }
SAME_AS_INPUT(AbsOp)
SAME_AS_INPUT(NegOp)
SAME_AS_INPUT(ExpOp)
SAME_AS_INPUT(LogOp)
SAME_AS_INPUT(SqrtOp)
SAME_AS_INPUT(ReciprocalOp)
SAME_AS_INPUT(FloorOp)
SAME_AS_INPUT(CeilOp)
SAME_AS_INPUT(RoundOp)
SAME_AS_INPUT(SinOp)
SAME_AS_INPUT(CosOp)
SAME_AS_INPUT(TanOp)
SAME_AS_INPUT(AsinOp)
SAME_AS_INPUT(AcosOp)
SAME_AS_INPUT(AtanOp)
SAME_AS_INPUT(SinhOp)
SAME_AS_INPUT(CoshOp)
SAME_AS_INPUT(AsinhOp)
SAME_AS_INPUT(AcoshOp)
SAME_AS_INPUT(AtanhOp)
SAME_AS_INPUT(ErfOp)
SAME_AS_INPUT(SignOp)
SAME_AS_INPUT(SoftplusOp)
SAME_AS_INPUT(SoftsignOp)
SAME_AS_INPUT(NotOp)
SAME_AS_INPUT(BitwiseNotOp)
SAME_AS_INPUT(MishOp)
SAME_AS_INPUT(HardSwishOp)
SAME_AS_INPUT(LeakyReluOp)
SAME_AS_INPUT(EluOp)
SAME_AS_INPUT(CeluOp)
SAME_AS_INPUT(ThresholdedReluOp)
SAME_AS_INPUT(SeluOp)
SAME_AS_INPUT(HardSigmoidOp)
SAME_AS_INPUT(ShrinkOp)
SAME_AS_INPUT(GeluOp)
#undef SAME_AS_INPUT

namespace {
LogicalResult inferPredicate(Operation *op) {
  auto t = getStaticType(op->getOperand(0));
  if (!t)
    return success();
  return setShape(op->getResult(0), t.getShape(), IntegerType::get(op->getContext(), 1));
}
LogicalResult inferComparison(Operation *op) {
  return inferBroadcast(op, IntegerType::get(op->getContext(), 1));
}
} // namespace

LogicalResult IsNaNOp::inferShapes() { return inferPredicate(*this); }
LogicalResult IsInfOp::inferShapes() { return inferPredicate(*this); }

#define BINARY(OP)                                                                                 \
  LogicalResult OP::inferShapes() { return inferBinary(*this); }
BINARY(AndOp)
BINARY(OrOp)
BINARY(XorOp)
BINARY(BitwiseAndOp)
BINARY(BitwiseOrOp)
BINARY(BitwiseXorOp)
BINARY(ModOp)
BINARY(BitShiftOp)
#undef BINARY

#define COMPARISON(OP)                                                                             \
  LogicalResult OP::inferShapes() { return inferComparison(*this); }
COMPARISON(EqualOp)
COMPARISON(LessOp)
COMPARISON(LessOrEqualOp)
COMPARISON(GreaterOp)
COMPARISON(GreaterOrEqualOp)
#undef COMPARISON

// Pow's exponent may have another element type than its base.
LogicalResult PowOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  return inferBroadcast(*this, elementTypeOf(getA()), /*sameElementTypes=*/false);
}

// PRelu's slope broadcasts to X (unidirectionally).
LogicalResult PReluOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto x = getStaticType(getA()), slope = getStaticType(getB());
  auto b = broadcastShapes(x.getShape(), slope.getShape());
  if (!b || *b != SmallVector<int64_t>(x.getShape()))
    return emitError() << "slope " << slope << " does not broadcast to " << x;
  return inferSameAsInput(*this);
}

LogicalResult MaxOp::inferShapes() { return inferBroadcast(*this); }
LogicalResult MinOp::inferShapes() { return inferBroadcast(*this); }
LogicalResult SumOp::inferShapes() { return inferBroadcast(*this); }
LogicalResult MeanOp::inferShapes() { return inferBroadcast(*this); }

LogicalResult WhereOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  if (!elementTypeOf(getCondition()).isInteger(1))
    return emitError() << "condition must be bool";
  if (elementTypeOf(getX()) != elementTypeOf(getY()))
    return emitError() << "X and Y element types differ";
  return inferBroadcast(*this, elementTypeOf(getX()), /*sameElementTypes=*/false);
}

LogicalResult CastOp::inferShapes() {
  Type to = elementTypeForCode(getContext(), static_cast<int64_t>(getTo()));
  if (!to)
    return emitError() << "cast to ONNX type " << static_cast<int64_t>(getTo())
                       << " is not supported";
  auto t = getStaticType(getInput());
  if (!t)
    return success();
  return setShape(getOutput(), t.getShape(), to);
}

namespace {
/// Storage bits of an element: bool takes a byte.
unsigned storageBits(Type t) { return t.isInteger(1) ? 8 : t.getIntOrFloatBitWidth(); }
} // namespace

LogicalResult BitCastOp::inferShapes() {
  Type to = elementTypeForCode(getContext(), static_cast<int64_t>(getTo()));
  if (!to)
    return emitError() << "bitcast to ONNX type " << static_cast<int64_t>(getTo()) << " is not supported";
  auto t = getStaticType(getInput());
  if (!t)
    return success();
  if (storageBits(t.getElementType()) != storageBits(to))
    return emitError() << "input (" << t.getElementType() << ") and 'to' (" << to
                       << ") must have the same bit width";
  return setShape(getOutput(), t.getShape(), to);
}
