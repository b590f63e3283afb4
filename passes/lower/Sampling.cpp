//===- Sampling.cpp - GridSample, AffineGrid, DeformConv, RoiAlign --------===//
//
// Each op is one linalg.generic over its output. The sampling positions are
// data, so the body computes them, then the taps and their weights, and
// gathers with tensor.extract (passes/lower/SamplingUtils.h). Only the taps
// are read: the cost is O(output x taps) whatever the input size.
//
//===----------------------------------------------------------------------===//
#include "passes/lower/SamplingUtils.h"

using namespace mlir;
using namespace onnxc;
using lower::ScalarBuilder;

namespace {

SmallVector<Value> loopIndices(OpBuilder &b, Location loc, unsigned first, unsigned count) {
  SmallVector<Value> ivs;
  for (unsigned i = first; i < first + count; ++i)
    ivs.push_back(linalg::IndexOp::create(b, loc, i));
  return ivs;
}

/// An all-parallel generic over `type` with no inputs: `body` computes each
/// element from the loop indices.
Value buildFromIndices(OpBuilder &b, Location loc, RankedTensorType type,
                       function_ref<Value(OpBuilder &, Location)> body) {
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  SmallVector<utils::IteratorType> iterators(type.getRank(), utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, type, ValueRange{}, ValueRange{init},
             SmallVector<AffineMap>{b.getMultiDimIdentityMap(type.getRank())}, iterators,
             [&](OpBuilder &nb, Location l, ValueRange) {
               linalg::YieldOp::create(nb, l, body(nb, l));
             })
      .getResult(0);
}

struct GridSampleLowering : OpConversionPattern<onnx::GridSampleOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::GridSampleOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto resultType = lower::signlessType(op.getType());
    Value x = adaptor.getX(), grid = adaptor.getGrid();
    auto xType = cast<RankedTensorType>(x.getType());
    int64_t r = xType.getRank() - 2;
    SmallVector<int64_t> sizes(xType.getShape().drop_front(2));
    Type elem = xType.getElementType();
    FloatType ft = lower::samplingComputeType(rewriter, elem);
    bool align = op.getAlignCorners() != 0;
    StringRef mode = op.getMode(), paddingMode = op.getPaddingMode();
    auto kernel = mode == "nearest" ? lower::Kernel::Nearest
                  : mode == "cubic" ? lower::Kernel::Cubic
                                    : lower::Kernel::Linear;
    auto padding = paddingMode == "border"       ? lower::Padding::Border
                   : paddingMode == "reflection" ? lower::Padding::Reflection
                                                 : lower::Padding::Zeros;
    // The extent of the sampled area: pixel centres with align_corners, else pixel edges.
    SmallVector<double> lo, hi;
    for (int64_t s : sizes) {
      lo.push_back(align ? 0.0 : -0.5);
      hi.push_back(align ? double(s) - 1 : double(s) - 0.5);
    }
    Value result = buildFromIndices(rewriter, op.getLoc(), resultType, [&](OpBuilder &b, Location l) {
      ScalarBuilder m{b, l, ft};
      SmallVector<Value> ivs = loopIndices(b, l, 0, r + 2);
      SmallVector<Value> pos;
      for (int64_t i = 0; i < r; ++i) {
        // The grid lists coordinates innermost dim first (x, y, ...).
        SmallVector<Value> at{ivs[0]};
        at.append(ivs.begin() + 2, ivs.end());
        at.push_back(m.index(r - 1 - i));
        Value g = m.read(grid, at);
        double size = double(sizes[i]);
        Value p = align ? m.mul(m.add(g, m.f(1)), m.f((size - 1) / 2))
                        : m.mul(m.sub(m.mul(m.add(g, m.f(1)), m.f(size)), m.f(1)), m.f(0.5));
        if (kernel == lower::Kernel::Nearest)
          p = math::RoundEvenOp::create(b, l, p); // PyTorch rounds half to even.
        if (padding == lower::Padding::Border) {
          Value outside = arith::OrIOp::create(b, l, m.lt(p, m.f(lo[i])), m.gt(p, m.f(hi[i])));
          p = m.select(outside, m.clamp(p, 0, size - 1), p);
        } else if (padding == lower::Padding::Reflection) {
          p = lower::reflect(m, p, lo[i], hi[i]);
        }
        pos.push_back(p);
      }
      Value v = lower::interpolate(m, x, {ivs[0], ivs[1]}, pos, sizes, kernel, padding, lo, hi);
      return m.fromCompute(v, elem);
    });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct AffineGridLowering : OpConversionPattern<onnx::AffineGridOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::AffineGridOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto resultType = lower::signlessType(op.getType());
    Value theta = adaptor.getTheta();
    int64_t r = resultType.getRank() - 2;
    SmallVector<int64_t> sizes(resultType.getShape().slice(1, r));
    Type elem = resultType.getElementType();
    FloatType ft = lower::samplingComputeType(rewriter, elem);
    bool align = op.getAlignCorners() != 0;
    Value result = buildFromIndices(rewriter, op.getLoc(), resultType, [&](OpBuilder &b, Location l) {
      ScalarBuilder m{b, l, ft};
      SmallVector<Value> ivs = loopIndices(b, l, 0, r + 2);
      // grid[n, s.., j] = theta[n, j, :] . (x, y[, z], 1): x runs along the
      // innermost spatial dim. Normalised positions are pixel centres in [-1, 1].
      Value sum = m.read(theta, {ivs[0], ivs[r + 1], m.index(r)});
      for (int64_t k = 0; k < r; ++k) {
        int64_t dim = r - 1 - k;
        double size = double(sizes[dim]);
        Value s = m.indexToFloat(ivs[1 + dim]);
        Value coord = align ? (size == 1 ? m.f(-1) : m.add(m.f(-1), m.mul(s, m.f(2 / (size - 1)))))
                            : m.add(m.f(-1 + 1 / size), m.mul(s, m.f(2 / size)));
        sum = m.add(sum, m.mul(m.read(theta, {ivs[0], ivs[r + 1], m.index(k)}), coord));
      }
      return m.fromCompute(sum, elem);
    });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct DeformConvLowering : OpConversionPattern<onnx::DeformConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::DeformConvOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto resultType = lower::signlessType(op.getType());
    Value x = adaptor.getX(), w = adaptor.getW(), offset = adaptor.getOffset(), mask = adaptor.getMask();
    auto xType = cast<RankedTensorType>(x.getType());
    auto wType = cast<RankedTensorType>(w.getType());
    int64_t r = xType.getRank() - 2, channels = xType.getDimSize(1);
    SmallVector<int64_t> inSizes(xType.getShape().drop_front(2));
    SmallVector<int64_t> kernel(wType.getShape().drop_front(2));
    auto strides = onnx::getI64s(op.getStrides(), r, 1);
    auto dilations = onnx::getI64s(op.getDilations(), r, 1);
    auto pads = onnx::getI64s(op.getPads(), 2 * r, 0);
    int64_t groupChannels = wType.getDimSize(1);
    int64_t groupFilters = resultType.getDimSize(1) / op.getGroup();
    int64_t offsetGroupChannels = channels / op.getOffsetGroup();
    int64_t taps = 1;
    for (int64_t k : kernel)
      taps *= k;
    Type elem = resultType.getElementType();
    FloatType ft = lower::samplingComputeType(rewriter, elem);

