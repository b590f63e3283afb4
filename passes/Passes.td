//===- Passes.td - onnxc passes -------------------------------------------===//
#ifndef ONNXC_PASSES_TD
#define ONNXC_PASSES_TD

include "mlir/Pass/PassBase.td"

def ONNXShapeInference : Pass<"onnx-shape-inference", "mlir::func::FuncOp"> {
  let summary = "Infer static result shapes of onnx ops and update the function signature";
  let description = [{
    Walks the ops of a function in order and asks each onnx op to refine its
    result types from its operands (ShapeInferenceOpInterface). Conv and pooling
    ops get auto_pad resolved into explicit pads. Fails, naming the node, when
    an op is invalid for its operand shapes or a result stays dynamic.
  }];
  let options = [
    Option<"maxTensorBytes", "max-tensor-bytes", "int64_t", "int64_t(4) << 30",
           "Largest tensor, in bytes, a result may have (--max-size)">,
  ];
  let dependentDialects = ["onnxc::onnx::ONNXDialect"];
}

def FoldBatchNorm : Pass<"onnx-fold-batchnorm", "mlir::func::FuncOp"> {
  let summary = "Fold inference BatchNormalization into the Conv that feeds it";
  let description = [{
    BatchNormalization(Conv(x, W, b)) with constant f32 weights and
    statistics, and a Conv with no other user, becomes
    Conv(x, W * s, (b - mean) * s + beta) with s = scale / sqrt(var + eps)
    per output channel: the normalisation costs nothing at run time. Runs
    after shape inference. Upstream has no ONNX-level rewrites.
  }];
  let dependentDialects = ["onnxc::onnx::ONNXDialect"];
}

def DecomposeAttention : Pass<"onnxc-decompose-attention", "mlir::func::FuncOp"> {
  let summary = "Rewrite onnx.Attention into MatMul, Softmax, Where and friends";
  let description = [{
    Runs after onnx-shape-inference, when Attention's operand shapes are static:
    3-D inputs are split into heads, past K/V concatenated, grouped KV heads
    repeated, the mask, causal and padding rules built as an additive bias,
    fully masked rows zeroed, exactly as ONNX's reference (op_attention.py).
    The new ops get their shapes at creation, so no second inference run is
    needed; each reuses an existing lowering.
  }];
  let dependentDialects = ["onnxc::onnx::ONNXDialect"];
}

def DecomposeLoss : Pass<"onnxc-decompose-loss", "mlir::func::FuncOp"> {
  let summary = "Rewrite NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss into onnx ops";
  let description = [{
    Runs after onnx-shape-inference, when the operand shapes are static: the
    target classes are picked with GatherElements, ignore_index and weights
    applied with Where/Gather/Mul, and the reduction built from ReduceSum, as
    ONNX's function bodies do. SoftmaxCrossEntropyLoss is LogSoftmax over axis
    1 followed by the same steps; its log_prob result is the LogSoftmax.
  }];
  let dependentDialects = ["onnxc::onnx::ONNXDialect"];
}

def DecomposeRecurrent : Pass<"onnxc-decompose-recurrent", "mlir::func::FuncOp"> {
  let summary = "Unroll onnx.RNN, onnx.GRU and onnx.LSTM into MatMul and elementwise onnx ops";
  let description = [{
    Runs after onnx-shape-inference, when the sequence length is static: one
    MatMul projects every step's input, then each step does its recurrent
    MatMul and gates (activations, clip, GRU's linear_before_reset, LSTM's
    peepholes and input_forget) with existing onnx ops; a constant
    sequence_lens masks the steps past each sequence's end.
  }];
  let dependentDialects = ["onnxc::onnx::ONNXDialect"];
}

