//===- OutputFiles.cpp - all-or-nothing output files ----------------------===//
#include "compiler/OutputFiles.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

namespace onnxc {

bool OutputFiles::commit() {
  std::vector<std::pair<std::string, std::string>> staged; // temp path -> final path
  auto discard = [&] {
    for (auto &[temp, final] : staged)
      llvm::sys::fs::remove(temp);
  };
  for (auto &[path, contents] : files) {
    if (path == "-") {
      llvm::outs() << contents;
      llvm::outs().flush();
      continue;
    }
    int fd;
    llvm::SmallString<256> temp;
    if (auto ec = llvm::sys::fs::createUniqueFile(path + "-%%%%%%.tmp", fd, temp)) {
      llvm::errs() << path << ": cannot write: " << ec.message() << "\n";
      discard();
      return false;
    }
    staged.emplace_back(std::string(temp), path);
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << contents;
    os.close();
    if (os.has_error()) {
      llvm::errs() << path << ": cannot write: " << os.error().message() << "\n";
      os.clear_error();
      discard();
      return false;
    }
  }
  for (auto &[temp, final] : staged)
    if (auto ec = llvm::sys::fs::rename(temp, final)) {
      llvm::errs() << final << ": cannot write: " << ec.message() << "\n";
      discard();
      return false;
    }
  return true;
}

} // namespace onnxc
