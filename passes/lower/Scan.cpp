//===- Scan.cpp - Trilu, EyeLike, OneHot, CumSum, CumProd -----------------===//
#include "passes/lower/LoweringUtils.h"

using namespace mlir;
using namespace onnxc;

namespace {

/// Trilu keeps elements on one side of the k-th diagonal of the last two dims.
struct TriluLowering : OpConversionPattern<onnx::TriluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::TriluOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = lower::signlessType(op.getType());
    int64_t rank = type.getRank(), k = 0;
    if (adaptor.getK())
      k = (*onnx::getConstantInts(adaptor.getK()))[0];
    bool upper = op.getUpper() != 0;
    Value zero = lower::scalarConstant(rewriter, op.getLoc(), type.getElementType(), 0.0);
    Value result = lower::buildElementwise(
        rewriter, op.getLoc(), type, adaptor.getInput(), rewriter.getMultiDimIdentityMap(rank),
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value i = linalg::IndexOp::create(b, l, rank - 2), j = linalg::IndexOp::create(b, l, rank - 1);
          Value diff = arith::SubIOp::create(b, l, j, i); // column - row
          Value kv = arith::ConstantIndexOp::create(b, l, k);
          Value keep = arith::CmpIOp::create(b, l, upper ? arith::CmpIPredicate::sge : arith::CmpIPredicate::sle, diff, kv);
          return Value(arith::SelectOp::create(b, l, keep, a[0], zero));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// EyeLike: ones on the k-th diagonal (column - row == k), zeros elsewhere.
struct EyeLikeLowering : OpConversionPattern<onnx::EyeLikeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::EyeLikeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = lower::signlessType(op.getType());
    Type elem = type.getElementType();
    int64_t k = op.getK();
    Location loc = op.getLoc();
    Value zero = lower::scalarConstant(rewriter, loc, elem, 0.0), one = lower::scalarConstant(rewriter, loc, elem, 1.0);
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(), elem);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange{}, init, SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(2)},
        SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange) {
          Value i = linalg::IndexOp::create(b, l, 0), j = linalg::IndexOp::create(b, l, 1);
          Value diff = arith::SubIOp::create(b, l, j, i);
          Value on = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, diff, arith::ConstantIndexOp::create(b, l, k));
          linalg::YieldOp::create(b, l, Value(arith::SelectOp::create(b, l, on, one, zero)));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// OneHot: out[.., d, ..] = on_value where indices[..] (negative ones counted
/// from depth, floats truncated) equals d, off_value elsewhere.
struct OneHotLowering : OpConversionPattern<onnx::OneHotOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::OneHotOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    MLIRContext *ctx = getContext();
    auto type = lower::signlessType(op.getType());
    int64_t rank = type.getRank(), axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    int64_t depth = type.getDimSize(axis);
    Type indexElem = cast<ShapedType>(adaptor.getIndices().getType()).getElementType();
    bool unsignedIndices = cast<ShapedType>(op.getIndices().getType()).getElementType().isUnsignedInteger();
    SmallVector<AffineExpr> kept;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis)
        kept.push_back(getAffineDimExpr(d, ctx));
    SmallVector<AffineMap> maps{AffineMap::get(rank, 0, kept, ctx),
                                AffineMap::get(rank, 0, {getAffineConstantExpr(0, ctx)}, ctx),
                                AffineMap::get(rank, 0, {getAffineConstantExpr(1, ctx)}, ctx)};
    Value result = lower::buildElementwise(
        rewriter, op.getLoc(), type, ValueRange{adaptor.getIndices(), adaptor.getValues(), adaptor.getValues()},
        maps, [&](OpBuilder &b, Location l, ValueRange a) {
          Type i64 = b.getI64Type();
          Value idx = a[0];
          if (isa<FloatType>(indexElem))
            idx = arith::FPToSIOp::create(b, l, i64, idx);
          else if (indexElem.getIntOrFloatBitWidth() < 64)
            idx = unsignedIndices ? Value(arith::ExtUIOp::create(b, l, i64, idx))
                                  : Value(arith::ExtSIOp::create(b, l, i64, idx));
          Value zero = lower::scalarConstant(b, l, i64, 0.0);
          Value negative = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, idx, zero);
          Value wrapped = arith::AddIOp::create(b, l, idx, lower::scalarConstant(b, l, i64, static_cast<double>(depth)));
          idx = arith::SelectOp::create(b, l, negative, wrapped, idx);
          Value d = arith::IndexCastOp::create(b, l, i64, linalg::IndexOp::create(b, l, axis));
          Value on = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, idx, d);
          return Value(arith::SelectOp::create(b, l, on, a[2], a[1]));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// CumSum/CumProd as a masked reduction: out[..i..] = sum (product) over j of
/// x[..j..] where j precedes i (or follows it, with reverse). Quadratic in the
/// axis length, which is small for the axes exporters scan (positions,
/// sequence steps).
template <typename OpTy, bool isProduct>
struct CumulativeLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;
  LogicalResult matchAndRewrite(OpTy op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = this->getContext();
    auto type = lower::signlessType(op.getType());
    Type elem = type.getElementType();
    int64_t rank = type.getRank(), axis = (*onnx::getConstantInts(adaptor.getAxis()))[0];
    if (axis < 0)
      axis += rank;
    bool exclusive = op.getExclusive() != 0, reverse = op.getReverse() != 0;
    // Loops: the result dims, then j (the scanned position) as a reduction.
    SmallVector<AffineExpr> inExprs, outExprs;
    for (int64_t d = 0; d < rank; ++d) {
      inExprs.push_back(getAffineDimExpr(d == axis ? rank : d, ctx));
      outExprs.push_back(getAffineDimExpr(d, ctx));
    }
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    Value init = lower::buildFilled(rewriter, loc, type, lower::scalarConstant(rewriter, loc, elem, isProduct ? 1.0 : 0.0));
    bool isFloat = isa<FloatType>(elem);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, adaptor.getX(), init,
        SmallVector<AffineMap>{AffineMap::get(rank + 1, 0, inExprs, ctx), AffineMap::get(rank + 1, 0, outExprs, ctx)},
        iterators, [&](OpBuilder &b, Location l, ValueRange a) {
          Value i = linalg::IndexOp::create(b, l, axis), j = linalg::IndexOp::create(b, l, rank);
          arith::CmpIPredicate p = reverse ? (exclusive ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::sge)
                                           : (exclusive ? arith::CmpIPredicate::slt : arith::CmpIPredicate::sle);
          Value take = arith::CmpIOp::create(b, l, p, j, i);
          Value sum = isProduct ? (isFloat ? Value(arith::MulFOp::create(b, l, a[1], a[0]))
                                           : Value(arith::MulIOp::create(b, l, a[1], a[0])))
                                : (isFloat ? Value(arith::AddFOp::create(b, l, a[1], a[0]))
                                           : Value(arith::AddIOp::create(b, l, a[1], a[0])));
          linalg::YieldOp::create(b, l, Value(arith::SelectOp::create(b, l, take, sum, a[1])));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void onnxc::lower::populateScanPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<TriluLowering, EyeLikeLowering, OneHotLowering, CumulativeLowering<onnx::CumSumOp, false>,
               CumulativeLowering<onnx::CumProdOp, true>>(converter, patterns.getContext());
}
