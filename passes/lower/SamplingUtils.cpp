//===- SamplingUtils.cpp - scalar helpers for run-time sampling -----------===//
#include "passes/lower/SamplingUtils.h"

using namespace mlir;

namespace onnxc::lower {

Value ScalarBuilder::f(double v) { return arith::ConstantOp::create(b, loc, b.getFloatAttr(ft, v)); }
Value ScalarBuilder::index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
Value ScalarBuilder::add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
Value ScalarBuilder::sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
Value ScalarBuilder::mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
Value ScalarBuilder::div(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
Value ScalarBuilder::floor(Value x) { return math::FloorOp::create(b, loc, x); }
Value ScalarBuilder::lt(Value x, Value y) {
  return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, y);
}
Value ScalarBuilder::gt(Value x, Value y) {
  return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, y);
}
Value ScalarBuilder::select(Value c, Value x, Value y) {
  return arith::SelectOp::create(b, loc, c, x, y);
}
Value ScalarBuilder::both(Value c, Value d) { return arith::AndIOp::create(b, loc, c, d); }

Value ScalarBuilder::clamp(Value x, double lo, double hi) {
  // maxnumf picks the number over a NaN, so a NaN position reads like `lo`.
  x = arith::MaxNumFOp::create(b, loc, x, f(lo));
  return arith::MinNumFOp::create(b, loc, x, f(hi));
}

Value ScalarBuilder::clampIndex(Value i, int64_t size) {
  i = arith::MaxSIOp::create(b, loc, i, index(0));
  return arith::MinSIOp::create(b, loc, i, index(size - 1));
}

Value ScalarBuilder::indexInside(Value i, int64_t size) {
  Value geZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, i, index(0));
  Value ltSize = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, i, index(size));
  return both(geZero, ltSize);
}

Value ScalarBuilder::toIndex(Value x) {
  Value i = arith::FPToSIOp::create(b, loc, b.getI64Type(), x);
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), i);
}

Value ScalarBuilder::indexToFloat(Value i) {
  Value i64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), i);
  return arith::SIToFPOp::create(b, loc, ft, i64);
}

Value ScalarBuilder::toCompute(Value v) {
  Type t = v.getType();
  if (t == ft)
    return v;
  if (auto from = dyn_cast<FloatType>(t))
    return from.getWidth() < ft.getWidth() ? Value(arith::ExtFOp::create(b, loc, ft, v))
                                           : Value(arith::TruncFOp::create(b, loc, ft, v));
  return arith::SIToFPOp::create(b, loc, ft, v);
}

Value ScalarBuilder::fromCompute(Value v, Type to) {
  if (to == ft)
    return v;
  auto target = cast<FloatType>(to);
  return target.getWidth() < ft.getWidth() ? Value(arith::TruncFOp::create(b, loc, to, v))
                                           : Value(arith::ExtFOp::create(b, loc, to, v));
}

Value ScalarBuilder::read(Value source, ValueRange coords) {
  return toCompute(tensor::ExtractOp::create(b, loc, source, coords));
}

FloatType samplingComputeType(OpBuilder &b, Type elem) {
  return elem.isF64() ? b.getF64Type() : b.getF32Type();
}

Value reflect(ScalarBuilder &m, Value x, double lo, double hi) {
  double range = hi - lo;
  if (range <= 0)
    return m.f(lo);
  // d = distance past a border; every whole range in it flips the direction.
  // Returns the remainder r and whether the flips are odd.
  auto fold = [&](Value d) {
    Value n = m.floor(m.div(d, m.f(range)));
    Value r = m.sub(d, m.mul(n, m.f(range)));
    Value half = m.mul(n, m.f(0.5));
    Value odd = arith::CmpFOp::create(m.b, m.loc, arith::CmpFPredicate::ONE, m.floor(half), half);
    return std::make_pair(r, odd);
  };
  Value loV = m.f(lo), hiV = m.f(hi);
  auto [rBelow, oddBelow] = fold(m.sub(loV, x));
  Value below = m.select(oddBelow, m.sub(hiV, rBelow), m.add(loV, rBelow));
  auto [rAbove, oddAbove] = fold(m.sub(x, hiV));
  Value above = m.select(oddAbove, m.add(loV, rAbove), m.sub(hiV, rAbove));
  return m.select(m.lt(x, loV), below, m.select(m.gt(x, hiV), above, x));
}

