//===- ShapeInference.cpp - result shapes of onnx ops ---------------------===//
//
// Each op refines its results from static operand shapes. An op whose
// operands are not static yet leaves its results alone; the driver reports
// those that stay unknown.
//
//===----------------------------------------------------------------------===//
#include "ir/ONNXDialect.h"
#include "ir/ShapeInferenceUtils.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace onnxc::onnx;
using namespace onnxc::onnx::shapes;

FailureOr<WindowParams> onnxc::onnx::shapes::resolveWindow(
    Operation *op, ArrayRef<int64_t> spatialIn, ArrayRef<int64_t> kernel,
    std::optional<ArrayAttr> strides, std::optional<ArrayAttr> dilations,
    std::optional<ArrayAttr> pads, StringRef autoPad, bool ceil) {
  size_t n = spatialIn.size();
  WindowParams p;
  p.kernel.assign(kernel.begin(), kernel.end());
  p.strides = getI64s(strides, n, 1);
  p.dilations = getI64s(dilations, n, 1);
  p.pads = getI64s(pads, 2 * n, 0);
  if (p.kernel.size() != n || p.strides.size() != n || p.dilations.size() != n ||
      p.pads.size() != 2 * n)
    return op->emitError() << "kernel_shape, strides, dilations and pads must match the " << n
                           << " spatial dimensions of the input";
  for (size_t i = 0; i < n; ++i) {
    if (p.kernel[i] <= 0 || p.strides[i] <= 0 || p.dilations[i] <= 0)
      return op->emitError() << "kernel_shape, strides and dilations must be positive";
    if (p.pads[i] < 0 || p.pads[i + n] < 0)
      return op->emitError() << "negative pads are not supported";
  }
  p.outSizes.resize(n);
  for (size_t i = 0; i < n; ++i) {
    int64_t in = spatialIn[i], extent = (p.kernel[i] - 1) * p.dilations[i] + 1, s = p.strides[i];
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      int64_t out = (in + s - 1) / s;
      int64_t total = std::max<int64_t>(0, (out - 1) * s + extent - in);
      int64_t small = total / 2, large = total - small;
      p.pads[i] = autoPad == "SAME_UPPER" ? small : large;
      p.pads[i + n] = autoPad == "SAME_UPPER" ? large : small;
      p.outSizes[i] = out;
      continue;
    }
    if (autoPad == "VALID")
      p.pads[i] = p.pads[i + n] = 0;
    else if (autoPad != "NOTSET")
      return op->emitError() << "auto_pad '" << autoPad << "' is not one of NOTSET, SAME_UPPER, "
                             << "SAME_LOWER, VALID";
    int64_t span = in + p.pads[i] + p.pads[i + n] - extent;
    if (span < 0)
      return op->emitError() << "the window (" << extent << ") is larger than the padded input ("
                             << in + p.pads[i] + p.pads[i + n] << ") in spatial dimension " << i;
    int64_t out = (ceil ? (span + s - 1) / s : span / s) + 1;
    // As in ONNX Runtime: the last window must start inside the input or its head padding.
    if (ceil && (out - 1) * s >= in + p.pads[i])
      --out;
    p.outSizes[i] = out;
  }
  return p;
}

namespace {

Builder builderFor(Operation *op) { return Builder(op->getContext()); }

} // namespace

LogicalResult ConstantOp::inferShapes() {
  getOutput().setType(cast<TensorType>(cast<TypedAttr>(getValue()).getType()));
  return success();
}

LogicalResult AddOp::inferShapes() { return inferBinary(*this); }
LogicalResult SubOp::inferShapes() { return inferBinary(*this); }
LogicalResult MulOp::inferShapes() { return inferBinary(*this); }
LogicalResult DivOp::inferShapes() { return inferBinary(*this); }
LogicalResult ReluOp::inferShapes() { return inferSameAsInput(*this); }
LogicalResult SigmoidOp::inferShapes() { return inferSameAsInput(*this); }
LogicalResult TanhOp::inferShapes() { return inferSameAsInput(*this); }
LogicalResult IdentityOp::inferShapes() { return inferSameAsInput(*this); }