    // Output starts from the bias (broadcast over n and positions) or 0.
    Value init;
    if (Value bias = adaptor.getB())
      init = lower::buildElementwise(rewriter, loc, resultType, bias,
                                     AffineMap::get(r + 2, 0, {getAffineDimExpr(1, ctx)}, ctx),
                                     [](OpBuilder &, Location, ValueRange a) { return a[0]; });
    else
      init = lower::buildFilled(rewriter, loc, resultType, lower::scalarConstant(rewriter, loc, elem, 0));

    // Loops: n, f, o.. | c (within the group), k..
    unsigned numParallel = 2 + r, numDims = numParallel + 1 + r;
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> wExprs{d(1), d(numParallel)}, outExprs;
    for (unsigned i = 0; i < numParallel; ++i)
      outExprs.push_back(d(i));
    for (int64_t i = 0; i < r; ++i)
      wExprs.push_back(d(numParallel + 1 + i));
    SmallVector<AffineMap> maps{AffineMap::get(numDims, 0, wExprs, ctx),
                                AffineMap::get(numDims, 0, outExprs, ctx)};
    SmallVector<utils::IteratorType> iterators(numParallel, utils::IteratorType::parallel);
    iterators.append(1 + r, utils::IteratorType::reduction);
    SmallVector<double> lo(r, 0.0), hi;
    for (int64_t s : inSizes)
      hi.push_back(double(s) - 1);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, ValueRange{w}, ValueRange{init}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          ScalarBuilder m{b, l, ft};
          SmallVector<Value> ivs = loopIndices(b, l, 0, numDims);
          Value n = ivs[0], filter = ivs[1], c = ivs[numParallel];
          auto mulIdx = [&](Value v, int64_t k) { return Value(arith::MulIOp::create(b, l, v, m.index(k))); };
          auto addIdx = [&](Value u, Value v) { return Value(arith::AddIOp::create(b, l, u, v)); };
          auto divIdx = [&](Value v, int64_t k) { return Value(arith::DivUIOp::create(b, l, v, m.index(k))); };
          Value ic = addIdx(mulIdx(divIdx(filter, groupFilters), groupChannels), c);
          Value og = divIdx(ic, offsetGroupChannels);
          Value tap = m.index(0);
          for (int64_t i = 0; i < r; ++i)
            tap = addIdx(mulIdx(tap, kernel[i]), ivs[numParallel + 1 + i]);
          Value offsetTap = addIdx(mulIdx(og, taps), tap);
          SmallVector<Value> pos;
          for (int64_t i = 0; i < r; ++i) {
            SmallVector<Value> at{n, addIdx(mulIdx(offsetTap, r), m.index(i))};
            at.append(ivs.begin() + 2, ivs.begin() + numParallel);
            Value o = ivs[2 + i], k = ivs[numParallel + 1 + i];
            Value start = addIdx(mulIdx(o, strides[i]), mulIdx(k, dilations[i]));
            Value p = m.sub(m.indexToFloat(start), m.f(double(pads[i])));
            pos.push_back(m.add(p, m.read(offset, at)));
          }
          Value v = lower::interpolate(m, x, {n, ic}, pos, inSizes, lower::Kernel::Linear,
                                       lower::Padding::Zeros, lo, hi);
          if (mask) {
            SmallVector<Value> at{n, offsetTap};
            at.append(ivs.begin() + 2, ivs.begin() + numParallel);
            v = m.mul(v, m.read(mask, at));
          }
          Value prod = m.fromCompute(m.mul(m.toCompute(args[0]), v), elem);
          linalg::YieldOp::create(b, l, Value(arith::AddFOp::create(b, l, args[1], prod)));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct RoiAlignLowering : OpConversionPattern<onnx::RoiAlignOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::RoiAlignOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    int64_t grid = op.getSamplingRatio();
    if (grid <= 0)
      return op.emitError() << "sampling_ratio=0 (a sample count that depends on each box's "
                               "size) is not supported; give sampling_ratio > 0";
    auto resultType = lower::signlessType(op.getType());
    Value x = adaptor.getX(), rois = adaptor.getRois(), batchIndices = adaptor.getBatchIndices();
    auto xType = cast<RankedTensorType>(x.getType());
    int64_t batch = xType.getDimSize(0), height = xType.getDimSize(2), width = xType.getDimSize(3);
    int64_t outH = op.getOutputHeight(), outW = op.getOutputWidth();
    bool halfPixel = op.getCoordinateTransformationMode() == "half_pixel";
    bool isMax = op.getMode() == "max";
    double scale = op.getSpatialScale().convertToDouble();
    Type elem = resultType.getElementType();
    FloatType ft = lower::samplingComputeType(rewriter, elem);

