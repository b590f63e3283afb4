//===- ApproximateMath.cpp - onnxc-approximate-math pass ------------------===//
#include "passes/Passes.h"

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
