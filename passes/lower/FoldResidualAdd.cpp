//===- FoldResidualAdd.cpp - residual adds become contraction inits -------===//
//
// y = f(conv(x) + skip), the residual connection of ResNets, MobileNetV2 and transformers:
// the add reads two whole activations and writes a third right after the contraction wrote
// one. A contraction accumulates onto its init (out = init + sum), so starting it from
// init + skip computes the same sum and the add disappears; the microkernels' epilogue adds C
// for free, and one-shot bufferization writes into skip's buffer in place when skip dies there
// (it copies skip first when skip lives on, which still saves the add's extra read).
//
// A bias added after a MatMul (PyTorch exports Linear as MatMul + Add) folds the same way: the
// init becomes the broadcast bias, which the microkernel pass turns into the kernel's bias.
//
// Upstream's elementwise fusion fuses a producer into its consumer; it has no transform that
// moves a consumer's operand into a producer's init, so this is written here.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace onnxc {
#define GEN_PASS_DEF_FOLDRESIDUALADD
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace onnxc {
namespace {

/// A contraction (some loop reduces) whose payload yields `init + term` with the init read
/// only there, so its result is init plus the reduction: changing the init adds to the result.
bool accumulatesOntoInit(linalg::GenericOp op) {
  if (op.getNumReductionLoops() == 0 || op.getNumDpsInits() != 1 || op->getNumResults() != 1)
    return false;
  Block &body = op.getRegion().front();
  BlockArgument out = body.getArgument(op.getNumDpsInputs());
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto sum = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  return sum && out.hasOneUse() && (sum.getLhs() == out || sum.getRhs() == out);
}

/// The contraction behind an operand of the add, possibly through one reshape, used by
/// nothing else.
struct Producer {
  linalg::GenericOp contraction;
  Operation *reshape; ///< A tensor.collapse_shape / expand_shape, or null.
};

std::optional<Producer> contractionBehind(Value v) {
  Operation *reshape = nullptr;
  if (!v.hasOneUse())
    return std::nullopt;
  if (auto c = v.getDefiningOp<tensor::CollapseShapeOp>()) {
    reshape = c;
    v = c.getSrc();
  } else if (auto e = v.getDefiningOp<tensor::ExpandShapeOp>()) {
    reshape = e;
    v = e.getSrc();
  }
  auto op = v.getDefiningOp<linalg::GenericOp>();
  if (!op || !v.hasOneUse() || !accumulatesOntoInit(op))
    return std::nullopt;
  return Producer{op, reshape};
}

bool isZeroFill(Value v) {
  auto fill = v.getDefiningOp<linalg::FillOp>();
  FloatAttr value;
  return fill && matchPattern(fill.getInputs()[0], m_Constant(&value)) &&
         value.getValue().isZero();
}

/// A generic that copies or broadcasts its only input into its whole init.
bool isBroadcastCopy(linalg::GenericOp op) {
  if (!op || op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      op.getNumReductionLoops() != 0 ||
      !op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity())
    return false;
  auto yield = cast<linalg::YieldOp>(op.getRegion().front().getTerminator());
  return yield.getOperand(0) == op.getRegion().front().getArgument(0);
}

/// init + skip, skip read through `skipMap` (identity for a whole activation, a broadcast for
/// a bias added after a MatMul). A whole skip is written into (so bufferization can reuse its
/// buffer); a bias broadcast init keeps its broadcast map; on a zero fill, a whole skip is just
/// skip and a broadcast one becomes a broadcast copy, which the microkernel pass then folds
/// into the kernel's epilogue as its bias.
Value initPlusSkip(PatternRewriter &rw, Location loc, Value init, Value skip, AffineMap skipMap,
                   RankedTensorType type) {
  AffineMap identity = rw.getMultiDimIdentityMap(type.getRank());
  bool wholeSkip = skipMap.isIdentity();
  SmallVector<Value> ins;
  SmallVector<AffineMap> maps;
  if (!isZeroFill(init)) {
    Value input = init;
    AffineMap inputMap = identity;
    if (auto broadcast = init.getDefiningOp<linalg::GenericOp>(); isBroadcastCopy(broadcast)) {
      input = broadcast.getDpsInputOperand(0)->get();
      inputMap = broadcast.getIndexingMapsArray()[0];
    }
    ins.push_back(input);
    maps.push_back(inputMap);
  } else if (wholeSkip) {
    return skip;
  }
  // A whole skip is the destination (its block argument one of the terms); a broadcast one
  // is read like the init, into a fresh tensor.
  Value out = skip;
  if (!wholeSkip) {
    ins.push_back(skip);
    maps.push_back(skipMap);
    out = tensor::EmptyOp::create(rw, loc, type.getShape(), type.getElementType());
  }
  maps.push_back(identity);
  size_t terms = ins.size() + (wholeSkip ? 1 : 0);
  SmallVector<utils::IteratorType> parallel(type.getRank(), utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             rw, loc, TypeRange{type}, ins, ValueRange{out}, maps, parallel,
             [terms](OpBuilder &b, Location l, ValueRange args) {
               Value sum = args[0];
               for (size_t i = 1; i < terms; ++i)
                 sum = arith::AddFOp::create(b, l, sum, args[i]);
               linalg::YieldOp::create(b, l, sum);
             })
      .getResult(0);
}

struct FoldResidualIntoInit : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp add, PatternRewriter &rw) const override {
    if (add.getNumReductionLoops() != 0 || add.getNumDpsInits() != 1 || add->getNumResults() != 1)
      return failure();
    auto type = dyn_cast<RankedTensorType>(add->getResult(0).getType());
    if (!type || !type.hasStaticShape() || !isa<FloatType>(type.getElementType()))
      return failure();
    Block &body = add.getRegion().front();
    auto wholeInput = [&](OpOperand *operand) {
      return add.getMatchingIndexingMap(operand).isIdentity() && operand->get().getType() == type;
    };
    // A term broadcast along some dims (a bias after a MatMul), when the add's loops are the
    // contraction's output dims (no reshape between them, identity output map).
    bool identityOut = add.getMatchingIndexingMap(add.getDpsInitOperand(0)).isIdentity();
    auto broadcastInput = [&](OpOperand *operand, const Producer &producer) {
      AffineMap map = add.getMatchingIndexingMap(operand);
      return identityOut && !producer.reshape && map.isProjectedPermutation() &&
             map.getNumResults() < map.getNumDims();
    };
    for (OpOperand *c : add.getDpsInputOperands()) {
      if (!wholeInput(c))
        continue;
      auto producer = contractionBehind(c->get());
      BlockArgument argC = body.getArgument(c->getOperandNumber());
      if (!producer || !argC.hasOneUse())
        continue;
      // Follow the chain of additions from the contraction's value to a term that is another
      // whole input (the skip) or, with no reshape in between, a broadcast one (a bias).
      Value partial = argC;
      Operation *user = *argC.getUsers().begin();
      while (auto sum = dyn_cast<arith::AddFOp>(user)) {
        Value other = sum.getLhs() == partial ? sum.getRhs() : sum.getLhs();
        auto arg = dyn_cast<BlockArgument>(other);
        if (arg && arg.getOwner() == &body && arg.getArgNumber() < add.getNumDpsInputs() &&
            arg != argC) {
          OpOperand *term = add.getDpsInputOperand(arg.getArgNumber());
          if (wholeInput(term) || broadcastInput(term, *producer)) {
            rewrite(rw, add, c, *producer, sum, partial, term->get(),
                    add.getMatchingIndexingMap(term));
            return success();
          }
        }
        if (!sum->hasOneUse())
          break;
        partial = sum.getResult();
        user = *sum->getUsers().begin();
      }
    }
    return failure();
  }

  /// Builds, before `add`: skip reshaped like the contraction, init + skip, the contraction
  /// on that init and the reshape back; then `sum` (partial + skip) becomes `partial`.
  static void rewrite(PatternRewriter &rw, linalg::GenericOp add, OpOperand *c,
                      const Producer &producer, arith::AddFOp sum, Value partial, Value skip,
                      AffineMap skipMap) {
    Location loc = add.getLoc();
    rw.setInsertionPoint(add);
    linalg::GenericOp contraction = producer.contraction;
    Value skipShaped = skip;
    if (auto collapse = dyn_cast_or_null<tensor::CollapseShapeOp>(producer.reshape))
      skipShaped = tensor::ExpandShapeOp::create(rw, loc, collapse.getSrcType(), skip,
                                                 collapse.getReassociationIndices());
    else if (auto expand = dyn_cast_or_null<tensor::ExpandShapeOp>(producer.reshape))
      skipShaped = tensor::CollapseShapeOp::create(rw, loc, expand.getSrcType(), skip,
                                                   expand.getReassociationIndices());
    OpOperand *init = contraction.getDpsInitOperand(0);
    Value newInit = initPlusSkip(rw, loc, init->get(), skipShaped, skipMap,
                                 cast<RankedTensorType>(init->get().getType()));
    Operation *newContraction = rw.clone(*contraction);
    newContraction->setOperand(init->getOperandNumber(), newInit);
    Value result = newContraction->getResult(0);
    if (producer.reshape) {
      Operation *reshape = rw.clone(*producer.reshape);
      reshape->setOperand(0, result);
      result = reshape->getResult(0);
    }
    rw.modifyOpInPlace(add, [&] {
      c->set(result);
      sum.getResult().replaceAllUsesWith(partial);
    });
    rw.eraseOp(sum);
    if (producer.reshape && producer.reshape->use_empty())
      rw.eraseOp(producer.reshape);
    if (contraction->use_empty())
      rw.eraseOp(contraction);
  }
};

struct FoldResidualAddPass : impl::FoldResidualAddBase<FoldResidualAddPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldResidualIntoInit>(&getContext());
    // The skip operand the add no longer reads goes, so a remaining Relu has one input and
    // folds into the microkernel's epilogue.
    linalg::populateEraseUnusedOperandsAndResultsPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace onnxc