LogicalResult ClipOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  for (Value bound : {getMin(), getMax()})
    if (bound && getStaticType(bound).getNumElements() != 1)
      return emitError() << "min and max must be scalars";
  return inferSameAsInput(*this);
}

LogicalResult GemmOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto a = getStaticType(getA()), b = getStaticType(getB());
  if (a.getRank() != 2 || b.getRank() != 2)
    return emitError() << "A and B must be 2-D, got " << a << " and " << b;
  int64_t m = getTransA() ? a.getDimSize(1) : a.getDimSize(0);
  int64_t ka = getTransA() ? a.getDimSize(0) : a.getDimSize(1);
  int64_t kb = getTransB() ? b.getDimSize(1) : b.getDimSize(0);
  int64_t n = getTransB() ? b.getDimSize(0) : b.getDimSize(1);
  if (ka != kb)
    return emitError() << "inner dimensions differ: " << ka << " vs " << kb;
  if (getC()) {
    auto c = getStaticType(getC());
    auto bc = broadcastShapes(c.getShape(), {m, n});
    if (c.getRank() > 2 || !bc || (*bc)[0] != m || (*bc)[1] != n)
      return emitError() << "C of shape " << c << " does not broadcast to [" << m << ", " << n
                         << "]";
  }
  return setShape(getY(), {m, n}, a.getElementType());
}

LogicalResult MatMulOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto a = getStaticType(getA()), b = getStaticType(getB());
  if (a.getRank() == 0 || b.getRank() == 0)
    return emitError() << "MatMul operands must have rank >= 1";
  ArrayRef<int64_t> as = a.getShape(), bs = b.getShape();
  int64_t ka = as.back(), kb = bs.size() == 1 ? bs[0] : bs[bs.size() - 2];
  if (ka != kb)
    return emitError() << "inner dimensions differ: " << a << " x " << b;
  ArrayRef<int64_t> aBatch = as.size() > 2 ? as.drop_back(2) : ArrayRef<int64_t>();
  ArrayRef<int64_t> bBatch = bs.size() > 2 ? bs.drop_back(2) : ArrayRef<int64_t>();
  auto batch = broadcastShapes(aBatch, bBatch);
  if (!batch)
    return emitError() << "batch dimensions of " << a << " and " << b << " do not broadcast";
  SmallVector<int64_t> shape(*batch);
  if (as.size() >= 2)
    shape.push_back(as[as.size() - 2]);
  if (bs.size() >= 2)
    shape.push_back(bs.back());
  return setShape(getY(), shape, a.getElementType());
}

LogicalResult ConvOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto x = getStaticType(getX()), w = getStaticType(getW());
  if (x.getRank() < 3 || w.getRank() != x.getRank())
    return emitError() << "X " << x << " and W " << w << " must have the same rank >= 3";
  int64_t group = getGroup(), channels = x.getDimSize(1), filters = w.getDimSize(0);
  if (group <= 0 || channels % group != 0)
    return emitError() << "group=" << group << " does not divide " << channels
                       << " input channels";
  if (w.getDimSize(1) * group != channels)
    return emitError() << "W " << w << " expects " << w.getDimSize(1) * group
                       << " input channels, X has " << channels;
  if (filters % group != 0)
    return emitError() << "group=" << group << " does not divide " << filters << " filters";
  if (getB() && (getStaticType(getB()).getRank() != 1 ||
                 getStaticType(getB()).getDimSize(0) != filters))
    return emitError() << "B must have shape [" << filters << "]";
  ArrayRef<int64_t> kernel = w.getShape().drop_front(2);
  if (getKernelShape() && getI64s(*getKernelShape()) != SmallVector<int64_t>(kernel))
    return emitError() << "kernel_shape does not match W";
  auto params = resolveWindow(*this, x.getShape().drop_front(2), kernel, getStrides(),
                              getDilations(), getPads(), getAutoPad(), /*ceil=*/false);
  if (failed(params))
    return failure();
  // Record the resolved window so lowering never re-derives auto_pad.
  Builder b = builderFor(*this);
  setAutoPad("NOTSET");
  setPadsAttr(b.getI64ArrayAttr(params->pads));
  setStridesAttr(b.getI64ArrayAttr(params->strides));
  setDilationsAttr(b.getI64ArrayAttr(params->dilations));
  setKernelShapeAttr(b.getI64ArrayAttr(params->kernel));
  SmallVector<int64_t> shape{x.getDimSize(0), filters};
  shape.append(params->outSizes);
  return setShape(getY(), shape, x.getElementType());
}

