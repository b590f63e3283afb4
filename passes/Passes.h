//===- Passes.h - onnxc passes ----------------------------------*- C++ -*-===//
#ifndef ONNXC_PASSES_PASSES_H
#define ONNXC_PASSES_PASSES_H

#include "ir/ONNXDialect.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace onnxc {

#define GEN_PASS_DECL
#include "passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"

/// Function attributes that carry the memory plan to codegen and the header.
constexpr llvm::StringLiteral kWorkspaceSizeAttr = "onnxc.workspace_size";
constexpr llvm::StringLiteral kWorkspaceLowerBoundAttr = "onnxc.workspace_lower_bound";
/// Marks the graph function's onnxc_executor argument (microkernel calls).
constexpr llvm::StringLiteral kExecutorArgAttr = "onnxc.executor";
/// On a parallel-loop launch declaration (onnxc-parallelize-loops): its body
/// function, iteration count and task limit, for onnxc-define-loop-launches.
constexpr llvm::StringLiteral kLoopLaunchAttr = "onnxc.loop_launch";

} // namespace onnxc

#endif // ONNXC_PASSES_PASSES_H
