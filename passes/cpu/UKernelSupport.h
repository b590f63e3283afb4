//===- UKernelSupport.h - calling runtime-lite microkernels ----*- C++ -*-===//
//
// What onnxc-contractions-to-ukernels needs besides matching: the blocking of
// each microkernel ISA, compile-time packing of constant operands into the
// layouts of runtime-lite/include/onnxc/ukernel.h, and the pieces of a call
// (raw element pointers into memrefs, callee declarations, scratch buffers).
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_PASSES_CPU_UKERNELSUPPORT_H
#define ONNXC_PASSES_CPU_UKERNELSUPPORT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

#include <optional>
#include <vector>

namespace onnxc::ukernel {

/// Register blocking of one microkernel ISA (ukernel.h's ONNXC_UK_<ISA>_MR/NR).
struct IsaInfo {
  llvm::StringRef name; ///< Symbol suffix: onnxc_uk_sgemm_<name>.
  int64_t mr, nr;
  int direct; ///< ONNXC_UK_<ISA>_DIRECT: convolutions may read their input in place.
};
std::optional<IsaInfo> lookupIsa(llvm::StringRef name);

/// The values of a constant f32 memref, read through the view chain that leads
/// from `value` to a constant memref.global: element (i0, i1, ...) of `value`
/// is data[offset + sum(i_d * strides[d])].
struct ConstantView {
  mlir::memref::GlobalOp global;
  std::vector<float> data; ///< The whole global, row-major.
  int64_t offset = 0;
  llvm::SmallVector<int64_t> strides; ///< Of `value`'s dims, in elements.
};
std::optional<ConstantView> readConstantView(mlir::Value value, mlir::ModuleOp module);

/// A private constant f32 global holding `data`, 64-byte aligned, named after
/// `base`; identical requests (same base and tag) share one global.
class PackedGlobals {
public:
  explicit PackedGlobals(mlir::ModuleOp module) : module(module) {}
  mlir::memref::GlobalOp get(llvm::StringRef base, llvm::StringRef tag,
                       llvm::function_ref<std::vector<float>()> pack);

private:
  mlir::ModuleOp module;
  llvm::StringMap<mlir::memref::GlobalOp> cache;
};

/// Packs the M x K matrix A(i, k) = view[offset + i*rs + k*cs] into MR-row
/// panels, or the K x N matrix B(k, j) into NR-column panels (ukernel.h).
std::vector<float> packA(const std::vector<float> &data, int64_t offset, int64_t rs, int64_t cs,
                         int64_t m, int64_t k, int64_t mr);
std::vector<float> packB(const std::vector<float> &data, int64_t offset, int64_t rs, int64_t cs,
                         int64_t k, int64_t n, int64_t nr);

/// Static strides of a memref type, or nullopt when its layout is not static.
std::optional<llvm::SmallVector<int64_t>> staticStrides(mlir::MemRefType type);

/// The coefficient of loop `dim` in an affine expression that is linear in it
/// (sums and constant multiples of dims), or nullopt.
std::optional<int64_t> coefficient(mlir::AffineExpr expr, unsigned dim);

/// A memref whose static strides are the dense row-major ones (unit dims aside).
bool isDense(mlir::MemRefType type);

/// The dims of a map whose results are all plain dims, in result order, or nullopt.
std::optional<llvm::SmallVector<unsigned>> plainDims(mlir::AffineMap map);

/// The function's `!llvm.ptr {onnxc.executor}` argument, added on first use: last, or
/// just before the workspace once onnxc-plan-workspace has appended it (the entry
/// points pass the executor there).
mlir::Value executorArgument(mlir::func::FuncOp func);

/// Emits the calls; every helper inserts at the builder's insertion point.
class CallBuilder {
public:
  CallBuilder(mlir::OpBuilder &b, mlir::Location loc) : b(b), loc(loc) {}
  mlir::Value i64(int64_t v);
  mlir::Value f32(float v);
  mlir::Value nullPtr();
  /// !llvm.ptr to the element of `memref` at its layout offset plus
  /// `extraElements` (an index value, or null for none).
  mlir::Value pointer(mlir::Value memref, mlir::Value extraElements = nullptr);
  /// A 64-byte aligned f32 scratch buffer of `floats` elements, or null ptr.
  mlir::Value scratch(int64_t floats);
  /// Calls `callee`, declaring it in `module` on first use.
  void call(mlir::ModuleOp module, llvm::StringRef callee, mlir::ValueRange args);

private:
  mlir::OpBuilder &b;
  mlir::Location loc;
};

} // namespace onnxc::ukernel

#endif // ONNXC_PASSES_CPU_UKERNELSUPPORT_H
