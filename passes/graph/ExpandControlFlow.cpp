//===- ExpandControlFlow.cpp - If, Loop and Scan as straight-line ops -----===//
//
// - If with a constant condition becomes its taken branch; the other branch is
//   never refined, so it may be invalid for these shapes (ONNX function bodies
//   such as AffineGrid's rely on that). With a run-time condition both branches
//   are computed (ONNX ops have no side effects) and Where selects, which needs
//   both to yield the same static types.
// - Loop is unrolled: each copy of the body is refined on its own, so carried
//   values may change shape from one iteration to the next. Once the condition
//   is only known at run time, later iterations still run but Where keeps the
//   previous carried values after it turns false; scan outputs would then have
//   a run-time length, which is refused.
// - Scan is unrolled over its static sequence length: Gather takes each slice,
//   Unsqueeze + Concat stack the scan outputs along their axes, in the order
//   the directions give. Scan-8 runs that once per batch entry.
//
//===----------------------------------------------------------------------===//
#include "passes/graph/ExpandControlFlow.h"

#include "ir/ONNXControlFlowOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;

namespace onnxc {
namespace {

/// Iterations a Loop without a trip count may take before onnxc gives up.
constexpr int64_t kMaxLoopIterations = int64_t(1) << 16;

Type elementTypeOf(Value v) { return cast<ShapedType>(v.getType()).getElementType(); }

class Expander {
public:
  Expander(Operation *op, OpProcessor process, int64_t &budget)
      : op(op), b(op), process(process), budget(budget) {}

  FailureOr<SmallVector<Value>> run() {
    if (auto ifOp = dyn_cast<onnx::IfOp>(op))
      return expandIf(ifOp);
    if (auto loop = dyn_cast<onnx::LoopOp>(op))
      return expandLoop(loop);
    return expandScan(cast<onnx::ScanOp>(op));
  }

private:
  InFlightDiagnostic error() { return op->emitError(); }

  LogicalResult spend(int64_t ops) {
    budget -= ops;
    if (budget >= 0)
      return success();
    return error() << "expanding control flow needs more than " << kMaxExpandedOps
                   << " ops; onnxc compiles If, Loop and Scan by unrolling them into "
                   << "straight-line code, and this model's are too large for that";
  }

  /// An onnx op created before the expanded op, refined (and folded) at once.
  template <typename OpTy>
  FailureOr<Value> make(Type elem, ValueRange operands, ArrayRef<NamedAttribute> attrs = {}) {
    if (failed(spend(1)))
      return failure();
    auto created = OpTy::create(b, op->getLoc(), TypeRange{UnrankedTensorType::get(elem)},
                                operands, attrs);
    FailureOr<SmallVector<Value>> results = process(created);
    if (failed(results))
      return failure();
    return (*results)[0];
  }

  Value constant(DenseElementsAttr value) {
    return onnx::ConstantOp::create(b, op->getLoc(), cast<TensorType>(value.getType()), value);
  }
  Value i64Scalar(int64_t v) {
    auto type = RankedTensorType::get({}, b.getI64Type());
    return constant(DenseElementsAttr::get(type, ArrayRef<int64_t>{v}));
  }
  Value i64s(ArrayRef<int64_t> values) {
    auto type = RankedTensorType::get({int64_t(values.size())}, b.getI64Type());
    return constant(DenseElementsAttr::get(type, values));
  }
  Value boolScalar(bool v) {
    auto type = RankedTensorType::get({}, b.getI1Type());
    return constant(DenseElementsAttr::get(type, v));
  }
  NamedAttribute axisAttr(int64_t axis) { return b.getNamedAttr("axis", b.getI64IntegerAttr(axis)); }

  /// A condition as a bool scalar; it must hold exactly one element.
  FailureOr<Value> scalarCondition(Value cond, StringRef what) {
    RankedTensorType type = onnx::getStaticType(cond);
    if (!type || !type.getElementType().isInteger(1) || type.getNumElements() != 1)
      return error() << what << " must be a bool tensor of one element, got " << cond.getType(),
             failure();
    if (type.getRank() == 0)
      return cond;
    auto emptyShape = RankedTensorType::get({0}, b.getI64Type());
    return make<onnx::ReshapeOp>(b.getI1Type(),
                                 {cond, constant(DenseElementsAttr::get(emptyShape, ArrayRef<int64_t>{}))});
  }

