//===- ImportSignal.cpp - DFT, STFT, window functions, MelWeightMatrix ----===//
#include "compiler/NodeImporter.h"

using namespace mlir;

namespace onnxc {
namespace {

/// DFT-17 takes the axis as an attribute (default 1), DFT-20 as an optional
/// input (default -2); both become onnx.DFT's axis operand.
LogicalResult importDFT(NodeContext &ctx) {
  if (ctx.opset < 17)
    return ctx.error() << "DFT exists from opset 17";
  bool axisInput = ctx.opset >= 20;
  if (failed(ctx.expectInputs(1, axisInput ? 3 : 2)))
    return failure();
  Value axis;
  if (axisInput)
    axis = ctx.input(2) ? ctx.input(2) : ctx.constantI64s({-2}, /*scalar=*/true);
  else
    axis = ctx.constantI64s({ctx.getInt("axis", 1)}, /*scalar=*/true);
  Value x = ctx.input(0);
  return ctx.setOutputs(onnx::DFTOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.input(1), axis,
                                            ctx.intAttr("inverse"), ctx.intAttr("onesided"))
                            .getResult());
}

LogicalResult importSTFT(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 4)))
    return failure();
  Value x = ctx.input(0);
  return ctx.setOutputs(onnx::STFTOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.input(1), ctx.input(2),
                                             ctx.input(3), ctx.intAttr("onesided"))
                            .getResult());
}

/// The result's element type comes from output_datatype; the shape rule
/// refines the placeholder once `size` is known.
template <typename WindowOp>
LogicalResult importWindow(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  int64_t code = ctx.getInt("output_datatype", 1);
  Type elem = onnx::elementTypeForCode(ctx.b.getContext(), code);
  if (!elem)
    return ctx.error() << "output_datatype " << code << " is not supported";
  return ctx.setOutputs(WindowOp::create(ctx.b, ctx.loc, ctx.unranked(elem), ctx.input(0),
                                         ctx.intAttr("output_datatype"), ctx.intAttr("periodic"))
                            .getResult());
}

LogicalResult importMelWeightMatrix(NodeContext &ctx) {
  if (failed(ctx.expectInputs(5, 5)))
    return failure();
  int64_t code = ctx.getInt("output_datatype", 1);
  Type elem = onnx::elementTypeForCode(ctx.b.getContext(), code);
  if (!elem)
    return ctx.error() << "output_datatype " << code << " is not supported";
  return ctx.setOutputs(onnx::MelWeightMatrixOp::create(ctx.b, ctx.loc, ctx.unranked(elem), ctx.input(0),
                                                        ctx.input(1), ctx.input(2), ctx.input(3), ctx.input(4),
                                                        ctx.intAttr("output_datatype"))
                            .getResult());
}

} // namespace

void registerSignalImporters(OpImporterTable &table) {
  table["DFT"] = importDFT;
  table["STFT"] = importSTFT;
  table["HannWindow"] = importWindow<onnx::HannWindowOp>;
  table["HammingWindow"] = importWindow<onnx::HammingWindowOp>;
  table["BlackmanWindow"] = importWindow<onnx::BlackmanWindowOp>;
  table["MelWeightMatrix"] = importMelWeightMatrix;
}

} // namespace onnxc
