//===- CopiesToLinalg.cpp - onnxc-copies-to-linalg pass -------------------===//
#include "passes/Passes.h"

#include "mlir/IR/PatternMatch.h"

namespace onnxc {
#define GEN_PASS_DEF_COPIESTOLINALG
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace {
struct CopiesToLinalgPass : public onnxc::impl::CopiesToLinalgBase<CopiesToLinalgPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) {
      auto src = cast<MemRefType>(copy.getSource().getType());
      auto dst = cast<MemRefType>(copy.getTarget().getType());
      if (!src.getLayout().isIdentity() || !dst.getLayout().isIdentity())
        copies.push_back(copy);
    });
    for (memref::CopyOp copy : copies) {
      IRRewriter rewriter(copy);
      rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(), copy.getTarget());
    }
  }
};
} // namespace
