//===- ShapeInference.cpp - onnx-shape-inference pass ---------------------===//
#include "passes/Passes.h"

#include "ir/ConstantFolding.h"
#include "passes/graph/ShapeInference.h"

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
/// later shape rules (Reshape, Slice, Expand...) see constants. Returns the
/// values that now stand for the op's results.
SmallVector<Value> foldToConstant(Operation *op) {
  SmallVector<Value> results(op->getResults());
  if (isa<onnx::ConstantOp>(op))
    return results;
  SmallVector<DenseElementsAttr> values = onnx::evaluateConstantOp(op);
  if (values.empty())
    return results;
  OpBuilder b(op);
  for (auto [result, value] : llvm::zip(results, values)) {
    Value folded = onnx::ConstantOp::create(b, op->getLoc(), cast<TensorType>(value.getType()), value);
    result.replaceAllUsesWith(folded);
    result = folded;
  }
  op->erase();
  return results;
}

struct ONNXShapeInferencePass
    : public onnxc::impl::ONNXShapeInferenceBase<ONNXShapeInferencePass> {
  using ONNXShapeInferenceBase::ONNXShapeInferenceBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    OpRefiner refiner{int64_t(maxTensorBytes)};
    bool failedAny = false;
    // Ops are in topological order (the importer guarantees it), so one
    // forward walk sees every operand's final type before its users. Only the
    // function's own ops are walked: subgraph ops are refined as control flow
    // expansion copies them out.
    SmallVector<Operation *> ops;
    for (Block &block : func.getBody())
      for (Operation &op : block)
        ops.push_back(&op);
    for (Operation *op : ops) {
      if (!failedAny) {
        failedAny = failed(refiner.process(op));
        continue;
      }
      // After an error, later shape rules still run to report their own
      // problems, but nothing is checked, folded or expanded.
      if (auto shaped = dyn_cast<onnx::ShapeInferenceOpInterface>(op))
        (void)shaped.inferShapes();
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

FailureOr<SmallVector<Value>> OpRefiner::process(Operation *op) {
  if (isControlFlowOp(op)) {
    FailureOr<SmallVector<Value>> results =
        expandControlFlow(op, [&](Operation *o) { return process(o); }, expansionBudget);
    if (failed(results))
      return failure();
    op->replaceAllUsesWith(*results);
    op->erase();
    return results;
  }
  auto shaped = dyn_cast<onnx::ShapeInferenceOpInterface>(op);
  if (!shaped)
    return SmallVector<Value>(op->getResults());
  if (failed(shaped.inferShapes()))
    return failure();
  for (Value result : op->getResults()) {
    auto type = onnx::getStaticType(result);
    if (!type)
      return op->emitError() << "could not infer a static shape for the result", failure();
    if (checkedBytes(type, maxTensorBytes) < 0)
      return op->emitError() << "the result " << type << " is larger than the limit of "
                             << maxTensorBytes << " bytes (--max-size)", failure();
  }
  return foldToConstant(op);
}
