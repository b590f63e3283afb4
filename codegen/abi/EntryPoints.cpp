//===- EntryPoints.cpp - the exported C ABI of a model object -------------===//
//
// Written against LLVM IR rather than MLIR's LLVM dialect because the pieces
// here (string globals, a struct table, a guard prologue) are plain C ABI
// plumbing that IRBuilder expresses directly.
//
//===----------------------------------------------------------------------===//
#include "codegen/abi/EntryPoints.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"

using namespace llvm;

namespace onnxc {
namespace {

// Return codes, as in onnxc/runtime.h.
constexpr int kNullWorkspace = 1, kMisalignedWorkspace = 2, kNullTensor = 3;

Constant *privateString(Module &m, StringRef text, const Twine &symbol) {
  Constant *init = ConstantDataArray::getString(m.getContext(), text);
  auto *gv = new GlobalVariable(m, init->getType(), /*isConstant=*/true,
                                GlobalValue::PrivateLinkage, init, symbol);
  gv->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
  gv->setAlignment(Align(1));
  return gv;
}

/// The onnxc_tensor_info array for `tensors`: {name, dtype, rank, shape, size_bytes}.
Constant *tensorInfoArray(Module &m, StructType *infoType,
                          const std::vector<TensorSignature> &tensors, const Twine &symbol) {
  LLVMContext &ctx = m.getContext();
  auto *ptrType = PointerType::getUnqual(ctx);
  if (tensors.empty())
    return ConstantPointerNull::get(ptrType);
  std::vector<Constant *> entries;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const TensorSignature &t = tensors[i];
    Constant *shape = ConstantPointerNull::get(ptrType);
    if (!t.shape.empty()) {
      Constant *dims = ConstantDataArray::get(ctx, ArrayRef<int64_t>(t.shape));
      shape = new GlobalVariable(m, dims->getType(), true, GlobalValue::PrivateLinkage, dims,
                                 symbol + ".shape." + Twine(i));
    }
    entries.push_back(ConstantStruct::get(
        infoType, {privateString(m, t.name, symbol + ".name." + Twine(i)),
                   ConstantInt::get(Type::getInt32Ty(ctx), t.dtype),
                   ConstantInt::get(Type::getInt32Ty(ctx), t.shape.size()), shape,
                   ConstantInt::get(Type::getInt64Ty(ctx), t.sizeBytes)}));
  }
  auto *arrayType = ArrayType::get(infoType, entries.size());
  return new GlobalVariable(m, arrayType, true, GlobalValue::PrivateLinkage,
                            ConstantArray::get(arrayType, entries), symbol);
}

} // namespace

