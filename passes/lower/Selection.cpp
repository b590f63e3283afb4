//===- Selection.cpp - GatherND, ReverseSequence, Compress, ArrayFeatureExtractor ===//
//
// Each is a linalg.generic over the result whose body computes the source
// position and reads it with tensor.extract. Data-dependent indices are
// wrapped (negative from the end) and clamped, so a bad index never reads
// outside the tensor. Compress's condition is a compile-time constant, so its
// selected positions become a constant index table.
//
//===----------------------------------------------------------------------===//
#include "passes/lower/LoweringUtils.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

using namespace mlir;
using namespace onnxc;

namespace {

/// index (any integer type) -> [0, size): negatives count from the end.
Value wrapAndClamp(OpBuilder &b, Location l, Value raw, int64_t size) {
  Value i = arith::IndexCastOp::create(b, l, b.getIndexType(), raw);
  Value zero = arith::ConstantIndexOp::create(b, l, 0);
  Value negative = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, i, zero);
  i = arith::SelectOp::create(b, l, negative,
                              arith::AddIOp::create(b, l, i, arith::ConstantIndexOp::create(b, l, size)), i);
  i = arith::MaxSIOp::create(b, l, i, zero);
  return arith::MinSIOp::create(b, l, i, arith::ConstantIndexOp::create(b, l, std::max<int64_t>(size - 1, 0)));
}

/// A generic over `resultType` with no inputs whose body reads one element.
Value buildRead(OpBuilder &b, Location loc, RankedTensorType resultType,
                function_ref<Value(OpBuilder &, Location, ArrayRef<Value>)> read) {
  return lower::buildElementwise(b, loc, resultType, ValueRange{}, {},
                                 [&](OpBuilder &nb, Location l, ValueRange) {
                                   SmallVector<Value> ivs;
                                   for (int64_t d = 0; d < resultType.getRank(); ++d)
                                     ivs.push_back(linalg::IndexOp::create(nb, l, d));
                                   return read(nb, l, ivs);
                                 });
}

bool emptyResult(Operation *op, ConversionPatternRewriter &rewriter, RankedTensorType type) {
  if (type.getNumElements() != 0)
    return false;
  rewriter.replaceOpWithNewOp<tensor::EmptyOp>(op, type.getShape(), type.getElementType());
  return true;
}

/// out[b..., i..., j...] = data[b..., indices[b..., i..., :], j...].
struct GatherNDLowering : OpConversionPattern<onnx::GatherNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::GatherNDOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto outType = lower::signlessType(op.getType());
    if (emptyResult(op, rewriter, outType))
      return success();
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    auto dataType = cast<RankedTensorType>(data.getType());
    auto indicesType = cast<RankedTensorType>(indices.getType());
    int64_t q = indicesType.getRank(), k = indicesType.getShape().back();
    int64_t batch = static_cast<int64_t>(op.getBatchDims());
    rewriter.replaceOp(op, buildRead(rewriter, op.getLoc(), outType, [&](OpBuilder &b, Location l, ArrayRef<Value> ivs) {
      SmallVector<Value> at(ivs.take_front(q - 1));
      at.push_back(Value());
      SmallVector<Value> coords(ivs.take_front(batch));
      for (int64_t j = 0; j < k; ++j) {
        at.back() = arith::ConstantIndexOp::create(b, l, j);
        Value raw = tensor::ExtractOp::create(b, l, indices, at);
        coords.push_back(wrapAndClamp(b, l, raw, dataType.getDimSize(batch + j)));
      }
      coords.append(ivs.begin() + (q - 1), ivs.end());
      return Value(tensor::ExtractOp::create(b, l, data, coords));
    }));
    return success();
  }
};

