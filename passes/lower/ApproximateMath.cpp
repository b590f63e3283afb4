//===- ApproximateMath.cpp - onnxc-approximate-math pass ------------------===//
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace onnxc {
#define GEN_PASS_DEF_APPROXIMATEMATH
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace {

/// math.fma as a contractable multiply and add (LLVM's fmuladd): one FMA
/// instruction where the target has one, a multiply and an add elsewhere. The
/// polynomials below are written with math.fma; upstream's expansion makes a
/// plain mulf + addf of it, which LLVM may not fuse (a Sigmoid loop: 9 of its
/// multiply-add pairs fused, 35 -> 28 AVX-512 instructions per 16 elements),
/// and math.fma itself lowers to llvm.fma, a libm call (fmaf) on targets
/// without FMA. Registered above upstream's expansion, so it wins for every
/// fma, including those the approximations create.
struct ContractFma : OpRewritePattern<math::FmaOp> {
  ContractFma(MLIRContext *ctx) : OpRewritePattern(ctx, /*benefit=*/2) {}
  LogicalResult matchAndRewrite(math::FmaOp fma, PatternRewriter &rewriter) const override {
    auto contract = arith::FastMathFlagsAttr::get(getContext(), arith::FastMathFlags::contract);
    Value product = arith::MulFOp::create(rewriter, fma.getLoc(), fma.getA(), fma.getB(), contract);
    rewriter.replaceOpWithNewOp<arith::AddFOp>(fma, product, fma.getC(), contract);
    return success();
  }
};

struct ApproximateMathPass : public onnxc::impl::ApproximateMathBase<ApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ContractFma>(&getContext());
    // First rewrite the ops without approximations (sinh, tan, powf, ...)
    // into ones that have them.
    math::populateExpansionPatterns(patterns);
    // sqrt and rsqrt stay: they are single instructions on every target.
    auto approximate = [](StringRef name) { return name != "sqrt" && name != "rsqrt"; };
    populateMathF32ExpansionPatterns(patterns, approximate);
    populateMathPolynomialApproximationPatterns(patterns, approximate);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