  /// Copies the body's ops before the expanded op with its arguments bound to
  /// `args`, processing each copy; returns what the copy yields.
  FailureOr<SmallVector<Value>> inlineBody(Region &body, ValueRange args) {
    if (failed(spend(1 + llvm::range_size(body.front().without_terminator()))))
      return failure();
    return inlineRegion(b, body, args, process);
  }

  /// Stacks `elements` (one per iteration, in order) along a new `axis`.
  FailureOr<Value> stack(ArrayRef<Value> elements, int64_t axis) {
    SmallVector<Value> expanded;
    for (Value e : elements) {
      FailureOr<Value> u = make<onnx::UnsqueezeOp>(elementTypeOf(e), {e, i64s({axis})});
      if (failed(u))
        return failure();
      expanded.push_back(*u);
    }
    if (expanded.size() == 1)
      return expanded[0];
    return make<onnx::ConcatOp>(elementTypeOf(expanded[0]), expanded, {axisAttr(axis)});
  }

  FailureOr<SmallVector<Value>> expandIf(onnx::IfOp ifOp) {
    FailureOr<Value> cond = scalarCondition(ifOp.getCond(), "If's condition");
    if (failed(cond))
      return failure();
    if (auto known = onnx::getConstantInts(*cond))
      return inlineBody((*known)[0] ? ifOp.getThenBranch() : ifOp.getElseBranch(), {});
    FailureOr<SmallVector<Value>> thenValues = inlineBody(ifOp.getThenBranch(), {});
    if (failed(thenValues))
      return failure();
    FailureOr<SmallVector<Value>> elseValues = inlineBody(ifOp.getElseBranch(), {});
    if (failed(elseValues))
      return failure();
    SmallVector<Value> results;
    for (auto [i, t, e] : llvm::enumerate(*thenValues, *elseValues)) {
      if (t.getType() != e.getType())
        return error() << "the condition is only known at run time, so both branches are "
                       << "computed and one selected; that needs equal types, but output " << i
                       << " is " << t.getType() << " in then_branch and " << e.getType()
                       << " in else_branch", failure();
      FailureOr<Value> selected = make<onnx::WhereOp>(elementTypeOf(t), {*cond, t, e});
      if (failed(selected))
        return failure();
      results.push_back(*selected);
    }
    return results;
  }

  FailureOr<SmallVector<Value>> expandLoop(onnx::LoopOp loop) {
    size_t numCarried = loop.getInitial().size();
    size_t numScan = loop.getNumResults() - numCarried;
    std::optional<int64_t> tripCount;
    if (Value m = loop.getMaxTripCount()) {
      RankedTensorType type = onnx::getStaticType(m);
      if (!type || !type.getElementType().isInteger(64) || type.getNumElements() != 1)
        return error() << "the trip count M must be an int64 tensor of one element, got "
                       << m.getType(), failure();
      auto value = onnx::getConstantInts(m);
      if (!value)
        return error() << "the trip count M must be a compile-time constant: onnxc unrolls loops",
               failure();
      tripCount = std::max<int64_t>(0, (*value)[0]);
    }
    // The condition is a known constant until an iteration makes it a run-time
    // value (`active`); from then on iterations are masked.
    std::optional<bool> known = true;
    Value active;
    if (Value c = loop.getCond()) {
      FailureOr<Value> cond = scalarCondition(c, "Loop's condition");
      if (failed(cond))
        return failure();
      if (auto value = onnx::getConstantInts(*cond)) {
        known = (*value)[0] != 0;
      } else {
        known.reset();
        active = *cond;
      }
    }
    SmallVector<Value> carried(loop.getInitial());
    SmallVector<SmallVector<Value>> scanElements(numScan);
    for (int64_t i = 0;; ++i) {
      if ((tripCount && i >= *tripCount) || (known && !*known))
        break;
      if (!known && !tripCount)
        return error() << "the loop condition must be a compile-time constant when there is no "
                       << "trip count M: onnxc unrolls loops", failure();
      if (!known && numScan)
        return error() << "the loop condition must be a compile-time constant: with a run-time "
                       << "condition the " << numScan << " scan outputs would have a run-time "
                       << "length, and onnxc compiles static shapes only", failure();
      if (i >= kMaxLoopIterations)
        return error() << "the loop runs more than " << kMaxLoopIterations
                       << " iterations at compile time; onnxc unrolls loops", failure();
      SmallVector<Value> args = {i64Scalar(i), known ? boolScalar(true) : active};
      args.append(carried);
      FailureOr<SmallVector<Value>> outs = inlineBody(loop.getBody(), args);
      if (failed(outs))
        return failure();
      FailureOr<Value> condOut = scalarCondition((*outs)[0], "the body's condition output");
      if (failed(condOut))
        return failure();
      ArrayRef<Value> newCarried = ArrayRef<Value>(*outs).slice(1, numCarried);
      if (known) {
        carried.assign(newCarried.begin(), newCarried.end());
        for (size_t k = 0; k < numScan; ++k)
          scanElements[k].push_back((*outs)[1 + numCarried + k]);
        if (auto value = onnx::getConstantInts(*condOut)) {
          known = (*value)[0] != 0;
        } else {
          known.reset();
          active = *condOut;
        }
        continue;
      }
      for (size_t j = 0; j < numCarried; ++j) {
        if (newCarried[j].getType() != carried[j].getType())
          return error() << "loop-carried value " << j << " changes from " << carried[j].getType()
                         << " to " << newCarried[j].getType() << " while the loop condition is "
                         << "only known at run time; onnxc compiles static shapes only", failure();
        FailureOr<Value> kept =
            make<onnx::WhereOp>(elementTypeOf(carried[j]), {active, newCarried[j], carried[j]});
        if (failed(kept))
          return failure();
        carried[j] = *kept;
      }
      FailureOr<Value> stillActive = make<onnx::AndOp>(b.getI1Type(), {active, *condOut});
      if (failed(stillActive))
        return failure();
      active = *stillActive;
    }
    SmallVector<Value> results(carried);
    for (ArrayRef<Value> elements : scanElements) {
      if (elements.empty())
        return error() << "the loop runs no iteration, so its scan outputs would be empty "
                       << "tensors of unknown shape", failure();
      FailureOr<Value> stacked = stack(elements, 0);
      if (failed(stacked))
        return failure();
      results.push_back(*stacked);
    }
    return results;
  }

