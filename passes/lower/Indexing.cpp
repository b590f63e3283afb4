//===- Indexing.cpp - Squeeze, Expand, Tile, Slice, Gather, Pad, Split ----===//
//
// Views where the data does not move (Squeeze/Unsqueeze, unit-step Slice,
// Split); otherwise a linalg.generic over the result whose input map or body
// computes the source index. Data-dependent indices (Gather, GatherElements)
// are clamped into range so a bad index can never read outside the tensor.
//
//===----------------------------------------------------------------------===//
#include "ir/ConstantFolding.h"
#include "passes/lower/LoweringUtils.h"

using namespace mlir;
using namespace onnxc;

namespace {

/// Shape and Size only depend on static types: they lower to constants.
template <typename OpTy>
struct ShapeOfLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using Adaptor = typename OpTy::Adaptor;
  LogicalResult matchAndRewrite(OpTy op, Adaptor, ConversionPatternRewriter &rewriter) const override {
    auto values = onnx::evaluateConstantOp(op);
    if (values.empty())
      return rewriter.notifyMatchFailure(op, "not foldable");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, values.front());
    return success();
  }
};

template <typename OpTy>
struct ViewLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using Adaptor = typename OpTy::Adaptor;
  LogicalResult matchAndRewrite(OpTy op, Adaptor adaptor, ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, lower::reshapeTo(rewriter, op.getLoc(), adaptor.getOperands()[0],
                                            lower::signlessType(op.getType())));
    return success();
  }
};

struct ExpandLowering : OpConversionPattern<onnx::ExpandOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::ExpandOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, lower::buildBroadcastElementwise(
                               rewriter, op.getLoc(), lower::signlessType(op.getType()), adaptor.getInput(),
                               [](OpBuilder &, Location, ValueRange a) { return a[0]; }));
    return success();
  }
};

struct TileLowering : OpConversionPattern<onnx::TileOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::TileOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto outType = lower::signlessType(op.getType());
    SmallVector<AffineExpr> exprs;
    for (int64_t i = 0; i < inType.getRank(); ++i) {
      AffineExpr d = rewriter.getAffineDimExpr(i);
      exprs.push_back(inType.getDimSize(i) == outType.getDimSize(i) ? d : d % inType.getDimSize(i));
    }
    AffineMap map = AffineMap::get(outType.getRank(), 0, exprs, rewriter.getContext());
    rewriter.replaceOp(op, lower::buildElementwise(rewriter, op.getLoc(), outType, adaptor.getInput(), map,
                                                   [](OpBuilder &, Location, ValueRange a) { return a[0]; }));
    return success();
  }
};

struct SliceLowering : OpConversionPattern<onnx::SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::SliceOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto ranges = onnx::resolveSlice(op);
    if (failed(ranges))
      return failure();
    auto outType = lower::signlessType(op.getType());
    Value data = adaptor.getData();
    if (outType.getNumElements() == 0) {
      rewriter.replaceOpWithNewOp<tensor::EmptyOp>(op, outType.getShape(), outType.getElementType());
      return success();
    }
    bool positive = llvm::all_of(*ranges, [](const onnx::SliceRange &r) { return r.step > 0; });
    if (positive) {
      SmallVector<OpFoldResult> offsets, sizes, strides;
      for (const onnx::SliceRange &r : *ranges) {
        offsets.push_back(rewriter.getIndexAttr(r.start));
        sizes.push_back(rewriter.getIndexAttr(r.size));
        strides.push_back(rewriter.getIndexAttr(r.step));
      }
      rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(op, outType, data, offsets, sizes, strides);
      return success();
    }
    // Negative steps: a copy reading start + i * step.
    SmallVector<AffineExpr> exprs;
    for (size_t i = 0; i < ranges->size(); ++i)
      exprs.push_back(rewriter.getAffineDimExpr(i) * (*ranges)[i].step + (*ranges)[i].start);
    AffineMap map = AffineMap::get(outType.getRank(), 0, exprs, rewriter.getContext());
    rewriter.replaceOp(op, lower::buildElementwise(rewriter, op.getLoc(), outType, data, map,
                                                   [](OpBuilder &, Location, ValueRange a) { return a[0]; }));
    return success();
  }
};

