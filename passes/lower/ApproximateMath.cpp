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
struct ApproximateMathPass : public onnxc::impl::ApproximateMathBase<ApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    // First rewrite the ops without approximations (sinh, tan, powf, ...)
    // into ones that have them. Every expansion but fma's (see below).
    static constexpr StringRef kExpanded[] = {
        "ctlz",  "sinh", "cosh",  "tan",   "tanh",  "asinh",     "acosh", "atanh",
        "ceil",  "exp2", "powf",  "fpowi", "ipowi", "round",     "roundeven", "rsqrt"};
    math::populateExpansionPatterns(patterns, kExpanded);
    // sqrt and rsqrt stay: they are single instructions on every target.
    auto approximate = [](StringRef name) { return name != "sqrt" && name != "rsqrt"; };
    populateMathF32ExpansionPatterns(patterns, approximate);
    populateMathPolynomialApproximationPatterns(patterns, approximate);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // The polynomials are written with math.fma. Upstream's expansion makes a
    // plain mulf + addf of it, which LLVM may not fuse, and math.fma itself
    // lowers to llvm.fma, a libm call (fmaf) on targets without FMA. A
    // contractable pair is LLVM's fmuladd: one FMA instruction where the
    // target has one (a Sigmoid loop: 9 of its multiply-add pairs fused, 35
    // -> 28 AVX-512 instructions per 16 elements), a multiply and an add elsewhere.
    auto contract = arith::FastMathFlagsAttr::get(&getContext(), arith::FastMathFlags::contract);
    getOperation()->walk([&](math::FmaOp fma) {
      OpBuilder b(fma);
      Value product = arith::MulFOp::create(b, fma.getLoc(), fma.getA(), fma.getB(), contract);
      fma.replaceAllUsesWith(
          arith::AddFOp::create(b, fma.getLoc(), product, fma.getC(), contract).getResult());
      fma.erase();
    });
  }
};
} // namespace
