//===- ImporterTest.cpp - ONNX protobuf to the onnx dialect ---------------===//
#include "compiler/Diagnostics.h"
#include "compiler/Importer.h"
#include "compiler/Pipeline.h"
#include "ir/ONNXDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace onnxc;

namespace {

/// A scratch folder with a model file written from a ModelProto.
class ImporterTest : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::SmallString<128> dir;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("onnxc-importer", dir));
    folder = std::string(dir);
    mlir::DialectRegistry registry;
    registerOnnxcDialects(registry);
    ctx = std::make_unique<mlir::MLIRContext>(registry);
    ctx->getDiagEngine().registerHandler([this](mlir::Diagnostic &d) {
      messages.push_back(formatDiagnostic(d.getLocation(), d.str()));
    });
  }
  void TearDown() override { llvm::sys::fs::remove_directories(folder); }

  ::onnx::ModelProto baseModel(int64_t opset = 13) {
    ::onnx::ModelProto model;
    model.set_ir_version(8);
    auto *imp = model.add_opset_import();
    imp->set_domain("");
    imp->set_version(opset);
    return model;
  }
  static void addTensorValue(::onnx::ValueInfoProto *info, const std::string &name,
                             std::vector<int64_t> dims, int elemType = 1) {
    info->set_name(name);
    auto *t = info->mutable_type()->mutable_tensor_type();
    t->set_elem_type(elemType);
    auto *shape = t->mutable_shape();
    for (int64_t d : dims) {
      if (d < 0)
        shape->add_dim()->set_dim_param("N");
      else
        shape->add_dim()->set_dim_value(d);
    }
  }
  static ::onnx::NodeProto *addNode(::onnx::ModelProto &m, const std::string &op,
                                    std::vector<std::string> ins, std::vector<std::string> outs,
                                    const std::string &name) {
    auto *n = m.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (auto &i : ins)
      n->add_input(i);
    for (auto &o : outs)
      n->add_output(o);
    return n;
  }
  std::string write(const ::onnx::ModelProto &m, const std::string &file = "model.onnx") {
    std::string path = folder + "/" + file;
    std::ofstream out(path, std::ios::binary);
    m.SerializeToOstream(&out);
    return path;
  }
  mlir::OwningOpRef<mlir::ModuleOp> import(const std::string &path, ImportOptions opts = {}) {
    std::string error;
    auto file = ModelFile::load(path, error);
    if (!file) {
      messages.push_back(error);
      return nullptr;
    }
    return importModel(*ctx, *file, opts);
  }
  bool anyMessageContains(const std::string &text) const {
    for (const auto &m : messages)
      if (m.find(text) != std::string::npos)
        return true;
    return false;
  }

  std::string folder;
  std::unique_ptr<mlir::MLIRContext> ctx;
  std::vector<std::string> messages;
};

TEST_F(ImporterTest, ImportsAReluGraph) {
  auto m = baseModel();
  addTensorValue(m.mutable_graph()->add_input(), "x", {2, 3});
  addTensorValue(m.mutable_graph()->add_output(), "y", {2, 3});
  addNode(m, "Relu", {"x"}, {"y"}, "relu1");
  auto module = import(write(m));
  ASSERT_TRUE(module) << (messages.empty() ? "" : messages[0]);
  auto func = *module->getOps<mlir::func::FuncOp>().begin();
  EXPECT_EQ(func.getNumArguments(), 1u);
  int relus = 0;
  func.walk([&](onnxc::onnx::ReluOp) { ++relus; });
  EXPECT_EQ(relus, 1);
}

TEST_F(ImporterTest, ListsEveryUnsupportedOpInOneRun) {
  auto m = baseModel();
  addTensorValue(m.mutable_graph()->add_input(), "x", {2});
  addTensorValue(m.mutable_graph()->add_output(), "z", {2});
  addNode(m, "FancyOp", {"x"}, {"y"}, "first");
  addNode(m, "OtherOp", {"y"}, {"z"}, "second");
  EXPECT_FALSE(import(write(m)));
  EXPECT_TRUE(anyMessageContains("model.onnx: node 'first' (FancyOp, opset 13): operator FancyOp is not supported"));
  EXPECT_TRUE(anyMessageContains("node 'second' (OtherOp, opset 13)"));
}

TEST_F(ImporterTest, DynamicDimNeedsShapeFlag) {
  auto m = baseModel();
  addTensorValue(m.mutable_graph()->add_input(), "x", {-1, 4});
  addTensorValue(m.mutable_graph()->add_output(), "y", {-1, 4});
  addNode(m, "Relu", {"x"}, {"y"}, "r");
  std::string path = write(m);
  EXPECT_FALSE(import(path));
  EXPECT_TRUE(anyMessageContains("input 'x': has dynamic dimension 'N'; fix it with --shape x:"));
  ImportOptions opts;
  opts.inputShapes["x"] = {3, 4};
  EXPECT_TRUE(import(path, opts));
}

