//===- ModelFile.cpp - reading an ONNX model and its external data --------===//
#include "compiler/ModelFile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <fmt/format.h>
#include <google/protobuf/io/coded_stream.h>

namespace onnxc {

std::unique_ptr<ModelFile> ModelFile::load(const std::string &path, std::string &error) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    error = fmt::format("{}: cannot read the file: {}", path, buffer.getError().message());
    return nullptr;
  }
  return parse(std::move(*buffer), path, error);
}

std::unique_ptr<ModelFile> ModelFile::parse(std::unique_ptr<llvm::MemoryBuffer> buffer,
                                            const std::string &path, std::string &error,
                                            bool allowExternalData) {
  auto file = std::unique_ptr<ModelFile>(new ModelFile());
  file->modelPath = path;
  file->allowExternalData = allowExternalData;
  llvm::SmallString<256> dir(path);
  llvm::sys::path::remove_filename(dir);
  file->modelDir = dir.empty() ? "." : std::string(dir);

  const auto *data = reinterpret_cast<const uint8_t *>(buffer->getBufferStart());
  size_t size = buffer->getBufferSize();
  if (size > static_cast<size_t>(INT32_MAX)) {
    error = fmt::format("{}: the model is {} bytes; protobuf files over 2 GiB are not "
                        "supported (store the weights as external data)", path, size);
    return nullptr;
  }
  google::protobuf::io::CodedInputStream stream(data, static_cast<int>(size));
  // Deeply nested subgraphs (GRAPH attributes inside GRAPH attributes) are
  // refused, not followed: protobuf's parser recurses once per level.
  constexpr int kRecursionLimit = 64;
  stream.SetRecursionLimit(kRecursionLimit);
  if (!file->model.ParseFromCodedStream(&stream) || !stream.ConsumedEntireMessage()) {
    // protobuf does not say why a parse failed; a second parse with a larger
    // (still stack-safe) limit tells "too deep" from "not a model".
    google::protobuf::io::CodedInputStream retry(data, static_cast<int>(size));
    retry.SetRecursionLimit(1000);
    ::onnx::ModelProto probe;
    if (probe.ParseFromCodedStream(&retry) && retry.ConsumedEntireMessage())
      error = fmt::format("{}: not a valid ONNX model (messages nest more than {} levels "
                          "deep, e.g. subgraphs inside subgraphs)", path, kRecursionLimit);
    else
      error = fmt::format("{}: not a valid ONNX model (the protobuf does not parse; the file "
                          "may be truncated or not a model)", path);
    return nullptr;
  }
  if (!file->model.has_graph() || file->model.ir_version() <= 0) {
    error = fmt::format("{}: not a valid ONNX model (no graph or no ir_version)", path);
    return nullptr;
  }
  return file;
}

bool ModelFile::externalData(const ::onnx::TensorProto &tensor, llvm::StringRef &bytes,
                             std::string &error) {
  if (!allowExternalData) {
    error = "external data is not allowed here";
    return false;
  }
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto &entry : tensor.external_data()) {
    const std::string &key = entry.key(), &value = entry.value();
    if (key == "location") {
      location = value;
    } else if (key == "offset" || key == "length") {
      char *end = nullptr;
      long long parsed = std::strtoll(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || parsed < 0) {
        error = fmt::format("external data {} '{}' is not a non-negative integer", key, value);
        return false;
      }
      (key == "offset" ? offset : length) = parsed;
    }
  }
  if (location.empty()) {
    error = "external data has no location";
    return false;
  }
  // The location must name a file inside the model's folder: no absolute
  // path, no '..', and no symlink that resolves outside.
  if (llvm::sys::path::is_absolute(location) || location.find('\\') != std::string::npos) {
    error = fmt::format("external data location '{}' is not a relative path", location);
    return false;
  }
  for (auto it = llvm::sys::path::begin(location), e = llvm::sys::path::end(location); it != e;
       ++it)
    if (*it == "..") {
      error = fmt::format("external data location '{}' leaves the model's folder", location);
      return false;
    }
  llvm::SmallString<256> full(modelDir);
  llvm::sys::path::append(full, location);
  llvm::SmallString<256> realDir, realFile;
  if (llvm::sys::fs::real_path(modelDir, realDir) || llvm::sys::fs::real_path(full, realFile)) {
    error = fmt::format("cannot open external data file '{}'", std::string(full));
    return false;
  }
  llvm::StringRef fileRef(realFile);
  if (!fileRef.starts_with(realDir) || fileRef.size() <= realDir.size() ||
      !llvm::sys::path::is_separator(fileRef[realDir.size()])) {
    error = fmt::format("external data location '{}' resolves outside the model's folder",
                        location);
    return false;
  }
  auto &buffer = externalFiles[std::string(realFile)];
  if (!buffer) {
    auto mapped = llvm::MemoryBuffer::getFile(realFile, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    if (!mapped) {
      error = fmt::format("cannot read external data file '{}': {}", std::string(full),
                          mapped.getError().message());
      return false;
    }
    buffer = std::move(*mapped);
  }
  int64_t fileSize = static_cast<int64_t>(buffer->getBufferSize());
  if (length < 0)
    length = fileSize - std::min(offset, fileSize);
  if (offset > fileSize || length > fileSize - offset) {
    // (offset + length may overflow: print them apart.)
    error = fmt::format("external data at offset {} with length {} lies outside '{}' ({} bytes)",
                        offset, length, location, fileSize);
    return false;
  }
  bytes = buffer->getBuffer().substr(offset, length);
  return true;
}

} // namespace onnxc
