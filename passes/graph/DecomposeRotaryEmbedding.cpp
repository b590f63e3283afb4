//===- DecomposeRotaryEmbedding.cpp - RotaryEmbedding as onnx ops ---------===//
//
// RotaryEmbedding (opset 23) rotates feature pairs (x1, x2) of each head by
// the cached angle of the token's position: (cos x1 - sin x2, sin x1 + cos x2).
// Pairs are the two halves of the first rotary_embedding_dim features, or
// neighbours when interleaved. Rewritten with Gather/Mul/Sub/Add/Concat in the
// input's type, following onnx/reference/ops/op_rotary_embedding.py and the
// op's function body.
//
//===----------------------------------------------------------------------===//
#include "passes/graph/DecompositionBuilder.h"

namespace onnxc {
#define GEN_PASS_DEF_DECOMPOSEROTARYEMBEDDING
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using namespace onnxc;

namespace {

LogicalResult decompose(onnx::RotaryEmbeddingOp op) {
  OpBuilder b(op);
  DecompositionBuilder g{b, op.getLoc(), "RotaryEmbedding"};
  Value input = op.getInput();
  Type elem = g.elemOf(input);
  SmallVector<int64_t> inShape(g.shapeOf(input));
  bool is3d = inShape.size() == 3;
  // Work on [B, S, H, D], where the caches broadcast as [B, S, 1, rot / 2].
  Value x;
  if (is3d) {
    int64_t heads = static_cast<int64_t>(op.getNumHeads());
    x = g.reshape(input, {inShape[0], inShape[1], heads, inShape[2] / heads});
  } else {
    x = g.transpose(input, {0, 2, 1, 3});
  }
  SmallVector<int64_t> xs(g.shapeOf(x));
  int64_t batch = xs[0], seq = xs[1], heads = xs[2], headSize = xs[3];
  int64_t rot = static_cast<int64_t>(op.getRotaryEmbeddingDim());
  rot = rot == 0 ? headSize : rot;
  int64_t half = rot / 2;

  Value cosT = op.getCosCache(), sinT = op.getSinCache();
  if (Value pos = op.getPositionIds()) {
    cosT = g.make<onnx::GatherOp>(elem, {cosT, pos}, {g.attr("axis", 0)});
    sinT = g.make<onnx::GatherOp>(elem, {sinT, pos}, {g.attr("axis", 0)});
  }
  cosT = g.reshape(cosT, {batch, seq, 1, half});
  sinT = g.reshape(sinT, {batch, seq, 1, half});

  bool interleaved = op.getInterleaved() != 0;
  SmallVector<int64_t> first, second;
  for (int64_t i = 0; i < half; ++i) {
    first.push_back(interleaved ? 2 * i : i);
    second.push_back(interleaved ? 2 * i + 1 : half + i);
  }
  Value x1 = g.pick(x, 3, first), x2 = g.pick(x, 3, second);
  Value real = g.make<onnx::SubOp>(elem, {g.make<onnx::MulOp>(elem, {cosT, x1}), g.make<onnx::MulOp>(elem, {sinT, x2})});
  Value imag = g.make<onnx::AddOp>(elem, {g.make<onnx::MulOp>(elem, {sinT, x1}), g.make<onnx::MulOp>(elem, {cosT, x2})});
  Value rotated;
  if (interleaved) {
    // Put each (real, imag) pair back next to each other.
    SmallVector<int64_t> pairShape{batch, seq, heads, half, 1};
    rotated = g.make<onnx::ConcatOp>(elem, {g.reshape(real, pairShape), g.reshape(imag, pairShape)}, {g.attr("axis", 4)});
    rotated = g.reshape(rotated, {batch, seq, heads, rot});
  } else {
    rotated = g.make<onnx::ConcatOp>(elem, {real, imag}, {g.attr("axis", 3)});
  }
  Value y = rotated;
  if (rot < headSize)
    y = g.make<onnx::ConcatOp>(elem, {rotated, g.range(x, 3, rot, headSize)}, {g.attr("axis", 3)});
  y = is3d ? g.reshape(y, inShape) : g.transpose(y, {0, 2, 1, 3});
  if (g.failed)
    return failure();
  op.getOutput().replaceAllUsesWith(y);
  op->erase();
  return success();
}

struct DecomposeRotaryEmbeddingPass
    : public onnxc::impl::DecomposeRotaryEmbeddingBase<DecomposeRotaryEmbeddingPass> {
  void runOnOperation() override {
    if (failed(decomposeEach<onnx::RotaryEmbeddingOp>(getOperation(), [](auto op) { return decompose(op); })))
      signalPassFailure();
  }
};

} // namespace
