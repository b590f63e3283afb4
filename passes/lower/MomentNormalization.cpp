//===- MomentNormalization.cpp - LayerNorm, RMSNorm, InstanceNorm ---------===//
//
// Each computes per-group moments with reductions over the normalised dims,
// then one broadcasting elementwise op applies them with scale and bias;
// elementwise fusion merges the centring into that final loop.
//
//===----------------------------------------------------------------------===//
#include "passes/lower/LoweringUtils.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace onnxc;

namespace {

struct Moments {
  Value mean;   ///< Over the reduced dims, shaped as the kept dims.
  Value invStd; ///< 1 / sqrt(var + eps), same shape.
  AffineMap kept;
};

/// Mean and inverse standard deviation of `x` over `reduced` dims. With
/// `rms`, the "mean" is 0 and the variance is the mean square.
Moments computeMoments(OpBuilder &b, Location loc, Value x, ArrayRef<bool> reduced, double epsilon, bool rms) {
  auto type = cast<RankedTensorType>(x.getType());
  Type elem = type.getElementType();
  MLIRContext *ctx = b.getContext();
  int64_t rank = type.getRank(), count = 1;
  SmallVector<AffineExpr> keptExprs;
  SmallVector<int64_t> keptShape;
  for (int64_t i = 0; i < rank; ++i) {
    if (reduced[i]) {
      count *= type.getDimSize(i);
    } else {
      keptExprs.push_back(getAffineDimExpr(i, ctx));
      keptShape.push_back(type.getDimSize(i));
    }
  }
  auto keptType = RankedTensorType::get(keptShape, elem);
  AffineMap kept = AffineMap::get(rank, 0, keptExprs, ctx);
  AffineMap keptId = b.getMultiDimIdentityMap(keptType.getRank());
  Value zero = lower::scalarConstant(b, loc, elem, 0.0);
  auto addf = [](OpBuilder &nb, Location l, Value acc, Value v) { return Value(arith::AddFOp::create(nb, l, acc, v)); };
  Value mean = lower::buildFilled(b, loc, keptType, zero);
  Value centred = x;
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  if (!rms) {
    Value sums = lower::buildReduction(b, loc, x, reduced, zero, addf);
    mean = lower::buildElementwise(b, loc, keptType, sums, keptId, [&](OpBuilder &nb, Location l, ValueRange a) {
      return Value(arith::DivFOp::create(nb, l, a[0], lower::scalarConstant(nb, l, elem, double(count))));
    });
    centred = lower::buildElementwise(b, loc, type, ValueRange{x, mean}, {identity, kept},
                                      [](OpBuilder &nb, Location l, ValueRange a) {
                                        return Value(arith::SubFOp::create(nb, l, a[0], a[1]));
                                      });
  }
  Value squares = lower::buildReduction(b, loc, centred, reduced, zero, [](OpBuilder &nb, Location l, Value acc, Value v) {
    return Value(arith::AddFOp::create(nb, l, acc, arith::MulFOp::create(nb, l, v, v)));
  });
  Value invStd = lower::buildElementwise(b, loc, keptType, squares, keptId, [&](OpBuilder &nb, Location l, ValueRange a) {
    Value var = arith::DivFOp::create(nb, l, a[0], lower::scalarConstant(nb, l, elem, double(count)));
    Value plusEps = arith::AddFOp::create(nb, l, var, lower::scalarConstant(nb, l, elem, epsilon));
    return Value(arith::DivFOp::create(nb, l, lower::scalarConstant(nb, l, elem, 1.0), math::SqrtOp::create(nb, l, plusEps)));
  });
  return {mean, invStd, kept};
}

/// y = (x - mean) * invStd * scale [+ bias], scale/bias read through `paramMap`.
Value applyMoments(OpBuilder &b, Location loc, Value x, const Moments &m, Value scale, Value bias,
                   AffineMap scaleMap, AffineMap biasMap) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<Value> inputs{x, m.mean, m.invStd, scale};
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(type.getRank()), m.kept, m.kept, scaleMap};
  if (bias) {
    inputs.push_back(bias);
    maps.push_back(biasMap);
  }
  return lower::buildElementwise(b, loc, type, inputs, maps, [&](OpBuilder &nb, Location l, ValueRange a) {
    Value y = arith::MulFOp::create(nb, l, arith::SubFOp::create(nb, l, a[0], a[1]), a[2]);
    y = arith::MulFOp::create(nb, l, y, a[3]);
    return a.size() > 4 ? Value(arith::AddFOp::create(nb, l, y, a[4])) : y;
  });
}

SmallVector<bool> trailingDims(int64_t rank, int64_t axis) {
  SmallVector<bool> reduced(rank, false);
  for (int64_t i = axis < 0 ? axis + rank : axis; i < rank; ++i)
    reduced[i] = true;
  return reduced;
}

struct LayerNormalizationLowering : OpConversionPattern<onnx::LayerNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::LayerNormalizationOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto type = cast<RankedTensorType>(x.getType());
    SmallVector<bool> reduced = trailingDims(type.getRank(), static_cast<int64_t>(op.getAxis()));
    Moments m = computeMoments(rewriter, loc, x, reduced, op.getEpsilon().convertToDouble(), /*rms=*/false);
    auto mapFor = [&](Value v) {
      return v ? lower::broadcastMap(cast<RankedTensorType>(v.getType()).getShape(), type.getShape(), getContext())
               : AffineMap();
    };
    Value y = applyMoments(rewriter, loc, x, m, adaptor.getScale(), adaptor.getB(), mapFor(adaptor.getScale()),
                           mapFor(adaptor.getB()));
    auto statType = lower::signlessType(op.getMean().getType());
    rewriter.replaceOp(op, {y, lower::reshapeTo(rewriter, loc, m.mean, statType),
                            lower::reshapeTo(rewriter, loc, m.invStd, statType)});
    return success();
  }
};

struct RMSNormalizationLowering : OpConversionPattern<onnx::RMSNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::RMSNormalizationOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Value x = adaptor.getX();
    auto type = cast<RankedTensorType>(x.getType());
    SmallVector<bool> reduced = trailingDims(type.getRank(), static_cast<int64_t>(op.getAxis()));
    Moments m = computeMoments(rewriter, op.getLoc(), x, reduced, op.getEpsilon().convertToDouble(), /*rms=*/true);
    AffineMap scaleMap =
        lower::broadcastMap(cast<RankedTensorType>(adaptor.getScale().getType()).getShape(), type.getShape(), getContext());
    rewriter.replaceOp(op, applyMoments(rewriter, op.getLoc(), x, m, adaptor.getScale(), Value(), scaleMap, AffineMap()));
    return success();
  }
};

struct InstanceNormalizationLowering : OpConversionPattern<onnx::InstanceNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::InstanceNormalizationOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    SmallVector<bool> reduced = trailingDims(type.getRank(), 2);
    Moments m = computeMoments(rewriter, op.getLoc(), x, reduced, op.getEpsilon().convertToDouble(), /*rms=*/false);
    AffineMap channel = AffineMap::get(type.getRank(), 0, getAffineDimExpr(1, getContext()));
    rewriter.replaceOp(op, applyMoments(rewriter, op.getLoc(), x, m, adaptor.getScale(), adaptor.getB(), channel, channel));
    return success();
  }
};

} // namespace

void onnxc::lower::populateMomentNormalizationPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<LayerNormalizationLowering, RMSNormalizationLowering, InstanceNormalizationLowering>(
      converter, patterns.getContext());
}
