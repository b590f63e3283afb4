//===- LinearAlgebra.cpp - Det --------------------------------------------===//
//
// Det is Gaussian elimination with partial pivoting, per matrix: scf loops
// over a working copy threaded through iter_args (bufferization makes it one
// buffer). The determinant is the product of the pivots, negated per row
// swap. A zero pivot column makes the determinant 0 and skips elimination, so
// a singular matrix gives 0 rather than NaN.
//
//===----------------------------------------------------------------------===//
#include "passes/lower/LoweringUtils.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace onnxc;

namespace {

Value idx(OpBuilder &b, Location l, int64_t v) { return arith::ConstantIndexOp::create(b, l, v); }

/// The determinant of matrix `bi` of `a` (a [batch, n, n] tensor of float type
/// `t`), and `a` after eliminating it in place (the caller threads it on).
std::pair<Value, Value> determinant(OpBuilder &b, Location l, Value a, Value bi, int64_t n, Type t) {
  Value one = arith::ConstantOp::create(b, l, b.getFloatAttr(t, 1.0));
  Value zero = arith::ConstantOp::create(b, l, b.getFloatAttr(t, 0.0));
  Value c0 = idx(b, l, 0), c1 = idx(b, l, 1), cn = idx(b, l, n);
  auto column = scf::ForOp::create(
      b, l, c0, cn, c1, ValueRange{a, one},
      [&](OpBuilder &b, Location l, Value k, ValueRange iters) {
        Value m = iters[0], det = iters[1];
        // Pivot: the row at or below k with the largest |m[i, k]|.
        auto search = scf::ForOp::create(
            b, l, k, cn, c1, ValueRange{k, zero}, [&](OpBuilder &b, Location l, Value i, ValueRange best) {
              Value v = math::AbsFOp::create(b, l, tensor::ExtractOp::create(b, l, m, ValueRange{bi, i, k}));
              Value better = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, v, best[1]);
              scf::YieldOp::create(b, l, ValueRange{arith::SelectOp::create(b, l, better, i, best[0]),
                                                    arith::SelectOp::create(b, l, better, v, best[1])});
            });
        Value p = search.getResult(0);
        // Swap rows k and p (a no-op when p == k).
        auto swap = scf::ForOp::create(b, l, c0, cn, c1, ValueRange{m},
                                       [&](OpBuilder &b, Location l, Value j, ValueRange it) {
                                         Value rowK = tensor::ExtractOp::create(b, l, it[0], ValueRange{bi, k, j});
                                         Value rowP = tensor::ExtractOp::create(b, l, it[0], ValueRange{bi, p, j});
                                         Value s = tensor::InsertOp::create(b, l, rowP, it[0], ValueRange{bi, k, j});
                                         s = tensor::InsertOp::create(b, l, rowK, s, ValueRange{bi, p, j});
                                         scf::YieldOp::create(b, l, s);
                                       });
        m = swap.getResult(0);
        Value swapped = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, p, k);
        det = arith::SelectOp::create(b, l, swapped, arith::NegFOp::create(b, l, det), det);
        Value pivot = tensor::ExtractOp::create(b, l, m, ValueRange{bi, k, k});
        det = arith::MulFOp::create(b, l, det, pivot);
        Value singular = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, pivot, zero);
        Value kNext = arith::AddIOp::create(b, l, k, c1);
        auto rows = scf::ForOp::create(
            b, l, kNext, cn, c1, ValueRange{m}, [&](OpBuilder &b, Location l, Value i, ValueRange it) {
              Value f = arith::DivFOp::create(b, l, tensor::ExtractOp::create(b, l, it[0], ValueRange{bi, i, k}), pivot);
              f = arith::SelectOp::create(b, l, singular, zero, f);
              auto cols = scf::ForOp::create(
                  b, l, kNext, cn, c1, ValueRange{it[0]}, [&](OpBuilder &b, Location l, Value j, ValueRange jt) {
                    Value akj = tensor::ExtractOp::create(b, l, jt[0], ValueRange{bi, k, j});
                    Value aij = tensor::ExtractOp::create(b, l, jt[0], ValueRange{bi, i, j});
                    Value updated = arith::SubFOp::create(b, l, aij, arith::MulFOp::create(b, l, f, akj));
                    scf::YieldOp::create(b, l, Value(tensor::InsertOp::create(b, l, updated, jt[0], ValueRange{bi, i, j})));
                  });
              scf::YieldOp::create(b, l, cols.getResults());
            });
        scf::YieldOp::create(b, l, ValueRange{rows.getResult(0), det});
      });
  return {column.getResult(1), column.getResult(0)};
}

struct DetLowering : OpConversionPattern<onnx::DetOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::DetOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto xType = cast<RankedTensorType>(x.getType());
    auto outType = lower::signlessType(op.getType());
    Type t = xType.getElementType();
    int64_t n = xType.getShape().back(), batch = outType.getNumElements();
    // Narrow floats are eliminated in f32: pivots lose too much in f16.
    Type work = t.getIntOrFloatBitWidth() < 32 ? rewriter.getF32Type() : t;
    auto flat = RankedTensorType::get({batch, n, n}, t);
    x = lower::reshapeTo(rewriter, loc, x, flat);
    if (work != t)
      x = lower::buildBroadcastElementwise(rewriter, loc, RankedTensorType::get(flat.getShape(), work), x,
                                           [&](OpBuilder &b, Location l, ValueRange a) {
                                             return Value(arith::ExtFOp::create(b, l, work, a[0]));
                                           });
    auto dets = RankedTensorType::get({batch}, t);
    Value result = tensor::EmptyOp::create(rewriter, loc, dets.getShape(), t);
    if (batch > 0 && n > 0) {
      // Eliminate in a working copy of all matrices, made once: bufferization
      // copies x (read-only) outside the loop, which the workspace plan needs.
      auto loop = scf::ForOp::create(
          rewriter, loc, idx(rewriter, loc, 0), idx(rewriter, loc, batch), idx(rewriter, loc, 1),
          ValueRange{result, x}, [&](OpBuilder &b, Location l, Value i, ValueRange it) {
            auto [det, eliminated] = determinant(b, l, it[1], i, n, work);
            if (work != t)
              det = arith::TruncFOp::create(b, l, t, det);
            Value stored = tensor::InsertOp::create(b, l, det, it[0], ValueRange{i});
            scf::YieldOp::create(b, l, ValueRange{stored, eliminated});
          });
      result = loop.getResult(0);
    } else if (batch > 0) {
      // A 0 x 0 matrix has determinant 1.
      result = lower::buildFilled(rewriter, loc, dets, lower::scalarConstant(rewriter, loc, t, 1.0));
    }
    rewriter.replaceOp(op, lower::reshapeTo(rewriter, loc, result, outType));
    return success();
  }
};

} // namespace

void onnxc::lower::populateLinearAlgebraPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<DetLowering>(converter, patterns.getContext());
}
