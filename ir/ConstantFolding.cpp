//===- ConstantFolding.cpp - evaluating onnx ops on constants -------------===//
//
// Exporters compute shapes at run time (Shape -> Gather -> Concat -> Reshape,
// Range, ConstantOfShape...). Once input shapes are fixed these are constants;
// folding them lets Reshape/Slice/Expand see constant operands and the model
// compile to straight-line code. Values are evaluated in int64 or double,
// which is exact for every integer shape computation and for float32
// arithmetic rounded back to the result type.
//
//===----------------------------------------------------------------------===//
#include "ir/ConstantFolding.h"

#include "ir/ONNXDialect.h"

#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <numeric>

using namespace mlir;

namespace onnxc::onnx {
namespace {

/// Integer arithmetic wraps (two's complement), as the generated code does;
/// signed overflow in the folder itself would be undefined behaviour.
int64_t wrapAdd(int64_t a, int64_t b) { return int64_t(uint64_t(a) + uint64_t(b)); }
int64_t wrapSub(int64_t a, int64_t b) { return int64_t(uint64_t(a) - uint64_t(b)); }
int64_t wrapMul(int64_t a, int64_t b) { return int64_t(uint64_t(a) * uint64_t(b)); }

/// double -> int64, saturating (NaN -> 0): an out-of-range conversion is
/// undefined behaviour, and model constants can hold any float.
int64_t toInt(double d) {
  if (std::isnan(d))
    return 0;
  if (d >= 9223372036854775808.0)
    return INT64_MAX;
  if (d < -9223372036854775808.0)
    return INT64_MIN;
  return static_cast<int64_t>(d);
}

/// A constant tensor held as int64 or double values, row-major.
struct Values {
  Type elem;
  SmallVector<int64_t> shape;
  std::vector<int64_t> ints;
  std::vector<double> floats;
  bool isFloat() const { return isa<FloatType>(elem); }
  int64_t size() const { return isFloat() ? floats.size() : ints.size(); }
  double f(int64_t i) const { return isFloat() ? floats[i] : static_cast<double>(ints[i]); }
  int64_t n(int64_t i) const { return isFloat() ? toInt(floats[i]) : ints[i]; }
};

std::optional<Values> read(Value v) {
  Attribute attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (!dense || dense.getNumElements() > kMaxFoldedElements)
    return std::nullopt;
  Values out;
  auto type = cast<ShapedType>(dense.getType());
  out.elem = type.getElementType();
  out.shape.assign(type.getShape().begin(), type.getShape().end());
  if (out.isFloat()) {
    for (const APFloat &x : dense.getValues<APFloat>())
      out.floats.push_back(x.convertToDouble());
  } else if (auto it = dyn_cast<IntegerType>(out.elem)) {
    for (const APInt &x : dense.getValues<APInt>())
      out.ints.push_back(it.isUnsigned() || it.getWidth() == 1 ? static_cast<int64_t>(x.getZExtValue())
                                                               : x.getSExtValue());
  } else {
    return std::nullopt;
  }
  return out;
}

DenseElementsAttr write(RankedTensorType type, const Values &v) {
  Type elem = type.getElementType();
  int64_t count = type.getNumElements();
  if (auto ft = dyn_cast<FloatType>(elem)) {
    SmallVector<APFloat> values;
    for (int64_t i = 0; i < count; ++i) {
      APFloat x(v.f(i));
      bool lost;
      x.convert(ft.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      values.push_back(x);
    }
    return DenseElementsAttr::get(type, values);
  }
  auto it = cast<IntegerType>(elem);
  SmallVector<APInt> values;
  for (int64_t i = 0; i < count; ++i) {
    int64_t x = v.n(i);
    values.push_back(it.getWidth() == 1 ? APInt(1, x != 0)
                                        : APInt(it.getWidth(), static_cast<uint64_t>(x), !it.isUnsigned(), /*implicitTrunc=*/true));
  }
  return DenseElementsAttr::get(type, values);
}

Values like(RankedTensorType type) {
  Values v;
  v.elem = type.getElementType();
  v.shape.assign(type.getShape().begin(), type.getShape().end());
  if (v.isFloat())
    v.floats.assign(type.getNumElements(), 0.0);
  else
    v.ints.assign(type.getNumElements(), 0);
  return v;
}

/// Offset into an operand of `shape` for result multi-index `idx` under numpy broadcasting.
int64_t broadcastOffset(ArrayRef<int64_t> shape, ArrayRef<int64_t> idx) {
  int64_t offset = 0, lead = idx.size() - shape.size();
  for (size_t d = 0; d < shape.size(); ++d)
    offset = offset * shape[d] + (shape[d] == 1 ? 0 : idx[lead + d]);
  return offset;
}

void unravel(int64_t flat, ArrayRef<int64_t> shape, SmallVectorImpl<int64_t> &idx) {
  idx.assign(shape.size(), 0);
  for (int64_t d = shape.size() - 1; d >= 0; --d) {
    idx[d] = shape[d] ? flat % shape[d] : 0;
    flat = shape[d] ? flat / shape[d] : 0;
  }
}

/// Elementwise evaluation with broadcasting; `fn` sees operand values as
/// doubles (float ops) or int64 (integer ops).
Values elementwise(RankedTensorType type, ArrayRef<Values> ins,
                   function_ref<double(ArrayRef<double>)> ffn,
                   function_ref<int64_t(ArrayRef<int64_t>)> ifn, bool computeInFloat) {
  Values out = like(type);
  SmallVector<int64_t> idx;
  SmallVector<double> fargs(ins.size());
  SmallVector<int64_t> iargs(ins.size());
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
    unravel(i, type.getShape(), idx);
    for (size_t k = 0; k < ins.size(); ++k) {
      int64_t off = broadcastOffset(ins[k].shape, idx);
      fargs[k] = ins[k].f(off);
      iargs[k] = ins[k].n(off);
    }
    if (computeInFloat) {
      double r = ffn(fargs);
      if (out.isFloat())
        out.floats[i] = r;
      else
        out.ints[i] = toInt(r);
    } else {
      int64_t r = ifn(iargs);
      if (out.isFloat())
        out.floats[i] = static_cast<double>(r);
      else
        out.ints[i] = r;
    }
  }
  return out;
}

/// Evaluates data-movement ops by computing, for each result element, the
/// flat index of the input element it copies.
Values gatherBy(RankedTensorType type, const Values &in, function_ref<int64_t(ArrayRef<int64_t>)> source) {
  Values out = like(type);
  SmallVector<int64_t> idx;
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
    unravel(i, type.getShape(), idx);
    int64_t s = source(idx);
    if (out.isFloat())
      out.floats[i] = in.f(s);
    else
      out.ints[i] = in.n(s);
  }
  return out;
}

int64_t flatIndex(ArrayRef<int64_t> shape, ArrayRef<int64_t> idx) {
  int64_t flat = 0;
  for (size_t d = 0; d < shape.size(); ++d)
    flat = flat * shape[d] + idx[d];
  return flat;
}

std::optional<Values> evaluate(Operation *op, RankedTensorType type, ArrayRef<Values> in) {
  bool f = in.empty() ? false : in[0].isFloat();
  auto binary = [&](auto ffn, auto ifn) {
    return elementwise(type, in, [&](ArrayRef<double> a) { return ffn(a[0], a[1]); },
                       [&](ArrayRef<int64_t> a) { return ifn(a[0], a[1]); }, f);
  };
  auto unary = [&](auto ffn, auto ifn) {
    return elementwise(type, in, [&](ArrayRef<double> a) { return ffn(a[0]); },
                       [&](ArrayRef<int64_t> a) { return ifn(a[0]); }, f);
  };
  auto compare = [&](auto pred) {
    return elementwise(type, in, [&](ArrayRef<double> a) { return double(pred(a[0], a[1])); },
                       [&](ArrayRef<int64_t> a) { return int64_t(pred(a[0], a[1])); }, f);
  };
  return TypeSwitch<Operation *, std::optional<Values>>(op)
      .Case([&](AddOp) { return binary([](double a, double b) { return a + b; }, wrapAdd); })
      .Case([&](SubOp) { return binary([](double a, double b) { return a - b; }, wrapSub); })
      .Case([&](MulOp) { return binary([](double a, double b) { return a * b; }, wrapMul); })
      .Case([&](DivOp) -> std::optional<Values> {
        if (!f)
          for (int64_t d : in[1].ints)
            if (d == 0)
              return std::nullopt; // Integer division by zero: leave it to run time.
        return binary([](double a, double b) { return a / b; }, [](int64_t a, int64_t b) { return b == -1 ? wrapSub(0, a) : a / b; });
      })
      .Case([&](ModOp m) -> std::optional<Values> {
        bool fmod = m.getFmod() != 0;
        if (f && !fmod)
          return std::nullopt; // Invalid for floats (ONNX requires fmod=1): rejected by lowering.
        if (!f)
          for (int64_t d : in[1].ints)
            if (d == 0)
              return std::nullopt; // Integer division by zero: leave it to run time.
        return binary([](double a, double b) { return std::fmod(a, b); },
                      [fmod](int64_t a, int64_t b) {
                        if (b == -1)
                          return int64_t(0); // INT64_MIN % -1 would be undefined behaviour.
                        int64_t r = a % b;   // C semantics: the sign of the dividend (fmod=1).
                        if (!fmod && r != 0 && ((r < 0) != (b < 0)))
                          r += b; // Python semantics: the sign of the divisor (fmod=0).
                        return r;
                      });
      })
      .Case([&](AndOp) { return compare([](auto a, auto b) { return a != 0 && b != 0; }); })
      .Case([&](OrOp) { return compare([](auto a, auto b) { return a != 0 || b != 0; }); })
      .Case([&](XorOp) { return compare([](auto a, auto b) { return (a != 0) != (b != 0); }); })
      .Case([&](EqualOp) { return compare([](auto a, auto b) { return a == b; }); })
      .Case([&](LessOp) { return compare([](auto a, auto b) { return a < b; }); })
      .Case([&](LessOrEqualOp) { return compare([](auto a, auto b) { return a <= b; }); })
      .Case([&](GreaterOp) { return compare([](auto a, auto b) { return a > b; }); })
      .Case([&](GreaterOrEqualOp) { return compare([](auto a, auto b) { return a >= b; }); })
      .Case([&](NegOp) { return unary([](double a) { return -a; }, [](int64_t a) { return wrapSub(0, a); }); })
      .Case([&](AbsOp) { return unary([](double a) { return std::fabs(a); }, [](int64_t a) { return a < 0 ? wrapSub(0, a) : a; }); })
      .Case([&](NotOp) { return unary([](double a) { return double(a == 0); }, [](int64_t a) { return int64_t(a == 0); }); })
      .Case([&](ReluOp) { return unary([](double a) { return a > 0 ? a : 0.0; }, [](int64_t a) { return a > 0 ? a : 0; }); })
      .Case([&](FloorOp) { return unary([](double a) { return std::floor(a); }, [](int64_t a) { return a; }); })
      .Case([&](CeilOp) { return unary([](double a) { return std::ceil(a); }, [](int64_t a) { return a; }); })
      .Case([&](SqrtOp) { return unary([](double a) { return std::sqrt(a); }, [](int64_t a) { return a; }); })
      .Case([&](MaxOp) {
        return elementwise(type, in, [](ArrayRef<double> a) { return *std::max_element(a.begin(), a.end()); },
                           [](ArrayRef<int64_t> a) { return *std::max_element(a.begin(), a.end()); }, f);
      })
      .Case([&](MinOp) {
        return elementwise(type, in, [](ArrayRef<double> a) { return *std::min_element(a.begin(), a.end()); },
                           [](ArrayRef<int64_t> a) { return *std::min_element(a.begin(), a.end()); }, f);
      })
      .Case([&](SumOp) {
        return elementwise(type, in, [](ArrayRef<double> a) { return std::accumulate(a.begin(), a.end(), 0.0); },
                           [](ArrayRef<int64_t> a) {
                             int64_t r = 0;
                             for (int64_t x : a)
                               r = wrapAdd(r, x);
                             return r;
                           }, f);
      })
      .Case([&](WhereOp) {
        return elementwise(type, in, [](ArrayRef<double> a) { return a[0] != 0 ? a[1] : a[2]; },
                           [](ArrayRef<int64_t> a) { return a[0] != 0 ? a[1] : a[2]; }, in[1].isFloat());
      })
      .Case([&](CastOp) -> std::optional<Values> {
        Values out = like(type);
        for (int64_t i = 0; i < in[0].size(); ++i) {
          if (out.isFloat())
            out.floats[i] = in[0].f(i);
          else if (type.getElementType().isInteger(1))
            out.ints[i] = in[0].f(i) != 0;
          else if (in[0].isFloat() && !std::isfinite(in[0].floats[i]))
            return std::nullopt; // Implementation-defined: not folded.
          else
            out.ints[i] = in[0].n(i);
        }
        return out;
      })
      .Case<ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp, IdentityOp>([&](Operation *) {
        Values out = in[0];
        out.elem = type.getElementType();
        out.shape.assign(type.getShape().begin(), type.getShape().end());
        return out;
      })
      .Case([&](ExpandOp) {
        return gatherBy(type, in[0], [&](ArrayRef<int64_t> idx) { return broadcastOffset(in[0].shape, idx); });
      })
      .Case([&](TileOp) {
        return gatherBy(type, in[0], [&](ArrayRef<int64_t> idx) {
          SmallVector<int64_t> src(idx);
          for (size_t d = 0; d < src.size(); ++d)
            src[d] %= in[0].shape[d];
          return flatIndex(in[0].shape, src);
        });
      })
      .Case([&](TransposeOp t) {
        SmallVector<int64_t> perm = getI64s(*t.getPerm());
        return gatherBy(type, in[0], [&](ArrayRef<int64_t> idx) {
          SmallVector<int64_t> src(idx.size());
          for (size_t d = 0; d < idx.size(); ++d)
            src[perm[d]] = idx[d];
          return flatIndex(in[0].shape, src);
        });
      })
      .Case([&](ConcatOp c) {
        int64_t axis = static_cast<int64_t>(c.getAxis());
        if (axis < 0)
          axis += type.getRank();
        Values out = like(type);
        SmallVector<int64_t> idx;
        for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
          unravel(i, type.getShape(), idx);
          size_t k = 0;
          while (idx[axis] >= in[k].shape[axis])
            idx[axis] -= in[k++].shape[axis];
          int64_t s = flatIndex(in[k].shape, idx);
          if (out.isFloat())
            out.floats[i] = in[k].f(s);
          else
            out.ints[i] = in[k].n(s);
        }
        return out;
      })
      .Case([&](GatherOp g) -> std::optional<Values> {
        int64_t axis = static_cast<int64_t>(g.getAxis());
        int64_t rank = in[0].shape.size();
        if (axis < 0)
          axis += rank;
        int64_t dim = in[0].shape[axis], irank = in[1].shape.size();
        for (int64_t x : in[1].ints)
          if (x < -dim || x >= dim)
            return std::nullopt; // Out of range: an error at run time, not a fold.
        return gatherBy(type, in[0], [&](ArrayRef<int64_t> idx) {
          SmallVector<int64_t> src(idx.take_front(axis));
          int64_t j = in[1].ints[flatIndex(in[1].shape, idx.slice(axis, irank))];
          src.push_back(j < 0 ? j + dim : j);
          src.append(idx.begin() + axis + irank, idx.end());
          return flatIndex(in[0].shape, src);
        });
      })
      .Case([&](SliceOp s) -> std::optional<Values> {
        auto ranges = resolveSlice(s);
        if (failed(ranges))
          return std::nullopt;
        return gatherBy(type, in[0], [&](ArrayRef<int64_t> idx) {
          SmallVector<int64_t> src(idx.size());
          for (size_t d = 0; d < idx.size(); ++d)
            src[d] = (*ranges)[d].start + idx[d] * (*ranges)[d].step;
          return flatIndex(in[0].shape, src);
        });
      })
      .Case([&](ConstantOfShapeOp c) {
        Values out = like(type);
        if (auto value = c.getValueAttr()) {
          if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
            if (out.isFloat())
              std::fill(out.floats.begin(), out.floats.end(),
                        (*dense.getValues<APFloat>().begin()).convertToDouble());
            else
              std::fill(out.ints.begin(), out.ints.end(),
                        (*dense.getValues<APInt>().begin()).getSExtValue());
          }
        }
        return out;
      })
      .Case([&](RangeOp) {
        Values out = like(type);
        for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
          if (out.isFloat())
            out.floats[i] = in[0].f(0) + i * in[2].f(0);
          else
            out.ints[i] = wrapAdd(in[0].n(0), wrapMul(i, in[2].n(0)));
        }
        return out;
      })
      .Default([](Operation *) { return std::nullopt; });
}

} // namespace

