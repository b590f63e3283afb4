//===- Normalization.cpp - BatchNormalization, Softmax --------------------===//
#include "passes/lower/LoweringUtils.h"

using namespace mlir;
using namespace onnxc;

namespace {

struct BatchNormalizationLowering : OpConversionPattern<onnx::BatchNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::BatchNormalizationOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto resultType = lower::signlessType(op.getType());
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

/// exp(x - max) / sum(exp(x - max)) over the `reduced` dims (or its log,
/// (x - max) - log(sum), for LogSoftmax): the max shift keeps exp from
/// overflowing.
Value buildSoftmax(OpBuilder &b, Location loc, Value input, ArrayRef<bool> reduced, bool log) {
  auto type = cast<RankedTensorType>(input.getType());
  Type elem = type.getElementType();
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineExpr> keptExprs;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (!reduced[i])
      keptExprs.push_back(getAffineDimExpr(i, ctx));
  AffineMap identity = b.getMultiDimIdentityMap(type.getRank());
  AffineMap kept = AffineMap::get(type.getRank(), 0, keptExprs, ctx);

  Value max = lower::buildReduction(b, loc, input, reduced, lower::lowestValue(b, loc, elem),
                     [](OpBuilder &nb, Location l, Value acc, Value v) {
                       return Value(arith::MaximumFOp::create(nb, l, acc, v));
                     });
  Value exps = lower::buildElementwise(b, loc, type, ValueRange{input, max}, {identity, kept},
                                       [](OpBuilder &nb, Location l, ValueRange args) {
                                         Value shifted = arith::SubFOp::create(nb, l, args[0], args[1]);
                                         return Value(math::ExpOp::create(nb, l, shifted));
                                       });
  // f16/bf16 exps are summed in f32 and the sum rounded once, as numpy's
  // pairwise sum and onnxruntime do; an f16 accumulator drifts by ulps per add.
  bool widen = elem.isF16() || elem.isBF16();
  Type accElem = widen ? b.getF32Type() : elem;
  Value sums = lower::buildReduction(b, loc, exps, reduced, lower::scalarConstant(b, loc, accElem, 0.0),
                      [&](OpBuilder &nb, Location l, Value acc, Value v) {
                        if (widen)
                          v = arith::ExtFOp::create(nb, l, accElem, v);
                        return Value(arith::AddFOp::create(nb, l, acc, v));
                      });
  if (widen)
    sums = lower::buildElementwise(
        b, loc, RankedTensorType::get(cast<RankedTensorType>(sums.getType()).getShape(), elem), sums,
        {b.getMultiDimIdentityMap(cast<RankedTensorType>(sums.getType()).getRank())},
        [&](OpBuilder &nb, Location l, ValueRange args) {
          return Value(arith::TruncFOp::create(nb, l, elem, args[0]));
        });
  if (log)
    return lower::buildElementwise(b, loc, type, ValueRange{input, max, sums}, {identity, kept, kept},
                                   [](OpBuilder &nb, Location l, ValueRange args) {
                                     Value shifted = arith::SubFOp::create(nb, l, args[0], args[1]);
                                     return Value(arith::SubFOp::create(nb, l, shifted, math::LogOp::create(nb, l, args[2])));
                                   });
  if (widen) // f16/bf16: one rounding of the true quotient, as the reference computes it
    return lower::buildElementwise(b, loc, type, ValueRange{exps, sums}, {identity, kept},
                                   [](OpBuilder &nb, Location l, ValueRange args) {
                                     return Value(arith::DivFOp::create(nb, l, args[0], args[1]));
                                   });
  // f32 (and wider): one reciprocal per row and a multiply per element, as onnxruntime does;
  // a division per element costs several multiplies, the extra rounding under an ulp.
  auto sumsType = cast<RankedTensorType>(sums.getType());
  Value recips = lower::buildElementwise(
      b, loc, sumsType, sums, {b.getMultiDimIdentityMap(sumsType.getRank())},
      [&](OpBuilder &nb, Location l, ValueRange args) {
        return Value(arith::DivFOp::create(nb, l, lower::scalarConstant(nb, l, elem, 1.0), args[0]));
      });
  return lower::buildElementwise(b, loc, type, ValueRange{exps, recips}, {identity, kept},
                                 [](OpBuilder &nb, Location l, ValueRange args) {
                                   return Value(arith::MulFOp::create(nb, l, args[0], args[1]));
                                 });
}

/// 1 at the first (row-major) maximum over the `reduced` dims, 0 elsewhere.
Value buildHardmax(OpBuilder &b, Location loc, Value input, ArrayRef<bool> reduced) {
  auto type = cast<RankedTensorType>(input.getType());
  Type elem = type.getElementType(), i64 = b.getI64Type();
  MLIRContext *ctx = b.getContext();
  int64_t rank = type.getRank();
  SmallVector<AffineExpr> keptExprs;
  SmallVector<int64_t> keptShape;
  for (int64_t i = 0; i < rank; ++i)
    if (!reduced[i]) {
      keptExprs.push_back(getAffineDimExpr(i, ctx));
      keptShape.push_back(type.getDimSize(i));
    }
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  AffineMap kept = AffineMap::get(rank, 0, keptExprs, ctx);
  // Row-major position of the current element within the reduced dims.
  auto flatPosition = [&](OpBuilder &nb, Location l) {
    Value flat = arith::ConstantIndexOp::create(nb, l, 0);
    for (int64_t i = 0; i < rank; ++i)
      if (reduced[i])
        flat = arith::AddIOp::create(nb, l, arith::MulIOp::create(nb, l, flat, arith::ConstantIndexOp::create(nb, l, type.getDimSize(i))),
                                     linalg::IndexOp::create(nb, l, i));
    return Value(arith::IndexCastOp::create(nb, l, i64, flat));
  };
  Value max = lower::buildReduction(b, loc, input, reduced, lower::lowestValue(b, loc, elem),
                                    [](OpBuilder &nb, Location l, Value acc, Value v) {
                                      return Value(arith::MaximumFOp::create(nb, l, acc, v));
                                    });
  auto keptI64 = RankedTensorType::get(keptShape, i64);
  Value init = lower::buildFilled(b, loc, keptI64, arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(INT64_MAX)));
  SmallVector<utils::IteratorType> iterators;
  for (int64_t i = 0; i < rank; ++i)
    iterators.push_back(reduced[i] ? utils::IteratorType::reduction : utils::IteratorType::parallel);
  Value first = linalg::GenericOp::create(
                    b, loc, keptI64, ValueRange{input, max}, init, SmallVector<AffineMap>{identity, kept, kept}, iterators,
                    [&](OpBuilder &nb, Location l, ValueRange args) {
                      Value isMax = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OEQ, args[0], args[1]);
                      Value pos = arith::SelectOp::create(nb, l, isMax, flatPosition(nb, l), args[2]);
                      linalg::YieldOp::create(nb, l, Value(arith::MinSIOp::create(nb, l, pos, args[2])));
                    })
                    .getResult(0);
  return lower::buildElementwise(b, loc, type, ValueRange{first}, {kept}, [&](OpBuilder &nb, Location l, ValueRange args) {
    Value hit = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, flatPosition(nb, l), args[0]);
    return Value(arith::SelectOp::create(nb, l, hit, lower::scalarConstant(nb, l, elem, 1.0),
                                         lower::scalarConstant(nb, l, elem, 0.0)));
  });
}