def DecomposeLinearAttention : Pass<"onnxc-decompose-linear-attention", "mlir::func::FuncOp"> {
  let summary = "Unroll onnx.LinearAttention's recurrence into Gather, MatMul and elementwise onnx ops";
  let description = [{
    Runs after onnx-shape-inference, when the sequence length is static. Each
    step decays the f32 state (gated rules), applies the delta correction,
    adds the key/value outer product and reads it with the query heads grouped
    under their KV head, as ONNX's reference (op_linear_attention.py).
  }];
  let dependentDialects = ["onnxc::onnx::ONNXDialect"];
}

def DecomposeCausalConv : Pass<"onnxc-decompose-causal-conv", "mlir::func::FuncOp"> {
  let summary = "Rewrite onnx.CausalConvWithState into Concat, a depthwise Conv and SiLU";
  let description = [{
    The past state (or zeros) is prepended to the input, a grouped Conv with
    one group per channel applied, SiLU/Swish computed in f32 for narrow
    types, and the last kernel_size - 1 padded positions returned as state.
  }];
  let dependentDialects = ["onnxc::onnx::ONNXDialect"];
}

def DecomposeConvTranspose : Pass<"onnxc-decompose-conv-transpose", "mlir::func::FuncOp"> {
  let summary = "Rewrite 2-D onnx.ConvTranspose with constant weights as a phase Conv and an interleave";
  let description = [{
    Stride s per axis: output q*s + r only meets kernel taps r + m*s, so one
    stride-1 Conv with s*s*F output channels (each phase's sub-kernel, flipped,
    channel dims swapped, zero past the kernel; computed at compile time, the
    bias tiled per phase) gives every phase, and Reshape + Transpose + Reshape
    interleave them; a Slice crops the pads. Group 1, dilation 1, f32 constant
    weights (and bias) only; other ConvTransposes keep the lowering's path.
  }];
  let dependentDialects = ["onnxc::onnx::ONNXDialect"];
}

def DecomposeRotaryEmbedding : Pass<"onnxc-decompose-rotary-embedding", "mlir::func::FuncOp"> {
  let summary = "Rewrite onnx.RotaryEmbedding into Gather, Mul, Add and Concat";
  let description = [{
    Works on [batch, sequence, heads, head_size]: the caches are gathered by
    position_ids, the feature pairs (halves, or neighbours when interleaved)
    rotated, and the unrotated tail appended.
  }];
  let dependentDialects = ["onnxc::onnx::ONNXDialect"];
}

def DecomposeFlexAttention : Pass<"onnxc-decompose-flex-attention", "mlir::func::FuncOp"> {
  let summary = "Rewrite onnx.FlexAttention (ai.onnx.preview) into MatMul and Softmax";
  let description = [{
    Grouped KV heads are repeated, Q and K scaled by sqrt(scale), and the
    softmax and P x V computed in the softmax precision (f32 for f16/bf16).
    The score_mod and prob_mod subgraphs are inlined on the scores before the
    softmax and on the probabilities after it, their ops refined as
    onnx-shape-inference refines ops.
  }];
  let options = [
    Option<"maxTensorBytes", "max-tensor-bytes", "int64_t", "int64_t(4) << 30",
           "Largest tensor, in bytes, a subgraph op's result may have (--max-size)">,
  ];
  let dependentDialects = ["onnxc::onnx::ONNXDialect"];
}

def DecomposeNormalization : Pass<"onnxc-decompose-normalization", "mlir::func::FuncOp"> {
  let summary = "Rewrite LRN, LpNormalization, MeanVarianceNormalization and GroupNormalization into onnx ops";
  let description = [{
    Runs after onnx-shape-inference: the statistics become Reduce* ops (LRN's
    channel window an AveragePool over channels), the rest elementwise ops, so
    the native ops share the lowerings of their ONNX function bodies.
  }];
  let dependentDialects = ["onnxc::onnx::ONNXDialect"];
}

def DecomposeSignal : Pass<"onnxc-decompose-signal", "mlir::func::FuncOp"> {
  let summary = "Rewrite DFT and STFT into MatMul with a twiddle matrix; windows and mel bank into constants";
  let description = [{
    Runs after onnx-shape-inference, when lengths are constant. DFT is one
    MatMul of the signal with a compile-time real matrix that encodes the
    transform (forward/inverse, one-sided, irfft, dft_length); STFT gathers
    its frames, applies the window and does the same. Hann/Hamming/Blackman
    windows and MelWeightMatrix become constants computed as the reference does.
  }];
  let dependentDialects = ["onnxc::onnx::ONNXDialect"];
}

