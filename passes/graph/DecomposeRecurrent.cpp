//===- DecomposeRecurrent.cpp - RNN/GRU/LSTM unrolled into onnx ops -------===//
//
// The recurrent ops are unrolled over their static sequence length once
// shapes are known: the input projection of every step is one MatMul, each
// step then does the recurrent MatMul and its gates with the existing
// elementwise ops, so every piece reuses a lowering (and its microkernel).
// The equations and gate orders are those of the ONNX spec (RNN: i; GRU:
// z, r, h; LSTM: i, o, f, c with peepholes i, o, f), clip bounding every
// gate's pre-activation as onnxruntime does.
//
// A constant sequence_lens masks steps past a batch entry's length: its state
// is held and its Y rows are 0. A reverse pass walks t = S-1 .. 0 under the
// same mask, so each sequence starts at its own last valid step.
//
//===----------------------------------------------------------------------===//
#include "passes/graph/DecompositionBuilder.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"

namespace onnxc {
#define GEN_PASS_DEF_DECOMPOSERECURRENT
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using namespace onnxc;

namespace {

/// The shared builder, with the element type of the op being unrolled as the default.
struct Builder : DecompositionBuilder {
  Type elem;

  using DecompositionBuilder::make;
  template <typename OpTy>
  Value make(ValueRange operands, ArrayRef<NamedAttribute> attrs = {}) {
    return make<OpTy>(elem, operands, attrs);
  }
  NamedAttribute fattr(StringRef name, double v) { return b.getNamedAttr(name, b.getF32FloatAttr(v)); }

  Value splat(ArrayRef<int64_t> shape, double v) {
    auto type = RankedTensorType::get(shape, elem);
    return constant(DenseElementsAttr::get(type, FloatAttr::get(elem, v)));
  }
  Value scalar(double v) { return splat({}, v); }

  /// x[..., begin:end, ...] along `axis`.
  Value slice(Value x, int64_t axis, int64_t begin, int64_t end) {
    if (begin == 0 && end == shapeOf(x)[axis])
      return x;
    Value operands[] = {x, i64s({begin}), i64s({end}), i64s({axis})};
    auto op = onnx::SliceOp::create(b, loc, TypeRange{UnrankedTensorType::get(elem)}, operands[0], operands[1],
                                    operands[2], operands[3], Value());
    if (mlir::failed(cast<onnx::ShapeInferenceOpInterface>(op.getOperation()).inferShapes()))
      failed = true;
    return op.getResult();
  }
  /// Part `index` of `parts` equal parts of x along `axis`.
  Value part(Value x, int64_t axis, int64_t index, int64_t size) {
    return slice(x, axis, index * size, (index + 1) * size);
  }
  Value concat(ArrayRef<Value> values, int64_t axis) {
    if (values.size() == 1)
      return values.front();
    return make<onnx::ConcatOp>(values, {attr("axis", axis)});
  }
  Value add(Value x, Value y) { return make<onnx::AddOp>({x, y}); }
  Value sub(Value x, Value y) { return make<onnx::SubOp>({x, y}); }
  Value mul(Value x, Value y) { return make<onnx::MulOp>({x, y}); }
  Value matmul(Value x, Value y) { return make<onnx::MatMulOp>({x, y}); }
};

/// One activation function with its alpha/beta, as the spec lists them.
struct Activation {
  std::string name;
  double alpha = 0, beta = 0;

