//===- ImportLoss.cpp - NegativeLogLikelihoodLoss, SoftmaxCrossEntropyLoss ===//
#include "compiler/NodeImporter.h"

using namespace mlir;

namespace onnxc {
namespace {

/// Both losses exist from opset 12 with the same attributes; later opsets only
/// widen the element types.
template <typename OpTy>
LogicalResult importLoss(NodeContext &ctx, StringRef opName, unsigned numResults) {
  if (ctx.opset < 12)
    return ctx.error() << opName << " exists from opset 12";
  if (failed(ctx.expectInputs(2, 3)))
    return failure();
  std::string reduction = ctx.getString("reduction").value_or("mean");
  if (reduction != "none" && reduction != "sum" && reduction != "mean")
    return ctx.error() << "reduction '" << reduction << "' is not one of none, sum, mean";
  Value x = ctx.input(0);
  SmallVector<Type> types(numResults, ctx.unrankedLike(x));
  auto op = OpTy::create(ctx.b, ctx.loc, types, x, ctx.input(1), ctx.input(2), ctx.intAttr("ignore_index"),
                         ctx.b.getStringAttr(reduction));
  return ctx.setOutputs(op->getResults());
}

} // namespace

void registerLossImporters(OpImporterTable &table) {
  table["NegativeLogLikelihoodLoss"] = [](NodeContext &c) {
    return importLoss<onnx::NegativeLogLikelihoodLossOp>(c, "NegativeLogLikelihoodLoss", 1);
  };
  table["SoftmaxCrossEntropyLoss"] = [](NodeContext &c) {
    return importLoss<onnx::SoftmaxCrossEntropyLossOp>(c, "SoftmaxCrossEntropyLoss", 2);
  };
}

} // namespace onnxc
