//===- FlattenEmptyArguments.cpp - onnxc-flatten-empty-arguments pass -----===//
#include "passes/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace onnxc {
#define GEN_PASS_DEF_FLATTENEMPTYARGUMENTS
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace {
/// A static memref with no element whose bare-pointer form MLIR cannot build.
bool needsFlattening(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && memref.hasStaticShape() && memref.getNumElements() == 0 &&
         memref.getRank() != 1;
}

struct FlattenEmptyArgumentsPass
    : public onnxc::impl::FlattenEmptyArgumentsBase<FlattenEmptyArgumentsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal() || !SymbolTable::symbolKnownUseEmpty(func, module))
        continue;
      if (!llvm::any_of(func.getArgumentTypes(), needsFlattening))
        continue;
      Block &entry = func.getBody().front();
      OpBuilder builder = OpBuilder::atBlockBegin(&entry);
      SmallVector<Type> argTypes(func.getArgumentTypes());
      for (auto [index, arg] : llvm::enumerate(entry.getArguments())) {
        if (!needsFlattening(arg.getType()))
          continue;
        auto type = cast<MemRefType>(arg.getType());
        // Nothing is read from or written to an empty buffer, so a local one
        // of the original type stands in for the argument.
        Value local = memref::AllocaOp::create(builder, func.getLoc(), type);
        arg.replaceAllUsesWith(local);
        Type flat = MemRefType::get({0}, type.getElementType(), MemRefLayoutAttrInterface(),
                                    type.getMemorySpace());
        arg.setType(flat);
        argTypes[index] = flat;
      }
      func.setType(FunctionType::get(func.getContext(), argTypes, func.getResultTypes()));
    }
  }
};
} // namespace