namespace {
template <typename PoolOp>
LogicalResult inferPool(PoolOp op) {
  if (!allStatic(op))
    return success();
  auto x = getStaticType(op.getX());
  if (x.getRank() < 3)
    return op.emitError() << "X must have rank >= 3, got " << x;
  auto params = resolveWindow(op, x.getShape().drop_front(2), getI64s(op.getKernelShape()),
                              op.getStrides(), op.getDilations(), op.getPads(), op.getAutoPad(),
                              op.getCeilMode() != 0);
  if (failed(params))
    return failure();
  Builder b = builderFor(op);
  op.setAutoPad("NOTSET");
  op.setPadsAttr(b.getI64ArrayAttr(params->pads));
  op.setStridesAttr(b.getI64ArrayAttr(params->strides));
  op.setDilationsAttr(b.getI64ArrayAttr(params->dilations));
  SmallVector<int64_t> shape{x.getDimSize(0), x.getDimSize(1)};
  shape.append(params->outSizes);
  return setShape(op.getY(), shape, x.getElementType());
}
} // namespace

LogicalResult MaxPoolOp::inferShapes() { return inferPool(*this); }
LogicalResult AveragePoolOp::inferShapes() { return inferPool(*this); }
LogicalResult LpPoolOp::inferShapes() { return inferPool(*this); }

namespace {
/// Global pools keep N and C and reduce every spatial dim to 1.
LogicalResult inferGlobalPool(Operation *op) {
  auto x = getStaticType(op->getOperand(0));
  if (!x)
    return success();
  if (x.getRank() < 3)
    return op->emitError() << "X must have rank >= 3, got " << x;
  SmallVector<int64_t> shape(x.getShape());
  std::fill(shape.begin() + 2, shape.end(), 1);
  return setShape(op->getResult(0), shape, x.getElementType());
}
} // namespace

LogicalResult GlobalAveragePoolOp::inferShapes() { return inferGlobalPool(*this); }
LogicalResult GlobalMaxPoolOp::inferShapes() { return inferGlobalPool(*this); }

LogicalResult BatchNormalizationOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto x = getStaticType(getX());
  if (x.getRank() < 2)
    return emitError() << "X must have rank >= 2, got " << x;
  for (Value v : {getScale(), getB(), getMean(), getVar()}) {
    auto t = getStaticType(v);
    if (t.getRank() != 1 || t.getDimSize(0) != x.getDimSize(1))
      return emitError() << "scale, B, mean and var must have shape [" << x.getDimSize(1)
                         << "], got " << t;
  }
  return inferSameAsInput(*this);
}

namespace {
template <typename SoftmaxLikeOp>
LogicalResult inferSoftmax(SoftmaxLikeOp op) {
  auto x = getStaticType(op.getInput());
  if (!x)
    return success();
  int64_t rank = x.getRank(), axis = op.getAxis();
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1))
    return op.emitError() << "axis " << axis << " is out of range for rank " << rank;
  return inferSameAsInput(op);
}
} // namespace

LogicalResult SoftmaxOp::inferShapes() { return inferSoftmax(*this); }
LogicalResult SoftmaxV1Op::inferShapes() { return inferSoftmax(*this); }

