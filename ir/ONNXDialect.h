//===- ONNXDialect.h - the onnx dialect -------------------------*- C++ -*-===//
#ifndef ONNXC_IR_ONNXDIALECT_H
#define ONNXC_IR_ONNXDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "ir/ONNXDialect.h.inc"
#include "ir/ONNXInterfaces.h.inc"

#define GET_OP_CLASSES
#include "ir/ONNXOps.h.inc"

namespace onnxc::onnx {

/// Numpy-style broadcast of two static shapes; std::nullopt if incompatible.
std::optional<llvm::SmallVector<int64_t>> broadcastShapes(llvm::ArrayRef<int64_t> a,
                                                          llvm::ArrayRef<int64_t> b);

/// The values of a constant integer tensor produced by onnx.Constant (or any
/// constant-like op), or std::nullopt when the value is not a compile-time constant.
std::optional<llvm::SmallVector<int64_t>> getConstantInts(mlir::Value value);

/// Reads an optional I64ArrayAttr, or returns `count` copies of `dflt` when absent.
llvm::SmallVector<int64_t> getI64s(std::optional<mlir::ArrayAttr> attr, size_t count,
                                   int64_t dflt);
llvm::SmallVector<int64_t> getI64s(mlir::ArrayAttr attr);

/// MLIR element type of an ONNX TensorProto.DataType code (null if unsupported).
mlir::Type elementTypeForCode(mlir::MLIRContext *ctx, int64_t code);
/// ONNX TensorProto.DataType code of an MLIR element type (0 if none).
int32_t codeForElementType(mlir::Type type);

/// Static ranked type of a value, or null when it is not (yet) a static ranked tensor.
mlir::RankedTensorType getStaticType(mlir::Value value);

/// One dimension of a resolved Slice: first index, step, and element count.
struct SliceRange {
  int64_t start, step, size;
};
/// ONNX's clamping rules applied to a Slice with constant starts/ends/axes/steps.
mlir::FailureOr<llvm::SmallVector<SliceRange>> resolveSlice(SliceOp op);
/// Pad's pads for every dim (all begins, then all ends), axes applied.
mlir::FailureOr<llvm::SmallVector<int64_t>> resolvePads(PadOp op);
/// Split's output sizes along its axis.
mlir::FailureOr<llvm::SmallVector<int64_t>> resolveSplit(SplitOp op);

} // namespace onnxc::onnx

#endif // ONNXC_IR_ONNXDIALECT_H
