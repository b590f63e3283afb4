//===- ModelFile.h - reading an ONNX model and its external data -*- C++ -*-===//
#ifndef ONNXC_COMPILER_MODELFILE_H
#define ONNXC_COMPILER_MODELFILE_H

#include "onnx.pb.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"

#include <map>
#include <memory>
#include <string>

namespace onnxc {

/// A parsed model plus the files it maps. The model's bytes and its external
/// data files are memory-mapped read-only; nothing reads past their ends.
class ModelFile {
public:
  /// Loads and parses `path`. On failure returns null and sets `error` to a
  /// message that names the file.
  static std::unique_ptr<ModelFile> load(const std::string &path, std::string &error);

  /// Parses a model already in memory; `path` names it in messages. With
  /// `allowExternalData` false (fuzzing), every external tensor is refused.
  static std::unique_ptr<ModelFile> parse(std::unique_ptr<llvm::MemoryBuffer> buffer,
                                          const std::string &path, std::string &error,
                                          bool allowExternalData = true);

  const ::onnx::ModelProto &proto() const { return model; }
  const std::string &path() const { return modelPath; }

  /// The bytes of a tensor stored outside the model (data_location EXTERNAL):
  /// checked to lie inside the model's folder and inside the file. On failure
  /// returns false and sets `error`.
  bool externalData(const ::onnx::TensorProto &tensor, llvm::StringRef &bytes,
                    std::string &error);

private:
  ::onnx::ModelProto model;
  std::string modelPath;
  std::string modelDir;
  bool allowExternalData = true;
  std::map<std::string, std::unique_ptr<llvm::MemoryBuffer>> externalFiles;
};

} // namespace onnxc

#endif // ONNXC_COMPILER_MODELFILE_H
