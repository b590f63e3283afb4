//===- UKernelSupport.cpp - calling runtime-lite microkernels -------------===//
#include "passes/cpu/UKernelSupport.h"

#include "ir/ConstantData.h"
#include "passes/Passes.h"
#include "onnxc/ukernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include <cmath>

using namespace mlir;

namespace onnxc::ukernel {

std::optional<IsaInfo> lookupIsa(StringRef name) {
  if (name == "avx512")
    return IsaInfo{"avx512", ONNXC_UK_AVX512_MR, ONNXC_UK_AVX512_NR, ONNXC_UK_AVX512_DIRECT};
  if (name == "avx2")
    return IsaInfo{"avx2", ONNXC_UK_AVX2_MR, ONNXC_UK_AVX2_NR, ONNXC_UK_AVX2_DIRECT};
  if (name == "neon")
    return IsaInfo{"neon", ONNXC_UK_NEON_MR, ONNXC_UK_NEON_NR, ONNXC_UK_NEON_DIRECT};
  if (name == "generic")
    return IsaInfo{"generic", ONNXC_UK_GENERIC_MR, ONNXC_UK_GENERIC_NR, ONNXC_UK_GENERIC_DIRECT};
  return std::nullopt;
}

std::optional<SmallVector<int64_t>> staticStrides(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) ||
      llvm::any_of(strides, ShapedType::isDynamic))
    return std::nullopt;
  return strides;
}

namespace {

/// The f32 values of a constant global's initial value.
std::optional<std::vector<float>> globalData(memref::GlobalOp global) {
  if (!global.getConstant() || !global.getInitialValue())
    return std::nullopt;
  return readF32Elements(*global.getInitialValue());
}

} // namespace

std::optional<ConstantView> readConstantView(Value value, ModuleOp module) {
  auto type = dyn_cast<MemRefType>(value.getType());
  if (!type)
    return std::nullopt;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) || ShapedType::isDynamic(offset) ||
      llvm::any_of(strides, ShapedType::isDynamic))
    return std::nullopt;
  // Only views that keep addressing the same bytes: the view's own layout
  // then describes its elements relative to the global's base.
  Value root = value;
  while (Operation *def = root.getDefiningOp()) {
    if (isa<memref::GetGlobalOp>(def))
      break;
    if (!isa<memref::ExpandShapeOp, memref::CollapseShapeOp, memref::SubViewOp, memref::CastOp,
             memref::ReinterpretCastOp>(def))
      return std::nullopt;
    root = cast<ViewLikeOpInterface>(def).getViewSource();
  }
  auto get = root.getDefiningOp<memref::GetGlobalOp>();
  if (!get || !get.getType().getLayout().isIdentity())
    return std::nullopt;
  auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(get, get.getNameAttr());
  if (!global)
    return std::nullopt;
  auto data = globalData(global);
  if (!data)
    return std::nullopt;
  return ConstantView{global, std::move(*data), offset, strides};
}

memref::GlobalOp PackedGlobals::get(StringRef base, StringRef tag,
                                    function_ref<std::vector<float>()> pack) {
  std::string key = (base + "." + tag).str();
  if (auto it = cache.find(key); it != cache.end())
    return it->second;
  std::vector<float> data = pack();
  MLIRContext *ctx = module.getContext();
  auto type = MemRefType::get({static_cast<int64_t>(data.size())}, Float32Type::get(ctx));
  auto init = makeF32Resource(RankedTensorType::get(type.getShape(), type.getElementType()), data,
                              "packed_weight");
  OpBuilder b(module.getBodyRegion());
  b.setInsertionPointToStart(module.getBody());
  auto global = memref::GlobalOp::create(
      b, module.getLoc(), b.getStringAttr((base + "_" + tag).str()), b.getStringAttr("private"),
      TypeAttr::get(type), init, /*constant=*/b.getUnitAttr(), b.getI64IntegerAttr(64));
  SymbolTable(module).insert(global); // Renames on a clash.
  cache[key] = global;
  return global;
}

std::vector<float> packA(const std::vector<float> &data, int64_t offset, int64_t rs, int64_t cs,
                         int64_t m, int64_t k, int64_t mr) {
  std::vector<float> out(onnxc_uk_packed_a_floats(mr, m, k), 0.0f);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t kk = 0; kk < k; ++kk)
      out[(i / mr) * k * mr + kk * mr + i % mr] = data[offset + i * rs + kk * cs];
  return out;
}

