//===- ConstantData.h - reading and making f32 constant data ----*- C++ -*-===//
//
// Weights arrive as DenseElementsAttr (small or splat) or as
// DenseResourceElementsAttr blobs (initializers); passes that rewrite weights
// at compile time (BatchNorm folding, microkernel packing) read both through
// here and write new ones as resources, which print and copy cheaply.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_IR_CONSTANTDATA_H
#define ONNXC_IR_CONSTANTDATA_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Value.h"

#include <optional>
#include <vector>

namespace onnxc {

/// The row-major f32 values of `attr`, or nullopt when it does not hold f32
/// data (other element types, a resource whose blob is missing).
std::optional<std::vector<float>> readF32Elements(mlir::Attribute attr);

/// The f32 values of `value` when a constant-like op (onnx.Constant,
/// arith.constant) defines it, else nullopt.
std::optional<std::vector<float>> readF32Constant(mlir::Value value);

/// A dense resource attribute of `type` (f32 elements) holding `values`.
mlir::DenseResourceElementsAttr makeF32Resource(mlir::ShapedType type,
                                                const std::vector<float> &values,
                                                llvm::StringRef blobName);

} // namespace onnxc

#endif // ONNXC_IR_CONSTANTDATA_H
