//===- Elementwise.cpp - Add/Sub/Mul/Div, activations, Clip, Identity -----===//
//
// Every elementwise op becomes one all-parallel linalg.generic whose input maps
// encode numpy broadcasting; linalg's elementwise fusion later merges chains.
//
//===----------------------------------------------------------------------===//
#include "passes/lower/LoweringUtils.h"

using namespace mlir;
using namespace onnxc;

namespace {

bool isFloat(Type t) { return isa<FloatType>(t); }
bool isUnsignedInt(Type t) { return t.isUnsignedInteger(); }

template <typename SourceOp>
struct BinaryLowering : OpConversionPattern<SourceOp> {
  using OpConversionPattern<SourceOp>::OpConversionPattern;
  using Adaptor = typename SourceOp::Adaptor;

  static Value compute(OpBuilder &b, Location loc, Value lhs, Value rhs) {
    Type t = lhs.getType();
    if constexpr (std::is_same_v<SourceOp, onnx::AddOp>)
      return isFloat(t) ? Value(arith::AddFOp::create(b, loc, lhs, rhs))
                        : Value(arith::AddIOp::create(b, loc, lhs, rhs));
    if constexpr (std::is_same_v<SourceOp, onnx::SubOp>)
      return isFloat(t) ? Value(arith::SubFOp::create(b, loc, lhs, rhs))
                        : Value(arith::SubIOp::create(b, loc, lhs, rhs));
    if constexpr (std::is_same_v<SourceOp, onnx::MulOp>)
      return isFloat(t) ? Value(arith::MulFOp::create(b, loc, lhs, rhs))
                        : Value(arith::MulIOp::create(b, loc, lhs, rhs));
    if (isFloat(t))
      return arith::DivFOp::create(b, loc, lhs, rhs);
    return isUnsignedInt(t) ? Value(arith::DivUIOp::create(b, loc, lhs, rhs))
                            : Value(arith::DivSIOp::create(b, loc, lhs, rhs));
  }

  LogicalResult matchAndRewrite(SourceOp op, Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    Value result = lower::buildBroadcastElementwise(
        rewriter, op.getLoc(), resultType, adaptor.getOperands(),
        [](OpBuilder &b, Location loc, ValueRange args) {
          return compute(b, loc, args[0], args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Unary ops whose scalar body is a function of one float or int value.
template <typename SourceOp>
struct UnaryLowering : OpConversionPattern<SourceOp> {
  using OpConversionPattern<SourceOp>::OpConversionPattern;
  using Adaptor = typename SourceOp::Adaptor;

  static Value compute(OpBuilder &b, Location loc, Value x) {
    Type t = x.getType();
    if constexpr (std::is_same_v<SourceOp, onnx::ReluOp>) {
      Value zero = lower::scalarConstant(b, loc, t, 0.0);
      return isFloat(t) ? Value(arith::MaximumFOp::create(b, loc, x, zero))
                        : Value(arith::MaxSIOp::create(b, loc, x, zero));
    }
    if constexpr (std::is_same_v<SourceOp, onnx::TanhOp>)
      return math::TanhOp::create(b, loc, x);
    // Sigmoid: 1 / (1 + exp(-x)); exp(-x) overflows to inf for very negative
    // x, which gives the correct limit 0.
    Value one = lower::scalarConstant(b, loc, t, 1.0);
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
    return arith::DivFOp::create(b, loc, one, arith::AddFOp::create(b, loc, one, e));
  }

  LogicalResult matchAndRewrite(SourceOp op, Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Type elem = cast<RankedTensorType>(op.getType()).getElementType();
    if (!std::is_same_v<SourceOp, onnx::ReluOp> && !isFloat(elem))
      return rewriter.notifyMatchFailure(op, "needs a float element type");
    Value result = lower::buildBroadcastElementwise(
        rewriter, op.getLoc(), cast<RankedTensorType>(op.getType()), adaptor.getOperands(),
        [](OpBuilder &b, Location loc, ValueRange args) { return compute(b, loc, args[0]); });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ClipLowering : OpConversionPattern<onnx::ClipOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::ClipOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
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
    Value result = lower::buildElementwise(
        rewriter, op.getLoc(), resultType, inputs, maps,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value x = args[0];
          bool f = isFloat(x.getType()), u = isUnsignedInt(x.getType());
          size_t next = 1;
          // ONNX applies max(min) then min(max); NaN propagates as in onnxruntime.
          if (hasMin) {
            Value lo = args[next++];
            x = f ? Value(arith::MaximumFOp::create(b, loc, x, lo))
                  : u ? Value(arith::MaxUIOp::create(b, loc, x, lo))
                      : Value(arith::MaxSIOp::create(b, loc, x, lo));
          }
          if (hasMax) {
            Value hi = args[next++];
            x = f ? Value(arith::MinimumFOp::create(b, loc, x, hi))
                  : u ? Value(arith::MinUIOp::create(b, loc, x, hi))
                      : Value(arith::MinSIOp::create(b, loc, x, hi));
          }
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

void onnxc::lower::populateElementwisePatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<BinaryLowering<onnx::AddOp>, BinaryLowering<onnx::SubOp>,
               BinaryLowering<onnx::MulOp>, BinaryLowering<onnx::DivOp>,
               UnaryLowering<onnx::ReluOp>, UnaryLowering<onnx::SigmoidOp>,
               UnaryLowering<onnx::TanhOp>, ClipLowering, IdentityLowering>(ctx);
}
