//===- Convolution.cpp - N-D grouped Conv ---------------------------------===//
//
// Conv becomes one linalg.generic over (n, g, f, out...) x (c, k...) after the
// channel dims are split by group with free expand_shape views. One generic
// covers 1-D/2-D/3-D, grouped, depthwise, strided and dilated convolutions;
// the bias seeds the accumulator.
//
//===----------------------------------------------------------------------===//
#include "passes/lower/LoweringUtils.h"

using namespace mlir;
using namespace onnxc;

namespace {

/// Splits dimension `dim` of `value` into {outer, size/outer}.
Value splitDim(OpBuilder &b, Location loc, Value value, int64_t dim, int64_t outer) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[dim] = type.getDimSize(dim) / outer;
  shape.insert(shape.begin() + dim, outer);
  SmallVector<ReassociationIndices> reassoc;
  for (int64_t i = 0, j = 0; i < type.getRank(); ++i) {
    if (i == dim) {
      reassoc.push_back({j, j + 1});
      j += 2;
    } else {
      reassoc.push_back({j++});
    }
  }
  return tensor::ExpandShapeOp::create(b, loc, RankedTensorType::get(shape, type.getElementType()),
                                       value, reassoc);
}

/// The accumulator type for `elem`: f16/bf16 products are summed in f32 and
/// rounded once, as MatMul does and as numpy and onnxruntime do; rounding
/// every partial sum loses several ulps over the kernel window.
Type accumulatorType(Builder &b, Type elem) {
  return elem.isF16() || elem.isBF16() ? b.getF32Type() : elem;
}

/// acc + a * w in the accumulator's type.
Value multiplyAccumulate(OpBuilder &b, Location l, Value a, Value w, Value acc) {
  // Integer convolutions come from ConvInteger/QLinearConv (i32).
  if (!isa<FloatType>(a.getType()))
    return arith::AddIOp::create(b, l, acc, arith::MulIOp::create(b, l, a, w));
  if (a.getType() != acc.getType()) {
    a = arith::ExtFOp::create(b, l, acc.getType(), a);
    w = arith::ExtFOp::create(b, l, acc.getType(), w);
  }
  return arith::AddFOp::create(b, l, acc, arith::MulFOp::create(b, l, a, w));
}

/// The [N, C, spatial...] result from the [N, G, Fg, spatial...] accumulator,
/// rounded to the result type when the accumulator is wider.
Value groupedResult(OpBuilder &b, Location loc, RankedTensorType resultType, Value acc) {
  int64_t spatial = resultType.getRank() - 2;
  SmallVector<ReassociationIndices> merge{{0}, {1, 2}};
  for (int64_t i = 0; i < spatial; ++i)
    merge.push_back({3 + i});
  Type accElem = cast<RankedTensorType>(acc.getType()).getElementType();
  auto mergedType = RankedTensorType::get(resultType.getShape(), accElem);
  Value merged = tensor::CollapseShapeOp::create(b, loc, mergedType, acc, merge);
  if (accElem == resultType.getElementType())
    return merged;
  Type elem = resultType.getElementType();
  return lower::buildBroadcastElementwise(b, loc, resultType, merged, [&](OpBuilder &nb, Location l, ValueRange args) {
    return Value(arith::TruncFOp::create(nb, l, elem, args[0]));
  });
}

/// The [N, G, Fg, spatial...] accumulator of a grouped (transposed) convolution with
/// result type `resultType`, and its initial value: the bias broadcast per filter, else 0.
std::pair<RankedTensorType, Value> groupedOutputInit(OpBuilder &b, Location loc,
                                                     RankedTensorType resultType, int64_t group,
                                                     Value bias) {
  MLIRContext *ctx = b.getContext();
  Type elem = accumulatorType(b, resultType.getElementType());
  SmallVector<int64_t> outShape{resultType.getDimSize(0), group, resultType.getDimSize(1) / group};
  outShape.append(resultType.getShape().begin() + 2, resultType.getShape().end());
  auto outType = RankedTensorType::get(outShape, elem);
  if (!bias)
    return {outType, lower::buildFilled(b, loc, outType, lower::scalarConstant(b, loc, elem, 0.0))};
  Value grouped = splitDim(b, loc, bias, 0, group); // [G, Fg]
  AffineMap biasMap =
      AffineMap::get(outType.getRank(), 0, {getAffineDimExpr(1, ctx), getAffineDimExpr(2, ctx)}, ctx);
  return {outType, lower::buildElementwise(b, loc, outType, grouped, biasMap,
                                           [&](OpBuilder &nb, Location l, ValueRange args) {
                                             if (args[0].getType() == elem)
                                               return args[0];
                                             return Value(arith::ExtFOp::create(nb, l, elem, args[0]));
                                           })};
}


