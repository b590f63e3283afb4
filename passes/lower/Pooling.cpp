//===- Pooling.cpp - MaxPool (+Indices), AveragePool, LpPool, global pools ===//
//
// Windowed reductions as linalg.generic over (n, c, out...) x (k...). The
// window loops need an operand that carries their extent (linalg derives loop
// bounds from operand shapes), as in upstream's named pooling ops. Average
// pooling divides by a per-position count computed at compile time, which
// covers count_include_pad, ceil_mode and dilation exactly.
//
//===----------------------------------------------------------------------===//
#include "passes/lower/LoweringUtils.h"

using namespace mlir;
using namespace onnxc;

namespace {

struct Window {
  SmallVector<int64_t> kernel, strides, dilations, pads, inSizes, outSizes;
  int64_t spatial() const { return kernel.size(); }
};

template <typename PoolOp>
Window getWindow(PoolOp op) {
  auto inType = cast<RankedTensorType>(op.getX().getType());
  auto outType = lower::signlessType(op.getType());
  Window w;
  w.kernel = onnx::getI64s(op.getKernelShape());
  int64_t n = w.kernel.size();
  w.strides = onnx::getI64s(op.getStrides(), n, 1);
  w.dilations = onnx::getI64s(op.getDilations(), n, 1);
  w.pads = onnx::getI64s(op.getPads(), 2 * n, 0);
  w.inSizes.assign(inType.getShape().begin() + 2, inType.getShape().end());
  w.outSizes.assign(outType.getShape().begin() + 2, outType.getShape().end());
  return w;
}

/// Pads the input so every window of the output lies inside it: the ONNX pads
/// plus whatever ceil_mode's last window needs at the end.
Value padForWindow(OpBuilder &b, Location loc, Value input, const Window &w, Value padValue) {
  SmallVector<int64_t> pads(w.pads);
  for (int64_t i = 0; i < w.spatial(); ++i) {
    int64_t needed = (w.outSizes[i] - 1) * w.strides[i] + (w.kernel[i] - 1) * w.dilations[i] + 1;
    int64_t have = w.inSizes[i] + w.pads[i] + w.pads[i + w.spatial()];
    pads[i + w.spatial()] += std::max<int64_t>(0, needed - have);
  }
  return lower::padSpatial(b, loc, input, pads, padValue);
}

/// Reduces each window of `x` (already padded) into `init` with `combine`.
Value buildWindowReduction(OpBuilder &b, Location loc, Value x, Value init, const Window &w,
                           function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  MLIRContext *ctx = b.getContext();
  int64_t spatial = w.spatial();
  unsigned numParallel = 2 + spatial, numDims = numParallel + spatial;
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> xExprs{d(0), d(1)}, windowExprs, outExprs{d(0), d(1)};
  for (int64_t i = 0; i < spatial; ++i) {
    xExprs.push_back(d(2 + i) * w.strides[i] + d(numParallel + i) * w.dilations[i]);
    windowExprs.push_back(d(numParallel + i));
    outExprs.push_back(d(2 + i));
  }
  Type elem = cast<RankedTensorType>(x.getType()).getElementType();
  Value window = tensor::EmptyOp::create(b, loc, w.kernel, elem);
  SmallVector<AffineMap> maps{AffineMap::get(numDims, 0, xExprs, ctx),
                              AffineMap::get(numDims, 0, windowExprs, ctx),
                              AffineMap::get(numDims, 0, outExprs, ctx)};
  SmallVector<utils::IteratorType> iterators(numParallel, utils::IteratorType::parallel);
  iterators.append(spatial, utils::IteratorType::reduction);
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), ValueRange{x, window}, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        linalg::YieldOp::create(nb, l, combine(nb, l, args[2], args[0]));
      });
  return generic.getResult(0);
}

