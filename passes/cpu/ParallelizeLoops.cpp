//===- ParallelizeLoops.cpp - generated loop nests as executor tasks ------===//
//
// The microkernels split themselves over the application's executor; the loops
// generated from linalg (Softmax, LayerNorm, GELU, transposes, pooling) ran on
// the calling thread, and at 2 threads the second core waited through them.
// This pass outlines each large top-level affine nest of the graph function
// whose outer loop carries no dependence into a body function over a range of
// that loop's iterations, and replaces the nest by a call to a launch function
// that onnxc-define-loop-launches fills in after lowering to LLVM (it hands the
// body to runtime-lite's onnxc_uk_parallel_loop through a packed context).
//
// Upstream's async-parallel-for needs MLIR's async runtime (allocation,
// threads of its own), and scf.forall lowers to a sequential loop; neither
// calls an executor the application supplies. Upstream's affine analysis
// (isLoopParallel) decides which loops are safe, and outlining follows
// mlir::outlineSingleBlockRegion, which cannot sink the view and constant ops
// the body uses or rebound the loop.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/cpu/UKernelSupport.h"

#include "mlir/Dialect/Affine/Analysis/AffineAnalysis.h"
#include "mlir/Dialect/Affine/Analysis/LoopAnalysis.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

#include "llvm/ADT/SetVector.h"

#include <limits>

namespace onnxc {
#define GEN_PASS_DEF_PARALLELIZELOOPS
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using namespace onnxc;

namespace {

/// Trip count of a loop whose bounds depend on enclosing loops (a pooling
/// window clipped at the border): a guess, since only a size estimate is needed.
constexpr int64_t kUnknownTripCount = 8;

/// Operations a nest executes: each op counts once per iteration of every loop
/// around it (vectorisation aside, the same for every nest, so comparable).
int64_t workOf(Block &block) {
  int64_t work = 0;
  for (Operation &op : block) {
    if (auto loop = dyn_cast<affine::AffineForOp>(op)) {
      auto trip = affine::getConstantTripCount(loop);
      int64_t n = trip ? int64_t(*trip) : kUnknownTripCount;
      work += n * workOf(*loop.getBody());
    } else {
      work += 1;
      for (Region &region : op.getRegions())
        for (Block &inner : region)
          work += workOf(inner);
    }
    if (work > (int64_t(1) << 40))
      return work; // far past any threshold; avoids overflow
  }
  return work;
}

/// The loop to split: the outermost one with more than one iteration, reached
/// through single-iteration loops that hold nothing else. Null when that loop
/// is not a plain counted loop (constant bounds, unit step, no iter_args).
affine::AffineForOp splitLoopOf(affine::AffineForOp outer, unsigned &depth) {
  affine::AffineForOp loop = outer;
  depth = 0;
  while (true) {
    auto trip = affine::getConstantTripCount(loop);
    if (!trip)
      return nullptr;
    if (*trip > 1)
      break;
    Block *body = loop.getBody();
    if (body->getOperations().size() != 2)
      return nullptr;
    loop = dyn_cast<affine::AffineForOp>(body->front());
    if (!loop)
      return nullptr;
    ++depth;
  }
  if (!loop.hasConstantBounds() || loop.getStepAsInt() != 1 || loop.getNumIterOperands() != 0)
    return nullptr;
  return loop;
}

/// The buffer a memref addresses: the function argument or global under its
/// views, and the byte range of it when a memref.view with a constant offset
/// says (the whole buffer otherwise).
struct BufferRange {
  Value base;
  int64_t begin = 0, end = std::numeric_limits<int64_t>::max();
};

BufferRange bufferOf(Value memref) {
  Operation *def = memref.getDefiningOp();
  if (auto view = dyn_cast_or_null<memref::ViewOp>(def)) {
    BufferRange r = bufferOf(view.getSource());
    std::optional<int64_t> shift = getConstantIntValue(view.getByteShift());
    MemRefType type = view.getType();
    if (shift && type.hasStaticShape() && r.begin == 0 &&
        r.end == std::numeric_limits<int64_t>::max()) {
      r.begin = *shift;
      r.end = *shift + type.getNumElements() * ((type.getElementTypeBitWidth() + 7) / 8);
    }
    return r;
  }
  if (auto view = dyn_cast_or_null<ViewLikeOpInterface>(def))
    return bufferOf(view.getViewSource());
  return {memref};
}

/// Affine analysis takes two different memref values for different buffers. A
/// nest that writes a buffer and also reaches it through another view (an
/// in-place reshape) is left alone: iterations could then touch each other's
/// elements through the second view.
bool accessesAreDistinct(affine::AffineForOp nest) {
  SetVector<Value> written, accessed;
  nest.walk([&](Operation *op) {
    if (auto write = dyn_cast<affine::AffineWriteOpInterface>(op))
      written.insert(write.getMemRef());
    if (auto read = dyn_cast<affine::AffineReadOpInterface>(op))
      accessed.insert(read.getMemRef());
  });
  accessed.insert(written.begin(), written.end());
  SmallVector<BufferRange> ranges = llvm::map_to_vector(accessed, bufferOf);
  for (auto [a, ar] : llvm::zip(accessed, ranges))
    for (auto [b, br] : llvm::zip(accessed, ranges))
      if (a != b && written.contains(a) && ar.base == br.base && ar.begin < br.end &&
          br.begin < ar.end)
        return false;
  return true;
}

struct ParallelizeLoopsPass : public onnxc::impl::ParallelizeLoopsBase<ParallelizeLoopsPass> {
  using ParallelizeLoopsBase::ParallelizeLoopsBase;

