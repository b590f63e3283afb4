//===- ScalarOps.cpp - scalar semantics of elementwise onnx ops -----------===//
//
// One table from op name to the arith/math ops computing one element. The
// elementwise lowering pattern wraps any entry in a broadcasting
// linalg.generic, so adding an elementwise op is one entry here.
//
//===----------------------------------------------------------------------===//
#include "passes/lower/ScalarOps.h"
#include "passes/lower/NarrowFloat.h"

#include "ir/ONNXDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/StringMap.h"

#include <cmath>

using namespace mlir;

namespace onnxc::lower {
namespace {

bool isF(Type t) { return isa<FloatType>(t); }
bool isU(Type t) { return t.isUnsignedInteger(); }

Value cst(OpBuilder &b, Location l, Type t, double v) {
  if (auto ft = dyn_cast<FloatType>(t))
    return arith::ConstantOp::create(b, l, b.getFloatAttr(ft, v));
  // Saturate to int64 first (NaN -> 0): v can be +-inf or any model float, and
  // an out-of-range double -> int64 conversion is undefined behaviour.
  int64_t i = std::isnan(v)                    ? 0
              : v >= 9223372036854775808.0     ? INT64_MAX
              : v < -9223372036854775808.0     ? INT64_MIN
                                               : static_cast<int64_t>(v);
  return arith::ConstantOp::create(b, l, b.getIntegerAttr(t, i));
}
double fattr(Operation *op, StringRef name, double dflt) {
  if (auto a = op->getAttrOfType<FloatAttr>(name))
    return a.getValueAsDouble();
  return dflt;
}
int64_t iattr(Operation *op, StringRef name, int64_t dflt) {
  if (auto a = op->getAttrOfType<IntegerAttr>(name))
    return a.getInt();
  return dflt;
}

Value add(OpBuilder &b, Location l, Value x, Value y) {
  return isF(x.getType()) ? Value(arith::AddFOp::create(b, l, x, y)) : Value(arith::AddIOp::create(b, l, x, y));
}
Value mul(OpBuilder &b, Location l, Value x, Value y) {
  return isF(x.getType()) ? Value(arith::MulFOp::create(b, l, x, y)) : Value(arith::MulIOp::create(b, l, x, y));
}
Value select(OpBuilder &b, Location l, Value c, Value x, Value y) {
  return arith::SelectOp::create(b, l, c, x, y);
}
Value cmpf(OpBuilder &b, Location l, arith::CmpFPredicate p, Value x, Value y) {
  return arith::CmpFOp::create(b, l, p, x, y);
}
Value maxf(OpBuilder &b, Location l, Value x, Value y) { return arith::MaximumFOp::create(b, l, x, y); }
Value minf(OpBuilder &b, Location l, Value x, Value y) { return arith::MinimumFOp::create(b, l, x, y); }

/// Compares two scalars of ONNX element type `t` (signedness from t).
Value compare(OpBuilder &b, Location l, Type t, Value x, Value y, arith::CmpFPredicate fp,
              arith::CmpIPredicate sp, arith::CmpIPredicate up) {
  if (isF(x.getType()))
    return cmpf(b, l, fp, x, y);
  return arith::CmpIOp::create(b, l, isU(t) ? up : sp, x, y);
}

/// |x|^y with ONNX's sign rules: a negative base needs an integral exponent.
Value powFloat(OpBuilder &b, Location l, Value x, Value y) {
  Type t = x.getType();
  Value zero = cst(b, l, t, 0.0);
  Value magnitude = math::PowFOp::create(b, l, math::AbsFOp::create(b, l, x), y);
  Value integral = cmpf(b, l, arith::CmpFPredicate::OEQ, math::FloorOp::create(b, l, y), y);
  Value half = arith::MulFOp::create(b, l, y, cst(b, l, t, 0.5));
  Value odd = cmpf(b, l, arith::CmpFPredicate::ONE, math::FloorOp::create(b, l, half), half);
  Value negBase = cmpf(b, l, arith::CmpFPredicate::OLT, x, zero);
  Value nan = cst(b, l, t, std::nan(""));
  Value signed_ = select(b, l, odd, arith::NegFOp::create(b, l, magnitude), magnitude);
  Value neg = select(b, l, integral, signed_, nan);
  return select(b, l, negBase, neg, magnitude);
}

const llvm::StringMap<ScalarBuilder> &table() {
  using P = arith::CmpFPredicate;
  using I = arith::CmpIPredicate;
  static const llvm::StringMap<ScalarBuilder> t = [] {
    llvm::StringMap<ScalarBuilder> m;
    auto unaryF = [&m](StringRef name, std::function<Value(OpBuilder &, Location, Value)> f) {
      m[name] = [f](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type>, Type) {
        return f(b, l, a[0]);
      };
    };
    // --- Arithmetic --------------------------------------------------------------------------
    m["onnx.Add"] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type>, Type) { return add(b, l, a[0], a[1]); };
    m["onnx.Sub"] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type>, Type) {
      return isF(a[0].getType()) ? Value(arith::SubFOp::create(b, l, a[0], a[1])) : Value(arith::SubIOp::create(b, l, a[0], a[1]));
    };
    m["onnx.Mul"] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type>, Type) { return mul(b, l, a[0], a[1]); };
    m["onnx.Div"] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type> in, Type) {
      if (isF(a[0].getType()))
        return Value(arith::DivFOp::create(b, l, a[0], a[1]));
      return isU(in[0]) ? Value(arith::DivUIOp::create(b, l, a[0], a[1])) : Value(arith::DivSIOp::create(b, l, a[0], a[1]));
    };
    m["onnx.Mod"] = [](OpBuilder &b, Location l, Operation *op, ValueRange a, ArrayRef<Type> in, Type) {
      if (isF(a[0].getType())) {
        // C fmod as x - trunc(x / y) * y (arith.remf would become a call to
        // libm's fmodf), with fmod's exact cases: a finite x over an infinite
        // y is x itself (0 * inf would give NaN), and a zero result keeps x's
        // sign.
        Type t = a[0].getType();
        Value q = math::TruncOp::create(b, l, arith::DivFOp::create(b, l, a[0], a[1]));
        Value r = arith::SubFOp::create(b, l, a[0], arith::MulFOp::create(b, l, q, a[1]));
        Value inf = cst(b, l, t, INFINITY);
        Value yInf = cmpf(b, l, P::OEQ, math::AbsFOp::create(b, l, a[1]), inf);
        Value xFinite = cmpf(b, l, P::ONE, math::AbsFOp::create(b, l, a[0]), inf);
        r = select(b, l, arith::AndIOp::create(b, l, yInf, xFinite), a[0], r);
        Value zero = cst(b, l, t, 0.0);
        Value isZero = cmpf(b, l, P::OEQ, r, zero);
        r = select(b, l, isZero, math::CopySignOp::create(b, l, zero, a[0]), r);
        if (iattr(op, "fmod", 0))
          return r;
        // fmod=0 on floats (opset 28): numpy.mod, the result takes the
        // divisor's sign, zero included (numpy's npy_divmod).
        Value signsDiffer = arith::XOrIOp::create(b, l, cmpf(b, l, P::OLT, r, zero), cmpf(b, l, P::OLT, a[1], zero));
        Value nonzero = cmpf(b, l, P::UNE, r, zero);
        r = select(b, l, arith::AndIOp::create(b, l, nonzero, signsDiffer), arith::AddFOp::create(b, l, r, a[1]), r);
        return select(b, l, isZero, math::CopySignOp::create(b, l, zero, a[1]), r);
      }
      if (isU(in[0]))
        return Value(arith::RemUIOp::create(b, l, a[0], a[1]));
      Value r = arith::RemSIOp::create(b, l, a[0], a[1]);
      if (iattr(op, "fmod", 0))
        return r;
      // Python-style: the result takes the divisor's sign.
      Value zero = cst(b, l, r.getType(), 0);
      Value nonzero = arith::CmpIOp::create(b, l, I::ne, r, zero);
      Value signsDiffer = arith::XOrIOp::create(b, l, arith::CmpIOp::create(b, l, I::slt, r, zero),
                                                arith::CmpIOp::create(b, l, I::slt, a[1], zero));
      Value fix = arith::AndIOp::create(b, l, nonzero, signsDiffer);
      return select(b, l, fix, arith::AddIOp::create(b, l, r, a[1]), r);
    };
    m["onnx.Pow"] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type> in, Type res) {
      Value x = a[0], y = a[1];
      if (isF(x.getType())) {
        if (!isF(y.getType()))
          y = castScalar(b, l, y, in[1], x.getType());
        else if (y.getType() != x.getType())
          y = castScalar(b, l, y, in[1], x.getType());
        return powFloat(b, l, x, y);
      }
      // Integer base: compute in double and convert back (exact for the
      // magnitudes integer pow can represent without overflow).
      Type f64 = b.getF64Type();
      Value r = powFloat(b, l, castScalar(b, l, x, in[0], f64), castScalar(b, l, y, in[1], f64));
      return castScalar(b, l, r, f64, in[0]);
    };
    m["onnx.Max"] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type> in, Type) {
      Value r = a[0];
      for (Value v : a.drop_front())
        r = isF(r.getType()) ? maxf(b, l, r, v)
                             : isU(in[0]) ? Value(arith::MaxUIOp::create(b, l, r, v)) : Value(arith::MaxSIOp::create(b, l, r, v));
      return r;
    };
    m["onnx.Min"] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type> in, Type) {
      Value r = a[0];
      for (Value v : a.drop_front())
        r = isF(r.getType()) ? minf(b, l, r, v)
                             : isU(in[0]) ? Value(arith::MinUIOp::create(b, l, r, v)) : Value(arith::MinSIOp::create(b, l, r, v));
      return r;
    };
    m["onnx.Sum"] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type>, Type) {
      Value r = a[0];
      for (Value v : a.drop_front())
        r = add(b, l, r, v);
      return r;
    };
    m["onnx.Mean"] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type>, Type) {
      Value r = a[0];
      for (Value v : a.drop_front())
        r = add(b, l, r, v);
      return Value(arith::DivFOp::create(b, l, r, cst(b, l, r.getType(), double(a.size()))));
    };
    // --- Comparison and logic ----------------------------------------------------------------
    m["onnx.Equal"] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type> in, Type) {
      return compare(b, l, in[0], a[0], a[1], P::OEQ, I::eq, I::eq);
    };
    m["onnx.Less"] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type> in, Type) {
      return compare(b, l, in[0], a[0], a[1], P::OLT, I::slt, I::ult);
    };
    m["onnx.LessOrEqual"] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type> in, Type) {
      return compare(b, l, in[0], a[0], a[1], P::OLE, I::sle, I::ule);
    };
    m["onnx.Greater"] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type> in, Type) {
      return compare(b, l, in[0], a[0], a[1], P::OGT, I::sgt, I::ugt);
    };
    m["onnx.GreaterOrEqual"] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type> in, Type) {
      return compare(b, l, in[0], a[0], a[1], P::OGE, I::sge, I::uge);
    };
    auto bitwise = [&m](StringRef name, auto tag) {
      m[name] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type>, Type) {
        return Value(decltype(tag)::create(b, l, a[0], a[1]));
      };
    };
    bitwise("onnx.And", arith::AndIOp());
    bitwise("onnx.Or", arith::OrIOp());
    bitwise("onnx.Xor", arith::XOrIOp());
    bitwise("onnx.BitwiseAnd", arith::AndIOp());
    bitwise("onnx.BitwiseOr", arith::OrIOp());
    bitwise("onnx.BitwiseXor", arith::XOrIOp());
    m["onnx.Not"] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type>, Type) {
      return Value(arith::XOrIOp::create(b, l, a[0], cst(b, l, a[0].getType(), 1)));
    };
    m["onnx.BitwiseNot"] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type>, Type) {
      return Value(arith::XOrIOp::create(b, l, a[0], cst(b, l, a[0].getType(), -1)));
    };
    m["onnx.BitShift"] = [](OpBuilder &b, Location l, Operation *op, ValueRange a, ArrayRef<Type> in, Type) {
      bool left = op->getAttrOfType<StringAttr>("direction").getValue() == "LEFT";
      // A shift by a negative amount or by at least the bit width saturates
      // (numpy, the reference): 0, or -1 for a negative value shifted right
      // arithmetically. LLVM's shifts are poison there, so select explicitly;
      // one unsigned compare catches both, negatives being huge unsigned.
      Type t = a[0].getType();
      unsigned width = t.getIntOrFloatBitWidth();
      Value outOfRange = arith::CmpIOp::create(b, l, I::uge, a[1], cst(b, l, t, width));
      Value safeAmount = select(b, l, outOfRange, cst(b, l, t, 0), a[1]);
      Value zero = cst(b, l, t, 0);
      if (left)
        return select(b, l, outOfRange, zero, arith::ShLIOp::create(b, l, a[0], safeAmount));
      // Signed types (opset 28) shift arithmetically.
      if (isU(in[0]))
        return select(b, l, outOfRange, zero, arith::ShRUIOp::create(b, l, a[0], safeAmount));
      Value signFill = arith::ShRSIOp::create(b, l, a[0], cst(b, l, t, width - 1));
      return select(b, l, outOfRange, signFill, arith::ShRSIOp::create(b, l, a[0], safeAmount));
    };
    // ai.onnx.ml Binarizer: 1 where x > threshold, else 0, in x's type.
    m["onnx.Binarizer"] = [](OpBuilder &b, Location l, Operation *op, ValueRange a, ArrayRef<Type> in, Type) {
      Type t = a[0].getType();
      // For integers x > threshold is x > floor(threshold) (truncation would
      // move negative fractional thresholds up).
      double threshold = fattr(op, "threshold", 0.0);
      if (!isF(t))
        threshold = std::floor(threshold);
      Value above = compare(b, l, in[0], a[0], cst(b, l, t, threshold), P::OGT, I::sgt, I::ugt);
      return select(b, l, above, cst(b, l, t, 1.0), cst(b, l, t, 0.0));
    };
    m["onnx.Where"] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type>, Type) {
      return select(b, l, a[0], a[1], a[2]);
    };
    m["onnx.IsNaN"] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type>, Type) {
      return cmpf(b, l, P::UNO, a[0], a[0]);
    };
    m["onnx.IsInf"] = [](OpBuilder &b, Location l, Operation *op, ValueRange a, ArrayRef<Type>, Type) {
      Type t = a[0].getType();
      Value pos = cmpf(b, l, P::OEQ, a[0], cst(b, l, t, INFINITY));
      Value neg = cmpf(b, l, P::OEQ, a[0], cst(b, l, t, -INFINITY));
      Value no = cst(b, l, b.getI1Type(), 0);
      Value r = arith::OrIOp::create(b, l, iattr(op, "detect_positive", 1) ? pos : no,
                                     iattr(op, "detect_negative", 1) ? neg : no);
      return r;
    };
    m["onnx.BitCast"] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type>, Type out) {
      Type from = a[0].getType();
      if (from == out)
        return a[0];
      // Bool is a byte holding 0 or 1; any non-zero byte read as bool is true.
      if (from.isInteger(1))
        return Value(arith::ExtUIOp::create(b, l, out, a[0]));
      if (out.isInteger(1))
        return Value(arith::CmpIOp::create(b, l, I::ne, a[0], cst(b, l, from, 0)));
      return Value(arith::BitcastOp::create(b, l, out, a[0]));
    };
    m["onnx.Cast"] = [](OpBuilder &b, Location l, Operation *op, ValueRange a, ArrayRef<Type> in, Type) {
      auto roundMode = op->getAttrOfType<StringAttr>("round_mode");
      return castScalar(b, l, a[0], in[0], cast<ShapedType>(op->getResult(0).getType()).getElementType(),
                        iattr(op, "saturate", 1) != 0, roundMode ? roundMode.getValue() : "up");
    };
    // --- Unary math --------------------------------------------------------------------------
    m["onnx.Abs"] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type> in, Type) {
      if (isF(a[0].getType()))
        return Value(math::AbsFOp::create(b, l, a[0]));
      return isU(in[0]) ? a[0] : Value(math::AbsIOp::create(b, l, a[0]));
    };
    m["onnx.Neg"] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type>, Type) {
      if (isF(a[0].getType()))
        return Value(arith::NegFOp::create(b, l, a[0]));
      return Value(arith::SubIOp::create(b, l, cst(b, l, a[0].getType(), 0), a[0]));
    };
    m["onnx.Sign"] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type> in, Type) {
      Type t = a[0].getType();
      Value zero = cst(b, l, t, 0), one = cst(b, l, t, 1), minus = cst(b, l, t, -1);
      Value gt = compare(b, l, in[0], a[0], zero, P::OGT, I::sgt, I::ugt);
      Value lt = compare(b, l, in[0], a[0], zero, P::OLT, I::slt, I::ult);
      return select(b, l, gt, one, select(b, l, lt, minus, isF(t) ? Value(arith::MulFOp::create(b, l, a[0], zero)) : zero));
    };
    m["onnx.Relu"] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type> in, Type) {
      Value zero = cst(b, l, a[0].getType(), 0);
      if (isF(a[0].getType()))
        return maxf(b, l, a[0], zero);
      return isU(in[0]) ? a[0] : Value(arith::MaxSIOp::create(b, l, a[0], zero));
    };
    unaryF("onnx.Exp", [](OpBuilder &b, Location l, Value x) { return Value(math::ExpOp::create(b, l, x)); });
    unaryF("onnx.Log", [](OpBuilder &b, Location l, Value x) { return Value(math::LogOp::create(b, l, x)); });
    unaryF("onnx.Sqrt", [](OpBuilder &b, Location l, Value x) { return Value(math::SqrtOp::create(b, l, x)); });
    unaryF("onnx.Reciprocal", [](OpBuilder &b, Location l, Value x) {
      return Value(arith::DivFOp::create(b, l, cst(b, l, x.getType(), 1.0), x));
    });
    unaryF("onnx.Floor", [](OpBuilder &b, Location l, Value x) { return Value(math::FloorOp::create(b, l, x)); });
    unaryF("onnx.Ceil", [](OpBuilder &b, Location l, Value x) { return Value(math::CeilOp::create(b, l, x)); });
    unaryF("onnx.Round", [](OpBuilder &b, Location l, Value x) { return Value(math::RoundEvenOp::create(b, l, x)); });
    unaryF("onnx.Sin", [](OpBuilder &b, Location l, Value x) { return Value(math::SinOp::create(b, l, x)); });
    unaryF("onnx.Cos", [](OpBuilder &b, Location l, Value x) { return Value(math::CosOp::create(b, l, x)); });
    unaryF("onnx.Tan", [](OpBuilder &b, Location l, Value x) { return Value(math::TanOp::create(b, l, x)); });
    unaryF("onnx.Asin", [](OpBuilder &b, Location l, Value x) { return Value(math::AsinOp::create(b, l, x)); });
    unaryF("onnx.Acos", [](OpBuilder &b, Location l, Value x) { return Value(math::AcosOp::create(b, l, x)); });
    unaryF("onnx.Atan", [](OpBuilder &b, Location l, Value x) { return Value(math::AtanOp::create(b, l, x)); });
    unaryF("onnx.Sinh", [](OpBuilder &b, Location l, Value x) { return Value(math::SinhOp::create(b, l, x)); });
    unaryF("onnx.Cosh", [](OpBuilder &b, Location l, Value x) { return Value(math::CoshOp::create(b, l, x)); });
    unaryF("onnx.Asinh", [](OpBuilder &b, Location l, Value x) { return Value(math::AsinhOp::create(b, l, x)); });
    unaryF("onnx.Acosh", [](OpBuilder &b, Location l, Value x) { return Value(math::AcoshOp::create(b, l, x)); });
    unaryF("onnx.Atanh", [](OpBuilder &b, Location l, Value x) { return Value(math::AtanhOp::create(b, l, x)); });
    unaryF("onnx.Tanh", [](OpBuilder &b, Location l, Value x) { return Value(math::TanhOp::create(b, l, x)); });
    unaryF("onnx.Erf", [](OpBuilder &b, Location l, Value x) { return Value(math::ErfOp::create(b, l, x)); });
    unaryF("onnx.Sigmoid", [](OpBuilder &b, Location l, Value x) {
      // 1 / (1 + exp(-x)): exp overflows to inf for very negative x, giving 0.
      Value one = cst(b, l, x.getType(), 1.0);
      Value e = math::ExpOp::create(b, l, arith::NegFOp::create(b, l, x));
      return Value(arith::DivFOp::create(b, l, one, arith::AddFOp::create(b, l, one, e)));
    });
    auto softplus = [](OpBuilder &b, Location l, Value x) {
      // max(x, 0) + log1p(exp(-|x|)): never overflows.
      Value zero = cst(b, l, x.getType(), 0.0);
      Value e = math::ExpOp::create(b, l, arith::NegFOp::create(b, l, math::AbsFOp::create(b, l, x)));
      return Value(arith::AddFOp::create(b, l, maxf(b, l, x, zero), math::Log1pOp::create(b, l, e)));
    };
    unaryF("onnx.Softplus", softplus);
    unaryF("onnx.Softsign", [](OpBuilder &b, Location l, Value x) {
      Value den = arith::AddFOp::create(b, l, cst(b, l, x.getType(), 1.0), math::AbsFOp::create(b, l, x));
      return Value(arith::DivFOp::create(b, l, x, den));
    });
    unaryF("onnx.Mish", [softplus](OpBuilder &b, Location l, Value x) {
      return Value(arith::MulFOp::create(b, l, x, math::TanhOp::create(b, l, softplus(b, l, x))));
    });
    unaryF("onnx.HardSwish", [](OpBuilder &b, Location l, Value x) {
      Type t = x.getType();
      Value h = arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, x, cst(b, l, t, 1.0 / 6.0)), cst(b, l, t, 0.5));
      h = maxf(b, l, cst(b, l, t, 0.0), minf(b, l, cst(b, l, t, 1.0), h));
      return Value(arith::MulFOp::create(b, l, x, h));
    });
    // --- Parameterised activations -----------------------------------------------------------
    m["onnx.LeakyRelu"] = [](OpBuilder &b, Location l, Operation *op, ValueRange a, ArrayRef<Type>, Type) {
      Value x = a[0];
      Value neg = cmpf(b, l, P::OLT, x, cst(b, l, x.getType(), 0.0));
      return select(b, l, neg, arith::MulFOp::create(b, l, x, cst(b, l, x.getType(), fattr(op, "alpha", 0.01))), x);
    };
    m["onnx.PRelu"] = [](OpBuilder &b, Location l, Operation *, ValueRange a, ArrayRef<Type> in, Type) {
      Value x = a[0], zero = cst(b, l, x.getType(), 0);
      Value neg = compare(b, l, in[0], x, zero, P::OLT, I::slt, I::ult);
      return select(b, l, neg, mul(b, l, x, a[1]), x);
    };
    m["onnx.Elu"] = [](OpBuilder &b, Location l, Operation *op, ValueRange a, ArrayRef<Type>, Type) {
      Value x = a[0];
      Type t = x.getType();
      Value neg = cmpf(b, l, P::OLT, x, cst(b, l, t, 0.0));
      Value em1 = math::ExpM1Op::create(b, l, x);
      return select(b, l, neg, arith::MulFOp::create(b, l, em1, cst(b, l, t, fattr(op, "alpha", 1.0))), x);
    };
    m["onnx.Celu"] = [](OpBuilder &b, Location l, Operation *op, ValueRange a, ArrayRef<Type>, Type) {
      Value x = a[0];
      Type t = x.getType();
      double alpha = fattr(op, "alpha", 1.0);
      Value em1 = math::ExpM1Op::create(b, l, arith::DivFOp::create(b, l, x, cst(b, l, t, alpha)));
      Value negPart = minf(b, l, cst(b, l, t, 0.0), arith::MulFOp::create(b, l, em1, cst(b, l, t, alpha)));
      return Value(arith::AddFOp::create(b, l, maxf(b, l, cst(b, l, t, 0.0), x), negPart));
    };
    m["onnx.ThresholdedRelu"] = [](OpBuilder &b, Location l, Operation *op, ValueRange a, ArrayRef<Type>, Type) {
      Value x = a[0];
      Value above = cmpf(b, l, P::OGT, x, cst(b, l, x.getType(), fattr(op, "alpha", 1.0)));
      return select(b, l, above, x, cst(b, l, x.getType(), 0.0));
    };
    m["onnx.Selu"] = [](OpBuilder &b, Location l, Operation *op, ValueRange a, ArrayRef<Type>, Type) {
      Value x = a[0];
      Type t = x.getType();
      double alpha = fattr(op, "alpha", 1.67326319217681884765625), gamma = fattr(op, "gamma", 1.05070102214813232421875);
      Value pos = cmpf(b, l, P::OGT, x, cst(b, l, t, 0.0));
      Value negPart = arith::MulFOp::create(b, l, math::ExpM1Op::create(b, l, x), cst(b, l, t, alpha));
      return Value(arith::MulFOp::create(b, l, select(b, l, pos, x, negPart), cst(b, l, t, gamma)));
    };
    m["onnx.HardSigmoid"] = [](OpBuilder &b, Location l, Operation *op, ValueRange a, ArrayRef<Type>, Type) {
      Value x = a[0];
      Type t = x.getType();
      Value y = arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, x, cst(b, l, t, fattr(op, "alpha", 0.2))),
                                      cst(b, l, t, fattr(op, "beta", 0.5)));
      return maxf(b, l, cst(b, l, t, 0.0), minf(b, l, cst(b, l, t, 1.0), y));
    };
    m["onnx.Shrink"] = [](OpBuilder &b, Location l, Operation *op, ValueRange a, ArrayRef<Type> in, Type) {
      Value x = a[0];
      Type t = x.getType();
      double bias = fattr(op, "bias", 0.0), lambd = fattr(op, "lambd", 0.5);
      Value below = compare(b, l, in[0], x, cst(b, l, t, -lambd), P::OLT, I::slt, I::ult);
      Value above = compare(b, l, in[0], x, cst(b, l, t, lambd), P::OGT, I::sgt, I::ugt);
      Value plus = isF(t) ? Value(arith::AddFOp::create(b, l, x, cst(b, l, t, bias))) : Value(arith::AddIOp::create(b, l, x, cst(b, l, t, bias)));
      Value minus = isF(t) ? Value(arith::SubFOp::create(b, l, x, cst(b, l, t, bias))) : Value(arith::SubIOp::create(b, l, x, cst(b, l, t, bias)));
      return select(b, l, below, plus, select(b, l, above, minus, cst(b, l, t, 0.0)));
    };
    m["onnx.Gelu"] = [](OpBuilder &b, Location l, Operation *op, ValueRange a, ArrayRef<Type>, Type) {
      Value x = a[0];
      Type t = x.getType();
      Value half = arith::MulFOp::create(b, l, x, cst(b, l, t, 0.5));
      Value inner;
      if (op->getAttrOfType<StringAttr>("approximate") &&
          op->getAttrOfType<StringAttr>("approximate").getValue() == "tanh") {
        Value x3 = arith::MulFOp::create(b, l, x, arith::MulFOp::create(b, l, x, x));
        Value poly = arith::AddFOp::create(b, l, x, arith::MulFOp::create(b, l, x3, cst(b, l, t, 0.044715)));
        inner = math::TanhOp::create(b, l, arith::MulFOp::create(b, l, poly, cst(b, l, t, std::sqrt(2.0 / M_PI))));
      } else {
        inner = math::ErfOp::create(b, l, arith::MulFOp::create(b, l, x, cst(b, l, t, M_SQRT1_2)));
      }
      return Value(arith::MulFOp::create(b, l, half, arith::AddFOp::create(b, l, inner, cst(b, l, t, 1.0))));
    };
    return m;
  }();
  return t;
}

} // namespace

