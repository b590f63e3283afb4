//===- ShapeInferenceUtils.h - helpers shared by the shape rules -*- C++ -*-===//
#ifndef ONNXC_IR_SHAPEINFERENCEUTILS_H
#define ONNXC_IR_SHAPEINFERENCEUTILS_H

#include "ir/ONNXDialect.h"

namespace onnxc::onnx::shapes {

inline mlir::Type elementTypeOf(mlir::Value v) {
  return mlir::cast<mlir::ShapedType>(v.getType()).getElementType();
}

inline mlir::LogicalResult setShape(mlir::Value result, llvm::ArrayRef<int64_t> shape,
                                    mlir::Type elementType) {
  result.setType(mlir::RankedTensorType::get(shape, elementType));
  return mlir::success();
}

/// True when every operand that is present is a static ranked tensor.
bool allStatic(mlir::Operation *op);

inline int64_t normaliseAxis(int64_t axis, int64_t rank) { return axis < 0 ? axis + rank : axis; }

/// Checks axis is in [-rank, rank) (or [-rank, rank] with `inclusiveEnd`) and
/// normalises it; emits an error on `op` otherwise.
mlir::FailureOr<int64_t> checkedAxis(mlir::Operation *op, int64_t axis, int64_t rank,
                                     bool inclusiveEnd = false);

/// Result = numpy broadcast of all operands; element type of operand
/// `typeFrom` unless `resultElement` is given. All operands must share an
/// element type when `sameElementTypes`.
mlir::LogicalResult inferBroadcast(mlir::Operation *op, mlir::Type resultElement = nullptr,
                                   bool sameElementTypes = true);

/// Two-operand numpy broadcast with equal element types.
inline mlir::LogicalResult inferBinary(mlir::Operation *op) { return inferBroadcast(op); }

/// Result type = type of operand 0.
mlir::LogicalResult inferSameAsInput(mlir::Operation *op);

/// Constant int64 values of an optional axes operand, normalised against
/// `rank`; nullopt with an error emitted when not constant or out of range.
std::optional<llvm::SmallVector<int64_t>> constantAxes(mlir::Operation *op, mlir::Value axes,
                                                       int64_t rank);

/// Spatial parameters of a convolution or pooling window after auto_pad is
/// resolved against the static input shape.
struct WindowParams {
  llvm::SmallVector<int64_t> kernel, strides, dilations, pads, outSizes;
};

/// Resolves auto_pad into explicit pads and computes the output sizes. `ceil`
/// selects ceil_mode rounding (pooling only).
mlir::FailureOr<WindowParams> resolveWindow(mlir::Operation *op, llvm::ArrayRef<int64_t> spatialIn,
                                            llvm::ArrayRef<int64_t> kernel,
                                            std::optional<mlir::ArrayAttr> strides,
                                            std::optional<mlir::ArrayAttr> dilations,
                                            std::optional<mlir::ArrayAttr> pads,
                                            llvm::StringRef autoPad, bool ceil);

} // namespace onnxc::onnx::shapes

#endif // ONNXC_IR_SHAPEINFERENCEUTILS_H
