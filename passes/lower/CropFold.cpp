//===- CropFold.cpp - CenterCropPad, Col2Im, MaxUnpool --------------------===//
//
// CenterCropPad and Col2Im are gathers over their output with compile-time
// geometry: each output element computes which input element (CenterCropPad)
// or which block entries (Col2Im, a reduction over the block) land on it.
// MaxUnpool writes data-dependent positions, which no linalg op expresses: a
// loop nest threads the output through scf.for, as ScatterElements does.
//
//===----------------------------------------------------------------------===//
#include "passes/lower/LoweringUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace onnxc;

namespace {

/// Index arithmetic on `index` values inside a body.
struct IndexMath {
  OpBuilder &b;
  Location loc;
  Value c(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value addC(Value x, int64_t v) { return v == 0 ? x : add(x, c(v)); }
  Value mulC(Value x, int64_t v) { return v == 1 ? x : Value(arith::MulIOp::create(b, loc, x, c(v))); }
  Value cmp(arith::CmpIPredicate p, Value x, int64_t v) {
    return arith::CmpIOp::create(b, loc, p, x, c(v));
  }
  Value both(Value x, Value y) { return x ? Value(arith::AndIOp::create(b, loc, x, y)) : y; }
  Value clamp(Value x, int64_t size) {
    return arith::MinSIOp::create(b, loc, arith::MaxSIOp::create(b, loc, x, c(0)), c(size - 1));
  }
};

struct CenterCropPadLowering : OpConversionPattern<onnx::CenterCropPadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::CenterCropPadOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto resultType = lower::signlessType(op.getType());
    Value input = adaptor.getInput();
    auto inType = cast<RankedTensorType>(input.getType());
    int64_t rank = inType.getRank();
    Type elem = resultType.getElementType();
    // Output position o reads input position o - shift (shift < 0 crops the
    // input's centre, shift > 0 pads around it); the extra odd element is cut
    // or padded at the end.
    SmallVector<int64_t> shift(rank);
    for (int64_t i = 0; i < rank; ++i) {
      int64_t in = inType.getDimSize(i), out = resultType.getDimSize(i);
      shift[i] = out >= in ? (out - in) / 2 : -((in - out) / 2);
    }
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(), resultType.getShape(), elem);
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, op.getLoc(), resultType, ValueRange{}, ValueRange{init},
        SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(rank)}, iterators,
        [&](OpBuilder &b, Location l, ValueRange) {
          IndexMath m{b, l};
          SmallVector<Value> at;
          Value inside;
          for (int64_t i = 0; i < rank; ++i) {
            Value p = m.addC(linalg::IndexOp::create(b, l, i), -shift[i]);
            int64_t in = inType.getDimSize(i);
            // A padded axis (even one padded by 1, where shift is 0) reads 0 outside the input.
            bool padded = resultType.getDimSize(i) > in;
            if (padded)
              inside = m.both(inside, m.both(m.cmp(arith::CmpIPredicate::sge, p, 0),
                                             m.cmp(arith::CmpIPredicate::slt, p, in)));
            at.push_back(padded ? m.clamp(p, in) : p);
          }
          Value v = tensor::ExtractOp::create(b, l, input, at);
          if (inside)
            v = arith::SelectOp::create(b, l, inside, v, lower::scalarConstant(b, l, elem, 0));
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct Col2ImLowering : OpConversionPattern<onnx::Col2ImOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::Col2ImOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto resultType = lower::signlessType(op.getType());
    Value input = adaptor.getInput();
    auto block = onnx::getConstantInts(op.getBlockShape());
    if (!block)
      return op.emitError() << "the block_shape input must be a compile-time constant";
    int64_t r = resultType.getRank() - 2;
    SmallVector<int64_t> image(resultType.getShape().drop_front(2));
    auto strides = onnx::getI64s(op.getStrides(), r, 1);
    auto dilations = onnx::getI64s(op.getDilations(), r, 1);
    auto pads = onnx::getI64s(op.getPads(), 2 * r, 0);
    SmallVector<int64_t> blocks;
    int64_t kernelSize = 1, numBlocks = 1;
    for (int64_t i = 0; i < r; ++i) {
      blocks.push_back((image[i] + pads[i] + pads[r + i] - dilations[i] * ((*block)[i] - 1) - 1) /
                           strides[i] + 1);
      kernelSize *= (*block)[i];
      numBlocks *= blocks.back();
    }
    Type elem = resultType.getElementType();
    bool isFloat = isa<FloatType>(elem);
    Value zero = lower::scalarConstant(rewriter, loc, elem, 0);
    Value init = lower::buildFilled(rewriter, loc, resultType, zero);
    // Loops: n, c, image.. | k.. (position in the block). Image position o
    // takes block entry k of the block at (o + pad - k * dilation) / stride
    // when that is a whole, in-range block index.
    unsigned numParallel = 2 + r, numDims = numParallel + r;
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> blockExprs, outExprs;
    for (unsigned i = 0; i < numParallel; ++i)
      outExprs.push_back(d(i));
    for (int64_t i = 0; i < r; ++i)
      blockExprs.push_back(d(numParallel + i));
    Value blockExtent = tensor::EmptyOp::create(rewriter, loc, *block, elem);
    SmallVector<AffineMap> maps{AffineMap::get(numDims, 0, blockExprs, ctx),
                                AffineMap::get(numDims, 0, outExprs, ctx)};
    SmallVector<utils::IteratorType> iterators(numParallel, utils::IteratorType::parallel);
    iterators.append(r, utils::IteratorType::reduction);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, ValueRange{blockExtent}, ValueRange{init}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          IndexMath m{b, l};
          Value valid, column = m.c(0), channel = linalg::IndexOp::create(b, l, 1);
          channel = m.mulC(channel, kernelSize);
          Value tap = m.c(0);
          for (int64_t i = 0; i < r; ++i) {
            Value o = linalg::IndexOp::create(b, l, 2 + i);
            Value k = linalg::IndexOp::create(b, l, numParallel + i);
            tap = m.add(m.mulC(tap, (*block)[i]), k);
            Value num = arith::SubIOp::create(b, l, m.addC(o, pads[i]), m.mulC(k, dilations[i]));
            Value q = arith::DivSIOp::create(b, l, num, m.c(strides[i]));
            Value rem = arith::RemSIOp::create(b, l, num, m.c(strides[i]));
            valid = m.both(valid, m.cmp(arith::CmpIPredicate::sge, num, 0));
            valid = m.both(valid, m.cmp(arith::CmpIPredicate::eq, rem, 0));
            valid = m.both(valid, m.cmp(arith::CmpIPredicate::slt, q, blocks[i]));
            column = m.add(m.mulC(column, blocks[i]), q);
          }
          Value at[3] = {linalg::IndexOp::create(b, l, 0), m.add(channel, tap),
                         m.clamp(column, numBlocks)};
          Value v = tensor::ExtractOp::create(b, l, input, at);
          v = arith::SelectOp::create(b, l, valid, v, lower::scalarConstant(b, l, elem, 0));
          Value sum = isFloat ? Value(arith::AddFOp::create(b, l, args[1], v))
                              : Value(arith::AddIOp::create(b, l, args[1], v));
          linalg::YieldOp::create(b, l, sum);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct MaxUnpoolLowering : OpConversionPattern<onnx::MaxUnpoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::MaxUnpoolOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = lower::signlessType(op.getType());
    Value x = adaptor.getX(), indices = adaptor.getI();
    auto xType = cast<RankedTensorType>(x.getType());
    int64_t rank = xType.getRank(), r = rank - 2;
    Type elem = resultType.getElementType();
    // Indices address the unpooled shape implied by the window (as MaxPool
    // produced them); a larger output_shape pads that at the end of each dim.
    auto kernel = onnx::getI64s(op.getKernelShape());
    auto strides = onnx::getI64s(op.getStrides(), r, 1);
    auto pads = onnx::getI64s(op.getPads(), 2 * r, 0);
    SmallVector<int64_t> natural(xType.getShape().take_front(2)), endPads;
    int64_t total = natural[0] * natural[1];
    for (int64_t i = 0; i < r; ++i) {
      natural.push_back((xType.getDimSize(2 + i) - 1) * strides[i] - pads[i] - pads[r + i] + kernel[i]);
      total *= natural.back();
    }
    for (int64_t i = 0; i < rank; ++i) {
      int64_t extra = resultType.getDimSize(i) - natural[i];
      if (extra < 0 || (i < 2 && extra != 0))
        return op.emitError() << "output_shape " << resultType << " is smaller than the "
                              << "unpooled shape, or changes N or C";
      if (i >= 2)
        endPads.push_back(extra);
    }
    Value zero = lower::scalarConstant(rewriter, loc, elem, 0);
    Value flat = lower::buildFilled(rewriter, loc, RankedTensorType::get({total}, elem), zero);
    Value c0 = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value c1 = arith::ConstantIndexOp::create(rewriter, loc, 1);
    SmallVector<Value> lbs(rank, c0), steps(rank, c1), ubs;
    for (int64_t dim : xType.getShape())
      ubs.push_back(arith::ConstantIndexOp::create(rewriter, loc, dim));
    scf::LoopNest nest = scf::buildLoopNest(
        rewriter, loc, lbs, ubs, steps, ValueRange{flat},
        [&](OpBuilder &b, Location l, ValueRange ivs, ValueRange iters) -> scf::ValueVector {
          IndexMath m{b, l};
          Value raw = tensor::ExtractOp::create(b, l, indices, ivs);
          // Out-of-range indices are undefined in ONNX; clamping keeps writes in bounds.
          Value at = m.clamp(arith::IndexCastOp::create(b, l, b.getIndexType(), raw), total);
          Value v = tensor::ExtractOp::create(b, l, x, ivs);
          return {tensor::InsertOp::create(b, l, v, iters[0], ValueRange{at})};
        });
    Value unpooled = lower::reshapeTo(rewriter, loc, nest.results.empty() ? flat : nest.results[0],
                                      RankedTensorType::get(natural, elem));
    SmallVector<int64_t> allPads(r, 0);
    allPads.append(endPads);
    rewriter.replaceOp(op, lower::padSpatial(rewriter, loc, unpooled, allPads, zero));
    return success();
  }
};

} // namespace

void onnxc::lower::populateCropFoldPatterns(const TypeConverter &converter,
                                            RewritePatternSet &patterns) {
  patterns.add<CenterCropPadLowering, Col2ImLowering, MaxUnpoolLowering>(converter,
                                                                         patterns.getContext());
}
