//===- DecompositionBuilder.h - building onnx ops in graph rewrites -*- C++ -*-===//
//
// The decomposition passes (Attention, losses, recurrent ops) rewrite one onnx op into
// several after shape inference. Each new op is created with an unranked result and refined
// at once by its own shape rule, so every value they build is static and later patterns see
// the same IR a model spelling the decomposition out would give.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_PASSES_GRAPH_DECOMPOSITIONBUILDER_H
#define ONNXC_PASSES_GRAPH_DECOMPOSITIONBUILDER_H

#include "passes/Passes.h"

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
};

} // namespace onnxc

#endif // ONNXC_PASSES_GRAPH_DECOMPOSITIONBUILDER_H
