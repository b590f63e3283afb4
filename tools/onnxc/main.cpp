//===- main.cpp - the onnxc command line ----------------------------------===//
//
//   onnxc MODEL.onnx -o OUT.o [--name N] [--emit obj|asm|llvm|mlir|mlir-lowered|header]
//         [--target TRIPLE] [--cpu CPU] [--features F] [-O0..3] [--shape in:1x3x224x224]...
//
// Exit codes: 0 ok, 1 bad or unsupported model, 2 bad usage.
//
//===----------------------------------------------------------------------===//
#include "compiler/Pipeline.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cctype>
#include <iostream>

namespace {

bool isCIdentifier(const std::string &s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0])))
    return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
      return false;
  return true;
}

/// Parses "name:1x3x224x224" into the shape map; false on malformed text.
bool parseShape(const std::string &text, std::map<std::string, std::vector<int64_t>> &shapes) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    return false;
  std::vector<int64_t> dims;
  std::string rest = text.substr(colon + 1);
  size_t pos = 0;
  while (pos <= rest.size()) {
    size_t x = rest.find('x', pos);
    std::string part = rest.substr(pos, x == std::string::npos ? std::string::npos : x - pos);
    if (part.empty() || part.size() > 12 ||
        part.find_first_not_of("0123456789") != std::string::npos)
      return false;
    dims.push_back(std::stoll(part));
    if (x == std::string::npos)
      break;
    pos = x + 1;
  }
  shapes[text.substr(0, colon)] = dims;
  return true;
}

/// Parses "4096", "64K", "512M", "4G" into bytes.
bool parseSize(const std::string &text, int64_t &bytes) {
  if (text.empty() || text.size() > 12)
    return false;
  int64_t scale = 1;
  std::string digits = text;
  switch (text.back()) {
  case 'K': case 'k': scale = int64_t(1) << 10; digits.pop_back(); break;
  case 'M': case 'm': scale = int64_t(1) << 20; digits.pop_back(); break;
  case 'G': case 'g': scale = int64_t(1) << 30; digits.pop_back(); break;
  }
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos)
    return false;
  int64_t value = std::stoll(digits);
  if (value <= 0 || value > (int64_t(1) << 50) / scale)
    return false;
  bytes = value * scale;
  return true;
}

} // namespace

int main(int argc, char **argv) {
  // -O0..-O3 are LLVM-style single-dash flags; turn them into --opt-level N
  // before CLI11 sees them.
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.size() == 3 && a[0] == '-' && a[1] == 'O' && a[2] >= '0' && a[2] <= '3') {
      args.push_back("--opt-level");
      args.push_back(std::string(1, a[2]));
    } else {
      args.push_back(a);
    }
  }
  std::reverse(args.begin(), args.end()); // CLI11 consumes a reversed vector.

  CLI::App app{"onnxc: compile an ONNX model to an object file with a C entry point"};
  app.set_version_flag("--version", "onnxc 0.1.0 (LLVM/MLIR 22)");
  onnxc::CompilerOptions options;
  std::string emit = "obj";
  std::vector<std::string> shapes;
  int optLevel = 2;
  app.add_option("model", options.modelPath, "The ONNX model (.onnx)")->required();
  app.add_option("-o,--output", options.output,
                 "Output file (default NAME.o; '-' or default for text: stdout)");
  app.add_option("--name", options.name, "Prefix of the exported symbols and the header name")
      ->capture_default_str();
  app.add_option("--emit", emit, "obj, asm, llvm, mlir, mlir-lowered or header")
      ->check(CLI::IsMember({"obj", "asm", "llvm", "mlir", "mlir-lowered", "header"}))
      ->capture_default_str();
  app.add_option("--target", options.target.triple, "Target triple (default: the host)");
  app.add_option("--cpu", options.target.cpu,
                 "Target CPU (default: the host CPU for the host, generic otherwise; 'native')");
  app.add_option("--features", options.target.features, "Target features, e.g. +avx2,-avx512f");
  app.add_option("--opt-level", optLevel, "Optimisation level (or -O0..-O3)")
      ->check(CLI::Range(0, 3));
  app.add_option("--shape", shapes, "Fix an input's shape: NAME:D0xD1x... (repeatable)");
  std::string maxSize = "4G";
  app.add_option("--max-size", maxSize,
                 "Refuse models whose tensors, weights or workspace exceed this many bytes "
                 "(suffixes K, M, G)")
      ->capture_default_str();
  app.add_option("--ukernels", options.ukernels,
                 "Microkernels for f32 matmul/conv: auto (from the target), none, avx512, "
                 "avx2, neon or generic")
      ->check(CLI::IsMember({"auto", "none", "avx512", "avx2", "neon", "generic"}))
      ->capture_default_str();
  app.add_option("--threads", options.maxThreads,
                 "Most threads <name>_run_ex splits a kernel or a loop nest over (each adds kernel scratch to "
                 "the workspace)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_flag("--print-ir-after-all", options.printIRAfterAll, "Print the IR after every pass");
  try {
    app.parse(args);
  } catch (const CLI::ParseError &e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  options.target.optLevel = optLevel;
  if (!isCIdentifier(options.name)) {
    std::cerr << fmt::format("onnxc: --name '{}' is not a C identifier\n", options.name);
    return 2;
  }
  if (!parseSize(maxSize, options.maxBytes)) {
    std::cerr << fmt::format("onnxc: --max-size '{}' is not a byte count like 512M or 4G\n", maxSize);
    return 2;
  }
  for (const std::string &s : shapes)
    if (!parseShape(s, options.inputShapes)) {
      std::cerr << fmt::format("onnxc: --shape '{}' is not NAME:D0xD1x... with positive dims\n", s);
      return 2;
    }
  static const std::map<std::string, onnxc::EmitKind> kinds = {
      {"obj", onnxc::EmitKind::Object},     {"asm", onnxc::EmitKind::Assembly},
      {"llvm", onnxc::EmitKind::LLVMIR},    {"mlir", onnxc::EmitKind::MLIR},
      {"mlir-lowered", onnxc::EmitKind::LoweredMLIR}, {"header", onnxc::EmitKind::Header}};
  options.emit = kinds.at(emit);
  if (options.emit == onnxc::EmitKind::Object && options.output == "-") {
    std::cerr << "onnxc: refusing to write an object file to stdout\n";
    return 2;
  }
  onnxc::registerCompilerPasses();
  return onnxc::compileModel(options);
}
