//===- ImportMath.cpp - unary/binary math, comparisons, logic, Cast -------===//
#include "compiler/NodeImporter.h"

using namespace mlir;

namespace onnxc {
namespace {

enum class AttrKind { Float, Int, String };
struct AttrSpec {
  const char *name;
  AttrKind kind;
};

/// Builds OpTy from all inputs plus the listed attributes (absent ones take
/// the op's ODS defaults); the result element type is the first input's.
template <typename OpTy>
LogicalResult importGeneric(NodeContext &ctx, size_t minInputs, size_t maxInputs,
                            std::initializer_list<AttrSpec> attrs = {}, Type resultElement = nullptr) {
  if (failed(ctx.expectInputs(minInputs, maxInputs)))
    return failure();
  ctx.ignore("consumed_inputs"); // Opsets 1-5 bookkeeping, no effect.
  SmallVector<NamedAttribute> named;
  for (const AttrSpec &spec : attrs) {
    Attribute a;
    if (spec.kind == AttrKind::Float)
      a = ctx.floatAttr(spec.name);
    else if (spec.kind == AttrKind::Int)
      a = ctx.intAttr(spec.name);
    else
      a = ctx.stringAttr(spec.name);
    if (a)
      named.push_back(ctx.b.getNamedAttr(spec.name, a));
  }
  SmallVector<Value> operands;
  for (size_t i = 0; i < ctx.numInputs(); ++i)
    operands.push_back(ctx.input(i));
  Type type = resultElement ? ctx.unranked(resultElement) : ctx.unrankedLike(operands[0]);
  Operation *op = OpTy::create(ctx.b, ctx.loc, TypeRange{type}, operands, named);
  return ctx.setOutputs(op->getResults());
}

template <typename OpTy>
LogicalResult importUnary(NodeContext &ctx) {
  return importGeneric<OpTy>(ctx, 1, 1);
}

/// Binary ops; opsets before 7 may carry legacy `broadcast`/`axis` attributes.
template <typename OpTy>
LogicalResult importBinary(NodeContext &ctx) {
  ctx.getInt("broadcast");
  if (ctx.getInt("axis"))
    return ctx.error() << "legacy broadcasting with an explicit axis is not supported";
  return importGeneric<OpTy>(ctx, 2, 2);
}

template <typename OpTy>
LogicalResult importComparison(NodeContext &ctx) {
  ctx.getInt("broadcast");
  if (ctx.getInt("axis"))
    return ctx.error() << "legacy broadcasting with an explicit axis is not supported";
  return importGeneric<OpTy>(ctx, 2, 2, {}, ctx.b.getI1Type());
}

template <typename OpTy>
LogicalResult importVariadic(NodeContext &ctx) {
  if (ctx.numInputs() == 0)
    return ctx.error() << "needs at least one input";
  for (size_t i = 0; i < ctx.numInputs(); ++i)
    if (!ctx.input(i))
      return ctx.error() << "input " << i << " is empty";
  return importGeneric<OpTy>(ctx, 1, ctx.numInputs());
}

/// Cast and CastLike: input 0 to `elem` (ONNX code `code`), with Cast-19's `saturate`
/// and Cast-25's `round_mode`.
LogicalResult importCastTo(NodeContext &ctx, Type elem, int64_t code) {
  int64_t saturate = ctx.getInt("saturate").value_or(1);
  std::string roundMode = ctx.getString("round_mode").value_or("up");
  if (roundMode != "up" && roundMode != "down" && roundMode != "nearest")
    return ctx.error() << "round_mode '" << roundMode << "' is not up, down or nearest";
  return ctx.setOutputs(onnx::CastOp::create(ctx.b, ctx.loc, ctx.unranked(elem), ctx.input(0),
                                             ctx.b.getI64IntegerAttr(code),
                                             ctx.b.getI64IntegerAttr(saturate != 0),
                                             ctx.b.getStringAttr(roundMode))
                            .getResult());
}

LogicalResult importCast(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  auto to = ctx.getInt("to");
  if (!to)
    return ctx.error() << "attribute 'to' is required";
  Type elem = onnx::elementTypeForCode(ctx.b.getContext(), *to);
  if (!elem)
    return ctx.error() << "cast to ONNX data type " << *to << " is not supported";
  return importCastTo(ctx, elem, *to);
}

LogicalResult importBitCast(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  auto to = ctx.getInt("to");
  if (!to)
    return ctx.error() << "attribute 'to' is required";
  Type elem = onnx::elementTypeForCode(ctx.b.getContext(), *to);
  if (!elem)
    return ctx.error() << "bitcast to ONNX data type " << *to << " is not supported";
  return ctx.setOutputs(
      onnx::BitCastOp::create(ctx.b, ctx.loc, ctx.unranked(elem), ctx.input(0), ctx.b.getI64IntegerAttr(*to))
          .getResult());
}

LogicalResult importCastLike(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 2)))
    return failure();
  Type elem = cast<ShapedType>(ctx.input(1).getType()).getElementType();
  return importCastTo(ctx, elem, onnx::codeForElementType(elem));
}