  /// Scan-9 semantics over one sequence: `inputs` are scanned along `inAxes`.
  FailureOr<SmallVector<Value>> scanSequence(onnx::ScanOp scan, ValueRange states,
                                             ValueRange inputs) {
    SmallVector<int64_t> inAxes = onnx::getI64s(scan.getScanInputAxes());
    SmallVector<int64_t> inDirections = onnx::getI64s(scan.getScanInputDirections());
    SmallVector<int64_t> outAxes = onnx::getI64s(scan.getScanOutputAxes());
    SmallVector<int64_t> outDirections = onnx::getI64s(scan.getScanOutputDirections());
    size_t numScanOutputs = scan.getNumResults() - states.size();
    int64_t length = -1;
    SmallVector<int64_t> axes;
    for (auto [j, input] : llvm::enumerate(inputs)) {
      RankedTensorType type = onnx::getStaticType(input);
      int64_t rank = type.getRank();
      if (inAxes[j] < -rank || inAxes[j] >= rank)
        return error() << "scan input " << j << " has rank " << rank << ", so its scan axis "
                       << inAxes[j] << " is out of range", failure();
      axes.push_back(inAxes[j] < 0 ? inAxes[j] + rank : inAxes[j]);
      int64_t n = type.getDimSize(axes.back());
      if (length >= 0 && n != length)
        return error() << "scan inputs have different sequence lengths (" << length << " and " << n
                       << ")", failure();
      length = n;
    }
    if (length == 0 && numScanOutputs)
      return error() << "the sequence is empty, so the scan outputs would be empty tensors of "
                     << "unknown shape", failure();
    SmallVector<Value> current(states);
    SmallVector<SmallVector<Value>> scanElements(numScanOutputs);
    for (int64_t t = 0; t < length; ++t) {
      SmallVector<Value> args(current);
      for (auto [j, input] : llvm::enumerate(inputs)) {
        int64_t index = inDirections[j] ? length - 1 - t : t;
        FailureOr<Value> slice = make<onnx::GatherOp>(elementTypeOf(input),
                                                      {input, i64Scalar(index)}, {axisAttr(axes[j])});
        if (failed(slice))
          return failure();
        args.push_back(*slice);
      }
      FailureOr<SmallVector<Value>> outs = inlineBody(scan.getBody(), args);
      if (failed(outs))
        return failure();
      current.assign(outs->begin(), outs->begin() + states.size());
      for (size_t k = 0; k < numScanOutputs; ++k)
        scanElements[k].push_back((*outs)[states.size() + k]);
    }
    SmallVector<Value> results(current);
    for (auto [k, elements] : llvm::enumerate(scanElements)) {
      int64_t rank = onnx::getStaticType(elements[0]).getRank() + 1;
      if (outAxes[k] < -rank || outAxes[k] >= rank)
        return error() << "scan output " << k << " has rank " << rank << ", so its axis "
                       << outAxes[k] << " is out of range", failure();
      if (outDirections[k])
        std::reverse(elements.begin(), elements.end());
      FailureOr<Value> stacked = stack(elements, outAxes[k] < 0 ? outAxes[k] + rank : outAxes[k]);
      if (failed(stacked))
        return failure();
      results.push_back(*stacked);
    }
    return results;
  }

