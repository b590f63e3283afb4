//===- Diagnostics.h - error messages that name file, node, op, opset -*- C++ -*-===//
//
// Every error the user sees reads `model.onnx: node 'conv1' (Conv, opset 13): msg`.
// Importer errors are written with that prefix directly; errors raised later
// by passes carry it in their op's location (a NameLoc holding the node label
// around a FileLineColLoc holding the model path), and the handler installed
// by DiagnosticPrinter turns such a location back into the prefix.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_COMPILER_DIAGNOSTICS_H
#define ONNXC_COMPILER_DIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"

#include <string>

namespace onnxc {

/// "node 'conv1' (Conv, opset 13)", or "node #4 (Conv, opset 13)" for an unnamed node.
std::string nodeLabel(const std::string &nodeName, size_t nodeIndex, const std::string &opType,
                      int64_t opset);

/// The location given to every op imported from a node.
mlir::Location nodeLocation(mlir::MLIRContext *ctx, const std::string &modelPath,
                            const std::string &label);

/// Formats a diagnostic at `loc` as "file: label: message" (or "file: message").
std::string formatDiagnostic(mlir::Location loc, const std::string &message);

/// Prints every MLIR error while in scope, formatted by formatDiagnostic, to
/// stderr, and counts them.
class DiagnosticPrinter {
public:
  explicit DiagnosticPrinter(mlir::MLIRContext *ctx);
  ~DiagnosticPrinter();
  size_t errorCount() const { return errors; }

private:
  mlir::MLIRContext *ctx;
  mlir::DiagnosticEngine::HandlerID id;
  size_t errors = 0;
};

} // namespace onnxc

#endif // ONNXC_COMPILER_DIAGNOSTICS_H
