//===- ModelSignature.h - what the generated ABI exposes -------*- C++ -*-===//
//
// The graph's inputs and outputs and the workspace plan, captured from the IR
// before lowering erases them; the entry points, model_info and the header
// are all generated from this one description so they cannot disagree.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_CODEGEN_MODELSIGNATURE_H
#define ONNXC_CODEGEN_MODELSIGNATURE_H

#include <cstdint>
#include <string>
#include <vector>

namespace onnxc {

struct TensorSignature {
  std::string name;           ///< ONNX value name.
  int32_t dtype = 0;          ///< ONNX TensorProto.DataType.
  std::vector<int64_t> shape; ///< Static.
  uint64_t sizeBytes = 0;
};

struct ModelSignature {
  std::string name;           ///< --name: prefix of every exported symbol.
  std::string graphFunction;  ///< The lowered graph function the entry points call.
  std::vector<TensorSignature> inputs, outputs;
  uint64_t workspaceSize = 0;
  uint64_t workspaceLowerBound = 0;
  uint64_t workspaceAlign = 64;
  int64_t maxThreads = 1;      ///< --threads: the most tasks one kernel call creates.
  bool takesExecutor = false;  ///< The graph function's last-but-one argument is the executor.
};

/// Bytes of one element of an ONNX data type (0 if unknown).
uint64_t dtypeSize(int32_t dtype);

} // namespace onnxc

#endif // ONNXC_CODEGEN_MODELSIGNATURE_H