  Value apply(Builder &g, Value x) const {
    StringRef n = name;
    if (n.equals_insensitive("Sigmoid"))
      return g.make<onnx::SigmoidOp>(x);
    if (n.equals_insensitive("Tanh"))
      return g.make<onnx::TanhOp>(x);
    if (n.equals_insensitive("Relu"))
      return g.make<onnx::ReluOp>(x);
    if (n.equals_insensitive("Softsign"))
      return g.make<onnx::SoftsignOp>(x);
    if (n.equals_insensitive("Softplus"))
      return g.make<onnx::SoftplusOp>(x);
    if (n.equals_insensitive("LeakyRelu"))
      return g.make<onnx::LeakyReluOp>(x, {g.fattr("alpha", alpha)});
    if (n.equals_insensitive("ThresholdedRelu"))
      return g.make<onnx::ThresholdedReluOp>(x, {g.fattr("alpha", alpha)});
    if (n.equals_insensitive("Elu"))
      return g.make<onnx::EluOp>(x, {g.fattr("alpha", alpha)});
    if (n.equals_insensitive("HardSigmoid"))
      return g.make<onnx::HardSigmoidOp>(x, {g.fattr("alpha", alpha), g.fattr("beta", beta)});
    if (n.equals_insensitive("Affine"))
      return g.add(g.mul(x, g.scalar(alpha)), g.scalar(beta));
    // ScaledTanh (the importer admits nothing else).
    return g.mul(g.make<onnx::TanhOp>(g.mul(x, g.scalar(beta))), g.scalar(alpha));
  }
};

/// The activations of every direction: the listed ones, or the op's defaults.
/// alpha/beta values are consumed in list order by the functions that take
/// them (onnxruntime's rule); a function left without one uses its default.
SmallVector<Activation> resolveActivations(std::optional<ArrayAttr> names, std::optional<ArrayAttr> alphas,
                                           std::optional<ArrayAttr> betas, ArrayRef<StringRef> defaults,
                                           int64_t dirs) {
  SmallVector<Activation> result;
  if (names && *names) {
    for (Attribute a : *names)
      result.push_back({cast<StringAttr>(a).getValue().str()});
  } else {
    for (int64_t d = 0; d < dirs; ++d)
      for (StringRef n : defaults)
        result.push_back({n.str()});
  }
  auto values = [](std::optional<ArrayAttr> a) {
    SmallVector<double> v;
    if (a && *a)
      for (Attribute x : *a)
        v.push_back(cast<FloatAttr>(x).getValueAsDouble());
    return v;
  };
  SmallVector<double> av = values(alphas), bv = values(betas);
  size_t ai = 0, bi = 0;
  for (Activation &act : result) {
    StringRef n = act.name;
    bool usesAlpha = false, usesBeta = false;
    double alpha = 0, beta = 0;
    if (n.equals_insensitive("LeakyRelu"))
      usesAlpha = true, alpha = 0.01;
    else if (n.equals_insensitive("ThresholdedRelu") || n.equals_insensitive("Elu"))
      usesAlpha = true, alpha = 1.0;
    else if (n.equals_insensitive("HardSigmoid"))
      usesAlpha = usesBeta = true, alpha = 0.2, beta = 0.5;
    else if (n.equals_insensitive("ScaledTanh"))
      usesAlpha = usesBeta = true, alpha = 1.0, beta = 1.0;
    else if (n.equals_insensitive("Affine"))
      usesAlpha = usesBeta = true, alpha = 1.0, beta = 0.0;
    if (usesAlpha && ai < av.size())
      alpha = av[ai++];
    if (usesBeta && bi < bv.size())
      beta = bv[bi++];
    act.alpha = alpha, act.beta = beta;
  }
  return result;
}

enum class Cell { RNN, GRU, LSTM };

/// Everything one direction's unrolled loop needs.
struct Direction {
  Value xProj;  // [S, B, G*H]: X*W^T plus the biases folded in
  Value rT;     // [H, G*H] (GRU: the z, r part [H, 2H])
  Value rhT;    // GRU: [H, H]
  Value rbh;    // GRU with linear_before_reset: [H]
  Value pi, po, pf; // LSTM peepholes, [H]
  Value h, c;   // [B, H]
  ArrayRef<Activation> acts;
};

/// The generic decomposition. `op` is RNN, GRU or LSTM.
template <typename OpTy>
LogicalResult decompose(OpTy op, Cell cell) {
  OpBuilder b(op);
  Value xIn = op.getX();
  Builder g{{b, op.getLoc(), "a recurrent op"}, cast<ShapedType>(xIn.getType()).getElementType()};
  int64_t layout = static_cast<int64_t>(op.getLayout());
  StringRef direction = op.getDirection();
  int64_t dirs = direction == "bidirectional" ? 2 : 1;
  int64_t gates = cell == Cell::RNN ? 1 : cell == Cell::GRU ? 3 : 4;
  int64_t hidden = g.shapeOf(op.getR())[2];
  Value x = layout == 0 ? xIn : g.transpose(xIn, {1, 0, 2});
  int64_t seq = g.shapeOf(x)[0], batch = g.shapeOf(x)[1];

  // Validity of (step, batch entry) under a constant sequence_lens.
  SmallVector<int64_t> lengths(batch, seq);
  if (Value lens = op.getSequenceLens()) {
    auto values = onnx::getConstantInts(lens);
    if (!values)
      return op.emitError() << "sequence_lens must be a compile-time constant";
    for (auto [i, v] : llvm::enumerate(*values)) {
      if (v < 0 || v > seq)
        return op.emitError() << "sequence_lens[" << i << "] = " << v << " is outside [0, " << seq << "]";
      lengths[i] = v;
    }
  }
  auto stepMask = [&](int64_t t) -> Value {
    if (llvm::all_of(lengths, [&](int64_t l) { return t < l; }))
      return nullptr;
    SmallVector<bool> valid;
    for (int64_t l : lengths)
      valid.push_back(t < l);
    auto type = RankedTensorType::get({batch, 1}, b.getI1Type());
    return g.constant(DenseElementsAttr::get(type, ArrayRef<bool>(valid)));
  };

  SmallVector<StringRef> defaults = cell == Cell::RNN   ? SmallVector<StringRef>{"Tanh"}
                                    : cell == Cell::GRU ? SmallVector<StringRef>{"Sigmoid", "Tanh"}
                                                        : SmallVector<StringRef>{"Sigmoid", "Tanh", "Tanh"};
  SmallVector<Activation> acts =
      resolveActivations(op.getActivations(), op.getActivationAlpha(), op.getActivationBeta(), defaults, dirs);
  size_t perDir = defaults.size();
  if (acts.size() == perDir && dirs == 2)
    acts.append(SmallVector<Activation>(acts));
  std::optional<double> clip;
  if (auto c = op.getClip())
    clip = c->convertToDouble();
  auto gate = [&](Value pre, const Activation &act) {
    if (clip)
      pre = g.make<onnx::MinOp>({g.make<onnx::MaxOp>({pre, g.scalar(-*clip)}), g.scalar(*clip)});
    return act.apply(g, pre);
  };
  // A direction's slice of a [D, ...] operand, without the direction dim.
  auto perDirection = [&](Value v, int64_t d, int64_t axis) {
    SmallVector<int64_t> shape(g.shapeOf(v));
    shape.erase(shape.begin() + axis);
    return g.reshape(g.slice(v, axis, d, d + 1), shape);
  };

  bool linearBeforeReset = false, inputForget = false;
  Value initialC, peepholes;
  if constexpr (std::is_same_v<OpTy, onnx::GRUOp>)
    linearBeforeReset = op.getLinearBeforeReset() != 0;
  if constexpr (std::is_same_v<OpTy, onnx::LSTMOp>) {
    inputForget = op.getInputForget() != 0;
    initialC = op.getInitialC();
    peepholes = op.getP();
  }

  SmallVector<Value> yPerDir, hPerDir, cPerDir;
  int64_t stateAxis = layout == 0 ? 0 : 1;
  for (int64_t d = 0; d < dirs; ++d) {
    bool reverse = direction == "reverse" || d == 1;
    Direction dir;
    dir.acts = ArrayRef<Activation>(acts).slice(d * perDir, perDir);
    Value w = perDirection(op.getW(), d, 0), r = perDirection(op.getR(), d, 0);
    dir.xProj = g.matmul(x, g.transpose(w, {1, 0}));
    if (Value bias = op.getB()) {
      Value bd = perDirection(bias, d, 0);
      Value wb = g.slice(bd, 0, 0, gates * hidden), rb = g.slice(bd, 0, gates * hidden, 2 * gates * hidden);
      Value folded = rb;
      if (cell == Cell::GRU && linearBeforeReset) {
        // Rbh sits inside r * (H*Rh^T + Rbh): only Rbz and Rbr fold in.
        dir.rbh = g.part(rb, 0, 2, hidden);
        folded = g.concat({g.slice(rb, 0, 0, 2 * hidden), g.splat({hidden}, 0.0)}, 0);
      }
      dir.xProj = g.add(dir.xProj, g.add(wb, folded));
    }
    // Slice, then transpose: a transpose read through a slice is not folded into the
    // MatMuls, and was then materialised at run time and its slices packed by every
    // step's GEMM (a 50-step GRU spent 0.24 ms of 0.6 on it).
    if (cell == Cell::GRU) {
      dir.rT = g.transpose(g.slice(r, 0, 0, 2 * hidden), {1, 0});
      dir.rhT = g.transpose(g.part(r, 0, 2, hidden), {1, 0});
    } else {
      dir.rT = g.transpose(r, {1, 0});
    }
    if (peepholes) {
      Value p = perDirection(peepholes, d, 0);
      dir.pi = g.part(p, 0, 0, hidden), dir.po = g.part(p, 0, 1, hidden), dir.pf = g.part(p, 0, 2, hidden);
    }
    dir.h = op.getInitialH() ? perDirection(op.getInitialH(), d, stateAxis) : g.splat({batch, hidden}, 0.0);
    if (cell == Cell::LSTM)
      dir.c = initialC ? perDirection(initialC, d, stateAxis) : g.splat({batch, hidden}, 0.0);

    SmallVector<Value> ys(seq);
    for (int64_t step = 0; step < seq; ++step) {
      int64_t t = reverse ? seq - 1 - step : step;
      Value xt = g.reshape(g.slice(dir.xProj, 0, t, t + 1), {batch, gates * hidden});
      Value h = dir.h, c = dir.c, newH, newC;
      if (cell == Cell::RNN) {
        newH = gate(g.add(xt, g.matmul(h, dir.rT)), dir.acts[0]);
      } else if (cell == Cell::GRU) {
        Value hr = g.matmul(h, dir.rT);
        Value z = gate(g.add(g.part(xt, 1, 0, hidden), g.part(hr, 1, 0, hidden)), dir.acts[0]);
        Value rg = gate(g.add(g.part(xt, 1, 1, hidden), g.part(hr, 1, 1, hidden)), dir.acts[0]);
        Value recurrent = linearBeforeReset
                              ? g.mul(rg, dir.rbh ? g.add(g.matmul(h, dir.rhT), dir.rbh) : g.matmul(h, dir.rhT))
                              : g.matmul(g.mul(rg, h), dir.rhT);
        Value candidate = gate(g.add(g.part(xt, 1, 2, hidden), recurrent), dir.acts[1]);
        // (1 - z) * h~ + z * H = h~ + z * (H - h~)
        newH = g.add(candidate, g.mul(z, g.sub(h, candidate)));
      } else {
        Value pre = g.add(xt, g.matmul(h, dir.rT));
        Value preI = g.part(pre, 1, 0, hidden), preO = g.part(pre, 1, 1, hidden);
        Value preF = g.part(pre, 1, 2, hidden), preC = g.part(pre, 1, 3, hidden);
        if (dir.pi)
          preI = g.add(preI, g.mul(dir.pi, c)), preF = g.add(preF, g.mul(dir.pf, c));
        Value i = gate(preI, dir.acts[0]);
        Value f = inputForget ? g.sub(g.scalar(1.0), i) : gate(preF, dir.acts[0]);
        newC = g.add(g.mul(f, c), g.mul(i, gate(preC, dir.acts[1])));
        if (dir.po)
          preO = g.add(preO, g.mul(dir.po, newC));
        newH = g.mul(gate(preO, dir.acts[0]), dir.acts[2].apply(g, newC));
      }
      Value y = newH;
      if (Value mask = stepMask(t)) {
        y = g.make<onnx::WhereOp>({mask, newH, g.scalar(0.0)});
        newH = g.make<onnx::WhereOp>({mask, newH, h});
        if (newC)
          newC = g.make<onnx::WhereOp>({mask, newC, c});
      }
      dir.h = newH, dir.c = newC;
      ys[t] = layout == 0 ? g.reshape(y, {1, 1, batch, hidden}) : g.reshape(y, {batch, 1, 1, hidden});
    }
    if (!op.getY().use_empty())
      yPerDir.push_back(g.concat(ys, layout == 0 ? 0 : 1));
    SmallVector<int64_t> stateShape = layout == 0 ? SmallVector<int64_t>{1, batch, hidden}
                                                  : SmallVector<int64_t>{batch, 1, hidden};
    hPerDir.push_back(g.reshape(dir.h, stateShape));
    if (dir.c)
      cPerDir.push_back(g.reshape(dir.c, stateShape));
  }
  if (g.failed)
    return failure();
  if (!op.getY().use_empty())
    op.getY().replaceAllUsesWith(g.concat(yPerDir, layout == 0 ? 1 : 2));
  op.getYH().replaceAllUsesWith(g.concat(hPerDir, stateAxis));
  if constexpr (std::is_same_v<OpTy, onnx::LSTMOp>)
    op.getYC().replaceAllUsesWith(g.concat(cPerDir, stateAxis));
  if (g.failed)
    return failure();
  op->erase();
  return success();
}

struct DecomposeRecurrentPass : public onnxc::impl::DecomposeRecurrentBase<DecomposeRecurrentPass> {
  void runOnOperation() override {
    auto cell = [](Operation *op) {
      return isa<onnx::RNNOp>(op) ? Cell::RNN : isa<onnx::GRUOp>(op) ? Cell::GRU : Cell::LSTM;
    };
    if (failed(decomposeEach<onnx::RNNOp, onnx::GRUOp, onnx::LSTMOp>(
            getOperation(), [&](auto op) { return decompose(op, cell(op)); })))
      signalPassFailure();
  }
};

} // namespace