Error addEntryPoints(Module &m, const ModelSignature &sig) {
  LLVMContext &ctx = m.getContext();
  Function *graph = m.getFunction(sig.graphFunction);
  size_t numTensors = sig.inputs.size() + sig.outputs.size();
  size_t graphArgs = numTensors + 1 + (sig.takesExecutor ? 1 : 0);
  if (!graph || graph->arg_size() != graphArgs)
    return createStringError("internal: graph function '%s' missing or with %zu arguments",
                             sig.graphFunction.c_str(), graph ? graph->arg_size() : 0);
  graph->setLinkage(GlobalValue::InternalLinkage);
  // The ABI promises distinct tensors and workspace; telling LLVM lets it vectorise
  // without runtime alias checks.
  for (Argument &arg : graph->args())
    arg.addAttr(Attribute::NoAlias);

  auto *i32 = Type::getInt32Ty(ctx);
  auto *i64 = Type::getInt64Ty(ctx);
  auto *ptr = PointerType::getUnqual(ctx);
  IRBuilder<> b(ctx);

  // int <name>_run_ex(tensors..., void *workspace, const onnxc_executor *exec)
  SmallVector<Type *> runParams(numTensors + 2, ptr);
  auto *runType = FunctionType::get(i32, runParams, false);
  Function *run =
      Function::Create(runType, GlobalValue::ExternalLinkage, sig.name + "_run_ex", m);
  run->addFnAttr(Attribute::NoUnwind);
  {
    BasicBlock *entry = BasicBlock::Create(ctx, "entry", run);
    BasicBlock *fail = BasicBlock::Create(ctx, "fail", run);
    BasicBlock *body = BasicBlock::Create(ctx, "body", run);
    b.SetInsertPoint(fail);
    PHINode *code = b.CreatePHI(i32, 3, "code");
    b.CreateRet(code);

    b.SetInsertPoint(entry);
    Value *ws = run->getArg(numTensors);
    Value *wsInt = b.CreatePtrToInt(ws, i64);
    Value *isNull = b.CreateICmpEQ(wsInt, ConstantInt::get(i64, 0));
    Value *nullFails = b.CreateAnd(isNull, ConstantInt::getBool(ctx, sig.workspaceSize > 0));
    BasicBlock *checkAlign = BasicBlock::Create(ctx, "check_align", run, body);
    b.CreateCondBr(nullFails, fail, checkAlign);
    code->addIncoming(ConstantInt::get(i32, kNullWorkspace), entry);

    b.SetInsertPoint(checkAlign);
    Value *misaligned =
        b.CreateICmpNE(b.CreateAnd(wsInt, ConstantInt::get(i64, sig.workspaceAlign - 1)),
                       ConstantInt::get(i64, 0));
    BasicBlock *checkTensors = BasicBlock::Create(ctx, "check_tensors", run, body);
    b.CreateCondBr(misaligned, fail, checkTensors);
    code->addIncoming(ConstantInt::get(i32, kMisalignedWorkspace), checkAlign);

    b.SetInsertPoint(checkTensors);
    Value *anyNull = ConstantInt::getFalse(ctx);
    for (size_t i = 0; i < numTensors; ++i)
      anyNull = b.CreateOr(anyNull, b.CreateIsNull(run->getArg(i)));
    b.CreateCondBr(anyNull, fail, body);
    code->addIncoming(ConstantInt::get(i32, kNullTensor), checkTensors);

    b.SetInsertPoint(body);
    SmallVector<Value *> args;
    for (size_t i = 0; i < numTensors; ++i)
      args.push_back(run->getArg(i));
    if (sig.takesExecutor)
      args.push_back(run->getArg(numTensors + 1));
    args.push_back(run->getArg(numTensors));
    b.CreateCall(graph, args);
    b.CreateRet(ConstantInt::get(i32, 0));
  }

  // int <name>_run(tensors..., void *workspace): no executor, everything on the caller.
  {
    auto *plainType = FunctionType::get(i32, SmallVector<Type *>(numTensors + 1, ptr), false);
    Function *plain =
        Function::Create(plainType, GlobalValue::ExternalLinkage, sig.name + "_run", m);
    plain->addFnAttr(Attribute::NoUnwind);
    b.SetInsertPoint(BasicBlock::Create(ctx, "entry", plain));
    SmallVector<Value *> args;
    for (Argument &arg : plain->args())
      args.push_back(&arg);
    args.push_back(ConstantPointerNull::get(ptr));
    b.CreateRet(b.CreateCall(run, args));
  }

  // int <name>_run_v_ex(const void *const *inputs, void *const *outputs, void *workspace,
  //                     const onnxc_executor *exec)
  auto *runVType = FunctionType::get(i32, {ptr, ptr, ptr, ptr}, false);
  Function *runV =
      Function::Create(runVType, GlobalValue::ExternalLinkage, sig.name + "_run_v_ex", m);
  runV->addFnAttr(Attribute::NoUnwind);
  {
    BasicBlock *entry = BasicBlock::Create(ctx, "entry", runV);
    BasicBlock *fail = BasicBlock::Create(ctx, "fail", runV);
    BasicBlock *call = BasicBlock::Create(ctx, "call", runV);
    b.SetInsertPoint(fail);
    b.CreateRet(ConstantInt::get(i32, kNullTensor));
    b.SetInsertPoint(entry);
    Value *badArrays = ConstantInt::getFalse(ctx);
    if (!sig.inputs.empty())
      badArrays = b.CreateOr(badArrays, b.CreateIsNull(runV->getArg(0)));
    badArrays = b.CreateOr(badArrays, b.CreateIsNull(runV->getArg(1)));
    b.CreateCondBr(badArrays, fail, call);
    b.SetInsertPoint(call);
    SmallVector<Value *> args;
    for (size_t i = 0; i < sig.inputs.size(); ++i)
      args.push_back(b.CreateLoad(ptr, b.CreateConstInBoundsGEP1_64(ptr, runV->getArg(0), i)));
    for (size_t i = 0; i < sig.outputs.size(); ++i)
      args.push_back(b.CreateLoad(ptr, b.CreateConstInBoundsGEP1_64(ptr, runV->getArg(1), i)));
    args.push_back(runV->getArg(2));
    args.push_back(runV->getArg(3));
    b.CreateRet(b.CreateCall(run, args));
  }
  {
    auto *plainType = FunctionType::get(i32, {ptr, ptr, ptr}, false);
    Function *plain =
        Function::Create(plainType, GlobalValue::ExternalLinkage, sig.name + "_run_v", m);
    plain->addFnAttr(Attribute::NoUnwind);
    b.SetInsertPoint(BasicBlock::Create(ctx, "entry", plain));
    b.CreateRet(b.CreateCall(runV, {plain->getArg(0), plain->getArg(1), plain->getArg(2),
                                    ConstantPointerNull::get(ptr)}));
  }

  // const onnxc_model_info <name>_info
  auto *tensorInfo = StructType::create(ctx, {ptr, i32, i32, ptr, i64}, "onnxc_tensor_info");
  auto *modelInfo = StructType::create(ctx, {ptr, i32, i32, ptr, ptr, i64, i64}, "onnxc_model_info");
  std::string prefix = ".onnxc." + sig.name;
  Constant *info = ConstantStruct::get(
      modelInfo, {privateString(m, sig.name, prefix + ".model_name"),
                  ConstantInt::get(i32, sig.inputs.size()), ConstantInt::get(i32, sig.outputs.size()),
                  tensorInfoArray(m, tensorInfo, sig.inputs, prefix + ".inputs"),
                  tensorInfoArray(m, tensorInfo, sig.outputs, prefix + ".outputs"),
                  ConstantInt::get(i64, sig.workspaceSize), ConstantInt::get(i64, sig.workspaceAlign)});
  new GlobalVariable(m, modelInfo, true, GlobalValue::ExternalLinkage, info, sig.name + "_info");
  return Error::success();
}

} // namespace onnxc
