//===- ImportReduce.cpp - Reduce*, ArgMax/Min, TopK ----------------------===//
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

/// TopK-1 has k as an attribute, turned into the input of opsets 10/11;
/// largest and sorted exist from opset 11.
LogicalResult importTopK(NodeContext &ctx) {
  Value x = ctx.input(0), k;
  if (ctx.opset < 10) {
    if (failed(ctx.expectInputs(1, 1)))
      return failure();
    std::optional<int64_t> kAttr = ctx.getInt("k");
    if (!kAttr)
      return ctx.error() << "attribute 'k' is required";
    k = ctx.constantI64s({*kAttr});
  } else {
    if (failed(ctx.expectInputs(2, 2)))
      return failure();
    k = ctx.input(1);
  }
  auto op = onnx::TopKOp::create(ctx.b, ctx.loc, TypeRange{ctx.unrankedLike(x), ctx.unranked(ctx.b.getI64Type())},
                                 x, k, ctx.intAttr("axis"), ctx.opset >= 11 ? ctx.intAttr("largest") : nullptr,
                                 ctx.opset >= 11 ? ctx.intAttr("sorted") : nullptr);
  return ctx.setOutputs(op->getResults());
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
  table["TopK"] = importTopK;
}

} // namespace onnxc
