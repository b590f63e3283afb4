//===- ShapeInferenceImage.cpp - Resize and ConvTranspose shapes ----------===//
#include "ir/Resize.h"
#include "ir/ConstantData.h"
#include "ir/ShapeInferenceUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;
using namespace onnxc::onnx;
using namespace onnxc::onnx::shapes;

namespace {

/// The values of a constant float tensor, or nullopt when not constant.
std::optional<SmallVector<double>> getConstantFloats(Value value) {
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  SmallVector<double> result;
  if (auto dense = dyn_cast<DenseFPElementsAttr>(attr)) {
    for (const APFloat &v : dense.getValues<APFloat>())
      result.push_back(v.convertToDouble());
    return result;
  }
  if (auto data = onnxc::readF32Elements(attr)) {
    result.assign(data->begin(), data->end());
    return result;
  }
  return std::nullopt;
}

bool isEmptyTensor(Value v) {
  auto t = getStaticType(v);
  return t && t.getNumElements() == 0;
}

} // namespace

FailureOr<ResizePlan> onnxc::onnx::resolveResize(ResizeOp op) {
  auto x = getStaticType(op.getX());
  int64_t rank = x.getRank();
  SmallVector<int64_t> axes;
  if (op.getAxes()) {
    for (int64_t a : getI64s(*op.getAxes())) {
      auto axis = checkedAxis(op, a, rank);
      if (failed(axis))
        return failure();
      if (llvm::is_contained(axes, *axis))
        return op.emitError() << "axes repeats dimension " << *axis;
      axes.push_back(*axis);
    }
  } else {
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  }
  size_t n = axes.size();
  Value scalesV = op.getScales() && !isEmptyTensor(op.getScales()) ? op.getScales() : Value();
  Value sizesV = op.getSizes() && !isEmptyTensor(op.getSizes()) ? op.getSizes() : Value();
  if (!scalesV == !sizesV)
    return op.emitError() << "exactly one of scales and sizes must be given";

  ResizePlan plan;
  plan.outShape.assign(x.getShape().begin(), x.getShape().end());
  plan.scales.assign(rank, 1.0);
  plan.roiStart.assign(rank, 0.0);
  plan.roiEnd.assign(rank, 1.0);
  if (Value roiV = op.getRoi(); roiV && !isEmptyTensor(roiV) &&
                                op.getCoordinateTransformationMode() == "tf_crop_and_resize") {
    auto roi = getConstantFloats(roiV);
    if (!roi)
      return op.emitError() << "the roi input must be a compile-time constant";
    if (roi->size() != 2 * n)
      return op.emitError() << "roi has " << roi->size() << " values, expected " << 2 * n;
    for (size_t i = 0; i < n; ++i) {
      plan.roiStart[axes[i]] = (*roi)[i];
      plan.roiEnd[axes[i]] = (*roi)[n + i];
    }
  }
  if (scalesV) {
    auto scales = getConstantFloats(scalesV);
    if (!scales)
      return op.emitError() << "the scales input must be a compile-time constant";
    if (scales->size() != n)
      return op.emitError() << "scales has " << scales->size() << " values, expected " << n;
    for (size_t i = 0; i < n; ++i) {
      double s = (*scales)[i];
      if (!(s > 0) || !std::isfinite(s))
        return op.emitError() << "scales[" << i << "] = " << s << " must be positive";
      plan.scales[axes[i]] = s;
      plan.outShape[axes[i]] = static_cast<int64_t>(std::floor(s * x.getDimSize(axes[i])));
    }
    return plan;
  }
  auto sizes = getConstantInts(sizesV);
  if (!sizes)
    return op.emitError() << "the sizes input must be a compile-time constant";
  if (sizes->size() != n)
    return op.emitError() << "sizes has " << sizes->size() << " values, expected " << n;
  for (size_t i = 0; i < n; ++i) {
    if ((*sizes)[i] <= 0 || x.getDimSize(axes[i]) == 0)
      return op.emitError() << "sizes[" << i << "] = " << (*sizes)[i] << " must be positive";
    plan.scales[axes[i]] = double((*sizes)[i]) / double(x.getDimSize(axes[i]));
    plan.outShape[axes[i]] = (*sizes)[i];
  }
  StringRef policy = op.getKeepAspectRatioPolicy();
  if (policy == "stretch")
    return plan;
  if (policy != "not_larger" && policy != "not_smaller")
    return op.emitError() << "unknown keep_aspect_ratio_policy '" << policy << "'";
  double scale = plan.scales[axes[0]];
  for (int64_t a : axes)
    scale = policy == "not_larger" ? std::min(scale, plan.scales[a]) : std::max(scale, plan.scales[a]);
  for (int64_t a : axes) {
    plan.scales[a] = scale;
    plan.outShape[a] = static_cast<int64_t>(scale * x.getDimSize(a) + 0.5);
  }
  return plan;
}

