//===- UKernelFusion.h - folding neighbours into microkernel calls -*- C++ -*-===//
//
// The microkernels apply an epilogue (bias, clamp) and read zero padding
// themselves, so the bufferized ops around a matched contraction that only do
// that work are folded into the call and erased: the bias broadcast that
// initialises the output, the Relu/Clip that follows it, and the zero-filled
// padded copy of a convolution's input. Each match is conservative (exact op
// shapes, no other reader of the intermediate buffer); anything else stays.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_PASSES_CPU_UKERNELFUSION_H
#define ONNXC_PASSES_CPU_UKERNELFUSION_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>

namespace onnxc::ukernel {

/// A convolution (pooling) input that is a buffer filled with `padValue` (0;
/// -inf for max pooling) with `source` copied in at (padT, padL): the kernel
/// reads `source` and pads on the fly.
struct PaddedInput {
  mlir::Value source; ///< Dense [N][C][H][W].
  int64_t padT, padL;
  llvm::SmallVector<mlir::Operation *> deadOps; ///< The fill and copy.
};
/// `consumer`: the op reading `convInput` when that is the buffer itself (by
/// default the one user of `convInput`, a view of it).
std::optional<PaddedInput> matchPaddedInput(mlir::Value convInput, double padValue = 0.0,
                                            mlir::Operation *consumer = nullptr);

/// The last op before `consumer`, in its block, that touches `buffer`'s root
/// allocation other than by taking a view of it: the op that last wrote or
/// read it before `consumer`, or null.
mlir::Operation *lastTouching(mlir::Operation *consumer, mlir::Value buffer);

/// A linalg.fill / linalg.map writing `value` to all of `buffer` (or an equal
/// dense view of its buffer).
bool isConstantFill(mlir::Operation *op, mlir::Value buffer, double value);

/// The last op before `consumer` touching `out` (lastTouching), when it initialises all of
/// `out`: a generic
/// broadcasting a dense vector along loop dims `channelDims` of `out`'s
/// identity map, or adding it to `out` (a residual folded into the init,
/// onnxc-fold-residual-add), or a zero fill (then `bias` is null).
struct BiasInit {
  mlir::Value bias; ///< Null for a zero fill.
  mlir::Operation *op;
  bool accumulate = false; ///< The kernel adds onto what `out` holds.
};
std::optional<BiasInit> matchBiasInit(mlir::Operation *consumer, mlir::Value out,
                                      llvm::ArrayRef<unsigned> channelDims);

/// The elementwise Relu/Clip right after `producer` that reads all of `out`
/// into another buffer; folding it makes that buffer's readers, for as long as
/// it holds the activation's values, read `out` instead.
struct Activation {
  float lo, hi;
  mlir::linalg::GenericOp op;
  mlir::Value input; ///< The view of `out` the activation read.
  /// The first op after the activation that overwrites its whole buffer, where
  /// the redirection of the buffer's uses stops; null: none.
  mlir::Operation *lifetimeEnd;
};
std::optional<Activation> matchActivation(mlir::Operation *producer, mlir::Value out,
                                          llvm::ArrayRef<mlir::Operation *> allowedUsers);
/// Gives every use of a memref view op its own copy of the view, right before
/// the user. CSE merges
/// identical views of one buffer even across the lifetimes that in-place
/// bufferization gives it; folds that redirect one lifetime's readers need
/// each view to belong to one lifetime. Canonicalization merges them again.
void unshareViews(mlir::Operation *root);
/// Redirects the activation's readers to its input and erases it.
void foldActivation(Activation act);

} // namespace onnxc::ukernel

#endif // ONNXC_PASSES_CPU_UKERNELFUSION_H
