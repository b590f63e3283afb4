//===- Resize.h - Resize's compile-time resampling plan ---------*- C++ -*-===//
//
// Resize's output shape and interpolation weights depend only on constants
// (roi, scales, sizes, attributes) and the static input shape, so both the
// shape rule and the lowering derive them here, once, following the ONNX
// reference (onnx/reference/ops/op_resize.py), which resamples one axis at a
// time: every output position along an axis reads `taps` input positions.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_IR_RESIZE_H
#define ONNXC_IR_RESIZE_H

#include "ir/ONNXDialect.h"

namespace onnxc::onnx {

/// The full-rank geometry of a Resize.
struct ResizePlan {
  llvm::SmallVector<int64_t> outShape;
  llvm::SmallVector<double> scales;            // per dim
  llvm::SmallVector<double> roiStart, roiEnd;  // per dim, normalised coordinates
};

/// Resampling of one axis: output o reads input indices[o * taps + j] with
/// weight weights[o * taps + j]; extrapolated[o] marks tf_crop_and_resize
/// positions outside the input, which take extrapolation_value.
struct ResizeAxisWeights {
  int64_t taps = 0;
  std::vector<int64_t> indices;
  std::vector<double> weights;
  std::vector<bool> extrapolated;
  bool anyExtrapolated = false;
};

/// Output shape and per-dim scales; errors are emitted on `op`.
mlir::FailureOr<ResizePlan> resolveResize(ResizeOp op);

/// True when `axis` is left unchanged (the reference skips it).
bool resizeKeepsAxis(const ResizePlan &plan, int64_t axis, int64_t inSize);

/// Taps and weights of `axis` (nearest modes give one tap of weight 1).
ResizeAxisWeights resizeAxisWeights(ResizeOp op, const ResizePlan &plan, int64_t axis,
                                    int64_t inSize);

} // namespace onnxc::onnx

#endif // ONNXC_IR_RESIZE_H