bool onnxc::onnx::resizeKeepsAxis(const ResizePlan &plan, int64_t axis, int64_t inSize) {
  return std::fabs(plan.scales[axis] - 1.0) <= 1e-9 && plan.outShape[axis] == inSize &&
         std::fabs(plan.roiStart[axis]) <= 1e-9 && std::fabs(plan.roiEnd[axis] - 1.0) <= 1e-9;
}

namespace {

/// The coefficients of the taps around a source coordinate whose fractional
/// part is `ratio` (1 when the coordinate is an integer), as in the reference.
std::vector<double> tapCoefficients(ResizeOp op, double ratio, double scale) {
  StringRef mode = op.getMode();
  bool antialias = op.getAntialias() != 0;
  double a = op.getCubicCoeffA().convertToDouble();
  if (mode == "nearest") {
    StringRef rounding = op.getNearestMode();
    if (ratio == 1.0)
      return {0, 1};
    // "simple" is opset <= 10 Resize and Upsample: floor when upsampling, ceil when downsampling.
    if (rounding == "simple")
      rounding = scale >= 1.0 ? "floor" : "ceil";
    if (rounding == "round_prefer_ceil")
      return {ratio < 0.5 ? 1.0 : 0.0, ratio >= 0.5 ? 1.0 : 0.0};
    if (rounding == "floor")
      return {1, 0};
    if (rounding == "ceil")
      return {0, 1};
    return {ratio <= 0.5 ? 1.0 : 0.0, ratio > 0.5 ? 1.0 : 0.0}; // round_prefer_floor
  }
  auto normalised = [](std::vector<double> c) {
    double sum = 0;
    for (double v : c)
      sum += v;
    for (double &v : c)
      v /= sum;
    return c;
  };
  if (mode == "linear") {
    if (!antialias)
      return {1 - ratio, ratio};
    double s = std::min(scale, 1.0);
    int64_t start = static_cast<int64_t>(std::floor(-1 / s) + 1), footprint = 2 - 2 * start;
    std::vector<double> c;
    for (int64_t i = start; i < start + footprint; ++i)
      c.push_back(std::clamp(1 - std::fabs((double(i) - ratio) * s), 0.0, 1.0));
    return normalised(c);
  }
  // cubic
  if (!antialias) {
    double r1 = ratio + 1, q = 1 - ratio, q1 = q + 1;
    return {((a * r1 - 5 * a) * r1 + 8 * a) * r1 - 4 * a,
            ((a + 2) * ratio - (a + 3)) * ratio * ratio + 1,
            ((a + 2) * q - (a + 3)) * q * q + 1,
            ((a * q1 - 5 * a) * q1 + 8 * a) * q1 - 4 * a};
  }
  double s = std::min(scale, 1.0);
  auto kernel = [a](double v) {
    v = std::fabs(v);
    if (v <= 1)
      return (a + 2) * v * v * v - (a + 3) * v * v + 1;
    if (v < 2)
      return a * v * v * v - 5 * a * v * v + 8 * a * v - 4 * a;
    return 0.0;
  };
  int64_t iStart = static_cast<int64_t>(std::floor(-2 / s) + 1), iEnd = 2 - iStart;
  std::vector<double> c;
  for (int64_t i = iStart; i < iEnd; ++i)
    c.push_back(kernel(s * (double(i) - ratio)));
  return normalised(c);
}

} // namespace

