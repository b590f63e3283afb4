//===- ShapeInference.cpp - onnx-shape-inference pass ---------------------===//
#include "passes/Passes.h"

namespace onnxc {
#define GEN_PASS_DEF_ONNXSHAPEINFERENCE
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using namespace onnxc;

namespace {

struct ONNXShapeInferencePass
    : public onnxc::impl::ONNXShapeInferenceBase<ONNXShapeInferencePass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    bool failedAny = false;
    // Ops are in topological order (the importer guarantees it), so one
    // forward walk sees every operand's final type before its users.
    func.walk([&](onnx::ShapeInferenceOpInterface op) {
      if (failed(op.inferShapes())) {
        failedAny = true;
        return;
      }
      for (Value result : op->getResults())
        if (!onnx::getStaticType(result) && !failedAny) {
          op->emitError() << "could not infer a static shape for the result";
          failedAny = true;
        }
    });
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