enum class SoftmaxKind { Softmax, LogSoftmax, Hardmax };

template <typename SoftmaxLikeOp, SoftmaxKind kind, bool trailing>
struct SoftmaxLowering : OpConversionPattern<SoftmaxLikeOp> {
  using OpConversionPattern<SoftmaxLikeOp>::OpConversionPattern;
  using Adaptor = typename SoftmaxLikeOp::Adaptor;
  LogicalResult matchAndRewrite(SoftmaxLikeOp op, Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = lower::signlessType(op.getType());
    if (!isa<FloatType>(type.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs a float element type");
    int64_t rank = type.getRank(), axis = op.getAxis();
    if (axis < 0)
      axis += rank;
    SmallVector<bool> reduced(rank, false);
    // Opset 13 reduces one axis; opsets 1-12 reduce every dim from axis on.
    for (int64_t i = 0; i < rank; ++i)
      reduced[i] = trailing ? i >= axis : i == axis;
    if (rank == 0) {
      // Of a scalar: Softmax and Hardmax are 1, LogSoftmax is 0.
      double one = kind == SoftmaxKind::LogSoftmax ? 0.0 : 1.0;
      rewriter.replaceOp(op, lower::buildFilled(rewriter, op.getLoc(), type,
                                                lower::scalarConstant(rewriter, op.getLoc(), type.getElementType(), one)));
      return success();
    }
    if (kind == SoftmaxKind::Hardmax)
      rewriter.replaceOp(op, buildHardmax(rewriter, op.getLoc(), adaptor.getInput(), reduced));
    else
      rewriter.replaceOp(op, buildSoftmax(rewriter, op.getLoc(), adaptor.getInput(), reduced,
                                          kind == SoftmaxKind::LogSoftmax));
    return success();
  }
};

} // namespace

void onnxc::lower::populateNormalizationPatterns(const TypeConverter &converter,
                                            RewritePatternSet &patterns) {
  patterns.add<BatchNormalizationLowering, SoftmaxLowering<onnx::SoftmaxOp, SoftmaxKind::Softmax, false>,
               SoftmaxLowering<onnx::SoftmaxV1Op, SoftmaxKind::Softmax, true>,
               SoftmaxLowering<onnx::LogSoftmaxOp, SoftmaxKind::LogSoftmax, false>,
               SoftmaxLowering<onnx::LogSoftmaxV1Op, SoftmaxKind::LogSoftmax, true>,
               SoftmaxLowering<onnx::HardmaxOp, SoftmaxKind::Hardmax, false>,
               SoftmaxLowering<onnx::HardmaxV1Op, SoftmaxKind::Hardmax, true>>(converter, patterns.getContext());
}
