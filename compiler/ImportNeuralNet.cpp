//===- ImportNeuralNet.cpp - Gemm, MatMul, Conv, pooling, norms, Softmax --===//
#include "compiler/NodeImporter.h"

using namespace mlir;

namespace onnxc {
namespace {

LogicalResult importGemm(NodeContext &ctx) {
  // C became optional in opset 11; opsets 1-6 also had `broadcast`.
  if (failed(ctx.expectInputs(2, 3)))
    return failure();
  ctx.getInt("broadcast");
  Value a = ctx.input(0);
  auto op = onnx::GemmOp::create(ctx.b, ctx.loc, ctx.unrankedLike(a), a, ctx.input(1),
                                 ctx.input(2), ctx.floatAttr("alpha"), ctx.floatAttr("beta"),
                                 ctx.intAttr("transA"), ctx.intAttr("transB"));
  return ctx.setOutputs(op.getResult());
}

LogicalResult importMatMul(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 2)))
    return failure();
  Value a = ctx.input(0);
  return ctx.setOutputs(
      onnx::MatMulOp::create(ctx.b, ctx.loc, ctx.unrankedLike(a), a, ctx.input(1)).getResult());
}

LogicalResult importConv(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 3)))
    return failure();
  Value x = ctx.input(0);
  auto op = onnx::ConvOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.input(1),
                                 ctx.input(2), ctx.stringAttr("auto_pad"),
                                 ctx.intsAttr("dilations"), ctx.intAttr("group"),
                                 ctx.intsAttr("kernel_shape"), ctx.intsAttr("pads"),
                                 ctx.intsAttr("strides"));
  return ctx.setOutputs(op.getResult());
}

template <typename PoolOp>
LogicalResult importPool(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  Value x = ctx.input(0);
  ArrayAttr kernel = ctx.intsAttr("kernel_shape");
  if (!kernel)
    return ctx.error() << "attribute 'kernel_shape' is required";
  if constexpr (std::is_same_v<PoolOp, onnx::MaxPoolOp>) {
    // The Indices output needs its own op; storage_order only affects Indices.
    if (ctx.node.output_size() > 1 && !ctx.node.output(1).empty()) {
      auto op = onnx::MaxPoolWithIndicesOp::create(
          ctx.b, ctx.loc, ctx.unrankedLike(x), ctx.unranked(ctx.b.getI64Type()), x,
          ctx.stringAttr("auto_pad"), ctx.intAttr("ceil_mode"), ctx.intsAttr("dilations"), kernel,
          ctx.intsAttr("pads"), ctx.intAttr("storage_order"), ctx.intsAttr("strides"));
      return ctx.setOutputs(op.getResults());
    }
    ctx.ignore("storage_order");
  }
  IntegerAttr countIncludePad = nullptr;
  if (std::is_same_v<PoolOp, onnx::AveragePoolOp>)
    countIncludePad = ctx.intAttr("count_include_pad");
  auto op = PoolOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.stringAttr("auto_pad"),
                           ctx.intAttr("ceil_mode"), countIncludePad, ctx.intsAttr("dilations"),
                           kernel, ctx.intsAttr("pads"), ctx.intsAttr("strides"));
  return ctx.setOutputs(op.getResult());
}

/// Opset 1's p was a float; every later one an int (18 adds ceil_mode, dilations).
LogicalResult importLpPool(NodeContext &ctx) {
  if (ctx.opset < 2)
    return ctx.error() << "LpPool-1 (float p) is not supported";
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  Value x = ctx.input(0);
  ArrayAttr kernel = ctx.intsAttr("kernel_shape");
  if (!kernel)
    return ctx.error() << "attribute 'kernel_shape' is required";
  if (ctx.getInt("p", 2) < 1)
    return ctx.error() << "p must be positive";
  auto op = onnx::LpPoolOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.stringAttr("auto_pad"),
                                   ctx.intAttr("ceil_mode"), ctx.intsAttr("dilations"), kernel, ctx.intAttr("p"),
                                   ctx.intsAttr("pads"), ctx.intsAttr("strides"));
  return ctx.setOutputs(op.getResult());
}

LogicalResult importGlobalAveragePool(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  Value x = ctx.input(0);
  return ctx.setOutputs(
      onnx::GlobalAveragePoolOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x).getResult());
}

LogicalResult importBatchNormalization(NodeContext &ctx) {
  if (failed(ctx.expectInputs(5, 5)))
    return failure();
  ctx.ignore("momentum");        // Only updates running statistics in training.
  ctx.ignore("consumed_inputs"); // Opsets 1-5 bookkeeping.
  if (ctx.getInt("is_test", 1) == 0 && ctx.opset < 7)
    return ctx.error() << "is_test=0 (training mode) is not supported";
  if (ctx.getInt("spatial", 1) != 1)
    return ctx.error() << "spatial=0 (per-activation statistics) is not supported";
  if (ctx.getInt("training_mode", 0) != 0)
    return ctx.error() << "training_mode=1 is not supported; onnxc compiles inference graphs";
  Value x = ctx.input(0);
  auto op = onnx::BatchNormalizationOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x,
                                               ctx.input(1), ctx.input(2), ctx.input(3),
                                               ctx.input(4), ctx.floatAttr("epsilon"));
  return ctx.setOutputs(op.getResult());
}

LogicalResult importSoftmax(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  Value x = ctx.input(0);
  // Opset 13 changed the semantics from "flatten from axis" to "one axis".
  if (ctx.opset < 13)
    return ctx.setOutputs(
        onnx::SoftmaxV1Op::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.intAttr("axis"))
            .getResult());
  return ctx.setOutputs(
      onnx::SoftmaxOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.intAttr("axis"))
          .getResult());
}

} // namespace

void registerNeuralNetImporters(OpImporterTable &table) {
  table["Gemm"] = importGemm;
  table["MatMul"] = importMatMul;
  table["Conv"] = importConv;
  table["MaxPool"] = importPool<onnx::MaxPoolOp>;
  table["AveragePool"] = importPool<onnx::AveragePoolOp>;
  table["LpPool"] = importLpPool;
  table["GlobalAveragePool"] = importGlobalAveragePool;
  table["BatchNormalization"] = importBatchNormalization;
  table["Softmax"] = importSoftmax;
}

} // namespace onnxc
