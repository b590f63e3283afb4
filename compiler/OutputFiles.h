//===- OutputFiles.h - all-or-nothing output files -------------*- C++ -*-===//
#ifndef ONNXC_COMPILER_OUTPUTFILES_H
#define ONNXC_COMPILER_OUTPUTFILES_H

#include <string>
#include <utility>
#include <vector>

namespace onnxc {

/// Collects the contents of every output, then writes each to a temporary
/// file beside its destination and renames them all into place only when
/// every write succeeded: a failed or interrupted run leaves no partial file.
class OutputFiles {
public:
  void add(std::string path, std::string contents) {
    files.emplace_back(std::move(path), std::move(contents));
  }
  /// "-" as a path means stdout. Prints an error and returns false on failure.
  bool commit();

private:
  std::vector<std::pair<std::string, std::string>> files;
};

} // namespace onnxc

#endif // ONNXC_COMPILER_OUTPUTFILES_H
