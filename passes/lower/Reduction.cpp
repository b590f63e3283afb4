//===- Reduction.cpp - Reduce*, ArgMax/Min, TopK -------------------------===//
#include "passes/lower/LoweringUtils.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace onnxc;

namespace {

/// The reduced dims of a Reduce* op, or nullopt for "no-op" (empty axes with
/// noop_with_empty_axes).
template <typename OpTy>
std::optional<SmallVector<bool>> reducedDims(OpTy op, Value axes, int64_t rank) {
  SmallVector<bool> reduced(rank, false);
  std::optional<SmallVector<int64_t>> list;
  if (axes)
    list = onnx::getConstantInts(axes);
  if (!list || list->empty()) {
    if (op.getNoopWithEmptyAxes())
      return std::nullopt;
    reduced.assign(rank, true);
    return reduced;
  }
  for (int64_t a : *list)
    reduced[a < 0 ? a + rank : a] = true;
  return reduced;
}

enum class Kind { Sum, Mean, Max, Min, Prod, L1, L2, LogSum, LogSumExp, SumSquare };

Value highestValue(OpBuilder &b, Location loc, Type type, bool isUnsigned) {
  if (auto ft = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics())));
  auto it = cast<IntegerType>(type);
  APInt v = isUnsigned ? APInt::getMaxValue(it.getWidth()) : APInt::getSignedMaxValue(it.getWidth());
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, v));
}