std::vector<float> packB(const std::vector<float> &data, int64_t offset, int64_t rs, int64_t cs,
                         int64_t k, int64_t n, int64_t nr) {
  std::vector<float> out(onnxc_uk_packed_b_floats(nr, k, n), 0.0f);
  for (int64_t kk = 0; kk < k; ++kk)
    for (int64_t j = 0; j < n; ++j)
      out[(j / nr) * k * nr + kk * nr + j % nr] = data[offset + kk * rs + j * cs];
  return out;
}

std::optional<int64_t> coefficient(AffineExpr expr, unsigned dim) {
  if (auto d = dyn_cast<AffineDimExpr>(expr))
    return d.getPosition() == dim ? 1 : 0;
  if (isa<AffineConstantExpr>(expr))
    return 0;
  auto bin = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!bin)
    return std::nullopt;
  if (bin.getKind() == AffineExprKind::Add) {
    auto l = coefficient(bin.getLHS(), dim), r = coefficient(bin.getRHS(), dim);
    if (!l || !r)
      return std::nullopt;
    return *l + *r;
  }
  if (bin.getKind() == AffineExprKind::Mul)
    if (auto c = dyn_cast<AffineConstantExpr>(bin.getRHS())) {
      auto l = coefficient(bin.getLHS(), dim);
      if (!l)
        return std::nullopt;
      return *l * c.getValue();
    }
  return std::nullopt;
}

std::optional<SmallVector<unsigned>> plainDims(AffineMap map) {
  SmallVector<unsigned> dims;
  for (AffineExpr e : map.getResults()) {
    auto d = dyn_cast<AffineDimExpr>(e);
    if (!d)
      return std::nullopt;
    dims.push_back(d.getPosition());
  }
  return dims;
}

bool isDense(MemRefType type) {
  auto strides = staticStrides(type);
  if (!strides)
    return false;
  int64_t expected = 1;
  for (int64_t d = type.getRank() - 1; d >= 0; --d) {
    if (type.getDimSize(d) != 1 && (*strides)[d] != expected)
      return false;
    expected *= type.getDimSize(d);
  }
  return true;
}

Value CallBuilder::i64(int64_t v) {
  return arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(v));
}

Value CallBuilder::f32(float v) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
}

Value CallBuilder::nullPtr() {
  return LLVM::ZeroOp::create(b, loc, LLVM::LLVMPointerType::get(b.getContext()));
}

Value CallBuilder::pointer(Value memref, Value extraElements) {
  auto type = cast<MemRefType>(memref.getType());
  Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, memref);
  auto meta = memref::ExtractStridedMetadataOp::create(b, loc, memref);
  Value elements = meta.getOffset();
  if (extraElements)
    elements = arith::AddIOp::create(b, loc, elements, extraElements);
  int64_t width = type.getElementTypeBitWidth() / 8;
  Value bytes = arith::MulIOp::create(b, loc, elements,
                                      arith::ConstantIndexOp::create(b, loc, width));
  Value address = arith::AddIOp::create(b, loc, base, bytes);
  Value asInt = arith::IndexCastOp::create(b, loc, b.getI64Type(), address);
  return LLVM::IntToPtrOp::create(b, loc, LLVM::LLVMPointerType::get(b.getContext()), asInt);
}

Value CallBuilder::scratch(int64_t floats) {
  if (floats <= 0)
    return nullPtr();
  auto type = MemRefType::get({floats}, b.getF32Type());
  Value buffer = memref::AllocOp::create(b, loc, type, b.getI64IntegerAttr(64));
  return pointer(buffer);
}

Value executorArgument(func::FuncOp func) {
  unsigned n = func.getNumArguments();
  for (unsigned i = 0; i < n; ++i)
    if (func.getArgAttr(i, kExecutorArgAttr))
      return func.getArgument(i);
  unsigned at = n > 0 && func->hasAttr(kWorkspaceSizeAttr) ? n - 1 : n;
  Builder b(func.getContext());
  (void)func.insertArgument(at, LLVM::LLVMPointerType::get(func.getContext()),
                            b.getDictionaryAttr(b.getNamedAttr(kExecutorArgAttr, b.getUnitAttr())),
                            func.getLoc());
  return func.getArgument(at);
}

void CallBuilder::call(ModuleOp module, StringRef callee, ValueRange args) {
  auto fnType = b.getFunctionType(TypeRange(args), {});
  if (!module.lookupSymbol<func::FuncOp>(callee)) {
    OpBuilder mb(module.getBodyRegion());
    mb.setInsertionPointToEnd(module.getBody());
    auto decl = func::FuncOp::create(mb, loc, callee, fnType);
    decl.setPrivate();
  }
  func::CallOp::create(b, loc, callee, TypeRange{}, args);
}

} // namespace onnxc::ukernel
