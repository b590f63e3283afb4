//===- ImportQuantize.cpp - QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear -===//
//
// The linear quantization ops are imported as their definitions in existing onnx ops
// (Div, Round, Add, Clip, Cast, ...), computed in f32: the elementwise lowering fuses
// them back into one loop, and constant folding evaluates them on weights.
//
//===----------------------------------------------------------------------===//
#include "compiler/NodeImporter.h"

#include "mlir/IR/BuiltinTypes.h"

#include <limits>

using namespace mlir;

namespace onnxc {
namespace {

Value castTo(NodeContext &ctx, Value v, Type elem, bool saturate = true) {
  if (cast<ShapedType>(v.getType()).getElementType() == elem)
    return v;
  return onnx::CastOp::create(ctx.b, ctx.loc, ctx.unranked(elem), v,
                              ctx.b.getI64IntegerAttr(onnx::codeForElementType(elem)),
                              ctx.b.getI64IntegerAttr(saturate), ctx.b.getStringAttr("up"));
}

template <typename OpTy> Value binary(NodeContext &ctx, Value x, Value y) {
  return OpTy::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, y);
}

Value clip(NodeContext &ctx, Value x, double lo, double hi) {
  Type elem = cast<ShapedType>(x.getType()).getElementType();
  return onnx::ClipOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x,
                              ctx.constantScalar(elem, lo), ctx.constantScalar(elem, hi));
}

/// The range of an integer quantized type.
std::pair<double, double> integerRange(IntegerType t) {
  unsigned w = t.getWidth();
  if (t.isUnsigned())
    return {0.0, std::ldexp(1.0, w) - 1};
  return {-std::ldexp(1.0, w - 1), std::ldexp(1.0, w - 1) - 1};
}

/// Makes a scale or zero point broadcastable against `x`: per tensor (a scalar or one
/// element) as is; per axis (1-D) reshaped to [1, .., C, .., 1]; blocked (x's rank,
/// ceil(D / block_size) along `axis`) repeated block_size times along `axis` by a Gather.
FailureOr<Value> broadcastParam(NodeContext &ctx, Value param, Value x, int64_t axis,
                                int64_t blockSize) {
  // A computed parameter (unranked at import) goes through the per-axis reshape, which
  // is right for one element as well.
  auto pt = dyn_cast<RankedTensorType>(param.getType());
  if (pt && (pt.getRank() == 0 || (blockSize == 0 && pt.hasStaticShape() && pt.getNumElements() == 1)))
    return param;
  auto xt = dyn_cast<RankedTensorType>(x.getType());
  if (!xt)
    return ctx.error() << "per-axis quantization needs an input of known rank", failure();
  int64_t rank = xt.getRank();
  // The default axis (1) need not fit a rank-1 input: then only per-tensor is valid.
  if ((axis < -rank || axis >= rank) && !pt && blockSize <= 0)
    return param;
  if (axis < -rank || axis >= rank)
    return ctx.error() << "axis " << axis << " is out of range for rank " << rank, failure();
  if (axis < 0)
    axis += rank;
  if (blockSize <= 0) {
    if (pt && pt.getRank() != 1)
      return ctx.error() << "a per-axis scale must be 1-D", failure();
    SmallVector<int64_t> shape(rank, 1);
    shape[axis] = -1;
    return Value(onnx::ReshapeOp::create(ctx.b, ctx.loc, ctx.unrankedLike(param), param,
                                         ctx.constantI64s(shape), ctx.b.getI64IntegerAttr(0)));
  }
  int64_t dim = xt.getDimSize(axis);
  if (ShapedType::isDynamic(dim) || !pt || pt.getRank() != rank)
    return ctx.error() << "blocked quantization needs a static axis and a scale of x's rank",
           failure();
  SmallVector<int64_t> blockOf;
  for (int64_t i = 0; i < dim; ++i)
    blockOf.push_back(i / blockSize);
  return Value(onnx::GatherOp::create(ctx.b, ctx.loc, ctx.unrankedLike(param), param,
                                      ctx.constantI64s(blockOf), ctx.b.getI64IntegerAttr(axis)));
}

/// Reads axis and block_size and broadcasts scale and (when present) zero point.
LogicalResult broadcastParams(NodeContext &ctx, Value x, Value &scale, Value &zeroPoint) {
  int64_t axis = ctx.getInt("axis", 1);
  int64_t blockSize = ctx.getInt("block_size", 0);
  auto s = broadcastParam(ctx, scale, x, axis, blockSize);
  if (failed(s))
    return failure();
  scale = *s;
  if (zeroPoint) {
    auto z = broadcastParam(ctx, zeroPoint, x, axis, blockSize);
    if (failed(z))
      return failure();
    zeroPoint = *z;
  }
  return success();
}

