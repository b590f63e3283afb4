//===- DataMovement.cpp - Constant, Flatten, Reshape, Transpose, Concat ---===//
//
// Reshapes are metadata only: a collapse to 1-D and an expand to the target
// shape, both free views after bufferization.
//
//===----------------------------------------------------------------------===//
#include "passes/lower/LoweringUtils.h"

using namespace mlir;
using namespace onnxc;

namespace {

Value reshapeTo(OpBuilder &b, Location loc, Value value, RankedTensorType target) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type == target)
    return value;
  auto flatType = RankedTensorType::get({type.getNumElements()}, type.getElementType());
  auto allDims = [](int64_t rank) {
    ReassociationIndices dims;
    for (int64_t i = 0; i < rank; ++i)
      dims.push_back(i);
    return SmallVector<ReassociationIndices>{dims};
  };
  Value flat = value;
  if (type.getRank() > 1)
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, value, allDims(type.getRank()));
  else if (type.getRank() == 0)
    flat = tensor::ExpandShapeOp::create(b, loc, flatType, value, SmallVector<ReassociationIndices>{});
  if (target.getRank() > 1)
    return tensor::ExpandShapeOp::create(b, loc, target, flat, allDims(target.getRank()));
  if (target.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, target, flat, SmallVector<ReassociationIndices>{});
  return flat;
}

struct ConstantLowering : OpConversionPattern<onnx::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::ConstantOp op, OpAdaptor,
                                ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, cast<TypedAttr>(op.getValue()));
    return success();
  }
};

template <typename ReshapeLikeOp>
struct ReshapeLowering : OpConversionPattern<ReshapeLikeOp> {
  using OpConversionPattern<ReshapeLikeOp>::OpConversionPattern;
  using Adaptor = typename ReshapeLikeOp::Adaptor;
  LogicalResult matchAndRewrite(ReshapeLikeOp op, Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), adaptor.getOperands()[0],
                                     cast<RankedTensorType>(op.getType())));
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<onnx::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::TransposeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(), type.getShape(), type.getElementType());
    rewriter.replaceOpWithNewOp<linalg::TransposeOp>(op, adaptor.getData(), init,
                                                     onnx::getI64s(*op.getPerm()));
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<onnx::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::ConcatOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    // I64Attr reads back unsigned: convert before testing the sign.
    int64_t rank = type.getRank(), axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    Value result = tensor::EmptyOp::create(rewriter, loc, type.getShape(), type.getElementType());
    int64_t offset = 0;
    for (Value input : adaptor.getInputs()) {
      auto inType = cast<RankedTensorType>(input.getType());
      if (inType.getDimSize(axis) == 0)
        continue;
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0)), sizes, strides(rank, rewriter.getIndexAttr(1));
      offsets[axis] = rewriter.getIndexAttr(offset);
      for (int64_t d : inType.getShape())
        sizes.push_back(rewriter.getIndexAttr(d));
      result = tensor::InsertSliceOp::create(rewriter, loc, input, result, offsets, sizes, strides);
      offset += inType.getDimSize(axis);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void onnxc::lower::populateDataMovementPatterns(RewritePatternSet &patterns) {
  patterns.add<ConstantLowering, ReshapeLowering<onnx::ReshapeOp>, ReshapeLowering<onnx::FlattenOp>,
               TransposeLowering, ConcatLowering>(patterns.getContext());
}
