//===- Resize.cpp - Resize as one gather pass per resampled axis ----------===//
//
// Resampling is separable, and its weights depend only on constants, so the
// weights are computed at compile time (ir/Resize.h) and each resampled axis
// becomes one linalg.generic over the output: nearest reads one input
// position from an index table; linear/cubic reduce over `taps` positions
// read through an index table and weighted by a coefficient table. Reading
// only the taps keeps the cost O(output x taps), whatever the input size.
//
//===----------------------------------------------------------------------===//
#include "ir/Resize.h"
#include "passes/lower/LoweringUtils.h"

using namespace mlir;
using namespace onnxc;

namespace {

Value constantTensor(OpBuilder &b, Location loc, RankedTensorType type, ArrayRef<Attribute> values) {
  return arith::ConstantOp::create(b, loc, DenseElementsAttr::get(type, values));
}

/// Resamples `input` along `axis` to `outSize` with `w`.
Value resampleAxis(OpBuilder &b, Location loc, Value input, int64_t axis, int64_t outSize,
                   const onnx::ResizeAxisWeights &w, double extrapolation, bool nearest) {
  MLIRContext *ctx = b.getContext();
  auto inType = cast<RankedTensorType>(input.getType());
  Type elem = inType.getElementType();
  int64_t rank = inType.getRank();
  SmallVector<int64_t> outShape(inType.getShape());
  outShape[axis] = outSize;
  auto outType = RankedTensorType::get(outShape, elem);
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  int64_t taps = nearest ? 1 : w.taps;

  SmallVector<Attribute> indices, weights;
  for (int64_t v : w.indices)
    indices.push_back(b.getI64IntegerAttr(v));
  // The tables are [out, taps]; nearest keeps [out].
  SmallVector<int64_t> tableShape{outSize};
  if (!nearest)
    tableShape.push_back(taps);
  Value indexTable = constantTensor(b, loc, RankedTensorType::get(tableShape, b.getI64Type()), indices);

  // Positions outside a tf_crop_and_resize roi start from extrapolation_value
  // and read nothing (weights 0); the others start from 0.
  Value init;
  if (w.anyExtrapolated) {
    SmallVector<Attribute> rowInit;
    for (int64_t o = 0; o < outSize; ++o)
      rowInit.push_back(isa<FloatType>(elem)
                            ? Attribute(b.getFloatAttr(elem, w.extrapolated[o] ? extrapolation : 0.0))
                            : Attribute(b.getIntegerAttr(elem, w.extrapolated[o] ? int64_t(extrapolation) : 0)));
    Value rows = constantTensor(b, loc, RankedTensorType::get({outSize}, elem), rowInit);
    init = lower::buildElementwise(b, loc, outType, rows, AffineMap::get(rank, 0, {d(axis)}, ctx),
                                   [](OpBuilder &, Location, ValueRange args) { return args[0]; });
  } else {
    init = lower::buildFilled(b, loc, outType, lower::scalarConstant(b, loc, elem, 0.0));
  }

  auto gatherAt = [input, axis, rank](OpBuilder &nb, Location l, Value tableEntry) {
    SmallVector<Value> at;
    for (int64_t i = 0; i < rank; ++i)
      at.push_back(i == axis ? Value(arith::IndexCastOp::create(nb, l, nb.getIndexType(), tableEntry))
                             : Value(linalg::IndexOp::create(nb, l, i)));
    return Value(tensor::ExtractOp::create(nb, l, input, at));
  };

  if (nearest) {
    SmallVector<AffineMap> maps{AffineMap::get(rank, 0, {d(axis)}, ctx),
                                AffineMap::getMultiDimIdentityMap(rank, ctx)};
    SmallVector<bool> extrapolated(w.extrapolated.begin(), w.extrapolated.end());
    Value rowIsOutside;
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    SmallVector<Value> inputs{indexTable};
    if (w.anyExtrapolated) {
      SmallVector<Attribute> flags;
      for (bool f : extrapolated)
        flags.push_back(b.getBoolAttr(f));
      inputs.push_back(constantTensor(b, loc, RankedTensorType::get({outSize}, b.getI1Type()), flags));
      maps.insert(maps.begin() + 1, AffineMap::get(rank, 0, {d(axis)}, ctx));
    }
    bool anyExtrapolated = w.anyExtrapolated;
    auto generic = linalg::GenericOp::create(
        b, loc, outType, inputs, ValueRange{init}, maps, iterators,
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Value v = gatherAt(nb, l, args[0]);
          if (anyExtrapolated)
            v = arith::SelectOp::create(nb, l, args[1], args[2], v);
          linalg::YieldOp::create(nb, l, v);
        });
    return generic.getResult(0);
  }

  for (double v : w.weights)
    weights.push_back(b.getFloatAttr(elem, v));
  Value weightTable = constantTensor(b, loc, RankedTensorType::get(tableShape, elem), weights);
  AffineMap tableMap = AffineMap::get(rank + 1, 0, {d(axis), d(rank)}, ctx);
  SmallVector<AffineExpr> outExprs;
  for (int64_t i = 0; i < rank; ++i)
    outExprs.push_back(d(i));
  SmallVector<AffineMap> maps{tableMap, tableMap, AffineMap::get(rank + 1, 0, outExprs, ctx)};
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  auto generic = linalg::GenericOp::create(
      b, loc, outType, ValueRange{indexTable, weightTable}, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value v = gatherAt(nb, l, args[0]);
        Value prod = arith::MulFOp::create(nb, l, v, args[1]);
        linalg::YieldOp::create(nb, l, Value(arith::AddFOp::create(nb, l, args[2], prod)));
      });
  return generic.getResult(0);
}

struct ResizeLowering : OpConversionPattern<onnx::ResizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::ResizeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto plan = onnx::resolveResize(op);
    if (failed(plan))
      return failure();
    Value value = adaptor.getX();
    auto inType = cast<RankedTensorType>(value.getType());
    bool nearest = op.getMode() == "nearest";
    double extrapolation = op.getExtrapolationValue().convertToDouble();
    for (int64_t axis = 0; axis < inType.getRank(); ++axis) {
      int64_t inSize = inType.getDimSize(axis);
      if (onnx::resizeKeepsAxis(*plan, axis, inSize))
        continue;
      if (inSize == 0 || plan->outShape[axis] == 0)
        return op.emitError() << "resizing an empty dimension is not supported";
      auto weights = onnx::resizeAxisWeights(op, *plan, axis, inSize);
      value = resampleAxis(rewriter, op.getLoc(), value, axis, plan->outShape[axis], weights,
                           extrapolation, nearest);
    }
    rewriter.replaceOp(op, value);
    return success();
  }
};

} // namespace

void onnxc::lower::populateResizePatterns(const TypeConverter &converter,
                                          RewritePatternSet &patterns) {
  patterns.add<ResizeLowering>(converter, patterns.getContext());
}
