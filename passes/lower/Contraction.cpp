//===- Contraction.cpp - Gemm and MatMul ----------------------------------===//
//
// Both become one linalg.generic contraction (parallel batch/m/n, reduction
// k) whose maps absorb transposes, batch broadcasting and 1-D promotion, so no
// operand is ever materialised transposed or broadcast.
//
//===----------------------------------------------------------------------===//
#include "passes/lower/LoweringUtils.h"

#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

#include <cstring>

using namespace mlir;
using namespace onnxc;

namespace {

Value multiplyAccumulate(OpBuilder &b, Location loc, Value a, Value bv, Value acc) {
  // A wider accumulator (f32 for f16/bf16 operands) widens the products too.
  if (isa<FloatType>(a.getType()) && a.getType() != acc.getType()) {
    a = arith::ExtFOp::create(b, loc, acc.getType(), a);
    bv = arith::ExtFOp::create(b, loc, acc.getType(), bv);
  }
  if (isa<FloatType>(a.getType()))
    return arith::AddFOp::create(b, loc, acc, arith::MulFOp::create(b, loc, a, bv));
  return arith::AddIOp::create(b, loc, acc, arith::MulIOp::create(b, loc, a, bv));
}

/// A contraction generic over `numDims` loops with the last one the reduction.
Value buildContraction(OpBuilder &b, Location loc, Value lhs, Value rhs, Value init,
                       ArrayRef<AffineMap> maps) {
  unsigned numDims = maps[0].getNumDims();
  SmallVector<utils::IteratorType> iterators(numDims - 1, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), ValueRange{lhs, rhs}, ValueRange{init}, maps, iterators,
      [](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, multiplyAccumulate(nb, nloc, args[0], args[1], args[2]));
      });
  return generic.getResult(0);
}

/// A constant [N, K] weight transposed to [K, N] at compile time, or null when
/// `value` is not a constant. Reading B as (n, k) puts the reduction on the
/// contiguous dim, which LLVM cannot vectorise without reassociating float
/// adds; the transposed copy makes the inner loop unit-stride over n instead.
/// (PyTorch's Linear exports exactly this: Gemm with transB=1.)
Value transposedConstant(OpBuilder &b, Location loc, Value value) {
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return nullptr;
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() != 2 || !type.getElementType().isIntOrFloat())
    return nullptr;
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  size_t width = (type.getElementTypeBitWidth() + 7) / 8;
  ArrayRef<char> raw;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (dense.isSplat() || type.getElementType().isInteger(1))
      return nullptr;
    raw = dense.getRawData();
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return nullptr;
    raw = blob->getData();
  } else {
    return nullptr;
  }
  if (raw.size() != static_cast<size_t>(rows * cols) * width)
    return nullptr;
  std::vector<char> out(raw.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      std::memcpy(&out[(c * rows + r) * width], &raw[(r * cols + c) * width], width);
  auto tType = RankedTensorType::get({cols, rows}, type.getElementType());
  auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(ArrayRef<char>(out), alignof(uint64_t));
  auto tAttr = DenseResourceElementsAttr::get(tType, "transposed_weight", std::move(blob));
  return arith::ConstantOp::create(b, loc, tAttr);
}