LogicalResult importWhere(NodeContext &ctx) {
  if (failed(ctx.expectInputs(3, 3)))
    return failure();
  return ctx.setOutputs(onnx::WhereOp::create(ctx.b, ctx.loc, ctx.unrankedLike(ctx.input(1)),
                                              ctx.input(0), ctx.input(1), ctx.input(2))
                            .getResult());
}

} // namespace

void registerMathImporters(OpImporterTable &table) {
#define UNARY(NAME) table[#NAME] = importUnary<onnx::NAME##Op>;
  UNARY(Abs) UNARY(Neg) UNARY(Exp) UNARY(Log) UNARY(Sqrt) UNARY(Reciprocal) UNARY(Floor)
  UNARY(Ceil) UNARY(Round) UNARY(Sin) UNARY(Cos) UNARY(Tan) UNARY(Asin) UNARY(Acos)
  UNARY(Atan) UNARY(Sinh) UNARY(Cosh) UNARY(Asinh) UNARY(Acosh) UNARY(Atanh) UNARY(Erf)
  UNARY(Sign) UNARY(Softplus) UNARY(Softsign) UNARY(Not) UNARY(BitwiseNot) UNARY(Mish)
  UNARY(HardSwish)
#undef UNARY
  table["IsNaN"] = [](NodeContext &c) { return importGeneric<onnx::IsNaNOp>(c, 1, 1, {}, c.b.getI1Type()); };
  table["IsInf"] = [](NodeContext &c) {
    return importGeneric<onnx::IsInfOp>(c, 1, 1, {{"detect_negative", AttrKind::Int}, {"detect_positive", AttrKind::Int}},
                                        c.b.getI1Type());
  };
  table["LeakyRelu"] = [](NodeContext &c) { return importGeneric<onnx::LeakyReluOp>(c, 1, 1, {{"alpha", AttrKind::Float}}); };
  table["Elu"] = [](NodeContext &c) { return importGeneric<onnx::EluOp>(c, 1, 1, {{"alpha", AttrKind::Float}}); };
  table["Celu"] = [](NodeContext &c) { return importGeneric<onnx::CeluOp>(c, 1, 1, {{"alpha", AttrKind::Float}}); };
  table["ThresholdedRelu"] = [](NodeContext &c) {
    return importGeneric<onnx::ThresholdedReluOp>(c, 1, 1, {{"alpha", AttrKind::Float}});
  };
  table["Selu"] = [](NodeContext &c) {
    return importGeneric<onnx::SeluOp>(c, 1, 1, {{"alpha", AttrKind::Float}, {"gamma", AttrKind::Float}});
  };
  table["HardSigmoid"] = [](NodeContext &c) {
    return importGeneric<onnx::HardSigmoidOp>(c, 1, 1, {{"alpha", AttrKind::Float}, {"beta", AttrKind::Float}});
  };
  table["Shrink"] = [](NodeContext &c) {
    return importGeneric<onnx::ShrinkOp>(c, 1, 1, {{"bias", AttrKind::Float}, {"lambd", AttrKind::Float}});
  };
  table["Gelu"] = [](NodeContext &c) { return importGeneric<onnx::GeluOp>(c, 1, 1, {{"approximate", AttrKind::String}}); };

  table["Pow"] = importBinary<onnx::PowOp>;
  table["PRelu"] = importBinary<onnx::PReluOp>;
  table["And"] = importBinary<onnx::AndOp>;
  table["Or"] = importBinary<onnx::OrOp>;
  table["Xor"] = importBinary<onnx::XorOp>;
  table["BitwiseAnd"] = importBinary<onnx::BitwiseAndOp>;
  table["BitwiseOr"] = importBinary<onnx::BitwiseOrOp>;
  table["BitwiseXor"] = importBinary<onnx::BitwiseXorOp>;
  table["Equal"] = importComparison<onnx::EqualOp>;
  table["Less"] = importComparison<onnx::LessOp>;
  table["LessOrEqual"] = importComparison<onnx::LessOrEqualOp>;
  table["Greater"] = importComparison<onnx::GreaterOp>;
  table["GreaterOrEqual"] = importComparison<onnx::GreaterOrEqualOp>;
  table["Mod"] = [](NodeContext &c) { return importGeneric<onnx::ModOp>(c, 2, 2, {{"fmod", AttrKind::Int}}); };
  table["BitShift"] = [](NodeContext &c) {
    if (!c.has("direction"))
      return LogicalResult(c.error() << "attribute 'direction' is required");
    return importGeneric<onnx::BitShiftOp>(c, 2, 2, {{"direction", AttrKind::String}});
  };
  table["Max"] = importVariadic<onnx::MaxOp>;
  table["Min"] = importVariadic<onnx::MinOp>;
  table["Sum"] = importVariadic<onnx::SumOp>;
  table["Mean"] = importVariadic<onnx::MeanOp>;
  table["Where"] = importWhere;
  table["Cast"] = importCast;
  table["BitCast"] = importBitCast;
  table["CastLike"] = importCastLike;
}

} // namespace onnxc
