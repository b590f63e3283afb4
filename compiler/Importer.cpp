//===- Importer.cpp - ONNX ModelProto to the onnx dialect -----------------===//
#include "compiler/Importer.h"

#include "llvm/ADT/StringSet.h"

#include "compiler/Diagnostics.h"
#include "compiler/NodeImporter.h"
#include "compiler/TensorImport.h"
#include "ir/ONNXControlFlowOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

#include <fmt/format.h>

#include <set>
#include <unordered_map>

using namespace mlir;

namespace onnxc {
namespace {

class GraphImporter {
public:
  GraphImporter(MLIRContext &ctx, ModelFile &file, const ImportOptions &options)
      : ctx(ctx), file(file), options(options), builder(&ctx),
        fileLoc(FileLineColLoc::get(&ctx, file.path(), 0, 0)) {}

  OwningOpRef<ModuleOp> run();

private:
  Location namedLoc(const std::string &label) { return nodeLocation(&ctx, file.path(), label); }
  InFlightDiagnostic error(const std::string &label) { ++errors; return emitError(namedLoc(label)); }
  InFlightDiagnostic error() { ++errors; return emitError(fileLoc); }

  bool readOpset();
  std::optional<Type> inputType(const ::onnx::ValueInfoProto &info);
  void importInitializers(const ::onnx::GraphProto &graph);
  void importNode(const ::onnx::NodeProto &node, size_t index);
  FailureOr<std::unique_ptr<Region>> importSubgraph(const ::onnx::GraphProto &graph,
                                                    TypeRange argTypes, const std::string &who);
  void define(const std::string &name, Value value, const std::string &who);
  /// The value named `name` in the innermost scope that has one, or null.
  Value lookup(const std::string &name) const;

