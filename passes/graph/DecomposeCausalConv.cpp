//===- DecomposeCausalConv.cpp - CausalConvWithState as onnx ops ----------===//
//
// CausalConvWithState (opset 27) is a depthwise Conv over the input with the
// previous call's last kernel_size - 1 positions (or zeros) prepended, then
// an optional SiLU. Rewritten as Concat + grouped Conv (+ Sigmoid * x), so it
// reuses the Conv lowering, as onnx/reference/ops/op_causal_conv_with_state.py
// and the op's function body spell it.
//
//===----------------------------------------------------------------------===//
#include "passes/graph/DecompositionBuilder.h"

namespace onnxc {
#define GEN_PASS_DEF_DECOMPOSECAUSALCONV
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using namespace onnxc;

namespace {

LogicalResult decompose(onnx::CausalConvWithStateOp op) {
  OpBuilder b(op);
  DecompositionBuilder g{b, op.getLoc(), "CausalConvWithState"};
  Value x = op.getInput(), w = op.getWeight();
  Type elem = g.elemOf(x);
  ArrayRef<int64_t> xs = g.shapeOf(x);
  int64_t batch = xs[0], channels = xs[1], length = xs[2], context = g.shapeOf(w)[2] - 1;

  Value padded = x, present;
  if (context == 0) {
    // Kernel size 1 keeps no context: the state is empty.
    present = g.floats(elem, {batch, channels, 0}, [](int64_t) { return 0.0; });
  } else {
    Value past = op.getPastState()
                     ? op.getPastState()
                     : g.make<onnx::ExpandOp>(elem, {g.scalar(elem, 0.0), g.i64s({batch, channels, context})});
    padded = g.make<onnx::ConcatOp>(elem, {past, x}, {g.attr("axis", 2)});
    present = g.range(padded, 2, length, length + context);
  }
  SmallVector<Value> convOperands{padded, w};
  if (Value bias = op.getBias())
    convOperands.push_back(bias);
  Value y = g.make<onnx::ConvOp>(elem, convOperands, {g.attr("group", channels)});
  if (op.getActivation() != "none") {
    // silu/swish: x * sigmoid(x), in f32 for narrower types as the reference.
    Type compute = elem.getIntOrFloatBitWidth() < 32 ? b.getF32Type() : elem;
    Value c = g.castTo(y, compute);
    y = g.castTo(g.make<onnx::MulOp>(compute, {c, g.make<onnx::SigmoidOp>(compute, c)}), elem);
  }
  if (g.failed)
    return failure();
  op.getOutput().replaceAllUsesWith(y);
  op.getPresentState().replaceAllUsesWith(present);
  op->erase();
  return success();
}

struct DecomposeCausalConvPass : public onnxc::impl::DecomposeCausalConvBase<DecomposeCausalConvPass> {
  void runOnOperation() override {
    if (failed(decomposeEach<onnx::CausalConvWithStateOp>(getOperation(), [](auto op) { return decompose(op); })))
      signalPassFailure();
  }
};

} // namespace
