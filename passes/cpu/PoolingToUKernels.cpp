//===- PoolingToUKernels.cpp - max pooling loops to a runtime-lite call ---===//
//
// The 2-D max pooling generic of the MaxPool lowering (passes/lower/Pooling.cpp)
// becomes a call to onnxc_uk_smaxpool2d_mt_<isa>. The generated loops filled a
// -inf-bordered copy of the input and the output with -inf before reducing the
// windows, three passes over memory on one thread; the kernel makes one pass,
// leaves out the taps outside the image and splits channels over the executor.
// Upstream lowers linalg pooling to loops only.
//
//===----------------------------------------------------------------------===//
#include "passes/cpu/PoolingToUKernels.h"

#include "passes/cpu/UKernelFusion.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include <limits>

using namespace mlir;

namespace onnxc::ukernel {
namespace {

/// `acc = maximumf(acc, in)` (either operand order) on f32.
bool isMaxBody(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  if (body.getNumArguments() != 3 || !body.getArgument(0).getType().isF32() ||
      body.getOperations().size() != 2)
    return false;
  auto max = cast<linalg::YieldOp>(body.getTerminator())
                 .getOperand(0)
                 .getDefiningOp<arith::MaximumFOp>();
  Value in = body.getArgument(0), acc = body.getArgument(2);
  return max && ((max.getLhs() == acc && max.getRhs() == in) ||
                 (max.getLhs() == in && max.getRhs() == acc));
}

} // namespace

LogicalResult
rewriteMaxPool2D(linalg::GenericOp op, ModuleOp module, StringRef callee,
                 function_ref<void(CallBuilder &, SmallVector<Value> &)> tasking) {
  // x[n, c, oh*sH + kh*dH, ow*sW + kw*dW], window[kh, kw], out[n, c, oh, ow]
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      op.getNumLoops() != 6 || op.getNumReductionLoops() != 2 || !isMaxBody(op))
    return failure();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  auto outDims = plainDims(maps[2]), winDims = plainDims(maps[1]);
  if (!outDims || !winDims || outDims->size() != 4 || winDims->size() != 2 ||
      maps[0].getNumResults() != 4)
    return failure();
  Value x = op.getDpsInputOperand(0)->get(), window = op.getDpsInputOperand(1)->get(),
        out = op.getDpsInitOperand(0)->get();
  auto xType = dyn_cast<MemRefType>(x.getType()), outType = dyn_cast<MemRefType>(out.getType()),
       winType = dyn_cast<MemRefType>(window.getType());
  if (!xType || !outType || !winType || !xType.getElementType().isF32() || !isDense(xType) ||
      !isDense(outType) || !xType.hasStaticShape() || !outType.hasStaticShape() ||
      !winType.hasStaticShape())
    return failure();
  if (maps[0].getResult(0) != getAffineDimExpr((*outDims)[0], op.getContext()) ||
      maps[0].getResult(1) != getAffineDimExpr((*outDims)[1], op.getContext()))
    return failure();
  int64_t strideDil[2][2]; // [h/w][stride, dilation]
  for (int i = 0; i < 2; ++i) {
    AffineExpr e = maps[0].getResult(2 + i);
    unsigned o = (*outDims)[2 + i], k = (*winDims)[i];
    for (unsigned l = 0; l < 6; ++l)
      if (l != o && l != k && e.isFunctionOfDim(l))
        return failure();
    auto s = coefficient(e, o), d = coefficient(e, k);
    auto constant = dyn_cast<AffineConstantExpr>(
        e.replaceDims(SmallVector<AffineExpr>(6, getAffineConstantExpr(0, op.getContext()))));
    if (!s || !d || *s <= 0 || *d <= 0 || !constant || constant.getValue() != 0)
      return failure();
    strideDil[i][0] = *s;
    strideDil[i][1] = *d;
  }
  // The output starts at -inf: the kernel writes every element instead.
  const double negInf = -std::numeric_limits<double>::infinity();
  Operation *init = lastTouching(op, out);
  if (!init || !isConstantFill(init, out, negInf))
    return failure();
  Value input = x;
  int64_t padT = 0, padL = 0;
  auto padded = matchPaddedInput(x, negInf, op);
  if (padded) {
    auto sourceType = cast<MemRefType>(padded->source.getType());
    if (sourceType.getDimSize(0) != xType.getDimSize(0) ||
        sourceType.getDimSize(1) != xType.getDimSize(1))
      padded.reset();
    else
      input = padded->source, padT = padded->padT, padL = padded->padL;
  }
  auto inType = cast<MemRefType>(input.getType());
  OpBuilder b(op);
  CallBuilder cb(b, op.getLoc());
  SmallVector<Value> args;
  for (int64_t v : {outType.getDimSize(0), outType.getDimSize(1), inType.getDimSize(2),
                    inType.getDimSize(3), outType.getDimSize(2), outType.getDimSize(3),
                    winType.getDimSize(0), winType.getDimSize(1), strideDil[0][0],
                    strideDil[1][0], strideDil[0][1], strideDil[1][1], padT, padL})
    args.push_back(cb.i64(v));
  args.append({cb.pointer(input), cb.pointer(out)});
  tasking(cb, args);
  cb.call(module, callee, args);
  init->erase();
  if (padded)
    for (Operation *dead : padded->deadOps)
      dead->erase();
  return success();
}

} // namespace onnxc::ukernel
