//===- PlanWorkspace.cpp - onnxc-plan-workspace pass ----------------------===//
#include "passes/Passes.h"
#include "passes/memplan/BufferLiveness.h"
#include "passes/memplan/WorkspacePlanner.h"

#include "mlir/IR/Builders.h"

namespace onnxc {
#define GEN_PASS_DEF_PLANWORKSPACE
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using namespace onnxc;

namespace {

int64_t byteSize(MemRefType type) {
  return type.getNumElements() * ((type.getElementTypeBitWidth() + 7) / 8);
}

struct PlanWorkspacePass : public onnxc::impl::PlanWorkspaceBase<PlanWorkspacePass> {
  using PlanWorkspaceBase::PlanWorkspaceBase;

  LogicalResult planFunction(func::FuncOp func) {
    SmallVector<memref::AllocOp> allocs;
    WalkResult walk = func.walk([&](memref::AllocOp alloc) {
      if (alloc->getBlock() != &func.getBody().front()) {
        alloc.emitError() << "allocation inside a region cannot be planned";
        return WalkResult::interrupt();
      }
      if (!alloc.getType().hasStaticShape() || !alloc.getType().getLayout().isIdentity()) {
        alloc.emitError() << "allocation of " << alloc.getType() << " is not static and dense";
        return WalkResult::interrupt();
      }
      allocs.push_back(alloc);
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return failure();

    memplan::BufferLiveness liveness(func);
    std::vector<memplan::BufferRequest> requests;
    for (memref::AllocOp alloc : allocs) {
      auto range = liveness.liveRange(alloc.getResult());
      if (failed(range))
        return alloc.emitError() << "buffer escapes through the return; run "
                                    "buffer-results-to-out-params first";
      requests.push_back({byteSize(alloc.getType()), range->first, range->second});
    }
    memplan::WorkspacePlan plan = memplan::planWorkspace(requests, alignment);
    if (plan.size > maxBytes)
      return func.emitError() << "the model needs a workspace of " << plan.size
                              // (the option object itself prints as nothing)
                              << " bytes, more than the limit of " << int64_t(maxBytes)
                              << " bytes (--max-size)";

    // The workspace is the function's last argument: memref<SIZE x i8>.
    MLIRContext *ctx = &getContext();
    auto wsType = MemRefType::get({plan.size}, IntegerType::get(ctx, 8));
    unsigned wsIndex = func.getNumArguments();
    if (failed(func.insertArgument(wsIndex, wsType, {}, func.getLoc())))
      return failure();
    Value workspace = func.getArgument(wsIndex);
    for (auto [alloc, offset] : llvm::zip(allocs, plan.offsets)) {
      OpBuilder b(alloc);
      Value off = arith::ConstantIndexOp::create(b, alloc.getLoc(), offset);
      Value view = memref::ViewOp::create(b, alloc.getLoc(), alloc.getType(), workspace, off,
                                          ValueRange{});
      alloc.replaceAllUsesWith(view);
      alloc.erase();
    }
    // Nothing frees workspace memory.
    func.walk([](memref::DeallocOp dealloc) { dealloc.erase(); });
    Builder b(ctx);
    func->setAttr(kWorkspaceSizeAttr, b.getI64IntegerAttr(plan.size));
    func->setAttr(kWorkspaceLowerBoundAttr, b.getI64IntegerAttr(plan.lowerBound));
    return success();
  }

  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal() || (entryName.empty() ? func.isPrivate() : func.getName() != entryName))
        continue;
      if (failed(planFunction(func)))
        return signalPassFailure();
    }
  }
};

} // namespace
