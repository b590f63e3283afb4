//===- NarrowFloat.cpp - float8/float4/e8m0 conversions in integer arith ---===//
//
// LLVM has no float8 or float4 arithmetic (the LLVM type converter maps them to i8/i4),
// so conversions to and from f32 are built from the bit patterns. The rounding and
// overflow rules are ONNX's Cast ones (its reference uses ml_dtypes, whose behaviour
// these follow, and onnx.numpy_helper.to_float8e8m0 for e8m0).
//
//===----------------------------------------------------------------------===//
#include "passes/lower/NarrowFloat.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;

namespace onnxc::lower {
namespace {

/// The layout of a narrow float with sign, exponent and mantissa fields.
struct Format {
  unsigned exponentBits, mantissaBits;
  int bias;
  uint32_t maxFinite;    // encoding of the largest finite magnitude
  int64_t infinity;      // encoding of +inf, or -1 when the type has none
  uint32_t nan;          // encoding of NaN (for "fnuz" types the whole byte 0x80)
  bool unsignedZero;     // "fnuz": no negative zero, 0x80 is NaN
  bool hasNaN;
};

Format formatOf(Type t) {
  if (isa<Float8E4M3FNType>(t)) return {4, 3, 7, 0x7E, -1, 0x7F, false, true};
  if (isa<Float8E4M3FNUZType>(t)) return {4, 3, 8, 0x7F, -1, 0x80, true, true};
  if (isa<Float8E5M2Type>(t)) return {5, 2, 15, 0x7B, 0x7C, 0x7F, false, true};
  if (isa<Float8E5M2FNUZType>(t)) return {5, 2, 16, 0x7F, -1, 0x80, true, true};
  // float4e2m1: no NaN; ml_dtypes turns NaN into 0b1000 (-0).
  return {2, 1, 1, 0x7, -1, 0x8, false, false};
}

struct Bits {
  OpBuilder &b;
  Location l;
  Type i32;
  Value c(int64_t v) { return arith::ConstantOp::create(b, l, b.getIntegerAttr(i32, v)); }
  Value f(double v) { return arith::ConstantOp::create(b, l, b.getF32FloatAttr(v)); }
  Value shr(Value x, int64_t n) { return arith::ShRUIOp::create(b, l, x, c(n)); }
  Value shl(Value x, int64_t n) { return arith::ShLIOp::create(b, l, x, c(n)); }
  Value band(Value x, int64_t m) { return arith::AndIOp::create(b, l, x, c(m)); }
  Value bor(Value x, Value y) { return arith::OrIOp::create(b, l, x, y); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, l, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, l, x, y); }
  Value eq(Value x, int64_t v) { return arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, x, c(v)); }
  Value ne(Value x, int64_t v) { return arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, x, c(v)); }
  Value ugt(Value x, int64_t v) { return arith::CmpIOp::create(b, l, arith::CmpIPredicate::ugt, x, c(v)); }
  Value sel(Value cond, Value x, Value y) { return arith::SelectOp::create(b, l, cond, x, y); }
  Value andI(Value x, Value y) { return arith::AndIOp::create(b, l, x, y); }
  Value orI(Value x, Value y) { return arith::OrIOp::create(b, l, x, y); }
  Value asF32(Value x) { return arith::BitcastOp::create(b, l, b.getF32Type(), x); }
  Value asI32(Value x) { return arith::BitcastOp::create(b, l, i32, x); }
};

} // namespace

bool isNarrowFloat(Type t) {
  return isa<Float8E4M3FNType, Float8E4M3FNUZType, Float8E5M2Type, Float8E5M2FNUZType,
             Float4E2M1FNType, Float8E8M0FNUType>(t);
}

Value narrowFloatToF32(OpBuilder &b, Location l, Value v) {
  Type from = v.getType();
  unsigned width = from.getIntOrFloatBitWidth();
  Bits k{b, l, b.getI32Type()};
  Value raw = arith::BitcastOp::create(b, l, b.getIntegerType(width), v);
  Value bits = arith::ExtUIOp::create(b, l, k.i32, raw);
  Value nan = k.f(std::nan(""));
  if (isa<Float8E8M0FNUType>(from)) {
    // 2^(e - 127); e = 0 is 2^-127, an f32 subnormal; 0xFF is NaN.
    Value value = k.asF32(k.sel(k.eq(bits, 0), k.c(0x00400000), k.shl(bits, 23)));
    return k.sel(k.eq(bits, 0xFF), nan, value);
  }
  Format fmt = formatOf(from);
  unsigned m = fmt.mantissaBits, signShift = fmt.exponentBits + m;
  Value sign = k.shr(bits, signShift);
  Value magnitude = k.band(bits, (1 << signShift) - 1);
  Value exponent = k.shr(magnitude, m);
  Value mantissa = k.band(magnitude, (1 << m) - 1);
  Value normal = k.asF32(k.bor(k.shl(k.add(exponent, k.c(127 - fmt.bias)), 23),
                               k.shl(mantissa, 23 - m)));
  Value subnormal = arith::MulFOp::create(
      b, l, arith::UIToFPOp::create(b, l, b.getF32Type(), mantissa),
      k.f(std::ldexp(1.0, 1 - fmt.bias - static_cast<int>(m))));
  Value value = k.sel(k.eq(exponent, 0), subnormal, normal);
  if (fmt.infinity >= 0) {
    Value top = k.eq(exponent, (1 << fmt.exponentBits) - 1);
    Value special = k.sel(k.eq(mantissa, 0), k.f(INFINITY), nan);
    value = k.sel(top, special, value);
  } else if (fmt.hasNaN && !fmt.unsignedZero) {
    value = k.sel(k.eq(magnitude, fmt.nan), nan, value);
  }
  value = k.sel(k.eq(sign, 1), arith::NegFOp::create(b, l, value), value);
  if (fmt.unsignedZero)
    value = k.sel(k.eq(bits, 0x80), nan, value);
  return value;
}

