//===- ImportML.cpp - ai.onnx.ml: Binarizer, ArrayFeatureExtractor, TreeEnsemble ===//
//
// Registered under their domain-qualified names ("ai.onnx.ml.Binarizer");
// NodeContext::opset is the model's ai.onnx.ml opset for these.
//
//===----------------------------------------------------------------------===//
#include "compiler/NodeImporter.h"
#include "compiler/TensorImport.h"

#include "llvm/ADT/STLExtras.h"

#include <cmath>
#include <functional>

using namespace mlir;

namespace onnxc {
namespace {

LogicalResult importBinarizer(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  Value x = ctx.input(0);
  return ctx.setOutputs(
      onnx::BinarizerOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.floatAttr("threshold")).getResult());
}

LogicalResult importArrayFeatureExtractor(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 2)))
    return failure();
  Value x = ctx.input(0);
  return ctx.setOutputs(
      onnx::ArrayFeatureExtractorOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.input(1)).getResult());
}

/// A tensor attribute's values as doubles (nullopt, with an error, when it
/// cannot be read); an absent attribute reads as empty.
std::optional<SmallVector<double>> tensorValues(NodeContext &ctx, StringRef name) {
  const ::onnx::TensorProto *tensor = ctx.getTensor(name);
  if (!tensor)
    return SmallVector<double>{};
  std::string error;
  ElementsAttr attr = importTensor(ctx.b.getContext(), *tensor, ctx.modelFile(), error);
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense) {
    ctx.error() << "attribute '" << name << "' cannot be read" << (error.empty() ? "" : ": ") << error;
    return std::nullopt;
  }
  SmallVector<double> values;
  if (isa<FloatType>(dense.getElementType()))
    for (const APFloat &v : dense.getValues<APFloat>())
      values.push_back(v.convertToDouble() /* exact widening */);
  else
    for (const APInt &v : dense.getValues<APInt>())
      values.push_back(dense.getElementType().isUnsignedInteger() ? static_cast<double>(v.getZExtValue())
                                                                  : static_cast<double>(v.getSExtValue()));
  return values;
}

LogicalResult importTreeEnsemble(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  if (ctx.opset < 5)
    return ctx.error() << "TreeEnsemble needs ai.onnx.ml opset 5";
  auto ints = [&](StringRef name) { return ctx.getInts(name).value_or(SmallVector<int64_t>{}); };
  SmallVector<int64_t> features = ints("nodes_featureids"), trueIds = ints("nodes_truenodeids"),
                       falseIds = ints("nodes_falsenodeids"), trueLeafs = ints("nodes_trueleafs"),
                       falseLeafs = ints("nodes_falseleafs"), missing = ints("nodes_missing_value_tracks_true"),
                       targets = ints("leaf_targetids"), roots = ints("tree_roots");
  auto modes = tensorValues(ctx, "nodes_modes"), splits = tensorValues(ctx, "nodes_splits"),
       weights = tensorValues(ctx, "leaf_weights"), members = tensorValues(ctx, "membership_values");
  tensorValues(ctx, "nodes_hitrates"); // Statistics only: no effect on the result.
  if (!modes || !splits || !weights || !members)
    return failure();
  int64_t postTransform = ctx.getInt("post_transform", 0);
  if (postTransform != 0)
    return ctx.error() << "post_transform " << postTransform << " is not supported (only NONE)";
  int64_t aggregate = ctx.getInt("aggregate_function", 1);
  if (aggregate < 0 || aggregate > 3)
    return ctx.error() << "aggregate_function " << aggregate << " is not one of 0..3";
  auto nTargets = ctx.getInt("n_targets");
  if (!nTargets || *nTargets < 1)
    return ctx.error() << "attribute 'n_targets' is required and must be positive";
  size_t n = modes->size();
  if (missing.empty())
    missing.assign(n, 0);
  if (features.size() != n || splits->size() != n || trueIds.size() != n || falseIds.size() != n ||
      trueLeafs.size() != n || falseLeafs.size() != n || missing.size() != n)
    return ctx.error() << "the nodes_* attributes must all have one entry per node";
  if (targets.size() != weights->size())
    return ctx.error() << "leaf_targetids and leaf_weights must have one entry per leaf";
  size_t memberNodes = llvm::count(*modes, 6.0);
  size_t sets = llvm::count_if(*members, [](double v) { return std::isnan(v); });
  if (memberNodes != sets)
    return ctx.error() << "membership_values must hold one NaN-terminated set per MEMBER node";
  // Trees must be trees: every walk from a root reaches a leaf within n steps.
  SmallVector<int64_t> depth(n, -1);
  std::function<bool(int64_t, int64_t)> acyclic = [&](int64_t node, int64_t d) {
    if (d > static_cast<int64_t>(n))
      return false;
    for (auto [next, leaf] : {std::pair(trueIds[node], trueLeafs[node]), std::pair(falseIds[node], falseLeafs[node])})
      if (!leaf && (next < 0 || next >= static_cast<int64_t>(n) || !acyclic(next, d + 1)))
        return false;
    return true;
  };
  for (int64_t root : roots)
    if (root < 0 || root >= static_cast<int64_t>(n) || !acyclic(root, 0))
      return ctx.error() << "tree_roots entry " << root << " does not start a tree of valid nodes";
  SmallVector<int64_t> modeInts;
  for (double m : *modes)
    modeInts.push_back(static_cast<int64_t>(m));
  Value x = ctx.input(0);
  auto &b = ctx.b;
  return ctx.setOutputs(onnx::TreeEnsembleOp::create(
                            b, ctx.loc, ctx.unrankedLike(x), x, b.getDenseI64ArrayAttr(features),
                            b.getDenseI64ArrayAttr(modeInts), b.getDenseF64ArrayAttr(*splits),
                            b.getDenseI64ArrayAttr(trueIds), b.getDenseI64ArrayAttr(falseIds),
                            b.getDenseI64ArrayAttr(trueLeafs), b.getDenseI64ArrayAttr(falseLeafs),
                            b.getDenseI64ArrayAttr(missing), b.getDenseI64ArrayAttr(targets),
                            b.getDenseF64ArrayAttr(*weights), b.getDenseI64ArrayAttr(roots),
                            b.getDenseF64ArrayAttr(*members), b.getI64IntegerAttr(*nTargets),
                            b.getI64IntegerAttr(aggregate))
                            .getResult());
}

} // namespace

void registerMLImporters(OpImporterTable &table) {
  table["ai.onnx.ml.Binarizer"] = importBinarizer;
  table["ai.onnx.ml.ArrayFeatureExtractor"] = importArrayFeatureExtractor;
  table["ai.onnx.ml.TreeEnsemble"] = importTreeEnsemble;
}

} // namespace onnxc