    Value init = lower::buildFilled(rewriter, loc, resultType,
                                    isMax ? lower::lowestValue(rewriter, loc, elem)
                                          : lower::scalarConstant(rewriter, loc, elem, 0));
    // Loops: roi, c, ph, pw | iy, ix (the samples of one bin).
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    Value samples = tensor::EmptyOp::create(rewriter, loc, ArrayRef<int64_t>{grid, grid}, elem);
    SmallVector<AffineMap> maps{AffineMap::get(6, 0, {d(4), d(5)}, ctx),
                                AffineMap::get(6, 0, {d(0), d(1), d(2), d(3)}, ctx)};
    SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
    iterators.append(2, utils::IteratorType::reduction);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, ValueRange{samples}, ValueRange{init}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          ScalarBuilder m{b, l, ft};
          SmallVector<Value> ivs = loopIndices(b, l, 0, 6);
          Value roi = ivs[0], c = ivs[1];
          Value rawBatch = tensor::ExtractOp::create(b, l, batchIndices, ValueRange{roi});
          Value n = m.clampIndex(arith::IndexCastOp::create(b, l, b.getIndexType(), rawBatch), batch);
          Value shift = m.f(halfPixel ? 0.5 : 0.0);
          auto corner = [&](int64_t k) {
            return m.sub(m.mul(m.read(rois, {roi, m.index(k)}), m.f(scale)), shift);
          };
          Value startW = corner(0), startH = corner(1);
          Value roiW = m.sub(corner(2), startW), roiH = m.sub(corner(3), startH);
          if (!halfPixel) { // Legacy boxes are at least one pixel.
            roiW = arith::MaximumFOp::create(b, l, roiW, m.f(1));
            roiH = arith::MaximumFOp::create(b, l, roiH, m.f(1));
          }
          Value binH = m.div(roiH, m.f(double(outH))), binW = m.div(roiW, m.f(double(outW)));
          // Sample (iy, ix) of bin (ph, pw) sits at the centre of its sub-bin.
          auto sampleAt = [&](Value start, Value bin, Value p, Value i) {
            Value within = m.mul(m.add(m.indexToFloat(i), m.f(0.5)), m.div(bin, m.f(double(grid))));
            return m.add(m.add(start, m.mul(m.indexToFloat(p), bin)), within);
          };
          Value yy = sampleAt(startH, binH, ivs[2], ivs[4]);
          Value xx = sampleAt(startW, binW, ivs[3], ivs[5]);
          Value outside = arith::OrIOp::create(
              b, l, arith::OrIOp::create(b, l, m.lt(yy, m.f(-1)), m.gt(yy, m.f(double(height)))),
              arith::OrIOp::create(b, l, m.lt(xx, m.f(-1)), m.gt(xx, m.f(double(width)))));
          // Bilinear taps; a position past the last pixel reads the last pixel.
          auto taps = [&](Value v, int64_t size) {
            v = m.clamp(v, 0, double(size));
            Value atEnd = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, v, m.f(double(size - 1)));
            v = m.select(atEnd, m.f(double(size - 1)), v);
            Value low = m.floor(v);
            Value lowIdx = m.toIndex(low);
            Value highIdx = m.select(atEnd, lowIdx, arith::AddIOp::create(b, l, lowIdx, m.index(1)));
            Value frac = m.sub(v, low);
            return std::make_tuple(m.clampIndex(lowIdx, size), m.clampIndex(highIdx, size),
                                   m.sub(m.f(1), frac), frac);
          };
          auto [yLow, yHigh, hy, ly] = taps(yy, height);
          auto [xLow, xHigh, hx, lx] = taps(xx, width);
          Value terms[4] = {m.mul(m.mul(hy, hx), m.read(x, {n, c, yLow, xLow})),
                            m.mul(m.mul(hy, lx), m.read(x, {n, c, yLow, xHigh})),
                            m.mul(m.mul(ly, hx), m.read(x, {n, c, yHigh, xLow})),
                            m.mul(m.mul(ly, lx), m.read(x, {n, c, yHigh, xHigh}))};
          Value acc = m.toCompute(args[1]), next;
          if (isMax) {
            // ONNX's max mode takes the largest weighted corner, not the interpolated value.
            Value v = terms[0];
            for (int i = 1; i < 4; ++i)
              v = arith::MaximumFOp::create(b, l, v, terms[i]);
            next = arith::MaximumFOp::create(b, l, acc, m.select(outside, m.f(0), v));
          } else {
            Value v = m.add(m.add(terms[0], terms[1]), m.add(terms[2], terms[3]));
            v = m.select(outside, m.f(0), v);
            next = m.add(acc, m.div(v, m.f(double(grid * grid))));
          }
          linalg::YieldOp::create(b, l, m.fromCompute(next, elem));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void onnxc::lower::populateSamplingPatterns(const TypeConverter &converter,
                                            RewritePatternSet &patterns) {
  patterns.add<GridSampleLowering, AffineGridLowering, DeformConvLowering, RoiAlignLowering>(
      converter, patterns.getContext());
}
