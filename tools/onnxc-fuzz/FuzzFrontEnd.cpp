//===- FuzzFrontEnd.cpp - libFuzzer target over onnxc's front half --------===//
//
// Feeds arbitrary bytes through protobuf parsing, import, verification, shape
// inference, the graph passes, lowering to linalg, bufferization and the
// workspace plan. Any crash, sanitizer report, or leak is a bug: bad input must
// only ever produce diagnostics.
//
//===----------------------------------------------------------------------===//
#include "compiler/Importer.h"
#include "compiler/ModelFile.h"
#include "compiler/Pipeline.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>

using namespace mlir;

namespace {
/// Small limits keep one input's work bounded, as --max-size does for users.
constexpr int64_t kFuzzMaxBytes = int64_t(64) << 20;

DialectRegistry &registry() {
  static DialectRegistry *r = [] {
    auto *reg = new DialectRegistry();
    onnxc::registerOnnxcDialects(*reg);
    onnxc::registerCompilerPasses();
    return reg;
  }();
  return *r;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MLIRContext ctx(registry());
  ctx.disableMultithreading();
  ctx.printOpOnDiagnostic(false);
  ScopedDiagnosticHandler silence(&ctx, [](Diagnostic &) { return success(); });

  std::string error;
  auto buffer = llvm::MemoryBuffer::getMemBuffer(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), "fuzz.onnx",
      /*RequiresNullTerminator=*/false);
  auto file = onnxc::ModelFile::parse(std::move(buffer), "fuzz.onnx", error,
                                      /*allowExternalData=*/false);
  if (!file)
    return 0;
  onnxc::ImportOptions options;
  options.functionName = "model_graph";
  options.maxBytes = kFuzzMaxBytes;
  OwningOpRef<ModuleOp> module = onnxc::importModel(ctx, *file, options);
  if (!module)
    return 0;
  PassManager graph(&ctx, ModuleOp::getOperationName());
  onnxc::buildGraphPipeline(graph, kFuzzMaxBytes);
  if (failed(graph.run(*module)))
    return 0;
  PassManager lower(&ctx, ModuleOp::getOperationName());
  onnxc::buildBufferizePipeline(lower, "model_graph", kFuzzMaxBytes);
  (void)lower.run(*module);
  return 0;
}
