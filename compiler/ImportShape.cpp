//===- ImportShape.cpp - Shape, Squeeze, Slice, Gather, Pad, Split, ... ---===//
#include "compiler/NodeImporter.h"
#include "compiler/TensorImport.h"

using namespace mlir;

namespace onnxc {
namespace {

Type i64Tensor(NodeContext &ctx) { return ctx.unranked(ctx.b.getI64Type()); }

LogicalResult importShape(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  return ctx.setOutputs(onnx::ShapeOp::create(ctx.b, ctx.loc, i64Tensor(ctx), ctx.input(0),
                                              ctx.intAttr("start"), ctx.intAttr("end"))
                            .getResult());
}

LogicalResult importSize(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  return ctx.setOutputs(onnx::SizeOp::create(ctx.b, ctx.loc, i64Tensor(ctx), ctx.input(0)).getResult());
}

/// Squeeze/Unsqueeze: axes moved from attribute to input at opset 13.
template <typename OpTy>
LogicalResult importAxesOp(NodeContext &ctx) {
  Value data = ctx.input(0), axes;
  if (ctx.opset < 13) {
    if (failed(ctx.expectInputs(1, 1)))
      return failure();
    if (auto list = ctx.getInts("axes"))
      axes = ctx.constantI64s(*list);
  } else {
    if (failed(ctx.expectInputs(1, 2)))
      return failure();
    axes = ctx.input(1);
  }
  return ctx.setOutputs(OpTy::create(ctx.b, ctx.loc, ctx.unrankedLike(data), data, axes).getResult());
}

template <typename OpTy>
LogicalResult importTwoInputs(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 2)))
    return failure();
  Value x = ctx.input(0);
  return ctx.setOutputs(OpTy::create(ctx.b, ctx.loc, TypeRange{ctx.unrankedLike(x)},
                                     ValueRange{x, ctx.input(1)}, ArrayRef<NamedAttribute>{})
                            ->getResults());
}

LogicalResult importSlice(NodeContext &ctx) {
  Value data = ctx.input(0), starts, ends, axes, steps;
  if (ctx.opset < 10) {
    // Opsets 1-9: starts/ends/axes are attributes.
    if (failed(ctx.expectInputs(1, 1)))
      return failure();
    auto s = ctx.getInts("starts"), e = ctx.getInts("ends");
    if (!s || !e)
      return ctx.error() << "attributes 'starts' and 'ends' are required";
    starts = ctx.constantI64s(*s);
    ends = ctx.constantI64s(*e);
    if (auto a = ctx.getInts("axes"))
      axes = ctx.constantI64s(*a);
  } else {
    if (failed(ctx.expectInputs(3, 5)))
      return failure();
    starts = ctx.input(1);
    ends = ctx.input(2);
    axes = ctx.input(3);
    steps = ctx.input(4);
  }
  return ctx.setOutputs(onnx::SliceOp::create(ctx.b, ctx.loc, ctx.unrankedLike(data), data, starts,
                                              ends, axes, steps)
                            .getResult());
}

template <typename OpTy>
LogicalResult importGather(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 2)))
    return failure();
  Value data = ctx.input(0);
  return ctx.setOutputs(
      OpTy::create(ctx.b, ctx.loc, ctx.unrankedLike(data), data, ctx.input(1), ctx.intAttr("axis"))
          .getResult());
}

LogicalResult importScatterElements(NodeContext &ctx) {
  if (failed(ctx.expectInputs(3, 3)))
    return failure();
  Value data = ctx.input(0);
  std::string reduction = ctx.opset >= 16 ? ctx.getString("reduction").value_or("none") : "none";
  if (!llvm::is_contained({"none", "add", "mul", "min", "max"}, reduction))
    return ctx.error() << "reduction '" << reduction << "' is not one of none, add, mul, min, max";
  return ctx.setOutputs(onnx::ScatterElementsOp::create(ctx.b, ctx.loc, ctx.unrankedLike(data), data,
                                                        ctx.input(1), ctx.input(2), ctx.intAttr("axis"),
                                                        ctx.b.getStringAttr(reduction))
                            .getResult());
}

LogicalResult importPad(NodeContext &ctx) {
  Value data = ctx.input(0), pads, value, axes;
  if (ctx.opset < 11) {
    // Opsets 1-10: pads (named "paddings" in opset 1) and value are attributes.
    if (failed(ctx.expectInputs(1, 1)))
      return failure();
    auto list = ctx.getInts(ctx.opset < 2 ? "paddings" : "pads");
    if (!list)
      return ctx.error() << "attribute 'pads' is required";
    pads = ctx.constantI64s(*list);
    Type elem = cast<ShapedType>(data.getType()).getElementType();
    value = ctx.constantScalar(elem, ctx.getFloat("value", 0.0f));
  } else {
    if (failed(ctx.expectInputs(2, 4)))
      return failure();
    pads = ctx.input(1);
    value = ctx.input(2);
    axes = ctx.input(3);
  }
  return ctx.setOutputs(onnx::PadOp::create(ctx.b, ctx.loc, ctx.unrankedLike(data), data, pads,
                                            value, axes, ctx.stringAttr("mode"))
                            .getResult());
}

