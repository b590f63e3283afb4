//===- Scan.cpp - Trilu, CumSum -------------------------------------------===//
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

/// CumSum as a masked reduction: out[..i..] = sum over j of x[..j..] where j
/// precedes i (or follows it, with reverse). Quadratic in the axis length,
/// which is small for the axes exporters scan (positions, sequence steps).
struct CumSumLowering : OpConversionPattern<onnx::CumSumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::CumSumOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
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
    Value init = lower::buildFilled(rewriter, loc, type, lower::scalarConstant(rewriter, loc, elem, 0.0));
    bool isFloat = isa<FloatType>(elem);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, adaptor.getX(), init,
        SmallVector<AffineMap>{AffineMap::get(rank + 1, 0, inExprs, ctx), AffineMap::get(rank + 1, 0, outExprs, ctx)},
        iterators, [&](OpBuilder &b, Location l, ValueRange a) {
          Value i = linalg::IndexOp::create(b, l, axis), j = linalg::IndexOp::create(b, l, rank);
          arith::CmpIPredicate p = reverse ? (exclusive ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::sge)
                                           : (exclusive ? arith::CmpIPredicate::slt : arith::CmpIPredicate::sle);
          Value take = arith::CmpIOp::create(b, l, p, j, i);
          Value sum = isFloat ? Value(arith::AddFOp::create(b, l, a[1], a[0])) : Value(arith::AddIOp::create(b, l, a[1], a[0]));
          linalg::YieldOp::create(b, l, Value(arith::SelectOp::create(b, l, take, sum, a[1])));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void onnxc::lower::populateScanPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<TriluLowering, CumSumLowering>(converter, patterns.getContext());
}
