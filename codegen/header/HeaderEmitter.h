//===- HeaderEmitter.h - the generated model.h -----------------*- C++ -*-===//
#ifndef ONNXC_CODEGEN_HEADER_HEADEREMITTER_H
#define ONNXC_CODEGEN_HEADER_HEADEREMITTER_H

#include "codegen/ModelSignature.h"

#include <string>

namespace onnxc {

/// The C header declaring `<name>_run`, `<name>_run_v`, `<name>_info` and the
/// workspace macros for `sig`.
std::string emitHeader(const ModelSignature &sig);

/// `name` made into a C identifier (invalid characters become '_').
std::string toCIdentifier(const std::string &name);

} // namespace onnxc

#endif // ONNXC_CODEGEN_HEADER_HEADEREMITTER_H
