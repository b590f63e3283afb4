//===- Diagnostics.cpp - error messages that name file, node, op, opset ---===//
#include "compiler/Diagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <fmt/format.h>

using namespace mlir;

namespace onnxc {

std::string nodeLabel(const std::string &nodeName, size_t nodeIndex, const std::string &opType,
                      int64_t opset) {
  std::string who = nodeName.empty() ? fmt::format("node #{}", nodeIndex)
                                     : fmt::format("node '{}'", nodeName);
  return fmt::format("{} ({}, opset {})", who, opType, opset);
}

Location nodeLocation(MLIRContext *ctx, const std::string &modelPath, const std::string &label) {
  return NameLoc::get(StringAttr::get(ctx, label), FileLineColLoc::get(ctx, modelPath, 0, 0));
}

std::string formatDiagnostic(Location loc, const std::string &message) {
  // Fused locations come from folding or fusion: the first node names it.
  while (auto fused = dyn_cast<FusedLoc>(loc)) {
    if (fused.getLocations().empty())
      break;
    loc = fused.getLocations().front();
  }
  std::string label, file;
  if (auto name = dyn_cast<NameLoc>(loc)) {
    label = name.getName().str();
    loc = name.getChildLoc();
  }
  if (auto fileLoc = dyn_cast<FileLineColLoc>(loc))
    file = fileLoc.getFilename().str();
  std::string out;
  if (!file.empty())
    out += file + ": ";
  if (!label.empty())
    out += label + ": ";
  return out + message;
}

DiagnosticPrinter::DiagnosticPrinter(MLIRContext *ctx) : ctx(ctx) {
  id = ctx->getDiagEngine().registerHandler([this](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error)
      ++errors;
    const char *kind = diag.getSeverity() == DiagnosticSeverity::Error     ? ""
                       : diag.getSeverity() == DiagnosticSeverity::Warning ? "warning: "
                                                                           : "note: ";
    llvm::errs() << formatDiagnostic(diag.getLocation(), kind + diag.str()) << "\n";
    for (Diagnostic &note : diag.getNotes())
      llvm::errs() << formatDiagnostic(note.getLocation(), "note: " + note.str()) << "\n";
    return success();
  });
}

DiagnosticPrinter::~DiagnosticPrinter() { ctx->getDiagEngine().eraseHandler(id); }

} // namespace onnxc