SmallVector<DenseElementsAttr> evaluateConstantOp(Operation *op) {
  for (Value r : op->getResults()) {
    auto t = getStaticType(r);
    if (!t || t.getNumElements() > kMaxFoldedElements)
      return {};
  }
  // Split: each result is the next block of the input along the axis (its
  // static type says how long); shapes like AffineGrid's (N, C, H, W) come
  // apart this way.
  if (auto split = dyn_cast<SplitOp>(op)) {
    auto input = read(split.getInput());
    if (!input)
      return {};
    int64_t axis = split.getAxis() < 0 ? split.getAxis() + int64_t(input->shape.size()) : split.getAxis();
    SmallVector<DenseElementsAttr> pieces;
    int64_t offset = 0;
    for (Value r : op->getResults()) {
      auto type = getStaticType(r);
      auto out = gatherBy(type, *input, [&](ArrayRef<int64_t> idx) {
        SmallVector<int64_t> src(idx);
        src[axis] += offset;
        return flatIndex(input->shape, src);
      });
      offset += type.getDimSize(axis);
      pieces.push_back(write(type, out));
    }
    return pieces;
  }
  if (op->getNumResults() != 1)
    return {};
  auto type = getStaticType(op->getResult(0));
  // Shape and Size read only the operand's static type.
  if (auto shape = dyn_cast<ShapeOp>(op)) {
    auto in = getStaticType(shape.getData());
    int64_t rank = in.getRank(), start = shape.getStart() ? static_cast<int64_t>(*shape.getStart()) : 0;
    if (start < 0)
      start = std::max<int64_t>(0, start + rank);
    start = std::min(start, rank);
    SmallVector<int64_t> dims(in.getShape().begin() + start,
                              in.getShape().begin() + start + type.getNumElements());
    return {DenseElementsAttr::get(type, ArrayRef<int64_t>(dims))};
  }
  if (auto size = dyn_cast<SizeOp>(op))
    return {DenseElementsAttr::get(type, getStaticType(size.getData()).getNumElements())};
  if (isa<ConstantOp>(op))
    return {};
  SmallVector<Values> in;
  for (Value operand : op->getOperands()) {
    auto v = read(operand);
    if (!v)
      return {};
    in.push_back(std::move(*v));
  }
  auto out = evaluate(op, type, in);
  if (!out)
    return {};
  return {write(type, *out)};
}

} // namespace onnxc::onnx