ResizeAxisWeights onnxc::onnx::resizeAxisWeights(ResizeOp op, const ResizePlan &plan,
                                                 int64_t axis, int64_t inSize) {
  ResizeAxisWeights w;
  int64_t outSize = plan.outShape[axis];
  double scale = plan.scales[axis], outWidth = scale * double(inSize);
  StringRef ctm = op.getCoordinateTransformationMode();
  bool nearest = op.getMode() == "nearest";
  w.extrapolated.assign(outSize, false);
  for (int64_t o = 0; o < outSize; ++o) {
    double y = double(o), x;
    if (ctm == "align_corners") {
      x = outWidth == 1 ? 0.0 : y * (inSize - 1) / (outWidth - 1);
    } else if (ctm == "asymmetric") {
      x = y / scale;
    } else if (ctm == "tf_crop_and_resize") {
      double r0 = plan.roiStart[axis], r1 = plan.roiEnd[axis];
      x = outWidth == 1 ? (r1 - r0) * (inSize - 1) / 2 : y * (r1 - r0) * (inSize - 1) / (outWidth - 1);
      x += r0 * (inSize - 1);
      if (x < 0 || x > inSize - 1)
        w.extrapolated[o] = w.anyExtrapolated = true;
    } else if (ctm == "pytorch_half_pixel") {
      x = outWidth == 1 ? -0.5 : (y + 0.5) / scale - 0.5;
    } else if (ctm == "half_pixel_symmetric") {
      double adjustment = double(outSize) / outWidth, center = double(inSize) / 2;
      x = center * (1 - adjustment) + (y + 0.5) / scale - 0.5;
    } else { // half_pixel
      x = (y + 0.5) / scale - 0.5;
    }
    double xFloor = std::floor(x);
    double ratio = x == xFloor ? 1.0 : x - xFloor;
    std::vector<double> coeffs = tapCoefficients(op, ratio, scale);
    int64_t n = coeffs.size();
    // The n nearest neighbours of x in the edge-padded input (reference's _get_neighbor).
    int64_t padWidth = (n + 1) / 2;
    double xPadded = x + padWidth;
    int64_t p = static_cast<int64_t>(std::floor(xPadded));
    double frac = xPadded - double(p);
    int64_t offset = n % 2 == 0 ? (frac == 0 ? -(n / 2) : -(n / 2) + 1)
                                : (frac <= 0.5 ? -((n - 1) / 2) : -((n - 1) / 2) + 1);
    int64_t start = p + offset - padWidth;
    if (op.getExcludeOutside()) {
      double sum = 0;
      for (int64_t j = 0; j < n; ++j) {
        if (start + j < 0 || start + j >= inSize)
          coeffs[j] = 0;
        sum += coeffs[j];
      }
      for (double &c : coeffs)
        c /= sum == 0 ? 1.0 : sum;
    }
    if (nearest) {
      // One tap: the neighbour whose coefficient is 1.
      w.taps = 1;
      int64_t pick = coeffs[0] != 0 ? 0 : 1;
      w.indices.push_back(std::clamp<int64_t>(start + pick, 0, inSize - 1));
      w.weights.push_back(1.0);
      continue;
    }
    w.taps = n;
    for (int64_t j = 0; j < n; ++j) {
      w.indices.push_back(std::clamp<int64_t>(start + j, 0, inSize - 1));
      // An extrapolated position reads nothing: it keeps extrapolation_value.
      w.weights.push_back(w.extrapolated[o] ? 0.0 : coeffs[j]);
    }
  }
  return w;
}

LogicalResult ResizeOp::inferShapes() {
  if (!getStaticType(getX()))
    return success();
  StringRef mode = getMode(), ctm = getCoordinateTransformationMode();
  if (mode != "nearest" && mode != "linear" && mode != "cubic")
    return emitError() << "unknown mode '" << mode << "'";
  if (!llvm::is_contained({"half_pixel", "half_pixel_symmetric", "pytorch_half_pixel",
                           "align_corners", "asymmetric", "tf_crop_and_resize"}, ctm))
    return emitError() << "unknown coordinate_transformation_mode '" << ctm << "'";
  if (!llvm::is_contained({"round_prefer_floor", "round_prefer_ceil", "floor", "ceil", "simple"},
                          getNearestMode()))
    return emitError() << "unknown nearest_mode '" << getNearestMode() << "'";
  if (mode == "nearest" && getAntialias())
    return emitError() << "antialias is not defined for mode 'nearest'";
  if (mode != "nearest" && !isa<FloatType>(elementTypeOf(getX())))
    return emitError() << "mode '" << mode << "' needs a floating-point input";
  auto plan = resolveResize(*this);
  if (failed(plan))
    return failure();
  return setShape(getY(), plan->outShape, elementTypeOf(getX()));
}

