//===- Elementwise.cpp - every elementwise op, Clip, Identity -------------===//
//
// One pattern lowers any op that has a scalar builder (ScalarOps.cpp) to an
// all-parallel linalg.generic whose input maps encode numpy broadcasting;
// linalg's elementwise fusion later merges chains into one loop nest.
//
//===----------------------------------------------------------------------===//
#include "passes/lower/LoweringUtils.h"
#include "passes/lower/ScalarOps.h"

using namespace mlir;
using namespace onnxc;

namespace {

struct ElementwiseLowering : ConversionPattern {
  ElementwiseLowering(const TypeConverter &converter, MLIRContext *ctx)
      : ConversionPattern(converter, MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                                ConversionPatternRewriter &rewriter) const override {
    if (!isa<onnx::ONNXDialect>(op->getDialect()) || op->getNumResults() != 1)
      return failure();
    const lower::ScalarBuilder *builder = lower::lookupScalarBuilder(op->getName().getStringRef());
    if (!builder)
      return failure();
    auto resultType = lower::signlessType(op->getResult(0).getType());
    SmallVector<Type> inputElements;
    for (Value v : op->getOperands())
      inputElements.push_back(cast<ShapedType>(v.getType()).getElementType());
    Value result = lower::buildBroadcastElementwise(
        rewriter, op->getLoc(), resultType, operands,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return (*builder)(b, loc, op, args, inputElements, resultType.getElementType());
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ClipLowering : OpConversionPattern<onnx::ClipOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::ClipOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto resultType = lower::signlessType(op.getType());
    Type onnxElement = cast<ShapedType>(op.getType()).getElementType();
    SmallVector<Value> inputs{adaptor.getInput()};
    SmallVector<AffineMap> maps{rewriter.getMultiDimIdentityMap(resultType.getRank())};
    // min and max are one-element tensors: read element 0 whatever their rank.
    auto scalarMap = [&](Value v) {
      int64_t rank = cast<RankedTensorType>(v.getType()).getRank();
      SmallVector<AffineExpr> zeros(rank, rewriter.getAffineConstantExpr(0));
      return AffineMap::get(resultType.getRank(), 0, zeros, getContext());
    };
    bool hasMin = static_cast<bool>(adaptor.getMin()), hasMax = static_cast<bool>(adaptor.getMax());
    for (Value bound : {adaptor.getMin(), adaptor.getMax()})
      if (bound) {
        inputs.push_back(bound);
        maps.push_back(scalarMap(bound));
      }
    const lower::ScalarBuilder &max = *lower::lookupScalarBuilder("onnx.Max");
    const lower::ScalarBuilder &min = *lower::lookupScalarBuilder("onnx.Min");
    Value result = lower::buildElementwise(
        rewriter, op.getLoc(), resultType, inputs, maps,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          // ONNX applies max(min) then min(max); NaN propagates as in onnxruntime.
          Value x = args[0];
          size_t next = 1;
          SmallVector<Type> types(2, onnxElement);
          if (hasMin)
            x = max(b, loc, op, ValueRange{x, args[next++]}, types, x.getType());
          if (hasMax)
            x = min(b, loc, op, ValueRange{x, args[next++]}, types, x.getType());
          return x;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct IdentityLowering : OpConversionPattern<onnx::IdentityOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::IdentityOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getX());
    return success();
  }
};

} // namespace

void onnxc::lower::populateElementwisePatterns(const TypeConverter &converter,
                                               RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ElementwiseLowering>(converter, ctx);
  patterns.add<ClipLowering, IdentityLowering>(converter, ctx);
}