/// index (any integer type) -> in-range index: negative counts from the end,
/// then clamped to [0, dim).
Value normaliseIndex(OpBuilder &b, Location l, Value raw, int64_t dim) {
  Value i = arith::IndexCastOp::create(b, l, b.getIndexType(), raw);
  Value zero = arith::ConstantIndexOp::create(b, l, 0);
  Value d = arith::ConstantIndexOp::create(b, l, dim);
  Value neg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, i, zero);
  i = arith::SelectOp::create(b, l, neg, arith::AddIOp::create(b, l, i, d), i);
  i = arith::MaxSIOp::create(b, l, i, zero);
  return arith::MinSIOp::create(b, l, i, arith::ConstantIndexOp::create(b, l, dim - 1));
}

template <typename OpTy, bool elements>
struct GatherLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using Adaptor = typename OpTy::Adaptor;
  LogicalResult matchAndRewrite(OpTy op, Adaptor adaptor, ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    auto dataType = cast<RankedTensorType>(data.getType());
    auto idxType = cast<RankedTensorType>(indices.getType());
    auto outType = lower::signlessType(op.getType());
    int64_t rank = dataType.getRank(), irank = idxType.getRank();
    int64_t axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    int64_t dim = dataType.getDimSize(axis);
    if (dim == 0 || outType.getNumElements() == 0) {
      rewriter.replaceOpWithNewOp<tensor::EmptyOp>(op, outType.getShape(), outType.getElementType());
      return success();
    }
    AffineMap idxMap;
    if (elements) {
      idxMap = rewriter.getMultiDimIdentityMap(outType.getRank());
    } else {
      SmallVector<AffineExpr> exprs;
      for (int64_t i = 0; i < irank; ++i)
        exprs.push_back(rewriter.getAffineDimExpr(axis + i));
      idxMap = AffineMap::get(outType.getRank(), 0, exprs, rewriter.getContext());
    }
    Value result = lower::buildElementwise(
        rewriter, loc, outType, indices, idxMap, [&](OpBuilder &b, Location l, ValueRange a) {
          Value picked = normaliseIndex(b, l, a[0], dim);
          SmallVector<Value> at;
          for (int64_t j = 0; j < rank; ++j) {
            if (j == axis)
              at.push_back(picked);
            else if (elements || j < axis)
              at.push_back(linalg::IndexOp::create(b, l, j));
            else
              at.push_back(linalg::IndexOp::create(b, l, j + irank - 1));
          }
          return Value(tensor::ExtractOp::create(b, l, data, at));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct PadLowering : OpConversionPattern<onnx::PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::PadOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto pads = onnx::resolvePads(op);
    if (failed(pads))
      return failure();
    Value data = adaptor.getData();
    auto inType = cast<RankedTensorType>(data.getType());
    auto outType = lower::signlessType(op.getType());
    int64_t rank = inType.getRank();
    StringRef mode = op.getMode();
    if (mode == "constant") {
      // Negative pads crop first; the rest is tensor.pad.
      SmallVector<OpFoldResult> offsets, sizes, strides, low, high;
      SmallVector<int64_t> cropped;
      for (int64_t i = 0; i < rank; ++i) {
        int64_t b = (*pads)[i], e = (*pads)[i + rank];
        int64_t off = b < 0 ? -b : 0, size = inType.getDimSize(i) - off - (e < 0 ? -e : 0);
        offsets.push_back(rewriter.getIndexAttr(off));
        sizes.push_back(rewriter.getIndexAttr(size));
        strides.push_back(rewriter.getIndexAttr(1));
        cropped.push_back(size);
        low.push_back(rewriter.getIndexAttr(std::max<int64_t>(b, 0)));
        high.push_back(rewriter.getIndexAttr(std::max<int64_t>(e, 0)));
      }
      Value src = data;
      if (cropped != SmallVector<int64_t>(inType.getShape()))
        src = tensor::ExtractSliceOp::create(rewriter, loc, RankedTensorType::get(cropped, inType.getElementType()),
                                             data, offsets, sizes, strides);
      Value value;
      if (Value v = adaptor.getConstantValue()) {
        int64_t vr = cast<RankedTensorType>(v.getType()).getRank();
        SmallVector<Value> zeros(vr, arith::ConstantIndexOp::create(rewriter, loc, 0));
        value = tensor::ExtractOp::create(rewriter, loc, v, zeros);
      } else {
        value = lower::scalarConstant(rewriter, loc, inType.getElementType(), 0.0);
      }
      rewriter.replaceOpWithNewOp<tensor::PadOp>(op, outType, src, low, high, value);
      return success();
    }
    if (inType.getNumElements() == 0)
      return rewriter.notifyMatchFailure(op, "cannot pad an empty tensor by edge/reflect/wrap");
    // edge / reflect / wrap: each result element reads a computed source index.
    Value result = lower::buildElementwise(
        rewriter, loc, outType, ValueRange{}, {}, [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> at;
          for (int64_t i = 0; i < rank; ++i) {
            int64_t d = inType.getDimSize(i);
            Value x = arith::SubIOp::create(b, l, linalg::IndexOp::create(b, l, i),
                                            arith::ConstantIndexOp::create(b, l, (*pads)[i]));
            Value zero = arith::ConstantIndexOp::create(b, l, 0);
            Value last = arith::ConstantIndexOp::create(b, l, d - 1);
            if (mode == "edge" || d == 1) {
              x = arith::MinSIOp::create(b, l, arith::MaxSIOp::create(b, l, x, zero), last);
            } else if (mode == "wrap") {
              Value dv = arith::ConstantIndexOp::create(b, l, d);
              x = arith::RemSIOp::create(b, l, arith::AddIOp::create(b, l, arith::RemSIOp::create(b, l, x, dv), dv), dv);
            } else { // reflect: period 2(d-1), mirrored without repeating the edge.
              Value period = arith::ConstantIndexOp::create(b, l, 2 * (d - 1));
              Value m = arith::RemSIOp::create(b, l, x, period);
              m = arith::SelectOp::create(b, l, arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, m, zero),
                                          arith::AddIOp::create(b, l, m, period), m);
              x = arith::SelectOp::create(b, l, arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt, m, last),
                                          arith::SubIOp::create(b, l, period, m), m);
            }
            at.push_back(x);
          }
          return Value(tensor::ExtractOp::create(b, l, data, at));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ConstantOfShapeLowering : OpConversionPattern<onnx::ConstantOfShapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::ConstantOfShapeOp op, OpAdaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto values = onnx::evaluateConstantOp(op);
    auto outType = lower::signlessType(op.getType());
    Value fill;
    if (!values.empty() && values.front().isSplat()) {
      auto splat = values.front();
      Type elem = outType.getElementType();
      fill = isa<FloatType>(elem)
                 ? Value(arith::ConstantOp::create(rewriter, op.getLoc(), rewriter.getFloatAttr(elem, (*splat.getValues<APFloat>().begin()).convertToDouble())))
                 : Value(arith::ConstantOp::create(rewriter, op.getLoc(), rewriter.getIntegerAttr(elem, (*splat.getValues<APInt>().begin()).getSExtValue())));
    } else if (auto value = op.getValueAttr()) {
      return rewriter.notifyMatchFailure(op, "value not evaluable");
    } else {
      fill = lower::scalarConstant(rewriter, op.getLoc(), outType.getElementType(), 0.0);
    }
    rewriter.replaceOp(op, lower::buildFilled(rewriter, op.getLoc(), outType, fill));
    return success();
  }
};

struct SplitLowering : OpConversionPattern<onnx::SplitOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::SplitOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto sizes = onnx::resolveSplit(op);
    if (failed(sizes))
      return failure();
    Value input = adaptor.getInput();
    auto inType = cast<RankedTensorType>(input.getType());
    int64_t rank = inType.getRank(), axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    SmallVector<Value> results;
    int64_t offset = 0;
    for (auto [result, size] : llvm::zip(op.getOutputs(), *sizes)) {
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0)), extents, strides(rank, rewriter.getIndexAttr(1));
      offsets[axis] = rewriter.getIndexAttr(offset);
      auto outType = lower::signlessType(result.getType());
      for (int64_t d : outType.getShape())
        extents.push_back(rewriter.getIndexAttr(d));
      // An empty piece may start at the end of the axis, which extract_slice's
      // bounds check refuses; it holds nothing to extract anyway.
      if (outType.getNumElements() == 0)
        results.push_back(tensor::EmptyOp::create(rewriter, op.getLoc(), outType.getShape(), outType.getElementType()));
      else
        results.push_back(tensor::ExtractSliceOp::create(rewriter, op.getLoc(), outType, input, offsets, extents, strides));
      offset += size;
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void onnxc::lower::populateIndexingPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<ShapeOfLowering<onnx::ShapeOp>, ShapeOfLowering<onnx::SizeOp>,
               ViewLowering<onnx::SqueezeOp>, ViewLowering<onnx::UnsqueezeOp>, ExpandLowering, TileLowering,
               SliceLowering, GatherLowering<onnx::GatherOp, false>, GatherLowering<onnx::GatherElementsOp, true>,
               PadLowering, ConstantOfShapeLowering, SplitLowering>(converter, patterns.getContext());
}
