//===- DataMovement.cpp - Constant, Flatten, Reshape, Transpose, Concat ---===//
//
// Reshapes are metadata only: a collapse to 1-D and an expand to the target
// shape, both free views after bufferization.
//
//===----------------------------------------------------------------------===//
#include "passes/lower/LoweringUtils.h"

#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace onnxc;

namespace {

struct ConstantLowering : OpConversionPattern<onnx::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::ConstantOp op, OpAdaptor,
                                ConversionPatternRewriter &rewriter) const override {
    // arith only takes signless integers: reinterpret unsigned constants' bits.
    RankedTensorType type = lower::signlessType(op.getType());
    Attribute value = op.getValue();
    if (type != op.getType()) {
      if (auto dense = dyn_cast<DenseElementsAttr>(value))
        value = dense.bitcast(type.getElementType());
      else if (auto resource = dyn_cast<DenseResourceElementsAttr>(value))
        value = DenseResourceElementsAttr::get(type, resource.getRawHandle());
      else
        return rewriter.notifyMatchFailure(op, "unsupported constant attribute");
    }
    // Multi-dimensional constants are emitted flat and viewed with the real
    // shape: a nested LLVM array type uniques one constant per innermost row,
    // which made ResNet-50's weights take a minute to translate.
    if (type.getRank() > 1) {
      auto flatType = RankedTensorType::get({type.getNumElements()}, type.getElementType());
      Attribute flat;
      if (auto dense = dyn_cast<DenseElementsAttr>(value))
        flat = dense.reshape(flatType);
      else
        flat = DenseResourceElementsAttr::get(flatType, cast<DenseResourceElementsAttr>(value).getRawHandle());
      Value c = arith::ConstantOp::create(rewriter, op.getLoc(), cast<TypedAttr>(flat));
      rewriter.replaceOp(op, lower::reshapeTo(rewriter, op.getLoc(), c, type));
      return success();
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, cast<TypedAttr>(value));
    return success();
  }
};

template <typename ReshapeLikeOp>
struct ReshapeLowering : OpConversionPattern<ReshapeLikeOp> {
  using OpConversionPattern<ReshapeLikeOp>::OpConversionPattern;
  using Adaptor = typename ReshapeLikeOp::Adaptor;
  LogicalResult matchAndRewrite(ReshapeLikeOp op, Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, lower::reshapeTo(rewriter, op.getLoc(), adaptor.getOperands()[0],
                                     lower::signlessType(op.getType())));
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<onnx::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::TransposeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    // A generic, not linalg.transpose: the fusion patterns take generics only, and a
    // transpose they cannot fold into its consumer is materialised at run time. An LSTM's
    // transposed weights fed 50 step MatMuls as a run-time matrix the kernels packed on
    // every call (1.8 ms where onnxruntime takes 0.5); folded into each MatMul's map, they
    // are one constant the microkernel pass packs at compile time.
    auto type = lower::signlessType(op.getType());
    Location loc = op.getLoc();
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(), type.getElementType());
    SmallVector<int64_t> perm = onnx::getI64s(*op.getPerm());
    unsigned rank = type.getRank();
    // output dim j is input dim perm[j]
    SmallVector<AffineExpr> inputExprs(rank);
    for (unsigned j = 0; j < rank; ++j)
      inputExprs[perm[j]] = rewriter.getAffineDimExpr(j);
    SmallVector<AffineMap> maps{AffineMap::get(rank, 0, inputExprs, rewriter.getContext()),
                                rewriter.getMultiDimIdentityMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    rewriter.replaceOpWithNewOp<linalg::GenericOp>(
        op, type, ValueRange{adaptor.getData()}, ValueRange{init}, maps, iterators,
        [](OpBuilder &b, Location l, ValueRange args) { linalg::YieldOp::create(b, l, args[0]); });
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<onnx::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::ConcatOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = lower::signlessType(op.getType());
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

void onnxc::lower::populateDataMovementPatterns(const TypeConverter &converter,
                                            RewritePatternSet &patterns) {
  patterns.add<ConstantLowering, ReshapeLowering<onnx::ReshapeOp>, ReshapeLowering<onnx::FlattenOp>,
               TransposeLowering, ConcatLowering>(converter, patterns.getContext());
}
