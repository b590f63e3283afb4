//===- ImportElementwise.cpp - Add/Sub/Mul/Div, activations, Clip ---------===//
#include "compiler/NodeImporter.h"

#include <limits>

using namespace mlir;

namespace onnxc {
namespace {

template <typename OpTy>
LogicalResult importBinary(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 2)))
    return failure();
  // Opsets 1-6 broadcast only with broadcast=1, aligning B at `axis`; with no
  // axis that is numpy's right alignment, which the op implements.
  ctx.ignore("consumed_inputs");
  ctx.getInt("broadcast");
  if (auto axis = ctx.getInt("axis")) {
    auto b = dyn_cast<RankedTensorType>(ctx.input(1).getType());
    auto a = dyn_cast<RankedTensorType>(ctx.input(0).getType());
    // The range check comes first: a huge axis would overflow the sums below.
    if (!a || !b || *axis < -a.getRank() || *axis > a.getRank() ||
        (*axis + b.getRank() != a.getRank() && *axis - a.getRank() + b.getRank() != 0))
      return ctx.error() << "legacy broadcasting with axis=" << *axis
                         << " that is not numpy-compatible is not supported";
  }
  Value a = ctx.input(0), b = ctx.input(1);
  return ctx.setOutputs(OpTy::create(ctx.b, ctx.loc, ctx.unrankedLike(a), a, b).getResult());
}

template <typename OpTy>
LogicalResult importUnary(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  ctx.ignore("consumed_inputs");
  Value x = ctx.input(0);
  return ctx.setOutputs(OpTy::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x).getResult());
}

LogicalResult importClip(NodeContext &ctx) {
  Value x = ctx.input(0), min, max;
  if (ctx.opset < 11) {
    // Opsets 1-10: bounds are attributes defaulting to the float range.
    if (failed(ctx.expectInputs(1, 1)))
      return failure();
    ctx.ignore("consumed_inputs");
    Type elem = cast<ShapedType>(x.getType()).getElementType();
    min = ctx.constantScalar(elem, ctx.getFloat("min", std::numeric_limits<float>::lowest()));
    max = ctx.constantScalar(elem, ctx.getFloat("max", std::numeric_limits<float>::max()));
  } else {
    if (failed(ctx.expectInputs(1, 3)))
      return failure();
    min = ctx.input(1);
    max = ctx.input(2);
  }
  return ctx.setOutputs(
      onnx::ClipOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, min, max).getResult());
}

LogicalResult importIdentity(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  return ctx.setOutputs(ctx.input(0));
}

/// x * sigmoid(alpha * x), as onnx.Mul and onnx.Sigmoid: Swish (opset 24)
/// and SwiGLU's gate share it, and both lower to one fused elementwise loop.
Value buildSwish(NodeContext &ctx, Value x, float alpha) {
  Type t = ctx.unrankedLike(x);
  Value scaled = x;
  if (alpha != 1.0f)
    scaled = onnx::MulOp::create(ctx.b, ctx.loc, t, x,
                                 ctx.constantScalar(cast<ShapedType>(x.getType()).getElementType(), alpha));
  Value gate = onnx::SigmoidOp::create(ctx.b, ctx.loc, t, scaled);
  return onnx::MulOp::create(ctx.b, ctx.loc, t, x, gate);
}
LogicalResult importSwish(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  return ctx.setOutputs(buildSwish(ctx, ctx.input(0), ctx.getFloat("alpha", 1.0f)));
}
/// SwiGLU: Swish_alpha(A) * B with A and B of one shape (no broadcasting).
LogicalResult importSwiGLU(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 2)))
    return failure();
  Value a = ctx.input(0), b = ctx.input(1);
  auto at = dyn_cast<RankedTensorType>(a.getType()), bt = dyn_cast<RankedTensorType>(b.getType());
  if (at && bt && at.getShape() != bt.getShape())
    return ctx.error() << "A and B must have the same shape (SwiGLU does not broadcast)";
  if (cast<ShapedType>(a.getType()).getElementType() != cast<ShapedType>(b.getType()).getElementType())
    return ctx.error() << "A and B must have the same element type";
  Value swish = buildSwish(ctx, a, ctx.getFloat("alpha", 1.0f));
  return ctx.setOutputs(onnx::MulOp::create(ctx.b, ctx.loc, ctx.unrankedLike(a), swish, b).getResult());
}
} // namespace

void registerElementwiseImporters(OpImporterTable &table) {
  table["Add"] = importBinary<onnx::AddOp>;
  table["Sub"] = importBinary<onnx::SubOp>;
  table["Mul"] = importBinary<onnx::MulOp>;
  table["Div"] = importBinary<onnx::DivOp>;
  table["Relu"] = importUnary<onnx::ReluOp>;
  table["Sigmoid"] = importUnary<onnx::SigmoidOp>;
  table["Tanh"] = importUnary<onnx::TanhOp>;
  table["Clip"] = importClip;
  table["Identity"] = importIdentity;
  table["Swish"] = importSwish;
  table["SwiGLU"] = importSwiGLU;
}

} // namespace onnxc
