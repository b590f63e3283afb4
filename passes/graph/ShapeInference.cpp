//===- ShapeInference.cpp - onnx-shape-inference pass ---------------------===//
#include "passes/Passes.h"

#include "ir/ConstantFolding.h"

namespace onnxc {
#define GEN_PASS_DEF_ONNXSHAPEINFERENCE
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using namespace onnxc;

namespace {

/// Bytes of a static tensor, or -1 when it exceeds `limit` (or overflows).
int64_t checkedBytes(RankedTensorType type, int64_t limit) {
  int64_t bytes = std::max<int64_t>(1, (type.getElementTypeBitWidth() + 7) / 8);
  for (int64_t d : type.getShape()) {
    if (d < 0)
      return -1;
    if (d != 0 && bytes > limit / d)
      return -1;
    bytes *= d;
  }
  return bytes;
}

/// Replaces an op whose operands are all constant by onnx.Constant results, so
/// later shape rules (Reshape, Slice, Expand...) see constants.
void foldToConstant(Operation *op) {
  if (isa<onnx::ConstantOp>(op))
    return;
  SmallVector<DenseElementsAttr> values = onnx::evaluateConstantOp(op);
  if (values.empty())
    return;
  OpBuilder b(op);
  for (auto [result, value] : llvm::zip(op->getResults(), values))
    result.replaceAllUsesWith(
        onnx::ConstantOp::create(b, op->getLoc(), cast<TensorType>(value.getType()), value));
  op->erase();
}

struct ONNXShapeInferencePass
    : public onnxc::impl::ONNXShapeInferenceBase<ONNXShapeInferencePass> {
  using ONNXShapeInferenceBase::ONNXShapeInferenceBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    bool failedAny = false;
    // Ops are in topological order (the importer guarantees it), so one
    // forward walk sees every operand's final type before its users.
    SmallVector<onnx::ShapeInferenceOpInterface> ops;
    func.walk([&](onnx::ShapeInferenceOpInterface op) { ops.push_back(op); });
    for (onnx::ShapeInferenceOpInterface op : ops) {
      if (failed(op.inferShapes())) {
        failedAny = true;
        continue;
      }
      for (Value result : op->getResults()) {
        if (failedAny)
          break;
        auto type = onnx::getStaticType(result);
        if (!type) {
          op->emitError() << "could not infer a static shape for the result";
          failedAny = true;
        } else if (checkedBytes(type, maxTensorBytes) < 0) {
          op->emitError() << "the result " << type << " is larger than the limit of "
                          << int64_t(maxTensorBytes) // the option object prints as nothing
                          << " bytes (--max-size)";
          failedAny = true;
        }
      }
      if (!failedAny)
        foldToConstant(op);
    }
    if (failedAny)
      return signalPassFailure();
    // Results flow into the terminator; make the signature agree with them.
    if (func.isExternal())
      return;
    auto ret = cast<func::ReturnOp>(func.getBody().back().getTerminator());
    func.setType(FunctionType::get(&getContext(), func.getArgumentTypes(),
                                   ret.getOperandTypes()));
  }
};

} // namespace