Value f32ToNarrowFloat(OpBuilder &b, Location l, Value x, Type to, bool saturate,
                       StringRef roundMode) {
  Bits k{b, l, b.getI32Type()};
  unsigned width = to.getIntOrFloatBitWidth();
  Type narrowInt = b.getIntegerType(width);
  auto finish = [&](Value enc) {
    return arith::BitcastOp::create(b, l, to, arith::TruncIOp::create(b, l, narrowInt, enc));
  };
  Value u = k.asI32(x);
  if (isa<Float8E8M0FNUType>(to)) {
    // Only the exponent survives; the sign is dropped (onnx.numpy_helper.to_float8e8m0).
    Value exponent = k.band(k.shr(u, 23), 0xFF);
    Value roundUp;
    if (roundMode == "up") {
      roundUp = k.ne(k.band(u, 0x7FFFFF), 0);
    } else if (roundMode == "nearest") {
      // Guard bit set and (round, sticky or an odd... nonzero exponent): ties go up
      // except from the zero exponent, as the reference does.
      Value guard = k.ne(k.band(u, 0x400000), 0);
      Value rest = k.orI(k.ne(k.band(u, 0x3FFFFF), 0), k.ne(exponent, 0));
      roundUp = k.andI(guard, rest);
    } else {
      roundUp = arith::ConstantOp::create(b, l, b.getBoolAttr(false));
    }
    if (saturate)
      roundUp = k.andI(roundUp, k.ne(exponent, 0xFE));
    Value rounded = k.add(exponent, arith::ExtUIOp::create(b, l, k.i32, roundUp));
    return finish(k.sel(k.eq(exponent, 0xFF), k.c(0xFF), rounded));
  }
  Format fmt = formatOf(to);
  unsigned m = fmt.mantissaBits, signShift = fmt.exponentBits + m;
  Value sign = k.shr(u, 31);
  Value a = k.band(u, 0x7FFFFFFF);
  Value af = k.asF32(a);
  // Normal results: round the f32 bits to m mantissa bits (nearest even; a carry
  // moves into the exponent as it should), then rebias the exponent.
  unsigned drop = 23 - m;
  Value rne = k.shr(k.add(k.add(a, k.c((1 << (drop - 1)) - 1)), k.band(k.shr(a, drop), 1)), drop);
  Value normal = k.sub(rne, k.c(int64_t(127 - fmt.bias) << m));
  // Subnormal results: the magnitude in units of the smallest subnormal, rounded to
  // nearest even, is the encoding (reaching 1 << m is the smallest normal's).
  Value scaled = arith::MulFOp::create(b, l, af, k.f(std::ldexp(1.0, fmt.bias - 1 + int(m))));
  Value subnormal =
      arith::FPToUIOp::create(b, l, k.i32, math::RoundEvenOp::create(b, l, scaled));
  Value isSubnormal = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, af,
                                            k.f(std::ldexp(1.0, 1 - fmt.bias)));
  Value enc = k.sel(isSubnormal, subnormal, normal);
  int64_t overflow = saturate || !fmt.hasNaN ? fmt.maxFinite
                     : fmt.infinity >= 0      ? fmt.infinity
                                              : fmt.nan;
  enc = k.sel(k.ugt(enc, fmt.maxFinite), k.c(overflow), enc);
  Value isNaN = k.ugt(a, 0x7F800000);
  enc = k.sel(isNaN, k.c(fmt.nan), enc);
  Value signed_ = k.bor(enc, k.shl(sign, signShift));
  if (fmt.unsignedZero) {
    // No negative zero; NaN (0x80) carries no sign.
    Value unsignedResult = k.orI(k.eq(enc, 0), k.eq(enc, fmt.nan));
    return finish(k.sel(unsignedResult, enc, signed_));
  }
  if (!fmt.hasNaN)
    signed_ = k.sel(isNaN, enc, signed_);
  return finish(signed_);
}

} // namespace onnxc::lower