struct MaxPoolLowering : OpConversionPattern<onnx::MaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::MaxPoolOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = lower::signlessType(op.getType());
    Window w = getWindow(op);
    Value lowest = lower::lowestValue(rewriter, loc, resultType.getElementType());
    Value x = padForWindow(rewriter, loc, adaptor.getX(), w, lowest);
    Value init = lower::buildFilled(rewriter, loc, resultType, lowest);
    bool isFloat = isa<FloatType>(resultType.getElementType());
    Value result = buildWindowReduction(
        rewriter, loc, x, init, w, [&](OpBuilder &b, Location l, Value acc, Value v) {
          return isFloat ? Value(arith::MaximumFOp::create(b, l, acc, v))
                         : Value(arith::MaxSIOp::create(b, l, acc, v));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Number of window elements counted by AveragePool along one spatial dim at output position o.
int64_t countAt(const Window &w, int64_t dim, int64_t o, bool includePad) {
  int64_t lo = includePad ? -w.pads[dim] : 0;
  int64_t hi = includePad ? w.inSizes[dim] + w.pads[dim + w.spatial()] : w.inSizes[dim];
  int64_t count = 0;
  for (int64_t j = 0; j < w.kernel[dim]; ++j) {
    int64_t p = o * w.strides[dim] - w.pads[dim] + j * w.dilations[dim];
    count += p >= lo && p < hi;
  }
  return count;
}

struct AveragePoolLowering : OpConversionPattern<onnx::AveragePoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::AveragePoolOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = lower::signlessType(op.getType());
    auto elem = dyn_cast<FloatType>(resultType.getElementType());
    if (!elem)
      return rewriter.notifyMatchFailure(op, "needs a float element type");
    Window w = getWindow(op);
    Value zero = lower::scalarConstant(rewriter, loc, elem, 0.0);
    Value x = padForWindow(rewriter, loc, adaptor.getX(), w, zero);
    Value sums = buildWindowReduction(
        rewriter, loc, x, lower::buildFilled(rewriter, loc, resultType, zero), w,
        [](OpBuilder &b, Location l, Value acc, Value v) {
          return Value(arith::AddFOp::create(b, l, acc, v));
        });

    // Reciprocal counts over the output's spatial positions, folded at compile time.
    bool includePad = op.getCountIncludePad() != 0;
    SmallVector<float> reciprocals;
    int64_t positions = 1;
    for (int64_t s : w.outSizes)
      positions *= s;
    bool uniform = true;
    for (int64_t flat = 0; flat < positions; ++flat) {
      int64_t rest = flat, count = 1;
      for (int64_t i = w.spatial() - 1; i >= 0; --i) {
        count *= countAt(w, i, rest % w.outSizes[i], includePad);
        rest /= w.outSizes[i];
      }
      reciprocals.push_back(count ? 1.0f / static_cast<float>(count) : 0.0f);
      uniform &= reciprocals.back() == reciprocals.front();
    }
    Value scale;
    AffineMap scaleMap;
    MLIRContext *ctx = getContext();
    if (uniform) {
      auto scalarType = RankedTensorType::get({}, elem);
      scale = arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(scalarType, rewriter.getFloatAttr(elem, reciprocals.front())));
      scaleMap = AffineMap::get(resultType.getRank(), 0, {}, ctx);
    } else {
      auto scaleType = RankedTensorType::get(w.outSizes, elem);
      SmallVector<Attribute> values;
      for (float r : reciprocals)
        values.push_back(rewriter.getFloatAttr(elem, r));
      scale = arith::ConstantOp::create(rewriter, loc, DenseElementsAttr::get(scaleType, values));
      SmallVector<AffineExpr> exprs;
      for (int64_t i = 0; i < w.spatial(); ++i)
        exprs.push_back(getAffineDimExpr(2 + i, ctx));
      scaleMap = AffineMap::get(resultType.getRank(), 0, exprs, ctx);
    }
    Value result = lower::buildElementwise(
        rewriter, loc, resultType, ValueRange{sums, scale},
        {rewriter.getMultiDimIdentityMap(resultType.getRank()), scaleMap},
        [](OpBuilder &b, Location l, ValueRange args) {
          return Value(arith::MulFOp::create(b, l, args[0], args[1]));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// The p-th root of the window sums of |x|^p. The window walk, padding
/// (zeros add nothing) and ceil_mode are MaxPool's and AveragePool's; p = 1
/// and p = 2 avoid powf, which the approximate-math pass expands into exp/log.
struct LpPoolLowering : OpConversionPattern<onnx::LpPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::LpPoolOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = lower::signlessType(op.getType());
    auto elem = dyn_cast<FloatType>(resultType.getElementType());
    if (!elem)
      return rewriter.notifyMatchFailure(op, "needs a float element type");
    int64_t p = static_cast<int64_t>(op.getP());
    Window w = getWindow(op);
    Value zero = lower::scalarConstant(rewriter, loc, elem, 0.0);
    Value x = padForWindow(rewriter, loc, adaptor.getX(), w, zero);
    Value sums = buildWindowReduction(
        rewriter, loc, x, lower::buildFilled(rewriter, loc, resultType, zero), w,
        [&](OpBuilder &b, Location l, Value acc, Value v) {
          Value term;
          if (p == 2)
            term = arith::MulFOp::create(b, l, v, v);
          else if (p == 1)
            term = math::AbsFOp::create(b, l, v);
          else
            term = math::PowFOp::create(b, l, math::AbsFOp::create(b, l, v),
                                        lower::scalarConstant(b, l, elem, static_cast<double>(p)));
          return Value(arith::AddFOp::create(b, l, acc, term));
        });
    if (p == 1) {
      rewriter.replaceOp(op, sums);
      return success();
    }
    Value result = lower::buildBroadcastElementwise(
        rewriter, loc, resultType, sums, [&](OpBuilder &b, Location l, ValueRange args) {
          if (p == 2)
            return Value(math::SqrtOp::create(b, l, args[0]));
          return Value(math::PowFOp::create(b, l, args[0], lower::scalarConstant(b, l, elem, 1.0 / p)));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Folds every spatial position of each (n, c) of `x` into `initValue` with `combine(acc, x)`:
/// the [N, C] result of the global pools.
Value reduceSpatial(OpBuilder &b, Location loc, Value x, Type elem, Value initValue,
                    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  auto inType = cast<RankedTensorType>(x.getType());
  int64_t rank = inType.getRank();
  MLIRContext *ctx = b.getContext();
  auto accType = RankedTensorType::get(inType.getShape().take_front(2), elem);
  Value init = lower::buildFilled(b, loc, accType, initValue);
  SmallVector<utils::IteratorType> iterators(2, utils::IteratorType::parallel);
  iterators.append(rank - 2, utils::IteratorType::reduction);
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(rank),
                              AffineMap::get(rank, 0, {getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx)}, ctx)};
  return linalg::GenericOp::create(b, loc, accType, x, init, maps, iterators,
                                   [&](OpBuilder &nb, Location l, ValueRange args) {
                                     linalg::YieldOp::create(nb, l, combine(nb, l, args[1], args[0]));
                                   })
      .getResult(0);
}

/// Replaces a global pool with its [N, C] result viewed as [N, C, 1, ...].
void replaceKeepingSpatialDims(ConversionPatternRewriter &rewriter, Operation *op,
                               RankedTensorType resultType, Value value) {
  SmallVector<ReassociationIndices> reassoc{{0}, {1}};
  for (int64_t i = 2; i < resultType.getRank(); ++i)
    reassoc.back().push_back(i);
  rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(op, resultType, value, reassoc);
}

struct GlobalAveragePoolLowering : OpConversionPattern<onnx::GlobalAveragePoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::GlobalAveragePoolOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = lower::signlessType(op.getType());
    auto inType = cast<RankedTensorType>(adaptor.getX().getType());
    Type elem = resultType.getElementType();
    Value sums = reduceSpatial(rewriter, loc, adaptor.getX(), elem,
                               lower::scalarConstant(rewriter, loc, elem, 0.0),
                               [](OpBuilder &b, Location l, Value acc, Value x) {
                                 return Value(arith::AddFOp::create(b, l, acc, x));
                               });
    double count = static_cast<double>(inType.getNumElements() / (inType.getDimSize(0) * inType.getDimSize(1)));
    Value mean = lower::buildBroadcastElementwise(
        rewriter, loc, cast<RankedTensorType>(sums.getType()), sums,
        [&](OpBuilder &b, Location l, ValueRange args) {
          return Value(arith::MulFOp::create(b, l, args[0], lower::scalarConstant(b, l, elem, 1.0 / count)));
        });
    replaceKeepingSpatialDims(rewriter, op, resultType, mean);
    return success();
  }
};

/// The max over every spatial position of each (n, c), kept as 1x1... dims.
struct GlobalMaxPoolLowering : OpConversionPattern<onnx::GlobalMaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::GlobalMaxPoolOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = lower::signlessType(op.getType());
    Type elem = resultType.getElementType();
    if (!isa<FloatType>(elem))
      return op.emitError() << "GlobalMaxPool needs a floating-point input";
    Value maxima = reduceSpatial(rewriter, loc, adaptor.getX(), elem,
                                 lower::lowestValue(rewriter, loc, elem),
                                 [](OpBuilder &b, Location l, Value acc, Value x) {
                                   return Value(arith::MaximumFOp::create(b, l, acc, x));
                                 });
    replaceKeepingSpatialDims(rewriter, op, resultType, maxima);
    return success();
  }
};

