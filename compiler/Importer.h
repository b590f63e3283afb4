//===- Importer.h - ONNX ModelProto to the onnx dialect --------*- C++ -*-===//
#ifndef ONNXC_COMPILER_IMPORTER_H
#define ONNXC_COMPILER_IMPORTER_H

#include "compiler/ModelFile.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <map>
#include <string>
#include <vector>

namespace onnxc {

/// Newest ai.onnx opset onnxc knows.
constexpr int64_t kMaxOpset = 28;
/// The newest ai.onnx.ml opset (TreeEnsemble, opset 5).
constexpr int64_t kMaxMlOpset = 5;

struct ImportOptions {
  /// Name of the generated function (the model's entry point before codegen).
  std::string functionName = "model";
  /// --shape overrides: input name -> dims. Fix dynamic dims.
  std::map<std::string, std::vector<int64_t>> inputShapes;
  /// --max-size: the largest input, and the largest total of weights, in bytes.
  int64_t maxBytes = int64_t(4) << 30;
};

/// Function attributes naming the graph's inputs and outputs, in order.
constexpr llvm::StringLiteral kInputNamesAttr = "onnxc.input_names";
constexpr llvm::StringLiteral kOutputNamesAttr = "onnxc.output_names";

/// Imports the model's main graph as one function of onnx ops. Reports every
/// problem it finds (all unsupported nodes, not just the first) through MLIR
/// diagnostics and returns null if there was any.
mlir::OwningOpRef<mlir::ModuleOp> importModel(mlir::MLIRContext &ctx, ModelFile &file,
                                              const ImportOptions &options);

} // namespace onnxc

#endif // ONNXC_COMPILER_IMPORTER_H
