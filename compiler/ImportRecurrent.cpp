//===- ImportRecurrent.cpp - RNN, GRU, LSTM -------------------------------===//
//
// Opsets 1-22 of the three recurrent ops. Opset 1's output_sequence only said
// whether Y is produced, which the node's output names already say; layout
// exists from opset 14 and is simply absent before.
//
//===----------------------------------------------------------------------===//
#include "compiler/NodeImporter.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir;

namespace onnxc {
namespace {

/// The activation functions the recurrent ops accept (ONNX spec, case as
/// written there; compared case-insensitively like onnxruntime).
bool isRecurrentActivation(StringRef name) {
  static const char *const known[] = {"Relu",        "Tanh",         "Sigmoid",     "Affine",
                                      "LeakyRelu",   "ThresholdedRelu", "ScaledTanh", "HardSigmoid",
                                      "Elu",         "Softsign",     "Softplus"};
  return llvm::any_of(known, [&](const char *k) { return name.equals_insensitive(k); });
}

/// Reads the attributes every recurrent op shares into `attrs`; `perDirection`
/// is how many activations one direction uses.
LogicalResult readRecurrentAttrs(NodeContext &ctx, size_t perDirection, SmallVectorImpl<NamedAttribute> &attrs) {
  Builder &b = ctx.b;
  std::string direction = ctx.getString("direction").value_or("forward");
  if (direction != "forward" && direction != "reverse" && direction != "bidirectional")
    return ctx.error() << "direction '" << direction << "' is not forward, reverse or bidirectional";
  attrs.push_back(b.getNamedAttr("direction", b.getStringAttr(direction)));
  if (auto names = ctx.getStrings("activations")) {
    size_t dirs = direction == "bidirectional" ? 2 : 1;
    if (names->size() != perDirection * dirs)
      return ctx.error() << "activations lists " << names->size() << " functions; expected " << perDirection * dirs;
    for (const std::string &n : *names)
      if (!isRecurrentActivation(n))
        return ctx.error() << "activation '" << n << "' is not supported";
    SmallVector<StringRef> refs(names->begin(), names->end());
    attrs.push_back(b.getNamedAttr("activations", b.getStrArrayAttr(refs)));
  }
  for (StringRef name : {"activation_alpha", "activation_beta"})
    if (auto v = ctx.getFloats(name))
      attrs.push_back(b.getNamedAttr(name, b.getF32ArrayAttr(*v)));
  if (auto clip = ctx.getFloat("clip")) {
    if (*clip <= 0)
      return ctx.error() << "clip must be positive";
    attrs.push_back(b.getNamedAttr("clip", b.getF32FloatAttr(*clip)));
  }
  if (auto hidden = ctx.getInt("hidden_size"))
    attrs.push_back(b.getNamedAttr("hidden_size", b.getI64IntegerAttr(*hidden)));
  int64_t layout = ctx.getInt("layout", 0);
  if (layout != 0 && layout != 1)
    return ctx.error() << "layout must be 0 or 1";
  attrs.push_back(b.getNamedAttr("layout", b.getI64IntegerAttr(layout)));
  if (ctx.opset < 7)
    ctx.ignore("output_sequence");
  return success();
}

/// Creates OpTy with `numOperands` optional-aware operands (absent ones are
/// null) and the segment sizes AttrSizedOperandSegments needs.
template <typename OpTy>
LogicalResult importRecurrent(NodeContext &ctx, size_t numOperands, size_t perDirection, size_t numResults,
                              StringRef extraAttr) {
  if (failed(ctx.expectInputs(3, numOperands)))
    return failure();
  SmallVector<NamedAttribute> attrs;
  if (failed(readRecurrentAttrs(ctx, perDirection, attrs)))
    return failure();
  if (!extraAttr.empty())
    if (auto v = ctx.getInt(extraAttr))
      attrs.push_back(ctx.b.getNamedAttr(extraAttr, ctx.b.getI64IntegerAttr(*v)));
  SmallVector<Value> operands;
  SmallVector<int32_t> segments;
  for (size_t i = 0; i < numOperands; ++i) {
    Value v = ctx.input(i);
    segments.push_back(v ? 1 : 0);
    if (v)
      operands.push_back(v);
  }
  attrs.push_back(ctx.b.getNamedAttr("operandSegmentSizes", ctx.b.getDenseI32ArrayAttr(segments)));
  SmallVector<Type> types(numResults, ctx.unrankedLike(ctx.input(0)));
  auto op = OpTy::create(ctx.b, ctx.loc, types, operands, attrs);
  return ctx.setOutputs(op->getResults());
}

LogicalResult importRNN(NodeContext &ctx) {
  return importRecurrent<onnx::RNNOp>(ctx, 6, 1, 2, "");
}
LogicalResult importGRU(NodeContext &ctx) {
  return importRecurrent<onnx::GRUOp>(ctx, 6, 2, 2, "linear_before_reset");
}
LogicalResult importLSTM(NodeContext &ctx) {
  return importRecurrent<onnx::LSTMOp>(ctx, 8, 3, 3, "input_forget");
}

} // namespace

void registerRecurrentImporters(OpImporterTable &table) {
  table["RNN"] = importRNN;
  table["GRU"] = importGRU;
  table["LSTM"] = importLSTM;
}

} // namespace onnxc
