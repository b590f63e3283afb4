//===- UKernelFusion.cpp - folding neighbours into microkernel calls ------===//
#include "passes/cpu/UKernelFusion.h"

#include "passes/cpu/UKernelSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include <limits>

using namespace mlir;

namespace onnxc::ukernel {
namespace {

bool isViewOp(Operation *op) {
  return isa<memref::ExpandShapeOp, memref::CollapseShapeOp, memref::SubViewOp, memref::CastOp>(op);
}

/// The buffer a chain of views starts from.
Value rootOf(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (!isViewOp(def))
      break;
    v = cast<ViewLikeOpInterface>(def).getViewSource();
  }
  return v;
}

/// Whether `op` (or an op nested in it) has an operand in the buffer `root`.
bool touches(Operation *op, Value root) {
  bool found = false;
  op->walk([&](Operation *inner) {
    for (Value v : inner->getOperands())
      if (isa<MemRefType>(v.getType()) && rootOf(v) == root)
        found = true;
  });
  return found;
}

/// Every non-view user of `root` and of the views derived from it.
SmallVector<Operation *> usersThroughViews(Value root) {
  SmallVector<Operation *> users;
  SmallVector<Value> worklist{root};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (Operation *user : v.getUsers()) {
      if (isViewOp(user) && cast<ViewLikeOpInterface>(user).getViewSource() == v)
        worklist.append(user->result_begin(), user->result_end());
      else
        users.push_back(user);
    }
  }
  return users;
}

bool isDenseIdentity(Value v) {
  auto type = dyn_cast<MemRefType>(v.getType());
  return type && type.hasStaticShape() && type.getLayout().isIdentity();
}

/// `a` and `b` are the same elements: one value, or equal dense views of one buffer
/// (unshareViews gives every user its own copy of a view).
bool sameBuffer(Value a, Value b) {
  return a == b || (a.getType() == b.getType() && isDenseIdentity(a) && rootOf(a) == rootOf(b));
}

bool yieldsConstant(Block &body, double expected) {
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  FloatAttr attr;
  return yield.getNumOperands() == 1 && matchPattern(yield.getOperand(0), m_Constant(&attr)) &&
         attr.getValueAsDouble() == expected;
}

/// A linalg op that writes every element of `root` through its only init and
/// reads nothing of `root`: whatever `root` held before is dead there.
bool overwritesAll(Operation *op, Value root) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !linalgOp.hasPureBufferSemantics() || linalgOp.getNumDpsInits() != 1 ||
      linalgOp.getNumReductionLoops() != 0)
    return false;
  OpOperand *init = linalgOp.getDpsInitOperand(0);
  auto initType = dyn_cast<MemRefType>(init->get().getType());
  auto rootType = dyn_cast<MemRefType>(root.getType());
  if (rootOf(init->get()) != root || !initType || !rootType || !isDenseIdentity(init->get()) ||
      initType.getNumElements() != rootType.getNumElements() ||
      linalgOp.payloadUsesValueFromOperand(init) ||
      !linalgOp.getMatchingIndexingMap(init).isPermutation())
    return false;
  for (OpOperand *input : linalgOp.getDpsInputOperands())
    if (rootOf(input->get()) == root)
      return false;
  return true;
}

