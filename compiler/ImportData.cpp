//===- ImportData.cpp - ScatterND, GatherND, Einsum, Det, TfIdf, ... -------===//
#include "compiler/NodeImporter.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace onnxc {
namespace {

LogicalResult importScatterND(NodeContext &ctx) {
  if (failed(ctx.expectInputs(3, 3)))
    return failure();
  Value data = ctx.input(0);
  std::string reduction = ctx.getString("reduction").value_or("none");
  if (!llvm::is_contained({"none", "add", "mul", "min", "max"}, reduction))
    return ctx.error() << "reduction '" << reduction << "' is not one of none, add, mul, min, max";
  return ctx.setOutputs(onnx::ScatterNDOp::create(ctx.b, ctx.loc, ctx.unrankedLike(data), data,
                                                  ctx.input(1), ctx.input(2), ctx.b.getStringAttr(reduction))
                            .getResult());
}

LogicalResult importGatherND(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 2)))
    return failure();
  Value data = ctx.input(0);
  return ctx.setOutputs(onnx::GatherNDOp::create(ctx.b, ctx.loc, ctx.unrankedLike(data), data, ctx.input(1),
                                                 ctx.intAttr("batch_dims"))
                            .getResult());
}

LogicalResult importTensorScatter(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 3)))
    return failure();
  Value cache = ctx.input(0);
  return ctx.setOutputs(onnx::TensorScatterOp::create(ctx.b, ctx.loc, ctx.unrankedLike(cache), cache,
                                                      ctx.input(1), ctx.input(2), ctx.intAttr("axis"),
                                                      ctx.stringAttr("mode"))
                            .getResult());
}

LogicalResult importReverseSequence(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 2)))
    return failure();
  Value x = ctx.input(0);
  return ctx.setOutputs(onnx::ReverseSequenceOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.input(1),
                                                        ctx.intAttr("batch_axis"), ctx.intAttr("time_axis"))
                            .getResult());
}

LogicalResult importCompress(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 2)))
    return failure();
  Value x = ctx.input(0);
  return ctx.setOutputs(
      onnx::CompressOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.input(1), ctx.intAttr("axis"))
          .getResult());
}

LogicalResult importEinsum(NodeContext &ctx) {
  if (ctx.numInputs() < 1)
    return ctx.error() << "Einsum needs at least one input";
  auto equation = ctx.getString("equation");
  if (!equation)
    return ctx.error() << "attribute 'equation' is required";
  SmallVector<Value> inputs;
  for (size_t i = 0; i < ctx.numInputs(); ++i) {
    auto v = ctx.requiredInput(i);
    if (failed(v))
      return failure();
    inputs.push_back(*v);
  }
  return ctx.setOutputs(onnx::EinsumOp::create(ctx.b, ctx.loc, ctx.unrankedLike(inputs[0]), inputs,
                                               ctx.b.getStringAttr(*equation))
                            .getResult());
}

LogicalResult importDet(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  Value x = ctx.input(0);
  return ctx.setOutputs(onnx::DetOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x).getResult());
}

LogicalResult importTfIdfVectorizer(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  if (ctx.has("pool_strings")) {
    ctx.ignore("pool_strings");
    return ctx.error() << "pool_strings needs string tensors, which onnxc does not support; use pool_int64s";
  }
  auto maxGram = ctx.getInt("max_gram_length"), minGram = ctx.getInt("min_gram_length"),
       maxSkip = ctx.getInt("max_skip_count");
  auto mode = ctx.getString("mode");
  auto counts = ctx.getInts("ngram_counts"), indexes = ctx.getInts("ngram_indexes"),
       pool = ctx.getInts("pool_int64s");
  auto weights = ctx.getFloats("weights");
  if (!maxGram || !minGram || !maxSkip || !mode || !counts || !indexes || !pool)
    return ctx.error() << "max_gram_length, min_gram_length, max_skip_count, mode, ngram_counts, "
                          "ngram_indexes and pool_int64s are required";
  if (!llvm::is_contained({"TF", "IDF", "TFIDF"}, *mode))
    return ctx.error() << "mode '" << *mode << "' is not TF, IDF or TFIDF";
  if (*minGram < 1 || *maxGram < *minGram || *maxSkip < 0)
    return ctx.error() << "need 1 <= min_gram_length <= max_gram_length and max_skip_count >= 0";
  // Each ngram_counts entry starts the pool's n-grams of the next length.
  int64_t grams = 0;
  for (size_t i = 0; i < counts->size(); ++i) {
    int64_t begin = (*counts)[i], end = i + 1 < counts->size() ? (*counts)[i + 1] : pool->size();
    if (begin < 0 || end < begin || end > static_cast<int64_t>(pool->size()) || (end - begin) % (i + 1))
      return ctx.error() << "ngram_counts does not split pool_int64s into whole n-grams";
    grams += (end - begin) / static_cast<int64_t>(i + 1);
  }
  if (static_cast<int64_t>(indexes->size()) != grams || llvm::any_of(*indexes, [](int64_t i) { return i < 0; }))
    return ctx.error() << "ngram_indexes must hold one non-negative output column per n-gram of the pool";
  auto i64s = [&](ArrayRef<int64_t> v) { return ctx.b.getI64ArrayAttr(v); };
  ArrayAttr weightsAttr;
  if (weights)
    weightsAttr = ctx.b.getF32ArrayAttr(*weights);
  Value x = ctx.input(0);
  return ctx.setOutputs(onnx::TfIdfVectorizerOp::create(
                            ctx.b, ctx.loc, ctx.unranked(ctx.b.getF32Type()), x, *maxGram, *maxSkip, *minGram,
                            *mode, i64s(*counts), i64s(*indexes), i64s(*pool), weightsAttr)
                            .getResult());
}

} // namespace

void registerDataImporters(OpImporterTable &table) {
  table["ScatterND"] = importScatterND;
  table["GatherND"] = importGatherND;
  table["TensorScatter"] = importTensorScatter;
  table["ReverseSequence"] = importReverseSequence;
  table["Compress"] = importCompress;
  table["Einsum"] = importEinsum;
  table["Det"] = importDet;
  table["TfIdfVectorizer"] = importTfIdfVectorizer;
}

} // namespace onnxc
