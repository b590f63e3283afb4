//===- Normalization.cpp - BatchNormalization, Softmax --------------------===//
#include "passes/lower/LoweringUtils.h"

using namespace mlir;
using namespace onnxc;

namespace {

struct BatchNormalizationLowering : OpConversionPattern<onnx::BatchNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::BatchNormalizationOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elem = resultType.getElementType();
    int64_t rank = resultType.getRank();
    AffineMap channel = AffineMap::get(rank, 0, getAffineDimExpr(1, getContext()));
    double epsilon = op.getEpsilon().convertToDouble();
    Value result = lower::buildElementwise(
        rewriter, op.getLoc(), resultType,
        ValueRange{adaptor.getX(), adaptor.getScale(), adaptor.getB(), adaptor.getMean(),
                   adaptor.getVar()},
        {rewriter.getMultiDimIdentityMap(rank), channel, channel, channel, channel},
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value eps = lower::scalarConstant(b, l, elem, epsilon);
          Value stddev = math::SqrtOp::create(b, l, arith::AddFOp::create(b, l, args[4], eps));
          Value centred = arith::SubFOp::create(b, l, args[0], args[3]);
          Value scaled = arith::MulFOp::create(b, l, centred, arith::DivFOp::create(b, l, args[1], stddev));
          return Value(arith::AddFOp::create(b, l, scaled, args[2]));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// A reduction of `input` over the dims in `reduced` into a tensor holding the
/// remaining dims, starting from `initValue`.
Value reduce(OpBuilder &b, Location loc, Value input, ArrayRef<bool> reduced, Value initValue,
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
  auto keptType = RankedTensorType::get(keptShape, type.getElementType());
  Value init = lower::buildFilled(b, loc, keptType, initValue);
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(type.getRank()),
                              AffineMap::get(type.getRank(), 0, keptExprs, ctx)};
  return linalg::GenericOp::create(b, loc, keptType, input, init, maps, iterators,
                                   [&](OpBuilder &nb, Location l, ValueRange args) {
                                     linalg::YieldOp::create(nb, l, combine(nb, l, args[1], args[0]));
                                   })
      .getResult(0);
}

/// exp(x - max) / sum(exp(x - max)) over the `reduced` dims: the max shift
/// keeps exp from overflowing.
Value buildSoftmax(OpBuilder &b, Location loc, Value input, ArrayRef<bool> reduced) {
  auto type = cast<RankedTensorType>(input.getType());
  Type elem = type.getElementType();
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineExpr> keptExprs;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (!reduced[i])
      keptExprs.push_back(getAffineDimExpr(i, ctx));
  AffineMap identity = b.getMultiDimIdentityMap(type.getRank());
  AffineMap kept = AffineMap::get(type.getRank(), 0, keptExprs, ctx);

  Value max = reduce(b, loc, input, reduced, lower::lowestValue(b, loc, elem),
                     [](OpBuilder &nb, Location l, Value acc, Value v) {
                       return Value(arith::MaximumFOp::create(nb, l, acc, v));
                     });
  Value exps = lower::buildElementwise(b, loc, type, ValueRange{input, max}, {identity, kept},
                                       [](OpBuilder &nb, Location l, ValueRange args) {
                                         Value shifted = arith::SubFOp::create(nb, l, args[0], args[1]);
                                         return Value(math::ExpOp::create(nb, l, shifted));
                                       });
  Value sums = reduce(b, loc, exps, reduced, lower::scalarConstant(b, loc, elem, 0.0),
                      [](OpBuilder &nb, Location l, Value acc, Value v) {
                        return Value(arith::AddFOp::create(nb, l, acc, v));
                      });
  return lower::buildElementwise(b, loc, type, ValueRange{exps, sums}, {identity, kept},
                                 [](OpBuilder &nb, Location l, ValueRange args) {
                                   return Value(arith::DivFOp::create(nb, l, args[0], args[1]));
                                 });
}

template <typename SoftmaxLikeOp>
struct SoftmaxLowering : OpConversionPattern<SoftmaxLikeOp> {
  using OpConversionPattern<SoftmaxLikeOp>::OpConversionPattern;
  using Adaptor = typename SoftmaxLikeOp::Adaptor;
  LogicalResult matchAndRewrite(SoftmaxLikeOp op, Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    if (!isa<FloatType>(type.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs a float element type");
    int64_t rank = type.getRank(), axis = op.getAxis();
    if (axis < 0)
      axis += rank;
    SmallVector<bool> reduced(rank, false);
    // Opset 13 reduces one axis; opsets 1-12 reduce every dim from axis on.
    constexpr bool trailing = std::is_same_v<SoftmaxLikeOp, onnx::SoftmaxV1Op>;
    for (int64_t i = 0; i < rank; ++i)
      reduced[i] = trailing ? i >= axis : i == axis;
    if (rank == 0) {
      // Softmax of a scalar is 1.
      rewriter.replaceOp(op, lower::buildFilled(rewriter, op.getLoc(), type,
                                                lower::scalarConstant(rewriter, op.getLoc(), type.getElementType(), 1.0)));
      return success();
    }
    rewriter.replaceOp(op, buildSoftmax(rewriter, op.getLoc(), adaptor.getInput(), reduced));
    return success();
  }
};

} // namespace

void onnxc::lower::populateNormalizationPatterns(RewritePatternSet &patterns) {
  patterns.add<BatchNormalizationLowering, SoftmaxLowering<onnx::SoftmaxOp>,
               SoftmaxLowering<onnx::SoftmaxV1Op>>(patterns.getContext());
}
