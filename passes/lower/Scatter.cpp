//===- Scatter.cpp - ScatterElements --------------------------------------===//
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

} // namespace

void onnxc::lower::populateScatterPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<ScatterElementsLowering>(converter, patterns.getContext());
}
