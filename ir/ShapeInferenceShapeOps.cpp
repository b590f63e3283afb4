//===- ShapeInferenceShapeOps.cpp - shapes of shape and indexing ops ------===//
//
// These ops' result shapes depend on the values of their shape-like operands
// (Reshape's shape, Slice's starts, ...). Those must be compile-time constants
// once exporter chains (Shape -> Gather -> Concat) are folded, which the
// shape-inference pass does op by op.
//
//===----------------------------------------------------------------------===//
#include "ir/ShapeInferenceUtils.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace onnxc::onnx;
using namespace onnxc::onnx::shapes;

namespace {
Type i64Type(Operation *op) { return IntegerType::get(op->getContext(), 64); }

std::optional<SmallVector<int64_t>> requireConstant(Operation *op, Value v, StringRef what) {
  auto values = getConstantInts(v);
  if (!values)
    op->emitError() << what << " must be a compile-time constant";
  return values;
}
} // namespace

LogicalResult ShapeOp::inferShapes() {
  auto t = getStaticType(getData());
  if (!t)
    return success();
  int64_t rank = t.getRank();
  auto clampIndex = [&](std::optional<uint64_t> v, int64_t dflt) {
    int64_t i = v ? static_cast<int64_t>(*v) : dflt;
    if (i < 0)
      i += rank;
    return std::clamp<int64_t>(i, 0, rank);
  };
  int64_t start = clampIndex(getStart(), 0), end = clampIndex(getEnd(), rank);
  return setShape(getShape(), {std::max<int64_t>(0, end - start)}, i64Type(*this));
}

LogicalResult SizeOp::inferShapes() { return setShape(getSize(), {}, i64Type(*this)); }

LogicalResult SqueezeOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto t = getStaticType(getData());
  SmallVector<int64_t> axes;
  if (getAxes()) {
    auto values = constantAxes(*this, getAxes(), t.getRank());
    if (!values)
      return failure();
    axes = *values;
    for (int64_t a : axes)
      if (t.getDimSize(a) != 1)
        return emitError() << "cannot squeeze axis " << a << " of size " << t.getDimSize(a);
  } else {
    for (int64_t i = 0; i < t.getRank(); ++i)
      if (t.getDimSize(i) == 1)
        axes.push_back(i);
  }
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < t.getRank(); ++i)
    if (!llvm::is_contained(axes, i))
      shape.push_back(t.getDimSize(i));
  return setShape(getOutput(), shape, t.getElementType());
}

LogicalResult UnsqueezeOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto t = getStaticType(getData());
  if (!getAxes())
    return emitError() << "axes are required";
  int64_t outRank = t.getRank() + getStaticType(getAxes()).getNumElements();
  auto axes = constantAxes(*this, getAxes(), outRank);
  if (!axes)
    return failure();
  SmallVector<int64_t> shape;
  int64_t next = 0;
  for (int64_t i = 0; i < outRank; ++i)
    shape.push_back(llvm::is_contained(*axes, i) ? 1 : t.getDimSize(next++));
  return setShape(getOutput(), shape, t.getElementType());
}

LogicalResult ExpandOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto t = getStaticType(getInput());
  auto shape = requireConstant(*this, getShape(), "the shape input");
  if (!shape)
    return failure();
  for (int64_t d : *shape)
    if (d < 0)
      return emitError() << "negative dimension " << d << " in the shape input";
  auto result = broadcastShapes(t.getShape(), *shape);
  if (!result)
    return emitError() << t << " does not broadcast to the requested shape";
  return setShape(getOutput(), *result, t.getElementType());
}

LogicalResult TileOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto t = getStaticType(getInput());
  auto repeats = requireConstant(*this, getRepeats(), "repeats");
  if (!repeats)
    return failure();
  if (static_cast<int64_t>(repeats->size()) != t.getRank())
    return emitError() << "repeats has " << repeats->size() << " entries for rank " << t.getRank();
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < t.getRank(); ++i) {
    if ((*repeats)[i] < 0)
      return emitError() << "negative repeat " << (*repeats)[i];
    shape.push_back(t.getDimSize(i) * (*repeats)[i]);
  }
  return setShape(getOutput(), shape, t.getElementType());
}