/// MaxPool with the flat input index of each maximum. Window positions in the
/// padding are skipped (not read as -inf), as in the reference; the first
/// maximum in row-major order wins, whatever order the loops run in, because
/// ties keep the smaller row-major index.
struct MaxPoolWithIndicesLowering : OpConversionPattern<onnx::MaxPoolWithIndicesOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::MaxPoolWithIndicesOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto yType = lower::signlessType(op.getY().getType());
    auto idxType = lower::signlessType(op.getIndices().getType());
    Value x = adaptor.getX();
    auto xType = cast<RankedTensorType>(x.getType());
    Type elem = yType.getElementType();
    bool isFloat = isa<FloatType>(elem);
    int64_t rank = xType.getRank(), r = rank - 2;
    auto kernel = onnx::getI64s(op.getKernelShape());
    auto strides = onnx::getI64s(op.getStrides(), r, 1);
    auto dilations = onnx::getI64s(op.getDilations(), r, 1);
    auto pads = onnx::getI64s(op.getPads(), 2 * r, 0);
    SmallVector<int64_t> inSizes(xType.getShape().drop_front(2));
    int64_t plane = 1;
    for (int64_t s : inSizes)
      plane *= s;

    Value yInit = lower::buildFilled(rewriter, loc, yType, lower::scalarConstant(rewriter, loc, elem, 0));
    Value idxInit = lower::buildFilled(rewriter, loc, idxType,
                                       lower::scalarConstant(rewriter, loc, rewriter.getI64Type(), -1));
    unsigned numDims = rank + r;
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> windowExprs, outExprs;
    for (int64_t i = 0; i < rank; ++i)
      outExprs.push_back(d(i));
    for (int64_t i = 0; i < r; ++i)
      windowExprs.push_back(d(rank + i));
    Value window = tensor::EmptyOp::create(rewriter, loc, kernel, elem);
    AffineMap outMap = AffineMap::get(numDims, 0, outExprs, ctx);
    SmallVector<AffineMap> maps{AffineMap::get(numDims, 0, windowExprs, ctx), outMap, outMap};
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    iterators.append(r, utils::IteratorType::reduction);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{yType, idxType}, ValueRange{window}, ValueRange{yInit, idxInit},
        maps, iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          auto cIdx = [&](int64_t v) { return Value(arith::ConstantIndexOp::create(b, l, v)); };
          Value inside, flat = arith::AddIOp::create(
                            b, l, arith::MulIOp::create(b, l, linalg::IndexOp::create(b, l, 0),
                                                        cIdx(xType.getDimSize(1))),
                            linalg::IndexOp::create(b, l, 1));
          SmallVector<Value> at{linalg::IndexOp::create(b, l, 0), linalg::IndexOp::create(b, l, 1)};
          for (int64_t i = 0; i < r; ++i) {
            Value o = linalg::IndexOp::create(b, l, 2 + i), k = linalg::IndexOp::create(b, l, rank + i);
            Value p = arith::AddIOp::create(
                b, l, arith::MulIOp::create(b, l, o, cIdx(strides[i])),
                arith::MulIOp::create(b, l, k, cIdx(dilations[i])));
            p = arith::SubIOp::create(b, l, p, cIdx(pads[i]));
            Value ok = arith::AndIOp::create(
                b, l, arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, p, cIdx(0)),
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, p, cIdx(inSizes[i])));
            inside = inside ? Value(arith::AndIOp::create(b, l, inside, ok)) : ok;
            p = arith::MinSIOp::create(b, l, arith::MaxSIOp::create(b, l, p, cIdx(0)), cIdx(inSizes[i] - 1));
            at.push_back(p);
            flat = arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, flat, cIdx(inSizes[i])), p);
          }
          Value v = tensor::ExtractOp::create(b, l, x, at);
          Value flatI64 = arith::IndexCastOp::create(b, l, b.getI64Type(), flat);
          Value acc = args[1], best = args[2];
          Value none = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, best,
                                             arith::ConstantIntOp::create(b, l, b.getI64Type(), 0));
          Value greater = isFloat ? Value(arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, v, acc))
                                  : Value(arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt, v, acc));
          Value equal = isFloat ? Value(arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, v, acc))
                                : Value(arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, v, acc));
          Value earlier = arith::AndIOp::create(
              b, l, equal, arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, flatI64, best));
          Value take = arith::AndIOp::create(
              b, l, inside,
              arith::OrIOp::create(b, l, none, arith::OrIOp::create(b, l, greater, earlier)));
          linalg::YieldOp::create(b, l, ValueRange{arith::SelectOp::create(b, l, take, v, acc),
                                                   arith::SelectOp::create(b, l, take, flatI64, best)});
        });
    Value indices = generic.getResult(1);
    if (op.getStorageOrder() == 1) {
      // Column-major over the spatial dims: re-linearise each row-major index.
      indices = lower::buildElementwise(
          rewriter, loc, idxType, indices, {rewriter.getMultiDimIdentityMap(rank)},
          [&](OpBuilder &b, Location l, ValueRange args) {
            auto c = [&](int64_t v) { return Value(arith::ConstantIntOp::create(b, l, b.getI64Type(), v)); };
            Value rest = arith::RemSIOp::create(b, l, args[0], c(plane));
            Value result = arith::SubIOp::create(b, l, args[0], rest); // (n, c) part
            int64_t rowStride = plane, colStride = 1;
            for (int64_t i = 0; i < r; ++i) {
              rowStride /= inSizes[i];
              Value coord = arith::RemSIOp::create(b, l, arith::DivSIOp::create(b, l, rest, c(rowStride)),
                                                   c(inSizes[i]));
              result = arith::AddIOp::create(b, l, result, arith::MulIOp::create(b, l, coord, c(colStride)));
              colStride *= inSizes[i];
            }
            Value none = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, args[0], c(0));
            return Value(arith::SelectOp::create(b, l, none, args[0], result));
          });
    }
    rewriter.replaceOp(op, ValueRange{generic.getResult(0), indices});
    return success();
  }
};

} // namespace

void onnxc::lower::populatePoolingPatterns(const TypeConverter &converter,
                                            RewritePatternSet &patterns) {
  patterns.add<MaxPoolLowering, MaxPoolWithIndicesLowering, AveragePoolLowering, LpPoolLowering,
               GlobalAveragePoolLowering, GlobalMaxPoolLowering>(
      converter, patterns.getContext());
}