def ConvertONNXToLinalg : Pass<"convert-onnx-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower onnx ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Every onnx op becomes destination-passing-style linalg on static tensors:
    elementwise ops and broadcasting become linalg.generic with broadcast maps,
    contractions (Gemm, MatMul, Conv) generic contractions, pooling windowed
    reductions. The patterns are split by op family under passes/lower/.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
                           "mlir::arith::ArithDialect", "mlir::math::MathDialect",
                           "mlir::func::FuncDialect", "mlir::scf::SCFDialect"];
}

def PlanWorkspace : Pass<"onnxc-plan-workspace", "mlir::ModuleOp"> {
  let summary = "Place every intermediate buffer at an offset of one workspace";
  let description = [{
    After bufferization, each memref.alloc of the entry function becomes a
    memref.view into a workspace argument appended to the function. Offsets come
    from buffer liveness over the function's op order and a best-fit packing
    (greedy by size, lowest fitting offset), aligned to `alignment` bytes.
    The function gets `onnxc.workspace_size` (the plan) and
    `onnxc.workspace_lower_bound` (the largest total of simultaneously live
    buffers), which model.h and bench/ report. Upstream has no pass that turns
    allocations into offsets of a caller-provided arena; its
    buffer-deallocation passes only insert frees.
  }];
  let options = [
    Option<"alignment", "alignment", "int64_t", "64", "Byte alignment of every buffer">,
    Option<"entryName", "entry", "std::string", "\"\"",
           "Function to plan (default: every public function with a body)">,
    Option<"maxBytes", "max-bytes", "int64_t", "int64_t(4) << 30",
           "Largest workspace, in bytes, the plan may need (--max-size)">,
  ];
  let dependentDialects = ["mlir::memref::MemRefDialect", "mlir::arith::ArithDialect"];
}

def VerifyWorkspacePlan : Pass<"onnxc-verify-workspace-plan", "mlir::ModuleOp"> {
  let summary = "Check that no two simultaneously live workspace views overlap";
  let description = [{
    Independent checker of onnxc-plan-workspace: recomputes liveness of every
    memref.view into the workspace and fails if two live ranges overlap in
    bytes, or a view lies outside onnxc.workspace_size, or an allocation is left.
  }];
}