namespace onnxc::onnx {
FailureOr<SmallVector<SliceRange>> resolveSlice(SliceOp op) {
  auto t = getStaticType(op.getData());
  int64_t rank = t.getRank();
  auto starts = requireConstant(op, op.getStarts(), "starts");
  auto ends = requireConstant(op, op.getEnds(), "ends");
  if (!starts || !ends)
    return failure();
  SmallVector<int64_t> axes, steps(starts->size(), 1);
  if (op.getAxes()) {
    auto a = constantAxes(op, op.getAxes(), rank);
    if (!a)
      return failure();
    axes = *a;
  } else {
    // Default axes are 0..n-1: more starts than dims would index past the shape.
    if (static_cast<int64_t>(starts->size()) > rank)
      return op.emitError() << "starts has " << starts->size() << " values for a rank-" << rank
                            << " input";
    for (size_t i = 0; i < starts->size(); ++i)
      axes.push_back(i);
  }
  if (op.getSteps()) {
    auto s = requireConstant(op, op.getSteps(), "steps");
    if (!s)
      return failure();
    steps = *s;
  }
  if (ends->size() != starts->size() || axes.size() != starts->size() ||
      steps.size() != starts->size())
    return op.emitError() << "starts, ends, axes and steps must have the same length";
  SmallVector<SliceRange> ranges;
  for (int64_t d : t.getShape())
    ranges.push_back({0, 1, d});
  for (size_t i = 0; i < axes.size(); ++i) {
    int64_t d = t.getDimSize(axes[i]), step = steps[i];
    if (step == 0)
      return op.emitError() << "slice step 0";
    int64_t start = (*starts)[i], end = (*ends)[i];
    // ONNX clamps huge sentinels (INT64_MAX/MIN) rather than wrapping.
    if (start < 0)
      start = start < -d ? -1 : start + d;
    if (end < 0)
      end = end < -d ? -1 : end + d;
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, d);
      end = std::clamp<int64_t>(end, 0, d);
    } else {
      start = std::clamp<int64_t>(start, 0, d - 1);
      end = std::clamp<int64_t>(end, -1, d - 1);
    }
    int64_t span = end - start;
    // Written so that a huge step (INT64_MAX/MIN) cannot overflow; a step
    // that only ever takes one element is normalised to 1.
    int64_t size = step > 0 ? (span > 0 ? (span - 1) / step + 1 : 0)
                            : (span < 0 ? (-span - 1) / -std::max<int64_t>(step, -INT64_MAX) + 1 : 0);
    ranges[axes[i]] = {size > 0 ? start : 0, size > 1 ? step : 1, size};
  }
  return ranges;
}
} // namespace onnxc::onnx

LogicalResult SliceOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto ranges = resolveSlice(*this);
  if (failed(ranges))
    return failure();
  SmallVector<int64_t> shape;
  for (const SliceRange &r : *ranges)
    shape.push_back(r.size);
  return setShape(getOutput(), shape, elementTypeOf(getData()));
}

LogicalResult GatherOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto data = getStaticType(getData()), indices = getStaticType(getIndices());
  if (!isa<IntegerType>(indices.getElementType()))
    return emitError() << "indices must be integers";
  auto axis = checkedAxis(*this, static_cast<int64_t>(getAxis()), data.getRank());
  if (failed(axis))
    return failure();
  SmallVector<int64_t> shape(data.getShape().take_front(*axis));
  shape.append(indices.getShape().begin(), indices.getShape().end());
  shape.append(data.getShape().begin() + *axis + 1, data.getShape().end());
  return setShape(getOutput(), shape, data.getElementType());
}

LogicalResult GatherElementsOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto data = getStaticType(getData()), indices = getStaticType(getIndices());
  if (data.getRank() != indices.getRank())
    return emitError() << "data and indices must have the same rank";
  if (failed(checkedAxis(*this, static_cast<int64_t>(getAxis()), data.getRank())))
    return failure();
  return setShape(getOutput(), indices.getShape(), data.getElementType());
}

