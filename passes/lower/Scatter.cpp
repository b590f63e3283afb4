//===- Scatter.cpp - ScatterElements, ScatterND, TensorScatter ------------===//
//
// Scatter writes data-dependent positions, which no linalg op expresses: a
// loop nest over the updates threads the output tensor through scf.for
// iter_args with tensor.extract/insert, and bufferization makes it one
// in-place buffer (a copy of data).
//
//===----------------------------------------------------------------------===//
#include "passes/lower/LoweringUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace onnxc;

namespace {

/// Combines the value in the output with an update, per ONNX's `reduction`.
Value combine(OpBuilder &b, Location loc, StringRef reduction, Value old, Value update,
              bool isUnsigned) {
  bool isFloat = isa<FloatType>(update.getType());
  if (reduction == "add")
    return isFloat ? Value(arith::AddFOp::create(b, loc, old, update))
                   : Value(arith::AddIOp::create(b, loc, old, update));
  if (reduction == "mul")
    return isFloat ? Value(arith::MulFOp::create(b, loc, old, update))
                   : Value(arith::MulIOp::create(b, loc, old, update));
  if (reduction == "max") {
    if (isFloat)
      return arith::MaximumFOp::create(b, loc, old, update);
    return isUnsigned ? Value(arith::MaxUIOp::create(b, loc, old, update))
                      : Value(arith::MaxSIOp::create(b, loc, old, update));
  }
  if (reduction == "min") {
    if (isFloat)
      return arith::MinimumFOp::create(b, loc, old, update);
    return isUnsigned ? Value(arith::MinUIOp::create(b, loc, old, update))
                      : Value(arith::MinSIOp::create(b, loc, old, update));
  }
  return update;
}

struct ScatterElementsLowering : OpConversionPattern<onnx::ScatterElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::ScatterElementsOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto dataType = cast<RankedTensorType>(adaptor.getData().getType());
    auto updatesType = cast<RankedTensorType>(adaptor.getUpdates().getType());
    int64_t rank = dataType.getRank(), axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    bool isUnsigned = cast<ShapedType>(op.getData().getType()).getElementType().isUnsignedInteger();
    StringRef reduction = op.getReduction();
    int64_t axisSize = dataType.getDimSize(axis);

    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    SmallVector<Value> lbs(rank, zero), steps(rank, one), ubs;
    for (int64_t d : updatesType.getShape())
      ubs.push_back(arith::ConstantIndexOp::create(rewriter, loc, d));
    Value indices = adaptor.getIndices(), updates = adaptor.getUpdates();
    scf::LoopNest nest = scf::buildLoopNest(
        rewriter, loc, lbs, ubs, steps, ValueRange{adaptor.getData()},
        [&](OpBuilder &b, Location l, ValueRange ivs, ValueRange iters) -> scf::ValueVector {
          Value raw = tensor::ExtractOp::create(b, l, indices, ivs);
          Value idx = arith::IndexCastOp::create(b, l, b.getIndexType(), raw);
          // Negative indices count from the end; out-of-range ones (undefined
          // in ONNX) are clamped so they never write outside the buffer.
          Value size = arith::ConstantIndexOp::create(b, l, axisSize);
          Value zeroIdx = arith::ConstantIndexOp::create(b, l, 0);
          Value negative = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, idx, zeroIdx);
          idx = arith::SelectOp::create(b, l, negative, arith::AddIOp::create(b, l, idx, size), idx);
          idx = arith::MaxSIOp::create(b, l, idx, zeroIdx);
          idx = arith::MinSIOp::create(b, l, idx, arith::ConstantIndexOp::create(b, l, axisSize - 1));
          SmallVector<Value> coords(ivs.begin(), ivs.end());
          coords[axis] = idx;
          Value update = tensor::ExtractOp::create(b, l, updates, ivs);
          Value value = update;
          if (reduction != "none") {
            Value old = tensor::ExtractOp::create(b, l, iters[0], coords);
            value = combine(b, l, reduction, old, update, isUnsigned);
          }
          return {tensor::InsertOp::create(b, l, value, iters[0], coords)};
        });
    rewriter.replaceOp(op, nest.results.empty() ? adaptor.getData() : nest.results[0]);
    return success();
  }
};

/// index (any integer type) -> in-range index along a dim of `size`:
/// negatives count from the end, out-of-range ones (undefined in ONNX) are
/// clamped so they never write outside the buffer.
Value wrapAndClamp(OpBuilder &b, Location l, Value raw, int64_t size) {
  Value idx = arith::IndexCastOp::create(b, l, b.getIndexType(), raw);
  Value zero = arith::ConstantIndexOp::create(b, l, 0);
  Value negative = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, idx, zero);
  Value wrapped = arith::AddIOp::create(b, l, idx, arith::ConstantIndexOp::create(b, l, size));
  idx = arith::SelectOp::create(b, l, negative, wrapped, idx);
  idx = arith::MaxSIOp::create(b, l, idx, zero);
  return arith::MinSIOp::create(b, l, idx, arith::ConstantIndexOp::create(b, l, std::max<int64_t>(size - 1, 0)));
}

