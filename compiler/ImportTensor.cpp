//===- ImportTensor.cpp - Constant, Flatten, Reshape, Transpose, Concat ---===//
#include "compiler/NodeImporter.h"
#include "compiler/TensorImport.h"
#include "llvm/ADT/SmallString.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace onnxc {
namespace {

LogicalResult importConstant(NodeContext &ctx) {
  if (failed(ctx.expectInputs(0, 0)))
    return failure();
  ElementsAttr value;
  Builder &b = ctx.b;
  int present = 0;
  for (const char *name : {"value", "value_float", "value_floats", "value_int", "value_ints",
                           "value_string", "value_strings", "sparse_value"})
    present += ctx.has(name);
  if (present != 1)
    return ctx.error() << "exactly one value attribute is required, got " << present;
  if (const auto *tensor = ctx.getTensor("value")) {
    std::string error;
    value = importTensor(b.getContext(), *tensor, ctx.modelFile(), error);
    if (!value)
      return ctx.error() << "tensor 'value' " << error;
  } else if (auto f = ctx.getFloat("value_float")) {
    auto type = RankedTensorType::get({}, b.getF32Type());
    value = DenseElementsAttr::get(type, *f);
  } else if (auto fs = ctx.getFloats("value_floats")) {
    auto type = RankedTensorType::get({int64_t(fs->size())}, b.getF32Type());
    value = DenseElementsAttr::get(type, ArrayRef<float>(*fs));
  } else if (auto i = ctx.getInt("value_int")) {
    auto type = RankedTensorType::get({}, b.getI64Type());
    value = DenseElementsAttr::get(type, *i);
  } else if (auto is = ctx.getInts("value_ints")) {
    auto type = RankedTensorType::get({int64_t(is->size())}, b.getI64Type());
    value = DenseElementsAttr::get(type, ArrayRef<int64_t>(*is));
  } else {
    return ctx.error() << "string and sparse constants are not supported";
  }
  return ctx.setOutputs(onnx::ConstantOp::create(ctx.b, ctx.loc,
                                                 cast<TensorType>(value.getType()), value)
                            .getResult());
}

LogicalResult importFlatten(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  Value x = ctx.input(0);
  return ctx.setOutputs(
      onnx::FlattenOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.intAttr("axis"))
          .getResult());
}

LogicalResult importReshape(NodeContext &ctx) {
  Value data = ctx.input(0), shape;
  if (ctx.opset < 5) {
    // Opsets 1-4 carried the shape as an attribute.
    if (failed(ctx.expectInputs(1, 1)))
      return failure();
    ctx.ignore("consumed_inputs");
    auto dims = ctx.getInts("shape");
    if (!dims)
      return ctx.error() << "attribute 'shape' is required";
    shape = ctx.constantI64s(*dims);
  } else {
    if (failed(ctx.expectInputs(2, 2)))
      return failure();
    shape = ctx.input(1);
  }
  return ctx.setOutputs(onnx::ReshapeOp::create(ctx.b, ctx.loc, ctx.unrankedLike(data), data,
                                                shape, ctx.intAttr("allowzero"))
                            .getResult());
}

LogicalResult importTranspose(NodeContext &ctx) {
  if (failed(ctx.expectInputs(1, 1)))
    return failure();
  Value x = ctx.input(0);
  return ctx.setOutputs(
      onnx::TransposeOp::create(ctx.b, ctx.loc, ctx.unrankedLike(x), x, ctx.intsAttr("perm"))
          .getResult());
}

LogicalResult importConcat(NodeContext &ctx) {
  if (ctx.numInputs() == 0)
    return ctx.error() << "needs at least one input";
  SmallVector<Value> inputs;
  for (size_t i = 0; i < ctx.numInputs(); ++i) {
    if (!ctx.input(i))
      return ctx.error() << "input " << i << " is empty";
    inputs.push_back(ctx.input(i));
  }
  // axis was optional (default 1) before opset 4.
  auto axis = ctx.getInt("axis");
  if (!axis && ctx.opset >= 4)
    return ctx.error() << "attribute 'axis' is required";
  return ctx.setOutputs(onnx::ConcatOp::create(ctx.b, ctx.loc, ctx.unrankedLike(inputs[0]),
                                               inputs, ctx.b.getI64IntegerAttr(axis.value_or(1)))
                            .getResult());
}

LogicalResult importDropout(NodeContext &ctx) {
  // Inference: Dropout is the identity. Training mode would need randomness.
  if (failed(ctx.expectInputs(1, 3)))
    return failure();
  ctx.ignore("ratio");
  ctx.ignore("seed");
  ctx.ignore("consumed_inputs");
  ctx.ignore("is_test"); // Opsets 1-6: compiled graphs always run inference.
  if (Value training = ctx.input(2)) {
    auto values = onnx::getConstantInts(training);
    if (!values || values->size() != 1)
      return ctx.error() << "training_mode must be a compile-time constant scalar (training "
                            "mode drops random elements)";
    // Training mode is deterministic only when it drops nothing: ratio 0 keeps every element
    // (scale 1/(1-0)) and the mask is all true, exactly as in inference.
    if ((*values)[0] != 0) {
      Value ratio = ctx.input(1);
      if (!ratio)
        return ctx.error() << "training_mode=1 with the default ratio 0.5 drops random "
                              "elements; onnxc compiles deterministic inference code";
      DenseFPElementsAttr ratioValue;
      if (!matchPattern(ratio, m_Constant(&ratioValue)) || ratioValue.getNumElements() != 1)
        return ctx.error() << "ratio must be a compile-time constant scalar when training_mode "
                              "is true";
      APFloat r = *ratioValue.value_begin<APFloat>();
      if (!r.isZero()) {
        SmallString<16> text;
        r.toString(text);
        return ctx.error() << "training_mode=1 with ratio " << text
                           << " drops random elements; onnxc compiles deterministic inference code";
      }
    }
  }
  Value x = ctx.input(0);
  if (ctx.node.output_size() < 2 || ctx.node.output(1).empty())
    return ctx.setOutputs(x);
  // Without training nothing is dropped: the mask is all true (bool from
  // opset 10, the data's type before).
  Type maskElem = ctx.opset >= 10 ? ctx.b.getI1Type() : cast<ShapedType>(x.getType()).getElementType();
  auto one = RankedTensorType::get({1}, maskElem);
  Attribute oneValue = isa<FloatType>(maskElem) ? Attribute(ctx.b.getFloatAttr(maskElem, 1.0))
                                                : Attribute(ctx.b.getIntegerAttr(maskElem, 1));
  Value shape = onnx::ShapeOp::create(ctx.b, ctx.loc, ctx.unranked(ctx.b.getI64Type()), x, nullptr, nullptr);
  Value mask = onnx::ConstantOfShapeOp::create(ctx.b, ctx.loc, ctx.unranked(maskElem), shape,
                                               DenseElementsAttr::get(one, oneValue));
  return ctx.setOutputs({x, mask});
}

} // namespace

void registerTensorImporters(OpImporterTable &table) {
  table["Constant"] = importConstant;
  table["Flatten"] = importFlatten;
  table["Reshape"] = importReshape;
  table["Transpose"] = importTranspose;
  table["Concat"] = importConcat;
  table["Dropout"] = importDropout;
}

} // namespace onnxc