LogicalResult ScatterElementsOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto data = getStaticType(getData()), indices = getStaticType(getIndices()),
       updates = getStaticType(getUpdates());
  if (data.getRank() != indices.getRank())
    return emitError() << "data and indices must have the same rank";
  if (indices.getShape() != updates.getShape())
    return emitError() << "indices and updates must have the same shape";
  if (updates.getElementType() != data.getElementType())
    return emitError() << "updates must have the element type of data";
  if (failed(checkedAxis(*this, static_cast<int64_t>(getAxis()), data.getRank())))
    return failure();
  for (int64_t i = 0; i < data.getRank(); ++i)
    if (i != static_cast<int64_t>(getAxis()) && i != static_cast<int64_t>(getAxis()) + data.getRank() &&
        indices.getDimSize(i) > data.getDimSize(i))
      return emitError() << "indices dimension " << i << " exceeds data's";
  return setShape(getOutput(), data.getShape(), data.getElementType());
}

namespace onnxc::onnx {
FailureOr<SmallVector<int64_t>> resolvePads(PadOp op) {
  auto t = getStaticType(op.getData());
  int64_t rank = t.getRank();
  auto pads = requireConstant(op, op.getPads(), "pads");
  if (!pads)
    return failure();
  SmallVector<int64_t> axes;
  if (op.getAxes()) {
    auto a = constantAxes(op, op.getAxes(), rank);
    if (!a)
      return failure();
    axes = *a;
  } else {
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  }
  int64_t n = axes.size();
  if (static_cast<int64_t>(pads->size()) != 2 * n)
    return op.emitError() << "pads has " << pads->size() << " entries for " << n << " axes";
  SmallVector<int64_t> full(2 * rank, 0);
  for (int64_t i = 0; i < n; ++i) {
    full[axes[i]] = (*pads)[i];
    full[axes[i] + rank] = (*pads)[i + n];
  }
  return full;
}
} // namespace onnxc::onnx

LogicalResult PadOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  StringRef mode = getMode();
  if (mode != "constant" && mode != "reflect" && mode != "edge" && mode != "wrap")
    return emitError() << "pad mode '" << mode << "' is not one of constant, reflect, edge, wrap";
  auto t = getStaticType(getData());
  auto pads = resolvePads(*this);
  if (failed(pads))
    return failure();
  int64_t rank = t.getRank();
  SmallVector<int64_t> shape(t.getShape());
  for (int64_t i = 0; i < rank; ++i) {
    shape[i] += (*pads)[i] + (*pads)[i + rank];
    if (shape[i] < 0)
      return emitError() << "pads remove more than dimension " << i << " holds";
    if (mode == "reflect" && ((*pads)[i] >= t.getDimSize(i) || (*pads)[i + rank] >= t.getDimSize(i)) &&
        ((*pads)[i] > 0 || (*pads)[i + rank] > 0))
      return emitError() << "reflect padding must be smaller than dimension " << i;
  }
  return setShape(getOutput(), shape, t.getElementType());
}

LogicalResult ConstantOfShapeOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto shape = requireConstant(*this, getInput(), "the shape input");
  if (!shape)
    return failure();
  for (int64_t d : *shape)
    if (d < 0)
      return emitError() << "negative dimension " << d;
  Type elem = Float32Type::get(getContext());
  if (auto value = getValueAttr()) {
    if (value.getNumElements() != 1)
      return emitError() << "value must hold one element";
    elem = value.getElementType();
  }
  return setShape(getOutput(), *shape, elem);
}