/// y = saturate(round(x / scale) + zero_point), or for float targets
/// cast(x / scale + zero_point).
LogicalResult importQuantizeLinear(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 3)))
    return failure();
  Value x = ctx.input(0), scale = ctx.input(1), zeroPoint = ctx.input(2);
  bool saturate = ctx.getInt("saturate", 1) != 0;
  std::optional<int64_t> outputDtype = ctx.getInt("output_dtype");
  ctx.getInt("precision"); // The computation is always f32, at least as precise.
  Type out = ctx.b.getIntegerType(8, /*isSigned=*/false);
  if (zeroPoint)
    out = cast<ShapedType>(zeroPoint.getType()).getElementType();
  else if (outputDtype && *outputDtype != 0)
    out = onnx::elementTypeForCode(ctx.b.getContext(), *outputDtype);
  if (!out || (!isa<FloatType>(out) && !isa<IntegerType>(out)) || out.isInteger(1))
    return ctx.error() << "quantizing to ONNX data type " << outputDtype.value_or(0)
                       << " is not supported";
  if (failed(broadcastParams(ctx, x, scale, zeroPoint)))
    return failure();
  Type f32 = ctx.b.getF32Type();
  Value y = binary<onnx::DivOp>(ctx, castTo(ctx, x, f32), castTo(ctx, scale, f32));
  if (auto intType = dyn_cast<IntegerType>(out)) {
    y = onnx::RoundOp::create(ctx.b, ctx.loc, ctx.unrankedLike(y), y);
    if (zeroPoint)
      y = binary<onnx::AddOp>(ctx, y, castTo(ctx, zeroPoint, f32));
    auto [lo, hi] = integerRange(intType);
    return ctx.setOutputs(castTo(ctx, clip(ctx, y, lo, hi), out));
  }
  if (zeroPoint)
    y = binary<onnx::AddOp>(ctx, y, castTo(ctx, zeroPoint, f32));
  return ctx.setOutputs(castTo(ctx, y, out, saturate));
}

/// y = (x - zero_point) * scale.
LogicalResult importDequantizeLinear(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 3)))
    return failure();
  Value x = ctx.input(0), scale = ctx.input(1), zeroPoint = ctx.input(2);
  Type out = cast<ShapedType>(scale.getType()).getElementType();
  if (std::optional<int64_t> outputDtype = ctx.getInt("output_dtype"); outputDtype && *outputDtype)
    out = onnx::elementTypeForCode(ctx.b.getContext(), *outputDtype);
  if (!isa_and_nonnull<FloatType>(out))
    return ctx.error() << "dequantizing to a non-float type is not supported";
  if (failed(broadcastParams(ctx, x, scale, zeroPoint)))
    return failure();
  Type f32 = ctx.b.getF32Type();
  Value y = castTo(ctx, x, f32);
  if (zeroPoint)
    y = binary<onnx::SubOp>(ctx, y, castTo(ctx, zeroPoint, f32));
  y = binary<onnx::MulOp>(ctx, y, castTo(ctx, scale, f32));
  return ctx.setOutputs(castTo(ctx, y, out));
}

/// uint8 quantization of x with a scale and zero point that map [min(x, 0), max(x, 0)]
/// onto [0, 255] (the op's function body).
LogicalResult importDynamicQuantizeLinear(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  Value x = ctx.input(0);
  Type f32 = ctx.b.getF32Type(), u8 = ctx.b.getIntegerType(8, false);
  x = castTo(ctx, x, f32);
  auto reduce = [&](auto tag) -> Value {
    using OpTy = decltype(tag);
    return OpTy::create(ctx.b, ctx.loc, ctx.unranked(f32), x, Value(),
                        ctx.b.getI64IntegerAttr(0), ctx.b.getI64IntegerAttr(0));
  };
  Value zero = ctx.constantScalar(f32, 0.0);
  Value lo = onnx::MinOp::create(ctx.b, ctx.loc, ctx.unranked(f32),
                                 ValueRange{reduce(onnx::ReduceMinOp()), zero});
  Value hi = onnx::MaxOp::create(ctx.b, ctx.loc, ctx.unranked(f32),
                                 ValueRange{reduce(onnx::ReduceMaxOp()), zero});
  Value scale = binary<onnx::DivOp>(ctx, binary<onnx::SubOp>(ctx, hi, lo),
                                    ctx.constantScalar(f32, 255.0));
  Value zp = binary<onnx::SubOp>(ctx, zero, binary<onnx::DivOp>(ctx, lo, scale));
  zp = clip(ctx, onnx::RoundOp::create(ctx.b, ctx.loc, ctx.unranked(f32), zp), 0, 255);
  Value y = onnx::RoundOp::create(ctx.b, ctx.loc, ctx.unranked(f32),
                                  binary<onnx::DivOp>(ctx, x, scale));
  y = clip(ctx, binary<onnx::AddOp>(ctx, y, zp), 0, 255);
  return ctx.setOutputs({castTo(ctx, y, u8), scale, castTo(ctx, zp, u8)});
}

