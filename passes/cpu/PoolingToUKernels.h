//===- PoolingToUKernels.h - max pooling to runtime-lite ------*- C++ -*-===//
//
// The pooling op family of onnxc-contractions-to-ukernels (PoolingToUKernels.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_PASSES_CPU_POOLINGTOUKERNELS_H
#define ONNXC_PASSES_CPU_POOLINGTOUKERNELS_H

#include "passes/cpu/UKernelSupport.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace onnxc::ukernel {

/// Replaces the 2-D max pooling generic `op` (with the -inf fill of its output
/// and the -inf-padded copy of its input) by a call to `callee`
/// (onnxc_uk_smaxpool2d_mt_<isa>); `tasking` appends the executor arguments.
/// On success everything but `op` itself is erased; the caller erases `op`.
mlir::LogicalResult
rewriteMaxPool2D(mlir::linalg::GenericOp op, mlir::ModuleOp module, llvm::StringRef callee,
                 llvm::function_ref<void(CallBuilder &, llvm::SmallVector<mlir::Value> &)> tasking);

} // namespace onnxc::ukernel

#endif // ONNXC_PASSES_CPU_POOLINGTOUKERNELS_H
