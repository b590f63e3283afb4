//===- NodeImporter.cpp - importing one ONNX node -------------------------===//
#include "compiler/NodeImporter.h"

#include "ir/ONNXDialect.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APSInt.h"

using namespace mlir;
using ::onnx::AttributeProto;

namespace onnxc {

FailureOr<Value> NodeContext::requiredInput(size_t i) {
  if (Value v = input(i))
    return v;
  return error() << "input " << i << " is required", failure();
}

LogicalResult NodeContext::expectInputs(size_t min, size_t max) {
  size_t present = 0;
  for (size_t i = 0; i < inputs.size(); ++i)
    present = inputs[i] ? i + 1 : present;
  if (present < min || inputs.size() > max)
    return error() << "expects " << min << " to " << max << " inputs, got " << inputs.size();
  for (size_t i = 0; i < min; ++i)
    if (!inputs[i])
      return error() << "input " << i << " is required";
  return success();
}

bool NodeContext::has(StringRef name) const {
  for (const AttributeProto &attr : node.attribute())
    if (attr.name() == name)
      return true;
  return false;
}

const AttributeProto *NodeContext::find(StringRef name, AttributeProto::AttributeType type) {
  read.insert(name.str());
  for (const AttributeProto &attr : node.attribute()) {
    if (attr.name() != name)
      continue;
    // Models from old exporters may omit the type field; accept the payload.
    if (attr.type() != type && attr.type() != AttributeProto::UNDEFINED) {
      error() << "attribute '" << name.str() << "' has type "
              << AttributeProto::AttributeType_Name(attr.type()) << ", expected "
              << AttributeProto::AttributeType_Name(type);
      return nullptr;
    }
    if (!attr.ref_attr_name().empty()) {
      error() << "attribute '" << name.str() << "' refers to a function attribute, which is "
              << "only valid inside a function body";
      return nullptr;
    }
    return &attr;
  }
  return nullptr;
}

std::optional<int64_t> NodeContext::getInt(StringRef name) {
  if (auto *a = find(name, AttributeProto::INT))
    return a->i();
  return std::nullopt;
}
std::optional<float> NodeContext::getFloat(StringRef name) {
  if (auto *a = find(name, AttributeProto::FLOAT))
    return a->f();
  return std::nullopt;
}
std::optional<std::string> NodeContext::getString(StringRef name) {
  if (auto *a = find(name, AttributeProto::STRING))
    return a->s();
  return std::nullopt;
}
std::optional<SmallVector<int64_t>> NodeContext::getInts(StringRef name) {
  if (auto *a = find(name, AttributeProto::INTS))
    return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
  return std::nullopt;
}
std::optional<SmallVector<float>> NodeContext::getFloats(StringRef name) {
  if (auto *a = find(name, AttributeProto::FLOATS))
    return SmallVector<float>(a->floats().begin(), a->floats().end());
  return std::nullopt;
}
std::optional<std::vector<std::string>> NodeContext::getStrings(StringRef name) {
  if (auto *a = find(name, AttributeProto::STRINGS))
    return std::vector<std::string>(a->strings().begin(), a->strings().end());
  return std::nullopt;
}
const ::onnx::TensorProto *NodeContext::getTensor(StringRef name) {
  if (auto *a = find(name, AttributeProto::TENSOR))
    return &a->t();
  return nullptr;
}

const ::onnx::GraphProto *NodeContext::getGraph(StringRef name) {
  if (auto *a = find(name, AttributeProto::GRAPH))
    return &a->g();
  return nullptr;
}

FailureOr<std::unique_ptr<Region>> NodeContext::importSubgraph(StringRef name, TypeRange argTypes) {
  const ::onnx::GraphProto *graph = getGraph(name);
  if (!graph)
    return error() << "attribute '" << name << "' (a graph) is required", failure();
  if (!subgraphImporter)
    return error() << "subgraphs cannot be imported here", failure();
  return subgraphImporter(*graph, argTypes, name.str());
}

ArrayAttr NodeContext::intsAttr(StringRef name) {
  if (auto v = getInts(name))
    return b.getI64ArrayAttr(*v);
  return nullptr;
}
IntegerAttr NodeContext::intAttr(StringRef name) {
  if (auto v = getInt(name))
    return b.getI64IntegerAttr(*v);
  return nullptr;
}
FloatAttr NodeContext::floatAttr(StringRef name) {
  if (auto v = getFloat(name))
    return b.getF32FloatAttr(*v);
  return nullptr;
}
StringAttr NodeContext::stringAttr(StringRef name) {
  if (auto v = getString(name))
    return b.getStringAttr(*v);
  return nullptr;
}

InFlightDiagnostic NodeContext::error() { return emitError(loc); }

Type NodeContext::unranked(Type elementType) const { return UnrankedTensorType::get(elementType); }

Type NodeContext::unrankedLike(Value like) const {
  return unranked(cast<ShapedType>(like.getType()).getElementType());
}

Value NodeContext::constantI64s(ArrayRef<int64_t> values, bool scalar) {
  auto type = RankedTensorType::get(scalar ? ArrayRef<int64_t>{} : ArrayRef<int64_t>{int64_t(values.size())},
                                    b.getI64Type());
  return onnx::ConstantOp::create(b, loc, type, DenseElementsAttr::get(type, values));
}

Value NodeContext::constantScalar(Type elementType, double value) {
  auto type = RankedTensorType::get({}, elementType);
  if (isa<FloatType>(elementType))
    return onnx::ConstantOp::create(b, loc, type,
                                    DenseElementsAttr::get(type, b.getFloatAttr(elementType, value)));
  // Saturate into the integer type (NaN -> 0): Clip-6's default bounds are
  // +-FLT_MAX, and converting an out-of-range double to int64 is undefined.
  auto intType = cast<IntegerType>(elementType);
  llvm::APSInt bits(intType.getWidth(), intType.isUnsigned() || intType.getWidth() == 1);
  bool exact = false;
  llvm::APFloat(value).convertToInteger(bits, llvm::APFloat::rmTowardZero, &exact);
  Attribute element = b.getIntegerAttr(elementType, bits);
  return onnx::ConstantOp::create(b, loc, type, DenseElementsAttr::get(type, element));
}

LogicalResult NodeContext::setOutputs(ValueRange values) {
  for (int i = values.size(); i < node.output_size(); ++i)
    if (!node.output(i).empty())
      return error() << "output " << i << " ('" << node.output(i)
                     << "') is not supported; onnxc computes only the first " << values.size();
  results.assign(values.begin(), values.end());
  return success();
}

std::vector<std::string> NodeContext::unreadAttributes() const {
  std::vector<std::string> unread;
  for (const AttributeProto &attr : node.attribute())
    if (!read.count(attr.name()))
      unread.push_back(attr.name());
  return unread;
}

const OpImporterTable &opImporters() {
  static const OpImporterTable table = [] {
    OpImporterTable t;
    registerElementwiseImporters(t);
    registerNeuralNetImporters(t);
    registerTensorImporters(t);
    registerMathImporters(t);
    registerReductionImporters(t);
    registerShapeImporters(t);
    registerNormalizationImporters(t);
    registerQuantizeImporters(t);
    registerImageImporters(t);
    registerLossImporters(t);
    registerRecurrentImporters(t);
    registerControlFlowImporters(t);
    registerSequenceMixingImporters(t);
    registerSignalImporters(t);
    registerDataImporters(t);
    registerMLImporters(t);
    return t;
  }();
  return table;
}

} // namespace onnxc