struct GemmLowering : OpConversionPattern<onnx::GemmOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::GemmOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = lower::signlessType(op.getType());
    Type elem = resultType.getElementType();
    MLIRContext *ctx = getContext();
    AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx),
               k = getAffineDimExpr(2, ctx);
    Value bValue = adaptor.getB();
    bool transB = op.getTransB() != 0;
    // Match on the onnx operand: its lowered form is already a reshaped view.
    if (transB && !op.getB().getType().getElementType().isUnsignedInteger())
      if (Value t = transposedConstant(rewriter, loc, op.getB())) {
        bValue = t;
        transB = false;
      }
    SmallVector<AffineMap> maps{
        AffineMap::get(3, 0, op.getTransA() ? ArrayRef<AffineExpr>{k, m} : ArrayRef<AffineExpr>{m, k}, ctx),
        AffineMap::get(3, 0, transB ? ArrayRef<AffineExpr>{n, k} : ArrayRef<AffineExpr>{k, n}, ctx),
        AffineMap::get(3, 0, {m, n}, ctx)};
    double alpha = op.getAlpha().convertToDouble(), beta = op.getBeta().convertToDouble();
    Value c = adaptor.getC();
    bool biasInInit = c && alpha == 1.0;
    Value init;
    if (biasInInit) {
      // Start the accumulator at beta * C so the bias costs no extra pass.
      init = lower::buildBroadcastElementwise(
          rewriter, loc, resultType, c, [&](OpBuilder &b, Location l, ValueRange args) {
            if (beta == 1.0)
              return args[0];
            return Value(arith::MulFOp::create(b, l, args[0], lower::scalarConstant(b, l, elem, beta)));
          });
    } else {
      init = lower::buildFilled(rewriter, loc, resultType,
                                lower::scalarConstant(rewriter, loc, elem, 0.0));
    }
    Value result = buildContraction(rewriter, loc, adaptor.getA(), bValue, init, maps);
    if (!biasInInit && (alpha != 1.0 || c)) {
      SmallVector<Value> inputs{result};
      if (c)
        inputs.push_back(c);
      result = lower::buildBroadcastElementwise(
          rewriter, loc, resultType, inputs, [&](OpBuilder &b, Location l, ValueRange args) {
            Value v = arith::MulFOp::create(b, l, args[0], lower::scalarConstant(b, l, elem, alpha));
            if (args.size() > 1)
              v = arith::AddFOp::create(
                  b, l, v,
                  arith::MulFOp::create(b, l, args[1], lower::scalarConstant(b, l, elem, beta)));
            return v;
          });
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct MatMulLowering : OpConversionPattern<onnx::MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::MatMulOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = lower::signlessType(op.getType());
    auto aType = cast<RankedTensorType>(adaptor.getA().getType());
    auto bType = cast<RankedTensorType>(adaptor.getB().getType());
    MLIRContext *ctx = getContext();
    bool hasM = aType.getRank() >= 2, hasN = bType.getRank() >= 2;
    int64_t batchRank = resultType.getRank() - hasM - hasN;
    // Loops: batch..., [m], [n], k.
    unsigned numDims = batchRank + hasM + hasN + 1;
    AffineExpr k = getAffineDimExpr(numDims - 1, ctx);
    AffineExpr m = hasM ? getAffineDimExpr(batchRank, ctx) : AffineExpr();
    AffineExpr n = hasN ? getAffineDimExpr(batchRank + hasM, ctx) : AffineExpr();
    ArrayRef<int64_t> batchShape = resultType.getShape().take_front(batchRank);
    // Batch dims of an operand align to the right of the result's batch dims;
    // size-1 dims broadcast.
    auto batchExprs = [&](ArrayRef<int64_t> operandBatch) {
      SmallVector<AffineExpr> exprs;
      size_t offset = batchRank - operandBatch.size();
      for (size_t i = 0; i < operandBatch.size(); ++i)
        exprs.push_back(operandBatch[i] == 1 && batchShape[offset + i] != 1
                            ? getAffineConstantExpr(0, ctx)
                            : getAffineDimExpr(offset + i, ctx));
      return exprs;
    };
    SmallVector<AffineExpr> aExprs =
        batchExprs(hasM ? aType.getShape().drop_back(2) : ArrayRef<int64_t>());
    if (hasM)
      aExprs.push_back(m);
    aExprs.push_back(k);
    SmallVector<AffineExpr> bExprs =
        batchExprs(hasN ? bType.getShape().drop_back(2) : ArrayRef<int64_t>());
    bExprs.push_back(k);
    if (hasN)
      bExprs.push_back(n);
    SmallVector<AffineExpr> outExprs;
    for (int64_t i = 0; i < batchRank; ++i)
      outExprs.push_back(getAffineDimExpr(i, ctx));
    if (hasM)
      outExprs.push_back(m);
    if (hasN)
      outExprs.push_back(n);
    SmallVector<AffineMap> maps{AffineMap::get(numDims, 0, aExprs, ctx),
                                AffineMap::get(numDims, 0, bExprs, ctx),
                                AffineMap::get(numDims, 0, outExprs, ctx)};
    // f16/bf16 products are summed in f32 and rounded once, as numpy and
    // onnxruntime do: rounding every partial sum loses several ulps over k.
    Type elem = resultType.getElementType();
    bool widen = elem.isF16() || elem.isBF16();
    auto accType = widen ? RankedTensorType::get(resultType.getShape(), rewriter.getF32Type())
                         : resultType;
    Value init = lower::buildFilled(
        rewriter, loc, accType, lower::scalarConstant(rewriter, loc, accType.getElementType(), 0.0));
    Value result = buildContraction(rewriter, loc, adaptor.getA(), adaptor.getB(), init, maps);
    if (widen)
      result = lower::buildBroadcastElementwise(
          rewriter, loc, resultType, result, [&](OpBuilder &b, Location l, ValueRange args) {
            return Value(arith::TruncFOp::create(b, l, elem, args[0]));
          });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void onnxc::lower::populateContractionPatterns(const TypeConverter &converter,
                                            RewritePatternSet &patterns) {
  patterns.add<GemmLowering, MatMulLowering>(converter, patterns.getContext());
}
