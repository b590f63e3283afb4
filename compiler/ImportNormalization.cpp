//===- ImportNormalization.cpp - LogSoftmax, Hardmax, norms, Trilu, CumSum ===//
#include "compiler/NodeImporter.h"

using namespace mlir;

namespace onnxc {
namespace {

/// Opset 13 changed these from "flatten from axis" to "one axis".
template <typename OpTy, typename V1OpTy>
LogicalResult importAxisOp(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  Value x = ctx.input(0);
  if (ctx.opset < 13)
    return ctx.setOutputs(V1OpTy::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.intAttr("axis")).getResult());
  return ctx.setOutputs(OpTy::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.intAttr("axis")).getResult());
}

LogicalResult importLayerNormalization(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 3)))
    return failure();
  // stash_type selects float32 statistics; onnxc computes them in the input
  // type, which is float32 for the models that use it.
  ctx.getInt("stash_type");
  Value x = ctx.input(0);
  Type t = ctx.unrankedLike(x);
  auto op = onnx::LayerNormalizationOp::create(ctx.b, ctx.loc, TypeRange{t, t, t}, x, ctx.input(1), ctx.input(2),
                                               ctx.intAttr("axis"), ctx.floatAttr("epsilon"));
  return ctx.setOutputs(op->getResults());
}

LogicalResult importRMSNormalization(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 2)))
    return failure();
  ctx.getInt("stash_type");
  Value x = ctx.input(0);
  return ctx.setOutputs(onnx::RMSNormalizationOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.input(1),
                                                         ctx.intAttr("axis"), ctx.floatAttr("epsilon"))
                            .getResult());
}

LogicalResult importInstanceNormalization(NodeContext &ctx) {
  if (failed(ctx.expectInputs(3, 3)))
    return failure();
  Value x = ctx.input(0);
  return ctx.setOutputs(onnx::InstanceNormalizationOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x,
                                                              ctx.input(1), ctx.input(2), ctx.floatAttr("epsilon"))
                            .getResult());
}

LogicalResult importTrilu(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 2)))
    return failure();
  Value x = ctx.input(0);
  return ctx.setOutputs(
      onnx::TriluOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.input(1), ctx.intAttr("upper")).getResult());
}

template <typename OpTy>
LogicalResult importCumulative(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 2)))
    return failure();
  Value x = ctx.input(0);
  return ctx.setOutputs(OpTy::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.input(1),
                                        ctx.intAttr("exclusive"), ctx.intAttr("reverse"))
                            .getResult());
}

/// Attention-23/24/25 (24 adds nonpad_kv_seqlen, 25 the sliding window; the
/// window attributes are read only from opset 25, so older nodes with them are refused).
LogicalResult importAttention(NodeContext &ctx) {
  if (ctx.opset < 23)
    return ctx.error() << "Attention exists from opset 23";
  if (failed(ctx.expectInputs(3, ctx.opset >= 24 ? 7 : 6)))
    return failure();
  std::optional<int64_t> precision = ctx.getInt("softmax_precision");
  if (precision && !isa_and_nonnull<FloatType>(onnx::elementTypeForCode(ctx.b.getContext(), *precision)))
    return ctx.error() << "softmax_precision " << *precision << " is not a supported float type";
  Value q = ctx.input(0);
  Type t = ctx.unrankedLike(q);
  auto op = onnx::AttentionOp::create(
      ctx.b, ctx.loc, TypeRange{t, t, t, t}, q, ctx.input(1), ctx.input(2), ctx.input(3), ctx.input(4),
      ctx.input(5), ctx.input(6), ctx.intAttr("is_causal"), ctx.intAttr("kv_num_heads"),
      ctx.intAttr("q_num_heads"), ctx.intAttr("qk_matmul_output_mode"), ctx.floatAttr("scale"),
      ctx.floatAttr("softcap"), ctx.intAttr("softmax_precision"),
      ctx.opset >= 25 ? ctx.intAttr("left_window_size") : nullptr,
      ctx.opset >= 25 ? ctx.intAttr("right_window_size") : nullptr);
  return ctx.setOutputs(op->getResults());
}

LogicalResult importLRN(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  IntegerAttr size = ctx.intAttr("size");
  if (!size)
    return ctx.error() << "attribute 'size' is required";
  Value x = ctx.input(0);
  return ctx.setOutputs(onnx::LRNOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.floatAttr("alpha"),
                                            ctx.floatAttr("beta"), ctx.floatAttr("bias"), size)
                            .getResult());
}

LogicalResult importLpNormalization(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  Value x = ctx.input(0);
  return ctx.setOutputs(onnx::LpNormalizationOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x,
                                                        ctx.intAttr("axis"), ctx.intAttr("p"))
                            .getResult());
}

/// Opset 9 replaced across_channels/normalize_variance by axes.
LogicalResult importMeanVarianceNormalization(NodeContext &ctx) {
  if (ctx.opset < 9)
    return ctx.error() << "MeanVarianceNormalization before opset 9 is not supported";
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  Value x = ctx.input(0);
  return ctx.setOutputs(
      onnx::MeanVarianceNormalizationOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.intsAttr("axes"))
          .getResult());
}

/// Opset 18's scale and bias are per group, opset 21's per channel.
LogicalResult importGroupNormalization(NodeContext &ctx) {
  if (failed(ctx.expectInputs(3, 3)))
    return failure();
  IntegerAttr groups = ctx.intAttr("num_groups");
  if (!groups)
    return ctx.error() << "attribute 'num_groups' is required";
  // stash_type asks for float32 statistics; onnxc computes them in the input
  // type, which is float32 for the models that use it.
  ctx.getInt("stash_type");
  Value x = ctx.input(0);
  return ctx.setOutputs(onnx::GroupNormalizationOp::create(
                            ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.input(1), ctx.input(2),
                            ctx.floatAttr("epsilon"), groups, ctx.b.getI64IntegerAttr(ctx.opset < 21 ? 1 : 0))
                            .getResult());
}

} // namespace

void registerNormalizationImporters(OpImporterTable &table) {
  table["LRN"] = importLRN;
  table["LpNormalization"] = importLpNormalization;
  table["MeanVarianceNormalization"] = importMeanVarianceNormalization;
  table["GroupNormalization"] = importGroupNormalization;
  table["LogSoftmax"] = importAxisOp<onnx::LogSoftmaxOp, onnx::LogSoftmaxV1Op>;
  table["Hardmax"] = importAxisOp<onnx::HardmaxOp, onnx::HardmaxV1Op>;
  table["LayerNormalization"] = importLayerNormalization;
  table["RMSNormalization"] = importRMSNormalization;
  table["InstanceNormalization"] = importInstanceNormalization;
  table["Trilu"] = importTrilu;
  table["CumSum"] = importCumulative<onnx::CumSumOp>;
  table["CumProd"] = importCumulative<onnx::CumProdOp>;
  table["Attention"] = importAttention;
}

} // namespace onnxc
