//===- TensorImport.h - ONNX tensors and element types to MLIR -*- C++ -*-===//
#ifndef ONNXC_COMPILER_TENSORIMPORT_H
#define ONNXC_COMPILER_TENSORIMPORT_H

#include "compiler/ModelFile.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"

namespace onnxc {

/// The MLIR element type of an ONNX TensorProto.DataType, or null when onnxc
/// does not support it. Unsigned ONNX types map to unsigned MLIR integers.
mlir::Type elementTypeFor(mlir::MLIRContext *ctx, int32_t onnxType);

/// The ONNX TensorProto.DataType of an MLIR element type (0 if none).
int32_t onnxTypeOf(mlir::Type type);

/// Printable name of an ONNX data type ("FLOAT", "STRING", ...).
std::string onnxTypeName(int32_t onnxType);

/// The tensor's value as an ElementsAttr: a dense attribute for small tensors,
/// a dense_resource blob for large ones (no uniquing cost). Checks that the
/// stored data matches the shape exactly. On failure sets `error`.
mlir::ElementsAttr importTensor(mlir::MLIRContext *ctx, const ::onnx::TensorProto &tensor,
                                ModelFile &file, std::string &error);

} // namespace onnxc

#endif // ONNXC_COMPILER_TENSORIMPORT_H