  MLIRContext &ctx;
  ModelFile &file;
  const ImportOptions &options;
  OpBuilder builder;
  Location fileLoc;
  int64_t opset = 0;
  /// The ai.onnx.ml opset, 0 when the model does not import it.
  int64_t mlOpset = 0;
  size_t errors = 0;
  /// Names visible to the node being imported: the main graph's, then one
  /// map per enclosing subgraph (ONNX subgraphs see outer-scope values).
  std::vector<std::unordered_map<std::string, Value>> scopes{1};
  /// Prefix of node labels inside subgraphs: "node #3 (Loop, opset 11) body: ".
  std::string labelPrefix;
  /// Values whose producer failed to import: their users are not reported again.
  std::set<std::string> poisoned;
};

bool GraphImporter::readOpset() {
  bool found = false;
  for (const auto &entry : file.proto().opset_import()) {
    if (entry.domain().empty() || entry.domain() == "ai.onnx") {
      opset = entry.version();
      found = true;
    } else if (entry.domain() == "ai.onnx.ml") {
      mlOpset = entry.version();
    }
  }
  // scikit-learn exports may import only ai.onnx.ml; their standard nodes (if
  // any) are then refused one by one.
  if (mlOpset > kMaxMlOpset) {
    error() << fmt::format("ai.onnx.ml opset {} is not supported (onnxc supports opsets 1 to {})",
                           mlOpset, kMaxMlOpset);
    return false;
  }
  if (!found && mlOpset > 0)
    return true;
  if (!found) {
    error() << "the model imports no ai.onnx opset (opset_import is missing)";
    return false;
  }
  if (opset < 1 || opset > kMaxOpset) {
    error() << fmt::format("ai.onnx opset {} is not supported (onnxc supports opsets 1 to {})",
                           opset, kMaxOpset);
    return false;
  }
  return true;
}

std::optional<Type> GraphImporter::inputType(const ::onnx::ValueInfoProto &info) {
  std::string label = fmt::format("input '{}'", info.name());
  if (!info.type().has_tensor_type()) {
    error(label) << "is not a tensor (sequence, map and optional inputs are not supported)";
    return std::nullopt;
  }
  const auto &tensorType = info.type().tensor_type();
  Type elem = elementTypeFor(&ctx, tensorType.elem_type());
  if (!elem) {
    error(label) << "has element type " << onnxTypeName(tensorType.elem_type())
                 << ", which onnxc does not support";
    return std::nullopt;
  }
  SmallVector<int64_t> shape;
  auto it = options.inputShapes.find(info.name());
  if (it != options.inputShapes.end()) {
    shape.assign(it->second.begin(), it->second.end());
    if (tensorType.has_shape()) {
      const auto &dims = tensorType.shape().dim();
      bool conflict = dims.size() != static_cast<int>(shape.size());
      for (int i = 0; !conflict && i < dims.size(); ++i)
        conflict = dims[i].has_dim_value() && dims[i].dim_value() != shape[i];
      if (conflict) {
        error(label) << "--shape " << fmt::format("{}", fmt::join(shape, "x"))
                     << " contradicts the model's declared shape";
        return std::nullopt;
      }
    }
  } else {
    if (!tensorType.has_shape()) {
      error(label) << "has no shape; fix it with --shape " << info.name() << ":DIMS";
      return std::nullopt;
    }
    for (const auto &dim : tensorType.shape().dim()) {
      // A declared negative size is not dynamic, just invalid: say so. A 0 is
      // valid ONNX (an empty tensor) and flows through as a static size.
      if (dim.has_dim_value() && dim.dim_value() < 0) {
        error(label) << "has a dimension " << dim.dim_value() << "; dimensions must not be negative";
        return std::nullopt;
      }
      if (!dim.has_dim_value()) {
        std::string which = dim.has_dim_param() ? fmt::format("'{}'", dim.dim_param())
                                                : std::string("(unnamed)");
        error(label) << "has dynamic dimension " << which << "; fix it with --shape "
                     << info.name() << ":" << "DIMS (e.g. 1x3x224x224)";
        return std::nullopt;
      }
      shape.push_back(dim.dim_value());
    }
  }
  int64_t bytes = std::max<int64_t>(1, (elem.getIntOrFloatBitWidth() + 7) / 8);
  for (int64_t d : shape) {
    if (d < 0) {
      error(label) << "has a dimension " << d << "; dimensions must not be negative";
      return std::nullopt;
    }
    if (d > 0 && bytes > options.maxBytes / d) {
      error(label) << "is larger than the limit of " << options.maxBytes << " bytes (--max-size)";
      return std::nullopt;
    }
    bytes *= d;
  }
  return RankedTensorType::get(shape, elem);
}

void GraphImporter::define(const std::string &name, Value value, const std::string &who) {
  if (!scopes.back().emplace(name, value).second)
    error(who) << "defines '" << name << "', which is already defined: value names must be unique";
}

Value GraphImporter::lookup(const std::string &name) const {
  for (auto scope = scopes.rbegin(); scope != scopes.rend(); ++scope)
    if (auto it = scope->find(name); it != scope->end())
      return it->second;
  return Value();
}

void GraphImporter::importInitializers(const ::onnx::GraphProto &graph) {
  int64_t totalBytes = 0;
  bool overLimit = false;
  for (const auto &tensor : graph.initializer()) {
    // Past the limit, the rest are not read, only poisoned: their users are
    // not reported as "produced by nothing" on top of the one real error.
    if (overLimit) {
      poisoned.insert(tensor.name());
      continue;
    }
    std::string label = fmt::format("initializer '{}'", tensor.name());
    std::string message;
    // Check the declared size before importTensor copies the data: external
    // data can be far larger than the model file, and --max-size must hold
    // before the allocation, not after it. (Negative dims, unsupported types
    // and empty tensors are left to importTensor.)
    Type elem = elementTypeFor(&ctx, tensor.data_type());
    bool empty = llvm::is_contained(tensor.dims(), 0);
    if (elem && !empty && llvm::none_of(tensor.dims(), [](int64_t d) { return d < 0; })) {
      int64_t bytes = std::max<int64_t>(1, (elem.getIntOrFloatBitWidth() + 7) / 8);
      bool tooBig = false;
      for (int64_t d : tensor.dims()) {
        tooBig = tooBig || bytes > options.maxBytes / d; // d > 0 here: no overflow
        bytes = tooBig ? bytes : bytes * d;
      }
      if (tooBig || bytes > options.maxBytes - totalBytes) {
        error(label) << (tooBig ? "is larger than" : "brings the weights past") << " the limit of "
                     << options.maxBytes << " bytes (--max-size)";
        overLimit = true;
        poisoned.insert(tensor.name());
        continue;
      }
    }
    ElementsAttr value = importTensor(&ctx, tensor, file, message);
    if (!value) {
      error(label) << message;
      poisoned.insert(tensor.name());
      continue;
    }
    auto type = cast<ShapedType>(value.getType());
    totalBytes += type.getNumElements() * std::max<int64_t>(1, type.getElementTypeBitWidth() / 8);
    if (totalBytes > options.maxBytes) {
      error(label) << "brings the weights past the limit of " << options.maxBytes
                   << " bytes (--max-size)";
      overLimit = true;
      poisoned.insert(tensor.name());
      continue;
    }
    auto op = onnx::ConstantOp::create(builder, namedLoc(label), cast<TensorType>(value.getType()),
                                       value);
    define(tensor.name(), op.getResult(), label);
  }
}

void GraphImporter::importNode(const ::onnx::NodeProto &node, size_t index) {
  bool standard = node.domain().empty() || node.domain() == "ai.onnx";
  bool ml = node.domain() == "ai.onnx.ml";
  std::string opType = standard ? node.op_type() : node.domain() + "." + node.op_type();
  int64_t nodeOpset = ml ? mlOpset : opset;
  std::string label = labelPrefix + nodeLabel(node.name(), index, opType, nodeOpset);
  auto poisonOutputs = [&] {
    for (const std::string &out : node.output())
      poisoned.insert(out);
  };
  if ((standard || ml) && nodeOpset == 0) {
    error(label) << "the model imports no " << (ml ? "ai.onnx.ml" : "ai.onnx") << " opset";
    return poisonOutputs();
  }
  const OpImporterTable &table = opImporters();
  // ai.onnx.ml and other domains' importers are registered as "domain.op_type".
  auto importer = table.find(opType);
  if (importer == table.end()) {
    // Ops whose result shape depends on the input values cannot have a static shape, which
    // onnxc's generated code and workspace plan need: say so rather than just "unsupported".
    static const llvm::StringSet<> dataDependentShape = {"NonZero", "Unique", "NonMaxSuppression",
                                                         "ImageDecoder", "StringSplit"};
    if (standard && dataDependentShape.contains(opType))
      error(label) << "operator " << opType
                   << " is not supported: its output shape depends on the input values, and onnxc "
                      "compiles static shapes (no allocation at run time)";
    else
      error(label) << "operator " << opType << " is not supported";
    return poisonOutputs();
  }
  if (node.domain() == "ai.onnx.preview") {
    // Preview ops may change incompatibly with the domain's version; onnxc
    // implements version 1.
    std::optional<int64_t> version;
    for (const auto &entry : file.proto().opset_import())
      if (entry.domain() == node.domain())
        version = entry.version();
    if (version != 1) {
      error(label) << "domain " << node.domain() << " is "
                   << (version ? fmt::format("imported at version {}", *version) : "not imported")
                   << "; onnxc supports version 1";
      return poisonOutputs();
    }
  }
  SmallVector<Value> inputs;
  for (const std::string &name : node.input()) {
    if (name.empty()) {
      inputs.push_back(Value());
      continue;
    }
    if (Value value = lookup(name)) {
      inputs.push_back(value);
      continue;
    }
    if (!poisoned.count(name))
      error(label) << "input '" << name << "' is produced by no earlier node, initializer or "
                   << "graph input (the graph must be a topologically sorted DAG)";
    return poisonOutputs();
  }
  NodeContext nodeCtx(node, nodeOpset, builder, namedLoc(label), std::move(inputs), file);
  nodeCtx.subgraphImporter = [&](const ::onnx::GraphProto &graph, TypeRange argTypes,
                                 const std::string &attr) {
    return importSubgraph(graph, argTypes, fmt::format("{} {}", label, attr));
  };
  size_t before = errors;
  ScopedDiagnosticHandler countErrors(&ctx, [&](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error)
      ++errors;
    return failure(); // Let the printer show it.
  });
  LogicalResult imported = importer->second(nodeCtx);
  for (const std::string &attr : nodeCtx.unreadAttributes())
    nodeCtx.error() << "attribute '" << attr << "' is not supported";
  if (failed(imported) || errors != before)
    return poisonOutputs();
  ArrayRef<Value> results = nodeCtx.outputs();
  for (int i = 0; i < node.output_size(); ++i)
    if (!node.output(i).empty())
      define(node.output(i), results[i], label);
}

FailureOr<std::unique_ptr<Region>>
GraphImporter::importSubgraph(const ::onnx::GraphProto &graph, TypeRange argTypes,
                              const std::string &who) {
  if (graph.input_size() != static_cast<int>(argTypes.size())) {
    error(who) << "has " << graph.input_size() << " inputs, expected " << argTypes.size();
    return failure();
  }
  if (graph.output_size() == 0) {
    error(who) << "has no outputs";
    return failure();
  }
  size_t before = errors;
  auto region = std::make_unique<Region>();
  OpBuilder::InsertionGuard guard(builder);
  Location loc = namedLoc(who);
  Block *block = builder.createBlock(region.get(), {}, argTypes,
                                     SmallVector<Location>(argTypes.size(), loc));
  scopes.emplace_back();
  std::string outerPrefix = std::exchange(labelPrefix, who + ": ");
  for (auto [input, arg] : llvm::zip(graph.input(), block->getArguments()))
    define(input.name(), arg, fmt::format("{}: input '{}'", who, input.name()));
  importInitializers(graph);
  for (int i = 0; i < graph.node_size(); ++i)
    importNode(graph.node(i), i);
  SmallVector<Value> results;
  for (const auto &output : graph.output()) {
    if (Value value = lookup(output.name()))
      results.push_back(value);
    else if (!poisoned.count(output.name()))
      error(who) << "output '" << output.name() << "' is produced by no node or input";
    else
      ++errors;
  }
  labelPrefix = outerPrefix;
  scopes.pop_back();
  if (errors != before)
    return failure();
  onnx::YieldOp::create(builder, loc, results);
  return region;
}

OwningOpRef<ModuleOp> GraphImporter::run() {
  ctx.loadDialect<onnx::ONNXDialect, func::FuncDialect>();
  const auto &graph = file.proto().graph();
  if (!readOpset())
    return nullptr;

  std::set<std::string> initializerNames;
  for (const auto &tensor : graph.initializer())
    initializerNames.insert(tensor.name());

  // Graph inputs that are also initializers are weights, not runtime inputs.
  SmallVector<Type> inputTypes;
  SmallVector<Attribute> inputNames;
  std::vector<const ::onnx::ValueInfoProto *> runtimeInputs;
  for (const auto &input : graph.input()) {
    if (initializerNames.count(input.name()))
      continue;
    if (auto type = inputType(input)) {
      inputTypes.push_back(*type);
      inputNames.push_back(builder.getStringAttr(input.name()));
      runtimeInputs.push_back(&input);
    } else {
      poisoned.insert(input.name()); // Its users are not reported again.
    }
  }
  for (const auto &[name, dims] : options.inputShapes) {
    bool known = llvm::any_of(graph.input(), [&](const auto &in) { return in.name() == name; });
    if (!known)
      error() << "--shape names '" << name << "', which is not an input of the graph";
  }
  if (graph.output_size() == 0)
    error() << "the graph has no outputs";

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  (*module)->setAttr("onnxc.opset", builder.getI64IntegerAttr(opset));
  builder.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(builder, fileLoc, options.functionName,
                                   builder.getFunctionType(inputTypes, {}));
  Block *entry = func.addEntryBlock();
  builder.setInsertionPointToStart(entry);
  for (auto [info, arg] : llvm::zip(runtimeInputs, entry->getArguments()))
    define(info->name(), arg, fmt::format("input '{}'", info->name()));
  importInitializers(graph);
  for (int i = 0; i < graph.node_size(); ++i)
    importNode(graph.node(i), i);

  SmallVector<Value> results;
  SmallVector<Attribute> outputNames;
  std::set<std::string> seenOutputs;
  for (const auto &output : graph.output()) {
    std::string label = fmt::format("output '{}'", output.name());
    if (!seenOutputs.insert(output.name()).second) {
      error(label) << "is listed twice among the graph outputs";
      continue;
    }
    Value value = lookup(output.name());
    if (!value) {
      if (!poisoned.count(output.name()))
        error(label) << "is produced by no node, initializer or input";
      continue;
    }
    if (output.type().has_tensor_type() && output.type().tensor_type().elem_type() != 0) {
      Type declared = elementTypeFor(&ctx, output.type().tensor_type().elem_type());
      Type actual = cast<ShapedType>(value.getType()).getElementType();
      if (declared != actual) {
        error(label) << "is declared as "
                     << onnxTypeName(output.type().tensor_type().elem_type())
                     << " but computed as " << onnxTypeName(onnxTypeOf(actual));
        continue;
      }
    }
    results.push_back(value);
    outputNames.push_back(builder.getStringAttr(output.name()));
  }
  if (errors)
    return nullptr;
  func::ReturnOp::create(builder, fileLoc, results);
  func.setType(builder.getFunctionType(inputTypes, ValueRange(results).getTypes()));
  func->setAttr(kInputNamesAttr, builder.getArrayAttr(inputNames));
  func->setAttr(kOutputNamesAttr, builder.getArrayAttr(outputNames));
  return module;
}

} // namespace

OwningOpRef<ModuleOp> importModel(MLIRContext &ctx, ModelFile &file,
                                  const ImportOptions &options) {
  return GraphImporter(ctx, file, options).run();
}

} // namespace onnxc
