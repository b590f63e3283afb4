//===- DecomposeSignal.cpp - DFT, STFT, windows and mel bank as onnx ops --===//
//
// After shape inference every signal op has constant lengths, so:
//  - the windows and MelWeightMatrix become constants, computed in double as
//    onnx/reference/ops/op_*_window.py and op_mel_weight_matrix.py do;
//  - DFT becomes one MatMul of the signal, viewed as [rows, n * (1 or 2)],
//    with a compile-time real matrix [n * (1 or 2), m * (2 or 1)] holding the
//    twiddle factors, so real/complex input, one-sided output, the inverse,
//    irfft and dft_length's cut or zero padding are all just different
//    matrices. That is the naive O(n^2) transform; for the lengths ONNX
//    models use (a few hundred to a few thousand points, often one-sided
//    STFT frames) it runs on the packed matmul microkernels, which beat a
//    scalar FFT loop nest at those sizes. A real FFT (O(n log n), several
//    passes) is future work for long transforms;
//  - STFT gathers its overlapping frames with one constant-index Gather,
//    multiplies by the window and reuses the DFT matrix.
//
//===----------------------------------------------------------------------===//
#include "ir/Signal.h"
#include "passes/graph/DecompositionBuilder.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

namespace onnxc {
#define GEN_PASS_DEF_DECOMPOSESIGNAL
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using namespace onnxc;

namespace {

struct Builder : DecompositionBuilder {
  /// A constant of `elem` with `values` (converted as numpy's astype does:
  /// rounded for floats, truncated for integers).
  Value values(Type elem, ArrayRef<int64_t> shape, ArrayRef<double> data) {
    SmallVector<Attribute> attrs;
    attrs.reserve(data.size());
    for (double v : data)
      attrs.push_back(isa<FloatType>(elem) ? Attribute(FloatAttr::get(elem, v))
                                           : Attribute(IntegerAttr::get(elem, static_cast<int64_t>(v))));
    return constant(DenseElementsAttr::get(RankedTensorType::get(shape, elem), attrs));
  }
};

/// The value of a constant one-element operand, integer or float.
std::optional<double> constantNumber(Value v) {
  Attribute attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (!dense || dense.getNumElements() != 1)
    return std::nullopt;
  if (isa<FloatType>(dense.getElementType()))
    return (*dense.getValues<APFloat>().begin()).convertToDouble();
  return static_cast<double>((*dense.getValues<APInt>().begin()).getSExtValue());
}

/// cos and sin of 2*pi*j*k/n. The product is reduced mod n first so large
/// products keep their precision, and multiples of a quarter turn are exact
/// (cos(pi/2) is 6e-17 in double), so DC and Nyquist bins get no spurious part.
std::pair<double, double> twiddle(int64_t j, int64_t k, int64_t n) {
  int64_t reduced = (j * k) % n;
  if ((4 * reduced) % n == 0) {
    static const double cosines[] = {1, 0, -1, 0}, sines[] = {0, 1, 0, -1};
    int64_t quarter = 4 * reduced / n;
    return {cosines[quarter], sines[quarter]};
  }
  double angle = 2.0 * M_PI * static_cast<double>(reduced) / static_cast<double>(n);
  return {std::cos(angle), std::sin(angle)};
}

/// The real matrix W with y[k, t] = sum_{j, s} x[j, s] * W[j * c + s, k * r + t],
/// where s and t index real/imaginary parts (c, r = 1 for real signals).
std::vector<double> twiddleMatrix(const onnx::DFTParams &p) {
  int64_t c = p.complexInput ? 2 : 1, r = p.complexOutput ? 2 : 1;
  int64_t rows = p.inputLength * c, cols = p.outputLength * r, n = p.length;
  std::vector<double> w(rows * cols, 0.0);
  auto at = [&](int64_t j, int64_t s, int64_t k, int64_t t) -> double & {
    return w[(j * c + s) * cols + k * r + t];
  };
  // Input positions at or past the length are cut off (their rows stay 0).
  int64_t used = std::min(p.inputLength, n);
  for (int64_t j = 0; j < used; ++j)
    for (int64_t k = 0; k < p.outputLength; ++k) {
      auto [cs, sn] = twiddle(j, k, n);
      if (!p.inverse) { // X[k] = sum_j x[j] e^{-i theta}
        at(j, 0, k, 0) = cs, at(j, 0, k, 1) = -sn;
        if (c == 2)
          at(j, 1, k, 0) = sn, at(j, 1, k, 1) = cs;
      } else if (!p.onesided) { // x[k] = 1/n sum_j X[j] e^{+i theta}
        at(j, 0, k, 0) = cs / n, at(j, 0, k, 1) = sn / n;
        if (c == 2)
          at(j, 1, k, 0) = -sn / n, at(j, 1, k, 1) = cs / n;
      } else if (j <= n / 2) { // irfft: the Hermitian mirror doubles the inner bins
        bool edge = j == 0 || (n % 2 == 0 && j == n / 2);
        double scale = (edge ? 1.0 : 2.0) / n;
        at(j, 0, k, 0) = cs * scale;
        if (c == 2 && !edge) // numpy ignores the imaginary part of DC and Nyquist
          at(j, 1, k, 0) = -sn * scale;
      }
    }
  return w;
}

/// The DFT of `x` as a MatMul with the twiddle matrix over `p.axis`, moved
/// next to the real/imaginary dim so the pair is contiguous.
Value buildDFT(Builder &g, Value x, const onnx::DFTParams &p) {
  Type elem = g.elemOf(x);
  SmallVector<int64_t> shape(g.shapeOf(x));
  int64_t rank = shape.size(), c = shape.back(), r = p.complexOutput ? 2 : 1;
  SmallVector<int64_t> perm, outer;
  for (int64_t i = 0; i < rank - 1; ++i)
    if (i != p.axis)
      perm.push_back(i), outer.push_back(shape[i]);
  perm.push_back(p.axis);
  perm.push_back(rank - 1);
  bool moved = p.axis != rank - 2;
  if (moved)
    x = g.transpose(x, perm);
  int64_t rows = 1;
  for (int64_t d : outer)
    rows *= d;
  Value flat = g.reshape(x, {rows, p.inputLength * c});
  Value w = g.values(elem, {p.inputLength * c, p.outputLength * r}, twiddleMatrix(p));
  Value y = g.make<onnx::MatMulOp>(elem, {flat, w});
  SmallVector<int64_t> outShape(outer);
  outShape.push_back(p.outputLength);
  outShape.push_back(r);
  y = g.reshape(y, outShape);
  if (!moved)
    return y;
  SmallVector<int64_t> inverse(rank);
  for (int64_t i = 0; i < rank; ++i)
    inverse[perm[i]] = i;
  return g.transpose(y, inverse);
}

LogicalResult decompose(Builder &g, onnx::DFTOp op) {
  auto p = onnx::resolveDFT(op);
  if (failed(p))
    return failure();
  op.getOutput().replaceAllUsesWith(buildDFT(g, op.getInput(), *p));
  return success();
}

/// frames[b, f, j] = signal[b, f * step + j] (one Gather), times the window,
/// then a one- or two-sided DFT over j.
LogicalResult decompose(Builder &g, onnx::STFTOp op) {
  auto p = onnx::resolveSTFT(op);
  if (failed(p))
    return failure();
  Value x = op.getSignal();
  Type elem = g.elemOf(x);
  int64_t c = g.shapeOf(x)[2];
  SmallVector<int64_t> starts;
  for (int64_t f = 0; f < p->frames; ++f)
    for (int64_t j = 0; j < p->frameLength; ++j)
      starts.push_back(f * p->step + j);
  Value frames = g.make<onnx::GatherOp>(elem, {x, g.i64s(starts, {p->frames, p->frameLength})}, {g.attr("axis", 1)});
  if (Value window = op.getWindow())
    frames = g.make<onnx::MulOp>(elem, {frames, g.reshape(window, {1, 1, p->frameLength, 1})});
  onnx::DFTParams dft;
  dft.axis = 2;
  dft.inputLength = dft.length = p->frameLength;
  dft.outputLength = p->bins;
  dft.onesided = op.getOnesided() != 0;
  dft.complexInput = c == 2;
  op.getOutput().replaceAllUsesWith(buildDFT(g, frames, dft));
  return success();
}

template <typename WindowOp>
LogicalResult decomposeWindow(Builder &g, WindowOp op, function_ref<double(double n, double period)> value) {
  auto type = onnx::getStaticType(op.getOutput());
  int64_t size = type.getDimSize(0);
  // A periodic window is one period of a window one longer, so it ends
  // before repeating its first value.
  double period = static_cast<double>(op.getPeriodic() ? size : size - 1);
  std::vector<double> data;
  for (int64_t i = 0; i < size; ++i)
    data.push_back(value(static_cast<double>(i), period));
  op.getOutput().replaceAllUsesWith(g.values(type.getElementType(), {size}, data));
  return success();
}

LogicalResult decompose(Builder &g, onnx::HannWindowOp op) {
  return decomposeWindow(g, op, [](double n, double period) { return std::pow(std::sin(M_PI * n / period), 2); });
}
LogicalResult decompose(Builder &g, onnx::HammingWindowOp op) {
  return decomposeWindow(g, op, [](double n, double period) {
    double alpha = 25.0 / 46.0;
    return alpha - std::cos(2 * M_PI * n / period) * (1 - alpha);
  });
}
LogicalResult decompose(Builder &g, onnx::BlackmanWindowOp op) {
  return decomposeWindow(g, op, [](double n, double period) {
    return 0.42 - 0.5 * std::cos(2 * M_PI * n / period) + 0.08 * std::cos(4 * M_PI * n / period);
  });
}

/// Triangular filters between mel-spaced bin edges, as the reference: the
/// num_mel_bins + 2 edges are spaced by (high - low) / (num_mel_bins + 2) mel.
LogicalResult decompose(Builder &g, onnx::MelWeightMatrixOp op) {
  auto bins = constantNumber(op.getNumMelBins()), length = constantNumber(op.getDftLength()),
       rate = constantNumber(op.getSampleRate()), low = constantNumber(op.getLowerEdgeHertz()),
       high = constantNumber(op.getUpperEdgeHertz());
  if (!bins || !length || !rate || !low || !high)
    return op.emitError() << "sample_rate, lower_edge_hertz and upper_edge_hertz must be a compile-time constant";
  if (*rate <= 0)
    return op.emitError() << "sample_rate must be positive";
  int64_t melBins = static_cast<int64_t>(*bins), dftLength = static_cast<int64_t>(*length);
  int64_t spectrogramBins = dftLength / 2 + 1;
  auto toMel = [](double hz) { return 2595.0 * std::log1p(hz / 700.0) / std::log(10.0); };
  double lowMel = toMel(*low), step = (toMel(*high) - lowMel) / static_cast<double>(melBins + 2);
  std::vector<int64_t> edges;
  for (int64_t i = 0; i < melBins + 2; ++i) {
    double hz = 700.0 * std::expm1((static_cast<double>(i) * step + lowMel) / 2595.0 * std::log(10.0));
    edges.push_back(static_cast<int64_t>(std::floor((dftLength + 1) * hz / *rate)));
  }
  for (size_t i = 0; i < edges.size(); ++i)
    if (edges[i] < 0 || edges[i] > (i + 1 < edges.size() ? spectrogramBins - 1 : spectrogramBins))
      return op.emitError() << "the mel band edges fall outside the " << spectrogramBins
                            << " spectrogram bins (check the edge frequencies against sample_rate)";
  std::vector<double> data(spectrogramBins * melBins, 0.0);
  for (int64_t i = 0; i < melBins; ++i) {
    int64_t lo = edges[i], center = edges[i + 1], hi = edges[i + 2];
    if (center == lo)
      data[center * melBins + i] = 1;
    else
      for (int64_t j = lo; j <= center; ++j)
        data[j * melBins + i] = static_cast<double>(j - lo) / static_cast<double>(center - lo);
    for (int64_t j = center; j < hi; ++j)
      data[j * melBins + i] = static_cast<double>(hi - j) / static_cast<double>(hi - center);
  }
  auto type = onnx::getStaticType(op.getOutput());
  op.getOutput().replaceAllUsesWith(g.values(type.getElementType(), {spectrogramBins, melBins}, data));
  return success();
}

struct DecomposeSignalPass : public onnxc::impl::DecomposeSignalBase<DecomposeSignalPass> {
  void runOnOperation() override {
    if (failed(rewriteEach<Builder, onnx::DFTOp, onnx::STFTOp, onnx::HannWindowOp, onnx::HammingWindowOp,
                              onnx::BlackmanWindowOp, onnx::MelWeightMatrixOp>(
            getOperation(), [](Builder &g, auto op) { return decompose(g, op); })))
      signalPassFailure();
  }
};

} // namespace