  /// What the body function needs from the caller: `args` are passed (block
  /// arguments of the graph function and scalars computed before the nest);
  /// `sunk` are side-effect-free ops (views, constants, globals) it recomputes,
  /// in their original order. False when a value can be neither (a memref
  /// produced by an op with effects: the body could not address it).
  bool collectCaptures(affine::AffineForOp outer, SetVector<Value> &args,
                       SetVector<Operation *> &sunk) {
    SetVector<Value> used;
    getUsedValuesDefinedAbove(outer.getRegion(), used);
    SmallVector<Value> work(used.begin(), used.end());
    while (!work.empty()) {
      Value v = work.pop_back_val();
      Operation *def = v.getDefiningOp();
      if (def && def->getNumRegions() == 0 && isMemoryEffectFree(def)) {
        if (sunk.insert(def))
          llvm::append_range(work, def->getOperands());
        continue;
      }
      bool scalar = v.getType().isIntOrIndexOrFloat();
      if (!scalar && (def || !isa<MemRefType>(v.getType())))
        return false;
      args.insert(v);
    }
    return true;
  }

  LogicalResult outline(affine::AffineForOp outer, affine::AffineForOp loop, unsigned depth,
                        func::FuncOp func, unsigned index) {
    SetVector<Value> args;
    SetVector<Operation *> sunk;
    if (!collectCaptures(outer, args, sunk))
      return failure();
    // Function arguments in their order, then scalars in program order.
    SmallVector<Value> ordered(args.begin(), args.end());
    llvm::stable_sort(ordered, [](Value a, Value b) {
      auto ba = dyn_cast<BlockArgument>(a), bb = dyn_cast<BlockArgument>(b);
      if (ba || bb)
        return ba && (!bb || ba.getArgNumber() < bb.getArgNumber());
      return a.getDefiningOp()->isBeforeInBlock(b.getDefiningOp());
    });
    args = SetVector<Value>(ordered.begin(), ordered.end());
    for (Value v : args)
      if (auto type = dyn_cast<MemRefType>(v.getType()))
        if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
            type.getNumElements() == 0)
          return failure(); // the launch passes bare pointers (none for an empty memref)

    MLIRContext *ctx = &getContext();
    Location loc = outer.getLoc();
    OpBuilder mb = OpBuilder::atBlockEnd(func->getParentOfType<ModuleOp>().getBody());
    std::string name = (func.getName() + "_loop" + Twine(index)).str();

