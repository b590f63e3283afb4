//===- ImportSequenceMixing.cpp - LinearAttention, CausalConvWithState, ---===//
//                                 RotaryEmbedding, FlexAttention
#include "compiler/NodeImporter.h"

using namespace mlir;

namespace onnxc {
namespace {

LogicalResult importLinearAttention(NodeContext &ctx) {
  if (ctx.opset < 27)
    return ctx.error() << "LinearAttention exists from opset 27";
  if (failed(ctx.expectInputs(3, 6)))
    return failure();
  IntegerAttr hq = ctx.intAttr("q_num_heads"), hkv = ctx.intAttr("kv_num_heads");
  if (!hq || !hkv)
    return ctx.error() << "LinearAttention needs the q_num_heads and kv_num_heads attributes";
  ctx.ignore("chunk_size"); // A tiling hint: the result does not depend on it.
  // scale 0 means the default 1/sqrt(head_size), as an absent one does.
  FloatAttr scale = ctx.floatAttr("scale");
  if (scale && scale.getValueAsDouble() == 0.0)
    scale = nullptr;
  Value q = ctx.input(0), past = ctx.input(3);
  auto op = onnx::LinearAttentionOp::create(ctx.b, ctx.loc, TypeRange{ctx.unrankedLike(q), ctx.unrankedLike(past ? past : q)},
                                            q, ctx.input(1), ctx.input(2), past, ctx.input(4), ctx.input(5), hq,
                                            hkv, scale, ctx.stringAttr("update_rule"));
  return ctx.setOutputs(op->getResults());
}

LogicalResult importCausalConvWithState(NodeContext &ctx) {
  if (ctx.opset < 27)
    return ctx.error() << "CausalConvWithState exists from opset 27";
  if (failed(ctx.expectInputs(2, 4)))
    return failure();
  Value x = ctx.input(0);
  Type t = ctx.unrankedLike(x);
  auto op = onnx::CausalConvWithStateOp::create(ctx.b, ctx.loc, TypeRange{t, t}, x, ctx.input(1), ctx.input(2),
                                                ctx.input(3), ctx.stringAttr("activation"));
  return ctx.setOutputs(op->getResults());
}

LogicalResult importRotaryEmbedding(NodeContext &ctx) {
  if (ctx.opset < 23)
    return ctx.error() << "RotaryEmbedding exists from opset 23";
  if (failed(ctx.expectInputs(3, 4)))
    return failure();
  Value x = ctx.input(0);
  auto op = onnx::RotaryEmbeddingOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.input(1), ctx.input(2),
                                            ctx.input(3), ctx.intAttr("interleaved"),
                                            ctx.intAttr("rotary_embedding_dim"), ctx.intAttr("num_heads"));
  return ctx.setOutputs(op.getResult());
}

/// ai.onnx.preview FlexAttention-1. The score_mod and prob_mod subgraphs take
/// and yield one tensor in the softmax type; they become the op's regions.
LogicalResult importFlexAttention(NodeContext &ctx) {
  // Read before any early refusal, so it reports its real problem only.
  ctx.ignore("score_mod");
  ctx.ignore("prob_mod");
  if (failed(ctx.expectInputs(3, 3)))
    return failure();
  std::optional<int64_t> precision = ctx.getInt("softmax_precision");
  if (precision && !isa_and_nonnull<FloatType>(onnx::elementTypeForCode(ctx.b.getContext(), *precision)))
    return ctx.error() << "softmax_precision " << *precision << " is not a supported float type";
  Value q = ctx.input(0);
  auto op = onnx::FlexAttentionOp::create(ctx.b, ctx.loc, ctx.unrankedLike(q), q, ctx.input(1), ctx.input(2),
                                          ctx.floatAttr("scale"), ctx.intAttr("softmax_precision"));
  Type modType = ctx.unranked(op.getSoftmaxType());
  for (auto [name, region] : {std::pair<StringRef, Region *>{"score_mod", &op.getScoreMod()},
                              {"prob_mod", &op.getProbMod()}}) {
    if (!ctx.has(name))
      continue;
    FailureOr<std::unique_ptr<Region>> mod = ctx.importSubgraph(name, modType);
    if (succeeded(mod) && (*mod)->front().getTerminator()->getNumOperands() != 1)
      mod = (ctx.error() << name << " must have exactly one output, got "
                         << (*mod)->front().getTerminator()->getNumOperands(), failure());
    if (failed(mod)) {
      op->erase();
      return failure();
    }
    region->takeBody(**mod);
  }
  return ctx.setOutputs(op.getResult());
}

} // namespace

void registerSequenceMixingImporters(OpImporterTable &table) {
  table["LinearAttention"] = importLinearAttention;
  table["CausalConvWithState"] = importCausalConvWithState;
  table["RotaryEmbedding"] = importRotaryEmbedding;
  // Ops of other domains are registered as "domain.op_type".
  table["ai.onnx.preview.FlexAttention"] = importFlexAttention;
}

} // namespace onnxc