def FuseElementwise : Pass<"onnxc-fuse-elementwise", "mlir::func::FuncOp"> {
  let summary = "Fuse elementwise producers into consumers that do not reduce";
  let description = [{
    Upstream's linalg-fuse-elementwise-ops also fuses an elementwise producer
    into a contraction consumer, which recomputes the producer inside the
    reduction loop: a LayerNorm feeding a MatMul was evaluated 768 times per
    element. This pass uses upstream's fusion patterns with a control function
    that fuses only into all-parallel consumers, or producers that merely copy
    or broadcast (free to recompute).
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
                           "mlir::affine::AffineDialect"];
}

def SplitEmptyTensors : Pass<"onnxc-split-empty-tensors", "mlir::func::FuncOp"> {
  let summary = "Give every use of a tensor.empty its own, before bufferization";
  let description = [{
    CSE merges identical `tensor.empty` inits of unrelated ops, and one-shot bufferization
    then shares one buffer between them. Splitting them again leaves buffer reuse to the
    workspace planner, after the microkernel folds that need distinct buffers.
  }];
  let dependentDialects = ["mlir::tensor::TensorDialect"];
}

def FoldResidualAdd : Pass<"onnxc-fold-residual-add", "mlir::func::FuncOp"> {
  let summary = "Start contractions from their residual input instead of adding it after";
  let description = [{
    `f(contraction + skip)` becomes `f(contraction')` where contraction' accumulates onto
    `init + skip` (a bias broadcast init keeps its broadcast, a zero fill becomes `skip`).
    The residual add's pass over the activation disappears, the microkernels add C in their
    epilogue, and bufferization reuses skip's buffer when skip dies there.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
                           "mlir::arith::ArithDialect"];
}

def PromoteReductionAccumulators
    : Pass<"onnxc-promote-reduction-accumulators", "mlir::func::FuncOp"> {
  let summary = "Carry a reduction loop's memory accumulator in iter_args";
  let description = [{
    A reduction lowered to affine loops loads and stores its accumulator on every step.
    When the accumulator is one loop-invariant element of a fresh allocation that nothing
    else in the loop touches, it is loaded before the loop, carried in an iter_arg, and
    stored after it; the combining addf/mulf/max/min gets `reassoc`, so LLVM vectorizes the
    reduction. Nested reduction loops are promoted innermost first.
  }];
  let dependentDialects = ["mlir::affine::AffineDialect", "mlir::arith::ArithDialect"];
}

def InterchangeLoops : Pass<"onnxc-interchange-loops", "mlir::func::FuncOp"> {
  let summary = "Make the contiguous output dim the innermost loop of reductions";
  let description = [{
    Contractions come out of the lowering with their reduction loops innermost
    (matmul as m, n, k; conv as ..., ow, c, kh, kw), so the inner loop walks
    an operand with a large stride and nothing vectorises. This pass moves the
    output's last dim to the innermost position when some input is also
    contiguous along it (matmul: m, k, n; conv: ..., c, kh, kw, ow), which
    turns the inner loop into unit-stride vector code. Row reductions
    (softmax, ReduceMean over the last axis) keep their order: their input is
    contiguous along the reduction. Upstream offers the interchange
    transformation but no policy choosing the permutation.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def CopiesToLinalg : Pass<"onnxc-copies-to-linalg", "mlir::func::FuncOp"> {
  let summary = "Turn memref.copy between strided views into linalg.copy";
  let description = [{
    Bufferization copies a strided view (a Slice result returned as a graph
    output, say) with memref.copy, which finalize-memref-to-llvm lowers to a
    call into MLIR's C runner library for non-contiguous layouts. A model
    object links no such library, so these copies become linalg.copy loops
    instead. Contiguous copies stay memref.copy and become memcpy.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def FlattenEmptyArguments : Pass<"onnxc-flatten-empty-arguments", "mlir::ModuleOp"> {
  let summary = "Pass zero-element memref arguments as memref<0xT>";
  let description = [{
    ONNX allows dimensions of size 0. The bare-pointer calling convention of
    convert-func-to-llvm refuses a multi-dimensional memref with a zero
    dimension (its canonical strides are not computable), which would leave
    the graph function unconverted. Such an argument holds no element, so
    its type becomes memref<0xT> (still one pointer in the ABI) and its uses
    read an empty local buffer of the original type instead. Only functions
    nothing in the module calls are changed: their callers are the C entry
    points added after translation.
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect"];
}

def ApproximateMath : Pass<"onnxc-approximate-math"> {
  let summary = "Replace transcendental math ops by polynomial approximations";
  let description = [{
    exp, tanh, log, erf, sin, cos and friends become arithmetic on the
    target's vectors, so the model object needs no libm (freestanding targets
    have none) and the loops that contain them still vectorise. Upstream has
    the patterns (populateMathPolynomialApproximationPatterns) but exposes
    them only through a test pass.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::math::MathDialect",
                           "mlir::vector::VectorDialect"];
}

def ContractionsToUKernels : Pass<"onnxc-contractions-to-ukernels", "mlir::ModuleOp"> {
  let summary = "Replace f32 matmul, 2-D convolution and max pooling loops by runtime-lite microkernel calls";
  let description = [{
    Runs on bufferized code. A linalg.generic that is a matmul-like contraction
    (one reduction dim, mul-add body, unit-stride output columns) becomes a call
    to onnxc_uk_sgemm_<isa>, inside loops over its batch dims; the 2-D grouped
    convolution generic the Conv lowering produces becomes onnxc_uk_sconv2d_<isa>
    (onnxc_uk_sdwconv2d_<isa> when depthwise), and the 2-D max pooling generic
    of the MaxPool lowering onnxc_uk_smaxpool2d_<isa>, which also takes over its
    -inf padding and the -inf init of its output. Constant operands are packed at
    compile time into the panel layout of runtime-lite/include/onnxc/ukernel.h
    (new private globals; symbol-dce drops the unpacked ones), and each call's
    packing scratch is a memref.alloc, so the workspace plan covers it.
    Untouched ops (other types, shapes the kernels do not take) keep their
    loops. The calls go to the _mt_ entry points of onnxc/ukernel_mt.h, which
    split the work over an onnxc_executor: functions with calls get a trailing
    `!llvm.ptr {onnxc.executor}` argument that the entry points fill in. Upstream lowers linalg.mmt4d to loops only; IREE's ukernel path is
    not available outside IREE.
  }];
  let options = [
    Option<"isa", "isa", "std::string", "\"\"",
           "Microkernel ISA: avx512, avx2, neon, generic; empty leaves every op alone">,
    Option<"maxThreads", "max-threads", "int64_t", "1",
           "Most tasks one kernel call splits into (a scratch slice each)">,
  ];
  let dependentDialects = ["mlir::func::FuncDialect", "mlir::memref::MemRefDialect",
                           "mlir::arith::ArithDialect", "mlir::scf::SCFDialect",
                           "mlir::LLVM::LLVMDialect"];
}

def ParallelizeLoops : Pass<"onnxc-parallelize-loops", "mlir::ModuleOp"> {
  let summary = "Outline large parallel affine loop nests into executor tasks";
  let description = [{
    Runs after the workspace plan, on the graph function's top-level affine
    nests. A nest whose first loop of more than one iteration (under loops of
    one) carries no dependence (affine::isLoopParallel, and no buffer it writes
    is also reached through another view) and that executes at least
    `min-work` operations becomes a private body function
    `@F_loopN(%begin, %end, captures...)` running iterations [begin, end) of
    that loop, and a call to a declared `@F_loopN_launch(%exec, captures...)`
    carrying `onnxc.loop_launch = {body, iterations, max_tasks}`. Captures are
    the graph function's memref arguments (views, globals and constants are
    recomputed in the body) and scalars computed before the nest; a nest that
    needs anything else stays. The function gets the executor argument the
    microkernel calls use. onnxc-define-loop-launches defines the launch after
    lowering to LLVM. `max-threads` 1 leaves every nest alone.
  }];
  let options = [
    Option<"entryName", "entry", "std::string", "\"\"",
           "The function whose nests are split (empty: every public function)">,
    Option<"maxThreads", "max-threads", "int64_t", "1",
           "Most tasks a nest splits into (onnxc --threads)">,
    Option<"minWork", "min-work", "int64_t", "int64_t(1) << 16",
           "Fewest operations (per iteration, times iterations) a nest must execute">,
  ];
  let dependentDialects = ["mlir::func::FuncDialect", "mlir::affine::AffineDialect",
                           "mlir::LLVM::LLVMDialect"];
}

def DefineLoopLaunches : Pass<"onnxc-define-loop-launches", "mlir::ModuleOp"> {
  let summary = "Define the parallel-loop launches of onnxc-parallelize-loops in LLVM";
  let description = [{
    Runs on the LLVM dialect. Each declared `llvm.func` with
    `onnxc.loop_launch` gets a body that stores its captures in a stack struct
    and calls runtime-lite's `onnxc_uk_parallel_loop(exec, iterations,
    max_tasks, @launch_task, ctx)`; the new `@launch_task(ctx, begin, end)`
    loads them back and calls the outlined body. Launch, task and body become
    internal, so LLVM inlines them.
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

#endif // ONNXC_PASSES_TD