/// Along the time axis, position t < len[b] reads len[b] - 1 - t; the rest
/// is copied unchanged.
struct ReverseSequenceLowering : OpConversionPattern<onnx::ReverseSequenceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::ReverseSequenceOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto outType = lower::signlessType(op.getType());
    if (emptyResult(op, rewriter, outType))
      return success();
    Value input = adaptor.getInput(), lens = adaptor.getSequenceLens();
    int64_t batchAxis = static_cast<int64_t>(op.getBatchAxis()), timeAxis = static_cast<int64_t>(op.getTimeAxis());
    int64_t steps = outType.getDimSize(timeAxis);
    rewriter.replaceOp(op, buildRead(rewriter, op.getLoc(), outType, [&](OpBuilder &b, Location l, ArrayRef<Value> ivs) {
      Value raw = tensor::ExtractOp::create(b, l, lens, ValueRange{ivs[batchAxis]});
      Value len = arith::IndexCastOp::create(b, l, b.getIndexType(), raw);
      len = arith::MinSIOp::create(b, l, len, arith::ConstantIndexOp::create(b, l, steps));
      Value t = ivs[timeAxis];
      Value reversed = arith::SubIOp::create(
          b, l, arith::SubIOp::create(b, l, len, arith::ConstantIndexOp::create(b, l, 1)), t);
      Value inside = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, t, len);
      SmallVector<Value> coords(ivs.begin(), ivs.end());
      coords[timeAxis] = arith::SelectOp::create(b, l, inside, reversed, t);
      return Value(tensor::ExtractOp::create(b, l, input, coords));
    }));
    return success();
  }
};

/// The kept positions of a constant condition are a table: out[..., i, ...]
/// reads input[..., table[i], ...] (the flattened input when axis is absent).
struct CompressLowering : OpConversionPattern<onnx::CompressOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::CompressOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto condition = onnx::getConstantInts(op.getCondition());
    if (!condition)
      return rewriter.notifyMatchFailure(op, "condition is not constant");
    auto outType = lower::signlessType(op.getType());
    if (emptyResult(op, rewriter, outType))
      return success();
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inType = cast<RankedTensorType>(input.getType());
    int64_t axis = 0;
    if (auto a = op.getAxis()) {
      axis = static_cast<int64_t>(*a);
      if (axis < 0)
        axis += inType.getRank();
    } else {
      input = lower::reshapeTo(rewriter, loc, input,
                               RankedTensorType::get({inType.getNumElements()}, inType.getElementType()));
    }
    SmallVector<int64_t> kept;
    for (auto [i, c] : llvm::enumerate(*condition))
      if (c != 0)
        kept.push_back(static_cast<int64_t>(i));
    auto tableType = RankedTensorType::get({static_cast<int64_t>(kept.size())}, rewriter.getI64Type());
    Value table = arith::ConstantOp::create(rewriter, loc, DenseIntElementsAttr::get(tableType, ArrayRef(kept)));
    rewriter.replaceOp(op, buildRead(rewriter, loc, outType, [&](OpBuilder &b, Location l, ArrayRef<Value> ivs) {
      SmallVector<Value> coords(ivs.begin(), ivs.end());
      Value picked = tensor::ExtractOp::create(b, l, table, ValueRange{ivs[axis]});
      coords[axis] = arith::IndexCastOp::create(b, l, b.getIndexType(), picked);
      return Value(tensor::ExtractOp::create(b, l, input, coords));
    }));
    return success();
  }
};

/// Z[..., i] = X[..., Y.flat[i]]; a 1-D X is read as one row.
struct ArrayFeatureExtractorLowering : OpConversionPattern<onnx::ArrayFeatureExtractorOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::ArrayFeatureExtractorOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto outType = lower::signlessType(op.getType());
    if (emptyResult(op, rewriter, outType))
      return success();
    Location loc = op.getLoc();
    Value x = adaptor.getX(), y = adaptor.getY();
    auto xType = cast<RankedTensorType>(x.getType());
    auto yType = cast<RankedTensorType>(y.getType());
    if (xType.getRank() <= 1) {
      xType = RankedTensorType::get({1, xType.getNumElements()}, xType.getElementType());
      x = lower::reshapeTo(rewriter, loc, x, xType);
    }
    y = lower::reshapeTo(rewriter, loc, y, RankedTensorType::get({yType.getNumElements()}, yType.getElementType()));
    int64_t columns = xType.getShape().back();
    rewriter.replaceOp(op, buildRead(rewriter, loc, outType, [&](OpBuilder &b, Location l, ArrayRef<Value> ivs) {
      SmallVector<Value> coords(ivs.begin(), ivs.end());
      Value raw = tensor::ExtractOp::create(b, l, y, ValueRange{ivs.back()});
      coords.back() = wrapAndClamp(b, l, raw, columns);
      return Value(tensor::ExtractOp::create(b, l, x, coords));
    }));
    return success();
  }
};

} // namespace

void onnxc::lower::populateSelectionPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<GatherNDLowering, ReverseSequenceLowering, CompressLowering, ArrayFeatureExtractorLowering>(
      converter, patterns.getContext());
}
