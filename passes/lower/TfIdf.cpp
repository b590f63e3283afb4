//===- TfIdf.cpp - TfIdfVectorizer over an integer pool -------------------===//
//
// The pool is known at compile time, so each of its n-grams becomes its own
// counting loop (unrolled over the pool and skip distances): for skip
// distance d, an n-gram matches at start s when X[s + d*j] == gram[j] for all
// j. As in the reference, unigrams are counted once (d = 1 only) and only
// n-grams of length [min_gram_length, max_gram_length] count. Counts land in
// their ngram_indexes column, then the mode weights them.
//
//===----------------------------------------------------------------------===//
#include "passes/lower/LoweringUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace onnxc;

namespace {

struct Gram {
  SmallVector<int64_t> items;
  int64_t column;
};

struct TfIdfLowering : OpConversionPattern<onnx::TfIdfVectorizerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::TfIdfVectorizerOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto outType = lower::signlessType(op.getType());
    Value x = adaptor.getX();
    auto xType = cast<RankedTensorType>(x.getType());
    int64_t rows = xType.getRank() == 2 ? xType.getDimSize(0) : 1, width = xType.getShape().back();
    int64_t outSize = outType.getShape().back();
    x = lower::reshapeTo(rewriter, loc, x, RankedTensorType::get({rows, width}, xType.getElementType()));
    Type xElem = xType.getElementType();

    // The pool's n-grams of counted lengths, with their output columns.
    SmallVector<int64_t> counts = onnx::getI64s(op.getNgramCounts()), pool = onnx::getI64s(op.getPoolInt64s()),
                         columns = onnx::getI64s(op.getNgramIndexes());
    int64_t minLen = op.getMinGramLength(), maxLen = op.getMaxGramLength(), maxSkip = op.getMaxSkipCount();
    SmallVector<Gram> grams;
    int64_t id = 0;
    for (size_t i = 0; i < counts.size(); ++i) {
      int64_t len = static_cast<int64_t>(i) + 1;
      int64_t begin = counts[i], end = i + 1 < counts.size() ? counts[i + 1] : static_cast<int64_t>(pool.size());
      for (int64_t g = begin; g + len <= end; g += len, ++id)
        if (len >= minLen && len <= maxLen)
          grams.push_back({SmallVector<int64_t>(pool.begin() + g, pool.begin() + g + len), columns[id]});
    }

    Type f32 = rewriter.getF32Type(), i64 = rewriter.getI64Type();
    auto countsType = RankedTensorType::get({rows, outSize}, f32);
    Value freq = lower::buildFilled(rewriter, loc, countsType, lower::scalarConstant(rewriter, loc, f32, 0.0));
    auto idx = [](OpBuilder &b, Location l, int64_t v) { return Value(arith::ConstantIndexOp::create(b, l, v)); };
    if (rows > 0 && !grams.empty()) {
      auto rowLoop = scf::ForOp::create(
          rewriter, loc, idx(rewriter, loc, 0), idx(rewriter, loc, rows), idx(rewriter, loc, 1), ValueRange{freq},
          [&](OpBuilder &b, Location l, Value r, ValueRange it) {
            Value acc = it[0];
            for (const Gram &gram : grams) {
              int64_t len = static_cast<int64_t>(gram.items.size());
              Value total = arith::ConstantOp::create(b, l, b.getI64IntegerAttr(0));
              for (int64_t d = 1; d <= (len == 1 ? 1 : maxSkip + 1); ++d) {
                int64_t starts = width - d * (len - 1);
                if (starts <= 0)
                  break;
                auto startLoop = scf::ForOp::create(
                    b, l, idx(b, l, 0), idx(b, l, starts), idx(b, l, 1), ValueRange{total},
                    [&](OpBuilder &b, Location l, Value s, ValueRange sum) {
                      Value match;
                      for (int64_t j = 0; j < len; ++j) {
                        Value pos = arith::AddIOp::create(b, l, s, idx(b, l, d * j));
                        Value v = tensor::ExtractOp::create(b, l, x, ValueRange{r, pos});
                        Value want = arith::ConstantOp::create(b, l, b.getIntegerAttr(xElem, gram.items[j]));
                        Value eq = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, v, want);
                        match = match ? Value(arith::AndIOp::create(b, l, match, eq)) : eq;
                      }
                      Value inc = arith::ExtUIOp::create(b, l, i64, match);
                      scf::YieldOp::create(b, l, Value(arith::AddIOp::create(b, l, sum[0], inc)));
                    });
                total = startLoop.getResult(0);
              }
              Value col = idx(b, l, gram.column);
              Value old = tensor::ExtractOp::create(b, l, acc, ValueRange{r, col});
              Value add = arith::SIToFPOp::create(b, l, f32, total);
              acc = tensor::InsertOp::create(b, l, arith::AddFOp::create(b, l, old, add), acc, ValueRange{r, col});
            }
            scf::YieldOp::create(b, l, acc);
          });
      freq = rowLoop.getResult(0);
    }

    // Weighting: TF keeps counts; IDF gives the column's weight where the
    // count is positive; TFIDF multiplies (weights default to 1).
    StringRef mode = op.getMode();
    SmallVector<float> weights(outSize, 1.0f);
    if (auto w = op.getWeights())
      for (auto [i, a] : llvm::enumerate(*w))
        weights[i] = static_cast<float>(cast<FloatAttr>(a).getValueAsDouble());
    auto weightsType = RankedTensorType::get({1, outSize}, f32);
    Value weightTable = arith::ConstantOp::create(rewriter, loc, DenseFPElementsAttr::get(weightsType, ArrayRef(weights)));
    Value weighted = lower::buildBroadcastElementwise(
        rewriter, loc, countsType, ValueRange{freq, weightTable}, [&](OpBuilder &b, Location l, ValueRange a) {
          if (mode == "TF")
            return a[0];
          if (mode == "TFIDF")
            return Value(arith::MulFOp::create(b, l, a[0], a[1]));
          Value zero = arith::ConstantOp::create(b, l, b.getF32FloatAttr(0.0f));
          Value seen = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, a[0], zero);
          return Value(arith::SelectOp::create(b, l, seen, a[1], zero));
        });
    rewriter.replaceOp(op, lower::reshapeTo(rewriter, loc, weighted, outType));
    return success();
  }
};

} // namespace

void onnxc::lower::populateTfIdfPatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<TfIdfLowering>(converter, patterns.getContext());
}