template <typename OpTy, Kind kind>
struct ReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using Adaptor = typename OpTy::Adaptor;
  LogicalResult matchAndRewrite(OpTy op, Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData();
    auto inType = cast<RankedTensorType>(data.getType());
    auto resultType = lower::signlessType(op.getType());
    Type elem = inType.getElementType();
    bool isFloat = isa<FloatType>(elem);
    // Bools compare as unsigned: false < true, so Max is "any" and Min "all".
    Type dataElem = cast<ShapedType>(op.getData().getType()).getElementType();
    bool isUnsigned = dataElem.isUnsignedInteger() || dataElem.isInteger(1);
    auto reduced = reducedDims(op, adaptor.getAxes(), inType.getRank());
    if (!reduced) {
      rewriter.replaceOp(op, data);
      return success();
    }
    if (!isFloat && (kind == Kind::Mean || kind == Kind::L2 || kind == Kind::LogSum ||
                     kind == Kind::LogSumExp))
      return rewriter.notifyMatchFailure(op, "needs a float element type");
    SmallVector<int64_t> keptShape;
    int64_t count = 1;
    for (int64_t i = 0; i < inType.getRank(); ++i) {
      if ((*reduced)[i])
        count *= inType.getDimSize(i);
      else
        keptShape.push_back(inType.getDimSize(i));
    }
    auto keptType = RankedTensorType::get(keptShape, elem);
    auto add = [&](OpBuilder &b, Location l, Value x, Value y) {
      return isFloat ? Value(arith::AddFOp::create(b, l, x, y)) : Value(arith::AddIOp::create(b, l, x, y));
    };
    auto mul = [&](OpBuilder &b, Location l, Value x, Value y) {
      return isFloat ? Value(arith::MulFOp::create(b, l, x, y)) : Value(arith::MulIOp::create(b, l, x, y));
    };
    Value zero = lower::scalarConstant(rewriter, loc, elem, 0.0);
    Value result;
    if constexpr (kind == Kind::Max || kind == Kind::Min) {
      Value init = kind == Kind::Max ? lower::lowestValue(rewriter, loc, elem)
                                     : highestValue(rewriter, loc, elem, isUnsigned);
      if (!isFloat && isUnsigned && kind == Kind::Max)
        init = zero;
      result = lower::buildReduction(rewriter, loc, data, *reduced, init,
                          [&](OpBuilder &b, Location l, Value acc, Value x) -> Value {
                            if (isFloat)
                              return kind == Kind::Max ? Value(arith::MaximumFOp::create(b, l, acc, x))
                                                       : Value(arith::MinimumFOp::create(b, l, acc, x));
                            if (kind == Kind::Max)
                              return isUnsigned ? Value(arith::MaxUIOp::create(b, l, acc, x)) : Value(arith::MaxSIOp::create(b, l, acc, x));
                            return isUnsigned ? Value(arith::MinUIOp::create(b, l, acc, x)) : Value(arith::MinSIOp::create(b, l, acc, x));
                          });
    } else if constexpr (kind == Kind::LogSumExp) {
      // log(sum(exp(x - max))) + max: exp never overflows.
      Value max = lower::buildReduction(rewriter, loc, data, *reduced, lower::lowestValue(rewriter, loc, elem),
                             [](OpBuilder &b, Location l, Value acc, Value x) {
                               return Value(arith::MaximumFOp::create(b, l, acc, x));
                             });
      SmallVector<AffineExpr> kept;
      for (int64_t i = 0; i < inType.getRank(); ++i)
        if (!(*reduced)[i])
          kept.push_back(rewriter.getAffineDimExpr(i));
      AffineMap keptMap = AffineMap::get(inType.getRank(), 0, kept, rewriter.getContext());
      // A row of -inf would give -inf - -inf = NaN: shift by 0 instead.
      Value safeMax = lower::buildElementwise(
          rewriter, loc, keptType, max, rewriter.getMultiDimIdentityMap(keptType.getRank()),
          [&](OpBuilder &b, Location l, ValueRange a) {
            Value finite = arith::CmpFOp::create(b, l, arith::CmpFPredicate::ONE, a[0],
                                                 lower::lowestValue(b, l, elem));
            return Value(arith::SelectOp::create(b, l, finite, a[0], lower::scalarConstant(b, l, elem, 0.0)));
          });
      Value exps = lower::buildElementwise(
          rewriter, loc, inType, ValueRange{data, safeMax},
          {rewriter.getMultiDimIdentityMap(inType.getRank()), keptMap},
          [](OpBuilder &b, Location l, ValueRange a) {
            return Value(math::ExpOp::create(b, l, arith::SubFOp::create(b, l, a[0], a[1])));
          });
      Value sums = lower::buildReduction(rewriter, loc, exps, *reduced, zero, add);
      result = lower::buildElementwise(
          rewriter, loc, keptType, ValueRange{sums, safeMax},
          {rewriter.getMultiDimIdentityMap(keptType.getRank()), rewriter.getMultiDimIdentityMap(keptType.getRank())},
          [](OpBuilder &b, Location l, ValueRange a) {
            return Value(arith::AddFOp::create(b, l, math::LogOp::create(b, l, a[0]), a[1]));
          });
    } else {
      Value init = kind == Kind::Prod ? lower::scalarConstant(rewriter, loc, elem, 1.0) : zero;
      result = lower::buildReduction(rewriter, loc, data, *reduced, init,
                          [&](OpBuilder &b, Location l, Value acc, Value x) -> Value {
                            if (kind == Kind::Prod)
                              return mul(b, l, acc, x);
                            if (kind == Kind::L1)
                              x = isFloat ? Value(math::AbsFOp::create(b, l, x)) : Value(math::AbsIOp::create(b, l, x));
                            if (kind == Kind::L2 || kind == Kind::SumSquare)
                              x = mul(b, l, x, x);
                            return add(b, l, acc, x);
                          });
      if (kind == Kind::Mean || kind == Kind::L2 || kind == Kind::LogSum)
        result = lower::buildElementwise(
            rewriter, loc, keptType, result, rewriter.getMultiDimIdentityMap(keptType.getRank()),
            [&](OpBuilder &b, Location l, ValueRange a) -> Value {
              if (kind == Kind::Mean)
                return arith::DivFOp::create(b, l, a[0], lower::scalarConstant(b, l, elem, double(count)));
              if (kind == Kind::L2)
                return math::SqrtOp::create(b, l, a[0]);
              return math::LogOp::create(b, l, a[0]);
            });
    }
    rewriter.replaceOp(op, lower::reshapeTo(rewriter, loc, result, resultType));
    return success();
  }
};

