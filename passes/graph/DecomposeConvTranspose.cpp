//===- DecomposeConvTranspose.cpp - ConvTranspose as Conv + interleave ----===//
//
// A 2-D ConvTranspose with constant weights becomes one stride-1 Conv whose
// output channels are the stride's phases, then an interleave (Reshape,
// Transpose, Reshape) and a crop (Slice). Output position o = q*s + r (per
// axis) only meets kernel taps t = r + m*s, from input q - m, so phase r is a
// correlation of the input with the sub-kernel v_r[j] = w[r + (M-1-j)*s]
// (M = ceil(k/s), zero past the kernel) padded by M - 1 on both sides. The
// phases' weights, with the channel dims swapped, are computed here at compile
// time.
//
// The lowering's own path (the input spread into zeros, a stride-1
// correlation with the flipped kernel) stays for everything else; it
// multiplies s*s times more zeros than values, and its run-time flipped
// weights keep it off the convolution microkernels. An upsampling layer
// (64 -> 32 channels, 32x32 -> 64x64, 4x4 kernel, stride 2) took 7.3 ms there
// against onnxruntime's 0.46.
//
//===----------------------------------------------------------------------===//
#include "passes/graph/DecompositionBuilder.h"

#include "ir/ConstantData.h"

namespace onnxc {
#define GEN_PASS_DEF_DECOMPOSECONVTRANSPOSE
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using namespace onnxc;

namespace {

/// Rewrites `op` when it applies; leaves it to the lowering otherwise.
LogicalResult decompose(onnx::ConvTransposeOp op) {
  auto xType = dyn_cast<RankedTensorType>(op.getX().getType());
  auto wType = dyn_cast<RankedTensorType>(op.getW().getType());
  auto yType = dyn_cast<RankedTensorType>(op.getY().getType());
  if (!xType || !wType || !yType || xType.getRank() != 4 || !xType.hasStaticShape() ||
      !wType.hasStaticShape() || !yType.hasStaticShape() || !wType.getElementType().isF32() ||
      op.getGroup() != 1)
    return success();
  SmallVector<int64_t> strides = onnx::getI64s(op.getStrides(), 2, 1);
  SmallVector<int64_t> dilations = onnx::getI64s(op.getDilations(), 2, 1);
  SmallVector<int64_t> pads = onnx::getI64s(op.getPads(), 4, 0);
  if (dilations[0] != 1 || dilations[1] != 1 || strides[0] < 1 || strides[1] < 1)
    return success();
  auto w = readF32Constant(op.getW());
  std::optional<std::vector<float>> bias;
  if (!w || (op.getB() && !(bias = readF32Constant(op.getB()))))
    return success();

  const int64_t n = xType.getDimSize(0), c = wType.getDimSize(0), f = wType.getDimSize(1);
  const int64_t k[2] = {wType.getDimSize(2), wType.getDimSize(3)};
  const int64_t in[2] = {xType.getDimSize(2), xType.getDimSize(3)};
  const int64_t out[2] = {yType.getDimSize(2), yType.getDimSize(3)};
  int64_t m[2], q[2];
  for (int i = 0; i < 2; ++i) {
    m[i] = (k[i] + strides[i] - 1) / strides[i];
    q[i] = in[i] + m[i] - 1; // positions per phase
    // The output must lie inside the interleaved phases (a large output_padding would
    // reach past them: left to the lowering).
    if (pads[i] < 0 || pads[i] + out[i] > q[i] * strides[i])
      return success();
  }
  const int64_t sh = strides[0], sw = strides[1], phases = sh * sw;

  // V[(rh*sw + rw)*F + f][c][jh][jw] = W[c][f][rh + (Mh-1-jh)*sh][rw + (Mw-1-jw)*sw]
  std::vector<float> v(size_t(phases * f * c * m[0] * m[1]), 0.0f);
  for (int64_t rh = 0; rh < sh; ++rh)
    for (int64_t rw = 0; rw < sw; ++rw)
      for (int64_t fo = 0; fo < f; ++fo)
        for (int64_t ci = 0; ci < c; ++ci)
          for (int64_t jh = 0; jh < m[0]; ++jh)
            for (int64_t jw = 0; jw < m[1]; ++jw) {
              int64_t th = rh + (m[0] - 1 - jh) * sh, tw = rw + (m[1] - 1 - jw) * sw;
              if (th >= k[0] || tw >= k[1])
                continue;
              int64_t to = ((((rh * sw + rw) * f + fo) * c + ci) * m[0] + jh) * m[1] + jw;
              v[size_t(to)] = (*w)[size_t(((ci * f + fo) * k[0] + th) * k[1] + tw)];
            }

  OpBuilder b(op);
  DecompositionBuilder g{b, op.getLoc(), "ConvTranspose"};
  Type elem = b.getF32Type();
  auto vType = RankedTensorType::get({phases * f, c, m[0], m[1]}, elem);
  SmallVector<Value> convOperands{
      op.getX(), onnx::ConstantOp::create(b, op.getLoc(), vType,
                                          makeF32Resource(vType, v, "conv_transpose_phases"))};
  if (bias) {
    std::vector<float> tiled(size_t(phases * f));
    for (int64_t i = 0; i < phases * f; ++i)
      tiled[size_t(i)] = (*bias)[size_t(i % f)];
    auto bType = RankedTensorType::get({phases * f}, elem);
    convOperands.push_back(
        onnx::ConstantOp::create(b, op.getLoc(), bType, makeF32Resource(bType, tiled, "conv_transpose_bias")));
  }
  Value z = g.make<onnx::ConvOp>(
      elem, convOperands,
      {b.getNamedAttr("kernel_shape", b.getI64ArrayAttr({m[0], m[1]})),
       b.getNamedAttr("pads", b.getI64ArrayAttr({m[0] - 1, m[1] - 1, m[0] - 1, m[1] - 1}))});
  // [N, sh*sw*F, Qh, Qw] -> [N, F, Qh*sh, Qw*sw]: output (q*s + r) of phase r.
  Value y = g.reshape(z, {n, sh, sw, f, q[0], q[1]});
  y = g.transpose(y, {0, 3, 4, 1, 5, 2});
  y = g.reshape(y, {n, f, q[0] * sh, q[1] * sw});
  if (pads[0] != 0 || pads[1] != 0 || out[0] != q[0] * sh || out[1] != q[1] * sw)
    y = g.make<onnx::SliceOp>(
        elem, {y, g.i64s({0, 0, pads[0], pads[1]}), g.i64s({n, f, pads[0] + out[0], pads[1] + out[1]})},
        {b.getNamedAttr("operandSegmentSizes", b.getDenseI32ArrayAttr({1, 1, 1, 0, 0}))});
  if (g.failed)
    return failure();
  op.getY().replaceAllUsesWith(y);
  op->erase();
  return success();
}

struct DecomposeConvTransposePass
    : public onnxc::impl::DecomposeConvTransposeBase<DecomposeConvTransposePass> {
  void runOnOperation() override {
    if (failed(decomposeEach<onnx::ConvTransposeOp>(getOperation(),
                                                    [](auto op) { return decompose(op); })))
      signalPassFailure();
  }
};

} // namespace
