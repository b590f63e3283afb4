//===- ShapeInferenceSampling.cpp - grid/ROI sampling, crops, folds, unpooling -===//
//
// Shape rules of the ops in the second half of ir/ONNXImageOps.td. Operands
// that set an output shape (AffineGrid's size, CenterCropPad's shape,
// Col2Im's image_shape and block_shape, MaxUnpool's output_shape) must be
// compile-time constants: onnxc compiles static shapes.
//
//===----------------------------------------------------------------------===//
#include "ir/ONNXDialect.h"
#include "ir/ShapeInferenceUtils.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace onnxc::onnx;
using namespace onnxc::onnx::shapes;

namespace {

int64_t product(ArrayRef<int64_t> values) {
  int64_t p = 1;
  for (int64_t v : values)
    p *= v;
  return p;
}

/// The constant values of a shape operand, or an error naming it.
FailureOr<SmallVector<int64_t>> shapeOperand(Operation *op, Value v, StringRef name) {
  auto values = getConstantInts(v);
  if (!values)
    return op->emitError() << "the " << name << " input must be a compile-time constant";
  return *values;
}

} // namespace

LogicalResult GridSampleOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto x = getStaticType(getX()), grid = getStaticType(getGrid());
  int64_t r = x.getRank() - 2;
  if (r < 1 || grid.getRank() != r + 2 || grid.getDimSize(0) != x.getDimSize(0) ||
      grid.getDimSize(r + 1) != r)
    return emitError() << "X " << x << " (N, C, D1..Dr) and grid " << grid
                       << " (N, O1..Or, r) do not match";
  if (!isa<FloatType>(x.getElementType()) || !isa<FloatType>(grid.getElementType()))
    return emitError() << "X and grid must be floating-point";
  if (!llvm::is_contained({"linear", "nearest", "cubic"}, getMode()))
    return emitError() << "unknown mode '" << getMode() << "'";
  if (!llvm::is_contained({"zeros", "border", "reflection"}, getPaddingMode()))
    return emitError() << "unknown padding_mode '" << getPaddingMode() << "'";
  SmallVector<int64_t> shape{x.getDimSize(0), x.getDimSize(1)};
  for (int64_t i = 0; i < r; ++i)
    shape.push_back(grid.getDimSize(1 + i));
  return setShape(getY(), shape, x.getElementType());
}

LogicalResult AffineGridOp::inferShapes() {
  auto theta = getStaticType(getTheta());
  if (!theta)
    return success();
  auto size = shapeOperand(*this, getSize(), "size");
  if (failed(size))
    return failure();
  int64_t r = int64_t(size->size()) - 2;
  if ((r != 2 && r != 3) || theta.getRank() != 3 || theta.getDimSize(1) != r ||
      theta.getDimSize(2) != r + 1 || theta.getDimSize(0) != (*size)[0])
    return emitError() << "theta " << theta << " must be (N, 2, 3) for a 4-value size or "
                       << "(N, 3, 4) for a 5-value size, with N = size[0]";
  if (!isa<FloatType>(theta.getElementType()))
    return emitError() << "theta must be floating-point";
  SmallVector<int64_t> shape{(*size)[0]};
  for (int64_t i = 0; i < r; ++i) {
    if ((*size)[2 + i] <= 0)
      return emitError() << "size[" << 2 + i << "] must be positive";
    shape.push_back((*size)[2 + i]);
  }
  shape.push_back(r);
  return setShape(getGrid(), shape, theta.getElementType());
}