namespace {

/// Keys' cubic convolution weights of the taps at floor(x) - 1 .. floor(x) + 2
/// for t = x - floor(x), a = -0.75 (as PyTorch and ONNX GridSample).
SmallVector<Value> cubicWeights(ScalarBuilder &m, Value t) {
  const double a = -0.75;
  Value one = m.f(1);
  auto outer = [&](Value s) { // 1 < |s| < 2
    return m.sub(m.mul(m.add(m.mul(m.sub(m.mul(m.f(a), s), m.f(5 * a)), s), m.f(8 * a)), s),
                 m.f(4 * a));
  };
  auto inner = [&](Value s) { // |s| <= 1
    return m.add(m.mul(m.mul(m.sub(m.mul(m.f(a + 2), s), m.f(a + 3)), s), s), one);
  };
  Value u = m.sub(one, t);
  return {outer(m.add(t, one)), inner(t), inner(u), outer(m.add(u, one))};
}

/// The position a tap at integer index `i` reads, and whether it reads data
/// (false: it reads 0).
std::pair<Value, Value> resolveTap(ScalarBuilder &m, Value i, int64_t size, Padding padding,
                                   double lo, double hi) {
  switch (padding) {
  case Padding::Zeros:
    return {m.clampIndex(i, size), m.indexInside(i, size)};
  case Padding::Border:
    return {m.clampIndex(i, size), Value()};
  case Padding::Reflection:
    return {m.clampIndex(m.toIndex(reflect(m, m.indexToFloat(i), lo, hi)), size), Value()};
  }
  llvm_unreachable("unknown padding");
}

} // namespace

Value interpolate(ScalarBuilder &m, Value source, ValueRange lead, ArrayRef<Value> x,
                  ArrayRef<int64_t> sizes, Kernel kernel, Padding padding, ArrayRef<double> lo,
                  ArrayRef<double> hi) {
  size_t r = x.size();
  int64_t taps = kernel == Kernel::Nearest ? 1 : kernel == Kernel::Linear ? 2 : 4;
  int64_t first = kernel == Kernel::Cubic ? -1 : 0;
  // Per dim: the index of tap 0 and the weights of the taps.
  SmallVector<Value> base;
  SmallVector<SmallVector<Value>> weights(r);
  for (size_t i = 0; i < r; ++i) {
    // Far outside positions only read padding; bounding them keeps the
    // float-to-integer conversion defined without changing what they read.
    Value xi = m.clamp(x[i], -double(sizes[i]) - 8, 2.0 * double(sizes[i]) + 8);
    if (kernel == Kernel::Nearest) {
      base.push_back(m.toIndex(xi));
      continue;
    }
    Value fl = m.floor(xi);
    Value t = m.sub(xi, fl);
    base.push_back(m.toIndex(fl));
    if (kernel == Kernel::Linear)
      weights[i] = {m.sub(m.f(1), t), t};
    else
      weights[i] = cubicWeights(m, t);
  }
  Value zero = m.f(0), sum = zero;
  SmallVector<int64_t> tap(r, 0);
  int64_t total = 1;
  for (size_t i = 0; i < r; ++i)
    total *= taps;
  for (int64_t flat = 0; flat < total; ++flat) {
    int64_t rest = flat;
    for (int64_t i = r - 1; i >= 0; --i) {
      tap[i] = rest % taps;
      rest /= taps;
    }
    SmallVector<Value> coords(lead.begin(), lead.end());
    Value valid, weight;
    for (size_t i = 0; i < r; ++i) {
      Value at = arith::AddIOp::create(m.b, m.loc, base[i], m.index(first + tap[i]));
      auto [pos, inside] = resolveTap(m, at, sizes[i], padding, lo[i], hi[i]);
      coords.push_back(pos);
      if (inside)
        valid = valid ? m.both(valid, inside) : inside;
      if (kernel != Kernel::Nearest)
        weight = weight ? m.mul(weight, weights[i][tap[i]]) : weights[i][tap[i]];
    }
    Value v = m.read(source, coords);
    if (valid)
      v = m.select(valid, v, zero);
    if (kernel == Kernel::Nearest)
      return v;
    sum = m.add(sum, m.mul(weight, v));
  }
  return sum;
}

} // namespace onnxc::lower