TEST_F(ImporterTest, RejectsInitializerWithWrongDataSize) {
  auto m = baseModel();
  addTensorValue(m.mutable_graph()->add_input(), "x", {2});
  addTensorValue(m.mutable_graph()->add_output(), "y", {2});
  auto *w = m.mutable_graph()->add_initializer();
  w->set_name("w");
  w->set_data_type(1);
  w->add_dims(2);
  w->set_raw_data(std::string(4, '\0')); // one float for two elements
  addNode(m, "Add", {"x", "w"}, {"y"}, "add");
  EXPECT_FALSE(import(write(m)));
  EXPECT_TRUE(anyMessageContains("initializer 'w': holds 4 bytes of data, its shape needs 8"));
}

TEST_F(ImporterTest, RejectsExternalDataOutsideTheModelFolder) {
  auto m = baseModel();
  addTensorValue(m.mutable_graph()->add_input(), "x", {2});
  addTensorValue(m.mutable_graph()->add_output(), "y", {2});
  auto *w = m.mutable_graph()->add_initializer();
  w->set_name("w");
  w->set_data_type(1);
  w->add_dims(2);
  w->set_data_location(::onnx::TensorProto::EXTERNAL);
  auto *loc = w->add_external_data();
  loc->set_key("location");
  loc->set_value("../secret.bin");
  addNode(m, "Add", {"x", "w"}, {"y"}, "add");
  EXPECT_FALSE(import(write(m)));
  EXPECT_TRUE(anyMessageContains("leaves the model's folder"));
}

TEST_F(ImporterTest, ReadsExternalDataInsideTheFolder) {
  auto m = baseModel();
  addTensorValue(m.mutable_graph()->add_input(), "x", {2});
  addTensorValue(m.mutable_graph()->add_output(), "y", {2});
  {
    std::ofstream blob(folder + "/weights.bin", std::ios::binary);
    float values[3] = {9.0f, 1.5f, 2.5f};
    blob.write(reinterpret_cast<const char *>(values), sizeof(values));
  }
  auto *w = m.mutable_graph()->add_initializer();
  w->set_name("w");
  w->set_data_type(1);
  w->add_dims(2);
  w->set_data_location(::onnx::TensorProto::EXTERNAL);
  auto setKV = [&](const char *k, const char *v) {
    auto *e = w->add_external_data();
    e->set_key(k);
    e->set_value(v);
  };
  setKV("location", "weights.bin");
  setKV("offset", "4");
  setKV("length", "8");
  addNode(m, "Add", {"x", "w"}, {"y"}, "add");
  ASSERT_TRUE(import(write(m))) << (messages.empty() ? "" : messages[0]);
  // Past the end of the file is refused.
  w->mutable_external_data(1)->set_value("8");
  EXPECT_FALSE(import(write(m)));
  EXPECT_TRUE(anyMessageContains("lies outside 'weights.bin'"));
}

TEST_F(ImporterTest, RejectsUnsortedOrCyclicGraphs) {
  auto m = baseModel();
  addTensorValue(m.mutable_graph()->add_input(), "x", {2});
  addTensorValue(m.mutable_graph()->add_output(), "z", {2});
  addNode(m, "Relu", {"y"}, {"z"}, "uses_later");
  addNode(m, "Relu", {"z"}, {"y"}, "cycle");
  EXPECT_FALSE(import(write(m)));
  EXPECT_TRUE(anyMessageContains("input 'y' is produced by no earlier node"));
}

TEST_F(ImporterTest, RejectsNewerOpsetAndMissingOpset) {
  auto m = baseModel(kMaxOpset + 1);
  addTensorValue(m.mutable_graph()->add_input(), "x", {2});
  addTensorValue(m.mutable_graph()->add_output(), "x", {2});
  EXPECT_FALSE(import(write(m)));
  EXPECT_TRUE(anyMessageContains("is not supported (onnxc supports opsets 1 to"));
  m.clear_opset_import();
  EXPECT_FALSE(import(write(m)));
  EXPECT_TRUE(anyMessageContains("imports no ai.onnx opset"));
}

TEST_F(ImporterTest, RejectsUnknownAttributes) {
  auto m = baseModel();
  addTensorValue(m.mutable_graph()->add_input(), "x", {2});
  addTensorValue(m.mutable_graph()->add_output(), "y", {2});
  auto *n = addNode(m, "Relu", {"x"}, {"y"}, "r");
  auto *a = n->add_attribute();
  a->set_name("alpha");
  a->set_type(::onnx::AttributeProto::FLOAT);
  a->set_f(0.1f);
  EXPECT_FALSE(import(write(m)));
  EXPECT_TRUE(anyMessageContains("node 'r' (Relu, opset 13): attribute 'alpha' is not supported"));
}

TEST_F(ImporterTest, RejectsGarbageAndTruncatedFiles) {
  std::string path = folder + "/garbage.onnx";
  std::ofstream(path) << "this is not a protobuf \xff\xff\xff";
  EXPECT_FALSE(import(path));
  EXPECT_TRUE(anyMessageContains("garbage.onnx: not a valid ONNX model"));
}

} // namespace
