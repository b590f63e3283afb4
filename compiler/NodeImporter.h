//===- NodeImporter.h - importing one ONNX node ----------------*- C++ -*-===//
//
// A NodeContext gives an op importer typed access to one node's inputs and
// attributes, tracks which attributes it read (any left unread is reported as
// unsupported, so no attribute is ever silently ignored), and records its
// outputs. Importers are registered per op type, one file per op family.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_COMPILER_NODEIMPORTER_H
#define ONNXC_COMPILER_NODEIMPORTER_H

#include "compiler/ModelFile.h"
#include "ir/ONNXDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Region.h"
#include "llvm/ADT/StringMap.h"

#include <functional>
#include <memory>
#include <optional>
#include <set>

namespace onnxc {

class NodeContext {
public:
  NodeContext(const ::onnx::NodeProto &node, int64_t opset, mlir::OpBuilder &builder,
              mlir::Location loc, llvm::SmallVector<mlir::Value> inputs, ModelFile &file)
      : node(node), opset(opset), b(builder), loc(loc), inputs(std::move(inputs)), file(file) {}

  const ::onnx::NodeProto &node;
  const int64_t opset;
  mlir::OpBuilder &b;
  const mlir::Location loc;

  /// Input i, or a null Value when it is absent (past the end or named "").
  mlir::Value input(size_t i) const { return i < inputs.size() ? inputs[i] : mlir::Value(); }
  size_t numInputs() const { return inputs.size(); }
  /// Input i, reporting an error when it is absent.
  mlir::FailureOr<mlir::Value> requiredInput(size_t i);
  /// Checks the input count is within [min, max].
  mlir::LogicalResult expectInputs(size_t min, size_t max);

  // Attributes. Each getter marks the attribute as read; a present attribute
  // of the wrong kind is reported and read as absent.
  std::optional<int64_t> getInt(llvm::StringRef name);
  std::optional<float> getFloat(llvm::StringRef name);
  std::optional<std::string> getString(llvm::StringRef name);
  std::optional<llvm::SmallVector<int64_t>> getInts(llvm::StringRef name);
  std::optional<llvm::SmallVector<float>> getFloats(llvm::StringRef name);
  std::optional<std::vector<std::string>> getStrings(llvm::StringRef name);
  const ::onnx::TensorProto *getTensor(llvm::StringRef name);
  const ::onnx::GraphProto *getGraph(llvm::StringRef name);
  int64_t getInt(llvm::StringRef name, int64_t dflt) { return getInt(name).value_or(dflt); }
  float getFloat(llvm::StringRef name, float dflt) { return getFloat(name).value_or(dflt); }
  /// Marks an attribute as read without using it (legacy attributes with no effect).
  void ignore(llvm::StringRef name) { read.insert(name.str()); }
  bool has(llvm::StringRef name) const;

  /// Attribute helpers for op builders (null when absent).
  mlir::ArrayAttr intsAttr(llvm::StringRef name);
  mlir::IntegerAttr intAttr(llvm::StringRef name);
  mlir::FloatAttr floatAttr(llvm::StringRef name);
  mlir::StringAttr stringAttr(llvm::StringRef name);

  /// An error on this node, prefixed with file, node, op type and opset.
  mlir::InFlightDiagnostic error();

  /// Unranked tensor of `elementType`: shape inference fills it in.
  mlir::Type unranked(mlir::Type elementType) const;
  /// Unranked tensor with the element type of `like`.
  mlir::Type unrankedLike(mlir::Value like) const;

  /// Constant int64 tensor (shape operands made from legacy attributes).
  mlir::Value constantI64s(llvm::ArrayRef<int64_t> values, bool scalar = false);
  /// Constant scalar of `elementType`.
  mlir::Value constantScalar(mlir::Type elementType, double value);

  ModelFile &modelFile() { return file; }

  /// Imports the graph attribute `name` (required) into a new region of one
  /// block whose arguments have `argTypes` (one per graph input) and which
  /// ends in onnx.Yield of the graph outputs. Its nodes may use every value
  /// visible to this node. Errors are reported here.
  mlir::FailureOr<std::unique_ptr<mlir::Region>> importSubgraph(llvm::StringRef name,
                                                                mlir::TypeRange argTypes);
  /// Set by the graph importer; imports one subgraph (see importSubgraph).
  std::function<mlir::FailureOr<std::unique_ptr<mlir::Region>>(
      const ::onnx::GraphProto &, mlir::TypeRange, const std::string &)>
      subgraphImporter;

  /// The node's outputs; more values than the node names are fine, fewer are
  /// an error when the node asks for them.
  mlir::LogicalResult setOutputs(mlir::ValueRange values);
  llvm::ArrayRef<mlir::Value> outputs() const { return results; }

  /// Attributes present but never read by the importer.
  std::vector<std::string> unreadAttributes() const;

private:
  const ::onnx::AttributeProto *find(llvm::StringRef name, ::onnx::AttributeProto::AttributeType type);

  llvm::SmallVector<mlir::Value> inputs;
  llvm::SmallVector<mlir::Value> results;
  std::set<std::string> read;
  ModelFile &file;
};

/// Imports one node: creates its ops at the builder and calls setOutputs.
using OpImporter = std::function<mlir::LogicalResult(NodeContext &)>;
using OpImporterTable = llvm::StringMap<OpImporter>;

/// One registration function per op family.
void registerElementwiseImporters(OpImporterTable &table);
void registerNeuralNetImporters(OpImporterTable &table);
void registerTensorImporters(OpImporterTable &table);
void registerMathImporters(OpImporterTable &table);
void registerReductionImporters(OpImporterTable &table);
void registerShapeImporters(OpImporterTable &table);
void registerNormalizationImporters(OpImporterTable &table);
void registerQuantizeImporters(OpImporterTable &table);
void registerImageImporters(OpImporterTable &table);
void registerLossImporters(OpImporterTable &table);
void registerRecurrentImporters(OpImporterTable &table);
void registerControlFlowImporters(OpImporterTable &table);
void registerSequenceMixingImporters(OpImporterTable &table);
void registerSignalImporters(OpImporterTable &table);
void registerDataImporters(OpImporterTable &table);
void registerMLImporters(OpImporterTable &table);

/// All importers, built once.
const OpImporterTable &opImporters();

} // namespace onnxc

#endif // ONNXC_COMPILER_NODEIMPORTER_H