LogicalResult importConstantOfShape(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  ElementsAttr value;
  Type elem = ctx.b.getF32Type();
  if (const auto *tensor = ctx.getTensor("value")) {
    std::string error;
    value = importTensor(ctx.b.getContext(), *tensor, ctx.modelFile(), error);
    if (!value)
      return ctx.error() << "attribute 'value' " << error;
    elem = value.getElementType();
  }
  return ctx.setOutputs(onnx::ConstantOfShapeOp::create(ctx.b, ctx.loc, ctx.unranked(elem),
                                                        ctx.input(0), value)
                            .getResult());
}

LogicalResult importEyeLike(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  Value x = ctx.input(0);
  Type elem = cast<ShapedType>(x.getType()).getElementType();
  if (std::optional<int64_t> dtype = ctx.getInt("dtype")) {
    elem = onnx::elementTypeForCode(ctx.b.getContext(), *dtype);
    if (!elem)
      return ctx.error() << "dtype " << *dtype << " is not supported";
  }
  return ctx.setOutputs(onnx::EyeLikeOp::create(ctx.b, ctx.loc, ctx.unranked(elem), x, ctx.intAttr("k")).getResult());
}

LogicalResult importOneHot(NodeContext &ctx) {
  if (failed(ctx.expectInputs(3, 3)))
    return failure();
  Value values = ctx.input(2);
  return ctx.setOutputs(onnx::OneHotOp::create(ctx.b, ctx.loc, ctx.unrankedLike(values), ctx.input(0),
                                               ctx.input(1), values, ctx.intAttr("axis"))
                            .getResult());
}

LogicalResult importRange(NodeContext &ctx) {
  if (failed(ctx.expectInputs(3, 3)))
    return failure();
  // Opset 27: the accumulation type for low-precision outputs; Range is folded
  // at compile time in double precision, which covers every stash type.
  ctx.getInt("stash_type");
  return ctx.setOutputs(onnx::RangeOp::create(ctx.b, ctx.loc, ctx.unrankedLike(ctx.input(0)),
                                              ctx.input(0), ctx.input(1), ctx.input(2))
                            .getResult());
}

LogicalResult importSplit(NodeContext &ctx) {
  Value input = ctx.input(0), split;
  if (ctx.opset < 13) {
    if (failed(ctx.expectInputs(1, 2)))
      return failure();
    if (auto list = ctx.getInts("split"))
      split = ctx.constantI64s(*list);
    else
      split = ctx.input(1); // Opset 2 also allowed an input.
  } else {
    if (failed(ctx.expectInputs(1, 2)))
      return failure();
    split = ctx.input(1);
  }
  auto numOutputs = ctx.getInt("num_outputs");
  int64_t n = ctx.node.output_size();
  if (numOutputs && *numOutputs != n)
    return ctx.error() << "num_outputs=" << *numOutputs << " but the node has " << n << " outputs";
  if (n == 0)
    return ctx.error() << "needs at least one output";
  SmallVector<Type> types(n, ctx.unrankedLike(input));
  auto op = onnx::SplitOp::create(ctx.b, ctx.loc, types, input, split, ctx.intAttr("axis"));
  return ctx.setOutputs(op.getResults());
}

} // namespace

void registerShapeImporters(OpImporterTable &table) {
  table["Shape"] = importShape;
  table["Size"] = importSize;
  table["Squeeze"] = importAxesOp<onnx::SqueezeOp>;
  table["Unsqueeze"] = importAxesOp<onnx::UnsqueezeOp>;
  table["Expand"] = importTwoInputs<onnx::ExpandOp>;
  table["Tile"] = importTwoInputs<onnx::TileOp>;
  table["Slice"] = importSlice;
  table["Gather"] = importGather<onnx::GatherOp>;
  table["GatherElements"] = importGather<onnx::GatherElementsOp>;
  table["ScatterElements"] = importScatterElements;
  table["Scatter"] = importScatterElements;
  table["Pad"] = importPad;
  table["ConstantOfShape"] = importConstantOfShape;
  table["Range"] = importRange;
  table["EyeLike"] = importEyeLike;
  table["OneHot"] = importOneHot;
  table["Split"] = importSplit;
}

} // namespace onnxc