LogicalResult FlattenOp::inferShapes() {
  auto x = getStaticType(getInput());
  if (!x)
    return success();
  int64_t rank = x.getRank(), axis = getAxis();
  if (axis < -rank || axis > rank)
    return emitError() << "axis " << axis << " is out of range for rank " << rank;
  axis = normaliseAxis(axis, rank);
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < rank; ++i)
    (i < axis ? outer : inner) *= x.getDimSize(i);
  return setShape(getOutput(), {outer, inner}, x.getElementType());
}

LogicalResult ReshapeOp::inferShapes() {
  auto x = getStaticType(getData());
  if (!x)
    return success();
  auto requested = getConstantInts(getShape());
  if (!requested)
    return emitError() << "the shape input must be a compile-time constant";
  SmallVector<int64_t> shape(*requested);
  int64_t known = 1, inferred = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 0 && !getAllowzero()) {
      if (i >= static_cast<size_t>(x.getRank()))
        return emitError() << "shape[" << i << "] = 0 copies a dimension the input lacks";
      shape[i] = x.getDimSize(i);
    }
    if (shape[i] == -1) {
      if (inferred >= 0)
        return emitError() << "more than one -1 in the requested shape";
      inferred = i;
      continue;
    }
    if (shape[i] < 0)
      return emitError() << "invalid dimension " << shape[i] << " in the requested shape";
    // Checked: the requested dims come from the model and may overflow int64.
    if (llvm::MulOverflow(known, shape[i], known))
      return emitError() << "the requested shape has more elements than fit in 64 bits";
  }
  if (inferred >= 0) {
    if (known == 0 || x.getNumElements() % known != 0)
      return emitError() << "cannot reshape " << x << " with a -1 dimension";
    shape[inferred] = x.getNumElements() / known;
    known *= shape[inferred];
  }
  if (known != x.getNumElements())
    return emitError() << "cannot reshape " << x << " (" << x.getNumElements()
                       << " elements) into " << known << " elements";
  return setShape(getReshaped(), shape, x.getElementType());
}

LogicalResult TransposeOp::inferShapes() {
  auto x = getStaticType(getData());
  if (!x)
    return success();
  int64_t rank = x.getRank();
  SmallVector<int64_t> perm;
  if (getPerm()) {
    perm = getI64s(*getPerm());
  } else {
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
    setPermAttr(Builder(getContext()).getI64ArrayAttr(perm));
  }
  SmallVector<bool> seen(rank, false);
  if (static_cast<int64_t>(perm.size()) != rank)
    return emitError() << "perm has " << perm.size() << " entries for rank " << rank;
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return emitError() << "perm is not a permutation of 0.." << rank - 1;
    seen[p] = true;
    shape.push_back(x.getDimSize(p));
  }
  return setShape(getTransposed(), shape, x.getElementType());
}

LogicalResult ConcatOp::inferShapes() {
  if (!allStatic(*this) || getInputs().empty())
    return success();
  auto first = getStaticType(getInputs()[0]);
  int64_t rank = first.getRank(), axis = getAxis();
  if (axis < -rank || axis >= rank)
    return emitError() << "axis " << axis << " is out of range for rank " << rank;
  axis = normaliseAxis(axis, rank);
  SmallVector<int64_t> shape(first.getShape());
  shape[axis] = 0;
  for (Value v : getInputs()) {
    auto t = getStaticType(v);
    if (t.getRank() != rank || t.getElementType() != first.getElementType())
      return emitError() << "inputs must share rank and element type";
    for (int64_t i = 0; i < rank; ++i)
      if (i != axis && t.getDimSize(i) != first.getDimSize(i))
        return emitError() << "input " << t << " differs from " << first
                           << " outside the concat axis";
    shape[axis] += t.getDimSize(axis);
  }
  return setShape(getConcatResult(), shape, first.getElementType());
}
