//===- DefineLoopLaunches.cpp - bodies of the parallel-loop launches ------===//
//
// onnxc-parallelize-loops replaced each parallel nest by a call to a declared
// launch function `@F_loopN_launch(exec, captures...)` whose attribute names
// the outlined body `@F_loopN(begin, end, captures...)`. After lowering to the
// LLVM dialect (memrefs are bare pointers there), this pass defines the launch:
//
//   launch(exec, c...):  ctx = {c...} on the stack;
//                        onnxc_uk_parallel_loop(exec, iterations, max_tasks,
//                                               @F_loopN_launch_task, &ctx)
//   task(ctx, b, e):     F_loopN(b, e, ctx->c...)
//
// Runtime-lite's executor takes a function pointer and one context pointer;
// the body needs its captures back as arguments, so a task function unpacks
// them. It cannot be written before lowering: a func.func taking a pointer has
// no way back to the memrefs the body takes. LLVM inlines both functions, so
// the graph function ends up storing the captures and calling the runtime.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

namespace onnxc {
#define GEN_PASS_DEF_DEFINELOOPLAUNCHES
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using namespace onnxc;

namespace {

constexpr llvm::StringLiteral kRuntimeLoop = "onnxc_uk_parallel_loop";

struct DefineLoopLaunchesPass
    : public onnxc::impl::DefineLoopLaunchesBase<DefineLoopLaunchesPass> {
  using DefineLoopLaunchesBase::DefineLoopLaunchesBase;

  /// void onnxc_uk_parallel_loop(exec, n, max_tasks, body, ctx), declared once.
  LLVM::LLVMFuncOp runtimeLoop(ModuleOp module, Location loc) {
    if (auto f = module.lookupSymbol<LLVM::LLVMFuncOp>(kRuntimeLoop))
      return f;
    MLIRContext *ctx = module.getContext();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto i64 = IntegerType::get(ctx, 64);
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    return LLVM::LLVMFuncOp::create(
        b, loc, kRuntimeLoop,
        LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {ptr, i64, i64, ptr, ptr}));
  }

  LogicalResult define(LLVM::LLVMFuncOp launch, DictionaryAttr info) {
    MLIRContext *ctx = &getContext();
    ModuleOp module = getOperation();
    Location loc = launch.getLoc();
    auto bodyRef = info.getAs<FlatSymbolRefAttr>("body");
    auto iterations = info.getAs<IntegerAttr>("iterations");
    auto maxTasks = info.getAs<IntegerAttr>("max_tasks");
    auto body = bodyRef ? module.lookupSymbol<LLVM::LLVMFuncOp>(bodyRef) : nullptr;
    if (!body || !iterations || !maxTasks || !launch.isExternal())
      return launch.emitError() << "malformed " << kLoopLaunchAttr;
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto i64 = IntegerType::get(ctx, 64);
    ArrayRef<Type> launchInputs = launch.getFunctionType().getParams();
    ArrayRef<Type> bodyInputs = body.getFunctionType().getParams();
    if (launchInputs.empty() || launchInputs[0] != ptr ||
        bodyInputs.size() != launchInputs.size() + 1 || bodyInputs[0] != i64 ||
        bodyInputs[1] != i64 || bodyInputs.drop_front(2) != launchInputs.drop_front())
      return launch.emitError("launch and body signatures disagree (lower index to i64 and "
                              "memrefs to bare pointers first)");
    ArrayRef<Type> captures = launchInputs.drop_front();
    auto ctxType = LLVM::LLVMStructType::getLiteral(ctx, captures);
    // &context->capture_i, in the launch (stores) and the task (loads)
    auto field = [&](OpBuilder &b, Value context, size_t i) -> Value {
      return LLVM::GEPOp::create(b, loc, ptr, ctxType, context,
                                 ArrayRef<LLVM::GEPArg>{0, int32_t(i)});
    };

    OpBuilder b(ctx);
    b.setInsertionPointAfter(launch);
    auto task = LLVM::LLVMFuncOp::create(
        b, loc, (launch.getName() + "_task").str(),
        LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {ptr, i64, i64}),
        LLVM::Linkage::Internal);
    Block *taskEntry = task.addEntryBlock(b);
    b.setInsertionPointToStart(taskEntry);
    SmallVector<Value> bodyArgs{taskEntry->getArgument(1), taskEntry->getArgument(2)};
    for (auto [i, type] : llvm::enumerate(captures))
      bodyArgs.push_back(LLVM::LoadOp::create(b, loc, type, field(b, taskEntry->getArgument(0), i)));
    LLVM::CallOp::create(b, loc, body, bodyArgs);
    LLVM::ReturnOp::create(b, loc, ValueRange{});

    Block *entry = launch.addEntryBlock(b);
    b.setInsertionPointToStart(entry);
    Value one = LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(1));
    Value context = LLVM::AllocaOp::create(b, loc, ptr, ctxType, one, /*alignment=*/8);
    for (size_t i = 0; i < captures.size(); ++i)
      LLVM::StoreOp::create(b, loc, entry->getArgument(i + 1), field(b, context, i));
    Value n = LLVM::ConstantOp::create(b, loc, i64, iterations);
    Value tasks = LLVM::ConstantOp::create(b, loc, i64, maxTasks);
    Value fn = LLVM::AddressOfOp::create(b, loc, task);
    LLVM::CallOp::create(b, loc, runtimeLoop(module, loc),
                         ValueRange{entry->getArgument(0), n, tasks, fn, context});
    LLVM::ReturnOp::create(b, loc, ValueRange{});
    launch.setLinkage(LLVM::Linkage::Internal);
    body.setLinkage(LLVM::Linkage::Internal);
    launch->removeAttr(kLoopLaunchAttr);
    return success();
  }

  void runOnOperation() override {
    for (auto launch : llvm::make_early_inc_range(getOperation().getOps<LLVM::LLVMFuncOp>()))
      if (auto info = launch->getAttrOfType<DictionaryAttr>(kLoopLaunchAttr))
        if (failed(define(launch, info)))
          return signalPassFailure();
  }
};

} // namespace