LogicalResult DeformConvOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto x = getStaticType(getX()), w = getStaticType(getW()), offset = getStaticType(getOffset());
  int64_t r = x.getRank() - 2;
  if (r < 1 || w.getRank() != r + 2 || offset.getRank() != r + 2)
    return emitError() << "X " << x << ", W " << w << " and offset " << offset
                       << " must have the same rank >= 3";
  if (!isa<FloatType>(x.getElementType()))
    return emitError() << "X must be floating-point";
  int64_t group = getGroup(), offsetGroup = getOffsetGroup(), channels = x.getDimSize(1);
  int64_t filters = w.getDimSize(0);
  if (group <= 0 || offsetGroup <= 0 || channels != w.getDimSize(1) * group ||
      filters % group != 0 || channels % offsetGroup != 0)
    return emitError() << "X " << x << " and W " << w << " do not fit group " << group
                       << " and offset_group " << offsetGroup;
  SmallVector<int64_t> kernel(w.getShape().drop_front(2));
  if (getKernelShape() && getI64s(*getKernelShape()) != kernel)
    return emitError() << "kernel_shape does not match W";
  auto strides = getI64s(getStrides(), r, 1), dilations = getI64s(getDilations(), r, 1);
  auto pads = getI64s(getPads(), 2 * r, 0);
  if (strides.size() != size_t(r) || dilations.size() != size_t(r) || pads.size() != size_t(2 * r))
    return emitError() << "strides, dilations and pads must have one value per spatial dim "
                          "(pads: two)";
  SmallVector<int64_t> shape{x.getDimSize(0), filters};
  for (int64_t i = 0; i < r; ++i) {
    if (strides[i] <= 0 || dilations[i] <= 0)
      return emitError() << "strides and dilations must be positive";
    int64_t span = x.getDimSize(2 + i) + pads[i] + pads[r + i] - ((kernel[i] - 1) * dilations[i] + 1);
    if (span < 0)
      return emitError() << "the kernel is larger than the padded input in spatial dim " << i;
    shape.push_back(span / strides[i] + 1);
  }
  int64_t taps = product(kernel);
  SmallVector<int64_t> offsetShape{x.getDimSize(0), offsetGroup * taps * r};
  offsetShape.append(shape.begin() + 2, shape.end());
  if (offset.getShape() != ArrayRef<int64_t>(offsetShape))
    return emitError() << "offset " << offset << " must have shape (N, offset_group * "
                       << "prod(kernel) * " << r << ", output spatial dims)";
  if (getB() && (getStaticType(getB()).getRank() != 1 || getStaticType(getB()).getDimSize(0) != filters))
    return emitError() << "B must have shape [" << filters << "]";
  if (getMask()) {
    offsetShape[1] = offsetGroup * taps;
    if (getStaticType(getMask()).getShape() != ArrayRef<int64_t>(offsetShape))
      return emitError() << "mask must have shape (N, offset_group * prod(kernel), output "
                            "spatial dims)";
  }
  Builder b(getContext());
  setKernelShapeAttr(b.getI64ArrayAttr(kernel));
  setStridesAttr(b.getI64ArrayAttr(strides));
  setDilationsAttr(b.getI64ArrayAttr(dilations));
  setPadsAttr(b.getI64ArrayAttr(pads));
  return setShape(getY(), shape, x.getElementType());
}

LogicalResult RoiAlignOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto x = getStaticType(getX()), rois = getStaticType(getRois());
  auto indices = getStaticType(getBatchIndices());
  if (x.getRank() != 4 || rois.getRank() != 2 || rois.getDimSize(1) != 4 ||
      indices.getRank() != 1 || indices.getDimSize(0) != rois.getDimSize(0))
    return emitError() << "X " << x << " must be (N, C, H, W), rois " << rois
                       << " (R, 4) and batch_indices " << indices << " (R)";
  if (!isa<FloatType>(x.getElementType()) || !isa<IntegerType>(indices.getElementType()))
    return emitError() << "X must be floating-point and batch_indices integer";
  if (getMode() != "avg" && getMode() != "max")
    return emitError() << "unknown mode '" << getMode() << "'";
  StringRef ctm = getCoordinateTransformationMode();
  if (ctm != "half_pixel" && ctm != "output_half_pixel")
    return emitError() << "unknown coordinate_transformation_mode '" << ctm << "'";
  // The attribute getters are unsigned; negative values come back huge.
  int64_t outH = getOutputHeight(), outW = getOutputWidth(), ratio = getSamplingRatio();
  if (outH <= 0 || outW <= 0 || ratio < 0)
    return emitError() << "output_height and output_width must be positive, sampling_ratio "
                          "non-negative";
  return setShape(getY(), {rois.getDimSize(0), x.getDimSize(1), outH, outW}, x.getElementType());
}

LogicalResult CenterCropPadOp::inferShapes() {
  auto x = getStaticType(getInput());
  if (!x)
    return success();
  auto shape = shapeOperand(*this, getShape(), "shape");
  if (failed(shape))
    return failure();
  int64_t rank = x.getRank();
  SmallVector<int64_t> axes;
  if (getAxes()) {
    for (int64_t a : getI64s(*getAxes())) {
      auto axis = checkedAxis(*this, a, rank);
      if (failed(axis))
        return failure();
      if (llvm::is_contained(axes, *axis))
        return emitError() << "axes repeats dimension " << *axis;
      axes.push_back(*axis);
    }
  } else {
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  }
  if (shape->size() != axes.size())
    return emitError() << "shape has " << shape->size() << " values for " << axes.size()
                       << " axes";
  SmallVector<int64_t> out(x.getShape());
  for (auto [axis, size] : llvm::zip(axes, *shape)) {
    if (size < 0)
      return emitError() << "shape values must be non-negative";
    out[axis] = size;
  }
  // The lowering reads the resolved axes.
  setAxesAttr(Builder(getContext()).getI64ArrayAttr(axes));
  return setShape(getOutput(), out, x.getElementType());
}

