//===- TargetEmitter.cpp - LLVM IR to optimised object or assembly --------===//
#include "codegen/llvm/TargetEmitter.h"

#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/TargetParser/Triple.h"

#include <mutex>

using namespace llvm;

namespace onnxc {

Expected<std::unique_ptr<TargetMachine>> createTargetMachine(const TargetOptions &options) {
  static std::once_flag once;
  std::call_once(once, [] {
    InitializeAllTargetInfos();
    InitializeAllTargets();
    InitializeAllTargetMCs();
    InitializeAllAsmPrinters();
  });
  bool host = options.triple.empty();
  Triple triple(host ? sys::getDefaultTargetTriple() : Triple::normalize(options.triple));
  std::string error;
  const Target *target = TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return createStringError("unknown target '%s': %s", triple.str().c_str(), error.c_str());
  std::string cpu = options.cpu;
  std::string features = options.features;
  if (cpu == "native" || (cpu.empty() && host)) {
    // As clang's -march=native: the CPU and every feature it reports.
    cpu = sys::getHostCPUName().str();
    SubtargetFeatures hostFeatures;
    for (const auto &[name, enabled] : sys::getHostCPUFeatures())
      hostFeatures.AddFeature(name, enabled);
    std::string all = hostFeatures.getString();
    features = features.empty() ? all : all + "," + features;
  } else if (cpu.empty()) {
    cpu = "generic";
  }
  if (!target->hasTargetMachine())
    return createStringError("target '%s' cannot emit code", triple.str().c_str());
  llvm::TargetOptions targetOptions;
  CodeGenOptLevel level = options.optLevel <= 0   ? CodeGenOptLevel::None
                          : options.optLevel == 1 ? CodeGenOptLevel::Less
                          : options.optLevel == 2 ? CodeGenOptLevel::Default
                                                  : CodeGenOptLevel::Aggressive;
  std::unique_ptr<TargetMachine> tm(target->createTargetMachine(
      triple, cpu, features, targetOptions, Reloc::PIC_, std::nullopt, level));
  if (!tm)
    return createStringError("cannot create a target machine for '%s' (cpu '%s')",
                             triple.str().c_str(), cpu.c_str());
  return tm;
}

std::string selectMicrokernelIsa(const TargetMachine &tm) {
  const Triple &triple = tm.getTargetTriple();
  const MCSubtargetInfo *sti = tm.getMCSubtargetInfo();
  if (triple.getArch() == Triple::x86_64) {
    // The features the CPU name implies count too, so ask the subtarget.
    if (sti->checkFeatures("+avx512f,+avx512vl,+avx512bw,+avx512dq,+fma"))
      return "avx512";
    if (sti->checkFeatures("+avx2,+fma"))
      return "avx2";
  }
  if (triple.getArch() == Triple::aarch64 && sti->checkFeatures("+neon"))
    return "neon";
  return "generic";
}

void optimizeModule(Module &module, TargetMachine &tm, int optLevel) {
  module.setTargetTriple(tm.getTargetTriple());
  module.setDataLayout(tm.createDataLayout());
  LoopAnalysisManager lam;
  FunctionAnalysisManager fam;
  CGSCCAnalysisManager cgam;
  ModuleAnalysisManager mam;
  PassBuilder pb(&tm);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  OptimizationLevel level = optLevel <= 0   ? OptimizationLevel::O0
                            : optLevel == 1 ? OptimizationLevel::O1
                            : optLevel == 2 ? OptimizationLevel::O2
                                            : OptimizationLevel::O3;
  ModulePassManager mpm = level == OptimizationLevel::O0
                              ? pb.buildO0DefaultPipeline(level)
                              : pb.buildPerModuleDefaultPipeline(level);
  mpm.run(module, mam);
}

Error emitMachineCode(Module &module, TargetMachine &tm, CodeGenFileType type,
                      raw_pwrite_stream &out) {
  legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, out, nullptr, type))
    return createStringError("the target cannot emit this file type");
  pm.run(module);
  return Error::success();
}

} // namespace onnxc
