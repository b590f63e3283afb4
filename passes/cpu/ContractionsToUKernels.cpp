//===- ContractionsToUKernels.cpp - onnxc-contractions-to-ukernels --------===//
//
// Replaces bufferized f32 contraction and 2-D convolution generics by calls to
// runtime-lite's packed microkernels (runtime-lite/include/onnxc/ukernel.h).
// The generic stays the reference semantics: anything this pass does not
// match keeps its loops, so the pass only ever trades speed, never coverage.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/cpu/PoolingToUKernels.h"
#include "passes/cpu/UKernelFusion.h"
#include "passes/cpu/UKernelSupport.h"

#include "onnxc/ukernel.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <limits>

namespace onnxc {
#define GEN_PASS_DEF_CONTRACTIONSTOUKERNELS
#include "passes/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using namespace onnxc;
using namespace onnxc::ukernel;

namespace {

/// True when the body is `out + in0 * in1` in f32 (either operand order).
bool isMulAddF32(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  if (body.getNumArguments() != 3 || !llvm::all_of(body.getArgumentTypes(), [](Type t) {
        return t.isF32();
      }))
    return false;
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add || body.getOperations().size() != 3)
    return false;
  Value acc = body.getArgument(2);
  Value prod = add.getLhs() == acc ? add.getRhs() : add.getRhs() == acc ? add.getLhs() : Value();
  auto mul = prod ? prod.getDefiningOp<arith::MulFOp>() : nullptr;
  if (!mul)
    return false;
  Value a = body.getArgument(0), b = body.getArgument(1);
  return (mul.getLhs() == a && mul.getRhs() == b) || (mul.getLhs() == b && mul.getRhs() == a);
}

/// Stride of loop dim `dim` in an operand: its memref stride where the map
/// reads that dim as a plain result, 0 when the operand does not depend on it,
/// nullopt when it appears in a compound expression.
std::optional<int64_t> loopStride(AffineMap map, ArrayRef<int64_t> strides, unsigned dim) {
  int64_t stride = 0;
  for (auto [pos, expr] : llvm::enumerate(map.getResults())) {
    if (auto d = dyn_cast<AffineDimExpr>(expr)) {
      if (d.getPosition() == dim)
        stride += strides[pos];
    } else if (expr.isFunctionOfDim(dim)) {
      return std::nullopt;
    }
  }
  return stride;
}

struct ContractionsToUKernelsPass
    : public onnxc::impl::ContractionsToUKernelsBase<ContractionsToUKernelsPass> {
  using ContractionsToUKernelsBase::ContractionsToUKernelsBase;

  IsaInfo info;
  std::optional<PackedGlobals> packed;

  std::string callee(StringRef kernel) const {
    return ("onnxc_uk_" + kernel + "_mt_" + info.name).str();
  }

  /// The arguments every _mt_ call ends with: executor, task limit, and the
  /// floats of one scratch slice when the kernel takes scratch.
  void appendTasking(CallBuilder &cb, Operation *op, SmallVector<Value> &args,
                     std::optional<int64_t> sliceFloats) {
    args.push_back(executorArgument(op->getParentOfType<func::FuncOp>()));
    args.push_back(cb.i64(maxThreads));
    if (sliceFloats)
      args.push_back(cb.i64(*sliceFloats));
  }

  /// Scratch for `maxThreads` slices of `sliceFloats`, each slice 64-byte aligned.
  Value scratchSlices(CallBuilder &cb, int64_t &sliceFloats) {
    sliceFloats = onnxc_uk_round_up(sliceFloats, 16);
    return cb.scratch(sliceFloats * maxThreads);
  }

  /// Names a packed global after the constant it came from.
  static StringRef baseName(ConstantView &view) { return view.global.getSymName(); }

  LogicalResult rewriteConv2D(linalg::GenericOp op);
  LogicalResult rewriteContraction(linalg::GenericOp op);

  void runOnOperation() override {
    auto isaInfo = lookupIsa(isa);
    if (!isaInfo) {
      if (!isa.empty()) {
        getOperation().emitError() << "unknown microkernel ISA '" << isa << "'";
        signalPassFailure();
      }
      return;
    }
    info = *isaInfo;
    packed.emplace(getOperation());
    unshareViews(getOperation());
    SmallVector<linalg::GenericOp> candidates;
    getOperation().walk([&](linalg::GenericOp op) {
      if (op.hasPureBufferSemantics() && op.getNumDpsInputs() == 2 && op.getNumDpsInits() == 1 &&
          isMulAddF32(op))
        candidates.push_back(op);
    });
    for (linalg::GenericOp op : candidates)
      if (succeeded(rewriteConv2D(op)) || succeeded(rewriteContraction(op)))
        op.erase();
    // Max pooling (PoolingToUKernels.cpp).
    SmallVector<linalg::GenericOp> pools;
    getOperation().walk([&](linalg::GenericOp op) {
      if (op.getNumDpsInputs() == 2 && op.getNumDpsInits() == 1 && op.getNumReductionLoops() == 2)
        pools.push_back(op);
    });
    for (linalg::GenericOp op : pools)
      if (succeeded(rewriteMaxPool2D(op, getOperation(), callee("smaxpool2d"),
                                     [&](CallBuilder &cb, SmallVector<Value> &args) {
                                       appendTasking(cb, op, args, std::nullopt);
                                     })))
        op.erase();
  }
};

/// The grouped 2-D convolution generic of the Conv lowering, its loops in any
/// order (onnxc-interchange-loops moves ow innermost):
///   x[n, g, c, oh*sH + kh*dH, ow*sW + kw*dW], w[g, f, c, kh, kw],
///   out[n, g, f, oh, ow], c/kh/kw reductions, all dense, the input padded.
LogicalResult ContractionsToUKernelsPass::rewriteConv2D(linalg::GenericOp op) {
  if (op.getNumLoops() != 8 || op.getNumReductionLoops() != 3)
    return failure();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  auto outDims = plainDims(maps[2]), wDims = plainDims(maps[1]);
  if (!outDims || !wDims || outDims->size() != 5 || wDims->size() != 5)
    return failure();
  // Loop roles: n, g, f, oh, ow from the output map; c, kh, kw from the weights.
  unsigned lN = (*outDims)[0], lG = (*outDims)[1], lF = (*outDims)[2], lOh = (*outDims)[3],
           lOw = (*outDims)[4], lC = (*wDims)[2], lKh = (*wDims)[3], lKw = (*wDims)[4];
  llvm::SmallDenseSet<unsigned> all{lN, lG, lF, lOh, lOw, lC, lKh, lKw};
  auto iterators = op.getIteratorTypesArray();
  if (all.size() != 8 || (*wDims)[0] != lG || (*wDims)[1] != lF ||
      llvm::any_of(ArrayRef<unsigned>{lC, lKh, lKw},
                   [&](unsigned l) { return iterators[l] != utils::IteratorType::reduction; }))
    return failure();
  AffineMap xMap = maps[0];
  auto isDim = [](AffineExpr e, unsigned l) {
    auto d = dyn_cast<AffineDimExpr>(e);
    return d && d.getPosition() == l;
  };
  if (xMap.getNumResults() != 5 || !isDim(xMap.getResult(0), lN) ||
      !isDim(xMap.getResult(1), lG) || !isDim(xMap.getResult(2), lC))
    return failure();
  int64_t strideDil[2][2]; // [h/w][stride, dilation]
  unsigned outLoop[2] = {lOh, lOw}, kernelLoop[2] = {lKh, lKw};
  for (int i = 0; i < 2; ++i) {
    AffineExpr e = xMap.getResult(3 + i);
    for (unsigned other : all)
      if (other != outLoop[i] && other != kernelLoop[i] && e.isFunctionOfDim(other))
        return failure();
    auto s = coefficient(e, outLoop[i]), dl = coefficient(e, kernelLoop[i]);
    if (!s || !dl || *s <= 0 || *dl <= 0)
      return failure();
    // No constant term: x[oh*s + kh*d] exactly (the padding is in the buffer).
    auto constant = dyn_cast<AffineConstantExpr>(
        e.replaceDims(SmallVector<AffineExpr>(8, getAffineConstantExpr(0, op.getContext()))));
    if (!constant || constant.getValue() != 0)
      return failure();
    strideDil[i][0] = *s;
    strideDil[i][1] = *dl;
  }
  Value x = op.getDpsInputOperand(0)->get(), w = op.getDpsInputOperand(1)->get(),
        out = op.getDpsInitOperand(0)->get();
  auto xType = cast<MemRefType>(x.getType()), wType = cast<MemRefType>(w.getType()),
       outType = cast<MemRefType>(out.getType());
  if (!isDense(xType) || !isDense(wType) || !isDense(outType))
    return failure();
  int64_t n = xType.getDimSize(0), groups = xType.getDimSize(1), cg = xType.getDimSize(2),
          h = xType.getDimSize(3), wd = xType.getDimSize(4), fg = wType.getDimSize(1),
          kh = wType.getDimSize(3), kw = wType.getDimSize(4), oh = outType.getDimSize(3),
          ow = outType.getDimSize(4);

  // Neighbours the kernel absorbs: zero padding, the bias init, Relu/Clip.
  Value input = x;
  int64_t padT = 0, padL = 0, inH = h, inW = wd;
  auto padded = matchPaddedInput(x);
  if (padded) {
    auto sourceType = cast<MemRefType>(padded->source.getType());
    if (sourceType.getDimSize(0) != n || sourceType.getDimSize(1) != groups * cg) {
      padded.reset();
    } else {
      input = padded->source;
      padT = padded->padT;
      padL = padded->padL;
      inH = sourceType.getDimSize(2);
      inW = sourceType.getDimSize(3);
    }
  }
  auto bias = matchBiasInit(op, out, {1, 2});
  SmallVector<Operation *> readers{op};
  if (bias)
    readers.push_back(bias->op);
  auto act = matchActivation(op, out, readers);

  ModuleOp module = getOperation();
  OpBuilder b(op);
  CallBuilder cb(b, op.getLoc());
  float inf = std::numeric_limits<float>::infinity();
  auto finish = [&](SmallVector<Value> &args) {
    args.append({cb.pointer(out), cb.f32(act ? act->lo : -inf), cb.f32(act ? act->hi : inf),
                 cb.i64(bias && !bias->accumulate ? 0 : 1)});
  };
  auto window = [&](SmallVector<Value> &args) {
    for (int64_t v : {kh, kw, strideDil[0][0], strideDil[1][0], strideDil[0][1],
                      strideDil[1][1], padT, padL})
      args.push_back(cb.i64(v));
  };
  auto biasPtr = [&] { return bias && bias->bias ? cb.pointer(bias->bias) : cb.nullPtr(); };
  if (cg == 1 && fg == 1) {
    // Depthwise: weights [C][KH][KW] are read as they are.
    SmallVector<Value> args;
    for (int64_t v : {n, groups, inH, inW, oh, ow})
      args.push_back(cb.i64(v));
    window(args);
    args.append({cb.pointer(input), cb.pointer(w), biasPtr()});
    finish(args);
    appendTasking(cb, op, args, std::nullopt);
    cb.call(module, callee("sdwconv2d"), args);
  } else {
    auto weights = readConstantView(w, module);
    if (!weights)
      return failure(); // The weights must be packed; runtime weights keep the loops.
    int64_t k = cg * kh * kw;
    // Small planes, and convolutions that read their input in place, put the pixels on the
    // kernel's rows; it then reads W_g^T as a packed B.
    bool pixelRows = onnxc_uk_conv_pixel_rows(info.direct, info.nr, cg, fg, oh * ow, kh, kw,
                                              strideDil[0][0], strideDil[1][0]);
    auto tag = ((pixelRows ? "convT_" : "conv_") + info.name).str();
    auto global = packed->get(baseName(*weights), tag, [&] {
      std::vector<float> all;
      for (int64_t g = 0; g < groups; ++g) {
        // W_g[f][(c*KH + kh)*KW + kw]: the dense weight rows of group g.
        int64_t offset = weights->offset + g * weights->strides[0], rs = weights->strides[1];
        std::vector<float> p = pixelRows ? packB(weights->data, offset, 1, rs, k, fg, info.nr)
                                         : packA(weights->data, offset, rs, 1, fg, k, info.mr);
        all.insert(all.end(), p.begin(), p.end());
      }
      return all;
    });
    Value packedW =
        memref::GetGlobalOp::create(b, op.getLoc(), global.getType(), global.getSymName());
    int64_t slice = onnxc_uk_sconv2d_scratch_floats(
        info.direct, info.mr, info.nr, cg, fg, kh, kw, strideDil[0][0], strideDil[1][0],
        strideDil[0][1], strideDil[1][1], oh, ow);
    Value scratch = scratchSlices(cb, slice);
    SmallVector<Value> args;
    for (int64_t v : {n, groups * cg, inH, inW, groups * fg, oh, ow, groups})
      args.push_back(cb.i64(v));
    window(args);
    args.append({cb.pointer(input), cb.pointer(packedW), biasPtr()});
    finish(args);
    args.push_back(scratch);
    appendTasking(cb, op, args, slice);
    cb.call(module, callee("sconv2d"), args);
  }
  if (padded)
    for (Operation *dead : padded->deadOps)
      dead->erase();
  if (bias)
    bias->op->erase();
  if (act)
    foldActivation(*act);
  return success();
}

/// A matmul-like contraction: one reduction dim k read by both inputs and not
/// the output, an output column dim n of unit stride read by B only, a row dim
/// m read by A only (absent for matrix-vector products), and any other
/// parallel dims looped over as a batch.
LogicalResult ContractionsToUKernelsPass::rewriteContraction(linalg::GenericOp op) {
  if (op.getNumReductionLoops() != 1)
    return failure();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  SmallVector<Value> operands{op.getDpsInputOperand(0)->get(), op.getDpsInputOperand(1)->get(),
                              op.getDpsInitOperand(0)->get()};
  SmallVector<SmallVector<int64_t>> strides;
  for (Value v : operands) {
    auto s = staticStrides(cast<MemRefType>(v.getType()));
    if (!s)
      return failure();
    strides.push_back(*s);
  }
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  unsigned numLoops = op.getNumLoops();
  // stride[operand][loop]
  SmallVector<SmallVector<int64_t>> loopStrides(3, SmallVector<int64_t>(numLoops));
  for (unsigned o = 0; o < 3; ++o)
    for (unsigned l = 0; l < numLoops; ++l) {
      auto s = loopStride(maps[o], strides[o], l);
      if (!s)
        return failure();
      loopStrides[o][l] = *s;
    }
  std::optional<unsigned> kDim, mDim, nDim;
  SmallVector<unsigned> batch;
  for (unsigned l = 0; l < numLoops; ++l) {
    bool inA = maps[0].isFunctionOfDim(l), inB = maps[1].isFunctionOfDim(l),
         inC = maps[2].isFunctionOfDim(l);
    if (op.getIteratorTypesArray()[l] == utils::IteratorType::reduction) {
      if (!inA || !inB || inC)
        return failure();
      kDim = l;
    } else if (!inC) {
      return failure();
    } else if (ranges[l] > 1 && inB && !inA && loopStrides[2][l] == 1 && !nDim) {
      nDim = l;
    } else if (ranges[l] > 1 && inA && !inB &&
               (!mDim || loopStrides[2][l] < loopStrides[2][*mDim])) {
      if (mDim)
        batch.push_back(*mDim);
      mDim = l;
    } else {
      batch.push_back(l);
    }
  }
  if (!kDim)
    return failure();
  auto size = [&](std::optional<unsigned> dim) { return dim ? ranges[*dim] : int64_t(1); };
  auto stride = [&](unsigned o, std::optional<unsigned> dim) {
    return dim ? loopStrides[o][*dim] : int64_t(0);
  };
  int64_t m = size(mDim), n = size(nDim), k = ranges[*kDim];
  // A matrix-vector product without a unit-stride n gains little; so do tiny ones.
  if (!nDim || m * n * k < 4096)
    return failure();

  // The bias broadcast that initialises C (per column, else per row) and a
  // Relu/Clip after it become the kernel's epilogue.
  auto outPosition = [&](std::optional<unsigned> dim) -> std::optional<unsigned> {
    if (dim)
      for (auto [pos, expr] : llvm::enumerate(maps[2].getResults()))
        if (auto d = dyn_cast<AffineDimExpr>(expr); d && d.getPosition() == *dim)
          return pos;
    return std::nullopt;
  };
  std::optional<BiasInit> bias;
  int64_t biasKind = 0;
  if (auto pn = outPosition(nDim); pn && (bias = matchBiasInit(op, operands[2], {*pn})))
    biasKind = bias->bias ? 1 : 0;
  else if (auto pm = outPosition(mDim); pm && (bias = matchBiasInit(op, operands[2], {*pm})))
    biasKind = bias->bias ? 2 : 0;
  SmallVector<Operation *> readers{op};
  if (bias)
    readers.push_back(bias->op);
  auto act = matchActivation(op, operands[2], readers);

  ModuleOp module = getOperation();
  OpBuilder b(op);
  Location loc = op.getLoc();
  CallBuilder cb(b, loc);
  bool batchesTouch[2] = {false, false};
  for (unsigned l : batch)
    for (unsigned o = 0; o < 2; ++o)
      batchesTouch[o] |= loopStrides[o][l] != 0;
  // Constant operands not indexed by batch dims are packed once, now.
  Value aPtrBase, bPtrBase;
  bool aPacked = false, bPacked = false;
  if (!batchesTouch[1])
    if (auto view = readConstantView(operands[1], module)) {
      int64_t off = view->offset, rs = stride(1, kDim), cs = stride(1, nDim);
      auto g = packed->get(baseName(*view),
                           llvm::formatv("b{0}_{1}_{2}_{3}_{4}_{5}", off, rs, cs, k, n, info.name)
                               .str(),
                           [&] { return packB(view->data, off, rs, cs, k, n, info.nr); });
      bPtrBase = cb.pointer(memref::GetGlobalOp::create(b, loc, g.getType(), g.getSymName()));
      bPacked = true;
    }
  if (!batchesTouch[0] && !bPacked)
    if (auto view = readConstantView(operands[0], module)) {
      int64_t off = view->offset, rs = stride(0, mDim), cs = stride(0, kDim);
      auto g = packed->get(baseName(*view),
                           llvm::formatv("a{0}_{1}_{2}_{3}_{4}_{5}", off, rs, cs, m, k, info.name)
                               .str(),
                           [&] { return packA(view->data, off, rs, cs, m, k, info.mr); });
      aPtrBase = cb.pointer(memref::GetGlobalOp::create(b, loc, g.getType(), g.getSymName()));
      aPacked = true;
    }
  int64_t slice = onnxc_uk_sgemm_scratch_floats(info.mr, info.nr, m, n, k, aPacked, bPacked);
  Value scratch = scratchSlices(cb, slice);
  float inf = std::numeric_limits<float>::infinity();

  // Loops over the batch dims; each iteration offsets the unpacked operands.
  SmallVector<Value> ivs;
  OpBuilder::InsertionGuard guard(b);
  for (unsigned l : batch) {
    if (ranges[l] == 1)
      continue;
    auto loop = scf::ForOp::create(b, loc, arith::ConstantIndexOp::create(b, loc, 0),
                                   arith::ConstantIndexOp::create(b, loc, ranges[l]),
                                   arith::ConstantIndexOp::create(b, loc, 1));
    b.setInsertionPoint(loop.getBody()->getTerminator());
    ivs.push_back(loop.getInductionVar());
  }
  auto offsetOf = [&](unsigned o) -> Value {
    Value total;
    unsigned i = 0;
    for (unsigned l : batch) {
      if (ranges[l] == 1)
        continue;
      Value iv = ivs[i++];
      if (loopStrides[o][l] == 0)
        continue;
      Value term = arith::MulIOp::create(b, loc, iv,
                                         arith::ConstantIndexOp::create(b, loc, loopStrides[o][l]));
      total = total ? arith::AddIOp::create(b, loc, total, term).getResult() : term;
    }
    return total;
  };
  Value aPtr = aPacked ? aPtrBase : cb.pointer(operands[0], offsetOf(0));
  Value bPtr = bPacked ? bPtrBase : cb.pointer(operands[1], offsetOf(1));
  Value cPtr = cb.pointer(operands[2], offsetOf(2));
  SmallVector<Value> args{cb.i64(m),
                          cb.i64(n),
                          cb.i64(k),
                          aPtr,
                          cb.i64(stride(0, mDim)),
                          cb.i64(stride(0, kDim)),
                          cb.i64(aPacked),
                          bPtr,
                          cb.i64(stride(1, kDim)),
                          cb.i64(stride(1, nDim)),
                          cb.i64(bPacked),
                          cPtr,
                          cb.i64(stride(2, mDim)),
                          bias && bias->bias ? cb.pointer(bias->bias) : cb.nullPtr(),
                          cb.i64(biasKind),
                          cb.f32(act ? act->lo : -inf),
                          cb.f32(act ? act->hi : inf),
                          cb.i64(bias && !bias->accumulate ? 0 : 1),
                          scratch};
  appendTasking(cb, op, args, slice);
  cb.call(module, callee("sgemm"), args);
  if (bias)
    bias->op->erase();
  if (act)
    foldActivation(*act);
  return success();
}

} // namespace