LogicalResult Col2ImOp::inferShapes() {
  auto x = getStaticType(getInput());
  if (!x)
    return success();
  auto image = shapeOperand(*this, getImageShape(), "image_shape");
  if (failed(image))
    return failure();
  auto block = shapeOperand(*this, getBlockShape(), "block_shape");
  if (failed(block))
    return failure();
  int64_t r = image->size();
  auto strides = getI64s(getStrides(), r, 1), dilations = getI64s(getDilations(), r, 1);
  auto pads = getI64s(getPads(), 2 * r, 0);
  if (r < 1 || block->size() != size_t(r) || strides.size() != size_t(r) ||
      dilations.size() != size_t(r) || pads.size() != size_t(2 * r))
    return emitError() << "image_shape, block_shape, strides, dilations and pads must have one "
                          "value per spatial dim (pads: two)";
  if (x.getRank() != 3)
    return emitError() << "input must be (N, C * prod(block_shape), L), got " << x;
  int64_t blocks = 1, kernel = product(*block);
  for (int64_t i = 0; i < r; ++i) {
    if ((*block)[i] <= 0 || (*image)[i] <= 0 || strides[i] <= 0 || dilations[i] <= 0)
      return emitError() << "image_shape, block_shape, strides and dilations must be positive";
    int64_t n = ((*image)[i] + pads[i] + pads[r + i] - dilations[i] * ((*block)[i] - 1) - 1) /
                    strides[i] + 1;
    if (n <= 0)
      return emitError() << "no sliding block fits spatial dim " << i;
    blocks *= n;
  }
  if (x.getDimSize(1) % kernel != 0 || x.getDimSize(2) != blocks)
    return emitError() << "input " << x << " must be (N, C * " << kernel << ", " << blocks << ")";
  SmallVector<int64_t> shape{x.getDimSize(0), x.getDimSize(1) / kernel};
  shape.append(image->begin(), image->end());
  Builder b(getContext());
  setStridesAttr(b.getI64ArrayAttr(strides));
  setDilationsAttr(b.getI64ArrayAttr(dilations));
  setPadsAttr(b.getI64ArrayAttr(pads));
  return setShape(getOutput(), shape, x.getElementType());
}

LogicalResult MaxUnpoolOp::inferShapes() {
  auto x = getStaticType(getX()), indices = getStaticType(getI());
  if (!x || !indices)
    return success();
  int64_t r = x.getRank() - 2;
  if (r < 1 || indices.getShape() != x.getShape() || !isa<IntegerType>(indices.getElementType()))
    return emitError() << "X " << x << " (N, C, spatial..) and I " << indices
                       << " must have the same shape, I integer";
  auto kernel = getI64s(getKernelShape());
  auto strides = getI64s(getStrides(), r, 1);
  auto pads = getI64s(getPads(), 2 * r, 0);
  if (kernel.size() != size_t(r) || strides.size() != size_t(r) || pads.size() != size_t(2 * r))
    return emitError() << "kernel_shape, strides and pads must have one value per spatial dim "
                          "(pads: two)";
  SmallVector<int64_t> shape(x.getShape().take_front(2));
  for (int64_t i = 0; i < r; ++i)
    shape.push_back((x.getDimSize(2 + i) - 1) * strides[i] - pads[i] - pads[r + i] + kernel[i]);
  if (getOutputShape()) {
    auto given = shapeOperand(*this, getOutputShape(), "output_shape");
    if (failed(given))
      return failure();
    if (given->size() != size_t(r + 2))
      return emitError() << "output_shape must have " << r + 2 << " values";
    shape.assign(given->begin(), given->end());
  }
  for (int64_t s : shape)
    if (s <= 0)
      return emitError() << "the output shape must be positive";
  return setShape(getOutput(), shape, x.getElementType());
}

LogicalResult MaxPoolWithIndicesOp::inferShapes() {
  auto x = getStaticType(getX());
  if (!x)
    return success();
  if (x.getRank() < 3)
    return emitError() << "X must have rank >= 3, got " << x;
  if (getStorageOrder() != 0 && getStorageOrder() != 1)
    return emitError() << "storage_order must be 0 or 1";
  auto params = resolveWindow(*this, x.getShape().drop_front(2), getI64s(getKernelShape()),
                              getStrides(), getDilations(), getPads(), getAutoPad(),
                              getCeilMode() != 0);
  if (failed(params))
    return failure();
  Builder b(getContext());
  setAutoPad("NOTSET");
  setPadsAttr(b.getI64ArrayAttr(params->pads));
  setStridesAttr(b.getI64ArrayAttr(params->strides));
  setDilationsAttr(b.getI64ArrayAttr(params->dilations));
  SmallVector<int64_t> shape{x.getDimSize(0), x.getDimSize(1)};
  shape.append(params->outSizes);
  (void)setShape(getIndices(), shape, b.getI64Type());
  return setShape(getY(), shape, x.getElementType());
}