/// A loop nest over `shape` threading `init` through; `body` returns the new
/// tensor for one point.
Value buildScatterNest(OpBuilder &rewriter, Location loc, ArrayRef<int64_t> shape, Value init,
                       function_ref<Value(OpBuilder &, Location, ValueRange, Value)> body) {
  if (llvm::is_contained(shape, 0))
    return init;
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  SmallVector<Value> lbs(shape.size(), zero), steps(shape.size(), one), ubs;
  for (int64_t d : shape)
    ubs.push_back(arith::ConstantIndexOp::create(rewriter, loc, d));
  scf::LoopNest nest = scf::buildLoopNest(
      rewriter, loc, lbs, ubs, steps, ValueRange{init},
      [&](OpBuilder &b, Location l, ValueRange ivs, ValueRange iters) -> scf::ValueVector {
        return {body(b, l, ivs, iters[0])};
      });
  return nest.results.empty() ? init : nest.results[0];
}

/// ScatterND: updates[i..., j...] goes to data[indices[i..., :], j...]. The
/// loops run over the updates; each reads its k-element index tuple.
struct ScatterNDLowering : OpConversionPattern<onnx::ScatterNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::ScatterNDOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto dataType = cast<RankedTensorType>(adaptor.getData().getType());
    auto indicesType = cast<RankedTensorType>(adaptor.getIndices().getType());
    auto updatesType = cast<RankedTensorType>(adaptor.getUpdates().getType());
    int64_t q = indicesType.getRank(), k = indicesType.getShape().back();
    bool isUnsigned = cast<ShapedType>(op.getData().getType()).getElementType().isUnsignedInteger();
    StringRef reduction = op.getReduction();
    Value indices = adaptor.getIndices(), updates = adaptor.getUpdates();
    Value result = buildScatterNest(
        rewriter, op.getLoc(), updatesType.getShape(), adaptor.getData(),
        [&](OpBuilder &b, Location l, ValueRange ivs, Value out) {
          SmallVector<Value> at(ivs.begin(), ivs.begin() + (q - 1)), coords;
          at.push_back(Value());
          for (int64_t j = 0; j < k; ++j) {
            at.back() = arith::ConstantIndexOp::create(b, l, j);
            Value raw = tensor::ExtractOp::create(b, l, indices, at);
            coords.push_back(wrapAndClamp(b, l, raw, dataType.getDimSize(j)));
          }
          coords.append(ivs.begin() + (q - 1), ivs.end());
          Value value = tensor::ExtractOp::create(b, l, updates, ivs);
          if (reduction != "none")
            value = combine(b, l, reduction, tensor::ExtractOp::create(b, l, out, coords), value, isUnsigned);
          return Value(tensor::InsertOp::create(b, l, value, out, coords));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// TensorScatter: the update's sequence positions s land at
/// write_indices[batch] + s along `axis` (modulo its length when circular).
struct TensorScatterLowering : OpConversionPattern<onnx::TensorScatterOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::TensorScatterOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto cacheType = cast<RankedTensorType>(adaptor.getPastCache().getType());
    auto updateType = cast<RankedTensorType>(adaptor.getUpdate().getType());
    int64_t rank = cacheType.getRank(), axis = op.getAxis();
    if (axis < 0)
      axis += rank;
    int64_t length = cacheType.getDimSize(axis);
    bool circular = op.getMode() == "circular";
    Value writeIndices = adaptor.getWriteIndices(), update = adaptor.getUpdate();
    Value result = buildScatterNest(
        rewriter, op.getLoc(), updateType.getShape(), adaptor.getPastCache(),
        [&](OpBuilder &b, Location l, ValueRange ivs, Value out) {
          Value pos = ivs[axis];
          if (writeIndices) {
            Value start = tensor::ExtractOp::create(b, l, writeIndices, ValueRange{ivs[0]});
            pos = arith::AddIOp::create(b, l, pos, arith::IndexCastOp::create(b, l, b.getIndexType(), start));
          }
          Value len = arith::ConstantIndexOp::create(b, l, length);
          if (circular) {
            // remsi keeps the dividend's sign: fold a negative start back in.
            pos = arith::RemSIOp::create(b, l, pos, len);
            Value negative = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, pos,
                                                   arith::ConstantIndexOp::create(b, l, 0));
            pos = arith::SelectOp::create(b, l, negative, arith::AddIOp::create(b, l, pos, len), pos);
          } else {
            pos = arith::MaxSIOp::create(b, l, pos, arith::ConstantIndexOp::create(b, l, 0));
            pos = arith::MinSIOp::create(b, l, pos, arith::ConstantIndexOp::create(b, l, length - 1));
          }
          SmallVector<Value> coords(ivs.begin(), ivs.end());
          coords[axis] = pos;
          Value value = tensor::ExtractOp::create(b, l, update, ivs);
          return Value(tensor::InsertOp::create(b, l, value, out, coords));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void onnxc::lower::populateScatterPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<ScatterElementsLowering, ScatterNDLowering, TensorScatterLowering>(converter, patterns.getContext());
}
