//===- ImportControlFlow.cpp - If, Loop, Scan, OptionalHas/GetElement -----===//
//
// Subgraphs become regions (see ir/ONNXControlFlowOps.td). Each is imported
// into a detached region first: ONNX does not require subgraph outputs to
// declare their types, so the result element types are read from what the
// imported subgraph yields. Scan-8 is normalised to Scan-9's attributes with
// the `batched` flag. onnxc has no optional type: an optional input is either
// absent or a plain tensor, which decides OptionalHasElement at import.
//
//===----------------------------------------------------------------------===//
#include "compiler/NodeImporter.h"
#include "ir/ONNXControlFlowOps.h"

using namespace mlir;

namespace onnxc {
namespace {

Type elementTypeOf(Value v) { return cast<ShapedType>(v.getType()).getElementType(); }

/// The values the region's onnx.Yield returns.
ValueRange yieldedValues(Region &region) {
  return cast<onnx::YieldOp>(region.front().getTerminator()).getValues();
}

/// Marks attributes as read before the importer may stop early, so a refused
/// node reports its real problem, not also "attribute 'body' is not supported".
void readUpFront(NodeContext &ctx, std::initializer_list<StringRef> names) {
  for (StringRef name : names)
    ctx.ignore(name);
}

LogicalResult importIf(NodeContext &ctx) {
  readUpFront(ctx, {"then_branch", "else_branch"});
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  FailureOr<std::unique_ptr<Region>> thenBranch = ctx.importSubgraph("then_branch", {});
  FailureOr<std::unique_ptr<Region>> elseBranch = ctx.importSubgraph("else_branch", {});
  if (failed(thenBranch) || failed(elseBranch))
    return failure();
  ValueRange thenValues = yieldedValues(**thenBranch), elseValues = yieldedValues(**elseBranch);
  if (thenValues.size() != elseValues.size())
    return ctx.error() << "then_branch yields " << thenValues.size() << " outputs but else_branch "
                       << elseValues.size();
  SmallVector<Type> types;
  for (auto [t, e] : llvm::zip(thenValues, elseValues)) {
    if (elementTypeOf(t) != elementTypeOf(e))
      return ctx.error() << "then_branch and else_branch yield different element types ("
                         << elementTypeOf(t) << " and " << elementTypeOf(e) << ")";
    types.push_back(ctx.unranked(elementTypeOf(t)));
  }
  auto op = onnx::IfOp::create(ctx.b, ctx.loc, types, ctx.input(0));
  op.getThenBranch().takeBody(**thenBranch);
  op.getElseBranch().takeBody(**elseBranch);
  return ctx.setOutputs(op.getResults());
}

LogicalResult importLoop(NodeContext &ctx) {
  readUpFront(ctx, {"body"});
  if (ctx.numInputs() < 2)
    return ctx.error() << "expects at least 2 inputs (M and cond, possibly empty), got "
                       << ctx.numInputs();
  SmallVector<Value> initial;
  SmallVector<Type> argTypes = {ctx.unranked(ctx.b.getI64Type()), ctx.unranked(ctx.b.getI1Type())};
  for (size_t i = 2; i < ctx.numInputs(); ++i) {
    FailureOr<Value> v = ctx.requiredInput(i);
    if (failed(v))
      return failure();
    initial.push_back(*v);
    argTypes.push_back(ctx.unrankedLike(*v));
  }
  FailureOr<std::unique_ptr<Region>> body = ctx.importSubgraph("body", argTypes);
  if (failed(body))
    return failure();
  ValueRange yielded = yieldedValues(**body);
  size_t numCarried = initial.size();
  if (yielded.size() < 1 + numCarried)
    return ctx.error() << "body yields " << yielded.size() << " outputs; it must yield the "
                       << "condition and the " << numCarried << " loop-carried values first";
  if (elementTypeOf(yielded[0]) != ctx.b.getI1Type())
    return ctx.error() << "body's first output (the condition) must be bool";
  SmallVector<Type> types;
  for (size_t i = 0; i < numCarried; ++i) {
    if (elementTypeOf(yielded[1 + i]) != elementTypeOf(initial[i]))
      return ctx.error() << "loop-carried value " << i << " starts as " << elementTypeOf(initial[i])
                         << " but the body yields " << elementTypeOf(yielded[1 + i]);
    types.push_back(ctx.unrankedLike(initial[i]));
  }
  for (Value scanElement : yielded.drop_front(1 + numCarried))
    types.push_back(ctx.unrankedLike(scanElement));
  auto op = onnx::LoopOp::create(ctx.b, ctx.loc, types, ctx.input(0), ctx.input(1), initial);
  op.getBody().takeBody(**body);
  return ctx.setOutputs(op.getResults());
}

/// Reads an ints attribute of `count` entries, defaulting to zeros; directions
/// must be 0 or 1.
FailureOr<ArrayAttr> scanAttr(NodeContext &ctx, StringRef name, size_t count, bool direction) {
  SmallVector<int64_t> values = ctx.getInts(name).value_or(SmallVector<int64_t>(count, 0));
  if (values.size() != count)
    return ctx.error() << "attribute '" << name << "' has " << values.size() << " entries, expected "
                       << count, failure();
  if (direction && llvm::any_of(values, [](int64_t d) { return d != 0 && d != 1; }))
    return ctx.error() << "attribute '" << name << "' must hold 0 (forward) or 1 (reverse)",
           failure();
  return ctx.b.getI64ArrayAttr(values);
}

LogicalResult importScan(NodeContext &ctx) {
  bool batched = ctx.opset < 9; // Scan-8: sequence_lens first, a batch axis everywhere.
  if (batched)
    readUpFront(ctx, {"body", "directions"});
  else
    readUpFront(ctx, {"body", "scan_input_axes", "scan_input_directions", "scan_output_axes",
                      "scan_output_directions"});
  std::optional<int64_t> numScanInputs = ctx.getInt("num_scan_inputs");
  if (!numScanInputs)
    return ctx.error() << "attribute 'num_scan_inputs' is required";
  size_t first = batched ? 1 : 0;
  if (*numScanInputs < 1 || ctx.numInputs() < first + *numScanInputs)
    return ctx.error() << "num_scan_inputs is " << *numScanInputs << " but the node has "
                       << ctx.numInputs() - first << " state and scan inputs";
  size_t numScan = *numScanInputs, numStates = ctx.numInputs() - first - numScan;
  SmallVector<Value> states, scanInputs;
  SmallVector<Type> argTypes;
  for (size_t i = first; i < ctx.numInputs(); ++i) {
    FailureOr<Value> v = ctx.requiredInput(i);
    if (failed(v))
      return failure();
    (i < first + numStates ? states : scanInputs).push_back(*v);
    argTypes.push_back(ctx.unrankedLike(*v));
  }
  FailureOr<std::unique_ptr<Region>> body = ctx.importSubgraph("body", argTypes);
  if (failed(body))
    return failure();
  ValueRange yielded = yieldedValues(**body);
  if (yielded.size() < numStates)
    return ctx.error() << "body yields " << yielded.size() << " outputs; it must yield the "
                       << numStates << " states first";
  size_t numScanOutputs = yielded.size() - numStates;
  FailureOr<ArrayAttr> inputAxes = ctx.b.getI64ArrayAttr(SmallVector<int64_t>(numScan, 0));
  FailureOr<ArrayAttr> outputAxes = ctx.b.getI64ArrayAttr(SmallVector<int64_t>(numScanOutputs, 0));
  FailureOr<ArrayAttr> inputDirections, outputDirections = outputAxes;
  if (batched) {
    inputDirections = scanAttr(ctx, "directions", numScan, true);
  } else {
    inputAxes = scanAttr(ctx, "scan_input_axes", numScan, false);
    inputDirections = scanAttr(ctx, "scan_input_directions", numScan, true);
    outputAxes = scanAttr(ctx, "scan_output_axes", numScanOutputs, false);
    outputDirections = scanAttr(ctx, "scan_output_directions", numScanOutputs, true);
  }
  if (failed(inputAxes) || failed(inputDirections) || failed(outputAxes) || failed(outputDirections))
    return failure();
  SmallVector<Type> types;
  for (size_t i = 0; i < numStates; ++i) {
    if (elementTypeOf(yielded[i]) != elementTypeOf(states[i]))
      return ctx.error() << "state " << i << " starts as " << elementTypeOf(states[i])
                         << " but the body yields " << elementTypeOf(yielded[i]);
    types.push_back(ctx.unrankedLike(states[i]));
  }
  for (Value scanElement : yielded.drop_front(numStates))
    types.push_back(ctx.unrankedLike(scanElement));
  auto op = onnx::ScanOp::create(ctx.b, ctx.loc, types, batched ? ctx.input(0) : Value(), states,
                                 scanInputs, *inputAxes, *inputDirections, *outputAxes,
                                 *outputDirections, batched);
  op.getBody().takeBody(**body);
  return ctx.setOutputs(op.getResults());
}

// onnxc's values are plain tensors: an optional is either a present tensor or
// an absent input.
LogicalResult importOptionalHasElement(NodeContext &ctx) {
  if (failed(ctx.expectInputs(0, 1)))
    return failure();
  bool present = static_cast<bool>(ctx.input(0));
  auto type = RankedTensorType::get({}, ctx.b.getI1Type());
  return ctx.setOutputs(onnx::ConstantOp::create(ctx.b, ctx.loc, type,
                                                 DenseElementsAttr::get(type, present))
                            .getResult());
}

LogicalResult importOptionalGetElement(NodeContext &ctx) {
  if (failed(ctx.expectInputs(0, 1)))
    return failure();
  Value input = ctx.input(0);
  if (!input)
    return ctx.error() << "the optional input is absent, so it has no element to get";
  return ctx.setOutputs(
      onnx::IdentityOp::create(ctx.b, ctx.loc, ctx.unrankedLike(input), input).getResult());
}

} // namespace

void registerControlFlowImporters(OpImporterTable &table) {
  table["If"] = importIf;
  table["Loop"] = importLoop;
  table["Scan"] = importScan;
  table["OptionalHasElement"] = importOptionalHasElement;
  table["OptionalGetElement"] = importOptionalGetElement;
}

} // namespace onnxc
