//===- PromoteReductionAccumulators.cpp - accumulators into iter_args -----===//
//
// A reduction generic lowered to loops reads and writes its accumulator in memory on every
// step of the reduction loop:
//
//   affine.for %k { %a = affine.load %acc[%i]; %n = arith.addf %a, %x; affine.store %n, %acc[%i] }
//
// Each step then waits for the previous step's store to forward (about five cycles), and
// LLVM's vectorizer cannot see a reduction: once the workspace planner has made every buffer
// a view of one allocation, it cannot even prove the accumulator apart from the row it reads.
// Softmax, LayerNorm and pooling rows ran about one element per five cycles. This pass carries
// the accumulator in a loop iter_arg instead (load before the loop, store after it) and marks
// the combining operation `reassoc`, so LLVM vectorizes the reduction with vector partial sums,
// the order onnxruntime's kernels sum in too.
//
// Upstream's affine-scalrep forwards stores to loads within one iteration, and
// affine-parallelize only detects reductions to emit affine.parallel; neither moves a
// loop-carried memory accumulator into iter_args of a sequential loop.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace onnxc {
#define GEN_PASS_DEF_PROMOTEREDUCTIONACCUMULATORS
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace onnxc {
namespace {

/// The allocation or argument a memref is a view of.
Value rootOf(Value memref) {
  while (auto view = memref.getDefiningOp<ViewLikeOpInterface>())
    memref = view.getViewSource();
  return memref;
}

bool isFreshAllocation(Value root) {
  return root.getDefiningOp<memref::AllocOp>() || root.getDefiningOp<memref::AllocaOp>();
}

/// Whether nothing in `loop` other than `load` and `store` touches `root`'s memory: no other
/// access to it or a view of it, and every other write goes to a different allocation (a fresh
/// allocation aliases no other allocation and no argument).
bool onlyAccessesOfRoot(affine::AffineForOp loop, Value root, Operation *load, Operation *store) {
  WalkResult result = loop.getBody()->walk([&](Operation *op) {
    if (op == load || op == store)
      return WalkResult::advance();
    for (Value operand : op->getOperands())
      if (isa<MemRefType>(operand.getType()) && rootOf(operand) == root)
        return WalkResult::interrupt();
    auto effects = dyn_cast<MemoryEffectOpInterface>(op);
    if (!effects) {
      // Unknown effects (a call): only ops whose regions we walk anyway are fine.
      if (op->hasTrait<OpTrait::HasRecursiveMemoryEffects>() || isPure(op))
        return WalkResult::advance();
      return WalkResult::interrupt();
    }
    SmallVector<MemoryEffects::EffectInstance> instances;
    effects.getEffects(instances);
    for (auto &e : instances) {
      if (!isa<MemoryEffects::Write>(e.getEffect()))
        continue;
      Value written = e.getValue();
      if (!written || rootOf(written) == root)
        return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return !result.wasInterrupted();
}

/// A load/store pair at the top of `loop`'s body on the same loop-invariant element of a fresh
/// allocation, the load first, nothing else touching that allocation.
std::optional<std::pair<affine::AffineLoadOp, affine::AffineStoreOp>>
findAccumulator(affine::AffineForOp loop) {
  for (auto store : loop.getBody()->getOps<affine::AffineStoreOp>()) {
    Value root = rootOf(store.getMemRef());
    if (!isFreshAllocation(root))
      continue;
    auto invariant = [&](Value v) { return loop.isDefinedOutsideOfLoop(v); };
    if (!llvm::all_of(store.getMapOperands(), invariant) || !invariant(store.getMemRef()))
      continue;
    for (auto load : loop.getBody()->getOps<affine::AffineLoadOp>()) {
      if (load.getMemRef() != store.getMemRef() || load.getAffineMap() != store.getAffineMap() ||
          load.getMapOperands() != store.getMapOperands() || !load->isBeforeInBlock(store))
        continue;
      if (onlyAccessesOfRoot(loop, root, load, store))
        return std::make_pair(load, store);
    }
  }
  return std::nullopt;
}

/// Float combiners whose reduction LLVM vectorizes once reassociation is allowed.
void allowReassociation(Value combined, Value accumulator) {
  Operation *op = combined.getDefiningOp();
  if (!op || !llvm::is_contained(op->getOperands(), accumulator))
    return;
  if (!isa<arith::AddFOp, arith::MulFOp, arith::MaximumFOp, arith::MinimumFOp, arith::MaxNumFOp,
           arith::MinNumFOp>(op))
    return;
  auto fm = cast<arith::ArithFastMathInterface>(op);
  arith::FastMathFlags flags = fm.getFastMathFlagsAttr().getValue() | arith::FastMathFlags::reassoc;
  op->setAttr(fm.getFastMathAttrName(), arith::FastMathFlagsAttr::get(op->getContext(), flags));
}

/// Rewrites one accumulator of `loop`; returns the new loop, or null when there is none.
affine::AffineForOp promoteOne(IRRewriter &rw, affine::AffineForOp loop) {
  auto pair = findAccumulator(loop);
  if (!pair)
    return nullptr;
  auto [load, store] = *pair;
  rw.setInsertionPoint(loop);
  auto init = affine::AffineLoadOp::create(rw, load.getLoc(), load.getMemRef(),
                                           load.getAffineMap(), load.getMapOperands());
  Value stored = store.getValueToStore();
  auto newLoop = cast<affine::AffineForOp>(*loop.replaceWithAdditionalYields(
      rw, ValueRange{init.getResult()}, /*replaceInitOperandUsesInLoop=*/false,
      [&](OpBuilder &, Location, ArrayRef<BlockArgument>) {
        return SmallVector<Value>{stored};
      }));
  BlockArgument carried = newLoop.getRegionIterArgs().back();
  rw.replaceAllUsesWith(load.getResult(), carried);
  allowReassociation(stored, carried);
  rw.setInsertionPointAfter(newLoop);
  affine::AffineStoreOp::create(rw, store.getLoc(), newLoop.getResults().back(),
                                store.getMemRef(), store.getAffineMap(), store.getMapOperands());
  rw.eraseOp(store);
  rw.eraseOp(load);
  return newLoop;
}

struct PromoteReductionAccumulatorsPass
    : impl::PromoteReductionAccumulatorsBase<PromoteReductionAccumulatorsPass> {
  void runOnOperation() override {
    // Innermost loops first: once a row's loop carries its accumulator, the load and store it
    // left behind sit in the enclosing loop, which a second reduction dim promotes in turn.
    SmallVector<affine::AffineForOp> loops;
    getOperation().walk([&](affine::AffineForOp loop) { loops.push_back(loop); });
    IRRewriter rw(&getContext());
    for (affine::AffineForOp loop : loops)
      while (affine::AffineForOp next = promoteOne(rw, loop))
        loop = next;
  }
};

} // namespace
} // namespace onnxc
