//===- LoweringUtils.cpp - shared helpers of the onnx -> linalg lowering --===//
#include "passes/lower/LoweringUtils.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;

namespace onnxc::lower {

AffineMap broadcastMap(ArrayRef<int64_t> operandShape, ArrayRef<int64_t> resultShape,
                       MLIRContext *ctx) {
  size_t offset = resultShape.size() - operandShape.size();
  SmallVector<AffineExpr> exprs;
  for (size_t i = 0; i < operandShape.size(); ++i) {
    bool broadcast = operandShape[i] == 1 && resultShape[offset + i] != 1;
    exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                              : getAffineDimExpr(offset + i, ctx));
  }
  return AffineMap::get(resultShape.size(), 0, exprs, ctx);
}

Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange inputs, ArrayRef<AffineMap> inputMaps, BodyBuilder body) {
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(), resultType.getElementType());
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  SmallVector<utils::IteratorType> iterators(resultType.getRank(), utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, inputs, init, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value v = body(nb, nloc, args.drop_back());
        linalg::YieldOp::create(nb, nloc, v);
      });
  return generic.getResult(0);
}

Value buildBroadcastElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                                ValueRange inputs, BodyBuilder body) {
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(broadcastMap(cast<RankedTensorType>(in.getType()).getShape(),
                                resultType.getShape(), b.getContext()));
  return buildElementwise(b, loc, resultType, inputs, maps, body);
}

Value buildFilled(OpBuilder &b, Location loc, RankedTensorType type, Value value) {
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  return linalg::FillOp::create(b, loc, value, init).getResult(0);
}

Value scalarConstant(OpBuilder &b, Location loc, Type type, double value) {
  if (auto ft = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(ft, value));
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

Value lowestValue(OpBuilder &b, Location loc, Type type) {
  if (auto ft = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc, b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics(), /*Negative=*/true)));
  auto it = cast<IntegerType>(type);
  APInt lowest = it.isUnsigned() ? APInt::getMinValue(it.getWidth())
                                 : APInt::getSignedMinValue(it.getWidth());
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, lowest));
}

Value padSpatial(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> pads,
                 Value padValue) {
  if (llvm::all_of(pads, [](int64_t p) { return p == 0; }))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  size_t spatial = type.getRank() - 2;
  SmallVector<OpFoldResult> low(type.getRank(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> high(type.getRank(), b.getIndexAttr(0));
  SmallVector<int64_t> shape(type.getShape());
  for (size_t i = 0; i < spatial; ++i) {
    low[i + 2] = b.getIndexAttr(pads[i]);
    high[i + 2] = b.getIndexAttr(pads[i + spatial]);
    shape[i + 2] += pads[i] + pads[i + spatial];
  }
  auto padded = RankedTensorType::get(shape, type.getElementType());
  return tensor::PadOp::create(b, loc, padded, input, low, high, padValue);
}

Value reshapeTo(OpBuilder &b, Location loc, Value value, RankedTensorType target) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type == target)
    return value;
  auto flatType = RankedTensorType::get({type.getNumElements()}, type.getElementType());
  auto allDims = [](int64_t rank) {
    ReassociationIndices dims;
    for (int64_t i = 0; i < rank; ++i)
      dims.push_back(i);
    return SmallVector<ReassociationIndices>{dims};
  };
  Value flat = value;
  if (type.getRank() > 1)
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, value, allDims(type.getRank()));
  else if (type.getRank() == 0)
    flat = tensor::ExpandShapeOp::create(b, loc, flatType, value, SmallVector<ReassociationIndices>{});
  if (target.getRank() > 1)
    return tensor::ExpandShapeOp::create(b, loc, target, flat, allDims(target.getRank()));
  if (target.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, target, flat, SmallVector<ReassociationIndices>{});
  return flat;
}

/// A reduction of `input` over the dims in `reduced` into a tensor holding the
/// remaining dims, starting from `initValue`.
Value buildReduction(OpBuilder &b, Location loc, Value input, ArrayRef<bool> reduced, Value initValue,
             function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  auto type = cast<RankedTensorType>(input.getType());
  MLIRContext *ctx = b.getContext();
  SmallVector<int64_t> keptShape;
  SmallVector<AffineExpr> keptExprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    iterators.push_back(reduced[i] ? utils::IteratorType::reduction : utils::IteratorType::parallel);
    if (!reduced[i]) {
      keptShape.push_back(type.getDimSize(i));
      keptExprs.push_back(getAffineDimExpr(i, ctx));
    }
  }
  // The accumulator's type is the init value's (it may be wider than the input's).
  auto keptType = RankedTensorType::get(keptShape, initValue.getType());
  Value init = buildFilled(b, loc, keptType, initValue);
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(type.getRank()),
                              AffineMap::get(type.getRank(), 0, keptExprs, ctx)};
  return linalg::GenericOp::create(b, loc, keptType, input, init, maps, iterators,
                                   [&](OpBuilder &nb, Location l, ValueRange args) {
                                     linalg::YieldOp::create(nb, l, combine(nb, l, args[1], args[0]));
                                   })
      .getResult(0);
}

Type signlessElement(Type t) {
  if (t.isUnsignedInteger())
    return IntegerType::get(t.getContext(), t.getIntOrFloatBitWidth());
  return t;
}

RankedTensorType signlessType(Type type) {
  auto t = cast<RankedTensorType>(type);
  return RankedTensorType::get(t.getShape(), signlessElement(t.getElementType()));
}

SignlessTypeConverter::SignlessTypeConverter() {
  addConversion([](Type t) { return t; });
  addConversion([](RankedTensorType t) -> Type { return signlessType(t); });
}

} // namespace onnxc::lower
