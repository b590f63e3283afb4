//===- ImportImage.cpp - resampling, sampling, crops, folds, unpooling ---===//
//
// Every Resize opset and Upsample become one onnx.Resize with opset 19
// attributes: opset 10 Resize and Upsample sample at x / scale
// ("asymmetric") with onnxruntime's legacy "simple" nearest rounding.
// Likewise opset 16 GridSample's bilinear/bicubic become linear/cubic, and
// opset 10 RoiAlign (no coordinate_transformation_mode) is output_half_pixel.
//
//===----------------------------------------------------------------------===//
#include "compiler/NodeImporter.h"

using namespace mlir;

namespace onnxc {
namespace {

onnx::ResizeOp createResize(NodeContext &ctx, Value x, Value roi, Value scales, Value sizes) {
  return onnx::ResizeOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, roi, scales, sizes,
                                /*antialias=*/nullptr, /*axes=*/nullptr,
                                /*coordinate_transformation_mode=*/nullptr,
                                /*cubic_coeff_a=*/nullptr, /*exclude_outside=*/nullptr,
                                /*extrapolation_value=*/nullptr,
                                /*keep_aspect_ratio_policy=*/nullptr, /*mode=*/nullptr,
                                /*nearest_mode=*/nullptr);
}

/// Opset 10 Resize and Upsample: scales only, sampled at x / scale.
LogicalResult importLegacyResize(NodeContext &ctx, Value x, Value scales) {
  std::string mode = ctx.getString("mode").value_or("nearest");
  if (mode != "nearest" && mode != "linear")
    return ctx.error() << "mode '" << mode << "' is not supported (nearest or linear)";
  auto op = createResize(ctx, x, Value(), scales, Value());
  op.setMode(mode);
  op.setCoordinateTransformationMode("asymmetric");
  op.setNearestMode("simple");
  return ctx.setOutputs(op.getResult());
}

LogicalResult importResize(NodeContext &ctx) {
  if (ctx.opset < 11) {
    if (failed(ctx.expectInputs(2, 2)))
      return failure();
    return importLegacyResize(ctx, ctx.input(0), ctx.input(1));
  }
  if (failed(ctx.expectInputs(1, 4)))
    return failure();
  Value x = ctx.input(0);
  auto op = createResize(ctx, x, ctx.input(1), ctx.input(2), ctx.input(3));
  if (auto v = ctx.getInt("antialias"))
    op.setAntialias(*v);
  if (ArrayAttr axes = ctx.intsAttr("axes"))
    op.setAxesAttr(axes);
  if (auto v = ctx.getString("coordinate_transformation_mode"))
    op.setCoordinateTransformationMode(*v);
  if (auto v = ctx.getFloat("cubic_coeff_a"))
    op.setCubicCoeffA(APFloat(*v));
  if (auto v = ctx.getInt("exclude_outside"))
    op.setExcludeOutside(*v);
  if (auto v = ctx.getFloat("extrapolation_value"))
    op.setExtrapolationValue(APFloat(*v));
  if (auto v = ctx.getString("keep_aspect_ratio_policy"))
    op.setKeepAspectRatioPolicy(*v);
  if (auto v = ctx.getString("mode"))
    op.setMode(*v);
  if (auto v = ctx.getString("nearest_mode"))
    op.setNearestMode(*v);
  return ctx.setOutputs(op.getResult());
}

LogicalResult importUpsample(NodeContext &ctx) {
  if (ctx.opset >= 9) {
    if (failed(ctx.expectInputs(2, 2)))
      return failure();
    return importLegacyResize(ctx, ctx.input(0), ctx.input(1));
  }
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  ctx.ignore("width_scale");  // Opset 1 only; the opset 7 form carries `scales`.
  ctx.ignore("height_scale");
  auto scales = ctx.getFloats("scales");
  if (!scales)
    return ctx.error() << "attribute 'scales' is required";
  auto type = RankedTensorType::get({int64_t(scales->size())}, ctx.b.getF32Type());
  Value scalesValue = onnx::ConstantOp::create(ctx.b, ctx.loc, type,
                                               DenseElementsAttr::get(type, ArrayRef<float>(*scales)));
  return importLegacyResize(ctx, ctx.input(0), scalesValue);
}

LogicalResult importConvTranspose(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 3)))
    return failure();
  Value x = ctx.input(0);
  auto op = onnx::ConvTransposeOp::create(
      ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.input(1), ctx.input(2), ctx.stringAttr("auto_pad"),
      ctx.intsAttr("dilations"), ctx.intAttr("group"), ctx.intsAttr("kernel_shape"),
      ctx.intsAttr("output_padding"), ctx.intsAttr("output_shape"), ctx.intsAttr("pads"),
      ctx.intsAttr("strides"));
  return ctx.setOutputs(op.getResult());
}

