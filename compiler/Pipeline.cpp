//===- Pipeline.cpp - the onnxc compilation pipeline ----------------------===//
#include "compiler/Pipeline.h"

#include "codegen/abi/EntryPoints.h"
#include "codegen/header/HeaderEmitter.h"
#include "compiler/Diagnostics.h"
#include "compiler/Importer.h"
#include "compiler/ModelFile.h"
#include "compiler/OutputFiles.h"
#include "compiler/TensorImport.h"
#include "passes/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Affine/Transforms/Passes.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/IR/AsmState.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <fmt/format.h>

using namespace mlir;

namespace onnxc {

void registerOnnxcDialects(DialectRegistry &registry) {
  registry.insert<onnx::ONNXDialect, func::FuncDialect, arith::ArithDialect, math::MathDialect,
                  linalg::LinalgDialect, tensor::TensorDialect, memref::MemRefDialect,
                  bufferization::BufferizationDialect, scf::SCFDialect, affine::AffineDialect,
                  cf::ControlFlowDialect, vector::VectorDialect, LLVM::LLVMDialect>();
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  linalg::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
}

void registerCompilerPasses() {
  static bool done = false;
  if (done)
    return;
  done = true;
  registerOnnxcPasses(); // onnxc's own, generated from Passes.td
  registerTransformsPasses();
  registerConversionPasses();
  registerLinalgPasses();
  affine::registerAffinePasses();
  bufferization::registerBufferizationPasses();
  memref::registerMemRefPasses();
}

void buildGraphPipeline(OpPassManager &pm, int64_t maxBytes) {
  ONNXShapeInferenceOptions shapeOptions;
  shapeOptions.maxTensorBytes = maxBytes;
  pm.addNestedPass<func::FuncOp>(createONNXShapeInference(shapeOptions));
  pm.addNestedPass<func::FuncOp>(createDecomposeAttention());
  pm.addNestedPass<func::FuncOp>(createDecomposeLoss());
  pm.addNestedPass<func::FuncOp>(createDecomposeRecurrent());
  pm.addNestedPass<func::FuncOp>(createDecomposeLinearAttention());
  pm.addNestedPass<func::FuncOp>(createDecomposeCausalConv());
  pm.addNestedPass<func::FuncOp>(createDecomposeConvTranspose());
  pm.addNestedPass<func::FuncOp>(createDecomposeRotaryEmbedding());
  DecomposeFlexAttentionOptions flexOptions;
  flexOptions.maxTensorBytes = maxBytes;
  pm.addNestedPass<func::FuncOp>(createDecomposeFlexAttention(flexOptions));
  pm.addNestedPass<func::FuncOp>(createDecomposeNormalization());
  pm.addNestedPass<func::FuncOp>(createDecomposeSignal());
  pm.addNestedPass<func::FuncOp>(createFoldBatchNorm());
  pm.addPass(createCanonicalizerPass());
}

namespace {
void addPipelineText(OpPassManager &pm, StringRef text) {
  // Parsed relative to `pm` (anchored on builtin.module): no module wrapper,
  // or the passes would silently nest under a second module.
  if (failed(parsePassPipeline(text, pm, llvm::errs())))
    llvm::report_fatal_error("internal: bad pass pipeline text");
}
} // namespace

void buildBufferizePipeline(OpPassManager &pm, const std::string &graphFunction,
                            int64_t maxBytes, const std::string &ukernelIsa,
                            int64_t maxThreads) {
  pm.addPass(createConvertONNXToLinalg());
  addPipelineText(pm,
                  "canonicalize,cse,func.func(onnxc-fuse-elementwise,onnxc-fold-residual-add),canonicalize,cse,"
                  "func.func(onnxc-interchange-loops,onnxc-split-empty-tensors),"
                  "one-shot-bufferize{bufferize-function-boundaries=1 "
                  "function-boundary-type-conversion=identity-layout-map "
                  "unknown-type-conversion=identity-layout-map},"
                  "buffer-results-to-out-params{hoist-static-allocs=1 modify-public-functions=1},"
                  "canonicalize,cse");
  if (!ukernelIsa.empty()) {
    ContractionsToUKernelsOptions ukOptions;
    ukOptions.isa = ukernelIsa;
    ukOptions.maxThreads = maxThreads;
    pm.addPass(createContractionsToUKernels(ukOptions));
    // Drops the unpacked weights the kernels no longer read.
    addPipelineText(pm, "canonicalize,symbol-dce");
  }
  // Loops while every buffer is still its own alloc: affine dependence analysis then sees
  // that, say, a softmax row and its max live in different buffers and hoists the max out of
  // the row loop. After the plan, all are views of one workspace and neither MLIR nor LLVM
  // can tell them apart, which left such loops scalar.
  addPipelineText(pm, "func.func(convert-linalg-to-affine-loops,affine-loop-invariant-code-motion,"
                      "affine-scalrep,onnxc-promote-reduction-accumulators),canonicalize");
  PlanWorkspaceOptions planOptions;
  planOptions.entryName = graphFunction;
  planOptions.maxBytes = maxBytes;
  pm.addPass(createPlanWorkspace(planOptions));
  pm.addPass(createVerifyWorkspacePlan());
  // After the plan: outlining moves buffer uses into other functions, where
  // the planner's liveness would not follow them.
  ParallelizeLoopsOptions parallelOptions;
  parallelOptions.entryName = graphFunction;
  parallelOptions.maxThreads = maxThreads;
  pm.addPass(createParallelizeLoops(parallelOptions));
}

void buildLLVMLoweringPipeline(OpPassManager &pm) {
  addPipelineText(pm, "func.func(onnxc-copies-to-linalg,convert-linalg-to-loops),"
                      "onnxc-approximate-math,onnxc-flatten-empty-arguments,"
                      "lower-affine,convert-scf-to-cf,canonicalize,"
                      "expand-strided-metadata,lower-affine,"
                      "finalize-memref-to-llvm,convert-math-to-llvm,convert-arith-to-llvm,"
                      "convert-index-to-llvm,convert-cf-to-llvm,"
                      "convert-func-to-llvm{use-bare-ptr-memref-call-conv=1},"
                      "reconcile-unrealized-casts,onnxc-define-loop-launches,canonicalize");
}

namespace {

/// The graph's ABI, read from the function after shape inference.
ModelSignature captureSignature(func::FuncOp func, const std::string &name) {
  ModelSignature sig;
  sig.name = name;
  sig.graphFunction = func.getName().str();
  auto describe = [](StringRef tensorName, Type type) {
    auto shaped = cast<RankedTensorType>(type);
    TensorSignature t;
    t.name = tensorName.str();
    t.dtype = onnxTypeOf(shaped.getElementType());
    t.shape.assign(shaped.getShape().begin(), shaped.getShape().end());
    t.sizeBytes = shaped.getNumElements() * dtypeSize(t.dtype);
    return t;
  };
  auto inputNames = func->getAttrOfType<ArrayAttr>(kInputNamesAttr);
  auto outputNames = func->getAttrOfType<ArrayAttr>(kOutputNamesAttr);
  for (auto [n, type] : llvm::zip(inputNames, func.getArgumentTypes()))
    sig.inputs.push_back(describe(cast<StringAttr>(n).getValue(), type));
  for (auto [n, type] : llvm::zip(outputNames, func.getResultTypes()))
    sig.outputs.push_back(describe(cast<StringAttr>(n).getValue(), type));
  return sig;
}

/// Checks every tensor type the ABI exposes can be described to C.
LogicalResult checkSignature(const ModelSignature &sig, Location loc) {
  for (const auto *list : {&sig.inputs, &sig.outputs})
    for (const TensorSignature &t : *list)
      if (t.dtype == 0 || dtypeSize(t.dtype) == 0)
        return emitError(loc) << "tensor '" << t.name << "' has an element type the C ABI cannot describe";
  return success();
}

/// The model object may only depend on memcpy/memset/memmove; anything else
/// (malloc, libm, MLIR's runtime) is a compiler bug, reported rather than shipped.
LogicalResult checkExternalSymbols(llvm::Module &module, Location loc) {
  for (llvm::Function &f : module) {
    if (!f.isDeclaration() || f.isIntrinsic() || f.use_empty())
      continue;
    StringRef n = f.getName();
    if (n == "memcpy" || n == "memset" || n == "memmove" || n.starts_with("onnxc_uk_"))
      continue; // libc's three, and runtime-lite's microkernels
    return emitError(loc) << "internal: the generated code calls '" << n
                          << "', which a model object must not depend on";
  }
  return success();
}

std::string defaultOutput(const CompilerOptions &options) {
  switch (options.emit) {
  case EmitKind::Object: return options.name + ".o";
  case EmitKind::Header: return options.name + ".h";
  default: return "-";
  }
}

} // namespace

int compileModel(const CompilerOptions &options) {
  DialectRegistry registry;
  registerOnnxcDialects(registry);
  MLIRContext ctx(registry);
  ctx.disableMultithreading(); // Deterministic, and the machine budget is small.
  ctx.allowUnregisteredDialects(false);
  ctx.printOpOnDiagnostic(false); // Users get the node's name, not IR dumps.
  DiagnosticPrinter printer(&ctx);

  std::string loadError;
  auto file = ModelFile::load(options.modelPath, loadError);
  if (!file) {
    llvm::errs() << loadError << "\n";
    return 1;
  }
  ImportOptions importOptions;
  importOptions.functionName = options.name + "_graph";
  importOptions.inputShapes = options.inputShapes;
  importOptions.maxBytes = options.maxBytes;
  OwningOpRef<ModuleOp> module = importModel(ctx, *file, importOptions);
  if (!module)
    return 1;

  auto runPasses = [&](function_ref<void(OpPassManager &)> build) {
    PassManager pm(&ctx, ModuleOp::getOperationName());
    if (options.printIRAfterAll) {
      ctx.disableMultithreading();
      pm.enableIRPrinting();
    }
    build(pm);
    return pm.run(*module);
  };
  if (failed(runPasses([&](OpPassManager &pm) { buildGraphPipeline(pm, options.maxBytes); })))
    return 1;
  auto graphFunc = module->lookupSymbol<func::FuncOp>(importOptions.functionName);
  ModelSignature sig = captureSignature(graphFunc, options.name);
  Location fileLoc = FileLineColLoc::get(&ctx, options.modelPath, 0, 0);
  if (failed(checkSignature(sig, fileLoc)))
    return 1;

  std::string outputPath = options.output.empty() ? defaultOutput(options) : options.output;
  OutputFiles outputs;
  if (options.emit == EmitKind::MLIR) {
    std::string text;
    llvm::raw_string_ostream os(text);
    module->print(os);
    outputs.add(outputPath, text);
    return outputs.commit() ? 0 : 1;
  }

  auto tm = createTargetMachine(options.target);
  if (!tm) {
    emitError(fileLoc) << llvm::toString(tm.takeError());
    return 1;
  }
  std::string ukernelIsa = options.ukernels == "auto"   ? selectMicrokernelIsa(**tm)
                           : options.ukernels == "none" ? std::string()
                                                        : options.ukernels;
  if (failed(runPasses([&](OpPassManager &pm) {
        buildBufferizePipeline(pm, sig.graphFunction, options.maxBytes, ukernelIsa,
                               options.maxThreads);
      })))
    return 1;
  graphFunc = module->lookupSymbol<func::FuncOp>(sig.graphFunction);
  sig.workspaceSize = graphFunc->getAttrOfType<IntegerAttr>(kWorkspaceSizeAttr).getInt();
  sig.workspaceLowerBound =
      graphFunc->getAttrOfType<IntegerAttr>(kWorkspaceLowerBoundAttr).getInt();
  sig.maxThreads = options.maxThreads;
  // The executor argument, when microkernel calls added one, precedes the workspace.
  sig.takesExecutor = graphFunc.getNumArguments() >= 2 &&
                      graphFunc.getArgAttr(graphFunc.getNumArguments() - 2, kExecutorArgAttr);
  std::string header = emitHeader(sig);
  if (options.emit == EmitKind::Header) {
    outputs.add(outputPath, header);
    return outputs.commit() ? 0 : 1;
  }

  if (failed(runPasses(buildLLVMLoweringPipeline)))
    return 1;
  if (options.emit == EmitKind::LoweredMLIR) {
    std::string text;
    llvm::raw_string_ostream os(text);
    module->print(os);
    outputs.add(outputPath, text);
    return outputs.commit() ? 0 : 1;
  }

  llvm::LLVMContext llvmCtx;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*module, llvmCtx, options.name);
  if (!llvmModule) {
    emitError(fileLoc) << "internal: translation to LLVM IR failed";
    return 1;
  }
  if (llvm::Error err = addEntryPoints(*llvmModule, sig)) {
    emitError(fileLoc) << llvm::toString(std::move(err));
    return 1;
  }
  // No absolute paths in the object: the source file name is the model's base name.
  llvmModule->setSourceFileName(llvm::sys::path::filename(options.modelPath));
  optimizeModule(*llvmModule, **tm, options.target.optLevel);
  if (failed(checkExternalSymbols(*llvmModule, fileLoc)))
    return 1;

  if (options.emit == EmitKind::LLVMIR) {
    std::string text;
    llvm::raw_string_ostream os(text);
    llvmModule->print(os, nullptr);
    outputs.add(outputPath, text);
    return outputs.commit() ? 0 : 1;
  }
  llvm::SmallVector<char, 0> code;
  llvm::raw_svector_ostream codeStream(code);
  auto fileType = options.emit == EmitKind::Assembly ? llvm::CodeGenFileType::AssemblyFile
                                                     : llvm::CodeGenFileType::ObjectFile;
  if (llvm::Error err = emitMachineCode(*llvmModule, **tm, fileType, codeStream)) {
    emitError(fileLoc) << llvm::toString(std::move(err));
    return 1;
  }
  outputs.add(outputPath, std::string(code.begin(), code.end()));
  if (options.emit == EmitKind::Object && outputPath != "-") {
    // The header lands beside the object.
    llvm::SmallString<256> headerPath(outputPath);
    llvm::sys::path::remove_filename(headerPath);
    llvm::sys::path::append(headerPath, options.name + ".h");
    outputs.add(std::string(headerPath), header);
  }
  return outputs.commit() ? 0 : 1;
}

} // namespace onnxc
