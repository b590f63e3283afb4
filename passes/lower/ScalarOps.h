//===- ScalarOps.h - scalar semantics of elementwise onnx ops --*- C++ -*-===//
#ifndef ONNXC_PASSES_LOWER_SCALAROPS_H
#define ONNXC_PASSES_LOWER_SCALAROPS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Operation.h"

#include <functional>

namespace onnxc::lower {

/// Builds one result element of an elementwise op from its operands' scalars
/// (already signless). `op` gives attributes; `inputElements` are the ONNX
/// element types of the operands (signedness lives there); `resultElement`
/// is the signless result element type.
using ScalarBuilder = std::function<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::Operation *op, mlir::ValueRange args,
    llvm::ArrayRef<mlir::Type> inputElements, mlir::Type resultElement)>;

/// The scalar builder of an elementwise onnx op, by op name ("onnx.Add"), or
/// null when the op is not elementwise.
const ScalarBuilder *lookupScalarBuilder(llvm::StringRef opName);

/// Converts a scalar between element types with ONNX Cast semantics; `saturate` and
/// `roundMode` are Cast's attributes for float8 targets.
mlir::Value castScalar(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v, mlir::Type from,
                       mlir::Type to, bool saturate = true, llvm::StringRef roundMode = "up");

} // namespace onnxc::lower

#endif // ONNXC_PASSES_LOWER_SCALAROPS_H
