//===- Einsum.cpp - Einsum as one contraction generic ---------------------===//
//
// An Einsum is one linalg.generic: a loop per output dim (in output order,
// so the result is written contiguously) and a loop per summed label, every
// operand read through its labels' loops. A repeated label reads a diagonal
// (the map repeats a dim), a broadcast ellipsis dim reads index 0. No
// operand is materialised transposed; a two-operand Einsum with one summed
// label is a contraction generic like MatMul's, so the microkernel pass
// (onnxc-contractions-to-ukernels) picks it up when its layout fits.
// f16/bf16 products are summed in f32 and rounded once, as for MatMul.
//
//===----------------------------------------------------------------------===//
#include "ir/Einsum.h"
#include "passes/lower/LoweringUtils.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

using namespace mlir;
using namespace onnxc;

namespace {

struct EinsumLowering : OpConversionPattern<onnx::EinsumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::EinsumOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<ArrayRef<int64_t>> shapes;
    for (Value v : adaptor.getInputs())
      shapes.push_back(cast<RankedTensorType>(v.getType()).getShape());
    std::string error;
    auto plan = onnx::planEinsum(op.getEquation(), shapes, error);
    if (!plan)
      return op.emitError() << error;
    auto resultType = lower::signlessType(op.getType());
    Type elem = resultType.getElementType();
    bool widen = elem.isF16() || elem.isBF16();
    Type accElem = widen ? rewriter.getF32Type() : elem;
    auto accType = RankedTensorType::get(resultType.getShape(), accElem);
    Value init = lower::buildFilled(rewriter, loc, accType, lower::scalarConstant(rewriter, loc, accElem, 0.0));
    if (llvm::is_contained(plan->loopSizes, 0)) {
      rewriter.replaceOp(op, widen ? lower::buildBroadcastElementwise(
                                         rewriter, loc, resultType, init,
                                         [&](OpBuilder &b, Location l, ValueRange a) {
                                           return Value(arith::TruncFOp::create(b, l, elem, a[0]));
                                         })
                                   : init);
      return success();
    }
    int64_t numLoops = static_cast<int64_t>(plan->loopSizes.size());
    SmallVector<AffineMap> maps;
    for (const auto &loops : plan->operandLoops) {
      SmallVector<AffineExpr> exprs;
      for (int64_t loop : loops)
        exprs.push_back(loop < 0 ? getAffineConstantExpr(0, ctx) : getAffineDimExpr(loop, ctx));
      maps.push_back(AffineMap::get(numLoops, 0, exprs, ctx));
    }
    SmallVector<AffineExpr> outExprs;
    for (int64_t i = 0; i < plan->numOutputLoops; ++i)
      outExprs.push_back(getAffineDimExpr(i, ctx));
    maps.push_back(AffineMap::get(numLoops, 0, outExprs, ctx));
    SmallVector<utils::IteratorType> iterators(numLoops, utils::IteratorType::reduction);
    std::fill_n(iterators.begin(), plan->numOutputLoops, utils::IteratorType::parallel);
    bool isFloat = isa<FloatType>(elem);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, accType, adaptor.getInputs(), init, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value product;
          for (Value v : args.drop_back()) {
            if (widen)
              v = arith::ExtFOp::create(b, l, accElem, v);
            product = !product ? v
                      : isFloat ? Value(arith::MulFOp::create(b, l, product, v))
                                : Value(arith::MulIOp::create(b, l, product, v));
          }
          Value acc = args.back();
          linalg::YieldOp::create(b, l, isFloat ? Value(arith::AddFOp::create(b, l, acc, product))
                                                : Value(arith::AddIOp::create(b, l, acc, product)));
        });
    Value result = generic.getResult(0);
    if (widen)
      result = lower::buildBroadcastElementwise(rewriter, loc, resultType, result,
                                                [&](OpBuilder &b, Location l, ValueRange a) {
                                                  return Value(arith::TruncFOp::create(b, l, elem, a[0]));
                                                });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void onnxc::lower::populateEinsumPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<EinsumLowering>(converter, patterns.getContext());
}