/// `value` ([N, C, W]) with a unit dim inserted before its last: [N, C, 1, W].
Value unitHeight(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape{type.getDimSize(0), type.getDimSize(1), 1, type.getDimSize(2)};
  return tensor::ExpandShapeOp::create(b, loc, RankedTensorType::get(shape, type.getElementType()),
                                       value, SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
}

struct ConvLowering : OpConversionPattern<onnx::ConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::ConvOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto resultType = lower::signlessType(op.getType());
    Value xIn = adaptor.getX(), wIn = adaptor.getW();
    auto wType = cast<RankedTensorType>(wIn.getType());
    Type elem = resultType.getElementType();
    int64_t spatial = resultType.getRank() - 2, group = op.getGroup();
    int64_t filters = wType.getDimSize(0), filtersPerGroup = filters / group;
    SmallVector<int64_t> strides = onnx::getI64s(op.getStrides(), spatial, 1);
    SmallVector<int64_t> dilations = onnx::getI64s(op.getDilations(), spatial, 1);
    SmallVector<int64_t> pads = onnx::getI64s(op.getPads(), 2 * spatial, 0);
    // A 1-D convolution is the 2-D one of height 1 (free expand_shape views of its
    // input, weights and result): the microkernel pass takes 2-D convolutions only,
    // and a 1-D stack (audio, 5 layers of 128 channels) ran 3x slower than
    // onnxruntime in loops.
    RankedTensorType result1d;
    if (spatial == 1) {
      result1d = resultType;
      resultType = RankedTensorType::get(
          {resultType.getDimSize(0), resultType.getDimSize(1), 1, resultType.getDimSize(2)}, elem);
      xIn = unitHeight(rewriter, loc, xIn);
      wIn = unitHeight(rewriter, loc, wIn);
      strides.insert(strides.begin(), 1);
      dilations.insert(dilations.begin(), 1);
      pads = {0, pads[0], 0, pads[1]};
      spatial = 2;
    }

    Value x = lower::padSpatial(rewriter, loc, xIn, pads,
                                lower::scalarConstant(rewriter, loc, elem, 0.0));
    x = splitDim(rewriter, loc, x, 1, group);                 // [N, G, Cg, P...]
    Value w = splitDim(rewriter, loc, wIn, 0, group);           // [G, Fg, Cg, K...]

    auto [outType, init] = groupedOutputInit(rewriter, loc, resultType, group, adaptor.getB());

    // Loops: n, g, f, o_0..o_{s-1} | c, k_0..k_{s-1}.
    unsigned numParallel = 3 + spatial, numDims = numParallel + 1 + spatial;
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> xExprs{d(0), d(1), d(numParallel)};
    SmallVector<AffineExpr> wExprs{d(1), d(2), d(numParallel)};
    SmallVector<AffineExpr> outExprs{d(0), d(1), d(2)};
    for (int64_t i = 0; i < spatial; ++i) {
      AffineExpr o = d(3 + i), k = d(numParallel + 1 + i);
      xExprs.push_back(o * strides[i] + k * dilations[i]);
      wExprs.push_back(k);
      outExprs.push_back(o);
    }
    SmallVector<AffineMap> maps{AffineMap::get(numDims, 0, xExprs, ctx),
                                AffineMap::get(numDims, 0, wExprs, ctx),
                                AffineMap::get(numDims, 0, outExprs, ctx)};
    SmallVector<utils::IteratorType> iterators(numParallel, utils::IteratorType::parallel);
    iterators.append(1 + spatial, utils::IteratorType::reduction);
    auto conv = linalg::GenericOp::create(
        rewriter, loc, outType, ValueRange{x, w}, ValueRange{init}, maps, iterators,
        [](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(b, l, multiplyAccumulate(b, l, args[0], args[1], args[2]));
        });

    Value result = groupedResult(rewriter, loc, resultType, conv.getResult(0));
    if (result1d)
      result = tensor::CollapseShapeOp::create(rewriter, loc, result1d, result,
                                               SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// ConvTranspose as a stride-1 convolution: X is spread into a zero tensor
/// with stride `s` (one strided insert_slice) at offset d*(k-1) - pad_begin,
/// then correlated with the kernel flipped and its channel dims swapped (the
/// swap is the weight's indexing map).
struct ConvTransposeLowering : OpConversionPattern<onnx::ConvTransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::ConvTransposeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto resultType = lower::signlessType(op.getType());
    auto xType = cast<RankedTensorType>(adaptor.getX().getType());
    auto wType = cast<RankedTensorType>(adaptor.getW().getType());
    Type elem = resultType.getElementType();
    if (!isa<FloatType>(elem))
      return op.emitError() << "ConvTranspose needs a floating-point input";
    int64_t spatial = resultType.getRank() - 2, group = op.getGroup();
    int64_t filtersPerGroup = wType.getDimSize(1);
    SmallVector<int64_t> strides = onnx::getI64s(op.getStrides(), spatial, 1);
    SmallVector<int64_t> dilations = onnx::getI64s(op.getDilations(), spatial, 1);
    SmallVector<int64_t> pads = onnx::getI64s(op.getPads(), 2 * spatial, 0);
    Value zero = lower::scalarConstant(rewriter, loc, elem, 0.0);

    // Spread X: position i of the input lands at lead + i*s of a tensor
    // spanning every window the output reads; inputs outside it are dropped.
    SmallVector<int64_t> spreadShape{xType.getDimSize(0), xType.getDimSize(1)};
    SmallVector<OpFoldResult> srcOffsets(2, rewriter.getIndexAttr(0)), srcSizes, dstOffsets,
        dstStrides(2, rewriter.getIndexAttr(1)), one(xType.getRank(), rewriter.getIndexAttr(1));
    srcSizes = {rewriter.getIndexAttr(xType.getDimSize(0)), rewriter.getIndexAttr(xType.getDimSize(1))};
    dstOffsets = {rewriter.getIndexAttr(0), rewriter.getIndexAttr(0)};
    bool empty = false;
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t k = wType.getDimSize(2 + i), reach = dilations[i] * (k - 1);
      int64_t span = resultType.getDimSize(2 + i) + reach, lead = reach - pads[i];
      int64_t in = xType.getDimSize(2 + i), s = strides[i];
      int64_t lo = lead >= 0 ? 0 : (-lead + s - 1) / s;
      int64_t last = span - 1 - lead;
      int64_t hi = last < 0 ? -1 : std::min(in - 1, last / s);
      if (hi < lo)
        empty = true;
      spreadShape.push_back(span);
      srcOffsets.push_back(rewriter.getIndexAttr(lo));
      srcSizes.push_back(rewriter.getIndexAttr(std::max<int64_t>(hi - lo + 1, 0)));
      dstOffsets.push_back(rewriter.getIndexAttr(lead + lo * s));
      dstStrides.push_back(rewriter.getIndexAttr(s));
    }
    Value x = lower::buildFilled(rewriter, loc, RankedTensorType::get(spreadShape, elem), zero);
    if (!empty) {
      Value part = tensor::ExtractSliceOp::create(rewriter, loc, adaptor.getX(), srcOffsets,
                                                  srcSizes, one);
      x = tensor::InsertSliceOp::create(rewriter, loc, part, x, dstOffsets, srcSizes, dstStrides);
    }
    x = splitDim(rewriter, loc, x, 1, group);                    // [N, G, Cg, P...]
    // Flip the kernel once (an input map of K-1-k; linalg needs the conv's own
    // maps to be invertible, so the flip cannot live there).
    SmallVector<AffineExpr> flipExprs;
    for (int64_t i = 0; i < wType.getRank(); ++i)
      flipExprs.push_back(i < 2 ? getAffineDimExpr(i, ctx)
                                : getAffineConstantExpr(wType.getDimSize(i) - 1, ctx) -
                                      getAffineDimExpr(i, ctx));
    Value flipped = lower::buildElementwise(
        rewriter, loc, wType, adaptor.getW(), AffineMap::get(wType.getRank(), 0, flipExprs, ctx),
        [](OpBuilder &, Location, ValueRange args) { return args[0]; });
    Value w = splitDim(rewriter, loc, flipped, 0, group); // [G, Cg, Fg, K...]

    auto [outType, init] = groupedOutputInit(rewriter, loc, resultType, group, adaptor.getB());

    // Loops: n, g, f, o_0..o_{s-1} | c, k_0..k_{s-1}.
    unsigned numParallel = 3 + spatial, numDims = numParallel + 1 + spatial;
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> xExprs{d(0), d(1), d(numParallel)};
    SmallVector<AffineExpr> wExprs{d(1), d(numParallel), d(2)};
    SmallVector<AffineExpr> outExprs{d(0), d(1), d(2)};
    for (int64_t i = 0; i < spatial; ++i) {
      AffineExpr o = d(3 + i), k = d(numParallel + 1 + i);
      xExprs.push_back(o + k * dilations[i]);
      wExprs.push_back(k);
      outExprs.push_back(o);
    }
    SmallVector<AffineMap> maps{AffineMap::get(numDims, 0, xExprs, ctx),
                                AffineMap::get(numDims, 0, wExprs, ctx),
                                AffineMap::get(numDims, 0, outExprs, ctx)};
    SmallVector<utils::IteratorType> iterators(numParallel, utils::IteratorType::parallel);
    iterators.append(1 + spatial, utils::IteratorType::reduction);
    auto conv = linalg::GenericOp::create(
        rewriter, loc, outType, ValueRange{x, w}, ValueRange{init}, maps, iterators,
        [](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(b, l, multiplyAccumulate(b, l, args[0], args[1], args[2]));
        });

    rewriter.replaceOp(op, groupedResult(rewriter, loc, resultType, conv.getResult(0)));
    return success();
  }
};

} // namespace

void onnxc::lower::populateConvolutionPatterns(const TypeConverter &converter,
                                            RewritePatternSet &patterns) {
  patterns.add<ConvLowering, ConvTransposeLowering>(converter, patterns.getContext());
}
