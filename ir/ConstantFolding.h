//===- ConstantFolding.h - evaluating onnx ops on constants ----*- C++ -*-===//
#ifndef ONNXC_IR_CONSTANTFOLDING_H
#define ONNXC_IR_CONSTANTFOLDING_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"

namespace onnxc::onnx {

/// Largest result (in elements) folded at compile time: enough for every
/// shape computation exporters emit, small enough to keep compiles fast.
constexpr int64_t kMaxFoldedElements = int64_t(1) << 16;

/// Evaluates `op` when its operands are constants (Shape and Size need only a
/// static operand type) and its results are static and small. Returns one
/// attribute per result, or an empty vector when the op cannot be folded.
llvm::SmallVector<mlir::DenseElementsAttr> evaluateConstantOp(mlir::Operation *op);

} // namespace onnxc::onnx

#endif // ONNXC_IR_CONSTANTFOLDING_H
