//===- SamplingUtils.h - scalar helpers for run-time sampling -*- C++ -*-===//
//
// GridSample, DeformConv and RoiAlign read their input at positions that are
// data (a grid, offsets, boxes), so each output element computes its taps and
// weights inside a linalg.generic body and gathers with tensor.extract. These
// helpers build that scalar code. (Resize's positions are compile-time, so its
// weights are tables instead: ir/Resize.h.)
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_PASSES_LOWER_SAMPLINGUTILS_H
#define ONNXC_PASSES_LOWER_SAMPLINGUTILS_H

#include "passes/lower/LoweringUtils.h"

namespace onnxc::lower {

/// Scalar arithmetic in one float type `ft` (f32, or f64 for f64 data).
struct ScalarBuilder {
  mlir::OpBuilder &b;
  mlir::Location loc;
  mlir::FloatType ft;

  mlir::Value f(double v);
  mlir::Value index(int64_t v);
  mlir::Value add(mlir::Value x, mlir::Value y);
  mlir::Value sub(mlir::Value x, mlir::Value y);
  mlir::Value mul(mlir::Value x, mlir::Value y);
  mlir::Value div(mlir::Value x, mlir::Value y);
  mlir::Value floor(mlir::Value x);
  mlir::Value lt(mlir::Value x, mlir::Value y);
  mlir::Value gt(mlir::Value x, mlir::Value y);
  mlir::Value select(mlir::Value c, mlir::Value x, mlir::Value y);
  mlir::Value both(mlir::Value c, mlir::Value d);
  /// `x` limited to [lo, hi]; NaN becomes lo.
  mlir::Value clamp(mlir::Value x, double lo, double hi);
  /// An index-typed value within [0, size): `i` clamped.
  mlir::Value clampIndex(mlir::Value i, int64_t size);
  /// 0 <= i < size for an index-typed `i`.
  mlir::Value indexInside(mlir::Value i, int64_t size);
  /// Truncates a float toward zero into an index.
  mlir::Value toIndex(mlir::Value x);
  mlir::Value indexToFloat(mlir::Value i);
  /// Any float or integer scalar converted to `ft`.
  mlir::Value toCompute(mlir::Value v);
  /// A scalar of `ft` converted to float type `to`.
  mlir::Value fromCompute(mlir::Value v, mlir::Type to);
  /// source[coords] converted to `ft`; coords are index values.
  mlir::Value read(mlir::Value source, mlir::ValueRange coords);
};

/// How taps outside the input read: as 0, as the nearest edge element, or
/// reflected back inside (ONNX GridSample's padding_mode).
enum class Padding { Zeros, Border, Reflection };

/// Interpolation kernel of a sample: 1, 2 or 4 taps per dim.
enum class Kernel { Nearest, Linear, Cubic };

/// Samples source[lead..., x_0, ..., x_{r-1}] at continuous positions `x`
/// (pixel units; one per trailing dim of `source`, whose sizes are `sizes`).
/// Linear and cubic weigh their taps (Keys' cubic with a = -0.75); nearest
/// reads x, which must already be integral. Taps outside read per `padding`;
/// reflection folds into [lo[i], hi[i]].
mlir::Value interpolate(ScalarBuilder &m, mlir::Value source, mlir::ValueRange lead,
                        llvm::ArrayRef<mlir::Value> x, llvm::ArrayRef<int64_t> sizes,
                        Kernel kernel, Padding padding, llvm::ArrayRef<double> lo,
                        llvm::ArrayRef<double> hi);

/// Folds x into [lo, hi] by reflecting at the borders as often as needed.
mlir::Value reflect(ScalarBuilder &m, mlir::Value x, double lo, double hi);

/// The compute type of a sampling op whose data has element type `elem`.
mlir::FloatType samplingComputeType(mlir::OpBuilder &b, mlir::Type elem);

} // namespace onnxc::lower

#endif // ONNXC_PASSES_LOWER_SAMPLINGUTILS_H
