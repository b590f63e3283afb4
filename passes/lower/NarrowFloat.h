//===- NarrowFloat.h - float8/float4/e8m0 conversions in integer arith -*- C++ -*-===//
#ifndef ONNXC_PASSES_LOWER_NARROWFLOAT_H
#define ONNXC_PASSES_LOWER_NARROWFLOAT_H

#include "mlir/IR/Builders.h"

namespace onnxc::lower {

/// Whether `t` is a float type LLVM has no arithmetic for (the float8 variants,
/// float4e2m1, float8e8m0): values of it are converted through their bits.
bool isNarrowFloat(mlir::Type t);

/// The f32 value of a narrow float scalar (exact: every narrow value fits f32).
mlir::Value narrowFloatToF32(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v);

/// Rounds an f32 scalar to the narrow float type `to` with ONNX Cast semantics:
/// round to nearest even; out of range values clamp to the largest finite value when
/// `saturate`, else become infinity or NaN as the type has them. float4e2m1 always
/// saturates (it has neither). float8e8m0 keeps only the exponent, rounded by
/// `roundMode` ("up", "down", "nearest").
mlir::Value f32ToNarrowFloat(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                             mlir::Type to, bool saturate, llvm::StringRef roundMode);

} // namespace onnxc::lower

#endif // ONNXC_PASSES_LOWER_NARROWFLOAT_H
