//===- TreeEnsemble.cpp - ai.onnx.ml TreeEnsemble as table walks ----------===//
//
// The ensemble's nodes and leaves become constant tables; each sample walks
// each tree with an scf.while from its root until it reaches a leaf. A branch
// code >= 0 is the next node, a code < 0 is leaf -(code + 1). Every mode's
// comparison is computed and the node's mode selects one (cheaper than a
// switch for seven modes). MEMBER nodes scan their slice of the members table
// (zero iterations for other nodes). Tables keep the code size independent of
// the number of nodes (scikit-learn ensembles have thousands).
//
//===----------------------------------------------------------------------===//
#include "passes/lower/LoweringUtils.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <cmath>

using namespace mlir;
using namespace onnxc;

namespace {

using P = arith::CmpFPredicate;

Value table(OpBuilder &b, Location l, ArrayRef<int64_t> values) {
  SmallVector<int64_t> padded(values);
  if (padded.empty())
    padded.push_back(0);
  auto type = RankedTensorType::get({static_cast<int64_t>(padded.size())}, b.getI64Type());
  return arith::ConstantOp::create(b, l, DenseIntElementsAttr::get(type, ArrayRef(padded)));
}

Value table(OpBuilder &b, Location l, ArrayRef<double> values, FloatType t) {
  SmallVector<APFloat> padded;
  for (double v : values) {
    APFloat f(v);
    bool lost;
    f.convert(t.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
    padded.push_back(f);
  }
  if (padded.empty())
    padded.push_back(APFloat::getZero(t.getFloatSemantics()));
  auto type = RankedTensorType::get({static_cast<int64_t>(padded.size())}, t);
  return arith::ConstantOp::create(b, l, DenseFPElementsAttr::get(type, padded));
}

Value at(OpBuilder &b, Location l, Value tensor, Value i) {
  return tensor::ExtractOp::create(b, l, tensor, ValueRange{i});
}
Value asIndex(OpBuilder &b, Location l, Value v) { return arith::IndexCastOp::create(b, l, b.getIndexType(), v); }
Value cIdx(OpBuilder &b, Location l, int64_t v) { return arith::ConstantIndexOp::create(b, l, v); }
Value cI64(OpBuilder &b, Location l, int64_t v) { return arith::ConstantOp::create(b, l, b.getI64IntegerAttr(v)); }

struct TreeEnsembleLowering : OpConversionPattern<onnx::TreeEnsembleOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(onnx::TreeEnsembleOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto outType = lower::signlessType(op.getType());
    auto t = cast<FloatType>(outType.getElementType());
    Value x = adaptor.getX();
    int64_t rows = outType.getDimSize(0);
    // Branch codes: node ids as they are, leaves as -(id + 1).
    auto codes = [](ArrayRef<int64_t> ids, ArrayRef<int64_t> leafs) {
      SmallVector<int64_t> out;
      for (auto [id, leaf] : llvm::zip(ids, leafs))
        out.push_back(leaf ? -(id + 1) : id);
      return out;
    };
    SmallVector<int64_t> trueCodes = codes(op.getNodesTruenodeids(), op.getNodesTrueleafs());
    SmallVector<int64_t> falseCodes = codes(op.getNodesFalsenodeids(), op.getNodesFalseleafs());
    // A root whose both branches are the same leaf is that leaf.
    SmallVector<int64_t> rootCodes;
    for (int64_t r : op.getTreeRoots())
      rootCodes.push_back(op.getNodesTrueleafs()[r] && op.getNodesFalseleafs()[r] &&
                                  op.getNodesTruenodeids()[r] == op.getNodesFalsenodeids()[r]
                              ? -(op.getNodesTruenodeids()[r] + 1)
                              : r);
    // Each MEMBER node's [start, start + count) slice of the members table.
    SmallVector<int64_t> memberStart, memberCount;
    SmallVector<double> members;
    ArrayRef<double> values = op.getMembershipValues();
    size_t cursor = 0;
    for (int64_t mode : op.getNodesModes()) {
      memberStart.push_back(static_cast<int64_t>(members.size()));
      int64_t count = 0;
      if (mode == 6) {
        for (; cursor < values.size() && !std::isnan(values[cursor]); ++cursor, ++count)
          members.push_back(values[cursor]);
        ++cursor; // the NaN ending the set
      }
      memberCount.push_back(count);
    }
    int64_t aggregate = static_cast<int64_t>(op.getAggregateFunction());
    int64_t numTrees = static_cast<int64_t>(rootCodes.size());

    Value features = table(rewriter, loc, op.getNodesFeatureids()), modes = table(rewriter, loc, op.getNodesModes()),
          splits = table(rewriter, loc, op.getNodesSplits(), t), trues = table(rewriter, loc, trueCodes),
          falses = table(rewriter, loc, falseCodes), missing = table(rewriter, loc, op.getNodesMissingValueTracksTrue()),
          roots = table(rewriter, loc, rootCodes), leafTargets = table(rewriter, loc, op.getLeafTargetids()),
          leafWeights = table(rewriter, loc, op.getLeafWeights(), t), memberValues = table(rewriter, loc, members, t),
          starts = table(rewriter, loc, memberStart), counts = table(rewriter, loc, memberCount);

    const llvm::fltSemantics &sem = t.getFloatSemantics();
    double initValue = aggregate == 2 ? APFloat::getLargest(sem).convertToDouble()
                       : aggregate == 3 ? APFloat::getLargest(sem, /*Negative=*/true).convertToDouble()
                                        : 0.0;
    Value result = lower::buildFilled(rewriter, loc, outType, lower::scalarConstant(rewriter, loc, t, initValue));
    if (rows == 0 || numTrees == 0) {
      rewriter.replaceOp(op, result);
      return success();
    }
    auto rowLoop = scf::ForOp::create(
        rewriter, loc, cIdx(rewriter, loc, 0), cIdx(rewriter, loc, rows), cIdx(rewriter, loc, 1), ValueRange{result},
        [&](OpBuilder &b, Location l, Value row, ValueRange rowIt) {
          auto treeLoop = scf::ForOp::create(
              b, l, cIdx(b, l, 0), cIdx(b, l, numTrees), cIdx(b, l, 1), ValueRange{rowIt[0]},
              [&](OpBuilder &b, Location l, Value tree, ValueRange treeIt) {
                Value start = at(b, l, roots, tree);
                auto walk = scf::WhileOp::create(
                    b, l, TypeRange{b.getI64Type()}, ValueRange{start},
                    [&](OpBuilder &b, Location l, ValueRange args) {
                      Value inside = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, args[0], cI64(b, l, 0));
                      scf::ConditionOp::create(b, l, inside, args);
                    },
                    [&](OpBuilder &b, Location l, ValueRange args) {
                      Value node = asIndex(b, l, args[0]);
                      Value v = tensor::ExtractOp::create(b, l, x, ValueRange{row, asIndex(b, l, at(b, l, features, node))});
                      Value split = at(b, l, splits, node);
                      Value mode = at(b, l, modes, node);
                      // Set membership: any member equal (none for other modes).
                      Value first = asIndex(b, l, at(b, l, starts, node));
                      Value last = arith::AddIOp::create(b, l, first, asIndex(b, l, at(b, l, counts, node)));
                      auto scan = scf::ForOp::create(
                          b, l, first, last, cIdx(b, l, 1), ValueRange{Value(arith::ConstantOp::create(b, l, b.getBoolAttr(false)))},
                          [&](OpBuilder &b, Location l, Value m, ValueRange found) {
                            Value eq = arith::CmpFOp::create(b, l, P::OEQ, v, at(b, l, memberValues, m));
                            scf::YieldOp::create(b, l, Value(arith::OrIOp::create(b, l, found[0], eq)));
                          });
                      // Modes 0..6 in order; NEQ is unordered (NaN != s holds).
                      Value outcome = scan.getResult(0);
                      const P preds[] = {P::OLE, P::OLT, P::OGE, P::OGT, P::OEQ, P::UNE};
                      for (int64_t m = 5; m >= 0; --m) {
                        Value isMode = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, mode, cI64(b, l, m));
                        Value cmp = arith::CmpFOp::create(b, l, preds[m], v, split);
                        outcome = arith::SelectOp::create(b, l, isMode, cmp, outcome);
                      }
                      Value isNan = arith::CmpFOp::create(b, l, P::UNO, v, v);
                      Value tracks = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, at(b, l, missing, node), cI64(b, l, 0));
                      outcome = arith::OrIOp::create(b, l, outcome, arith::AndIOp::create(b, l, isNan, tracks));
                      Value next = arith::SelectOp::create(b, l, outcome, at(b, l, trues, node), at(b, l, falses, node));
                      scf::YieldOp::create(b, l, next);
                    });
                Value code = walk.getResult(0);
                Value leaf = asIndex(b, l, arith::SubIOp::create(b, l, cI64(b, l, -1), code));
                Value target = asIndex(b, l, at(b, l, leafTargets, leaf));
                Value weight = at(b, l, leafWeights, leaf);
                Value old = tensor::ExtractOp::create(b, l, treeIt[0], ValueRange{row, target});
                Value combined;
                if (aggregate == 2)
                  combined = arith::MinimumFOp::create(b, l, old, weight);
                else if (aggregate == 3)
                  combined = arith::MaximumFOp::create(b, l, old, weight);
                else {
                  if (aggregate == 0) // AVERAGE adds each weight divided by the tree count.
                    weight = arith::DivFOp::create(b, l, weight, lower::scalarConstant(b, l, t, double(numTrees)));
                  combined = arith::AddFOp::create(b, l, old, weight);
                }
                scf::YieldOp::create(b, l, Value(tensor::InsertOp::create(b, l, combined, treeIt[0], ValueRange{row, target})));
              });
          scf::YieldOp::create(b, l, treeLoop.getResults());
        });
    rewriter.replaceOp(op, rowLoop.getResult(0));
    return success();
  }
};

} // namespace

void onnxc::lower::populateTreeEnsemblePatterns(const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns.add<TreeEnsembleLowering>(converter, patterns.getContext());
}
