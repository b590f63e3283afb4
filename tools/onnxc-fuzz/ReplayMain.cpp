//===- ReplayMain.cpp - run fuzz inputs through the target without libFuzzer ===//
//
//   onnxc-fuzz-replay FILE_OR_DIR...
//
// Calls LLVMFuzzerTestOneInput (FuzzFrontEnd.cpp) once per file, directories
// taken one level deep in sorted order, so the committed regression inputs and
// the seed corpus run in every build -- including the normal and sanitizer
// builds, which have no libFuzzer runtime. A crash or sanitizer report fails
// the process, which is the point; otherwise it exits 0 after printing how
// many inputs ran. An input slower than --slow-ms seconds also fails: the
// fuzzer's -timeout only guards fuzzing, this guards the replay in CI.
//
//===----------------------------------------------------------------------===//
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {

/// Expands a directory to its regular files (sorted, so runs are repeatable);
/// a file stands for itself. Returns false if the path does not exist.
bool collect(const std::string &path, std::vector<std::string> &files) {
  if (!llvm::sys::fs::exists(path))
    return false;
  if (!llvm::sys::fs::is_directory(path)) {
    files.push_back(path);
    return true;
  }
  std::vector<std::string> found;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(path, ec), end; it != end && !ec; it.increment(ec)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    // README and friends document the corpus; they are not inputs.
    if (name.starts_with(".") || name.ends_with(".md"))
      continue;
    if (llvm::sys::fs::is_regular_file(it->path()))
      found.push_back(it->path());
  }
  std::sort(found.begin(), found.end());
  files.insert(files.end(), found.begin(), found.end());
  return !ec;
}

} // namespace

int main(int argc, char **argv) {
  std::vector<std::string> files;
  double slowLimitMs = 60000; // generous: sanitizer builds are ~3x slower
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg(argv[i]);
    if (arg.consume_front("--slow-ms=")) {
      if (arg.getAsDouble(slowLimitMs)) {
        std::fprintf(stderr, "onnxc-fuzz-replay: bad --slow-ms value\n");
        return 2;
      }
      continue;
    }
    if (!collect(argv[i], files)) {
      std::fprintf(stderr, "onnxc-fuzz-replay: cannot read '%s'\n", argv[i]);
      return 2;
    }
  }
  if (argc < 2) {
    std::fprintf(stderr, "usage: onnxc-fuzz-replay [--slow-ms=N] FILE_OR_DIR...\n");
    return 2;
  }
  int slow = 0;
  for (const std::string &path : files) {
    auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    if (!buffer) {
      std::fprintf(stderr, "onnxc-fuzz-replay: cannot read '%s'\n", path.c_str());
      return 2;
    }
    // Name the input before running it, so a crash report can be traced back.
    std::fprintf(stderr, "running %s\n", path.c_str());
    // Copy into an exactly-sized heap block: ASan then catches reads past the
    // end, as it does under libFuzzer (a mapped file has slack after it).
    std::vector<uint8_t> bytes((*buffer)->getBufferStart(), (*buffer)->getBufferEnd());
    auto start = std::chrono::steady_clock::now();
    LLVMFuzzerTestOneInput(bytes.empty() ? nullptr : bytes.data(), bytes.size());
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count();
    if (ms > slowLimitMs) {
      std::fprintf(stderr, "SLOW %s: %.0f ms (limit %.0f)\n", path.c_str(), ms, slowLimitMs);
      ++slow;
    }
  }
  std::printf("onnxc-fuzz-replay: %zu inputs, %d too slow\n", files.size(), slow);
  return slow ? 1 : 0;
}