/// An integer operand minus its zero point, in i32. A 1-D zero point of A (per row) is
/// made a column so it broadcasts along rows.
Value shiftedI32(NodeContext &ctx, Value x, Value zeroPoint, bool perRow) {
  Type i32 = ctx.b.getI32Type();
  Value v = castTo(ctx, x, i32);
  if (!zeroPoint)
    return v;
  Value z = castTo(ctx, zeroPoint, i32);
  auto zt = dyn_cast<RankedTensorType>(zeroPoint.getType());
  if (perRow && zt && zt.getRank() == 1 && zt.getDimSize(0) != 1)
    z = onnx::ReshapeOp::create(ctx.b, ctx.loc, ctx.unranked(i32), z, ctx.constantI64s({-1, 1}),
                                ctx.b.getI64IntegerAttr(0));
  return binary<onnx::SubOp>(ctx, v, z);
}

Value matmulI32(NodeContext &ctx, Value a, Value b) {
  return onnx::MatMulOp::create(ctx.b, ctx.loc, ctx.unranked(ctx.b.getI32Type()), a, b);
}

/// (A - a_zero_point) x (B - b_zero_point), exact in i32.
LogicalResult importMatMulInteger(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 4)))
    return failure();
  return ctx.setOutputs(matmulI32(ctx, shiftedI32(ctx, ctx.input(0), ctx.input(2), true),
                                  shiftedI32(ctx, ctx.input(1), ctx.input(3), false)));
}

/// The integer product rescaled by a_scale * b_scale / y_scale (in the scales' type, as the
/// reference), then rounded and saturated in f64.
LogicalResult importQLinearMatMul(NodeContext &ctx) {
  if (failed(ctx.expectInputs(8, 8)))
    return failure();
  Value a = ctx.input(0), aScale = ctx.input(1), aZero = ctx.input(2);
  Value b = ctx.input(3), bScale = ctx.input(4), bZero = ctx.input(5);
  Value yScale = ctx.input(6), yZero = ctx.input(7);
  if (!a || !aScale || !b || !bScale || !yScale)
    return ctx.error() << "a, a_scale, b, b_scale and y_scale are required";
  Type out = cast<ShapedType>((yZero ? yZero : a).getType()).getElementType();
  auto intOut = dyn_cast<IntegerType>(out);
  if (!intOut)
    return ctx.error() << "the output must be an integer type";
  Value product = matmulI32(ctx, shiftedI32(ctx, a, aZero, true), shiftedI32(ctx, b, bZero, false));
  Value scale = binary<onnx::DivOp>(ctx, binary<onnx::MulOp>(ctx, aScale, bScale), yScale);
  Type f64 = ctx.b.getF64Type();
  Value y = binary<onnx::MulOp>(ctx, castTo(ctx, product, f64), castTo(ctx, scale, f64));
  if (yZero)
    y = binary<onnx::AddOp>(ctx, y, castTo(ctx, yZero, f64));
  y = onnx::RoundOp::create(ctx.b, ctx.loc, ctx.unranked(f64), y);
  auto [lo, hi] = integerRange(intOut);
  return ctx.setOutputs(castTo(ctx, clip(ctx, y, lo, hi), out));
}

/// A per-channel (1-D, more than one element) parameter reshaped to broadcast along
/// dimension 1 of a rank-`rank` tensor (weights' M for zero points at dim 0 use dim = 0).
Value perChannel(NodeContext &ctx, Value param, int64_t rank, int64_t dim) {
  auto pt = dyn_cast<RankedTensorType>(param.getType());
  if (!pt || pt.getRank() != 1 || pt.getDimSize(0) == 1)
    return param;
  SmallVector<int64_t> shape(rank, 1);
  shape[dim] = -1;
  return onnx::ReshapeOp::create(ctx.b, ctx.loc, ctx.unrankedLike(param), param,
                                 ctx.constantI64s(shape), ctx.b.getI64IntegerAttr(0));
}

