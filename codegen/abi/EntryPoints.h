//===- EntryPoints.h - the exported C ABI of a model object ----*- C++ -*-===//
#ifndef ONNXC_CODEGEN_ABI_ENTRYPOINTS_H
#define ONNXC_CODEGEN_ABI_ENTRYPOINTS_H

#include "codegen/ModelSignature.h"

#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

namespace onnxc {

/// Adds `<name>_run`, `<name>_run_v` and the constant `<name>_info` to
/// `module`. The lowered graph function `sig.graphFunction` takes (inputs...,
/// outputs..., workspace) as bare pointers; it becomes internal, so the object
/// exports exactly the three symbols of model.h.
llvm::Error addEntryPoints(llvm::Module &module, const ModelSignature &sig);

} // namespace onnxc

#endif // ONNXC_CODEGEN_ABI_ENTRYPOINTS_H
