//===- DecompositionBuilder.h - building onnx ops in graph rewrites -*- C++ -*-===//
//
// The decomposition passes (Attention, losses, recurrent ops, ...) rewrite one onnx op into
// several after shape inference. Each new op is created with an unranked result and refined
// at once by its own shape rule, so every value they build is static and later patterns see
// the same IR a model spelling the decomposition out would give.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_PASSES_GRAPH_DECOMPOSITIONBUILDER_H
#define ONNXC_PASSES_GRAPH_DECOMPOSITIONBUILDER_H

#include "passes/Passes.h"

#include "llvm/ADT/TypeSwitch.h"

namespace onnxc {

struct DecompositionBuilder {
  mlir::OpBuilder &b;
  mlir::Location loc;
  /// What is being decomposed, for the internal error ("Attention", "a loss").
  llvm::StringRef what;
  bool failed = false;

  template <typename OpTy>
  mlir::Value make(mlir::Type elem, mlir::ValueRange operands,
                   llvm::ArrayRef<mlir::NamedAttribute> attrs = {}) {
    auto op = OpTy::create(b, loc, mlir::TypeRange{mlir::UnrankedTensorType::get(elem)}, operands, attrs);
    if (mlir::failed(llvm::cast<onnx::ShapeInferenceOpInterface>(op.getOperation()).inferShapes()) ||
        !onnx::getStaticType(op->getResult(0))) {
      failed = true;
      op->emitError() << "internal: the decomposition of " << what << " built an invalid "
                      << OpTy::getOperationName();
    }
    return op->getResult(0);
  }
  mlir::Type elemOf(mlir::Value v) { return llvm::cast<mlir::ShapedType>(v.getType()).getElementType(); }
  llvm::ArrayRef<int64_t> shapeOf(mlir::Value v) {
    return llvm::cast<mlir::RankedTensorType>(v.getType()).getShape();
  }
  mlir::NamedAttribute attr(llvm::StringRef name, int64_t v) {
    return b.getNamedAttr(name, b.getI64IntegerAttr(v));
  }
  mlir::Value constant(mlir::DenseElementsAttr value) {
    return onnx::ConstantOp::create(b, loc, llvm::cast<mlir::TensorType>(value.getType()), value);
  }
  mlir::Value i64s(llvm::ArrayRef<int64_t> values, llvm::ArrayRef<int64_t> shape) {
    return constant(mlir::DenseElementsAttr::get(mlir::RankedTensorType::get(shape, b.getI64Type()), values));
  }
  mlir::Value i64s(llvm::ArrayRef<int64_t> values) {
    return i64s(values, {static_cast<int64_t>(values.size())});
  }
  mlir::Value reshape(mlir::Value x, llvm::ArrayRef<int64_t> shape) {
    return make<onnx::ReshapeOp>(elemOf(x), {x, i64s(shape)});
  }
  mlir::Value transpose(mlir::Value x, llvm::ArrayRef<int64_t> perm) {
    return make<onnx::TransposeOp>(elemOf(x), x, {b.getNamedAttr("perm", b.getI64ArrayAttr(perm))});
  }
  /// A float constant of `shape` filled by `fn(flat index)`, in `elem`.
  mlir::Value floats(mlir::Type elem, llvm::ArrayRef<int64_t> shape, llvm::function_ref<double(int64_t)> fn) {
    auto type = mlir::RankedTensorType::get(shape, elem);
    llvm::SmallVector<mlir::Attribute> values;
    for (int64_t i = 0; i < type.getNumElements(); ++i)
      values.push_back(mlir::FloatAttr::get(elem, fn(i)));
    return constant(mlir::DenseElementsAttr::get(type, values));
  }
  mlir::Value scalar(mlir::Type elem, double v) { return floats(elem, {}, [&](int64_t) { return v; }); }
  mlir::Value castTo(mlir::Value x, mlir::Type elem) {
    if (elemOf(x) == elem)
      return x;
    return make<onnx::CastOp>(elem, x, {attr("to", onnx::codeForElementType(elem))});
  }
  /// The entries `indices` of `x` along `axis` (a Gather with a constant index list).
  mlir::Value pick(mlir::Value x, int64_t axis, llvm::ArrayRef<int64_t> indices) {
    return make<onnx::GatherOp>(elemOf(x), {x, i64s(indices)}, {attr("axis", axis)});
  }
  /// Entries [begin, end) of `x` along `axis`.
  mlir::Value range(mlir::Value x, int64_t axis, int64_t begin, int64_t end) {
    llvm::SmallVector<int64_t> indices;
    for (int64_t i = begin; i < end; ++i)
      indices.push_back(i);
    return pick(x, axis, indices);
  }
  /// [B, S, H * D] -> [B, H, S, D].
  mlir::Value splitHeads(mlir::Value x, int64_t heads) {
    llvm::ArrayRef<int64_t> s = shapeOf(x);
    return transpose(reshape(x, {s[0], s[1], heads, s[2] / heads}), {0, 2, 1, 3});
  }
  /// [B, Hkv, S, D] -> [B, Hkv * r, S, D] with each head repeated r times in
  /// place (h0, h0, h1, h1, ...), as numpy.repeat on axis 1 (grouped-query heads).
  mlir::Value repeatHeads(mlir::Value x, int64_t r) {
    if (r == 1)
      return x;
    llvm::SmallVector<int64_t> s(shapeOf(x));
    mlir::Value e = reshape(x, {s[0], s[1], 1, s[2], s[3]});
    e = make<onnx::ExpandOp>(elemOf(x), {e, i64s({s[0], s[1], r, s[2], s[3]})});
    return reshape(e, {s[0], s[1] * r, s[2], s[3]});
  }
  /// [B, H, S, D] -> [B, S, H * D].
  mlir::Value mergeHeads(mlir::Value x) {
    llvm::SmallVector<int64_t> s(shapeOf(x));
    return reshape(transpose(x, {0, 2, 1, 3}), {s[0], s[2], s[1] * s[3]});
  }
};

/// The driver the decomposition passes share: collects the ops of types `Ops` under `root`
/// first (decomposing erases them), checks that shape inference gave each static result types,
/// and calls `decompose` on each as its concrete type. Fails at the first op that fails.
template <typename... Ops, typename Fn>
mlir::LogicalResult decomposeEach(mlir::Operation *root, Fn &&decompose) {
  llvm::SmallVector<mlir::Operation *> ops;
  root->walk([&](mlir::Operation *op) {
    if (mlir::isa<Ops...>(op))
      ops.push_back(op);
  });
  for (mlir::Operation *op : ops) {
    if (!onnx::getStaticType(op->getResult(0)))
      return op->emitError() << op->getName().stripDialect()
                             << " needs static shapes (run onnx-shape-inference first)";
    mlir::LogicalResult done = llvm::TypeSwitch<mlir::Operation *, mlir::LogicalResult>(op)
                                   .template Case<Ops...>([&](auto concrete) { return decompose(concrete); });
    if (mlir::failed(done))
      return mlir::failure();
  }
  return mlir::success();
}

/// decomposeEach for passes whose `decompose(g, op)` builds through a DecompositionBuilder
/// subclass `BuilderT` and leaves the op in place: checks the builder's refinements and erases
/// the op once its results are replaced.
template <typename BuilderT, typename... Ops, typename Fn>
mlir::LogicalResult rewriteEach(mlir::Operation *root, Fn &&decompose) {
  return decomposeEach<Ops...>(root, [&](auto op) {
    mlir::OpBuilder b(op);
    BuilderT g{{b, op->getLoc(), op->getName().stripDialect()}};
    if (mlir::failed(decompose(g, op)) || g.failed)
      return mlir::failure();
    op->erase();
    return mlir::success();
  });
}

} // namespace onnxc

#endif // ONNXC_PASSES_GRAPH_DECOMPOSITIONBUILDER_H