  FailureOr<SmallVector<Value>> expandScan(onnx::ScanOp scan) {
    if (!scan.getBatched())
      return scanSequence(scan, scan.getInitial(), scan.getScanInputs());
    // Scan-8: every state and scan input leads with the batch axis.
    SmallVector<Value> operands(scan.getInitial());
    operands.append(scan.getScanInputs().begin(), scan.getScanInputs().end());
    int64_t batch = -1;
    for (Value v : operands) {
      RankedTensorType type = onnx::getStaticType(v);
      if (type.getRank() < 1 || (batch >= 0 && type.getDimSize(0) != batch))
        return error() << "Scan-8 needs every state and scan input to lead with the same batch "
                       << "axis, got " << v.getType(), failure();
      batch = type.getDimSize(0);
    }
    RankedTensorType firstInput = onnx::getStaticType(scan.getScanInputs()[0]);
    if (Value lens = scan.getSequenceLens()) {
      auto values = onnx::getConstantInts(lens);
      if (!values)
        return error() << "sequence_lens must be a compile-time constant", failure();
      if (firstInput.getRank() < 2 ||
          llvm::any_of(*values, [&](int64_t n) { return n != firstInput.getDimSize(1); }))
        return error() << "sequence_lens shorter than the scan inputs' sequence axis are not "
                       << "supported (every sequence must be full length)", failure();
    }
    SmallVector<SmallVector<Value>> perBatch(scan.getNumResults());
    for (int64_t n = 0; n < batch; ++n) {
      SmallVector<Value> sliced;
      for (Value v : operands) {
        FailureOr<Value> s = make<onnx::GatherOp>(elementTypeOf(v), {v, i64Scalar(n)}, {axisAttr(0)});
        if (failed(s))
          return failure();
        sliced.push_back(*s);
      }
      size_t numStates = scan.getInitial().size();
      FailureOr<SmallVector<Value>> outs = scanSequence(
          scan, ArrayRef<Value>(sliced).take_front(numStates), ArrayRef<Value>(sliced).drop_front(numStates));
      if (failed(outs))
        return failure();
      for (auto [k, v] : llvm::enumerate(*outs))
        perBatch[k].push_back(v);
    }
    SmallVector<Value> results;
    for (ArrayRef<Value> elements : perBatch) {
      if (elements.empty())
        return error() << "the batch is empty, so the outputs would have unknown shapes", failure();
      FailureOr<Value> stacked = stack(elements, 0);
      if (failed(stacked))
        return failure();
      results.push_back(*stacked);
    }
    return results;
  }

  Operation *op;
  OpBuilder b;
  OpProcessor process;
  int64_t &budget;
};

} // namespace

FailureOr<SmallVector<Value>> inlineRegion(OpBuilder &b, Region &body, ValueRange args,
                                           OpProcessor process) {
  Block &block = body.front();
  IRMapping mapping;
  mapping.map(block.getArguments(), args);
  for (Operation &original : block.without_terminator()) {
    Operation *copy = b.clone(original, mapping);
    FailureOr<SmallVector<Value>> results = process(copy);
    if (failed(results))
      return failure();
    mapping.map(original.getResults(), *results);
  }
  SmallVector<Value> yielded;
  for (Value v : block.getTerminator()->getOperands())
    yielded.push_back(mapping.lookupOrDefault(v));
  return yielded;
}

bool isControlFlowOp(Operation *op) { return isa<onnx::IfOp, onnx::LoopOp, onnx::ScanOp>(op); }

FailureOr<SmallVector<Value>> expandControlFlow(Operation *op, OpProcessor process,
                                                int64_t &budget) {
  return Expander(op, process, budget).run();
}

} // namespace onnxc