template <typename OpTy>
LogicalResult importBlockRearrange(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  auto blocksize = ctx.intAttr("blocksize");
  if (!blocksize)
    return ctx.error() << "attribute 'blocksize' is required";
  Value x = ctx.input(0);
  return ctx.setOutputs(
      OpTy::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, blocksize, ctx.stringAttr("mode"))
          .getResult());
}

LogicalResult importGlobalMaxPool(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  Value x = ctx.input(0);
  return ctx.setOutputs(
      onnx::GlobalMaxPoolOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x).getResult());
}

LogicalResult importGridSample(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 2)))
    return failure();
  Value x = ctx.input(0);
  std::string mode = ctx.getString("mode").value_or(ctx.opset < 20 ? "bilinear" : "linear");
  // Opset 20 renamed the modes when GridSample became N-D.
  if (mode == "bilinear")
    mode = "linear";
  else if (mode == "bicubic")
    mode = "cubic";
  auto op = onnx::GridSampleOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.input(1),
                                       ctx.intAttr("align_corners"), ctx.b.getStringAttr(mode),
                                       ctx.stringAttr("padding_mode"));
  return ctx.setOutputs(op.getResult());
}

LogicalResult importAffineGrid(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 2)))
    return failure();
  Value theta = ctx.input(0);
  return ctx.setOutputs(onnx::AffineGridOp::create(ctx.b, ctx.loc, ctx.unrankedLike(theta), theta,
                                                   ctx.input(1), ctx.intAttr("align_corners"))
                            .getResult());
}

LogicalResult importDeformConv(NodeContext &ctx) {
  if (failed(ctx.expectInputs(3, 5)))
    return failure();
  Value x = ctx.input(0);
  auto op = onnx::DeformConvOp::create(
      ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.input(1), ctx.input(2), ctx.input(3),
      ctx.input(4), ctx.intsAttr("dilations"), ctx.intAttr("group"), ctx.intsAttr("kernel_shape"),
      ctx.intAttr("offset_group"), ctx.intsAttr("pads"), ctx.intsAttr("strides"));
  return ctx.setOutputs(op.getResult());
}

LogicalResult importRoiAlign(NodeContext &ctx) {
  if (failed(ctx.expectInputs(3, 3)))
    return failure();
  Value x = ctx.input(0);
  StringAttr ctm = ctx.stringAttr("coordinate_transformation_mode");
  // Opset 10 had no half-pixel shift: it behaves as output_half_pixel.
  if (ctx.opset < 16)
    ctm = ctx.b.getStringAttr("output_half_pixel");
  auto op = onnx::RoiAlignOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.input(1),
                                     ctx.input(2), ctm, ctx.stringAttr("mode"),
                                     ctx.intAttr("output_height"), ctx.intAttr("output_width"),
                                     ctx.intAttr("sampling_ratio"), ctx.floatAttr("spatial_scale"));
  return ctx.setOutputs(op.getResult());
}

LogicalResult importCenterCropPad(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 2)))
    return failure();
  Value x = ctx.input(0);
  return ctx.setOutputs(onnx::CenterCropPadOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x,
                                                      ctx.input(1), ctx.intsAttr("axes"))
                            .getResult());
}

LogicalResult importCol2Im(NodeContext &ctx) {
  if (failed(ctx.expectInputs(3, 3)))
    return failure();
  Value x = ctx.input(0);
  return ctx.setOutputs(onnx::Col2ImOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x,
                                               ctx.input(1), ctx.input(2),
                                               ctx.intsAttr("dilations"), ctx.intsAttr("pads"),
                                               ctx.intsAttr("strides"))
                            .getResult());
}

LogicalResult importMaxUnpool(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 3)))
    return failure();
  ArrayAttr kernel = ctx.intsAttr("kernel_shape");
  if (!kernel)
    return ctx.error() << "attribute 'kernel_shape' is required";
  Value x = ctx.input(0);
  return ctx.setOutputs(onnx::MaxUnpoolOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x,
                                                  ctx.input(1), ctx.input(2), kernel,
                                                  ctx.intsAttr("pads"), ctx.intsAttr("strides"))
                            .getResult());
}

} // namespace

void registerImageImporters(OpImporterTable &table) {
  table["Resize"] = importResize;
  table["Upsample"] = importUpsample;
  table["ConvTranspose"] = importConvTranspose;
  table["DepthToSpace"] = importBlockRearrange<onnx::DepthToSpaceOp>;
  table["SpaceToDepth"] = importBlockRearrange<onnx::SpaceToDepthOp>;
  table["GlobalMaxPool"] = importGlobalMaxPool;
  table["GridSample"] = importGridSample;
  table["AffineGrid"] = importAffineGrid;
  table["DeformConv"] = importDeformConv;
  table["RoiAlign"] = importRoiAlign;
  table["CenterCropPad"] = importCenterCropPad;
  table["Col2Im"] = importCol2Im;
  table["MaxUnpool"] = importMaxUnpool;
}

} // namespace onnxc
