//===- Pipeline.h - the onnxc compilation pipeline -------------*- C++ -*-===//
#ifndef ONNXC_COMPILER_PIPELINE_H
#define ONNXC_COMPILER_PIPELINE_H

#include "codegen/ModelSignature.h"
#include "codegen/llvm/TargetEmitter.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"

#include <map>
#include <string>
#include <vector>

namespace onnxc {

enum class EmitKind { Object, Assembly, LLVMIR, MLIR, LoweredMLIR, Header };

struct CompilerOptions {
  std::string modelPath;
  std::string output;           ///< Empty: a default derived from the name and kind.
  std::string name = "model";   ///< Prefix of every exported symbol.
  EmitKind emit = EmitKind::Object;
  std::map<std::string, std::vector<int64_t>> inputShapes;
  TargetOptions target;
  bool printIRAfterAll = false;
  /// --max-size: the largest tensor, total of weights, or workspace, in bytes.
  int64_t maxBytes = int64_t(4) << 30;
  /// --ukernels: "auto" (from the target), "none", or a microkernel ISA.
  std::string ukernels = "auto";
  /// --threads: the most threads <name>_run_ex uses; sizes the kernels' scratch.
  int64_t maxThreads = 1;
};

/// Registers the dialects and passes onnxc uses (also used by onnxc-opt).
void registerOnnxcDialects(mlir::DialectRegistry &registry);
void registerCompilerPasses();

/// Graph stage: shape inference and graph simplification on the onnx dialect.
void buildGraphPipeline(mlir::OpPassManager &pm, int64_t maxBytes = int64_t(4) << 30);
/// onnx dialect -> bufferized linalg with the workspace planned.
/// `ukernelIsa` (empty: none) picks the runtime-lite microkernels that replace
/// f32 matmul and convolution loops.
void buildBufferizePipeline(mlir::OpPassManager &pm, const std::string &graphFunction,
                            int64_t maxBytes = int64_t(4) << 30,
                            const std::string &ukernelIsa = "", int64_t maxThreads = 1);
/// Bufferized linalg -> LLVM dialect.
void buildLLVMLoweringPipeline(mlir::OpPassManager &pm);

/// Runs the whole pipeline and writes the requested outputs atomically.
/// Returns the process exit code: 0 ok, 1 bad or unsupported model.
int compileModel(const CompilerOptions &options);

} // namespace onnxc

#endif // ONNXC_COMPILER_PIPELINE_H