    // func.func private @G_loopN(%begin: index, %end: index, captures...)
    SmallVector<Type> bodyInputs{mb.getIndexType(), mb.getIndexType()};
    for (Value v : args)
      bodyInputs.push_back(v.getType());
    auto body = func::FuncOp::create(mb, loc, name, mb.getFunctionType(bodyInputs, {}));
    body.setPrivate();
    // Distinct graph arguments are distinct buffers (the ABI's noalias); the
    // body sees them as its own arguments, so LLVM may assume the same.
    for (auto [i, v] : llvm::enumerate(args))
      if (isa<MemRefType>(v.getType()))
        body.setArgAttr(i + 2, LLVM::LLVMDialect::getNoAliasAttrName(), mb.getUnitAttr());
    Block *entry = body.addEntryBlock();
    OpBuilder bb = OpBuilder::atBlockBegin(entry);
    IRMapping map;
    for (auto [i, v] : llvm::enumerate(args))
      map.map(v, entry->getArgument(i + 2));
    SmallVector<Operation *> sunkInOrder(sunk.begin(), sunk.end());
    llvm::sort(sunkInOrder, [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
    for (Operation *op : sunkInOrder)
      bb.clone(*op, map);
    auto clone = cast<affine::AffineForOp>(bb.clone(*outer, map));
    func::ReturnOp::create(bb, loc);
    affine::AffineForOp split = clone;
    for (unsigned d = 0; d < depth; ++d)
      split = cast<affine::AffineForOp>(split.getBody()->front());
    int64_t lb = loop.getConstantLowerBound(), ub = loop.getConstantUpperBound();
    AffineMap shifted = AffineMap::get(0, 1, mb.getAffineSymbolExpr(0) + lb);
    split.setLowerBound(entry->getArgument(0), shifted);
    split.setUpperBound(entry->getArgument(1), shifted);

    // func.func private @G_loopN_launch(exec, captures...), defined after lowering.
    SmallVector<Type> launchInputs{LLVM::LLVMPointerType::get(ctx)};
    for (Value v : args)
      launchInputs.push_back(v.getType());
    auto launch = func::FuncOp::create(mb, loc, name + "_launch",
                                       mb.getFunctionType(launchInputs, {}));
    launch.setPrivate();
    launch->setAttr(kLoopLaunchAttr,
                    mb.getDictionaryAttr({
                        mb.getNamedAttr("body", FlatSymbolRefAttr::get(body)),
                        mb.getNamedAttr("iterations", mb.getI64IntegerAttr(ub - lb)),
                        mb.getNamedAttr("max_tasks", mb.getI64IntegerAttr(maxThreads)),
                    }));

    OpBuilder b(outer);
    SmallVector<Value> operands{ukernel::executorArgument(func)};
    llvm::append_range(operands, args);
    func::CallOp::create(b, loc, launch, operands);
    outer.erase();
    return success();
  }

  void runOnOperation() override {
    if (maxThreads <= 1)
      return;
    SmallVector<func::FuncOp> funcs;
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (!func.isExternal() && (entryName.empty() ? func.isPublic() : func.getName() == entryName))
        funcs.push_back(func);
    for (func::FuncOp func : funcs) {
      unsigned index = 0;
      for (Operation &op : llvm::make_early_inc_range(func.getBody().front())) {
        auto outer = dyn_cast<affine::AffineForOp>(op);
        if (!outer)
          continue;
        unsigned depth;
        affine::AffineForOp loop = splitLoopOf(outer, depth);
        if (!loop)
          continue;
        int64_t iterations = loop.getConstantUpperBound() - loop.getConstantLowerBound();
        if (iterations * workOf(*loop.getBody()) < minWork)
          continue;
        if (!affine::isLoopParallel(loop) || !accessesAreDistinct(outer))
          continue;
        if (succeeded(outline(outer, loop, depth, func, index)))
          ++index;
      }
    }
  }
};

} // namespace
