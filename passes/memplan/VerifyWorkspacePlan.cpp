//===- VerifyWorkspacePlan.cpp - onnxc-verify-workspace-plan pass ---------===//
#include "passes/Passes.h"
#include "passes/memplan/BufferLiveness.h"
#include "passes/memplan/WorkspacePlanner.h"

#include "mlir/IR/Matchers.h"

namespace onnxc {
#define GEN_PASS_DEF_VERIFYWORKSPACEPLAN
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using namespace onnxc;

namespace {

struct PlacedView {
  memref::ViewOp view;
  int64_t offset, size;
  memplan::BufferRequest life;
};

struct VerifyWorkspacePlanPass
    : public onnxc::impl::VerifyWorkspacePlanBase<VerifyWorkspacePlanPass> {
  LogicalResult verifyFunction(func::FuncOp func) {
    auto sizeAttr = func->getAttrOfType<IntegerAttr>(kWorkspaceSizeAttr);
    if (!sizeAttr)
      return success();
    bool leftover = false;
    func.walk([&](memref::AllocOp alloc) {
      alloc.emitError() << "allocation left after workspace planning";
      leftover = true;
    });
    if (leftover)
      return failure();
    Value workspace = func.getArguments().back();
    memplan::BufferLiveness liveness(func);
    SmallVector<PlacedView> placed;
    for (Operation *user : workspace.getUsers()) {
      auto view = dyn_cast<memref::ViewOp>(user);
      if (!view)
        return user->emitError() << "workspace used other than through memref.view";
      APInt offset;
      if (!matchPattern(view.getByteShift(), m_ConstantInt(&offset)))
        return view.emitError() << "workspace view at a non-constant offset";
      MemRefType type = view.getType();
      int64_t size = type.getNumElements() * ((type.getElementTypeBitWidth() + 7) / 8);
      if (offset.getSExtValue() < 0 || offset.getSExtValue() + size > sizeAttr.getInt())
        return view.emitError() << "view [" << offset.getSExtValue() << ", "
                                << offset.getSExtValue() + size << ") lies outside the "
                                << sizeAttr.getInt() << "-byte workspace";
      auto range = liveness.liveRange(view.getResult());
      if (failed(range))
        return view.emitError() << "workspace view escapes through the return";
      placed.push_back({view, offset.getSExtValue(), size, {size, range->first, range->second}});
    }
    // Report in program order: each conflict at the later of the two views.
    llvm::sort(placed, [](const PlacedView &a, const PlacedView &b) {
      return a.view->isBeforeInBlock(b.view);
    });
    for (size_t i = 0; i < placed.size(); ++i)
      for (size_t j = i + 1; j < placed.size(); ++j) {
        PlacedView &a = placed[i], &b = placed[j];
        bool bytesOverlap = a.offset < b.offset + b.size && b.offset < a.offset + a.size;
        if (bytesOverlap && memplan::livesOverlap(a.life, b.life))
          return b.view.emitError() << "workspace bytes [" << b.offset << ", " << b.offset + b.size
                                    << ") overlap a buffer live at the same time at ["
                                    << a.offset << ", " << a.offset + a.size << ")";
      }
    return success();
  }

  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (failed(verifyFunction(func)))
        return signalPassFailure();
  }
};

} // namespace