template <typename OpTy, bool isMax>
struct ArgLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using Adaptor = typename OpTy::Adaptor;
  LogicalResult matchAndRewrite(OpTy op, Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value data = adaptor.getData();
    auto inType = cast<RankedTensorType>(data.getType());
    Type elem = inType.getElementType();
    bool isFloat = isa<FloatType>(elem);
    // Bools compare as unsigned: false < true, so Max is "any" and Min "all".
    Type dataElem = cast<ShapedType>(op.getData().getType()).getElementType();
    bool isUnsigned = dataElem.isUnsignedInteger() || dataElem.isInteger(1);
    int64_t rank = inType.getRank(), axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    bool last = op.getSelectLastIndex() != 0;
    SmallVector<int64_t> keptShape;
    SmallVector<AffineExpr> kept;
    SmallVector<utils::IteratorType> iterators;
    for (int64_t i = 0; i < rank; ++i) {
      iterators.push_back(i == axis ? utils::IteratorType::reduction : utils::IteratorType::parallel);
      if (i != axis) {
        keptShape.push_back(inType.getDimSize(i));
        kept.push_back(getAffineDimExpr(i, ctx));
      }
    }
    Type i64 = rewriter.getI64Type();
    auto valType = RankedTensorType::get(keptShape, elem);
    auto idxType = RankedTensorType::get(keptShape, i64);
    // Seed with element 0's position's worst value so the first element wins ties.
    Value worst = isMax ? lower::lowestValue(rewriter, loc, elem) : highestValue(rewriter, loc, elem, isUnsigned);
    if (isMax && !isFloat && isUnsigned)
      worst = lower::scalarConstant(rewriter, loc, elem, 0.0);
    Value vals = lower::buildFilled(rewriter, loc, valType, worst);
    Value idxs = lower::buildFilled(rewriter, loc, idxType, lower::scalarConstant(rewriter, loc, i64, -1.0));
    AffineMap keptMap = AffineMap::get(rank, 0, kept, ctx);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valType, idxType}, ValueRange{data}, ValueRange{vals, idxs},
        SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(rank), keptMap, keptMap}, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0], best = args[1], bestIdx = args[2];
          Value i = arith::IndexCastOp::create(b, l, i64, linalg::IndexOp::create(b, l, axis));
          Value better;
          if (isFloat) {
            auto strict = isMax ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT;
            auto loose = isMax ? arith::CmpFPredicate::OGE : arith::CmpFPredicate::OLE;
            better = arith::CmpFOp::create(b, l, last ? loose : strict, x, best);
          } else {
            using P = arith::CmpIPredicate;
            P strict = isMax ? (isUnsigned ? P::ugt : P::sgt) : (isUnsigned ? P::ult : P::slt);
            P loose = isMax ? (isUnsigned ? P::uge : P::sge) : (isUnsigned ? P::ule : P::sle);
            better = arith::CmpIOp::create(b, l, last ? loose : strict, x, best);
          }
          // The first element is always taken, so all-NaN or all-extreme rows still get an index.
          Value first = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, bestIdx,
                                              lower::scalarConstant(b, l, i64, 0.0));
          Value take = arith::OrIOp::create(b, l, better, first);
          linalg::YieldOp::create(b, l, ValueRange{arith::SelectOp::create(b, l, take, x, best),
                                                   arith::SelectOp::create(b, l, take, i, bestIdx)});
        });
    rewriter.replaceOp(op, lower::reshapeTo(rewriter, loc, generic.getResult(1),
                                            lower::signlessType(op.getType())));
    return success();
  }
};

