//===- DecomposeNormalization.cpp - LRN, LpNorm, MVN, GroupNorm as onnx ops ===//
//
// These normalisations are compositions of reductions and elementwise ops
// (ONNX gives MVN and GroupNormalization function bodies). Rewriting them once
// shapes are static reuses the Reduce*, AveragePool and elementwise lowerings
// and their fusion, so the native ops and the `_expanded` forms compile alike.
// The formulas follow the ONNX reference and backend test generators.
//
//===----------------------------------------------------------------------===//
#include "passes/graph/DecompositionBuilder.h"

#include "llvm/ADT/TypeSwitch.h"

namespace onnxc {
#define GEN_PASS_DEF_DECOMPOSENORMALIZATION
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using namespace onnxc;

namespace {

struct Builder : DecompositionBuilder {
  Value scalar(Type elem, double v) {
    return constant(DenseElementsAttr::get(RankedTensorType::get({}, elem), FloatAttr::get(elem, v)));
  }
  /// A keepdims reduction over constant axes.
  template <typename ReduceOp>
  Value reduce(Value x, ArrayRef<int64_t> axes) {
    return make<ReduceOp>(elemOf(x), {x, i64s(axes)}, {attr("keepdims", 1)});
  }
  template <typename OpTy>
  Value binary(Value a, Value b) {
    return make<OpTy>(elemOf(a), {a, b});
  }
};

/// y = x / (bias + alpha / size * sum of x^2 over the channel window)^beta.
/// The channel window sum is an AveragePool (count_include_pad) over C, seen
/// as the first spatial dim of [N, 1, C, D...], with the window's asymmetric
/// padding: floor((size - 1) / 2) channels before, the rest after.
LogicalResult decompose(Builder &g, onnx::LRNOp op) {
  Value x = op.getX();
  Type elem = g.elemOf(x);
  SmallVector<int64_t> shape(g.shapeOf(x)), pooled(shape);
  pooled.insert(pooled.begin() + 1, 1);
  int64_t size = op.getSize(), spatial = pooled.size() - 2;
  SmallVector<int64_t> kernel(spatial, 1), pads(2 * spatial, 0);
  kernel[0] = size;
  pads[0] = (size - 1) / 2;
  pads[spatial] = size - 1 - pads[0];
  Value squares = g.reshape(g.binary<onnx::MulOp>(x, x), pooled);
  Value mean = g.make<onnx::AveragePoolOp>(elem, squares,
                                           {g.b.getNamedAttr("kernel_shape", g.b.getI64ArrayAttr(kernel)),
                                            g.b.getNamedAttr("pads", g.b.getI64ArrayAttr(pads)),
                                            g.attr("count_include_pad", 1)});
  // alpha / size * sum == alpha * mean.
  Value scaled = g.binary<onnx::MulOp>(g.reshape(mean, shape), g.scalar(elem, op.getAlpha().convertToDouble()));
  Value base = g.binary<onnx::AddOp>(scaled, g.scalar(elem, op.getBias().convertToDouble()));
  Value denominator = g.binary<onnx::PowOp>(base, g.scalar(elem, op.getBeta().convertToDouble()));
  op.getY().replaceAllUsesWith(g.binary<onnx::DivOp>(x, denominator));
  return success();
}

/// x / ||x||_p along the axis, 0 where the norm is 0 (as the reference).
LogicalResult decompose(Builder &g, onnx::LpNormalizationOp op) {
  Value x = op.getInput();
  Type elem = g.elemOf(x);
  int64_t rank = std::max<int64_t>(g.shapeOf(x).size(), 1);
  int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
  Value norm = op.getP() == 1 ? g.reduce<onnx::ReduceL1Op>(x, {axis}) : g.reduce<onnx::ReduceL2Op>(x, {axis});
  Value zero = g.scalar(elem, 0.0);
  Value isZero = g.make<onnx::EqualOp>(g.b.getI1Type(), {norm, zero});
  Value quotient = g.binary<onnx::DivOp>(x, norm);
  op.getOutput().replaceAllUsesWith(g.make<onnx::WhereOp>(elem, {isZero, zero, quotient}));
  return success();
}

/// (x - E[x]) / (sqrt(E[x^2] - E[x]^2) + 1e-9), the function body's formula.
LogicalResult decompose(Builder &g, onnx::MeanVarianceNormalizationOp op) {
  Value x = op.getX();
  Type elem = g.elemOf(x);
  SmallVector<int64_t> axes = onnx::getI64s(op.getAxes(), 0, 0);
  if (!op.getAxes())
    axes = {0, 2, 3};
  Value mean = g.reduce<onnx::ReduceMeanOp>(x, axes);
  Value meanOfSquares = g.reduce<onnx::ReduceMeanOp>(g.binary<onnx::MulOp>(x, x), axes);
  Value variance = g.binary<onnx::SubOp>(meanOfSquares, g.binary<onnx::MulOp>(mean, mean));
  Value deviation = g.make<onnx::SqrtOp>(elem, variance);
  Value denominator = g.binary<onnx::AddOp>(deviation, g.scalar(elem, 1e-9));
  op.getY().replaceAllUsesWith(g.binary<onnx::DivOp>(g.binary<onnx::SubOp>(x, mean), denominator));
  return success();
}

/// Statistics over [N, G, C / G * D...]; scale and bias apply per channel
/// (opset 21) on the original shape, or per group (opset 18) on the grouped view.
LogicalResult decompose(Builder &g, onnx::GroupNormalizationOp op) {
  Value x = op.getX();
  Type elem = g.elemOf(x);
  SmallVector<int64_t> shape(g.shapeOf(x));
  int64_t groups = op.getNumGroups(), rank = shape.size();
  int64_t perGroup = 1;
  for (int64_t i = 1; i < rank; ++i)
    perGroup *= shape[i];
  perGroup /= groups;
  Value grouped = g.reshape(x, {shape[0], groups, perGroup});
  Value centered = g.binary<onnx::SubOp>(grouped, g.reduce<onnx::ReduceMeanOp>(grouped, {2}));
  Value variance = g.reduce<onnx::ReduceMeanOp>(g.binary<onnx::MulOp>(centered, centered), {2});
  Value deviation =
      g.make<onnx::SqrtOp>(elem, g.binary<onnx::AddOp>(variance, g.scalar(elem, op.getEpsilon().convertToDouble())));
  Value normalized = g.binary<onnx::DivOp>(centered, deviation);
  Value y;
  if (op.getPerGroupAffine()) {
    Value scaled = g.binary<onnx::MulOp>(normalized, g.reshape(op.getScale(), {groups, 1}));
    y = g.reshape(g.binary<onnx::AddOp>(scaled, g.reshape(op.getBias(), {groups, 1})), shape);
  } else {
    SmallVector<int64_t> affineShape(rank - 1, 1);
    affineShape[0] = shape[1];
    Value scaled = g.binary<onnx::MulOp>(g.reshape(normalized, shape), g.reshape(op.getScale(), affineShape));
    y = g.binary<onnx::AddOp>(scaled, g.reshape(op.getBias(), affineShape));
  }
  op.getY().replaceAllUsesWith(y);
  return success();
}

struct DecomposeNormalizationPass : public onnxc::impl::DecomposeNormalizationBase<DecomposeNormalizationPass> {
  void runOnOperation() override {
    if (failed(rewriteEach<Builder, onnx::LRNOp, onnx::LpNormalizationOp, onnx::MeanVarianceNormalizationOp,
                              onnx::GroupNormalizationOp>(
            getOperation(), [](Builder &g, auto op) { return decompose(g, op); })))
      signalPassFailure();
  }
};

} // namespace