LogicalResult ConvTransposeOp::inferShapes() {
  if (!allStatic(*this))
    return success();
  auto x = getStaticType(getX()), w = getStaticType(getW());
  if (x.getRank() < 3 || w.getRank() != x.getRank())
    return emitError() << "X " << x << " and W " << w << " must have the same rank >= 3";
  int64_t spatial = x.getRank() - 2, group = getGroup(), channels = x.getDimSize(1);
  if (group <= 0 || channels % group != 0 || w.getDimSize(0) != channels)
    return emitError() << "W " << w << " does not fit " << channels << " input channels in "
                       << group << " groups";
  int64_t filters = w.getDimSize(1) * group;
  if (getB() && (getStaticType(getB()).getRank() != 1 ||
                 getStaticType(getB()).getDimSize(0) != filters))
    return emitError() << "B must have shape [" << filters << "]";
  ArrayRef<int64_t> kernel = w.getShape().drop_front(2);
  if (getKernelShape() && getI64s(*getKernelShape()) != SmallVector<int64_t>(kernel))
    return emitError() << "kernel_shape does not match W";
  auto strides = getI64s(getStrides(), spatial, 1), dilations = getI64s(getDilations(), spatial, 1);
  auto outPad = getI64s(getOutputPadding(), spatial, 0);
  auto pads = getI64s(getPads(), 2 * spatial, 0);
  if (strides.size() != size_t(spatial) || dilations.size() != size_t(spatial) ||
      outPad.size() != size_t(spatial) || pads.size() != size_t(2 * spatial))
    return emitError() << "strides, dilations, output_padding and pads must have one value per "
                          "spatial dim (pads: two)";
  for (int64_t i = 0; i < spatial; ++i)
    if (strides[i] <= 0 || dilations[i] <= 0)
      return emitError() << "strides and dilations must be positive";
  StringRef autoPad = getAutoPad();
  if (!llvm::is_contained({"NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER"}, autoPad))
    return emitError() << "unknown auto_pad '" << autoPad << "'";
  std::optional<SmallVector<int64_t>> outShape;
  if (getOutputShape()) {
    auto s = getI64s(*getOutputShape());
    if (s.size() == size_t(spatial + 2))
      s.erase(s.begin(), s.begin() + 2);
    if (s.size() != size_t(spatial))
      return emitError() << "output_shape must have one value per spatial dim";
    outShape = s;
  }
  SmallVector<int64_t> shape{x.getDimSize(0), filters};
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t full = strides[i] * (x.getDimSize(2 + i) - 1) + outPad[i] +
                   (kernel[i] - 1) * dilations[i] + 1;
    int64_t &begin = pads[i], &end = pads[spatial + i];
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      int64_t target = outShape ? (*outShape)[i] : x.getDimSize(2 + i) * strides[i];
      int64_t total = full - target;
      begin = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
      end = total - begin;
    } else if (autoPad == "VALID") {
      begin = end = 0;
    }
    if (outShape) {
      // ONNX derives the pads from output_shape: the larger half at the start unless
      // SAME_UPPER (onnxruntime does the same). One beyond the natural size instead extends
      // the end (zeros past the data).
      int64_t total = full - (*outShape)[i];
      if (total >= 0) {
        begin = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
        end = total - begin;
      } else {
        end = full - begin - (*outShape)[i];
      }
    }
    // Fold output_padding into the end pad: out = s*(in-1) + (k-1)*d + 1 - begin - end.
    end -= outPad[i];
    int64_t out = full - outPad[i] - begin - end;
    if (out <= 0)
      return emitError() << "output size " << out << " along spatial dim " << i
                         << " is not positive";
    shape.push_back(out);
  }
  // Record the resolved geometry so lowering never re-derives it.
  Builder b(getContext());
  setAutoPad("NOTSET");
  setPadsAttr(b.getI64ArrayAttr(pads));
  setStridesAttr(b.getI64ArrayAttr(strides));
  setDilationsAttr(b.getI64ArrayAttr(dilations));
  setKernelShapeAttr(b.getI64ArrayAttr(kernel));
  removeOutputPaddingAttr();
  removeOutputShapeAttr();
  return setShape(getY(), shape, x.getElementType());
}

namespace {
/// DepthToSpace (toSpace) and SpaceToDepth on a 4-D NCHW input.
LogicalResult inferBlockRearrange(Operation *op, int64_t blocksize, StringRef mode, bool toSpace) {
  auto x = getStaticType(op->getOperand(0));
  if (!x)
    return success();
  if (x.getRank() != 4)
    return op->emitError() << "input must be 4-D (NCHW), got " << x;
  if (blocksize <= 0)
    return op->emitError() << "blocksize must be positive, got " << blocksize;
  if (mode != "DCR" && mode != "CRD")
    return op->emitError() << "mode must be DCR or CRD, got '" << mode << "'";
  SmallVector<int64_t> shape(x.getShape());
  int64_t area = blocksize * blocksize;
  if (toSpace) {
    if (shape[1] % area != 0)
      return op->emitError() << "channels " << shape[1] << " are not divisible by blocksize^2 = "
                             << area;
    shape[1] /= area;
    shape[2] *= blocksize;
    shape[3] *= blocksize;
  } else {
    if (shape[2] % blocksize != 0 || shape[3] % blocksize != 0)
      return op->emitError() << "spatial dims " << shape[2] << "x" << shape[3]
                             << " are not divisible by blocksize " << blocksize;
    shape[1] *= area;
    shape[2] /= blocksize;
    shape[3] /= blocksize;
  }
  return setShape(op->getResult(0), shape, x.getElementType());
}
} // namespace

LogicalResult DepthToSpaceOp::inferShapes() {
  return inferBlockRearrange(*this, getBlocksize(), getMode(), /*toSpace=*/true);
}
LogicalResult SpaceToDepthOp::inferShapes() {
  return inferBlockRearrange(*this, getBlocksize(), getMode(), /*toSpace=*/false);
}