/// Conv of the zero-point-shifted operands in i32 (zero padding of the shifted input is
/// padding with x's zero point, as the op defines).
FailureOr<Value> convI32(NodeContext &ctx, Value x, Value xZero, Value w, Value wZero) {
  auto wt = dyn_cast<RankedTensorType>(w.getType());
  if (!wt)
    return ctx.error() << "the weights must have a known rank", failure();
  Type i32 = ctx.b.getI32Type();
  Value xs = castTo(ctx, x, i32), ws = castTo(ctx, w, i32);
  if (xZero)
    xs = binary<onnx::SubOp>(ctx, xs, castTo(ctx, xZero, i32));
  if (wZero)
    ws = binary<onnx::SubOp>(ctx, ws, castTo(ctx, perChannel(ctx, wZero, wt.getRank(), 0), i32));
  return Value(onnx::ConvOp::create(ctx.b, ctx.loc, ctx.unranked(i32), xs, ws, Value(),
                                    ctx.stringAttr("auto_pad"), ctx.intsAttr("dilations"),
                                    ctx.intAttr("group"), ctx.intsAttr("kernel_shape"),
                                    ctx.intsAttr("pads"), ctx.intsAttr("strides")));
}

LogicalResult importConvInteger(NodeContext &ctx) {
  if (failed(ctx.expectInputs(2, 4)))
    return failure();
  auto y = convI32(ctx, ctx.input(0), ctx.input(2), ctx.input(1), ctx.input(3));
  return failed(y) ? failure() : ctx.setOutputs(*y);
}

/// ConvInteger plus the i32 bias, rescaled by x_scale * w_scale / y_scale, rounded and
/// saturated to y's type.
LogicalResult importQLinearConv(NodeContext &ctx) {
  if (failed(ctx.expectInputs(8, 9)))
    return failure();
  Value x = ctx.input(0), xScale = ctx.input(1), xZero = ctx.input(2);
  Value w = ctx.input(3), wScale = ctx.input(4), wZero = ctx.input(5);
  Value yScale = ctx.input(6), yZero = ctx.input(7), bias = ctx.input(8);
  if (!x || !xScale || !w || !wScale || !yScale)
    return ctx.error() << "x, x_scale, w, w_scale and y_scale are required";
  auto intOut = dyn_cast<IntegerType>(cast<ShapedType>((yZero ? yZero : x).getType()).getElementType());
  auto xt = dyn_cast<RankedTensorType>(x.getType());
  if (!intOut || !xt)
    return ctx.error() << "x must have a known rank and y an integer type";
  auto acc = convI32(ctx, x, xZero, w, wZero);
  if (failed(acc))
    return failure();
  Value y = *acc;
  int64_t rank = xt.getRank();
  if (bias)
    y = binary<onnx::AddOp>(ctx, y, perChannel(ctx, castTo(ctx, bias, ctx.b.getI32Type()), rank, 1));
  Value scale = binary<onnx::DivOp>(
      ctx, binary<onnx::MulOp>(ctx, xScale, perChannel(ctx, wScale, rank, 1)), yScale);
  Type f64 = ctx.b.getF64Type();
  y = binary<onnx::MulOp>(ctx, castTo(ctx, y, f64), castTo(ctx, scale, f64));
  y = onnx::RoundOp::create(ctx.b, ctx.loc, ctx.unranked(f64), y);
  if (yZero)
    y = binary<onnx::AddOp>(ctx, y, castTo(ctx, yZero, f64));
  auto [lo, hi] = integerRange(intOut);
  return ctx.setOutputs(castTo(ctx, clip(ctx, y, lo, hi), intOut));
}

} // namespace

void registerQuantizeImporters(OpImporterTable &table) {
  table["QuantizeLinear"] = importQuantizeLinear;
  table["DequantizeLinear"] = importDequantizeLinear;
  table["DynamicQuantizeLinear"] = importDynamicQuantizeLinear;
  table["MatMulInteger"] = importMatMulInteger;
  table["QLinearMatMul"] = importQLinearMatMul;
  table["ConvInteger"] = importConvInteger;
  table["QLinearConv"] = importQLinearConv;
}

} // namespace onnxc
