//===- ImportReduce.cpp - Reduce*, ArgMax, ArgMin -------------------------===//
#include "compiler/NodeImporter.h"

using namespace mlir;

namespace onnxc {
namespace {

/// `axesInputSince`: the opset from which axes is an input (13 for
/// ReduceSum, 18 for the others); before it, axes is an attribute.
template <typename OpTy>
LogicalResult importReduce(NodeContext &ctx, int64_t axesInputSince) {
  Value data = ctx.input(0), axes;
  if (ctx.opset < axesInputSince) {
    if (failed(ctx.expectInputs(1, 1)))
      return failure();
    if (auto list = ctx.getInts("axes"))
      axes = ctx.constantI64s(*list);
  } else {
    if (failed(ctx.expectInputs(1, 2)))
      return failure();
    axes = ctx.input(1);
  }
  auto op = OpTy::create(ctx.b, ctx.loc, ctx.unrankedLike(data), data, axes,
                         ctx.intAttr("keepdims"), ctx.intAttr("noop_with_empty_axes"));
  return ctx.setOutputs(op.getResult());
}

template <typename OpTy>
LogicalResult importArg(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  Value data = ctx.input(0);
  auto op = OpTy::create(ctx.b, ctx.loc, ctx.unranked(ctx.b.getI64Type()), data,
                         ctx.intAttr("axis"), ctx.intAttr("keepdims"),
                         ctx.intAttr("select_last_index"));
  return ctx.setOutputs(op.getResult());
}

} // namespace

void registerReductionImporters(OpImporterTable &table) {
  table["ReduceSum"] = [](NodeContext &c) { return importReduce<onnx::ReduceSumOp>(c, 13); };
#define REDUCE(NAME) table[#NAME] = [](NodeContext &c) { return importReduce<onnx::NAME##Op>(c, 18); };
  REDUCE(ReduceMean) REDUCE(ReduceMax) REDUCE(ReduceMin) REDUCE(ReduceProd) REDUCE(ReduceL1)
  REDUCE(ReduceL2) REDUCE(ReduceLogSum) REDUCE(ReduceLogSumExp) REDUCE(ReduceSumSquare)
#undef REDUCE
  table["ArgMax"] = importArg<onnx::ArgMaxOp>;
  table["ArgMin"] = importArg<onnx::ArgMinOp>;
}

} // namespace onnxc
