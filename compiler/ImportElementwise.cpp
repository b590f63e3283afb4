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
}

} // namespace onnxc
