//===- BlockRearrange.cpp - DepthToSpace and SpaceToDepth -----------------===//
//
// Both are pure data movement: one all-parallel linalg.generic over the output
// whose input map computes the source position with floordiv/mod by the
// block size, so nothing is reshaped or transposed in memory.
//
//===----------------------------------------------------------------------===//
#include "passes/lower/LoweringUtils.h"

using namespace mlir;
using namespace onnxc;

namespace {

template <typename OpTy, bool ToSpace>
struct BlockRearrangeLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;
  LogicalResult matchAndRewrite(OpTy op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    MLIRContext *ctx = op.getContext();
    auto resultType = lower::signlessType(op.getType());
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    int64_t b = op.getBlocksize();
    bool dcr = op.getMode() == "DCR";
    AffineExpr n = getAffineDimExpr(0, ctx), c = getAffineDimExpr(1, ctx),
               h = getAffineDimExpr(2, ctx), w = getAffineDimExpr(3, ctx);
    SmallVector<AffineExpr> src;
    if (ToSpace) {
      // Output (n, c, h, w) reads block (h mod b, w mod b) of channel group c.
      int64_t channels = resultType.getDimSize(1);
      AffineExpr bh = h % b, bw = w % b;
      AffineExpr ic = dcr ? bh * (b * channels) + bw * channels + c : c * (b * b) + bh * b + bw;
      src = {n, ic, h.floorDiv(b), w.floorDiv(b)};
    } else {
      // Output channel c packs (block row, block col, input channel).
      int64_t channels = inType.getDimSize(1);
      AffineExpr ic, bh, bw;
      if (dcr) {
        ic = c % channels;
        bh = c.floorDiv(channels).floorDiv(b);
        bw = c.floorDiv(channels) % b;
      } else {
        ic = c.floorDiv(b * b);
        bh = (c % (b * b)).floorDiv(b);
        bw = c % b;
      }
      src = {n, ic, h * b + bh, w * b + bw};
    }
    Value result = lower::buildElementwise(
        rewriter, op.getLoc(), resultType, adaptor.getInput(), AffineMap::get(4, 0, src, ctx),
        [](OpBuilder &, Location, ValueRange args) { return args[0]; });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void onnxc::lower::populateBlockRearrangePatterns(const TypeConverter &converter,
                                                  RewritePatternSet &patterns) {
  patterns.add<BlockRearrangeLowering<onnx::DepthToSpaceOp, true>,
               BlockRearrangeLowering<onnx::SpaceToDepthOp, false>>(converter,
                                                                    patterns.getContext());
}
