//===- TargetEmitter.h - LLVM IR to optimised object or assembly -*- C++ -*-===//
#ifndef ONNXC_CODEGEN_LLVM_TARGETEMITTER_H
#define ONNXC_CODEGEN_LLVM_TARGETEMITTER_H

#include "llvm/IR/Module.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>

namespace onnxc {

struct TargetOptions {
  std::string triple;   ///< Empty: the host.
  std::string cpu;      ///< Empty: the host CPU for the host triple, "generic" otherwise.
  std::string features; ///< Extra "+feat,-feat" on top of the CPU's.
  int optLevel = 2;     ///< -O0..-O3.
};

/// Creates the TargetMachine for `options` (registering LLVM's targets once).
llvm::Expected<std::unique_ptr<llvm::TargetMachine>> createTargetMachine(const TargetOptions &options);

/// The runtime-lite microkernel ISA for the target: "avx512", "avx2" (with
/// FMA), "neon" (AArch64) or "generic" (any other target; portable C).
std::string selectMicrokernelIsa(const llvm::TargetMachine &tm);

/// Sets the module's triple and data layout from `tm` and runs LLVM's
/// standard -O pipeline on it.
void optimizeModule(llvm::Module &module, llvm::TargetMachine &tm, int optLevel);

/// Writes `module` as an object file or assembly to `out`.
llvm::Error emitMachineCode(llvm::Module &module, llvm::TargetMachine &tm,
                            llvm::CodeGenFileType type, llvm::raw_pwrite_stream &out);

} // namespace onnxc

#endif // ONNXC_CODEGEN_LLVM_TARGETEMITTER_H