const ScalarBuilder *lookupScalarBuilder(StringRef opName) {
  auto it = table().find(opName);
  return it == table().end() ? nullptr : &it->second;
}

Value castScalar(OpBuilder &b, Location l, Value v, Type from, Type to, bool saturate,
                 StringRef roundMode) {
  if (from == to)
    return v;
  // Narrow floats have no LLVM arithmetic: go through f32 (exact from them; to them the
  // only rounding is the final one, but for f64 sources, rounded twice).
  if (isNarrowFloat(from))
    return castScalar(b, l, narrowFloatToF32(b, l, v), b.getF32Type(), to, saturate, roundMode);
  if (isNarrowFloat(to))
    return f32ToNarrowFloat(b, l, castScalar(b, l, v, from, b.getF32Type()), to, saturate,
                            roundMode);
  Type toSignless = to.isUnsignedInteger() ? Type(b.getIntegerType(to.getIntOrFloatBitWidth())) : to;
  bool fromF = isF(from), toF = isF(to);
  if (to.isInteger(1)) {
    // Anything nonzero is true.
    Value zero = cst(b, l, v.getType(), 0);
    return fromF ? cmpf(b, l, arith::CmpFPredicate::UNE, v, zero)
                 : Value(arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, v, zero));
  }
  if (fromF && toF) {
    unsigned fw = from.getIntOrFloatBitWidth(), tw = to.getIntOrFloatBitWidth();
    if (fw < tw)
      return arith::ExtFOp::create(b, l, toSignless, v);
    if (fw == tw) // f16 <-> bf16: through f32.
      return arith::TruncFOp::create(b, l, toSignless, arith::ExtFOp::create(b, l, b.getF32Type(), v));
    return arith::TruncFOp::create(b, l, toSignless, v);
  }
  if (fromF)
    return to.isUnsignedInteger() ? Value(arith::FPToUIOp::create(b, l, toSignless, v))
                                  : Value(arith::FPToSIOp::create(b, l, toSignless, v));
  bool fromUnsigned = isU(from) || from.isInteger(1);
  if (toF)
    return fromUnsigned ? Value(arith::UIToFPOp::create(b, l, toSignless, v))
                        : Value(arith::SIToFPOp::create(b, l, toSignless, v));
  unsigned fw = from.getIntOrFloatBitWidth(), tw = to.getIntOrFloatBitWidth();
  if (fw == tw)
    return v;
  if (fw > tw)
    return arith::TruncIOp::create(b, l, toSignless, v);
  return fromUnsigned ? Value(arith::ExtUIOp::create(b, l, toSignless, v))
                      : Value(arith::ExtSIOp::create(b, l, toSignless, v));
}

} // namespace onnxc::lower