/// The earliest of `ops`, all in one block.
Operation *firstInBlock(ArrayRef<Operation *> ops) {
  return *llvm::min_element(ops, [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
}

} // namespace

bool isConstantFill(Operation *op, Value buffer, double value) {
  if (auto fill = dyn_cast<linalg::FillOp>(op)) {
    FloatAttr attr;
    return sameBuffer(fill.getOutputs()[0], buffer) &&
           matchPattern(fill.getInputs()[0], m_Constant(&attr)) &&
           attr.getValueAsDouble() == value;
  }
  if (auto map = dyn_cast<linalg::MapOp>(op))
    return map.getInputs().empty() && sameBuffer(map.getInit(), buffer) &&
           yieldsConstant(map.getMapper().front(), value);
  return false;
}

std::optional<PaddedInput> matchPaddedInput(Value convInput, double padValue,
                                            Operation *conv) {
  Value padded = rootOf(convInput);
  auto alloc = padded.getDefiningOp<memref::AllocOp>();
  if (!alloc)
    return std::nullopt;
  PaddedInput result;
  memref::SubViewOp interior;
  // The one op that reads the padded buffer: the convolution through its view, or the
  // given consumer (pooling), which may read the buffer itself.
  if (!conv) {
    if (!convInput.hasOneUse())
      return std::nullopt;
    conv = *convInput.getUsers().begin();
  }
  for (Operation *user : padded.getUsers()) {
    if (user == convInput.getDefiningOp() || user == conv)
      continue;
    if (isConstantFill(user, padded, padValue)) {
      result.deadOps.push_back(user);
    } else if (auto sub = dyn_cast<memref::SubViewOp>(user); sub && !interior) {
      interior = sub;
    } else {
      return std::nullopt;
    }
  }
  if (!interior || result.deadOps.size() != 1 || !interior->hasOneUse())
    return std::nullopt;
  auto copy = dyn_cast<memref::CopyOp>(*interior->getUsers().begin());
  if (!copy || copy.getTarget() != interior.getResult() || !isDenseIdentity(copy.getSource()))
    return std::nullopt;
  auto source = cast<MemRefType>(copy.getSource().getType());
  ArrayRef<int64_t> offsets = interior.getStaticOffsets();
  if (source.getRank() != 4 || offsets.size() != 4 || offsets[0] != 0 || offsets[1] != 0 ||
      llvm::any_of(interior.getStaticStrides(), [](int64_t s) { return s != 1; }) ||
      ShapedType::isDynamic(offsets[2]) || ShapedType::isDynamic(offsets[3]))
    return std::nullopt;
  // Only the padded view is read from here on; the fill and copy ran before.
  if (!copy->isBeforeInBlock(conv) ||
      !result.deadOps[0]->isBeforeInBlock(conv))
    return std::nullopt;
  // The kernel reads the source where the copy did: nothing in between may write it (the
  // buffer may be reused in place, even for the convolution's own output).
  Value sourceRoot = rootOf(copy.getSource());
  for (Operation *user : usersThroughViews(sourceRoot)) {
    Operation *top = user;
    while (top->getBlock() != conv->getBlock())
      top = top->getParentOp();
    if (top == conv) {
      if (auto dps = dyn_cast<DestinationStyleOpInterface>(conv);
          dps && llvm::any_of(dps.getDpsInits(), [&](Value v) { return rootOf(v) == sourceRoot; }))
        return std::nullopt;
      continue;
    }
    if (copy->isBeforeInBlock(top) && top->isBeforeInBlock(conv))
      return std::nullopt;
  }
  result.source = copy.getSource();
  result.padT = offsets[2];
  result.padL = offsets[3];
  result.deadOps.push_back(copy);
  return result;
}

Operation *lastTouching(Operation *consumer, Value buffer) {
  Value root = rootOf(buffer);
  Operation *prev = consumer->getPrevNode();
  while (prev && (isViewOp(prev) || !touches(prev, root)))
    prev = prev->getPrevNode();
  return prev;
}

std::optional<BiasInit> matchBiasInit(Operation *consumer, Value out,
                                      ArrayRef<unsigned> channelDims) {
  // Other ops may sit between the init and its kernel: in a ResNet block the residual init
  // (skip + bias, onnxc-fold-residual-add) lands before the block's other convolutions, and
  // left unmatched it cost a pass over the skip tensor per block (2% of ResNet-50).
  Operation *prev = lastTouching(consumer, out);
  // A zero fill is an init too: the kernel overwrites instead of accumulating onto it.
  if (prev && isConstantFill(prev, out, 0.0))
    return BiasInit{Value(), prev};
  auto init = dyn_cast_or_null<linalg::GenericOp>(prev);
  if (!init || init.getNumDpsInputs() != 1 || init.getNumDpsInits() != 1 ||
      !sameBuffer(init.getDpsInitOperand(0)->get(), out) || init.getNumReductionLoops() != 0)
    return std::nullopt;
  Block &body = init.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  Value in = body.getArgument(0), old = body.getArgument(1);
  bool accumulate = false;
  if (auto sum = yield.getOperand(0).getDefiningOp<arith::AddFOp>())
    accumulate = (sum.getLhs() == in && sum.getRhs() == old) ||
                 (sum.getLhs() == old && sum.getRhs() == in);
  if ((yield.getOperand(0) != in && !accumulate) || !init.getIndexingMapsArray()[1].isIdentity())
    return std::nullopt;
  Value bias = init.getDpsInputOperand(0)->get();
  auto biasType = dyn_cast<MemRefType>(bias.getType());
  AffineMap map = init.getIndexingMapsArray()[0];
  if (!biasType || !biasType.getElementType().isF32() || !isDenseIdentity(bias) ||
      map.getNumResults() != channelDims.size())
    return std::nullopt;
  for (auto [expr, dim] : llvm::zip(map.getResults(), channelDims)) {
    auto d = dyn_cast<AffineDimExpr>(expr);
    if (!d || d.getPosition() != dim)
      return std::nullopt;
  }
  // The kernel reads the bias where `consumer` is: nothing in between may write it.
  Value biasRoot = rootOf(bias);
  for (Operation *op = init->getNextNode(); op != consumer; op = op->getNextNode())
    if (touches(op, biasRoot))
      return std::nullopt;
  return BiasInit{bias, init, accumulate};
}

std::optional<Activation> matchActivation(Operation *producer, Value out,
                                          ArrayRef<Operation *> allowedUsers) {
  Operation *next = producer->getNextNode();
  while (next && (isViewOp(next) || isa<memref::AllocOp>(next)))
    next = next->getNextNode();
  auto act = dyn_cast_or_null<linalg::GenericOp>(next);
  if (!act || act.getNumDpsInputs() != 1 || act.getNumDpsInits() != 1 ||
      act.getNumReductionLoops() != 0 ||
      !llvm::all_of(act.getIndexingMapsArray(), [](AffineMap m) { return m.isIdentity(); }))
    return std::nullopt;
  Value input = act.getDpsInputOperand(0)->get(), result = act.getDpsInitOperand(0)->get();
  if (rootOf(input) != rootOf(out) || !isDenseIdentity(input) ||
      input.getType() != result.getType() ||
      cast<MemRefType>(input.getType()).getNumElements() !=
          cast<MemRefType>(out.getType()).getNumElements())
    return std::nullopt;
  // clamp(x) as max(x, lo) and optionally min(., hi); Relu is max(x, 0).
  Block &body = act.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  float inf = std::numeric_limits<float>::infinity();
  Activation found{-inf, inf, act, input, nullptr};
  Value v = yield.getOperand(0);
  FloatAttr bound;
  if (auto mn = v.getDefiningOp<arith::MinimumFOp>()) {
    if (!matchPattern(mn.getRhs(), m_Constant(&bound)))
      return std::nullopt;
    found.hi = bound.getValueAsDouble();
    v = mn.getLhs();
  }
  if (auto mx = v.getDefiningOp<arith::MaximumFOp>()) {
    if (!matchPattern(mx.getRhs(), m_Constant(&bound)))
      return std::nullopt;
    found.lo = bound.getValueAsDouble();
    v = mx.getLhs();
  }
  if (v != body.getArgument(0) || (found.lo == -inf && found.hi == inf) ||
      body.getOperations().size() > 3)
    return std::nullopt;
  // The kernel's output replaces the activation's buffer for the rest of that buffer's
  // lifetime: the uses of `result` after the activation up to the first op that overwrites all
  // of it (bufferization reuses dead buffers in place, so a later value may live there) are
  // redirected to `input`. Around that, both buffers may have other users: before the producer
  // (for `out`) or the activation (for the result) they are done with them; later ones must
  // come after the last redirected use and start by overwriting the whole buffer, as they
  // would otherwise see contents that are no longer there.
  auto topIn = [&](Operation *op) {
    while (op->getBlock() != act->getBlock())
      op = op->getParentOp();
    return op;
  };
  if (producer->getBlock() != act->getBlock())
    return std::nullopt;
  Value resultRoot = rootOf(result);
  if (!resultRoot.getDefiningOp<memref::AllocOp>())
    return std::nullopt;
  SmallVector<Operation *> resultUses;
  for (Operation *user : usersThroughViews(result))
    if (Operation *top = topIn(user); act->isBeforeInBlock(top))
      resultUses.push_back(top);
  llvm::sort(resultUses, [](Operation *x, Operation *y) { return x->isBeforeInBlock(y); });
  Operation *lastUse = act;
  for (Operation *use : resultUses) {
    if (overwritesAll(use, resultRoot)) {
      found.lifetimeEnd = use;
      break;
    }
    lastUse = use;
  }
  auto redirected = [&](Operation *top) {
    return act->isBeforeInBlock(top) &&
           (!found.lifetimeEnd || top->isBeforeInBlock(found.lifetimeEnd));
  };
  // A redirected view must not be read in the buffer's next lifetime (CSE merges identical
  // views of one buffer across lifetimes).
  for (Operation *user : result.getUsers())
    if (redirected(topIn(user)) && isViewOp(user))
      for (Operation *viewUser : usersThroughViews(user->getResult(0)))
        if (!redirected(topIn(viewUser)))
          return std::nullopt;
  // The users of `root`'s views, less the redirected uses of `result` and `ignore`, from
  // `from` on: all after lastUse, the first overwriting the whole buffer.
  auto laterUsersOk = [&](Value root, Operation *from, ArrayRef<Operation *> ignore) {
    SmallVector<Operation *> later;
    SmallVector<Value> views{root};
    while (!views.empty()) {
      Value v = views.pop_back_val();
      for (Operation *user : v.getUsers()) {
        Operation *top = topIn(user);
        if (v == result && redirected(top))
          continue;
        if (isViewOp(user) && cast<ViewLikeOpInterface>(user).getViewSource() == v) {
          views.append(user->result_begin(), user->result_end());
          continue;
        }
        if (user == act.getOperation() || llvm::is_contained(ignore, user) ||
            isa<memref::ExtractAlignedPointerAsIndexOp, memref::ExtractStridedMetadataOp>(user) ||
            top->isBeforeInBlock(from))
          continue;
        if (!lastUse->isBeforeInBlock(top))
          return false;
        later.push_back(top);
      }
    }
    return later.empty() || overwritesAll(firstInBlock(later), root);
  };
  Operation *first = producer;
  for (Operation *allowed : allowedUsers)
    if (allowed->getBlock() == producer->getBlock() && allowed->isBeforeInBlock(first))
      first = allowed;
  if (!laterUsersOk(resultRoot, act, {}) || !laterUsersOk(rootOf(out), first, allowedUsers))
    return std::nullopt;
  return found;
}

void unshareViews(Operation *root) {
  SmallVector<Operation *> views;
  root->walk([&](Operation *op) {
    if (isViewOp(op))
      views.push_back(op);
  });
  // Each use gets a copy right before its user, so a view sits where it is read; children
  // first, so a parent is then copied for each of the children's copies.
  for (Operation *view : llvm::reverse(views)) {
    SmallVector<OpOperand *> uses;
    for (OpOperand &use : view->getResult(0).getUses())
      uses.push_back(&use);
    if (uses.empty())
      continue;
    for (OpOperand *use : uses) {
      Operation *user = use->getOwner();
      while (user->getBlock() != view->getBlock())
        user = user->getParentOp();
      OpBuilder b(user);
      use->set(b.clone(*view)->getResult(0));
    }
    view->erase();
  }
}

void foldActivation(Activation act) {
  Value result = act.op.getDpsInitOperand(0)->get();
  Block *block = act.op->getBlock();
  // The uses in the buffer's current lifetime (see matchActivation) read the kernel's output;
  // the input view is defined before the activation.
  result.replaceUsesWithIf(act.input, [&](OpOperand &use) {
    Operation *top = use.getOwner();
    while (top->getBlock() != block)
      top = top->getParentOp();
    return act.op->isBeforeInBlock(top) &&
           (!act.lifetimeEnd || top->isBeforeInBlock(act.lifetimeEnd));
  });
  act.op.erase();
}

} // namespace onnxc::ukernel
