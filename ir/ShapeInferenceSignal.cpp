//===- ShapeInferenceSignal.cpp - shapes of DFT, STFT, windows, mel bank --===//
//
// Every signal op's output shape depends on scalar operands (lengths, steps,
// the axis), so those must be compile-time constants; the messages say so in
// the words the conformance runner looks for when it freezes such inputs.
//
//===----------------------------------------------------------------------===//
#include "ir/ShapeInferenceUtils.h"
#include "ir/Signal.h"

using namespace mlir;
using namespace onnxc::onnx;
using namespace onnxc::onnx::shapes;

namespace {

/// The value of a constant one-element integer operand, or an error naming it.
FailureOr<int64_t> constantScalar(Operation *op, Value v, StringRef name) {
  auto values = getConstantInts(v);
  if (!values || values->size() != 1)
    return op->emitError() << name << " must be a compile-time constant integer scalar "
                           << "(the output shape depends on it)";
  return values->front();
}

FailureOr<Type> outputElementType(Operation *op, int64_t code) {
  Type t = elementTypeForCode(op->getContext(), code);
  if (!t || !(isa<FloatType>(t) || t.isSignlessInteger() || t.isUnsignedInteger()))
    return op->emitError() << "output_datatype " << code << " is not a supported numeric type";
  return t;
}

template <typename WindowOp>
LogicalResult inferWindow(WindowOp op) {
  if (!allStatic(op))
    return success();
  auto size = constantScalar(op, op.getSize(), "size");
  if (failed(size))
    return failure();
  if (*size < 0)
    return op.emitError() << "size " << *size << " is negative";
  auto elem = outputElementType(op, static_cast<int64_t>(op.getOutputDatatype()));
  if (failed(elem))
    return failure();
  return setShape(op.getOutput(), {*size}, *elem);
}

} // namespace

namespace onnxc::onnx {

/// The DFT parameters once shapes and scalars are known (shared with the
/// decomposition through the op's own attributes and operands).
FailureOr<DFTParams> resolveDFT(DFTOp op) {
  auto x = getStaticType(op.getInput());
  if (!x)
    return failure();
  int64_t rank = x.getRank();
  if (rank < 2 || (x.getDimSize(rank - 1) != 1 && x.getDimSize(rank - 1) != 2))
    return op.emitError() << "input must be [..., 1] (real) or [..., 2] (complex), got " << x;
  auto axisValue = constantScalar(op, op.getAxis(), "axis");
  if (failed(axisValue))
    return failure();
  auto axis = checkedAxis(op, *axisValue, rank);
  if (failed(axis))
    return failure();
  if (*axis == rank - 1)
    return op.emitError() << "axis " << *axisValue << " is the real/imaginary dimension";
  DFTParams p;
  p.axis = *axis;
  p.inverse = op.getInverse() != 0;
  p.onesided = op.getOnesided() != 0;
  p.inputLength = x.getDimSize(*axis);
  p.complexInput = x.getDimSize(rank - 1) == 2;
  if (op.getDftLength()) {
    auto length = constantScalar(op, op.getDftLength(), "dft_length");
    if (failed(length))
      return failure();
    p.length = *length;
  } else {
    p.length = p.inverse && p.onesided ? 2 * (p.inputLength - 1) : p.inputLength;
  }
  if (p.length < 1)
    return op.emitError() << "dft_length " << p.length << " must be positive";
  // Forward one-sided keeps the non-negative frequencies; inverse one-sided
  // (irfft) rebuilds a real signal from them.
  p.outputLength = p.onesided && !p.inverse ? p.length / 2 + 1 : p.length;
  p.complexOutput = !(p.inverse && p.onesided);
  return p;
}

} // namespace onnxc::onnx

LogicalResult DFTOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto p = resolveDFT(*this);
  if (failed(p))
    return failure();
  auto x = getStaticType(getInput());
  SmallVector<int64_t> shape(x.getShape());
  shape[p->axis] = p->outputLength;
  shape.back() = p->complexOutput ? 2 : 1;
  return setShape(getOutput(), shape, x.getElementType());
}

namespace onnxc::onnx {

FailureOr<STFTParams> resolveSTFT(STFTOp op) {
  auto x = getStaticType(op.getSignal());
  if (!x)
    return failure();
  if (x.getRank() != 3 || (x.getDimSize(2) != 1 && x.getDimSize(2) != 2))
    return op.emitError() << "signal must be [batch, length, 1 or 2], got " << x;
  STFTParams p;
  auto step = constantScalar(op, op.getFrameStep(), "frame_step");
  if (failed(step))
    return failure();
  p.step = *step;
  if (p.step < 1)
    return op.emitError() << "frame_step " << p.step << " must be positive";
  p.frameLength = x.getDimSize(1);
  if (Value w = op.getWindow()) {
    auto wt = getStaticType(w);
    if (wt.getRank() != 1)
      return op.emitError() << "window must be 1-D, got " << wt;
    p.frameLength = wt.getDimSize(0);
  }
  if (Value l = op.getFrameLength()) {
    auto length = constantScalar(op, l, "frame_length");
    if (failed(length))
      return failure();
    if (op.getWindow() && *length != p.frameLength)
      return op.emitError() << "frame_length " << *length << " differs from the window's length "
                            << p.frameLength;
    p.frameLength = *length;
  }
  if (p.frameLength < 1 || p.frameLength > x.getDimSize(1))
    return op.emitError() << "frame length " << p.frameLength << " must be in [1, " << x.getDimSize(1) << "]";
  p.frames = 1 + (x.getDimSize(1) - p.frameLength) / p.step;
  p.bins = op.getOnesided() ? p.frameLength / 2 + 1 : p.frameLength;
  return p;
}

} // namespace onnxc::onnx

LogicalResult STFTOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto p = resolveSTFT(*this);
  if (failed(p))
    return failure();
  auto x = getStaticType(getSignal());
  return setShape(getOutput(), {x.getDimSize(0), p->frames, p->bins, 2}, x.getElementType());
}

LogicalResult HannWindowOp::inferShapes() { return inferWindow(*this); }
LogicalResult HammingWindowOp::inferShapes() { return inferWindow(*this); }
LogicalResult BlackmanWindowOp::inferShapes() { return inferWindow(*this); }

LogicalResult MelWeightMatrixOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto bins = constantScalar(*this, getNumMelBins(), "num_mel_bins");
  if (failed(bins))
    return failure();
  auto length = constantScalar(*this, getDftLength(), "dft_length");
  if (failed(length))
    return failure();
  if (*bins < 1 || *length < 1)
    return emitError() << "num_mel_bins and dft_length must be positive";
  auto elem = outputElementType(*this, static_cast<int64_t>(getOutputDatatype()));
  if (failed(elem))
    return failure();
  return setShape(getOutput(), {*length / 2 + 1, *bins}, *elem);
}
