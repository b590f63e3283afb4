//===- ShapeInferenceRecurrent.cpp - shapes of RNN, GRU and LSTM ----------===//
//
// Every malformed input is reported here by name, so onnxc-decompose-recurrent
// can assume a well-formed op.
//
//===----------------------------------------------------------------------===//
#include "ir/ShapeInferenceUtils.h"

using namespace mlir;
using namespace onnxc::onnx;
using namespace onnxc::onnx::shapes;

namespace {

/// Checks `v` (when present) has exactly `shape`.
LogicalResult expectShape(Operation *op, Value v, ArrayRef<int64_t> shape, StringRef name) {
  if (!v)
    return success();
  auto t = getStaticType(v);
  if (t.getShape() == shape)
    return success();
  auto diag = op->emitError() << name << " must have shape [";
  llvm::interleaveComma(shape, diag);
  return diag << "]";
}

/// The shared rule; `gates` is 1 (RNN), 3 (GRU) or 4 (LSTM). `stateOperands`
/// are initial_h (and initial_c), `stateResults` Y_h (and Y_c).
template <typename OpTy>
LogicalResult inferRecurrent(OpTy op, int64_t gates, ValueRange stateOperands, ValueRange stateResults) {
  if (!allStatic(op))
    return success();
  StringRef direction = op.getDirection();
  if (direction != "forward" && direction != "reverse" && direction != "bidirectional")
    return op.emitError() << "direction '" << direction << "' is not forward, reverse or bidirectional";
  int64_t layout = static_cast<int64_t>(op.getLayout());
  if (layout != 0 && layout != 1)
    return op.emitError() << "layout must be 0 or 1";
  auto x = getStaticType(op.getX()), w = getStaticType(op.getW()), r = getStaticType(op.getR());
  if (x.getRank() != 3 || w.getRank() != 3 || r.getRank() != 3)
    return op.emitError() << "X, W and R must be 3-D";
  int64_t dirs = direction == "bidirectional" ? 2 : 1;
  int64_t seq = x.getDimSize(layout == 0 ? 0 : 1), batch = x.getDimSize(layout == 0 ? 1 : 0);
  int64_t input = x.getDimSize(2);
  int64_t hidden = op.getHiddenSize() ? static_cast<int64_t>(*op.getHiddenSize()) : r.getDimSize(2);
  if (hidden <= 0)
    return op.emitError() << "hidden_size must be positive";
  if (failed(expectShape(op, op.getW(), {dirs, gates * hidden, input}, "W")) ||
      failed(expectShape(op, op.getR(), {dirs, gates * hidden, hidden}, "R")) ||
      failed(expectShape(op, op.getB(), {dirs, 2 * gates * hidden}, "B")) ||
      failed(expectShape(op, op.getSequenceLens(), {batch}, "sequence_lens")))
    return failure();
  SmallVector<int64_t> state = layout == 0 ? SmallVector<int64_t>{dirs, batch, hidden}
                                           : SmallVector<int64_t>{batch, dirs, hidden};
  for (Value v : stateOperands)
    if (failed(expectShape(op, v, state, "initial_h/initial_c")))
      return failure();
  Type elem = x.getElementType();
  for (Value v : {op.getW(), op.getR(), op.getB()})
    if (v && elementTypeOf(v) != elem)
      return op.emitError() << "W, R and B must have X's element type";
  if (Value lens = op.getSequenceLens(); lens && !isa<IntegerType>(elementTypeOf(lens)))
    return op.emitError() << "sequence_lens must be an integer tensor";
  if (layout == 0)
    setShape(op.getY(), {seq, dirs, batch, hidden}, elem);
  else
    setShape(op.getY(), {batch, seq, dirs, hidden}, elem);
  for (Value v : stateResults)
    setShape(v, state, elem);
  return success();
}

} // namespace

LogicalResult RNNOp::inferShapes() {
  return inferRecurrent(*this, 1, ValueRange{getInitialH()}.take_front(getInitialH() ? 1 : 0), {getYH()});
}

LogicalResult GRUOp::inferShapes() {
  return inferRecurrent(*this, 3, ValueRange{getInitialH()}.take_front(getInitialH() ? 1 : 0), {getYH()});
}

LogicalResult LSTMOp::inferShapes() {
  SmallVector<Value> states;
  for (Value v : {getInitialH(), getInitialC()})
    if (v)
      states.push_back(v);
  if (allStatic(*this) && getP() &&
      failed(expectShape(*this, getP(), {getDirection() == "bidirectional" ? 2 : 1,
                                         3 * getStaticType(getR()).getDimSize(2)}, "P")))
    return failure();
  return inferRecurrent(*this, 4, states, {getYH(), getYC()});
}