LogicalResult RangeOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  Type elem = elementTypeOf(getStart());
  auto scalar = [&](Value v) -> std::optional<double> {
    Attribute attr;
    if (!matchPattern(v, m_Constant(&attr)))
      return std::nullopt;
    auto dense = dyn_cast<DenseElementsAttr>(attr);
    if (!dense || dense.getNumElements() != 1)
      return std::nullopt;
    if (isa<FloatType>(elem))
      return (*dense.getValues<APFloat>().begin()).convertToDouble();
    return static_cast<double>((*dense.getValues<APInt>().begin()).getSExtValue());
  };
  auto start = scalar(getStart()), limit = scalar(getLimit()), delta = scalar(getDelta());
  if (!start || !limit || !delta)
    return emitError() << "start, limit and delta: each must be a compile-time constant scalar "
                       << "(the output size depends on them)";
  if (*delta == 0)
    return emitError() << "delta is 0";
  int64_t n = std::max<int64_t>(0, static_cast<int64_t>(std::ceil((*limit - *start) / *delta)));
  return setShape(getOutput(), {n}, elem);
}

LogicalResult EyeLikeOp::inferShapes() {
  auto t = getStaticType(getInput());
  if (!t)
    return success();
  if (t.getRank() != 2)
    return emitError() << "the input must be 2-D, got rank " << t.getRank();
  return setShape(getOutput(), t.getShape(), elementTypeOf(getOutput()));
}

/// indices' shape with depth inserted at axis; depth (any numeric type) must
/// be a compile-time constant, since it sizes the result.
LogicalResult OneHotOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto indices = getStaticType(getIndices()), values = getStaticType(getValues());
  int64_t rank = indices.getRank() + 1;
  auto axis = checkedAxis(*this, static_cast<int64_t>(getAxis()), rank);
  if (failed(axis))
    return failure();
  if (values.getRank() != 1 || values.getDimSize(0) != 2)
    return emitError() << "values must be [off_value, on_value]";
  Attribute attr;
  auto dense = matchPattern(getDepth(), m_Constant(&attr)) ? dyn_cast<DenseElementsAttr>(attr) : nullptr;
  if (!dense || dense.getNumElements() != 1)
    return emitError() << "depth must be a compile-time constant scalar (it sizes the result)";
  double depth = isa<FloatType>(dense.getElementType())
                     ? (*dense.getValues<APFloat>().begin()).convertToDouble()
                     : static_cast<double>((*dense.getValues<APInt>().begin()).getSExtValue());
  if (depth < 1)
    return emitError() << "depth must be positive, got " << depth;
  SmallVector<int64_t> shape(indices.getShape());
  shape.insert(shape.begin() + *axis, static_cast<int64_t>(depth));
  return setShape(getOutput(), shape, values.getElementType());
}

namespace onnxc::onnx {
FailureOr<SmallVector<int64_t>> resolveSplit(SplitOp op) {
  auto t = getStaticType(op.getInput());
  auto axis = checkedAxis(op, static_cast<int64_t>(op.getAxis()), t.getRank());
  if (failed(axis))
    return failure();
  int64_t d = t.getDimSize(*axis), n = op.getNumResults();
  SmallVector<int64_t> sizes;
  if (op.getSplit()) {
    auto split = requireConstant(op, op.getSplit(), "split");
    if (!split)
      return failure();
    sizes = *split;
  } else {
    // Equal parts; since opset 18 the last one may be smaller.
    int64_t part = (d + n - 1) / n;
    for (int64_t i = 0; i < n; ++i)
      sizes.push_back(std::max<int64_t>(0, std::min(part, d - i * part)));
  }
  int64_t total = 0;
  for (int64_t s : sizes) {
    if (s < 0)
      return op.emitError() << "negative split size";
    total += s;
  }
  if (static_cast<int64_t>(sizes.size()) != n || total != d)
    return op.emitError() << "split sizes do not add up to " << d << " over " << n << " outputs";
  return sizes;
}
} // namespace onnxc::onnx

LogicalResult SplitOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto sizes = resolveSplit(*this);
  if (failed(sizes))
    return failure();
  auto t = getStaticType(getInput());
  int64_t axis = normaliseAxis(static_cast<int64_t>(getAxis()), t.getRank());
  for (auto [result, size] : llvm::zip(getOutputs(), *sizes)) {
    SmallVector<int64_t> shape(t.getShape());
    shape[axis] = size;
    result.setType(RankedTensorType::get(shape, t.getElementType()));
  }
  return success();
}