/// TopK in two generics, quadratic in the axis length n (the k of exporters'
/// TopK is over class scores or beams, so n stays small):
///   rank[.., i, ..] = #{ j : x[j] ranks before x[i] }, where x[j] ranks
///     before x[i] if it is larger (smaller with largest=0), or equal with
///     j < i: ties keep the lower index first, as a stable sort does;
///   out[.., r, ..] = the x[i] (and i) whose rank is r, for r < k.
/// The ranks are a permutation of 0..n-1, so each r < k matches exactly once
/// and the result is always sorted (which sorted=0 allows).
struct TopKLowering : OpConversionPattern<onnx::TopKOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::TopKOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = adaptor.getX();
    auto inType = cast<RankedTensorType>(x.getType());
    Type elem = inType.getElementType(), i64 = rewriter.getI64Type();
    bool isFloat = isa<FloatType>(elem), largest = op.getLargest() != 0;
    bool isUnsigned = cast<ShapedType>(op.getX().getType()).getElementType().isUnsignedInteger();
    int64_t rank = inType.getRank(), axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    // Loops of both generics: the result dims, then the scanned position (d_rank).
    SmallVector<AffineExpr> identity, scanned;
    for (int64_t d = 0; d < rank; ++d) {
      identity.push_back(getAffineDimExpr(d, ctx));
      scanned.push_back(getAffineDimExpr(d == axis ? rank : d, ctx));
    }
    AffineMap identityMap = AffineMap::get(rank + 1, 0, identity, ctx);
    AffineMap scannedMap = AffineMap::get(rank + 1, 0, scanned, ctx);
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);

    auto rankType = RankedTensorType::get(inType.getShape(), i64);
    Value zero64 = lower::scalarConstant(rewriter, loc, i64, 0.0);
    auto ranks = linalg::GenericOp::create(
        rewriter, loc, rankType, ValueRange{x, x}, lower::buildFilled(rewriter, loc, rankType, zero64),
        SmallVector<AffineMap>{identityMap, scannedMap, identityMap}, iterators,
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value xi = a[0], xj = a[1];
          Value before, equal;
          if (isFloat) {
            before = arith::CmpFOp::create(b, l, largest ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT, xj, xi);
            equal = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, xj, xi);
          } else {
            using P = arith::CmpIPredicate;
            P p = largest ? (isUnsigned ? P::ugt : P::sgt) : (isUnsigned ? P::ult : P::slt);
            before = arith::CmpIOp::create(b, l, p, xj, xi);
            equal = arith::CmpIOp::create(b, l, P::eq, xj, xi);
          }
          Value i = linalg::IndexOp::create(b, l, axis), j = linalg::IndexOp::create(b, l, rank);
          Value earlier = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, j, i);
          before = arith::OrIOp::create(b, l, before, arith::AndIOp::create(b, l, equal, earlier));
          Value one = arith::ExtUIOp::create(b, l, i64, before);
          linalg::YieldOp::create(b, l, Value(arith::AddIOp::create(b, l, a[2], one)));
        });

    auto valuesType = lower::signlessType(op.getValues().getType());
    auto indicesType = cast<RankedTensorType>(op.getIndices().getType());
    auto picked = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valuesType, indicesType}, ValueRange{x, ranks.getResult(0)},
        ValueRange{lower::buildFilled(rewriter, loc, valuesType, lower::scalarConstant(rewriter, loc, elem, 0.0)),
                   lower::buildFilled(rewriter, loc, indicesType, zero64)},
        SmallVector<AffineMap>{scannedMap, scannedMap, identityMap, identityMap}, iterators,
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value r = arith::IndexCastOp::create(b, l, i64, linalg::IndexOp::create(b, l, axis));
          Value i = arith::IndexCastOp::create(b, l, i64, linalg::IndexOp::create(b, l, rank));
          Value match = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, a[1], r);
          linalg::YieldOp::create(b, l, ValueRange{arith::SelectOp::create(b, l, match, a[0], a[2]),
                                                   arith::SelectOp::create(b, l, match, i, a[3])});
        });
    rewriter.replaceOp(op, picked->getResults());
    return success();
  }
};

} // namespace

void onnxc::lower::populateReductionPatterns(const TypeConverter &converter,
                                             RewritePatternSet &patterns) {
  patterns.add<ReduceLowering<onnx::ReduceSumOp, Kind::Sum>, ReduceLowering<onnx::ReduceMeanOp, Kind::Mean>,
               ReduceLowering<onnx::ReduceMaxOp, Kind::Max>, ReduceLowering<onnx::ReduceMinOp, Kind::Min>,
               ReduceLowering<onnx::ReduceProdOp, Kind::Prod>, ReduceLowering<onnx::ReduceL1Op, Kind::L1>,
               ReduceLowering<onnx::ReduceL2Op, Kind::L2>, ReduceLowering<onnx::ReduceLogSumOp, Kind::LogSum>,
               ReduceLowering<onnx::ReduceLogSumExpOp, Kind::LogSumExp>,
               ReduceLowering<onnx::ReduceSumSquareOp, Kind::SumSquare>,
               ArgLowering<onnx::ArgMaxOp, true>, ArgLowering<onnx::ArgMinOp, false>, TopKLowering>(converter,
                                                                                      patterns.getContext());
}
