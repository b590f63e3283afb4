//===- FoldBatchNorm.cpp - onnx-fold-batchnorm pass -----------------------===//
#include "passes/Passes.h"

#include "ir/ConstantData.h"

#include <cmath>

namespace onnxc {
#define GEN_PASS_DEF_FOLDBATCHNORM
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using namespace onnxc;

namespace {

/// Folds `bn` into the Conv producing its input; false when it does not apply.
bool foldIntoConv(onnx::BatchNormalizationOp bn) {
  auto conv = bn.getX().getDefiningOp<onnx::ConvOp>();
  if (!conv || !conv->hasOneUse())
    return false;
  auto wType = dyn_cast<RankedTensorType>(conv.getW().getType());
  if (!wType || !wType.hasStaticShape() || !wType.getElementType().isF32())
    return false;
  int64_t filters = wType.getDimSize(0);
  auto w = readF32Constant(conv.getW()), scale = readF32Constant(bn.getScale()),
       beta = readF32Constant(bn.getB()), mean = readF32Constant(bn.getMean()),
       var = readF32Constant(bn.getVar());
  std::optional<std::vector<float>> bias;
  if (conv.getB() && !(bias = readF32Constant(conv.getB())))
    return false;
  auto perChannel = [&](const std::optional<std::vector<float>> &v) {
    return v && static_cast<int64_t>(v->size()) == filters;
  };
  if (!w || !perChannel(scale) || !perChannel(beta) || !perChannel(mean) || !perChannel(var) ||
      (bias && !perChannel(bias)))
    return false;
  float eps = bn.getEpsilon().convertToFloat();
  int64_t perFilter = wType.getNumElements() / std::max<int64_t>(filters, 1);
  std::vector<float> newBias(filters);
  for (int64_t f = 0; f < filters; ++f) {
    // In double, then rounded once: as close to ORT's unfused result as f32 allows.
    double s = double((*scale)[f]) / std::sqrt(double((*var)[f]) + double(eps));
    for (int64_t i = 0; i < perFilter; ++i)
      (*w)[f * perFilter + i] = float(double((*w)[f * perFilter + i]) * s);
    newBias[f] = float(((bias ? double((*bias)[f]) : 0.0) - double((*mean)[f])) * s +
                       double((*beta)[f]));
  }
  OpBuilder b(bn);
  Location loc = bn.getLoc();
  auto biasType = RankedTensorType::get({filters}, b.getF32Type());
  Value newW = onnx::ConstantOp::create(b, loc, wType, makeF32Resource(wType, *w, "bn_folded_w"));
  Value newB =
      onnx::ConstantOp::create(b, loc, biasType, makeF32Resource(biasType, newBias, "bn_folded_b"));
  auto folded = onnx::ConvOp::create(b, loc, bn.getType(), conv.getX(), newW, newB,
                                     conv.getAutoPadAttr(), conv.getDilationsAttr(),
                                     conv.getGroupAttr(), conv.getKernelShapeAttr(),
                                     conv.getPadsAttr(), conv.getStridesAttr());
  folded->setLoc(conv.getLoc()); // Diagnostics keep naming the Conv node.
  bn.replaceAllUsesWith(folded.getResult());
  bn.erase();
  conv.erase();
  return true;
}

struct FoldBatchNormPass : public onnxc::impl::FoldBatchNormBase<FoldBatchNormPass> {
  void runOnOperation() override {
    SmallVector<onnx::BatchNormalizationOp> bns;
    getOperation().walk([&](onnx::BatchNormalizationOp bn) { bns.push_back(bn); });
    for (onnx::BatchNormalizationOp bn : bns)
      foldIntoConv(bn);
  }
};

} // namespace
